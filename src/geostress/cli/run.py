"""``geostress run``: one scenario, fans, probabilities and tables written to a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from geostress.cli.common import (AS_OF_HELP, OUT_OPTION, PathProgress, check_paths, checked_as_of, console,
                                  friendly, output_folder_for, plain_table, print_json, safe_slug, styled)
from geostress.cli.headline import coupled_headline, run_note_lines


def register(app: typer.Typer) -> None:
    """Add ``run`` to ``app``."""
    app.command("run")(run_cmd)



# -- run -------------------------------------------------------------------------------------------------------
def _option_over_setting(overrides: dict[str, Any], path: str, value: Any, option: str) -> None:
    """Set ``overrides[path]`` from an option, refusing a ``--set`` of the same field that says otherwise.

    ``--paths 100 --set simulation.paths=5000`` is two answers to one question: a usage error naming both (status
    2), not a silent choice of one."""
    if path in overrides and overrides[path] != value:
        raise typer.BadParameter(f"{option} {value} and --set {path}={overrides[path]} disagree: give one of them")
    overrides[path] = value


@friendly
def run_cmd(
    scenario: Annotated[str, typer.Argument(help="A preset name (`geostress scenarios list`) or a scenario TOML "
                                                  "file.")],
    paths: Annotated[int | None, typer.Option("--paths", min=0, help="Stochastic paths (0: deterministic only).")]
    = None,
    seed: Annotated[int | None, typer.Option("--seed", min=0, help="Random seed (same seed, same paths).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: out/<scenario name>).",
                                                         **OUT_OPTION)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", "--data-as-of", help=AS_OF_HELP + " Sets "
                                              "scenario.data_as_of.")] = None,
    settings: Annotated[list[str] | None, typer.Option("--set", help="Override a field: PATH=VALUE, e.g. "
                                                       "fiscal.fiscal_risk_premium_bp_per_pp=3 or "
                                                       "'sales[0].amount_bn=150' (repeatable).")] = None,
) -> None:
    """Run a scenario (a preset name or a TOML file): fan charts, probabilities and tables written to a folder."""
    from geostress.run.engine import QUANTILES, run_scenario
    from geostress.results import write_results
    from geostress.results.ensemble import probability_label
    from geostress.spec.scenario import blamed_on_file, load_scenario

    from geostress.spec.knobs import parse_assignment

    spec = load_scenario(scenario)
    overrides: dict[str, Any] = dict(parse_assignment(text) for text in settings or [])
    if paths is not None:
        check_paths(paths, coupled=spec.coupled)  # before the spec's own bound (5,000,000) answers without the memory
        _option_over_setting(overrides, "simulation.paths", paths, "--paths")
    if seed is not None:
        _option_over_setting(overrides, "simulation.seed", seed, "--seed")
    if as_of is not None:
        option = "--as-of/--data-as-of (scenario.data_as_of)"
        day = checked_as_of(as_of, option)
        if "scenario.data_as_of" in overrides:  # the same day written twice (2026-11 and 2026-11-30) agrees
            overrides["scenario.data_as_of"] = checked_as_of(str(overrides["scenario.data_as_of"]),
                                                             "--set scenario.data_as_of")
        _option_over_setting(overrides, "scenario.data_as_of", day, option)
    if overrides:
        spec = spec.with_overrides(**overrides)
    check_paths(spec.simulation.paths, coupled=spec.coupled,
                where=f"{scenario}: simulation.paths" if paths is None else "--paths")
    with (output_folder_for(out, spec.name) as target,  # bad input found in the run leaves no empty folder
          PathProgress(safe_slug(spec.name), spec.simulation.paths) as progress):
        progress.stage("calibrating")
        with blamed_on_file(scenario, overridden=overrides):  # a run-time check of the events names the file
            result = run_scenario(spec, progress=progress.paths)
        progress.stage("writing results")
        files = write_results(result, target)
    summary = result.summary()
    if as_json:
        print_json(summary)
        return

    def pct(x: float) -> str:
        return f"{100 * x:.1f}%"

    det = summary["deterministic"]
    first, last = summary["fiscal_years"]  # type: ignore[misc]
    pinned = f", data as released by {spec.scenario.data_as_of}" if spec.scenario.data_as_of else ""
    console.print(styled((spec.name, "bold"), f"  CBO baseline {summary['baseline_vintage']}, FY{first}–FY{last}"
                                              f"{pinned}"))
    table = plain_table(f"FY{last}")
    table.add_column("measure", overflow="fold")
    table.add_column("deterministic", justify="right", no_wrap=True)
    ens = result.ensemble
    if ens is not None:
        table.add_column("median", justify="right", no_wrap=True)
        table.add_column("5–95 range", justify="right", no_wrap=True)
    names = {"debt_to_gdp": "debt / GDP", "net_interest_to_gdp": "net interest / GDP",
             "interest_to_revenue": "interest / revenue", "yield_10y": "10y yield"}
    lo, mid, hi = QUANTILES.index(0.05), QUANTILES.index(0.50), QUANTILES.index(0.95)
    annual = result.annual_frame()
    for var, label in names.items():
        row = [label, pct(float(annual[var].iloc[-1]))]
        if ens is not None:
            fan = ens.fan[var][:, -1]
            row += [pct(fan[mid]), f"{pct(fan[lo])} – {pct(fan[hi])}"]
        table.add_row(*row)
    console.print(table)
    if det.get("exploded"):  # type: ignore[union-attr]
        console.print(styled(("the deterministic path crossed the explosive threshold", "yellow")))
    below = det.get("debt_below_zero_from")  # type: ignore[union-attr]
    if below is not None:
        console.print(styled((f"debt held by the public falls below zero in FY{below}: CBO's projected surpluses "
                              "carried past its window; figures from then on are not meaningful", "yellow")))
    misfit: dict[str, float] = summary["calibration_misfit_bn"]  # type: ignore[assignment]
    if misfit:
        gaps = ", ".join(f"FY{y} {v:+,.0f}bn" for y, v in misfit.items())
        console.print(styled((f"CBO's net interest could not be matched in {gaps} (model − CBO: no yield at issue "
                              "below zero); those years rest on the nearest fit", "yellow")))
    if ens is not None:
        for key, value in ens.probabilities.items():  # in words, as the report (the JSON keeps the keys)
            console.print(f"  {probability_label(key):<58} {value:6.1%}")
        console.print(f"  {ens.n_paths:,} paths, seed {ens.seed}; explosive paths (debt/GDP > 1000%, frozen): "
                      f"{ens.n_exploded:,}")
    else:
        console.print("  deterministic only (paths = 0)")
    if getattr(result, "coupled", None) is not None or isinstance(summary.get("market"), dict):
        market = summary["market"] if isinstance(summary.get("market"), dict) else result.headline()
        shown = coupled_headline(market, contagion=spec.contagion.enabled, fiscal_years=last - first + 1)
        console.print(shown.table(market))
        for line in run_note_lines(market):
            console.print(line, style="yellow" if line.startswith("warning") else None, markup=False,
                          highlight=False)
    console.print(styled("Results in ", (str(files["fan"].parent), "bold"), ": ",
                         ", ".join(p.name for p in files.values())))
