"""Dates and periods in news text, and how relative ones resolve against the article's date.

A :class:`DateMention` is what the text says (``2023年11月``, ``今年3月``, ``9月``, ``in September``, ``the month
before``, ``FY 2025``, ``November 24, 2025``); :func:`resolve_month` turns a month written without a year into the
most recent such month whose figures had been *published* by the article's date, given the publication lag of the
series it is about (TIC: about six weeks after the month's end; SAFE reserves: in the first week of the next month).

References
----------
U.S. Treasury, "Treasury International Capital (TIC) System — release schedule": monthly holdings data appear about
six weeks after the end of the month. State Administration of Foreign Exchange (SAFE): official reserve assets are
published in the first days of the following month (the 5th to the 7th).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from geostress.analytics.claims.numbers import NumberError, parse_number, parse_spelled
from geostress.analytics.claims.regexes import guarded_re

MONTHS_EN = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MON_ALT = "|".join(sorted(MONTHS_EN, key=len, reverse=True))
_MON_FULL = "January|February|March|April|June|July|August|September|October|November|December|Sept|Jan|Feb|Mar|Apr|" \
            "Jun|Jul|Aug|Sep|Oct|Nov|Dec"
#: "May", the month, where it cannot be the modal verb: capitalised before a day number ("May 19", not a figure:
#: "May 19%"), after a preposition or a part of a month ("in May", "since May", "on May", "mid-May", "early May") or
#: before a possessive ("May's average"). A bare lower-case "may" is the verb.
_MAY_DAY = r"May(?=\.?\s+(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\b(?!\s*(?:[.,]\d|%|percent|per\s+cent|basis|bps?\b)))"
_MAY_MONTH = (r"(?:(?<=in )|(?<=of )|(?<=to )|(?<=-)|(?<=since )|(?<=on )|(?<=from )|(?<=during )|(?<=through )|"
              r"(?<=until )|(?<=early )|(?<=late )|(?<=mid )|(?<=end )|(?<=In )|(?<=Since )|(?<=On )|(?<=From )|"
              r"(?<=During )|(?<=Through )|(?<=Until )|(?<=Early )|(?<=Late ))May|May(?=['’]s\b)")
_CN_MONTH = r"\d{1,2}|十[一二]?|[一二三四五六七八九]"
_CN_YEAR_DIGITS = "〇○零一二三四五六七八九"
_UNIT_AHEAD = r"(?!\s*(?:[,.]\d|\d|tonnes|tons|ounces|盎司|噸|吨|美元|億|亿|萬|万|billion|million|trillion|%|個月|个月))"
_REL_YEAR = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "this year": 0, "last year": -1}
_REL_ZH = "今年|本年|去年|上年|前年"
#: The fiscal year a relative fiscal year names, from the article's: "this fiscal year" 0, "last fiscal year" −1.
_FISCAL_REL = {"this": 0, "current": 0, "coming": 1, "next": 1, "last": -1, "本": 0, "今": 0, "當": 0, "当": 0,
               "下": 1, "上": -1}
#: The last two digits of a year spoken: "twenty-five", "nineteen", "ten", "oh five".
_SPOKEN_YEAR = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|"
                r"seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
                r"(?:oh|o)[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))")

#: Publication lag in days after the end of the month, by family of series (``default``: the month has ended).
PUBLICATION_LAG = {"tic": 42, "gold": 4, "fx": 4, "default": 0}  # the earliest usual release, in days


@dataclass(frozen=True)
class DateMention:
    """A date or period in the text.

    ``year`` is None for a month written without a year (resolved later with :func:`resolve_month`), ``month`` is
    None for a whole year, ``day`` is set for a day (a day of the month alone, "19日", "on the 19th", has neither
    month nor year: see :func:`resolved`); ``kind`` is one of ``month``, ``year``, ``day``, ``fiscal`` (a US fiscal
    year), ``prev`` (the month before the one in context: "the month before", 上月), ``then`` (當時: the date last
    mentioned), ``now`` ("now", 目前: the latest release at the article's date) or ``same`` (同期, 當月, "the same
    month", "that month": the period stated last for the same family of series). ``fuzz`` widens a vague period
    (mid-2013: ±3 months).
    """

    start: int
    end: int
    text: str
    year: int | None
    month: int | None
    fuzz: int = 0
    day: int | None = None
    kind: str = "month"
    rel_year: int | None = None  # 今年 / 去年: the year relative to the article's
    weekday: int | None = None  # a day named by its weekday ("on Thursday", 周四: 3), Monday 0
    # "prev": of the previous calendar week (上周五); "before": strictly before the article ("last Friday");
    # "yesterday": the business day before the article's
    week: str = ""

    @property
    def iso(self) -> str:
        if self.kind == "fiscal":
            return f"FY{self.year}"
        if self.year is None:
            return f"????-{self.month:02d}" if self.month else "?"
        return f"{self.year}" if self.month is None else f"{self.year}-{self.month:02d}"

    @property
    def relative(self) -> bool:
        return self.year is None and self.kind in ("month", "day")


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("fiscal", guarded_re(r"(?:\b(?:FY|fiscal(?:\s+year)?)\s*'?(?P<y>(?:19|20)\d\d)\b|"
                          r"\b(?P<y2>(?:19|20)\d\d)\s+fiscal\s+year"
                          r"|(?P<y3>(?:19|20)\d\d)\s*(?:財年|财年|財政年度|财政年度|會計年度|会计年度))", re.I)),
    # a fiscal year relative to the article's: "this fiscal year", "the current fiscal year", "next fiscal year",
    # "last fiscal year" (not a comparison's base: "from last fiscal year"), 本财年, 今財年, 下一财年, 上一财年
    # (not 较上一财年)
    ("fiscal_rel", guarded_re(r"(?<!from )(?<!than )(?<!since )(?<!over )(?<!with )(?<!to )\b(?P<fr>this|current|"
                              r"next|last|coming)\s+fiscal\s+year\b(?!\s+(?:to|earlier|before)\b)"
                              r"|(?<![較较比與与自從从于於])(?P<fz>本|今|當|当|下一?(?:個|个)?|上一?(?:個|个)?)\s*"
                              r"(?:財年|财年|財政年度|财政年度|會計年度|会计年度)(?!同期|相比|以來|以来)", re.I)),
    # a fiscal year spoken (a transcript): "fiscal twenty twenty-five", "fiscal year nineteen ninety-nine"
    ("fiscal_spoken", guarded_re(rf"\bfiscal(?:\s+year)?\s+(?P<sc>twenty|nineteen)[\s-]+(?P<sy>{_SPOKEN_YEAR})\b",
                                 re.I)),
    # a month and a spoken year (a transcript): "November twenty thirteen", "in March twenty twenty-five"
    ("en_month_spoken", guarded_re(rf"\b(?P<mon>{_MON_FULL})\s+(?P<sc>twenty|nineteen)[\s-]+(?P<sy>{_SPOKEN_YEAR})\b",
                                   re.I)),
    ("zh_day", guarded_re(rf"(?:(?P<y>(?:19|20)\d\d)\s*年\s*)?(?P<m>{_CN_MONTH})\s*月\s*(?P<d>\d{{1,2}})\s*日")),
    # a day of the month alone ("19日收在4.18%", "on the 19th"): a day in the article's month (see :func:`resolved`);
    # not a count of days (30日內), a daily average (日均), yen (日元) or Japan (日本)
    ("zh_dom", guarded_re(r"(?<![\d.])(?P<d>[1-9]|[12]\d|3[01])\s*日(?!\s*(?:元|圓|圆|均|內|内|以內|以内|之內|之内|本|期|間|间))")),
    ("en_dom", guarded_re(r"\bon\s+(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?the\s+(?P<d>[1-9]|[12]\d|3[01])"
                          r"(?:st|nd|rd|th)\b(?![\s-]+(?:straight|consecutive|successive|month|largest|biggest|time|"
                          r"century|day|week|year|anniversary|of\s+[A-Z])\b)", re.I)),
    # a weekday ("on Thursday", "last Friday", 周四, 上週五): the latest such day by the article's date
    ("en_weekday", guarded_re(r"\b(?:on\s+)?(?P<last>last\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                              r"Sunday)\b", re.I)),
    ("zh_weekday", guarded_re(r"(?P<last>上)?(?:周|週|星期|礼拜|禮拜)(?P<wdz>[一二三四五六日天])(?!度)")),  # 一度: once
    # "yesterday", 昨日, 昨天, 昨收: the business day before the article's date (a market quote's close)
    ("yesterday", guarded_re(r"\byesterday\b|昨日|昨天|昨(?=\s*(?:收|報|报|晚|早))", re.I)),
    ("zh_month", re.compile(rf"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>{_CN_MONTH})\s*月(?:份)?(?P<part>底|末|初|中旬|中|上旬|下旬)?")),
    ("zh_cn_year", re.compile(rf"(?P<cy>[{_CN_YEAR_DIGITS}]{{4}})\s*年\s*"
                              rf"(?:(?P<m>{_CN_MONTH})\s*月(?:份)?(?P<part>底|末|初)?)?")),
    ("zh_part", re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<part>年底|年末|底|末|年初|初|年中|中期|中|上半年|下半年|"
                           r"第[一二三四1-4]季度?|[Qq][1-4])")),
    ("zh_year", guarded_re(r"(?<!\d)(?P<y>(?:19|20)\d\d)\s*年(?!期|度)")),
    ("iso_day", guarded_re(r"(?<![\d.])(?P<y>(?:19|20)\d\d)[-/](?P<m>0?[1-9]|1[0-2])[-/](?P<d>\d{1,2})(?![\d])")),
    ("iso", guarded_re(r"(?<![\d.])(?P<y>(?:19|20)\d\d)[-/](?P<m>0?[1-9]|1[0-2])(?![\d])")),
    ("en_day", guarded_re(rf"\b(?P<mon>{_MON_ALT})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
                          rf"(?P<y>(?:19|20)\d\d)\b", re.I)),
    ("en_month", guarded_re(rf"(?:(?P<part>end|end of|the end of|late|early|mid|beginning of|start of)[\s-]+)?"
                            rf"\b(?P<mon>{_MON_ALT})\.?,?(?:\s+|-)(?:of\s+)?(?P<y>(?:19|20)\d\d)\b", re.I)),
    ("en_part", guarded_re(r"\b(?P<part>year-end|end of|the end of|end|late|early|mid|middle of|beginning of|"
                           r"start of|first half of|second half of|H1|H2|Q1|Q2|Q3|Q4)[\s-]+(?P<y>(?:19|20)\d\d)\b",
                           re.I)),
    ("en_year", guarded_re(rf"(?<![\d$#.,-])\b(?P<y>(?:19|20)\d\d)\b{_UNIT_AHEAD}")),
    # without a year: resolved against the article's date
    # a part of this or last year: 去年底, 去年年末, 今年初, "at the end of last year", "last year's end"
    ("zh_rel_part", guarded_re(rf"(?P<rel>{_REL_ZH})\s*(?P<part>年底|年末|底|末|年初|初|年中|上半年|下半年|"
                               r"第[一二三四1-4]季度?)")),
    ("en_rel_part", guarded_re(r"\b(?:(?P<part>end|end of|the end of|close of|the close of|late|early|mid|middle of|"
                               r"beginning of|start of|first half of|second half of)[\s-]+(?P<rel>last|this)[\s-]+year"
                               r"|(?P<rel2>last|this)[\s-]+year(?:'s|’s)?[\s-]+(?P<part2>end|close))\b", re.I)),
    ("zh_rel", guarded_re(rf"(?:(?P<rel>{_REL_ZH})\s*|(?<![\d.年第個个]))(?P<m>{_CN_MONTH})\s*月(?:份)?"
                          rf"(?P<part>底|末|初|中旬|中|上旬|下旬)?(?!\s*(?:(?!\d{{1,2}}\s*年期)\d|[一二三四五六七八九十]{{1,3}}\s*(?:日|号|號)))")),
    ("en_rel_day", guarded_re(rf"\b(?P<mon>{_MON_FULL}|{_MAY_DAY})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"
                              rf"(?!\s*,?\s*(?:19|20)\d\d)")),
    ("en_rel", guarded_re(rf"(?:(?P<part>end|end of|the end of|late|early|mid|beginning of|start of)[\s-]+)?"
                          rf"\b(?P<mon>{_MON_FULL}|{_MAY_MONTH})\b\.?"
                          rf"(?![\s,]*(?:19|20)\d\d)")),
    ("prev", guarded_re(r"\b(?:the\s+)?(?:month\s+before|previous\s+month|prior\s+month|preceding\s+month|a\s+month\s+"
                        r"earlier|last\s+month)\b|上個月|上个月|上月|前一個月|前一个月", re.I)),
    # "the same period", 同期, 當月: the period stated last for the same family of series (not 去年同期, 上一財年同期,
    # "the same month a year earlier": a year back)
    ("same", guarded_re(r"(?<![年度較较比與与])(?:同期|同月|當月|当月)(?!相比|比較|比较)|"
                        r"\b(?:the\s+)?same\s+(?:month|period)\b(?!\s+(?:a|one|last|of\s+(?:the\s+)?(?:previous|prior|"
                        r"last))\s+year\b|\s+(?:a\s+)?year\s+(?:earlier|ago|before)\b|\s+(?:last|the\s+previous|the\s+"
                        r"prior)\s+year\b)|\bthat\s+(?:same\s+)?month\b", re.I)),
    ("then", guarded_re(r"當時|当时|\bat\s+the\s+time\b", re.I)),
    ("now", guarded_re(r"\b(?:now|currently|at present|today)\b|目前|現在|现在|如今|眼下|當前|当前", re.I)),
]
_PART_MONTH = {
    "底": (12, 0), "末": (12, 0), "年底": (12, 0), "年末": (12, 0), "end": (12, 0), "end of": (12, 0),
    "the end of": (12, 0), "year-end": (12, 0), "close of": (12, 0), "the close of": (12, 0), "close": (12, 0),
    "late": (11, 1), "初": (1, 1), "年初": (1, 1), "early": (2, 1),
    "beginning of": (1, 1), "start of": (1, 1), "年中": (6, 3), "中期": (6, 3), "中": (6, 3), "mid": (6, 3),
    "middle of": (6, 3), "上半年": (6, 0), "下半年": (12, 0), "first half of": (6, 0), "second half of": (12, 0),
    "h1": (6, 0), "h2": (12, 0), "q1": (3, 0), "q2": (6, 0), "q3": (9, 0), "q4": (12, 0),
}  # fmt: skip
_CN_Q = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _month_of(part: str | None, month: int | None) -> tuple[int | None, int]:
    if part is None or month is not None:  # 11月底 / end of November: the month itself
        return month, 0
    p = part.lower()
    if p.startswith("第") and p[1:2] in _CN_Q:
        return 3 * _CN_Q[p[1:2]], 0
    return _PART_MONTH.get(p, (None, 0))


def _month_number(raw: str) -> int:
    return int(raw) if raw.isdigit() else int(parse_number(raw))


_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: Words one of which a text must hold for a pattern to be tried (a cheap filter before the regular expression).
_NEEDS: dict[str, tuple[str, ...]] = {
    "fiscal": ("fy", "fiscal", "財年", "财年", "財政年度", "财政年度", "會計年度", "会计年度"),
    "fiscal_spoken": ("fiscal",), "en_month_spoken": _MONTH_STEMS,
    "fiscal_rel": ("fiscal", "財年", "财年", "財政年度", "财政年度", "會計年度", "会计年度"),
    "zh_day": ("日",), "zh_month": ("年",), "zh_cn_year": ("年",), "zh_part": ("年",), "zh_year": ("年",),
    "iso_day": ("-", "/"), "iso": ("-", "/"), "en_day": _MONTH_STEMS, "en_month": _MONTH_STEMS,
    "en_part": ("end", "late", "early", "mid", "beginning", "start", "half", "h1", "h2", "q1", "q2", "q3", "q4"),
    "en_year": ("19", "20"), "zh_rel_part": ("今年", "本年", "去年", "上年", "前年"), "en_rel_part": ("year",),
    "zh_rel": ("月",), "en_rel_day": _MONTH_STEMS, "en_rel": _MONTH_STEMS,
    "zh_dom": ("日",), "en_dom": ("on ",),
    "en_weekday": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "zh_weekday": ("周", "週", "星期", "礼拜", "禮拜"), "yesterday": ("yesterday", "昨"),
    "same": ("同期", "同月", "當月", "当月", "same month", "same period", "that month", "that same month"),
    "prev": ("month", "上月", "上個月", "上个月", "前一個月", "前一个月"), "then": ("當時", "当时", "at the time"),
    "now": ("now", "current", "present", "today", "目前", "現在", "现在", "如今", "眼下", "當前", "当前"),
}  # fmt: skip


#: A fiscal year written with its number (a relative "last fiscal year" in the same text is the year before it).
_FISCAL_YEAR = re.compile(r"\b(?:FY|fiscal(?:\s+year)?)\s*'?(?:19|20)\d\d|(?:19|20)\d\d\s*(?:財年|财年|"
                          r"財政年度|财政年度|會計年度|会计年度)", re.I)
#: The first year of a range of years whose end is a fiscal year (2021至2025财年, "2021 to fiscal 2025").
_RANGE_START = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*(?:年\s*)?(?:至|到|~|～|-|–|—|\bto\b|\bthrough\b)\s*$", re.I)
_NEED_RE = re.compile("|".join(re.escape(w) for w in sorted({w for ws in _NEEDS.values() for w in ws}, key=len,
                                                                 reverse=True)))
#: The patterns that cannot match without a year written in digits (each has ``(?:19|20)\d\d`` outside any optional
#: part): skipped at once in a text without one, such as most sentences that give a month alone.
_NEEDS_YEAR = frozenset({"fiscal", "zh_month", "zh_part", "zh_year", "iso_day", "iso", "en_day", "en_month", "en_part",
                         "en_year"})
_YEAR = re.compile(r"(?:19|20)\d\d")
#: For each word of :data:`_NEEDS`, the positions in :data:`_PATTERNS` of the patterns it lets through.
_PATTERNS_OF: dict[str, frozenset[int]] = {
    w: frozenset(i for i, (kind, _p) in enumerate(_PATTERNS) if w in _NEEDS[kind])
    for ws in _NEEDS.values() for w in ws}


#: A past year named relative to the article's ("last year", "the year before last", 去年, 上年, 前年) on its own: not
#: a part of it (去年底, "last year's end"), a month of it (去年12月), 去年同期 or "a year ago".
_PAST_YEAR = guarded_re(r"\b(?P<en>last|the\s+previous|the\s+prior)\s+year\b(?!\s*(?:'s|’s|end\b))|"
                        r"\bthe\s+year\s+before\s+last\b|"
                        r"(?P<zh>去年|上年|前年)(?!同|底|末|年底|年末|初|年初|中|年中|上半|下半|第|\s*\d|\s*[一二三四五六七八九十]+\s*月)",
                        re.I)


def find_past_years(text: str, taken: list[DateMention]) -> list[DateMention]:
    """The past years ``text`` names relative to the article's date ("last year", 去年: a year, ``rel_year`` −1 or −2)
    outside the dates already found (``taken``)."""
    out = []
    for m in _PAST_YEAR.finditer(text):
        if any(d.start < m.end() and m.start() < d.end for d in taken):
            continue
        word = (m.group("en") or m.group("zh") or "").lower()
        rel = -2 if word == "前年" or m.group().lower().endswith("before last") else -1
        out.append(DateMention(m.start(), m.end(), m.group(), None, None, kind="year", rel_year=rel))
    return out


def find_dates(text: str) -> list[DateMention]:
    """Dates and periods in ``text`` (already width-folded), left to right, without overlaps."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    present = set(_NEED_RE.findall(text.lower()))
    if not present:
        return found
    has_year: bool | None = None
    for index in sorted(frozenset().union(*(_PATTERNS_OF[w] for w in present))):  # in the order of the table
        kind, pattern = _PATTERNS[index]
        if kind in _NEEDS_YEAR:
            if has_year is None:
                has_year = _YEAR.search(text) is not None
            if not has_year:
                continue
        for m in pattern.finditer(text):
            s, e = m.span()
            if s == e or any(s < te and ts < e for ts, te in taken):
                continue
            g = m.groupdict()
            year: int | None = None
            month: int | None = None
            day: int | None = None
            rel_year = None
            fuzz = 0
            out_kind = "month"
            if kind == "fiscal":
                year, out_kind = int(g.get("y") or g.get("y2") or g.get("y3")), "fiscal"
            elif kind == "fiscal_rel":
                rel = (g.get("fr") or g.get("fz") or "").lower().replace(" ", "")
                rel_year, out_kind = _FISCAL_REL.get(rel, _FISCAL_REL.get(rel[:1], 0)), "fiscal"
                if rel_year and _FISCAL_YEAR.search(text):
                    continue  # "fiscal 2025 …, up from last fiscal year": the year before the one named
            elif kind == "en_month_spoken":
                try:
                    tail = int(parse_spelled(re.sub(r"\b(?:oh|o)\b", "", g["sy"], flags=re.I))[0])
                except NumberError:
                    continue
                year, month = (2000 if g["sc"].lower() == "twenty" else 1900) + tail, MONTHS_EN[g["mon"].lower()]
            elif kind == "fiscal_spoken":
                try:
                    tail = int(parse_spelled(re.sub(r"\b(?:oh|o)\b", "", g["sy"], flags=re.I))[0])
                except NumberError:
                    continue
                year, out_kind = (2000 if g["sc"].lower() == "twenty" else 1900) + tail, "fiscal"
            elif kind in ("prev", "then", "now", "same"):
                out_kind = kind
            else:
                if g.get("y"):
                    year = int(g["y"])
                elif g.get("cy"):
                    year = int("".join(str(_CN_DIGIT[c]) for c in g["cy"]))
                    if not 1900 <= year <= 2100:
                        continue
                if g.get("m"):
                    month = _month_number(g["m"])
                elif g.get("mon"):
                    month = MONTHS_EN[g["mon"].lower().rstrip(".")]
                if month is not None and not 1 <= month <= 12:
                    continue
                if g.get("d"):
                    day = int(g["d"])
                    if not 1 <= day <= 31:
                        continue
                    out_kind = "day"
                if kind == "yesterday":
                    found.append(DateMention(s, e, m.group(), None, None, 0, None, "day", week="yesterday"))
                    taken.append((s, e))
                    continue
                if g.get("wd") or g.get("wdz"):
                    weekday = _WEEKDAYS[(g.get("wd") or g.get("wdz") or "").lower()]
                    week = ("prev" if kind == "zh_weekday" else "before") if g.get("last") else ""
                    found.append(DateMention(s, e, m.group(), None, None, 0, None, "day", None, weekday, week))
                    taken.append((s, e))
                    continue
                rel = g.get("rel") or g.get("rel2")
                if rel:
                    rel_year = _REL_YEAR[rel.lower() + (" year" if kind == "en_rel_part" else "")]
                month, fuzz = _month_of(g.get("part") or g.get("part2"), month)
                if month is None and year is not None:
                    out_kind = "year"
                if kind in ("zh_rel", "en_rel", "en_rel_day", "zh_rel_part", "en_rel_part") and month is None:
                    continue
            found.append(DateMention(s, e, m.group(), year, month, fuzz, day, out_kind, rel_year))
            taken.append((s, e))
    found.sort(key=lambda d: d.start)
    for b in list(found):
        # 2021至2025财年, "2021 to fiscal 2025": the year before a range's fiscal end is a fiscal year too
        start = _RANGE_START.search(text, max(0, b.start - 16), b.start) if b.kind == "fiscal" else None
        if start is None:
            continue
        a = next((x for x in found if x.start == start.start()), None)
        if a is not None and a.kind == "year" and a.month is None:
            found[found.index(a)] = replace(a, kind="fiscal")
        elif a is None and not any(x.start < start.end(1) and start.start() < x.end for x in found):
            found.append(DateMention(start.start(), start.end(1), start.group(1), int(start.group(1)), None,
                                     kind="fiscal"))
    return sorted(found, key=lambda d: d.start)


_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "○": 0}
_WEEKDAYS = {w: i for i, w in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                         "sunday"))} | {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6}


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def resolve_month(month: int, article: date, family: str = "default", rel_year: int | None = None) -> int:
    """The year of a month written without one: the most recent such month published by ``article``.

    ``family`` picks the publication lag (:data:`PUBLICATION_LAG`); ``rel_year`` (今年 0, 去年 −1) overrides.

    >>> resolve_month(9, date(2025, 4, 16), "tic")   # "In September", said in April 2025: September 2024
    2024
    >>> resolve_month(10, date(2025, 12, 21), "tic")  # October data appear mid-December
    2025
    """
    if rel_year is not None:
        return article.year + rel_year
    lag = timedelta(days=PUBLICATION_LAG.get(family, 0))
    for year in (article.year, article.year - 1):
        if month_end(year, month) + lag <= article:
            return year
    return article.year - 2


