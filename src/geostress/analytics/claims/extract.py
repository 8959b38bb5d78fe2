"""Find the quantities a text states and link each one to what it claims: holder, measure and period.

The extractor takes ``str`` only (reading files, encodings and HTML is :mod:`geostress.analytics.claims.reading`).
It works sentence by sentence (:func:`iter_sentences` streams from any iterable of chunks) and never raises on
input: a sentence it cannot read yields no claim, a quantity it cannot map yields a claim with ``measure=None`` and
the reason (reported as ``not_checkable``).

How a quantity becomes a claim is data, not code: :data:`MEASURE_RULES` is a table tried in order — the first rule
whose unit, instrument and cue words fit names the measure (or, for things the store does not hold, the reason it
cannot be checked). Holders, instruments and cue words are the vocabulary tables below. Relative dates ("9月",
"last month", "In September") resolve against the article's date (:mod:`geostress.analytics.claims.dates`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from geostress.analytics.claims.dates import DateMention, find_article_date, find_dates, resolved
from geostress.analytics.claims.numbers import (
    CURRENCY_PREFIX,
    EN_ORDINALS,
    EN_WORDS,
    OTHER_CCY_PREFIX,
    SCALE_AFTER,
    SCALES,
    SPELLED_NUMBER,
    UNIT_PATTERNS,
    NumberError,
    fold_width,
    parse_decimal,
    parse_spelled,
)
from geostress.analytics.claims.regexes import guarded_re
from geostress.analytics.claims.tables import Table, cell_number, read_header, read_row, unit_note

MAX_SENTENCE = 2000  # characters; a longer run without a sentence end is cut (at a space or comma when possible)


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
     r"外国投资者合计|外國投資者|外国投资者|海外投資者|海外投资者|外資|外资|foreign holdings|foreign-held|"
     r"overseas holdings|(?:owned|held) by foreigners|foreign investors|all foreign holders|total foreign|"
     r"foreign holders? of|overseas investors", Holder("Grand Total", "grand_total")),
    (r"中國大陸|中国大陆|大陸|大陆|中國|中国|中方|北京|人民銀行|人民银行|人行|國家外匯管理局|国家外汇管理局|外匯局|外汇局|"
     r"China|Chinese|Beijing|PBOC|PBoC|People's Bank|People’s Bank|SAFE\b", Holder("China, Mainland", "china_mainland",
                                                                                  "china")),
    (r"日本|Japan(?:ese)?|Tokyo", Holder("Japan", "japan", "japan")),
    (r"英國|英国|United Kingdom|Britain|British|\bUK\b|\bU\.K\.", Holder("United Kingdom", "united_kingdom",
                                                                          "united_kingdom")),
    (r"台灣|台湾|臺灣|Taiwan(?:ese)?", Holder("Taiwan", "taiwan", "taiwan")),
    (r"香港|Hong Kong|\bHK\b(?!\$)", Holder("Hong Kong", "hong_kong", "hong_kong")),
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


def _word_starts(text: str) -> list[tuple[int, str]] | None:
    """``(position, letter)`` of each word start at a letter; None when ``text`` has no Latin letter at all (then
    no Latin word is looked for). Worked out once per sentence for both word tables."""
    if not _LATIN.search(text):
        return None
    return [(m.start(), m.group()) for m in _WORD_START.finditer(text)]


def _find_words(words: WordRegex, text: str, starts: list[tuple[int, str]] | None) -> list[re.Match[str]]:
    """Matches of both halves of :func:`_word_regex`, in order of position (the Latin ones as the one alternation
    would find them: left to right, not overlapping). ``starts``: :func:`_word_starts` of ``text``."""
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

# -- vocabulary: instruments and cue words -------------------------------------------------------------------------
INSTRUMENTS: list[tuple[str, str]] = [
    ("flows", r"資本流動|资本流动|淨流入|净流入|流入|流出|inflows?|outflows?|capital flows?|net foreign"),
    ("reserves", r"官方(?:總)?儲備|官方(?:总)?储备|official reserves|reserve assets|總儲備|总储备"),
    ("fx", r"外匯儲備|外汇储备|外儲|外储|foreign[- ]exchange reserves|FX reserves|forex reserves|\bFX\b"),
    ("yield", r"收益率|殖利率|孳息率|孳息|yield(?:s|ing)?\b|yielded(?=\s+(?:about\s+|around\s+|nearly\s+|just\s+)?\d)"),
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
_INSTRUMENT_RES = _word_regex(INSTRUMENTS)
_INSTRUMENT_RE = guarded_re("|".join(f"(?P<{k}>{p})" for k, p in INSTRUMENTS), re.I)

UP = (r"增持|增加|增至|增長|增长|上升|上漲|上涨|回升|攀升|大增|增|升|買入|买入|購入|购入|加倉|加仓|rose|rise[sn]?|rising|"
      r"increas\w*|\bup\b|added|adding|bought|buying|purchas\w*|gain\w*|hik\w*|expan\w*|grew|grow(?:s|n|ing)?\b|"
      r"jump\w*|surg\w*|climb\w*|"
      r"built|build\w*|accumulat\w*")
DOWN = (r"減持|减持|減少|减少|下降|下跌|下滑|回落|縮減|缩减|縮水|缩水|拋售|抛售|賣出|卖出|跌|降|減|减|cut\w*|fell|fall\w*|"
        r"declin\w*|decreas\w*|drop\w*|pared|par(?:e|ing)|reduc\w*|trimm?\w*|slid\w*|shed\w*|sold|sell\w*|down\b|"
        r"lower\w*|shrank|shrunk|dump\w*|offload\w*|unload\w*|slash\w*|pull\w* back")
UP_RE = guarded_re(UP, re.I)
DOWN_RE = guarded_re(DOWN, re.I)
CHANGE_RE = guarded_re(f"{UP}|{DOWN}", re.I)
#: Words right before an amount that make it a level ("降至 6887億", "to $760.1 billion", "totaling").
LEVEL_BEFORE = guarded_re(r"(?:降至|跌至|減至|减至|增至|升至|增加至|減少至|减少至|下滑至|下降至|回落至|攀升至|至|到|為|为|達|达|是|"
                          r"規模|规模|持有量|\bto|\bat|totall?(?:ing|ed)|amount(?:ed|ing) to|held|holds|hold|holding|"
                          r"from|than|with|stood at|reach\w*|hit|record of|reserves|vs\.?|versus|"
                          r"(?:a |the |its )?(?:peak|high|record|"
                          r"low|level|total|balance) of|高峰|峰值|新高|新低)\s*"
                          r"(?:約|约|逾|近|超過|超过|達|达|about|around|over|nearly|almost|some|just|only|roughly|"
                          r"approximately|an estimated|close to|just (?:under|over)|more than|less than|"
                          r"(?:a|an)\s+(?:new\s+|fresh\s+|all-time\s+)?(?:record|high|low)"
                          r"(?:\s+high|\s+low)?(?:\s+of)?|"
                          r"a|an|the)?"
                          r"\s*(?:的)?\s*$", re.I)
#: Chinese "more/less than": 比…少了 / 比…低 (a fall), 比…多了 / 比…高出 (a rise) right before the figure; not 不少,
#: 至少, 多少.
_LESS_BEFORE = r"(?<![不至多])(?:少|低)(?:了|出|於|于)?\s*(?:逾|約|约|近|超過|超过|達|达)?\s*$"
_MORE_BEFORE = r"(?<![至])(?:多|高)(?:了|出)\s*(?:逾|約|约|近|超過|超过|達|达)?\s*$"
#: The base of such a comparison is a month or a period ("12月持仓比11月少了38亿", 較上月多了, 比去年同期高出): the
#: figure is a change from it, not a level. (A comparison with another holder, 比中國多, is neither.)
_COMPARED_TO_DATE = (r"(?:比|較|较)\s*(?:(?:(?:19|20)\d\d|去年|上年|今年)\s*年?\s*)?(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
                     r"\s*月(?:份|底|末)?|上個?个?月|前一?個?个?月|去年同期|上年同期|一年前|去年底|去年年底|年初|上季度?)"
                     r"[^，,。；;\d]{0,8}?" rf"(?:{_LESS_BEFORE}|{_MORE_BEFORE})")
LESS_RE = guarded_re(_LESS_BEFORE)
#: A change over a year ("year on year", "over the past year", 較上年同期, 同比, 一年來).
ANNUAL = guarded_re(r"(?:去年|上年|上一年|前一年)同(?:期|月)|同比|年增|年減|年减|一年前|(?:較|较|比)(?:去年|上年|上一年|前一年)|"
                    r"(?:過去|过去|最近|近)\s*(?:一|1)\s*年(?!期)|(?:過去|过去|最近|近)\s*(?:12|十二)\s*(?:個|个)月|"
                    r"(?<![\d一二三四五六七八九十兩两幾几多])一年(?:來|来|以來|以来|間|间)|"
                    r"year[- ]on[- ]year|year[- ]over[- ]year|from a year (?:earlier|ago|before)|"
                    r"a year (?:earlier|ago|before)|(?:12|twelve) months (?:earlier|ago|before)|compared with a year|"
                    r"(?:over|in|during|across|within)\s+the\s+(?:past|last|previous|prior)\s+(?:year|12\s+months|"
                    r"twelve\s+months)\b|\bpast\s+(?:year|12\s+months|twelve\s+months)\b|"
                    r"annual(?:ly)? (?:rise|increase|decline|change)|\byoy\b|y/y", re.I)
RESPECTIVELY = re.compile(r"分別|分别|各自|respectively", re.I)
MONTH_ON_MONTH = guarded_re(r"環比|环比|月增|月減|月减|month[- ]on[- ]month|from (?:a|the) (?:month|previous month)|"
                            r"m/m|mom\b", re.I)
PEAK = guarded_re(r"高峰|峰值|巔峰|巅峰|頂峰|顶峰|歷史高點|历史高点|\bpeak\w*|all-time high", re.I)
#: A peak word right before the figure ("a peak of about $1.3 trillion", 高峰1.32兆美元).
PEAK_BEFORE = guarded_re(rf"(?:{PEAK.pattern})(?:\s*(?:of|at|was|stood at|reached|的|時|时|達|达|為|为|約|约|about|around|"
                         r"nearly|some|close to|near)\s*)*$", re.I)
PEAK_AFTER = re.compile(r"\s*(?:peak|all-time high|高峰|峰值|的高峰|的峰值|的歷史高點|的历史高点)", re.I)
_RUN_WORDS = r"streak|(?:buying|selling|purchasing|losing|winning)\s+(?:run|spree)|in a row|running"
CONSECUTIVE = guarded_re(rf"連續|连续|持續|持续|consecutive|straight|successive|{_RUN_WORDS}", re.I)
THRESHOLD_ABOVE = guarded_re(r"維持在|维持在|保持在|以上|above|over|more than|at least|higher than|exceed", re.I)
PER_UNIT = re.compile(r"(?:每|per|an|a)\s*(?:盎司|盎斯|ounce|oz)\s*$", re.I)
PRICE_AFTER = re.compile(r"^\s*(?:(?:per|an|a)\s+(?:troy\s+)?(?:ounce|oz)|/oz|每盎司)", re.I)
#: Words that may stand between "of" and the base of a share ("of all federal revenue", "of U.S. GDP").
_SHARE_OF = r"^\s*of\s+(?:(?:all|total|the|its|annual|yearly|federal|national|government|(?:the\s+)?government's|" \
            r"U\.?S\.?|US|America's|American|nominal|tax|budget|fiscal)\s+){0,4}"
#: Chinese: 佔/占/相當於 … 收入 with the payer between ("占联邦财政收入的", "相當於美國GDP的").
_SHARE_ZH = r"(?:佔|占|相當於|相当于)[^，。；\d]{0,10}?"
_GDP_WORDS = r"(?:GDP|gross domestic product|economy|economic output|output)\b"
_GDP_ZH = r"(?:GDP|國內生產總值|国内生产总值|經濟|经济)"
_REVENUE_WORDS = r"(?:revenues?|receipts|tax(?:es| revenues?| receipts| collections)?|collections)\b"
_REVENUE_ZH = r"(?:收入|税收|稅收|財收|财收)"
#: A share cue before the figure, in its own stretch of the clause ("as a share of GDP, net interest reached 3.2%",
#: 占GDP的3.2%). Not "of GDP" at the start of that stretch: that follows the figure before ("3.2% of GDP … and has
#: risen 104%") and is that figure's cue.
_SHARE_BEFORE_EN = r"\b(?:share|percentage|proportion|fraction|ratio)\s+of\s+(?:(?:the|total|federal|national|" \
                   r"U\.?S\.?|nominal|government)\s+){0,3}"
OF_GDP = re.compile(rf"{_SHARE_OF}{_GDP_WORDS}|{_SHARE_ZH}{_GDP_ZH}[^，。]{{0,6}}$", re.I)
OF_GDP_BEFORE = re.compile(rf"{_SHARE_ZH}{_GDP_ZH}[^，。]{{0,6}}$|{_SHARE_BEFORE_EN}{_GDP_WORDS}[^,;，。%\d]*$", re.I)
OF_REVENUE = re.compile(rf"{_SHARE_OF}{_REVENUE_WORDS}|{_SHARE_ZH}{_REVENUE_ZH}[^，。]{{0,6}}$", re.I)
OF_REVENUE_BEFORE = re.compile(rf"{_SHARE_ZH}{_REVENUE_ZH}[^，。]{{0,6}}$|{_SHARE_BEFORE_EN}{_REVENUE_WORDS}"
                               r"[^,;，。%\d]*$", re.I)
PER_YEAR = re.compile(r"^\s*(?:a|per)\s+year|^\s*annually|^\s*a\s+yr|(?:每年|年均|年化|年複合|年复合)\s*(?:增長|增长|增加)?\s*$",
                      re.I)
RANK_NOUN = re.compile(r"\s*(?:的)?\s*(?:海外|外國|外国|境外)?\s*(?:美債|美债|美國國債|美国国债|美國公債|美国公债)?\s*"
                       r"(?:持有(?:國|国|者|人)|債權(?:國|国|人)|债权(?:國|国|人)|債主|债主|買家|买家|名|大(?!經濟|经济))|\s*(?:foreign\s+|"
                       r"overseas\s+)?(?:holder|creditor|owner|foreign holder)", re.I)
#: A holder named after these is a comparison ("behind Japan and Britain", 僅次於英國), not the figure's subject.
COMPARED_HOLDER = guarded_re(r"\b(?:behind|after|ahead of|trailing|followed by|than|overtaking|overtook|surpass\w*)"
                             r"\s+(?:[\w.]+\s+){0,3}?(?:(?:and|&|or)\s+)?$|(?:僅次於|仅次于|次於|次于|落後於|落后于|超越|"
                             r"領先|领先|超過|超过)[\u4e00-\u9fff]{0,6}?(?:和|與|与|及|、)?$", re.I)
_EN_COMPARED = guarded_re(r"\b(?:from|than|compared (?:to|with)|vs\.?|versus)\s+(?:about\s+|around\s+)?(?:US\$|USD|\$)?"
                          r"\s?[\d.,]+\s*(?:trillion|billion|million|trln|bln|tn|bn)?(?:\s+\w+){0,3}?\s+(?:in|at|as of|"
                          r"at the end of|end-|for)?\s*(?:the\s+)?(?:end\s+of\s+)?$", re.I)
COMPARATIVE = guarded_re(r"(?:從|从|較|较|比|低於|低于|高於|高于|略低於|略低于|略高於|略高于|不及|up from|down from|from|"
                         r"than|compared (?:to|with)|vs\.?|versus)\s*(?:(?:the|its|their|a|an)\s+)?"
                         r"(?:end\s+of\s+|end-)?$", re.I)

#: Debt held by the public (what CBO's fiscal-year table holds), as opposed to gross or total federal debt.
HELD_BY_PUBLIC = guarded_re(r"held by (?:the )?public|publicly[- ]held|public(?:ly)? held|"
                            r"(?:由)?(?:公眾|公众|民間|民间)(?:所)?持有", re.I)
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
#: Words that make the date right after them the base of a growth rate ("from fiscal 2022", "since 2019", 較2022財年).
_BASE_BEFORE = guarded_re(r"(?:\b(?:from|since|than|over|compared (?:to|with)|relative to|versus|vs\.?)\s+"
                          r"(?:(?:the|its|in|of)\s+)*(?:level\s+(?:of|in)\s+)?|(?:從|从|較|较|比|自|相比|相較於|相较于)\s*)$",
                          re.I)
#: An annual cue right after the previous figure is that figure's ("fell $75.5bn from a year ago, and Japan's …").
_CUE_OF_PREVIOUS = re.compile(rf"^[\s,]*(?:{ANNUAL.pattern})", re.I)
#: A peak word right before a date: the date is the peak's ("peaked in November 2013", 峰值出現在2013年11月).
_PEAK_LINK = (r"\s*(?:(?:in|at|of|on|was|were|it|they|that|which|had|has|hit|reached|set|touched|recorded|"
              r"about|around|nearly|some|US\$|USD|\$|[\d.,]+|trillion|billion|million|tn|bn|"
              r"出現在|出现在|在|於|于|為|为|約|约)\s*)*$")
_PEAK_THEN = guarded_re(r"(?:\bpeak(?:ed|ing|s)?|\ball-time high|\brecord high|高峰|峰值|巔峰|巅峰|頂峰|顶峰)"
                        + _PEAK_LINK, re.I)
#: The same with a peak word only ("peaked at $1.32 trillion in November 2013"; not "a record high in December",
#: which dates the record the sentence states).
_PEAKED_THEN = guarded_re(r"(?:\bpeak(?:ed|ing|s)?|高峰|峰值|巔峰|巅峰|頂峰|顶峰)" + _PEAK_LINK, re.I)
#: A peak noun right after a date: the date is the peak's ("their November 2013 peak", 2013年11月的峰值, 巅峰时).
_PEAK_NOUN_AFTER = re.compile(r"\s*(?:'s|’s|的|時的|时的|時|时)?\s*(?:peak|high\b|高峰|峰值|巔峰|巅峰|頂峰|顶峰|"
                              r"歷史高點|历史高点)", re.I)
#: "since then", 此後: a change from the date named before to now.
_SINCE_THEN = guarded_re(r"\bsince then\b|\bsince that (?:year|time)\b|自那(?:以後|以后|時|时)|此後|此后|從那時起|从那时起", re.I)
_BASE_AFTER = re.compile(r"\s*(?:以來|以来|起|開始|开始|相比|比較|比较)")
#: Words that make a year the end of a span, not the year of a one-year change ("By FY 2025 … a rise of 153%").
_SPAN_END_BEFORE = guarded_re(r"(?:\b(?:by|through|thru|to|until|till|up to)\s+(?:(?:the\s+)?end\s+of\s+)?"
                              r"(?:(?:the|fiscal|FY)\s+)*|(?:到|至|截至|截止)\s*)$", re.I)

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
_BOUNDARY = guarded_re(r"[。！？；!?;]+[」』”\"')）]*|\n\s*\n|\n|(?<=[^\s.])\.(?=\s)|(?<=[%a-z\d])\.(?=[\"“]?[A-Z][a-z])")
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


# -- quantities --------------------------------------------------------------------------------------------------------
QUALIFIERS = [
    ("approx", r"大約|大约|大概|約|约|about|around|approximately|roughly|some|an estimated|circa|~"),
    ("more_than", r"超過|超过|超出|多於|多于|高於|高于|逾|突破|升破|站上|more than|over|above|in excess of|upwards of|topped|"
                  r"exceeded|surpassed"),
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
_RUN_RE = re.compile(_RUN_WORDS, re.I)
#: Words that make a sentence about a run of months ("extending its buying streak to a 16th month").
_STREAK_WORDS = guarded_re(rf"consecutive|straight|successive|{_RUN_WORDS}|連續|连续", re.I)
_CANON = {"USD": "USD bn", "oz": "million troy oz", "moz": "million troy oz", "tonnes": "tonnes", "%": "percent",
          "pp": "pp",
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
_OPEN_BRACKET = re.compile(r"\s*[（(]\s*")
# precompiled patterns used in the loops below
_DIGIT = re.compile(r"\d")
_CCY_CODE_END = re.compile(r"(?:USD|US|RMB|CNY|TWD)$")
_CN_BIG = re.compile("[萬万億亿兆]")
_CENTRAL_BANK = re.compile(r"央行|central bank|People", re.I)
_DATELINE_AFTER = re.compile(r"\s*(?:--|—|消息|電|电|讯|訊|公布|"
                                                                                       r"發布|发布)")
_SINCE_END = re.compile(r"since\s*$", re.I)
#: A date followed by 以來 ("2008年以來首次", 自2025年1月以来): what a run or a change is counted from, not a period.
_SINCE_ZH_AFTER = re.compile(r"\s*(?:以來|以来)")
#: A change counted from the start of the year: "so far this year", "year to date", 今年以来, 年初以來, 较年初.
_YEAR_TO_DATE = guarded_re(r"\byear[- ]to[- ]date\b|\bYTD\b|\bso far this year\b|\bthis year so far\b|"
                           r"\bsince the (?:start|beginning) of (?:the|this) year\b|(?:今年|本年|年初)\s*(?:以來|以来|迄今|至今)|"
                           r"(?:較|较|比|相比|與|与)\s*(?:今年)?年初|年內累計|年内累计|今年累計|今年累计|今年來|今年来", re.I)
_FIRST_HINT = re.compile(r"[Ff]irst\s+time|首次|首度|第一次|頭一次|头一次|首見|首见")
#: "for the first time since 2008", "its first time below $700 billion since 2008" (right before the date).
_FIRST_SINCE_EN = re.compile(r"\bfirst\s+time\b[^.;]{0,60}?\bsince\s*$", re.I)
#: 2008年以來首次, 2008年以来首度, 自2008年10月以來第一次 (right after the date).
_FIRST_SINCE_ZH = re.compile(r"\s*(?:以來|以来)\s*(?:的)?\s*(?:首次|首度|第一次|頭一次|头一次|首見|首见)")
#: Words that put a figure below (above) a threshold: "fell below", "under", 跌破, 低於, "…以下".
_BELOW_END = guarded_re(r"(?:\b(?:below|under|beneath|less than)|跌破|跌穿|跌落|降破|低於|低于|少於|少于|不足|不到)\s*"
                        r"(?:了)?\s*$", re.I)
_ABOVE_END = guarded_re(r"(?:\b(?:above|over|past|more than|topped|exceeded|surpassed|crossed)|突破|升破|站上|超過|"
                        r"超过|高於|高于|重回)\s*(?:了)?\s*$", re.I)
_BELOW_AFTER = re.compile(r"\s*(?:以下|之下)")
_ABOVE_AFTER = re.compile(r"\s*(?:以上|之上)")
#: A verb of movement before such a word: the threshold was crossed that month ("fell below", 跌破, "topped").
_CROSS_VERB = guarded_re(r"(?:跌破|跌穿|跌落|降破|突破|升破|站上|重回|\btopped|\bsurpassed|\bexceeded|\bcrossed)\s*"
                         r"(?:了)?\s*$|(?:跌至|跌到|降至|降到|回落至|減至|减至|升至|升到|增至|回升至)\s*$", re.I)
_HOLD_AT_END = re.compile(r"(?:維持在|维持在|保持在|站穩|站稳)\s*$")
_THRESHOLD_END = guarded_re(r"(?:below|under|less than|above|over|more than)\s*$", re.I)
_SINCE_AHEAD = re.compile(r"^[^.;,]{0,60}\bsince\b", re.I)
_OR_PCT = re.compile(r"\s*(?:,|，)?\s*(?:or|i\.e\.|即|或|，即|(?:增幅|升幅|降幅|跌幅|減幅|减幅)(?:約為|约为|為|为|達|达)?|"
                     r"up|down)?\s*"
                     r"(?:(?:about|around|roughly|approximately|some|nearly|almost|close to|just over|just under|"
                     r"more than|over|less than|約|约|大約|大约|近|逾|超過|超过)\s*)?")
#: A level given as the base of a comparison ("down from $759.0 billion", "up from roughly $760 billion",
#: "compared with $X", 較去年同期的7590億, 比上月的X): the level at the base period, not at the claim's month.
_FROM_END = guarded_re(r"(?:\b(?:up|down|higher|lower)\s+)?\bfrom\s+(?:(?:about|around|roughly|approximately|some|"
                       r"nearly|almost|just|more than|less than|over|under|an estimated)\s+)?$|"
                       r"\bcompared\s+(?:with|to)\s+(?:(?:about|around|roughly|some|nearly)\s+)?$|"
                       r"(?:較|较|比|相比|相較於|相较于|對比|对比)\s*(?P<year>去年同期|上年同期|一年前|去年同月|上年同月|"
                       r"上一年同期)?\s*(?:上一?(?:財年|财年|財政年度|财政年度|年度))?\s*(?:的)?\s*(?:約|约|逾|近|超過|超过)?\s*$|"
                       r"(?:高於|高于|低於|低于|多於|多于|少於|少于)\s*(?:(?P<year2>去年同期|上年同期|一年前|去年同月|上年同月)|"
                       r"上一?(?:財年|财年|財政年度|财政年度|年度))\s*的\s*(?:約|约)?\s*$", re.I)
#: A level as a fraction of its peak: "less than half of its 2013 peak", "about a third of their peak", 不到峰值的一半,
#: 僅為2013年高峰時的三分之一.
_FRACTIONS = {"half": 0.5, "a half": 0.5, "one half": 0.5, "a third": 1 / 3, "one third": 1 / 3, "two thirds": 2 / 3,
              "a quarter": 0.25, "one quarter": 0.25, "three quarters": 0.75, "一半": 0.5, "半數": 0.5, "半数": 0.5,
              "三分之一": 1 / 3, "三分之二": 2 / 3, "四分之一": 0.25, "四分之三": 0.75}
_FRACTION_HINT = re.compile(r"[Hh]alf|[Tt]hird|[Qq]uarter|一半|半數|半数|分之")
_FRACTION_OF_PEAK = guarded_re(
    r"\b(?:(?P<q>less than|under|below|more than|over|above|about|around|roughly|nearly|almost|just over|just under|"
    r"barely)\s+)?(?P<frac>half|a half|one half|a third|one[- ]third|two[- ]thirds|a quarter|one[- ]quarter|"
    r"three[- ]quarters)\s+(?:of\s+)?(?:its|their|the|that)\s+(?:[\w-]+\s+){0,3}?(?:peak|high|record high)\b|"
    r"(?:峰值|高峰|巔峰|巅峰|頂峰|顶峰|歷史高點|历史高点)(?:時|时)?(?:的)?\s*(?P<frac2>一半|半數|半数|三分之一|三分之二|四分之一|"
    r"四分之三)", re.I)
#: The bound on such a fraction in Chinese, before the peak's words in the same clause (不到2013年峰值的一半).
_FRACTION_BOUND_ZH = re.compile(r"(不到|不足|少於|少于|低於|低于|約|约|近|接近|超過|超过|逾|僅為|仅为|只有|僅|仅)"
                                r"[^，。；,;]{0,12}$")
#: A bound on the fraction is the opposite bound on the fall ("less than half": a fall of more than 50 %).
_FRACTION_QUALIFIER = {"less than": "more_than", "under": "more_than", "below": "more_than", "barely": "more_than",
                       "just under": "more_than", "不到": "more_than", "不足": "more_than", "少於": "more_than",
                       "少于": "more_than", "低於": "more_than", "低于": "more_than", "more than": "less_than",
                       "over": "less_than", "above": "less_than", "just over": "less_than", "超過": "less_than",
                       "超过": "less_than", "逾": "less_than", "about": "approx", "around": "approx",
                       "roughly": "approx", "約": "approx", "约": "approx", "nearly": "approx", "almost": "approx",
                       "近": "approx", "接近": "approx"}
#: A year back stated right after such a base ("down from $759.0 billion a year earlier", "from $760bn a year ago").
_YEAR_BACK_AFTER = re.compile(r"^\s*(?:(?:a|one)\s+year\s+(?:earlier|ago|before)|(?:12|twelve)\s+months\s+"
                              r"(?:earlier|ago|before)|(?:in\s+)?the\s+same\s+(?:month|period)\s+(?:a|last|the\s+"
                              r"previous|the\s+prior)\s+year|(?:at\s+)?this\s+time\s+last\s+year)\b", re.I)
_AFTER_END = re.compile(r"\bafter\s+(?:\w+\s+){0,2}$", re.I)
_BRACKETED = re.compile(r"\s*[（(][^）)]{0,30}[）)]")
_PRONOUN = re.compile(r"\bthem\b|\bits\b")
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
_YIELD_BEFORE = re.compile(r"(?:孳息率|孳息|收益率|殖利率|息率|利率|息口)[^。；;！？]{0,30}$")
#: A bond's tenor named as the subject of a quote ("The ten-year closed at 4.03%", "the 2-year note at 3.56%",
#: "10年期公債…收在4.05%"): the percentage is a yield even when the word "yield" is left out.
_TENOR_QUOTED = guarded_re(r"\b(?:two|three|five|seven|ten|twenty|thirty|\d{1,2})-year(?:\s+(?:U\.?S\.?\s+)?"
                           r"(?:Treasury|Treasuries|note|notes|bond|bonds|T-note|paper|benchmark))?(?:\s+yield)?"
                           r"\s+(?:(?:also|then|had|has|have)\s+)?(?:closed|ended|finished|settled|stood|was|is|"
                           r"were|rose|fell|climbed|slipped|dropped|jumped|eased|hit|touched|traded|reached|ticked|"
                           r"edged|opened|moved|sat|held|at\b)|"
                           r"(?:\d{1,2}|[二兩两三五七十]{1,3})\s*年期(?!\s*(?:存款|定存|貸款|贷款|理財|理财|大額|大额))", re.I)
#: Subjects of a percentage other than a yield ("the S&P 500 rose 0.4%", "inflation at 2.9%"): in a figure's own
#: clause with no yield or tenor word, the yield named elsewhere in the sentence is not its subject.
_OTHER_PCT_SUBJECT = guarded_re(r"S&P|Nasdaq|Dow\b|\bstocks?\b|\bequit(?:y|ies)\b|\bshares\b|\bindex\b|inflation|"
                                r"\bCPI\b|\bPCE\b|\bGDP\b|growth|tariffs?\b|unemployment|jobless|股市|股指|指數|指数|"
                                r"標普|标普|通脹|通胀|通膨|關稅|关税|經濟增長|经济增长", re.I)
#: A spoken filler between commas ("they dumped, uh, twenty-seven billion"), blanked out (offsets kept).
_FILLER = re.compile(r",\s*(?:uh|um|uhm|er|erm|ah|you know|I mean)\s*,", re.I)
#: Billions or trillions in English words: about dollar instruments, an amount of money even where the stretch
#: around it names no instrument ("That's down from roughly seven hundred sixty billion a year earlier").
_EN_BILLIONS = re.compile(r"\b(?:billion|trillion|bn|tn|trn|bln)\b", re.I)
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
        if not has_arabic and all(ch in "十百千萬万億亿兆 " for ch in raw):
            continue  # 萬億, 百萬: units named, no number
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


# -- the measure rule table -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """One row of :data:`MEASURE_RULES`.

    A rule applies to a quantity whose canonical ``unit`` is in ``units`` and whose instrument is in
    ``instruments`` (None: any) when every regex given matches: ``before`` (the words between the previous
    quantity, or the clause start, and this one), ``after`` (the words up to the next quantity or the clause end),
    ``sentence``, ``lead`` (the sentence from the previous quantity on: "Compared with a year earlier, … rose $818
    billion"), ``ahead`` (a cue stated after the figure that belongs to it — in its own clause, or in a later
    clause that goes on to no other change: "fell $75.5 billion from a year ago", "fell $75.5 billion, or 9.9%,
    from a year earlier"; see :func:`_cue_ahead`); and ``unless`` matches none of ``before``.
    ``needs_holder``: no holder → not checkable. The result is ``measure`` or, for ``measure=None``, the
    ``reason`` it cannot be checked.
    """

    measure: str | None
    units: frozenset[str]
    instruments: frozenset[str | None] | None = None
    before: re.Pattern[str] | None = None
    after: re.Pattern[str] | None = None
    sentence: re.Pattern[str] | None = None
    lead: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    needs_holder: bool = False
    reason: str | None = None
    ahead: re.Pattern[str] | None = None


def _r(pattern: str) -> re.Pattern[str]:
    return guarded_re(pattern, re.IGNORECASE)


_USD = frozenset({"USD bn"})
_PCT = frozenset({"percent"})
_GOLD_Q = frozenset({"million troy oz", "tonnes"})
_MONTHS = frozenset({"months"})
_LEVEL_END = _r(LEVEL_BEFORE.pattern)
_STREAK = _r(rf"連續|连续|consecutive|straight|successive|{_RUN_WORDS}|第")
#: A change word before the figure with no clause break after it ("rose by about", "減少"; a rule only asks whether
#: it occurs, so "a change word followed only by by/of/about" needs no alternative of its own: it is one such case).
_CHANGE_BEFORE = _r(rf"(?:{UP}|{DOWN})[^，,。;；]*$|{_COMPARED_TO_DATE}")

#: A threshold the text denies: "did not fall below the rumoured $600 billion", "never dropped under", 並未跌破網傳的,
#: 没有低于. It states no level (only that the level stayed on the other side): not a change, not checked.
_NEGATED_SOURCE = (r"(?:\b(?:not|never|no\s+longer)\b|n[’']t\b)[^,.;:，。；]{0,30}?\b(?:below|under|beneath|"
                   r"above|over|past|beyond)\s+(?:the\s+|a\s+|an\s+)?(?:[a-z-]+\s+){0,2}?$|"
                   r"(?:並未|并未|未曾|未能|從未|从未|尚未|不曾|沒有|没有|未|沒|没)\s*(?:曾經|曾经|曾)?\s*(?:跌破|跌穿|跌落|"
                   r"降破|跌至|跌到|降至|降到|低於|低于|少於|少于|突破|升破|站上|超過|超过|高於|高于)"
                   r"[^，,。；;\d]{0,12}$")
_NEGATED_THRESHOLD = _r(_NEGATED_SOURCE)
#: A level crossed: "fell below $700 billion", "rose above $1 trillion", 跌破6000億, 突破1萬億 — the level after the
#: move is below (above) the figure, not a change of that size.
_CROSSED = _r(r"\b(?:fell|fall(?:s|en|ing)?|dropped|drop(?:s|ping)?|dipped|dip(?:s|ping)?|slipped|slip(?:s|ping)?|"
              r"sank|sunk|sink(?:s|ing)?|slid(?:e|es|ing)?|went|go(?:es|ne|ing)?|moved?|tumbled|declined|rose|"
              r"rise[sn]?|rising|climbed|climb(?:s|ing)?|jumped|surged|crept|edged|pushed|broke|breaking|shrank|"
              r"shrunk|grew|grown)\s+(?:back\s+|further\s+)?(?:below|under|beneath|above|past|through)\s*$|"
              r"(?:跌破|跌穿|降破|突破|升破|站上|站穩|站稳|重回)\s*(?:了)?\s*$")
#: A change named by a noun before the figure: "change -$17.2 billion", "a net change of", 變動, 增減.
_CHANGE_NOUN = _r(r"\b(?:net\s+)?change[sd]?\b[^,.;:，。；]{0,24}$|(?:變動|变动|變化|变化|增減|增减|淨變動|净变动)"
                  r"[^，,。；;\d]{0,8}$")
#: The same noun right before the figure, with at most a linking word ("a change of", 變動為): a change even where a
#: level's cue follows the noun (為, "was").
_CHANGE_NOUN_RIGHT_BEFORE = (r"\b(?:net\s+)?change(?:s|d\s+by)?\s*(?:of|was|is|were|at|:|=)?\s*(?:about|around|"
                             r"roughly)?\s*$|"
                             r"(?:變動|变动|變化|变化|增減|增减)\s*(?:為|为|是|達|达|:|：)?\s*(?:約|约)?\s*$")
#: What makes a level's cue word no level: a denied threshold (並未跌至…), a change noun right before (變動為, "a
#: change of") — the rules after it decide.
_NOT_A_LEVEL = _r(f"{_NEGATED_SOURCE}|{_CHANGE_NOUN_RIGHT_BEFORE}")
#: A change verb after the figure, in a relative clause ("the $75.5 billion it shed over the past year", "the $27
#: billion Japan sold"), or a change noun ("a $17.2 billion drop", 755億美元的減持).
_CHANGE_AFTER = _r(r"^\s*(?:(?:that|which)\s+)?(?:it|they|(?-i:[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2}))\s+"
                   r"(?:has\s+|have\s+|had\s+)?(?:shed|sold|cut|dumped|offloaded|unloaded|trimmed|pared|reduced|"
                   r"slashed|lost|divested|liquidated|added|bought|purchased|gained|accumulated|acquired|picked\s+up|"
                   r"snapped\s+up)\b|"
                   r"^\s*(?:net\s+)?(?:drop|decline|reduction|cut|fall|decrease|increase|rise|gain|jump|sale|"
                   r"sell-?off|purchase|addition|outflow|inflow)s?\b|"
                   r"^\s*(?:的)?\s*(?:減持|减持|增持|拋售|抛售|淨賣出|净卖出|淨買入|净买入|降幅|跌幅|減幅|减幅|增幅|升幅)")

#: A change's period written right after the figure in shorthand ("(-$17.2bn m/m)", "+$11.2bn MoM", "-$75.5bn y/y").
_MONTH_ON_MONTH_AFTER = _r(r"^\s*(?:m/m|mom|m-o-m|m-m)\b")
_YEAR_ON_YEAR_AFTER = _r(r"^\s*(?:y/y|yoy|y-o-y|y-y)\b")
_WEEK_ON_WEEK_AFTER = _r(r"^\s*(?:w/w|wow|w-o-w)\b")

MEASURE_RULES: list[Rule] = [
    Rule(None, frozenset({"other currency"}), reason="an amount in another currency (a conversion, not an official "
                                                       "figure)"),
    Rule(None, _USD, after=PRICE_AFTER, reason="a price per ounce: no price series is checked"),
    Rule(None, _USD, before=PER_UNIT, reason="a price per ounce: no price series is checked"),
    Rule(None, _USD | _PCT, frozenset({"flows"}), reason="TIC net capital flows: not in the store (only holdings)"),
    Rule(None, _USD | _PCT, frozenset({"fx"}), reason="foreign-exchange reserves: the store's FRED series ends "
                                                      "2024-11"),
    Rule(None, _USD | _PCT, frozenset({"reserves"}), reason="total official reserve assets: no series in the store"),
    Rule(None, _USD, frozenset({"gold"}), reason="gold valued in dollars: the store holds gold in ounces and tonnes"),
    Rule(None, _USD | _PCT, frozenset({"outlays"}), reason="a spending programme's growth: basis (nominal, real, "
                                                           "per person) not stated"),
    Rule("net_interest_pct_gdp", _PCT, frozenset({"interest"}), after=OF_GDP),
    Rule("net_interest_pct_gdp", _PCT, frozenset({"interest"}), before=OF_GDP_BEFORE),
    Rule("net_interest_pct_revenue", _PCT, frozenset({"interest"}), after=OF_REVENUE),
    Rule("net_interest_pct_revenue", _PCT, frozenset({"interest"}), before=OF_REVENUE_BEFORE),
    Rule("net_interest_cagr_pct", _PCT, frozenset({"interest"}), after=PER_YEAR),
    Rule("net_interest_growth_pct", _PCT, frozenset({"interest"}), sentence=CHANGE_RE),
    Rule("net_interest_growth_pct", _PCT, frozenset({"interest"}), after=_r(r"^\s*(?:higher|lower|more|less|above|"
                                                                             r"below|up|down)\s+(?:than|from|on)\b")),
    Rule("net_interest_growth_pct", _PCT, frozenset({"interest"}), before=_r(r"(?:比|較|较)[^，,。]{0,16}(?:高|低|多|少)"
                                                                              r"(?:出|了)?\s*$")),
    Rule("net_interest", _USD, frozenset({"interest"})),
    Rule(None, _USD | _PCT, frozenset({"deficit"}), reason="a monthly deficit: not in the store"),
    Rule(None, _USD | _PCT, frozenset({"customs"}), reason="customs receipts by month: not in the store"),
    Rule("debt_held_by_public", _USD, frozenset({"debt"}), sentence=HELD_BY_PUBLIC),
    Rule(None, _USD | _PCT, frozenset({"debt"}), reason="federal debt other than debt held by the public at the end "
                                                        "of a fiscal year (gross debt, a day's figure, a share): not "
                                                        "in the store (CBO's table holds debt held by the public)"),
    Rule("yield", _PCT, frozenset({"yield"})),
    Rule(None, _PCT, frozenset({"ust", None}), before=_r(r"(?:佔|占|share|比重|比率|比例)[^，。]*$"),
         reason="a share, not a stored series"),
    Rule("decline_from_peak_pct", _PCT, frozenset({"ust", None}), sentence=PEAK, before=DOWN_RE, needs_holder=True),
    Rule("decline_from_peak_pct", _PCT, frozenset({"ust", None}), sentence=PEAK, before=LESS_RE, needs_holder=True),
    Rule("decline_from_peak_pct", _PCT, frozenset({"ust", None}), sentence=PEAK,
         after=_r(r"^\s*(?:below|under|lower than|less than|down from|off|short of)"), needs_holder=True),
    Rule("decline_from_peak_pct", _PCT, frozenset({"ust", None}), sentence=PEAK, after=_r(rf"^[^，,。]*(?:{DOWN})"),
         needs_holder=True),
    Rule("annual_change_pct", _PCT, frozenset({"ust"}), lead=ANNUAL, before=CHANGE_RE, needs_holder=True),
    Rule("annual_change_pct", _PCT, frozenset({"ust"}), lead=ANNUAL, after=_r(rf"^[^，,。]*(?:{UP}|{DOWN})"),
         needs_holder=True),
    Rule("annual_change_pct", _PCT, frozenset({"ust"}), ahead=ANNUAL, before=CHANGE_RE, needs_holder=True),
    Rule("monthly_change_pct", _PCT, frozenset({"ust"}), before=CHANGE_RE, needs_holder=True),
    Rule(None, _PCT, reason="a percentage not linked to a stored series (a share, a rate or the growth of "
                            "something else)"),
    Rule("annual_change", _USD, frozenset({"ust"}), after=_YEAR_ON_YEAR_AFTER, needs_holder=True),
    Rule("monthly_change", _USD, frozenset({"ust"}), after=_MONTH_ON_MONTH_AFTER, needs_holder=True),
    Rule(None, _USD, frozenset({"ust"}), after=_WEEK_ON_WEEK_AFTER, reason="a weekly change: the store holds "
         "monthly holdings only"),
    Rule("holdings_level", _USD, frozenset({"ust"}), before=_LEVEL_END, unless=_NOT_A_LEVEL, needs_holder=True),
    Rule(None, _USD, frozenset({"ust", None}), before=_NEGATED_THRESHOLD,
         reason="a negated threshold ('did not fall below X', 並未跌破X): the text denies a bound, it states no level; "
                "not checked"),
    Rule("holdings_level", _USD, frozenset({"ust"}), before=_CROSSED, needs_holder=True),
    Rule("annual_change", _USD, frozenset({"ust"}), before=_CHANGE_BEFORE, lead=ANNUAL, needs_holder=True),
    Rule("annual_change", _USD, frozenset({"ust"}), before=_CHANGE_BEFORE, ahead=ANNUAL, needs_holder=True),
    Rule("monthly_change", _USD, frozenset({"ust"}), before=_CHANGE_BEFORE, needs_holder=True),
    Rule("annual_change", _USD, frozenset({"ust"}), before=_CHANGE_NOUN, lead=ANNUAL, needs_holder=True),
    Rule("annual_change", _USD, frozenset({"ust"}), before=_CHANGE_NOUN, ahead=ANNUAL, needs_holder=True),
    Rule("monthly_change", _USD, frozenset({"ust"}), before=_CHANGE_NOUN, needs_holder=True),
    Rule("annual_change", _USD, frozenset({"ust"}), after=_CHANGE_AFTER, lead=ANNUAL, needs_holder=True),
    Rule("annual_change", _USD, frozenset({"ust"}), after=_CHANGE_AFTER, ahead=ANNUAL, needs_holder=True),
    Rule("monthly_change", _USD, frozenset({"ust"}), after=_CHANGE_AFTER, needs_holder=True),
    Rule("holdings_level", _USD, frozenset({"ust"}), needs_holder=True),
    Rule(None, _USD, reason="no instrument named (Treasuries, gold, interest…) near the amount"),
    Rule("gold_monthly_change", _GOLD_Q, before=_r(rf"(?:{UP}|{DOWN})[^，,。]*$"), unless=_LEVEL_END,
         needs_holder=True),
    Rule("gold_reserves", _GOLD_Q, needs_holder=True),
    Rule("streak_months_above_threshold", _MONTHS, sentence=CONSECUTIVE, after=THRESHOLD_ABOVE, needs_holder=True),
    Rule("streak_months", _MONTHS, frozenset({"gold"}), sentence=CONSECUTIVE, needs_holder=True),
    Rule("streak_months_increase", _MONTHS, sentence=_STREAK, after=_r(rf"^[^。.]*?(?:{UP})"),
         unless=_r(r"首次|first"), needs_holder=True),
    Rule("streak_months_decline", _MONTHS, sentence=_STREAK,
         after=_r(rf"^[^。.]*?(?:{DOWN})"), unless=_r(r"首次|first"), needs_holder=True),
    Rule("streak_months_increase", _MONTHS, sentence=CONSECUTIVE, before=UP_RE, unless=_r(r"首次|first"),
         needs_holder=True),
    Rule("streak_months_decline", _MONTHS, sentence=CONSECUTIVE, before=DOWN_RE, unless=_r(r"首次|first"),
         needs_holder=True),
    Rule(None, _MONTHS | frozenset({"days", "years"}), reason="a length of time, not a stored quantity"),
    Rule(None, frozenset({"number"}), reason="a number without a unit"),
    Rule(None, frozenset({"pp"}), reason="a change in percentage points not linked to a stored series"),
]


#: Measures whose value is signed (a fall is negative).
_SIGNED_MEASURES = frozenset({"monthly_change", "annual_change", "gold_monthly_change", "monthly_change_pct",
                              "annual_change_pct", "net_interest_growth_pct"})

#: The rules that can apply to a unit and an instrument, in table order (worked out once per pair; rebuilt when
#: :data:`MEASURE_RULES` is changed).
_RULES_FOR: dict[tuple[str, str | None], list[Rule]] = {}
_RULES_INDEXED: list[tuple[Rule, ...]] = [()]


def _rules_for(unit: str, instrument: str | None) -> list[Rule]:
    table = tuple(MEASURE_RULES)
    if table != _RULES_INDEXED[0]:
        _RULES_FOR.clear()
        _RULES_INDEXED[0] = table
    rules = _RULES_FOR.get((unit, instrument))
    if rules is None:
        rules = _RULES_FOR[(unit, instrument)] = [
            r for r in table if unit in r.units and (r.instruments is None or instrument in r.instruments)]
    return rules


def _search(pattern: re.Pattern[str], text: str, done: dict[int, bool]) -> bool:
    """Whether ``pattern`` occurs in ``text``; ``done`` keeps the answers for one text (several rules test the same
    cue words)."""
    hit = done.get(id(pattern))
    if hit is None:
        hit = done[id(pattern)] = pattern.search(text) is not None
    return hit


def _cue_ahead(pattern: re.Pattern[str], ahead: str) -> bool:
    """Whether a cue (``pattern``) stated after a figure belongs to it: in the figure's own clause ("fell $75.5
    billion year on year"), or in a later clause that names no change of its own after the cue ("fell $75.5
    billion, or 9.9%, from a year earlier"); not "…4亿美元，同比减少755亿美元", where 同比 leads the next change.
    ``ahead``: the text after the figure up to the next figure of the same unit."""
    for m in pattern.finditer(ahead):
        if not _CLAUSE_END.search(ahead, 0, m.start()):
            return True
        rest = ahead[m.end():]
        brk = _CLAUSE_END.search(rest)
        if not CHANGE_RE.search(rest[: brk.start() if brk else len(rest)]):
            return True
    return False


def apply_rules(unit: str, instrument: str | None, before: str, after: str, sentence: str,
                has_holder: bool, lead: str = "", seen: dict[int, bool] | None = None,
                ahead: str = "") -> tuple[str | None, str | None]:
    """``(measure, reason)`` from the first rule of :data:`MEASURE_RULES` that fits.

    Cue words sit close to their figure: ``before`` and ``after`` are looked at within 60 characters, ``ahead``
    (the text after the figure up to the next figure of its unit, see :func:`_cue_ahead`) within 80. ``seen``
    remembers sentence-wide searches between the figures of one sentence.
    """
    before, after = before[-60:], after[:60]
    seen = {} if seen is None else seen
    in_before: dict[int, bool] = {}
    in_after: dict[int, bool] = {}
    in_lead: dict[int, bool] = in_before if not lead else {}
    in_ahead: dict[int, bool] = {}
    ahead = ahead[:80]
    for rule in _rules_for(unit, instrument):
        if rule.before is not None and not _search(rule.before, before, in_before):
            continue
        if rule.after is not None and not _search(rule.after, after, in_after):
            continue
        if rule.sentence is not None and not _search(rule.sentence, sentence, seen):
            continue
        if rule.lead is not None and not _search(rule.lead, lead or before, in_lead):
            continue
        if rule.ahead is not None:
            if id(rule.ahead) not in in_ahead:
                in_ahead[id(rule.ahead)] = _cue_ahead(rule.ahead, ahead)
            if not in_ahead[id(rule.ahead)]:
                continue
        if rule.unless is not None and _search(rule.unless, before, in_before):
            continue
        if rule.measure is not None and rule.needs_holder and not has_holder:
            return None, "no holder named"
        return rule.measure, rule.reason
    return None, "not linked to a stored series"


# -- special claims (ranks, "lowest since", streak thresholds, directions) ---------------------------------------
_CN_ORD = r"\d{1,2}|[一二兩两三四五六七八九十]{1,3}"
RANK_ZH = guarded_re(rf"(?:排名|排行|排|位居|位列|居)\s*第\s*(?P<n2>{_CN_ORD})(?:\s*(?:名|大|位))?|第\s*(?P<n>{_CN_ORD})\s*"
                     rf"(?:名|大|位)|(?P<top>最大|首位|榜首|居首|第一大)")
RANK_EN = guarded_re(r"\b(?:(?P<w>second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|2nd|3rd|4th|5th|6th|"
                     r"7th|8th|9th|10th)[\s-]+(?:largest|biggest)|(?P<top>largest|biggest|top))\b", re.I)
RANK_LIST = guarded_re(rf"(?:前\s*(?P<n>{_CN_ORD})\s*(?:名|大)|(?P<a>{_CN_ORD})\s*(?:名)?\s*(?:至|到|-|–)\s*(?P<b>{_CN_ORD})"
                       r"\s*名|\btop\s+(?P<t>\d{1,2}))[^：:，。]{0,8}?(?:依序|依次|分別|分别|則為|则为|順序|顺序|"
                       r"in order|respectively|were|are)", re.I)
SINCE_AFTER_DATE = re.compile(r"\s*(?:以來|以来)\s*(?:的)?\s*(?:(?P<low>最低|新低|低點|低点)|(?P<high>最高|新高|高點|高点))")
SINCE_BEFORE_DATE = guarded_re(r"(?:(?P<low>lowest|weakest|smallest)|(?P<high>highest|strongest|biggest|largest)|"
                               r"(?P<below>below|under|less than)|(?P<above>above|over|more than))"
                               r"[^.;]{0,80}?\bsince\s*$", re.I)
YEARS_SINCE = guarded_re(rf"(?<![\d一二三四五六七八九十])(?P<n>{_CN_ORD})\s*(?:多)?年(?:來|来|以來|以来)\s*(?:的)?\s*"
                         r"(?:(?P<low>最低|新低)|(?P<high>最高|新高))")
#: A record: "record high", "an all-time high", "the highest on record", "a record $901.4 billion", "from a record
#: the month before", 创历史新高, 創紀錄, 历史最高 — not "a record low", "a record of 42 respondents", 創紀錄新低.
RECORD = guarded_re(r"\brecord[- ]high|\ball[- ]time high|\bhighest\s+(?:level\s+|reading\s+|total\s+|figure\s+)?"
                    r"(?:ever\b|on record|in history|ever recorded)|\b(?:a|an|its|their|to a|at a|from a)\s+"
                    r"(?:new\s+|fresh\s+)?record\b(?![- ](?:lows?|number|deficits?|date|books?|keeping|set|label|"
                    r"of\s+(?:the\b|its\b|their\b|\d+\s+(?!billion|trillion|bn|tn))))|"
                    r"歷史新高|历史新高|歷史新紀錄|历史新纪录|創紀錄(?!的?新?低)|创纪录(?!的?新?低)|創新高|创新高|歷史最高|历史最高|"
                    r"史上最高|歷史高位|历史高位|紀錄高位|纪录高位|新紀錄|新纪录|(?:刷新|打破)(?:歷史)?紀錄|(?:刷新|打破)(?:历史)?纪录|"
                    r"\b(?:the\s+)?(?:most|highest|largest|biggest)\s+(?:level\s+|amount\s+|total\s+)?(?:ever\s+)?"
                    r"since\s+(?:records|record[- ]keeping|the\s+data|data|the\s+series|statistics)\s+"
                    r"(?:began|begin|started|start)\b|"
                    r"有(?:紀錄|纪录|記錄|记录|數據|数据|統計|统计)(?:以來|以来)(?:的)?(?:最高|最多|新高)|有史(?:以來|以来)(?:的)?(?:最高|最多)",
                    re.I)
_RECORD_HINTS = ("record", "all-time", "all time", "highest", "新高", "紀錄", "纪录", "最高", "高位", "since data",
                 "since the data", "since the series", "since statistics", "最多")
#: Measures whose figure a record claim can be checked on (the highest level of the holder's TIC series).
_RECORD_LEVELS = frozenset({"holdings_level", "holdings_peak"})
#: A rank said as a number after a verb of being or ranking ("Japan is still number one", "ranked No. 2 among
#: foreign holders"), not a number used otherwise ("the number one question").
_RANK_NUMBER_EN = guarded_re(r"\b(?:is|was|are|were|remains?|remained|stays?|stayed|ranks?|ranked|ranking|sits?|sat|"
                             r"still|now)\s+(?:still\s+|now\s+|again\s+)?(?:the\s+)?(?:number|No\.)\s*"
                             r"(?P<n>one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\b"
                             r"(?=\s*(?:[,.;:!?)—–-]|$|among|in\b|on\b|at\b|with|(?:foreign\s+|overseas\s+)?"
                             r"(?:holder|creditor|owner|buyer|spot|position|place)))", re.I)
#: "the two largest holders", 前兩大: a group, not a rank; "the second-largest economy": not a holder's rank
_GROUP_BEFORE = re.compile(r"(?:\b(?:two|three|four|five|\d+)|兩|两|二|三|四|五|前)\s*(?:大)?\s*$", re.IGNORECASE)
_ECONOMY_AFTER = re.compile(r"\s*(?:經濟體|经济体|economy|economies|大經濟|大经济)")
DIRECTION_VERB = guarded_re(r"\b(?:(?P<down>trimmed|trims?|cut|cuts|reduced?|reduces|pared|sold|decreased?|lowered)|"
                            r"(?P<up>increased?|increases|hiked?|raised?|added|adds?|bought|boosted))\b", re.I)


def _cn_int(raw: str) -> int:
    return int(raw) if raw.isdigit() else int(parse_decimal(raw))


@dataclass
class Context:
    """What earlier sentences said: the last holder and instrument named, the article's reporting month and fiscal
    years, and the dates stated so far (for 當時).

    Periods carry by family of series (:func:`_family`: TIC holdings, gold, yields…): ``periods`` holds, for each
    family, the latest month a sentence stated for its figures (the article's reporting month for that family),
    ``last`` the month stated last (what 同期 / "the same month" refers to). A gold month never carries to a TIC
    figure, nor a TIC month to a yield. ``period`` is the latest month over all families (for figures of another
    family: a deficit, FX reserves).
    """

    holder: Holder | None = None
    instrument: str | None = None
    #: the instrument of the last sentence that stated dollar amounts: a sentence about something else between
    #: ("… agreed on a 15% tariff.") does not cut the link of the next holder's amounts to it
    money_instrument: str | None = None
    period: DateMention | None = None
    fiscal: list[DateMention] = field(default_factory=list)
    explicit: list[DateMention] = field(default_factory=list)  # dates with a year, in order (for 當時)
    article: date | None = None
    periods: dict[str, DateMention] = field(default_factory=dict)
    last: dict[str, DateMention] = field(default_factory=dict)
    clause_prefix: str = ""  # the sentence so far when the text before ended with "；" (a clause of the same sentence)
    table: Table | None = None  # the text table whose rows are being read (see :mod:`.tables`)
    recent: list[str] = field(default_factory=list)  # the last sentences read (a table's notes come before it)

    def carried(self, family: str) -> DateMention | None:
        """The period a figure of ``family`` with no date of its own takes from earlier sentences: the latest
        month stated for that family; None for a TIC, gold or yield figure when none was (the checker then takes
        the latest release at the article's date); else the latest month stated for any figure."""
        found = self.periods.get(family)
        if found is not None or family in _OWN_PERIOD_FAMILIES:
            return found
        return self.period

    def same(self, family: str) -> DateMention | None:
        """What 同期 / "the same month" / "that month" means for a figure of ``family``: the period stated last for
        that family, else the one stated last for any figure."""
        return self.last.get(family) or self.last.get("*")


#: "That month" (當月): the month stated just before in the same sentence, when there is one.
_THAT_MONTH = re.compile(r"當月|当月|that (?:same )?month", re.I)


#: Families of series whose figures carry a period only from sentences about the same family.
_OWN_PERIOD_FAMILIES = frozenset({"tic", "gold", "yield"})


def _family(measure: str | None, instrument: str | None) -> str:
    """The family of series a figure belongs to, for publication lags and for carrying periods between sentences:
    ``tic`` (Treasury holdings), ``gold``, ``fx``, ``yield`` or ``default`` (fiscal and other figures)."""
    if measure == "yield" or instrument == "yield":
        return "yield"
    if measure and measure.startswith("gold") or instrument == "gold" or measure == "streak_months":
        return "gold"
    if instrument in ("fx", "reserves"):
        return "fx"
    if instrument == "flows":
        return "tic"
    if instrument in ("ust", None) or (measure and ("holdings" in measure or "change" in measure)):
        return "tic"
    return "default"


def _holders(f: str, starts: list[tuple[int, str]] | None) -> list[tuple[int, int, Holder]]:
    out = []
    for m in _find_words(_HOLDER_RES, f, starts):
        if not m.lastgroup:
            continue
        h = HOLDERS[int(m.lastgroup[1:])][1]
        inst = _INSTITUTION.match(f, m.end())
        if inst and not _CENTRAL_BANK.search(inst.group()):
            h = Holder(f"{m.group()}{inst.group()}".strip(), None)
            out.append((m.start(), m.end() + len(inst.group()), h))
            continue
        out.append((m.start(), m.end(), h))
    return out


#: Clause breaks: Chinese and ASCII punctuation and brackets, a comma that is not a thousands separator (not after a
#: digit, or not followed by exactly three digits), a dash between spaces. Written to start with one character class
#: (the regex engine then skips to the next candidate character without trying the pattern), the lookbehinds telling
#: the cases apart: the same matches as ``[，、：:;]|(?<!\d),|,(?!\d{3}(?!\d))|\s[-–—]{1,2}\s|[（(]|[）)]``.
_CLAUSE_END = re.compile(r"[，、：:;,\s（(）)]"
                         r"(?:(?<=[，、：:;（(）)])|(?<=,)(?:(?<!\d,)|(?!\d{3}(?!\d)))|(?<=\s)[-–—]{1,2}\s)")


#: A relative clause between commas or dashes (", where Euroclear custodies many Chinese assets,", ", which …,",
#: " — where … —") or brackets.
_EMBEDDED = guarded_re(r",\s*(?:where|which|who|whose|whom|whereby|(?:in|of|through|for)\s+which)\b[^,;:]*,|"
                       r"\s[—–]\s*(?:where|which|who|whose|whom)\b[^—–;:]*[—–]|[(（][^)）]*[)）]", re.I)
#: An apposition right after a holder's name, set off by commas or dashes and starting with a lower-case word
#: ("Belgium, home to a depository used by Chinese investors, held"; not a list: "Japan, China and Britain").
_APPOSITION = re.compile(r"\s*(?:,\s*(?!and\b|or\b|as\s+well\b)[a-z][^,;:]{0,80}?,|\s[—–]\s*[a-z][^—–;:]{0,80}?[—–])")


#: What ends the stretch of a sentence a figure without a currency must name its subject in: a comma (not a
#: thousands separator), a semicolon or a colon; brackets do not ("a 1,316.7bn peak (Nov-2013) to 683.5bn").
_STRETCH_END = re.compile(r"[，；;：:]|,(?!\d{3}(?!\d))|(?<!\d),")


def _names_subject(f: str, q: Quantity, quantities: list[Quantity], insts: list[tuple[int, int, str]],
                   holders: list[tuple[int, int, Holder]]) -> bool:
    """Whether the stretch of sentence ``f`` around figure ``q`` (up to a comma, semicolon or colon) names an
    instrument or a holder — or the stretch right before it does and states no figure of its own ("中國持有的美債，
    金額達6835億")."""
    ends = [m.end() for m in _STRETCH_END.finditer(f, 0, q.start)]
    lo = ends[-1] if ends else 0
    hi_m = _STRETCH_END.search(f, q.end)
    hi = hi_m.start() if hi_m else len(f)
    if ends:  # the stretch before, when it states no figure
        prev_lo = ends[-2] if len(ends) > 1 else 0
        if not any(prev_lo <= x.start < lo for x in quantities):
            lo = prev_lo
    return any(lo <= i[0] and i[1] <= hi for i in insts) or any(lo <= h[0] and h[1] <= hi for h in holders)


def _embedded_spans(f: str, holders: list[tuple[int, int, Holder]]) -> list[tuple[int, int]]:
    """Spans of sentence ``f`` that describe rather than state: relative clauses set off by commas or dashes,
    brackets, and appositions right after a holder's name (positions in ``holders``)."""
    if not ("," in f or "(" in f or "（" in f or "—" in f or "–" in f):
        return []
    spans = [m.span() for m in _EMBEDDED.finditer(f)]
    for _start, end, _holder in holders:
        m = _APPOSITION.match(f, end)
        if m is not None:
            spans.append(m.span())
    return spans


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < pos < e for s, e in spans)


def _clauses(f: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in _CLAUSE_END.finditer(f):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(f)))
    return out


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
        return EN_WORDS[raw.lower()] if raw.lower() in EN_WORDS else _cn_int(raw)
    except (ValueError, NumberError, ArithmeticError):
        return None


def _growth_span(f: str, dates: list[DateMention], measure: str, period: DateMention | None,
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


def extract_sentence(sentence: str, offset: int, lang: str, ctx: Context) -> list[Claim]:
    """Claims in one sentence (``offset``: where it starts in the whole text)."""
    f = fold_width(sentence)
    if "," in f and _FILLER.search(f):  # a transcript's ", uh," is no clause break ("they dumped, uh, 27 billion")
        f = _FILLER.sub(lambda m: " " * len(m.group()), f)
    lang = detect_lang(f) if lang == "auto" else lang
    found_dates = find_dates(f)
    # a dateline ("(Yicai) Dec. 20 --", "7 月 19 日消息") or a release date ("18日公布") is not a claim's period
    found_dates = [d for d in found_dates if not (d.kind == "day" and _DATELINE_AFTER.match(f[d.end:d.end + 4]))]
    # a day without a year ("on December 31", 12月31日) dates a market quote (a yield): monthly figures ignore it
    undated_days = [d for d in found_dates if d.kind == "day" and d.year is None]
    dates = [d for d in found_dates if not (d.kind == "day" and d.year is None)]
    masked = list(f)
    for d in found_dates:
        masked[d.start : d.end] = " " * (d.end - d.start)
    quantities = find_quantities(f, "".join(masked))
    starts = _word_starts(f)
    holders = _holders(f, starts)
    found_insts = [m for m in _find_words(_INSTRUMENT_RES, f, starts) if m.lastgroup]
    specific = [m for m in found_insts if m.group().lower() != "holdings"]
    # the bare word "holdings" means Treasuries only when nothing more specific is named ("gold holdings")
    insts = [(m.start(), m.end(), m.lastgroup) for m in (specific or found_insts)]
    clauses = _clauses(f)
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
            compared[d.start] = bool(COMPARATIVE.search(f[max(0, d.start - 14) : d.start]) or _EN_COMPARED.search(
                f[max(0, d.start - 48) : d.start]))
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
    embedded = _embedded_spans(f, holders) if holders else []
    # (when every holder is inside one — "the second-largest holder (Britain) had…" — they are the ones named)
    main_holders = ([h for h in holders if not _inside(h[0], embedded)] or holders) if embedded else holders

    def holder_at(pos: int, end: int) -> Holder | None:
        if pos in paired:
            return paired[pos]
        if not subjects_found:  # the holders not named as a comparison, worked out once per sentence
            subjects_found.append([h for h in holders if not COMPARED_HOLDER.search(f[max(0, h[0] - 40):h[0]])])
        cs, ce = clause_of(pos)
        pools = [holders] if not embedded or _inside(pos, embedded) else [main_holders, holders]
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
        if local:
            near = min(local, key=lambda i: min(abs(i[0] - pos), abs(i[1] - pos)))
            return near[2]
        before = [i for i in insts if i[1] <= pos]
        if before:
            return before[-1][2]
        after = [i for i in insts if i[0] >= pos]
        return after[0][2] if after else ctx.instrument

    # explicit years stated earlier in the sentence anchor bare months (2025年10月…9月)
    def anchor_year(pos: int) -> int | None:
        prior = [d for d in dates if d.year is not None and d.month is not None and d.end <= pos
                 and d.kind in ("month", "day")]
        return prior[-1].year if prior else None

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
            if inside and _THAT_MONTH.fullmatch(d.text.strip()):  # "2月末…，當月僅增加3萬盎司": that month
                return resolved(inside[-1], ctx.article, family, anchor_year(inside[-1].start))
            return ctx.same(family)
        if d.kind == "then":  # 當時: the date stated last before it (this sentence first)
            here = ctx.period.iso if ctx.period else None
            inside = [x for x in dates if x.end <= d.start and x.year is not None and x.month is not None
                      and x.kind in ("month", "day")]
            if inside:
                return inside[-1]
            # the last date stated in the text so far (scanned from the end: the list grows with the text)
            return next((x for x in reversed(ctx.explicit) if x.iso != here), None)
        return resolved(d, ctx.article, family, anchor_year(d.start))

    since: dict[int, bool] = {}

    def since_base(d: DateMention) -> bool:
        """Whether a "since" runs from ``d`` ("2008年10月以來最低", "lowest since February 2009"): not a period."""
        if d.start not in since:
            since[d.start] = bool(SINCE_AFTER_DATE.match(f, d.end) or _SINCE_END.search(f[max(0, d.start - 7):d.start])
                                  or _SINCE_ZH_AFTER.match(f, d.end))
        return since[d.start]

    def peak_date(d: DateMention) -> bool:
        """Whether ``d`` dates a peak ("its November 2013 peak", 2013年11月的峰值, "peaked in November 2013")."""
        return bool(PEAK.search(f[d.end:d.end + 12]) or _PEAK_THEN.search(f[max(0, d.start - 48):d.start]))

    def growth_base(d: DateMention) -> bool:
        """Whether ``d`` is written as the base of a growth rate ("from fiscal 2022", "than in fiscal 2024", 較2022財年,
        2022財年以來)."""
        return bool(comparative(d) or since_base(d) or _BASE_BEFORE.search(f[max(0, d.start - 30):d.start])
                    or _BASE_AFTER.match(f, d.end))

    # the sentence's own period: the first date that is not a comparison base, nor a peak's date ("their November
    # 2013 peak", 2013年11月巅峰时, "peaked at $1.32 trillion in November 2013": the peak's, never the period of the
    # sentence's other figures; a peak figure itself still takes the date next to it)
    main_dates = [d for d in dates if not comparative(d) and d.kind in ("month", "day", "fiscal", "year", "same")
                  and not since_base(d) and not _PEAK_NOUN_AFTER.match(f, d.end)
                  and not _PEAKED_THEN.search(f[max(0, d.start - 48):d.start])]
    main = main_dates[0] if main_dates else None
    main_resolved = None
    if main is not None and main.kind == "same":
        main_resolved = ctx.same("tic")
    elif main is not None and main.kind != "prev":
        main_resolved = resolved(main, ctx.article, "tic", anchor_year(main.start))

    # quantities that are thresholds of another claim ("維持在9兆美元以上", "below $1 trillion since")
    thresholds: dict[int, Quantity] = {}
    for i, q in enumerate(quantities):
        if q.unit != "USD bn":
            continue
        if _HOLD_AT_END.search(f[max(0, q.start - 6):q.start]) and re.match(
                r"\s*(?:以上|之上|以下)", f[q.end:q.end + 4]):
            thresholds[i] = q
        elif _THRESHOLD_END.search(f[max(0, q.start - 12):q.start]) and _SINCE_AHEAD.search(f[q.end:]):
            thresholds[i] = q
    # "fell below $700 billion in July for the first time since 2008", 2008年以來首次跌破7000億美元: the threshold
    # crossed, and the last time before that it was on that side
    # (since date, threshold index, below/above, crossed, where the words start)
    first_since: list[tuple[DateMention, int, str, bool, int]] = []
    for d in (dates if dates and _FIRST_HINT.search(f) else ()):
        if d.kind not in ("month", "year", "day") or not (
                _FIRST_SINCE_EN.search(f[max(0, d.start - 90):d.start]) or _FIRST_SINCE_ZH.match(f, d.end)):
            continue
        crossings = []
        for i, q in enumerate(quantities):
            if q.unit != "USD bn":
                continue
            lead_in = f[max(0, q.start - 24):q.start]
            below = _BELOW_END.search(lead_in) or _BELOW_AFTER.match(f, q.end)
            above = _ABOVE_END.search(lead_in) or _ABOVE_AFTER.match(f, q.end)
            if below or above:
                word = below or above
                begin = q.start - len(lead_in) + word.start() if word.end() <= len(lead_in) else q.start
                crossings.append((abs(q.start - d.start), i, "below" if below else "above",
                                  bool(_CROSSED.search(lead_in) or _CROSS_VERB.search(lead_in)), begin))
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
        if q.unit == "percent" and inst in ("ust", None) and _TENOR_QUOTED.search(f, cs, q.start):
            inst = "yield"  # "The ten-year closed at 4.03%", "10年期公債3月2日收在4.05%"
        elif q.unit == "percent" and inst == "yield" and _OTHER_PCT_SUBJECT.search(f, cs, q.start) and not (
                _INSTRUMENT_RE.search(f, cs, q.start) or _TENOR_QUOTED.search(f, cs, q.start)):
            inst = None  # "…, while the S&P 500 rose 0.4%": a percentage of another subject, not a yield
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
                not q.count and (_names_subject(f, q, quantities, insts, holders) or _EN_BILLIONS.search(q.raw)):
            # 億 / billion with the currency left out ("日本持有1兆1893億"): a dollar amount only when its own clause
            # names what or whose it is — not a count elsewhere in the sentence ("点赞超过10万+，…中国…美债")
            value, unit, precision = q.value * 1e-9, "USD bn", q.precision * 1e-9
        if unit == "USD bn" and not q.scaled and q.value * 1e9 >= 1 and inst not in ("gold", None):
            # "$1,079.3" with no scale word: read in billions, the unit of the TIC and CBO tables
            value, precision = round(q.value * 1e9, 6), q.precision * 1e9
            note = "no scale printed; read as billions (the unit of the official table)"
        if unit == "USD bn" and inst == "ust" and value > 20_000 and not any(h[2] is holder for h in holders):
            inst = "debt"  # tens of trillions with no holder named: the federal debt, not anyone's holdings
        if inst in ("interest", "debt", "deficit", "customs") and not insts and holder is not None and \
                holder.tic and any(h[2] is holder for h in holders):
            # a carried fiscal word does not reach a sentence about a country ("中国稀土…约占全球的69%"); its
            # dollar amounts keep the instrument of the last sentence that stated amounts (Treasuries before "… a
            # 15% tariff on Japanese goods. Britain held $866.0 billion")
            inst = ctx.money_instrument if unit == "USD bn" and ctx.money_instrument == "ust" else None
        if inst in ("interest", "debt", "deficit", "customs"):
            holder = Holder("US federal government", None)
        elif inst == "yield":
            holder = None
        # (a length of time before the figure is part of a cue, not a figure: "In the past 12 months, … $75.5bn")
        prior = i - 1
        while prior >= 0 and quantities[prior].unit in ("months", "years", "days"):
            prior -= 1
        lead = f[quantities[prior].end if prior >= 0 else 0 : q.start]
        if MONTH_ON_MONTH.search(lead):
            lead = ""  # 環比 / month on month: not a yearly comparison
        elif prior >= 0 and lang == "en":
            lead = _CUE_OF_PREVIOUS.sub("", lead)  # "fell $75.5bn from a year ago, and …": the previous figure's
        # the words after the figure up to the next figure of its unit (English states its comparison there)
        next_same = next((x.start for x in quantities[i + 1:] if x.unit == q.unit), len(f))
        ahead = f[q.end:next_same]
        measure, reason = apply_rules(unit, inst, before, after, f, holder is not None, lead, seen, ahead)
        if measure == "holdings_level" and q.sign:
            measure = "monthly_change"  # "HK +$11.2bn": a figure written with its sign is a change, not a level
        if q.count and unit == "number":
            measure, reason, holder = None, "a count of people or things, not an amount", None
        if holder is not None and holder.tic is None and holder.name != "US federal government" and unit in (
                "USD bn", "million troy oz", "tonnes"):
            measure, reason = None, (f"{holder.name} is a single institution, not a holder in the official tables "
                                     "(TIC counts countries' residents): nothing official to check its figure against")
        if measure in (None, "monthly_change_pct", "annual_change_pct") and unit == "percent" and claims and \
                claims[-1].measure in ("monthly_change", "annual_change") and _OR_PCT.fullmatch(before):
            # "rose $818 billion, or 10.2%", "同比减少755亿美元，降幅约9.9%": the change before, in percent
            measure, reason = claims[-1].measure + "_pct", None
        if measure is None and unit == "percent" and not insts:
            holder = None  # a percentage in a sentence that names no instrument: whose figure it is is not known
        # the period
        family = _family(measure, inst)
        own: DateMention | None = None
        seg_lo = quantities[i - 1].end if i > 0 else 0
        seg_hi = quantities[i + 1].start if i + 1 < len(quantities) else len(f)
        # a yield is quoted on a day: a day without a year ("on December 31") is its date
        pool = sorted(dates + undated_days, key=lambda d: d.start) if inst == "yield" and undated_days else dates
        near_before = [d for d in pool if seg_lo <= d.start and d.end <= q.start and d.start >= cs]
        if lang == "en" and near_before and i > 0 and clause_of(quantities[i - 1].start) == (cs, ce) and \
                _TRAILS.fullmatch(f, quantities[i - 1].end, near_before[0].start):
            near_before = near_before[1:]  # "4.29% on Feb. 2 and the two-year 3.47%": Feb. 2 trails the 4.29 %
        near_after = [d for d in pool if q.end <= d.start and d.end <= seg_hi and d.end <= ce]
        cands = (near_after[:1] + near_before[-1:]) if lang == "en" else (near_before[-1:] + near_after[:1])
        bracket = _OPEN_BRACKET.match(f, q.end)
        if bracket:  # "683.5bn (Dec-2025)", "6835億美元（2025年12月）": the date in brackets is the figure's own
            cands = [d for d in dates if d.start == bracket.end()] + cands
        is_change = bool(measure and ("change" in measure or "streak" in measure or "growth" in measure
                                      or "cagr" in measure))
        from_peak = measure == "decline_from_peak_pct"
        growth = measure in ("net_interest_growth_pct", "net_interest_cagr_pct")
        base: DateMention | None = None  # the stated base month of a change ("from December 2024", 較9月)
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
        if own is None and inst == "yield" and undated_days:
            # "On January 20, the 10-year yield hit 4.30% and the two-year 3.6%": the day named nearest before the
            # quote, else after it — but a day that trails another figure ("…4.29% on Feb. 2, while the two-year
            # stood at 3.47%") is that figure's, and a later day after another figure is the later one's
            def trailing(d: DateMention) -> bool:
                return any(x is not q and x.end <= d.start and clause_of(x.start) == clause_of(d.start)
                           for x in quantities)

            prior_days = [d for d in undated_days if d.end <= q.start and not trailing(d)]
            later_days = [d for d in undated_days if d.start >= q.end and not any(
                q.end <= x.start < d.start for x in quantities)]
            own = prior_days[-1] if prior_days else (later_days[0] if later_days else None)
        period: DateMention | None
        pnote = None
        extra_back = 0  # a base level with no period known: this many months before the latest release
        period_from: DateMention | None = own  # the date of this sentence the period was read from
        fiscal_figure = inst == "interest" or measure == "debt_held_by_public"
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
        elif measure == "holdings_level" and (base_cue := _FROM_END.search(before)) is not None:
            # the base of a comparison with no date of its own: a year before the sentence's month ("a year
            # earlier", 較去年同期的), else the month before it
            back = 12 if base_cue.group("year") or base_cue.group("year2") or _YEAR_BACK_AFTER.match(after) else 1
            ref = main_resolved if main_resolved is not None and main_resolved.month is not None else \
                ctx.carried(family)
            period = _months_before(ref, back) if ref is not None and ref.year is not None else None
            if period is None:
                extra_back = back
            what = "a year" if back == 12 else "the month"
            pnote = f"the base of a comparison with no date: {what} before " + (
                f"the sentence's month ({period.iso})" if period is not None else "the latest release")
        elif fiscal_figure and (main is None or main.kind != "fiscal") and ctx.fiscal:
            period = ctx.fiscal[-1]
            pnote = "fiscal year carried from an earlier sentence"
        elif fiscal_figure and (main is None or main.kind != "fiscal"):
            period = None
        elif main is not None and (main.kind != "fiscal" or fiscal_figure) and not (from_peak and peak_date(main)):
            period, period_from = resolve(main, family), main
            if main.relative and period is not None:
                pnote = f"'{main.text.strip()}' read as {period.iso} (article date {ctx.article})"
        else:  # the latest month stated before for a figure of the same family (a gold month is not a TIC one)
            period = ctx.carried(family)
            if period is not None:
                pnote = "period carried from an earlier sentence" + (" (a yield's day)" if family == "yield" else "")
        if fiscal_figure and period is not None and period.kind == "year" and period.year is not None:
            period = replace(period, kind="fiscal")  # "in 2035" of a budget figure: the fiscal year
        if fiscal_figure and own is None and period is not None and period.kind == "fiscal" and \
                period.year is not None and _FROM_END.search(before):
            # "grew to $970 billion in fiscal 2025, up from $881 billion": the base is the fiscal year before
            period = replace(period, year=period.year - 1)
            pnote = f"the base of a comparison with no date: the fiscal year before ({period.iso})"
        month_only = None
        if period is not None and period.year is None and period.kind != "fiscal":
            pnote = f"'{period.text.strip()}' has no year and the article date is unknown"
            month_only, period = period.month, None
        if claims and measure and measure.endswith("_pct") and claims[-1].measure and measure == (
                claims[-1].measure + "_pct") and isinstance(claims[-1].value, float):
            value = -value if claims[-1].value < 0 else value
        elif value is not None and q.sign and measure in _SIGNED_MEASURES:
            value = q.sign * abs(value)  # "-$17.2 billion", "| -4.0": the sign written
        elif value is not None and measure in _SIGNED_MEASURES and not (DOWN_RE.search(before) or UP_RE.search(
                before) or LESS_RE.search(before)) and (verb := _CHANGE_AFTER.match(after)) is not None:
            value = -value if DOWN_RE.search(verb.group()) else value  # "the $75.5 billion it shed"
        elif value is not None and measure in _SIGNED_MEASURES:
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
        if extra_back:
            extra["months_back"] = extra_back
        if q.round_figure:
            extra["round_figure"] = True  # its digits do not pin one month's figure (no wrong_period)
        if measure == "yield":
            # the tenor is the one named nearest before the figure — in a clause after "；", the one named earlier in
            # the same sentence ("10年期…4.51%；今年2月的月平均为4.13%")
            extra["text_before"] = ctx.clause_prefix + f[:q.start]
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
        if base is None and is_change and measure and "change" in measure and period is not None and \
                period.year is not None and _YEAR_TO_DATE.search(f, cs, ce):
            # "so far this year", 今年以来, 较年初: from the end of the year before the claim's month (a whole year
            # named: its December)
            extra["base_period"] = f"{period.year - 1}-12"
            if measure.startswith("monthly_change") and period.month in (12, None):
                measure = measure.replace("monthly_", "annual_")
        if measure == "streak_months_above_threshold":
            th = [t for t in thresholds.values() if t.start > q.end]
            extra["threshold"] = th[0].value if th else None
            if not th:
                measure, reason = None, "a threshold streak without the threshold"
        if measure and measure.startswith("streak") and _AFTER_END.search(f[max(0, q.start - 20):
                                                                                                    q.start]):
            extra["prior"] = True
        if measure in ("net_interest_growth_pct", "net_interest_cagr_pct"):
            span = _growth_span(f, dates, measure, period, period_from, ctx, growth_base)
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
        claim = make(q.start, q.end, round(value, 6) if isinstance(value, float) else value, unit, holder, measure,
                     period, reason, qualifier=q.qualifier, precision=precision, note=note, period_note=pnote,
                     extra=extra)
        claim.period_start = extra.get("period_start") or extra.get("peak_period")
        claims.append(claim)
        if measure is not None and period is not None and (own is not None or period_from is main) and (
                family != "yield" or period.day is not None):
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
        phrase = _FIRST_SINCE_ZH.match(f, d.end)
        if phrase is not None and phrase.end() > end:
            end = phrase.end()
        measure = f"first_{side}_since"
        c = make(start, end, since_d.iso if since_d else None, "month", h, measure if h and h.tic else None, when,
                 None if h and h.tic else "no holder in the TIC table",
                 extra={"threshold": q.value, "crossed": crossed})
        claims.append(c)
    # "less than half of its 2013 peak", 不到峰值的一半: a fall from the peak of more than 50 %
    for m in (_FRACTION_OF_PEAK.finditer(f) if _FRACTION_HINT.search(f) else ()):
        share = _FRACTIONS[(m.group("frac") or m.group("frac2")).lower().replace("-", " ")]
        bound, begin = m.group("q"), m.start()
        if m.group("frac2"):
            zh = _FRACTION_BOUND_ZH.search(f, clause_of(m.start())[0], m.start())
            bound, begin = (zh.group(1), zh.start()) if zh else (None, m.start())
        qual = _FRACTION_QUALIFIER.get((bound or "").lower())
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
    if any(c.measure for c in special) and main is not None:
        stated.setdefault("tic", main)
    _remember_periods(ctx, claims, main, stated, resolve)
    for d in dates:
        if d.year is not None and d.month is not None and d.kind in ("month", "day"):
            ctx.explicit.append(d)
    tail = f.rstrip()
    ctx.clause_prefix = (ctx.clause_prefix + f) if tail.endswith((";", "；")) else ""
    asked = _question_start(f) if "?" in tail[-4:] or "？" in tail[-4:] else None
    if asked is not None:  # a question asserts nothing (its words still set the context for the answer)
        claims = [c for c in claims if c.start - offset < asked]
    return sorted(claims, key=lambda c: c.start)


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
    return 0


def _months_before(d: DateMention, months: int) -> DateMention | None:
    """Month ``d`` moved ``months`` back (None when ``d`` has no month)."""
    if d.year is None or d.month is None:
        return None
    index = d.year * 12 + d.month - 1 - months
    return replace(d, year=index // 12, month=index % 12 + 1, kind="month", day=None)


def _later(a: DateMention, b: DateMention | None) -> bool:
    """Whether month ``a`` is at or after ``b`` (None, or a month without a year: always)."""
    return b is None or b.year is None or (a.year or 0, a.month or 0) >= (b.year, b.month or 0)


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
    rm = resolve(main, _family(None, ctx.instrument))
    if rm is None or rm.year is None:
        return
    if rm.kind == "fiscal":
        ctx.fiscal.append(rm)
        return
    if rm.month is None or not claims:
        return
    if _later(rm, ctx.period):
        ctx.period = rm  # the article's reporting month: the latest month it is about
    ctx.last["*"] = rm
    for family, own in stated.items():
        month = own if family == "yield" else resolve(main, family)
        if month is None or month.year is None or month.month is None or month.kind == "fiscal":
            continue
        ctx.last[family] = month
        if _later(month, ctx.periods.get(family)):
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


def _as_mention(period: str | None) -> DateMention | None:
    """A claim's ``YYYY-MM`` period as a date mention (None for anything else)."""
    if period is None or len(period) != 7 or period[4] != "-":
        return None
    return DateMention(0, 0, period, int(period[:4]), int(period[5:]))


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

    def holder_before(pos: int) -> Holder | None:
        prior = [h for h in holders if h[1] <= pos]
        return prior[-1][2] if prior else ctx.holder

    # ranks in an ordered list: "前5名…依序為：日本（…）、英國（…）", "6至10名則為…"
    listed: set[int] = set()
    low = f.lower()
    for m in (RANK_LIST.finditer(f) if "名" in f or "大" in f or "top" in low else ()):
        start = _cn_int(m.group("a")) if m.group("a") else 1
        count = (_cn_int(m.group("b")) - start + 1) if m.group("b") else _cn_int(m.group("n") or m.group("t"))
        items = [h for h in holders if h[0] >= m.end() and h[2].tic][:max(count, 0)]
        if len(items) < 2:
            continue
        p = period_near(m.start())
        for k, (hs, he, h) in enumerate(items):
            listed.add(hs)
            # the claim covers the name and its figure in brackets when there is one
            close = _BRACKETED.match(f[he:])
            end = he + (close.end() if close else 0)
            out.append(make(hs, end, start + k, "rank", h, "rank", p, note="rank from the position in an ordered "
                                                                             "list"))
    # single ranks: "第3大外國持有者", "第5名美債持有者加拿大", "the third-biggest creditor", "最大海外持有國"
    if lang == "zh":
        rank_iter = RANK_ZH.finditer(f) if "第" in f or "最大" in f or "首" in f else iter(())
    else:
        rank_iter = RANK_EN.finditer(f) if "larg" in low or "bigg" in low or "top" in low else iter(())
    for m in rank_iter:
        noun = RANK_NOUN.match(f, m.end())
        if m.group("top") and not noun and m.group("top") not in ("首位", "榜首", "居首"):
            continue
        if _GROUP_BEFORE.search(f[max(0, m.start() - 7):m.start()]):
            continue  # "the two largest holders", 前兩大: a group, not a rank
        if not noun and "名" not in m.group() and "位" not in m.group() and not m.groupdict().get("n2") and \
                m.group("top") not in ("首位", "榜首", "居首"):
            continue
        if _ECONOMY_AFTER.match(f[m.end():m.end() + 6]):
            continue
        if lang == "zh":
            n = 1 if m.group("top") else _cn_int(m.group("n") or m.group("n2"))
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
        since_d = [d for d in dates if d.start >= end and _SINCE_END.search(f[max(0, d.start - 7):d.start])
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
    for m in (_RANK_NUMBER_EN.finditer(f) if lang == "en" and ("number" in low or "no." in low) else ()):
        word = m.group("n").lower()
        n = int(word) if word.isdigit() else EN_WORDS.get(word, 0)
        prior = [x for x in holders if x[1] <= m.start() and clause_of(x[0]) == clause_of(m.start())]
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
        if eb is not None and _FIRST_HINT.search(eb.group()):
            continue  # "below $700 billion … for the first time since 2008": a claim of its own (first_below_since)
        sd = resolve(d, "tic")
        h = holder_before(d.start)
        inst = next((m.lastgroup for m in _INSTRUMENT_RE.finditer(f)), ctx.instrument)
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
        out.append(make(m.start(), m.end(), _cn_int(m.group("n")), "years", h, kind if h and h.tic else None,
                        period_near(m.start()), None if h and h.tic else "no holder in the TIC table"))
    # "reaching a record high in December", "a record $901.4 billion", "…, which was the highest on record",
    # 创历史新高: the record is the level it is attached to (that figure's holder and month), else the month named
    # right after it ("a record the month before")
    for m in (RECORD.finditer(f) if any(w in low for w in _RECORD_HINTS) else ()):
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
            p = _as_mention(level.period)
        else:
            p = period_near(m.start())
        e = after_d[0].end if after_d else m.end()
        inst = level.extra.get("instrument") if level is not None else next(
            (x.lastgroup for x in _INSTRUMENT_RE.finditer(f)), ctx.instrument)
        if level is not None and level.measure is None and level.unit == "USD bn" and inst in ("ust", None):
            out.append(make(m.start(), e, "record", "flag", h, None, p, f"the level it is attached to is not "
                                                                         f"checkable ({level.reason})"))
            continue
        if (level is not None and level.measure not in _RECORD_LEVELS) or inst not in ("ust", None):
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
        if verbs and months and (_INSTRUMENT_RE.search(f) or _PRONOUN.search(f)):
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
    for offset, sentence in iter_sentences(chunks):
        if first and ctx.article is None:
            ctx.article = find_article_date(sentence if not isinstance(text, str) else text)
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
            named = [h for _s, _e, h in _holders(text, _word_starts(text)) if h.tic]
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
        if _later(mention, ctx.periods.get("tic")):
            ctx.periods["tic"] = mention
        if _later(mention, ctx.period):
            ctx.period = mention
    return out
