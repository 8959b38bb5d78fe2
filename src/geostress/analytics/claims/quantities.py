"""Find the quantities a sentence states: value, unit, scale, precision, qualifier and sign.

:func:`find_quantities` reads numbers written in digits, Chinese numerals and English words, with their currency,
unit and scale, and turns each into a :class:`Quantity` in the store's canonical unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geostress.analytics.claims.numbers import (
    CURRENCY_PREFIX, EN_ORDINALS, EN_WORDS, NumberError, OTHER_CCY_PREFIX, SCALES, SCALE_AFTER, SPELLED_NUMBER,
    UNIT_PATTERNS, parse_decimal, parse_spelled,
)
from geostress.analytics.claims.patterns import RUN_WORDS
from geostress.analytics.claims.regexes import guarded_re


# -- quantities --------------------------------------------------------------------------------------------------------
QUALIFIERS = [
    ("approx", r"大約|大约|大概|約|约|about|around|approximately|roughly|some|an estimated|circa|~"),
    ("more_than", r"超過|超过|超出|多於|多于|高於|高于|逾|突破|升破|站上|more than|over|above|in excess of|upwards of|topped|"
                  r"exceeded|surpassed|(?:will|to|would|could|may|might)\s+(?:top|exceed|surpass)|tops|exceeds|"
                  r"surpasses|topping|exceeding|surpassing"),
    ("nearly", r"逼近|接近|將近|将近|近|nearly|almost|close to|just under|approaching"),
    ("less_than", r"不到|不足|低於|低于|少於|少于|跌破|跌穿|降破|less than|under|below|fewer than"),
    ("at_least", r"至少|最少|at least|no less than"),
]
_QUAL_BEFORE = guarded_re("(?:" + "|".join(f"(?P<{k}>{p})" for k, p in QUALIFIERS) + r")\s*(?:達|达|to)?\s*$", re.I)
_QUAL_AFTER = re.compile(r"^\s*(?:(?P<approx>左右|上下|or so)|(?P<more_than>以上|之多|多|餘|余|plus\b)|"
                         r"(?P<at_least>or more\b)|(?P<less_than>以下|or less\b))", re.I)

_CN = "零〇○一二兩两三四五六七八九十百千萬万億亿兆"
_NUMRUN = re.compile(rf"(?<![0-9_.])(?:\d[\d,]*(?:\.\d+)?|\.\d+|[{_CN}])(?:\d|[.,]\d|[{_CN}]|[點点](?=[{_CN}\d])|"
                     rf"多(?=[十百千萬万億亿兆])|\s(?=[萬万億亿兆]))*")
_PERCENT_CN = re.compile(r"百分之([零〇○一二兩两三四五六七八九十百\d]+(?:[點点.][零〇○一二三四五六七八九\d]+)?)")
_EN_COUNT = guarded_re(r"\b(" + "|".join(sorted(EN_WORDS, key=len, reverse=True)) + r")(?=[\s-]+(?:consecutive\s+|"
                       r"straight\s+|successive\s+)?(?:months?|days?|years?)\b)", re.I)
_EN_COUNT_UNIT = re.compile(r"[\s-]+(?:consecutive\s+|straight\s+|successive\s+)?(months?|days?|years?)\b", re.I)
#: "the 11th straight month", "fourth consecutive monthly decline", and — in a sentence about a streak ("in a row",
#: "buying streak") — "a 16th month" (``succ`` empty: no word of succession inside; see :func:`find_quantities`).
_EN_ORDINAL = guarded_re(r"\b(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<w>" + "|".join(EN_ORDINALS) + r"))[\s-]+"
                         r"(?P<succ>(?:(?:straight|consecutive|successive|monthly)[\s-]+)*)(?:months?|monthly \w+)\b",
                         re.I)
_RUN_RE = re.compile(RUN_WORDS, re.I)
#: Words that make a sentence about a run of months ("extending its buying streak to a 16th month").
_STREAK_WORDS = guarded_re(rf"consecutive|straight|successive|{RUN_WORDS}|連續|连续", re.I)
_CANON = {"USD": "USD bn", "oz": "million troy oz", "moz": "million troy oz", "tonnes": "tonnes", "%": "percent",
          "pp": "pp", "bp": "bp",
          "months": "months", "days": "days", "years": "years", "number": "number", "other_ccy": "other currency"}
_TO_CANON = {"USD": 1e-9, "oz": 1e-6, "other_ccy": 1e-9}
_BIG = {"萬": 1e4, "万": 1e4, "億": 1e8, "亿": 1e8, "兆": 1e12}


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
    scaled: bool = True  # a scale word or a Chinese big unit was written (False: "$1,079.3")
    ordinal: bool = False  # 第13個月, "11th straight month"
    sign: int = 0  # -1 / +1 for a sign written right before the figure ("-$17.2 billion", "+6.4"), else 0
    round_figure: bool = False  # an approximate round figure ("roughly $760 billion"): precision widened
    count: bool = False  # a count of people or things ("750萬人口", "7.5 million residents"): never money


#: The zeros at the end of a whole number written in digits ("760", "7,600", "7600亿"), before any big unit.
_TRAILING_ZEROS = re.compile(r"(?<![.\d])[1-9][\d,]*?((?:0|,0)+)(?=[萬万億亿兆]*$)")
_LAST_DIGITS = re.compile(r"(\d+(?:\.(\d+))?)([萬万億亿兆]*)$")
_CN_DECIMALS = re.compile(r"[點点]([零〇○一二三四五六七八九]+)")
_BIG_TAIL = re.compile(r"([萬万億亿兆]*)$")


def _precision(raw: str, multiplier: float) -> float:
    """Half a unit of the last digit written (``"9.248兆"`` → 0.0005 兆), times ``multiplier``."""
    text = raw.replace(",", "").replace(" ", "")
    m = _LAST_DIGITS.search(text)
    if not m:  # Chinese numerals: the last digit's place is the smallest unit written
        m2 = _CN_DECIMALS.search(text)
        decimals = len(m2.group(1)) if m2 else 0
        tail = _BIG_TAIL.search(text).group(1)  # type: ignore[union-attr]
        big = 1.0
        for ch in tail:
            big *= _BIG[ch]
        return 0.5 * 10.0 ** (-decimals) * big * multiplier
    decimals = len(m.group(2)) if m.group(2) else 0
    big = 1.0
    for ch in m.group(3):
        big *= _BIG[ch]
    return 0.5 * 10.0 ** (-decimals) * big * multiplier


def _qualifier_before(f: str, qs: int) -> str | None:
    qb = _QUAL_BEFORE.search(f[max(0, qs - 16) : qs])
    if not qb:
        return None
    qual = qb.lastgroup  # the one qualifier group that matched
    if qual == "nearly" and qb.group().strip().startswith("近") and f[max(0, qs - 4) : qs].rstrip().endswith(
            ("最近", "附近", "近期")):
        return None
    return qual


_UNIT_RE = re.compile("|".join(f"(?P<u{i}>{p.pattern})" for i, (_n, p) in enumerate(UNIT_PATTERNS)), re.I)
_UNIT_NAMES = {f"u{i}": name for i, (name, _p) in enumerate(UNIT_PATTERNS)}
# precompiled patterns used in the loops below
_DIGIT = re.compile(r"\d")
_CCY_CODE_END = re.compile(r"(?:USD|US|RMB|CNY|TWD)$")
_CN_BIG = re.compile("[萬万億亿兆]")
#: A scale word or "percent", and a number word right before one ("…sixty billion", "…a half percent"): a text that
#: may spell out an amount (a cheap test before the spelled-number pattern).
_SPELLED_HINT = re.compile(r"\b(?:trillion|billion|million|percent|per cent)\b")
_SPELLED_TAIL = re.compile(r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|teen|ty|hundred|thousand|"
                           r"half)[\s-]+$")
_SPELLED_SCALE = re.compile(r"\s+(trillion|billion|million)\b", re.I)


def _spelled_amount_ahead(low: str) -> bool:
    """Whether lower-cased ``low`` has a number word right before a scale word or "percent"."""
    return any(_SPELLED_TAIL.search(low, max(0, m.start() - 12), m.start()) for m in _SPELLED_HINT.finditer(low))

#: 厘 after a yield or an interest rate is a percentage point of the rate (Hong Kong usage: 收報3.97厘 = 3.97 %).
_LI_AFTER = re.compile(r"\s*厘(?![米克升])")
_YIELD_BEFORE = re.compile(r"(?:孳息率|孳息|債息|债息|收益率|殖利率|息率|利率|息口)[^。；;！？]{0,30}$")
#: A sign written right before a figure (or its currency sign): "-$17.2 billion", "| -17.2", "+6.4", 變動為-172億 —
#: not a hyphen after a Latin letter or a digit (a word, a code or a range: "A-380", "2-3").
_SIGN_BEFORE = re.compile(r"(?<![A-Za-z0-9.\-−+])([-−+])$")
#: A counted noun right after a number makes it a count (people, households, votes…), never an amount of money.
_COUNTED_AFTER = guarded_re(r"\s*(?:多|餘|余|左右)?\s*(?:人口|人次|人|名(?!義|义|目)|位(?!於|于|居|列)|家(?!庭)|戶|户|票|"
                            r"次|篇|則|则|條|条|件|封|輛|辆|頁|页|座|張|张|艘|架|隻|只|頭|头|份(?!額|额)|個(?!月)|个(?!月)|"
                            r"(?:[a-z-]+\s+){0,2}?(?:people|persons|residents|inhabitants|citizens|employees|workers|"
                            r"staff(?:ers)?|members|households|families|homes|votes|voters|users|subscribers|readers|"
                            r"listeners|viewers|followers|visitors|students|customers|clients|tourists|migrants|"
                            r"troops|soldiers|jobs|likes|views|downloads|copies|emails|letters|messages|comments|"
                            r"signatures|cases|deaths|patients|children|adults|seniors|taxpayers|investors|"
                            r"companies|firms|shareholders|accounts|units|items|pages|words)\b)", re.I)
#: A counted noun right before a number ("人口約750萬", "a population of 7.5 million").
_COUNTED_BEFORE = guarded_re(r"(?:人口|人數|人数|員工|员工|會員|会员|用戶|用户|選民|选民|讀者|读者|粉絲|粉丝|居民|"
                             r"population|headcount|workforce|membership|readership|audience)\s*"
                             r"(?:數|数|總數|总数)?\s*(?:約|约|逾|超過|超过|達|达|為|为|有|近|of|is|was|stood at|"
                             r"about|around|roughly|nearly|over|more than)?\s*(?:約|约|about|around|some)?\s*$", re.I)


def find_quantities(f: str, masked: str) -> list[Quantity]:
    """Quantities in the width-folded sentence ``f``; ``masked`` is ``f`` with its dates blanked out."""
    out: list[Quantity] = []
    low = f.lower()
    for m in (_PERCENT_CN.finditer(masked) if "百分之" in f else ()):
        raw = m.group(1).replace("點", ".").replace("点", ".")
        try:
            if "." in raw:
                whole, frac = raw.split(".", 1)
                frac_digits = "".join(str(int(parse_decimal(c))) for c in frac)
                value = float(parse_decimal(whole)) + float("0." + frac_digits)
                prec = 0.5 * 10.0 ** (-len(frac))
            else:
                value = float(parse_decimal(raw))
                prec = 0.5
        except (NumberError, ValueError, ArithmeticError):
            continue
        out.append(Quantity(m.start(), m.end(), m.group(), value, "percent", _qualifier_before(f, m.start()), prec))
    taken = [(q.start, q.end) for q in out]
    for m in _NUMRUN.finditer(masked):
        s, e = m.span()
        if any(s < te and ts < e for ts, te in taken):
            continue
        raw = m.group().rstrip(",. ")
        e = s + len(raw)
        has_arabic = bool(_DIGIT.search(raw))
        if not has_arabic and all(ch in "十百千萬万億亿兆 " for ch in raw) and not (
                raw == "十" and f.startswith(("個月", "个月"), e)):
            continue  # 萬億, 百萬: units named, no number (十個月 is ten months)
        if s > 0 and f[s - 1].isalpha() and f[s - 1].isascii() and not _CCY_CODE_END.search(f[:s]):
            continue  # part of a word or a code (COVID-19, A380)
        try:
            value = float(parse_decimal(raw))
        except (NumberError, ValueError, ArithmeticError):
            continue
        mult = 1.0
        end = e
        scale = None
        big_unit = _CN_BIG.search(raw) is not None  # 萬, 億, 兆 written
        if has_arabic and not big_unit:
            sm = SCALE_AFTER.match(f, end)
            if sm:
                scale = sm.group(1).lower()
                mult = SCALES[scale]
                end = sm.end()
        unit = None
        um = _UNIT_RE.match(f, end)  # the unit patterns in order, as one alternation
        if um:
            unit, end = _UNIT_NAMES[um.lastgroup or ""], um.end()
        elif (li := _LI_AFTER.match(f, end)) is not None and _YIELD_BEFORE.search(f, max(0, s - 40), s):
            unit, end = "%", li.end()  # Hong Kong: "孳息率…收報3.97厘" is 3.97 % (厘 after a yield: percent)
        prefix = CURRENCY_PREFIX.search(f[max(0, s - 6) : s])
        other = OTHER_CCY_PREFIX.search(f[max(0, s - 6) : s])
        if other and unit in (None, "other_ccy", "USD"):
            unit = "other_ccy"
            prefix = other
        elif prefix and (unit in (None, "USD") or (scale and unit in ("years", "months", "days"))):
            unit = "USD"  # "$75.5 billion year-on-year": a dollar amount, whatever word of time follows
        if unit is None:
            if big_unit or scale:
                unit = "number"
            else:
                continue  # a bare number (a count, an ordinal, a code): not a quantity claim
        if not has_arabic and unit in ("number", "days", "years") and not big_unit:
            continue
        qs = s - (len(prefix.group()) if prefix else 0)
        # "約750萬人口", "7.5 million residents", "人口約750萬": a count of people or things, never an amount
        count = unit == "number" and bool(_COUNTED_AFTER.match(f, end) or _COUNTED_BEFORE.search(f, max(0, qs - 16),
                                                                                                 qs))
        qual = _qualifier_before(f, qs)
        if "多" in raw or f.startswith(("個多", "个多"), e):
            qual = "more_than"
        qa = _QUAL_AFTER.match(f[end:end + 8])
        if qa and qual is None:
            qual = qa.lastgroup
        precision = _precision(raw, mult * _TO_CANON.get(unit, 1.0))
        if qual == "approx" and (zeros := _TRAILING_ZEROS.search(raw)) is not None:
            # "roughly $760 billion", 约7600亿: a round figure said to be approximate is rounded to its last
            # non-zero digit (760: to the nearest 10) — at most 1 % of the figure
            figure = value * mult * _TO_CANON.get(unit, 1.0)
            widened = min(precision * 10 ** zeros.group(1).count("0"), 0.01 * abs(figure))
            round_figure = widened > precision
            precision = max(precision, widened)
        else:
            round_figure = False
        total = value * mult
        canon = _TO_CANON.get(unit, 1.0)
        scaled = bool(scale) or big_unit
        ordinal = unit == "months" and f[max(0, qs - 1) : qs] == "第"
        signed = _SIGN_BEFORE.search(f[max(0, qs - 2):qs])
        sign = (-1 if signed.group(1) in "-−" else 1) if signed else 0
        out.append(Quantity(qs - (1 if signed else 0), end, f[qs - (1 if signed else 0):end], total * canon,
                            _CANON[unit], qual, precision, scaled, ordinal, sign, round_figure, count))
        taken.append((qs, end))
    for m in (SPELLED_NUMBER.finditer(masked) if _spelled_amount_ahead(low) else ()):
        # "six hundred eighty-three point five billion dollars", "eighteen and a half percent" (a transcript):
        # read only before a scale word or a unit of money or percent
        if any(m.start() < te and ts < m.end() for ts, te in taken):
            continue
        end, mult, scale = m.end(), 1.0, None
        sm = _SPELLED_SCALE.match(f, end)
        if sm:
            scale = sm.group(1).lower()
            mult, end = SCALES[scale], sm.end()
        um = _UNIT_RE.match(f, end)
        unit = _UNIT_NAMES[um.lastgroup or ""] if um else None
        if um:
            end = um.end()
        if unit is None and scale is not None:
            unit = "number"
        if unit not in ("USD", "%", "number", "oz", "tonnes") or (scale is None and unit != "%"):
            continue
        try:
            number, decimals = parse_spelled(m.group())
        except NumberError:
            continue
        canon = _TO_CANON.get(unit, 1.0)
        precision = 0.5 * 10.0 ** (-decimals) * mult * canon
        qual = _qualifier_before(f, m.start())
        round_figure = False
        if qual == "approx" and decimals == 0 and number >= 10 and number % 10 == 0:
            zeros = len(str(int(number))) - len(str(int(number)).rstrip("0"))
            widened = min(precision * 10 ** zeros, 0.01 * number * mult * canon)
            round_figure = widened > precision
            precision = max(precision, widened)
        out.append(Quantity(m.start(), end, f[m.start():end], number * mult * canon, _CANON[unit], qual, precision,
                            scale is not None, round_figure=round_figure))
        taken.append((m.start(), end))
    counted = "month" in low or "day" in low or "year" in low
    for m in (_EN_COUNT.finditer(masked) if counted else ()):
        if any(m.start() < te and ts < m.end() for ts, te in taken):
            continue
        um = _EN_COUNT_UNIT.match(f, m.end())
        if um and um.group().startswith("-") and um.group(1).lower().startswith(("year", "day")):
            continue  # "the ten-year", "a two-year note", "a five-day rally": a tenor or an adjective, not a length
        if um:
            unit = um.group(1).lower().rstrip("s") + "s"
            out.append(Quantity(m.start(), um.end(), f[m.start():um.end()], float(EN_WORDS[m.group(1).lower()]), unit))
            taken.append((m.start(), um.end()))
    ordinal = counted and _STREAK_WORDS.search(low) is not None
    for m in (_EN_ORDINAL.finditer(masked) if ordinal else ()):
        if any(m.start() < te and ts < m.end() for ts, te in taken):
            continue
        if not m.group("succ") and "monthly" not in m.group().lower() and not _RUN_RE.search(low):
            continue  # "the 16th month of the year": an ordinal month is a streak only in a sentence about one
        n = int(m.group("n")) if m.group("n") else EN_ORDINALS[m.group("w").lower()]
        out.append(Quantity(m.start(), m.end(), f[m.start():m.end()], float(n), "months", ordinal=True))
        taken.append(m.span())
    return sorted(out, key=lambda q: q.start)
