"""``geostress market replay`` names the months whose modelled one-month move is large, and why they read so (the
analyst's probe of 2 December 2026: +211 bp in March 2020 and −159 bp in June 2021 printed with no caveat); the
embedded snapshot, no mocks."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pytest

from geostress.data.store import Store
from geostress.run.replay import ACM_LARGE_MONTHS, LARGE_MONTHS_SHOWN, LARGE_MOVE_BP, replay


def steps(result: Any) -> np.ndarray:
    """The modelled path's one-month moves, bp (the first from the month before the window)."""
    return np.diff(np.concatenate([[0.0], result.monthly["modelled_bp"].to_numpy()]))


def test_the_threshold_is_a_move_the_acm_premium_made_in_few_months(store: Store) -> None:
    """The note's words: the ACM premium moved more than the threshold in 14 of the 312 months of 2000–2025 (its
    largest moves, Oct and Nov 2008, above 100 bp)."""
    observed = replay(store, "2000-01", "2025-12", flows="supply").monthly["acm_tp10_change_bp"]
    assert (int((observed.abs() > LARGE_MOVE_BP).sum()), len(observed)) == ACM_LARGE_MONTHS
    assert int((observed.abs() > 100.0).sum()) == 2 and observed.abs().max() == pytest.approx(140.6, abs=0.05)


def test_the_dash_for_cash_replay_names_march_2020_and_why(store: Store, cli: Any) -> None:
    window = ["market", "replay", "--from", "2020-01", "--to", "2020-06", "--flows",
              "foreign_official,foreign_private"]
    result = replay(store, "2020-01", "2020-06", flows="foreign_official,foreign_private")
    note = result.large_moves_note
    assert note is not None
    march = steps(result)[2]
    assert march > 200.0  # the modelled number is unchanged: the note reports it
    assert note.startswith(f"modelled one-month moves above 50 bp, a move the ACM premium made in 14 of the 312 "
                           f"months of 2000–2025: 2020-03 {march:+.1f} bp (observed +8.6; foreign official sales $")
    assert re.search(r"foreign official sales \$\d+bn, 1\.\d\d pp of GDP", note)
    assert "the Fed's purchases that month, $" in note and "are not among the flows" in note
    assert "The replay runs with no stabiliser (no backstop, no FIMA repo; docs/market.md)" in note
    data = json.loads(cli([*window, "--json"]).stdout)
    assert data["large_moves_note"] == note
    assert f"note: {note}." in re.sub(r"\s+", " ", cli(window).stdout)


def test_june_2021_names_tics_level_jump(store: Store) -> None:
    result = replay(store, "2021-06", "2021-06", flows="foreign_private")
    note = result.large_moves_note or ""
    assert f"2021-06 {steps(result)[0]:+.1f} bp (observed -40.3; foreign private purchases $369bn, " in note
    assert "TIC's holdings jump $374bn in June 2021 (7,144.7 → 7,518.9 bn)" in note
    assert "from 2012 TIC's foreign flows are its change less valuation at 4 years of duration" in note
    plain = replay(store, "2021-06", "2021-06", flows="foreign_private", duration_years=0).large_moves_note or ""
    assert "valuation" not in plain  # none taken out


def test_july_2019_is_named_with_its_flow_in_pp_of_gdp(store: Store) -> None:
    note = replay(store, "2019-07", "2019-07").large_moves_note or ""
    assert re.search(r"^modelled .*: 2019-07 -7\d\.\d bp \(observed -10\.9; foreign private purchases \$183bn, "
                     r"0\.\d\d pp of GDP\)", note), note


def test_quiet_windows_have_no_note_and_the_whole_window_counts_the_rest(store: Store, cli: Any) -> None:
    quiet = replay(store, "2012-01", "2012-12")
    assert quiet.large_moves_note is None and np.abs(steps(quiet)).max() <= LARGE_MOVE_BP
    out = json.loads(cli(["market", "replay", "--from", "2012-01", "--to", "2012-12", "--json"]).stdout)
    assert "large_moves_note" in out and out["large_moves_note"] is None
    whole = replay(store, "2000-01", "2025-12")
    large = int((np.abs(steps(whole)) > LARGE_MOVE_BP).sum())
    assert large > LARGE_MONTHS_SHOWN
    assert f" and {large - LARGE_MONTHS_SHOWN} more months (the monthly rows)." in (whole.large_moves_note or "")
