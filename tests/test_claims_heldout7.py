"""Claims check: a yield the text states as a month's average is checked to its rounding (seventh held-out review).

A month's yield figure may be any quote of that month, so it is allowed a few tenths from the month's average (the
monthly series, FRED GS10: the average of business days). A text that says the figure *is* the average ("averaged
4.27% in February", 2月平均为4.21%) states that average, as a year's "averaged 4.3% in 2025" does: it is checked to
its own rounding. The review found 4.21% (January's average) and 4.27% supported against February 2026's 4.13.
"""

from __future__ import annotations

from datetime import date

import pytest
from claims_support import one

from geostress.analytics.claims.check import Checker

#: After February 2026's monthly averages were published.
DAY = date(2026, 3, 9)


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("The 10-year Treasury yield averaged 4.27% in February.", "contradicted"),
        ("利率方面，10年期美债收益率2月平均为4.21%。", "contradicted"),
        ("10年期美債收益率2月平均為4.21%。", "contradicted"),
        ("The 10-year yield's February average was 4.2%.", "contradicted"),
        # guards: the average itself, at its rounding, and a month's figure not said to be its average
        ("The 10-year Treasury yield averaged 4.13% in February.", "supported"),
        ("The 10-year Treasury yield averaged 4.1% in February.", "supported"),
        ("10年期美债收益率2月平均为4.13%。", "supported"),
        ("The 10-year Treasury yield was 4.27% in February.", "supported"),
    ],
)  # fmt: skip
def test_a_stated_monthly_average_is_checked_to_its_rounding(text: str, verdict: str, checker: Checker) -> None:
    claim = one(text, DAY, checker)
    assert claim.measure == "yield" and claim.period == "2026-02", (claim.measure, claim.period)
    assert claim.official_value == pytest.approx(4.13)
    assert claim.verdict == verdict, (claim.quote, claim.official_value, claim.reason, claim.note)


#: After the TIC release of December 2025 (published 2026-02-18) and before the next.
DAY_MARCH = date(2026, 3, 20)


@pytest.mark.parametrize(
    "text",
    [
        "业内人士预计，未来数月中国持有美债规模将大体稳定在6800亿美元上下。",
        "業內人士預計，未來數月中國持有美債規模將大體穩定在6800億美元上下。",
        "Analysts expect China's holdings to stabilise at around $680 billion in the coming months.",
        "China's holdings are likely to fall to $650 billion.",
        "China's holdings will probably stabilise at $680 billion.",
    ],
)  # fmt: skip
def test_a_forecast_is_not_checked_as_the_current_level(text: str, checker: Checker) -> None:
    claim = one(text, DAY, checker)
    assert claim.verdict == "not_checkable" and claim.measure is None, (claim.quote, claim.measure, claim.verdict)
    assert claim.reason == "a forecast: not an observed figure"


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        # guards: observed figures, "will" outside the figure's clause, "than expected" (past)
        ("China's holdings fell more than expected to $683.5 billion in December.", "supported"),
        ("China's holdings were $683.5 billion in December, and analysts say they will keep falling.", "supported"),
        ("Data Treasury will revise show China's holdings were $683.5 billion in December.", "supported"),
        ("中国12月持有美债6835亿美元，分析人士预计未来将继续减持。", "supported"),
    ],
)  # fmt: skip
def test_an_observed_figure_near_a_forecast_is_still_checked(text: str, verdict: str, checker: Checker) -> None:
    claim = one(text, DAY, checker, measure="holdings_level")
    assert claim.period == "2025-12" and claim.verdict == verdict, (claim.quote, claim.verdict, claim.reason)


@pytest.mark.parametrize(
    "text",
    [
        "Analysts noted that China's holdings are now roughly half of their November 2013 peak, when they topped "
        "$1.3 trillion.",
        "China's holdings are well below their November 2013 peak, when they stood at $1.32 trillion.",
        # guard: the peak stated directly
        "China's holdings peaked at $1.3 trillion in November 2013.",
    ],
)  # fmt: skip
def test_a_figure_referring_back_to_a_peak_is_the_peak(text: str, checker: Checker) -> None:
    claim = one(text, DAY_MARCH, checker, quote="trillion")
    assert claim.measure == "holdings_peak", (claim.quote, claim.measure, claim.period)
    assert claim.verdict == "supported" and claim.official_value == pytest.approx(1316.7), (claim.verdict, claim.reason)


def test_a_peak_referred_back_to_is_checked_against_the_peak(checker: Checker) -> None:
    claim = one("China's holdings are well below their November 2013 peak, when they stood at $1.1 trillion.",
                DAY_MARCH, checker, quote="trillion")
    assert claim.measure == "holdings_peak" and claim.verdict == "contradicted", (claim.measure, claim.verdict)


@pytest.mark.parametrize(
    "text",
    [
        "Japan's holdings rose as domestic investors chased higher U.S. yields. Britain, the second-largest holder, "
        "held $889.0 billion in December, the data showed.",
        # guard: the same without the yields sentence
        "Japan's holdings rose. Britain, the second-largest holder, held $889.0 billion in December, the data showed.",
    ],
)  # fmt: skip
def test_a_holders_amount_keeps_treasuries_after_a_sentence_on_yields(text: str, checker: Checker) -> None:
    claim = one(text, DAY_MARCH, checker, quote="889")
    assert claim.measure == "holdings_level" and claim.period == "2025-12", (claim.measure, claim.reason)
    assert claim.verdict == "contradicted" and claim.official_value == pytest.approx(866.0), claim.note


def test_a_yield_after_a_sentence_on_yields_stays_a_yield(checker: Checker) -> None:
    claim = one("Investors chased higher U.S. yields. The 10-year yield averaged 4.13% in February.", DAY, checker,
                quote="4.13")
    assert claim.measure == "yield" and claim.verdict == "supported", (claim.measure, claim.verdict)
