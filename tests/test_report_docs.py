"""docs/report.md says what the report's code does (issue 14: the cascade and the published range)."""

from __future__ import annotations

import re
from pathlib import Path

from geostress.results.scenario import LITERATURE_BP_PER_PP
from geostress.spec.scenario import ScenarioSpec

DOC = Path(__file__).resolve().parents[1] / "docs" / "report.md"


def text() -> str:
    return re.sub(r"\s+", " ", DOC.read_text(encoding="utf-8"))


def test_cascade_rule_is_the_contagion_blocks() -> None:
    """The tipping point's criterion is the contagion block's cascade (geostress.run.tipping), not the old rule of
    half of the investors selling."""
    doc = text()
    assert "half of the investors" not in doc and "share of investors selling" not in doc
    c = ScenarioSpec().contagion
    assert f"`contagion.cascade_threshold` (by default {c.cascade_threshold:.0%} of their holdings)" in doc
    assert f"`contagion.cascade_window_months` ({c.cascade_window_months}) months" in doc
    assert "at least half of the paths cascade" in doc


def test_published_range_is_described_as_computed() -> None:
    doc = text()
    low, high = (f"{b:g}" for b in LITERATURE_BP_PER_PP)
    assert f"published range ({low}–{high} bp of 10-year term premium per pp of GDP" in doc
    assert "`geostress.results.scenario.published_persistent_range`" in doc
    assert "private sales (foreign or domestic) not at all" in doc
