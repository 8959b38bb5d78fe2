"""USGS Mineral Commodity Summaries 2025, Rare Earths chapter (from its Markdown text extraction).

The U.S. Geological Survey's two-page MCS chapter on rare earths gives U.S. salient statistics for five years,
the sources of U.S. imports, and world mine production and reserves by country, in metric tons of rare-earth-oxide
(REO) equivalent unless noted. USGS publishes the chapter as a PDF; this parser reads the Markdown text extracted
from that PDF by the ``marker`` tool (``mcs2025-rare-earths.marker-text.md``), whose tables are pipe tables.

Series ids
----------
``usgs.ree.mine_production.<country_slug>``
    Mine production, metric tons REO (``metric tons REO``), at the end of each year shown (2023-12-31,
    2024-12-31); ``usgs.ree.mine_production.world`` is the rounded world total. Estimated (USGS "e").
``usgs.ree.reserves.<country_slug>``
    Reserves, metric tons REO, dated at the end of the latest production year (2024-12-31).
    ``usgs.ree.reserves.world`` is USGS's ">90,000,000", stored as 90,000,000 (a lower bound; said in the label).
``usgs.ree.us.<measure>``
    U.S. salient statistics, 2020–2024 (the last year estimated), with dotted measure names:
    ``production.mineral_concentrates``, ``production.compounds_and_metals``, ``imports.compounds``,
    ``imports.metals.ferrocerium_alloys``, ``imports.metals.rare_earth_metals_scandium_and_yttrium``,
    ``exports.ores_and_compounds``, ``exports.metals.…`` (metric tons REO); ``consumption`` (apparent consumption of
    compounds and metals, metric tons REO); ``price.cerium_oxide``, ``price.dysprosium_oxide``, … (``USD/kg``);
    ``employment`` (mine and mill, ``persons``); ``net_import_reliance.compounds_and_metals`` (``percent``;
    USGS's ">95" is stored as 95 and the label says so).
``usgs.ree.import_sources.<country_slug>``
    Share of U.S. imports of rare-earth compounds and metals over 2020–23 (``percent``), dated 2023-12-31:
    China (including Hong Kong) 70, Malaysia 13, Japan 6, Estonia 5, other 6.

Cells "—" (zero in USGS's legend), "E" (net exporter), "NA" and "W" are skipped: no observation is stored.

Footnote markers
----------------
The PDF's superscript footnote numbers are fused onto the numbers in the extracted text: ``1216,000`` is
footnote 12 and 16,000; ``14270,000`` is footnote 14 and 270,000; ``135,700,000`` is footnote 13 and 5,700,000.
They are removed by position, using the footnote numbers listed at the end of the chapter:

1. a number is *well formed* when it has 1–3 digits before its first thousands comma (or at most three digits
   and no comma) and groups of three after; a cell that is not well formed must start with a footnote number,
   and the longest listed footnote number that leaves a well-formed number is removed (``1216,000`` → 16,000);
2. a well-formed cell that starts with a footnote number already found (by rule 1) in the same row's production
   cells or in the same column, or with a footnote whose text names the row's country, loses it when a
   well-formed number remains (``127,200`` in Nigeria's row with ``1213,000`` → 7,200; ``122,100`` in the
   production column where footnote 12 is established → 2,100; ``135,700,000`` in Australia's row, footnote 13
   "For Australia, …" → 5,700,000);
3. each production column must then add up to the world total within 3 % (USGS rounds the total), otherwise a
   :class:`~geostress.errors.ParseError` says a marker could not be resolved.

Vintage
-------
MCS 2025 was published at the end of January 2025, and the file has no printed date; :attr:`ParsedRelease.vintage`
is 31 January of the year after the last salient-statistics year (2024 → ``date(2025, 1, 31)``).

References
----------
.. [1] U.S. Geological Survey, 2025, "Rare Earths", in Mineral Commodity Summaries 2025 (January 2025),
   https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-rare-earths.pdf
.. [2] U.S. Geological Survey, 2025, Mineral Commodity Summaries 2025, https://doi.org/10.3133/mcs2025
.. [3] ``NSSAC/dpi.RAG``, ``data/marker/mcs2025-rare-earths.md`` (marker text extraction of [1]),
   https://github.com/NSSAC/dpi.RAG
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from geostress.data.sources._common import Cursor, decode_utf8, guarded, year_end
from geostress.data.sources.base import (
    UNIT_METRIC_TONS_REO,
    UNIT_PERCENT,
    ParsedRelease,
    Query,
    check_unique_periods,
    make_frame,
    slugify,
    strip_thousands,
)
from geostress.errors import ParseError

NAME = "usgs-ree"
TITLE = "USGS Mineral Commodity Summaries 2025: Rare Earths"
PUBLISHER = "U.S. Geological Survey, National Minerals Information Center"
LICENSE = "U.S. Government work, public domain (USGS)"

OFFICIAL_PDF = "https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-rare-earths.pdf"
REPOSITORY = "NSSAC/dpi.RAG"
PINNED_COMMIT = "f570faa55a7ff8a638ec7f7712e487715094c6a1"

UNIT_USD_PER_KG = "USD/kg"
UNIT_PERSONS = "persons"

#: Cells that carry no observation: zero ("—", skipped as asked), net exporter, not available, withheld.
SKIP_CELLS = {"—", "–", "-", "e", "na", "w", "xx", ""}

#: Top-level measures of the salient-statistics table: (pattern on the cleaned label, measure, unit).
TOP_LEVEL = [
    (re.compile(r"^production\b", re.I), "production", UNIT_METRIC_TONS_REO),
    (re.compile(r"^imports?\b", re.I), "imports", UNIT_METRIC_TONS_REO),
    (re.compile(r"^exports?\b", re.I), "exports", UNIT_METRIC_TONS_REO),
    (re.compile(r"^consumption\b", re.I), "consumption", UNIT_METRIC_TONS_REO),
    (re.compile(r"^stocks?\b", re.I), "stocks", UNIT_METRIC_TONS_REO),
    (re.compile(r"^prices?\b", re.I), "price", UNIT_USD_PER_KG),
    (re.compile(r"^employment\b", re.I), "employment", UNIT_PERSONS),
    (re.compile(r"^net import reliance\b", re.I), "net_import_reliance", UNIT_PERCENT),
]

#: Row names of the world table → slug (others are slugified).
COUNTRY_SLUGS = {"world_total_rounded": "world", "world_total": "world", "world": "world"}

_WELL_FORMED = re.compile(r"(?:[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d{0,2}|0)(?:\.\d+)?")
_YEAR = re.compile(r"(\d{4})\s*(e?)")


def build_queries(**options: str) -> list[Query]:
    """Say what to download: the Markdown text extraction of the MCS 2025 rare-earths chapter.

    The official publication is the PDF :data:`OFFICIAL_PDF`; this parser reads its ``marker`` text extraction,
    kept in ``NSSAC/dpi.RAG`` (pinned at :data:`PINNED_COMMIT`).

    Parameters
    ----------
    **options
        ``format="pdf"``: the official PDF instead (not parseable here: :func:`parse` raises a
        :class:`ParseError` asking for the text extraction). ``ref``: branch or commit of the mirror.

    Returns
    -------
    list[Query]
        One query.
    """
    if options.get("format") == "pdf":
        return [Query(url=OFFICIAL_PDF, filename="mcs2025-rare-earths.pdf")]
    ref = options.get("ref", PINNED_COMMIT)
    url = f"https://raw.githubusercontent.com/{REPOSITORY}/{ref}/data/marker/mcs2025-rare-earths.md"
    return [Query(url=url, filename="mcs2025-rare-earths.marker-text.md")]


# --------------------------------------------------------------------------------------------------------------
# Numbers and footnote markers
# --------------------------------------------------------------------------------------------------------------


def is_well_formed(text: str) -> bool:
    """Whether ``text`` is a number with correct thousands grouping (1–3 digits before the first comma)."""
    return _WELL_FORMED.fullmatch(text) is not None


def strip_footnote(text: str, footnotes: set[int] | dict[int, str]) -> tuple[str, int | None]:
    """Remove a fused footnote marker from the front of a number, by the position of the thousands grouping.

    Parameters
    ----------
    text
        Cell text such as ``"1216,000"``.
    footnotes
        Footnote numbers listed in the document.

    Returns
    -------
    tuple[str, int | None]
        The well-formed number and the footnote removed (``("16,000", 12)``), or ``(text, None)`` when ``text``
        is already well formed or no listed footnote makes it so.

    Examples
    --------
    >>> strip_footnote("1216,000", {1, 12, 14})
    ('16,000', 12)
    >>> strip_footnote("14270,000", {1, 12, 14})
    ('270,000', 14)
    >>> strip_footnote("45,000", {1, 12})
    ('45,000', None)
    """
    if is_well_formed(text):
        return text, None
    return _strip_known(text, set(footnotes))


def _strip_known(text: str, candidates: set[int]) -> tuple[str, int | None]:
    """Remove the longest of ``candidates`` that leaves a well-formed number (not starting with 0)."""
    for number in sorted(candidates, key=lambda n: -len(str(n))):
        marker = str(number)
        rest = text[len(marker) :]
        if text.startswith(marker) and rest[:1] != "0" and is_well_formed(rest):
            return rest, number
    return text, None


def _first_sentence(text: str) -> str:
    """First sentence of a footnote, without the final period (labels stay short)."""
    return re.split(r"(?<=[a-z0-9])\.\s+(?=[A-Z])", text, maxsplit=1)[0].rstrip(".")


def _to_float(text: str, *, origin: str, line: int | None, field: str | None) -> float:
    """A well-formed number (:func:`is_well_formed`) as float; commas only as thousands grouping."""
    return float(strip_thousands(text, origin=origin, line=line, field=field))


def clean_label(label: str) -> tuple[str, bool, list[int]]:
    """Strip USGS markers from a row label.

    Returns
    -------
    tuple[str, bool, list[int]]
        The label without trailing colon, estimate marker and fused footnote numbers; whether it carried the
        estimate marker ``e``; the footnote numbers found. ``"Imports:e, 4"`` → ``("Imports", True, [4])``,
        ``"Net import reliance7 as a percentage of apparent consumption:8"`` → (…, False, [7, 8]).
    """
    text = re.sub(r"<sup>\s*(\d+)\s*</sup>", r"\1", label).strip()
    estimated = False
    notes: list[int] = []
    m = re.search(r":\s*(e\b)?\s*,?\s*((?:\d+\s*,?\s*)*)$", text)
    if m is not None:
        estimated = bool(m.group(1))
        notes += [int(n) for n in re.findall(r"\d+", m.group(2))]
        text = text[: m.start()].strip()
    for fused in re.finditer(r"(?<=[a-z])(\d{1,2})(?=\s|,|$)", text):
        notes.append(int(fused.group(1)))
    text = re.sub(r"(?<=[a-z])\d{1,2}(?=\s|,|$)", "", text)
    if re.search(r"[a-z]e$", text) and text.lower().endswith(("productione", "reservese")):
        text, estimated = text[:-1], True
    return text.strip(), estimated, notes


# --------------------------------------------------------------------------------------------------------------
# Document structure
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Table:
    """A Markdown pipe table: ``(line number, cells)`` rows without the separator row."""

    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def _tables(lines: list[str]) -> list[Table]:
    tables: list[Table] = []
    current: Table | None = None
    for i, raw_line in enumerate(lines, start=1):
        text = raw_line.strip()
        if text.startswith("|"):
            body = text[1:-1] if text.endswith("|") and len(text) > 1 else text[1:]
            cells = [c.strip() for c in body.split("|")]
            if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c) and any(cells):
                continue
            if current is None:
                current = Table()
                tables.append(current)
            current.rows.append((i, cells))
        else:
            current = None
    return tables


def _footnotes(lines: list[str]) -> dict[int, str]:
    """Footnote number → text, from the lines after USGS's legend ("e Estimated. …")."""
    start = next((i for i, ln in enumerate(lines) if re.match(r"\s*e\s+Estimated\b", ln)), None)
    notes: dict[int, str] = {}
    for ln in lines[(start + 1) if start is not None else 0 :]:
        m = re.fullmatch(r"\s*(\d{1,2})\s*([A-Z][^|]*?)\s*", ln)
        if m is not None:
            notes.setdefault(int(m.group(1)), m.group(2))
    return notes


