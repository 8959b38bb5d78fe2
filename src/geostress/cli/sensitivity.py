"""``geostress sensitivity``: CBO-style rate sensitivity on any CBO vintage."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from geostress.cli.common import (AS_OF_HELP, console, friendly, note, pinned_day, pinned_store, plain_table,
                                  print_json, spinner)
from geostress.errors import ScenarioError


def in_option_words(text: str) -> str:
    """A message of :func:`geostress.run.sensitivity.cbo_sensitivity` about ``shock_pp`` in the command's words:
    ``--all-rates -3.14`` for ``shock_pp=-3.14``, without the note for command-line users."""
    text = re.sub(r"\s*\(on the command line, --all-rates [^)]*\)", "", text)
    text = re.sub(r"\s*\(--all-rates [^)]* on the command line\)", "", text)
    return re.sub(r"shock_pp=([+-]?[\d.]+)", r"--all-rates \1", text)


def register(app: typer.Typer) -> None:
    """Add ``sensitivity`` to ``app``."""
    app.command("sensitivity")(sensitivity_cmd)



@friendly
def sensitivity_cmd(
    baseline: Annotated[str, typer.Option("--baseline", help="CBO vintage: cbo:YYYY-MM or cbo:latest.")] = "cbo:latest",
    all_rates: Annotated[float, typer.Option("--all-rates", min=-5.0, max=10.0,
                                             help="Shift of every interest rate, pp (e.g. +0.1).")] = 0.1,
    years: Annotated[int, typer.Option(min=1, max=30, help="Fiscal years after the vintage's first.")] = 10,
    fed_reserves_bn: Annotated[float | None, typer.Option(
        "--fed-reserves-bn", min=0.0, max=20_000.0,
        help="Reserve balances the Fed pays interest on, USD bn (default: $3,000bn, today's size, for a run "
        "starting from October 2008, none before; set it for older vintages, e.g. 1600 for 2011).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", "--data-as-of", help=AS_OF_HELP + " cbo:latest is then the "
                                              "latest baseline published by that date.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Added net interest (and deficits) by fiscal year when all rates move, CBO-style, on any CBO vintage."""
    from geostress.run.sensitivity import cbo_sensitivity

    store = pinned_store(as_of)
    with spinner(f"Calibrating to {baseline}"):
        try:
            result = cbo_sensitivity(baseline, all_rates, years=years, store=store, fed_reserves_bn=fed_reserves_bn)
        except ScenarioError as exc:
            if exc.parameter != "shock_pp":
                raise
            raise ScenarioError(in_option_words(str(exc)), parameter="shock_pp") from None
    if as_json:
        print_json({**result.to_json(), "data_as_of": pinned_day(store)})
        return
    pinned = "" if store.known_by is None else f" (data as released by {pinned_day(store)})"
    table = plain_table(f"All rates {all_rates:+.2f} pp on {baseline}{pinned}: added USD bn")
    for col in ("fiscal year", "net interest", "deficit"):
        table.add_column(col, justify="right")
    for y in result.years:
        table.add_row(str(y), f"{result.added_net_interest[y]:,.1f}", f"{result.added_deficit[y]:,.1f}")
    table.add_row(f"{result.years[0]}–{result.years[-1]}", f"{result.cumulative_net_interest:,.1f}",
                  f"{result.cumulative_deficit:,.1f}")
    console.print(table)
    if result.fed_reserves_bn is not None:
        reserves = (f"the Fed pays interest on ${result.fed_reserves_bn:,.0f}bn of reserves" if result.fed_reserves_bn
                    else "no interest on reserves (--fed-reserves-bn 0)" if fed_reserves_bn is not None
                    else "no interest on reserves over this whole horizon: the run starts before October 2008, when "
                    "the Fed began paying it, and the model holds one figure for the horizon")
        if result.fed_holdings_missing:
            back = "none of the extra interest comes back: see below"
        else:
            back = f"its share of the debt, fed_share_of_debt: {result.fed_share_of_debt or 0.0:.3f}, of the extra " \
                   "interest comes back"
        note(f"Deficit: net interest plus the Fed's lower remittances ({reserves}; {back}).")
    for text in result.notes:
        note(text)
    if result.misfit_bn:
        gaps = ", ".join(f"FY{y} {v:+,.0f}bn" for y, v in result.misfit_bn.items())
        note(f"CBO's net interest could not be matched in {gaps} (model − CBO); effects in those years rest on the "
             "nearest fit.")


