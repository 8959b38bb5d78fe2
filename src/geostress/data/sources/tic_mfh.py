"""Treasury TIC "Major Foreign Holders of Treasury Securities" (MFH): monthly holdings by country.

Two official text files carry the table, and :func:`parse` tells them apart by their header:

* the historical file ``mfhhis01.txt``: one block per calendar year (newest first), each headed by a month-name
  row (``Dec Nov ... Jan``) and a ``Country 2025 2025 ...`` year row, March 2000 onwards;
* the current table ``slt_table5.txt`` ("Table 5: Major Foreign Holders of Treasury Securities"): one
  ``Country 2026-07 2026-06 ...`` header row and about thirteen months.

Both give end-of-month holdings in billions of US dollars (:data:`~geostress.data.sources.base.UNIT_USD_BN`),
attributed by country of the custodian, not of the owner (TIC FAQ #7).

Series ids are ``tic.mfh.<slug>`` where ``slug`` is :func:`~geostress.data.sources.base.slugify` of the
cleaned country name (``"China, Mainland"`` -> ``tic.mfh.china_mainland``), plus five fixed ids for totals:
``tic.mfh.all_other``, ``tic.mfh.grand_total``, ``tic.mfh.foreign_official``, ``tic.mfh.foreign_official_bills``
and ``tic.mfh.foreign_official_bonds_notes``.

Series breaks: in the benchmark-survey years of the historical file (March 2000; June 2002 to June 2011) one month
appears twice, on the new series and on the old one "shown for comparison only". The new series is the level
(``tic.mfh.<slug>``); the old one is kept as ``tic.mfh_prior.<slug>`` (:data:`PRIOR_PREFIX`, the same slugs), so
that a month's change across a break can be measured within one series: June(old) − May(old), then July −
June(new). Its prefix is not ``tic.mfh.``, so readers that list the holders by prefix never see it as a holder.

References
----------
U.S. Department of the Treasury / Federal Reserve Board, Treasury International Capital (TIC) system,
"Major Foreign Holders of Treasury Securities", historical file
https://ticdata.treasury.gov/resource-center/data-chart-center/tic/Documents/mfhhis01.txt and current table
https://ticdata.treasury.gov/resource-center/data-chart-center/tic/Documents/slt_table5.txt
(landing page https://home.treasury.gov/data/treasury-international-capital-tic-system).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from difflib import get_close_matches

import pandas as pd

from geostress.data.sources._common import decode_utf8, guarded, month_end
from geostress.data.sources.base import (
    UNIT_USD_BN,
    ParsedRelease,
    Query,
    check_unique_periods,
    make_frame,
    parse_number,
    slugify,
)
from geostress.errors import ParseError

NAME = "tic-mfh"
TITLE = "Major Foreign Holders of Treasury Securities (TIC)"
PUBLISHER = "U.S. Department of the Treasury / Federal Reserve Board, Treasury International Capital (TIC) system"
LICENSE = "U.S. government work, public domain (17 U.S.C. 105)"

BASE_URL = "https://ticdata.treasury.gov/resource-center/data-chart-center/tic/Documents"
HISTORICAL_URL = f"{BASE_URL}/mfhhis01.txt"
CURRENT_URL = f"{BASE_URL}/slt_table5.txt"

PREFIX = "tic.mfh."
#: Prefix of the older series' value of a series-break month ("shown for comparison only"), same slugs as
#: :data:`PREFIX`: ``tic.mfh_prior.foreign_official`` at 2011-06-30 is Series XI's June 2011 (3,242.0), beside
#: Series XII's ``tic.mfh.foreign_official`` (3,514.6). One value per break, at the break month.
PRIOR_PREFIX = "tic.mfh_prior."
#: Appended to the label of a :data:`PRIOR_PREFIX` series.
PRIOR_LABEL = " (prior series, for comparison only)"

#: Encodings accepted, in order. The files are plain ASCII; UTF-8 (with or without a byte-order mark) and the
#: Windows code page Excel writes cover every accent a country name could carry. UTF-16 is refused explicitly.
ENCODINGS = ("utf-8-sig", "cp1252")

#: Renamed or variously spelled holders -> one display name, so that a country keeps one series across years.
#: Keys are cleaned names (quotes, footnote markers and extra spaces removed), compared case-insensitively.
#: Regional aggregates ("Belgium-Luxembourg", "Carib Bnkng Ctrs", "Oil Exporters") are deliberately *not* mapped
#: onto a country: they are different aggregates and keep series of their own.
NAME_ALIASES: dict[str, str] = {
    # "Korea, South " (trailing space, 2000-2002 blocks) is handled by the cleaning; these are other spellings.
    "Korea": "Korea, South",
    "South Korea": "Korea, South",
    "Korea, Republic of": "Korea, South",
    "Republic of Korea": "Korea, South",
    # China is always "China, Mainland" in TIC tables (Hong Kong and Taiwan are listed separately).
    "China": "China, Mainland",
    "Mainland China": "China, Mainland",
    "China Mainland": "China, Mainland",
    # "United Kingdom 2/" (to February 2016, includes the Channel Islands and the Isle of Man) continues as
    # "United Kingdom"; the footnote marker is stripped by the cleaning, listed here for the record.
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
    "Britain": "United Kingdom",
    "Great Britain": "United Kingdom",
    "UAE": "United Arab Emirates",
    "Belgium-Lux": "Belgium-Luxembourg",
    "Belgium Luxembourg": "Belgium-Luxembourg",
    "Caribbean Banking Centers": "Carib Bnkng Ctrs",
}

_ALIASES_LOWER = {key.lower(): value for key, value in NAME_ALIASES.items()}

#: Rows that are totals rather than holders: cleaned name (lower case) -> (series slug, display label).
AGGREGATES: dict[str, tuple[str, str]] = {
    "all other": ("all_other", "All Other"),
    "grand total": ("grand_total", "Grand Total"),
    "for. official": ("foreign_official", "Foreign official"),
    "foreign official": ("foreign_official", "Foreign official"),
    "of which: foreign official": ("foreign_official", "Foreign official"),
    "treasury bills": ("foreign_official_bills", "Foreign official: Treasury bills"),
    "of which: foreign official treasury bills": ("foreign_official_bills", "Foreign official: Treasury bills"),
    "t-bonds & notes": ("foreign_official_bonds_notes", "Foreign official: T-bonds & notes"),
    "of which: foreign official t-bonds & notes": (
        "foreign_official_bonds_notes",
        "Foreign official: T-bonds & notes",
    ),
}

#: Series slugs of the total rows (grand total, all other, foreign official and its split): not holders.
TOTAL_SLUGS = frozenset(slug for slug, _ in AGGREGATES.values())
#: Series slugs of the regional groups the table lists as rows in some years ("Carib Bnkng Ctrs", "Oil Exporters",
#: "Belgium-Luxembourg"): holders, but several countries, not one (the market cannot price one of them selling).
REGIONAL_SLUGS = frozenset({"carib_bnkng_ctrs", "oil_exporters", "belgium_luxembourg"})

#: Rows allowed after "Grand Total" (the "Of which:" foreign-official section); any other row ends the table.
OFFICIAL_SECTION = {"of which:", "of which"} | {
    key for key, (slug, _) in AGGREGATES.items() if slug.startswith("foreign_official")
}

#: Footnote 5/ of the historical file: "Prior to June 2002, the Belgium line in this table includes holdings for
#: both Belgium and Luxembourg". Belgium values before this date therefore go to the Belgium-Luxembourg series.
BELGIUM_LUXEMBOURG_UNTIL = pd.Timestamp(2002, 5, 31)

#: Cells that hold no value (skipped): blank, "n.a." (Luxembourg before June 2002) and dashes.
MISSING = {"", "n.a.", "n.a", "na", "-", "--", "---"}
#: "*" is the table's mark for "less than $50 million", i.e. 0.0 at the table's precision of 0.1 billion.
LESS_THAN_HALF_UNIT = {"*"}

#: Every holder (display name after :data:`NAME_ALIASES`) the MFH tables have listed, March 2000 onwards, plus
#: the totals. A name outside this list is refused unless ``allow_new_names`` (see :func:`parse`).
KNOWN_HOLDERS: frozenset[str] = frozenset(
    {
        "Australia", "Bahamas", "Belgium", "Belgium-Luxembourg", "Bermuda", "Brazil", "Canada", "Carib Bnkng Ctrs",
        "Cayman Islands", "Chile", "China, Mainland", "Colombia", "Denmark", "Egypt", "El Salvador", "Finland",
        "France", "Germany", "Hong Kong", "India", "Indonesia", "Iraq", "Ireland", "Israel", "Italy", "Japan",
        "Kazakhstan", "Korea, South", "Kuwait", "Luxembourg", "Malaysia", "Mexico", "Netherlands", "Norway",
        "Oil Exporters", "Oman", "Peru", "Philippines", "Poland", "Russia", "Saudi Arabia", "Singapore",
        "South Africa", "Spain", "Sweden", "Switzerland", "Taiwan", "Thailand", "Turkey", "United Arab Emirates",
        "United Kingdom", "Uruguay", "Vietnam",
    }
)  # fmt: skip
_KNOWN_SLUGS = frozenset(slugify(name) for name in KNOWN_HOLDERS)

#: First year a header may name (TIC holdings by country are published from the 1970s) and the largest holding
#: a cell may hold, USD bn (the grand total is about 9,300 in 2025).
FIRST_YEAR = 1970
MAX_HOLDING_BN = 50_000.0

#: Why a historical file has no vintage when its footer is missing.
NO_FOOTER_HINT = (
    "mfhhis01.txt prints its release date under 'Department of the Treasury/Federal Reserve Board' at its end "
    "(e.g. 3/18/26); this copy has no such footer, so it was probably cut short"
)

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}

_FOOTNOTE = re.compile(r"(\s+\d{1,2}/)+$")
_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_SLASH_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/])")
_TEXT_DATE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{1,2}),\s*"
    r"(\d{4})\b",
    re.IGNORECASE,
)
_RELEASE_LABEL = re.compile(r"^(release date|released|updated|last updated)\b", re.IGNORECASE)
_FOOTER = "department of the treasury"
#: Control characters that never occur in a text table (tab, line feed, carriage return, form feed and the old
#: DOS end-of-file mark are allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f]")


def build_queries(**options: str) -> list[Query]:
    """The two downloads of this source: the historical file and the current table.

    Parameters
    ----------
    **options
        Accepted for the common interface; this source has no options.

    Returns
    -------
    list of Query
        ``mfhhis01.txt`` (March 2000 to the last revised year) and ``slt_table5.txt`` (about 13 recent months).

    References
    ----------
    U.S. Treasury, TIC system, "Major Foreign Holders of Treasury Securities",
    https://home.treasury.gov/data/treasury-international-capital-tic-system
    """
    return [
        Query(url=HISTORICAL_URL, filename="mfhhis01.txt"),
        Query(url=CURRENT_URL, filename="slt_table5.txt"),
    ]


def parse(raw: bytes, *, origin: str, allow_new_names: bool = False) -> ParsedRelease:
    """Parse either MFH file into tidy monthly observations.

    The layout is detected from the header: a month-name row above a ``Country 2025 2025 ...`` row is the
    historical file (``mfhhis01.txt``); a ``Country 2026-07 2026-06 ...`` row is the current table
    (``slt_table5.txt``). CRLF and LF line endings are both accepted.

    Historical-file details handled here:

    * every year block (2025 down to 2000) is read, however many holders it lists;
    * series-break years (2000, 2002-2011) carry ``Series N/`` label rows and an extra column where one month
      appears twice (e.g. ``Jun Jun``): the **left (newer-series) column is the level** (``tic.mfh.<slug>``) and
      the right one, which the file says is "shown for comparison only", is kept as ``tic.mfh_prior.<slug>``
      (:data:`PRIOR_PREFIX`) so that the month's change can be measured within the older series. Its holders
      follow the older series' definitions (June 2002's Belgium line is still Belgium-Luxembourg). A month that
      appears twice without such a label row, or three times, is an error;
    * holder names are cleaned: quotes, trailing spaces and footnote markers (``2/``, ``5/``) are removed and
      the spellings in :data:`NAME_ALIASES` are unified;
    * Belgium before June 2002 is stored as ``tic.mfh.belgium_luxembourg`` (footnote 5/ of the file);
    * "United Kingdom 2/" (2000-2011 blocks; includes the Channel Islands and the Isle of Man) continues as
      ``tic.mfh.united_kingdom``: mind that definitional change when comparing levels across it;
    * blank and ``n.a.`` cells are not values and are skipped;
    * the footnotes and revision dates after the last block are ignored, except the release date printed
      under "Department of the Treasury/Federal Reserve Board" (``3/18/26``), which becomes the vintage. A
      historical file without that footer (cut short) has no vintage and says why
      (:attr:`ParsedRelease.missing_vintage_hint`): the importer then needs ``--vintage`` and never guesses;
    * plausibility: a holder's name must be one TIC has used (:data:`KNOWN_HOLDERS`, after the aliases) unless
      ``allow_new_names``, so that a damaged byte (``Jap\xe9n``) cannot start a new series; a year in a header
      must lie between :data:`FIRST_YEAR` and next year; a holding must lie between 0 and
      :data:`MAX_HOLDING_BN`.

    Parameters
    ----------
    raw
        The file's bytes.
    origin
        The file name or download address, used in error messages.
    allow_new_names
        Accept holder names that are not in :data:`KNOWN_HOLDERS` (a country Treasury has just added).

    Returns
    -------
    ParsedRelease
        Observations (``series_id``, ``label``, ``period`` as month-end timestamps, ``value``, ``unit`` =
        ``"USD bn"``), the source name and the release date printed in the file (``None`` when it has none).
        The historical file also gives the older series' value of each break month as ``tic.mfh_prior.<slug>``
        (eleven months: March 2000, June 2002 to June 2011).

    Raises
    ------
    ParseError
        The only exception raised on bad input; it names the file and, where known, the line and the field
        (holder or column); an unknown holder's message lists close matches. Unexpected internal failures are
        converted to a ``ParseError`` naming the file.

    References
    ----------
    U.S. Treasury, TIC system, "Major Foreign Holders of Treasury Securities":
    https://ticdata.treasury.gov/resource-center/data-chart-center/tic/Documents/mfhhis01.txt and
    https://ticdata.treasury.gov/resource-center/data-chart-center/tic/Documents/slt_table5.txt
    """
    return guarded(origin, lambda: _parse(raw, origin=origin, allow_new_names=allow_new_names))


# --------------------------------------------------------------------------------------------------------------
# Internals
# --------------------------------------------------------------------------------------------------------------


@dataclass
class _Row:
    """One line of the file, split into tab-separated cells."""

    number: int  # 1-based line number
    cells: list[str]

    @property
    def name(self) -> str:
        return _clean_cell(self.cells[0]) if self.cells else ""

    @property
    def blank(self) -> bool:
        return all(not _clean_cell(c) for c in self.cells)


@dataclass
class _Column:
    """One month column of a header: its cell index, period and the header's spelling of it."""

    index: int
    period: pd.Timestamp
    title: str
    #: The older series' value of a series-break month ("shown for comparison only"): stored under
    #: :data:`PRIOR_PREFIX`, with the definitions of the month before.
    prior: bool = False


