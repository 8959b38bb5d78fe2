"""Official gold reserves by country, quarterly, in tonnes (World Gold Council, from IMF IFS).

The World Gold Council's "Gold reserves by country" (GoldHub) compiles central-bank gold holdings from the IMF's
International Financial Statistics. GoldHub offers the table only through its dashboard; the machine-readable
copy read here is the long CSV ``data/wgc_reserves.csv`` of the public scraper repository
``Borissapo/WGCReserves``::

    Date,Country,Tonnes
    2000-03,Japan,753.55

``Date`` is the quarter-end month (YYYY-MM; a full date YYYY-MM-DD is also accepted) and becomes the last day of
that month (2025-12 → 2025-12-31); ``Tonnes`` are metric tonnes. Blank ``Tonnes`` cells (not reported) are skipped.

Series ids
----------
``gold.wgc.<country_slug>``, unit ``tonnes``. The slug is :func:`~geostress.data.sources.base.slugify` of the
country name after the small map :data:`COUNTRY_SLUGS` of WGC/IMF names to short names:

==============================  ====================
WGC / IMF name                  slug
==============================  ====================
China (also "China, P.R.: Mainland")  ``china``
United States of America        ``united_states``
Russian Federation              ``russia``
Taiwan, China                   ``taiwan``
Hong Kong SAR                   ``hong_kong``
Korea, Republic of              ``south_korea``
Türkiye / Turkey                ``turkey``
Syrian Arab Republic            ``syria``
Lao PDR                         ``laos``
==============================  ====================

Caveats: the copy is scraped from the GoldHub dashboard, not a WGC file download. The latest quarter is
incomplete (countries that have not reported to the IMF yet are missing, e.g. the United States, Germany and
France stop at 2025-09 in the checked copy). Convert to million troy ounces with × 0.0321507466.

References
----------
.. [1] World Gold Council, "Gold reserves by country", GoldHub,
   https://www.gold.org/goldhub/data/gold-reserves-by-country
.. [2] International Monetary Fund, International Financial Statistics / International Reserves and Foreign
   Currency Liquidity, https://data.imf.org/
.. [3] ``Borissapo/WGCReserves``, ``data/wgc_reserves.csv``, https://github.com/Borissapo/WGCReserves
"""

from __future__ import annotations

import re

import pandas as pd

from geostress.data.sources._common import Cursor, decode_utf8, guarded, is_missing, month_end, read_csv_table
from geostress.data.sources.base import (
    UNIT_TONNES,
    ParsedRelease,
    Query,
    check_unique_periods,
    make_frame,
    parse_number,
    slugify,
)
from geostress.errors import ParseError

NAME = "gold-wgc"
TITLE = "Official gold reserves by country, quarterly (World Gold Council from IMF IFS)"
PUBLISHER = "World Gold Council (from IMF International Financial Statistics)"
LICENSE = "© World Gold Council, GoldHub terms and conditions (data from IMF IFS); attribution required"

#: Scraper repository and the commit of the checked copy (``ref="main"`` gets the newest).
REPOSITORY = "Borissapo/WGCReserves"
PINNED_COMMIT = "26109505fbe85ac65b5e6703c84ecdbe52e56b69"
OFFICIAL_PAGE = "https://www.gold.org/goldhub/data/gold-reserves-by-country"

COLUMNS = ["Date", "Country", "Tonnes"]

#: Troy ounces per metric tonne.
OZ_PER_TONNE = 32_150.7466

#: WGC/IMF country names → slug (slugified keys; anything else is slugified as it stands).
COUNTRY_SLUGS: dict[str, str] = {
    "china": "china",
    "china_p_r_mainland": "china",
    "china_mainland": "china",
    "united_states_of_america": "united_states",
    "united_states": "united_states",
    "russian_federation": "russia",
    "taiwan_china": "taiwan",
    "taiwan_province_of_china": "taiwan",
    "hong_kong_sar": "hong_kong",
    "china_p_r_hong_kong": "hong_kong",
    "korea_republic_of": "south_korea",
    "turkiye": "turkey",
    "syrian_arab_republic": "syria",
    "lao_pdr": "laos",
}


def country_slug(name: str) -> str:
    """Short slug of a country name: ``"Russian Federation"`` → ``"russia"`` (see :data:`COUNTRY_SLUGS`)."""
    slug = slugify(name)
    return COUNTRY_SLUGS.get(slug, slug)


