"""Rare-earth network: mass balance, base-year shares, mandate properties, lead times and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from geostress.spec.presets import PRESETS_DIR
from geostress.calibrate.minerals import build_network
from geostress.errors import ScenarioError
from geostress.run.minerals import run_minerals
from geostress.spec.minerals import load_minerals_spec, parse_minerals_spec
from geostress.model import minerals as m

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def calib():  # type: ignore[no-untyped-def]
    return build_network()


def _policy(share: float, regions: tuple[str, ...] = ("US",)) -> m.Policy:
    covered = np.zeros((len(m.REGIONS), len(m.SECTORS)), dtype=bool)
    for r in regions:
        covered[m.REGIONS.index(r)] = True
    return m.Policy(covered, ((0.0, share),))


def test_base_year_reproduces_stage_shares(calib) -> None:  # type: ignore[no-untyped-def]
    run = m.simulate(calib.network, m.no_mandate(), steps=4, step_days=7)
    assert abs(m.stage_china_share(calib.network, run, "mining") - 0.69) <= 0.02
    assert abs(m.stage_china_share(calib.network, run, "separation") - 0.91) <= 0.02
    assert abs(m.stage_china_share(calib.network, run, "magnet", 0, ("ndpr", "dytb")) - 0.94) <= 0.02


def test_mining_calibrated_from_store(calib) -> None:  # type: ignore[no-untyped-def]
    """Default base year 2025 (USGS MCS 2026): China 270 kt, US 51 kt, Australia 29 kt, Burma 22 kt REO."""
    assert calib.base_year == 2025 and calib.read_as_of is None
    assert calib.mining_by_country_t["mine.china"] == 270_000.0
    assert calib.mining_by_country_t["mine.united_states"] == 51_000.0
    assert calib.mining_by_country_t["mine.australia"] == 29_000.0
    assert calib.mining_by_country_t["mine.burma"] == 22_000.0
    assert calib.mining_by_country_t["mine.africa_asean"] == 1_500.0 + 4_800.0  # Nigeria + Thailand 2025


def test_base_2025_prices_reserves_and_imports(calib) -> None:  # type: ignore[no-untyped-def]
    # MCS 2026: NdPr oxide 92, 124, 75, 55, 69 USD/kg (2021–25); Ce oxide 1.71 (2025); Dy/Tb from its "Rare Earths
    # (Heavy)" chapter, 2025: Dy 239, Tb 1,010, weighted 0.8/0.2 = 393.2
    assert calib.ndpr_price_history == {2021: 92.0, 2022: 124.0, 2023: 75.0, 2024: 55.0, 2025: 69.0}
    np.testing.assert_allclose(calib.base_price, [69.0, 0.8 * 239 + 0.2 * 1010, 10.0, 1.71])
    assert "(2025)" in calib.price_sources["dytb"] and "neodymium_praseodymium" in calib.price_sources["ndpr"]
    # MCS 2026 v1.3 (27 May 2026): Brazil's reserves 21 → 11 Mt, world >85 → >75 Mt
    assert calib.reserves_t["brazil"] == 11_000_000.0 and calib.reserves_t["world"] == 75_000_000.0
    # US stock origin = China's share of US imports of compounds and metals, 2021–24 (MCS 2026): 71%
    assert calib.stock_china_origin == {"US": 0.71, "Japan": 0.8}
    # USITC DataWeb 2025, USD mn: magnets (HTS 8505) China 418.2 of 702.2 over the 18 partners; compounds (2846)
    # China 100.7 of 155.9
    mags = calib.us_imports_usd_mn["magnets"]
    assert mags["china"] == pytest.approx(418.2, abs=0.05) and mags["partners18"] == pytest.approx(702.2, abs=0.05)
    assert mags["china_share"] == pytest.approx(418.2 / 702.2, abs=1e-3)
    assert calib.us_imports_usd_mn["compounds"]["china"] == pytest.approx(100.7, abs=0.05)


def test_base_2024_is_kept_as_a_vintage() -> None:
    """The 2024 base reads what MCS 2025 printed (before MCS 2026 revised 2024), by base_year or by as_of."""
    from datetime import date

    old = build_network(base_year=2024)
    assert old.base_year == 2024 and old.read_as_of == date(2026, 2, 5)
    # MCS 2025: US 45 kt, Australia 13 kt, Nigeria 13 + Thailand 13 kt (MCS 2026 revised them to 45.5, 29, 1.5, 2.1)
    assert old.mining_by_country_t["mine.united_states"] == 45_000.0
    assert old.mining_by_country_t["mine.australia"] == 13_000.0
    assert old.mining_by_country_t["mine.africa_asean"] == 26_000.0
    np.testing.assert_allclose(old.base_price, [56.0, 370.0, 10.0, 1.0])  # MCS 2025 2024 prices: Nd oxide 56
    assert old.reserves_t["brazil"] == 21_000_000.0 and old.stock_china_origin["US"] == 0.70  # 2020–23
    assert old.us_imports_usd_mn == {}  # the USITC extract (2026-07-10) was not yet released
    assert build_network(as_of=date(2025, 6, 30)).base_year == 2024
    mid = build_network(as_of=date(2026, 3, 1))
    assert mid.base_year == 2025 and mid.reserves_t["brazil"] == 21_000_000.0  # before the v1.3 revision
    with pytest.raises(ScenarioError, match="base_year"):
        build_network(base_year=2023)
    with pytest.raises(ScenarioError, match="no base year"):
        build_network(as_of=date(2024, 12, 31))


def test_mass_balance_every_node_and_step(calib) -> None:  # type: ignore[no-untyped-def]
    spec = load_minerals_spec(PRESETS_DIR / "minerals-us-mandate-controls-stockpile.toml")
    res = run_minerals(spec.model_copy(update={"scenario": spec.scenario.model_copy(update={"step": "month"})}))
    run = res.run
    scale = run.demand.sum(axis=(1, 2, 3)).max()
    assert m.mass_balance_residual(calib.network, run) <= 1e-7 * scale
    assert np.all(run.delivered <= run.demand * (1 + 1e-9) + 1e-9)
    assert np.all(run.node_output.sum(axis=3) <= run.capacity * (1 + 1e-9) + 1e-6)
    assert np.all(run.stock >= 0)


def test_full_china_share_equals_unconstrained(calib) -> None:  # type: ignore[no-untyped-def]
    free = m.simulate(calib.network, m.no_mandate(), steps=24, step_days=365.25 / 12)
    allowed = m.simulate(calib.network, _policy(1.0), steps=24, step_days=365.25 / 12)
    # priority-weighted met demand (the LP objective) and met demand by step and element; the split of a tie
    # across buyers is one optimum among several, so cells are not compared
    w = m.no_mandate().priority
    np.testing.assert_allclose((free.delivered.sum(axis=(1, 3)) * w).sum(1), (allowed.delivered.sum(axis=(1, 3)) * w).sum(1),
                               rtol=1e-8)
    np.testing.assert_allclose(free.delivered.sum(axis=(1, 2)), allowed.delivered.sum(axis=(1, 2)), rtol=1e-8, atol=1e-6)


@pytest.mark.parametrize("regions", [("US",), ("US", "Germany", "France", "Japan", "other_G7")])
def test_stricter_mandate_never_raises_met_demand(calib, regions) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(7)
    shares = np.sort(rng.uniform(0, 1, 5))[::-1]  # loosest first
    prio = calib.network  # priority-weighted met demand is the LP objective
    met = []
    for a in np.concatenate([[1.0], shares, [0.0]]):
        run = m.simulate(prio, _policy(float(a), regions), steps=12, step_days=365.25 / 12)
        met.append(float((run.delivered.sum(axis=(0, 1, 3)) * _policy(1.0).priority).sum()))
    assert all(b <= a * (1 + 1e-9) + 1e-6 for a, b in zip(met, met[1:]))
    assert met[-1] < met[0]  # full decoupling does cost something


def test_capacity_not_before_earliest_lead_time(calib) -> None:  # type: ignore[no-untyped-def]
    net = calib.network
    months = np.arange(0, 60, 0.25)
    rng = np.random.default_rng(1)
    shift = {p.id: 120.0 for p in net.projects}  # absurd acceleration is clipped at the earliest month
    for online in m.draw_online_months(net.projects, 200, rng, shift):
        base = m.capacity_path(net, months, np.full(len(net.projects), np.inf))
        cap = m.capacity_path(net, months, online)
        for j, p in enumerate(net.projects):
            assert online[j] >= p.earliest_month
            i = net.node_ids.index(p.node)
            early = months < p.earliest_month
            others = [k for k, q in enumerate(net.projects) if q.node == p.node and k != j]
            if not others:
                np.testing.assert_allclose(cap[early, i], base[early, i])


def test_new_plant_respects_lead_time() -> None:
    spec = parse_minerals_spec({
        "scenario": {"years": 1, "step": "month"},
        "new_plants": [{"id": "mag.new_us", "stage": "magnet", "country": "United States",
                        "capacity": [1000, 50, 0, 0], "lead_time_months": [30, 36, 48]}],
    })
    res = run_minerals(spec)
    i = res.run.node_ids.index("mag.new_us")
    assert res.run.capacity[:, i].sum() == 0.0


def test_shipped_scenarios_run_and_json_keys() -> None:
    files = sorted((PRESETS_DIR).glob("minerals-*.toml"))
    assert len(files) >= 5
    spec = load_minerals_spec(PRESETS_DIR / "minerals-us-mandate.toml")
    s = run_minerals(spec).summary
    for key in ("china_free_share_day180", "mandate_met", "compliance_month_by_sector", "shortfall_by_sector_t",
                "binding_nodes", "base_year_china_share", "subsidy_cost_usd"):
        assert key in s
    assert 0.0 <= s["china_free_share_day180"] <= 1.0
    assert set(s["base_year_china_share"]) == {"mining", "separation", "magnets"}
    json.dumps(s)


def test_monte_carlo_bands() -> None:
    spec = load_minerals_spec(PRESETS_DIR / "minerals-us-mandate.toml")
    spec = spec.model_copy(update={"scenario": spec.scenario.model_copy(update={"years": 2}),
                                   "monte_carlo": spec.monte_carlo.model_copy(update={"workers": 1})})
    from geostress.run.minerals import monte_carlo

    out = monte_carlo(spec, draws=6)
    band = out["china_free_share_day180"]
    assert band["p10"] <= band["p50"] <= band["p90"]


# ---- bad input ------------------------------------------------------------------------------------------------
def _node(nid: str, stage: str, cap: float = 1.0, feeds: tuple[str, ...] | None = None, **kw) -> m.Node:  # type: ignore[no-untyped-def]
    return m.Node(nid, stage, "Japan", np.full(4, cap), feeds=feeds, **kw)


def _net(nodes: list[m.Node]) -> m.Network:
    return m.Network(tuple(nodes), (), np.ones((len(m.REGIONS), len(m.SECTORS), 4)))


def _chain() -> list[m.Node]:
    return [_node("a", "mining"), _node("b", "separation"), _node("c", "metal"), _node("d", "magnet")]


def test_chain_is_valid() -> None:
    _net(_chain())


def test_negative_capacity_names_node() -> None:
    with pytest.raises(ScenarioError, match="node 'x'.*negative"):
        _node("x", "mining", cap=-1.0)


def test_unknown_node_and_element() -> None:
    nodes = _chain()
    nodes[0] = _node("a", "mining", feeds=("nowhere",))
    with pytest.raises(ScenarioError, match="unknown node 'nowhere'"):
        _net(nodes)
    with pytest.raises(ScenarioError, match="unknown element 'unobtainium'"):
        m.ExportControl(("unobtainium",), ("US",))
    with pytest.raises(ScenarioError, match="unknown elements"):
        parse_minerals_spec({"export_controls": [{"elements": ["Nd"]}]})
    with pytest.raises(ScenarioError, match="unknown stage"):
        _node("z", "smelting")


def test_cycle_and_orphan() -> None:
    nodes = _chain()
    nodes[2] = _node("c", "metal", feeds=("b",))  # metal feeds back into separation
    with pytest.raises(ScenarioError, match="cycle"):
        _net(nodes)
    with pytest.raises(ScenarioError, match="node 'e': orphan"):
        _net(_chain() + [_node("e", "metal", from_market=False)])


def test_mandate_share_outside_unit_interval() -> None:
    with pytest.raises(ScenarioError, match=r"mandate\.schedule.*outside \[0, 1\]"):
        parse_minerals_spec({"mandate": {"regions": ["US"], "schedule": [[180, 1.5]]}})
    with pytest.raises(ScenarioError, match="share -0.1"):
        m.Policy(np.zeros((len(m.REGIONS), len(m.SECTORS)), bool), ((6.0, -0.1),))
    with pytest.raises(ScenarioError, match="unknown regions"):
        parse_minerals_spec({"mandate": {"regions": ["Atlantis"]}})
    with pytest.raises(ScenarioError, match="(?i)extra inputs"):
        parse_minerals_spec({"mandate": {"regions": ["US"], "shares": 1}})


def test_checks_register() -> None:
    import geostress.validate.minerals  # noqa: F401
    from geostress.validate import run_all

    rows = run_all(ids=["usgs_china_mining_share_2024", "usgs_china_mining_share_2025",
                        "usgs_china_mining_share_2025_store", "iea_china_separation_share", "china_magnet_share"])
    assert len(rows) == 5 and all(r["passed"] for r in rows)


def test_the_documented_linprog_route_gives_the_same_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    """The warm-started HiGHS object is an optimisation over SciPy internals; linprog(method="highs") must agree."""
    import geostress.model.minerals as mm

    spec = load_minerals_spec(PRESETS_DIR / "minerals-us-mandate.toml")
    fast = run_minerals(spec).summary
    monkeypatch.setattr(mm, "_highs_core", None)
    plain = run_minerals(spec).summary
    assert plain["china_free_share_day180"] == pytest.approx(fast["china_free_share_day180"], abs=1e-6)
    assert plain["mandate_met"] == fast["mandate_met"]


# ---- China-free price: it prices covered buyers' unmet China-free requirement -----------------------------------
def _two_years(**sections) -> dict:  # type: ignore[no-untyped-def]
    return {"scenario": {"name": "t", "years": 2, "step": "month"}, **sections}


def test_china_free_price_has_no_premium_when_nothing_is_required() -> None:
    """A mandate that allows 100% China-origin requires nothing China-free: no premium over the world price (was 10×
    cap, 690). (The China-free price is the world price then — it was p0 before it was floored at the world price,
    tests/test_minerals_review.py.)"""
    lax = run_minerals(parse_minerals_spec(_two_years(mandate={"regions": ["US"], "schedule": [[180, 1.0]]}))).summary
    none = run_minerals(parse_minerals_spec(_two_years(mandate={"regions": []}))).summary
    for e, path in lax["price_usd_kg_china_free"].items():
        assert path == lax["price_usd_kg_global"][e]
        assert path == none["price_usd_kg_china_free"][e]
    assert sum(lax["covered_shortfall_by_sector_t"].values()) == 0.0


def test_china_free_price_before_and_after_the_mandate_applies() -> None:
    """Before day 180 nothing is required (base price); after it the price follows the unmet requirement share."""
    from geostress.run.minerals import china_free_requirement

    spec = load_minerals_spec(PRESETS_DIR / "minerals-us-mandate.toml")
    res = run_minerals(spec.model_copy(update={"scenario": spec.scenario.model_copy(update={"step": "month"})}))
    s, run = res.summary, res.run
    free, world = s["price_usd_kg_china_free"]["ndpr"], s["price_usd_kg_global"]["ndpr"]
    assert free[:6] == world[:6]  # months 1–6 start before day 180 (month 5.9): the world price, no premium
    need, unmet = china_free_requirement(run)
    assert need[:6].sum() == 0.0 and need[6:].sum() > 0
    k = m.ELEMENTS.index("ndpr")
    for t in (6, 12, 30):  # monthly steps: step t is month t + 1
        share = unmet[t, ..., k].sum() / need[t, ..., k].sum()
        expected = max(min(69.0 * (1.0 - share) ** (-1.0 / 0.3), 690.0), world[t])  # never below the world price
        assert free[t] == pytest.approx(expected, abs=0.006)
    assert max(free) < 690.0  # US covered buyers are never more than half short of China-free NdPr here


# ---- LP degeneracy: covered buyers first among equally weighted buyers ------------------------------------------
def _controls_spec(licensed: float) -> dict:  # type: ignore[no-untyped-def]
    return _two_years(mandate={"regions": ["US"], "schedule": [[180, 0.0]]},
                      export_controls=[{"elements": ["dytb", "smy", "ndpr"], "magnets": True,
                                        "licensed_share": licensed}])


def test_covered_shortfall_falls_as_more_exports_are_licensed() -> None:
    """Licensing more of China's exports never leaves covered buyers shorter (was 21,280, 20,741, 21,363 t: the
    split of a shortage between covered and other buyers was one optimum among many)."""
    covered, weighted = [], []
    for licensed in (0.0, 0.25, 0.5, 1.0):
        res = run_minerals(parse_minerals_spec(_controls_spec(licensed)))
        covered.append(sum(res.summary["covered_shortfall_by_sector_t"].values()))
        weighted.append(float((res.run.delivered.sum(axis=(1, 3)) * _priority()).sum()))
    assert all(b <= a + 0.05 for a, b in zip(covered, covered[1:])), covered
    assert all(b >= a for a, b in zip(weighted, weighted[1:]))


def _priority() -> np.ndarray:
    from geostress.calibrate.minerals import load_facts

    w = load_facts()["priority"]["weights"]
    return np.array([w[s] for s in m.SECTORS])


def test_the_tie_break_keeps_the_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    """The covered-first tie-break only chooses among optima: priority-weighted met demand is unchanged."""
    import geostress.model.minerals as mm

    spec = parse_minerals_spec(_controls_spec(0.25))
    with_tb = run_minerals(spec).run
    monkeypatch.setattr(mm, "COVERED_BONUS", 0.0)
    without = run_minerals(spec).run
    w = _priority()
    np.testing.assert_allclose((with_tb.delivered.sum(axis=(1, 3)) * w).sum(1),
                               (without.delivered.sum(axis=(1, 3)) * w).sum(1), rtol=1e-9)


def test_verdict_does_not_depend_on_the_solver_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Warm-started HiGHS and cold linprog pick the same optimum for the headline figures (they did not: day-180
    share 66.0% vs 70.3% on this preset, as the LP is degenerate without the tie-break)."""
    import geostress.model.minerals as mm

    spec = load_minerals_spec(PRESETS_DIR / "minerals-us-mandate-export-controls.toml")
    spec = spec.model_copy(update={"scenario": spec.scenario.model_copy(update={"step": "month"})})
    fast = run_minerals(spec).summary
    monkeypatch.setattr(mm, "_highs_core", None)
    cold = run_minerals(spec).summary
    assert cold["china_free_share_day180"] == fast["china_free_share_day180"]
    assert cold["compliance_month_by_sector"] == fast["compliance_month_by_sector"]
    for sector, tonnes in fast["covered_shortfall_by_sector_t"].items():
        assert cold["covered_shortfall_by_sector_t"][sector] == pytest.approx(tonnes, abs=0.2)