@dataclass
class _Collector:
    """Observations gathered so far, with the line of each (series, period) to report duplicates."""

    origin: str
    allow_new_names: bool = False
    rows: list[tuple[str, str, pd.Timestamp, float, str]] = field(default_factory=list)
    line_of: dict[tuple[str, pd.Timestamp], int] = field(default_factory=dict)

    def add(self, series_id: str, label: str, period: pd.Timestamp, value: float, line: int) -> None:
        key = (series_id, period)
        if key in self.line_of:
            raise ParseError(
                f"{period:%b %Y} of {label} appears twice (first at line {self.line_of[key]})",
                file=self.origin,
                line=line,
                field=label,
                hint="the file is duplicated or damaged; download it again",
            )
        self.line_of[key] = line
        self.rows.append((series_id, label, period, value, UNIT_USD_BN))


def _parse(raw: bytes, *, origin: str, allow_new_names: bool = False) -> ParsedRelease:
    text = _decode(raw, origin=origin)
    rows = [_Row(i + 1, line.rstrip("\r").split("\t")) for i, line in enumerate(text.split("\n"))]
    layout = _detect_layout(rows, origin=origin)
    collector = _Collector(origin, allow_new_names=allow_new_names)
    if layout == "historical":
        _parse_historical(rows, collector)
    else:
        _parse_current(rows, collector)
    if not collector.rows:
        raise ParseError("the table holds no values", file=origin, line=len(rows), field="Country")
    frame = make_frame(collector.rows)
    check_unique_periods(frame, origin=origin, line_of=collector.line_of)
    frame = frame.sort_values(["series_id", "period"], kind="stable").reset_index(drop=True)
    vintage = _find_vintage(rows, origin=origin)
    hint = NO_FOOTER_HINT if vintage is None and layout == "historical" else ""
    return ParsedRelease(
        observations=frame, source=NAME, vintage=vintage, missing_vintage_hint=hint, line_of=collector.line_of
    )


