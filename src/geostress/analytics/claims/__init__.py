"""Check the numbers a text states (Chinese or English) against the official data in the store.

>>> from geostress.analytics.claims import extract_claims, check_claims                       # doctest: +SKIP
>>> [c.verdict for c in check_claims(extract_claims("中國持有美債6835億美元（2025年12月）。"))]  # doctest: +SKIP
['supported']
"""

from __future__ import annotations

from geostress.analytics.claims.check import Checker, check_claims
from geostress.analytics.claims.extract import Claim, extract_claims, iter_sentences
from geostress.analytics.claims.html import render_html
from geostress.analytics.claims.numbers import format_chinese, parse_decimal, parse_number
from geostress.analytics.claims.extract import decode_bytes, read_text

__all__ = [
    "Checker",
    "Claim",
    "check_claims",
    "decode_bytes",
    "extract_claims",
    "format_chinese",
    "iter_sentences",
    "parse_decimal",
    "parse_number",
    "read_text",
    "render_html",
]
