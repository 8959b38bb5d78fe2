"""A reserve manager's portfolio choice under return risk and a freeze (sanction) jump risk.

Pure numerics: frozen parameter dataclasses and arrays in, arrays out. No I/O, no data layer.

Assets (:data:`ASSETS`): US Treasuries in five duration buckets, gold held at home, euro-area sovereigns, other
advanced-economy sovereigns, emerging-market local-currency bonds, multilateral development bank (MDB) bonds and
cash (deposits). Returns are one-year, in US dollars.

**Freeze jump.** With probability ``p`` per year the sanctioning jurisdiction freezes the holder's assets: asset
``i`` loses the share ``L · exposure[i]`` of its value (``exposure`` is 1 for assets inside the sanctioning
jurisdiction, a participation share for allies' assets, 0 for gold held at home). Russia's central bank is the
precedent: in February–March 2022 the US, EU, UK, Japan, Canada and Switzerland immobilised about half of its
reserves; its gold held in Moscow and its renminbi assets stayed usable. As a Bernoulli jump ``J ~ B(p)`` adds
``−L·e·J`` to the return vector, the mean falls by ``p·L·e`` and the covariance gains ``p(1−p)·L²·e·eᵀ``.

**Optimisation.** Mean–variance (``max wᵀμ − γ/2·wᵀΣw − cᵀ|w − w₀|``) with SLSQP, or mean–CVaR
(``max wᵀμ̄ − κ·CVaR_α − cᵀ|w − w₀|``) as the Rockafellar–Uryasev linear programme on simulated scenario returns
with HiGHS. Both respect: weights sum to 1, per-asset bounds (concentration limits), a liquidity floor
``Σ ℓᵢwᵢ ≥ ℓ_min`` and linear turnover costs ``cᵢ`` against the current weights ``w₀`` (turnover split as
``w − w₀ = u − v``, ``u, v ≥ 0``). :func:`rebalancing_path` walks from ``w₀`` to the target at a maximum monthly
pace; :func:`implied_p` inverts the model: the ``p`` at which the optimal Treasury share equals an observed one.

References
----------
Markowitz, H. (1952), "Portfolio Selection", Journal of Finance 7(1).
Rockafellar, R. T. and Uryasev, S. (2000), "Optimization of Conditional Value-at-Risk", Journal of Risk 2(3).
Merton, R. C. (1976), "Option Pricing When Underlying Stock Returns Are Discontinuous", JFE 3 (jump risk).
European Commission / US Treasury / UK HMT joint statements, 26 February 2022, and Bank of Russia, *Annual
Report 2022*: immobilisation of the Bank of Russia's reserves (≈$300bn of ≈$630bn).
Arslanalp, S., Eichengreen, B. and Simpson-Bell, C. (2023), "Gold as International Reserves: A Barbarous
Relic No More?", IMF WP/23/14: sanction risk as a driver of central-bank gold purchases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from geostress.errors import ScenarioError

#: Default ally participation in a freeze [assumption]: Russia 2022 was coalition-wide (EU, UK, Japan, Canada,
#: Switzerland joined the US); for China a weaker coalition is assumed.
DEFAULT_ALLY_PARTICIPATION = 0.5

#: Asset classes, in the order of every vector and matrix of this module.
ASSETS: tuple[str, ...] = (
    "ust_bills", "ust_2y", "ust_5y", "ust_10y", "ust_30y",
    "gold", "eur_sov", "other_ae_sov", "em_local", "mdb", "cash",
)  # fmt: skip
UST: tuple[int, ...] = tuple(i for i, a in enumerate(ASSETS) if a.startswith("ust_"))
N_ASSETS = len(ASSETS)
_PSD_TOL = 1e-10


def _vector(values: Sequence[float] | np.ndarray | dict[str, float], name: str) -> np.ndarray:
    """An asset vector from an array or an ``{asset: value}`` mapping (missing assets are an error)."""
    if isinstance(values, dict):
        unknown = set(values) - set(ASSETS)
        if unknown:
            raise ScenarioError(f"{name}: unknown assets {sorted(unknown)}; allowed: {', '.join(ASSETS)}")
        missing = [a for a in ASSETS if a not in values]
        if missing:
            raise ScenarioError(f"{name}: missing assets {missing}")
        values = [values[a] for a in ASSETS]
    arr = np.asarray(values, dtype=float)
    if arr.shape != (N_ASSETS,):
        raise ScenarioError(f"{name} needs {N_ASSETS} entries ({', '.join(ASSETS)}), got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ScenarioError(f"{name} contains NaN or inf")
    return arr


@dataclass(frozen=True)
class AssetModel:
    """Expected one-year USD returns and their covariance (no freeze).

    Attributes
    ----------
    mu
        (N,) expected annual return by asset, decimal.
    cov
        (N, N) annual covariance; must be symmetric positive semi-definite.
    """

    mu: np.ndarray
    cov: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "mu", _vector(self.mu, "asset model: mu"))
        cov = np.asarray(self.cov, dtype=float)
        if cov.shape != (N_ASSETS, N_ASSETS) or not np.all(np.isfinite(cov)):
            raise ScenarioError(f"asset model: cov must be a finite {N_ASSETS}×{N_ASSETS} matrix")
        if not np.allclose(cov, cov.T, atol=1e-12, rtol=0):
            raise ScenarioError("asset model: cov is not symmetric")
        low = float(np.linalg.eigvalsh(cov).min())
        if low < -_PSD_TOL * max(1.0, float(np.abs(cov).max())):
            raise ScenarioError(f"asset model: cov is not positive semi-definite (smallest eigenvalue {low:.3g})")
        object.__setattr__(self, "cov", cov)


@dataclass(frozen=True)
class FreezeRisk:
    """The sanction jump: probability ``p`` per year that a share ``loss`` of the exposed assets becomes unusable.

    Attributes
    ----------
    p
        Annual probability of a freeze, in [0, 1].
    loss
        Share L of an exposed asset lost (unusable) in the event, in [0, 1]; 1 = fully immobilised.
    exposure
        (N,) share of each asset inside the sanctioning jurisdiction(s), in [0, 1]: 1 for US assets when the US
        sanctions, a participation share for allies, 0 for gold held at home (immune).
    """

    p: float
    loss: float = 1.0
    exposure: np.ndarray = field(default_factory=lambda: np.zeros(N_ASSETS))

    def __post_init__(self) -> None:
        if not (np.isfinite(self.p) and 0.0 <= self.p <= 1.0):
            raise ScenarioError(f"freeze probability p={self.p} must lie in [0, 1] (a probability per year)")
        if not (np.isfinite(self.loss) and 0.0 <= self.loss <= 1.0):
            raise ScenarioError(f"freeze loss L={self.loss} must lie in [0, 1] (a share of the exposed assets)")
        exp = _vector(self.exposure, "freeze exposure")
        if np.any(exp < 0) or np.any(exp > 1):
            raise ScenarioError("freeze exposure: every entry must lie in [0, 1]")
        object.__setattr__(self, "exposure", exp)

    def with_p(self, p: float) -> FreezeRisk:
        return FreezeRisk(p, self.loss, self.exposure)

    def adjust(self, assets: AssetModel) -> tuple[np.ndarray, np.ndarray]:
        """Mean and covariance including the jump: ``μ − pLe`` and ``Σ + p(1−p)L²eeᵀ``."""
        jump = self.loss * self.exposure
        return assets.mu - self.p * jump, assets.cov + self.p * (1.0 - self.p) * np.outer(jump, jump)


@dataclass(frozen=True)
class Constraints:
    """Portfolio limits of the reserve manager.

    Attributes
    ----------
    lower, upper
        (N,) per-asset bounds on weights (concentration limits), 0 ≤ lower ≤ upper ≤ 1.
    liquidity
        (N,) liquidity score of each asset in [0, 1] (share sellable within a month at small cost).
    min_liquidity
        Floor on the portfolio's liquidity score ``Σ ℓᵢwᵢ``.
    turnover_cost
        (N,) cost per unit of weight traded (one way), decimal (0.0005 = 5 bp).
    """

    lower: np.ndarray
    upper: np.ndarray
    liquidity: np.ndarray = field(default_factory=lambda: np.ones(N_ASSETS))
    min_liquidity: float = 0.0
    turnover_cost: np.ndarray = field(default_factory=lambda: np.zeros(N_ASSETS))

    def __post_init__(self) -> None:
        lo, hi = _vector(self.lower, "constraints: lower"), _vector(self.upper, "constraints: upper")
        liq = _vector(self.liquidity, "constraints: liquidity")
        cost = _vector(self.turnover_cost, "constraints: turnover_cost")
        bad = [a for a, x, y in zip(ASSETS, lo, hi, strict=True) if not 0.0 <= x <= y <= 1.0]
        if bad:
            raise ScenarioError(f"constraints: bounds must satisfy 0 ≤ lower ≤ upper ≤ 1; violated for {bad}")
        if np.any(liq < 0) or np.any(liq > 1):
            raise ScenarioError("constraints: liquidity scores must lie in [0, 1]")
        if np.any(cost < 0):
            raise ScenarioError("constraints: turnover_cost must not be negative")
        if not 0.0 <= self.min_liquidity <= 1.0:
            raise ScenarioError(f"constraints: min_liquidity={self.min_liquidity} must lie in [0, 1]")
        for name, arr in (("lower", lo), ("upper", hi), ("liquidity", liq), ("turnover_cost", cost)):
            object.__setattr__(self, name, arr)
        self.check_feasible()

    def check_feasible(self) -> None:
        """Raise :class:`ScenarioError` naming the constraint when no portfolio can satisfy them all."""
        if self.lower.sum() > 1.0 + 1e-12:
            raise ScenarioError(f"infeasible constraints: lower bounds sum to {self.lower.sum():.4f} > 1")
        if self.upper.sum() < 1.0 - 1e-12:
            raise ScenarioError(f"infeasible constraints: upper bounds sum to {self.upper.sum():.4f} < 1")
        best = self.max_liquidity()
        if best < self.min_liquidity - 1e-12:
            raise ScenarioError(f"infeasible constraints: min_liquidity={self.min_liquidity:g} exceeds the most "
                                f"liquid portfolio the bounds allow ({best:.4f})")

    def max_liquidity(self) -> float:
        """Highest liquidity score any portfolio within the bounds reaches (greedy fill)."""
        w = self.lower.copy()
        room = 1.0 - w.sum()
        for i in np.argsort(-self.liquidity, kind="stable"):
            add = min(room, self.upper[i] - w[i])
            w[i] += add
            room -= add
        return float(self.liquidity @ w)

    def satisfied(self, w: np.ndarray, tol: float = 1e-6) -> bool:
        """Whether ``w`` sums to 1 and respects every bound and the liquidity floor (within ``tol``)."""
        w = np.asarray(w, dtype=float)
        return bool(abs(w.sum() - 1.0) <= tol and np.all(w >= self.lower - tol) and np.all(w <= self.upper + tol)
                    and self.liquidity @ w >= self.min_liquidity - tol)


@dataclass(frozen=True)
class Solution:
    """An optimal portfolio."""

    weights: np.ndarray
    method: str
    objective: float
    expected_return: float
    volatility: float

    @property
    def ust_share(self) -> float:
        return float(self.weights[list(UST)].sum())

    def as_dict(self) -> dict[str, float]:
        return {a: float(w) for a, w in zip(ASSETS, self.weights, strict=True)}


def _clean(w: np.ndarray, cons: Constraints) -> np.ndarray:
    w = np.clip(w, cons.lower, cons.upper)
    return w / w.sum()


def optimise_mv(
    assets: AssetModel,
    freeze: FreezeRisk,
    cons: Constraints,
    *,
    risk_aversion: float,
    current: np.ndarray | None = None,
) -> Solution:
    """Mean–variance optimum ``max wᵀμ_p − γ/2·wᵀΣ_pw − cᵀ|w − w₀|`` under the constraints (SLSQP).

    Parameters
    ----------
    assets, freeze, cons
        Returns, the freeze jump and the limits.
    risk_aversion
        γ > 0.
    current
        Current weights w₀ for turnover costs; ``None`` means no turnover cost (a fresh portfolio).

    Returns
    -------
    Solution
    """
    from scipy.optimize import minimize  # (imported here: the contagion block imports this module)

    if not (np.isfinite(risk_aversion) and risk_aversion > 0):
        raise ScenarioError(f"risk_aversion={risk_aversion} must be a positive number")
    mu, cov = freeze.adjust(assets)
    n = N_ASSETS
    cost = cons.turnover_cost if current is not None else np.zeros(n)
    w0 = _vector(current, "current weights") if current is not None else np.full(n, 1.0 / n)
    trade = bool(np.any(cost > 0))
    # the objective is O(1e-2) in decimals; ×100 below puts it in percent for SLSQP's tolerances. Above γ = 100
    # (the scenario field's bound) it is also divided by γ/100, which leaves the optimum unchanged but keeps the
    # variance term and its gradient O(1): unscaled, γ = 1e9 makes SLSQP's line search fail ("Inequality
    # constraints incompatible"), while the scaled problem tends to the minimum-variance portfolio as γ grows
    scale = min(1.0, 100.0 / risk_aversion)
    k = 3 * n if trade else n

    def split(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return (x[:n], x[n:2 * n], x[2 * n:]) if trade else (x, np.zeros(n), np.zeros(n))

    def fun(x: np.ndarray) -> float:
        w, u, v = split(x)
        return -scale * 100.0 * (w @ mu - 0.5 * risk_aversion * w @ cov @ w - cost @ (u + v))

    def jac(x: np.ndarray) -> np.ndarray:
        w, _, _ = split(x)
        g = -scale * 100.0 * (mu - risk_aversion * cov @ w)
        return np.concatenate([g, scale * 100.0 * cost, scale * 100.0 * cost]) if trade else g

    a_sum = np.zeros(k)
    a_sum[:n] = 1.0
    a_liq = np.zeros(k)
    a_liq[:n] = cons.liquidity
    constraints: list[dict[str, object]] = [
        {"type": "eq", "fun": lambda x: x @ a_sum - 1.0, "jac": lambda x: a_sum},
        {"type": "ineq", "fun": lambda x: x @ a_liq - cons.min_liquidity, "jac": lambda x: a_liq},
    ]
    if trade:
        a_turn = np.hstack([np.eye(n), -np.eye(n), np.eye(n)])  # w − u + v = w0
        constraints.append({"type": "eq", "fun": lambda x: a_turn @ x - w0, "jac": lambda x: a_turn})
    bounds = list(zip(cons.lower, cons.upper, strict=True)) + ([(0.0, 1.0)] * (2 * n) if trade else [])
    start_w = _feasible_start(cons)
    x0 = np.concatenate([start_w, np.maximum(start_w - w0, 0), np.maximum(w0 - start_w, 0)]) if trade else start_w
    res = minimize(fun, x0, jac=jac, bounds=bounds, constraints=constraints, method="SLSQP",
                   options={"maxiter": 500, "ftol": 1e-12})
    w = _clean(split(res.x)[0], cons)
    # status 8 ("positive directional derivative in line search") is SLSQP stopping at the optimum of a
    # badly scaled problem; accept it when the point is feasible
    if not (res.success or res.status == 8) or not cons.satisfied(w, tol=1e-5):
        raise ScenarioError(f"mean–variance optimisation failed ({res.message}); check that the constraints are "
                            "feasible and the covariance is positive semi-definite")
    return Solution(w, "mv", float(-res.fun / (100.0 * scale)), float(w @ mu), float(np.sqrt(max(w @ cov @ w, 0))))


def _feasible_start(cons: Constraints) -> np.ndarray:
    """A feasible point: the liquidity-greedy fill blended with the bounds' midpoint direction."""
    w = cons.lower.copy()
    room = 1.0 - w.sum()
    for i in np.argsort(-cons.liquidity, kind="stable"):
        add = min(room, cons.upper[i] - w[i])
        w[i] += add
        room -= add
    return w


