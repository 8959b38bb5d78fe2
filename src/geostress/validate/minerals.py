"""Published-figure checks for the rare-earth network."""

from __future__ import annotations

from datetime import date
from functools import cache

from geostress.data.store import Store
from geostress.validate.registry import Check

CHECKS: list[Check] = []


@cache
def _shares(home: str, base_year: int | None = None) -> dict[str, float]:
    from geostress.calibrate.minerals import build_network
    from geostress.run.minerals import base_year_shares

    return base_year_shares(build_network(Store(home), base_year=base_year))


#: MCS 2025 was the release in force through 2025; MCS 2026 revised the 2024 figures (kept as a later vintage).
MCS2025_AS_OF = date(2025, 12, 31)


def _usgs_china_share(store: Store) -> float:
    """China / world mine production in 2024 as MCS 2025 printed it (the store's vintage known at end-2025)."""
    frame = store.get(["usgs.ree.mine_production.china", "usgs.ree.mine_production.world"], as_of=MCS2025_AS_OF)
    frame = frame[frame["period"].dt.year == 2024].set_index("series_id")["value"]
    return float(frame["usgs.ree.mine_production.china"] / frame["usgs.ree.mine_production.world"])


def _usgs_china_share_2025(store: Store) -> float:
    """China / world mine production in 2025 as MCS 2026 printed it (the latest vintage)."""
    frame = store.get(["usgs.ree.mine_production.china", "usgs.ree.mine_production.world"])
    frame = frame[frame["period"].dt.year == 2025].set_index("series_id")["value"]
    return float(frame["usgs.ree.mine_production.china"] / frame["usgs.ree.mine_production.world"])


CHECKS.append(Check("usgs_china_mining_share_2024", 270.0 / 390.0, 0.02,
               "USGS MCS 2025: China 270 of 390 kt REO mined in 2024 (model on the 2024 base as MCS 2025 printed "
               "it, read as of 2026-02-05; no mandate or controls)",
               lambda s: _shares(str(s.home), 2024)["mining"], kind="absolute"))
CHECKS.append(Check("usgs_china_mining_share_2025", 270.0 / 390.0, 0.02,
               "USGS MCS 2026: China 270 of 390 kt REO mined in 2025 (model default base year, no mandate or "
               "controls)", lambda s: _shares(str(s.home))["mining"], kind="absolute"))
CHECKS.append(Check("usgs_china_mining_share_2025_store", 270.0 / 390.0, 0.005,
               "USGS MCS 2026 as held in the store: China / world mine production 2025", _usgs_china_share_2025,
               kind="absolute", role="data"))
CHECKS.append(Check("usgs_china_mining_share_2024_store", 270.0 / 390.0, 0.005,
               "USGS MCS 2025 as held in the store: China / world mine production 2024", _usgs_china_share,
               kind="absolute", role="data"))
CHECKS.append(Check("iea_china_separation_share", 0.91, 0.02,
               "IEA Global Critical Minerals Outlook 2024/2025: China 91-92% of rare-earth separation [secondary]",
               lambda s: _shares(str(s.home))["separation"], kind="absolute"))
CHECKS.append(Check("china_magnet_share", 0.94, 0.02,
               "IEA Global Critical Minerals Outlook: China ~94% of sintered NdFeB magnets [secondary]",
               lambda s: _shares(str(s.home))["magnets"], kind="absolute"))
