"""FRED (Federal Reserve Economic Data, St. Louis Fed): Treasury yields, federal debt, GDP and credit rates.

Series ids are ``fred.<lowercase FRED id>`` (``fred.dgs10``, ``fred.gfdebtn``). The series this module knows are
listed in :data:`SERIES` with their title, frequency and unit.

Units
-----
Rates are stored as published, unit ``"percent"`` (per annum; BAA10Y is a spread in percentage points, also
``"percent"``; so are UNRATE, the TIPS real yield DFII10 and the breakeven T10YIE). Price indexes keep their
published base (``"index 1982-84=100"`` for CPI, ``"index 2017=100"`` for PCE and the GDP deflator), real GDP and
CBO's potential GDP are ``"USD bn chained 2017"`` (SAAR for GDPC1) and the broad dollar index is
``"index Jan 2006=100"``. Every dollar amount is stored in **billions of US dollars** (``"USD bn"``): series FRED publishes
in millions (GFDEBTN, FYGFDPUN, TREAST, TRESEGCNM052N) are divided by 1,000 on parsing; series published in
billions (GDP, A091RC1Q027SBEA, FDHBFIN) are kept as they are. GDP and A091RC1Q027SBEA are seasonally adjusted
annual rates (SAAR), which the label says.

Periods
-------
FRED dates every observation by the *first* day of its period. Daily and weekly observations keep the date FRED
gives (the business day; the Wednesday of the H.4.1 week for TREAST; the Freddie Mac survey date for
MORTGAGE30US). Monthly observations are moved to the last day of the month (``1959-01-01`` → ``1959-01-31``) and
quarterly ones to the last day of the quarter (``1959-01-01`` → ``1959-03-31``), the period-end convention of
:class:`~geostress.data.sources.base.ParsedRelease`. A monthly date that is not the first of a month, or a
quarterly date that is not the first day of a quarter, is rejected: the file is not the series it claims to be.

Layouts read by :func:`parse`
-----------------------------
* the current ``fredgraph.csv`` download: header ``observation_date,DGS10`` (several series columns allowed),
  missing values empty;
* the legacy download: header ``DATE,DGS10``, missing values ``.``;
* a pandas export of a FRED series: header ``,FDHBFIN`` (unnamed date column);
* the generic ``date,value`` layout written by third-party pipelines: the series id is then taken from the
  origin (a ``series_id=``/``id=`` URL parameter, a known FRED id in the file name such as ``GS10.csv``, or a
  file name of :data:`FILE_ALIASES` such as ``us-10y-real-yield.csv`` → DFII10);
* the FRED API JSON (``fred/series/observations``, ``file_type=json``): the series id comes from the origin
  likewise, and the release vintage is the response's ``realtime_start``.

Values ``.`` and empty cells mean "no observation" and are skipped. CSV files carry no release date, so their
vintage is ``None`` (the importer then uses the retrieval date or the one the user gives).

References
----------
.. [1] Federal Reserve Bank of St. Louis, FRED, https://fred.stlouisfed.org/
.. [2] FRED API, ``fred/series/observations``,
   https://fred.stlouisfed.org/docs/api/fred/series_observations.html
.. [3] FRED Terms of Use, https://fred.stlouisfed.org/legal/
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from geostress.data.sources._common import (
    CsvRows,
    check_width,
    decode_utf8,
    guarded,
    json_record_line,
    parse_iso_date,
    require_final_newline,
)
from geostress.data.sources.base import (
    UNIT_PERCENT,
    UNIT_USD_BN,
    ParsedRelease,
    Query,
    make_frame,
    parse_number,
)
from geostress.errors import DataError, ParseError

NAME = "fred"
TITLE = "FRED: Treasury yields, federal debt, GDP, interest payments and credit rates"
PUBLISHER = "Federal Reserve Bank of St. Louis (FRED), redistributing the original publishers named per series"
LICENSE = (
    "FRED Terms of Use (https://fred.stlouisfed.org/legal/). Series from the Federal Reserve Board, U.S. Treasury "
    "and BEA are U.S. public-domain data; AAA, BAA and BAA10Y (Moody's), MORTGAGE30US (Freddie Mac) and "
    "TRESEGCNM052N (IMF) are copyrighted by their owners: cite them and check their terms before redistributing."
)

#: Keyless download of one series as CSV (``?id=SERIES``).
CSV_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv"
#: FRED API endpoint (needs a free API key).
API_URL = "https://api.stlouisfed.org/fred/series/observations"
#: Environment variable read by :func:`build_queries` when no ``api_key`` is passed.
API_KEY_ENV = "FRED_API_KEY"

DAILY, WEEKLY, MONTHLY, QUARTERLY = "D", "W", "M", "Q"


@dataclass(frozen=True)
class FredSeries:
    """What geostress knows about one FRED series.

    Attributes
    ----------
    id
        The FRED series id (upper case, as FRED spells it).
    title
        FRED's title, used as the label.
    frequency
        ``"D"``, ``"W"``, ``"M"`` or ``"Q"``.
    unit
        Unit stored (``"percent"`` or ``"USD bn"``).
    published_unit
        Unit FRED publishes.
    divisor
        Published value / divisor = stored value (1000 for millions → billions).
    original_source
        Who compiles the data that FRED redistributes.
    """

    id: str
    title: str
    frequency: str
    unit: str
    published_unit: str
    divisor: float
    original_source: str

    @property
    def series_id(self) -> str:
        """The geostress series id, ``fred.<lowercase id>``."""
        return f"fred.{self.id.lower()}"


def _s(sid: str, title: str, freq: str, unit: str, published: str, divisor: float, source: str) -> FredSeries:
    return FredSeries(sid, title, freq, unit, published, divisor, source)


_CMT = "Market Yield on U.S. Treasury Securities at {} Constant Maturity, Quoted on an Investment Basis"
_H15 = "Board of Governors of the Federal Reserve System, H.15 Selected Interest Rates"
_FISCAL = "U.S. Department of the Treasury, Fiscal Service"
_BEA = "U.S. Bureau of Economic Analysis"
_PCT = "percent"
_MN = "millions of U.S. dollars"
_BN = "billions of U.S. dollars"
_BLS = "U.S. Bureau of Labor Statistics"
#: Units of the price indexes, real output and the dollar index (as published; stored unchanged).
UNIT_INDEX_1982_84 = "index 1982-84=100"
UNIT_INDEX_2017 = "index 2017=100"
UNIT_INDEX_2006_01 = "index Jan 2006=100"
UNIT_USD_BN_2017 = "USD bn chained 2017"

#: The FRED series this module knows, by FRED id.
SERIES: dict[str, FredSeries] = {
    s.id: s
    for s in (
        _s("DGS3MO", _CMT.format("3-Month"), DAILY, UNIT_PERCENT, _PCT, 1, _H15),
        _s("DGS2", _CMT.format("2-Year"), DAILY, UNIT_PERCENT, _PCT, 1, _H15),
        _s("DGS5", _CMT.format("5-Year"), DAILY, UNIT_PERCENT, _PCT, 1, _H15),
        _s("DGS10", _CMT.format("10-Year"), DAILY, UNIT_PERCENT, _PCT, 1, _H15),
        _s("DGS30", _CMT.format("30-Year"), DAILY, UNIT_PERCENT, _PCT, 1, _H15),
        _s("GS10", _CMT.format("10-Year") + ", monthly average", MONTHLY, UNIT_PERCENT, _PCT, 1, _H15),
        _s("GS2", _CMT.format("2-Year") + ", monthly average", MONTHLY, UNIT_PERCENT, _PCT, 1, _H15),
        _s(
            "TB3MS", "3-Month Treasury Bill Secondary Market Rate, Discount Basis, monthly average",
            MONTHLY, UNIT_PERCENT, _PCT, 1, _H15,
        ),
        _s("GFDEBTN", "Federal Debt: Total Public Debt (end of quarter)", QUARTERLY, UNIT_USD_BN, _MN, 1000, _FISCAL),
        _s("FYGFDPUN", "Federal Debt Held by the Public (end of quarter)", QUARTERLY, UNIT_USD_BN, _MN, 1000, _FISCAL),
        _s(
            "FDHBFIN", "Federal Debt Held by Foreign and International Investors (end of quarter)",
            QUARTERLY, UNIT_USD_BN, _BN, 1, _FISCAL + ", Treasury Bulletin table OFS-2",
        ),
        _s(
            "GDP", "Gross Domestic Product (seasonally adjusted annual rate)",
            QUARTERLY, UNIT_USD_BN, _BN + ", SAAR", 1, _BEA,
        ),
        _s(
            "A091RC1Q027SBEA",
            "Federal government current expenditures: Interest payments (seasonally adjusted annual rate)",
            QUARTERLY, UNIT_USD_BN, _BN + ", SAAR", 1, _BEA + ", NIPA Table 3.2",
        ),
        _s(
            "TREAST", "Assets: Securities Held Outright: U.S. Treasury Securities: Wednesday Level",
            WEEKLY, UNIT_USD_BN, _MN, 1000, "Board of Governors of the Federal Reserve System, H.4.1",
        ),
        _s(
            "TRESEGCNM052N", "Total Reserves excluding Gold for China",
            MONTHLY, UNIT_USD_BN, _MN, 1000, "International Monetary Fund, International Financial Statistics",
        ),
        _s(
            "MORTGAGE30US", "30-Year Fixed Rate Mortgage Average in the United States",
            WEEKLY, UNIT_PERCENT, _PCT, 1, "Freddie Mac, Primary Mortgage Market Survey",
        ),
        _s("AAA", "Moody's Seasoned Aaa Corporate Bond Yield", MONTHLY, UNIT_PERCENT, _PCT, 1, "Moody's"),
        _s("BAA", "Moody's Seasoned Baa Corporate Bond Yield", MONTHLY, UNIT_PERCENT, _PCT, 1, "Moody's"),
        _s(
            "BAA10Y",
            "Moody's Seasoned Baa Corporate Bond Yield Relative to Yield on 10-Year Treasury Constant Maturity",
            DAILY, UNIT_PERCENT, "percentage points", 1, "Moody's; Federal Reserve Board H.15",
        ),
        # prices, activity and policy rate (issue 16)
        _s(
            "CPIAUCSL", "Consumer Price Index for All Urban Consumers: All Items in U.S. City Average (SA)",
            MONTHLY, UNIT_INDEX_1982_84, UNIT_INDEX_1982_84, 1, _BLS,
        ),
        _s(
            "CPILFESL",
            "Consumer Price Index for All Urban Consumers: All Items Less Food and Energy in U.S. City Average (SA)",
            MONTHLY, UNIT_INDEX_1982_84, UNIT_INDEX_1982_84, 1, _BLS,
        ),
        _s("PCEPI", "Personal Consumption Expenditures: Chain-type Price Index (SA)", MONTHLY, UNIT_INDEX_2017,
           UNIT_INDEX_2017, 1, _BEA),
        _s(
            "PCEPILFE", "Personal Consumption Expenditures Excluding Food and Energy (Chain-Type Price Index, SA)",
            MONTHLY, UNIT_INDEX_2017, UNIT_INDEX_2017, 1, _BEA,
        ),
        _s("GDPDEF", "Gross Domestic Product: Implicit Price Deflator (SA)", QUARTERLY, UNIT_INDEX_2017,
           UNIT_INDEX_2017, 1, _BEA),
        _s("GDPC1", "Real Gross Domestic Product (seasonally adjusted annual rate)", QUARTERLY, UNIT_USD_BN_2017,
           "billions of chained 2017 dollars, SAAR", 1, _BEA),
        _s(
            "GDPPOT",
            "Real Potential Gross Domestic Product (CBO estimate; quarters after the last actual one are CBO "
            "projections)",
            QUARTERLY, UNIT_USD_BN_2017, "billions of chained 2017 dollars", 1, "Congressional Budget Office",
        ),
        _s("FEDFUNDS", "Federal Funds Effective Rate, monthly average", MONTHLY, UNIT_PERCENT, _PCT, 1, _H15),
        _s("UNRATE", "Unemployment Rate (SA)", MONTHLY, UNIT_PERCENT, _PCT, 1, _BLS + ", Current Population Survey"),
        _s(
            "DFII10", "Market Yield on U.S. Treasury Securities at 10-Year Constant Maturity, Inflation-Indexed",
            DAILY, UNIT_PERCENT, _PCT, 1, _H15,
        ),
        _s(
            "T10YIE", "10-Year Breakeven Inflation Rate (DGS10 minus DFII10)", DAILY, UNIT_PERCENT, _PCT, 1,
            "Federal Reserve Bank of St. Louis, from Federal Reserve Board H.15",
        ),
        _s(
            "DTWEXBGS", "Nominal Broad U.S. Dollar Index (goods and services)", DAILY, UNIT_INDEX_2006_01,
            UNIT_INDEX_2006_01, 1, "Board of Governors of the Federal Reserve System, H.10 Foreign Exchange Rates",
        ),
    )
}

#: File names (stem, lower case) of third-party ``date,value`` copies that do not name the FRED series, e.g. the
#: files of ``raylia529/market-indicators-dashboard`` in ``us_rates_daily_fred_2026-08``.
FILE_ALIASES: dict[str, str] = {
    "us-10-year-treasury-yield": "DGS10",
    "us-2-year-treasury-yield": "DGS2",
    "us-10y-real-yield": "DFII10",
    "us-10y-breakeven-inflation": "T10YIE",
    "broad-us-dollar-index": "DTWEXBGS",
}

_MISSING = {"", "."}
_DATE_HEADERS = {"observation_date", "date", ""}
_HEADER_HINT = (
    "expected a FRED CSV with header `observation_date,<SERIES>` (or `DATE,<SERIES>`, or `date,value` with the "
    "series id in the file name), or FRED API JSON"
)


# --------------------------------------------------------------------------------------------------- queries


def _series_list(series: str | Iterable[str] | None) -> list[str]:
    if series is None:
        return list(SERIES)
    items = series.split(",") if isinstance(series, str) else list(series)
    out: list[str] = []
    for item in items:
        sid = item.strip().upper()
        if sid.startswith("FRED."):
            sid = sid[5:]
        if not sid:
            continue
        if sid not in SERIES:
            from difflib import get_close_matches

            close = get_close_matches(sid, SERIES, n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise DataError(f"FRED series {item.strip()!r} is not one geostress reads.{hint} Known: {', '.join(SERIES)}")
        if sid not in out:
            out.append(sid)
    return out


def build_queries(series: str | Iterable[str] | None = None, api_key: str | None = None) -> list[Query]:
    """Say what to download: one query per FRED series.

    Parameters
    ----------
    series
        FRED ids (``"DGS10"``, or ``"fred.dgs10"``), as a list or one comma-separated string; every series of
        :data:`SERIES` when omitted.
    api_key
        A FRED API key. When given (or set in the ``FRED_API_KEY`` environment variable) the queries use the FRED
        API's JSON, whose ``realtime_start`` gives the release vintage; otherwise the keyless ``fredgraph.csv``
        download is used.

    Returns
    -------
    list[Query]
        One query per series. The series id is part of each query's ``url`` (which is what
        :func:`geostress.data.ingest.update` passes to :func:`parse` as origin); the API key only travels in
        ``params``, so it never appears in an origin or an error message.

    Raises
    ------
    DataError
        A series this module does not know.

    References
    ----------
    .. [1] https://fred.stlouisfed.org/docs/api/fred/series_observations.html
    """
    key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
    key = (key or "").strip()
    queries: list[Query] = []
    for sid in _series_list(series):
        if key:
            # httpx replaces the URL's query string by ``params``; series_id is in both so the origin names it.
            queries.append(
                Query(
                    url=f"{API_URL}?series_id={sid}",
                    params={"series_id": sid, "api_key": key, "file_type": "json"},
                    filename=f"{sid}.json",
                )
            )
        else:
            queries.append(Query(url=f"{CSV_URL}?id={sid}", filename=f"{sid}.csv"))
    return queries


# --------------------------------------------------------------------------------------------------- parsing


def _series_from_origin(origin: str) -> str | None:
    """The FRED id named by a ``series_id=``/``id=`` URL parameter or a token of the file name."""
    parts = urlsplit(origin)
    if parts.query:
        qs = parse_qs(parts.query)
        for key in ("series_id", "id"):
            for value in qs.get(key, []):
                if value.strip().upper() in SERIES:
                    return value.strip().upper()
    name = re.split(r"[\\/]", parts.path or origin)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if stem.upper() in SERIES:
        return stem.upper()
    if stem.lower() in FILE_ALIASES:
        return FILE_ALIASES[stem.lower()]
    for token in re.split(r"[^A-Za-z0-9]+", stem):
        if token.upper() in SERIES:
            return token.upper()
    return None


def _number(cell: str, *, origin: str, line: int | None, field: str) -> float:
    try:
        return parse_number(cell, origin=origin, line=line or 0, field=field)
    except ParseError as exc:
        raise ParseError(
            exc.reason, file=origin, line=line, field=field, hint="the file may be damaged; download it again"
        ) from None


def _period(day: date, meta: FredSeries, *, origin: str, line: int | None, field: str) -> pd.Timestamp:
    """FRED's period-start date → the period date stored (see the module notes)."""
    if meta.frequency in (DAILY, WEEKLY):
        return pd.Timestamp(day)
    if meta.frequency == MONTHLY:
        if day.day != 1:
            raise ParseError(
                f"{meta.id} is monthly but {day} is not the first day of a month", file=origin, line=line,
                field=field, hint="FRED dates monthly data by the first of the month; is this the right series?",
            )
        return pd.Timestamp(day) + pd.offsets.MonthEnd(0)
    if day.day != 1 or day.month not in (1, 4, 7, 10):
        raise ParseError(
            f"{meta.id} is quarterly but {day} is not the first day of a quarter", file=origin, line=line,
            field=field, hint="FRED dates quarterly data by the first day of the quarter; is this the right series?",
        )
    return pd.Timestamp(day) + pd.offsets.QuarterEnd(0)


