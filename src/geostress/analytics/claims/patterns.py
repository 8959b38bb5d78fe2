"""The cue words and phrase patterns the claim extractor reads around a quantity.

Word lists (``UP``, ``DOWN``), compiled cues (``ANNUAL``, ``PEAK``, ``CONSECUTIVE``, the share-of-GDP and
share-of-revenue patterns), the phrases that mark a threshold, a base period, a fraction or a quoted tenor, and the
rank, record and "lowest since" patterns. Plain data: it imports no other extractor module.
"""

from __future__ import annotations

import re

from geostress.analytics.claims.numbers import parse_decimal
from geostress.analytics.claims.regexes import guarded_re


# -- vocabulary: cue words --------------------------------------------------------------------------------------------
UP = (r"增持|增加|增至|增長|增长|上升|上漲|上涨|回升|攀升|大增|增|升|買入|买入|購入|购入|加倉|加仓|rose|rise[sn]?|rising|"
      r"increas\w*|\bup\b|added|adding|bought|buying|purchas\w*|gain\w*|hik\w*|expan\w*|grew|grow(?:s|n|ing)?\b|"
      r"jump\w*|surg\w*|climb\w*|"
      r"built|build\w*|accumulat\w*")
DOWN = (r"減持|减持|減少|减少|下降|下跌|下滑|回落|縮減|缩减|縮水|缩水|拋售|抛售|賣出|卖出|跌|降|減|减|cut\w*|fell|fall\w*|"
        r"declin\w*|decreas\w*|drop\w*|pared|par(?:e|ing)|reduc\w*|trimm?\w*|slid\w*|shed\w*|sold|sell\w*|down\b|"
        r"lower\w*|shrank|shrunk|dump\w*|offload\w*|unload\w*|slash\w*|pull\w* back|slip(?:s|ped|ping)?\b|"
        r"dipp(?:ed|ing)\b")
