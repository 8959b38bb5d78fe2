"""Headline figures printed generically: one row per figure, whatever keys a result's summary carries.

A figure ``x`` with ``x_p05`` and ``x_p95`` beside it is one row (median and 5–95 % range); the unit comes from
the key's suffix (``_bp``, ``_bn``, ``_share``, ``_probability``, ``_pct``). New keys show up without a change here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich.table import Table
from rich.text import Text

from geostress.cli.common import plain_table

_RANGE = ("_p05", "_p95")
_UNITS = (("_bp", "bp"), ("_bn", "USD bn"), ("_share", "%"), ("_probability", "%"), ("_pct", "pct"))
_ABBREVIATIONS = {"10y": "10y", "30y": "30y", "gdp": "GDP", "p50": "median", "p90": "90th pct."}
#: Keys kept in summaries for old readers under a new name: printed once, under the new one.
_ALIASES = {"cascade_share": "cascade_probability"}


def label_of(key: str) -> tuple[str, str]:
    """``("peak 10y change", "bp")`` for ``"peak_10y_change_bp"``: words and unit from a summary key.

    Units: ``bp``, ``USD bn``, ``%`` (a fraction, printed times 100) or ``pct`` (already in percent).
    """
    stem, unit = key, ""
    for suffix, name in _UNITS:
        if stem.endswith(suffix) or f"{suffix}_" in stem:
            unit = name
            if suffix not in ("_share", "_probability"):  # the word says what the figure is: keep it
                stem = stem.replace(suffix, "", 1)
            break
    if not unit and stem.startswith("debt_gdp"):  # a ratio to GDP, printed as a percentage
        stem, unit = stem.replace("debt_gdp", "debt/GDP", 1), "%"
    words = [_ABBREVIATIONS.get(w, w) for w in stem.split("_") if w]
    return " ".join(words), unit


def format_value(value: Any, unit: str) -> str:
    """A number as the unit wants it (percent for shares, thousands separators for USD bn)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        if unit == "%":  # a fraction
            return f"{100 * value:.1f}%"
        if unit == "pct":  # already in percent
            return f"{value:.1f}%"
        if unit == "USD bn":
            return f"{value:,.0f}"
        if isinstance(value, int):
            return f"{value:,}"
        return f"{value:,.1f}" if abs(value) >= 1 or value == 0 else f"{value:.3g}"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def headline_rows(head: Mapping[str, Any], skip: Iterable[str] = ()) -> list[tuple[str, str, str, str]]:
    """``(figure, unit, median or value, 5–95 % range)`` rows of a headline dict, in its key order."""
    skipped = set(skip)
    rows = []
    for key, value in head.items():
        if key in skipped or key.endswith(_RANGE) or isinstance(value, Mapping) or _ALIASES.get(key) in head:
            continue
        name, unit = label_of(key)
        lo, hi = head.get(f"{key}_p05"), head.get(f"{key}_p95")
        spread = "" if lo is None or hi is None or lo == hi else f"{format_value(lo, unit)} – {format_value(hi, unit)}"
        rows.append((name, "%" if unit == "pct" else unit, format_value(value, unit), spread))
    return rows


def headline_table(head: Mapping[str, Any], title: str, skip: Iterable[str] = ()) -> Table:
    """A 4-column table (figure, unit, value, 5–95 %) that fits 80 columns: figure names wrap, numbers do not.

    The value is the median over paths where the figure has a 5–95 % range.
    """
    table = plain_table(title)
    table.add_column("figure", overflow="fold", ratio=1, min_width=16)
    table.add_column("unit", no_wrap=True)
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("5–95%", justify="right", no_wrap=True)
    for name, unit, value, spread in headline_rows(head, skip):
        table.add_row(Text(name), unit, value, spread)
    return table
