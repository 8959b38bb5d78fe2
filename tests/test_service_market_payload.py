"""The market part of a run's result as the service writes it: the literature's range beside the model's (and
what it is for), P(cascade) under its own name, the term premium's band over paths, and no fake ranges for a run
of one path (issue 14).

The worker's own entry point (:func:`geostress.service.worker.execute`) runs in this process on a run folder, as
a worker process would, on the embedded snapshot.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from geostress.results.scenario import LITERATURE_BP_PER_PP
from geostress.service.schemas import RunResult
from geostress.service.worker import execute
from geostress.spec.scenario import parse_scenario


def run_folder(folder: Path, home: Path, sales: list[dict[str, Any]], paths: int) -> dict[str, Any]:
    spec = parse_scenario({"scenario": {"name": "payload", "horizon_years": 5}, "simulation": {"paths": paths},
                           "market": {"enabled": True}, "sales": sales})
    folder.mkdir()
    (folder / "spec.json").write_text(json.dumps(spec.model_dump(mode="json")), encoding="utf-8")
    assert execute(str(folder), str(home)) == 0, (folder / "error.json").read_text(encoding="utf-8")
    payload = json.loads((folder / "result.json").read_text(encoding="utf-8"))
    RunResult.model_validate(payload)  # the layout the API documents
    return payload


def test_official_sale_carries_the_published_range(geostress_home: Path, tmp_path: Path) -> None:
    sales = [{"holder": "china_mainland_official", "amount_bn": 300, "months": 12},
             {"holder": "japan_private", "amount_bn": 100, "months": 6}]
    payload = run_folder(tmp_path / "run", geostress_home, sales, paths=16)
    market, summary = payload["market"], payload["summary"]
    lit = market["published_persistent"]
    assert lit["persistent_bn"] == pytest.approx([300.0, 300.0]) and lit["private_bn"] == pytest.approx(100.0)
    assert lit["bp_per_pp"] == list(LITERATURE_BP_PER_PP)
    assert lit["low_bp"] == pytest.approx(LITERATURE_BP_PER_PP[0] * 100 * 300 / lit["gdp_bn"])
    assert lit["high_bp"] == pytest.approx(LITERATURE_BP_PER_PP[1] * 100 * 300 / lit["gdp_bn"])
    assert market["cascade_probability"] is market["cascade_share"] is summary["cascade_probability"] is None  # off
    assert summary["persistent_10y_change_bp_p05"] <= summary["persistent_10y_change_bp_p95"]
    # no contagion block: the range is all for the scheduled official sale
    assert lit["contagion_persistent_bn"] == [0.0, 0.0] and lit["persistent_month"] == summary["persistent_month"]


def test_term_premium_band_over_paths(geostress_home: Path, tmp_path: Path) -> None:
    """``term_premium_bp_p05``/``_p95`` by month beside the median: one value a month, p05 ≤ p50 ≤ p95, a band
    that opens while the sale is priced (paths draw their own market parameters)."""
    payload = run_folder(tmp_path / "run", geostress_home,
                         [{"holder": "china_mainland_official", "amount_bn": 300, "months": 12}], paths=16)
    market = payload["market"]
    p05, p50, p95 = (np.array(market[f"term_premium_bp_{q}"], dtype=float) for q in ("p05", "p50", "p95"))
    assert len(p05) == len(p95) == len(p50) == len(market["months"]) == 5 * 12
    assert np.all(p05 <= p50 + 1e-9) and np.all(p50 <= p95 + 1e-9)
    assert np.max(p95 - p05) > 1.0  # bp: the parameter draws spread the premium
    assert p50.max() == pytest.approx(payload["summary"]["peak_term_premium_bp"], abs=1e-4)  # the median path's peak


def test_contagion_selling_counts_in_the_published_range(geostress_home: Path, tmp_path: Path) -> None:
    """A run whose only sale is the contagion block's (a dash for cash): ``contagion_persistent_bn`` is the whole
    persistent amount, its liquidity run less the FIMA repo's share."""
    folder = tmp_path / "run"
    spec = parse_scenario({"scenario": {"name": "dash", "horizon_years": 5}, "simulation": {"paths": 16},
                           "market": {"enabled": True}, "contagion": {"enabled": True},
                           "liquidity_shocks": [{"month": 1, "intensity": 1.0}]})
    folder.mkdir()
    (folder / "spec.json").write_text(json.dumps(spec.model_dump(mode="json")), encoding="utf-8")
    assert execute(str(folder), str(geostress_home)) == 0, (folder / "error.json").read_text(encoding="utf-8")
    payload = json.loads((folder / "result.json").read_text(encoding="utf-8"))
    RunResult.model_validate(payload)
    lit = payload["market"]["published_persistent"]
    assert lit["scheduled_bn"] == 0.0 and lit["contagion_run_bn"] > 0.0
    assert lit["contagion_persistent_bn"] == pytest.approx(lit["persistent_bn"])
    low, high = lit["contagion_persistent_bn"]
    assert 0.0 < low == pytest.approx(high) == pytest.approx(lit["contagion_official_bn"] + lit["contagion_run_bn"])
    assert "contagion_fima_bn" not in lit


def test_private_sale_one_path_has_no_range_of_either_kind(geostress_home: Path, tmp_path: Path) -> None:
    payload = run_folder(tmp_path / "run", geostress_home,
                         [{"holder": "japan_private", "amount_bn": 300, "months": 12}], paths=0)
    lit = payload["market"]["published_persistent"]
    assert lit["low_bp"] is None and lit["high_bp"] is None and lit["private_bn"] == pytest.approx(300.0)
    summary = payload["summary"]
    assert summary["peak_10y_change_bp"] > 0
    assert not [k for k in summary if k.endswith(("_p05", "_p95"))]
    market = payload["market"]  # one path: the term premium's median only, no band
    assert len(market["term_premium_bp_p50"]) == len(market["months"])
    assert not [k for k in market if k.endswith(("_p05", "_p95"))]
