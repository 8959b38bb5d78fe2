"""Published-figure checks of the reserves module, listed in CHECKS (``import geostress.validate.reserves``).

The first four pin the stored inputs of the inverse problem to the published figures (CALIBRATION.md §C and §E);
the last is a direction check only: no published "freeze probability" exists, but China's Treasury holdings
fell from a 1,316.7bn peak (Nov-2013) to 683.5bn (Dec-2025) while its gold rose, so the implied p must rise.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from geostress.data.store import Store
from geostress.validate.registry import Check

CHECKS: list[Check] = []


def _value(store: Store, series: str, period: str) -> float:
    frame = store.get(series, start=period, end=period)
    return float(frame["value"].iloc[-1]) if len(frame) else float("nan")


def _wgc_moz_dec2025(store: Store) -> float:
    from geostress.calibrate.reserves import TROY_OZ_PER_TONNE

    return _value(store, "gold.wgc.china", "2025-12-31") * TROY_OZ_PER_TONNE / 1e6


@cache
def implied_series(home: str) -> pd.DataFrame:
    """China's implied freeze probability by month for the store at ``home`` (computed once; the contagion checks
    use it too)."""
    from geostress.run.reserves import implied_p_series

    return implied_p_series(Store(home))


def _implied(home: str) -> tuple[float, float]:
    series = implied_series(home)
    return float(series["p"].iloc[:12].mean()), float(series["p"].iloc[-12:].mean())


def _implied_rise(store: Store) -> float:
    first, last = _implied(str(store.home))
    return last - first


CHECKS.append(Check("reserves_tic_china_2025_12", 683.5, 0.0005,
               "TIC Major Foreign Holders (mfhhis01.txt): China, Mainland Dec-2025 683.5 USD bn "
               "(CALIBRATION.md §C, checked); the inverse problem's Treasury input",
               lambda s: _value(s, "tic.mfh.china_mainland", "2025-12-31"), role="data"))
CHECKS.append(Check("reserves_tic_china_peak_2013_11", 1316.7, 0.0005,
               "TIC mfhhis01.txt: China, Mainland peak Nov-2013 1,316.7 USD bn (CALIBRATION.md §C, checked)",
               lambda s: _value(s, "tic.mfh.china_mainland", "2013-11-30"), role="data"))
CHECKS.append(Check("reserves_safe_gold_china_2025_12", 74.15, 0.0005,
               "SAFE official reserve assets: gold Dec-2025 74.15 million troy oz (CALIBRATION.md §E, checked)",
               lambda s: _value(s, "gold.safe.china", "2025-12-31"), role="data"))
CHECKS.append(Check("reserves_wgc_vs_safe_gold_2025_12", 74.15, 0.01,
               "Cross-source: WGC/IMF IFS China tonnes Dec-2025 × 32,150.7466 oz/t vs SAFE's 74.15 Moz "
               "(CALIBRATION.md §E)", _wgc_moz_dec2025, role="data"))
CHECKS.append(Check("reserves_implied_p_rising_since_2013", 1.0, 0.0,
               "Direction only (no published p exists): China's Treasuries fell from 1,316.7bn (Nov-2013) to "
               "683.5bn (Dec-2025) as its gold rose (SAFE/WGC), so the model-implied freeze probability must rise; "
               "value = 1 when the mean implied p of the last 12 months exceeds that of the first 12 since Jan-2013",
               lambda s: 1.0 if _implied_rise(s) > 0 else 0.0, kind="absolute"))
