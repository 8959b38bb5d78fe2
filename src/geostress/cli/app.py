"""The ``geostress`` command line: one typer app, one module per command group, listed in the order a user works.

One top-level handler (:class:`_OrderedGroup`) stands around every command: a
:class:`~geostress.errors.GeostressError` becomes a one-line message (naming the file, line, field or parameter and
what to do) and exit status 1; so do operating-system errors (a file in the way, no permission) and running out of
memory; anything else is reported as an internal error (status 70) without a traceback unless ``GEOSTRESS_DEBUG``
is set. Usage errors keep click's status 2. Every floating-point option refuses ``nan`` and ``inf``.
"""

from __future__ import annotations

import math
import os
import sys
from functools import wraps
from typing import Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from geostress.cli import (
    claims,
    data,
    market,
    minerals,
    monitor,
    report,
    reserves,
    run,
    scenarios,
    sensitivity,
    serve,
    sweep,
    tipping,
    validate,
)
from geostress.cli.common import handle_exception

#: The commands in the order a user works: data first, then what the data say, then what-ifs, then serving.
COMMAND_ORDER = ("data", "scenarios", "monitor", "run", "report", "market", "tipping", "sensitivity", "minerals",
                 "reserves", "claims", "sweep", "serve", "validate")


def _bad_number(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, tuple | list):
        return any(_bad_number(v) for v in value)
    return False


def _no_flag_metavar(param: Any) -> Any:
    """``param`` with no value shown in help when it is a flag: typer labels every option with its type, so
    ``--json`` read ``<bool>`` although a flag takes no value (``--json true`` is refused)."""
    if getattr(param, "is_flag", False) and getattr(param, "metavar", None) is None:
        param.metavar = ""
    return param


def harden(command: Any) -> None:
    """Make every float option of ``command`` and its sub-commands refuse ``nan`` and ``±inf``; show no value type
    for flags in help.

    Each command's callback is wrapped: before it runs, a non-finite number in any parameter is a usage error naming
    the option (typer's own float type accepts ``nan``, and no model parameter means anything with it).
    """
    subcommands = getattr(command, "commands", None)
    if subcommands:
        for sub in subcommands.values():
            harden(sub)
    for param in getattr(command, "params", ()):
        _no_flag_metavar(param)
    help_option = getattr(command, "get_help_option", None)
    if help_option is not None and not getattr(help_option, "_geostress_hardened", False):
        def get_help_option(ctx: Any, _original: Any = help_option) -> Any:
            option = _original(ctx)
            return None if option is None else _no_flag_metavar(option)

        get_help_option._geostress_hardened = True  # type: ignore[attr-defined]
        command.get_help_option = get_help_option
    callback = getattr(command, "callback", None)
    if callback is None or getattr(callback, "_geostress_hardened", False):
        return
    names = {p.name: (p.opts[0] if getattr(p, "opts", None) else p.name) for p in command.params}

    @wraps(callback)
    def checked(*args: Any, **kwargs: Any) -> Any:
        for name, value in kwargs.items():
            if _bad_number(value):
                raise typer.BadParameter(f"{value!r} is not a finite number", param_hint=names.get(name, name))
        return callback(*args, **kwargs)

    checked._geostress_hardened = True  # type: ignore[attr-defined]
    command.callback = checked


class _OrderedGroup(TyperGroup):
    """The top-level group: commands in :data:`COMMAND_ORDER`, and the one error handler of the command line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        harden(self)

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        rank = {name: i for i, name in enumerate(COMMAND_ORDER)}
        return sorted(names, key=lambda name: rank.get(name, len(rank)))

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # `geostress data catalog | head`: stop quietly
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):  # not a real file (a test runner's buffer)
                pass
            raise typer.Exit(1) from None
        except Exception as exc:  # noqa: BLE001 - every other error becomes a message and an exit status
            raise typer.Exit(handle_exception(exc)) from None


app = typer.Typer(help="geostress: an open geo-economic stress lab.", no_args_is_help=True, add_completion=False,
                  cls=_OrderedGroup, pretty_exceptions_enable=False)
for _module in (data, scenarios, monitor, run, report, market, tipping, sensitivity, minerals, reserves, claims, sweep, serve,
                validate):
    _module.register(app)


def main() -> None:  # pragma: no cover - console entry point
    """Run the command line."""
    app()
