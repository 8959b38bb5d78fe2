"""The compiled arithmetic of the market and contagion blocks, and the whole-horizon pass that runs them together.

Pure numerics (numba kernels on arrays; no I/O). The equations are documented where the blocks are:
:mod:`geostress.model.market` (price impact and stabilisers) and :mod:`geostress.model.contagion` (liquidity runs,
confidence shifts, threats). Each block's month is written once here, over a block of paths side by side
(:func:`market_lanes`, :func:`contagion_lanes`: one loop over the lanes per equation, which the compiler turns
into vector instructions), and used by

* the month-by-month kernels behind :func:`geostress.model.market.advance_inplace` and
  :func:`geostress.model.contagion.step` (the contagion block's validation experiments; the tests, which hold
  them equal to the plain-numpy steps and the whole-horizon pass equal to them), and
* :data:`market_months`, the coupled loop's pass: every month of the horizon for a block of :data:`LANES` paths
  before the next block, blocks spread over the cores. A block's state and parameters then stay in cache for its
  whole horizon instead of every path's state streaming through memory once a month, and no Python runs between
  months.

Why one file: numba's on-disk cache notices edits only to the file of the function it compiled, not to the files
of the functions that function calls, so every compiled function that calls another, and the column constants
they read, live together here (numba's documentation, "Cache invalidation"; numba issue #1833).

References
----------
Numba documentation, "Compiling Python code with @jit: cache" (limitations of cache invalidation) and "Notes on
Inlining" (``inline="always"``); numba issue #1256 (Python's semantics of float division, ``error_model``).
"""

from __future__ import annotations

import types

import numpy as np
from numba import njit

# -- the contagion block's packed layout --------------------------------------------------------------------------
#: Columns of the contagion block's packed (P, K) draws array: (name, width). Per-class parameters take three
#: columns in the order of :data:`geostress.model.contagion.HOLDER_CLASSES`. The kernels copy a block of paths'
#: columns into lanes (K, :data:`LANES`) once per block (the whole-horizon pass) or month (the month-by-month step).
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

# -- the market's flow layouts -----------------------------------------------------------------------------------
#: Columns of a coupled run's (T, 5) scheduled flows (USD bn a month), in the order :func:`_market_months` reads
#: them: officials' sales for any motive but liquidity, officials' liquidity sales, foreign and domestic private
#: sales, the Fed's programme purchases (:class:`geostress.model.market.Flows`' first five fields).
SCHEDULED_FLOWS: tuple[str, ...] = ("official", "official_liquidity", "foreign_private", "domestic_private",
                                    "fed_purchases")
F_OFFICIAL, F_LIQUIDITY, F_FOREIGN_PRIVATE, F_DOMESTIC_PRIVATE, F_FED = range(len(SCHEDULED_FLOWS))
#: :func:`market_month`'s (1 or P, 8) flows add net new supply and the officials' and the private classes' run
#: sales (``Flows``' order).
F_SUPPLY, F_RUN, F_PRIVATE_RUN = len(SCHEDULED_FLOWS), len(SCHEDULED_FLOWS) + 1, len(SCHEDULED_FLOWS) + 2


#: Paths stepped side by side in the kernels: every equation is a loop over this many lanes, which the compiler
#: turns into vector instructions (four paths per instruction with AVX). Each of a month's thirty-odd loops has a
#: fixed cost (the run-time check that its arrays do not overlap, the remainder after the last full vector), which
#: wider blocks spread thinner: 64 to 256 lanes measured within 10% of each other, 16 and 32 lanes slower.
LANES = 128


# -- one month, a block of paths (the equations) --------------------------------------------------------------
# Both are inlined into each kernel that calls them (numba's ``inline="always"``), so that the caller's loops and
# theirs compile as one function: the fused pass then ran 1.5–2× faster than with calls (the compiler sees that
# the lanes are the block's own arrays). Kernels that divide use ``error_model="numpy"`` (a division by zero gives
# inf instead of raising): a loop that may raise has an early exit and does not vectorise. The callers check that
# GDP and holdings are positive.
@njit(cache=True, nogil=True, inline="always")
def huber(pressure, width):  # pragma: no cover - compiled
    """The backstop's Huber-shaped response to ``pressure`` (bp) beyond half its trigger ``width``: none below
    ``width``, quadratic up to twice it, linear beyond (:func:`geostress.model.market.huber_response`)."""
    over = max(pressure - width, 0.0)
    if width > 0.0:
        return over * over / (2.0 * width) if over <= width else over - 0.5 * width
    return over


