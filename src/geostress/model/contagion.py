"""Contagion and the trust contract: liquidity runs, confidence shifts and threats, as a mean field over paths.

Pure numerics: frozen parameter dataclasses and arrays in, arrays out. No I/O, no data layer.

Three holder classes (:data:`HOLDER_CLASSES`): foreign official (reserve managers), foreign private and domestic
private investors. Each class is a continuum of investors whose thresholds are drawn from a stated distribution;
the share of a class whose threshold lies below a signal is the threshold CDF at that signal (closed form), so a
month costs a few array operations over ``(n_paths, 3)`` whatever the number of investors behind it. Two
mechanisms, on two clocks:

**Liquidity runs (fast, reversible).** A run-stress index per path,

    s = liquidity_stress + a_tp · max(Δtp, 0) + a_peer · max(peer_sell_share, 0),

(``liquidity_stress`` = 1 is a March-2020 dash for cash; Δtp last month's 10-year term-premium change in bp) sets
each class's *run target* ``R*_c = m_c · F_c(s) · (1 − relief_c · backstop)``: ``F_c`` the CDF of the class's run
thresholds (a symmetric Beta(2, 2) on ``[lo_c, hi_c]``, ``F(u) = 3u² − 2u³``), ``m_c`` the share of its holdings
a class sells in a full run, ``relief_c`` the part of the run a backstop removes (the FIMA repo facility lets
officials raise dollars without selling; Fed purchases calm private sellers). The run position ``R_c`` (share of
the class's holdings sold in runs and not yet bought back) moves toward ``R*`` at speed ``k_up`` when it rises and
unwinds with a half-life of months when it falls: the March-2020 pattern (TIC: foreign official holdings fell from
$4,265bn in Feb-2020 to $4,047bn in April and were back to $4,187bn by December).

**Confidence shifts (slow, persistent, reversible).** A trust state ``τ`` per path (0 = today's trust, negative
= eroded) integrates public news with a half-life of months:

    τ' = ρ_τ · τ − (b_ann · announcement + b_debt · fiscal_news + b_tp · max(Δtp, 0)/100 + b_threat · threat).

Each class's *diversification target* is ``D*_c = d_c · G_c(−τ)`` (``G_c`` the CDF of its diversification
thresholds) plus, for officials, the freeze channel below; the diversification position ``D_c`` moves toward it
at a speed capped at a pace per month. A diversifying reserve manager moves at China's 2013–25 pace of ≈0.3–0.4%
of **its own** holdings a month (TIC: $1,316.7bn in Nov-2013 → $683.5bn in Dec-2025); only the exposed share ``e``
of official holdings moves, so the officials' class cap is ``v · e`` (≈0.10% of all official holdings a month at
the prior medians; China alone took 0.107% of them a month off over 2013–25). When trust recovers the targets fall
and the classes buy back, as slowly.

**Threats (the Davos warning).** A threat does two things. It deters: a threat memory ``H`` (half-life of months)
scales every foreign class's *new* diversification by ``exp(−δ_c · H)``, so new selling falls at once (a liquidity
run's sales are for cash, which a threat does not supply: they are not deterred). And it raises reserve
managers' perceived annual freeze probability ``φ`` (percentage points, half-life of years); the reserves block's
response, in the reduced form :func:`geostress.model.reserves.freeze_treasury_reduction` (linear in ``φ``, its slope
calibrated on the path China's reserve managers took, 2013–24; the reserve optimiser itself is not run inside the
loop), turns ``φ`` into a lower Treasury target for the exposed share of official holdings; managers revise their
strategic target with a lag (half-life 6–18 months)
and reach it at the officials' diversification pace: less selling now *on average* (deterrence cuts the paths that
sell most, while the diversification starts at once on every path, so the median path can sell more;
docs/contagion.md), more diversification later.

**No knife edge, by construction.** Targets are continuous in the signals, positions move by partial adjustment,
and the peer channel (others' selling raising the run stress) has a loop gain drawn below 1: ``a_peer`` is set
from a drawn gain ``g < 1`` divided by the steepest response of the classes' selling to the stress index, so the
run is a contraction and its monthly selling a continuous function of the inputs. In a coupled run the
classes' selling also raises the term premium, whose rise raises next month's stress and distrust: two more loops,
together several times 1 at the priors with no backstop, which :func:`bound_price_loop` keeps, with the peer loop,
below :attr:`ContagionPriors.loop_gain_ceiling` by scaling ``a_tp`` and ``b_tp`` down where needed (a worst-case
bound: at the priors it keeps a median 8% of them, docs/contagion.md). A larger shock never flips a path from
"nobody" to "everybody"; the probability of a cascade over parameter draws rises smoothly with it.

**Cascade.** A path *cascades* when the holdings-weighted net selling of the three classes by this block (runs
plus diversification, scheduled sales excluded) within any window of :attr:`ContagionPriors.cascade_window_months`
months exceeds :attr:`ContagionPriors.cascade_threshold` (default 3% of the three classes' holdings, ≈$780bn
today; the March-2020 experiment peaks at ≈3% on this measure in the median draw, docs/contagion.md).
:func:`cascade_probability` is the share of paths (parameter draws) that cascade;
:attr:`ContagionState.peak_window_sold` holds each path's largest window sale.

Interface (what the coupled loop calls)
---------------------------------------
* :class:`ContagionPriors` (defaults = the stated priors; :meth:`ContagionPriors.scaled` for the scenario's
  ``contagion.scale`` knob) and ``draw_params(priors, rng, n_paths)`` → :class:`ContagionDraws` (per-path
  parameters packed one row per path, each parameter a named view).
* ``init_state(n_paths)`` → :class:`ContagionState` (views ``trust`` (P,), ``run`` and ``div`` (P, 3),
  ``threat``, ``freeze_pp``, ``reserve_cut`` and ``peak_window_sold`` (P,), and the cascade window).
* ``step(state, signals, draws)`` → ``(state, sell_fraction)``: ``sell_fraction`` (P, 3) in the order of
  :data:`HOLDER_CLASSES` is the share of each class's holdings (at the start of the run) it sells this month;
  negative = buys back. ``signals`` is a :class:`Signals` (scalar or (P,) fields). The state is consumed (updated
  in place); :func:`step_reference` is the same month in plain numpy.
* ``cascade_probability(state)`` → P(cascade) over the paths (parameter draws).

Zero signals give exactly zero selling; with ``enabled=False`` in the priors every draw sells nothing.

References
----------
Granovetter, M. (1978), "Threshold Models of Collective Behavior", American Journal of Sociology 83(6): 1420–1443.
Morris, S. and Shin, H. S. (1998), "Unique Equilibrium in a Model of Self-Fulfilling Currency Attacks", AER 88(3).
Vissing-Jorgensen, A. (2021), "The Treasury Market in Spring 2020 and the Response of the Federal Reserve",
Journal of Monetary Economics 124: 19–47.
Weiss, C. (2022), "Foreign Demand for U.S. Treasury Securities during the Pandemic", FEDS Notes, January 2022.
U.S. Treasury, TIC *Major Foreign Holders of Treasury Securities* (mfhhis01.txt): foreign official holdings
2020; China, Mainland 2013–2025.
Arslanalp, S., Eichengreen, B. and Simpson-Bell, C. (2023), "Gold as International Reserves: A Barbarous Relic
No More?", IMF WP/23/14 (sanction risk and reserve diversification).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from typing import NamedTuple

import numpy as np

from geostress.errors import ScenarioError
from geostress.model.market_kernels import (
    DRAW_COLUMNS, N_DRAW_COLUMNS, N_STATE_COLUMNS, S_DIV, S_FREEZE, S_PEAK, S_RESERVE, S_RUN, S_THREAT, S_TRUST,
    contagion_month,
)  # fmt: skip
from geostress.model.priors import PEER_GAIN_HIGH, Prior, Uniforms
from geostress.model.reserves import freeze_treasury_reduction

#: Holder classes, in the order of every (P, 3) array of this module.
HOLDER_CLASSES: tuple[str, str, str] = ("foreign_official", "foreign_private", "domestic_private")
N_CLASSES = 3
OFFICIAL, FOREIGN_PRIVATE, DOMESTIC_PRIVATE = 0, 1, 2


# -- priors -------------------------------------------------------------------------------------------------------
PerClass = tuple[Prior, Prior, Prior]


def _u(low: float, high: float) -> Prior:
    return Prior(low, high, "uniform")


def _ln(low: float, high: float) -> Prior:
    return Prior(low, high, "lognormal")


def _half_life_to_decay(months: np.ndarray) -> np.ndarray:
    return np.exp2(-1.0 / months)


@dataclass(frozen=True)
class ContagionPriors:
    """Stated priors of the contagion block: every field is a 90% range (see docs/contagion.md for each source).

    Units: the run-stress index is 1 in a March-2020 dash for cash; trust is in "distrust units" where the
    diversification thresholds lie (a one-off Danish-type announcement costs ≈0.04 at the prior median); positions
    and paces are shares of a class's holdings; the freeze probability is in percentage points a year.

    Attributes
    ----------
    enabled
        ``False``: every draw sells nothing (scale parameters drawn as 0), whatever the signals.
    run_threshold_centre, run_threshold_half_width
        Centre (per class) and half-width of the Beta(2, 2) run-threshold distribution, stress units
        [judgement: a March-2020 shock (s = 1) is past nearly every class's thresholds; a +50 bp month alone
        (s ≈ 0.3) reaches the most fragile].
    run_scale
        Share of a class's holdings sold in a full run. **Calibration**: the medians reproduce the dollars sold in
        March–May 2020 in :func:`march_2020_experiment`, as shares of each class's own Feb-2020 holdings: foreign
        official net sales ≈$244bn and foreign private ≈$143bn (MARKET_EVIDENCE.md §2; Vissing-Jorgensen 2021,
        Weiss 2022) over TIC MFH Feb-2020 holdings of $4,264.9bn (official) and $7,226.0bn − $4,264.9bn =
        $2,961.1bn (private): **5.72%** and **4.83%** [derived]. (The "−3.4%" and "−2%" quoted with those dollars
        are shares of *all* foreign holdings: $244bn / $7,226bn = 3.38%, $143bn / $7,226bn = 1.98%.) Domestic
        private −1.0% of its holdings [assumption: no official series].
    run_speed
        Share of the gap to a rising run target closed within the month (runs happen within weeks).
    run_unwind_half_life_months
        Half-life of the run position once its target falls (TIC 2020: officials had bought back about half of
        their Feb–May fall by December) [judgement, consistent with that episode].
    backstop_relief
        Share of the run target a backstop removes (FIMA repo for officials; Fed market-functioning purchases for
        private holders) [judgement]. It acts with the facility's intensity (:class:`Signals`: the Fed's
        purchases for the private classes, the FIMA repo for officials; in a coupled run both ramp on the market's
        pressure, the repo's whether or not the Fed buys, and each is 0 with its switch off), and the market block
        takes no repo share of the run's sales again (:attr:`geostress.model.market.Flows.official_run`).
    stress_per_bp
        Run stress per bp of last month's 10-year term-premium rise [judgement: +64 bp (March 2020's intra-month
        spike) alone ≈ 0.2–0.85]. A coupled run scales it down per path, with ``distrust_per_100bp``
        (``loop_gain_ceiling``): the premium rise that the classes' own selling causes must not feed back into
        more selling than it was.
    peer_gain
        Loop gain of the peer channel (< 1 keeps the run a contraction: no knife edge; with the price channel,
        ``loop_gain_ceiling``).
    trust_half_life_months
        Half-life of distrust once news stops [judgement].
    distrust_per_announcement, distrust_per_debt_pp, distrust_per_100bp, distrust_per_threat
        Distrust added by one public sale announcement citing US solvency, by 1 pp of debt/GDP news, by 100 bp of
        term-premium rise, by one threat [judgement].
    div_threshold_low, div_threshold_width
        Lower end (per class, ≥ 0) and width of the Beta(2, 2) diversification thresholds, distrust units.
    div_scale
        Share of a class's holdings it moves out of Treasuries at full distrust [judgement: home bias keeps
        domestic investors' share small].
    div_pace
        Largest share of its holdings a class moves per month. Officials: the pace of one diversifying manager, a
        share of **its own** holdings, **calibration** to China 2013–25 (TIC: −48% over 145 months, ≈0.33% of the
        Nov-2013 holdings a month, 0.45% a month log-linear); the class's cap is that pace times the drawn
        :attr:`freeze_exposed_share` (only the exposed managers move: at the prior medians 0.354% × 0.29 ≈ 0.10%
        of all official holdings a month; China alone, 32% of official holdings in Nov-2013, took 0.107% of them a
        month off, and the whole class 0.03% [derived, TIC]). Other classes: a share of the class's holdings.
    div_speed
        Share of the gap to the diversification target closed per month before the pace cap.
    deterrence
        δ_c: a threat memory H scales new diversification by exp(−δ_c·H) (domestic investors are not the
        target: 0); a run's sales, for cash, are not deterred.
    threat_half_life_months
        Half-life of the deterrent effect [judgement].
    freeze_per_threat_pp
        Rise in reserve managers' perceived annual freeze probability per threat, pp [judgement; China's
        model-implied p rose from ≈0.5% (2013–19) to ≈1.4% (2024), docs/reserves.md].
    freeze_half_life_months
        Half-life of the perceived freeze risk (persistent) [judgement].
    reserve_review_half_life_months
        Lag with which reserve managers move their strategic Treasury target to the freeze channel's (allocations
        are reviewed about once a year) [judgement].
    freeze_exposed_share
        Share of foreign official holdings held by managers who perceive a freeze risk (China, Mainland alone is
        18% of foreign official holdings at Dec-2025, 32% at Nov-2013) [judgement]. It also sets the officials'
        class pace (``div_pace`` above).
    freeze_reduction_per_pp
        Relative cut in an exposed manager's Treasury target per pp of freeze probability: the reserves block's
        response. **Calibration**: China 2013→2024, Treasury share of reserves 35.11% → 22.34% while the implied p
        rose 0.525% → 1.400% (means of the first and last 12 months, Jan–Dec 2013 and Dec-2023 to Nov-2024, of
        :func:`geostress.validate.reserves.implied_series`; docs/reserves.md;
        :func:`geostress.calibrate.reserves.freeze_reduction_per_pp`).
        This is the block's *average* response along the path managers actually took (0.416 per pp), not its
        marginal response at today's point, which is about 3.3 times steeper (at the 2024-11 portfolio, p 1.11% →
        1.25% → 1.35% cuts the Treasury share 21.1% → 17.0% → 14.2%: ≈1.4 per pp; ``ust_share`` of ``geostress
        reserves --holder China --p 0.0111|0.0125|0.0135 --as-of 2024-11 --json``): the prior follows what managers
        did, not the optimiser's local slope.
    class_holdings_bn
        Holdings of the three classes used to weight them in the cascade measure and the peer channel (USD bn,
        Dec-2025: TIC foreign official 3,887, foreign private 9,271 − 3,887 = 5,384; domestic private ≈ debt held
        by the public 30,300 − Fed ≈4,200 − foreign 9,271 ≈ 16,800 [derived]); the runner may pass its own.
    cascade_threshold, cascade_window_months
        A path cascades when the weighted net selling within ``cascade_window_months`` exceeds this share.
    loop_gain_ceiling
        Ceiling on the block's loop gain through the peer channel and the price channels together (selling
        raises the term premium, which raises next month's stress and distrust): in a coupled run
        :func:`bound_price_loop` scales each path's ``stress_per_bp`` and ``distrust_per_100bp`` by one factor to
        what the ceiling leaves after its ``peer_gain`` [judgement: 0.9, selling amplified at most tenfold; any
        value below 1 keeps the block a contraction].
    """

    enabled: bool = True
    # fast: liquidity runs
    run_threshold_centre: PerClass = (_u(0.30, 0.70), _u(0.40, 0.80), _u(0.45, 0.85))
    run_threshold_half_width: Prior = field(default_factory=lambda: _u(0.20, 0.45))
    run_scale: PerClass = (_ln(0.0639, 0.1598), _ln(0.0544, 0.1361), _ln(0.0116, 0.0289))
    run_speed: Prior = field(default_factory=lambda: _u(0.50, 0.90))
    run_unwind_half_life_months: Prior = field(default_factory=lambda: _ln(3.0, 12.0))
    backstop_relief: PerClass = (_u(0.50, 0.90), _u(0.30, 0.80), _u(0.30, 0.80))
    stress_per_bp: Prior = field(default_factory=lambda: _ln(1.0 / 300.0, 1.0 / 75.0))
    peer_gain: Prior = field(default_factory=lambda: _u(0.0, PEER_GAIN_HIGH))
    # slow: confidence and diversification
    trust_half_life_months: Prior = field(default_factory=lambda: _ln(6.0, 36.0))
    distrust_per_announcement: Prior = field(default_factory=lambda: _ln(0.01, 0.15))
    distrust_per_debt_pp: Prior = field(default_factory=lambda: _ln(0.005, 0.05))
    distrust_per_100bp: Prior = field(default_factory=lambda: _ln(0.03, 0.30))
    distrust_per_threat: Prior = field(default_factory=lambda: _u(0.0, 0.02))
    div_threshold_low: PerClass = (_u(0.0, 0.3), _u(0.0, 0.3), _u(0.1, 0.5))
    div_threshold_width: Prior = field(default_factory=lambda: _u(0.5, 1.5))
    div_scale: PerClass = (_u(0.05, 0.25), _u(0.05, 0.30), _u(0.01, 0.08))
    div_pace: PerClass = (_ln(0.0025, 0.0050), _ln(0.002, 0.010), _ln(0.001, 0.005))
    div_speed: Prior = field(default_factory=lambda: _u(0.05, 0.30))
    # threats and the freeze channel
    deterrence: PerClass = (_u(1.0, 3.0), _u(0.2, 1.0), Prior.fixed(0.0))
    threat_half_life_months: Prior = field(default_factory=lambda: _ln(2.0, 9.0))
    freeze_per_threat_pp: Prior = field(default_factory=lambda: _ln(0.1, 0.6))
    freeze_half_life_months: Prior = field(default_factory=lambda: _ln(36.0, 120.0))
    reserve_review_half_life_months: Prior = field(default_factory=lambda: _ln(6.0, 18.0))
    freeze_exposed_share: Prior = field(default_factory=lambda: _u(0.18, 0.40))
    freeze_reduction_per_pp: Prior = field(default_factory=lambda: _u(0.30, 0.55))
    # aggregation and the cascade measure
    class_holdings_bn: tuple[float, float, float] = (3887.0, 5384.0, 16800.0)
    cascade_threshold: float = 0.03
    cascade_window_months: int = 12
    loop_gain_ceiling: float = 0.9

    def scaled(self, factor: float) -> ContagionPriors:
        """These priors with every class's run and diversification scale and the exposed share of official
        holdings multiplied by ``factor`` ≥ 0 (a sensitivity knob: 1 = as stated, 0 = sells nothing)."""
        if not (np.isfinite(factor) and factor >= 0):
            raise ScenarioError(f"contagion scale = {factor} must be a finite number ≥ 0")

        def times(p: Prior) -> Prior:
            return Prior(p.low * factor, p.high * factor, p.kind) if factor > 0 else Prior.fixed(0.0)

        exposed = self.freeze_exposed_share
        return replace(self, run_scale=tuple(times(p) for p in self.run_scale),  # type: ignore[arg-type]
                       div_scale=tuple(times(p) for p in self.div_scale),  # type: ignore[arg-type]
                       freeze_exposed_share=Prior(min(exposed.low * factor, 1.0), min(exposed.high * factor, 1.0),
                                                  exposed.kind) if factor > 0 else Prior.fixed(0.0))

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("enabled", "class_holdings_bn", "cascade_threshold", "cascade_window_months",
                          "loop_gain_ceiling"):
                continue
            priors = value if isinstance(value, tuple) else (value,)
            if isinstance(value, tuple) and len(value) != N_CLASSES:
                raise ScenarioError(f"contagion prior {f.name!r} needs one Prior per class {HOLDER_CLASSES}")
            for p in priors:
                if not isinstance(p, Prior):
                    raise ScenarioError(f"contagion prior {f.name!r} must be a Prior (a 90% range), got {p!r}")
                if p.low < 0:
                    raise ScenarioError(f"contagion prior {f.name!r}: low = {p.low} is negative; every parameter "
                                        "of this block is ≥ 0")
        for name in ("run_unwind_half_life_months", "trust_half_life_months", "threat_half_life_months",
                     "freeze_half_life_months", "reserve_review_half_life_months"):
            if getattr(self, name).low <= 0:
                raise ScenarioError(f"contagion prior {name!r}: half-lives must be positive months")
        for name in ("run_speed", "div_speed"):
            if getattr(self, name).high > 1:
                raise ScenarioError(f"contagion prior {name!r}: a speed is a share of the gap per month, ≤ 1")
        if self.peer_gain.high >= 1:
            raise ScenarioError(f"contagion prior 'peer_gain': high = {self.peer_gain.high} must stay below 1 "
                                "(a loop gain ≥ 1 brings back the knife edge)")
        if not self.peer_gain.high <= self.loop_gain_ceiling < 1:
            raise ScenarioError(f"contagion: loop_gain_ceiling = {self.loop_gain_ceiling} must lie in "
                                f"[{self.peer_gain.high:g}, 1): at least the peer loop's highest gain (peer_gain's "
                                "prior), below 1 (a loop gain ≥ 1 brings back the knife edge)")
        for name in ("run_threshold_half_width", "div_threshold_width"):
            if not getattr(self, name).low > 0:
                raise ScenarioError(f"contagion prior {name!r}: low = {getattr(self, name).low} must be positive "
                                    "(a zero-width threshold distribution is a step: every investor of a class "
                                    "would move at once)")
        if any(p.high > 1 for p in self.backstop_relief) or self.freeze_exposed_share.high > 1:
            raise ScenarioError("contagion priors 'backstop_relief' and 'freeze_exposed_share' are shares, ≤ 1")
        hold = np.asarray(self.class_holdings_bn, dtype=float)
        if hold.shape != (N_CLASSES,) or not np.all(np.isfinite(hold)) or np.any(hold < 0) or hold.sum() <= 0:
            raise ScenarioError(f"contagion: class_holdings_bn needs 3 non-negative numbers {HOLDER_CLASSES}, "
                                f"got {self.class_holdings_bn!r}")
        if not (np.isfinite(self.cascade_threshold) and 0 < self.cascade_threshold <= 1):
            raise ScenarioError(f"contagion: cascade_threshold = {self.cascade_threshold} must lie in (0, 1]")
        if not 1 <= int(self.cascade_window_months) <= 120:
            raise ScenarioError(f"contagion: cascade_window_months = {self.cascade_window_months} must lie in "
                                "1..120")


# -- per-path draws -----------------------------------------------------------------------------------------------
# The packed layout (DRAW_LAYOUT, DRAW_COLUMNS, the C_* columns) lives beside the compiled kernels that read it
# (geostress.model.market_kernels: numba's cache sees edits to that file only).
_COLUMNS = DRAW_COLUMNS


@dataclass(frozen=True)
class ContagionDraws:
    """One parameter draw per path, packed row by row in a (P, K) array; each parameter is a view on it.

    Per-class parameters are (P, 3) views, the others (P,) views (see
    :data:`geostress.model.market_kernels.DRAW_LAYOUT`). Run and
    diversification thresholds are stored as their Beta(2, 2) supports (``lo`` and the reciprocal width), decays as
    monthly factors ``2^(−1/half-life)``; ``peer_weight`` is derived from the drawn ``peer_gain`` (module
    docstring); the officials' freeze target is ``freeze_exposed · min(freeze_reduction_per_pp · φ, 1)``
    (:func:`geostress.model.reserves.freeze_treasury_reduction`); the officials' ``div_pace`` column is the class
    cap, a manager's own drawn pace times ``freeze_exposed``.

    Attributes
    ----------
    packed
        (P, K) float64, C-contiguous, read-only (so that :attr:`by_column`, computed once, stays its transpose).
    weights
        (3,) holdings weights of the classes (sum 1): the cascade measure and the peer channel.
    cascade_threshold, cascade_window
        The cascade definition (:class:`ContagionPriors`).
    loop_gain_ceiling
        :attr:`ContagionPriors.loop_gain_ceiling` (read by :func:`bound_price_loop`).
    """

    packed: np.ndarray
    weights: np.ndarray
    cascade_threshold: float = 0.03
    cascade_window: int = 12
    loop_gain_ceiling: float = 0.9

    def __post_init__(self) -> None:
        packed = np.ascontiguousarray(self.packed, dtype=np.float64)
        if packed.ndim != 2 or packed.shape[1] != N_DRAW_COLUMNS or packed.shape[0] < 1:
            raise ScenarioError(f"contagion draws: packed must be (P, {N_DRAW_COLUMNS}), got {packed.shape}")
        if packed.flags.writeable:
            packed = packed.copy() if packed is self.packed else packed  # (never freeze the caller's array)
            packed.flags.writeable = False
        object.__setattr__(self, "packed", packed)
        object.__setattr__(self, "weights", np.ascontiguousarray(self.weights, dtype=np.float64))

    def __getattr__(self, name: str) -> np.ndarray:
        if name in _COLUMNS:
            first, width = _COLUMNS[name]
            packed = object.__getattribute__(self, "packed")
            return packed[:, first] if width == 1 else packed[:, first:first + width]
        raise AttributeError(name)

    @property
    def n_paths(self) -> int:
        return int(self.packed.shape[0])

    @cached_property
    def by_column(self) -> np.ndarray:
        """(K, P) the draws column by column (C-contiguous, computed once): what the month-by-month step reads,
        a block of paths' columns at a time."""
        return np.ascontiguousarray(self.packed.T)

    def take(self, index: np.ndarray | slice) -> ContagionDraws:
        """The draws of a subset of paths (e.g. one chunk)."""
        return replace(self, packed=self.packed[index])


