"""Claims check: defects found by the eighth held-out review (a "key numbers" explainer, a live blog, a Xinhua-style
commentary, a Hong Kong column, a TV transcript).

Each test states the general rule it checks, with guards for the behaviour that must not change: a figure that
labels its line takes the holder named after its colon; "last year"/去年 dates a yield as that whole year; the
article's session ("finished the session", "Closing:", a live blog's new timestamped entry) is not dated by a day
named for an earlier yield; a yield after "；" keeps the month of the yield before it; a base framed at the head of
the sentence (与2024年12月相比) is the base of the change; 按月 is a month-on-month cue; an attribution ending in a
forecast verb (有分析人士预计，) makes the figures after it a forecast; 其 after "一家…銀行表示，" is that
institution; the holder overtaken (超越中國, "overtook China") does not take the rank.
"""

from __future__ import annotations

from datetime import date

import pytest
from claims_support import claims_of, one

from geostress.analytics.claims.check import Checker

#: After the TIC release of December 2025 (published 2026-02-18).
DAY_FEB = date(2026, 2, 26)


@pytest.mark.parametrize(
    ("text", "holder", "verdict"),
    [
        ("- $1,185.5 billion: Japan's holdings of Treasuries in December 2025.", "Japan", "supported"),
        ("- $866.0 billion: the United Kingdom's Treasury holdings in December 2025.\n"
         "- $866.0 billion: Japan's holdings in December 2025.", "Japan", "contradicted"),
        ("* $9.27 trillion: total foreign holdings of Treasuries in December 2025.", "Grand Total", "supported"),
    ],
)  # fmt: skip
def test_a_figure_labelling_its_line_takes_the_holder_after_its_colon(text: str, holder: str, verdict: str,
                                                                      checker: Checker) -> None:
    claim = claims_of(text, DAY_FEB, checker)[-1]
    assert claim.measure == "holdings_level" and claim.holder == holder, (claim.quote, claim.holder, claim.reason)
    assert claim.period == "2025-12" and claim.verdict == verdict, (claim.verdict, claim.official_value)


def test_a_holder_before_the_figure_still_wins_over_a_colon(checker: Checker) -> None:
    # guard: the holder named before a figure in its own sentence (not a line's label)
    claim = one("Japan: $1,185.5 billion in December 2025, ahead of Britain's holdings.", DAY_FEB, checker,
                quote="1,185.5")
    assert claim.holder == "Japan" and claim.verdict == "supported", (claim.holder, claim.verdict)


#: The 2025 average of the 12 monthly values of fred.gs10 is 4.2917; 2025-12-31's close 4.18.
DAY_JAN = date(2026, 1, 21)


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("The 10-year yield averaged 4.26% last year.", "contradicted"),
        ("美国10年期国债收益率去年全年平均为4.26%。", "contradicted"),
        ("The 10-year yield averaged 4.29% last year.", "supported"),
        ("十年期孳息率去年全年平均約4.3厘。", "supported"),
    ],
)  # fmt: skip
def test_last_year_dates_a_yield_as_that_whole_year(text: str, verdict: str, checker: Checker) -> None:
    claim = one(text, DAY_JAN, checker)
    assert claim.measure == "yield" and claim.period == "2025", (claim.period, claim.period_note)
    assert claim.official_value == pytest.approx(4.2917, abs=1e-4) and claim.verdict == verdict, claim.reason


def test_a_yield_that_ended_last_year_is_its_last_close(checker: Checker) -> None:
    claim = one("The 10-year yield ended last year at 4.3%.", DAY_JAN, checker)
    assert claim.official_period == "2025-12-31" and claim.verdict == "contradicted", (claim.official_period,
                                                                                      claim.verdict)


def test_last_year_in_another_clause_does_not_date_todays_quote(checker: Checker) -> None:
    # guards: 去年同期 is a comparison, and "last year" in a clause about holdings is not the yield's
    for text in ("10年期美债收益率较去年同期下降，目前为4.26%。",
                 "China's holdings fell by $50 billion last year, while the 10-year yield stands at 4.26%."):
        claim = one(text, DAY_JAN, checker, measure="yield")
        assert claim.official_period == "2026-01-21" and claim.verdict == "supported", (text, claim.official_period)


