"""Monthly gold price, US dollars per troy ounce, from the World Bank's Pink Sheet (since January 1960).

The World Bank's Commodity Markets team publishes ``CMO-Historical-Data-Monthly.xlsx`` ("The Pink Sheet",
historical data). Sheet ``Monthly Prices`` holds one row per month from ``1960M01`` (row 7 in the checked copy)
and one column per commodity, with the commodity name on one header row (``Gold``) and its unit on the next
(``($/troy oz)``). Row 4 says when the workbook was updated (``Updated on July 02, 2026``): that date is the
release vintage.

Series
------
=====================  =============================================================  ======================
``worldbank.gold``     gold, monthly average price, dated at the month end             ``USD/troy oz``
=====================  =============================================================  ======================

Definition (the workbook's ``Description`` sheet): "Gold, spot average of daily rates, from June 2025; previously
(UK), 99.5% fine, London afternoon fixing, average of daily rates" — the monthly average of the LBMA Gold Price PM
through May 2025, a spot average after: **a series break in June 2025**, and an average, not a month-end price.
The current workbook rounds gold to whole dollars. The other 70 commodities of the sheet (silver, platinum, oil,
copper, ...) and the ``Monthly Indices`` sheet are not kept: geostress values gold reserves only.

References
----------
.. [1] World Bank, "Commodity Markets" (Pink Sheet data), https://www.worldbank.org/en/research/commodity-markets
.. [2] World Bank Commodity Price Data (The Pink Sheet), CC BY 4.0.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd

from geostress.data.sources import _xlsx
from geostress.data.sources._common import Cursor, guarded, month_end
from geostress.data.sources.base import ParsedRelease, Query, make_frame
from geostress.errors import ParseError

NAME = "gold-worldbank"
TITLE = "Gold price, monthly average (World Bank Pink Sheet)"
PUBLISHER = "World Bank, Prospects Group (Commodity Markets, 'The Pink Sheet')"
LICENSE = "CC BY 4.0: attribute 'World Bank Commodity Price Data (The Pink Sheet)'"

URL = (
    "https://thedocs.worldbank.org/en/doc/74e8be41ceb20fa0da750cda2f6b9e4e-0050012026/related/"
    "CMO-Historical-Data-Monthly.xlsx"
)
SHEET = "Monthly Prices"
SERIES_ID = "worldbank.gold"
UNIT = "USD/troy oz"
LABEL = (
    "Gold price, monthly average (LBMA PM fix average to May 2025, spot average from June 2025), "
    "World Bank Pink Sheet"
)

_MONTH = re.compile(r"^(\d{4})M(\d{2})$")
_UPDATED = re.compile(r"updated on\s+([A-Za-z]+ \d{1,2}, \d{4})", re.I)


def build_queries(**options: str) -> list[Query]:
    """Say what to download: the Pink Sheet's monthly historical workbook.

    Parameters
    ----------
    **options
        ``url``: another address of the workbook (the World Bank moves it with each release; the page
        https://www.worldbank.org/en/research/commodity-markets links the current one).

    Returns
    -------
    list[Query]
        One query, file name ``CMO-Historical-Data-Monthly.xlsx``.
    """
    return [Query(url=options.get("url", URL), filename="CMO-Historical-Data-Monthly.xlsx")]


def parse(raw: bytes, *, origin: str) -> ParsedRelease:
    """Parse the Pink Sheet's monthly workbook into the monthly gold price.

    Parameters
    ----------
    raw
        Bytes of ``CMO-Historical-Data-Monthly.xlsx``.
    origin
        File name or address, used in error messages.

    Returns
    -------
    ParsedRelease
        ``worldbank.gold`` in ``USD/troy oz`` at month-end dates; ``vintage`` is the workbook's "Updated on" date
        (``None`` when the workbook does not print one).

    Raises
    ------
    ParseError
        Not an XLSX workbook, no ``Monthly Prices`` sheet, no ``Gold`` column, a bad month label, a month twice
        or out of order, a non-numeric or non-positive price; the message names the file, the sheet row (as
        ``line``) and the column.

    References
    ----------
    .. [1] https://www.worldbank.org/en/research/commodity-markets
    """
    cursor = Cursor()
    return guarded(origin, lambda: _parse(raw, origin=origin, cursor=cursor), cursor=cursor)


def _parse(raw: bytes, *, origin: str, cursor: Cursor) -> ParsedRelease:
    rows = _xlsx.sheet_rows(_xlsx.open_workbook(raw, origin=origin), SHEET, origin=origin)
    vintage: date | None = None
    header_row = gold_col = None
    for i, row in enumerate(rows[:20]):
        first = _xlsx.text(row[0]) if row else ""
        if vintage is None and (m := _UPDATED.search(first)):
            vintage = datetime.strptime(m.group(1), "%B %d, %Y").date()
        names = [_xlsx.text(c).lower() for c in row]
        if "gold" in names:
            header_row, gold_col = i, names.index("gold")
            break
    if header_row is None or gold_col is None:
        raise ParseError(
            f"no 'Gold' column in the header rows of sheet {SHEET!r}", file=origin, line=1, field="Gold",
            hint="this is not the Pink Sheet's monthly workbook, or its layout changed",
        )
    field = f"Gold ({_xlsx.column_letter(gold_col)})"
    unit_row = rows[header_row + 1] if header_row + 1 < len(rows) else ()
    unit = _xlsx.text(unit_row[gold_col]) if len(unit_row) > gold_col else ""
    if unit.replace(" ", "").lower() != "($/troyoz)":
        raise ParseError(
            f"the gold column's unit is {unit!r}, expected '($/troy oz)'", file=origin, line=header_row + 2,
            field=field, hint="the workbook's layout changed; check the unit before using the prices",
        )
    out: list[tuple[str, str, pd.Timestamp | str, float, str]] = []
    last: tuple[pd.Timestamp, int] | None = None
    for i in range(header_row + 2, len(rows)):
        line, row = i + 1, rows[i]
        label = _xlsx.text(row[0]) if row else ""
        if not label and all(c is None for c in row):
            continue
        cursor.line, cursor.field = line, "month (A)"
        m = _MONTH.match(label)
        if m is None or not 1 <= int(m.group(2)) <= 12:
            raise ParseError(
                f"expected a month like 1960M01, found {label[:40]!r}", file=origin, line=line, field="month (A)",
                hint="the workbook may be damaged or its layout changed",
            )
        period = month_end(int(m.group(1)), int(m.group(2)))
        if last is not None and period <= last[0]:
            what = "appears twice" if period == last[0] else "is out of order"
            raise ParseError(
                f"month {label} {what} (previous on row {last[1]})", file=origin, line=line, field="month (A)",
                hint="the workbook is damaged; download it again",
            )
        last = (period, line)
        cursor.field = field
        value = _xlsx.number(row[gold_col] if len(row) > gold_col else None, origin=origin, line=line, field=field)
        if value is None:
            continue
        if value <= 0:
            raise ParseError(f"gold price {value} is not positive", file=origin, line=line, field=field)
        out.append((SERIES_ID, LABEL, period, value, UNIT))
    cursor.line = cursor.field = None
    if not out:
        raise ParseError(
            "no gold prices below the header", file=origin, line=header_row + 3, field=field,
            hint="the workbook is truncated; download it again",
        )
    return ParsedRelease(observations=make_frame(out), source=NAME, vintage=vintage)
