"""One way to read and change a specification by path: ``fiscal.fiscal_risk_premium_bp_per_pp``, ``sales[0].amount_bn``.

The CLI's ``--set``, tipping-point bisection, sweeps and the service all change scenarios through this module, so a
path that works in one works in all. A path is dotted field names with optional list indices::

    simulation.paths
    fiscal.fiscal_risk_premium_bp_per_pp
    sales[0].amount_bn
    announcements[1].intensity

Paths are checked against the pydantic model before any value is set: an unknown field, an index out of range or a
value the model refuses is a :class:`~geostress.errors.ScenarioError` naming the path, the allowed fields and what to
do: ``sales.amount_bn`` says that ``sales`` is a list needing an index (``sales[0].amount_bn``), a field a model
removed (``market.monetary_offset``) gets the message a scenario file naming it gets, and ``nan`` or ``inf`` is
refused as not a finite number. Setting returns a new validated object; nothing is changed in place.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError

from geostress.errors import ScenarioError
from geostress.util.suggest import did_you_mean
from geostress.util.validation import format_validation_error

M = TypeVar("M", bound=BaseModel)

_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[-?\d+\])*)")
_INDEX = re.compile(r"\[(-?\d+)\]")

Step = str | int
#: The key of the validation context in which :func:`set_many` passes the paths it set (as ``sales[0].amount_bn``),
#: so that a model can refuse an override it would otherwise ignore (``market.enabled = false`` with sales).
CONTEXT_PATHS = "knob_paths"


class FieldError(ValueError):
    """A check of a whole section or model that knows the field at fault raises this (pydantic reports it as a
    value error located at the section, or nowhere for the whole model): :func:`error_parameter` then names the
    field (``macro.is_slope``, ``contagion.enabled``) rather than the section.

    Parameters
    ----------
    message
        What is wrong and what to do, as for any ``ValueError`` a validator raises.
    field
        The field at fault as a knob path (``market.enabled``, ``sales[0].amount_bn``).
    """

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def loc_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """A pydantic error location as a knob path: ``("sales", 0, "amount_bn")`` → ``sales[0].amount_bn`` (``""``
    for the whole model)."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def error_parameter(exc: ValidationError) -> str | None:
    """The first field ``exc`` refuses, as a knob path (``market.backstop_trigger_bp``, ``sales[0].amount_bn``):
    the field a section's or the model's own check names (:class:`FieldError`), else the error's location; the
    section (``macro``) for a section's check that names none, None for a check of the whole model that names
    none. Errors come in the model's field order, as :func:`format_validation_error` lists them."""
    errors = exc.errors()
    if not errors:
        return None
    first = errors[0]
    named = getattr((first.get("ctx") or {}).get("error"), "field", None)
    if isinstance(named, str) and named:
        return named
    return loc_path(first.get("loc", ())) or None


def unknown_field_hint(model: type[BaseModel], loc: tuple[Any, ...] | list[Any]) -> str:
    """``"; did you mean 'fiscal.fiscal_risk_premium_bp_per_pp'?"`` for a field ``model`` has no place for (a
    pydantic ``extra_forbidden`` error at ``loc``), naming the closest fields of its table; ``""`` when none is close
    or ``loc`` does not lead through the model's tables."""
    steps = list(loc)
    if not steps or not isinstance(steps[-1], str):
        return ""
    try:
        parent = _check_against_model(model, steps[:-1], loc_path(steps[:-1])) if len(steps) > 1 else model
    except ScenarioError:
        return ""
    if not (isinstance(parent, type) and issubclass(parent, BaseModel)):
        return ""
    prefix = loc_path(steps[:-1])
    names = {f"{prefix}.{name}" if prefix else name: name for name in _model_fields(parent)}
    return did_you_mean(loc_path(steps), names)


def _set_paths(path: str, value: Any) -> list[str]:
    """The dotted paths a change sets: ``path``, and for a table the paths of its keys, at every depth
    (``market = {"enabled": false}`` sets ``market`` and ``market.enabled``)."""
    out = [path]
    if isinstance(value, Mapping):
        for key, inner in value.items():
            out += _set_paths(f"{path}.{key}", inner)
    return out