def scenario_returns(
    assets: AssetModel, freeze: FreezeRisk, *, scenarios: int = 4000, seed: int = 20260201
) -> np.ndarray:
    """Simulated one-year returns ``(S, N)``: Gaussian returns plus the freeze jump with probability ``p``.

    The same seed gives the same normal draws and uniforms for every ``p`` (common random numbers), so a path
    is frozen at ``p`` only if it is frozen at every larger ``p``.
    """
    if scenarios < 100:
        raise ScenarioError(f"scenarios={scenarios}: use at least 100 for a CVaR estimate")
    rng = np.random.default_rng(seed)
    vals, vecs = np.linalg.eigh(assets.cov)
    root = vecs * np.sqrt(np.clip(vals, 0, None))
    z = rng.standard_normal((scenarios, N_ASSETS))
    jump = rng.random(scenarios) < freeze.p
    return assets.mu + z @ root.T - np.outer(jump, freeze.loss * freeze.exposure)


def optimise_cvar(
    assets: AssetModel,
    freeze: FreezeRisk,
    cons: Constraints,
    *,
    cvar_weight: float = 1.0,
    alpha: float = 0.95,
    current: np.ndarray | None = None,
    scenarios: int = 4000,
    seed: int = 20260201,
) -> Solution:
    """Mean–CVaR optimum as the Rockafellar–Uryasev LP: ``max wᵀr̄ − κ·CVaR_α(−wᵀr) − cᵀ(u+v)`` (HiGHS).

    Variables ``[w, u, v, ζ, z]``: ``zₛ ≥ −rₛᵀw − ζ``, ``zₛ ≥ 0``, ``CVaR = ζ + Σzₛ/((1−α)S)``.
    """
    from scipy.optimize import linprog  # (imported here: the contagion block imports this module)

    if not 0.5 <= alpha < 1.0:
        raise ScenarioError(f"CVaR level alpha={alpha} must lie in [0.5, 1)")
    if not (np.isfinite(cvar_weight) and cvar_weight >= 0):
        raise ScenarioError(f"cvar_weight={cvar_weight} must be a non-negative number")
    r = scenario_returns(assets, freeze, scenarios=scenarios, seed=seed)
    s, n = r.shape
    cost = cons.turnover_cost if current is not None else np.zeros(n)
    w0 = _vector(current, "current weights") if current is not None else np.zeros(n)
    rbar = r.mean(axis=0)
    # variables: w (n), u (n), v (n), zeta (1), z (s)
    c = np.concatenate([-rbar, cost, cost, [cvar_weight], np.full(s, cvar_weight / ((1 - alpha) * s))])
    a_ub = np.zeros((s + 1, 3 * n + 1 + s))
    a_ub[:s, :n] = -r  # −rₛᵀw − ζ − zₛ ≤ 0
    a_ub[:s, 3 * n] = -1.0
    a_ub[:s, 3 * n + 1:] = -np.eye(s)
    a_ub[s, :n] = -cons.liquidity
    b_ub = np.concatenate([np.zeros(s), [-cons.min_liquidity]])
    a_eq = np.zeros((n + 1, 3 * n + 1 + s))
    a_eq[0, :n] = 1.0
    a_eq[1:, :n] = np.eye(n)
    a_eq[1:, n:2 * n] = -np.eye(n)
    a_eq[1:, 2 * n:3 * n] = np.eye(n)
    b_eq = np.concatenate([[1.0], w0])
    if current is None:  # no turnover: drop the w − u + v = w0 rows
        a_eq, b_eq = a_eq[:1], b_eq[:1]
    bounds = (list(zip(cons.lower, cons.upper, strict=True)) + [(0, None)] * (2 * n) + [(None, None)]
              + [(0, None)] * s)
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if res.status != 0:
        raise ScenarioError(f"CVaR optimisation failed: {res.message}; check that the constraints are feasible")
    w = _clean(res.x[:n], cons)
    port = r @ w
    return Solution(w, "cvar", float(-res.fun), float(port.mean()), float(port.std()))


