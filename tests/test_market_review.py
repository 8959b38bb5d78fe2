"""The fixed-income review of the Treasury-market block: warnings, notes and input checks that ``geostress run``
shares with ``geostress market impact`` (no number the model computes changes)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.run import coupled as cp
from geostress.run.engine import run_scenario
from geostress.run.market import evidence_warnings, impact
from geostress.spec.scenario import LiquidityShock, ScenarioSpec, parse_scenario

REPO = Path(__file__).resolve().parents[1]
#: Every foreign official holder sells $3,000bn in one month (the review's s16): 9.5 pp of GDP a month.
OFFICIAL_DUMP = [{"holder": "other_foreign_official", "amount_bn": 1700, "months": 1},
                 {"holder": "japan_official", "amount_bn": 700, "months": 1},
                 {"holder": "china_mainland_official", "amount_bn": 600, "months": 1}]
CHINA = {"holder": "china_mainland_official", "amount_bn": 300, "months": 12}


def spec(horizon: int = 12, **sections: object) -> ScenarioSpec:
    data: dict[str, object] = {"scenario": {"horizon_years": horizon}, "simulation": {"paths": 0},
                               "market": {"enabled": True}}
    data.update(sections)
    return parse_scenario(data)


@pytest.fixture(scope="module")
def holders(store: Store):  # type: ignore[no-untyped-def]
    return cp.holders_at_start(store, date(2025, 10, 1))


# -- 1, 2: one evidence rule for run and market impact ------------------------------------------------------------
def test_run_warns_outside_the_evidence_for_pace_and_backstop_as_market_impact_does(store: Store) -> None:
    head = run_scenario(spec(sales=OFFICIAL_DUMP), store=store).headline()
    warning = head["outside_evidence"]
    assert isinstance(warning, str)
    assert "the scheduled sales together sell" in warning and "faster than the largest flow" in warning
    assert "(in pp of the run's GDP that month)" in warning
    # the backstop's size: ≈$2,900bn bought, above the record ($1,266bn, ≈6 pp of GDP)
    assert "the backstop buys $" in warning and "× the largest purchase on record" in warning
    assert "extrapolate its March-2020 calibration" in warning
    # the text prints it as market impact prints its own
    from geostress.cli.headline import run_note_lines

    assert run_note_lines(head)[0] == f"warning: outside the evidence: {warning}."
    calm = run_scenario(spec(sales=[CHINA]), store=store).headline()
    assert calm["outside_evidence"] is None and run_note_lines(calm) == []


def test_run_flags_a_backstop_buying_on_a_partial_stress_as_market_impact_does(store: Store) -> None:
    """A liquidity shock of intensity 0.5 puts the stress at 0.5, 0.25 and 0.1 in months 1–3; when the backstop buys
    against the share of an orderly sale's pressure that such a stress hands to March 2020's trigger (a judgement),
    ``run`` says so as ``market impact`` does, naming the months; with the backstop off, or no shock, nothing is
    said."""
    shocked = {"sales": [{**CHINA, "months": 1}], "liquidity_shocks": [{"month": 1, "intensity": 0.5}],
               "market": {"enabled": True}}
    head = run_scenario(spec(**shocked), store=store).headline()
    warning = head["outside_evidence"]
    assert isinstance(warning, str) and "hands to March 2020's trigger" in warning
    assert "0.5 in month 1, 0.25 in month 2, 0.1 in month 3" in warning
    assert "a weaker shock meets less of the other selling" in warning
    off = run_scenario(spec(**{**shocked, "market": {"enabled": True, "backstop": False}}), store=store).headline()
    assert off["outside_evidence"] is None
    found = evidence_warnings(np.zeros(0), 1000.0, 10.0, 1000.0, between_bn=10.0, stress=np.array([1.0, 0.5, 0.0]))
    assert len(found) == 1 and "0.5 in month 2" in found[0] and "1 in month" not in found[0]
    # bought only against a dash for cash: nothing on a partial stress's share, nothing to say
    assert evidence_warnings(np.zeros(0), 1000.0, 10.0, 1000.0, between_bn=0.0, orderly_bn=0.0,
                             stress=np.array([1.0, 0.5, 0.0])) == []
    assert evidence_warnings(np.zeros(0), 1000.0, 0.1, 1000.0, between_bn=0.1, stress=np.array([0.5])) == []


def test_run_says_which_months_the_backstop_bought_in(store: Store) -> None:
    """The warnings read the backstop's purchases by the response that set them: the shipped dash for cash buys
    against the runs and in month 1 at stress 1 (March 2020's calibration), none against a partial stress's share
    of other selling, so nothing is flagged though months 2–3 are at 0.5 and 0.2; a shock in month 1 beside an
    orderly sale in month 24 that the backstop buys against is flagged as purchases against orderly selling, not
    as a partial stress's share."""
    shipped = {"sales": [{**CHINA, "months": 1}], "liquidity_shocks": [{"month": 1, "intensity": 1.0}],
               "contagion": {"enabled": True}}
    result = run_scenario(spec(**shipped), store=store)
    split = result.coupled.backstop_by_stress_bn
    assert split is not None and split.shape == (1, 3) and split[0, 2] > 100.0 and split[0, 1] == 0.0
    assert float(split.sum()) == pytest.approx(float(result.coupled.backstop_bn[0]), rel=1e-12)
    assert result.headline()["outside_evidence"] is None
    mixed = {"sales": [{"holder": "japan_official", "amount_bn": 700, "months": 1, "start_month": 24}],
             "liquidity_shocks": [{"month": 1, "intensity": 2.0}]}
    warning = run_scenario(spec(**mixed), store=store).headline()["outside_evidence"]
    assert isinstance(warning, str) and "against orderly selling" in warning
    assert "hands to March 2020's trigger" not in warning


def test_a_horizon_under_ten_years_says_what_the_10y_keys_hold(store: Store) -> None:
    """A 3-year run sums three fiscal years under ``added_net_interest_10y_bn``: the note says so."""
    note = run_scenario(spec(horizon=3, sales=[CHINA]), store=store).headline()["interest_window_note"]
    assert isinstance(note, str) and "the horizon covers 3 fiscal years (FY2026–FY2028), fewer than 10" in note
    assert ("added_net_interest_10y_bn and twin_net_interest_10y_bn (and the share of one in the other) sum those 3"
            in note)
    assert "FY2028's" in note
    assert run_scenario(spec(sales=[CHINA]), store=store).headline()["interest_window_note"] is None


def test_combined_pace_is_the_sum_of_the_sales_active_in_a_month() -> None:
    """Two sales of 4 pp a month overlap in month 2: 8 pp that month, above the 6 pp of the evidence."""
    gdp = np.full(3, 1000.0)
    assert evidence_warnings(np.array([40.0, 40.0, 0.0]), gdp) == []
    found = evidence_warnings(np.array([40.0, 80.0, 40.0]), gdp, what="the scheduled sales together sell")
    assert len(found) == 1 and "8.00 pp of GDP in month 2" in found[0]


def test_market_impact_warns_when_the_backstop_buys_more_than_the_record(store: Store) -> None:
    """All foreign official holdings over 12 months: 1.0 pp a month (within the pace), but the backstop buys
    ≈$2,018bn, 1.1× the largest purchase on record in pp of GDP (against orderly selling: flagged as such too)."""
    result = impact(store, "foreign_official", 3887.0, 12, draws=0)
    assert result.outside_evidence is not None
    assert result.outside_evidence.startswith("the backstop buys $")
    assert "× the largest purchase on record" in result.outside_evidence
    assert impact(store, "foreign_official", 3887.0, 12, draws=0, backstop=False).outside_evidence is None
    assert evidence_warnings(np.zeros(0), 30_000.0, 1500.0, 30_000.0) == []  # 5 pp: within the record


# -- 3: holder groups and countries are not scenario holders ------------------------------------------------------
@pytest.mark.parametrize("group", ["foreign_official", "foreign_private", "private"])
def test_a_holder_group_lists_its_sectors_and_suggests_no_other_holder(holders, group: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ScenarioError) as info:
        cp.check_events(spec(sales=[{"holder": group, "amount_bn": 100}]), holders)
    message = str(info.value)
    assert "is a holder group" in message and "name sectors" in message and "did you mean" not in message
    part = "japan_official" if group == "foreign_official" else "japan_private"
    assert f"{part} (" in message  # each sector with its holdings


def test_a_country_names_its_sectors_official_first(holders) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ScenarioError) as info:
        cp.check_events(spec(sales=[{"holder": "Japan", "amount_bn": 100}]), holders)
    message = str(info.value)
    assert "is a country, not a sector" in message
    assert message.index("japan_official for its official holdings") < message.index("japan_private")
    assert "other_foreign_official" not in message


