"""``geostress validate``: every published-figure check in the project."""

from __future__ import annotations

from typing import Annotated

import typer

from geostress.cli.common import console, counted, friendly, plain_table, print_json, spinner, styled


def register(app: typer.Typer) -> None:
    """Add ``validate`` to ``app``."""
    app.command("validate", short_help="Run every published-figure check, grouped by role; exit 1 if any fails "
                                       "that is not a registered known gap.")(validate_cmd)



@friendly
def validate_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: a list of {id, role, target, value, "
                                                         "tolerance, kind, band, passed, known_gap}.")] = False,
    only: Annotated[list[str] | None, typer.Option("--id", help="Run only these check ids.")] = None,
) -> None:
    """Run every published-figure check in the project, grouped by role (validation against figures the model was
    not fitted to, calibration identities, consistency checks, properties, data checks); exit 1 if any fails that
    is not a registered known gap (those are printed as such, with the reason)."""
    from geostress.validate import run_all, unknown_id_problem
    from geostress.validate.registry import ROLES

    problem = unknown_id_problem(only)
    if problem:
        raise typer.BadParameter(str(problem), param_hint="--id")
    with spinner("Running published-figure checks"):
        rows = run_all(ids=only)
    if as_json:
        print_json(rows)
    else:
        counts = []
        for role, meaning in ROLES.items():
            group = [r for r in rows if r["role"] == role]
            if not group:
                continue
            # one table per role, so a calibration identity is never read as validation; same five columns, which
            # fit 80 columns (long ids fold)
            table = plain_table(f"{role.capitalize()} — {meaning}", title_justify="left")
            for col in ("id", "target", "model", "tolerance", "result"):
                table.add_column(col, justify="left" if col in ("id", "result") else "right", no_wrap=col != "id",
                                 overflow="fold")
            for r in group:
                tol = f"±{r['tolerance']:.0%}" if r["kind"] == "relative" else f"±{r['tolerance']:g}"
                result = ("pass", "green") if r["passed"] else ("known gap", "yellow") if r["known_gap"] else (
                    "FAIL", "red")
                table.add_row(str(r["id"]), f"{r['target']:,.6g}", f"{r['value']:,.6g}", tol, styled(result))
            console.print(table)
            console.print()
            counts.append(f"{role} {sum(bool(r['passed']) for r in group)} of {len(group)}")
        gaps = [r for r in rows if r["known_gap"] and not r["passed"]]
        passed = sum(bool(r["passed"]) for r in rows)
        console.print(f"{passed} of {len(rows)} pass ({'; '.join(counts)})" + (
            f"; {counted(len(gaps), 'known gap')}, not counted as failures:" if gaps else ""))
        for r in gaps:
            console.print(f"  {r['id']} ({r['role']}): {r['known_gap']}", markup=False, highlight=False)
    if any(not r["passed"] and not r["known_gap"] for r in rows):
        raise typer.Exit(1)
