"""LEGACY (issue 14): the absorbing-threshold contagion block that :mod:`geostress.model.contagion` replaces.

Kept only so that ``run/coupled.py``, the report and the old validation check keep running until the coupled loop
is rebuilt on the new interface; delete this module then. New code must use :mod:`geostress.model.contagion`.

Threshold contagion among Treasury investors (the demonstration effect), with agents held in arrays.

Pure numerics: arrays and frozen parameter dataclasses in, arrays out. No I/O, no data layer.

Many small investors (10^6 and more) each hold a threshold θ_i ≥ 0 and sell once the signal they perceive reaches
it (selling is absorbing: an agent sells once). The signal agent i perceives in a month is

    s_i = w_global · x                      (visible seller fraction, the Granovetter peer signal)
        + w_network · y_i                   (share of the investors i watches that have sold, optional)
        + w_yield · Δy + w_debt · Δ(debt/GDP) + w_interest · Δ(interest/revenue)   (market and fiscal news)
        + w_announce · (m · public + private)                                     (announcements)
        + σ · ε_i                           (the agent's own persistent private noise)

where ``m`` = :attr:`ContagionParams.public_multiplier` > 1: a public announcement weighs more than a private
signal of equal size, because in a coordination game a signal everyone knows everyone saw moves expectations of
what the others will do (Morris and Shin 1998, 2002). A few named institutional holders (the top TIC countries,
a named pension fund) are agents with their own rules: a scheduled sale (USD bn per month) and a discretionary
sale of their remaining holdings proportional to how far the public part of the signal exceeds their trigger.
An announced sale by an outside party (``Signals.announced_sale_bn``, e.g. "a pension fund sells $0.1bn citing US
solvency") is executed in full: its own price impact is tiny, its power is the public signal it carries.

Each month :func:`step` returns the new selling in USD bn (investors + named holders + announced sales) for the
market module to clear. With :attr:`ContagionParams.enabled` false the investors never sell and named holders
only execute their schedules, so total selling equals the scheduled sales exactly.

Mean field. With only common signals (no network, no private noise) the sellers at any time are the investors
whose threshold lies below the running maximum of the signal, so the seller fraction is x = F(max_t s_t) with F
the threshold CDF, and with a constant exogenous signal e the cascade started from nobody converges to the least
fixed point of x = F(w x + e) (Granovetter 1978): :func:`cascade_fixed_point` computes it, and
:func:`mean_field_step` advances that reduced state vectorised over paths at O(paths) per month. Small changes in
F can move the least fixed point from 0 to 1 (Granovetter's 100-agent riot); with a network, global cascades need
a percolating cluster of vulnerable nodes (Watts 2002).

References
----------
Granovetter, M. (1978), "Threshold Models of Collective Behavior", American Journal of Sociology 83(6): 1420–1443.
Watts, D. J. (2002), "A Simple Model of Global Cascades on Random Networks", PNAS 99(9): 5766–5771.
Morris, S. and Shin, H. S. (1998), "Unique Equilibrium in a Model of Self-Fulfilling Currency Attacks", AER 88(3).
Morris, S. and Shin, H. S. (2002), "Social Value of Public Information", AER 92(5): 1521–1534.
Cont, R. and Schaanning, E. (2017), "Fire Sales, Indirect Contagion and Systemic Stress Testing", Norges Bank
Working Paper 2/2017 (price impact of the resulting sales, applied in the market module).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from numba import njit, prange
from scipy import optimize, special

from geostress.errors import ScenarioError

THRESHOLD_KINDS: tuple[str, ...] = ("uniform", "normal", "beta")


# -- parameters ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ThresholdDistribution:
    """Distribution of investor thresholds (in signal units; the peer signal is a fraction in [0, 1]).

    Attributes
    ----------
    kind
        ``"uniform"`` on [low, high]; ``"normal"`` with ``mean`` and ``sd`` truncated to [0, ∞); ``"beta"`` with
        shapes ``alpha``, ``beta`` rescaled to [low, high].
    low, high
        Support of the uniform and beta kinds (``low`` ≥ 0).
    mean, sd
        Location and scale of the (truncated) normal kind.
    alpha, beta
        Shapes of the beta kind.
    seed_fraction
        Share of investors with threshold exactly 0 (Granovetter's instigators): they sell as soon as the signal
        is non-negative.
    """

    kind: str = "normal"
    low: float = 0.0
    high: float = 1.0
    mean: float = 0.35
    sd: float = 0.15
    alpha: float = 2.0
    beta: float = 5.0
    seed_fraction: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in THRESHOLD_KINDS:
            raise ScenarioError(f"threshold distribution kind {self.kind!r} is not one of {', '.join(THRESHOLD_KINDS)}")
        values = (self.low, self.high, self.mean, self.sd, self.alpha, self.beta, self.seed_fraction)
        if not all(np.isfinite(v) for v in values):
            raise ScenarioError("threshold distribution: parameters must be finite numbers (found NaN or inf)")
        if self.kind in ("uniform", "beta"):
            if self.low < 0:
                raise ScenarioError(f"threshold distribution: low = {self.low} is negative; thresholds must be ≥ 0")
            if self.high <= self.low:
                raise ScenarioError(f"threshold distribution: high = {self.high} must exceed low = {self.low}")
        if self.kind == "normal" and self.sd <= 0:
            raise ScenarioError(f"threshold distribution: sd = {self.sd} must be positive")
        if self.kind == "beta" and (self.alpha <= 0 or self.beta <= 0):
            raise ScenarioError("threshold distribution: beta shapes alpha and beta must be positive")
        if not 0.0 <= self.seed_fraction <= 1.0:
            raise ScenarioError(f"threshold distribution: seed_fraction = {self.seed_fraction} must lie in [0, 1]")

    def _base_cdf(self, x: np.ndarray) -> np.ndarray:
        if self.kind == "uniform":
            return np.clip((x - self.low) / (self.high - self.low), 0.0, 1.0)
        if self.kind == "beta":
            z = np.clip((x - self.low) / (self.high - self.low), 0.0, 1.0)
            return special.betainc(self.alpha, self.beta, z)
        lo = special.ndtr(-self.mean / self.sd)  # mass below 0, removed by the truncation
        raw = special.ndtr((np.maximum(x, 0.0) - self.mean) / self.sd)
        return np.where(x < 0, 0.0, (raw - lo) / (1.0 - lo))

    def cdf(self, x: float | np.ndarray) -> np.ndarray:
        """P(θ ≤ x), seeds included (a point mass of ``seed_fraction`` at 0)."""
        x = np.asarray(x, dtype=float)
        s0 = self.seed_fraction
        return np.where(x < 0, 0.0, s0 + (1.0 - s0) * self._base_cdf(x))

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Draw ``n`` thresholds (float64, all ≥ 0); the first ``round(seed_fraction·n)`` are the seeds (0)."""
        if self.kind == "uniform":
            out = rng.uniform(self.low, self.high, n)
        elif self.kind == "beta":
            out = self.low + (self.high - self.low) * rng.beta(self.alpha, self.beta, n)
        else:  # inverse-CDF draw from the normal truncated to [0, inf)
            lo = special.ndtr(-self.mean / self.sd)
            u = lo + (1.0 - lo) * rng.random(n)
            out = np.maximum(self.mean + self.sd * special.ndtri(u), 0.0)
        out[: int(round(self.seed_fraction * n))] = 0.0
        return out


@dataclass(frozen=True)
class ContagionParams:
    """Weights of the signal components and the investors' selling rule.

    Attributes
    ----------
    peer_global
        Weight on the visible global seller fraction x ∈ [0, 1] (Granovetter; 1 = thresholds are fractions).
    peer_network
        Weight on the share of watched investors that have sold (needs a network in the state; 0 = off).
    yield_weight
        Per bp of 10-year yield change since the start.
    debt_weight
        Per percentage point of debt/GDP above its baseline.
    interest_weight
        Per percentage point of interest/revenue above its baseline.
    announcement_weight
        Per unit of announcement intensity (a private signal of size 1 adds this much).
    public_multiplier
        How many times a public announcement outweighs a private one of equal size (≥ 1; Morris and Shin).
    private_noise_sd
        Standard deviation of each investor's persistent private noise, in signal units.
    thresholds
        The threshold distribution investors are drawn from by :func:`init_state`.
    holdings_per_agent
        USD bn each investor holds (10^6 investors × 0.001 = USD 1 tn).
    sell_fraction
        Share of its holdings an investor sells when it crosses its threshold, in (0, 1].
    enabled
        ``False`` switches contagion off: investors never sell and named holders only execute their schedules.
    """

    peer_global: float = 1.0
    peer_network: float = 0.0
    yield_weight: float = 0.001
    debt_weight: float = 0.005
    interest_weight: float = 0.01
    announcement_weight: float = 0.05
    public_multiplier: float = 3.0
    private_noise_sd: float = 0.0
    thresholds: ThresholdDistribution = field(default_factory=ThresholdDistribution)
    holdings_per_agent: float = 0.001
    sell_fraction: float = 1.0
    enabled: bool = True

    def __post_init__(self) -> None:
        names = ("peer_global", "peer_network", "yield_weight", "debt_weight", "interest_weight",
                 "announcement_weight", "public_multiplier", "private_noise_sd", "holdings_per_agent", "sell_fraction")
        for name in names:
            value = getattr(self, name)
            if not np.isfinite(value):
                raise ScenarioError(f"contagion parameter {name!r} must be a finite number, got {value!r}")
        for name in ("peer_global", "peer_network", "private_noise_sd", "holdings_per_agent", "announcement_weight"):
            if getattr(self, name) < 0:
                raise ScenarioError(f"contagion parameter {name!r} must not be negative, got {getattr(self, name)}")
        if self.public_multiplier < 1:
            raise ScenarioError(f"public_multiplier = {self.public_multiplier} must be ≥ 1: public signals weigh at "
                                "least as much as private ones")
        if not 0.0 < self.sell_fraction <= 1.0:
            raise ScenarioError(f"sell_fraction = {self.sell_fraction} must lie in (0, 1]")


# -- state --------------------------------------------------------------------------------------------------------
def validate_network(network: sp.spmatrix | sp.sparray, n_agents: int) -> sp.csr_matrix:
    """Check a who-watches-whom matrix and return it row-normalised (row i averages the investors i watches).

    Raises :class:`~geostress.errors.ScenarioError` on a wrong shape, indices outside 0..n_agents−1 (dangling
    links), a malformed row pointer, or NaN, infinite or negative weights. Rows with no links give 0.
    """
    if not sp.issparse(network):
        raise ScenarioError("network must be a scipy.sparse matrix (CSR), e.g. from network_from_neighbours()")
    if network.shape != (n_agents, n_agents):
        raise ScenarioError(f"network has shape {network.shape}, expected ({n_agents}, {n_agents}) for {n_agents} "
                            "investors")
    if network.format != "csr":
        network = network.tocsr()
    indptr, indices, data = network.indptr, network.indices, network.data
    if len(indptr) != n_agents + 1 or indptr[0] != 0 or np.any(np.diff(indptr) < 0) or indptr[-1] != len(indices):
        raise ScenarioError("network: malformed CSR row pointer (indptr must rise from 0 to the number of links)")
    if len(indices) and (indices.min() < 0 or indices.max() >= n_agents):
        bad = indices[(indices < 0) | (indices >= n_agents)]
        raise ScenarioError(f"network: {bad.size} link(s) point outside investors 0..{n_agents - 1} (dangling index, "
                            f"e.g. {int(bad[0])}); fix the neighbour list before the run")
    if len(data) != len(indices):
        raise ScenarioError("network: data and indices differ in length")
    if not np.all(np.isfinite(data)):
        raise ScenarioError("network: link weights contain NaN or inf")
    if np.any(data < 0):
        raise ScenarioError("network: link weights must not be negative")
    weights = np.asarray(network.sum(axis=1)).ravel()
    inv = np.divide(1.0, weights, out=np.zeros_like(weights), where=weights > 0)
    out = sp.csr_matrix((data.astype(np.float32) * inv.astype(np.float32)[np.repeat(np.arange(n_agents), np.diff(indptr))],
                         indices.astype(np.int32, copy=False), indptr.astype(np.int64, copy=False)),
                        shape=(n_agents, n_agents))
    return out


def network_from_neighbours(neighbours: np.ndarray) -> sp.csr_matrix:
    """Build a who-watches-whom CSR matrix from an (N, k) array: row i lists the k investors i watches.

    Indices are checked (0..N−1) before anything is built.
    """
    nb = np.asarray(neighbours)
    if nb.ndim != 2 or not np.issubdtype(nb.dtype, np.integer):
        raise ScenarioError("neighbours must be a 2-D integer array (investors × neighbours)")
    n, k = nb.shape
    if nb.size and (nb.min() < 0 or nb.max() >= n):
        raise ScenarioError(f"neighbours: indices must lie in 0..{n - 1}; found {int(nb.min())}..{int(nb.max())} "
                            "(dangling index)")
    indptr = np.arange(0, n * k + 1, k, dtype=np.int64)
    return sp.csr_matrix((np.ones(n * k, dtype=np.float32), nb.astype(np.int32).ravel(), indptr), shape=(n, n))


def random_network(n_agents: int, k: int, seed: int = 0) -> sp.csr_matrix:
    """Each investor watches ``k`` others drawn uniformly (self-links allowed, negligible for large N)."""
    rng = np.random.default_rng(seed)
    return network_from_neighbours(rng.integers(0, n_agents, size=(n_agents, k), dtype=np.int32))


@dataclass(frozen=True)
class InvestorState:
    """The many small investors, as arrays.

    Attributes
    ----------
    thresholds
        (N,) thresholds θ_i ≥ 0, shared by every path.
    holdings
        (N,) USD bn each investor holds.
    sold
        (P, N) booleans: has investor i sold on path p.
    noise
        (N,) persistent private noise ε_i (in signal units) or ``None``.
    network
        Row-normalised (N, N) CSR who-watches-whom matrix (see :func:`validate_network`) or ``None``.
    """

    thresholds: np.ndarray
    holdings: np.ndarray
    sold: np.ndarray
    noise: np.ndarray | None = None
    network: sp.csr_matrix | None = None

    def __post_init__(self) -> None:
        th, h, s = np.asarray(self.thresholds), np.asarray(self.holdings), np.asarray(self.sold)
        if th.ndim != 1 or th.size == 0:
            raise ScenarioError("investors: thresholds must be a non-empty 1-D array")
        n = th.size
        if not np.all(np.isfinite(th)):
            raise ScenarioError("investors: thresholds contain NaN or inf")
        if th.min() < 0:
            raise ScenarioError(f"investors: {int(np.sum(th < 0))} negative threshold(s) (min {th.min():.4g}); "
                                "thresholds must be ≥ 0 (use 0 for instigators)")
        if h.shape != (n,) or not np.all(np.isfinite(h)) or h.min() < 0:
            raise ScenarioError(f"investors: holdings must be {n} finite, non-negative numbers (USD bn)")
        if s.ndim != 2 or s.shape[1] != n or s.dtype != bool:
            raise ScenarioError(f"investors: sold must be a boolean (paths, {n}) array")
        if self.noise is not None and (np.shape(self.noise) != (n,) or not np.all(np.isfinite(self.noise))):
            raise ScenarioError(f"investors: noise must be {n} finite numbers")

    @property
    def n_agents(self) -> int:
        return self.thresholds.size

    @property
    def n_paths(self) -> int:
        return self.sold.shape[0]


@dataclass(frozen=True)
class NamedHolders:
    """Named institutional holders (top TIC countries, large funds) with their own rules.

    Attributes
    ----------
    names
        (H,) names.
    holdings
        (H,) USD bn held at the start.
    schedule
        (H, T) scheduled sales, USD bn per month (month t = the t-th call of :func:`step`); past T nothing is
        scheduled. Build one with :func:`scheduled_sale`.
    sensitivity
        (H,) share of remaining holdings sold per month per unit of public signal above the trigger.
    trigger
        (H,) level of the public signal at which discretionary selling starts.
    """

    names: tuple[str, ...]
    holdings: np.ndarray
    schedule: np.ndarray
    sensitivity: np.ndarray
    trigger: np.ndarray

    def __post_init__(self) -> None:
        h = len(self.names)
        if len(set(self.names)) != h:
            raise ScenarioError("named holders: names must be unique")
        for name in ("holdings", "sensitivity", "trigger"):
            arr = np.asarray(getattr(self, name), dtype=float)
            if arr.shape != (h,) or not np.all(np.isfinite(arr)):
                raise ScenarioError(f"named holders: {name} must be {h} finite numbers")
        sched = np.asarray(self.schedule, dtype=float)
        if sched.ndim != 2 or sched.shape[0] != h or not np.all(np.isfinite(sched)):
            raise ScenarioError(f"named holders: schedule must be a finite ({h}, months) array")
        if np.any(sched < 0) or np.any(np.asarray(self.holdings) < 0) or np.any(np.asarray(self.sensitivity) < 0):
            raise ScenarioError("named holders: holdings, schedule and sensitivity must not be negative")
        over = sched.sum(axis=1) > np.asarray(self.holdings) * (1 + 1e-12)
        if np.any(over):
            who = [n for n, o in zip(self.names, over, strict=True) if o]
            raise ScenarioError(f"named holders: scheduled sales exceed holdings for {', '.join(who)}")

    @property
    def months(self) -> int:
        return self.schedule.shape[1]


def scheduled_sale(holdings: dict[str, float], seller: str, amount_bn: float, months: int, *, start: int = 0,
                   horizon: int = 120) -> np.ndarray:
    """Schedule ``amount_bn`` sold evenly by ``seller`` over ``months`` months from month ``start``.

    Returns the (H, horizon) schedule in the order of ``holdings`` (other holders: zeros).
    """
    if seller not in holdings:
        raise ScenarioError(f"scheduled sale: unknown holder {seller!r}; known: {', '.join(holdings)}")
    if months < 1 or start < 0 or start + months > horizon or amount_bn < 0 or not np.isfinite(amount_bn):
        raise ScenarioError(f"scheduled sale: {amount_bn} bn over {months} months from month {start} does not fit "
                            f"a {horizon}-month horizon (or is negative)")
    out = np.zeros((len(holdings), horizon))
    out[list(holdings).index(seller), start:start + months] = amount_bn / months
    return out


@dataclass(frozen=True)
class ContagionState:
    """Everything that changes month to month: investors, named holders' remaining holdings, the month."""

    investors: InvestorState
    holders: NamedHolders | None = None
    holder_remaining: np.ndarray | None = None  # (P, H) USD bn
    month: int = 0
    sold_count: np.ndarray | None = None  # (P,) cached number of sellers (filled by step)


@dataclass(frozen=True)
class Signals:
    """The month's news. Each field is a scalar or a (P,) array (one value per path).

    Attributes
    ----------
    yield_change_bp
        10-year yield change since the start, bp.
    debt_to_gdp_pp, interest_to_revenue_pp
        Fiscal news: debt/GDP and interest/revenue above baseline, percentage points.
    public
        Intensity of public announcements this month (e.g. 1 = one named fund publicly citing US solvency).
    private
        Intensity of private signals of the same kind (seen by every investor, not common knowledge).
    announced_sale_bn
        USD bn sold by outside parties whose sales were announced (executed in full, contagion or not).
    """

    yield_change_bp: float | np.ndarray = 0.0
    debt_to_gdp_pp: float | np.ndarray = 0.0
    interest_to_revenue_pp: float | np.ndarray = 0.0
    public: float | np.ndarray = 0.0
    private: float | np.ndarray = 0.0
    announced_sale_bn: float | np.ndarray = 0.0


class StepResult(NamedTuple):
    """What :func:`step` returns: the new state and this month's new selling (USD bn)."""

    state: ContagionState
    selling: np.ndarray  # (P,) total new selling, USD bn
    investor_selling: np.ndarray  # (P,)
    holder_selling: np.ndarray  # (P, H)
    seller_fraction: np.ndarray  # (P,) share of investors that have sold, after the step


def init_state(n_agents: int, params: ContagionParams, *, paths: int = 1, seed: int = 0,
               network: sp.spmatrix | None = None, holders: NamedHolders | None = None,
               thresholds: np.ndarray | None = None) -> ContagionState:
    """Draw thresholds (and private noise) for ``n_agents`` investors on ``paths`` paths; nobody has sold yet.

    ``thresholds`` overrides the draw from ``params.thresholds``; ``network`` is validated and row-normalised.
    """
    if n_agents < 1 or paths < 1:
        raise ScenarioError("contagion: need at least one investor and one path")
    rng = np.random.default_rng(seed)
    th = params.thresholds.sample(n_agents, rng) if thresholds is None else np.asarray(thresholds, dtype=float)
    noise = rng.standard_normal(n_agents) if params.private_noise_sd > 0 else None
    net = None if network is None else validate_network(network, n_agents)
    if params.peer_network > 0 and net is None:
        raise ScenarioError("contagion: peer_network > 0 needs a who-watches-whom network")
    investors = InvestorState(th, np.full(n_agents, params.holdings_per_agent), np.zeros((paths, n_agents), bool),
                              noise, net)
    remaining = None if holders is None else np.tile(np.asarray(holders.holdings, dtype=float), (paths, 1))
    return ContagionState(investors, holders, remaining, 0)


# -- dynamics -----------------------------------------------------------------------------------------------------
def public_signal(seller_fraction: np.ndarray, signals: Signals, params: ContagionParams) -> np.ndarray:
    """The common-knowledge part of the signal, (P,): peer selling, yields, fiscal news, public announcements."""
    return (params.peer_global * seller_fraction
            + params.yield_weight * np.asarray(signals.yield_change_bp, dtype=float)
            + params.debt_weight * np.asarray(signals.debt_to_gdp_pp, dtype=float)
            + params.interest_weight * np.asarray(signals.interest_to_revenue_pp, dtype=float)
            + params.announcement_weight * params.public_multiplier * np.asarray(signals.public, dtype=float))


def _with_sold(inv: InvestorState, sold: np.ndarray) -> InvestorState:
    """A copy of ``inv`` with new sold flags, skipping the (already passed) O(N) validation."""
    out = object.__new__(InvestorState)
    for name in ("thresholds", "holdings", "noise", "network"):
        object.__setattr__(out, name, getattr(inv, name))
    object.__setattr__(out, "sold", sold)
    return out


@njit(parallel=True, cache=True, nogil=True)
def _network_kernel(indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray, sold: np.ndarray, level: float,
                    w_network: float, thresholds: np.ndarray, noise: np.ndarray, noise_sd: float,
                    holdings: np.ndarray, out: np.ndarray) -> tuple[float, int]:  # pragma: no cover - compiled
    """One path's month with a network: ``out`` = sold flags after the month; returns the holdings newly sold
    and the number of sellers after the month."""
    n = thresholds.size
    has_noise = noise.size == n
    selling = 0.0
    count = 0
    for i in prange(n):
        if sold[i]:
            out[i] = 1
            count += 1
            continue
        acc = 0.0
        for j in range(indptr[i], indptr[i + 1]):
            acc += weights[j] * sold[indices[j]]
        s = level + w_network * acc
        if has_noise:
            s += noise_sd * noise[i]
        if s >= thresholds[i]:
            out[i] = 1
            selling += holdings[i]
            count += 1
        else:
            out[i] = 0
    return selling, count


@njit(parallel=True, cache=True, nogil=True)
def _common_kernel(sold: np.ndarray, level: float, thresholds: np.ndarray, noise: np.ndarray, noise_sd: float,
                   holdings: np.ndarray, out: np.ndarray) -> tuple[float, int]:  # pragma: no cover - compiled
    """One path's month without a network (one fused, branch-free pass; ≈5× a branchy loop on random flags);
    returns the holdings newly sold and the number of sellers after the month."""
    n = thresholds.size
    selling = 0.0
    count = 0
    if noise.size == n:
        for i in prange(n):
            was = sold[i]
            now = was | np.uint8(level + noise_sd * noise[i] >= thresholds[i])
            out[i] = now
            selling += holdings[i] * (now - was)
            count += now
    else:
        for i in prange(n):
            was = sold[i]
            now = was | np.uint8(level >= thresholds[i])
            out[i] = now
            selling += holdings[i] * (now - was)
            count += now
    return selling, count


def step(state: ContagionState, signals: Signals, params: ContagionParams) -> StepResult:
    """Advance one month: investors whose perceived signal reaches their threshold sell; named holders act.

    Synchronous update: every investor sees last month's seller fraction (and neighbours' choices).

    Parameters
    ----------
    state
        The current state (not modified).
    signals
        This month's news (scalars or (P,) arrays).
    params
        Signal weights and selling rule.

    Returns
    -------
    StepResult
        The new state and the new selling this month, USD bn, per path.
    """
    inv = state.investors
    p = inv.n_paths
    sold = inv.sold
    count = np.count_nonzero(sold, axis=1) if state.sold_count is None else state.sold_count
    fraction = count / inv.n_agents
    announced = np.broadcast_to(np.asarray(signals.announced_sale_bn, dtype=float), (p,))
    if np.any(announced < 0):
        raise ScenarioError("signals: announced_sale_bn must not be negative")
    common = np.broadcast_to(public_signal(fraction, signals, params), (p,))
    if not np.all(np.isfinite(common)):
        raise ScenarioError("signals: contain NaN or inf")

    if params.enabled:
        private = params.announcement_weight * np.broadcast_to(np.asarray(signals.private, dtype=float), (p,))
        level = common + private  # (P,)
        noisy = inv.noise is not None and params.private_noise_sd > 0
        if inv.network is not None and params.peer_network > 0:
            # scipy's CSR product costs ≈40 ms per 10^7 links (random gathers of a float vector); the fused kernel
            # skips investors who already sold and gathers from a byte array, several times faster.
            net = inv.network
            noise = inv.noise if noisy else np.zeros(0)
            after = np.empty_like(sold)
            gross, counts = np.empty(p), np.empty(p, dtype=np.int64)
            for k in range(p):
                gross[k], counts[k] = _network_kernel(net.indptr, net.indices, net.data, sold[k].view(np.uint8),
                                           float(level[k]), params.peer_network, inv.thresholds, noise,
                                           params.private_noise_sd, inv.holdings, after[k].view(np.uint8))
            investor_selling = params.sell_fraction * gross
            sold = after
        else:
            noise = inv.noise if noisy else np.zeros(0)
            after = np.empty_like(sold)
            gross, counts = np.empty(p), np.empty(p, dtype=np.int64)
            for k in range(p):
                gross[k], counts[k] = _common_kernel(sold[k].view(np.uint8), float(level[k]), inv.thresholds, noise,
                                          params.private_noise_sd, inv.holdings, after[k].view(np.uint8))
            investor_selling = params.sell_fraction * gross
            sold = after
    else:
        investor_selling = np.zeros(p)
        counts = count

    holder_selling = np.zeros((p, 0))
    remaining = state.holder_remaining
    if state.holders is not None and remaining is not None:
        hold = state.holders
        t = state.month
        sched = hold.schedule[:, t] if t < hold.months else np.zeros(len(hold.names))
        scheduled = np.minimum(sched[None, :], remaining)
        holder_selling = scheduled
        if params.enabled:
            excess = np.maximum(common[:, None] - np.asarray(hold.trigger)[None, :], 0.0)
            share = np.clip(np.asarray(hold.sensitivity)[None, :] * excess, 0.0, 1.0)
            holder_selling = scheduled + share * (remaining - scheduled)
        remaining = remaining - holder_selling

    total = investor_selling + holder_selling.sum(axis=1) + announced
    new_state = ContagionState(_with_sold(inv, sold), state.holders, remaining, state.month + 1, counts)
    new_fraction = counts / inv.n_agents
    return StepResult(new_state, total, investor_selling, holder_selling, new_fraction)


@dataclass(frozen=True)
class ContagionRun:
    """Monthly record of a run: (T, P) arrays, and (T, P, H) for the named holders."""

    state: ContagionState
    selling: np.ndarray
    investor_selling: np.ndarray
    holder_selling: np.ndarray
    seller_fraction: np.ndarray


def simulate(state: ContagionState, signals: list[Signals] | Signals, params: ContagionParams,
             months: int | None = None) -> ContagionRun:
    """Run :func:`step` month by month; ``signals`` is one per month, or one reused for ``months`` months."""
    if isinstance(signals, Signals):
        if months is None:
            raise ScenarioError("simulate: give months when one Signals is reused every month")
        signals = [signals] * months
    rows = []
    for sig in signals:
        res = step(state, sig, params)
        state = res.state
        rows.append(res)
    if not rows:
        raise ScenarioError("simulate: no months to run")
    return ContagionRun(state, np.stack([r.selling for r in rows]), np.stack([r.investor_selling for r in rows]),
                        np.stack([r.holder_selling for r in rows]), np.stack([r.seller_fraction for r in rows]))


# -- mean field ---------------------------------------------------------------------------------------------------
def cascade_fixed_point(dist: ThresholdDistribution, signal: float = 0.0, weight: float = 1.0) -> float:
    """Final seller fraction of the global-fraction threshold model, from nobody sold: the least x ∈ [0, 1] with

        x = F(weight · x + signal),

    F the threshold CDF (seeds included). The synchronous dynamics x_{t+1} = F(w x_t + e) from x_0 = 0 rise
    monotonically to it (Granovetter 1978). Found by a grid scan for the first downward crossing of
    F(w x + e) − x, refined with Brent's method.
    """
    if not (np.isfinite(signal) and np.isfinite(weight)) or weight < 0:
        raise ScenarioError("cascade_fixed_point: signal must be finite and weight a finite number ≥ 0")

    def gap(x: np.ndarray | float) -> np.ndarray:
        return dist.cdf(weight * np.asarray(x) + signal) - np.asarray(x)

    if gap(0.0) <= 0:
        return 0.0
    grid = np.linspace(0.0, 1.0, 20_001)
    g = gap(grid)
    below = np.flatnonzero(g < 0)
    if below.size == 0:
        return 1.0
    i = int(below[0])
    if g[i - 1] == 0:
        return float(grid[i - 1])
    return float(optimize.brentq(lambda x: float(gap(x)), grid[i - 1], grid[i], xtol=1e-14, rtol=1e-14))


def mean_field_step(peak: np.ndarray, signals: Signals, params: ContagionParams) -> tuple[np.ndarray, np.ndarray]:
    """Mean-field month for P paths at O(P): the state is the running maximum of the common signal.

    With common signals only (no network, no private noise) the sellers are exactly the investors with
    θ ≤ max_t s_t, so the seller fraction is F(peak). Start from ``peak = np.full(P, -np.inf)``.

    Returns
    -------
    (new_peak, seller_fraction)
        Both (P,); the new selling in USD bn is N · holdings_per_agent · sell_fraction · Δfraction.
    """
    if not params.enabled:
        return peak, np.zeros_like(peak)
    fraction = np.where(np.isfinite(peak), params.thresholds.cdf(np.where(np.isfinite(peak), peak, -1.0)), 0.0)
    level = public_signal(fraction, signals, params) + params.announcement_weight * np.asarray(signals.private)
    new_peak = np.maximum(peak, level)
    return new_peak, params.thresholds.cdf(new_peak)
