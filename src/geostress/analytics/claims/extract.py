"""Find the quantities a text states and link each one to what it claims: holder, measure and period.

The extractor takes ``str`` only (reading files, encodings and HTML is :mod:`geostress.analytics.claims.reading`).
It works sentence by sentence (:func:`iter_sentences` streams from any iterable of chunks) and never raises on
input: a sentence it cannot read yields no claim, a quantity it cannot map yields a claim with ``measure=None`` and
the reason (reported as ``not_checkable``).

How a quantity becomes a claim is data, not code: :data:`MEASURE_RULES` is a table tried in order — the first rule
whose unit, instrument and cue words fit names the measure (or, for things the store does not hold, the reason it
cannot be checked); the table and its matcher are :mod:`geostress.analytics.claims.rules`. Holders and
instruments are the vocabulary tables of :mod:`geostress.analytics.claims.holders`, cue words those of
:mod:`geostress.analytics.claims.patterns`. Relative dates ("9月", "last month", "In September") resolve against
the article's date (:mod:`geostress.analytics.claims.dates`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from geostress.analytics.claims.clauses import (
    clause_spans, embedded_spans, inside_any, label_clauses, names_subject,
)
from geostress.analytics.claims.context import Context, series_family
from geostress.analytics.claims.dates import (
    DateMention, find_article_date, find_dates, find_past_years, previous_business_day, resolve_day, resolved,
    week_span,
)
from geostress.analytics.claims.holders import (
    Holder, INSTRUMENT_RE, INSTRUMENT_RES, find_words, find_holders, word_starts,
)
from geostress.analytics.claims.numbers import EN_ORDINALS, EN_WORDS, fold_width
from geostress.analytics.claims.patterns import (
    ANNUAL, COMPARATIVE, COMPARED_HOLDER, CONSECUTIVE, DIRECTION_VERB, DOWN_RE, LESS_RE, MONTH_ON_MONTH, PEAK,
    PEAK_AFTER, PEAK_BEFORE, RANK_EN, RANK_LIST, RANK_NOUN, RANK_ZH, RECORD, RESPECTIVELY, SINCE_AFTER_DATE,
    SINCE_BEFORE_DATE,
    UP_RE, YEARS_SINCE, ZH_COMPARE_AFTER, ZH_COMPARE_BEFORE,
    ABOVE_AFTER, ABOVE_END, AFTER_END, BASE_AFTER, BASE_BEFORE, BELOW_AFTER, BELOW_END,
    BRACKETED, CROSS_VERB, CUE_OF_PREVIOUS, DATELINE_AFTER, DATELINE_FULL_AFTER, ECONOMY_AFTER, EN_BILLIONS,
    EN_COMPARED, FILLER, SPEAKER_LABEL,
    FIRST_HINT, FIRST_SINCE_EN, FIRST_SINCE_ZH, FRACTIONS, FRACTION_BOUND_ZH, FRACTION_HINT, FRACTION_OF_PEAK,
    FRACTION_QUALIFIER, FROM_END, GROUP_BEFORE, HOLD_AT_END, OPEN_BRACKET, OR_PCT, OTHER_PCT_SUBJECT,
    PEAKED_THEN, PEAK_NOUN_AFTER, PEAK_THEN, PRONOUN, RANK_NUMBER_EN, RECORD_HINTS, RECORD_LEVELS, SINCE_AHEAD,
    SINCE_END, SINCE_ZH_AFTER, SPREAD, TENOR_QUOTED,
    OTHER_RATE, OTHER_RATE_REASON, other_rate_named, WEEK_CUE, DAY_BEFORE, FROM_BASE_END, THAT_MONTH, THRESHOLD_END,
    YEAR_BACK_AFTER, YEAR_END, YEAR_TO_DATE, UP, DOWN, cn_int, THIS_SESSION, TIMESTAMP_LEAD, OVERTAKEN_BEFORE,
)
from geostress.analytics.claims.periods import (
    CHANGE_SPAN, SPAN_AGO_AFTER, SPAN_AGO_BEFORE, VAGUE_SPAN, ChangeSpan, as_mention, change_span, growth_span,
    is_later, months_before, span_ahead, span_months,
)
from geostress.analytics.claims.moves import YIELD_NAMED, MoveContext, yield_move_claims
from geostress.analytics.claims.quantities import Quantity, find_quantities
from geostress.analytics.claims.regexes import guarded_re
from geostress.analytics.claims.rules import (
    BUDGET_DEFICIT, MEASURE_RULES, CHANGE_AFTER, CROSSED, SIGNED_MEASURES, apply_rules,
)
from geostress.analytics.claims.tables import Table, cell_number, read_header, read_row, unit_note

__all__ = ["MEASURE_RULES", "Claim", "detect_lang", "extract_claims", "extract_sentence", "iter_sentences",
           "table_claims"]

MAX_SENTENCE = 2000  # characters; a longer run without a sentence end is cut (at a space or comma when possible)

# -- claims ----------------------------------------------------------------------------------------------------------
@dataclass
class Claim:
    """A statement the text makes, what it is linked to and, after checking, the verdict.

    ``value`` is a number in ``unit`` (USD bn, million troy oz, tonnes, percent, months, years, rank), a month
    (``YYYY-MM`` for "lowest since …"), or a direction ("down", "up"). ``period`` is ``YYYY-MM``, ``YYYY`` or
    ``FY2025``; ``period_note`` says how it was found when the text does not state it in full.
    """

    quote: str
    start: int
    end: int
    value: Any
    unit: str
    holder: str | None
    measure: str | None
    period: str | None
    verdict: str = "not_checkable"
    reason: str | None = None
    official_value: Any = None
    official_period: str | None = None
    series: str | None = None
    vintage: str | None = None
    source: str | None = None
    qualifier: str | None = None
    lang: str = "en"
    text: str = ""
    note: str | None = None
    period_note: str | None = None
    precision: float = 0.0
    holder_key: str | None = None
    gold_key: str | None = None
    period_start: str | None = None
    fuzz: int = 0
    day: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The JSON record (``--json``): every public field."""
        out = asdict(self)
        for key in ("precision", "holder_key", "gold_key", "fuzz", "day", "extra"):
            out.pop(key)
        return out


# -- sentences -------------------------------------------------------------------------------------------------------
#: Sentence ends: 。！？；!?; and closing quotes, a line end, a full stop before a space (with the closing quotes after
#: it: 'in December." The official also said'), a full stop before a capitalised word.
_BOUNDARY = guarded_re(r"[。！？；!?;]+[」』”\"')）]*|\n\s*\n|\n|(?<=[^\s.])\.[”\"’')）]*(?=\s)|"
                       r"(?<=[%a-z\d])\.(?=[\"“]?[A-Z][a-z])")
_ABBREV = re.compile(r"(?:\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mr|Ms|Dr|St|No|vs|approx|est|"
                     r"U\.S|e\.g|i\.e|etc|Inc|Co|Corp|Ltd)|\b[A-Z])$")


def iter_sentences(chunks: Iterable[str]) -> Iterator[tuple[int, str]]:
    """``(offset, sentence)`` pairs from a stream of text chunks, the sentence ends kept with their sentence."""
    buf = ""
    base = 0
    for chunk in chunks:
        buf += chunk
        pos = 0
        for m in _BOUNDARY.finditer(buf):
            if m.end() >= len(buf):  # the next chunk may extend this boundary
                break
            if m.group().rstrip("”\"’')）") == "." and _ABBREV.search(buf, max(0, m.start() - 8), m.start()):
                continue
            sentence = buf[pos : m.end()]
            if len(sentence) > MAX_SENTENCE:
                yield from _cut(base + pos, sentence)
            elif sentence.strip():  # the common case of _cut, without a generator per sentence
                yield base + pos, sentence
            pos = m.end()
        if pos == 0 and len(buf) > 4 * MAX_SENTENCE:
            cut = _cut_point(buf, 2 * MAX_SENTENCE)
            yield from _cut(base, buf[:cut])
            pos = cut
        buf = buf[pos:]
        base += pos
    if buf:
        yield from _cut(base, buf)


def _cut_point(text: str, limit: int) -> int:
    window = text[limit // 2 : limit]
    for sep in ("\n", "，", ", ", " "):
        k = window.rfind(sep)
        if k >= 0:
            return limit // 2 + k + len(sep)
    return limit


def _cut(offset: int, text: str) -> Iterator[tuple[int, str]]:
    while len(text) > MAX_SENTENCE:
        k = _cut_point(text, MAX_SENTENCE)
        yield offset, text[:k]
        offset, text = offset + k, text[k:]
    if text.strip():
        yield offset, text


_CJK = re.compile(r"[\u4e00-\u9fff]")


def detect_lang(text: str) -> str:
    """``zh`` when the text holds CJK ideographs, else ``en``."""
    return "zh" if _CJK.search(text) else "en"


#: A month stated as the figures' as-of date: 截至…底/末, "as of the end of December", "at the end of December".
_AS_OF_MONTH = re.compile(r"(?:截至|截止|\bas\s+of|\bat)\s*(?:the\s+)?(?:end\s+of\s+)?$", re.I)
_MONTH_END_WORD = re.compile(r"底|末|\bend\s+of\b", re.I)


#: Below this (USD bn: $100 million) an amount is no country's Treasury holdings unless a holding word says so.
_SMALL_LEVEL = 0.1
#: A forecast word before a figure in its clause ("Analysts expect … to stabilise at around $680 billion",
#: 未来数月…将大体稳定在6800亿美元): the figure is what is expected, not an observed one ("than expected",
#: "as expected" are past).
_FORECAST_BEFORE = re.compile(r"(?<!than\s)(?<!as\s)\b(?:expect(?:s|ed)?|forecasts?|forecast(?:ed|ing)|projected\s+to|"
                              r"predict(?:s|ed)?|(?:is|are)\s+(?:likely|set|poised)\s+to|"
                              r"will\s+(?:likely\s+|probably\s+)?(?:be|reach|fall|rise|drop|decline|climb|stay|remain|"
                              r"stabili[sz]e|hit|top|exceed|increase|grow|end|hover|settle)|"
                              r"in\s+the\s+(?:coming|next)\s+(?:few\s+)?(?:weeks|months|quarters|years))\b|"
                              r"預計|预计|預期|预期|未來|未来|有望|"
                              r"(?:將|将)(?:在|於|于|會|会|可能|繼續|继续|保持|維持|维持|穩定|稳定|大體|大体|大致|基本|達到|达到|突破|跌破|"
                              r"升至|降至|回升|回落|增至|減至|减至)", re.I)
#: An attribution clause ending in a forecast verb ("有分析人士预计，", "Analysts expect:"): what the sentence says
#: after it is the forecast, whatever clause the figure is in.
_FORECAST_LEAD = re.compile(r"(?:(?<!than\s)(?<!as\s)(?<!than\sit\s)\b(?:expect(?:s|ed)?|forecasts?|predict(?:s|ed)?)|"
                            r"(?<!不及)(?<!超)(?<!高於)(?<!高于)(?<!低於)(?<!低于)(?<!好於)(?<!好于)"
                            r"(?:預計|预计|預期|预期|預測|预测))\s*(?:[，,:：]|\s[—–-]\s)", re.I)
#: Measures a forecast word makes not checkable (CBO's projections of budget figures are checked as projections).
_FORECAST_MEASURES = frozenset({"holdings_level", "monthly_change", "annual_change", "monthly_change_pct",
                                "annual_change_pct", "gold_reserves", "gold_monthly_change", "yield"})
#: A clause that refers back to a peak named just before it ("…of their November 2013 peak, when they topped $1.3
#: trillion", 较2013年11月的峰值…，当时规模为1.32万亿美元): its figure is the peak's level.
_PEAK_BACK = re.compile(r"(?:^|[,，;；])\s*(?:(?:when|at\s+which\s+(?:point|time))\s+"
                        r"(?:they|it|holdings|the\s+holdings|China's\s+holdings|the\s+stockpile)\s+(?:had\s+)?"
                        r"(?:topped|peaked\s+at|stood\s+at|"
                        r"reached|hit|were|was|exceeded|surpassed|totaled|totalled)|(?:當時|当时|彼時|彼时)"
                        r"[^，,。；;\d]{0,12})\s*(?:about|around|roughly|nearly|some|over|more\s+than|almost|約|约|近|逾)?"
                        r"\s*$", re.I)
_HOLDING_VERB = re.compile(r"持有|持倉|持仓|持債|持债|\bhold(?:s|ing|ings)?\b|\bheld\b|\bowns?\b|\bowned\b", re.I)


def _ytd_lead(f: str, cs: int, quantities: list[Quantity]) -> bool:
    """Whether an earlier clause with no figure of its own says "so far this year" for the clause at ``cs``
    ("今年以來，央行累計增持黃金129萬盎司", "So far this year, China has added 1.29 million ounces")."""
    m = None
    for m in YEAR_TO_DATE.finditer(f, 0, cs):
        pass
    return m is not None and not any(m.end() <= q.start < cs for q in quantities)


#: A half or a quarter of a year as the span of a change: 上半年, 下半年, 一季度, 第二季, "the first half",
#: "the second quarter of 2025", Q3, H1 (not its end: 一季度末, "the end of the first quarter"; not a fiscal year's).
_PART_OF_YEAR = re.compile(
    r"(?:(?P<zy>(?:19|20)\d\d)\s*年\s*|(?P<zrel>今年|本年|去年|上年)\s*)?(?:(?P<zh>上半年|下半年)|"
    r"(?:第\s*(?P<zq>[一二三四1-4])\s*季度?|(?P<zq2>[一二三四1-4])\s*季度))(?!\s*(?:末|底|初|GDP))|"
    r"(?<!end of )(?<!close of )\b(?:the\s+)?(?P<ord>first|second|third|fourth)\s+(?P<unit>half|quarter)\b"
    r"(?!\s+of\s+(?:the\s+)?(?:(?:current|this|last)\s+)?(?:fiscal|FY))"
    r"(?:\s+of\s+(?:(?P<ey>(?:19|20)\d\d)\b|(?P<erel>this|last)\s+year\b))?|"
    r"\b(?P<qq>[QH][1-4])\b(?:\s*(?P<ey2>(?:19|20)\d\d)\b)?(?!\s+(?:of\s+)?(?:fiscal|FY))")
_SPAN_LEAD = re.compile(r"\s*(?:(?:in|during|over|for|across)\s+)?")
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "一": 1, "二": 2, "三": 3, "四": 4}


#: A fall stated before "from a record" ("fell in December from a record high"): the record is the fall's start.
_FELL_BEFORE = re.compile(r"\b(?:fell|dropped|declined|slipped|eased|retreated|slid|dipped|decreased|were\s+down|"
                          r"was\s+down)\b[^.;,]{0,40}$", re.I)


#: The unit of a list of bare numbers stated once before it: "(in billions of dollars", "in $ billions", 單位：十億美元.
_LIST_UNIT = re.compile(r"\bin\s+billions\s+of\s+(?:U\.?S\.?\s+)?dollars\b|\bin\s+(?:US\s*)?\$\s*(?:billions?|bn)\b|"
                        r"\bin\s+USD\s+(?:billions?|bn)\b|(?:單位|单位)\s*[:：]?\s*(?:十億|十亿)美元", re.I)
#: A holder's bare number in such a list, right after its name ("Belgium 477.3", "Belgium: 477.3").
_LIST_NUMBER = re.compile(r"\s*[:：]?\s*(\d{1,3}(?:,\d{3})*(?:\.(\d+))?)"
                          r"(?![\d.,]*\d|\s*(?:%|percent|per\s+cent|年|月))")


def _list_figures(f: str, quantities: list[Quantity], holders: list[tuple[int, int, Holder]]) -> list[Quantity]:
    """A table written in prose: "the numbers (in billions of dollars, end-December) were: Belgium 477.3, Canada
    472.2": after the unit stated once, each TIC holder's bare number right after its name is that many billions of
    dollars (``quantities`` with those added, in order)."""
    unit_at = _LIST_UNIT.search(f)
    if unit_at is None:
        return quantities
    added = []
    for h0, h1, h in holders:
        if not h.tic or h0 < unit_at.end():
            continue
        m = _LIST_NUMBER.match(f, h1)
        if m is None or any(q.start < m.end(1) and m.start(1) < q.end for q in quantities):
            continue
        decimals = len(m.group(2) or "")
        added.append(Quantity(m.start(1), m.end(1), m.group(1), float(m.group(1).replace(",", "")), "USD bn",
                              precision=0.5 * 10.0 ** (-decimals)))
    return sorted(quantities + added, key=lambda q: q.start) if added else quantities


def _part_of_year(f: str, lo: int, hi: int, article: date | None, period: DateMention | None,
                  after: bool = False) -> tuple[DateMention, DateMention, str] | None:
    """The half or quarter of a year named between ``lo`` and ``hi`` (the text before a change's figure, from the
    figure before it): ``(last month, the month before the span, words)``. A year stated with it is its year; else
    the last such span ended by the article's date (no date: the claim's period's year). ``after``: the words right
    after the figure ("fell $27.6 billion in the first half")."""
    m = None
    if after:
        m = _PART_OF_YEAR.match(f, lo + len(_SPAN_LEAD.match(f, lo, hi).group()), hi)  # type: ignore[union-attr]
    else:
        for m in _PART_OF_YEAR.finditer(f, lo, hi):
            pass
    if m is None:
        return None
    if m["zh"]:
        months, n = 6, 1 if m["zh"] == "上半年" else 2
    elif m["zq"] or m["zq2"]:
        months, n = 3, _ORD.get(m["zq"] or m["zq2"]) or int(m["zq"] or m["zq2"])
    elif m["ord"]:
        months, n = (6 if m["unit"].lower() == "half" else 3), _ORD[m["ord"].lower()]
        if months == 6 and n > 2:
            return None
    else:
        q = m["qq"].upper()
        months, n = (3 if q[0] == "Q" else 6), int(q[1])
        if months == 6 and n > 2:
            return None
    end_month = months * n
    year = m["zy"] or m["ey"] or m["ey2"]
    rel = m["zrel"] or m["erel"]
    if year is not None:
        y = int(year)
    elif article is not None:
        y = article.year - (1 if rel in ("去年", "上年", "last") else 0)
        if rel is None and (article.year, article.month) <= (y, end_month):
            y -= 1  # the span has not ended at the article's date: the last such span that has
    elif period is not None and period.year is not None:
        y = period.year
    else:
        return None
    end = DateMention(m.start(), m.end(), m.group(), y, end_month, kind="month")
    start = months_before(end, months)
    if start is None:
        return None
    return end, start, m.group().strip()


