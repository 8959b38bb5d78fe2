"""Published-figure checks of the Treasury price-impact block (MARKET_EVIDENCE.md §4), listed in CHECKS.

Each check runs a model experiment at the market of the study's own date (holders and GDP from the store) with
the prior medians, and compares it with the published range (``kind="absolute"``: |value − target| ≤ tolerance,
so target ± tolerance is the pass band). Ids say what a check is (its ``role``, :mod:`geostress.validate.registry`):

* ``market_*`` checks against evidence no parameter was set from are **validation**: the size of the March-2020
  backstop, the variance bound, slope and episode signs of the 2000–2025 replay, Beltran et al.'s long run.
* ``market_*`` checks against the studies a prior was centred on are **consistency** checks (MARKET_EVIDENCE.md §4
  lists them among its validation targets; the registry's role says what they can show): QE2, all QE, the
  holder-mix stock effect and debt supply read back β, whose prior (2–8 bp per pp of GDP, central 4) is centred on
  the same QE and debt-supply literature they quote (Williams 2013, Bonis, Ihrig & Wei 2017, CBO, Laubach 2009; the
  IMF's holder-mix estimate sits in the same 2–8 cluster, MARKET_EVIDENCE.md §1); debt supply is 0.68 · β, no more.
  What they test is that the whole block — each study's experiment fed as flows at the study's own date, roll-down
  of the stock, dilution by GDP, the flow effect, the stabilisers where they are on — turns the prior's median back
  into those studies' answers. That can fail: in the all-QE experiment six years of roll-down leave ≈80% of the
  closed form β · 100 · extra / GDP (persistent part −58.7 bp of −72.1; the flow effect adds −6.0), and with β at
  Beltran's ≈29 all four leave their bands
  (``tests/test_market.py::test_beltrans_long_run_cannot_pass_with_the_other_targets``). The backstop's idleness in
  the replay's calm months is a consistency check too (the orderly trigger's prior was set with that replay in
  view).
* ``calibration_market_*`` are **calibration identities**: Beltran et al.'s short run sets the flow coefficient φ,
  and the March-2020 dash for cash sets the backstop's trigger T and speed κ, chosen so that the weekly experiment
  peaks inside +30–100 bp (it peaks at ≈+40) and is back within ±25 bp by week 4 (at the band's edge: ≈+24.8)
  (:class:`geostress.model.market.MarketParams`, docs/market.md). They guard the mechanics, not the evidence.

Four validation checks are registered as **known gaps** (they fail, are printed as such, and do not fail the
command; docs/market.md, "What the block does not reproduce"): Beltran et al.'s *long run* (≈20 bp at 5 years for
$100bn, ≈29 bp per pp of GDP at the 2007 market size, where the QE, debt-supply and holder-mix estimates of the
persistent effect cluster at 2–8 bp per pp, D'Amico & King's stock effect higher, and the block follows that
cluster), the replay's slope of observed on
modelled 3-month changes (near zero: the flows explain almost none of the premium's moves, respond to prices, and
after 2012 take their sign from an assumed valuation duration, so a replay of observed flows cannot identify impact),
the size of the March-2020 backstop (the rule sees only the foreign sales in TIC), and the replay's episode signs
(the same flows, which respond to prices and miss the expectations episodes).
"""

from __future__ import annotations

import math
from functools import cache

from geostress.data.store import Store
from geostress.run.replay import REPLAY_SD_RATIO_MAX, REPLAY_SLOPE_BAND
from geostress.validate.registry import Check

CHECKS: list[Check] = []


@cache
def _march(home: str) -> dict[str, float]:
    from geostress.run.market_experiments import march_2020

    out = march_2020(Store(home))
    return {"peak": out["peak_bp"], "week4": out["week4_bp"], "backstop": out["backstop_bn"]}


@cache
def _replay(home: str) -> dict[str, float]:
    from geostress.run.replay import replay_scores

    scores = replay_scores(Store(home))
    signs = [math.copysign(1.0, modelled) == math.copysign(1.0, observed) for _, modelled, observed in scores.episodes]
    share = sum(signs) / len(signs) if signs else float("nan")  # (the 2000–2025 window covers all nine)
    return {"sd_ratio": scores.sd_ratio_12m, "slope": scores.slope_3m, "episode_signs": share}


@cache
def _backstop_replay(home: str) -> float:
    from geostress.run.market_experiments import backstop_replay_bn

    return float(backstop_replay_bn(Store(home)).sum())


