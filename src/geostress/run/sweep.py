"""Sweeps: many scenarios (a grid or random design over a base scenario's knobs) and/or many paths, run in chunks
on ``dask.distributed``, streamed to partitioned Parquet, resumable and deterministic.

The sweep file is described in :mod:`geostress.spec.sweep`.

Chunks. Scenario ``i`` with ``P`` paths is cut into path ranges of at most ``chunk_paths`` paths; scenarios that
are cheaper than a chunk (few paths, or deterministic only) are packed together until a chunk holds about
``chunk_paths`` paths of work (a deterministic run counts :data:`DETERMINISTIC_COST` paths). The plan depends on
the spec only, never on the cluster, so the ``chunk`` column is the same for any number of workers.

Seeds (:data:`SEEDING`). By default grid points use common random numbers: every point of a ``[grid]`` runs with
``seed`` itself, so two points differ only by their knobs, never by their draws; draw ``d`` of a ``[random]`` design
runs with ``SeedSequence(seed).spawn(n)[d]`` (63 bits), shared by the grid points it is combined with.
``common_random_numbers = true`` gives every scenario ``seed``; ``false`` gives scenario ``i``
``SeedSequence(seed).spawn(n_scenarios)[i]``. A sweep without knobs (one scenario's ensemble in chunks, e.g.
``sweep(scenario_spec)``) runs with ``seed`` itself, which defaults to the scenario's ``simulation.seed``. Paths use
the engine's block seeding (:func:`geostress.run.engine.draw_paths`, and the market block's per-path prior draws),
so a path's numbers depend only on (scenario seed, path index): results are identical to
:func:`geostress.run.engine.run_scenario` on that scenario, for any chunking, worker count or completion order.

Checks. Every scenario is validated while planning; before any chunk runs, :func:`check_scenarios` also checks
every scenario's baseline against the store and the events of every coupled scenario against the holder sectors of
its baseline (unknown holders, sales above holdings, events past the horizon, unmodelled reserve holders). Errors
name the sweep file (a sweep read from one: :attr:`SweepPlan.where`), the sweep, the scenario and its knob values;
one a scenario's run raises in its chunk (a ``[reserves]`` section turned into sales) names the chunk too.

Output (``out`` folder): ``part-<chunk>.parquet`` per chunk (6 digits), each written to a hidden temporary file
and moved into place with :func:`os.replace` by the client as the chunk finishes, so a file is complete or absent;
``_sweep.json`` holds the spec, a fingerprint and the chunk list (its leading underscore keeps
``pandas.read_parquet(out)`` reading the parts only). Re-running the same sweep into the same folder skips every
chunk whose file exists; a folder holding another sweep is refused unless none of its chunks finished (then its
``_sweep.json`` is replaced, so a sweep that failed before its first chunk can be re-run with a corrected file). A
sweep that fails before any chunk finished removes the ``_sweep.json`` it wrote: it leaves nothing behind.
Data. A sweep's chunks all compute from the same data: ``_sweep.json`` records the client's data fingerprint
(:meth:`geostress.data.store.Store.data_fingerprint`: snapshot version and imported files) under ``provenance``;
a sweep resumed after the store changed (an import, another snapshot) is refused before any work, naming both, as
is a folder of an older geostress that recorded none; each chunk reports the fingerprint of the store it read on
its worker, and a chunk whose data differ from the plan's stops the sweep (no part written for it), naming the
chunk and the worker's data. Each part file carries its chunk's provenance in its Parquet metadata
(:data:`PART_METADATA_KEY`).
Rows (see :data:`RESULT_COLUMNS`): ``scenario_id, chunk, path, seed``, one column per
knob (named by its dotted name), then the results; ``path = -1`` is the scenario's deterministic (zero-shock)
path, ``0 .. P-1`` its stochastic paths. The market block's figures (:data:`MARKET_COLUMNS`) are filled per path
for coupled scenarios and NaN for fiscal-only ones, so every part file has the same schema.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geostress.errors import DataError, GeostressError, LimitError, ScenarioError, StoreError
from geostress.run.limits import MAX_PATHS, memory_words
from geostress.spec import knobs as knob_paths
from geostress.spec.scenario import ScenarioSpec, parse_scenario
from geostress.spec.sweep import RandomDesign, SweepSpec, is_int_knob, load_sweep_spec, parse_sweep
from geostress.util.words import counted

__all__ = [
    "DETERMINISTIC_COST", "MARKET_COLUMNS", "RESULT_COLUMNS", "SEEDING", "Chunk", "Piece", "RandomDesign",
    "SweepMemoryError", "SweepPlan", "SweepSpec", "check_scenarios", "check_sweep_paths", "load_sweep",
    "load_sweep_spec", "parse_sweep", "plan_sweep", "read_sweep", "run_chunk", "sweep",
]  # fmt: skip

DETERMINISTIC_COST = 16  # a deterministic run (plus building its spec) costs about as much as 16 stochastic paths
MANIFEST = "_sweep.json"
#: Key of each part file's Parquet metadata holding its chunk's provenance (JSON: chunk, geostress_version, data).
PART_METADATA_KEY = "geostress.provenance"
#: 2: the market block's columns; 3: its stock effect; 4: grid points on common random numbers by default, and a
#: baseline's reserves cost by its start date (a folder of an older format is refused: another --out).
FORMAT_VERSION = 4
KEY_COLUMNS: tuple[str, ...] = ("scenario_id", "chunk", "path", "seed")
FISCAL_COLUMNS: dict[str, str] = {
    "fiscal_year_yr10": "int64",  # the 10th fiscal year (or the last, for shorter horizons)
    "fiscal_year_last": "int64",
    "debt_to_gdp_yr10": "float64",
    "debt_to_gdp_last": "float64",
    "interest_to_revenue_yr10": "float64",
    "interest_to_revenue_last": "float64",
    "interest_to_revenue_max": "float64",
    "net_interest_to_gdp_last": "float64",
    "yield_10y_yr10": "float64",
    "yield_10y_last": "float64",
    "exploded": "bool",
}
#: The market block's figures per path (:class:`geostress.results.coupled.CoupledOutput`), NaN for fiscal-only runs.
MARKET_COLUMNS: dict[str, str] = {
    "peak_10y_change_bp": "float64",  # highest 10-year change the market block produced (its term premium), bp
    "persistent_10y_change_bp": "float64",  # the same at the persistent month (24, or 12 after the last sale), bp
    "stock_effect_10y_bp": "float64",  # the persistent (stock) effect alone then, bp (the flow effect left out)
    "added_net_interest_10y_bn": "float64",  # net interest over the first 10 years against the no-event twin
    "cascade": "float64",  # 1.0 where the path cascaded (contagion), else 0.0
    "backstop_bn": "float64",  # Fed backstop purchases over the run, USD bn
    "sold_bn": "float64",  # gross sales executed (scheduled, announced and contagion's), USD bn
}
RESULT_COLUMNS: dict[str, str] = {**FISCAL_COLUMNS, **MARKET_COLUMNS}
#: How a plan seeds its scenarios (:attr:`SweepPlan.seeding`), in words for messages and the command's output.
SEEDING: dict[str, str] = {
    "common": "common random numbers: every scenario draws the same paths (seed {seed}), so differences between "
              "scenarios are the knobs' effect",
    "per_draw": "each [random] draw has its own seed, shared by the grid points it is combined with, if any (common "
                "random numbers across grid points)",
    "independent": "every scenario has its own seed (common_random_numbers = false): differences between scenarios "
                   "include sampling noise; set common_random_numbers = true (or leave it unset) to compare them "
                   "on the same draws",
    "single": "one scenario's ensemble (seed {seed})",
}


class SweepMemoryError(GeostressError, MemoryError):
    """A chunk ran out of memory (or killed its worker): the message names the chunk, its scenarios and the sweep
    file's fields that set its size (``paths_per_scenario``, ``chunk_paths``)."""


