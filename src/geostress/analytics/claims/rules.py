"""The measure rules: which measure a quantity states, decided by a table tried in order.

:data:`MEASURE_RULES` holds one :class:`Rule` a row — units, instrument, cue words before and after — and
:func:`apply_rules` returns the first that fits (the measure, or the reason the claim cannot be checked).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geostress.analytics.claims.clauses import CLAUSE_END
from geostress.analytics.claims.patterns import (
    ANNUAL, CHANGE_RE, CONSECUTIVE, DOWN, DOWN_RE, HELD_BY_PUBLIC, LESS_RE, LEVEL_BEFORE, OF_GDP, OF_GDP_BEFORE,
    OF_REVENUE, OF_REVENUE_BEFORE, PEAK, PER_UNIT, PER_YEAR, PRICE_AFTER, THRESHOLD_ABOVE, UP, UP_RE, COMPARED_TO_DATE,
    RUN_WORDS,
)
from geostress.analytics.claims.regexes import guarded_re


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
#: A level's cue word with the figure's month between it and the figure: 降至2025年12月的6835亿美元, 減少至2025年12月的,
#: 增至去年底的 — the month dates the level; it does not make the figure a change (review 36).
_DATED_LEVEL_BEFORE = (r"(?:降至|跌至|減至|减至|增至|升至|增加至|減少至|减少至|下滑至|下降至|回落至|攀升至|"
                       r"至|到|為|为)\s*"
                       r"(?:(?:(?:19|20)\d\d|去年|上年|今年)\s*年?\s*"
                       r"(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月(?:份)?)?"
                       r"|(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月(?:份)?)\s*(?:末|底|年底|年末)?\s*(?:時|时)?\s*(?:的)?\s*"
                       r"(?:約|约|逾|近)?\s*$")
_LEVEL_END = _r(f"(?:{LEVEL_BEFORE.pattern}|{_DATED_LEVEL_BEFORE})")
_STREAK = _r(rf"連續|连续|consecutive|straight|successive|{RUN_WORDS}|第")
#: A change word before the figure with no clause break after it ("rose by about", "減少"; a rule only asks whether
#: it occurs, so "a change word followed only by by/of/about" needs no alternative of its own: it is one such case).
_CHANGE_BEFORE = _r(rf"(?:{UP}|{DOWN})[^，,。;；]*$|{COMPARED_TO_DATE}")

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
CROSSED = _r(r"\b(?:fell|fall(?:s|en|ing)?|dropped|drop(?:s|ping)?|dipped|dip(?:s|ping)?|slipped|slip(?:s|ping)?|"
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
#: A change verb with a bound before the figure ("fell by more than", "rose less than", 减少了超过): the bound is on
#: the change, not a level ("than" alone cues a level's comparison).
_CHANGE_BOUND_BEFORE = (rf"(?:{UP}|{DOWN})\s+(?:by\s+)?(?:(?:a\s+little|slightly|just|far|much|no)\s+)?"
                        r"(?:more|less|fewer)\s+than\s*$")
_NOT_A_LEVEL = _r(f"{_NEGATED_SOURCE}|{_CHANGE_NOUN_RIGHT_BEFORE}|{_CHANGE_BOUND_BEFORE}")
#: A change verb after the figure, in a relative clause ("the $75.5 billion it shed over the past year", "the $27
#: billion Japan sold"), or a change noun ("a $17.2 billion drop", 755億美元的減持).
CHANGE_AFTER = _r(r"^\s*(?:(?:that|which)\s+)?(?:it|they|(?-i:[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2}))\s+"
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

#: A subject other than holdings named in a percentage's own clause ("本港樓價指數按月跌1.2%", "home prices fell
#: 0.8%", "the S&P 500 rose"): the percentage is that subject's change, unless the clause names holdings too.
_OTHER_SUBJECT = _r(r"樓價|楼价|房價|房价|屋價|屋价|指數|指数|股市|股價|股价|恒指|恒生|物價|物价|通脹|通胀|租金|"
                    r"\bhome\s+prices?\b|\bhouse\s+prices?\b|\bproperty\s+prices?\b|\bindex\b|\bindices\b|"
                    r"\bCPI\b|\binflation\b|\bstocks?\b|\bshares\b|\bequities\b|\bS&P\b|\bNasdaq\b|\bDow\b|"
                    r"\brents?\b")
_HOLDINGS_WORD = _r(r"美債|美债|國債|国债|公債|公债|國庫|国库|持有|持倉|持仓|增持|減持|减持|Treasur|\bholdings?\b|"
                    r"\bheld\b|\bhold(?:s|ing)?\b")

#: A yearly average rate named before a percentage ("an average annual rate of", "compound annual", 年均, 年平均).
_AVERAGE_RATE_BEFORE = _r(r"(?:\baverage\s+(?:annual|yearly)|\bannual(?:ized)?\s+average|\bcompound(?:ed)?\s+annual|"
                          r"\bannualized|年均|年平均|複合年|复合年)[^，,。;；]{0,30}$")

#: The federal budget's deficit: a fiscal year, the budget, the federal government or CBO named in the sentence.
_BUDGET_DEFICIT = _r(r"\bfiscal\b|\bbudget\b|\bfederal\b|\bCBO\b|Congressional Budget Office|"
                     r"財年|财年|財政|财政|聯邦|联邦|預算|预算")
BUDGET_DEFICIT = _BUDGET_DEFICIT  # (the extractor reads it in the sentence before a deficit's too)
#: A fiscal year named: "fiscal 2025", "FY2025", 2025財年 / 财政年度.
_FISCAL_YEAR = _r(r"\bfiscal\b|\bFY\s?\d|財年|财年|財政年度|财政年度|會計年度|会计年度")
#: Another deficit than the budget's: trade, current account, a state's or a fund's.
_OTHER_DEFICIT = _r(r"\btrade\b|current[- ]account|\bprimary\s+deficit|"
                    r"貿易|贸易|經常帳|经常账|經常賬|经常帐|經常項目|经常项目")

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
    # "grew at an average annual rate of 28.8%", 年均增长: a compound yearly rate, not the total growth
    Rule("net_interest_cagr_pct", _PCT, frozenset({"interest"}), before=_AVERAGE_RATE_BEFORE),
    Rule("net_interest_growth_pct", _PCT, frozenset({"interest"}), sentence=CHANGE_RE),
    Rule("net_interest_growth_pct", _PCT, frozenset({"interest"}), after=_r(r"^\s*(?:higher|lower|more|less|above|"
                                                                             r"below|up|down)\s+(?:than|from|on)\b")),
    Rule("net_interest_growth_pct", _PCT, frozenset({"interest"}), before=_r(r"(?:比|較|较)[^，,。]{0,16}(?:高|低|多|少)"
                                                                              r"(?:出|了)?\s*$")),
    Rule("net_interest", _USD, frozenset({"interest"})),
    Rule(None, _PCT, frozenset({"deficit", "customs"}), before=_OTHER_SUBJECT,
         reason="the change of something else (a price index, home prices, stocks…) named in the figure's own "
                "clause, not a stored series"),
    Rule(None, _USD | _PCT, frozenset({"deficit"}), sentence=_OTHER_DEFICIT,
         reason="a trade, current-account or other deficit than the federal budget's: not in the store"),
    Rule("deficit", _USD, frozenset({"deficit"}), sentence=_BUDGET_DEFICIT),
    Rule("deficit_pct_gdp", _PCT, frozenset({"deficit"}), sentence=_BUDGET_DEFICIT, after=OF_GDP),
    Rule("deficit_pct_gdp", _PCT, frozenset({"deficit"}), sentence=_BUDGET_DEFICIT, before=OF_GDP_BEFORE),
    Rule(None, _USD | _PCT, frozenset({"deficit"}), reason="a deficit's change or another share than of GDP, or a "
                                                           "deficit of no budget named (a fiscal package's…): only "
                                                           "the federal budget's deficit for a fiscal year, in "
                                                           "dollars or as a share of GDP, is checked"),
    Rule(None, _PCT, frozenset({"customs"}), reason="a tariff rate or a change in customs receipts: not in the store"),
    # customs duties for a fiscal year (CBO's revenue table): a level; a change in them is not checked
    Rule("customs_duties", _USD, frozenset({"customs"}), sentence=_FISCAL_YEAR, before=_LEVEL_END),
    Rule(None, _USD, frozenset({"customs"}), before=_CHANGE_BEFORE,
         reason="a change in customs receipts, not a fiscal year's total: not checked"),
    Rule(None, _USD, frozenset({"customs"}), after=CHANGE_AFTER,
         reason="a change in customs receipts, not a fiscal year's total: not checked"),
    Rule("customs_duties", _USD, frozenset({"customs"}), sentence=_FISCAL_YEAR),
    Rule(None, _USD, frozenset({"customs"}), reason="customs receipts with no single fiscal year named (a month's, "
                                                    "a calendar year's, several years'): the store holds them by "
                                                    "fiscal year (CBO)"),
    Rule("debt_held_by_public", _USD, frozenset({"debt"}), sentence=HELD_BY_PUBLIC),
    Rule("debt_pct_gdp", _PCT, frozenset({"debt"}), sentence=HELD_BY_PUBLIC, after=OF_GDP),
    Rule("debt_pct_gdp", _PCT, frozenset({"debt"}), sentence=HELD_BY_PUBLIC, before=OF_GDP_BEFORE),
    Rule(None, _USD | _PCT, frozenset({"debt"}), reason="federal debt other than debt held by the public at the end "
                                                        "of a fiscal year (gross debt, a day's figure, a share): not "
                                                        "in the store (CBO's table holds debt held by the public)"),
    Rule("yield", _PCT, frozenset({"yield"})),
    Rule(None, _PCT, frozenset({"ust", None}), before=_r(r"(?:佔|占|share|比重|比率|比例)[^，。]*$"),
         reason="a share, not a stored series"),
    Rule(None, _PCT, frozenset({"ust", None}), before=_OTHER_SUBJECT, unless=_HOLDINGS_WORD,
         reason="the change of something else (a price index, home prices, stocks…) named in the figure's own "
                "clause, not Treasury holdings"),
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
    Rule("holdings_level", _USD, frozenset({"ust"}), before=CROSSED, needs_holder=True),
    Rule("annual_change", _USD, frozenset({"ust"}), before=_CHANGE_BEFORE, lead=ANNUAL, needs_holder=True),
    Rule("annual_change", _USD, frozenset({"ust"}), before=_CHANGE_BEFORE, ahead=ANNUAL, needs_holder=True),
    Rule("monthly_change", _USD, frozenset({"ust"}), before=_CHANGE_BEFORE, needs_holder=True),
    Rule("annual_change", _USD, frozenset({"ust"}), before=_CHANGE_NOUN, lead=ANNUAL, needs_holder=True),
    Rule("annual_change", _USD, frozenset({"ust"}), before=_CHANGE_NOUN, ahead=ANNUAL, needs_holder=True),
    Rule("monthly_change", _USD, frozenset({"ust"}), before=_CHANGE_NOUN, needs_holder=True),
    Rule("annual_change", _USD, frozenset({"ust"}), after=CHANGE_AFTER, lead=ANNUAL, needs_holder=True),
    Rule("annual_change", _USD, frozenset({"ust"}), after=CHANGE_AFTER, ahead=ANNUAL, needs_holder=True),
    Rule("monthly_change", _USD, frozenset({"ust"}), after=CHANGE_AFTER, needs_holder=True),
    Rule("holdings_level", _USD, frozenset({"ust"}), needs_holder=True),
    Rule(None, _USD, reason="no instrument named (Treasuries, gold, interest…) near the amount"),
    Rule("gold_monthly_change", _GOLD_Q, before=_r(rf"(?:{UP}|{DOWN})[^，,。]*$"), unless=_LEVEL_END,
         needs_holder=True),
    # "+0.04 Moz m/m": a gold figure marked month on month is the month's change, not the level
    Rule("gold_monthly_change", _GOLD_Q, after=_MONTH_ON_MONTH_AFTER, needs_holder=True),
    Rule("gold_reserves", _GOLD_Q, needs_holder=True),
    Rule("streak_months_above_threshold", _MONTHS, sentence=CONSECUTIVE, after=THRESHOLD_ABOVE, needs_holder=True),
    Rule("streak_months", _MONTHS, frozenset({"gold"}), sentence=CONSECUTIVE, needs_holder=True),
    # the first direction word after the count decides ("连续第四个月减持美债 黄金储备再增": a run of sales)
    Rule("streak_months_increase", _MONTHS, sentence=_STREAK, after=_r(rf"^(?:(?!{DOWN})[^。.])*?(?:{UP})"),
         unless=_r(r"首次|first"), needs_holder=True),
    Rule("streak_months_decline", _MONTHS, sentence=_STREAK,
         after=_r(rf"^(?:(?!{UP})[^。.])*?(?:{DOWN})"), unless=_r(r"首次|first"), needs_holder=True),
    Rule("streak_months_increase", _MONTHS, sentence=CONSECUTIVE, before=UP_RE, unless=_r(r"首次|first"),
         needs_holder=True),
    Rule("streak_months_decline", _MONTHS, sentence=CONSECUTIVE, before=DOWN_RE, unless=_r(r"首次|first"),
         needs_holder=True),
    Rule(None, _MONTHS | frozenset({"days", "years"}), reason="a length of time, not a stored quantity"),
    Rule(None, frozenset({"number"}), reason="a number without a unit"),
    Rule(None, frozenset({"pp"}), reason="a change in percentage points not linked to a stored series"),
]


#: Measures whose value is signed (a fall is negative).
SIGNED_MEASURES = frozenset({"monthly_change", "annual_change", "gold_monthly_change", "monthly_change_pct",
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
        if not CLAUSE_END.search(ahead, 0, m.start()):
            return True
        rest = ahead[m.end():]
        brk = CLAUSE_END.search(rest)
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
