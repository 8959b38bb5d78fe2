"""``geostress report SCENARIO.toml --out DIR``: one self-contained HTML report, PNG figures and chart data.

Wire it with ``register(app)`` in :mod:`geostress.cli`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from geostress.errors import GeostressError

err = Console(stderr=True, soft_wrap=True)


def report_cmd(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML), e.g. scenarios/baseline.toml.")],
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: out/report-<scenario name>).")]
    = None,
    claims: Annotated[Path | None, typer.Option("--claims", help="An article (text or HTML, Chinese or English) "
                                                                 "whose numbers are checked in a Claims section.")]
    = None,
    minerals: Annotated[Path | None, typer.Option("--minerals", help="Rare-earth scenario for the verdict (default: "
                                                                     "scenarios/minerals-us-mandate.toml if found).")]
    = None,
    no_tipping: Annotated[bool, typer.Option("--no-tipping", help="Skip the tipping-point bisection (the slowest "
                                                                  "section).")] = False,
    paths: Annotated[int | None, typer.Option("--paths", min=0, help="Override simulation.paths (0: deterministic).")]
    = None,
) -> None:
    """Write report.html (interactive charts, works offline), figures/*.png, data/*.csv and the scenario run."""
    from geostress.report import build_report, load_report_spec

    try:
        spec, _, _ = load_report_spec(scenario)
        target = out if out is not None else Path("out") / f"report-{spec.name}"
        with err.status("Preparing the report", spinner="dots") as status:
            page = build_report(scenario, target, claims_path=claims, minerals_path=minerals,
                                tipping=not no_tipping, paths=paths, progress=lambda text: status.update(text))
    except GeostressError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    typer.echo(f"report written to {page}")


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to ``app``."""
    app.command("report")(report_cmd)
