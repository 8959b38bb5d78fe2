"""The FRED files of issue 16: prices and activity, and later vintages of series already in the store.

``us_macro_monthly_fred_2026-06`` and ``us_rates_daily_fred_2026-08`` are later releases of CPI, fed funds, DGS10 and
DGS2: imported as new vintages, ``as_of`` must give what was known on each date.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geostress.data.ingest import import_file
from geostress.data.sources import fred
from geostress.data.store import Store

from geostress.testing import assert_parse_error, check_parses_or_parse_error, mutations

#: shared-data path → (series id, unit, rows, (first period, value), (last period, value))
NEW_FILES: dict[str, tuple[str, str, int, tuple[str, float], tuple[str, float]]] = {
    "us_prices_activity_fred/CPIAUCSL.csv": (
        "fred.cpiaucsl", "index 1982-84=100", 808, ("1959-01-31", 29.01), ("2026-05-31", 333.979)),
    "us_prices_activity_fred/CPILFESL.csv": (
        "fred.cpilfesl", "index 1982-84=100", 808, ("1959-01-31", 29.9), ("2026-05-31", 336.121)),
    "us_prices_activity_fred/PCEPI.csv": (
        "fred.pcepi", "index 2017=100", 809, ("1959-01-31", 15.164), ("2026-05-31", 131.527)),
    "us_prices_activity_fred/PCEPILFE.csv": (
        "fred.pcepilfe", "index 2017=100", 809, ("1959-01-31", 15.501), ("2026-05-31", 130.082)),
    "us_prices_activity_fred/GDPDEF.csv": (
        "fred.gdpdef", "index 2017=100", 269, ("1959-03-31", 15.224), ("2026-03-31", 131.783)),
    "us_prices_activity_fred/GDPC1.csv": (
        "fred.gdpc1", "USD bn chained 2017", 269, ("1959-03-31", 3352.129), ("2026-03-31", 24180.419)),
    "us_prices_activity_fred/GDPPOT.csv": (
        "fred.gdppot", "USD bn chained 2017", 312, ("1959-03-31", 3343.7495355213023),
        ("2036-12-31", 29443.0227307)),
    "us_prices_activity_fred/FEDFUNDS.csv": ("fred.fedfunds", "percent", 809, ("1959-01-31", 2.48), ("2026-05-31", 3.63)),
    "us_macro_monthly_fred_2026-06/CPIAUCSL.csv": (
        "fred.cpiaucsl", "index 1982-84=100", 281, ("2003-01-31", 182.6), ("2026-06-30", 332.568)),
    "us_macro_monthly_fred_2026-06/FEDFUNDS.csv": (
        "fred.fedfunds", "percent", 318, ("2000-01-31", 5.45), ("2026-06-30", 3.63)),
    "us_macro_monthly_fred_2026-06/UNRATE.csv": ("fred.unrate", "percent", 377, ("1995-01-31", 5.6), ("2026-06-30", 4.2)),
    "us_rates_daily_fred_2026-08/us-10-year-treasury-yield.csv": (
        "fred.dgs10", "percent", 16_144, ("1962-01-02", 4.06), ("2026-08-20", 4.69)),
    "us_rates_daily_fred_2026-08/us-2-year-treasury-yield.csv": (
        "fred.dgs2", "percent", 12_552, ("1976-06-01", 7.26), ("2026-08-20", 4.19)),
    "us_rates_daily_fred_2026-08/us-10y-real-yield.csv": (
        "fred.dfii10", "percent", 5_913, ("2003-01-02", 2.43), ("2026-08-20", 2.35)),
    "us_rates_daily_fred_2026-08/us-10y-breakeven-inflation.csv": (
        "fred.t10yie", "percent", 5_914, ("2003-01-02", 1.64), ("2026-08-21", 2.34)),
    "us_rates_daily_fred_2026-08/broad-us-dollar-index.csv": (
        "fred.dtwexbgs", "index Jan 2006=100", 5_169, ("2006-01-02", 101.42), ("2026-08-14", 118.90)),
}


@pytest.mark.parametrize("path", sorted(NEW_FILES))
def test_new_files_parse(shared_data: Path, path: str) -> None:
    sid, unit, rows, (p0, v0), (p1, v1) = NEW_FILES[path]
    f = fred.parse((shared_data / path).read_bytes(), origin=str(shared_data / path)).observations
    assert set(f["series_id"]) == {sid} and set(f["unit"]) == {unit}
    assert len(f) == rows
    s = f.set_index("period")["value"]
    assert s.index.min() == pd.Timestamp(p0) and s[pd.Timestamp(p0)] == pytest.approx(v0)
    assert s.index.max() == pd.Timestamp(p1) and s[pd.Timestamp(p1)] == pytest.approx(v1)


def test_pinned_values(shared_data: Path) -> None:
    def get(path: str) -> pd.Series:
        raw = (shared_data / path).read_bytes()
        return fred.parse(raw, origin=path).observations.set_index("period")["value"]

    cpi = get("us_prices_activity_fred/CPIAUCSL.csv")
    assert cpi[pd.Timestamp("2024-12-31")] == 317.604 and cpi[pd.Timestamp("2025-12-31")] == 326.031
    assert pd.Timestamp("2025-10-31") not in cpi.index  # BLS published no October 2025 CPI (shutdown)
    assert cpi[pd.Timestamp("2026-05-31")] / cpi[pd.Timestamp("2025-05-31")] - 1 == pytest.approx(0.042, abs=5e-4)
    deflator = get("us_prices_activity_fred/GDPDEF.csv")
    assert deflator[pd.Timestamp("2026-03-31")] / deflator[pd.Timestamp("2025-03-31")] - 1 == pytest.approx(
        0.033, abs=5e-4
    )
    assert get("us_prices_activity_fred/GDPPOT.csv")[pd.Timestamp("2026-03-31")] == pytest.approx(23945.1, abs=0.05)
    assert get("us_macro_monthly_fred_2026-06/UNRATE.csv")[pd.Timestamp("2025-11-30")] == 4.5
    assert get("us_rates_daily_fred_2026-08/us-10y-real-yield.csv")["2026-08"].mean() == pytest.approx(2.41, abs=0.005)


def test_later_vintages_agree_on_shared_periods(shared_data: Path) -> None:
    """The provenance notes' check, repeated: the later copies equal the earlier ones where both have a value."""
    pairs = [
        ("us_treasury_yields_fred_daily/DGS10.csv", "us_rates_daily_fred_2026-08/us-10-year-treasury-yield.csv", 15_959),
        ("us_treasury_yields_fred_daily/DGS2.csv", "us_rates_daily_fred_2026-08/us-2-year-treasury-yield.csv", 12_367),
        ("us_prices_activity_fred/CPIAUCSL.csv", "us_macro_monthly_fred_2026-06/CPIAUCSL.csv", 280),
        ("us_prices_activity_fred/FEDFUNDS.csv", "us_macro_monthly_fred_2026-06/FEDFUNDS.csv", 317),
    ]
    for old, new, shared in pairs:
        a, b = (fred.parse((shared_data / p).read_bytes(), origin=p).observations.set_index("period")["value"]
                for p in (old, new))
        common = a.index.intersection(b.index)
        assert len(common) == shared, (old, new)
        assert (a[common] == b[common]).all()