class _Rows:
    """Collects observations and rejects a date seen twice for one series."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.rows: list[tuple[str, str, pd.Timestamp, float, str]] = []
        self.seen: dict[tuple[str, pd.Timestamp], int | None] = {}
        #: (store series id, period) → the line it was read from, for the store's range checks' messages
        self.line_of: dict[tuple[str, pd.Timestamp], int] = {}

    def add(self, meta: FredSeries, period: pd.Timestamp, value: float, *, line: int | None, field: str) -> None:
        key = (meta.id, period)
        if key in self.seen:
            first = self.seen[key]
            where = f" (first on line {first})" if first is not None else ""
            raise ParseError(
                f"period {period:%Y-%m-%d} of {meta.id} appears twice{where}", file=self.origin, line=line,
                field=field, hint="the file is duplicated or damaged; download it again",
            )
        self.seen[key] = line
        if line is not None:
            self.line_of[(meta.series_id, period)] = line
        self.rows.append((meta.series_id, meta.title, period, value / meta.divisor, meta.unit))

    def frame(self, *, line: int | None) -> pd.DataFrame:
        if not self.rows:
            raise ParseError(
                "the file holds no observations (no data rows, or every value missing)", file=self.origin,
                line=line, hint="download it again; FRED may have returned an empty window",
            )
        return make_frame(self.rows)


def _known(cell: str, *, origin: str, line: int, hint: str | None = None) -> FredSeries:
    sid = cell.strip().upper()
    if sid not in SERIES:
        raise ParseError(
            f"{cell.strip()[:40]!r} is not a FRED series geostress reads", file=origin, line=line,
            field=cell.strip()[:40],
            hint=hint or f"known series: {', '.join(SERIES)}",
        )
    return SERIES[sid]


def _parse_csv(text: str, origin: str) -> ParsedRelease:
    rows = CsvRows(text, origin=origin)
    first = next(rows, None)
    if first is None:
        raise ParseError("the file is empty", file=origin, line=1, hint="download it again")
    header_line, cells = first
    header = [c.strip() for c in cells]
    if len(header) < 2 or header[0].lower() not in _DATE_HEADERS:
        raise ParseError(
            f"unexpected header {','.join(header)[:80]!r}", file=origin, line=header_line,
            field=header[0][:40], hint=_HEADER_HINT,
        )
    date_field = header[0] or "date (first column)"
    columns: list[tuple[int, FredSeries]] = []
    if len(header) == 2 and header[1].lower() == "value":
        sid = _series_from_origin(origin)
        if sid is None:
            raise ParseError(
                "a `date,value` file does not say which FRED series it holds", file=origin, line=header_line,
                field=header[1],
                hint="name the file after the series (e.g. GS10.csv) or use FRED's own download",
            )
        columns.append((1, SERIES[sid]))
    else:
        for i, cell in enumerate(header[1:], start=1):
            columns.append((i, _known(cell, origin=origin, line=header_line)))
    out = _Rows(origin)
    for line, row in rows:
        check_width(row, header, origin=origin, line=line)
        day = parse_iso_date(row[0], origin=origin, line=line, field=date_field)
        for i, meta in columns:
            cell = row[i].strip()
            if cell in _MISSING:
                continue
            value = _number(cell, origin=origin, line=line, field=header[i])
            period = _period(day, meta, origin=origin, line=line, field=date_field)
            out.add(meta, period, value, line=line, field=date_field)
    return ParsedRelease(out.frame(line=rows.last_line), source=NAME, vintage=None, line_of=out.line_of)


def _parse_json(text: str, origin: str) -> ParsedRelease:
    try:
        doc: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"the JSON is truncated or invalid ({exc.msg} at column {exc.colno})", file=origin, line=exc.lineno,
            hint="download it again",
        ) from None
    if not isinstance(doc, dict):
        raise ParseError("expected a JSON object with `observations`", file=origin, line=1, hint=_HEADER_HINT)
    if "observations" not in doc:
        if "error_message" in doc or "error_code" in doc:
            raise ParseError(
                f"FRED answered an error: {str(doc.get('error_message', doc.get('error_code')))[:200]}",
                file=origin, line=1, field="error_message", hint="check the series id and the API key",
            )
        raise ParseError(
            "the JSON has no `observations` list", file=origin, line=1, field="observations", hint=_HEADER_HINT
        )
    observations = doc["observations"]
    if not isinstance(observations, list):
        raise ParseError("`observations` is not a list", file=origin, line=1, field="observations", hint=_HEADER_HINT)
    sid = _series_from_origin(origin)
    if sid is None:
        raise ParseError(
            "FRED API JSON does not name its series and the origin does not either", file=origin, line=1,
            field="series_id", hint="keep the series id in the file name (e.g. DGS10.json) or the URL (series_id=)",
        )
    meta = SERIES[sid]
    vintage: date | None = None
    if doc.get("realtime_start") is not None:
        vintage = parse_iso_date(str(doc["realtime_start"]), origin=origin, line=1, field="realtime_start")
    out = _Rows(origin)
    for i, obs in enumerate(observations):
        if not isinstance(obs, dict):
            raise ParseError(
                "an observation is not a JSON object", file=origin, line=json_record_line(text, "observations", i),
                field=f"observations[{i}]", hint="download it again",
            )
        for key in ("date", "value"):
            if key not in obs:
                raise ParseError(
                    f"an observation has no `{key}`", file=origin, line=json_record_line(text, "observations", i),
                    field=f"observations[{i}].{key}", hint="download it again",
                )
        raw_value = obs["value"]
        if raw_value is None or (isinstance(raw_value, str) and raw_value.strip() in _MISSING):
            continue
        if isinstance(raw_value, bool) or not isinstance(raw_value, (str, int, float)):
            raise ParseError(
                f"expected a number, found {str(raw_value)[:40]!r}", file=origin,
                line=json_record_line(text, "observations", i), field=f"observations[{i}].value",
            )
        try:
            value = _number(str(raw_value), origin=origin, line=0, field="value")
            day = parse_iso_date(str(obs["date"]), origin=origin, line=0, field="date")
            period = _period(day, meta, origin=origin, line=0, field="date")
            out.add(meta, period, value, line=0, field="date")
        except ParseError as exc:
            raise ParseError(
                exc.reason, file=origin, line=json_record_line(text, "observations", i),
                field=f"observations[{i}].{exc.field}", hint=exc.hint,
            ) from None
    return ParsedRelease(out.frame(line=text.count("\n") + 1), source=NAME, vintage=vintage)


def parse(raw: bytes, *, origin: str) -> ParsedRelease:
    """Parse one FRED download (any layout listed in the module notes) into tidy observations.

    Parameters
    ----------
    raw
        The bytes of a FRED CSV or API JSON file.
    origin
        The file path or download address; it names the series when the file itself does not
        (``.../GS10.csv``, ``...?series_id=GS10``) and appears in every error message.

    Returns
    -------
    ParsedRelease
        Observations with series ids ``fred.<lowercase id>``, period-end dates for monthly and quarterly series,
        values in the units of :data:`SERIES`; ``vintage`` is the API's ``realtime_start`` for JSON, else ``None``.

    Raises
    ------
    ParseError
        For any malformed input (wrong header, unknown series, non-numeric cell, duplicated date, wrong encoding,
        empty file, truncated JSON); the message names file, line and field. No other exception escapes.

    References
    ----------
    .. [1] https://fred.stlouisfed.org/docs/api/fred/series_observations.html
    """
    return guarded(origin, lambda: _parse(raw, origin))


def _parse(raw: bytes, origin: str) -> ParsedRelease:
    text = decode_utf8(raw, origin=origin)
    if text.lstrip()[:1] in ("{", "["):
        return _parse_json(text, origin)
    release = _parse_csv(text, origin)
    require_final_newline(text, origin=origin, publisher="FRED")
    return release