def extract_sentence(sentence: str, offset: int, lang: str, ctx: Context) -> list[Claim]:
    """Claims in one sentence (``offset``: where it starts in the whole text)."""
    f = fold_width(sentence)
    if TIMESTAMP_LEAD.match(f):  # a live blog's new entry: a day named in an earlier entry does not date its yields
        ctx.periods.pop("yield", None)
        ctx.last.pop("yield", None)
    if "," in f and FILLER.search(f):  # a transcript's ", uh," is no clause break ("they dumped, uh, 27 billion")
        f = FILLER.sub(lambda m: " " * len(m.group()), f)
    if (label := SPEAKER_LABEL.match(f)) is not None:  # "Q:", 央行總裁：: a frame after it opens the sentence
        f = " " * label.end() + f[label.end():]
    lang = detect_lang(f) if lang == "auto" else lang
    found_dates = find_dates(f)
    # a dateline ("(Yicai) Dec. 20 --", "7 月 19 日消息") or a release date ("18日公布") is not a claim's period
    found_dates = [d for d in found_dates if not (d.kind == "day" and (DATELINE_AFTER.match(f[d.end:d.end + 4]) or (
        d.year is not None and DATELINE_FULL_AFTER.match(f, d.end))))]
    # a day without a year ("on December 31", 12月31日) dates a market quote (a yield): monthly figures ignore it
    undated_days = [d for d in found_dates if d.kind == "day" and d.year is None]
    dates = [d for d in found_dates if not (d.kind == "day" and d.year is None)]
    # a stated as-of month ("截至2025年12月底", "as of the end of December") is the figures' period: a dated day
    # before it (a dateline "2026年2月19日", "Feb. 19, 2026 -") is when the text was written, not what it reports
    as_of = next((d for d in dates if d.kind == "month" and (
        _MONTH_END_WORD.search(d.text) or _AS_OF_MONTH.search(f[max(0, d.start - 14):d.start]))), None)
    if as_of is not None:
        dates = [d for d in dates if not (d.kind == "day" and d.end <= as_of.start)]
    past_years = find_past_years(f, found_dates)  # "last year", 去年: a year, for a yield only (see below)
    masked = list(f)
    for d in found_dates:
        masked[d.start : d.end] = " " * (d.end - d.start)
    quantities = find_quantities(f, "".join(masked))
    moves = [q for q in quantities if q.unit == "bp"]  # a yield's move in basis points: read apart (moves.py)
    quantities = [q for q in quantities if q.unit != "bp"] if moves else quantities
    starts = word_starts(f)
    holders = find_holders(f, starts)
    if _LIST_UNIT.search(f):
        quantities = _list_figures(f, quantities, holders)
    found_insts = [m for m in find_words(INSTRUMENT_RES, f, starts) if m.lastgroup]
    specific = [m for m in found_insts if m.group().lower() != "holdings"]
    # the bare word "holdings" means Treasuries only when nothing more specific is named ("gold holdings")
    insts = [(m.start(), m.end(), m.lastgroup) for m in (specific or found_insts)]
    clauses = label_clauses(f, clause_spans(f), quantities)
    claims: list[Claim] = []

    def clause_of(pos: int) -> tuple[int, int]:
        for c in clauses:
            if c[0] <= pos <= c[1]:
                return c
        return 0, len(f)

    compared: dict[int, bool] = {}

    def comparative(d: DateMention) -> bool:
        if d.start not in compared:
            # English puts the date after the amount: "up from $8.527 trillion in January"
            # Chinese frames the base: 与2024年12月相比 (the base of a comparison, never the sentence's period)
            compared[d.start] = bool(COMPARATIVE.search(f[max(0, d.start - 14) : d.start]) or EN_COMPARED.search(
                f[max(0, d.start - 48) : d.start]) or (ZH_COMPARE_BEFORE.search(f[max(0, d.start - 4):d.start])
                                                       and ZH_COMPARE_AFTER.match(f, d.end)))
        return compared[d.start]

    # "日本、英國分別持有A及B", "Japan and Britain held A and B respectively": holders and figures pair in order
    paired: dict[int, Holder] = {}
    if quantities and RESPECTIVELY.search(f):
        first = quantities[0].start
        named = [h for h in holders if h[1] <= first and h[2].tic]
        same = [q for q in quantities if q.unit == quantities[0].unit]
        if len(named) == len(same) >= 2:
            paired = {q.start: h[2] for q, h in zip(same, named, strict=True)}

    subjects_found: list[list[tuple[int, int, Holder]]] = []
    # holders named inside a relative clause or brackets ("Belgium, where Euroclear custodies many Chinese assets,
    # was…") describe something else: a figure outside takes the holder of the main clause
    embedded = embedded_spans(f, holders) if holders else []
    # (when every holder is inside one — "the second-largest holder (Britain) had…" — they are the ones named)
    main_holders = ([h for h in holders if not inside_any(h[0], embedded)] or holders) if embedded else holders

    def holder_at(pos: int, end: int) -> Holder | None:
        if pos in paired:
            return paired[pos]
        # "behind Britain's $866.0 billion", 落后于英国的8660亿美元: a possessive right before the figure names its
        # holder, even a holder named as a comparison
        owner = [h for h in holders if h[1] <= pos and _POSSESSIVE_GAP.fullmatch(f, h[1], pos)]
        if owner:
            return owner[-1][2]
        if not subjects_found:  # the holders not named as a comparison, worked out once per sentence
            subjects_found.append([h for h in holders if not COMPARED_HOLDER.search(f[max(0, h[0] - 40):h[0]])])
        cs, ce = clause_of(pos)
        pools = [holders] if not embedded or inside_any(pos, embedded) else [main_holders, holders]
        for visible in pools:
            subjects = [h for h in subjects_found[0] if h in visible]
            before = [h for h in subjects if h[1] <= pos] or [h for h in visible if h[1] <= pos]
            if before:
                return before[-1][2]
            # (not a holder named as a comparison: "the $75.5 billion it shed is smaller than Japan's gain")
            after = [h for h in visible if h[0] >= end and h[0] <= ce and h in subjects_found[0]]
            if after:
                return after[0][2]
        return ctx.holder

    def instrument_at(pos: int, unit: str) -> str | None:
        if unit in ("million troy oz", "tonnes"):
            return "gold"
        cs, ce = clause_of(pos)
        local = [i for i in insts if cs <= i[0] and i[1] <= ce]
        if unit == "percent":  # "the average 10-year Treasury yield": Treasury names the yield's bond, not holdings
            local = [i for i in local if not (i[2] == "ust" and any(
                j[2] == "yield" and not f[i[1]:j[0]].strip() for j in local))] or local
        if local:
            near = min(local, key=lambda i: min(abs(i[0] - pos), abs(i[1] - pos)))
            return near[2]
        before = [i for i in insts if i[1] <= pos]
        if before:
            return before[-1][2]
        after = [i for i in insts if i[0] >= pos]
        return after[0][2] if after else ctx.instrument

    # explicit years stated earlier in the sentence anchor bare months (2025年10月…9月)
    def anchor_year(d: DateMention) -> int | None:
        """The year a month or day written without one (``d``) takes from a date stated before it in the sentence.

        A month with its year ("2025年10月…9月", "in October 2025 … September") lends its year. A full date (a
        dateline "WASHINGTON, March 20, 2026 -", "Feb. 2, 2026", 2026年3月20日) lends it to its own month only:
        another month (or a day of another month) is the latest such month by that date — by the article's date
        (with the series' publication lag: None here) when the full date is the article's.
        """
        prior = [x for x in dates if x.year is not None and x.month is not None and x.end <= d.start
                 and x.kind in ("month", "day")]
        if not prior:
            return None
        a = prior[-1]
        if (recent_year := _recent_day_year(d, a, ctx.article)) is not None:
            return recent_year
        if a.kind != "day" or a.day is None or d.month is None or d.month == a.month or a.year is None:
            return a.year
        if ctx.article is not None and (a.year, a.month, a.day) == (
                ctx.article.year, ctx.article.month, ctx.article.day):
            return None  # the dateline: the month is resolved against the article's date
        return a.year if a.month is not None and d.month < a.month else a.year - 1

    def resolve(d: DateMention | None, family: str) -> DateMention | None:
        if d is None:
            return None
        if d.kind == "prev":
            base = main_resolved if main_resolved is not None and main_resolved.start != d.start else \
                ctx.carried(family)
            if base is None or base.year is None or base.month is None:
                return None
            y, mth = (base.year, base.month - 1) if base.month > 1 else (base.year - 1, 12)
            return replace(d, year=y, month=mth, kind="month")
        if d.kind == "now":
            return None  # "now", 目前: the latest release at the article's date (the checker picks it)
        if d.kind == "same":  # 同期, "the same month": the period stated last for this family of series
            inside = [x for x in dates if x.end <= d.start and x.month is not None and x.kind in ("month", "day")]
            if inside and THAT_MONTH.fullmatch(d.text.strip()):  # "2月末…，當月僅增加3萬盎司": that month
                return resolved(inside[-1], ctx.article, family, anchor_year(inside[-1]))
            return ctx.same(family)
        if d.kind == "then":  # 當時: the date stated last before it (this sentence first)
            here = ctx.period.iso if ctx.period else None
            inside = [x for x in dates if x.end <= d.start and x.year is not None and x.month is not None
                      and x.kind in ("month", "day")]
            if inside:
                return inside[-1]
            # the last date stated in the text so far (scanned from the end: the list grows with the text)
            return next((x for x in reversed(ctx.explicit) if x.iso != here), None)
        return resolved(d, ctx.article, family, anchor_year(d))

    since: dict[int, bool] = {}

    def since_base(d: DateMention) -> bool:
        """Whether a "since" runs from ``d`` ("2008年10月以來最低", "lowest since February 2009"): not a period."""
        if d.start not in since:
            since[d.start] = bool(SINCE_AFTER_DATE.match(f, d.end) or SINCE_END.search(f[max(0, d.start - 7):d.start])
                                  or SINCE_ZH_AFTER.match(f, d.end))
        return since[d.start]

    def peak_date(d: DateMention) -> bool:
        """Whether ``d`` dates a peak ("its November 2013 peak", 2013年11月的峰值, "peaked in November 2013")."""
        return bool(PEAK.search(f[d.end:d.end + 12]) or PEAK_THEN.search(f[max(0, d.start - 48):d.start]))

    def growth_base(d: DateMention) -> bool:
        """Whether ``d`` is written as the base of a growth rate ("from fiscal 2022", "than in fiscal 2024", 較2022財年,
        2022財年以來)."""
        return bool(comparative(d) or since_base(d) or BASE_BEFORE.search(f[max(0, d.start - 30):d.start])
                    or BASE_AFTER.match(f, d.end))

    # the sentence's own period: the first date that is not a comparison base, nor a peak's date ("their November
    # 2013 peak", 2013年11月巅峰时, "peaked at $1.32 trillion in November 2013": the peak's, never the period of the
    # sentence's other figures; a peak figure itself still takes the date next to it)
    main_dates = [d for d in dates if not comparative(d) and d.kind in ("month", "day", "fiscal", "year", "same")
                  and not since_base(d) and not PEAK_NOUN_AFTER.match(f, d.end)
                  and not PEAKED_THEN.search(f[max(0, d.start - 48):d.start])]
    main = main_dates[0] if main_dates else None
    main_resolved = None
    if main is not None and main.kind == "same":
        main_resolved = ctx.same("tic")
    elif main is not None and main.kind != "prev":
        main_resolved = resolved(main, ctx.article, "tic", anchor_year(main))

    # quantities that are thresholds of another claim ("維持在9兆美元以上", "below $1 trillion since")
    thresholds: dict[int, Quantity] = {}
    year_of_fiscal: DateMention | None = None  # a calendar year that dated a budget figure of this sentence
    for i, q in enumerate(quantities):
        if q.unit != "USD bn":
            continue
        if HOLD_AT_END.search(f[max(0, q.start - 6):q.start]) and re.match(
                r"\s*(?:以上|之上|以下)", f[q.end:q.end + 4]):
            thresholds[i] = q
        elif THRESHOLD_END.search(f[max(0, q.start - 12):q.start]) and SINCE_AHEAD.search(f[q.end:]):
            thresholds[i] = q
    # "below $700 billion for six consecutive months", 連續六個月低於7000億美元: the amount is the threshold of the run
    # of months the count states (a static word, in the count's clause: 跌破, "fell below" are a month's crossing)
    streak_side: dict[int, str] = {}
    if CONSECUTIVE.search(f):
        for i, q in enumerate(quantities):
            lead_in = f[max(0, q.start - 24):q.start]
            if q.unit != "USD bn" or i in thresholds or CROSS_VERB.search(lead_in):
                continue
            below = BELOW_END.search(lead_in) or BELOW_AFTER.match(f, q.end)
            above = ABOVE_END.search(lead_in) or ABOVE_AFTER.match(f, q.end)
            if (below or above) and any(x.unit == "months" and not re.search(r"[,，;；。]", f[min(x.end, q.end):max(
                    x.start, q.start)]) for x in quantities):
                thresholds[i] = q
                streak_side[i] = "below" if below else "above"
    # "fell below $700 billion in July for the first time since 2008", 2008年以來首次跌破7000億美元: the threshold
    # crossed, and the last time before that it was on that side
    # (since date, threshold index, below/above, crossed, where the words start)
    first_since: list[tuple[DateMention, int, str, bool, int]] = []
    for d in (dates if dates and FIRST_HINT.search(f) else ()):
        if d.kind not in ("month", "year", "day") or not (
                FIRST_SINCE_EN.search(f[max(0, d.start - 90):d.start]) or FIRST_SINCE_ZH.match(f, d.end)):
            continue
        crossings = []
        for i, q in enumerate(quantities):
            if q.unit != "USD bn":
                continue
            lead_in = f[max(0, q.start - 24):q.start]
            below = BELOW_END.search(lead_in) or BELOW_AFTER.match(f, q.end)
            above = ABOVE_END.search(lead_in) or ABOVE_AFTER.match(f, q.end)
            if below or above:
                word = below or above
                begin = q.start - len(lead_in) + word.start() if word.end() <= len(lead_in) else q.start
                crossings.append((abs(q.start - d.start), i, "below" if below else "above",
                                  bool(CROSSED.search(lead_in) or CROSS_VERB.search(lead_in)), begin))
        if crossings:
            _gap, i, side, crossed, begin = min(crossings)
            thresholds[i] = quantities[i]
            first_since.append((d, i, side, crossed, begin))

    stripped = sentence.strip()

    def make(start: int, end: int, value: Any, unit: str, holder: Holder | None, measure: str | None,
             period: DateMention | None, reason: str | None = None, **kw: Any) -> Claim:
        return Claim(quote=sentence[start:end], start=offset + start, end=offset + end, value=value, unit=unit,
                     holder=holder.name if holder else None, measure=measure,
                     period=period.iso if period and (period.year is not None or period.kind == "fiscal") else None,
                     reason=reason, lang=lang, text=stripped, holder_key=holder.tic if holder else None,
                     gold_key=holder.gold if holder else None, fuzz=period.fuzz if period else 0,
                     day=period.day if period else None, **kw)

    seen: dict[int, bool] = {}
    stated: dict[str, DateMention] = {}  # family → a period this sentence states for a figure of that family

    def base_quote(j: int) -> bool:
        """Whether quantity ``j`` is the base of a comparison ("from 4.25% on Thursday", 較週四的4.25%,
        高於前一日的X)."""
        lo_j, at = quantities[j - 1].end if j > 0 else 0, quantities[j].start
        if FROM_END.search(f[lo_j:at]) or _BASE_BEFORE_ZH.search(f[lo_j:at]):
            return True
        # "from Thursday's 4.25%": the comparison word before the day that dates the figure
        return any(lo_j <= d.start and d.end <= at and _BASE_DAY_BEFORE.fullmatch(f, d.end, at) and
                   FROM_END.search(f[lo_j:d.start]) for d in dates + undated_days)

    def base_day_of(d: DateMention) -> int | None:
        """The comparison base a day dates ("from 4.25% on Thursday", "from Thursday's 4.25%", 較週四的4.25%): the
        index of that base figure, else None. Such a day dates that figure only, not the sentence's other quotes."""
        for j, x in enumerate(quantities):
            if x.end <= d.start and _BASE_DAY_AFTER.fullmatch(f, x.end, d.start) and base_quote(j):
                return j
            if d.end <= x.start and _BASE_DAY_BEFORE.fullmatch(f, d.end, x.start) and base_quote(j):
                return j
        return None
    yield_period: DateMention | None = None  # the period of the last yield of the sentence (for a clause after "；")
    year_frame = _FRAMED_YEAR.match(f)
    if year_frame is not None and quantities and year_frame.end() > quantities[0].start:
        year_frame = None
    trade_end: int | None = None  # where the last trade figure of the sentence ends
    pair_from: tuple[int, DateMention] | None = None  # a dated start of "from X to Y": its index and month
    pair_span: tuple[DateMention, DateMention] | None = None  # the months of a dated "from X to Y" pair
    dated_levels: list[tuple[str, DateMention]] = []  # the holdings levels with their own month: holder, month
    for i, q in enumerate(quantities):
        if i in thresholds:
            continue
        cs, ce = clause_of(q.start)
        lo = max(cs, quantities[i - 1].end if i > 0 else 0)
        hi = min(ce, quantities[i + 1].start if i + 1 < len(quantities) else len(f))
        before, after = f[lo:q.start], f[q.end:hi]
        monthly = q.raw.lower().find("monthly ") if q.ordinal else -1
        if monthly >= 0:  # "the fourth straight monthly decline": the change word is inside the figure's words
            after = q.raw[monthly:] + after
        holder = holder_at(q.start, q.end)
        inst = instrument_at(q.start, q.unit)
        if q.unit == "percent" and (inst in ("ust", None) or not any(cs <= i0 and i1 <= ce and i0 < q.start
                                                                     for i0, i1, _k in insts)) \
                and TENOR_QUOTED.search(f, cs, q.start):
            # "The ten-year closed at 4.03%", "10年期公債3月2日收在4.05%": a tenor named as the subject of the
            # figure's clause wins over an instrument named outside it — in another clause ("Gold rose 2%, while the
            # 10-year…") or carried from an earlier sentence (gold, FX reserves, net interest, a tariff)
            inst = "yield"
        elif q.unit == "percent" and inst == "yield" and ((OTHER_PCT_SUBJECT.search(f, cs, q.start) and not (
                INSTRUMENT_RE.search(f, cs, q.start) or TENOR_QUOTED.search(f, cs, q.start))) or (
                cs > 0 and not _subject_in_clause(f, cs, q.start) and _subject_clause_other_pct(f, clauses, cs))):
            inst = None  # "…, while the S&P 500 rose 0.4%": a percentage of another subject, not a yield
        elif q.unit == "percent" and inst in ("ust", None) and claims and claims[-1].measure == "yield" and (
                FROM_BASE_END.search(before) or DAY_BEFORE.search(before + " " + after)):
            inst = "yield"  # "the 10-year fell to 4.09%, from 4.18% the day before": the base of the yield's move
        elif q.unit == "percent" and inst != "yield" and _CLOSE_AFTER.match(f, q.end) and \
                any(k == "yield" for _i0, _i1, k in insts):
            inst = "yield"  # 以昨日4.69%的收盘价计，…收益率…: a close, in a sentence naming a yield, is the yield's
        if q.unit == "percent" and inst == "yield" and SPREAD.search(f, cs, q.start):
            inst = None  # "2s10s at 0.6%": the spread between two tenors, not a yield the store holds
        value: float = q.value
        precision = q.precision
        unit = q.unit
        note = None
        if unit == "number" and q.scaled and not q.count and i > 0 and \
                quantities[i - 1].unit not in ("number", "percent") and \
                quantities[i - 1].scaled and (q.end - quantities[i - 1].end) < 80:
            unit = quantities[i - 1].unit  # "to 74.19 million ounces from 74.15 million": the unit is not repeated
            factor = {"USD bn": 1e-9, "million troy oz": 1e-6}.get(unit, 1.0)
            value, precision = q.value * factor, q.precision * factor
            note = "unit not repeated: taken from the figure before"
        if unit == "number" and inst in ("ust", "interest", "debt", "fx", "reserves", "flows") and q.scaled and \
                not q.count and (names_subject(f, q, quantities, insts, holders) or EN_BILLIONS.search(q.raw)):
            # 億 / billion with the currency left out ("日本持有1兆1893億"): a dollar amount only when its own clause
            # names what or whose it is — not a count elsewhere in the sentence ("点赞超过10万+，…中国…美债")
            value, unit, precision = q.value * 1e-9, "USD bn", q.precision * 1e-9
        if unit == "USD bn" and not q.scaled and q.value * 1e9 >= 1 and inst not in ("gold", None):
            # "$1,079.3" with no scale word: read in billions, the unit of the TIC and CBO tables
            value, precision = round(q.value * 1e9, 6), q.precision * 1e9
            note = "no scale printed; read as billions (the unit of the official table)"
        if (unit == "USD bn" and inst == "ust" and value > 20_000
                and not any(h[2] is holder and cs <= h[0] < ce for h in holders)):
            inst = "debt"  # tens of trillions with no holder named: the federal debt, not anyone's holdings
        if inst in ("interest", "debt", "deficit", "customs") and not insts and holder is not None and \
                holder.tic and any(h[2] is holder for h in holders):
            # a carried fiscal word does not reach a sentence about a country ("中国稀土…约占全球的69%"); its
            # dollar amounts keep the instrument of the last sentence that stated amounts (Treasuries before "… a
            # 15% tariff on Japanese goods. Britain held $866.0 billion")
            inst = ctx.money_instrument if unit == "USD bn" and ctx.money_instrument == "ust" else None
        if inst == "yield" and unit == "USD bn" and not insts and holder is not None and holder.tic and any(
                h[2] is holder and h[1] <= q.start for h in holders):
            # "…as investors chased higher U.S. yields. Britain, the second-largest holder, held $889.0 billion": a
            # yield carried from the sentence before does not reach the dollar amount of a holder named before it
            # (a country in the TIC table: its Treasuries, unless the last amounts were of something else)
            inst = "ust" if ctx.money_instrument in (None, "ust", "yield") else None
        if inst in ("interest", "debt", "deficit", "customs"):
            holder = Holder("US federal government", None)
        elif inst == "yield":
            holder = None
        # (a length of time before the figure is part of a cue, not a figure: "In the past 12 months, … $75.5bn")
        prior = i - 1
        while prior >= 0 and quantities[prior].unit in ("months", "years", "days"):
            prior -= 1
        lead = f[quantities[prior].end if prior >= 0 else 0 : q.start]
        span_lead = lead  # where a span of the change is looked for (過去6個月減少: 月減 is no month-on-month cue)
        own_monthly = MONTH_ON_MONTH.search(lead) is not None
        if own_monthly:
            lead = ""  # 環比 / month on month: not a yearly comparison
            if MONTH_ON_MONTH.search(CHANGE_SPAN.sub(" ", span_lead)):
                span_lead = ""
        elif prior >= 0 and lang == "en":
            # "fell $75.5bn from a year ago, and …": the previous figure's
            lead = span_lead = CUE_OF_PREVIOUS.sub("", lead)
        if year_frame is not None and prior >= 0 and not own_monthly and not ANNUAL.search(lead):
            lead = year_frame.group() + lead  # 与一年前相比，日本增持…，而中国减持755亿美元: the frame is both figures'
        # the words after the figure up to the next figure of its unit (English states its comparison there)
        next_same = next((x.start for x in quantities[i + 1:] if x.unit == q.unit), len(f))
        ahead = f[q.end:next_same]
        if own_monthly and (later := ANNUAL.search(ahead)) is not None:
            ahead = ahead[:later.start()]  # "按月減少38億美元，按年減少約11%": the later 按年 is the next figure's cue
        measure, reason = apply_rules(unit, inst, before, after, f, holder is not None, lead, seen, ahead)
        if measure is None and inst == "deficit" and ctx.fiscal and len(ctx.recent) >= 2 and \
                _DEFICIT_WORD.search(f, cs, q.start) and not BUDGET_DEFICIT.search(f) and \
                BUDGET_DEFICIT.search(ctx.recent[-2]):
            # "At the end of fiscal 2025, debt held by the public stood at $30.2 trillion. The deficit for that year
            # was $1.78 trillion.": the budget (its fiscal year) named in the sentence before is this deficit's
            measure, reason = apply_rules(unit, inst, before, after, ctx.recent[-2] + " " + f, holder is not None,
                                          lead, {}, ahead)
        if unit == "percent" and inst == "yield" and (other_rate_named(f, cs, q.start) or (
                cs > 0 and not _subject_in_clause(f, cs, q.start) and _subject_clause_other_rate(f, clauses, cs))):
            # "Thirty-year mortgage rates rose to 6.81%", 10年期台灣公債殖利率約1.4%: another rate, whatever its tenor
            # (also when the rate is named in an earlier clause and the figure's own names no subject: "Germany's
            # 10-year Bund, by comparison, sits near 2.9%")
            measure, reason, inst = None, OTHER_RATE_REASON, None
        if measure is not None and _retracted(f, q.start, q.end):
            # "closed at 4.69% on Aug. 20, not 4.96% as originally reported": the wrong figure a correction retracts
            measure, reason = None, RETRACTED_REASON
        if measure == "decline_from_peak_pct" and not PEAK.search(f, 0, ce) and (
                CHANGE_SPAN.search(f, cs, q.start) or VAGUE_SPAN.search(f, cs, q.start)):
            # "Over the past five years China's holdings fell 36%, and they now stand at half their 2013 peak": the
            # span before the figure dates its change; a peak named only in a later clause is another figure's
            measure, reason = apply_rules(unit, inst, before, after, PEAK.sub(" ", f), holder is not None, lead, {},
                                          ahead)
        if unit == "USD bn" and measure in _HOLDING_MEASURES and (_TENOR_AFTER.match(f, q.end) or (
                _AUCTION.search(f, cs, ce) and not any(h[2].tic and cs <= h[0] < ce for h in holders))):
            # "The Treasury sold $39 billion of 10-year notes this week": an auction's size, not a holder's holdings
            # or their change (a holder carried from an earlier sentence does not reach it)
            measure, reason, holder = None, ("the size of a Treasury auction or issue, not a holder's holdings: not a "
                                             "stored series"), None
        if unit == "USD bn" and measure in _HOLDING_MEASURES and _other_security(f, cs, ce, q.start, q.end, insts):
            # 中国持有的美国机构债约为2600亿美元, "$260 billion of agency debt": holdings of another US security
            # (agency bonds, MBS, corporate bonds, equities) named for the figure, not its holder's Treasuries
            measure, reason, holder = None, ("holdings of another security (agency bonds or MBS, corporate bonds, "
                                             "equities), not Treasuries: not in the store"), None
        if unit == "USD bn" and measure is not None and (_PER_UNIT.search(f, max(cs, q.start - 16), q.start)
                                                         or _after_per_unit_step(f, q.start)):
            # 每发行1000亿美元国债将推高收益率2至3个基点, "each $100 billion issued adds 3 bp": the unit of a
            # sensitivity or a hypothetical, not a holder's holdings (nor a year's budget figure)
            measure, reason, holder = None, ("an amount per unit of a hypothetical or a sensitivity ('each $100 "
                                             "billion', 每…): not an observed figure"), None
        if measure in _BUDGET_LEVELS and unit == "USD bn" and _FISCAL_TO_DATE.search(f, cs, ce):
            # "so far this fiscal year", 本财年前五个月, "in the first half of fiscal 2026": part of a fiscal year,
            # not the year's total
            measure, reason = None, ("a part of a fiscal year (the months so far, a half, a quarter), not the whole "
                                     "year's figure: CBO's table holds whole fiscal years; not checked")
        if measure in _BUDGET_LEVELS and unit == "USD bn" and (
                _MULTI_YEAR.search(f, q.end, ce) or _MULTI_YEAR.search(f, cs, q.start)):
            # "add about $3 trillion to interest costs over ten years", 未来十年累计: a sum over several fiscal
            # years, not one year's figure
            measure, reason = None, ("a sum over several years (a ten-year cost, a cumulative total), not one fiscal "
                                     "year's figure: not checked")
        inst_m = _ONE_INSTITUTION.search(f, cs, q.start) or (
            # 一家本地銀行表示，其持有的美債規模達120億美元: 其 ("its") in the figure's clause refers to the
            # institution named in the clause before
            _ITS.search(f, cs, q.start) and _last(_ONE_INSTITUTION.finditer(f, 0, cs)))
        if unit == "USD bn" and measure in _HOLDING_MEASURES and inst_m and (holder is None or holder.tic) and \
                not any(h[2].tic and inst_m.start() <= h[0] < q.start for h in holders):
            # 其所在机构去年以来减持了约20亿美元美债, "his bank sold $2 billion": one institution's trade, not a
            # country's holdings (the country carried from an earlier sentence does not reach it)
            measure, reason, holder = None, ("one institution's holdings or trade (a bank, a fund), not a country's "
                                             "in the TIC table: nothing official to check it against"), None
        if unit in ("USD bn", "percent") and measure in _TRADE_CLASHES and (
                _trade_figure(f, cs, q.start, q.end) or (trade_end is not None and not _HOLDINGS_AFTER_TRADE.search(
                    f, trade_end, q.start) and not any(trade_end <= h[0] < q.start for h in holders))):
            # "China's exports to the United States fell 20% to $308 billion", 对美出口下降20%至3080亿美元: a trade
            # figure named in the figure's own clause, not the holder's Treasuries (carried from an earlier sentence)
            measure, reason, holder = None, ("a trade figure (exports, imports, a trade balance), not Treasury "
                                             "holdings: not in the store"), None
            trade_end = q.end  # 出口下降20%，至3080亿美元: the next figure of the same subject, in the next clause
        if measure in _FORECAST_MEASURES and (_FORECAST_BEFORE.search(f, cs, q.start) or _FORECAST_LEAD.search(
                f, 0, cs)):
            # "Analysts expect … to stabilise at around $680 billion", 未来数月…将大体稳定在6800亿美元: what is
            # expected, not a figure the data can show yet
            measure, reason = None, "a forecast: not an observed figure"
        if measure == "deficit" and (_DEFICIT_CHANGE_BEFORE.search(f, max(cs, q.start - 40), q.start) or
                                     _DEFICIT_CHANGE_AFTER.match(f, q.end)):
            # "the deficit narrowed by $56 billion", 赤字收窄了560亿美元: a change in the deficit, not its level
            measure, reason = None, "a change in the deficit, not a fiscal year's deficit: not checked"
        if measure in _BUDGET_LEVELS and unit == "USD bn" and (
                _CONDITIONAL.search(f, 0, q.start) or _WOULD_ADD.search(f, cs, q.start)):
            # "a one-point rise in rates would add $350 billion a year to interest costs", 如果利率上升…将增加3500亿:
            # what a condition would bring, not a year's figure
            measure, reason = None, "a hypothetical (what a condition would add or cost), not an observed figure"
        if measure in _BUDGET_LEVELS and (cbo := _CBO_PROJECTED.search(f, 0, q.start)) and \
                not _NOT_PROJECTED.search(f, cbo.end(), q.start) and not _past_outcome_clause(f, cbo.end(), cs, ce,
                                                                                           q.start):
            # "The Congressional Budget Office projected in January 2025 that net interest would total $952
            # billion in fiscal 2025": CBO's projection, reported as one (its baseline: the month stated, if any)
            made = [d for d in dates if d.kind == "month" and d.year is not None and d.month is not None and
                    cbo.start() - 40 <= d.start < q.start]
            cbo_made: str | None = f"{made[0].year}-{made[0].month:02d}" if made else "latest"
        else:
            cbo_made = None
        # "Net interest reached $1.04 trillion in fiscal 2026", 2026财年净利息支出已达…: an observed outcome stated (a
        # past-tense verb of a result, no word of a projection or a condition in the clause)
        outcome = measure in _BUDGET_LEVELS and cbo_made is None and bool(
            _OUTCOME_VERB.search(f, max(cs, q.start - 30), q.start)) and not _PROJECTION_WORD.search(f, cs, ce)
        if measure == "holdings_level" and (back_m := _PEAK_BACK.search(f, max(0, lo - 1), q.start)) is not None and \
                PEAK.search(f, max(0, back_m.start() - 24), back_m.start() + 1):
            # "…of their November 2013 peak, when they topped $1.3 trillion": the peak's level
            measure = "holdings_peak"
        if measure and measure.startswith("gold") and unit in ("tonnes", "million troy oz") and \
                _OTHER_COMMODITY.search(f, cs, ce) and not _GOLD_WORD.search(f, cs, ce):
            # "270,000 tonnes of rare-earth oxide", 稀土矿产量约27万吨: a tonnage of another commodity named in the
            # figure's clause (gold carried from an earlier sentence does not reach it)
            measure, reason, holder = None, ("a quantity of another commodity (rare earths, ore, oil…) named in "
                                             "its clause, not gold: not a stored series"), None
        elif measure and measure.startswith("gold") and unit in ("tonnes", "million troy oz") and \
                abs(value) > (_MAX_GOLD_TONNES if unit == "tonnes" else _MAX_GOLD_MOZ):
            # "reserves of 44 million tonnes", "world output was 390,000 tonnes": more than any central bank
            # holds in gold (the largest holds about 8,100 t) is no gold reserve figure, nor a month's change
            measure, reason, holder = None, ("more than any central bank holds in gold: not a gold reserve "
                                             "figure (another commodity's quantity): not a stored series"), None
        elif measure and measure.startswith("gold") and unit in ("tonnes", "million troy oz") and \
                not _GOLD_WORD.search(f) and (_OTHER_COMMODITY.search(f) or ctx.commodity in ("other", "ree") or (
                    unit == "tonnes" and ctx.commodity is None)):
            # "China mined 270,000 tonnes of rare earths last year. World output was 390,000 tonnes.": with no gold
            # named in its sentence, a quantity takes the commodity the sentences before were about; a tonnage is
            # gold only when gold is named for it ("China sits on reserves of 44 million tonnes": not gold)
            measure, reason, holder = None, ("a quantity with no gold named for it (in its sentence, or as the "
                                             "subject of the sentences before): not gold reserves; another "
                                             "commodity's quantity is not a stored series"), None
        elif measure in ("monthly_change_pct", "annual_change_pct") and _SINCE_BARE.match(f, q.end, ce) and \
                len(ctx.recent) >= 2 and PEAK.search(ctx.recent[-2]) and not PEAK.search(f):
            # "Peak was $1.32tn in Nov 2013. Down 48% since.": a fall "since" with no date of its own, right after a
            # sentence naming a peak, is the fall from that peak
            measure = "decline_from_peak_pct"
        ree_sid = None
        if unit == "tonnes" and not (measure or "").startswith("gold") and \
                (ree_sid := _rare_earth_series(f, cs, ce, q.start, ctx.commodity)) is not None:
            # "China mined 270,000 tonnes of rare earths in 2025", 中国稀土储量为4400万吨: USGS's rare-earth mine
            # production or reserves (tonnes of rare-earth oxide) of the country (or the world) named for it
            measure, reason, holder = "ree_" + ree_sid.split(".")[2], None, None
        if measure == "holdings_level" and q.sign:
            measure = "monthly_change"  # "HK +$11.2bn": a figure written with its sign is a change, not a level
        if q.count and unit == "number":
            measure, reason, holder = None, "a count of people or things, not an amount", None
        if holder is not None and holder.tic is None and holder.name != "US federal government" and unit in (
                "USD bn", "million troy oz", "tonnes"):
            measure, reason = None, (f"{holder.name} is a single institution, not a holder in the official tables "
                                     "(TIC counts countries' residents): nothing official to check its figure against")
        if measure == "net_interest_growth_pct" and claims and claims[-1].measure in (
                "net_interest_pct_gdp", "net_interest_pct_revenue") and FROM_END.search(before):
            # "3.2% of GDP in fiscal 2025, up from 3.0% in fiscal 2024": the share at the base, not a growth rate
            measure = claims[-1].measure
        pct_of = claims[-1] if claims and claims[-1].measure else None  # the change a percentage restates
        if measure in (None, "monthly_change_pct", "annual_change_pct") and unit == "percent" and claims and \
                OR_PCT.fullmatch(before):
            # "rose $818 billion, or 10.2%", "同比减少755亿美元，降幅约9.9%": the change before, in percent — also
            # past the level it went to ("fell $75.5 billion over the past year to $683.5 billion …, or about 10%")
            back = len(claims) - 1
            while back > 0 and claims[back].measure is None and claims[back].unit in ("years", "months"):
                back -= 1  # "fell $389 billion over the past five years, or 36%": past the length of time
            last = back
            while back > 0 and claims[back].measure == "holdings_level" and \
                    claims[back].holder == claims[last].holder:
                back -= 1
            if claims[back].measure in ("monthly_change", "annual_change"):
                measure, reason, pct_of = claims[back].measure + "_pct", None, claims[back]
        if measure == "holdings_level" and value is not None and abs(value) < _SMALL_LEVEL and \
                not _HOLDING_VERB.search(f, cs, ce) and not any(
                h[2] is holder and (cs <= h[0] < ce or 0 <= q.start - h[1] <= 3) for h in holders):
            # "最低入場門檻已降至1萬美元": a small sum with no holding word and no holder named in its clause is
            # nobody's holdings (a holder named with it: a unit error, "比利時4773萬美元")
            measure, reason, holder = None, ("a small amount with no holding word (held, 持有): not a holder's "
                                             "holdings"), None
        # a change stated over a span ("over the past five years", 較5年前, 近十年): from that many months before
        # the claim's month (below); a span not counted ("over the past few years") or a yearly rate over a span
        # ("8.5% a year on average", 年均): not checked, never the one-month change
        span: ChangeSpan | None = None
        if measure in _SPAN_MEASURES:
            if pct_of is not None and measure == f"{pct_of.measure}_pct" and OR_PCT.fullmatch(before):
                # "fell $389 billion over the past five years, or 36%": the span of the change it restates
                months = pct_of.extra.get("span_months")
                span = ChangeSpan(months, pct_of.extra.get("span_text", "")) if months else None
            else:
                lead_at = q.start - len(span_lead)
                span = change_span(span_lead, ahead, before, after, own_lead=lang != "en" or prior < 0,
                                   dated=[d.start - lead_at for d in found_dates if d.month is not None
                                          and lead_at <= d.start and d.end <= q.start])
                if span is None and prior >= 0 and _SHORT_LINK.fullmatch(span_lead) and (
                        ago_base := SPAN_AGO_BEFORE.search(f, max(cs, quantities[prior].start - 24),
                                                           quantities[prior].start)) is not None and \
                        _ZH_BASE_WORD.search(f, max(cs, ago_base.start() - 4), ago_base.start() + 1) and \
                        span_months(ago_base):
                    # 較5年前的10,723億美元減少約36%: the change from a base level dated a span back is over that span
                    span = ChangeSpan(span_months(ago_base), ago_base.group().strip())
            if span is not None and span.average:
                measure, reason, span = None, ("a yearly rate over a span ('" + span.text + "': an average or "
                                               "compound annual change), not the total change: no rule checks "
                                               "holdings' average rates"), None
            elif span is not None and span.months is None:
                measure, reason, span = None, (f"a change over a span the text does not count ('{span.text}'): the "
                                               "month it starts from is not known"), None
        if measure is None and unit == "number":
            holder = None  # "點讚超過10萬": a bare number is nobody's figure
        if measure is None and unit == "percent" and not insts:
            holder = None  # a percentage in a sentence that names no instrument: whose figure it is is not known
        # the period
        family = series_family(measure, inst)
        own: DateMention | None = None
        seg_lo = quantities[i - 1].end if i > 0 else 0
        seg_hi = quantities[i + 1].start if i + 1 < len(quantities) else len(f)
        # a yield is quoted on a day: a day without a year ("on December 31") is its date
        # (and a past year named relative to the article's, "averaged 4.26% last year", 去年全年平均: that year)
        pool = sorted(dates + undated_days + past_years, key=lambda d: d.start) if inst == "yield" and (
            undated_days or past_years) else dates
        near_before = [d for d in pool if seg_lo <= d.start and d.end <= q.start and d.start >= cs]
        if lang == "en" and near_before and i > 0 and clause_of(quantities[i - 1].start) == (cs, ce) and \
                _TRAILS.fullmatch(f, quantities[i - 1].end, near_before[0].start):
            near_before = near_before[1:]  # "4.29% on Feb. 2 and the two-year 3.47%": Feb. 2 trails the 4.29 %
        near_after = [d for d in pool if q.end <= d.start and d.end <= seg_hi and d.end <= ce]
        cands = (near_after[:1] + near_before[-1:]) if lang == "en" else (near_before[-1:] + near_after[:1])
        bracket = OPEN_BRACKET.match(f, q.end)
        if bracket:  # "683.5bn (Dec-2025)", "6835億美元（2025年12月）": the date in brackets is the figure's own
            cands = [d for d in dates if d.start == bracket.end()] + cands
        is_change = bool(measure and ("change" in measure or "streak" in measure or "growth" in measure
                                      or "cagr" in measure))
        from_peak = measure == "decline_from_peak_pct"
        growth = measure in ("net_interest_growth_pct", "net_interest_cagr_pct")
        base: DateMention | None = None  # the stated base month of a change ("from December 2024", 較9月)
        if inst == "yield":  # a day dating another quote's comparison base is not this quote's day
            cands = [d for d in cands if base_day_of(d) in (None, i)]
        for d in cands:
            if since_base(d) and is_change and "change" in (measure or "") and base is None and d.kind in (
                    "month", "year", "day"):
                base = d  # "up 0.07 million ounces since the end of last year", 自2025年1月以来减持: from that month
                continue
            if since_base(d) or (growth and growth_base(d)):
                continue
            if comparative(d) and (is_change or from_peak):
                if base is None and d.kind in ("month", "year", "day", "fiscal"):
                    base = d
                continue  # 較9月增加107億: September is the base of the change, not its month
            if from_peak and peak_date(d):
                continue  # "down 38% from its November 2013 peak": the peak's month, not the claim's
            if d.kind == "prev" and is_change:
                continue
            own = d
            break
        if base is None and is_change and "change" in (measure or ""):
            # 与2024年12月相比，…减少了755亿美元, "Compared with December 2024, … fell $75.5 billion": a base
            # framed at the head of the sentence, in a clause before the figure's, is the base of its change
            framed = [d for d in dates if d.end <= cs and d.kind in ("month", "year", "day") and (
                _FRAMED_BASE_EN.fullmatch(f, 0, d.start) or (
                    _FRAMED_BASE_ZH.fullmatch(f, 0, d.start) and ZH_COMPARE_AFTER.match(f, d.end)))]
            if framed:
                base = framed[0]
        if base is None and is_change and "change" in (measure or ""):
            # 较2024年12月末的7590亿美元减少755亿美元: a base month (with its level) named right before the change in
            # its own clause is the base of the change: from that month to the claim's
            inner = [d for d in dates if cs <= d.start and d.end <= q.start and d.kind in ("month", "year")]
            if inner and comparative(inner[-1]):
                d, gap_lo = inner[-1], inner[-1].end
                prev = quantities[i - 1] if i > 0 and quantities[i - 1].start >= d.end else None
                if prev is not None and _BASE_MONTH_TAIL.fullmatch(f, d.end, prev.start):
                    gap_lo = prev.end
                if (prev is None or gap_lo == prev.end) and _SHORT_LINK.fullmatch(f, gap_lo, q.start):
                    base = d
        if own is None and inst == "yield" and undated_days:
            # "On January 20, the 10-year yield hit 4.30% and the two-year 3.6%": the day named nearest before the
            # quote, else after it — but a day that trails another figure ("…4.29% on Feb. 2, while the two-year
            # stood at 3.47%") is that figure's, and a later day after another figure is the later one's
            def trailing(d: DateMention) -> bool:
                return any(x is not q and x.end <= d.start and clause_of(x.start) == clause_of(d.start)
                           for x in quantities)

            # (a day a move runs "since" is the move's start, not the quote's day: "since February 27, to 3.90%")
            days = [d for d in undated_days if base_day_of(d) in (None, i) and not since_base(d)]
            prior_days = [d for d in days if d.end <= q.start and not trailing(d)]
            later_days = [d for d in days if d.start >= q.end and not any(
                q.end <= x.start < d.start for x in quantities)]
            own = prior_days[-1] if prior_days else (later_days[0] if later_days else None)
        period: DateMention | None
        pnote = None
        extra_back = 0  # a base level with no period known: this many months before the latest release
        period_from: DateMention | None = own  # the date of this sentence the period was read from
        fiscal_figure = inst in ("interest", "deficit") or measure in ("debt_held_by_public", "debt_pct_gdp",
                                                                       "customs_duties")
        to_word = _TO_PAIR_AFTER.search(after) if measure == "holdings_level" and hi < ce else None
        from_pair = to_word is not None and _FROM_PAIR_BASE.search(before) is not None
        if from_pair and to_word is not None and own is not None and own.start >= q.end + to_word.start("to"):
            own = None  # 从X降至2025年12月的Y: the month after "至" is the end's, not the start's
        if own is not None:
            period = resolve(own, family)
            if own.kind == "prev" and period is None and measure == "holdings_level":
                extra_back = 1  # 從上月的X, "from $X the month before" in a text that dates nothing else
                pnote = "the month before the latest release"
            if own.kind == "now":
                pnote = f"'{own.text.strip()}': the latest release at the article's date"
            elif own.kind == "then":
                pnote = "當時/at the time: the date mentioned before"
            elif own.relative and period is not None:
                shown = f"{period.iso}-{period.day:02d}" if period.kind == "day" and period.day else period.iso
                pnote = f"'{own.text.strip()}' read as {shown} (article date {ctx.article})"
        elif from_pair:
            # 从1.3167万亿美元降至6835亿美元, "fell from $1,316.7bn to $683.5bn": the start of a move whose date the
            # text does not give — some earlier month, not the month before the end's (review 36)
            period, measure = None, None
            reason = ("the start of a move ('from X to Y') with no date of its own: the text does not say which "
                      "month it was")
        elif measure == "holdings_level" and ((base_cue := FROM_END.search(before)) is not None or (
                ago_zh := SPAN_AGO_BEFORE.search(f, max(cs, q.start - 24), q.start)) is not None):
            # the base of a comparison with no date of its own: a span before the sentence's month ("five years
            # earlier", 低於5年前的), a year before it ("a year earlier", 較去年同期的), else the month before it
            ago = SPAN_AGO_AFTER.match(f[q.end:q.end + 40]) if base_cue is not None else ago_zh
            if ago is not None and span_months(ago):
                back = span_months(ago) or 1
            else:
                back = 12 if base_cue is not None and (base_cue.group("year") or base_cue.group("year2") or
                                                       YEAR_BACK_AFTER.match(after)) else 1
            ref = main_resolved if main_resolved is not None and main_resolved.month is not None else \
                ctx.carried(family)
            period = months_before(ref, back) if ref is not None and ref.year is not None else None
            if period is None:
                extra_back = back
            what = "a year" if back == 12 else "the month" if back == 1 else f"{back} months"
            pnote = f"the base of a comparison with no date: {what} before " + (
                f"the sentence's month ({period.iso})" if period is not None else "the latest release")
        elif fiscal_figure and year_of_fiscal is not None:
            # "CBO projects net interest will reach $2.1 trillion in 2036, with debt held by the public at $56.2
            # trillion that year": the year that dated the sentence's earlier budget figure
            period = replace(year_of_fiscal, kind="fiscal")
            pnote = "the fiscal year of the sentence's earlier budget figure"
        elif fiscal_figure and (main is None or main.kind != "fiscal") and ctx.fiscal:
            period = ctx.fiscal[-1]
            pnote = "fiscal year carried from an earlier sentence"
        elif fiscal_figure and (main is None or main.kind != "fiscal"):
            period = None
        elif main is not None and (main.kind != "fiscal" or fiscal_figure) and not (from_peak and peak_date(main)):
            period, period_from = resolve(main, family), main
            if main.relative and period is not None:
                pnote = f"'{main.text.strip()}' read as {period.iso} (article date {ctx.article})"
        elif family == "yield" and ctx.clause_yield is None and (session := THIS_SESSION.search(f)) is not None:
            # "Closing: the 10-year yield finished the session at 4.13%": the article's session, not a day named for
            # a yield of an earlier sentence (the checker takes the last quote by the article's date)
            period = None
            pnote = f"'{session.group().strip(' -:：')}': the article's session"
        elif family == "yield" and ctx.clause_yield is not None:
            # "…averaged 4.06% in October; the two-year yield averaged 3.52%": the period of the yield stated before
            # the "；" of the same sentence
            period = ctx.clause_yield
            pnote = "period of the yield stated before ';' in the same sentence"
        else:  # the latest month stated before for a figure of the same family (a gold month is not a TIC one)
            period = ctx.carried(family)
            if period is not None:
                pnote = "period carried from an earlier sentence" + (" (a yield's day)" if family == "yield" else "")
        if fiscal_figure and period is not None and period.kind == "year" and period.year is not None:
            period = replace(period, kind="fiscal")  # "in 2035" of a budget figure: the fiscal year
            if own is not None and own.kind == "year":
                year_of_fiscal = period
        elif fiscal_figure and own is not None and own.kind == "fiscal" and period is not None and \
                period.kind == "fiscal" and period.year is not None and (main is None or main.kind != "fiscal"):
            # "net interest topping $1 trillion this fiscal year, at $1.04 trillion": the fiscal year stated for the
            # sentence's earlier budget figure dates the one after it that states none (not one carried from before)
            year_of_fiscal = period
        if fiscal_figure and own is None and period is not None and period.kind == "fiscal" and \
                period.year is not None and FROM_END.search(before):
            # "grew to $970 billion in fiscal 2025, up from $881 billion": the base is the fiscal year before
            period = replace(period, year=period.year - 1)
            pnote = f"the base of a comparison with no date: the fiscal year before ({period.iso})"
        session_before = week = None
        if measure == "yield" and period is not None and period.year is not None and period.month is not None and (
                (FROM_BASE_END.search(before) and (ago := SPAN_AGO_AFTER.match(f[q.end:q.end + 40]) or
                                                   YEAR_BACK_AFTER.match(after))) or
                ((ago := SPAN_AGO_BEFORE.search(f, max(cs, q.start - 24), q.start) or
                  _YEAR_AGO_BEFORE_ZH.search(f, max(cs, q.start - 24), q.start)) and
                 _ZH_BASE_WORD_END.search(f, max(cs, ago.start() - 8), ago.start()))):
            # "up from 1.4% five years earlier", 比一年前的4.42%, 較去年同期的: the base yield, that many months
            # before the sentence's month (its monthly average: no day is known)
            back = span_months(ago) if ago.re in (SPAN_AGO_AFTER, SPAN_AGO_BEFORE) else 12
            then = months_before(period, back or 12)
            if then is not None:
                pnote = f"the base of a comparison: {back or 12} months before {period.iso} ({then.iso})"
                period = then
        elif measure == "yield" and SPAN_CHANGE_VERB.search(before) and (
                CHANGE_SPAN.search(span_lead) or VAGUE_SPAN.search(span_lead) or span_ahead(CHANGE_SPAN, ahead)
                or span_ahead(VAGUE_SPAN, ahead)):
            # "the 10-year yield rose 2.8% over the past five years": a yield's change over a span, not a level
            measure, reason = None, ("a yield's change over a span of years or months (a change word before the "
                                     "figure), not its level: the store holds yield levels; a change of a yield is "
                                     "not checked")
        if measure == "yield" and ctx.article is not None:
            cue = before + " " + after
            weeks = _WEEKS_BACK.match(after) if FROM_BASE_END.search(before) else None
            if weeks is not None:  # "up from 3.42% a week earlier": the close that many weeks before the quote's day
                ref = period if period is not None and period.day is not None else None
                quoted = [c for c in claims if c.measure == "yield" and c.period and c.day]
                if ref is None and quoted:
                    y, mth = (int(x) for x in str(quoted[-1].period).split("-"))
                    ref = DateMention(q.start, q.end, "", y, mth, day=quoted[-1].day, kind="day")
                ref = ref or ctx.carried("yield")
                if ref is None or ref.day is None:
                    ref = DateMention(q.start, q.end, "", ctx.article.year, ctx.article.month, day=ctx.article.day,
                                      kind="day")
                if ref.year is not None and ref.month is not None and ref.day is not None:
                    n = weeks.group("n").lower()
                    back = int(n) if n.isdigit() else (EN_WORDS.get(n) or 1)
                    then = date(ref.year, ref.month, ref.day) - timedelta(days=7 * back)
                    session_before = then + timedelta(days=1)  # the checker takes the last quote before it
                    period = replace(ref, year=then.year, month=then.month, day=then.day, kind="day")
                    pnote = (f"'{weeks.group().strip()}': {back * 7} days before "
                             f"{ref.year}-{ref.month:02d}-{ref.day:02d} (the last quote by then)")
            elif DAY_BEFORE.search(cue):  # "from 4.18% the day before": the business day before the sentence's day
                ref = period if period is not None and period.day is not None else None
                quoted = [c for c in claims if c.measure == "yield" and c.period and c.day]  # "4.09% on Feb. 12 from"
                if ref is None and quoted:  # else the day of the yield quoted before it in the sentence
                    y, mth = (int(x) for x in str(quoted[-1].period).split("-"))
                    ref = DateMention(q.start, q.end, "", y, mth, day=quoted[-1].day, kind="day")
                ref = ref or ctx.carried("yield")
                if ref is None:  # no day stated at all: the session before the article's (last weekday by its date)
                    last = previous_business_day(ctx.article + timedelta(days=1))
                    ref = DateMention(q.start, q.end, "", last.year, last.month, day=last.day, kind="day")
                if ref is not None and ref.year is not None and ref.month is not None and ref.day is not None:
                    session_before = date(ref.year, ref.month, ref.day)
                    prev = previous_business_day(session_before)
                    period = replace(ref, year=prev.year, month=prev.month, day=prev.day, kind="day")
                    pnote = f"the session before {session_before} (the last quote before it)"
            elif (wk := WEEK_CUE.search(cue)) is not None and (own is None or period is None or period.day is None):
                start, end = week_span(ctx.article, bool(wk.group("last") or wk.group("last_zh")))
                if start <= end:  # "last week the 10-year traded at 4.05%": one of that week's closes
                    week = (start, end)
                    period = DateMention(wk.start(), wk.end(), wk.group(), end.year, end.month, kind="month")
                    pnote = f"'{wk.group()}' read as {start} to {end} (article date {ctx.article})"
        month_only = None
        if period is not None and period.year is None and period.kind != "fiscal":
            pnote = f"'{period.text.strip()}' has no year and the article date is unknown"
            month_only, period = period.month, None
        if pct_of is not None and measure == f"{pct_of.measure}_pct" and isinstance(pct_of.value, float):
            value = -value if pct_of.value < 0 else value
        elif value is not None and q.sign and measure in SIGNED_MEASURES:
            value = q.sign * abs(value)  # "-$17.2 billion", "| -4.0": the sign written
        elif value is not None and measure in SIGNED_MEASURES and not (DOWN_RE.search(before) or UP_RE.search(
                before) or LESS_RE.search(before)) and (verb := CHANGE_AFTER.match(after)) is not None:
            value = -value if DOWN_RE.search(verb.group()) else value  # "the $75.5 billion it shed"
        elif value is not None and measure in SIGNED_MEASURES:
            local = before + " " + after[:6]
            downs = list(DOWN_RE.finditer(before)) + list(LESS_RE.finditer(before))  # 比11月少了38亿: a fall
            ups = list(UP_RE.finditer(before))
            last_down = downs[-1].start() if downs else -1
            last_up = ups[-1].start() if ups else -1
            if last_down > last_up or (last_down == last_up == -1 and DOWN_RE.search(local)):
                value = -value
        if measure == "gold_monthly_change" or measure == "gold_reserves":
            measure = measure + ("_moz" if unit == "million troy oz" else "_tonnes")
        extra: dict[str, Any] = {"instrument": inst}
        if measure == "yield" and not base_quote(i) and _back_reference(f, q.start, q.end):
            extra["back_reference"] = True  # its day is the quote's only; a move in basis points does not run from it
        if ree_sid is not None:
            extra["series"] = ree_sid
        if cbo_made is not None:
            extra["cbo_projection"] = cbo_made
        if outcome:
            extra["stated_as_outcome"] = True
        if extra_back:
            extra["months_back"] = extra_back
        if session_before is not None:
            extra["session_before"] = session_before.isoformat()
        if week is not None:
            extra["week"] = [week[0].isoformat(), week[1].isoformat()]
        if q.round_figure:
            extra["round_figure"] = True  # its digits do not pin one month's figure (no wrong_period)
        if measure == "yield":
            # the tenor is the one named nearest before the figure — in a clause after "；", the one named earlier in
            # the same sentence ("10年期…4.51%；今年2月的月平均为4.13%")
            extra["text_before"] = ctx.clause_prefix + f[:q.start]
            extra["text_after"] = f[q.end:ce]  # "against 3.81% for the 2-year": a tenor named right after
            if not insts and len(ctx.recent) >= 2:
                # "In January the 10-year averaged 4.21%. February's average was 4.31%.": a yield whose sentence names
                # no instrument takes the tenor named last in the sentence before (see the checker)
                extra["sentence_before"] = ctx.recent[-2]
            if period is not None and period.year is not None and period.month in (None, 12) and period.day is None \
                    and (YEAR_END.search(f, seg_lo, q.start) or (period_from is not None and YEAR_END.search(
                        period_from.text))):
                extra["year_end"] = True  # "ended 2025 at", 2025年底: the year's last close, not its average
        if month_only is not None:
            extra["month_only"] = month_only
        if measure == "holdings_level" and (PEAK_BEFORE.search(before) or PEAK_AFTER.match(after)):
            measure = "holdings_peak"  # "a peak of $1.3 trillion", 高峰1.32兆美元
            extra["own_period"] = own is not None
        if measure == "decline_from_peak_pct":
            extra["peak_period"] = next((d.iso for d in dates if d.year is not None and d.month is not None
                                         and peak_date(d)), None)
        if base is not None and is_change and measure and "change" in measure and base.month is not None:
            # "down $75.5 billion from December 2024", 較9月: the change from the month named; a month without a
            # year is the last such month before the claim's own
            if base.relative and base.rel_year is None and period is not None and period.year is not None and \
                    period.month is not None:
                base_r: DateMention | None = replace(base, year=period.year if base.month < period.month
                                                     else period.year - 1)
            else:
                base_r = resolve(base, family)
            if base_r is not None and base_r.year is not None:
                extra["base_period"] = base_r.iso
                if measure.startswith("monthly_change") and period is not None and period.year is not None and (
                        period.month is not None and base_r.month is not None and
                        (period.year - base_r.year) * 12 + period.month - base_r.month == 12):
                    measure = measure.replace("monthly_", "annual_")  # from the same month a year before
        level_pair = None
        if measure == "holdings_level" and period_from is not None and period is not None and period.year is not None \
                and period.month is not None and holder is not None:
            # "held $683.5bn in December 2025, down from $759.0bn in December 2024": two dated levels of one holder
            # (also stated apart: "…而2024年12月还是7590亿美元") are a pair as "from X to Y" is
            other = next((p for h, p in dated_levels if h == holder.name and p.iso != period.iso), None)
            dated_levels.append((holder.name, period))
            if other is not None and pair_from is None:
                level_pair = (other, period) if is_later(period, other) else (period, other)
        if from_pair and own is not None and period is not None and period.year is not None and \
                period.month is not None:
            pair_from = (i, period)
        elif level_pair is not None:
            pair_span = level_pair
        elif pair_from is not None and pair_from[0] == i - 1 and measure == "holdings_level" and \
                period is not None and period.year is not None and period.month is not None and \
                (period.year, period.month) > (pair_from[1].year or 0, pair_from[1].month or 0):
            pair_span = (pair_from[1], period)
        elif (pair_span is not None or (ctx.level_pair is not None and holder is not None and
                                        ctx.level_pair[0] == holder.name and not MONTH_ON_MONTH.search(f))) and \
                base is None and span is None and \
                own is None and "base_period" not in extra and measure in ("monthly_change", "monthly_change_pct"):
            # 从2024年12月的7590亿美元降至2025年12月的6835亿美元，减少了755亿美元; "fell from $759.0bn in December
            # 2024 to $683.5bn in December 2025, a drop of $75.5bn": the change between the pair's two months
            # (a pair of levels of the sentence before: "…, down from $759.0 billion in December 2024. That is a
            # decline of $75.5 billion over the year.")
            start_p, period = pair_span if pair_span is not None else ctx.level_pair[1]  # type: ignore[index]
            extra["base_period"] = start_p.iso
            gap = ((period.year or 0) - (start_p.year or 0)) * 12 + (period.month or 0) - (start_p.month or 0)
            if gap == 12:
                measure = measure.replace("monthly_", "annual_")
            snote = f"change between the months of the move stated before it: {start_p.iso} → {period.iso}"
            pnote = f"{pnote}; {snote}" if pnote else snote
        if span is not None and span.months and base is None and measure and "change" in measure:
            # "fell 36% over the past five years", 较5年前减少36%: the change from the month that many months before
            # the claim's (as from a base month the text names); with no month known, the checker counts back
            extra["span_months"], extra["span_text"] = span.months, span.text
            if measure.startswith(("monthly_", "annual_")):
                measure = ("annual_" if span.months == 12 else "monthly_") + measure.split("_", 1)[1]
            start_m = months_before(period, span.months) if period is not None and period.year is not None else None
            if start_m is not None and period is not None:
                extra["base_period"] = start_m.iso
                snote = f"change over {span.months} months: {start_m.iso} → {period.iso} ('{span.text}')"
            else:
                snote = f"change over {span.months} months ('{span.text}')"  # the checker adds the months
            pnote = f"{pnote}; {snote}" if pnote else snote
        if base is None and "base_period" not in extra and is_change and measure and "change" in measure and \
                period is not None and period.year is not None and (YEAR_TO_DATE.search(f, cs, ce) or
                                                                    _ytd_lead(f, cs, quantities)):
            # "so far this year", 今年以来, 较年初: from the end of the year before the claim's month (a whole year
            # named: its December)
            extra["base_period"] = f"{period.year - 1}-12"
            if measure.startswith("monthly_change") and period.month in (12, None):
                measure = measure.replace("monthly_", "annual_")
        if base is None and "base_period" not in extra and is_change and measure and (measure in (
                "monthly_change", "monthly_change_pct") or measure.startswith("gold_monthly_change")) and (
                    part_span := _part_of_year(f, quantities[i - 1].end if i > 0 else 0, q.start, ctx.article,
                                               period) or _part_of_year(f, q.end, min(ce, hi), ctx.article, period,
                                                                        after=True)) is not None:
            # 上半年累计减持276亿美元, 二季度减持340亿美元, "in the second quarter, China cut …": the change over that
            # half or quarter, from the end of the period before it to the span's last month (never one month's)
            period, start_m, words = part_span
            extra["base_period"] = start_m.iso
            snote = f"change over {words}: {start_m.iso} → {period.iso}"
            pnote = f"{pnote}; {snote}" if pnote else snote
        if base is None and "base_period" not in extra and is_change and measure and (measure in (
                "monthly_change", "monthly_change_pct") or measure.startswith("gold_monthly_change")) and \
                period is not None and period.year is not None and period.month is None and any(
                    d.kind == "year" and d.year == period.year and (
                        _OVER_YEAR_BEFORE.search(f, max(0, d.start - 12), d.start) or _OVER_YEAR_AFTER.match(f, d.end))
                    for d in dates):
            # "fell by $75.5 billion over 2025", 2025年全年减少: the change over that whole year, from the December
            # before it
            extra["base_period"] = f"{period.year - 1}-12"
            measure = measure if measure.startswith("gold") else measure.replace("monthly_", "annual_")
        span_of = (q.start, q.end)
        runs = [j for j in streak_side if not re.search(r"[,，;；。]", f[min(q.end, quantities[j].end):max(
            q.start, quantities[j].start)])] if unit == "months" else []
        if runs and (measure is None or measure == "streak_months_above_threshold"):
            j = min(runs, key=lambda j: abs(quantities[j].start - q.start))
            measure, reason = f"streak_months_{streak_side[j]}_threshold", None
            extra["threshold"] = quantities[j].value
            span_of = (min(q.start, quantities[j].start), max(q.end, quantities[j].end))  # the count and its bound
        elif measure == "streak_months_above_threshold":
            th = [t for t in thresholds.values() if t.start > q.end]
            extra["threshold"] = th[0].value if th else None
            if not th:
                measure, reason = None, "a threshold streak without the threshold"
        if measure and measure.startswith("streak") and AFTER_END.search(f[max(0, q.start - 20):
                                                                                                    q.start]):
            extra["prior"] = True
        if measure in ("net_interest_growth_pct", "net_interest_cagr_pct"):
            # a span stated in the figure's own clause first ("rising 104% since fiscal 2022, a rise of about 10%
            # in a single year"), then the sentence's (a base in another clause: "与2022财年相比，…增长了104%")
            own_clause = " " * cs + f[cs:ce] + " " * (len(f) - ce)
            span = growth_span(own_clause, [d for d in dates if cs <= d.start < ce], measure, period, None,
                               Context(), growth_base)
            if span.start is None and span.years is None:
                span = growth_span(f, dates, measure, period, period_from, ctx, growth_base)
            if span.end is not None:
                period = span.end
            elif span.latest:
                period, pnote = None, None
            if span.start is not None:
                extra["period_start"] = span.start
            if span.years is not None:
                extra["growth_years"] = span.years
            if span.note:
                pnote = f"{pnote}; {span.note}" if pnote else span.note
        if value is not None and unit == "USD bn" and abs(value) > 1e6:
            note = (note + "; " if note else "") + ("an impossible magnitude (over a thousand trillion dollars): a "
                                                    "unit error")
        if measure is None and unit in ("days", "years", "months"):
            holder = None  # a length of time ("180天", "within seven days") is nobody's holding
        if ree_sid is not None:
            # USGS's figures are a calendar year's: the year named in the sentence ("in 2025", "last year", 去年),
            # else the latest year USGS had published at the article's date (never a month carried from before)
            # — a year of the figure's own (較2024年的4.55萬噸, "2024's 45,500 tonnes", "45,500 tonnes in 2024") first
            period, pnote = _own_year(f, cs, ce, q.start, q.end, ctx.article) or _year_named(f, ctx.article), None
        claim = make(*span_of, round(value, 6) if isinstance(value, float) else value, unit, holder, measure,
                     period, reason, qualifier=q.qualifier, precision=precision, note=note, period_note=pnote,
                     extra=extra)
        claim.period_start = extra.get("period_start") or extra.get("peak_period")
        claims.append(claim)
        if measure == "yield" and period is not None and period.year is not None and not base_quote(i) and \
                session_before is None and week is None:
            yield_period = period
        if measure is not None and period is not None and (own is not None or period_from is main) and (
                family != "yield" or (period.day is not None and not base_quote(i) and
                                      not _back_reference(f, q.start, q.end))):
            # (a yield's comparison base, "from 4.25% on Thursday", dates that figure only: not the day carried on)
            stated[family] = period  # this sentence states the period of a figure of this family (a yield: a day)

    for d, i, side, crossed, begin in first_since:
        q = quantities[i]
        cs, ce = clause_of(q.start)
        local = [x for x in dates if cs <= x.start <= ce and x.kind in ("month", "day") and not since_base(x)]
        if local:
            when = resolve(local[-1], "tic")
        else:
            when = main_resolved if main_resolved is not None and main_resolved.month is not None else \
                ctx.carried("tic")
        since_d = resolve(d, "tic")
        h = holder_at(q.start, q.end)
        start, end = min(begin, d.start), max(q.end, d.end)
        phrase = FIRST_SINCE_ZH.match(f, d.end)
        if phrase is not None and phrase.end() > end:
            end = phrase.end()
        measure = f"first_{side}_since"
        c = make(start, end, since_d.iso if since_d else None, "month", h, measure if h and h.tic else None, when,
                 None if h and h.tic else "no holder in the TIC table",
                 extra={"threshold": q.value, "crossed": crossed})
        claims.append(c)
    # "less than half of its 2013 peak", 不到峰值的一半: a fall from the peak of more than 50 %
    for m in (FRACTION_OF_PEAK.finditer(f) if FRACTION_HINT.search(f) else ()):
        share = FRACTIONS[(m.group("frac") or m.group("frac2")).lower().replace("-", " ")]
        bound, begin = m.group("q"), m.start()
        if m.group("frac2"):
            zh = FRACTION_BOUND_ZH.search(f, clause_of(m.start())[0], m.start())
            bound, begin = (zh.group(1), zh.start()) if zh else (None, m.start())
        qual = FRACTION_QUALIFIER.get((bound or "").lower())
        h = holder_at(m.start(), m.end())
        when = main_resolved if main_resolved is not None and main_resolved.month is not None else \
            ctx.carried("tic")
        peak_d = next((d for d in dates if begin <= d.start < m.end() and d.month is not None), None)
        c = make(begin, m.end(), round(100 * (1 - share), 3), "percent", h,
                 "decline_from_peak_pct" if h and h.tic else None, when,
                 None if h and h.tic else "no holder in the TIC table", qualifier=qual,
                 precision=0.0 if qual in ("more_than", "less_than") else 5.0,
                 note=f"'{m.group().strip()}': the level is {share:.0%} of the peak or "
                      f"{'less' if qual == 'more_than' else 'more' if qual == 'less_than' else 'about that'}")
        c.period_start = resolve(peak_d, "tic").iso if peak_d is not None else None
        claims.append(c)
    special = _special_claims(f, sentence, offset, lang, dates, main_holders, quantities, thresholds, ctx, make,
                              resolve, main, clause_of, since_base, claims)
    if moves:
        special += _move_claims(f, offset, moves, claims, dates + undated_days + past_years, resolve, ctx, make)
    # a count of years or months that is part of a special claim (17年來最低) is not a claim of its own
    claims = [c for c in claims if not (c.unit in ("years", "months") and c.measure is None and any(
        x.start <= c.start < x.end for x in special))] + special
    # context for the next sentences
    if main_holders:
        ctx.holder = main_holders[-1][2]
    if any(q.unit == "USD bn" for q in quantities):
        ctx.money_instrument = insts[-1][2] if insts else ctx.instrument
    if insts:
        ctx.instrument = insts[-1][2]
    ctx.commodity = _commodity_named(f) or ctx.commodity
    if any(c.measure for c in special) and main is not None:
        stated.setdefault("tic", main)
    _remember_periods(ctx, claims, main, stated, resolve)
    if "yield" not in ctx.periods and "yield" not in stated and YIELD_NAMED.search(f) and not any(
            c.measure in ("yield", "yield_move") or c.unit in ("percent", "bp") for c in claims):
        # "U.S. Treasury yields fell on Monday.": the day of the article's session, named (in a sentence quoting no
        # yield) before any yield quote is dated, dates the next sentences' quotes and moves (until one states
        # another)
        # (a day that qualifies a noun or a base — "extending Friday's rally", "since Friday", "after Friday's
        # selloff" — is not the session's)
        days = [r for d in undated_days + dates if d.kind == "day" and base_day_of(d) is None and
                not _OTHER_DAY_AFTER.match(f, d.end) and not _OTHER_DAY_BEFORE.search(f, max(0, d.start - 12),
                                                                                       d.start) and
                (r := resolve(d, "yield")) is not None and r.year is not None and r.month is not None and
                r.day is not None]
        if len({r.iso + str(r.day) for r in days}) == 1:
            ctx.periods["yield"] = ctx.last["yield"] = days[0]
    for d in dates:
        if d.year is not None and d.month is not None and d.kind in ("month", "day"):
            ctx.explicit.append(d)
    tail = f.rstrip()
    ctx.clause_prefix = (ctx.clause_prefix + f) if tail.endswith((";", "；")) else ""
    ctx.clause_yield = (yield_period or ctx.clause_yield) if ctx.clause_prefix else None
    ctx.level_pair = None  # the pair of one holder's dated levels this sentence states (for the next's change)
    for name, p in dated_levels:
        other = next((x for h, x in dated_levels if h == name and x.iso != p.iso), None)
        if other is not None:
            ctx.level_pair = (name, (other, p) if is_later(p, other) else (p, other))
            break
    asked = _question_start(f) if "?" in tail[-4:] or "？" in tail[-4:] else None
    if asked is not None:  # a question asserts nothing (its words still set the context for the answer)
        claims = [c for c in claims if c.start - offset < asked]
    return sorted(claims, key=lambda c: c.start)


