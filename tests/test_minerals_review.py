"""Policy review of ``geostress minerals`` and ``geostress reserves``: one test (or more) per fixed item.

Items as numbered in the review: 2 zero price floor, 5 CVaR by-p columns, 4 delays of projects already running and
the draws' step, 3 China-free price ≥ world price, 10 a plant not yet built is not binding, 11 the docs' Python
example, 12a unknown ``[acceleration]`` projects refused when read, 1 and 8 honest docs figures. Runs are
deterministic, short (monthly steps, ≤ 2 years where the item allows) and use few draws.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from geostress.errors import ScenarioError
from geostress.model import minerals as m
from geostress.run.minerals import _day180_step, monte_carlo, run_minerals
from geostress.spec.minerals import load_minerals_spec, parse_minerals_spec

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "minerals.md"


def _spec(years: int = 2, step: str = "month", **sections: Any):  # type: ignore[no-untyped-def]
    data = {"scenario": {"name": "review", "years": years, "step": step},
            "mandate": {"regions": ["US"], "schedule": [[180, 0.0]]}, **sections}
    return parse_minerals_spec(data)


# -- 2. a floor of 0 is a floor of zero, not "unset" ------------------------------------------------------------------
def test_zero_price_floor_pays_nothing_and_only_a_missing_floor_takes_the_default() -> None:
    zero = run_minerals(_spec(price_floor={"enabled": True, "usd_per_kg": 0})).summary
    default = run_minerals(_spec(price_floor={"enabled": True})).summary
    explicit = run_minerals(_spec(price_floor={"enabled": True, "usd_per_kg": 110})).summary
    assert zero["subsidy_cost_usd"] == 0.0  # was the 110 USD/kg default's cost (`0 or 110`)
    assert default["subsidy_cost_usd"] > 0.0
    assert default["subsidy_cost_usd"] == explicit["subsidy_cost_usd"]


# -- 5. reserves --method cvar: the by-p columns use CVaR too ---------------------------------------------------------
def test_cvar_run_uses_cvar_for_the_weights_at_each_p(store) -> None:  # type: ignore[no-untyped-def]
    from geostress.run.reserves import run_reserves
    from geostress.spec.reserves import ReserveSpec

    res = run_reserves(ReserveSpec(method="cvar", p=0.0, p_grid=(0.0,)), store)
    # the p = 0 column is the CVaR target at p = 0 (it was the mean–variance optimum: 59.0% Treasuries vs 60.2%)
    assert res.weights_by_p[0.0] == res.weights
    assert res.to_json()["ust_share_by_p"]["0"] == pytest.approx(res.ust_share, abs=1e-9)


# -- 4. Monte Carlo: projects already running are never delayed; the bands bracket the nominal figures -------------
def test_a_project_already_running_at_the_start_is_never_delayed() -> None:
    cap = np.array([100.0, 0.0, 0.0, 0.0])
    running = m.Project("running", "n", cap, online_month=-5.0, earliest_month=-5.0, p_late=1.0)
    starting = m.Project("starting", "n", cap, online_month=0.0, earliest_month=0.0, p_late=1.0)
    future = m.Project("future", "n", cap, online_month=6.0, earliest_month=3.0, p_late=1.0,
                       delay_months=(2.0, 3.0, 12.0))
    out = m.draw_online_months((running, starting, future), 200, np.random.default_rng(1))
    assert np.all(out[:, 0] == -5.0) and np.all(out[:, 1] == 0.0)  # were delayed 3–24 months (p_late = 1)
    assert np.all(out[:, 2] >= 8.0)  # a project not yet online is still late when drawn late


def test_facts_projects_online_before_the_start_keep_their_dates_in_every_draw() -> None:
    from geostress.calibrate.minerals import build_network

    projects = build_network().network.projects
    done = [j for j, p in enumerate(projects) if p.online_month <= 0]
    assert {projects[j].id for j in done} >= {"lynas_heavy_re", "neo_narva_phase1"}
    out = m.draw_online_months(projects, 100, np.random.default_rng(2))
    nominal = m.nominal_online_months(projects)
    assert np.all(out[:, done] == nominal[done])
    assert (out > nominal + 1e-9).any()  # the projects still to come are delayed in some draws


def test_bands_bracket_the_nominal_figures_on_the_draws_step() -> None:
    spec = load_minerals_spec("minerals-us-mandate")
    spec = spec.model_copy(update={
        "scenario": spec.scenario.model_copy(update={"years": 2, "step": "week"}),
        "monte_carlo": spec.monte_carlo.model_copy(update={"workers": 1})})
    u = monte_carlo(spec, None, draws=12)
    assert u["step"] == "month"
    nominal = u["nominal"]
    share = u["china_free_share_day180"]
    # draws only delay projects not yet running, so the nominal day-180 share is the band's top (it was above p90)
    assert share["p90"] <= nominal["china_free_share_day180"] + 1e-4
    for sector, band in u["compliance_month_by_sector"].items():
        month = nominal["compliance_month_by_sector"][sector]
        if month is not None and band["p10"] is not None:
            assert month <= band["p10"], sector


# -- 3. the China-free price is never below the world price -----------------------------------------------------------
def test_china_free_price_is_never_below_the_world_price() -> None:
    s = run_minerals(_spec(years=5)).summary
    for e in m.ELEMENTS:
        world, free = np.array(s["price_usd_kg_global"][e]), np.array(s["price_usd_kg_china_free"][e])
        assert np.all(free >= world), e
    ndpr_world, ndpr_free = s["price_usd_kg_global"]["ndpr"], s["price_usd_kg_china_free"]["ndpr"]
    assert ndpr_world[-1] > s["base_price_usd_kg"]["ndpr"]  # the world price has risen by month 60 …
    assert ndpr_free[-1] == ndpr_world[-1]  # … and the China-free price with it (was 69.0 against 86.91)
    assert max(f - w for f, w in zip(ndpr_free, ndpr_world, strict=True)) > 0  # a premium when covered buyers are short


def test_no_mandate_china_free_price_is_the_world_price() -> None:
    s = run_minerals(_spec(mandate={"regions": []})).summary
    assert s["price_usd_kg_china_free"] == s["price_usd_kg_global"]


# -- 10. a plant with no capacity at day 180 is not a binding node -----------------------------------------------------
def test_a_plant_not_built_at_day_180_is_not_binding() -> None:
    res = run_minerals(_spec(years=1))
    s, run = res.summary, res.run
    t = _day180_step(run)
    i = run.node_ids.index("sep.iluka_eneabba")
    assert run.capacity[t, i].sum() == 0.0 and run.shadow[t, i].max() > 1e-7  # priced, but not there
    assert "sep.iluka_eneabba" not in s["binding_nodes"]  # was listed
    assert "sep.iluka_eneabba" not in s["binding_share_of_steps"]  # no capacity in a one-year run at all
    for node in s["binding_nodes"]:  # every node listed binds on capacity it has
        k = run.node_ids.index(node)
        assert np.any((run.capacity[t, k] > 0) & (run.shadow[t, k] > 1e-7)), node
    assert s["binding_nodes"]


# -- 11. the docs' Python example runs ---------------------------------------------------------------------------------
def test_docs_python_example_runs() -> None:
    text = DOCS.read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", text, re.S)
    assert block is not None
    code = block.group(1)
    assert "from geostress.spec.minerals import load_minerals_spec" in code
    scope: dict[str, Any] = {}
    exec(compile(code, str(DOCS), "exec"), scope)  # noqa: S102 - our own documentation
    result = scope["result"]
    assert 0.0 <= result.summary["china_free_share_day180"] <= 1.0
    assert result.summary["uncertainty"]["draws"] == 40


# -- 12a. an unknown [acceleration] project is refused when the scenario is read ---------------------------------------
def test_unknown_acceleration_project_is_refused_when_read_naming_file_field_and_matches(tmp_path: Path) -> None:
    path = tmp_path / "fast.toml"
    path.write_text('extends = "minerals-us-mandate"\n[acceleration]\niluka_eneabbaX = 6\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_minerals_spec(path)
    message = str(err.value)
    assert str(path) in message and "field acceleration.iluka_eneabbaX" in message
    assert "did you mean 'iluka_eneabba'" in message


def test_acceleration_accepts_facts_projects_and_new_plants() -> None:
    plant = {"id": "us_sep", "stage": "separation", "country": "United States", "capacity": [500, 0, 0, 0],
             "lead_time_months": [6, 9, 12]}
    spec = _spec(acceleration={"iluka_eneabba": 3, "us_sep": 2}, new_plants=[plant])
    assert spec.acceleration == {"iluka_eneabba": 3, "us_sep": 2}
    with pytest.raises(ScenarioError, match="field acceleration.us_sepX"):
        _spec(acceleration={"us_sepX": 2}, new_plants=[plant])


# -- 1, 8. the docs say what the code and the store do ----------------------------------------------------------------
def test_docs_label_the_dytb_price_year_honestly() -> None:
    from geostress.calibrate.minerals import build_network, load_facts

    text = " ".join(DOCS.read_text(encoding="utf-8").split())
    assert "MCS 2026 prints no Dy or Tb" not in text
    assert "does not read that chapter yet" not in text and "393.2 USD/kg" in text  # the Heavy chapter is read
    calib = build_network()
    assert float(calib.base_price[m.ELEMENTS.index("dytb")]) == pytest.approx(393.2)
    assert "(2025)" in calib.price_sources["dytb"]
    assert "no price in the store" not in load_facts()["prices"]["smy_estimate"]


def test_docs_quote_the_no_mandate_world_shortfall_by_year() -> None:
    res = run_minerals(_spec(years=5, step="week", mandate={"regions": []}))
    run = res.run
    years = np.floor(run.months / 12.0 + 1e-9).astype(int)
    text = " ".join(DOCS.read_text(encoding="utf-8").split())
    for y in range(5):
        share = run.shortfall[years == y].sum() / run.demand[years == y].sum()
        assert f"{share:.2%}" in text, (y + 1, share)
    assert "~3–4% world shortfall from year 2" not in text