@njit(cache=True, nogil=True, inline="always")
def intensity(pressure, width):  # pragma: no cover - compiled
    """The backstop's intensity at ``pressure``: 0 up to half its trigger ``width``, rising linearly to 1 at twice
    it (:func:`geostress.model.market.huber_response`)."""
    over = pressure - width
    if over <= 0.0:
        return 0.0
    return min(over / width, 1.0) if width > 0.0 else 1.0


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def market_lanes(n, k, official, liquidity, run, private_run, private, fed, supply, pp, stress, stock, flow,
                 persistent, tp, backstop, fima_bn, active, held, fima_held, fima_active,
                 work):  # pragma: no cover - compiled
    """The market block's month (:func:`geostress.model.market.advance`) on lanes ``0 … n − 1``, in place.

    ``k`` (:data:`geostress.model.market.N_PACKED`, ≥ n) the :class:`geostress.model.market.Packed` rows; flows
    (≥ n,) in USD bn over the month (``private`` = foreign plus domestic private sales, their runs apart);
    ``pp`` = 100 / GDP (USD bn → pp of GDP); ``stress`` the step's liquidity stress (the share of the pressure
    beyond the runs' own that the backstop meets as a dash for cash: :func:`geostress.model.market.dash_pressure`);
    ``run`` the officials' liquidity-run sales (flight to quality applies, the FIMA repo does not:
    :attr:`geostress.model.market.Flows.official_run`), ``private_run`` the private classes' (priced as private
    sales; both are the dash's own selling, :attr:`geostress.model.market.Flows.private_run`); the state arrays
    (≥ n,) as :class:`geostress.model.market.MarketState` (``backstop`` and ``fima_bn`` add the month's purchases
    and financing; ``active`` the backstop's intensity: 0.0 where it did not buy, rising linearly from half the
    trigger to 1.0 at it (the larger of the orderly and the dash-for-cash ramps); ``held`` its purchases not yet
    sold back;
    ``fima_held`` FIMA repo outstanding; ``fima_active`` the FIMA repo's intensity, the same ramp on the pressure
    with the facility on, whether or not the Fed buys); ``work`` (4, ≥ n) scratch, whose row 3 says on return
    which response set each lane's purchases: −1 the orderly one (the orderly trigger against the whole
    pressure), else the share of them made against the pressure beyond the runs' own in a month of partial stress
    (0 at a stress of 1, or where the runs built all of the pressure: March 2020's calibration).

    Each loop writes few arrays: the compiler vectorises a loop only when it can check cheaply, at run
    time, that what it writes does not overlap what it reads.
    """
    sold, pressure, dash, tag = work[0], work[1], work[2], work[3]
    share = min(max(stress, 0.0), 1.0)
    for j in range(n):  # FIMA repo takes its share of liquidity-motivated official sales off the market; a
        # liquidity-motivated buyback first repays the repo outstanding (off the market too)
        fima = k[8, j] * max(liquidity[j], 0.0)
        repay = min(max(-liquidity[j], 0.0), fima_held[j])
        fima_bn[j] += fima
        fima_held[j] += fima - repay
        sold[j] = liquidity[j] - fima + repay
    for j in range(n):  # what private investors must absorb: sales net of Fed purchases, plus duration supply
        sales = official[j] + (1.0 - k[7, j]) * (sold[j] + run[j]) + private[j] + private_run[j]
        meet = min(max(fed[j], 0.0), max(sales, 0.0))
        fed_bought = meet + k[4, j] * (fed[j] - meet)
        duration = k[5, j] * (k[6, j] * supply[j])
        absorbed = sales - fed_bought + duration
        pressure[j] = k[2, j] * flow[j] + k[1, j] * pp * absorbed
        # the runs' own selling (an unwind is a buyer), at most the month's net sales
        # (geostress.model.market.net_runs; tag: set below)
        runs = (1.0 - k[7, j]) * max(run[j], 0.0) + max(private_run[j], 0.0)
        tag[j] = k[1, j] * pp * max(min(runs, sales - fed_bought), 0.0)
    for j in range(n):  # the dash's part of the pressure: the runs' own and a share ``stress`` of the rest, at most
        # the pressure (geostress.model.market.dash_pressure)
        dash[j] = min(pressure[j], share * pressure[j] + (1.0 - share) * tag[j])
    for j in range(n):  # the backstop's Huber-shaped purchases take the pressure back toward half its trigger: the
        # larger of its orderly response to the whole pressure and its dash-for-cash response to the dash's part
        orderly, dashed = huber(pressure[j], 0.5 * k[15, j]), huber(dash[j], 0.5 * k[9, j])
        cut = k[10, j] * max(orderly, dashed)
        beyond = dash[j] - min(tag[j], dash[j]) if share < 1.0 else 0.0
        # (a tie is the dash's: with the orderly trigger set at or below March 2020's, the two coincide at stress 1)
        tag[j] = -1.0 if orderly > dashed else (beyond / dash[j] if dash[j] > 0.0 else 0.0)
        bought = cut / (k[1, j] * pp)  # (computed on every lane, kept where the backstop bought)
        bought = bought if cut > 0.0 else 0.0
        backstop[j] += bought
        held[j] += bought
        flow[j] = pressure[j] - cut
    for j in range(n):  # the holdings are temporary: sold back into buying (no threshold), at most all of them
        give = k[10, j] * max(-pressure[j], 0.0)
        scale = k[1, j] * pp
        back = min(give / scale, held[j]) if give > 0.0 else 0.0
        held[j] -= back
        flow[j] += scale * back
    for j in range(n):  # the duration stock rolls down, then adds the month's net duration
        stock[j] = k[3, j] * stock[j] + (official[j] + sold[j] + run[j] + k[6, j] * supply[j] - fed[j])
    for j in range(n):  # the persistent effect, less what the bill shift takes off
        level = k[0, j] * pp * stock[j]
        persistent[j] = level - k[11, j] * max(level - k[12, j], 0.0)
    for j in range(n):  # the term premium, less what returning value buyers take off
        total = persistent[j] + flow[j]
        tp[j] = total - k[13, j] * max(total - k[14, j], 0.0)
    for j in range(n):  # the backstop's intensity for the contagion block: 0 where it did not buy (or is off),
        # rising from half the trigger to 1 at the trigger (continuous, so selling has no step at the trigger), the
        # larger of the orderly and the dash-for-cash ramps; the FIMA repo's is the same ramp with the facility on
        # (a standing facility: it needs no Fed purchases), the officials' relief in the contagion block
        ramp = max(intensity(pressure[j], 0.5 * k[15, j]), intensity(dash[j], 0.5 * k[9, j]))
        active[j] = ramp if k[10, j] > 0.0 else 0.0
        fima_active[j] = ramp if k[8, j] > 0.0 else 0.0


