"""Read the TOML files users write (scenarios, sweeps, alert thresholds): one place for the error messages.

Every failure is a :class:`~geostress.errors.ScenarioError` that names the file and says what to do.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from geostress.errors import ScenarioError


def parse_toml(text: str, origin: str) -> dict[str, Any]:
    """Parse TOML ``text``; ``origin`` names where it came from in the error."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{origin}: not valid TOML ({exc}); fix the file") from exc


def read_toml(path: str | Path, *, what: str = "scenario") -> dict[str, Any]:
    """Read and parse a UTF-8 TOML file; ``what`` (e.g. ``"sweep"``) describes it in the error."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"cannot read {what} {file}: it is not UTF-8 text; save it as UTF-8") from exc
    except OSError as exc:
        raise ScenarioError(f"cannot read {what} {file}: {_os_problem(exc)}") from exc
    return parse_toml(text, str(file))


def _os_problem(exc: OSError) -> str:
    """Why a file could not be read and what to do, in our words (never the system's ``[Errno 2] …`` text)."""
    if isinstance(exc, FileNotFoundError):
        return "no such file; check the path (a relative path is read from the current folder)"
    if isinstance(exc, IsADirectoryError):
        return "it is a folder; give a TOML file"
    if isinstance(exc, PermissionError):
        return "permission denied; make the file readable or copy it somewhere you can read"
    return f"{exc.strerror or type(exc).__name__}; check the file"