def parse_path(path: str) -> list[Step]:
    """Split ``"sales[0].amount_bn"`` into ``["sales", 0, "amount_bn"]``; a :class:`ScenarioError` if malformed."""
    if not path or path.strip() != path:
        raise ScenarioError(f"knob path {path!r}: give dotted field names, e.g. fiscal.fiscal_risk_premium_bp_per_pp")
    steps: list[Step] = []
    for part in path.split("."):
        match = _STEP.fullmatch(part)
        if match is None:
            raise ScenarioError(f"knob path {path!r}: {part!r} is not a field name with optional [index], "
                                "e.g. sales[0].amount_bn")
        steps.append(match.group(1))
        steps.extend(int(i) for i in _INDEX.findall(match.group(2)))
    return steps


def _model_fields(model: type[BaseModel]) -> dict[str, Any]:
    return dict(model.model_fields)


def _removed_field(model: type[BaseModel], name: str) -> str | None:
    """The model's own message for a field it no longer has (a ``mode="before"`` model validator that refuses the
    key, e.g. ``market.monetary_offset``), so a knob gets the guidance a scenario file gets; None otherwise."""
    try:
        model.model_validate({name: None})
    except ValidationError as exc:
        for error in exc.errors():
            message = str(error["msg"]).removeprefix("Value error, ")
            if error["type"] == "value_error" and not error["loc"] and name in message:
                return message
    return None


def _text(steps: list[Step]) -> str:
    """``["sales", 0, "amount_bn"]`` → ``"sales[0].amount_bn"``."""
    out = ""
    for step in steps:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def _check_against_model(model: type[BaseModel], steps: list[Step], path: str) -> type | None:
    """Walk ``steps`` through the model's field annotations; the leaf annotation (None when not a model leaf)."""
    current: Any = model
    for i, step in enumerate(steps):
        if isinstance(step, int):
            if get_origin(current) is not list:
                raise ScenarioError(f"knob path {path!r}: [{step}] indexes a field that is not a list")
            current = get_args(current)[0]
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            if get_origin(current) is dict:
                current = get_args(current)[1]
                continue
            if get_origin(current) is list and i > 0:
                listed = _text(steps[:i])
                raise ScenarioError(f"knob path {path!r}: {listed!r} is a list; give the entry's index, e.g. "
                                    f"{_text([*steps[:i], 0, *steps[i:]])!r} for its first entry")
            raise ScenarioError(f"knob path {path!r}: {step!r} goes below a value that has no fields")
        fields = _model_fields(current)
        if step not in fields:
            removed = _removed_field(current, step)
            if removed is not None:
                raise ScenarioError(f"knob path {path!r}: {removed}")
            raise ScenarioError(f"knob path {path!r}: no field {step!r}{did_you_mean(step, fields)}; "
                                f"allowed here: {', '.join(fields)}")
        annotation = fields[step].annotation
        args = [a for a in get_args(annotation) if a is not type(None)]
        current = args[0] if get_origin(annotation) is not None and len(args) == 1 and \
            get_origin(annotation) not in (list, dict) else annotation
    return current


def leaf_annotation(model: type[BaseModel], path: str) -> Any:
    """The type annotation of the field ``path`` names in ``model`` (checked without a value: indices are not
    bounds-checked here). A :class:`ScenarioError` naming the path when a field does not exist."""
    return _check_against_model(model, parse_path(path), path)


def get(spec: BaseModel, path: str) -> Any:
    """The value at ``path`` in ``spec`` (a :class:`ScenarioError` naming the path if it does not exist)."""
    steps = parse_path(path)
    _check_against_model(type(spec), steps, path)
    node: Any = spec.model_dump()
    for step in steps:
        node = _descend(node, step, path)
    return node


def _descend(node: Any, step: Step, path: str) -> Any:
    if isinstance(step, int):
        if not isinstance(node, list) or not -len(node) <= step < len(node):
            size = len(node) if isinstance(node, list) else 0
            raise ScenarioError(f"knob path {path!r}: index [{step}] is out of range (the list has {size} "
                                f"entr{'y' if size == 1 else 'ies'}); add an entry to the scenario first")
        return node[step]
    if not isinstance(node, dict) or step not in node:
        raise ScenarioError(f"knob path {path!r}: {step!r} is not set in this scenario")
    return node[step]


