"""``geostress claims check FILE|-``: the numbers a text states, checked against the official data.

Wire it with ``register(app)`` in :mod:`geostress.cli`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from geostress.errors import GeostressError

console = Console()
err = Console(stderr=True, soft_wrap=True)
claims_app = typer.Typer(help="Check the numbers a text states (Chinese or English) against the store.",
                         no_args_is_help=True)

_STYLE = {"supported": "green", "contradicted": "red", "wrong_date": "yellow", "not_checkable": "dim"}


@claims_app.command("check")
def check_cmd(
    file: Annotated[str, typer.Argument(help="A text file (UTF-8, GB18030 or Big5), or - for standard input.")],
    lang: Annotated[str, typer.Option("--lang", help="auto, zh or en.")] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print the claims as a JSON list.")] = False,
    html_out: Annotated[Path | None, typer.Option("--html", help="Write an HTML page with the claims highlighted.")]
    = None,
    tolerance: Annotated[float, typer.Option("--tolerance", help="Relative tolerance for levels (0.01 = 1%).")]
    = 0.01,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Only data released by this date (YYYY-MM-DD).")]
    = None,
) -> None:
    """Extract the quantities FILE states, link them to holder, instrument and period, and check each one."""
    from geostress.analytics.claims.check import Checker
    from geostress.analytics.claims.extract import extract_claims, read_text
    from geostress.analytics.claims.html import claims_json, render_html

    try:
        if lang not in ("auto", "zh", "en"):
            raise typer.BadParameter(f"--lang must be auto, zh or en, not {lang!r}")
        if not 0 <= tolerance < 1:
            raise typer.BadParameter("--tolerance must be between 0 and 1")
        text, encoding = read_text(file)
        checker = Checker(rel_tol=tolerance, as_of=as_of)
        claims = list(checker.check_all(extract_claims(text, lang=lang)))
    except GeostressError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True)
        raise typer.Exit(1) from None
    if encoding != "UTF-8":
        err.print(f"read the input as {encoding}", highlight=False)
    if html_out is not None:
        try:
            html_out.write_text(render_html(text, claims, encoding=encoding), encoding="utf-8")
        except OSError as exc:
            err.print(f"[bold red]error:[/] cannot write {html_out}: {exc.strerror}", highlight=False)
            raise typer.Exit(1) from None
        err.print(f"wrote {html_out} ({len(claims)} claims)", highlight=False)
    if as_json:
        sys.stdout.write(claims_json(claims) + "\n")
        return
    if html_out is not None:
        return
    if not claims:
        console.print("No quantities found in the text.")
        return
    table = Table(title=f"{len(claims)} claims (input read as {encoding})", box=box.SIMPLE_HEAD)
    for col in ("quote", "measure", "subject", "period", "verdict", "data", "source / note"):
        table.add_column(col, overflow="fold")
    for c in claims:
        data = "" if c.data_value is None else f"{c.data_value:,} ({c.data_period})"
        table.add_row(c.quote, c.measure or "—", c.subject or "—", c.period or "—",
                      f"[{_STYLE[c.verdict]}]{c.verdict}[/]", data,
                      " ".join(x for x in (c.source, c.note or c.reason) if x))
    console.print(table, markup=True, highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``claims`` sub-app (``claims check``) to ``app``."""
    app.add_typer(claims_app, name="claims")
