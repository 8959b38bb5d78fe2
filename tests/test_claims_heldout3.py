"""Claims check: the families of phrasing a third held-out review found misread, each in several new sentences.

The review ran the checker on eight more articles (a newsletter, a podcast transcript, a Taiwanese fact-check, a
desk table, a broker's research note, a Hong Kong column, a Q&A and an op-ed) and found: "fell below $700 billion …
for the first time since 2008" checked as "below since 2008" (a true claim contradicted); a level given as the base
of a comparison ("down from $759.0 billion a year earlier", 較去年同期的…) checked as the claim's own month, or read
as a change; a change named by a noun or by a verb after the figure ("change -$17.2 billion", "the $75.5 billion it
shed") read as a level; a change "since the end of last year" (比去年底增加) checked as a month's change; a count
("約750萬人口") read as Hong Kong's holdings, a question ("谁是美债最大的海外持有者？") read as a rank claim and a denied
threshold ("並未跌破網傳的6000億美元") read as a change of -600; "yesterday", 孳息率…收報3.97厘, a spelled-out tenor
("The ten-year closed at…") and a tenor named before "；" not read for yields; text tables not read at all; "the most
since records began" and "less than half of its peak" not checked; and a carried fiscal word giving a rare-earth
share to the US federal government. Every test below fails on the code before those fixes. The sentences are
written for these tests (not the review's); the official figures are those of the shipped snapshot: TIC (China
683.5 in December 2025, 683.9 in November, 759.0 in December 2024, 695.6 in July 2025 — the first month below 700
since October 2008's 684.1; Japan 1,185.5, November 1,202.7 — above 1,200 from November 2025, and before that last
in July 2022 —, December 2024 1,061.5; the UK 866.0 and 889.0; Canada 468.2, -4.0 on the month; all foreign holders
9,359.3 in November, a record), SAFE gold (February 2026 74.22 Moz, December 2025 74.15), FRED daily yields (10-year
4.03 % on 2026-02-23, 3.97 % on 02-27, 4.05 % on 03-02, 4.15 % on 03-06; 2-year 3.43 %, 3.38 %, 3.47 %, 3.56 % on
the same days; February's 10-year average 4.13 %) and CBO net interest (FY2025).
"""

from __future__ import annotations

from datetime import date

import pytest
from claims_support import claims_of, one

from geostress.analytics.claims.check import Checker

#: After TIC's December 2025 release (2026-02-18) and before the 2025 block's revision (2026-03-18).
TIC_DAY = date(2026, 2, 20)
LATE_TIC_DAY = date(2026, 3, 12)


# -- 1. "for the first time since YEAR" after crossing a threshold: the last time it was past it was in YEAR -------
@pytest.mark.parametrize(
    ("text", "measure", "since", "verdict"),
    [
        ("China's holdings of Treasuries fell below $700 billion in July 2025 for the first time since 2008.",
         "first_below_since", "2008", "supported"),
        ("China's holdings of Treasuries fell below $700 billion in July 2025 for the first time since 2009.",
         "first_below_since", "2009", "contradicted"),
        ("For the first time since October 2008, China's Treasury holdings dropped under $700 billion in July 2025.",
         "first_below_since", "2008-10", "supported"),
        ("中国持有的美国国债2025年7月跌破7000亿美元，为2008年以来首次。", "first_below_since", "2008", "supported"),
        ("中國持有美債2025年7月為6956億美元，是2008年10月以來首度低於7000億美元。", "first_below_since", "2008-10",
         "supported"),
        ("Japan's Treasury holdings topped $1.2 trillion in November 2025 for the first time since 2022.",
         "first_above_since", "2022", "supported"),
        ("日本持有美债2025年11月突破1.2万亿美元，为2020年以来首次。", "first_above_since", "2020", "contradicted"),
    ],
)  # fmt: skip
def test_first_time_since_is_the_last_time_past_the_threshold(text: str, measure: str, since: str, verdict: str,
                                                              checker: Checker) -> None:
    claim = one(text, LATE_TIC_DAY, checker, measure)
    assert (claim.value, claim.verdict) == (since, verdict), claim.note


