"""Moves of a Treasury yield stated in basis points ("rose 47bp over the year", 上升8个基点): extraction.

A move is checked only when its yield and both its ends can be pinned down (see :func:`yield_move_claims`): the two
quotes of the same tenor the sentence states ("closed at 4.48% on Friday, up from 4.01% a week earlier, a 47bp
rise"), one quote and a span word ("收于4.55%，较前一交易日上升8个基点": the session before), or a span alone ("fell
12 bps on the week", "rose 47bp in 2025", "on Friday", "since Feb. 2"). A move of something else (the Fed's policy
rate, a spread between tenors, what futures price), one that is hypothetical or forecast ("would rise 50bp", "each
$100 billion adds 5 to 10 basis points") or intraday is not checkable; a figure in basis points with no yield named in
its sentence is not extracted, unless a pronoun stands for the one tenor the sentence before (same paragraph) names.
A yield of another bond or a rate of something else (a Bund, 台灣公債, a mortgage rate) is not a Treasury's, whatever
its tenor. The checker compares the move with the store's closes (or monthly averages) at the
two ends: :meth:`geostress.analytics.claims.check.Checker._yield_move`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from geostress.analytics.claims.dates import DateMention, month_end, week_span
from geostress.analytics.claims.patterns import (DAY_BEFORE, DOWN, OTHER_RATE_REASON, UP, YEAR_TO_DATE,
                                                 other_rate_named)
from geostress.analytics.claims.quantities import Quantity
from geostress.analytics.claims.regexes import guarded_re

#: A yield (or a tenor of one) named in the sentence: only then is a figure in basis points read at all.
#: A thread's shorthand for a tenor ("10Y", "2yr", "UST 10s"; not the "2s10s" spread).
_SHORTHAND_TENOR = (r"(?<![A-Za-z0-9_.$])(?:[1-9]|[12]0|30)(?:Y|yr)(?![A-Za-z0-9_.%-])|"
                    r"(?<![A-Za-z0-9_.$])(?:2|3|5|7|10|20|30)s(?![A-Za-z0-9_.%-])")
YIELD_NAMED = guarded_re(r"收益率|殖利率|孳息|債息|债息|\byields?\b|" + _SHORTHAND_TENOR + "|"
                         r"\d+\s*年期|[二两兩三五十]+年期|\b(?:2|3|5|7|10|20|30)-year\b|"
                         r"\b(?:two|three|five|seven|ten|twenty|thirty)-year\b", re.I)
#: A tenor named between a quote and the move: the quote is of another tenor ("…, while the two-year stood at").
TENOR_WORD = guarded_re(r"\d+\s*年期|[二两兩三五十]+年期|\b(?:2|3|5|7|10|20|30)-year\b|"
                        r"\b(?:two|three|five|seven|ten|twenty|thirty)-year\b|\b(?:2|5|10|30)s\b|" + _SHORTHAND_TENOR,
                        re.I)
#: What makes a move in basis points not a Treasury yield's observed move, with the reason given.
NOT_A_YIELD_MOVE: list[tuple[re.Pattern[str], str]] = [
    (guarded_re(r"(?<![\w.])\d{1,2}s\s*/?\s*\d{1,2}s\b|\bspreads?\b|\bcurve\b|\bgap\b|\bdifference\b|steepen\w*|"
                r"flatten\w*|invert\w*|利差|息差|曲線|曲线|倒掛|倒挂", re.I),
     "a spread between two yields or tenors, not a yield the store holds"),
    (guarded_re(r"\bFed\b|Federal Reserve|\bfed\s+funds\b|federal\s+funds|policy\s+rate|\brate\s+(?:cut|hike)s?\b|"
                r"\bcuts?\b|\bhikes?\b|\beasing\b|\btightening\b|\bFOMC\b|聯儲|联储|降息|加息|政策利率|基準利率|基准利率|"
                r"聯邦基金|联邦基金|議息|议息", re.I),
     "a move of the Fed's policy rate (or of rate cuts priced), not of a Treasury yield"),
    (guarded_re(r"\bfutures\b|\bpric(?:e|es|ed|ing)\s+(?:in\s+)?(?:about\s+|around\s+|roughly\s+|only\s+)?$|"
                r"\bwould\b|\bcould\b|\bmight\b|\bmay\b|\bwill\b|\bexpect\w*|\bforecast\w*|\bproject\w*|"
                r"\bestimat\w*|\bmodel\w*|\blikely\b|\bif\b|\beach\b|\bevery\b|\bper\b|\bsensitiv\w*|"
                r"預計|预计|預期|预期|預測|预测|估計|估计|模型|將|将|可能|如果|若|每", re.I),
     "a hypothetical, forecast or estimated move, not an observed one"),
    (guarded_re(r"\bintraday\b|\bminutes?\b|\bhours?\b|\bat\s+one\s+point\b|\bbriefly\b|"
                r"盤中|盘中|早盤|早盘|日內|日内", re.I),
     "an intraday move: the store holds daily closes only"),
]
#: A noun after the figure that gives the move's direction ("a 47bp rise", "a drop of", 的升幅).
_UP_AFTER = guarded_re(r"^\s*(?:-?\s*(?:point\s+)?)?(?:rise|increase|climb|jump|gain|surge|advance|spike|"
                       r"rally\s+in\s+yields|higher\b)", re.I)
_DOWN_AFTER = guarded_re(r"^\s*(?:-?\s*(?:point\s+)?)?(?:drop|fall|decline|decrease|slide|plunge|lower\b|retreat|"
                         r"dip\b|slump|tumble)", re.I)
#: A yield's direction in market Chinese beyond the change words of holdings: 上行 / 走高 (up), 下行 / 走低 (down).
#: (and the market's words for a yield's move: "eased", "retreated", "softened", "tumbled", 下挫 / 回調 down;
#: "advanced", "firmed", "spiked", 上揚 / 反彈 up)
_MOVE_UP_RE = guarded_re(UP + r"|上行|走高|高出|走升|上揚|上扬|反彈|反弹|抬升|\badvanc(?:ed|es|ing)\b|\bsoar\w*|"
                         r"\bspik(?:ed|es|ing)\b|\bfirm(?:ed|s)\b", re.I)
_MOVE_DOWN_RE = guarded_re(DOWN + r"|下行|走低|低出|下挫|回調|回调|走軟|走软|\beas(?:ed|es)\b|\bretreat(?:ed|s|ing)?\b|"
                           r"\bsoften(?:ed|s|ing)?\b|\bsank\b|\bsinks?\b|\btumbl(?:ed|es|ing)\b|\bplung(?:ed|es|ing)\b|"
                           r"\bslump(?:ed|s|ing)?\b", re.I)
#: A span of one session ("on the day", 日內 is intraday), of one week, or of a year so far.
_ON_THE_DAY = guarded_re(r"\bon\s+the\s+(?:day|session)\b|\bday[- ]on[- ]day\b|\bin\s+(?:a|one)\s+(?:single\s+)?"
                         r"(?:day|session)\b|單日|单日|當日|当日", re.I)
_ON_THE_WEEK = guarded_re(r"\b(?:on|over|for|during)\s+the\s+week\b|\bweek[- ]on[- ]week\b|\bw/w\b|\bthis\s+week\b|"
                          r"按周|按週|本周|本週|這周|这周|一周|一週|周內|周内|週內", re.I)
_LAST_WEEK = guarded_re(r"\blast\s+week\b|\bthe\s+previous\s+week\b|上周|上週|上星期", re.I)
_OVER_THE_YEAR = guarded_re(r"\b(?:over|during|across|for|throughout)\s+the\s+(?:whole\s+|full\s+)?year\b|"
                            r"全年|年內|年内", re.I)
#: A month so far: 本月以來, 月初至今, "month to date", "so far this month", "since the start of the month".
_MONTH_TO_DATE = guarded_re(r"(?:本月|這個月|这个月|當月|当月|月初)\s*(?:以來|以来|至今|迄今)|"
                            r"\bmonth[- ]to[- ]date\b|\bMTD\b|"
                            r"\bso\s+far\s+this\s+month\b|\bthis\s+month\s+so\s+far\b|"
                            r"\bsince\s+the\s+(?:start|beginning)\s+of\s+(?:the|this)\s+month\b", re.I)
_SINCE_BEFORE = guarded_re(r"\bsince\s+(?:the\s+close\s+(?:of|on)\s+)?$|自\s*$", re.I)
_SINCE_AFTER = re.compile(r"\s*(?:以來|以来|至今)")
#: A pronoun standing for a yield named in the sentence before ("it is up", "its rise", 它, 其).
_PRONOUN_SUBJECT = guarded_re(r"\bit\b|\bits\b|它|其(?!他|中|餘|余|實|实|次|後|后)", re.I)
#: The end of a month in a date's words ("the end of February", 2月底, 2月末).
_MONTH_END_TEXT = re.compile(r"\bend\b|底|末", re.I)
#: A month named as the base of a comparison, not the span of a move ("from February's close", 較3月, "since May").
_BASE_BEFORE = guarded_re(r"(?:\bfrom|\bsince|\bthan|\bvs\.?|\bversus|\bagainst|較|较|比|自|從|从)\s*(?:the\s+)?"
                          r"(?:end\s+of\s+|close\s+of\s+)?$", re.I)
#: A relative clause set off by commas or dashes (", which is most sensitive to Fed expectations,").
_RELATIVE_CLAUSE = re.compile(r"(?:,|\s[—–-])\s*(?:which|who|whose|that)\b[^,;—–]*(?:,|\s[—–-]\s)", re.I)
#: Where the figure's clause starts (the change word of its own clause gives its direction).
_CLAUSE_BREAK = re.compile(r"[，,；;。:：]|\s[—–-]\s")


@dataclass
class MoveContext:
    """What :func:`yield_move_claims` needs of the sentence being read.

    ``levels`` are the sentence's yield quotes already extracted (``(start, end, claim)`` in the folded sentence),
    ``dates`` the sentence's dates resolved for a yield (``(mention as written, resolved)``), ``article`` the
    article's date, ``make`` builds a claim from a span of the sentence (as the extractor's own helper does) and
    ``previous`` is the sentence before in the same paragraph ("" at a paragraph's start).
    """

    f: str
    levels: list[tuple[int, int, Any]]
    dates: list[tuple[DateMention, DateMention]]
    article: date | None
    make: Callable[..., Any]
    previous: str = ""


def _direction(f: str, q: Quantity, clause_start: int) -> int:
    """+1 / −1 for a rise / fall stated in the figure's clause (the change word nearest before it, else a noun right
    after: "a 47bp rise"), or the sign written; 0 when the text does not say."""
    if q.sign:
        return q.sign
    before = f[clause_start:q.start]
    ups, downs = list(_MOVE_UP_RE.finditer(before)), list(_MOVE_DOWN_RE.finditer(before))
    if ups or downs:
        return 1 if (ups[-1].start() if ups else -1) > (downs[-1].start() if downs else -1) else -1
    after = f[q.end:q.end + 30]
    if _UP_AFTER.match(after) or re.match(r"\s*(?:的)?\s*(?:升幅|漲幅|涨幅)", after):
        return 1
    if _DOWN_AFTER.match(after) or re.match(r"\s*(?:的)?\s*(?:降幅|跌幅)", after):
        return -1
    ups, downs = list(_MOVE_UP_RE.finditer(f, 0, q.start)), list(_MOVE_DOWN_RE.finditer(f, 0, q.start))
    if ups or downs:  # "up from 4.01% a week earlier, a 47bp rise" spoken in an earlier clause
        return 1 if (ups[-1].start() if ups else -1) > (downs[-1].start() if downs else -1) else -1
    return 0


def _quote_end(claim: Any) -> dict[str, str] | None:
    """The end point a yield quote of the sentence stands for: its day, the last close before a day (a base "the day
    before"), a month's average, or the last close by the article's date; None for a week's quote or no date."""
    extra = claim.extra or {}
    if extra.get("week"):
        return None
    if extra.get("session_before"):
        return {"before": str(extra["session_before"])}
    if claim.period and claim.day:
        return {"day": f"{claim.period}-{int(claim.day):02d}"}
    if claim.period and len(claim.period) == 7:
        return {"month": claim.period}
    if claim.period is None:
        return {"latest": "article"}
    return None


def _order_key(point: dict[str, str], article: date | None) -> str:
    """A sortable date for an end point (a month's average sorts at its month)."""
    kind, value = next(iter(point.items()))
    if kind == "latest":
        return str(article or "9999-12-31")
    return value + ("-15" if kind == "month" else "")


def _day_of(point: dict[str, str], article: date | None) -> date | None:
    """The day an end point names (a day's close, or the article's date for the latest close), else None."""
    kind, value = next(iter(point.items()))
    if kind == "day":
        return date.fromisoformat(value)
    if kind == "latest" and article is not None:
        return article
    return None


def _span(f: str, q: Quantity, mc: MoveContext, clause_start: int) -> tuple[dict, dict, str] | str:
    """``(start point, end point, how the span was read)`` of the move at ``q``, or the reason it cannot be pinned
    down."""
    averages = _monthly_average_span(f, q, mc, clause_start)
    if averages is not None:
        return averages
    own_day = _own_clause_day(f, q, mc, clause_start)
    if own_day is not None:
        return {"before": own_day.isoformat()}, {"day": own_day.isoformat()}, "the day named in its clause: one session"
    same_tenor = [(s, e, c) for s, e, c in mc.levels if not TENOR_WORD.search(f, min(e, q.end), max(s, q.start))
                  or _same_tenor(f, (s, e), (q.start, q.end))]
    if len(same_tenor) > 1:
        # a level the sentence refers back to ("…to 4.68%, having closed at 4.78% last Wednesday", "below the 4.17%
        # it closed at on Nov. 14") is neither end of the move
        same_tenor = [x for x in same_tenor if not x[2].extra.get("back_reference")] or same_tenor
    near = sorted(same_tenor, key=lambda x: abs(x[0] - q.start))
    points = [(p, c) for _s, _e, c in near[:2] if (p := _quote_end(c)) is not None]
    if len(points) == 2 and points[0][0] != points[1][0]:
        start, end = sorted((points[0][0], points[1][0]), key=lambda p: _order_key(p, mc.article))
        return start, end, "the two quotes of the sentence"
    lead = f[clause_start:q.start + 60]
    end_point = points[0][0] if points else None
    end_day = _day_of(end_point, mc.article) if end_point else None
    own_dates = [(d, r) for d, r in mc.dates if r.year is not None and not any(
        s <= d.start < e + 24 for s, e, _c in near[:1])]
    if (DAY_BEFORE.search(f) or _ON_THE_DAY.search(lead)) and (end_day or end_point is None):
        day = end_day or _named_day(own_dates) or (mc.article if end_point is None else None)
        if day is not None:
            point = end_point or {"on_or_before": day.isoformat()}
            return {"before": _day_of_point(point, day).isoformat()}, point, "one session (the close before)"
    if _LAST_WEEK.search(lead) and end_point is None and mc.article is not None:
        _monday, friday = week_span(mc.article, True)
        return ({"on_or_before": (friday - timedelta(days=7)).isoformat()}, {"on_or_before": friday.isoformat()},
                "last week: close to close")
    week_quoted = [c.extra["week"] for _s, _e, c in near[:1] if (c.extra or {}).get("week")]
    if _ON_THE_WEEK.search(lead) and end_point is None and week_quoted:
        # "ended last week at 4.48%, up 7 basis points on the week": the week of the quote, close to close
        last = date.fromisoformat(str(week_quoted[0][1]))
        return ({"on_or_before": (last - timedelta(days=7)).isoformat()}, {"on_or_before": last.isoformat()},
                "the week of its quote: close to close")
    if _ON_THE_WEEK.search(lead) and (end_day or (end_point is None and mc.article is not None)):
        last = end_day or mc.article
        point = end_point or {"on_or_before": last.isoformat()}
        return {"on_or_before": (last - timedelta(days=7)).isoformat()}, point, "one week: close to close"
    if YEAR_TO_DATE.search(f) and mc.article is not None:
        year = (end_day or mc.article).year
        point = end_point or {"on_or_before": mc.article.isoformat()}
        return {"on_or_before": f"{year - 1}-12-31"}, point, f"{year} so far: from the last close of {year - 1}"
    if _MONTH_TO_DATE.search(f) and mc.article is not None:
        # 本月以來累計上升14個基點, "month to date": from the last close of the month before the quote's (or the
        # article's) month
        ref = end_day or mc.article
        point = end_point or {"on_or_before": mc.article.isoformat()}
        return ({"on_or_before": (date(ref.year, ref.month, 1) - timedelta(days=1)).isoformat()}, point,
                f"{ref:%Y-%m} so far: from the last close of the month before")
    since = [(d, r) for d, r in own_dates if r.day is not None and r.month is not None and (
        _SINCE_BEFORE.search(f, max(0, d.start - 24), d.start) or _SINCE_AFTER.match(f, d.end))]
    if since and mc.article is not None:
        r = since[-1][1]
        point = end_point or {"on_or_before": mc.article.isoformat()}
        return {"day": f"{r.year}-{r.month:02d}-{r.day:02d}"}, point, "since the day named"
    since_month = [r for d, r in own_dates if r.day is None and r.month is not None and r.kind == "month" and
                   _MONTH_END_TEXT.search(d.text) and _SINCE_BEFORE.search(f, max(0, d.start - 24), d.start)]
    if since_month and mc.article is not None:  # "since the end of February": from that month's last close
        r = since_month[-1]
        point = end_point or {"on_or_before": mc.article.isoformat()}
        return ({"on_or_before": month_end(r.year, r.month).isoformat()}, point,
                f"since the end of {r.year}-{r.month:02d}: from its last close")
    if end_point is not None:
        return _one_quote_span(f, q, mc, clause_start, end_point, end_day)
    day = _named_day(own_dates)
    if day is not None:
        return {"before": day.isoformat()}, {"day": day.isoformat()}, "the day named: one session"
    months = [r for _d, r in own_dates if r.month is not None and r.kind == "month"]
    if months:
        r = months[-1]
        first = date(r.year, r.month, 1)
        return ({"on_or_before": (first - timedelta(days=1)).isoformat()},
                {"on_or_before": month_end(r.year, r.month).isoformat()}, f"{r.year}-{r.month:02d}: close to close")
    years = [r for _d, r in own_dates if r.month is None and r.kind == "year"]
    if years or (_OVER_THE_YEAR.search(lead) and mc.article is not None):
        year = years[-1].year if years else mc.article.year
        return ({"on_or_before": f"{year - 1}-12-31"}, {"on_or_before": f"{year}-12-31"},
                f"{year}: from the last close of {year - 1} to the last of {year}")
    return "the move's start and end are not stated"


#: A move said of monthly averages ("the 2-year's monthly average climbed", 月均, 月平均).
_MONTHLY_AVERAGE = guarded_re(r"\bmonthly\s+averages?\b|\baverage\s+(?:for|of|in)\s+the\s+month\b|月均|月平均", re.I)


def _monthly_average_span(f: str, q: Quantity, mc: MoveContext,
                          clause_start: int) -> tuple[dict, dict, str] | None:
    """The span of a move said of monthly averages in its clause ("the monthly average climbed 20 basis points from
    April to May"): average to average — the two months named, or the month named and the one before; None when
    the clause says no monthly average or names no month."""
    end = _CLAUSE_BREAK.search(f, q.end)
    clause_end = end.start() if end else len(f)
    if not _MONTHLY_AVERAGE.search(f, clause_start, clause_end):
        return None
    months = sorted({(r.year, r.month) for d, r in mc.dates if r.kind == "month" and r.year is not None
                     and r.month is not None and r.day is None and clause_start <= d.start < clause_end})
    if not months:
        return None
    last = months[-1]
    first = months[0] if len(months) > 1 else ((last[0] - 1, 12) if last[1] == 1 else (last[0], last[1] - 1))
    return ({"month": f"{first[0]}-{first[1]:02d}"}, {"month": f"{last[0]}-{last[1]:02d}"},
            "monthly averages: average to average")


def _own_clause_day(f: str, q: Quantity, mc: MoveContext, clause_start: int) -> date | None:
    """The full day named in the move's own clause, before the move, when no yield is quoted in that clause and the
    clause states no other span ("…收在4.39%，3月20日單日大漲14個基點": that day's session, not the quote's), else
    None. A day the move runs "since", or a base ("from March 20"), is not its day."""
    end = _CLAUSE_BREAK.search(f, q.end)
    clause_end = end.start() if end else len(f)
    if any(clause_start <= s < clause_end for s, _e, _c in mc.levels):
        return None
    lead = f[clause_start:q.end + 30]
    if _ON_THE_WEEK.search(lead) or _LAST_WEEK.search(lead) or YEAR_TO_DATE.search(lead) or \
            _OVER_THE_YEAR.search(lead):
        return None
    days = [r for d, r in mc.dates if clause_start <= d.start and d.end <= q.start and r.year is not None
            and r.month is not None and r.day is not None
            and not _SINCE_BEFORE.search(f, max(0, d.start - 24), d.start) and not _SINCE_AFTER.match(f, d.end)
            and not _BASE_BEFORE.search(f, max(0, d.start - 16), d.start)]
    if not days:
        # "climbed 9 basis points on March 11, and on March 20 it rose to 4.39%": the day named right after the
        # move ("on March 11") in its own clause is its session's, whatever day another clause quotes
        days = [r for d, r in mc.dates if q.end <= d.start and r.year is not None
                and r.month is not None and r.day is not None and _ON_DAY_AFTER.fullmatch(f, q.end, d.start)]
    return date(days[-1].year, days[-1].month, days[-1].day) if days else None


#: What stands between a move and the day it was made on, named after it ("9 basis points on March 11",
#: "9 bp on Tuesday, March 10").
_ON_DAY_AFTER = re.compile(r"\s*,?\s*on\s+(?:(?:Mon|Tues|Wednes|Thurs|Fri)day,?\s+)?(?:the\s+)?", re.I)


def _one_quote_span(f: str, q: Quantity, mc: MoveContext, clause_start: int, end_point: dict[str, str],
                    end_day: date | None) -> tuple[dict, dict, str] | str:
    """The span of a move stated with one quote of its yield and no span word: a month named in the move's clause
    ("4月7日收于3.81%，3月份累计上升41个基点": that month, close to close — ending at the quote when the quote is of
    that month), else the day of a quote in the move's own clause, named in the sentence or carried ("On Wednesday,
    the 10-year climbed 14 basis points to 4.34%": that one session); otherwise the start is not stated."""
    months = [r for d, r in mc.dates if r.kind == "month" and r.month is not None and r.year is not None
              and r.day is None and clause_start <= d.start < q.end + 16
              and not _BASE_BEFORE.search(f, max(0, d.start - 16), d.start)]
    if months:
        r = months[-1]
        first = date(r.year, r.month, 1)
        in_month = end_day is not None and (end_day.year, end_day.month) == (r.year, r.month)
        end = end_point if in_month else {"on_or_before": month_end(r.year, r.month).isoformat()}
        return ({"on_or_before": (first - timedelta(days=1)).isoformat()}, end,
                f"{r.year}-{r.month:02d}: close to close")
    kind, _value = next(iter(end_point.items()))
    quotes = [(s, e) for s, e, c in mc.levels if _quote_end(c) == end_point]
    # (the quote's day named in the sentence or carried from the sentence before: "On Wednesday, … The two-year
    # yield rose 4 basis points to 3.47%": Wednesday's session)
    dated = end_day is not None and kind == "day"
    if dated and any(not _CLAUSE_BREAK.search(f, min(e, q.end), max(s, q.start)) for s, e in quotes):
        return {"before": end_day.isoformat()}, end_point, "the day named for its quote: one session"
    return "the move's start is not stated (one quote and no span)"


def _tenor_number(word: str) -> str:
    """The tenor a word of :data:`TENOR_WORD` names, as a number of years ("ten-year", 十年期, "10s" → "10")."""
    digits = re.search(r"\d+", word)
    if digits:
        return digits.group()
    low = word.lower()
    for name, years in (("twenty", "20"), ("thirty", "30"), ("two", "2"), ("three", "3"), ("five", "5"),
                        ("seven", "7"), ("ten", "10"), ("三十", "30"), ("二十", "20"), ("十", "10"), ("二", "2"),
                        ("兩", "2"), ("两", "2"), ("三", "3"), ("五", "5")):
        if name in low:
            return years
    return low


def _tenor_near(f: str, start: int, end: int) -> str | None:
    """The tenor of a figure at ``start``…``end``: the one named last before it in the sentence, else the first named
    after it (the subject of "At 4.48%, the 10-year…"); None when the sentence names none."""
    before = list(TENOR_WORD.finditer(f, 0, start))
    if before:
        return _tenor_number(before[-1].group())
    after = TENOR_WORD.search(f, end)
    return _tenor_number(after.group()) if after else None


def _same_tenor(f: str, quote: tuple[int, int], move: tuple[int, int]) -> bool:
    """Whether a quote and a move with a tenor named between them are of the same tenor ("以18日收盤的4.12%計算，10年期
    殖利率今年以來已下降46個基點"), not of two ("The 10-year closed at 4.5%, while the two-year rose 5 bp")."""
    of_quote, of_move = _tenor_near(f, *quote), _tenor_near(f, *move)
    return of_quote is not None and of_quote == of_move


def _named_day(own_dates: list[tuple[DateMention, DateMention]]) -> date | None:
    """The last full day (year, month and day) the sentence names, else None."""
    days = [r for _d, r in own_dates if r.day is not None and r.month is not None]
    return date(days[-1].year, days[-1].month, days[-1].day) if days else None


def _day_of_point(point: dict[str, str], fallback: date) -> date:
    """The day of a ``day`` or ``on_or_before`` end point, else ``fallback``."""
    kind, value = next(iter(point.items()))
    return date.fromisoformat(value) if kind in ("day", "on_or_before") else fallback


def _pronoun_referent(f: str, previous: str) -> str:
    """The sentence before (``previous``, in the same paragraph) when ``f`` names no yield but refers to one by a
    pronoun ("At 4.47% on Monday, it is up 29 basis points so far this year") and that sentence names exactly one
    tenor of a Treasury yield (not another bond's or rate's, not a spread); else ""."""
    if not previous or not _PRONOUN_SUBJECT.search(f) or other_rate_named(previous, 0, len(previous)):
        return ""
    if NOT_A_YIELD_MOVE[0][0].search(previous):  # a spread or a curve: "it" may be the spread
        return ""
    tenors = {_tenor_number(m.group()) for m in TENOR_WORD.finditer(previous)}
    return previous if len(tenors) == 1 else ""


def _dates_blanked(f: str, dates: list[tuple[DateMention, DateMention]]) -> str:
    """``f`` with the words of its dates blanked out, so that a month is never read as a cue word ("in May", "since
    May 19": the month, not the modal verb of a hypothetical)."""
    chars = list(f)
    for d, _r in dates:
        chars[d.start:d.end] = " " * (d.end - d.start)
    return "".join(chars)


def yield_move_claims(moves: list[Quantity], mc: MoveContext) -> list[Any]:
    """Claims for the figures in basis points of one sentence (``moves``): a ``yield_move`` with its two end points
    in ``extra`` (``move_from``, ``move_to``: ``{"day"|"before"|"on_or_before"|"month"|"latest": …}``), or a
    not-checkable claim saying why; none for a figure in a sentence that names no yield."""
    f = mc.f
    if not moves:
        return []
    carried = "" if YIELD_NAMED.search(f) else _pronoun_referent(f, mc.previous)
    if not carried and not YIELD_NAMED.search(f):
        return []
    cues = _dates_blanked(f, mc.dates)  # a date's words are no cue: "in May", "since May 19" (not the verb "may")
    out = []
    for q in moves:
        breaks = [m.end() for m in _CLAUSE_BREAK.finditer(f, 0, q.start)]
        clause_start = breaks[-1] if breaks else 0
        # a relative clause of the subject before the figure ("the two-year yield, which is most sensitive to Fed
        # expectations, slid 5 basis points") describes the yield: its words are no cue for the move
        seen = _RELATIVE_CLAUSE.sub(lambda m: " " * len(m.group()), cues[:q.start])
        around = seen[clause_start:q.start] + " " + seen[max(0, q.start - 50):q.start] + cues[q.end:q.end + 30]
        why = next((reason for pattern, reason in NOT_A_YIELD_MOVE if pattern.search(around)), None)
        if why is None and other_rate_named(f, clause_start, q.start):
            why = OTHER_RATE_REASON  # "Germany's 10-year Bund yield fell 9 basis points": not a Treasury's move
        if why is None and not carried and not YIELD_NAMED.search(f, 0, q.end + 40):
            continue  # the yield is named only after the figure and far from it: not read
        sign = _direction(f, q, clause_start)
        value = sign * q.value if sign else q.value
        claim = mc.make(q.start, q.end, value, "bp", None, "yield_move" if why is None else None, None, why,
                        qualifier=q.qualifier, precision=q.precision)
        if why is not None:
            out.append(claim)
            continue
        span = _span(f, q, mc, clause_start)
        if isinstance(span, str):
            claim.measure, claim.reason = None, f"a yield's move in basis points: {span}"
            out.append(claim)
            continue
        start, end, how = span
        claim.extra.update({"move_from": start, "move_to": end, "direction": sign,
                            "text_before": f[:q.start], "text_after": f[q.end:q.end + 40]})
        if carried:  # "…the 10-year fell 40 bp over 2025. At 4.47% on Monday, it is up 29 bp": its tenor
            claim.extra["sentence_before"] = carried
        claim.period_note = f"the move's span: {how}"
        out.append(claim)
    return out
