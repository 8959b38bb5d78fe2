"""The compiled arithmetic of the market and contagion blocks, and the whole-horizon pass that runs them together.

Pure numerics (numba kernels on arrays; no I/O). The equations are documented where the blocks are:
:mod:`geostress.model.market` (price impact and stabilisers) and :mod:`geostress.model.contagion` (liquidity runs,
confidence shifts, threats). Each block's step over one path and one month is written once here
(:func:`market_step`, :func:`contagion_step`) and used by

* the month-by-month kernels behind :func:`geostress.model.market.advance_inplace` and
  :func:`geostress.model.contagion.step` (the contagion block's validation experiments; the tests, which hold
  them equal to the plain-numpy steps and the whole-horizon pass equal to them), and
* :func:`market_months`, the coupled loop's pass: every month of the horizon for each path inside one compiled
  loop, paths spread over the cores. A path's state then stays in registers and the first level of cache for its
  whole horizon instead of every path's state streaming through memory once a month, and no Python runs between
  months.

Why one file: numba's on-disk cache notices edits only to the file of the function it compiled, not to the files
of the functions that function calls, so every compiled function that calls another, and the column constants
they read, live together here (numba's documentation, "Cache invalidation"; numba issue #1833).

References
----------
Numba documentation, "Compiling Python code with @jit: cache" (limitations of cache invalidation).
"""

from __future__ import annotations

import types

import numpy as np
from numba import njit, prange
from numba.np.unsafe.ndarray import to_fixed_tuple

# -- the contagion block's packed layout --------------------------------------------------------------------------
#: Columns of the contagion block's packed (P, K) draws array: (name, width). Per-class parameters take three
#: columns in the order of :data:`geostress.model.contagion.HOLDER_CLASSES`. One row per path keeps each path's
#: parameters in a few cache lines (the step reads them sequentially: ≈2.5× faster than 24 separate arrays).
DRAW_LAYOUT: tuple[tuple[str, int], ...] = (
    ("run_lo", 3), ("run_inv_width", 3), ("run_scale", 3), ("relief", 3), ("run_speed", 1), ("run_unwind", 1),
    ("stress_per_bp", 1), ("peer_weight", 1), ("trust_decay", 1), ("distrust_announcement", 1),
    ("distrust_debt", 1), ("distrust_tp", 1), ("distrust_threat", 1), ("div_lo", 3), ("div_inv_width", 1),
    ("div_scale", 3), ("div_pace", 3), ("div_speed", 1), ("deterrence", 3), ("threat_decay", 1),
    ("freeze_per_threat", 1), ("freeze_decay", 1), ("freeze_exposed", 1), ("freeze_reduction_per_pp", 1),
    ("review_speed", 1), ("peer_gain", 1),
)  # fmt: skip
#: ``name -> (first column, width)`` in the packed draws.
DRAW_COLUMNS: dict[str, tuple[int, int]] = {}
_k = 0
for _name, _width in DRAW_LAYOUT:
    DRAW_COLUMNS[_name] = (_k, _width)
    _k += _width
N_DRAW_COLUMNS = _k
(C_RUN_LO, C_RUN_IW, C_RUN_SCALE, C_RELIEF, C_RUN_SPEED, C_RUN_UNWIND, C_STRESS_BP, C_PEER_W, C_TRUST_DECAY,
 C_D_ANN, C_D_DEBT, C_D_TP, C_D_THREAT, C_DIV_LO, C_DIV_IW, C_DIV_SCALE, C_DIV_PACE, C_DIV_SPEED, C_DETER,
 C_THREAT_DECAY, C_FREEZE_PER_THREAT, C_FREEZE_DECAY, C_FREEZE_EXPOSED, C_FREEZE_RED, C_REVIEW_SPEED,
 C_PEER_GAIN) = (
    DRAW_COLUMNS[name][0] for name, _ in DRAW_LAYOUT)
#: Columns of the contagion state's (P, 11) ``core`` array: trust, threat memory, freeze, run ×3, div ×3, the
#: largest window sale, the officials' reserve cut.
S_TRUST, S_THREAT, S_FREEZE, S_RUN, S_DIV, S_PEAK, S_RESERVE = 0, 1, 2, 3, 6, 9, 10
N_STATE_COLUMNS = 11


