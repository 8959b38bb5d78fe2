"""Interactive Plotly figures of the report, built from the same tidy frames that are written as CSV.

Three shapes cover every chart: percentile bands over an x axis (fan charts, the term-premium path), lines (one
per series) and grouped bars. Figures never load anything from the network: no MathJax, no maps, no web fonts;
plotly.js itself is inlined once in the page (:mod:`geostress.report.page`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from geostress.results.plots import BAND_COLOUR, DETERMINISTIC_COLOUR

#: Options of every figure: no Plotly logo, resize with the page, no lasso/select tools.
CONFIG: dict[str, object] = {"displaylogo": False, "responsive": True,
                             "modeBarButtonsToRemove": ["lasso2d", "select2d"]}  # fmt: skip
#: Line colours (colour-blind-safe order, after Okabe & Ito).
PALETTE: tuple[str, ...] = ("#1f4e79", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#6b6b6b",
                            "#8c564b", "#0072b2", "#f0e442")  # fmt: skip
#: (low, high, opacity) of the bands, widest first (same as the PNG fan charts).
BANDS: tuple[tuple[str, str, float], ...] = (("p05", "p95", 0.16), ("p10", "p90", 0.24), ("p25", "p75", 0.36))
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _layout(fig: go.Figure, *, x_title: str, y_title: str, y_suffix: str = "", height: int = 420) -> go.Figure:
    fig.update_layout(
        template="plotly_white", height=height, margin={"l": 60, "r": 20, "t": 30, "b": 50},
        font={"family": FONT, "size": 13, "color": "#1d2733"}, hovermode="x unified",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0.0},
    )  # fmt: skip
    fig.update_xaxes(title_text=x_title, showline=True, linecolor="#b8c2cc")
    fig.update_yaxes(title_text=y_title, ticksuffix=y_suffix, gridcolor="#e6eaee", zeroline=False)
    return fig


def band_figure(frame: pd.DataFrame, x: str, *, x_title: str, y_title: str, scale: float = 1.0,
                y_suffix: str = "", digits: int = 1) -> go.Figure:  # fmt: skip
    """Percentile bands, the median and (when present) the deterministic path.

    Parameters
    ----------
    frame
        Tidy: ``x``, ``quantile`` (``p05`` … ``p95``, ``deterministic``) and ``value``.
    scale
        Multiplies the values for display (100 for ratios shown in percent).
    """
    wide = frame.pivot_table(index=x, columns="quantile", values="value", sort=True) * scale
    xs = list(wide.index)
    fig = go.Figure()
    hover = f"%{{y:.{digits}f}}{y_suffix}"
    for lo, hi, alpha in BANDS:
        if lo not in wide or hi not in wide:
            continue
        low, high = int(lo[1:]), int(hi[1:])
        label = f"{low}–{high}th percentile"
        fig.add_trace(go.Scatter(x=xs, y=wide[lo], mode="lines", line={"width": 0}, showlegend=False,
                                 legendgroup=label, name=f"{low}th",
                                 hovertemplate=f"{low}th: {hover}<extra></extra>"))
        fig.add_trace(go.Scatter(x=xs, y=wide[hi], mode="lines", line={"width": 0}, fill="tonexty",
                                 fillcolor=_rgba(BAND_COLOUR, alpha), name=label, legendgroup=label,
                                 hovertemplate=f"{high}th: {hover}<extra></extra>"))
    if "p50" in wide:
        fig.add_trace(go.Scatter(x=xs, y=wide["p50"], mode="lines", name="median",
                                 line={"color": BAND_COLOUR, "width": 2.5}, hovertemplate=hover))
    if "deterministic" in wide:
        dash = "dash" if "p50" in wide else "solid"
        fig.add_trace(go.Scatter(x=xs, y=wide["deterministic"], mode="lines", name="deterministic (no shocks)",
                                 line={"color": DETERMINISTIC_COLOUR, "width": 2, "dash": dash},
                                 hovertemplate=hover))
    return _layout(fig, x_title=x_title, y_title=y_title, y_suffix=y_suffix)


def line_figure(frame: pd.DataFrame, x: str, series: str, value: str, *, x_title: str, y_title: str,
                y_suffix: str = "", order: Sequence[str] | None = None, digits: int = 1) -> go.Figure:  # fmt: skip
    """One line per ``series`` of a tidy ``frame`` (``x``, ``series``, ``value``), in ``order`` if given."""
    names = list(order) if order is not None else list(dict.fromkeys(frame[series]))
    fig = go.Figure()
    for i, name in enumerate(names):
        part = frame[frame[series] == name].sort_values(x)
        fig.add_trace(go.Scatter(x=part[x], y=part[value], mode="lines", name=str(name),
                                 line={"color": PALETTE[i % len(PALETTE)], "width": 2},
                                 hovertemplate=f"%{{y:,.{digits}f}}{y_suffix}"))
    return _layout(fig, x_title=x_title, y_title=y_title, y_suffix=y_suffix)


def bar_figure(frame: pd.DataFrame, category: str, series: str, value: str, *, y_title: str,
               y_suffix: str = "", scale: float = 1.0, digits: int = 1) -> go.Figure:  # fmt: skip
    """Grouped vertical bars: one group per ``category``, one bar per ``series``."""
    cats = list(dict.fromkeys(frame[category]))
    fig = go.Figure()
    for i, name in enumerate(dict.fromkeys(frame[series])):
        part = frame[frame[series] == name].set_index(category).reindex(cats)
        fig.add_trace(go.Bar(x=cats, y=part[value] * scale, name=str(name), marker_color=PALETTE[i % len(PALETTE)],
                             hovertemplate=f"%{{y:,.{digits}f}}{y_suffix}"))
    fig.update_layout(barmode="group", bargap=0.25)
    return _layout(fig, x_title="", y_title=y_title, y_suffix=y_suffix)
