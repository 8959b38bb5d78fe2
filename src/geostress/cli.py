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
    table = Table(title=title, show_lines=False)
    for col in frame.columns:
        table.add_column(str(col), justify="right" if pd.api.types.is_numeric_dtype(frame[col]) else "left")
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
    console.print(_frame_table(frame, title="Data by source (snapshot = shipped in the package)"))


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
    console.print(_frame_table(frame))


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


# -- monitor ---------------------------------------------------------------------------------------------------
@app.command("monitor")
@friendly
def monitor_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON with the same fields.")] = False,
    config: Annotated[Path | None, typer.Option("--config", help="Alert thresholds (TOML).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Only data released on or before this date.")] = None,
) -> None:
    """The indicators markets watch: who is selling, how broadly, gold, yields, interest burden."""
    from geostress.monitor import build_monitor, load_alerts, render_monitor

    thresholds = load_alerts(config)
    report = build_monitor(as_of=_date(as_of, "--as-of"), alerts=thresholds)
    if as_json:
        _print_json(report)
        return
    render_monitor(report, console)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
