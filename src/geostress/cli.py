"""The ``geostress`` command line (typer + rich).

Every command catches :class:`~geostress.errors.GeostressError` and prints its message (which names the file,
line, field or parameter and what to do) without a traceback, exiting with status 1.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import pandas as pd
import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from geostress.errors import GeostressError, SourceUnavailableError

app = typer.Typer(help="geostress: an open geo-economic stress lab.", no_args_is_help=True, add_completion=False)
data_app = typer.Typer(help="Official data: status, update, import, show, catalog, snapshot.", no_args_is_help=True)
snapshot_app = typer.Typer(help="The snapshot embedded in the package.", no_args_is_help=True)
app.add_typer(data_app, name="data")
data_app.add_typer(snapshot_app, name="snapshot")

console = Console()
err = Console(stderr=True, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., Any])


def friendly(func: F) -> F:
    """Turn :class:`GeostressError` into a one-line message and exit status 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GeostressError as exc:
            err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _date(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return pd.Timestamp(value).date()
    except (ValueError, TypeError):
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD", param_hint=name) from None


def _print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, indent=1, default=str, ensure_ascii=False) + "\n")


@contextmanager
def _spinner(text: str) -> Iterator[None]:
    """A transient spinner for work that may take more than a second (hidden when not on a terminal)."""
    with Progress(SpinnerColumn(), TextColumn(text), TimeElapsedColumn(), console=err, transient=True):
        yield


def _frame_table(frame: pd.DataFrame, title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False, box=box.SIMPLE_HEAD, pad_edge=False)
    for col in frame.columns:
        justify = "right" if pd.api.types.is_numeric_dtype(frame[col]) else "left"
        if col == "label":  # long free text: wrap it within a bounded width
            table.add_column(str(col), justify=justify, min_width=16, max_width=48, overflow="fold")
        elif col == "unit":
            table.add_column(str(col), justify=justify, min_width=7, overflow="fold")
        else:
            # numbers and dates stay on one line; names fold when the terminal is narrow
            short = col == "series_id" or pd.api.types.is_numeric_dtype(frame[col]) or \
                pd.api.types.is_datetime64_any_dtype(frame[col])
            table.add_column(str(col), justify=justify, overflow="fold", no_wrap=short)
    for row in frame.itertuples(index=False):
        table.add_row(*("" if pd.isna(v) else f"{v:%Y-%m-%d}" if isinstance(v, pd.Timestamp) else str(v) for v in row))
    return table


