"""Claims check: defects found by the ninth held-out review (a Q&A explainer, a thread, a research note with a
table, a correction notice, a WeChat article, a Japan-China comparison, a HK TV transcript, a Taiwan column).

Each test states the general rule it checks, with guards for the behaviour that must not change: SAFE's gold figures
are exact whole 万盎司, so a figure stated to that digit must match (a rounded one gets its own rounding); 我国 and a
bare 央行 in a simplified-Chinese text are China.
"""

from __future__ import annotations

from datetime import date

import pytest
from claims_support import claims_of, one

from geostress.analytics.claims.check import Checker

#: After SAFE's January 2026 figure (74.19 Moz; December 74.15, November 74.12).
DAY_GOLD = date(2026, 2, 19)


@pytest.mark.parametrize(
    ("text", "when", "quote", "verdict", "reason"),
    [
        ("中国1月末黄金储备为7419万盎司，环比增加3万盎司。", DAY_GOLD, "3万", "contradicted", "wrong_period"),
        ("中国1月末黄金储备为7419万盎司，环比增加5万盎司。", DAY_GOLD, "5万", "contradicted", "wrong_value"),
        ("中国1月末黄金储备为7419万盎司，环比增加4万盎司。", DAY_GOLD, "4万", "supported", None),
        ("中国1月末黄金储备为7418万盎司。", DAY_GOLD, "7418万", "contradicted", "wrong_value"),
        ("中国1月末黄金储备为7419万盎司。", DAY_GOLD, "7419万", "supported", None),
        ("China's gold reserves stood at 74.14 million ounces at the end of December.", date(2026, 1, 10), "74.14",
         "contradicted", "wrong_value"),
        ("中国6月末黄金储备为7544万盎司，比去年底增加128万盎司。", date(2026, 7, 10), "128万", "contradicted",
         "wrong_value"),
        # guards: a rounded statement gets its own rounding; tonnes are a conversion (the source's rounding adds)
        ("China's gold reserves stood at 74.2 million ounces at the end of December.", date(2026, 1, 10), "74.2",
         "supported", None),
        ("China's gold reserves stood at 2,306 tonnes at the end of December.", date(2026, 1, 10), "2,306",
         "supported", None),
        ("中国5月末黄金储备为7496万盎司，约2331吨。", date(2026, 6, 8), "2331", "supported", None),
    ],
)  # fmt: skip
def test_safe_gold_is_exact_to_its_whole_wan_ounces(text: str, when: date, quote: str, verdict: str,
                                                    reason: str | None, checker: Checker) -> None:
    claim = one(text, when, checker, quote=quote)
    assert (claim.verdict, claim.reason) == (verdict, reason), (claim.measure, claim.official_value, claim.note)


@pytest.mark.parametrize(
    ("text", "quote", "verdict"),
    [
        ("截至2026年5月末，我国黄金储备为7496万盎司，环比增加32万盎司。", "7496万", "supported"),
        ("截至2026年5月末，我国黄金储备为7496万盎司，环比增加32万盎司。", "32万", "supported"),
        ("截至2026年5月末，我国黄金储备约2331吨。今年以来，央行累计增持黄金81万盎司。", "81万", "supported"),
        ("截至2026年5月末，我国黄金储备约2331吨。3月份央行增持6万盎司。", "6万", "contradicted"),
        ("2026年3月，央行增持黄金16万盎司。", "16万", "supported"),
    ],
)  # fmt: skip
def test_our_country_and_the_central_bank_of_a_mainland_text_are_china(text: str, quote: str, verdict: str,
                                                                       checker: Checker) -> None:
    claim = one(text, date(2026, 6, 8), checker, quote=quote)
    assert claim.holder == "China, Mainland" and claim.verdict == verdict, (claim.holder, claim.reason, claim.note)


