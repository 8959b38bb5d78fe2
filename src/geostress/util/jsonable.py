"""Turn results into plain JSON values: numpy scalars and arrays unwrapped, NaN and infinities as ``None``.

Used wherever geostress writes or serves JSON (the monitor, the web service), so that every file and answer is
strict JSON (``json.dumps(..., allow_nan=False)`` accepts it).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def jsonable(value: Any) -> Any:
    """A copy of ``value`` made of dicts, lists, str, int, float, bool and ``None`` only (dict keys are kept;
    numpy scalar keys become Python scalars, so ``json.dumps`` accepts them)."""
    if isinstance(value, dict):
        return {(k.item() if isinstance(k, np.generic) else k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
