"""Ensemble results: fans (quantiles over paths), probabilities and the per-path ratios they are built from."""

from __future__ import annotations

import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geostress.model.fiscal import SimulationOutput

#: Quantiles of every fan (p05 … p95).
QUANTILES: tuple[float, ...] = (0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)
#: The per-path fiscal-year ratios every run reports.
FAN_VARIABLES: tuple[str, ...] = ("debt_to_gdp", "net_interest_to_gdp", "interest_to_revenue", "yield_10y")


def ratios(out: SimulationOutput) -> dict[str, np.ndarray]:
    """Per-path fiscal-year ratios from raw output: debt/GDP, net interest/GDP, interest/revenue, 10y yield."""
    gdp = out.annual_field("gdp")
    return {
        "debt_to_gdp": out.annual_field("debt") / gdp,
        "net_interest_to_gdp": out.annual_field("interest") / gdp,
        "interest_to_revenue": out.annual_field("interest") / out.annual_field("revenue"),
        "yield_10y": out.annual_field("yield_10y"),
    }


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
        zero-shock path). Ratios and rates (``yield_10y``) are fractions (0.0402 is 4.02%), not the percent of the
        data store."""
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
    """Quantiles of each column, as ``numpy.quantile(..., method="linear")``.

    Each column is sorted whole: numpy's vectorised sort of float32 rows took a third of the time of a partial sort
    at the 14 order statistics the fans need (0.026 s against 0.079 s for 30 rows of 100,000, numpy 2.4, AVX2).
    """
    n = values.shape[0]
    pos = np.asarray(quantiles, dtype=float) * (n - 1)
    lo, hi = np.floor(pos).astype(int), np.ceil(pos).astype(int)
    rows = np.sort(values.T, axis=1)  # one contiguous sorted row per column
    low, high = rows[:, lo].T.astype(np.float64), rows[:, hi].T.astype(np.float64)
    return low + (high - low) * (pos - lo)[:, None]


def fan_quantiles(per_path: dict[str, np.ndarray], *, threads: int = 2) -> dict[str, np.ndarray]:
    """:data:`QUANTILES` of every variable's (paths × years) array, one variable per thread (numpy's sort releases
    the GIL)."""
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        quantiles = pool.map(lambda values: column_quantiles(values, QUANTILES), per_path.values())
        return dict(zip(per_path, quantiles, strict=True))


_PROBABILITY = (
    (re.compile(r"p_debt_gt_(\d+)pct_by_(\d+)"), "Debt/GDP above {0}% in some year by FY{1}"),
    (re.compile(r"p_interest_revenue_gt_(\d+)pct"), "Net interest above {0}% of revenue in some year"),
    (re.compile(r"p_not_stabilising"), "Debt/GDP higher in the last year than five years before"),
)


def probability_label(key: str) -> str:
    """Plain words for a key of :func:`summarise`'s probabilities (``p_debt_gt_150pct_by_2055`` → "Debt/GDP above
    150% in some year by FY2055"), as the report and ``geostress run`` word them; the key itself when unknown."""
    for pattern, text in _PROBABILITY:
        match = pattern.fullmatch(key)
        if match:
            return text.format(*match.groups())
    return key


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
