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

import re
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
    #: each file's own content (``extends`` removed), the file read first and the file it extends after it, so
    #: that an error can name the file that set a field (:func:`setting_file`)
    sources: tuple[tuple[Path, dict[str, Any]], ...] = ()


_MISSING = object()


def setting_file(sources: tuple[tuple[Path, dict[str, Any]], ...], loc: tuple[Any, ...]) -> Path | None:
    """The file of ``sources`` (:attr:`Document.sources`) whose own content sets the field at ``loc`` (a pydantic
    error location, ``("fiscal", "fiscal_risk_premium_bp_per_pp")``): the first that holds it, as :func:`merge`
    lets it win; ``None`` when none holds it (a default, or a check of the whole model). A list is set whole by the
    file that holds it (lists are replaced, not merged)."""
    for path, data in sources:
        node: Any = data
        for step in loc:
            if isinstance(node, list):
                break  # the file sets the whole list
            if not isinstance(node, dict) or step not in node:
                node = _MISSING
                break
            node = node[step]
        if node is not _MISSING and loc:
            return path
    return None


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\")(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"))*)\s*=")


def _dotted(text: str) -> list[str]:
    return [part.strip().strip('"') for part in text.split(".")]


def field_line(path: Path, loc: tuple[Any, ...]) -> int | None:
    """The line of the TOML file at ``path`` that sets the field at ``loc`` (``("sales", 0, "amount_bn")``), or the
    table header that opens it (``[markt]`` for ``("markt",)``, ``[[market]]`` for ``("market",)``); failing
    those, the header of the deepest table that should hold it (``[[sales]]`` for a missing ``sales[0].amount_bn``);
    ``None`` when no line does (a default outside any table, a file that cannot be read). A line scan of the file's
    tables, array tables and (dotted) keys: enough to point at a field, not a TOML parser."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    want = list(loc)
    table: list[Any] = []
    seen: dict[str, int] = {}
    holder: tuple[int, int] | None = None  # (depth, line) of the deepest header of a table that should hold it
    for number, line in enumerate(lines, start=1):
        header = _HEADER.match(line)
        if header is not None and not line.lstrip().startswith("#"):
            names = _dotted(header.group(2))
            if header.group(1) == "[[":  # an array of tables: its entries are counted, [[sales]] → sales[0], …
                key = ".".join(names)
                seen[key] = seen.get(key, -1) + 1
                table = [*names, seen[key]]
                if want == names:  # the field is the whole array ([[market]] where a table belongs)
                    return number
            else:
                table = names
            if want[:len(table)] == table and len(want) <= len(table):
                return number
            if want[:len(table)] == table and (holder is None or len(table) > holder[0]):
                holder = (len(table), number)
            continue
        key = _KEY.match(line)
        if key is None:
            continue
        full = [*table, *_dotted(key.group(1))]
        if want[:len(full)] == full:  # the field itself, or an inline table or list holding it
            return number
    return None if holder is None else holder[1]


def field_origin(sources: tuple[tuple[Path, dict[str, Any]], ...], loc: tuple[Any, ...], fallback: str) -> str:
    """Where the field at ``loc`` was set, for an error message: the file of ``sources`` (:attr:`Document.sources`)
    that sets it and its line (:func:`setting_file`, :func:`field_line`), with the file that extends it when that
    is another ("base.toml, line 2 (extended by mine.toml)"); ``fallback`` when no file sets it (a default, a check
    of the whole model) or there are no sources."""
    blamed = setting_file(sources, loc) if sources else None
    if blamed is None:
        return fallback
    line = field_line(blamed, loc)
    origin = str(blamed) + ("" if line is None else f", line {line}")
    if blamed != sources[0][0]:
        origin += f" (extended by {sources[0][0]})"
    return origin


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


def _read(reference: str | Path, seen: tuple[Path, ...], relative_to: Path | None,
          sources: list[tuple[Path, dict[str, Any]]] | None = None) -> tuple[Path, dict[str, Any]]:
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
    if sources is not None:
        sources.append((path, data))
    if parent is None:
        return path, data
    if not isinstance(parent, str) or not parent:
        raise ScenarioError(f"{path}: extends must be a preset name or a path, e.g. extends = \"china-sells-300bn\"")
    _, base = _read(parent, (*seen, path), path.parent, sources)
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
    sources: list[tuple[Path, dict[str, Any]]] = []
    path, data = _read(reference, (), None, sources)
    kind = infer_kind(data)
    if expect is not None and kind != expect:
        raise ScenarioError(f"{path} is a {kind} file, not a {expect} file; run it with `{COMMAND_FOR_KIND[kind]}`")
    if kind != "scenario":
        data.pop("kind", None)  # the minerals and sweep readers do not know the field
    return Document(path, data, kind, tuple(sources))
