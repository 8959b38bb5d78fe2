"""The published-figure experiments of ``geostress validate`` for the market block (MARKET_EVIDENCE.md §4): QE2,
all QE, the stock share, debt supply, Beltran et al. at the 2007 market, the weekly March-2020 dash for cash, and
the backstop rule run over the replay's flows.

References
----------
MARKET_EVIDENCE.md (../shared/reference) §1 and §4: the published figures and the experiments they are held to;
each function's docstring names its study.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from geostress.errors import DataError, ScenarioError
from geostress.model import market as mk
from geostress.run.market import FED_BACKSTOP_MONTHS
from geostress.run.replay import REPLAY_FLOWS

if TYPE_CHECKING:
    from geostress.data.store import Store


def _medians(**switches: bool) -> mk.MarketParams:
    return mk.MarketPriors().medians(mk.Stabilisers(**{k: switches.get(k, False) for k in
                                                       ("backstop", "fima", "bill_shift", "value_buyers")}))


def _gdp(store: Store, at: str) -> float:
    from geostress.calibrate.market import latest_value

    return latest_value(store, "fred.gdp", pd.Timestamp(at).date(), None)


def qe2_bp(store: Store) -> float:
    """The Fed buys $600bn over 8 months at the market of Nov-2010: 10y term premium at the end, bp
    (Williams 2013: −15 to −25)."""
    gdp = _gdp(store, "2010-11-30")
    r = mk.respond(_medians(), {"fed_purchases": mk.sale_schedule(600.0, 8, 8)}, gdp, 8)
    return float(r.tp_10y_bp[0, -1])


#: Federal Reserve agency MBS holdings, end-2014, USD bn (H.4.1, ≈$1.74tn) [secondary: not in the store].
MBS_END_2014_BN = 1740.0
#: The Fed's first MBS purchases (QE1, January 2009): the MBS are booked evenly from this month to end-2014
#: [judgement: their monthly path is not in the store; booked on H.4.1's year-end holdings instead, or over the
#: whole window, the experiment gives within ±2.5 bp of this].
MBS_FIRST_MONTH = "2009-01"
#: The pre-2008 path starts from the Fed's Treasury holdings on this date (FRED TREAST, weekly), grown with GDP.
ALL_QE_ANCHOR = date(2007, 8, 1)


def all_qe_flows(store: Store) -> pd.DataFrame:
    """Monthly inputs of the all-QE experiment, month ends from Aug-2007 (the anchor of the pre-2008 path) to
    Dec-2014: ``treasury_excess_bn`` (the Fed's month-end Treasury holdings, FRED TREAST, above Aug-2007's grown
    with nominal GDP, the level), ``fed_purchases`` (its monthly change plus the MBS of the month; the first month's
    from zero at the anchor, so the flows add up to the excess at end-2014 plus :data:`MBS_END_2014_BN`) and
    ``gdp_bn`` (FRED GDP at quarter ends, interpolated by date, as the replay does)."""
    from geostress.calibrate.market import latest_value, month_end_series

    months = pd.date_range(pd.Timestamp(ALL_QE_ANCHOR) + pd.offsets.MonthEnd(0), "2014-12-31", freq="ME")
    fed07 = latest_value(store, "fred.treast", ALL_QE_ANCHOR, None)
    gdp07 = _gdp(store, "2007-09-30")
    treast = month_end_series(store.get("fred.treast", start=ALL_QE_ANCHOR, end=months[-1].date())).reindex(months)
    quarters = store.get("fred.gdp", start=date(2007, 1, 1), end=date(2015, 3, 31))
    q = pd.Series(quarters["value"].to_numpy(float), index=pd.DatetimeIndex(quarters["period"]))
    gdp = q.reindex(q.index.union(months)).interpolate("time").reindex(months)
    if treast.isna().any() or gdp.isna().any():
        raise DataError("the all-QE experiment needs FRED TREAST and GDP for every month from Aug-2007 to Dec-2014; "
                        "import them (`geostress data update`)")
    excess = treast - fed07 * gdp / gdp07
    mbs = pd.Series(np.where(months >= pd.Timestamp(MBS_FIRST_MONTH), 1.0, 0.0), index=months)
    mbs *= MBS_END_2014_BN / mbs.sum()
    return pd.DataFrame({"treasury_excess_bn": excess,
                         "fed_purchases": np.diff(np.r_[0.0, excess.to_numpy()]) + mbs.to_numpy(),
                         "gdp_bn": gdp})


def all_qe_bp(store: Store) -> float:
    """The Fed's holdings of 2008–14 through the block: month by month from Aug-2007 to Dec-2014, the Fed buys its
    Treasury holdings above their pre-2008 path (Aug-2007 holdings growing with nominal GDP; FRED TREAST) and its
    agency MBS (≈$1.74tn at end-2014, H.4.1, not in the store [secondary], booked evenly from January 2009), with
    roll-down, dilution by the GDP of each month and the flow effect, as :func:`qe2_bp` runs its purchases (prior
    medians, no stabilisers): 10y term premium at end-2014, bp (Bonis, Ihrig & Wei 2017: ≈ −100 for ≈$4.5tn).

    With no roll-down the persistent part would be the closed form β · 100 · extra / GDP(end-2014) (≈ −72 bp at
    the median β); purchases made from 2009 have partly rolled down by end-2014, so the block gives less."""
    f = all_qe_flows(store)
    r = mk.respond(_medians(), {"fed_purchases": f["fed_purchases"].to_numpy()}, f["gdp_bn"].to_numpy(), len(f))
    return float(r.tp_10y_bp[0, -1])


#: The maturities IMF WP/17/174 reads the holder-mix effect at: 2–3 years (24–36 months).
STOCK_SHARE_MONTHS = np.arange(24, 37)


def stock_share_bp(store: Store, tenor_months: np.ndarray | None = None) -> float:
    """+1 pp of foreign-official share of marketable Treasuries (today's holders), bought from private hands: the
    persistent term premium 36 months on, bp, at the maturities of IMF WP/17/174's estimate (−2.0 to −2.4 bp at 2–3
    years): the 10-year premium times the tenor loading (:func:`geostress.model.fiscal.term_premium_loading`)
    averaged over ``tenor_months`` (default :data:`STOCK_SHARE_MONTHS`; ``np.array([120])``: the 10-year).

    The 1 pp is of marketable debt held by the public: debt held by the public (FRED FYGFDPUN) times the marketable
    share of it in Treasury's Monthly Statement of the Public Debt (98.97% in April 2025).

    References
    ----------
    IMF (2017), "Uphill Capital Flows and the International Monetary System", Working Paper 17/174: a 1 pp rise
    in foreign official holdings relative to marketable securities lowers the term premium by 2.0–2.4 bp at
    maturities of 2–3 years (its abstract).
    """
    from geostress.calibrate.market import market_at
    from geostress.model.fiscal import term_premium_loading

    m = market_at(store)
    marketable = (store.get("fiscaldata.mspd.marketable.total_marketable.held_by_public")["value"].iloc[-1]
                  / store.get("fiscaldata.mspd.total.total_public_debt_outstanding.held_by_public")["value"].iloc[-1])
    amount = 0.01 * m.holders.debt_held_by_public * float(marketable)
    r = mk.respond(_medians(), {"official": np.r_[-amount, np.zeros(35)]}, m.gdp_bn, 36)
    months = STOCK_SHARE_MONTHS if tenor_months is None else np.asarray(tenor_months)
    return float(r.tp_10y_bp[0, -1] * term_premium_loading(months).mean())


def debt_supply_bp(store: Store) -> float:
    """Supply +1 pp of GDP (today), issued at the default mix: persistent 10y term premium, bp, 24 months on
    (CBO 2–3; Laubach 3–4 per pp of debt/GDP). The fiscal engine's separate credit premium is not included."""
    from geostress.calibrate.market import market_at

    m = market_at(store)
    r = mk.respond(_medians(), {"supply": np.r_[0.01 * m.gdp_bn, np.zeros(23)]}, m.gdp_bn, 24)
    return float(r.tp_10y_bp[0, -1])