def test_cli_docs_do_not_say_holder_reads_as_a_scenario_holder() -> None:
    text = (REPO / "docs" / "cli.md").read_text()
    assert "as a scenario's `[[sales]] holder` is read" not in text


# -- 4: a liquidity motive on a private or Fed holder --------------------------------------------------------------
@pytest.mark.parametrize(("holder", "who"), [("japan_private", "a private holder"), ("fed", "the Federal Reserve")])
def test_liquidity_motive_on_a_private_or_fed_holder_is_refused(holders, holder: str, who: str) -> None:  # type: ignore[no-untyped-def]
    scenario = spec(sales=[CHINA, {"holder": holder, "amount_bn": 100, "motive": "liquidity"}])
    with pytest.raises(ScenarioError) as info:
        cp.check_events(scenario, holders)
    message = str(info.value)
    assert message.startswith('sales[1].motive = "liquidity" applies to official holders only')
    assert f"sales[1].holder {holder!r} is {who}" in message and "leave sales[1].motive out" in message
    cp.check_events(spec(sales=[{**CHINA, "motive": "liquidity"}]), holders)  # an official holder: accepted


# -- 5: the persistent month cut short, sales outside the interest window ------------------------------------------
def test_a_horizon_that_cuts_the_persistent_month_short_says_so(store: Store) -> None:
    head = run_scenario(spec(horizon=1, sales=[CHINA]), store=store).headline()
    assert head["persistent_month"] == 12
    assert "inside the scheduled sales" in head["persistent_note"] and "month 24" in head["persistent_note"]
    assert head["interest_window_note"] == (
        "the horizon covers 1 fiscal year (FY2026), fewer than 10: added_net_interest_10y_bn and "
        "twin_net_interest_10y_bn (and the share of one in the other) are that year's, and the _10y debt figures are "
        "FY2026's; lengthen scenario.horizon_years to 10 or more for ten-year figures")


