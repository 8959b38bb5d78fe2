"""Orchestration: run the fiscal engine deterministically or as a seeded ensemble of stochastic paths.

Seeding: paths come in fixed blocks of :data:`BLOCK_PATHS`; block ``b`` draws its shocks from
``SeedSequence(seed, spawn_key=(b,))``. A path's shocks therefore depend only on the seed and its index, never on
how paths are grouped into chunks, on the chunk size, or on how many paths are run in all.

Memory: only fiscal-year aggregates are kept per path (4 ratios × years × 4 bytes), never monthly paths, so
100,000 paths over 30 years hold under 50 MB; shocks are drawn and consumed one chunk at a time.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import pandas as pd

from geostress.errors import ScenarioError
from geostress.model.fiscal import (
    SHOCKS,
    BaselinePaths,
    FiscalParams,
    InitialBook,
    MacroParams,
    SimulationOutput,
    simulate,
)

if TYPE_CHECKING:
    from geostress.calibrate.fiscal import CalibratedBaseline
    from geostress.calibrate.macro import PassThrough, ShockEstimate
    from geostress.run.coupled import CoupledOutput
    from geostress.data.store import Store
    from geostress.spec.scenario import ScenarioSpec

T = TypeVar("T")

BLOCK_PATHS = 1024
QUANTILES: tuple[float, ...] = (0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)
FAN_VARIABLES: tuple[str, ...] = ("debt_to_gdp", "net_interest_to_gdp", "interest_to_revenue", "yield_10y")
MAX_PATHS = 5_000_000
BYTES_PER_PATH_YEAR = 4 * len(FAN_VARIABLES)


def ratios(out: SimulationOutput) -> dict[str, np.ndarray]:
    """Per-path fiscal-year ratios from raw output: debt/GDP, net interest/GDP, interest/revenue, 10y yield."""
    gdp = out.annual_field("gdp")
    return {
        "debt_to_gdp": out.annual_field("debt") / gdp,
        "net_interest_to_gdp": out.annual_field("interest") / gdp,
        "interest_to_revenue": out.annual_field("interest") / out.annual_field("revenue"),
        "yield_10y": out.annual_field("yield_10y"),
    }


def _generator(seed: int, block: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))


def draw_paths(
    seed: int, first: int, count: int, months: int, *, threads: int = 2, out: np.ndarray | None = None
) -> np.ndarray:
    """Standard normal shocks (float32) for paths ``first .. first+count-1``: shape (count, months, shocks).

    Block ``b`` (paths ``b·BLOCK_PATHS`` onwards) always draws the same numbers, so any split of the paths into
    calls gives identical shocks. Whole blocks are drawn straight into the output; partial blocks at either end
    are drawn whole and sliced.
    """
    shape = (count, months, len(SHOCKS))
    if out is None:
        out = np.empty(shape, dtype=np.float32)
    elif out.shape != shape or out.dtype != np.float32:
        raise ValueError(f"out must be float32 with shape {shape}")
    last = first + count

    def fill(block: int) -> None:
        lo, hi = block * BLOCK_PATHS, (block + 1) * BLOCK_PATHS
        rng = _generator(seed, block)
        if lo >= first and hi <= last:
            rng.standard_normal(dtype=np.float32, out=out[lo - first : hi - first])
        else:
            whole = rng.standard_normal((BLOCK_PATHS, months, len(SHOCKS)), dtype=np.float32)
            a, b = max(lo, first), min(hi, last)
            out[a - first : b - first] = whole[a - lo : b - lo]

    blocks = range(first // BLOCK_PATHS, (last - 1) // BLOCK_PATHS + 1)
    if threads > 1 and len(blocks) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(fill, blocks))
    else:
        for block in blocks:
            fill(block)
    return out


@dataclass(frozen=True)
class EnsembleResult:
    """Fan charts and probabilities of one stochastic run.

    Attributes
    ----------
    fiscal_years
        (Y,) years of the columns.
    fan
        variable → (len(QUANTILES), Y) percentiles over paths.
    deterministic
        variable → (Y,) the zero-shock path.
    probabilities
        name → probability (see :func:`summarise`).
    n_paths, seed, n_exploded
        Paths run, seed, and paths whose debt/GDP crossed the explosive threshold (frozen there).
    per_path
        variable → (P, Y) float32 per-path ratios when kept (``keep_paths=True``), else empty.
    """

    fiscal_years: np.ndarray
    fan: dict[str, np.ndarray]
    deterministic: dict[str, np.ndarray]
    probabilities: dict[str, float]
    n_paths: int
    seed: int
    n_exploded: int
    per_path: dict[str, np.ndarray] = field(default_factory=dict)

    def to_frame(self, scenario: str = "scenario") -> pd.DataFrame:
        """Tidy frame: ``scenario, quantile, period, variable, value`` (quantile ``"deterministic"`` for the
        zero-shock path)."""
        rows = []
        for var, table in self.fan.items():
            for qi, q in enumerate(QUANTILES):
                rows.append(pd.DataFrame({"quantile": f"p{round(q * 100):02d}", "period": self.fiscal_years,
                                          "variable": var, "value": table[qi]}))
            rows.append(pd.DataFrame({"quantile": "deterministic", "period": self.fiscal_years,
                                      "variable": var, "value": self.deterministic[var]}))
        frame = pd.concat(rows, ignore_index=True)
        frame.insert(0, "scenario", scenario)
        return frame

    def to_wide(self, quantile: str = "p50") -> pd.DataFrame:
        """One column per variable for one quantile (or ``"deterministic"``), indexed by fiscal year."""
        frame = self.to_frame()
        return frame[frame["quantile"] == quantile].pivot(index="period", columns="variable", values="value")


def column_quantiles(values: np.ndarray, quantiles: Sequence[float]) -> np.ndarray:
    """Quantiles of each column, as ``numpy.quantile(..., method="linear")``, by one partial sort (O(P))."""
    n = values.shape[0]
    pos = np.asarray(quantiles, dtype=float) * (n - 1)
    lo, hi = np.floor(pos).astype(int), np.ceil(pos).astype(int)
    rows = np.ascontiguousarray(values.T)  # one contiguous row per column: a fast partial sort
    part = np.partition(rows, np.unique(np.concatenate([lo, hi])), axis=1)
    low, high = part[:, lo].T.astype(np.float64), part[:, hi].T.astype(np.float64)
    return low + (high - low) * (pos - lo)[:, None]


def fan_quantiles(per_path: dict[str, np.ndarray], *, threads: int = 2) -> dict[str, np.ndarray]:
    """:data:`QUANTILES` of every variable's (paths × years) array, one variable per thread (numpy's partial sort
    releases the GIL: about half the time of one thread for 100,000 paths on two cores)."""
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        quantiles = pool.map(lambda values: column_quantiles(values, QUANTILES), per_path.values())
        return dict(zip(per_path, quantiles, strict=True))


def summarise(
    per_path: dict[str, np.ndarray],
    fiscal_years: np.ndarray,
    *,
    debt_thresholds: Sequence[float] = (1.5, 2.0),
    interest_thresholds: Sequence[float] = (0.25, 0.30),
    stabilising_window: int = 5,
) -> dict[str, float]:
    """Probabilities over paths.

    * ``p_debt_gt_{X}_by_{T}``: debt/GDP above X in some year up to the last year T;
    * ``p_interest_revenue_gt_{Y}``: interest above Y of revenue in some year;
    * ``p_not_stabilising``: debt/GDP higher in the last year than ``stabilising_window`` years before.
    """
    last = int(fiscal_years[-1])
    debt, interest = per_path["debt_to_gdp"], per_path["interest_to_revenue"]
    out = {}
    for x in debt_thresholds:
        out[f"p_debt_gt_{round(x * 100)}pct_by_{last}"] = float(np.mean(np.any(debt > x, axis=1)))
    for y in interest_thresholds:
        out[f"p_interest_revenue_gt_{round(y * 100)}pct"] = float(np.mean(np.any(interest > y, axis=1)))
    window = min(stabilising_window, debt.shape[1] - 1)
    if window >= 1:
        out["p_not_stabilising"] = float(np.mean(debt[:, -1] > debt[:, -1 - window]))
    return out


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


@dataclass(frozen=True)
class ScenarioResult:
    """Everything one scenario run produced: the spec, the calibration, the deterministic path and the fans."""

    spec: ScenarioSpec
    calibration: CalibratedBaseline
    deterministic: SimulationOutput  # monthly detail, one path, zero shocks, scenario shocks applied
    ensemble: EnsembleResult | None
    pass_through: PassThrough
    macro: MacroParams
    coupled: CoupledOutput | None = None  # of the ensemble (or of the deterministic path when paths = 0)

    @property
    def name(self) -> str:
        return self.spec.scenario.name

    def annual_frame(self) -> pd.DataFrame:
        """Deterministic fiscal-year table: debt, interest, deficits, revenue, GDP (USD bn), ratios and rates."""
        out = self.deterministic
        frame = pd.DataFrame({name: out.annual_field(name)[0] for name in
                              ("debt", "interest", "deficit", "primary_deficit", "revenue", "gdp")},
                             index=pd.Index(out.fiscal_years, name="fiscal_year"))
        for var, values in ratios(out).items():
            frame[var] = values[0]
        debt_start = np.concatenate([[self.calibration.book.total], frame["debt"].to_numpy()[:-1]])
        frame["average_rate"] = frame["interest"] / ((debt_start + frame["debt"]) / 2.0)
        frame["mortgage_30y"] = self.pass_through.mortgage_rate(frame["yield_10y"].to_numpy())
        frame["baa_corporate"] = self.pass_through.baa_rate(frame["yield_10y"].to_numpy())
        return frame

    def to_frame(self) -> pd.DataFrame:
        """Tidy long output ``scenario, quantile, period, variable, value`` (fans and the deterministic path)."""
        if self.ensemble is not None:
            return self.ensemble.to_frame(self.name)
        wide = self.annual_frame()
        long = wide.reset_index().melt(id_vars="fiscal_year", var_name="variable", value_name="value")
        long = long.rename(columns={"fiscal_year": "period"})
        long.insert(0, "quantile", "deterministic")
        long.insert(0, "scenario", self.name)
        return long

    def summary(self) -> dict[str, object]:
        """JSON-ready headline numbers."""
        table = self.annual_frame()
        last = table.index[-1]
        calib = self.calibration
        out: dict[str, object] = {
            "scenario": self.name,
            "baseline_vintage": calib.cbo.vintage.isoformat(),
            "start": calib.start.isoformat(),
            "fiscal_years": [int(table.index[0]), int(last)],
            "deterministic": {
                "debt_to_gdp_last": float(table.at[last, "debt_to_gdp"]),
                "net_interest_to_gdp_last": float(table.at[last, "net_interest_to_gdp"]),
                "interest_to_revenue_last": float(table.at[last, "interest_to_revenue"]),
                "average_rate_last": float(table.at[last, "average_rate"]),
                "exploded": bool(self.deterministic.exploded[0]),
            },
            "book": {
                "total_bn": calib.book.total,
                "average_rate": calib.book.average_rate,
                "weighted_average_maturity_months": calib.book.weighted_average_maturity,
            },
        }
        out.update(self.headline())
        if self.ensemble is not None:
            ens = self.ensemble
            out["ensemble"] = {
                "paths": ens.n_paths,
                "seed": ens.seed,
                "exploded_paths": ens.n_exploded,
                "probabilities": ens.probabilities,
                "debt_to_gdp_last": {f"p{round(q * 100):02d}": float(ens.fan["debt_to_gdp"][i, -1])
                                     for i, q in enumerate(QUANTILES)},
            }
        return out


    def headline(self) -> dict[str, object]:
        """The figures ``geostress run`` leads with: peak 10y change, added interest over 10 years, debt/GDP in
        10 and 30 years (median, 90th percentile), the cascade, paths and seed."""
        years = self.deterministic.fiscal_years
        if self.ensemble is not None:
            debt = self.ensemble.fan["debt_to_gdp"]
            q = {f"p{round(v * 100):02d}": i for i, v in enumerate(QUANTILES)}
            at = {"p50": debt[q["p50"]], "p90": debt[q["p90"]]}
        else:
            ratio = ratios(self.deterministic)["debt_to_gdp"][0]
            at = {"p50": ratio, "p90": ratio}
        i10, i30 = min(9, len(years) - 1), min(29, len(years) - 1)
        head: dict[str, object] = {
            "debt_gdp_10y_p50": float(at["p50"][i10]),
            "debt_gdp_10y_p90": float(at["p90"][i10]),
            "debt_gdp_30y_p50": float(at["p50"][i30]),
            "horizon_years": [int(years[i10]), int(years[i30])],
            "paths": self.ensemble.n_paths if self.ensemble is not None else 0,
            "seed": self.spec.simulation.seed,
            "peak_10y_change_bp": 0.0,
            "added_net_interest_10y_bn": 0.0,
            "cascade_share": 0.0,
        }
        c = self.coupled
        if c is not None:
            extra = c.scenario.annual_field("interest") - c.twin.annual_field("interest")
            head.update(
                peak_10y_change_bp=float(np.median(c.peak_10y_change_bp)),
                added_net_interest_10y_bn=float(np.median(extra[:, : i10 + 1].sum(axis=1))),
                cascade_share=float(np.mean(c.cascade_share)),
                sold_bn_median=float(np.median(c.sold_bn)),
                peak_term_premium_bp=float(np.max(np.median(c.term_premium_bp, axis=0))),
            )
        return head


_MEMO: OrderedDict[tuple[object, ...], object] = OrderedDict()
_MEMO_LOCK = threading.Lock()
_MEMO_SIZE = 32


def _store_state(store: Store) -> tuple[object, ...]:
    """What a store's answers depend on: its folder, the snapshot switch and every file reads see."""
    return (str(store.home), store.include_snapshot, tuple(store.files()))


