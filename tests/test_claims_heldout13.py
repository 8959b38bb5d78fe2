"""Claims check: the families of phrasing a thirteenth held-out review found misread, each in new sentences.

The review found: a month's average in Chinese with the month glued to the tenor (11月10年期…平均為) read as a daily
close; a change over a half or a quarter of a year (上半年累计减持, 二季度减持, "in the second quarter") read as one
month's change, and a half of a fiscal year read as the year; a fiscal year over at the article's date with no actual
in the store compared with CBO's projection; an exports figure checked as a holder's Treasuries; a thread's 10Y/2Y
glued to Chinese text not read as a yield's tenor; and a yield taken for a tariff rate because "tariffs" came later
in its clause. Every test below fails on the code before those fixes. The sentences are written for these tests (not
the review's); the official figures are the store's: FRED GS10 2025-11 4.09, GS2 2025-10 3.52 and 2025-11 3.55;
TIC China 2024-12 759.0, 2025-03 765.4, 2025-06 731.4 (so -27.6 over the first half, -34.0 over the second quarter),
2025-12 683.5; DGS10 2025-09-19 4.14, DGS2 2025-09-19 3.57, DGS2 2025-04-09 3.91; CBO's actual deficits end at
FY2025.
"""

from __future__ import annotations

from datetime import date

import pytest
from claims_support import claims_of, one

from geostress.analytics.claims.check import Checker


def _show(claim) -> str:  # type: ignore[no-untyped-def]
    text = (f"{claim.quote}: {claim.verdict} {claim.reason or ''} official={claim.official_value}@"
            f"{claim.official_period} {claim.series or ''} period={claim.period} base={claim.extra.get('base_period')}")
    print(text)
    return text


# -- 1. a month's average in Chinese, the month right before the tenor ------------------------------------------
@pytest.mark.parametrize(
    ("text", "official", "verdict", "reason"),
    [
        ("美债方面，12月19日10年期收益率收于4.16%。按月均值计，11月10年期美债收益率平均为4.09%。", 4.09,
         "supported", None),
        ("以月均計，11月2年期公債殖利率平均為3.52%。", 3.55, "contradicted", "wrong_period"),
    ],
)  # fmt: skip
def test_month_before_tenor_dates_an_average(text: str, official: float, verdict: str, reason: str | None,
                                             checker: Checker) -> None:
    claim = [c for c in claims_of(text, date(2025, 12, 20), checker) if c.quote.startswith(("4.09", "3.52"))][0]
    _show(claim)
    assert (claim.period, claim.official_value, claim.verdict, claim.reason) == ("2025-11", official, verdict,
                                                                                  reason)


# -- 2. a change over a half or a quarter of a year -------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "quote", "base"),
    [
        ("今年上半年，中国累计减持美债276亿美元。", "276", "2024-12"),
        ("中国持有的美债，二季度减少了340亿美元。", "340", "2025-03"),
        ("In the second quarter, China cut its Treasury holdings by $34.0 billion.", "34.0", "2025-03"),
        ("China's Treasury holdings fell $27.6 billion in the first half.", "27.6", "2024-12"),
    ],
)  # fmt: skip
def test_change_over_half_or_quarter(text: str, quote: str, base: str, checker: Checker) -> None:
    claim = one(text, date(2025, 9, 20), checker, quote=quote)
    _show(claim)
    assert (claim.period, claim.extra.get("base_period"), claim.verdict) == ("2025-06", base, "supported")


def test_half_of_a_fiscal_year_is_not_the_year(checker: Checker) -> None:
    claim = one("In the first half of fiscal 2026 the federal deficit was $1.15 trillion.", date(2026, 10, 15),
                checker, quote="1.15")
    _show(claim)
    assert claim.verdict == "not_checkable" and "part of a fiscal year" in (claim.reason or "")


# -- 3. a fiscal year over at the article's date, with no actual in the store -----------------------------------
def test_ended_fiscal_year_without_actual_is_not_checked_against_projection(checker: Checker) -> None:
    claim = one("Fiscal 2026 ended on Sept. 30, and preliminary Treasury figures put the federal deficit at about "
                "$1.9 trillion.", date(2026, 10, 20), checker, quote="1.9")
    _show(claim)
    assert claim.verdict == "not_checkable" and "not yet in the store" in (claim.reason or "")


# -- 4. a trade figure is not a holder's Treasuries -------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "China held $683.5 billion of Treasuries in December. Its exports to America dropped 20% to $308 billion "
        "last year.",
        "12月中国持有美债6835亿美元。去年中国对美国的出口下降20%，至3080亿美元。",
    ],
)  # fmt: skip
def test_trade_figure_is_not_a_holding(text: str, checker: Checker) -> None:
    claims = claims_of(text, date(2026, 2, 20), checker)
    for c in claims:
        _show(c)
    assert [(c.value, c.verdict) for c in claims if c.unit in ("USD bn", "percent")] == [
        (683.5, "supported"), (20.0, "not_checkable"), (308.0, "not_checkable")]


# -- 5. 10Y / 2Y glued to Chinese text are the tenors of yield levels -------------------------------------------
def test_shorthand_tenor_glued_to_chinese(checker: Checker) -> None:
    claims = claims_of("美债10Y收益率周五（9月19日）收于4.14%，2Y收于3.57%。", date(2025, 9, 20), checker)
    for c in claims:
        _show(c)
    assert [(c.series, c.official_value, c.verdict) for c in claims] == [
        ("fred.dgs10", 4.14, "supported"), ("fred.dgs2", 3.57, "supported")]


# -- 6. a tariff named later in a yield's clause does not make the yield a tariff rate --------------------------
def test_tariff_after_the_yield_in_its_clause(checker: Checker) -> None:
    claim = one("The two-year ended Wednesday at 3.91% after Washington paused most tariffs for 90 days.",
                date(2025, 4, 14), checker, quote="3.91")
    _show(claim)
    assert (claim.series, claim.official_value, claim.verdict) == ("fred.dgs2", 3.91, "supported")


# -- 7. a month so far; a table written in prose; a fall "from a record" ----------------------------------------
def test_move_since_the_start_of_the_month(checker: Checker) -> None:
    # DGS10 2025-11-28 (the last close of November) 4.02 -> 2025-12-19 4.16: +14 bp
    claim = one("美國10年期公債殖利率19日收在4.16%，月初以來累計上升14個基點。", date(2025, 12, 20), checker,
                quote="14")
    _show(claim)
    assert (claim.official_value, claim.official_period, claim.verdict) == (14.0, "2025-11-28..2025-12-19",
                                                                            "supported")


def test_holders_with_bare_numbers_after_a_stated_unit(checker: Checker) -> None:
    # TIC December 2025: Belgium 477.3, Canada 468.2 (November 472.2), Luxembourg 435.1
    claims = claims_of("Other big holders of Treasuries at the end of December (in billions of dollars): Belgium "
                       "477.3, Canada 472.2 and Luxembourg 435.1.", date(2026, 2, 20), checker)
    for c in claims:
        _show(c)
    assert [(c.holder, c.verdict, c.reason) for c in claims] == [
        ("Belgium", "supported", None), ("Canada", "contradicted", "wrong_period"), ("Luxembourg", "supported", None)]


def test_fell_from_a_record_dates_the_record_before_the_fall(checker: Checker) -> None:
    # TIC grand total: 2025-11 9,359.3 (a record), 2025-12 9,271.0
    claim = one("Foreign holdings of Treasuries slipped in December from a record high.", date(2026, 2, 20),
                checker, measure="record_high")
    _show(claim)
    assert (claim.period, claim.verdict) == ("2025-11", "supported")
