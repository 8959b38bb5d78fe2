"""What every command module shares: the consoles, error reporting, output folders, limits, dates, JSON, tables.

All terminal rendering lives in :mod:`geostress.cli`; the layers below return data.

User-supplied text (paths, scenario names, values, error messages that quote them) is never parsed as rich
markup: both consoles are created with ``markup=False``, and styled output is built with :class:`rich.text.Text`.
A ``[/]`` in a path or a ``[[sales]]`` in a message therefore prints as typed.
"""

from __future__ import annotations

import errno
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import typer
from rich import box
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from typer.exceptions import TyperException

from geostress.errors import GeostressError, LimitError, ScenarioError
from geostress.run.limits import MAX_MARKET_DRAWS as MAX_MARKET_DRAWS  # (re-exported)
from geostress.run.limits import MAX_MINERALS_DRAWS, MAX_PATHS, memory_words
from geostress.util.words import counted as counted  # (re-exported: the CLI modules import it from here)
from geostress.util.staging import missing_folders, remove_empty_folders

console = Console(markup=False)
err = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)
F = TypeVar("F", bound=Callable[..., Any])

# -- limits ------------------------------------------------------------------------------------------------------
# Sized for the smallest machine we support: 2 cores and 24 GB of memory (docs/cli.md, "Limits"); the path limits
# live in the run layer (:mod:`geostress.run.limits`), which a sweep called from Python checks too.

#: Most Monte Carlo draws of ``minerals --draws`` (or ``[monte_carlo] draws``): each draw re-runs the network, about
#: 0.035 s of one core measured on ``minerals-us-mandate`` (2,000 draws: 36 s on 2 cores, 1,000: 16 s).
MAX_DRAWS = MAX_MINERALS_DRAWS  # the run layer's limit (geostress.run.limits)
#: Largest article ``claims check`` reads (a long news article is 10–50 KB).
MAX_CLAIMS_BYTES = 1_000_000

#: Exit statuses: 0 done; 1 the input, the data or a file cannot be used (the message says why and what to do);
#: 2 the command line itself is wrong (click's usage errors); 70 an internal error (a bug: please report it).
EXIT_ERROR, EXIT_USAGE, EXIT_INTERNAL = 1, 2, 70


class OutputError(GeostressError):
    """An output folder that cannot be used (a file, unwritable, outside the allowed place)."""


# -- messages ----------------------------------------------------------------------------------------------------
def error(message: object, *, label: str = "error") -> None:
    """Print ``label: message`` on standard error, the message as plain text (never markup)."""
    err.print(Text.assemble((f"{label}:", "bold red" if label == "error" else "bold yellow"), " ", str(message)))


def note(message: object) -> None:
    """Print ``note: message`` on standard error, plain text."""
    error(message, label="note")


def styled(*parts: str | tuple[str, str]) -> Text:
    """Plain-text pieces and ``(text, style)`` pairs joined into one :class:`Text` (no markup parsing)."""
    return Text.assemble(*parts)


def describe_os_error(exc: OSError) -> str:
    """A one-line description of an operating-system error, naming the file concerned."""
    what = exc.strerror or exc.__class__.__name__
    names = [str(n) for n in (exc.filename, exc.filename2) if n is not None]
    where = " → ".join(names)
    hints = {
        errno.EEXIST: "a file of that name is in the way; choose another folder or remove the file",
        errno.ENOTDIR: "a file is in the way where a folder is needed; choose another folder",
        errno.EACCES: "choose a folder you can write to",  # strerror already says "Permission denied"
        errno.EPERM: "choose a folder you can write to",  # strerror already says "Operation not permitted"
        errno.EROFS: "choose a folder you can write to",  # strerror already says "Read-only file system"
        errno.ENOSPC: "the disk is full; free space or choose another folder",
        errno.ENOENT: "check the path",
        errno.EISDIR: "a folder is in the way where a file is needed",
    }
    text = f"{where}: {what}" if where else what
    hint = hints.get(exc.errno or -1)
    return f"{text}; {hint}" if hint else text


