"""The sweep specification (``geostress sweep``): a base scenario and a design over its knobs.

A sweep file (TOML)::

    name = "rates-x-premium"
    base = "high_rates"               # a preset name, a scenario file (relative to this file) or a [base] table
    paths_per_scenario = 4096         # overrides base simulation.paths (0: the deterministic path only)
    chunk_paths = 8192                # work per task, in paths
    seed = 20260201                   # root of every scenario's seed (one SeedSequence)

    [grid]                            # every combination (cartesian product, last knob fastest)
    "shocks.all_rates_pp" = [0, 0.5, 1.0]
    "sales[0].amount_bn" = [100, 300] # any knob path of geostress.spec.knobs, list indices included

    [random]                          # n uniform draws over [lo, hi] (integers for integer fields)
    n = 100
    seed = 7
    [random.knobs]
    "shocks.term_premium_bp" = [0, 150]

With both ``[grid]`` and ``[random]`` every grid point is combined with every random draw.

Seeds (``common_random_numbers``, :func:`geostress.run.sweep.plan_sweep`): unset (the default), grid points use
common random numbers (the same shocks and prior draws at every point, so differences between points are the
knobs' effect) while each ``[random]`` draw gets its own seed; ``true`` gives every scenario the root seed;
``false`` gives every scenario its own seed. ``simulation.paths``,
``simulation.seed`` and ``simulation.chunk_paths`` are not knobs here (the sweep sets them on every scenario): use
``paths_per_scenario``, ``seed`` (or ``common_random_numbers``) and ``chunk_paths``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator

from geostress.errors import ScenarioError
from geostress.spec import knobs as knob_paths
from geostress.spec.documents import load_document
from geostress.spec.scenario import ScenarioSpec, load_scenario, parse_scenario
from geostress.util.validation import StrictModel, format_validation_error


def _knob_field(knob: str) -> Any:
    """The annotation of the scenario field a knob path names (:mod:`geostress.spec.knobs`); ValueError naming the
    allowed fields otherwise. Paths may index lists: ``sales[0].amount_bn``."""
    try:
        return knob_paths.leaf_annotation(ScenarioSpec, knob)
    except ScenarioError as exc:
        raise ValueError(str(exc)) from None


#: ``[simulation]`` fields a sweep sets on every scenario itself, and the sweep file's field to use instead.
SWEEP_OWNED: dict[str, str] = {
    "paths": "paths_per_scenario (paths of every scenario)",
    "seed": "seed (the root of every scenario's seed; grid points share it by default, common_random_numbers = "
            "true gives every scenario that seed, false each its own)",
    "chunk_paths": "chunk_paths (work per chunk, in paths)",
}


def _sweep_knob(knob: str) -> Any:
    """:func:`_knob_field` for a knob a sweep varies: ``simulation.*`` is refused (the sweep sets the paths and the
    seed of every scenario and chunks the work itself, so the knob would be silently ignored), naming the sweep
    file's field to use instead."""
    annotation = _knob_field(knob)
    steps = knob_paths.parse_path(knob)
    if steps[0] == "simulation":
        owned = [str(steps[1])] if len(steps) > 1 else list(SWEEP_OWNED)
        use = "; ".join(f"for simulation.{name} use the sweep file's field {SWEEP_OWNED[name]}" for name in owned
                        if name in SWEEP_OWNED)  # fmt: skip
        raise ValueError(f"knob {knob!r} cannot be swept: a sweep sets every scenario's paths and seed and cuts the "
                         f"work into its own chunks, so the knob would be ignored; {use}")
    return annotation


def is_int_knob(knob: str) -> bool:
    """Whether ``knob`` names an integer field (a random design draws integers for it; tipping bisects integers)."""
    annotation = _knob_field(knob)
    args = getattr(annotation, "__args__", None)
    return annotation is int or (args is not None and int in args and float not in args)