def test_first_time_since_needs_the_crossing_in_the_month_stated(checker: Checker) -> None:
    # the run below 700 started in July 2025: "fell below … in August" names the wrong month
    claim = one("中國持有的美債在2025年8月跌破7000億美元，是2008年以來首次。", LATE_TIC_DAY, checker,
                "first_below_since")
    assert (claim.verdict, claim.reason) == ("contradicted", "wrong_period")
    assert "2025-07" in claim.note
    # "below … since" without "first time" is still the run that started then
    run = one("China's holdings have been below $700 billion since July 2025.", LATE_TIC_DAY, checker,
              "below_threshold_since")
    assert run.verdict == "supported"


# -- 2. a level given as a comparison's base is the level at the base period ----------------------------------------
@pytest.mark.parametrize(
    ("text", "quote", "period", "verdict"),
    [
        ("China held $683.5 billion of Treasuries in December, down from $759.0 billion a year earlier.", "759.0",
         "2024-12", "supported"),
        ("China held $683.5 billion of Treasuries in December, down from roughly $760 billion a year earlier.", "760",
         "2024-12", "supported"),
        ("China's Treasury holdings stood at $683.5 billion, down from $759.0 billion a year ago.", "759.0", "2024-12",
         "supported"),
        ("Japan held $1,185.5 billion of Treasuries in December, down from $1,202.7 billion.", "1,202.7", "2025-11",
         "supported"),
        ("中国12月持有美债6835亿美元，较去年同期的7590亿美元有所减少。", "7590", "2024-12", "supported"),
        ("中國大陸12月持有美債6835億美元，比去年同期的7790億美元少。", "7790", "2024-12", "contradicted"),
        ("日本12月持有美國國債11855億美元，較去年同期的10615億美元增加。", "10615", "2024-12", "supported"),
    ],
)  # fmt: skip
def test_a_comparison_base_is_the_level_at_the_base_period(text: str, quote: str, period: str, verdict: str,
                                                           checker: Checker) -> None:
    base = one(text, LATE_TIC_DAY, checker, quote=quote)
    assert (base.measure, base.period, base.verdict) == ("holdings_level", period, verdict), base.period_note


@pytest.mark.parametrize(
    ("text", "quote", "period", "verdict"),
    [
        # a text that dates nothing: the month before the latest release
        ("外资持有美债总额从上月的9.36万亿美元降至9.27万亿美元。", "9.36", "2025-11", "supported"),
        # a fiscal figure's base is the fiscal year before
        ("Net interest costs grew to $970 billion in fiscal 2025, up from $880 billion a year earlier.", "880",
         "FY2024", "supported"),
        ("2025财年美国净利息支出9699亿美元，高于上一财年的8799亿美元。", "8799", "FY2024", "supported"),
        ("2025財年美國淨利息支出9699億美元，較上一財年的7999億美元大增。", "7999", "FY2024", "contradicted"),
    ],
)  # fmt: skip
def test_a_comparison_base_without_an_anchor_or_of_a_fiscal_figure(text: str, quote: str, period: str, verdict: str,
                                                                   checker: Checker) -> None:
    base = one(text, TIC_DAY, checker, quote=quote)
    assert (base.period, base.verdict) == (period, verdict), base.period_note


def test_an_approximate_round_figure_is_rounded_to_its_last_digit_but_not_a_month(checker: Checker) -> None:
    # "about $760 billion" fits 759.0 (rounded to tens, at most 1 % of the figure)
    level = one("China held about $760 billion of Treasuries in December 2024.", LATE_TIC_DAY, checker,
                "holdings_level")
    assert level.verdict == "supported"
    # "about $700 billion" does not fit 683.5, and its digits name no one month's figure (no wrong_period from a
    # month within 1 %)
    level = one("China held about $700 billion of Treasuries in December.", LATE_TIC_DAY, checker,
                "holdings_level")
    assert (level.verdict, level.reason) == ("contradicted", "wrong_value")


