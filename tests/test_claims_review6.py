"""Claims check: two defects a sixth review found, each in the reviewer's sentences and in new ones.

1. A month without a year is the latest such month published by the article's date (docs/claims.md, "The article's
   date"), but a dateline on the same line as the figure ("WASHINGTON, March 20, 2026 - … in July") lent its year
   to the bare month (July 2026: a future month, not checkable); so did any full date earlier in the sentence ("Data
   released on Feb. 18, 2026 showed … in July", 2026年3月20日，…7月). A full date now lends its year to its own month
   only; another month is the latest such month by that date (by the article's date, with the series' publication
   lag, when the full date is the article's). A full date followed by a single dash or an agency's name and a dash
   ("March 20, 2026 (Reuters) -") is a dateline: never the period of the line's figures.
2. A tenor named as the subject ("On Feb. 2 the 10-year closed at 4.29%") is a yield without the word "yield", but
   after a sentence about gold (or FX reserves, net interest, a tariff) the carried instrument won and the figure was
   "a percentage not linked to a stored series"; so did an instrument named in another clause of the sentence ("Gold
   rose 2%, while … the 10-year closed at 4.29%"). A tenor subject in the figure's own clause now wins.

Every test below fails on the code before these fixes, except the guards marked as such (behaviour the fixes keep).
Official figures are those of the shipped snapshot: TIC China, Mainland 695.6 (July 2025), 683.9 (November 2025),
759.0 (December 2024), 768.6 (November 2024); 10-year 4.29 % on 2026-02-02 and 4.18 % on 2025-12-31; 2-year 3.57 % on
2026-02-02; SAFE gold 74.22 Moz (February 2026).
"""

from __future__ import annotations

from datetime import date

import pytest
from claims_support import claims_of, one

from geostress.analytics.claims.check import Checker

#: The reviewer's article date.
DAY = date(2026, 3, 20)


# -- 1. a full date's year is not lent to another bare month -------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "WASHINGTON, March 20, 2026 - China held $695.6 billion of Treasuries in July.",
        "WASHINGTON, March 20, 2026 (Reuters) - China held $695.6 billion of Treasuries in July.",
        "March 20, 2026 – China held $695.6 billion of U.S. Treasuries in July.",
        "2026年3月20日，中国7月持有美债6956亿美元。",
        "2026年3月20日，中國7月持有美國公債6956億美元。",
        "2026年3月20日 - 中國內地7月持有美債6956億美元。",
    ],
)  # fmt: skip
@pytest.mark.parametrize("when", [None, DAY])
def test_a_dateline_on_the_line_does_not_date_a_bare_month(text: str, when: date | None, checker: Checker) -> None:
    """The reviewer's reproduction and its Chinese forms: with the date from the dateline and with ``--date``."""
    claim = one(text, when, checker, measure="holdings_level")  # type: ignore[arg-type]
    assert (claim.period, claim.verdict) == ("2025-07", "supported"), (claim.period, claim.note)


@pytest.mark.parametrize(
    ("text", "quote", "period"),
    [
        ("Data released on Feb. 18, 2026 showed China held $695.6 billion of Treasuries in July.", "$695.6", "2025-07"),
        ("美国财政部在2026年2月18日的报告中称，中国7月持有美债6956亿美元。", "6956", "2025-07"),
        ("新华社北京3月20日电 美国财政部在2026年2月18日的报告中称，中国7月持有美债6956亿美元。", "6956", "2025-07"),
        ("美國財政部於2026年2月18日的報告中指出，中國7月持有美國公債6956億美元。", "6956", "2025-07"),
        # an earlier month than the full date's takes its year, a later one the year before
        ("In a report on Jan. 20, 2026, the Treasury said China held $683.9 billion of Treasuries in November.",
         "$683.9", "2025-11"),
    ],
)  # fmt: skip
def test_a_full_date_in_the_sentence_does_not_lend_its_year(text: str, quote: str, period: str,
                                                             checker: Checker) -> None:
    """"Month D, YYYY" and YYYY年M月D日 elsewhere in the sentence: the bare month is the latest such month by then."""
    claim = one(text, DAY, checker, quote=quote)
    assert (claim.period, claim.verdict) == (period, "supported"), (claim.period, claim.note)


def test_a_day_of_another_month_after_a_full_date(checker: Checker) -> None:
    """A quote's base day of another month ("from 4.18% on Dec. 31" after "On March 2, 2026") is the latest such day
    by the full date: 31 December 2025, not 2026."""
    claim = one("On Feb. 2, 2026 the 10-year closed at 4.29%, up from 4.18% on Dec. 31.", DAY, checker,
                quote="4.18")
    assert (claim.period, claim.day, claim.verdict) == ("2025-12", 31, "supported"), (claim.period, claim.note)


