"""One formatter for pydantic validation errors: every refused field named by its dotted path, with the reason."""

from __future__ import annotations

from pydantic import ValidationError


def format_validation_error(exc: ValidationError, origin: str) -> str:
    """``origin: field a.b[0].c: msg (got 'x'); …`` for every error in ``exc``.

    Non-finite and non-JSON inputs are shown with ``repr`` so the message is always plain text.
    """
    parts = []
    for error in exc.errors():
        where = ""
        for loc in error["loc"]:
            where += f"[{loc}]" if isinstance(loc, int) else (f".{loc}" if where else str(loc))
        value = error.get("input")
        shown = "" if isinstance(value, dict | list) or value is None else f" (got {value!r})"
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"field {where}: {message}{shown}" if where else f"{message}{shown}")
    return f"{origin}: " + "; ".join(parts)
