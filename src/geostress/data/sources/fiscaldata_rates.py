"""Treasury Fiscal Data: Average Interest Rates on U.S. Treasury Securities (monthly, by security).

Series ids are ``fiscaldata.avg_rate.<type_slug>.<security_slug>`` built with
:func:`~geostress.data.sources.base.slugify` from the published ``security_type_desc`` and ``security_desc``,
for example ``fiscaldata.avg_rate.marketable.treasury_bills``, ``fiscaldata.avg_rate.marketable.total_marketable``,
``fiscaldata.avg_rate.non_marketable.government_account_series`` and
``fiscaldata.avg_rate.interest_bearing_debt.total_interest_bearing_debt``. Unit ``"percent"`` (per annum),
period = ``record_date`` (the last day of the month).

Names are kept as published, so a renamed security is a new series (``Treasury Inflation-Indexed Notes`` before
2005 vs ``Treasury Inflation-Protected Securities (TIPS)``). One spelling slip of the API is repaired:
``TotalMarketable`` (2005-07-31) is read as ``Total Marketable``. Values ``null`` or empty are skipped (the API
gives ``null`` for the inflation-indexed notes and bonds in 2004-2005).

Layouts read by :func:`parse`: the API JSON (``{"data": [...], "meta": {...}}``), a CSV with the API field names
as header (``record_date,security_type_desc,security_desc,avg_interest_rate_amt``, extra columns ignored) and the
FiscalData website CSV with display names (``Record Date``, ``Security Type Description``, ...).

Vintage: neither the API nor the CSV prints a release date (the latest ``record_date`` is the data month, not the
publication date), so :func:`parse` returns ``vintage=None`` and the importer records the retrieval date.

This module also holds the FiscalData reader (:func:`read_fiscaldata`, :class:`FiscalTable`) that
:mod:`geostress.data.sources.fiscaldata_mspd` shares; the generic reading helpers are in
:mod:`geostress.data.sources._common`.

References
----------
.. [1] U.S. Treasury, Bureau of the Fiscal Service, "Average Interest Rates on U.S. Treasury Securities",
   https://fiscaldata.treasury.gov/datasets/average-interest-rates-treasury-securities/
.. [2] FiscalData API documentation, https://fiscaldata.treasury.gov/api-documentation/
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from geostress.data.sources._common import decode_utf8, guarded, json_record_line, parse_iso_date, read_csv_table
from geostress.data.sources.base import (
    UNIT_PERCENT,
    ParsedRelease,
    Query,
    make_frame,
    parse_number,
    slugify,
)
from geostress.errors import ParseError

NAME = "fiscaldata-avg-rates"
TITLE = "Average Interest Rates on U.S. Treasury Securities"
PUBLISHER = "U.S. Department of the Treasury, Bureau of the Fiscal Service (Fiscal Data)"
LICENSE = "U.S. Government work, public domain in the United States (17 U.S.C. 105)"

#: FiscalData API endpoint of this dataset.
API_URL = "https://api.fiscaldata.treasury.gov/services/api/fiscal_service/v2/accounting/od/avg_interest_rates"
#: Largest page the FiscalData API serves; the whole history (~5,000 records) fits in one page.
PAGE_SIZE = "10000"

_FIELDS = ("record_date", "security_type_desc", "security_desc", "avg_interest_rate_amt")
_ALIASES = {
    "security_type_description": "security_type_desc",
    "security_description": "security_desc",
    "average_interest_rate_amount": "avg_interest_rate_amt",
}
#: Published spelling slips repaired before slugging.
_SECURITY_FIXES = {"TotalMarketable": "Total Marketable"}
_NULLS = {"", "null", "NULL", "None"}


def build_queries(start: str | None = None) -> list[Query]:
    """Say what to download: the whole dataset in one API page, newest month first.

    Parameters
    ----------
    start
        Optional first record date (``YYYY-MM-DD``); the whole history (from 2001-01) when omitted.

    Returns
    -------
    list[Query]
        One query for the FiscalData API (JSON).

    References
    ----------
    .. [1] https://fiscaldata.treasury.gov/api-documentation/#pagination
    """
    params = {"page[size]": PAGE_SIZE, "sort": "-record_date"}
    if start:
        params["filter"] = f"record_date:gte:{start}"
    return [Query(url=API_URL, params=params, filename="avg_interest_rates.json")]


# ---------------------------------------------------------------------------- shared FiscalData reading


@dataclass
class FiscalTable:
    """Records of a FiscalData file, with what is needed to point at a bad cell.

    Attributes
    ----------
    origin
        File or address, for messages.
    records
        One mapping per record, keyed by API field name; values are strings, numbers or ``None`` as found.
    names
        API field name → the name as written in the file (the CSV header cell, or the JSON key).
    """

    origin: str
    records: list[dict[str, Any]]
    names: dict[str, str]
    _line: Callable[[int], int | None]
    _json: bool

    def line(self, index: int) -> int | None:
        """1-based line of record ``index`` in the file (best effort for JSON)."""
        return self._line(index)

    def field(self, index: int, name: str) -> str:
        """How to name field ``name`` of record ``index`` in a message."""
        written = self.names.get(name, name)
        return f"data[{index}].{written}" if self._json else written

    def error(self, index: int, name: str, message: str, hint: str | None = None) -> ParseError:
        """A :class:`ParseError` pointing at field ``name`` of record ``index``."""
        return ParseError(message, file=self.origin, line=self.line(index), field=self.field(index, name), hint=hint)

    def text(self, index: int, name: str) -> str:
        """Field ``name`` of record ``index`` as stripped text (``""`` for null)."""
        value = self.records[index].get(name)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.error(index, name, f"expected text or a number, found {str(value)[:40]!r}")
        return str(value).strip()

    def number(self, index: int, name: str) -> float | None:
        """Field ``name`` of record ``index`` as a float, ``None`` when null or empty."""
        cell = self.text(index, name)
        if cell in _NULLS:
            return None
        try:
            return parse_number(cell, origin=self.origin, line=0, field=name)
        except ParseError as exc:
            raise self.error(index, name, exc.reason, hint="the file may be damaged; download it again") from None

    def date(self, index: int, name: str = "record_date") -> date:
        """Field ``name`` of record ``index`` as a date (strict ``YYYY-MM-DD``)."""
        cell = self.text(index, name)
        try:
            return parse_iso_date(cell, origin=self.origin, line=None, field=name)
        except ParseError as exc:
            raise self.error(index, name, exc.reason, hint=exc.hint) from None

    def check_new(self, seen: dict[tuple[str, date], int], key: tuple[str, date], index: int, what: str) -> None:
        """Record that series ``key[0]`` has date ``key[1]`` at record ``index``; an error if it had it before."""
        if key in seen:
            first = self.line(seen[key])
            where = f" (first on line {first})" if first is not None else ""
            raise self.error(
                index, "record_date", f"{what} for {key[1]} appears twice{where}",
                hint="the file is duplicated or damaged; download it again",
            )
        seen[key] = index

    def release(self, rows: list[tuple[str, str, pd.Timestamp, float, str]], source: str) -> ParsedRelease:
        """The parsed release of ``rows``; an error when there is none."""
        if not rows:
            raise ParseError(
                "the file holds no observations", file=self.origin, line=self.line(0) if self.records else None,
                hint="download it again; the query may have matched no record",
            )
        return ParsedRelease(make_frame(rows), source=source, vintage=None)


def _read_json(text: str, origin: str, required: Sequence[str], what: str) -> FiscalTable:
    try:
        doc: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"the JSON is truncated or invalid ({exc.msg} at column {exc.colno})", file=origin, line=exc.lineno,
            hint="download it again",
        ) from None
    if not isinstance(doc, dict) or "data" not in doc:
        message = doc.get("message") or doc.get("error") if isinstance(doc, dict) else None
        if message:
            raise ParseError(
                f"the FiscalData API answered an error: {str(message)[:200]}", file=origin, line=1, field="error",
                hint="check the query parameters",
            )
        raise ParseError(
            f"expected FiscalData API JSON with a `data` list ({what})", file=origin, line=1, field="data",
            hint="download it again from the FiscalData API",
        )
    data = doc["data"]
    if not isinstance(data, list):
        raise ParseError("`data` is not a list", file=origin, line=1, field="data", hint="download it again")
    meta = doc.get("meta")
    if isinstance(meta, dict):
        pages = meta.get("total-pages")
        if isinstance(pages, int) and not isinstance(pages, bool) and pages > 1:
            raise ParseError(
                f"this is one page of {pages}; the records of the other pages are missing", file=origin, line=1,
                field="meta.total-pages", hint="download with page[size]=10000 (build_queries does)",
            )

    def line(index: int) -> int | None:
        return json_record_line(text, "data", index)

    table = FiscalTable(origin, [], {name: name for name in required}, line, True)
    for i, record in enumerate(data):
        if not isinstance(record, dict):
            raise ParseError(
                "a record is not a JSON object", file=origin, line=line(i), field=f"data[{i}]", hint="download it again"
            )
        for name in required:
            if name not in record:
                raise table.error(i, name, f"the record has no `{name}`", hint="download it again")
        table.records.append(record)
    return table


def _read_csv(
    text: str, origin: str, required: Sequence[str], aliases: Mapping[str, str], what: str
) -> FiscalTable:
    table = read_csv_table(
        text, origin=origin, required=required, rename=lambda h: aliases.get(slugify(h), slugify(h)), what=what,
        require_rows=False,
    )
    names = {name: table.header[i] for name, i in table.columns.items()}
    position = {name: table.columns[name] for name in names}
    records = [{name: cells[pos] for name, pos in position.items()} for _, cells in table.rows]
    lines = [line for line, _ in table.rows]
    return FiscalTable(origin, records, names, lambda i: lines[i], False)


def read_fiscaldata(
    raw: bytes, *, origin: str, required: Sequence[str], aliases: Mapping[str, str], what: str
) -> FiscalTable:
    """Read a FiscalData API JSON page or a CSV (API field names or website display names) into records.

    Parameters
    ----------
    raw
        File bytes.
    origin
        File or address, for messages.
    required
        API field names every record must have.
    aliases
        Slugged display name → API field name (``"security_type_description"`` → ``"security_type_desc"``).
    what
        The dataset, for messages (``"an Average Interest Rates file"``).

    Raises
    ------
    ParseError
        Empty file, wrong encoding, truncated JSON, an API error answer, one page of several, wrong header or a
        missing column, a row with too few or too many fields.
    """
    text = decode_utf8(raw, origin=origin)
    if text.lstrip()[:1] in ("{", "["):
        return _read_json(text, origin, required, what)
    return _read_csv(text, origin, required, aliases, what)


# ---------------------------------------------------------------------------------------------- parsing


def series_id(security_type: str, security: str) -> str:
    """``fiscaldata.avg_rate.<type_slug>.<security_slug>`` for a published type and security name."""
    security = _SECURITY_FIXES.get(security, security)
    return f"fiscaldata.avg_rate.{slugify(security_type)}.{slugify(security)}"


def _parse(raw: bytes, origin: str) -> ParsedRelease:
    table = read_fiscaldata(
        raw, origin=origin, required=_FIELDS, aliases=_ALIASES, what="an Average Interest Rates file"
    )
    rows: list[tuple[str, str, pd.Timestamp, float, str]] = []
    seen: dict[tuple[str, date], int] = {}
    for i in range(len(table.records)):
        day = table.date(i)
        kind = table.text(i, "security_type_desc")
        security = table.text(i, "security_desc")
        for name, cell in (("security_type_desc", kind), ("security_desc", security)):
            if not slugify(cell):
                raise table.error(i, name, f"expected a name, found {cell[:40]!r}", hint="download it again")
        value = table.number(i, "avg_interest_rate_amt")
        if value is None:
            continue
        sid = series_id(kind, security)
        table.check_new(seen, (sid, day), i, f"{security} ({kind})")
        label = f"Average interest rate: {_SECURITY_FIXES.get(security, security)} ({kind})"
        rows.append((sid, label, pd.Timestamp(day), value, UNIT_PERCENT))
    return table.release(rows, NAME)


def parse(raw: bytes, *, origin: str) -> ParsedRelease:
    """Parse Average Interest Rates records (API JSON or CSV) into tidy observations.

    Parameters
    ----------
    raw
        The bytes of an API JSON page or a CSV of the dataset.
    origin
        File path or download address, named in every error message.

    Returns
    -------
    ParsedRelease
        Series ``fiscaldata.avg_rate.<type>.<security>``, unit ``"percent"``, period = ``record_date``;
        ``vintage`` is ``None`` (no release date is published in the data).

    Raises
    ------
    ParseError
        For any malformed input (wrong header, missing column, non-numeric rate, duplicated month, wrong encoding,
        empty file, truncated JSON); the message names file, line and field. No other exception escapes.

    References
    ----------
    .. [1] https://fiscaldata.treasury.gov/datasets/average-interest-rates-treasury-securities/
    """
    return guarded(origin, lambda: _parse(raw, origin))
