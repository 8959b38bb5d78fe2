"""CBO baseline budget projections, every vintage since 1982 (``baselines.csv``).

The Congressional Budget Office publishes the input data of its evaluation of its own projections in the public
repository ``US-CBO/eval-projections``. ``input_data/baselines.csv`` holds every baseline since 1982 in one long
table::

    component,category,subcategory,baseline_date,Spring_flag,Winter_flag,projected_fiscal_year,
    projected_year_number,value

with values in billions of dollars by fiscal year. Because one file carries every vintage, the frame returned by
:func:`parse` has a ``vintage`` column (the ``baseline_date``, the first day of the month of release) and
:attr:`ParsedRelease.vintage` is the latest baseline date in the file.

Series ids
----------
===============================  =============================================================
``cbo.debt``                     debt held by the public, end of fiscal year (``debt``/Total)
``cbo.deficit``                  deficit (negative) or surplus (``deficit``/Total)
``cbo.outlays``                  total outlays (``outlay``/Total)
``cbo.revenue``                  total revenues (``revenue``/Total)
``cbo.net_interest``             net interest outlays (``outlay``/Net Interest)
``cbo.outlays.<slug>``           outlay sub-categories, e.g. ``cbo.outlays.social_security``,
                                 ``cbo.outlays.total_mandatory``, ``cbo.outlays.defense_discretionary``
``cbo.revenue.<slug>``           revenue sources, e.g. ``cbo.revenue.individual_income_taxes``
===============================  =============================================================

``<slug>`` is :func:`~geostress.data.sources.base.slugify` of the sub-category (of the category when the
sub-category is ``Total``); CBO's misspelling "Student Loan Foregiveness" becomes ``student_loan_forgiveness``.
The period is the last day of the fiscal year (FY2036 → 2036-09-30); ``projected_year_number`` (the position of
the year in its baseline) and the ``Spring_flag``/``Winter_flag`` selection flags of CBO's evaluation are not kept,
since they derive from ``baseline_date`` and ``projected_fiscal_year``.

Caveats (CBO's README): outlays of Fannie Mae and Freddie Mac are removed; vintage coverage differs by series
(revenues since the winter 1982 baseline, deficits and debt since spring 1984, outlay detail and net interest
since January 1992).

The module also holds the CBO naming rules that :mod:`.cbo_actuals` reuses.

References
----------
.. [1] Congressional Budget Office, "An Evaluation of CBO's Projections of Deficits and Debt",
   https://www.cbo.gov/publication/60664 (and the related evaluations of outlay and revenue projections).
.. [2] Congressional Budget Office, ``US-CBO/eval-projections`` repository, ``input_data/baselines.csv``,
   https://github.com/US-CBO/eval-projections
.. [3] Congressional Budget Office, "Budget and Economic Data", https://www.cbo.gov/data/budget-economic-data
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from geostress.data.sources._common import (
    Cursor,
    decode_utf8,
    fiscal_year_end,
    guarded,
    is_missing,
    parse_fiscal_year,
    parse_iso_date,
    read_csv_table,
    require_final_newline,
)
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

NAME = "cbo-baselines"
TITLE = "CBO baseline budget projections (all vintages)"
PUBLISHER = "Congressional Budget Office (CBO)"
LICENSE = "U.S. Government work, public domain (17 U.S.C. 105)"

#: Repository and commit of the copy checked in ``shared/data`` (Feb-2026 baseline); ``ref="main"`` gets the newest.
REPOSITORY = "US-CBO/eval-projections"
PINNED_COMMIT = "682559ca5800ee7be57a398085fd023a050c7cb9"

COLUMNS = [
    "component",
    "category",
    "subcategory",
    "baseline_date",
    "projected_fiscal_year",
    "value",
]

#: CBO component → series stem.
COMPONENT_STEM = {"debt": "debt", "deficit": "deficit", "outlay": "outlays", "revenue": "revenue"}

#: Labels of the headline series (the stem after ``cbo.`` / ``cbo.actual.``).
HEADLINE_LABELS = {
    "debt": "Debt held by the public, end of fiscal year",
    "deficit": "Deficit (-) or surplus",
    "outlays": "Total outlays",
    "revenue": "Total revenues",
    "net_interest": "Net interest outlays",
}

#: Corrections of CBO spellings in slugs.
SLUG_FIXES = {"student_loan_foregiveness": "student_loan_forgiveness"}


def raw_url(path: str, ref: str = PINNED_COMMIT) -> str:
    """Raw download address of ``path`` in CBO's ``eval-projections`` repository at ``ref``."""
    return f"https://raw.githubusercontent.com/{REPOSITORY}/{ref}/{path}"


def build_queries(**options: str) -> list[Query]:
    """Say what to download: CBO's ``input_data/baselines.csv``.

    Parameters
    ----------
    **options
        ``ref``: branch, tag or commit of ``US-CBO/eval-projections`` (default: the commit of the February 2026
        baseline, :data:`PINNED_COMMIT`; pass ``ref="main"`` for the newest baseline).

    Returns
    -------
    list[Query]
        One query, file name ``baselines.csv``.
    """
    ref = options.get("ref", PINNED_COMMIT)
    return [Query(url=raw_url("input_data/baselines.csv", ref), filename="baselines.csv")]


# --------------------------------------------------------------------------------------------------------------
# CBO naming (also used by cbo_actuals)
# --------------------------------------------------------------------------------------------------------------


_SERIES_CACHE: dict[tuple[str, str, str], tuple[str, str]] = {}


