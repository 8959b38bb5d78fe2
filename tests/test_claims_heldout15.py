"""Claims check: the families of phrasing a fifteenth held-out review found misread, each in new sentences.

The review found: tonnages of rare earths (world output, another country's mines, reserves in millions of tonnes)
checked against China's gold reserves; "against $X a year earlier" read as a change rather than the level of the
earlier period; another government's bond, named in a clause before the figure's, checked as the Treasury yield of
the sentence before; a stock index's percentage checked as a carried yield; holdings of agency debt read as
Treasury holdings; a budget figure in apposition dated by the fiscal year of the sentence before rather than its
own sentence's; a yield's move with its day named after it lost when another clause quotes another day; and
全年仍增持 (an adverb between 全年 and the verb) read as a monthly change. Every test below fails on the code before
those fixes. The sentences are written for these tests (not the review's); the official figures are the store's:
SAFE gold 2026-06 2,346.45 t; TIC China 2024-12 759.0, 2025-12 683.5 (annual -75.5); Japan 2024-12 1061.5, 2025-12
1185.5 (annual +124.0); DGS10 2026-02-17 4.05, 2026-02-18 4.09, 2026-03-20 4.39; DGS2 2026-06-30 4.14; CBO February
2026 baseline net interest FY2026 1,039.0.
"""

from __future__ import annotations

from datetime import date

import pytest
from claims_support import one

from geostress.analytics.claims.check import Checker


def _show(claim) -> str:  # type: ignore[no-untyped-def]
    text = (f"{claim.quote}: {claim.measure} {claim.verdict} {claim.reason or ''} official={claim.official_value}@"
            f"{claim.official_period} period={claim.period} start={claim.period_start}")
    print(text)
    return text


# -- 1. a tonnage is gold only when gold is named for it ----------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "quote"),
    [
        # a size no central bank's gold reaches
        ("Chinese mines produced 270,000 tonnes of rare earths in 2025. Global production reached 390,000 tonnes.",
         "390,000"),
        ("China's reserves total 44 million tonnes.", "44 million"),
        ("中国稀土产量约为27万吨。中国的储量约为4400万吨。", "4400万吨"),
        # the commodity of the sentences before (rare earths), whatever the size
        ("China mined 270,000 tonnes of rare earths last year. China's stockpile was 3,000 tonnes.", "3,000"),
        # nothing names gold at all
        ("China holds 2,300 tonnes.", "2,300"),
    ],
)  # fmt: skip
def test_tonnage_of_another_commodity_is_not_gold(text: str, quote: str, checker: Checker) -> None:
    claim = one(text, date(2026, 7, 10), checker, quote=quote)
    _show(claim)
    assert not (claim.measure or "").startswith("gold") and not (claim.series or "").startswith("gold")
    assert claim.verdict == "not_checkable" or (claim.series or "").startswith("usgs.ree.")  # (USGS: test 10)
    # gold named in the sentence before (or its own) still makes a tonnage China's gold reserves
    gold = one("China's central bank added gold in June. Its reserves stood at 2,346 tonnes.", date(2026, 7, 10),
               checker, quote="2,346")
    assert (gold.measure, gold.verdict) == ("gold_reserves_tonnes", "supported")


# -- 2. "against $X a year earlier": the level of the earlier period ---------------------------------------------
@pytest.mark.parametrize(
    ("text", "quote", "period", "official"),
    [
        ("China's holdings dropped to $683.5 billion in December, against $759 billion a year earlier.", "759",
         "2024-12", 759.0),
        ("Japan's holdings climbed to $1,185.5 billion in December, against $1,061.5 billion a year earlier.",
         "1,061.5", "2024-12", 1061.5),
    ],
)  # fmt: skip
def test_against_a_year_earlier_is_that_level(text: str, quote: str, period: str, official: float,
                                              checker: Checker) -> None:
    claim = one(text, date(2026, 3, 25), checker, quote=quote)
    _show(claim)
    assert (claim.measure, claim.period, claim.official_value, claim.verdict) == (
        "holdings_level", period, official, "supported")


