"""One self-contained HTML report of a scenario, with PNG figures and the data behind every chart.

>>> from geostress.report import build_report                                         # doctest: +SKIP
>>> build_report("baseline", "out/report-baseline")                                  # doctest: +SKIP
PosixPath('out/report-baseline/report.html')

Layout of the output folder:

* ``report.html``: the page; interactive Plotly charts with plotly.js inlined from the installed package, inline
  styles, no network access needed to open it;
* ``figures/<chart>.png``: a matplotlib PNG of every chart;
* ``data/<chart>.csv``: the tidy numbers behind every chart, plus a few tables (vintages, holders, tipping, …);
* ``scenario/``: the full scenario run (:func:`geostress.results.write_results`: Parquet tables, summary.json and
  fan-chart PNGs);
* ``.geostress-report.json``: the manifest, the files this report wrote (relative paths).

Writing (:func:`publish`): everything is written into a hidden staging folder inside the output folder first;
the folder itself is touched only once every file is written. Then a journal (:data:`JOURNAL_FILE`) is written,
the files of the previous report (those its manifest names; for a folder written before manifests, the page and
the ``data/`` and ``figures/`` files it links to) that this report does not write are removed, the new files are
moved in place (the page last, then the manifest), and the journal is deleted; on any error during that step the
previous files are put back. A run killed during that step leaves the journal, and the next run (:func:`recover`,
called first by :func:`build_report`) completes the move: the folder holds the whole previous report or the whole
new one. Files the report did not write (the user's own, in the same folder) are never touched.

Sections: data as of (vintages), the monitor, the scenario and its assumptions, fan charts, holders and the
cascade, the tipping point, the rare-earth verdict, reserves, and claims when an article is given. See
docs/report.md.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from geostress.util.atomic import atomic_path, write_atomic
from geostress.util.staging import (Staging, hold_work, move_in, recover as recover_files, relative_name,
                                     staged_output)
from geostress.data.store import Store
from geostress.errors import GeostressError, ScenarioError
from geostress.report.blocks import Section
from geostress.report.page import PageInfo, render_page
from geostress.report.session import session_store
from geostress.spec.documents import load_document
from geostress.spec.presets import resolve
from geostress.spec.scenario import ScenarioSpec, blamed_on_file, parse_scenario

__all__ = ["JOURNAL_FILE", "MANIFEST_FILE", "REPORT_FILE", "build_report", "load_report_spec", "publish", "recover",
           "resolve_minerals"]

REPORT_FILE = "report.html"
#: The files one report wrote, relative to its folder (JSON: ``{"generator": ..., "files": [...]}``).
MANIFEST_FILE = ".geostress-report.json"
#: Hidden staging folders inside the output folder (removed when the report is done, written or not).
STAGING_PREFIX = ".geostress-report-staging-"
#: The journal of a report move in progress (JSON: ``{"staged", "backup", "stale", "files"}``); see :func:`publish`.
JOURNAL_FILE = ".geostress-report-journal.json"
Progress = Callable[[str], None]


def load_report_spec(spec_or_path: ScenarioSpec | str | Path) -> tuple[ScenarioSpec, str, Path | None]:
    """(spec, where it came from, the scenario file or None) for a spec or the path of a scenario TOML.

    Raises
    ------
    ScenarioError
        The file does not exist, is not valid TOML or fails validation; the message names the file.
    """
    if isinstance(spec_or_path, ScenarioSpec):
        return spec_or_path, "a scenario given in Python", None
    doc = load_document(spec_or_path, expect="scenario")  # a path or a preset name
    return parse_scenario(doc.data, origin=str(doc.path), sources=doc.sources), str(doc.path), doc.path


def resolve_minerals(reference: str | Path) -> Path:
    """The file of a ``--minerals`` reference, resolved exactly as ``geostress minerals NAME`` resolves its argument
    (:func:`geostress.spec.presets.resolve`: an existing file, else a preset name such as ``minerals-g7-mandate``).

    Raises
    ------
    ScenarioError
        Neither a file nor a preset (listing close preset names), or a file of another kind (a fiscal scenario such
        as ``baseline``); the message starts with ``--minerals:``.
    """
    try:
        path = resolve(reference)
        load_document(path, expect="minerals")  # its kind, before any work (it was found out after the run)
        return path
    except ScenarioError as exc:
        raise ScenarioError(f"--minerals: {exc}") from None


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def write_page(target: Path, text: str) -> Path:
    """Write ``text`` to ``target`` atomically (temporary file, then :func:`os.replace`)."""
    with atomic_path(target) as tmp:
        _write_text(tmp, text)
    return target


def write_assets(sections: list[Section], out: Path) -> list[Path]:
    """Every chart's PNG (``figures/``) and CSV (``data/``) and every section table (``data/``)."""
    written: list[Path] = []
    slugs: set[str] = set()
    for section in sections:
        for chart in section.charts:
            if chart.slug in slugs:
                raise ValueError(f"two charts share the file name {chart.slug!r}")
            slugs.add(chart.slug)
            written.append(write_atomic(out / "figures" / f"{chart.slug}.png", chart.draw_png))
            written.append(write_atomic(out / "data" / f"{chart.slug}.csv",
                                  lambda p, f=chart.data: f.to_csv(p, index=False)))
        for name, frame in section.tables:
            written.append(write_atomic(out / "data" / f"{name}.csv", lambda p, f=frame: f.to_csv(p, index=False)))
    return written


