"""USGS Mineral Commodity Summaries data release (all commodities, one CSV), rare-earths chapters; MCS 2026 on.

From MCS 2026 the USGS publishes the tables of every chapter as one CSV on ScienceBase
(``MCS2026_Commodities_Data.csv``, Windows-1252 text) with the columns::

    MCS chapter, Section, Commodity, Country, Statistics, Statistics_detail, Unit, Year, Value, Notes,
    Is critical mineral 2025, Other notes

This parser keeps the rows of chapter ``RARE EARTHS`` (and of ``RARE EARTHS (Heavy)``, below) and stores them
under the **same series ids** as the MCS 2025 chapter read by :mod:`.usgs_ree`, so that MCS 2025 (vintage
2025-01-31, figures to 2024) and MCS 2026 (vintage 2026-02-06, figures to 2025) are two vintages of one series and
``as_of`` tells which edition was known:

=============================================  ===========================================================
``usgs.ree.mine_production.<country_slug>``    section "World Mine Production and Reserves", Statistics
                                               ``Production``; 2024 and 2025, year-end dates; ``world`` is
                                               USGS's rounded total and ``other`` "Other countries"
``usgs.ree.reserves.<country_slug>``           Statistics ``Reserves``, dated 2025-12-31
``usgs.ree.us.<measure>``                      section "Salient Statistics—United States", 2021–2025; measure
                                               from ``Statistics_detail`` as in :mod:`.usgs_ree`
                                               (``production.mineral_concentrates``, ``imports.compounds``,
                                               ``price.neodymium_praseodymium_oxide``, ``consumption``,
                                               ``net_import_reliance.compounds_and_metals``, ...)
``usgs.ree.import_sources.<country_slug>``     section "Import Sources", shares of 2021–24, dated 2024-12-31
=============================================  ===========================================================

The rows of chapter ``RARE EARTHS (Heavy)`` (51 rows: prices of seven heavy-rare-earth oxides, imports, net import
reliance and import sources by element) are kept too, in the same scheme:

====================================================  ====================================================
``usgs.ree.us.price.<element>_oxide``                 prices 2021–2025 (``USD/kg``) of the oxides of
                                                      dysprosium, terbium, holmium, erbium, ytterbium and
                                                      lutetium: the **same ids** as the MCS 2025 chapter's
                                                      Dy and Tb prices (:mod:`.usgs_ree`), so MCS 2026 is a
                                                      later vintage of them (2024 revised: Dy 260 → 257,
                                                      Tb 810 → 812 USD/kg)
``usgs.ree.heavy.us.imports.compounds_and_metals``    heavy-rare-earth imports, metric tons REO (estimated
                                                      by USGS from shipping records), 2021–2025
``usgs.ree.heavy.us.net_import_reliance.``            percent of apparent consumption, 2021–2025
``compounds_and_metals``
``usgs.ree.heavy.import_sources.<element>.<country>``  shares of U.S. imports of each element's compounds
                                                      and metals, 2021–24, dated 2024-12-31
====================================================  ====================================================

(``usgs.ree.heavy.`` keeps the heavy chapter's imports and net import reliance apart from the light chapter's
series of the same name.)

Units: ``metric tons REO``, ``USD/kg`` (annual average prices, FOB, source Argus), ``percent``, ``persons``. Cells
"—" (zero), "E" (net exporter), "NA", "W" (withheld) and "XX" are skipped. A bound such as ``>95`` or
``>85,000,000`` is stored as its number and the label says so.

Revisions after the data release
--------------------------------
The ScienceBase CSV is the first version (v1.0, 6 February 2026); USGS revised the chapter later
(``versionHist.txt``). Version 1.3 (27 May 2026) changed Brazil's reserves from 21,000,000 to 11,000,000 t and the
world total from >85,000,000 to >75,000,000 t. Where the file still holds the v1.0 value, the parser keeps it at
the release vintage and adds the revised value as a **later vintage** (2026-05-27; rows carry a ``vintage``
column), so ``as_of`` before 27 May 2026 gives 21,000,000 and today gives 11,000,000 (:data:`REVISIONS`). The v1.1
change (a footnote moved from China's 2024 production to India's reserves) changes no number.

Left out: the other ~90 chapters (yttrium, which USGS counts as heavy but excludes from the heavy chapter, has its
own), and the free-text ``Notes`` (kept only as "estimated" in labels).

References
----------
.. [1] U.S. Geological Survey, 2026, Mineral Commodity Summaries 2026 data release, https://doi.org/10.5066/P1WKQ63T
.. [2] U.S. Geological Survey, 2026, "Rare Earths", in Mineral Commodity Summaries 2026,
   https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-rare-earths.pdf
.. [3] U.S. Geological Survey, MCS 2026 revision history, https://pubs.usgs.gov/periodicals/mcs2026/versionHist.txt
.. [4] U.S. Geological Survey, 2026, "Rare Earths (Heavy)", in Mineral Commodity Summaries 2026,
   https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-rare-earths-heavy.pdf
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from geostress.data.sources._common import Cursor, decode_utf8, guarded, read_csv_table, year_end
from geostress.data.sources.base import (UNIT_METRIC_TONS_REO, UNIT_PERCENT, ParsedRelease, Query, make_frame, slugify,
                                         strip_thousands)
from geostress.data.sources.usgs_ree import TOP_LEVEL, UNIT_PERSONS, UNIT_USD_PER_KG
from geostress.errors import ParseError

NAME = "usgs-mcs"
TITLE = "USGS Mineral Commodity Summaries data release (rare earths), MCS 2026 on"
PUBLISHER = "U.S. Geological Survey, National Minerals Information Center"
LICENSE = "U.S. Government work, public domain (USGS)"

#: ScienceBase item of the MCS 2026 data release (the CSV is a file of this item).
SCIENCEBASE_ITEM = "https://www.sciencebase.gov/catalog/item/696a75d5d4be0228872d3bf8"
#: Public copy of the CSV (bytes equal to the ScienceBase file, SHA-256 582a0aa2...).
MIRROR = (
    "https://raw.githubusercontent.com/therealjameswilson/critical-minerals-records-stage-v3/"
    "942d04a0d9f4f29fa0459535014a860e29ecdbd2/data/raw/usgs_mcs2026_commodities_data.csv"
)

CHAPTER = "RARE EARTHS"
#: The heavy-rare-earths chapter (Dy, Tb, Ho, Er, Yb, Lu prices; imports; import sources by element).
HEAVY_CHAPTER = "RARE EARTHS (HEAVY)"
COLUMNS = ["MCS chapter", "Section", "Country", "Statistics", "Statistics_detail", "Unit", "Year", "Value", "Notes"]

#: Publication date of each edition (first posting); editions not listed: 31 January of the edition year.
PUBLISHED: dict[int, date] = {2025: date(2025, 1, 31), 2026: date(2026, 2, 6)}


@dataclass(frozen=True)
class Revision:
    """A value USGS corrected after the data release."""

    series_id: str
    period: str
    released: float
    revised: float
    date: date
    note: str


#: Corrections of later MCS versions (applied as later vintages when the file holds the released value).
REVISIONS: tuple[Revision, ...] = (
    Revision("usgs.ree.reserves.brazil", "2025-12-31", 21_000_000, 11_000_000, date(2026, 5, 27),
             "revised in MCS 2026 v1.3 of 2026-05-27 from 21,000,000"),
    Revision("usgs.ree.reserves.world", "2025-12-31", 85_000_000, 75_000_000, date(2026, 5, 27),
             "'>75,000,000' in MCS 2026 v1.3 of 2026-05-27 (was '>85,000,000')"),
)

_UNITS = {"metric tons": UNIT_METRIC_TONS_REO, "dollars per kilogram": UNIT_USD_PER_KG, "percent": UNIT_PERCENT,
          "number": UNIT_PERSONS}
_SKIP = {"", "—", "–", "-", "e", "na", "w", "xx", "s"}
_SLUGS = {"world_total": "world", "other_countries": "other"}
_YEAR = re.compile(r"^(\d{4})(?:\s*[–-]\s*(\d{2,4}))?$")
_NUMBER = re.compile(r"^([<>])?\s*(\d{1,3}(?:,\d{3})*|\d+)(\.\d+)?$")
#: The heavy chapter writes "Imports, compounds and metals" where the light one writes "Imports: Compounds".
_HEAVY_DETAIL = re.compile(r",\s*(compounds and metals)$", re.I)
_ELEMENT = re.compile(r"^([A-Za-z]+)\s+compounds and metals$", re.I)


def build_queries(**options: str) -> list[Query]:
    """Say what to download: the MCS data-release CSV (public copy of the ScienceBase file).

    Parameters
    ----------
    **options
        ``url``: another address of the CSV (e.g. the ScienceBase file link of a later edition).

    Returns
    -------
    list[Query]
        One query, file name ``MCS2026_Commodities_Data.csv``.
    """
    return [Query(url=options.get("url", MIRROR), filename="MCS2026_Commodities_Data.csv")]


def country_slug(name: str) -> str:
    """``"World total"`` → ``world``, ``"Other countries"`` → ``other``, else :func:`slugify`."""
    slug = slugify(name)
    return _SLUGS.get(slug, slug)


def salient_measure(detail: str) -> str | None:
    """The ``usgs.ree.us.`` measure of a salient-statistics ``Statistics_detail`` (``None`` if unknown).

    ``"Imports: Metals: Ferrocerium, alloys"`` → ``imports.metals.ferrocerium_alloys``;
    ``"Price, average, dollars per kilogram: Cerium oxide, 99.5% minimum"`` → ``price.cerium_oxide``;
    ``"Consumption, apparent, compounds and metals"`` → ``consumption`` (the rule of :mod:`.usgs_ree`; a
    parenthesis in a price name is dropped: ``Neodymium-praseodymium (NdPr) oxide`` →
    ``price.neodymium_praseodymium_oxide``).
    """
    parts = [p.strip() for p in detail.split(":")]
    top = next((key for rx, key, _unit in TOP_LEVEL if rx.search(parts[0])), None)
    if top is None:
        return None
    rest = parts[1:]
    if top == "price" and rest:
        rest = [*rest[:-1], re.sub(r"\s*\([^)]*\)", "", rest[-1].split(",")[0])]
    return ".".join([top, *(slugify(p) for p in rest if slugify(p))])


def parse_value(cell: str, *, origin: str, line: int, field: str) -> tuple[float | None, str | None]:
    """A USGS cell → (value, bound): ``"1,900,000"`` → (1.9e6, None), ``">95"`` → (95, ">"), ``"NA"`` → (None, None)."""
    text = cell.strip()
    if text.lower() in _SKIP:
        return None, None
    m = _NUMBER.match(text)
    if m is None:
        raise ParseError(
            f"expected a number (or —, E, NA, W), found {text[:40]!r}", file=origin, line=line, field=field,
            hint="the file may be damaged or USGS added a new symbol",
        )
    digits = strip_thousands(m.group(2), origin=origin, line=line, field=field)  # (the pattern checked the grouping)
    return float(digits + (m.group(3) or "")), m.group(1)


def _heavy_series(section: str, country: str, detail: str, year_text: str, *, origin: str,
                  line: int) -> tuple[str, str]:
    """Series id and label (without unit) of a row of chapter ``RARE EARTHS (Heavy)``; see the module notes."""
    slug = country_slug(country)
    if section.startswith("Salient Statistics"):
        measure = salient_measure(_HEAVY_DETAIL.sub(r": \1", detail))
        if measure is None:
            raise ParseError(f"unknown salient statistic {detail[:60]!r} (heavy rare earths)", file=origin,
                             line=line, field="Statistics_detail", hint="USGS added a measure; update geostress")
        prefix = "usgs.ree.us." if measure.startswith("price.") else "usgs.ree.heavy.us."
        return prefix + measure, f"USGS MCS rare earths (heavy), United States: {detail}"
    if section.startswith("Import Sources"):
        m = _ELEMENT.match(detail.strip())
        if m is None or not slug:
            raise ParseError(f"expected '<element> compounds and metals', found {detail[:60]!r}", file=origin,
                             line=line, field="Statistics_detail", hint="the file may be damaged")
        element = slugify(m.group(1))
        return (f"usgs.ree.heavy.import_sources.{element}.{slug}",
                f"USGS MCS: share of U.S. imports of {m.group(1).lower()} compounds and metals, {year_text}: "
                f"{country}")
    raise ParseError(f"unknown section {section[:60]!r} in the heavy rare-earths chapter", file=origin, line=line,
                     field="Section")


def parse(raw: bytes, *, origin: str) -> ParsedRelease:
    """Parse the MCS data-release CSV: the rare-earths chapters (light and heavy), with USGS's later revisions.

    Parameters
    ----------
    raw
        The CSV's bytes (Windows-1252; UTF-8 is accepted too).
    origin
        File name or address, used in error messages.

    Returns
    -------
    ParsedRelease
        ``usgs.ree.*`` series (see the module notes) with a ``vintage`` column: the edition's publication date
        (:data:`PUBLISHED`), and the revision date for :data:`REVISIONS`; ``vintage`` is the publication date.

    Raises
    ------
    ParseError
        Missing column, no rare-earths rows, a bad year or value, an unknown unit, a series and year twice;
        naming file, line and field.

    References
    ----------
    .. [1] https://doi.org/10.5066/P1WKQ63T
    """
    cursor = Cursor()
    return guarded(origin, lambda: _parse(raw, origin=origin, cursor=cursor), cursor=cursor)


def _parse(raw: bytes, *, origin: str, cursor: Cursor) -> ParsedRelease:
    text = decode_utf8(raw, origin=origin, header_field="MCS chapter", encodings=("utf-8-sig", "cp1252"))
    table = read_csv_table(text, origin=origin, required=COLUMNS, what="a USGS MCS data-release CSV")
    rows: list[tuple[str, str, pd.Timestamp, float, str, int]] = []  # ..., line
    seen: dict[tuple[str, pd.Timestamp], int] = {}
    last_year = 0
    for line, cells in table.rows:
        chapter = table.cell(cells, "MCS chapter").upper()
        if chapter not in (CHAPTER, HEAVY_CHAPTER):
            continue
        heavy = chapter == HEAVY_CHAPTER
        cursor.line, cursor.field = line, "Year"
        year_text = table.cell(cells, "Year")
        m = _YEAR.match(year_text)
        if m is None:
            raise ParseError(f"expected a year such as 2025 or 2021–24, found {year_text[:20]!r}", file=origin,
                             line=line, field="Year")
        year = int(m.group(1))
        if m.group(2):
            end = m.group(2)
            year = int(end) if len(end) == 4 else (year // 100) * 100 + int(end)
        if not 1900 <= year <= 2200:
            raise ParseError(f"year {year} is out of range", file=origin, line=line, field="Year")
        last_year = max(last_year, year)
        cursor.field = "Value"
        value, bound = parse_value(table.cell(cells, "Value"), origin=origin, line=line, field="Value")
        if value is None:
            continue
        section, country = table.cell(cells, "Section"), table.cell(cells, "Country")
        stat, detail = table.cell(cells, "Statistics"), table.cell(cells, "Statistics_detail")
        cursor.field = "Unit"
        unit_text = table.cell(cells, "Unit")
        unit = _UNITS.get(unit_text.lower())
        if unit is None:
            raise ParseError(f"unknown unit {unit_text!r}", file=origin, line=line, field="Unit",
                             hint=f"expected one of {', '.join(_UNITS)}")
        cursor.field = "Statistics_detail"
        slug = country_slug(country)
        if heavy:
            sid, label = _heavy_series(section, country, detail, year_text, origin=origin, line=line)
        elif section.startswith("World Mine Production"):
            kind = {"production": "mine_production", "reserves": "reserves"}.get(stat.lower())
            if kind is None or not slug:
                raise ParseError(f"unexpected row {stat!r} / {country!r} in the world table", file=origin, line=line,
                                 field="Statistics")
            sid = f"usgs.ree.{kind}.{slug}"
            label = f"USGS MCS rare earths, {'mine production' if kind == 'mine_production' else 'reserves'}: {country}"
        elif section.startswith("Import Sources"):
            sid = f"usgs.ree.import_sources.{slug}"
            label = f"USGS MCS: share of U.S. imports of rare-earth compounds and metals, {year_text}: {country}"
        elif section.startswith("Salient Statistics"):
            measure = salient_measure(detail)
            if measure is None:
                raise ParseError(f"unknown salient statistic {detail[:60]!r}", file=origin, line=line,
                                 field="Statistics_detail", hint="USGS added a measure; update geostress")
            sid = f"usgs.ree.us.{measure}"
            label = f"USGS MCS rare earths, United States: {detail}"
        else:
            raise ParseError(f"unknown section {section[:60]!r}", file=origin, line=line, field="Section")
        notes = []
        if table.cell(cells, "Notes").lower().startswith("estimated"):
            notes.append("estimated")
        if bound:
            notes.append(f"'{table.cell(cells, 'Value')}' in the source, a bound, recorded as {value:,.0f}")
        label += f" ({unit}{'; ' + '; '.join(notes) if notes else ''})"
        period = year_end(year)
        if (sid, period) in seen:
            raise ParseError(
                f"{year} of series {sid} appears twice (first on line {seen[(sid, period)]})", file=origin,
                line=line, field="Year", hint="the file is duplicated or damaged; download it again",
            )
        seen[(sid, period)] = line
        rows.append((sid, label, period, value, unit, line))
    cursor.line = cursor.field = None
    if not rows:
        raise ParseError(f"no rows of chapter {CHAPTER!r}", file=origin, line=table.header_line + 1,
                         field="MCS chapter", hint="this is not the MCS data release, or it is truncated")
    edition = last_year + 1
    published = PUBLISHED.get(edition, date(edition, 1, 31))
    frame = make_frame([r[:5] for r in rows])
    frame["vintage"] = pd.Timestamp(published)
    extra = []
    for rev in REVISIONS:
        hit = (frame["series_id"] == rev.series_id) & (frame["period"] == pd.Timestamp(rev.period))
        if hit.sum() == 1 and frame.loc[hit, "value"].iloc[0] == rev.released and rev.date > published:
            label = str(frame.loc[hit, "label"].iloc[0])
            label = re.sub(r"'>[\d,]+' in the source, a bound, recorded as [\d,]+", "a bound", label)
            extra.append({"series_id": rev.series_id, "label": label[:-1] + f"; {rev.note})",
                          "period": pd.Timestamp(rev.period), "value": float(rev.revised),
                          "unit": frame.loc[hit, "unit"].iloc[0], "vintage": pd.Timestamp(rev.date)})
    if extra:
        frame = pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)
    return ParsedRelease(observations=frame, source=NAME, vintage=published)