@njit(cache=True, nogil=True, inline="always")
def contagion_lanes(n, p, weights, d_tp, peer, fiscal, announce, threat, backstop, fima, liquidity, state, sell,
                    position, work):  # pragma: no cover - compiled
    """The contagion block's month (the equations of :func:`geostress.model.contagion.step_reference`) on lanes
    ``0 … n − 1``: signals, then the state, in place.

    ``p`` (K, ≥ n) the packed draws by column (:data:`DRAW_LAYOUT`), a lane per path; signals (≥ n,);
    ``state`` (11, ≥ n) by :data:`S_TRUST` … rows (the cascade-window row :data:`S_PEAK` is the caller's);
    outputs ``sell`` (3, ≥ n), the share of each class's holdings sold (negative = bought back), and
    ``position`` (≥ n,), the holdings-weighted position (the cascade measure); ``work`` (6, ≥ n) scratch.
    Returns the number of lanes with a negative announcement, threat, backstop or stress signal or a non-finite
    position (0 = all well).

    Written for the vectoriser: every loop loads all its operands whatever the lane's branch (a select, not a
    conditional load), combines conditions with ``|`` rather than ``or`` (no short-circuit branch), and writes few
    arrays (see :func:`market_lanes`); the deterrence loop, which calls ``exp``, runs only once a threat
    is remembered.
    """
    flag, rise, stress, d_run, d_div, zero = work[0], work[1], work[2], work[3], work[4], work[5]
    zero[:n] = 0.0
    for j in range(n):
        negative = ((announce[j] < 0.0) | (threat[j] < 0.0) | (backstop[j] < 0.0) | (fima[j] < 0.0)
                    | (liquidity[j] < 0.0))
        flag[j] = 1.0 if negative else 0.0
    for j in range(n):
        rise[j] = max(d_tp[j], 0.0)
    for j in range(n):
        stress[j] = liquidity[j] + p[C_STRESS_BP, j] * rise[j] + p[C_PEER_W, j] * max(peer[j], 0.0)
    trust, memory, freeze, cut = state[S_TRUST], state[S_THREAT], state[S_FREEZE], state[S_RESERVE]
    for j in range(n):
        trust[j] = p[C_TRUST_DECAY, j] * trust[j] - (
            p[C_D_ANN, j] * announce[j] + p[C_D_DEBT, j] * fiscal[j] + p[C_D_TP, j] * rise[j]
            + p[C_D_THREAT, j] * threat[j])
    remembered = False
    for j in range(n):
        memory[j] = p[C_THREAT_DECAY, j] * memory[j] + threat[j]
        remembered |= memory[j] != 0.0
    for j in range(n):
        freeze[j] = p[C_FREEZE_DECAY, j] * freeze[j] + p[C_FREEZE_PER_THREAT, j] * threat[j]
    for j in range(n):
        cut[j] += p[C_REVIEW_SPEED, j] * (
            p[C_FREEZE_EXPOSED, j] * min(max(p[C_FREEZE_RED, j] * freeze[j], 0.0), 1.0) - cut[j])
    for c in range(3):
        run, div, sold = state[S_RUN + c], state[S_DIV + c], sell[c]
        relieved = fima if c == 0 else backstop  # the officials' relief is the FIMA repo's, the others' the Fed's
        # fast: the liquidity run toward a smoothstep of stress (less under the backstop)
        for j in range(n):
            u = min(max((stress[j] - p[C_RUN_LO + c, j]) * p[C_RUN_IW + c, j], 0.0), 1.0)
            target = p[C_RUN_SCALE + c, j] * u * u * (3.0 - 2.0 * u)
            target *= 1.0 - p[C_RELIEF + c, j] * relieved[j]
            gap = target - run[j]
            speed, unwind = p[C_RUN_SPEED, j], p[C_RUN_UNWIND, j]  # (both loaded: a select, not a branch)
            d_run[j] = gap * (speed if gap > 0.0 else unwind)
        # slow: diversification toward a smoothstep of distrust (officials add their reserve cut), paced
        reserve = cut if c == 0 else zero
        for j in range(n):
            u = min(max((-trust[j] - p[C_DIV_LO + c, j]) * p[C_DIV_IW, j], 0.0), 1.0)
            target = p[C_DIV_SCALE + c, j] * u * u * (3.0 - 2.0 * u) + reserve[j]
            pace = p[C_DIV_PACE + c, j]
            d_div[j] = min(max(p[C_DIV_SPEED, j] * (target - div[j]), -pace), pace)
        # a remembered threat deters new diversification (not buying back, not a run's sales for cash); skipped
        # while no lane remembers one, and for a class no lane's draw deters (domestic investors: δ = 0, exp would
        # give 1 at the cost of a call per lane); on a lane that does not diversify further this month the factor
        # would scale nothing, so its exp (the pass's dearest call after a threat: the memory decays but never
        # reaches 0) is not taken
        deters = False
        if remembered:
            for j in range(n):
                deters |= p[C_DETER + c, j] != 0.0
        if deters:
            for j in range(n):
                if (memory[j] != 0.0) & (d_div[j] > 0.0):  # diversification only, as the numpy step
                    d_div[j] *= np.exp(-p[C_DETER + c, j] * memory[j])
        for j in range(n):
            run[j] += d_run[j]
            div[j] += d_div[j]
            sold[j] = d_run[j] + d_div[j]
    run0, run1, run2 = state[S_RUN], state[S_RUN + 1], state[S_RUN + 2]
    div0, div1, div2 = state[S_DIV], state[S_DIV + 1], state[S_DIV + 2]
    w0, w1, w2 = weights[0], weights[1], weights[2]
    for j in range(n):
        x = w0 * (run0[j] + div0[j])
        x += w1 * (run1[j] + div1[j])
        x += w2 * (run2[j] + div2[j])
        position[j] = x
    bad = 0.0  # (a float sum in a loop of its own vectorises; an integer count beside the stores did not)
    for j in range(n):
        bad += 1.0 if (flag[j] != 0.0) | (not abs(position[j]) < np.inf) else 0.0
    return int(bad)


