"""Official data with every vintage kept: the public Python API.

>>> import geostress.data as gd
>>> gd.get("tic.mfh.china_mainland", start="2013-01-01")        # doctest: +SKIP
>>> gd.to_wide(gd.get(["fred.dgs10", "fred.dgs30"]))            # doctest: +SKIP
>>> gd.catalog()                                                # doctest: +SKIP

Everything works offline from the snapshot embedded in the package; ``geostress data update`` adds newer
vintages from the official sources to the store under ``$GEOSTRESS_HOME``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from geostress.data.store import Store, VintageError, default_home, period_bound, snapshot_manifest

if TYPE_CHECKING:  # (loaded on first use: :func:`__getattr__`)
    from geostress.data.ingest import import_file, update

__all__ = [
    "Store",
    "VintageError",
    "catalog",
    "default_home",
    "get",
    "import_file",
    "period_bound",
    "snapshot_manifest",
    "to_wide",
    "update",
    "vintages",
]


def __getattr__(name: str) -> object:
    """``import_file`` and ``update`` on first use: the ingest imports the HTTP client and every parser, which
    reading the store (``geostress market impact``, ``run``) does not need (≈0.07 s of each such command's start)."""
    if name in ("import_file", "update"):
        from geostress.data import ingest

        return getattr(ingest, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def get(
    series: str | Sequence[str],
    start: str | date | None = None,
    end: str | date | None = None,
    as_of: str | date | None = None,
    *,
    vintage: str | date | None = None,
    all_vintages: bool = False,
) -> pd.DataFrame:
    """Observations of one or more series as a tidy frame.

    Parameters
    ----------
    series
        A series id such as ``"tic.mfh.china_mainland"`` or ``"fred.dgs10"``, or a list of them. An unknown id
        raises :class:`~geostress.errors.UnknownSeriesError` with close matches.
    start, end
        Inclusive bounds on the period (period-end dates for monthly, quarterly and fiscal-year data). Partial
        dates mean their whole period, as people type them: ``start="2013"`` is from 1 January 2013,
        ``end="2013-11"`` through 30 November 2013, so ``start="2013-11", end="2013-11"`` is November 2013
        (also ``"2013Q3"``).
    as_of
        Only what had been released by this date: each period takes its latest value with ``vintage <= as_of``
        (a partial date means by its end). Before the store's first vintage of every requested series it raises
        :class:`~geostress.data.store.VintageError`, saying from when the store holds them.
    vintage
        One release exactly (e.g. ``"2026-02-01"`` for CBO's February 2026 baseline); a partial date
        (``"2026-02"``) picks the one release in that period, and an error lists them when there are several.
    all_vintages
        Keep every release of every period (one row per period and vintage).

    Returns
    -------
    pandas.DataFrame
        Columns ``source, series_id, label, period, value, unit, vintage, retrieved_at, sha256``.

    Raises
    ------
    UnknownSeriesError
        An id the store does not hold (with close matches).
    DataError
        A date that cannot be read (the message names the parameter), or ``as_of`` before every vintage.
    """
    return Store().get(series, start=start, end=end, as_of=as_of, vintage=vintage, all_vintages=all_vintages)


def to_wide(frame: pd.DataFrame) -> pd.DataFrame:
    """Pivot a tidy frame from :func:`get` to one column per series over a ``DatetimeIndex`` of periods.

    When the frame holds several vintages of the same period, the columns are a ``(series_id, vintage)``
    MultiIndex instead, so that no value is silently dropped.
    """
    several = frame.duplicated(["series_id", "period"]).any()
    columns = ["series_id", "vintage"] if several else "series_id"
    wide = frame.pivot_table(index="period", columns=columns, values="value", aggfunc="first")
    wide.index = pd.DatetimeIndex(wide.index, name="period")
    if not several:
        wide.columns.name = None
    return wide.sort_index()


def catalog() -> pd.DataFrame:
    """Every series the store and the snapshot hold, with source, unit, coverage and latest vintage."""
    return Store().catalog()


def vintages(series: str) -> list[date]:
    """The release dates held for one series, oldest first."""
    return Store().vintages(series)