def optimise(
    assets: AssetModel,
    freeze: FreezeRisk,
    cons: Constraints,
    *,
    method: str = "mv",
    risk_aversion: float = 8.0,
    current: np.ndarray | None = None,
    **cvar: float,
) -> Solution:
    """Dispatch to :func:`optimise_mv` (``method="mv"``) or :func:`optimise_cvar` (``"cvar"``)."""
    if method == "mv":
        return optimise_mv(assets, freeze, cons, risk_aversion=risk_aversion, current=current)
    if method == "cvar":
        return optimise_cvar(assets, freeze, cons, current=current, **cvar)  # type: ignore[arg-type]
    raise ScenarioError(f"optimisation method {method!r}: use 'mv' (mean–variance) or 'cvar'")


def plain_mean_variance(mu: np.ndarray, cov: np.ndarray, risk_aversion: float) -> np.ndarray:
    """Closed-form mean–variance weights with only the budget constraint: ``w = Σ⁻¹(μ − η1)/γ``, ``Σw = 1``.

    The reference the constrained optimiser must reproduce when bounds do not bind, p = 0 and no turnover cost.
    """
    inv_mu = np.linalg.solve(cov, mu)
    inv_one = np.linalg.solve(cov, np.ones(len(mu)))
    eta = (inv_mu.sum() - risk_aversion) / inv_one.sum()
    return (inv_mu - eta * inv_one) / risk_aversion


