"""Headline figures printed generically: one row per figure, whatever keys a result's summary carries.

A figure ``x`` with ``x_p05`` and ``x_p95`` beside it is one row (median and 5–95 % range); the unit comes from
the key's suffix (``_bp``, ``_bn``, ``_share``, ``_probability``, ``_pct``). New keys show up without a change here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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


def row_digits(unit: str, figures: list[Any]) -> int | None:
    """Decimals for every figure of a bp or USD bn row (its value and range), or None (:func:`format_value` each):
    one format for the row, from its largest figure — below 10, bp to two decimals and USD bn to one (the report's
    $4.5bn), else one and none (a small median beside a range past 1 bp read 0.0105 and −1.5 – 0.604)."""
    if unit not in ("bp", "USD bn") or not figures or not all(
            isinstance(x, float) and math.isfinite(x) for x in figures):
        return None
    small = max(abs(x) for x in figures) < 10
    return (2 if small else 1) if unit == "bp" else (1 if small else 0)


def headline_rows(head: Mapping[str, Any], skip: Iterable[str] = (), *, labels: Mapping[str, str] | None = None,
                  values: Mapping[str, str] | None = None) -> list[tuple[str, str, str, str]]:
    """``(figure, unit, median or value, 5–95 % range)`` rows of a headline dict, in its key order.

    ``labels`` names a key's row in words (else :func:`label_of`); ``values`` prints a key's value as given, with
    no unit (``"n/a (contagion off)"``).
    """
    skipped = set(skip)
    labels, values = labels or {}, values or {}
    rows = []
    for key, value in head.items():
        if key in skipped or key.endswith(_RANGE) or isinstance(value, Mapping) or _ALIASES.get(key) in head:
            continue
        name, unit = label_of(key)
        name = labels.get(key, name)
        if key in values:
            rows.append((name, "", values[key], ""))
            continue
        lo, hi = head.get(f"{key}_p05"), head.get(f"{key}_p95")
        digits = row_digits(unit, [x for x in (value, lo, hi) if x is not None])
        show = (lambda x: format_value(x, unit)) if digits is None else (lambda x: f"{x:,.{digits}f}")  # noqa: E731
        spread = "" if lo is None or hi is None or lo == hi else f"{show(lo)} – {show(hi)}"
        rows.append((name, "%" if unit == "pct" else unit, show(value), spread))
    return rows


def headline_table(head: Mapping[str, Any], title: str, skip: Iterable[str] = (), *,
                   labels: Mapping[str, str] | None = None, values: Mapping[str, str] | None = None,
                   ranges: bool = True) -> Table:  # fmt: skip
    """A 4-column table (figure, unit, value, 5–95 %) that fits 80 columns: figure names wrap, numbers do not.

    The value is the median over paths where the figure has a 5–95 % range; ``ranges=False`` leaves the range
    column out (a run of one path has none).
    """
    table = plain_table(title)
    table.add_column("figure", overflow="fold", ratio=1, min_width=16)
    table.add_column("unit", no_wrap=True)
    table.add_column("value", justify="right", no_wrap=True)
    if ranges:
        table.add_column("5–95%", justify="right", no_wrap=True)
    for name, unit, value, spread in headline_rows(head, skip, labels=labels, values=values):
        table.add_row(Text(name), unit, value, *((spread,) if ranges else ()))
    return table


# -- the coupled run of ``geostress run`` ------------------------------------------------------------------------
#: Keys ``geostress run`` never prints as rows (the run's settings; ``persistent_month`` goes into a label).
RUN_SKIP = ("paths", "seed", "horizon_years", "persistent_month", "outside_evidence", "persistent_note",
            "interest_window_note", "offset_note", "backstop_note")
#: The summary's notes ``geostress run`` prints under its table (:func:`run_note_lines`), and how each line opens.
RUN_NOTES = {"outside_evidence": "warning: outside the evidence: ", "persistent_note": "note: ",
             "interest_window_note": "note: ", "offset_note": "note: ", "backstop_note": "note: "}


def run_note_lines(head: Mapping[str, Any]) -> list[str]:
    """The lines ``geostress run`` prints under a coupled run's table for the summary's notes (the warning as
    ``geostress market impact`` prints its ``outside_evidence``); none for a note that is None or absent."""
    return [f"{opening}{head[key]}." for key, opening in RUN_NOTES.items() if head.get(key)]
_THREAT_WINDOWS = {"foreign_sold_bn_6m": ("foreign selling, 6 months", "from threat"),
                   "official_sold_bn_36m": ("official selling, 36 months", "from threat")}
#: Under the table of a run of several paths: what the ranges are over.
RANGES_NOTE = "5–95%: over the paths' parameter draws; the added interest's also over the macro shocks."
#: Under every coupled run's table: what its bp figures measure (they are the keys' ``10y_change``: the market
#: block's 10-year term premium, not the fiscal engine's yield, which adds its policy rule and credit premium).
MEASURE_NOTE = "bp: the change in the 10-year term premium from the market block (the yield adds the policy rule)."


@dataclass(frozen=True)
class CoupledHeadline:
    """What ``geostress run`` prints for a coupled run: the title, the rows' names and overridden values, the keys
    it leaves out, and whether there is a range column (and its note)."""

    title: str
    labels: dict[str, str]
    values: dict[str, str]
    skip: tuple[str, ...]
    ranges: bool

    def rows(self, head: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
        return headline_rows(head, self.skip, labels=self.labels, values=self.values)

    def table(self, head: Mapping[str, Any]) -> Table:
        table = headline_table(head, self.title, self.skip, labels=self.labels, values=self.values,
                               ranges=self.ranges)
        table.caption = Text(f"{MEASURE_NOTE} {RANGES_NOTE}" if self.ranges else MEASURE_NOTE)
        return table


def coupled_headline(head: Mapping[str, Any], *, contagion: bool, fiscal_years: int) -> CoupledHeadline:
    """The title and row names that say what each figure of a coupled run's headline is.

    With several paths the figures are medians over the paths unless the row says otherwise (90th percentile,
    mean, share of paths); the peak 10-year change is the median of each path's peak, the peak term premium the
    peak of the month-by-month median path; the ranges are over the paths' parameter draws (the added interest's
    over the macro shocks too: :data:`RANGES_NOTE`). A run of one path (``paths`` 0: the deterministic path at the
    prior medians; 1: one parameter draw) has no medians or ranges: the rows give the value, and the duplicates
    (90th percentile, median beside mean, the median path's peak) are left out. With contagion off the cascade is
    ``n/a``. Added interest is summed over ten fiscal years, or over the horizon's ``fiscal_years`` when fewer.
    The keys and values of the JSON are not touched.
    """
    paths = int(head.get("paths") or 0)
    one = paths <= 1
    y10, y30 = (list(head.get("horizon_years") or [None, None]) + [None, None])[:2]
    month = head.get("persistent_month", 24)
    years = min(10, int(fiscal_years))
    peaks = "" if one else " (median of path peaks)"
    summed = "10 years" if years >= 10 else f"the horizon's {years} year{'s' if years > 1 else ''}"
    labels = {
        "debt_gdp_10y_p50": f"debt/GDP FY{y10}",
        "debt_gdp_10y_p90": f"debt/GDP FY{y10}, 90th percentile",
        "debt_gdp_30y_p50": f"debt/GDP FY{y30}",
        "peak_10y_change_bp": f"peak 10y change{peaks}",
        "peak_term_premium_bp": "peak of the monthly median 10y term-premium path",
        "added_net_interest_10y_bn": f"added net interest, {summed}",
        "twin_net_interest_10y_bn": "  net interest without the events",  # (the same years as the row above)
        "added_net_interest_10y_share": "  added, share of that",
        "sold_bn_median": "sold (gross)",
        "persistent_10y_change_bp": f"persistent 10y change (month {month})",
        "stock_effect_10y_bp": f"  stock effect alone (month {month})",
        "cascade_probability": "cascade" if one or not contagion else "P(cascade), share of paths",
        "backstop_bn_median": "backstop purchases",
        "fima_bn_median": "financed at the FIMA repo (not sold)",
        "peak_10y_change_bp_backstop_off": f"peak 10y change, backstop off{peaks}",
        "persistent_10y_change_bp_backstop_off": f"persistent 10y change (month {month}), backstop off",
        "stock_effect_10y_bp_backstop_off": f"  stock effect alone (month {month}), backstop off",
    }  # fmt: skip
    skip = list(RUN_SKIP)
    if y10 == y30:  # a horizon of ten years or less: the two years are the same one
        skip.append("debt_gdp_30y_p50")
    for key, (words, when) in _THREAT_WINDOWS.items():
        for stat in ("mean", "median"):
            shown = "" if one else f", {stat}"
            labels[f"{key}_{stat}"] = f"{words} {when}{shown}"
            labels[f"{key}_{stat}_no_threat"] = f"{words}, no threat{shown}"
        if one:  # one path: the mean is the median
            skip += [f"{key}_median", f"{key}_median_no_threat"]
    values: dict[str, str] = {}
    share = head.get("added_net_interest_10y_share")
    if isinstance(share, float) and math.isfinite(share):  # a share under 1%: two decimals (0.32%), as the report
        values["added_net_interest_10y_share"] = f"{100 * share:.2f}%"
    if not contagion:
        values["cascade_probability"] = "n/a (contagion off)"
    elif one:
        values["cascade_probability"] = "yes" if float(head.get("cascade_probability", 0.0)) >= 0.5 else "no"
    if one:
        skip += ["debt_gdp_10y_p90", "peak_term_premium_bp"]  # the same path: the value above
        title = ("Market and contagion (coupled run): one path, the deterministic path at the prior medians (no "
                 "ranges)" if paths == 0 else
                 "Market and contagion (coupled run): one path, one parameter draw (no ranges)")
    else:
        title = f"Market and contagion (coupled run), {paths:,} paths: medians unless the row says otherwise"
    return CoupledHeadline(title, labels, values, tuple(skip), ranges=not one)
