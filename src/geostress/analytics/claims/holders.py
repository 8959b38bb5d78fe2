"""Holder and instrument recognition: the vocabulary tables and the word matcher that finds them.

:data:`HOLDERS` and :data:`INSTRUMENTS` are tables of (pattern, meaning) rows; :class:`WordRegex` matches a whole
table at once, trying only the alternatives whose first letter starts a word of the text. ``find_holders`` lists the
holders a sentence names, in order, without overlaps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from geostress.analytics.claims.regexes import guarded_re


# -- vocabulary: holders -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Holder:
    """A holder as TIC names it (``tic``: the store key of its series; ``gold``: its WGC key)."""

    name: str
    tic: str | None
    gold: str | None = None


#: keyword regex → holder. Aggregates first, then countries (zh-Hant, zh-Hans and English names).
HOLDERS: list[tuple[str, Holder]] = [
    (r"外國官方|外国官方|官方機構|官方机构|foreign official(?: institutions| holders)?|official (?:foreign )?holders|"
     r"official institutions|foreign central banks",
     Holder("Foreign official", "foreign_official")),
    (r"外國(?:投資者|投資人)?(?:所持|持有)(?!者|國|国|人)|外国(?:投资者|投资人)?(?:所持|持有)(?!者|國|国|人)|外國投資者合計|"
     r"外国投资者合计|外國投資人合計|外国投资人合计|外國投資者|外国投资者|外國投資人|外国投资人|"
     r"外資合計|外资合计|海外投資者|海外投资者|外資|外资|foreign holdings|foreign-held|"
     r"海外(?:投資者|投资者|投資人|投资人)?(?:所持|持有)(?!者|國|国|人)|"
     r"境外(?:投資者|投资者|投資人|投资人)?(?:所持|持有)(?!者|國|国|人)|"
     r"overseas holdings|(?:owned|held) by foreigners|foreign investors|all foreign holders|total foreign|"
     r"foreign holders? of|overseas investors|grand total", Holder("Grand Total", "grand_total")),
    (r"中國大陸|中国大陆|大陸|大陆|中國|中国|我国|中方|北京|人民銀行|人民银行|人行|國家外匯管理局|国家外汇管理局|外匯局|外汇局|"
     r"China|Chinese|Beijing|PBOC|PBoC|People's Bank|People’s Bank|SAFE\b", Holder("China, Mainland", "china_mainland",
                                                                                  "china")),
    (r"日本|Japan(?:ese)?|Tokyo", Holder("Japan", "japan", "japan")),
    (r"英國|英国|United Kingdom|Britain|British|\bUK\b|\bU\.K\.", Holder("United Kingdom", "united_kingdom",
                                                                          "united_kingdom")),
    (r"台灣|台湾|臺灣|Taiwan(?:ese)?", Holder("Taiwan", "taiwan", "taiwan")),
    (r"香港|本港|Hong Kong|\bHK\b(?!\$)", Holder("Hong Kong", "hong_kong", "hong_kong")),
    (r"印度|India(?:n)?\b", Holder("India", "india", "india")),
    (r"沙特|沙烏地|沙乌地|Saudi(?: Arabia)?", Holder("Saudi Arabia", "saudi_arabia", "saudi_arabia")),
    (r"加拿大|Canad(?:a|ian)", Holder("Canada", "canada", "canada")),
    (r"瑞士|Switzerland|Swiss", Holder("Switzerland", "switzerland", "switzerland")),
    (r"比利時|比利时|Belgi(?:um|an)", Holder("Belgium", "belgium", "belgium")),
    (r"盧森堡|卢森堡|Luxembourg|\bLux\b", Holder("Luxembourg", "luxembourg", "luxembourg")),
    (r"開曼群島|开曼群岛|開曼|开曼|Cayman(?: Islands)?", Holder("Cayman Islands", "cayman_islands")),
    (r"俄羅斯|俄罗斯|Russia(?:n)?", Holder("Russia", "russia", "russia")),
    (r"德國|德国|German(?:y)?", Holder("Germany", "germany", "germany")),
    (r"法國|法国|France|French", Holder("France", "france", "france")),
    (r"韓國|韩国|South Korea|Korea(?:n)?", Holder("Korea, South", "korea_south", "south_korea")),
    (r"巴西|Brazil(?:ian)?", Holder("Brazil", "brazil", "brazil")),
    (r"新加坡|Singapore", Holder("Singapore", "singapore", "singapore")),
    (r"挪威|Norw(?:ay|egian)", Holder("Norway", "norway", "norway")),
    (r"愛爾蘭|爱尔兰|Ireland|Irish", Holder("Ireland", "ireland", "ireland")),
    (r"丹麥|丹麦|Denmark|Danish", Holder("Denmark", "denmark", "denmark")),
    (r"以色列|Israel(?:i)?", Holder("Israel", "israel")),
    (r"墨西哥|Mexic(?:o|an)", Holder("Mexico", "mexico", "mexico")),
    (r"澳洲|澳大利亞|澳大利亚|Australia(?:n)?", Holder("Australia", "australia", "australia")),
    (r"荷蘭|荷兰|Netherlands|Dutch", Holder("Netherlands", "netherlands", "netherlands")),
    (r"西班牙|Spain|Spanish", Holder("Spain", "spain", "spain")),
    (r"義大利|意大利|Ital(?:y|ian)", Holder("Italy", "italy", "italy")),
    (r"瑞典|Swed(?:en|ish)", Holder("Sweden", "sweden", "sweden")),
    (r"泰國|泰国|Thai(?:land)?", Holder("Thailand", "thailand", "thailand")),
    (r"百慕達|百慕大|Bermuda", Holder("Bermuda", "bermuda")),
    (r"巴哈馬|巴哈马|Bahamas", Holder("Bahamas", "bahamas")),
    (r"阿聯酋|阿联酋|United Arab Emirates|\bUAE\b", Holder("United Arab Emirates", "united_arab_emirates",
                                                          "united_arab_emirates")),
    (r"科威特|Kuwait", Holder("Kuwait", "kuwait", "kuwait")),
    (r"越南|Vietnam", Holder("Vietnam", "vietnam")),
    (r"菲律賓|菲律宾|Philippines", Holder("Philippines", "philippines", "philippines")),
    (r"波蘭|波兰|Poland|Polish", Holder("Poland", "poland", "poland")),
    (r"土耳其|Turkey|Türkiye", Holder("Turkey", "turkey", "turkey")),
]


def _split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression (``a|b(?:c|d)|e`` → ``a``, ``b(?:c|d)``, ``e``)."""
    out, depth, cur, k = [], 0, "", 0
    while k < len(pattern):
        ch = pattern[k]
        if ch == "\\":
            cur += pattern[k : k + 2]
            k += 2
            continue
        depth += (ch == "(") - (ch == ")")
        if ch == "|" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
        k += 1
    return [*out, cur]


