"""Store and monitor speed, as ratios to a reference measured in the same run.

Reference: reading the embedded snapshot with pyarrow and filtering one series in pandas (the least work any
query must do). Figures: median seconds over repeats for ``get`` of one daily series, ``catalog()``, a whole
``build_monitor()``, and an import of the real TIC file into an empty store. Prints one JSON line last.

Run: ``python benchmarks/bench_store.py`` (``make bench``).
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq

from geostress.data.ingest import import_file
from geostress.data.store import SNAPSHOT_FILE, Store
from geostress.analytics.monitor import build_monitor

SHARED = Path(os.environ.get("GEOSTRESS_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


def timed(func: Callable[[], object], repeat: int = 7) -> float:
    func()  # warm-up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["GEOSTRESS_HOME"] = home
        store = Store()

        def reference() -> object:
            frame = pq.read_table(SNAPSHOT_FILE).to_pandas()
            return frame[frame["series_id"] == "fred.dgs10"]

        ref = timed(reference)
        get_one = timed(lambda: store.get("fred.dgs10"))
        catalog = timed(store.catalog)
        monitor = timed(lambda: build_monitor(store=store), repeat=3)
        figures: dict[str, float | str | None] = {
            "reference_pyarrow_read_filter_s": round(ref, 4),
            "get_daily_series_s": round(get_one, 4),
            "get_ratio_to_reference": round(get_one / ref, 3),
            "catalog_s": round(catalog, 4),
            "monitor_s": round(monitor, 4),
            "monitor_ratio_to_reference": round(monitor / ref, 2),
            "snapshot_bytes": SNAPSHOT_FILE.stat().st_size,
        }
        tic = SHARED / "tic_mfh_historical" / "mfhhis01.txt"
        if tic.exists():
            def fresh_import() -> object:
                with tempfile.TemporaryDirectory() as h:
                    return import_file(tic, "tic-mfh", store=Store(h, include_snapshot=False))

            figures["import_tic_file_s"] = round(timed(fresh_import, repeat=3), 4)
        else:
            figures["import_tic_file_s"] = None
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
