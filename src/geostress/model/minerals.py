"""Rare-earth supply network: stage capacities, origin tracking and a per-step allocation LP.

Pure numerics: frozen dataclasses and arrays in, arrays out. No I/O, no paths, no data layer.

The network is a directed acyclic graph of named nodes by stage — mining → separation/refining → metal and alloy
→ magnets and other intermediates — joined by *market hubs* (one after each stage: every node of a stage sells
into the hub, every node of the next stage buys from it, unless a node names its buyers explicitly with
``feeds``). The last hub delivers to end-use demand cells (region × sector × element group).

Material is tracked in four element groups (NdPr, Dy/Tb, Sm/Y/other medium-heavy, Ce/La/other light) and two
*origins*: China-origin (mined or processed in China at any stage) and non-China. A node located in China turns
every input into China-origin output; any other node passes the origin through. Carrying the two origins as
separate commodities keeps the mandate's origin constraint linear.

Each step solves one linear program (HiGHS through :func:`scipy.optimize.linprog`)::

    maximise   Σ_cells priority(sector) · (delivered + released from stock) − ε · stock use
               (+ tiny tie-breaks: non-China plants run when usable; covered buyers first, China-free first to them)
    subject to flow balance at every node and hub, by element and origin (exact: mass balance);
               Σ_origins output(node, element) ≤ capacity(node, element, step);
               Σ_origins delivered(cell) ≤ demand(cell, step);
               China-origin delivered to a covered buyer ≤ allowed_share(step) · demand(cell);
               China-origin shipped from China to a controlled cell ≤ licensed_share · demand(cell);
               stock released ≤ min(stock level, release rate · step).

The constraint matrix is built once; a step changes only right-hand sides and bounds. Capacity at a step is the
base capacity (with optional trend growth) plus every project's capacity times its ramp fraction, a project
coming online at its nominal month plus a drawn delay (Monte Carlo: with probability ``p_late`` a triangular
delay) and never before its ``earliest_month``.

References
----------
U.S. Geological Survey (2025), *Mineral Commodity Summaries 2025: Rare Earths*.
IEA (2024, 2025), *Global Critical Minerals Outlook* (stage shares of China) [secondary].
S&P Global Market Intelligence; ERM, project lead-time and delay studies (≈60% of projects delayed) [secondary].
Huangfu, Wu & Ong (HiGHS) — Huangfu, Q. and Hall, J. A. J. (2018), "Parallelizing the dual revised simplex
method", Mathematical Programming Computation 10: 119–142.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from geostress.errors import ScenarioError

try:  # HiGHS as bundled with SciPy: warm-started re-solves when only bounds change (same solver as linprog)
    from scipy.optimize._highspy import _core as _highs_core
except ImportError:  # pragma: no cover - older or newer SciPy layouts fall back to linprog(method="highs")
    _highs_core = None

ELEMENTS: tuple[str, ...] = ("ndpr", "dytb", "smy", "cela")
STAGES: tuple[str, ...] = ("mining", "separation", "metal", "magnet")
SECTORS: tuple[str, ...] = (
    "defence", "aerospace_alloys", "semiconductor_ceramics", "wind", "ev_traction", "industrial_motors",
    "electronics", "catalysts", "other_uses",
)  # fmt: skip
REGIONS: tuple[str, ...] = (
    "US", "Germany", "France", "other_G7", "EU_other", "Japan", "Korea", "China", "RoW",
)  # fmt: skip
ORIGINS: tuple[str, ...] = ("china", "non_china")
CN, NC = 0, 1
CHINA = "China"
#: Sectors whose NdPr and Dy/Tb arrive as magnets (for export controls on magnets and the magnet stage share).
MAGNET_SECTORS: tuple[str, ...] = ("defence", "wind", "ev_traction", "industrial_motors", "electronics")
STOCK_PENALTY = 1e-3
#: Tiny reward per tonne leaving a non-China processing node: under offtake contracts and price floors those plants
#: run whenever their output can be used (breaks ties among optima; lexicographically below any demand weight).
NON_CHINA_RUN_BONUS = 1e-5
#: Tiny reward per tonne delivered to a buyer the mandate covers, twice that for non-China material: among equally
#: weighted buyers, covered ones are served first, and first of all with China-free material (what the China-free
#: premium would do in a market). Without it the split of a shortage between covered and other buyers of one
#: sector is one optimum among many, so the covered shortfall and the day-180 share depended on the solver's path;
#: with it they are unique. Lexicographically below the demand weights, the stock penalty and the run bonus.
COVERED_BONUS = 1e-6
DAYS_PER_YEAR = 365.25
#: Priority weights the solver handles with the tie-breaks above still far below every weight (defaults 1–10).
PRIORITY_RANGE = (0.01, 1000.0)


def _idx(name: str, allowed: tuple[str, ...], what: str, where: str) -> int:
    if name not in allowed:
        raise ScenarioError(f"{where}: unknown {what} {name!r}; allowed: {', '.join(allowed)}")
    return allowed.index(name)


@dataclass(frozen=True)
class Node:
    """One plant, country aggregate or pass-through route.

    Attributes
    ----------
    id
        Unique name (e.g. ``sep.lynas_malaysia``).
    stage
        One of :data:`STAGES`.
    country
        Where it operates; ``"China"`` makes its output China-origin. Ignored for pass-through nodes.
    capacity
        (4,) t/yr of element-group content (REO equivalent) by :data:`ELEMENTS`; ``inf`` only for pass-through.
    feeds
        Explicit buyers (node ids); ``None`` sells into the hub after this stage.
    from_market
        Whether the node buys from the hub before its stage (mining nodes buy nothing).
    passthrough
        A route without capacity that keeps the origin (e.g. compounds that skip the metal step).
    growth
        Trend growth of the base capacity, per year (e.g. China's quota growth).
    """

    id: str
    stage: str
    country: str
    capacity: np.ndarray
    feeds: tuple[str, ...] | None = None
    from_market: bool = True
    passthrough: bool = False
    growth: float = 0.0

    def __post_init__(self) -> None:
        where = f"node {self.id!r}"
        _idx(self.stage, STAGES, "stage", where)
        cap = np.asarray(self.capacity, dtype=float)
        if cap.shape != (len(ELEMENTS),):
            raise ScenarioError(f"{where}: capacity needs one value per element group {ELEMENTS}")
        if np.any(np.isnan(cap)) or np.any(cap < 0):
            bad = [ELEMENTS[i] for i in np.flatnonzero(~(cap >= 0))]
            raise ScenarioError(f"{where}: capacity must not be negative or NaN (element {', '.join(bad)})")
        if not self.passthrough and np.any(np.isinf(cap)):
            raise ScenarioError(f"{where}: only a pass-through node may have unlimited capacity")
        if not -0.5 < self.growth < 1.0:
            raise ScenarioError(f"{where}: growth {self.growth} per year outside (-0.5, 1)")
        object.__setattr__(self, "capacity", cap)

    @property
    def china(self) -> bool:
        return self.country == CHINA and not self.passthrough


@dataclass(frozen=True)
class Project:
    """New capacity at an existing node, online at a (possibly delayed) date and ramped linearly.

    Attributes
    ----------
    id
        Name (e.g. ``iluka_eneabba``).
    node
        The node it adds to (declared in the network, possibly with zero base capacity).
    capacity
        (4,) t/yr added at full ramp, by element group.
    online_month
        Nominal first month (from the simulation start, may be negative: already running).
    earliest_month
        No draw, acceleration or scenario may bring it online before this month (the shortest lead time).
    ramp_months
        Months from first output to full capacity (linear).
    p_late
        Probability the project runs late (≈0.6 in S&P / ERM project studies).
    delay_months
        (min, mode, max) of the triangular delay when late.
    """

    id: str
    node: str
    capacity: np.ndarray
    online_month: float
    earliest_month: float
    ramp_months: float = 12.0
    p_late: float = 0.6
    delay_months: tuple[float, float, float] = (3.0, 9.0, 24.0)

    def __post_init__(self) -> None:
        where = f"project {self.id!r}"
        cap = np.asarray(self.capacity, dtype=float)
        if cap.shape != (len(ELEMENTS),) or not np.all(np.isfinite(cap)):
            raise ScenarioError(f"{where}: capacity needs one finite value per element group {ELEMENTS}")
        if np.any(cap < 0):
            raise ScenarioError(f"{where}: capacity must not be negative")
        if self.online_month < self.earliest_month:
            raise ScenarioError(f"{where}: online month {self.online_month} is before its earliest month "
                                f"{self.earliest_month} (the shortest lead time)")
        if not 0 <= self.p_late <= 1:
            raise ScenarioError(f"{where}: p_late {self.p_late} outside [0, 1]")
        lo, mode, hi = self.delay_months
        if not 0 <= lo <= mode <= hi:
            raise ScenarioError(f"{where}: delay_months must satisfy 0 ≤ min ≤ mode ≤ max")
        if self.ramp_months < 0:
            raise ScenarioError(f"{where}: ramp_months must not be negative")
        object.__setattr__(self, "capacity", cap)


@dataclass(frozen=True)
class Network:
    """Nodes, projects and base-year demand; validated on construction (unknown names, cycles, orphans).

    Attributes
    ----------
    nodes
        The plants and aggregates.
    projects
        Capacity additions.
    demand
        (regions, sectors, elements) t/yr of element content in the base year.
    demand_growth
        Per year, applied to every cell.
    """

    nodes: tuple[Node, ...]
    projects: tuple[Project, ...]
    demand: np.ndarray
    demand_growth: float = 0.0

    def __post_init__(self) -> None:
        ids = [n.id for n in self.nodes]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ScenarioError(f"network: duplicate node ids {sorted(dup)}")
        known = set(ids)
        for n in self.nodes:
            for target in n.feeds or ():
                if target not in known:
                    raise ScenarioError(f"node {n.id!r}: feeds unknown node {target!r}")
        for p in self.projects:
            if p.node not in known:
                raise ScenarioError(f"project {p.id!r}: unknown node {p.node!r}")
        d = np.asarray(self.demand, dtype=float)
        if d.shape != (len(REGIONS), len(SECTORS), len(ELEMENTS)) or np.any(~np.isfinite(d)) or np.any(d < 0):
            raise ScenarioError("network: demand must be a non-negative (regions, sectors, elements) array")
        object.__setattr__(self, "demand", d)
        _check_graph(self)

    @property
    def node_ids(self) -> tuple[str, ...]:
        return tuple(n.id for n in self.nodes)


def hub_name(stage: str) -> str:
    return f"hub:{stage}"


def graph_edges(net: Network) -> list[tuple[str, str]]:
    """Edges (u, v) among node ids and hubs; the last hub's buyers (demand cells) are not listed."""
    edges: list[tuple[str, str]] = []
    for n in net.nodes:
        if n.feeds is None:
            edges.append((n.id, hub_name(n.stage)))
        else:
            edges.extend((n.id, t) for t in n.feeds)
        k = STAGES.index(n.stage)
        if k > 0 and n.from_market:
            edges.append((hub_name(STAGES[k - 1]), n.id))
    return edges


def _check_graph(net: Network) -> None:
    """Raise on a cycle or an orphan (a processing node nothing feeds, a node that feeds nothing)."""
    edges = graph_edges(net)
    succ: dict[str, list[str]] = {}
    indeg: dict[str, int] = {}
    verts = set(net.node_ids) | {hub_name(s) for s in STAGES}
    for u, v in edges:
        succ.setdefault(u, []).append(v)
        indeg[v] = indeg.get(v, 0) + 1
    for n in net.nodes:
        if n.stage != "mining" and indeg.get(n.id, 0) == 0:
            raise ScenarioError(f"node {n.id!r}: orphan — no supplier feeds it (stage {n.stage})")
        if not succ.get(n.id):
            raise ScenarioError(f"node {n.id!r}: orphan — it feeds nothing")
    colour: dict[str, int] = {}

    def visit(u: str, path: list[str]) -> None:  # iterative depth is small (≈50 vertices)
        colour[u] = 1
        for v in succ.get(u, []):
            if colour.get(v) == 1:
                cyc = path[path.index(v):] + [v] if v in path else [u, v]
                raise ScenarioError(f"network: cycle {' → '.join(cyc)}; flows must run downstream")
            if colour.get(v) is None:
                visit(v, path + [v])
        colour[u] = 2

    for vtx in sorted(verts):
        if colour.get(vtx) is None:
            visit(vtx, [vtx])


@dataclass(frozen=True)
class ExportControl:
    """China's licensing of exports: China-origin shipments to controlled cells limited to a licensed share."""

    elements: tuple[str, ...]
    destinations: tuple[str, ...]  # regions; China itself is never controlled
    sectors: tuple[str, ...] = SECTORS
    magnets: bool = False  # NdPr in magnets is controlled too (magnets containing Dy/Tb)
    licensed_share: float = 0.0
    start_month: float = 0.0
    end_month: float = np.inf

    def __post_init__(self) -> None:
        for e in self.elements:
            _idx(e, ELEMENTS, "element", "export control")
        for r in self.destinations:
            _idx(r, REGIONS, "region", "export control")
        for s in self.sectors:
            _idx(s, SECTORS, "sector", "export control")
        if not 0 <= self.licensed_share <= 1:
            raise ScenarioError(f"export control: licensed_share {self.licensed_share} outside [0, 1]")

    def mask(self) -> np.ndarray:
        """(regions, sectors, elements) True where controlled."""
        m = np.zeros((len(REGIONS), len(SECTORS), len(ELEMENTS)), dtype=bool)
        r = [REGIONS.index(x) for x in self.destinations if x != CHINA]
        s = [SECTORS.index(x) for x in self.sectors]
        for e in self.elements:
            m[np.ix_(r, s, [ELEMENTS.index(e)])] = True
        if self.magnets:
            ms = [SECTORS.index(x) for x in self.sectors if x in MAGNET_SECTORS]
            m[np.ix_(r, ms, [ELEMENTS.index("ndpr")])] = True
        return m


@dataclass(frozen=True)
class Policy:
    """Mandate, controls, priorities and stocks.

    Attributes
    ----------
    covered
        (regions, sectors) True for buyers the mandate covers.
    share_schedule
        ((month, allowed China-origin share), ...) step function from each month on; before the first entry 1.0.
    controls
        China's export controls.
    priority
        (sectors,) objective weights (defence first by default).
    stocks
        (regions, elements, origins) t held at the start.
    release_tpy
        (regions, elements) maximum release rate, t/yr (0: stock not released).
    release_start_month
        First month stock may be released.
    """

    covered: np.ndarray
    share_schedule: tuple[tuple[float, float], ...] = ()
    controls: tuple[ExportControl, ...] = ()
    priority: np.ndarray = field(default_factory=lambda: np.ones(len(SECTORS)))
    stocks: np.ndarray = field(default_factory=lambda: np.zeros((len(REGIONS), len(ELEMENTS), 2)))
    release_tpy: np.ndarray = field(default_factory=lambda: np.zeros((len(REGIONS), len(ELEMENTS))))
    release_start_month: float = 0.0

    def __post_init__(self) -> None:
        for month, share in self.share_schedule:
            if not 0.0 <= share <= 1.0 or not np.isfinite(share):
                raise ScenarioError(f"mandate: China-origin share {share} at month {month} outside [0, 1]")
        pr = np.asarray(self.priority, dtype=float)
        if pr.shape != (len(SECTORS),):
            raise ScenarioError("priority: one weight per sector")
        lo, hi = PRIORITY_RANGE
        bad = [f"{SECTORS[i]}={pr[i]}" for i in np.flatnonzero(~((pr >= lo) & (pr <= hi)))]
        if bad:
            raise ScenarioError(f"priority: weights must be finite numbers in [{lo:g}, {hi:g}]; got {', '.join(bad)}")
        for name in ("stocks", "release_tpy"):
            a = np.asarray(getattr(self, name), dtype=float)
            if np.any(a < 0) or not np.all(np.isfinite(a)):
                raise ScenarioError(f"{name}: must be finite and not negative")
        object.__setattr__(self, "priority", pr)

    def allowed_share(self, month: float) -> float:
        share = 1.0
        for m, s in sorted(self.share_schedule):
            if month >= m:
                share = s
        return share


def no_mandate() -> Policy:
    return Policy(covered=np.zeros((len(REGIONS), len(SECTORS)), dtype=bool))


# ---- capacities -------------------------------------------------------------------------------------------------
def draw_online_months(projects: tuple[Project, ...], n_draws: int, rng: np.random.Generator,
                       shift: dict[str, float] | None = None) -> np.ndarray:
    """(draws, projects) online months: nominal − acceleration + (late? triangular delay), ≥ earliest.

    A project already running at the start (nominal online month ≤ 0, e.g. a plant commissioned before the
    simulation start) is never late: its date is history, not a forecast, so every draw keeps its nominal month.
    The random numbers are drawn for it all the same, so the other projects' draws do not depend on which projects
    are already online.
    """
    shift = shift or {}
    out = np.empty((n_draws, len(projects)))
    for j, p in enumerate(projects):
        lo, mode, hi = p.delay_months
        late = rng.random(n_draws) < p.p_late
        delay = rng.triangular(lo, mode, hi, n_draws) if hi > lo else np.full(n_draws, lo)
        if p.online_month <= 0:
            late[:] = False
        out[:, j] = p.online_month - shift.get(p.id, 0.0) + np.where(late, delay, 0.0)
    earliest = np.array([p.earliest_month for p in projects])
    return np.maximum(out, earliest)


def nominal_online_months(projects: tuple[Project, ...], shift: dict[str, float] | None = None) -> np.ndarray:
    shift = shift or {}
    return np.array([max(p.online_month - shift.get(p.id, 0.0), p.earliest_month) for p in projects])


def capacity_path(net: Network, months: np.ndarray, online: np.ndarray) -> np.ndarray:
    """(steps, nodes, elements) t/yr at the start-month of each step, for one set of online months."""
    base = np.stack([n.capacity for n in net.nodes])  # (N, E)
    growth = np.array([n.growth for n in net.nodes])
    years = months / 12.0
    cap = base[None, :, :] * ((1.0 + growth)[None, :] ** np.maximum(years, 0.0)[:, None])[:, :, None]
    index = {n.id: i for i, n in enumerate(net.nodes)}
    for j, p in enumerate(net.projects):
        since = months - online[j]
        frac = np.clip((since + 1.0) / max(p.ramp_months, 1.0), 0.0, 1.0) if p.ramp_months > 0 else (since >= 0)
        frac = np.where(since >= 0, frac, 0.0)
        cap[:, index[p.node], :] += frac[:, None] * p.capacity[None, :]
    return cap


# ---- the LP -----------------------------------------------------------------------------------------------------
@dataclass
class _Layout:
    edges: list[tuple[str, str]]
    cells: np.ndarray  # (C, 3) region, sector, element
    n_edge_vars: int
    n_vars: int
    a_eq: sparse.csr_matrix
    a_ub: sparse.csr_matrix
    cap_rows: np.ndarray  # (N, E) row index in a_ub (−1: none)
    dem_rows: np.ndarray  # (C,)
    man_rows: np.ndarray  # (C,) −1 where not covered
    stock_rows: dict[tuple[int, int, int], int]
    cell_hub: np.ndarray  # (C, 2)
    cell_stock: np.ndarray  # (C, 2) −1 where none
    node_out_vars: list[list[list[list[int]]]]  # [node][element][origin] -> var ids of out-edges
    node_in_vars: list[list[list[list[int]]]]
    base_ub: np.ndarray
    cost: np.ndarray


def _layout(net: Network, policy: Policy) -> _Layout:
    E, O = len(ELEMENTS), 2
    edges = graph_edges(net)
    verts = list(net.node_ids) + [hub_name(s) for s in STAGES]
    vidx = {v: i for i, v in enumerate(verts)}
    nodes = {n.id: n for n in net.nodes}

    def var(edge: int, e: int, o: int) -> int:
        return (edge * E + e) * O + o

    n_edge_vars = len(edges) * E * O
    cells = np.argwhere(net.demand > 0)
    C = len(cells)
    cell_hub = n_edge_vars + np.arange(C * O).reshape(C, O)
    nxt = n_edge_vars + C * O
    has_stock = (policy.stocks.sum(axis=2) > 0) & (policy.release_tpy > 0)  # (R, E)
    cell_stock = -np.ones((C, O), dtype=int)
    for c, (r, _s, e) in enumerate(cells):
        if has_stock[r, e]:
            cell_stock[c] = [nxt, nxt + 1]
            nxt += 2
    n_vars = nxt

    outs: list[list[list[int]]] = [[[] for _ in range(E * O)] for _ in verts]
    ins: list[list[list[int]]] = [[[] for _ in range(E * O)] for _ in verts]
    for k, (u, v) in enumerate(edges):
        for e in range(E):
            for o in range(O):
                outs[vidx[u]][e * O + o].append(var(k, e, o))
                ins[vidx[v]][e * O + o].append(var(k, e, o))
    last_hub = vidx[hub_name(STAGES[-1])]
    for c in range(C):
        e = cells[c, 2]
        for o in range(O):
            outs[last_hub][e * O + o].append(int(cell_hub[c, o]))

    ub = np.full(n_vars, np.inf)
    eq_r, eq_c, eq_v = [], [], []
    row = 0
    for vi, vname in enumerate(verts):
        node = nodes.get(vname)
        for e in range(E):
            if node is not None and node.stage == "mining":
                own = CN if node.china else NC
                for var_id in outs[vi][e * O + (1 - own)]:
                    ub[var_id] = 0.0
                continue
            if node is not None and node.china:  # Σ_o in = out_CN ; out_NC = 0
                for o in range(O):
                    for var_id in ins[vi][e * O + o]:
                        eq_r.append(row), eq_c.append(var_id), eq_v.append(1.0)
                for var_id in outs[vi][e * O + CN]:
                    eq_r.append(row), eq_c.append(var_id), eq_v.append(-1.0)
                for var_id in outs[vi][e * O + NC]:
                    ub[var_id] = 0.0
                row += 1
                continue
            for o in range(O):  # hubs, pass-through and non-China nodes keep the origin
                for var_id in ins[vi][e * O + o]:
                    eq_r.append(row), eq_c.append(var_id), eq_v.append(1.0)
                for var_id in outs[vi][e * O + o]:
                    eq_r.append(row), eq_c.append(var_id), eq_v.append(-1.0)
                row += 1
    a_eq = sparse.csr_matrix((eq_v, (eq_r, eq_c)), shape=(row, n_vars))

    ub_r, ub_c, ub_v = [], [], []
    urow = 0
    cap_rows = -np.ones((len(net.nodes), E), dtype=int)
    for ni, node in enumerate(net.nodes):
        for e in range(E):
            if node.passthrough and np.isinf(node.capacity[e]):
                continue
            for o in range(O):
                for var_id in outs[vidx[node.id]][e * O + o]:
                    ub_r.append(urow), ub_c.append(var_id), ub_v.append(1.0)
            cap_rows[ni, e] = urow
            urow += 1
    dem_rows = np.empty(C, dtype=int)
    for c in range(C):
        for o in range(O):
            for var_id in (cell_hub[c, o], cell_stock[c, o]):
                if var_id >= 0:
                    ub_r.append(urow), ub_c.append(int(var_id)), ub_v.append(1.0)
        dem_rows[c] = urow
        urow += 1
    man_rows = -np.ones(C, dtype=int)
    for c, (r, s, _e) in enumerate(cells):
        if policy.covered[r, s]:
            for var_id in (cell_hub[c, CN], cell_stock[c, CN]):
                if var_id >= 0:
                    ub_r.append(urow), ub_c.append(int(var_id)), ub_v.append(1.0)
            man_rows[c] = urow
            urow += 1
    stock_rows: dict[tuple[int, int, int], int] = {}
    for c, (r, _s, e) in enumerate(cells):
        for o in range(O):
            if cell_stock[c, o] >= 0:
                key = (int(r), int(e), o)
                if key not in stock_rows:
                    stock_rows[key] = urow
                    urow += 1
                ub_r.append(stock_rows[key]), ub_c.append(int(cell_stock[c, o])), ub_v.append(1.0)
    a_ub = sparse.csr_matrix((ub_v, (ub_r, ub_c)), shape=(urow, n_vars))

    cost = np.zeros(n_vars)
    for node in net.nodes:
        if node.stage != "mining" and not node.china and not node.passthrough:
            for lst in outs[vidx[node.id]]:
                cost[lst] -= NON_CHINA_RUN_BONUS
    for c, (r, s, _e) in enumerate(cells):
        w = policy.priority[s]
        cost[cell_hub[c]] = -w
        for o in range(O):
            if cell_stock[c, o] >= 0:
                cost[cell_stock[c, o]] = -w + STOCK_PENALTY
        if policy.covered[r, s]:
            for o, bonus in ((CN, COVERED_BONUS), (NC, 2.0 * COVERED_BONUS)):
                cost[cell_hub[c, o]] -= bonus
                if cell_stock[c, o] >= 0:
                    cost[cell_stock[c, o]] -= bonus
    return _Layout(edges, cells, n_edge_vars, n_vars, a_eq, a_ub, cap_rows, dem_rows, man_rows, stock_rows,
                   cell_hub, cell_stock, [], [], ub, cost)


class _WarmHighs:
    """One HiGHS model per run; each step changes column bounds only and re-solves from the last basis.

    Inequality rows ``A_ub x ≤ b`` are written ``A_ub x − y = 0`` with ``y ≤ b`` so that a step's right-hand sides
    are column bounds (one call); the row duals are linprog's ``ineqlin.marginals``.
    """

    INF = 1e30

    def __init__(self, lay: _Layout) -> None:
        hc = _highs_core
        nu, n = lay.a_ub.shape
        ne = lay.a_eq.shape[0]
        a = sparse.bmat([[lay.a_ub, -sparse.identity(nu)], [lay.a_eq, None]], format="csc")
        lp = hc.HighsLp()
        lp.num_col_, lp.num_row_ = n + nu, nu + ne
        lp.col_cost_ = np.concatenate([lay.cost, np.zeros(nu)])
        lp.col_lower_ = np.concatenate([np.zeros(n), np.full(nu, -self.INF)])
        lp.col_upper_ = np.concatenate([np.minimum(lay.base_ub, self.INF), np.zeros(nu)])
        lp.row_lower_ = np.zeros(nu + ne)
        lp.row_upper_ = np.zeros(nu + ne)
        lp.a_matrix_.format_ = hc.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n + nu, nu + ne
        self.h = hc._Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.passModel(lp)
        self.n, self.nu = n, nu
        self.y_idx = np.arange(n, n + nu, dtype=np.int32)
        self.lo_y = np.full(nu, -self.INF)
        self.hub_cn = lay.cell_hub[:, CN].astype(np.int32)
        self.zeros_cn = np.zeros(len(self.hub_cn))

    def solve(self, b: np.ndarray, ub_cn: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        h = self.h
        h.changeColsBounds(self.nu, self.y_idx, self.lo_y, b)
        h.changeColsBounds(len(self.hub_cn), self.hub_cn, self.zeros_cn, np.minimum(ub_cn, self.INF))
        h.run()
        if h.getModelStatus() != _highs_core.HighsModelStatus.kOptimal:
            return None
        sol = h.getSolution()
        return np.asarray(sol.col_value)[: self.n], np.asarray(sol.row_dual)[: self.nu]


@dataclass(frozen=True)
class MineralsRun:
    """One simulated path.

    Attributes
    ----------
    months
        (T,) start month of each step (from the simulation start, fractional for weekly steps).
    dt_years
        Step length in years.
    node_output
        (T, N, E, O) tonnes leaving each node in the step, by element group and origin.
    node_input
        (T, N, E) tonnes entering each node (all origins).
    capacity
        (T, N, E) tonnes available in the step.
    demand, delivered_cn, delivered_nc
        (T, R, S, E) tonnes required and met (from production or stock) by origin.
    stock
        (T + 1, R, E, O) tonnes held at the start of each step (and at the end).
    shadow
        (T, N, E) capacity shadow prices (objective units per tonne; > 0: the node binds).
    covered
        (R, S) buyers the mandate covers.
    allowed_share
        (T,) China-origin share allowed to covered buyers.
    node_ids
        Node names in order.
    """

    months: np.ndarray
    dt_years: float
    node_output: np.ndarray
    node_input: np.ndarray
    capacity: np.ndarray
    demand: np.ndarray
    delivered_cn: np.ndarray
    delivered_nc: np.ndarray
    stock: np.ndarray
    shadow: np.ndarray
    covered: np.ndarray
    allowed_share: np.ndarray
    node_ids: tuple[str, ...]

    @property
    def delivered(self) -> np.ndarray:
        return self.delivered_cn + self.delivered_nc

    @property
    def shortfall(self) -> np.ndarray:
        return np.maximum(self.demand - self.delivered, 0.0)


def simulate(net: Network, policy: Policy, *, steps: int, step_days: float, online: np.ndarray | None = None,
             cache: dict[bytes, tuple[np.ndarray, np.ndarray]] | None = None) -> MineralsRun:
    """Run the network for ``steps`` steps of ``step_days`` days, one LP per step.

    Parameters
    ----------
    net, policy
        The network and the policy.
    steps, step_days
        Horizon (e.g. 260 weekly steps = 5 years).
    online
        (projects,) online month of each project; default the nominal months.
    cache
        Optional memo of LP solutions keyed by the step's right-hand sides (Monte Carlo draws share most steps).
    """
    if steps < 1 or not 0 < step_days <= 92:
        raise ScenarioError("simulation: steps ≥ 1 and step_days in (0, 92]")
    lay = _layout(net, policy)
    N, E, R, S, O = len(net.nodes), len(ELEMENTS), len(REGIONS), len(SECTORS), 2
    dt = step_days / DAYS_PER_YEAR
    months = np.arange(steps) * step_days / (DAYS_PER_YEAR / 12.0)
    online = nominal_online_months(net.projects) if online is None else np.asarray(online, dtype=float)
    for j, p in enumerate(net.projects):
        if online[j] < p.earliest_month - 1e-9:
            raise ScenarioError(f"project {p.id!r}: online month {online[j]} before its earliest {p.earliest_month}")
    cap = capacity_path(net, months, online) * dt  # tonnes per step
    growth = (1.0 + net.demand_growth) ** (months / 12.0)
    cells = lay.cells
    C = len(cells)
    dem_cells = net.demand[cells[:, 0], cells[:, 1], cells[:, 2]][None, :] * growth[:, None] * dt  # (T, C)
    shares = np.array([policy.allowed_share(m) for m in months])
    ctrl = np.ones((steps, C))
    for control in policy.controls:
        m = control.mask()[cells[:, 0], cells[:, 1], cells[:, 2]]
        active = (months >= control.start_month) & (months < control.end_month)
        ctrl[np.ix_(active, m)] = np.minimum(ctrl[np.ix_(active, m)], control.licensed_share)
    stock = np.zeros((steps + 1, R, E, O))
    stock[0] = policy.stocks
    b_eq = np.zeros(lay.a_eq.shape[0])
    nrow = lay.a_ub.shape[0]

    out_n = np.zeros((steps, N, E, O))
    in_n = np.zeros((steps, N, E))
    d_cn = np.zeros((steps, R, S, E))
    d_nc = np.zeros((steps, R, S, E))
    shadow = np.zeros((steps, N, E))
    node_pos = {n.id: i for i, n in enumerate(net.nodes)}
    edge_u = np.array([node_pos.get(u, -1) for u, _ in lay.edges])
    edge_v = np.array([node_pos.get(v, -1) for _, v in lay.edges])
    has_cap = lay.cap_rows >= 0
    fast = _WarmHighs(lay) if _highs_core is not None else None

    for t in range(steps):
        b = np.zeros(nrow)
        b[lay.cap_rows[has_cap]] = cap[t][has_cap]
        b[lay.dem_rows] = dem_cells[t]
        cov = lay.man_rows >= 0
        b[lay.man_rows[cov]] = shares[t] * dem_cells[t, cov]
        releasable = months[t] >= policy.release_start_month
        for (r, e, o), rw in lay.stock_rows.items():
            b[rw] = min(stock[t, r, e, o], policy.release_tpy[r, e] * dt) if releasable else 0.0
        ub = lay.base_ub.copy()
        ub[lay.cell_hub[:, CN]] = np.minimum(ub[lay.cell_hub[:, CN]], ctrl[t] * dem_cells[t])
        key = None
        if cache is not None:
            key = np.round(np.concatenate([b, ub[lay.cell_hub[:, CN]]]), 6).tobytes()
            hit = cache.get(key)
        if cache is not None and hit is not None:
            x, marg = hit
        else:
            got = fast.solve(b, ub[lay.cell_hub[:, CN]]) if fast is not None else None
            if got is not None:
                x, marg = got[0], -got[1]
            else:  # no bundled HiGHS object, or it stumbled: the documented linprog route
                res = linprog(lay.cost, A_ub=lay.a_ub, b_ub=b, A_eq=lay.a_eq, b_eq=b_eq,
                              bounds=np.column_stack([np.zeros(lay.n_vars), ub]), method="highs")
                if res.status != 0:
                    raise ScenarioError(f"minerals LP failed at step {t}: {res.message}")
                x, marg = res.x, -res.ineqlin.marginals
            if cache is not None:
                cache[key] = (x, marg)
        flows = x[: lay.n_edge_vars].reshape(len(lay.edges), E, O)
        np.add.at(out_n[t], edge_u[edge_u >= 0], flows[edge_u >= 0])
        np.add.at(in_n[t], edge_v[edge_v >= 0], flows[edge_v >= 0].sum(axis=2))
        shadow[t][has_cap] = marg[lay.cap_rows[has_cap]]
        hub = x[lay.cell_hub]
        stk = np.where(lay.cell_stock >= 0, x[np.maximum(lay.cell_stock, 0)], 0.0)
        np.add.at(d_cn[t], (cells[:, 0], cells[:, 1], cells[:, 2]), hub[:, CN] + stk[:, CN])
        np.add.at(d_nc[t], (cells[:, 0], cells[:, 1], cells[:, 2]), hub[:, NC] + stk[:, NC])
        stock[t + 1] = stock[t]
        for o in range(O):
            np.subtract.at(stock[t + 1], (cells[:, 0], cells[:, 2], o), stk[:, o])
        stock[t + 1] = np.maximum(stock[t + 1], 0.0)

    demand = np.zeros((steps, R, S, E))
    demand[:, cells[:, 0], cells[:, 1], cells[:, 2]] = dem_cells
    return MineralsRun(months, dt, out_n, in_n, cap, demand, d_cn, d_nc, stock, shadow, policy.covered.copy(),
                       shares, net.node_ids)


def mass_balance_residual(net: Network, run: MineralsRun) -> float:
    """Largest |input − output| over processing nodes (mining excluded) and steps, plus |supply − delivered|."""
    worst = 0.0
    for i, n in enumerate(net.nodes):
        if n.stage == "mining":
            continue
        worst = max(worst, float(np.max(np.abs(run.node_input[:, i] - run.node_output[:, i].sum(axis=2)))))
    mined = np.array([run.node_output[:, i].sum(axis=(1, 2)) for i, n in enumerate(net.nodes)
                      if n.stage == "mining"]).sum(axis=0)
    released = -(np.diff(run.stock, axis=0)).sum(axis=(1, 2, 3))
    worst = max(worst, float(np.max(np.abs(mined + released - run.delivered.sum(axis=(1, 2, 3))))))
    return worst


def stage_china_share(net: Network, run: MineralsRun, stage: str, step: int = 0,
                      elements: tuple[str, ...] | None = None) -> float:
    """China's share of the stage's output at a step (pass-through nodes excluded)."""
    el = [ELEMENTS.index(e) for e in (elements or ELEMENTS)]
    china = total = 0.0
    for i, n in enumerate(net.nodes):
        if n.stage != stage or n.passthrough:
            continue
        v = float(run.node_output[step, i][el].sum())
        total += v
        china += v if n.china else 0.0
    return china / total if total > 0 else float("nan")
