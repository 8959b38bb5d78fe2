"""Claims: the numbers an article states (Chinese or English, text or HTML), checked against the official data."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd

from geostress.data.store import Store
from geostress.report.blocks import Section, note, para, stats, table

VERDICTS = {"supported": "supported", "contradicted": "contradicted", "wrong_date": "right number, wrong date",
            "not_checkable": "not checkable"}  # fmt: skip
_SKIP = {"script", "style", "head", "noscript", "template"}
_BREAK = {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote"}


class _TextOnly(HTMLParser):
    """Visible text of an HTML document, one line per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self._skip:
            self._skip -= 1
        elif tag in _BREAK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def looks_like_html(text: str, name: str = "") -> bool:
    """Whether ``text`` is an HTML document (by extension or by its opening tags)."""
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text.lstrip()[:2000].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def html_to_text(text: str) -> str:
    """The visible text of an HTML page (scripts and styles dropped, block elements on their own lines)."""
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def read_article(path: Path) -> tuple[str, str]:
    """Read an article (text or HTML; UTF-8, GB18030 or Big5) as plain text: (text, encoding).

    Raises
    ------
    geostress.errors.DataError
        The file is missing, unreadable or not text; the message names the file.
    """
    from geostress.analytics.claims.extract import InputError, read_text

    if not path.is_file():
        raise InputError(f"claims file {path} not found; give a text or HTML article with --claims FILE")
    text, encoding = read_text(str(path))
    return (html_to_text(text) if looks_like_html(text, path.name) else text), encoding


def check_article(path: Path, store: Store | None = None) -> tuple[list[Any], str]:
    """Every claim of the article at ``path``, checked against the store: (claims, encoding)."""
    from geostress.analytics.claims.check import check_claims
    from geostress.analytics.claims.extract import extract_claims

    text, encoding = read_article(path)
    return check_claims(extract_claims(text), store), encoding


def claims_frame(claims: list[Any]) -> pd.DataFrame:
    """One row per claim (the JSON fields of :class:`geostress.analytics.claims.Claim`)."""
    keys = ("quote", "value", "unit", "period", "measure", "subject", "verdict", "data_value", "data_period",
            "series", "vintage", "source", "note")  # fmt: skip
    return pd.DataFrame([{k: getattr(c, k) for k in keys} for c in claims], columns=list(keys))


def claims_section(claims: list[Any], path: Path, encoding: str) -> Section:
    """A table of the article's claims with their verdicts."""
    counts = {v: sum(c.verdict == v for c in claims) for v in VERDICTS}
    rows = [(c.quote, "—" if c.value is None else f"{c.value:,g} {c.unit}", c.period or "—", c.measure or "—",
             c.subject or "—", VERDICTS.get(c.verdict, c.verdict),
             "" if c.data_value is None else f"{c.data_value:,} ({c.data_period})",
             " ".join(x for x in (c.source, c.note or c.reason) if x)) for c in claims]  # fmt: skip
    blocks = [
        para(f"The numbers stated in {path.name} (read as {encoding}), each linked to a holder, an instrument and "
             "a period, and checked against the official series in the store."),
        stats([(VERDICTS[v], str(n), "claims") for v, n in counts.items()]),
        table(["quote", "stated", "period", "measure", "subject", "verdict", "official data", "source / note"], rows,
              row_classes=[f"v-{c.verdict}" for c in claims], css="claims") if claims else
        para("No checkable quantities were found in the article."),
        note("A level is supported within 1% of the official figure for the stated period (or within the rounding "
             "of the number as written); 'right number, wrong date' means it matches another period. Sources: TIC "
             "Major Foreign Holders, SAFE, World Gold Council and CBO series in the store (see Data as of).",
             "source"),
    ]  # fmt: skip
    return Section("claims", "Claims", tuple(blocks), tables=(("claims", claims_frame(claims)),))


__all__ = ["check_article", "claims_section", "html_to_text", "looks_like_html", "read_article"]
