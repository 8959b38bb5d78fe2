"""Replace a set of files in a folder as one step: the folder holds the whole previous set or the whole new one.

A writer puts every file into a hidden staging folder inside the output folder (same file system, so renames are
atomic) and touches the output folder only once every file is written. :func:`move_in` then writes a journal
naming the staged files, moves each previous file aside and each new file in with :func:`os.replace`, and deletes
the journal; on any error the previous files are put back. A process killed during that short step of renames
leaves the journal, and the folder may show a mix of the two sets only until the next :func:`recover` of it (the
next run into it) completes the move (rolling forward); a process killed before the move leaves only its hidden
staging folder, which :func:`recover` removes once no live process owns it. Files the writer does not write (the
user's own) are never touched.

:func:`staged_output` is the whole cycle for a writer of a set of files (``geostress run``, ``geostress
minerals``); the report (:func:`geostress.report.publish`) adds its manifest and the removal of the previous
report's files on top, with its own journal and staging names (:class:`Staging`).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from geostress.errors import GeostressError
from geostress.util.atomic import write_text_atomic

#: errno values that mean something sits where a new file or folder must go.
_IN_THE_WAY = {errno.EISDIR, errno.ENOTDIR, errno.EEXIST, errno.ENOTEMPTY}


@dataclass(frozen=True)
class Staging:
    """The hidden names one kind of writer uses inside its output folder.

    Parameters
    ----------
    journal
        File name of the journal of a move in progress (JSON: ``{"staged", "backup", "stale", "files"}``).
    prefix
        Name prefix of the hidden staging folders (``<prefix><pid>-<id>``).
    command
        What the user runs again to finish an interrupted move, for messages.
    """

    journal: str
    prefix: str
    command: str


#: Scenario runs and rare-earth runs (:func:`geostress.results.write_results`,
#: :func:`geostress.run.minerals.write_results`).
OUTPUT = Staging(journal=".geostress-journal.json", prefix=".geostress-staging-", command="the same command")


def relative_name(name: object) -> str | None:
    """``name`` when it is a plain relative path inside the folder (no ``..``, not absolute), else ``None``."""
    if not isinstance(name, str) or not name or "\\" in name:
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in path.parts):
        return None
    return str(path)


def _names(values: list[Any]) -> list[str]:
    return [rel for rel in map(relative_name, values) if rel is not None]


def missing_folders(target: Path) -> list[Path]:
    """``target`` and those of its parents that do not exist yet, deepest first: what creating it would create."""
    missing: list[Path] = []
    folder = target
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def remove_empty_folders(folders: list[Path]) -> None:
    """Remove each of ``folders`` (children before their parents, as :func:`missing_folders` lists them) that is
    empty; the others stay."""
    for folder in folders:
        try:
            folder.rmdir()  # only an empty folder goes
        except OSError:
            pass



@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``folder`` itself (POSIX; nothing elsewhere): one move or recovery of a
    folder at a time, across processes. No file is added to the folder."""
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


def hold_work(work: Path) -> int | None:
    """Lock a run's staging folder for as long as the run lives (the descriptor returned; ``None`` where there are
    no locks): :func:`recover` removes only staging folders whose lock is free."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock, no clean-up of abandoned folders
        return None
    fd = os.open(work, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def abandoned(work: Path, prefix: str) -> bool:
    """Whether ``work`` (a staging folder named ``<prefix><pid>-<id>``) belongs to no live run: its lock is free and
    the process named in its name has ended. Never true where there are no locks (Windows)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover
        return False
    pid_text = work.name[len(prefix):].split("-", 1)[0]
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


def remove_empty_parents(out: Path, rels: list[str]) -> None:
    """Remove the folders of ``rels`` under ``out`` (deepest first) that are left empty; never ``out`` itself."""
    for folder in sorted({(out / rel).parent for rel in rels}, key=lambda p: -len(p.parts)):
        if folder != out:
            try:
                folder.rmdir()  # only when the stale files left it empty
            except OSError:
                pass


def read_journal(out: Path, kind: Staging) -> dict[str, Any] | None:
    """The journal of an unfinished move in ``out``, or ``None`` when there is none.

    Raises
    ------
    GeostressError
        The file is there but is not a journal this package wrote; the message names it.
    """
    path = out / kind.journal
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise GeostressError(f"{path}: cannot read the journal of an unfinished move of files into {out} "
                             f"({exc.strerror}); make it readable and run {kind.command} again") from None
    try:
        data = json.loads(text)
        ok = (isinstance(data, dict) and isinstance(data.get("staged"), str) and isinstance(data.get("backup"), str)
              and all(isinstance(data.get(k), list) for k in ("stale", "files")))
    except ValueError:
        ok = False
    if not ok:
        raise GeostressError(f"{path} is not a journal of geostress's move of files into place (expected the JSON "
                             "object with 'staged', 'backup', 'stale' and 'files' it writes); remove the file and "
                             f"run {kind.command} again to write a complete set")
    return data