def _first_letters(alternative: str) -> set[str] | None:
    """The Latin letters (lower case) an alternative can start with, or None when that is not plain to see (a
    class, an optional first part, an escape other than ``\\b``)."""
    k = 0
    while alternative.startswith(r"\b", k):
        k += 2
    if k < len(alternative) and alternative[k].isascii() and alternative[k].isalpha():
        return None if alternative[k + 1 : k + 2] in ("?", "*", "{") else {alternative[k].lower()}
    if not alternative.startswith("(?:", k):
        return None
    depth, close = 0, k
    while close < len(alternative):
        ch = alternative[close]
        if ch == "\\":
            close += 2
            continue
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            break
        close += 1
    if depth or alternative[close + 1 : close + 2] in ("?", "*", "{"):
        return None
    letters: set[str] = set()
    for part in _split_alternatives(alternative[k + 3 : close]):
        first = _first_letters(part)
        if first is None:
            return None
        letters |= first
    return letters


@dataclass(frozen=True)
class WordRegex:
    """A table of named word patterns, split for speed (see :func:`_word_regex`).

    ``latin``: the alternatives that start with a Latin letter, as one alternation tried at word starts;
    ``by_letter``: the same alternation cut down, for each first letter, to the alternatives that can start with it
    (None when some alternative's first letter is not plain to see); ``other``: the remaining (Chinese)
    alternatives behind a first-character guard.
    """

    latin: re.Pattern[str]
    other: re.Pattern[str]
    by_letter: dict[str, re.Pattern[str]] | None
    heads: re.Pattern[str] | None = None  # the first characters of ``other``, when it is guarded by them


