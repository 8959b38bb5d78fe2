"""The one translation from a scenario spec to model inputs, with the calibration memo.

Calibration (≈1 s) reads the store and the calibration inputs only: the CBO vintage, the horizon and the
``[fiscal]`` settings that shape the baseline book and paths. Model parameters that calibration does not read
(e.g. ``fiscal.fiscal_risk_premium_bp_per_pp``) are applied afterwards, so a sweep or a bisection over them
calibrates once.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from geostress.model.fiscal import BaselinePaths, MacroParams

if TYPE_CHECKING:
    from geostress.calibrate.fiscal import CalibratedBaseline
    from geostress.calibrate.macro import PassThrough, ShockEstimate
    from geostress.data.store import Store
    from geostress.spec.scenario import ScenarioSpec

T = TypeVar("T")


_MEMO: OrderedDict[tuple[object, ...], object] = OrderedDict()
_MEMO_LOCK = threading.Lock()
_MEMO_SIZE = 32


def _store_state(store: Store) -> tuple[object, ...]:
    """What a store's answers depend on: its folder, the snapshot switch, every file reads see and the date the
    reads are pinned to (:meth:`~geostress.data.store.Store.known_on`)."""
    return (str(store.home), store.include_snapshot, tuple(store.files()), store.known_by)


def data_day(value: str | None, parameter: str) -> str | None:
    """The day data are pinned to (``scenario.data_as_of``, ``--as-of``, a query's ``data_as_of``) as
    ``YYYY-MM-DD``: a month or a year means its last day; ``None`` stays ``None`` (all the store holds).

    Raises
    ------
    ScenarioError
        ``value`` is not a date, or it is after today (UTC): releases dated before it may still be imported, so
        an answer pinned to it could not be repeated (``parameter`` is the error's).
    """
    from datetime import UTC, datetime

    from geostress.data.store import period_bound
    from geostress.errors import DataError, ScenarioError

    if value is None:
        return None
    try:
        day = period_bound(value, parameter, "end")
    except DataError:
        raise ScenarioError(f"{parameter} {value!r} is not a date: give YYYY-MM-DD (YYYY-MM or YYYY: its last "
                            "day)", parameter=parameter) from None
    today = datetime.now(UTC).date()
    if day is not None and day > today:
        raise ScenarioError(f"{parameter} = {day:%Y-%m-%d} is after today ({today:%Y-%m-%d}): releases dated before "
                            "it can still be imported, so an answer pinned to it could not be repeated; give today or "
                            "an earlier day, or leave it out to read all the store holds", parameter=parameter)
    return None if day is None else f"{day:%Y-%m-%d}"


def store_for(spec: ScenarioSpec, store: Store | None = None) -> Store:
    """The store a scenario reads: ``store`` (default :class:`~geostress.data.store.Store`) as it stood on the
    spec's ``scenario.data_as_of`` (:meth:`~geostress.data.store.Store.known_on`), or as it is when that is unset.

    Every door that reads data for a scenario (a run, a block, a tipping probe, a sweep chunk, the report, the
    service) goes through this, so the calibration, the holders and the reserve sales all read the same releases.

    Raises
    ------
    ScenarioError
        ``scenario.data_as_of`` after today (UTC): releases dated before it may still be imported, so a run pinned
        to it could not be repeated (``parameter`` ``scenario.data_as_of``).
    """
    from geostress.data.store import Store

    day = data_day(spec.scenario.data_as_of, "scenario.data_as_of")
    return (store if store is not None else Store()).known_on(day)


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


#: ``[fiscal]`` fields that are model parameters, not calibration inputs: applied after calibration, so changing
#: them (a sweep, a bisection, ``--set``) reuses the remembered calibration.
MODEL_ONLY_FISCAL_FIELDS = ("fiscal_risk_premium_bp_per_pp",)


def calibration_key(spec: ScenarioSpec, store: Store) -> tuple[object, ...]:
    """What a calibration reads: the store's contents, the CBO vintage, the horizon and the calibration inputs."""
    inputs = spec.fiscal.model_dump(mode="json", exclude=set(MODEL_ONLY_FISCAL_FIELDS))
    return ("calibration", _store_state(store), spec.scenario.baseline, spec.scenario.horizon_years,
            json.dumps(inputs, sort_keys=True))


def calibrate_for(spec: ScenarioSpec, store: Store) -> CalibratedBaseline:
    """The engine calibrated to the spec's CBO baseline, horizon and ``[fiscal]`` calibration inputs (about 1 s).

    Calibrations are remembered per process under :func:`calibration_key`, so the runs of a bisection, a sweep or
    a service worker calibrate once. Importing data adds a batch file, which changes the key: a calibration never
    outlives the data it was made from. Model-only parameters (:data:`MODEL_ONLY_FISCAL_FIELDS`) are applied to
    the remembered calibration afterwards: the rate-path fit runs on the baseline path, where debt/GDP equals its
    reference and the fiscal risk premium is zero, so the fit does not depend on them (tested). So is the tenor
    curve's 5-year loading (:func:`geostress.model.fiscal.term_premium_loading`): the scenario's
    ``market.loading_5y``, or its prior's median when unset (every term-premium deviation is zero on the baseline
    path too). The result is frozen and shared; callers derive new paths with :func:`dataclasses.replace`, never
    in place.
    """
    from dataclasses import replace

    from geostress.model.fiscal import default_loading_5y

    store = store_for(spec, store)
    calib = _memo(calibration_key(spec, store), lambda: _calibrate(spec, store))
    premium = spec.fiscal.fiscal_risk_premium_bp_per_pp
    loading = getattr(spec.market, "loading_5y", None)
    loading = default_loading_5y() if loading is None else float(loading)
    params = calib.params
    if params.fiscal_risk_premium_bp_per_pp == premium and params.term_premium_loading_5y == loading:
        return calib
    return replace(calib, params=replace(params, fiscal_risk_premium_bp_per_pp=premium,
                                         term_premium_loading_5y=loading))


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
    spec.check_shock_years(int(paths.fiscal_year[0]), int(paths.fiscal_year[-1]))
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
    store = store_for(spec, store)
    calib = calibrate_for(spec, store)
    paths, run_kwargs = apply_shocks(spec, calib)
    return calib, paths, macro_for(spec, shock_estimate(store)), run_kwargs