@pytest.mark.parametrize(
    "text",
    ["全球央行继续增持黄金，5月增持32万盎司。", "台灣央行黃金儲備為423.6萬盎司。",
     "央行黃金儲備維持不變，為423.6萬盎司。"],
)
def test_another_central_bank_is_not_china(text: str, checker: Checker) -> None:
    # guard: 全球央行 (preceded by a Han character) and 央行 in a traditional-Chinese text are not the PBoC
    for claim in claims_of(text, date(2026, 6, 8), checker):
        assert claim.holder != "China, Mainland", (claim.quote, claim.holder)


#: After the TIC release of December 2025 (Grand Total: November 9,359.3, December 9,271.0).
DAY_FEB = date(2026, 2, 27)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Foreign holdings of Treasuries topped $9.35 trillion in December.", "wrong_period"),
        ('An official said that "foreign demand has never been stronger, with foreign holdings topping $9.35 trillion '
         'in December." The official also said net interest costs were $1.1 trillion last fiscal year.',
         "wrong_period"),
    ],
)  # fmt: skip
def test_a_bound_that_holds_for_a_neighbouring_month_is_a_date_error(text: str, reason: str,
                                                                      checker: Checker) -> None:
    claim = one(text, DAY_FEB, checker, quote="9.35")
    assert claim.measure == "holdings_level" and claim.holder == "Grand Total", (claim.measure, claim.holder)
    assert (claim.verdict, claim.reason) == ("contradicted", reason), (claim.verdict, claim.reason, claim.note)


def test_a_bound_that_holds_is_still_supported(checker: Checker) -> None:
    # guard: "topped $9.25 trillion in December" (9,271.0) holds
    claim = one("Foreign holdings of Treasuries topped $9.25 trillion in December.", DAY_FEB, checker, quote="9.25")
    assert claim.verdict == "supported", (claim.reason, claim.note)


def test_a_full_stop_inside_closing_quotes_ends_the_sentence() -> None:
    from geostress.analytics.claims.extract import iter_sentences

    text = 'He said "holdings rose to $9.35 trillion." The official also said net interest was $1.1 trillion.'
    assert [s for _o, s in iter_sentences(text)] == ['He said "holdings rose to $9.35 trillion."',
                                                     " The official also said net interest was $1.1 trillion."]


#: China's holdings have been below $700 billion from 2025-07 to 2025-12 (June 2025: 731.4): a run of six months.
DAY_MAR = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("China's Treasury holdings have been below $700 billion for ten consecutive months.", "contradicted"),
        ("中國持有美債已連續十個月低於7000億美元。", "contradicted"),
        ("中國持有美債已連續六個月低於7000億美元。", "supported"),
        ("China's holdings have stayed under $700 billion for six straight months.", "supported"),
    ],
)  # fmt: skip
def test_a_run_below_a_threshold_checks_its_length(text: str, verdict: str, checker: Checker) -> None:
    claim = one(text, DAY_MAR, checker, measure="streak_months_below_threshold")
    assert claim.holder == "China, Mainland" and claim.verdict == verdict, (claim.official_value, claim.note)
    # the bound is the run's threshold, not a level claim of its own that would be supported alone
    assert not [c for c in claims_of(text, DAY_MAR, checker) if c.measure == "holdings_level"]


def test_a_threshold_crossed_in_a_run_of_sales_is_still_a_level(checker: Checker) -> None:
    # guard: 跌破 is the month's crossing, a level claim beside a run of sales
    claims = claims_of("中国连续三个月减持美债，跌破7000亿美元。", DAY_MAR, checker)
    assert {c.measure for c in claims} == {"streak_months_decline", "holdings_level"}, [c.measure for c in claims]