def handle_exception(exc: BaseException) -> int:
    """Print what went wrong in one message (no traceback) and return the exit status.

    :class:`GeostressError` and operating-system errors are the user's to fix (status 1); running out of memory
    names the knobs that cost memory (status 1); anything else is a bug, reported as such (status 70), with the
    traceback only when ``GEOSTRESS_DEBUG`` is set.
    """
    if isinstance(exc, GeostressError):
        error(exc)
        return EXIT_USAGE if getattr(exc, "usage", False) else EXIT_ERROR  # an argument's form: a usage error
    if isinstance(exc, MemoryError):
        error("out of memory; ask for fewer paths (--paths), draws (--draws) or a smaller input "
              "(limits: docs/cli.md)")
        return EXIT_ERROR
    if isinstance(exc, OSError):
        error(describe_os_error(exc))
        return EXIT_ERROR
    if os.environ.get("GEOSTRESS_DEBUG"):
        raise exc
    error(f"internal error ({type(exc).__name__}: {exc}). This is a bug in geostress: please report it with the "
          "command you ran; set GEOSTRESS_DEBUG=1 to see the traceback.")
    return EXIT_INTERNAL


def friendly(func: F) -> F:
    """Turn :class:`GeostressError` (and the other errors of :func:`handle_exception`) into a message and a status.

    The top-level group (:mod:`geostress.cli.app`) does the same for every command; this decorator keeps a command
    safe when it is called on its own (tests, other typer apps).
    """

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, TyperException, KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as exc:  # noqa: BLE001 - turned into a message and exit status
            raise typer.Exit(handle_exception(exc)) from None

    return wrapper  # type: ignore[return-value]


# -- output folders ----------------------------------------------------------------------------------------------
_UNSAFE = re.compile(r"[^\w.-]+")


def safe_slug(name: str, *, fallback: str = "scenario", max_length: int = 80) -> str:
    """A folder name made from a free-text ``name``: letters, digits, ``_``, ``-`` and ``.`` only.

    Separators, ``..``, leading dots, control characters and spaces become ``-``, so a scenario's name can never
    decide where files land: ``"/etc/x"`` → ``"etc-x"``, ``"../../tmp"`` → ``"tmp"``, ``"China sells"`` →
    ``"China-sells"``. An empty result is ``fallback``.
    """
    text = unicodedata.normalize("NFKC", name)
    text = _UNSAFE.sub("-", text)
    text = re.sub(r"\.{2,}", "-", text)
    text = re.sub(r"-{2,}", "-", text).strip("-.")
    text = text[:max_length].rstrip("-.")
    return text or fallback


def output_path(text: str) -> Path:
    """Read an ``--out`` value (typer's ``parser``): an empty one is refused as a usage error (status 2) naming the
    option, where :class:`~pathlib.Path` would quietly make it the current folder."""
    if not text:
        raise typer.BadParameter("an empty folder name; give the folder to write into (\".\" for the current "
                                 "folder), or drop --out for the default folder under out/")
    return Path(text)


#: The ``--out`` option's reading and name in help, shared by the commands that write a folder.
OUT_OPTION: dict[str, Any] = {"parser": output_path, "metavar": "PATH"}


@contextmanager
def output_folder_for(out: Path | None, default_name: str, *, prefix: str = "") -> Iterator[Path]:
    """:func:`output_folder` for the span of a command: if the command fails, the folders that this created are
    removed again while they are empty (bad input found after the folder was made leaves nothing behind)."""
    created = missing_folders(default_output(out, default_name, prefix))
    target = output_folder(out, default_name, prefix=prefix)
    try:
        yield target
    except BaseException:
        remove_empty_folders(created)
        raise


def default_output(out: Path | None, default_name: str, prefix: str = "") -> Path:
    """``out`` as given, or the default ``out/<prefix><slug>`` (:func:`output_folder`)."""
    return out if out is not None else Path("out") / f"{prefix}{safe_slug(default_name)}"


def output_folder(out: Path | None, default_name: str, *, prefix: str = "", option: str = "--out") -> Path:
    """The folder a command writes into, created and checked before any work starts.

    Parameters
    ----------
    out
        The ``--out`` the user gave, used as given; ``None`` for the default ``out/<prefix><slug>`` in the current
        folder, where the slug comes from :func:`safe_slug` (a scenario's name never leaves ``out/``).
    default_name
        The scenario's (or sweep's) name.
    prefix
        Put before the slug in the default folder, e.g. ``"report-"``.
    option
        The option that named the folder, for messages (``--out``, ``--service-dir``).

    Raises
    ------
    OutputError
        ``--out`` is a file, lies under a file, or cannot be created or written; the message names it.
    """
    target = default_output(out, default_name, prefix)
    label = f"{option} {target}" if out is not None else f"the output folder {target}"
    if target.exists() and not target.is_dir():
        raise OutputError(f"{label} is a file, not a folder; choose a folder (it is created if missing)")
    try:
        target.mkdir(parents=True, exist_ok=True)
        probe = target / f".geostress-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(f"cannot write to {label}: {describe_os_error(exc)}") from None
    return target


