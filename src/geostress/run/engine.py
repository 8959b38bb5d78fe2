"""The ensemble runner: a scenario run deterministically and as a seeded ensemble of stochastic paths.

Seeding (:mod:`geostress.run.seeding`): a path's shocks depend only on the seed and its index, never on chunking.
Memory: only fiscal-year aggregates are kept per path (4 ratios × years × 4 bytes), never monthly paths, so
100,000 paths over 30 years hold under 50 MB; shocks are drawn and consumed one chunk at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from geostress.errors import LimitError, ScenarioError
from geostress.model.fiscal import (
    SHOCKS,
    BaselinePaths,
    FiscalParams,
    InitialBook,
    MacroParams,
    SimulationOutput,
    simulate,
)
from geostress.results.ensemble import FAN_VARIABLES, QUANTILES, EnsembleResult, fan_quantiles, ratios, summarise
from geostress.results.provenance import data_provenance, with_provenance
from geostress.results.scenario import ScenarioResult
from geostress.run.inputs import pass_through, scenario_inputs, store_for
from geostress.run.limits import MAX_PATHS as LIMITS
from geostress.run.limits import memory_words
from geostress.run.seeding import BLOCK_PATHS, draw_paths

if TYPE_CHECKING:
    from geostress.calibrate.fiscal import CalibratedBaseline
    from geostress.data.store import Store
    from geostress.spec.scenario import ScenarioSpec

MAX_PATHS = LIMITS["fiscal"]  # paths of one fiscal-only ensemble (:data:`geostress.run.limits.MAX_PATHS`)
BYTES_PER_PATH_YEAR = 4 * len(FAN_VARIABLES)

__all__ = ["FAN_VARIABLES", "MAX_PATHS", "QUANTILES", "EnsembleResult", "ScenarioResult", "draw_paths", "ratios",
           "run_ensemble", "run_scenario", "scenario_inputs"]


def run_ensemble(
    book: InitialBook,
    paths: BaselinePaths,
    params: FiscalParams,
    macro: MacroParams,
    *,
    n_paths: int,
    seed: int,
    chunk_paths: int = 16 * BLOCK_PATHS,
    keep_paths: bool = False,
    threads: int = 2,
    progress: Callable[[int, int], None] | None = None,
    yield_shift: np.ndarray | float = 0.0,
    market_term_premium: np.ndarray | None = None,
    **summary_options: Sequence[float],
) -> EnsembleResult:
    """Simulate ``n_paths`` stochastic paths in chunks and reduce them to fans and probabilities.

    Raises
    ------
    ScenarioError
        Before any work when ``n_paths`` or ``chunk_paths`` is out of range, or when the per-path aggregates
        would not fit in memory.
    """
    if not 1 <= n_paths <= MAX_PATHS:
        raise ScenarioError(f"paths={n_paths} is outside 1..{MAX_PATHS:,}")
    if chunk_paths < 1:
        raise ScenarioError("chunk_paths must be at least 1")
    months = paths.months
    shared = {"yield_shift": yield_shift, "market_term_premium": market_term_premium}
    base = simulate(book, paths, params, macro, **shared)
    n_years = base.annual.shape[1]
    need = n_paths * n_years * BYTES_PER_PATH_YEAR
    if need > 8 * 1024**3:
        raise ScenarioError(f"{n_paths:,} paths × {n_years} years need {need / 1e9:.1f} GB of aggregates; "
                            "run fewer paths per call and combine (or use `geostress sweep`)")
    store = {v: np.empty((n_paths, n_years), dtype=np.float32) for v in FAN_VARIABLES}
    exploded = 0
    # two shock buffers, reused: the next chunk's shocks are drawn in a background thread while the (GIL-free,
    # multi-threaded) kernel simulates the current chunk
    size = min(chunk_paths, n_paths)
    buffers = [np.empty((size, months, len(SHOCKS)), dtype=np.float32) for _ in range(2)]
    starts = list(range(0, n_paths, chunk_paths))

    def draw(i: int) -> np.ndarray:
        count = min(chunk_paths, n_paths - starts[i])
        return draw_paths(seed, starts[i], count, months, threads=threads, out=buffers[i % 2][:count])

    with ThreadPoolExecutor(max_workers=1) as background:
        pending = background.submit(draw, 0)
        for i, first in enumerate(starts):
            shocks = pending.result()
            if i + 1 < len(starts):
                pending = background.submit(draw, i + 1)
            out = simulate(book, paths, params, macro, shocks=shocks, **shared)
            count = shocks.shape[0]
            for var, values in ratios(out).items():
                store[var][first : first + count] = values
            exploded += int(out.exploded.sum())
            if progress is not None:
                progress(first + count, n_paths)
    fan = fan_quantiles(store, threads=threads)
    deterministic = {v: a[0] for v, a in ratios(base).items()}
    probs = summarise(store, base.fiscal_years, **summary_options)
    return EnsembleResult(base.fiscal_years, fan, deterministic, probs, n_paths, seed, exploded,
                          store if keep_paths else {})


def _checked_spec(spec: object) -> ScenarioSpec:
    """The :class:`ScenarioSpec` that :func:`run_scenario` runs: ``spec`` itself (validated again, cheaply: a copy
    made with pydantic's ``model_copy(update=...)`` skips validation), or one loaded from a preset name or TOML
    path (:func:`~geostress.spec.scenario.load_scenario`) or validated from a dict (as
    :func:`~geostress.spec.scenario.parse_scenario` does). Errors are :class:`ScenarioError` (or the loader's
    :class:`~geostress.errors.GeostressError`) with ``parameter`` set: the field at fault, else ``spec``."""
    import warnings

    from pydantic import ValidationError

    from geostress.errors import GeostressError
    from geostress.spec import knobs
    from geostress.spec.scenario import ScenarioSpec, load_scenario

    if isinstance(spec, str | Path):
        try:
            return load_scenario(spec)
        except GeostressError as exc:
            exc.parameter = exc.parameter or "spec"
            raise
    if not isinstance(spec, ScenarioSpec | dict):
        raise ScenarioError(f"spec must be a ScenarioSpec, a preset name or scenario TOML path (str or Path), or a "
                            f"scenario dict, not {type(spec).__name__}: e.g. run_scenario(load_scenario('baseline'))",
                            parameter="spec")
    if isinstance(spec, dict):  # as parse_scenario, with the field at fault as ``parameter``
        model, data, hint = ScenarioSpec, spec, ""
    else:
        model, hint = type(spec), (" (a copy made with model_copy(update=...) is not validated: change a spec with "
                                   "spec.with_overrides(**{'simulation.paths': 1000}), which checks every value)")
        with warnings.catch_warnings():  # a sub-model replaced by a plain dict (model_copy) warns when dumped
            warnings.simplefilter("ignore")
            data = spec.model_dump()
    try:
        checked = model.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(f"{knobs.format_validation_error(exc, 'spec')}{hint}",
                            parameter=knobs.error_parameter(exc) or "spec") from None
    return spec if checked == spec else checked


def run_scenario(
    spec: ScenarioSpec | str | Path | dict[str, Any],
    *,
    store: Store | None = None,
    progress: Callable[[int, int], None] | None = None,
    keep_paths: bool = False,
) -> ScenarioResult:
    """Run a :class:`~geostress.spec.scenario.ScenarioSpec`: calibrate, run the deterministic path, then the ensemble
    (when ``simulation.paths`` > 0). An enabled ``[reserves]`` section first becomes sales
    (:func:`geostress.run.reserves.with_reserve_sales`).

    ``spec`` may also be a preset name or TOML path (read with :func:`~geostress.spec.scenario.load_scenario`, as
    :func:`~geostress.run.sweep.sweep` and :func:`~geostress.report.build_report` do) or a scenario dict
    (:func:`~geostress.spec.scenario.parse_scenario`). A :class:`ScenarioSpec` is validated again before any work,
    so a copy changed with pydantic's ``model_copy(update=...)`` (which skips validation) is refused naming the
    field; change a spec with :meth:`~geostress.spec.scenario.ScenarioSpec.with_overrides` instead.

    Raises
    ------
    ScenarioError
        Before any work, a ``spec`` that is none of the above (``parameter`` ``spec``) or that fails validation
        (``parameter`` the field, e.g. ``simulation.paths``).
    LimitError
        Before any work, a coupled scenario over :data:`geostress.run.limits.MAX_PATHS` (``parameter``
        ``simulation.paths``).
    ScenarioError, DataError
        A scenario whose events do not fit the data (an unknown holder, a sale above its holdings, an event after
        the horizon) or a baseline the store cannot provide; the message says what to change.
    """
    from geostress.run.reserves import with_reserve_sales

    spec = _checked_spec(spec)
    if spec.coupled and spec.simulation.paths > LIMITS["coupled"]:
        raise LimitError(f"simulation.paths = {spec.simulation.paths:,} is over the limit of {LIMITS['coupled']:,} "
                         f"paths for one coupled run: {memory_words('coupled', spec.simulation.paths)}. Use at most "
                         f"{LIMITS['coupled']:,}; for more, pool runs with different simulation.seed",
                         parameter="simulation.paths")
    store = store_for(spec, store)  # scenario.data_as_of: only what was known that day
    recorded = data_provenance(store)  # the data the run reads, before it reads them: the summary's "provenance"
    if spec.reserves.enabled:
        from geostress.run.coupled import holders_for
        from geostress.run.inputs import calibrate_for

        holders = holders_for(store, calibrate_for(spec, store))
        spec = with_reserve_sales(spec, store, holdings_of=lambda name: holders.sector(name).holdings)
    calib, paths, macro, kwargs = scenario_inputs(spec, store)
    book, params = calib.book, calib.params
    sim = spec.simulation
    if spec.coupled:
        return with_provenance(_run_coupled_scenario(spec, store, calib, paths, macro, kwargs, progress, keep_paths),
                               data=recorded)
    deterministic = simulate(book, paths, params, macro, record_monthly=True, **kwargs)
    ensemble = None
    if sim.paths > 0:
        ensemble = run_ensemble(
            book, paths, params, macro, n_paths=sim.paths, seed=sim.seed, chunk_paths=sim.chunk_paths,
            keep_paths=keep_paths, progress=progress,
            debt_thresholds=spec.outputs.debt_thresholds,
            interest_thresholds=spec.outputs.interest_revenue_thresholds,
            **kwargs,
        )  # fmt: skip
    return with_provenance(ScenarioResult(spec, calib, deterministic, ensemble, pass_through(store), macro),
                           data=recorded)


@dataclass(frozen=True)
class BlockOutput:
    """A block of one scenario's paths as the runner simulates them (fiscal-only scenarios).

    ``deterministic`` is the zero-shock path when asked for; ``paths`` holds paths ``first .. first+count-1``
    with the ensemble's block seeding, so any split of a scenario into blocks gives the ensemble's numbers.
    """

    deterministic: SimulationOutput | None
    paths: SimulationOutput | None
    first: int


def run_block(spec: ScenarioSpec, *, store: Store | None = None, first: int = 0, count: int = 0,
              deterministic: bool = False, threads: int = 1) -> BlockOutput:  # fmt: skip
    """Simulate a block of a fiscal-only scenario's paths (and/or its deterministic path) — the unit of work a
    sweep chunk or a service worker runs; :func:`run_ensemble` runs the same blocks back to back."""
    if spec.coupled:
        raise ScenarioError(f"{spec.name}: a coupled scenario runs whole (run_scenario), not in blocks")
    calib, paths, macro, kwargs = scenario_inputs(spec, store)
    book, params = calib.book, calib.params
    det = simulate(book, paths, params, macro, **kwargs) if deterministic else None
    block = None
    if count:
        shocks = draw_paths(spec.simulation.seed, first, count, paths.months, threads=threads)
        block = simulate(book, paths, params, macro, shocks=shocks, **kwargs)
    return BlockOutput(det, block, first)


def _run_coupled_scenario(
    spec: ScenarioSpec, store: Store, calib: CalibratedBaseline, paths: BaselinePaths, macro: MacroParams,
    kwargs: dict[str, object],
    progress: Callable[[int, int], None] | None, keep_paths: bool = False,
) -> ScenarioResult:  # fmt: skip
    """Holders, sales and contagion inside the fiscal loop (:mod:`geostress.run.coupled`); progress is reported per
    chunk of paths and ``keep_paths`` keeps the per-path ratios, as for fiscal-only runs."""
    from geostress.run.coupled import holders_for, run_coupled, run_coupled_chunks

    if "market_term_premium" in kwargs:
        raise ScenarioError("shocks.term_premium_bp and a market block cannot both set the term premium; "
                            "express the shock as sales or announcements instead")
    shift = kwargs.get("yield_shift", 0.0)
    holders = holders_for(store, calib)
    # the same paths without the backstop, side by side, when the run's own backstop is on
    side_by_side = bool(spec.market.backstop)
    det = run_coupled(calib, paths, macro, spec, holders, shocks=None, n_paths=1, yield_shift=shift, record=True,
                      backstop_off=side_by_side)
    deterministic = SimulationOutput(det.scenario.annual, det.monthly, det.scenario.fiscal_years,
                                     det.scenario.exploded, det.scenario.explode_month)
    sim = spec.simulation
    ensemble, coupled = None, det
    if sim.paths > 0:
        coupled = run_coupled_chunks(calib, paths, macro, spec, holders, n_paths=sim.paths, seed=sim.seed,
                                     yield_shift=shift, backstop_off=side_by_side, progress=progress,
                                     chunk_paths=sim.chunk_paths)
        per_path = {v: a.astype(np.float32) for v, a in ratios(coupled.scenario).items()}
        ensemble = EnsembleResult(
            coupled.scenario.fiscal_years,
            fan_quantiles({v: per_path[v] for v in FAN_VARIABLES}),
            {v: a[0] for v, a in ratios(deterministic).items()},
            summarise(per_path, coupled.scenario.fiscal_years,
                      debt_thresholds=spec.outputs.debt_thresholds,
                      interest_thresholds=spec.outputs.interest_revenue_thresholds),
            sim.paths, sim.seed, int(coupled.scenario.exploded.sum()),
            {v: per_path[v] for v in FAN_VARIABLES} if keep_paths else {},
        )  # fmt: skip
    return ScenarioResult(spec, calib, deterministic, ensemble, pass_through(store), macro, coupled, det)
