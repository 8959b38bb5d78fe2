"""The rare-earth scenario specification (``geostress minerals``): mandate, export controls, stockpiles, floors,
new plants and Monte Carlo settings, validated with errors that name the file and field.

Numbers must be finite and within each field's range (a NaN or ``true`` is refused, not read as a bound or 1.0);
lists that choose something (elements, destinations, sectors) must not be empty; names must be known.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BeforeValidator, Field, ValidationError, field_validator, model_validator

from geostress.errors import ScenarioError
from geostress.model.minerals import CHINA, ELEMENTS, PRIORITY_RANGE, REGIONS, SECTORS, STAGES
from geostress.spec.documents import load_document
from geostress.util.suggest import did_you_mean
from geostress.util.validation import StrictModel, format_validation_error, type_clash


class _S(StrictModel):
    """Frozen; refuses unknown fields, ``true``/``false`` for a number and a number for ``true``/``false``."""


def _fmt(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def _finite_in(lo: float, hi: float, hint: str = "") -> Callable[[Any], Any]:
    """A before-validator: a number must be finite and in ``[lo, hi]``; true/false and text are not numbers, by
    the rule :class:`~geostress.util.validation.StrictModel` applies to plain number fields
    (:func:`~geostress.util.validation.type_clash`: pydantic's lax mode would read ``"12"`` as 12.0)."""

    def check(value: Any) -> Any:
        clash = type_clash("number", value)
        if clash:
            raise ValueError(clash)
        number = value
        if isinstance(number, int | float | np.number) and not (math.isfinite(number) and lo <= number <= hi):
            raise ValueError(f"must be a finite number in [{_fmt(lo)}, {_fmt(hi)}]{hint}")
        return value

    return check


#: Longest horizon (``years`` ≤ 5) in months: control and stock-release months lie within it.
HORIZON_MONTHS = 60.0
Share = Annotated[float, BeforeValidator(_finite_in(0.0, 1.0))]
Month = Annotated[float, BeforeValidator(_finite_in(0.0, HORIZON_MONTHS, " (months from the start)"))]
#: Months a project is brought forward (clipped at its earliest date; delays come from the Monte Carlo draws).
Acceleration = Annotated[float, BeforeValidator(_finite_in(
    0.0, 120.0, " (months earlier; 0 keeps the nominal date, and no project comes online before its earliest "
    "date)"))]
#: Priority weights: the solver needs them finite and within a few orders of magnitude of each other
#: (:data:`geostress.model.minerals.PRIORITY_RANGE`); the defaults run from 1 (other uses) to 10 (defence).
Weight = Annotated[float, BeforeValidator(_finite_in(*PRIORITY_RANGE, " (defaults: 1 for other uses to 10 for "
                                                                      "defence)"))]
#: A new plant's capacity by element group, t/yr (world mine output is ≈390,000 t/yr).
PlantCapacity = Annotated[float, BeforeValidator(_finite_in(0.0, 1_000_000.0, " (t/yr of element content)"))]
LeadMonths = Annotated[float, BeforeValidator(_finite_in(0.0, 120.0, " (months from the start)"))]

#: Countries a new plant may be placed in. The model tells only China (a plant there makes China-origin output)
#: from the rest, so the list is there to catch a typo that would silently count a Chinese plant as non-China.
PLANT_COUNTRIES: tuple[str, ...] = (
    "China", "United States", "US", "Canada", "Mexico", "Brazil", "Argentina", "Chile", "Peru", "Colombia",
    "Greenland", "Denmark", "Norway", "Sweden", "Finland", "Estonia", "Latvia", "Lithuania", "Poland", "Germany",
    "France", "United Kingdom", "UK", "Ireland", "Iceland", "Netherlands", "Belgium", "Luxembourg", "Switzerland",
    "Austria", "Italy", "Spain", "Portugal", "Czechia", "Slovakia", "Slovenia", "Hungary", "Romania", "Bulgaria",
    "Croatia", "Serbia", "Greece", "Ukraine", "Turkey", "Russia", "Kazakhstan", "Kyrgyzstan", "Uzbekistan",
    "Mongolia", "Japan", "Korea", "South Korea", "Taiwan", "Vietnam", "Laos", "Thailand", "Malaysia", "Singapore",
    "Indonesia", "Philippines", "Burma", "Myanmar", "India", "Pakistan", "Bangladesh", "Sri Lanka", "Saudi Arabia",
    "United Arab Emirates", "Oman", "Israel", "Egypt", "Morocco", "Nigeria", "Angola", "Namibia", "South Africa",
    "Madagascar", "Malawi", "Mozambique", "Tanzania", "Kenya", "Uganda", "Burundi", "Zambia", "Australia",
    "New Zealand", "RoW",
)  # fmt: skip
#: Names that mean a plant in China (its output is China-origin): write "China".
_CHINA_NAMES = frozenset({"prc", "people's republic of china", "peoples republic of china", "cn", "chn",
                          "chinese", "mainland china", "hong kong", "macau", "macao", "inner mongolia"})


class MetaSpec(_S):
    name: str = Field("minerals", min_length=1, max_length=80)
    description: str = ""
    years: int = Field(5, ge=1, le=5)
    step: Literal["week", "month"] = "week"
    start: str | None = Field(None, description="YYYY-MM-DD within the base year or the year after; default the "
                              "facts file's start (2025-10-01)")
    base_year: Literal[2024, 2025] | None = Field(
        None, description="base year of mine output and prices: 2025 (USGS MCS 2026, default) or 2024 (MCS 2025 "
        "as first printed, kept as a vintage)")

    @field_validator("start")
    @classmethod
    def _start_is_a_date(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                date.fromisoformat(v)
            except ValueError:
                raise ValueError(f"{v!r} is not a date; use YYYY-MM-DD, e.g. 2025-10-01") from None
        return v

    @model_validator(mode="after")
    def _start_within_the_data(self) -> MetaSpec:
        """Capacities and demand are the base year's: a run starts in that year or the next, not decades away."""
        if self.start is None:
            return self
        from geostress.calibrate.minerals import load_facts  # (the facts file says which base year is default)

        year = self.base_year or int(load_facts()["meta"]["base_year"])
        first, last = date(year, 1, 1), date(year + 1, 12, 31)
        if not first <= date.fromisoformat(self.start) <= last:
            raise ValueError(f"start {self.start} is outside the data: capacities, demand and prices are the base "
                             f"year's ({year}), so start between {first} and {last}")
        return self


def _known(values: list[str], allowed: Sequence[str], what: str) -> list[str]:
    """``values`` when each is one of ``allowed``; else a ValueError naming the unknown ones and the allowed."""
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValueError(f"unknown {what} {bad}; allowed: {', '.join(allowed)}")
    return values


def _chosen(values: list[str], allowed: Sequence[str], what: str, *, all_ok: bool = False) -> list[str]:
    """Like :func:`_known`, and not empty (an empty list would choose nothing)."""
    if not values:
        raise ValueError(f"an empty list chooses no {what}; give at least one of {', '.join(allowed)}"
                         + (' (or "all", the default)' if all_ok else ""))
    return _known(values, allowed, what)


class MandateSpec(_S):
    regions: list[str] = Field(default_factory=list)
    sectors: list[str] | Literal["all"] = "all"
    schedule: list[tuple[float, float]] = Field(default_factory=list, description="(day, allowed China share)")

    @field_validator("regions")
    @classmethod
    def _regions(cls, v: list[str]) -> list[str]:
        return _known(v, REGIONS, "regions")

    @field_validator("sectors")
    @classmethod
    def _sectors(cls, v: list[str] | str) -> list[str] | str:
        return _known(v, SECTORS, "sectors") if isinstance(v, list) else v

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, v: list[tuple[float, float]]) -> list[tuple[float, float]]:
        for month, share in v:
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"China-origin share {share} at day {month} outside [0, 1]")
            if not 0.0 <= month <= 1830.0:
                raise ValueError(f"day {month} outside [0, 1830]")
        days = [day for day, _ in v]
        twice = sorted({day for day in days if days.count(day) > 1})
        if twice:  # the second silently replaced the first
            raise ValueError(f"day {twice[0]:g} appears more than once; give each day one allowed China share")
        return v

    @model_validator(mode="after")
    def _regions_need_a_schedule(self) -> MandateSpec:
        if self.regions and not self.schedule:
            raise ValueError(f"mandate.regions {self.regions} with no mandate.schedule: nothing is required of "
                             "them, so no verdict can be given; add a schedule, e.g. [[180, 0.0]] (no China-origin "
                             "share from day 180), or leave regions out for a run with no mandate")
        return self


