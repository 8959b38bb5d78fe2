"""Claims check: defects found by the eleventh held-out review (a wire, state media, a Taiwan daily, a bank's rates
note, a Hong Kong column, a WeChat explainer, an op-ed, a research note).

Each test states the general rule it checks, with guards for what must not change. The store's figures used (fred
daily closes, CBO) are listed with each test; sentences are written for the tests, not taken from the articles.
"""

from __future__ import annotations

from datetime import date

import pytest
from claims_support import claims_of, one

from geostress.analytics.claims.check import Checker

#: dgs10 2025-04-07 4.15, 04-08 4.26, 04-09 4.34, 04-10 4.40, 04-11 4.48; dgs30 2025-04-10 4.86; dgs10 2024-12-31 4.58.
APRIL_2025 = date(2025, 4, 14)
#: dgs10 2026-05-19 4.67, 06-05 4.55, 06-12 4.48, 06-15 4.47; dgs2 2026-04-30 3.88, 05-29 3.98.
JUNE_2026 = date(2026, 6, 15)
#: dgs10 2026-02-27 3.97, 03-24 4.39; dgs2 2026-02-27 3.38, 03-24 3.90; CBO net interest FY2025 actual 969.9,
#: CBO's January-2025 projection for FY2025 952.3, its February-2026 projection for FY2026 1,039.0.
MARCH_2026 = date(2026, 3, 24)


def _verdict(text: str, when: date, quote: str, checker: Checker) -> tuple[str, str | None]:
    claim = one(text, when, checker, quote=quote)
    return claim.verdict, claim.reason


@pytest.mark.parametrize(
    ("text", "quote", "verdict", "reason"),
    [
        ("CBO projects net interest of $1.04 trillion in fiscal 2026, after it reached $952 billion in fiscal 2025.",
         "$952", "contradicted", "projection_as_actual"),
        ("CBO projects net interest of $1.04 trillion in fiscal 2026, after it reached $970 billion in fiscal 2025.",
         "$970", "supported", None),
        # guards: the projection itself is still CBO's; a projection in the same clause stays one
        ("CBO projects net interest of $1.04 trillion in fiscal 2026, after it reached $970 billion in fiscal 2025.",
         "$1.04", "supported", None),
        ("CBO projected in January 2025 that net interest would total $952 billion in fiscal 2025.", "$952",
         "supported", None),
    ],
)  # fmt: skip
def test_a_past_outcome_clause_after_a_cbo_projection_is_an_actual(
        text: str, quote: str, verdict: str, reason: str | None, checker: Checker) -> None:
    assert _verdict(text, MARCH_2026, quote, checker) == (verdict, reason)


@pytest.mark.parametrize(
    ("text", "when", "quote", "other"),
    [
        ("French 10-year OAT yields climbed 8 basis points on the week.", APRIL_2025, "8 basis", True),
        ("Japan's 10-year yield rose 5 basis points on Friday.", APRIL_2025, "5 basis", True),
        ("The 30-year bond yield closed at 4.86% on Thursday. Thirty-year mortgage rates climbed to 6.9%.",
         APRIL_2025, "6.9%", True),
        ("The 30-year fixed mortgage rate rose 12 basis points on Thursday to 6.9%.", APRIL_2025, "12 basis", True),
        ("日本30年期国债收益率周四升至2.8%。", APRIL_2025, "2.8%", True),
        ("韓國10年期公債殖利率週四約2.7%。", APRIL_2025, "2.7%", True),
        ("美國30年期房貸利率週四升至6.9%。", APRIL_2025, "6.9%", True),
        ("德国10年期国债收益率4月上升20个基点。", date(2025, 5, 8), "20个", True),
        # guards: a Treasury yield with its tenor is still read (dgs30 2025-04-10 4.86, dgs10 2025-04-10 4.40)
        ("The 30-year bond yield closed at 4.86% on Thursday.", APRIL_2025, "4.86%", False),
        ("美國10年期公債殖利率週四收在4.40%。", APRIL_2025, "4.40%", False),
    ],
)  # fmt: skip
def test_a_yield_of_another_bond_or_a_mortgage_rate_is_not_a_treasury_yield(
        text: str, when: date, quote: str, other: bool, checker: Checker) -> None:
    claim = one(text, when, checker, quote=quote)
    if not other:
        assert claim.verdict == "supported", (claim.series, claim.official_value, claim.reason)
        return
    assert claim.verdict == "not_checkable" and claim.series is None, (claim.measure, claim.series, claim.reason)
    assert "other than a US Treasury" in str(claim.reason)


