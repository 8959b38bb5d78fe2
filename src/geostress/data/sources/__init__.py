"""Registry of official sources: name → module following :class:`~geostress.data.sources.base.SourceModule`."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from geostress.errors import DataError

#: Registry name → module path. Names are what ``geostress data import --source`` and ``data update`` accept.
SOURCE_MODULES: dict[str, str] = {
    "tic-mfh": "geostress.data.sources.tic_mfh",
    "fred": "geostress.data.sources.fred",
    "fiscaldata-avg-rates": "geostress.data.sources.fiscaldata_rates",
    "fiscaldata-mspd": "geostress.data.sources.fiscaldata_mspd",
    "cbo-baselines": "geostress.data.sources.cbo_baselines",
    "cbo-actuals": "geostress.data.sources.cbo_actuals",
    "gold-wgc": "geostress.data.sources.gold_wgc",
    "gold-safe": "geostress.data.sources.gold_safe",
    "usgs-ree": "geostress.data.sources.usgs_ree",
    "acm-term-premium": "geostress.data.sources.acm_term_premium",
    "gold-worldbank": "geostress.data.sources.gold_worldbank",
    "cbo-economic": "geostress.data.sources.cbo_economic",
    "usgs-mcs": "geostress.data.sources.usgs_mcs",
    "usgs-ds140": "geostress.data.sources.usgs_ds140",
    "usitc-trade": "geostress.data.sources.usitc_trade",
    "treasury-auctions": "geostress.data.sources.treasury_auctions",
    "cbo-debt-derived": "geostress.data.sources.cbo_debt_derived",
}


def get_source(name: str) -> ModuleType:
    """Return the module of source ``name``; a :class:`DataError` lists the valid names otherwise."""
    try:
        path = SOURCE_MODULES[name]
    except KeyError:
        from difflib import get_close_matches

        close = get_close_matches(name, SOURCE_MODULES, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise DataError(
            f"unknown source {name!r}.{hint} Valid sources: {', '.join(SOURCE_MODULES)}"
        ) from None
    return import_module(path)


def all_sources() -> dict[str, ModuleType]:
    """Every registered source module, by name."""
    return {name: get_source(name) for name in SOURCE_MODULES}