# -- the plan --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Piece:
    """Part of one scenario's work: paths ``first .. first+count-1`` and, with ``deterministic``, its zero-shock
    path; ``whole`` runs the scenario in one go (coupled market scenarios)."""

    scenario_id: int
    first: int
    count: int
    deterministic: bool
    whole: bool = False


@dataclass(frozen=True)
class Chunk:
    index: int
    pieces: tuple[Piece, ...]

    @property
    def cost(self) -> int:
        return sum(p.count + (DETERMINISTIC_COST if p.deterministic else 0) for p in self.pieces)


@dataclass(frozen=True)
class SweepPlan:
    """Everything the workers need, decided on the client from the spec alone."""

    name: str
    base: dict[str, Any]  # the base scenario (model_dump, json mode)
    knobs: tuple[str, ...]
    knob_dtypes: dict[str, str]
    values: tuple[tuple[Any, ...], ...]  # per scenario, one value per knob
    seeds: tuple[int, ...]
    paths: int
    chunks: tuple[Chunk, ...]
    fingerprint: str
    seeding: str = "independent"  # a key of SEEDING
    chunk_paths: int = 8192
    root_seed: int = 0
    source: str | None = None  # the sweep file (SweepSpec.source), for messages only: not in the fingerprint

    @property
    def where(self) -> str:
        """How messages name the sweep: ``FILE: NAME`` for a sweep read from a file, else its ``name``."""
        return self.name if self.source is None else f"{self.source}: {self.name}"

    @property
    def coupled_ids(self) -> tuple[int, ...]:
        """Scenarios that run whole, one per chunk (the market block runs all their paths together)."""
        return tuple(p.scenario_id for c in self.chunks for p in c.pieces if p.whole)

    @property
    def seeding_text(self) -> str:
        """How the scenarios are seeded, in words (:data:`SEEDING`)."""
        return SEEDING[self.seeding].format(seed=self.root_seed)

    @property
    def n_scenarios(self) -> int:
        return len(self.values)

    def scenario(self, scenario_id: int) -> ScenarioSpec:
        """The validated scenario ``scenario_id`` (knobs, paths and seed applied)."""
        return _build(self.base, self.knobs, self.values[scenario_id], self.seeds[scenario_id], self.paths,
                      origin=f"{self.where}: scenario {scenario_id}")

    def label(self, scenario_id: int) -> str:
        """``scenario 3 (shocks.all_rates_pp=0.5, sales[0].holder='x')``: how errors name a scenario."""
        values = ", ".join(f"{k}={v!r}" for k, v in zip(self.knobs, self.values[scenario_id], strict=True))
        return f"scenario {scenario_id}" + (f" ({values})" if values else "")

    def file_name(self, chunk: int) -> str:
        return f"part-{chunk:06d}.parquet"

    def manifest(self, spec: SweepSpec | None = None) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "name": self.name,
            "fingerprint": self.fingerprint,
            "spec": None if spec is None else spec.model_dump(mode="json"),
            "base": self.base,
            "knobs": list(self.knobs),
            "scenarios": self.n_scenarios,
            "paths_per_scenario": self.paths,
            "seeding": self.seeding,
            "chunks": [{"chunk": c.index, "file": self.file_name(c.index),
                        "pieces": [[p.scenario_id, p.first, p.count, p.deterministic] for p in c.pieces]}
                       for c in self.chunks],
        }  # fmt: skip


def _build(base: dict[str, Any], knobs: Iterable[str], values: Iterable[Any], seed: int, paths: int, *,
           origin: str) -> ScenarioSpec:  # fmt: skip
    changes: dict[str, Any] = dict(zip(knobs, values, strict=True))
    changes["simulation.paths"] = paths
    changes["simulation.seed"] = seed
    return knob_paths.set_many(parse_scenario(base, origin=origin), changes, origin=origin)


def _check_random_ranges(spec: SweepSpec, base: dict[str, Any], seed: int, paths: int) -> None:
    """Refuse a ``[random.knobs]`` range with an end the base scenario refuses for that knob, naming the range (a
    draw past the field's limit was reported as one scenario's error, its drawn value, not the range to change).

    Raises
    ------
    ScenarioError
        The range's knob, its ends, the end refused and why; ``parameter`` is ``random.knobs.<knob>``.
    """
    if spec.random is None:
        return
    for knob, (lo, hi) in spec.random.knobs.items():
        ends = (int(np.ceil(lo)), int(np.floor(hi))) if is_int_knob(knob) else (lo, hi)
        for end in ends:
            try:
                _build(base, (knob,), (end,), seed, paths, origin=f"{knob}={end!r}")
            except ScenarioError as exc:
                raise ScenarioError(f"{spec.where}: field random.knobs: knob {knob!r}: the range [{lo:g}, {hi:g}] "
                                    f"reaches {end!r}, which the scenario refuses ({exc}); narrow the range to "
                                    "values the field takes", parameter=f"random.knobs.{knob}") from None


def _design(spec: SweepSpec) -> list[tuple[Any, ...]]:
    grid = list(itertools.product(*spec.grid.values())) if spec.grid else [()]
    if spec.random is None:
        return grid
    r = spec.random
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(r.seed)))
    columns = []
    for knob, (lo, hi) in r.knobs.items():
        if is_int_knob(knob):
            columns.append([int(v) for v in rng.integers(int(np.ceil(lo)), int(np.floor(hi)), r.n, endpoint=True)])
        else:
            columns.append([float(v) for v in rng.uniform(lo, hi, r.n)])
    draws = list(zip(*columns, strict=True))
    return [g + d for g in grid for d in draws]


def _spawned(root: int, n: int) -> list[int]:
    """``n`` independent 63-bit seeds from ``root`` (``SeedSequence(root).spawn(n)``)."""
    return [int(s.generate_state(1, np.uint64)[0] >> np.uint64(1)) for s in np.random.SeedSequence(root).spawn(n)]


