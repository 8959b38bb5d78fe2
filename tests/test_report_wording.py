"""The report's words follow its figures: the threat's two effects, the tipping point without an edge, a negative
backstop-off persistent figure, what the ranges are over, and the small print (units, minus signs, plain names).

Deterministic coupled runs (``paths = 0``) or a few paths on the embedded snapshot; blocks are read as text.
"""

from __future__ import annotations

import html
import re
from dataclasses import fields
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from geostress.data.store import Store
from geostress.report import blocks
from geostress.report.sections import market as section
from geostress.run.coupled import BACKSTOP_OFF_NOTE, holders_for
from geostress.run.engine import run_scenario
from geostress.spec.scenario import load_scenario, parse_scenario


def as_text(blocks: Any) -> str:
    parts = [b for b in blocks if isinstance(b, str)] if not isinstance(blocks, str) else [blocks]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", " ".join(parts))))


def threat_head(**values: float) -> dict[str, float]:
    keys = ("foreign_sold_bn_6m_mean", "foreign_sold_bn_6m_median", "official_sold_bn_36m_mean",
            "official_sold_bn_36m_median")
    head: dict[str, float] = {}
    for key, (with_it, without) in zip(keys, values.values(), strict=True):
        head[key], head[f"{key}_no_threat"] = with_it, without
    return head


# -- 1. the threat's two effects ----------------------------------------------------------------------------------
def test_threat_note_says_deterrence_wins_when_the_figures_say_so() -> None:
    """2,000 paths of davos-threat: the mean falls with the threat while the median path sells more."""
    text = as_text(section.threat_blocks(threat_head(a=(26.1, 33.2), b=(10.3, 8.8), c=(76.2, 9.1), d=(71.6, 0.0))))
    assert "deterrence holds back new diversification now" in text and "persistent official diversification" in text
    assert "deterrence wins in the first 6 months" in text and "$26.1bn against $33.2bn on average" in text
    assert "The median path sells more ($10.3bn against $8.8bn)" in text
    assert "foreign officials sell more with the threat ($76.2bn against $9.1bn on average)" in text


def test_threat_note_says_the_threat_raised_selling_when_it_did() -> None:
    """The deterministic path (``--paths 0``): $7.7bn with the threat against $3.0bn without. The old caption said
    "deterrence lowers short-run selling on average" beside those figures."""
    text = as_text(section.threat_blocks(threat_head(a=(7.7, 3.0), b=(7.7, 3.0), c=(80.8, 0.0), d=(80.8, 0.0)),
                                         one_path=True))
    assert "lowers short-run selling" not in text and "deterrence wins" not in text
    assert "the diversification outweighs the deterrence" in text and "sell more with the threat" in text
    assert "($7.7bn against $3.0bn)" in text and "on average" not in text
    assert ", mean" not in text and ", median" not in text  # one path: one figure a window


def test_davos_threat_on_one_path_reads_as_its_table(store: Store) -> None:
    spec = load_scenario("davos-threat").with_overrides(**{"simulation.paths": 0, "scenario.horizon_years": 5})
    result = run_scenario(spec, store=store)
    head = result.headline()
    text = as_text(section.cascade_blocks(result, holders_for(store, result.calibration)))
    with_it, without = head["foreign_sold_bn_6m_mean"], head["foreign_sold_bn_6m_mean_no_threat"]
    assert f"${with_it:,.1f}bn against ${without:,.1f}bn" in text
    if with_it > without:
        assert "sell more with the threat" in text and "deterrence wins" not in text
    else:
        assert "deterrence wins" in text
    assert "lowers short-run selling on average" not in text


# -- 2. the tipping point without an edge -------------------------------------------------------------------------
def test_no_edge_tells_both_ends_from_neither() -> None:
    both = SimpleNamespace(edge=None, no_edge="both")
    neither = SimpleNamespace(edge=None, no_edge="neither")
    found = SimpleNamespace(edge=12.0, no_edge=None)
    assert section.no_edge(both) == "both" and section.no_edge(neither) == "neither"
    assert section.no_edge(found) is None