#: A Friday; Thursday 2026-03-05 closed at 4.13 (10-year) and 3.57 (two-year), Friday at 4.15 and 3.56.
DAY_LIVE = date(2026, 3, 6)


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("The two-year note ended Thursday at 3.57%. Closing: the 10-year yield finished the session at 4.13%.",
         "contradicted"),
        ("The two-year note ended Thursday at 3.57%.\n16:00 ET - the 10-year yield finished the session at 4.15%.",
         "supported"),
        ("09:30 ET - The two-year note ended Thursday at 3.57%.\n16:00 ET - The 10-year yield closed at 4.13%.",
         "contradicted"),
    ],
)  # fmt: skip
def test_the_articles_session_is_not_dated_by_an_earlier_day(text: str, verdict: str, checker: Checker) -> None:
    claim = one(text, DAY_LIVE, checker, quote="4.1")
    assert claim.official_period == "2026-03-06" and claim.verdict == verdict, (claim.official_period, claim.verdict)


@pytest.mark.parametrize(
    "text",
    [
        "The two-year note ended Thursday at 3.57%. The 10-year stood at 4.13%.",
        "On Thursday the 10-year finished the session at 4.13%.",
        "据今日美国报道，周四10年期收益率收于3.57%。10年期收益率为4.13%。",  # 今日美国 (a newspaper) is not "today"
    ],
)  # fmt: skip
def test_a_day_named_for_a_yield_still_dates_the_next_one(text: str, checker: Checker) -> None:
    # guards: the documented carry, and a day stated in the session's own sentence
    claim = one(text, DAY_LIVE, checker, quote="4.13")
    assert claim.official_period == "2026-03-05" and claim.verdict == "supported", claim.official_period


#: After October 2025's monthly averages: gs10 4.06, gs2 3.52; dgs2 on 2026-01-05 was 3.46.
DAY_OCT = date(2026, 1, 5)


@pytest.mark.parametrize(
    "text",
    [
        "The 10-year Treasury yield averaged 4.06% in October; the two-year yield averaged 3.52%.",
        "- 4.06%: the average 10-year Treasury yield in October; the two-year yield averaged 3.52%.",
        "10年期美债收益率10月平均为4.06%；2年期平均为3.52%。",
    ],
)  # fmt: skip
def test_a_yield_after_a_semicolon_keeps_the_month_before_it(text: str, checker: Checker) -> None:
    first, second = claims_of(text, DAY_OCT, checker)
    assert first.measure == second.measure == "yield", (first.reason, second.reason)
    assert first.period == second.period == "2025-10", (first.period, second.period)
    assert second.official_value == pytest.approx(3.52) and second.verdict == "supported", second.reason


#: After the TIC release of December 2025: China 683.5 (December 2024: 759.0).
DAY_XINHUA = date(2026, 2, 20)


@pytest.mark.parametrize(
    ("text", "measure", "official"),
    [
        ("与2024年12月相比，中国持有的美债减少了755亿美元，降幅约为9.9%。", "annual_change", -75.5),
        ("与2024年12月相比，中国持有的美债减少了755亿美元，降幅约为9.9%。", "annual_change_pct", -9.947),
        ("Compared with December 2024, China's holdings fell by $75.5 billion.", "annual_change", -75.5),
    ],
)  # fmt: skip
def test_a_base_framed_at_the_head_of_the_sentence_is_the_changes_base(text: str, measure: str, official: float,
                                                                       checker: Checker) -> None:
    claim = one(text, DAY_XINHUA, checker, measure=measure)
    assert claim.period == "2025-12" and claim.official_value == pytest.approx(official, abs=1e-3), claim.reason
    assert claim.verdict == "supported", (claim.verdict, claim.reason)


#: After the TIC release of November 2025: China 683.9 (−3.8 on the month), Japan 1,202.7 (+2.7; +115.6 on the year).
@pytest.mark.parametrize(
    ("text", "quote", "official"),
    [
        ("中國內地11月持有美債6,839億美元，按月減少38億美元，按年減少約11%。", "38億", -3.8),
        ("日本持有美國國債12,027億美元，按月增加27億美元，按年增加1,156億美元。", "27億", 2.7),
    ],
)  # fmt: skip
def test_an_anyue_change_is_monthly_despite_a_later_annyear_cue(text: str, quote: str, official: float,
                                                               checker: Checker) -> None:
    claims = [c for c in claims_of(text, DAY_JAN, checker) if c.quote.startswith(quote)]
    assert len(claims) == 1, [c.quote for c in claims]
    claim = claims[0]
    assert claim.measure == "monthly_change" and claim.official_value == pytest.approx(official), claim.measure
    assert claim.verdict == "supported"
    annual = one(text, DAY_JAN, checker, measure="annual_change_pct" if "%" in text else "annual_change")
    assert annual.verdict == "supported", (annual.quote, annual.reason)


