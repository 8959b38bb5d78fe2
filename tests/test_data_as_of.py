"""Runs pinned to what was known on a date (``scenario.data_as_of``, ``run --as-of``, ``report --as-of``): a store
copy that reads only the releases made by then (:meth:`Store.known_on`), so a run made before an import can be made
again after it, figure for figure (docs/data.md, "What was known on a date")."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from geostress.calibrate.fiscal import cbo_vintages, parse_baseline_spec
from geostress.data.ingest import import_file
from geostress.data.store import Store, UnreleasedSeriesError, VintageError
from geostress.errors import DataError, ScenarioError, UnknownSeriesError
from geostress.run.engine import run_block, run_scenario
from geostress.spec.scenario import load_scenario, parse_scenario
from test_provenance import CHANGED_VINTAGE, _geostress, changed_treast  # noqa: F401 - a fixture

#: The day before the changed release of TREAST (``test_provenance.changed_treast``) was made.
BEFORE_IMPORT = "2026-11-14"


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory, changed_treast: Path) -> tuple[Path, Path]:  # noqa: F811
    """(a home holding only the snapshot, a home holding the snapshot and a later release of TREAST)."""
    plain, updated = tmp_path_factory.mktemp("plain"), tmp_path_factory.mktemp("updated")
    import_file(changed_treast, "fred", vintage=CHANGED_VINTAGE, store=Store(updated))
    return plain, updated


def _without_provenance(summary: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in summary.items() if k not in ("provenance", "scenario", "data_as_of")}


# -- the pinned store ----------------------------------------------------------------------------------------------
def test_a_pinned_store_reads_only_the_releases_made_by_its_date(homes: tuple[Path, Path]) -> None:
    plain, updated = (Store(home) for home in homes)
    pinned = updated.known_on(BEFORE_IMPORT)
    assert pinned.known_by == date(2026, 11, 14) and updated.known_by is None  # a copy: the store itself is unpinned
    assert updated.known_on(None) is updated
    latest, before, snapshot = (s.get("fred.treast") for s in (updated, pinned, plain))
    assert (latest["vintage"] == pd.Timestamp(CHANGED_VINTAGE)).any()  # the import is what the store reads now
    pd.testing.assert_frame_equal(before, snapshot)  # pinned before it: as if it had never been imported
    assert pinned.vintages("fred.treast") == plain.vintages("fred.treast")
    assert CHANGED_VINTAGE in updated.vintages("fred.treast")
    # the same view through SQL, the catalog and the data fingerprint, which names the date and changes with it
    assert len(pinned.sql("SELECT * FROM obs")) == len(plain.sql("SELECT * FROM obs"))
    fingerprints = [updated.data_fingerprint(), pinned.data_fingerprint(), updated.known_on("2026-11-13")
                    .data_fingerprint()]
    assert fingerprints[1]["known_by"] == BEFORE_IMPORT and "known_by" not in fingerprints[0]
    assert len({f["fingerprint"] for f in fingerprints}) == 3
    # an import the pinned store cannot see leaves its fingerprint as it was: the batches it reads are counted
    assert fingerprints[1] == plain.known_on(BEFORE_IMPORT).data_fingerprint()
    assert updated.known_on(CHANGED_VINTAGE).data_fingerprint()["batches"] == 1
    assert updated.known_on("2026-11").known_by == date(2026, 11, 30)  # a month: its last day


def test_a_series_first_released_after_the_date_is_named_with_its_first_release(homes: tuple[Path, Path]) -> None:
    store = Store(homes[0])
    first = store.vintages("fred.tb3ms")[0]
    pinned = store.known_on(first.replace(day=1) if first.day > 1 else first.replace(month=first.month - 1))
    for read in (lambda: pinned.get("fred.tb3ms"), lambda: pinned.vintages("fred.tb3ms")):
        with pytest.raises(UnreleasedSeriesError) as caught:
            read()
        error = caught.value
        # code that skips a series the store lacks skips it; code that reports a date before every release does too
        assert isinstance(error, UnknownSeriesError) and isinstance(error, VintageError)
        assert f"{pinned.known_by:%Y-%m-%d}" in str(error) and f"{first:%Y-%m-%d}" in str(error)
        assert "scenario.data_as_of" in str(error) and error.parameter == "known_by"
    assert "fred.tb3ms" not in pinned.series_ids() and "fred.tb3ms" in store.series_ids()
    with pytest.raises(UnknownSeriesError, match="unknown series 'fred.no_such'") as caught:
        pinned.get("fred.no_such")  # a series no release holds is still unknown, not "not yet released"
    assert not isinstance(caught.value, UnreleasedSeriesError)


def test_a_pinned_store_refuses_to_import(homes: tuple[Path, Path], changed_treast: Path) -> None:  # noqa: F811
    before = sorted(Store(homes[0]).batch_files())
    with pytest.raises(DataError, match="known by 2026-11-14") as caught:
        import_file(changed_treast, "fred", vintage=CHANGED_VINTAGE, store=Store(homes[0]).known_on(BEFORE_IMPORT))
    assert caught.value.parameter == "known_by"
    assert sorted(Store(homes[0]).batch_files()) == before


def test_cbo_latest_is_the_latest_baseline_published_by_the_date() -> None:
    every = cbo_vintages(Store())
    for day in ("2025-06-30", "2024-01-31", "2030-01-01"):
        expected = max(v for v in every if v <= pd.Timestamp(day).date())
        assert parse_baseline_spec("cbo:latest", Store().known_on(day)) == expected
    with pytest.raises(ScenarioError, match=r"'cbo:2026-02' was published after 2025-06-30, the day the data are "
                                            r"pinned to \(scenario.data_as_of, or --data-as-of on the command line\)"):
        parse_baseline_spec("cbo:2026-02", Store().known_on("2025-06-30"))  # in the store, not published that day
    with pytest.raises(ScenarioError, match="'cbo:2026-09' is not in the store"):
        parse_baseline_spec("cbo:2026-09", Store().known_on("2025-06-30"))  # in no release at all


# -- runs ----------------------------------------------------------------------------------------------------------
def test_a_run_pinned_before_an_import_repeats_the_run_made_before_it(homes: tuple[Path, Path]) -> None:
    plain, updated = homes
    spec = load_scenario("china-sells-300bn").with_overrides(**{"simulation.paths": 0})
    pinned = spec.with_overrides(**{"scenario.data_as_of": BEFORE_IMPORT})
    before = run_scenario(spec, store=Store(plain)).summary()
    after = run_scenario(spec, store=Store(updated)).summary()
    again = run_scenario(pinned, store=Store(updated)).summary()
    assert _without_provenance(after) != _without_provenance(before)  # the import changes the answer
    assert _without_provenance(again) == _without_provenance(before)  # pinned before it, the answer is the old one
    assert again["provenance"]["data"]["known_by"] == again["data_as_of"] == BEFORE_IMPORT
    assert "known_by" not in before["provenance"]["data"] and before["data_as_of"] is None  # as other commands say
    # a fiscal-only block (a sweep chunk, a service run) reads the same releases
    baseline = load_scenario("baseline").with_overrides(**{"simulation.paths": 0})
    blocks = [run_block(s, store=Store(h), deterministic=True).deterministic.annual
              for s, h in ((baseline, plain), (baseline, updated),
                           (baseline.with_overrides(**{"scenario.data_as_of": BEFORE_IMPORT}), updated))]
    assert (blocks[0] == blocks[2]).all() and not (blocks[0] == blocks[1]).all()


def test_run_as_of_on_the_command_line(homes: tuple[Path, Path], tmp_path: Path) -> None:
    plain, updated = homes
    args = ("run", "baseline", "--paths", "0", "--json", "--out")
    old = _geostress(plain, *args, str(tmp_path / "old"), cwd=tmp_path)
    new = _geostress(updated, *args, str(tmp_path / "new"), "--as-of", BEFORE_IMPORT, cwd=tmp_path)
    assert old.returncode == 0 and new.returncode == 0, old.stderr + new.stderr
    old_summary, new_summary = json.loads(old.stdout), json.loads(new.stdout)
    assert _without_provenance(new_summary) == _without_provenance(old_summary)
    written = json.loads((tmp_path / "new" / "summary.json").read_text())
    assert written["provenance"]["data"]["known_by"] == written["data_as_of"] == new_summary["data_as_of"]
    assert new_summary["data_as_of"] == BEFORE_IMPORT and old_summary["data_as_of"] is None
    text = _geostress(updated, "run", "baseline", "--paths", "0", "--as-of", "2026-11", "--out", str(tmp_path / "t"),
                      cwd=tmp_path)
    assert text.returncode == 0 and "data as released by 2026-11-30" in text.stdout, text.stderr
    bad = _geostress(updated, "run", "baseline", "--as-of", "2026-13", "--out", str(tmp_path / "bad"), cwd=tmp_path)
    assert bad.returncode == 2 and "--as-of" in bad.stderr and "2026-13" in bad.stderr  # a usage error, named
    assert not (tmp_path / "bad").exists()
    early = _geostress(updated, "run", "baseline", "--paths", "0", "--as-of", "2025-12-31", "--out",
                       str(tmp_path / "early"), cwd=tmp_path)
    assert early.returncode != 0 and "had not been released by 2025-12-31" in early.stderr, early.stderr


def test_report_as_of_pins_every_section(homes: tuple[Path, Path], tmp_path: Path) -> None:
    from geostress.report import build_report

    page = build_report("baseline", tmp_path / "report", store=Store(homes[1]), tipping=False, paths=0,
                        as_of=BEFORE_IMPORT)
    html = page.read_text(encoding="utf-8")
    assert f"newest vintage of each released by {BEFORE_IMPORT}" in html
    vintages = pd.read_csv(tmp_path / "report" / "data" / "vintages.csv")
    newest = pd.to_datetime(vintages["latest_vintage"]).max()
    assert newest <= pd.Timestamp(BEFORE_IMPORT)  # the TREAST release of 2026-11-15 is not in the report
    summary = json.loads((tmp_path / "report" / "scenario" / "summary.json").read_text())
    assert summary["provenance"]["data"]["known_by"] == BEFORE_IMPORT
    with pytest.raises(ScenarioError, match="scenario.data_as_of"):
        build_report("baseline", tmp_path / "bad", as_of="not a date", tipping=False, paths=0)
    assert not (tmp_path / "bad").exists()


def test_the_field_is_a_day_in_every_output() -> None:
    spec = load_scenario("baseline")
    assert spec.scenario.data_as_of is None
    assert spec.with_overrides(**{"scenario.data_as_of": "2026-02"}).scenario.data_as_of == "2026-02-28"
    assert spec.with_overrides(**{"scenario.data_as_of": "2026"}).scenario.data_as_of == "2026-12-31"
    with pytest.raises(ScenarioError, match="scenario.data_as_of"):
        spec.with_overrides(**{"scenario.data_as_of": "yesterday"})
    # a TOML date written without quotes is the same day
    assert parse_scenario({"scenario": {"data_as_of": date(2026, 8, 31)}}).scenario.data_as_of == "2026-08-31"


def test_a_day_after_today_is_refused_before_any_work(homes: tuple[Path, Path]) -> None:
    """Releases dated before a day still to come can still be imported: a run pinned to it could not be repeated."""
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    spec = load_scenario("baseline").with_overrides(**{"simulation.paths": 0, "scenario.data_as_of": f"{tomorrow}"})
    with pytest.raises(ScenarioError, match=rf"data_as_of = {tomorrow} is after today") as caught:
        run_scenario(spec, store=Store(homes[0]))
    assert caught.value.parameter == "scenario.data_as_of"
    today = f"{tomorrow - timedelta(days=1)}"
    pinned = run_scenario(spec.with_overrides(**{"scenario.data_as_of": today}), store=Store(homes[0]))
    assert pinned.summary()["provenance"]["data"]["known_by"] == today


def test_the_minerals_draws_read_the_pinned_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Monte Carlo draws of a report's minerals section rebuilt the store from its folder, dropping the pin."""
    import geostress.run.minerals as minerals
    from geostress.spec.minerals import load_minerals_spec

    seen: list[date | None] = []
    assemble = minerals._assemble

    def spy(spec: Any, store: Any) -> Any:
        seen.append(None if store is None else store.known_by)
        return assemble(spec, store)

    monkeypatch.setattr(minerals, "_assemble", spy)
    minerals.run_minerals(load_minerals_spec("minerals-us-mandate"), Store().known_on("2026-07-01"),
                          monte_carlo_draws=20)
    assert len(seen) >= 2 and set(seen) == {date(2026, 7, 1)}  # the deterministic run and the draws


