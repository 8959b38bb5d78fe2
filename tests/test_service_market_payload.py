"""The market part of a run's result as the service writes it: the literature's range beside the model's,
P(cascade) under its own name, and no fake ranges for a run of one path (issue 14).

The worker's own entry point (:func:`geostress.service.worker.execute`) runs in this process on a run folder, as
a worker process would, on the embedded snapshot.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
    assert market["cascade_probability"] == market["cascade_share"] == summary["cascade_probability"]
    assert summary["persistent_10y_change_bp_p05"] <= summary["persistent_10y_change_bp_p95"]


def test_private_sale_one_path_has_no_range_of_either_kind(geostress_home: Path, tmp_path: Path) -> None:
    payload = run_folder(tmp_path / "run", geostress_home,
                         [{"holder": "japan_private", "amount_bn": 300, "months": 12}], paths=0)
    lit = payload["market"]["published_persistent"]
    assert lit["low_bp"] is None and lit["high_bp"] is None and lit["private_bn"] == pytest.approx(300.0)
    summary = payload["summary"]
    assert summary["peak_10y_change_bp"] > 0
    assert not [k for k in summary if k.endswith(("_p05", "_p95"))]