def _memo(key: tuple[object, ...], build: Callable[[], T]) -> T:
    """``build()`` once per key in this process (the newest :data:`_MEMO_SIZE` kept); thread-safe."""
    with _MEMO_LOCK:
        if key in _MEMO:
            _MEMO.move_to_end(key)
            return _MEMO[key]  # type: ignore[return-value]
    value = build()
    with _MEMO_LOCK:
        _MEMO[key] = value
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)
    return value


def calibrate_for(spec: ScenarioSpec, store: Store) -> CalibratedBaseline:
    """The engine calibrated to the spec's CBO baseline, horizon and ``[fiscal]`` settings (about 1 s).

    Calibrations are remembered per process for the same store contents and the same baseline, horizon and
    ``[fiscal]`` section, so the runs of a bisection, a sweep or a service worker calibrate once. Importing data
    adds a batch file, which changes the key: a calibration never outlives the data it was made from. The result
    is frozen and shared; callers derive new paths with :func:`dataclasses.replace`, never in place.
    """
    fiscal_key = json.dumps(spec.fiscal.model_dump(mode="json"), sort_keys=True)
    key = ("calibration", _store_state(store), spec.scenario.baseline, spec.scenario.horizon_years, fiscal_key)
    return _memo(key, lambda: _calibrate(spec, store))


