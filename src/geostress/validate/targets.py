"""Where the targets of ``geostress validate`` come from: recompute the derived ones from the official files.

Run it as a script on the folder of official files (the layout of the project's shared data folder)::

    python -m geostress.validate.targets ../shared/data

It parses each file with the project's own parsers and prints one JSON object ``{check id: target}`` for every
target that is arithmetic on an official file. ``tests/test_validate_targets.py`` runs it and compares each value
with the target the check carries, so a target cannot drift from its source.

Targets that are figures printed in a publication (CBO's rate-sensitivity table, the market studies of
``MARKET_EVIDENCE.md``, the IEA shares) are quoted with their source in each check's ``source`` text; they have no
file to recompute them from and are listed in :data:`PUBLISHED_ONLY`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd

from geostress.data.sources import get_source

#: Check ids whose target is a number printed in a publication (no official file to derive it from).
PUBLISHED_ONLY = (
    "cbo_2025_rates_0.1_cumulative", "cbo_2025_rates_0.1_2035", "mortgage_spread_since_1971_pp",
    "iea_china_separation_share", "china_magnet_share",
    "cbo_2026_debt_pct_gdp_2036",  # CBO's report prints "120 percent of GDP" (its FY GDP is not in the CSV files)
)  # fmt: skip


def _observations(data_dir: Path, source: str, relative: str) -> pd.DataFrame:
    path = data_dir / relative
    return get_source(source).parse(path.read_bytes(), origin=str(path)).observations


def _value(frame: pd.DataFrame, series: str, period: str) -> float:
    rows = frame[(frame["series_id"] == series) & (frame["period"] == pd.Timestamp(period))]
    if len(rows) != 1:
        raise LookupError(f"{series} at {period}: {len(rows)} rows in the official file")
    return float(rows["value"].iloc[0])


def cbo_february_2026(data_dir: Path) -> dict[str, float]:
    """FY2036 net interest, debt and the implied average rate of CBO's February 2026 baseline."""
    frame = _observations(data_dir, "cbo-baselines", "cbo_baseline_projections/baselines.csv")
    feb = frame[pd.to_datetime(frame["vintage"]) == pd.Timestamp(date(2026, 2, 1))]
    interest = _value(feb, "cbo.net_interest", "2036-09-30")
    debt_35, debt_36 = _value(feb, "cbo.debt", "2035-09-30"), _value(feb, "cbo.debt", "2036-09-30")
    return {"cbo_2026_net_interest_2036": round(interest),
            "cbo_2026_debt_2036": round(debt_36),
            "cbo_2026_avg_rate_2036": round(interest / ((debt_35 + debt_36) / 2.0), 5)}  # fmt: skip


def tic_china(data_dir: Path) -> dict[str, float]:
    """China's Treasury holdings in TIC's historical file: December 2025 and the November 2013 peak."""
    frame = _observations(data_dir, "tic-mfh", "tic_mfh_historical/mfhhis01.txt")
    china = frame[frame["series_id"] == "tic.mfh.china_mainland"].set_index("period")["value"]
    return {"reserves_tic_china_2025_12": _value(frame, "tic.mfh.china_mainland", "2025-12-31"),
            "reserves_tic_china_peak_2013_11": float(china.max())}  # fmt: skip


def safe_gold(data_dir: Path) -> dict[str, float]:
    """China's official gold (SAFE, million troy oz) at the end of 2025."""
    frame = _observations(data_dir, "gold-safe", "central_bank_gold_reserves/china_gold_safe_monthly_derived.csv")
    return {"reserves_safe_gold_china_2025_12": _value(frame, "gold.safe.china", "2025-12-31")}


def _china_mining_share(data_dir: Path, source: str, relative: str, year: int) -> dict[str, float]:
    """China's share of world rare-earth mine production in ``year`` as one USGS release printed it (the same
    figure serves the target and its store check)."""
    frame = _observations(data_dir, source, relative)
    china = _value(frame, "usgs.ree.mine_production.china", f"{year}-12-31")
    world = _value(frame, "usgs.ree.mine_production.world", f"{year}-12-31")
    share = china / world
    return {f"usgs_china_mining_share_{year}": share, f"usgs_china_mining_share_{year}_store": share}


def usgs_mcs2025(data_dir: Path) -> dict[str, float]:
    """China's share of world rare-earth mine production in 2024 as MCS 2025 printed it."""
    return _china_mining_share(data_dir, "usgs-ree", "usgs_mcs2025_rare_earths/mcs2025-rare-earths.marker-text.md",
                               2024)


def usgs_mcs2026(data_dir: Path) -> dict[str, float]:
    """China's share of world rare-earth mine production in 2025 as MCS 2026 printed it."""
    return _china_mining_share(data_dir, "usgs-mcs", "usgs_mcs2026_rare_earths/usgs_mcs2026_commodities_data.csv",
                               2025)


DERIVATIONS: tuple[Callable[[Path], dict[str, float]], ...] = (
    cbo_february_2026, tic_china, safe_gold, usgs_mcs2025, usgs_mcs2026,
)  # fmt: skip


def derive(data_dir: Path) -> dict[str, float]:
    """Every target that is arithmetic on an official file, by check id."""
    out: dict[str, float] = {}
    for derivation in DERIVATIONS:
        out.update(derivation(data_dir))
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m geostress.validate.targets [DATA_DIR]``: print the derived targets as one JSON line."""
    args = sys.argv[1:] if argv is None else argv
    data_dir = Path(args[0]) if args else Path("../shared/data")
    if not data_dir.is_dir():
        print(f"error: {data_dir} is not a folder of official files; give its path", file=sys.stderr)
        return 2
    print(json.dumps(derive(data_dir), sort_keys=True))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
