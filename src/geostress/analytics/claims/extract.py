"""Find the quantities a text states and link each to what it claims: holder, instrument, measure and period.

The extractor works sentence by sentence (:func:`iter_sentences` streams from any iterable of text chunks), so a
long text never needs one big regular-expression pass, and no input can make it raise: a sentence it cannot read
yields no claim, a quantity it cannot map yields a claim with ``measure=None`` (reported as not checkable).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import codecs
import sys
from pathlib import Path

from geostress.analytics.claims.numbers import (
    CURRENCY_PREFIX,
    EN_WORDS,
    SCALES,
    SCALE_AFTER,
    UNIT_PATTERNS,
    DateMention,
    NumberError,
    find_dates,
    fold_width,
    parse_decimal,
)
from geostress.errors import DataError

MAX_SENTENCE = 2000  # characters; a longer run without a sentence end is cut (at a space or comma when possible)

# -- vocabulary --------------------------------------------------------------------------------------------------
#: keyword regex → (display name, TIC key, WGC key). Longest alternatives first within each entry.
SUBJECTS: list[tuple[str, str, str | None, str | None]] = [
    (r"外國官方|外国官方|foreign official(?: institutions| holders)?", "Foreign official", "foreign_official", None),
    (r"外國投資者|外国投资者|海外投資者|海外投资者|外資|外资|foreign investors|overseas investors|all foreign holders|"
     r"total foreign holdings|foreign holdings of", "All foreign holders", "grand_total", None),
    (r"中國大陸|中国大陆|中國|中国|中方|北京|人民銀行|人民银行|人行|China|Chinese|Beijing|PBOC|PBoC", "China",
     "china_mainland", "china"),
    (r"日本|Japan(?:ese)?|Tokyo", "Japan", "japan", "japan"),
    (r"英國|英国|United Kingdom|Britain|British|\bUK\b", "United Kingdom", "united_kingdom", "united_kingdom"),
    (r"台灣|台湾|臺灣|Taiwan", "Taiwan", "taiwan", "taiwan"),
    (r"香港|Hong Kong", "Hong Kong", "hong_kong", "hong_kong"),
    (r"印度|India(?:n)?\b", "India", "india", "india"),
    (r"沙特|沙烏地|沙乌地|Saudi(?: Arabia)?", "Saudi Arabia", "saudi_arabia", "saudi_arabia"),
    (r"加拿大|Canada", "Canada", "canada", "canada"),
    (r"瑞士|Switzerland|Swiss", "Switzerland", "switzerland", "switzerland"),
    (r"比利時|比利时|Belgium", "Belgium", "belgium", None),
    (r"盧森堡|卢森堡|Luxembourg", "Luxembourg", "luxembourg", "luxembourg"),
    (r"開曼|开曼|Cayman(?: Islands)?", "Cayman Islands", "cayman_islands", None),
    (r"俄羅斯|俄罗斯|Russia(?:n)?", "Russia", "russia", "russia"),
    (r"德國|德国|Germany|German", "Germany", "germany", "germany"),
    (r"法國|法国|France|French", "France", "france", "france"),
    (r"韓國|韩国|South Korea|Korea", "South Korea", "korea_south", "south_korea"),
    (r"波蘭|波兰|Poland|Polish", "Poland", "poland", "poland"),
    (r"土耳其|Turkey|Türkiye", "Turkey", "turkey", "turkey"),
    (r"巴西|Brazil", "Brazil", "brazil", "brazil"),
    (r"新加坡|Singapore", "Singapore", "singapore", "singapore"),
    (r"挪威|Norway", "Norway", "norway", "norway"),
    (r"愛爾蘭|爱尔兰|Ireland", "Ireland", "ireland", "ireland"),
]
_SUBJECT_RE = re.compile("|".join(f"(?P<s{i}>{pat})" for i, (pat, *_rest) in enumerate(SUBJECTS)), re.I)

INSTRUMENTS: list[tuple[str, str]] = [
    ("fx", r"外匯儲備|外汇储备|外儲|外储|foreign[- ]exchange reserves|FX reserves|forex reserves"),
    ("yield", r"收益率|殖利率|利率|yields?\b"),
    ("ust", r"美國國債|美国国债|美國公債|美国公债|美國政府債券|美国政府债券|美國國庫券|美国国库券|美債|美债|國債|国债|公債|"
            r"Treasur(?:y|ies)|T-bills|U\.?S\.? (?:government )?debt|U\.?S\.? government bonds|US bonds"),
    ("gold", r"黃金|黄金|金儲備|金储备|gold"),
]  # fmt: skip
_INSTRUMENT_RE = re.compile("|".join(f"(?P<{k}>{p})" for k, p in INSTRUMENTS), re.I)

PEAK = re.compile(r"高峰|峰值|巔峰|巅峰|最高|高點|高点|頂峰|顶峰|紀錄|纪录|peak|record|all-time high|\bhigh\b", re.I)
DECLINE = re.compile(r"減幅|减幅|跌幅|降幅|下降|下跌|下滑|減少|减少|縮減|缩减|縮水|缩水|萎縮|萎缩|減持|减持|拋售|抛售|回落|"
                     r"降|跌|減|减|declin|fell|fall|drop|down|lower|cut|shed|reduc|slid|slump|shrank|shrunk", re.I)
BUYING = re.compile(r"增持|增加|買入|买入|購入|购入|購買|购买|加倉|加仓|囤|buy|bought|purchas|add|increas|accumulat",
                    re.I)
CONSECUTIVE = re.compile(r"連續|连续|持續|持续|consecutive|straight|in a row|running|successive", re.I)
DEADLINE = re.compile(r"期限|限期|截止日期|最後期限|最后期限|到期|之前|以前|deadline|no later than|within|\bby\b|before",
                      re.I)
TENOR_10Y = re.compile(r"10\s*年期|十年期|10-year|ten-year|10-yr|10y\b", re.I)
_CONNECTOR = re.compile(r"降至|跌至|減至|减至|增至|升至|回落至|至|到|\bto\b|\band\b|\bwhile\b|\bbut\b|而|再", re.I)
_CLAUSE_BREAK = re.compile(r"[，；：、]|[,;:](?!\d)|\s[-–—]\s")

QUALIFIERS = [
    ("approx", r"大約|大约|大概|約|约|about|around|approximately|roughly|some|an estimated|circa|~"),
    ("more_than", r"超過|超过|超出|多於|多于|高於|高于|逾|more than|over|above|in excess of|upwards of"),
    ("nearly", r"逼近|接近|將近|将近|近|nearly|almost|close to|just under|approaching"),
    ("less_than", r"不到|不足|低於|低于|少於|少于|less than|under|below|fewer than"),
    ("at_least", r"至少|最少|at least|no less than"),
]
_QUAL_BEFORE = re.compile("(?:" + "|".join(f"(?P<{k}>{p})" for k, p in QUALIFIERS) + r")\s*$", re.I)
_QUAL_AFTER = re.compile(r"^\s*(?:(?P<approx>左右|上下|or so)|(?P<more_than>以上|之多|多|餘|余|plus\b)|"
                         r"(?P<at_least>or more\b)|(?P<less_than>以下|or less\b))", re.I)

_CN = "零〇一二兩两三四五六七八九十百千萬万億亿兆"
_NUMRUN = re.compile(rf"(?<![A-Za-z0-9_.])(?:\d[\d,]*(?:\.\d+)?|\.\d+|[{_CN}])(?:\d|[.,]\d|[{_CN}]|多(?=[十百千萬万億亿兆]))*")
_PERCENT_CN = re.compile(r"百分之([零〇一二兩两三四五六七八九十百\d]+(?:[點点.][零〇一二三四五六七八九\d]+)?)")
_EN_COUNT = re.compile(r"\b(" + "|".join(sorted(EN_WORDS, key=len, reverse=True)) + r")(?=[\s-]+(?:consecutive\s+|"
                       r"straight\s+|successive\s+)?(?:months?|days?|years?)\b)", re.I)
_CANON = {"USD": "USD bn", "oz": "million troy oz", "tonnes": "tonnes", "%": "percent", "pp": "pp",
          "months": "months", "days": "days", "years": "years", "number": "number"}  # fmt: skip
_TO_CANON = {"USD": 1e-9, "oz": 1e-6}


@dataclass
class Quantity:
    """One number with its unit, in the canonical unit of its kind (USD bn, million troy oz, tonnes, percent...)."""

    start: int  # offsets within the sentence
    end: int
    raw: str
    value: float
    unit: str
    qualifier: str | None = None
    precision: float = 0.0  # half a unit of the last digit written, in the canonical unit


@dataclass
class Claim:
    """A quantity the text states, what it is linked to and (after checking) the verdict."""

    text: str
    start: int
    end: int
    quote: str
    value: float | None
    unit: str
    period: str | None
    measure: str | None
    subject: str | None
    qualifier: str | None = None
    lang: str = "en"
    period_fuzz: int = 0
    period_start: str | None = None
    precision: float = 0.0
    subject_key: str | None = None
    subject_gold_key: str | None = None
    reason: str | None = None
    verdict: str = "not_checkable"
    data_value: float | None = None
    data_period: str | None = None
    series: str | None = None
    vintage: str | None = None
    source: str | None = None
    tolerance: float | None = None
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("period_fuzz", "precision", "subject_key", "subject_gold_key", "extra"):
            out.pop(key)
        return out


# -- sentences -----------------------------------------------------------------------------------------------------
_BOUNDARY = re.compile(r"[。！？；!?;]+[」』”\"')）]*|\n\s*\n|\n|(?<=[^\s.])\.(?=\s)")
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
            if m.group() == "." and _ABBREV.search(buf, max(0, m.start() - 8), m.start()):
                continue
            yield from _cut(base + pos, buf[pos : m.end()])
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


def detect_lang(text: str) -> str:
    """``zh`` when the text holds CJK ideographs, else ``en``."""
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


# -- quantities ----------------------------------------------------------------------------------------------------
def _precision(raw: str, multiplier: float) -> float:
    digits = re.sub(r"[^\d.]", "", raw.split("萬")[0].split("万")[0].split("億")[0].split("亿")[0])
    if not digits or re.search(f"[{_CN}]", raw.replace("萬", "").replace("万", "").replace("億", "")
                                                 .replace("亿", "").replace("兆", "")):
        return 0.0
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    big = 1.0
    tail = raw[len(raw.rstrip("萬万億亿兆")) :]
    for ch in tail:
        big *= {"萬": 1e4, "万": 1e4, "億": 1e8, "亿": 1e8, "兆": 1e12}[ch]
    return 0.5 * 10.0 ** (-decimals) * big * multiplier


def find_quantities(f: str, masked: str) -> list[Quantity]:
    """Quantities in the width-folded sentence ``f``; ``masked`` is ``f`` with its dates blanked out."""
    out: list[Quantity] = []
    for m in _PERCENT_CN.finditer(masked):
        raw = m.group(1).replace("點", ".").replace("点", ".")
        try:
            if "." in raw:
                whole, frac = raw.split(".", 1)
                frac_digits = "".join(str(int(parse_decimal(c))) for c in frac)
                value = float(parse_decimal(whole)) + float("0." + frac_digits)
            else:
                value = float(parse_decimal(raw))
        except (NumberError, ValueError):
            continue
        qb = _QUAL_BEFORE.search(f[max(0, m.start() - 14) : m.start()])
        qual = next(k for k, v in qb.groupdict().items() if v) if qb else None
        out.append(Quantity(m.start(), m.end(), m.group(), value, "percent", qual, 0.5 if "." not in raw else 0.05))
    taken = [(q.start, q.end) for q in out]
    for m in _NUMRUN.finditer(masked):
        s, e = m.span()
        if any(s < te and ts < e for ts, te in taken):
            continue
        raw = m.group().rstrip(",.")
        e = s + len(raw)
        has_arabic = bool(re.search(r"\d", raw))
        if not has_arabic and len(raw) == 1 and raw in "十百千萬万億亿兆":
            continue
        try:
            value = float(parse_decimal(raw))
        except (NumberError, ValueError, ArithmeticError):
            continue
        mult = 1.0
        end = e
        scale = None
        if has_arabic and not re.search("[萬万億亿兆]", raw):
            sm = SCALE_AFTER.match(f, end)
            if sm:
                scale = sm.group(1).lower()
                mult = SCALES[scale]
                end = sm.end()
        unit = None
        for name, pattern in UNIT_PATTERNS:
            um = pattern.match(f, end)
            if um:
                unit, end = name, um.end()
                break
        prefix = CURRENCY_PREFIX.search(f[max(0, s - 6) : s])
        if prefix and unit in (None, "USD"):
            unit = "USD"
        if unit is None:
            if re.search("[萬万億亿兆]", raw) or scale:
                unit = "number"
            else:
                continue  # a bare number (a count, an ordinal, a code): not a quantity claim
        if not has_arabic and unit == "number":
            continue
        qs = s - (len(prefix.group()) if prefix else 0)
        qual = None
        qb = _QUAL_BEFORE.search(f[max(0, qs - 14) : qs])
        if qb:
            qual = next(k for k, v in qb.groupdict().items() if v)
            if qual == "nearly" and qb.group() == "近" and f[max(0, qs - 3) : qs].endswith(("最近", "附近")):
                qual = None
        if "多" in raw or re.match(r"個多|个多", f[e:e + 2]):
            qual = "more_than"
        qa = _QUAL_AFTER.match(f[end:end + 8])
        if qa and qual is None:
            qual = next(k for k, v in qa.groupdict().items() if v)
        total = value * mult
        canon = _TO_CANON.get(unit, 1.0)
        out.append(Quantity(qs, end, f[qs:end], total * canon, _CANON[unit], qual, _precision(raw, mult * canon)))
        taken.append((qs, end))
    for m in _EN_COUNT.finditer(masked):
        if any(m.start() < te and ts < m.end() for ts, te in taken):
            continue
        for name, pattern in UNIT_PATTERNS:
            um = pattern.match(f, m.end()) or re.compile(r"[\s-]+").match(f, m.end())
            if name in ("months", "days", "years") and um:
                um2 = pattern.match(f, um.end()) if um.end() > m.end() and not pattern.match(f, m.end()) else um
                if um2 and um2.end() > m.end():
                    out.append(Quantity(m.start(), um2.end(), f[m.start():um2.end()],
                                        float(EN_WORDS[m.group(1).lower()]), name))
                    break
    return sorted(out, key=lambda q: q.start)


# -- linking -------------------------------------------------------------------------------------------------------
@dataclass
class Context:
    """What earlier sentences said (holder and instrument carry over to the next sentences)."""

    subject: int | None = None
    instrument: str | None = None


def _clauses(f: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in _CLAUSE_BREAK.finditer(f):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(f)))
    return out


def _nearest(mentions: list[tuple[int, int, Any]], pos: int) -> Any:
    before = [x for x in mentions if x[1] <= pos]
    if before:
        return before[-1][2]
    after = [x for x in mentions if x[0] >= pos]
    return after[0][2] if after else None


def _subject_at(sub_mentions: list[tuple[int, int, Any]], pos: int) -> Any:
    return _nearest(sub_mentions, pos)


def _is_deadline(f: str, d: DateMention) -> bool:
    """A date followed by 前/之前 or preceded by 'by', 'before', 'deadline', 期限."""
    return bool(re.match(r"\s*(?:之前|以前|前)", f[d.end : d.end + 4]) or re.search(
        r"(?:deadline(?: of| is)?|no later than|\bby|before|期限|限期)\s*(?:the\s+)?(?:end\s+of\s+)?$",
        f[max(0, d.start - 20) : d.start], re.I))


def extract_sentence(sentence: str, offset: int, lang: str, ctx: Context) -> list[Claim]:
    """Claims in one sentence (``offset``: where it starts in the whole text)."""
    f = fold_width(sentence)
    dates = find_dates(f)
    masked = list(f)
    for d in dates:
        masked[d.start : d.end] = " " * (d.end - d.start)
    quantities = find_quantities(f, "".join(masked))
    lang = detect_lang(f) if lang == "auto" else lang
    subs = [(m.start(), m.end(), int(m.lastgroup[1:])) for m in _SUBJECT_RE.finditer(f) if m.lastgroup]
    insts = [(m.start(), m.end(), m.lastgroup) for m in _INSTRUMENT_RE.finditer(f) if m.lastgroup]
    claims: list[Claim] = []
    clauses = _clauses(f)

    def clause_of(pos: int) -> tuple[int, int]:
        return next((c for c in clauses if c[0] <= pos <= c[1]), (0, len(f)))

    # local context of each quantity: its clause, cut at neighbouring quantities (the gap goes to the later one
    # after the last connector word)
    locals_: list[str] = []
    for i, q in enumerate(quantities):
        cs, ce = clause_of(q.start)
        lo = cs
        if i > 0 and quantities[i - 1].end > cs:
            gap = f[quantities[i - 1].end : q.start]
            last = None
            for last in _CONNECTOR.finditer(gap):
                pass
            lo = quantities[i - 1].end + (last.end() if last else len(gap))
        hi = ce
        if i + 1 < len(quantities) and quantities[i + 1].start < ce:
            gap = f[q.end : quantities[i + 1].start]
            last = None
            for last in _CONNECTOR.finditer(gap):
                pass
            hi = q.end + (last.start() if last else 0)
        locals_.append(f[lo:q.start] + " " + f[q.end:hi])

    used_dates: set[int] = set()
    q_dates: list[DateMention | None] = []
    for i, q in enumerate(quantities):
        cs, ce = clause_of(q.start)
        prev_end = quantities[i - 1].end if i > 0 else -1
        next_start = quantities[i + 1].start if i + 1 < len(quantities) else len(f) + 1
        before = [d for d in dates if cs <= d.start and d.end <= q.start and d.start >= prev_end]
        after = [d for d in dates if q.end <= d.start and d.end <= ce and d.end <= next_start]
        order = (after[:1] + before[-1:]) if lang == "en" else (before[-1:] + after[:1])
        chosen = order[0] if order else None
        if chosen is None:  # a date in a clause of its own (截至2025年底，…) holds for the sentence
            free = [d for d in dates if not any(clause_of(x.start) == clause_of(d.start) for x in quantities)]
            prior = [d for d in free if d.end <= q.start]
            later = [d for d in free if d.start >= q.end and not _is_deadline(f, d)]
            chosen = prior[-1] if prior else (later[0] if later else None)
        if chosen is not None:
            used_dates.add(chosen.start)
        q_dates.append(chosen)

    sentence_subject = _nearest(subs, 0) if subs else None
    if subs:
        ctx.subject = subs[-1][2]
    has_peak_quantity = False
    for i, q in enumerate(quantities):
        local = locals_[i]
        subj_idx = _subject_at(subs, q.start)
        if subj_idx is None:
            subj_idx = ctx.subject if sentence_subject is None else sentence_subject
        inst = _nearest(insts, q.start) if insts else ctx.instrument
        d = q_dates[i]
        measure: str | None = None
        reason = None
        period_start = None
        if q.unit in ("USD bn", "number"):
            if inst == "ust" and q.unit == "number":
                q.unit = "USD bn"
                q.value *= 1e-9
                q.precision *= 1e-9
            if q.unit == "number":
                reason = "a number without a unit"
            elif inst == "ust":
                if subj_idx is None:
                    reason = "no holder named (whose Treasury holdings?)"
                elif PEAK.search(local):
                    measure = "ust_holdings_peak"
                    has_peak_quantity = True
                else:
                    measure = "ust_holdings"
            elif inst == "fx":
                reason = "foreign-exchange reserves: no series in the store"
            elif inst == "gold":
                reason = "gold valued in dollars: the store holds gold in ounces and tonnes"
            else:
                reason = "no instrument named (Treasuries, gold, ...) near the amount"
        elif q.unit in ("million troy oz", "tonnes"):
            if subj_idx is None:
                reason = "no holder named"
            elif inst in ("gold", None, "ust") and (inst == "gold" or re.search(r"金|gold", f, re.I)):
                measure = "gold_purchase" if BUYING.search(local) and not re.search(r"儲備|储备|reserves?|holdings?|持有",
                                                                                      local, re.I) else "gold_reserves"
            else:
                reason = "no gold named near the quantity"
        elif q.unit in ("percent", "pp"):
            if inst == "yield" and TENOR_10Y.search(f):
                measure = "ust_10y_yield"
            elif DECLINE.search(local) or DECLINE.search(f):
                if inst not in ("ust", None) and inst != "yield":
                    reason = "a percentage change of something other than Treasury holdings"
                elif subj_idx is None:
                    reason = "no holder named"
                elif PEAK.search(f):
                    measure = "decline_from_peak_pct"
                elif len({x.iso for x in dates}) >= 2:
                    measure = "decline_pct"
                    period_start = min(dates, key=lambda x: (x.year, x.month or 12)).iso
                else:
                    reason = "a percentage decline without a starting point"
            else:
                reason = "a percentage not linked to a stored series (share, rate or growth)"
        elif q.unit == "months":
            if CONSECUTIVE.search(f):
                if inst == "gold" and BUYING.search(f):
                    measure = "duration"
                elif inst in ("ust", None) and DECLINE.search(f):
                    measure = "duration"
                elif inst == "gold":
                    measure = "duration"
                else:
                    reason = "a count of months not linked to a stored series"
            else:
                reason = "a length of time, not a stored quantity"
        else:
            if DEADLINE.search(local) or DEADLINE.search(f):
                measure, reason = "deadline", "a deadline or a time limit: nothing in the store to check it against"
            else:
                reason = "a length of time, not a stored quantity"
        period = d.iso if d else None
        fuzz = d.fuzz if d else 0
        if measure in ("decline_from_peak_pct", "decline_pct") and d is None and dates:
            latest = max(dates, key=lambda x: (x.year, x.month or 12))
            period = latest.iso
        if measure == "duration":
            inst_name = "gold" if inst == "gold" else "ust"
        else:
            inst_name = inst
        subj = SUBJECTS[subj_idx] if subj_idx is not None else None
        claims.append(Claim(
            text=sentence.strip(), start=offset + q.start, end=offset + q.end, quote=sentence[q.start:q.end],
            value=round(q.value, 6), unit=q.unit, period=period, measure=measure,
            subject=subj[1] if subj else None, qualifier=q.qualifier, lang=lang, period_fuzz=fuzz,
            period_start=period_start, precision=q.precision, subject_key=subj[2] if subj else None,
            subject_gold_key=subj[3] if subj else None, reason=reason, extra={"instrument": inst_name},
        ))
    del has_peak_quantity
    # dates that state a deadline on their own (須於2026年6月前, no later than March 2026)
    for d in dates:
        if d.start in used_dates:
            continue
        around = f[max(0, d.start - 14) : d.start] + " " + f[d.end : d.end + 4]
        if _is_deadline(f, d):
            claims.append(Claim(
                text=sentence.strip(), start=offset + d.start, end=offset + d.end, quote=sentence[d.start:d.end],
                value=None, unit="date", period=d.iso, measure="deadline",
                subject=SUBJECTS[ctx.subject][1] if ctx.subject is not None else None, lang=lang,
                reason="a deadline: nothing in the store to check it against", extra={"around": around},
            ))
    if insts:
        ctx.instrument = insts[-1][2]
    return sorted(claims, key=lambda c: c.start)


def extract_claims(text: str | Iterable[str], lang: str = "auto") -> Iterator[Claim]:
    """Every claim in ``text`` (a string or an iterable of chunks), in order of appearance; never raises on input."""
    if lang not in ("auto", "zh", "en"):
        raise ValueError(f"lang must be auto, zh or en, not {lang!r}")
    chunks = [text] if isinstance(text, str) else text
    ctx = Context()
    for offset, sentence in iter_sentences(chunks):
        if "\n\n" in sentence or not sentence.strip():
            ctx = Context()
        try:
            yield from extract_sentence(sentence, offset, lang, ctx)
        except (ValueError, IndexError, KeyError, ArithmeticError, RecursionError):  # pragma: no cover - belt
            continue


# -- reading input of unknown encoding: UTF-8 first, then GB18030 or Big5 (whichever reads as Chinese) --------

MAX_BYTES = 64 * 1024 * 1024
#: Frequent characters in Chinese news text, in both scripts: a wrong legacy decoding rarely produces them.
_COMMON = set("的是在了有和中國国年月人不這这為为上個个大來来到以說说時时要就出會会也你對对後后能下過过而於于自"
              "美元億亿萬万持債债外儲储金黃黄百分比增減减降至約约截底")


class InputError(DataError):
    """Input text that cannot be read (empty, binary, an unknown encoding)."""


def _score(text: str) -> float:
    cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return 0.0
    return sum(ch in _COMMON for ch in cjk) / len(cjk)


def decode_bytes(raw: bytes, name: str = "<input>") -> tuple[str, str]:
    """``(text, encoding)`` for raw bytes; :class:`InputError` with a clear message for unreadable input."""
    if not raw.strip():
        raise InputError(f"{name}: the input is empty; give a text file or pipe text to `-`")
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace"), "UTF-8 (with BOM)"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "UTF-16"
    sample = raw[:65536]
    controls = sum(b < 9 or 13 < b < 32 for b in sample)
    if b"\x00" in sample or controls > len(sample) * 0.05:
        raise InputError(f"{name}: the input looks binary (NUL or control bytes), not text; give a plain-text file")
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc, label in (("gb18030", "GB18030"), ("big5hkscs", "Big5")):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_score(text[:20000]), label, text))
    if not candidates:
        raise InputError(f"{name}: the input is neither UTF-8, GB18030 nor Big5; convert it to UTF-8 "
                         "(e.g. `iconv -f <encoding> -t UTF-8`)")
    score, label, text = max(candidates, key=lambda c: (c[0], c[1] == "GB18030"))
    if score < 0.05 and len(candidates) == 1 and not any("\u4e00" <= ch <= "\u9fff" for ch in text[:2000]):
        raise InputError(f"{name}: the input is not UTF-8 and does not read as GB18030 or Big5 Chinese text; "
                         "convert it to UTF-8")
    return text, label


def read_text(path: str) -> tuple[str, str]:
    """Read ``path`` (``-`` for standard input) and decode it (see :func:`decode_bytes`)."""
    try:
        if path == "-":
            raw = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            p = Path(path)
            if not p.is_file():
                raise InputError(f"{path}: no such file")
            with open(p, "rb") as fh:
                raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise InputError(f"{path}: the input is larger than {MAX_BYTES // 2**20} MiB; split it into parts")
    return decode_bytes(raw, "standard input" if path == "-" else path)