@pytest.mark.parametrize(("preset", "words", "tile"), [
    ("dash-for-cash", "already met at the low end of the range", "already met"),
    ("china-sells-300bn", "holds at neither end", "none in range"),
])  # fmt: skip
def test_tipping_section_says_which_end(store: Store, preset: str, words: str, tile: str) -> None:
    """dash-for-cash cascades with the smallest sale (its liquidity shock alone does), so the section says the
    criterion is already met; china-sells-300bn cascades at no sale in range. Neither says "does not hold at both
    ends" any more."""
    spec = load_scenario(preset)
    holders = holders_for(store, run_scenario(spec.with_overrides(**{"simulation.paths": 0,
                                                                     "scenario.horizon_years": 2}),
                                              store=store).calibration)
    found = section.tipping_section(spec, store, holders)
    text = as_text(found.blocks)
    assert words in text and f"Tipping point {tile}" in text
    assert "does not hold at both ends" not in text and "holds at both ends" not in text
    assert words in dict(found.tables)["tipping"]["note"].iloc[0]  # data/tipping.csv says the same


# -- 3. a negative backstop-off persistent figure -----------------------------------------------------------------
def backstop_head(off: float, off_p05: float | None = None) -> dict[str, float]:
    head = {"peak_10y_change_bp": 19.5, "peak_10y_change_bp_backstop_off": 168.5, "persistent_10y_change_bp": 0.05,
            "persistent_10y_change_bp_backstop_off": off, "persistent_month": 24}
    if off_p05 is not None:
        head.update(peak_10y_change_bp_p05=11.2, peak_10y_change_bp_p95=32.2, peak_10y_change_bp_backstop_off_p05=98.0,
                    peak_10y_change_bp_backstop_off_p95=307.0, persistent_10y_change_bp_p05=-1.76,
                    persistent_10y_change_bp_p95=0.76, persistent_10y_change_bp_backstop_off_p05=off_p05,
                    persistent_10y_change_bp_backstop_off_p95=off + 5.0)
    return head


def test_negative_backstop_off_persistent_is_explained() -> None:
    text = as_text(section.backstop_blocks(backstop_head(-12.11, -39.6)))
    assert "−12.11" in text and "-12.11" not in text
    assert "the sellers buy back" in text and "undershoots" in text and "not as evidence" in text
    assert "persistent, 5–95% −1.76 to 0.76 −39.60 to −7.11" in text  # the range row, minus signs, "to"
    assert "the sellers buy back" in as_text(section.backstop_blocks(backstop_head(2.18, -11.0)))  # its range
    assert "the sellers buy back" not in as_text(section.backstop_blocks(backstop_head(4.03, 1.9)))


def test_backstop_off_caveat_needs_a_figure_below_zero_and_below_the_backstop_on_one() -> None:
    """One rule for the report and the dashboard: the backstop-off persistent median or 5th percentile prints below
    zero and lies at least 0.5 bp below its backstop-on counterpart. pension-announcement (2,000 paths) has the same
    range with the backstop on and off (−0.20 to 0.00 against −0.21 to 0.00 bp): no caveat; a one-path figure of
    −0.001 bp is zero, not "below zero (−0.00 bp …)"."""
    pension = {"peak_10y_change_bp": 0.1, "peak_10y_change_bp_backstop_off": 0.1, "persistent_month": 24,
               "persistent_10y_change_bp": 0.0, "persistent_10y_change_bp_p05": -0.203,
               "persistent_10y_change_bp_p95": 0.001, "persistent_10y_change_bp_backstop_off": -0.0004,
               "persistent_10y_change_bp_backstop_off_p05": -0.206, "persistent_10y_change_bp_backstop_off_p95": 0.001}
    assert section.undershoots(pension) == (False, False)
    assert "below zero" not in as_text(section.backstop_blocks(pension))
    tiny = {"peak_10y_change_bp": 0.1, "peak_10y_change_bp_backstop_off": 0.1, "persistent_month": 24,
            "persistent_10y_change_bp": 0.0, "persistent_10y_change_bp_backstop_off": -0.001}
    text = as_text(section.backstop_blocks(tiny, one_path=True))
    assert "below zero" not in text and "−0.00" not in text
    # below zero but not below the backstop-on figure by 0.5 bp: the backstop did not hold anything up
    close = {**pension, "persistent_10y_change_bp_p05": -1.0, "persistent_10y_change_bp_backstop_off_p05": -1.3}
    assert section.undershoots(close) == (False, False)
    # davos-threat, 2,000 paths: the median is positive, the 5th percentile −11.52 against −1.15 bp
    davos = {**pension, "persistent_10y_change_bp": 2.154, "persistent_10y_change_bp_p05": -1.151,
             "persistent_10y_change_bp_p95": 7.865, "persistent_10y_change_bp_backstop_off": 2.177,
             "persistent_10y_change_bp_backstop_off_p05": -11.522, "persistent_10y_change_bp_backstop_off_p95": 8.83}
    assert section.undershoots(davos) == (False, True)
    text = as_text(section.backstop_blocks(davos))
    assert "below zero on some paths (5–95%: −11.52 to 8.83 bp, against −1.15 to 7.87 bp with the backstop)" in text
    # dash-for-cash: the median itself, named beside the backstop-on median
    text = as_text(section.backstop_blocks(backstop_head(-12.11, -39.6)))
    assert "below zero (−12.11 bp at month 24, against +0.05 bp with the backstop)" in text


