"""Build the snapshot embedded in the package from the official files, with our own parsers.

The snapshot is one Parquet file of observations (the same schema as the store) plus ``manifest.json`` naming
each raw file, its SHA-256, source and vintage. It is rebuilt with ``geostress data snapshot build --from DIR``
where ``DIR`` holds the official files in the layout of the project's shared data folder.

Layout and atomic swap: the snapshot folder holds one version per sub-folder (``v<UTC time>-<sha256[:8]>/``
with ``observations.parquet`` and ``manifest.json``) and a ``CURRENT`` file naming the version in use. A build
writes the new version in a hidden folder, renames it into place, then replaces ``CURRENT`` atomically (temporary
file, fsync, rename): readers see the old data file and manifest, or the new pair, never one of each. A build
killed at any step leaves the previous version in use; the next build removes what it left behind (hidden
folders of dead builds, versions no longer current, the older flat layout). Builds at once parse in parallel and
take turns (a lock on the folder) to swap and clean up. Commit a rebuild with ``git add src/geostress/data/snapshot``
(the folder), so that the removal of the old version and the new one go together.

Unchanged data: a build whose *content* equals the current version's writes nothing and leaves ``CURRENT`` as it is
(``unchanged`` in the returned manifest). The content is the observations without their ``retrieved_at`` column
(the build time, stamped on every row) plus the manifest's list of files (source, file, SHA-256, size, rows,
series, vintages, note); the manifest's ``built_at``, the data file's bytes and the version name are not content.
So ``make snapshot`` on unchanged official files is a no-op, and any changed value, vintage, label or file is a
new version.

Vintages: where a file prints its release date (TIC's footer, CBO's baseline dates) that date is used; for files
that carry none, the vintage below is the date the copy was retrieved (from each folder's PROVENANCE.md). A
vintage given here replaces a date the file prints (these dates were checked against each file's provenance).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from geostress.data.sources import get_source
from geostress.data.store import (
    SNAPSHOT_DATA_NAME,
    SNAPSHOT_DIR,
    SNAPSHOT_MANIFEST_NAME,
    SNAPSHOT_POINTER,
    exclusive_lock,
    fsync_dir,
    is_stale_temp,
    sha256_bytes,
    snapshot_manifest,
    snapshot_paths,
    to_observations,
    write_parquet_atomic,
    write_text_atomic,
)
from geostress.errors import DataError, StoreError

SNAPSHOT_LIMIT_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class SnapshotFile:
    """One official file that goes into the snapshot."""

    source: str
    path: str  # relative to the shared data folder
    vintage: date | None  # None: use the release date printed in the file
    note: str = ""
    #: Further files a derived source combines with ``path`` (its ``derive(raw, *raws, origin=...)`` is called).
    inputs: tuple[str, ...] = ()


_FRED_DAILY = date(2025, 11, 25)  # us_treasury_yields_fred_daily: retrieved 2025-11-25
_FRED_MONTHLY = date(2026, 6, 25)  # opxie1/usd refresh of 2026-06-25
_FRED_PRICES_CPI = date(2026, 6, 10)  # us_prices_activity_fred: CPI files last changed 2026-06-10
_FRED_PRICES_POT = date(2026, 6, 4)  # GDPPOT (CBO, Feb-2026 baseline) and FEDFUNDS last changed 2026-06-04
_FRED_DAILY_2608 = date(2026, 8, 22)  # us_rates_daily_fred_2026-08: the mirror's update of 2026-08-22
_ACM = date(2026, 8, 22)  # term_premium_acm_nyfed: the mirror's update of 2026-08-22 (data to 2026-08-20)

SNAPSHOT_FILES: tuple[SnapshotFile, ...] = (
    SnapshotFile("tic-mfh", "tic_mfh_historical/mfhhis01.txt", None, "TIC MFH historical, revised 2026-03-18"),
    *(
        SnapshotFile("fred", f"us_treasury_yields_fred_daily/{s}.csv", _FRED_DAILY, "FRED fredgraph.csv")
        for s in ("DGS3MO", "DGS2", "DGS5", "DGS10", "DGS30")
    ),
    *(
        SnapshotFile("fred", f"us_treasury_yields_fred_monthly/{s}.csv", _FRED_MONTHLY, "FRED monthly")
        for s in ("GS10", "GS2", "TB3MS")
    ),
    *(
        SnapshotFile("fred", f"us_fiscal_fred/{s}.csv", _FRED_MONTHLY, "FRED fiscal")
        for s in ("GFDEBTN", "FYGFDPUN", "GDP", "A091RC1Q027SBEA", "TREAST")
    ),
    *(
        SnapshotFile("fred", f"mortgage_corporate_rates_fred/{s}.csv", _FRED_MONTHLY, "FRED rates")
        for s in ("MORTGAGE30US", "AAA", "BAA")
    ),
    SnapshotFile("fred", "mortgage_corporate_rates_fred/BAA10Y.csv", date(2025, 5, 4), "FRED BAA10Y"),
    SnapshotFile("fred", "us_debt_holders_fred/FDHBFIN.csv", date(2025, 12, 23), "FRED FDHBFIN to 2025Q3"),
    SnapshotFile("fred", "china_fx_reserves_fred/TRESEGCNM052N.csv", date(2025, 3, 15), "FRED China reserves"),
    SnapshotFile(
        "fiscaldata-avg-rates",
        "us_treasury_avg_interest_rates/avg_interest_rates_2001-01_2025-05.csv",
        date(2025, 7, 5),
        "Fiscal Data average interest rates",
    ),
    SnapshotFile(
        "fiscaldata-mspd",
        "mspd_securities_outstanding_2025-04/mspd_table1_summary_2025-04-30.csv",
        date(2025, 5, 6),
        "MSPD Table I, 30 Apr 2025",
    ),
    SnapshotFile("cbo-baselines", "cbo_baseline_projections/baselines.csv", None, "CBO baselines, every vintage"),
    SnapshotFile("cbo-actuals", "cbo_baseline_projections/actuals.csv", date(2026, 1, 16), "CBO actuals"),
    # debt held by the public derived for the 55 baselines that publish deficits but no debt (vintages = the
    # baseline dates, from the file; source cbo-debt-derived marks them)
    SnapshotFile(
        "cbo-debt-derived", "cbo_baseline_projections/baselines.csv", None,
        "cbo.debt DERIVED by geostress for baselines without published debt (actual debt + deficits + OMF)",
        inputs=("cbo_baseline_projections/actuals.csv",),
    ),
    SnapshotFile("cbo-actuals", "cbo_baseline_projections/actual_GDP.csv", date(2026, 1, 16), "CBO actual GDP"),
    SnapshotFile("gold-wgc", "central_bank_gold_reserves/wgc_reserves.csv", date(2026, 2, 25), "WGC/IMF quarterly"),
    SnapshotFile(
        "gold-safe",
        "central_bank_gold_reserves/china_gold_safe_monthly_derived.csv",
        date(2026, 7, 7),
        "SAFE China official reserve assets, gold (Moz), to Jun-2026",
    ),
    SnapshotFile(
        "usgs-ree", "usgs_mcs2025_rare_earths/mcs2025-rare-earths.marker-text.md", None, "USGS MCS 2025"
    ),
    # us_prices_activity_fred: vintage = the day each file last changed in opxie1/usd (pulled from the FRED API)
    *(
        SnapshotFile("fred", f"us_prices_activity_fred/{s}.csv", v, "FRED prices, activity and policy rate")
        for s, v in (
            ("CPIAUCSL", _FRED_PRICES_CPI), ("CPILFESL", _FRED_PRICES_CPI), ("PCEPI", _FRED_MONTHLY),
            ("PCEPILFE", _FRED_MONTHLY), ("GDPDEF", _FRED_MONTHLY), ("GDPC1", _FRED_MONTHLY),
            ("GDPPOT", _FRED_PRICES_POT), ("FEDFUNDS", _FRED_PRICES_POT),
        )
    ),
    # later vintages of series already above: `as_of` tells what was known when
    *(
        SnapshotFile("fred", f"us_macro_monthly_fred_2026-06/{s}.csv", v, "FRED monthly macro, vintage to 2026-06")
        for s, v in (("CPIAUCSL", date(2026, 7, 30)), ("FEDFUNDS", date(2026, 7, 28)), ("UNRATE", date(2026, 7, 28)))
    ),
    *(
        SnapshotFile("fred", f"us_rates_daily_fred_2026-08/{f}.csv", v, f"FRED {s} daily, vintage to 2026-08-20")
        for f, s, v in (
            ("us-10-year-treasury-yield", "DGS10", _FRED_DAILY_2608),
            ("us-2-year-treasury-yield", "DGS2", _FRED_DAILY_2608),
            ("us-10y-real-yield", "DFII10", _FRED_DAILY_2608),
            ("us-10y-breakeven-inflation", "T10YIE", _FRED_DAILY_2608),
            ("broad-us-dollar-index", "DTWEXBGS", date(2026, 8, 17)),
        )
    ),
    # MCS 2026 (figures to 2025) over the MCS 2025 base above; vintages come from the file (2026-02-06, and
    # 2026-05-27 for the v1.3 reserve revisions), so the vintage here must stay None
    SnapshotFile(
        "usgs-mcs", "usgs_mcs2026_rare_earths/usgs_mcs2026_commodities_data.csv", None,
        "USGS MCS 2026 data release, rare-earths chapter (v1.0 CSV; v1.3 revisions as a later vintage)",
    ),
    SnapshotFile(
        "usgs-ds140", "usgs_ds140_rare_earths_historical/usgs_ds140_rare_earths_2020.xlsx", None,
        "USGS DS140 rare earths 1900-2020 (workbook of 2023-09-27)",
    ),
    *(
        SnapshotFile("usitc-trade", f"usitc_dataweb_critical_minerals_trade/{f}", None,
                     "USITC DataWeb, HTS 2846/2805/8505 by 18 partners (downloaded 2026-07-10)")
        for f in ("us_imports_for_consumption_1993-2026.xlsx", "us_domestic_exports_1993-2026.xlsx")
    ),
    SnapshotFile(
        "treasury-auctions", "treasury_auctions_treasurydirect/Auctions_Query_19791115_20251215.csv",
        date(2025, 12, 9), "TreasuryDirect Auction Query export to 2025-12-15 (copied 2025-12-09): monthly counts only",
    ),
    SnapshotFile(
        "cbo-economic", "cbo_economic_projections_2026-02/Annual_CY_February2026.csv", date(2026, 2, 1),
        "CBO economic projections, February 2026 baseline (calendar years)",
    ),
    SnapshotFile(
        "cbo-economic", "cbo_economic_projections_2025-01/CBO_Quarterly_January2025.csv", date(2025, 1, 1),
        "CBO economic projections, January 2025 baseline (quarterly)",
    ),
    SnapshotFile(
        "gold-worldbank", "gold_price_worldbank_monthly/CMO-Historical-Data-Monthly.xlsx", None,
        "World Bank Pink Sheet monthly gold price (workbook updated 2026-07-02)",
    ),
    SnapshotFile(
        "acm-term-premium",
        "term_premium_acm_nyfed/ACMTP10_daily.csv",
        _ACM,
        "ACM 10-year term premium (Adrian, Crump and Moench, FRBNY model estimate), vintage of 2026-08-22",
    ),
)


#: Test hook: seconds to pause once the new version is in place, before ``CURRENT`` points to it.
SWAP_PAUSE_ENV = "GEOSTRESS_DEBUG_SNAPSHOT_PAUSE"
_BUILDING = re.compile(r"^\.building-(?P<pid>\d+)-[0-9a-f]{8}$")
_VERSION = re.compile(r"^v\d{8}T\d{6}-[0-9a-f]{8}$")


def _pid_gone(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def clean_snapshot_dir(out_dir: Path) -> list[Path]:
    """Remove what builds left behind in ``out_dir``; keep the version ``CURRENT`` names. The removed paths.

    Removed: hidden build folders of processes that are gone, version folders other than the current one,
    stale temporary files, and the flat files of the older layout once a ``CURRENT`` version exists.
    """
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return []
    data, _ = snapshot_paths(out_dir)
    current = data.parent if data is not None and data.parent != out_dir else None
    removed: list[Path] = []
    for entry in out_dir.iterdir():
        building = _BUILDING.match(entry.name)
        if entry.is_dir() and (
            (building is not None and _pid_gone(int(building.group("pid"))))
            or (current is not None and _VERSION.match(entry.name) and entry != current)
        ):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
        elif entry.is_file() and (
            is_stale_temp(entry)
            or (current is not None and entry.name in (SNAPSHOT_DATA_NAME, SNAPSHOT_MANIFEST_NAME))
        ):
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def build_snapshot(
    data_dir: Path,
    *,
    out_dir: Path = SNAPSHOT_DIR,
    files: Sequence[SnapshotFile] | None = None,
) -> dict[str, object]:
    """Parse every file of :data:`SNAPSHOT_FILES` under ``data_dir`` and swap in the new snapshot atomically.

    Parameters
    ----------
    data_dir
        Folder of the official files (the layout of the project's shared data folder).
    out_dir
        Snapshot folder (default the package's); see the module docstring for its layout.
    files
        The files to include (default :data:`SNAPSHOT_FILES`).

    Returns
    -------
    dict
        The manifest of the snapshot in use afterwards, with two keys not written to ``manifest.json``:
        ``version`` (the folder ``CURRENT`` names) and ``unchanged`` (True when the content equals the current
        version's, which then stays in place and nothing is written; see the module notes).

    Raises
    ------
    DataError
        A file is missing, or the snapshot would exceed 5 MB; parse errors propagate unchanged (they name
        file, line and field). Nothing changes unless every file parses and the result fits.
    StoreError
        The new version cannot be written; the previous one stays in use.
    """
    data_dir = Path(data_dir)
    out_dir = Path(out_dir)
    retrieved = datetime.now(UTC)
    tables: list[pa.Table] = []
    entries: list[dict[str, object]] = []
    for spec in SNAPSHOT_FILES if files is None else files:
        path = data_dir / spec.path
        if not path.is_file():
            raise DataError(f"snapshot input {path} is missing; pass --from the folder of official files")
        raw = path.read_bytes()
        if spec.inputs:  # a derived source: several official files in, one release out
            extra = []
            for rel in spec.inputs:
                if not (data_dir / rel).is_file():
                    raise DataError(f"snapshot input {data_dir / rel} is missing; pass --from the folder of official files")
                extra.append((data_dir / rel).read_bytes())
            release = get_source(spec.source).derive(raw, *extra, origin=str(path))
            digest = sha256_bytes(raw + b"".join(extra))
        else:
            release = get_source(spec.source).parse(raw, origin=str(path))
            digest = sha256_bytes(raw)
        table = to_observations(
            release, sha256=digest, vintage=spec.vintage, retrieved_at=retrieved, origin=str(path),
            override_vintage=True,
        )  # fmt: skip
        vintages = sorted(set(table.column("vintage").to_pylist()))
        tables.append(table)
        entries.append(
            {
                "source": spec.source,
                "file": spec.path,
                "sha256": digest,
                "bytes": len(raw),
                "rows": table.num_rows,
                "series": len(set(table.column("series_id").to_pylist())),
                "vintage": vintages[-1].isoformat(),
                "first_vintage": vintages[0].isoformat(),
                "note": spec.note,
            }
        )
    if not tables:
        raise DataError("the snapshot specification lists no file; nothing was built")
    combined = pa.concat_tables(tables).sort_by(
        [("series_id", "ascending"), ("vintage", "ascending"), ("period", "ascending")]
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    with _exclusive(out_dir):  # one build at a time swaps and cleans (parsing above runs in parallel)
        current = unchanged_version(out_dir, combined, entries)
        if current is not None:
            clean_snapshot_dir(out_dir)
            return {**snapshot_manifest(out_dir), "version": current, "unchanged": True}
        return _swap_in(out_dir, combined, entries, retrieved)


#: Columns that are not content: the build time stamped on every row.
VOLATILE_COLUMNS = ("retrieved_at",)


def _content(table: pa.Table) -> pa.Table:
    return table.drop_columns([c for c in VOLATILE_COLUMNS if c in table.column_names]).combine_chunks()


def unchanged_version(out_dir: Path, combined: pa.Table, entries: list[dict[str, object]]) -> str | None:
    """The name of the current version under ``out_dir`` when its content equals ``combined`` and ``entries``.

    Content: the observations without :data:`VOLATILE_COLUMNS`, compared value by value (types included), and
    the manifest's ``files`` list compared field by field. ``None`` when they differ, or when there is no current
    version (or it cannot be read: a damaged snapshot is always rebuilt).
    """
    data, manifest_path = snapshot_paths(out_dir)
    if data is None or manifest_path is None or data.parent == Path(out_dir):
        return None  # nothing in place, or the older flat layout (rebuilt into a version folder)
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("files") != entries:
            return None
        current = pq.read_table(data)
    except (OSError, ValueError, pa.ArrowException):
        return None
    if current.num_rows != combined.num_rows or current.schema.remove_metadata() != combined.schema.remove_metadata():
        return None
    return data.parent.name if _content(current).equals(_content(combined)) else None


@contextmanager
def _exclusive(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (flock on the folder itself: no lock file to clean up), waiting at
    most :func:`~geostress.data.store.write_lock_timeout` seconds for another build (then a ``DataError``)."""
    with exclusive_lock(folder, what=f"the snapshot folder {folder}"):
        yield


def _swap_in(
    out_dir: Path, combined: pa.Table, entries: list[dict[str, object]], retrieved: datetime
) -> dict[str, object]:
    """Write the new version beside the current one, point ``CURRENT`` at it, remove what is left behind."""
    clean_snapshot_dir(out_dir)
    building = out_dir / f".building-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        building.mkdir()
        data_file = building / SNAPSHOT_DATA_NAME
        write_parquet_atomic(combined, data_file)
        size = data_file.stat().st_size
        if size > SNAPSHOT_LIMIT_BYTES:
            raise DataError(
                f"snapshot is {size / 1e6:.1f} MB, over the 5 MB limit; drop or thin a source (nothing changed)"
            )
        manifest = {
            "built_at": retrieved.isoformat(timespec="seconds"),
            "rows": combined.num_rows,
            "bytes": size,
            "files": entries,
        }
        write_text_atomic(json.dumps(manifest, indent=1) + "\n", building / SNAPSHOT_MANIFEST_NAME)
        version = out_dir / f"v{retrieved:%Y%m%dT%H%M%S}-{sha256_bytes(data_file.read_bytes())[:8]}"
        if version.exists():  # the same data built twice within a second: keep the one in place
            shutil.rmtree(building)
        else:
            os.replace(building, version)
            fsync_dir(out_dir)
    except OSError as exc:
        shutil.rmtree(building, ignore_errors=True)
        raise StoreError(f"cannot write the snapshot under {out_dir}: {exc}; the previous one stays in use") from exc
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    pause = float(os.environ.get(SWAP_PAUSE_ENV, "0") or 0)
    if pause:
        time.sleep(pause)
    write_text_atomic(version.name + "\n", out_dir / SNAPSHOT_POINTER)  # the one atomic step readers see
    clean_snapshot_dir(out_dir)
    return {**manifest, "version": version.name, "unchanged": False}