# -- limits ------------------------------------------------------------------------------------------------------
def check_paths(paths: int, *, coupled: bool = False, where: str = "--paths") -> None:
    """Refuse a path count over :data:`MAX_PATHS` (or negative) before any work starts.

    Parameters
    ----------
    paths
        Stochastic paths asked for.
    coupled
        Whether the scenario couples holders, market and contagion (20 times the memory per path).
    where
        The option or field that asked, for the message.

    Raises
    ------
    LimitError
        Naming ``where``, the limit and the memory it stands for.
    """
    kind = "coupled" if coupled else "fiscal"
    if paths < 0:
        raise LimitError(f"{where} = {paths:,}: the number of paths cannot be negative (0: deterministic only)")
    limit = MAX_PATHS[kind]
    if paths > limit:
        raise LimitError(
            f"{where} = {paths:,} is over the limit of {limit:,} paths for one {kind} run: "
            f"{memory_words(kind, paths)}. " + (
                f"Use at most {limit:,} paths; for more, pool runs with different seeds (`geostress run --seed`; "
                "`geostress sweep` runs a market scenario's paths in one chunk, under the same limit)."
                if coupled else "Use fewer paths, or `geostress sweep`, which streams paths to Parquet in chunks.")
        )


def check_draws(draws: int | None, *, where: str = "--draws") -> None:
    """Refuse ``minerals --draws`` over :data:`MAX_DRAWS`.

    Raises
    ------
    LimitError
        Naming the option and the limit.
    """
    if draws is not None and draws > MAX_DRAWS:
        raise LimitError(f"{where} = {draws:,} is over the limit of {MAX_DRAWS:,} Monte Carlo draws for one run "
                         f"(about 0.035 s of one core each; docs/cli.md, Limits); use at most {MAX_DRAWS:,}")


# -- dates, JSON, progress ---------------------------------------------------------------------------------------
def parse_date(value: str | None, name: str) -> date | None:
    """A date typed on the command line (``YYYY-MM-DD``); a usage error naming ``name`` otherwise."""
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD", param_hint=name) from None
    if pd.isna(stamp):
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD", param_hint=name)
    return stamp.date()


def print_json(payload: Any) -> None:
    """Write ``payload`` as indented, strict JSON on standard output (UTF-8 kept, dates as strings, NaN and
    infinities as ``null``: ``JSON.parse`` and other strict readers reject them)."""
    from geostress.util.jsonable import jsonable

    text = json.dumps(jsonable(payload), indent=1, default=str, ensure_ascii=False, allow_nan=False)
    sys.stdout.write(text + "\n")


@contextmanager
def spinner(text: str) -> Iterator[None]:
    """A transient spinner for work that may take more than a second (nothing at all when standard error is not a
    terminal: rich's transient display would still leave an empty line there, before any error message)."""
    if not err.is_terminal:
        yield
        return
    with Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False), TimeElapsedColumn(), console=err,
                  transient=True) as bar:
        bar.add_task(text, total=None)
        yield


@contextmanager
def steps(first: str) -> Iterator[Callable[[str], None]]:
    """A transient spinner whose text the caller updates (``update("Running the scenario")``).

    When standard error is not a terminal, each step is printed on its own line instead, so that a long command
    piped to a file or run by a scheduler still shows where it is.
    """
    if err.is_terminal:
        with Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False), TimeElapsedColumn(),
                      console=err, transient=True) as bar:
            task = bar.add_task(first, total=None)
            yield lambda text: bar.update(task, description=text)
    else:
        err.print(f"… {first}")
        yield lambda text: err.print(f"… {text}")


# -- tables ------------------------------------------------------------------------------------------------------
#: Short text columns of :func:`frame_table` that never wrap (a source name cut in two reads as two words).
KEEP_WHOLE = frozenset({"source", "origin"})


def cell(value: Any) -> Text:
    """A table cell as plain text (never markup): dates as YYYY-MM-DD, missing values empty."""
    if value is None or (not isinstance(value, str | Text) and pd.isna(value)):
        return Text("")
    if isinstance(value, Text):
        return value
    if isinstance(value, pd.Timestamp):
        return Text(f"{value:%Y-%m-%d}")
    return Text(str(value))


def plain_table(title: str | Text | None = None, **options: Any) -> Table:
    """A table built for narrow terminals: a rule under the header, no borders, two spaces between columns.

    Rich's default box costs three columns between cells and two at the edges; at 80 columns that is the
    difference between whole numbers and ``1,185…``. The title is plain text (never markup).
    """
    kwargs: dict[str, Any] = {"box": box.SIMPLE_HEAD, "show_edge": False, "pad_edge": False, "padding": (0, 1, 0, 0)}
    kwargs.update(options)
    return Table(title=Text(title) if isinstance(title, str) else title, **kwargs)


