"""Treasury Fiscal Data: Monthly Statement of the Public Debt (MSPD), Table I "Summary of Treasury Securities
Outstanding", by security type and class and by holder.

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

References
----------
.. [1] U.S. Treasury, Bureau of the Fiscal Service, "Monthly Statement of the Public Debt: Summary of Treasury
   Securities Outstanding",
   https://fiscaldata.treasury.gov/datasets/monthly-statement-public-debt/summary-of-treasury-securities-outstanding
.. [2] FiscalData API documentation, https://fiscaldata.treasury.gov/api-documentation/
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from geostress.data.sources._common import guarded
from geostress.data.sources.base import UNIT_USD_BN, ParsedRelease, Query, slugify
from geostress.data.sources.fiscaldata_rates import PAGE_SIZE, FiscalTable, read_fiscaldata

NAME = "fiscaldata-mspd"
TITLE = "Monthly Statement of the Public Debt, Table I: Summary of Treasury Securities Outstanding"
PUBLISHER = "U.S. Department of the Treasury, Bureau of the Fiscal Service (Fiscal Data)"
LICENSE = "U.S. Government work, public domain in the United States (17 U.S.C. 105)"

#: FiscalData API endpoint of MSPD Table I.
API_URL = "https://api.fiscaldata.treasury.gov/services/api/fiscal_service/v1/debt/mspd/mspd_table_1"

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


def build_queries(start: str | None = None) -> list[Query]:
    """Say what to download: MSPD Table I in one API page, newest month first.

    Parameters
    ----------
    start
        Optional first record date (``YYYY-MM-DD``); the whole history (from 2001) when omitted.

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
    return [Query(url=API_URL, params=params, filename="mspd_table_1.json")]


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


def _parse(raw: bytes, origin: str) -> ParsedRelease:
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


def parse(raw: bytes, *, origin: str) -> ParsedRelease:
    """Parse MSPD Table I records (API JSON or CSV) into tidy observations in USD bn.

    Parameters
    ----------
    raw
        The bytes of an API JSON page or a CSV of MSPD Table I.
    origin
        File path or download address, named in every error message.

    Returns
    -------
    ParsedRelease
        Series ``fiscaldata.mspd.<type>.<class>.<held_by_public|intragov|total>``, unit ``"USD bn"`` (published
        millions / 1,000), period = ``record_date``; ``vintage`` is ``None``.

    Raises
    ------
    ParseError
        For any malformed input (wrong header, missing column, non-numeric amount, duplicated row, wrong encoding,
        empty file, truncated JSON); the message names file, line and field. No other exception escapes.

    References
    ----------
    .. [1] https://fiscaldata.treasury.gov/datasets/monthly-statement-public-debt/summary-of-treasury-securities-outstanding
    """
    return guarded(origin, lambda: _parse(raw, origin))
