"""Test helpers for geostress and for code built on it: a store on the embedded snapshot, the real official files,
assertions on parse errors and Hypothesis mutations of official files for parser property tests.

Use it from a ``conftest.py``::

    pytest_plugins = ["geostress.testing"]

which provides the fixtures :func:`store` (an isolated home reading the embedded snapshot, one per test module),
:func:`geostress_home` (a fresh, empty ``GEOSTRESS_HOME`` for one test) and :func:`shared_data` (the folder of
real official files, ``$GEOSTRESS_SHARED_DATA`` or ``../shared/data`` beside the repository; tests that need it
skip with a reason when it is absent, and fail under ``CI``). Needs pytest and hypothesis (the ``dev`` extra).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import strategies as st

from geostress.data.sources.base import PARSED_COLUMNS
from geostress.data.store import Store
from geostress.errors import ParseError

#: The repository root when geostress runs from a checkout (src layout), else None.
_CHECKOUT = Path(__file__).resolve().parents[2]
SHARED_DATA = Path(os.environ.get("GEOSTRESS_SHARED_DATA", _CHECKOUT.parent / "shared" / "data"))


def snapshot_store(home: Path) -> Store:
    """A store in ``home`` (created empty) that reads the embedded snapshot: the shipped data and nothing else."""
    home.mkdir(parents=True, exist_ok=True)
    return Store(home)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The embedded snapshot in an isolated, otherwise empty home (one per test module)."""
    return snapshot_store(tmp_path_factory.mktemp("snapshot-home"))


@pytest.fixture()
def geostress_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty ``GEOSTRESS_HOME`` for one test."""
    home = tmp_path / "geostress-home"
    monkeypatch.setenv("GEOSTRESS_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real official files; tests that need it skip with a reason when it is absent (fail under
    ``CI``, which runs with ``../shared`` beside the clone: a parser test must not pass there by skipping)."""
    if not SHARED_DATA.is_dir():
        missing_real_file(SHARED_DATA, "real official files not found")
    return SHARED_DATA


def real_file(path: Path) -> Path:
    """``path``, one of the real official files; the test skips when it is absent (fails under ``CI``)."""
    if not path.is_file():
        missing_real_file(path, "real official file not found")
    return path


def missing_real_file(path: Path, what: str,
                      hint: str = "set GEOSTRESS_SHARED_DATA to the folder of official files") -> None:
    """Skip the test for a missing real file or folder, or fail it when ``CI`` is set; the message names
    ``what`` is missing, ``path`` and ``hint``."""
    message = f"{what} at {path} ({hint})"
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


def in_ci() -> bool:
    """Whether the tests run under CI: ``CI`` set to anything but empty, ``0``, ``false`` or ``no`` (any case)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def assert_where(err: ParseError, origin: str, line: int | None, field: str | None, *, hint: bool = True) -> None:
    """``err`` names ``origin``, ``line`` and ``field`` (attributes and message) and, with ``hint``, gives a hint."""
    text = str(err)
    assert err.file == origin and origin in text
    assert err.line == line, text
    if line is not None:
        assert f"line {line}" in text, text
    assert err.field == field, text
    if field is not None:
        assert f"field {field!r}" in text, text
    if hint:
        assert err.hint


def assert_parse_error(
    module: ModuleType, raw: bytes, origin: str, line: int, field: str, match: str | None = None
) -> ParseError:
    """``module.parse`` raises a ParseError naming ``origin``, ``line`` and ``field`` (and matching ``match``)."""
    with pytest.raises(ParseError) as info:
        module.parse(raw, origin=origin)
    assert_where(info.value, origin, line, field, hint=False)
    if match is not None:
        assert re.search(match, str(info.value)), str(info.value)
    return info.value


def check_parses_or_parse_error(module: ModuleType, raw: bytes, origin: str, *, exact_columns: bool = True) -> None:
    """``module.parse`` returns finite observations with the parsed columns, or raises a ParseError naming ``origin``.

    ``exact_columns=False`` allows extra columns after :data:`PARSED_COLUMNS` (the ``vintage`` of CBO baselines).
    """
    try:
        release = module.parse(raw, origin=origin)
    except ParseError as exc:
        assert origin in str(exc)
        return
    frame = release.observations
    columns = list(frame.columns) if exact_columns else list(frame.columns[: len(PARSED_COLUMNS)])
    assert columns == PARSED_COLUMNS
    assert frame["value"].map(math.isfinite).all()


@st.composite
def mutations(draw: st.DrawFn, raw: bytes, *, separators: bytes, junk: Sequence[str]) -> bytes:
    """The file with one line deleted or repeated, cut at a random offset, or one cell replaced by junk.

    Cells are the pieces of a line between ``separators`` (single bytes) and the line end; junk is any short
    text or one of ``junk``.
    """
    lines = raw.splitlines(keepends=True)
    op = draw(st.sampled_from(["delete", "truncate", "junk", "duplicate"]))
    if op == "truncate":
        return raw[: draw(st.integers(0, len(raw)))]
    i = draw(st.integers(0, len(lines) - 1))
    if op == "delete":
        return b"".join(lines[:i] + lines[i + 1 :])
    if op == "duplicate":
        return b"".join(lines[: i + 1] + lines[i:])
    seps = {bytes([b]) for b in separators} | {b"\n"}
    tokens = re.split(b"([" + re.escape(separators) + rb"\n])", lines[i])
    cells = [k for k, t in enumerate(tokens) if t not in seps]
    if not cells:
        return raw
    k = draw(st.sampled_from(cells))
    tokens[k] = draw(st.one_of(st.text(max_size=12), st.sampled_from(list(junk)))).encode()
    lines[i] = b"".join(tokens)
    return b"".join(lines)
