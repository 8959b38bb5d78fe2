"""Treasury Fiscal Data: Monthly Statement of the Public Debt (MSPD), Table I "Summary of Treasury Securities
Outstanding" (by security type and class and by holder) and Table III "Detail of Marketable Treasury Securities
Outstanding" (security by security, aggregated here by maturity month).

:func:`parse` tells the two tables apart by their columns: a file with ``security_class1_desc`` (or the display
name ``Security Class 1 Description``) is Table III, anything else is read as Table I.

Table I
-------

Series ids are ``fiscaldata.mspd.<type_slug>.<class_slug>.<holder>`` with ``holder`` one of

* ``held_by_public``: ``debt_held_public_mil_amt``, debt held by the public;
* ``intragov``: ``intragov_hold_mil_amt``, intragovernmental holdings;
* ``total``: ``total_mil_amt``, total outstanding;

for example ``fiscaldata.mspd.marketable.bills.held_by_public`` or
``fiscaldata.mspd.total.total_public_debt_outstanding.total``. Unit ``"USD bn"``: MSPD publishes millions of
dollars and :func:`parse` divides by 1,000. Period = ``record_date`` (the last day of the month).

Subtotal rows: the API writes them as ``security_type_desc="Total Marketable", security_class_desc="_"`` (likewise
``Total Nonmarketable`` and ``Total Public Debt Outstanding``). They are stored under the same ids as the
normalised CSV layout of the project's data folder (``Marketable,Total Marketable``; ``Nonmarketable,Total
Nonmarketable``; ``Total,Total Public Debt Outstanding``), so both layouts give
``fiscaldata.mspd.marketable.total_marketable.*``, ``fiscaldata.mspd.nonmarketable.total_nonmarketable.*`` and
``fiscaldata.mspd.total.total_public_debt_outstanding.*``.

Layouts read by :func:`parse`: the API JSON (``{"data": [...], "meta": {...}}``), a CSV with the API field names
(``record_date,security_type_desc,security_class_desc,debt_held_public_mil_amt,intragov_hold_mil_amt,
total_mil_amt``; extra columns ignored) and the FiscalData website CSV with display names. ``null`` or empty
amounts are skipped. No release date is published in the data, so ``vintage`` is ``None``.

Table III (marketable securities detail, API endpoint ``v1/debt/mspd/mspd_table_3_market``)
----------------------------------------------------------------------------------------------
One record per security (and reopening) outstanding at the statement date ``record_date``, with
``security_class1_desc`` (``Bills Maturity Value``, ``Notes``, ``Bonds``, ``Inflation-Protected Securities``,
``Floating Rate Notes``, ``Federal Financing Bank``), ``security_class2_desc`` (the CUSIP or a description),
``interest_rate_pct``, ``yield_pct``, ``issue_date``, ``maturity_date`` and ``outstanding_amt`` (millions of
dollars, as published; for TIPS it includes the inflation adjustment). :func:`parse` aggregates them into

* ``fiscaldata.mspd.maturing.<class>``: outstanding amount (``"USD bn"``) maturing in the month;
* ``fiscaldata.mspd.maturing.coupon_weighted.<class>``: outstanding-weighted average interest rate
  (``"percent"``) of the securities maturing in the month, using ``interest_rate_pct`` and, for securities
  without one (bills are sold at a discount), ``yield_pct``, as Treasury's average-interest-rate tables do;
  securities with neither are left out of the average (not of the amount);

with ``<class>`` one of ``bills``, ``notes``, ``bonds``, ``tips``, ``frn`` and ``ffb`` (Federal Financing Bank).
Period = the last day of the maturity month; every observation carries ``vintage`` = its statement's
``record_date`` (one statement, one vintage; a file with several statements gives several vintages). The
statement date is the end of the month reported, a few business days before the MSPD is published.

Rows left out: subtotal and total rows (``Total Marketable``, ``Grand Total``, ``Total Unmatured Treasury
Bills``, ...: any type or class starting with "Total" or "Grand Total"), rows without a maturity date or
without an amount (``null``/empty), and matured securities not yet redeemed (maturity on or before the statement
date). An unknown security class, a malformed date or number, a negative amount or the same record twice is a
:class:`~geostress.errors.ParseError`.

Tests: Table I is tested against a real file (``mspd_table1_summary_2025-04-30.csv`` of the project's data
folder); no real Table III file is held offline, so Table III is tested only on a small recorded API response
written to follow the published schema (and by the network test, skipped by default).

References
----------
.. [1] U.S. Treasury, Bureau of the Fiscal Service, "Monthly Statement of the Public Debt: Summary of Treasury
   Securities Outstanding",
   https://fiscaldata.treasury.gov/datasets/monthly-statement-public-debt/summary-of-treasury-securities-outstanding
.. [2] U.S. Treasury, Bureau of the Fiscal Service, "Monthly Statement of the Public Debt: Detail of Marketable
   Treasury Securities Outstanding",
   https://fiscaldata.treasury.gov/datasets/monthly-statement-public-debt/detail-of-marketable-treasury-securities-outstanding
.. [3] FiscalData API documentation, https://fiscaldata.treasury.gov/api-documentation/
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from geostress.data.sources._common import guarded, month_end
from geostress.data.sources.base import (
    UNIT_PERCENT,
    UNIT_USD_BN,
    ParsedRelease,
    Query,
    check_unique_periods,
    make_frame,
    slugify,
)
from geostress.data.sources.fiscaldata_rates import PAGE_SIZE, FiscalTable, read_fiscaldata
from geostress.errors import ParseError

NAME = "fiscaldata-mspd"
TITLE = "Monthly Statement of the Public Debt: Table I (securities outstanding) and Table III (maturities)"
PUBLISHER = "U.S. Department of the Treasury, Bureau of the Fiscal Service (Fiscal Data)"
LICENSE = "U.S. Government work, public domain in the United States (17 U.S.C. 105)"

#: FiscalData API endpoint of MSPD Table I.
API_URL = "https://api.fiscaldata.treasury.gov/services/api/fiscal_service/v1/debt/mspd/mspd_table_1"
#: FiscalData API endpoint of MSPD Table III, marketable securities (one record per security).
TABLE3_URL = "https://api.fiscaldata.treasury.gov/services/api/fiscal_service/v1/debt/mspd/mspd_table_3_market"
#: Statements of Table III downloaded by default: those of the last this-many months (~500-700 records each, so
#: they fit in one API page).
TABLE3_MONTHS = 6

#: Amount field → (holder slug, words for the label).
HOLDERS: dict[str, tuple[str, str]] = {
    "debt_held_public_mil_amt": ("held_by_public", "debt held by the public"),
    "intragov_hold_mil_amt": ("intragov", "intragovernmental holdings"),
    "total_mil_amt": ("total", "total outstanding"),
}
_FIELDS = ("record_date", "security_type_desc", "security_class_desc", *HOLDERS)
_ALIASES = {
    "security_type_description": "security_type_desc",
    "security_class_description": "security_class_desc",
    "debt_held_by_the_public_in_millions": "debt_held_public_mil_amt",
    "intragovernmental_holdings_in_millions": "intragov_hold_mil_amt",
    "total_public_debt_outstanding_in_millions": "total_mil_amt",
}
_PLACEHOLDER_CLASSES = {"", "_", "null", "None"}
_GRAND_TOTAL = "Total Public Debt Outstanding"


def build_queries(start: str | None = None, detail_start: str | None = None) -> list[Query]:
    """Say what to download: MSPD Table I and the recent statements of Table III, newest month first.

    Parameters
    ----------
    start
        Optional first record date of Table I (``YYYY-MM-DD``); the whole history (from 2001) when omitted.
    detail_start
        First record date of Table III (``YYYY-MM-DD``); by default the first day of the month
        :data:`TABLE3_MONTHS` months ago. Table III has ~500-700 records a month, so more than ~14 years of
        statements do not fit in one API page (the parser then refuses the partial page).

    Returns
    -------
    list[Query]
        Two queries for the FiscalData API (JSON): Table I, then Table III.

    References
    ----------
    .. [1] https://fiscaldata.treasury.gov/api-documentation/#pagination
    """
    params = {"page[size]": PAGE_SIZE, "sort": "-record_date"}
    if start:
        params["filter"] = f"record_date:gte:{start}"
    detail = {
        "page[size]": PAGE_SIZE,
        "sort": "-record_date",
        "filter": f"record_date:gte:{detail_start or _default_detail_start()}",
    }
    return [
        Query(url=API_URL, params=params, filename="mspd_table_1.json"),
        Query(url=TABLE3_URL, params=detail, filename="mspd_table_3_market.json"),
    ]


def _default_detail_start(today: date | None = None) -> str:
    """First day of the month :data:`TABLE3_MONTHS` months before ``today``."""
    today = today or date.today()
    months = today.year * 12 + today.month - 1 - TABLE3_MONTHS
    return date(months // 12, months % 12 + 1, 1).isoformat()


def _type_and_class(table: FiscalTable, index: int) -> tuple[str, str]:
    """Published (type, class), with the API's subtotal rows mapped to the CSV layout (see module notes)."""
    kind = table.text(index, "security_type_desc")
    cls = table.text(index, "security_class_desc")
    if cls in _PLACEHOLDER_CLASSES:
        if kind == _GRAND_TOTAL:
            return "Total", kind
        if kind.startswith("Total "):
            return kind[len("Total ") :], kind
        raise table.error(
            index, "security_class_desc", f"no security class for security type {kind[:40]!r}",
            hint="only subtotal rows (Total ...) may leave the class empty; download the file again",
        )
    if not slugify(kind) or not slugify(cls):
        bad = "security_type_desc" if not slugify(kind) else "security_class_desc"
        raise table.error(index, bad, "expected a name, found no letters or digits", hint="download it again")
    return kind, cls


