"""Base periods and growth spans: where a stated change or growth rate starts and ends.

:func:`growth_span` reads the start of a growth rate of net interest from its sentence (a stated base year, two
fiscal years, a span of years, a one-year comparison) before falling back on earlier years; the small date-mention
helpers (``months_before``, ``is_later``, ``as_mention``) step periods back and compare them.
:func:`change_span` reads the span a change of holdings is stated over ("over the past five years", 較5年前, 近十年):
the change is then checked from the month that many years (or months) before the claim's month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from geostress.analytics.claims.context import Context
from geostress.analytics.claims.dates import DateMention
from geostress.analytics.claims.numbers import EN_WORDS, NumberError
from geostress.analytics.claims.clauses import CLAUSE_END
from geostress.analytics.claims.patterns import ANNUAL, CHANGE_RE, cn_int
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
_ZH_NUM = r"\d{1,2}|[兩两二三四五六七八九十]{1,3}"
_EN_NUM = rf"\d{{1,2}}|{_EN_NUMBER_WORDS}"
#: A change stated over a span of years or months, with the number in the named group ``n`` (years) or ``m``
#: (months), or a decade (``dec``): "over the past five years", "in the last 18 months", "from five years earlier",
#: "five years ago", "over a decade", 過去5年間, 较5年前, 十年來, 近5年, 与5年前相比, 過去6個月. The number is at least
#: two years (one year is :data:`~geostress.analytics.claims.patterns.ANNUAL`'s) or any number of months. Not a
#: length that is no span of a change: "a five-year note", 5年期, "in five years" (the future).
CHANGE_SPAN = guarded_re(
    rf"\b(?:over|in|during|across|within|for)\s+(?:the\s+)?(?:past|last|previous|prior|preceding)\s+"
    rf"(?:(?P<n>{_EN_NUM})\s+(?:fiscal\s+|calendar\s+)?years|(?P<m>{_EN_NUM})\s+months|(?P<dec>decade))\b|"
    rf"\b(?:over|across|within)\s+(?:(?P<n2>{_EN_NUM})\s+years|(?P<m2>{_EN_NUM})\s+months|(?P<dec2>a\s+decade))\b"
    r"(?!\s*(?:old|of\s+age|to\s+matur|maturit|and\s+(?:a|an|one)\b))|"
    rf"\b(?:(?P<n3>{_EN_NUM})\s+years|(?P<m3>{_EN_NUM})\s+months|(?P<dec3>a\s+decade))\s+"
    r"(?:earlier|ago|before|previously)\b|"
    rf"(?:過去|过去|最近|近)\s*(?:的)?\s*(?:(?P<n4>{_ZH_NUM})\s*年(?!期(?!間|间)|度|底|末|初|內|内|後|后|前)|"
    rf"(?P<m4>{_ZH_NUM})\s*(?:個|个)\s*月)|"
    rf"(?:較|较|比|與|与|和|同|相比|相較於|相较于|對比|对比)\s*(?:(?P<n5>{_ZH_NUM})\s*年|(?P<m5>{_ZH_NUM})\s*(?:個|个)\s*月)"
    r"\s*(?:前|以前|之前)|"
    rf"(?<![\d一二三四五六七八九十兩两幾几多第])(?:(?P<n6>{_ZH_NUM})\s*年|(?P<m6>{_ZH_NUM})\s*(?:個|个)\s*月)\s*"
    r"(?:來|来|以來|以来|間|间|期間|期间|之間|之间|裡|里|中)(?!\s*(?:首次|首度|第一次|最低|最高|新低|新高))",
    re.I)
#: The base of a comparison dated a span back, right after its figure ("down from $1,072.3 billion five years
#: earlier", "from 1.4% five years ago") or right before it (低於5年前的10723億美元, 較10年前的): the level that many
#: years (months) before the sentence's month.
SPAN_AGO_AFTER = guarded_re(rf"^\s*(?:(?P<n3>{_EN_NUM})\s+years|(?P<m3>{_EN_NUM})\s+months|(?P<dec3>a\s+decade))\s+"
                            r"(?:earlier|ago|before|previously)\b", re.I)
SPAN_AGO_BEFORE = guarded_re(rf"(?:(?P<n5>{_ZH_NUM})\s*年|(?P<m5>{_ZH_NUM})\s*(?:個|个)\s*月)\s*(?:前|以前|之前)\s*"
                             r"(?:的)?\s*(?:約|约|逾|近|超過|超过)?\s*$")
#: A change over a span the text does not count ("over the past few years", "in recent years", 近年來, 過去幾年,
#: 多年來): its base month is not known.
VAGUE_SPAN = guarded_re(
    r"\b(?:over|in|during|across|within|for)\s+(?:the\s+)?(?:past|last|previous|recent)\s+(?:few|several|many|"
    r"couple\s+(?:of\s+)?)\s*(?:years|months|decades)\b|\bin\s+recent\s+(?:years|months|decades)\b|"
    r"\bover\s+the\s+(?:years|decades|past\s+decades)\b|\b(?:several|a\s+few|many)\s+years\s+(?:earlier|ago|before)\b|"
    r"(?<!接)(?<!將)(?<!将)近年(?!底|末|初|終|终|度)(?:來|来|以來|以来)?|近(?:幾|几|數|数)(?:年|個月|个月)|"
    r"(?:過去|过去|最近)\s*(?:幾|几|數|数|多)\s*(?:年|個月|个月)|多年(?:來|来|以來|以来)|這些年|这些年|"
    r"(?:較|较|比)\s*(?:幾|几|數|数|多)\s*年\s*前", re.I)
#: A yearly rate over a span ("fell 8.5% a year on average", "an average of 8.5% a year", "annualised", 年均減少,
#: 平均每年, 年化): not the total change over the span; the checker has no rule for holdings' average rates.
AVERAGE_BEFORE = guarded_re(r"(?:\b(?:an?\s+)?(?:average|averaged|averaging|compound(?:ed)?|annuali[sz]ed)\s+"
                            r"(?:annual\s+|yearly\s+)?(?:(?:growth\s+)?rate|pace|average|decline|fall|drop|increase|"
                            r"rise|growth|reduction|of)?\s*(?:of\s+)?(?:about\s+|around\s+|roughly\s+|some\s+|"
                            r"nearly\s+|almost\s+)?|"
                            r"(?:年均|平均每年|每年平均|平均年|年化|年複合|年复合)[^，,。；;\d]{0,8})$", re.I)
AVERAGE_AFTER = guarded_re(r"^\s*(?:(?:a|per|each)\s+year\b(?!\s*(?:earlier|ago|before|-on|on\s+year|over\s+year))|"
                           r"(?:per\s+annum|annually|annuali[sz]ed|yearly)\b|(?:on\s+average|on\s+an\s+annual\s+"
                           r"basis)\b|(?:a|per)\s+(?:year|annum)\s+on\s+average\b)", re.I)
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


@dataclass(frozen=True)
class ChangeSpan:
    """The span a change is stated over: ``months`` (None when the text does not count it: "over the past few
    years"), ``text`` (the words stating it); ``average``: a yearly rate over the span, not the total change."""

    months: int | None
    text: str
    average: bool = False


def span_months(m: re.Match[str]) -> int | None:
    """The months a :data:`CHANGE_SPAN` (or :data:`SPAN_AGO_AFTER`, :data:`SPAN_AGO_BEFORE`) match states.

    Parameters
    ----------
    m : re.Match
        The match, its number in a group ``n…`` (years) or ``m…`` (months), or a decade (``dec…``).

    Returns
    -------
    int or None
        The span in months; None when its number cannot be read (or is zero).
    """
    groups = m.groupdict()
    if any(groups.get(k) for k in ("dec", "dec2", "dec3")):
        return 120
    for key, factor in (("n", 12), ("n2", 12), ("n3", 12), ("n4", 12), ("n5", 12), ("n6", 12), ("m", 1), ("m2", 1),
                        ("m3", 1), ("m4", 1), ("m5", 1), ("m6", 1)):
        raw = groups.get(key)
        if raw:
            try:
                n = EN_WORDS[raw.lower()] if raw.lower() in EN_WORDS else cn_int(raw)
            except (ValueError, NumberError, ArithmeticError):
                return None
            return n * factor if n > 0 else None
    return None


def span_ahead(pattern: re.Pattern[str], ahead: str) -> re.Match[str] | None:
    """A span (``pattern``) stated after a figure that belongs to it: no change word stands between them ("fell 36%
    over the past five years", "fell $389 billion, or 36%, over the past five years"); not "fell 0.1% in December,
    the fifth fall in the past six months" or "fell 0.4% in December after rising in the last two months" (another
    change's span).

    Parameters
    ----------
    pattern : re.Pattern
        :data:`CHANGE_SPAN` or :data:`VAGUE_SPAN`.
    ahead : str
        The text after the figure up to the next figure of its unit (looked at within 80 characters).

    Returns
    -------
    re.Match or None
        The span's match, or None.
    """
    ahead = ahead[:80]
    m = pattern.search(ahead)
    if m is None:
        return None
    return None if CHANGE_RE.search(ahead, 0, m.start()) else m


def _span_leads(lead: str, m: re.Match[str], dated: list[int]) -> bool:
    """Whether a span found before a figure (``m`` in ``lead``) leads to it: no month is dated between them ("Over
    the past five years Beijing diversified, and in December its holdings fell 0.06%": December's change) and no
    clause between them states a change of its own ("Over the past five years, yields rose, and …")."""
    if any(pos >= m.end() for pos in dated):
        return False
    between = lead[m.end():]
    breaks = list(CLAUSE_END.finditer(between))
    return not (breaks and CHANGE_RE.search(between, 0, breaks[-1].start()))


def change_span(lead: str, ahead: str, before: str, after: str, *, own_lead: bool,
                dated: list[int] | None = None) -> ChangeSpan | None:
    """The span a change of holdings is stated over, or None when it states none.

    Parameters
    ----------
    lead : str
        The sentence from the previous figure on, up to this one ("Over the past five years, China's holdings fell").
    ahead : str
        The text after the figure up to the next figure of its unit (" over the past five years.").
    before, after : str
        The figure's own stretch of its clause before and after it (an average's cue sits there: "fell 8.5% a year").
    own_lead : bool
        Whether a span at the very start of ``lead`` belongs to this figure (False in English after another figure:
        "fell $389 billion over the past five years, and 0.1% in December" — the span is the figure before's).
    dated : list of int, optional
        Where months (or days) are named in ``lead``: a span before such a date is not this figure's (see
        :func:`_span_leads`).

    Returns
    -------
    ChangeSpan or None
        ``average`` for a yearly rate over a span ("8.5% a year on average", 年均減少8.5%); ``months`` None for a
        span the text does not count ("over the past few years", 近年來); else the span in months.
    """
    avg = AVERAGE_BEFORE.search(before[-60:]) or AVERAGE_AFTER.search(after[:60])
    if avg is not None:
        return ChangeSpan(None, avg.group().strip(), average=True)
    for pattern in (CHANGE_SPAN, VAGUE_SPAN):
        hits = [m for m in pattern.finditer(lead) if (own_lead or lead[:m.start()].strip(" ,，")) and
                _span_leads(lead, m, dated or [])]
        hit = hits[-1] if hits else None
        if hit is None:
            hit = span_ahead(pattern, ahead)
        if hit is not None:
            return ChangeSpan(span_months(hit) if pattern is CHANGE_SPAN else None, hit.group().strip())
    return None
