"""The result of one scenario run: spec, calibration, deterministic path, fans and (for coupled runs) the market."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from geostress.model.fiscal import MacroParams, SimulationOutput
from geostress.results.ensemble import QUANTILES, EnsembleResult, ratios

if TYPE_CHECKING:
    from geostress.calibrate.fiscal import CalibratedBaseline
    from geostress.calibrate.macro import PassThrough
    from geostress.spec.scenario import ScenarioSpec


@dataclass(frozen=True)
class ScenarioResult:
    """Everything one scenario run produced: the spec, the calibration, the deterministic path and the fans."""

    spec: ScenarioSpec
    calibration: CalibratedBaseline
    deterministic: SimulationOutput  # monthly detail, one path, zero shocks, scenario shocks applied
    ensemble: EnsembleResult | None
    pass_through: PassThrough
    macro: MacroParams
    coupled: Any = None  # of the ensemble (or of the deterministic path when paths = 0)

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
            "gdp_source": "" if getattr(calib, "gdp", None) is None else calib.gdp.source,
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
            head.update(market_ranges(c, extra[:, : i10 + 1].sum(axis=1)))
        return head


def market_ranges(c: object, added_interest: np.ndarray) -> dict[str, object]:
    """Medians with 5th/95th percentiles over paths (parameter draws and macro shocks) of the coupled run's market
    figures, and the same market run with the backstop off (issue 14; :mod:`geostress.run.coupled`)."""

    def q(values: np.ndarray, name: str) -> dict[str, float]:
        v = np.asarray(values, dtype=float)
        if v.size == 0:
            return {}
        p05, p50, p95 = np.quantile(v, [0.05, 0.5, 0.95])
        return {name: float(p50), f"{name}_p05": float(p05), f"{name}_p95": float(p95)}

    out: dict[str, object] = {}
    out.update(q(c.peak_10y_change_bp, "peak_10y_change_bp"))  # type: ignore[attr-defined]
    out.update(q(c.persistent_10y_change_bp, "persistent_10y_change_bp"))  # type: ignore[attr-defined]
    out.update(q(added_interest, "added_net_interest_10y_bn"))
    out["persistent_month"] = int(c.persistent_month)  # type: ignore[attr-defined]
    out["cascade_probability"] = float(np.mean(c.cascade_share))  # type: ignore[attr-defined]
    if np.size(c.backstop_bn):  # type: ignore[attr-defined]
        out["backstop_bn_median"] = float(np.median(c.backstop_bn))  # type: ignore[attr-defined]
    off = c.backstop_off  # type: ignore[attr-defined]
    if off:
        out.update(q(off["peak_10y_change_bp"], "peak_10y_change_bp_backstop_off"))
        out.update(q(off["persistent_10y_change_bp"], "persistent_10y_change_bp_backstop_off"))
    return out
