"""A monthly-average yield claim for a month the monthly series lacks: checked against the average of the daily
quotes of that month when they cover it (src/geostress/analytics/claims/check.py, ``Checker._daily_average``).

The rule rests on a definition (FRED GS10 and GS2 are the averages of DGS10's and DGS2's business days), checked
here on the stored data first. Other cases use the snapshot with some observations hidden (:class:`Masked`): a
monthly series cut short, a daily one cut or holed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd
import pytest

from geostress.analytics.claims import check_text
from geostress.analytics.claims.check import DAILY_AVERAGE_OF, TENORS, Checker
from geostress.data.store import Store

Range = tuple[str, str]


class Masked:
    """The store with the observations of some series in some date ranges hidden (duck-types :class:`Store` for
    the checker); frames are read once."""

    def __init__(self, store: Store, hide: Mapping[str, list[Range]]) -> None:
        self._store, self._hide, self._cache = store, hide, {}

    def series_ids(self) -> list[str]:
        return self._store.series_ids()

    def get(self, ids, **kw) -> pd.DataFrame:
        key = (repr(ids), repr(sorted(kw.items())))
        if key not in self._cache:
            frame = self._store.get(ids, **kw)
            days = pd.to_datetime(frame["period"])
            drop = pd.Series(False, index=frame.index)
            for sid, ranges in self._hide.items():
                for lo, hi in ranges:
                    drop |= (frame["series_id"] == sid) & (days >= pd.Timestamp(lo)) & (days <= pd.Timestamp(hi))
            self._cache[key] = frame[~drop].reset_index(drop=True)
        return self._cache[key]


def daily_and_monthly(store: Store, daily: str, monthly: str) -> tuple[pd.Series, pd.Series]:
    d = store.get(f"fred.{daily}")
    m = store.get(f"fred.{monthly}")
    return (pd.Series(d["value"].to_numpy(float), index=pd.DatetimeIndex(pd.to_datetime(d["period"]))),
            pd.Series(m["value"].to_numpy(float), index=pd.DatetimeIndex(pd.to_datetime(m["period"])).to_period("M")))


def one(text: str, when: date | None, checker: Checker):
    claims, _ = check_text(text, article_date=when, checker=checker)
    assert len(claims) == 1, [c.quote for c in claims]
    return claims[0]


def month_name(p: pd.Period) -> str:
    return p.strftime("%B %Y")


# -- the definition, on the stored data --------------------------------------------------------------------------
@pytest.mark.parametrize("monthly", sorted(DAILY_AVERAGE_OF))
def test_the_average_of_the_daily_quotes_reproduces_the_monthly_series(store: Store, monthly: str) -> None:
    daily = next(d for d, m, _ in TENORS if m == monthly)
    d, m = daily_and_monthly(store, daily, monthly)
    average = d.groupby(d.index.to_period("M")).mean()
    both = pd.concat([average, m], axis=1, keys=["average", "monthly"]).dropna()
    both = both.iloc[1:-1]  # the first and last months of the daily series may be partial
    assert len(both) >= 500
    gap = (both["average"] - both["monthly"]).abs()
    assert gap.max() <= 0.01, gap.idxmax()  # H.15 prints the average rounded to 0.01


def test_the_3_month_bill_rate_is_not_the_average_of_the_constant_maturity_quotes(store: Store) -> None:
    # TB3MS (discount basis) and DGS3MO (bond-equivalent, constant maturity) differ: the rule leaves it out
    assert "tb3ms" not in DAILY_AVERAGE_OF
    d, m = daily_and_monthly(store, "dgs3mo", "tb3ms")
    gap = (d.groupby(d.index.to_period("M")).mean() - m).dropna().abs()
    assert gap.median() > 0.05 and gap.max() > 0.5


@pytest.mark.parametrize("monthly", sorted(DAILY_AVERAGE_OF))
def test_the_checker_reproduces_every_published_month_with_the_monthly_series_hidden(store: Store,
                                                                                      monthly: str) -> None:
    """Hide the whole monthly series: every month it has is then checked against the daily average, which the
    coverage rule accepts (holidays, Good Fridays and market closures included) and which matches it."""
    daily = next(d for d, m, _ in TENORS if m == monthly)
    d, m = daily_and_monthly(store, daily, monthly)
    tenor = {"dgs10": "10-year", "dgs2": "2-year"}[daily]
    checker = Checker(Masked(store, {f"fred.{monthly}": [("1900-01-01", "2100-12-31")]}))
    months = [p for p in m.index if p >= d.index.min().to_period("M")]  # the first daily quote opens its month
    for p in months[:: 7] + months[-6:]:
        c = one(f"The {tenor} Treasury yield averaged {m[p]:.2f}% in {month_name(p)}.", (p + 2).start_time.date(),
                checker)
        assert c.verdict == "supported", (p, c.reason)
        assert c.series == f"fred.{daily}" and c.official_period == str(p)
        assert abs(c.official_value - m[p]) <= 0.01, p
        assert f"daily fred.{daily} values of {p}" in c.reason


# -- the user's case ---------------------------------------------------------------------------------------------
def test_a_month_after_the_end_of_the_monthly_series_is_the_average_of_its_daily_quotes(store: Store) -> None:
    d, m = daily_and_monthly(store, "dgs10", "gs10")
    july = pd.Period("2026-07", freq="M")
    if july in m.index or d.index.max() < pd.Timestamp("2026-08-01"):
        pytest.skip("the snapshot has changed: GS10 has July 2026, or DGS10 does not cover it")
    quotes = d[d.index.to_period("M") == july]
    expected = (f"average of the {len(quotes)} daily fred.dgs10 values of 2026-07 "
                f"(the monthly fred.gs10 ends {m.index.max()})")
    checker = Checker(store)
    wrong = one("The 10-year Treasury yield averaged 5.2% in July 2026.", date(2026, 8, 25), checker)
    assert (wrong.verdict, wrong.reason, wrong.series) == ("contradicted", "wrong_value", "fred.dgs10")
    assert wrong.official_value == pytest.approx(quotes.mean(), abs=1e-4) and wrong.official_period == "2026-07"
    assert expected in wrong.note and expected in wrong.source
    right = one(f"The 10-year Treasury yield averaged {quotes.mean():.2f}% in July.", date(2026, 8, 25), checker)
    assert (right.period, right.verdict, right.reason) == ("2026-07", "supported", expected)
    # a month the monthly series has is still checked against it
    may = one(f"The 10-year Treasury yield averaged {m[m.index.max()]:.2f}% in {month_name(m.index.max())}.",
              date(2026, 8, 25), checker)
    assert (may.verdict, may.series) == ("supported", "fred.gs10")


# -- vintages: the month must be over, and covered, by the article's date -----------------------------------------
def test_the_current_month_is_not_checkable_and_says_what_the_daily_quotes_cover(store: Store) -> None:
    checker = Checker(store)
    aug = one("The 10-year Treasury yield averaged 4.2% in August 2026.", date(2026, 8, 25), checker)
    assert aug.verdict == "not_checkable" and aug.official_value is None
    assert "2026-08 is not over at the article's date (2026-08-25): fred.dgs10 has" in aug.reason
    assert "daily values of 2026-08 by then, 2026-08-03.." in aug.reason
    # the last day of the month: its close is not known yet on that day
    last = one("The 10-year Treasury yield averaged 4.6% in July 2026.", date(2026, 7, 31), checker)
    assert last.verdict == "not_checkable" and "2026-07 is not over" in last.reason


def test_a_month_after_the_article_date_is_never_averaged(store: Store) -> None:
    c = one("The 10-year Treasury yield averaged 4.6% in July 2026.", date(2026, 3, 1), Checker(store))
    assert (c.verdict, c.reason) == ("not_checkable", "no data for 2026-07 in fred.gs10")


@pytest.mark.parametrize(("hidden", "when"), [
    ([("2026-07-16", "2100-12-31")], date(2026, 8, 25)),  # the daily series ends mid-month
    ([("2026-07-16", "2100-12-31")], None),  # the same, no article date
    ([("2026-07-13", "2026-07-15")], date(2026, 8, 25)),  # three weekdays missing: a hole, not holidays
    ([("1900-01-01", "2026-07-02")], date(2026, 8, 25)),  # the daily series starts mid-month
])  # fmt: skip
def test_a_month_the_daily_quotes_do_not_cover_is_not_averaged(store: Store, hidden: list[Range],
                                                               when: date | None) -> None:
    checker = Checker(Masked(store, {"fred.dgs10": hidden, "fred.gs10": [("2026-01-01", "2100-12-31")]}))
    c = one("The 10-year Treasury yield averaged 4.6% in July 2026.", when, checker)
    assert c.verdict == "not_checkable" and c.official_value is None
    assert c.reason.startswith("no data for 2026-07 in fred.gs10; fred.dgs10 does not cover all of 2026-07 (")


def test_a_holiday_and_one_missing_quote_still_cover_the_month(store: Store) -> None:
    # July 2026: Independence Day observed on Friday 3 July; one more day without a quote (a market closure)
    checker = Checker(Masked(store, {"fred.dgs10": [("2026-07-15", "2026-07-15")],
                                     "fred.gs10": [("2026-01-01", "2100-12-31")]}))
    c = one("The 10-year Treasury yield averaged 4.6% in July 2026.", date(2026, 8, 25), checker)
    assert c.series == "fred.dgs10" and "average of the 21 daily fred.dgs10 values of 2026-07" in c.source


# -- the other tenors ----------------------------------------------------------------------------------------------
def test_tenors_without_a_monthly_series_use_the_daily_average(store: Store) -> None:
    d = store.get("fred.dgs30")
    quotes = d[pd.to_datetime(d["period"]).dt.to_period("M") == pd.Period("2025-10", freq="M")]["value"]
    checker = Checker(store)
    c = one(f"The 30-year Treasury yield averaged {quotes.mean():.2f}% in October 2025.", date(2025, 12, 5), checker)
    assert (c.verdict, c.series, c.official_period) == ("supported", "fred.dgs30", "2025-10")
    assert c.reason == f"average of the {len(quotes)} daily fred.dgs30 values of 2025-10 (no monthly series for " \
                       "this tenor)"
    # the store's last month of DGS30 is partial (it ends 2025-11-24): not averaged, and the reason says so
    nov = one("The 30-year Treasury yield averaged 4.6% in November 2025.", date(2026, 8, 25), checker)
    assert nov.verdict == "not_checkable"
    assert nov.reason.startswith("no monthly series for this tenor (dgs30); fred.dgs30 does not cover all of 2025-11")


def test_the_3_month_bill_rate_is_not_replaced_by_the_daily_average(store: Store) -> None:
    checker = Checker(Masked(store, {"fred.tb3ms": [("2025-01-01", "2100-12-31")]}))
    c = one("The 3-month Treasury yield averaged 4.0% in October 2025.", date(2025, 12, 5), checker)
    assert c.verdict == "not_checkable" and "dgs3mo" in c.reason and "not averaged" in c.reason
