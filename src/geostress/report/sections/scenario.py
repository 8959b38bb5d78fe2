"""The scenario, its assumptions and calibration, and its fan charts.

References
----------
Congressional Budget Office (2026), "The Budget and Economic Outlook: 2026 to 2036" (the baseline vintage named in
the report), and CBO Working Paper 2024-05 (the debt/GDP risk premium of about 2 bp per pp).
Bohn, H. (1998), "The Behavior of U.S. Public Debt and Deficits", QJE 113(3) (the fiscal response).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from geostress.results.ensemble import QUANTILES, probability_label
from geostress.results.plots import fan_chart
from geostress.report.blocks import Block, Chart, Section, fmt, heading, note, para, pct, stats, table
from geostress.report.figures import band_figure
from geostress.spec.scenario import ScenarioSpec

#: Fan charts in the report: variable → (slug, title, axis label, caption).
FANS: dict[str, tuple[str, str, str, str]] = {
    "debt_to_gdp": (
        "fan_debt_to_gdp", "Debt held by the public, % of GDP", "% of GDP (end of fiscal year)",
        "Federal debt held by the public as a share of GDP at the end of each fiscal year. Bands: the range of the "
        "middle 50%, 80% and 90% of the stochastic paths; line: their median; dashed: the path with no shocks, "
        "which follows CBO's baseline through its ten-year window in the baseline scenario."),
    "net_interest_to_gdp": (
        "fan_net_interest_to_gdp", "Net interest, % of GDP", "% of GDP",
        "Federal net interest outlays as a share of GDP: the interest bill on the whole debt book, each "
        "cohort of bills, notes and bonds repricing as it rolls over at the yields of its issue month."),
    "yield_10y": (
        "fan_yield_10y", "10-year Treasury yield", "percent (fiscal-year average)",
        "The 10-year yield, fiscal-year average: a rate path fitted so that the engine's net interest matches "
        "CBO's year by year (not CBO's published projection of the 10-year rate, which can differ from it), plus "
        "the macro shocks (policy rate, term premium) and the debt risk premium of the scenario."),
}  # fmt: skip


def _field_description(spec: ScenarioSpec, section: str, name: str) -> str:
    """The field's description in plain words (Python's ``None`` is the table's "—", unset)."""
    model = type(getattr(spec, section))
    info = model.model_fields.get(name)
    text = (info.description or "") if info is not None else ""
    return re.sub(r"\bNone\b", "unset (—)", text)