_LINKED = re.compile(r'href="((?:data|figures)/[^"/]+\.(?:csv|png))"')


def previous_files(out: Path) -> set[str]:
    """The files the report already in ``out`` wrote: those its manifest names; for a report written before
    manifests, ``report.html`` and the ``data/`` and ``figures/`` files its page links to (what such a report
    wrote there); nothing when there is no report."""
    manifest = out / MANIFEST_FILE
    names: list[object] = []
    if manifest.is_file():
        try:
            names = list(json.loads(manifest.read_text(encoding="utf-8"))["files"])
        except (OSError, ValueError, KeyError, TypeError):
            names = []
    elif (out / REPORT_FILE).is_file():
        try:
            page = (out / REPORT_FILE).read_text(encoding="utf-8", errors="replace")
        except OSError:
            page = ""
        if 'content="geostress report"' in page:
            names = [REPORT_FILE, *(html.unescape(m) for m in _LINKED.findall(page))]
    return {rel for rel in map(relative_name, names) if rel is not None}


#: The journal and staging names of report folders (:mod:`geostress.util.staging`).
REPORT_STAGING = Staging(journal=JOURNAL_FILE, prefix=STAGING_PREFIX, command="`geostress report`")
_hold_work = hold_work  # a report run's lock on its own staging folder


def recover(out: str | Path) -> bool:
    """Finish a report move that a killed run left half done, and remove the staging folders of killed runs.

    :func:`publish` writes a journal (:data:`JOURNAL_FILE`) into ``out`` before its first rename; a run killed
    (``kill -9``, power cut of the process) between that point and the journal's removal left ``out`` holding part
    of the new report and part of the previous one. This moves in the new files still staged and removes the
    previous report's files that the new one does not write (rolling forward: the journal names both), so ``out``
    holds exactly the new report; a run killed before the journal was written had not touched ``out`` (only its
    hidden staging folder, removed here once no live process owns it). Idempotent; a kill during recovery is
    finished by the next one. :func:`build_report` (``geostress report``) calls it first. Returns and raises as
    :func:`geostress.util.staging.recover` does.
    """
    return recover_files(out, REPORT_STAGING)