def test_as_of_across_vintages(shared_data: Path, geostress_home: Path) -> None:
    store = Store(include_snapshot=False)
    import_file(shared_data / "us_treasury_yields_fred_daily/DGS10.csv", "fred", vintage=date(2025, 11, 25), store=store)
    import_file(
        shared_data / "us_rates_daily_fred_2026-08/us-10-year-treasury-yield.csv", "fred",
        vintage=date(2026, 8, 22), store=store,
    )
    import_file(shared_data / "us_prices_activity_fred/CPIAUCSL.csv", "fred", vintage=date(2026, 6, 10), store=store)
    import_file(
        shared_data / "us_macro_monthly_fred_2026-06/CPIAUCSL.csv", "fred", vintage=date(2026, 7, 30), store=store
    )
    assert store.vintages("fred.dgs10") == [date(2025, 11, 25), date(2026, 8, 22)]
    then = store.get("fred.dgs10", as_of="2026-01-01")
    now = store.get("fred.dgs10")
    assert then["period"].max() == pd.Timestamp("2025-11-24") and set(then["vintage"]) == {pd.Timestamp("2025-11-25")}
    assert now["period"].max() == pd.Timestamp("2026-08-20")
    assert now.set_index("period")["value"][pd.Timestamp("2026-08-20")] == 4.69
    assert len(store.get("fred.dgs10", start="2025-11-24", all_vintages=True)) == 1 + len(
        now[now["period"] >= pd.Timestamp("2025-11-24")]
    )
    cpi_june = store.get("fred.cpiaucsl", as_of="2026-07-01")
    cpi_now = store.get("fred.cpiaucsl")
    assert cpi_june["period"].max() == pd.Timestamp("2026-05-31")
    assert cpi_now["period"].max() == pd.Timestamp("2026-06-30")
    # the later copy starts in 2003: earlier months still come from the first vintage
    assert cpi_now["period"].min() == pd.Timestamp("1959-01-31")
    assert cpi_now.set_index("period")["vintage"][pd.Timestamp("1990-01-31")] == pd.Timestamp("2026-06-10")


