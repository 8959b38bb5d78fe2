"""The check type and how a check is judged; the list of checks is :data:`geostress.validate.REGISTRY`.

``tolerance`` is a relative tolerance (0.15 = ±15% of the target) unless the check's ``kind`` is ``"absolute"``
(then |value − target| ≤ tolerance).

Each check has a **role** (:data:`ROLES`), printed by ``geostress validate`` (the table groups by it) and in each
``--json`` row, so that a reader can tell a comparison the model could fail from one it reproduces by construction:

* ``validation``: a published figure the check's experiment was not fitted to; it can fail;
* ``calibration``: a calibration identity, a figure a parameter was set from (the id starts with ``calibration_``,
  and only such ids have this role): passing shows the code reproduces its own calibration, not that the model is
  right;
* ``consistency``: a figure a prior was set with in view, so a consistency check, not independent validation;
* ``property``: a promise of the design or an exact identity (no knife edge, a closed form) that a bug could break;
* ``data``: the store's inputs (or a statistic of them) against the published figure they should equal.

The role is given where the id does not say it; by default it follows the id (``calibration_…`` → calibration,
``…_property_…`` → property, otherwise validation).

A check with a ``known_gap`` is one the model is known to miss, for the stated reason: it stays in the registry so
that the miss is printed beside the checks that pass (not hidden in the docs), and ``geostress validate`` exits
non-zero only for failures that are not known gaps. If a known gap starts to pass, the model has changed: the test
suite says so, and the label should go. A known gap is a status, not a role: the check keeps its role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from geostress.data.store import Store

CALIBRATION_PREFIX = "calibration_"

#: Every role a check can have, in the order ``geostress validate`` prints them, with what it means (the table's
#: group titles).
ROLES: dict[str, str] = {
    "validation": "published figures the model was not fitted to",
    "calibration": "identities, figures the parameters were set from",
    "consistency": "figures a prior was set with in view",
    "property": "promises of the design, exact identities",
    "data": "the store's data against published figures",
}


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
    role: str = ""  # one of ROLES; empty: from the id (``calibration_…``, ``…_property_…``, else validation)

    def __post_init__(self) -> None:
        calibration = self.id.startswith(CALIBRATION_PREFIX)
        role = self.role or ("calibration" if calibration else "property" if "_property_" in self.id
                             else "validation")
        if role not in ROLES:
            raise ValueError(f"check {self.id}: role {role!r} is not one of {', '.join(ROLES)}")
        if calibration != (role == "calibration"):
            raise ValueError(f"check {self.id}: role {role!r}; an id starts with {CALIBRATION_PREFIX!r} exactly when "
                             "the check is a calibration identity (role 'calibration')")
        object.__setattr__(self, "role", role)

    @property
    def band(self) -> tuple[float, float]:
        """The values that pass: target ± tolerance (absolute) or target ± tolerance × |target| (relative)."""
        width = self.tolerance if self.kind == "absolute" else self.tolerance * abs(self.target)
        return self.target - width, self.target + width

    def run(self, store: Store) -> dict[str, object]:
        """The check's row: its id and role, the target, the model's value, the tolerance and its ``kind``
        (``relative``: a share of the target; ``absolute``: in the target's unit), the ``band`` that passes, whether
        the value is in it, and the known gap's reason (None when the check is expected to pass)."""
        value = float(self.compute(store))
        low, high = self.band
        passed = low <= value <= high
        return {"id": self.id, "role": self.role, "target": self.target, "value": value,
                "tolerance": self.tolerance, "kind": self.kind, "band": [low, high],
                "passed": bool(passed and np.isfinite(value)), "known_gap": self.known_gap or None}
