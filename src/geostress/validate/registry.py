"""The check type and how a check is judged; the list of checks is :data:`geostress.validate.REGISTRY`.

``tolerance`` is a relative tolerance (0.15 = ±15% of the target) unless the check's ``kind`` is ``"absolute"``
(then |value − target| ≤ tolerance). Checks whose id starts with ``calibration_`` reproduce a figure the model
was calibrated to (identities, labelled as such); the others compare with a published figure the model was not
fitted to (validation), and can fail.

A check with a ``known_gap`` is one the model is known to miss, for the stated reason: it stays in the registry so
that the miss is printed beside the checks that pass (not hidden in the docs), and ``geostress validate`` exits
non-zero only for failures that are not known gaps. If a known gap starts to pass, the model has changed: the test
suite says so, and the label should go.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from geostress.data.store import Store

CALIBRATION_PREFIX = "calibration_"


@dataclass(frozen=True)
class Check:
    """One published figure and how the model reproduces it."""

    id: str
    target: float
    tolerance: float
    source: str
    compute: Callable[[Store], float]
    kind: str = "relative"  # or "absolute"
    known_gap: str = ""  # why the model is known to miss this figure (empty: expected to pass)

    @property
    def role(self) -> str:
        """``"calibration"`` for a calibration identity, ``"validation"`` for an out-of-sample comparison."""
        return "calibration" if self.id.startswith(CALIBRATION_PREFIX) else "validation"

    @property
    def band(self) -> tuple[float, float]:
        """The values that pass: target ± tolerance (absolute) or target ± tolerance × |target| (relative)."""
        width = self.tolerance if self.kind == "absolute" else self.tolerance * abs(self.target)
        return self.target - width, self.target + width

    def run(self, store: Store) -> dict[str, object]:
        value = float(self.compute(store))
        low, high = self.band
        passed = low <= value <= high
        return {"id": self.id, "target": self.target, "value": value, "tolerance": self.tolerance,
                "passed": bool(passed and np.isfinite(value)), "known_gap": self.known_gap or None}