def _move_claims(f: str, offset: int, moves: list[Quantity], claims: list[Claim], dates: list[DateMention],
                 resolve: Callable[[DateMention | None, str], DateMention | None], ctx: Context,
                 make: Callable[..., Claim]) -> list[Claim]:
    """The claims of a sentence's figures in basis points (:func:`~geostress.analytics.claims.moves.yield_move_claims`),
    given its yield quotes already read and its dates resolved for a yield."""
    levels = [(c.start - offset, c.end - offset, c) for c in claims if c.measure == "yield"]
    resolved_dates = [(d, r) for d in dates if (r := resolve(d, "yield")) is not None]
    previous = ctx.recent[-2] if not ctx.new_paragraph and len(ctx.recent) >= 2 else ""
    mc = MoveContext(f, levels, resolved_dates, ctx.article, make, previous)
    found = yield_move_claims(moves, mc)
    for c in found:
        end = c.extra.get("move_to") or {}
        kind, value = next(iter(end.items())) if end else (None, None)
        if kind in ("day", "on_or_before", "before") and value:
            c.period, c.day = str(value)[:7], int(str(value)[8:10])
        elif kind == "month":
            c.period = str(value)
    return found


#: A change verb right before a figure ("rose 2.8%", "fell by about", 上升): with a span, a change, not a level.
SPAN_CHANGE_VERB = guarded_re(rf"(?:{UP}|{DOWN})\s*(?:by\s+)?(?:about\s+|around\s+|roughly\s+|some\s+|nearly\s+|"
                              r"almost\s+|more\s+than\s+|over\s+|約|约|近|逾)?\s*(?:了)?\s*$", re.I)