#: Regions China's export controls can apply to: every region but China (controls act on shipments out of China).
DESTINATIONS: tuple[str, ...] = tuple(r for r in REGIONS if r != CHINA)


class ControlSpec(_S):
    elements: list[str]
    destinations: list[str] | Literal["all"] = "all"
    sectors: list[str] | Literal["all"] = "all"
    magnets: bool = False
    licensed_share: Share = Field(0.0, ge=0.0, le=1.0)
    start_month: Month = Field(0.0, ge=0.0, le=HORIZON_MONTHS)
    end_month: Month | None = Field(None, ge=0.0, le=HORIZON_MONTHS, description="omit: never ends")

    @field_validator("elements")
    @classmethod
    def _elements(cls, v: list[str]) -> list[str]:
        return _chosen(v, ELEMENTS, "elements")

    @field_validator("destinations")
    @classmethod
    def _destinations(cls, v: list[str] | str) -> list[str] | str:
        if isinstance(v, list) and CHINA in v:
            raise ValueError(f"{CHINA} is not a destination: export controls act on shipments out of China; give "
                             f"some of {', '.join(DESTINATIONS)}, or \"all\"")
        return _chosen(v, DESTINATIONS, "destinations", all_ok=True) if isinstance(v, list) else v

    @field_validator("sectors")
    @classmethod
    def _sectors(cls, v: list[str] | str) -> list[str] | str:
        return _chosen(v, SECTORS, "sectors", all_ok=True) if isinstance(v, list) else v

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> ControlSpec:
        if self.end_month is not None and self.end_month <= self.start_month:
            raise ValueError(f"end_month {_fmt(self.end_month)} is not after start_month {_fmt(self.start_month)}; "
                             "give a later end_month, or leave it out for a control that never ends")
        return self