@dataclass
class _Collector:
    origin: str
    rows: list[tuple[str, str, pd.Timestamp, float, str]] = field(default_factory=list)
    seen: dict[tuple[str, pd.Timestamp], int] = field(default_factory=dict)

    def add(self, series_id: str, label: str, period: pd.Timestamp, value: float, unit: str, *, line: int, fld: str) -> None:
        first = self.seen.get((series_id, period))
        if first is not None:
            raise ParseError(
                f"{period:%Y} of series {series_id} appears twice (first on line {first})",
                file=self.origin,
                line=line,
                field=fld,
                hint="the table is duplicated or damaged; use an unaltered extraction",
            )
        self.seen[(series_id, period)] = line
        self.rows.append((series_id, label, period, value, unit))


# --------------------------------------------------------------------------------------------------------------
# Parser
# --------------------------------------------------------------------------------------------------------------


def parse(raw: bytes, *, origin: str) -> ParsedRelease:
    """Parse the Markdown text of the MCS rare-earths chapter.

    Parameters
    ----------
    raw
        The Markdown file's bytes (UTF-8).
    origin
        File name or address, used in error messages.

    Returns
    -------
    ParsedRelease
        Mine production, reserves, U.S. salient statistics and import sources (series ids in the module
        docstring); ``vintage`` = 31 January of the year after the last salient-statistics year.

    Raises
    ------
    ParseError
        PDF or other file, missing table or column, a malformed number or an unresolvable footnote marker, a row
        repeated, production that does not add up to the world total, truncated or undecodable file — naming
        file, line and field.
    """
    cursor = Cursor()
    return guarded(origin, lambda: _parse(raw, origin=origin, cursor=cursor), cursor=cursor)


