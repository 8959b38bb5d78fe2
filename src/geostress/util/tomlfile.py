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
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read {what} {file}: {exc}") from exc
    return parse_toml(text, str(file))