def _beltran(store: Store, horizon: int) -> float:
    """Beltran et al.'s experiment at Dec-2007: 5y bp on impact (``horizon`` 0) or 36 months on (1)."""
    from geostress.run.market_experiments import beltran_2007

    return beltran_2007(store)[horizon]


def _run(name: str):  # type: ignore[no-untyped-def]
    def compute(store: Store) -> float:
        from geostress.run import market_experiments

        return float(getattr(market_experiments, name)(store))

    return compute


CHECKS.append(Check("market_qe2_10y_bp", -25.0, 15.0,
               "[consistency] Williams (2013): $600bn of Fed purchases → 10y −15 to −25 bp; model: the Fed buys $600bn "
               "over 8 months at Nov-2010 GDP, 10y term premium at the end (pass −40 to −10; β's prior is centred on "
               "this and the other QE studies)",
               _run("qe2_bp"), kind="absolute", role="consistency"))
CHECKS.append(Check("market_all_qe_10y_bp", -100.0, 50.0,
               "[consistency] Bonis, Ihrig & Wei (2017): ≈$4.5tn (2008–14) → 10y term premium ≈ −100 bp; model: the "
               "block fed, month by month from Aug-2007 to Dec-2014, the Fed's Treasuries (TREAST) above their "
               "pre-2008 path (Aug-2007 holdings growing with nominal GDP) as Fed purchases, plus its ≈$1.74tn MBS "
               "at end-2014 [H.4.1, secondary] spread evenly over 2009–14, with roll-down and dilution; 10y term "
               "premium at end-2014 (pass −150 to −50; β's prior is centred on this and the other QE studies)",
               _run("all_qe_bp"), kind="absolute", role="consistency"))
CHECKS.append(Check("market_stock_share_bp", -3.0, 2.0,
               "[consistency] IMF WP/17/174: +1 pp foreign-official share of marketable Treasuries → term premium "
               "−2.0 to −2.4 bp at maturities of 2–3 years; model: officials buy 1 pp of marketable debt from "
               "private hands, today's market, 36 months on, the 10-year premium at the 2–3-year tenors' loading "
               "(pass −5 to −1; the model sits at the band's edge, half IMF's figure: the block gives every seller "
               "one maturity profile, largest at long tenors, where foreign officials hold mostly short ones; "
               "docs/market.md; β's prior is centred on the 2–8 bp per pp cluster this estimate sits in)",
               _run("stock_share_bp"), kind="absolute", role="consistency"))
CHECKS.append(Check("market_debt_supply_bp", 3.25, 1.75,
               "[consistency] CBO (+2, range 2–3, bp on the 10-year per pp of debt/GDP) and Laubach (2009; +3–4 bp "
               "on the 5-year-ahead 10-year forward rate per pp of projected debt/GDP); model: supply +1 pp of GDP at "
               "the default mix, 24 months on, market block only (the fiscal engine's credit premium is a separate "
               "term) "
               "(pass +1.5 to +5; the experiment is 0.68 · β, whose prior is centred on these studies)",
               _run("debt_supply_bp"), kind="absolute", role="consistency"))
CHECKS.append(Check("market_march_2020_backstop_bn", 1266.0, 0.5,
               "[validation] March 2020: the Fed's Treasury holdings rose $1,266bn from 11 March to 15 April (FRED "
               "TREAST); model: the backstop rule's purchases in the same experiment (±50%)",
               lambda s: _march(str(s.home))["backstop"],
               known_gap="the rule answers the sales it sees, TIC's foreign ones (≈$400bn in March after the "
                         "valuation adjustment); the domestic dash for cash the Fed absorbed (hedge funds' basis "
                         "trades, mutual funds; Vissing-Jorgensen 2021) is not in the store's flows"))
CHECKS.append(Check("market_backstop_idle_in_replay_bn", 25.0, 25.0,
               "[consistency] The Fed made no market-functioning purchase of Treasuries from 2003 to 2025 but in "
               "March–April 2020 (FRED TREAST; QE and reinvestment are monetary policy, in the replay's Fed flows); "
               "model: what the backstop rule buys when the replay's flows from TREAST's first full month (Jan-2003; "
               "the Fed's actual purchases among them) run with the rule on at the prior medians, every month but "
               "March–April 2020 orderly, March–April 2020 left out (pass $0–50bn in all, a judgement). The orderly "
               "trigger's prior was set with this replay in view (its highest orderly flow pressure, 75.6 bp in "
               "Oct-2016, sits below where purchases start at the prior's low end, 80 bp): a consistency check",
               lambda s: float(_backstop_replay(str(s.home))), kind="absolute", role="consistency"))
