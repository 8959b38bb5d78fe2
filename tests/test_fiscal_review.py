"""Fixes from the budget analyst's review of the fiscal side (deterministic runs only, no paths).

1. the Fed-holdings offset is 0 for runs starting before FRED TREAST begins (Dec 2002): sensitivity says so;
2. ``sensitivity --fed-reserves-bn``, and a note on vintages before 2020 that reserves are today's level;
3. sensitivity says when a vintage's debt is derived by geostress; docs/validation.md counts 88 vintages;
7. a rate cut that takes yields at issue below zero is refused (sensitivity and scenario runs);
minor: the unknown-vintage message lists the vintages of the year asked for.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geostress.data.store import Store
from geostress.errors import ScenarioError

REPO = Path(__file__).resolve().parents[1]


@cache
def _sensitivity(spec: str, shock: float, years: int = 10, reserves: float | None = None):  # noqa: ANN202
    from geostress.run.sensitivity import cbo_sensitivity

    return cbo_sensitivity(spec, shock, years=years, store=Store(), fed_reserves_bn=reserves)


def test_fed_share_zero_before_treast_is_stated() -> None:
    """Item 1: FRED TREAST begins on 18 Dec 2002, so a run starting in Oct 2002 (Jan-2003 vintage) has no Fed
    offset; the result says so (printed share 0.0 and why) instead of claiming the share comes back."""
    old = _sensitivity("cbo:2003-01", 0.1, years=2)
    data = old.to_json()
    assert old.fed_share_of_debt == 0.0 and old.fed_holdings_missing
    assert data["fed_share_of_debt"] == 0.0 and data["fed_holdings_missing"] is True
    text = " ".join(old.notes)
    assert "fed_share_of_debt: 0.0" in text and "Dec 2002" in text and "overstated" in text
    # the added deficit then equals the added net interest (no reserves before Oct 2008, no Fed share)
    for year in old.years:
        assert old.added_deficit[year] == pytest.approx(old.added_net_interest[year], abs=1e-9)
    new = _sensitivity("cbo:2004-01", 0.1, years=2)
    assert 0.1 < new.fed_share_of_debt < 0.25 and not new.fed_holdings_missing
    assert new.to_json()["fed_share_of_debt"] == pytest.approx(new.fed_share_of_debt, abs=1e-4)
    assert not any("fed_share_of_debt: 0.0" in n for n in new.notes)


def test_fed_reserves_option_and_note_on_old_vintages() -> None:
    """Item 2: January 2011 at +1 pp adds $1,626bn of deficits with today's $3tn of reserves (CBO: ≈$1.3tn);
    with 1,600 the reserve cost falls and the note about today's level goes."""
    default = _sensitivity("cbo:2011-01", 1.0)
    given = _sensitivity("cbo:2011-01", 1.0, reserves=1600.0)
    assert default.fed_reserves_bn == 3000.0 and default.fed_reserves_todays_level
    assert any("--fed-reserves-bn" in n and "today's level" in n for n in default.notes)
    assert default.cumulative_deficit == pytest.approx(1626.3, abs=1.0)
    assert given.fed_reserves_bn == 1600.0 and not given.fed_reserves_todays_level
    assert given.cumulative_deficit == pytest.approx(1442.6, abs=1.0)
    assert not any("today's level" in n for n in given.notes)
    assert given.to_json()["fed_reserves_bn"] == 1600.0
    with pytest.raises(ScenarioError, match="fed-reserves-bn"):
        from geostress.run.sensitivity import cbo_sensitivity

        cbo_sensitivity("cbo:2011-01", 1.0, fed_reserves_bn=-1.0, store=Store())
    # today's vintages carry no such note
    assert not _sensitivity("cbo:2026-02", 0.1, years=2).fed_reserves_todays_level


