"""Claims check: two defects a thirty-sixth review found.

1. A level after 降至/减少至/增至/跌至 with its month between the verb and the figure (从2013年11月的1.3167万亿美元降至
   2025年12月的6835亿美元) was read as a change of that month (``level_as_change``); without dates, the start of
   the move (从1.3167万亿美元…) was checked against the end's month. The end of such a move is a level; its start,
   with no date of its own, is some earlier month the text does not name: not checkable. A change restating a
   dated move (…，减少了755亿美元; ", a drop of $633.2bn") runs between the move's two months.
2. A claim in an article dated before the data was checked against later data (``--date 1999-01-01`` against
   2000-03); a month not yet published at the article's date is not checkable, and a ``--date`` after today is a
   usage error.

Every test below fails on the code before those fixes. Official figures (the store's): TIC China 2013-11 1,316.7,
2025-12 683.5; Japan 2024-12 1,061.5, 2025-12 1,185.5.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from claims_support import claims_app, one
from typer.testing import CliRunner

from geostress.analytics.claims.check import Checker

WHEN = date(2026, 3, 1)


# -- 1. the end of a move with its month between the verb and the figure is a level ---------------------------
@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("中国持有的美国国债从2013年11月的1.3167万亿美元降至2025年12月的6835亿美元。", "1.3167", "6835"),
        ("中國持有的美國公債從2013年11月的1.3167兆美元減少至2025年12月的6835億美元。", "1.3167", "6835"),
        ("中国持有的美国国债由2013年11月的1.3167万亿美元降至2025年12月的6835亿美元。", "1.3167", "6835"),
        ("中國持有的美國公債從2013年11月的1.3167兆美元跌至2025年12月的6835億美元。", "1.3167", "6835"),
        ("中国持有美国国债从2013年11月的13167亿美元下降至2025年12月的6835亿美元。", "13167", "6835"),
        ("日本持有的美国国债从2024年12月的10615亿美元增至2025年12月的11855亿美元。", "10615", "11855"),
    ],
)  # fmt: skip
def test_dated_end_of_a_move_is_a_level(text: str, start: str, end: str, checker: Checker) -> None:
    first = one(text, WHEN, checker, quote=start)
    last = one(text, WHEN, checker, quote=end)
    assert (first.measure, first.verdict) == ("holdings_level", "supported")
    assert (last.measure, last.period, last.verdict, last.reason) == ("holdings_level", "2025-12", "supported", None)
    assert last.value > 0
    # the 较/較 form (the base after the level, with its own month) is read the same way
    for other in ("中国持有的美国国债2025年12月降至6835亿美元，较2013年11月的1.3167万亿美元大幅减少。",
                  "中國持有的美國公債2025年12月減少至6835億美元，較2013年11月的1.3167兆美元大幅下降。"):
        base = one(other, WHEN, checker, quote="1.3167")
        assert (base.measure, base.period, base.verdict) == ("holdings_level", "2013-11", "supported")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("中国持有的美国国债从1.3167万亿美元降至6835亿美元。", "1.3167", "6835"),
        ("中國持有的美國公債從1.3167兆美元減少至6835億美元。", "1.3167", "6835"),
        ("中国持有的美国国债从1.3167万亿美元降至2025年12月的6835亿美元。", "1.3167", "6835"),
        ("日本持有美债由10598亿美元增至11855亿美元。", "10598", "11855"),
        ("China's holdings of Treasuries fell from $1,316.7bn to $683.5bn.", "1,316.7", "683.5"),
    ],
)  # fmt: skip
def test_undated_start_of_a_move_is_not_checkable(text: str, start: str, end: str, checker: Checker) -> None:
    first = one(text, WHEN, checker, quote=start)
    last = one(text, WHEN, checker, quote=end)
    assert first.verdict == "not_checkable" and "no date of its own" in (first.reason or "")
    assert (last.measure, last.verdict) == ("holdings_level", "supported")
    # the base of "to Y from X" and 从上月的X keep the month before
    base = one("China's holdings fell to $683.5bn from $683.9bn.", WHEN, checker, quote="683.9")
    assert (base.period, base.verdict) == ("2025-11", "supported")
    base = one("中国持有的美国国债从上月的6839亿美元降至6835亿美元。", WHEN, checker, quote="6839")
    assert (base.period, base.verdict) == ("2025-11", "supported")


@pytest.mark.parametrize(
    ("text", "quote", "measure", "official"),
    [
        ("中国持有美债从2024年12月的7590亿美元降至2025年12月的6835亿美元，减少了755亿美元。", "755", "annual_change",
         -75.5),
        ("中国持有美债从2024年12月的7590亿美元降至2025年12月的6835亿美元，降幅约为9.9%。", "9.9%",
         "annual_change_pct", -9.947),
        ("中國持有的美國公債從2013年11月的1.3167兆美元減少至2025年12月的6835億美元，減少6332億美元。", "6332",
         "monthly_change", -633.2),
        ("China's holdings fell from $1,316.7bn in November 2013 to $683.5bn in December 2025, a drop of $633.2bn.",
         "633.2", "monthly_change", -633.2),
    ],
)  # fmt: skip
def test_change_after_a_dated_move_spans_its_months(text: str, quote: str, measure: str, official: float,
                                                    checker: Checker) -> None:
    # the change restating a dated "from X to Y" runs between its two months, not over the end's last month
    claim = one(text, WHEN, checker, quote=quote)
    assert (claim.measure, claim.official_value, claim.verdict) == (measure, official, "supported")


# -- 2. a month not yet published at the article's date ---------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("China holds $683.5bn of Treasuries.", "683.5"),
        ("China held $683.5bn of Treasuries in December 2025.", "683.5"),
        ("China's holdings fell $0.4bn in December 2025.", "0.4"),
    ],
)  # fmt: skip
def test_period_after_the_article_is_not_checkable(text: str, quote: str, checker: Checker) -> None:
    claim = one(text, date(1999, 1, 1), checker, quote=quote)
    assert claim.verdict == "not_checkable" and "by the article's date (1999-01-01)" in (claim.reason or "")
    assert claim.official_value is None


def test_month_released_after_the_article_is_not_checkable(checker: Checker) -> None:
    # December 2025's TIC figures came out in February 2026: not known on 10 January 2026
    claim = one("China held $683.5bn of Treasuries in December 2025.", date(2026, 1, 10), checker, quote="683.5")
    assert claim.verdict == "not_checkable" and "2025-12" in (claim.reason or "")
    claim = one("China held $683.5bn of Treasuries in December 2025.", date(2026, 3, 1), checker, quote="683.5")
    assert claim.verdict == "supported"


def test_cli_refuses_a_date_after_today(geostress_home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "a.txt"
    src.write_text("China holds $683.5bn of Treasuries.\n", encoding="utf-8")
    later = (date.today() + timedelta(days=400)).isoformat()
    out = CliRunner().invoke(claims_app(), ["claims", "check", str(src), "--date", later])
    assert out.exit_code == 2
    assert "--date" in out.output and "after today" in out.output
