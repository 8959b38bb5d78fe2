"""Numbers, units and dates written in Traditional Chinese, Simplified Chinese and English.

* :func:`parse_number` reads ``"1.3167萬億"``, ``"1萬3167億"``, ``"六千八百三十五億"``, ``"1,316.7"``, ``"7415万"``;
* :func:`format_chinese` writes an integer back in Chinese units (Arabic digits or Chinese numerals), so that
  ``parse_number(format_chinese(n)) == n``;
* :data:`SCALES` and :data:`UNIT_PATTERNS` give the words after a number their meaning (dates are in
  :mod:`geostress.analytics.claims.dates`).

Every offset returned is an offset into the original text: the only normalisation, :func:`fold_width`, maps
full-width ASCII (``１２３％``) one character to one character.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from geostress.analytics.claims.regexes import guarded_re

# -- width folding ---------------------------------------------------------------------------------------------
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space


_WIDE = re.compile("[\uff01-\uff5e\u3000]")


def fold_width(text: str) -> str:
    """Full-width ASCII to ASCII, one character for one (offsets are kept)."""
    return text.translate(_FULLWIDTH) if _WIDE.search(text) else text


# -- Chinese numerals ------------------------------------------------------------------------------------------
CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "兩": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
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
        elif ch in "零〇○" and i > 0:
            out.append(("z", Decimal(0)))
            i += 1
        elif ch in CN_DIGITS:
            # a run of bare digits like 二〇一三 or 二三○七 reads digit by digit
            j = i
            while j < n and text[j] in CN_DIGITS:
                j += 1
            out.append(("n", Decimal("".join(str(CN_DIGITS[c]) for c in text[i:j]))))
            i = j
        elif ch in "點点" and out and out[-1][0] == "n" and i + 1 < n and (text[i + 1] in CN_DIGITS
                                                                           or text[i + 1].isdigit()):
            j = i + 1
            while j < n and (text[j] in CN_DIGITS or (text[j].isdigit() and text[j].isascii())):
                j += 1
            frac = "".join(str(CN_DIGITS[c]) if c in CN_DIGITS else c for c in text[i + 1 : j])
            out[-1] = ("n", Decimal(f"{out[-1][1]}.{frac}") if "." not in str(out[-1][1]) else out[-1][1])
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


_PLAIN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_DIGITS_THEN_UNITS = re.compile(r"([0-9]+(?:\.[0-9]+)?) *([萬万億亿兆]+)")


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
    plain = text.strip()
    if _PLAIN.fullmatch(plain):  # the common case: Arabic digits only
        return Decimal(plain.replace(",", ""))
    folded = fold_width(text).strip()
    short = _DIGITS_THEN_UNITS.fullmatch(folded)
    if short:  # the next most common: 6835億, 1.3167萬億 (one group; the units compound as in the loop below)
        unit = CN_BIG[short.group(2)[0]]
        for ch in short.group(2)[1:]:
            if unit < CN_BIG[ch]:
                unit *= CN_BIG[ch]
        return +Decimal(short.group(1)) * unit  # rounded to the context's precision, as the sum below
    tokens = _tokens(folded)
    if not any(k == "n" or k == "s" or k == "b" for k, _ in tokens):
        raise NumberError(f"not a number: {text!r}")
    zero, one = Decimal(0), Decimal(1)
    parts: list[list[Decimal]] = []  # [amount, big unit] for each 萬/億/兆 group read so far
    section = zero
    current: Decimal | None = None
    last_small = one
    fresh = False  # a number or small unit since the last big unit
    for kind, val in tokens:
        if kind == "n":
            current = val
            fresh = True
        elif kind == "s":
            section += (one if current is None else current) * val
            last_small = val
            current = None
            fresh = True
        elif kind == "b":
            if not fresh and parts:
                # 萬億: a big unit straight after another compounds every smaller group before it
                for part in parts:
                    if part[1] < val:
                        part[1] *= val
            else:
                seg = section + (current if current is not None else zero)
                if seg == zero and not fresh:
                    seg = one
                # 1萬3167億: groups of a smaller unit join the new group (1萬 + 3167, times 億)
                smaller = [p for p in parts if p[1] < val]
                seg += sum((p[0] * p[1] for p in smaller), zero)
                parts = [p for p in parts if p[1] >= val] + [[seg, val]]
            section, current, last_small, fresh = zero, None, one, False
    if current is not None:
        # 三千五 reads 3,500: a single trailing digit right after a small unit counts one step lower
        if last_small > 10 and len(tokens) >= 2 and tokens[-2][0] == "s" and current < 10:
            current *= last_small / 10
        section += current
    return sum((p[0] * p[1] for p in parts), zero) + section


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
#: (canonical unit, regex) tried in order right after a number (and its scale word). ``other_ccy`` marks amounts
#: in another currency (新台幣…元, 人民幣, yuan): a conversion, never compared with a dollar series.
UNIT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("USD", re.compile(r"\s*(?:美元|美金|(?:US|U\.S\.)?\s?dollars?\b|USD\b)", re.I)),
    ("other_ccy", re.compile(r"\s*(?:元|圓|圆|yuan\b|renminbi\b|yen\b|euros?\b|(?:NT|HK|Taiwan)\s?dollars?\b)",
                             re.I)),
    ("moz", re.compile(r"\s*(?:Moz|mn\s?oz|mln\s?oz)\b")),
    ("oz", re.compile(r"\s*(?:金衡盎司|盎司|盎斯|(?:fine\s)?(?:troy\s)?(?:ounces?\b|oz\b))", re.I)),
    ("tonnes", re.compile(r"\s*(?:公噸|公吨|噸|吨|(?:metric\s)?tonnes?\b|(?:metric\s)?tons?\b|t\b)", re.I)),
    ("pp", re.compile(r"\s*(?:個百分點|个百分点|percentage points?\b|pp\b)", re.I)),
    ("bp", re.compile(r"(?:\s*|-)(?:個基點|个基点|基點|基点|basis[\s-]points?\b|bps?\b)", re.I)),
    ("%", re.compile(r"\s*(?:%|percent\b|per\s?cent\b)", re.I)),
    ("months", re.compile(r"\s*(?:個多?月|个多?月|(?:consecutive\s|straight\s|successive\s)?months?\b)", re.I)),
    ("days", re.compile(r"\s*(?:天|日(?=\s*(?:內|内|以內|以内|之內|之内))|(?:calendar\s|business\s)?days?\b)", re.I)),
    ("years", re.compile(r"\s*(?:年(?!期|份|\d|[一二三四五六七八九十]+月)|"
                         r"years?\b(?![- ]+(?:on|over|to)[- ]+years?\b)(?!-(?:end|earlier|ago)\b))", re.I)),
]
CURRENCY_PREFIX = guarded_re(r"(?:US\$|U\.S\.\s?\$|USD\s?|\$|美元\s?)$", re.I)
OTHER_CCY_PREFIX = guarded_re(r"(?:新台幣|新台币|台幣|台币|人民幣|人民币|港幣|港币|日圓|日元|NT\$|HK\$|RMB\s?|CNY\s?|"
                              r"TWD\s?|JPY\s?|EUR\s?|€|¥|£)\s*$", re.I)
SCALE_AFTER = re.compile(r"\s?(trillion|billion|million|thousand|trln|trn|tn|tr|bln|bn|mln|mn|k|b|m)\b", re.I)
SCALES["trln"] = 1e12

#: One to twenty in English words (counts of months are often spelled out), and ordinals.
EN_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}  # fmt: skip
EN_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "dozen": 12})
EN_ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}  # fmt: skip


# -- numbers spelled out in English (transcripts: "six hundred eighty-three point five billion dollars") ----------
_SPELLED_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}  # fmt: skip
_SPELLED_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                 "ninety": 90}
_SPELLED_WORD = "|".join(sorted([*_SPELLED_UNITS, *_SPELLED_TENS, "hundred", "thousand"], key=len, reverse=True))
_SPELLED_DIGIT = "|".join(sorted(w for w, i in _SPELLED_UNITS.items() if i < 10))
#: A number spelled out in words, with "point" and digits after it, or "and a half" ("eighteen and a half").
SPELLED_NUMBER = re.compile(rf"\b(?:{_SPELLED_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_SPELLED_WORD}))*"
                            rf"(?:\s+point(?:\s+(?:{_SPELLED_DIGIT}))+|\s+and\s+a\s+half)?\b", re.I)


def parse_spelled(text: str) -> tuple[float, int]:
    """``(value, decimals written)`` of a number spelled out in English: ``"six hundred eighty-three point five"`` →
    ``(683.5, 1)``, ``"eighteen and a half"`` → ``(18.5, 1)``, ``"one point one eight five five"`` → ``(1.1855, 4)``.

    Raises :class:`NumberError` for words that do not make a number.
    """
    words = re.findall(r"[a-z]+", text.lower())
    total, current, digits, seen = 0, 0, "", False
    after_point = half = False
    for k, word in enumerate(words):
        if after_point:
            if word not in _SPELLED_UNITS or _SPELLED_UNITS[word] > 9:
                raise NumberError(f"not a number: {text!r}")
            digits += str(_SPELLED_UNITS[word])
        elif word == "point":
            after_point = True
        elif word == "and" and words[k + 1:k + 3] == ["a", "half"]:
            half = True
            break
        elif word == "and":
            continue
        elif word in _SPELLED_UNITS:
            current += _SPELLED_UNITS[word]
            seen = True
        elif word in _SPELLED_TENS:
            current += _SPELLED_TENS[word]
            seen = True
        elif word == "hundred":
            current = max(current, 1) * 100
            seen = True
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
            seen = True
        else:
            raise NumberError(f"not a number: {text!r}")
    if not seen or (after_point and not digits):
        raise NumberError(f"not a number: {text!r}")
    value = float(total + current) + (float("0." + digits) if digits else 0.0) + (0.5 if half else 0.0)
    return value, len(digits) or (1 if half else 0)