UP_RE = guarded_re(UP, re.I)
DOWN_RE = guarded_re(DOWN, re.I)
CHANGE_RE = guarded_re(f"{UP}|{DOWN}", re.I)
#: Words right before an amount that make it a level ("降至 6887億", "to $760.1 billion", "totaling").
LEVEL_BEFORE = guarded_re(r"(?:降至|跌至|減至|减至|增至|升至|增加至|減少至|减少至|下滑至|下降至|回落至|攀升至|至|到|為|为|達|达|是|"
                          r"規模|规模|持有量|\bto|\bat|totall?(?:ing|ed)|amount(?:ed|ing) to|held|holds|hold|holding|"
                          r"from|than|with|against|stood at|reach\w*|hit|record of|reserves|vs\.?|versus|"
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
COMPARED_TO_DATE = (r"(?:比|較|较)\s*(?:(?:(?:19|20)\d\d|去年|上年|今年)\s*年?\s*)?(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
                     r"\s*月(?:份|底|末)?|上個?个?月|前一?個?个?月|去年同期|上年同期|一年前|去年底|去年年底|年初|上季度?)"
                     r"[^，,。；;\d]{0,8}?" rf"(?:{_LESS_BEFORE}|{_MORE_BEFORE})")
LESS_RE = guarded_re(_LESS_BEFORE)
#: A change over a year ("year on year", "over the past year", 較上年同期, 同比, 一年來, 一年內).
ANNUAL = guarded_re(r"(?:去年|上年|上一年|前一年)同(?:期|月)|同比|按年|年增|年減|年减|一年前|"
                    # 全年仍增持, 全年累計減持, 全年下降: the whole year's change, an adverb between 全年 and the verb
                    r"全年(?:仍然|仍|還是|还是|還|还|共計|共计|共|累計|累计|合計|合计|總共|总共|再度|再|又|已經|已经|已|淨|净|"
                    r"大幅|小幅)*\s*(?:增|減|减|下降|上升|下滑|回落|攀升|買入|买入|賣出|卖出|拋售|抛售)|"
                    r"(?:較|较|比)(?:去年|上年|上一年|前一年)|"
                    r"(?:過去|过去|最近|近)\s*(?:一|1)\s*年(?!期)|(?:過去|过去|最近|近)\s*(?:12|十二)\s*(?:個|个)月|"
                    r"(?<![\d一二三四五六七八九十兩两幾几多])一年(?:來|来|以來|以来|間|间|內|内)|"
                    r"year[- ]on[- ]year|year[- ]over[- ]year|from a year (?:earlier|ago|before)|"
                    r"a year (?:earlier|ago|before)|(?:12|twelve) months (?:earlier|ago|before)|compared with a year|"
                    r"(?:over|in|during|across|within)\s+the\s+(?:past|last|previous|prior)\s+(?:year|12\s+months|"
                    r"twelve\s+months)\b|\bpast\s+(?:year|12\s+months|twelve\s+months)\b|"
                    r"annual(?:ly)? (?:rise|increase|decline|change)|\byoy\b|y/y", re.I)
RESPECTIVELY = re.compile(r"分別|分别|各自|respectively", re.I)
MONTH_ON_MONTH = guarded_re(r"環比|环比|按月|月增|月減|月减|month[- ]on[- ]month|"
                            r"from (?:a|the) (?:month|previous month)|"
                            r"m/m|mom\b", re.I)
PEAK = guarded_re(r"高峰|峰值|巔峰|巅峰|頂峰|顶峰|歷史高點|历史高点|\bpeak\w*|all-time high", re.I)
#: A peak word right before the figure ("a peak of about $1.3 trillion", 高峰1.32兆美元).
PEAK_BEFORE = guarded_re(rf"(?:{PEAK.pattern})(?:\s*(?:of|at|was|stood at|reached|的|時|时|達|达|為|为|約|约|about|around|"
                         r"nearly|some|close to|near)\s*)*$", re.I)
PEAK_AFTER = re.compile(r"\s*(?:(?:at|was|were)\s+)?(?:(?:the|its|their)\s+)?(?:peak|all-time high|高峰|峰值|"
                        r"的高峰|的峰值|的歷史高點|的历史高点)", re.I)
RUN_WORDS = r"streak|(?:buying|selling|purchasing|losing|winning)\s+(?:run|spree)|in a row|running"
CONSECUTIVE = guarded_re(rf"連續|连续|持續|持续|consecutive|straight|successive|{RUN_WORDS}", re.I)
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
EN_COMPARED = guarded_re(r"\b(?:from|than|compared (?:to|with)|vs\.?|versus)\s+(?:about\s+|around\s+)?(?:US\$|USD|\$)?"
                          r"\s?[\d.,]+\s*(?:trillion|billion|million|trln|bln|tn|bn)?(?:\s+\w+){0,3}?\s+(?:in|at|as of|"
                          r"at the end of|end-|for)?\s*(?:the\s+)?(?:end\s+of\s+)?$", re.I)
COMPARATIVE = guarded_re(r"(?:從|从|較|较|比|低於|低于|高於|高于|略低於|略低于|略高於|略高于|不及|up from|down from|from|"
                         r"than|compared (?:to|with)|vs\.?|versus)\s*(?:(?:the|its|their|a|an)\s+)?"
                         r"(?:end\s+of\s+|end-)?$", re.I)

#: A date framed as the base of a comparison in Chinese: 与2024年12月相比, 與去年底相較,
#: 与2013年11月13167亿美元的峰值相比 (the word before the date; :data:`ZH_COMPARE_AFTER` the word closing the frame,
#: later in the clause). The base is not the period of the sentence's figures.
ZH_COMPARE_BEFORE = re.compile(r"(?:與|与|和|同|跟)\s*$")
ZH_COMPARE_AFTER = re.compile(r"[^，,。；;：:]{0,24}?(?:相比|相較|相较|比較|比较|對比|对比)")

#: Debt held by the public (what CBO's fiscal-year table holds), as opposed to gross or total federal debt.
HELD_BY_PUBLIC = guarded_re(r"held by (?:the )?public|publicly[- ]held|public(?:ly)? held|"
                            r"(?:由)?(?:公眾|公众|民間|民间)(?:所)?持有", re.I)
#: Words that make the date right after them the base of a growth rate ("from fiscal 2022", "since 2019", 較2022財年).
BASE_BEFORE = guarded_re(r"(?:\b(?:from|since|than|over|compared (?:to|with)|relative to|versus|vs\.?)\s+"
                          r"(?:(?:the|its|in|of)\s+)*(?:level\s+(?:of|in)\s+)?|(?:從|从|較|较|比|自|相比|相較於|相较于)\s*)$",
                          re.I)
#: An annual cue right after the previous figure is that figure's ("fell $75.5bn from a year ago, and Japan's …").
CUE_OF_PREVIOUS = re.compile(rf"^[\s,]*(?:{ANNUAL.pattern})", re.I)
#: A peak word right before a date: the date is the peak's ("peaked in November 2013", 峰值出現在2013年11月).
_PEAK_LINK = (r"\s*(?:(?:in|at|of|on|was|were|it|they|that|which|had|has|hit|reached|set|touched|recorded|"
              r"about|around|nearly|some|US\$|USD|\$|[\d.,]+|trillion|billion|million|tn|bn|"
              r"出現在|出现在|在|於|于|為|为|約|约)\s*)*$")
PEAK_THEN = guarded_re(r"(?:\bpeak(?:ed|ing|s)?|\ball-time high|\brecord high|高峰|峰值|巔峰|巅峰|頂峰|顶峰)"
                        + _PEAK_LINK, re.I)
#: The same with a peak word only ("peaked at $1.32 trillion in November 2013"; not "a record high in December",
#: which dates the record the sentence states).
PEAKED_THEN = guarded_re(r"(?:\bpeak(?:ed|ing|s)?|高峰|峰值|巔峰|巅峰|頂峰|顶峰)" + _PEAK_LINK, re.I)
#: A peak noun right after a date: the date is the peak's ("their November 2013 peak", 2013年11月的峰值, 巅峰时).
PEAK_NOUN_AFTER = re.compile(r"\s*(?:'s|’s|的|時的|时的|時|时)?\s*(?:peak|high\b|高峰|峰值|巔峰|巅峰|頂峰|顶峰|"
                              r"歷史高點|历史高点)", re.I)
BASE_AFTER = re.compile(r"\s*(?:以來|以来|起|開始|开始|相比|比較|比较)")
OPEN_BRACKET = re.compile(r"\s*[（(]\s*")
DATELINE_AFTER = re.compile(r"\s*(?:--|—|消息|電|电|讯|訊|公布|"
                                                                                       r"發布|发布)")
#: After a full date (with its year), a dateline also ends with a single dash, or an agency's name in brackets and
#: a dash: "WASHINGTON, March 20, 2026 - …", "March 20, 2026 (Reuters) - …", "2026年3月20日 – …".
DATELINE_FULL_AFTER = re.compile(r"\s*(?:[(（][^()（）\n]{1,30}[)）]\s*)?(?:--|—|–|-(?=\s))")
SINCE_END = re.compile(r"since\s*$", re.I)
#: A date followed by 以來 ("2008年以來首次", 自2025年1月以来): what a run or a change is counted from, not a period.
SINCE_ZH_AFTER = re.compile(r"\s*(?:以來|以来)")
#: A change counted from the start of the year: "so far this year", "year to date", 今年以来, 年初以來, 较年初.
YEAR_TO_DATE = guarded_re(r"\byear[- ]to[- ]date\b|\bYTD\b|\bso far this year\b|\bthis year so far\b|"
                           r"\bsince the (?:start|beginning) of (?:the|this) year\b|(?:今年|本年|年初)\s*(?:以來|以来|迄今|至今)|"
                           r"(?:較|较|比|相比|與|与)\s*(?:今年)?年初|年內累計|年内累计|今年累計|今年累计|今年來|今年来", re.I)
FIRST_HINT = re.compile(r"[Ff]irst\s+time|首次|首度|第一次|頭一次|头一次|首見|首见")
#: "for the first time since 2008", "its first time below $700 billion since 2008" (right before the date).
FIRST_SINCE_EN = re.compile(r"\bfirst\s+time\b[^.;]{0,60}?\bsince\s*$", re.I)
#: 2008年以來首次, 2008年以来首度, 自2008年10月以來第一次 (right after the date).
FIRST_SINCE_ZH = re.compile(r"\s*(?:以來|以来)\s*(?:的)?\s*(?:首次|首度|第一次|頭一次|头一次|首見|首见)")
#: Words that put a figure below (above) a threshold: "fell below", "under", 跌破, 低於, "…以下".
BELOW_END = guarded_re(r"(?:\b(?:below|under|beneath|less than)|跌破|跌穿|跌落|降破|低於|低于|少於|少于|不足|不到)\s*"
                        r"(?:了)?\s*$", re.I)
ABOVE_END = guarded_re(r"(?:\b(?:above|over|past|more than|topped|exceeded|surpassed|crossed)|突破|升破|站上|超過|"
                        r"超过|高於|高于|重回)\s*(?:了)?\s*$", re.I)
BELOW_AFTER = re.compile(r"\s*(?:以下|之下)")
ABOVE_AFTER = re.compile(r"\s*(?:以上|之上)")
#: A verb of movement before such a word: the threshold was crossed that month ("fell below", 跌破, "topped").
CROSS_VERB = guarded_re(r"(?:跌破|跌穿|跌落|降破|突破|升破|站上|重回|\btopped|\bsurpassed|\bexceeded|\bcrossed)\s*"
                         r"(?:了)?\s*$|(?:跌至|跌到|降至|降到|回落至|減至|减至|升至|升到|增至|回升至)\s*$", re.I)
HOLD_AT_END = re.compile(r"(?:維持在|维持在|保持在|站穩|站稳)\s*$")
THRESHOLD_END = guarded_re(r"(?:below|under|less than|above|over|more than)\s*$", re.I)
SINCE_AHEAD = re.compile(r"^[^.;,]{0,60}\bsince\b", re.I)
OR_PCT = re.compile(r"\s*(?:,|，)?\s*(?:or|i\.e\.|即|或|，即|(?:增幅|升幅|降幅|跌幅|減幅|减幅)(?:約為|约为|為|为|達|达)?|"
                     r"up|down)?\s*"
                     r"(?:(?:about|around|roughly|approximately|some|nearly|almost|close to|just over|just under|"
                     r"more than|over|less than|約|约|大約|大约|近|逾|超過|超过)\s*)?")
#: A level given as the base of a comparison ("down from $759.0 billion", "up from roughly $760 billion",
#: "compared with $X", 較去年同期的7590億, 比上月的X): the level at the base period, not at the claim's month.
FROM_END = guarded_re(r"(?:\b(?:up|down|higher|lower)\s+)?\bfrom\s+(?:(?:about|around|roughly|approximately|some|"
                       r"nearly|almost|just|more than|less than|over|under|an estimated)\s+)?$|"
                       r"\b(?:compared\s+(?:with|to)|against|versus|vs\.?)\s+(?:(?:about|around|roughly|some|nearly)\s+)?$|"
                       r"(?:較|较|比|相比|相較於|相较于|對比|对比)\s*(?P<year>去年同期|上年同期|一年前|去年同月|上年同月|"
                       r"上一年同期)?\s*(?:上一?(?:財年|财年|財政年度|财政年度|年度))?\s*(?:的)?\s*(?:約|约|逾|近|超過|超过)?\s*$|"
                       r"(?:高於|高于|低於|低于|多於|多于|少於|少于)\s*(?:(?P<year2>去年同期|上年同期|一年前|去年同月|上年同月)|"
                       r"上一?(?:財年|财年|財政年度|财政年度|年度))\s*的\s*(?:約|约)?\s*$", re.I)
#: A level as a fraction of its peak: "less than half of its 2013 peak", "about a third of their peak", 不到峰值的一半,
#: 僅為2013年高峰時的三分之一.
FRACTIONS = {"half": 0.5, "a half": 0.5, "one half": 0.5, "a third": 1 / 3, "one third": 1 / 3, "two thirds": 2 / 3,
              "a quarter": 0.25, "one quarter": 0.25, "three quarters": 0.75, "一半": 0.5, "半數": 0.5, "半数": 0.5,
              "三分之一": 1 / 3, "三分之二": 2 / 3, "四分之一": 0.25, "四分之三": 0.75}
FRACTION_HINT = re.compile(r"[Hh]alf|[Tt]hird|[Qq]uarter|一半|半數|半数|分之")
FRACTION_OF_PEAK = guarded_re(
    r"\b(?:(?P<q>less than|under|below|more than|over|above|about|around|roughly|nearly|almost|just over|just under|"
    r"barely)\s+)?(?P<frac>half|a half|one half|a third|one[- ]third|two[- ]thirds|a quarter|one[- ]quarter|"
    r"three[- ]quarters)\s+(?:of\s+)?(?:its|their|the|that)\s+(?:[\w-]+\s+){0,3}?(?:peak|high|record high)\b|"
    r"(?:峰值|高峰|巔峰|巅峰|頂峰|顶峰|歷史高點|历史高点)(?:時|时)?(?:的)?\s*(?P<frac2>一半|半數|半数|三分之一|三分之二|四分之一|"
    r"四分之三)", re.I)
#: The bound on such a fraction in Chinese, before the peak's words in the same clause (不到2013年峰值的一半).
FRACTION_BOUND_ZH = re.compile(r"(不到|不足|少於|少于|低於|低于|約|约|近|接近|超過|超过|逾|僅為|仅为|只有|僅|仅)"
                                r"[^，。；,;]{0,12}$")
#: A bound on the fraction is the opposite bound on the fall ("less than half": a fall of more than 50 %).
FRACTION_QUALIFIER = {"less than": "more_than", "under": "more_than", "below": "more_than", "barely": "more_than",
                       "just under": "more_than", "不到": "more_than", "不足": "more_than", "少於": "more_than",
                       "少于": "more_than", "低於": "more_than", "低于": "more_than", "more than": "less_than",
                       "over": "less_than", "above": "less_than", "just over": "less_than", "超過": "less_than",
                       "超过": "less_than", "逾": "less_than", "about": "approx", "around": "approx",
                       "roughly": "approx", "約": "approx", "约": "approx", "nearly": "approx", "almost": "approx",
                       "近": "approx", "接近": "approx"}
#: A year back stated right after such a base ("down from $759.0 billion a year earlier", "from $760bn a year ago").
YEAR_BACK_AFTER = re.compile(r"^\s*(?:(?:a|one)\s+year\s+(?:earlier|ago|before)|(?:12|twelve)\s+months\s+"
                              r"(?:earlier|ago|before)|(?:in\s+)?the\s+same\s+(?:month|period)\s+(?:a|last|the\s+"
                              r"previous|the\s+prior)\s+year|(?:at\s+)?this\s+time\s+last\s+year)\b", re.I)
AFTER_END = re.compile(r"\bafter\s+(?:\w+\s+){0,2}$", re.I)
BRACKETED = re.compile(r"\s*[（(][^）)]{0,30}[）)]")
PRONOUN = re.compile(r"\bthem\b|\bits\b")
#: A bond's tenor named as the subject of a quote ("The ten-year closed at 4.03%", "the 2-year note at 3.56%",
#: "10年期公債…收在4.05%"): the percentage is a yield even when the word "yield" is left out.
TENOR_QUOTED = guarded_re(r"\b(?:two|three|five|seven|ten|twenty|thirty|\d{1,2})-year(?:\s+(?:U\.?S\.?\s+)?"
                           r"(?:Treasury|Treasuries|note|notes|bond|bonds|T-note|paper|benchmark))?(?:\s+yield)?"
                           r"\s+(?:(?:also|then|had|has|have)\s+)?(?:closed|ended|finished|settled|stood|was|is|"
                           r"were|rose|fell|climbed|slipped|dropped|jumped|eased|hit|touched|traded|reached|ticked|"
                           r"edged|opened|moved|sat|held|averaged|averages|at\b)|"
                           r"(?:\d{1,2}|[二兩两三五七十]{1,3})\s*年期(?!\s*(?:存款|定存|貸款|贷款|理財|理财|大額|大额|間|间|滿|满))|"
                           # thread shorthand: "10Y at 4.09%", "2Y 3.47%", "UST 10s 4.09%" (not the "2s10s" spread)
                           r"(?<![A-Za-z0-9_.$])(?:[1-9]|[12]0|30)(?:Y|yr)(?![A-Za-z0-9_.%-])|"
                           r"(?<![A-Za-z0-9_.$])(?:2|3|5|7|10|20|30)s(?![A-Za-z0-9_.%-])",
                           re.I)
#: The spread between two tenors ("2s10s", "the 2s/10s curve", 利差): not a yield the store holds.
SPREAD = guarded_re(r"(?<![\w.])\d{1,2}s\s*/?\s*\d{1,2}s\b|\bspread\b|\bcurve\b|利差|息差", re.I)
#: A yield or rate that is not a US Treasury yield, named in a figure's clause: another government's bond (a Bund,
#: a gilt, a JGB, an OAT, a BTP, 日本国债, 台灣公債, 德债, "Germany's 10-year yield") or a rate of something else
#: (a mortgage, a corporate bond, an interbank rate: 房貸, 抵押贷款, HIBOR). Its tenor ("Thirty-year mortgage rates",
#: 10年期台灣公債) does not make it one of the store's Treasury yields.
_FOREIGN_EN = (r"German|Germany|Japan|Japanese|British|Britain|UK|U\.K\.|French|France|Italian|Italy|Spanish|Spain|"
               r"Chinese|China|Taiwan|Taiwanese|Canadian|Canada|Australian|Australia|Korean|Korea|Swiss|Indian|India|"
               r"euro[- ]area|euro[- ]zone|European")
_FOREIGN_ZH = (r"德國|德国|日本|英國|英国|法國|法国|意大利|義大利|西班牙|中國|中国|中國大陸|中国大陆|台灣|台湾|臺灣|"
               r"韓國|韩国|加拿大|澳洲|澳大利亚|澳大利亞|瑞士|印度|歐元區|欧元区|歐洲|欧洲|本地|香港|"
               # domestic (國內, 我國): the writer's own government, not the US
               r"國內|国内|境內|境内|我國|我国|本國|本国")
OTHER_RATE = guarded_re(
    r"\bBunds?\b|\bBobls?\b|\bSchatz\b|\bgilts?\b|\bJGBs?\b|\bOATs?\b|\bBTPs?\b|\bBonos?\b|"
    rf"\b(?:{_FOREIGN_EN})(?:['’]s)?\s+(?:(?:\w+-year|benchmark|sovereign|government|govt)\s+){{0,3}}"
    r"(?:(?:government\s+|sovereign\s+)?(?:bond|debt|note)s?\s+)?yields?\b|"
    r"\bmortgages?\b|\bcorporate\s+(?:bond|debt|borrowing)|\binvestment[- ]grade\b|\bhigh[- ]yield\s+(?:bond|debt)|"
    r"\bjunk\b|\bmunicipal\b|\bmunis?\b|\bHIBOR\b|\bLIBOR\b|\bSHIBOR\b|\bSOFR\b|\bswaps?\b|"
    rf"(?:{_FOREIGN_ZH})\s*(?:\d{{1,2}}\s*年期|[二兩两三五七十]{{1,3}}年期)?\s*(?:國債|国债|公債|公债|政府債|政府债|"
    r"主權債|主权债)|德債|德债|日債|日债|英債|英债|中債|中债|台債|台债|房貸|房贷|按揭|抵押貸款|抵押贷款|"
    r"公司債|公司债|企業債|企业债|信用債|信用债|高收益債|高收益债|同業拆|同业拆|拆息|\bLPR\b|"
    # a central bank's policy rate (the ECB's deposit rate, a repo rate, the fed funds rate, 政策利率): not a yield
    r"\b(?:ECB|BoE|BOE|BoJ|BOJ|PBoC|PBOC|RBA|RBNZ|SNB|BoC|Riksbank)\b|\bfed(?:eral)?\s+funds\b|"
    r"\b(?:deposit|repo|refinancing|refi|policy|discount|base|overnight|cash)\s+(?:facility\s+)?rates?\b|"
    r"政策利率|存款利率|存款準備|存款准备|基準利率|基准利率|重貼現率|重贴现率|回購利率|回购利率|逆回購|逆回购|"
    r"聯邦基金|联邦基金|"
    # Hong Kong's rates (the HKMA's base rate, the banks' prime rate, HIBOR): 基本利率, 最優惠利率, 港元拆息
    r"基本利率|最優惠利率|最优惠利率|優惠利率|优惠利率|\bHKMA\b|\bprime\s+(?:lending\s+)?rates?\b", re.I)
#: A yield quoted for the session before the day the sentence gives ("from 4.18% the day before", 前一日為4.18%).
DAY_BEFORE = guarded_re(r"\bthe\s+(?:day|session)\s+before\b|\ba\s+day\s+(?:earlier|before)\b|"
                        r"\bthe\s+(?:previous|prior)\s+(?:day|session|trading\s+day|close)\b|"
                        r"前一(?:個|个)?(?:日|天|交易日)", re.I)
#: A yield quoted for the article's own session ("finished the session at", "in today's session", "Closing:", 今日,
#: 今天): a day named for an earlier yield in another sentence does not date it.
THIS_SESSION = guarded_re(r"\b(?:the|this|today(?:'s|’s)|the\s+day(?:'s|’s))\s+(?:trading\s+)?session\b(?!\s+before)|"
                          r"(?:^|[-–—]\s|[:：]\s)\s*(?:closing|at\s+the\s+close|the\s+close)\s*[:：-]|"
                          r"(?:今日|今天)(?!美國|美国|頭條|头条)", re.I)
#: A live blog's timestamped entry ("16:00 ET - ", "10:05 a.m. —"): a new entry; a day named in an earlier entry does
#: not date its yields.
TIMESTAMP_LEAD = guarded_re(r"\s*[-–—*•]?\s*\d{1,2}(?::\d{2}\s*(?:[ap]\.?m\.?)?|"
                            r"\.\d{2}\s*(?=[ap]\.?m\.?|ET|EST|EDT|GMT|BST|UTC|HKT|CET)(?:[ap]\.?m\.?)?)"
                            r"\s*(?:ET|EST|EDT|GMT|BST|UTC|HKT|CET)?\s*[-–—:|]", re.I)
#: A yield quoted in a week ("last week", 上周, "earlier this week"): one of that week's daily closes.
WEEK_CUE = guarded_re(r"\b(?P<last>last\s+week|the\s+previous\s+week|the\s+week\s+before)\b|"
                      r"\b(?P<this>earlier\s+this\s+week|this\s+week)\b|(?P<last_zh>上周|上週|上星期|上個星期|上个星期)"
                      r"(?![一二三四五六日天](?!度))|(?P<this_zh>本周|本週|這周|这周|這週|这週)(?![一二三四五六日天](?!度))",
                      re.I)
#: A yield quoted at the year's end ("ended 2025 at", "closed the year at", "year-end", 年底, 年末, 年終): the last
#: daily close of the year, not the year's (or December's) average.
YEAR_END = guarded_re(r"\b(?:ended|ending|ends|closed|closing|closes|finished|finishing|wrapped\s+up)\s+(?:out\s+)?"
                      r"(?:the\s+year|last\s+year|(?:19|20)\d\d)\b|\byear[-\s]end\b|\byear(?:'s|’s)\s+(?:end|close)\b|"
                      r"\b(?:end|close)\s+of\s+(?:the\s+year|last\s+year|this\s+year|(?:19|20)\d\d)\b|"
                      r"年底|年末|年終|年终", re.I)
#: A percentage compared with a yield stated before it ("fell to 4.09%, from 4.18% the day before").
FROM_BASE_END = re.compile(r"\b(?:from|than|vs\.?|versus)\s+(?:about\s+|around\s+)?$", re.I)
#: Subjects of a percentage other than a yield ("the S&P 500 rose 0.4%", "inflation at 2.9%"): in a figure's own
#: clause with no yield or tenor word, the yield named elsewhere in the sentence (or carried) is not its subject
#: (GDP and CPI also inside Chinese: 一季度GDP同比增长5.0%).
OTHER_PCT_SUBJECT = guarded_re(r"S&P|Nasdaq|Dow\b|\bstocks?\b|\bequit(?:y|ies)\b|\bshares\b|\bindex\b|inflation|"
                                # stock indices and markets (Hang Seng, Nikkei, 恒生, 道瓊, 上證, 台股…)
                                r"\bHang\s+Seng\b|\bNikkei\b|\bTopix\b|\bFTSE\b|\bDAX\b|\bCAC\b|\bStoxx\b|\bKOSPI\b|"
                                r"\bTAIEX\b|\bRussell\b|\bHSI\b|\bCSI\s+300\b|恒生|恆生|恒指|恆指|道琼斯|道瓊|道指|纳斯达克|"
                                r"那斯達克|納斯達克|纳指|那指|日经|日經|上证|上證|深证|深證|沪深|滬深|创业板|創業板|台股|港股|美股|"
                                r"A股|加權指|加权指|"
                                r"(?<![A-Za-z])(?:CPI|PCE|GDP)(?![A-Za-z])|growth|tariffs?\b|unemployment|jobless|\bexports?\b|"
                                r"股市|股指|指數|指数|標普|标普|通脹|通胀|通膨|關稅|关税|經濟增長|经济增长|失業率|失业率|"
                                r"出口", re.I)
#: A spoken filler between commas ("they dumped, uh, twenty-seven billion"), blanked out (offsets kept).
FILLER = re.compile(r",\s*(?:uh|um|uhm|er|erm|ah|you know|I mean)\s*,", re.I)
#: A speaker's label at the head of a transcript's line ("Q:", "A:", "Host:", "Chairman:", 央行總裁：, 【主播】,
#: 記者：): no part of what is said, blanked out (offsets kept) so that a frame opening the words
#: (與2024年12月相比, "Compared with December 2024, …") is read as the sentence's opening. A name alone ("RAJ:",
#: "Japan:") is not taken as one: a table's line may be labelled by a holder.
_ROLE_EN = (r"Q|A|Host|Co-host|Anchor|Chair(?:man|woman)?|Guest|Interviewer|Interviewee|Reporter|Correspondent|"
            r"Moderator|Presenter|Narrator|Analyst|Economist|Strategist|Governor|Speaker|Caller|Panel(?:ist)?")
_ROLE_ZH = (r"總裁|总裁|行長|行长|主席|主播|記者|记者|主持人|嘉賓|嘉宾|旁白|記者旁白|记者旁白|部長|部长|委員|委员|"
            r"立委|議員|议员|"
            r"發言人|发言人|分析師|分析师|經濟學家|经济学家|評論員|评论员|問|问|答|院長|院长|署長|署长")
SPEAKER_LABEL = re.compile(rf"\s*(?:[-–—*•>]\s*)?(?:(?:{_ROLE_EN})\s*[:：]|"
                           rf"[【\[]\s*[\u4e00-\u9fff]{{0,8}}?(?:{_ROLE_ZH})\s*[】\]]\s*[:：]?|"
                           rf"[\u4e00-\u9fff]{{0,8}}?(?:{_ROLE_ZH})\s*[:：])\s*")
#: Billions or trillions in English words: about dollar instruments, an amount of money even where the stretch
#: around it names no instrument ("That's down from roughly seven hundred sixty billion a year earlier").
EN_BILLIONS = re.compile(r"\b(?:billion|trillion|bn|tn|trn|bln)\b", re.I)


# -- special claims (ranks, "lowest since", streak thresholds, directions) ---------------------------------------
_CN_ORD = r"\d{1,2}|[一二兩两三四五六七八九十]{1,3}"
RANK_ZH = guarded_re(rf"(?:排名|排行|排|位居|位列|居)\s*第\s*(?P<n2>{_CN_ORD})(?:\s*(?:名|大|位))?|第\s*(?P<n>{_CN_ORD})\s*"
                     rf"(?:名|大|位)|(?P<top>最大|首位|榜首|居首|第一大)|(?P<second>居次|位居其次|排名其次)(?![要席])")
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
                    r"(?:ever\b|on record|in history|ever recorded)|"
                    r"\b(?:a|an|its|their|to a|at a|from a|[A-Za-z]+(?:'s|’s))\s+"
                    r"(?:new\s+|fresh\s+)?record\b(?![- ](?:lows?|number|deficits?|date|books?|keeping|set|label|"
                    r"of\s+(?:the\b|its\b|their\b|\d+\s+(?!billion|trillion|bn|tn))))|"
                    r"歷史新高|历史新高|歷史新紀錄|历史新纪录|創紀錄(?!的?新?低)|创纪录(?!的?新?低)|創新高|创新高|歷史最高|历史最高|"
                    r"史上最高|歷史高位|历史高位|紀錄高位|纪录高位|新紀錄|新纪录|(?:刷新|打破)(?:歷史)?紀錄|(?:刷新|打破)(?:历史)?纪录|"
                    r"\b(?:the\s+)?(?:most|highest|largest|biggest)\s+(?:level\s+|amount\s+|total\s+)?(?:ever\s+)?"
                    r"since\s+(?:records|record[- ]keeping|the\s+data|data|the\s+series|statistics)\s+"
                    r"(?:began|begin|started|start)\b|"
                    r"有(?:紀錄|纪录|記錄|记录|數據|数据|統計|统计)(?:以來|以来)(?:的)?(?:最高|最多|新高)|有史(?:以來|以来)(?:的)?(?:最高|最多)",
                    re.I)