class _Model(StrictModel):
    """A part of a sweep file (:class:`geostress.util.validation.StrictModel`: ``true`` is not a number)."""


class RandomDesign(_Model):
    """``n`` independent uniform draws of every knob over ``[lo, hi]`` (integers, inclusive, for integer fields)."""

    n: int = Field(ge=1, le=10_000_000)
    seed: int = Field(0, ge=0)
    knobs: dict[str, tuple[float, float]] = Field(min_length=1)

    @field_validator("knobs")
    @classmethod
    def _ranges(cls, value: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        for knob, (lo, hi) in value.items():
            _sweep_knob(knob)
            if not lo <= hi:
                raise ValueError(f"knob {knob!r}: lo {lo} is above hi {hi}")
        return value


class SweepSpec(_Model):
    """A sweep: a base scenario, a design over its knobs and/or an ensemble of paths split into chunks."""

    name: str = Field("sweep", min_length=1, max_length=80)
    description: str = ""
    base: str | dict[str, Any] = Field(default_factory=dict, description="scenario file or inline scenario table")
    grid: dict[str, list[Any]] = Field(default_factory=dict, description="dotted knob → values (cartesian product)")
    random: RandomDesign | None = None
    paths_per_scenario: int | None = Field(None, ge=0, le=5_000_000, description="overrides simulation.paths")
    chunk_paths: int = Field(8192, ge=64, le=1_048_576, description="work per chunk (task), in paths")
    seed: int | None = Field(None, ge=0, description="root seed (default: the base's simulation.seed)")
    common_random_numbers: bool | None = Field(
        None, description="true: every scenario uses the root seed itself; false: every scenario its own seed; "
                          "unset: grid points share their draws (a [random] draw has its own seed)")
    max_scenarios: int = Field(1_000_000, ge=1, le=10_000_000)

    @field_validator("grid")
    @classmethod
    def _grid(cls, value: dict[str, list[Any]]) -> dict[str, list[Any]]:
        for knob, values in value.items():
            _sweep_knob(knob)
            if not values:
                raise ValueError(f"knob {knob!r}: give at least one value")
        return value

    @model_validator(mode="after")
    def _knobs_once(self) -> SweepSpec:
        if self.random is not None:
            both = set(self.grid) & set(self.random.knobs)
            if both:
                raise ValueError(f"knobs {sorted(both)} are in both [grid] and [random]; keep each in one")
        n = self.n_scenarios
        if n > self.max_scenarios:
            raise ValueError(f"{n:,} scenarios exceed max_scenarios = {self.max_scenarios:,}")
        return self

    @property
    def knobs(self) -> list[str]:
        return list(self.grid) + (list(self.random.knobs) if self.random is not None else [])

    @property
    def n_scenarios(self) -> int:
        n = 1
        for values in self.grid.values():
            n *= len(values)
        return n * (self.random.n if self.random is not None else 1)


def parse_sweep(
    data: dict[str, Any], *, origin: str = "sweep", root: Path | None = None
) -> tuple[SweepSpec, ScenarioSpec]:
    """Validate a sweep dict; returns the spec and its resolved base scenario. Errors name the field."""
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(exc, origin)) from None
    if isinstance(spec.base, str):
        path = Path(spec.base)
        if not path.is_absolute() and root is not None and (root / path).is_file():
            path = root / path
        try:
            base = load_scenario(path if path.is_file() else spec.base)  # a file, else a preset name
        except ScenarioError as exc:
            raise ScenarioError(f"{origin}: field base: {exc}") from None
    else:
        base = parse_scenario(spec.base, origin=f"{origin}: field base")
    return spec, base


def load_sweep_spec(path: str | Path) -> tuple[SweepSpec, ScenarioSpec]:
    """Read a sweep TOML file; a relative ``base`` is relative to the file's folder."""
    doc = load_document(path, expect="sweep")
    return parse_sweep(doc.data, origin=str(doc.path), root=doc.path.parent)