class StockpileSpec(_S):
    release: bool = False
    start_month: Month = Field(0.0, ge=0.0, le=HORIZON_MONTHS)
    scale: Annotated[float, BeforeValidator(_finite_in(0.0, 20.0))] = Field(
        1.0, ge=0.0, le=20.0, description="multiplies the stocks in the facts file")


class FloorSpec(_S):
    enabled: bool = True
    usd_per_kg: Annotated[float, BeforeValidator(_finite_in(0.0, 10_000.0, " (USD/kg of NdPr oxide)"))] | None = (
        Field(None, ge=0.0, le=10_000.0))


class MonteCarloSpec(_S):
    draws: int = Field(0, ge=0, le=100_000)
    seed: int = Field(20251001, ge=0)
    step: Literal["week", "month"] = "month"
    workers: int = Field(2, ge=1, le=64)


class NewPlantSpec(_S):
    id: str = Field(min_length=1)
    stage: str
    country: str
    capacity: list[PlantCapacity] = Field(min_length=4, max_length=4, description="t/yr ndpr, dytb, smy, cela")
    lead_time_months: tuple[LeadMonths, LeadMonths, LeadMonths] = Field(
        description="min, mode, max months from the start")

    @field_validator("stage")
    @classmethod
    def _stage(cls, v: str) -> str:
        if v not in STAGES or v == "mining":
            raise ValueError(f"stage must be one of {', '.join(STAGES[1:])}")
        return v

    @field_validator("country")
    @classmethod
    def _country(cls, v: str) -> str:
        if v.strip().lower() in _CHINA_NAMES:
            raise ValueError(f"write {CHINA!r} for a plant in China (its output is China-origin)")
        if v not in PLANT_COUNTRIES:
            raise ValueError(f"unknown country {v!r}{did_you_mean(v, PLANT_COUNTRIES)}; give a country's English "
                             f"name (e.g. United States, Australia, Japan, {CHINA}) or \"RoW\" for elsewhere: only "
                             f"{CHINA} changes the result (a plant there makes China-origin output)")
        return v

    @model_validator(mode="after")
    def _lead_times_ordered(self) -> NewPlantSpec:
        lo, mode, hi = self.lead_time_months
        if not lo <= mode <= hi:
            raise ValueError(f"lead_time_months [{_fmt(lo)}, {_fmt(mode)}, {_fmt(hi)}] must be [min, mode, max] "
                             "with min ≤ mode ≤ max")
        return self