RECORD_HINTS = ("record", "all-time", "all time", "highest", "新高", "紀錄", "纪录", "最高", "高位", "since data",
                 "since the data", "since the series", "since statistics", "最多")
#: Measures whose figure a record claim can be checked on (the highest level of the holder's TIC series).
RECORD_LEVELS = frozenset({"holdings_level", "holdings_peak"})
#: A rank said as a number after a verb of being or ranking ("Japan is still number one", "ranked No. 2 among
#: foreign holders", "is in second place"), or written "#2" ("China #2", "the #1 holder"); not a number used
#: otherwise ("the number one question").
RANK_NUMBER_EN = guarded_re(r"(?:\b(?:is|was|are|were|remains?|remained|stays?|stayed|ranks?|ranked|ranking|sits?|sat|"
                             r"still|now|becomes?|became|becoming)\s+(?:still\s+|now\s+|again\s+)?(?:(?:the|in)\s+)?(?:the\s+)?"
                             r"(?:(?:number|No\.)\s*(?P<n>one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\b|"
                             r"(?P<p>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|1st|2nd|3rd|4th|"
                             r"5th|6th|7th|8th|9th|10th)\s+place\b)|(?<![\w#&])#\s?(?P<h>\d{1,2})(?![\d]|[.,]\d))"
                             r"(?=\s*(?:[,.;:!?)—–-]|$|among|in\b|on\b|at\b|with|(?:foreign\s+|overseas\s+)?"
                             r"(?:holder|creditor|owner|buyer|spot|position|place)))", re.I)
