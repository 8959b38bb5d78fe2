"""Reading helpers shared by the source parsers: the guard, text decoding, CSV rows, JSON lines and dates.

Every helper raises :class:`geostress.errors.ParseError` naming the file and, where known, the line and field.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

import pandas as pd

from geostress.data.sources.base import decode_text
from geostress.errors import ParseError

T = TypeVar("T")

#: Cells that mean "no value" in CSV files (blank or ``NA``), compared lower-case.
MISSING_CELLS = {"", "na", "n/a"}

_SPREADSHEET_MAGIC = (b"\xd0\xcf\x11\xe0", b"PK\x03\x04")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------------------------------- guard


@dataclass
class Cursor:
    """Where a parser is, so that an unexpected exception can still name the line and field."""

    line: int | None = None
    field: str | None = None


def guarded(origin: str, parse_fn: Callable[[], T], *, cursor: Cursor | None = None) -> T:
    """Run ``parse_fn``; turn any exception but :class:`ParseError` into one naming ``origin``.

    With a ``cursor``, the error also names the cursor's line and field (line 1, field ``header`` when unset).
    """
    try:
        return parse_fn()
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - the contract: nothing but ParseError escapes a parser
        line = field_ = None
        if cursor is not None:
            line = cursor.line if cursor.line is not None else 1
            field_ = cursor.field if cursor.field is not None else "header"
        raise ParseError(
            f"unexpected problem reading the file ({exc.__class__.__name__}: {str(exc)[:200]})",
            file=origin,
            line=line,
            field=field_,
            hint="the file may be damaged or its layout changed; download it again, and report it if the "
            "problem persists",
        ) from exc


# ------------------------------------------------------------------------------------------------ decoding


def decode_utf8(
    raw: bytes, *, origin: str, header_field: str | None = None, encodings: tuple[str, ...] = ("utf-8-sig",)
) -> str:
    """Decode a text file, with precise errors for empty, spreadsheet, UTF-16 and undecodable content.

    Parameters
    ----------
    raw
        The file's bytes.
    origin
        File name or address, for messages.
    header_field
        Field named (at line 1) when the file has no header to read: not bytes, empty, a spreadsheet.
    encodings
        Encodings tried in order (UTF-8 with an optional byte-order mark by default).

    Raises
    ------
    ParseError
        Not bytes, empty (also after decoding) or a spreadsheet (line 1, ``header_field``); a UTF-16 byte-order
        mark or NUL bytes, or bytes no encoding accepts (the line of the first bad byte, field ``encoding``).
    """
    if not isinstance(raw, (bytes, bytearray)):
        raise ParseError(
            f"expected the raw bytes of the file, got {type(raw).__name__}", file=origin, line=1, field=header_field
        )
    if not raw.strip():
        raise ParseError("the file is empty", file=origin, line=1, field=header_field, hint="download it again")
    if raw[:4] in _SPREADSHEET_MAGIC:
        raise ParseError(
            "this is a spreadsheet (XLS/XLSX) or other binary file, not a text file",
            file=origin,
            line=1,
            field=header_field,
            hint="download the text (CSV) file",
        )
    nul = raw.find(b"\x00")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or nul != -1:
        raise ParseError(
            "the bytes look like UTF-16 (or binary) text, not UTF-8",
            file=origin,
            line=1 if nul == -1 else raw[:nul].count(b"\n") + 1,
            field="encoding",
            hint="download it again or re-save it as UTF-8",
        )
    try:
        text = decode_text(raw, origin=origin, encodings=encodings)
    except ParseError as exc:
        raise ParseError(exc.reason, file=origin, line=exc.line or 1, field="encoding", hint=exc.hint) from None
    if not text.strip():
        raise ParseError("the file is empty", file=origin, line=1, field=header_field, hint="download it again")
    return text


# ----------------------------------------------------------------------------------------------------- CSV


def require_final_newline(text: str, *, origin: str, publisher: str) -> None:
    """Refuse a file whose last line has no final newline: it was probably cut off mid-line.

    Only for sources whose every official CSV ends with a newline (checked on every real file of the source:
    FRED's ``fredgraph.csv`` downloads, CBO's ``eval-projections`` CSVs). Without this check a file cut inside
    its last value (``969.938`` → ``969``) parses as complete, with a wrong last number.

    Call it after the rows were read, so that a line cut before its last cell is reported by the width check
    (naming the first missing column).

    Raises
    ------
    ParseError
        Naming the last line and the column of its last cell.
    """
    if not text or text.endswith(("\n", "\r")):
        return
    line = text.count("\n") + 1
    last = text.rsplit("\n", 1)[-1]
    header = next(csv.reader(io.StringIO(text.lstrip().split("\n", 1)[0])), [])
    cells = next(csv.reader(io.StringIO(last)), [])
    field_ = header[min(len(cells), len(header)) - 1].strip() if header and cells else "last line"
    raise ParseError(
        f"the last line does not end with a newline, as every {publisher} CSV does: the file looks truncated, "
        f"and its last value may be cut short ({last.strip()[-40:]!r})",
        file=origin,
        line=line,
        field=field_ or "last line",
        hint="download the file again (or, if you edited it, end it with a newline)",
    )



class CsvRows:
    """The non-blank rows of a CSV text as ``(line number, cells)``, the line being where the row starts.

    ``last_line`` is the number of lines read so far. Malformed quoting raises a :class:`ParseError`.
    """

    def __init__(self, text: str, *, origin: str) -> None:
        self.origin = origin
        self.last_line = 0
        self._reader = csv.reader(io.StringIO(text, newline=""))

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        return self

    def __next__(self) -> tuple[int, list[str]]:
        while True:
            try:
                cells = next(self._reader)
            except csv.Error as exc:
                raise ParseError(
                    f"malformed CSV ({exc})",
                    file=self.origin,
                    line=self._reader.line_num or 1,
                    field="quoting",
                    hint="the file may be damaged; download it again",
                ) from None
            line = self.last_line + 1
            self.last_line = self._reader.line_num
            if any(c.strip() for c in cells):
                return line, cells


def check_width(cells: list[str], header: Sequence[str], *, origin: str, line: int) -> None:
    """Raise a :class:`ParseError` when a row has fewer or more cells than the header."""
    if len(cells) < len(header):
        raise ParseError(
            f"expected {len(header)} fields, found {len(cells)}; the line is incomplete (truncated file?)",
            file=origin,
            line=line,
            field=header[len(cells)] or f"column {len(cells) + 1}",
            hint="download the file again",
        )
    if len(cells) > len(header):
        raise ParseError(
            f"expected {len(header)} fields, found {len(cells)}",
            file=origin,
            line=line,
            field=f"column {len(header) + 1} (no header)",
            hint="the file is damaged or its layout changed; download it again",
        )


@dataclass(frozen=True)
class CsvTable:
    """A CSV file read into cells.

    Attributes
    ----------
    header
        Column names as written (stripped).
    columns
        Column name (after ``rename``) → index of its first occurrence.
    rows
        ``(line number, cells)`` of every non-blank data row; every row has ``len(header)`` cells.
    header_line
        Line number of the header.
    """

    header: list[str]
    columns: dict[str, int]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    header_line: int = 1

    def cell(self, cells: list[str], name: str) -> str:
        """The stripped cell of column ``name``."""
        return cells[self.columns[name]].strip()


def read_csv_table(
    text: str,
    *,
    origin: str,
    required: Sequence[str],
    rename: Callable[[str], str] | None = None,
    what: str | None = None,
    require_rows: bool = True,
) -> CsvTable:
    """Read CSV text into cells, checking the header and the number of cells of every row.

    Parameters
    ----------
    text
        The decoded file (see :func:`decode_utf8`).
    origin
        File name or address, for messages.
    required
        Columns that must be present (in any order; other columns are allowed), after ``rename``.
    rename
        Maps a header cell to the name ``required`` uses (e.g. a display name to an API field name).
    what
        The expected file, for messages (``"an MSPD Table I file"``): when given, a header with none of the
        required columns is reported as the wrong file, naming its first cell.
    require_rows
        Whether a file without data rows is an error.

    Raises
    ------
    ParseError
        No header, missing column (line of the header, field = the first missing column), a row with too few
        cells (field = the first missing column) or too many, malformed quoting, no data rows.
    """
    rows = CsvRows(text, origin=origin)
    first = next(rows, None)
    if first is None:
        raise ParseError("the file is empty", file=origin, line=1, field="header", hint="download it again")
    header_line, cells = first
    header = [c.strip() for c in cells]
    columns: dict[str, int] = {}
    for i, name in enumerate(header):
        columns.setdefault(rename(name) if rename else name, i)
    missing = [c for c in required if c not in columns]
    if missing:
        if what is not None and len(missing) == len(required):
            raise ParseError(
                f"unexpected header {','.join(header)[:100]!r}; this is not {what}",
                file=origin,
                line=header_line,
                field=header[0][:40],
                hint=f"expected the columns {','.join(required)}",
            )
        raise ParseError(
            f"missing column {missing[0]!r}: expected a header with {', '.join(required)}; "
            f"found {', '.join(repr(h) for h in header[:12])}",
            file=origin,
            line=header_line,
            field=missing[0],
            hint="this is not the expected file, or its layout changed",
        )
    data: list[tuple[int, list[str]]] = []
    for line, cells in rows:
        check_width(cells, header, origin=origin, line=line)
        data.append((line, cells))
    if require_rows and not data:
        raise ParseError(
            "the file has a header but no data rows",
            file=origin,
            line=header_line + 1,
            field=required[0] if required else header[0],
            hint="the file is truncated; download it again",
        )
    return CsvTable(header=header, columns=columns, rows=data, header_line=header_line)


def is_missing(cell: str) -> bool:
    """Whether a value cell is blank or ``NA`` (the observation is skipped)."""
    return cell.strip().lower() in MISSING_CELLS


# ---------------------------------------------------------------------------------------------------- JSON


def json_record_line(text: str, key: str, index: int) -> int | None:
    """1-based line of element ``index`` of the JSON array under ``key`` (best effort, for error messages)."""
    match = re.search(r'"' + re.escape(key) + r'"\s*:\s*\[', text)
    if match is None:
        return None
    decoder = json.JSONDecoder()
    pos = match.end()
    for i in range(index + 1):
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if i == index:
            return text.count("\n", 0, pos) + 1
        try:
            _, pos = decoder.raw_decode(text, pos)
        except ValueError:
            return None
    return None  # pragma: no cover


# --------------------------------------------------------------------------------------------------- dates


def parse_iso_date(cell: str, *, origin: str, line: int | None, field: str) -> date:
    """A strict ``YYYY-MM-DD`` date or a :class:`ParseError`."""
    text = cell.strip()
    if _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise ParseError(
        f"expected a date YYYY-MM-DD, found {text[:40]!r}", file=origin, line=line, field=field,
        hint="the file may be truncated or damaged; download it again",
    )


def parse_fiscal_year(cell: str, *, origin: str, line: int, field: str) -> int:
    """A fiscal year (four digits, 1900–2200) or a :class:`ParseError`."""
    text = cell.strip()
    if not re.fullmatch(r"\d{4}", text) or not 1900 <= int(text) <= 2200:
        raise ParseError(f"expected a fiscal year such as 2026, found {text!r}", file=origin, line=line, field=field)
    return int(text)


def fiscal_year_end(year: int) -> pd.Timestamp:
    """Last day of U.S. federal fiscal year ``year`` (30 September since FY1977)."""
    return pd.Timestamp(year=year, month=9, day=30)


def month_end(year: int, month: int) -> pd.Timestamp:
    """Last day of a month."""
    return pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)


def year_end(year: int) -> pd.Timestamp:
    """31 December of ``year``."""
    return pd.Timestamp(year=year, month=12, day=31)
