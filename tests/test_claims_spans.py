"""Claims check: a change stated over a span of years or months ("fell 36% over the past five years", 較5年前減少36%).

With no base date in its words, such a change was checked as the one-month change of the claim's month and called
contradicted (``wrong_value``); "down 36% from December 2020" was supported. A span counted in the text (English
"over the past/last N years|months", "in the past N years", "from N years earlier", "N years ago", "over N years",
"a decade"; Chinese 過去N年(間/來/期間), 較N年前, N年來, 近N年, 與N年前相比; numerals as digits or words) is now the
change from the month that many months before the claim's month — the path of an explicit base date — and its
``period_note`` says so ("change over 60 months: 2020-12 → 2025-12"). A span the text does not count ("over the past
few years", 近年來) and a yearly rate over a span ("8.5% a year on average", 年均) are not checkable, never a wrong
verdict. The same span dates the base of a comparison ("down from $1,072.3 billion five years earlier", 低於5年前的),
a gold change over months, and a yield quoted five years earlier; a yield's change over a span is not checked.

Every test below fails on the code before this fix, except the guards marked as such (behaviour the fix keeps).
Official figures are those of the shipped snapshot: TIC China, Mainland 683.5 (December 2025), 1,072.3 (December
2020: −36.26 %), 1,246.1 (December 2015: −45.15 % over ten years), 731.4 (June 2025: −6.55 % over six months),
759.0 (December 2024); SAFE gold 74.22 Moz (February 2026), +0.20 Moz from August 2025; 10-year 1.26 % (February
2021 average).
"""

from __future__ import annotations

from datetime import date

import pytest
from claims_support import one

from geostress.analytics.claims.check import Checker

#: The reviewer's article date.
DAY = date(2026, 3, 20)
#: The sentence dating the figures that follow it (December 2025).
EN = "China held $683.5 billion of Treasuries in December 2025. "
ZHS = "2025年12月中国持有6835亿美元美国国债。"
ZHT = "2025年12月中國持有6835億美元美國國債。"
#: What the period note of a five-year change says.
FIVE_YEARS = "change over 60 months: 2020-12 → 2025-12"


# -- 1. a percentage change over a span of years: the change from that many years before ---------------------------
@pytest.mark.parametrize(
    "text",
    [
        EN + "Its holdings fell 36% over the past five years.",  # the reviewer's reproduction
        EN + "Its holdings fell 36% over the last 5 years.",
        EN + "Its holdings fell 36% in the past five years.",
        EN + "Its holdings are down 36% from five years earlier.",
        EN + "Its holdings are down 36% from five years ago.",
        EN + "Its holdings have fallen 36% since five years ago.",
        EN + "Its holdings fell 36% over five years.",
        EN + "Over the past five years, its holdings fell 36%.",
        ZHS + "过去5年期间累计减少36%。",
        ZHS + "过去五年减少36%。",
        ZHS + "较5年前减少36%。",
        ZHS + "5年来减少36%。",
        ZHS + "近5年减少36%。",
        ZHS + "与5年前相比减少36%。",
        ZHT + "過去5年間累計減少36%。",
        ZHT + "過去五年來減少36%。",
        ZHT + "較5年前減少36%。",
        ZHT + "5年來減少36%。",
        ZHT + "近五年減少36%。",
        ZHT + "與5年前相比減少36%。",
    ],
)  # fmt: skip
def test_a_change_over_five_years_is_supported(text: str, checker: Checker) -> None:
    """The right figure (−36.26 %) over five years: supported, from December 2020 to December 2025."""
    claim = one(text, DAY, checker, quote="36%")
    assert (claim.measure, claim.verdict) == ("monthly_change_pct", "supported"), (claim.measure, claim.note)
    assert "2020-12 1,072.3 → 2025-12 683.5" in (claim.source or ""), claim.source
    assert FIVE_YEARS in (claim.period_note or ""), claim.period_note


@pytest.mark.parametrize(
    "text",
    [
        EN + "Its holdings are down 10% from five years earlier.",
        EN + "Its holdings fell 10% over the past five years.",
        ZHS + "过去5年期间累计减少10%。",
        ZHS + "较5年前减少10%。",
        ZHT + "過去5年期間累計減少10%。",
        ZHT + "較5年前減少10%。",
    ],
)  # fmt: skip
def test_a_wrong_change_over_five_years_is_contradicted_against_the_five_year_change(text: str,
                                                                                     checker: Checker) -> None:
    """A wrong figure is contradicted against the five-year change (−36.26 %), not the month's (−0.06 %)."""
    claim = one(text, DAY, checker, quote="10%")
    assert (claim.verdict, claim.reason) == ("contradicted", "wrong_value"), (claim.verdict, claim.note)
    assert "-36.26" in (claim.note or "") and "since 2020-12" in (claim.note or ""), claim.note
    assert FIVE_YEARS in (claim.period_note or ""), claim.period_note