#: Measures a span of years or months can be stated for ("fell 36% over the past five years", 较5年前减少$389亿).
#: An auction or issue of Treasury securities (its size is no holder's holdings).
_AUCTION = re.compile(r"\bauction\w*|\breopening\b|\bTreasury\s+(?:Department\s+)?(?:sold|sells|will\s+sell|issued|"
                      r"issues|offered|auctioned)\b|拍賣|拍卖|標售|标售|招標|招标|續發|续发", re.I)
#: Securities of one tenor right after an amount ("$39 billion of 10-year notes"): TIC holdings are not by tenor.
_TENOR_AFTER = re.compile(r"\s*(?:worth\s+)?(?:of|in)\s+(?:new\s+)?(?:\d{1,2}|two|three|five|seven|ten|twenty|thirty)"
                          r"[\s-](?:year|month|week)\s+(?:notes?|bonds?|bills?)\b", re.I)
_HOLDING_MEASURES = frozenset({"holdings_level", "monthly_change", "annual_change", "holdings_peak"})
#: A span of several years a budget amount is summed over ("over ten years", "over the next decade", 未来十年累计).
_MULTI_YEAR = re.compile(r"\b(?:over|across|during|in)\s+(?:the\s+)?(?:next|coming|following|budget)?\s*"
                         r"(?:(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty)[\s-]+years?|decade|"
                         r"ten[\s-]+year\s+(?:window|period|horizon))\b|\bcumulative(?:ly)?\b|\bin\s+total\b|"
                         r"(?:未來|未来|今後|今后)\s*(?:十|10|\d{1,2})\s*年|"
                         r"(?:十|10)\s*年(?:間|间|內|内)?\s*(?:累計|累计)", re.I)
