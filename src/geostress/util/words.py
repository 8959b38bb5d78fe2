"""Small helpers for numbers in sentences, shared by every layer that writes words (CLI, run notes, reports)."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun in the right number: ``1 month``, ``12 months``, ``1,000 draws`` (``plural``: the plural
    when it is not ``noun + "s"``)."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


__all__ = ["counted"]