def beltran_2007(store: Store) -> tuple[float, float]:
    """$100bn one-month fall in foreign-official demand at the market of Dec-2007, no stabilisers: 5y term
    premium on impact and 36 months on, bp (Beltran et al. 2013: 40–60 short run, ≈20 long run)."""
    gdp = _gdp(store, "2007-12-31")
    p = _medians()
    r = mk.respond(p, {"official": np.r_[100.0, np.zeros(35)]}, gdp, 36)
    tp5 = np.asarray(p.loading_5y) * r.tp_10y_bp[0]
    return float(tp5[0]), float(tp5[-1])


def march_2020(store: Store, backstop: bool = True, params: mk.MarketParams | None = None) -> dict[str, Any]:
    """The dash for cash, weekly: TIC's valuation-adjusted foreign net sales of March 2020 spread over the three
    weeks from 9 March, April's over April's weeks, official sales liquidity-motivated and outright (TIC's sales
    are net of any repo, so the FIMA repo takes no share of them again: :attr:`geostress.model.market.Flows.
    official_run`; private flight-to-quality buying meets part), with the backstop rule (not the Fed's observed
    purchases). Returns the 10y term-premium path by week, its peak, its level in week 4 and the backstop's
    purchases (USD bn). ``params``: the block's parameters, stabilisers included (``backstop`` then must be left
    at its default; default: the prior medians with the backstop, when ``backstop``, and the FIMA repo; for another
    trigger, ``dataclasses.replace(medians, backstop_trigger_bp=30)`` where ``medians`` is
    ``MarketPriors().medians(Stabilisers(backstop=True, fima=True, bill_shift=False, value_buyers=False))``)."""
    from geostress.calibrate.market import replay_flows

    if params is not None and not backstop:
        raise ScenarioError("march_2020: give the backstop's switch in params (its stabilisers), not with "
                            "backstop=False beside params", parameter="backstop")

    f = replay_flows(store, "2020-03", "2020-04")
    weeks = 9
    official = np.zeros(weeks)
    private = np.zeros(weeks)
    official[0:3] = f["foreign_official"].iloc[0] / 3.0
    private[0:3] = f["foreign_private"].iloc[0] / 3.0
    official[4:8] = f["foreign_official"].iloc[1] / 4.0
    private[4:8] = f["foreign_private"].iloc[1] / 4.0
    gdp = float(f["gdp_bn"].iloc[0])
    p = params if params is not None else _medians(backstop=backstop, fima=True)
    # a dash for cash throughout (all the pressure meets the backstop's dash-for-cash trigger, mk.dash_pressure)
    r = mk.respond(p, {"official_run": official, "foreign_private": private}, gdp, weeks, dt_months=12 / 52,
                   stress=1.0)
    path = r.tp_10y_bp[0]
    return {"path_bp": path, "peak_bp": float(path.max()), "week4_bp": float(path[3]),
            "backstop_bn": float(r.backstop_bn[0, -1]), "fima_bn": float(r.fima_bn[0, -1]),
            "sales_bn": float(official.sum() + private.sum())}