def _parse(raw: bytes, *, origin: str, cursor: Cursor) -> ParsedRelease:
    if isinstance(raw, (bytes, bytearray)) and raw[:5] == b"%PDF-":
        raise ParseError(
            "this is the PDF; the parser reads the Markdown text extracted from it",
            file=origin,
            line=1,
            field="header",
            hint="convert the PDF with the 'marker' tool (or use build_queries() for the extraction)",
        )
    text = decode_utf8(raw, origin=origin, header_field="header")
    lines = text.splitlines()
    if not any(re.match(r"\s*#{1,6}.*\bRARE EARTHS(?![A-Za-z])", ln) for ln in lines):
        raise ParseError(
            "expected the USGS Mineral Commodity Summaries chapter 'RARE EARTHS' (no such heading)",
            file=origin,
            line=1,
            field="title",
            hint="this is not the rare-earths chapter text",
        )
    footnotes = _footnotes(lines)
    tables = _tables(lines)
    out = _Collector(origin)
    last_year = _salient(tables, footnotes, out, origin=origin, cursor=cursor, lines=lines)
    _import_sources(lines, footnotes, out, origin=origin, cursor=cursor)
    _world(tables, footnotes, out, origin=origin, cursor=cursor, lines=lines)
    cursor.line, cursor.field = None, None
    frame = make_frame(out.rows)
    check_unique_periods(frame, origin=origin)
    return ParsedRelease(observations=frame, source=NAME, vintage=date(last_year + 1, 1, 31))