def _parse_table1(raw: bytes, origin: str) -> ParsedRelease:
    table = read_fiscaldata(raw, origin=origin, required=_FIELDS, aliases=_ALIASES, what="an MSPD Table I file")
    rows: list[tuple[str, str, pd.Timestamp, float, str]] = []
    seen: dict[tuple[str, date], int] = {}
    for i in range(len(table.records)):
        day = table.date(i)
        kind, cls = _type_and_class(table, i)
        stem = f"fiscaldata.mspd.{slugify(kind)}.{slugify(cls)}"
        for field, (holder, words) in HOLDERS.items():
            value = table.number(i, field)
            if value is None:
                continue
            sid = f"{stem}.{holder}"
            table.check_new(seen, (sid, day), i, f"{cls} ({kind})")
            label = f"MSPD Table I: {cls} ({kind}), {words}"
            rows.append((sid, label, pd.Timestamp(day), value / 1000.0, UNIT_USD_BN))
    return table.release(rows, NAME)


# ---------------------------------------------------------------------------------------------- Table III

#: Published ``security_class1_desc`` → class slug; matched on lower-case words, first match wins (order matters:
#: "Inflation-Indexed Notes" is TIPS and "Floating Rate Notes" FRN before anything is read as notes).
_TABLE3_CLASSES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("inflation", "tips"), "tips", "TIPS"),
    (("floating", "frn"), "frn", "floating rate notes"),
    (("federal financing bank",), "ffb", "Federal Financing Bank securities"),
    (("bill",), "bills", "bills"),
    (("note",), "notes", "notes"),
    (("bond",), "bonds", "bonds"),
)
_TABLE3_FIELDS = (
    "record_date", "security_class1_desc", "security_class2_desc", "interest_rate_pct", "maturity_date",
    "outstanding_amt",
)
#: Fields read when present: they are part of a record's identity (duplicates) or a fallback rate.
_TABLE3_OPTIONAL = ("security_type_desc", "cusip", "issue_date", "yield_pct")
_TABLE3_ALIASES = {
    "security_type_description": "security_type_desc",
    "security_class_1_description": "security_class1_desc",
    "security_class1_description": "security_class1_desc",
    "security_class_2_description": "security_class2_desc",
    "security_class2_description": "security_class2_desc",
    "interest_rate_percent": "interest_rate_pct",
    "interest_rate": "interest_rate_pct",
    "yield_percent": "yield_pct",
    "yield": "yield_pct",
    "outstanding_amount_in_millions": "outstanding_amt",
    "outstanding_amount": "outstanding_amt",
    "amount_outstanding_in_millions": "outstanding_amt",
}
_NULLS = {"", "_", "null", "NULL", "None"}


