"""The market figures of a result: ranges only where there are paths to range over, and the published range for
the persistent effect counted as the market block counts it (issue 14)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from geostress.model import market as mk
from geostress.results.scenario import LITERATURE_BP_PER_PP, market_ranges, published_persistent_range

COLUMNS = ("official", "official_liquidity", "foreign_private", "domestic_private", "fed_purchases")
GDP = 30_000.0


def coupled(n: int, backstop_off: bool = True) -> SimpleNamespace:
    """A stand-in for a coupled run's per-path output with ``n`` paths."""
    values = np.linspace(10.0, 20.0, n)
    off = {"peak_10y_change_bp": 2 * values, "persistent_10y_change_bp": values / 5} if backstop_off else {}
    return SimpleNamespace(peak_10y_change_bp=values, persistent_10y_change_bp=values / 10, persistent_month=24,
                           cascade_share=(values > 15).astype(float), backstop_bn=values, backstop_off=off)


def flows(**totals: float) -> np.ndarray:
    """(12, 5) monthly flows in the coupled schedule's columns, each column summing to its total."""
    row = np.array([totals.get(c, 0.0) for c in COLUMNS]) / 12.0
    return np.tile(row, (12, 1))


def test_one_path_has_no_range() -> None:
    head = market_ranges(coupled(1), np.array([16.0]))
    assert head["peak_10y_change_bp"] == pytest.approx(10.0)
    assert head["added_net_interest_10y_bn"] == pytest.approx(16.0)
    assert not [k for k in head if k.endswith(("_p05", "_p95"))], head
    assert "persistent_10y_change_bp_backstop_off" in head


def test_many_paths_have_ranges() -> None:
    head = market_ranges(coupled(101), np.linspace(1.0, 3.0, 101))
    for key in ("peak_10y_change_bp", "persistent_10y_change_bp", "added_net_interest_10y_bn",
                "peak_10y_change_bp_backstop_off"):
        assert head[f"{key}_p05"] < head[key] < head[f"{key}_p95"], key
    assert head["cascade_probability"] == pytest.approx(50 / 101)


def test_private_sales_have_no_published_persistent_range() -> None:
    published = published_persistent_range(flows(foreign_private=300.0, domestic_private=0.1), COLUMNS, GDP)
    assert published is not None
    assert published.bp is None and published.persistent_bn == (0.0, 0.0)
    assert published.scheduled_bn == pytest.approx(300.1) and published.private_bn == pytest.approx(300.1)
    payload = published.payload()
    assert payload["low_bp"] is None and payload["high_bp"] is None


def test_official_sales_are_priced_and_private_ones_left_out() -> None:
    published = published_persistent_range(flows(official=300.0, foreign_private=200.0), COLUMNS, GDP)
    assert published is not None and published.persistent_bn == pytest.approx((300.0, 300.0))
    low, high = published.bp  # type: ignore[misc]
    assert low == pytest.approx(LITERATURE_BP_PER_PP[0] * 100 * 300 / GDP)
    assert high == pytest.approx(LITERATURE_BP_PER_PP[1] * 100 * 300 / GDP)
    assert published.private_bn == pytest.approx(200.0) and published.scheduled_bn == pytest.approx(500.0)


def test_fed_sales_count_and_fima_takes_part_of_liquidity_sales() -> None:
    # a Fed sale is negative purchases in the schedule; it enters the persistent stock like an official sale
    fed = published_persistent_range(flows(fed_purchases=-100.0), COLUMNS, GDP)
    assert fed is not None and fed.persistent_bn == pytest.approx((100.0, 100.0))
    prior = mk.MarketPriors().fima_share
    liquid = published_persistent_range(flows(official_liquidity=100.0), COLUMNS, GDP)
    assert liquid is not None
    assert liquid.persistent_bn == pytest.approx((100.0 * (1 - prior.high), 100.0 * (1 - prior.low)))
    no_fima = published_persistent_range(flows(official_liquidity=100.0), COLUMNS, GDP,
                                         stabilisers=mk.Stabilisers(fima=False))
    assert no_fima is not None and no_fima.persistent_bn == pytest.approx((100.0, 100.0))
    fixed = published_persistent_range(flows(official_liquidity=100.0), COLUMNS, GDP,
                                       mk.MarketPriors().with_overrides(fima_share=0.5))
    assert fixed is not None and fixed.persistent_bn == pytest.approx((50.0, 50.0))


def test_nothing_scheduled_and_unknown_columns() -> None:
    assert published_persistent_range(np.zeros((12, 5)), COLUMNS, GDP) is None
    with pytest.raises(ValueError, match="supply"):
        published_persistent_range(np.ones((12, 2)), ("official", "supply"), GDP)


def test_contagion_selling_counts_its_diversification_and_its_run_in_full() -> None:
    """The contagion block's net official selling by the persistent month enters the published range as the market
    block prices it: diversification and what the liquidity run still holds sold, in full, with no FIMA share taken
    off (the repo takes no share of the block's runs); with nothing scheduled the range still exists, and a net
    buyback adds nothing."""
    only = published_persistent_range(np.zeros((12, 5)), COLUMNS, GDP, contagion_official_bn=40.0,
                                      contagion_run_bn=10.0, persistent_month=24)
    assert only is not None and only.scheduled_bn == 0.0
    assert only.persistent_bn == pytest.approx((50.0, 50.0)) and only.contagion_persistent_bn == (50.0, 50.0)
    assert only.bp == pytest.approx(tuple(b * 100.0 / GDP * 50.0 for b in LITERATURE_BP_PER_PP))
    assert "contagion_fima_bn" not in only.payload()
    both = published_persistent_range(flows(official=300.0), COLUMNS, GDP, contagion_official_bn=50.0)
    assert both is not None and both.persistent_bn == pytest.approx((350.0, 350.0))
    assert both.payload()["contagion_official_bn"] == 50.0 and both.payload()["contagion_run_bn"] == 0.0
    bought_back = published_persistent_range(np.zeros((12, 5)), COLUMNS, GDP, contagion_official_bn=-5.0,
                                             contagion_run_bn=-1.0)
    assert bought_back is None


def test_a_stock_effect_below_the_range_says_why() -> None:
    """dash-for-cash: the officials' run leaves $20bn sold by month 24 (0.1–0.5 bp at 2–8 bp per pp), while the
    model's stock effect is +0.05 bp: the block rolls the run's early sales down more than the later buying back
    (the review of the reports: nothing said why). Inside the range, or with nothing persistent, no words."""
    run = published_persistent_range(flows(foreign_private=0.0), COLUMNS, GDP, contagion_run_bn=20.0,
                                      persistent_month=24)
    assert run is not None and run.bp is not None
    assert run.bp[0] == pytest.approx(LITERATURE_BP_PER_PP[0] * 100 * 20.0 / GDP)
    words = run.below_words(0.05)
    assert words is not None and "liquidity run's sales came first" in words and "month 24" in words, words
    assert "half-life 5–15 years" in words  # the stated prior's 90% range
    assert run.below_words(run.bp[0]) is None and run.below_words(0.3) is None and run.below_words(None) is None
    assert run.below_words(float("nan")) is None
    scheduled = published_persistent_range(flows(official=300.0), COLUMNS, GDP,
                                            mk.MarketPriors().with_overrides(rolldown_half_life_years=8.0))
    assert scheduled is not None
    words = scheduled.below_words(0.0)
    assert words is not None and "half-life 8 years" in words and "liquidity run" not in words, words
    assert published_persistent_range(flows(foreign_private=300.0), COLUMNS, GDP).below_words(0.0) is None
