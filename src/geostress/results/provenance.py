"""Where a result came from: the geostress version and the data it read (``provenance`` in every output).

A published figure can be traced to the code and the data that made it: ``summary.json`` of ``geostress run``
(and ``run --json``), the service's run result and a sweep's ``_sweep.json`` carry

* ``geostress_version``: the package's version;
* ``data``: :meth:`geostress.data.store.Store.data_fingerprint` of the store the run read: ``snapshot`` (the
  embedded snapshot's version, from its ``CURRENT`` file), ``batches`` (how many imported files) and
  ``fingerprint`` (16 hex digits over both; the same on every machine holding the same data);
* ``baseline_vintage``: the CBO baseline the run resolved to (also at the summary's top level, as before).

Two runs of the same scenario on the same data have the same provenance; an import that changes what reads see
(a new release) changes ``data``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geostress.data.store import Store

__all__ = ["data_provenance", "geostress_version", "with_provenance"]


def geostress_version() -> str:
    """The installed package's version (``geostress.__version__``)."""
    from geostress import __version__

    return str(__version__)


def data_provenance(store: Store | None = None) -> dict[str, Any]:
    """``geostress_version`` and ``data`` (the store's :meth:`~geostress.data.store.Store.data_fingerprint`).

    Parameters
    ----------
    store
        The store the result was computed from (default ``Store()``: ``$GEOSTRESS_HOME`` and the snapshot).
    """
    from geostress.data.store import Store

    store = store if store is not None else Store()
    return {"geostress_version": geostress_version(), "data": store.data_fingerprint()}


def with_provenance(result: Any, store: Store | None = None, *, data: dict[str, Any] | None = None) -> Any:
    """``result`` (a :class:`~geostress.results.scenario.ScenarioResult`) with its ``provenance`` recorded, so that
    its :meth:`~geostress.results.scenario.ScenarioResult.summary` names the data it was computed from.

    Parameters
    ----------
    result
        The run's result.
    store
        The store the run read (default ``Store()``); unused when ``data`` is given.
    data
        :func:`data_provenance` taken before the run (a store changed by an import while the run calibrated would
        otherwise be described after the fact).
    """
    return replace(result, provenance=data if data is not None else data_provenance(store))