def test_notes_for_late_sales_name_the_settling_and_the_interest_window(holders) -> None:  # type: ignore[no-untyped-def]
    months = 360
    years = 2026 + (np.arange(months) + 3) // 12  # a run from October: FY2026 starts in month 1
    gdp = np.full(months, 30_000.0)
    late = cp.schedule(spec(horizon=30, sales=[{**CHINA, "start_month": 340}]), holders, months)
    notes = cp.run_notes(late, gdp, years, np.zeros(1))
    assert "9 months after the last sale ends (month 351)" in notes["persistent_note"]
    assert "after the added-interest window (FY2026–FY2035" in notes["interest_window_note"]
    long = cp.schedule(spec(horizon=30, sales=[{**CHINA, "months": 180}]), holders, months)
    assert "past the end of the added-interest window" in cp.run_notes(long, gdp, years, np.zeros(1))[
        "interest_window_note"]
    usual = cp.run_notes(cp.schedule(spec(horizon=30, sales=[CHINA]), holders, months), gdp, years, np.zeros(1))
    assert usual == {"outside_evidence": None, "persistent_note": None, "interest_window_note": None,
                     "offset_note": None, "backstop_note": None}


# -- 6: documented, reproduced ---------------------------------------------------------------------------------------
def _pace_run(store: Store, months: int, motive: str = "diversification", **sections: object) -> dict[str, float]:
    """The docs' pace experiment: Japan (official) sells $300bn over ``months`` in a 30-year run, deterministic
    path; the added net interest over FY2026–35 (USD bn), the peak (bp), the backstop's and the repo's purchases."""
    sale = {"holder": "japan_official", "amount_bn": 300, "months": months, "motive": motive}
    result = run_scenario(spec(horizon=30, sales=[sale], **sections), store=store)
    head = result.headline()
    return {"interest": head["added_net_interest_10y_bn"], "peak": head["peak_10y_change_bp"],
            "backstop": float(result.coupled.backstop_bn[0]), "fima": float(result.coupled.fima_bn[0])}


