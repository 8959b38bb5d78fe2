"""geostress: an open geo-economic stress lab.

Official statistics with every vintage kept (:mod:`geostress.data`), the indicators markets watch
(:mod:`geostress.monitor`), and models of the Treasury-market trust loop built on top of them.
"""

from __future__ import annotations

from geostress.errors import DataError, GeostressError, ParseError, ScenarioError

__all__ = ["DataError", "GeostressError", "ParseError", "ScenarioError", "__version__"]
__version__ = "0.1.0"