# -- one path, one month ------------------------------------------------------------------------------------------
@njit(cache=True, nogil=True, inline="always")
def market_step(official, liquidity, private, fed, supply, pp, k, stock, flow):  # pragma: no cover - compiled
    """The market block's step (:func:`geostress.model.market.advance`) for one path, on scalars.

    Flows in USD bn over the step (``private`` = foreign plus domestic private sales), ``pp`` = 100 / GDP (USD bn →
    pp of GDP), ``k`` the path's 16 :class:`geostress.model.market.Packed` values, ``stock`` and ``flow`` last
    step's duration stock and flow pressure. Returns the new stock, flow pressure, persistent effect, term premium,
    monetary offset, backstop purchases (USD bn), FIMA financing (USD bn) and whether the backstop bought.
    """
    beta, phi, decay, roll = k[0], k[1], k[2], k[3]
    fima = k[8] * max(liquidity, 0.0)
    sold = liquidity - fima
    duration_supply = k[6] * supply
    sales = official + (1.0 - k[7]) * sold + private
    meet = min(max(fed, 0.0), max(sales, 0.0))
    absorbed = sales - meet - k[4] * (fed - meet) + k[5] * duration_supply
    pressure = decay * flow + phi * pp * absorbed
    trigger = k[9]
    width = 0.5 * trigger
    over = max(pressure - width, 0.0)
    if width > 0.0:
        huber = over * over / (2.0 * width) if over <= width else over - 0.5 * width
    else:
        huber = over
    cut = k[10] * huber
    bought = cut / (phi * pp) if cut > 0.0 else 0.0
    f = pressure - cut
    s = roll * stock + (official + sold + duration_supply - fed)
    pers = beta * pp * s
    pers = pers - k[12] * max(pers - k[13], 0.0)
    total = pers + f
    total = total - k[14] * max(total - k[15], 0.0)
    return s, f, pers, total, -k[11] * total, bought, fima, pressure > trigger


@njit(cache=True, nogil=True, inline="always")
def market_params(q, i):  # pragma: no cover - compiled
    """Path ``i``'s 16 market parameters from the (16, P) packed rows, as a tuple (held in registers)."""
    return (q[0, i], q[1, i], q[2, i], q[3, i], q[4, i], q[5, i], q[6, i], q[7, i], q[8, i], q[9, i], q[10, i],
            q[11, i], q[12, i], q[13, i], q[14, i], q[15, i])


@njit(cache=True, nogil=True, inline="always")
def contagion_params(q, i):  # pragma: no cover - compiled
    """Path ``i``'s packed contagion draws (row ``i`` of the (P, K) array) as a tuple: held in registers and on the
    stack for the path's whole horizon, where no store to an output array can be taken to change them."""
    return to_fixed_tuple(q[i], N_DRAW_COLUMNS)


@njit(cache=True, nogil=True, inline="always")
def contagion_class_month(p, c, stress, distrust, memory, backstop, reserve_cut, run, div):  # pragma: no cover
    """One holder class's month (class ``c``; ``p`` the path's packed draws as a tuple): returns its new run
    and diversification positions and what it sold (share of its holdings; negative = bought back)."""
    u = min(max((stress - p[C_RUN_LO + c]) * p[C_RUN_IW + c], 0.0), 1.0)
    target = p[C_RUN_SCALE + c] * u * u * (3.0 - 2.0 * u)
    if backstop != 0.0:
        target *= 1.0 - p[C_RELIEF + c] * backstop
    gap = target - run
    dr = gap * (p[C_RUN_SPEED] if gap > 0.0 else p[C_RUN_UNWIND])
    u = min(max((distrust - p[C_DIV_LO + c]) * p[C_DIV_IW], 0.0), 1.0)
    target = p[C_DIV_SCALE + c] * u * u * (3.0 - 2.0 * u)
    if c == 0:
        target += reserve_cut
    pace = p[C_DIV_PACE + c]
    dd = min(max(p[C_DIV_SPEED] * (target - div), -pace), pace)
    if memory != 0.0:
        deter = np.exp(-p[C_DETER + c] * memory)
        if dr > 0.0:
            dr *= deter
        if dd > 0.0:
            dd *= deter
    return run + dr, div + dd, dr + dd


