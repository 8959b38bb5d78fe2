"""The report's sections, one builder per subject; each returns a :class:`~geostress.report.blocks.Section`."""

from __future__ import annotations

from geostress.report.sections.claims import check_article, claims_section
from geostress.report.sections.data import asof_section, monitor_section
from geostress.report.sections.market import holders_section, tipping_section
from geostress.report.sections.policy import (
    find_minerals_spec,
    minerals_section,
    minerals_skipped,
    reserves_section,
    unavailable,
)
from geostress.report.sections.scenario import fan_section, scenario_section

__all__ = [
    "asof_section",
    "check_article",
    "claims_section",
    "fan_section",
    "find_minerals_spec",
    "holders_section",
    "minerals_section",
    "minerals_skipped",
    "monitor_section",
    "reserves_section",
    "scenario_section",
    "tipping_section",
    "unavailable",
]
