"""Verdicts for extracted claims against the vintaged store, each citing series, period, vintage and source.

* ``supported``: the stored value at the claimed period is within the tolerance (see :func:`tolerance_for`);
* ``contradicted``: it is not (``data_value`` gives the stored value);
* ``wrong_date``: the number matches the data at another period (``data_period``, the match nearest in time);
* ``not_checkable``: nothing in the store maps to the claim, or there are no data for its period.

Derived claims (a % decline from the peak, a count of consecutive months) are recomputed from the stored series
with :func:`geostress.analytics.monitor.holder_stats`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pandas as pd

from geostress.analytics.claims.extract import Claim
from geostress.data.store import Store
from geostress.errors import DataError
from geostress.analytics.monitor import holder_stats

DEFAULT_REL_TOL = 0.01  # 1 % of the value (levels)
DEFAULT_PP_TOL = 0.5  # percentage points (derived percentages)
YIELD_TOL = 0.15  # percentage points (a day's quote against a monthly average)


@dataclass
class _Series:
    values: pd.Series  # indexed by monthly pandas Period
    vintage: dict[pd.Period, str]
    source: str


def tolerance_for(claim: Claim, rel_tol: float = DEFAULT_REL_TOL) -> float:
    """Absolute tolerance for a claim: the larger of the stated precision and the default, wider if approximate."""
    loose = claim.qualifier in ("approx", "nearly")
    if claim.unit in ("percent", "pp"):
        base = YIELD_TOL if claim.measure == "ust_10y_yield" else DEFAULT_PP_TOL
        return max(claim.precision, base * (3 if loose else 1))
    if claim.unit == "months":
        return 0.0
    value = abs(claim.value or 0.0)
    return max(claim.precision, value * rel_tol * (3 if loose else 1))


def matches(claimed: float, data: float, tol: float, qualifier: str | None) -> bool:
    """Whether ``data`` agrees with a claimed value stated with ``qualifier`` (more than, nearly ...)."""
    if qualifier in ("more_than", "at_least"):
        return data >= claimed - tol
    if qualifier == "less_than":
        return data <= claimed + tol
    if qualifier == "nearly":
        return claimed - 3 * tol <= data <= claimed + tol / 3
    return abs(data - claimed) <= tol + 1e-9


def _months(period: str | None, fuzz: int) -> list[pd.Period] | None:
    if period is None:
        return None
    if len(period) == 4:
        return list(pd.period_range(f"{period}-01", f"{period}-12", freq="M"))
    center = pd.Period(period, freq="M")
    return [center + k for k in sorted(range(-fuzz, fuzz + 1), key=abs)]


class Checker:
    """Checks claims against a :class:`~geostress.data.store.Store` (series read once and cached)."""

    def __init__(self, store: Store | None = None, *, rel_tol: float = DEFAULT_REL_TOL, as_of: str | None = None):
        self.store = store or Store()
        self.rel_tol = rel_tol
        self.as_of = as_of
        self._cache: dict[str, _Series | None] = {}
        self._stats: dict[tuple[str, str, bool], dict] = {}

    def series(self, series_id: str) -> _Series | None:
        if series_id not in self._cache:
            try:
                frame = self.store.get(series_id, as_of=self.as_of)
            except DataError:
                frame = None
            if frame is None or frame.empty:
                self._cache[series_id] = None
            else:
                idx = pd.PeriodIndex(pd.to_datetime(frame["period"]), freq="M")
                values = pd.Series(frame["value"].to_numpy(float), index=idx).sort_index()
                vint = dict(zip(idx, pd.to_datetime(frame["vintage"]).dt.strftime("%Y-%m-%d"), strict=True))
                self._cache[series_id] = _Series(values, vint, str(frame["source"].iloc[-1]))
        return self._cache[series_id]

    # -- helpers ------------------------------------------------------------------------------------------------
    def _cite(self, claim: Claim, series_id: str, s: _Series, period: pd.Period, value: float) -> None:
        claim.series = series_id
        claim.data_period = f"{period}"
        claim.data_value = round(float(value), 3)
        claim.vintage = s.vintage.get(period)
        claim.source = f"{s.source}: {series_id} {period} (vintage {claim.vintage})"

    def _stats_upto(self, series_id: str, s: _Series, end: pd.Period, invert: bool = False) -> dict | None:
        key = (series_id, str(end), invert)
        if key not in self._stats:
            part = s.values[s.values.index <= end]
            if len(part) == 0:
                self._stats[key] = None  # type: ignore[assignment]
            else:
                ts = part.copy()
                ts.index = ts.index.to_timestamp(how="end").normalize()
                self._stats[key] = holder_stats(-ts if invert else ts)
                self._stats[key]["n"] = len(part)
        return self._stats[key]

    def _end_period(self, claim: Claim, s: _Series) -> pd.Period | None:
        if claim.period is None:
            return s.values.index[-1]
        if len(claim.period) == 4:
            inside = s.values[s.values.index.year == int(claim.period)]
            return inside.index[-1] if len(inside) else None
        p = pd.Period(claim.period, freq="M")
        return p if p in s.values.index else None

    # -- verdicts -----------------------------------------------------------------------------------------------
    def check(self, claim: Claim) -> Claim:
        """Fill in the verdict, data value, period, vintage and source of one claim (in place; returned)."""
        m = claim.measure
        try:
            if m in ("ust_holdings", "ust_holdings_peak", "decline_from_peak_pct", "decline_pct") and claim.subject_key:
                sid = f"tic.mfh.{claim.subject_key}"
            elif m in ("gold_reserves", "gold_purchase") or (m == "duration" and claim.extra.get("instrument") == "gold"):
                if claim.unit == "million troy oz" or (m == "duration" and claim.subject_key == "china_mainland"):
                    sid = "gold.safe.china" if claim.subject_key == "china_mainland" else None
                else:
                    sid = f"gold.wgc.{claim.subject_gold_key}" if claim.subject_gold_key else None
            elif m == "duration" and claim.subject_key:
                sid = f"tic.mfh.{claim.subject_key}"
            elif m == "ust_10y_yield":
                sid = "fred.gs10"
            else:
                sid = None
            s = self.series(sid) if sid else None
            if s is None:
                claim.verdict = "not_checkable"
                if claim.reason is None:
                    claim.reason = f"no stored series for this claim ({sid or m})"
                return claim
            claim.tolerance = round(tolerance_for(claim, self.rel_tol), 4)
            if m in ("ust_holdings", "gold_reserves", "ust_10y_yield"):
                self._level(claim, sid, s)
            elif m == "gold_purchase":
                self._level(claim, sid, _Series(s.values.diff().dropna(), s.vintage, s.source), what="change")
            elif m == "ust_holdings_peak":
                self._peak(claim, sid, s)
            elif m in ("decline_from_peak_pct", "decline_pct"):
                self._decline(claim, sid, s)
            elif m == "duration":
                self._streak(claim, sid, s, increases=claim.extra.get("instrument") == "gold")
        except (ValueError, KeyError, IndexError) as exc:  # pragma: no cover - reported, never raised
            claim.verdict, claim.reason = "not_checkable", f"could not check: {exc}"
        return claim

    def check_all(self, claims: Iterable[Claim]) -> Iterator[Claim]:
        for claim in claims:
            yield self.check(claim)

    def _level(self, claim: Claim, sid: str, s: _Series, what: str = "level") -> None:
        assert claim.value is not None and claim.tolerance is not None
        values = s.values
        window = _months(claim.period, claim.period_fuzz)
        ok = lambda v: matches(claim.value, v, claim.tolerance, claim.qualifier)  # noqa: E731
        if window is None:
            p = values.index[-1]
            self._cite(claim, sid, s, p, values.iloc[-1])
            claim.verdict = "supported" if ok(values.iloc[-1]) else "contradicted"
            if claim.verdict == "contradicted":
                hits = [q for q, v in values.items() if ok(v)]
                if hits:
                    claim.note = f"no date stated; the latest value ({p}) differs, the number matches {hits[-1]}"
            else:
                claim.note = "no date stated: compared with the latest value"
            return
        present = [p for p in window if p in values.index]
        if not present:  # quarterly data or a month between observations: the latest observation before
            before = values[values.index <= window[0] + claim.period_fuzz]
            if len(before) and (window[0] - before.index[-1]).n <= 2:
                present = [before.index[-1]]
        if not present:
            claim.verdict = "not_checkable"
            claim.series = sid
            claim.reason = (f"no data for {claim.period} ({sid} covers {values.index[0]}–{values.index[-1]})")
            return
        for p in present:
            if ok(values[p]):
                self._cite(claim, sid, s, p, values[p])
                claim.verdict = "supported"
                return
        center = present[0]
        hits = [q for q, v in values.items() if ok(v)]
        if hits:
            best = min(hits, key=lambda q: abs((q - center).n))
            self._cite(claim, sid, s, best, values[best])
            claim.verdict = "wrong_date"
            claim.note = f"the {what} at {center} was {values[center]:,.2f}; the number matches {best}"
        else:
            self._cite(claim, sid, s, center, values[center])
            claim.verdict = "contradicted"

    def _peak(self, claim: Claim, sid: str, s: _Series) -> None:
        assert claim.value is not None and claim.tolerance is not None
        st = self._stats_upto(sid, s, s.values.index[-1])
        assert st is not None
        peak_p = pd.Period(st["peak_period"], freq="M")
        self._cite(claim, sid, s, peak_p, st["peak"])
        if not matches(claim.value, st["peak"], claim.tolerance, claim.qualifier):
            claim.verdict = "contradicted"
            claim.note = f"the stored peak is {st['peak']:,.1f} in {peak_p}"
            return
        window = _months(claim.period, claim.period_fuzz)
        if window is None or peak_p in window:
            claim.verdict = "supported"
        else:
            claim.verdict = "wrong_date"
            claim.note = f"the peak was in {peak_p}, not {claim.period}"

    def _decline(self, claim: Claim, sid: str, s: _Series) -> None:
        assert claim.value is not None and claim.tolerance is not None
        end = self._end_period(claim, s)
        if end is None:
            claim.verdict, claim.reason = "not_checkable", f"no data for {claim.period} in {sid}"
            return
        if claim.measure == "decline_from_peak_pct":
            st = self._stats_upto(sid, s, end)
            assert st is not None
            start_p, start_v = pd.Period(st["peak_period"], freq="M"), st["peak"]
        else:
            start = self._end_period(Claim(**{**claim.__dict__, "period": claim.period_start}), s)
            if start is None:
                claim.verdict, claim.reason = "not_checkable", f"no data for {claim.period_start} in {sid}"
                return
            start_p, start_v = start, float(s.values[start])
        end_v = float(s.values[end])
        pct = 100.0 * (1.0 - end_v / start_v)
        self._cite(claim, sid, s, end, pct)
        claim.data_value = round(pct, 2)
        claim.source = (f"{s.source}: {sid} {start_p} {start_v:,.1f} → {end} {end_v:,.1f} "
                        f"(vintage {claim.vintage}), recomputed")
        claim.note = f"recomputed: 1 − {end_v:,.1f} / {start_v:,.1f} ({start_p}) = {pct:.1f}%"
        claim.verdict = "supported" if matches(claim.value, pct, claim.tolerance, claim.qualifier) else "contradicted"

    def _streak(self, claim: Claim, sid: str, s: _Series, *, increases: bool) -> None:
        assert claim.value is not None
        end = self._end_period(claim, s)
        if end is None:
            claim.verdict, claim.reason = "not_checkable", f"no data for {claim.period} in {sid}"
            return
        st = self._stats_upto(sid, s, end, invert=increases)
        assert st is not None
        streak = int(st["decline_streak"])  # of the negated series when counting increases
        censored = streak == st["n"] - 1
        self._cite(claim, sid, s, end, streak)
        what = "monthly additions" if increases else "monthly declines"
        since = end - streak + 1 if streak else None
        claim.note = (f"{streak} consecutive {what} to {end}" + (f" (since {since})" if since else "")
                      + (f"; the data begin {s.values.index[0]}, so the run may be longer" if censored else ""))
        n = claim.value
        if streak == n or (claim.qualifier in ("more_than", "at_least") and streak >= n) or (censored and n >= streak):
            claim.verdict = "supported"
        else:
            claim.verdict = "contradicted"


def check_claims(claims: Iterable[Claim], store: Store | None = None, *, rel_tol: float = DEFAULT_REL_TOL,
                 as_of: str | None = None) -> list[Claim]:
    """Check every claim (see :class:`Checker`)."""
    checker = Checker(store, rel_tol=rel_tol, as_of=as_of)
    return list(checker.check_all(claims))
