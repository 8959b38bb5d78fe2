"""USGS Data Series 140, rare earths: U.S. and world statistics since 1900 (historical workbook).

The USGS "Historical Statistics for Mineral and Material Commodities in the United States" (Data Series 140)
give one workbook per commodity. The rare-earths workbook (sheet ``Rare earths``) has a title block (row 4:
"Last modification: September 27, 2023"), a header row ``Year, Production, Imports, Exports, Apparent
consumption, Unit value ($/t), Unit value (98$/t), World production`` and one row per year, 1900–2020, in metric
tons of rare-earth-oxide equivalent; ``NA`` (not available) and ``W`` (withheld) are skipped; footnote rows end
the table.

Series (dated 31 December of each year)
---------------------------------------
=======================================  ===========================================  ==================
``usgs.ree.hist.us.production``          U.S. production (mine, REO)                  ``metric tons REO``
``usgs.ree.hist.us.imports``             U.S. imports                                 ``metric tons REO``
``usgs.ree.hist.us.exports``             U.S. exports                                 ``metric tons REO``
``usgs.ree.hist.us.consumption``         U.S. apparent consumption                    ``metric tons REO``
``usgs.ree.hist.us.unit_value``          unit value, current dollars                  ``USD/t``
``usgs.ree.hist.us.unit_value_1998usd``  unit value, 1998 dollars                     ``USD 1998/t``
``usgs.ree.hist.world.mine_production``  world mine production                        ``metric tons REO``
=======================================  ===========================================  ==================

The unit values are import/export unit values (a price proxy, not a market oxide price) and the series ends in
2020; MCS 2026 (:mod:`.usgs_mcs`) bridges 2021–2025. The vintage is the "Last modification" date. The Minerals
Yearbook 2022 tables shipped alongside (advance release) are not read: the USITC trade files
(:mod:`.usitc_trade`) give U.S. imports by partner for more years.

References
----------
.. [1] C. A. DiFrancesco, J. B. Hedrick, D. J. Cordier and J. Gambogi, "Rare earths statistics", in U.S.
   Geological Survey, Historical Statistics for Mineral and Material Commodities in the United States, Data Series
   140, https://www.usgs.gov/media/files/rare-earths-historical-statistics-data-series-140
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd

from geostress.data.sources import _xlsx
from geostress.data.sources._common import Cursor, guarded, year_end
from geostress.data.sources.base import UNIT_METRIC_TONS_REO, ParsedRelease, Query, make_frame
from geostress.errors import ParseError

NAME = "usgs-ds140"
TITLE = "USGS Data Series 140: rare-earth statistics since 1900"
PUBLISHER = "U.S. Geological Survey, National Minerals Information Center"
LICENSE = "U.S. Government work, public domain (USGS)"

#: The USGS page of the workbook, and the file it links.
PAGE = "https://www.usgs.gov/media/files/rare-earths-historical-statistics-data-series-140"
URL = (
    "https://d9-wret.s3.us-west-2.amazonaws.com/assets/palladium/production/s3fs-public/media/files/"
    "ds140-rare-earths-2020.xlsx"
)
SHEET = "Rare earths"

#: Header cell (lower case) → (series id, label, unit).
COLUMNS: dict[str, tuple[str, str, str]] = {
    "production": ("usgs.ree.hist.us.production", "U.S. production", UNIT_METRIC_TONS_REO),
    "imports": ("usgs.ree.hist.us.imports", "U.S. imports", UNIT_METRIC_TONS_REO),
    "exports": ("usgs.ree.hist.us.exports", "U.S. exports", UNIT_METRIC_TONS_REO),
    "apparent consumption": ("usgs.ree.hist.us.consumption", "U.S. apparent consumption", UNIT_METRIC_TONS_REO),
    "unit value ($/t)": ("usgs.ree.hist.us.unit_value", "Unit value, current dollars", "USD/t"),
    "unit value (98$/t)": ("usgs.ree.hist.us.unit_value_1998usd", "Unit value, 1998 dollars", "USD 1998/t"),
    "world production": ("usgs.ree.hist.world.mine_production", "World mine production", UNIT_METRIC_TONS_REO),
}

_MODIFIED = re.compile(r"last modification:\s*([A-Za-z]+ \d{1,2}, \d{4})", re.I)


def build_queries(**options: str) -> list[Query]:
    """Say what to download: the DS140 rare-earths workbook.

    Parameters
    ----------
    **options
        ``url``: another address of the workbook (default :data:`URL`, the file :data:`PAGE` links).

    Returns
    -------
    list[Query]
        One query, file name ``ds140-rare-earths.xlsx``.
    """
    return [Query(url=options.get("url", URL), filename="ds140-rare-earths.xlsx")]


def parse(raw: bytes, *, origin: str) -> ParsedRelease:
    """Parse the DS140 rare-earths workbook.

    Parameters
    ----------
    raw
        The XLSX bytes.
    origin
        File name or address, used in error messages.

    Returns
    -------
    ParsedRelease
        ``usgs.ree.hist.*`` series (module notes); ``vintage`` is the "Last modification" date, if printed.

    Raises
    ------
    ParseError
        Not an XLSX, no ``Rare earths`` sheet, no header row, a missing column, a bad year, a year twice or out of
        order, a non-numeric or negative cell; naming file, sheet row (``line``) and column.

    References
    ----------
    .. [1] https://www.usgs.gov/media/files/rare-earths-historical-statistics-data-series-140
    """
    cursor = Cursor()
    return guarded(origin, lambda: _parse(raw, origin=origin, cursor=cursor), cursor=cursor)


def _parse(raw: bytes, *, origin: str, cursor: Cursor) -> ParsedRelease:
    rows = _xlsx.sheet_rows(_xlsx.open_workbook(raw, origin=origin), SHEET, origin=origin)
    vintage: date | None = None
    header = None
    for i, row in enumerate(rows[:30]):
        first = _xlsx.text(row[0]) if row else ""
        if vintage is None and (m := _MODIFIED.search(first)):
            vintage = datetime.strptime(m.group(1), "%B %d, %Y").date()
        if first.lower() == "year":
            header = i
            break
    if header is None:
        raise ParseError("no header row starting with 'Year'", file=origin, line=1, field="Year",
                         hint="this is not the DS140 rare-earths workbook, or its layout changed")
    names = [_xlsx.text(c).lower() for c in rows[header]]
    cols: dict[int, tuple[str, str, str]] = {}
    for key, spec in COLUMNS.items():
        if key not in names:
            raise ParseError(f"missing column {key!r}", file=origin, line=header + 1, field=key,
                             hint="the workbook's layout changed")
        cols[names.index(key)] = spec
    out: list[tuple[str, str, pd.Timestamp | str, float, str]] = []
    last: tuple[int, int] | None = None
    for i in range(header + 1, len(rows)):
        row, line = rows[i], i + 1
        first = row[0] if row else None
        if first is None and all(c is None for c in row):
            continue
        if isinstance(first, str) and not re.fullmatch(r"\s*\d{4}\s*", first):
            break  # the footnotes under the table
        cursor.line, cursor.field = line, "Year"
        year = int(first) if isinstance(first, (int, float)) and float(first).is_integer() else None
        if isinstance(first, str):
            year = int(first)
        if year is None or not 1800 <= year <= 2200:
            raise ParseError(f"expected a year, found {first!r}", file=origin, line=line, field="Year")
        if last is not None and year <= last[0]:
            raise ParseError(f"year {year} comes after {last[0]} (row {last[1]})", file=origin, line=line,
                             field="Year", hint="the workbook is damaged; download it again")
        last = (year, line)
        for col, (sid, label, unit) in cols.items():
            field = f"{rows[header][col]} ({_xlsx.column_letter(col)})"
            cursor.field = field
            value = _xlsx.number(row[col] if len(row) > col else None, origin=origin, line=line, field=field)
            if value is None:
                continue
            if value < 0:
                raise ParseError(f"negative value {value}", file=origin, line=line, field=field)
            out.append((sid, f"USGS DS140 rare earths: {label} ({unit})", year_end(year), value, unit))
    cursor.line = cursor.field = None
    if not out:
        raise ParseError("no yearly rows below the header", file=origin, line=header + 2, field="Year",
                         hint="the workbook is truncated; download it again")
    return ParsedRelease(observations=make_frame(out), source=NAME, vintage=vintage)