def test_the_text_shows_the_draws_ranges_beside_the_nominal_figures(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """With --draws the text had printed only the nominal-date figures (79.5%), which lie above the draws' p90
    (delays only make projects late): it now shows the p10–p90 share and compliance months and says why."""
    from typer.testing import CliRunner

    from geostress.cli import app
    from geostress.cli.minerals import compliance_band, draws_spread

    assert draws_spread(None) is None and draws_spread({"draws": 0}) is None
    row = draws_spread({"draws": 40, "china_free_share_day180": {"p10": 0.7643, "p50": 0.77, "p90": 0.7912}})
    assert row == ("  with 40 draws of project delays, p10–p90", "76.4%–79.1%")
    assert compliance_band({"p10": 21.0, "p50": 27.5, "p90": 32.6, "p_compliant_in_horizon": 1.0}) == "21–33"
    assert compliance_band({"p10": 1.0, "p90": 1.0, "p_compliant_in_horizon": 1.0}) == "1"
    assert compliance_band({"p10": None, "p90": None, "p_compliant_in_horizon": 0.0}) == "never"
    assert compliance_band({"p10": 30.0, "p90": 58.0, "p_compliant_in_horizon": 0.8}) == "30–58 (80% of draws)"
    monkeypatch.setenv("GEOSTRESS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "120")
    out = CliRunner().invoke(app, ["minerals", "minerals-us-mandate", "--draws", "4", "--out", str(tmp_path / "m")])
    assert out.exit_code == 0, out.output
    assert "with 4 draws of project delays, seed 20251001, p10–p90" in out.output  # the draws' seed is printed
    assert "delays p10–p90" in out.output
    assert "optimistic end" in out.output
