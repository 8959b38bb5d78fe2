"""Numbers, units and dates written in Traditional Chinese, Simplified Chinese and English.

* :func:`parse_number` reads ``"1.3167萬億"``, ``"1萬3167億"``, ``"六千八百三十五億"``, ``"1,316.7"``, ``"7415万"``;
* :func:`format_chinese` writes an integer back in Chinese units (Arabic digits or Chinese numerals), so that
  ``parse_number(format_chinese(n)) == n``;
* :data:`SCALES`, :data:`UNIT_PATTERNS` and :func:`find_dates` give the words around a number their meaning.

Every offset returned is an offset into the original text: the only normalisation, :func:`fold_width`, maps
full-width ASCII (``１２３％``) one character to one character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# -- width folding ---------------------------------------------------------------------------------------------
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space


def fold_width(text: str) -> str:
    """Full-width ASCII to ASCII, one character for one (offsets are kept)."""
    return text.translate(_FULLWIDTH)


# -- Chinese numerals ------------------------------------------------------------------------------------------
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}  # fmt: skip
CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG = {"萬": 10**4, "万": 10**4, "億": 10**8, "亿": 10**8, "兆": 10**12}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL) + "".join(CN_BIG)

#: English scale words after a number.
SCALES = {
    "trillion": 1e12, "tn": 1e12, "tr": 1e12, "trn": 1e12,
    "billion": 1e9, "bn": 1e9, "bln": 1e9, "b": 1e9,
    "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6,
    "thousand": 1e3, "k": 1e3,
}  # fmt: skip

_ARABIC = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")


class NumberError(ValueError):
    """Text that is not a number."""


def _tokens(text: str) -> list[tuple[str, Decimal]]:
    """Split a numeric run into ('n', value), ('z', 0), ('s', small unit) and ('b', big unit) tokens."""
    out: list[tuple[str, Decimal]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isdigit() and ch.isascii() or (ch == "." and i + 1 < n and text[i + 1].isdigit()):
            m = _ARABIC.match(text, i)
            if m is None:
                raise NumberError(f"not a number: {text!r}")
            raw = m.group().rstrip(",")
            try:
                out.append(("n", Decimal(raw.replace(",", ""))))
            except InvalidOperation:
                raise NumberError(f"not a number: {text!r}") from None
            i += len(raw)
            while i < n and text[i] == ",":
                i += 1
        elif ch in "零〇" and i > 0:
            out.append(("z", Decimal(0)))
            i += 1
        elif ch in CN_DIGITS:
            # a run of bare digits like 二〇一三 reads digit by digit
            j = i
            while j < n and text[j] in CN_DIGITS:
                j += 1
            out.append(("n", Decimal("".join(str(CN_DIGITS[c]) for c in text[i:j]))))
            i = j
        elif ch in CN_SMALL:
            out.append(("s", Decimal(CN_SMALL[ch])))
            i += 1
        elif ch in CN_BIG:
            out.append(("b", Decimal(CN_BIG[ch])))
            i += 1
        elif ch in " 多":
            i += 1
        else:
            raise NumberError(f"not a number: {text!r}")
    return out


def parse_number(text: str) -> float:
    """:func:`parse_decimal` as a float.

    >>> parse_number("1.3167萬億")
    1316700000000.0
    >>> parse_number("六千八百三十五亿")
    683500000000.0
    """
    return float(parse_decimal(text))


def parse_decimal(text: str) -> Decimal:
    """The exact value of a number written with Arabic digits and/or Chinese numerals and units.

    Raises :class:`NumberError` for text that is not a number.
    """
    tokens = _tokens(fold_width(text).strip())
    if not any(k == "n" or k == "s" or k == "b" for k, _ in tokens):
        raise NumberError(f"not a number: {text!r}")
    zero, one = Decimal(0), Decimal(1)
    total = zero
    section = zero
    current: Decimal | None = None
    last_small = one
    for kind, val in tokens:
        if kind == "n":
            current = val
        elif kind == "s":
            section += (one if current is None else current) * val
            last_small = val
            current = None
        elif kind == "b":
            if val == 10**4:
                section = (section + (current if current is not None else (zero if section else one))) * val
            else:  # 億 or 兆 multiplies everything before it (萬億 = 10^12)
                lead = current if current is not None else (zero if (section or total) else one)
                total = (total + section + lead) * val
                section = zero
            current = None
            last_small = one
    if current is not None:
        # 三千五 reads 3,500: a single trailing digit right after a small unit counts one step lower
        if last_small > 10 and len(tokens) >= 2 and tokens[-2][0] == "s" and current < 10:
            current *= last_small / 10
        section += current
    return total + section


# -- writing numbers in Chinese units (for round-trips and tests) ------------------------------------------------
def _cn_below_10000(n: int, traditional: bool) -> str:
    digits = "零一二三四五六七八九"
    units = ["千", "百", "十", ""]
    out = []
    s = f"{n:04d}"
    zero = False
    started = False
    for d, u in zip(s, units, strict=True):
        k = int(d)
        if k == 0:
            zero = started
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(digits[k] + u)
        started = True
    text = "".join(out)
    return text


def format_chinese(n: int, *, traditional: bool = True, numerals: bool = False) -> str:
    """Write a non-negative integer below 10^16 in Chinese units: ``13167 * 10**8`` → ``"1萬3167億"``.

    With ``numerals=True`` the digits are Chinese numerals too (``"一萬三千一百六十七億"``). A skipped group of
    four digits is marked with 零, as in ``"1億零5"`` (100,000,005).
    """
    if n < 0 or n >= 10**16:
        raise ValueError("only integers from 0 to 10^16 - 1 are written in Chinese units here")
    if n == 0:
        return "零" if numerals else "0"
    wan, yi = ("萬", "億") if traditional else ("万", "亿")

    def small(g: int) -> str:
        return _cn_below_10000(g, traditional) if numerals else str(g)

    def below_1e8(m: int) -> str:
        hi, lo = divmod(m, 10_000)
        out = small(hi) + wan if hi else ""
        if lo:
            out += ("零" if hi and lo < 1000 else "") + small(lo).lstrip("零")
        return out

    hi, lo = divmod(n, 10**8)
    text = below_1e8(hi) + yi if hi else ""
    if lo:
        text += ("零" if hi and lo < 10**7 else "") + below_1e8(lo).lstrip("零")
    return text


# -- units -------------------------------------------------------------------------------------------------------
#: (canonical unit, regex) tried in order right after a number (and its scale word).
UNIT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("USD", re.compile(r"\s?(?:美元|美金|(?:US|U\.S\.)?\s?dollars?\b|USD\b)", re.I)),
    ("oz", re.compile(r"\s?(?:金衡盎司|盎司|(?:troy\s)?ounces?\b|oz\b)", re.I)),
    ("tonnes", re.compile(r"\s?(?:公噸|公吨|噸|吨|(?:metric\s)?tonnes?\b|(?:metric\s)?tons?\b|t\b)", re.I)),
    ("pp", re.compile(r"\s?(?:個百分點|个百分点|percentage points?\b|pp\b)", re.I)),
    ("%", re.compile(r"\s?(?:%|percent\b|per\s?cent\b)", re.I)),
    ("months", re.compile(r"\s?(?:個多?月|个多?月|(?:consecutive\s|straight\s)?months?\b)", re.I)),
    ("days", re.compile(r"\s?(?:天|日(?!本|元|圓|圆)|(?:calendar\s|business\s)?days?\b)", re.I)),
    ("years", re.compile(r"\s?(?:年(?!期|份|\d|[一二三四五六七八九十]+月)|years?\b)", re.I)),
]
CURRENCY_PREFIX = re.compile(r"(?:US\$|U\.S\.\s?\$|USD\s?|\$|美元\s?)$", re.I)
SCALE_AFTER = re.compile(r"\s?(trillion|billion|million|thousand|trn|tn|tr|bln|bn|mln|mn|k|b|m)\b", re.I)

#: One to twenty in English words (counts of months are often spelled out).
EN_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}  # fmt: skip
EN_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "dozen": 12})


# -- dates -------------------------------------------------------------------------------------------------------
MONTHS_EN = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MON_ALT = "|".join(sorted(MONTHS_EN, key=len, reverse=True))
_CN_MONTH = r"\d{1,2}|十[一二]?|[一二三四五六七八九]"
_UNIT_AHEAD = r"(?!\s*(?:[,.]\d|\d|tonnes|tons|ounces|盎司|噸|吨|美元|億|亿|萬|万|billion|million|trillion|%|個月|个月))"

DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("zh_month", re.compile(rf"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>{_CN_MONTH})\s*月(?:份)?(?P<part>底|末|初|中旬|中)?")),
    ("zh_part", re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<part>年底|年末|底|末|年初|初|年中|中期|中|上半年|下半年|"
                           r"第[一二三四1-4]季度?|[Qq][1-4])")),
    ("zh_year", re.compile(r"(?P<y>(?:19|20)\d\d)\s*年(?!期)")),
    ("iso", re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d\d)[-/](?P<m>0?[1-9]|1[0-2])(?![\d])")),
    ("en_month", re.compile(rf"(?:(?P<part>end|end of|the end of|late|early|mid|beginning of|start of)[\s-]+)?"
                            rf"\b(?P<mon>{_MON_ALT})\.?,?\s+(?:of\s+)?(?P<y>(?:19|20)\d\d)\b", re.I)),
    ("en_part", re.compile(r"\b(?P<part>year-end|end of|the end of|end|late|early|mid|middle of|beginning of|"
                           r"start of|first half of|second half of|H1|H2|Q1|Q2|Q3|Q4)[\s-]+(?P<y>(?:19|20)\d\d)\b",
                           re.I)),
    ("en_year", re.compile(rf"\b(?P<y>(?:19|20)\d\d)\b{_UNIT_AHEAD}")),
]
_PART_MONTH = {
    "底": (12, 0), "末": (12, 0), "年底": (12, 0), "年末": (12, 0), "end": (12, 0), "end of": (12, 0),
    "the end of": (12, 0), "year-end": (12, 0), "late": (11, 1), "初": (1, 1), "年初": (1, 1), "early": (2, 1),
    "beginning of": (1, 1), "start of": (1, 1), "年中": (6, 3), "中期": (6, 3), "中": (6, 3), "mid": (6, 3),
    "middle of": (6, 3), "上半年": (6, 0), "下半年": (12, 0), "first half of": (6, 0), "second half of": (12, 0),
    "h1": (6, 0), "h2": (12, 0), "q1": (3, 0), "q2": (6, 0), "q3": (9, 0), "q4": (12, 0),
}  # fmt: skip
_CN_Q = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class DateMention:
    """A date or period found in the text: ``month`` is None for a whole year; ``fuzz`` months either side."""

    start: int
    end: int
    text: str
    year: int
    month: int | None
    fuzz: int = 0

    @property
    def iso(self) -> str:
        return f"{self.year}" if self.month is None else f"{self.year}-{self.month:02d}"


def _month_of(part: str | None, month: int | None) -> tuple[int | None, int]:
    if part is None:
        return month, 0
    p = part.lower()
    if month is not None:  # 11月底 / end of November: the month itself; 月初/月中 the same month too
        return month, 0
    if p.startswith("第") and p[1:2] in _CN_Q:
        return 3 * _CN_Q[p[1:2]], 0
    return _PART_MONTH.get(p, (None, 0))


def find_dates(text: str) -> list[DateMention]:
    """Dates and periods in ``text`` (already width-folded), left to right, without overlaps."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            year = int(m.group("y"))
            groups = m.groupdict()
            month: int | None = None
            if groups.get("m"):
                raw = groups["m"]
                month = int(raw) if raw.isdigit() else int(parse_number(raw))
            elif groups.get("mon"):
                month = MONTHS_EN[groups["mon"].lower().rstrip(".")]
            if month is not None and not 1 <= month <= 12:
                continue
            month, fuzz = _month_of(groups.get("part"), month)
            if kind == "en_year" and s > 0 and text[s - 1] in "$#":
                continue
            found.append(DateMention(s, e, m.group(), year, month, fuzz))
            taken.append((s, e))
    return sorted(found, key=lambda d: d.start)