def shock_estimate(store: Store) -> ShockEstimate:
    """:func:`geostress.calibrate.macro.estimate_shock_covariance`, remembered per store contents."""
    from geostress.calibrate.macro import estimate_shock_covariance

    return _memo(("shocks", _store_state(store)), lambda: estimate_shock_covariance(store))


def pass_through(store: Store) -> PassThrough:
    """:func:`geostress.calibrate.macro.estimate_pass_through`, remembered per store contents."""
    from geostress.calibrate.macro import estimate_pass_through

    return _memo(("pass-through", _store_state(store)), lambda: estimate_pass_through(store))


def _calibrate(spec: ScenarioSpec, store: Store) -> CalibratedBaseline:
    from geostress.calibrate.fiscal import calibrate_baseline, parse_baseline_spec
    from geostress.model.fiscal import TENOR_NAMES

    fiscal = spec.fiscal
    shares = None
    if fiscal.issuance_shares is not None:
        shares = np.array([fiscal.issuance_shares.get(t, 0.0) for t in TENOR_NAMES])
    return calibrate_baseline(
        store, parse_baseline_spec(spec.scenario.baseline, store),
        horizon_months=12 * spec.scenario.horizon_years,
        nominal_growth=fiscal.nominal_growth,
        issuance_shares=shares,
        fiscal_risk_premium_bp_per_pp=fiscal.fiscal_risk_premium_bp_per_pp,
        fed_reserves_bn=fiscal.fed_reserves_bn,
        fed_share_of_debt=fiscal.fed_share_of_debt,
        target_wam_months=fiscal.target_wam_months,
    )  # fmt: skip