def rebalancing_path(current: np.ndarray, target: np.ndarray, max_pace: float) -> np.ndarray:
    """Monthly weights from ``current`` to ``target``, trading at most ``max_pace`` of the portfolio a month.

    Turnover is one-way (the sum of the weights sold, equal to the sum bought). The path is a straight line in
    weight space, so every month's portfolio is a convex combination of the two ends and satisfies any convex
    constraint both satisfy. Returns ``(months + 1, N)``: row 0 is ``current``, the last row ``target``.
    """
    if not (np.isfinite(max_pace) and 0.0 < max_pace <= 1.0):
        raise ScenarioError(f"max_pace={max_pace} must lie in (0, 1] (share of the portfolio traded per month)")
    w0, w1 = _vector(current, "current weights"), _vector(target, "target weights")
    turnover = float(np.maximum(w0 - w1, 0).sum())
    months = int(np.ceil(turnover / max_pace - 1e-12)) if turnover > 1e-12 else 0
    steps = np.minimum(np.arange(months + 1) * max_pace / turnover, 1.0) if months else np.zeros(1)
    path = w0 + np.outer(steps, w1 - w0)
    path[-1] = w1  # exactly the target (no rounding residue)
    return path


def implied_p(
    observed_ust_share: float,
    assets: AssetModel,
    freeze: FreezeRisk,
    cons: Constraints,
    *,
    risk_aversion: float = 8.0,
    p_max: float = 0.5,
    xtol: float = 1e-5,
) -> tuple[float, str]:
    """The freeze probability at which the mean–variance Treasury share equals ``observed_ust_share``.

    Uses that the optimal Treasury share does not rise with ``p`` (tested property). Returns ``(p, flag)`` where
    flag is ``"interior"``, ``"at_zero"`` (observed share at or above the p = 0 optimum: p censored at 0) or
    ``"at_max"`` (below the ``p_max`` optimum: censored at ``p_max``).
    """
    from scipy.optimize import brentq  # (imported here: the contagion block imports this module)

    if not 0.0 <= observed_ust_share <= 1.0:
        raise ScenarioError(f"observed Treasury share {observed_ust_share} must lie in [0, 1]")

    def gap(p: float) -> float:
        return optimise_mv(assets, freeze.with_p(p), cons, risk_aversion=risk_aversion).ust_share - observed_ust_share

    g0 = gap(0.0)
    if g0 <= 0:
        return 0.0, "at_zero"
    g1 = gap(p_max)
    if g1 >= 0:
        return p_max, "at_max"
    return float(brentq(gap, 0.0, p_max, xtol=xtol)), "interior"


