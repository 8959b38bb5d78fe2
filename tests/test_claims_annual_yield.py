"""A yield claim for a whole year: checked against the average of the year's 12 monthly values (not December's),
or, when the clause says the year's end ("ended 2024 at", 年底, 年末), against the year's last daily close
(src/geostress/analytics/claims/check.py, ``Checker._whole_year``; the year-end cue: ``patterns.YEAR_END``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd
import pytest

from geostress.analytics.claims import check_text
from geostress.analytics.claims.check import Checker
from geostress.data.store import Store

WHEN = date(2026, 3, 1)


def one(text: str, checker: Checker, when: date | None = WHEN):
    claims, _ = check_text(text, article_date=when, checker=checker)
    assert len(claims) == 1, [c.quote for c in claims]
    return claims[0]


def annual_means(store: Store, sid: str) -> pd.Series:
    frame = store.get(sid)
    values = pd.Series(frame["value"].to_numpy(float), index=pd.to_datetime(frame["period"]))
    by_year = values.groupby(values.index.year)
    return by_year.mean()[by_year.size() == 12]


def last_close(store: Store, sid: str, year: int) -> tuple[pd.Timestamp, float]:
    frame = store.get(sid)
    inside = frame[pd.to_datetime(frame["period"]).dt.year == year]
    return pd.Timestamp(inside["period"].iloc[-1]), float(inside["value"].iloc[-1])


@pytest.fixture(scope="module")
def checker(store: Store) -> Checker:
    return Checker(store)


# -- the annual average -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("sid", ["fred.gs10", "fred.gs2"])
def test_the_annual_average_is_the_pandas_mean_of_the_monthly_series(store: Store, checker: Checker,
                                                                      sid: str) -> None:
    tenor = {"fred.gs10": "10-year", "fred.gs2": "2-year"}[sid]
    means = annual_means(store, sid)
    years = [y for y in means.index if 2015 <= y <= 2025]
    assert len(years) == 11
    for year in years:
        c = one(f"For {year}, the {tenor} Treasury yield averaged {means[year]:.2f}%.", checker)
        assert (c.verdict, c.series, c.official_period) == ("supported", sid, str(year)), (year, c.reason)
        assert c.official_value == pytest.approx(means[year], abs=1e-4), year
        assert c.reason == f"average of the 12 monthly values of {year} ({sid})"
        assert f"{sid} average of the 12 monthly values of {year}" in c.source


def test_english_annual_averages_are_not_december(store: Store, checker: Checker) -> None:
    means = annual_means(store, "fred.gs10")
    right = one("Over 2025 the benchmark 10-year Treasury yield averaged 4.29%, a touch above 2024.", checker)
    assert (right.verdict, right.official_period) == ("supported", "2025")
    assert right.official_value == pytest.approx(means[2025], abs=1e-4)
    # 4.1% is not 4.21% rounded: wrong, and with the year's average as the official figure (not December's 4.39)
    wrong = one("The 10-year yield averaged 4.1% in 2024.", checker)
    assert (wrong.verdict, wrong.reason, wrong.official_period) == ("contradicted", "wrong_value", "2024")
    assert wrong.official_value == pytest.approx(means[2024], abs=1e-4)
    assert wrong.note == f"average of the 12 monthly values of 2024 (fred.gs10); official {means[2024]:.2f}%"


def test_simplified_chinese_annual_average(store: Store, checker: Checker) -> None:
    mean = annual_means(store, "fred.gs2")[2024]
    c = one("2024年全年，2年期美债收益率平均为4.37%。", checker)
    assert (c.verdict, c.series, c.official_period) == ("supported", "fred.gs2", "2024")
    assert c.official_value == pytest.approx(mean, abs=1e-4)
    assert "average of the 12 monthly values of 2024" in c.reason
    wrong = one("10年期美债收益率2024年全年平均仅为4.0%。", checker)
    assert (wrong.verdict, wrong.official_period) == ("contradicted", "2024")


def test_traditional_chinese_annual_average(store: Store, checker: Checker) -> None:
    c = one("10年期美國公債殖利率2025年平均為4.29%。", checker)
    assert (c.verdict, c.series, c.official_period) == ("supported", "fred.gs10", "2025")
    assert "average of the 12 monthly values of 2025" in c.source


def test_a_year_not_over_at_the_article_date_is_not_checkable(checker: Checker) -> None:
    c = one("So far the 10-year Treasury yield has averaged 4.2% in 2026.", checker)
    assert c.verdict == "not_checkable" and c.official_value is None
    assert c.reason.startswith("2026 is not over at the article's date (2026-03-01): the average of its 12 months is "
                               "not known; fred.gs10 has 2 monthly values of 2026")
    assert "2026-01..2026-02" in c.reason


class Masked:
    """The store with some observations hidden (duck-types :class:`Store` for the checker)."""

    def __init__(self, store: Store, hide: Mapping[str, tuple[str, str]]) -> None:
        self._store, self._hide = store, hide

    def series_ids(self) -> list[str]:
        return self._store.series_ids()

    def get(self, ids, **kw) -> pd.DataFrame:
        frame = self._store.get(ids, **kw)
        days = pd.to_datetime(frame["period"])
        drop = pd.Series(False, index=frame.index)
        for sid, (lo, hi) in self._hide.items():
            drop |= (frame["series_id"] == sid) & (days >= pd.Timestamp(lo)) & (days <= pd.Timestamp(hi))
        return frame[~drop].reset_index(drop=True)


def test_months_the_monthly_series_lacks_take_the_daily_average(store: Store) -> None:
    checker = Checker(Masked(store, {"fred.gs10": ("2025-11-01", "2100-12-31")}))
    c = one("The 10-year Treasury yield averaged 4.29% in 2025.", checker)
    assert (c.verdict, c.official_period) == ("supported", "2025")
    assert c.official_value == pytest.approx(annual_means(store, "fred.gs10")[2025], abs=0.005)
    assert "2025-11, 2025-12: the average of the daily fred.dgs10 values" in c.reason
    # without the daily quotes either, the year is not checkable and the reason names the month lacking
    bare = Checker(Masked(store, {"fred.gs10": ("2025-11-01", "2100-12-31"),
                                  "fred.dgs10": ("2025-11-01", "2100-12-31")}))
    c = one("The 10-year Treasury yield averaged 4.29% in 2025.", bare)
    assert c.verdict == "not_checkable"
    assert c.reason.startswith("the average of 2025 needs its 12 months: no data for 2025-11 in fred.gs10")


# -- the year's end -----------------------------------------------------------------------------------------------
def test_english_year_end_is_the_last_daily_close(store: Store, checker: Checker) -> None:
    day, close = last_close(store, "fred.dgs10", 2024)
    c = one(f"The 10-year yield ended 2024 at {close:.2f}%.", checker)
    assert (c.verdict, c.series, c.official_period) == ("supported", "fred.dgs10", f"{day:%Y-%m-%d}")
    assert c.reason == f"the year's end: the last daily close of 2024 (fred.dgs10 {day:%Y-%m-%d})"
    both = check_text("The 10-year yield averaged 4.29% in 2025 and closed the year at 4.18%.", article_date=WHEN,
                      checker=checker)[0]
    assert [(x.verdict, x.official_period) for x in both] == [("supported", "2025"), ("supported", "2025-12-31")]


def test_simplified_chinese_year_end(store: Store, checker: Checker) -> None:
    day, close = last_close(store, "fred.dgs10", 2024)
    c = one(f"2024年底，10年期美债收益率收于{close:.2f}%。", checker)
    assert (c.verdict, c.official_period, c.official_value) == ("supported", f"{day:%Y-%m-%d}", close)
    assert "last daily close of 2024" in c.source


def test_traditional_chinese_year_end(store: Store, checker: Checker) -> None:
    day, close = last_close(store, "fred.dgs2", 2025)
    c = one(f"兩年期美債殖利率2025年末收在{close:.2f}%。", checker)
    assert (c.verdict, c.series, c.official_period) == ("supported", "fred.dgs2", f"{day:%Y-%m-%d}")
    wrong = one(f"兩年期美債殖利率2025年末收在{close + 0.3:.2f}%。", checker)
    assert (wrong.verdict, wrong.official_period) == ("contradicted", f"{day:%Y-%m-%d}")


def test_year_end_before_the_year_is_over_is_not_checkable(checker: Checker) -> None:
    c = one("The 10-year yield ended 2025 at 4.2%.", checker, when=date(2025, 12, 20))
    assert c.verdict == "not_checkable" and "2025 is not over at the article's date (2025-12-20)" in c.reason


def test_a_month_is_still_the_monthly_average(checker: Checker) -> None:
    c = one("The 10-year Treasury yield averaged 4.14% in December 2025.", checker)
    assert (c.verdict, c.series, c.official_period) == ("supported", "fred.gs10", "2025-12")