# -- 3. a figure that a change word governs is a change, even when the word comes after it ------------------------
@pytest.mark.parametrize(
    ("text", "measure", "value", "verdict"),
    [
        ("Japan's Treasury holdings showed a change of -$17.2 billion from the prior month.", "monthly_change",
         -17.2, "supported"),
        ("Japan's holdings: change -$47.2 billion from November.", "monthly_change", -47.2, "contradicted"),
        ("China held $683.5 billion of Treasuries in December. The $75.5 billion it shed over the past year was a "
         "tenth of its holdings.", "annual_change", -75.5, "supported"),
        ("The $17.2 billion that Japan sold in December was its biggest monthly cut of Treasuries in a year.",
         "monthly_change", -17.2, "supported"),
        ("日本12月持有美債的變動為-172億美元。", "monthly_change", -17.2, "supported"),
        ("日本12月美债持仓变动-472亿美元。", "monthly_change", -47.2, "contradicted"),
        ("China's Treasury holdings saw a $0.4 billion decline in December.", "monthly_change", -0.4, "supported"),
    ],
)  # fmt: skip
def test_a_change_named_by_a_noun_or_a_later_verb_is_a_change(text: str, measure: str, value: float, verdict: str,
                                                              checker: Checker) -> None:
    claim = one(text, LATE_TIC_DAY, checker, measure)
    assert (claim.value, claim.verdict) == (value, verdict), claim.note


def test_a_holder_after_than_is_a_comparison_not_the_figures_subject(checker: Checker) -> None:
    claim = one("China held $683.5 billion of Treasuries in December. The $75.5 billion it shed over the past year "
                "is smaller than Japan's gain.", LATE_TIC_DAY, checker, "annual_change")
    assert claim.holder == "China, Mainland"


# -- 4. a change since the end of last year / the start of the year runs from that month ---------------------------
@pytest.mark.parametrize(
    ("text", "value", "verdict"),
    [
        ("今年2月末中国黄金储备为7422万盎司，比去年底增加7万盎司。", 0.07, "supported"),
        ("今年2月末中国黄金储备为7422万盎司，比去年底增加17万盎司。", 0.17, "contradicted"),
        ("中國黃金儲備2月底為7422萬盎司，較年初增加7萬盎司。", 0.07, "supported"),
        ("截至2月末，中国黄金储备今年以来增加了7万盎司。", 0.07, "supported"),
        ("China's gold reserves rose to 74.22 million ounces at the end of February, up 0.07 million ounces since "
         "the end of last year.", 0.07, "supported"),
        ("China has added 0.07 million ounces of gold so far this year, bringing its reserves to 74.22 million "
         "ounces at the end of February.", 0.07, "supported"),
    ],
)  # fmt: skip
def test_a_gold_change_since_the_year_end_runs_from_december(text: str, value: float, verdict: str,
                                                             checker: Checker) -> None:
    change = one(text, date(2026, 3, 10), checker, "gold_monthly_change_moz")
    assert (change.value, change.verdict, change.official_value) == (value, verdict, 0.07)


@pytest.mark.parametrize(
    "text",
    [
        "China has cut its Treasury holdings by $75.5 billion since the end of 2024.",
        "中国持有的美债自2024年12月以来减少了755亿美元。",
        "China's Treasury holdings fell $75.5 billion in 2025 year to date.",
    ],
)
def test_a_treasury_change_since_a_named_month_is_measured_from_it(text: str, checker: Checker) -> None:
    change = one(text, LATE_TIC_DAY, checker)
    assert (change.measure, change.value, change.verdict) == ("annual_change", -75.5, "supported")


# -- 5. counts, questions and denied thresholds are not judged as holdings --------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "香港同月持有美債2678億美元。香港約750萬人口，持有量卻排在全球前列。",
        "香港人口约750万，持有美债2678亿美元。",
        "Hong Kong, home to 7.5 million residents, held $267.8 billion of Treasuries.",
        "日本持有美國國債1兆1855億美元，約有1.2億人。",
    ],
)
def test_a_counted_noun_makes_a_count_not_a_dollar_level(text: str, checker: Checker) -> None:
    claims = claims_of(text, LATE_TIC_DAY, checker)
    assert all(c.verdict == "supported" for c in claims if c.unit == "USD bn")
    counts = [c for c in claims if c.unit != "USD bn"]
    assert counts and all(c.verdict == "not_checkable" and c.holder is None for c in counts)


@pytest.mark.parametrize(
    "text",
    [
        "问：谁是美债最大的海外持有者？",
        "問：中國是不是已經減持了1000億美元的美債？",
        "Is China still the largest foreign holder of Treasuries?",
        "Did Japan really dump $27 billion of Treasuries in December?",
    ],
)
def test_a_question_asserts_nothing(text: str, checker: Checker) -> None:
    assert claims_of("中国持有美债6835亿美元。" + text, LATE_TIC_DAY, checker)[1:] == []


