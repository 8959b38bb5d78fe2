"""Request and response models of the web service (pydantic, at the edge only).

They define the OpenAPI document at ``/openapi.json``. Ratios and yields are fractions (0.045 = 4.5 %), levels
are USD bn, dates are ISO strings (``YYYY-MM-DD``; months ``YYYY-MM``; times ISO 8601 UTC).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from geostress.model.market import MOTIVES
from geostress.service.limits import MAX_CLAIM_CHARS
from geostress.spec.scenario import ScenarioSpec

#: Series ids: the longest in the catalog has 81 characters; 160 leaves room for new sources (test: every id).
SERIES_ID_PATTERN = r"^[A-Za-z0-9_.:\-]{1,160}$"
SCENARIO_NAME_PATTERN = r"^[A-Za-z0-9_.\-]{1,80}$"
RunState = Literal["queued", "running", "done", "failed", "cancelled", "timeout"]
#: Why an official holder sells (:data:`geostress.model.market.MOTIVES`).
Motive = Literal[MOTIVES]  # type: ignore[valid-type]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str


class CatalogEntry(BaseModel):
    series_id: str
    label: str | None
    source: str | None
    unit: str | None
    start: str | None
    end: str | None
    observations: int
    latest_vintage: str | None
    vintages: int


class Catalog(BaseModel):
    series: list[CatalogEntry]


class Observation(BaseModel):
    period: str
    value: float | None
    vintage: str


class SeriesOut(BaseModel):
    series_id: str
    label: str | None
    unit: str | None
    observations: list[Observation]


class HolderHistory(BaseModel):
    series_id: str
    label: str
    values: list[float | None] = Field(description="USD bn by month, aligned with `months`; null when not reported")


class Holders(BaseModel):
    months: list[str]
    holders: list[HolderHistory]


class ScenarioEntry(BaseModel):
    name: str
    file: str
    description: str
    coupled: bool
    spec: ScenarioSpec


class ScenarioList(BaseModel):
    scenarios: list[ScenarioEntry]


class MarketSector(BaseModel):
    name: str
    group: str
    holdings_bn: float


class MarketSectors(BaseModel):
    baseline: str
    at: str
    sectors: list[MarketSector]


class ImpactMonth(BaseModel):
    """A month of the sale's path: the median 10-year term premium change and its 5–95% range (none for one path)."""

    month: int
    median: float
    p05: float | None = None
    p95: float | None = None


class ImpactAnswer(BaseModel):
    """``geostress market impact --json`` (docs/market.md): what a sale does to the 10-year term premium, bp. The
    ``_p05``/``_p95`` keys are missing for one path (draws 0 or 1); the ``_backstop_off`` ones with the backstop
    off (they are the same draws without it)."""

    model_config = ConfigDict(extra="forbid")

    holder: str
    description: str
    amount_bn: float
    amount_pp_gdp: float
    months: int
    motive: Motive
    at: str
    gdp_bn: float
    backstop: Literal["on", "off"]
    fima: Literal["on", "off"]
    liquidity_stress: float
    draws: int
    seed: int | None
    gdp_growth_per_year: float
    outside_evidence: str | None
    range_note: str | None
    stabilisers_note: str | None
    measure: str
    peak_10y_change_bp: float
    peak_10y_change_bp_p05: float | None = None
    peak_10y_change_bp_p95: float | None = None
    persistent_10y_change_bp: float
    persistent_10y_change_bp_p05: float | None = None
    persistent_10y_change_bp_p95: float | None = None
    persistent_month: int
    stock_effect_10y_bp: float
    stock_effect_10y_bp_p05: float | None = None
    stock_effect_10y_bp_p95: float | None = None
    peak_10y_change_bp_backstop_off: float | None = None
    peak_10y_change_bp_backstop_off_p05: float | None = None
    peak_10y_change_bp_backstop_off_p95: float | None = None
    persistent_10y_change_bp_backstop_off: float | None = None
    persistent_10y_change_bp_backstop_off_p05: float | None = None
    persistent_10y_change_bp_backstop_off_p95: float | None = None
    stock_effect_10y_bp_backstop_off: float | None = None
    stock_effect_10y_bp_backstop_off_p05: float | None = None
    stock_effect_10y_bp_backstop_off_p95: float | None = None
    backstop_bn_median: float
    backstop_bn_p05: float | None = None
    backstop_bn_p95: float | None = None
    fima_bn_median: float
    fima_bn_p05: float | None = None
    fima_bn_p95: float | None = None
    data_as_of: str | None = Field(None, description="the day the data were read as of (YYYY-MM-DD), null for all "
                                   "the store holds")
    path: list[ImpactMonth]


class MineralsScenario(BaseModel):
    name: str = Field(description="the scenario name the file declares (two files may declare the same)")
    file: str = Field(description="the file's name; its stem is the id POST /api/minerals should be sent")
    description: str


class MineralsScenarioList(BaseModel):
    scenarios: list[MineralsScenario]


class MineralsRequest(_Request):
    scenario: str = Field(pattern=SCENARIO_NAME_PATTERN, description="an id (file stem) from GET "
                          "/api/minerals/scenarios; a declared name is accepted when only one file declares it")


