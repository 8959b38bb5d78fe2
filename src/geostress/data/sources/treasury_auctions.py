"""Treasury auctions from TreasuryDirect's "Auction Query" export: monthly counts, bill share and average term.

TreasuryDirect's Auction Query exports every marketable Treasury auction as CSV
(``Auctions_Query_<from>_<to>.csv``, UTF-8 with byte-order mark, newest first)::

    CUSIP,Security Type,Security Term,Auction Date,Issue Date,Maturity Date,Price per $100,
    Download PDF - Announcement, ... ,Download XML - Competitive Results

``Security Type`` is ``Bill``, ``Note`` or ``Bond`` (TIPS, FRNs and cash-management bills are not typed
separately); a term such as ``9-Year 11-Month`` is a reopening of a 10-year note; ``null`` is literal text for a
missing cell (old auctions, or announced auctions not yet priced).

What is stored (monthly, dated at the end of the auction month)
---------------------------------------------------------------
==============================================  ==================================================  =========
``treasury.auctions.count.<type>``              auctions held, ``bill``, ``note``, ``bond``, ``all``  auctions
``treasury.auctions.count.reopenings``          note and bond auctions whose term is not whole years  auctions
``treasury.auctions.bill_share``                bills as a share of all auctions (count basis)       percent
``treasury.auctions.avg_term_years.<type>``     mean original term (issue to maturity) of the        years
                                                month's auctions, ``all`` and ``coupons`` (notes and
                                                bonds)
==============================================  ==================================================  =========

**Left out, because the export does not have them:** offering and accepted amounts, yields, bid-to-cover ratios
and investor-class allotments. Without amounts, the bill share and the average term are **counts of auctions,
not dollars**: a 4-week bill and a 30-year bond weigh the same. Also left out: CUSIPs, prices and links to the
announcement and result documents (the product uses none). Months are counted by auction date.

**Only auctions held are counted.** The export also lists auctions announced and not yet held or priced when it
was exported (an announcement document, but no price and no competitive results: the three rows dated 2025-12-09
and 2025-12-11 of the checked export, whose vintage is 2025-12-09); they are left out of every series, so that a
release never reports an auction that had not happened by its date. The export's last month is therefore usually
**partial** (up to the export date).

References
----------
.. [1] U.S. Department of the Treasury, Bureau of the Fiscal Service, TreasuryDirect "Auction Query",
   https://www.treasurydirect.gov/auctions/auction-query/
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from geostress.data.sources._common import (Cursor, CsvTable, decode_utf8, guarded, month_end, parse_iso_date,
                                            read_csv_table)
from geostress.data.sources.base import UNIT_PERCENT, ParsedRelease, Query, make_frame
from geostress.errors import ParseError

NAME = "treasury-auctions"
TITLE = "Treasury auctions (TreasuryDirect Auction Query): monthly counts, bill share, average term"
PUBLISHER = "U.S. Department of the Treasury, Bureau of the Fiscal Service (TreasuryDirect)"
LICENSE = "U.S. Government work, public domain"

QUERY_PAGE = "https://www.treasurydirect.gov/auctions/auction-query/"
#: Public copy of the checked export.
MIRROR = (
    "https://raw.githubusercontent.com/mrgeneko/wealth-tracker/0431901a14a7bc9ed751b5a2c1ce336860ef237d/"
    "config/Auctions_Query_19791115_20251215.csv"
)
COLUMNS = ["CUSIP", "Security Type", "Security Term", "Auction Date", "Issue Date", "Maturity Date"]
#: Columns that say an auction was announced (any present) and that it was held: a price or results.
ANNOUNCED_COLUMNS = ("Download PDF - Announcement", "Download XML - Announcement")
RESULT_COLUMNS = ("Price per $100", "Download PDF - Competitive Results", "Download XML - Competitive Results")
#: The export's text for an empty cell.
NULL = {"", "null"}
TYPES = {"bill": "Bill", "note": "Note", "bond": "Bond"}
UNIT_AUCTIONS = "auctions"
UNIT_YEARS = "years"

_TERM = re.compile(r"^(?:(\d+)-Year)?\s*(?:(\d+)-Month)?\s*(?:(\d+)-Week)?\s*(?:(\d+)-Day)?$")


def build_queries(**options: str) -> list[Query]:
    """Say what to download: the public copy of the checked export (TreasuryDirect's query is interactive).

    Parameters
    ----------
    **options
        ``url``: another export's address. Newer data: export from :data:`QUERY_PAGE` and import the CSV with
        ``geostress data import FILE --source treasury-auctions``.

    Returns
    -------
    list[Query]
        One query.
    """
    url = options.get("url", MIRROR)
    return [Query(url=url, filename=url.rsplit("/", 1)[-1])]


def is_reopening(term: str) -> bool:
    """Whether a note or bond term names a reopening (``9-Year 11-Month``) rather than a new issue (``10-Year``)."""
    m = _TERM.match(term.strip())
    return bool(m and m.group(2) is not None)


def parse(raw: bytes, *, origin: str) -> ParsedRelease:
    """Parse an Auction Query CSV into the monthly series of the module notes.

    Parameters
    ----------
    raw
        The CSV's bytes.
    origin
        File name or address, used in error messages.

    Returns
    -------
    ParsedRelease
        ``treasury.auctions.*`` monthly series; ``vintage`` is ``None`` (the export prints no date).

    Raises
    ------
    ParseError
        Missing column, unknown security type, bad date, maturity before issue, an empty CUSIP or one auctioned
        twice on the same day; naming file, line and field.

    References
    ----------
    .. [1] https://www.treasurydirect.gov/auctions/auction-query/
    """
    cursor = Cursor()
    return guarded(origin, lambda: _parse(raw, origin=origin, cursor=cursor), cursor=cursor)


def _held(table: CsvTable, cells: list[str]) -> bool:
    """Whether a row is an auction held: not one announced (an announcement document) without any result (no
    price, no competitive results). Old rows have neither announcement nor results and count as held."""
    def present(names: tuple[str, ...]) -> bool:
        return any(name in table.columns and table.cell(cells, name).lower() not in NULL for name in names)

    return present(RESULT_COLUMNS) or not present(ANNOUNCED_COLUMNS)


def _parse(raw: bytes, *, origin: str, cursor: Cursor) -> ParsedRelease:
    text = decode_utf8(raw, origin=origin, header_field="CUSIP")
    table = read_csv_table(text, origin=origin, required=COLUMNS, what="a TreasuryDirect Auction Query export")
    records: list[tuple[pd.Timestamp, str, float, bool]] = []
    seen: dict[tuple[str, date], int] = {}
    for line, cells in table.rows:
        cursor.line, cursor.field = line, "CUSIP"
        cusip = table.cell(cells, "CUSIP")
        if not re.fullmatch(r"[0-9A-Z]{9}", cusip):
            raise ParseError(f"expected a 9-character CUSIP, found {cusip[:20]!r}", file=origin, line=line,
                             field="CUSIP", hint="the file may be damaged; download it again")
        kind = table.cell(cells, "Security Type")
        if kind not in TYPES.values():
            raise ParseError(f"unknown security type {kind[:20]!r}", file=origin, line=line, field="Security Type",
                             hint="expected Bill, Note or Bond")
        auction = parse_iso_date(table.cell(cells, "Auction Date"), origin=origin, line=line, field="Auction Date")
        issue = parse_iso_date(table.cell(cells, "Issue Date"), origin=origin, line=line, field="Issue Date")
        maturity = parse_iso_date(table.cell(cells, "Maturity Date"), origin=origin, line=line, field="Maturity Date")
        if maturity <= issue or issue < auction:
            raise ParseError(f"dates out of order: auction {auction}, issue {issue}, maturity {maturity}",
                             file=origin, line=line, field="Maturity Date" if maturity <= issue else "Issue Date")
        key = (cusip, auction)
        if key in seen:
            raise ParseError(f"CUSIP {cusip} auctioned on {auction} appears twice (first on line {seen[key]})",
                             file=origin, line=line, field="CUSIP", hint="the file is duplicated; download it again")
        seen[key] = line
        if not _held(table, cells):
            continue  # announced, not yet held: no price, no results (module notes)
        term = table.cell(cells, "Security Term")
        reopening = kind != "Bill" and is_reopening(term)
        records.append((month_end(auction.year, auction.month), kind, (maturity - issue).days / 365.25, reopening))
    cursor.line = cursor.field = None
    if not records:
        raise ParseError("no auctions", file=origin, line=table.header_line + 1, field="CUSIP")
    frame = pd.DataFrame(records, columns=["period", "kind", "term", "reopening"])
    months = pd.period_range(frame["period"].min(), frame["period"].max(), freq="M").to_timestamp(how="end").normalize()
    rows: list[tuple[str, str, pd.Timestamp | str, float, str]] = []
    grouped = frame.groupby("period")
    counts = frame.pivot_table(index="period", columns="kind", values="term", aggfunc="count").reindex(months).fillna(0)
    for slug, kind in TYPES.items():
        col = counts[kind] if kind in counts else pd.Series(0.0, index=months)
        rows += [(f"treasury.auctions.count.{slug}", f"Treasury auctions held in the month: {kind.lower()}s",
                  p, float(v), UNIT_AUCTIONS) for p, v in col.items()]
    total = counts.sum(axis=1)
    rows += [("treasury.auctions.count.all", "Treasury auctions held in the month: all", p, float(v), UNIT_AUCTIONS)
             for p, v in total.items()]
    reopen = grouped["reopening"].sum().reindex(months).fillna(0)
    rows += [("treasury.auctions.count.reopenings", "Treasury note and bond auctions that reopen an issue", p,
              float(v), UNIT_AUCTIONS) for p, v in reopen.items()]
    bills = counts["Bill"] if "Bill" in counts else pd.Series(0.0, index=months)
    rows += [("treasury.auctions.bill_share", "Bills as a share of Treasury auctions (count, not dollars)", p,
              round(100 * float(b) / float(t), 6), UNIT_PERCENT) for p, b, t in zip(months, bills, total, strict=True)
             if t > 0]
    rows += [("treasury.auctions.avg_term_years.all", "Mean original term of the month's Treasury auctions (count "
              "basis)", p, round(float(v), 6), UNIT_YEARS) for p, v in grouped["term"].mean().items()]
    coupons = frame[frame["kind"] != "Bill"].groupby("period")["term"].mean()
    rows += [("treasury.auctions.avg_term_years.coupons", "Mean original term of the month's note and bond auctions "
              "(count basis)", p, round(float(v), 6), UNIT_YEARS) for p, v in coupons.items()]
    return ParsedRelease(observations=make_frame(rows), source=NAME, vintage=None)
