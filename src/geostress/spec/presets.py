"""Preset scenarios shipped inside the package, addressable by name from anywhere.

``geostress run china-sells-300bn`` works after a plain ``pip install``: the preset TOML files live in
``geostress/scenarios/`` as package data. A reference is resolved in this order:

1. an existing file path (``my-scenario.toml``, ``./scenarios/x.toml``);
2. a preset name (the file's stem, e.g. ``china-sells-300bn``) in the user's folder (``$GEOSTRESS_SCENARIOS``, if
   set) and then among the packaged presets; the user's folder wins, so a user can shadow a preset.

A reference that is neither is a :class:`~geostress.errors.ScenarioError` listing the closest preset names.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from geostress.errors import ScenarioError
from geostress.util.suggest import did_you_mean

#: The folder of packaged preset scenario files (package data).
PRESETS_DIR = Path(__file__).resolve().parents[1] / "scenarios"
#: Environment variable naming an optional folder of the user's own scenario files.
USER_SCENARIOS_ENV = "GEOSTRESS_SCENARIOS"


@dataclass(frozen=True)
class Preset:
    """One scenario file offered by name."""

    name: str
    path: Path
    packaged: bool


def user_folder() -> Path | None:
    """The user's scenario folder from ``$GEOSTRESS_SCENARIOS``, when it is set.

    Raises
    ------
    ScenarioError
        It is set to something that is not a folder (missing, or a file): its scenarios would be left out silently.
    """
    value = os.environ.get(USER_SCENARIOS_ENV)
    if not value:
        return None
    folder = Path(value).expanduser()
    if not folder.is_dir():
        what = "is a file" if folder.exists() else "does not exist"
        raise ScenarioError(f"{USER_SCENARIOS_ENV}={value} {what}: point it to the folder of your scenario files, "
                            "or unset it", parameter=USER_SCENARIOS_ENV)
    return folder


def list_presets(extra: Path | None = None) -> list[Preset]:
    """Every scenario file offered by name: packaged presets, then ``extra`` / the user's folder (which win).

    Parameters
    ----------
    extra
        Another folder of scenario files (the service's ``--scenarios``); its files shadow presets of the same name.
    """
    found: dict[str, Preset] = {}
    folders: list[tuple[Path, bool]] = [(PRESETS_DIR, True)]
    for folder in (user_folder(), extra):
        if folder is not None and folder.resolve() != PRESETS_DIR:
            folders.append((folder, False))
    for folder, packaged in folders:
        for path in sorted(folder.glob("*.toml")):
            found[path.stem] = Preset(path.stem, path, packaged)
    return sorted(found.values(), key=lambda p: p.name)


def _spelling(name: str) -> str:
    """A preset name with "-" and "_" alike (``high-rates`` and ``high_rates`` are one name)."""
    return name.replace("-", "_")


def resolve(reference: str | Path, *, extra: Path | None = None) -> Path:
    """The file for a scenario ``reference``: an existing path, else a preset name.

    Raises
    ------
    ScenarioError
        When ``reference`` is neither an existing file nor a known preset; the message lists close names.
    """
    path = Path(reference)
    if path.is_file():
        return path
    text = str(reference)
    name = path.stem if path.suffix == ".toml" else text
    presets = {p.name: p for p in list_presets(extra)}
    # a bare NAME or NAME.toml, or the repository's old path scenarios/NAME.toml, selects a preset
    names_a_preset = len(path.parts) == 1 or path.parent.name == "scenarios"
    if name in presets and names_a_preset:
        return presets[name].path
    if names_a_preset:  # the presets' names mix "-" and "_" (high_rates, china-sells-300bn): either spelling does
        same = [p for key, p in presets.items() if _spelling(key) == _spelling(name)]
        if len(same) == 1:
            return same[0].path
    if path.exists():  # a folder (not a preset's name: a preset wins, above), a device, a pipe
        what = "a folder" if path.is_dir() else "a device or a pipe"
        raise ScenarioError(f"scenario file {text} is {what}, not a file; give a path to a TOML file or a preset "
                            "name (`geostress scenarios list` shows them)")
    if path.suffix == ".toml" or len(path.parts) > 1:
        hint = did_you_mean(name, presets)
        raise ScenarioError(f"scenario file {text} not found; give a path to a TOML file or a preset name"
                            f"{hint} (`geostress scenarios list` shows them)")
    raise ScenarioError(f"unknown scenario {text!r}: not a file and not a preset{did_you_mean(name, presets)}; "
                        "`geostress scenarios list` shows the presets")