def _seeds(spec: SweepSpec, root: int, n: int) -> tuple[str, list[int]]:
    """The seeding (a key of :data:`SEEDING`) and the seed of each of the ``n`` scenarios, from the spec alone.

    Grid points share their draws unless ``common_random_numbers = false``: a grid compares knob values, and with
    separate draws the difference between two points mixes sampling noise with the knob's effect. A ``[random]``
    draw gets its own seed by default (pooling draws integrates over both the knobs and the shocks); the grid
    points combined with a draw share its seed. Scenario ``i`` is grid point ``i // r`` with draw ``i % r``
    (``r`` draws, :func:`_design`)."""
    if not spec.knobs:  # one scenario's ensemble, with its own seed
        return "single", [root] * n
    if spec.common_random_numbers:
        return "common", [root] * n
    if spec.common_random_numbers is False:
        return "independent", _spawned(root, n)
    if spec.random is None:
        return "common", [root] * n
    per_draw = _spawned(root, spec.random.n)
    return "per_draw", [per_draw[i % spec.random.n] for i in range(n)]


def _dtype(values: list[Any]) -> str:
    if all(isinstance(v, bool) for v in values):
        return "bool"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int64"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "float64"
    return "string"


def plan_sweep(spec: SweepSpec, base: ScenarioSpec) -> SweepPlan:
    """Scenarios, seeds and chunks of a sweep (validating every scenario: errors name it and the field).

    The events of coupled scenarios are checked against the data by :func:`check_scenarios` (which :func:`sweep`
    calls before any chunk runs)."""
    knobs = tuple(spec.knobs)
    values = _design(spec)
    n = len(values)
    paths = base.simulation.paths if spec.paths_per_scenario is None else spec.paths_per_scenario
    root = base.simulation.seed if spec.seed is None else spec.seed
    seeding, seeds = _seeds(spec, root, n)
    base_data = base.model_dump(mode="json")
    chunks: list[Chunk] = []
    current: list[Piece] = []
    cost = 0

    def close() -> None:
        nonlocal current, cost
        if current:
            chunks.append(Chunk(len(chunks), tuple(current)))
        current, cost = [], 0

    _check_random_ranges(spec, base_data, seeds[0], paths)
    for i, row in enumerate(values):
        origin = f"{spec.where}: scenario {i} ({', '.join(f'{k}={v!r}' for k, v in zip(knobs, row))})"
        try:
            scenario = _build(base_data, knobs, row, seeds[i], paths, origin=origin)
        except ScenarioError as exc:  # every design error names the sweep and the scenario (a path's own, e.g. a
            if str(exc).startswith(origin):  # list index out of range, names the knob only)
                raise
            raise ScenarioError(f"{origin}: {exc}", parameter=exc.parameter) from None
        if scenario.coupled:  # the market loop runs a scenario's paths together: one piece, its own chunk
            close()
            current, cost = [Piece(i, 0, paths, True, whole=True)], spec.chunk_paths
            close()
            continue
        need = paths + DETERMINISTIC_COST
        if need <= spec.chunk_paths:
            if cost + need > spec.chunk_paths:
                close()
            current.append(Piece(i, 0, paths, True))
            cost += need
            continue
        close()
        for first in range(0, paths, spec.chunk_paths):
            current = [Piece(i, first, min(spec.chunk_paths, paths - first), first == 0)]
            close()
    close()
    dtypes = {k: _dtype([row[j] for row in values]) for j, k in enumerate(knobs)}
    identity = json.dumps({"v": FORMAT_VERSION, "base": base_data, "knobs": knobs, "values": values, "seeds": seeds,
                           "paths": paths, "chunk_paths": spec.chunk_paths}, sort_keys=True, default=str)
    fingerprint = hashlib.sha256(identity.encode()).hexdigest()
    return SweepPlan(spec.name, base_data, knobs, dtypes, tuple(values), tuple(seeds), paths, tuple(chunks),
                     fingerprint, seeding, spec.chunk_paths, root, spec.source)


# -- the worker side -------------------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _store(home: str | None) -> Any:
    from geostress.data.store import Store

    return Store(home)


def _summary_rows(r: dict[str, np.ndarray], years: np.ndarray, exploded: np.ndarray) -> dict[str, np.ndarray]:
    i10, last = min(9, len(years) - 1), len(years) - 1
    n = r["debt_to_gdp"].shape[0]
    f = {k: np.asarray(v, dtype=np.float64) for k, v in r.items()}
    return {
        "fiscal_year_yr10": np.full(n, int(years[i10]), dtype=np.int64),
        "fiscal_year_last": np.full(n, int(years[last]), dtype=np.int64),
        "debt_to_gdp_yr10": f["debt_to_gdp"][:, i10],
        "debt_to_gdp_last": f["debt_to_gdp"][:, last],
        "interest_to_revenue_yr10": f["interest_to_revenue"][:, i10],
        "interest_to_revenue_last": f["interest_to_revenue"][:, last],
        "interest_to_revenue_max": f["interest_to_revenue"].max(axis=1),
        "net_interest_to_gdp_last": f["net_interest_to_gdp"][:, last],
        "yield_10y_yr10": f["yield_10y"][:, i10],
        "yield_10y_last": f["yield_10y"][:, last],
        "exploded": np.asarray(exploded, dtype=bool).reshape(n),
    }


def _market_rows(coupled: Any, n: int, *, fill: float = np.nan) -> dict[str, np.ndarray]:
    """The :data:`MARKET_COLUMNS` of ``n`` paths: from a coupled run's output, else ``fill`` (``coupled`` None)."""
    if coupled is None:
        return {name: np.full(n, fill) for name in MARKET_COLUMNS}
    years = coupled.scenario.fiscal_years
    i10 = min(9, len(years) - 1)
    extra = coupled.scenario.annual_field("interest") - coupled.twin.annual_field("interest")
    values = {
        "peak_10y_change_bp": coupled.peak_10y_change_bp,
        "persistent_10y_change_bp": coupled.persistent_10y_change_bp,
        "stock_effect_10y_bp": coupled.stock_effect_10y_bp,
        "added_net_interest_10y_bn": extra[:, : i10 + 1].sum(axis=1),
        "cascade": coupled.cascade_share,
        "backstop_bn": coupled.backstop_bn,
        "sold_bn": coupled.sold_bn,
    }
    out = {}
    for name, array in values.items():
        array = np.asarray(array, dtype=np.float64).reshape(-1)
        out[name] = array if array.size == n else np.full(n, np.nan)  # a figure the run did not produce
    return out


