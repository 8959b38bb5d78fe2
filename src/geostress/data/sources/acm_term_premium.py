"""ACM 10-year Treasury term premium (Adrian, Crump and Moench, Federal Reserve Bank of New York), daily.

The New York Fed publishes the term-structure model estimates of Adrian, Crump and Moench (2013) as the workbook
``ACMTermPremium.xls`` (sheet ``ACM Daily``); the 10-year zero-coupon term premium is its column ``ACMTP10``, in
percent. The estimate is **a model output, not an observed price**: the model is re-estimated at each update and the
whole history is revised, so every file is a vintage of its own (1961-06-14 is 0.089406 in the 2026-08-22 copy
and 0.087683 in a later one). Attribution to the authors and the New York Fed is required (see :data:`LICENSE`).

Layouts read by :func:`parse`
-----------------------------
* the ``date,value`` CSV of the public dashboard repository ``raylia529/market-indicators-dashboard``
  (``data/us-10y-term-premium.csv``), which its updater writes from the workbook's ``ACM Daily``/``ACMTP10``;
* the ``ACM Daily`` sheet saved as CSV: a header with ``DATE`` and ``ACMTP10`` (other ``ACM*`` columns are
  ignored); dates ``YYYY-MM-DD``, ``DD-Mon-YYYY`` (``14-Jun-1961``, as the workbook shows them) or ``MM/DD/YYYY``.

The workbook itself is a legacy Excel (BIFF) file, which geostress does not read; save its sheet as CSV first.

Series ids
----------
=========================  =========================================================================  =========
``acm.tp10``               10-year term premium, daily (business days, as published)                  percent
``acm.tp10.monthly_avg``   its calendar-month average (computed here from the daily values), dated    percent
                           at the month end; the last month is partial when the file ends mid-month
=========================  =========================================================================  =========

The monthly average (rounded to 6 decimals, the precision of the daily values) is the convention of FRED's monthly Treasury yields (``fred.gs10`` is the monthly average of
``fred.dgs10``), so that monthly changes of the term premium and of the 10-year yield compare like with like.
Blank or ``.`` cells are skipped; a date seen twice, or dates out of order, are errors (the file is damaged).

The CSV carries no release date: the vintage is the date the copy was made (the snapshot gives 2026-08-22).

References
----------
.. [1] T. Adrian, R. K. Crump and E. Moench, "Pricing the Term Structure with Linear Regressions", *Journal of
   Financial Economics* 110(1), 2013, pp. 110-138; Federal Reserve Bank of New York Staff Report 340.
.. [2] Federal Reserve Bank of New York, "Treasury Term Premia",
   https://www.newyorkfed.org/research/data_indicators/term-premia-tabs
.. [3] ``raylia529/market-indicators-dashboard``, ``data/us-10y-term-premium.csv``,
   https://github.com/raylia529/market-indicators-dashboard
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd

from geostress.data.sources._common import Cursor, decode_utf8, guarded, read_csv_table
from geostress.data.sources.base import UNIT_PERCENT, ParsedRelease, Query, make_frame, parse_number
from geostress.errors import ParseError

NAME = "acm-term-premium"
TITLE = "ACM 10-year Treasury term premium (model estimate, NY Fed), daily"
PUBLISHER = "Federal Reserve Bank of New York (Adrian, Crump and Moench term-structure model)"
LICENSE = (
    "Published free of charge by the Federal Reserve Bank of New York; not U.S. public domain (the NY Fed is not a "
    "federal agency) and redistribution terms are not stated: cite 'Adrian, Crump and Moench (2013), Federal "
    "Reserve Bank of New York' and keep this attribution with any copy"
)
ATTRIBUTION = "Adrian, Crump and Moench (2013), Federal Reserve Bank of New York; model estimate revised each vintage"

#: The NY Fed page and workbook (legacy XLS; save its ``ACM Daily`` sheet as CSV to import it).
OFFICIAL_PAGE = "https://www.newyorkfed.org/research/data_indicators/term-premia-tabs"
OFFICIAL_WORKBOOK = "https://www.newyorkfed.org/medialibrary/media/research/data_indicators/ACMTermPremium.xls"
#: Public mirror of the daily ``ACMTP10`` column and the commit of the checked copy (2026-08-22).
REPOSITORY = "raylia529/market-indicators-dashboard"
PINNED_COMMIT = "fc6c28e1bb08042c520a687a4e7ab5210b8e26a4"

DAILY_ID = "acm.tp10"
MONTHLY_ID = "acm.tp10.monthly_avg"
DAILY_LABEL = f"10-year Treasury term premium, daily (ACM model estimate; {ATTRIBUTION})"
MONTHLY_LABEL = f"10-year Treasury term premium, monthly average of daily values (ACM model estimate; {ATTRIBUTION})"

_MISSING = {"", ".", "na", "n/a", "nan"}
_DMY = re.compile(r"^(\d{1,2})-([A-Za-z]{3})-(\d{4})$")
_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def build_queries(**options: str) -> list[Query]:
    """Say what to download: the daily ``ACMTP10`` CSV of the public mirror.

    The New York Fed's own workbook (:data:`OFFICIAL_WORKBOOK`) is a legacy XLS, which this module does not read;
    the query points at the CSV copy its public mirror writes from that workbook.

    Parameters
    ----------
    **options
        ``ref``: branch, tag or commit of :data:`REPOSITORY` (default the checked commit :data:`PINNED_COMMIT`;
        ``ref="main"`` gets the newest vintage).

    Returns
    -------
    list[Query]
        One query, file name ``ACMTP10_daily.csv``.
    """
    ref = options.get("ref", PINNED_COMMIT)
    url = f"https://raw.githubusercontent.com/{REPOSITORY}/{ref}/data/us-10y-term-premium.csv"
    return [Query(url=url, filename="ACMTP10_daily.csv")]


def parse_day(cell: str, *, origin: str, line: int, field: str) -> date:
    """A date ``YYYY-MM-DD``, ``DD-Mon-YYYY`` or ``MM/DD/YYYY``, or a :class:`ParseError`."""
    text = cell.strip()
    try:
        if m := _ISO.match(text):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if (m := _DMY.match(text)) and m.group(2).lower() in _MONTHS:
            return date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
        if m := _MDY.match(text):
            return datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError:
        pass
    raise ParseError(
        f"expected a date (YYYY-MM-DD or DD-Mon-YYYY), found {text[:40]!r}", file=origin, line=line, field=field,
        hint="the file may be truncated or damaged; download it again",
    )


def parse(raw: bytes, *, origin: str) -> ParsedRelease:
    """Parse a daily ACM term-premium CSV into the daily series and its monthly average.

    Parameters
    ----------
    raw
        The file's bytes (``date,value`` mirror layout, or the ``ACM Daily`` sheet saved as CSV).
    origin
        File name or address, used in error messages.

    Returns
    -------
    ParsedRelease
        ``acm.tp10`` (daily) and ``acm.tp10.monthly_avg`` (month-end dated), unit ``percent``; ``vintage`` is
        ``None`` (the file carries no release date).

    Raises
    ------
    ParseError
        Wrong header, bad date, non-numeric value, a date twice or out of order, empty, truncated or undecodable
        file, a term premium outside ±20 percent; the message names file, line and field.

    References
    ----------
    .. [1] Adrian, Crump and Moench (2013); https://www.newyorkfed.org/research/data_indicators/term-premia-tabs
    """
    cursor = Cursor()
    return guarded(origin, lambda: _parse(raw, origin=origin, cursor=cursor), cursor=cursor)


def _parse(raw: bytes, *, origin: str, cursor: Cursor) -> ParsedRelease:
    text = decode_utf8(raw, origin=origin, header_field="header")
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    names = [c.strip().strip('"').lower() for c in first.split(",")]
    if "acmtp10" in names:
        table = read_csv_table(text, origin=origin, required=["date", "acmtp10"], rename=str.lower)
        date_col, value_col = "date", "acmtp10"
    else:
        table = read_csv_table(
            text, origin=origin, required=["date", "value"], rename=str.lower,
            what="an ACM term-premium file (date,value or the ACM Daily sheet with DATE and ACMTP10)",
        )
        date_col, value_col = "date", "value"
    date_field = table.header[table.columns[date_col]]
    value_field = table.header[table.columns[value_col]]
    days: list[pd.Timestamp] = []
    values: list[float] = []
    previous: tuple[date, int] | None = None
    for line, cells in table.rows:
        cursor.line, cursor.field = line, date_field
        day = parse_day(table.cell(cells, date_col), origin=origin, line=line, field=date_field)
        if previous is not None and day <= previous[0]:
            what = "appears twice" if day == previous[0] else f"comes after {previous[0]} (dates must increase)"
            raise ParseError(
                f"date {day} {what} (previous row on line {previous[1]})", file=origin, line=line, field=date_field,
                hint="the file is duplicated, reordered or damaged; download it again",
            )
        previous = (day, line)
        cursor.field = value_field
        cell = table.cell(cells, value_col)
        if cell.lower() in _MISSING:
            continue
        value = parse_number(cell, origin=origin, line=line, field=value_field)
        if abs(value) > 20:
            raise ParseError(
                f"term premium {value} percent is implausible (expected within ±20)", file=origin, line=line,
                field=value_field, hint="is the column in basis points, or is this another series?",
            )
        days.append(pd.Timestamp(day))
        values.append(value)
    cursor.line = cursor.field = None
    if not values:
        raise ParseError(
            "no values: every term-premium cell is blank", file=origin, line=table.header_line + 1, field=value_field,
            hint="download the file again",
        )
    daily = pd.Series(values, index=pd.DatetimeIndex(days))
    monthly = daily.groupby(daily.index.to_period("M")).mean()
    rows: list[tuple[str, str, pd.Timestamp | str, float, str]] = [
        (DAILY_ID, DAILY_LABEL, d, v, UNIT_PERCENT) for d, v in zip(days, values, strict=True)
    ]
    rows += [(MONTHLY_ID, MONTHLY_LABEL, p.to_timestamp(how="end").normalize(), round(float(v), 6), UNIT_PERCENT)
             for p, v in monthly.items()]
    return ParsedRelease(observations=make_frame(rows), source=NAME, vintage=None)
