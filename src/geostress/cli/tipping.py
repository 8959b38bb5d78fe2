"""``geostress tipping``: the smallest knob value at which a cascade (or the debt criterion) is reached."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated

import typer

from geostress.cli.common import check_paths, console, counted, error, friendly, print_json, spinner

if TYPE_CHECKING:
    from geostress.run.tipping import TippingPoint

#: Below this many paths per evaluation ``tipping`` warns that the edge is noisy (it still runs).
NOISY_PATHS = 100


def register(app: typer.Typer) -> None:
    """Add ``tipping`` to ``app``."""
    app.command("tipping", short_help="Find the smallest knob value (e.g. a sale's size) at which a cascade is "
                                      "reached, and the distance to it.")(tipping_cmd)


@friendly
def tipping_cmd(
    scenario: Annotated[str, typer.Argument(help="A preset name or a scenario TOML file.")],
    knob: Annotated[str, typer.Option("--knob", help="A knob path (as for run --set), e.g. 'sales[0].amount_bn' "
                                                     "(sale_bn is short for it) or contagion.scale.")],
    value_range: Annotated[tuple[float, float], typer.Option("--range", help="LO HI of the knob.")],
    criterion: Annotated[str, typer.Option("--criterion", help="cascade (needs the scenario's contagion block "
                                                               "on: enabled = true in its contagion table) or "
                                                               "debt.")] = "cascade",
    paths: Annotated[int | None, typer.Option("--paths", min=0, help="Paths per evaluation (default: 0, the "
                                                                     "deterministic path); with N > 0 the criterion "
                                                                     "must hold on at least half of the N paths, for "
                                                                     "fiscal-only and coupled scenarios alike.")]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Find the smallest knob value (e.g. a sale's size) at which a cascade is reached, and the distance to it. A
    cascade: the contagion block's net selling passes the scenario's threshold (3% of holdings within 12 months by
    default). On the deterministic path (the default) the edge is where that measure is reached; with --paths N,
    where P(cascade) reaches 50%. With --criterion debt: debt/GDP above the scenario's highest debt threshold.
    Integer knobs are bisected over whole numbers; a knob the scenario leaves unset (a market parameter drawn from
    its prior) is set at each probe, and its current value is the prior median. With an edge, a second line says
    how far the measure clears its threshold past it: a "fragile edge" clears it by less than 10% of the threshold
    at every probe past the edge (a slightly higher threshold would remove the edge), a "clear edge" by 10% or more
    at some probe."""
    from geostress.spec.scenario import load_scenario
    from geostress.run.tipping import clearance_text, find_tipping_point, position_text

    n_paths = 0 if paths is None else paths
    spec = load_scenario(scenario)
    check_paths(n_paths, coupled=spec.coupled)  # the limit of this scenario's kind of run, fiscal or coupled
    spec = spec.with_overrides(**{"simulation.paths": n_paths})
    if 0 < n_paths < NOISY_PATHS:
        error(f"--paths {n_paths:,}: with fewer than {NOISY_PATHS} paths the edge is noisy (P moves in steps of "
              f"{100 / n_paths:.3g} points, and at 50% one binomial standard error is ±"
              f"{50 / math.sqrt(n_paths):.2g} points); read it as rough, or use --paths 1000 or more",
              label="warning")
    with spinner(f"Bisecting {knob} over [{value_range[0]:g}, {value_range[1]:g}]"):
        point = find_tipping_point(spec, knob, value_range[0], value_range[1], criterion_name=criterion,
                                   measure_ends=True)
    if as_json:
        print_json(point.to_json())
        return
    console.print(f"{result_text(point)}; {position_text(point)}; {counted(point.evaluations, 'run')}.")
    clearance = clearance_text(point)  # with an edge: how clearly the measure passes its threshold past it
    if clearance:
        console.print(f"{clearance[0].upper()}{clearance[1:]}.")


def result_text(point: TippingPoint) -> str:
    """What the bisection found, in words: the note of :func:`geostress.run.tipping.find_tipping_point`, except
    when it found no edge, where it says which way (``point.no_edge``): already met at the low end (and at the high
    end), or at neither end, in the report's words (:func:`geostress.report.sections.market.no_edge_text`), and how
    far the measure got at each end when it was measured (:func:`geostress.run.tipping.ends_text`)."""
    if point.edge is None and point.no_edge in ("both", "neither"):
        from geostress.report.sections.market import no_edge_text
        from geostress.run.tipping import ends_text

        text = no_edge_text(point.no_edge, point.criterion, f"{point.low:g}", f"{point.high:g}")
        more = ends_text(point)
        return f"{text}; {more}" if more else text
    return point.note
