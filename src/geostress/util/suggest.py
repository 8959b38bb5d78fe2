"""One "did you mean" helper for unknown names (series ids, presets, holders, knob paths)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_matches(name: str, known: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` names in ``known`` that look like ``name`` (difflib ratio ≥ 0.6)."""
    return difflib.get_close_matches(name, list(known), n=n, cutoff=0.6)


def did_you_mean(name: str, known: Iterable[str], n: int = 3) -> str:
    """``"; did you mean 'a' or 'b'?"`` for the closest names, or ``""`` when none is close."""
    matches = close_matches(name, known, n)
    if not matches:
        return ""
    return "; did you mean " + " or ".join(repr(m) for m in matches) + "?"