# -- one month, every path ----------------------------------------------------------------------------------------
@njit(cache=True, nogil=True, error_model="numpy")
def market_month(stock, flow, persistent, tp, backstop, fima_bn, active, held, fima_held, fima_active, flows, gdp,
                 q, stress):  # pragma: no cover - compiled
    """:func:`market_lanes` over every path, in place. ``flows`` (1 or P, 8) in
    :class:`geostress.model.market.Flows` order (its eight fields, the contagion runs' ``official_run`` and
    ``private_run`` last);
    ``q`` (:data:`geostress.model.market.N_PACKED`, P); ``gdp`` and ``stress`` (the liquidity stress) scalars;
    ``active`` the backstop's intensity;
    ``held`` its holdings not yet sold back; ``fima_held`` the FIMA repo outstanding."""
    n = stock.shape[0]
    row = 1 if flows.shape[0] > 1 else 0
    lanes = np.empty((13, n))
    official, liquidity, private, fed, supply, on = lanes[0], lanes[1], lanes[2], lanes[3], lanes[4], lanes[5]
    run, fima_on, private_run = lanes[6], lanes[7], lanes[8]
    for i in range(n):
        j = i * row
        official[i] = flows[j, F_OFFICIAL]
        liquidity[i] = flows[j, F_LIQUIDITY]
        private[i] = flows[j, F_FOREIGN_PRIVATE] + flows[j, F_DOMESTIC_PRIVATE]
        fed[i] = flows[j, F_FED]
        supply[i] = flows[j, F_SUPPLY]
        run[i] = flows[j, F_RUN]
        private_run[i] = flows[j, F_PRIVATE_RUN]
    market_lanes(n, q, official, liquidity, run, private_run, private, fed, supply, 100.0 / gdp, stress, stock, flow,
                 persistent, tp, backstop, fima_bn, on, held, fima_held, fima_on, lanes[9:])
    for i in range(n):
        active[i] = on[i]
        fima_active[i] = fima_on[i]


