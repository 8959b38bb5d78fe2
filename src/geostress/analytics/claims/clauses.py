"""Clause structure of a sentence: where clauses end, which spans are embedded, which holder is a subject."""

from __future__ import annotations

import re

from geostress.analytics.claims.holders import Holder
from geostress.analytics.claims.quantities import Quantity
from geostress.analytics.claims.regexes import guarded_re


#: Clause breaks: Chinese and ASCII punctuation and brackets, a comma that is not a thousands separator (not after a
#: digit, or not followed by exactly three digits), a dash between spaces. Written to start with one character class
#: (the regex engine then skips to the next candidate character without trying the pattern), the lookbehinds telling
#: the cases apart: the same matches as ``[，、：:;]|(?<!\d),|,(?!\d{3}(?!\d))|\s[-–—]{1,2}\s|[（(]|[）)]``.
CLAUSE_END = re.compile(r"[，、：:;,\s（(）)]"
                         r"(?:(?<=[，、：:;（(）)])|(?<=,)(?:(?<!\d,)|(?!\d{3}(?!\d)))|(?<=\s)[-–—]{1,2}\s)")


#: A relative clause between commas or dashes (", where Euroclear custodies many Chinese assets,", ", which …,",
#: " — where … —") or brackets.
_EMBEDDED = guarded_re(r",\s*(?:where|which|who|whose|whom|whereby|(?:in|of|through|for)\s+which)\b[^,;:]*,|"
                       r"\s[—–]\s*(?:where|which|who|whose|whom)\b[^—–;:]*[—–]|[(（][^)）]*[)）]", re.I)
#: An apposition right after a holder's name, set off by commas or dashes and starting with a lower-case word
#: ("Belgium, home to a depository used by Chinese investors, held"; not a list: "Japan, China and Britain").
_APPOSITION = re.compile(r"\s*(?:,\s*(?!and\b|or\b|as\s+well\b)[a-z][^,;:]{0,80}?,|\s[—–]\s*[a-z][^—–;:]{0,80}?[—–])")


#: What ends the stretch of a sentence a figure without a currency must name its subject in: a comma (not a
#: thousands separator), a semicolon or a colon; brackets do not ("a 1,316.7bn peak (Nov-2013) to 683.5bn").
_STRETCH_END = re.compile(r"[，；;：:]|,(?!\d{3}(?!\d))|(?<!\d),")


def names_subject(f: str, q: Quantity, quantities: list[Quantity], insts: list[tuple[int, int, str]],
                   holders: list[tuple[int, int, Holder]]) -> bool:
    """Whether the stretch of sentence ``f`` around figure ``q`` (up to a comma, semicolon or colon) names an
    instrument or a holder — or the stretch right before it does and states no figure of its own ("中國持有的美債，
    金額達6835億")."""
    ends = [m.end() for m in _STRETCH_END.finditer(f, 0, q.start)]
    lo = ends[-1] if ends else 0
    hi_m = _STRETCH_END.search(f, q.end)
    hi = hi_m.start() if hi_m else len(f)
    if ends:  # the stretch before, when it states no figure
        prev_lo = ends[-2] if len(ends) > 1 else 0
        if not any(prev_lo <= x.start < lo for x in quantities):
            lo = prev_lo
    return any(lo <= i[0] and i[1] <= hi for i in insts) or any(lo <= h[0] and h[1] <= hi for h in holders)


def embedded_spans(f: str, holders: list[tuple[int, int, Holder]]) -> list[tuple[int, int]]:
    """Spans of sentence ``f`` that describe rather than state: relative clauses set off by commas or dashes,
    brackets, and appositions right after a holder's name (positions in ``holders``)."""
    if not ("," in f or "(" in f or "（" in f or "—" in f or "–" in f):
        return []
    spans = [m.span() for m in _EMBEDDED.finditer(f)]
    for _start, end, _holder in holders:
        m = _APPOSITION.match(f, end)
        if m is not None:
            spans.append(m.span())
    return spans


def inside_any(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < pos < e for s, e in spans)


def clause_spans(f: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in CLAUSE_END.finditer(f):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(f)))
    return out


#: What may stand before a figure that labels a line: a bullet, a number of a list, spaces.
_LABEL_LEAD = re.compile(r"[\s\-–—*•·>#]*(?:\d{1,2}[.)]\s+)?")


def label_clauses(f: str, clauses: list[tuple[int, int]], quantities: list[Quantity]) -> list[tuple[int, int]]:
    """``clauses`` of sentence ``f`` with a figure that labels its line joined to the clause after its colon: in
    "- $1.2 trillion: Japan's holdings of Treasuries in October" the words after the colon say whose figure it is and
    of what (the figure opens the sentence, after a bullet at most, and a colon follows it)."""
    if not quantities or not (":" in f or "：" in f):
        return clauses
    out = list(clauses)
    for k, (cs, ce) in enumerate(clauses[:-1]):
        if ce >= len(f) or f[ce] not in ":：" or cs != 0:
            continue
        if any(_LABEL_LEAD.fullmatch(f, cs, q.start) and not f[q.end:ce].strip() for q in quantities):
            out[k:k + 2] = [(cs, clauses[k + 1][1])]
        break
    return out
