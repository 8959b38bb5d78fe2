"""Reading helpers for Excel (XLSX) workbooks, with errors that name the file, the sheet row and the column.

Spreadsheet rows are 1-based as Excel shows them; :class:`~geostress.errors.ParseError` reports them as the
``line`` and a column letter or header as the ``field`` (e.g. ``"Gold (BR)"``).
"""

from __future__ import annotations

import io
import warnings
import zipfile
from typing import Any

from geostress.data.sources.base import strip_thousands
from geostress.errors import ParseError

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"


def column_letter(index: int) -> str:
    """Excel column letters of a 0-based column index: 0 → ``A``, 69 → ``BR``."""
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def open_workbook(raw: bytes, *, origin: str) -> Any:
    """Open XLSX bytes read-only with cached values (not formulas).

    Raises
    ------
    ParseError
        Not bytes, empty, a legacy XLS (BIFF) file, a CSV/HTML text, or a damaged ZIP container (line 1, field
        ``workbook``).
    """
    if not isinstance(raw, (bytes, bytearray)):
        raise ParseError(f"expected the raw bytes of the file, got {type(raw).__name__}", file=origin, line=1,
                         field="workbook")
    if not raw.strip():
        raise ParseError("the file is empty", file=origin, line=1, field="workbook", hint="download it again")
    if raw[:4] == _OLE:
        raise ParseError(
            "this is a legacy Excel (XLS) file; geostress reads XLSX workbooks", file=origin, line=1,
            field="workbook", hint="open it in a spreadsheet program and save it as .xlsx",
        )
    if raw[:4] != _ZIP:
        raise ParseError(
            "this is not an XLSX workbook (no ZIP signature; a CSV, HTML page or truncated download?)",
            file=origin, line=1, field="workbook", hint="download the .xlsx file again",
        )
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions and default styles
            return openpyxl.load_workbook(io.BytesIO(bytes(raw)), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise ParseError(
            f"the workbook is damaged or truncated ({exc.__class__.__name__}: {str(exc)[:120]})", file=origin,
            line=1, field="workbook", hint="download the .xlsx file again",
        ) from None


def sheet_rows(workbook: Any, name: str, *, origin: str) -> list[tuple[Any, ...]]:
    """All rows of sheet ``name`` as tuples of cell values (row 1 first).

    Raises
    ------
    ParseError
        The sheet is missing (field = the sheet name; the message lists the sheets found).
    """
    if name not in workbook.sheetnames:
        raise ParseError(
            f"no sheet {name!r}; the workbook has {', '.join(repr(s) for s in workbook.sheetnames)}", file=origin,
            line=1, field=name, hint="this is not the expected workbook, or its layout changed",
        )
    sheet = workbook[name]
    if hasattr(sheet, "reset_dimensions"):  # read-only sheets trust the file's stated size, which DataWeb gets wrong
        sheet.reset_dimensions()
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def text(value: Any) -> str:
    """A cell as stripped text (``""`` for an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def number(value: Any, *, origin: str, line: int, field: str) -> float | None:
    """A numeric cell as float; ``None`` for blank, ``..``, ``NA``, ``W``, ``-``/``—`` (not available/withheld).

    Raises
    ------
    ParseError
        Any other text, or a non-finite number.
    """
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise ParseError(f"expected a number, found {value!r}", file=origin, line=line, field=field)
        return None
    if isinstance(value, (int, float)):
        out = float(value)
    else:
        cell = str(value).strip()
        if cell.lower() in {"", "..", "...", "na", "n/a", "w", "-", "--", "—", "–", "xx", "(x)"}:
            return None
        cell = strip_thousands(cell, origin=origin, line=line, field=field)
        try:
            out = float(cell)
        except ValueError:
            raise ParseError(
                f"expected a number, found {str(value).strip()[:40]!r}", file=origin, line=line, field=field,
                hint="the workbook may be damaged or its layout changed",
            ) from None
    if out != out or out in (float("inf"), float("-inf")):
        raise ParseError(f"expected a finite number, found {value!r}", file=origin, line=line, field=field)
    return out
