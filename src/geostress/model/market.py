"""Treasury price impact on the evidence: a persistent duration-supply effect, a fading flow effect and the
stabilisers that ended every run on record, vectorised over paths (one parameter draw per path).

Pure numerics: frozen parameter dataclasses and arrays in, arrays out. No I/O, no data layer (holdings, GDP and
historical flows come from :mod:`geostress.calibrate.market`).

Every quantity is a *deviation from the baseline* in basis points of the 10-year term premium; with no flows the
block returns exactly zero. One unit for every estimate (MARKET_EVIDENCE.md §1): **bp per percentage point of
GDP** of duration moved into (or out of) private hands, so that effects scale with the market instead of being
fixed in dollars.

The block, per step of ``dt`` months (1 for monthly runs, 12/52 for the weekly March-2020 experiment):

1. **Who absorbs.** Holder classes are the Federal Reserve, foreign official holders and private investors
   (foreign and domestic). Private duration = supply − Fed − foreign official (the definition of the studies in
   MARKET_EVIDENCE.md §1). Foreign-official sales, new supply (at its coupon share: bills carry almost no
   duration) and Fed sales move duration into private hands; private-to-private sales (foreign private or
   domestic private selling) only change who inside the private sector holds it, so they carry a flow effect
   and no persistent one.
2. **Persistent (stock) effect**: ``P = β · S / GDP``, ``S`` the cumulative duration moved into private hands
   (USD bn). ``S`` decays as the sold securities roll down (half-life :attr:`MarketParams.rolldown_half_life_years`)
   and is divided by *current* GDP, so the effect dilutes as the economy grows. ``β`` prior: 2–8 bp per pp of GDP
   (central 4: Bonis, Ihrig & Wei 2017; CBO; Laubach 2009; Williams 2013; Hamilton & Wu 2012). New issuance and
   holder sales carry the same ``β``.
3. **Flow effect** on top: ``F_t = δ F_{t−1} + φ · A_t / GDP``, ``A_t`` what private investors must absorb this
   step *after* the stabilisers, weighted by how unexpected the flow is (holder sales 1; the Fed's announced
   programmes and auctioned supply are priced when announced, so their flow weights are small; Fed purchases
   first meet the same month's holder sales in full, as in March 2020), ``δ`` from a
   half-life of ≈2 months (Wright 2012). ``φ`` (bp per pp of GDP absorbed in one month) is set by Beltran et al.
   (2013)'s short-run effect at the 2007 market size (a *calibration*; the check is labelled so).
4. **Who sells matters.** Liquidity-motivated official sales (FX defence, dash for cash) come with private
   flight-to-quality buying, a share :attr:`MarketParams.flight_to_quality` of the sale (2015: yields fell while
   officials sold $159bn), and the FIMA repo facility takes a share of them off the market altogether (not of
   the contagion block's runs, whose repo part is its backstop relief: :attr:`Flows.official_run`).
5. **Stabilisers**, each switchable (:class:`Stabilisers`):

   * *Fed market-functioning backstop*: the Fed buys ``(1 − exp(−κ·dt))·h(F)/φ`` pp of GDP, ``h`` a Huber
     function of the flow pressure ``F`` (nothing below half the trigger ``T``, quadratic from there to ``T``,
     linear beyond: a monotone rule, more pressure more purchases, that brings the pressure back to ``T/2`` within
     a few steps), which removes that much from what private investors absorb; calibrated so that the March-2020
     dash for cash peaks and is reversed within weeks (≈$1.27tn bought from 11 March to 15 April 2020 reversed
     +64 bp). The trigger is keyed to **why the pressure builds**: a dash for cash meets ``T``, orderly selling
     (any one holder's sale, whatever its motive, supply, the routine flows of the replay) the much higher
     :attr:`MarketParams.backstop_orderly_trigger_bp` ``T_o``. The Fed buys the larger of ``h_{T_o}(F)`` and
     ``h_T(D)``, ``D`` the dash's part of the pressure (:func:`dash_pressure`): the pressure the contagion block's
     liquidity runs build themselves (``R``: :attr:`Flows.official_run` after flight to quality and
     :attr:`Flows.private_run`, at most the month's net sales, :func:`net_runs`: the month's buyers meet the
     other sellers first), whatever the step's liquidity stress ``d``, and a share ``d`` of the rest, at most
     ``F`` (``D = min(F, d·F + (1 − d)·R)``). At ``d`` = 1 (a scenario's liquidity shock at March 2020's
     intensity, the March-2020 experiment) the whole pressure meets ``T``, at ``d`` = 0 with no run none of it
     does. ``d`` is an input of the step, never computed from the sales, and a run adds to ``D`` no more than to
     ``F``, so the rule stays monotone in every amount sold, runs included. A scenario's liquidity shock scales
     both its runs and ``d``: a larger run adds to ``D`` no more than its own pressure, and a higher ``d`` hands
     more of the other selling to ``T`` (docs/market.md measures ``dash-for-cash`` across intensities). Backstop
     holdings are treated as temporary (the Bank of England sold its 2022 gilt purchases back): they relieve the
     flow pressure and leave the persistent effect alone, so a larger run never ends with a *lower* premium
     because it drew in the Fed.
   * *FIMA repo*: a share of liquidity-motivated official sales is financed at the Fed instead of sold.
   * *Treasury bill shift*: when the persistent part exceeds ``θ_b`` the Treasury tilts issuance to bills and
     removes a share ``χ`` of the excess (the equilibrium of TBAC-style responses, a judgement).
   * *Value buyers*: more than ``band`` above where it started (the baseline) a share ``v`` of the term
     premium's excess is bought away.

   Each stabiliser is a monotone map, so larger sales never lower the term premium, and on a one-way sale
   switching a stabiliser on never raises it (after a reversal the backstop's sell-back holds the premium *up*
   against the buying: it damps moves both ways).

   The monetary offset is not here: in a coupled run it is the fiscal engine's policy rule (the policy rate
   responds to the output gap and inflation the premium moves, and each maturity carries the expected policy
   path, :func:`geostress.model.fiscal.policy_average_factor`), so the block reports the term premium alone.

The 5-year point carries :attr:`MarketParams.loading_5y` of the 10-year term-premium effect (evidence 0.5–0.8,
the median 0.65 by default: QE event studies find the largest effects at 10–15 years, D'Amico & King 2013). The
same number is the 5-year knot of the fiscal engine's tenor curve
(:func:`geostress.model.fiscal.term_premium_loading`), which prices every path's premium at every tenor; one curve
serves all paths, so ``loading_5y`` is fixed (:data:`FIXED_ON_EVERY_PATH`), not drawn per path.

References
----------
Beltran, D. O., Kretchmer, M., Marquez, J. and Thomas, C. P. (2013), "Foreign holdings of U.S. Treasuries and
U.S. Treasury yields", *Journal of International Money and Finance* 32(1), 1120–1143.
Bonis, B., Ihrig, J. and Wei, M. (2017), "The Effect of the Federal Reserve's Securities Holdings on Longer-term
Interest Rates", FEDS Notes, April 2017.
D'Amico, S. and King, T. B. (2013), "Flow and stock effects of large-scale Treasury purchases", *Journal of
Financial Economics* 108(2), 425–448.
Gamber, E. and Seliski, J. (2019), CBO Working Paper 2019-01; Laubach, T. (2009), *JEEA* 7(4).
Hamilton, J. D. and Wu, J. C. (2012), *Journal of Money, Credit and Banking* 44(s1), 3–46.
International Monetary Fund (2017), Working Paper WP/17/174.
Vissing-Jorgensen, A. (2021), "The Treasury Market in Spring 2020 and the Response of the Federal Reserve",
*Journal of Monetary Economics* 124, 19–47.
Williams, J. C. (2013), speech, Federal Reserve Bank of San Francisco.
Wright, J. H. (2012), "What does Monetary Policy do to Long-term Interest Rates at the Zero Lower Bound?",
*Economic Journal* 122(564), F447–F466.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from difflib import get_close_matches
from typing import NamedTuple

import numpy as np

from geostress.errors import ScenarioError
from geostress.model.priors import Prior, Uniforms

#: Holder groups of the sectors built by :mod:`geostress.calibrate.market`.
GROUPS: tuple[str, ...] = ("foreign_official", "foreign_private", "fed", "domestic")
#: Holder classes of the contagion block, in its column order.
HOLDER_CLASSES: tuple[str, ...] = ("foreign_official", "foreign_private", "domestic_private")
#: Why an official holder sells: liquidity (FX defence, dash for cash: flight-to-quality and FIMA apply) or
#: anything else (diversification, sanctions, solvency worries: the full sale reaches the market).
MOTIVES: tuple[str, ...] = ("diversification", "liquidity")
#: Relative slack when a sale is held to its seller's holdings (a sale of exactly the holdings, as printed and typed
#: back, can exceed them in the last bits of a float).
HOLDINGS_SLACK = 1e-9


def exceeds_holdings(amount_bn: float, holdings_bn: float) -> bool:
    """Whether selling ``amount_bn`` is more than ``holdings_bn`` (beyond :data:`HOLDINGS_SLACK`)."""
    return amount_bn > holdings_bn * (1.0 + HOLDINGS_SLACK)


# -- holder sectors -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SectorSpec:
    """One holder sector (USD bn at the run's start).

    Attributes
    ----------
    name
        Unique identifier, e.g. ``"china_mainland_official"`` or ``"money_market_funds"``.
    holdings
        Holdings, USD bn (≥ 0): the most the sector can sell.
    group
        One of :data:`GROUPS`.
    source
        Where the figure comes from (citation, or an ``[assumption]`` note).
    """

    name: str
    holdings: float
    group: str
    source: str = ""

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ScenarioError(f"sector {self.name!r}: group {self.group!r} is not one of {', '.join(GROUPS)}")
        value = float(self.holdings)
        if not np.isfinite(value) or value < 0:
            raise ScenarioError(f"sector {self.name!r}: holdings={value} must be a finite, non-negative number")


def find_sector(sectors: tuple[SectorSpec, ...], name: str) -> SectorSpec:
    """The sector called ``name``; an unknown name raises with close matches."""
    for sector in sectors:
        if sector.name == name:
            return sector
    raise ScenarioError(_unknown(name, tuple(s.name for s in sectors)))


def _unknown(name: str, known: tuple[str, ...]) -> str:
    lowered = name.lower().replace(" ", "_")
    containing = sorted((k for k in known if lowered in k), key=len)
    close = get_close_matches(lowered, known, n=5, cutoff=0.5)
    # a misspelt country ("japn") is far from its sectors' names ("japan_official") but close to their stem
    stems = {k: k.removesuffix("_official").removesuffix("_private") for k in known}
    near = get_close_matches(lowered, sorted(set(stems.values())), n=2, cutoff=0.6)
    close += [k for k in known if stems[k] in near and k not in close]
    suggestions = (containing + [c for c in close if c not in containing])[:5]
    text = f"unknown holder {name!r}"
    if suggestions:
        text += "; did you mean: " + ", ".join(suggestions) + "?"
    else:
        text += "."
    return text + f" Known holders: {', '.join(known)}."


# -- priors -------------------------------------------------------------------------------------------------------
def _ln(low: float, high: float) -> Prior:
    return Prior(low, high, "lognormal")


def _u(low: float, high: float) -> Prior:
    return Prior(low, high, "uniform")


# -- parameters ---------------------------------------------------------------------------------------------------
Num = float | np.ndarray


@dataclass(frozen=True)
class Stabilisers:
    """Which stabilisers act (each switchable; documented in :mod:`geostress.model.market` and docs/market.md)."""

    backstop: bool = True
    fima: bool = True
    bill_shift: bool = True
    value_buyers: bool = True

    @classmethod
    def none(cls) -> Stabilisers:
        return cls(False, False, False, False)


@dataclass(frozen=True, eq=False)
class MarketParams:
    """Parameters of the price-impact block; each a float or a (P,) array (one draw per path).

    The defaults are round central values for direct use of the model; every command runs on draws from
    :class:`MarketPriors` or on their medians (:meth:`MarketPriors.medians`), which differ slightly where a prior is
    skewed (``rolldown_half_life_years`` 8.66 against 8, for one).

    Attributes
    ----------
    persistent_bp_per_pp
        β: 10y term premium, bp, per pp of GDP of duration moved into private hands (prior 2–8, central 4).
    flow_bp_per_pp
        φ: flow effect on impact, bp, per pp of GDP that private investors absorb within one month (prior 60–170;
        central ≈100 sets Beltran et al.'s short run, ≈50 bp at 5 years for $100bn at the 2007 market size).
    flow_half_life_months
        Half-life of the flow effect (prior 1–4 months; Wright 2012: ≈2).
    rolldown_half_life_years
        Half-life of the persistent effect as sold securities roll down (prior 5–15 years).
    loading_5y
        Share of the 10-year term-premium effect carried at 5 years (evidence 0.5–0.8; default the median of
        :attr:`MarketPriors.loading_5y`). The same value on every path (:data:`FIXED_ON_EVERY_PATH`): it is also
        the 5-year knot of the fiscal engine's tenor curve, one vector shared by every path.
    fed_flow_weight, supply_flow_weight
        Flow weight of the Fed's announced programmes (prior 0–0.2) and of auctioned supply (prior 0–0.3): both
        are priced on announcement; D'Amico & King (2013) find small, transitory flow effects per operation.
    supply_duration_share
        Share of new supply that carries duration (coupon securities; 0.79 with MSPD's 21% bills).
    flight_to_quality
        Share of a liquidity-motivated official sale met by private flight-to-quality buying (prior 0.2–0.6).
    fima_share
        Share of liquidity-motivated official sales the FIMA repo facility takes off the market (prior 0.3–0.8).
    backstop_trigger_bp
        Flow pressure at which the Fed buys at its full pace (prior 10–30 bp; nothing below half of it, then
        quadratically growing purchases, linear beyond it: a Huber-shaped rule). **Calibration** with the speed: the
        weekly March-2020 experiment peaks at +30–100 bp and is back within ±25 bp by week 4 (the Fed began
        buying on 12–13 March, after the 10-year had risen ≈30 bp from its 9 March low).
    backstop_orderly_trigger_bp
        The trigger when the pressure comes from orderly selling (no market-wide liquidity stress; prior 160–220 bp,
        so that purchases start at 80–110 bp of pressure). **Judgement, set with the 2003–2025 replay in view**:
        outside March–April 2020 the Fed made no market-functioning purchase of Treasuries in those years, and the
        replay's highest orderly flow pressure at the prior medians is 75.6 bp (October 2016, China's reserve
        sales), just below where purchases start at the prior's low end. Qualitative support, in other units: the
        observed ACM 10-year premium rose 83 bp in July 2003 and 110 bp in the three months to March 2021 without
        the Fed buying; repricing, however large, did not bring it in, a dash for cash did. A value below
        ``backstop_trigger_bp`` counts as it (orderly selling never brings the Fed in sooner than a dash for cash).
    backstop_speed_per_month
        κ: rate, per month, at which the Fed buys away the pressure beyond half the trigger; a step of ``dt``
        months removes ``1 − exp(−κ·dt)`` of it (four weekly steps compound to one monthly step; prior 2.7–9 per
        month: 46–87% a week, 93–100% a month).
    bill_shift_threshold_bp, bill_shift_share
        The Treasury tilts issuance to bills above this persistent premium, removing this share of the excess.
    value_band_bp, value_share
        Value buyers return above this term premium, buying away this share of the excess.
    stabilisers
        Which stabilisers act.
    """

    persistent_bp_per_pp: Num = 4.0
    flow_bp_per_pp: Num = 100.0
    flow_half_life_months: Num = 2.0
    rolldown_half_life_years: Num = 8.0
    loading_5y: Num = 0.65
    fed_flow_weight: Num = 0.1
    supply_flow_weight: Num = 0.15
    supply_duration_share: Num = 0.79
    flight_to_quality: Num = 0.4
    fima_share: Num = 0.5
    backstop_trigger_bp: Num = 20.0
    backstop_speed_per_month: Num = 5.0
    backstop_orderly_trigger_bp: Num = 190.0
    bill_shift_threshold_bp: Num = 25.0
    bill_shift_share: Num = 0.2
    value_band_bp: Num = 75.0
    value_share: Num = 0.3
    stabilisers: Stabilisers = field(default_factory=Stabilisers)

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name == "stabilisers":
                continue
            raw = getattr(self, f.name)
            if isinstance(raw, str | bytes) or isinstance(raw, bool):
                raise ScenarioError(f"market parameter {f.name} must be a number or (P,) array, got {raw!r}")
            try:
                value = np.asarray(raw, dtype=float)
            except (TypeError, ValueError):
                raise ScenarioError(f"market parameter {f.name} must be a number or (P,) array, got {raw!r}") from None
            if value.ndim > 1 or not np.all(np.isfinite(value)):
                raise ScenarioError(f"market parameter {f.name} must be a finite number or (P,) array")
            low, high = BOUNDS[f.name]
            if np.any(value < low) or np.any(value > high):
                raise ScenarioError(f"market parameter {f.name}={_show(value)} is outside {low:g}..{high:g}")
        if not isinstance(self.stabilisers, Stabilisers):
            raise ScenarioError("market parameter stabilisers must be a Stabilisers")

    @property
    def n_draws(self) -> int:
        """Number of paths the parameters are drawn for (1 for scalars)."""
        sizes = {np.size(getattr(self, f.name)) for f in fields(self) if f.name != "stabilisers"}
        sizes.discard(1)
        if len(sizes) > 1:
            raise ScenarioError(f"market parameters drawn for different numbers of paths: {sorted(sizes)}")
        return sizes.pop() if sizes else 1

    def with_stabilisers(self, **switches: bool) -> MarketParams:
        """A copy with some stabilisers switched, e.g. ``with_stabilisers(backstop=False)``."""
        return replace(self, stabilisers=replace(self.stabilisers, **switches))

    def take(self, index: np.ndarray | slice) -> MarketParams:
        """The parameters of some paths (scalars stay scalars)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = value[index] if isinstance(value, np.ndarray) and value.ndim == 1 else value
        return MarketParams(**out)


def _show(value: np.ndarray) -> str:
    return f"{float(value):g}" if value.ndim == 0 else f"[{value.min():g}, {value.max():g}]"


#: Accepted ranges (inclusive). Wide enough for any draw of the priors and for sensitivity work; they are
#: sanity bounds, not calibration floors.
BOUNDS: dict[str, tuple[float, float]] = {
    "persistent_bp_per_pp": (0.0, 50.0),
    "flow_bp_per_pp": (0.0, 1000.0),
    "flow_half_life_months": (0.05, 60.0),
    "rolldown_half_life_years": (0.5, 100.0),
    "loading_5y": (0.0, 1.5),
    "fed_flow_weight": (0.0, 1.0),
    "supply_flow_weight": (0.0, 1.0),
    "supply_duration_share": (0.0, 1.0),
    "flight_to_quality": (0.0, 1.0),
    "fima_share": (0.0, 1.0),
    "backstop_trigger_bp": (0.0, 1000.0),
    "backstop_speed_per_month": (0.0, 40.0),
    "backstop_orderly_trigger_bp": (0.0, 1000.0),
    "bill_shift_threshold_bp": (0.0, 1000.0),
    "bill_shift_share": (0.0, 0.9),
    "value_band_bp": (0.0, 2000.0),
    "value_share": (0.0, 0.9),
}


@dataclass(frozen=True)
class MarketPriors:
    """Stated priors of the uncertain parameters (90% ranges); see :class:`MarketParams` for the evidence.

    Parameters not listed are fixed at their :class:`MarketParams` defaults. Those in :data:`FIXED_ON_EVERY_PATH`
    (``loading_5y``) state their evidence as a range but take one value on every path, their prior's median (or
    the number :meth:`with_overrides` fixes): :func:`draw_params` does not draw them.
    """

    persistent_bp_per_pp: Prior = field(default_factory=lambda: _ln(2.0, 8.0))
    flow_bp_per_pp: Prior = field(default_factory=lambda: _ln(60.0, 170.0))
    flow_half_life_months: Prior = field(default_factory=lambda: _ln(1.0, 4.0))
    rolldown_half_life_years: Prior = field(default_factory=lambda: _ln(5.0, 15.0))
    loading_5y: Prior = field(default_factory=lambda: _u(0.5, 0.8))
    fed_flow_weight: Prior = field(default_factory=lambda: _u(0.0, 0.2))
    supply_flow_weight: Prior = field(default_factory=lambda: _u(0.0, 0.3))
    flight_to_quality: Prior = field(default_factory=lambda: _u(0.2, 0.6))
    fima_share: Prior = field(default_factory=lambda: _u(0.3, 0.8))
    backstop_trigger_bp: Prior = field(default_factory=lambda: _u(10.0, 30.0))
    backstop_speed_per_month: Prior = field(default_factory=lambda: _ln(2.7, 9.0))
    bill_shift_share: Prior = field(default_factory=lambda: _u(0.0, 0.4))
    value_share: Prior = field(default_factory=lambda: _u(0.1, 0.5))
    # (last: drawn after the others, so adding it left every other parameter's draws as they were)
    backstop_orderly_trigger_bp: Prior = field(default_factory=lambda: _u(160.0, 220.0))

    def medians(self, stabilisers: Stabilisers | None = None) -> MarketParams:
        """The prior medians as scalar parameters (the deterministic run)."""
        values = {f.name: getattr(self, f.name).median for f in fields(self)}
        return MarketParams(**values, stabilisers=stabilisers or Stabilisers())

    def with_overrides(self, **values: float | Prior) -> MarketPriors:
        """Fix parameters (a number) or replace their priors (a :class:`Prior`)."""
        known = {f.name for f in fields(self)}
        out = {}
        for name, value in values.items():
            if name not in known:
                raise ScenarioError(f"unknown market prior {name!r}; known: {', '.join(sorted(known))}")
            out[name] = value if isinstance(value, Prior) else Prior(float(value), float(value), "fixed")
        return replace(self, **out)


#: Parameters with a stated range that take one value on every path, their prior's median (or the number a
#: scenario fixes): ``loading_5y`` is also the 5-year knot of the fiscal engine's tenor curve
#: (:func:`geostress.model.fiscal.term_premium_loading`), one vector shared by every path, so a per-path draw of it
#: could not reach the fiscal engine.
FIXED_ON_EVERY_PATH: tuple[str, ...] = ("loading_5y",)
#: Parameters the variance decomposition reports (all the drawn ones).
UNCERTAIN: tuple[str, ...] = tuple(f.name for f in fields(MarketPriors) if f.name not in FIXED_ON_EVERY_PATH)


def draw_params(
    priors: MarketPriors | None, rng: Uniforms, n_paths: int, stabilisers: Stabilisers | None = None
) -> MarketParams:
    """One parameter draw per path from ``priors`` (the parameters' order is fixed, so a path's draw depends only
    on the generator's state). A parameter of :data:`FIXED_ON_EVERY_PATH` is its prior's median on every path; it
    still takes its ``n_paths`` uniforms, so the other parameters' draws are those it would get drawn."""
    if n_paths < 1:
        raise ScenarioError(f"market: n_paths={n_paths} must be at least 1")
    priors = priors or MarketPriors()

    def one(name: str) -> np.ndarray:
        prior = getattr(priors, name)
        return (Prior.fixed(prior.median) if name in FIXED_ON_EVERY_PATH else prior).draw(rng, n_paths)

    values = {f.name: one(f.name) for f in fields(priors)}
    return MarketParams(**values, stabilisers=stabilisers or Stabilisers())


# -- state and step -----------------------------------------------------------------------------------------------
class MarketState(NamedTuple):
    """Market state on P paths (all term premia are deviations from the baseline, bp).

    Attributes
    ----------
    stock_bn
        (P,) duration moved into private hands and not yet rolled down, USD bn (the persistent effect's base).
    flow_bp
        (P,) flow pressure at 10 years after the backstop.
    persistent_bp
        (P,) persistent effect at 10 years after the Treasury's bill shift.
    tp_10y_bp
        (P,) the 10-year term premium deviation (persistent + flow, after value buyers).
    backstop_bn
        (P,) cumulative Fed backstop purchases, USD bn.
    fima_bn
        (P,) cumulative official sales financed at the FIMA repo facility instead of sold, USD bn.
    backstop_active
        (P,) the backstop's intensity this step, the signal the contagion block reads: 0 where it did not buy
        (or is switched off), rising linearly from half its trigger to 1 at the trigger (continuous, so the
        relief it brings to sellers has no step).
    backstop_held_bn
        (P,) the backstop's purchases not yet sold back, USD bn: the holdings are temporary, so whenever buyers
        push the flow pressure below zero the Fed sells them back into that demand at its pace ``1 − exp(−κ·dt)``
        of the (negative) pressure, at most what it holds (a run the backstop absorbed and that then reverses
        does not leave the premium below where it started for longer than the run kept it above).
    fima_held_bn
        (P,) FIMA repo outstanding, USD bn: a liquidity-motivated official *buyback* first repays it (a loan is
        repaid, no bonds are bought), so a run the repo financed leaves the stock and the premium where it was.
    fima_active
        (P,) the FIMA repo facility's intensity this step, the officials' relief in the contagion block: the same
        ramp on the pressure as ``backstop_active``, with the facility on, whether or not the Fed buys (a standing
        facility).
    """

    stock_bn: np.ndarray
    flow_bp: np.ndarray
    persistent_bp: np.ndarray
    tp_10y_bp: np.ndarray
    backstop_bn: np.ndarray
    fima_bn: np.ndarray
    backstop_active: np.ndarray
    backstop_held_bn: np.ndarray
    fima_held_bn: np.ndarray
    fima_active: np.ndarray


#: Fields of :class:`MarketState`.
N_STATE_FIELDS = len(MarketState._fields)


def initial_state(n_paths: int) -> MarketState:
    """The baseline: nothing sold, no pressure (each field its own array, so a state may be advanced in place)."""
    if n_paths < 1:
        raise ScenarioError(f"market: n_paths={n_paths} must be at least 1")
    return MarketState(*(np.zeros(n_paths) for _ in range(N_STATE_FIELDS)))


class Flows(NamedTuple):
    """One step's flows, USD bn (scalars or (P,) arrays); positive = sales into the market.

    Attributes
    ----------
    official
        Foreign-official net sales for any motive but liquidity (diversification, sanctions, solvency worries).
    official_liquidity
        Foreign-official net sales to raise dollars (FX defence, dash for cash): met by flight-to-quality
        buying and, with the FIMA repo facility, partly financed instead of sold.
    foreign_private
        Foreign private net sales (to other private investors: flow effect only).
    domestic_private
        Domestic private net sales (flow effect only).
    fed_purchases
        The Fed's programme purchases (QE > 0, QT < 0), not counting the backstop.
    supply
        Net new marketable supply (all maturities; its coupon share carries duration).
    official_run
        Foreign-official sales in a liquidity run of the contagion block (the change in the officials' run
        position): met by flight-to-quality buying like ``official_liquidity``, but the FIMA repo takes no share of
        them. The contagion block's backstop relief is already the repo's part of a run (the runs it keeps from
        starting), and the runs are calibrated on TIC's outright sales of March–May 2020, which are net of any
        repo; a buyback is bought back in the market.
    private_run
        Foreign and domestic private sales in a liquidity run of the contagion block (the change in those classes'
        run positions): priced as private sales (flow effect only), and, like ``official_run``, the dash for
        cash's own selling, which the backstop meets from March 2020's trigger whatever the step's liquidity
        stress (:func:`dash_pressure`). One number for all private classes: a class that unwinds its run while
        another runs is a buyer of the month, so give its buying back in ``foreign_private`` or
        ``domestic_private`` and only the runs here (the coupled loop's pass does; a negative ``private_run`` is
        taken as buying too, but netted into this field it would cancel the other class's run).
    """

    official: Num = 0.0
    official_liquidity: Num = 0.0
    foreign_private: Num = 0.0
    domestic_private: Num = 0.0
    fed_purchases: Num = 0.0
    supply: Num = 0.0
    official_run: Num = 0.0
    private_run: Num = 0.0


def step(state: MarketState, flows: Flows, params: MarketParams, gdp_bn: Num, dt_months: float = 1.0,
         stress: float = 0.0) -> MarketState:
    """Advance the market ``dt_months`` on every path.

    Parameters
    ----------
    state
        Last step's state.
    flows
        This step's flows (USD bn over the step).
    params
        Scalars or (P,) draws.
    gdp_bn
        Nominal GDP at an annual rate this step, USD bn (scalar or (P,)).
    dt_months
        Step length in months.
    stress
        The step's liquidity stress, 0 (orderly selling) to 1 (a dash for cash; more counts as 1): the share of
        the pressure beyond the runs' own that the backstop meets from :attr:`MarketParams.backstop_trigger_bp`
        rather than :attr:`MarketParams.backstop_orderly_trigger_bp` (:func:`dash_pressure`).

    Returns
    -------
    MarketState
        The new state. The map from flows to term premium is monotone: more sales (or less Fed buying, or more
        supply) never give a lower term premium on any later step, and no stabiliser ever raises it.
    """
    stress = checked_stress(stress)
    gdp = np.asarray(gdp_bn, dtype=float)
    if np.any(~np.isfinite(gdp)) or np.any(gdp <= 0):
        first = gdp.ravel()[np.flatnonzero(~np.isfinite(gdp.ravel()) | (gdp.ravel() <= 0))[0]]
        raise ScenarioError(f"market: gdp_bn must be positive and finite, not {first}: give nominal GDP in USD bn "
                            "(annualised, e.g. 31,000)", parameter="gdp_bn")
    for name, value in flows._asdict().items():
        if not np.all(np.isfinite(np.asarray(value, dtype=float))):
            raise ScenarioError(f"market: flow {name!r} contains NaN or inf: give finite USD bn sold (positive) or "
                                "bought (negative)", parameter=name)
    n = max(np.size(state.tp_10y_bp), params.n_draws, np.size(gdp),
            *(np.size(v) for v in flows))
    if np.size(state.tp_10y_bp) not in (1, n):
        raise ScenarioError(f"market: the state has {np.size(state.tp_10y_bp)} paths, the inputs {n}")
    for name, value in [*flows._asdict().items(), ("gdp_bn", gdp)]:
        if np.size(value) not in (1, n):
            raise ScenarioError(f"market: {name} has {np.size(value)} values; give one, or one per path ({n})")
    return advance(state, flows, pack(params, dt_months, n), gdp, stress)


def checked_stress(stress: float, where: str = "market step") -> float:
    """``stress`` as a float, or a :class:`ScenarioError` when it is not a finite number of at least 0."""
    try:
        value = float(stress)
    except (TypeError, ValueError):
        value = float("nan")
    if not (np.isfinite(value) and value >= 0.0):
        raise ScenarioError(f"{where}: liquidity stress {stress!r} must be a finite number of at least 0 (0 orderly, "
                            "1 a dash for cash)", parameter="stress")
    return value


def dash_pressure(pressure: np.ndarray, run_pressure: np.ndarray, stress: float) -> np.ndarray:
    """The part of the flow pressure the backstop meets as a dash for cash: the runs' own pressure and a share
    ``stress`` of the rest, never more than the pressure itself: ``min(F, d·F + (1 − d)·R)`` for pressure ``F``,
    the runs' pressure ``R`` (at most the month's net sales: :func:`net_runs`) and stress ``d`` in [0, 1].

    Nondecreasing in ``F`` (slope ``d`` or 1), in ``R`` (slope ``1 − d`` or 0) and in ``d`` wherever ``F ≥ R``;
    a sale that adds ``x`` to ``F`` adds at most ``x`` to ``R`` (:func:`net_runs`), so the part grows by at most
    ``x``, and the backstop's Huber response (slope ≤ 1, times its pace < 1) leaves the flow pressure after it
    nondecreasing in every sale, runs included. At ``d`` = 1 the part is the whole pressure; at ``d`` = 0 with no
    run it is nothing positive.
    """
    share = min(max(stress, 0.0), 1.0)
    return np.minimum(pressure, share * pressure + (1.0 - share) * run_pressure)


def net_runs(runs: np.ndarray, net_sales: np.ndarray) -> np.ndarray:
    """The runs' selling that builds the dash's part of the pressure: the month's run sales ``runs`` (USD bn, as
    private investors absorb them: the officials' after flight to quality, the private classes'; a run that
    unwinds buys back, so it is left out here and counts among the month's buyers), at most the month's net sales
    ``net_sales`` (every holder's sales as they enter what private investors absorb, runs included, less the Fed's
    programme purchases as they do; new supply apart), at least 0.

    The month's buyers meet the other holders' sales before the runs: only the net selling can be a dash for
    cash, and it is the runs' up to their size. So the answer depends on the month's net flows and the runs, not
    on how the holders' other flows are labelled or netted into holder groups (an official seller and a private
    buyer count as a private seller and a private buyer do), and a run met by a buyer of the same size in a month
    with no other net selling builds none. New supply is not among the sales the buyers meet first: with the Fed's
    programme purchases meeting every sale, an extra run adds only the purchases' small flow weight to the
    pressure, and a cap that counted supply would let the run's part grow by the whole run there.

    A sale that adds ``x`` to ``net_sales`` adds at most ``x`` to the part (a run adds to both, anything else
    only to ``net_sales``; where the Fed's purchases meet the month's sales in full ``net_sales`` is at most 0),
    so the part never grows faster than what private investors absorb."""
    return np.maximum(np.minimum(runs, net_sales), 0.0)


class Packed(NamedTuple):
    """:class:`MarketParams` as (P,) arrays for one step length, stabilisers folded in (a switched-off stabiliser
    has a zero share), so the monthly loop does array arithmetic only."""

    beta: np.ndarray
    phi: np.ndarray
    flow_decay: np.ndarray
    roll: np.ndarray
    fed_w: np.ndarray
    supply_w: np.ndarray
    duration: np.ndarray
    ftq: np.ndarray
    fima: np.ndarray
    trigger: np.ndarray
    rate: np.ndarray
    bill_share: np.ndarray
    bill_threshold: np.ndarray
    value_share: np.ndarray
    value_band: np.ndarray
    orderly_trigger: np.ndarray


#: Rows of :class:`Packed` (the compiled kernels index them by position).
N_PACKED = len(Packed._fields)

def pack(params: MarketParams, dt_months: float, n_paths: int) -> Packed:
    """Fold ``params`` (scalars or (P,) draws) and the step length into :class:`Packed` arrays of length P."""
    if not dt_months > 0:
        raise ScenarioError(f"market: dt_months={dt_months} must be positive")
    if params.n_draws not in (1, n_paths):
        raise ScenarioError(f"market: parameters drawn for {params.n_draws} paths, the run has {n_paths}")
    p, sw = params, params.stabilisers
    full = lambda x: np.broadcast_to(np.asarray(x, dtype=float), (n_paths,)).copy()  # noqa: E731
    off = lambda on, x: full(x) if on else np.zeros(n_paths)  # noqa: E731
    return Packed(
        full(p.persistent_bp_per_pp), full(p.flow_bp_per_pp),
        np.exp2(-dt_months / full(p.flow_half_life_months)),
        np.exp2(-dt_months / (12.0 * full(p.rolldown_half_life_years))),
        full(p.fed_flow_weight), full(p.supply_flow_weight), full(p.supply_duration_share),
        full(p.flight_to_quality), off(sw.fima, p.fima_share), full(p.backstop_trigger_bp),
        off(sw.backstop, -np.expm1(-np.asarray(p.backstop_speed_per_month, dtype=float) * dt_months)),
        off(sw.bill_shift, p.bill_shift_share),
        full(p.bill_shift_threshold_bp), off(sw.value_buyers, p.value_share), full(p.value_band_bp),
        np.maximum(full(p.backstop_orderly_trigger_bp), full(p.backstop_trigger_bp)),
    )  # fmt: skip


def huber_response(pressure: np.ndarray, trigger: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The backstop's Huber-shaped response to ``pressure`` (bp) from ``trigger``: what it takes off before its
    pace (none below half the trigger, quadratic up to the trigger, linear beyond it: slope ≤ 1 whatever the
    pressure, so the rule is monotone, and repeated steps push the pressure back to half the trigger), and its
    intensity (0 below half the trigger, rising linearly to 1 at it)."""
    width = 0.5 * trigger
    over = np.maximum(pressure - width, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        huber = np.where(width > 0, np.where(over <= width, over * over / (2.0 * width), over - 0.5 * width), over)
        share = np.where(over > 0.0, np.where(width > 0, np.minimum(over / width, 1.0), 1.0), 0.0)
    return huber, share


def advance(state: MarketState, flows: Flows, k: Packed, gdp: Num, stress: float = 0.0) -> MarketState:
    """The arithmetic of :func:`step` on packed parameters (no validation: the caller checked the inputs)."""
    pp = 100.0 / gdp  # USD bn → pp of GDP
    official, liquidity, foreign_private, domestic_private, fed, supply, run, private_run = flows
    fima = k.fima * np.maximum(liquidity, 0.0)
    repay = np.minimum(np.maximum(-liquidity, 0.0), state.fima_held_bn)  # a buyback first repays the repo
    liquidity_sold = liquidity - fima + repay
    duration_supply = k.duration * supply
    private = foreign_private + domestic_private
    sales = official + (1.0 - k.ftq) * (liquidity_sold + run) + private + private_run
    meet = np.clip(fed, 0.0, np.maximum(sales, 0.0))  # Fed purchases first meet this month's sales, in full
    fed_bought = meet + k.fed_w * (fed - meet)
    absorbed = sales - fed_bought + k.supply_w * duration_supply
    pressure = k.flow_decay * state.flow_bp + k.phi * pp * absorbed
    # the backstop answers the larger of its orderly response to the whole pressure and its dash-for-cash response
    # to the dash's part (the runs' own pressure, at most the month's net sales, and a share ``stress`` of the rest)
    runs = net_runs((1.0 - k.ftq) * np.maximum(run, 0.0) + np.maximum(private_run, 0.0), sales - fed_bought)
    dash = dash_pressure(pressure, k.phi * pp * runs, stress)
    orderly_cut, orderly_share = huber_response(pressure, k.orderly_trigger)
    dash_cut, dash_share = huber_response(dash, k.trigger)
    cut = k.rate * np.maximum(orderly_cut, dash_cut)
    share = np.maximum(orderly_share, dash_share)
    active = np.where((share > 0.0) & (k.rate > 0.0), share, 0.0)
    fima_active = np.where((share > 0.0) & (k.fima > 0.0), share, 0.0)
    bought = np.divide(cut, k.phi * pp, out=np.zeros_like(cut), where=cut > 0.0)
    # the backstop's holdings are temporary: it sells them back into buying (negative pressure) at its pace, with no
    # threshold (demand-led, as the Bank of England sold its 2022 gilt purchases), at most what it holds
    with np.errstate(divide="ignore", invalid="ignore"):
        give_bn = np.divide(k.rate * np.maximum(-pressure, 0.0), k.phi * pp)
    sold_back = np.where(give_bn > 0.0, np.minimum(give_bn, state.backstop_held_bn), 0.0)
    flow = pressure - cut + k.phi * pp * sold_back
    stock = k.roll * state.stock_bn + (official + liquidity_sold + run + duration_supply - fed)
    persistent = k.beta * pp * stock
    persistent = persistent - k.bill_share * np.maximum(persistent - k.bill_threshold, 0.0)
    tp = persistent + flow
    tp = tp - k.value_share * np.maximum(tp - k.value_band, 0.0)
    return MarketState(stock, flow, persistent, tp, state.backstop_bn + bought,
                       state.fima_bn + fima, active, state.backstop_held_bn + bought - sold_back,
                       state.fima_held_bn + fima - repay, fima_active)


def advance_inplace(state: MarketState, flows: np.ndarray, packed: np.ndarray, gdp: float,
                    stress: float = 0.0) -> None:
    """:func:`advance` on a state whose arrays the caller owns, updated in place (compiled: the compiled month's
    reference, held against :func:`advance` and the coupled loop's one-kernel pass,
    :func:`geostress.model.market_kernels.market_months`, by the tests; the validation experiments run
    :func:`respond`).

    ``flows`` (1 or P, 8) USD bn in :class:`Flows` order; ``packed`` = ``np.vstack(pack(...))``
    (:data:`N_PACKED`, P); ``stress`` the step's liquidity stress (:func:`step`).
    """
    from geostress.model.market_kernels import market_month  # (here: what imports the block alone skips numba)

    if not (gdp > 0 and np.isfinite(gdp)):  # (the compiled step divides by it: zero would give inf, not an error)
        raise ScenarioError(f"market step: GDP = {gdp} bn; it must be positive and finite")
    columns = len(Flows._fields)
    if np.ndim(flows) != 2 or np.shape(flows)[1] != columns or np.shape(flows)[0] not in (1, np.size(state.tp_10y_bp)):
        raise ScenarioError(f"market step: flows of shape {np.shape(flows)}; give (1 or P, {columns}) in Flows order "
                            f"({', '.join(Flows._fields)})")
    market_month(state.stock_bn, state.flow_bp, state.persistent_bp, state.tp_10y_bp, state.backstop_bn,
                 state.fima_bn, state.backstop_active, state.backstop_held_bn, state.fima_held_bn, state.fima_active,
                 np.ascontiguousarray(flows, float), float(gdp), packed, checked_stress(stress))


# -- whole paths --------------------------------------------------------------------------------------------------
class Response(NamedTuple):
    """Paths of a run of :func:`respond` (P, T) each, bp or USD bn."""

    tp_10y_bp: np.ndarray
    persistent_bp: np.ndarray
    flow_bp: np.ndarray
    backstop_bn: np.ndarray
    fima_bn: np.ndarray


def respond(
    params: MarketParams, flows: Mapping[str, np.ndarray], gdp_bn: Num | np.ndarray, steps: int,
    dt_months: float = 1.0, n_paths: int | None = None, stress: Num | np.ndarray = 0.0,
) -> Response:  # fmt: skip
    """Run :func:`step` over ``steps`` steps.

    Parameters
    ----------
    params
        Scalars or (P,) draws.
    flows
        Field of :class:`Flows` → (T,) or (P, T) USD bn per step; missing fields are zero.
    gdp_bn
        Scalar, (T,) or (P, T) nominal GDP at an annual rate.
    steps
        T.
    dt_months
        Step length in months.
    n_paths
        P (default: the number of parameter draws, or the flows' or GDP's paths when they have more).
    stress
        Scalar or (T,) liquidity stress per step, 0 (orderly) to 1 (a dash for cash): what the backstop meets
        from March 2020's trigger (:func:`step`).
    """
    unknown = set(flows) - set(Flows._fields)
    if unknown:
        raise ScenarioError(f"unknown flows {sorted(unknown)}; known: {', '.join(Flows._fields)}")
    cols = {k: _per_step(np.asarray(v, dtype=float), steps, k) for k, v in flows.items()}
    gdp = _per_step(np.asarray(gdp_bn, dtype=float), steps, "gdp_bn")
    rows = {name: value.shape[0] for name, value in [*cols.items(), ("gdp_bn", gdp)] if value.ndim == 2}
    n = n_paths or max([params.n_draws, *rows.values()])
    for name, value in [*cols.items(), ("gdp_bn", gdp)]:
        if value.ndim > 2 or rows.get(name, n) != n:
            raise ScenarioError(f"market: {name} has shape {value.shape}; give (T,) or (P, T) with P = {n} paths "
                                f"and T = {steps} steps")
    for name, value in [*cols.items(), ("gdp_bn", gdp)]:
        bad = ~np.isfinite(value) | ((value <= 0) if name == "gdp_bn" else False)
        if np.any(bad):
            at = np.argwhere(bad)[0]  # (path, step), (step,) or () for one value
            where = f" at step {int(at[-1])}" if np.ndim(value) else ""
            raise ScenarioError(f"market: {name} must be finite" + (" and positive" if name == "gdp_bn" else "") +
                                f", not {value[tuple(at)]}{where}: give USD bn for every step", parameter=name)
    stress_by_step = _per_step(np.asarray(stress, dtype=float), steps, "stress")
    if stress_by_step.ndim != 1:
        raise ScenarioError(f"market: stress has shape {stress_by_step.shape}; give one value or (T,) with T = "
                            f"{steps} steps (the same on every path)", parameter="stress")
    bad = ~(np.isfinite(stress_by_step) & (stress_by_step >= 0.0))
    if bad.any():
        checked_stress(float(stress_by_step[np.argmax(bad)]), "market")  # (raises, naming the value)
    out = {k: np.empty((n, steps)) for k in Response._fields}
    state = initial_state(n)
    packed = pack(params, dt_months, n)
    for t in range(steps):
        month = Flows(**{k: v[..., t] for k, v in cols.items()})
        state = advance(state, month, packed, gdp[..., t], float(stress_by_step[t]))
        out["tp_10y_bp"][:, t] = state.tp_10y_bp
        out["persistent_bp"][:, t] = state.persistent_bp
        out["flow_bp"][:, t] = state.flow_bp
        out["backstop_bn"][:, t] = state.backstop_bn
        out["fima_bn"][:, t] = state.fima_bn
    return Response(**out)


def _per_step(value: np.ndarray, steps: int, name: str) -> np.ndarray:
    if value.ndim == 0:
        return np.full(steps, float(value))
    if value.shape[-1] != steps:
        raise ScenarioError(f"market: {name} has {value.shape[-1]} steps, expected {steps}")
    return value


def sale_schedule(amount_bn: float, months: int, horizon: int, start_month: int = 1) -> np.ndarray:
    """(horizon,) an even sale of ``amount_bn`` over ``months`` months from ``start_month`` (1 = first)."""
    if months < 1 or start_month < 1 or start_month - 1 + months > horizon:
        raise ScenarioError(f"a sale over {months} months from month {start_month} does not fit {horizon} months")
    if not np.isfinite(amount_bn):
        raise ScenarioError(f"a sale of {amount_bn} bn: the amount must be a finite number")
    out = np.zeros(horizon)
    out[start_month - 1 : start_month - 1 + months] = amount_bn / months
    return out


__all__ = [
    "FIXED_ON_EVERY_PATH", "GROUPS", "HOLDER_CLASSES", "MOTIVES", "UNCERTAIN", "Flows", "MarketParams",
    "MarketPriors", "MarketState", "Prior", "Response", "SectorSpec", "Stabilisers", "draw_params", "exceeds_holdings",
    "find_sector", "initial_state", "respond", "sale_schedule", "step",
]  # fmt: skip