def test_a_statement_before_a_question_is_still_checked(checker: Checker) -> None:
    # the clause before the question states a level; the question (is it the largest holder?) states no rank
    for text in ("中国12月持有美债6835亿美元，还是最大的持有国吗？",
                 "China held $683.5 billion of Treasuries in December — is it still the largest holder?"):
        claims = claims_of(text, LATE_TIC_DAY, checker)
        assert [(c.measure, c.verdict) for c in claims] == [("holdings_level", "supported")], text


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("中國持有美國公債6835億美元，並未跌破網傳的6000億美元。", "not_checkable"),
        ("中国持有的美债没有低于6000亿美元。", "not_checkable"),
        ("China's Treasury holdings never dropped under $600 billion last year.", "not_checkable"),
        ("China's holdings did not fall below the rumoured $600 billion.", "not_checkable"),
        # not denied: the level after the fall is below the figure (683.5 is not below 600)
        ("中國持有的美國公債已跌破6000億美元。", "contradicted"),
        ("China's Treasury holdings fell below $700 billion in July 2025.", "supported"),
    ],
)  # fmt: skip
def test_a_threshold_is_never_read_as_a_change(text: str, verdict: str, checker: Checker) -> None:
    claim = one(text, LATE_TIC_DAY, checker, quote="00")
    assert claim.measure != "monthly_change" and claim.verdict == verdict
    if verdict != "not_checkable":
        assert claim.measure == "holdings_level" and claim.qualifier == "less_than"


# -- 6. yields: yesterday, Hong Kong terms, spelled-out tenors, a tenor before "；" ---------------------------------
@pytest.mark.parametrize(
    ("text", "when", "series", "day", "verdict"),
    [
        ("The 10-year Treasury yield closed at 4.03% yesterday.", date(2026, 2, 24), "fred.dgs10", "2026-02-23",
         "supported"),
        # a Monday's "yesterday" close is Friday's
        ("Yesterday the two-year Treasury yield ended at 3.56%.", date(2026, 3, 9), "fred.dgs2", "2026-03-06",
         "supported"),
        ("美国10年期国债收益率昨天收于4.05%。", date(2026, 3, 3), "fred.dgs10", "2026-03-02", "supported"),
        ("美國2年期公債殖利率昨日收在3.74%。", date(2026, 3, 3), "fred.dgs2", "2026-03-02", "contradicted"),
        ("10年期美債孳息率上周五收報3.97厘。", date(2026, 3, 2), "fred.dgs10", "2026-02-27", "supported"),
        ("兩年期美債孳息率昨日收報3.83厘。", date(2026, 3, 2), "fred.dgs2", "2026-02-27", "contradicted"),
        ("The ten-year closed at 4.15% on Friday.", date(2026, 3, 9), "fred.dgs10", "2026-03-06", "supported"),
        ("On Friday the two-year note ended at 3.65%.", date(2026, 3, 9), "fred.dgs2", "2026-03-06", "contradicted"),
    ],
)  # fmt: skip
def test_yields_yesterday_hong_kong_terms_and_spelled_tenors(text: str, when: date, series: str, day: str,
                                                             verdict: str, checker: Checker) -> None:
    quote = one(text, when, checker, "yield")
    assert (quote.series, quote.official_period, quote.verdict) == (series, day, verdict)


def test_a_spelled_out_tenor_is_not_a_length_of_time(checker: Checker) -> None:
    claims = claims_of("The ten-year closed at 4.03% yesterday, and the two-year at 3.43%.", date(2026, 2, 24),
                       checker)
    assert [(c.measure, c.series, c.verdict) for c in claims] == [("yield", "fred.dgs10", "supported"),
                                                                   ("yield", "fred.dgs2", "supported")]


@pytest.mark.parametrize(
    ("text", "quote", "verdict"),
    [
        ("答：3月6日，10年期美债收益率收于4.15%；今年2月的月平均为4.13%。", "4.13%", "supported"),
        ("3月6日，10年期美國公債殖利率收在4.15%；今年2月的月平均則為4.53%。", "4.53%", "contradicted"),
    ],
)
def test_a_yield_after_a_semicolon_takes_the_tenor_named_before_it(text: str, quote: str, verdict: str,
                                                                    checker: Checker) -> None:
    average = one(text, date(2026, 3, 10), checker, "yield", quote=quote)
    assert (average.series, average.official_period, average.verdict) == ("fred.gs10", "2026-02", verdict)