def _shown(value: object) -> str:
    """A setting's value as the scenario file spells it: ``true``/``false``, "—" when unset."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def spec_rows(spec: ScenarioSpec) -> list[tuple[str, str, str, bool]]:
    """(setting, value, meaning, differs from the default) for every scalar field of the spec."""
    data, default = spec.model_dump(mode="json"), ScenarioSpec().model_dump(mode="json")
    rows = []
    for section, fields in data.items():
        if not isinstance(fields, dict):
            continue
        for name, value in fields.items():
            shown, meaning = _shown(value), _field_description(spec, section, name)
            if (section, name) == ("market", "enabled") and not value and spec.coupled:
                shown = "false (ran anyway)"
                meaning = ("switches the Treasury market block on; it also runs whenever the scenario has sales, "
                           "announcements, threats, liquidity shocks, contagion or reserves on; here it ran: "
                           + ", ".join(spec.coupled_because))
            rows.append((f"{section}.{name}", shown, meaning, value != default[section].get(name)))
    return rows


def scenario_section(result: Any, origin: str) -> Section:
    """The scenario as specified (what differs from the defaults, events, the full spec) and its calibration."""
    spec: ScenarioSpec = result.spec
    summary = result.summary()
    book = summary["book"]
    first, last = summary["fiscal_years"]
    rows = spec_rows(spec)
    changed = [(k, v, d) for k, v, d, diff in rows if diff and k not in ("scenario.name", "scenario.description")]
    blocks: list[Block] = [
        para(f"Scenario {spec.name!r} from {origin}" + (f": {spec.scenario.description}." if
                                                         spec.scenario.description else ".")),
        stats([
            ("CBO baseline", summary["baseline_vintage"], f"FY{first}–FY{last}, from {summary['start']}"),
            ("Debt book at start", f"${book['total_bn']:,.0f}bn",
             f"debt held by the public at the end of FY{first - 1} (CBO), marketable and non-marketable; the "
             "engine's securities are scaled to it"),
            ("Average interest rate", pct(book["average_rate"], 2), "on the outstanding book"),
            ("Weighted average maturity", f"{book['weighted_average_maturity_months'] / 12:.1f} years",
             f"{book['weighted_average_maturity_months']:.0f} months"),
            ("Paths", f"{summary['paths']:,}", f"seed {summary['seed']}"),
        ]),
        heading("Settings that differ from the defaults"),
        table(["setting", "value", "meaning"], changed) if changed else para("None: every setting is the default."),
    ]  # fmt: skip
    if spec.sales:
        blocks.append(table(["holder", "amount $bn", "over months", "from month"],
                            [(s.holder, fmt(s.amount_bn), s.months, s.start_month) for s in spec.sales],
                            numeric=[False, True, True, True], caption="Scheduled sales of Treasuries"))
    if spec.announcements:
        blocks.append(table(["month", "intensity", "amount $bn", "public"],
                            [(a.month, fmt(a.intensity, ".2f"), fmt(a.amount_bn) if a.amount_bn else "—",
                              "yes" if a.public else "no")
                             for a in spec.announcements],
                            numeric=[True, True, True, False], caption="Announcements (signals to investors)"))
    if spec.threats:
        blocks.append(table(["month", "intensity"], [(t.month, fmt(t.intensity, ".2f")) for t in spec.threats],
                            numeric=[True, True],
                            caption="Threats against sellers (1 = a head-of-government warning of retaliation: "
                                    "deters diversification now, not runs for cash; raises reserve managers' "
                                    "perceived freeze risk)"))
    if spec.liquidity_shocks:
        blocks.append(table(["month", "intensity"],
                            [(x.month, fmt(x.intensity, ".2f")) for x in spec.liquidity_shocks], numeric=[True, True],
                            caption="Liquidity shocks (1 = the March-2020 dash for cash)"))
    full = table(["setting", "value", "meaning"], [(k, v, d) for k, v, d, _ in rows])
    blocks += [
        f"<details><summary>Full specification ({len(rows)} settings)</summary>{full}</details>",
        heading("How the engine is calibrated"),
        para(f"The fiscal engine is fitted to CBO's {summary['baseline_vintage']} baseline: primary deficits, "
             "revenue and other means of financing by fiscal year come from CBO; the initial debt book (amounts "
             "by tenor and their coupons) from Treasury's Monthly Statement of the Public Debt and Fiscal Data's "
             "average interest rates; the yield path is fitted so that the engine's net interest matches CBO's "
             "year by year. Beyond CBO's ten-year window the primary deficit and revenue keep their last share of "
             + ("GDP and nominal GDP follows CBO's economic projections (the vintage of the baseline or the one "
                "before), then CBO's growth in its last projected year; baselines before January 2025 have none "
                "and grow 4.0% a year." if spec.fiscal.nominal_growth is None else
                f"GDP and nominal GDP grows {pct(spec.fiscal.nominal_growth)} a year (set by the scenario).")),
        para("The stochastic paths draw macro shocks (output gap, inflation, policy rate, term premium, primary "
             "balance) whose covariance is estimated from a quarterly VAR(1) on US data since 1990, leaving out "
             "the 2020Q1–2021Q2 pandemic quarters. Yields rise by "
             f"{fmt(spec.fiscal.fiscal_risk_premium_bp_per_pp, 'g')} bp per percentage point of debt/GDP above the "
             "baseline path (CBO Working Paper 2024-05; Gamber and Seliski 2019 find 2–3 bp)."),
        note("Sources: CBO baseline budget projections and historical data; U.S. Treasury Monthly Statement of the "
             "Public Debt and Fiscal Data average interest rates; FRED (Federal Reserve H.15, BEA). The complete "
             "run (Parquet tables, summary.json, fan PNGs) is in the scenario/ folder next to this page.",
             "source"),
    ]  # fmt: skip
    return Section("scenario", "Scenario and assumptions", tuple(blocks))


def fan_frame(result: Any, variable: str) -> pd.DataFrame:
    """Tidy fan data of one variable: ``scenario, variable, quantile, fiscal_year, value`` (ratios, decimal)."""
    frame = result.to_frame()
    part = frame[frame["variable"] == variable].rename(columns={"period": "fiscal_year"})
    part = part[["scenario", "variable", "quantile", "fiscal_year", "value"]].reset_index(drop=True)
    part["fiscal_year"] = part["fiscal_year"].astype(int)
    return part


def fan_chart_block(result: Any, variable: str) -> Chart:
    """The interactive fan chart, its PNG (:func:`geostress.results.plots.fan_chart`) and its data."""
    slug, title, axis, caption = FANS[variable]
    frame = fan_frame(result, variable)
    figure = band_figure(frame, "fiscal_year", x_title="fiscal year", y_title=axis, scale=100.0, y_suffix="%")
    start = getattr(getattr(result, "calibration", None), "start", None)
    if start is not None:
        caption += (f" The paths start in {start:%B %Y} and do not take account of data observed after that "
                    "month (a fiscal year already under way is projected, not read from the store).")
    return Chart(slug, title, caption + " Data file: decimals (1.2 = 120%, 0.04 = 4%).", frame, figure,
                 lambda path: fan_chart(result, variable, Path(path)))


def fan_section(result: Any) -> Section:
    """Headline figures, probabilities and the fan charts of debt/GDP, net interest/GDP and the 10-year yield."""
    head = result.headline()
    annual = result.annual_frame()
    y10, y30 = head["horizon_years"]
    ens = result.ensemble
    years = [int(y) for y in annual.index]
    p50 = list(QUANTILES).index(0.5)

    def median(variable: str, year: int) -> float:
        """The median over paths of ``variable`` in fiscal year ``year`` (the deterministic value without a fan)."""
        if ens is None:
            return float(annual.at[year, variable])
        return float(ens.fan[variable][p50][years.index(year)])

    def no_shock(variable: str, year: int) -> float:
        """The deterministic (no-shock) path's value in fiscal year ``year``: the same year as the median beside
        it."""
        return float(annual.at[year, variable])

    tiles = [
        (f"Debt/GDP FY{y10}, median", pct(head["debt_gdp_10y_p50"]),
         f"90th percentile {pct(head['debt_gdp_10y_p90'])}") if ens is not None else
        (f"Debt/GDP FY{y10}", pct(head["debt_gdp_10y_p50"]), "the deterministic path"),
    ]
    if y30 != y10:  # a horizon of ten years or less has one debt year to show, not the same tile twice
        tiles.append(
            (f"Debt/GDP FY{y30}, median", pct(head["debt_gdp_30y_p50"]),
             f"no-shock path {pct(no_shock('debt_to_gdp', y30))}") if ens is not None else
            (f"Debt/GDP FY{y30}", pct(head["debt_gdp_30y_p50"]), "the deterministic path"))
    tiles.append(
        (f"Net interest/GDP FY{y30}, median", pct(median("net_interest_to_gdp", y30)),
         f"{pct(median('interest_to_revenue', y30))} of revenue (median); no-shock path "
         f"{pct(no_shock('net_interest_to_gdp', y30))}") if ens is not None else
        (f"Net interest/GDP FY{y30}", pct(no_shock("net_interest_to_gdp", y30)),
         f"{pct(no_shock('interest_to_revenue', y30))} of revenue; the deterministic path"))
    blocks: list[Block] = [
        para("How the debt and its cost could evolve. Each stochastic path draws a different sequence of growth, "
             "inflation, interest-rate and budget shocks; the fan shows where most of them end up."
             if ens is not None else
             "This run is deterministic (simulation.paths = 0): one path with no shocks, no fan."),
        stats(tiles),
    ]  # fmt: skip
    if ens is not None:
        rows = [(probability_label(k), pct(v)) for k, v in ens.probabilities.items()]
        blocks.append(table(["event over the horizon", "probability"], rows, numeric=[False, True],
                            caption=f"Share of {ens.n_paths:,} paths (seed {ens.seed}); "
                                    f"{ens.n_exploded:,} explosive paths frozen at the crossing"))
    blocks += [fan_chart_block(result, v) for v in FANS]
    levels = ", ".join(f"p{round(q * 100):02d}" for q in QUANTILES)
    blocks.append(note(f"Quantiles over paths in the data files: {levels} and the deterministic path. "
                       "Source: geostress fiscal engine calibrated to CBO (see Scenario and assumptions).", "source"))
    return Section("fans", "Fan charts", tuple(blocks))
