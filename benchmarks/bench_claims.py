"""Claims check speed on a 1 MB text (the test fixtures repeated), end to end: decode, extract, link, check.

Figures (one JSON line last): ``bytes``, ``claims``, ``decode_s``, ``extract_check_s`` (wall clock; target ≤ 5 s
for 1 MB), ``extract_check_cpu_s`` (CPU time of this process: steadier on a shared machine), ``html_s``,
``claims_per_s`` and ``reference_loop_cpu_s`` (CPU time of ten million additions in a Python loop, measured right
after: on a shared machine it shows how much slower than usual the machine ran, so the figure can be scaled). The
store's series are read once before timing (DuckDB start-up is not part of the figure).

Run: ``python benchmarks/bench_claims.py [--mb 1]``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from geostress.analytics.claims import Checker, check_text, decode_bytes, render_html
from geostress.data.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "claims"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=1.0)
    args = parser.parse_args()
    unit = "\n".join(p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.txt"))).encode("utf-8")
    target = int(args.mb * 1_000_000)
    raw = (unit * (target // len(unit) + 1))[:target]
    raw = raw[: len(raw.decode("utf-8", errors="ignore").encode("utf-8"))]

    t = time.perf_counter()
    text, _enc = decode_bytes(raw)
    decode_s = time.perf_counter() - t
    checker = Checker(Store(tempfile.mkdtemp(prefix="geostress-bench-")))
    check_text(unit.decode("utf-8"), checker=checker)  # warm: series read once
    t, c = time.perf_counter(), time.process_time()
    claims, _when = check_text(text, checker=checker)
    extract_check_s, cpu_s = time.perf_counter() - t, time.process_time() - c
    t = time.perf_counter()
    render_html(text, claims)
    html_s = time.perf_counter() - t
    c = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    reference_s = time.process_time() - c
    print(json.dumps({"bytes": len(raw), "claims": len(claims), "decode_s": round(decode_s, 3),
                      "extract_check_s": round(extract_check_s, 3), "extract_check_cpu_s": round(cpu_s, 3),
                      "html_s": round(html_s, 3), "claims_per_s": round(len(claims) / extract_check_s),
                      "reference_loop_cpu_s": round(reference_s, 3)}))


if __name__ == "__main__":
    main()