# (davos-threat's selling is orderly: the backstop, at its orderly trigger, buys nothing there, so its two columns
# are the same and neither undershoots the other)
@pytest.mark.parametrize(("preset", "caveat"), [("davos-threat", False), ("dash-for-cash", True),
                                                ("pension-announcement", False), ("china-sells-300bn", False)])
def test_backstop_off_caveat_on_the_presets(store: Store, preset: str, caveat: bool) -> None:
    spec = load_scenario(preset).with_overrides(**{"simulation.paths": 500, "scenario.horizon_years": 5})
    head = run_scenario(spec, store=store).headline()
    assert ("the sellers buy back" in as_text(section.backstop_blocks(head))) is caveat


# -- 4. what the ranges are over ----------------------------------------------------------------------------------
def test_bands_are_over_parameter_draws_and_the_interest_range_over_shocks_too(store: Store) -> None:
    spec = parse_scenario({"scenario": {"name": "ranges", "horizon_years": 5}, "simulation": {"paths": 40},
                           "market": {"enabled": True},
                           "sales": [{"holder": "china_mainland_official", "amount_bn": 300, "months": 12}]})
    result = run_scenario(spec, store=store)
    blocks = section.cascade_blocks(result, holders_for(store, result.calibration))
    chart = next(b for b in blocks if not isinstance(b, str))
    assert "parameter draws and macro shocks" not in chart.caption
    assert "Bands over the paths' parameter draws" in chart.caption and "macro shocks do not move" in chart.caption
    text = as_text(blocks)
    assert re.search(r"Added net interest, 5 years \(the horizon\) \$[\d,]+bn 5–95% over draws and macro shocks: "
                     r"\$[\d,]+–[\d,]+bn", text), text
    assert "Sold, median $300bn 5–95%: $300bn" in text and "$300–300bn" not in text and "all paths" not in text
    assert "P(cascade) n/a contagion off" in text and "P(cascade) 0.0%" not in text  # as the CLI's "n/a"


# -- 7. the small print -------------------------------------------------------------------------------------------
def test_figures_use_the_minus_sign_and_ranges_read_plainly() -> None:
    fmt, span = blocks.fmt, blocks.span
    assert fmt(-1.25, ".2f") == "−1.25" and fmt(-12, "+,.0f", suffix=" bp") == "−12 bp"
    assert span(-1.25, 8.07, ".2f", unit=" bp") == "−1.25 to 8.07 bp"
    assert span(1.5, 18.9, unit=" bp") == "1.5–18.9 bp"
    assert span(299.8, 300.2, ",.0f", prefix="$", unit="bn") == "$300bn"
    assert section._bn_range(49.6, 50.4) == "$50bn"  # not "$50–50bn"


def test_no_minus_on_a_figure_that_rounds_to_zero_and_the_sign_before_the_dollar() -> None:
    fmt, span = blocks.fmt, blocks.span
    assert fmt(-0.001, ".2f") == "0.00" and fmt(-0.001, "+,.2f") == "+0.00" and fmt(-0.0) == "0.0"
    assert fmt(-0.4, ",.0f", prefix="$") == "$0" and fmt(-1.2, ",.1f", prefix="$") == "−$1.2"
    assert fmt(-0.004, "+,.2f", suffix=" bp") == "+0.00 bp" and fmt(-0.006, "+,.2f") == "−0.01"
    assert span(-1.2, 5.4, ",.0f", prefix="$", unit="bn") == "−$1 to $5bn"  # not "$−1 to $5bn"
    assert span(-3.0, -1.0, ",.0f", prefix="$", unit="bn") == "−$3 to −$1bn"
    assert span(1.0, 5.0, ",.0f", prefix="$", unit="bn") == "$1–5bn"
    assert span(-0.001, 0.002, ".2f", unit=" bp") == "0.00 bp"


