"""``geostress claims check FILE|- [--date YYYY-MM-DD] [--lang auto|zh|en] [--json|--html OUT]``.

The numbers an article states, linked to holder, measure and period, and checked against the official data.
Wire it with ``register(app)`` in :mod:`geostress.cli`.
"""

from __future__ import annotations

import sys
from datetime import date as date_type
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from geostress.cli.claims_view import render_claims
from geostress.cli.common import MAX_CLAIMS_BYTES, LimitError, console, counted, err, error
from geostress.errors import GeostressError
claims_app = typer.Typer(help="Check the numbers a text states (Chinese or English) against the store.",
                         no_args_is_help=True)

@claims_app.command("check")
def check_cmd(
    file: Annotated[str, typer.Argument(help="A text or HTML file (UTF-8, GB18030 or Big5), or - for standard "
                                             "input.")],
    date: Annotated[str | None, typer.Option("--date", help="The article's date (YYYY-MM-DD); else a dateline in "
                                                            "the text, else unknown.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="auto, zh or en.")] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print the claims as a JSON list.")] = False,
    html_out: Annotated[Path | None, typer.Option("--html", help="Write an HTML page with the claims highlighted.")]
    = None,
) -> None:
    """Extract the claims FILE states, link them to holder, measure and period, and check each one."""
    from geostress.analytics.claims.check import check_text
    from geostress.analytics.claims.dates import parse_iso_date
    from geostress.analytics.claims.html import claims_json, render_html
    from geostress.analytics.claims.reading import read_article

    try:
        if lang not in ("auto", "zh", "en"):
            raise typer.BadParameter(f"--lang must be auto, zh or en, not {lang!r}")
        try:
            when = parse_iso_date(date) if date else None
        except ValueError as exc:
            raise typer.BadParameter(f"--date: {exc}") from None
        if when is not None and when > date_type.today():
            raise typer.BadParameter(f"--date: {when} is after today ({date_type.today()}); give the day the "
                                     "article was published")
        check_claims_size(file)
        text, encoding = read_article(file)
        check_claims_size(file, len(text.encode("utf-8")))
        claims, when = check_text(text, article_date=when, lang=lang)
    except GeostressError as exc:
        error(exc)
        raise typer.Exit(1) from None
    if encoding != "UTF-8":
        err.print(f"read the input as {encoding}", highlight=False)
    if when is None:
        err.print("article date unknown (no --date and no dateline): a month without a year is read as the latest "
                  "such month in the data and a claim without a period is compared with the latest data (each is "
                  "flagged)", highlight=False)
    if html_out is not None:
        from geostress.util.atomic import write_atomic

        try:
            page = render_html(text, claims, encoding=encoding, article_date=str(when) if when else None)
            write_atomic(html_out, lambda tmp: tmp.write_text(page, encoding="utf-8"))
        except OSError as exc:
            error(f"cannot write {html_out}: {exc.strerror}")
            raise typer.Exit(1) from None
        err.print(Text(f"wrote {html_out} ({counted(len(claims), 'claim')})"))
    if as_json:
        sys.stdout.write(claims_json(claims) + "\n")
        return
    if html_out is not None:
        return
    if not claims:
        console.print("No quantities found in the text.")
        return
    render_claims(claims, f"{counted(len(claims), 'claim')} (article date {when or 'unknown'}, read as {encoding})",
                  console)


def check_claims_size(file: str, size: int | None = None) -> None:
    """Refuse an article over :data:`~geostress.cli.common.MAX_CLAIMS_BYTES` (before reading when it is a file).

    Raises
    ------
    LimitError
        Naming the file, its size and the limit.
    """
    if size is None:
        if file == "-":
            return
        try:
            size = Path(file).stat().st_size if Path(file).is_file() else 0
        except OSError:
            return  # reading it says what is wrong
    if size > MAX_CLAIMS_BYTES:
        raise LimitError(f"{file}: {size:,} bytes is over the limit of {MAX_CLAIMS_BYTES:,} bytes for one article "
                         "(checking costs about 40 s a MB; docs/cli.md, Limits); split it into parts")


def register(app: typer.Typer) -> None:
    """Add the ``claims`` sub-app (``claims check``) to ``app``."""
    app.add_typer(claims_app, name="claims")