def _find_table(tables: list[Table], pattern: str) -> Table | None:
    rx = re.compile(pattern, re.I)
    return next((t for t in tables if any(rx.search(c) for c in t.rows[0][1])), None)


def _missing_table(what: str, lines: list[str], heading: str, *, origin: str, fld: str) -> ParseError:
    line = next((i for i, ln in enumerate(lines, start=1) if heading.lower() in ln.lower()), 1)
    return ParseError(
        f"the {what} table was not found", file=origin, line=line, field=fld, hint="the file is truncated or changed"
    )


def _salient(
    tables: list[Table], footnotes: dict[int, str], out: _Collector, *, origin: str, cursor: Cursor, lines: list[str]
) -> int:
    table = _find_table(tables, r"^Salient Statistics")
    if table is None:
        raise _missing_table(
            "'Salient Statistics—United States'", lines, "Salient Statistics", origin=origin, fld="Salient Statistics"
        )
    head_line, header = table.rows[0]
    cursor.line, cursor.field = head_line, "Salient Statistics header"
    years: list[tuple[int, bool]] = []
    for k, cell in enumerate(header[1:], start=2):
        m = _YEAR.fullmatch(cell)
        if m is None:
            raise ParseError(
                f"expected a year such as 2024 or 2024e, found {cell!r}",
                file=origin,
                line=head_line,
                field=f"Salient Statistics header, column {k}",
            )
        years.append((int(m.group(1)), bool(m.group(2))))
    if not years:
        raise ParseError("no year columns", file=origin, line=head_line, field="Salient Statistics header")
    estimated_years = [str(y) for y, e in years if e]
    section: tuple[str, str, str, bool] | None = None  # measure, label, unit, estimated
    section_notes: list[int] = []
    subsection: tuple[str, str] | None = None
    series: dict[str, tuple[str, str, list[tuple[int, int, float]], set[str]]] = {}
    order: list[str] = []
    for line, cells in table.rows[1:]:
        cursor.line = line
        name_raw = cells[0] if cells else ""
        cursor.field = name_raw or "label"
        if len(cells) != len(header):
            raise ParseError(
                f"expected {len(header)} cells, found {len(cells)}",
                file=origin,
                line=line,
                field=name_raw or "label",
                hint="the table is damaged or truncated",
            )
        name, estimated, label_notes = clean_label(name_raw)
        if not slugify(name):
            raise ParseError(f"expected a row label, found {name_raw!r}", file=origin, line=line, field="label")
        top = next(((key, unit) for rx, key, unit in TOP_LEVEL if rx.search(name)), None)
        values = cells[1:]
        if all(not v for v in values):  # a heading row
            if top is not None:
                section = (top[0], name, top[1], estimated)
                section_notes = label_notes
                subsection = None
            elif section is not None:
                subsection = (slugify(name), name)
            else:
                raise ParseError(
                    f"heading {name!r} outside any known section", file=origin, line=line, field=name_raw
                )
            continue
        if top is not None:  # a top-level measure with values (consumption, employment)
            section, subsection, section_notes = None, None, []
            measure, label, unit, est = top[0], name, top[1], estimated
        elif section is not None:
            key, sec_label, unit, est = section
            item = name.split(",")[0] if key == "price" else name
            parts = [key] + ([subsection[0]] if subsection else []) + [slugify(item)]
            measure = ".".join(parts)
            label = f"{sec_label}: " + (f"{subsection[1]}: " if subsection else "") + name
        else:
            raise ParseError(f"row {name!r} outside any known section", file=origin, line=line, field=name_raw)
        series_id = f"usgs.ree.us.{measure}"
        if series_id not in series:
            series[series_id] = (label, unit, [], set())
            order.append(series_id)
        notes = series[series_id][3]
        if est:
            notes.add("estimated")
        for n in [*section_notes, *label_notes]:
            if n in footnotes:
                notes.add(f"note {n}: {_first_sentence(footnotes[n])}")
        for (year, _e), cell in zip(years, values, strict=True):
            cursor.field = f"{label} {year}"
            value = _salient_value(cell, footnotes, notes, origin=origin, line=line, fld=f"{label} {year}")
            if value is not None:
                series[series_id][2].append((line, year, value))
    for series_id in order:
        label, unit, points, notes = series[series_id]
        extra = sorted(notes, key=lambda t: (t != "estimated", t))
        if estimated_years and "estimated" not in notes:
            extra.append(f"{', '.join(estimated_years)} estimated")
        full = f"USGS MCS rare earths, United States: {label} ({unit}"
        full += "; " + "; ".join(extra) + ")" if extra else ")"
        for line, year, value in points:
            out.add(series_id, full, year_end(year), value, unit, line=line, fld=f"{label} {year}")
    return max(y for y, _ in years)


