"""``geostress sweep SWEEP.toml``: a grid or random design over a scenario's knobs and/or many paths, in chunks on
dask.distributed, streamed to Parquet, resumable.

Wire it with ``register(app)`` in :mod:`geostress.cli`.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn
from rich.progress import TimeElapsedColumn, TimeRemainingColumn
from rich.text import Text

from geostress.cli.common import (OUT_OPTION, console, counted, err, friendly, note, output_folder_for, print_json,
                                  styled)
from geostress.errors import GeostressError
from geostress.run.limits import BYTES_PER_PATH, MEMORY_BUDGET_BYTES

if TYPE_CHECKING:
    from geostress.run.sweep import SweepPlan

#: A dask scheduler address: ``tcp://HOST:PORT`` (also ``tls://``, ``ws://``, ``wss://``, ``ucx://``).
SCHEDULER_ADDRESS = re.compile(r"^(tcp|tls|ws|wss|ucx)://[^\s/]+:\d{1,5}/?$")
#: Seconds to wait for a scheduler given by address.
CONNECT_TIMEOUT_S = 10


class _Rate(ProgressColumn):
    """Chunks per second since the first chunk of this run finished."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("-- chunks/s" if speed is None else f"{speed:.2f} chunks/s", style="progress.data.speed")


def connect(address: str) -> object:
    """A ``distributed.Client`` on the scheduler at ``address``.

    Raises
    ------
    GeostressError
        The scheduler cannot be reached within :data:`CONNECT_TIMEOUT_S` seconds; the message names it.
    """
    from distributed import Client

    try:
        return Client(address, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as exc:
        raise GeostressError(f"--cluster {address}: cannot reach a dask scheduler there within {CONNECT_TIMEOUT_S} s "
                             f"({type(exc).__name__}: {exc}); start one (`dask scheduler`) or use --cluster local"
                             ) from None


def default_workers(plan: SweepPlan, cpus: int | None = None) -> int | None:
    """Worker processes of a local cluster when ``--workers`` is not given, or None for the usual default (the CPU
    count, at most the number of chunks): fewer when every worker holding one coupled scenario's paths (about
    :data:`~geostress.run.limits.BYTES_PER_PATH` each) would not fit the memory budget of one command."""
    if not plan.coupled_ids or plan.paths == 0:
        return None
    cpus = cpus or os.cpu_count() or 1
    fit = max(1, MEMORY_BUDGET_BYTES // (plan.paths * BYTES_PER_PATH["coupled"]))
    return fit if fit < min(cpus, len(plan.chunks)) else None


@contextmanager
def _bar(name: str, chunks: int) -> Iterator[Callable[[int, int], None]]:
    """A transient bar of chunks on a terminal, updated as ``update(done, total)``; nothing when standard error is not
    a terminal (rich's transient display would still leave an empty line there, before any error message)."""
    if not err.is_terminal:
        yield lambda done, total: None
        return
    columns = (TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
               TextColumn("chunks"), _Rate(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(f"{name}: starting", total=chunks)
        started = False

        def update(done: int, total: int) -> None:
            nonlocal started
            if not started:
                started = True
                bar.reset(task, total=total, completed=done, description=f"{name}: running")
                return
            bar.update(task, completed=done, total=total)

        yield update


@friendly
def sweep_cmd(
    spec_file: Annotated[str, typer.Argument(help="A sweep preset name, e.g. sweep-demo, or a sweep file (TOML).")],
    cluster: Annotated[str, typer.Option("--cluster", help="local (a LocalCluster), serial (this process) or a "
                                                           "scheduler address such as tcp://HOST:8786.")] = "local",
    workers: Annotated[int | None, typer.Option("--workers", min=1, max=64, help="Worker processes of the local "
                                                                                  "cluster (default: CPU count).")]
    = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: out/<sweep name>).",
                                                         **OUT_OPTION)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
) -> None:
    """Run a sweep: many scenarios and/or paths in chunks on dask.distributed, written to partitioned Parquet."""
    from geostress.run.sweep import MANIFEST, check_sweep_paths, load_sweep_spec, plan_sweep, sweep

    if cluster not in ("local", "serial") and not SCHEDULER_ADDRESS.match(cluster):
        raise typer.BadParameter(f"{cluster!r} is neither local, serial nor a scheduler address such as "
                                 "tcp://HOST:8786", param_hint="--cluster")
    if cluster != "local" and workers is not None:
        raise typer.BadParameter(f"--workers applies to --cluster local only (not {cluster})", param_hint="--workers")
    spec, base = load_sweep_spec(spec_file)
    plan = plan_sweep(spec, base)  # once: sweep() is given it (planning validates every scenario)
    check_sweep_paths(plan, spec, str(spec_file))  # (sweep() checks it too; here before the cluster starts)
    if cluster == "local" and workers is None:
        workers = default_workers(plan)
        if workers is not None:
            note(f"{counted(workers, 'worker')}: each holds a market scenario's "
                 f"{plan.paths:,} paths in memory (about {plan.paths * BYTES_PER_PATH['coupled'] / 1e9:,.1f} GB); "
                 "--workers to choose")
    client: object = None
    skipped = -1
    # a sweep refused before it wrote anything leaves no empty folder behind (output_folder_for)
    with output_folder_for(out, spec.name) as target:
        try:
            client = None if cluster == "local" else "serial" if cluster == "serial" else connect(cluster)
            start = time.perf_counter()
            with _bar(spec.name, len(plan.chunks)) as bar:

                def progress(done: int, total: int) -> None:
                    nonlocal skipped
                    if skipped < 0:
                        skipped = done
                    bar(done, total)

                table = sweep(spec, client, base=base, out=target, workers=workers, progress=progress, plan=plan)
            seconds = time.perf_counter() - start
        finally:
            if client not in (None, "serial"):
                client.close()  # type: ignore[attr-defined]
    summary = {
        "sweep": spec.name, "out": str(target), "manifest": str(target / MANIFEST), "scenarios": plan.n_scenarios,
        "paths_per_scenario": plan.paths, "chunks": len(plan.chunks), "chunks_skipped": max(skipped, 0),
        "rows": len(table), "seconds": round(seconds, 3), "cluster": cluster, "fingerprint": plan.fingerprint,
        "seeding": plan.seeding, "seeds": plan.seeding_text, "provenance": _provenance(target / MANIFEST),
    }  # fmt: skip
    if as_json:
        print_json(summary)
        return
    console.print(styled((spec.name, "bold"), f": {counted(plan.n_scenarios, 'scenario')} × "
                  f"{counted(plan.paths, 'path')} in {counted(len(plan.chunks), 'chunk')} "
                  f"({summary['chunks_skipped']:,} already done) → {len(table):,} rows "
                  f"in {seconds:.1f} s; table: {target}/part-*.parquet (pandas.read_parquet('{target}'))"))
    console.print(f"seeds: {plan.seeding_text}")
    data = (summary["provenance"] or {}).get("data")  # type: ignore[union-attr]
    if isinstance(data, dict):
        files = counted(int(data.get("batches") or 0), "imported file")
        console.print(f"data: snapshot {data.get('snapshot') or '(none)'}, {files} "
                      f"(fingerprint {data.get('fingerprint')})")


def _provenance(manifest: Path) -> dict[str, object] | None:
    """The sweep's ``provenance`` as its manifest records it (``geostress_version``, ``data`` without the imported
    files' names, ``baseline_vintages``); ``None`` when the manifest has none."""
    import json

    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8")).get("provenance")
    except (OSError, ValueError):
        return None
    if not isinstance(recorded, dict):
        return None
    data = recorded.get("data")
    if isinstance(data, dict):
        recorded = {**recorded, "data": {k: v for k, v in data.items() if k != "batch_names"}}
    return recorded


def register(app: typer.Typer) -> None:
    """Add the ``sweep`` command to ``app``."""
    app.command("sweep")(sweep_cmd)
