"""The rare-earth scenario specification (``geostress minerals``): mandate, export controls, stockpiles, floors,
new plants and Monte Carlo settings, validated with errors that name the file and field."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from geostress.errors import ScenarioError
from geostress.model.minerals import ELEMENTS, REGIONS, SECTORS, STAGES
from geostress.spec.documents import load_document


class _S(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MetaSpec(_S):
    name: str = Field("minerals", min_length=1, max_length=80)
    description: str = ""
    years: int = Field(5, ge=1, le=5)
    step: Literal["week", "month"] = "week"
    start: str | None = Field(None, description="YYYY-MM-DD; default the facts file's start (2025-10-01)")
    base_year: Literal[2024, 2025] | None = Field(
        None, description="base year of mine output and prices: 2025 (USGS MCS 2026, default) or 2024 (MCS 2025 "
        "as first printed, kept as a vintage)")

    @field_validator("start")
    @classmethod
    def _start_is_a_date(cls, v: str | None) -> str | None:
        if v is not None:
            from datetime import date

            try:
                date.fromisoformat(v)
            except ValueError:
                raise ValueError(f"{v!r} is not a date; use YYYY-MM-DD, e.g. 2025-10-01") from None
        return v


def _known(values: list[str], allowed: Sequence[str], what: str) -> list[str]:
    """``values`` when each is one of ``allowed``; else a ValueError naming the unknown ones and the allowed."""
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValueError(f"unknown {what} {bad}; allowed: {', '.join(allowed)}")
    return values


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
        return v


class ControlSpec(_S):
    elements: list[str]
    destinations: list[str] | Literal["all"] = "all"
    sectors: list[str] | Literal["all"] = "all"
    magnets: bool = False
    licensed_share: float = Field(0.0, ge=0.0, le=1.0)
    start_month: float = Field(0.0, ge=0.0, le=60.0)
    end_month: float | None = Field(None, ge=0.0)

    @field_validator("elements")
    @classmethod
    def _elements(cls, v: list[str]) -> list[str]:
        return _known(v, ELEMENTS, "elements")


class StockpileSpec(_S):
    release: bool = False
    start_month: float = Field(0.0, ge=0.0, le=60.0)
    scale: float = Field(1.0, ge=0.0, le=20.0, description="multiplies the stocks in the facts file")


class FloorSpec(_S):
    enabled: bool = True
    usd_per_kg: float | None = Field(None, ge=0.0, le=10_000.0)


class MonteCarloSpec(_S):
    draws: int = Field(0, ge=0, le=100_000)
    seed: int = Field(20251001, ge=0)
    step: Literal["week", "month"] = "month"
    workers: int = Field(2, ge=1, le=64)


class NewPlantSpec(_S):
    id: str
    stage: str
    country: str
    capacity: list[float] = Field(min_length=4, max_length=4, description="t/yr ndpr, dytb, smy, cela")
    lead_time_months: tuple[float, float, float] = Field(description="min, mode, max months from the start")

    @field_validator("stage")
    @classmethod
    def _stage(cls, v: str) -> str:
        if v not in STAGES or v == "mining":
            raise ValueError(f"stage must be one of {', '.join(STAGES[1:])}")
        return v


class MineralsSpec(_S):
    scenario: MetaSpec = MetaSpec()
    mandate: MandateSpec = MandateSpec()
    export_controls: list[ControlSpec] = Field(default_factory=list)
    stockpile: StockpileSpec = StockpileSpec()
    acceleration: dict[str, float] = Field(default_factory=dict, description="project id → months earlier")
    priority: dict[str, float] = Field(default_factory=dict)
    price_floor: FloorSpec = FloorSpec()
    new_plants: list[NewPlantSpec] = Field(default_factory=list)
    monte_carlo: MonteCarloSpec = MonteCarloSpec()

    @field_validator("priority")
    @classmethod
    def _priority(cls, v: dict[str, float]) -> dict[str, float]:
        bad = [s for s in v if s not in SECTORS]
        if bad:
            raise ValueError(f"unknown sectors {bad}; allowed: {', '.join(SECTORS)}")
        if any(w <= 0 for w in v.values()):
            raise ValueError("weights must be positive")
        return v


def parse_minerals_spec(data: dict[str, Any], *, origin: str = "scenario") -> MineralsSpec:
    try:
        return MineralsSpec.model_validate(data)
    except ValidationError as exc:
        parts = []
        for e in exc.errors():
            loc = ".".join(str(x) for x in e["loc"])
            parts.append(f"{loc}: {e['msg']}")
        raise ScenarioError(f"{origin}: " + "; ".join(parts)) from None


def load_minerals_spec(reference: str | Path) -> MineralsSpec:
    """Read a rare-earth scenario: a TOML file or a preset name (``minerals-us-mandate``); ``extends`` is followed."""
    doc = load_document(reference, expect="minerals")
    return parse_minerals_spec(doc.data, origin=str(doc.path))


# ---- assembling the model ---------------------------------------------------------------------------------------