#: A verb of overtaking right before a holder's name ("overtook China", 超越中國): that holder is the one passed,
#: not the one whose rank the sentence states.
OVERTAKEN_BEFORE = re.compile(r"(?:超越|超過|超过|取代|趕超|赶超|越過|越过|"
                              r"\b(?:overtook|overtaken|overtakes?|overtaking|"
                              r"surpass(?:ed|es|ing)?|passed|passing|displac(?:ed|es|ing)|replac(?:ed|es|ing)|"
                              r"leapfrogg(?:ed|ing)|edged\s+past|moved\s+past|pulled\s+ahead\s+of))\s*(?:the\s+)?$",
                              re.I)
#: "the two largest holders", 前兩大: a group, not a rank; "the second-largest economy": not a holder's rank
GROUP_BEFORE = re.compile(r"(?:\b(?:two|three|four|five|\d+)|兩|两|二|三|四|五|前)\s*(?:大)?\s*$", re.IGNORECASE)
ECONOMY_AFTER = re.compile(r"\s*(?:經濟體|经济体|economy|economies|大經濟|大经济)")
DIRECTION_VERB = guarded_re(r"\b(?:(?P<down>trimmed|trims?|cut|cuts|reduced?|reduces|pared|sold|decreased?|lowered)|"
                            r"(?P<up>increased?|increases|hiked?|raised?|added|adds?|bought|boosted))\b", re.I)