def _block_rows(spec: ScenarioSpec, home: str | None, first: int, count: int, deterministic: bool, *,
                fill: float = np.nan) -> list[tuple[np.ndarray, dict[str, np.ndarray]]]:  # fmt: skip
    """Rows of a block of a fiscal-only scenario (:func:`geostress.run.engine.run_block`); market columns ``fill``."""
    from geostress.results.ensemble import ratios
    from geostress.run.engine import run_block  # the runner's unit of work: calibrated once per worker (memo)

    out: list[tuple[np.ndarray, dict[str, np.ndarray]]] = []
    block = run_block(spec, store=_store(home), first=first, count=count, deterministic=deterministic, threads=1)
    if block.deterministic is not None:
        det = block.deterministic
        out.append((np.array([-1]), {**_summary_rows(ratios(det), det.fiscal_years, det.exploded),
                                     **_market_rows(None, 1, fill=fill)}))
    if block.paths is not None:
        sim = block.paths
        r = {k: v.astype(np.float32) for k, v in ratios(sim).items()}
        ids = np.arange(first, first + count)
        out.append((ids, {**_summary_rows(r, sim.fiscal_years, sim.exploded), **_market_rows(None, count, fill=fill)}))
    return out


def _piece_rows(plan: SweepPlan, piece: Piece, home: str | None) -> list[tuple[np.ndarray, dict[str, np.ndarray]]]:
    """(path indices, result columns) blocks of one piece. Stochastic values are float32 like the engine keeps."""
    from geostress.results.ensemble import ratios

    spec = plan.scenario(piece.scenario_id)
    if not piece.whole:
        return _block_rows(spec, home, piece.first, piece.count, piece.deterministic)
    from geostress.run.engine import run_scenario
    from geostress.run.inputs import store_for

    store = store_for(spec, _store(home))
    if spec.reserves.enabled:  # its sales once, as run_scenario would, rather than once for each run below
        from geostress.run.coupled import holders_for
        from geostress.run.inputs import calibrate_for
        from geostress.run.reserves import with_reserve_sales

        holders = holders_for(store, calibrate_for(spec, store))
        spec = with_reserve_sales(spec, store, holdings_of=lambda name: holders.sector(name).holdings)
        if not spec.coupled:  # a rebalancing that sells nothing leaves no events: the fiscal-only run, and the
            # market block's figures are zero (as for a market block with nothing to price)
            return _block_rows(spec, home, 0, spec.simulation.paths, True, fill=0.0)
    paths = spec.simulation.paths
    result = run_scenario(spec, store=store)
    det = result.deterministic
    out: list[tuple[np.ndarray, dict[str, np.ndarray]]] = [
        (np.array([-1]), {**_summary_rows(ratios(det), det.fiscal_years, det.exploded),
                          **_market_rows(result.coupled_deterministic, 1)})]
    if paths and result.coupled is not None:
        sc = result.coupled.scenario
        r = {k: v.astype(np.float32) for k, v in ratios(sc).items()}
        out.append((np.arange(paths), {**_summary_rows(r, sc.fiscal_years, sc.exploded),
                                       **_market_rows(result.coupled, paths)}))
    return out


def run_chunk(plan: SweepPlan, index: int, home: str | None = None) -> pd.DataFrame:
    """Compute chunk ``index`` of ``plan``: a frame of ``scenario_id, chunk, path, seed``, knobs and results.

    Raises
    ------
    GeostressError
        A scenario's run refused (what :func:`check_scenarios` cannot see before it runs): its class and
        ``parameter`` kept, its message after the sweep file, the chunk, the scenario and its knob values.
    """
    chunk = plan.chunks[index]
    columns: dict[str, list[np.ndarray]] = {}  # one array per piece and column, joined once at the end

    def add(name: str, values: np.ndarray) -> None:
        columns.setdefault(name, []).append(values)

    for piece in chunk.pieces:
        try:
            blocks = _piece_rows(plan, piece, home)
        except GeostressError as exc:  # found only as the scenario ran: name the sweep file, chunk and scenario
            raise _in_context(exc, f"{plan.where}: chunk {index}, {plan.label(piece.scenario_id)}") from None
        for path_ids, cols in blocks:
            n = len(path_ids)
            add("scenario_id", np.full(n, piece.scenario_id, dtype=np.int64))
            add("chunk", np.full(n, index, dtype=np.int64))
            add("path", path_ids.astype(np.int64))
            add("seed", np.full(n, plan.seeds[piece.scenario_id], dtype=np.int64))
            for j, knob in enumerate(plan.knobs):
                value = plan.values[piece.scenario_id][j]
                add(knob, np.full(n, str(value), dtype=object) if plan.knob_dtypes[knob] == "string"
                    else np.full(n, value))
            for name, values in cols.items():
                add(name, np.asarray(values))
    return _typed(pd.DataFrame({name: np.concatenate(parts) for name, parts in columns.items()}), plan)


def _typed(frame: pd.DataFrame, plan: SweepPlan) -> pd.DataFrame:
    types_ = {"scenario_id": "int64", "chunk": "int64", "path": "int64", "seed": "int64", **plan.knob_dtypes,
              **RESULT_COLUMNS}
    return frame.astype(types_)[list(types_)]


def _worker_data(home: str | None) -> dict[str, Any]:
    """The data fingerprint of the store a chunk reads on this worker, with where it is (host and home)."""
    import socket

    store = _store(home)
    return {**store.data_fingerprint(), "host": socket.gethostname(), "home": str(store.home)}


def _chunk_task(plan: SweepPlan, index: int, home: str | None
                ) -> tuple[pd.DataFrame | GeostressError, dict[str, Any], dict[str, Any]]:  # fmt: skip
    """Chunk ``index`` and the data fingerprint of the worker's store before and after it ran (the client checks
    both against the plan's before writing the part: :func:`_check_chunk_data`).

    A scenario the run refuses (a :class:`~geostress.errors.GeostressError`, named by :func:`run_chunk`) comes back
    in place of the frame rather than raised: it is the same on every try, so dask neither retries the chunk nor
    logs the worker's traceback, and the client raises it once the data fingerprint is checked. A
    :class:`~geostress.errors.StoreError` (the store could not be read) is raised, and retried."""
    before = _worker_data(home)
    try:
        frame = run_chunk(plan, index, home)
    except StoreError:  # the worker's store could not be read: perhaps not so on another try
        raise
    except GeostressError as exc:
        return exc, before, before
    return frame, before, _worker_data(home)


def _data_words(data: dict[str, Any]) -> str:
    """``snapshot v2026…, 3 imported files (fingerprint 1a2b…)``: a data fingerprint in words."""
    snapshot = data.get("snapshot")
    return (f"snapshot {snapshot if snapshot else '(none)'}, {counted(int(data.get('batches') or 0), 'imported file')}"
            f" (fingerprint {data.get('fingerprint')})")


def _check_chunk_data(plan: SweepPlan, index: int, expected: dict[str, Any], before: dict[str, Any],
                      after: dict[str, Any]) -> None:  # fmt: skip
    """Refuse chunk ``index`` when the worker's store (``before`` and ``after`` it ran) is not the plan's data.

    Raises
    ------
    DataError
        Naming the chunk, the worker (host and ``GEOSTRESS_HOME``), its data and the sweep's, and what to do.
    """
    for seen, when in ((before, "read"), (after, "ended with")):
        if seen.get("fingerprint") == expected.get("fingerprint"):
            continue
        changed = ("; the store changed while the chunk ran (an import during the sweep)"
                   if when == "ended with" else "")
        raise DataError(
            f"{plan.where}: chunk {index} {when} other data than the sweep: the worker on {seen.get('host')} "
            f"(GEOSTRESS_HOME {seen.get('home')}) has {_data_words(seen)}, the sweep was planned on "
            f"{_data_words(expected)}{changed}; no part file was written for it. Give every worker the same store "
            "(the same imports, e.g. `geostress data import` on each, or one GEOSTRESS_HOME they share), or set "
            "store_home, then run the sweep again with the same --out to finish it"
        )


