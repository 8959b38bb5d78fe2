"""CBO baseline budget projections, every vintage since 1982 (``baselines.csv``).

The Congressional Budget Office publishes the input data of its evaluation of its own projections in the public
repository ``US-CBO/eval-projections``. ``input_data/baselines.csv`` holds every baseline since 1982 in one long
table::

    component,category,subcategory,baseline_date,Spring_flag,Winter_flag,projected_fiscal_year,
    projected_year_number,value

with values in billions of dollars by fiscal year. Because one file carries every vintage, the frame returned by
:func:`parse` has a ``vintage`` column (the ``baseline_date``, the first day of the month of release) and
:attr:`ParsedRelease.vintage` is the latest baseline date in the file.

Series ids
----------
===============================  =============================================================
``cbo.debt``                     debt held by the public, end of fiscal year (``debt``/Total)
``cbo.deficit``                  deficit (negative) or surplus (``deficit``/Total)
``cbo.outlays``                  total outlays (``outlay``/Total)
``cbo.revenue``                  total revenues (``revenue``/Total)
``cbo.net_interest``             net interest outlays (``outlay``/Net Interest)
``cbo.outlays.<slug>``           outlay sub-categories, e.g. ``cbo.outlays.social_security``,
                                 ``cbo.outlays.total_mandatory``, ``cbo.outlays.defense_discretionary``
``cbo.revenue.<slug>``           revenue sources, e.g. ``cbo.revenue.individual_income_taxes``
===============================  =============================================================

``<slug>`` is :func:`~geostress.data.sources.base.slugify` of the sub-category (of the category when the
sub-category is ``Total``); CBO's misspelling "Student Loan Foregiveness" becomes ``student_loan_forgiveness``.
The period is the last day of the fiscal year (FY2036 → 2036-09-30); ``projected_year_number`` (the position of
the year in its baseline) and the ``Spring_flag``/``Winter_flag`` selection flags of CBO's evaluation are not kept,
since they derive from ``baseline_date`` and ``projected_fiscal_year``.

Caveats (CBO's README): outlays of Fannie Mae and Freddie Mac are removed; vintage coverage differs by series
(revenues since the winter 1982 baseline, deficits and debt since spring 1984, outlay detail and net interest
since January 1992).

The module also holds the small CSV reader and CBO naming rules that :mod:`.cbo_actuals` reuses.

References
----------
.. [1] Congressional Budget Office, "An Evaluation of CBO's Projections of Deficits and Debt",
   https://www.cbo.gov/publication/60664 (and the related evaluations of outlay and revenue projections).
.. [2] Congressional Budget Office, ``US-CBO/eval-projections`` repository, ``input_data/baselines.csv``,
   https://github.com/US-CBO/eval-projections
.. [3] Congressional Budget Office, "Budget and Economic Data", https://www.cbo.gov/data/budget-economic-data
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from geostress.data.sources.base import (
    UNIT_USD_BN,
    ParsedRelease,
    Query,
    check_unique_periods,
    decode_text,
    make_frame,
    parse_number,
    slugify,
)
from geostress.errors import ParseError

NAME = "cbo-baselines"
TITLE = "CBO baseline budget projections (all vintages)"
PUBLISHER = "Congressional Budget Office (CBO)"
LICENSE = "U.S. Government work, public domain (17 U.S.C. 105)"

#: Repository and commit of the copy checked in ``shared/data`` (Feb-2026 baseline); ``ref="main"`` gets the newest.
REPOSITORY = "US-CBO/eval-projections"
PINNED_COMMIT = "682559ca5800ee7be57a398085fd023a050c7cb9"

COLUMNS = [
    "component",
    "category",
    "subcategory",
    "baseline_date",
    "projected_fiscal_year",
    "value",
]

#: CBO component → series stem.
COMPONENT_STEM = {"debt": "debt", "deficit": "deficit", "outlay": "outlays", "revenue": "revenue"}

#: Labels of the headline series (the stem after ``cbo.`` / ``cbo.actual.``).
HEADLINE_LABELS = {
    "debt": "Debt held by the public, end of fiscal year",
    "deficit": "Deficit (-) or surplus",
    "outlays": "Total outlays",
    "revenue": "Total revenues",
    "net_interest": "Net interest outlays",
}

#: Corrections of CBO spellings in slugs.
SLUG_FIXES = {"student_loan_foregiveness": "student_loan_forgiveness"}

_MISSING = {"", "na", "n/a"}


def raw_url(path: str, ref: str = PINNED_COMMIT) -> str:
    """Raw download address of ``path`` in CBO's ``eval-projections`` repository at ``ref``."""
    return f"https://raw.githubusercontent.com/{REPOSITORY}/{ref}/{path}"


