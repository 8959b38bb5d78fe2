"""China's official gold reserves, monthly, from SAFE's "Official reserve assets" (plus national scrapes).

China's State Administration of Foreign Exchange (SAFE) publishes the monthly SDDS template of official reserve
assets as one XLS workbook per month, listed on its English "Official reserve assets" page; gold is given as
"volume in millions of fine troy ounces". This module reads two CSV layouts derived from those workbooks:

1. ``china_gold_safe_monthly_derived.csv`` (``scraper_report_date, gold_tonnes_as_scraped,
   gold_million_troy_oz_recomputed, inferred_reference_month_end``): ``gold.safe.china`` in million troy
   ounces, the value of ``gold_million_troy_oz_recomputed`` at the end of ``inferred_reference_month_end``.
2. ``gold_history.csv`` of the scraper repository ``Borissapo/WGCReserves`` (``Date_Scraped, Country,
   Report_Date, Gold_Tonnes``):

   * China rows → the same ``gold.safe.china``. The scraper read SAFE's ounces, converted them to tonnes
     (÷ 32,150.7465 oz/t, two decimals) and dated each value by the folder of the XLS address, which is the
     publication month, not the reference month: the value labelled month *M* is the stock at the end of month
     *M − 1* (checked against SAFE's published ounce figures: label 2025-12-31 → 74.12 Moz = end-November 2025).
     So the period is the end of the month before ``Report_Date``, and the value is tonnes × 32,150.7466 / 10⁶
     rounded to 0.01, which recovers SAFE's two-decimal figure.
   * Other countries → ``gold.national.<country_slug>`` in ``tonnes`` with ``Report_Date`` as given. **Caveat:**
     these come from the scraper's readings of other central banks' pages (India, Poland, Turkey, Russia,
     Germany, Kazakhstan, Uzbekistan); dates are the scraper's report dates (weekly for some banks, irregular for
     Kazakhstan), and neither dates nor values were checked against the banks' own publications.

The layout is recognised by the header. The live SAFE workbook (OLE2 ``.xls``), the SAFE web page (HTML) and any
other layout raise a :class:`~geostress.errors.ParseError` that says so: reading the XLS directly needs a
spreadsheet parser that this module does not have.

The files carry no release date; :attr:`ParsedRelease.vintage` is ``None``.

References
----------
.. [1] State Administration of Foreign Exchange, "Official reserve assets",
   https://www.safe.gov.cn/en/2021/0203/1799.html
.. [2] International Monetary Fund, "International Reserves and Foreign Currency Liquidity: Guidelines for a
   Data Template" (the SDDS template SAFE's workbooks follow)
.. [3] ``Borissapo/WGCReserves``, ``data/gold_history.csv``, https://github.com/Borissapo/WGCReserves
"""

from __future__ import annotations

import re

import pandas as pd

from geostress.data.sources._common import (
    Cursor,
    CsvTable,
    decode_utf8,
    guarded,
    is_missing,
    month_end,
    read_csv_table,
)
from geostress.data.sources.base import (
    UNIT_MOZ,
    UNIT_TONNES,
    ParsedRelease,
    Query,
    check_unique_periods,
    make_frame,
    parse_number,
)
from geostress.data.sources.gold_wgc import OZ_PER_TONNE, country_slug, parse_month
from geostress.errors import ParseError

NAME = "gold-safe"
TITLE = "China official gold reserves, monthly (SAFE official reserve assets)"
PUBLISHER = "State Administration of Foreign Exchange of the People's Republic of China (SAFE)"
LICENSE = "SAFE public statistical release; see www.safe.gov.cn terms (attribution required)"

#: SAFE's English page listing the monthly "Official reserve assets" workbooks.
SAFE_PAGE = "https://www.safe.gov.cn/en/2021/0203/1799.html"
REPOSITORY = "Borissapo/WGCReserves"
PINNED_COMMIT = "887397f7937e632d08e462c31f6d4141f1652d1b"

DERIVED_COLUMNS = ["inferred_reference_month_end", "gold_million_troy_oz_recomputed"]
HISTORY_COLUMNS = ["Country", "Report_Date", "Gold_Tonnes"]

LABEL_CHINA = "China official gold reserves, end of month (SAFE official reserve assets)"


