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

import math
from pathlib import Path
from typing import Any

from pydantic import Field, PrivateAttr, ValidationError, ValidationInfo, field_validator, model_validator

from geostress.errors import ScenarioError
from geostress.spec import knobs as knob_paths
from geostress.spec.documents import load_document
from geostress.spec.scenario import ScenarioSpec, load_scenario, parse_scenario
from geostress.util.validation import StrictModel, field_kind, format_validation_error

#: The most scenarios a sweep file may ask for with ``max_scenarios`` (default 1,000,000).
MAX_SCENARIOS_CEILING = 10_000_000
#: Bounds of a ``[random]`` range of an integer knob (draws are 64-bit whole numbers).
MAX_WHOLE = 2**62


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


def _holds_text(value: Any) -> bool:
    if isinstance(value, str):
        return True
    if isinstance(value, list | tuple):
        return any(_holds_text(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_text(v) for v in value.values())
    return False


def _text_clash(kind: str | None, value: Any) -> str | None:
    """Why text (a TOML string) does not fit a field or knob of this :func:`field_kind`, or None: pydantic's lax
    mode reads ``"1.5"`` as 1.5 and ``"no"`` as false, and the sweep would run (and type its column) as text."""
    if kind is None or not _holds_text(value):
        return None
    return ("give a number, not text (write it without quotes)" if kind == "number" else
            "give true or false, not text (write it without quotes)")


class _Model(StrictModel):
    """A part of a sweep file (:class:`geostress.util.validation.StrictModel`: ``true`` is not a number; here text is
    not a number or a true/false either)."""

    @field_validator("*", mode="before")
    @classmethod
    def _not_text(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is None or value is None or value.__class__ in (int, float, bool):
            return value
        clash = _text_clash(field_kind(cls.model_fields[info.field_name].annotation), value)
        if clash:
            raise ValueError(clash)
        return value


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
            for end, bound in (("lo", lo), ("hi", hi)):
                if not math.isfinite(bound):
                    raise ValueError(f"knob {knob!r}: {end} {bound} is not a finite number; give finite bounds [lo, "
                                     "hi] (nan, inf and -inf are refused; TOML reads 1e400 as inf)")
            if not lo <= hi:
                raise ValueError(f"knob {knob!r}: lo {lo} is above hi {hi}")
            if not math.isfinite(hi - lo):
                raise ValueError(f"knob {knob!r}: the range [{lo:g}, {hi:g}] is too wide to draw from (hi − lo is "
                                 "beyond the largest number); narrow it to the values the knob accepts")
            if is_int_knob(knob):
                if max(abs(lo), abs(hi)) > MAX_WHOLE:
                    raise ValueError(f"knob {knob!r} takes whole numbers and the range [{lo:g}, {hi:g}] goes beyond "
                                     f"±{MAX_WHOLE:,}; narrow it to the values the knob accepts")
                if math.ceil(lo) > math.floor(hi):
                    raise ValueError(f"knob {knob!r} takes whole numbers and the range [{lo:g}, {hi:g}] holds none; "
                                     "widen it")
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
    max_scenarios: int = Field(1_000_000, ge=1, le=MAX_SCENARIOS_CEILING,
                               description="the most scenarios the design may hold (a guard against a typo)")
    #: the sweep file it was read from (:func:`load_sweep_spec`), for messages; not a field of the file
    _source: str | None = PrivateAttr(None)

    @field_validator("grid")
    @classmethod
    def _grid(cls, value: dict[str, list[Any]]) -> dict[str, list[Any]]:
        for knob, values in value.items():
            kind = field_kind(_sweep_knob(knob))
            if not values:
                raise ValueError(f"knob {knob!r}: give at least one value")
            for item in values:
                clash = _text_clash(kind, item)
                if clash:
                    raise ValueError(f"knob {knob!r}: value {item!r}: {clash}")
        return value

    @model_validator(mode="after")
    def _knobs_once(self) -> SweepSpec:
        if self.random is not None:
            both = set(self.grid) & set(self.random.knobs)
            if both:
                raise ValueError(f"knobs {sorted(both)} are in both [grid] and [random]; keep each in one")
        n = self.n_scenarios
        if n > self.max_scenarios:
            raise ValueError(f"{n:,} scenarios exceed max_scenarios = {self.max_scenarios:,}: set max_scenarios, a "
                             f"field of the sweep file (at most {MAX_SCENARIOS_CEILING:,}), to allow more, or split "
                             "the grid into several sweep files (each with its own --out)")
        return self

    @property
    def knobs(self) -> list[str]:
        return list(self.grid) + (list(self.random.knobs) if self.random is not None else [])

    @property
    def source(self) -> str | None:
        """The sweep file this spec was read from (its path, as :func:`load_sweep_spec` found it), or ``None`` for a
        sweep given as data; errors found while planning or running the sweep name it."""
        return self._source

    @property
    def where(self) -> str:
        """How messages name the sweep: ``FILE: NAME`` for one read from a file, else its ``name``."""
        return self.name if self._source is None else f"{self._source}: {self.name}"

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
        try:
            base = load_scenario(_base_reference(spec.base, root))
        except ScenarioError as exc:
            raise ScenarioError(f"{origin}: field base: {exc}") from None
    else:
        base = parse_scenario(spec.base, origin=f"{origin}: field base")
    return spec, base


def _base_reference(base: str, root: Path | None) -> str | Path:
    """The scenario a sweep's ``base = "…"`` names: a file relative to the sweep file's folder ``root`` (never the
    current folder), an absolute path, or a preset name (``NAME`` or ``NAME.toml``). Without ``root`` (a sweep given
    as data, not a file) a relative path is taken as given.

    Raises
    ------
    ScenarioError
        A path that is neither a file next to the sweep file nor a preset, naming where it was looked for.
    """
    path = Path(base)
    if root is None or path.is_absolute():
        return base
    if (root / path).is_file():
        return root / path
    from geostress.spec.presets import list_presets
    from geostress.util.suggest import did_you_mean

    presets = {p.name: p for p in list_presets()}
    name = path.stem if path.suffix == ".toml" else base
    if name in presets and (len(path.parts) == 1 or path.parent.name == "scenarios"):
        return presets[name].path
    raise ScenarioError(f"scenario file {base} not found next to the sweep file (no {root / path}); give a path "
                        "relative to the sweep file's folder, an absolute path or a preset name"
                        f"{did_you_mean(name, presets)} (`geostress scenarios list` shows them)")


def load_sweep_spec(path: str | Path) -> tuple[SweepSpec, ScenarioSpec]:
    """Read a sweep TOML file; a relative ``base`` is relative to the file's folder (never the current folder).

    The spec remembers the file (:attr:`SweepSpec.source`), so that an error found only once a scenario of the design
    is built or run (an event past the horizon, a value out of a field's range) names it too."""
    from geostress.spec.presets import resolve

    try:
        resolve(path)
    except ScenarioError as exc:  # the reference is neither a file nor a preset: say what kind of file is wanted
        message = str(exc).replace("scenario file ", "sweep file ", 1).replace("unknown scenario ", "unknown sweep ", 1)
        raise ScenarioError(message.replace("a path to a TOML file", "a path to a sweep file (TOML)", 1)) from None
    doc = load_document(path, expect="sweep")
    spec, base = parse_sweep(doc.data, origin=str(doc.path), root=doc.path.parent)
    spec._source = str(doc.path)  # errors found once the design is built or run name the file (SweepSpec.where)
    return spec, base
