"""``geostress data``: status, catalog, show, import, update and the snapshot."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

from geostress.cli.common import (console, counted, err, error, frame_table, friendly, plain_table, print_json,
                                  spinner, styled)
from geostress.errors import SourceUnavailableError

data_app = typer.Typer(help="Official data: status, update, import, show, catalog, snapshot.", no_args_is_help=True)
snapshot_app = typer.Typer(help="The snapshot embedded in the package.", no_args_is_help=True)
data_app.add_typer(snapshot_app, name="snapshot")


def register(app: typer.Typer) -> None:
    """Add the ``data`` group to ``app``."""
    app.add_typer(data_app, name="data")



# ------------------------------------------------------------------------------------------------------
@data_app.command("status")
@friendly
def data_status(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """What the store and the embedded snapshot hold, by source."""
    from geostress.data.store import Store, snapshot_manifest

    store = Store()
    frame = store.status()
    manifest = snapshot_manifest()
    if as_json:
        print_json(
            {
                "home": str(store.home),
                "snapshot_built_at": manifest.get("built_at"),
                "sources": json.loads(frame.to_json(orient="records", date_format="iso")),
                "quarantined": [str(p) for p in store.quarantined_files()],
            }
        )
        return
    console.print(styled("Store: ", (str(store.home), "bold"), f"   snapshot built {manifest.get('built_at', 'never')}"))
    short = frame.rename(columns={"latest_vintage": "vintage", "latest_period": "up to"})
    console.print(frame_table(short, title="Data by source (snapshot = shipped in the package)"))
    damaged = store.quarantined_files()
    if damaged:
        err.print(
            f"{counted(len(damaged), 'damaged store file')} set aside in {store.quarantine_dir} (a note beside each "
            "says why): import the official files again, then delete them.",
            markup=False, highlight=False,
        )  # fmt: skip


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
        print_json(json.loads(frame.to_json(orient="records", date_format="iso")))
        return
    if pattern and frame.empty:  # say so, with the ids nearest the text, rather than print an empty table
        from geostress.util.suggest import did_you_mean

        ids = catalog()["series_id"].tolist()
        console.print(f"no series id contains {pattern!r}{did_you_mean(pattern, ids)} "
                      "(`geostress data catalog` lists them all)", markup=False, highlight=False)
        return
    console.print(catalog_table(frame, console.width))


def catalog_table(frame: Any, width: int) -> Any:
    """The catalog for a terminal ``width`` columns wide.

    Below 120 columns each series is one row of id and label (the label wrapped under the id), unit and coverage;
    dates are never cut. From 120 columns the label gets its own column, and the latest vintage is added; from 150
    the observation and vintage counts and the source too.
    """
    from rich.text import Text

    if width < 120:
        table = plain_table()
        table.add_column("series id / label", overflow="fold", ratio=1, min_width=24)
        table.add_column("unit", overflow="fold", max_width=14)
        table.add_column("from", no_wrap=True, min_width=10)
        table.add_column("to", no_wrap=True, min_width=10)
        for row in frame.itertuples(index=False):
            label = "" if row.label is None else str(row.label)
            table.add_row(Text.assemble((str(row.series_id), "bold"), "\n", (label, "dim")), Text(str(row.unit)),
                          f"{row.start:%Y-%m-%d}", f"{row.end:%Y-%m-%d}")
        return table
    columns = ["series_id", "unit", "start", "end", "latest_vintage", "label"]
    if width >= 150:
        columns[4:4] = ["observations", "vintages", "source"]
    return frame_table(frame[columns])


@data_app.command("show")
@friendly
def data_show(
    series: Annotated[str, typer.Argument(help="Series id, e.g. tic.mfh.china_mainland or fred.dgs10.")],
    start: Annotated[str | None, typer.Option(help="First period: YYYY, YYYY-MM or YYYY-MM-DD (2013 = from January).")] = None,
    end: Annotated[str | None, typer.Option(help="Last period: YYYY, YYYY-MM or YYYY-MM-DD (2013-11 = through 30 Nov).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Only releases on or before this date (2026-03 = by 31 Mar).")] = None,
    vintage: Annotated[str | None, typer.Option(help="One release exactly, e.g. a CBO baseline: 2026-02-01 or 2026-02.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of observations.")] = False,
) -> None:
    """Print one series: period, value, unit, vintage and source."""
    from geostress.data import get
    from geostress.data.store import period_bound

    first, last = period_bound(start, "--start", "start"), period_bound(end, "--end", "end")
    if first is not None and last is not None and first > last:
        raise typer.BadParameter(
            f"--start {start} (from {first:%Y-%m-%d}) is after --end {end} (to {last:%Y-%m-%d}); nothing lies "
            "between them: swap them or give a later --end",
            param_hint="--start",
        )
    frame = get(series, start=first, end=last, as_of=period_bound(as_of, "--as-of", "end"), vintage=vintage)
    if frame.empty:  # a valid request that matched nothing: say so rather than print an empty table
        _say_nothing_matched(series, start=start, end=end, as_of=as_of, vintage=vintage)
        if as_json:
            print_json([])
        return
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
        print_json(records)
        return
    label = frame["label"].iloc[-1] if len(frame) else series
    console.print(frame_table(out, title=f"{series} — {label}"))


def _say_nothing_matched(
    series: str, *, start: str | None, end: str | None, as_of: str | None, vintage: str | None
) -> None:
    """Say on standard error that a valid request matched no observation, with what the series does hold."""
    from geostress.data import catalog, vintages

    row = catalog().set_index("series_id").loc[series]
    held = vintages(series)
    shown = ", ".join(f"{v:%Y-%m-%d}" for v in held) if len(held) <= 8 else (
        f"{len(held)} releases, {held[0]:%Y-%m-%d} .. {held[-1]:%Y-%m-%d}")
    asked = " ".join(f"{k} {v}" for k, v in (("--start", start), ("--end", end), ("--as-of", as_of),
                                              ("--vintage", vintage)) if v is not None)
    err.print(
        f"note: no observation of {series} matched {asked or 'the request'}; it holds periods "
        f"{row['start']:%Y-%m-%d} .. {row['end']:%Y-%m-%d}, vintages {shown}. Widen the window.",
        markup=False, highlight=False,
    )  # fmt: skip


@data_app.command("import")
@friendly
def data_import(
    path: Annotated[Path, typer.Argument(help="An official file as published.")],
    source: Annotated[str, typer.Option("--source", "-s", help="Source name, e.g. tic-mfh, fred, cbo-baselines.")],
    vintage: Annotated[str | None, typer.Option(help="Release date (YYYY-MM-DD) of a file that prints none; must agree with a printed one.")] = None,
    allow_new_names: Annotated[bool, typer.Option("--allow-new-names", help="Accept names the source never used (tic-mfh: a new holder).")] = False,
) -> None:
    """Import one official file as a new vintage (importing the same file twice changes nothing)."""
    from geostress.data import import_file

    when = None
    if vintage is not None:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", vintage.strip()):
                raise ValueError(vintage)
            when = date.fromisoformat(vintage.strip())
        except ValueError:
            raise typer.BadParameter(
                f"{vintage!r} is not a valid release date; give the day the file was released as YYYY-MM-DD, "
                "e.g. 2026-03-18", param_hint="--vintage",
            ) from None
    with spinner(f"Parsing {path.name}"):
        result = import_file(path, source, vintage=when, allow_new_names=allow_new_names)
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
    allow_new_names: Annotated[bool, typer.Option("--allow-new-names", help="Accept names a source never used (tic-mfh: a new holder).")] = False,
) -> None:
    """Download the latest releases from the official sources; keep every vintage."""
    from geostress.data import update

    if os.environ.get("GEOSTRESS_OFFLINE"):
        error("GEOSTRESS_OFFLINE is set: no download attempted; the embedded snapshot stays in use (with anything "
              "imported before); unset GEOSTRESS_OFFLINE to download")
        raise typer.Exit(1)
    key = api_key or os.environ.get("FRED_API_KEY")
    columns = (TextColumn("{task.description}", markup=False), BarColumn(), DownloadColumn(), TimeElapsedColumn())
    # no live display unless standard error is a terminal: rich's transient display would leave an empty line
    # there, before an error message (docs/cli.md: one line, no empty line before it)
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as progress:
        tasks: dict[str, Any] = {}

        def hook(url: str, got: int, total: int | None) -> None:
            if url not in tasks:
                tasks[url] = progress.add_task(url.rsplit("/", 1)[-1][:60], total=total)
            progress.update(tasks[url], completed=got, total=total)

        try:
            outcomes = update([source] if source else None, progress=hook, api_key=key, allow_new_names=allow_new_names)
        except SourceUnavailableError as exc:  # a documented error: `error: offline: …` (docs/cli.md)
            error(f"offline: {exc}")
            raise typer.Exit(1) from None
    for outcome in outcomes:
        if outcome.result is None:
            err.print(styled((outcome.source, "yellow"), f" {outcome.url}: {outcome.error}"))
        elif outcome.result.added:
            console.print(styled((outcome.source, "green"), f" {outcome.result.rows:,} observations, new vintage stored"))
        else:
            console.print(f"{outcome.source}: {outcome.result.reason}, nothing changed")


@snapshot_app.command("build")
@friendly
def snapshot_build(
    data_dir: Annotated[Path, typer.Option("--from", help="Folder of the official files (layout of shared/data).")],
) -> None:
    """Rebuild the embedded snapshot from the official files with our own parsers (no-op when nothing changed)."""
    from geostress.data.snapshot import build_snapshot

    with spinner("Parsing official files"):
        manifest = build_snapshot(data_dir)
    if manifest.get("unchanged"):
        console.print(f"Snapshot unchanged: the official files give the same data as the current version "
                      f"{manifest['version']} (built {manifest.get('built_at', '?')}), which stays in place; "
                      "nothing was written.")
        return
    console.print(f"Snapshot: {manifest['rows']:,} observations, {int(manifest['bytes']) / 1e6:.2f} MB, {len(manifest['files'])} files.")  # type: ignore[arg-type]