def journal_path(path: Path, out: Path) -> str:
    """``path`` as the journal keeps it: relative to ``out`` when inside it (the journal stays right when the folder
    is moved or copied), else absolute."""
    full, root = path.resolve(), out.resolve()
    return full.relative_to(root).as_posix() if full.is_relative_to(root) else str(full)


def recover_locked(out: Path, kind: Staging, keep: Path | None = None) -> bool:
    """:func:`recover` with the folder lock held; ``keep``: a staging folder not to remove (the caller's own)."""
    changed = False
    journal = read_journal(out, kind)
    if journal is not None:
        staged = out / journal["staged"]  # relative to out (a path of the journal's own), or absolute
        stale, files = _names(journal["stale"]), _names(journal["files"])
        for rel in stale:  # roll forward: the previous files that the new set does not hold go
            target = out / rel
            if target.is_file() or target.is_symlink():
                target.unlink()
        for rel in files:  # every new file still in the staging folder is moved in; the others already were
            source = staged / rel
            if source.is_file() or source.is_symlink():
                (out / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, out / rel)
        remove_empty_parents(out, stale)
        (out / kind.journal).unlink()
        work = staged.parent
        if work.parent == out and work.name.startswith(kind.prefix):
            shutil.rmtree(work, ignore_errors=True)
        changed = True
    for tmp in out.glob(f".{kind.journal}.*.tmp"):  # a journal whose writer was killed before its rename
        tmp.unlink(missing_ok=True)
        changed = True
    keep_name = keep.name if keep is not None and keep.resolve().parent == out.resolve() else None
    for work in out.glob(f"{kind.prefix}*"):
        if work.is_dir() and work.name != keep_name and abandoned(work, kind.prefix):
            shutil.rmtree(work, ignore_errors=True)
            changed = True
    return changed


