"""``geostress scenarios``: the preset scenarios shipped in the package (and the user's own folder), by name."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from geostress.cli.common import console, friendly, plain_table, print_json

scenarios_app = typer.Typer(help="Preset scenarios: list them, show one (run them with `geostress run NAME`).",
                            no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``scenarios`` group to ``app``."""
    app.add_typer(scenarios_app, name="scenarios")


def _entries() -> list[dict[str, Any]]:
    from geostress.errors import GeostressError
    from geostress.spec.documents import load_document
    from geostress.spec.presets import list_presets

    rows = []
    for preset in list_presets():
        try:
            doc = load_document(preset.path)
        except GeostressError as exc:
            rows.append({"name": preset.name, "kind": "invalid", "description": str(exc), "file": str(preset.path),
                         "packaged": preset.packaged})
            continue
        meta = doc.data.get("scenario") if isinstance(doc.data.get("scenario"), dict) else {}
        description = doc.data.get("description", meta.get("description", ""))
        rows.append({"name": preset.name, "kind": doc.kind, "description": str(description),
                     "file": str(preset.path), "packaged": preset.packaged})
    return rows


def scenarios_table(rows: list[dict[str, Any]], width: int) -> Table:
    """The presets as a table for a terminal ``width`` columns wide: names whole on one line (they are copied into
    commands), each description beside its name, or under it where a terminal is too narrow for both."""
    table = plain_table("Scenarios (run with `geostress run NAME`, `minerals NAME`, `sweep NAME`)")
    longest = max((len(row["name"]) for row in rows), default=4)
    beside = width >= longest + len("  scenario  ") + 20  # else each description goes under its name
    table.add_column("name" if beside else "name and description", no_wrap=beside,
                     overflow="fold")  # names are copied into commands: never broken mid-word where they fit
    table.add_column("kind", no_wrap=True)
    if beside:
        table.add_column("description", min_width=20, overflow="fold")
    for row in rows:
        name = Text(row["name"]) if row["packaged"] else Text(f"{row['name']}\n(yours)")
        if beside:
            table.add_row(name, Text(row["kind"]), Text(row["description"]))
        else:
            table.add_row(Text.assemble(name, "\n  ", row["description"]), Text(row["kind"]))
    return table


@scenarios_app.command("list")
@friendly
def scenarios_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every preset by name and kind (scenario, minerals, sweep), packaged or from $GEOSTRESS_SCENARIOS."""
    rows = _entries()
    if as_json:
        print_json(rows)
        return
    table = scenarios_table(rows, console.width)
    console.print(table)


@scenarios_app.command("show")
@friendly
def scenarios_show(
    name: Annotated[str, typer.Argument(help="A preset name or a scenario file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the validated specification as JSON.")] = False,
) -> None:
    """The preset's file and its full, validated specification (every default filled in)."""
    from geostress.spec.documents import load_document
    from geostress.spec.scenario import parse_scenario

    doc = load_document(name)
    spec: dict[str, Any] = doc.data
    if doc.kind == "scenario":
        spec = parse_scenario(doc.data, origin=str(doc.path), sources=doc.sources).model_dump(mode="json")
    if as_json:
        print_json({"name": name, "kind": doc.kind, "file": str(doc.path), "spec": spec})
        return
    # unwrapped (soft_wrap): a long description or path folded at the terminal's width would put line breaks inside
    # the JSON's strings, and piping the output (`scenarios show X | tail -n +2`) would give invalid JSON
    console.print(Text(f"{name} ({doc.kind}): {doc.path}"), soft_wrap=True)
    console.print(Text(json.dumps(spec, indent=1, ensure_ascii=False)), soft_wrap=True)
