"""Specification files as documents: find them (path or preset name), follow ``extends``, tell their kind.

Every command that reads a TOML specification goes through :func:`load_document`, so all of them accept preset
names, all of them follow ``extends`` the same way, and a file's kind comes from what it says or holds, never
from its name.

Kinds
-----
``scenario``
    A fiscal or coupled (market) scenario: ``geostress run``, ``report``, ``tipping``, the dashboard.
``minerals``
    A rare-earth mandate scenario (a table such as ``[mandate]``, ``[monte_carlo]``, ``[[export_controls]]``, or a
    ``[scenario]`` with ``step``, ``years`` or ``start``):
    ``geostress minerals``.
``sweep``
    A sweep over a base scenario (top-level ``base``, ``[grid]`` or ``[random]``): ``geostress sweep``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geostress.errors import ScenarioError
from geostress.spec.presets import resolve
from geostress.util.tomlfile import read_toml

KINDS = ("scenario", "minerals", "sweep")
#: The command that reads each kind (for error messages).
COMMAND_FOR_KIND = {"scenario": "geostress run", "minerals": "geostress minerals", "sweep": "geostress sweep"}
MAX_EXTENDS_DEPTH = 8
#: Tables only a rare-earth scenario has, and ``[scenario]`` fields only it uses (a fiscal scenario has
#: ``horizon_years`` and ``baseline`` instead).
MINERALS_SECTIONS = frozenset({"mandate", "monte_carlo", "network", "export_controls", "stockpile", "acceleration",
                               "priority", "price_floor", "new_plants"})
MINERALS_META = frozenset({"step", "years", "start"})


@dataclass(frozen=True)
class Document:
    """One specification file after ``extends`` was followed: its path, merged content and kind."""

    path: Path
    data: dict[str, Any]
    kind: str


def infer_kind(data: dict[str, Any]) -> str:
    """The kind a document states (``kind = …``) or, failing that, the kind its content shows."""
    stated = data.get("kind")
    if stated is not None:
        if stated not in KINDS:
            raise ScenarioError(f"kind = {stated!r}: use one of {', '.join(KINDS)}")
        return str(stated)
    if "base" in data or "grid" in data or "random" in data:
        return "sweep"
    meta = data.get("scenario")
    if MINERALS_SECTIONS & data.keys() or (isinstance(meta, dict) and MINERALS_META & meta.keys()):
        return "minerals"
    return "scenario"


def merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """``top`` over ``base``: tables merge key by key (recursively), everything else (lists too) is replaced."""
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def _read(reference: str | Path, seen: tuple[Path, ...], relative_to: Path | None) -> tuple[Path, dict[str, Any]]:
    if relative_to is not None and not Path(reference).is_absolute() and (relative_to / reference).is_file():
        path = relative_to / reference
    else:
        path = resolve(reference)
    path = path.resolve()
    if path in seen:
        chain = " → ".join(str(p.name) for p in (*seen, path))
        raise ScenarioError(f"{seen[-1]}: extends forms a loop ({chain}); remove one of the extends lines")
    if len(seen) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(f"{seen[-1]}: extends is nested more than {MAX_EXTENDS_DEPTH} deep")
    data = read_toml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return path, data
    if not isinstance(parent, str) or not parent:
        raise ScenarioError(f"{path}: extends must be a preset name or a path, e.g. extends = \"china-sells-300bn\"")
    _, base = _read(parent, (*seen, path), path.parent)
    if "kind" in data and "kind" in base and data["kind"] != base["kind"]:
        raise ScenarioError(f"{path}: kind {data['kind']!r} cannot extend a {base['kind']!r} file ({parent})")
    return path, merge(base, data)


def load_document(reference: str | Path, *, expect: str | None = None) -> Document:
    """Read a specification by path or preset name, follow ``extends`` and determine its kind.

    Parameters
    ----------
    reference
        A path to a TOML file or a preset name (:func:`geostress.spec.presets.resolve`).
    expect
        The kind the caller reads; another kind is a :class:`ScenarioError` naming the command for it.
    """
    path, data = _read(reference, (), None)
    kind = infer_kind(data)
    if expect is not None and kind != expect:
        raise ScenarioError(f"{path} is a {kind} file, not a {expect} file; run it with `{COMMAND_FOR_KIND[kind]}`")
    if kind != "scenario":
        data.pop("kind", None)  # the minerals and sweep readers do not know the field
    return Document(path, data, kind)