def _word_regex(table: Iterable[tuple[str, str]]) -> WordRegex:
    """Alternations of the named patterns: those starting with a Latin letter, tried only at word starts (a large
    saving on English text) and there only those that can start with the letter found, and the others (Chinese).
    Each keeps the table's group name, and the order of the table within it."""
    latin: list[tuple[str, list[str]]] = []
    other: list[str] = []
    for name, pattern in table:
        alts = _split_alternatives(pattern)
        lat = [a for a in alts if re.match(r"(?:\\b|\(\?:)*[A-Za-z]", a)]
        rest = [a for a in alts if a not in lat]
        if lat:
            latin.append((name, lat))
        if rest:
            other.append(f"(?P<{name}>{'|'.join(rest)})")
    never = re.compile(r"(?!x)x")
    heads = {a[0] for alts in other for a in _split_alternatives(alts[alts.index(">") + 1 : -1])}
    guard = f"(?=[{''.join(sorted(heads))}])" if heads and all(h >= "\u2e80" for h in heads) else ""

    def alternation(groups: list[tuple[str, list[str]]]) -> re.Pattern[str]:
        return re.compile(r"\b(?:" + "|".join(f"(?P<{n}>{'|'.join(a)})" for n, a in groups) + ")",
                          re.IGNORECASE)

    firsts = [[_first_letters(a) for a in alts] for _name, alts in latin]
    by_letter: dict[str, re.Pattern[str]] | None = None
    if all(f is not None for fs in firsts for f in fs):
        by_letter = {}
        for letter in sorted(set().union(*(f for fs in firsts for f in fs if f is not None))):
            groups = [(name, [a for a, f in zip(alts, fs, strict=True) if f is not None and letter in f])
                      for (name, alts), fs in zip(latin, firsts, strict=True)]
            by_letter[letter] = alternation([(n, a) for n, a in groups if a])
    return WordRegex(alternation(latin) if latin else never,
                     re.compile(guard + "(?:" + "|".join(other) + ")", re.I) if other else never, by_letter,
                     re.compile(guard[3:-1], re.IGNORECASE) if guard and other else None)


#: A word start at a letter (case-insensitively, as the alternations compare).
_WORD_START = re.compile(r"\b[a-z]", re.IGNORECASE)


def word_starts(text: str) -> list[tuple[int, str]] | None:
    """``(position, letter)`` of each word start at a letter; None when ``text`` has no Latin letter at all (then
    no Latin word is looked for). Worked out once per sentence for both word tables."""
    if not _LATIN.search(text):
        return None
    return [(m.start(), m.group()) for m in _WORD_START.finditer(text)]


def find_words(words: WordRegex, text: str, starts: list[tuple[int, str]] | None) -> list[re.Match[str]]:
    """Matches of both halves of :func:`_word_regex`, in order of position (the Latin ones as the one alternation
    would find them: left to right, not overlapping). ``starts``: :func:`word_starts` of ``text``."""
    # a text without any of the Chinese words' first characters (found by one fast scan) has none of them
    found = list(words.other.finditer(text)) if words.heads is None or words.heads.search(text) else []
    if starts is not None:
        if words.by_letter is None:
            found += words.latin.finditer(text)
        else:
            end = 0
            for pos, letter in starts:
                if pos < end:
                    continue
                # a non-ASCII letter that compares equal to a Latin one (K, the Kelvin sign): the whole alternation
                pattern = words.by_letter.get(letter.lower()) if letter.isascii() else words.latin
                m = pattern.match(text, pos) if pattern is not None else None
                if m is not None:
                    found.append(m)
                    end = m.end()
        found.sort(key=lambda m: m.start())
    return found


_LATIN = re.compile(r"[A-Za-z]")
_HOLDER_RES = _word_regex((f"h{i}", pat) for i, (pat, _h) in enumerate(HOLDERS))
#: A nationality followed by one of these is an institution of that country, not the country (TIC counts a
#: country's residents; a single fund's sale is not the country's holdings).
_INSTITUTION = re.compile(r"(?:\s+[A-Za-z-]+){0,2}?\s+(?:pension(?:\s+fund)?|(?:sovereign\s+wealth\s+)?fund|insurer|"
                          r"insurance|asset manager|"
                          r"endowment|company|firm|bank(?!s? of)|lender)s?\b|[\u4e00-\u9fff]{0,4}?(?:退休基金|養老基金|"
                          r"养老基金|養老金|养老金|基金|保險|保险|壽險|寿险|公司|商業銀行|商业银行)", re.I)

