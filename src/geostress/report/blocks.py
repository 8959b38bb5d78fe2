"""Building blocks of the report: charts, sections and small HTML helpers that escape everything they are given.

A :class:`Section` is a heading and a sequence of blocks; a block is either a ready HTML fragment (made with the
helpers here, which escape every piece of text) or a :class:`Chart`. A chart carries its tidy data (written as
CSV), its interactive Plotly figure and a function that draws the matching matplotlib PNG, so the three outputs
of one chart always come from the same numbers.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Chart:
    """One chart: ``figures/<slug>.png``, ``data/<slug>.csv`` and an interactive figure in the page.

    Attributes
    ----------
    slug
        File stem (letters, digits, ``_`` and ``-``).
    title
        Heading shown above the chart.
    caption
        Plain-language note under the chart: what it shows, the source and the assumptions (plain text).
    data
        The tidy numbers behind the chart, written as CSV.
    figure
        A :class:`plotly.graph_objects.Figure`.
    draw_png
        Writes the matplotlib PNG of the chart to the path it is given.
    """

    slug: str
    title: str
    caption: str
    data: pd.DataFrame
    figure: Any
    draw_png: Callable[[Path], object]


Block = str | Chart


@dataclass(frozen=True)
class Section:
    """A heading (``title``, anchor ``id``), its blocks in order, and tables written as ``data/<name>.csv``."""

    id: str
    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    tables: tuple[tuple[str, pd.DataFrame], ...] = field(default_factory=tuple)

    @property
    def charts(self) -> list[Chart]:
        return [b for b in self.blocks if isinstance(b, Chart)]


def esc(value: object) -> str:
    """``value`` as escaped HTML text (quotes included)."""
    return html.escape(str(value), quote=True)


def inline(text: str) -> str:
    """Escape ``text``, then show `backticked` spans as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", esc(text))


def para(text: str) -> str:
    """A paragraph of plain text (escaped; `backticks` become code)."""
    return f"<p>{inline(text)}</p>"


def note(text: str, kind: str = "note") -> str:
    """A highlighted remark (``kind``: ``note``, ``warn`` or ``source``)."""
    return f'<p class="{esc(kind)}">{inline(text)}</p>'


def bullets(items: Iterable[str]) -> str:
    """A bulleted list of plain-text items (escaped)."""
    return "<ul>" + "".join(f"<li>{inline(i)}</li>" for i in items) + "</ul>"


#: The minus sign of the report's figures (U+2212), not the hyphen Python prints.
MINUS = "\u2212"


def minus(text: str) -> str:
    """``text`` (a formatted number) with the hyphen of a negative number as the minus sign: ``-1.2`` → ``−1.2``."""
    return text.replace("-", MINUS)


def fmt(value: Any, spec: str = ",.1f", *, suffix: str = "", missing: str = "—", prefix: str = "") -> str:
    """Format a number (``None`` and NaN as ``missing``; a negative one with the minus sign "−"); anything else as
    ``str``. A figure that rounds to zero carries no minus (``-0.001`` → ``0.00``, ``+0.00`` with a ``+`` spec, as
    zero itself); ``prefix`` goes after the sign: ``fmt(-1.0, ",.0f", prefix="$")`` → ``−$1``."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return missing
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    text = f"{value:{spec}}"
    if "-" in text and not re.search(r"[1-9]", text):  # −0.001 at two decimals (or −0.0): zero, no sign
        text = f"{0.0:{spec}}"
    sign = text[0] if text[:1] in ("-", "+") else ""
    return (MINUS if sign == "-" else sign) + prefix + minus(text[len(sign):]) + suffix


def span(low: Any, high: Any, spec: str = ",.1f", *, unit: str = "", prefix: str = "") -> str:
    """A range of two numbers as the report prints it: ``1.5–18.9 bp``; ``−1.25 to 8.07 bp`` when an end is
    negative (a dash beside a minus sign misreads); the single value when both ends print the same (``$300bn``).
    ``prefix`` goes before each number, after its sign (``−$1 to $5bn``), ``unit`` after the range."""
    lo, hi = fmt(low, spec, prefix=prefix), fmt(high, spec, prefix=prefix)
    if lo == hi:
        return f"{lo}{unit}"
    if MINUS in lo + hi:
        return f"{lo} to {hi}{unit}"
    return f"{lo}–{hi.removeprefix(prefix)}{unit}"


def pct(value: float | None, digits: int = 1) -> str:
    """A ratio (0.25) as percent text (``25.0%``)."""
    return fmt(None if value is None else 100.0 * value, f",.{digits}f", suffix="%")


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], *, numeric: Sequence[bool] | None = None,
          caption: str | None = None, css: str = "", row_classes: Sequence[str] | None = None) -> str:  # fmt: skip
    """An HTML table; every header and cell is escaped.

    ``numeric`` right-aligns the flagged columns; ``row_classes`` gives each body row a CSS class.
    """
    flags = list(numeric) if numeric is not None else [False] * len(headers)

    def cls(i: int) -> str:
        return ' class="num"' if i < len(flags) and flags[i] else ""

    head = "".join(f"<th{cls(i)}>{esc(h)}</th>" for i, h in enumerate(headers))
    body = "".join(
        (f'<tr class="{esc(row_classes[n])}">' if row_classes else "<tr>")
        + "".join(f"<td{cls(i)}>{esc(c)}</td>" for i, c in enumerate(row)) + "</tr>"
        for n, row in enumerate(rows)
    )
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    extra = f" {esc(css)}" if css else ""
    return f'<div class="table-wrap"><table class="data{extra}">{cap}<thead><tr>{head}</tr></thead>' \
           f"<tbody>{body}</tbody></table></div>"


def stats(items: Iterable[tuple[str, str, str]]) -> str:
    """Key-figure tiles: (label, value, detail) each, all escaped."""
    tiles = "".join(f'<div class="stat"><div class="stat-label">{esc(label)}</div>'
                    f'<div class="stat-value">{esc(value)}</div><div class="stat-detail">{esc(detail)}</div></div>'
                    for label, value, detail in items)
    return f'<div class="stats">{tiles}</div>'


def heading(text: str, level: int = 3) -> str:
    """A sub-heading inside a section."""
    return f"<h{level}>{esc(text)}</h{level}>"
