"""CBO-style interest-rate sensitivity: how much a uniform rate shift adds to net interest and deficits.

The engine is calibrated to one CBO baseline vintage (its rate path fitted to CBO's net interest, year by year),
then run again with every yield at issue moved by the shock from the first month on. The difference is the added
net interest (interest on the debt, including interest on the extra borrowing) and the added deficit (net
interest plus the Federal Reserve's remittance change: more interest on reserves — none for a baseline starting
before October 2008, when the Fed began paying it, today's $3tn from then on unless ``fed_reserves_bn`` is given —
less the Fed's share of the extra interest it receives, which is 0 for a run starting before the store's first Fed
holdings, December 2002, so the added deficit is overstated there; the result's notes say so). As in
CBO's rule of thumb the economy does not move: no fiscal risk premium on the extra debt and no fiscal-policy
response. Other channels (interest income on federal loans) are not modelled.

References
----------
Congressional Budget Office (2025), *How Changes in Economic Conditions Might Affect the Federal Budget: 2025 to
2035*: all rates 0.1 pp higher add $351bn to 2026–2035 deficits and $54bn in 2035.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date
from numbers import Integral, Real
from typing import Any

import numpy as np

from geostress.calibrate.fiscal import (
    CalibratedBaseline,
    calibrate_baseline,
    fed_holdings_from,
    fiscal_year_of,
    load_cbo_baseline,
    parse_baseline_spec,
)
from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.model.fiscal import MacroParams, negative_issue_yields, simulate


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
    #: The Fed's share of the debt whose extra interest comes back to the Treasury; None when not known
    fed_share_of_debt: float | None = None
    #: Plain-language notes on the inputs (printed under the table, ``notes`` in the JSON): a Fed share of 0 for
    #: want of holdings data, reserves at today's size on an old vintage, a debt path derived by geostress
    notes: tuple[str, ...] = ()
    #: The share is 0 because the store holds no Fed holdings before the run's start (FRED TREAST from Dec 2002)
    fed_holdings_missing: bool = False
    #: Reserves are the default (today's size) on a vintage before 2020, when balances were smaller
    fed_reserves_todays_level: bool = False
    #: CBO published no debt in this baseline: the debt path is derived by geostress (``cbo-debt-derived``)
    debt_derived: bool = False

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
            "fed_reserves_todays_level": self.fed_reserves_todays_level,
            "fed_share_of_debt": None if self.fed_share_of_debt is None else round(self.fed_share_of_debt, 4),
            "fed_holdings_missing": self.fed_holdings_missing,
            "debt_derived": self.debt_derived,
            "notes": list(self.notes),
        }


def rate_sensitivity(
    calibrated: CalibratedBaseline, shock_pp: float, *, years: int = 10, label: str = ""
) -> Sensitivity:
    """Run ``calibrated`` with and without ``shock_pp`` on every rate; report the ``years`` fiscal years that
    follow the vintage's first (current) year, as CBO does (Jan-2025 vintage → FY2026–2035)."""
    shock_pp = _check_shock(shock_pp)
    years = _check_years(years)
    below = negative_issue_yields(calibrated.paths, shock_pp / 100.0)
    if below is not None:
        floor = -int(below.largest_cut_pp * 100) / 100
        raise ScenarioError(
            f"shock_pp={shock_pp:+.2f} pp takes yields at issue below zero from FY{below.first_year} (lowest "
            f"{below.lowest:.2%}, the {below.lowest_tenor} in FY{below.lowest_year}), and net interest would turn "
            f"negative; the calibration keeps every yield at issue at zero or above. On "
            f"{label or f'cbo:{calibrated.cbo.vintage:%Y-%m}'} the lowest fitted yield at issue is "
            f"{below.largest_cut_pp:.2f}%, so give shock_pp={floor:.2f} or above (on the command line, "
            f"--all-rates {floor:.2f} or above)", parameter="shock_pp")
    # CBO's rule of thumb moves rates alone: no fiscal risk premium on the extra debt, no policy response
    params = replace(calibrated.params, fiscal_risk_premium_bp_per_pp=0.0)
    macro = MacroParams(fiscal_response=0.0)
    base = simulate(calibrated.book, calibrated.paths, params, macro)
    shocked = simulate(calibrated.book, calibrated.paths, params, macro, yield_shift=shock_pp / 100.0)
    fiscal_years = [int(y) for y in base.fiscal_years]
    window = tuple(fiscal_years[1 : 1 + years])
    if len(window) < 1:
        raise ScenarioError("the baseline has no projected year after its first; pick another vintage",
                            parameter="spec")
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
        fed_share_of_debt=float(calibrated.params.fed_share_of_debt),
        debt_derived=bool(calibrated.cbo.debt_derived),
    )


