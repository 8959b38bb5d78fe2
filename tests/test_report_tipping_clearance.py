"""The report's tipping section says how clearly the edge is passed (``geostress.run.tipping.clearance_text``) and
states the scenario's own cascade criterion.

A sale-size edge needs a scenario where a sale moves the contagion block at all: China's whole holding sold in one
month with the backstop off sets off net selling of about 0.005% of holdings within 12 months (the block's thresholds
sit far above what a sale alone does to the premium; docs/contagion.md), so the criterion here is set low enough for
an edge to exist: far below it the edge is clear, just below the measure at the range's end it is fragile.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geostress.data.store import Store
from geostress.report.sections.market import tipping_section
from geostress.run.coupled import holders_for
from geostress.run.inputs import calibrate_for
from geostress.spec.scenario import load_scenario

ONE_MONTH_SALE = """extends = "china-sells-300bn"
[simulation]
paths = 0
[market]
enabled = true
backstop = false
[[sales]]
holder = "china_mainland_official"
amount_bn = 300
months = 1
[contagion]
enabled = true
cascade_threshold = {threshold}
"""


def _section(tmp_path: Path, threshold: float) -> tuple[str, pd.Series]:
    path = tmp_path / f"sale_{threshold:g}.toml"
    path.write_text(ONE_MONTH_SALE.format(threshold=threshold), encoding="utf-8")
    spec = load_scenario(path)
    store = Store(tmp_path / "home")
    section = tipping_section(spec, store, holders_for(store, calibrate_for(spec, store)))
    html = "\n".join(str(block) for block in section.blocks)
    return html, section.tables[0][1].iloc[0]


@pytest.fixture(scope="module")
def far_end_measure(tmp_path_factory: pytest.TempPathFactory) -> float:
    """The cascade measure of the whole holding sold in one month, from the tipping search's own far end."""
    from geostress.run.tipping import find_tipping_point

    tmp = tmp_path_factory.mktemp("far")
    path = tmp / "probe.toml"
    path.write_text(ONE_MONTH_SALE.format(threshold=0.5), encoding="utf-8")
    point = find_tipping_point(load_scenario(path), "sale_bn", 1.0, 629.0, criterion_name="cascade",
                               store=Store(tmp / "home"), measure_ends=True)
    assert point.edge is None and point.ends is not None
    measure = point.ends[1].measure
    assert 0 < measure < 1e-3, measure  # a sale alone barely moves the block (see the module docstring)
    return measure


def test_clear_edge_is_said_to_be_clear(tmp_path: Path, far_end_measure: float) -> None:
    html, row = _section(tmp_path, round(far_end_measure / 3, 7))
    assert row["edge_bn"] == row["edge_bn"] and 1 < row["edge_bn"] < 629  # an edge inside the range
    assert row["fragile"] is False or row["fragile"] == False  # noqa: E712 - numpy bool from the table
    assert row["margin"] > 1
    assert "How clear the edge is: clear edge" in html


def test_no_edge_says_how_far_the_measure_got(tmp_path: Path, far_end_measure: float) -> None:
    html, row = _section(tmp_path, 0.03)
    assert row["edge_bn"] is None or row["edge_bn"] != row["edge_bn"]
    assert "peak net selling within 12 months (a share of holdings) was 0% at the low end (sale_bn = 1)" in html
    assert "against a threshold of 3%" in html


def test_fragile_edge_is_flagged_and_the_criterion_is_the_scenarios(tmp_path: Path, far_end_measure: float) -> None:
    threshold = round(far_end_measure * 0.97, 9)
    html, row = _section(tmp_path, threshold)
    assert bool(row["fragile"]) and 0 < row["margin"] < 0.1
    assert 'class="warn">How clear the edge is: fragile edge' in html
    # the criterion printed is the scenario's own, not 3% (nor "0%", which :.0% made of it)
    assert "passes 3% of" not in html and "above 0% of" not in html
    shown = f"{100 * threshold:.3g}%"
    assert f"passes {shown} of their holdings" in html or f"passes {100 * threshold:.4g}%" in html
