"""Claims check: the families of phrasing a fourteenth held-out review found misread, each in new sentences.

The review found: a change whose base month (and its level) is named right before it in its own clause
(较2024年12月末的7590亿美元减少755亿美元) compared with the claim month's monthly change; a GDP growth rate in Chinese
(一季度GDP同比增长) checked as a yield carried from the sentence before; a yield's move with its quote in its own
clause, the quote dated by a day carried from the sentence before, left with no start; and "slipped by $X to $Y"
reading $X as a level. Every test below fails on the code before those fixes. The sentences are written for these
tests (not the review's); the official figures are the store's: TIC China 2025-06 731.4, 2025-11 683.9, 2025-12
683.5; Japan 2024-12 1061.5, 2025-11 1202.7, 2025-12 1185.5; DGS2 2026-02-17 3.43, 2026-02-18 3.47; DGS10 2026-02-18
4.09; GS2 2026-03 3.71.
"""

from __future__ import annotations

from datetime import date

import pytest
from claims_support import claims_of, one

from geostress.analytics.claims.check import Checker


def _show(claim) -> str:  # type: ignore[no-untyped-def]
    text = (f"{claim.quote}: {claim.measure} {claim.verdict} {claim.reason or ''} official={claim.official_value}@"
            f"{claim.official_period} period={claim.period} base={claim.extra.get('base_period')} "
            f"start={claim.period_start}")
    print(text)
    return text


# -- 1. a base month (and its level) named right before the change in its clause ---------------------------------
@pytest.mark.parametrize(
    ("text", "quote", "base", "official", "verdict"),
    [
        ("截至2025年12月末，中国持有美债6835亿美元，比2025年6月末的7314亿美元减少479亿美元。", "479", "2025-06",
         -47.9, "supported"),
        ("日本持有美国国债11855亿美元，较2024年12月的10615亿美元增加了1240亿美元。", "1240", "2024-12", 124.0,
         "supported"),
        ("日本持有美国国债11855亿美元，较2024年12月底的10615亿美元增加1420亿美元。", "1420", "2024-12", 124.0,
         "contradicted"),
    ],
)  # fmt: skip
def test_base_month_in_the_change_clause(text: str, quote: str, base: str, official: float, verdict: str,
                                         checker: Checker) -> None:
    claim = one(text, date(2026, 4, 20), checker, quote=quote)
    _show(claim)
    assert (claim.period, claim.extra.get("base_period"), claim.official_value, claim.verdict) == (
        "2025-12", base, official, verdict)


# -- 2. GDP, CPI, exports or unemployment in a percentage's clause: not a carried yield --------------------------
@pytest.mark.parametrize(
    "second",
    ["同期，美国一季度GDP同比增长2.0%。", "此外，美国2月CPI同比上涨2.4%。", "同期，中国3月出口同比增长3.1%。",
     "另外，美国3月失业率为4.2%。"],
)  # fmt: skip
def test_economy_percentage_is_not_a_carried_yield(second: str, checker: Checker) -> None:
    text = "3月份，2年期美债收益率月均值为3.71%。" + second
    figure = second[-5:-1]
    claims = [c for c in claims_of(text, date(2026, 4, 20), checker) if c.quote.startswith(figure)]
    for c in claims:
        _show(c)
    assert all(c.measure != "yield" and c.verdict == "not_checkable" for c in claims)


# -- 3. a move whose quote, in its own clause, is dated by a day carried from the sentence before ----------------
def test_move_with_quote_dated_by_carried_day(checker: Checker) -> None:
    text = ("On Wednesday, the 10-year Treasury yield ended at 4.09%. "
            "The two-year yield climbed 4 basis points to 3.47%.")
    claim = one(text, date(2026, 2, 19), checker, quote="4 basis")
    _show(claim)
    assert (claim.measure, claim.period_start, claim.official_value, claim.verdict) == (
        "yield_move", "2026-02-17", 4.0, "supported")


# -- 4. "slipped by $X to $Y": $X is the change -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "quote", "official"),
    [
        ("Japan's Treasury holdings slipped by $17.2 billion to $1.1855 trillion in December.", "17.2", -17.2),
        ("China's holdings of Treasuries dipped $0.4 billion to $683.5 billion in December.", "0.4", -0.4),
    ],
)  # fmt: skip
def test_slipped_by_is_a_change(text: str, quote: str, official: float, checker: Checker) -> None:
    claim = one(text, date(2026, 2, 19), checker, quote=quote)
    _show(claim)
    assert (claim.measure, claim.value, claim.official_value, claim.verdict) == (
        "monthly_change", official, official, "supported")