#: Part of a fiscal year so far ("so far this fiscal year", "fiscal year to date", "in the first five months of fiscal
#: 2026", 本财年迄今, 本財年前五個月, 财年以来).
_FISCAL_TO_DATE = re.compile(r"\bso\s+far\s+(?:this|in\s+(?:the\s+)?(?:current|this))\s+fiscal\s+year\b|"
                             r"\bfiscal[\s-]+year[\s-]+to[\s-]+date\b|\bfiscal\s+YTD\b|\bFYTD\b|"
                             r"\bfirst\s+(?:\w+\s+){0,2}months\s+of\s+(?:the\s+|this\s+)?fiscal\b|"
                             r"(?:財年|财年|財政年度|财政年度)\s*(?:迄今|至今|以來|以来|前\s*[一二三四五六七八九十两兩\d]{1,2}\s*(?:個|个)?\s*月)|"
                             # a half or a quarter of a fiscal year: "the first half of fiscal 2026", 上半財年
                             r"\b(?:first|second|third|fourth|final|last)\s+(?:half|quarter)\s+of\s+(?:the\s+)?"
                             r"(?:(?:current|this|last)\s+)?(?:fiscal|FY)|\b(?:H[12]|Q[1-4])\s+(?:of\s+)?(?:fiscal|FY)|"
                             r"(?:上|下)半(?:個|个)?(?:財年|财年|財政年度|财政年度)|"
                             r"(?:財年|财年|財政年度|财政年度)\s*(?:上半|下半|第\s*[一二三四1-4]\s*季)",
                             re.I)
#: One institution as the subject of a figure's clause: 其所在机构, 该行, 這家基金, "his bank", "the fund".
_ONE_INSTITUTION = re.compile(r"(?:(?:這家|这家|那家|一家|某家|某)[^\s，,。、；;\d]{0,4}?"
                              r"(?=機構|机构|銀行|银行|基金|公司|券商|保險公司|保险公司|資管|资管)|(?:其|該|该|本|這家|这家|那家|一家|某|某家)\s*"
                              r"(?:所在|所屬|所属)?\s*(?:的)?\s*)"
                              r"(?:機構|机构|銀行|银行|基金|公司|券商|保險公司|保险公司|資管|资管|行(?=[^業业情]))|"
                              r"\b(?:his|her|their|my|our)\s+(?:own\s+)?(?:bank|firm|fund|institution|employer|company|"
                              r"desk|clients?)\b|\b(?:the|a|one)\s+(?:hedge\s+)?(?:fund|firm|asset\s+manager|insurer)\b",
                              re.I)