def test_a_range_whose_ends_print_the_same_is_the_5_95_band_not_all_paths() -> None:
    """Only the 5–95% band is known: "5–95%: $0bn", not "all paths: $0bn"; the tiles and the sold amount share one
    helper."""
    head = {"added_net_interest_10y_bn": 0.1, "added_net_interest_10y_bn_p05": -0.2,
            "added_net_interest_10y_bn_p95": 0.3}
    value, detail = section._range(head, "added_net_interest_10y_bn", ",.0f", "bn", prefix="$", sign="")
    assert (value, detail) == ("$0bn", "5–95%: $0bn")
    value, detail = section._range({"x": -2.0, "x_p05": -4.0, "x_p95": 1.0}, "x", ",.0f", "bn", prefix="$", sign="")
    assert (value, detail) == ("−$2bn", "5–95%: −$4 to $1bn")
    assert section._band(299.8, 300.2, ",.0f", "bn", prefix="$") == "5–95%: $300bn"


def test_one_path_cascade_tile_says_yes_or_no(store: Store) -> None:
    """A run of one path says whether it cascades ("no"), as the CLI, not "0.0% — whether the one path cascades"."""
    spec = load_scenario("davos-threat").with_overrides(**{"simulation.paths": 0, "scenario.horizon_years": 5})
    result = run_scenario(spec, store=store)
    text = as_text(section.cascade_blocks(result, holders_for(store, result.calibration)))
    word = "yes" if result.headline()["cascade_probability"] >= 0.5 else "no"
    assert f"Cascade {word} deterministic path (prior medians)" in text, text
    assert "P(cascade)" not in text and "0.0%" not in text.split("Cascade")[1][:20]


def test_drivers_csv_keeps_its_columns_with_the_label_last() -> None:
    """data/market_drivers.csv: ``parameter, peak_share, persistent_share`` where positional readers expect them,
    the readable label last."""
    import numpy as np

    rng = np.random.default_rng(3)
    beta, phi = rng.uniform(2.0, 8.0, 1200), rng.uniform(0.5, 1.5, 1200)
    coupled = SimpleNamespace(draws={"persistent_bp_per_pp": beta, "flow_bp_per_pp": phi},
                              peak_10y_change_bp=10.0 * phi + beta, persistent_10y_change_bp=beta,
                              persistent_month=24)
    found = section.drivers_table(SimpleNamespace(coupled=coupled))
    assert found is not None
    assert "share of the variance of the persistent figure (month 24; its flow effect included)" in found[0]
    assert list(found[1].columns) == ["parameter", "peak_share", "persistent_share", "noise_floor", "label"]
    # a share of 0 is "under the screen", which the file says (an analyst read β's 0.0 as "no effect")
    from geostress.analytics.drivers import noise_floor

    assert found[1]["noise_floor"].tolist() == [noise_floor(1200, 10)] * len(found[1])
    assert found[1].loc[found[1].parameter == "persistent_bp_per_pp", "label"].item() == DRIVER_BETA


DRIVER_BETA = "persistent effect, bp per pp of GDP (β)"


def test_full_specification_says_the_market_block_ran_and_uses_plain_words(store: Store) -> None:
    from geostress.report.sections.scenario import spec_rows

    rows = {k: (v, d) for k, v, d, _ in spec_rows(load_scenario("dash-for-cash"))}
    value, meaning = rows["market.enabled"]
    assert value == "false (ran anyway)" and "liquidity shocks" in meaning and "contagion on" in meaning
    assert rows["contagion.enabled"][0] == "true"
    assert "None" not in rows["fiscal.nominal_growth"][1] and "unset" in rows["fiscal.nominal_growth"][1]
    plain = {k: v for k, v, _, _ in spec_rows(load_scenario("baseline"))}
    assert plain["market.enabled"] == "false"  # the baseline: the block does not run