# -- data ------------------------------------------------------------------------------------------------------
@data_app.command("status")
@friendly
def data_status(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """What the store and the embedded snapshot hold, by source."""
    from geostress.data.store import Store, snapshot_manifest

    store = Store()
    frame = store.status()
    manifest = snapshot_manifest()
    if as_json:
        _print_json(
            {
                "home": str(store.home),
                "snapshot_built_at": manifest.get("built_at"),
                "sources": json.loads(frame.to_json(orient="records", date_format="iso")),
            }
        )
        return
    console.print(f"Store: [bold]{store.home}[/]   snapshot built {manifest.get('built_at', 'never')}")
    short = frame.rename(columns={"latest_vintage": "vintage", "latest_period": "last period"})
    console.print(_frame_table(short, title="Data by source (snapshot = shipped in the package)"))


@data_app.command("catalog")
@friendly
def data_catalog(
    pattern: Annotated[str | None, typer.Argument(help="Only series ids containing this text.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List every series with source, unit, coverage and latest vintage."""
    from geostress.data import catalog

    frame = catalog()
    if pattern:
        frame = frame[frame["series_id"].str.contains(pattern, regex=False)]
    if as_json:
        _print_json(json.loads(frame.to_json(orient="records", date_format="iso")))
        return
    columns = ["series_id", "unit", "start", "end", "label"]
    if console.width >= 110:
        columns[4:4] = ["latest_vintage"]
    if console.width >= 150:
        columns[4:4] = ["observations", "vintages", "source"]
    console.print(_frame_table(frame[columns]))


@data_app.command("show")
@friendly
def data_show(
    series: Annotated[str, typer.Argument(help="Series id, e.g. tic.mfh.china_mainland or fred.dgs10.")],
    start: Annotated[str | None, typer.Option(help="First period (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option(help="Last period (YYYY-MM-DD).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Only releases on or before this date.")] = None,
    vintage: Annotated[str | None, typer.Option(help="One release exactly, e.g. a CBO baseline date.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of observations.")] = False,
) -> None:
    """Print one series: period, value, unit, vintage and source."""
    from geostress.data import get

    frame = get(
        series,
        start=_date(start, "--start"),
        end=_date(end, "--end"),
        as_of=_date(as_of, "--as-of"),
        vintage=_date(vintage, "--vintage"),
    )
    out = frame[["period", "value", "unit", "vintage", "source"]].copy()
    if as_json:
        records = [
            {
                "period": f"{r.period:%Y-%m-%d}",
                "value": r.value,
                "unit": r.unit,
                "vintage": f"{r.vintage:%Y-%m-%d}",
                "source": r.source,
            }
            for r in out.itertuples(index=False)
        ]
        _print_json(records)
        return
    label = frame["label"].iloc[-1] if len(frame) else series
    console.print(_frame_table(out, title=f"{series} — {label}"))


@data_app.command("import")
@friendly
def data_import(
    path: Annotated[Path, typer.Argument(help="An official file as published.")],
    source: Annotated[str, typer.Option("--source", "-s", help="Source name, e.g. tic-mfh, fred, cbo-baselines.")],
    vintage: Annotated[str | None, typer.Option(help="Release date to record (default: printed in the file, else today).")] = None,
) -> None:
    """Import one official file as a new vintage (importing the same file twice changes nothing)."""
    from geostress.data import import_file

    with _spinner(f"Parsing {path.name}"):
        result = import_file(path, source, vintage=_date(vintage, "--vintage"))
    if result.added:
        vint = ", ".join(f"{v:%Y-%m-%d}" for v in result.vintages[-3:])
        console.print(f"Imported {result.rows:,} observations of {result.series} series from {path} (vintage {vint}).")
    else:
        console.print(f"Nothing changed: {path} is {result.reason} (sha256 {result.sha256[:12]}).")


@data_app.command("update")
@friendly
def data_update(
    source: Annotated[str | None, typer.Argument(help="One source (default: all).")] = None,
    api_key: Annotated[str | None, typer.Option(help="FRED API key (default: $FRED_API_KEY; keyless CSV otherwise).")] = None,
) -> None:
    """Download the latest releases from the official sources; keep every vintage."""
    from geostress.data import update

    if os.environ.get("GEOSTRESS_OFFLINE"):
        err.print("GEOSTRESS_OFFLINE is set: no download attempted; the embedded snapshot stays in use.")
        raise typer.Exit(1)
    key = api_key or os.environ.get("FRED_API_KEY")
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        tasks: dict[str, Any] = {}

        def hook(url: str, got: int, total: int | None) -> None:
            if url not in tasks:
                tasks[url] = progress.add_task(url.rsplit("/", 1)[-1][:60], total=total)
            progress.update(tasks[url], completed=got, total=total)

        try:
            outcomes = update([source] if source else None, progress=hook, api_key=key)
        except SourceUnavailableError as exc:
            err.print(f"[bold yellow]offline:[/] {exc}")
            raise typer.Exit(1) from None
    for outcome in outcomes:
        if outcome.result is None:
            err.print(f"[yellow]{outcome.source}[/] {outcome.url}: {outcome.error}")
        elif outcome.result.added:
            console.print(f"[green]{outcome.source}[/] {outcome.result.rows:,} observations, new vintage stored")
        else:
            console.print(f"{outcome.source}: {outcome.result.reason}, nothing changed")


@snapshot_app.command("build")
@friendly
def snapshot_build(
    data_dir: Annotated[Path, typer.Option("--from", help="Folder of the official files (layout of shared/data).")],
) -> None:
    """Rebuild the embedded snapshot from the official files with our own parsers."""
    from geostress.data.snapshot import build_snapshot

    with _spinner("Parsing official files"):
        manifest = build_snapshot(data_dir)
    console.print(f"Snapshot: {manifest['rows']:,} observations, {int(manifest['bytes']) / 1e6:.2f} MB, {len(manifest['files'])} files.")  # type: ignore[arg-type]


# -- fiscal engine checks ---------------------------------------------------------------------------------------
@app.command("sensitivity")
@friendly
def sensitivity_cmd(
    baseline: Annotated[str, typer.Option("--baseline", help="CBO vintage: cbo:YYYY-MM or cbo:latest.")] = "cbo:latest",
    all_rates: Annotated[float, typer.Option("--all-rates", help="Shift of every interest rate, pp (e.g. +0.1).")] = 0.1,
    years: Annotated[int, typer.Option(min=1, max=30, help="Fiscal years after the vintage's first.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Added net interest (and deficits) by fiscal year when all rates move, CBO-style, on any CBO vintage."""
    from geostress.sensitivity import cbo_sensitivity

    with _spinner(f"Calibrating to {baseline}"):
        result = cbo_sensitivity(baseline, all_rates, years=years)
    if as_json:
        _print_json(result.to_json())
        return
    table = Table(title=f"All rates {all_rates:+.2f} pp on {baseline}: added USD bn")
    for col in ("fiscal year", "net interest", "deficit"):
        table.add_column(col, justify="right")
    for y in result.years:
        table.add_row(str(y), f"{result.added_net_interest[y]:,.1f}", f"{result.added_deficit[y]:,.1f}")
    table.add_row(f"{result.years[0]}–{result.years[-1]}", f"{result.cumulative_net_interest:,.1f}",
                  f"{result.cumulative_deficit:,.1f}")
    console.print(table)
    if result.misfit_bn:
        gaps = ", ".join(f"FY{y} {v:+,.0f}bn" for y, v in result.misfit_bn.items())
        err.print(f"[yellow]note:[/] CBO's net interest could not be matched in {gaps} (model − CBO); "
                  "effects in those years rest on the nearest fit.")


@app.command("validate")
@friendly
def validate_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: a list of {id, target, value, tolerance, passed}.")] = False,
    only: Annotated[list[str] | None, typer.Option("--id", help="Run only these check ids.")] = None,
) -> None:
    """Run every published-figure check in the project; exit 1 if any fails."""
    from geostress.validate import REGISTRY, run_all

    with _spinner("Running published-figure checks"):
        rows = run_all(ids=only)
    if as_json:
        _print_json(rows)
    else:
        table = Table(title="Validation against published figures")
        for col in ("id", "target", "model", "tolerance", "result"):
            table.add_column(col, justify="left" if col in ("id", "result") else "right")
        kinds = {c.id: c.kind for c in REGISTRY}
        for r in rows:
            tol = f"±{r['tolerance']:.0%}" if kinds[str(r["id"])] == "relative" else f"±{r['tolerance']:g}"
            table.add_row(str(r["id"]), f"{r['target']:,.6g}", f"{r['value']:,.6g}", tol,
                          "[green]pass[/]" if r["passed"] else "[red]FAIL[/]")
        console.print(table)
    if not all(r["passed"] for r in rows):
        raise typer.Exit(1)


@app.command("tipping")
@friendly
def tipping_cmd(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    knob: Annotated[str, typer.Option("--knob", help="sale_bn (first sale) or section.field, e.g. contagion.yield_weight.")],
    value_range: Annotated[tuple[float, float], typer.Option("--range", help="LO HI of the knob.")],
    criterion: Annotated[str, typer.Option("--criterion", help="cascade or debt.")] = "cascade",
    paths: Annotated[int | None, typer.Option("--paths", help="Paths per evaluation (default: 0, deterministic).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Find the smallest knob value at which the loop becomes self-sustaining, and the distance to it."""
    from geostress.scenario import load_scenario
    from geostress.tipping import find_tipping_point

    spec = load_scenario(scenario).with_overrides(**{"simulation.paths": 0 if paths is None else paths})
    with _spinner(f"Bisecting {knob} over [{value_range[0]:g}, {value_range[1]:g}]"):
        point = find_tipping_point(spec, knob, value_range[0], value_range[1], criterion_name=criterion)
    if as_json:
        _print_json(point.to_json())
        return
    console.print(point.note + f"; the scenario has {knob} = {point.current:g}"
                  + ("" if point.distance is None else f" (distance {point.distance:+g})")
                  + f"; {point.evaluations} runs.")


# -- monitor ---------------------------------------------------------------------------------------------------
@app.command("monitor")
@friendly
def monitor_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON with the same fields.")] = False,
    config: Annotated[Path | None, typer.Option("--config", help="Alert thresholds (TOML).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Only data released on or before this date.")] = None,
) -> None:
    """The indicators markets watch: who is selling, how broadly, gold, yields, interest burden."""
    from geostress.analytics.monitor import build_monitor, load_alerts, render_monitor

    thresholds = load_alerts(config)
    report = build_monitor(as_of=_date(as_of, "--as-of"), alerts=thresholds)
    if as_json:
        _print_json(report)
        return
    render_monitor(report, console)


# -- run -------------------------------------------------------------------------------------------------------
@app.command("run")
@friendly
def run_cmd(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML), e.g. scenarios/baseline.toml.")],
    paths: Annotated[int | None, typer.Option("--paths", help="Stochastic paths (0: deterministic only).")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed (same seed, same paths).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: out/<scenario name>).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Run a fiscal stress scenario: fan charts, probabilities and tables written to a folder."""
    from geostress.engine import QUANTILES, run_scenario
    from geostress.results import write_results
    from geostress.scenario import load_scenario

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
        _print_json(summary)
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


def _register_commands() -> None:
    """Commands that live in their own modules (geostress.commands.*)."""
    from geostress.commands.claims import register as register_claims
    from geostress.commands.minerals import register as register_minerals
    from geostress.commands.report import register as register_report
    from geostress.commands.reserves import register as register_reserves
    from geostress.commands.serve import register as register_serve
    from geostress.commands.sweep import register as register_sweep

    register_claims(app)
    register_minerals(app)
    register_report(app)
    register_reserves(app)
    register_serve(app)
    register_sweep(app)


_register_commands()


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