@njit(cache=True, nogil=True, inline="always")
def contagion_step(p, weights, d_tp, peer, fiscal, announce, thr, bs, liquidity, trust, memory, freeze, cut,
                   run0, run1, run2, div0, div1, div2):  # pragma: no cover - compiled
    """The contagion block's month (the equations of :func:`geostress.model.contagion.step_reference`) for path
    ``i`` on scalars: signals, then the state (trust, threat memory, freeze, reserve cut, run and diversification
    positions of the three classes).

    Returns ``(bad, trust, memory, freeze, cut, run0, run1, run2, div0, div1, div2, sell0, sell1, sell2, pos)``:
    ``bad`` 1 for a negative announcement, threat, backstop or stress signal or a non-finite result; ``sell`` the
    share of each class's holdings sold this month; ``pos`` the holdings-weighted position (the cascade measure).
    """
    bad = 0
    rise = max(d_tp, 0.0)
    if announce < 0.0 or thr < 0.0 or bs < 0.0 or liquidity < 0.0:
        bad = 1
    stress = liquidity + p[C_STRESS_BP] * rise + p[C_PEER_W] * max(peer, 0.0)
    trust = p[C_TRUST_DECAY] * trust - (
        p[C_D_ANN] * announce + p[C_D_DEBT] * fiscal + p[C_D_TP] * rise + p[C_D_THREAT] * thr)
    memory = p[C_THREAT_DECAY] * memory + thr
    freeze = p[C_FREEZE_DECAY] * freeze + p[C_FREEZE_PER_THREAT] * thr
    cut += p[C_REVIEW_SPEED] * (p[C_FREEZE_EXPOSED] * min(max(p[C_FREEZE_RED] * freeze, 0.0), 1.0) - cut)
    run0, div0, sell0 = contagion_class_month(p, 0, stress, -trust, memory, bs, cut, run0, div0)
    run1, div1, sell1 = contagion_class_month(p, 1, stress, -trust, memory, bs, cut, run1, div1)
    run2, div2, sell2 = contagion_class_month(p, 2, stress, -trust, memory, bs, cut, run2, div2)
    pos = 0.0
    pos += weights[0] * (run0 + div0)
    pos += weights[1] * (run1 + div1)
    pos += weights[2] * (run2 + div2)
    if not abs(pos) < np.inf:
        bad = 1
    return bad, trust, memory, freeze, cut, run0, run1, run2, div0, div1, div2, sell0, sell1, sell2, pos


@njit(cache=True, nogil=True, inline="always")
def contagion_path_month(core, window, i, slot, d_tp, peer, fiscal, announce, thr, bs, liquidity, q, weights,
                         sell):  # pragma: no cover - compiled
    """:func:`contagion_step` for path ``i`` on the state arrays: ``core`` (P, 11) and ``window`` (P, W) updated
    in place, ``sell[i]`` the share of each class's holdings sold. Returns 1 for a bad signal or result, else 0."""
    (bad, core[i, S_TRUST], core[i, S_THREAT], core[i, S_FREEZE], core[i, S_RESERVE], core[i, S_RUN],
     core[i, S_RUN + 1], core[i, S_RUN + 2], core[i, S_DIV], core[i, S_DIV + 1], core[i, S_DIV + 2], sell[i, 0],
     sell[i, 1], sell[i, 2], pos) = contagion_step(
        contagion_params(q, i), weights, d_tp, peer, fiscal, announce, thr, bs, liquidity, core[i, S_TRUST], core[i, S_THREAT],
        core[i, S_FREEZE], core[i, S_RESERVE], core[i, S_RUN], core[i, S_RUN + 1], core[i, S_RUN + 2],
        core[i, S_DIV], core[i, S_DIV + 1], core[i, S_DIV + 2])
    core[i, S_PEAK] = max(core[i, S_PEAK], pos - window[i, slot])
    window[i, slot] = pos
    return bad


# -- one month, every path ----------------------------------------------------------------------------------------
@njit(cache=True, nogil=True)
def market_month(stock, flow, persistent, tp, offset, backstop, fima_bn, active, flows, gdp,
                 q):  # pragma: no cover - compiled
    """:func:`market_step` over every path, in place. ``flows`` (1 or P, 6) in
    :class:`geostress.model.market.Flows` order; ``q`` (16, P); ``gdp`` scalar."""
    row = 1 if flows.shape[0] > 1 else 0
    pp = 100.0 / gdp
    for i in range(stock.shape[0]):
        j = i * row
        s, f, pers, total, off, bought, fima, on = market_step(
            flows[j, 0], flows[j, 1], flows[j, 2] + flows[j, 3], flows[j, 4], flows[j, 5], pp, market_params(q, i),
            stock[i], flow[i])
        stock[i] = s
        flow[i] = f
        persistent[i] = pers
        tp[i] = total
        offset[i] = off
        backstop[i] += bought
        fima_bn[i] += fima
        active[i] = on


