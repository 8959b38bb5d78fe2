"""``geostress run``: one scenario, fans, probabilities and tables written to a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from geostress.cli.common import console, err, friendly, print_json


def register(app: typer.Typer) -> None:
    """Add ``run`` to ``app``."""
    app.command("run")(run_cmd)



# -- run -------------------------------------------------------------------------------------------------------
@friendly
def run_cmd(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML), e.g. scenarios/baseline.toml.")],
    paths: Annotated[int | None, typer.Option("--paths", help="Stochastic paths (0: deterministic only).")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed (same seed, same paths).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: out/<scenario name>).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Run a fiscal stress scenario: fan charts, probabilities and tables written to a folder."""
    from geostress.run.engine import QUANTILES, run_scenario
    from geostress.results import write_results
    from geostress.spec.scenario import load_scenario

    spec = load_scenario(scenario)
    overrides: dict[str, Any] = {}
    if paths is not None:
        overrides["simulation.paths"] = paths
    if seed is not None:
        overrides["simulation.seed"] = seed
    if overrides:
        spec = spec.with_overrides(**overrides)
    n_paths = spec.simulation.paths
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,} paths"),
               TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(f"{spec.name}: calibrating", total=max(n_paths, 1))

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=f"{spec.name}: simulating")

        result = run_scenario(spec, progress=progress)
        bar.update(task, description=f"{spec.name}: writing results")
        target = out if out is not None else Path("out") / spec.name
        files = write_results(result, target)
    summary = result.summary()
    if as_json:
        print_json(summary)
        return

    def pct(x: float) -> str:
        return f"{100 * x:.1f}%"

    det = summary["deterministic"]
    first, last = summary["fiscal_years"]  # type: ignore[misc]
    console.print(f"[bold]{spec.name}[/]  CBO baseline {summary['baseline_vintage']}, FY{first}–FY{last}")
    table = Table(title=f"FY{last}", show_lines=False)
    table.add_column("measure")
    table.add_column("deterministic", justify="right")
    ens = result.ensemble
    if ens is not None:
        table.add_column("median", justify="right")
        table.add_column("5–95 range", justify="right")
    names = {"debt_to_gdp": "debt / GDP", "net_interest_to_gdp": "net interest / GDP",
             "interest_to_revenue": "interest / revenue", "yield_10y": "10y yield"}
    lo, mid, hi = QUANTILES.index(0.05), QUANTILES.index(0.50), QUANTILES.index(0.95)
    annual = result.annual_frame()
    for var, label in names.items():
        row = [label, pct(float(annual[var].iloc[-1]))]
        if ens is not None:
            fan = ens.fan[var][:, -1]
            row += [pct(fan[mid]), f"{pct(fan[lo])} – {pct(fan[hi])}"]
        table.add_row(*row)
    console.print(table)
    if det.get("exploded"):  # type: ignore[union-attr]
        console.print("[yellow]the deterministic path crossed the explosive threshold[/]")
    if ens is not None:
        for key, value in ens.probabilities.items():
            console.print(f"  {key:<34} {value:6.1%}")
        console.print(f"  {ens.n_paths:,} paths, seed {ens.seed}; explosive paths (debt/GDP > 1000%, frozen): "
                      f"{ens.n_exploded:,}")
    else:
        console.print("  deterministic only (paths = 0)")
    console.print(f"Results in [bold]{files['fan'].parent}[/]: " + ", ".join(p.name for p in files.values()))
