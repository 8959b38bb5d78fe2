"""Claims check: defects found by the tenth held-out review (a wire, an op-ed on the budget, a bank's rates note, a
state-media commentary, a research note, a Hong Kong column, a Taiwan explainer).

Each test states the general rule it checks, with guards for the behaviour that must not change: a figure given as
CBO's projection is checked against its baseline; a figure stated to the 億's digit keeps that digit's rounding.
"""

from __future__ import annotations

from datetime import date

import pytest
from claims_support import one

from geostress.analytics.claims.check import Checker

#: After CBO's February 2026 baseline (FY2026 net interest 1,039.0; FY2036 2,144.3, debt 56,152.4), FY2026 not over.
MARCH_2026 = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("text", "when", "quote", "verdict", "reason"),
    [
        ("據統計，美國2024財年的淨利息支出為8800億美元。", date(2025, 9, 20), "8800億", "supported", None),
        ("统计显示，美国2023财年净利息支出约为6580亿美元。", MARCH_2026, "6580亿", "supported", None),
        ("美国2025财年净利息支出为9700亿美元。", MARCH_2026, "9700亿", "supported", None),
        # guards: a round figure in 亿 is as wide as the English one, no wider; digits to the 亿 keep their rounding
        ("美国2025财年净利息支出为9600亿美元。", MARCH_2026, "9600亿", "contradicted", "wrong_value"),
        ("美国2025财年净利息支出为9693亿美元。", MARCH_2026, "9693亿", "contradicted", "wrong_value"),
        ("美国2025财年净利息支出为9699亿美元。", MARCH_2026, "9699亿", "supported", None),
    ],
)  # fmt: skip
def test_a_whole_number_of_billions_written_in_yi_is_rounded_to_the_billion(
        text: str, when: date, quote: str, verdict: str, reason: str | None, checker: Checker) -> None:
    claim = one(text, when, checker, quote=quote)
    assert (claim.verdict, claim.reason) == (verdict, reason), (claim.measure, claim.official_value, claim.note)


@pytest.mark.parametrize(
    ("text", "quote", "verdict", "reason"),
    [
        ("In fiscal 2026, net interest outlays reached $1.04 trillion, the budget office says.", "$1.04",
         "contradicted", "projection_as_actual"),
        ("Net interest totaled $1.04 trillion in fiscal 2026.", "$1.04", "contradicted", "projection_as_actual"),
        ("今年，2026财年的净利息支出已达1.04万亿美元。", "1.04万亿", "contradicted", "projection_as_actual"),
        ("2026財年淨利息支出達到了1.04萬億美元。", "1.04萬億", "contradicted", "projection_as_actual"),
        # guards: a projection stated as one is checked against the baseline; a year that is over is an actual
        ("Net interest is projected to reach $1.04 trillion in fiscal 2026.", "$1.04", "supported", None),
        ("CBO expects net interest of $1.04 trillion in fiscal 2026.", "$1.04", "supported", None),
        ("Net interest will hit $1.04 trillion in fiscal 2026.", "$1.04", "supported", None),
        ("预计2026财年净利息支出将达1.04万亿美元。", "1.04万亿", "supported", None),
        ("Net interest reached $970 billion in fiscal 2025.", "$970", "supported", None),
    ],
)  # fmt: skip
def test_a_year_not_yet_over_stated_as_an_outcome_is_a_projection_as_actual(
        text: str, quote: str, verdict: str, reason: str | None, checker: Checker) -> None:
    claim = one(text, MARCH_2026, checker, quote=quote)
    assert (claim.verdict, claim.reason) == (verdict, reason), (claim.measure, claim.official_value, claim.note)


@pytest.mark.parametrize(
    ("text", "quote", "measure", "period", "verdict"),
    [
        ("The budget office projects that net interest will climb to $2.1 trillion in 2036, with debt held by the "
         "public at $56.2 trillion that year.", "$56.2", "debt_held_by_public", "FY2036", "supported"),
        ("The budget office projects that net interest will climb to $2.1 trillion in 2036, with debt held by the "
         "public at $56.2 trillion that year.", "$2.1", "net_interest", "FY2036", "supported"),
        ("CBO projects debt held by the public of $56.2 trillion in 2036 and net interest of $2.1 trillion.", "$2.1",
         "net_interest", "FY2036", "supported"),
        ("CBO projects debt held by the public of $56.2 trillion in 2036 and net interest of $1.5 trillion.", "$1.5",
         "net_interest", "FY2036", "contradicted"),
    ],
)  # fmt: skip
def test_the_year_of_a_budget_figure_carries_to_the_next_budget_figure_of_its_sentence(
        text: str, quote: str, measure: str, period: str, verdict: str, checker: Checker) -> None:
    claim = one(text, MARCH_2026, checker, quote=quote)
    assert (claim.measure, claim.period, claim.verdict) == (measure, period, verdict), (claim.official_value,
                                                                                        claim.note)