def test_sensitivity_cli_takes_fed_reserves_bn(geostress_home: Path) -> None:
    from geostress.cli.app import app

    result = CliRunner().invoke(app, ["sensitivity", "--baseline", "cbo:2011-01", "--all-rates", "1.0",
                                      "--years", "2", "--fed-reserves-bn", "1600", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["fed_reserves_bn"] == 1600.0 and data["debt_derived"] is True


def test_sensitivity_says_when_debt_is_derived() -> None:
    """Item 3: January 2011 published no debt (derived by geostress); February 2026 did."""
    derived = _sensitivity("cbo:2011-01", 1.0)
    assert derived.debt_derived and derived.to_json()["debt_derived"] is True
    assert any("derived by geostress" in n for n in derived.notes)
    published = _sensitivity("cbo:2026-02", 0.1, years=2)
    assert not published.debt_derived and published.to_json()["debt_derived"] is False
    assert published.notes == () and published.to_json()["notes"] == []


def test_validation_doc_counts_the_vintages_sensitivity_runs_on() -> None:
    from geostress.calibrate.fiscal import cbo_vintages, load_cbo_baseline

    store = Store()
    vintages = cbo_vintages(store)
    derived = sum(load_cbo_baseline(store, v).debt_derived for v in vintages)
    text = " ".join((REPO / "docs" / "validation.md").read_text().split())
    assert f"each of the {len(vintages)} CBO vintages" in text and f"{derived} of them" in text
    assert "33 CBO vintages" not in text


def test_negative_yields_at_issue_are_refused_in_sensitivity() -> None:
    """Item 7: −5 pp on the February-2026 vintage took yields at issue to −1.9% and net interest negative."""
    from geostress.run.sensitivity import cbo_sensitivity

    with pytest.raises(ScenarioError, match=r"below zero from FY2026 \(lowest -1\.86%") as err:
        cbo_sensitivity("cbo:latest", -5.0, years=2, store=Store())
    assert "--all-rates -3.14 or above" in str(err.value)
    # a cut that keeps yields at issue at zero or above still runs, with CBO-style symmetry
    down, up = _sensitivity("cbo:latest", -0.1, years=2), _sensitivity("cbo:latest", 0.1, years=2)
    for year in up.years:
        assert down.added_net_interest[year] == pytest.approx(-up.added_net_interest[year], rel=0.05)


def test_negative_yields_at_issue_are_refused_by_the_engine() -> None:
    """Item 7 for scenarios (``shocks.all_rates_pp = -5``): the engine refuses a shift that takes a yield at issue
    below zero, and leaves shifts that do not exactly as before."""
    import numpy as np

    from geostress.calibrate.fiscal import calibrate_baseline
    from geostress.model.fiscal import negative_issue_yields, simulate

    cal = calibrate_baseline(Store(), date(2026, 2, 1), horizon_months=24)
    with pytest.raises(ScenarioError, match="below zero from FY2026"):
        simulate(cal.book, cal.paths, cal.params, yield_shift=-0.05)
    assert negative_issue_yields(cal.paths, 0.01) is None and negative_issue_yields(cal.paths, -0.001) is None
    # shocked only from FY2027 on: the first year named is FY2027
    shift = np.where(cal.paths.fiscal_year >= 2027, -0.05, 0.0)[:, None] * np.ones(cal.paths.yields.shape[1])
    below = negative_issue_yields(cal.paths, shift)
    assert below is not None and below.first_year == 2027 and below.lowest < 0
    out = simulate(cal.book, cal.paths, cal.params, yield_shift=-0.001)
    assert np.all(out.annual_field("interest")[0] > 0)


def test_scenario_with_a_negative_yield_shock_is_refused(geostress_home: Path) -> None:
    from geostress.cli.app import app

    result = CliRunner().invoke(app, ["run", "high_rates", "--paths", "0", "--set", "shocks.all_rates_pp=-5",
                                      "--set", "scenario.horizon_years=3", "--out", str(geostress_home / "out")])
    assert result.exit_code == 1
    assert "below zero" in " ".join(result.output.split())


def test_unknown_vintage_lists_that_years_vintages() -> None:
    from geostress.calibrate.fiscal import parse_baseline_spec

    with pytest.raises(ScenarioError) as err:
        parse_baseline_spec("cbo:2019-02", Store())
    message = str(err.value)
    assert "vintages of 2019: cbo:2019-01, cbo:2019-05, cbo:2019-08" in message and "not in the store" in message
    with pytest.raises(ScenarioError, match="recent vintages"):
        parse_baseline_spec("cbo:1850-01", Store())


def test_fiscal_docs_and_presets_state_the_limits() -> None:
    """Items 1, 2, 4, 5, 6, 8: the documentation and the presets say what the code does."""
    doc = " ".join((REPO / "docs" / "fiscal.md").read_text().split())
    assert "December 2002" in doc and "--fed-reserves-bn" in doc
    assert "change in debt" in doc and "31,858" in doc
    assert "revenue" in doc and "nominal_growth" in doc and "revenue/GDP" in doc
    for name in ("fiscal_slippage", "high_rates"):
        preset = (REPO / "src" / "geostress" / "scenarios" / f"{name}.toml").read_text()
        assert "fiscal_response" in preset, name


def test_the_command_words_a_shock_refusal_in_its_own_option() -> None:
    """The Python refusal names shock_pp; the command's names --all-rates, without the note for the command line."""
    from geostress.cli.sensitivity import in_option_words

    text = ("shock_pp=-5.00 pp takes yields at issue below zero from FY2026 ...; so give shock_pp=-3.14 or above (on "
            "the command line, --all-rates -3.14 or above)")
    assert in_option_words(text) == ("--all-rates -5.00 pp takes yields at issue below zero from FY2026 ...; so give "
                                     "--all-rates -3.14 or above")
    assert in_option_words("shock_pp=+20.0 pp is outside -5..+10 pp (--all-rates +20.0 pp on the command line)") == \
        "--all-rates +20.0 pp is outside -5..+10 pp"


def test_a_stored_vintage_without_every_projection_says_what_it_lacks() -> None:
    """cbo:2000-04 is in the store (CBO's debt and deficits of that update) without revenue: the refusal says so,
    where it had said the vintage was not in the store."""
    from geostress.calibrate.fiscal import BASELINE_SERIES, parse_baseline_spec

    store = Store()
    held = [sid for sid in BASELINE_SERIES if any(f"{v:%Y-%m}" == "2000-04" for v in store.vintages(sid))]
    assert held and len(held) < len(BASELINE_SERIES)  # a partial vintage of the real data
    with pytest.raises(ScenarioError) as err:
        parse_baseline_spec("cbo:2000-04", Store())
    message = str(err.value)
    assert "is in the store without revenue, so it cannot drive a run" in message
    assert "not in the store" not in message and "vintages of 2000: cbo:2000-01, cbo:2000-07" in message
