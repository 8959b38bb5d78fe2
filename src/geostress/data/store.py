"""The vintaged observation store.

Layout (under ``$GEOSTRESS_HOME``, default the platform's user data folder)::

    store/batches/<source>/<vintage>_<sha256[:16]>.parquet   one file per imported raw file
    store/quarantine/<source>/<name>.parquet (+ .txt)         damaged batches moved aside, with the reason

Each batch holds the observations parsed from one raw official file, with the columns of :data:`OBS_SCHEMA`.
Nothing is ever rewritten: a new release adds a batch (a new vintage) and importing the same bytes again is a
no-op (the SHA-256 of the raw file names the batch). A batch is written to a hidden temporary file, flushed to
disk and renamed into place, so a crash or ``kill -9`` mid-write leaves the store exactly as it was; temporary
files left by a killed import are removed by the next import.

Vintages are never invented: a row's vintage is the release date printed in the file; a file that prints none
needs one from the user (``--vintage``); only a live download (``data update``) of a source that never prints a
release date takes the download date, which is then what was known that day (:func:`to_observations`).

Reads go through DuckDB over the Parquet batches plus the snapshot embedded in the package, so a fresh install
works offline. ``as_of`` keeps only vintages released on or before a date: what was known then. Dates may be
partial, as people type them: ``start="2013"`` is 1 January 2013, ``end="2013-11"`` is 30 November 2013
(:func:`period_bound`). A batch file that cannot be read is moved to the quarantine with a message saying what
to do, instead of making every read fail.

Writers take turns: an import (from its check for the same bytes and for a conflicting release to the rename of
its batch) and a quarantine hold an exclusive lock (``flock``) on the home's ``store`` folder itself (no lock
file, so a refused import leaves no file behind), so two processes importing at once never both store the same
release, nor two conflicting files of one vintage; a second writer waits up to :data:`WRITE_LOCK_TIMEOUT_S` seconds
(``$GEOSTRESS_WRITE_LOCK_TIMEOUT``), then stops with a :class:`~geostress.errors.DataError` naming the home and the
locked folder. Readers never take the lock. The lock is the kernel's: it goes with the process that holds it (even
on ``kill -9``), so nothing left on disk ever
blocks anyone.

The snapshot folder (``data/snapshot`` in the package) holds one complete version per sub-folder and a
``CURRENT`` file naming the version in use; :func:`snapshot_paths` resolves it (see
:mod:`geostress.data.snapshot` for how a build swaps versions atomically).
"""

from __future__ import annotations

import atexit
import copy
import hashlib
import json
import logging
import math
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from geostress.data.sources.base import PARSED_COLUMNS, ParsedRelease
from geostress.errors import DataError, ParseError, StoreError, UnknownSeriesError

log = logging.getLogger(__name__)

#: Columns of every stored observation.
OBS_SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("series_id", pa.string()),
        ("label", pa.string()),
        ("period", pa.date32()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("vintage", pa.date32()),
        ("retrieved_at", pa.timestamp("us", tz="UTC")),
        ("sha256", pa.string()),
    ]
)
OBS_COLUMNS = OBS_SCHEMA.names

#: The snapshot folder shipped in the package: ``CURRENT`` names the sub-folder in use.
SNAPSHOT_DIR = Path(__file__).resolve().parent / "snapshot"
SNAPSHOT_POINTER = "CURRENT"
SNAPSHOT_DATA_NAME = "observations.parquet"
SNAPSHOT_MANIFEST_NAME = "manifest.json"

#: Test hook: seconds to sleep between row groups while writing a batch (lets a test kill a write mid-way).
WRITE_DELAY_ENV = "GEOSTRESS_DEBUG_WRITE_DELAY"
ROW_GROUP_SIZE = 16_384

#: Plausible bounds applied to every source (a source may be stricter): periods, vintages and magnitudes.
PERIOD_MIN = date(1700, 1, 1)
PERIOD_MAX = date(2200, 12, 31)
VINTAGE_MIN = date(1900, 1, 1)
#: A release date later than today plus this is refused (clock skew and time zones allowed for).
VINTAGE_FUTURE_SLACK = timedelta(days=2)
#: Largest magnitude accepted for any value (US GDP in USD mn is about 3e7; 1e308 is a damaged cell).
VALUE_ABS_MAX = 1e13
#: Units whose values cannot be negative (quantities held or produced, counts); prices (``USD/...``) and index
#: levels (``index ...``) neither.
NON_NEGATIVE_UNITS = frozenset({"tonnes", "million troy oz", "metric tons REO", "persons", "auctions", "years"})
#: Plausible ranges by unit (others: ±:data:`VALUE_ABS_MAX`). Percent covers yields, rates, shares and growth
#: rates; USD bn covers any US federal or national aggregate (US GDP is about 30,000).
UNIT_BOUNDS: dict[str, tuple[float, float]] = {
    "percent": (-1_000.0, 1_000.0),
    "USD bn": (-1e6, 1e6),
    "USD mn": (-1e9, 1e9),
}
#: Plausible ranges of series families stricter than their unit's (a series id pattern, bounds, what bounds it):
#: a yield typed as 448 (a lost decimal point) is refused, naming the line, rather than stored as the latest
#: release and then read by every check and model. Each range is several times wider than anything on record.
SERIES_BOUNDS: tuple[tuple[re.Pattern[str], tuple[float, float], str], ...] = (
    (re.compile(r"^(fred\.(dgs\d+(mo)?|gs\d+|tb\d+ms|dff|fedfunds|aaa|baa|mortgage\d+us|dfii\d+|t10yie|baa10y)|"
                r"cbo\.econ\.[a-z_]*rate[a-z_0-9]*(\.q)?|fiscaldata\.avg_rate\..+)$"),
     (-5.0, 30.0), "a US interest rate in percent: on record from −1.2% (10-year TIPS, 2021) to 22% (the federal "
     "funds rate, 1981)"),
    (re.compile(r"^acm\.tp\d+(\..+)?$"), (-5.0, 10.0),
     "a term premium in percent: the ACM estimates since 1961 lie between about −1.6 and +5.3"),
    (re.compile(r"^(fred\.unrate|cbo\.econ\.unemployment_rate(\.q)?)$"), (0.0, 50.0),
     "an unemployment rate in percent (the record is about 25%, 1933)"),
    (re.compile(r"^(usgs\..*\.import_sources\..+|treasury\.auctions\.bill_share)$"), (0.0, 100.0),
     "a share in percent"),
)

#: A temporary file of an import that died is removed once its process is gone, or after this long.
STALE_TEMP_SECONDS = 24 * 3600
_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?:(?P<pid>\d+)-)?[0-9a-f]{8}\.tmp$")


#: Seconds a writer waits for another one before giving up (``$GEOSTRESS_WRITE_LOCK_TIMEOUT`` overrides).
WRITE_LOCK_TIMEOUT_S = 600.0
WRITE_LOCK_TIMEOUT_ENV = "GEOSTRESS_WRITE_LOCK_TIMEOUT"
_LOCKS_HELD = threading.local()


def write_lock_timeout() -> float:
    """Seconds a writer waits for the lock: ``$GEOSTRESS_WRITE_LOCK_TIMEOUT`` or :data:`WRITE_LOCK_TIMEOUT_S`.

    Raises
    ------
    DataError
        The variable is not a number of seconds ≥ 0.
    """
    text = os.environ.get(WRITE_LOCK_TIMEOUT_ENV, "").strip()
    if not text:
        return WRITE_LOCK_TIMEOUT_S
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise DataError(f"{WRITE_LOCK_TIMEOUT_ENV}={text!r} is not a number of seconds >= 0; set it to e.g. 600 "
                        "or unset it")
    return value


