"""The report's cascade section: the model's ranges beside the literature's, counted as the model counts them.

Deterministic coupled runs (``paths = 0``) of five years on the embedded snapshot; the section's blocks are
joined into HTML and read as text.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pytest

from geostress.data.store import Store
from geostress.report.blocks import Chart
from geostress.report.sections.market import cascade_blocks
from geostress.results.scenario import LITERATURE_BP_PER_PP
from geostress.run.coupled import holders_for
from geostress.run.engine import run_scenario
from geostress.spec.scenario import parse_scenario


def cascade_text(store: Store, sales: list[dict[str, object]], paths: int = 0) -> str:
    spec = parse_scenario({"scenario": {"name": "ranges", "horizon_years": 5}, "simulation": {"paths": paths},
                           "market": {"enabled": True}, "sales": sales})
    result = run_scenario(spec, store=store)
    blocks = cascade_blocks(result, holders_for(store, result.calibration))
    text = html.unescape(re.sub(r"<[^>]+>", " ", " ".join(b for b in blocks if isinstance(b, str))))
    return re.sub(r"\s+", " ", text)


def test_private_sale_gets_no_published_persistent_range(store: Store) -> None:
    """The literature's persistent effect is for duration moved into private hands: a private holder's sale is
    a flow in the model, with no persistent part, so no published persistent range is printed beside it."""
    text = cascade_text(store, [{"holder": "japan_private", "amount_bn": 300, "months": 12}])
    assert "Published range" not in text
    assert "No published range for the persistent effect" in text and "private holders" in text


def test_official_and_private_sales_count_only_the_official_part(store: Store) -> None:
    sales = [{"holder": "china_mainland_official", "amount_bn": 300, "months": 12},
             {"holder": "japan_private", "amount_bn": 200, "months": 12}]
    text = cascade_text(store, sales)
    found = re.search(r"Published range for the persistent effect of the \$([\d,]+)bn .*?: ([\d.]+)–([\d.]+) bp",
                      text)
    assert found, text
    assert found.group(1) == "300"  # not 500: Japan's private sale has no persistent part
    low, high = float(found.group(2)), float(found.group(3))
    assert high / low == pytest.approx(LITERATURE_BP_PER_PP[1] / LITERATURE_BP_PER_PP[0], rel=0.05)
    assert "The other $200bn, sold by private holders" in text


def test_deterministic_run_shows_no_fake_range(store: Store) -> None:
    text = cascade_text(store, [{"holder": "china_mainland_official", "amount_bn": 300, "months": 12}])
    assert "5–95%" not in text, text
    assert text.count("deterministic path (prior medians)") >= 3
    assert "peak, 5–95%" not in text  # the backstop table's range row too


CHINA_300 = {"holder": "china_mainland_official", "amount_bn": 300, "months": 12}


def test_ensemble_run_shows_ranges(store: Store) -> None:
    text = cascade_text(store, [CHINA_300], paths=40)
    # the tile says which stabilisers the figure has (the backstop is doubtful in a solvency-type sale)
    assert re.search(r"Peak 10-year term premium change \(backstop on\) \+[\d.]+ bp 5–95%: [\d.]+–[\d.]+ bp",
                     text), text
    # the chart's median line can peak lower than the median of the paths' own peaks: its caption says why
    spec = parse_scenario({"scenario": {"name": "ranges", "horizon_years": 5}, "simulation": {"paths": 40},
                           "market": {"enabled": True}, "sales": [CHINA_300]})
    result = run_scenario(spec, store=store)
    chart = next(b for b in cascade_blocks(result, holders_for(store, result.calibration)) if isinstance(b, Chart))
    head = result.headline()
    assert head["peak_term_premium_bp"] <= head["peak_10y_change_bp"] + 1e-3  # (the paths are float32)
    assert f"({head['peak_term_premium_bp']:+.1f} bp)" in chart.caption
    assert "the median of each path's own highest month" in chart.caption
    assert "deterministic path" not in text
    assert "P(cascade) n/a contagion off" in text  # (market on, contagion off: no cascade to measure)


def test_a_threat_scenario_lists_its_threats_and_shows_both_effects(store: Store) -> None:
    """The report lists the threats (and liquidity shocks) among the scenario's events and shows the threat's two
    effects, with and without it."""
    from geostress.report.sections.scenario import scenario_section

    spec = parse_scenario({"scenario": {"name": "warned", "horizon_years": 5}, "simulation": {"paths": 200},
                           "contagion": {"enabled": True},
                           "announcements": [{"month": m, "intensity": 1.0, "amount_bn": 0.1} for m in (1, 2, 3)],
                           "threats": [{"month": 1, "intensity": 1.0}],
                           "liquidity_shocks": [{"month": 30, "intensity": 0.5}]})
    result = run_scenario(spec, store=store)
    section = html.unescape(re.sub(r"<[^>]+>", " ", str(scenario_section(result, "test"))))
    assert "Threats against sellers" in section and "Liquidity shocks" in section
    blocks = cascade_blocks(result, holders_for(store, result.calibration))
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", " ".join(b for b in blocks
                                                                            if isinstance(b, str)))))
    assert "The threat's two effects" in text and "with the threat" in text and "in the 36 months from it" in text


def test_a_small_announced_private_sale_is_not_printed_as_zero(store: Store) -> None:
    """An announcement's $0.1bn private sale (the pension fund's) is the only scheduled sale: the note says $0.1bn,
    not $0bn."""
    spec = parse_scenario({"scenario": {"name": "announced", "horizon_years": 5}, "simulation": {"paths": 0},
                           "announcements": [{"month": 1, "intensity": 1.0, "amount_bn": 0.1}]})
    result = run_scenario(spec, store=store)
    blocks = cascade_blocks(result, holders_for(store, result.calibration))
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", " ".join(b for b in blocks
                                                                            if isinstance(b, str)))))
    assert "the $0.1bn of scheduled sales are all by private holders" in text


def test_contagion_selling_gets_a_published_range_with_its_flows_caveat(store: Store) -> None:
    """With a threat and nothing sold on schedule but a $0.1bn announced private sale, the contagion block's
    officials sell on net: the report prices their selling on the path with the median amount (issue 14: every
    headline beside the literature's range) and says the model's month-24 figure also carries the flows still
    under way."""
    from geostress.run.coupled import published_range

    spec = parse_scenario({"scenario": {"name": "warned", "horizon_years": 5}, "simulation": {"paths": 200},
                           "contagion": {"enabled": True},
                           "announcements": [{"month": m, "intensity": 1.0, "amount_bn": 0.1} for m in (1, 2, 3)],
                           "threats": [{"month": 1, "intensity": 1.0}]})
    result = run_scenario(spec, store=store)
    holders = holders_for(store, result.calibration)
    c = result.coupled
    assert c is not None and c.official_sold_persistent_bn is not None and c.official_run_persistent_bn is not None
    sold = np.sort(c.official_sold_persistent_bn)
    assert sold[(sold.size - 1) // 2] > 1.0  # the officials diversify on the median path
    published = published_range(spec, holders, float(result.calibration.paths.gdp[0]), c)
    assert published is not None and published.bp is not None
    assert published.persistent_bn[1] == pytest.approx(sold[(sold.size - 1) // 2], rel=1e-9)
    blocks = cascade_blocks(result, holders)
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", " ".join(b for b in blocks
                                                                            if isinstance(b, str)))))
    assert "contagion block's foreign officials sold on net by month 24" in text, text
    assert f"{published.bp[0]:.1f}–{published.bp[1]:.1f} bp" in text
    assert "flow effect of the contagion block's selling (or buying back) still under way" in text
    assert "No published range" not in text
