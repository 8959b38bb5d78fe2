"""One "did you mean" helper for unknown names (series ids, presets, holders, knob paths)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable


def close_matches(name: str, known: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` names in ``known`` that look like ``name``: first those of which ``name`` (three characters or
    more, any case) begins a word (``saudi`` → ``saudi_arabia``, ``emirates`` → ``united_arab_emirates``: a short
    name is far from a long one by difflib's ratio), then those whose difflib ratio is ≥ 0.6."""
    names = list(known)
    typed = name.strip().lower()
    words = [k for k in names if len(typed) >= 3 and any(w.startswith(typed) for w in _WORD.split(k.lower()))]
    return list(dict.fromkeys([*words, *difflib.get_close_matches(name, names, n=n, cutoff=0.6)]))[:n]


#: What separates the words of a name (``saudi_arabia``, ``fred.dgs10``, ``china-sells-300bn``, ``Korea, South``).
_WORD = re.compile(r"[\s_.,:/\[\]-]+")


def did_you_mean(name: str, known: Iterable[str], n: int = 3) -> str:
    """``"; did you mean 'a' or 'b'?"`` for the closest names, or ``""`` when none is close."""
    matches = close_matches(name, known, n)
    if not matches:
        return ""
    return "; did you mean " + " or ".join(repr(m) for m in matches) + "?"
