"""A self-contained HTML page: the text with each claim highlighted and its verdict (all input escaped)."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

from geostress.analytics.claims.extract import Claim

_COLOURS = {"supported": "#c8f0c8", "contradicted": "#f6c6c6", "wrong_date": "#f9e2a8", "not_checkable": "#e2e2e2"}
_LABELS = {"supported": "supported", "contradicted": "contradicted", "wrong_date": "right number, wrong date",
           "not_checkable": "not checkable"}  # fmt: skip


def _tip(c: Claim) -> str:
    parts = [f"{_LABELS[c.verdict]}", f"measure: {c.measure or '—'}", f"subject: {c.subject or '—'}"]
    if c.data_value is not None:
        parts.append(f"data: {c.data_value:,} ({c.data_period})")
    if c.source:
        parts.append(f"source: {c.source}")
    if c.note or c.reason:
        parts.append(c.note or c.reason or "")
    return " | ".join(parts)


def render_html(text: str, claims: Sequence[Claim], *, title: str = "geostress claims check", encoding: str = "") -> str:
    """The page: every character of ``text`` and of the claims is HTML-escaped; no script, no external file."""
    out: list[str] = []
    pos = 0
    for i, c in enumerate(sorted(claims, key=lambda c: c.start)):
        if c.start < pos or c.end > len(text):
            continue
        out.append(html.escape(text[pos : c.start]))
        out.append(f'<mark class="{c.verdict}" id="c{i}" title="{html.escape(_tip(c), quote=True)}">'
                   f"{html.escape(text[c.start:c.end])}<sup>{html.escape(_LABELS[c.verdict])}</sup></mark>")
        pos = c.end
    out.append(html.escape(text[pos:]))
    counts = {v: sum(c.verdict == v for c in claims) for v in _COLOURS}
    rows = "".join(
        "<tr class='{v}'><td>{q}</td><td>{val}</td><td>{per}</td><td>{meas}</td><td>{subj}</td><td>{verd}</td>"
        "<td>{data}</td><td>{src}</td><td>{note}</td></tr>".format(
            v=c.verdict, q=html.escape(c.quote), val=html.escape(f"{c.value:,} {c.unit}" if c.value is not None else c.unit),
            per=html.escape(c.period or "—"), meas=html.escape(c.measure or "—"), subj=html.escape(c.subject or "—"),
            verd=html.escape(_LABELS[c.verdict]),
            data=html.escape("" if c.data_value is None else f"{c.data_value:,} ({c.data_period})"),
            src=html.escape(c.source or ""), note=html.escape(c.note or c.reason or ""))
        for c in claims
    )
    css = "".join(f"mark.{k},tr.{k} td:nth-child(6){{background:{v}}}" for k, v in _COLOURS.items())
    summary = html.escape(", ".join(f"{n} {_LABELS[v]}" for v, n in counts.items()))
    enc = f" · decoded as {html.escape(encoding)}" if encoding else ""
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;"
        "line-height:1.7}}.text{{white-space:pre-wrap;border:1px solid #ccc;padding:1rem}}mark sup{{font-size:.65em;"
        "margin-left:.2em;color:#444}}table{{border-collapse:collapse;font-size:.85em}}td,th{{border:1px solid #ccc;"
        f"padding:.2rem .4rem;vertical-align:top}}{css}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{len(claims)} claims: {summary}{enc}</p>"
        f"<div class='text'>{''.join(out)}</div><h2>Claims</h2><table><tr><th>quote</th><th>value</th><th>period</th>"
        "<th>measure</th><th>subject</th><th>verdict</th><th>data</th><th>source</th><th>note</th></tr>"
        f"{rows}</table></body></html>\n"
    )


def claims_json(claims: Sequence[Claim]) -> str:
    """The JSON list printed by ``--json``."""
    return json.dumps([c.to_json() for c in claims], ensure_ascii=False, indent=1)