def _decode(raw: bytes, *, origin: str) -> str:
    """Bytes to text; UTF-16, binary and empty files give a clear :class:`ParseError`."""
    text = decode_utf8(raw, origin=origin, header_field="Country", encodings=ENCODINGS)
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        raise ParseError(
            f"unexpected control character U+{ord(bad.group()):04X}; this is not a text table",
            file=origin,
            line=line,
            field="encoding",
            hint="the file may be binary, UTF-16 or damaged; download it again",
        )
    return text


def _clean_cell(cell: str) -> str:
    """Strip spaces and the double quotes Excel puts around cells with commas (``""`` -> ``"``)."""
    text = cell.strip()
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        text = text[1:-1].replace('""', '"').strip()
    return text


def _holder(name: str, *, origin: str, line: int, allow_new: bool = False) -> tuple[str, str]:
    """Series id and display label of a row name; ParseError if it cannot be a holder's name.

    A name outside :data:`KNOWN_HOLDERS` (compared as slugs, so accents and case do not
    matter) is refused with close matches unless ``allow_new``.
    """
    cleaned = _FOOTNOTE.sub("", " " + name.strip('"').strip()).strip()
    cleaned = re.sub(r"\s+", " ", cleaned)
    if cleaned.lower() in AGGREGATES:
        slug, label = AGGREGATES[cleaned.lower()]
        return PREFIX + slug, label
    label = _ALIASES_LOWER.get(cleaned.lower(), cleaned)
    slug = slugify(label)
    if not slug or any(ch.isdigit() for ch in label):
        raise ParseError(
            f"{name!r} is not a holder's name (a tab may be missing or a value shifted into the name column)",
            file=origin,
            line=line,
            field=name,
            hint="the file may be damaged; download it again",
        )
    if slug not in _KNOWN_SLUGS and not allow_new:  # compared as slugs: "Perú" is Peru, "Japén" is not Japan
        close = get_close_matches(label, sorted(KNOWN_HOLDERS), n=3, cutoff=0.6)
        maybe = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise ParseError(
            f"unknown holder {label!r}: TIC has never listed it{maybe}",
            file=origin,
            line=line,
            field=name,
            hint="a damaged or mis-encoded byte would start a new series, so the file is refused; if Treasury "
            "has really added this holder, import again with --allow-new-names",
        )
    return PREFIX + slug, label


