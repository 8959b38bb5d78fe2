"""One formatter for pydantic validation errors: every refused field named by its dotted path, with the reason."""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Iterator
from typing import Any, Union, get_args, get_origin

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator


def format_validation_error(exc: ValidationError, origin: str,
                            unknown_field: Callable[[tuple[Any, ...]], str] | None = None) -> str:
    """``origin: field a.b[0].c: msg (got 'x'); …`` for every error in ``exc``.

    Non-finite and non-JSON inputs are shown with ``repr`` so the message is always plain text. ``unknown_field``
    gives the words added to an error of a field the model has no place for (``extra_forbidden``), at its location:
    ``"; did you mean 'market'?"``.
    """
    parts = []
    for error in exc.errors():
        where = ""
        for loc in error["loc"]:
            where += f"[{loc}]" if isinstance(loc, int) else (f".{loc}" if where else str(loc))
        value = error.get("input")
        value = value.item() if isinstance(value, np.generic) else value  # numpy's 1.0 as 1.0
        shown = "" if isinstance(value, dict | list) or value is None else f" (got {value!r})"
        message = str(error["msg"]).removeprefix("Value error, ")
        if unknown_field is not None and error["type"] == "extra_forbidden":
            shown += unknown_field(tuple(error["loc"]))
        parts.append(f"field {where}: {message}{shown}" if where else f"{message}{shown}")
    return f"{origin}: " + "; ".join(parts)


def _held(annotation: Any) -> Any:
    """The type an optional field holds when given (``float | None`` → ``float``)."""
    if get_origin(annotation) in (Union, types.UnionType):
        held = [a for a in get_args(annotation) if a is not type(None)]
        return held[0] if len(held) == 1 else annotation
    return annotation


def _numeric(annotation: Any) -> bool:
    """Whether a field holds numbers only: ``float``, ``int``, and lists, tuples and tables (values) of them."""
    annotation = _held(annotation)
    if annotation in (float, int):
        return True
    origin, args = get_origin(annotation), [a for a in get_args(annotation) if a is not Ellipsis]
    if origin is dict:
        return len(args) == 2 and _numeric(args[1])
    if origin in (list, tuple):
        return bool(args) and all(_numeric(a) for a in args)
    return False


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, list | tuple):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    else:
        yield value


def _is_bool(value: Any) -> bool:
    return isinstance(value, (bool, np.bool_))


def _is_number(value: Any) -> bool:
    return not _is_bool(value) and isinstance(value, (int, float, np.number))


def field_kind(annotation: Any) -> str | None:
    """``"number"`` for a field that holds numbers only (``float``, ``int``, lists, tuples and tables of them),
    ``"bool"`` for a true/false field, None for any other."""
    if _numeric(annotation):
        return "number"
    return "bool" if _held(annotation) is bool else None


def type_clash(kind: str | None, value: Any) -> str | None:
    """Why ``value`` does not fit a field of this :func:`field_kind` although pydantic's lax mode would take it
    (``true`` as 1.0, ``1`` as true, ``"4"`` as 4.0, ``"no"`` as false), or None: a number field refuses true/false
    (in a list or table too) and text, a true/false field refuses a number and text."""
    if kind == "number":
        nested = isinstance(value, list | tuple | dict)  # (a scalar, the common case, skips the walk)
        leaves = list(_leaves(value)) if nested else []
        if _is_bool(value) or any(_is_bool(leaf) for leaf in leaves):
            return "give a number, not true or false"
        if any(isinstance(leaf, str) for leaf in leaves):
            return "give numbers, not text"
    elif kind == "bool" and _is_number(value):
        return "give true or false, not a number"
    if kind is not None and isinstance(value, str):
        wanted = "a number" if kind == "number" else "true or false"
        return f"give {wanted}, not text"
    return None


@functools.cache
def _kind_of(model: type[BaseModel], name: str) -> str | None:
    """:func:`field_kind` of a model's field, worked out once (validation runs for every field of every section
    of every scenario a sweep plans)."""
    return field_kind(model.model_fields[name].annotation)


class StrictModel(BaseModel):
    """A frozen model that refuses unknown fields, ``true`` or text for a number, and a number or text for a
    true/false field (files, ``--set``, sweeps and the service alike: pydantic's lax mode would read ``true`` as
    1.0, ``"4"`` as 4.0 and ``"no"`` as false, and the run would not be the one asked for)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _number_or_boolean(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None or info.field_name is None:
            return value
        kind = _kind_of(cls, info.field_name)
        if kind is None:  # (fast: much of a scenario is text, for text fields)
            return value
        clash = type_clash(kind, value)
        if clash:
            raise ValueError(clash)
        return value