# -- 7. text tables: one claim per cell of a covered measure ------------------------------------------------------
_PIPE_TABLE = """Major foreign holders of U.S. Treasury securities
Figures in USD billions. "Change" is the change from the prior month.

Holder | Holdings | Month | Change
Japan | 1,185.5 | Dec 2025 | -17.2
Canada | 486.2 | Dec 2025 | -4.0
United Kingdom | 866.0 | Nov 2025 | n/a
"""

_ALIGNED_TABLE = """Foreign holdings of Treasuries (billions of dollars)

Country            Dec 2025     Nov 2025
Japan              1,185.5      1,202.7
China, Mainland      683.5        693.9
"""

_CHINESE_TABLE = "美國國債主要持有者（單位：億美元）\n持有國\t持有量\t月份\t環比變動\n日本\t11855\t2025年12月\t-172\n英國\t8660\t2025年12月\t+230\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (_PIPE_TABLE, [("Japan", "holdings_level", 1185.5, "2025-12", "supported"),
                       ("Japan", "monthly_change", -17.2, "2025-12", "supported"),
                       ("Canada", "holdings_level", 486.2, "2025-12", "contradicted"),
                       ("Canada", "monthly_change", -4.0, "2025-12", "supported"),
                       ("United Kingdom", "holdings_level", 866.0, "2025-11", "contradicted")]),
        (_ALIGNED_TABLE, [("Japan", "holdings_level", 1185.5, "2025-12", "supported"),
                          ("Japan", "holdings_level", 1202.7, "2025-11", "supported"),
                          ("China, Mainland", "holdings_level", 683.5, "2025-12", "supported"),
                          ("China, Mainland", "holdings_level", 693.9, "2025-11", "contradicted")]),
        (_CHINESE_TABLE, [("Japan", "holdings_level", 1185.5, "2025-12", "supported"),
                          ("Japan", "monthly_change", -17.2, "2025-12", "supported"),
                          ("United Kingdom", "holdings_level", 866.0, "2025-12", "supported"),
                          ("United Kingdom", "monthly_change", 23.0, "2025-12", "contradicted")]),
    ],
)  # fmt: skip
def test_a_text_table_gives_one_claim_per_cell(text: str, expected: list, checker: Checker) -> None:
    claims = claims_of(text, TIC_DAY, checker)
    assert [(c.holder, c.measure, c.value, c.period, c.verdict) for c in claims] == expected


def test_a_table_with_no_unit_or_an_annual_change_column(checker: Checker) -> None:
    # no unit anywhere: the amounts could be millions — no claim
    bare = "Holdings of Treasuries\n\nHolder | Holdings | Change\nJapan | 1,185.5 | -17.2\n"
    assert claims_of(bare, TIC_DAY, checker) == []
    annual = ('Treasury holdings, in USD billions. "Change" is the change from a year earlier.\n\n'
              "Holder | Holdings | Change\nChina, Mainland | 683.5 | -75.5\n")
    change = one(annual, TIC_DAY, checker, "annual_change")
    assert (change.value, change.verdict) == (-75.5, "supported")


# -- 8. records since records began, a fraction of the peak, a share with no instrument -----------------------------
@pytest.mark.parametrize(
    ("text", "holder", "verdict"),
    [
        ("Foreign holdings of Treasuries hit $9.36 trillion in November, the most since records began.",
         "Grand Total", "supported"),
        ("Japan's Treasury holdings were $1.2027 trillion in November, the highest since records began.", "Japan",
         "contradicted"),
        ("外國投資者持有的美債11月升至9兆3593億美元，為有紀錄以來最高。", "Grand Total", "supported"),
        ("日本11月持有美债12027亿美元，为有数据以来最高。", "Japan", "contradicted"),
    ],
)  # fmt: skip
def test_the_most_since_records_began_is_a_record(text: str, holder: str, verdict: str, checker: Checker) -> None:
    record = one(text, LATE_TIC_DAY, checker, "record_high")
    assert (record.holder, record.period, record.verdict) == (holder, "2025-11", verdict)


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("China held $683.5 billion of Treasuries in December, less than half of its 2013 peak.", "contradicted"),
        ("China held $683.5 billion of Treasuries in December, about half of its November 2013 peak.", "supported"),
        ("中國12月持有美債6835億美元，不到2013年峰值的一半。", "contradicted"),
        ("中国12月持有美债6835亿美元，超过巅峰时的一半。", "supported"),
    ],
)
def test_a_fraction_of_the_peak_is_a_fall_from_it(text: str, verdict: str, checker: Checker) -> None:
    fall = one(text, LATE_TIC_DAY, checker, "decline_from_peak_pct")
    assert (fall.holder, fall.period, fall.verdict) == ("China, Mainland", "2025-12", verdict)