#: A base framed at the head of a sentence: "Compared with December 2024, …", 与2024年12月相比，… (up to the date).
#: The English words of a comparison framed at the head of a sentence (a base date, a year back).
_COMPARED_WITH = r"(?:compared\s+(?:with|to)|relative\s+to|against|versus)"
_FRAMED_BASE_EN = re.compile(rf"[\s\-–—*•]*{_COMPARED_WITH}\s+(?:the\s+end\s+of\s+)?", re.I)
_FRAMED_BASE_ZH = re.compile(r"[\s\-–—*•]*(?:与|與|和|同|跟)\s*")
#: What stands between a holder in the possessive and its figure: "Britain's $866.0 billion", 英国的约8660亿美元.
_POSSESSIVE_GAP = re.compile(r"(?:['’]s?|\s*的)\s*(?:about|around|roughly|nearly|some|約|约|近)?\s*")
#: A whole year a change is stated over: "over 2025", "during 2025", "in 2025", 2025年全年 / 年內 / 一年.
_OVER_YEAR_BEFORE = re.compile(r"\b(?:over|during|throughout|across|in)\s+"
                               r"(?:the\s+(?:whole\s+|full\s+)?(?:year|course of)\s+(?:of\s+)?)?(?:calendar\s+)?$",
                               re.I)
_OVER_YEAR_AFTER = re.compile(r"\s*(?:全年|年內|年内|一年|整年|年間|年间)")
#: CBO named as the maker of a projection before the figure: "CBO projected (in January 2025) that …", "the
#: Congressional Budget Office's January 2025 baseline projected", 国会预算办公室…预测.
_CBO_PROJECTED = re.compile(r"(?:\bCongressional Budget Office|\bCBO\b|國會預算辦公室|国会预算办公室|"
                            r"國會預算局|国会预算局)"
                            r"[^.;。；]{0,60}?(?:\bprojected\b|\bprojects\b|\bforecast\b|\bbaseline\b|預測|预测|預計|预计)",
                            re.I)
#: A fiscal year's budget figures in dollars (a year's level: its fiscal year, projections, hypotheticals).
_BUDGET_LEVELS = ("net_interest", "debt_held_by_public", "deficit", "customs_duties")
#: The word deficit itself (not only a word of the budget): "the deficit", 赤字.
_DEFICIT_WORD = re.compile(r"\bdeficits?\b|赤字", re.I)
#: A change in the deficit stated before its figure ("narrowed by", "widened $56 billion", 收窄了, 扩大) or after it
#: ("a $56 billion improvement", "$56 billion smaller than").
_DEFICIT_CHANGE_BEFORE = re.compile(r"\b(?:narrow|widen|shr[ai]nk|shrunk|f[ae]ll|rose|risen|increas|decreas|"
                                    r"gr[eo]w|drop|declin|jump|climb|swell|balloon|improv|worsen)\w*\s+(?:by\s+)?"
                                    r"(?:(?:about|nearly|almost|some|roughly|around|more than|over)\s+)?\$?$|"
                                    r"(?:收窄|擴大|扩大|減少|减少|增加|下降|上升|縮小|缩小|增長|增长|改善|惡化|恶化)了?"
                                    r"\s*(?:約|约|近|逾)?$", re.I)
_DEFICIT_CHANGE_AFTER = re.compile(r"\s*(?:\w+\s+)?(?:improvement|deterioration|increase|decrease|rise|drop|decline|"
                                   r"smaller|larger|bigger|more|less|lower|higher|narrower|wider)\b", re.I)
#: A condition stated before a budget figure: "if rates rise…", 如果/若/假如/一旦….
_CONDITIONAL = re.compile(r"\b(?:if|unless|suppose|supposing)\b|如果|假如|假設|假设|倘若|若(?!干)|一旦", re.I)
#: A conditional increment before a budget figure: "would add", "could cost", "might raise".
_WOULD_ADD = re.compile(r"\b(?:would|could|might)\s+(?:\w+\s+)?(?:add|cost|raise|increase|boost|lift|push\s+up|"
                        r"save|reduce|cut)\b", re.I)
#: A closing price named right after a percentage ("4.69%的收盘价", "4.12%收盤", "4.48% close"): a quoted close.
_CLOSE_AFTER = re.compile(r"\s*(?:的)?\s*(?:收盘价|收盤價|收盘|收盤|close\b|closing\s+level)", re.I)
#: "Each", "every", "per", 每 right before an amount ("each $100 billion of issuance", 每发行1000亿美元): the unit of
#: a hypothetical or a sensitivity, not an observed amount (not before a time unit: 每年, "each year", "per month"
#: state a yearly or monthly figure).
_PER_UNIT = re.compile(r"(?:每(?!\s*(?:年|月|日|天|季|周|週|星期|個月|个月))|"
                       r"\b(?:each|every|per)\b(?!\s+(?:year|month|day|week|quarter|annum|fiscal)))"
                       r"[^，,。；;\d$]{0,12}$", re.I)
#: A per-unit step stated before a figure ("every 10 basis points on the ten-year adds roughly $30 billion", "for each
#: 1 percentage point", 收益率每上升10個基點): the figure after it is the step's effect, a sensitivity, not an observed
#: amount.
_PER_UNIT_STEP = re.compile(r"\b(?:each|every|per)\s+(?:additional\s+|extra\s+)?(?:\$\s*)?\d|"
                            r"\b(?:each|every|per)\s+(?:additional\s+|extra\s+)?(?:one|ten|hundred)\b|"
                            r"每(?:上升|下降|提高|降低|增加|減少|减少|上漲|上涨|下跌|升|降|漲|涨|跌)?\s*\d", re.I)
#: A number of a time unit after "every"/每 ("every 3 months", 每3個月): a frequency, not a per-unit step.
_PER_TIME_UNIT = re.compile(r"[\d.,]*\s*(?:months?|years?|weeks?|days?|quarters?|sessions?|"
                            r"個月|个月|年|月|日|天|季|週|周)", re.I)
#: What ends the stretch a per-unit step reaches: the end of a sentence or a semicolon.
_STEP_END = re.compile(r"[。；;!?！？]|\.(?!\d)")


def _after_per_unit_step(f: str, at: int) -> bool:
    """Whether a per-unit step (:data:`_PER_UNIT_STEP`) stands within 80 characters before position ``at`` of sentence
    ``f``, with no semicolon or sentence end between: the figure at ``at`` is that step's effect."""
    lo = max(0, at - 80)
    step = _last(_PER_UNIT_STEP.finditer(f, lo, at))
    if step is None or _PER_TIME_UNIT.match(f, step.end() - 1):  # "every 3 months", 每3個月: a frequency
        return False
    return not _STEP_END.search(f, step.end(), at)


#: How recent (days before the article) a day without a year must be to keep its own year against one lent by an
#: earlier date of its sentence.
_RECENT_DAYS = 31


def _recent_day_year(d: DateMention, lender: DateMention, article: date | None) -> int | None:
    """The year of a day written without one (``d``: "on March 25") when the year an earlier date of its sentence
    would lend it (``lender``: "December 2025") makes it a year or more older than the latest such day by the article's
    date, and that day is within :data:`_RECENT_DAYS` of the article ("Japan held $1,185.5 billion in December 2025,
    and the 10-year closed at 4.33% on March 25" in a 26 March 2026 article: 2026-03-25); else None. A day of the
    lender's own month keeps the lender's year."""
    if article is None or d.kind != "day" or d.day is None or d.month is None or lender.year is None or \
            d.month == lender.month:
        return None
    own = resolve_day(d.month, d.day, article)
    try:
        recent = date(own, d.month, d.day)
    except ValueError:
        return None
    if own > lender.year and 0 <= (article - recent).days <= _RECENT_DAYS:
        return own
    return None


#: A negation right before a figure ("not 4.96%", "rather than", "instead of", 而非, 而不是, 並非).
_NEGATED_BEFORE = re.compile(r"(?:\bnot|\brather\s+than|\binstead\s+of|而非|而不是|並非|并非|不是)\s*(?:the\s+)?"
                             r"(?:about\s+|around\s+)?\$?\s*$", re.I)
#: Words after a negated figure saying it was an earlier, wrong report ("as originally reported", "as previously
#: stated", "as we reported earlier", 如原報導所述).
_AS_REPORTED_AFTER = re.compile(r"\s*(?:percent|per\s+cent|%|billion|trillion|bn|tn)?\s*,?\s*"
                                r"(?:as\s+(?:was\s+|we\s+|it\s+)?(?:originally|previously|earlier|first|initially|incorrectly|erroneously|mistakenly|"
                                r"wrongly)?\s*(?:reported|stated|published|written|said|given|printed)|"
                                r"(?:如|如同)?(?:原報導|原报道|原文|先前報導|先前报道))", re.I)
#: A negation naming the earlier report before the figure (而非原報導的4.96%, 并非此前报道的).
_NEGATED_REPORT_BEFORE = re.compile(r"(?:而非|而不是|並非|并非|不是)\s*(?:原報導|原报道|原文|先前報導|先前报道|"
                                    r"此前報導|此前报道)(?:所稱|所称|所述|中)?(?:的)?\s*$")
#: Why a retracted figure is not checked.
RETRACTED_REASON = "a figure the text says was wrong (a correction's retracted figure): not a claim of this text"


def _retracted(f: str, start: int, end: int) -> bool:
    """Whether the figure at ``start``…``end`` of sentence ``f`` is negated and said to be an earlier, wrong report
    ("…at 4.69% on Aug. 20, not 4.96% as originally reported"): a correction retracting it, not a claim."""
    before = f[max(0, start - 24):start]
    return bool(_NEGATED_BEFORE.search(before) and _AS_REPORTED_AFTER.match(f, end)) or bool(
        _NEGATED_REPORT_BEFORE.search(before))


#: A past-tense verb of an observed result before a fiscal figure: "reached", "was", "totalled", "hit", 已达, 达到了.
_OUTCOME_VERB = re.compile(r"\b(?:reached|was|were|totall?ed|hit|topped|amounted\s+to|came\s+in\s+at|stood\s+at|"
                           r"(?:rose|climbed|grew|jumped|soared|surged|swelled)\s+to)\b|"
                           r"已達|已达|達到了|达到了|已經達到|已经达到|已突破|已超過|已超过", re.I)
#: A word of a projection, an estimate or a condition in a figure's clause ("is projected to", "CBO expects", "will",
#: "would", 预计, 将): the figure is not stated as an observed outcome.
_PROJECTION_WORD = re.compile(r"\b(?:project(?:s|ed|ions?)?|expect(?:s|ed|ations?)?|forecasts?|forecasted|will|would|"
                              r"could|(?-i:may)|might|should|estimat(?:e|es|ed)|baseline|on\s+track|set\s+to|if)\b|"
                              r"預測|预测|預計|预计|預估|预估|預期|预期|估計|估计|[將将](?!近)|(?<![國国])[會会]|"
                              r"有望|如果|若", re.I)
#: Words between CBO's projection and a figure that make the figure another one ("…, but the actual was $970bn").
_NOT_PROJECTED = re.compile(r"\b(?:actual(?:ly)?|but|however|while|whereas|outcome)\b|實際|实际|但|而|結果|结果", re.I)
#: A year-back comparison framed at the head of a sentence, before its figures ("Compared with a year earlier, …",
#: 与一年前相比，…): the frame of every change in the sentence that states no cue of its own.
_FRAMED_YEAR = re.compile(rf"[\s\-–—*•]*(?:{_COMPARED_WITH}\s+(?:a|one)\s+year\s+"
                          r"(?:earlier|ago|before)|(?:与|與|和|同|跟|較|较|比)\s*(?:一年前|去年同期|上年同期|去年同月|上年同月)"
                          r"\s*(?:相比|相較|相较|比較|比较|對比|对比)?)\s*[，,]", re.I)
#: A base yield dated weeks before the quote ("from 3.42% a week earlier", "two weeks ago").
_WEEKS_BACK = re.compile(r"\s*(?P<n>a|one|two|three|four|\d)\s+weeks?\s+(?:earlier|ago|before|previously)\b", re.I)
#: "Its" in a figure's clause (其持有的, 其所持): the holder is the subject named before it.
#: Measures a trade figure (exports, imports, a trade balance) would be mistaken for.
_TRADE_CLASHES = _HOLDING_MEASURES | {"monthly_change_pct", "annual_change_pct", "decline_from_peak_pct"}
#: Trade words: exports, imports, trade (not a trade war or talks), a surplus, a deficit with a partner, 出口, 贸易.
_TRADE_WORD = re.compile(r"\bexports?\b|\bimports?\b|\bshipments\b|\btrade\b(?!\s+(?:war|tensions?|talks|disputes?|"
                         r"deals?|frictions?|polic(?:y|ies)|truce|negotiations?|fights?|spat|conflict|barriers?|"
                         r"representative|secretary|court)\b)|\bsurplus(?:es)?\b|\bdeficits?\s+with\b|"
                         r"出口|進口|进口|順差|顺差|逆差|(?:貿易|贸易)(?!戰|战|摩擦|爭端|争端|談判|谈判|協議|协议|緊張|紧张|"
                         r"政策|代表)", re.I)
_TRADE_AFTER = re.compile(r"\s*(?:(?:worth\s+)?of|in)\s+(?:\w+\s+){0,2}(?:exports|imports|shipments|goods)\b|"
                          r"\s*(?:的)?(?:出口|進口|进口|貿易|贸易)", re.I)


def _trade_figure(f: str, cs: int, start: int, end: int) -> bool:
    """Whether the figure at ``start:end`` is a trade figure: a trade word in its clause before it, with no holdings
    word between that word and the figure ("exports fell 20% to $308 billion"; not "Despite its trade surplus,
    China's holdings fell $3.8 billion"), or right after it ("$308 billion of exports", 3080亿美元的出口)."""
    last = None
    for last in _TRADE_WORD.finditer(f, cs, start):
        pass
    if last is not None and not _HOLDINGS_AFTER_TRADE.search(f, last.end(), start):
        return True
    return _TRADE_AFTER.match(f, end) is not None


_HOLDINGS_AFTER_TRADE = re.compile(r"美債|美债|國債|国债|公債|公债|持有|持倉|持仓|增持|減持|减持|Treasur|\bholdings?\b|"
                                  r"\bheld\b|\bhold(?:s|ing)?\b", re.I)


_ITS = re.compile(r"其(?!他|中|餘|余|實|实|次|後|后)|\bits\b", re.I)


def _past_outcome_clause(f: str, attribution_end: int, cs: int, ce: int, at: int) -> bool:
    """Whether the figure at ``at`` stands in a clause of its own, after the words attributing a projection to CBO
    (ending at ``attribution_end``), that states a past outcome ("CBO projects a deficit of $1.86 trillion in fiscal
    2026, after the deficit was $1.87 trillion in fiscal 2025"): a past-tense verb of a result before the figure and
    no word of a projection in its clause (``cs``…``ce``). Such a figure is stated as the year's actual."""
    return cs > attribution_end and bool(_OUTCOME_VERB.search(f, cs, at)) and not _PROJECTION_WORD.search(f, cs, ce)


def _subject_in_clause(f: str, cs: int, at: int) -> bool:
    """Whether a percentage's clause (``cs`` up to the figure at ``at``) names a subject of its own: an instrument
    (a yield, Treasuries), a tenor or another rate or subject of a percentage."""
    return bool(INSTRUMENT_RE.search(f, cs, at) or TENOR_QUOTED.search(f, cs, at) or OTHER_RATE.search(f, cs, at)
                or OTHER_PCT_SUBJECT.search(f, cs, at))


#: A clause that sets its subject beside another's ("unlike the Bund", "by comparison", 相比之下): not the subject of
#: the clause that follows it.
_COMPARATOR_CLAUSE = guarded_re(r"\s*(?:unlike|like|as\s+with|compared\s+(?:with|to)|versus|vs\.?|than|by\s+"
                                r"comparison|in\s+comparison|by\s+contrast|in\s+contrast|相比|相較|相较|對比|对比|不同於|"
                                r"不同于)", re.I)


def _subject_clause(f: str, clauses: list[tuple[int, int]], cs: int) -> tuple[int, int] | None:
    """The clause that holds the subject of a clause naming none (starting at ``cs``): the nearest clause before it
    that names one, past clauses of comparison ("unlike the Bund", "by comparison"); None when there is none."""
    for s0, e0 in reversed([c for c in clauses if c[1] <= cs]):
        if _COMPARATOR_CLAUSE.match(f, s0) or not _subject_in_clause(f, s0, e0):
            continue
        return s0, e0
    return None


def _subject_clause_other_rate(f: str, clauses: list[tuple[int, int]], cs: int) -> bool:
    """Whether the subject of a clause naming none (starting at ``cs``, see :func:`_subject_clause`) is another rate
    than a Treasury yield ("Germany's 10-year Bund, by comparison, sits near 2.9%")."""
    sub = _subject_clause(f, clauses, cs)
    return sub is not None and other_rate_named(f, *sub)


def _subject_clause_other_pct(f: str, clauses: list[tuple[int, int]], cs: int) -> bool:
    """Whether the subject of a clause naming none (starting at ``cs``, see :func:`_subject_clause`) is something
    else than a yield: a stock index, inflation… ("The Hang Seng, by comparison, closed down 1.2%")."""
    sub = _subject_clause(f, clauses, cs)
    return sub is not None and bool(OTHER_PCT_SUBJECT.search(f, *sub)) and not (
        INSTRUMENT_RE.search(f, *sub) or TENOR_QUOTED.search(f, *sub))


#: A US security other than Treasuries: agency debt (機構債), mortgage-backed securities, corporate bonds (公司債),
#: equities (股票).
_OTHER_SECURITY = guarded_re(r"機構債|机构债|機構證券|机构证券|\bagency\s+(?:debt|bonds?|securities|notes|MBS|paper)|"
                             r"\bMBS\b|mortgage[- ]backed|\bcorporate\s+(?:bonds?|debt|securities)|"
                             r"公司債|公司债|企業債|企业债|\bequit(?:y|ies)\b|\bstocks\b|股票|美股", re.I)


def _other_security(f: str, cs: int, ce: int, start: int, end: int, insts: list[tuple[int, int, str]]) -> bool:
    """Whether the security named nearest to a dollar amount (``start``…``end``) in its clause (``cs``…``ce``) is
    another security than Treasuries (:data:`_OTHER_SECURITY`) rather than Treasuries themselves."""
    others = list(_OTHER_SECURITY.finditer(f, cs, ce))
    if not others:
        return False

    def gap(a: int, b: int) -> int:
        return start - b if b <= start else a - end if a >= end else 0

    near = min(gap(m.start(), m.end()) for m in others)
    ust = [gap(i0, i1) for i0, i1, k in insts if k == "ust" and cs <= i0 and i1 <= ce and
           not any(m.start() <= i0 < m.end() for m in others)]
    return not ust or near < min(ust)


