"""Treasury market clearing across holder sectors, vectorised over paths P and sectors S.

Pure numerics: frozen parameter dataclasses and arrays in, arrays out. No I/O, no data layer (the holdings
come from :mod:`geostress.calibrate.market`).

Every quantity here is a *deviation from the baseline*: the baseline yields already clear the baseline supply
against the baseline holdings, so with no sales, no trust change and no extra supply the term premium deviation
is exactly zero. Term premia are in basis points at 10 years; the 5-year figure applies the fiscal engine's
maturity loading (:func:`geostress.model.fiscal.term_premium_loading`, 0.5 at 5 years).

The market term premium at 10 years is the sum of three parts:

1. **Clearing (persistent) part** ``x``: sector ``s`` demands ``τ_s H_s exp(ε_s x) − q_s`` (USD bn), with
   ``H_s`` its baseline holdings, ``τ_s`` its trust state (1 = baseline; a fall shifts its demand left in
   proportion to its holdings), ``ε_s ≥ 0`` its semi-elasticity to the term premium (per bp; official holders
   nearly inelastic, private ones elastic) and ``q_s`` its cumulative sales (a leftward shift of its demand).
   Total demand is increasing in ``x``; :func:`clear_market` finds, on every path at once, the ``x`` at which it
   equals supply (baseline holdings plus the fiscal engine's debt deviation). The scale of the elasticities is
   set so that a permanent $100bn fall in foreign-official demand moves the 5y yield by
   :attr:`MarketParams.longrun_5y_bp_per_100bn` (Beltran et al. 2013: ≈20 bp).
2. **Flow (price-pressure) part** ``f``: a month's net sales push the term premium up on impact, and the push
   decays geometrically with half-life :attr:`MarketParams.flow_half_life_months`:
   ``f_t = δ f_{t−1} + φ Σ_s w_s sales_{s,t}``. ``φ`` is set so that the impact of a $100bn one-month fall in
   foreign-official demand on the 5y yield is :attr:`MarketParams.impact_5y_bp_per_100bn` (Beltran et al. 2013:
   40–60 bp).
3. **Stock (holder-mix) part**: ``k × (share₀ − share_t)`` with ``share`` the foreign-official share of supply
   in percentage points and ``k`` = :attr:`MarketParams.stock_bp_per_pp` (IMF WP/17/174: 2.0–2.4 bp per pp).

The two literature figures are not one elasticity seen twice: at today's market size a $100bn sale is ≈0.3 pp of
the foreign-official share, worth <1 bp through (3), while Beltran's long-run 20 bp per $100bn was estimated on
flows in a much smaller market. The model keeps them as separate, separately documented parameters and
:class:`MarketParams` sizes the clearing slope so that (1) + (3) together give the Beltran long-run figure.

References
----------
Beltran, D. O., Kretchmer, M., Marquez, J. and Thomas, C. P. (2013), "Foreign holdings of U.S. Treasuries and
U.S. Treasury yields", *Journal of International Money and Finance* 32(1), 1120–1143: a $100bn fall in foreign
official flows in a month raises the 5-year yield by 40–60 bp in the short run and ≈20 bp in the long run.
International Monetary Fund (2017), Working Paper WP/17/174 ("stock effect"): a 1 pp higher foreign-official
share of Treasuries lowers the term premium by 2.0–2.4 bp.
Board of Governors of the Federal Reserve System, *Financial Accounts of the United States* (Z.1), table L.210
(Treasury securities by holder): the domestic sector split.
Dekker, T. J. (1969) and Dowell, M. and Jarratt, P. (1971), "A modified regula falsi method" (*BIT* 11): the
Illinois root-finding step used by :func:`clear_market`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches

import numpy as np

from geostress.errors import ScenarioError
from geostress.model.fiscal import term_premium_loading

#: Share of a 10-year term-premium move carried by the 5-year yield (the fiscal engine's loading).
LOADING_5Y = float(term_premium_loading(np.array([60]))[0])
#: Sector groups; ``foreign_official`` enters the stock (holder-mix) effect.
GROUPS: tuple[str, ...] = ("foreign_official", "foreign_private", "fed", "domestic")
#: Documented parameter ranges (inclusive) checked by :class:`MarketParams`.
RANGES: dict[str, tuple[float, float]] = {
    "impact_5y_bp_per_100bn": (40.0, 60.0),  # Beltran et al. (2013), short run
    "longrun_5y_bp_per_100bn": (10.0, 30.0),  # Beltran et al. (2013): ≈20 bp
    "stock_bp_per_pp": (2.0, 2.4),  # IMF WP/17/174
    "flow_half_life_months": (0.25, 24.0),
}
X_TOL_BP = 1e-8  # root-find tolerance on the term premium, bp
MAX_ABS_BP = 1e5  # a term premium beyond ±1,000 pp means the market cannot clear
_MAX_ITER = 200
_MAX_EXPAND = 40


@dataclass(frozen=True)
class SectorSpec:
    """One holder sector.

    Attributes
    ----------
    name
        Unique identifier, e.g. ``"china_mainland_official"`` or ``"money_market_funds"``.
    holdings
        Baseline holdings, USD bn (≥ 0).
    group
        One of :data:`GROUPS`.
    elasticity_weight
        Relative semi-elasticity of demand to the term premium (≥ 0). Only ratios matter: :class:`MarketParams`
        scales all weights to the long-run target. Official holders ≈ 0.05, private 0.3–2, the Fed 0.
    flow_weight
        Weight of this sector's one-month sales in the flow (price-pressure) part (default 1: a dump by anyone
        presses on prices for a while).
    source
        Where the holdings figure comes from (citation, or an ``[assumption]`` note).
    """

    name: str
    holdings: float
    group: str
    elasticity_weight: float
    flow_weight: float = 1.0
    source: str = ""

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ScenarioError(f"sector {self.name!r}: group {self.group!r} is not one of {', '.join(GROUPS)}")
        for attr in ("holdings", "elasticity_weight", "flow_weight"):
            value = float(getattr(self, attr))
            if not np.isfinite(value):
                raise ScenarioError(f"sector {self.name!r}: {attr} must be a finite number (found {value})")
            if value < 0:
                raise ScenarioError(f"sector {self.name!r}: {attr}={value} must not be negative"
                                    + (" (demand must not fall as the term premium rises)"
                                       if attr == "elasticity_weight" else ""))


@dataclass(frozen=True, eq=False)
class MarketParams:
    """Holder sectors and the three literature parameters of the market block.

    Attributes
    ----------
    sectors
        The holder sectors (at least one with a positive elasticity weight and positive holdings).
    impact_5y_bp_per_100bn
        5y yield response, on impact, to a $100bn one-month fall in foreign-official demand (Beltran et al. 2013:
        40–60; default 50).
    longrun_5y_bp_per_100bn
        The same once the price pressure has decayed (Beltran et al. 2013: ≈20; range accepted 10–30).
    stock_bp_per_pp
        Term premium (10y, bp) per percentage point *fall* of the foreign-official share of supply (IMF WP/17/174:
        2.0–2.4; default 2.0).
    flow_half_life_months
        Half-life of the flow price pressure (default 3 months; 0.25–24 accepted). [assumption: Beltran et al.
        report the short- and long-run effects, not the path between them]

    Derived arrays (read-only): :attr:`names`, :attr:`holdings`, :attr:`semi_elasticity` (per bp),
    :attr:`flow_weight`, :attr:`official` (bool mask), :attr:`flow_bp_per_bn`, :attr:`decay`.
    """

    sectors: tuple[SectorSpec, ...]
    impact_5y_bp_per_100bn: float = 50.0
    longrun_5y_bp_per_100bn: float = 20.0
    stock_bp_per_pp: float = 2.0
    flow_half_life_months: float = 3.0
    _arrays: dict[str, np.ndarray] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        for name, (lo, hi) in RANGES.items():
            value = float(getattr(self, name))
            if not np.isfinite(value) or not lo <= value <= hi:
                raise ScenarioError(f"market parameter {name}={value} is outside its documented range {lo}–{hi}")
        if self.impact_5y_bp_per_100bn < self.longrun_5y_bp_per_100bn:
            raise ScenarioError("market: impact_5y_bp_per_100bn must be at least longrun_5y_bp_per_100bn "
                                "(the flow pressure adds to the long-run effect)")
        if len(self.sectors) == 0:
            raise ScenarioError("market: at least one holder sector is needed")
        names = [s.name for s in self.sectors]
        if len(set(names)) != len(names):
            dup = sorted({n for n in names if names.count(n) > 1})
            raise ScenarioError(f"market: duplicate sector names {dup}")
        holdings = np.array([s.holdings for s in self.sectors], dtype=float)
        weight = np.array([s.elasticity_weight for s in self.sectors], dtype=float)
        official = np.array([s.group == "foreign_official" for s in self.sectors])
        total = holdings.sum()
        raw_slope = float(np.sum(holdings * weight))
        if total <= 0 or raw_slope <= 0:
            raise ScenarioError("market: no sector with holdings has a positive elasticity weight, so the market "
                                "cannot clear; give private sectors a positive elasticity_weight")
        # Long run at 10y = clearing + stock; the clearing slope (USD bn per bp) takes what the stock part leaves.
        longrun_10y = self.longrun_5y_bp_per_100bn / LOADING_5Y
        stock_10y = self.stock_bp_per_pp * 100.0 * (100.0 / total)
        if longrun_10y <= stock_10y:
            raise ScenarioError(f"market: the long-run effect ({longrun_10y:.2f} bp at 10y per $100bn) is smaller "
                                f"than the stock effect alone ({stock_10y:.2f} bp); raise longrun_5y_bp_per_100bn")
        slope = 100.0 / (longrun_10y - stock_10y)
        impact_10y = self.impact_5y_bp_per_100bn / LOADING_5Y
        arrays = {
            "holdings": holdings,
            "semi_elasticity": weight * (slope / raw_slope),  # per bp: Σ H ε = slope
            "flow_weight": np.array([s.flow_weight for s in self.sectors], dtype=float),
            "official": official,
            "scalars": np.array([(impact_10y - longrun_10y) / 100.0, 0.5 ** (1.0 / self.flow_half_life_months),
                                 slope]),
        }
        for arr in arrays.values():
            arr.setflags(write=False)
        self._arrays.update(arrays)

    # -- derived, read-only ---------------------------------------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sectors)

    @property
    def holdings(self) -> np.ndarray:
        """(S,) baseline holdings, USD bn."""
        return self._arrays["holdings"]

    @property
    def semi_elasticity(self) -> np.ndarray:
        """(S,) semi-elasticity of each sector's demand to the 10y term premium, per bp."""
        return self._arrays["semi_elasticity"]

    @property
    def flow_weight(self) -> np.ndarray:
        return self._arrays["flow_weight"]

    @property
    def official(self) -> np.ndarray:
        """(S,) True for foreign-official sectors."""
        return self._arrays["official"]

    @property
    def flow_bp_per_bn(self) -> float:
        """Impact of one USD bn of one-month sales on the 10y term premium through the flow part, bp."""
        return float(self._arrays["scalars"][0])

    @property
    def decay(self) -> float:
        """Monthly decay factor of the flow pressure."""
        return float(self._arrays["scalars"][1])

    @property
    def clearing_slope_bn_per_bp(self) -> float:
        """Σ H ε: USD bn of extra demand per bp of 10y term premium at the baseline."""
        return float(self._arrays["scalars"][2])

    @property
    def official_share0(self) -> float:
        """Baseline foreign-official share of supply, decimal."""
        return float(self.holdings[self.official].sum() / self.holdings.sum())

    def index(self, name: str) -> int:
        """Position of sector ``name``; unknown names raise :class:`ScenarioError` with close matches."""
        try:
            return self.names.index(name)
        except ValueError:
            raise ScenarioError(_unknown(name, self.names + tuple(g for g in GROUPS if g not in self.names))) from None

    def sales_vector(self, sales: Mapping[str, float]) -> np.ndarray:
        """(S,) sales array from ``{sector or group name: USD bn}``; a group is split pro rata to holdings."""
        out = np.zeros(len(self.sectors))
        groups = np.array([s.group for s in self.sectors])
        for name, amount in sales.items():
            amount = float(amount)
            if not np.isfinite(amount):
                raise ScenarioError(f"market: sale by {name!r} must be a finite number (found {amount})")
            if name in GROUPS and name not in self.names:
                mask = groups == name
                held = self.holdings[mask].sum()
                if held <= 0:
                    raise ScenarioError(f"market: no holdings in group {name!r} to sell")
                out[mask] += amount * self.holdings[mask] / held
            else:
                out[self.index(name)] += amount
        return out


