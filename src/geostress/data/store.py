"""The vintaged observation store.

Layout (under ``$GEOSTRESS_HOME``, default the platform's user data folder)::

    store/batches/<source>/<vintage>_<sha256[:16]>.parquet   one file per imported raw file

Each batch holds the observations parsed from one raw official file, with the columns of :data:`OBS_SCHEMA`.
Nothing is ever rewritten: a new release adds a batch (a new vintage) and importing the same bytes again is a
no-op (the SHA-256 of the raw file names the batch). A batch is written to a hidden temporary file, flushed to
disk and renamed into place, so a crash or ``kill -9`` mid-write leaves the store exactly as it was.

Reads go through DuckDB over the Parquet batches plus the snapshot embedded in the package, so a fresh install
works offline. ``as_of`` keeps only vintages released on or before a date: what was known then.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from geostress.data.sources.base import PARSED_COLUMNS, ParsedRelease
from geostress.errors import DataError, StoreError, UnknownSeriesError

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

SNAPSHOT_DIR = Path(__file__).resolve().parent / "snapshot"
SNAPSHOT_FILE = SNAPSHOT_DIR / "observations.parquet"
SNAPSHOT_MANIFEST = SNAPSHOT_DIR / "manifest.json"

#: Test hook: seconds to sleep between row groups while writing a batch (lets a test kill a write mid-way).
WRITE_DELAY_ENV = "GEOSTRESS_DEBUG_WRITE_DELAY"
ROW_GROUP_SIZE = 16_384


def default_home() -> Path:
    """``$GEOSTRESS_HOME`` if set, else the platform's user data folder for geostress."""
    env = os.environ.get("GEOSTRESS_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("geostress", appauthor=False))


def sha256_bytes(raw: bytes) -> str:
    """Hex SHA-256 of ``raw``."""
    return hashlib.sha256(raw).hexdigest()


def to_observations(
    release: ParsedRelease,
    *,
    sha256: str,
    vintage: date | None = None,
    retrieved_at: datetime | None = None,
) -> pa.Table:
    """Complete a parser's frame into stored observations.

    The vintage of a row is, in order: its own ``vintage`` column (files holding several vintages), the
    ``vintage`` argument (given by the user or the snapshot specification), the release date found in the file,
    and finally the retrieval date (what we know today is known as of today).
    """
    frame = release.observations
    missing = [c for c in PARSED_COLUMNS if c not in frame.columns]
    if missing:  # a programming error in a parser, not bad user input
        raise StoreError(f"parser {release.source!r} returned a frame without columns {missing}")
    retrieved = retrieved_at or datetime.now(UTC)
    fallback = vintage or release.vintage or retrieved.date()
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
    if "vintage" in frame.columns and vintage is None:
        out["vintage"] = pd.to_datetime(frame["vintage"]).dt.date
    else:
        out["vintage"] = fallback
    stamp = pd.Timestamp(retrieved)
    out["retrieved_at"] = stamp.tz_convert("UTC") if stamp.tzinfo else stamp.tz_localize("UTC")
    out["sha256"] = sha256
    return pa.Table.from_pandas(out, schema=OBS_SCHEMA, preserve_index=False)


def write_parquet_atomic(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` so that readers see either the old state or the whole new file.

    The data go to a hidden temporary file in the same folder, are flushed and fsync'ed, then renamed over
    ``path`` (an atomic operation on POSIX file systems); the folder is fsync'ed so the rename survives a crash.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}.tmp"
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
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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


class Store:
    """Vintaged observations on disk plus the embedded snapshot.

    Parameters
    ----------
    home
        Root folder; :func:`default_home` when omitted.
    include_snapshot
        Whether reads also see the snapshot shipped in the package (default True).
    """

    def __init__(self, home: Path | str | None = None, *, include_snapshot: bool = True) -> None:
        self.home = Path(home) if home is not None else default_home()
        self.batches_dir = self.home / "store" / "batches"
        self.include_snapshot = include_snapshot

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

    def ingest(
        self,
        release: ParsedRelease,
        raw: bytes,
        *,
        vintage: date | None = None,
        retrieved_at: datetime | None = None,
    ) -> IngestResult:
        """Store one parsed raw file as a new batch, unless the same bytes were imported before."""
        digest = sha256_bytes(raw)
        existing = self.find_batch(release.source, digest)
        snapshot_shas = (
            {entry["sha256"] for entry in snapshot_manifest().get("files", [])} if self.include_snapshot else set()
        )
        if existing is not None or digest in snapshot_shas:
            reason = "already imported" if existing is not None else "already in the embedded snapshot"
            return IngestResult(release.source, digest, 0, 0, (), False, existing, reason)
        table = to_observations(release, sha256=digest, vintage=vintage, retrieved_at=retrieved_at)
        if table.num_rows == 0:
            raise DataError(f"{release.source}: the file holds no observations; nothing was stored")
        vintages = tuple(sorted(set(table.column("vintage").to_pylist())))
        path = self.batches_dir / release.source / f"{vintages[-1]:%Y%m%d}_{digest[:16]}.parquet"
        try:
            write_parquet_atomic(table, path)
        except OSError as exc:
            raise StoreError(f"cannot write {path}: {exc}; the store is unchanged") from exc
        n_series = len(set(table.column("series_id").to_pylist()))
        return IngestResult(release.source, digest, table.num_rows, n_series, vintages, True, path)

    # -- reading -------------------------------------------------------------------------------------------
    def files(self) -> list[str]:
        """Every Parquet file reads see: the snapshot (if included) and the batches."""
        out = [str(SNAPSHOT_FILE)] if self.include_snapshot and SNAPSHOT_FILE.exists() else []
        return out + [str(p) for p in self.batch_files()]

    def _relation(self, con: duckdb.DuckDBPyConnection) -> bool:
        files = self.files()
        if not files:
            return False
        try:
            con.read_parquet(files).create_view("obs")
        except duckdb.Error as exc:
            raise StoreError(f"cannot read the store under {self.home}: {exc}") from exc
        return True

    def sql(self, query: str, params: dict[str, object] | None = None) -> pd.DataFrame:
        """Run SQL against the view ``obs`` of every observation; an empty frame when there are none."""
        with duckdb.connect() as con:
            if not self._relation(con):
                return pd.DataFrame(columns=OBS_COLUMNS)
            try:
                return con.execute(query, params or {}).df()
            except duckdb.Error as exc:
                raise StoreError(f"query on the store under {self.home} failed: {exc}") from exc

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
        """
        ids = [series] if isinstance(series, str) else list(series)
        params: dict[str, object] = {"ids": ids}
        where = ["list_contains($ids, series_id)"]
        for name, value, clause in (
            ("start", start, "period >= $start"),
            ("end", end, "period <= $end"),
            ("as_of", as_of, "vintage <= $as_of"),
            ("vintage", vintage, "vintage = $vintage"),
        ):
            if value is not None:
                params[name] = _as_date(value, name)
                where.append(clause)
        partition = "series_id, period, vintage" if (all_vintages or vintage is not None) else "series_id, period"
        query = f"""
            SELECT {", ".join(OBS_COLUMNS)} FROM obs WHERE {" AND ".join(where)}
            QUALIFY row_number() OVER (PARTITION BY {partition} ORDER BY vintage DESC, retrieved_at DESC) = 1
            ORDER BY series_id, vintage, period
        """
        frame = self.sql(query, params)
        absent = set(ids) - set(frame["series_id"])
        if absent:  # unknown ids, or known ones with nothing in the window: only the first is an error
            known = set(self.series_ids())
            for sid in ids:
                if sid in absent and sid not in known:
                    raise UnknownSeriesError(sid, known)
        frame["period"] = pd.to_datetime(frame["period"])
        frame["vintage"] = pd.to_datetime(frame["vintage"])
        if not all_vintages and vintage is None:
            frame = frame.sort_values(["series_id", "period"], kind="stable").reset_index(drop=True)
        return frame

    def vintages(self, series: str) -> list[date]:
        """Release dates held for ``series``, oldest first."""
        if series not in set(self.series_ids()):
            raise UnknownSeriesError(series, self.series_ids())
        frame = self.sql("SELECT DISTINCT vintage FROM obs WHERE series_id = $s ORDER BY 1", {"s": series})
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
        files = self.files()
        columns = ["source", "origin", "files", "rows", "series", "latest_vintage", "latest_period"]
        if not files:
            return pd.DataFrame(columns=columns)
        with duckdb.connect() as con:
            frame = con.execute(
                """
                SELECT source,
                       CASE WHEN filename = $snap THEN 'snapshot' ELSE 'store' END AS origin,
                       count(DISTINCT sha256) AS files, count(*) AS rows, count(DISTINCT series_id) AS series,
                       max(vintage) AS latest_vintage, max(period) AS latest_period
                FROM read_parquet($files, filename = true) GROUP BY 1, 2 ORDER BY 1, 2
                """,
                {"files": files, "snap": str(SNAPSHOT_FILE)},
            ).df()
        return frame[columns]


def _as_date(value: str | date, name: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return pd.Timestamp(value).date()
    except (ValueError, TypeError):
        raise DataError(f"parameter {name}={value!r} is not a date; use YYYY-MM-DD (e.g. 2025-12-31)") from None


def snapshot_manifest() -> dict[str, object]:
    """The embedded snapshot's manifest (sources, files, SHA-256, vintages); empty when none is shipped."""
    if not SNAPSHOT_MANIFEST.exists():
        return {}
    return json.loads(SNAPSHOT_MANIFEST.read_text(encoding="utf-8"))