def _is_table3(raw: bytes) -> bool:
    """Whether ``raw`` looks like MSPD Table III (API JSON keys or CSV header); Table I otherwise."""
    if not isinstance(raw, (bytes, bytearray)):
        return False
    body = bytes(raw).lstrip(b"\xef\xbb\xbf \t\r\n")
    if body[:1] in (b"{", b"["):
        return b'"security_class1_desc"' in body
    first = next((ln for ln in body[:65536].decode("utf-8", "ignore").splitlines() if ln.strip()), "")
    cells = (slugify(c) for c in first.split(","))
    return any(_TABLE3_ALIASES.get(c, c) == "security_class1_desc" for c in cells)


def _is_subtotal(*names: str) -> bool:
    return any(n.lower().startswith(("total", "grand total")) for n in names)


def _class_of(table: FiscalTable, index: int, cls: str) -> tuple[str, str]:
    """(slug, words) of a published ``security_class1_desc``; an unknown class is an error."""
    low = cls.lower()
    for keys, slug, words in _TABLE3_CLASSES:
        if any(k in low for k in keys):
            return slug, words
    raise table.error(
        index, "security_class1_desc", f"unknown marketable security class {cls[:40]!r}",
        hint="expected bills, notes, bonds, inflation-protected securities, floating rate notes or Federal "
        "Financing Bank; the table's layout may have changed",
    )


