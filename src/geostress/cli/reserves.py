"""``geostress reserves``: a reserve manager's optimal weights under freeze risk, the path and the implied p.

Wire it with ``register(app)`` in :mod:`geostress.cli`.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from geostress.cli.common import (AS_OF_HELP, console, friendly, pinned_day, pinned_store, pinned_words,
                                  plain_table, print_json, styled)
from geostress.errors import ScenarioError
from geostress.util.words import counted

_LABELS = {
    "ust_bills": "UST bills", "ust_2y": "UST 2y", "ust_5y": "UST 5y", "ust_10y": "UST 10y", "ust_30y": "UST 30y",
    "gold": "gold (home)", "eur_sov": "EUR sovereigns", "other_ae_sov": "other AE sov.", "em_local": "EM local",
    "mdb": "MDB bonds", "cash": "cash",
}  # fmt: skip


#: The option that sets each :class:`~geostress.spec.reserves.ReserveSpec` field: messages name what was typed.
OPTIONS: dict[str, str] = {
    "holder": "--holder", "p": "--p", "loss": "--loss", "ally_participation": "--allies", "method": "--method",
    "risk_aversion": "--risk-aversion", "max_pace": "--pace", "as_of": "--as-of",
}  # fmt: skip


@friendly
def reserves_cmd(
    holder: Annotated[str, typer.Option("--holder", help="Reserve holder (China).")] = "China",
    p: Annotated[float, typer.Option("--p", help="Annual freeze (sanction) probability, 0–1.")] = 0.02,
    loss: Annotated[float, typer.Option("--loss", help="Share L of exposed assets lost in a freeze, 0–1.")] = 1.0,
    allies: Annotated[float, typer.Option("--allies", help="Ally participation: exposure of EUR/other AE "
                                                           "sovereigns and MDB bonds, 0–1.")] = 0.5,
    method: Annotated[str, typer.Option("--method", help="mv (mean–variance) or cvar (mean–CVaR LP).")] = "mv",
    risk_aversion: Annotated[float, typer.Option("--risk-aversion", help="Mean–variance γ.")] = 8.0,
    pace: Annotated[float, typer.Option("--pace", help="Maximum one-way turnover per month (share), 0.001–1.")] = 0.005,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Month of the current portfolio (YYYY-MM; YYYY = its "
                                                              "December).")] = None,
    data_as_of: Annotated[str | None, typer.Option("--data-as-of", help=AS_OF_HELP.replace("this date", "this date "
                                                   "(not --as-of, the portfolio's month)"))] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Optimal reserve weights at freeze probability p, the rebalancing path and China's implied p since 2013."""
    from geostress.data.store import period_bound
    from geostress.run.reserves import run_reserves, sales_entries, treasury_sales_schedule
    from geostress.spec.reserves import ReserveSpec

    month = period_bound(as_of, "--as-of", "end")
    store = pinned_store(data_as_of, "--data-as-of")
    try:
        spec = ReserveSpec(holder=holder, p=p, loss=loss, ally_participation=allies, method=method,
                           risk_aversion=risk_aversion, max_pace=pace,
                           as_of=None if month is None else f"{month:%Y-%m}", names=OPTIONS)
    except ScenarioError as exc:
        # an option value out of its range is a usage error (status 2) naming the option (docs/cli.md), as for
        # `market impact --months 500`; the message already names it (``--p=2 must lie in [0, 1]``)
        raise typer.BadParameter(str(exc)) from None
    result = run_reserves(spec, store)
    if as_json:
        print_json({**result.to_json(), "data_as_of": pinned_day(store)})
        return
    console.print(weights_table(result, p, method, pinned_words(store)))
    if result.gold:
        g = result.gold
        console.print(f"Gold {g['moz']:,.2f} Moz at ${g['price_usd_oz']:,.0f}/oz (World Bank monthly average, "
                      f"{result.as_of}) = ${g['value_bn']:,.1f}bn, {g['share']:.1%} of reserves by value.",
                      markup=False, highlight=False)

    sales = treasury_sales_schedule(result)
    months = list(result.path)
    net = sum(a for _, a in sales)
    # (a path that buys Treasuries says so: "net Treasury purchases $1,310bn", never "sales $-1,310bn")
    trade = f"net Treasury {'sales' if net >= 0 else 'purchases'} ${abs(net):,.0f}bn"
    console.print(f"Rebalancing path: {counted(len(months) - 1, 'month')} at ≤{pace:.1%} turnover a month "
                  f"({months[0]} → {months[-1]}); Treasury share {result.current_ust_share:.1%} → "
                  f"{result.ust_share:.1%}; {trade}.")
    if len(months) > 1:
        # the sales column adds the months since the row above (a year, or less on the last row), so that the
        # column sums to the net sales above; one month's sale under a yearly row read as the year's
        path = plain_table("Path (every 12th month; net Treasury sales over the months since the row above, "
                           "purchases below 0)")
        for col in ("month", "Treasuries", "gold", "EUR sov.", "net sold $bn"):
            path.add_column(col, justify="right")
        shown = sorted({*range(0, len(months), 12), len(months) - 1})
        for before, k in zip([0, *shown], shown, strict=False):
            w = result.path[months[k]]
            sold = sum(amount for _, amount in sales[before:k])
            path.add_row(months[k], f"{sum(v for a, v in w.items() if a.startswith('ust_')):.1%}",
                         f"{w['gold']:.1%}", f"{w['eur_sov']:.1%}", "" if k == 0 else f"{sold:,.1f}")
        console.print(path)
    entries = sales_entries(result)
    if entries:
        total = sum(e["amount_bn"] for e in entries)
        console.print(f"Treasury sales along the path: {total:,.1f}bn by {entries[0]['holder']}. To run them through "
                      "the market block, give a scenario a [reserves] section (enabled = true, holder, "
                      "freeze_probability), e.g. `geostress run reserves-china-reallocates`.",
                      markup=False, highlight=False)

    implied = plain_table("Implied annual freeze probability (December of each year, last month last)")
    for col in ("month", "UST share", "gold share", "implied p", "note"):
        implied.add_column(col, justify="right")
    keys = list(result.implied_p)
    for m in [k for k in keys if k.endswith("-12")] + ([keys[-1]] if not keys[-1].endswith("-12") else []):
        flag = result.implied_flag[m]
        gold = result.observed_gold_share.get(m)
        implied.add_row(m, f"{result.observed_ust_share[m]:.1%}", "" if gold is None else f"{gold:.1%}",
                        f"{result.implied_p[m]:.2%}",
                        "" if flag == "interior" else flag)
    console.print(implied)