def test_an_announcement_without_a_sale_shows_no_amount(store: Store) -> None:
    from geostress.report.sections.scenario import scenario_section

    spec = parse_scenario({"scenario": {"name": "said", "horizon_years": 2}, "simulation": {"paths": 0},
                           "contagion": {"enabled": True},  # (off, an announcement without a sale is refused)
                           "announcements": [{"month": 1, "intensity": 1.0},
                                             {"month": 2, "intensity": 1.0, "amount_bn": 0.1}]})
    text = as_text(scenario_section(run_scenario(spec, store=store), "test").blocks)
    assert "month intensity amount $bn public 1 1.00 — yes 2 1.00 0.1 yes" in text


def test_known_gaps_carry_units_and_minus_signs(store: Store) -> None:
    text = as_text(section.known_gaps_blocks(store))
    if "market_march_2020_backstop_bn" in text:
        assert re.search(r"backstop_bn ?: the model gives \$[\d,]+bn where the evidence asks \$[\d,]+bn to \$[\d,]+bn",
                         text), text
    if "market_beltran_2007_5y_long_run_bp" in text:
        assert re.search(r"long_run_bp ?: the model gives [\d.]+ bp where the evidence asks [\d.]+ to [\d.]+ bp", text)
    if "market_replay_slope_3m" in text:  # a ratio: no unit; a negative slope with the minus sign
        assert re.search(r"slope_3m ?: the model gives −?[\d.]+ where the evidence asks [\d.]+ to [\d.]+;", text)
    if "market_backstop_idle_in_replay_bn" in text:  # an amount that cannot be negative: its band starts at $0
        assert re.search(r"replay_bn ?: the model gives \$[\d,]+bn where the evidence asks \$0bn to \$50bn;", text)
    assert not re.search(r"gives -\d", text) and "$−" not in text and "$-" not in text
    assert section._gap_number("x_bn", -50.0) == "−$50bn" and section._gap_number("x_bp", -0.25) == "−0.25"


def test_driver_labels_are_words_for_every_drawn_parameter() -> None:
    from geostress.model.contagion import ContagionPriors
    from geostress.model.market import UNCERTAIN

    assert section.driver_label("persistent_bp_per_pp") == "persistent effect, bp per pp of GDP (β)"
    assert (section.driver_label("contagion.div_threshold_low.foreign_private")
            == "diversification threshold, low end, foreign private (contagion)")
    assert section.driver_label("contagion.distrust_per_announcement") == "distrust per announcement (contagion)"
    assert section.driver_label("contagion.run_scale.domestic_private") == "run size, share of holdings, domestic " \
                                                                           "private (contagion)"
    drawn = set(UNCERTAIN) | {f.name for f in fields(ContagionPriors) if f.name not in (
        "enabled", "class_holdings_bn", "cascade_threshold", "cascade_window_months", "loop_gain_ceiling")}
    assert drawn <= set(section.DRIVER_LABELS), drawn - set(section.DRIVER_LABELS)


def test_every_source_has_a_description(store: Store) -> None:
    from geostress.data.sources import SOURCE_MODULES
    from geostress.report.sections.data import SOURCE_NAMES, vintages_frame

    assert set(SOURCE_MODULES) <= set(SOURCE_NAMES)
    frame = vintages_frame(store)
    same = frame[frame["description"] == frame["source"]]
    assert same.empty, list(same["source"])


def test_a_run_with_its_backstop_off_has_no_backstop_on_column(store: Store) -> None:
    """The audit's case: a run whose own backstop is off showed its figures under "backstop on" and again under
    "backstop off". Now it computes no side-by-side run, and the report says the figures are the backstop-off ones."""
    spec = load_scenario("dash-for-cash").with_overrides(**{"market.backstop": False, "simulation.paths": 0,
                                                           "scenario.horizon_years": 5})
    result = run_scenario(spec, store=store)
    head = result.headline()
    assert not any(key.endswith("_backstop_off") for key in head)
    text = as_text(section.cascade_blocks(result, holders_for(store, result.calibration)))
    assert "backstop on" not in text and "(backstop off)" in text
    assert "The Fed's backstop is off in this run (market.backstop = false)" in text
    assert head["backstop_note"] == BACKSTOP_OFF_NOTE  # (the CLI prints it under its table; the dashboard reads it)