@pytest.mark.parametrize(
    "text",
    [
        "有分析人士预计，中国持有美债规模将在6500亿美元上下企稳。",
        "有分析人士預計，中國持有美債規模將在6500億美元上下企穩。",
        "Analysts expected, however, that China's holdings would stabilise at $650 billion.",
    ],
)  # fmt: skip
def test_a_forecast_verb_ending_an_attribution_makes_a_forecast(text: str, checker: Checker) -> None:
    claim = one(text, DAY_XINHUA, checker)
    assert claim.measure is None and claim.reason == "a forecast: not an observed figure", (claim.measure,
                                                                                           claim.verdict)


@pytest.mark.parametrize(
    "text",
    [
        "中国12月持有美债6835亿美元，分析人士预计未来将继续减持。",
        # guards: "than expected", 低于预期, 不及预期 before a comma are past, not an attribution of a forecast
        "China's holdings fell more than expected, to $683.5 billion in December.",
        "中国12月持有美债规模低于预期，为6835亿美元。",
        "中國12月持有美債規模不及預期，為6835億美元。",
    ],
)  # fmt: skip
def test_an_observed_figure_near_a_forecast_word_is_still_checked(text: str, checker: Checker) -> None:
    claim = one(text, DAY_XINHUA, checker)
    assert claim.measure == "holdings_level" and claim.verdict == "supported", (claim.measure, claim.reason)


def test_its_after_an_institution_is_that_institutions_holdings(checker: Checker) -> None:
    text = "中國內地持有美債6,839億美元。一家本地銀行表示，其持有的美債規模達120億美元。"
    claim = one(text, DAY_JAN, checker, quote="120億")
    assert claim.measure is None and claim.holder is None and "one institution" in str(claim.reason), claim.reason
    # guard: the country's figure before it
    assert one(text, DAY_JAN, checker, quote="6,839").verdict == "supported"


@pytest.mark.parametrize(
    ("text", "when", "period"),
    [
        ("英國7月持有美債8,960億美元，超越中國位居第二。", date(2025, 9, 19), "2025-07"),
        ("Britain overtook China to become the number two holder of Treasuries in March.", date(2025, 6, 18),
         "2025-03"),
    ],
)  # fmt: skip
def test_the_holder_overtaken_does_not_take_the_rank(text: str, when: date, period: str, checker: Checker) -> None:
    claim = one(text, when, checker, measure="rank")
    assert claim.holder == "United Kingdom" and claim.period == period, (claim.holder, claim.period)
    assert claim.value == 2 and claim.verdict == "supported", (claim.value, claim.verdict)


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("The two-year note ended Thursday at 3.57%, up from 3.42% a week earlier.", "supported"),
        ("The two-year note ended Thursday at 3.57%, up from 3.38% a week earlier.", "contradicted"),
    ],
)  # fmt: skip
def test_a_base_yield_a_week_earlier_is_that_days_close(text: str, verdict: str, checker: Checker) -> None:
    # Thursday 2026-03-05 less seven days: 2026-02-26 (3.42)
    claim = one(text, DAY_LIVE, checker, quote="3.3" if "3.38" in text else "3.42")
    assert claim.official_period == "2026-02-26" and claim.verdict == verdict, (claim.official_period, claim.verdict)


def test_a_possessive_record_is_checked_as_a_record(checker: Checker) -> None:
    text = ("Foreign investors held $9.27 trillion of Treasuries in December, just below November's record of "
            "$9.36 trillion.")
    claim = one(text, DAY_FEB, checker, measure="record_high")
    assert claim.holder == "Grand Total" and claim.period == "2025-11" and claim.verdict == "supported", claim.reason
    wrong = one(text.replace("November's record of $9.36", "October's record of $9.23"), DAY_FEB, checker,
                measure="record_high")
    assert wrong.period == "2025-10" and wrong.verdict == "contradicted", (wrong.period, wrong.verdict)
    # the month in the possessive is the record's, not that of the level before it
    bare = one("Foreign holdings fell to $9.27tn in Dec, down from Nov's record.", DAY_FEB, checker,
               measure="record_high")
    assert bare.period == "2025-11" and bare.verdict == "supported", (bare.period, bare.verdict)