def test_market_docs_explain_that_the_backstop_makes_a_fast_sale_cheaper(store: Store) -> None:
    """The pace table of docs/market.md, computed: Japan (official) selling $300bn over 1, 12 and 24 months (30-year
    run, ``--paths 0``), backstop on and off, gives each row's added interest, backstop purchases and peak; orderly, a
    faster sale adds more interest backstop on or off ($70.7bn in one month, $59.0bn over 12, $56.8bn over 24);
    inside a dash for cash (a liquidity shock of intensity 1 in month 1, contagion off) the backstop buys $252bn and
    makes the one-month sale the cheapest again (+19.4 bp, $33.9bn), the 12- and 24-month sales reading as without
    the shock; a liquidity-motivated sale is $24.3bn, $20.4bn and $19.6bn (one-month peak +28.0 bp, the FIMA repo
    financing $165bn), backstop on and off alike. Every figure within half its last printed digit."""
    text = (REPO / "docs" / "market.md").read_text()
    assert "$70.7bn" in text and "$59.0bn" in text and "$56.8bn" in text and "$33.9bn" in text
    flat = " ".join(text.split("**A faster sale of the same amount adds more interest", 1)[1].split())
    row = re.compile(r"\| (\d+) \| \$([\d.]+)bn \| \$([\d.]+)bn \| \+([\d.]+) bp \| \$([\d.]+)bn \| \+([\d.]+) bp \|")
    table = {int(m[0]): [float(v) for v in m[1:]] for m in row.findall(flat.split("**Outside the evidence.**")[0])}
    assert sorted(table) == [1, 12, 24]
    on, off, dash = {}, {}, {}
    for months, (interest_on, bought, peak_on, interest_off, peak_off) in table.items():
        on[months] = _pace_run(store, months)
        off[months] = _pace_run(store, months, market={"enabled": True, "backstop": False})
        dash[months] = _pace_run(store, months, liquidity_shocks=[{"month": 1, "intensity": 1.0}])
        assert on[months]["interest"] == pytest.approx(interest_on, abs=0.05), months
        assert on[months]["backstop"] == pytest.approx(bought, abs=0.05), months
        assert on[months]["peak"] == pytest.approx(peak_on, abs=0.05), months
        assert off[months]["interest"] == pytest.approx(interest_off, abs=0.05), months
        assert off[months]["peak"] == pytest.approx(peak_off, abs=0.05), months
        assert off[months]["backstop"] == 0.0
    for runs in (on, off):  # orderly: the faster sale costs more, backstop on or off
        assert runs[1]["interest"] > runs[12]["interest"] > runs[24]["interest"]
    found = re.search(r"the backstop buys \$(\d+)bn and the one-month sale reads \+([\d.]+) bp and \$([\d.]+)bn again",
                      flat)
    assert found, "the dash-for-cash sentence of the pace paragraph"
    assert dash[1]["backstop"] == pytest.approx(float(found[1]), abs=0.5)
    assert dash[1]["peak"] == pytest.approx(float(found[2]), abs=0.05)
    assert dash[1]["interest"] == pytest.approx(float(found[3]), abs=0.05)
    assert dash[1]["interest"] < min(dash[12]["interest"], dash[24]["interest"])  # the cheapest inside the dash
    for months in (12, 24):  # they outlast the shock's three months and read as without it
        assert dash[months]["interest"] == pytest.approx(table[months][0], abs=0.05)
    found = re.search(r"finances \$(\d+)bn of it\) but is orderly for the backstop: \$([\d.]+)bn in one month \(peak "
                      r"\+([\d.]+) bp\), \$([\d.]+)bn over 12 months, \$([\d.]+)bn over 24", flat)
    assert found, "the liquidity-motivated sentence of the pace paragraph"
    repo, interest = float(found[1]), dict(zip((1, 12, 24), map(float, found.group(2, 4, 5)), strict=True))
    for backstop in (True, False):
        for months, figure in interest.items():
            liquidity = _pace_run(store, months, "liquidity",
                                  market={"enabled": True, "backstop": backstop})
            assert liquidity["interest"] == pytest.approx(figure, abs=0.05), (months, backstop)
            assert liquidity["fima"] == pytest.approx(repo, abs=0.5), (months, backstop)
            if months == 1:
                assert liquidity["peak"] == pytest.approx(float(found[3]), abs=0.05), backstop


