"""``geostress minerals SCENARIO.toml``: the rare-earth mandate verdict (table or ``--json``) and result files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from geostress.cli.common import (AS_OF_HELP, MAX_DRAWS, OUT_OPTION, check_draws, console, err, friendly,
                                  output_folder_for, pinned_day, pinned_store, plain_table, print_json, steps, styled)
from geostress.util.words import counted

JSON_KEYS = (
    "scenario", "china_free_share_day180", "allowed_china_share_day180", "mandate_met", "mandate_deadlines",
    "compliance_month_by_sector",
    "shortfall_by_sector_t", "covered_shortfall_by_sector_t", "shortfall_by_region_t", "binding_nodes",
    "base_year_china_share", "base_year", "subsidy_cost_usd", "uncertainty",
)  # fmt: skip
#: Binding nodes the verdict lists by name; the rest are counted ("… and 19 more").
BINDING_SHOWN = 6


def list_some(items: list[str], shown: int = BINDING_SHOWN) -> str:
    """The first ``shown`` of ``items`` joined by commas, with how many more there are; ``none`` when empty."""
    if not items:
        return "none"
    more = len(items) - shown
    return ", ".join(items[:shown]) + (f" … and {more:,} more" if more > 0 else "")


def register(app: typer.Typer) -> None:
    """Add the ``minerals`` command to ``app``."""

    @app.command("minerals")
    @friendly
    def minerals_cmd(
        scenario: Annotated[Path, typer.Argument(help="A minerals scenario: a preset name (minerals-us-mandate; "
                                                 "`geostress scenarios list`) or a TOML file.")],
        as_json: Annotated[bool, typer.Option("--json", help="Print the verdict as JSON.")] = False,
        draws: Annotated[int | None, typer.Option("--draws", min=0, max=MAX_DRAWS, help="Monte Carlo draws over "
                                                  f"delays (at most {MAX_DRAWS:,}).")] = None,
        out: Annotated[Path | None, typer.Option("--out", help="Folder for summary.json, shortfall.csv, prices.csv "
                                                "(default: out/minerals-<scenario name>).", **OUT_OPTION)] = None,
        seed: Annotated[int | None, typer.Option("--seed", min=0, help="Seed of the Monte Carlo draws (default: the "
                                                 "scenario's monte_carlo.seed; same seed, same draws).")] = None,
        as_of: Annotated[str | None, typer.Option("--as-of", "--data-as-of", help=AS_OF_HELP)] = None,
    ) -> None:
        """Rare-earth decoupling: China-free share at day 180, compliance month by sector, shortfalls, prices."""
        from geostress.run.minerals import run_minerals, write_results
        from geostress.spec.minerals import load_minerals_spec

        spec = load_minerals_spec(scenario)
        if seed is not None:  # validated as the file's own [monte_carlo] seed would be
            data = spec.model_dump()
            data["monte_carlo"]["seed"] = seed
            spec = type(spec).model_validate(data)
        check_draws(draws if draws is not None else spec.monte_carlo.draws,
                    where="--draws" if draws is not None else f"{scenario}: monte_carlo.draws")
        store = pinned_store(as_of)  # (a bad date: a usage error before the folder is made)
        with (output_folder_for(out, spec.scenario.name, prefix="minerals-") as folder,
              steps(f"{spec.scenario.name}: running the network") as step):
            result = run_minerals(spec, store, monte_carlo_draws=draws)
            result.summary["data_as_of"] = pinned_day(store)  # in summary.json too: the day the figures rest on
            step("writing results")
            write_results(result, folder)
        s = result.summary
        if as_json:
            payload = {k: s[k] for k in (*JSON_KEYS, "data_as_of") if k in s}
            payload["price_usd_kg_china_free_ndpr_max"] = max(s["price_usd_kg_china_free"]["ndpr"])
            payload["results_folder"] = str(folder)
            print_json(payload)
            return
        day = pinned_day(store)
        render_verdict(s, spec.scenario.name + ("" if day is None else f" (data as released by {day})"))
        err.print(Text(f"results written to {folder}"))


def render_verdict(s: dict[str, Any], name: str) -> None:
    """Print the verdict and the sector table of a minerals summary (fits 80 columns: sector names wrap)."""
    share = s["china_free_share_day180"]
    table = plain_table(f"Rare-earth mandate verdict: {name}")
    table.add_column("item", overflow="fold")
    table.add_column("value", justify="right", no_wrap=True)
    table.add_row("China-free share of covered demand, day 180", "n/a" if share is None else f"{share:.1%}")
    spread = draws_spread(s.get("uncertainty"))
    if spread:
        table.add_row(*spread)
    from geostress.run.minerals import deadline_words

    met, when = s["mandate_met"], deadline_words(s)
    table.add_row(f"mandate met at {when}" if when else "mandate met",
                  "n/a" if met is None else styled(("yes", "green")) if met else styled(("no", "red")))
    by = s["base_year_china_share"]
    table.add_row(f"base year {s.get('base_year', '')} China share (mine / separation / magnets)",
                  f"{by['mining']:.0%} / {by['separation']:.0%} / {by['magnets']:.0%}")
    table.add_row("price-floor subsidy cost", f"${s['subsidy_cost_usd'] / 1e6:,.0f}m")
    console.print(table)
    console.print(Text("Binding nodes at day 180: " + list_some(s["binding_nodes"], BINDING_SHOWN)))
    sectors = plain_table("Covered sectors: first month compliant to the horizon, and shortfall in tonnes "
                          "(covered demand; world)")
    sectors.add_column("sector", no_wrap=True)
    for col in ("compliant from month", "covered (t)", "world (t)"):
        sectors.add_column(col, justify="right", no_wrap=True)
    bands = (s.get("uncertainty") or {}).get("compliance_month_by_sector") or {}
    if bands:  # a fifth column: the headers short enough for 80 columns
        for column, header in zip(sectors.columns[1:], ("from month", "covered t", "world t"), strict=True):
            column.header = header
        sectors.add_column("delays p10–p90", justify="right", no_wrap=True)
    for sector, month in s["compliance_month_by_sector"].items():
        band = (compliance_band(bands[sector]),) if bands else ()
        sectors.add_row(sector, "never" if month is None else str(month),
                        f"{s['covered_shortfall_by_sector_t'].get(sector, 0):,.0f}",
                        f"{s['shortfall_by_sector_t'][sector]:,.0f}", *band)
    if bands:
        sectors.caption, sectors.caption_justify = Text(DELAYS_NOTE), "left"
    console.print(sectors)


#: Under the tables of a run with Monte Carlo draws: why the nominal figures sit at the draws' optimistic end.
DELAYS_NOTE = ("The figures without a range use the projects' nominal dates. The draws only make projects late "
               "(never early), so the nominal figures are the optimistic end of the range; a nominal month, on "
               "weekly steps, can be one month before its band, on monthly steps (docs/minerals.md).")


def draws_spread(uncertainty: dict[str, Any] | None) -> tuple[str, str] | None:
    """The verdict table's row for the day-180 share over the Monte Carlo draws (p10–p90), or None without draws."""
    if not uncertainty or not uncertainty.get("china_free_share_day180"):
        return None
    q = uncertainty["china_free_share_day180"]
    if q.get("p10") is None or q.get("p90") is None:
        return None
    seed = f", seed {uncertainty['seed']}" if uncertainty.get("seed") is not None else ""
    return (f"  with {counted(int(uncertainty['draws']), 'draw')} of project delays{seed}, p10–p90",
            f"{q['p10']:.1%}–{q['p90']:.1%}")


def compliance_band(q: dict[str, Any]) -> str:
    """A sector's first compliant month over the draws: ``p10–p90`` months, with the share of draws compliant
    within the horizon when some are not."""
    share = q.get("p_compliant_in_horizon")
    if q.get("p10") is None or q.get("p90") is None:
        return "never" if not share else f"{share:.0%} of draws"
    low, high = round(float(q["p10"])), round(float(q["p90"]))
    band = str(low) if low == high else f"{low}–{high}"
    return band if share is None or share >= 1 else f"{band} ({share:.0%} of draws)"
