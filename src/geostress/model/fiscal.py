"""Maturity-cohort federal debt dynamics with a small macro block, vectorised over paths.

Pure numerics: arrays and frozen parameter dataclasses in, arrays out. No I/O, no paths, no data layer.

The debt held by the public is a book of cohorts, each with a principal, a coupon fixed at issue and a maturity
month. Each month, per path:

1. interest paid = the coupon flow of every live cohort (``run_rate``), plus any lost Federal Reserve remittances;
2. the cohorts maturing this month are repaid and leave the coupon flow;
3. the deficit (primary deficit + interest + other means of financing) plus the maturing principal is borrowed
   with the issuance mix over tenors, each new cohort locking in its tenor's yield this month;
4. debt rises by the deficit.

A ring buffer indexed by maturity month (size 361 > the longest tenor) holds, for every future month, the
principal and the monthly coupon flow falling due, so a month costs O(tenors) per path whatever the book size.

Yields by tenor are the baseline path plus the deviations the macro block produces: the expected path of the
policy-rate deviation over the tenor, a term-premium deviation scaled by a maturity loading
(:func:`term_premium_loading`: one tenor curve for every path and for every term-premium deviation, 0.65 of the
10-year deviation at 5 years by default), a fiscal risk premium proportional to the debt/GDP deviation from
baseline, and a market term premium input (zero until the Treasury-market module feeds it). The macro block is a gap
model in deviations from the baseline: IS curve on
the real long-rate gap, Phillips curve, a smoothed policy rule with a lower bound, an AR(1) term premium, and a
primary balance with a persistent shock, a cyclical component and a fiscal response to debt above its baseline
(Bohn 1998). With zero shocks every deviation stays zero and the
path is the deterministic baseline exactly.

References
----------
Congressional Budget Office (2025), *How Changes in Economic Conditions Might Affect the Federal Budget: 2025 to
2035* (interest-rate sensitivity).
Laubach, T. (2009), "New Evidence on the Interest Rate Effects of Budget Deficits and Debt", JEEA 7(4).
Gamber, E. and Seliski, J. (2019), "The Effect of Government Debt on Interest Rates", CBO Working Paper 2019-01.
Bohn, H. (1998), "The Behavior of U.S. Public Debt and Deficits", QJE 113(3): primary surplus response ≈0.054 per
unit of debt/GDP. Ghosh, A. et al. (2013), "Fiscal Fatigue, Fiscal Space and Debt Sustainability in Advanced
Economies", Economic Journal 123: the response weakens at high debt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from numba import njit, prange

from geostress.errors import ScenarioError
from geostress.model.market import BOUNDS as MARKET_BOUNDS
from geostress.model.market import MarketPriors

TENOR_NAMES: tuple[str, ...] = (
    "bill_4w", "bill_13w", "bill_26w", "bill_52w",
    "note_2y", "note_3y", "note_5y", "note_7y", "note_10y",
    "bond_20y", "bond_30y",
)  # fmt: skip
TENOR_MONTHS = np.array([1, 3, 6, 12, 24, 36, 60, 84, 120, 240, 360], dtype=np.int64)
#: Index of the 10-year note among the tenors (the yield reported and the real long rate of the IS curve).
TEN_YEAR = TENOR_NAMES.index("note_10y")
#: Index of the 13-week bill, the short rate that follows the policy rate (and the Fed's reserves cost).
BILL_13W = TENOR_NAMES.index("bill_13w")
RING = 361  # > longest tenor in months
SHOCKS: tuple[str, ...] = ("growth", "inflation", "short_rate", "term_premium", "primary_balance")
MAX_HORIZON_MONTHS = 600
EXPLOSIVE_DEBT_TO_GDP = 10.0  # 1000% of GDP

#: Columns of the monthly detail a deterministic run returns.
MONTHLY_FIELDS: tuple[str, ...] = (
    "debt", "interest", "deficit", "primary_deficit", "revenue", "gdp", "yield_10y", "avg_rate", "remittance_loss",
)  # fmt: skip
#: Annual (fiscal-year) aggregates per path.
ANNUAL_FIELDS: tuple[str, ...] = (
    "debt", "interest", "deficit", "primary_deficit", "revenue", "gdp", "yield_10y", "remittance_loss",
)  # fmt: skip


@dataclass(frozen=True)
class InitialBook:
    """Marketable debt at the start: one entry per cohort.

    Attributes
    ----------
    remaining_months
        Months until the cohort matures, 1..360 (1 = repaid at the end of the first month).
    principal
        USD bn outstanding.
    coupon
        Annual coupon rate as a decimal (0.04 = 4%).
    """

    remaining_months: np.ndarray
    principal: np.ndarray
    coupon: np.ndarray

    def __post_init__(self) -> None:
        m, p, c = (np.asarray(a) for a in (self.remaining_months, self.principal, self.coupon))
        if not (m.shape == p.shape == c.shape) or m.ndim != 1 or m.size == 0:
            raise ScenarioError("initial book: remaining_months, principal and coupon must be 1-D arrays of one length")
        if np.any(m < 1) or np.any(m > RING - 1):
            raise ScenarioError(f"initial book: remaining_months must lie in 1..{RING - 1}")
        if not np.all(np.isfinite(p)) or not np.all(np.isfinite(c)):
            raise ScenarioError("initial book: principal and coupon must be finite numbers (found NaN or inf)")
        if np.any(p < 0):
            raise ScenarioError("initial book: principal must not be negative (negative debt)")

    @property
    def total(self) -> float:
        """Total principal, USD bn."""
        return float(np.sum(self.principal))

    @property
    def average_rate(self) -> float:
        """Principal-weighted average coupon."""
        return float(np.sum(self.principal * self.coupon) / np.sum(self.principal))

    @property
    def weighted_average_maturity(self) -> float:
        """Weighted average remaining maturity, months."""
        return float(np.sum(self.principal * self.remaining_months) / np.sum(self.principal))


@dataclass(frozen=True)
class BaselinePaths:
    """Exogenous monthly paths of the baseline, length T each.

    Attributes
    ----------
    yields
        (T, K) yield at issue by tenor (decimal), in the order of :data:`TENOR_NAMES`.
    primary_deficit
        (T,) USD bn per month, positive = deficit.
    other_financing
        (T,) USD bn per month borrowed beyond the deficit (CBO's "other means of financing", sign as borrowing).
    revenue
        (T,) USD bn per month.
    gdp
        (T,) nominal GDP at an annual rate, USD bn.
    short_rate
        (T,) baseline policy (short) rate, decimal; the lower bound applies to it plus its deviation.
    fiscal_year
        (T,) integer fiscal year of each month.
    debt_to_gdp
        (T,) baseline debt/GDP at the start of each month, the reference of the fiscal risk premium; ``None``
        switches the premium off (:func:`with_reference` fills it with the deterministic path).
    reference_interest
        (T,) baseline interest paid each month; the Federal Reserve's share of any interest above it comes back
        as remittances. ``None`` switches that offset off.
    """

    yields: np.ndarray
    primary_deficit: np.ndarray
    other_financing: np.ndarray
    revenue: np.ndarray
    gdp: np.ndarray
    short_rate: np.ndarray
    fiscal_year: np.ndarray
    debt_to_gdp: np.ndarray | None = None
    reference_interest: np.ndarray | None = None

    def __post_init__(self) -> None:
        t = len(self.primary_deficit)
        if t < 1 or t > MAX_HORIZON_MONTHS:
            raise ScenarioError(f"horizon of {t} months is outside 1..{MAX_HORIZON_MONTHS} (50 years)")
        shapes = {
            "yields": (t, len(TENOR_NAMES)),
            "other_financing": (t,),
            "revenue": (t,),
            "gdp": (t,),
            "short_rate": (t,),
            "fiscal_year": (t,),
        }
        for name, shape in shapes.items():
            arr = np.asarray(getattr(self, name))
            if arr.shape != shape:
                raise ScenarioError(f"baseline path {name!r} has shape {arr.shape}, expected {shape}")
            if not np.all(np.isfinite(arr)):
                raise ScenarioError(f"baseline path {name!r} contains NaN or inf")
        if not np.all(np.isfinite(self.primary_deficit)):
            raise ScenarioError("baseline path 'primary_deficit' contains NaN or inf")
        if np.any(np.asarray(self.gdp) <= 0):
            raise ScenarioError("baseline path 'gdp' must be positive")

    @property
    def months(self) -> int:
        return len(self.primary_deficit)


@dataclass(frozen=True)
class MacroParams:
    """Monthly gap-model parameters (deviations from the baseline).

    Defaults are conventional small-model values at a monthly frequency (persistence near a quarterly 0.8–0.9),
    documented in docs/fiscal.md; the shock covariance comes from history via :mod:`geostress.calibrate`.
    """

    rho_gap: float = 0.97  # output-gap persistence
    is_slope: float = 0.03  # gap response to the real long-rate gap (per unit, per month)
    rho_inflation: float = 0.97
    phillips_slope: float = 0.005  # inflation response to the gap per month
    rho_policy: float = 0.95  # policy-rate smoothing
    policy_inflation: float = 1.5
    policy_gap: float = 0.5
    lower_bound: float = 0.0  # on the policy rate level
    rho_term_premium: float = 0.98
    rho_primary_balance: float = 0.98
    cyclical_balance: float = 0.35  # primary deficit falls by this share of GDP per unit of positive gap
    fiscal_response: float = 0.05  # primary surplus response to debt/GDP above baseline (Bohn 1998: ≈0.05)
    shock_chol: np.ndarray = field(default_factory=lambda: np.zeros((5, 5)))

    def __post_init__(self) -> None:
        chol = np.asarray(self.shock_chol, dtype=float)
        if chol.shape != (5, 5) or not np.all(np.isfinite(chol)):
            raise ScenarioError("macro shock_chol must be a finite 5×5 matrix (growth, inflation, short rate, "
                                "term premium, primary balance)")
        for name in ("rho_gap", "rho_inflation", "rho_policy", "rho_term_premium", "rho_primary_balance"):
            value = getattr(self, name)
            if not 0.0 <= value < 1.0:
                raise ScenarioError(f"macro parameter {name}={value} must lie in [0, 1)")

    def as_vector(self) -> MacroVector:
        """The scalar parameters as a :class:`MacroVector` (what the compiled kernel reads, by name)."""
        return MacroVector(*(float(getattr(self, name)) for name in MacroVector._fields))


@dataclass(frozen=True)
class FiscalParams:
    """Debt-management and feedback parameters.

    Attributes
    ----------
    issuance_shares
        (K,) share of gross borrowing issued at each tenor; must sum to 1.
    fiscal_risk_premium_bp_per_pp
        Basis points added to every yield per percentage point of debt/GDP above the baseline (CBO: 2.0; range
        2–4).
    fed_reserves_bn
        Reserve balances on which the Federal Reserve pays interest: a short-rate rise above baseline lowers its
        remittances to the Treasury by this stock times the rise (0 switches the channel off).
    fed_share_of_debt
        Share of the debt held by the public that the Federal Reserve holds: that share of any interest above
        the baseline is paid to the Fed and comes back as remittances (0 switches the channel off).
    explosive_threshold
        Debt/GDP above which a path is flagged explosive and frozen (default 10 = 1000%).
    term_premium_loading_5y
        Share of a 10-year term-premium deviation carried at 5 years, the knot of the tenor curve
        :func:`term_premium_loading` (one curve for every path). Default: the median of the market block's prior
        :attr:`geostress.model.market.MarketPriors.loading_5y` (0.65; evidence 0.5–0.8); a run sets it from the
        scenario's ``market.loading_5y`` (:func:`geostress.run.inputs.calibrate_for`).
    """

    issuance_shares: np.ndarray
    fiscal_risk_premium_bp_per_pp: float = 2.0
    fed_reserves_bn: float = 0.0
    fed_share_of_debt: float = 0.0
    explosive_threshold: float = EXPLOSIVE_DEBT_TO_GDP
    term_premium_loading_5y: float = field(default_factory=lambda: default_loading_5y())

    def __post_init__(self) -> None:
        shares = np.asarray(self.issuance_shares, dtype=float)
        if shares.shape != (len(TENOR_NAMES),):
            raise ScenarioError(f"issuance_shares needs {len(TENOR_NAMES)} entries ({', '.join(TENOR_NAMES)})")
        if not np.all(np.isfinite(shares)) or np.any(shares < 0):
            raise ScenarioError("issuance_shares must be finite and non-negative")
        if abs(shares.sum() - 1.0) > 1e-6:
            raise ScenarioError(f"issuance_shares sum to {shares.sum():.6f}; they must sum to 1")
        if not 0.0 <= self.fed_share_of_debt < 1.0:
            raise ScenarioError(f"fed_share_of_debt={self.fed_share_of_debt} must lie in [0, 1)")
        if self.fed_reserves_bn < 0:
            raise ScenarioError(f"fed_reserves_bn={self.fed_reserves_bn} must not be negative")
        if not 0.0 <= self.fiscal_risk_premium_bp_per_pp <= 10.0:
            raise ScenarioError("fiscal_risk_premium_bp_per_pp must lie in 0..10 (CBO uses 2; Laubach 3–4)")
        _check_loading_5y(self.term_premium_loading_5y)


def policy_average_factor(rho: float, months: np.ndarray) -> np.ndarray:
    """Average over ``n`` months of an AR(1) deviation decaying at ``rho``: (1 − ρⁿ) / (n (1 − ρ))."""
    n = months.astype(float)
    if rho == 1.0:
        return np.ones_like(n)
    return (1.0 - rho**n) / (n * (1.0 - rho))


def default_loading_5y() -> float:
    """The 5-year loading when none is given: the median of the market block's stated prior
    (:attr:`geostress.model.market.MarketPriors.loading_5y`), so the two blocks read one number."""
    return float(MarketPriors().loading_5y.median)


def _check_loading_5y(value: float) -> float:
    low, high = MARKET_BOUNDS["loading_5y"]
    loading = float(value)
    if not (np.isfinite(loading) and low <= loading <= high):
        raise ScenarioError(f"term-premium loading at 5 years = {value} must lie in {low:g}..{high:g} "
                            "(evidence 0.5–0.8; the market prior's median is the default)")
    return loading


def term_premium_loading(months: np.ndarray, loading_5y: float | None = None) -> np.ndarray:
    """Share of a term-premium deviation (defined at 10 years) carried by each tenor.

    The curve is **piecewise linear** through (0 months, 0), (60, ``loading_5y``) and (120, 1), and beyond 10
    years rises more slowly, ``1 + 0.25 (n − 120) / 240`` (1.25 at 30 years). Piecewise linear rather than a
    smooth monotone spline because the evidence pins the curve at two tenors only (5 and 10 years) and says
    nothing about its curvature between them; linear pieces add no shape the evidence does not give, stay
    exact at the knots for any loading in the accepted range (including one above 1, where a spline would
    overshoot), and with ``loading_5y`` = 0.5 reproduce the earlier straight line n/120 (so that setting is the
    old engine).

    It applies to **every** term-premium deviation the engine prices — the macro block's AR(1) term premium and
    the market block's (or a scenario's ``shocks.term_premium_bp``) alike: a term-premium shock's maturity
    profile does not depend on its cause. It is one vector over tenors shared by every path (the kernels read
    it as such), so the loading is a fixed parameter, not drawn per path.

    Parameters
    ----------
    months
        Tenors in months.
    loading_5y
        Share of the 10-year deviation carried at 5 years; ``None``: the market prior's median
        (:func:`default_loading_5y`, 0.65). Evidence 0.5–0.8 (the prior's range): the 2009 purchases' stock
        effects were largest at 10–15 years and smaller at 5 (D'Amico & King 2013), and supply effects on term
        premia and excess returns rise with maturity (Li & Wei 2013; Greenwood & Vayanos 2014). n/120 (0.5)
        is the low end of that range.

    Returns
    -------
    numpy.ndarray
        The loading of each tenor (float64).

    References
    ----------
    D'Amico, S. and King, T. B. (2013), "Flow and stock effects of large-scale Treasury purchases: Evidence on the
    importance of local supply", *Journal of Financial Economics* 108(2), 425–448.
    Greenwood, R. and Vayanos, D. (2014), "Bond Supply and Excess Bond Returns", *Review of Financial Studies*
    27(3), 663–713.
    Li, C. and Wei, M. (2013), "Term Structure Modeling with Supply Factors and the Federal Reserve's Large-Scale
    Asset Purchase Programs", *International Journal of Central Banking* 9(1), 3–39.
    """
    load5 = _check_loading_5y(default_loading_5y() if loading_5y is None else loading_5y)
    n = np.asarray(months, dtype=float)
    short = np.where(n <= 60, load5 * n / 60.0, load5 + (1.0 - load5) * (n - 60.0) / 60.0)
    return np.where(n <= 120, short, 1.0 + 0.25 * (n - 120.0) / 240.0)


# Per-path state of the monthly recursion (scalars kept in a small array so one code path serves both the
# whole-horizon kernel and the month-by-month stepper used when another module reacts inside the month loop).
RUN_RATE, DEBT, GAP, INFL, PLEV, POLICY, TERM, PBAL, RATIO = range(9)
N_STATE = 9
#: Month outputs written by :func:`_advance` (same order as the first eight :data:`MONTHLY_FIELDS`).
OUT_DEBT, OUT_INTEREST, OUT_DEFICIT, OUT_PRIMARY, OUT_REVENUE, OUT_GDP, OUT_YIELD_10Y, OUT_REMITTANCE = range(8)
N_OUT = 8


class MacroVector(NamedTuple):
    """:class:`MacroParams` as the compiled kernel reads them: by name, in one immutable tuple of floats."""

    rho_gap: float
    is_slope: float
    rho_inflation: float
    phillips_slope: float
    rho_policy: float
    policy_inflation: float
    policy_gap: float
    lower_bound: float
    rho_term_premium: float
    rho_primary_balance: float
    cyclical_balance: float
    fiscal_response: float


@njit(inline="always", fastmath=True)
def _advance(
    t, st, ring_p, ring_c, e, y, out, mtp, base_y, yshift_short, base_pd, other_fin, base_rev, base_gdp, base_short,
    base_d, ref_interest, slots, shares, macro, avg_fac, tp_load, frp_per_unit, has_ref, reserves, fed_share,
    hold_di, given_di,
):  # fmt: skip  # pragma: no cover - compiled
    """One month of one path: rates, economy, debt service and refinancing (see the module docstring).

    ``hold_di``: the policy-rate deviation is ``given_di`` this month instead of the rule's (a flag, not a NaN
    sentinel: under ``fastmath`` the compiler may assume no value is NaN)."""
    rho_x, is_slope, rho_pi, kappa = macro.rho_gap, macro.is_slope, macro.rho_inflation, macro.phillips_slope
    rho_i, phi_pi, phi_x, lower = macro.rho_policy, macro.policy_inflation, macro.policy_gap, macro.lower_bound
    rho_tp, rho_pb = macro.rho_term_premium, macro.rho_primary_balance
    cyc, beta = macro.cyclical_balance, macro.fiscal_response
    x, dpi, di, dtp = st[GAP], st[INFL], st[POLICY], st[TERM]
    ratio = st[RATIO]
    # rates: policy deviation (smoothed rule, lower bound), term premium, fiscal risk premium
    if hold_di:
        di = given_di
    else:
        di = rho_i * di + (1.0 - rho_i) * (phi_pi * dpi + phi_x * x) + e[2]
        if base_short[t] + di < lower:
            di = lower - base_short[t]
    dtp = rho_tp * dtp + e[3]
    frp = frp_per_unit * (ratio - base_d[t]) if has_ref else 0.0
    for k in range(y.shape[0]):
        y[k] = base_y[t, k] + di * avg_fac[k] + (dtp + mtp) * tp_load[k] + frp
    # economy: IS on the endogenous real long-rate gap, Phillips curve, price level, primary balance
    long_gap = di * avg_fac[TEN_YEAR] + (dtp + mtp) * tp_load[TEN_YEAR] + frp - dpi
    x = rho_x * x - is_slope * long_gap + e[0]
    dpi = rho_pi * dpi + kappa * x + e[1]
    plev = st[PLEV] + dpi / 12.0
    dpb = rho_pb * st[PBAL] + e[4]
    scale = np.exp(x + plev)
    gdp = base_gdp[t] * scale
    gap_d = ratio - base_d[t] if has_ref else 0.0
    primary = base_pd[t] * scale + (dpb - cyc * x - beta * gap_d) * gdp / 12.0
    revenue = base_rev[t] * scale
    # debt service and refinancing; the Fed's net remittance change (reserves cost less its share of the extra
    # interest it receives on its Treasury holdings)
    run_rate = st[RUN_RATE]
    interest = run_rate
    remit = reserves * (di + yshift_short) / 12.0 - fed_share * (interest - ref_interest[t])
    slot = t % RING
    maturing = ring_p[slot]
    run_rate -= ring_c[slot]
    ring_p[slot] = 0.0
    ring_c[slot] = 0.0
    deficit = primary + interest + remit + other_fin[t]
    need = maturing + deficit
    for k in range(y.shape[0]):
        amount = need * shares[k]
        target = slots[t, k]
        flow = amount * y[k] / 12.0
        ring_p[target] += amount
        ring_c[target] += flow
        run_rate += flow
    debt = st[DEBT] + deficit
    st[RUN_RATE], st[DEBT], st[GAP], st[INFL], st[PLEV] = run_rate, debt, x, dpi, plev
    st[POLICY], st[TERM], st[PBAL], st[RATIO] = di, dtp, dpb, debt / gdp
    out[OUT_DEBT], out[OUT_INTEREST], out[OUT_DEFICIT], out[OUT_PRIMARY] = debt, interest, deficit, primary
    out[OUT_REVENUE], out[OUT_GDP], out[OUT_YIELD_10Y], out[OUT_REMITTANCE] = revenue, gdp, y[TEN_YEAR], remit


@njit(inline="always")
def _draw_shocks(e, z, p, t, chol, has_shocks):  # pragma: no cover - compiled
    if has_shocks:
        for a in range(chol.shape[0]):
            acc = 0.0
            for b in range(a + 1):
                acc += chol[a, b] * z[p, t, b]
            e[a] = acc


@njit(cache=True)
def _init_path(st, ring_p, ring_c, book_slot, book_principal, book_coupon, gdp0):  # pragma: no cover - compiled
    st[:] = 0.0
    ring_p[:] = 0.0
    ring_c[:] = 0.0
    for j in range(book_slot.shape[0]):
        s = book_slot[j]
        ring_p[s] += book_principal[j]
        flow = book_principal[j] * book_coupon[j] / 12.0
        ring_c[s] += flow
        st[RUN_RATE] += flow
        st[DEBT] += book_principal[j]
    st[RATIO] = st[DEBT] / gdp0


@njit(cache=True, parallel=True, fastmath=True, nogil=True)
def _kernel(
    book_slot, book_principal, book_coupon, shares,
    base_y, shift_short, market_tp, base_pd, other_fin, base_rev, base_gdp, base_short, base_d, ref_interest,
    year_idx, slots, z, chol, macro, avg_fac, tp_load, frp_per_unit, has_ref, reserves, fed_share, threshold,
    policy_given, policy_out, annual, monthly, exploded, explode_month,
):  # fmt: skip  # pragma: no cover - compiled
    n_paths = annual.shape[0]
    has_given = policy_given.shape[1] > 0
    keep_policy = policy_out.shape[1] > 0
    n_months = base_pd.shape[0]
    has_shocks = z.shape[1] > 0
    record = monthly.shape[0] > 0
    tp_paths = market_tp.shape[0]
    for p in prange(n_paths):
        ring_p = np.zeros(RING)
        ring_c = np.zeros(RING)
        st = np.zeros(N_STATE)
        _init_path(st, ring_p, ring_c, book_slot, book_principal, book_coupon, base_gdp[0])
        e = np.zeros(chol.shape[0])
        y = np.zeros(shares.shape[0])
        out = np.zeros(N_OUT)
        acc_year = np.zeros(N_OUT)
        year = year_idx[0]
        tp_row = np.int64(p) % np.int64(tp_paths)
        frozen = False
        for t in range(n_months):
            yi = year_idx[t]
            if yi != year:  # flush the finished fiscal year
                for f in range(N_OUT):
                    annual[p, year, f] = acc_year[f]
                    acc_year[f] = 0.0
                year = yi
            if not frozen:  # an explosive path holds the month it crossed, so later years stay finite
                _draw_shocks(e, z, p, t, chol, has_shocks)
                _advance(t, st, ring_p, ring_c, e, y, out, market_tp[tp_row, t], base_y, shift_short[t],
                         base_pd, other_fin, base_rev, base_gdp, base_short, base_d, ref_interest, slots, shares,
                         macro, avg_fac, tp_load, frp_per_unit, has_ref, reserves, fed_share,
                         has_given, policy_given[t, p] if has_given else 0.0)
                if record:
                    for f in range(N_OUT):
                        monthly[p, t, f] = out[f]
                    monthly[p, t, 7] = st[RUN_RATE] * 12.0 / st[DEBT] if st[DEBT] != 0.0 else 0.0
                    monthly[p, t, 8] = out[7]
                if not (st[RATIO] < threshold) or not np.isfinite(st[RATIO]):
                    exploded[p] = True
                    explode_month[p] = t
                    frozen = True
            if keep_policy:  # (a frozen path holds its last month's deviation, as the ensemble kernel does)
                policy_out[t, p] = st[POLICY]
            acc_year[0] = out[0]  # debt at the end of the year; flows summed; GDP and the 10y yield averaged
            acc_year[1] += out[1]
            acc_year[2] += out[2]
            acc_year[3] += out[3]
            acc_year[4] += out[4]
            acc_year[5] += out[5] / 12.0
            acc_year[6] += out[6] / 12.0
            acc_year[7] += out[7]
        for f in range(N_OUT):
            annual[p, year, f] = acc_year[f]


@njit(cache=True, parallel=True, fastmath=True, nogil=True)
def _step_kernel(
    t, st, ring_p, ring_c, frozen, out, z_t, chol, market_tp,
    base_y, yshift_short, base_pd, other_fin, base_rev, base_gdp, base_short, base_d, ref_interest, slots, shares,
    macro, avg_fac, tp_load, frp_per_unit, has_ref, reserves, fed_share, threshold,
):  # fmt: skip  # pragma: no cover - compiled
    has_shocks = z_t.shape[1] > 0
    for p in prange(st.shape[0]):
        if frozen[p]:
            continue  # out[p] keeps the month it crossed the threshold
        e = np.zeros(chol.shape[0])
        y = np.zeros(shares.shape[0])
        if has_shocks:
            for a in range(chol.shape[0]):
                acc = 0.0
                for b in range(a + 1):
                    acc += chol[a, b] * z_t[p, b]
                e[a] = acc
        _advance(t, st[p], ring_p[p], ring_c[p], e, y, out[p], market_tp[p], base_y, yshift_short, base_pd,
                 other_fin, base_rev, base_gdp, base_short, base_d, ref_interest, slots, shares, macro, avg_fac,
                 tp_load, frp_per_unit, has_ref, reserves, fed_share, False, 0.0)
        if not (st[p, RATIO] < threshold) or not np.isfinite(st[p, RATIO]):
            frozen[p] = True


#: Months of shocks :func:`_lanes_kernel` reorders at a time (drawn path by path, read month by month).
SHOCK_BLOCK_MONTHS = 16

_INV_FACTORIALS = np.array([1.0 / math.factorial(k) for k in range(14)])


@njit(inline="always", fastmath=True)
def exp_small(a):  # pragma: no cover - compiled
    """``exp(a)`` without a library call, so that loops over paths vectorise: the Taylor polynomial of degree 13
    at ``a / 16``, squared four times. Relative error below 3e-14 for ``|a| <= 8`` (checked against
    ``numpy.exp`` in the tests); the engine's exponent (output gap plus price-level deviation, in logs) stays
    far inside that range (|a| < 0.5 on 5,000 paths × 30 years of the February 2026 baseline).
    """
    r = a * 0.0625
    p = _INV_FACTORIALS[13]
    for k in range(12, -1, -1):  # Horner's rule (unrolled by the compiler)
        p = p * r + _INV_FACTORIALS[k]
    for _ in range(4):
        p = p * p
    return p


@njit(inline="always")
def _unless_frozen(out_row, values, frozen):  # pragma: no cover - compiled
    """``out_row[i] = values[i]`` where path ``i`` is not frozen (a select, so the loop vectorises)."""
    for i in range(out_row.shape[0]):
        out_row[i] = out_row[i] if frozen[i] else values[i]


#: Paths one thread advances together in :func:`_lanes_kernel` (their refinancing rings: 370 KB per group, about
#: a core's L2 cache; 64 ran about 10% faster than 256 on the 2-core development machine).
LANES = 64


@njit(cache=True, parallel=True, fastmath=True, nogil=True)
def _lanes_kernel(
    book_slot, book_principal, book_coupon, shares,
    base_y, shift_short, market_tp, base_pd, other_fin, base_rev, base_gdp, base_short, base_d, ref_interest,
    year_idx, slots, z, chol, macro, avg_fac, tp_load, frp_per_unit, has_ref, reserves, fed_share, threshold,
    policy_given, policy_out, annual, exploded, explode_month,
):  # fmt: skip  # pragma: no cover - compiled
    """The stochastic ensemble (shocks given, no monthly record): :func:`_kernel`'s model, month by month over
    groups of :data:`LANES` paths.

    Each thread takes a group of paths and advances all of them one month at a time, the state held as one array
    per variable across the group (and the refinancing ring as (RING, lanes)). Each step of the month is its own
    loop over the group writing one array, so that the compiler vectorises it (a loop writing many arrays needs
    more runtime alias checks than it will insert); the shocks (drawn path by path) are reordered month × shock
    × path for :data:`SHOCK_BLOCK_MONTHS` months at a time; the exponential is :func:`exp_small`, the market
    premium is read month-major. Same equations per path as :func:`_advance` (results agree with :func:`_kernel`
    to rounding, about 1e-10 relative after 30 years); an explosive path's outputs freeze at the month it
    crossed, as there (its other arrays may go on changing, but nothing reads them).
    """
    n_paths = annual.shape[0]
    n_months = base_pd.shape[0]
    n_k = shares.shape[0]
    tp_paths = market_tp.shape[1]  # (T, 1) or (T, P): month-major
    has_given = policy_given.shape[1] > 0  # (T, 0) or (T, P), month-major: the policy deviation held
    keep_policy = policy_out.shape[1] > 0
    rho_x, is_slope, rho_pi, kappa = macro[0], macro[1], macro[2], macro[3]
    rho_i, phi_pi, phi_x, lower = macro[4], macro[5], macro[6], macro[7]
    rho_tp, rho_pb, cyc, beta = macro[8], macro[9], macro[10], macro[11]
    # the initial book is the same on every path
    ring_p0 = np.zeros(RING)
    ring_c0 = np.zeros(RING)
    run0 = 0.0
    debt0 = 0.0
    for j in range(book_slot.shape[0]):
        s = book_slot[j]
        ring_p0[s] += book_principal[j]
        flow = book_principal[j] * book_coupon[j] / 12.0
        ring_c0[s] += flow
        run0 += flow
        debt0 += book_principal[j]
    ratio0 = debt0 / base_gdp[0]
    c00 = chol[0, 0]
    c10, c11 = chol[1, 0], chol[1, 1]
    c20, c21, c22 = chol[2, 0], chol[2, 1], chol[2, 2]
    c30, c31, c32, c33 = chol[3, 0], chol[3, 1], chol[3, 2], chol[3, 3]
    c40, c41, c42, c43, c44 = chol[4, 0], chol[4, 1], chol[4, 2], chol[4, 3], chol[4, 4]
    af_10, tl_10 = avg_fac[TEN_YEAR], tp_load[TEN_YEAR]
    z_flat = z.reshape((n_paths, n_months * 5))  # a path's shocks, month after month
    sum_share, sum_af, sum_tl = 0.0, 0.0, 0.0  # issuance-weighted sums over tenors
    for k in range(shares.shape[0]):
        sum_share += shares[k]
        sum_af += shares[k] * avg_fac[k]
        sum_tl += shares[k] * tp_load[k]
    n_groups = (n_paths + LANES - 1) // LANES
    for g in prange(n_groups):
        lo = g * LANES
        n = min(LANES, n_paths - lo)
        ring_p = np.empty((RING, n))
        ring_c = np.empty((RING, n))
        for r in range(RING):
            ring_p[r, :] = ring_p0[r]
            ring_c[r, :] = ring_c0[r]
        run_rate = np.full(n, run0)
        debt = np.full(n, debt0)
        gap = np.zeros(n)
        infl = np.zeros(n)
        plev = np.zeros(n)
        pol = np.zeros(n)
        term = np.zeros(n)
        pbal = np.zeros(n)
        ratio = np.full(n, ratio0)
        frozen = np.zeros(n, dtype=np.bool_)
        out = np.zeros((N_OUT, n))
        acc = np.zeros((N_OUT, n))
        zb = np.empty((SHOCK_BLOCK_MONTHS, 5, n), dtype=z.dtype)
        zb_flat = zb.reshape((SHOCK_BLOCK_MONTHS * 5, n))
        scale = np.empty(n)
        x_v = np.empty(n)
        dpi_v = np.empty(n)
        pl_v = np.empty(n)
        dpb_v = np.empty(n)
        dtp_v = np.empty(n)
        di_v = np.empty(n)
        mt_v = np.empty(n)
        frp_v = np.empty(n)
        need = np.empty(n)
        gdp_v = np.empty(n)
        rev_v = np.empty(n)
        prim_v = np.empty(n)
        remit_v = np.empty(n)
        def_v = np.empty(n)
        y10_v = np.empty(n)
        year = year_idx[0]
        for t in range(n_months):
            yi = year_idx[t]
            if yi != year:
                for f in range(N_OUT):
                    for i in range(n):
                        annual[lo + i, year, f] = acc[f, i]
                        acc[f, i] = 0.0
                year = yi
            bs = base_short[t]
            bd = base_d[t]
            tb = t % SHOCK_BLOCK_MONTHS
            if tb == 0:  # the group's shocks for the next months, reordered (month, shock) × path
                offset = t * 5
                count = min(SHOCK_BLOCK_MONTHS, n_months - t) * 5
                for i in range(n):
                    path_shocks = z_flat[lo + i]
                    for k in range(count):
                        zb_flat[k, i] = path_shocks[offset + k]
            z0, z1, z2, z3, z4 = zb[tb, 0], zb[tb, 1], zb[tb, 2], zb[tb, 3], zb[tb, 4]
            # rates and the economy up to the exponent (the shocks scaled by the Cholesky factor, row by row)
            if has_given:
                held = policy_given[t]
                for i in range(n):
                    di_v[i] = held[lo + i]
            else:
                for i in range(n):
                    di = rho_i * pol[i] + (1.0 - rho_i) * (phi_pi * infl[i] + phi_x * gap[i]) + (
                        c20 * z0[i] + c21 * z1[i] + c22 * z2[i])
                    di_v[i] = lower - bs if bs + di < lower else di
            for i in range(n):
                dtp_v[i] = rho_tp * term[i] + (c30 * z0[i] + c31 * z1[i] + c32 * z2[i] + c33 * z3[i])
            if has_ref:
                for i in range(n):
                    frp_v[i] = frp_per_unit * (ratio[i] - bd)
            else:
                frp_v[:] = 0.0
            if tp_paths == 1:
                m_t = market_tp[t, 0]
                for i in range(n):
                    mt_v[i] = dtp_v[i] + m_t
            else:  # one premium per path
                m_row = market_tp[t]
                for i in range(n):
                    mt_v[i] = dtp_v[i] + m_row[lo + i]
            for i in range(n):
                long_gap = di_v[i] * af_10 + mt_v[i] * tl_10 + frp_v[i] - infl[i]
                x_v[i] = rho_x * gap[i] - is_slope * long_gap + c00 * z0[i]
            for i in range(n):
                dpi_v[i] = rho_pi * infl[i] + kappa * x_v[i] + (c10 * z0[i] + c11 * z1[i])
            for i in range(n):
                pl_v[i] = plev[i] + dpi_v[i] / 12.0
            for i in range(n):
                dpb_v[i] = rho_pb * pbal[i] + (c40 * z0[i] + c41 * z1[i] + c42 * z2[i] + c43 * z3[i] + c44 * z4[i])
            for i in range(n):
                scale[i] = exp_small(x_v[i] + pl_v[i])
            _unless_frozen(gap, x_v, frozen)
            _unless_frozen(infl, dpi_v, frozen)
            _unless_frozen(pol, di_v, frozen)
            if keep_policy:
                kept = policy_out[t]
                for i in range(n):
                    kept[lo + i] = pol[i]
            _unless_frozen(term, dtp_v, frozen)
            _unless_frozen(plev, pl_v, frozen)
            _unless_frozen(pbal, dpb_v, frozen)
            # debt service and refinancing, one loop per array written so that each vectorises (a loop that
            # writes several arrays needs too many runtime alias checks); a frozen path's outputs keep the month
            # it crossed the threshold (its other arrays may change but are never read again)
            slot = t % RING
            row_pm, row_cm = ring_p[slot], ring_c[slot]
            gdp_t, pd_t, rev_t = base_gdp[t], base_pd[t], base_rev[t]
            oth_t, ref_t, sh_t = other_fin[t], ref_interest[t], shift_short[t]
            for i in range(n):
                gdp_v[i] = gdp_t * scale[i]
            for i in range(n):
                rev_v[i] = rev_t * scale[i]
            for i in range(n):
                gap_d = ratio[i] - bd if has_ref else 0.0
                prim_v[i] = pd_t * scale[i] + (pbal[i] - cyc * gap[i] - beta * gap_d) * gdp_v[i] / 12.0
            for i in range(n):
                remit_v[i] = reserves * (pol[i] + sh_t) / 12.0 - fed_share * (run_rate[i] - ref_t)
            for i in range(n):
                def_v[i] = prim_v[i] + run_rate[i] + remit_v[i] + oth_t
            _unless_frozen(out[1], run_rate, frozen)
            _unless_frozen(out[2], def_v, frozen)
            _unless_frozen(out[3], prim_v, frozen)
            _unless_frozen(out[4], rev_v, frozen)
            _unless_frozen(out[5], gdp_v, frozen)
            _unless_frozen(out[7], remit_v, frozen)
            for i in range(n):
                need[i] = row_pm[i] + def_v[i]
            for i in range(n):
                run_rate[i] -= row_cm[i]
            row_pm[:] = 0.0
            row_cm[:] = 0.0
            for i in range(n):
                debt[i] += def_v[i]
            _unless_frozen(out[0], debt, frozen)
            for i in range(n):
                ratio[i] = debt[i] / gdp_v[i]
            y_t = base_y[t, 8]
            for i in range(n):
                y10_v[i] = y_t + di_v[i] * af_10 + mt_v[i] * tl_10 + frp_v[i]
            _unless_frozen(out[6], y10_v, frozen)
            # new issues: one loop per array written, so that each vectorises (few runtime alias checks)
            for k in range(n_k):
                share = shares[k]
                by, af, tl = base_y[t, k], avg_fac[k], tp_load[k]
                row_p = ring_p[slots[t, k]]
                row_c = ring_c[slots[t, k]]
                for i in range(n):
                    row_p[i] += need[i] * share
                for i in range(n):
                    row_c[i] += need[i] * share * (by + di_v[i] * af + mt_v[i] * tl + frp_v[i]) / 12.0
            # the run rate gains the same flows, summed over tenors: need · Σ_k share_k · rate_k / 12
            sum_by = 0.0
            for k in range(n_k):
                sum_by += shares[k] * base_y[t, k]
            for i in range(n):
                run_rate[i] += need[i] * (sum_by + di_v[i] * sum_af + mt_v[i] * sum_tl + frp_v[i] * sum_share) / 12.0
            for i in range(n):
                if not frozen[i] and (not (ratio[i] < threshold) or not np.isfinite(ratio[i])):
                    exploded[lo + i] = True
                    explode_month[lo + i] = t
                    frozen[i] = True
            # debt at the end of the year; flows summed; GDP and the 10-year yield averaged
            acc_debt, out_debt = acc[0], out[0]
            for i in range(n):
                acc_debt[i] = out_debt[i]
            for f in range(1, N_OUT):
                acc_f, out_f = acc[f], out[f]
                if f == 5 or f == 6:
                    for i in range(n):
                        acc_f[i] += out_f[i] / 12.0
                else:
                    for i in range(n):
                        acc_f[i] += out_f[i]
        for f in range(N_OUT):
            for i in range(n):
                annual[lo + i, year, f] = acc[f, i]


@dataclass(frozen=True)
class SimulationOutput:
    """Raw output of :func:`simulate` for one set of paths.

    Attributes
    ----------
    annual
        (P, Y, len(ANNUAL_FIELDS)) fiscal-year aggregates: end-of-year debt; sums of interest, deficit, primary
        deficit, revenue and remittance loss; mean GDP and mean 10-year yield over the months of the year.
    monthly
        (P, T, len(MONTHLY_FIELDS)) detail when requested, else shape (0, T, ...).
    fiscal_years
        (Y,) fiscal year of each annual column.
    exploded
        (P,) whether debt/GDP crossed the explosive threshold (the path is frozen from then on).
    explode_month
        (P,) month index of the crossing, −1 if none.
    policy
        (T, P) month-major policy-rate deviation from the baseline (decimal) when requested
        (``record_policy``), else None; a frozen path holds its last month's.
    """

    annual: np.ndarray
    monthly: np.ndarray
    fiscal_years: np.ndarray
    exploded: np.ndarray
    explode_month: np.ndarray
    policy: np.ndarray | None = None

    def annual_field(self, name: str) -> np.ndarray:
        """(P, Y) array of one annual field."""
        return self.annual[:, :, ANNUAL_FIELDS.index(name)]

    def monthly_field(self, name: str) -> np.ndarray:
        """(P, T) array of one monthly field."""
        return self.monthly[:, :, MONTHLY_FIELDS.index(name)]


@dataclass(frozen=True)
class _Prepared:
    """Validated, contiguous kernel inputs shared by :func:`simulate` and :class:`FiscalStepper`."""

    book_slot: np.ndarray
    book_principal: np.ndarray
    book_coupon: np.ndarray
    shares: np.ndarray
    yields: np.ndarray  # (T, K) baseline yields plus the accounting shift
    shift_short: np.ndarray  # (T,) the shift on the 13-week bill (moves the Fed's cost of reserves)
    primary: np.ndarray
    other: np.ndarray
    revenue: np.ndarray
    gdp: np.ndarray
    short: np.ndarray
    base_d: np.ndarray
    ref_interest: np.ndarray
    year_idx: np.ndarray
    fiscal_years: np.ndarray
    slots: np.ndarray
    chol: np.ndarray
    macro: MacroVector
    avg_fac: np.ndarray
    tp_load: np.ndarray
    frp_per_unit: float
    has_ref: bool
    reserves: float
    fed_share: float
    threshold: float

    @property
    def months(self) -> int:
        return len(self.primary)


@dataclass(frozen=True)
class NegativeIssueYields:
    """Where an accounting yield shift takes baseline yields at issue below zero (:func:`negative_issue_yields`)."""

    first_year: int  # first fiscal year with a yield at issue below zero
    lowest: float  # the lowest shifted yield at issue, decimal
    lowest_tenor: str
    lowest_year: int
    largest_cut_pp: float  # the largest uniform cut (pp) the shocked months allow: their lowest baseline yield


def negative_issue_yields(paths: BaselinePaths, yield_shift: np.ndarray | float) -> NegativeIssueYields | None:
    """``None`` unless a negative ``yield_shift`` takes a yield at issue of ``paths`` below zero.

    The calibration keeps every yield at issue at zero or above (:func:`geostress.calibrate.fiscal.fit_rate_path`);
    an accounting shift such as ``shocks.all_rates_pp = -5`` or ``geostress sensitivity --all-rates -5`` would
    otherwise issue debt at negative yields and turn net interest negative. Only the baseline yields plus the shift
    are checked (the deterministic path's yields when no other deviation moves them), which costs one array sum."""
    months = paths.months
    shift = np.broadcast_to(np.asarray(yield_shift, dtype=float), (months, len(TENOR_NAMES)))
    if not np.any(shift < 0):
        return None
    base = np.asarray(paths.yields, dtype=float)
    shifted = base + shift
    below = (shifted < -1e-12) & (shift < 0)
    if not below.any():
        return None
    fy = np.asarray(paths.fiscal_year)
    first_month = int(np.argmax(below.any(axis=1)))
    masked = np.where(shift < 0, shifted, np.inf)
    t, k = np.unravel_index(int(np.argmin(masked)), masked.shape)
    return NegativeIssueYields(
        first_year=int(fy[first_month]), lowest=float(shifted[t, k]), lowest_tenor=TENOR_NAMES[int(k)],
        lowest_year=int(fy[t]), largest_cut_pp=float(np.min(np.where(shift < 0, base, np.inf))) * 100.0,
    )


def _prepare(
    book: InitialBook, paths: BaselinePaths, params: FiscalParams, macro: MacroParams,
    yield_shift: np.ndarray | float,
) -> _Prepared:  # fmt: skip
    months = paths.months
    shift = np.broadcast_to(np.asarray(yield_shift, dtype=float), (months, len(TENOR_NAMES))).copy()
    if not np.all(np.isfinite(shift)):
        raise ScenarioError("yield_shift contains NaN or inf")
    below = negative_issue_yields(paths, shift)
    if below is not None:
        raise ScenarioError(
            f"the rate shift (shocks.all_rates_pp) of {float(np.min(shift)) * 100:+.2f} pp takes yields at issue "
            f"below zero from FY{below.first_year} (lowest {below.lowest:.2%}, the {below.lowest_tenor} in "
            f"FY{below.lowest_year}), and net interest would turn negative; the calibration keeps every yield at "
            f"issue at zero or above. The lowest baseline yield at issue over the shocked months is "
            f"{below.largest_cut_pp:.2f}%: give all_rates_pp {-int(below.largest_cut_pp * 100) / 100:.2f} or above, "
            "or a later start_year")
    fiscal_years, year_idx = np.unique(np.asarray(paths.fiscal_year), return_inverse=True)
    has_ref = paths.debt_to_gdp is not None
    ref_interest = paths.reference_interest
    fed_share = params.fed_share_of_debt
    if ref_interest is None:
        ref_interest, fed_share = np.zeros(months), 0.0
    # bp per pp of debt/GDP == 1e-4 per 1e-2 == 1e-2 per unit of the ratio; no reference path: no premium
    frp_per_unit = params.fiscal_risk_premium_bp_per_pp * 1e-2 if has_ref else 0.0
    f64 = np.float64
    return _Prepared(
        book_slot=np.asarray(book.remaining_months, dtype=np.int64) - 1,
        book_principal=np.asarray(book.principal, dtype=f64),
        book_coupon=np.asarray(book.coupon, dtype=f64),
        shares=np.asarray(params.issuance_shares, dtype=f64),
        yields=np.ascontiguousarray(paths.yields, dtype=f64) + shift,
        shift_short=np.ascontiguousarray(shift[:, BILL_13W]),
        primary=np.asarray(paths.primary_deficit, dtype=f64),
        other=np.asarray(paths.other_financing, dtype=f64),
        revenue=np.asarray(paths.revenue, dtype=f64),
        gdp=np.asarray(paths.gdp, dtype=f64),
        short=np.asarray(paths.short_rate, dtype=f64),
        base_d=np.asarray(paths.debt_to_gdp if has_ref else np.zeros(months), dtype=f64),
        ref_interest=np.asarray(ref_interest, dtype=f64),
        year_idx=year_idx.astype(np.int64),
        fiscal_years=fiscal_years,
        slots=(np.arange(months)[:, None] + TENOR_MONTHS[None, :]) % RING,
        chol=np.ascontiguousarray(macro.shock_chol, dtype=f64),
        macro=macro.as_vector(),
        avg_fac=policy_average_factor(macro.rho_policy, TENOR_MONTHS),
        tp_load=term_premium_loading(TENOR_MONTHS, params.term_premium_loading_5y),
        frp_per_unit=float(frp_per_unit),
        has_ref=has_ref,
        reserves=float(params.fed_reserves_bn),
        fed_share=float(fed_share),
        threshold=float(params.explosive_threshold),
    )


def simulate(
    book: InitialBook,
    paths: BaselinePaths,
    params: FiscalParams,
    macro: MacroParams | None = None,
    *,
    shocks: np.ndarray | None = None,
    yield_shift: np.ndarray | float = 0.0,
    market_term_premium: np.ndarray | None = None,
    premium_by_month: bool = False,
    n_paths: int = 1,
    record_monthly: bool = False,
    annual_out: np.ndarray | None = None,
    policy_deviation: np.ndarray | None = None,
    record_policy: bool = False,
) -> SimulationOutput:
    """Run the cohort model over ``paths.months`` months for ``n_paths`` paths.

    Parameters
    ----------
    shocks
        (P, T, 5) standard normals (float32 or float64) in the order of :data:`SHOCKS`, scaled by
        ``macro.shock_chol``; ``None`` runs without shocks (the deterministic path).
    yield_shift
        Added to every yield at issue: a scalar or (T, K) array; an accounting shift that does not move the
        economy (e.g. CBO's "+0.1 pp on all rates").
    market_term_premium
        (T,) or (P, T) decimal term premium from the market module; moves yields and the economy.
    premium_by_month
        ``market_term_premium`` is given month-major, (T, P), as the market pass builds it (the ensemble kernel
        reads it that way: no transposed copy).
    record_monthly
        Keep (P, T, fields) monthly detail (for deterministic runs and small P).
    annual_out
        (P, fiscal years, :data:`ANNUAL_FIELDS`) float64, C-contiguous: the fiscal-year aggregates are written
        into it (e.g. a slice of a caller's array for every chunk of paths) instead of a new array.
    policy_deviation
        (T, P) month-major policy-rate deviation from the baseline, decimal, held instead of the policy rule's:
        the :attr:`SimulationOutput.policy` of a run on the same paths without the market, so that the rule does
        not answer what the market premium does to the economy (``[market] monetary_offset = false``).
    record_policy
        Keep the policy-rate deviation by month and path in :attr:`SimulationOutput.policy`.
    """
    macro = macro or MacroParams()
    months = paths.months
    if shocks is not None:
        shocks = np.ascontiguousarray(shocks)
        if shocks.ndim != 3 or shocks.shape[1:] != (months, len(SHOCKS)):
            raise ScenarioError(f"shocks must have shape (paths, {months}, {len(SHOCKS)}), got {shocks.shape}")
        n_paths = shocks.shape[0]
    else:
        shocks = np.zeros((n_paths, 0, len(SHOCKS)))
    if market_term_premium is None:
        by_month = np.zeros((months, 1))
    else:
        given = np.asarray(market_term_premium, dtype=float)
        if given.ndim == 1:
            given = given[:, None] if premium_by_month else given[None, :]
        by_month = given if premium_by_month else given.T
        if (by_month.ndim != 2 or by_month.shape[0] != months or by_month.shape[1] not in (1, n_paths)
                or not np.all(np.isfinite(by_month))):
            shape = f"({months}, {n_paths})" if premium_by_month else f"({n_paths}, {months})"
            raise ScenarioError(f"market_term_premium must be finite with shape ({months},) or {shape}")
    if policy_deviation is None:
        policy_given = np.zeros((months, 0))
    else:
        policy_given = np.ascontiguousarray(policy_deviation, dtype=float)
        if policy_given.shape != (months, n_paths) or not np.all(np.isfinite(policy_given)):
            raise ScenarioError(f"policy_deviation must be finite with shape ({months}, {n_paths}), month-major")
    policy = np.zeros((months, n_paths if record_policy else 0))
    k = _prepare(book, paths, params, macro, yield_shift)
    ensemble = shocks.shape[1] > 0 and not record_monthly
    # the ensemble kernel writes every (path, year, field): no need to zero 30 MB per chunk first
    shape = (n_paths, len(k.fiscal_years), len(ANNUAL_FIELDS))
    if annual_out is None:
        annual = (np.empty if ensemble else np.zeros)(shape)
    elif annual_out.shape != shape or annual_out.dtype != np.float64 or not annual_out.flags.c_contiguous:
        raise ScenarioError(f"annual_out must be a C-contiguous float64 array of shape {shape}")
    else:
        annual = annual_out
        if not ensemble:
            annual[:] = 0.0
    monthly = np.zeros((n_paths if record_monthly else 0, months, len(MONTHLY_FIELDS)))
    exploded = np.zeros(n_paths, dtype=np.bool_)
    explode_month = np.full(n_paths, -1, dtype=np.int64)
    if ensemble:  # month by month over groups of paths
        _lanes_kernel(
            k.book_slot, k.book_principal, k.book_coupon, k.shares, k.yields, k.shift_short,
            np.ascontiguousarray(by_month), k.primary, k.other, k.revenue, k.gdp, k.short, k.base_d, k.ref_interest,
            k.year_idx, k.slots, shocks, k.chol, k.macro, k.avg_fac, k.tp_load, k.frp_per_unit, k.has_ref,
            k.reserves, k.fed_share, k.threshold, policy_given, policy, annual, exploded, explode_month,
        )  # fmt: skip
        return SimulationOutput(annual, monthly, k.fiscal_years, exploded, explode_month,
                                policy if record_policy else None)
    _kernel(
        k.book_slot, k.book_principal, k.book_coupon, k.shares, k.yields, k.shift_short,
        np.ascontiguousarray(by_month.T),
        k.primary, k.other, k.revenue, k.gdp, k.short, k.base_d, k.ref_interest, k.year_idx, k.slots, shocks,
        k.chol, k.macro, k.avg_fac, k.tp_load, k.frp_per_unit, k.has_ref, k.reserves, k.fed_share, k.threshold,
        policy_given, policy, annual, monthly, exploded, explode_month,
    )  # fmt: skip
    return SimulationOutput(annual, monthly, k.fiscal_years, exploded, explode_month,
                            policy if record_policy else None)


class FiscalStepper:
    """The same engine advanced one month at a time on P paths, for coupling with modules that react inside
    the month loop (the Treasury market, contagion).

    ``step(market_tp, shocks)`` runs month ``t`` on every path with this month's market term premium and returns
    the month's outputs (P, 8) in the order debt, interest, deficit, primary deficit, revenue, GDP (annual
    rate), 10-year yield, remittance change. :meth:`output` gives the same fiscal-year aggregates as
    :func:`simulate`, which it reproduces exactly for the same inputs.
    """

    def __init__(
        self, book: InitialBook, paths: BaselinePaths, params: FiscalParams, macro: MacroParams | None = None, *,
        n_paths: int = 1, yield_shift: np.ndarray | float = 0.0,
    ) -> None:  # fmt: skip
        if n_paths < 1:
            raise ScenarioError(f"n_paths={n_paths} must be at least 1")
        self._k = _prepare(book, paths, params, macro or MacroParams(), yield_shift)
        self.n_paths = n_paths
        self.t = 0
        self.state = np.zeros((n_paths, N_STATE))
        self.ring_p = np.zeros((n_paths, RING))
        self.ring_c = np.zeros((n_paths, RING))
        for p in range(n_paths):
            _init_path(self.state[p], self.ring_p[p], self.ring_c[p], self._k.book_slot, self._k.book_principal,
                       self._k.book_coupon, self._k.gdp[0])
        self.out = np.zeros((n_paths, N_OUT))
        self.frozen = np.zeros(n_paths, dtype=np.bool_)
        self.explode_month = np.full(n_paths, -1, dtype=np.int64)
        self.annual = np.zeros((n_paths, len(self._k.fiscal_years), len(ANNUAL_FIELDS)))

    @property
    def months(self) -> int:
        return self._k.months

    @property
    def debt_to_gdp(self) -> np.ndarray:
        """(P,) debt/GDP after the last month stepped."""
        return self.state[:, RATIO]

    def step(self, market_tp: np.ndarray | float = 0.0, shocks: np.ndarray | None = None) -> np.ndarray:
        """Advance every path one month; ``market_tp`` (P,) or scalar decimal, ``shocks`` (P, 5) normals."""
        if self.t >= self.months:
            raise ScenarioError(f"the horizon of {self.months} months is over")
        k, t = self._k, self.t
        mtp = np.ascontiguousarray(np.broadcast_to(np.asarray(market_tp, dtype=float), (self.n_paths,)))
        z = np.zeros((self.n_paths, 0)) if shocks is None else np.ascontiguousarray(shocks)
        if not np.all(np.isfinite(mtp)):
            raise ScenarioError("market_tp contains NaN or inf")
        was = self.frozen.copy()
        _step_kernel(
            t, self.state, self.ring_p, self.ring_c, self.frozen, self.out, z, k.chol, mtp, k.yields,
            float(k.shift_short[t]), k.primary, k.other, k.revenue, k.gdp, k.short, k.base_d, k.ref_interest,
            k.slots, k.shares, k.macro, k.avg_fac, k.tp_load, k.frp_per_unit, k.has_ref, k.reserves, k.fed_share,
            k.threshold,
        )  # fmt: skip
        self.explode_month[self.frozen & ~was] = t
        year = self.annual[:, k.year_idx[t]]
        year[:, 0] = self.out[:, 0]
        year[:, 1:5] += self.out[:, 1:5]
        year[:, 5:7] += self.out[:, 5:7] / 12.0
        year[:, 7] += self.out[:, 7]
        self.t += 1
        return self.out

    def output(self) -> SimulationOutput:
        """Fiscal-year aggregates so far, as :func:`simulate` returns them (no monthly detail)."""
        monthly = np.zeros((0, self.months, len(MONTHLY_FIELDS)))
        return SimulationOutput(self.annual.copy(), monthly, self._k.fiscal_years, self.frozen.copy(),
                                self.explode_month.copy())


def with_reference(paths: BaselinePaths, book: InitialBook, params: FiscalParams) -> BaselinePaths:
    """Return ``paths`` with the deterministic path's own debt/GDP and interest as references.

    The fiscal risk premium then prices only deviations from the baseline (a path whose debt/GDP runs 1 pp above
    it pays ``fiscal_risk_premium_bp_per_pp`` more on new issues), and the Fed remits its share of interest
    above the baseline; the deterministic run itself is unchanged.
    """
    base = simulate(book, paths, params, record_monthly=True)
    ratio = base.monthly_field("debt")[0] / base.monthly_field("gdp")[0]
    # the premium at month t uses debt/GDP at the start of t, i.e. the end of t-1
    start_ratio = np.concatenate([[book.total / paths.gdp[0]], ratio[:-1]])
    return BaselinePaths(
        paths.yields, paths.primary_deficit, paths.other_financing, paths.revenue, paths.gdp,
        paths.short_rate, paths.fiscal_year, start_ratio, base.monthly_field("interest")[0].copy(),
    )  # fmt: skip