# -- the client side -------------------------------------------------------------------------------------------
def check_scenarios(plan: SweepPlan, store: Any = None) -> None:
    """Check every scenario of ``plan`` against the data before any chunk runs.

    Each distinct ``scenario.baseline`` (and ``scenario.data_as_of``) must be a vintage the store holds (on that
    day), fiscal-only scenarios' too, so that no chunk fails on it after the output folder is written. The checks a
    run makes before any work (:func:`geostress.run.coupled.check_events`: unknown holders with close matches, sales
    above the holder's holdings, events past the horizon; an unmodelled ``[reserves]`` holder), against the holder
    sectors on the day before a run calibrated to the scenario's baseline starts (the service checks a submitted run
    the same way), apply to the coupled scenarios.

    Raises
    ------
    ScenarioError, DataError
        Naming the sweep file (when it was read from one) and the sweep, the scenario index and its knob values,
        then the problem as a run of that scenario reports it (its class and ``parameter`` kept).
        :class:`~geostress.errors.StoreError` (the store cannot be read) is not the file's fault and propagates.
    """
    from geostress.calibrate.fiscal import load_cbo_baseline, parse_baseline_spec, run_start
    from geostress.calibrate.reserves import holder_profile
    from geostress.data.store import Store
    from geostress.run.coupled import check_events, holders_at_start

    store = store or Store()
    _check_pins(plan, store)
    _check_baselines(plan, store)
    coupled = sorted({p.scenario_id for c in plan.chunks for p in c.pieces if p.whole})
    if not coupled:
        return
    holders: dict[tuple[str, str | None], Any] = {}  # per baseline and data_as_of
    for i in coupled:
        spec = plan.scenario(i)
        where = f"{plan.where}: {plan.label(i)}"
        key = (spec.scenario.baseline, spec.scenario.data_as_of)
        if key not in holders:
            try:
                known = store.known_on(spec.scenario.data_as_of)  # the releases the scenario's run will read
                start = run_start(load_cbo_baseline(known, parse_baseline_spec(key[0], known)))
            except StoreError:
                raise
            except (ScenarioError, DataError) as exc:
                raise _in_context(exc, where) from None
            try:
                holders[key] = holders_at_start(known, start)
            except StoreError:
                raise
            except DataError as exc:  # e.g. a baseline whose run starts before the market's series do
                raise _in_context(exc, f"{where}: the market block cannot start the run of baseline {key[0]!r} "
                                       f"on {start:%Y-%m-%d}", then="in the sweep file, give scenario.baseline a "
                                       "vintage whose run the market's series cover (a later one, or cbo:latest)"
                                  ) from None
            except ScenarioError as exc:
                raise _in_context(exc, where) from None
        try:
            check_events(spec, holders[key])
            if spec.reserves.enabled:
                holder_profile(spec.reserves.holder)
        except ScenarioError as exc:
            raise _in_context(exc, where) from None


def _check_baselines(plan: SweepPlan, store: Any) -> None:
    """Refuse, before any chunk runs, a ``scenario.baseline`` the store does not hold (on the scenario's
    ``scenario.data_as_of``), naming the sweep and the first scenario with it: a fiscal-only scenario would
    otherwise fail only in its chunk, after the sweep had written its output folder."""
    from geostress.calibrate.fiscal import parse_baseline_spec

    for i in _first_of_each_baseline(plan):
        spec = plan.scenario(i)
        try:
            parse_baseline_spec(spec.scenario.baseline, store.known_on(spec.scenario.data_as_of))
        except StoreError:
            raise
        except (ScenarioError, DataError) as exc:
            raise _in_context(exc, f"{plan.where}: {plan.label(i)}") from None


def _first_of_each_baseline(plan: SweepPlan) -> list[int]:
    """The first scenario of each distinct ``(scenario.baseline, scenario.data_as_of)`` of ``plan``, read from the
    knobs' values (a design of a million scenarios over other knobs is one scenario here, not a million built)."""
    names = ("scenario.baseline", "scenario.data_as_of")
    if "scenario" in plan.knobs:  # the whole table as one knob: build each scenario to read them
        pairs = [(s.scenario.baseline, s.scenario.data_as_of) for s in map(plan.scenario, range(plan.n_scenarios))]
    else:
        columns = [plan.knobs.index(name) if name in plan.knobs else None for name in names]
        pairs = [tuple(None if j is None else row[j] for j in columns) for row in plan.values]
    first: dict[Any, int] = {}
    for i, pair in enumerate(pairs):
        first.setdefault(repr(pair), i)  # (repr: a value of any type, as the knob gave it)
    return sorted(first.values())


def _in_context(exc: GeostressError, where: str, *, then: str | None = None) -> GeostressError:
    """``exc`` with ``where`` (the sweep file, the sweep and the scenario) before its message and ``then`` (what to
    do, when the message's own advice does not fit a sweep) after it; its class, ``parameter`` and other attributes
    are kept, so a caller (the service, a test) still tells the kind of problem apart. A message that already
    starts with ``where`` is not prefixed twice."""
    text = str(exc)
    if not text.startswith(where):
        text = f"{where}: {text}"
    exc.args = (f"{text}; {then}" if then else text,)
    return exc


def _check_pins(plan: SweepPlan, store: Any) -> None:
    """Calibrate once for each baseline and ``scenario.data_as_of`` of ``plan`` that pins the data to a day (the
    calibration is remembered for the chunks): a day before a series the runs read was released, or after today,
    is refused before any chunk runs, naming the sweep and the first scenario with it."""
    from geostress.run.inputs import calibrate_for, store_for

    seen: set[tuple[str, str]] = set()
    for i in _first_of_each_baseline(plan):
        spec = plan.scenario(i)
        day = spec.scenario.data_as_of
        if day is None or (spec.scenario.baseline, day) in seen:
            continue
        seen.add((spec.scenario.baseline, day))
        try:
            calibrate_for(spec, store_for(spec, store))
        except (ScenarioError, DataError) as exc:
            raise _in_context(exc, f"{plan.where}: {plan.label(i)}") from None


