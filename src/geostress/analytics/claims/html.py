"""A self-contained HTML page: the text with each claim highlighted, coloured by verdict, the official figure on
hover (all input escaped; no script, no external file)."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

from geostress.analytics.claims.extract import Claim
from geostress.util.words import counted

COLOURS = {"supported": "#c8f0c8", "revised": "#cfe3fb", "contradicted": "#f6c6c6", "not_checkable": "#e6e6e6"}
LABELS = {"supported": "supported", "revised": "revised since", "contradicted": "contradicted",
          "not_checkable": "not checkable"}  # fmt: skip


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.1f}"
    return "—" if value is None else str(value)


def tooltip(c: Claim) -> str:
    """One line for the hover: verdict, what was read, the official figure and where it comes from."""
    parts = [LABELS.get(c.verdict, c.verdict) + (f" ({c.reason})" if c.verdict == "contradicted" and c.reason
                                                  else ""),
             f"read: {_fmt(c.value)} {c.unit}, {c.measure or '—'}, {c.holder or '—'}, {c.period or 'no period'}"]
    if c.official_value is not None:
        parts.append(f"official: {_fmt(c.official_value)} ({c.official_period})")
    if c.source:
        parts.append(f"source: {c.source}")
    for extra in (c.reason if c.verdict != "contradicted" else None, c.note, c.period_note):
        if extra:
            parts.append(extra)
    return " | ".join(parts)


def render_html(text: str, claims: Sequence[Claim], *, title: str = "geostress claims check", encoding: str = "",
                article_date: str | None = None) -> str:
    """The page: every character of ``text`` and of the claims is HTML-escaped."""
    out: list[str] = []
    pos = 0
    shown = 0
    for i, c in enumerate(sorted(claims, key=lambda c: (c.start, -c.end))):
        if c.start < pos or c.end > len(text):
            continue  # overlapping claims (a rank and a level on one quote): the table lists both
        out.append(html.escape(text[pos : c.start]))
        out.append(f'<mark class="{c.verdict}" id="c{i}" title="{html.escape(tooltip(c), quote=True)}">'
                   f"{html.escape(text[c.start:c.end])}</mark>")
        pos = c.end
        shown += 1
    out.append(html.escape(text[pos:]))
    counts = {v: sum(c.verdict == v for c in claims) for v in COLOURS}
    rows = "".join(
        "<tr class='{v}'><td>{q}</td><td>{val}</td><td>{hold}</td><td>{meas}</td><td>{per}</td><td>{verd}</td>"
        "<td>{off}</td><td>{src}</td><td>{why}</td></tr>".format(
            v=c.verdict, q=html.escape(c.quote), val=html.escape(f"{_fmt(c.value)} {c.unit}"),
            hold=html.escape(c.holder or "—"), meas=html.escape(c.measure or "—"), per=html.escape(c.period or "—"),
            verd=html.escape(LABELS.get(c.verdict, c.verdict)),
            off=html.escape("" if c.official_value is None else f"{_fmt(c.official_value)} ({c.official_period})"),
            src=html.escape(c.source or ""),
            why=html.escape("; ".join(x for x in (c.reason, c.note, c.period_note) if x)))
        for c in claims
    )
    css = "".join(f"mark.{k},tr.{k} td:nth-child(6){{background:{v}}}" for k, v in COLOURS.items())
    summary = html.escape(", ".join(f"{n} {LABELS[v]}" for v, n in counts.items()))
    enc = f" · decoded as {html.escape(encoding)}" if encoding else ""
    when = f" · article date {html.escape(article_date)}" if article_date else " · article date unknown"
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;"
        "line-height:1.8}.text{white-space:pre-wrap;border:1px solid #ccc;padding:1rem}mark{cursor:help;"
        "padding:0 .1em}table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #ccc;"
        f"padding:.2rem .4rem;vertical-align:top}}{css}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{counted(len(claims), 'claim')}: {summary}{enc}{when}. Hover a highlighted "
        "figure for the official value.</p>"
        f"<div class='text'>{''.join(out)}</div><h2>Claims</h2><table><tr><th>quote</th><th>value</th>"
        "<th>holder</th><th>measure</th><th>period</th><th>verdict</th><th>official</th><th>source</th>"
        f"<th>reason / note</th></tr>{rows}</table></body></html>\n"
    )


def claims_json(claims: Sequence[Claim]) -> str:
    """The JSON list printed by ``--json``."""
    return json.dumps([c.to_json() for c in claims], ensure_ascii=False, indent=1, default=str)
