"""``geostress report SCENARIO --out DIR`` (a preset name or a TOML file): one self-contained HTML report, PNG
figures and chart data.

Wire it with ``register(app)`` in :mod:`geostress.cli`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geostress.cli.common import OUT_OPTION, check_paths, checked_as_of, friendly, output_folder_for, steps


@friendly
def report_cmd(
    scenario: Annotated[str, typer.Argument(help="A preset name (`geostress scenarios list`), e.g. baseline, or a "
                                                  "scenario TOML file.")],
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: out/report-<scenario name>).",
                                                         **OUT_OPTION)]
    = None,
    claims: Annotated[Path | None, typer.Option("--claims", help="An article (text or HTML, Chinese or English) "
                                                                 "whose numbers are checked in a Claims section.")]
    = None,
    minerals: Annotated[str | None, typer.Option("--minerals", help="Rare-earth scenario for the verdict: a preset "
                                                                    "name (e.g. minerals-g7-mandate) or a TOML file, "
                                                                    "as `geostress minerals` takes (default: "
                                                                    "minerals-us-mandate.toml beside the scenario "
                                                                    "file, else the packaged preset "
                                                                    "minerals-us-mandate).")]
    = None,
    no_tipping: Annotated[bool, typer.Option("--no-tipping", help="Skip the tipping-point bisection (the slowest "
                                                                  "section).")] = False,
    paths: Annotated[int | None, typer.Option("--paths", min=0, help="Override simulation.paths (0: deterministic).")]
    = None,
    as_of: Annotated[str | None, typer.Option("--as-of", "--data-as-of", help="Read only the data released by this "
                                              "date (YYYY-MM-DD, or YYYY-MM for its last day): the report as it "
                                              "would have stood then (scenario.data_as_of).")] = None,
) -> None:
    """Write report.html (interactive charts, works offline), figures/*.png, data/*.csv and the scenario run."""
    from geostress.report import build_report, load_report_spec, resolve_minerals

    if minerals is not None:
        resolve_minerals(minerals)  # before any work: the same resolver as `geostress minerals NAME`
    if claims is not None:
        from geostress.cli.claims import check_claims_size

        check_claims_size(str(claims))
    spec, _, _ = load_report_spec(scenario)
    if as_of is not None:
        # a date that cannot be read, or after today: refused before any work
        as_of = checked_as_of(as_of, "--as-of/--data-as-of (scenario.data_as_of)")
    check_paths(spec.simulation.paths if paths is None else paths, coupled=spec.coupled,
                where=f"{scenario}: simulation.paths" if paths is None else "--paths")
    # bad input found once the folder was made (a missing --claims file) leaves no empty folder behind
    with (output_folder_for(out, spec.name, prefix="report-") as target,
          steps("Preparing the report") as step):  # a spinner on a terminal, a line per section otherwise
        page = build_report(scenario, target, claims_path=claims, minerals_path=minerals,
                            tipping=not no_tipping, paths=paths, as_of=as_of, progress=step)
    typer.echo(f"report written to {page}")


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to ``app``."""
    app.command("report")(report_cmd)