class MineralsSpec(_S):
    scenario: MetaSpec = MetaSpec()
    mandate: MandateSpec = MandateSpec()
    export_controls: list[ControlSpec] = Field(default_factory=list)
    stockpile: StockpileSpec = StockpileSpec()
    acceleration: dict[str, Acceleration] = Field(default_factory=dict, description="project id → months earlier")
    priority: dict[str, Weight] = Field(default_factory=dict, description="sector → weight, 0.01 to 1,000")
    price_floor: FloorSpec = FloorSpec()
    new_plants: list[NewPlantSpec] = Field(default_factory=list)
    monte_carlo: MonteCarloSpec = MonteCarloSpec()

    @field_validator("priority")
    @classmethod
    def _priority(cls, v: dict[str, float]) -> dict[str, float]:
        bad = [s for s in v if s not in SECTORS]
        if bad:
            raise ValueError(f"unknown sectors {bad}; allowed: {', '.join(SECTORS)}")
        return v

    @model_validator(mode="after")
    def _known_projects(self) -> MineralsSpec:
        """``[acceleration]`` names projects of the facts file or the scenario's ``[[new_plants]]``: checked when the
        scenario is read (naming the field and close matches), not once the run has started."""
        known = known_project_ids() | {p.id for p in self.new_plants}
        for name in self.acceleration:
            if name not in known:
                raise ValueError(f"field acceleration.{name}: unknown project {name!r}{did_you_mean(name, known)} "
                                 f"(known: {', '.join(sorted(known))})")
        return self


def known_project_ids() -> set[str]:
    """Project ids in the minerals facts file (what ``[acceleration]`` may name, besides ``[[new_plants]]``)."""
    from geostress.calibrate.minerals import load_facts  # (here: the spec does not need the data layer otherwise)

    return {str(p["id"]) for p in load_facts()["projects"]}


def parse_minerals_spec(data: dict[str, Any], *, origin: str = "scenario") -> MineralsSpec:
    try:
        return MineralsSpec.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(exc, origin)) from None


def load_minerals_spec(reference: str | Path) -> MineralsSpec:
    """Read a rare-earth scenario: a TOML file or a preset name (``minerals-us-mandate``); ``extends`` is followed."""
    from geostress.spec.scenario import named_after_file

    doc = load_document(reference, expect="minerals")
    # a file that states no [scenario] name is named after itself, not after the preset it extends (whose folder,
    # out/minerals-<name>, it would otherwise write into)
    return parse_minerals_spec(named_after_file(doc.path, doc.data), origin=str(doc.path))


# ---- assembling the model ---------------------------------------------------------------------------------------
