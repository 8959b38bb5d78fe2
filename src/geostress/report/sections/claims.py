"""Claims: the numbers an article states (Chinese or English, text or HTML), checked against the official data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from geostress.data.store import Store
from geostress.report.blocks import Section, minus, note, para, stats, table

VERDICTS = {"supported": "supported", "revised": "revised since", "contradicted": "contradicted",
            "not_checkable": "not checkable"}  # fmt: skip


def check_article(path: Path, store: Store | None = None) -> tuple[list[Any], str]:
    """Every claim of the article at ``path`` (text or HTML), checked against the store: (claims, encoding).

    Raises
    ------
    geostress.errors.DataError
        The file is missing, unreadable or not text; the message names the file.
    """
    from geostress.analytics.claims.check import check_text
    from geostress.analytics.claims.reading import InputError, read_article

    if not path.is_file():
        raise InputError(f"claims file {path} not found; give a text or HTML article with --claims FILE")
    text, encoding = read_article(str(path))
    claims, _when = check_text(text, store)
    return claims, encoding


def claims_frame(claims: list[Any]) -> pd.DataFrame:
    """One row per claim (the JSON fields of :class:`geostress.analytics.claims.Claim`)."""
    keys = ("quote", "value", "unit", "holder", "measure", "period", "verdict", "reason", "official_value",
            "official_period", "series", "vintage", "source", "note")  # fmt: skip
    return pd.DataFrame([{k: getattr(c, k) for k in keys} for c in claims], columns=list(keys))


def claims_section(claims: list[Any], path: Path, encoding: str) -> Section:
    """A table of the article's claims with their verdicts."""
    counts = {v: sum(c.verdict == v for c in claims) for v in VERDICTS}

    def official(c: Any) -> str:
        if c.official_value is None:
            return ""
        v = c.official_value
        shown = minus(f"{v:,}") if isinstance(v, float | int) else str(v)
        return f"{shown} ({c.official_period})"

    def stated(c: Any) -> str:
        if c.value is None:
            return "—"
        return f"{minus(f'{c.value:,g}') if isinstance(c.value, float | int) else c.value} {c.unit}"

    rows = [(c.quote, stated(c), c.holder or "—", c.measure or "—", c.period or "—",
             VERDICTS.get(c.verdict, c.verdict), official(c),
             " ".join(x for x in (c.reason, c.source) if x)) for c in claims]  # fmt: skip
    blocks = [
        para(f"The numbers stated in {path.name} (read as {encoding}), each linked to a holder, a measure and "
             "a period, and checked against the official series in the store."),
        stats([(VERDICTS[v], str(n), "claim" if n == 1 else "claims") for v, n in counts.items()]),
        table(["quote", "stated", "holder", "measure", "period", "verdict", "official", "reason / source"], rows,
              row_classes=[f"v-{c.verdict}" for c in claims], css="claims") if claims else
        para("No checkable quantities were found in the article."),
        note("A figure is supported within the rounding of the number as written; 'revised since' means it "
             "matches the first release but the TIC block was revised after the article; 'contradicted' names why "
             "(wrong value, period, unit or holder). Sources: TIC Major Foreign Holders, SAFE, World Gold Council, "
             "CBO and FRED series in the store (see Data as of).", "source"),
    ]  # fmt: skip
    return Section("claims", "Claims", tuple(blocks), tables=(("claims", claims_frame(claims)),))


__all__ = ["check_article", "claims_frame", "claims_section"]