# -- 3. another government's bond named in an earlier clause of the figure's sentence ---------------------------
@pytest.mark.parametrize(
    "second",
    ["Germany's 10-year Bund, by comparison, sits near 2.9%.", "Japan's 10-year JGB, for its part, stood at 2.2%.",
     "The 10-year gilt, in contrast, trades near 4.6%."],
)  # fmt: skip
def test_foreign_bond_in_earlier_clause_is_not_the_treasury(second: str, checker: Checker) -> None:
    text = "On March 20 the 10-year yield rose 14 basis points to 4.39%. " + second
    figure = second.rstrip(".").split()[-1]
    claim = one(text, date(2026, 3, 25), checker, quote=figure)
    _show(claim)
    assert (claim.measure, claim.verdict) == (None, "not_checkable")


# -- 4. a stock index's percentage is not a carried yield ----------------------------------------------------------
@pytest.mark.parametrize(
    "second",
    ["The Nikkei closed down 1.2%.", "The Hang Seng, by comparison, fell 1.2%.", "Meanwhile the Hang Seng lost 1.2%.",
     "恒生收跌1.2%。", "道瓊下跌1.2%。", "台股下跌1.2%。", "日经下跌1.2%。"],
)  # fmt: skip
def test_stock_index_percentage_is_not_a_yield(second: str, checker: Checker) -> None:
    text = "The 2-year yield was 4.14% on June 30. " + second
    claim = one(text, date(2026, 7, 10), checker, quote="1.2%")
    _show(claim)
    assert (claim.measure, claim.verdict) == (None, "not_checkable")


# -- 5. holdings of agency debt (or other US securities) are not Treasury holdings ------------------------------
@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("2025年12月末，日本持有美国国债11855亿美元。日本持有的美国机构债约为2500亿美元。", "2500"),
        ("2025年12月末，日本持有美國國債11855億美元。日本持有的美國機構債約為2500億美元。", "2500"),
        ("Japan held $1,185.5 billion of Treasuries in December. Japan also held about $250 billion of agency debt.",
         "250"),
        ("China held $683.5 billion of Treasuries in December. China's holdings of US equities were $300 billion.",
         "300"),
    ],
)  # fmt: skip
def test_agency_debt_is_not_treasury_holdings(text: str, quote: str, checker: Checker) -> None:
    claim = one(text, date(2026, 3, 20), checker, quote=quote)
    _show(claim)
    assert (claim.measure, claim.verdict) == (None, "not_checkable")
    assert "another security" in (claim.reason or "")


# -- 6. a budget figure in apposition takes its sentence's fiscal year -------------------------------------------
def test_appositive_budget_figure_takes_its_sentence_fiscal_year(checker: Checker) -> None:
    text = ("Net interest came to $970 billion in fiscal 2025. CBO's February baseline puts net interest above $1 "
            "trillion this fiscal year, at $1.04 trillion.")
    claim = one(text, date(2026, 8, 25), checker, quote="1.04")
    _show(claim)
    assert (claim.measure, claim.period, claim.verdict) == ("net_interest", "FY2026", "supported")
    assert abs(claim.official_value - 1039.0) < 0.1


# -- 7. a move with its day named after it, in a sentence quoting another day ---------------------------------
@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("The 10-year yield rose 4 basis points on February 18, and on March 20 it closed at 4.39%.", "supported"),
        ("The 10-year yield rose 12 basis points on February 18, and on March 20 it closed at 4.39%.",
         "contradicted"),
    ],
)  # fmt: skip
def test_move_with_its_day_after_it(text: str, verdict: str, checker: Checker) -> None:
    claim = one(text, date(2026, 3, 25), checker, quote="basis points")
    _show(claim)
    assert (claim.measure, claim.official_value, claim.verdict) == ("yield_move", 4.0, verdict)


