"""Published-figure checks for the rare-earth network (import registers them with :mod:`geostress.validate`)."""

from __future__ import annotations

from functools import cache

from geostress.data.store import Store
from geostress.validate import Check, register


@cache
def _shares(home: str) -> dict[str, float]:
    from geostress.calibrate.minerals import build_network
    from geostress.run.minerals import base_year_shares

    return base_year_shares(build_network(Store(home)))


def _usgs_china_share(store: Store) -> float:
    frame = store.get(["usgs.ree.mine_production.china", "usgs.ree.mine_production.world"])
    frame = frame[frame["period"].dt.year == 2024].set_index("series_id")["value"]
    return float(frame["usgs.ree.mine_production.china"] / frame["usgs.ree.mine_production.world"])


register(Check("usgs_china_mining_share_2024", 270.0 / 390.0, 0.02,
               "USGS MCS 2025: China 270 of 390 kt REO mined in 2024 (model base year, no mandate or controls)",
               lambda s: _shares(str(s.home))["mining"], kind="absolute"))
register(Check("usgs_china_mining_share_2024_store", 270.0 / 390.0, 0.005,
               "USGS MCS 2025 as held in the store: China / world mine production 2024", _usgs_china_share,
               kind="absolute"))
register(Check("iea_china_separation_share", 0.91, 0.02,
               "IEA Global Critical Minerals Outlook 2024/2025: China 91-92% of rare-earth separation [secondary]",
               lambda s: _shares(str(s.home))["separation"], kind="absolute"))
register(Check("china_magnet_share", 0.94, 0.02,
               "IEA Global Critical Minerals Outlook: China ~94% of sintered NdFeB magnets [secondary]",
               lambda s: _shares(str(s.home))["magnets"], kind="absolute"))
