"""CBO actual budget outcomes and GDP by fiscal year (``actuals.csv`` and ``actual_GDP.csv``).

The companions of :mod:`.cbo_baselines` in CBO's ``US-CBO/eval-projections`` repository: the actual values
against which CBO scores its projections. :func:`parse` recognises either file by its header:

* ``actuals.csv`` — ``component,category,subcategory,fiscal_year,actual_value`` (billions of dollars);
* ``actual_GDP.csv`` — ``fiscal_year,GDP`` (nominal GDP by fiscal year, billions of dollars).

Series ids
----------
The naming of :mod:`.cbo_baselines` with ``cbo.actual.`` in front: ``cbo.actual.debt`` (debt held by the public at
the end of the fiscal year), ``cbo.actual.deficit``, ``cbo.actual.outlays``, ``cbo.actual.revenue``,
``cbo.actual.net_interest``, ``cbo.actual.outlays.<slug>`` (e.g. ``cbo.actual.outlays.social_security``,
``cbo.actual.outlays.student_loan_forgiveness``), ``cbo.actual.revenue.<slug>``; and ``cbo.actual.gdp`` from
``actual_GDP.csv``. The period is the end of the fiscal year (30 September); the unit is ``USD bn``.

The files carry no release date, so :attr:`ParsedRelease.vintage` is ``None`` (the importer takes the date the
user or the snapshot specification gives).

Caveats (CBO's README): Fannie Mae/Freddie Mac outlays are removed from the actuals; the 2022 student-loan
cancellation outlays are excluded from the totals and shown separately (``Student Loan Foregiveness``, FY2022
and FY2023 only).

References
----------
.. [1] Congressional Budget Office, ``US-CBO/eval-projections`` repository, ``input_data/actuals.csv`` and
   ``input_data/actual_GDP.csv``, https://github.com/US-CBO/eval-projections
.. [2] Congressional Budget Office, "An Evaluation of CBO's Projections of Deficits and Debt",
   https://www.cbo.gov/publication/60664
.. [3] Congressional Budget Office, "Budget and Economic Data", https://www.cbo.gov/data/budget-economic-data
"""

from __future__ import annotations

import pandas as pd

from geostress.data.sources._common import (
    Cursor,
    CsvTable,
    decode_utf8,
    fiscal_year_end,
    guarded,
    is_missing,
    parse_fiscal_year,
    read_csv_table,
    require_final_newline,
)
from geostress.data.sources.base import (
    UNIT_USD_BN,
    ParsedRelease,
    Query,
    check_unique_periods,
    make_frame,
    parse_number,
)
from geostress.data.sources.cbo_baselines import PINNED_COMMIT, raw_url, series_stem
from geostress.errors import ParseError

NAME = "cbo-actuals"
TITLE = "CBO actual budget outcomes and GDP by fiscal year"
PUBLISHER = "Congressional Budget Office (CBO)"
LICENSE = "U.S. Government work, public domain (17 U.S.C. 105)"

ACTUALS_COLUMNS = ["component", "category", "subcategory", "fiscal_year", "actual_value"]
GDP_COLUMNS = ["fiscal_year", "GDP"]


def build_queries(**options: str) -> list[Query]:
    """Say what to download: ``input_data/actuals.csv`` and ``input_data/actual_GDP.csv``.

    Parameters
    ----------
    **options
        ``ref``: branch, tag or commit of ``US-CBO/eval-projections`` (default: the commit checked for
        FY2025 actuals, :data:`~geostress.data.sources.cbo_baselines.PINNED_COMMIT`; ``ref="main"`` for the newest).

    Returns
    -------
    list[Query]
        Two queries, ``actuals.csv`` and ``actual_GDP.csv``; each file parses on its own.
    """
    ref = options.get("ref", PINNED_COMMIT)
    return [
        Query(url=raw_url("input_data/actuals.csv", ref), filename="actuals.csv"),
        Query(url=raw_url("input_data/actual_GDP.csv", ref), filename="actual_GDP.csv"),
    ]


def parse(raw: bytes, *, origin: str) -> ParsedRelease:
    """Parse ``actuals.csv`` or ``actual_GDP.csv`` (recognised by the header).

    Parameters
    ----------
    raw
        The file's bytes.
    origin
        File name or address, used in error messages.

    Returns
    -------
    ParsedRelease
        Observations ``series_id, label, period, value, unit`` (period = fiscal-year end, unit ``USD bn``);
        ``vintage`` is ``None``.

    Raises
    ------
    ParseError
        Neither layout, missing column, non-numeric value, bad fiscal year, unknown component, a fiscal year
        repeated within a series, truncated or undecodable file — naming file, line and field.
    """
    cursor = Cursor()
    return guarded(origin, lambda: _parse(raw, origin=origin, cursor=cursor), cursor=cursor)