#: Rare earths named (稀土, "rare earths", "rare-earth oxide", REO).
_RARE_EARTH = guarded_re(r"稀土|\brare[\s-]+earths?\b|\bREOs?\b", re.I)
#: What a rare-earth tonnage is: reserves (储量, "reserves", deposits) or mine production (产量, mined, output).
_REE_RESERVES = re.compile(r"儲量|储量|蘊藏|蕴藏|\breserves?\b|\bdeposits?\b", re.I)
_REE_PRODUCTION = re.compile(r"產量|产量|開採|开采|開採量|开采量|生產|生产|\bmined\b|\bmines?\b|\bmining\b|"
                             r"\bproduc(?:ed|es|e|tion|ing)\b|\boutput\b", re.I)
#: The USGS key of a country (or the world) named for a rare-earth figure.
_REE_COUNTRIES = [(k, re.compile(p, re.I)) for k, p in (
    ("world", r"\bworld(?:wide)?\b|\bglobal(?:ly)?\b|全球|世界"),
    ("china", r"\bChina\b|\bChinese\b|\bBeijing\b|中国|中國|我国|我國"),
    ("united_states", r"\bUnited\s+States\b|\bU\.S\.|(?-i:\bUS\b)|\bAmerica(?:n|ns)?\b|美国|美國"),
    ("australia", r"\bAustralia(?:n)?\b|澳大利亚|澳大利亞|澳洲"),
    ("burma", r"\bBurma\b|\bMyanmar\b|缅甸|緬甸"),
    ("india", r"\bIndia(?:n)?\b|印度"),
    ("russia", r"\bRussia(?:n)?\b|俄罗斯|俄羅斯"),
    ("brazil", r"\bBrazil(?:ian)?\b|巴西"),
    ("vietnam", r"\bVietnam(?:ese)?\b|越南"),
    ("thailand", r"\bThailand\b|\bThai\b|泰国|泰國"),
    ("malaysia", r"\bMalaysia(?:n)?\b|马来西亚|馬來西亞"),
    ("nigeria", r"\bNigeria(?:n)?\b|尼日利亚|奈及利亞"),
    ("madagascar", r"\bMadagascar\b|马达加斯加|馬達加斯加"),
    ("canada", r"\bCanada\b|\bCanadian\b|加拿大"),
    ("greenland", r"\bGreenland\b|格陵兰|格陵蘭"),
    ("south_africa", r"\bSouth\s+Africa(?:n)?\b|南非"),
    ("tanzania", r"\bTanzania(?:n)?\b|坦桑尼亚|坦尚尼亞"),
)]
#: Words that make a rare-earth tonnage something USGS's mine production or reserves are not: a share, an export or
#: import, a quota, processing or refining, a magnet, demand, a stockpile, a forecast, a capacity.
_REE_OTHER = re.compile(r"出口|进口|進口|配额|配額|冶炼|冶煉|分离|分離|加工|磁|需求|消费|消費|库存|庫存|產能|产能|"
                        r"\bexport|\bimport|\bquotas?\b|\brefin|\bprocess|\bseparat|\bmagnets?\b|\bdemand\b|"
                        r"\bconsum|\bstockpil|\bcapacity\b|\bsmelt", re.I)


def _rare_earth_series(f: str, cs: int, ce: int, at: int, carried: str | None) -> str | None:
    """The USGS series of a tonnage of rare earths (``usgs.ree.<mine_production|reserves>.<country>``): rare earths
    named in its sentence (or the subject of the sentences before: ``carried`` is ``ree``), what it is (reserves or
    mine production, the word nearest before the figure in its clause, else in the sentence) and whose (a country or
    the world named in its clause, else nearest before it in the sentence); None when any is missing, when gold is
    named in the sentence, or when the figure is of something else (exports, a quota, refining, demand…)."""
    if _GOLD_WORD.search(f) or not (_RARE_EARTH.search(f) or carried == "ree") or _REE_OTHER.search(f, cs, ce):
        return None

    def nearest(pattern: re.Pattern[str]) -> re.Match[str] | None:
        own = _last(pattern.finditer(f, cs, at)) or next(pattern.finditer(f, at, ce), None)
        return own or _last(pattern.finditer(f, 0, cs))

    res, prod = nearest(_REE_RESERVES), nearest(_REE_PRODUCTION)
    if res is None and prod is None:
        return None
    kind = "reserves" if prod is None or (res is not None and abs(res.start() - at) < abs(prod.start() - at)) \
        else "mine_production"
    best: tuple[int, str] | None = None
    for key, pattern in _REE_COUNTRIES:
        m = nearest(pattern)
        if m is not None and (best is None or abs(m.start() - at) < best[0]):
            best = (abs(m.start() - at), key)
    return None if best is None else f"usgs.ree.{kind}.{best[1]}"


_YEAR_WORD = re.compile(r"(?<!\d)(?<!\d[.,])(?P<y>(?:19|20)\d\d)(?!\d|[.,]\d|\s*%)(?!\s*年期)|"
                        r"(?P<last>\blast\s+year\b|去年|上年)|(?P<this>\bthis\s+year\b|今年)", re.I)


def _year_named(f: str, article: date | None) -> DateMention | None:
    """The calendar year a sentence names ("in 2025", 2025年, "last year", 去年, "this year"), else None."""
    m = _YEAR_WORD.search(f)
    if m is None:
        return None
    if m.group("y"):
        year: int | None = int(m.group("y"))
    elif article is None:
        return None
    else:
        year = article.year - 1 if m.group("last") else article.year
    return DateMention(m.start(), m.end(), m.group(), year, None, kind="year")


_OWN_YEAR_GAP = re.compile(r"\s*(?:年(?:度)?)?\s*(?:的|['’]s)\s*"
                           r"(?:(?:約|约|近|逾|about|around|roughly|some|nearly)\s*)?", re.I)
_OWN_YEAR_AFTER = re.compile(r"[^，,。;；:：\d]{0,30}?\b(?:in|for|during)\s+(?:calendar\s+)?(?P<y>(?:19|20)\d\d)\b"
                             r"(?!\s*%)", re.I)


def _own_year(f: str, cs: int, ce: int, start: int, end: int, article: date | None) -> DateMention | None:
    """The year of a figure's own (``start``…``end`` in the clause ``cs``…``ce``): named right before it with only a
    possessive between (較2024年的4.55萬噸, "2024's 45,500 tonnes"), else after it in its clause ("45,500 tonnes in
    2024"); None when the figure has none (the sentence's year then dates it)."""
    before = _last(m for m in _YEAR_WORD.finditer(f, cs, start) if _OWN_YEAR_GAP.fullmatch(f, m.end(), start))
    if before is not None:
        return _year_named(f[before.start():before.end()], article)
    after = _OWN_YEAR_AFTER.match(f, end, ce)
    if after is not None:
        return DateMention(after.start("y"), after.end("y"), after.group("y"), int(after.group("y")), None,
                           kind="year")
    return None


def _last(matches: Iterable[re.Match[str]]) -> re.Match[str] | None:
    m = None
    for m in matches:
        pass
    return m


#: A commodity other than gold: a tonnage in a clause naming one (and not gold) is not gold reserves.
_OTHER_COMMODITY = guarded_re(r"稀土|礦|矿|氧化物|原油|石油|大豆|玉米|小麥|小麦|鋼|钢|煤|銅|铜|鋰|锂|"
                              r"鋁|铝|鐵|铁|白銀|白银|"
                              r"\brare[\s-]+earths?\b|\boxides?\b|\bores?\b|\bmined\b|\bmining\b|\boil\b|\bcrude\b|"
                              r"\bsoybeans?\b|\bcorn\b|\bwheat\b|\bsteel\b|\bcoal\b|\bcopper\b|\blithium\b|"
                              r"\balumin(?:i)?um\b|\biron\b|\bsilver\b|\bgallium\b|\bgermanium\b|\bgraphite\b", re.I)
_GOLD_WORD = guarded_re(r"黃金|黄金|金儲備|金储备|\bgold\b|\bbullion\b", re.I)
#: No central bank holds more gold than this (the largest, about 8,100 tonnes or 260 million troy ounces): a larger
#: quantity is another commodity's.
_MAX_GOLD_TONNES = 10_000.0
_MAX_GOLD_MOZ = 350.0


def _commodity_named(f: str) -> str | None:
    """The commodity a sentence is about, for the quantities of the sentences after it that name none: ``gold``,
    ``ree`` (rare earths) or ``other`` (oil, copper…), the one named last; None when it names none."""
    g, o = _GOLD_WORD.search(f), _OTHER_COMMODITY.search(f)
    if g is None or o is None:
        return None if g is None and o is None else "gold" if o is None else (
            "ree" if _RARE_EARTH.search(f) else "other")
    g, o = _last(_GOLD_WORD.finditer(f, g.start())), _last(_OTHER_COMMODITY.finditer(f, o.start()))
    if g is not None and o is not None and g.start() > o.start():
        return "gold"
    return "ree" if _RARE_EARTH.search(f) else "other"
#: A plural right after a rank's noun ("holders", "creditor nations"): the superlative names a class of holders.
_PLURAL_AFTER = re.compile(r"s\b|\s+(?:nations|countries|economies|states|governments)\b", re.I)
#: "since" closing a change's clause with no date of its own ("Down 48% since.", 此後下降48%).
_SINCE_BARE = re.compile(r"\s*(?:since(?:\s+then)?|ever\s+since)\s*[.。!]?\s*$", re.I)
#: What may stand between a base month and its level before a change (2024年12月末的7590亿美元减少755亿美元).
#: The start of a move stated as a pair, "from X to Y" / 从X降至Y / 由X增至Y / 從X跌至Y (:data:`_TO_PAIR_AFTER` the
#: words between the two figures, in one clause).
_FROM_PAIR_BASE = guarded_re(r"(?:\bfrom\s+(?:(?:about|around|roughly|approximately|some|nearly|almost)\s+)?|"
                             r"(?<![自來来])(?:从|從|由)\s*(?:(?:(?:19|20)\d\d\s*年\s*)?(?:\d{1,2}\s*月(?:份)?)?"
                             r"\s*(?:末|底|年底|年末)?[^，,。；;\d]{0,6}?的)?\s*(?:約|约|逾|近)?\s*)$", re.I)
_TO_PAIR_AFTER = guarded_re(r"^(?:\s*(?:美元|US\$|USD|\$))?[^，,。；;:：]{0,30}?(?P<to>至|到|\bto\b)"
                            r"[^，,。；;:：]{0,16}$", re.I)
_BASE_MONTH_TAIL = re.compile(r"\s*(?:末|底)?\s*(?:的)?\s*(?:持仓|持倉|水平|规模|規模)?\s*(?:的)?\s*")
#: What may stand between a comparison's base figure and the change it is the base of (億美元減少約, 亿美元下降了).
_SHORT_LINK = re.compile(r"[^，,。；;:：、\d]{0,14}")
#: A comparison word right before a span (較5年前的, 比5年前, 与5年前的).
#: A year back before a base figure in Chinese (比一年前的X, 較去年同期的X): twelve months before the sentence's month.
_YEAR_AGO_BEFORE_ZH = re.compile(r"(?:(?:一年|1年|12個月|12个月|十二個月|十二个月)(?:前|以前|之前)|去年同期|上年同期)"
                                 r"\s*(?:的)?\s*(?:約|约|近)?\s*$")
_ZH_BASE_WORD_END = re.compile(r"(?:較|较|比|相比|相較於|相较于|高於|高于|低於|低于|對比|对比|與|与)\s*$")
_ZH_BASE_WORD = re.compile(r"(?:較|较|比|與|与|和|同|相比|相較於|相较于|對比|对比)\s*(?=\d|[一二三四五六七八九十兩两])")
_SPAN_MEASURES = frozenset({"monthly_change", "annual_change", "monthly_change_pct", "annual_change_pct",
                            "gold_monthly_change"})
#: What may stand between a figure and a date that trails it ("4.29% on Feb. 2", "$683.5 billion in December").
_TRAILS = re.compile(r"\s*,?\s*(?:on|in|at|as of|for|by|through|during)?\s*(?:the\s+)?", re.I)
#: A sentence that ends as a question ("谁是美债最大的海外持有者？", "Did China sell $27 billion?").
_QUESTION_END = re.compile(r"[?？][」』”\"')）\s]*$")
#: Question words (Chinese) and the words an English question clause opens with (after an optional conjunction).
_QUESTION_ZH = re.compile(r"誰|谁|什麼|什么|甚麼|多少|哪|嗎|吗|呢|是否|是不是|幾(?!乎)|几(?!乎)|怎麼|怎么|如何|為何|为何|何時|何时|"
                          r"難道|难道|可否|能否|有沒有|有没有|會不會|会不会|是不是")
_QUESTION_EN = re.compile(r"\s*(?:(?:and|but|so|or|yet)\s+)?(?:who|what|which|how|why|when|where|whose|is|are|was|"
                          r"were|do|does|did|has|have|had|will|would|can|could|should|shall|may|might|isn[’']t|"
                          r"aren[’']t|wasn[’']t|doesn[’']t|didn[’']t|hasn[’']t|won[’']t)\b", re.I)
_QUESTION_BREAK = re.compile(r"[，,；;：:]|\s[—–-]{1,2}\s|—")
#: Where the last part of a question with no question word may begin: a clause break, an emoji or an opening quote.
_QUESTION_PART = re.compile(rf"{_QUESTION_BREAK.pattern}|[\U0001F000-\U0001FAFF\u2600-\u27BF]\s*|\s[\"“「『]|^[\"“「『]")


def _question_start(f: str) -> int | None:
    """Where the question of a sentence ending in ?/？ begins (the start of the clause holding its question word,
    or of the clause an English question opens), None when the sentence is not a question. A clause before it is
    still a statement ("中国持有美债6835亿美元，这意味着什么？"); when no such word is found, the whole sentence is the
    question."""
    if not _QUESTION_END.search(f):
        return None
    starts = [0] + [m.end() for m in _QUESTION_BREAK.finditer(f)]
    for begin in starts:
        clause_end = next((x for x in starts if x > begin), len(f))
        if _QUESTION_EN.match(f, begin) or _QUESTION_ZH.search(f, begin, clause_end):
            return begin
    # no question word: the question is the last part before the "?" ('… since 2008 👀 "dumping"?'), after a clause
    # break, an emoji or an opening quote; a statement before it is still a claim
    tail = f.rstrip()
    parts = [m.end() for m in _QUESTION_PART.finditer(f, 0, len(tail) - 1)]
    return parts[-1] if parts else 0


#: A comparison word before a yield quoted as the base ("較週四的", "高於前一日的", "相比3月19日的"), up to the figure.
_BASE_BEFORE_ZH = re.compile(r"(?:較|较|比|相比|相較於|相较于|高於|高于|低於|低于)[^，,。；;:%\d]{0,8}?"
                             r"(?:\d{1,2}月\d{1,2}日|\d{1,2}日)?[^，,。；;:%\d]{0,4}?的\s*(?:約|约)?\s*$")
#: What lies between a base figure and the day after it that dates it ("4.25% on Thursday", "4.25% as of March 19").
_BASE_DAY_AFTER = re.compile(r"\s*,?\s*(?:(?:on|at|as\s+of)\s+)?(?:the\s+close\s+(?:of|on)\s+)?", re.I)
#: What lies between a day and the base figure after it ("Thursday's 4.25%", 週四的4.25%, 3月19日收盤的4.25%).
_BASE_DAY_BEFORE = re.compile(r"(?:[’']s\s+(?:close\s+of\s+)?|\s*(?:收盤|收盘|時|时)?\s*的\s*(?:約|约)?\s*)", re.I)


#: A yield quoted as a level of another day that the sentence refers back to ("below the 4.14% it closed at on Nov.
#: 14", "above the 4.2% of a week earlier", "compared with 4.1% on Friday"): its day is not the one the next
#: sentences' quotes take.
_BACK_REF_BEFORE = re.compile(r"(?:\b(?:below|above|under|beneath|short\s+of)\s+(?:the|its|their)|"
                              r"\b(?:than|versus|vs\.?|against|compared\s+(?:with|to)|relative\s+to)(?:\s+(?:the|its|"
                              r"their))?|\b(?:having|had)\s+(?:\w+\s+)?(?:closed|ended|finished|settled|stood|been|"
                              r"hit|reached|touched)(?:\s+(?:at|to|near))?)\s+(?:(?:about|around|roughly|some|nearly)\s+)?$",
                              re.I)
_BACK_REF_AFTER = re.compile(r"\s*(?:that\s+|which\s+)?(?:it|they)\s+(?:had\s+)?(?:closed|ended|finished|settled|"
                             r"hit|reached|touched|stood|was|were|set|posted|recorded)\b", re.I)


#: A day that qualifies something else than the session of the sentence's verb: "Friday's rally", "since Friday",
#: "after Friday", "from Friday", 上週五以來.
_OTHER_DAY_AFTER = re.compile(r"\s*(?:['’]s?\b|以來|以来|之前|前的)")
_OTHER_DAY_BEFORE = re.compile(r"\b(?:since|after|from|than|before|until|till)\s+(?:the\s+)?$|"
                               r"(?:自|從|从|較|较|比)\s*$", re.I)


def _back_reference(f: str, start: int, end: int) -> bool:
    """Whether the yield quoted at ``start``…``end`` is a level of another day the sentence refers back to (see
    :data:`_BACK_REF_BEFORE`): that day dates the quote only."""
    return bool(_BACK_REF_BEFORE.search(f[max(0, start - 40):start]) or _BACK_REF_AFTER.match(f, end))


def _remember_periods(ctx: Context, claims: list[Claim], main: DateMention | None, stated: dict[str, DateMention],
                      resolve: Any) -> None:
    """Keep what this sentence said about periods for the next sentences: a fiscal year; for each family of series
    whose figures the sentence dates (``stated``), the sentence's own month (``main``, read with that family's
    publication lag; a yield: the day of its quote) as the last month stated and, when it is the latest so far,
    the family's reporting month; and the latest month over all families (``ctx.period``)."""
    if main is None or main.kind == "day":
        day = stated.get("yield")
        if day is not None and day.year is not None and day.month is not None:
            ctx.last["yield"] = ctx.periods["yield"] = day  # "on the 19th … The two-year stood at 3.47%"
        return
    rm = resolve(main, series_family(None, ctx.instrument))
    if rm is None or rm.year is None:
        return
    if rm.kind == "fiscal":
        ctx.fiscal.append(rm)
        return
    if rm.month is None or not claims:
        return
    if is_later(rm, ctx.period):
        ctx.period = rm  # the article's reporting month: the latest month it is about
    ctx.last["*"] = rm
    for family, own in stated.items():
        month = own if family == "yield" else resolve(main, family)
        if month is None or month.year is None or month.month is None or month.kind == "fiscal":
            continue
        ctx.last[family] = month
        if is_later(month, ctx.periods.get(family)):
            ctx.periods[family] = month


def _record_level(f: str, m: re.Match[str], figures: list[Claim], quantities: list[Quantity],
                  offset: int) -> Claim | None:
    """The figure a record word is attached to: the one right after it ("a record $901.4 billion", "a record of about
    $8.688 trillion", 創紀錄的210億美元), else the one right before it with no other figure between ("$9.359 trillion
    in November, which was the highest on record", 9014亿美元，创历史新高); None when neither is close."""
    figures = [c for c in figures if c.unit not in ("months", "years", "days", "number", "other currency")]
    after = [c for c in figures if 0 <= c.start - offset - m.end() <= 25]
    if after:
        return min(after, key=lambda c: c.start)
    before = [c for c in figures if c.end - offset <= m.start() and m.start() - (c.end - offset) <= 60]
    if not before:
        return None
    last = max(before, key=lambda c: c.end)
    between = [q for q in quantities if last.end - offset <= q.start and q.end <= m.start()]
    return None if between else last