def _contagion_month(core, window, slot, d_tp, peer, fiscal, announce, threat_in, backstop, liquidity, q, weights,
                     sell):  # pragma: no cover - compiled
    """:func:`contagion_path_month` over every path. Signal arrays have length 1 (a scalar for every path) or P.
    Returns the number of paths with a bad signal or result (0 = all well)."""
    n = core.shape[0]
    bad = 0
    s_tp = 1 if d_tp.shape[0] > 1 else 0
    s_peer = 1 if peer.shape[0] > 1 else 0
    s_fis = 1 if fiscal.shape[0] > 1 else 0
    s_ann = 1 if announce.shape[0] > 1 else 0
    s_thr = 1 if threat_in.shape[0] > 1 else 0
    s_bs = 1 if backstop.shape[0] > 1 else 0
    s_liq = 1 if liquidity.shape[0] > 1 else 0
    for i in prange(n):
        bad += contagion_path_month(core, window, i, slot, d_tp[i * s_tp], peer[i * s_peer], fiscal[i * s_fis],
                                    announce[i * s_ann], threat_in[i * s_thr], backstop[i * s_bs],
                                    liquidity[i * s_liq], q, weights, sell)
    return bad


def _renamed(func: object, name: str) -> object:
    """A copy of ``func`` under another name: numba's on-disk cache is keyed by the qualified name, so the serial
    and the parallel compilation of one body need two names (else one loads the other's machine code)."""
    out = types.FunctionType(func.__code__, func.__globals__, name, func.__defaults__, func.__closure__)
    out.__qualname__ = name
    return out


contagion_month_serial = njit(cache=True, nogil=True)(_renamed(_contagion_month, "contagion_month_serial"))
contagion_month_parallel = njit(cache=True, nogil=True, parallel=True)(
    _renamed(_contagion_month, "contagion_month_parallel"))


# -- every month, every path --------------------------------------------------------------------------------------
#: Whether :func:`_market_months` runs the contagion block: a constant in each compiled copy (:data:`market_months`).
CONTAGION = True