@njit(cache=True, nogil=True)
def contagion_month(core, window, slot, d_tp, peer, fiscal, announce, threat, backstop, fima, liquidity, q, weights,
                    sell, first, last):  # pragma: no cover - compiled
    """:func:`contagion_lanes` over paths ``first … last − 1``, :data:`LANES` at a time, on the (P, 11) ``core``
    state and the (P, W) cascade ``window`` (ring slot ``slot``), in place; ``q`` (K, P) the packed draws by
    column (:attr:`geostress.model.contagion.ContagionDraws.by_column`);
    ``sell`` (P, 3) output. Signal arrays have length 1 (one value for every path) or P. Returns the number of
    paths with a bad signal or a non-finite result (0 = all well)."""
    n_columns = q.shape[0]
    lanes_q = np.empty((n_columns, LANES))
    state = np.empty((N_STATE_COLUMNS, LANES))
    signals = np.empty((8, LANES))
    out = np.empty((3, LANES))
    position = np.empty(LANES)
    work = np.empty((6, LANES))
    inputs = (d_tp, peer, fiscal, announce, threat, backstop, fima, liquidity)
    bad = 0
    for lo in range(first, last, LANES):
        n = min(LANES, last - lo)
        for c in range(n_columns):
            lanes_q[c, :n] = q[c, lo : lo + n]
        for j in range(n):
            i = lo + j
            for c in range(N_STATE_COLUMNS):
                state[c, j] = core[i, c]
        for s in range(8):
            values = inputs[s]
            one = values.shape[0] == 1
            for j in range(n):
                signals[s, j] = values[0 if one else lo + j]
        bad += contagion_lanes(n, lanes_q, weights, signals[0], signals[1], signals[2], signals[3], signals[4],
                               signals[5], signals[6], signals[7], state, out, position, work)
        for j in range(n):
            i = lo + j
            for c in range(N_STATE_COLUMNS):
                if c != S_PEAK:
                    core[i, c] = state[c, j]
            core[i, S_PEAK] = max(core[i, S_PEAK], position[j] - window[i, slot])
            window[i, slot] = position[j]
            for c in range(3):
                sell[i, c] = out[c, j]
    return bad


# -- every month, every path --------------------------------------------------------------------------------------
#: Whether :func:`_market_months` runs the contagion block: a constant in each compiled copy (:data:`market_months`).
CONTAGION = True


