"""USITC DataWeb: U.S. imports and exports of rare-earth compounds, metals and magnets by partner, since 1993.

The U.S. International Trade Commission's DataWeb (official Census merchandise-trade statistics) exports a query
as an XLSX workbook: a ``Query Parameters`` sheet (row 1: ``Download Date``; ``Trade Flow``) and one sheet per
measure — imports: ``Customs Value``, ``First Unit of Quantity``, ``Second Unit of Quantity`` and their ``... YTD``
twins; exports: ``FAS Value``, ... Each measure sheet has two title rows, then the header ``Data Type, Country,
HTS Number, Description, Quantity Description, 1993, ..., 2026`` (``1993_Year_to_date``, ... in the YTD sheets),
one row per country, HTS heading and quantity unit, and a final ``Total:`` row. Values are US dollars (value
sheets) or the stated quantity unit.

What is kept (:data:`HEADINGS`)
-------------------------------
Only the three rare-earth headings: **2846** (compounds of rare-earth metals, yttrium or scandium), **2805**
(alkali or alkaline-earth metals; rare-earth metals, scandium and yttrium — the heading also holds sodium,
calcium, ...) and **8505** (permanent magnets, and electromagnets and magnet parts: not only NdFeB). The other 22
headings of the query (graphite, cobalt, tungsten, ...) are left out: geostress models rare earths only.

Series (``<flow>`` = ``imports`` or ``exports``; ``<partner>`` a slug, e.g. ``china``, ``myanmar_burma``)
--------------------------------------------------------------------------------------------------------------
==================================================  =========================================  =============
``usitc.<flow>.hts<NNNN>.value.<partner>``          customs value (imports) or FAS value         ``USD mn``
                                                    (exports), calendar year, 1993–2025
``usitc.<flow>.hts<NNNN>.value_jan_apr.<partner>``  the same for January–April of each year      ``USD mn``
                                                    (the YTD sheet), dated 30 April; 1993–2026
``usitc.<flow>.hts<NNNN>.tonnes.<partner>``         first unit of quantity where it is           ``tonnes``
                                                    kilograms (2846, 2805), calendar year
==================================================  =========================================  =============

``<partner>`` ``partners18`` is the sum over the 18 partners of the query — **not the world total** (the query
selected Australia, Brazil, Canada, Chile, China, DR Congo, Estonia, France, Germany, Hong Kong, India, Japan,
Malaysia, Myanmar, Russia, South Africa, South Korea and Vietnam): shares computed from these series are shares of
those 18 origins. A heading reported under several quantity units (8505: "number", "kilograms", "no units
collected") has its value summed over them; its quantity is not stored (units differ). The full-year ``2026``
column holds January–April only and is not stored as a year (use ``value_jan_apr``). The vintage is the
download date of the ``Query Parameters`` sheet.

References
----------
.. [1] U.S. International Trade Commission, DataWeb, https://dataweb.usitc.gov/
.. [2] U.S. Census Bureau, U.S. merchandise trade statistics (source of DataWeb).
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd

from geostress.data.sources import _xlsx
from geostress.data.sources._common import Cursor, guarded, year_end
from geostress.data.sources.base import UNIT_TONNES, UNIT_USD_MN, ParsedRelease, Query, make_frame, slugify
from geostress.errors import ParseError

NAME = "usitc-trade"
TITLE = "USITC DataWeb: U.S. trade in rare-earth compounds, metals and magnets by partner"
PUBLISHER = "U.S. International Trade Commission (DataWeb), from U.S. Census Bureau trade statistics"
LICENSE = "U.S. Government work, public domain"

DATAWEB = "https://dataweb.usitc.gov/"
#: Public copies of the two checked query exports (DataWeb queries are interactive; no stable file address).
MIRROR = "https://raw.githubusercontent.com/therealjameswilson/critical-minerals-records-stage-v3/{commit}/data/raw/{name}"
FILES = {
    "us_imports_for_consumption_1993-2026.xlsx": "2827f749f29b2fda9d4980a4ba1e37486c45829e",
    "us_domestic_exports_1993-2026.xlsx": "5f2e160d15f17e80ac292db9a3c0867b05dc96f6",
}

#: HTS headings kept → short description.
HEADINGS: dict[str, str] = {
    "2846": "rare-earth compounds (HTS 2846)",
    "2805": "alkali, alkaline-earth and rare-earth metals (HTS 2805)",
    "8505": "permanent magnets and electromagnets (HTS 8505)",
}
#: Flow (``Query Parameters`` → ``Trade Flow``) → (series stem, value sheet, quantity sheet).
FLOWS = {
    "imports for consumption": ("imports", "Customs Value", "First Unit of Quantity"),
    "domestic exports": ("exports", "FAS Value", "First Unit of Quantity"),
}
#: Headings whose quantity is stored (reported in kilograms only; 8505 mixes units and is value only).
QUANTITY_HEADINGS = ("2846", "2805")
HEADER = ["Data Type", "Country", "HTS Number", "Description", "Quantity Description"]
PARTNER_TOTAL = "partners18"

_PARTNER_SLUGS = {"democratic_republic_of_the_congo": "dr_congo"}
_YEAR_COL = re.compile(r"^(\d{4})(_Year_to_date)?$")


def build_queries(**options: str) -> list[Query]:
    """Say what to download: the imports and exports workbooks (public copies of the checked DataWeb exports).

    Parameters
    ----------
    **options
        ``flow``: ``imports`` or ``exports`` (default both). Newer data: run the same query on :data:`DATAWEB`
        and import the workbook with ``geostress data import FILE --source usitc-trade``.

    Returns
    -------
    list[Query]
        One query per workbook.
    """
    flow = options.get("flow")
    names = [n for n in FILES if flow is None or (flow == "imports") == ("imports" in n)]
    return [Query(url=MIRROR.format(commit=FILES[n], name=n), filename=n) for n in names]


def partner_slug(name: str) -> str:
    """``"Myanmar (Burma)"`` → ``myanmar_burma``; ``"Democratic Republic of the Congo"`` → ``dr_congo``."""
    slug = slugify(name)
    return _PARTNER_SLUGS.get(slug, slug)


def parse(raw: bytes, *, origin: str) -> ParsedRelease:
    """Parse a DataWeb export (imports for consumption or domestic exports) into the rare-earth series.

    Parameters
    ----------
    raw
        The XLSX bytes.
    origin
        File name or address, used in error messages.

    Returns
    -------
    ParsedRelease
        ``usitc.*`` series (module notes); ``vintage`` is the query's download date.

    Raises
    ------
    ParseError
        Not an XLSX, a missing sheet or column, an unknown trade flow, a non-numeric or negative cell, a
        country, heading and unit twice; naming file, sheet row (``line``) and column (sheet name in the field).

    References
    ----------
    .. [1] https://dataweb.usitc.gov/
    """
    cursor = Cursor()
    return guarded(origin, lambda: _parse(raw, origin=origin, cursor=cursor), cursor=cursor)


def _params(book: object, origin: str) -> tuple[str, date | None]:
    rows = _xlsx.sheet_rows(book, "Query Parameters", origin=origin)
    found: dict[str, object] = {}
    for row in rows:
        if row and row[0] is not None and len(row) > 1:
            found.setdefault(_xlsx.text(row[0]).lower(), row[1])
    flow = _xlsx.text(found.get("trade flow")).lower()
    if flow not in FLOWS:
        raise ParseError(
            f"unknown trade flow {flow!r}", file=origin, line=3, field="Query Parameters: Trade Flow",
            hint=f"expected one of {', '.join(FLOWS)}",
        )
    when = found.get("download date")
    vintage = when.date() if isinstance(when, datetime) else None
    return flow, vintage


def _sheet(book: object, name: str, origin: str) -> tuple[list[tuple[object, ...]], int, dict[int, tuple[int, bool]]]:
    """Rows of a measure sheet, the index of its header row and ``column → (year, year-to-date?)``."""
    rows = _xlsx.sheet_rows(book, name, origin=origin)
    header = next((i for i, r in enumerate(rows[:10]) if r and _xlsx.text(r[0]) == "Data Type"), None)
    if header is None:
        raise ParseError("no header row starting with 'Data Type'", file=origin, line=1, field=name,
                         hint="this is not a DataWeb export, or its layout changed")
    cells = [_xlsx.text(c) for c in rows[header]]
    for i, col in enumerate(HEADER):
        if i >= len(cells) or cells[i] != col:
            raise ParseError(f"expected column {col!r}, found {cells[i] if i < len(cells) else ''!r}", file=origin,
                             line=header + 1, field=f"{name}: {col}", hint="the export's layout changed")
    years: dict[int, tuple[int, bool]] = {}
    for j, cell in enumerate(cells[len(HEADER):], start=len(HEADER)):
        if m := _YEAR_COL.match(cell):
            years[j] = (int(m.group(1)), bool(m.group(2)))
    if not years:
        raise ParseError("no year columns (1993, 1994, ...)", file=origin, line=header + 1, field=name,
                         hint="the export's layout changed")
    return rows, header, years


def _parse(raw: bytes, *, origin: str, cursor: Cursor) -> ParsedRelease:
    book = _xlsx.open_workbook(raw, origin=origin)
    flow, vintage = _params(book, origin)
    stem, value_sheet, qty_sheet = FLOWS[flow]
    totals: dict[tuple[str, str, pd.Timestamp], float] = {}
    series: dict[tuple[str, str, pd.Timestamp], float] = {}
    labels: dict[str, str] = {}
    for sheet, measure in ((value_sheet, "value"), (value_sheet + " YTD", "value_jan_apr"), (qty_sheet, "tonnes")):
        rows, header, years = _sheet(book, sheet, origin)
        seen: dict[tuple[str, str, str], int] = {}
        for i in range(header + 1, len(rows)):
            row, line = rows[i], i + 1
            first = _xlsx.text(row[0]) if row else ""
            if not first or first.lower().startswith("total"):
                continue
            cursor.line, cursor.field = line, f"{sheet}: HTS Number"
            hts = _xlsx.text(row[2]).split(".")[0] if len(row) > 2 else ""
            if hts not in HEADINGS:
                continue
            country, unit_text = _xlsx.text(row[1]), _xlsx.text(row[4]).lower()
            partner = partner_slug(country)
            if not partner:
                raise ParseError("empty country", file=origin, line=line, field=f"{sheet}: Country")
            key = (partner, hts, unit_text)
            if key in seen:
                raise ParseError(
                    f"{country} / {hts} / {unit_text} appears twice (first on row {seen[key]})", file=origin,
                    line=line, field=f"{sheet}: Country", hint="the export is damaged; download it again",
                )
            seen[key] = line
            if measure == "tonnes" and (unit_text != "kilograms" or hts not in QUANTITY_HEADINGS):
                continue
            sid = f"usitc.{stem}.hts{hts}.{measure}"
            what = {"value": "value", "value_jan_apr": "value, January-April", "tonnes": "quantity"}[measure]
            labels[f"{sid}.{partner}"] = f"USITC DataWeb: U.S. {stem} of {HEADINGS[hts]}, {what}: {country}"
            labels[f"{sid}.{PARTNER_TOTAL}"] = (
                f"USITC DataWeb: U.S. {stem} of {HEADINGS[hts]}, {what}: sum of the 18 partners queried (not world)"
            )
            for col, (year, ytd) in years.items():
                if measure != "value_jan_apr" and (ytd or year >= 2026):
                    continue  # the full-year 2026 column is January-April only
                if measure == "value_jan_apr" and not ytd:
                    continue
                field = f"{sheet}: {_xlsx.text(rows[header][col])}"
                cursor.field = field
                value = _xlsx.number(row[col] if len(row) > col else None, origin=origin, line=line, field=field)
                if value is None:
                    continue
                if value < 0:
                    raise ParseError(f"negative trade value {value}", file=origin, line=line, field=field)
                period = pd.Timestamp(year=year, month=4, day=30) if ytd else year_end(year)
                scaled = value / 1e6 if measure.startswith("value") else value / 1000
                series[(sid, partner, period)] = series.get((sid, partner, period), 0.0) + scaled
                totals[(sid, PARTNER_TOTAL, period)] = totals.get((sid, PARTNER_TOTAL, period), 0.0) + scaled
    cursor.line = cursor.field = None
    if not series:
        raise ParseError(f"no rows for HTS {', '.join(HEADINGS)}", file=origin, line=4, field=value_sheet,
                         hint="the query did not include the rare-earth headings")
    out = []
    for (sid, partner, period), value in {**series, **totals}.items():
        unit = UNIT_TONNES if sid.endswith(".tonnes") else UNIT_USD_MN
        out.append((f"{sid}.{partner}", labels[f"{sid}.{partner}"] + f" ({unit})", period, round(value, 9), unit))
    return ParsedRelease(observations=make_frame(out), source=NAME, vintage=vintage)