# -- 8. 全年 with an adverb before the verb: the whole year's change ------------------------------------------------
@pytest.mark.parametrize(
    ("text", "quote", "official"),
    [
        ("截至2025年12月底，日本持有美國公債11855億美元，全年仍增持約1240億美元。", "1240", 124.0),
        ("截至2025年12月底，中国持有美国国债6835亿美元，全年累计减持约755亿美元。", "755", -75.5),
        ("截至2025年12月底，中國持有美國公債6835億美元，全年共減持約755億美元。", "755", -75.5),
    ],
)  # fmt: skip
def test_full_year_change_with_adverb(text: str, quote: str, official: float, checker: Checker) -> None:
    claim = one(text, date(2026, 3, 23), checker, quote=quote)
    _show(claim)
    assert (claim.measure, claim.official_value, claim.verdict) == ("annual_change", official, "supported")


# -- 9. customs duties for a fiscal year: CBO's actual revenues ------------------------------------------------
@pytest.mark.parametrize(
    ("text", "measure", "verdict"),
    [
        ("2025财年美国海关关税收入约为1950亿美元。", "customs_duties", "supported"),
        ("Customs duties brought in $195 billion in fiscal 2025.", "customs_duties", "supported"),
        ("Customs duties brought in $250 billion in fiscal 2025.", "customs_duties", "contradicted"),
        # a change in them is not the year's total
        ("Customs duties rose $118 billion in fiscal 2025.", None, "not_checkable"),
    ],
)  # fmt: skip
def test_customs_duties_for_a_fiscal_year(text: str, measure: str | None, verdict: str, checker: Checker) -> None:
    claim = one(text, date(2026, 9, 10), checker, quote="billion" if "billion" in text else "亿")
    _show(claim)
    assert (claim.measure, claim.verdict) == (measure, verdict)
    if measure is not None:
        assert claim.period == "FY2025" and abs(claim.official_value - 194.9) < 0.1
    # receipts with no fiscal year named are not said to be "by month" when they are not
    other = one("Tariff receipts were $30 billion in August.", date(2026, 9, 10), checker, quote="30")
    assert other.verdict == "not_checkable" and "fiscal year" in (other.reason or "")


# -- 10. rare-earth tonnages: USGS's mine production and reserves ---------------------------------------------
@pytest.mark.parametrize(
    ("text", "quote", "series", "period", "verdict"),
    [
        ("Chinese mines turned out 270,000 tonnes of rare earths in 2025, and global mine output was 390,000 tonnes.",
         "390,000", "usgs.ree.mine_production.world", "2025", "supported"),
        ("Rare earths: China mined 270,000 tonnes last year. Mines in the United States produced 60,000 tonnes.",
         "60,000", "usgs.ree.mine_production.united_states", "2025", "contradicted"),
        ("China's rare-earth reserves are put at 44 million tonnes.", "44 million", "usgs.ree.reserves.china", "2025",
         "supported"),
        ("据估计，2025年中国稀土矿产量约为27万吨，储量约4400万吨。", "27万吨", "usgs.ree.mine_production.china", "2025",
         "supported"),
        ("据估计，2025年中国稀土矿产量约为27万吨，储量约4400万吨。", "4400万吨", "usgs.ree.reserves.china", "2025",
         "supported"),
    ],
)  # fmt: skip
def test_rare_earth_tonnage_against_usgs(text: str, quote: str, series: str, period: str, verdict: str,
                                         checker: Checker) -> None:
    claim = one(text, date(2026, 7, 10), checker, quote=quote)
    _show(claim)
    assert (claim.series, claim.period, claim.verdict) == (series, period, verdict)
    # an export, a quota or a magnet's tonnage is not USGS's mine production
    other = one("China exported 55,000 tonnes of rare-earth magnets last year.", date(2026, 7, 10), checker,
                quote="55,000")
    assert (other.measure, other.verdict) == (None, "not_checkable")
