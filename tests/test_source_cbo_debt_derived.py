"""Debt held by the public derived for CBO baselines that do not publish it: accuracy on the vintages that do,
the rows in the store, marking, and every vintage with the other components runnable."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geostress.data.sources import cbo_actuals, cbo_baselines, get_source
from geostress.data.sources import cbo_debt_derived as derived
from geostress.data.store import Store
from geostress.errors import ParseError

from geostress.testing import assert_parse_error

FOLDER = "cbo_baseline_projections"


@pytest.fixture(scope="module")
def raws(shared_data: Path) -> tuple[bytes, bytes]:
    return (shared_data / FOLDER / "baselines.csv").read_bytes(), (shared_data / FOLDER / "actuals.csv").read_bytes()


@pytest.fixture(scope="module")
def frames(raws: tuple[bytes, bytes]) -> tuple[pd.DataFrame, pd.Series]:
    baselines = cbo_baselines.parse(raws[0], origin="baselines.csv").observations
    actual = derived._by_fy(cbo_actuals.parse(raws[1], origin="actuals.csv").observations, "cbo.actual.debt")
    return baselines, actual


def test_registered_and_single_file_refused(raws: tuple[bytes, bytes]) -> None:
    assert get_source("cbo-debt-derived") is derived
    assert derived.build_queries() == []
    err = assert_parse_error(derived, raws[0], "baselines.csv", 1, "source", "derived from two CBO files")
    assert "cbo-baselines" in str(err)


def test_accuracy_on_vintages_with_debt(frames: tuple[pd.DataFrame, pd.Series]) -> None:
    """The figures of the module notes: derived as if missing, compared with CBO's published debt."""
    report = derived.evaluate(*frames)
    assert len(report) == 43  # of the 45 with debt; Feb 1984 and Feb 1985 have nothing before them
    assert (report["omf_from"] < report["vintage"]).all()  # only earlier baselines are used
    mean = report[["err_first", "err_fifth", "err_last"]].abs().mean()
    assert mean["err_first"] < 1.0 and mean["err_fifth"] < 1.0 and mean["err_last"] < 1.5
    median = report[["err_first", "err_fifth", "err_last"]].abs().median()
    assert (median < 0.7).all()
    assert (report["max_abs_err"] <= 2).sum() >= 32 and (report["max_abs_err"] <= 5).sum() >= 38
    assert report["max_abs_err"].max() < 10
    worst = report.set_index("vintage")["max_abs_err"]
    assert worst[date(2009, 3, 1)] > 8  # TARP: OMF no earlier baseline had


def test_zero_omf_would_be_worse(frames: tuple[pd.DataFrame, pd.Series]) -> None:
    """The OMF estimate earns its place: without it the fifth-year error grows."""
    baselines, actual = frames
    errors = []
    for vintage, g in baselines[baselines["series_id"] == "cbo.deficit"].groupby("vintage"):
        published = baselines[(baselines["series_id"] == "cbo.debt") & (baselines["vintage"] == vintage)]
        if published.empty:
            continue
        deficit = pd.Series(g["value"].to_numpy(), index=g["period"].dt.year.to_numpy()).sort_index()
        path = derived.derive_path(deficit, actual, None)
        if path is None or pd.Timestamp(vintage).year < 1986:
            continue
        pub = pd.Series(published["value"].to_numpy(), index=published["period"].dt.year.to_numpy())
        k = min(4, len(path) - 1)
        errors.append(abs(path.iloc[k] - pub[path.index[k]]) / actual[path.index[0] - 1] * 100)
    report = derived.evaluate(*frames)
    assert np.mean(errors) > report["err_fifth"].abs().mean() * 1.5


def test_derived_rows(raws: tuple[bytes, bytes]) -> None:
    rel = derived.derive(*raws, origin="baselines.csv")
    f = rel.observations
    assert rel.source == "cbo-debt-derived" and rel.vintage == date(2021, 2, 1)
    assert set(f["series_id"]) == {"cbo.debt"} and (f["unit"] == "USD bn").all()
    assert f["vintage"].nunique() == 55
    assert f["label"].str.contains("DERIVED by geostress").all()
    jan17 = f[f["vintage"] == pd.Timestamp("2017-01-01")].set_index("period")["value"]
    assert jan17.index.min() == pd.Timestamp("2017-09-30") and jan17.index.max() == pd.Timestamp("2027-09-30")
    # FY2016 actual 14,167.6 + FY2017 deficit 573.5 + OMF of the March 2016 baseline for FY2017
    assert 14_600 < jan17.iloc[0] < 15_000
    assert (f["value"] > 0).all()