def _salient_value(
    cell: str, footnotes: dict[int, str], notes: set[str], *, origin: str, line: int, fld: str
) -> float | None:
    text = cell.strip()
    if text.lower() in SKIP_CELLS:
        return None
    bound = ""
    if text[:1] in "<>":
        bound, text = text[0], text[1:].strip()
    number, _ = strip_footnote(text, footnotes)
    if not is_well_formed(number):
        raise ParseError(f"expected a number, found {cell.strip()!r}", file=origin, line=line, field=fld)
    value = _to_float(number, origin=origin, line=line, field=fld)
    if bound:
        notes.add(f"'{bound}{number}' in the source recorded as {number}")
    return value


def _import_sources(
    lines: list[str], footnotes: dict[int, str], out: _Collector, *, origin: str, cursor: Cursor
) -> None:
    index = next((i for i, ln in enumerate(lines) if "import sources" in ln.lower()), None)
    if index is None:
        raise ParseError(
            "the 'Import Sources' paragraph was not found",
            file=origin,
            line=len(lines) or 1,
            field="Import Sources",
            hint="the file is truncated or changed",
        )
    line_no = index + 1
    text = lines[index]
    cursor.line, cursor.field = line_no, "Import Sources"
    m = re.search(r"Import Sources\s*\((\d{4})\s*[–—-]\s*(\d{2,4})\)", text, re.I)
    if m is None:
        raise ParseError(
            "expected 'Import Sources (YYYY–YY)'", file=origin, line=line_no, field="Import Sources"
        )
    start, end_text = m.group(1), m.group(2)
    end_year = int(start[: 4 - len(end_text)] + end_text)
    body = re.sub(r"\*+", "", text[m.end() :]).lstrip(":* ")
    body = re.split(r"\.\s+(?=[A-Z])|\.$", body, maxsplit=1)[0]
    what, _, items = body.rpartition(":")
    what = what.strip() or "rare earths"
    shares: list[tuple[str, float, int | None]] = []
    for item in items.split(";"):
        item = re.sub(r"^\s*and\s+", "", item.strip())
        if not item:
            continue
        im = re.fullmatch(r"([A-Za-z][A-Za-z .'()&-]*?),\s*(?:(\d{1,2})\s+)?(\d+(?:\.\d+)?)\s*%", item)
        if im is None:
            raise ParseError(
                f"expected 'Country, NN%', found {item!r}", file=origin, line=line_no, field="Import Sources"
            )
        note = int(im.group(2)) if im.group(2) else None
        shares.append((im.group(1).strip(), float(im.group(3)), note))
    if not shares:
        raise ParseError("no import shares found", file=origin, line=line_no, field="Import Sources")
    total = sum(s for _, s, _ in shares)
    if not 97 <= total <= 103:
        raise ParseError(
            f"import shares add up to {total:g}%, not 100%", file=origin, line=line_no, field="Import Sources"
        )
    period = year_end(end_year)
    for country, share, note in shares:
        slug = slugify(country)
        extra = f"; {_first_sentence(footnotes[note]).lower()}" if note is not None and note in footnotes else ""
        label = f"USGS MCS: share of U.S. imports of {what.lower()}, {start}–{end_year}: {country} (percent{extra})"
        out.add(f"usgs.ree.import_sources.{slug}", label, period, share, UNIT_PERCENT, line=line_no, fld=country)