def _percent_of(q: float) -> str:
    """A freeze probability as a short column header: 0.0025 → ``0.25%``."""
    return f"{100 * q:g}%"


def weights_table(result: Any, p: float, method: str, pinned: str = "") -> Table:
    """Current, optimal and by-p weights, in percent of reserves: ten narrow number columns fit 80 columns
    (``pinned``: :func:`~geostress.cli.common.pinned_words` of the store read)."""
    grid = list(result.weights_by_p)
    table = plain_table(f"{result.holder}: weights in % of reserves ({method}, as of {result.as_of}, "
                        f"${result.total_bn:,.0f}bn{pinned}); now, optimal at p = {p:g}, and optimal at each "
                        "annual freeze probability p")
    table.add_column("asset", min_width=8, overflow="fold", ratio=1)
    for col in ("now", "opt.", *[_percent_of(q) for q in grid]):
        table.add_column(col, justify="right", no_wrap=True)
    for a, label in _LABELS.items():
        table.add_row(label, f"{100 * result.current[a]:.1f}", f"{100 * result.weights[a]:.1f}",
                      *[f"{100 * result.weights_by_p[q][a]:.1f}" for q in grid])
    ust_by_p = [sum(v for k, v in result.weights_by_p[q].items() if k.startswith("ust_")) for q in grid]
    table.add_row(styled(("Treasuries", "bold")), f"{100 * result.current_ust_share:.1f}",
                  f"{100 * result.ust_share:.1f}", *[f"{100 * u:.1f}" for u in ust_by_p])
    return table


def register(app: typer.Typer) -> None:
    """Add the ``reserves`` command to ``app``."""
    app.command("reserves")(reserves_cmd)
