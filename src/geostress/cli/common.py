"""What every command module shares: the consoles, the error wrapper, dates, JSON and tables.

All terminal rendering lives in :mod:`geostress.cli`; the layers below return data.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import wraps
from typing import Any, TypeVar

import pandas as pd
import typer
from rich import box
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from geostress.errors import GeostressError

console = Console()
err = Console(stderr=True, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., Any])


def friendly(func: F) -> F:
    """Turn :class:`GeostressError` into a one-line message and exit status 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GeostressError as exc:
            err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def parse_date(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return pd.Timestamp(value).date()
    except (ValueError, TypeError):
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD", param_hint=name) from None


def print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, indent=1, default=str, ensure_ascii=False) + "\n")


@contextmanager
def spinner(text: str) -> Iterator[None]:
    """A transient spinner for work that may take more than a second (hidden when not on a terminal)."""
    with Progress(SpinnerColumn(), TextColumn(text), TimeElapsedColumn(), console=err, transient=True):
        yield


def frame_table(frame: pd.DataFrame, title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False, box=box.SIMPLE_HEAD, pad_edge=False)
    for col in frame.columns:
        justify = "right" if pd.api.types.is_numeric_dtype(frame[col]) else "left"
        if col == "label":  # long free text: wrap it within a bounded width
            table.add_column(str(col), justify=justify, min_width=16, max_width=48, overflow="fold")
        elif col == "unit":
            table.add_column(str(col), justify=justify, min_width=7, overflow="fold")
        else:
            # numbers and dates stay on one line; names fold when the terminal is narrow
            short = col == "series_id" or pd.api.types.is_numeric_dtype(frame[col]) or \
                pd.api.types.is_datetime64_any_dtype(frame[col])
            table.add_column(str(col), justify=justify, overflow="fold", no_wrap=short)
    for row in frame.itertuples(index=False):
        table.add_row(*("" if pd.isna(v) else f"{v:%Y-%m-%d}" if isinstance(v, pd.Timestamp) else str(v) for v in row))
    return table