CHECKS.append(Check("market_replay_sd_ratio_12m", REPLAY_SD_RATIO_MAX / 2, REPLAY_SD_RATIO_MAX / 2,
               "[validation] MARKET_EVIDENCE §3 variance bound: SD of modelled 12-month changes ≤ SD of the ACM "
               "term premium's, replay 2000–2025 of TIC, TREAST and FYGFDPUN flows (pass 0 to 1; a bound, "
               "necessary and not sufficient: a block with no price effect passes it, one with too large a flow "
               "effect does not)",
               lambda s: _replay(str(s.home))["sd_ratio"], kind="absolute"))
CHECKS.append(Check("market_replay_slope_3m", sum(REPLAY_SLOPE_BAND) / 2,
                    (REPLAY_SLOPE_BAND[1] - REPLAY_SLOPE_BAND[0]) / 2,
               "[validation, judgement score] MARKET_EVIDENCE §3: slope of observed on modelled 3-month changes of the "
               "ACM 10y term premium near 1, replay 2000–2025 of TIC, TREAST and FYGFDPUN flows (pass 0.5 to 1.5)",
               lambda s: _replay(str(s.home))["slope"], kind="absolute",
               known_gap="the flows explain almost none of the premium's 3-month moves, so the slope sits near zero "
                         "(about one standard error below it) and is not identified: from 2012 its sign turns on the "
                         "duration used to take valuation out of TIC's market values, and flows respond to prices "
                         "(October 2008: $178bn bought as the premium rose 141 bp; July 2015: $81bn sold as it fell "
                         "24 bp); Fed flows priced 3–18 months early do not change that (docs/market.md)"))
CHECKS.append(Check("market_replay_episode_signs", 0.875, 0.125,
               "[validation, judgement score] MARKET_EVIDENCE §3: episode signs right; the share of the nine episodes "
               "of run/replay.EPISODES, after MARKET_EVIDENCE §2 (QE1, QE2, the maturity extension, the taper "
               "tantrum, QE3, the 2015 official sales, the dash for cash, the pandemic purchases, QT and deficits) "
               "whose modelled change of the ACM 10y term premium has the observed sign, replay 2000–2025 (pass "
               "0.75 to 1: at most two wrong, as one whose observed change is near zero may be [judgement])",
               lambda s: _replay(str(s.home))["episode_signs"], kind="absolute",
               known_gap="the same flows as the slope's, which explain little of the premium's moves: in QE1 the "
                         "flow effect of late 2008's foreign buying fades, with 2009's supply, against the Fed's "
                         "purchases; TREAST's par value is blind to the maturity extension's swap of short for long "
                         "securities; 2015's officials sold as yields fell (FX defence met by flight to quality); "
                         "the taper tantrum and QT are repricings that the flows do not carry (docs/market.md, "
                         "episodes)"))
CHECKS.append(Check("market_beltran_2007_5y_long_run_bp", 20.0, 0.3,
               "[validation] Beltran, Kretchmer, Marquez & Thomas (2013): $100bn one-month fall in foreign-official "
               "flows → 5y ≈+20 bp long run; model at Dec-2007 GDP, no stabilisers, 36 months on (±30%)",
               lambda s: _beltran(s, 1),
               known_gap="the persistent effect follows the cluster of QE, debt-supply and holder-mix estimates at "
                         "2–8 bp per pp of GDP (MARKET_EVIDENCE §1; D'Amico & King's stock effect is higher); "
                         "Beltran's long run is ≈29 bp per pp, several times that cluster (docs/market.md)"))
#: Shipped scenarios whose sales raise the premium, for the monetary offset's property check.
OFFSET_SCENARIOS = ("china-sells-300bn", "japan-also-sells", "china-sells-all")


