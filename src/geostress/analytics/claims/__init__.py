"""Check the numbers a news text states (Chinese or English) against the official data in the store.

>>> from geostress.analytics.claims import check_text                                    # doctest: +SKIP
>>> claims, _ = check_text("中國2025年12月持有美債6835億美元。")                            # doctest: +SKIP
>>> [(c.measure, c.verdict) for c in claims]                                             # doctest: +SKIP
[('holdings_level', 'supported')]

Modules: :mod:`.reading` (bytes, encodings, HTML → text), :mod:`.numbers` (numbers and units),
:mod:`.dates` (dates, relative months, publication lags), :mod:`.extract` (the rule table that turns quantities
into claims), :mod:`.check` (verdicts), :mod:`.html` (the highlighted page), :mod:`.regexes` (the first-character
guard that speeds up the word-list searches).
"""

from __future__ import annotations

from geostress.analytics.claims.check import Checker, check_claims, check_text
from geostress.analytics.claims.dates import find_article_date, find_dates, resolve_month
from geostress.analytics.claims.extract import MEASURE_RULES, Claim, extract_claims, iter_sentences
from geostress.analytics.claims.html import claims_json, render_html
from geostress.analytics.claims.numbers import format_chinese, parse_decimal, parse_number
from geostress.analytics.claims.reading import InputError, article_text, decode_bytes, read_article, read_text

__all__ = [
    "MEASURE_RULES",
    "Checker",
    "Claim",
    "InputError",
    "article_text",
    "check_claims",
    "check_text",
    "claims_json",
    "decode_bytes",
    "extract_claims",
    "find_article_date",
    "find_dates",
    "format_chinese",
    "iter_sentences",
    "parse_decimal",
    "parse_number",
    "read_article",
    "read_text",
    "render_html",
    "resolve_month",
]