def _unknown(name: str, known: tuple[str, ...]) -> str:
    lowered = name.lower().replace(" ", "_")
    containing = sorted((k for k in known if lowered in k), key=len)
    close = get_close_matches(lowered, known, n=5, cutoff=0.5)
    suggestions = (containing + [c for c in close if c not in containing])[:5]
    text = f"unknown holder {name!r}"
    if suggestions:
        text += "; did you mean: " + ", ".join(suggestions) + "?"
    return text + f" Known holders: {', '.join(known)}."


# -- clearing -----------------------------------------------------------------------------------------------------
def _excess(x: np.ndarray, gap: np.ndarray, th: np.ndarray, eps: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    """Demand minus supply at term premium ``x`` (P,): Σ_s [τH (e^{εx} − 1)] + fixed − gap, written with expm1
    so that it is exactly zero at the baseline."""
    return np.sum(th * np.expm1(eps * x[:, None]), axis=1) + fixed - gap


def clear_market(
    supply: np.ndarray | float,
    holdings: np.ndarray,
    semi_elasticity: np.ndarray,
    trust: np.ndarray | None = None,
    sold: np.ndarray | None = None,
    *,
    x_tol: float = X_TOL_BP,
) -> np.ndarray:
    """Term premium deviation (10y, bp) at which total demand equals supply, on every path.

    Parameters
    ----------
    supply
        (P,) or scalar total supply, USD bn (the baseline supply is ``holdings.sum()``).
    holdings, semi_elasticity
        (S,) baseline holdings (USD bn) and semi-elasticities (per bp, ≥ 0).
    trust
        (P, S) or (S,) trust states (default 1).
    sold
        (P, S) or (S,) cumulative sales, USD bn (default 0).
    x_tol
        Tolerance on the root, bp.

    Returns
    -------
    numpy.ndarray
        (P,) ``x`` with ``Σ_s τ_s H_s e^{ε_s x} − q_s = supply``; exactly 0 where demand equals supply at 0.

    Notes
    -----
    Demand is increasing and convex in ``x``, so a Newton step from 0 bounds the root from one side and a
    doubling search finds the other; a vectorised Illinois (modified regula falsi) iteration then shrinks every
    bracket at once, with a bisection step wherever it stalls, and two Newton steps inside the final bracket
    polish the root. No loop over paths.
    """
    holdings = np.asarray(holdings, dtype=float)
    eps = np.asarray(semi_elasticity, dtype=float)
    supply = np.atleast_1d(np.asarray(supply, dtype=float))
    n = supply.shape[0]
    shape = (n, holdings.size)
    tau = np.ones(shape) if trust is None else np.broadcast_to(np.asarray(trust, dtype=float), shape)
    q = np.zeros(shape) if sold is None else np.broadcast_to(np.asarray(sold, dtype=float), shape)
    _check_finite(supply=supply, holdings=holdings, semi_elasticity=eps, trust=tau, sold=q)
    if np.any(eps < 0):
        raise ScenarioError("market: semi-elasticities must not be negative (demand must not fall as the term "
                            "premium rises)")
    if np.any(tau < 0):
        raise ScenarioError("market: trust states must not be negative")
    gap = supply - holdings.sum()
    return _solve(gap, tau * holdings, eps, np.sum((tau - 1.0) * holdings - q, axis=1), x_tol)


def _solve(
    gap: np.ndarray, th: np.ndarray, eps: np.ndarray, fixed: np.ndarray, x_tol: float, x0: np.ndarray | None = None
) -> np.ndarray:
    """Newton's method, on every path at once.

    Excess demand ``f`` is increasing and convex in ``x``, so its tangent lies below it: a Newton step from any
    point lands at or right of the root, and from there the iterates fall monotonically onto it (quadratically
    near it). ``x0`` (e.g. last month's root) only adds a first step; 0 is used where it is not given.
    """
    def f(x: np.ndarray) -> np.ndarray:
        return _excess(x, gap, th, eps, fixed)

    zero = np.zeros(gap.shape)
    f0 = f(zero)
    slope0 = th @ eps
    if np.any((slope0 <= 0) & (f0 != 0)):
        bad = int(np.flatnonzero((slope0 <= 0) & (f0 != 0))[0])
        raise ScenarioError(f"market cannot clear on path {bad}: no remaining holder responds to the term premium")
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(slope0 > 0, -f0 / slope0, 0.0)
    active = f0 != 0
    if x0 is not None:  # a warm start: one Newton step from x0 is also on the right of the root
        growth = th * np.exp(eps * x0[:, None])
        grad = growth @ eps
        value = np.sum(growth, axis=1) - th.sum(axis=1) + fixed - gap
        warm = active & (grad > 0) & np.isfinite(value)
        with np.errstate(divide="ignore", invalid="ignore"):
            x = np.where(warm, x0 - value / grad, x)
    for _ in range(_MAX_ITER):
        if not active.any():
            break
        xa = x[active]
        growth = th[active] * np.exp(eps * xa[:, None])
        value = np.sum(growth, axis=1) - th[active].sum(axis=1) + fixed[active] - gap[active]
        grad = growth @ eps
        step = np.where(grad > 0, value / grad, 0.0)
        x[active] = xa - step
        still = (np.abs(step) > x_tol * 1e-3) & (np.abs(x[active]) < MAX_ABS_BP)
        active[active] = still
    bad = ~np.isfinite(x) | (np.abs(x) >= MAX_ABS_BP)
    if bad.any():
        path = int(np.flatnonzero(bad)[0])
        raise ScenarioError(f"market cannot clear on path {path} within ±{MAX_ABS_BP:g} bp: the remaining elastic "
                            "holders cannot absorb the supply (check sales, trust and supply)")
    return x + 0.0  # no negative zeros


def _check_finite(**arrays: np.ndarray) -> None:
    for name, arr in arrays.items():
        if not np.all(np.isfinite(arr)):
            raise ScenarioError(f"market: {name} contains NaN or inf")


# -- monthly step -------------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class MarketState:
    """Market state on P paths after a month (all term premia are deviations from the baseline, bp).

    Attributes
    ----------
    sold
        (P, S) cumulative net sales by sector, USD bn (the leftward shift of each demand curve).
    trust
        (P, S) trust states (1 = baseline).
    flow_bp
        (P,) flow price pressure at 10y.
    cleared_bp
        (P,) clearing (persistent) part at 10y.
    stock_bp
        (P,) stock (holder-mix) part at 10y.
    holdings
        (P, S) holdings after clearing, USD bn.
    supply_dev
        (P,) supply above the baseline, USD bn.
    official_share
        (P,) foreign-official share of supply, decimal.
    """

    sold: np.ndarray
    trust: np.ndarray
    flow_bp: np.ndarray
    cleared_bp: np.ndarray
    stock_bp: np.ndarray
    holdings: np.ndarray
    supply_dev: np.ndarray
    official_share: np.ndarray

    @property
    def tp_10y_bp(self) -> np.ndarray:
        """(P,) market term premium deviation at 10 years, bp."""
        return self.cleared_bp + self.flow_bp + self.stock_bp

    @property
    def tp_5y_bp(self) -> np.ndarray:
        """(P,) the same carried by the 5-year yield (loading :data:`LOADING_5Y`), bp."""
        return LOADING_5Y * self.tp_10y_bp

    @property
    def fiscal_market_tp(self) -> np.ndarray:
        """(P,) 10y term premium as a decimal: the ``market_tp`` input of the fiscal engine for this month."""
        return self.tp_10y_bp / 1e4


def initial_state(params: MarketParams, n_paths: int) -> MarketState:
    """The baseline: no sales, trust 1, no pressure, holdings at their baseline on every path."""
    if n_paths < 1:
        raise ScenarioError(f"market: n_paths={n_paths} must be at least 1")
    s = len(params.sectors)
    z = np.zeros(n_paths)
    return MarketState(np.zeros((n_paths, s)), np.ones((n_paths, s)), z.copy(), z.copy(), z.copy(),
                       np.tile(params.holdings, (n_paths, 1)), z.copy(), np.full(n_paths, params.official_share0))


@dataclass(frozen=True, eq=False)
class MarketInputs:
    """What happens in one month.

    Attributes
    ----------
    sales
        (P, S) or (S,) net sales this month by sector, USD bn (negative = purchases); see
        :meth:`MarketParams.sales_vector`.
    supply_dev
        (P,) or scalar supply above the baseline, USD bn (the fiscal engine's debt deviation); default 0.
    trust
        (P, S) or (S,) new trust states, or ``None`` to keep them.
    """

    sales: np.ndarray | float = 0.0
    supply_dev: np.ndarray | float = 0.0
    trust: np.ndarray | None = None


def step(state: MarketState, inputs: MarketInputs, params: MarketParams) -> MarketState:
    """Advance the market one month on every path and clear it.

    Validation happens before any work: NaN or inf inputs, negative trust, or a sector selling more than it
    holds raise :class:`~geostress.errors.ScenarioError`.

    Returns
    -------
    MarketState
        The new state; ``tp_10y_bp`` / ``tp_5y_bp`` are this month's market term premium deviations.
    """
    p, s = state.sold.shape
    try:
        sales = np.broadcast_to(np.asarray(inputs.sales, dtype=float), (p, s))
        supply_dev = np.broadcast_to(np.asarray(inputs.supply_dev, dtype=float), (p,))
        trust = state.trust if inputs.trust is None else np.broadcast_to(np.asarray(inputs.trust, float), (p, s))
    except ValueError as exc:
        raise ScenarioError(f"market inputs do not fit {p} paths × {s} sectors: {exc}") from None
    _check_finite(sales=sales, supply_dev=supply_dev, trust=trust)
    if np.any(trust < 0):
        raise ScenarioError("market: trust states must not be negative")
    over = sales > state.holdings * (1.0 + 1e-12) + 1e-9
    if over.any():
        path, sec = (int(i[0]) for i in np.nonzero(over))
        raise ScenarioError(f"market: {params.names[sec]!r} sells {sales[path, sec]:,.1f} bn on path {path} but "
                            f"holds only {state.holdings[path, sec]:,.1f} bn")
    sold = state.sold + sales
    th = trust * params.holdings
    eps = params.semi_elasticity
    fixed = np.sum((trust - 1.0) * params.holdings - sold, axis=1)
    x = _solve(supply_dev, th, eps, fixed, X_TOL_BP, x0=state.cleared_bp)
    change = th * np.expm1(eps * x[:, None]) + (trust - 1.0) * params.holdings - sold  # holdings − baseline
    holdings = params.holdings + change
    flow = params.decay * state.flow_bp + params.flow_bp_per_bn * (sales @ params.flow_weight)
    # Official share minus its baseline, written so that it is exactly zero at the baseline.
    s0 = params.holdings.sum()
    a0 = params.holdings[params.official].sum()
    d_share = (change[:, params.official].sum(axis=1) * s0 - a0 * supply_dev) / (s0 * (s0 + supply_dev))
    stock = -params.stock_bp_per_pp * 100.0 * d_share
    return MarketState(sold, np.array(trust), flow, x, stock, holdings, supply_dev.copy(), a0 / s0 + d_share)


def respond(params: MarketParams, sales: Mapping[str, float], months: int = 36) -> np.ndarray:
    """(months, 2) response of the (10y, 5y) term premium, bp, to ``sales`` (USD bn) in the first month only.

    A convenience for calibration checks: one path, no supply change, trust 1.
    """
    state = initial_state(params, 1)
    first = MarketInputs(sales=params.sales_vector(sales))
    out = np.empty((months, 2))
    for t in range(months):
        state = step(state, first if t == 0 else MarketInputs(), params)
        out[t] = state.tp_10y_bp[0], state.tp_5y_bp[0]
    return out