def cn_int(raw: str) -> int:
    return int(raw) if raw.isdigit() else int(parse_decimal(raw))


#: "That month" (當月): the month stated just before in the same sentence, when there is one.
THAT_MONTH = re.compile(r"當月|当月|that (?:same )?month", re.I)


#: A US Treasury named: after another rate in a clause, the figure is the Treasury's again ("unlike Bunds, the
#: Treasury 10-year…"; 美國30年期房貸利率 names the mortgage rate after 美國).
_US_TREASURY = guarded_re(r"\bTreasur(?:y|ies)\b|(?-i:\bUST\b|\bUS\b)|\bU\.S\.|美債|美债|美國國債|美国国债|美國公債|"
                          r"美国公债", re.I)  # (US and UST in capitals: "told us" is no Treasury)
#: Why a figure of :data:`OTHER_RATE` is not checked.
OTHER_RATE_REASON = ("a yield or rate of something other than a US Treasury (another government's bond, a mortgage, "
                     "corporate, interbank or central bank's policy rate): not a stored series")


#: A Treasury tenor's yield named after another rate ("the Fed held its policy rate and the 10-year yield rose to"):
#: the figure is the Treasury's again.
_TENOR_YIELD_AFTER = guarded_re(r"\b(?:two|three|five|seven|ten|twenty|thirty|\d{1,2})-year\s+(?:Treasury\s+|note\s+|"
                                r"bond\s+)?yields?\b", re.I)