def freeze_treasury_reduction(
    freeze_pp: np.ndarray | float, reduction_per_pp: np.ndarray | float, exposed_share: np.ndarray | float = 1.0
) -> np.ndarray:
    """Share of official Treasury holdings a rise in perceived freeze risk moves out (the threat → reserves link).

    A reserve manager whose perceived annual freeze probability rises by ``freeze_pp`` percentage points cuts its
    Treasury target by ``min(reduction_per_pp · freeze_pp, 1)`` of its holdings (a fall in perceived risk gives
    nothing back through this term: the cut is floored at 0); only ``exposed_share`` of official holdings sits with
    managers who perceive the risk. The slope is the reserve optimiser's own response along China's observed path
    (:func:`geostress.calibrate.reserves.freeze_reduction_per_pp`: Treasury share 35.11% → 22.34% of reserves while
    the implied p rose 0.525% → 1.400%, means of the first and last 12 months of China's path, ≈0.42 per pp). The
    contagion block reaches the target at the officials' diversification pace (:mod:`geostress.model.contagion`),
    so the effect is slow and persistent.

    Parameters
    ----------
    freeze_pp
        Rise in perceived annual freeze probability, percentage points (scalar or array).
    reduction_per_pp
        Relative cut of the Treasury target per pp (≥ 0).
    exposed_share
        Share of the holdings concerned, in [0, 1].

    Returns
    -------
    numpy.ndarray
        The share of holdings to move out, in [0, exposed_share].
    """
    cut = np.clip(np.multiply(reduction_per_pp, freeze_pp), 0.0, 1.0)
    return np.multiply(exposed_share, cut)