def _detect(text: str, *, origin: str) -> list[str]:
    """The required columns of the layout the header announces."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    names = {c.strip().strip('"') for c in first.split(",")}
    if names & {"component", "actual_value", "subcategory"}:
        return ACTUALS_COLUMNS
    if "GDP" in names:
        return GDP_COLUMNS
    raise ParseError(
        f"unrecognised header {first[:120]!r}: expected {','.join(ACTUALS_COLUMNS)} (actuals.csv) "
        f"or {','.join(GDP_COLUMNS)} (actual_GDP.csv)",
        file=origin,
        line=text[: text.find(first)].count("\n") + 1 if first else 1,
        field="header",
        hint="this is not one of CBO's actuals files",
    )


def _parse(raw: bytes, *, origin: str, cursor: Cursor) -> ParsedRelease:
    text = decode_utf8(raw, origin=origin, header_field="header")
    required = _detect(text, origin=origin)
    table = read_csv_table(text, origin=origin, required=required)
    require_final_newline(text, origin=origin, publisher="CBO eval-projections")
    if required is GDP_COLUMNS:
        return _parse_gdp(table, origin=origin, cursor=cursor)
    rows: list[tuple[str, str, pd.Timestamp, float, str]] = []
    seen: dict[tuple[str, int], int] = {}
    for line, cells in table.rows:
        cursor.line, cursor.field = line, "component"
        stem, label = series_stem(
            table.cell(cells, "component"),
            table.cell(cells, "category"),
            table.cell(cells, "subcategory"),
            origin=origin,
            line=line,
        )
        cursor.field = "fiscal_year"
        year = parse_fiscal_year(table.cell(cells, "fiscal_year"), origin=origin, line=line, field="fiscal_year")
        cursor.field = "actual_value"
        cell = table.cell(cells, "actual_value")
        if is_missing(cell):
            continue
        value = parse_number(cell, origin=origin, line=line, field="actual_value")
        series_id = f"cbo.actual.{stem}"
        _check_new(seen, (series_id, year), line=line, origin=origin)
        rows.append((series_id, f"CBO actual: {label}", fiscal_year_end(year), value, UNIT_USD_BN))
    return _release(rows, table=table, origin=origin, field="actual_value")


def _parse_gdp(table: CsvTable, *, origin: str, cursor: Cursor) -> ParsedRelease:
    rows: list[tuple[str, str, pd.Timestamp, float, str]] = []
    seen: dict[tuple[str, int], int] = {}
    for line, cells in table.rows:
        cursor.line, cursor.field = line, "fiscal_year"
        year = parse_fiscal_year(table.cell(cells, "fiscal_year"), origin=origin, line=line, field="fiscal_year")
        cursor.field = "GDP"
        cell = table.cell(cells, "GDP")
        if is_missing(cell):
            continue
        value = parse_number(cell, origin=origin, line=line, field="GDP")
        _check_new(seen, ("cbo.actual.gdp", year), line=line, origin=origin)
        rows.append(
            ("cbo.actual.gdp", "CBO actual: Gross domestic product, fiscal year", fiscal_year_end(year), value, UNIT_USD_BN)
        )
    return _release(rows, table=table, origin=origin, field="GDP")


def _check_new(seen: dict[tuple[str, int], int], key: tuple[str, int], *, line: int, origin: str) -> None:
    first = seen.get(key)
    if first is not None:
        raise ParseError(
            f"fiscal year {key[1]} of series {key[0]} appears twice (first on line {first})",
            file=origin,
            line=line,
            field="fiscal_year",
            hint="the file is duplicated or damaged; download it again",
        )
    seen[key] = line


def _release(
    rows: list[tuple[str, str, pd.Timestamp, float, str]], *, table: CsvTable, origin: str, field: str
) -> ParsedRelease:
    if not rows:
        raise ParseError(
            "no values: every value cell is blank",
            file=origin,
            line=table.header_line + 1,
            field=field,
            hint="download the file again",
        )
    frame = make_frame(rows)
    check_unique_periods(frame, origin=origin)
    return ParsedRelease(observations=frame, source=NAME, vintage=None)
