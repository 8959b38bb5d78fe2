"""Claims check: a Treasury yield's move in basis points, and a yield level that is another session's or month's.

A move is checked against the store's closes (or monthly averages) at its two ends when the text pins both down; a
move of the policy rate, a spread, a futures pricing or a hypothetical one is not checkable. A level stated for one
day (month) that is the close (average) of the session (month) next to it is ``wrong_period``, not ``wrong_value``.

Store values used (``geostress data show``): fred.dgs10 2025-04-03 4.06, 04-04 4.01, 04-07 4.15, 04-08 4.26, 04-09
4.34, 04-10 4.40, 04-11 4.48; 2024-12-31 4.58, 2025-12-31 4.18; 2026-06-03 4.49, 06-04 4.47, 06-05 4.55, 06-08 4.56;
fred.gs10 2025-01 4.63, 2025-02 4.45, 2025-03 4.28, 2026-01 4.21, 2026-02 4.13.
"""

from __future__ import annotations

from datetime import date

import pytest
from claims_support import claims_of, one

from geostress.analytics.claims.check import Checker

FRIDAY_2025_04_11 = date(2025, 4, 11)
JUNE_2026 = date(2026, 6, 10)


@pytest.mark.parametrize(
    ("text", "when", "quote", "verdict", "reason"),
    [
        # two quotes of the sentence: 4.01 (04-04) → 4.48 (04-11) = +47 bp
        ("The 10-year yield closed at 4.48% on Friday, up from 4.01% a week earlier, a 47bp rise.",
         FRIDAY_2025_04_11, "47bp", "supported", None),
        ("The 10-year yield closed at 4.48% on Friday, up from 4.01% a week earlier, a 40bp rise.",
         FRIDAY_2025_04_11, "40bp", "contradicted", "wrong_value"),
        # a span alone: the week (close of 04-04 to close of 04-11), the year (2024-12-31 4.58 → 2025-12-31 4.18)
        ("The 10-year yield rose 47 bps on the week.", FRIDAY_2025_04_11, "47 bps", "supported", None),
        ("The 10-year Treasury yield fell 40 basis points in 2025.", date(2026, 2, 1), "40 basis", "supported", None),
        ("The 10-year Treasury yield fell 30 basis points in 2025.", date(2026, 2, 1), "30 basis", "contradicted",
         "wrong_value"),
        # one quote and the session before: 06-04 4.47 → 06-05 4.55 = +8 bp
        ("6月5日10年期美债收益率收于4.55%，较前一交易日上升8个基点。", JUNE_2026, "8个基点", "supported", None),
        ("6月5日10年期美债收益率收于4.55%，较前一交易日下降8个基点。", JUNE_2026, "8个基点", "contradicted",
         "wrong_value"),  # the yield rose: the other way
        ("6月5日10年期美债收益率收于4.55%，较前一交易日上升20个基点。", JUNE_2026, "20个基点", "contradicted",
         "wrong_value"),
        # +1 bp is the next session's move (06-05 4.55 → 06-08 4.56), not 06-05's (+8): a date error
        ("6月5日10年期美债收益率收于4.55%，较前一交易日上升1个基点。", JUNE_2026, "1个基点", "contradicted",
         "wrong_period"),
        # two monthly averages: 2026-01 4.21 → 2026-02 4.13 = −8 bp
        ("10年期美债收益率2月平均为4.13%，较1月的4.21%下降8个基点。", date(2026, 3, 10), "8个基点", "supported", None),
    ],
)  # fmt: skip
def test_a_yield_move_in_basis_points_is_checked_between_its_two_ends(
        text: str, when: date, quote: str, verdict: str, reason: str | None, checker: Checker) -> None:
    claim = one(text, when, checker, quote=quote)
    assert claim.measure == "yield_move", (claim.measure, claim.reason)
    assert (claim.verdict, claim.reason) == (verdict, reason), (claim.official_value, claim.official_period,
                                                                claim.note)


@pytest.mark.parametrize(
    ("text", "quote", "why"),
    [
        ("The Fed cut its policy rate by 25 basis points, and the 10-year yield fell.", "25 basis", "policy rate"),
        ("Fed funds futures price about 85bp of cuts this year, while the 10-year yield is at 4.48%.", "85bp",
         "policy rate"),
        ("Analysts say the 10-year yield would rise 50bp if foreign buyers left.", "50bp", "hypothetical"),
        ("The gap between two- and 10-year yields was about 61 basis points.", "61 basis", "spread"),
        ("The 10-year yield jumped 7 basis points to 4.20% in the first minutes after the data.", "7 basis",
         "intraday"),
        ("The 10-year yield jumped 7 basis points to 4.48%.", "7 basis", "start is not stated"),
    ],
)  # fmt: skip
def test_a_move_whose_ends_or_subject_are_not_a_yields_closes_is_not_checkable(
        text: str, quote: str, why: str, checker: Checker) -> None:
    claim = one(text, FRIDAY_2025_04_11, checker, quote=quote)
    assert (claim.measure, claim.verdict) == (None, "not_checkable"), (claim.measure, claim.official_value)
    assert why in str(claim.reason), claim.reason


def test_basis_points_in_a_sentence_naming_no_yield_are_not_read(checker: Checker) -> None:
    found = claims_of("The S&P 500 fell 5.7% this week, and fed funds futures price about 85bp of cuts this year.",
                      FRIDAY_2025_04_11, checker)
    assert not [c for c in found if c.unit == "bp"]
    # guard: the move of the sentence is a claim only where a yield is named (fails on the old code: no bp claims)
    assert one("The 10-year yield rose 47 bps on the week.", FRIDAY_2025_04_11, checker, quote="47").unit == "bp"


@pytest.mark.parametrize(
    ("when", "date_error", "wrong", "wrong_quote"),
    [
        # Wednesday 04-09 closed at 4.34; 4.26 is Tuesday 04-08's close (the session before); guard: 4.06 is 04-03's
        # close, four sessions away, too far to be taken for a date error
        (FRIDAY_2025_04_11, "The 10-year Treasury yield closed at 4.26% on Wednesday.",
         "The 10-year Treasury yield closed at 4.06% on Wednesday.", "4.06%"),
        # February 2025's average is 4.45; 4.63 is January's (a month's figure: within 0.15 + its rounding); guard:
        # 4.80 is no month's within one of February
        (date(2025, 6, 1), "The 10-year Treasury yield was 4.63% in February 2025.",
         "The 10-year Treasury yield was 4.80% in February 2025.", "4.80%"),
    ],
)  # fmt: skip
def test_a_yield_level_that_is_the_neighbouring_sessions_or_months_is_wrong_period(
        when: date, date_error: str, wrong: str, wrong_quote: str, checker: Checker) -> None:
    claim = one(date_error, when, checker, measure="yield")
    assert (claim.verdict, claim.reason) == ("contradicted", "wrong_period"), (claim.official_value, claim.note)
    far = one(wrong, when, checker, quote=wrong_quote)
    assert (far.measure, far.verdict, far.reason) == ("yield", "contradicted", "wrong_value"), far.note