def _offset_eases(store: Store) -> float:
    """The share of :data:`OFFSET_SCENARIOS` whose added net interest over ten years (deterministic path) is no
    larger with the monetary offset on than with it off: the policy rule answers the premium's drag on the economy
    by easing, so it can only take interest off a sale's cost."""
    from geostress.run.engine import run_scenario
    from geostress.spec.scenario import load_scenario

    def added(name: str, offset: bool) -> float:
        spec = load_scenario(name).with_overrides(**{"simulation.paths": 0, "market.monetary_offset": offset})
        return float(run_scenario(spec, store=store).headline()["added_net_interest_10y_bn"])

    return sum(added(n, True) <= added(n, False) for n in OFFSET_SCENARIOS) / len(OFFSET_SCENARIOS)


CHECKS.append(Check("market_property_offset_never_raises_interest", 1.0, 0.0,
               "[property] The monetary offset (the fiscal engine's policy rule answering the output gap and inflation "
               "the premium moves) never raises a sale's added net interest: share of china-sells-300bn, "
               "japan-also-sells and china-sells-all (deterministic path) whose ten-year figure with the offset on is "
               "at most the one with it off (pass 1)", _offset_eases, kind="absolute"))
#: Liquidity-shock intensities of ``dash-for-cash`` the intensity property runs, from none to March 2020's.
DASH_INTENSITIES = (0.0, 0.25, 0.5, 0.75, 1.0)
#: Paths and horizon (years) of the intensity property's runs (the runs and the Fed's purchases are over in months).
DASH_PATHS, DASH_YEARS = 200, 3


def dash_intensity_peaks(store: Store, intensities: tuple[float, ...] = DASH_INTENSITIES,
                         paths: int = DASH_PATHS, years: int = DASH_YEARS):  # type: ignore[no-untyped-def]
    """(len(intensities), paths) the backstop-on peak of the 10-year term premium, bp, of ``dash-for-cash`` with
    its liquidity shock at each intensity (the same seed, so the same parameter draws on every row)."""
    import numpy as np

    from geostress.run.engine import run_scenario
    from geostress.spec.scenario import load_scenario

    base = load_scenario("dash-for-cash")
    rows = []
    for intensity in intensities:
        spec = base.with_overrides(**{"liquidity_shocks[0].intensity": intensity, "simulation.paths": paths,
                                      "scenario.horizon_years": years})
        rows.append(np.asarray(run_scenario(spec, store=store).coupled.peak_10y_change_bp, dtype=float))
    return np.vstack(rows)


def _dash_monotone(store: Store) -> float:
    """The share of paths whose backstop-on peak never falls as ``dash-for-cash``'s intensity rises through
    :data:`DASH_INTENSITIES` (0.01 bp of slack for rounding)."""
    import numpy as np

    peaks = dash_intensity_peaks(store)
    return float(np.mean(np.all(np.diff(peaks, axis=0) >= -0.01, axis=0)))


CHECKS.append(Check("market_property_dash_intensity_monotone", 1.0, 0.0,
               "[property] A stronger dash for cash does not lower the peak when its runs are the only selling: "
               "the share of 200 paths of dash-for-cash (3 years) whose backstop-on 10y peak does not fall as the "
               "liquidity shock's intensity rises 0, 0.25, 0.5, 0.75, 1 (the backstop meets the runs' own pressure "
               "from March 2020's trigger at any stress; pass 1)", _dash_monotone, kind="absolute"))
CHECKS.append(Check("calibration_market_beltran_2007_5y_short_run_bp", 50.0, 0.3,
               "[calibration of φ] Beltran, Kretchmer, Marquez & Thomas (2013): $100bn one-month fall in foreign-"
               "official flows → 5y +40–60 bp short run; model at Dec-2007 GDP, no stabilisers (±30%)",
               lambda s: _beltran(s, 0)))
CHECKS.append(Check("calibration_market_march_2020_peak_bp", 65.0, 35.0,
               "[calibration of the backstop] March 2020: 10y +64 bp (9–18 March); the backstop's trigger T and "
               "speed κ are set so that this experiment peaks inside the band (MarketParams); model: TIC's "
               "valuation-adjusted foreign sales of Mar–Apr 2020, weekly, officials liquidity-motivated, backstop "
               "rule on (pass +30 to +100)",
               lambda s: _march(str(s.home))["peak"], kind="absolute"))
CHECKS.append(Check("calibration_market_march_2020_week4_bp", 0.0, 25.0,
               "[calibration of the backstop] March 2020: the spike was reversed within ≈2–4 weeks (10y back near "
               "0.62% by 1 April); model: the same experiment, week 4 (pass within ±25 bp of the start)",
               lambda s: _march(str(s.home))["week4"], kind="absolute"))
