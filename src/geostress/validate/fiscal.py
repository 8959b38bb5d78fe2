"""Published-figure checks of the fiscal engine: a closed form, CBO's rate sensitivity and baseline, spreads."""

from __future__ import annotations

from datetime import date
from functools import cache

import numpy as np

from geostress.data.store import Store
from geostress.validate.registry import Check

CHECKS: list[Check] = []


# -- fiscal engine ------------------------------------------------------------------------------------------------
def _closed_form(_: Store) -> float:
    """Max error of d(t+1)/d(t) against (1+r)/(1+g) with constant r, g and zero primary balance."""
    from geostress.model.fiscal import TENOR_NAMES, BaselinePaths, FiscalParams, InitialBook, simulate

    months, r, g = 360, 0.04 / 12, 0.03 / 12
    book = InitialBook(np.array([1, 13, 60, 121, 360]), np.array([500.0, 800, 700, 600, 400]), np.full(5, 12 * r))
    paths = BaselinePaths(
        yields=np.full((months, len(TENOR_NAMES)), 12 * r),
        primary_deficit=np.zeros(months),
        other_financing=np.zeros(months),
        revenue=np.full(months, 400.0),
        gdp=3000.0 * (1 + g) ** np.arange(months),
        short_rate=np.full(months, 12 * r),
        fiscal_year=2026 + np.arange(months) // 12,
    )
    out = simulate(book, paths, FiscalParams(np.full(len(TENOR_NAMES), 1 / len(TENOR_NAMES))), record_monthly=True)
    ratio = out.monthly_field("debt")[0] / out.monthly_field("gdp")[0]
    return float(np.max(np.abs(ratio[1:] / ratio[:-1] - (1 + r) / (1 + g))))


@cache
def _jan2025(home: str) -> object:
    from geostress.run.sensitivity import cbo_sensitivity

    return cbo_sensitivity("cbo:2025-01", 0.1, years=10, store=Store(home))


@cache
def _feb2026(home: str) -> object:
    from geostress.calibrate.fiscal import calibrate_baseline

    return calibrate_baseline(Store(home), date(2026, 2, 1), fit_years=(2026, 2027, 2028))


def _feb2026_field(store: Store, field: str) -> float:
    from geostress.model.fiscal import simulate

    calib = _feb2026(str(store.home))
    out = simulate(calib.book, calib.paths, calib.params)  # type: ignore[attr-defined]
    col = list(out.fiscal_years).index(2036)
    return float(out.annual_field(field)[0, col])


def _feb2026_avg_rate(store: Store) -> float:
    from geostress.run.sensitivity import average_rate

    calib = _feb2026(str(store.home))
    rates = average_rate(calib)  # type: ignore[arg-type]
    return float(rates[list(calib.fiscal_years).index(2036)])  # type: ignore[attr-defined]


def _cbo_implied_avg_rate_2036() -> float:
    """CBO Feb-2026 baseline: FY2036 net interest over mean debt held by the public in FY2035–36."""
    return 2144.336 / ((53103.223 + 56152.391) / 2.0)


CHECKS.append(Check("closed_form", 0.0, 1e-10, "d(t+1) = d(t)(1+r)/(1+g) with constant r, g, zero primary balance",
               _closed_form, kind="absolute", role="property"))
CHECKS.append(Check("cbo_2025_rates_0.1_cumulative", 351.0, 0.15,
               "CBO (Mar 2025), How Changes in Economic Conditions Might Affect the Federal Budget: 2025 to 2035",
               lambda s: _jan2025(str(s.home)).cumulative_deficit))  # type: ignore[attr-defined]
CHECKS.append(Check("cbo_2025_rates_0.1_2035", 54.0, 0.15,
               "CBO (Mar 2025), same report: deficits +$54bn in 2035",
               lambda s: _jan2025(str(s.home)).added_deficit[2035]))  # type: ignore[attr-defined]
CHECKS.append(Check("cbo_2026_net_interest_2036", 2144.0, 0.10,
               "CBO Budget and Economic Outlook 2026–2036 (Feb 2026): net interest FY2036; rate path fitted on "
               "FY2026–2028 only", lambda s: _feb2026_field(s, "interest")))
CHECKS.append(Check("cbo_2026_debt_2036", 56152.0, 0.03,
               "CBO Feb 2026 baseline: debt held by the public FY2036", lambda s: _feb2026_field(s, "debt")))
CHECKS.append(Check("cbo_2026_debt_pct_gdp_2036", 120.0, 0.02,
               "CBO Feb 2026 baseline: debt held by the public 120% of GDP in FY2036 (CBO's own GDP path: economic "
               "projections Feb 2026, not an assumed growth rate)",
               lambda s: 100.0 * _feb2026_field(s, "debt") / _feb2026_field(s, "gdp")))
CHECKS.append(Check("cbo_2026_avg_rate_2036", round(_cbo_implied_avg_rate_2036(), 5), 0.05,
               "CBO Feb 2026 baseline: net interest / mean debt FY2036 (≈3.9%, up from ≈3.3% in FY2026)",
               _feb2026_avg_rate))


# -- calibration: pass-through ------------------------------------------------------------------------------------
def _mortgage_spread(store: Store) -> float:
    from geostress.calibrate.macro import estimate_pass_through

    return 100.0 * estimate_pass_through(store).mortgage_spread_since_1971


CHECKS.append(Check("mortgage_spread_since_1971_pp", 1.7, 0.3,
               "FRED MORTGAGE30US − DGS10: mean ≈1.7 pp since 1971 (CALIBRATION.md)", _mortgage_spread,
               kind="absolute", role="data"))