@pytest.mark.parametrize(
    ("text", "when", "quote", "measure"),
    [
        ("China's Treasury holdings fell by $75.5 billion over 2025, a decline of about 10%.", date(2026, 2, 20),
         "75.5", "annual_change"),
        ("China's Treasury holdings fell by $75.5 billion over 2025, a decline of about 10%.", date(2026, 2, 20),
         "10%", "annual_change_pct"),
        ("中国2025年全年减持美债755亿美元。", date(2026, 2, 20), "755", "annual_change"),
        ("与一年前相比，日本增持美债1240亿美元，而中国减持755亿美元。", date(2026, 2, 25), "755", "annual_change"),
        ("Compared with a year earlier, Japan added $124.0 billion of Treasuries while China shed $75.5 billion.",
         date(2026, 2, 25), "75.5", "annual_change"),
        ("日本持有美債11855億美元，持有量一年內增加11.7%。", DAY_MAR, "11.7", "annual_change_pct"),
    ],
)  # fmt: skip
def test_a_change_over_a_year_is_the_years_change(text: str, when: date, quote: str, measure: str,
                                                  checker: Checker) -> None:
    claim = one(text, when, checker, quote=quote)
    assert claim.measure == measure and claim.verdict == "supported", (claim.measure, claim.official_value)


def test_a_month_named_with_its_year_stays_a_months_change(checker: Checker) -> None:
    # guard: "in December 2025" is that month's change (-0.4)
    claim = one("China's Treasury holdings fell by $0.4 billion in December 2025.", date(2026, 2, 20), checker,
                quote="0.4")
    assert claim.measure == "monthly_change" and claim.verdict == "supported", (claim.measure, claim.reason)


@pytest.mark.parametrize(
    ("text", "when", "quote", "verdict", "reason"),
    [
        # the tenor named right after the figure ("for the 2-year"): 2025's mean of gs2 is 3.81
        ("The 10-year yield averaged 4.29% in 2025, against 3.81% for the 2-year.", date(2026, 3, 5), "3.81",
         "supported", None),
        ("The 10-year yield averaged 4.29% in 2025, against 3.81% for the 2-year.", date(2026, 3, 5), "4.29",
         "supported", None),
        # a tenor as the subject of "averaged" is a yield; January's average (3.54) stated for February (3.47)
        ("The 2-year averaged 3.54% in February.", date(2026, 3, 10), "3.54", "contradicted", "wrong_period"),
        ("The 2-year averaged 3.47% in February.", date(2026, 3, 10), "3.47", "supported", None),
        ("The 2-year yield averaged 3.60% in February.", date(2026, 3, 10), "3.60", "contradicted", "wrong_value"),
    ],
)  # fmt: skip
def test_a_yields_tenor_and_month(text: str, when: date, quote: str, verdict: str, reason: str | None,
                                  checker: Checker) -> None:
    claim = one(text, when, checker, quote=quote)
    assert claim.measure == "yield" and claim.verdict == verdict, (claim.series, claim.official_value, claim.note)
    assert reason is None or claim.reason == reason, claim.reason


@pytest.mark.parametrize(
    ("text", "quote", "holder"),
    [
        ("China held $683.5 billion of Treasuries in December, behind Britain's $866.0 billion.", "866.0",
         "United Kingdom"),
        ("中国12月持有美债6835亿美元，落后于英国的8660亿美元。", "8660", "United Kingdom"),
        ("China held $683.5 billion of Treasuries in December, behind Britain's $866.0 billion.", "683.5",
         "China, Mainland"),
    ],
)  # fmt: skip
def test_a_possessive_right_before_a_figure_is_its_holder(text: str, quote: str, holder: str,
                                                          checker: Checker) -> None:
    claim = one(text, date(2026, 2, 20), checker, quote=quote)
    assert claim.holder == holder and claim.verdict == "supported", (claim.holder, claim.reason)


def test_the_base_of_a_share_of_gdp_is_the_share_at_the_base(checker: Checker) -> None:
    # FY2024: 879.9 / 28,947.9 = 3.04% of GDP (not a growth rate of net interest)
    claim = one("Net interest equaled 3.2% of GDP in fiscal 2025, up from 3.0% in fiscal 2024.", DAY_FEB, checker,
                quote="3.0")
    assert (claim.measure, claim.period, claim.verdict) == ("net_interest_pct_gdp", "FY2024", "supported"), (
        claim.measure, claim.period, claim.official_value)