def test_floor_and_surplus_years(frames: tuple[pd.DataFrame, pd.Series]) -> None:
    baselines, actual = frames
    f = derived.derive_debt(baselines, actual)
    jan01 = f[f["vintage"] == pd.Timestamp("2001-01-01")]
    assert jan01["value"].min() == pytest.approx(941.0)  # the lowest debt of the April 2000 baseline
    debt = pd.Series([100.0, 90.0, 89.0], index=[2001, 2002, 2003])
    deficit = pd.Series([10.0, 30.0, 40.0], index=[2001, 2002, 2003])  # surpluses (CBO sign)
    omf = derived.implied_omf(debt, deficit, pd.Series({2000: 110.0}))
    # 2002 and 2003 retire less than half the surplus (cash piles up on the floor): replaced by 2001's OMF
    assert omf.tolist() == [0.0, 0.0, 0.0]
    assert derived.implied_omf(debt, deficit, pd.Series({1999: 1.0})) is None


@settings(max_examples=40, deadline=None)
@given(
    deficits=st.lists(st.floats(-3000, 3000, allow_nan=False), min_size=1, max_size=12),
    omf=st.lists(st.floats(-500, 500, allow_nan=False), min_size=1, max_size=12),
    start=st.floats(100, 40_000),
    floor=st.floats(0, 2000),
)
def test_path_identity(deficits: list[float], omf: list[float], start: float, floor: float) -> None:
    """Away from the floor each year adds the deficit and the OMF; the path never goes below the floor."""
    years = list(range(2030, 2030 + len(deficits)))
    deficit = pd.Series(deficits, index=years)
    source = pd.Series(omf, index=list(range(2030, 2030 + len(omf))))
    path = derived.derive_path(deficit, pd.Series({2029: start}), source, floor)
    assert path is not None and (path >= floor - 1e-9).all()
    raw = start + np.cumsum(-deficit.to_numpy() + [float(source.get(y, source.iloc[-1])) for y in years])
    np.testing.assert_allclose(path.to_numpy(), np.maximum(raw, floor), rtol=1e-12, atol=1e-6)


def test_bad_actuals(raws: tuple[bytes, bytes]) -> None:
    no_debt = b"\n".join(ln for ln in raws[1].splitlines() if not ln.startswith(b"debt,")) + b"\n"
    with pytest.raises(ParseError, match="no actual debt"):
        derived.derive(raws[0], no_debt, origin="baselines.csv")
    with pytest.raises(ParseError, match="actuals.csv"):
        derived.derive(raws[0], b"", origin="baselines.csv")


def test_store_marks_derived_and_every_vintage_runs(geostress_home: Path) -> None:
    from geostress.calibrate.fiscal import cbo_vintages, load_cbo_baseline, parse_baseline_spec

    store = Store()
    vintages = cbo_vintages(store)
    assert len(vintages) == 88
    assert parse_baseline_spec("cbo:2017-01", store) == date(2017, 1, 1)
    assert parse_baseline_spec("cbo:2011-01", store) == date(2011, 1, 1)
    jan17 = store.get("cbo.debt", vintage="2017-01-01")
    assert set(jan17["source"]) == {"cbo-debt-derived"} and jan17["label"].str.contains("DERIVED").all()
    feb26 = store.get("cbo.debt", vintage="2026-02-01")
    assert set(feb26["source"]) == {"cbo-baselines"}
    base = load_cbo_baseline(store, date(2017, 1, 1))
    assert base.debt_derived and not load_cbo_baseline(store, date(2026, 2, 1)).debt_derived
    assert base.start_debt == pytest.approx(14_167.624)


def test_data_show_marks_derived(geostress_home: Path) -> None:
    """``geostress data show cbo.debt --vintage 2017-01`` prints the derived source beside every value."""
    import json
    import os
    import shutil
    import subprocess

    exe = shutil.which("geostress", path=str(Path(__file__).resolve().parents[1] / ".venv" / "bin")) or "geostress"
    env = {**os.environ, "GEOSTRESS_HOME": str(geostress_home), "COLUMNS": "160"}
    proc = subprocess.run([exe, "data", "show", "cbo.debt", "--vintage", "2017-01", "--json"], env=env,
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    records = json.loads(proc.stdout)
    assert len(records) == 11 and {r["source"] for r in records} == {"cbo-debt-derived"}
    assert records[0]["period"] == "2017-09-30" and records[0]["vintage"] == "2017-01-01"
    table = subprocess.run([exe, "data", "show", "cbo.debt", "--vintage", "2017-01"], env=env, capture_output=True,
                           text=True, timeout=180)
    assert "DERIVED by geostress" in " ".join(table.stdout.split())


def test_sensitivity_runs_on_a_derived_january_baseline(geostress_home: Path) -> None:
    """January 2011, one of CBO's main baselines, published no debt; it now calibrates and runs. Its first year
    (FY2011, bills near 0%) is reported as a misfit: CBO's net interest lies ≈$20bn below what the book pays with
    new issues at zero yield, and no yield at issue goes below zero (the fit had reached −3 pp there)."""
    from geostress.run.sensitivity import cbo_sensitivity

    result = cbo_sensitivity("cbo:2011-01", 0.1, years=3, store=Store())
    assert len(result.years) == 3 and result.cumulative_net_interest > 0
    assert set(result.misfit_bn) == {2011} and 0 < result.misfit_bn[2011] < 30