def _market_months(flows, month_net, month_gross, announcement, threat, gdp, news_per_bp, mq, cq,
                  weights, class_holdings, total_holdings, read, window, core, held, premium_out, peak_out,
                  persistent_out, tp_out, sold_out, stock, flow, persistent, tp, offset, backstop, fima_bn, active,
                  first, last):  # pragma: no cover - compiled
    """The coupled loop's market-and-contagion pass: every month for paths ``first`` … ``last − 1``.

    Compiled twice (:data:`market_months`): with the contagion block (``CONTAGION`` true) and without it, so that
    each version holds only what it uses in registers. The caller spreads blocks of paths over threads.

    Per path and month, in this order (the month-by-month loop of the reference, ``tests/test_coupled.py``):
    the contagion block reads last month's term-premium change, last month's visible selling as a share of
    ``total_holdings``, fiscal news ``news_per_bp[t]`` × last month's 10-year yield change, the month's
    announcement and threat, and whether the backstop bought last month; each class sells
    ``sell × class_holdings`` (at most what it still holds, ``held``) on top of the scheduled flows; the market
    block turns the month's flows into the term premium.

    Parameters
    ----------
    flows
        (T, 5) scheduled flows, USD bn: official (diversification), official (liquidity), foreign private,
        domestic private, Fed purchases.
    month_net, month_gross
        (T,) the scheduled flows' net and gross sales (visible selling, and what ``sold_out`` adds up).
    announcement, threat, gdp, news_per_bp
        (T,) the month's signals, nominal GDP (USD bn, annual rate) and fiscal news per bp of yield change.
    mq
        (16, P) the market parameters (:class:`geostress.model.market.Packed` rows).
    cq, weights, class_holdings, total_holdings
        (P, K) packed contagion draws, (3,) class weights, (3,) class holdings at the start (USD bn), all holdings
        (USD bn).
    read
        The month (0-based) whose yield change is the persistent effect.
    window
        (P, W) the cascade window's ring, zeros (scratch).
    core, held
        Outputs: (P, 11) the contagion state at the end (:class:`geostress.model.contagion.ContagionState` columns)
        and (P, 3) what each class still holds (USD bn).
    premium_out, peak_out, persistent_out, tp_out, sold_out
        Outputs: (T, P) 10-year yield change as a decimal (bp / 1e4; month-major, as the fiscal kernel reads it);
        (P,) its highest value (at least 0) and its value in month ``read``, bp; (P, T) float32 term premium, bp;
        (P,) gross sales, USD bn.
    stock, flow, persistent, tp, offset, backstop, fima_bn, active
        Outputs: (P,) the market state at the end (:class:`geostress.model.market.MarketState` fields; the
        backstop and FIMA amounts are totals over the horizon).

    Returns
    -------
    int
        Paths-months with a bad contagion signal or a non-finite contagion result (0 = all well).
    """
    months = flows.shape[0]
    width = window.shape[1]
    bad = 0
    for i in range(first, last):
        # the path's market state and parameters in locals (registers) for its whole horizon
        k = market_params(mq, i)
        cp = contagion_params(cq, i if CONTAGION else 0)
        s = 0.0
        f = 0.0
        total = 0.0
        off = 0.0
        bought = 0.0
        financed = 0.0
        on = False
        last_tp = 0.0
        prev_tp = 0.0
        visible = 0.0
        last_yield = 0.0
        sold = 0.0
        pers = 0.0
        peak_yield = 0.0
        trust = memory = freeze = cut = run0 = run1 = run2 = div0 = div1 = div2 = peak = 0.0
        held0, held1, held2 = class_holdings[0], class_holdings[1], class_holdings[2]
        slot = 0
        for t in range(months):
            official = flows[t, 0]
            foreign_private = flows[t, 2]
            domestic_private = flows[t, 3]
            net = month_net[t]
            gross = month_gross[t]
            if CONTAGION:
                (flag, trust, memory, freeze, cut, run0, run1, run2, div0, div1, div2, sell0, sell1, sell2,
                 pos) = contagion_step(cp, weights, last_tp - prev_tp, visible / total_holdings,
                                       news_per_bp[t] * last_yield, announcement[t], threat[t], 1.0 if on else 0.0,
                                       0.0, trust, memory, freeze, cut, run0, run1, run2, div0, div1, div2)
                bad += flag
                peak = max(peak, pos - window[i, slot])
                window[i, slot] = pos
                slot += 1
                if slot == width:
                    slot = 0
                # each class sells its share of its starting holdings, at most what it still holds
                amount0 = min(sell0 * class_holdings[0], held0)
                amount1 = min(sell1 * class_holdings[1], held1)
                amount2 = min(sell2 * class_holdings[2], held2)
                held0 -= amount0
                held1 -= amount1
                held2 -= amount2
                net += amount0
                net += amount1
                net += amount2
                gross += max(amount0, 0.0)
                gross += max(amount1, 0.0)
                gross += max(amount2, 0.0)
                official += amount0
                foreign_private += amount1
                domestic_private += amount2
            s, f, pers, total, off, purchase, fima, on = market_step(
                official, flows[t, 1], foreign_private + domestic_private, flows[t, 4], 0.0, 100.0 / gdp[t], k, s, f)
            bought += purchase
            financed += fima
            if CONTAGION:
                prev_tp = last_tp
                last_tp = total
                visible = net
            sold += gross
            last_yield = total + off
            premium_out[t, i] = last_yield / 1e4
            peak_yield = max(peak_yield, last_yield)
            if t == read:
                persistent_out[i] = last_yield
            tp_out[i, t] = total
        sold_out[i] = sold
        peak_out[i] = peak_yield
        stock[i] = s
        flow[i] = f
        persistent[i] = pers
        tp[i] = total
        offset[i] = off
        backstop[i] = bought
        fima_bn[i] = financed
        active[i] = on
        if CONTAGION:  # (nothing to write when the block is off)
            core[i, S_TRUST] = trust
            core[i, S_THREAT] = memory
            core[i, S_FREEZE] = freeze
            core[i, S_RESERVE] = cut
            core[i, S_RUN] = run0
            core[i, S_RUN + 1] = run1
            core[i, S_RUN + 2] = run2
            core[i, S_DIV] = div0
            core[i, S_DIV + 1] = div1
            core[i, S_DIV + 2] = div2
            core[i, S_PEAK] = peak
            held[i, 0] = held0
            held[i, 1] = held1
            held[i, 2] = held2
    return bad


def _specialised(func: object, name: str, **constants: object) -> object:
    """A copy of ``func`` under another name with some of its globals replaced by constants (numba compiles
    globals as constants, so a branch on one disappears from that version; the cache keys the copies apart by
    name, as :func:`_renamed`)."""
    out = types.FunctionType(func.__code__, {**func.__globals__, **constants}, name, func.__defaults__,
                             func.__closure__)
    out.__qualname__ = name
    return out


#: ``market_months[contagion]``: the whole-horizon pass without (``False``) and with (``True``) the contagion block.
market_months = {
    on: njit(cache=True, nogil=True)(_specialised(_market_months, f"market_months_{'contagion' if on else 'plain'}",
                                                  CONTAGION=on))
    for on in (False, True)
}