def test_snapshot_holds_both_vintages(geostress_home: Path) -> None:
    store = Store()
    assert store.vintages("fred.dgs10") == [date(2025, 11, 25), date(2026, 8, 22)]
    assert store.vintages("fred.cpiaucsl") == [date(2026, 6, 10), date(2026, 7, 30)]
    assert store.get("fred.dgs2", as_of="2026-08-01")["period"].max() == pd.Timestamp("2025-11-24")
    assert store.get("fred.dgs2")["period"].max() == pd.Timestamp("2026-08-20")
    for sid in ("fred.dfii10", "fred.t10yie", "fred.dtwexbgs", "fred.unrate", "fred.gdpdef", "fred.pcepi",
                "fred.gdppot", "fred.gdpc1", "fred.cpilfesl", "fred.pcepilfe", "fred.fedfunds"):
        assert len(store.get(sid)) > 100, sid


def test_alias_file_names() -> None:
    for name, sid in fred.FILE_ALIASES.items():
        assert sid in fred.SERIES
        f = fred.parse(b"date,value\n2026-08-20,1.5\n", origin=f"/x/{name}.csv").observations
        assert f["series_id"].tolist() == [f"fred.{sid.lower()}"]
    assert_parse_error(fred, b"date,value\n2026-08-20,1.5\n", "us-30y-yield.csv", 1, "value", "does not say")
    assert_parse_error(fred, b"date,value\n2026-08-20,4,5\n", "us-2-year-treasury-yield.csv", 2, "column 3 (no header)")
    assert_parse_error(fred, b"date,value\n2026-06-15,4.5\n", "UNRATE.csv", 2, "date", "not the first day of a month")
    assert_parse_error(fred, b"date,value\n2026-02-01,131\n", "GDPDEF.csv", 2, "date", "not the first day of a quarter")


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(data=st.data())
def test_mutations(shared_data: Path, data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(["us_macro_monthly_fred_2026-06/UNRATE.csv",
                                      "us_rates_daily_fred_2026-08/us-10y-real-yield.csv",
                                      "us_prices_activity_fred/GDPDEF.csv"]))
    head = b"".join((shared_data / path).read_bytes().splitlines(keepends=True)[:150])
    check_parses_or_parse_error(fred, data.draw(mutations(head, separators=b",", junk=["", ".", "x", "1e999"])), path)