def build_queries(**options: str) -> list[Query]:
    """Say what to download: the long CSV of WGC gold reserves by country.

    GoldHub (:data:`OFFICIAL_PAGE`) has no stable file address, so the query points at the CSV copy in
    ``Borissapo/WGCReserves``.

    Parameters
    ----------
    **options
        ``ref``: branch, tag or commit of that repository (default: the checked commit :data:`PINNED_COMMIT`).

    Returns
    -------
    list[Query]
        One query, file name ``wgc_reserves.csv``.
    """
    ref = options.get("ref", PINNED_COMMIT)
    url = f"https://raw.githubusercontent.com/{REPOSITORY}/{ref}/data/wgc_reserves.csv"
    return [Query(url=url, filename="wgc_reserves.csv")]


def parse_month(cell: str, *, origin: str, line: int, field: str) -> pd.Timestamp:
    """``YYYY-MM`` or ``YYYY-MM-DD`` → the last day of that month, or a :class:`ParseError`."""
    text = cell.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", text)
    if m is None or not 1 <= int(m.group(2)) <= 12 or not 1800 <= int(m.group(1)) <= 2200:
        raise ParseError(f"expected a month YYYY-MM, found {text!r}", file=origin, line=line, field=field)
    return month_end(int(m.group(1)), int(m.group(2)))


def parse(raw: bytes, *, origin: str) -> ParsedRelease:
    """Parse ``wgc_reserves.csv`` into one quarterly series per country.

    Parameters
    ----------
    raw
        The file's bytes.
    origin
        File name or address, used in error messages.

    Returns
    -------
    ParsedRelease
        Observations ``gold.wgc.<country_slug>`` in ``tonnes`` at month-end dates; ``vintage`` is ``None`` (the
        file carries no release date).

    Raises
    ------
    ParseError
        Wrong or missing column, bad month, empty country, non-numeric or negative tonnes, a country repeated in
        one quarter, truncated or undecodable file — naming file, line and field.
    """
    cursor = Cursor()
    return guarded(origin, lambda: _parse(raw, origin=origin, cursor=cursor), cursor=cursor)


def _parse(raw: bytes, *, origin: str, cursor: Cursor) -> ParsedRelease:
    text = decode_utf8(raw, origin=origin, header_field="header")
    table = read_csv_table(text, origin=origin, required=COLUMNS)
    rows: list[tuple[str, str, pd.Timestamp, float, str]] = []
    seen: dict[tuple[str, pd.Timestamp], int] = {}
    months: dict[str, pd.Timestamp] = {}
    slugs: dict[str, str] = {}
    for line, cells in table.rows:
        cursor.line, cursor.field = line, "Date"
        text = table.cell(cells, "Date")
        period = months.get(text)
        if period is None:
            period = months[text] = parse_month(text, origin=origin, line=line, field="Date")
        cursor.field = "Country"
        country = table.cell(cells, "Country")
        slug = slugs.get(country)
        if slug is None:
            slug = country_slug(country)
            if not slug:
                raise ParseError(f"expected a country name, found {country!r}", file=origin, line=line, field="Country")
            slugs[country] = slug
        cursor.field = "Tonnes"
        cell = table.cell(cells, "Tonnes")
        if is_missing(cell):
            continue
        value = parse_number(cell, origin=origin, line=line, field="Tonnes")
        if value < 0:
            raise ParseError(f"negative gold holding {cell!r}", file=origin, line=line, field="Tonnes")
        series_id = f"gold.wgc.{slug}"
        first = seen.get((series_id, period))
        if first is not None:
            raise ParseError(
                f"{period:%Y-%m} of series {series_id} ({country}) appears twice (first on line {first})",
                file=origin,
                line=line,
                field="Date",
                hint="the file is duplicated or damaged; download it again",
            )
        seen[(series_id, period)] = line
        rows.append((series_id, f"Official gold reserves, {country} (WGC from IMF IFS)", period, value, UNIT_TONNES))
    cursor.line, cursor.field = None, None
    if not rows:
        raise ParseError(
            "no values: every Tonnes cell is blank", file=origin, line=table.header_line + 1, field="Tonnes"
        )
    frame = make_frame(rows)
    check_unique_periods(frame, origin=origin)
    return ParsedRelease(observations=frame, source=NAME, vintage=None)