@contextmanager
def exclusive_lock(target: Path, *, what: str, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the folder ``target`` (created if missing; no lock file) across processes.

    Re-entrant within a thread (an import that quarantines a damaged batch takes it once); another thread or
    process waits, polling every 50 ms, up to ``timeout`` seconds (default :func:`write_lock_timeout`). Where the
    folder cannot be created or opened (a read-only store) or the platform has no ``fcntl``, the body runs unlocked
    and the write itself reports what is wrong.

    Parameters
    ----------
    target
        The folder locked (the store's ``store`` folder, the snapshot folder).
    what
        What is locked, for the message (e.g. ``"the store under /home/me/.geostress"``).
    timeout
        Seconds to wait; ``None`` reads :func:`write_lock_timeout`.

    Raises
    ------
    DataError
        Another process held the lock for longer than ``timeout``: naming ``what``, the folder and what to do.
    """
    held: dict[str, int] = _LOCKS_HELD.__dict__.setdefault("paths", {})
    key = os.path.abspath(target)
    if held.get(key):
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: writers are not serialised
        yield
        return
    wait = write_lock_timeout() if timeout is None else timeout
    try:
        target.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_RDONLY)
    except OSError:  # read-only: nothing can be written, and the write says so
        yield
        return
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise DataError(
                        f"another process is writing to {what} and has held its lock on {target} for over {wait:g} s; "
                        f"nothing was written. Wait for that import (or snapshot build) to finish and run the "
                        f"command again, or allow a longer wait with {WRITE_LOCK_TIMEOUT_ENV}=SECONDS. The lock goes "
                        "with the process that holds it: if no geostress process is running, run the command again"
                    ) from None
                time.sleep(0.05)
        held[key] = 1
        try:
            yield
        finally:
            held.pop(key, None)
    finally:
        os.close(fd)  # releases the lock


def default_home() -> Path:
    """``$GEOSTRESS_HOME`` if set, else the platform's user data folder for geostress.

    Raises
    ------
    DataError
        ``$GEOSTRESS_HOME`` names something that is not a folder (a file): the store could be neither read nor
        written there (an import failed with "Not a directory" after ``data status`` had listed the file).
    """
    env = os.environ.get("GEOSTRESS_HOME")
    if env:
        home = Path(env).expanduser()
        if home.exists() and not home.is_dir():
            raise DataError(f"GEOSTRESS_HOME={env} is not a folder: point it to a folder (created if missing) or "
                            "unset it for the default", parameter="GEOSTRESS_HOME")
        return home
    from platformdirs import user_data_dir

    return Path(user_data_dir("geostress", appauthor=False))


def sha256_bytes(raw: bytes) -> str:
    """Hex SHA-256 of ``raw``."""
    return hashlib.sha256(raw).hexdigest()


# ------------------------------------------------------------------------------------------------- dates

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{1,2}(-\d{1,2})?|-?[Qq][1-4])?$")


def period_bound(
    value: str | date | datetime | pd.Timestamp | None,
    name: str,
    side: Literal["start", "end"] = "start",
) -> date | None:
    """A date bound as people type it: a partial date means its whole period, inclusive.

    ``"2013"`` is 1 January 2013 as a start and 31 December 2013 as an end; ``"2013-11"`` is 1 or 30 November
    2013; ``"2013Q3"`` (or ``"2013-Q3"``) is 1 July or 30 September 2013; ``"2013-11-05"`` is that day. This is
    pandas' partial string indexing, and it makes ``start="2013-11", end="2013-11"`` return November 2013 even
    though monthly data are stored at the month's end.

    Parameters
    ----------
    value
        The text (or a date); ``None`` passes through.
    name
        The parameter as the caller knows it (``"start"``, ``"--end"``), for the error message.
    side
        ``"start"`` takes the first day of the period, ``"end"`` the last.

    Raises
    ------
    DataError
        The text is not a year, year-month, year-quarter or full date; the message names ``name``.
    """
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            raise DataError(f"parameter {name} is NaT (not a date); use YYYY, YYYY-MM or YYYY-MM-DD")
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str | int | float):  # numpy.datetime64 and the like (a number is read as text: 2013)
        try:
            stamp = pd.Timestamp(value)
        except (ValueError, TypeError, OverflowError):
            stamp = pd.NaT
        if not pd.isna(stamp):
            return stamp.date()
    text = str(value).strip()
    if _PARTIAL_DATE.match(text):
        try:
            period = pd.Period(text.upper().replace("-Q", "Q"))
        except (ValueError, TypeError, OverflowError):
            period = None
        if period is not None:
            stamp = period.start_time if side == "start" else period.end_time
            return stamp.date()
    raise DataError(
        f"parameter {name}={str(value)[:40]!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD "
        "(e.g. 2013, 2013-11 or 2013-11-30; a partial date means the whole year or month)", usage=True
    )


def _series_ids(series: object) -> list[str]:
    """The ids :meth:`Store.get` asks for: one id or a list (tuple, ...) of ids; anything else is a
    :class:`DataError` naming ``series``."""
    if isinstance(series, str):
        return [series]
    iterable = hasattr(series, "__iter__") and not isinstance(series, bytes | bytearray | dict)
    ids = list(series) if iterable else None  # type: ignore[call-overload]
    if ids is None or not all(isinstance(i, str) for i in ids):
        bad = series if ids is None else next(i for i in ids if not isinstance(i, str))
        raise DataError(f"parameter series={bad!r} is not a series id: give one id such as 'fred.dgs10', or a list "
                        f"of them (not {type(bad).__name__}); geostress data catalog lists them", parameter="series")
    return ids


def _date_argument(value: object, name: str, side: str) -> date | None:
    """:func:`period_bound` for an argument of :meth:`Store.get`: a missing date (``NaT``) is refused rather than
    read as a bound that matches nothing, and the :class:`DataError` has ``parameter`` ``name``."""
    if value is not None and not isinstance(value, str | int | float):
        try:
            missing = bool(pd.isna(value))
        except (TypeError, ValueError):
            missing = False
        if missing:
            raise DataError(f"parameter {name}=NaT is not a date (a missing value); use YYYY, YYYY-MM or YYYY-MM-DD, "
                            f"or leave {name} out (None)", parameter=name)
    try:
        return period_bound(value, name, side)  # type: ignore[arg-type]
    except DataError as exc:
        exc.parameter = exc.parameter or name
        raise


def _shown(value: object) -> str:
    """A date parameter as the user wrote it, for messages: text as is, a date as ``YYYY-MM-DD`` (never a repr)."""
    if isinstance(value, datetime | pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:40]


def _listed(days: Sequence[date], most: int = 8) -> str:
    """Dates for a message: all of them up to ``most``, else the first and last few with the count."""
    text = [f"{d:%Y-%m-%d}" for d in days]
    if len(text) <= most:
        return ", ".join(text)
    half = most // 2
    return f"{len(text)} releases, {', '.join(text[:half])}, ..., {', '.join(text[-half:])}"


# --------------------------------------------------------------------------------------------- vintages


def _check_vintages(vintages: Sequence[date], *, origin: str, where: str) -> None:
    latest_ok = datetime.now(UTC).date() + VINTAGE_FUTURE_SLACK
    given = "--vintage" in where
    for v in vintages:
        if not VINTAGE_MIN <= v <= latest_ok:
            when = "in the future" if v > latest_ok else f"before {VINTAGE_MIN:%Y-%m-%d}"
            raise ParseError(
                f"release date {v:%Y-%m-%d} ({where}) is implausible ({when}): a vintage must lie between "
                f"{VINTAGE_MIN:%Y-%m-%d} and today",
                file=origin,
                field="release date",
                hint="give the date the file was released with --vintage YYYY-MM-DD" if given
                else "the file may be damaged; download it again, or give the right date with --vintage",
            )


def resolve_vintage(
    release: ParsedRelease,
    vintage: date | None,
    *,
    origin: str,
    retrieved: date | None = None,
    override: bool = False,
) -> date | None:
    """The one vintage that applies to every row of ``release`` (``None``: the rows' own ``vintage`` column).

    The rule, in order:

    1. ``override`` (the snapshot specification only, whose dates were checked against each file's
       provenance): ``vintage`` applies to every row;
    2. a release date printed in the file wins. A ``vintage`` given as well must agree with it, otherwise the
       import is refused naming both dates (a user's date is never silently ignored, nor a printed one
       silently replaced);
    3. a file without a printed date (nor a ``vintage`` column) takes the ``vintage`` given;
    4. a live download (``retrieved`` given) of a source that never prints a release date takes the download
       date: what the source served that day was what was known that day;
    5. otherwise the import is refused with advice to pass ``--vintage``. A vintage is never invented; in
       particular a file that normally prints its release date (TIC's footer) but came without it was probably
       cut short, and is refused even from a download.

    Raises
    ------
    ParseError
        No vintage can be determined, the given one contradicts the printed one, or a date is implausible
        (before 1900 or in the future).
    """
    frame = release.observations
    has_column = "vintage" in frame.columns and frame["vintage"].notna().any()
    if vintage is not None:
        _check_vintages([vintage], origin=origin, where="given with --vintage")
    if override and vintage is not None:
        return vintage
    printed = release.vintage
    if printed is not None:
        _check_vintages([printed], origin=origin, where="printed in the file")
        if vintage is not None and vintage != printed:
            raise ParseError(
                f"--vintage {vintage:%Y-%m-%d} contradicts the release date printed in the file, "
                f"{printed:%Y-%m-%d} (a printed date is the vintage); nothing was stored",
                file=origin,
                field="release date",
                hint="drop --vintage (or check that this is the file you meant to import)",
            )
        return None if has_column else printed
    if has_column:
        return vintage
    if vintage is not None:
        return vintage
    if retrieved is not None and not release.missing_vintage_hint:
        return retrieved
    detail = f" ({release.missing_vintage_hint.rstrip('. ')})" if release.missing_vintage_hint else ""
    raise ParseError(
        f"the file prints no release date, so its vintage is unknown{detail}",
        file=origin,
        field="release date",
        hint="pass --vintage YYYY-MM-DD with the date the file was released (a vintage is never guessed)",
    )


def _is_non_negative(unit: str) -> bool:
    """Units whose values cannot be negative: quantities, counts, prices and index levels."""
    return unit in NON_NEGATIVE_UNITS or unit.startswith(("USD/", "index"))


def _check_ranges(out: pd.DataFrame, *, origin: str, release: ParsedRelease) -> None:
    """Refuse implausible periods and values (every source); the message names the series, period and, when the
    parser recorded it (:attr:`ParsedRelease.line_of`), the line."""

    def refuse(mask: pd.Series | object, text: Callable[[pd.Series], str]) -> None:
        hits = out[mask]  # type: ignore[index]
        if len(hits):
            row = hits.iloc[0]
            line = None
            if release.line_of:
                line = release.line_of.get((str(row["series_id"]), pd.Timestamp(row["period"])))
            raise ParseError(
                text(row), file=origin, line=line, field=str(row["label"]),
                hint="the file may be damaged; download it again",
            )  # fmt: skip

    refuse(
        out["period"].map(lambda d: not PERIOD_MIN <= d <= PERIOD_MAX),
        lambda r: f"period {r['period']} of series {r['series_id']} is outside {PERIOD_MIN.year}-{PERIOD_MAX.year}",
    )
    values = out["value"].to_numpy(dtype="float64")
    units = out["unit"].astype(str)
    low = units.map(lambda u: UNIT_BOUNDS.get(u, (-VALUE_ABS_MAX, VALUE_ABS_MAX))[0]).to_numpy(dtype="float64")
    high = units.map(lambda u: UNIT_BOUNDS.get(u, (-VALUE_ABS_MAX, VALUE_ABS_MAX))[1]).to_numpy(dtype="float64")
    finite = pd.Series(values).map(math.isfinite).to_numpy()
    negative = units.map(_is_non_negative).to_numpy() & (values < 0)

    def what(r: pd.Series) -> str:
        return f"value {float(r['value'])!r} of series {r['series_id']} at {r['period']} is implausible"

    refuse(~finite, lambda r: f"{what(r)}: not a finite number")
    refuse((values < low) | (values > high), lambda r: f"{what(r)}: outside "
           f"{UNIT_BOUNDS.get(r['unit'], (-VALUE_ABS_MAX, VALUE_ABS_MAX))} for unit {r['unit']!r}")  # fmt: skip
    refuse(negative, lambda r: f"{what(r)}: negative, for unit {r['unit']!r}")
    ids = out["series_id"].astype(str)
    for pattern, (lo, hi), family in SERIES_BOUNDS:
        family_rows = ids.map(lambda s, p=pattern: p.match(s) is not None).to_numpy() & (units == "percent").to_numpy()
        if family_rows.any():
            refuse(family_rows & ((values < lo) | (values > hi)),
                   lambda r, lo=lo, hi=hi, family=family: f"{what(r)}: outside {lo:g} to {hi:g}, for {family}")


def to_observations(
    release: ParsedRelease,
    *,
    sha256: str,
    vintage: date | None = None,
    retrieved_at: datetime | None = None,
    origin: str | None = None,
    downloaded: bool = False,
    override_vintage: bool = False,
) -> pa.Table:
    """Complete a parser's frame into stored observations, checking vintages and plausible ranges.

    Parameters
    ----------
    release
        What the parser found.
    sha256
        SHA-256 of the raw file (names the batch).
    vintage
        A release date from the user (``--vintage``) or the snapshot specification; see
        :func:`resolve_vintage` for how it combines with a date printed in the file.
    retrieved_at
        When the raw file was obtained (now by default).
    origin
        File name or address, for messages (the source name when omitted).
    downloaded
        The raw file was just downloaded from the live source: the download date may serve as the vintage
        of a source that never prints one.
    override_vintage
        ``vintage`` replaces any printed date (the snapshot specification only).

    Raises
    ------
    ParseError
        No vintage, contradictory vintages, implausible dates or values (naming the file, series and period).
    """
    frame = release.observations
    missing = [c for c in PARSED_COLUMNS if c not in frame.columns]
    if missing:  # a programming error in a parser, not bad user input
        raise StoreError(f"parser {release.source!r} returned a frame without columns {missing}")
    where = origin or release.source
    retrieved = retrieved_at or datetime.now(UTC)
    single = resolve_vintage(
        release,
        vintage,
        origin=where,
        retrieved=retrieved.date() if downloaded else None,
        override=override_vintage,
    )
    out = pd.DataFrame(
        {
            "source": release.source,
            "series_id": frame["series_id"].astype(str),
            "label": frame["label"].astype(str),
            "period": pd.to_datetime(frame["period"]).dt.date,
            "value": frame["value"].astype("float64"),
            "unit": frame["unit"].astype(str),
        }
    )
    if single is None:
        rows = pd.to_datetime(frame["vintage"])
        if rows.isna().any():  # rows without their own vintage take the file's
            rows = rows.fillna(pd.Timestamp(release.vintage)) if release.vintage is not None else rows
        if rows.isna().any():
            raise ParseError(
                f"{int(rows.isna().sum())} rows have no vintage and the file prints no release date",
                file=where,
                field="vintage",
                hint="pass --vintage YYYY-MM-DD with the date the file was released",
            )
        out["vintage"] = rows.dt.date
        _check_vintages(sorted(set(out["vintage"])), origin=where, where="in the file's vintage column")
    else:
        out["vintage"] = single
    _check_ranges(out, origin=where, release=release)
    stamp = pd.Timestamp(retrieved)
    out["retrieved_at"] = stamp.tz_convert("UTC") if stamp.tzinfo else stamp.tz_localize("UTC")
    out["sha256"] = sha256
    return pa.Table.from_pandas(out, schema=OBS_SCHEMA, preserve_index=False)


# ------------------------------------------------------------------------------------------ atomic files


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename in it) to disk."""
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _temp_path(path: Path) -> Path:
    """A hidden temporary name beside ``path`` that records the writing process (for stale clean-up)."""
    return path.parent / f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp"


def write_parquet_atomic(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` so that readers see either the old state or the whole new file.

    The data go to a hidden temporary file in the same folder, are flushed and fsync'ed, then renamed over
    ``path`` (an atomic operation on POSIX file systems); the folder is fsync'ed so the rename survives a crash.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_path(path)
    delay = float(os.environ.get(WRITE_DELAY_ENV, "0") or 0)
    try:
        with open(tmp, "wb") as fh:
            with pq.ParquetWriter(fh, table.schema, compression="zstd") as writer:
                for start in range(0, max(table.num_rows, 1), ROW_GROUP_SIZE):
                    writer.write_table(table.slice(start, ROW_GROUP_SIZE))
                    fh.flush()
                    if delay:
                        time.sleep(delay)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(text: str, path: Path) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically: temporary file, fsync, rename, fsync of the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_path(path)
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def is_stale_temp(path: Path, *, now: float | None = None) -> bool:
    """Whether ``path`` is a temporary file of a write that will never finish.

    A temporary name records the writer's process id: the file is stale once that process is gone (killed
    mid-write) and the file untouched for a minute, or after :data:`STALE_TEMP_SECONDS` in any case. Names
    without a process id (older versions) are stale after an hour.
    """
    match = _TEMP_NAME.match(path.name)
    if match is None:
        return False
    try:
        age = (now if now is not None else time.time()) - path.stat().st_mtime
    except FileNotFoundError:
        return False
    pid = match.group("pid")
    if pid is None:
        return age > 3600
    if age > STALE_TEMP_SECONDS:
        return True
    # a writer that is gone; the minute of grace covers a writer in another process namespace (same pid, other host)
    return age > 60 and int(pid) != os.getpid() and not _pid_alive(int(pid))


# ----------------------------------------------------------------------------------------------- snapshot


def snapshot_paths(root: Path | None = None) -> tuple[Path | None, Path | None]:
    """The snapshot's data file and manifest in use under ``root`` (the package's snapshot folder by default).

    ``CURRENT`` names the version folder; both files come from that one folder, so a reader never pairs a
    data file with another version's manifest. A folder of the older flat layout (``observations.parquet``
    and ``manifest.json`` side by side, no ``CURRENT``) is still read. ``(None, None)`` when there is none.
    """
    folder = Path(root) if root is not None else SNAPSHOT_DIR
    pointer = folder / SNAPSHOT_POINTER
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        name = ""
    if name and "/" not in name and "\\" not in name and not name.startswith("."):
        version = folder / name
        data, manifest = version / SNAPSHOT_DATA_NAME, version / SNAPSHOT_MANIFEST_NAME
        if data.is_file():
            return data, manifest if manifest.is_file() else None
    data, manifest = folder / SNAPSHOT_DATA_NAME, folder / SNAPSHOT_MANIFEST_NAME
    return (data if data.is_file() else None), (manifest if manifest.is_file() else None)


def snapshot_manifest(root: Path | None = None) -> dict[str, object]:
    """The embedded snapshot's manifest (sources, files, SHA-256, vintages); empty when none is shipped."""
    _, manifest = snapshot_paths(root)
    if manifest is None:
        return {}
    try:
        return json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(
            f"the snapshot manifest {manifest} cannot be read ({exc}); reinstall geostress or rebuild it with "
            "`geostress data snapshot build --from DIR`"
        ) from exc


def __getattr__(name: str) -> Path:
    """``SNAPSHOT_FILE`` and ``SNAPSHOT_MANIFEST``: the snapshot files in use, resolved on each access."""
    if name in ("SNAPSHOT_FILE", "SNAPSHOT_MANIFEST"):
        data, manifest = snapshot_paths()
        if name == "SNAPSHOT_FILE":
            return data or SNAPSHOT_DIR / SNAPSHOT_DATA_NAME
        return manifest or SNAPSHOT_DIR / SNAPSHOT_MANIFEST_NAME
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class IngestResult:
    """What one import did."""

    source: str
    sha256: str
    rows: int
    series: int
    vintages: tuple[date, ...]
    added: bool
    path: Path | None
    reason: str = ""


@dataclass(frozen=True)
class Quarantined:
    """A batch file moved aside because it could not be read."""

    original: Path
    moved_to: Path
    reason: str

    def message(self) -> str:
        """What happened and what to do, for the user."""
        return (
            f"the store file {self.original} is damaged ({self.reason}) and was moved to {self.moved_to}; "
            "the rest of the store stays in use. Import the official file it came from again "
            "(`geostress data import FILE --source NAME`, or `geostress data update`), then delete the "
            "quarantined copy."
        )


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    """A query's Arrow result as pandas, dates as ``datetime64[us]`` (what DuckDB's own ``.df()`` gives).

    Going through Arrow is several times faster than ``.df()`` for the string columns every observation has.
    Time stamps with a time zone (``retrieved_at``) come back in UTC: DuckDB hands them over in the session's
    (the machine's) time zone, which would make an exported table depend on ``TZ``.
    """
    for i, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type) and field.type.tz is not None and field.type.tz != "UTC":
            table = table.set_column(i, field.name, table.column(i).cast(pa.timestamp(field.type.unit, tz="UTC")))
    frame = table.to_pandas(date_as_object=False)
    for name in frame.columns:
        if frame[name].dtype == "datetime64[ms]":
            frame[name] = frame[name].astype("datetime64[us]")
    return frame


def _last_of_each_run(table: pa.Table, keys: tuple[str, ...] = ("series_id", "period")) -> pa.Table:
    """The last row of each run of equal ``keys`` in a table sorted by series_id, period, vintage and retrieval
    time: each period's latest release (keys series_id, period) or each release's latest retrieval (keys
    series_id, period, vintage), in the table's order.

    One comparison of adjacent rows in Arrow; about half the time of DuckDB's ``row_number()`` window over the
    same rows, which sorts them again by partition.
    """
    if table.num_rows < 2:
        return table
    repeated = None
    for key in keys:
        column = table[key]
        same = pc.equal(column[1:], column[:-1])
        repeated = same if repeated is None else pc.and_(repeated, same)
    if not pc.any(repeated).as_py():
        return table
    keep = pa.concat_arrays([pc.invert(repeated.combine_chunks()), pa.array([True])])
    return table.filter(keep)


#: The order that makes each period's latest release (or each release's latest retrieval) the end of its run.
_RELEASE_ORDER = [("series_id", "ascending"), ("period", "ascending"), ("vintage", "ascending"),
                  ("retrieved_at", "ascending")]


def _latest_per_period(table: pa.Table) -> pa.Table:
    """Each (series_id, period)'s latest release, ordered by series_id and period (sorted by Arrow: about half
    the time of DuckDB's ``ORDER BY`` on the store's small results)."""
    return _last_of_each_run(table.sort_by(_RELEASE_ORDER))


def _each_release_by_vintage(table: pa.Table) -> pa.Table:
    """Each (series_id, period, vintage)'s latest retrieval, ordered by series_id, vintage and period."""
    return _last_of_each_run(table.sort_by(_RELEASE_ORDER), ("series_id", "period", "vintage")).sort_by(
        [("series_id", "ascending"), ("vintage", "ascending"), ("period", "ascending")])


#: Per-thread DuckDB connection (``con``), the process that opened it (``pid``) and its view's files (``view``).
_LOCAL = threading.local()

#: Every connection this process opened, by the thread that uses it. Holding them here means a connection is never
#: destroyed as a side effect of its thread ending (which made processes abort at exit, status 134, when server
#: worker threads ended): a finished thread's connection is closed by the next thread that opens one, and the rest
#: at interpreter exit, before threads are torn down.
_OPEN: dict[threading.Thread, duckdb.DuckDBPyConnection] = {}
_OPEN_LOCK = threading.Lock()
_OPEN_PID = os.getpid()


def _close_quietly(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.close()
    except duckdb.Error:  # pragma: no cover - closing a broken connection
        pass


def _open_connection() -> duckdb.DuckDBPyConnection:
    """A new connection for the calling thread, registered in :data:`_OPEN` (finished threads' ones closed)."""
    global _OPEN_PID
    with _OPEN_LOCK:
        if _OPEN_PID != os.getpid():  # a forked child: the parent's connections are not ours to close
            _OPEN.clear()
            _OPEN_PID = os.getpid()
        for thread in [t for t in _OPEN if not t.is_alive()]:
            _close_quietly(_OPEN.pop(thread))
        con = duckdb.connect()
        _OPEN[threading.current_thread()] = con
        return con


@atexit.register
def _close_all_connections() -> None:
    """Close every connection of this process (at interpreter exit, while every thread still exists)."""
    with _OPEN_LOCK:
        if _OPEN_PID == os.getpid():
            for con in _OPEN.values():
                _close_quietly(con)
        _OPEN.clear()


def _drop_connection() -> None:
    """Close and forget this thread's connection (after an error, so the next query starts clean)."""
    con = _LOCAL.__dict__.pop("con", None)
    _LOCAL.__dict__.clear()
    if con is not None:
        with _OPEN_LOCK:
            if _OPEN.get(threading.current_thread()) is con:
                del _OPEN[threading.current_thread()]
        _close_quietly(con)


#: Batch file versions whose schema was checked: (path, size, mtime_ns).
_SCHEMA_OK: set[tuple[str, int, int]] = set()


def _schema_problem(schema: pa.Schema) -> str:
    """What is wrong with a batch file's schema ("" when it has every column of :data:`OBS_SCHEMA`, typed so)."""
    missing = [c for c in OBS_COLUMNS if c not in schema.names]
    if missing:
        return f"columns {missing} are missing"
    wrong = [f.name for f in OBS_SCHEMA if not schema.field(f.name).type.equals(f.type)]
    return f"columns {wrong} have the wrong type" if wrong else ""


class VintageError(DataError):
    """Nothing was released by the requested ``as_of`` date: the store's vintages start later."""


#: Where the day data are pinned to is set, as messages name it (``--data-as-of`` is accepted by every command
#: that pins; ``--as-of`` is ``reserves``' portfolio month).
PIN_WHERE = "scenario.data_as_of, or --data-as-of on the command line"


class UnreleasedSeriesError(UnknownSeriesError, VintageError):
    """A series the store holds whose first release came after the date a store is pinned to
    (:meth:`Store.known_on`): to that store the series does not exist yet, so code that skips a series the store
    lacks (an :class:`~geostress.errors.UnknownSeriesError`) skips it, and the message says from when it is held.

    Parameters
    ----------
    series_id
        The series.
    known_by
        The date the store is pinned to.
    first_release
        The series' first vintage in the whole store.
    """

    def __init__(self, series_id: str, known_by: date, first_release: date) -> None:
        DataError.__init__(
            self,
            f"series {series_id!r} had not been released by {known_by:%Y-%m-%d}, the date the data are pinned to "
            f"({PIN_WHERE}): the store holds it from its release of {first_release:%Y-%m-%d}; "
            f"choose that date or a later one, or import an older release (geostress data import FILE --source "
            "NAME --vintage DATE)",
            parameter="known_by",
        )
        self.series_id = series_id
        self.suggestions: list[str] = []


class Store:
    """Vintaged observations on disk plus the embedded snapshot.

    Parameters
    ----------
    home
        Root folder; :func:`default_home` when omitted.
    include_snapshot
        Whether reads also see the snapshot shipped in the package (default True).
    snapshot_dir
        Snapshot folder to read (default the package's, :data:`SNAPSHOT_DIR`).
    known_by
        Only what had been released by this date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a partial date means
        the end of its period): every read sees the rows with ``vintage <= known_by``, as if the later releases had
        never been imported (see :meth:`known_on`). ``None`` (the default): every release the store holds.
    """

    def __init__(
        self,
        home: Path | str | None = None,
        *,
        include_snapshot: bool = True,
        snapshot_dir: Path | str | None = None,
        known_by: str | date | None = None,
    ) -> None:
        #: Reads see only releases with ``vintage`` on or before this date (``None``: every release).
        self.known_by: date | None = _date_argument(known_by, "known_by", "end")
        self.home = Path(home) if home is not None else default_home()
        self.batches_dir = self.home / "store" / "batches"
        self.quarantine_dir = self.home / "store" / "quarantine"
        #: Writers of this home take turns on an ``flock`` of this folder (:func:`exclusive_lock`); readers never do.
        self.lock_dir = self.home / "store"
        self.include_snapshot = include_snapshot
        self.snapshot_dir = Path(snapshot_dir) if snapshot_dir is not None else SNAPSHOT_DIR
        #: Batches this object moved aside because they could not be read (newest last).
        self.quarantined: list[Quarantined] = []

    def known_on(self, day: str | date | None) -> Store:
        """This store as it stood on ``day``: a copy whose every read (:meth:`get`, :meth:`vintages`,
        :meth:`series_ids`, :meth:`sql`) sees only the releases with ``vintage <= day``; ``None`` gives ``self``.

        What a run computed from the store can be computed again after later imports: ``known_on("2026-12-01")``
        reads what the store held that day, provided the releases it held then are still in it (imports never
        remove one); a store already pinned to ``day`` is returned as it is. The copy refuses to import
        (:meth:`ingest`): it would not see the later releases it must be checked against.

        Raises
        ------
        DataError
            ``day`` is not a date (``parameter`` ``known_by``).
        """
        if day is None:
            return self
        known_by = _date_argument(day, "known_by", "end")
        if known_by == self.known_by:  # already pinned there (store_for runs at several depths of one run)
            return self
        pinned = copy.copy(self)
        pinned.known_by = known_by
        return pinned

    def unpinned(self) -> Store:
        """This store with every release (``self`` when it is not pinned: :meth:`known_on`), to say what a pinned
        store lacks that a later release holds."""
        if self.known_by is None:
            return self
        whole = copy.copy(self)
        whole.known_by = None
        return whole

    # -- writing -------------------------------------------------------------------------------------------
    def batch_files(self) -> list[Path]:
        """Complete batch files (temporary files of an unfinished write are never listed)."""
        if not self.batches_dir.is_dir():
            return []
        return sorted(p for p in self.batches_dir.glob("*/*.parquet") if not p.name.startswith("."))

    def find_batch(self, source: str, sha256: str) -> Path | None:
        """The batch already imported from raw bytes with this SHA-256, if any."""
        folder = self.batches_dir / source
        hits = sorted(folder.glob(f"*_{sha256[:16]}.parquet")) if folder.is_dir() else []
        return hits[0] if hits else None

    def clean_stale_temp(self) -> list[Path]:
        """Remove temporary files of imports that died mid-write (see :func:`is_stale_temp`); the removed."""
        removed: list[Path] = []
        if not self.batches_dir.is_dir():
            return removed
        now = time.time()
        for tmp in self.batches_dir.glob("*/.*.tmp"):
            if is_stale_temp(tmp, now=now):
                try:
                    tmp.unlink()
                except FileNotFoundError:
                    continue
                removed.append(tmp)
        return removed

    def ingest(
        self,
        release: ParsedRelease,
        raw: bytes,
        *,
        vintage: date | None = None,
        retrieved_at: datetime | None = None,
        origin: str | None = None,
        downloaded: bool = False,
    ) -> IngestResult:
        """Store one parsed raw file as a new batch, unless the same bytes were imported before.

        Parameters
        ----------
        release, raw
            The parsed file and its bytes (their SHA-256 names the batch).
        vintage
            Release date given by the user; see :func:`resolve_vintage` (a printed date wins and a
            contradicting one is refused; a file without one needs it).
        retrieved_at
            When the file was obtained (now by default).
        origin
            File name or address, for messages.
        downloaded
            The file was just downloaded (``data update``): a source that never prints a release date takes
            the download date.

        Raises
        ------
        ParseError
            No vintage can be determined, or implausible dates or values; the store is unchanged.
        StoreError
            The batch cannot be written; the store is unchanged.
        DataError
            Another process kept the store's write lock for over :func:`write_lock_timeout` seconds, or this is a
            store pinned to a date (:meth:`known_on`), which cannot check a release against later ones.

        Notes
        -----
        From the check for the same bytes to the rename of the new batch the store's write lock is held, so two
        processes importing at once act as if one ran after the other (:func:`exclusive_lock`).
        """
        if self.known_by is not None:
            raise DataError(f"this store reads only what was known by {self.known_by:%Y-%m-%d} (known_by): it cannot "
                            "check a new release against later ones; import into the store itself (Store(home), "
                            "without known_by)", parameter="known_by")
        with self.writing():
            return self._ingest(release, raw, vintage=vintage, retrieved_at=retrieved_at, origin=origin,
                                downloaded=downloaded)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold this home's write lock (an ``flock`` on the :attr:`lock_dir` folder: no lock file is left behind);
        see :func:`exclusive_lock`."""
        with exclusive_lock(self.lock_dir, what=f"the store under {self.home}"):
            yield

    def _ingest(
        self, release: ParsedRelease, raw: bytes, *, vintage: date | None, retrieved_at: datetime | None,
        origin: str | None, downloaded: bool,
    ) -> IngestResult:
        digest = sha256_bytes(raw)
        existing = self.find_batch(release.source, digest)
        entries = snapshot_manifest(self.snapshot_dir).get("files", []) if self.include_snapshot else []
        snapshot_shas = {entry["sha256"] for entry in entries}  # type: ignore[union-attr, index]
        if existing is not None or digest in snapshot_shas:
            return self._already_stored(release, digest, existing, entries, vintage=vintage, origin=origin)
        table = to_observations(
            release, sha256=digest, vintage=vintage, retrieved_at=retrieved_at, origin=origin, downloaded=downloaded
        )
        if table.num_rows == 0:
            raise DataError(f"{origin or release.source}: the file holds no observations; nothing was stored")
        self._refuse_conflicting_release(table, release, entries, origin=origin or release.source)
        vintages = tuple(sorted(set(table.column("vintage").to_pylist())))
        path = self.batches_dir / release.source / f"{vintages[-1]:%Y%m%d}_{digest[:16]}.parquet"
        self.clean_stale_temp()
        try:
            write_parquet_atomic(table, path)
        except OSError as exc:
            raise StoreError(f"cannot write {path}: {exc}; the store is unchanged") from exc
        n_series = len(set(table.column("series_id").to_pylist()))
        return IngestResult(release.source, digest, table.num_rows, n_series, vintages, True, path)

    def _already_stored(
        self, release: ParsedRelease, digest: str, existing: Path | None, entries: list[object], *,
        vintage: date | None, origin: str | None,
    ) -> IngestResult:
        """The no-op answer for bytes already stored (a batch, or a file of the snapshot), saying under which
        vintage; a ``vintage`` the user gave is still checked (not in the future, not contradicting a printed
        release date: :func:`resolve_vintage`) and, when it differs from the stored one, named as ignored."""
        where = origin or release.source
        if vintage is not None:
            resolve_vintage(release, vintage, origin=where)  # refuses a future or contradicting date
        if existing is not None:
            try:
                stored = sorted(set(pq.read_table(existing, columns=["vintage"]).column("vintage").to_pylist()))
            except Exception:  # noqa: BLE001 - a damaged batch is quarantined by the next read; say no vintage
                stored = []
            reason = "already imported"
        else:
            entry = next(e for e in entries if e["sha256"] == digest)  # type: ignore[index]
            dates = [entry.get(k) for k in ("first_vintage", "vintage")]  # type: ignore[union-attr]
            stored = sorted({date.fromisoformat(str(d)) for d in dates if d})
            reason = "already in the embedded snapshot"
        if vintage is not None and stored and vintage not in stored:
            shown = ", ".join(f"{v:%Y-%m-%d}" for v in (stored if len(stored) <= 3 else [stored[0], stored[-1]]))
            reason += f" as vintage {shown}" if len(stored) == 1 else f" with vintages {shown}"
            reason += (f"; the --vintage {vintage:%Y-%m-%d} given was ignored (the same file is stored once, under "
                       "the vintage it was first imported with)")
        return IngestResult(release.source, digest, 0, 0, tuple(stored), False, existing, reason)

    def _refuse_conflicting_release(
        self, table: pa.Table, release: ParsedRelease, entries: list[object], *, origin: str
    ) -> None:
        """Refuse a file whose values differ from those already stored for the same source, series, vintage and
        period (a batch or the snapshot).

        One vintage holds one set of values: otherwise the later import would silently win (ties of equal
        vintage go to the latest retrieval) and the other values could no longer be read. Rows of the same
        release that agree, or periods the stored release does not have, are no conflict (a re-download with
        other bytes but the same values, or with a day more).

        Raises
        ------
        ParseError
            Naming this file, the series, period and line, both values and the stored batch (or snapshot file),
            and what to do.
        """
        source = str(table.column("source")[0].as_py())
        ids = sorted(set(table.column("series_id").to_pylist()))
        vintages = sorted(set(table.column("vintage").to_pylist()))
        stored = self._query(
            "SELECT series_id, period, vintage, value AS stored_value, sha256 AS stored_sha256, filename FROM obs "
            "WHERE source = $source AND list_contains($ids, series_id) AND list_contains($vintages, vintage)",
            {"source": source, "ids": ids, "vintages": vintages},
            filename=True,
        )
        if stored.empty:
            return
        new = _to_pandas(table.select(["series_id", "label", "period", "vintage", "value"]))
        both = new.merge(stored, on=["series_id", "period", "vintage"], how="inner")
        same = (both["value"] == both["stored_value"]) | (both["value"].isna() & both["stored_value"].isna())
        differ = both[~same]
        if differ.empty:
            return
        row = differ.sort_values(["series_id", "period"]).iloc[0]
        period = pd.Timestamp(row["period"])
        line = release.line_of.get((str(row["series_id"]), period)) if release.line_of else None
        snap = self.snapshot_file()
        if snap is not None and str(row["filename"]) == str(snap):
            entry = next((e for e in entries if e.get("sha256") == row["stored_sha256"]), {})  # type: ignore[union-attr]
            what = f"the embedded snapshot (from the official file {entry.get('file', '?')})"  # type: ignore[union-attr]
            remedy = "check that this file is not damaged (download it again and compare)"
        else:
            what = f"the batch {row['filename']} imported earlier"
            remedy = (f"if the stored batch is the wrong one (a damaged file imported earlier), delete "
                      f"{row['filename']} and import this file again")
        vintage = pd.Timestamp(row["vintage"])
        if release.vintage is not None:
            new_release = "the file prints the same release date, so one of the two files is damaged"
        else:
            new_release = (f"if this file really is a later release, import it with --vintage set to its own release "
                           f"date (not {vintage:%Y-%m-%d})")
        raise ParseError(
            f"series {row['series_id']} at {period:%Y-%m-%d} is {float(row['value'])!r} here but "
            f"{float(row['stored_value'])!r} in {what}, the same release (source {source}, vintage "
            f"{vintage:%Y-%m-%d}); one vintage holds one set of values, so nothing was stored",
            file=origin,
            line=line,
            field=str(row["label"]),
            hint=f"{new_release}; {remedy}",
        )

    # -- reading -------------------------------------------------------------------------------------------
    def snapshot_file(self) -> Path | None:
        """The snapshot data file reads see (``None`` when excluded or absent)."""
        return snapshot_paths(self.snapshot_dir)[0] if self.include_snapshot else None

    def files(self) -> list[str]:
        """Every Parquet file reads see: the snapshot (if included) and the batches."""
        snap = self.snapshot_file()
        return ([str(snap)] if snap is not None else []) + [str(p) for p in self.batch_files()]

    def change_token(self) -> str:
        """A short text that changes whenever what reads see changes (an import, a quarantine, a new snapshot).

        Cheap (one directory listing per source, no file is opened): caches keyed on it never serve data
        older than the store, e.g. the service right after ``geostress data import`` in another process.
        """
        parts: list[str] = []
        snap = self.snapshot_file()
        if snap is not None:
            st = snap.stat()
            parts.append(f"{snap}:{st.st_size}:{st.st_mtime_ns}")
        if self.batches_dir.is_dir():
            with os.scandir(self.batches_dir) as sources:
                folders = sorted(e.path for e in sources if e.is_dir())
            for folder in folders:
                with os.scandir(folder) as entries:
                    parts.extend(sorted(
                        f"{e.name}:{e.stat().st_size}" for e in entries
                        if e.name.endswith(".parquet") and not e.name.startswith(".")
                    ))  # fmt: skip
        if self.known_by is not None:
            parts.append(f"known_by:{self.known_by:%Y-%m-%d}")
        return hashlib.sha1("\n".join(parts).encode(), usedforsecurity=False).hexdigest()[:16]

    def snapshot_version(self) -> str | None:
        """The version of the embedded snapshot reads see: the folder its ``CURRENT`` file names (e.g.
        ``v20261202T002316-e2c7d10c``), ``flat-<sha256[:12]>`` of its manifest for a folder of the older flat layout,
        ``None`` when the snapshot is excluded or absent."""
        snap = self.snapshot_file()
        if snap is None:
            return None
        if snap.parent != self.snapshot_dir:  # the versioned layout: <snapshot_dir>/<version>/observations.parquet
            return snap.parent.name
        manifest = snap.parent / SNAPSHOT_MANIFEST_NAME
        try:
            digest = hashlib.sha256(manifest.read_bytes()).hexdigest()[:12]
        except OSError:
            return "flat"
        return f"flat-{digest}"

    def data_fingerprint(self, *, names: bool = False) -> dict[str, object]:
        """What the data reads see, identified the same way on every machine that holds the same data.

        The snapshot version in use (:meth:`snapshot_version`) and the sorted names ``<source>/<file>`` of the
        batch files (each name carries the release's vintage and the first 16 hex digits of its raw file's
        SHA-256); never paths, sizes or modification times, so two homes (two Dask workers, two machines) with the
        same imports agree. Quarantined batches are not part of it: a damaged batch still in place is moved aside
        first (as a read would), so the fingerprint describes what a read uses. Unlike :meth:`change_token`
        (machine-specific, for caches), it is meant to be recorded next to results (``provenance``) and compared
        across processes (a sweep's chunks).

        Parameters
        ----------
        names
            Also return the batch names (``batch_names``), to say which imports differ between two fingerprints.

        Returns
        -------
        dict
            ``snapshot`` (version or ``None``), ``batches`` (count of batch files), ``fingerprint`` (16 hex digits
            of a SHA-256 over both) and, with ``names``, ``batch_names``. A store pinned to a date
            (:meth:`known_on`) counts only the batches with a row released by then (an import it cannot see leaves
            its fingerprint as it was) and adds ``known_by`` (``YYYY-MM-DD``), which the fingerprint covers too.
        """
        self._check_schemas()
        files = self.batch_files()
        if self.known_by is not None and files:
            seen = self._query("SELECT DISTINCT filename FROM obs", filename=True)
            visible = {Path(name).resolve() for name in seen["filename"]}
            files = [p for p in files if p.resolve() in visible]
        batches = sorted(f"{p.parent.name}/{p.name}" for p in files)
        version = self.snapshot_version()
        what: dict[str, object] = {"snapshot": version, "batches": batches}
        if self.known_by is not None:
            what["known_by"] = f"{self.known_by:%Y-%m-%d}"
        identity = json.dumps(what, sort_keys=True)
        out: dict[str, object] = {
            "snapshot": version,
            "batches": len(batches),
            "fingerprint": hashlib.sha256(identity.encode()).hexdigest()[:16],
        }
        if self.known_by is not None:
            out["known_by"] = what["known_by"]
        if names:
            out["batch_names"] = batches
        return out

    def _damaged_batches(self) -> list[tuple[Path, str]]:
        """Batch files that cannot be read whole, or lack the store's columns, with the reason."""
        bad: list[tuple[Path, str]] = []
        for path in self.batch_files():
            try:
                table = pq.read_table(path)
            except Exception as exc:  # noqa: BLE001 - any failure to read means the file is damaged
                bad.append((path, f"{exc.__class__.__name__}: {str(exc)[:160]}"))
                continue
            problem = _schema_problem(table.schema)
            if problem:
                bad.append((path, problem))
        return bad

    def quarantined_files(self) -> list[Path]:
        """Batch files moved aside as damaged (each with a ``.txt`` note beside it), oldest name first."""
        if not self.quarantine_dir.is_dir():
            return []
        return sorted(self.quarantine_dir.glob("*/*.parquet"))

    def quarantine(self, path: Path, reason: str) -> Quarantined | None:
        """Move one batch file out of the store (to ``store/quarantine/<source>/``) with a note of why.

        Returns ``None`` when another process moved it first.

        Raises
        ------
        StoreError
            The file cannot be moved (e.g. a read-only store): the message says to remove it by hand.
        """
        with self.writing():
            return self._quarantine(path, reason)

    def _quarantine(self, path: Path, reason: str) -> Quarantined | None:
        target_dir = self.quarantine_dir / path.parent.name
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = target_dir / f"{path.stem}.{stamp}{path.suffix}"
        try:
            target_dir.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
        except FileNotFoundError:
            if not path.exists():
                return None  # another command moved it aside already
            raise
        except OSError as exc:
            raise StoreError(
                f"the store file {path} is damaged ({reason}) and cannot be moved aside ({exc.strerror or exc}); "
                "delete it, then import the official file it came from again (geostress data import FILE "
                "--source NAME)"
            ) from exc
        note = Quarantined(path, target, reason)
        write_text_atomic(note.message() + "\n", target.with_suffix(".txt"))
        self.quarantined.append(note)
        log.warning("warning: %s", note.message())
        return note

    def _check_schemas(self) -> None:
        """Quarantine batch files whose footer cannot be read or whose columns differ from :data:`OBS_SCHEMA`.

        DuckDB would otherwise fail on the first, and silently widen a column's type for the second (values
        read back as text). Only the footer is read, once per file version (path, size, modification time).
        """
        for path in self.batch_files():
            try:
                st = path.stat()
            except FileNotFoundError:
                continue
            key = (str(path), st.st_size, st.st_mtime_ns)
            if key in _SCHEMA_OK:
                continue
            try:
                schema = pq.read_schema(path)
            except Exception as exc:  # noqa: BLE001 - an unreadable footer means a damaged file
                self.quarantine(path, f"{exc.__class__.__name__}: {str(exc)[:160]}")
                continue
            problem = _schema_problem(schema)
            if problem:
                self.quarantine(path, problem)
            else:
                _SCHEMA_OK.add(key)

    def _relation(self, *, filename: bool = False) -> duckdb.DuckDBPyConnection | None:
        """This thread's DuckDB connection with the view ``obs`` over every file reads see (``None``: no file).

        The connection and its view are kept between queries (opening a connection costs more than most
        queries); the view is made again when the list of files changes (an import, a quarantine, a new
        snapshot). Files are never rewritten in place, so a view over the same paths reads the same data.
        """
        self._check_schemas()
        files = self.files()
        if not files:
            return None
        local = _LOCAL.__dict__
        if local.get("pid") != os.getpid():  # a fresh thread, or a forked child: never share a connection
            local.clear()
            local.update(pid=os.getpid(), con=_open_connection(), view=None)
        con: duckdb.DuckDBPyConnection = local["con"]
        key = (tuple(files), filename, self.known_by)
        if local["view"] != key:
            local["view"] = None
            relation = con.read_parquet(files, filename=filename)
            if self.known_by is not None:  # a store pinned to a date: later releases are not there at all
                relation = relation.filter(f"vintage <= DATE '{self.known_by:%Y-%m-%d}'")
            relation.create_view("obs", replace=True)
            local["view"] = key
        return con

    def sql(
        self, query: str, params: dict[str, object] | None = None, *,
        arrow: Callable[[pa.Table], pa.Table] | None = None,
    ) -> pd.DataFrame:  # fmt: skip
        """Run SQL against the view ``obs`` of every observation; an empty frame when there are none.

        ``arrow``: applied to the Arrow result before it becomes a frame (the store's own reads sort and select
        there). Every read of the store goes through this method. A batch file that cannot be read is
        quarantined (:meth:`quarantine`, with a warning saying what to do) and the query runs again on the rest
        of the store, so one damaged file does not stop every command.
        """
        return self._query(query, params, arrow=arrow)

    def _query(
        self, query: str, params: dict[str, object] | None = None, *, filename: bool = False,
        arrow: Callable[[pa.Table], pa.Table] | None = None,
    ) -> pd.DataFrame:  # fmt: skip
        """:meth:`sql`, and ``arrow`` applied to the result before it becomes a frame."""
        for attempt in range(3):
            before = self.files()
            try:
                con = self._relation(filename=filename)
                if con is None:
                    return pd.DataFrame(columns=OBS_COLUMNS)
                table = con.sql(query, params=params or None).to_arrow_table()
                return _to_pandas(table if arrow is None else arrow(table))
            except (duckdb.Error, OSError) as exc:
                failure = exc
                _drop_connection()
            if attempt == 2:
                break
            damaged = self._damaged_batches()
            for path, reason in damaged:
                self.quarantine(path, reason)
            if not damaged and self.files() == before:
                break  # not a damaged batch, nor a file moved or a snapshot swapped by another process: report it
        snap = self.snapshot_file()
        where = f"the store under {self.home}" + (f" or the snapshot {snap}" if snap is not None else "")
        raise StoreError(
            f"cannot read {where}: {failure}; if the snapshot is damaged reinstall geostress (or rebuild it with "
            "`geostress data snapshot build --from DIR`)"
        ) from failure

    def series_ids(self) -> list[str]:
        """All series ids known to the store."""
        frame = self.sql("SELECT DISTINCT series_id FROM obs ORDER BY 1")
        return frame["series_id"].tolist()

    def get(
        self,
        series: str | Sequence[str],
        *,
        start: str | date | None = None,
        end: str | date | None = None,
        as_of: str | date | None = None,
        vintage: str | date | None = None,
        all_vintages: bool = False,
    ) -> pd.DataFrame:
        """Observations of one or more series as a tidy frame.

        By default each period carries its latest value released on or before ``as_of`` (today when omitted).
        ``vintage`` selects one release exactly (e.g. a CBO baseline); ``all_vintages`` keeps every release.
        Dates may be partial (:func:`period_bound`): ``start="2013-11", end="2013-11"`` is November 2013,
        ``as_of="2026-03"`` is what was released by 31 March 2026, and ``vintage="2026-02"`` the one release of
        February 2026 (an error lists the releases when there are none or several).

        Raises
        ------
        UnknownSeriesError
            A series id the store does not hold (with close matches; ``parameter`` ``series``).
        VintageError
            ``as_of`` is before every vintage of the requested series (the message says from when they start;
            ``parameter`` ``as_of``).
        DataError
            ``series`` is not a string or a list of strings, or a date that cannot be read (``NaT`` included):
            the message names the parameter, and so does ``parameter`` (``series``, ``start``, ``end``, ``as_of``,
            ``vintage``).
        """
        ids = _series_ids(series)
        params: dict[str, object] = {"ids": ids}
        where = ["list_contains($ids, series_id)"]
        bounds = {
            "start": _date_argument(start, "start", "start"),
            "end": _date_argument(end, "end", "end"),
            "as_of": _date_argument(as_of, "as_of", "end"),
        }
        if bounds["start"] is not None and bounds["end"] is not None and bounds["start"] > bounds["end"]:
            raise DataError(
                f"parameter start={_shown(start)} is after end={_shown(end)} (from {bounds['start']:%Y-%m-%d} to "
                f"{bounds['end']:%Y-%m-%d}); nothing lies between them: swap them or give a later end",
                parameter="start",
            )
        for name, clause in (("start", "period >= $start"), ("end", "period <= $end"), ("as_of", "vintage <= $as_of")):
            if bounds[name] is not None:
                params[name] = bounds[name]
                where.append(clause)
        if vintage is not None:
            _date_argument(vintage, "vintage", "start")  # a date that cannot be read, named (NaT included)
            try:
                params["vintage"] = self._one_vintage(ids, vintage)
            except UnknownSeriesError as exc:
                exc.parameter = exc.parameter or "series"
                raise
            where.append("vintage = $vintage")
        query = f"""SELECT {", ".join(OBS_COLUMNS)} FROM obs WHERE {" AND ".join(where)}"""
        latest = not all_vintages and vintage is None
        frame = self.sql(query, params, arrow=_latest_per_period if latest else _each_release_by_vintage)
        absent = set(ids) - set(frame["series_id"].unique())  # unique(): no Python loop over the rows
        if absent:  # unknown ids, or known ones with nothing in the window: only the first is an error
            known = set(self.series_ids())
            for sid in ids:
                if sid in absent and sid not in known:
                    self.refuse_unreleased(sid)
                    error = UnknownSeriesError(sid, known)
                    error.parameter = "series"
                    raise error
            if frame.empty and bounds["as_of"] is not None:
                try:
                    self._check_as_of(ids, bounds["as_of"])
                except DataError as exc:
                    exc.parameter = exc.parameter or "as_of"
                    raise
        frame["period"] = pd.to_datetime(frame["period"])
        frame["vintage"] = pd.to_datetime(frame["vintage"])
        return frame

    def refuse_unreleased(self, *series: str) -> None:
        """Raise :class:`UnreleasedSeriesError` when this store is pinned (:attr:`known_by`) and one of ``series``,
        absent from its reads, is in the store's later releases (call it before saying a series is not in the
        store). Of several, it names the one released last: the day from which all of them can be read."""
        if self.known_by is None or not series:
            return
        first = self.unpinned().sql("SELECT series_id, min(vintage) AS first FROM obs "
                                    "WHERE list_contains($ids, series_id) GROUP BY series_id", {"ids": list(series)})
        first = first.dropna(subset=["first"])
        if not first.empty:
            last = first.loc[first["first"].idxmax()]
            raise UnreleasedSeriesError(str(last["series_id"]), self.known_by, pd.Timestamp(last["first"]).date())

    def _check_as_of(self, ids: list[str], as_of: date) -> None:
        """Raise :class:`VintageError` when every vintage of ``ids`` is later than ``as_of``."""
        first = self.sql("SELECT min(vintage) AS first FROM obs WHERE list_contains($ids, series_id)", {"ids": ids})
        if first.empty or pd.isna(first["first"].iloc[0]):
            return
        earliest = pd.Timestamp(first["first"].iloc[0]).date()
        if earliest > as_of:
            what = ids[0] if len(ids) == 1 else f"{len(ids)} series ({ids[0]}, ...)"
            raise VintageError(
                f"nothing of {what} had been released by as_of={as_of:%Y-%m-%d}: the store holds vintages from "
                f"{earliest:%Y-%m-%d}; import older releases to look back (geostress data import FILE --source "
                "NAME --vintage DATE), or choose a later --as-of"
            )

    def _one_vintage(self, ids: list[str], vintage: str | date) -> date:
        """The release ``vintage`` means: a full date that one of ``ids`` holds, a partial one (``2026-02``) its
        one release.

        Raises
        ------
        UnknownSeriesError
            No id of ``ids`` is held.
        DataError
            No release of ``ids`` on that date (or in that period), or several in the period: the message lists
            the releases held.
        """
        exact_date = not isinstance(vintage, str) or re.fullmatch(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*", vintage)
        first = period_bound(vintage, "vintage", "start")
        last = first if exact_date else period_bound(vintage, "vintage", "end")
        held_all = self.sql(
            "SELECT DISTINCT vintage FROM obs WHERE list_contains($ids, series_id) ORDER BY 1", {"ids": ids}
        )
        every = [pd.Timestamp(v).date() for v in held_all["vintage"]]
        if not every:
            known = set(self.series_ids())
            raise UnknownSeriesError(next((i for i in ids if i not in known), ids[0]), known)
        assert first is not None and last is not None
        found = [v for v in every if first <= v <= last]
        if len(found) == 1:
            return found[0]
        what = ", ".join(ids)[:80]
        if found:
            raise DataError(
                f"parameter vintage={_shown(vintage)} matches {len(found)} releases: {_listed(found)} (of {what}); "
                "give the full date of one of them",
                parameter="vintage",
            )
        raise DataError(
            f"parameter vintage={_shown(vintage)} matches no release of {what}; the store holds "
            f"{_listed(every)}: give one of these (or use as_of for what was known on a date)",
            parameter="vintage",
        )

    def vintages(self, series: str) -> list[date]:
        """Release dates held for ``series``, oldest first.

        Raises
        ------
        DataError
            ``series`` is not a string (``parameter`` ``series``).
        UnknownSeriesError
            A series id the store does not hold (with close matches; ``parameter`` ``series``).
        """
        if not isinstance(series, str):
            raise DataError(f"parameter series={series!r} must be one series id, a string such as 'fred.dgs10' "
                            f"(not {type(series).__name__}); geostress data catalog lists them", parameter="series")
        frame = self.sql("SELECT DISTINCT vintage FROM obs WHERE series_id = $s ORDER BY 1", {"s": series})
        if frame.empty:  # a held series has at least one vintage
            self.refuse_unreleased(series)
            error = UnknownSeriesError(series, self.series_ids())
            error.parameter = "series"
            raise error
        return [pd.Timestamp(v).date() for v in frame["vintage"]]

    def catalog(self) -> pd.DataFrame:
        """One row per series: label, source, unit, coverage, observation count and latest vintage."""
        frame = self.sql(
            """
            SELECT series_id, any_value(label ORDER BY vintage DESC) AS label, any_value(source) AS source,
                   any_value(unit) AS unit, min(period) AS start, max(period) AS "end",
                   count(DISTINCT period) AS observations, max(vintage) AS latest_vintage,
                   count(DISTINCT vintage) AS vintages
            FROM obs GROUP BY series_id ORDER BY series_id
            """
        )
        for col in ("start", "end", "latest_vintage"):
            frame[col] = pd.to_datetime(frame[col])
        return frame

    def status(self) -> pd.DataFrame:
        """One row per source and origin (snapshot or store): files, rows, series, latest vintage and period."""
        columns = ["source", "origin", "files", "rows", "series", "latest_vintage", "latest_period"]
        snap = self.snapshot_file()
        frame = self._query(
            """
            SELECT source,
                   CASE WHEN filename = $snap THEN 'snapshot' ELSE 'store' END AS origin,
                   count(DISTINCT sha256) AS files, count(*) AS rows, count(DISTINCT series_id) AS series,
                   max(vintage) AS latest_vintage, max(period) AS latest_period
            FROM obs GROUP BY 1, 2 ORDER BY 1, 2
            """,
            {"snap": str(snap) if snap is not None else ""},
            filename=True,
        )
        return frame.reindex(columns=columns)
