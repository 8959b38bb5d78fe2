"""``geostress market impact|replay``: what a Treasury sale does at a date, and what history's flows give against
the ACM term premium (:mod:`geostress.run.market`, :mod:`geostress.run.replay`).

Wire it with ``register(app)`` in :mod:`geostress.cli.app`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.table import Table

from geostress.cli.common import (AS_OF_HELP, MAX_MARKET_DRAWS, console, counted, friendly, pinned_day, pinned_store,
                                  pinned_words, plain_table, print_json, spinner)

if TYPE_CHECKING:
    from geostress.run.replay import ReplayResult

market_app = typer.Typer(help="The Treasury market block: price impact of a sale, replay of history.",
                         no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add ``market`` to ``app``."""
    app.add_typer(market_app, name="market")


def format_bn(value: float) -> str:
    """USD bn for a headline: up to two decimals from 1 (``300``, ``615.15``, ``22,755.9``), three significant
    digits below (``0.001``, ``0.25``), compact when huge (``1e+13``); −0 as 0."""
    value = float(value) + 0.0  # −0 + 0 is 0
    size = abs(value)
    if size == 0.0 or not math.isfinite(value):
        return f"{value:g}"
    if size < 1.0:
        return f"{value:.3g}"
    if size >= 1e12:
        return f"{value:.4g}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def number_option(option: str, give: str) -> Callable[[Any], float]:
    """The parser of a float option that echoes what was typed: a value that is not a finite number is a usage
    error for ``option`` (its hint) with the text as typed (``1e400``, not the ``inf`` it overflows to) and
    ``give``, what to give instead (the command line's check of non-finite floats,
    :func:`geostress.cli.app.harden`, sees only the parsed value)."""

    def parse(value: Any) -> float:
        if isinstance(value, int | float):  # a default, already a number
            return float(value)
        text = str(value).strip()
        try:
            number = float(text)
        except ValueError:
            raise typer.BadParameter(f"{text!r} is not a number: give {give}", param_hint=option) from None
        if math.isfinite(number):
            return number
        spelt = text.lstrip("+-").lower() in ("inf", "infinity", "nan")
        why = ("is not a finite number" if spelt else
               "is too large to be a finite number (a float holds up to about ±1.8e308)")
        raise typer.BadParameter(f"{text} {why}: give {give}", param_hint=option)

    return parse


def stress_words(stress: float) -> str:
    """", liquidity stress 1 (a dash for cash) in the sale's months" for a stated stress; "" for orderly selling
    (0, the default): the words the opening sentence adds."""
    if not stress:
        return ""
    what = "a dash for cash" if stress == 1.0 else "0 orderly, 1 a dash for cash"
    return f", liquidity stress {stress:g} ({what}) in the sale's months"


def _on_off(value: str, option: str) -> bool:
    if value.lower() not in ("on", "off"):
        raise typer.BadParameter(f"{option} must be on or off, not {value!r}")
    return value.lower() == "on"


@market_app.command("impact", short_help="What a sale does to the 10-year term premium: peak, persistent effect "
                                          "and range over parameter draws.")
