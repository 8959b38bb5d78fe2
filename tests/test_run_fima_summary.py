"""A run's summary says what the FIMA repo financed (``fima_bn_median``), as ``geostress market impact`` does: a
liquidity sale's financed part was in ``market impact --json`` but not in ``geostress run --json``."""

from __future__ import annotations

from pathlib import Path

import pytest

from geostress.data.store import Store
from geostress.run.engine import run_scenario
from geostress.run.market import impact
from geostress.spec.scenario import load_scenario


@pytest.fixture(scope="module")
def liquidity_sale() -> dict[str, object]:
    spec = load_scenario("china-sells-300bn").with_overrides(**{"simulation.paths": 0, "sales[0].motive": "liquidity"})
    return run_scenario(spec).summary()


def test_a_run_reports_what_the_fima_repo_financed_as_market_impact_does(liquidity_sale: dict[str, object]) -> None:
    sale = load_scenario("china-sells-300bn").sales[0]
    priced = impact(Store(), "china", sale.amount_bn, sale.months, draws=0, motive="liquidity")
    financed = liquidity_sale["fima_bn_median"]
    assert isinstance(financed, float) and 0 < financed < sale.amount_bn
    assert financed == pytest.approx(priced.fima_bn["median"], rel=1e-9)


def test_without_a_liquidity_sale_or_with_the_repo_off_nothing_is_reported() -> None:
    plain = run_scenario(load_scenario("china-sells-300bn").with_overrides(**{"simulation.paths": 0})).summary()
    off = run_scenario(load_scenario("china-sells-300bn").with_overrides(
        **{"simulation.paths": 0, "sales[0].motive": "liquidity", "market.fima": False})).summary()
    assert "fima_bn_median" not in plain and "fima_bn_median" not in off


def test_the_report_says_what_the_fima_repo_financed(tmp_path: Path, liquidity_sale: dict[str, object]) -> None:
    from geostress.report import build_report
    from geostress.spec.presets import PRESETS_DIR

    text = (PRESETS_DIR / "china-sells-300bn.toml").read_text(encoding="utf-8")
    scenario = tmp_path / "china-liquidity.toml"
    scenario.write_text(text.replace("[[sales]]", '[[sales]]\nmotive = "liquidity"', 1), encoding="utf-8")
    page = build_report(str(scenario), tmp_path / "report", tipping=False, paths=0).read_text(encoding="utf-8")
    financed = liquidity_sale["fima_bn_median"]
    assert isinstance(financed, float)
    assert f"Financed at the FIMA repo facility instead of sold: ${financed:,.0f}bn of the liquidity sales" in page