@pytest.mark.parametrize(
    "text",
    [
        "2025财年美国联邦净利息支出9699亿美元。中国稀土矿产量约占全球的69%。",
        "Net interest reached $970 billion in fiscal 2025. China accounts for about 69% of rare-earth mining.",
    ],
)
def test_a_share_in_a_sentence_with_no_instrument_has_no_holder(text: str, checker: Checker) -> None:
    share = one(text, LATE_TIC_DAY, checker, quote="69%")
    assert (share.holder, share.verdict) == (None, "not_checkable")


# -- the reason of a `revised` verdict says what cannot be told ---------------------------------------------------
def test_a_revised_verdict_says_a_first_release_cannot_be_told_from_an_error(checker: Checker) -> None:
    claim = one("Japan cut its Treasury holdings by $27.2 billion in December.", date(2026, 3, 9), checker,
                "monthly_change")
    assert claim.verdict == "revised"
    assert "cannot tell a first release from an error for 2025-12" in claim.reason


# -- 9. a transcript: amounts and fiscal years spelled out, a rank said as a number, fillers -----------------------
@pytest.mark.parametrize(
    ("text", "measure", "value", "verdict"),
    [
        ("So China's holdings of Treasuries were six hundred eighty-three point five billion dollars in December.",
         "holdings_level", 683.5, "supported"),
        ("China's Treasury holdings were six hundred eighty-three point five billion dollars in December. That's "
         "down from roughly seven hundred sixty billion a year earlier.", "holdings_level", 760.0, "supported"),
        ("Japan held one point one eight five five trillion dollars of Treasuries in December.", "holdings_level",
         1185.5, "supported"),
        ("Total foreign holdings of Treasuries were roughly nine point four trillion in November.", "holdings_level",
         9400.0, "supported"),
        ("Net interest was nine hundred fifty billion dollars in fiscal twenty twenty-five.", "net_interest", 950.0,
         "contradicted"),
        ("Net interest came to about eighteen and a half percent of federal revenue in fiscal twenty twenty-five.",
         "net_interest_pct_revenue", 18.5, "supported"),
    ],
)  # fmt: skip
def test_amounts_spelled_out_in_a_transcript(text: str, measure: str, value: float, verdict: str,
                                             checker: Checker) -> None:
    claim = [c for c in claims_of(text, date(2026, 2, 24), checker) if c.measure == measure][-1]
    assert (claim.value, claim.verdict) == (value, verdict)


def test_a_spoken_rank_a_spoken_fiscal_year_and_a_filler(checker: Checker) -> None:
    rank = one("Japan held Treasuries worth $1,185.5 billion in December. Japan is still number one.",
               date(2026, 2, 24), checker, "rank")
    assert (rank.holder, rank.value, rank.verdict) == ("Japan", 1, "supported")
    wrong = one("Britain held $866.0 billion of Treasuries in December, and Britain was number one.",
                date(2026, 2, 24), checker, "rank")
    assert wrong.verdict == "contradicted"
    year = one("Net interest was nine hundred seventy billion dollars in fiscal twenty twenty-four.",
               date(2026, 2, 24), checker, "net_interest")
    assert (year.period, year.verdict) == ("FY2024", "contradicted")
    # ", uh," does not cut the change verb from its figure: a fall, not a level
    cut = one("Japan held $1,185.5 billion of Treasuries in December. But they dumped, uh, seventeen point two "
              "billion in December alone.", date(2026, 2, 24), checker, "monthly_change")
    assert (cut.value, cut.verdict) == (-17.2, "supported")
    # words that are no amount are not read: counts, an episode number
    assert claims_of("It's episode forty-seven, and we got about three hundred listener emails.", date(2026, 2, 24),
                     checker) == []
