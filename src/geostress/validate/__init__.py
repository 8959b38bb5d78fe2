"""The registry of published-figure checks: one module per domain, listed here explicitly.

``geostress validate`` runs them all and prints ``id, target, value, tolerance, passed`` (``--json``: also the role,
the tolerance's kind, the band that passes and any known gap). Each check states its source; a check can fail, and
then the command says so. See :mod:`geostress.validate.registry` for how a check is
judged and how calibration identities are told apart from validation.
"""

from __future__ import annotations

from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.util.suggest import did_you_mean
from geostress.validate import contagion, fiscal, market, minerals, reserves
from geostress.validate.registry import Check

#: The domain modules, each with its ``CHECKS`` list.
DOMAINS = (fiscal, market, contagion, minerals, reserves)
REGISTRY: list[Check] = [check for domain in DOMAINS for check in domain.CHECKS]
_duplicates = sorted({c.id for c in REGISTRY if sum(d.id == c.id for d in REGISTRY) > 1})
if _duplicates:
    raise ValueError(f"duplicate validation ids {_duplicates}")

__all__ = ["DOMAINS", "REGISTRY", "Check", "run_all", "unknown_id_problem"]


def unknown_id_problem(ids: list[str] | None) -> ScenarioError | None:
    """The error for the first of ``ids`` that no registered check has (naming close ids), else None."""
    known = [c.id for c in REGISTRY]
    for wanted in ids or []:
        if wanted not in known:
            return ScenarioError(f"no check has the id {wanted!r}" + (did_you_mean(wanted, known) or
                                 "; `geostress validate --json` lists every id"), parameter="ids")
    return None


def run_all(store: Store | None = None, ids: list[str] | str | None = None) -> list[dict[str, object]]:
    """Run the registered checks (or those named in ``ids``: a list, or one comma-separated string) against
    ``store``; a :class:`ScenarioError` before any check runs for an id no check has (naming close ids) or an
    empty list."""
    if isinstance(ids, str):  # "a,b" as --id would give them one by one
        ids = [part.strip() for part in ids.split(",") if part.strip()]
    if ids is not None and not ids:
        raise ScenarioError("ids=[] names no check: leave ids out (None) to run every check, or name some",
                            parameter="ids")
    problem = unknown_id_problem(ids)
    if problem:
        raise problem
    store = store or Store()
    chosen = [c for c in REGISTRY if ids is None or c.id in ids]
    return [check.run(store) for check in chosen]
