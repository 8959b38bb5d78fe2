"""Static PNG versions of the report's charts (matplotlib, Agg backend, no pyplot state).

Each function takes the same tidy frame as its Plotly twin in :mod:`geostress.report.figures` and writes one PNG.
Fan charts of a scenario reuse :func:`geostress.results.plots.fan_chart`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from geostress.results.plots import BAND_COLOUR, DETERMINISTIC_COLOUR
from geostress.report.figures import BANDS, PALETTE


def _figure(title: str, *, width: float = 8.0, height: float = 4.4) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(width, height), dpi=120, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=11, loc="left")
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _save(fig: Figure, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png")
    return path


def _suffix(ax: Axes, suffix: str) -> None:
    if suffix:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: f"{y:,.4g}{suffix}"))


def band_png(frame: pd.DataFrame, x: str, path: Path, *, title: str, x_label: str, y_label: str,
             scale: float = 1.0, y_suffix: str = "") -> Path:  # fmt: skip
    """Percentile bands, median and deterministic path of a tidy ``x, quantile, value`` frame."""
    wide = frame.pivot_table(index=x, columns="quantile", values="value", sort=True) * scale
    xs = wide.index.to_numpy()
    fig, ax = _figure(title)
    for lo, hi, alpha in BANDS:
        if lo in wide and hi in wide:
            ax.fill_between(xs, wide[lo], wide[hi], color=BAND_COLOUR, alpha=alpha + 0.04, linewidth=0,
                            label=f"{int(lo[1:])}–{int(hi[1:])}th percentile")
    if "p50" in wide:
        ax.plot(xs, wide["p50"], color=BAND_COLOUR, linewidth=2.0, label="median")
    if "deterministic" in wide:
        ax.plot(xs, wide["deterministic"], color=DETERMINISTIC_COLOUR, linewidth=1.6,
                linestyle="--" if "p50" in wide else "-", label="deterministic (no shocks)")
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    _suffix(ax, y_suffix)
    # under the axes, not over them: inside, the key covered the bands' peak (the review of the reports)
    fig.legend(loc="outside lower center", ncol=4, fontsize=8, frameon=False)
    return _save(fig, path)


def line_png(frame: pd.DataFrame, x: str, series: str, value: str, path: Path, *, title: str, x_label: str,
             y_label: str, y_suffix: str = "", order: Sequence[str] | None = None) -> Path:  # fmt: skip
    """One line per ``series`` of a tidy frame."""
    names = list(order) if order is not None else list(dict.fromkeys(frame[series]))
    fig, ax = _figure(title)
    for i, name in enumerate(names):
        part = frame[frame[series] == name].sort_values(x)
        ax.plot(part[x], part[value], color=PALETTE[i % len(PALETTE)], linewidth=1.6, label=str(name))
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    _suffix(ax, y_suffix)
    ax.legend(loc="upper left", fontsize=8, frameon=False, ncol=2 if len(names) > 4 else 1)
    return _save(fig, path)


def bar_png(frame: pd.DataFrame, category: str, series: str, value: str, path: Path, *, title: str,
            y_label: str, scale: float = 1.0, y_suffix: str = "") -> Path:  # fmt: skip
    """Grouped bars: one group per ``category``, one bar per ``series``."""
    cats = list(dict.fromkeys(frame[category]))
    names = list(dict.fromkeys(frame[series]))
    fig, ax = _figure(title)
    width = 0.8 / max(len(names), 1)
    base = np.arange(len(cats))
    for i, name in enumerate(names):
        part = frame[frame[series] == name].set_index(category).reindex(cats)
        ax.bar(base + (i - (len(names) - 1) / 2) * width, part[value].fillna(0.0) * scale, width,
               color=PALETTE[i % len(PALETTE)], label=str(name))
    tilt = len(cats) > 5
    ax.set_xticks(base, [str(c) for c in cats], rotation=30 if tilt else 0, ha="right" if tilt else "center",
                  fontsize=8)
    ax.set_ylabel(y_label)
    ax.grid(False, axis="x")
    _suffix(ax, y_suffix)
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    return _save(fig, path)
