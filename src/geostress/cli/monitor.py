"""``geostress monitor``: the indicators markets watch."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geostress.cli.common import console, friendly, parse_date, print_json


def register(app: typer.Typer) -> None:
    """Add ``monitor`` to ``app``."""
    app.command("monitor")(monitor_cmd)



# -- monitor ---------------------------------------------------------------------------------------------------
@friendly
def monitor_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON with the same fields.")] = False,
    config: Annotated[Path | None, typer.Option("--config", help="Alert thresholds (TOML).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Only data released on or before this date.")] = None,
) -> None:
    """The indicators markets watch: who is selling, how broadly, gold, yields, interest burden."""
    from geostress.analytics.monitor import build_monitor, load_alerts, render_monitor

    thresholds = load_alerts(config)
    report = build_monitor(as_of=parse_date(as_of, "--as-of"), alerts=thresholds)
    if as_json:
        print_json(report)
        return
    render_monitor(report, console)