@pytest.mark.parametrize(("low", "stock_low", "shown"), [(-16.13, 0.0, True), (-0.3, 0.0, False),
                                                         (1.8, 1.6, False), (-1.2, -1.0, False)])
def test_a_persistent_range_below_zero_from_buying_back_says_so(low: float, stock_low: float, shown: bool) -> None:
    """announcement-wave's persistent range reached −16.13 bp at its 5th percentile while the stock effect alone
    stayed at 0.00–0.90 bp (the audit): the note says the buying back after runs holds the premium down, and points
    to the stock effect; a range that stays above zero, or one the stock effect shares, gets none."""
    head = {"persistent_10y_change_bp": 0.0, "persistent_10y_change_bp_p05": low,
            "persistent_10y_change_bp_p95": 0.5, "stock_effect_10y_bp_p05": stock_low, "stock_effect_10y_bp_p95": 0.9,
            "persistent_month": 24}
    block = section.buyback_note(head)
    assert (block is not None) is shown
    if shown:
        text = as_text([block])
        assert "buy back after their runs" in text and "still fading in month 24" in text
        assert f"{low:,.2f}".replace("-", "−") in text
        assert ("while the stock effect alone does not" in text) is (stock_low >= 0), text


def test_the_buyback_note_does_not_say_a_stock_range_below_zero_stays_above_it() -> None:
    """dash-for-cash: persistent −1.51 to 0.68 bp, stock effect −0.13 to 0.72 bp; the note said the stock effect's
    range did not reach below zero beside its own figures (the review of the reports)."""
    head = {"persistent_10y_change_bp_p05": -1.51, "persistent_10y_change_bp_p95": 0.68,
            "stock_effect_10y_bp_p05": -0.13, "stock_effect_10y_bp_p95": 0.72, "persistent_month": 24}
    text = as_text([section.buyback_note(head)])
    assert "alone does not" not in text
    assert "much further than the stock effect alone does (−0.13 to 0.72 bp)" in " ".join(text.split()), text


def test_the_term_premium_chart_stops_where_the_paths_have_settled() -> None:
    """A sale in the first year of a 30-year run filled the first pixels of the axis (the review of the reports):
    the chart runs to 12 months past the last month a level still moves (more than 5% of the largest level from
    where it ends), at least 60 months; a path that drifts to its end is shown almost whole."""
    months = pd.date_range("2025-10-01", periods=360, freq="MS").strftime("%Y-%m-%d")
    spike = np.where(np.arange(360) < 80, 40.0, 1.0)  # moves through month 80, then flat
    frame = pd.DataFrame({"month": months, "quantile": "deterministic", "value_bp": spike})
    assert section.months_shown(frame) == (92, 80)
    early = pd.DataFrame({"month": months, "quantile": "deterministic",
                          "value_bp": np.where(np.arange(360) < 3, 9.0, 0.0)})
    assert section.months_shown(early) == (60, 3)
    drift = pd.DataFrame({"month": months, "quantile": "deterministic", "value_bp": np.linspace(0.0, 10.0, 360)})
    assert section.months_shown(drift) == (354, 342)  # within 5% of its end (0.5 of 10 bp) from month 343
    flat = pd.DataFrame({"month": months, "quantile": "deterministic", "value_bp": 0.0})
    assert section.months_shown(flat) == (360, 0)


def test_the_peaks_literature_scale_is_the_references() -> None:
    """The note's figures for the peak's scale (Beltran et al.'s 40–60 bp short run at 2007's market, ≈19–28 bp per
    $100bn today, March 2020's +64 bp) are those of MARKET_EVIDENCE.md, the reference they cite."""
    from geostress.testing import SHARED_DATA, missing_real_file

    reference = SHARED_DATA.parent / "reference" / "MARKET_EVIDENCE.md"
    if not reference.is_file():
        missing_real_file(reference, "the published evidence not found")
    evidence = reference.read_text(encoding="utf-8")
    for figure in ("40–60", "19–28 short run", "+64 bp"):
        assert figure in evidence, figure
    for figure in ("40–60 bp", "≈19–28 bp per $100bn", "+64 bp"):
        assert figure in section.FLOW_EVIDENCE, figure
