"""``geostress minerals SCENARIO.toml``: the rare-earth mandate verdict (table or ``--json``) and result files."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from geostress.errors import GeostressError

JSON_KEYS = (
    "scenario", "china_free_share_day180", "allowed_china_share_day180", "mandate_met", "compliance_month_by_sector",
    "shortfall_by_sector_t", "covered_shortfall_by_sector_t", "shortfall_by_region_t", "binding_nodes",
    "base_year_china_share", "subsidy_cost_usd", "uncertainty",
)  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add the ``minerals`` command to ``app``."""

    @app.command("minerals")
    def minerals_cmd(
        scenario: Annotated[Path, typer.Argument(help="Minerals scenario TOML (e.g. scenarios/minerals-us-mandate.toml).")],
        as_json: Annotated[bool, typer.Option("--json", help="Print the verdict as JSON.")] = False,
        draws: Annotated[int | None, typer.Option("--draws", min=0, help="Monte Carlo draws over delays.")] = None,
        out: Annotated[Path | None, typer.Option("--out", help="Folder for summary.json, shortfall.csv, prices.csv.")] = None,
    ) -> None:
        """Rare-earth decoupling: China-free share at day 180, compliance month by sector, shortfalls, prices."""
        err = Console(stderr=True, soft_wrap=True)
        try:
            from geostress.run.minerals import load_minerals_spec, run_minerals, write_results

            spec = load_minerals_spec(scenario)
            result = run_minerals(spec, monte_carlo_draws=draws)
            folder = write_results(result, out or Path("out") / f"minerals-{spec.scenario.name}")
        except GeostressError as exc:
            err.print(f"[bold red]error:[/] {exc}", highlight=False)
            raise typer.Exit(1) from None
        s = result.summary
        if as_json:
            payload = {k: s[k] for k in JSON_KEYS if k in s}
            payload["price_usd_kg_china_free_ndpr_max"] = max(s["price_usd_kg_china_free"]["ndpr"])
            payload["results_folder"] = str(folder)
            sys.stdout.write(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
            return
        console = Console()
        share = s["china_free_share_day180"]
        table = Table(title=f"Rare-earth mandate verdict: {spec.scenario.name}")
        table.add_column("item")
        table.add_column("value", justify="right")
        table.add_row("China-free share of covered demand, day 180", "n/a" if share is None else f"{share:.1%}")
        table.add_row("mandate met at day 180", "[green]yes[/]" if s["mandate_met"] else "[red]no[/]")
        by = s["base_year_china_share"]
        table.add_row("base year China share (mine / separation / magnets)",
                      f"{by['mining']:.0%} / {by['separation']:.0%} / {by['magnets']:.0%}")
        table.add_row("price-floor subsidy cost", f"${s['subsidy_cost_usd'] / 1e6:,.0f}m")
        table.add_row("binding nodes at day 180", ", ".join(s["binding_nodes"][:6]) or "none")
        console.print(table)
        sectors = Table(title="Covered sectors: first month compliant (to the horizon) and shortfall")
        for col in ("sector", "compliant from month", "covered shortfall (t)", "world shortfall (t)"):
            sectors.add_column(col, justify="left" if col == "sector" else "right")
        for sector, month in s["compliance_month_by_sector"].items():
            sectors.add_row(sector, "never" if month is None else str(month),
                            f"{s['covered_shortfall_by_sector_t'].get(sector, 0):,.0f}",
                            f"{s['shortfall_by_sector_t'][sector]:,.0f}")
        console.print(sectors)
        err.print(f"results written to {folder}")