@pytest.mark.parametrize(
    ("text", "quote", "verdict", "reason"),
    [
        # dgs10 2026-05-19 4.67 (the article's day, 06-15, closed at 4.47)
        ("The 10-year yield closed at 4.67% on May 19.", "4.67%", "supported", None),
        # dgs2 2026-04-30 3.88 -> 05-29 3.98 = +10 bp
        ("The two-year yield jumped 10 basis points in May.", "10 basis", "supported", None),
        ("The two-year yield jumped 25 basis points in May.", "25 basis", "contradicted", "wrong_value"),
        # dgs10 2026-05-19 4.67 -> 06-15 4.47 = -20 bp
        ("Since May 19, the 10-year yield has fallen 20 basis points.", "20 basis", "supported", None),
        # guard: the modal verb is still a hypothetical
        ("The 10-year yield may rise 10 basis points.", "10 basis", "not_checkable",
         "a hypothetical, forecast or estimated move, not an observed one"),
    ],
)  # fmt: skip
def test_may_before_a_day_or_after_a_preposition_is_the_month(
        text: str, quote: str, verdict: str, reason: str | None, checker: Checker) -> None:
    assert _verdict(text, JUNE_2026, quote, checker) == (verdict, reason)


@pytest.mark.parametrize(
    ("text", "when", "quote", "verdict", "reason"),
    [
        # one session ending on the day named for the quote: dgs10 04-07 4.15 -> 04-08 4.26 = +11 bp
        ("On Tuesday, the 10-year yield rose 11 basis points to 4.26%.", APRIL_2025, "11 basis", "supported", None),
        ("The 10-year yield rose 5 basis points on Tuesday to 4.26%.", APRIL_2025, "5 basis", "contradicted",
         "wrong_value"),
        # a month named in the move's clause: close to close (dgs10 2026-02-27 3.97 -> 03-31 4.30 = +33 bp)
        ("10年期美债收益率4月7日收于4.33%，3月份累计上升33个基点。", date(2026, 4, 8), "33个", "supported", None),
        ("10年期美债收益率4月7日收于4.33%，3月份累计上升23个基点。", date(2026, 4, 8), "23个", "contradicted",
         "wrong_value"),
        # the quote's own month (dgs2 2025-05-30 3.89 -> 06-30 3.72 = -17 bp)
        ("2年期美债收益率6月30日收于3.72%，6月份累计下跌17个基点。", date(2025, 7, 8), "17个", "supported", None),
        # "since the end of <month>": from its last close (dgs10 2026-02-27 3.97 -> 03-24 4.39 = +42 bp)
        ("The 10-year yield has risen 42 basis points since the end of February, to 4.39%.", MARCH_2026, "42 basis",
         "supported", None),
        # "since <day>, to X%": the day is the start, the level is the end (dgs2 02-27 3.38 -> 03-24 3.90)
        ("The two-year yield has climbed 52 basis points since February 27, to 3.90%.", MARCH_2026, "52 basis",
         "supported", None),
        ("The two-year yield has climbed 52 basis points since February 27, to 3.90%.", MARCH_2026, "3.90%",
         "supported", None),
    ],
)  # fmt: skip
def test_a_move_with_one_quote_and_a_named_day_or_month_is_checked(
        text: str, when: date, quote: str, verdict: str, reason: str | None, checker: Checker) -> None:
    assert _verdict(text, when, quote, checker) == (verdict, reason)


@pytest.mark.parametrize(
    ("text", "when", "quote", "verdict"),
    [
        # dgs10 2024-12-31 4.58 -> 2025-12-18 4.12 = -46 bp (the article's day, 12-19, closed at 4.16: -42)
        ("以18日收盤價4.12%計，10年期殖利率今年以來下跌46個基點。", date(2025, 12, 19), "46個", "supported"),
        # dgs10 2024-12-31 4.58 -> 2025-04-11 (Friday) 4.48 = -10 bp
        ("At 4.48% on Friday, the 10-year yield is 10 basis points lower so far this year.", APRIL_2025, "10 basis",
         "supported"),
    ],
)  # fmt: skip
def test_a_year_to_date_move_ends_at_the_quote_of_its_sentence(
        text: str, when: date, quote: str, verdict: str, checker: Checker) -> None:
    assert _verdict(text, when, quote, checker)[0] == verdict