def test_a_dateline_is_not_the_lines_period(checker: Checker) -> None:
    """A dateline with a single dash is the article's date, not the period of its line's figures (was 2026-03)."""
    claim = one("WASHINGTON, March 20, 2026 - China held $683.5 billion of Treasuries.", DAY, checker,
                measure="holdings_level")
    assert (claim.period, claim.verdict) == ("2025-12", "supported"), (claim.period, claim.note)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        # guard: a month with its year still lends it ("2025年10月…9月")
        ("In December 2024 China held $759.0 billion of Treasuries, down from $768.6 billion in November.", "2024-11"),
        # guard: a full date's own month, and an earlier month, keep its year
        ("As of Dec. 31, 2024, China held $759.0 billion of Treasuries, down from $768.6 billion in November.",
         "2024-11"),
    ],
)  # fmt: skip
def test_guard_an_earlier_month_keeps_the_year(text: str, period: str, checker: Checker) -> None:
    """Guards (pass before and after the fix): the years the rule keeps lending."""
    claim = one(text, DAY, checker, quote="768.6")
    assert (claim.period, claim.verdict) == (period, "supported"), (claim.period, claim.note)


# -- 2. a tenor named as the subject wins over a topic carried from before -------------------------------------------
@pytest.mark.parametrize(
    "first",
    [
        "China's gold reserves stood at 74.15 million ounces.",
        "Gold rose.",
        "China's FX reserves rose to $3.3 trillion.",
        "Net interest reached $970 billion in fiscal 2025.",
        "The US agreed on a 15% tariff on Japanese goods.",
        "Gold holdings rose.",
    ],
)  # fmt: skip
def test_a_tenor_subject_after_another_topic(first: str, checker: Checker) -> None:
    """The reviewer's reproduction (after gold) and other carried instruments."""
    claim = one(f"{first}\nOn Feb. 2 the 10-year closed at 4.29%.", DAY, checker, quote="4.29")
    assert (claim.measure, claim.period, claim.day, claim.verdict) == ("yield", "2026-02", 2, "supported"), \
        (claim.measure, claim.reason, claim.note)


@pytest.mark.parametrize(
    ("text", "quote", "value"),
    [
        ("China's gold reserves stood at 74.22 million ounces. On Feb. 2 the two-year note ended at 3.57%.", "3.57",
         3.57),
        ("Gold rose 2%, while on Feb. 2 the 10-year closed at 4.29%.", "4.29", 4.29),
        ("中国黄金储备为7422万盎司。10年期2月2日收在4.29%。", "4.29", 4.29),
        ("中國黃金儲備為7422萬盎司。2年期2月2日收在3.57%。", "3.57", 3.57),
    ],
)  # fmt: skip
def test_a_tenor_subject_in_its_own_clause(text: str, quote: str, value: float, checker: Checker) -> None:
    """Other tenors, Chinese 年期, and an instrument named in another clause of the same sentence."""
    claim = one(text, DAY, checker, quote=quote)
    assert (claim.measure, claim.value, claim.period, claim.verdict) == ("yield", value, "2026-02", "supported"), \
        (claim.measure, claim.reason, claim.note)


def test_guard_gold_carry_over_is_kept(checker: Checker) -> None:
    """Guard (passes before and after): a follow-up sentence about the same gold keeps its holder and instrument."""
    claims = claims_of("China's gold reserves rose to 74.22 million ounces in February. They were 2,308 tonnes.",
                       DAY, checker)
    assert [(c.measure, c.holder) for c in claims] == [("gold_reserves_moz", "China, Mainland"),
                                                       ("gold_reserves_tonnes", "China, Mainland")]
    assert claims[0].verdict == "supported"


@pytest.mark.parametrize(
    "text",
    [
        "中国黄金储备为7422万盎司。过去5年期间累计增长10%。",
        "China's gold reserves stood at 74.22 million ounces. Over the 10-year period they rose 20%.",
    ],
)  # fmt: skip
def test_guard_a_span_of_years_is_no_tenor(text: str, checker: Checker) -> None:
    """Guard (passes before and after): a span of years after a gold sentence (5年期间, "the 10-year period") is not
    a tenor, so the percentage does not become a yield now that a tenor subject wins over a carried topic."""
    claim = one(text, DAY, checker, quote="%")
    assert claim.measure != "yield", claim.note