def frame_table(frame: pd.DataFrame, title: str | None = None) -> Table:
    """A table of ``frame`` that reads at 80 columns: numbers and dates never wrap, names and labels fold."""
    table = plain_table(title)
    for col in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[col])
        dated = pd.api.types.is_datetime64_any_dtype(frame[col])
        justify = "right" if numeric else "left"
        if col == "label":  # long free text: wraps within a bounded width (at word boundaries)
            table.add_column(str(col), justify=justify, min_width=12, max_width=48, overflow="fold")
        elif col == "unit":
            table.add_column(str(col), justify=justify, min_width=6, overflow="fold")
        elif numeric or dated or col in KEEP_WHOLE:  # numbers, dates and short keys stay whole on one line
            table.add_column(str(col), justify=justify, no_wrap=True, min_width=10 if dated else None)
        else:
            table.add_column(str(col), justify=justify, overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*(cell(v) for v in row))
    return table


class PathProgress:
    """Progress of a long simulation: a bar on a terminal, otherwise a line per stage and per tenth of the paths.

    Use as a context manager; :meth:`stage` names what is being done, :meth:`paths` is the engine's
    ``progress(done, total)`` callback.
    """

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total = label, max(int(total), 1)
        self._bar: Progress | None = None
        self._task: Any = None
        self._tenth = -1

    def __enter__(self) -> PathProgress:
        if err.is_terminal:
            from rich.progress import BarColumn

            columns = (TextColumn("{task.description}", markup=False), BarColumn(),
                       TextColumn("{task.completed:,}/{task.total:,} paths"), TimeElapsedColumn())
            self._bar = Progress(*columns, console=err, transient=True)
            self._bar.__enter__()
            self._task = self._bar.add_task(self.label, total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)

    def stage(self, text: str) -> None:
        """Say what is being done now (``"calibrating"``, ``"writing results"``)."""
        if self._bar is not None:
            self._bar.update(self._task, description=f"{self.label}: {text}")
        else:
            err.print(f"… {self.label}: {text}")

    def paths(self, done: int, total: int) -> None:
        """The engine's progress callback: ``done`` of ``total`` paths simulated."""
        if self._bar is not None:
            self._bar.update(self._task, completed=done, total=max(total, 1),
                             description=f"{self.label}: simulating")
            return
        tenth = int(10 * done / max(total, 1))
        if tenth > self._tenth:
            self._tenth = tenth
            err.print(f"… {self.label}: {done:,}/{total:,} paths")


#: What ``--as-of`` (and its other name ``--data-as-of``) means on every command that pins the data.
AS_OF_HELP = ("Read only the data released by this date (YYYY-MM-DD; YYYY-MM or YYYY: its last day), as the "
              "store stood then (docs/data.md, \"What was known on a date\").")


def checked_as_of(as_of: str, option: str = "--as-of/--data-as-of") -> str:
    """``--as-of`` as ``scenario.data_as_of`` reads it: ``YYYY-MM-DD`` (``YYYY-MM`` → the month's last day).

    A date that cannot be read, or a day after today (:func:`geostress.run.inputs.data_day`), is a usage error
    naming ``option`` (status 2), before any work."""
    from geostress.run.inputs import data_day

    try:
        return str(data_day(as_of, option))
    except ScenarioError as exc:
        raise typer.BadParameter(str(exc)) from None


def pinned_store(as_of: str | None, option: str = "--as-of/--data-as-of") -> Any:
    """The store (:class:`~geostress.data.store.Store`) as it stood on ``as_of`` (:func:`checked_as_of`,
    :meth:`~geostress.data.store.Store.known_on`), or all it holds when ``as_of`` is ``None``."""
    from geostress.data.store import Store

    return Store().known_on(None if as_of is None else checked_as_of(as_of, option))


def pinned_day(store: Any) -> str | None:
    """The day a store is pinned to as JSON gives it (``data_as_of``), ``None`` when it reads all it holds."""
    return None if store.known_by is None else f"{store.known_by:%Y-%m-%d}"


def pinned_words(store: Any) -> str:
    """``", data as released by 2026-11-30"`` for a pinned store (as ``run`` prints it), ``""`` otherwise."""
    day = pinned_day(store)
    return "" if day is None else f", data as released by {day}"