def _backstop_replay(store: Store, params: mk.MarketParams) -> tuple[mk.Response, pd.DatetimeIndex, np.ndarray]:
    """The replay's flows (all four, the Fed's actual purchases among them) from TREAST's first month (Dec-2002:
    before it the Fed's flow is missing) to 2025-12 through the block with ``params``, :data:`FED_BACKSTOP_MONTHS`
    at liquidity stress 1 (the record's one dash for cash) and every other month at 0 (orderly: the backstop's
    orderly trigger, :func:`geostress.model.market.dash_pressure`). Returns the response, the months and the
    dash-for-cash mask."""
    from geostress.calibrate.market import FOREIGN_DURATION_YEARS, replay_flows

    frame = replay_flows(store, "2000-01", "2025-12", duration_years=FOREIGN_DURATION_YEARS)
    frame = frame[~frame["missing_fed_purchases"].to_numpy()]  # (the leading months before TREAST)
    series = {REPLAY_FLOWS[f][1]: frame[REPLAY_FLOWS[f][0]].to_numpy() for f in REPLAY_FLOWS}
    dash = frame.index.to_period("M").isin(pd.PeriodIndex(FED_BACKSTOP_MONTHS, freq="M"))
    response = mk.respond(params, series, frame["gdp_bn"].to_numpy(), len(frame), n_paths=1,
                          stress=dash.astype(float))
    return response, frame.index, dash


def backstop_replay_bn(store: Store) -> pd.Series:
    """What the backstop rule buys, month by month (USD bn), when the replay's flows run with the rule on at the
    prior medians (no other stabiliser; :func:`_backstop_replay`). The Fed made no market-functioning purchase in
    those months but :data:`FED_BACKSTOP_MONTHS`, which the series leaves out (their flows carry its own)."""
    response, months, dash = _backstop_replay(store, _medians(backstop=True))
    out = pd.Series(np.diff(response.backstop_bn[0], prepend=0.0), index=months, name="backstop_bn")
    return out[~dash]


def orderly_replay_pressure_bp(store: Store) -> pd.Series:
    """The flow pressure (bp) the same replay builds at the prior medians with no stabiliser, month by month,
    :data:`FED_BACKSTOP_MONTHS` left out: what the backstop's orderly trigger must stay above for the rule to stay
    idle where the Fed did (its highest, 75.6 bp in Oct-2016; docs/market.md)."""
    response, months, dash = _backstop_replay(store, _medians())
    return pd.Series(response.flow_bp[0], index=months, name="flow_bp")[~dash]