def apply_shocks(spec: ScenarioSpec, calib: CalibratedBaseline) -> tuple[BaselinePaths, dict[str, object]]:
    """The spec's ``[shocks]`` on the calibrated paths: (shocked paths, keyword arguments for the run)."""
    from dataclasses import replace

    from geostress.model.fiscal import TENOR_NAMES

    paths = calib.paths
    shocks = spec.shocks
    active = np.ones(paths.months, dtype=bool)
    if shocks.start_year is not None:
        active = paths.fiscal_year >= shocks.start_year
    if shocks.primary_deficit_pct_gdp:
        extra = np.where(active, shocks.primary_deficit_pct_gdp / 100.0 * paths.gdp / 12.0, 0.0)
        paths = replace(paths, primary_deficit=paths.primary_deficit + extra)
    run_kwargs: dict[str, object] = {}
    if shocks.all_rates_pp:
        shift = np.where(active, shocks.all_rates_pp / 100.0, 0.0)
        run_kwargs["yield_shift"] = shift[:, None] * np.ones(len(TENOR_NAMES))
    if shocks.term_premium_bp:
        run_kwargs["market_term_premium"] = np.where(active, shocks.term_premium_bp / 1e4, 0.0)
    return paths, run_kwargs


def macro_for(spec: ScenarioSpec, estimate: ShockEstimate) -> MacroParams:
    """Macro parameters: ``[macro]`` overrides on the defaults, the estimated shocks scaled by ``shock_scale``."""
    from dataclasses import replace

    m = spec.macro
    overrides = {k: v for k, v in m.model_dump().items() if k != "shock_scale" and v is not None}
    macro = estimate.macro_params(MacroParams(**overrides))
    return replace(macro, shock_chol=macro.shock_chol * m.shock_scale)