def build_queries(**options: str) -> list[Query]:
    """Say what to download: CBO's ``input_data/baselines.csv``.

    Parameters
    ----------
    **options
        ``ref``: branch, tag or commit of ``US-CBO/eval-projections`` (default: the commit of the February 2026
        baseline, :data:`PINNED_COMMIT`; pass ``ref="main"`` for the newest baseline).

    Returns
    -------
    list[Query]
        One query, file name ``baselines.csv``.
    """
    ref = options.get("ref", PINNED_COMMIT)
    return [Query(url=raw_url("input_data/baselines.csv", ref), filename="baselines.csv")]


# --------------------------------------------------------------------------------------------------------------
# Shared helpers (also used by cbo_actuals)
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Cursor:
    """Where a parser is, so that an unexpected exception can still name the line and field."""

    line: int | None = None
    field: str | None = None


@dataclass(frozen=True)
class CsvTable:
    """A CSV file read into cells.

    Attributes
    ----------
    header
        Column names (stripped).
    columns
        Column name → index.
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


def decode_csv_text(raw: bytes, *, origin: str) -> str:
    """Decode a CSV file as UTF-8, with precise errors for empty, UTF-16 and binary content.

    Raises
    ------
    ParseError
        Empty file (line 1, field ``header``); NUL bytes or a UTF-16 byte-order mark, or bytes that are not
        UTF-8 (the line of the first bad byte, field ``encoding``).
    """
    if not isinstance(raw, (bytes, bytearray)):
        raise ParseError(
            f"expected the raw bytes of the file, got {type(raw).__name__}", file=origin, line=1, field="header"
        )
    if not raw.strip():
        raise ParseError("the file is empty", file=origin, line=1, field="header", hint="download it again")
    if raw[:4] == b"\xd0\xcf\x11\xe0" or raw[:4] == b"PK\x03\x04":
        raise ParseError(
            "this is a spreadsheet (XLS/XLSX) or other binary file, not a CSV text file",
            file=origin,
            line=1,
            field="header",
            hint="download the CSV file",
        )
    nul = raw.find(b"\x00")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or nul != -1:
        line = 1 if nul == -1 else raw[:nul].count(b"\n") + 1
        raise ParseError(
            "the bytes look like UTF-16 (or binary) text, not UTF-8",
            file=origin,
            line=line,
            field="encoding",
            hint="save the file as UTF-8 CSV or download it again",
        )
    try:
        return decode_text(raw, origin=origin)
    except ParseError as exc:
        raise ParseError(exc.reason, file=origin, line=exc.line or 1, field="encoding", hint=exc.hint) from None


def read_csv_table(raw: bytes, *, origin: str, required: Sequence[str]) -> CsvTable:
    """Read a CSV file into cells, checking the header and the number of cells of every row.

    Parameters
    ----------
    raw
        The file's bytes (UTF-8, optionally with a byte-order mark).
    origin
        File name or address, for messages.
    required
        Columns that must be present (in any order; other columns are allowed).

    Raises
    ------
    ParseError
        Empty or undecodable file, missing column (line of the header, field = the first missing column), a row
        with too few cells (field = the first missing column) or too many, malformed quoting, no data rows.
    """
    text = decode_csv_text(raw, origin=origin)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    header_line = 1
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                header_line = reader.line_num
                columns: dict[str, int] = {}
                for i, name in enumerate(header):
                    columns.setdefault(name, i)
                missing = [c for c in required if c not in columns]
                if missing:
                    raise ParseError(
                        f"missing column {missing[0]!r}: expected a header with {', '.join(required)}; "
                        f"found {', '.join(repr(h) for h in header[:12])}",
                        file=origin,
                        line=header_line,
                        field=missing[0],
                        hint="this is not the expected file, or its layout changed",
                    )
                continue
            line = reader.line_num
            if len(cells) < len(header):
                raise ParseError(
                    f"expected {len(header)} fields, found {len(cells)}; the line is incomplete (truncated file?)",
                    file=origin,
                    line=line,
                    field=header[len(cells)],
                    hint="download the file again",
                )
            if len(cells) > len(header):
                raise ParseError(
                    f"expected {len(header)} fields, found {len(cells)}",
                    file=origin,
                    line=line,
                    field=f"column {len(header) + 1} (no header)",
                    hint="the file is damaged or its layout changed",
                )
            rows.append((line, cells))
    except csv.Error as exc:
        raise ParseError(
            f"malformed CSV ({exc})", file=origin, line=reader.line_num or 1, field="quoting", hint="download it again"
        ) from None
    if header is None:
        raise ParseError("the file is empty", file=origin, line=1, field="header", hint="download it again")
    if not rows:
        raise ParseError(
            "the file has a header but no data rows",
            file=origin,
            line=header_line + 1,
            field=required[0] if required else header[0],
            hint="the file is truncated; download it again",
        )
    return CsvTable(header=header, columns=columns, rows=rows, header_line=header_line)


def is_missing(cell: str) -> bool:
    """Whether a value cell is blank or ``NA`` (the observation is skipped)."""
    return cell.strip().lower() in _MISSING


def parse_fiscal_year(cell: str, *, origin: str, line: int, field: str) -> int:
    """A fiscal year (four digits, 1900–2200) or a :class:`ParseError`."""
    text = cell.strip()
    if not re.fullmatch(r"\d{4}", text) or not 1900 <= int(text) <= 2200:
        raise ParseError(f"expected a fiscal year such as 2026, found {text!r}", file=origin, line=line, field=field)
    return int(text)


def fiscal_year_end(year: int) -> pd.Timestamp:
    """Last day of U.S. federal fiscal year ``year`` (30 September since FY1977)."""
    return pd.Timestamp(year=year, month=9, day=30)


_SERIES_CACHE: dict[tuple[str, str, str], tuple[str, str]] = {}


def series_stem(component: str, category: str, subcategory: str, *, origin: str, line: int) -> tuple[str, str]:
    """Series stem and label for a CBO ``component, category, subcategory`` triple.

    Returns
    -------
    tuple[str, str]
        ``("debt", "Debt held by the public, ...")``, ``("outlays.social_security", "Outlays: Mandatory: Social
        Security")``, ``("net_interest", ...)``; the caller prefixes ``cbo.`` or ``cbo.actual.``.

    Raises
    ------
    ParseError
        Unknown component, or a sub-category that has no letters or digits.
    """
    key = (component, category, subcategory)
    hit = _SERIES_CACHE.get(key)
    if hit is not None:
        return hit
    comp = component.strip().lower()
    if comp not in COMPONENT_STEM:
        raise ParseError(
            f"unknown component {component.strip()!r}; expected one of {', '.join(COMPONENT_STEM)}",
            file=origin,
            line=line,
            field="component",
        )
    stem = COMPONENT_STEM[comp]
    cat = category.strip()
    sub = subcategory.strip()
    if comp == "outlay" and slugify(cat) == "net_interest":
        result = ("net_interest", HEADLINE_LABELS["net_interest"])
    else:
        for text, col in ((cat, "category"), (sub, "subcategory")):
            if not slugify(text):
                raise ParseError(
                    f"expected a name, found {text!r}", file=origin, line=line, field=col
                )
        name = sub if slugify(sub) != "total" else cat
        if slugify(name) == "total":
            result = (stem, HEADLINE_LABELS[stem])
        else:
            slug = slugify(name)
            slug = SLUG_FIXES.get(slug, slug)
            parts = [p for p in (cat, sub) if p and p != name] + [name]
            kind = "Outlays" if stem == "outlays" else "Revenues" if stem == "revenue" else stem.capitalize()
            result = (f"{stem}.{slug}", f"{kind}: " + ": ".join(dict.fromkeys(parts)))
    if len(_SERIES_CACHE) < 10_000:
        _SERIES_CACHE[key] = result
    return result


def wrap_unexpected(exc: Exception, *, origin: str, cursor: Cursor) -> ParseError:
    """Turn an unexpected exception into a :class:`ParseError` at the cursor's line and field."""
    return ParseError(
        f"could not read the file ({type(exc).__name__}: {exc})",
        file=origin,
        line=cursor.line if cursor.line is not None else 1,
        field=cursor.field if cursor.field is not None else "header",
        hint="the file is damaged or its layout changed",
    )


# --------------------------------------------------------------------------------------------------------------
# Parser
# --------------------------------------------------------------------------------------------------------------


def parse(raw: bytes, *, origin: str) -> ParsedRelease:
    """Parse CBO's ``baselines.csv`` into every vintage of every projected series.

    Parameters
    ----------
    raw
        The file's bytes.
    origin
        File name or address, used in error messages.

    Returns
    -------
    ParsedRelease
        Observations with columns ``series_id, label, period, value, unit, vintage`` (``vintage`` =
        ``baseline_date`` as ``datetime64``; ``period`` = fiscal-year end; unit ``USD bn``) and
        ``vintage`` = the latest ``baseline_date``.

    Raises
    ------
    ParseError
        Any problem, naming file, line and field: wrong or missing column, non-numeric value, bad date, unknown
        component, a fiscal year repeated within one baseline and series, truncated or undecodable file.
    """
    cursor = Cursor()
    try:
        return _parse(raw, origin=origin, cursor=cursor)
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - nothing but ParseError may leave a parser
        raise wrap_unexpected(exc, origin=origin, cursor=cursor) from exc


def _parse(raw: bytes, *, origin: str, cursor: Cursor) -> ParsedRelease:
    table = read_csv_table(raw, origin=origin, required=COLUMNS)
    rows: list[tuple[str, str, pd.Timestamp, float, str]] = []
    vintages: list[date] = []
    seen: dict[tuple[str, date, int], int] = {}
    dates: dict[str, date] = {}
    for line, cells in table.rows:
        cursor.line, cursor.field = line, "component"
        stem, label = series_stem(
            table.cell(cells, "component"),
            table.cell(cells, "category"),
            table.cell(cells, "subcategory"),
            origin=origin,
            line=line,
        )
        cursor.field = "baseline_date"
        text = table.cell(cells, "baseline_date")
        vintage = dates.get(text)
        if vintage is None:
            try:
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                    raise ValueError(text)
                vintage = date.fromisoformat(text)
            except ValueError:
                raise ParseError(
                    f"expected a date YYYY-MM-DD, found {text!r}", file=origin, line=line, field="baseline_date"
                ) from None
            dates[text] = vintage
        cursor.field = "projected_fiscal_year"
        year = parse_fiscal_year(
            table.cell(cells, "projected_fiscal_year"), origin=origin, line=line, field="projected_fiscal_year"
        )
        cursor.field = "value"
        cell = table.cell(cells, "value")
        if is_missing(cell):
            continue
        value = parse_number(cell, origin=origin, line=line, field="value")
        series_id = f"cbo.{stem}"
        key = (series_id, vintage, year)
        first = seen.get(key)
        if first is not None:
            raise ParseError(
                f"fiscal year {year} of series {series_id} in the {vintage:%Y-%m} baseline appears twice "
                f"(first on line {first})",
                file=origin,
                line=line,
                field="projected_fiscal_year",
                hint="the file is duplicated or damaged; download it again",
            )
        seen[key] = line
        rows.append((series_id, f"CBO baseline projection: {label}", fiscal_year_end(year), value, UNIT_USD_BN))
        vintages.append(vintage)
    cursor.line, cursor.field = None, None
    if not rows:
        raise ParseError(
            "no values: every value cell is blank",
            file=origin,
            line=table.header_line + 1,
            field="value",
            hint="download the file again",
        )
    frame = make_frame(rows)
    frame["vintage"] = pd.to_datetime(pd.Series(vintages, dtype="object")).astype(frame["period"].dtype)
    check_unique_periods(frame, origin=origin)
    return ParsedRelease(observations=frame, source=NAME, vintage=max(vintages))