def _parse_table3(raw: bytes, origin: str) -> ParsedRelease:
    table = read_fiscaldata(
        raw, origin=origin, required=_TABLE3_FIELDS, aliases=_TABLE3_ALIASES, what="an MSPD Table III file"
    )
    # (statement, class, maturity month) -> [amount, rate x weight, weight]
    sums: dict[tuple[date, str, pd.Timestamp], list[float]] = {}
    words_of: dict[str, str] = {}
    seen: dict[tuple[str, ...], int] = {}
    for i in range(len(table.records)):
        statement = table.date(i)
        kind = table.text(i, "security_type_desc")
        cls = table.text(i, "security_class1_desc")
        name = table.text(i, "security_class2_desc")
        if _is_subtotal(kind, cls, name):
            continue
        if table.text(i, "maturity_date") in _NULLS:
            continue
        amount = table.number(i, "outstanding_amt")
        if amount is None:
            continue
        if cls in _NULLS or not slugify(cls):
            raise table.error(i, "security_class1_desc", "no security class for a security with a maturity date",
                              hint="download the file again")
        slug, words = _class_of(table, i, cls)
        maturity = table.date(i, "maturity_date")
        if amount < 0:
            raise table.error(i, "outstanding_amt", f"negative amount outstanding {amount:g}",
                              hint="the file may be damaged; download it again")
        rate = table.number(i, "interest_rate_pct")
        if rate is None:
            rate = table.number(i, "yield_pct")
        if table.text(i, "issue_date") not in _NULLS:
            table.date(i, "issue_date")
        key = (statement.isoformat(), *(table.text(i, f) for f in (*_TABLE3_FIELDS[1:], *_TABLE3_OPTIONAL)))
        if key in seen:
            first = table.line(seen[key])
            where = f" (first on line {first})" if first is not None else ""
            raise table.error(i, "security_class2_desc", f"security {name[:40]!r} of {statement} appears twice{where}",
                              hint="the file is duplicated or damaged; download it again")
        seen[key] = i
        if maturity <= statement:  # matured, not yet redeemed: not maturing any more
            continue
        cell = sums.setdefault((statement, slug, month_end(maturity.year, maturity.month)), [0.0, 0.0, 0.0])
        cell[0] += amount
        if rate is not None:
            cell[1] += rate * amount
            cell[2] += amount
        words_of[slug] = words
    rows: list[tuple[str, str, pd.Timestamp, float, str]] = []
    vintages: list[date] = []
    for (statement, slug, period), (amount, weighted, weight) in sorted(sums.items()):
        words = words_of[slug]
        rows.append((f"fiscaldata.mspd.maturing.{slug}", f"MSPD Table III: marketable {words} maturing in the month",
                     period, amount / 1000.0, UNIT_USD_BN))
        vintages.append(statement)
        if weight > 0:
            rows.append((
                f"fiscaldata.mspd.maturing.coupon_weighted.{slug}",
                f"MSPD Table III: outstanding-weighted interest rate of marketable {words} maturing in the month",
                period, weighted / weight, UNIT_PERCENT,
            ))
            vintages.append(statement)
    if not rows:
        raise ParseError(
            "the file holds no maturing securities", file=origin, line=table.line(0) if table.records else None,
            hint="download it again; the query may have matched no record",
        )
    frame = make_frame(rows)
    frame["vintage"] = pd.to_datetime(pd.Series(vintages))
    check_unique_periods(frame, origin=origin)
    return ParsedRelease(frame, source=NAME, vintage=max(vintages))


def _parse(raw: bytes, origin: str) -> ParsedRelease:
    if _is_table3(raw):
        return _parse_table3(raw, origin)
    return _parse_table1(raw, origin)


def parse(raw: bytes, *, origin: str) -> ParsedRelease:
    """Parse MSPD Table I or Table III records (API JSON or CSV) into tidy observations.

    Parameters
    ----------
    raw
        The bytes of an API JSON page or a CSV of MSPD Table I or Table III (told apart by their columns).
    origin
        File path or download address, named in every error message.

    Returns
    -------
    ParsedRelease
        Table I: series ``fiscaldata.mspd.<type>.<class>.<held_by_public|intragov|total>``, unit ``"USD bn"``
        (published millions / 1,000), period = ``record_date``; ``vintage`` is ``None``.
        Table III: series ``fiscaldata.mspd.maturing.<class>`` (``"USD bn"``) and
        ``fiscaldata.mspd.maturing.coupon_weighted.<class>`` (``"percent"``), period = the maturity month's last
        day, a ``vintage`` column = the statement's ``record_date`` (``vintage`` = the latest one).

    Raises
    ------
    ParseError
        For any malformed input (wrong header, missing column, non-numeric amount, duplicated row, wrong encoding,
        empty file, truncated JSON); the message names file, line and field. No other exception escapes.

    References
    ----------
    .. [1] https://fiscaldata.treasury.gov/datasets/monthly-statement-public-debt/summary-of-treasury-securities-outstanding
    .. [2] https://fiscaldata.treasury.gov/datasets/monthly-statement-public-debt/detail-of-marketable-treasury-securities-outstanding
    """
    return guarded(origin, lambda: _parse(raw, origin))
