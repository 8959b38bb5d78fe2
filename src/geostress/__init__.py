"""geostress: an open geo-economic stress lab.

Official statistics with every vintage kept (:mod:`geostress.data`), the indicators markets watch
(:mod:`geostress.analytics.monitor`), and models of the Treasury-market trust loop built on top of them.
"""

from __future__ import annotations

from geostress.errors import DataError, GeostressError, LimitError, ParseError, ScenarioError

__all__ = ["DataError", "GeostressError", "LimitError", "ParseError", "ScenarioError", "__version__", "sweep"]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """``geostress.sweep`` is the module :mod:`geostress.run.sweep`, loaded on first use (importing the package
    imports neither dask nor numba); its entry point is ``geostress.sweep.sweep(spec, client=None)``
    (:func:`geostress.run.sweep.sweep`)."""
    if name == "sweep":
        import importlib

        return importlib.import_module("geostress.run.sweep")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