# -- 7: messages that say what to do -------------------------------------------------------------------------------
@pytest.mark.parametrize("amount", [-300, 0])
def test_a_negative_or_zero_sale_says_sales_schedules_sales_only(amount: float) -> None:
    with pytest.raises(ScenarioError, match=r"\[\[sales\]\] schedules sales only.*no scheduled purchase"):
        spec(sales=[{**CHINA, "amount_bn": amount}])


def test_a_sale_past_the_horizon_says_which_settings_fit(holders) -> None:  # type: ignore[no-untyped-def]
    scenario = spec(horizon=10, sales=[{**CHINA, "start_month": 115}])
    with pytest.raises(ScenarioError) as info:
        cp.check_events(scenario, holders)
    message = str(info.value)
    assert "past the horizon of 120 months" in message
    assert "start it by month 109" in message and "at most 6 months from month 115" in message
    assert "scenario.horizon_years = 11" in message


# -- 8: liquidity-shock intensity saturates ------------------------------------------------------------------------
def test_liquidity_shock_intensity_says_it_saturates() -> None:
    assert "saturate" in LiquidityShock.model_fields["intensity"].description
    assert "saturate" in (REPO / "docs" / "cli.md").read_text().split("liquidity_shocks", 1)[-1]


def test_a_stronger_dash_for_cash_never_leaves_a_lower_peak(store: Store) -> None:
    """``dash-for-cash`` with its liquidity shock at intensity 0, 0.25, 0.5, 0.75 and 1: on every path the
    backstop-on peak rises (or stays) with the intensity, and the median rises. The trigger interpolated by the
    stress left +67.8 / +52.2 / +22.0 bp at 0.5 / 0.75 / 1 (the half-size run went almost unmet); the backstop now
    meets the runs' own pressure from March 2020's trigger at any stress, so a larger run brings no more
    purchases than its own pressure (``geostress.model.market.dash_pressure``)."""
    from geostress.validate.market import dash_intensity_peaks

    peaks = dash_intensity_peaks(store, paths=60, years=2)
    assert np.all(np.diff(peaks, axis=0) >= -0.01)
    medians = np.median(peaks, axis=1)
    assert medians[0] == 0.0 and np.all(np.diff(medians[1:]) > 0.0)


def test_the_dash_part_of_the_pressure() -> None:
    """``dash_pressure``: the whole pressure at a stress of 1, the runs' own (at most the pressure) at 0, a share
    between; never more than the pressure; a run adds to it no more than its own pressure."""
    from geostress.model.market import dash_pressure

    pressure, runs = np.array([50.0, 50.0, 50.0, -10.0]), np.array([0.0, 20.0, 80.0, 30.0])
    np.testing.assert_allclose(dash_pressure(pressure, runs, 1.0), pressure)
    np.testing.assert_allclose(dash_pressure(pressure, runs, 0.0), [0.0, 20.0, 50.0, -10.0])
    np.testing.assert_allclose(dash_pressure(pressure, runs, 0.5), [25.0, 35.0, 50.0, -10.0])
    rng = np.random.default_rng(7)
    p, r, x = rng.normal(0, 60, 5000), rng.normal(0, 60, 5000), rng.random(5000) * 50
    for stress in (0.0, 0.3, 0.9):
        base = dash_pressure(p, r, stress)
        assert np.all(base <= p)
        grown = dash_pressure(p + x, r + x, stress) - base  # a run of pressure x adds x to both
        assert np.all(grown >= -1e-12) and np.all(grown <= x + 1e-12)
    assert np.all(dash_pressure(p, r, 0.9) >= dash_pressure(p, r, 0.3) - 1e-12)  # where F ≥ R; elsewhere equal


@pytest.mark.parametrize(("key", "kind"), [("threats", "threat"), ("announcements", "announcement")])
def test_an_event_past_the_horizon_says_which_settings_fit(key: str, kind: str) -> None:
    """An event after the horizon was refused without saying what to change (a contagion analyst's review)."""
    from geostress.run.coupled import event_past_horizon_message

    text = event_past_horizon_message(kind, key, 0, 400, 360)
    assert text.startswith(f"{kind} in month 400 is after the horizon of 360 months ({key}[0].month)")
    assert f"give {key}[0].month = 360 or less" in text and "scenario.horizon_years = 34 or more" in text