def test_cli_report_refuses_a_bad_date_before_any_work(homes: tuple[Path, Path], tmp_path: Path) -> None:
    done = _geostress(homes[0], "report", "baseline", "--as-of", "2026-02-30", "--out", str(tmp_path / "r"),
                      cwd=tmp_path)
    assert done.returncode == 2 and "--as-of" in done.stderr and "scenario.data_as_of" in done.stderr, done.stderr
    assert not (tmp_path / "r").exists()


def test_a_sweep_over_data_as_of_reads_each_day_s_releases(homes: tuple[Path, Path], tmp_path: Path) -> None:
    import geostress.run.sweep as gs

    plain, updated = homes
    spec, base = gs.parse_sweep({"name": "days", "base": "baseline", "paths_per_scenario": 0,
                                 "grid": {"scenario.data_as_of": [BEFORE_IMPORT, "2026-11-30"]}})  # fmt: skip
    table = gs.sweep(spec, "serial", base=base, out=tmp_path / "out", store_home=updated)
    reference = gs.sweep(gs.parse_sweep({"name": "plain", "base": "baseline", "paths_per_scenario": 0})[0], "serial",
                         base=base, out=tmp_path / "plain", store_home=plain)
    measures = [c for c in reference.columns if c not in ("path", "chunk", "scenario", "scenario.data_as_of")]
    rows = table.set_index("scenario.data_as_of")[measures]
    pd.testing.assert_series_equal(rows.loc[BEFORE_IMPORT], reference[measures].iloc[0], check_names=False)
    assert not rows.loc["2026-11-30"].equals(rows.loc[BEFORE_IMPORT])  # after the import: the new release
    vintages = json.loads((tmp_path / "out" / gs.MANIFEST).read_text())["provenance"]["baseline_vintages"]
    assert set(vintages) == {f"cbo:latest as of {BEFORE_IMPORT}", "cbo:latest as of 2026-11-30"}
    # a day before a series the runs read was released is refused before any chunk runs or any file is written
    early, _ = gs.parse_sweep({"name": "early", "base": "baseline", "paths_per_scenario": 0,
                               "grid": {"scenario.data_as_of": [BEFORE_IMPORT, "2026-03-31"]}})  # fmt: skip
    with pytest.raises(UnreleasedSeriesError, match=r"^early: scenario 1 \(scenario.data_as_of='2026-03-31'\): series"):
        gs.sweep(early, "serial", base=base, out=tmp_path / "early", store_home=updated)
    assert not (tmp_path / "early").exists() or not any((tmp_path / "early").iterdir())


def test_the_service_checks_a_pinned_run_on_the_data_of_its_day(homes: tuple[Path, Path], tmp_path: Path) -> None:
    from test_service_api import field_error, make_client

    with make_client(tmp_path) as client:
        early = client.post("/api/runs", json={"spec": {"scenario": {"data_as_of": "2026-03-31"},
                                                         "simulation": {"paths": 0}}})
        loc, msg = field_error(early)
        assert loc == ["body", "spec", "scenario", "data_as_of"] and "had not been released by 2026-03-31" in msg
        baseline = client.post("/api/runs", json={"spec": {"scenario": {"data_as_of": "2025-06-30",
                                                                         "baseline": "cbo:2026-02"}}})
        loc, msg = field_error(baseline)
        assert loc == ["body", "spec", "scenario", "baseline"] and "published after 2025-06-30" in msg
