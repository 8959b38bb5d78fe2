"""CBO economic projections ("History and Projections for Key Economic Variables"), one vintage per baseline.

With each *Budget and Economic Outlook* CBO publishes a zip of CSV files: ``Quarterly_<Month><Year>.csv``,
``Annual_CY_<Month><Year>.csv`` (calendar years) and ``Annual_FY_<Month><Year>.csv`` (fiscal years), each with a
``date`` column (``2025q1`` or ``2025``) and one column per variable, history followed by CBO's ten-year
projection; ``NA`` means not available. The vintage is the baseline's month (``February2026`` → 2026-02-01, the
convention of :mod:`.cbo_baselines`), read from the file name; the snapshot gives it explicitly. The ``README.txt``
of the zip says up to which release the history runs ("Actual values reflect data released as of December 3,
2025" for February 2026; December 4, 2024 for January 2025): later periods are CBO's projections.

Series
------
Only the variables geostress uses are kept (:data:`VARIABLES`), as ``cbo.econ.<variable>``:

===================================  ====================================================  =======================
``cbo.econ.gdp``                     nominal GDP, SAAR                                     ``USD bn``
``cbo.econ.real_gdp``                real GDP, SAAR                                        ``USD bn chained 2017``
``cbo.econ.potential_gdp``           nominal potential GDP                                 ``USD bn``
``cbo.econ.real_potential_gdp``      real potential GDP                                    ``USD bn chained 2017``
``cbo.econ.output_gap``              output gap, percent of potential GDP                  ``percent``
``cbo.econ.gdp_price_index``         GDP chain price index                                 ``index 2017=100``
``cbo.econ.pce_price_index``         PCE chain price index                                 ``index 2017=100``
``cbo.econ.core_pce_price_index``    PCE excluding food and energy                         ``index 2017=100``
``cbo.econ.cpiu``                    CPI-U, all items                                      ``index 1982-84=100``
``cbo.econ.core_cpiu``               CPI-U less food and energy                            ``index 1982-84=100``
``cbo.econ.unemployment_rate``       civilian unemployment rate                            ``percent``
``cbo.econ.treasury_note_rate_10yr`` 10-year Treasury note yield                           ``percent``
``cbo.econ.treasury_bill_rate_3mo``  3-month Treasury bill rate                            ``percent``
``cbo.econ.fed_funds_rate``          effective federal funds rate                          ``percent``
===================================  ====================================================  =======================

Frequencies: the calendar-year file gives ``cbo.econ.<variable>`` dated 31 December; the quarterly file gives
``cbo.econ.<variable>.q`` dated at the quarter end **and** ``cbo.econ.<variable>`` as the average of the four
quarters of each complete year (CBO's own calendar-year convention for rates, price indexes and annual-rate flows;
the label says "average of CBO's quarterly values"), so that every vintage has calendar-year values; the
fiscal-year file gives ``cbo.econ.<variable>.fy`` dated 30 September. The other variables of the files (income
components, labour force, oil and house prices, ...) are left out: nothing in geostress uses them.

References
----------
.. [1] Congressional Budget Office, *The Budget and Economic Outlook: 2026 to 2036*, February 2026,
   https://www.cbo.gov/publication/61882
.. [2] Congressional Budget Office, *The Budget and Economic Outlook: 2025 to 2035*, January 2025,
   https://www.cbo.gov/publication/60870
.. [3] Congressional Budget Office, "Budget and Economic Data", https://www.cbo.gov/data/budget-economic-data
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from geostress.data.sources._common import (
    Cursor,
    decode_utf8,
    fiscal_year_end,
    guarded,
    is_missing,
    read_csv_table,
    year_end,
)
from geostress.data.sources.base import UNIT_PERCENT, UNIT_USD_BN, ParsedRelease, Query, make_frame, parse_number
from geostress.errors import ParseError

NAME = "cbo-economic"
TITLE = "CBO economic projections (GDP, prices, rates, unemployment), by baseline vintage"
PUBLISHER = "Congressional Budget Office (CBO)"
LICENSE = "U.S. Government work, public domain (17 U.S.C. 105)"

_BN_2017 = "USD bn chained 2017"
_IDX_2017 = "index 2017=100"
_IDX_8284 = "index 1982-84=100"

#: CBO variable → (label, unit) of the series kept.
VARIABLES: dict[str, tuple[str, str]] = {
    "gdp": ("Gross domestic product (SAAR)", UNIT_USD_BN),
    "real_gdp": ("Real gross domestic product (SAAR)", _BN_2017),
    "potential_gdp": ("Nominal potential GDP", UNIT_USD_BN),
    "real_potential_gdp": ("Real potential GDP", _BN_2017),
    "output_gap": ("Output gap, percent of potential GDP", UNIT_PERCENT),
    "gdp_price_index": ("GDP chain price index", _IDX_2017),
    "pce_price_index": ("PCE chain price index", _IDX_2017),
    "core_pce_price_index": ("PCE excluding food and energy, chain price index", _IDX_2017),
    "cpiu": ("CPI-U, all items", _IDX_8284),
    "core_cpiu": ("CPI-U less food and energy", _IDX_8284),
    "unemployment_rate": ("Civilian unemployment rate", UNIT_PERCENT),
    "treasury_note_rate_10yr": ("10-year Treasury note yield", UNIT_PERCENT),
    "treasury_bill_rate_3mo": ("3-month Treasury bill rate", UNIT_PERCENT),
    "fed_funds_rate": ("Effective federal funds rate", UNIT_PERCENT),
}

#: Variables every file must have (the rest may be missing in an older vintage).
REQUIRED = ("date", "gdp", "real_gdp", "gdp_price_index", "treasury_note_rate_10yr")

#: CBO's data page (the zip of each vintage is linked from it).
DATA_PAGE = "https://www.cbo.gov/data/budget-economic-data"
#: Public copies of the two checked vintages (CBO's zips have no stable file address).
MIRRORS = {
    "2026-02": "https://raw.githubusercontent.com/andsalazar/FederalBudgetAnalysis/"
    "c8f5db0db5e2a508318a7f8117e4780dbf362eef/data/raw/Annual_CY_February2026.csv",
    "2025-01": "https://raw.githubusercontent.com/trinebsaether/TIO4550_Replication/"
    "68011a35f4f1f2d272f2df39d30ad8f63ca6fd27/data/CPr/CBO_Quarterly_January2025.csv",
}

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_VINTAGE_IN_NAME = re.compile(r"(" + "|".join(_MONTHS) + r")[_ -]?(\d{4})", re.I)
_QUARTER = re.compile(r"^(\d{4})\s*[qQ]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def build_queries(**options: str) -> list[Query]:
    """Say what to download: the CSV of each vintage in :data:`MIRRORS` (or one ``vintage=YYYY-MM`` of them).

    Parameters
    ----------
    **options
        ``vintage``: ``"2026-02"`` or ``"2025-01"`` (default both). Newer vintages: download CBO's zip from
        :data:`DATA_PAGE` and import its CSV with ``geostress data import FILE --source cbo-economic``.

    Returns
    -------
    list[Query]
        One query per vintage, named after CBO's file so that :func:`parse` reads the vintage from it.
    """
    chosen = [options["vintage"]] if options.get("vintage") else list(MIRRORS)
    out: list[Query] = []
    for v in chosen:
        if v not in MIRRORS:
            from geostress.errors import DataError

            raise DataError(f"no known copy of CBO's {v} economic projections; known: {', '.join(MIRRORS)}")
        out.append(Query(url=MIRRORS[v], filename=MIRRORS[v].rsplit("/", 1)[-1]))
    return out


def vintage_from_name(origin: str) -> date | None:
    """The baseline month named in a CBO file name: ``Annual_CY_February2026.csv`` → 2026-02-01."""
    name = re.split(r"[\\/]", origin)[-1]
    m = _VINTAGE_IN_NAME.search(name)
    if m is None:
        return None
    return date(int(m.group(2)), _MONTHS.index(m.group(1).lower()) + 1, 1)


def parse(raw: bytes, *, origin: str) -> ParsedRelease:
    """Parse one CBO economic-projections CSV (quarterly, calendar-year or fiscal-year).

    Parameters
    ----------
    raw
        The file's bytes.
    origin
        File name or address; a name like ``Annual_CY_February2026.csv`` gives the vintage, and ``_FY_`` in it
        marks fiscal years.

    Returns
    -------
    ParsedRelease
        ``cbo.econ.<variable>`` (calendar years), ``.q`` (quarters) or ``.fy`` (fiscal years), see the module
        notes; ``vintage`` is the baseline month from the file name, or ``None``.

    Raises
    ------
    ParseError
        Missing ``date`` or required variable column, a date that is neither ``YYYY`` nor ``YYYYqN``, mixed
        frequencies, a period twice, a non-numeric value; naming file, line and field.

    References
    ----------
    .. [1] https://www.cbo.gov/data/budget-economic-data
    """
    cursor = Cursor()
    return guarded(origin, lambda: _parse(raw, origin=origin, cursor=cursor), cursor=cursor)


def _parse(raw: bytes, *, origin: str, cursor: Cursor) -> ParsedRelease:
    text = decode_utf8(raw, origin=origin, header_field="date")
    table = read_csv_table(text, origin=origin, required=REQUIRED, what="a CBO economic-projections CSV")
    fiscal = bool(re.search(r"(^|[_\W])FY([_\W]|$)", re.split(r"[\\/]", origin)[-1]))
    kept = [v for v in VARIABLES if v in table.columns]
    rows: list[tuple[str, str, pd.Timestamp | str, float, str]] = []
    quarterly: dict[str, dict[int, list[float]]] = {v: {} for v in kept}
    frequency: str | None = None
    seen: dict[pd.Timestamp, int] = {}
    for line, cells in table.rows:
        cursor.line, cursor.field = line, "date"
        label = table.cell(cells, "date")
        if m := _QUARTER.match(label):
            freq, year = "q", int(m.group(1))
            period = pd.Timestamp(year=year, month=3 * int(m.group(2)), day=1) + pd.offsets.MonthEnd(0)
        elif m := _YEAR.match(label):
            freq, year = ("fy" if fiscal else "cy"), int(m.group(1))
            period = fiscal_year_end(year) if fiscal else year_end(year)
        else:
            raise ParseError(
                f"expected a year (2026) or a quarter (2026q1), found {label[:40]!r}", file=origin, line=line,
                field="date", hint="the file is damaged or not a CBO economic-projections CSV",
            )
        if frequency is None:
            frequency = freq
        elif freq != frequency:
            raise ParseError(
                f"{label!r} mixes quarters and years in one file", file=origin, line=line, field="date",
                hint="the file is damaged; download it again",
            )
        if not 1900 <= year <= 2200:
            raise ParseError(f"year {year} is out of range", file=origin, line=line, field="date")
        if period in seen:
            raise ParseError(
                f"period {label} appears twice (first on line {seen[period]})", file=origin, line=line,
                field="date", hint="the file is duplicated or damaged; download it again",
            )
        seen[period] = line
        for var in kept:
            cursor.field = var
            cell = table.cell(cells, var)
            if is_missing(cell):
                continue
            value = parse_number(cell, origin=origin, line=line, field=var)
            label_, unit = VARIABLES[var]
            if freq == "q":
                rows.append((f"cbo.econ.{var}.q", f"{label_}, quarterly (CBO)", period, value, unit))
                quarterly[var].setdefault(year, []).append(value)
            elif freq == "fy":
                rows.append((f"cbo.econ.{var}.fy", f"{label_}, fiscal year (CBO)", period, value, unit))
            else:
                rows.append((f"cbo.econ.{var}", f"{label_}, calendar year (CBO)", period, value, unit))
    cursor.line = cursor.field = None
    for var, years in quarterly.items():
        label_, unit = VARIABLES[var]
        for year, values in years.items():
            if len(values) == 4:
                rows.append((f"cbo.econ.{var}", f"{label_}, calendar year (average of CBO's quarterly values)",
                             year_end(year), round(sum(values) / 4, 6), unit))
    if not rows:
        raise ParseError(
            "no values: every cell of the kept variables is NA", file=origin, line=table.header_line + 1,
            field="gdp", hint="download the file again",
        )
    return ParsedRelease(observations=make_frame(rows), source=NAME, vintage=vintage_from_name(origin))