def _special_claims(f: str, sentence: str, offset: int, lang: str, dates: list[DateMention],
                    holders: list[tuple[int, int, Holder]], quantities: list[Quantity],
                    thresholds: dict[int, Quantity], ctx: Context, make: Any, resolve: Any,
                    main: DateMention | None, clause_of: Any, since_base: Any,
                    figures: list[Claim] | None = None) -> list[Claim]:
    """Claims without a plain quantity: ranks, rank lists, "lowest/highest since", "below X since", record highs,
    and month-by-month directions ("cut in January, February and March")."""
    out: list[Claim] = []
    default_period: list[DateMention | None] = []  # the sentence's own period, worked out when first needed

    def period_near(pos: int) -> DateMention | None:
        cs, ce = clause_of(pos)
        local = [d for d in dates if cs <= d.start <= ce and d.kind in ("month", "day") and not since_base(d)]
        if local:
            return resolve(local[-1], "tic")
        if not default_period:
            default_period.append(resolve(main, "tic") if main is not None else ctx.carried("tic"))
        return default_period[0] if default_period[0] is not None else ctx.carried("tic")

    def passed(h: tuple[int, int, Holder]) -> bool:
        """Whether holder ``h`` is named as the one overtaken ("Britain overtook China to become number two")."""
        return OVERTAKEN_BEFORE.search(f[max(0, h[0] - 24):h[0]]) is not None

    def holder_before(pos: int) -> Holder | None:
        prior = [h for h in holders if h[1] <= pos]
        prior = [h for h in prior if not passed(h)] or prior
        return prior[-1][2] if prior else ctx.holder

    # ranks in an ordered list: "前5名…依序為：日本（…）、英國（…）", "6至10名則為…"
    listed: set[int] = set()
    low = f.lower()
    for m in (RANK_LIST.finditer(f) if "名" in f or "大" in f or "top" in low else ()):
        start = cn_int(m.group("a")) if m.group("a") else 1
        count = (cn_int(m.group("b")) - start + 1) if m.group("b") else cn_int(m.group("n") or m.group("t"))
        items = [h for h in holders if h[0] >= m.end() and h[2].tic][:max(count, 0)]
        if len(items) < 2:
            continue
        p = period_near(m.start())
        for k, (hs, he, h) in enumerate(items):
            listed.add(hs)
            # the claim covers the name and its figure in brackets when there is one
            close = BRACKETED.match(f[he:])
            end = he + (close.end() if close else 0)
            out.append(make(hs, end, start + k, "rank", h, "rank", p, note="rank from the position in an ordered "
                                                                             "list"))
    # single ranks: "第3大外國持有者", "第5名美債持有者加拿大", "the third-biggest creditor", "最大海外持有國"
    if lang == "zh":
        rank_iter = RANK_ZH.finditer(f) if "第" in f or "最大" in f or "首" in f or "次" in f else iter(())
    else:
        rank_iter = RANK_EN.finditer(f) if "larg" in low or "bigg" in low or "top" in low else iter(())
    for m in rank_iter:
        noun = RANK_NOUN.match(f, m.end())
        if m.group("top") and not noun and m.group("top") not in ("首位", "榜首", "居首"):
            continue
        if GROUP_BEFORE.search(f[max(0, m.start() - 7):m.start()]):
            continue  # "the two largest holders", 前兩大: a group, not a rank
        if not noun and "名" not in m.group() and "位" not in m.group() and not m.groupdict().get("n2") and \
                m.group("top") not in ("首位", "榜首", "居首") and not m.groupdict().get("second"):
            continue
        if ECONOMY_AFTER.match(f[m.end():m.end() + 6]):
            continue
        if noun is not None and _PLURAL_AFTER.match(f, noun.end()):
            continue  # "Largest foreign holders of …", "the world's biggest creditor nations": a class, not a rank
        if lang == "zh":
            # 居次, 位居其次: second (after the holder just named)
            n = 1 if m.group("top") else 2 if m.groupdict().get("second") else cn_int(m.group("n") or m.group("n2"))
        else:
            w = (m.group("w") or "").lower()
            n = 1 if m.group("top") else {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                                          "eighth": 8, "ninth": 9, "tenth": 10}.get(w) or int(re.sub(r"\D", "", w))
        end = m.end() + (noun.end() - noun.start() if noun else 0)
        cs, ce = clause_of(m.start())
        after_h = [h for h in holders if end <= h[0] <= min(ce, end + 4)]
        h = after_h[0][2] if after_h else holder_before(m.start())
        if any(x[0] in listed for x in after_h):
            continue
        since_d = [d for d in dates if d.start >= end and SINCE_END.search(f[max(0, d.start - 7):d.start])
                   and d.start - end < 70]
        if n == 1 and since_d and lang == "en":
            d = resolve(since_d[0], "tic")
            out.append(make(m.start(), since_d[0].end, d.iso if d else None, "month", h, "rank1_since",
                            period_near(m.start()), note="first month of the current run as the largest holder"))
            continue
        if h is None or h.tic is None:
            out.append(make(m.start(), end, n, "rank", h, None, None, "a rank of something not in the TIC table"))
            continue
        out.append(make(m.start(), end, n, "rank", h, "rank", period_near(m.start())))
    # "Japan is still number one", "Britain ranks No. 2": a rank said as a number (a holder named before it)
    for m in (RANK_NUMBER_EN.finditer(f) if lang == "en" and ("number" in low or "no." in low or "#" in low
                                                              or "place" in low) else ()):
        word = (m.group("n") or m.group("h") or m.group("p")).lower()
        n = int(word) if word.isdigit() else EN_WORDS.get(word) or EN_ORDINALS.get(word) or int(re.sub(r"\D", "", word))
        prior = [x for x in holders if x[1] <= m.start() and clause_of(x[0]) == clause_of(m.start())]
        prior = [x for x in prior if not passed(x)] or prior
        if not prior and ctx.holder is not None and not holders and re.match(r"\s*(?:it|they)\b", f, re.I):
            # "Japan. It held $1,185.5 billion … and is still number one": the holder the pronoun stands for
            prior = [(0, 0, ctx.holder)]
        if not 1 <= n <= 20 or not prior:
            continue
        h = prior[-1][2]
        out.append(make(m.start(), m.end(), n, "rank", h, "rank" if h.tic else None, period_near(m.start()),
                        None if h.tic else "a rank of something not in the TIC table"))
    # "2008年10月以來最低", "lowest since February 2009", "below $1 trillion since April 2022"
    has_since = "以來" in f or "以来" in f or "since" in low
    for d in (dates if has_since else ()):
        if d.kind not in ("month", "year", "day"):
            continue
        za = SINCE_AFTER_DATE.match(f, d.end)
        eb = SINCE_BEFORE_DATE.search(f[max(0, d.start - 90):d.start]) if re.search(
            r"since\s*$", f[max(0, d.start - 7):d.start], re.I) else None
        if not za and not eb:
            continue
        if eb is not None and FIRST_HINT.search(eb.group()):
            continue  # "below $700 billion … for the first time since 2008": a claim of its own (first_below_since)
        sd = resolve(d, "tic")
        h = holder_before(d.start)
        inst = next((m.lastgroup for m in INSTRUMENT_RE.finditer(f)), ctx.instrument)
        if za:
            kind = "lowest_since" if za.group("low") else "highest_since"
            s0 = d.start - (1 if f[max(0, d.start - 1):d.start] == "自" else 0)
            s, e = s0, za.end()
        else:
            assert eb is not None
            g = eb.groupdict()
            kind = ("lowest_since" if g["low"] else "highest_since" if g["high"] else
                    "below_threshold_since" if g["below"] else "above_threshold_since")
            s, e = max(0, d.start - 90) + eb.start(), d.end
        p = period_near(s) if not eb else (resolve(main, "tic") if main is not None and main.start != d.start
                                           else ctx.carried("tic"))
        if inst in ("fx", "reserves"):
            out.append(make(s, e, sd.iso if sd else None, "month", h, None, p,
                            "foreign-exchange reserves: the store's FRED series ends 2024-11"))
            continue
        extra: dict[str, Any] = {}
        if kind.endswith("threshold_since"):
            th = [t for t in thresholds.values() if s <= t.start < d.start]
            if not th:
                continue
            extra["threshold"] = th[0].value
        if kind == "highest_since" and eb is not None and g.get("high") and g["high"].lower() in ("largest", "biggest"):
            continue  # handled as rank1_since
        out.append(make(s, e, sd.iso if sd else None, "month", h, kind if h and h.tic else None, p,
                        None if h and h.tic else "no holder in the TIC table", extra=extra))
    # "創下17年來最低紀錄"
    for m in (YEARS_SINCE.finditer(f) if "年來" in f or "年来" in f or "年以" in f else ()):
        h = holder_before(m.start())
        kind = "lowest_since" if m.group("low") else "highest_since"
        out.append(make(m.start(), m.end(), cn_int(m.group("n")), "years", h, kind if h and h.tic else None,
                        period_near(m.start()), None if h and h.tic else "no holder in the TIC table"))
    # "reaching a record high in December", "a record $901.4 billion", "…, which was the highest on record",
    # 创历史新高: the record is the level it is attached to (that figure's holder and month), else the month named
    # right after it ("a record the month before")
    for m in (RECORD.finditer(f) if any(w in low for w in RECORD_HINTS) else ()):
        if any(c.start - offset <= m.start() < c.end - offset for c in out):
            continue
        after_d = [d for d in dates if m.end() <= d.start <= m.end() + 12 and not since_base(d) and not any(
            m.end() <= q.start < d.start for q in quantities)]
        level = _record_level(f, m, figures or [], quantities, offset)
        h = holder_before(m.start())
        if level is not None and level.holder is not None:
            h = Holder(level.holder, level.holder_key, level.gold_key)
        if after_d:
            p = resolve(after_d[0], "tic")
        elif level is not None:
            p = as_mention(level.period)
        else:
            p = period_near(m.start())
        own_d = [d for d in dates if m.start() <= d.start < m.end() and d.kind in ("month", "day")]
        if own_d and (own_p := resolve(own_d[0], "tic")) is not None:
            p = own_p  # "down from Nov's record": the month named as the record's own
        elif not after_d and level is None and p is not None and p.month is not None and \
                m.group().lower().startswith("from") and _FELL_BEFORE.search(f, 0, m.start()):
            # "Holdings fell in December from a record high": the record is the level it fell from, the month
            # before the one the fall is dated by
            p = months_before(p, 1) or p
        e = after_d[0].end if after_d else m.end()
        inst = level.extra.get("instrument") if level is not None else next(
            (x.lastgroup for x in INSTRUMENT_RE.finditer(f)), ctx.instrument)
        if level is not None and level.measure is None and level.unit == "USD bn" and inst in ("ust", None):
            out.append(make(m.start(), e, "record", "flag", h, None, p, f"the level it is attached to is not "
                                                                         f"checkable ({level.reason})"))
            continue
        if (level is not None and level.measure not in RECORD_LEVELS) or inst not in ("ust", None):
            h = h if level is not None else None  # a record of debt, interest, gold…: no holder's series
            out.append(make(m.start(), e, "record", "flag", h, None, p, "a record of a figure other than Treasury "
                                                                         "holdings: only a holder's TIC series is "
                                                                         "checked for records"))
            continue
        out.append(make(m.start(), e, "record", "flag", h, "record_high" if h and h.tic else None, p,
                        None if h and h.tic else "no holder in the TIC table"))
    # "China trimmed its holdings in January, February, and March" (no amount: a direction per month)
    if lang == "en" and not quantities:
        verbs = list(DIRECTION_VERB.finditer(f))
        months = [d for d in dates if d.kind == "month" and d.month is not None]
        if verbs and months and (INSTRUMENT_RE.search(f) or PRONOUN.search(f)):
            groups: dict[int, list[DateMention]] = {k: [] for k in range(len(verbs))}
            for d in months:
                k = max([j for j, v in enumerate(verbs) if v.start() < d.start] or [0])
                groups[k].append(d)
            h = holder_before(verbs[0].start())
            for k, v in enumerate(verbs):
                if not groups[k]:
                    continue
                ds = [resolve(d, "tic") for d in groups[k]]
                if any(x is None or x.year is None for x in ds):
                    continue
                s = min(v.start(), groups[k][0].start)
                e = max(v.end(), groups[k][-1].end)
                direction = "down" if v.group("down") else "up"
                c = make(s, e, direction, "direction", h, "monthly_change_direction" if h and h.tic else None,
                         ds[0], None if h and h.tic else "no holder named")
                c.extra["periods"] = [x.iso for x in ds if x is not None]
                out.append(c)
    return out


def extract_claims(text: str | Iterable[str], lang: str = "auto", article_date: date | None = None) -> Iterator[Claim]:
    """Every claim in ``text`` (a string or an iterable of chunks), in order of appearance; never raises on input.

    ``article_date`` resolves relative dates ("9月", "last month"); when None it is looked for in a dateline near
    the top of the text, and when there is none, periods that need it stay unknown (the checker then compares with
    the latest release and says so).
    """
    if lang not in ("auto", "zh", "en"):
        raise ValueError(f"lang must be auto, zh or en, not {lang!r}")
    chunks = [text] if isinstance(text, str) else text
    ctx = Context(article=article_date)
    first = True
    content_end = 0  # where the previous sentence's words end in ``text``
    for offset, sentence in iter_sentences(chunks):
        if first and ctx.article is None:
            ctx.article = find_article_date(sentence if not isinstance(text, str) else text)
        lead = len(sentence) - len(sentence.lstrip())
        ctx.new_paragraph = first or not isinstance(text, str) or "\n" in text[content_end:offset + lead]
        content_end = offset + len(sentence.rstrip())
        first = False
        try:
            from_table = table_claims(sentence, offset, lang, ctx)
            if from_table is not None:  # a table's header or one of its rows
                yield from from_table
                continue
            yield from extract_sentence(sentence, offset, lang, ctx)
        except (ValueError, IndexError, KeyError, ArithmeticError, RecursionError, AttributeError,
                TypeError):  # pragma: no cover - belt
            continue


#: A table names Treasury holdings in its header, or follows text about them.
_TREASURY_WORDS = re.compile(r"treasur|美債|美债|美國國債|美国国债|美國公債|美国公债|国债|國債", re.I)
#: How many sentences before a table's header its notes may stand ("Figures in USD billions.").
_UNIT_NOTE_REACH = 6
#: A note on what a table's change column measures ('"Change" is the change from the prior month', 變動為同比).
_CHANGE_NOTE = re.compile(r"\bchanges?\b[^.。]{0,20}\b(?:is|are|means?|shows?|refers? to)\b|(?:變動|变动|增減|增减)"
                          r"(?:為|为|指|是)", re.I)


def _table_month(cell: str, ctx: Context) -> str | None:
    """The month (``YYYY-MM``) a table cell names ("Dec 2025", "2025-12", 2025年12月), else None."""
    for d in find_dates(fold_width(cell)):
        if d.month is not None and d.kind in ("month", "day"):
            r = resolved(d, ctx.article, "tic")
            if r.year is not None:
                return r.iso
    return None


def table_claims(sentence: str, offset: int, lang: str, ctx: Context) -> list[Claim] | None:
    """Claims of a line of a text table (:mod:`.tables`): None when ``sentence`` is neither a table's header nor one
    of its rows (it is then read as a sentence); an empty list for a header, a rule line or a row without a holder.

    Each numeric cell of a row under a column of a covered measure (holdings; a monthly or an annual change, in
    dollars or in percent) is one claim about the row's holder, in the row's month (its month column, else the
    month the column is named after, else the reporting month of the text before, else the latest release).
    """
    f = fold_width(sentence)
    if ctx.table is not None:
        cells = read_row(f, ctx.table)
        if cells is not None:
            return _row_claims(sentence, f, offset, lang, ctx, ctx.table, cells)
        ctx.table = None
    header = None
    if "|" in f or "\t" in f or "  " in f.strip():
        # the notes just before a header state its unit ("Figures in USD billions.") and what "Change" means
        unit = next((u for u in map(unit_note, reversed(ctx.recent)) if u is not None), None)
        header = read_header(f, lambda cell: _table_month(cell, ctx), unit)
    if header is None or not (ctx.instrument in ("ust", None) or _TREASURY_WORDS.search(f)):
        ctx.recent = [*ctx.recent[1 - _UNIT_NOTE_REACH:], f]
        return None
    notes = [x for x in ctx.recent if ("hange" in x or "變動" in x or "变动" in x) and _CHANGE_NOTE.search(x)]
    if notes and ANNUAL.search(notes[-1]):  # '"Change" is the change from a year earlier.'
        header.columns = [replace(c, kind="annual_change") if c.kind == "monthly_change" and not
                          MONTH_ON_MONTH.search(c.name) else c for c in header.columns]
    ctx.table = header
    ctx.instrument = "ust"
    return []


def _row_claims(sentence: str, f: str, offset: int, lang: str, ctx: Context, table: Table,
                cells: list[tuple[int, str]]) -> list[Claim]:
    """The claims of one row of ``table`` (see :func:`table_claims`)."""
    if not cells:
        return []
    holder: Holder | None = None
    month: str | None = None
    period_from = ""
    for col, (_start, text) in zip(table.columns, cells, strict=True):
        if col.kind == "holder" and holder is None:
            named = [h for _s, _e, h in find_holders(text, word_starts(text)) if h.tic]
            holder = named[0] if named else None
        elif col.kind == "period" and month is None:
            month = _table_month(text, ctx)
            period_from = f"the table's '{col.name}' column"
    if holder is None:
        return []
    stated = month
    out: list[Claim] = []
    for col, (start, text) in zip(table.columns, cells, strict=True):
        if col.kind not in ("level", "monthly_change", "annual_change"):
            continue
        read = cell_number(text)
        if read is None:
            continue
        value, sign, half = read
        if col.percent and col.kind != "level":
            measure, unit, factor = f"{col.kind}_pct", "percent", 1.0
        elif col.factor is not None:
            measure, unit, factor = ("holdings_level" if col.kind == "level" else col.kind), "USD bn", col.factor
        else:
            continue  # an amount with no unit stated anywhere (it could be millions)
        value *= factor
        if col.kind != "level" and sign:
            value *= sign
        period = stated or col.month
        note = period_from if stated else (f"the table's column '{col.name}'" if col.month else "")
        if period is None:
            carried = ctx.carried("tic")
            period = carried.iso if carried is not None and carried.year is not None else None
            note = "the reporting month of the text before the table" if period else ""
        claim = Claim(quote=sentence[start:start + len(text)], start=offset + start, end=offset + start + len(text),
                      value=round(value, 6), unit=unit, holder=holder.name, measure=measure, period=period,
                      lang=lang if lang != "auto" else detect_lang(f), text=sentence.strip(),
                      holder_key=holder.tic, gold_key=holder.gold, precision=half * factor,
                      period_note=f"from {note}" if note else None,
                      extra={"instrument": "ust", "table_column": col.name})
        out.append(claim)
    ctx.holder = holder
    if stated is not None:
        mention = DateMention(0, 0, stated, int(stated[:4]), int(stated[5:]))
        ctx.last["tic"] = ctx.last["*"] = mention
        if is_later(mention, ctx.periods.get("tic")):
            ctx.periods["tic"] = mention
        if is_later(mention, ctx.period):
            ctx.period = mention
    return out