def build_queries(**options: str) -> list[Query]:
    """Say what to download.

    Parameters
    ----------
    **options
        ``mirror="github"``: the scraper's ``gold_history.csv`` (parseable here) at ``ref`` (default
        :data:`PINNED_COMMIT`). Without it, SAFE's official page :data:`SAFE_PAGE`, which lists one XLS
        workbook per month; :func:`parse` rejects that page (and the workbooks) with a clear
        :class:`ParseError`, since reading them needs a spreadsheet parser.

    Returns
    -------
    list[Query]
        One query.
    """
    if options.get("mirror") == "github":
        ref = options.get("ref", PINNED_COMMIT)
        url = f"https://raw.githubusercontent.com/{REPOSITORY}/{ref}/data/gold_history.csv"
        return [Query(url=url, filename="gold_history.csv")]
    return [Query(url=SAFE_PAGE, filename="safe_official_reserve_assets.html")]


def tonnes_to_moz(tonnes: float) -> float:
    """Tonnes → million troy ounces, rounded to 0.01 as SAFE publishes them."""
    return round(tonnes * OZ_PER_TONNE / 1e6, 2)


def parse(raw: bytes, *, origin: str) -> ParsedRelease:
    """Parse the derived China CSV or the scraper's ``gold_history.csv`` (recognised by the header).

    Parameters
    ----------
    raw
        The file's bytes.
    origin
        File name or address, used in error messages.

    Returns
    -------
    ParsedRelease
        ``gold.safe.china`` (million troy oz, month-end) and, from ``gold_history.csv``,
        ``gold.national.<country_slug>`` (tonnes, report date); ``vintage`` is ``None``.

    Raises
    ------
    ParseError
        Unrecognised layout (SAFE XLS workbook, HTML page, other CSV), missing column, bad date, non-numeric or
        negative value, a repeated period, truncated or undecodable file — naming file, line and field.
    """
    cursor = Cursor()
    return guarded(origin, lambda: _parse(raw, origin=origin, cursor=cursor), cursor=cursor)


def _layout(raw: bytes, *, origin: str) -> tuple[str, str]:
    """``("derived" or "history", decoded text)``, from the header; a :class:`ParseError` for anything else."""
    if isinstance(raw, (bytes, bytearray)) and raw[:4] in (b"\xd0\xcf\x11\xe0", b"PK\x03\x04"):
        raise ParseError(
            "this is a spreadsheet workbook (XLS/XLSX), e.g. SAFE's monthly official reserve assets table; "
            "this parser reads only the CSV layouts derived from it",
            file=origin,
            line=1,
            field="header",
            hint="a dedicated XLS parser is needed for the live SAFE workbooks; use gold_history.csv "
            "(build_queries(mirror='github')) or the derived CSV",
        )
    text = decode_utf8(raw, origin=origin, header_field="header")
    lines = text.splitlines()
    index = next((i for i, ln in enumerate(lines) if ln.strip()), 0)
    first = lines[index] if lines else ""
    if first.lstrip().startswith("<"):
        raise ParseError(
            "this is an HTML page (SAFE's official reserve assets page?), not a data file",
            file=origin,
            line=index + 1,
            field="header",
            hint="the page links one XLS workbook per month, which needs a dedicated parser; use gold_history.csv "
            "(build_queries(mirror='github')) or the derived CSV",
        )
    names = {c.strip().strip('"') for c in first.split(",")}
    if names & {"inferred_reference_month_end", "gold_million_troy_oz_recomputed", "scraper_report_date"}:
        return "derived", text
    if names & {"Report_Date", "Gold_Tonnes", "Date_Scraped"}:
        return "history", text
    raise ParseError(
        f"unrecognised layout, header {first[:120]!r}: expected {','.join(DERIVED_COLUMNS)} "
        f"(china_gold_safe_monthly_derived.csv) or {','.join(HISTORY_COLUMNS)} (gold_history.csv)",
        file=origin,
        line=index + 1,
        field="header",
        hint="the live SAFE XLS workbooks need a dedicated parser",
    )