def holder_slug(name: str) -> str:
    """The series slug (``tic.mfh.<slug>``) a holder's name stands for, TIC's spellings and the common names of
    :data:`NAME_ALIASES` unified: ``"China"`` → ``"china_mainland"``, ``"UK"`` → ``"united_kingdom"``,
    ``"South Korea"`` → ``"korea_south"``. Says nothing of whether TIC lists the holder."""
    cleaned = re.sub(r"\s+", " ", name.strip().strip('"').replace("_", " ")).strip()
    return slugify(_ALIASES_LOWER.get(cleaned.lower(), cleaned))


def _is_month_row(row: _Row) -> bool:
    """A historical month-name row: empty first cell, then month abbreviations only."""
    if not row.cells or row.name:
        return False
    titles = [_clean_cell(c) for c in row.cells[1:] if _clean_cell(c)]
    return bool(titles) and all(t.lower() in MONTHS for t in titles)


def _is_series_row(row: _Row) -> bool:
    """A series-break label row of the historical file (``Series 16/``, ``Series``)."""
    return not row.name and any(_clean_cell(c).lower().startswith("series") for c in row.cells[1:])


def _has_number(cells: list[str]) -> bool:
    """Whether a row holds something that looks like a value. Detection only, so deliberately lenient about
    commas (a row of damaged values is still recognised, then refused); values themselves are read by
    :func:`~geostress.data.sources.base.parse_number`, which accepts commas only as thousands grouping."""
    for cell in cells:
        text = _clean_cell(cell).replace(",", "")
        try:
            float(text)
        except ValueError:
            continue
        return True
    return False