#: A clause that opens by describing what the clause before named ("…the mortgage rate, which averaged 6.58%",
#: "Italy's BTP yield, at 3.6%"): its figure is that rate's.
_RELATIVE_OPENER = re.compile(r"\s*(?:which|that|at|of|around|near)\b", re.I)


def other_rate_named(f: str, start: int, end: int) -> bool:
    """Whether ``f[start:end]`` (a figure's clause up to the figure) names a yield or rate that is not a US
    Treasury's (:data:`OTHER_RATE`) and names no Treasury (nor a tenor's yield) after it.

    A clause that opens with a relative word (:data:`_RELATIVE_OPENER`: "which was", "at", "of") is read with the
    clause before it, whose rate it describes."""
    if start > 0 and _RELATIVE_OPENER.match(f, start):
        start = _previous_clause_start(f, start)
    found = [m for m in OTHER_RATE.finditer(f, start, end)]
    if not found:
        return False
    last = found[-1]
    return not _US_TREASURY.search(f, last.start(), end) and not _TENOR_YIELD_AFTER.search(f, last.end(), end)


#: A clause break: a comma (not a thousands separator), a semicolon, a colon, a dash between spaces.
_BREAK = re.compile(r"[，；;：:]|,(?!\d{3}(?!\d))|(?<!\d),|\s[-–—]{1,2}\s")


def _previous_clause_start(f: str, start: int) -> int:
    """Where the clause before the one starting at ``start`` (just after a break) starts in sentence ``f``."""
    breaks = [m.end() for m in _BREAK.finditer(f, 0, max(0, start - 1))]
    return breaks[-1] if breaks else 0
