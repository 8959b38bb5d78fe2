"""Faster searches for the claims extractor's word lists: a first-character guard in front of a regular expression.

Python's ``re`` scans a text quickly only when a pattern starts with plain characters of one case; a long
alternation of cue words compared case-insensitively ("rose|rise[sn]?|increas\\w*|…", re.IGNORECASE) is instead
tried in full, word after word, at every position of the text. :func:`guarded` puts a lookahead for the characters
the pattern can start with in front of it, so that most positions are rejected by one character test. The guard
is derived from the pattern itself (its parse tree), never written by hand, and it never changes what the pattern
matches: where the first characters cannot be worked out (a wildcard, a negated class, scoped flags, a pattern
that can match the empty string), the pattern is returned as it was.
"""

from __future__ import annotations

import re
from typing import Any

try:  # the parser of the standard ``re`` module (``re._parser`` since Python 3.11)
    from re import _constants as sre_constants
    from re import _parser as sre_parser
except ImportError:  # pragma: no cover - a Python without it: patterns stay unguarded
    sre_constants = sre_parser = None  # type: ignore[assignment]

_CATEGORY_CLASS = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
                   "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}


def _class_items(items: Any) -> set[str] | None:
    """The members of a parsed character class as class source (``a``, ``a-z``, ``\\d``); None for a negated
    class or anything else unusual."""
    out: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out.add(re.escape(chr(av)))
        elif name == "RANGE":
            out.add(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif name == "CATEGORY" and str(av) in _CATEGORY_CLASS:
            out.add(_CATEGORY_CLASS[str(av)])
        else:
            return None
    return out


def _first(items: Any) -> tuple[set[str], bool] | None:
    """``(first characters as class source, can match empty)`` of a parsed sequence; None when unknown."""
    chars: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            chars.add(re.escape(chr(av)))
            return chars, False
        if name == "IN":
            members = _class_items(av)
            if members is None:
                return None
            return chars | members, False
        if name in ("AT", "ASSERT", "ASSERT_NOT"):  # zero-width: the next item decides
            continue
        if name == "SUBPATTERN":
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:  # (?i:…): the guard would not compare the same way
                return None
            parts = [sub]
        elif name == "ATOMIC_GROUP":
            parts = [av]
        elif name == "BRANCH":
            parts = av[1]
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, sub = av
            found = _first(sub)
            if found is None:
                return None
            chars |= found[0]
            if low > 0 and not found[1]:
                return chars, False
            continue
        else:  # any character, a negated literal, a back-reference…
            return None
        empty = False
        for part in parts:
            found = _first(part)
            if found is None:
                return None
            chars |= found[0]
            empty = empty or found[1]
        if not empty:
            return chars, False
    return chars, True


def first_chars(pattern: re.Pattern[str] | str, flags: int = 0) -> str | None:
    """The characters ``pattern`` (compiled, or a string with ``flags``) can start a match with, as the inside of a
    character class; None when they cannot be worked out, the pattern can match without consuming a character, or
    it is anchored at the start of the text (``^``: a search fails at once anyway)."""
    if isinstance(pattern, re.Pattern):
        pattern, flags = pattern.pattern, pattern.flags
    if sre_parser is None:  # pragma: no cover
        return None
    try:
        parsed = sre_parser.parse(pattern, flags & ~re.UNICODE)
        if len(parsed) and str(parsed[0][0]) == "AT" and str(parsed[0][1]) in ("AT_BEGINNING", "AT_BEGINNING_STRING"):
            return None
        found = _first(parsed)
    except (re.error, TypeError, ValueError, AttributeError, IndexError):  # pragma: no cover - unexpected tree
        return None
    if found is None or found[1] or not found[0]:
        return None
    return "".join(sorted(found[0]))


def _with_guard(pattern: str, flags: int) -> str | None:
    """The source of ``pattern`` behind its first-character lookahead, or None when no guard can be made."""
    if pattern.startswith("(?=["):  # guarded already (a pattern built from a guarded one's source)
        return None
    chars = first_chars(pattern, flags)
    if chars is None or re.match(r"\(\?[aiLmsux]+\)", pattern):  # global inline flags must stay first
        return None
    return f"(?=[{chars}])(?:{pattern})"


def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` behind a lookahead for the characters it can start with: the same matches, groups and group
    names, found faster by ``search``, ``finditer`` and ``findall``; ``pattern`` itself when no guard can be made."""
    source = _with_guard(pattern.pattern, pattern.flags)
    return pattern if source is None else re.compile(source, pattern.flags)


def guarded_re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)`` behind its first-character guard (see :func:`guarded`), compiled once."""
    source = _with_guard(pattern, flags)
    return re.compile(pattern if source is None else source, flags)