#: The fiscal years a sensitivity may report, as the command line's ``--years`` allows
YEARS_RANGE = (1, 30)
#: The uniform rate shift allowed, pp (``--all-rates``)
SHOCK_RANGE_PP = (-5.0, 10.0)
#: The reserve balances allowed, USD bn (``--fed-reserves-bn``)
FED_RESERVES_RANGE_BN = (0.0, 20_000.0)


def _check_shock(shock_pp: object) -> Any:
    """``shock_pp`` as a float, or a :class:`ScenarioError` naming it (``--all-rates`` on the command line)."""
    if isinstance(shock_pp, bool) or not isinstance(shock_pp, Real):
        raise ScenarioError(f"shock_pp={shock_pp!r} must be a finite number of percentage points (e.g. 0.1), not "
                            f"{type(shock_pp).__name__}", parameter="shock_pp")
    value = float(shock_pp)
    if not math.isfinite(value):
        raise ScenarioError(f"shock_pp={value} must be a finite number of percentage points (e.g. 0.1)",
                            parameter="shock_pp")
    low, high = SHOCK_RANGE_PP
    if not low <= value <= high:
        raise ScenarioError(f"shock_pp={value:+} pp is outside -5..+10 pp (--all-rates {value:+} pp on the "
                            "command line)", parameter="shock_pp")
    return shock_pp  # as given: a valid value is used unchanged


def _check_years(years: object) -> int:
    """``years`` as an int in :data:`YEARS_RANGE`, or a :class:`ScenarioError` naming it."""
    low, high = YEARS_RANGE
    if isinstance(years, bool) or not isinstance(years, Integral) or not low <= int(years) <= high:
        raise ScenarioError(f"years={years!r} must be a whole number of fiscal years from {low} to {high} (the "
                            "fiscal years after the vintage's first, e.g. 10)", parameter="years")
    return int(years)


def _check_reserves(fed_reserves_bn: object) -> float | None:
    """``fed_reserves_bn`` as a float (or None), or a :class:`ScenarioError` naming it."""
    if fed_reserves_bn is None:
        return None
    low, high = FED_RESERVES_RANGE_BN
    if isinstance(fed_reserves_bn, bool) or not isinstance(fed_reserves_bn, Real):
        raise ScenarioError(f"fed_reserves_bn={fed_reserves_bn!r} must be a number of USD bn from 0 to 20,000, or "
                            f"None for the default, not {type(fed_reserves_bn).__name__}",
                            parameter="fed_reserves_bn")
    value = float(fed_reserves_bn)
    if not math.isfinite(value) or not low <= value <= high:
        raise ScenarioError(f"fed_reserves_bn={value:g} is outside 0..20,000 (USD bn; --fed-reserves-bn on the "
                            "command line), or give None for the default", parameter="fed_reserves_bn")
    return value


#: Vintages before this date take today's reserves ($3tn) by default although balances were smaller then
#: (≈$0.8–2.8tn in 2008–2019, the store holds no reserve-balance series)
RESERVES_TODAY_FROM = date(2020, 1, 1)


