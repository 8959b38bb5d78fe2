"""Reserve manager under freeze risk: model properties, calibration from the store, inverse problem and CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from geostress.calibrate import reserves as cal
from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.model.reserves import (
    ASSETS,
    N_ASSETS,
    UST,
    AssetModel,
    Constraints,
    FreezeRisk,
    implied_p,
    optimise,
    optimise_cvar,
    optimise_mv,
    plain_mean_variance,
    rebalancing_path,
)
from geostress.run.reserves import implied_p_series, run_reserves, sales_entries, treasury_sales_schedule
from geostress.spec.reserves import ReserveSpec


@pytest.fixture(scope="module")
def china(store: Store) -> dict[str, object]:
    obs = cal.china_observed(store)
    yields = cal.monthly_yields(store)
    month = obs.index.max()
    profile = cal.CHINA
    w0 = cal.current_weights(profile, float(obs.loc[month, "ust_share"]), float(obs.loc[month, "gold_share"]))
    return {"assets": cal.asset_model(yields, month), "cons": cal.constraints_for(profile),
            "freeze": cal.freeze_for(profile, 0.0), "w0": w0, "obs": obs, "yields": yields}


@pytest.fixture(scope="module")
def result(store: Store):  # type: ignore[no-untyped-def]
    return run_reserves(ReserveSpec(holder="China", p=0.02), store)


def _toy(seed: int = 1) -> AssetModel:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(N_ASSETS, N_ASSETS)) * 0.03
    return AssetModel(rng.uniform(0.01, 0.06, N_ASSETS), a @ a.T + np.eye(N_ASSETS) * 1e-3)


def _loose() -> Constraints:
    return Constraints(np.zeros(N_ASSETS), np.ones(N_ASSETS))


# -- model ----------------------------------------------------------------------------------------------------
def _diversified() -> AssetModel:
    """A market whose unconstrained mean–variance optimum is long every asset."""
    rng = np.random.default_rng(7)
    vol = rng.uniform(0.05, 0.10, N_ASSETS)
    corr = np.full((N_ASSETS, N_ASSETS), 0.2) + 0.8 * np.eye(N_ASSETS)
    return AssetModel(rng.uniform(0.025, 0.035, N_ASSETS), corr * np.outer(vol, vol))


def test_p_zero_reproduces_plain_mean_variance() -> None:
    assets = _diversified()
    gamma = 60.0
    ref = plain_mean_variance(assets.mu, assets.cov, gamma)
    assert np.all(ref > 0) and np.all(ref < 1), "reference must be interior for the comparison"
    exposure = np.ones(N_ASSETS)
    for freeze in (FreezeRisk(0.0, 1.0, exposure), FreezeRisk(0.0, 0.0, exposure), FreezeRisk(0.3, 0.0, exposure)):
        sol = optimise_mv(assets, freeze, _loose(), risk_aversion=gamma)
        np.testing.assert_allclose(sol.weights, ref, atol=1e-5)


def test_freeze_adjusts_mean_and_covariance_as_a_bernoulli_jump() -> None:
    assets = _toy()
    e = np.linspace(0, 1, N_ASSETS)
    mu, cov = FreezeRisk(0.1, 0.5, e).adjust(assets)
    np.testing.assert_allclose(mu, assets.mu - 0.1 * 0.5 * e)
    np.testing.assert_allclose(cov - assets.cov, 0.1 * 0.9 * 0.25 * np.outer(e, e))


def test_weights_sum_to_one_and_respect_constraints(china: dict) -> None:  # type: ignore[type-arg]
    cons: Constraints = china["cons"]  # type: ignore[assignment]
    for p in (0.0, 0.005, 0.02, 0.2, 1.0):
        for method in ("mv", "cvar"):
            sol = optimise(china["assets"], china["freeze"].with_p(p), cons, method=method,  # type: ignore[attr-defined]
                           current=china["w0"], **({"scenarios": 1500} if method == "cvar" else {}))
            assert sol.weights.sum() == pytest.approx(1.0, abs=1e-9)
            assert cons.satisfied(sol.weights, tol=1e-6), (p, method, sol.as_dict())


@settings(max_examples=40, deadline=None)
@given(p1=st.floats(0.0, 0.3), p2=st.floats(0.0, 0.3), with_costs=st.booleans())
def test_higher_p_never_raises_treasury_weight(china: dict, p1: float, p2: float, with_costs: bool) -> None:  # type: ignore[type-arg]
    lo, hi = sorted((p1, p2))
    kwargs = {"risk_aversion": 8.0, "current": china["w0"] if with_costs else None}
    low = optimise_mv(china["assets"], china["freeze"].with_p(lo), china["cons"], **kwargs)  # type: ignore[attr-defined]
    high = optimise_mv(china["assets"], china["freeze"].with_p(hi), china["cons"], **kwargs)  # type: ignore[attr-defined]
    assert high.ust_share <= low.ust_share + 1e-5  # SLSQP solves to ≈1e-6


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), p1=st.floats(0.0, 0.5), p2=st.floats(0.0, 0.5))
def test_higher_p_never_raises_treasury_weight_random_markets(seed: int, p1: float, p2: float) -> None:
    """Same property on random markets where only Treasuries are exposed (the clean case)."""
    assets = _toy(seed)
    exposure = np.zeros(N_ASSETS)
    exposure[list(UST)] = 1.0
    cons = Constraints(np.zeros(N_ASSETS), np.full(N_ASSETS, 0.4))
    lo, hi = sorted((p1, p2))
    a = optimise_mv(assets, FreezeRisk(lo, 1.0, exposure), cons, risk_aversion=10.0)
    b = optimise_mv(assets, FreezeRisk(hi, 1.0, exposure), cons, risk_aversion=10.0)
    assert b.ust_share <= a.ust_share + 1e-6


def test_cvar_lower_tail_and_p_direction(china: dict) -> None:  # type: ignore[type-arg]
    a0 = optimise_cvar(china["assets"], china["freeze"].with_p(0.0), china["cons"], scenarios=2000)  # type: ignore[attr-defined]
    a1 = optimise_cvar(china["assets"], china["freeze"].with_p(0.05), china["cons"], scenarios=2000)  # type: ignore[attr-defined]
    assert a1.ust_share <= a0.ust_share + 1e-6
    assert a1.ust_share < 0.2  # a 5% annual freeze probability drives Treasuries toward their floor


def test_rebalancing_path_respects_pace_and_constraints(china: dict) -> None:  # type: ignore[type-arg]
    cons: Constraints = china["cons"]  # type: ignore[assignment]
    target = optimise_mv(china["assets"], china["freeze"].with_p(0.02), cons, current=china["w0"],  # type: ignore[attr-defined]
                         risk_aversion=8.0).weights
    path = rebalancing_path(china["w0"], target, 0.005)  # type: ignore[arg-type]
    np.testing.assert_allclose(path[0], china["w0"])  # type: ignore[arg-type]
    np.testing.assert_allclose(path[-1], target, atol=1e-12)
    turnover = np.maximum(-np.diff(path, axis=0), 0).sum(axis=1)
    assert np.all(turnover <= 0.005 + 1e-12)
    assert all(cons.satisfied(w) for w in path)
    assert rebalancing_path(target, target, 0.01).shape == (1, N_ASSETS)


def test_implied_p_inverts_the_model(china: dict) -> None:  # type: ignore[type-arg]
    assets, cons, freeze = china["assets"], china["cons"], china["freeze"]
    p_star = 0.004
    share = optimise_mv(assets, freeze.with_p(p_star), cons, risk_aversion=8.0).ust_share  # type: ignore[attr-defined]
    p, flag = implied_p(share, assets, freeze, cons, risk_aversion=8.0)  # type: ignore[arg-type]
    assert flag == "interior"
    again = optimise_mv(assets, freeze.with_p(p), cons, risk_aversion=8.0).ust_share  # type: ignore[attr-defined]
    assert again == pytest.approx(share, abs=1e-3)
    assert implied_p(0.99, assets, freeze, cons)[1] == "at_zero"  # type: ignore[arg-type]


# -- bad input ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("p", [-0.01, 1.01, float("nan")])
def test_p_outside_unit_interval_is_rejected(p: float) -> None:
    with pytest.raises(ScenarioError, match=r"p=.* must lie in \[0, 1\]"):
        FreezeRisk(p, 1.0, np.zeros(N_ASSETS))
    with pytest.raises(ScenarioError, match=r"p=.* must lie in \[0, 1\]"):
        ReserveSpec(p=p)


def test_non_psd_covariance_is_rejected() -> None:
    cov = np.eye(N_ASSETS) * 0.01
    cov[0, 1] = cov[1, 0] = 0.05  # |corr| > 1
    with pytest.raises(ScenarioError, match="not positive semi-definite"):
        AssetModel(np.zeros(N_ASSETS), cov)
    with pytest.raises(ScenarioError, match="not symmetric"):
        AssetModel(np.zeros(N_ASSETS), np.triu(np.ones((N_ASSETS, N_ASSETS))))


def test_infeasible_constraints_say_which() -> None:
    with pytest.raises(ScenarioError, match="lower bounds sum to"):
        Constraints(np.full(N_ASSETS, 0.2), np.ones(N_ASSETS))
    with pytest.raises(ScenarioError, match="upper bounds sum to"):
        Constraints(np.zeros(N_ASSETS), np.full(N_ASSETS, 0.05))
    liq = np.zeros(N_ASSETS)
    liq[0] = 1.0
    with pytest.raises(ScenarioError, match="min_liquidity=0.9 exceeds"):
        Constraints(np.zeros(N_ASSETS), np.full(N_ASSETS, 0.5), liq, 0.9)
    with pytest.raises(ScenarioError, match="ust_bills"):
        Constraints(np.full(N_ASSETS, 0.5) * np.eye(N_ASSETS)[0], np.zeros(N_ASSETS) + 0.2)


def test_unknown_holder_and_method() -> None:
    with pytest.raises(ScenarioError, match="available: China"):
        cal.holder_profile("Japan")
    with pytest.raises(ScenarioError, match="'mv' or 'cvar'"):
        ReserveSpec(method="lp")


# -- calibration and the inverse problem from the store --------------------------------------------------------
def test_china_observed_inputs_match_published_figures(store: Store) -> None:
    obs = cal.china_observed(store)
    assert obs.index.min().strftime("%Y-%m") == "2013-01"
    assert obs.loc["2013-11-30", "ust_bn"] == pytest.approx(1316.7)
    assert obs.loc["2024-11-30", "ust_bn"] == pytest.approx(768.6)
    assert obs["ust_share"].iloc[-12:].mean() < obs["ust_share"].iloc[:12].mean()
    assert obs["gold_moz"].iloc[-1] > 2 * obs["gold_moz"].iloc[0]


def test_asset_model_is_psd_and_uses_the_curve(china: dict) -> None:  # type: ignore[type-arg]
    assets: AssetModel = china["assets"]  # type: ignore[assignment]
    assert np.linalg.eigvalsh(assets.cov).min() > -1e-12
    yields = china["yields"]
    assert assets.mu[ASSETS.index("ust_10y")] == pytest.approx(float(yields.loc["2024-11-30", "ust_10y"]))  # type: ignore[index]
    vol = np.sqrt(np.diag(assets.cov))
    assert vol[ASSETS.index("ust_bills")] < vol[ASSETS.index("ust_10y")] < vol[ASSETS.index("ust_30y")]


def test_implied_p_series_is_reproducible_and_rising(store: Store) -> None:
    a = implied_p_series(store)
    b = implied_p_series(Store(store.home))
    assert a.equals(b)
    assert (a["flag"] == "interior").all()
    assert a.index.min().strftime("%Y-%m") == "2013-01" and a.index.max().strftime("%Y-%m") == "2024-11"
    assert a["p"].iloc[-12:].mean() > a["p"].iloc[:12].mean()
    # pinned values (regression): change them only with a documented change of assumptions
    assert a.loc["2013-01-31", "p"] == pytest.approx(0.00565, abs=2e-4)
    assert a.loc["2024-11-30", "p"] == pytest.approx(0.0111, abs=5e-4)


# -- orchestration, sales and the command ----------------------------------------------------------------------
def test_run_reserves_result_and_sales(result) -> None:  # type: ignore[no-untyped-def]
    assert sum(result.weights.values()) == pytest.approx(1.0, abs=1e-5)
    assert result.ust_share < result.current_ust_share
    shares = [sum(v for k, v in w.items() if k.startswith("ust_")) for w in result.weights_by_p.values()]
    assert all(b <= a + 1e-6 for a, b in zip(shares, shares[1:], strict=False))
    sales = treasury_sales_schedule(result)
    assert len(sales) == len(result.path) - 1
    total = (result.current_ust_share - result.ust_share) * result.total_bn
    assert sum(a for _, a in sales) == pytest.approx(total, rel=1e-3)
    entries = sales_entries(result)
    assert entries[0]["holder"] == "china_mainland_official" and entries[0]["start_month"] == 1
    assert sum(e["amount_bn"] for e in entries) == pytest.approx(total, rel=1e-3)
    from geostress.spec.scenario import Sale

    for e in entries:
        Sale(**e)  # valid scenario [[sales]] entries


def _app() -> typer.Typer:
    from geostress.cli.reserves import register

    app = typer.Typer()
    register(app)

    @app.command("noop")
    def noop() -> None:  # a second command keeps typer from collapsing the app into one command
        pass

    return app


def test_cli_json(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GEOSTRESS_HOME", str(tmp_path))
    out = CliRunner().invoke(_app(), ["reserves", "--holder", "China", "--p", "0.02", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert set(data["weights"]) == set(ASSETS)
    assert sum(data["weights"].values()) == pytest.approx(1.0, abs=1e-5)
    assert 0.0 <= data["ust_share"] <= 1.0
    assert list(data["path"])[0] == data["as_of"] and len(data["implied_p"]) > 100
    assert all(0.0 <= v <= 1.0 for v in data["implied_p"].values())


def test_cli_text_and_errors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GEOSTRESS_HOME", str(tmp_path))
    runner = CliRunner()
    out = runner.invoke(_app(), ["reserves", "--p", "0.01"])
    assert out.exit_code == 0 and "Implied annual freeze probability" in out.stdout
    # the path's sales column adds the months since the row above: it sums to the net sales the line above states
    text = " ".join(runner.invoke(_app(), ["reserves", "--p", "0.02"]).stdout.split())
    net = float(re.search(r"net Treasury sales \$([\d,]+)bn", text).group(1).replace(",", ""))
    path = text.split("purchases below 0)")[1].split("Treasury sales along the path")[0]
    column = [float(x) for x in re.findall(r"\d{4}-\d\d [\d.]+% [\d.]+% [\d.]+% (-?[\d,]*\d\.\d)\b", path)]
    assert len(column) >= 2 and sum(column) == pytest.approx(net, abs=0.5 + 0.05 * len(column)), (column, net)
    bad = runner.invoke(_app(), ["reserves", "--p", "1.5"])
    assert bad.exit_code == 2 and "must lie in [0, 1]" in bad.output  # an option out of range: a usage error
    buys = " ".join(runner.invoke(_app(), ["reserves", "--p", "0"]).stdout.split())  # no freeze risk: it buys
    assert "net Treasury purchases $" in buys and "$-" not in buys  # was "net Treasury sales $-1,310bn"


def test_gold_valued_at_the_world_bank_monthly_price(geostress_home: Path) -> None:
    """Issue 16: gold at the World Bank Pink Sheet monthly average, not a recalled annual table.

    Pins (official files in the snapshot): World Bank gold Nov-2024 $2,651/oz; WGC/IMF IFS China 2,264.32 t
    (Sep-2024) and 2,279.56 t (Dec-2024), interpolated in time to Nov-2024; FRED TRESEGCNM052N Nov-2024
    $3,328.994bn; TIC China, Mainland Nov-2024 $768.6bn.
    """
    store = Store()
    price = cal.gold_price_monthly(store)
    assert price["2024-11-30"] == pytest.approx(2651.0)
    assert price["2025-06-30"] > 0 and price.index.is_monotonic_increasing
    obs = cal.china_observed(store).loc["2024-11-30"]
    tonnes = 2264.32 + (2279.56 - 2264.32) * 61 / 92  # 30 Sep → 30 Nov over 30 Sep → 31 Dec
    moz = tonnes * cal.TROY_OZ_PER_TONNE / 1e6
    assert obs["gold_moz"] == pytest.approx(moz, rel=1e-9)
    assert obs["gold_price"] == pytest.approx(2651.0)
    assert obs["gold_bn"] == pytest.approx(moz * 2651.0 / 1000, rel=1e-9)
    total = 3328.994428 + moz * 2651.0 / 1000
    assert obs["total_bn"] == pytest.approx(total, rel=1e-6)
    assert obs["gold_share"] == pytest.approx(0.0550, abs=5e-4)  # 5.5% of reserves by value
    assert obs["ust_share"] == pytest.approx(768.6 / total, rel=1e-6)
    # the annual table this replaced put gold at $2,386/oz for every month of 2024: 5.0%, and $3,503bn in all
    old_gold_bn = moz * 2386.20 / 1000
    assert old_gold_bn / (3328.994428 + old_gold_bn) == pytest.approx(0.0498, abs=5e-4)


def test_gold_price_missing_is_a_data_error(tmp_path: Path) -> None:
    from geostress.errors import DataError

    with pytest.raises(DataError, match="worldbank.gold"):
        cal.gold_price_monthly(Store(tmp_path, include_snapshot=False))


# -- inputs a tester tried (docs/reserves.md, "Inputs refused") --------------------------------------------------
@pytest.mark.parametrize("pace", ["1e-7", "1e-9", "0.0009"])
def test_cli_a_pace_below_the_slowest_is_refused_naming_pace(pace: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """``--pace 1e-7`` was an internal error (a path of ten million months overflowed the calendar) and ``1e-9``
    said "out of memory; ask for fewer paths (--paths), draws (--draws)", options the command does not have."""
    monkeypatch.setenv("GEOSTRESS_HOME", str(tmp_path))
    out = CliRunner().invoke(_app(), ["reserves", "--pace", pace])
    assert out.exit_code == 2, out.output  # an option out of range: a usage error (docs/cli.md)
    assert "--pace=" in out.output and "must lie in [0.001, 1]" in out.output, out.output
    assert "memory" not in out.output and "internal error" not in out.output


def test_the_slowest_pace_bounds_the_path(store: Store) -> None:
    from geostress.spec.reserves import MAX_PATH_MONTHS, MIN_PACE

    result = run_reserves(ReserveSpec(max_pace=MIN_PACE), store)
    assert 1 < len(result.path) <= MAX_PATH_MONTHS + 1
    with pytest.raises(ScenarioError, match=r"^reserves: max_pace=0\.0005 must lie in \[0\.001, 1\]"):
        ReserveSpec(max_pace=0.0005)


def test_cli_a_huge_risk_aversion_solves_as_minimum_variance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             china: dict) -> None:  # type: ignore[type-arg]
    """``--risk-aversion 1e9`` stopped on SLSQP's "Inequality constraints incompatible": the objective is now
    divided by γ/100 above 100, so any γ solves, tending to the minimum-variance portfolio."""
    monkeypatch.setenv("GEOSTRESS_HOME", str(tmp_path))
    out = CliRunner().invoke(_app(), ["reserves", "--risk-aversion", "1e9", "--json"])
    assert out.exit_code == 0, out.output
    assert sum(json.loads(out.stdout)["weights"].values()) == pytest.approx(1.0, abs=1e-5)
    freeze = cal.freeze_for(cal.CHINA, 0.02)
    big = [optimise_mv(china["assets"], freeze, china["cons"], risk_aversion=g, current=china["w0"]).weights
           for g in (1e6, 1e9, 1e12, 1e300)]
    for w in big:
        assert china["cons"].satisfied(w)
        np.testing.assert_allclose(w, big[-1], atol=1e-3)
    bad = CliRunner().invoke(_app(), ["reserves", "--risk-aversion", "-1"])
    assert bad.exit_code == 2 and "--risk-aversion=-1 must be a positive number" in bad.output, bad.output


def test_an_as_of_that_is_not_a_month_or_has_no_data_names_the_field(store: Store) -> None:
    from geostress.run.reserves import SCENARIO_NAMES

    with pytest.raises(ScenarioError, match=r"^reserves\.as_of='2013-13' is not a month: give YYYY-MM"):
        ReserveSpec(as_of="2013-13", names=SCENARIO_NAMES)
    assert ReserveSpec(as_of="2020-1").as_of == "2020-01"
    with pytest.raises(ScenarioError, match=r"^reserves\.as_of=1990-01 has no data: give a month from 2013-01 to"):
        run_reserves(ReserveSpec(as_of="1990-01", names=SCENARIO_NAMES), store)