def _write_atomic(frame: pd.DataFrame, target: Path, meta: dict[str, Any] | None = None) -> None:
    """``frame`` to ``target`` (written whole, then renamed), with ``meta`` as JSON under :data:`PART_METADATA_KEY`
    in the file's Parquet metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from geostress.util.atomic import atomic_path

    table = pa.Table.from_pandas(frame, preserve_index=False)
    if meta is not None:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               PART_METADATA_KEY.encode(): json.dumps(meta).encode()})
    with atomic_path(target) as tmp:
        pq.write_table(table, tmp, compression="snappy")


def _prepare_out(plan: SweepPlan, spec: SweepSpec | None, out: Path, provenance: dict[str, Any] | None = None
                 ) -> set[int]:  # fmt: skip
    """Create or check ``out``; the chunks already done (their files exist).

    A folder whose ``_sweep.json`` has another fingerprint (or cannot be read) is refused when it holds part files,
    which are left untouched; without any (a sweep that stopped before its first chunk finished, e.g. on a file
    that asked for too much) its manifest is replaced by this sweep's, so the corrected file re-runs in place.
    The same sweep whose finished chunks were computed from other data (``provenance``'s data fingerprint differs
    from the manifest's, or the manifest, of a geostress before data fingerprints, records none) is refused too:
    resuming would mix two data states in one table."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / MANIFEST
    parts = sorted(out.glob("part-*.parquet"))
    write = not manifest.is_file()
    if not write:
        try:
            old = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            if parts:
                held = counted(len(parts), "part file")
                raise ScenarioError(f"{manifest} is unreadable ({exc}) and {out} holds {held}; "
                                    f"remove {out} or choose another --out") from exc
            old = {}
        if old.get("fingerprint") != plan.fingerprint:
            if parts:
                chunks = old.get("chunks")
                of = (f"{len(parts):,} of {len(chunks):,} chunks" if isinstance(chunks, list) else
                      counted(len(parts), "chunk"))
                why = ("a sweep resumes only into the folder of the same sweep file" if old.get("format") ==
                       FORMAT_VERSION else f"it was written by an earlier geostress, format {old.get('format')}, "
                       f"now {FORMAT_VERSION}, whose results differ")
                raise ScenarioError(f"{out} holds a different sweep ({old.get('name')!r}, {of} "
                                    f"done); remove {out} or choose another --out ({why})")
            write = True  # no chunk of the other sweep finished: nothing to keep
        elif provenance is not None and _data_of(old) != provenance["data"].get("fingerprint"):
            if parts:
                raise DataError(_data_refusal(out, old, provenance["data"], len(parts)))
            write = True  # nothing finished on the old data: the manifest records the new
    elif parts:
        raise ScenarioError(f"{out} holds part files but no {MANIFEST}; remove {out} or choose another --out")
    if write:
        manifest_data = plan.manifest(spec)
        if provenance is not None:
            manifest_data["provenance"] = provenance
        text = json.dumps(manifest_data, indent=1) + "\n"
        from geostress.util.atomic import atomic_path

        with atomic_path(manifest) as tmp:
            tmp.write_text(text, encoding="utf-8")
    for stale in out.glob(".part-*.tmp"):  # left by a killed client mid-write
        stale.unlink(missing_ok=True)
    return {c.index for c in plan.chunks if _finished(out / plan.file_name(c.index))}


def _data_of(manifest: dict[str, Any]) -> str | None:
    """The data fingerprint a sweep folder's manifest records (``None``: none, an older geostress wrote it)."""
    provenance = manifest.get("provenance")
    data = provenance.get("data") if isinstance(provenance, dict) else None
    return data.get("fingerprint") if isinstance(data, dict) else None


def _data_refusal(out: Path, old: dict[str, Any], now: dict[str, Any], parts: int) -> str:
    """Why a sweep does not resume into ``out`` whose ``parts`` finished chunks read other data (or unrecorded)."""
    chunks = old.get("chunks")
    of = f"{parts:,} of {len(chunks):,} chunks" if isinstance(chunks, list) else counted(parts, "chunk")
    provenance = old.get("provenance")
    data = provenance.get("data") if isinstance(provenance, dict) else None
    todo = (f"run the sweep into a new --out, or remove {out} to start it over on the data now in the store "
            "(or restore the data it was started with to finish it)")
    if not isinstance(data, dict):
        return (f"{out} holds {of} of this sweep done by a geostress that did not record which data they read "
                f"(no provenance in {out / MANIFEST}); finishing it on {_data_words(now)} could mix two data states "
                f"in one table: {todo}")
    change = _data_change(data, now)
    return (f"{out} holds {of} of this sweep computed from other data than the store holds now (then "
            f"{_data_words(data)}; now {_data_words(now)}{'; ' + change if change else ''}); resuming would mix two "
            f"data states in one table: {todo}")


def _finished(part: Path) -> bool:
    """Whether the chunk whose file is ``part`` is done: the file exists and Parquet can read its footer. A part
    file that cannot be read (cut short or damaged after it was written: each is written whole, then renamed) is
    removed, so that its chunk runs again; one that cannot be removed is refused, naming it."""
    if not part.is_file():
        return False
    import pyarrow.parquet as pq

    try:
        pq.read_metadata(part)
        return True
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError; ArrowIOError an OSError
        reason = f"{type(exc).__name__}: {exc}"
    try:
        part.unlink()
    except OSError as exc:
        raise ScenarioError(f"{part} cannot be read ({reason}) nor removed ({exc}); delete it and re-run the sweep "
                            "with the same --out, which runs its chunk again") from None
    return False


def _resolve(spec: SweepSpec | ScenarioSpec | str | Path | dict[str, Any], base: ScenarioSpec | None
             ) -> tuple[SweepSpec, ScenarioSpec]:  # fmt: skip
    if isinstance(spec, str | Path):
        return load_sweep_spec(spec)
    if isinstance(spec, dict):
        return parse_sweep(spec)
    if isinstance(spec, ScenarioSpec):  # one scenario: its ensemble split into chunks, with its own seed
        return SweepSpec(name=spec.name), spec
    if isinstance(spec, SweepSpec):
        if base is not None:
            return spec, base
        return parse_sweep(spec.model_dump(mode="python"))
    raise TypeError(f"sweep spec must be a SweepSpec, ScenarioSpec, dict or TOML path, not {type(spec).__name__}")


def sweep(
    spec: SweepSpec | ScenarioSpec | str | Path | dict[str, Any],
    client: Any = None,
    *,
    out: str | Path | None = None,
    workers: int | None = None,
    base: ScenarioSpec | None = None,
    store_home: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    plan: SweepPlan | None = None,
) -> pd.DataFrame:
    """Run a sweep and return its table (sorted by chunk, then row), also written to ``out`` when given.

    Parameters
    ----------
    spec
        A :class:`SweepSpec` (with ``base``), a sweep TOML path or dict, or a single :class:`ScenarioSpec` (its
        ensemble in chunks, with its own ``simulation.seed`` and ``paths``: the same paths as
        :func:`geostress.run.engine.run_scenario`).
    client
        A ``distributed.Client``; ``"serial"`` runs every chunk in this process; ``None`` starts a
        ``LocalCluster`` of ``workers`` single-threaded worker processes (default: the CPU count, at most the
        number of chunks) for the duration of the call; a string ``tcp://HOST:PORT`` connects to that scheduler.
    out
        Folder for ``part-<chunk>.parquet`` files and ``_sweep.json``; chunks whose file exists are skipped.
    store_home
        The data store's folder on the workers (default: their ``GEOSTRESS_HOME``).
    progress
        Called as ``progress(done, total)`` (in chunks) as chunks finish, once at the start.
    plan
        The :func:`plan_sweep` of ``spec`` (with ``base``) when the caller has made it already (the command plans
        before it starts a cluster): planning validates every scenario, so it is not done twice.

    Raises
    ------
    ScenarioError, DataError
        Before any chunk runs, for a scenario that does not validate or whose baseline or events do not fit the
        data (:func:`check_scenarios`), naming the sweep file (``spec`` read from one), the scenario and its knob
        values; as a chunk runs, for a scenario its run refuses (:func:`run_chunk`), naming the chunk too.
    LimitError
        Before any chunk runs, for scenarios with the market block over the path limit of one coupled run
        (:func:`check_sweep_paths`).
    """
    sweep_spec, base_spec = _resolve(spec, base)
    if plan is None:
        plan = plan_sweep(sweep_spec, base_spec)
    check_sweep_paths(plan, sweep_spec, plan.where)
    home = None if store_home is None else str(store_home)
    check_scenarios(plan, _store(home))  # before any chunk runs or any file is written
    target = None if out is None else Path(out)
    with _writing_into(target):
        provenance = _provenance(plan, _store(home))  # (in the lock: a resume compares it with the folder's)
        fresh = target is not None and not (target / MANIFEST).exists()
        try:
            return _run_plan(plan, sweep_spec, target, client, workers, home, progress, provenance)
        except BaseException:
            if fresh:  # a scenario refused as it ran, before any chunk finished: leave no manifest of nothing
                _forget_unstarted(target)  # type: ignore[arg-type]
            raise


def _forget_unstarted(out: Path) -> None:
    """Remove the ``_sweep.json`` this sweep wrote into ``out`` when none of its chunks finished (no part file), so
    that a sweep stopped by its first chunk's error leaves nothing behind (the command then removes the folder it
    created); a folder holding part files keeps its manifest, and the sweep resumes there."""
    if not any(out.glob("part-*.parquet")):
        (out / MANIFEST).unlink(missing_ok=True)


def _provenance(plan: SweepPlan, store: Any) -> dict[str, Any]:
    """The manifest's ``provenance``: ``geostress_version``, ``data`` (the client's
    :meth:`~geostress.data.store.Store.data_fingerprint`, with the imported files' names) and ``baseline_vintages``
    (each ``scenario.baseline`` of the sweep → the CBO vintage it resolves to on that data; a scenario pinned to a
    day, ``scenario.data_as_of``, is keyed ``"<baseline> as of <day>"`` and resolved on the data of that day)."""
    from geostress.calibrate.fiscal import parse_baseline_spec
    from geostress.results.provenance import geostress_version

    data = store.data_fingerprint(names=True)
    base = plan.base.get("scenario", {})

    def column(knob: str, default: object) -> list[object]:
        if knob in plan.knobs:
            j = plan.knobs.index(knob)
            return [row[j] for row in plan.values]
        return [default] * max(len(plan.values), 1)

    pairs = set(zip(column("scenario.baseline", base.get("baseline", "cbo:latest")),
                    column("scenario.data_as_of", base.get("data_as_of")), strict=True))
    vintages: dict[str, str | None] = {}
    for baseline, as_of in sorted(pairs, key=str):
        try:
            known = store.known_on(as_of)  # type: ignore[arg-type]
        except GeostressError:  # a day that cannot be read: the sweep's scenario check says so
            continue
        name = str(baseline) if known.known_by is None else f"{baseline} as of {known.known_by:%Y-%m-%d}"
        try:
            vintages[name] = parse_baseline_spec(str(baseline), known).isoformat()
        except GeostressError:  # a baseline the store lacks: the chunk's run says so
            vintages[name] = None
    return {"geostress_version": geostress_version(), "data": data, "baseline_vintages": vintages}


def _data_change(old: dict[str, Any], new: dict[str, Any]) -> str:
    """What differs between two data fingerprints (with ``batch_names``), in words: the snapshot, files added and
    removed (a few named)."""
    said: list[str] = []
    if old.get("snapshot") != new.get("snapshot"):
        said.append(f"snapshot {old.get('snapshot')} → {new.get('snapshot')}")
    before, after = old.get("batch_names"), new.get("batch_names")
    if isinstance(before, list) and isinstance(after, list):
        for word, names in (("imported since", sorted(set(after) - set(before))),
                            ("gone since", sorted(set(before) - set(after)))):
            if names:
                more = f" and {len(names) - 3:,} more" if len(names) > 3 else ""
                said.append(f"{word}: {', '.join(names[:3])}{more}")
    return "; ".join(said)


@contextmanager
def _writing_into(out: Path | None) -> Iterator[None]:
    """Hold an exclusive lock on ``out`` while a sweep writes into it (``flock`` on the folder itself, as the
    snapshot build does: no lock file, and a finished sweep's read-only folder can still be read back), so that a
    second sweep started into the same folder is refused rather than replacing its manifest or its chunks; the lock
    goes with the process, so a killed sweep leaves none behind. No folder, no lock; where the system or the
    filesystem has no ``flock`` the sweep runs unlocked."""
    if out is None:
        yield
        return
    if out.exists() and not out.is_dir():
        raise ScenarioError(f"{out} is a file, not a folder: choose a folder for --out (out=)")
    out.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: sweeps into one folder are not serialised
        yield
        return
    fd = os.open(out, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ScenarioError(f"{out}: another sweep is writing into it; wait for it to finish, or choose another "
                                "--out") from None
        except OSError:  # a filesystem without flock (some network or FUSE mounts): unlocked, as before locks
            pass
        yield
    finally:
        os.close(fd)  # releases the lock


def _run_plan(plan: SweepPlan, sweep_spec: SweepSpec, target: Path | None, client: Any, workers: int | None,
              home: str | None, progress: Callable[[int, int], None] | None,
              provenance: dict[str, Any]) -> pd.DataFrame:  # fmt: skip
    """The chunks of ``plan`` not yet in ``target``, run and written (:func:`sweep` after its checks);
    ``provenance``: the client's (:func:`_provenance`), whose data every chunk must have read."""
    done = _prepare_out(plan, sweep_spec, target, provenance) if target is not None else set()
    expected: dict[str, Any] = provenance["data"]
    todo = [c.index for c in plan.chunks if c.index not in done]
    frames: dict[int, pd.DataFrame] = {}
    total = len(plan.chunks)
    if progress is not None:
        progress(len(done), total)

    def finish(index: int, frame: pd.DataFrame | GeostressError, before: dict[str, Any], after: dict[str, Any]
               ) -> None:  # fmt: skip
        _check_chunk_data(plan, index, expected, before, after)  # (first: other data may be why a scenario failed)
        if isinstance(frame, GeostressError):
            raise frame
        if target is not None:
            meta = {"chunk": index, "geostress_version": provenance["geostress_version"],
                    "data": {k: expected.get(k) for k in ("snapshot", "batches", "fingerprint")}}
            _write_atomic(frame, target / plan.file_name(index), meta)
        else:
            frames[index] = frame
        done.add(index)
        if progress is not None:
            progress(len(done), total)

    if todo:
        if isinstance(client, str) and client == "serial":
            for index in todo:
                try:
                    frame, before, after = _chunk_task(plan, index, home)
                except MemoryError:
                    raise _out_of_memory(plan, index) from None
                finish(index, frame, before, after)
        else:
            _run_distributed(plan, todo, client, workers, home, finish)
    if target is not None:
        return read_sweep(target)
    if not frames:
        return _typed(pd.DataFrame({c: [] for c in (*KEY_COLUMNS, *plan.knobs, *RESULT_COLUMNS)}), plan)
    return pd.concat([frames[i] for i in sorted(frames)], ignore_index=True)


def check_sweep_paths(plan: SweepPlan, spec: SweepSpec, where: str) -> None:
    """Refuse, before any work, a sweep whose scenarios with the market block ask for more paths than one run may.

    A sweep splits a fiscal-only scenario's paths into chunks, but runs a coupled scenario (the market block) whole,
    in one chunk, so the limit of a coupled run (:data:`~geostress.run.limits.MAX_PATHS`) applies to each of them.

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
    if spec.paths_per_scenario is not None:
        parameter, field = "paths_per_scenario", "paths_per_scenario"
    elif not spec.knobs:  # one scenario's ensemble in chunks (sweep(scenario_spec))
        parameter, field = "simulation.paths", "the scenario's simulation.paths"
    else:
        parameter, field = "paths_per_scenario", ("the base scenario's simulation.paths (the sweep file sets no "
                                                  "paths_per_scenario)")
    which = ("its one scenario" if plan.n_scenarios == 1 else f"all {len(coupled):,} scenarios"
             if len(coupled) == plan.n_scenarios
             else f"{len(coupled):,} of {plan.n_scenarios:,} scenarios, e.g. {plan.label(coupled[0])}")
    raise LimitError(
        f"{where}: {field} = {plan.paths:,} is over the limit of {limit:,} paths for a scenario with the market "
        f"block ({which} here): a sweep runs such a scenario's paths together in one chunk, "
        f"{memory_words('coupled', plan.paths)}. Set {parameter} to at most {limit:,}; for more paths, run the "
        "sweep again with another seed into another --out and pool the tables (docs/sweep.md).",
        parameter=parameter,
    )


def _out_of_memory(plan: SweepPlan, index: int, *, killed: bool = False) -> SweepMemoryError:
    """The error for chunk ``index`` running out of memory (``killed``: its worker died, the usual sign of it),
    naming the sweep file's fields that size the chunk."""
    chunk = plan.chunks[index]
    whole = any(p.whole for p in chunk.pieces)
    paths = sum(p.count for p in chunk.pieces)
    more = f" and {len(chunk.pieces) - 1:,} more" if len(chunk.pieces) > 1 else ""
    what = f"chunk {index} ({plan.label(chunk.pieces[0].scenario_id)}{more}; {paths:,} paths)"
    if whole:
        fix = (f"lower paths_per_scenario (now {plan.paths:,}) in the sweep file (a scenario with the market block "
               "runs all its paths in one chunk, which chunk_paths does not split)")
    else:
        fix = (f"lower chunk_paths (now {plan.chunk_paths:,}) in the sweep file (it splits paths_per_scenario, now "
               f"{plan.paths:,}, into chunks)")
    how = "a worker died running" if killed else "out of memory in"
    why = ", most often from running out of memory" if killed else ""
    return SweepMemoryError(f"{plan.where}: {how} {what}{why}; {fix}, or run fewer workers per machine "
                            "(--workers); limits: docs/sweep.md")


def local_cluster(workers: int | None = None, *, n_chunks: int | None = None) -> Any:
    """A ``LocalCluster`` of single-threaded worker processes with ``NUMBA_NUM_THREADS=1`` (no oversubscription)."""
    from distributed import LocalCluster

    n = workers or os.cpu_count() or 1
    if n_chunks is not None and workers is None:
        n = max(1, min(n, n_chunks))
    return LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                        env={"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})


def _run_distributed(plan: SweepPlan, todo: list[int], client: Any, workers: int | None, home: str | None,
                     finish: Callable[[int, pd.DataFrame | GeostressError, dict[str, Any], dict[str, Any]], None]
                     ) -> None:  # fmt: skip
    from distributed import Client, KilledWorker, as_completed

    owned: list[Any] = []
    try:
        if client is None:
            cluster = local_cluster(workers, n_chunks=len(todo))
            owned.append(cluster)
            client = Client(cluster)
            owned.append(client)
        elif isinstance(client, str):
            client = Client(client)
            owned.append(client)
        plan_future = client.scatter(plan, broadcast=True, hash=False)
        prefix = f"geostress-sweep-{plan.fingerprint[:16]}"
        futures = [client.submit(_chunk_task, plan_future, i, home, key=f"{prefix}-{i:06d}", retries=2)
                   for i in todo]  # fmt: skip
        index_of = {f.key: i for f, i in zip(futures, todo, strict=True)}
        try:
            for future in as_completed(futures):
                index = index_of[future.key]
                try:
                    frame, before, after = future.result()
                except MemoryError:
                    raise _out_of_memory(plan, index) from None
                except KilledWorker:
                    raise _out_of_memory(plan, index, killed=True) from None
                finish(index, frame, before, after)
                future.release()
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        for thing in reversed(owned):
            thing.close()


def read_sweep(out: str | Path) -> pd.DataFrame:
    """The table of a sweep folder (every ``part-*.parquet``), in chunk order."""
    folder = Path(out)
    files = sorted(folder.glob("part-*.parquet"))
    if not files:
        raise ScenarioError(f"no part-*.parquet files in {folder}; run `geostress sweep SWEEP.toml --out {folder}`")
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


def load_sweep(out: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The table and the manifest of a sweep folder; raises when chunks are missing (an unfinished sweep).

    The manifest's ``provenance`` (geostress version, data fingerprint, baseline vintages) is also the table's
    ``attrs["provenance"]`` (absent for a folder of a geostress before it)."""
    folder = Path(out)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    missing = [c["file"] for c in manifest["chunks"] if not (folder / c["file"]).is_file()]
    if missing:
        raise ScenarioError(f"{folder}: {len(missing)} of {len(manifest['chunks'])} chunks missing (e.g. "
                            f"{missing[0]}); re-run the sweep with the same --out to finish it")
    table = read_sweep(folder)
    if isinstance(manifest.get("provenance"), dict):
        table.attrs["provenance"] = manifest["provenance"]
    return table, manifest