def _detect_layout(rows: list[_Row], *, origin: str) -> str:
    """``"historical"`` or ``"current"``, from the first header-like line."""
    for row in rows:
        if _is_month_row(row):
            return "historical"
        first = row.name.lower()
        if first == "country":
            cells = [_clean_cell(c) for c in row.cells[1:] if _clean_cell(c)]
            if cells and _YEAR_MONTH.match(cells[0]):
                return "current"
            return "historical"
        if first.startswith("table 5"):
            return "current"
    raise ParseError(
        "no 'Country' header row and no month row found; this is not a TIC Major Foreign Holders table",
        file=origin,
        line=1,
        field="Country",
        hint="check that the file is mfhhis01.txt or slt_table5.txt from ticdata.treasury.gov",
    )


def _parse_historical(rows: list[_Row], out: _Collector) -> None:
    """Read every year block of ``mfhhis01.txt``."""
    origin = out.origin
    i = 0
    series_break = False  # a "Series N/" label row was seen since the previous block
    blocks = 0
    while i < len(rows):
        row = rows[i]
        if row.name.lower().startswith(_FOOTER):
            return  # footer and footnotes: nothing more to read (the release date is read separately)
        if row.blank:
            i += 1
            continue
        if _is_series_row(row):
            series_break = True
            i += 1
            continue
        if _is_month_row(row):
            if i + 1 >= len(rows) or rows[i + 1].name.lower() != "country":
                line = rows[i + 1].number if i + 1 < len(rows) else row.number
                raise ParseError(
                    f"expected the 'Country' year row under the month row at line {row.number}",
                    file=origin,
                    line=line,
                    field="Country",
                    hint="the header is damaged or the file was cut; download it again",
                )
            columns, width = _historical_columns(row, rows[i + 1], series_break=series_break, origin=origin)
            title = f"the {columns[0].period.year} block"
            i = _read_block(rows, i + 2, columns, width, out, title=title)
            series_break = False
            blocks += 1
            continue
        if row.name.lower() == "country":
            raise ParseError(
                "no month row (Dec, Nov, ..., Jan) above the 'Country' year row",
                file=origin,
                line=row.number,
                field="Country",
                hint="the header is damaged; download the file again",
            )
        if _has_number(row.cells[1:]):
            raise ParseError(
                "a row of values outside any year block (no month and 'Country' header rows above it)",
                file=origin,
                line=row.number,
                field=row.name or "Country",
                hint="the header is damaged; download the file again",
            )
        i += 1  # title lines, roman-numeral series labels and other text between blocks
    if blocks == 0:
        raise ParseError(
            "no year block found (a month row followed by a 'Country' year row)",
            file=origin,
            line=len(rows),
            field="Country",
        )