def series_stem(component: str, category: str, subcategory: str, *, origin: str, line: int) -> tuple[str, str]:
    """Series stem and label for a CBO ``component, category, subcategory`` triple.

    Returns
    -------
    tuple[str, str]
        ``("debt", "Debt held by the public, ...")``, ``("outlays.social_security", "Outlays: Mandatory: Social
        Security")``, ``("net_interest", ...)``; the caller prefixes ``cbo.`` or ``cbo.actual.``.

    Raises
    ------
    ParseError
        Unknown component, or a sub-category that has no letters or digits.
    """
    key = (component, category, subcategory)
    hit = _SERIES_CACHE.get(key)
    if hit is not None:
        return hit
    comp = component.strip().lower()
    if comp not in COMPONENT_STEM:
        raise ParseError(
            f"unknown component {component.strip()!r}; expected one of {', '.join(COMPONENT_STEM)}",
            file=origin,
            line=line,
            field="component",
        )
    stem = COMPONENT_STEM[comp]
    cat = category.strip()
    sub = subcategory.strip()
    if comp == "outlay" and slugify(cat) == "net_interest":
        result = ("net_interest", HEADLINE_LABELS["net_interest"])
    else:
        for text, col in ((cat, "category"), (sub, "subcategory")):
            if not slugify(text):
                raise ParseError(
                    f"expected a name, found {text!r}", file=origin, line=line, field=col
                )
        name = sub if slugify(sub) != "total" else cat
        if slugify(name) == "total":
            result = (stem, HEADLINE_LABELS[stem])
        else:
            slug = slugify(name)
            slug = SLUG_FIXES.get(slug, slug)
            parts = [p for p in (cat, sub) if p and p != name] + [name]
            kind = "Outlays" if stem == "outlays" else "Revenues" if stem == "revenue" else stem.capitalize()
            result = (f"{stem}.{slug}", f"{kind}: " + ": ".join(dict.fromkeys(parts)))
    if len(_SERIES_CACHE) < 10_000:
        _SERIES_CACHE[key] = result
    return result


# --------------------------------------------------------------------------------------------------------------
# Parser
# --------------------------------------------------------------------------------------------------------------


def parse(raw: bytes, *, origin: str) -> ParsedRelease:
    """Parse CBO's ``baselines.csv`` into every vintage of every projected series.

    Parameters
    ----------
    raw
        The file's bytes.
    origin
        File name or address, used in error messages.

    Returns
    -------
    ParsedRelease
        Observations with columns ``series_id, label, period, value, unit, vintage`` (``vintage`` =
        ``baseline_date`` as ``datetime64``; ``period`` = fiscal-year end; unit ``USD bn``) and
        ``vintage`` = the latest ``baseline_date``.

    Raises
    ------
    ParseError
        Any problem, naming file, line and field: wrong or missing column, non-numeric value, bad date, unknown
        component, a fiscal year repeated within one baseline and series, truncated or undecodable file.
    """
    cursor = Cursor()
    return guarded(origin, lambda: _parse(raw, origin=origin, cursor=cursor), cursor=cursor)


def _parse(raw: bytes, *, origin: str, cursor: Cursor) -> ParsedRelease:
    text = decode_utf8(raw, origin=origin, header_field="header")
    table = read_csv_table(text, origin=origin, required=COLUMNS)
    require_final_newline(text, origin=origin, publisher="CBO eval-projections")
    rows: list[tuple[str, str, pd.Timestamp, float, str]] = []
    vintages: list[date] = []
    seen: dict[tuple[str, date, int], int] = {}
    dates: dict[str, date] = {}
    for line, cells in table.rows:
        cursor.line, cursor.field = line, "component"
        stem, label = series_stem(
            table.cell(cells, "component"),
            table.cell(cells, "category"),
            table.cell(cells, "subcategory"),
            origin=origin,
            line=line,
        )
        cursor.field = "baseline_date"
        text = table.cell(cells, "baseline_date")
        vintage = dates.get(text)
        if vintage is None:
            vintage = dates[text] = parse_iso_date(text, origin=origin, line=line, field="baseline_date")
        cursor.field = "projected_fiscal_year"
        year = parse_fiscal_year(
            table.cell(cells, "projected_fiscal_year"), origin=origin, line=line, field="projected_fiscal_year"
        )
        cursor.field = "value"
        cell = table.cell(cells, "value")
        if is_missing(cell):
            continue
        value = parse_number(cell, origin=origin, line=line, field="value")
        series_id = f"cbo.{stem}"
        key = (series_id, vintage, year)
        first = seen.get(key)
        if first is not None:
            raise ParseError(
                f"fiscal year {year} of series {series_id} in the {vintage:%Y-%m} baseline appears twice "
                f"(first on line {first})",
                file=origin,
                line=line,
                field="projected_fiscal_year",
                hint="the file is duplicated or damaged; download it again",
            )
        seen[key] = line
        rows.append((series_id, f"CBO baseline projection: {label}", fiscal_year_end(year), value, UNIT_USD_BN))
        vintages.append(vintage)
    cursor.line, cursor.field = None, None
    if not rows:
        raise ParseError(
            "no values: every value cell is blank",
            file=origin,
            line=table.header_line + 1,
            field="value",
            hint="download the file again",
        )
    frame = make_frame(rows)
    frame["vintage"] = pd.to_datetime(pd.Series(vintages, dtype="object")).astype(frame["period"].dtype)
    check_unique_periods(frame, origin=origin)
    return ParsedRelease(observations=frame, source=NAME, vintage=max(vintages))
