"""The scenario specification: one validated object drives the CLI, the Python API, the dashboard and sweeps.

A scenario is a TOML file::

    [scenario]
    name = "china-sells"
    baseline = "cbo:latest"      # or cbo:YYYY-MM, any CBO vintage in the store
    horizon_years = 30

    [simulation]
    paths = 10000
    seed = 20260201

    [fiscal]
    fiscal_risk_premium_bp_per_pp = 2.0

    [shocks]
    term_premium_bp = 50
    start_year = 2027

Every field has a default, so an empty file is the CBO baseline. Errors name the file, the field and the allowed
range.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from geostress.calibrate import DEFAULT_NOMINAL_GROWTH
from geostress.errors import ScenarioError
from geostress.model.fiscal import TENOR_NAMES
from geostress.util.tomlfile import read_toml


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScenarioMeta(_Section):
    name: str = Field("baseline", min_length=1, max_length=80)
    description: str = ""
    baseline: str = Field("cbo:latest", description="CBO baseline vintage: cbo:latest or cbo:YYYY-MM")
    horizon_years: int = Field(30, ge=1, le=50, description="years simulated from the vintage's first year")

    @field_validator("baseline")
    @classmethod
    def _baseline_form(cls, value: str) -> str:
        if not value.startswith("cbo:"):
            raise ValueError("must be cbo:latest or cbo:YYYY-MM (e.g. cbo:2026-02)")
        return value


class Simulation(_Section):
    paths: int = Field(10_000, ge=0, le=5_000_000, description="stochastic paths (0: deterministic only)")
    seed: int = Field(20260201, ge=0)
    chunk_paths: int = Field(16_384, ge=1_024, le=262_144)


class Fiscal(_Section):
    issuance_shares: dict[str, float] | None = Field(None, description="share of gross borrowing by tenor")
    fiscal_risk_premium_bp_per_pp: float = Field(2.0, ge=0.0, le=10.0)
    fed_reserves_bn: float = Field(3000.0, ge=0.0, le=20_000.0)
    fed_share_of_debt: float | None = Field(None, ge=0.0, lt=1.0)
    nominal_growth: float = Field(DEFAULT_NOMINAL_GROWTH, ge=-0.05, le=0.15)
    target_wam_months: float = Field(72.0, ge=40.0, le=110.0)

    @field_validator("issuance_shares")
    @classmethod
    def _shares(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        if value is None:
            return value
        unknown = set(value) - set(TENOR_NAMES)
        if unknown:
            raise ValueError(f"unknown tenors {sorted(unknown)}; allowed: {', '.join(TENOR_NAMES)}")
        if any(v < 0 for v in value.values()):
            raise ValueError("shares must not be negative")
        total = sum(value.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"shares sum to {total:.6f}; they must sum to 1")
        return value


class Shocks(_Section):
    all_rates_pp: float = Field(0.0, ge=-5.0, le=10.0, description="added to every yield at issue (pp)")
    term_premium_bp: float = Field(0.0, ge=-300.0, le=1000.0, description="market term premium (bp at 10y)")
    primary_deficit_pct_gdp: float = Field(0.0, ge=-10.0, le=20.0, description="extra primary deficit, % of GDP")
    start_year: int | None = Field(None, ge=1980, le=2100, description="first fiscal year of the shocks")


class Macro(_Section):
    shock_scale: float = Field(1.0, ge=0.0, le=5.0, description="multiplies the estimated shock std devs")
    rho_gap: float | None = Field(None, ge=0.0, lt=1.0)
    is_slope: float | None = Field(None, ge=0.0, le=1.0)
    rho_inflation: float | None = Field(None, ge=0.0, lt=1.0)
    phillips_slope: float | None = Field(None, ge=0.0, le=1.0)
    rho_policy: float | None = Field(None, ge=0.0, lt=1.0)
    lower_bound: float | None = Field(None, ge=-0.02, le=0.05)
    rho_term_premium: float | None = Field(None, ge=0.0, lt=1.0)
    rho_primary_balance: float | None = Field(None, ge=0.0, lt=1.0)
    fiscal_response: float | None = Field(None, ge=0.0, le=0.5, description="Bohn (1998) response, ≈0.05")


class Outputs(_Section):
    debt_thresholds: list[float] = Field(default_factory=lambda: [1.5, 2.0])
    interest_revenue_thresholds: list[float] = Field(default_factory=lambda: [0.25, 0.30])

    @field_validator("debt_thresholds", "interest_revenue_thresholds")
    @classmethod
    def _positive(cls, value: list[float]) -> list[float]:
        if not value or any(not 0 < v < 20 for v in value):
            raise ValueError("give at least one ratio, each between 0 and 20 (1.5 = 150%)")
        return value


class MarketSection(_Section):
    """The Treasury-market block (holders' demand and clearing); switched on by any sale or announcement."""

    enabled: bool = False
    impact_5y_bp_per_100bn: float = Field(50.0, ge=40.0, le=60.0, description="Beltran et al. (2013): 40–60")
    longrun_5y_bp_per_100bn: float = Field(20.0, ge=10.0, le=30.0, description="Beltran et al. (2013): ≈20")
    stock_bp_per_pp: float = Field(2.0, ge=2.0, le=2.4, description="IMF WP/17/174: 2.0–2.4")
    flow_half_life_months: float = Field(3.0, ge=0.25, le=24.0)


class ContagionSection(_Section):
    """The demonstration effect: a population of investors with thresholds over a public/private signal."""

    enabled: bool = False
    population_bn: float = Field(1000.0, ge=0.0, le=20_000.0, description="holdings of the reactive investors")
    threshold_mean: float = Field(0.6, ge=0.0, le=5.0, description="[assumption] see docs/contagion.md")
    threshold_sd: float = Field(0.15, gt=0.0, le=5.0)
    peer_global: float = Field(1.0, ge=0.0, le=5.0)
    yield_weight: float = Field(0.001, ge=0.0, le=0.1, description="signal per bp of 10y yield change")
    debt_weight: float = Field(0.005, ge=0.0, le=0.1, description="signal per pp of debt/GDP above baseline")
    interest_weight: float = Field(0.01, ge=0.0, le=0.1, description="signal per pp of interest/revenue")
    announcement_weight: float = Field(0.05, ge=0.0, le=1.0)
    public_multiplier: float = Field(3.0, ge=1.0, le=20.0, description="public signals outweigh private ones")
    sell_fraction: float = Field(1.0, gt=0.0, le=1.0)
    official_sensitivity: float = Field(0.01, ge=0.0, le=1.0,
                                        description="official holders' monthly sale share per unit of signal above "
                                                    "their trigger")
    official_trigger: float = Field(0.5, ge=0.0, le=10.0, description="public signal at which officials start")


class Sale(_Section):
    """A named holder sells ``amount_bn`` evenly over ``months`` months from ``start_month`` (1 = first)."""

    holder: str = Field(min_length=1, description="a market sector, e.g. china_mainland_official")
    amount_bn: float = Field(gt=0.0, le=20_000.0)
    months: int = Field(1, ge=1, le=600)
    start_month: int = Field(1, ge=1, le=600)


class Announcement(_Section):
    """A public (or private) signal in ``month``, e.g. a pension fund selling $0.1bn citing US solvency."""

    month: int = Field(1, ge=1, le=600)
    intensity: float = Field(1.0, ge=0.0, le=100.0)
    amount_bn: float = Field(0.0, ge=0.0, le=1000.0, description="the announced sale itself, executed")
    public: bool = True


class ScenarioSpec(_Section):
    """A whole scenario. Build it with :func:`load_scenario` (TOML) or directly in Python."""

    scenario: ScenarioMeta = Field(default_factory=ScenarioMeta)
    simulation: Simulation = Field(default_factory=Simulation)
    fiscal: Fiscal = Field(default_factory=Fiscal)
    shocks: Shocks = Field(default_factory=Shocks)
    macro: Macro = Field(default_factory=Macro)
    outputs: Outputs = Field(default_factory=Outputs)
    market: MarketSection = Field(default_factory=MarketSection)
    contagion: ContagionSection = Field(default_factory=ContagionSection)
    sales: list[Sale] = Field(default_factory=list)
    announcements: list[Announcement] = Field(default_factory=list)

    @property
    def coupled(self) -> bool:
        """Whether the Treasury-market (and contagion) loop runs inside the fiscal engine."""
        return self.market.enabled or self.contagion.enabled or bool(self.sales) or bool(self.announcements)

    @property
    def name(self) -> str:
        return self.scenario.name

    def with_overrides(self, **changes: Any) -> ScenarioSpec:
        """A copy with dotted overrides, e.g. ``with_overrides(**{"simulation.paths": 1000})``."""
        data = self.model_dump()
        for dotted, value in changes.items():
            section, _, key = dotted.partition(".")
            if section not in data or not key or not isinstance(data[section], dict):
                raise ScenarioError(f"override {dotted!r}: use section.field, e.g. simulation.paths")
            data[section][key] = value
        return parse_scenario(data, origin="overrides")


def _describe(exc: ValidationError, origin: str) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        parts.append(f"field {where}: {err['msg']}")
    return f"{origin}: " + "; ".join(parts)


def parse_scenario(data: dict[str, Any], *, origin: str = "scenario") -> ScenarioSpec:
    """Validate a scenario dict; a :class:`ScenarioError` names each bad field and its allowed range."""
    try:
        return ScenarioSpec.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_describe(exc, origin)) from None


def load_scenario(path: str | Path) -> ScenarioSpec:
    """Read and validate a scenario TOML file."""
    return parse_scenario(read_toml(path), origin=str(path))
