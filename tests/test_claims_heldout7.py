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