def recover(out: str | Path, kind: Staging = OUTPUT) -> bool:
    """Finish a move that a killed run left half done in ``out``, and remove the staging folders of ended runs.

    Idempotent; a kill during recovery is finished by the next one. Nothing happens when ``out`` is not a folder.

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
    with folder_lock(out):
        return recover_locked(out, kind)


def move_in(staged: Path, out: Path, backup: Path, files: list[str], kind: Staging,
            stale: Callable[[], Iterable[str]] | None = None) -> None:
    """Move ``files`` (relative paths) from ``staged`` into ``out`` as one step, in their order.

    Under a lock on ``out``: a move a killed run left half done is finished first (:func:`recover`); ``stale()``
    (previous files to remove, asked only then) is read; a journal naming all of it is written; every file
    replaced or removed is first moved under ``backup`` and every new file moved in with :func:`os.replace`; the
    journal is deleted. On any error the previous files are put back (the new ones back under ``staged``) and the
    error raised; an :class:`OSError` then names the file of ``out`` that could not be replaced (its
    ``filename``), not a staging path. ``staged`` and ``backup`` must be on the file system of ``out``.
    """
    out.mkdir(parents=True, exist_ok=True)
    with folder_lock(out):
        recover_locked(out, kind, keep=staged.parent)
        removed = sorted(set(stale()) - set(files) - {kind.journal}) if stale is not None else []
        journal = {"staged": journal_path(staged, out), "backup": journal_path(backup, out), "stale": removed,
                   "files": files}
        write_text_atomic(out / kind.journal, json.dumps(journal, indent=1) + "\n")
        done: list[tuple[str, Path | None, bool]] = []  # (file, where the previous file went, new file in place)
        made: list[Path] = []  # folders of out this move created, removed again on a roll-back while empty
        current = out

        def keep(target: Path, rel: str) -> Path | None:
            if not (target.is_file() or target.is_symlink()):
                return None
            saved = backup / rel
            saved.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, saved)
            return saved

        try:
            for rel in removed:
                current = out / rel
                saved = keep(current, rel)
                if saved is not None:
                    done.append((rel, saved, False))
            for rel in files:
                current = out / rel
                made[:0] = missing_folders(current.parent)  # deepest first, the latest first
                current.parent.mkdir(parents=True, exist_ok=True)
                saved = keep(current, rel)
                done.append((rel, saved, False))
                os.replace(staged / rel, current)
                done[-1] = (rel, saved, True)
        except BaseException as exc:
            _roll_back(done, staged, out, kind)
            remove_empty_folders(made)
            if isinstance(exc, OSError):  # the user's path, not the staging one: a file where a folder must go, or
                exc.filename, exc.filename2 = str(_blocking(out, current)), None  # the file itself
            raise
        remove_empty_parents(out, removed)  # before the journal goes: a kill here is finished by recover() too
        (out / kind.journal).unlink()


def _roll_back(done: list[tuple[str, Path | None, bool]], staged: Path, out: Path, kind: Staging) -> None:
    """Put the previous files back after a failed :func:`move_in`; the journal goes once they all are."""
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
        (out / kind.journal).unlink(missing_ok=True)


def move_error(exc: OSError, out: Path, what: str, kind: Staging) -> GeostressError:
    """The error for a failed :func:`move_in` of ``what`` (``"results"``, ``"report"``) into ``out``: it names the
    file in the way and says what to do."""
    where = exc.filename if exc.filename is not None else out
    reason = exc.strerror or str(exc)
    head = f"cannot move the new {what} into {out}: {where}: {reason}"
    if (out / kind.journal).exists():  # pragma: no cover - the files could not even be put back
        return GeostressError(f"{head}; the move is recorded in {out / kind.journal}: fix the cause and run "
                              f"{kind.command} again, which finishes it first")
    if exc.errno in _IN_THE_WAY:
        todo = f"remove or rename {where}, which is in the way, and run {kind.command} again"
    else:
        todo = f"make {where} writable (or remove it), or choose another output folder"
    return GeostressError(f"{head}; the previous files there are left as they were; {todo}")


def _blocking(out: Path, target: Path) -> Path:
    """What stands in the way of ``target`` inside ``out``: the first of its folders below ``out`` that exists but
    is not a folder (``out/scenario`` a file, for ``out/scenario/annual.parquet``), else ``target`` itself."""
    for folder in reversed(target.parents):
        if folder.is_relative_to(out) and folder != out and folder.exists() and not folder.is_dir():
            return folder
    return target


def _move_all(kind: Staging) -> Callable[[Path, Path, Path], None]:
    """:func:`move_in` of every file under the staging folder."""

    def move(staged: Path, out: Path, backup: Path) -> None:
        files = sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file())
        move_in(staged, out, backup, files, kind)

    return move


@contextmanager
def staged_output(out: Path | str, what: str = "results", kind: Staging = OUTPUT,
                  move: Callable[[Path, Path, Path], object] | None = None) -> Iterator[Path]:
    """Yield an empty staging folder for a new set of files of ``out``; when the block ends, move them all in.

    ``move(staged, out, backup)`` does the move (default: :func:`move_in` of every staged file); ``what`` names
    the set in messages (``"results"``, ``"report"``).

    ``out`` (created if needed) then holds the whole previous set or the whole new one, whatever happens: an error
    in the block or in the move leaves the previous files as they were (and removes again the folders this call
    created, when left empty); a kill is finished by the next call's :func:`recover`.

    Raises
    ------
    GeostressError
        A new file cannot be moved into place (:func:`move_error`: the message names the file in ``out``).
    """
    out = Path(out)
    if out.is_dir():
        recover(out, kind)
    created = missing_folders(out)
    out.mkdir(parents=True, exist_ok=True)
    work = out / f"{kind.prefix}{os.getpid()}-{uuid.uuid4().hex[:12]}"
    staged = work / "new"
    held: int | None = None
    try:
        try:
            work.mkdir()
        except OSError as exc:  # (the folder itself cannot be written: name it, not the hidden staging folder)
            raise GeostressError(f"cannot write into {out}: {exc.strerror or exc}; make it writable or choose "
                                 "another output folder") from None
        held = hold_work(work)  # while it is held, no other run's recover() removes the folder
        staged.mkdir()
        yield staged
        try:
            (move or _move_all(kind))(staged, out, work / "previous")
        except OSError as exc:
            raise move_error(exc, out, what, kind) from exc
        shutil.rmtree(work, ignore_errors=True)
    except BaseException:
        if not (out / kind.journal).exists():  # a journal left behind still needs the staged files
            shutil.rmtree(work, ignore_errors=True)
        remove_empty_folders(created)
        raise
    finally:
        if held is not None:
            os.close(held)