def _per_class(priors: PerClass, rng: Uniforms, n: int) -> np.ndarray:
    return np.stack([p.draw(rng, n) for p in priors], axis=1)


def _steepest(scale: np.ndarray, inv_width: np.ndarray, speed: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Upper bound on d(weighted monthly run selling)/d(stress): F' ≤ 1.5/width for the Beta(2, 2) CDF."""
    return (1.5 * scale * inv_width * weights[None, :]).sum(axis=1) * speed


def draw_params(priors: ContagionPriors | None, rng: Uniforms, n_paths: int) -> ContagionDraws:
    """Draw every parameter of :class:`ContagionPriors` for ``n_paths`` paths.

    Parameters
    ----------
    priors
        The priors (``None`` = the defaults).
    rng
        The generator; the runner derives it per chunk from one seed (``SeedSequence.spawn``). Fields are drawn in
        a fixed order, each consuming ``n_paths`` (or ``3·n_paths``) uniforms.
    n_paths
        Number of paths (one parameter draw each).

    Returns
    -------
    ContagionDraws
    """
    priors = priors or ContagionPriors()
    if n_paths < 1:
        raise ScenarioError(f"contagion: n_paths = {n_paths} must be at least 1")
    n = int(n_paths)
    hold = np.asarray(priors.class_holdings_bn, dtype=float)
    weights = hold / hold.sum()
    centre = _per_class(priors.run_threshold_centre, rng, n)
    half = priors.run_threshold_half_width.draw(rng, n)[:, None]
    run_lo = np.maximum(centre - half, 0.0)
    run_inv_width = 1.0 / (centre + half - run_lo)
    run_scale = _per_class(priors.run_scale, rng, n)
    relief = _per_class(priors.backstop_relief, rng, n)
    run_speed = priors.run_speed.draw(rng, n)
    run_unwind = 1.0 - _half_life_to_decay(priors.run_unwind_half_life_months.draw(rng, n))
    stress_per_bp = priors.stress_per_bp.draw(rng, n)
    gain = priors.peer_gain.draw(rng, n)
    trust_decay = _half_life_to_decay(priors.trust_half_life_months.draw(rng, n))
    d_ann = priors.distrust_per_announcement.draw(rng, n)
    d_debt = priors.distrust_per_debt_pp.draw(rng, n)
    d_tp = priors.distrust_per_100bp.draw(rng, n) / 100.0
    d_threat = priors.distrust_per_threat.draw(rng, n)
    div_lo = _per_class(priors.div_threshold_low, rng, n)
    div_inv_width = 1.0 / priors.div_threshold_width.draw(rng, n)
    div_scale = _per_class(priors.div_scale, rng, n)
    div_pace = _per_class(priors.div_pace, rng, n)
    div_speed = priors.div_speed.draw(rng, n)
    deterrence = _per_class(priors.deterrence, rng, n)
    threat_decay = _half_life_to_decay(priors.threat_half_life_months.draw(rng, n))
    freeze_per_threat = priors.freeze_per_threat_pp.draw(rng, n)
    freeze_decay = _half_life_to_decay(priors.freeze_half_life_months.draw(rng, n))
    review_speed = 1.0 - _half_life_to_decay(priors.reserve_review_half_life_months.draw(rng, n))
    exposed = priors.freeze_exposed_share.draw(rng, n)
    reduction = priors.freeze_reduction_per_pp.draw(rng, n)
    if not priors.enabled:
        run_scale = np.zeros_like(run_scale)
        div_scale = np.zeros_like(div_scale)
        exposed = np.zeros_like(exposed)
    div_pace[:, OFFICIAL] *= exposed  # a manager's own pace → the class's: only the exposed managers move
    steep = _steepest(run_scale, run_inv_width, run_speed, weights)
    peer_weight = np.divide(gain, steep, out=np.zeros(n), where=steep > 0)
    values = dict(
        run_lo=run_lo, run_inv_width=run_inv_width, run_scale=run_scale, relief=relief, run_speed=run_speed,
        run_unwind=run_unwind, stress_per_bp=stress_per_bp, peer_weight=peer_weight, trust_decay=trust_decay,
        distrust_announcement=d_ann, distrust_debt=d_debt, distrust_tp=d_tp, distrust_threat=d_threat,
        div_lo=div_lo, div_inv_width=div_inv_width, div_scale=div_scale, div_pace=div_pace, div_speed=div_speed,
        deterrence=deterrence, threat_decay=threat_decay, freeze_per_threat=freeze_per_threat,
        freeze_decay=freeze_decay, freeze_exposed=exposed, freeze_reduction_per_pp=reduction,
        review_speed=review_speed, peer_gain=gain,
    )  # fmt: skip
    packed = np.empty((n, N_DRAW_COLUMNS))
    for name, (first, width) in _COLUMNS.items():
        packed[:, first:first + width] = values[name].reshape(n, width)
    packed.flags.writeable = False  # (handed over read-only: ContagionDraws keeps it without a copy)
    return ContagionDraws(packed, weights, float(priors.cascade_threshold), int(priors.cascade_window_months),
                          float(priors.loop_gain_ceiling))


def bound_price_loop(draws: ContagionDraws, bp_per_share: np.ndarray | float) -> ContagionDraws:
    """The draws with the premium's feedback scaled down where needed, so that the block is a contraction through
    prices too.

    In a coupled run the classes' selling raises the term premium, and a rise raises both next month's run stress
    (``stress_per_bp``) and distrust (``distrust_per_100bp``, which the diversification targets follow): two loops
    beside the peer channel. Their gains are at most ``stress_per_bp · bp_per_share · steep_run`` (a month's run
    selling per unit of its own selling; ``steep_run`` the bound that sets ``peer_weight``) and
    ``distrust per bp · bp_per_share · steep_div`` (the diversification a share sold brings on in all, before
    trust recovers; ``steep_div`` = 1.5 · the reciprocal threshold width · the weighted ``div_scale``). At the
    priors with no backstop each is of order 1 or more: below the thresholds nothing moves, past them selling
    feeds itself, so one more $0.5bn of a sale could flip a path from $235bn of selling to years of boom and bust
    ($7.5tn sold). On each path where the two price loops and the peer loop together would pass
    ``loop_gain_ceiling``, both price sensitivities are scaled by one factor until they reach it (nothing of the
    price loops where the peer gain alone reaches it): the selling is then a contraction of the inputs, continuous
    in them, as the module docstring promises. (One more loop is left out of the bound: the premium's level feeds
    fiscal news, which feeds distrust; its gain is small, a median 0.005 and at most ≈0.27 over the priors on a
    rough linear reading, and scans of shipped scenarios with it tripled showed no amplification.)

    Parameters
    ----------
    draws
        The contagion draws (:func:`draw_params`).
    bp_per_share
        Scalar or (P,): the largest rise of the 10-year term premium within a month, bp, per unit of the
        holdings-weighted share of their holdings the classes sell in it (the market block's flow and persistent
        coefficients per pp of GDP, times the classes' holdings in pp of GDP, before any stabiliser; ≥ 0).

    Returns
    -------
    ContagionDraws
        The same draws with ``stress_per_bp`` and ``distrust_tp`` scaled (the others unchanged).

    References
    ----------
    Morris, S. and Shin, H. S. (1998), AER 88(3) (a unique equilibrium needs the feedback below one).
    """
    k = np.broadcast_to(np.asarray(bp_per_share, dtype=float), (draws.n_paths,))
    if not np.all(np.isfinite(k) & (k >= 0)):
        raise ScenarioError("contagion: bp_per_share must be finite and ≥ 0 (the market's price per share sold)")
    steep_run = _steepest(draws.run_scale, draws.run_inv_width, draws.run_speed, draws.weights)
    steep_div = 1.5 * draws.div_inv_width * (draws.div_scale @ draws.weights)
    loops = k * (draws.stress_per_bp * steep_run + draws.distrust_tp * steep_div)
    room = np.maximum(draws.loop_gain_ceiling - draws.peer_gain, 0.0)
    factor = np.minimum(np.divide(room, loops, out=np.ones(draws.n_paths), where=loops > 0), 1.0)
    packed = draws.packed.copy()
    for name in ("stress_per_bp", "distrust_tp"):
        packed[:, _COLUMNS[name][0]] *= factor
    packed.flags.writeable = False  # (our own copy: handed over without the copy a writeable array would get)
    return replace(draws, packed=packed)


def median_draws(priors: ContagionPriors | None = None, n_paths: int = 1) -> ContagionDraws:
    """Every parameter at its prior median (the deterministic "central" path), repeated on ``n_paths`` paths."""
    priors = priors or ContagionPriors()
    fixed = {}
    for f in fields(priors):
        v = getattr(priors, f.name)
        if isinstance(v, Prior):
            fixed[f.name] = Prior.fixed(v.median)
        elif isinstance(v, tuple) and v and isinstance(v[0], Prior):
            fixed[f.name] = tuple(Prior.fixed(p.median) for p in v)
    return draw_params(ContagionPriors(**{**{f.name: getattr(priors, f.name) for f in fields(priors)}, **fixed}),
                       np.random.default_rng(0), n_paths)


# -- state and signals --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContagionState:
    """Everything that changes month to month, as arrays over paths.

    Stored as one (P, 11) array ``core`` (one row per path: trust, threat, freeze, run ×3, div ×3, peak, the
    officials' reserve cut; :data:`geostress.model.market_kernels.N_STATE_COLUMNS`) and the
    (P, W) cascade window; the named arrays below are views on ``core``. :func:`step` updates both in place: a
    state is consumed by the step that follows it (:meth:`copy` keeps one).

    Attributes
    ----------
    trust
        (P,) trust level: 0 = the run's start, negative = eroded (distrust units).
    run
        (P, 3) liquidity-run position: share of each class's holdings sold in runs and not yet bought back.
    div
        (P, 3) diversification position: share of each class's holdings moved out by confidence shifts and the
        freeze channel.
    threat
        (P,) threat memory H (decays with the threat half-life); scales new foreign selling by exp(−δ·H).
    freeze_pp
        (P,) rise in reserve managers' perceived annual freeze probability since the start, percentage points.
    reserve_cut
        (P,) the exposed officials' strategic Treasury cut so far (share of official holdings), moving toward the
        freeze channel's target with the review lag.
    window
        (P, W) ring of the weighted position over the last W months (the cascade window).
    peak_window_sold
        (P,) largest weighted net selling within any W-month window so far.
    month
        Months stepped.
    """

    core: np.ndarray
    window: np.ndarray
    month: int = 0

    @property
    def n_paths(self) -> int:
        return int(self.core.shape[0])

    @property
    def trust(self) -> np.ndarray:
        return self.core[:, S_TRUST]

    @property
    def threat(self) -> np.ndarray:
        return self.core[:, S_THREAT]

    @property
    def freeze_pp(self) -> np.ndarray:
        return self.core[:, S_FREEZE]

    @property
    def run(self) -> np.ndarray:
        return self.core[:, S_RUN:S_RUN + N_CLASSES]

    @property
    def div(self) -> np.ndarray:
        return self.core[:, S_DIV:S_DIV + N_CLASSES]

    @property
    def peak_window_sold(self) -> np.ndarray:
        return self.core[:, S_PEAK]

    @property
    def reserve_cut(self) -> np.ndarray:
        return self.core[:, S_RESERVE]

    def copy(self) -> ContagionState:
        return ContagionState(self.core.copy(), self.window.copy(), self.month)

    @property
    def position(self) -> np.ndarray:
        """(P, 3) total share of each class's holdings sold by this block (runs + diversification)."""
        return self.run + self.div


def init_state(n_paths: int, window_months: int = 12) -> ContagionState:
    """The state at the start of a run: full trust, no positions, no threat, nothing sold."""
    if n_paths < 1:
        raise ScenarioError(f"contagion: n_paths = {n_paths} must be at least 1")
    if not 1 <= window_months <= 120:
        raise ScenarioError(f"contagion: window_months = {window_months} must lie in 1..120")
    p = int(n_paths)
    return ContagionState(np.zeros((p, N_STATE_COLUMNS)), np.zeros((p, int(window_months))), 0)


class Signals(NamedTuple):
    """The month's news; each field a scalar or a (P,) array.

    Attributes
    ----------
    d_tp_10y_bp
        Last month's change in the 10-year term premium, bp (the market block's output).
    peer_sell_share
        Visible selling last month as a share of all holdings (scheduled sales, announced sales and this block's
        own selling; the runner computes it; negative = net buying).
    fiscal_news
        This month's change in debt/GDP against the no-event baseline, pp.
    announcement
        Strength of public sale announcements this month (1 = one named institution publicly selling citing US
        solvency, e.g. the Danish pension fund's $0.1bn in January 2026).
    threat
        Strength of a threat against sellers this month (1 = a head-of-government warning of retaliation, the
        Davos warning).
    backstop_active
        1 while the Fed's market-functioning purchases operate (0–1 for partial): the private classes' relief.
    liquidity_stress
        Exogenous dash-for-cash stress (1 = March 2020); 0 in ordinary scenarios.
    fima_active
        1 while the FIMA repo facility is in use (0–1 for partial): the officials' relief. ``None`` (the default):
        the same as ``backstop_active`` (both facilities at once, as in spring 2020). In a coupled run the market
        block gives it, from the same pressure as the backstop's, whether or not the Fed buys.
    """

    d_tp_10y_bp: float | np.ndarray = 0.0
    peer_sell_share: float | np.ndarray = 0.0
    fiscal_news: float | np.ndarray = 0.0
    announcement: float | np.ndarray = 0.0
    threat: float | np.ndarray = 0.0
    backstop_active: float | np.ndarray = 0.0
    liquidity_stress: float | np.ndarray = 0.0
    fima_active: float | np.ndarray | None = None

    def in_kernel_order(self) -> tuple[float | np.ndarray, ...]:
        """The signals in the order the compiled month reads them: ``d_tp``, peer, fiscal, announcement, threat,
        backstop, FIMA (``backstop_active`` when not given), liquidity stress."""
        fima = self.backstop_active if self.fima_active is None else self.fima_active
        return (self.d_tp_10y_bp, self.peer_sell_share, self.fiscal_news, self.announcement, self.threat,
                self.backstop_active, fima, self.liquidity_stress)


def _column(x: float | np.ndarray) -> float | np.ndarray:
    """A scalar stays a scalar; a (P,) array becomes (P, 1) to broadcast against (P, 3)."""
    return x[:, None] if isinstance(x, np.ndarray) and x.ndim == 1 else x


def _smoothstep(u: np.ndarray) -> np.ndarray:
    """CDF of Beta(2, 2) at u (clipped to [0, 1]): 3u² − 2u³."""
    np.clip(u, 0.0, 1.0, out=u)
    return u * u * (3.0 - 2.0 * u)


def _check_signals(signals: Signals, n_paths: int) -> None:
    for name, value in zip(Signals._fields, signals, strict=True):
        if value is None:  # (fima_active not given: backstop_active's)
            continue
        arr = np.asarray(value, dtype=float)
        if arr.ndim > 1 or (arr.ndim == 1 and arr.shape[0] != n_paths):
            raise ScenarioError(f"contagion signal {name!r}: expected a scalar or ({n_paths},) array, got shape "
                                f"{arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise ScenarioError(f"contagion signal {name!r} contains NaN or inf")
        if name in ("announcement", "threat", "backstop_active", "liquidity_stress", "fima_active") and np.any(arr < 0):
            raise ScenarioError(f"contagion signal {name!r} must not be negative (min {arr.min():g})")


def step_reference(state: ContagionState, signals: Signals,
                   draws: ContagionDraws) -> tuple[ContagionState, np.ndarray]:
    """Plain-numpy reference of :func:`step` (same equations, array by array; tests hold the two equal).

    Unlike :func:`step`, leaves the state's ``core`` untouched (the window is still written in place).

    Parameters
    ----------
    state
        The current state (consumed: its cascade window is written in place).
    signals
        The month's news (:class:`Signals`).
    draws
        The per-path parameters (:func:`draw_params`).

    Returns
    -------
    (state, sell_fraction)
        The new state and the (P, 3) share of each class's holdings sold this month (negative = bought back), in
        the order of :data:`HOLDER_CLASSES`.
    """
    p = state.n_paths
    if draws.n_paths != p:
        raise ScenarioError(f"contagion: draws are for {draws.n_paths} paths, the state has {p}")
    d_tp, peer, fiscal, announce, threat, backstop, fima, liquidity = signals.in_kernel_order()
    rise = np.maximum(d_tp, 0.0)

    # fast: the liquidity run
    stress = liquidity + draws.stress_per_bp * rise + draws.peer_weight * np.maximum(peer, 0.0)
    u = (_column(stress) - draws.run_lo) * draws.run_inv_width
    run_target = draws.run_scale * _smoothstep(u)
    if np.any(backstop) or np.any(fima):  # the officials' relief is the FIMA repo's, the others' the Fed's
        signal = np.broadcast_to(_column(np.asarray(backstop, dtype=float)), (p, 1)) * np.ones((1, N_CLASSES))
        signal[:, OFFICIAL] = np.broadcast_to(np.asarray(fima, dtype=float), (p,))
        run_target *= 1.0 - draws.relief * signal
    gap = run_target - state.run
    d_run = gap * np.where(gap > 0.0, draws.run_speed[:, None], draws.run_unwind[:, None])

    # slow: trust, the threat memory, the freeze channel, diversification
    trust = draws.trust_decay * state.trust - (draws.distrust_announcement * announce + draws.distrust_debt * fiscal
                                               + draws.distrust_tp * rise + draws.distrust_threat * threat)
    memory = draws.threat_decay * state.threat + threat
    freeze = draws.freeze_decay * state.freeze_pp + draws.freeze_per_threat * threat
    reserve = state.reserve_cut + draws.review_speed * (
        freeze_treasury_reduction(freeze, draws.freeze_reduction_per_pp, draws.freeze_exposed) - state.reserve_cut)
    u = (_column(-trust) - draws.div_lo) * draws.div_inv_width[:, None]
    div_target = draws.div_scale * _smoothstep(u)
    div_target[:, OFFICIAL] += reserve
    d_div = np.clip(draws.div_speed[:, None] * (div_target - state.div), -draws.div_pace, draws.div_pace)

    # a threat deters new diversification by the classes it targets (not buying back, and not a liquidity run's
    # sales: those are for cash, which a threat does not supply; an official short of dollars has the FIMA repo)
    if np.any(memory):
        deter = np.exp(-draws.deterrence * _column(memory))
        d_div = np.where(d_div > 0.0, d_div * deter, d_div)

    run = state.run + d_run
    div = state.div + d_div
    sell = d_run + d_div
    if not np.isfinite(sell).all():
        _check_signals(signals, p)
        raise ScenarioError("contagion: the step produced NaN or inf; check the draws")

    # the cascade window (W months of the weighted position, ring written in place)
    pos = (run + div) @ draws.weights
    slot = state.month % state.window.shape[1]
    peak = np.maximum(state.peak_window_sold, pos - state.window[:, slot])
    state.window[:, slot] = pos
    core = np.column_stack([trust, memory, freeze, run, div, peak, reserve])
    return ContagionState(core, state.window, state.month + 1), sell



def _flat(x: float | np.ndarray) -> np.ndarray:
    """A signal as a 1-D float64 array of length 1 (scalar) or P, without copying what already is one."""
    kind = type(x)
    if kind is float or kind is int:
        return np.array((x,), dtype=np.float64)
    if kind is np.ndarray:
        arr: np.ndarray = x  # type: ignore[assignment]
        if arr.dtype == np.float64 and arr.ndim == 1 and arr.flags.c_contiguous:
            return arr
    return np.ascontiguousarray(x, dtype=np.float64).reshape(-1)


def step(state: ContagionState, signals: Signals, draws: ContagionDraws) -> tuple[ContagionState, np.ndarray]:
    """Advance one month on every path (one compiled pass over the paths, vectorised across them).

    Parameters
    ----------
    state
        The current state. It is consumed: its arrays are updated in place and returned in the new state (copy
        a state first to keep it). Bad signals raise after the state was written (the run cannot go on).
    signals
        The month's news (:class:`Signals`; scalars or (P,) arrays).
    draws
        The per-path parameters (:func:`draw_params`).

    Returns
    -------
    (state, sell_fraction)
        The new state and the (P, 3) share of each class's holdings sold this month (negative = bought back), in
        the order of :data:`HOLDER_CLASSES`.

    Raises
    ------
    ScenarioError
        Draws for another number of paths, a signal of the wrong shape, NaN/inf or negative where it must not be.
    """
    p = state.n_paths
    if draws.n_paths != p:
        raise ScenarioError(f"contagion: draws are for {draws.n_paths} paths, the state has {p}")
    flat = [_flat(x) for x in signals.in_kernel_order()]
    if any(a.shape[0] not in (1, p) for a in flat):
        _check_signals(signals, p)
    sell = np.empty((p, N_CLASSES))
    bad = contagion_month(state.core, state.window, state.month % state.window.shape[1], *flat, draws.by_column,
                          draws.weights, sell, 0, p)
    if bad:  # the state has been written: the run cannot go on, so say why
        _check_signals(signals, p)
        raise ScenarioError("contagion: the step produced NaN or inf; check the draws")
    return ContagionState(state.core, state.window, state.month + 1), sell


def cascade_probability(state: ContagionState, threshold: float | None = None,
                        draws: ContagionDraws | None = None) -> float:
    """P(cascade): the share of paths whose weighted net selling within the window exceeded the threshold.

    ``threshold`` defaults to ``draws.cascade_threshold`` when draws are given, else 3%.
    """
    if threshold is None:
        threshold = draws.cascade_threshold if draws is not None else 0.03
    return float(np.mean(state.peak_window_sold > threshold))


# -- whole-horizon helpers (validation, tests, docs; not the coupled loop) -------------------------------------------
class Simulation(NamedTuple):
    """A stand-alone run: the final state and the (T, P, 3) monthly sell fractions."""

    state: ContagionState
    sell: np.ndarray


def simulate(draws: ContagionDraws, signals: list[Signals], *, close_peer_loop: bool = True) -> Simulation:
    """Run :func:`step` over a list of monthly signals.

    With ``close_peer_loop`` the block's own weighted selling of the previous month is added to each month's
    ``peer_sell_share`` (what the coupled loop does through the market's sales); no market block: ``d_tp_10y_bp``
    is taken as given.
    """
    state = init_state(draws.n_paths, draws.cascade_window)
    own = np.zeros(draws.n_paths)
    out = np.empty((len(signals), draws.n_paths, N_CLASSES))
    for t, sig in enumerate(signals):
        if close_peer_loop:
            sig = sig._replace(peer_sell_share=sig.peer_sell_share + own)
        state, sell = step(state, sig, draws)
        out[t] = sell
        own = sell @ draws.weights
    return Simulation(state, out)


#: March 2020 as monthly signals [stated]: the dash for cash in March (stress 1), half of it in April and a fifth
#: in May; the Fed's purchases (from 11 March) and the FIMA repo facility (31 March) act from April.
MARCH_2020_STRESS: tuple[float, ...] = (1.0, 0.5, 0.2)
MARCH_2020_BACKSTOP: tuple[float, ...] = (0.0, 1.0, 1.0)


def march_2020_signals(months: int = 10) -> list[Signals]:
    """March 2020 (month 0) to ``months − 1`` months later: stress and backstop as stated above, the backstop kept
    on through the year (the facilities ran into 2021), term-premium news left to the market (0 here)."""
    if months < len(MARCH_2020_STRESS):
        raise ScenarioError(f"march_2020_signals: need at least {len(MARCH_2020_STRESS)} months")
    stress = list(MARCH_2020_STRESS) + [0.0] * (months - len(MARCH_2020_STRESS))
    backstop = list(MARCH_2020_BACKSTOP) + [1.0] * (months - len(MARCH_2020_BACKSTOP))
    return [Signals(liquidity_stress=s, backstop_active=b) for s, b in zip(stress, backstop, strict=True)]


def march_2020_experiment(draws: ContagionDraws, months: int = 10) -> np.ndarray:
    """(months, P, 3) run positions (share of holdings sold and not bought back) from March 2020 on.

    Row 2 is end-May 2020 (the calibration target, shares of each class's own Feb-2020 holdings: officials 5.72%
    = $244bn / $4,264.9bn, foreign private 4.83% = $143bn / $2,961.1bn; :class:`ContagionPriors`, ``run_scale``);
    row 9 December 2020.
    """
    sim = simulate(draws, march_2020_signals(months))
    return np.cumsum(sim.sell, axis=0)


def agent_shares(lo: float, width: float, signal: np.ndarray, n_agents: int,
                 rng: np.random.Generator) -> np.ndarray:
    """Agent-based check of the mean field: draw ``n_agents`` thresholds from Beta(2, 2) on [lo, lo + width] and
    return the share at or below each signal value (the mean field says ``F((s − lo)/width)``). Kept out of the
    hot loop; O(n_agents · log n_agents)."""
    if n_agents < 1 or width <= 0:
        raise ScenarioError("agent_shares: need n_agents ≥ 1 and width > 0")
    th = np.sort(lo + width * rng.beta(2.0, 2.0, n_agents))
    return np.searchsorted(th, np.asarray(signal, dtype=float), side="right") / n_agents


def mean_field_share(lo: float, width: float, signal: np.ndarray) -> np.ndarray:
    """Closed-form share of investors whose Beta(2, 2) threshold on [lo, lo + width] is at or below ``signal``."""
    return _smoothstep((np.asarray(signal, dtype=float) - lo) / width)
