"""Build the snapshot embedded in the package from the official files, with our own parsers.

The snapshot is one Parquet file of observations (the same schema as the store) plus ``manifest.json`` naming
each raw file, its SHA-256, source and vintage. It is rebuilt with ``geostress data snapshot build --from DIR``
where ``DIR`` holds the official files in the layout of the project's shared data folder.

Vintages: where a file prints its release date (TIC's footer, CBO's baseline dates) that date is used; for files
that carry none, the vintage below is the date the copy was retrieved (from each folder's PROVENANCE.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa

from geostress.data.sources import get_source
from geostress.data.store import SNAPSHOT_FILE, SNAPSHOT_MANIFEST, sha256_bytes, to_observations, write_parquet_atomic
from geostress.errors import DataError

SNAPSHOT_LIMIT_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class SnapshotFile:
    """One official file that goes into the snapshot."""

    source: str
    path: str  # relative to the shared data folder
    vintage: date | None  # None: use the release date printed in the file
    note: str = ""


_FRED_DAILY = date(2025, 11, 25)  # us_treasury_yields_fred_daily: retrieved 2025-11-25
_FRED_MONTHLY = date(2026, 6, 25)  # opxie1/usd refresh of 2026-06-25
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
    SnapshotFile(
        "acm-term-premium",
        "term_premium_acm_nyfed/ACMTP10_daily.csv",
        _ACM,
        "ACM 10-year term premium (Adrian, Crump and Moench, FRBNY model estimate), vintage of 2026-08-22",
    ),
)


def build_snapshot(
    data_dir: Path,
    *,
    out_file: Path = SNAPSHOT_FILE,
    manifest_file: Path = SNAPSHOT_MANIFEST,
) -> dict[str, object]:
    """Parse every file of :data:`SNAPSHOT_FILES` under ``data_dir`` and write the snapshot atomically.

    Returns the manifest. Raises :class:`DataError` if a file is missing or the snapshot would exceed 5 MB;
    parse errors propagate unchanged (they name file, line and field). Nothing is written unless every file
    parses.
    """
    data_dir = Path(data_dir)
    retrieved = datetime.now(UTC)
    tables: list[pa.Table] = []
    entries: list[dict[str, object]] = []
    for spec in SNAPSHOT_FILES:
        path = data_dir / spec.path
        if not path.is_file():
            raise DataError(f"snapshot input {path} is missing; pass --from the folder of official files")
        raw = path.read_bytes()
        release = get_source(spec.source).parse(raw, origin=str(path))
        digest = sha256_bytes(raw)
        table = to_observations(release, sha256=digest, vintage=spec.vintage, retrieved_at=retrieved)
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
    combined = pa.concat_tables(tables).sort_by([("series_id", "ascending"), ("vintage", "ascending"), ("period", "ascending")])
    write_parquet_atomic(combined, out_file)
    size = out_file.stat().st_size
    if size > SNAPSHOT_LIMIT_BYTES:
        raise DataError(f"snapshot is {size / 1e6:.1f} MB, over the 5 MB limit; drop or thin a source")
    manifest = {
        "built_at": retrieved.isoformat(timespec="seconds"),
        "rows": combined.num_rows,
        "bytes": size,
        "files": entries,
    }
    tmp = manifest_file.with_name(f".{manifest_file.name}.tmp")
    tmp.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    tmp.replace(manifest_file)
    return manifest