@dataclass
class _Cell:
    text: str
    line: int
    row: str
    column: int
    value: str | None = None  # the well-formed number once resolved
    footnote: int | None = None
    bound: str = ""


def _world(
    tables: list[Table], footnotes: dict[int, str], out: _Collector, *, origin: str, cursor: Cursor, lines: list[str]
) -> None:
    table = next(
        (
            t
            for t in tables
            if any(re.search(r"mine\s*production", c, re.I) for c in t.rows[0][1])
            or any(re.search(r"^reserves", c, re.I) for c in t.rows[0][1])
        ),
        None,
    )
    if table is None:
        raise _missing_table(
            "world mine production and reserves", lines, "World Mine Production", origin=origin, fld="Mine production"
        )
    head_line, header = table.rows[0]
    cursor.line, cursor.field = head_line, "header"
    prod_col = next((k for k, c in enumerate(header) if re.search(r"mine\s*production", c, re.I)), None)
    res_col = next((k for k, c in enumerate(header) if re.search(r"^reserves", c, re.I)), None)
    if prod_col is None:
        raise ParseError(
            "no 'Mine production' column", file=origin, line=head_line, field="Mine production"
        )
    if res_col is None:
        raise ParseError(
            "no 'Reserves' column in the world mine production and reserves table",
            file=origin,
            line=head_line,
            field="Reserves",
        )
    _, prod_estimated, _ = clean_label(header[prod_col])
    if len(table.rows) < 2:
        raise ParseError("the table has no rows", file=origin, line=head_line, field="Mine production")
    year_line, year_cells = table.rows[1]
    if len(year_cells) != len(header):
        raise ParseError(
            f"expected {len(header)} cells, found {len(year_cells)}", file=origin, line=year_line, field="years"
        )
    year_cols: dict[int, int] = {}
    for k, cell in enumerate(year_cells):
        if k == res_col or k == 0:
            continue
        m = _YEAR.fullmatch(cell)
        if m is not None:
            year_cols[k] = int(m.group(1))
        elif cell:
            raise ParseError(
                f"expected a year, found {cell!r}", file=origin, line=year_line, field=f"Mine production, column {k + 1}"
            )
    if not year_cols or prod_col not in year_cols:
        raise ParseError(
            "no production years under 'Mine production'", file=origin, line=year_line, field="Mine production"
        )
    reserve_year = max(year_cols.values())
    body = table.rows[2:]
    grid: list[list[_Cell]] = []
    names: list[tuple[int, str, str]] = []  # line, name, slug
    for line, cells in body:
        cursor.line, cursor.field = line, cells[0] if cells else "country"
        if len(cells) != len(header):
            raise ParseError(
                f"expected {len(header)} cells, found {len(cells)}",
                file=origin,
                line=line,
                field=cells[0] if cells and cells[0] else "country",
                hint="the table is damaged or truncated",
            )
        name = re.sub(r"\d+$", "", cells[0]).strip()
        slug = slugify(name)
        if not slug:
            raise ParseError(f"expected a country, found {cells[0]!r}", file=origin, line=line, field="country")
        slug = COUNTRY_SLUGS.get(slug, slug)
        first = next((ln for ln, _, sl in names if sl == slug), None)
        if first is not None:
            raise ParseError(
                f"row {name!r} (series usgs.ree.*.{slug}) appears twice (first on line {first})",
                file=origin,
                line=line,
                field=name,
                hint="the table is duplicated or damaged; use an unaltered extraction",
            )
        names.append((line, name, slug))
        row: list[_Cell] = []
        for k in list(year_cols) + [res_col]:
            cell = _Cell(text=cells[k].strip(), line=line, row=name, column=k)
            if cell.text[:1] in "<>":
                cell.bound, cell.text = cell.text[0], cell.text[1:].strip()
            row.append(cell)
        grid.append(row)
    if not names or names[-1][2] != "world":
        last = body[-1][0] if body else year_line
        raise ParseError(
            "the table does not end with the 'World total' row (truncated file?)",
            file=origin,
            line=last,
            field="World total",
        )
    # Rule 1: cells that are not well formed must lose a footnote marker.
    row_notes: dict[int, set[int]] = {}
    col_notes: dict[int, set[int]] = {}
    for r, row in enumerate(grid):
        for cell in row:
            cursor.line, cursor.field = cell.line, f"{cell.row}, column {cell.column + 1}"
            if cell.text.lower() in SKIP_CELLS:
                continue
            number, note = strip_footnote(cell.text, footnotes)
            if not is_well_formed(number):
                raise ParseError(
                    f"expected a number, found {cell.text!r} (no listed footnote marker explains it)",
                    file=origin,
                    line=cell.line,
                    field=_col_name(cell, year_cols, res_col),
                )
            if note is not None:
                cell.value, cell.footnote = number, note
                col_notes.setdefault(cell.column, set()).add(note)
                if cell.column != res_col:
                    row_notes.setdefault(r, set()).add(note)
    # Rule 2: well-formed cells that start with a footnote established in their row or column, or named for them.
    for r, row in enumerate(grid):
        named = {n for n, t in footnotes.items() if re.search(rf"\b{re.escape(row[0].row)}\b", t, re.I)}
        for cell in row:
            if cell.value is not None or cell.text.lower() in SKIP_CELLS:
                continue
            candidates = set(col_notes.get(cell.column, set())) | named
            if cell.column != res_col:
                candidates |= row_notes.get(r, set())
            number, note = _strip_known(cell.text, candidates)
            cell.value, cell.footnote = number, note
    # Rule 3: the production columns add up to the world total.
    world = grid[-1]
    for k, cell in enumerate(world[:-1]):
        if cell.value is None or cell.bound:
            continue
        where = _col_name(cell, year_cols, res_col)
        total = _to_float(cell.value, origin=origin, line=cell.line, field=where)
        parts = sum(_to_float(row[k].value or "0", origin=origin, line=row[k].line, field=where) for row in grid[:-1])
        if total > 0 and abs(parts - total) > 0.03 * total:
            raise ParseError(
                f"the countries add up to {parts:,.0f}, not the world total {total:,.0f}: a footnote marker was "
                "misread or a row is missing",
                file=origin,
                line=cell.line,
                field=_col_name(cell, year_cols, res_col),
                hint="compare the table with the PDF",
            )
    # Emit.
    for (line, name, slug), row in zip(names, grid, strict=True):
        prod_notes = sorted({c.footnote for c in row[:-1] if c.footnote is not None})
        res_notes = [row[-1].footnote] if row[-1].footnote is not None else []
        for cell in row:
            if cell.value is None:
                continue
            value = _to_float(cell.value, origin=origin, line=cell.line, field=_col_name(cell, year_cols, res_col))
            if cell.column == res_col:
                kind, period, notes = "reserves", year_end(reserve_year), res_notes
                title = "reserves"
            else:
                kind, period, notes = "mine_production", year_end(year_cols[cell.column]), prod_notes
                title = "mine production" + (" (estimated)" if prod_estimated else "")
            texts = [f"note {n}: {_first_sentence(footnotes[n])}" for n in notes if n in footnotes]
            if cell.bound:
                texts.append(f"'{cell.bound}{cell.value}' in the source, a bound, recorded as {cell.value}")
            label = f"USGS MCS rare earths, {title}: {name} (metric tons REO" + "".join(f"; {t}" for t in texts) + ")"
            out.add(
                f"usgs.ree.{kind}.{slug}",
                label,
                period,
                value,
                UNIT_METRIC_TONS_REO,
                line=line,
                fld=_col_name(cell, year_cols, res_col),
            )


def _col_name(cell: _Cell, year_cols: dict[int, int], res_col: int) -> str:
    what = "Reserves" if cell.column == res_col else f"Mine production {year_cols.get(cell.column, '')}".strip()
    return f"{cell.row}, {what}"
