"""CBO-style interest-rate sensitivity: how much a uniform rate shift adds to net interest and deficits.

The engine is calibrated to one CBO baseline vintage (its rate path fitted to CBO's net interest, year by year),
then run again with every yield at issue moved by the shock from the first month on. The difference is the added
net interest (interest on the debt, including interest on the extra borrowing) and the added deficit (net
interest plus the Federal Reserve's remittance change: more interest on reserves — none for a baseline starting
before October 2008, when the Fed began paying it — less the Fed's share of the extra interest it receives). As in
CBO's rule of thumb the economy does not move: no fiscal risk premium on the extra debt and no fiscal-policy
response. Other channels (interest income on federal loans) are not modelled.

References
----------
Congressional Budget Office (2025), *How Changes in Economic Conditions Might Affect the Federal Budget: 2025 to
2035*: all rates 0.1 pp higher add $351bn to 2026–2035 deficits and $54bn in 2035.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from geostress.calibrate.fiscal import (
    CalibratedBaseline,
    calibrate_baseline,
    load_cbo_baseline,
    parse_baseline_spec,
)
from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.model.fiscal import MacroParams, simulate


@dataclass(frozen=True)
class Sensitivity:
    """Added net interest and deficits by fiscal year (USD bn) for a uniform rate shift."""

    baseline: str
    shock_pp: float
    years: tuple[int, ...]
    added_net_interest: dict[int, float]
    added_deficit: dict[int, float]
    misfit_bn: dict[int, float] = field(default_factory=dict)
    #: Reserve balances the Fed pays interest on over the whole horizon, USD bn (the deficit's remittance change:
    #: none for a run starting before October 2008); None when not known
    fed_reserves_bn: float | None = None

    @property
    def cumulative_net_interest(self) -> float:
        return float(sum(self.added_net_interest[y] for y in self.years))

    @property
    def cumulative_deficit(self) -> float:
        return float(sum(self.added_deficit[y] for y in self.years))

    def to_json(self) -> dict[str, object]:
        return {
            "baseline": self.baseline,
            "shock_pp": self.shock_pp,
            "by_year": {str(y): round(self.added_net_interest[y], 3) for y in self.years},
            "cumulative_bn": round(self.cumulative_net_interest, 3),
            "by_year_deficit": {str(y): round(self.added_deficit[y], 3) for y in self.years},
            "cumulative_deficit_bn": round(self.cumulative_deficit, 3),
            "calibration_misfit_bn": {str(y): round(v, 1) for y, v in self.misfit_bn.items()},
            "fed_reserves_bn": self.fed_reserves_bn,
        }


def rate_sensitivity(
    calibrated: CalibratedBaseline, shock_pp: float, *, years: int = 10, label: str = ""
) -> Sensitivity:
    """Run ``calibrated`` with and without ``shock_pp`` on every rate; report the ``years`` fiscal years that
    follow the vintage's first (current) year, as CBO does (Jan-2025 vintage → FY2026–2035)."""
    if not -5.0 <= shock_pp <= 10.0:
        raise ScenarioError(f"--all-rates {shock_pp:+} pp is outside -5..+10 pp")
    # CBO's rule of thumb moves rates alone: no fiscal risk premium on the extra debt, no policy response
    params = replace(calibrated.params, fiscal_risk_premium_bp_per_pp=0.0)
    macro = MacroParams(fiscal_response=0.0)
    base = simulate(calibrated.book, calibrated.paths, params, macro)
    shocked = simulate(calibrated.book, calibrated.paths, params, macro, yield_shift=shock_pp / 100.0)
    fiscal_years = [int(y) for y in base.fiscal_years]
    window = tuple(fiscal_years[1 : 1 + years])
    if len(window) < 1:
        raise ScenarioError("the baseline has no projected year after its first; pick another vintage")
    d_interest = shocked.annual_field("interest")[0] - base.annual_field("interest")[0]
    d_deficit = shocked.annual_field("deficit")[0] - base.annual_field("deficit")[0]
    return Sensitivity(
        baseline=label or f"cbo:{calibrated.cbo.vintage:%Y-%m}",
        shock_pp=shock_pp,
        years=window,
        added_net_interest={y: float(v) for y, v in zip(fiscal_years, d_interest, strict=True)},
        added_deficit={y: float(v) for y, v in zip(fiscal_years, d_deficit, strict=True)},
        misfit_bn=dict(calibrated.misfit_bn),
        fed_reserves_bn=float(calibrated.params.fed_reserves_bn),
    )


def cbo_sensitivity(spec: str, shock_pp: float, *, years: int = 10, store: Store | None = None) -> Sensitivity:
    """:func:`rate_sensitivity` on CBO vintage ``spec`` (``cbo:YYYY-MM`` or ``cbo:latest``)."""
    store = store or Store()
    vintage = parse_baseline_spec(spec, store)
    projected = len(load_cbo_baseline(store, vintage).fiscal_years)
    # the vintage's own window, or longer when the requested years run past it (calibrated once either way)
    calibrated = calibrate_baseline(store, vintage, horizon_months=12 * max(projected, 1 + years))
    return rate_sensitivity(calibrated, shock_pp, years=years, label=spec)


def average_rate(calibrated: CalibratedBaseline) -> np.ndarray:
    """Model average interest rate by fiscal year: interest over the mean of start and end debt."""
    out = simulate(calibrated.book, calibrated.paths, calibrated.params)
    debt = out.annual_field("debt")[0]
    start = np.concatenate([[calibrated.book.total], debt[:-1]])
    return out.annual_field("interest")[0] / ((start + debt) / 2.0)
