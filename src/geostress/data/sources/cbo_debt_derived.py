"""Debt held by the public for the CBO baselines that do not publish it, derived from what they do publish.

CBO's ``baselines.csv`` (:mod:`.cbo_baselines`) has 117 vintages; 88 carry net interest, deficits and revenue, but
only 33 of those carry debt held by the public — the January baselines, CBO's main ones, are mostly among those
without it. This module derives the missing debt paths so that every one of the 88 vintages can drive the fiscal
engine, and stores them **under the same series id** ``cbo.debt`` but with their own source,
``cbo-debt-derived``, and a label that says "derived by geostress" (``geostress data show cbo.debt --vintage
2017-01`` prints the source next to every value). CBO's published values keep source ``cbo-baselines``; a reader
that wants only published values filters on the source.

Why not a flag column or another series id: a flag would change the observation schema of the whole store for one
series; another id (``cbo.debt_derived``) would hide the values from every reader of ``cbo.debt`` by vintage. The
source column is already printed by ``data show``, returned by the Python API and the service.

The derivation (for a baseline of vintage *V* whose first projected fiscal year is *f*)
-------------------------------------------------------------------------------------
.. math::

    D_{f-1} = \\text{actual debt at the end of FY } f-1 \\quad (\\texttt{cbo.actual.debt}, \\text{known before } V)

    D_t = D_{t-1} + \\text{deficit}_t + \\text{OMF}_t

where deficit is the baseline's own projected deficit and OMF ("other means of financing": changes in the
Treasury's cash balance, credit-program financing accounts such as student loans, ...) is taken **by fiscal year
from the most recent earlier baseline that does publish debt** (its implied OMF, debt change less deficit, with
the actual debt before its first year); beyond that baseline's last year, its last year's OMF. Everything used was
published before *V*.

The path never falls below the lowest debt any earlier baseline published (CBO's paths of 2000–2002 level off at
the debt not available for redemption, $0.9–1.2 trillion, and let cash pile up instead); and an earlier baseline's
OMF in years where it sits on that floor (a surplus that retires less than half of itself) is replaced by the
median of its other years, since that "financing" is the floor at work, not a financing flow to carry over.

How close it gets, tested on the vintages that publish debt (:func:`evaluate`): each is derived as if its debt
were missing and compared with CBO's own path. Of the 45 vintages with debt, 43 can be tested (February 1984 and
1985 have no actual debt or earlier debt vintage before them). Error of the derived debt, in percent of the actual
debt before the first projected year — mean absolute (median): first projected year 0.90 (0.45), fifth year 0.90
(0.45), last year 1.33 (0.58); 32 of the 43 stay within 2% in every year and 38 within 5%. The largest errors:
March 2010 (-9.3% in FY2020), March 2009 (-8.7% in FY2009: TARP and the GSE purchases are OMF that no earlier
baseline had), March 2011 (-6.4%), May 2001 (7.2%) and April 2000 (6.3%).

References
----------
.. [1] Congressional Budget Office, ``US-CBO/eval-projections``, ``input_data/baselines.csv`` and
   ``input_data/actuals.csv``, https://github.com/US-CBO/eval-projections
.. [2] Congressional Budget Office, "An Evaluation of CBO's Projections of Deficits and Debt",
   https://www.cbo.gov/publication/60664 (other means of financing)
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from geostress.data.sources import cbo_actuals, cbo_baselines
from geostress.data.sources.base import UNIT_USD_BN, ParsedRelease, Query
from geostress.errors import ParseError

NAME = "cbo-debt-derived"
TITLE = "CBO debt held by the public, derived for baselines that do not publish it"
PUBLISHER = "geostress, from Congressional Budget Office baselines and actuals (derived, not published by CBO)"
LICENSE = "Derived from U.S. Government works (public domain)"

#: The two CBO files the derivation reads: baselines (the ``path`` of its snapshot entry), then actuals.
INPUTS = ("baselines.csv", "actuals.csv")
SERIES_ID = "cbo.debt"


def build_queries(**options: str) -> list[Query]:
    """Nothing to download: the derivation is rebuilt from the CBO files (``cbo-baselines``, ``cbo-actuals``).

    Returns
    -------
    list[Query]
        An empty list (``geostress data update`` skips this source).
    """
    return []


def parse(raw: bytes, *, origin: str) -> ParsedRelease:
    """Refuse a single file: the derivation needs CBO's baselines *and* actuals (see :func:`derive`).

    Raises
    ------
    ParseError
        Always, explaining how the derived series is built.
    """
    raise ParseError(
        "cbo-debt-derived is derived from two CBO files (baselines.csv and actuals.csv), not imported from one",
        file=origin, line=1, field="source",
        hint="it is built into the snapshot; import the CBO files with --source cbo-baselines and cbo-actuals",
    )


def _by_fy(frame: pd.DataFrame, series_id: str) -> pd.Series:
    sub = frame[frame["series_id"] == series_id]
    return pd.Series(sub["value"].to_numpy(), index=sub["period"].dt.year.to_numpy()).sort_index()


def _vintage_paths(baselines: pd.DataFrame, series_id: str) -> dict[pd.Timestamp, pd.Series]:
    sub = baselines[baselines["series_id"] == series_id]
    return {pd.Timestamp(v): pd.Series(g["value"].to_numpy(), index=g["period"].dt.year.to_numpy()).sort_index()
            for v, g in sub.groupby("vintage")}


def implied_omf(debt: pd.Series, deficit: pd.Series, actual_debt: pd.Series) -> pd.Series | None:
    """Other means of financing implied by a published debt path: debt change less deficit, by fiscal year.

    ``deficit`` is CBO's sign (negative = deficit). ``None`` when the actual debt before the first year is unknown.
    """
    first = int(debt.index[0])
    if first - 1 not in actual_debt.index:
        return None
    previous = pd.concat([pd.Series({first - 1: float(actual_debt[first - 1])}), debt]).shift(1).reindex(debt.index)
    surplus = deficit.reindex(debt.index)
    omf = (debt - previous + surplus).dropna()
    # years where the path sits on its floor: the surplus retires less debt than it could and cash piles up;
    # that is the floor at work (see derive_path), not financing flow to carry over: use the other years' median
    hoarding = (surplus.reindex(omf.index) > 0) & (omf > 0.5 * surplus.reindex(omf.index))
    if hoarding.any() and (~hoarding).any():
        omf[hoarding] = float(omf[~hoarding].median())
    return omf


def derive_path(
    deficit: pd.Series, actual_debt: pd.Series, omf_source: pd.Series | None, floor: float = 0.0
) -> pd.Series | None:
    """Debt path from the actual debt before the first year, the deficits and an OMF path by fiscal year.

    The path never falls below ``floor`` (the debt that cannot be redeemed; see the module notes). Returns
    ``None`` when the actual debt before the first projected year is unknown.
    """
    first = int(deficit.index[0])
    if first - 1 not in actual_debt.index:
        return None
    if omf_source is None or omf_source.empty:
        omf = np.zeros(len(deficit))
    else:
        omf = np.array([float(omf_source.get(y, omf_source.iloc[-1])) for y in deficit.index])
    path = float(actual_debt[first - 1]) + np.cumsum(-deficit.to_numpy() + omf)
    return pd.Series(np.maximum(path, floor), index=deficit.index)


def _derive_all(baselines: pd.DataFrame, actual_debt: pd.Series, *, only_missing: bool) -> dict:
    debts = _vintage_paths(baselines, "cbo.debt")
    deficits = _vintage_paths(baselines, "cbo.deficit")
    with_debt = sorted(debts)
    out = {}
    for vintage, deficit in sorted(deficits.items()):
        if only_missing and vintage in debts:
            continue
        earlier = [w for w in with_debt if w < vintage]
        source_vintage, omf = None, None
        for w in reversed(earlier):
            omf = implied_omf(debts[w], deficits.get(w, pd.Series(dtype=float)), actual_debt)
            if omf is not None and not omf.empty:
                source_vintage = w
                break
        floor = min((float(debts[w].min()) for w in earlier), default=0.0)
        path = derive_path(deficit, actual_debt, omf, floor)
        if path is not None and source_vintage is not None:
            out[vintage] = (path, source_vintage)
    return out


def derive_debt(baselines: pd.DataFrame, actual_debt: pd.Series) -> pd.DataFrame:
    """Derived ``cbo.debt`` rows for every baseline with deficits but no published debt.

    Parameters
    ----------
    baselines
        The frame of :func:`geostress.data.sources.cbo_baselines.parse` (with its ``vintage`` column).
    actual_debt
        Actual debt held by the public by fiscal year (``cbo.actual.debt``), USD bn.

    Returns
    -------
    pandas.DataFrame
        Columns ``series_id, label, period, value, unit, vintage``.
    """
    rows = []
    for vintage, (path, source_vintage) in _derive_all(baselines, actual_debt, only_missing=True).items():
        first = int(path.index[0])
        label = (
            f"Debt held by the public, end of fiscal year: DERIVED by geostress (CBO did not publish it in this "
            f"baseline): actual debt at the end of FY{first - 1} + the baseline's deficits + other means of "
            f"financing of the {source_vintage:%B %Y} baseline"
        )
        rows += [(SERIES_ID, label, pd.Timestamp(year=int(y), month=9, day=30), round(float(v), 3), UNIT_USD_BN,
                  vintage) for y, v in path.items()]
    return pd.DataFrame(rows, columns=["series_id", "label", "period", "value", "unit", "vintage"])


def evaluate(baselines: pd.DataFrame, actual_debt: pd.Series) -> pd.DataFrame:
    """Derive the debt of every vintage that *does* publish it, as if it did not, and compare.

    Returns
    -------
    pandas.DataFrame
        One row per testable vintage: ``vintage, omf_from, years, err_first, err_fifth, err_last`` (derived minus
        published, percent of the actual debt before the first projected year) and ``max_abs_err``.
    """
    debts = _vintage_paths(baselines, "cbo.debt")
    rows = []
    for vintage, (path, source_vintage) in _derive_all(baselines, actual_debt, only_missing=False).items():
        if vintage not in debts:
            continue
        published = debts[vintage]
        common = path.index.intersection(published.index)
        if common.empty:
            continue
        base = float(actual_debt[int(path.index[0]) - 1])
        err = 100 * (path[common] - published[common]) / base
        rows.append({"vintage": vintage.date(), "omf_from": source_vintage.date(), "years": len(common),
                     "err_first": float(err.iloc[0]), "err_fifth": float(err.iloc[min(4, len(err) - 1)]),
                     "err_last": float(err.iloc[-1]), "max_abs_err": float(err.abs().max())})
    return pd.DataFrame(rows)


def derive(baselines_raw: bytes, actuals_raw: bytes, *, origin: str, actuals_origin: str = "actuals.csv") -> ParsedRelease:
    """Parse CBO's ``baselines.csv`` and ``actuals.csv`` and return the derived debt paths.

    Parameters
    ----------
    baselines_raw, actuals_raw
        Bytes of the two files (the parsers of :mod:`.cbo_baselines` and :mod:`.cbo_actuals` read them, with
        their errors).
    origin, actuals_origin
        Their names, for messages.

    Returns
    -------
    ParsedRelease
        ``cbo.debt`` rows with a ``vintage`` column (the baseline dates), source ``cbo-debt-derived``; its
        ``vintage`` is the latest baseline derived.

    Raises
    ------
    ParseError
        Either file is malformed, or the actuals hold no ``cbo.actual.debt``.
    """
    baselines = cbo_baselines.parse(baselines_raw, origin=origin).observations
    actual = _by_fy(cbo_actuals.parse(actuals_raw, origin=actuals_origin).observations, "cbo.actual.debt")
    if actual.empty:
        raise ParseError("no actual debt (component debt) in the actuals file", file=actuals_origin, line=1,
                         field="component", hint="is this CBO's actuals.csv?")
    frame = derive_debt(baselines, actual)
    frame["period"] = pd.to_datetime(frame["period"])
    frame["vintage"] = pd.to_datetime(frame["vintage"])
    latest: date | None = frame["vintage"].max().date() if len(frame) else None
    return ParsedRelease(observations=frame, source=NAME, vintage=latest)