def _historical_columns(
    month_row: _Row, year_row: _Row, *, series_break: bool, origin: str
) -> tuple[list[_Column], int]:
    """Month columns of one year block and the header's width in cells.

    In a series-break block the left one of two equal months is the newer series (the level); the right one is
    returned too, marked ``prior`` (the older series, "shown for comparison only").
    """
    columns: list[_Column] = []
    last = 0
    seen: dict[pd.Timestamp, int] = {}
    prior: set[pd.Timestamp] = set()
    width = max(len(month_row.cells), len(year_row.cells))
    for j in range(1, width):
        month = _clean_cell(month_row.cells[j]) if j < len(month_row.cells) else ""
        year = _clean_cell(year_row.cells[j]) if j < len(year_row.cells) else ""
        if not month and not year:
            continue
        if not month or month.lower() not in MONTHS:
            raise ParseError(
                f"column {j + 1} has year {year!r} but no month name above it",
                file=origin,
                line=month_row.number,
                field=f"column {j + 1}",
                hint="the header is damaged; download the file again",
            )
        if not _YEAR.match(year) or not _plausible_year(int(year)):
            raise ParseError(
                f"expected a four-digit year from {FIRST_YEAR} to next year under {month!r}, found {year!r}",
                file=origin,
                line=year_row.number,
                field=month,
                hint="the header is damaged; download the file again",
            )
        period = month_end(int(year), MONTHS[month.lower()])
        last = j
        where = {"origin": origin, "line": month_row.number, "field": month}
        if period in seen:
            if series_break and period not in prior:
                _check_runs_back(columns, period, f"{month} {year}", allow_repeat=True, **where)
                # the newer series on the left is the level; the right one, "shown for comparison only", is kept
                # apart so that the month's change can be measured within the older series
                prior.add(period)
                columns.append(_Column(j, period, f"{month} {year} (prior series)", prior=True))
                continue
            if series_break:
                raise ParseError(
                    f"{month} {year} appears more than twice in the header",
                    file=origin,
                    line=month_row.number,
                    field=month,
                    hint="the header is damaged; download the file again",
                )
            raise ParseError(
                f"{month} {year} appears twice in the header without a 'Series' label row",
                file=origin,
                line=month_row.number,
                field=month,
                hint="the header is damaged; download the file again",
            )
        _check_runs_back(columns, period, f"{month} {year}", **where)
        seen[period] = j
        columns.append(_Column(j, period, f"{month} {year}"))
    if not columns:
        raise ParseError("the header names no month", file=origin, line=month_row.number, field="Country")
    return columns, last + 1


def _check_runs_back(
    columns: list[_Column], period: pd.Timestamp, title: str, *, origin: str, line: int, field: str,
    allow_repeat: bool = False, allow_gaps: bool = False,
) -> None:
    """Refuse a header column that is not one month before the column to its left (newest first).

    The historical file's headers run back one month at a time (Dec, Nov, ..., Jan); the only exception is a
    series-break month shown twice side by side (``allow_repeat``). The current table's ISO months
    (``2026-07``, ``2026-06``, ...) must at least run back in time (``allow_gaps``: a month may be left out).
    Any other order would put every holder's values under the wrong months, so the header is refused naming
    what was found.
    """
    if not columns:
        return
    previous = columns[-1]
    expected = previous.period - pd.offsets.MonthEnd(1)
    if period == expected or (allow_repeat and period == previous.period) or (allow_gaps and period < expected):
        return
    rule = "run back in time (newest first)" if allow_gaps else "run back one month at a time (newest first)"
    want = f"{expected:%Y-%m} or earlier" if allow_gaps else f"{expected:%b %Y}"
    raise ParseError(
        f"the header's months must {rule}, but {title} follows "
        f"{previous.title.removesuffix(' (prior series)')}; expected {want}",
        file=origin,
        line=line,
        field=field,
        hint="the header is damaged (columns swapped or missing), so values would land under the wrong months; "
        "download the file again",
    )