def _market_months(flows, month_net, month_gross, announcement, threat, stress, market_stress, gdp, news_per_bp, mq,
                   cq, weights, class_holdings, total_holdings, read, window, core, held, snap_at, snap_held,
                   premium_out, peak_out, persistent_out, stock_out, tp_out, sold_out, by_stress_out, stock, flow,
                   persistent, tp,
                   backstop, fima_bn, active, backstop_held, fima_held, fima_active, first,
                   last):  # pragma: no cover - compiled
    """The coupled loop's market-and-contagion pass: every month for paths ``first`` … ``last − 1``.

    Compiled twice (:data:`market_months`): with the contagion block (``CONTAGION`` true) and without it. The
    paths go through :data:`LANES` at a time, every month of a block before the next block: the block's state and
    parameters stay in cache for its whole horizon, and each month's equations (:func:`contagion_lanes`,
    :func:`market_lanes`) run over the block's lanes. The caller spreads blocks of paths over threads.

    Per path and month, in this order (the month-by-month loop of the reference, ``tests/test_coupled.py``):
    the contagion block reads last month's term-premium change, last month's visible selling as a share of
    ``total_holdings``, fiscal news ``news_per_bp[t]`` × last month's term premium, the month's
    announcement, threat and liquidity stress, and the backstop's intensity last month; each class sells
    ``sell × class_holdings`` (at most what it still holds, ``held``) on top of the scheduled flows (the
    officials' run part, the change in their run position, as liquidity-motivated sales that the FIMA repo does not
    take a share of again); the market
    block turns the month's flows into the term premium.

    Parameters
    ----------
    flows
        (T, 5) scheduled flows, USD bn: official (diversification), official (liquidity), foreign private,
        domestic private, Fed purchases.
    month_net, month_gross
        (T,) the scheduled flows' net and gross sales (visible selling, and what ``sold_out`` adds up).
    announcement, threat, stress, market_stress, gdp, news_per_bp
        (T,) the month's signals (``stress``: the liquidity stress of a dash for cash, 1 = March 2020's first
        month, which the contagion block reads; ``market_stress``: the liquidity stress that sets the share of the
        pressure the backstop meets from March 2020's trigger, :func:`geostress.model.market.dash_pressure`),
        nominal GDP (USD bn, annual rate) and fiscal news per bp of term premium.
    mq
        (:data:`geostress.model.market.N_PACKED`, P) the market parameters
        (:class:`geostress.model.market.Packed` rows).
    cq, weights, class_holdings, total_holdings
        (P, K) packed contagion draws, (3,) class weights, (3,) class holdings at the start (USD bn), all holdings
        (USD bn).
    read
        The month (0-based) whose yield change is the persistent effect.
    window
        (1 or P, W): only its width W is read (the cascade window's length; each block keeps its own ring).
    core, held
        Outputs: (P, 11) the contagion state at the end (:class:`geostress.model.contagion.ContagionState` columns)
        and (P, 3) what each class still holds (USD bn).
    snap_at, snap_held
        (K,) months (0-based) at whose end ``snap_held`` (P, K, 5) receives what each class still holds, the
        officials' liquidity-run position and the FIMA repo outstanding (USD bn; K may be 0; with the contagion
        block only).
    premium_out, peak_out, persistent_out, stock_out, tp_out, sold_out
        Outputs: (T, P) the 10-year term premium as a decimal (bp / 1e4; month-major, as the fiscal kernel reads
        it); (P,) its highest value (at least 0), its value in month ``read`` and the persistent (stock) effect
        alone then, bp; (P, T) float32 term premium, bp; (P,) gross sales, USD bn.
    by_stress_out
        Output: (P, 3) the backstop's purchases (USD bn, over the horizon) by the response that set them: the
        orderly one (the orderly trigger against the whole pressure), the share of a partial stress (0 < ``d`` < 1)
        beyond the runs' own pressure, and the dash for cash (the runs' own pressure, or any at a stress of 1:
        March 2020's calibration); a month's dash-for-cash purchases are split between the last two in proportion
        to the dash's part (:func:`geostress.model.market.dash_pressure`). What the run's evidence warnings read
        (:func:`geostress.run.coupled.run_notes`).
    stock, flow, persistent, tp, backstop, fima_bn, active, backstop_held, fima_held, fima_active
        Outputs: (P,) the market state at the end (:class:`geostress.model.market.MarketState` fields; the
        backstop and FIMA amounts are totals over the horizon, ``backstop_held`` what the backstop still holds,
        ``fima_held`` the FIMA repo outstanding, ``fima_active`` the repo's intensity).

    Returns
    -------
    int
        Paths-months with a bad contagion signal or a non-finite contagion result (0 = all well).
    """
    months = flows.shape[0]
    width = window.shape[1]
    n_columns = cq.shape[1]
    lanes_q = np.empty((n_columns, LANES))
    n_packed = mq.shape[0]
    lanes_k = np.empty((n_packed, LANES))
    ring = np.empty((width, LANES))
    tp_block = np.empty((months, LANES), dtype=np.float32)
    state = np.empty((N_STATE_COLUMNS, LANES))
    signals = np.empty((7, LANES))  # the contagion block's signals (the backstop's: active_b), the position
    d_tp, peer, fiscal, announce, threat_now, liquidity, position = signals
    sell = np.empty((3, LANES))
    run_before = np.empty((3, LANES))  # each class's run position before the month (the month's run sales)
    bought_before = np.empty(LANES)  # the backstop's purchases before the month (the month's: by stress class)
    work = np.empty((6, LANES))  # scratch of the equations (the market's four rows are its first four)
    market_in = np.empty((7, LANES))  # official, liquidity, run, private run, private sales, Fed purchases, supply
    official, liquidity_sold, run_sales, private_run, private, fed, supply = market_in
    path = np.empty((17, LANES))
    (stock_b, flow_b, persistent_b, tp_b, bought_b, financed_b, active_b, last_tp, visible, sold_b, peak_b, held0,
     held1, held2, held_b, repo_b, fima_b) = path
    bad = 0
    for lo in range(first, last, LANES):
        n = min(LANES, last - lo)
        state[:, :] = 0.0
        signals[:, :] = 0.0
        market_in[:, :] = 0.0
        path[:, :] = 0.0
        ring[:, :] = 0.0
        for j in range(n):
            held0[j] = class_holdings[0]
            held1[j] = class_holdings[1]
            held2[j] = class_holdings[2]
            for c in range(3):
                by_stress_out[lo + j, c] = 0.0
        for c in range(n_packed):
            for j in range(n):
                lanes_k[c, j] = mq[c, lo + j]
        if CONTAGION:
            for j in range(n):
                for c in range(n_columns):
                    lanes_q[c, j] = cq[lo + j, c]
        slot = 0
        for t in range(months):
            for j in range(n):
                liquidity_sold[j] = flows[t, F_LIQUIDITY]
                fed[j] = flows[t, F_FED]
            if CONTAGION:
                news = news_per_bp[t]
                for j in range(n):
                    fiscal[j] = news * last_tp[j]
                    peer[j] = visible[j] / total_holdings
                    announce[j] = announcement[t]
                    threat_now[j] = threat[t]
                    liquidity[j] = stress[t]
                for c in range(3):
                    for j in range(n):
                        run_before[c, j] = state[S_RUN + c, j]
                # the backstop's and the FIMA repo's intensities last month (active_b, fima_b: rewritten by the
                # market below)
                bad += contagion_lanes(n, lanes_q, weights, d_tp, peer, fiscal, announce, threat_now, active_b,
                                       fima_b, liquidity, state, sell, position, work)
                peak = state[S_PEAK]
                for j in range(n):
                    peak[j] = max(peak[j], position[j] - ring[slot, j])
                    ring[slot, j] = position[j]
                slot += 1
                if slot == width:
                    slot = 0
                # each class sells its share of its starting holdings, at most what it still holds
                for j in range(n):
                    amount0 = min(sell[0, j] * class_holdings[0], held0[j])
                    amount1 = min(sell[1, j] * class_holdings[1], held1[j])
                    amount2 = min(sell[2, j] * class_holdings[2], held2[j])
                    held0[j] -= amount0
                    held1[j] -= amount1
                    held2[j] -= amount2
                    net = month_net[t]
                    net += amount0
                    net += amount1
                    net += amount2
                    visible[j] = net
                    gross = month_gross[t]
                    gross += max(amount0, 0.0)
                    gross += max(amount1, 0.0)
                    gross += max(amount2, 0.0)
                    sold_b[j] += gross
                    # the officials' run sales are liquidity-motivated (flight to quality applies; the FIMA repo
                    # does not take a share again: the block's backstop relief is the repo's part of a run, and
                    # the run is calibrated on TIC's outright sales); the rest of their selling is not
                    run_sold = (state[S_RUN, j] - run_before[0, j]) * class_holdings[0]
                    run_sales[j] = run_sold
                    official[j] = flows[t, F_OFFICIAL] + (amount0 - run_sold)
                    # the private classes' runs apart from the rest of their selling (the backstop meets a run
                    # from March 2020's trigger: geostress.model.market.dash_pressure); a class that unwinds its
                    # run buys back, a buyer of the month like any other, not less of another class's run
                    run1 = max((state[S_RUN + 1, j] - run_before[1, j]) * class_holdings[1], 0.0)
                    run2 = max((state[S_RUN + 2, j] - run_before[2, j]) * class_holdings[2], 0.0)
                    private_run[j] = run1 + run2
                    private[j] = (flows[t, F_FOREIGN_PRIVATE] + (amount1 - run1)) + (
                        flows[t, F_DOMESTIC_PRIVATE] + (amount2 - run2))
                for k in range(snap_at.shape[0]):
                    if snap_at[k] == t:
                        for j in range(n):
                            snap_held[lo + j, k, 0] = held0[j]
                            snap_held[lo + j, k, 1] = held1[j]
                            snap_held[lo + j, k, 2] = held2[j]
                            snap_held[lo + j, k, 3] = state[S_RUN, j] * class_holdings[0]
            else:
                for j in range(n):
                    sold_b[j] += month_gross[t]
                    official[j] = flows[t, F_OFFICIAL]
                    private[j] = flows[t, F_FOREIGN_PRIVATE] + flows[t, F_DOMESTIC_PRIVATE]
                    run_sales[j] = 0.0
                    private_run[j] = 0.0
            for j in range(n):
                bought_before[j] = bought_b[j]
            market_lanes(n, lanes_k, official, liquidity_sold, run_sales, private_run, private, fed, supply,
                         100.0 / gdp[t], market_stress[t], stock_b, flow_b, persistent_b, tp_b, bought_b,
                         financed_b, active_b, held_b, repo_b, fima_b, work)
            for j in range(n):  # orderly, the share of a partial stress beyond the runs, a dash for cash
                bought = bought_b[j] - bought_before[j]
                tag = work[3, j]
                if tag < 0.0:
                    by_stress_out[lo + j, 0] += bought
                else:
                    by_stress_out[lo + j, 1] += bought * tag
                    by_stress_out[lo + j, 2] += bought * (1.0 - tag)
            if CONTAGION:
                for k in range(snap_at.shape[0]):
                    if snap_at[k] == t:
                        for j in range(n):
                            snap_held[lo + j, k, 4] = repo_b[j]
            for j in range(n):
                total = tp_b[j]
                d_tp[j] = total - last_tp[j]
                last_tp[j] = total
                peak_b[j] = max(peak_b[j], total)
                tp_block[t, j] = total
            for j in range(n):
                premium_out[t, lo + j] = last_tp[j] / 1e4
            if t == read:
                for j in range(n):
                    persistent_out[lo + j] = last_tp[j]
                    stock_out[lo + j] = persistent_b[j]
        for j in range(n):
            i = lo + j
            for t in range(months):
                tp_out[i, t] = tp_block[t, j]
            sold_out[i] = sold_b[j]
            peak_out[i] = peak_b[j]
            stock[i] = stock_b[j]
            flow[i] = flow_b[j]
            persistent[i] = persistent_b[j]
            tp[i] = tp_b[j]
            backstop[i] = bought_b[j]
            fima_bn[i] = financed_b[j]
            active[i] = active_b[j]
            backstop_held[i] = held_b[j]
            fima_held[i] = repo_b[j]
            fima_active[i] = fima_b[j]
            if CONTAGION:  # (nothing to write when the block is off)
                for c in range(N_STATE_COLUMNS):
                    core[i, c] = state[c, j]
                held[i, 0] = held0[j]
                held[i, 1] = held1[j]
                held[i, 2] = held2[j]
    return bad


def _specialised(func: object, name: str, **constants: object) -> object:
    """A copy of ``func`` under another name with some of its globals replaced by constants (numba compiles
    globals as constants, so a branch on one disappears from that version; the cache keys the copies apart by
    name)."""
    out = types.FunctionType(func.__code__, {**func.__globals__, **constants}, name, func.__defaults__,
                             func.__closure__)
    out.__qualname__ = name
    return out


#: ``market_months[contagion]``: the whole-horizon pass without (``False``) and with (``True``) the contagion block.
market_months = {
    on: njit(cache=True, nogil=True, error_model="numpy")(
        _specialised(_market_months, f"market_months_{'contagion' if on else 'plain'}", CONTAGION=on))
    for on in (False, True)
}