def test_hong_kong_bond_yield_words_and_week_on_week(checker: Checker) -> None:
    # dgs10 2025-10-10 4.05, 10-17 (a Friday) 4.02: -3 bp on the week (the session before, 10-16, closed at 3.99)
    text = "美國10年期債息上周五收報4.02厘，按周下跌3個基點。"
    when = date(2025, 10, 20)
    assert _verdict(text, when, "4.02", checker) == ("supported", None)
    move = one(text, when, checker, quote="3個")
    assert (move.verdict, move.official_value) == ("supported", -3.0), move.note


@pytest.mark.parametrize(
    ("text", "quote", "measure"),
    [
        ("日本持有11855亿美元美债。据估算，每增发500亿美元国债，收益率将上升1个基点。", "500亿", None),
        ("Japan held $1.1855 trillion of Treasuries. Each extra $50 billion of Treasuries sold lifts yields about 1 "
         "basis point.", "$50", None),
        # guard: 每年 ("each year") states a yearly figure (CBO net interest FY2025 actual 969.9)
        ("美國每年光利息支出就接近9700億美元。", "9700", "net_interest"),
    ],
)  # fmt: skip
def test_an_amount_per_unit_of_a_sensitivity_is_not_a_holding(text: str, quote: str, measure: str | None,
                                                              checker: Checker) -> None:
    claim = one(text, date(2026, 3, 10), checker, quote=quote)
    assert claim.measure == measure, (claim.measure, claim.holder, claim.reason)
    if measure is None:
        assert claim.verdict == "not_checkable" and claim.holder is None, (claim.holder, claim.reason)


def test_a_close_named_after_a_percentage_is_a_yield_quote(checker: Checker) -> None:
    # dgs10 2026-08-20 4.69
    text = "按20日4.69%的收盘价计算，10年期美债收益率今年以来累计上升51个基点。"
    assert _verdict(text, date(2026, 8, 21), "4.69", checker) == ("supported", None)


def test_a_move_on_the_week_of_a_last_week_quote_spans_that_week(checker: Checker) -> None:
    # dgs10 2026-06-05 4.55 -> 06-12 4.48 = -7 bp (from the article's week instead: 06-08 4.56 -> 06-15 4.47 = -9)
    claims = claims_of("The 10-year yield finished last week at 4.48%, down 7 basis points on the week.", JUNE_2026,
                       checker)
    move = next(c for c in claims if "7 basis" in c.quote)
    assert (move.verdict, move.official_value) == ("supported", -7.0), move.note


def test_shang_xing_is_a_rise(checker: Checker) -> None:
    # dgs10 2024-12-31 4.58 -> 2025-07-07 4.40 = -18 bp: 上行 (a rise) has the wrong sign
    text = "10年期美债收益率7月7日收于4.40%，今年以来累计上行18个基点。"
    assert _verdict(text, date(2025, 7, 8), "18个", checker) == ("contradicted", "wrong_value")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # dgs10 2025-12-31 4.18 -> 2026-06-15 4.47 = +29 bp; the sentence before names one tenor, same paragraph
        ("The 10-year yield fell 40 basis points over 2025. At 4.47% on Monday, it is up 29 basis points so far "
         "this year.", True),
        # guards: no carry across a line break, nor from a sentence naming two tenors
        ("The 10-year yield fell 40 basis points over 2025.\nAt 4.47% on Monday, it is up 29 basis points so far "
         "this year.", False),
        ("The 10-year and 2-year yields fell. At 4.47% on Monday, it is up 29 basis points so far this year.", False),
    ],
)  # fmt: skip
def test_a_pronoun_takes_the_one_tenor_of_the_sentence_before_in_its_paragraph(
        text: str, found: bool, checker: Checker) -> None:
    moves = [c for c in claims_of(text, JUNE_2026, checker) if "29 basis" in c.quote]
    if not found:
        assert not moves or moves[0].verdict == "not_checkable", [(c.verdict, c.series) for c in moves]
        return
    assert len(moves) == 1 and (moves[0].verdict, moves[0].series) == ("supported", "fred.dgs10"), moves