def _read_block(
    rows: list[_Row], start: int, columns: list[_Column], width: int, out: _Collector, *, title: str
) -> int:
    """Read one table's rows from ``start``; return the index of the first row after the table.

    ``width`` is the number of cells the header spans (name column included, comparison columns too).
    """
    origin = out.origin
    grand_total = False
    last_line = rows[start - 1].number  # last non-blank line of the table, for "truncated" errors
    i = start
    while i < len(rows):
        row = rows[i]
        name = row.name
        key = re.sub(r"\s+", " ", name).lower()
        if row.blank:
            i += 1
            continue
        if not name:
            cells = {_clean_cell(c) for c in row.cells[1:]} - {""}
            if all(set(c) <= {"-"} for c in cells):  # the dashes under the header
                last_line = row.number
                i += 1
                continue
            if _has_number(row.cells[1:]):
                raise ParseError(
                    "a row of values without a holder name",
                    file=origin,
                    line=row.number,
                    field="Country",
                    hint="the name cell or a tab was lost; download the file again",
                )
            break  # a month or series row: the next block starts
        if key.startswith(_FOOTER) or key == "country" or (grand_total and key not in OFFICIAL_SECTION):
            break
        last_line = row.number
        if key in ("of which:", "of which"):
            i += 1
            continue
        _read_row(row, columns, width, out)
        grand_total = grand_total or key == "grand total"
        i += 1
    if not grand_total:
        line = rows[i].number if i < len(rows) else last_line
        raise ParseError(
            f"{title} ends without a 'Grand Total' row (is the file truncated?)",
            file=origin,
            line=line,
            field="Grand Total",
            hint="download the file again",
        )
    return i


def _read_row(row: _Row, columns: list[_Column], width: int, out: _Collector) -> None:
    """Values of one holder or total row."""
    origin = out.origin
    series_id, label = _holder(row.name, origin=origin, line=row.number, allow_new=out.allow_new_names)
    if len(row.cells) < width:
        raise ParseError(
            f"missing country column: the row has {len(row.cells) - 1} value cells, the header {width - 1}",
            file=origin,
            line=row.number,
            field=label,
            hint="a cell or tab was lost; download the file again",
        )
    for j in range(width, len(row.cells)):
        if _clean_cell(row.cells[j]):
            raise ParseError(
                f"value {_clean_cell(row.cells[j])!r} in column {j + 1}, which has no month in the header",
                file=origin,
                line=row.number,
                field=label,
                hint="a tab was added or the columns shifted; download the file again",
            )
    for column in columns:
        cell = _clean_cell(row.cells[column.index])
        if cell.lower() in MISSING:
            continue
        if cell in LESS_THAN_HALF_UNIT:
            value = 0.0
        else:
            try:
                value = parse_number(cell, origin=origin, line=row.number, field=label)
            except ParseError as exc:
                raise ParseError(
                    f"{exc.reason} in the {column.title} column",
                    file=origin,
                    line=row.number,
                    field=label,
                    hint="the file may be damaged; download it again",
                ) from None
            if not 0.0 <= value <= MAX_HOLDING_BN:
                why = "negative" if value < 0 else f"over {MAX_HOLDING_BN:,.0f}"
                raise ParseError(
                    f"holding {cell!r} (USD bn) in the {column.title} column is implausible ({why})",
                    file=origin,
                    line=row.number,
                    field=label,
                    hint="the file may be damaged; download it again",
                )
        sid, lab = series_id, label
        # the older series of a break month has the definitions of the month before (June 2002's Series II
        # Belgium line is still Belgium-Luxembourg, footnote 5/)
        defined_at = column.period - pd.offsets.MonthEnd(1) if column.prior else column.period
        if sid == PREFIX + "belgium" and defined_at <= BELGIUM_LUXEMBOURG_UNTIL:
            sid, lab = PREFIX + "belgium_luxembourg", "Belgium-Luxembourg"
        if column.prior:
            sid, lab = PRIOR_PREFIX + sid.removeprefix(PREFIX), lab + PRIOR_LABEL
        out.add(sid, lab, column.period, value, row.number)


def _parse_current(rows: list[_Row], out: _Collector) -> None:
    """Read ``slt_table5.txt``: one ``Country 2026-07 2026-06 ...`` header and its rows."""
    origin = out.origin
    for i, row in enumerate(rows):
        if row.name.lower() == "country":
            columns = _current_columns(row, origin=origin)
            width = max(c.index for c in columns) + 1
            _read_block(rows, i + 1, columns, width, out, title="Table 5")
            return
        if row.name and _has_number(row.cells[1:]):
            raise ParseError(
                "a row of values above the 'Country' header row",
                file=origin,
                line=row.number,
                field=row.name,
                hint="the header is damaged; download the file again",
            )
    raise ParseError(
        "no 'Country' header row (Country, 2026-07, 2026-06, ...) found",
        file=origin,
        line=len(rows),
        field="Country",
        hint="the header is damaged or the file was cut; download it again",
    )