def resolve_day(month: int, day: int, article: date) -> int:
    """The year of a day written without one ("December 31", 12月31日): the latest such day not after the article.

    >>> resolve_day(12, 31, date(2026, 1, 25))  # a quote on "December 31" in a January article: last year's
    2025
    >>> resolve_day(1, 20, date(2026, 1, 25))
    2026
    """
    return article.year if (month, day) <= (article.month, article.day) else article.year - 1


def resolved(d: DateMention, article: date | None, family: str = "default",
             anchor_year: int | None = None) -> DateMention:
    """``d`` with its year filled in: from ``anchor_year`` (a year stated earlier in the sentence), else from the
    article's date — a day: the latest such day not after it; a month: the latest such month published by then,
    given the series' publication lag —; unchanged when neither is known.

    A day of the month alone ("19日", "on the 19th") is a day in the article's month, or in the month before when
    the day is after the article's (a quote on "the 28th" in a 3 March article is from February). A weekday ("on
    Thursday", 周四) is the latest such day by the article's date; "last Friday" the latest before it, 上周五 the
    Friday of the week before the article's. "Yesterday" (昨日, 昨天) is the business day before the article's date:
    a Monday article's "yesterday" close is Friday's.

    >>> [d.iso for d in (resolved(x, date(2026, 2, 20)) for x in find_dates("殖利率19日收在4.18%，28日為4.1%"))]
    ['2026-02', '2026-01']
    """
    if d.kind == "day" and d.week == "yesterday" and d.year is None:
        if article is None:
            return d
        when = article - timedelta(days=1)
        while when.weekday() >= 5:  # a Monday's "yesterday" close is Friday's
            when -= timedelta(days=1)
        return replace(d, year=when.year, month=when.month, day=when.day)
    if d.kind == "day" and d.weekday is not None and d.year is None:
        if article is None:
            return d
        back = (article.weekday() - d.weekday) % 7
        if d.week == "prev":  # 上周五: that day of the previous calendar week (Monday to Sunday)
            back = article.weekday() + 7 - d.weekday
        elif d.week == "before":  # "last Friday": the latest Friday before the article's day
            back = back or 7
        when = article - timedelta(days=back)
        return replace(d, year=when.year, month=when.month, day=when.day)
    if d.kind == "day" and d.month is None and d.year is None and d.day is not None:
        if article is None:
            return d
        year, month = article.year, article.month
        # the latest month in which that day exists and is not after the article's ("31日" on 3 March: 31 January)
        while (year, month, d.day) > (article.year, article.month, article.day) or \
                d.day > calendar.monthrange(year, month)[1]:
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return replace(d, year=year, month=month)
    if d.kind == "fiscal" and d.year is None and d.rel_year is not None:
        if article is None:
            return d
        # a fiscal year runs October to September: a March 2026 article's "this fiscal year" is FY2026
        return replace(d, year=article.year + (1 if article.month >= 10 else 0) + d.rel_year)
    if d.kind == "year" and d.year is None and d.rel_year is not None:
        return d if article is None else replace(d, year=article.year + d.rel_year)
    if not d.relative or d.month is None:
        return d
    if d.rel_year is not None and article is not None:
        return replace(d, year=article.year + d.rel_year)
    if anchor_year is not None:
        return replace(d, year=anchor_year)
    if article is None:
        return d
    if d.kind == "day" and d.day is not None:
        return replace(d, year=resolve_day(d.month, d.day, article))
    return replace(d, year=resolve_month(d.month, article, family))


