"""One small error hierarchy for the whole package.

Every message says what went wrong, where (file, line, field or parameter) and what to do next, so that a
command-line user never needs a traceback to act on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches


class GeostressError(Exception):
    """Base class of every error geostress raises on purpose.

    Parameters
    ----------
    *args
        The message (and anything else :class:`Exception` takes).
    parameter
        The Python name of the function parameter the error is about (``amount_bn``), when one is: the web service
        names its query field from it, the command line its option.
    usage
        The argument is not in the form it must have (``2025-13`` for a month), whatever the data: a command line's
        usage error (status 2), not an error of the data (status 1).
    """

    def __init__(self, *args: object, parameter: str | None = None, usage: bool = False) -> None:
        super().__init__(*args)
        self.parameter = parameter
        self.usage = usage

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle as class, message arguments and attributes, never through ``__init__``: subclasses whose
        constructor takes other arguments (:class:`ParseError`, :class:`UnknownSeriesError`) then survive the trip
        back from a worker process with every attribute (``parameter``, ``file``, ``suggestions``...) kept."""
        return (_restore, (type(self), self.args, dict(self.__dict__)))


def _restore(cls: type[GeostressError], args: tuple[object, ...], state: dict[str, object]) -> GeostressError:
    """Rebuild a pickled :class:`GeostressError` (see ``__reduce__``) without calling its ``__init__``."""
    exc = cls.__new__(cls, *args)
    exc.args = args
    exc.__dict__.update(state)
    return exc


class DataError(GeostressError):
    """A problem with data: a source, a file, the store or a series name."""


class ParseError(DataError):
    """An official file could not be read.

    Parameters
    ----------
    message
        What is wrong, in plain words.
    file
        The file (or download address) being parsed.
    line
        1-based line number (or spreadsheet row) where the problem was found, when known.
    field
        The column, cell or field concerned, when known.
    hint
        What the user can do about it.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.reason = message
        self.hint = hint
        where = file if line is None else f"{file}, line {line}"
        if field is not None:
            where += f", field {field!r}"
        text = f"{where}: {message}"
        if hint:
            text += f". {hint}"
        super().__init__(text)


class SourceUnavailableError(DataError):
    """An official source could not be reached (no network, time-out, server error)."""


class StoreError(DataError):
    """The local observation store could not be read or written."""


class UnknownSeriesError(DataError):
    """A series id that the store does not hold; the message suggests close matches."""

    def __init__(self, series_id: str, known: Iterable[str]) -> None:
        self.series_id = series_id
        names = sorted(known)
        containing = sorted((k for k in names if series_id.lower() in k), key=len)
        close = get_close_matches(series_id, names, n=5, cutoff=0.5)
        self.suggestions = (containing + [c for c in close if c not in containing])[:5]
        text = f"unknown series {series_id!r}"
        if self.suggestions:
            text += "; did you mean: " + ", ".join(self.suggestions) + "?"
        else:
            text += "."
        text += " Run `geostress data catalog` (or `geostress.data.catalog()`) to list every series."
        super().__init__(text)


class ScenarioError(GeostressError):
    """A scenario or configuration file names an invalid field or value."""


class LimitError(GeostressError):
    """A request beyond a stated limit (paths, draws, bytes): the message names the limit and what to do."""
