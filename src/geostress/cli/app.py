"""The ``geostress`` command line: one typer app, one module per command group, listed in the order a user works.

Every command turns :class:`~geostress.errors.GeostressError` into a one-line message (naming the file, line, field
or parameter and what to do) and exit status 1, without a traceback.
"""

from __future__ import annotations

import click
import typer
from typer.core import TyperGroup

from geostress.cli import (
    claims,
    data,
    minerals,
    monitor,
    report,
    reserves,
    run,
    sensitivity,
    serve,
    sweep,
    tipping,
    validate,
)

#: The commands in the order a user works: data first, then what the data say, then what-ifs, then serving.
COMMAND_ORDER = ("data", "scenarios", "monitor", "run", "report", "market", "tipping", "sensitivity", "minerals",
                 "reserves", "claims", "sweep", "serve", "validate")


class _OrderedGroup(TyperGroup):
    """Lists commands in :data:`COMMAND_ORDER` (typer would put command groups after single commands)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = super().list_commands(ctx)
        rank = {name: i for i, name in enumerate(COMMAND_ORDER)}
        return sorted(names, key=lambda name: rank.get(name, len(rank)))


app = typer.Typer(help="geostress: an open geo-economic stress lab.", no_args_is_help=True, add_completion=False,
                  cls=_OrderedGroup)
for _module in (data, monitor, run, report, tipping, sensitivity, minerals, reserves, claims, sweep, serve, validate):
    _module.register(app)


def main() -> None:  # pragma: no cover - console entry point
    """Run the command line."""
    app()