class MineralsMonthly(BaseModel):
    months: list[int]
    shortfall_t: list[float | None]
    price_usd_kg_global: dict[str, list[float | None]]
    price_usd_kg_china_free: dict[str, list[float | None]]


class MineralsSummary(BaseModel):
    """The summary of :func:`geostress.run.minerals.run_minerals` (every key it produces is passed through)."""

    model_config = ConfigDict(extra="allow")

    scenario: str
    file: str
    china_free_share_day180: float | None
    mandate_met: bool | None  # judged at each day of the schedule; None: no covered buyer or no day reached
    compliance_month_by_sector: dict[str, int | None]
    shortfall_by_sector_t: dict[str, float]
    price_usd_kg_china_free: dict[str, list[float | None]]
    subsidy_cost_usd: float
    monthly: MineralsMonthly | None = None


class RunRequest(_Request):
    spec: ScenarioSpec = Field(default_factory=ScenarioSpec, description="every field optional (the CBO baseline)")


class RunStatus(BaseModel):
    id: str = Field(pattern=r"^[0-9a-f]{32}$")
    scenario: str
    status: RunState
    progress: float = Field(ge=0.0, le=1.0)
    message: str
    created: str
    started: str | None
    finished: str | None
    error: str | None
    paths: int
    horizon_years: int
    worker_startup_s: float | None = Field(None, description="seconds from launching the worker to its first line")


class RunList(BaseModel):
    runs: list[RunStatus]


class FanData(BaseModel):
    fiscal_years: list[int]
    variables: dict[str, dict[str, list[float | None]]] = Field(
        description="variable → p05 … p95 (absent when paths = 0) and deterministic, one value per fiscal year")


class PublishedRange(BaseModel):
    low_bp: float | None = Field(description="the published range's low end, bp; null when no sale has a "
                                 "persistent part (every sale private: a flow only)")
    high_bp: float | None
    bp_per_pp: list[float] = Field(description="bp of 10-year term premium per pp of GDP (MARKET_EVIDENCE.md §1)")
    scheduled_bn: float = Field(description="every scheduled and announced sale, USD bn")
    persistent_bn: list[float] = Field(description="low, high: the part the market block prices as persistent")
    private_bn: float = Field(description="the private sales among them (flows only)")
    gdp_bn: float
    contagion_official_bn: float = Field(0.0, description="the contagion block's foreign officials' net "
                                         "diversification by persistent_month on the path with the median amount, "
                                         "counted in full")
    contagion_run_bn: float = Field(0.0, description="what their liquidity run still holds sold then, counted in "
                                    "full (the FIMA repo takes no share of the block's runs)")
    contagion_persistent_bn: list[float] | None = Field(None, description="low, high: the contagion block's part "
                                                        "of persistent_bn (the rest is the scheduled sales')")
    persistent_month: int | None = Field(None, description="the month the model's persistent effect is read")


class MarketData(BaseModel):
    months: list[int]
    term_premium_bp_p50: list[float | None] = Field(description="median market term premium at 10 years by month, bp")
    term_premium_bp_p05: list[float | None] | None = Field(
        None, description="5th percentile over paths by month (parameter draws: the market pass does not read the "
        "macro shocks); absent for a run of one path")
    term_premium_bp_p95: list[float | None] | None = Field(None, description="95th percentile, as term_premium_bp_p05")
    sold_bn_median: float | None
    cascade_probability: float | None = Field(None, description="share of paths (parameter draws) that cascade")
    cascade_share: float | None = Field(description="the same as cascade_probability (its former name)")
    peak_10y_change_bp: float | None
    published_persistent: PublishedRange | None = Field(
        None, description="the literature's range for the persistent effect of the run's sales; null without sales")


class RunResult(BaseModel):
    id: str
    scenario: str
    summary: dict[str, Any]
    fan: FanData
    annual: list[dict[str, float | None]]
    market: MarketData | None


class ClaimsRequest(_Request):
    text: str = Field(max_length=MAX_CLAIM_CHARS, description="the text to check; the server's own limit "
                      "(max_claim_chars, 50,000 characters by default) may be lower: a longer text is a 422 naming it")
    lang: Literal["auto", "en", "zh"] = "auto"
    date: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$",
                             description="the article's date (YYYY-MM-DD); else a dateline in the text")


class ClaimOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    text: str
    start: int
    end: int
    quote: str
    value: float | str | None
    unit: str | None
    holder: str | None
    measure: str | None
    period: str | None
    verdict: str
    reason: str | None = None
    official_value: float | str | None = None
    official_period: str | None = None
    series: str | None = None
    vintage: str | None = None
    source: str | None = None


class ClaimsOut(BaseModel):
    claims: list[ClaimOut]
    truncated: bool = Field(False, description="true when the text holds more claims than the server lists "
                            "(max_claims; the first ones in the text are listed)")
    claims_total: int | None = Field(None, description="how many claims the text holds")


class ErrorOut(BaseModel):
    detail: str


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(BaseModel):
    detail: list[FieldError]
