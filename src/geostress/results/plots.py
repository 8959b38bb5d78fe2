"""Fan charts of a scenario run (matplotlib, Agg backend, no pyplot state).

Each chart shows, by fiscal year, the 5–95, 10–90 and 25–75 percentile bands over the stochastic paths, their
median, and the deterministic (zero-shock) path. A deterministic-only run (``simulation.paths = 0``) draws the
deterministic line alone. Figures are built with :class:`matplotlib.figure.Figure` directly, so nothing touches
pyplot's global figure registry and the module is safe to call from threads, servers and tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from geostress.results.ensemble import FAN_VARIABLES, QUANTILES

#: variable → (title, y-axis label, scale to display units). All four are shown in percent.
LABELS: dict[str, tuple[str, str, float]] = {
    "debt_to_gdp": ("Debt held by the public", "% of GDP (end of fiscal year)", 100.0),
    "net_interest_to_gdp": ("Net interest", "% of GDP", 100.0),
    "interest_to_revenue": ("Net interest", "% of federal revenue", 100.0),
    "yield_10y": ("10-year Treasury yield", "percent (fiscal-year average)", 100.0),
}
#: File name of each variable's chart.
FILE_NAMES: dict[str, str] = {v: f"fan_{v}.png" for v in FAN_VARIABLES}
#: (low quantile, high quantile, alpha) of the bands, widest first.
BANDS: tuple[tuple[float, float, float], ...] = ((0.05, 0.95, 0.18), (0.10, 0.90, 0.28), (0.25, 0.75, 0.42))
BAND_COLOUR = "#2b6cb0"
DETERMINISTIC_COLOUR = "#c0392b"


def _q_index(q: float) -> int:
    return min(range(len(QUANTILES)), key=lambda i: abs(QUANTILES[i] - q))


def fan_chart(result: Any, variable: str, path: Path | str, *, dpi: int = 120) -> Path:
    """Draw one fan chart of ``variable`` for a :class:`~geostress.run.engine.ScenarioResult` and save it as PNG.

    Parameters
    ----------
    result
        A scenario result; its ``ensemble`` may be ``None`` (deterministic line only).
    variable
        One of :data:`geostress.run.engine.FAN_VARIABLES`.
    path
        Output PNG file.
    """
    if variable not in LABELS:
        raise ValueError(f"no fan chart for {variable!r}; choose one of {', '.join(LABELS)}")
    title, ylabel, scale = LABELS[variable]
    path = Path(path)
    ens = result.ensemble
    table = result.annual_frame()
    years = table.index.to_numpy()
    deterministic = table[variable].to_numpy() * scale

    fig = Figure(figsize=(8.0, 4.6), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    # a one-year horizon has no line to draw: its bands become a bar half a year wide and its lines get markers
    one_year = len(years) == 1
    marker = "o" if one_year else None
    if ens is not None:
        fan = ens.fan[variable] * scale
        fan_years = np.asarray(ens.fiscal_years, dtype=float)
        band_years = np.array([fan_years[0] - 0.25, fan_years[0] + 0.25]) if one_year else fan_years
        for lo, hi, alpha in BANDS:
            low, high = fan[_q_index(lo)], fan[_q_index(hi)]
            if one_year:
                low, high = np.repeat(low, 2), np.repeat(high, 2)
            ax.fill_between(band_years, low, high, color=BAND_COLOUR, alpha=alpha,
                            linewidth=0, label=f"{round(lo * 100)}–{round(hi * 100)}th percentile")
        ax.plot(fan_years, fan[_q_index(0.50)], color=BAND_COLOUR, linewidth=2.0, marker=marker, label="median")
    ax.plot(years, deterministic, color=DETERMINISTIC_COLOUR, linewidth=1.8, linestyle="--" if ens is not None else "-",
            marker=marker, label="deterministic (no shocks)")

    name = result.name
    if ens is not None:
        sub = f"{name}: {ens.n_paths:,} paths, seed {ens.seed}"
        if ens.n_exploded:
            sub += f", {ens.n_exploded:,} explosive (frozen at the crossing)"
    else:
        sub = f"{name}: deterministic only"
    ax.set_title(f"{title}, {ylabel.split(' (')[0]}\n{sub}", fontsize=11, loc="left")
    ax.set_xlabel("fiscal year")
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=10))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{int(round(x))}"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: f"{y:g}%"))
    if one_year:
        ax.set_xlim(years[0] - 0.5, years[0] + 0.5)
        ax.set_xticks([years[0]])
    else:
        ax.set_xlim(years[0], years[-1])
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png")
    return path


def fan_charts(result: Any, out_dir: Path | str) -> dict[str, Path]:
    """Write every fan chart (:data:`FILE_NAMES`) into ``out_dir``; returns variable → path."""
    out_dir = Path(out_dir)
    return {v: fan_chart(result, v, out_dir / FILE_NAMES[v]) for v in FAN_VARIABLES}
