"""Text tables in an article: a header line naming its columns, then one line per holder.

Newsletters and research notes often print the TIC figures as a table in plain text::

    Holder | Holdings ($bn) | Month | Change
    Japan | 1,185.5 | Dec 2025 | -17.2

or with the columns aligned by tabs or runs of spaces. :func:`read_header` recognises a header line — at least three
cells, a holder column and a column of a measure the checker covers (holdings, a monthly or annual change, in
dollars or in percent, or a month written as the column's name: "Dec 2025", 2025年12月) — and :func:`read_row` splits a
row the same way and reads each numeric cell with its sign. The units come from the header ("($bn)", （億美元）) or
from a note before the table ("Figures in USD billions.", 單位：億美元); a table whose amounts have no unit stated
anywhere is not read (its numbers could be millions). Turning cells into claims is
:func:`geostress.analytics.claims.extract.table_claims`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geostress.analytics.claims.numbers import NumberError, fold_width, parse_decimal

#: How the cells of a line are separated: a pipe, a tab, or a run of two or more spaces.
_PIPE = re.compile(r"\s*\|\s*")
_WIDE_GAP = re.compile(r"\t+\s*|\s{2,}")
#: A line of a Markdown table that only draws its rule ("---|:---:|---").
_RULE_LINE = re.compile(r"^[\s|:+=-]+$")

#: Column names (lower case) and the kind of column they make.
_HOLDER_COL = re.compile(r"^(?:holders?|country|countries|economy|economies|nation|jurisdiction|country/region|"
                         r"region|持有者|持有國|持有国|持有人|國家|国家|國家/地區|国家/地区|國家或地區|国家或地区|地區|地区|"
                         r"經濟體|经济体|債權國|债权国)\b", re.I)
_PERIOD_COL = re.compile(r"^(?:month|period|date|as of|data month|月份|時間|时间|日期|期間|期间|數據月份|数据月份)\b", re.I)
_ANNUAL_COL = re.compile(r"y/y|\byoy\b|year[- ]on[- ]year|year[- ]over[- ]year|annual|12[- ]month|一年|同比|年變動|"
                         r"年变动|年增減|年增减", re.I)
_CHANGE_COL = re.compile(r"\bchange\b|\bchg\b|m/m|\bmom\b|\bnet\b|變動|变动|變化|变化|增減|增减|環比|环比|月變動|月变动", re.I)
_LEVEL_COL = re.compile(r"\bholdings?\b|\blevel\b|\bamount\b|\btotal\b|\bstock\b|\bposition\b|持有量|持有額|持有额|"
                        r"持有規模|持有规模|餘額|余额|持倉|持仓|金額|金额|規模|规模|持有", re.I)
_PERCENT_COL = re.compile(r"%|percent|百分比|幅度", re.I)
#: The unit of a column or of the whole table, as a factor to USD billions.
_UNITS: list[tuple[re.Pattern[str], float]] = [
    (re.compile(r"(?:US\$|USD|\$|U\.S\.\s*dollars?)\s*(?:tn|trn|trillions?)\b|\b(?:tn|trn|trillions?)\s*(?:of\s+)?"
                r"(?:US\$|USD|\$|(?:U\.S\.\s*|US\s+)?dollars?)|萬億美元|万亿美元|兆美元", re.I), 1000.0),
    (re.compile(r"(?:US\$|USD|\$|U\.S\.\s*dollars?)\s*(?:bn|bln|billions?)\b|\b(?:bn|bln|billions?)\s*(?:of\s+)?"
                r"(?:US\$|USD|\$|(?:U\.S\.\s*|US\s+)?dollars?)|\$\s*b\b|十億美元|十亿美元|"
                r"\(\s*(?:bn|billions?)\s*\)", re.I), 1.0),
    (re.compile(r"億美元|亿美元", re.I), 0.1),
    (re.compile(r"(?:US\$|USD|\$|U\.S\.\s*dollars?)\s*(?:mn|mln|millions?)\b|\b(?:mn|mln|millions?)\s*(?:of\s+)?"
                r"(?:US\$|USD|\$|(?:U\.S\.\s*|US\s+)?dollars?)|百萬美元|百万美元", re.I), 0.001),
]
#: A note that states the unit of the table's amounts ("Figures in USD billions.", "單位：億美元", "in $ billions").
_UNIT_NOTE = re.compile(r"\b(?:figures|amounts|data|values|numbers|holdings)\b[^.。]{0,30}?\b(?:in|are)\b|單位|单位|"
                        r"[(（]\s*(?:in\b|(?:US\$|USD|\$)?\s*(?:billions?|bn|millions?|mn|trillions?|tn)\b|單位|单位)|"
                        r"^\s*in\b|\bin\s+(?:US\$|USD|\$|U\.S\.)\s*(?:bn|billions?|mn|millions?|tn|trillions?)\b|"
                        r"\bin\s+(?:billions|millions|trillions)\s+of\s+(?:US\s+|U\.S\.\s+)?dollars\b", re.I)
_NOT_AVAILABLE = re.compile(r"^(?:n/?a|na|—|–|-|\.\.\.|…|--|nil|無|无|暫無|暂无)?$", re.I)
_CELL_NUMBER = re.compile(r"^(?P<sign>[-−+])?\s*(?:US\$|\$|USD\s*)?\s*(?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)\s*"
                          r"(?P<pct>%)?$")


@dataclass(frozen=True)
class Column:
    """One column of a table: ``kind`` is ``holder``, ``period``, ``level``, ``monthly_change``, ``annual_change``
    (with ``percent`` for changes in percent) or ``other``; ``month`` is the column's own month when its name is a
    date ("Dec 2025"); ``factor`` turns its numbers into USD billions (None: no unit stated)."""

    name: str
    kind: str
    percent: bool = False
    month: str | None = None
    factor: float | None = None


@dataclass
class Table:
    """A recognised header: its separator (``|``, a tab or a run of spaces) and its columns."""

    separator: str
    columns: list[Column] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.columns)


def split_cells(line: str) -> tuple[str, list[tuple[int, str]]] | None:
    """``(separator, [(offset, cell text)…])`` of a line with at least three cells, else None. A pipe table may
    start and end with a pipe; the cells are stripped, their offsets kept."""
    text = line.rstrip("\n")
    if "|" in text:
        sep, pattern = "|", _PIPE
    elif "\t" in text.strip() or _WIDE_GAP.search(text.strip()):
        sep, pattern = "gap", _WIDE_GAP
    else:
        return None
    cells: list[tuple[int, str]] = []
    pos = 0
    for m in pattern.finditer(text):
        cells.append((pos, text[pos:m.start()]))
        pos = m.end()
    cells.append((pos, text[pos:]))
    out = []
    for start, cell in cells:
        lead = len(cell) - len(cell.lstrip())
        out.append((start + lead, cell.strip()))
    if sep == "|":  # "| a | b |": the empty cells outside the outer pipes
        if out and not out[0][1]:
            out = out[1:]
        if out and not out[-1][1]:
            out = out[:-1]
    elif out and not out[0][1]:
        out = out[1:]
    return (sep, out) if len(out) >= 3 else None


def unit_factor(text: str) -> float | None:
    """The factor to USD billions of a unit named in ``text`` ("($bn)", "USD billions", 億美元), or None."""
    folded = fold_width(text)
    for pattern, factor in _UNITS:
        if pattern.search(folded):
            return factor
    return None


#: Words one of which a unit note holds (a cheap test before the regular expressions).
_UNIT_WORDS = ("billion", "million", "trillion", "bn", "mn", "tn", "單位", "单位", "美元", "dollar")


def unit_note(sentence: str) -> float | None:
    """The unit a note before a table states for its amounts ("Figures in USD billions.", 單位：億美元), or None."""
    low = sentence.lower()
    if not any(w in low for w in _UNIT_WORDS):
        return None
    folded = fold_width(sentence)
    if not _UNIT_NOTE.search(folded):
        return None
    return unit_factor(folded)


def read_header(line: str, month_of: object, table_unit: float | None) -> Table | None:
    """The table whose header ``line`` is, or None when it is not one.

    ``month_of(cell)`` gives the month (``YYYY-MM``) a cell names, or None; ``table_unit`` is the unit of a note
    before the table. A header has no number other than in a date or a unit, a holder column (by its name, else
    the first column) and at least one column of a covered measure.
    """
    split = split_cells(line)
    if split is None:
        return None
    sep, cells = split
    columns: list[Column] = []
    line_unit = unit_factor(line)
    for k, (_start, name) in enumerate(cells):
        month = month_of(name)  # type: ignore[operator]
        bare = re.sub(r"[（(][^)）]*[)）]", "", name).strip()
        if month is None and re.search(r"\d", bare):
            return None  # a row of figures, not a header
        factor = unit_factor(name) or line_unit or table_unit
        percent = bool(_PERCENT_COL.search(name))
        if _HOLDER_COL.search(bare):
            kind = "holder"
        elif _PERIOD_COL.search(bare):
            kind = "period"
        elif _ANNUAL_COL.search(bare) and (_CHANGE_COL.search(bare) or re.search(r"y/y|yoy|同比", bare, re.I)):
            kind = "annual_change"
        elif _CHANGE_COL.search(bare):
            kind = "monthly_change"
        elif month is not None or _LEVEL_COL.search(bare):
            kind = "level"
            percent = False if not re.search(r"%", name) else percent
        else:
            kind = "holder" if k == 0 else "other"  # the first column of names, whatever its heading
        if kind == "level" and percent:
            kind = "other"  # a share, not a level
        columns.append(Column(name, kind, percent, month, factor))
    kinds = [c.kind for c in columns]
    if "holder" not in kinds or not any(k in ("level", "monthly_change", "annual_change") for k in kinds):
        return None
    return Table(sep, columns)


def read_row(line: str, table: Table) -> list[tuple[int, str]] | None:
    """The cells of a row of ``table`` (``(offset, text)``), or None when ``line`` is not one (another number of
    cells or another separator). A rule line of a Markdown table gives an empty list."""
    if _RULE_LINE.match(line.strip() or "x") and "-" in line:
        return []
    split = split_cells(line)
    if split is None or split[0] != table.separator or len(split[1]) != table.width:
        return None
    return split[1]


def cell_number(cell: str) -> tuple[float, int, float] | None:
    """``(value, sign, half a unit of the last digit)`` of a numeric cell ("1,185.5", "-17.2", "+6.4", "$683.5"),
    or None for an empty, "n/a" or text cell. ``sign`` is −1 / +1 when written, else 0."""
    text = fold_width(cell).strip()
    if _NOT_AVAILABLE.match(text):
        return None
    m = _CELL_NUMBER.match(text)
    if m is None:
        return None
    try:
        value = float(parse_decimal(m.group("num")))
    except (NumberError, ArithmeticError, ValueError):
        return None
    decimals = len(m.group("num").split(".")[1]) if "." in m.group("num") else 0
    sign = {"-": -1, "−": -1, "+": 1}.get(m.group("sign") or "", 0)
    return value, sign, 0.5 * 10.0 ** (-decimals)