def scenario_inputs(
    spec: ScenarioSpec, store: Store | None = None
) -> tuple[CalibratedBaseline, BaselinePaths, MacroParams, dict[str, object]]:
    """Calibrate everything a scenario needs: (calibrated baseline, shocked paths, macro params, run kwargs)."""
    from geostress.data.store import Store

    store = store or Store()
    calib = calibrate_for(spec, store)
    paths, run_kwargs = apply_shocks(spec, calib)
    return calib, paths, macro_for(spec, shock_estimate(store)), run_kwargs


def run_scenario(
    spec: ScenarioSpec,
    *,
    store: Store | None = None,
    progress: Callable[[int, int], None] | None = None,
    keep_paths: bool = False,
) -> ScenarioResult:
    """Run a :class:`~geostress.spec.scenario.ScenarioSpec`: calibrate, run the deterministic path, then the ensemble
    (when ``simulation.paths`` > 0)."""
    from geostress.data.store import Store

    store = store or Store()
    calib, paths, macro, kwargs = scenario_inputs(spec, store)
    book, params = calib.book, calib.params
    sim = spec.simulation
    if spec.coupled:
        return _run_coupled_scenario(spec, store, calib, paths, macro, kwargs, progress)
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
    return ScenarioResult(spec, calib, deterministic, ensemble, pass_through(store), macro)


def _run_coupled_scenario(
    spec: ScenarioSpec, store: Store, calib: CalibratedBaseline, paths: BaselinePaths, macro: MacroParams,
    kwargs: dict[str, object],
    progress: Callable[[int, int], None] | None,
) -> ScenarioResult:  # fmt: skip
    """Holders, sales and contagion inside the fiscal loop (:mod:`geostress.run.coupled`)."""
    from geostress.run.coupled import holders_for, run_coupled, run_coupled_chunks

    if "market_term_premium" in kwargs:
        raise ScenarioError("shocks.term_premium_bp and a market block cannot both set the term premium; "
                            "express the shock as sales or announcements instead")
    shift = kwargs.get("yield_shift", 0.0)
    holders = holders_for(store, calib)
    det = run_coupled(calib, paths, macro, spec, holders, shocks=None, n_paths=1, yield_shift=shift, record=True)
    deterministic = SimulationOutput(det.scenario.annual, det.monthly, det.scenario.fiscal_years,
                                     det.scenario.exploded, det.scenario.explode_month)
    sim = spec.simulation
    ensemble, coupled = None, det
    if sim.paths > 0:
        coupled = run_coupled_chunks(calib, paths, macro, spec, holders, n_paths=sim.paths, seed=sim.seed,
                                     yield_shift=shift)
        per_path = {v: a.astype(np.float32) for v, a in ratios(coupled.scenario).items()}
        ensemble = EnsembleResult(
            coupled.scenario.fiscal_years,
            fan_quantiles({v: per_path[v] for v in FAN_VARIABLES}),
            {v: a[0] for v, a in ratios(deterministic).items()},
            summarise(per_path, coupled.scenario.fiscal_years,
                      debt_thresholds=spec.outputs.debt_thresholds,
                      interest_thresholds=spec.outputs.interest_revenue_thresholds),
            sim.paths, sim.seed, int(coupled.scenario.exploded.sum()),
        )  # fmt: skip
        if progress is not None:
            progress(sim.paths, sim.paths)
    return ScenarioResult(spec, calib, deterministic, ensemble, pass_through(store), macro, coupled)
