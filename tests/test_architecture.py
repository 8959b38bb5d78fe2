"""The house shows its layers: no import cycles, every arrow points down (README, "Architecture").

Layers, bottom to top (a module may import its own layer and any layer below, never above):

====  ==========================================================================
0     ``errors``, the package root
1     ``util``
2     ``data``, ``model`` (side by side: neither imports the other)
3     ``calibrate`` (data → model parameters)
4     ``spec``
5     ``analytics``, ``results``
6     ``run`` (orchestration)
7     ``validate`` (runs models and runners against published figures)
8     ``report``, ``service``, ``cli`` (interfaces; ``cli`` may start the other two)
====  ==========================================================================

``testing`` is a public helper for tests and sits beside the interfaces.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

import geostress

PACKAGE = Path(geostress.__file__).resolve().parent
LAYER = {
    "errors": 0, "__init__": 0, "util": 1, "data": 2, "model": 2, "calibrate": 3, "spec": 4, "analytics": 5,
    "results": 5, "run": 6, "validate": 7, "report": 8, "service": 8, "cli": 9, "testing": 9, "scenarios": 0,
    "__main__": 10,  # ``python -m geostress``: runs the command line, above every layer
}  # fmt: skip
#: Same-layer packages that may import one another in this direction (analytics reads typed results; the package
#: root re-exports the error classes).
ALLOWED_SIDEWAYS = {("analytics", "results"), ("__init__", "errors")}


def module_names() -> dict[str, Path]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def import_graph() -> dict[str, set[str]]:
    """Module → the package modules it imports (anywhere in the file, lazy imports and TYPE_CHECKING included).

    ``from pkg import sub`` counts as importing ``pkg.sub`` (not ``pkg``'s ``__init__`` re-exports) when ``sub``
    is a module.
    """
    names = module_names()
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in names.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                subs = [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in names]
                targets = subs if len(subs) == len(node.names) else [node.module, *subs]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            graph[name].update(t for t in targets if t in names and t != name)
    return graph


def top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in list(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_every_arrow_points_down() -> None:
    upward = []
    for module, imported in import_graph().items():
        for target in imported:
            a, b = top(module), top(target)
            if a == b or (a, b) in ALLOWED_SIDEWAYS:
                continue
            if LAYER[b] >= LAYER[a]:  # up, or sideways into another package of the same layer
                upward.append(f"{module} → {target}")
    assert upward == [], "imports that point up or sideways:\n" + "\n".join(sorted(upward))


@pytest.mark.parametrize("layer", ["model", "data"])
def test_model_and_data_import_only_errors_and_themselves(layer: str) -> None:
    bad = sorted(f"{m} → {t}" for m, ts in import_graph().items() if top(m) == layer
                 for t in ts if top(t) not in (layer, "errors"))  # fmt: skip
    assert bad == []


def test_model_is_pure_numerics() -> None:
    """No file paths, web frameworks or I/O modules in model/."""
    forbidden = {"pathlib", "os", "httpx", "fastapi", "duckdb", "pyarrow", "io", "shutil", "open"}
    found = []
    for path in (PACKAGE / "model").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                found += [f"{path.name}: import {m}" for m in mods if m.split(".")[0] in forbidden]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
                found.append(f"{path.name}: open()")
    assert found == []


def test_the_graph_sees_real_imports() -> None:
    """Guard against a vacuous pass: the graph finds known edges and a planted cycle."""
    graph = import_graph()
    assert "geostress.model.fiscal" in graph["geostress.run.engine"]
    assert "geostress.data.store" in graph["geostress.calibrate.fiscal"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_market_impact_starts_without_the_compiled_kernels_or_the_http_client(tmp_path: Path) -> None:
    """``geostress market impact`` runs the block in plain numpy and only reads the store: importing numba (≈0.2 s)
    or httpx (≈0.05 s) on its way would put the command from the shell back over the issue's 1 s
    (``benchmarks/bench_coupled.py`` times it; this guards the import graph that keeps it under)."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "import geostress.cli.app\n"
        "from geostress.data.store import Store\n"
        "from geostress.run.market import impact\n"
        f"result = impact(Store({str(tmp_path)!r}), 'china_mainland', 100.0, 6, draws=50)\n"
        "assert result.peak['median'] > 0, result.peak\n"
        "print(sorted(m for m in ('numba', 'httpx', 'geostress.model.fiscal') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_scenario_schema_loads_without_pandas_or_the_contagion_kernels() -> None:
    """Every command that reads a scenario imports ``spec.scenario``; its bounds come from light modules (the peer
    gain from ``model.priors``, the reserves pace and month parser from ``spec.reserves``, whose default ally share
    lives in ``model.reserves``). Reading them from ``model.contagion`` and ``calibrate.reserves`` had added pandas
    and the contagion kernels to the import, ≈0.9 s at start-up (1.46 s against 0.47 s, ``-X importtime``)."""
    import subprocess
    import sys

    script = ("import sys\nimport geostress.spec.scenario\n"
              "print(sorted(m for m in ('pandas', 'geostress.model.contagion', 'geostress.calibrate.reserves') "
              "if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