# -- vocabulary: instruments -------------------------------------------------------------------------------------
INSTRUMENTS: list[tuple[str, str]] = [
    ("flows", r"資本流動|资本流动|淨流入|净流入|流入|流出|inflows?|outflows?|capital flows?|net foreign"),
    ("reserves", r"官方(?:總)?儲備|官方(?:总)?储备|official reserves|reserve assets|總儲備|总储备"),
    ("fx", r"外匯儲備|外汇储备|外匯存底|外汇存底|外匯準備|外汇准备|外儲|外储|"  # 外匯存底: Taiwan's word
           r"foreign[- ]exchange reserves|FX reserves|forex reserves|\bFX\b"),
    ("yield", r"收益率|殖利率|孳息率|孳息|債息|债息|yield(?:s|ing)?(?![A-Za-z])|"
              r"yielded(?=\s+(?:about\s+|around\s+|nearly\s+|just\s+)?\d)"),
    ("interest", r"淨利息|净利息|利息(?:支出|成本|開支|开支)?|net interest|interest (?:on the debt|expense|costs?|"
                 r"payments?|outlays?)"),
    ("deficit", r"赤字|deficits?\b"),
    ("customs", r"關稅|关税|tariffs?\b|customs"),
    ("outlays", r"Medicare|Medicaid|Social Security|national defense|defen[cs]e spending|聯邦醫療|联邦医疗"),
    ("debt", r"國債總額|国债总额|國債規模|国债规模|債務|债务|national debt|gross (?:federal )?debt|total (?:public )?debt|"
             r"publicly[- ]held (?:federal )?debt|"
             r"debt (?:held by the public|outstanding)"),
    ("ust", r"美國國債|美国国债|美國公債|美国公债|美國政府債券|美国政府债券|美國國庫券|美国国库券|美債|美债|國債|国债|公債|"
            r"Treasur(?:y|ies)|T-bills|U\.?S\.? (?:government )?debt|United States (?:government )?debt|"
            r"U\.?S\.? government bonds|US bonds|USTs?\b|holdings"),
    ("gold", r"黃金|黄金|金儲備|金储备|\bgold\b|bullion"),
]  # fmt: skip
INSTRUMENT_RES = _word_regex(INSTRUMENTS)
INSTRUMENT_RE = guarded_re("|".join(f"(?P<{k}>{p})" for k, p in INSTRUMENTS), re.I)
_CENTRAL_BANK = re.compile(r"央行|central bank|People", re.I)


#: 央行 alone, as a mainland text names the PBoC ("今年以来，央行累计增持黄金"): not after another Han character
#: (日本央行, 全球央行, 各国央行) except a date's or a time word's last one (5月央行增持, 今年以来央行…).
_BARE_CENTRAL_BANK = re.compile(r"(?:(?<![\u4e00-\u9fff])|(?<=[年月日份来后]))央行")
#: Characters only simplified Chinese writes (their traditional forms differ): a text with more of them than of
#: :data:`_TRADITIONAL` is simplified. In a traditional text 央行 may be Taiwan's (or any) central bank.
_SIMPLIFIED = re.compile(r"[这们来时为会发说对过还么经计实现产业长门问间开关东车书与黄银储资债际币汇额亿万国减]")
_TRADITIONAL = re.compile(r"[這們來時為會發說對過還麼經計實現產業長門問間開關東車書與黃銀儲資債際幣匯額億萬國減]")


def _simplified(f: str) -> bool:
    return len(_SIMPLIFIED.findall(f)) > len(_TRADITIONAL.findall(f))


def find_holders(f: str, starts: list[tuple[int, str]] | None) -> list[tuple[int, int, Holder]]:
    out = []
    if "央行" in f and _simplified(f):  # a mainland text's 央行 is the PBoC (China's gold, SAFE)
        china = next(h for _p, h in HOLDERS if h.tic == "china_mainland")
        out += [(m.start(), m.end(), china) for m in _BARE_CENTRAL_BANK.finditer(f)]
    for m in find_words(_HOLDER_RES, f, starts):
        if not m.lastgroup:
            continue
        h = HOLDERS[int(m.lastgroup[1:])][1]
        inst = _INSTITUTION.match(f, m.end())
        if inst and not _CENTRAL_BANK.search(inst.group()):
            h = Holder(f"{m.group()}{inst.group()}".strip(), None)
            out.append((m.start(), m.end() + len(inst.group()), h))
            continue
        out.append((m.start(), m.end(), h))
    return sorted(out, key=lambda t: t[0])
