"""A finished scenario run as the JSON the service stores and serves (``result.json``).

Ratios and yields are fractions (0.045 = 4.5 %). Non-finite numbers become ``null`` so that the file is strict
JSON. The layout is documented in ``docs/service.md`` and by :class:`geostress.service.schemas.RunResult`.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

import numpy as np

from geostress.results.ensemble import FAN_VARIABLES, QUANTILES, ratios
from geostress.util.jsonable import jsonable
from geostress.results import summary_payload

if TYPE_CHECKING:
    from geostress.calibrate.market import Holders
    from geostress.results.scenario import ScenarioResult

#: Columns of the deterministic fiscal-year table sent to clients, in order.
ANNUAL_COLUMNS: tuple[str, ...] = (
    "debt", "interest", "deficit", "primary_deficit", "revenue", "gdp", "debt_to_gdp", "net_interest_to_gdp",
    "interest_to_revenue", "yield_10y", "average_rate", "mortgage_30y", "baa_corporate",
)  # fmt: skip
QUANTILE_KEYS: tuple[str, ...] = tuple(f"p{round(q * 100):02d}" for q in QUANTILES)


def _floats(values: np.ndarray) -> list[float | None]:
    return [None if not math.isfinite(x) else x for x in np.asarray(values, dtype=np.float64).tolist()]


def fan_payload(result: ScenarioResult) -> dict[str, Any]:
    """Fiscal years and, per fan variable, the quantile rows (when paths > 0) and the deterministic path."""
    years = [int(y) for y in result.deterministic.fiscal_years]
    det = {v: a[0] for v, a in ratios(result.deterministic).items()}
    variables: dict[str, dict[str, list[float | None]]] = {}
    ens = result.ensemble
    for var in FAN_VARIABLES:
        entry: dict[str, list[float | None]] = {}
        if ens is not None:
            for i, key in enumerate(QUANTILE_KEYS):
                entry[key] = _floats(ens.fan[var][i])
        entry["deterministic"] = _floats(det[var])
        variables[var] = entry
    return {"fiscal_years": years, "variables": variables}


def annual_payload(result: ScenarioResult) -> list[dict[str, Any]]:
    """The deterministic fiscal-year table, one record per year (USD bn levels, fractions for ratios)."""
    frame = result.annual_frame()
    columns = [c for c in ANNUAL_COLUMNS if c in frame.columns]
    values = frame[columns].to_numpy(dtype=np.float64).tolist()
    rows = []
    for year, row in zip(frame.index.tolist(), values, strict=True):
        record: dict[str, Any] = {"fiscal_year": int(year)}
        record.update((col, x if math.isfinite(x) else None) for col, x in zip(columns, row, strict=True))
        rows.append(record)
    return rows


def published_payload(result: ScenarioResult, holders: Holders | None) -> dict[str, Any] | None:
    """The literature's range for the persistent effect of the run's sales, the contagion block's net official
    selling among them (the one the report shows: :func:`geostress.run.coupled.published_range`); ``None`` without
    holders or sales. ``low_bp``/``high_bp`` are ``None`` when every sale is a private, flow-only one."""
    if holders is None or result.coupled is None:
        return None
    from geostress.run.coupled import published_range

    published = published_range(result.spec, holders, float(result.calibration.paths.gdp[0]), result.coupled)
    if published is None:
        return None
    # the contagion block's part of ``persistent_bn`` (its liquidity run less the FIMA repo's share), so that a
    # client can say what the range is for without the FIMA prior: the scheduled part is the difference
    # and why the model's stock effect sits below the range, when it does (the report's words)
    stock = result.coupled.stock_effect_10y_bp
    below = published.below_words(float(np.median(stock)) if np.size(stock) else None)
    return jsonable({**published.payload(), "contagion_persistent_bn": list(published.contagion_persistent_bn),
                     "stock_below": below})


def market_payload(result: ScenarioResult, holders: Holders | None = None) -> dict[str, Any] | None:
    """The term premium by month (median, and its 5th/95th percentiles over paths when there are two or more), the
    market headline figures of a coupled run and the published range for the persistent effect (with ``holders``:
    the sectors the run sold from); ``None`` for a run without the market.

    The percentiles are over the paths' parameter draws: the market pass does not read the macro shocks. A run of
    one path has no range, so ``term_premium_bp_p05``/``_p95`` are absent then (as the summary's ``_p05`` keys)."""
    c = result.coupled
    if c is None:
        return None
    tp = np.asarray(c.term_premium_bp, dtype=np.float64)
    # no contagion block, no cascade measured: null (as the summary), not 0
    p_cascade = jsonable(float(np.mean(c.cascade_share))) if result.spec.contagion.enabled else None
    band: dict[str, list[float | None]] = {}
    if tp.shape[0] > 1:
        p05, p95 = np.quantile(tp, [0.05, 0.95], axis=0)
        band = {"term_premium_bp_p05": _floats(p05), "term_premium_bp_p95": _floats(p95)}
    return {
        "months": list(range(1, tp.shape[1] + 1)),
        "term_premium_bp_p50": _floats(np.median(tp, axis=0)),
        **band,
        "sold_bn_median": jsonable(float(np.median(c.sold_bn))),
        "cascade_probability": p_cascade,
        "cascade_share": p_cascade,  # the same figure under its old name (docs/service.md)
        "peak_10y_change_bp": jsonable(float(np.median(c.peak_10y_change_bp))),
        "published_persistent": published_payload(result, holders),
    }


def result_payload(run_id: str, result: ScenarioResult, holders: Holders | None = None) -> dict[str, Any]:
    """Everything ``GET /api/runs/{id}/result`` returns for a finished run (``holders``: the run's holder sectors,
    for the published range of a coupled run)."""
    return {
        "id": run_id,
        "scenario": result.name,
        "summary": jsonable(summary_payload(result)),
        "fan": fan_payload(result),
        "annual": annual_payload(result),
        "market": market_payload(result, holders),
    }


def dumps(payload: Any) -> bytes:
    """Strict, compact UTF-8 JSON (raises on NaN: :func:`~geostress.util.jsonable.jsonable` first)."""
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
