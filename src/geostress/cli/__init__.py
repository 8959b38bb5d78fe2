"""The ``geostress`` command line (typer + rich): :data:`app`; ``python -m geostress.cli`` runs it."""

from __future__ import annotations

from geostress.cli.app import app, main

__all__ = ["app", "main"]
