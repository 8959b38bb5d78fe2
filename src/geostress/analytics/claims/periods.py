"""Base periods and growth spans: where a stated change or growth rate starts and ends.

:func:`growth_span` reads the start of a growth rate of net interest from its sentence (a stated base year, two
fiscal years, a span of years, a one-year comparison) before falling back on earlier years; the small date-mention
helpers (``months_before``, ``is_later``, ``as_mention``) step periods back and compare them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from geostress.analytics.claims.context import Context
from geostress.analytics.claims.dates import DateMention
from geostress.analytics.claims.numbers import EN_WORDS, NumberError
from geostress.analytics.claims.patterns import ANNUAL, cn_int
from geostress.analytics.claims.regexes import guarded_re


#: A growth rate over one year: the claim's own sentence compares with the year before ("from the previous fiscal
#: year", "year over year", "in fiscal 2025 alone", 較上一財年, 同比, "仅2025财年一年").
ONE_YEAR_GROWTH = guarded_re(rf"(?:{ANNUAL.pattern})|(?:from|over|than|compared (?:to|with)|versus|vs\.?)\s+"
                             r"(?:the\s+|a\s+)?(?:previous|prior|preceding|last|year-earlier|year-ago)\s+"
                             r"(?:fiscal\s+)?year|"
                             r"\balone\b|\bsingle\s+year|(?:較|较|比)\s*上一?(?:個|个)?(?:財年|财年|財政年度|财政年度|"
                             r"會計年度|会计年度|年度|年)|上一(?:個|个)?(?:財年|财年|財政年度|财政年度|年度)|"
                             r"(?<![\d一二三四五六七八九十兩两幾几多每])一年(?!多|半)", re.I)
#: A growth rate over N years stated as a span ("over the past three years", "in the last five years", 三年來, 過去5年).
_EN_NUMBER_WORDS = "|".join(sorted(EN_WORDS, key=len, reverse=True))
SPAN_YEARS = guarded_re(rf"\b(?:over|in|during|across|within)\s+(?:the\s+)?(?:past|last|previous|prior)\s*"
                        rf"(?P<n>\d{{1,2}}|{_EN_NUMBER_WORDS})\s+(?:fiscal\s+)?years\b|"
                        r"(?:過去|过去|最近|近)\s*(?P<n2>\d{1,2}|[兩两二三四五六七八九十]{1,2})\s*年|"
                        r"(?<![\d一二三四五六七八九十])(?P<n3>\d{1,2}|[兩两二三四五六七八九十]{1,2})\s*年(?:來|来|以來|以来|間|间)",
                        re.I)
#: "since then", 此後: a change from the date named before to now.
_SINCE_THEN = guarded_re(r"\bsince then\b|\bsince that (?:year|time)\b|自那(?:以後|以后|時|时)|此後|此后|從那時起|从那时起", re.I)
#: Words that make a year the end of a span, not the year of a one-year change ("By FY 2025 … a rise of 153%").
_SPAN_END_BEFORE = guarded_re(r"(?:\b(?:by|through|thru|to|until|till|up to)\s+(?:(?:the\s+)?end\s+of\s+)?"
                              r"(?:(?:the|fiscal|FY)\s+)*|(?:到|至|截至|截止)\s*)$", re.I)


@dataclass(frozen=True)
class GrowthSpan:
    """The years a growth rate runs over: ``start`` (``FY2022``) or ``years`` back from the end; ``end`` when the
    sentence names a later year than the one the period was read from; ``note`` says how it was read."""

    start: str | None = None
    years: int | None = None
    end: DateMention | None = None
    note: str | None = None
    latest: bool = False  # the end is the latest actual at the article's date ("since then")


def _span_number(m: re.Match[str]) -> int | None:
    raw = m.group("n") or m.group("n2") or m.group("n3")
    if raw is None:
        return None
    try:
        return EN_WORDS[raw.lower()] if raw.lower() in EN_WORDS else cn_int(raw)
    except (ValueError, NumberError, ArithmeticError):
        return None


def growth_span(f: str, dates: list[DateMention], measure: str, period: DateMention | None,
                 period_from: DateMention | None, ctx: Context, is_base: Any) -> GrowthSpan:
    """Where a growth rate of net interest starts, read from its own sentence first.

    In order: a base year the sentence states ("from fiscal 2022", "since 2019", 較2022財年); two fiscal years it
    names ("between FY2022 and FY2025"); a span ("over the past three years", 三年來); a one-year comparison
    ("from the previous fiscal year", "year over year", "alone", 較上一財年, 同比, 一年) or a growth rate "in
    fiscal 2025" — the growth within that year, from the year before. Only a sentence that states none of these
    (and no year, or its year as the end of a span: "By FY 2025 … a rise of 153%") takes its start from the
    earliest fiscal year named before it. ``is_base(d)``: whether date ``d`` is written as a comparison's base.
    """
    years = [d for d in dates if d.kind in ("fiscal", "year") and d.year is not None]
    if not years and ctx.fiscal and _SINCE_THEN.search(f):
        start = ctx.fiscal[-1].iso  # "Since then it has risen 104%": from the year named last, to the latest
        return GrowthSpan(start=start, latest=True, note=f"growth since {start} (named before): to the latest actual")
    bases = [d for d in years if is_base(d)]
    end_year = period.year if period is not None and period.kind == "fiscal" else None
    if bases:
        start = min(d.year for d in bases if d.year is not None)
        if end_year is None or start < end_year:
            return GrowthSpan(start=f"FY{start}", note=f"growth from FY{start}, the base the sentence states")
    fiscal = [d for d in years if d.kind == "fiscal" and d not in bases]
    if len({d.year for d in fiscal}) >= 2:
        first, last = min(fiscal, key=lambda d: d.year or 0), max(fiscal, key=lambda d: d.year or 0)
        return GrowthSpan(start=first.iso, end=last, note=f"growth from {first.iso} to {last.iso}, the years the "
                                                            "sentence names")
    span = SPAN_YEARS.search(f)
    n = _span_number(span) if span else None
    if n:
        return GrowthSpan(years=n, note=f"growth over {n} years, as the sentence states")
    if measure == "net_interest_growth_pct":
        if ONE_YEAR_GROWTH.search(f):
            return GrowthSpan(years=1, note="growth over one year: from the fiscal year before")
        if period_from is not None and period_from.kind in ("fiscal", "year") and not _SPAN_END_BEFORE.search(
                f[max(0, period_from.start - 30):period_from.start]):
            return GrowthSpan(years=1, note=f"growth in {period_from.text.strip()}: from the fiscal year before")
    if ctx.fiscal:
        first = min(ctx.fiscal + fiscal, key=lambda d: d.year or 0)
        if end_year is None or (first.year or 0) < end_year:
            return GrowthSpan(start=first.iso, note=f"starting year {first.iso} carried from an earlier sentence "
                                                     "(the sentence states no comparison)")
    return GrowthSpan()


def months_before(d: DateMention, months: int) -> DateMention | None:
    """Month ``d`` moved ``months`` back (None when ``d`` has no month)."""
    if d.year is None or d.month is None:
        return None
    index = d.year * 12 + d.month - 1 - months
    return replace(d, year=index // 12, month=index % 12 + 1, kind="month", day=None)


def is_later(a: DateMention, b: DateMention | None) -> bool:
    """Whether month ``a`` is at or after ``b`` (None, or a month without a year: always)."""
    return b is None or b.year is None or (a.year or 0, a.month or 0) >= (b.year, b.month or 0)


def as_mention(period: str | None) -> DateMention | None:
    """A claim's ``YYYY-MM`` period as a date mention (None for anything else)."""
    if period is None or len(period) != 7 or period[4] != "-":
        return None
    return DateMention(0, 0, period, int(period[:4]), int(period[5:]))
