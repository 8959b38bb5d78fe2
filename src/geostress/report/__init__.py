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

import html
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from geostress.util.atomic import atomic_path, write_atomic, write_text_atomic
from geostress.data.store import Store
from geostress.errors import GeostressError, ScenarioError
from geostress.report.blocks import Section
from geostress.report.page import PageInfo, render_page
from geostress.report.session import session_store
from geostress.spec.documents import load_document
from geostress.spec.presets import resolve
from geostress.spec.scenario import ScenarioSpec, parse_scenario

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


def _relative(name: object) -> str | None:
    """``name`` when it is a plain relative path inside the folder (no ``..``, not absolute), else ``None``."""
    if not isinstance(name, str) or not name or "\\" in name:
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in path.parts):
        return None
    return str(path)


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
    return {rel for rel in map(_relative, names) if rel is not None}


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``folder`` itself (POSIX; nothing elsewhere): one publish or recovery of a
    report folder at a time, across processes. No file is added to the folder."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _hold_work(work: Path) -> int | None:
    """Lock a report run's work folder for as long as the run lives (the descriptor returned; ``None`` where there
    are no locks): :func:`recover` removes only work folders whose lock is free."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock, no clean-up of abandoned folders
        return None
    fd = os.open(work, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def _abandoned(work: Path) -> bool:
    """Whether ``work`` (a staging folder) belongs to no live run: its lock is free and the process named in its
    name (``<prefix><pid>-<id>``) has ended. Never true where there are no locks (Windows)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover
        return False
    pid_text = work.name[len(STAGING_PREFIX):].split("-", 1)[0]
    if pid_text.isdigit() and int(pid_text) != os.getpid():
        try:
            os.kill(int(pid_text), 0)
            return False  # that process still runs (or its pid was reused: the folder is left, harmless)
        except ProcessLookupError:
            pass
        except OSError:
            return False
    try:
        fd = os.open(work, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a live run holds it
    finally:
        os.close(fd)
    return True


def _remove_empty_parents(out: Path, rels: list[str]) -> None:
    """Remove the folders of ``rels`` under ``out`` (deepest first) that are left empty; never ``out`` itself."""
    for folder in sorted({(out / rel).parent for rel in rels}, key=lambda p: -len(p.parts)):
        if folder != out:
            try:
                folder.rmdir()  # only when the stale files left it empty
            except OSError:
                pass


def _read_journal(out: Path) -> dict[str, Any] | None:
    """The publish journal in ``out`` (:data:`JOURNAL_FILE`), or ``None`` when there is none.

    Raises
    ------
    GeostressError
        The file is there but is not a journal this package wrote; the message names it.
    """
    path = out / JOURNAL_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise GeostressError(f"{path}: cannot read the journal of an unfinished report move ({exc.strerror}); make "
                             "it readable and run `geostress report` again") from None
    try:
        data = json.loads(text)
        ok = (isinstance(data, dict) and isinstance(data.get("staged"), str) and isinstance(data.get("backup"), str)
              and all(isinstance(data.get(k), list) for k in ("stale", "files")))
    except ValueError:
        ok = False
    if not ok:
        raise GeostressError(f"{path} is not a journal of geostress's report move (expected the JSON object with "
                             "'staged', 'backup', 'stale' and 'files' it writes); remove the file and run "
                             "`geostress report` again to write a complete report")
    return data


def _journal_path(path: Path, out: Path) -> str:
    """``path`` as the journal keeps it: relative to ``out`` when inside it (the journal stays right when the folder
    is moved or copied), else absolute."""
    full, root = path.resolve(), out.resolve()
    return full.relative_to(root).as_posix() if full.is_relative_to(root) else str(full)


def _names(values: list[Any]) -> list[str]:
    return [rel for rel in map(_relative, values) if rel is not None]


def _recover_locked(out: Path, keep: Path | None = None) -> bool:
    """:func:`recover` with the folder lock held; ``keep``: a work folder not to remove (the caller's own)."""
    changed = False
    journal = _read_journal(out)
    if journal is not None:
        staged = out / journal["staged"]  # relative to out (a path of the journal's own), or absolute
        stale, files = _names(journal["stale"]), _names(journal["files"])
        for rel in stale:  # roll forward: the previous report's files that the new one does not write go
            target = out / rel
            if target.is_file() or target.is_symlink():
                target.unlink()
        for rel in files:  # every new file still in the staging folder is moved in; the others already were
            source = staged / rel
            if source.is_file() or source.is_symlink():
                (out / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, out / rel)
        _remove_empty_parents(out, stale)
        (out / JOURNAL_FILE).unlink()
        work = staged.parent
        if work.parent == out and work.name.startswith(STAGING_PREFIX):
            shutil.rmtree(work, ignore_errors=True)
        changed = True
    for tmp in out.glob(f".{JOURNAL_FILE}.*.tmp"):  # a journal whose writer was killed before its rename
        tmp.unlink(missing_ok=True)
        changed = True
    keep_name = keep.name if keep is not None and keep.resolve().parent == out.resolve() else None
    for work in out.glob(f"{STAGING_PREFIX}*"):
        if work.is_dir() and work.name != keep_name and _abandoned(work):
            shutil.rmtree(work, ignore_errors=True)
            changed = True
    return changed


def recover(out: str | Path) -> bool:
    """Finish a report move that a killed run left half done, and remove the staging folders of killed runs.

    :func:`publish` writes a journal (:data:`JOURNAL_FILE`) into ``out`` before its first rename; a run killed
    (``kill -9``, power cut of the process) between that point and the journal's removal left ``out`` holding part
    of the new report and part of the previous one. This moves in the new files still staged and removes the
    previous report's files that the new one does not write (rolling forward: the journal names both), so ``out``
    holds exactly the new report; a run killed before the journal was written had not touched ``out`` (only its
    hidden staging folder, removed here once no live process owns it). Idempotent; a kill during recovery is
    finished by the next one. :func:`build_report` (``geostress report``) calls it first.

    Parameters
    ----------
    out
        A report folder (``--out``); nothing happens when it does not exist.

    Returns
    -------
    bool
        Whether anything was finished or removed.

    Raises
    ------
    GeostressError
        The journal cannot be read or is not one this package wrote (the message names the file).
    OSError
        A file cannot be moved or removed (the journal stays; the next call tries again).
    """
    out = Path(out)
    if not out.is_dir():
        return False
    with _folder_lock(out):
        return _recover_locked(out)


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
    """
    new = sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file())
    new = [rel for rel in new if rel not in (REPORT_FILE, MANIFEST_FILE)] + [REPORT_FILE]
    manifest = {"generator": f"geostress {_version()} report", "files": new}
    (staged / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    with _folder_lock(out):
        _recover_locked(out, keep=staged.parent)
        stale = sorted(previous_files(out) - set(new) - {MANIFEST_FILE, JOURNAL_FILE})
        moves = [*new, MANIFEST_FILE]
        journal = {"staged": _journal_path(staged, out), "backup": _journal_path(backup, out), "stale": stale,
                   "files": moves}
        write_text_atomic(out / JOURNAL_FILE, json.dumps(journal, indent=1) + "\n")
        done: list[tuple[str, Path | None, bool]] = []  # (file, where the previous file went, new file in place)

        def keep(target: Path, rel: str) -> Path | None:
            if not (target.is_file() or target.is_symlink()):
                return None
            saved = backup / rel
            saved.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, saved)
            return saved

        try:
            for rel in stale:
                saved = keep(out / rel, rel)
                if saved is not None:
                    done.append((rel, saved, False))
            for rel in moves:
                target = out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                saved = keep(target, rel)
                done.append((rel, saved, False))
                os.replace(staged / rel, target)
                done[-1] = (rel, saved, True)
        except BaseException:
            restored = True
            for rel, saved, placed in reversed(done):
                try:
                    if placed:  # back under staged, so that a journal left behind can still move it in
                        os.replace(out / rel, staged / rel)
                    if saved is not None:
                        os.replace(saved, out / rel)
                except OSError:  # pragma: no cover - the journal stays: the next recover() finishes the move
                    restored = False
            if restored:
                (out / JOURNAL_FILE).unlink(missing_ok=True)
            raise
        _remove_empty_parents(out, stale)  # before the journal goes: a kill here is finished by recover() too
        (out / JOURNAL_FILE).unlink()
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
    fresh = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    work = out / f"{STAGING_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}"
    staged = work / "new"
    held: int | None = None
    try:
        work.mkdir()
        held = _hold_work(work)  # while it is held, no other run's recover() removes the folder
        staged.mkdir()
        page = _build(spec, origin, store, staged, checked, claims_file, minerals, tipping, step)
        step("Moving the report in place")
        try:
            publish(staged, out, work / "previous")
        except OSError as exc:
            where = exc.filename if exc.filename is not None else out
            if (out / JOURNAL_FILE).exists():  # pragma: no cover - the files could not even be put back
                raise GeostressError(f"cannot move the new report into {out}: {where}: {exc.strerror or exc}; "
                                     f"the move is recorded in {out / JOURNAL_FILE}: fix the cause and run "
                                     "`geostress report` again, which finishes it first") from exc
            raise GeostressError(f"cannot move the new report into {out}: {where}: {exc.strerror or exc}; the "
                                 "previous report there is left as it was; choose a folder you can write to") from exc
        shutil.rmtree(work, ignore_errors=True)
    except BaseException:
        if not (out / JOURNAL_FILE).exists():  # a journal left behind still needs the staged files
            shutil.rmtree(work, ignore_errors=True)
        if fresh:  # a folder this call created and left empty (bad input found late) is removed again
            try:
                out.rmdir()
            except OSError:
                pass
        raise
    finally:
        if held is not None:
            os.close(held)
    return out / page.name


def _build(spec: ScenarioSpec, origin: str, store: Store, out: Path, checked: Any, claims_file: Path | None,
           minerals: Any, tipping: bool, step: Progress) -> Path:
    """Run everything and write the report into ``out`` (the staging folder); returns the page's path."""
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
