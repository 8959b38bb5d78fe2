"""``geostress sweep SWEEP.toml``: a grid or random design over a scenario's knobs and/or many paths, in chunks on
dask.distributed, streamed to Parquet, resumable.

Wire it with ``register(app)`` in :mod:`geostress.cli`.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn
from rich.progress import TimeElapsedColumn, TimeRemainingColumn
from rich.text import Text

from geostress.cli.common import (BYTES_PER_PATH, MAX_PATHS, MEMORY_BUDGET_BYTES, LimitError, console, counted, err,
                                  friendly, note, output_folder, print_json, styled)
from geostress.errors import GeostressError

if TYPE_CHECKING:
    from geostress.run.sweep import SweepPlan
    from geostress.spec.sweep import SweepSpec

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


def check_sweep_paths(plan: SweepPlan, spec: SweepSpec, where: str) -> None:
    """Refuse, before any work, a sweep whose scenarios with the market block ask for more paths than one run may.

    A sweep splits a fiscal-only scenario's paths into chunks, but runs a coupled scenario (the market block) whole,
    in one chunk, so the limit of a coupled run (:data:`~geostress.cli.common.MAX_PATHS`) applies to each of them.

    Raises
    ------
    LimitError
        Naming the sweep file's field (``paths_per_scenario``, or the base's ``simulation.paths`` when the file
        sets none), the limit and the memory it stands for.
    """
    coupled = plan.coupled_ids
    limit = MAX_PATHS["coupled"]
    if not coupled or plan.paths <= limit:
        return
    field = ("paths_per_scenario" if spec.paths_per_scenario is not None
             else "the base scenario's simulation.paths (the sweep file sets no paths_per_scenario)")
    which = ("its one scenario" if plan.n_scenarios == 1 else f"all {len(coupled):,} scenarios"
             if len(coupled) == plan.n_scenarios
             else f"{len(coupled):,} of {plan.n_scenarios:,} scenarios, e.g. {plan.label(coupled[0])}")
    need = plan.paths * BYTES_PER_PATH["coupled"] / 1e9
    raise LimitError(
        f"{where}: {field} = {plan.paths:,} is over the limit of {limit:,} paths for a scenario with the market "
        f"block ({which} here): a sweep runs such a scenario's paths together in one chunk, at about "
        f"{BYTES_PER_PATH['coupled'] / 1e3:,.0f} KB a path ({need:,.0f} GB here; the limits fit a 2-core, 24 GB "
        f"machine; docs/cli.md, Limits). Set paths_per_scenario to at most {limit:,}; for more paths, run the sweep "
        "again with another seed into another --out and pool the tables (docs/sweep.md)."
    )


def default_workers(plan: SweepPlan, cpus: int | None = None) -> int | None:
    """Worker processes of a local cluster when ``--workers`` is not given, or None for the usual default (the CPU
    count, at most the number of chunks): fewer when every worker holding one coupled scenario's paths (about
    :data:`~geostress.cli.common.BYTES_PER_PATH` each) would not fit the memory budget of one command."""
    if not plan.coupled_ids or plan.paths == 0:
        return None
    cpus = cpus or os.cpu_count() or 1
    fit = max(1, MEMORY_BUDGET_BYTES // (plan.paths * BYTES_PER_PATH["coupled"]))
    return fit if fit < min(cpus, len(plan.chunks)) else None


@friendly
def sweep_cmd(
    spec_file: Annotated[Path, typer.Argument(help="Sweep file (TOML), e.g. scenarios/sweep-demo.toml.")],
    cluster: Annotated[str, typer.Option("--cluster", help="local (a LocalCluster), serial (this process) or a "
                                                           "scheduler address such as tcp://HOST:8786.")] = "local",
    workers: Annotated[int | None, typer.Option("--workers", min=1, max=64, help="Worker processes of the local "
                                                                                  "cluster (default: CPU count).")]
    = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: out/<sweep name>).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
) -> None:
    """Run a sweep: many scenarios and/or paths in chunks on dask.distributed, written to partitioned Parquet."""
    from geostress.run.sweep import MANIFEST, load_sweep_spec, plan_sweep, sweep

    if cluster not in ("local", "serial") and not SCHEDULER_ADDRESS.match(cluster):
        raise typer.BadParameter(f"{cluster!r} is neither local, serial nor a scheduler address such as "
                                 "tcp://HOST:8786", param_hint="--cluster")
    if cluster not in ("local", "serial") and workers is not None:
        raise typer.BadParameter("--workers applies to --cluster local only", param_hint="--workers")
    spec, base = load_sweep_spec(spec_file)
    plan = plan_sweep(spec, base)
    check_sweep_paths(plan, spec, str(spec_file))
    if cluster == "local" and workers is None:
        workers = default_workers(plan)
        if workers is not None:
            note(f"{workers} worker{'s' if workers > 1 else ''}: each holds a market scenario's "
                 f"{plan.paths:,} paths in memory (about {plan.paths * BYTES_PER_PATH['coupled'] / 1e9:,.1f} GB); "
                 "--workers to choose")
    target = output_folder(out, spec.name)
    client: object = None if cluster == "local" else "serial" if cluster == "serial" else connect(cluster)
    try:
        columns = (TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
                   TextColumn("chunks"), _Rate(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
        start = time.perf_counter()
        skipped = -1
        with Progress(*columns, console=err, transient=True) as bar:
            task = bar.add_task(f"{spec.name}: starting", total=len(plan.chunks))

            def progress(done: int, total: int) -> None:
                nonlocal skipped
                if skipped < 0:
                    skipped = done
                    bar.reset(task, total=total, completed=done, description=f"{spec.name}: running")
                    return
                bar.update(task, completed=done, total=total)

            table = sweep(spec, client, base=base, out=target, workers=workers, progress=progress)
        seconds = time.perf_counter() - start
    finally:
        if client not in (None, "serial"):
            client.close()  # type: ignore[attr-defined]
    summary = {
        "sweep": spec.name, "out": str(target), "manifest": str(target / MANIFEST), "scenarios": plan.n_scenarios,
        "paths_per_scenario": plan.paths, "chunks": len(plan.chunks), "chunks_skipped": max(skipped, 0),
        "rows": len(table), "seconds": round(seconds, 3), "cluster": cluster, "fingerprint": plan.fingerprint,
        "seeding": plan.seeding, "seeds": plan.seeding_text,
    }  # fmt: skip
    if as_json:
        print_json(summary)
        return
    console.print(styled((spec.name, "bold"), f": {counted(plan.n_scenarios, 'scenario')} × "
                  f"{counted(plan.paths, 'path')} in {counted(len(plan.chunks), 'chunk')} "
                  f"({summary['chunks_skipped']:,} already done) → {len(table):,} rows "
                  f"in {seconds:.1f} s; table: {target}/part-*.parquet (pandas.read_parquet('{target}'))"))
    console.print(f"seeds: {plan.seeding_text}")


def register(app: typer.Typer) -> None:
    """Add the ``sweep`` command to ``app``."""
    app.command("sweep")(sweep_cmd)