@pytest.mark.parametrize(
    ("text", "quote", "start"),
    [
        (EN + "Its holdings fell 45% over the past decade.", "45%", "2015-12"),
        (ZHS + "十年来减少45%。", "45%", "2015-12"),
        (ZHT + "近十年減少45%。", "45%", "2015-12"),
        (EN + "Its holdings fell 6.5% over the past six months.", "6.5%", "2025-06"),
        (ZHS + "过去6个月减少6.5%。", "6.5%", "2025-06"),
        (ZHT + "過去六個月減少6.5%。", "6.5%", "2025-06"),
    ],
)  # fmt: skip
def test_a_decade_or_months(text: str, quote: str, start: str, checker: Checker) -> None:
    """A decade is ten years (−45.15 % from December 2015); a span of months counts months (−6.55 % from June)."""
    claim = one(text, DAY, checker, quote=quote)
    assert claim.verdict == "supported", (claim.measure, claim.note, claim.source)
    assert f"{start} → 2025-12" in (claim.period_note or ""), claim.period_note


def test_no_month_stated_counts_back_from_the_latest_release(checker: Checker) -> None:
    """No month in the text: from the latest release at the article's date (December 2025), five years back."""
    claim = one("China's holdings of Treasuries fell 36% over the past five years.", DAY, checker, quote="36%")
    assert claim.verdict == "supported", (claim.note, claim.source)
    assert FIVE_YEARS in (claim.period_note or ""), claim.period_note


# -- 2. the same span for a change in dollars, a percentage restating it, a base level, gold -----------------------
@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        (EN + "It cut its holdings by $389 billion over the past five years.", "supported"),
        (EN + "It cut its holdings by $200 billion over the past five years.", "contradicted"),
        ("2025年12月中国持有6835亿美元美国国债，较5年前减少3888亿美元。", "supported"),
    ],
)  # fmt: skip
def test_a_change_in_dollars_over_five_years(text: str, verdict: str, checker: Checker) -> None:
    """A change in dollars over a span: against the change from December 2020 (−388.8 billion)."""
    claim = one(text, DAY, checker, measure="monthly_change")
    assert claim.verdict == verdict, (claim.note, claim.source)
    assert "2020-12 → 2025-12" in (claim.source or ""), claim.source


def test_a_percentage_restating_a_change_over_a_span(checker: Checker) -> None:
    """"fell $389 billion over the past five years, or 36%": the percentage is the same five-year change (it was
    "not linked": the length of time between them hid the change it restates)."""
    claim = one("China held $683.5 billion of Treasuries in December 2025, down $389 billion over the past five "
                "years, or 36%.", DAY, checker, quote="36%")
    assert (claim.measure, claim.verdict) == ("monthly_change_pct", "supported"), (claim.measure, claim.reason)


@pytest.mark.parametrize(
    "text",
    [
        "China held $683.5 billion of Treasuries in December 2025, down from $1,072.3 billion five years earlier.",
        "2025年12月中国持有6835亿美元美国国债，低于5年前的10723亿美元。",
        "2025年12月中國持有6835億美元美國國債，較5年前的10723億美元減少。",
    ],
)  # fmt: skip
def test_a_base_level_five_years_earlier(text: str, checker: Checker) -> None:
    """The base of a comparison dated five years back is December 2020's level, not November 2025's."""
    claim = one(text, DAY, checker, quote="072" if "$" in text else "10723")
    assert (claim.period, claim.verdict) == ("2020-12", "supported"), (claim.period, claim.note)


def test_a_gold_change_over_months(checker: Checker) -> None:
    """Gold ounces over six months: against the change from August 2025 (+0.20 million ounces)."""
    claim = one("China's gold reserves rose 0.2 million ounces over the past six months to 74.22 million ounces in "
                "February 2026.", DAY, checker, quote="0.2 million")
    assert claim.verdict == "supported", (claim.note, claim.source)
    assert "2025-08 → 2026-02" in (claim.source or ""), claim.source


