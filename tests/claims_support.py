"""Helpers the held-out claims tests share (tests/test_claims_heldout*.py): the claims of a text checked at an
article's date, and the one claim of a text (their ``checker`` fixture is in tests/conftest.py)."""

from __future__ import annotations

from datetime import date

import typer

from geostress.analytics.claims import check_text
from geostress.analytics.claims.check import Checker
from geostress.analytics.claims.extract import Claim
from geostress.cli.claims import register


def claims_of(text: str, when: date, checker: Checker) -> list[Claim]:
    """The checked claims of ``text`` for an article dated ``when``."""
    return check_text(text, article_date=when, checker=checker)[0]


def one(text: str, when: date, checker: Checker, measure: str | None = None, quote: str | None = None) -> Claim:
    """The one claim of ``text`` (of ``measure`` and/or quoting ``quote`` when given); fails listing them all."""
    found = [c for c in claims_of(text, when, checker)
             if (measure is None or c.measure == measure) and (quote is None or quote in c.quote)]
    assert len(found) == 1, [(c.quote, c.measure) for c in claims_of(text, when, checker)]
    return found[0]


def claims_app() -> typer.Typer:
    """A command line holding ``claims`` alone (its group kept: ``claims check …``)."""
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None: ...

    return app