_DATELINE = [
    re.compile(r"(?P<y>(?:19|20)\d\d)\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(rf"\b(?P<mon>{_MON_ALT})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<mon>{_MON_ALT})\.?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
]


def find_article_date(text: str, head: int = 400) -> date | None:
    """The article's date from a dateline or a full date near its top (the first ``head`` characters), or None."""
    top = text[:head]
    best: tuple[int, date] | None = None
    for pattern in _DATELINE:
        m = pattern.search(top)
        if not m:
            continue
        g = m.groupdict()
        month = int(g["m"]) if g.get("m") else MONTHS_EN[g["mon"].lower().rstrip(".")]
        try:
            d = date(int(g["y"]), month, int(g["d"]))
        except ValueError:
            continue
        if best is None or m.start() < best[0]:
            best = (m.start(), d)
    return best[1] if best else None


def parse_iso_date(value: str) -> date:
    """``YYYY-MM-DD`` as a date; ValueError with the expected form otherwise."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date: {value!r}; give it as YYYY-MM-DD") from None


def previous_business_day(day: date) -> date:
    """The weekday before ``day`` (a Monday's is the Friday before)."""
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def week_span(article: date, last: bool) -> tuple[date, date]:
    """The weekdays of "last week" (Monday to Friday of the week before the article's) or of "earlier this week"
    (Monday of the article's week to the day before the article; empty on a Monday: start after end)."""
    monday = article - timedelta(days=article.weekday())
    if last:
        return monday - timedelta(days=7), monday - timedelta(days=3)
    return monday, min(article - timedelta(days=1), monday + timedelta(days=4))