def set_many(spec: M, changes: Mapping[str, Any], *, origin: str = "overrides") -> M:
    """A validated copy of ``spec`` with every ``path → value`` in ``changes`` applied.

    Raises
    ------
    ScenarioError
        Naming the path when it does not exist (a list field without an index says to give one; a field the
        model removed gives the model's own guidance), when the value is not a finite number, and the field and
        allowed range when the value is refused.
    """
    data = spec.model_dump()
    changed: list[str] = []
    for path, value in changes.items():
        try:
            _apply(data, changed, type(spec), path, value, origin)
        except ScenarioError as exc:
            exc.parameter = exc.parameter or path  # the knob path, for a caller that handles errors in code
            raise
    try:
        return type(spec).model_validate(data, context={CONTEXT_PATHS: tuple(changed)})
    except ValidationError as exc:
        # the first refused field as a knob path (sales[0].amount_bn); a whole-scenario check that names no
        # field: the one path changed
        parameter = error_parameter(exc) or (next(iter(changes)) if len(changes) == 1 else None)
        raise ScenarioError(format_validation_error(exc, origin), parameter=parameter) from None


def _apply(data: dict[str, Any], changed: list[str], model: type, path: str, value: Any, origin: str) -> None:
    """Set ``path`` to ``value`` in ``data`` (a model dump) in place, checked against ``model``'s fields."""
    steps = parse_path(path)
    changed += _set_paths(_text(steps), value)
    leaf = _check_against_model(model, steps, path)
    if not _finite(value, numeric=leaf in (float, int)):
        what = "is" if isinstance(value, str | float) else "holds a value that is"
        raise ScenarioError(f"{origin}: knob path {path!r}: {value!r} {what} not a finite number; give a number "
                            "within the field's range (nan, inf and -inf are refused)")
    node: Any = data
    for step in steps[:-1]:
        child = _descend(node, step, path)
        if child is None and isinstance(step, str):  # an optional section not given yet: start it empty
            node[step] = child = {}
        node = child
    last = steps[-1]
    if isinstance(last, int):
        _descend(node, last, path)
    elif not isinstance(node, dict):
        raise ScenarioError(f"knob path {path!r}: {last!r} goes below a value that has no fields")
    node[last] = value


def _finite(value: Any, *, numeric: bool = False) -> bool:
    """False when ``value`` is, or holds (in a list or table), a float that is nan or infinite; with ``numeric`` (a
    number field) also text that reads as one (``--set x=nan`` arrives as the text ``"nan"``)."""
    if isinstance(value, str) and numeric:
        try:
            return math.isfinite(float(value))
        except ValueError:
            return True  # not a number at all: the model says so
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list | tuple):
        return all(_finite(v) for v in value)
    if isinstance(value, Mapping):
        return all(_finite(v) for v in value.values())
    return True


def set_value(spec: M, path: str, value: Any) -> M:
    """A validated copy of ``spec`` with ``path`` set to ``value``."""
    return set_many(spec, {path: value}, origin=f"{path}={value!r}")


def parse_assignment(text: str) -> tuple[str, Any]:
    """``"sales[0].amount_bn=150"`` → ``("sales[0].amount_bn", 150)``: the value is read as JSON, else as a number
    written as Python reads one (``.5``, ``4.``, ``+1``, ``1_000``: not JSON, but typed as numbers), else as text.

    ``true``/``false``, numbers, ``"quoted text"`` and ``[1, 2]`` are JSON; anything else (``cbo:2017-01``) is text.
    """
    path, sep, raw = text.partition("=")
    if not sep or not path.strip():
        raise ScenarioError(f"--set {text!r}: write PATH=VALUE, e.g. --set 'sales[0].amount_bn=150'")
    raw = raw.strip()
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = float(raw) if _NUMBER_TEXT.fullmatch(raw) else raw
    return path.strip(), value


#: A number as typed on a command line that JSON does not read (``.5``, ``4.``, ``+1``, ``1_000``, ``1e3``); no
#: ``nan`` or ``inf`` (text: a name could be one).
_NUMBER_TEXT = re.compile(r"[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d+)?")