def _notes(result: Sensitivity, calibrated: CalibratedBaseline, store: Store, reserves_given: bool) -> Sensitivity:
    """``result`` with the input notes :func:`cbo_sensitivity` prints (see :attr:`Sensitivity.notes`)."""
    notes: list[str] = []
    holdings_missing = False
    if result.fed_share_of_debt == 0.0:
        first = fed_holdings_from(store)
        if first is None or first[0] >= calibrated.start:
            holdings_missing = True
            share = ""
            if first is not None:
                actual = store.get("cbo.actual.debt")
                year = fiscal_year_of(first[0]) - 1
                row = actual[actual["period"].dt.year == year]
                if len(row):
                    debt = float(row["value"].iloc[-1])
                    share = (f"; when that series begins, on {first[0]:%d %b %Y}, the Fed held ${first[1]:,.0f}bn, "
                             f"{first[1] / debt:.1%} of the FY{year} debt held by the public (${debt:,.0f}bn, "
                             "CBO actuals)")
            notes.append(
                "fed_share_of_debt: 0.0 — no Fed holdings in the store before "
                f"{'Dec 2002' if first is None else f'{first[0]:%b %Y}'} (FRED TREAST), so none of the extra interest "
                "comes back from the Fed: the added deficit is overstated by the Fed's share of the debt, which the "
                f"store does not hold for a run starting {calibrated.start:%b %Y}{share}")
    todays = (not reserves_given and bool(result.fed_reserves_bn) and calibrated.cbo.vintage < RESERVES_TODAY_FROM)
    if todays:
        notes.append(
            f"reserves are today's level (${result.fed_reserves_bn:,.0f}bn) over the whole horizon: the store holds "
            f"no reserve-balance series, and balances were smaller in {calibrated.cbo.vintage:%Y} (≈$0.8–2.8tn in "
            "2008–2019), so the added deficit is overstated; give --fed-reserves-bn to set them")
    if result.debt_derived:
        notes.append(
            f"CBO published no debt in the {calibrated.cbo.vintage:%Y-%m} baseline: its debt path is derived by "
            "geostress (source cbo-debt-derived: actual debt at the start plus the baseline's deficits plus other "
            "means of financing from the latest earlier baseline that published debt; docs/data.md)")
    return replace(result, notes=tuple(notes), fed_holdings_missing=holdings_missing,
                   fed_reserves_todays_level=todays)


def cbo_sensitivity(
    spec: str, shock_pp: float, *, years: int = 10, store: Store | None = None, fed_reserves_bn: float | None = None
) -> Sensitivity:
    """:func:`rate_sensitivity` on CBO vintage ``spec`` (``cbo:YYYY-MM`` or ``cbo:latest``).

    ``fed_reserves_bn`` sets the reserve balances the Fed pays interest on (default: :func:`fed_reserves_at` the
    run's start, today's $3tn from October 2008, which overstates the remittance loss of a vintage before 2020:
    January 2011 at +1 pp adds $1,626bn with it against CBO's ≈$1.3tn; docs/fiscal.md).

    The arguments are checked before any work: ``spec`` a string, ``shock_pp`` a finite number in -5..+10 (pp),
    ``years`` a whole number from 1 to 30, ``fed_reserves_bn`` None or a number in 0..20,000 (USD bn); anything
    else is a :class:`ScenarioError` whose ``parameter`` names the argument."""
    if not isinstance(spec, str):
        raise ScenarioError(f"spec={spec!r} must be a CBO vintage, a string: 'cbo:YYYY-MM' (e.g. 'cbo:2025-01') or "
                            "'cbo:latest'", parameter="spec")
    shock_pp = _check_shock(shock_pp)
    years = _check_years(years)
    fed_reserves_bn = _check_reserves(fed_reserves_bn)
    store = store or Store()
    try:
        vintage = parse_baseline_spec(spec, store)
    except ScenarioError as exc:
        exc.parameter = exc.parameter or "spec"
        raise
    projected = len(load_cbo_baseline(store, vintage).fiscal_years)
    # the vintage's own window, or longer when the requested years run past it (calibrated once either way)
    calibrated = calibrate_baseline(store, vintage, horizon_months=12 * max(projected, 1 + years),
                                    fed_reserves_bn=fed_reserves_bn)
    result = rate_sensitivity(calibrated, shock_pp, years=years, label=spec)
    return _notes(result, calibrated, store, reserves_given=fed_reserves_bn is not None)


def average_rate(calibrated: CalibratedBaseline) -> np.ndarray:
    """Model average interest rate by fiscal year: interest over the mean of start and end debt."""
    out = simulate(calibrated.book, calibrated.paths, calibrated.params)
    debt = out.annual_field("debt")[0]
    start = np.concatenate([[calibrated.book.total], debt[:-1]])
    return out.annual_field("interest")[0] / ((start + debt) / 2.0)