def _parse(raw: bytes, *, origin: str, cursor: Cursor) -> ParsedRelease:
    layout, text = _layout(raw, origin=origin)
    if layout == "derived":
        table = read_csv_table(text, origin=origin, required=DERIVED_COLUMNS)
        rows = _derived_rows(table, origin=origin, cursor=cursor)
    else:
        table = read_csv_table(text, origin=origin, required=HISTORY_COLUMNS)
        rows = _history_rows(table, origin=origin, cursor=cursor)
    cursor.line, cursor.field = None, None
    if not rows:
        raise ParseError("no values: every value cell is blank", file=origin, line=table.header_line + 1, field="value")
    frame = make_frame(rows)
    check_unique_periods(frame, origin=origin)
    return ParsedRelease(observations=frame, source=NAME, vintage=None)


Row = tuple[str, str, pd.Timestamp, float, str]


def _derived_rows(table: CsvTable, *, origin: str, cursor: Cursor) -> list[Row]:
    rows: list[Row] = []
    seen: dict[pd.Timestamp, int] = {}
    for line, cells in table.rows:
        cursor.line, cursor.field = line, "inferred_reference_month_end"
        period = parse_month(
            table.cell(cells, "inferred_reference_month_end"),
            origin=origin,
            line=line,
            field="inferred_reference_month_end",
        )
        cursor.field = "gold_million_troy_oz_recomputed"
        cell = table.cell(cells, "gold_million_troy_oz_recomputed")
        if is_missing(cell):
            continue
        value = _non_negative(cell, origin=origin, line=line, field="gold_million_troy_oz_recomputed")
        _check_new(seen, period, "gold.safe.china", line=line, origin=origin, field="inferred_reference_month_end")
        rows.append(("gold.safe.china", LABEL_CHINA, period, value, UNIT_MOZ))
    return rows


def _history_rows(table: CsvTable, *, origin: str, cursor: Cursor) -> list[Row]:
    rows: list[Row] = []
    seen: dict[tuple[str, pd.Timestamp], int] = {}
    for line, cells in table.rows:
        cursor.line, cursor.field = line, "Country"
        country = table.cell(cells, "Country")
        slug = country_slug(country)
        if not slug:
            raise ParseError(f"expected a country name, found {country!r}", file=origin, line=line, field="Country")
        cursor.field = "Report_Date"
        text = table.cell(cells, "Report_Date")
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
        try:
            if m is None or not 1800 <= int(m.group(1)) <= 2200:
                raise ValueError(text)
            reported = pd.Timestamp(year=int(m.group(1)), month=int(m.group(2)), day=int(m.group(3)))
        except ValueError:
            raise ParseError(
                f"expected a date YYYY-MM-DD, found {text!r}", file=origin, line=line, field="Report_Date"
            ) from None
        cursor.field = "Gold_Tonnes"
        cell = table.cell(cells, "Gold_Tonnes")
        if is_missing(cell):
            continue
        tonnes = _non_negative(cell, origin=origin, line=line, field="Gold_Tonnes")
        if slug == "china":
            # Report month M holds the end-of-month stock of M - 1 (see the module docstring).
            prior = reported.to_period("M") - 1
            period = month_end(prior.year, prior.month)
            series_id, label, value, unit = "gold.safe.china", LABEL_CHINA, tonnes_to_moz(tonnes), UNIT_MOZ
        else:
            period = reported
            series_id = f"gold.national.{slug}"
            label = f"Official gold reserves, {country} (national central-bank figure as scraped; unchecked)"
            value, unit = tonnes, UNIT_TONNES
        key = (series_id, period)
        _check_new(seen, key, series_id, line=line, origin=origin, field="Report_Date")
        rows.append((series_id, label, period, value, unit))
    return rows


def _non_negative(cell: str, *, origin: str, line: int, field: str) -> float:
    value = parse_number(cell, origin=origin, line=line, field=field)
    if value < 0:
        raise ParseError(f"negative gold holding {cell.strip()!r}", file=origin, line=line, field=field)
    return value


def _check_new(
    seen: dict, key: object, series_id: str, *, line: int, origin: str, field: str
) -> None:
    first = seen.get(key)
    if first is not None:
        period = key[1] if isinstance(key, tuple) else key
        raise ParseError(
            f"period {pd.Timestamp(period):%Y-%m-%d} of series {series_id} appears twice (first on line {first})",
            file=origin,
            line=line,
            field=field,
            hint="the file is duplicated or damaged; download it again",
        )
    seen[key] = line