def publish(staged: Path, out: Path, backup: Path) -> list[str]:
    """Move the report written under ``staged`` into ``out``; returns the files moved (relative paths).

    Files of the previous report (:func:`previous_files`) that the new one does not write are removed; the new
    files are moved in place with :func:`os.replace`, ``report.html`` last but for the manifest
    (:data:`MANIFEST_FILE`), which is moved last. Every file replaced or removed is first moved under ``backup``,
    so that on any error the previous files are put back (and the new ones back under ``staged``) and the error
    raised.

    Crash safety: before the first rename a journal (:data:`JOURNAL_FILE`, written atomically) naming ``staged``,
    the previous files to remove and the new files is put in ``out``, and it is removed once the last file is in
    place (or the previous files are all back). A process killed in between leaves the journal; the next
    :func:`recover` (the next ``geostress report`` into ``out``) then completes the move, so ``out`` holds either
    the whole previous report (killed before the journal) or the whole new one. ``staged`` and ``backup`` must be
    on the file system of ``out``. Only one publish or recovery runs on a folder at a time (a lock on ``out``).
    The move itself is :func:`geostress.util.staging.move_in`; an :class:`OSError` it raises names the file of
    ``out`` in the way, not the staging path.
    """
    new = sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file())
    new = [rel for rel in new if rel not in (REPORT_FILE, MANIFEST_FILE)] + [REPORT_FILE]
    manifest = {"generator": f"geostress {_version()} report", "files": new}
    (staged / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    move_in(staged, out, backup, [*new, MANIFEST_FILE], REPORT_STAGING, stale=lambda: previous_files(out))
    return new


def _optional(section_id: str, title: str, build: Callable[[], Section]) -> Section:
    """``build()``, or a note saying why the section is not available (data missing, model refused)."""
    from geostress.report.sections import unavailable

    try:
        return build()
    except GeostressError as exc:
        return unavailable(section_id, title, str(exc))


def build_report(
    spec_or_path: ScenarioSpec | str | Path,
    out_dir: str | Path,
    *,
    store: Store | None = None,
    claims_path: str | Path | None = None,
    minerals_path: str | Path | None = None,
    tipping: bool = True,
    paths: int | None = None,
    as_of: str | None = None,
    progress: Progress | None = None,
) -> Path:
    """Run a scenario and everything around it, and write the report folder; returns the path of the page.

    Parameters
    ----------
    spec_or_path
        A :class:`~geostress.spec.scenario.ScenarioSpec` or the path of a scenario TOML.
    out_dir
        Output folder (created if needed). Everything is written to a staging folder first and moved in place
        only once all of it is written (:func:`publish`): a failed run leaves the previous report as it was, and a
        successful one removes the files of the previous report that it does not write itself. A move that a
        killed run left half done is finished first (:func:`recover`), whatever this run then does.
    store
        The data store (default: :class:`~geostress.data.store.Store`, which falls back to the embedded snapshot);
        a plain store is read through a per-report cache (:mod:`geostress.report.session`).
    claims_path
        An article (text or HTML, Chinese or English) whose numbers are checked in a Claims section.
    minerals_path
        Rare-earth scenario for the verdict section (default: ``minerals-us-mandate.toml`` beside the scenario
        file, else the packaged preset ``minerals-us-mandate``; the section says so when there is none).
    tipping
        Bisect for the tipping point (about ten deterministic coupled runs, the slowest section).
    paths
        Override ``simulation.paths``.
    as_of
        Override ``scenario.data_as_of``: every section reads only the releases made by this date
        (:meth:`~geostress.data.store.Store.known_on`), the report as it would have stood then.
    progress
        Called with a short description before each step.

    Raises
    ------
    GeostressError
        Bad input: the scenario, the claims file or an explicitly given minerals file cannot be read or is
        invalid (the message names the file); or a file of the previous report in ``out_dir`` cannot be replaced
        (the previous report is then left as it was). Failures inside optional sections (monitor, reserves, minerals,
        tipping) become notes in the page instead.
    """
    from geostress.spec.minerals import load_minerals_spec
    from geostress.report import sections as sec
    from geostress.run.inputs import store_for

    def step(text: str) -> None:
        if progress is not None:
            progress(text)

    if Path(out_dir).is_dir():  # a move a killed run left half done is finished first, whatever this run does
        recover(out_dir)
    spec, origin, scenario_file = load_report_spec(spec_or_path)
    overrides = {"simulation.paths": paths, "scenario.data_as_of": as_of}
    if any(value is not None for value in overrides.values()):
        spec = spec.with_overrides(**{knob: value for knob, value in overrides.items() if value is not None})
    mineral_file = (resolve_minerals(minerals_path) if minerals_path is not None
                    else sec.find_minerals_spec(scenario_file))
    minerals = (mineral_file, load_minerals_spec(mineral_file)) if mineral_file is not None else None
    store = store_for(spec, session_store(store))  # scenario.data_as_of pins every section to what was known
    claims_file = Path(claims_path) if claims_path is not None else None
    checked = None
    if claims_file is not None:
        step("Checking the article's claims")
        checked = sec.check_article(claims_file, store)
    out = Path(out_dir)
    with staged_output(out, "report", REPORT_STAGING, move=publish) as staged:
        # a run-time check of the scenario's events names the file and line that set the field, as in `run`
        blame = (blamed_on_file(scenario_file, overridden=[k for k, v in overrides.items() if v is not None])
                 if scenario_file is not None else contextlib.nullcontext())
        page = _build(spec, origin, store, staged, checked, claims_file, minerals, tipping, step, blame)
        step("Moving the report in place")
    return out / page.name


def _build(spec: ScenarioSpec, origin: str, store: Store, out: Path, checked: Any, claims_file: Path | None,
           minerals: Any, tipping: bool, step: Progress,
           blame: contextlib.AbstractContextManager[Any] | None = None) -> Path:
    """Run everything and write the report into ``out`` (the staging folder); returns the page's path. ``blame``
    wraps the scenario's run (:func:`~geostress.spec.scenario.blamed_on_file`: its event errors name the file)."""
    from geostress.analytics.monitor import build_monitor
    from geostress.report import sections as sec
    from geostress.results import write_results
    from geostress.run.coupled import holders_for
    from geostress.run.engine import run_scenario
    from geostress.run.minerals import run_minerals
    from geostress.run.reserves import run_reserves

    started = time.perf_counter()

    step("Reading data vintages and the monitor")
    sections = [sec.asof_section(store)]
    monitor = None
    try:
        monitor = build_monitor(store=store, as_of=store.known_by)  # (a pinned report's monitor says its day)
        sections.append(sec.monitor_section(monitor))
    except GeostressError as exc:
        sections.append(sec.unavailable("monitor", "Monitor", str(exc)))

    step(f"Running {spec.name} ({spec.simulation.paths:,} paths)")
    with blame if blame is not None else contextlib.nullcontext():
        result = run_scenario(spec, store=store)
    write_results(result, out / "scenario")
    sections += [sec.scenario_section(result, origin), sec.fan_section(result)]
    holders = holders_for(store, result.calibration)
    sections.append(sec.holders_section(store, monitor, result, holders, tipping=tipping))

    step("Bisecting for the tipping point" if tipping else "Skipping the tipping point")
    sections.append(_optional("tipping", "Tipping point",
                              lambda: sec.tipping_section(spec, store, holders, enabled=tipping)))

    step("Rare earths and reserves")
    if minerals is None:
        sections.append(sec.minerals_skipped(
            "No rare-earth scenario: there is no minerals-us-mandate.toml beside the scenario file and no packaged "
            "preset minerals-us-mandate; pass one with --minerals (a preset name or a TOML file)."))
    else:
        m_file, m_spec = minerals
        sections.append(_optional("minerals", "Rare-earth verdict",
                                  lambda: sec.minerals_section(run_minerals(m_spec, store), m_file)))
    tic_month = None if monitor is None else monitor.get("tic_period")
    sections.append(_optional("reserves", "Reserves",
                              lambda: sec.reserves_section(run_reserves(None, store), tic_month=tic_month)))
    if claims_file is not None and checked is not None:
        sections.append(sec.claims_section(checked[0], claims_file, checked[1]))

    step("Writing figures and data")
    write_assets(sections, out)
    summary = result.summary()
    newest = max(str(v)[:10] for v in store.status()["latest_vintage"])
    if store.known_by is not None:
        newest += f" (data as of {store.known_by:%Y-%m-%d}: scenario.data_as_of)"
    now = datetime.now(UTC)
    info = PageInfo(
        title=f"Stress report: {spec.name}",
        subtitle=spec.scenario.description or f"Scenario {spec.name}",
        meta=(f"Generated {now:%Y-%m-%d %H:%M} UTC · CBO baseline {summary['baseline_vintage']} · newest data "
              f"release {newest} · {summary['paths']:,} paths, seed {summary['seed']}"),
        footer=(f"geostress {_version()} · built in {time.perf_counter() - started:.0f} s. Interactive charts use "
                "plotly.js embedded in this file (no network needed); static PNGs are in figures/, the data behind "
                "every chart in data/, the complete scenario run in scenario/. Model documentation: docs/ in the "
                "geostress repository. This is a stress-testing tool, not a forecast."),
    )  # fmt: skip
    step("Writing the page")
    return write_page(out / REPORT_FILE, render_page(sections, info))


def _version() -> str:
    from geostress import __version__

    return __version__
