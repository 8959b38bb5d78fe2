"""How ``geostress claims check`` prints claims: one block per claim, readable at 80 columns.

A claim has seven fields, three of them long (the quote, the reason and the source): as table columns they break
every word at 80 columns. Each claim is printed as a block instead, its number and verdict on the left and its
fields wrapped at word boundaries on the right. Quotes and reasons are plain text (never rich markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from geostress.cli.common import plain_table

#: Verdict colours.
STYLE = {"supported": "green", "revised": "cyan", "contradicted": "red", "not_checkable": "dim"}


def official_text(claim: Any) -> str:
    """The official value and its period, as printed: ``1,140.6 (2024-01)``; empty when there is none."""
    value = getattr(claim, "official_value", None)
    if value is None:
        return ""
    shown = f"{value:,}" if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
    return f"{shown} ({getattr(claim, 'official_period', '')})"


def claim_block(claim: Any) -> Group:
    """The right-hand side of one claim: the quote, what it was read as, the official figure, reason, note (why),
    how the period was read, source.

    Each on its own line, so that a figure and its period never part.
    """
    lines = [Text.assemble(("“", "dim"), str(claim.quote), ("”", "dim"))]
    read = " · ".join(str(x) for x in (claim.holder or "—", claim.measure or "—", claim.period or "no period"))
    official = official_text(claim)
    lines.append(Text(read))
    if official:
        lines.append(Text(f"official {official}"))
    if getattr(claim, "reason", None):
        lines.append(Text(str(claim.reason)))
    if getattr(claim, "note", None):  # why: "2025-12 (9,271.0) is below the earlier high 9,359.3 (2025-11)"
        lines.append(Text(str(claim.note)))
    if getattr(claim, "period_note", None):  # how the period was read: "'December' read as 2025-12 (…)"
        lines.append(Text(str(claim.period_note), style="dim"))
    if getattr(claim, "source", None):
        lines.append(Text.assemble(("source: ", "dim"), str(claim.source)))
    return Group(*lines)


def claims_view(claims: Sequence[Any], title: str) -> Table:
    """Every claim as a block: ``#``, verdict, then the fields wrapped at word boundaries."""
    grid = plain_table(title, show_lines=True)
    grid.add_column("#", justify="right", no_wrap=True)
    grid.add_column("verdict", no_wrap=True)
    grid.add_column("claim: holder · measure · period; official figure; reason and why; source", ratio=1,
                    min_width=20)
    for i, c in enumerate(claims, start=1):
        grid.add_row(str(i), Text(str(c.verdict), style=STYLE.get(c.verdict, "")), claim_block(c))
    return grid


def render_claims(claims: Sequence[Any], title: str, out: Console) -> None:
    """Print :func:`claims_view` on ``out``."""
    out.print(claims_view(claims, title))