# -- 3. a span that cannot be resolved, a yearly rate over a span: not checkable -----------------------------------
@pytest.mark.parametrize(
    ("text", "quote", "words"),
    [
        (EN + "Its holdings fell 36% over the past few years.", "36%", "does not count"),
        (ZHS + "近年来减少36%。", "36%", "does not count"),
        (ZHT + "過去幾年減少36%。", "36%", "does not count"),
        (EN + "Its holdings fell 8.5% a year on average over the past five years.", "8.5%", "yearly rate"),
        (EN + "Its holdings fell at an average annual rate of 8.5% over five years.", "8.5%", "yearly rate"),
        (EN + "Its holdings fell by an average of 8.5% a year over the past five years.", "8.5%", "yearly rate"),
        (ZHS + "过去5年年均减少8.5%。", "8.5%", "yearly rate"),
        (ZHT + "過去5年平均每年減少8.5%。", "8.5%", "yearly rate"),
        ("The 10-year Treasury yield rose 2.8% over the past five years.", "2.8%", "yield's change"),
    ],
)  # fmt: skip
def test_a_span_not_resolved_is_not_checkable(text: str, quote: str, words: str, checker: Checker) -> None:
    """No wrong verdict from the one-month rule (nor a yield's level): not checkable, with the reason."""
    claim = one(text, DAY, checker, quote=quote)
    assert claim.verdict == "not_checkable", (claim.measure, claim.verdict, claim.note)
    assert words in (claim.reason or ""), claim.reason


def test_a_yield_quoted_five_years_earlier(checker: Checker) -> None:
    """"up from 1.26% five years earlier": February 2021's average, not February 2026's."""
    claim = one("The 10-year yield was 4.2% in February 2026, up from 1.26% five years earlier.", DAY, checker,
                quote="1.26")
    assert (claim.period, claim.verdict) == ("2021-02", "supported"), (claim.period, claim.note)


# -- guards: what the fix keeps -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "quote", "measure", "source"),
    [
        (EN + "Its holdings are down 9.9% from a year earlier.", "9.9%", "annual_change_pct", "2024-12 759.0"),
        (ZHS + "较一年前减少9.9%。", "9.9%", "annual_change_pct", "2024-12 759.0"),
        (EN + "Its holdings are down 36% from December 2020.", "36%", "monthly_change_pct", "2020-12 1,072.3"),
        (ZHT + "較2020年12月減少36%。", "36%", "monthly_change_pct", "2020-12 1,072.3"),
        (EN + "It also holds a five-year note; its holdings fell 0.06% in December.", "0.06%", "monthly_change_pct",
         "2025-11 683.9"),
        (EN + "Its holdings fell 0.06% in December, the fifth monthly fall in the past six months.", "0.06%",
         "monthly_change_pct", "2025-11 683.9"),
        (EN + "Its holdings fell 0.06% in December after rising in the last two months.", "0.06%",
         "monthly_change_pct", "2025-11 683.9"),
        (EN + "Over the past five years Beijing has diversified, and in December its Treasury holdings fell 0.06%.",
         "0.06%", "monthly_change_pct", "2025-11 683.9"),
        (ZHS + "过去5年中国推动储备多元化，12月美债持仓减少0.06%。", "0.06%", "monthly_change_pct", "2025-11 683.9"),
        (EN + "That was an annual decline of 9.9%.", "9.9%", "annual_change_pct", "2024-12 759.0"),
    ],
)  # fmt: skip
def test_guard_a_year_earlier_an_explicit_base_and_a_duration_that_is_no_span(text: str, quote: str, measure: str,
                                                                             source: str, checker: Checker) -> None:
    """Guard (passes before and after the fix): "from a year earlier", "an annual decline", an explicit base date, a
    length that is no span of the change ("a five-year note", another change's "in the past six months", a span
    before a clause that dates the change "in December")."""
    claim = one(text, DAY, checker, quote=quote)
    assert (claim.measure, claim.verdict) == (measure, "supported"), (claim.measure, claim.note)
    assert source in (claim.source or ""), claim.source


def test_guard_years_since_is_a_lowest_since_claim(checker: Checker) -> None:
    """Guard: 17年來最低 stays a "lowest since" claim."""
    claim = one(ZHT.rstrip("。") + "，為17年來最低。", DAY, checker, measure="lowest_since")
    assert claim.verdict == "supported", claim.note