def _current_columns(header: _Row, *, origin: str) -> list[_Column]:
    columns: list[_Column] = []
    seen: set[pd.Timestamp] = set()
    for j in range(1, len(header.cells)):
        title = _clean_cell(header.cells[j])
        if not title:
            continue
        match = _YEAR_MONTH.match(title)
        if match is None or not 1 <= int(match.group(2)) <= 12 or not _plausible_year(int(match.group(1))):
            raise ParseError(
                f"expected a year-month such as 2026-07 (from {FIRST_YEAR} to next year) in the header, "
                f"found {title!r}",
                file=origin,
                line=header.number,
                field=title,
                hint="the header is damaged or the layout changed",
            )
        period = month_end(int(match.group(1)), int(match.group(2)))
        if period not in seen:
            _check_runs_back(columns, period, title, origin=origin, line=header.number, field=title, allow_gaps=True)
        if period in seen:
            raise ParseError(
                f"{title} appears twice in the header",
                file=origin,
                line=header.number,
                field=title,
                hint="the header is damaged; download the file again",
            )
        seen.add(period)
        columns.append(_Column(j, period, title))
    if not columns:
        raise ParseError("the 'Country' header row names no month", file=origin, line=header.number, field="Country")
    return columns


def _plausible_year(year: int) -> bool:
    """Whether a header's year can be a month of TIC data (not before the 1970s, not after next year)."""
    return FIRST_YEAR <= year <= date.today().year + 1


def _find_vintage(rows: list[_Row], *, origin: str) -> date | None:
    """Release date printed in the file, or ``None``.

    The historical file prints it under "Department of the Treasury/Federal Reserve Board" (``3/18/26``); a
    ``Release date:`` / ``Updated:`` style line is also recognised for the current table.
    """
    for i, row in enumerate(rows):
        text = " ".join(_clean_cell(c) for c in row.cells if _clean_cell(c))
        if text.lower().startswith(_FOOTER):
            candidates = [row] + [r for r in rows[i + 1 : i + 4] if not r.blank]
        elif _RELEASE_LABEL.match(text):
            candidates = [row]
        else:
            continue
        for cand in candidates:
            found = _date_in(" ".join(_clean_cell(c) for c in cand.cells), origin=origin, line=cand.number)
            if found is not None:
                if not _plausible_year(found.year) or found > date.today() + timedelta(days=2):
                    raise ParseError(
                        f"the release date {found:%Y-%m-%d} is implausible (before {FIRST_YEAR} or in the future)",
                        file=origin,
                        line=cand.number,
                        field="release date",
                        hint="the file may be damaged; download it again",
                    )
                return found
    return None


def _date_in(text: str, *, origin: str, line: int) -> date | None:
    match = _SLASH_DATE.search(text)
    try:
        if match is not None:
            month, day, year = (int(g) for g in match.groups())
            return date(year + 2000 if year < 100 else year, month, day)
        match = _TEXT_DATE.search(text)
        if match is not None:
            month = list(calendar.month_name).index(match.group(1).capitalize())
            return date(int(match.group(3)), month, int(match.group(2)))
    except ValueError:
        raise ParseError(
            f"the release date {match.group(0)!r} is not a valid date",
            file=origin,
            line=line,
            field="release date",
            hint="the file may be damaged; download it again",
        ) from None
    return None


def change_within_series(level: pd.Series, prior: pd.Series) -> pd.Series:
    """Month-on-month change of a TIC holdings series, measured within one series across its breaks.

    ``level`` is the series as stored (month-end index; at a break month the new series, the best estimate of the
    level); ``prior`` the older series' value of the break months (``tic.mfh_prior.<slug>``, "shown for comparison
    only"). Where ``prior`` has a value the change into that month is ``prior[t] − level[t−1]`` (both on the older
    series: June(old) − May(old)); the next month's is ``level[t+1] − level[t]`` as usual (July − June(new)). The
    jump between the two series at the break (the survey's revision of the level: foreign-official holdings of
    June 2010 are 3,071.4 on the new series, 2,688.7 on the old) is in no month's change.

    References
    ----------
    U.S. Treasury, TIC *Major Foreign Holders of Treasury Securities* (mfhhis01.txt), footnotes 6/ to 16/: "the
    Series … estimate for June … is shown for comparison only".
    """
    change = level.diff()
    at = prior.dropna().index.intersection(change.index)
    if len(at):
        change.loc[at] = prior.loc[at] - level.shift(1).loc[at]
    return change