@pytest.mark.parametrize(
    ("text", "when", "verdict", "reason"),
    [
        # stated as CBO's January 2025 projection (952.3 for FY2025): right, not a projection taken for the outcome
        ("The Congressional Budget Office projected in January 2025 that net interest would total $952 billion in "
         "fiscal 2025.", DAY_FEB, "supported", None),
        ("CBO projected in January 2025 that net interest would total $990 billion in fiscal 2025.", DAY_FEB,
         "contradicted", "wrong_value"),
        # stated as the outcome: the projection in both languages (CBO's tables print whole billions: 9520億 is 952)
        ("有議員表示，2025財年淨利息支出達到9520億美元。", DAY_GOLD, "contradicted", "projection_as_actual"),
        ("A lawmaker said net interest reached $952 billion in fiscal 2025.", DAY_GOLD, "contradicted",
         "projection_as_actual"),
    ],
)  # fmt: skip
def test_a_cbo_projection_reported_as_one(text: str, when: date, verdict: str, reason: str | None,
                                          checker: Checker) -> None:
    claim = one(text, when, checker, measure="net_interest")
    assert (claim.verdict, claim.reason) == (verdict, reason), (claim.official_value, claim.vintage, claim.note)


def test_a_grand_total_row_of_a_text_table_is_read(checker: Checker) -> None:
    text = ("Figures in USD billions.\nHolder | Nov 2025 | Dec 2025\nJapan | 1,202.7 | 1,185.5\n"
            "Grand Total | 9,359.3 | 9,999.0")
    claims = [c for c in claims_of(text, date(2026, 3, 5), checker) if c.holder == "Grand Total"]
    assert [(c.period, c.verdict) for c in claims] == [("2025-11", "supported"), ("2025-12", "contradicted")], [
        (c.quote, c.holder) for c in claims_of(text, date(2026, 3, 5), checker)]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # +12.67% is November's change (419.1 → 472.2); December's is -0.85%
        ("Canada's Treasury holdings jumped 12.7% in December from the month before.", "wrong_period"),
        ("Canada's Treasury holdings jumped 15.0% in December from the month before.", "wrong_value"),
    ],
)
def test_a_percentage_change_of_a_neighbouring_month_is_a_date_error(text: str, reason: str,
                                                                      checker: Checker) -> None:
    claim = one(text, DAY_FEB, checker, measure="monthly_change_pct")
    assert (claim.verdict, claim.reason) == ("contradicted", reason), (claim.official_value, claim.note)


def test_a_mainland_headline_streak_by_the_central_bank_is_chinas(checker: Checker) -> None:
    # the reason is the partial streak (SAFE's monthly data start in 2025-01), not a missing holder
    claim = one("央行连续第19个月增持黄金", date(2026, 6, 8), checker)
    assert claim.verdict == "not_checkable" and claim.reason.startswith("partial"), claim.reason


def test_a_rank_after_it_takes_the_holder_it_stands_for(checker: Checker) -> None:
    text = ("Who is the largest holder? Britain. It held $866.0 billion of Treasuries in December 2025 and is number "
            "one.")
    claim = one(text, date(2026, 2, 20), checker, measure="rank")
    assert claim.holder == "United Kingdom" and claim.verdict == "contradicted", (claim.holder, claim.official_value)


def test_gold_over_a_year_is_not_decembers_change(checker: Checker) -> None:
    # SAFE's monthly series starts in 2025-01: 2025's change needs December 2024, which it lacks (not +0.03, December's)
    claim = one("中国2025年全年增持黄金86万盎司。", date(2026, 2, 20), checker)
    assert claim.verdict == "not_checkable" and "2024-12" in claim.reason, (claim.verdict, claim.reason)