@friendly
def impact_cmd(
    holder: Annotated[str, typer.Option("--holder", help="A TIC country at the date (its official holdings sell; "
                                                          "China, UK and other common names work), foreign_official, "
                                                          "private, foreign_private, domestic_private, or a holder "
                                                          "sector (e.g. japan_official).")],
    amount_bn: Annotated[float, typer.Option("--amount-bn", help="USD bn sold in all.", metavar="<float>",
                                             parser=number_option("--amount-bn", "the USD bn sold, e.g. 300"))],
    months: Annotated[int, typer.Option("--months", help="Months the sale is spread over (evenly).")] = 1,
    at: Annotated[str | None, typer.Option("--at", help="Market of this month (YYYY-MM): holders, debt and GDP "
                                                        "from the store; default the latest.")] = None,
    backstop: Annotated[str, typer.Option("--backstop", help="on or off: the Fed's market-functioning "
                                                             "backstop (orderly selling, whatever its motive, meets "
                                                             "its orderly trigger: purchases from 80-110 bp of flow "
                                                             "pressure; a dash for cash, --liquidity-stress 1, its "
                                                             "March-2020 trigger: from 5-15 bp).")] = "on",
    draws: Annotated[int, typer.Option("--draws", help="Parameter draws from the priors (0: one path at the prior "
                                                       "medians; 0 and 1 give no range).")]
    = 1000,
    motive: Annotated[str, typer.Option("--motive", help="diversification or liquidity (FX defence: flight-to-"
                                                         "quality and FIMA repo apply).")] = "diversification",
    fima: Annotated[str, typer.Option("--fima", help="on or off: the FIMA repo facility (opened 31 March 2020), "
                                                     "which finances part of a liquidity sale.")] = "on",
    liquidity_stress: Annotated[float, typer.Option("--liquidity-stress", help="The market's liquidity stress in the "
                                                    "sale's months: 0 orderly selling (default), 1 a market-wide "
                                                    "dash for cash as in March 2020: the share of the sale's "
                                                    "pressure the backstop meets from its March-2020 trigger.",
                                                    metavar="<float>",
                                                    parser=number_option("--liquidity-stress", "a number from 0 "
                                                                         "(orderly selling) to 1 (a dash for "
                                                                         "cash)"))] = 0.0,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the parameter draws (≥ 0).")] = 20260201,
    as_of: Annotated[str | None, typer.Option("--as-of", "--data-as-of", help=AS_OF_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What a sale of AMOUNT over MONTHS does to the 10-year term premium: the peak, the persistent effect (at
    month 24, or 12 months after a longer sale ends), their 5th–95th percentiles over parameter draws, and the path
    by month."""
    from geostress.run.market import impact, impact_option_problem, stress_without_backstop

    # bad option values are usage errors (status 2, docs/cli.md), checked before the store is read
    motive = motive.strip().lower()  # any case, as --backstop and --fima take ON or Off
    problem = impact_option_problem(amount_bn, months, motive, liquidity_stress=liquidity_stress)
    if problem:
        raise typer.BadParameter(str(problem))
    if not 0 <= draws <= MAX_MARKET_DRAWS:
        raise typer.BadParameter(f"--draws must lie in 0..{MAX_MARKET_DRAWS:,}, not {draws} (docs/cli.md, Limits)")
    on = _on_off(backstop, "--backstop")
    fima_on = _on_off(fima, "--fima")
    if liquidity_stress and not on:
        raise typer.BadParameter(stress_without_backstop(liquidity_stress))
    store = pinned_store(as_of)
    with spinner("Pricing the sale"):
        result = impact(store, holder, amount_bn, months, at=at, backstop=on, draws=draws, seed=seed,
                        motive=motive, fima=fima_on, liquidity_stress=liquidity_stress)
    data = {**result.to_json(), "data_as_of": pinned_day(store)}
    if as_json:
        print_json(data)
        return
    pp = data["amount_pp_gdp"]
    pp_text = f"{pp:.2f}" if pp == 0 or pp >= 0.01 else f"{pp:.2g}"  # a small sale's share is not 0.00
    draws_text = ("1 parameter draw (one draw: no range)" if result.draws == 1 else
                  counted(result.draws, "parameter draw") if result.draws else
                  "one path at the prior medians (no draws: no range)")
    seed_text = f", seed {result.seed}" if result.draws else ""  # (no draws: no seed)
    qt = result.holder == "fed"  # the Fed's sale is quantitative tightening: a motive says nothing about it
    console.print(f"{result.holder} sells ${format_bn(result.amount_bn)}bn{' (quantitative tightening)' if qt else ''} "
                  f"over {counted(months, 'month')} at the market of {result.at:%b %Y} (GDP ${result.gdp_bn:,.0f}bn: "
                  f"{pp_text} pp){'' if qt else f', motive {result.motive}'}, backstop {data['backstop']}"
                  f"{', FIMA repo off' if result.motive == 'liquidity' and not result.fima else ''}"
                  f"{stress_words(result.liquidity_stress)}, "
                  f"{draws_text}{seed_text}{pinned_words(store)}.")
    if result.outside_evidence:
        console.print(f"warning: outside the evidence: {result.outside_evidence}.", markup=False, highlight=False)
    for note in (result.range_note, result.stabilisers_note):
        if note:
            console.print(f"note: {note}.", markup=False, highlight=False)
    one = result.draws <= 1  # one path: a value, no range
    table = plain_table("10-year term premium, bp")
    stats = ("median",) if one else ("median", "p05", "p95")
    for col in ("", "value") if one else ("", "median", "5th pct", "95th pct"):
        table.add_column(col, justify="right" if col else "left")
    table.add_row("peak", *(f"{result.peak[k]:+.1f}" for k in stats))
    table.add_row(f"persistent (month {result.persistent_month})", *(f"{result.persistent[k]:+.2f}" for k in stats))
    table.add_row("  stock effect alone", *(f"{result.stock_effect[k]:+.2f}" for k in stats))
    if result.backstop_off is not None:  # the same draws without the backstop, side by side
        off = result.backstop_off
        table.add_row("peak, backstop off", *(f"{off['peak'][k]:+.1f}" for k in stats))
        table.add_row(f"persistent (month {result.persistent_month}), backstop off",
                      *(f"{off['persistent'][k]:+.2f}" for k in stats))
    console.print(table)
    bought = [f"the backstop buys ${format_bn(round(result.backstop_bn['median'], 1))}bn"] if result.backstop else []
    if result.motive == "liquidity" and result.fima:
        bought.append(f"the FIMA repo finances ${format_bn(round(result.fima_bn['median'], 1))}bn of the sale "
                      "(not sold)")
    if bought:
        text = "; ".join(bought)
        text = f"{text[0].upper()}{text[1:]}" if one else f"Median over the draws: {text}"
        console.print(f"{text}.", markup=False, highlight=False)
    path = result.path
    months_shown = sorted({1, 3, 6, 12, 18, months, result.persistent_month} & set(path["month"]))
    console.print(("by month: " if one else "by month (median): ") + ", ".join(
        f"{m}: {path.loc[path.month == m, 'median'].item():+.1f}" for m in months_shown))


@market_app.command("replay", short_help="Feed history's flows through the block and compare with the ACM "
                                          "10-year term premium.")
@friendly
def replay_cmd(
    start: Annotated[str, typer.Option("--from", help="First month (YYYY-MM; a YYYY-MM-DD names its month).")]
    = "2000-01",
    end: Annotated[str, typer.Option("--to", help="Last month (YYYY-MM; a YYYY-MM-DD names its month).")]
    = "2025-12",
    flows: Annotated[str, typer.Option("--flows", help="Comma-separated: fed, foreign_official, foreign_private, "
                                                        "supply.")] = "fed,foreign_official,foreign_private,supply",
    fed_lead: Annotated[int, typer.Option("--fed-lead", min=0, help="Book the Fed's purchases this many months "
                                          "before they settle (priced at announcement; 0 or more); the Fed's "
                                          "holdings must reach that far past --to.")] = 0,
    duration_years: Annotated[float | None, typer.Option("--duration-years", help="Duration (years) with which "
                                                          "valuation comes out of TIC's holdings, market values from "
                                                          "2012 (default 4, calibrated on March-May 2020; 0: "
                                                          "none).", metavar="<float>",
                                                          parser=number_option("--duration-years", "a number of "
                                                                               "years from 0 to 20, e.g. 4"))]
    = None,
    as_of: Annotated[str | None, typer.Option("--as-of", "--data-as-of", help=AS_OF_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Feed the store's monthly flows (TIC, TREAST, debt held by the public) through the block and compare with
    the ACM 10-year term premium. Scores over the window: the slope of observed on modelled 3-month changes and the
    ratio of standard deviations of 12-month changes. The scores are n/a when a chosen flow is missing in more than
    20% of the window's months."""
    from geostress.run.replay import duration_problem, replay

    problem = None if duration_years is None else duration_problem(duration_years)
    if problem:  # a usage error, before the store is read
        raise typer.BadParameter(problem)
    store = pinned_store(as_of)
    with spinner("Replaying the flows"):
        result = replay(store, start, end, flows=flows, fed_lead_months=fed_lead, duration_years=duration_years)
    if as_json:
        print_json({**result.to_json(), "data_as_of": pinned_day(store)})
        return
    fed = "fed" in result.flows  # (replay refuses --fed-lead without it)
    lead = f", the Fed's purchases booked {counted(fed_lead, 'month')} early" if fed and fed_lead else ""
    if duration_years is not None:  # (the default goes unsaid, as --fed-lead 0 does)
        lead += (", no valuation taken out of TIC's holdings" if not result.duration_years else
                 f", valuation taken out of TIC's holdings with {result.duration_years:g} years of duration")
    backstop = ("observed Fed purchases in place of the backstop rule" if fed else
                "no Fed flow and no backstop rule")
    console.print(f"Replay {result.start} → {result.end}, flows: {', '.join(result.flows)}{lead} (prior medians, "
                  f"{backstop}{pinned_words(store)}).")
    console.print(replay_table(result))
    console.print(evidence_line(result), markup=False, highlight=False)
    if result.large_moves_note:
        console.print(f"note: {result.large_moves_note}.", markup=False, highlight=False)
    if result.episodes:
        episodes = Table(box=box.SIMPLE_HEAD, title="Episodes, change over the episode's months, bp")
        for col in ("episode", "modelled", "observed (ACM)"):
            episodes.add_column(col, justify="left" if col == "episode" else "right")
        for name, modelled, observed in result.episodes:
            episodes.add_row(name, "n/a" if result.withheld else f"{modelled:+.1f}", f"{observed:+.1f}")
        console.print(episodes)
        console.print("The model starts from zero flow pressure and stock at the end of the month before "
                      f"{result.start}: an episode's modelled change depends on where the window starts "
                      "(docs/market.md).",
                      markup=False, highlight=False)
    for name, why in result.episodes_left_out:
        console.print(f"episode left out: {name}: {why}.", markup=False, highlight=False)
    yearly = result.monthly.resample("YE").last()
    if result.withheld:  # the modelled path is not scored: show what was observed only
        console.print(f"year ends (observed, bp; modelled n/a: {result.withheld}): " + "; ".join(
            f"{i:%Y} {r.observed_bp:+.0f}" for i, r in yearly.iterrows()))
    else:
        console.print("year ends (modelled / observed, bp): " + "; ".join(
            f"{i:%Y} {r.modelled_bp:+.0f}/{r.observed_bp:+.0f}" for i, r in yearly.iterrows()))


def evidence_line(result: ReplayResult) -> str:
    """MARKET_EVIDENCE §3's bands for a replay's scores, with this window's scores judged against them
    (:attr:`geostress.run.replay.ReplayResult.verdicts`: not for a score that is n/a or a window under three
    years), and the whole window's known gap."""
    from geostress.run.replay import REPLAY_JUDGED_MONTHS, REPLAY_SD_RATIO_MAX, REPLAY_SLOPE_BAND

    (low, high), most, verdicts = REPLAY_SLOPE_BAND, REPLAY_SD_RATIO_MAX, result.verdicts
    judged = []
    if verdicts["slope_in_band"] is not None:
        side = "inside" if verdicts["slope_in_band"] else "outside"
        # within two standard errors of zero: a slope inside the band is then no evidence for it
        zero = (f" (s.e. {result.slope_3m_se:.2f}: not told from zero)"
                if verdicts["slope_told_from_zero"] is False else "")
        judged.append(f"slope {result.slope_3m:.2f}{zero}: {side}")
    if verdicts["sd_ratio_within"] is not None:
        judged.append(f"SD ratio {result.sd_ratio_12m:.2f}: {'within' if verdicts['sd_ratio_within'] else 'above'}")
    window = f" This window: {'; '.join(judged)}." if judged else ""
    if not judged and len(result.monthly) < REPLAY_JUDGED_MONTHS and not result.withheld:
        window = f" A window under {REPLAY_JUDGED_MONTHS} months is not judged against them."
    return (f"MARKET_EVIDENCE §3 [judgement]: a slope of {low}–{high} and an SD ratio ≤ {most:g}.{window} Over "
            "2000–2025 the slope is a known gap (`geostress validate`): near zero, not identified by observed "
            "flows, which respond to prices (docs/market.md).")


#: The rows of :func:`replay_table`, short enough to stay on one line beside their values at 80 columns.
REPLAY_LABELS = ("modelled change, bp", "observed ACM change, bp", "3-month slope, observed on modelled",
                 "12-month SD ratio, modelled / observed", "months with a missing flow (set to 0)")


def replay_table(result: ReplayResult) -> Table:
    """The replay's scores, a row each: the labels (:data:`REPLAY_LABELS`) never wrap, the values fold when the
    console is narrow (a withheld score's reason, the months each flow misses)."""
    table = plain_table()
    table.add_column("", no_wrap=True)
    table.add_column("value", justify="right", overflow="fold")
    modelled, observed, slope, sd_ratio, missing = REPLAY_LABELS
    withheld = f"n/a ({result.withheld})" if result.withheld else None  # a chosen flow missing for much of it
    table.add_row(modelled, withheld or f"{result.modelled_change_bp:+.1f}")
    table.add_row(observed, f"{result.observed_change_bp:+.1f}")
    table.add_row(slope, withheld or (
        f"{result.slope_3m:.2f} (s.e. {result.slope_3m_se:.2f}; corr {result.corr_3m:.2f})"
        if math.isfinite(result.slope_3m) else "n/a (the window needs 10 months, with a modelled path that moves)"))
    table.add_row(sd_ratio, withheld or (
        f"{result.sd_ratio_12m:.2f}" if math.isfinite(result.sd_ratio_12m) else "n/a (the window needs 14 months)"))
    if result.months_missing:
        which = ", ".join(f"{flow} {n}" for flow, n in (result.missing_by_flow or {}).items())
        table.add_row(missing, f"{result.months_missing} of {len(result.monthly)} ({which})")
    return table