@pytest.mark.parametrize(
    ("text", "quote", "verdict"),
    [
        ("Analysts reckon a one-percentage-point rise in rates would add $300 billion a year to interest costs.",
         "$300", "not_checkable"),
        ("If rates stay high, net interest costs could rise by $400 billion.", "$400", "not_checkable"),
        ("如果利率上升一个百分点，每年的利息支出将增加3500亿美元。", "3500亿", "not_checkable"),
        ("若利率再升一厘，淨利息支出每年將多出3000億美元。", "3000億", "not_checkable"),
        # guards: a projection's "would" is not a condition; an observed figure is checked
        ("CBO projected in January 2025 that net interest would total $952 billion in fiscal 2025.", "$952",
         "supported"),
        ("Net interest was $970 billion in fiscal 2025.", "$970", "supported"),
    ],
)  # fmt: skip
def test_a_hypothetical_budget_figure_is_not_checkable(text: str, quote: str, verdict: str, checker: Checker) -> None:
    claim = one(text, MARCH_2026, checker, quote=quote)
    assert claim.verdict == verdict, (claim.measure, claim.reason, claim.note)


@pytest.mark.parametrize(
    ("text", "quote", "verdict"),
    [
        ("Debt held by the public stood at $30.2 trillion at the end of fiscal 2025, about 99% of GDP.", "99%",
         "supported"),
        ("2025财年公众持有的债务占GDP比重为99.4%。", "99.4%", "supported"),
        ("2025財年由公眾持有的債務佔GDP的比重約為99.4%。", "99.4%", "supported"),
        ("2025财年公众持有的债务占GDP比重为97.4%。", "97.4%", "contradicted"),
        # guard: gross debt is not in the store
        ("Gross federal debt was 120% of GDP in fiscal 2025.", "120%", "not_checkable"),
    ],
)  # fmt: skip
def test_debt_held_by_the_public_as_a_share_of_gdp_is_checked(text: str, quote: str, verdict: str,
                                                              checker: Checker) -> None:
    claim = one(text, MARCH_2026, checker, quote=quote)
    assert claim.verdict == verdict, (claim.measure, claim.official_value, claim.reason, claim.note)
    if verdict != "not_checkable":
        assert (claim.measure, claim.period) == ("debt_pct_gdp", "FY2025")


@pytest.mark.parametrize(
    ("text", "quote", "verdict", "reason"),
    [
        ("美國2025財年的淨利息支出預估約9520億美元。", "9520億", "supported", None),
        ("Net interest is expected to total about $952 billion in fiscal 2025.", "$952", "supported", None),
        ("美國2025財年的淨利息支出已達9520億美元。", "9520億", "contradicted", "projection_as_actual"),
    ],
)  # fmt: skip
def test_a_fiscal_year_not_over_at_the_article_date_is_checked_against_the_projection(
        text: str, quote: str, verdict: str, reason: str | None, checker: Checker) -> None:
    # September 2025: FY2025 (CBO's January 2025 baseline: 952.3) has not ended, though the store now holds its
    # actual (969.9): an estimate is compared with the projection known then, not called a projection as actual
    claim = one(text, date(2025, 9, 19), checker, quote=quote)
    assert (claim.verdict, claim.reason) == (verdict, reason), (claim.official_value, claim.note)


@pytest.mark.parametrize(
    ("text", "when", "quote", "verdict", "reason"),
    [
        ("The federal deficit came to $1.78 trillion in fiscal 2025.", MARCH_2026, "$1.78", "supported", None),
        ("The deficit in fiscal 2024 was $1.63 trillion.", MARCH_2026, "$1.63", "contradicted", "wrong_value"),
        ("The budget deficit was 5.9% of GDP in fiscal 2025.", MARCH_2026, "5.9%", "supported", None),
        ("CBO projects the deficit will be $1.5 trillion in fiscal 2026.", MARCH_2026, "$1.5", "contradicted",
         "wrong_value"),
        ("2026财年联邦赤字已达1.86万亿美元。", date(2026, 6, 10), "1.86万亿", "contradicted", "projection_as_actual"),
        ("2024財年聯邦赤字為1.84兆美元。", date(2025, 9, 20), "1.84兆", "supported", None),
        # guards: a trade deficit, a month's deficit and a change in the deficit are not a fiscal year's deficit
        ("The US trade deficit was $918 billion in 2024.", MARCH_2026, "$918", "not_checkable", None),
        ("The federal government ran a deficit of $129 billion in January.", MARCH_2026, "$129", "not_checkable", None),
        ("The budget deficit narrowed by $56 billion in fiscal 2025.", MARCH_2026, "$56", "not_checkable", None),
    ],
)  # fmt: skip
def test_a_fiscal_year_deficit_is_checked(text: str, when: date, quote: str, verdict: str, reason: str | None,
                                          checker: Checker) -> None:
    claim = one(text, when, checker, quote=quote)
    assert claim.verdict == verdict, (claim.measure, claim.official_value, claim.reason, claim.note)
    if verdict == "contradicted":
        assert claim.reason == reason
