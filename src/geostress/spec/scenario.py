"""The scenario specification: one validated object drives the CLI, the Python API, the dashboard and sweeps.

A scenario is a TOML file::

    [scenario]
    name = "china-sells"
    baseline = "cbo:latest"      # or cbo:YYYY-MM, any CBO vintage in the store
    horizon_years = 30
    data_as_of = "2026-11-30"    # optional: only the data released by then (the store as it stood that day)

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

A file may state its kind (``kind = "scenario"``; minerals and sweep files say ``"minerals"`` / ``"sweep"``) and may
build on another scenario: ``extends = "china-sells-300bn"`` (a preset name or a path relative to the file) takes
that scenario and applies this file's tables on top (tables merge field by field; lists such as ``[[sales]]``
replace the base's list). A file that states no ``[scenario] name`` is named after itself (its stem), not after its
base (:func:`named_after_file`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from geostress.calibrate import DEFAULT_NOMINAL_GROWTH
from geostress.errors import ScenarioError
from geostress.model.fiscal import TENOR_NAMES, MacroParams
from geostress.model.priors import PEER_GAIN_HIGH  # the lowest loop_gain_ceiling a run accepts
from geostress.spec import knobs
from geostress.spec.documents import field_origin, load_document
from geostress.spec.reserves import MIN_PACE, parse_month
from geostress.util.validation import StrictModel




class _Section(StrictModel):
    """A section of a scenario file (:class:`geostress.util.validation.StrictModel`)."""


class ScenarioMeta(_Section):
    name: str = Field("baseline", min_length=1, max_length=80)
    description: str = ""
    baseline: str = Field("cbo:latest", description="CBO baseline vintage: cbo:latest or cbo:YYYY-MM")
    horizon_years: int = Field(30, ge=1, le=50, description="years simulated from the vintage's first year")
    data_as_of: str | None = Field(
        None, description="read only the data released by this date (YYYY-MM-DD; YYYY-MM means the month's last "
        "day), as if later releases had never been imported, cbo:latest included; default: all the store holds")

    @field_validator("baseline")
    @classmethod
    def _baseline_form(cls, value: str) -> str:
        if not value.startswith("cbo:"):
            raise ValueError("must be cbo:latest or cbo:YYYY-MM (e.g. cbo:2026-02)")
        return value

    @field_validator("data_as_of", mode="before")
    @classmethod
    def _toml_date(cls, value: object) -> object:
        """A TOML date written without quotes (``data_as_of = 2026-08-31``) is the same day as the quoted text."""
        from datetime import date

        return value.isoformat()[:10] if isinstance(value, date) else value

    @field_validator("data_as_of")
    @classmethod
    def _as_of_day(cls, value: str | None) -> str | None:
        """The day as ``YYYY-MM-DD`` (a month or a year: its last day), so every output names the same day."""
        from geostress.data.store import period_bound
        from geostress.errors import DataError

        if value is None:
            return None
        try:
            day = period_bound(value, "data_as_of", "end")
        except DataError:
            raise ValueError(f"{value!r} is not a date: give YYYY-MM-DD (or YYYY-MM for the month's last day), "
                             "or leave it out to read all the store holds") from None
        return f"{day:%Y-%m-%d}"


class Simulation(_Section):
    paths: int = Field(10_000, ge=0, le=5_000_000, description="stochastic paths (0: deterministic only)")
    seed: int = Field(20260201, ge=0)
    chunk_paths: int = Field(16_384, ge=1_024, le=262_144)


class Fiscal(_Section):
    issuance_shares: dict[str, float] | None = Field(None, description="share of gross borrowing by tenor")
    fiscal_risk_premium_bp_per_pp: float = Field(2.0, ge=0.0, le=10.0)
    fed_reserves_bn: float | None = Field(
        None, ge=0.0, le=20_000.0,
        description="reserve balances the Fed pays interest on, USD bn; None: $3tn (today's size) for a baseline "
        "starting from October 2008, when the Fed began paying interest on reserves, none before",
    )
    fed_share_of_debt: float | None = Field(None, ge=0.0, lt=1.0)
    nominal_growth: float | None = Field(
        None, ge=-0.05, le=0.15,
        description="constant nominal GDP growth; None: CBO's projected path (economic projections of the "
        f"baseline's vintage or the one before; {DEFAULT_NOMINAL_GROWTH:.0%} a year for baselines before 2025)",
    )
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
    start_year: int | None = Field(None, ge=1980, le=2100,
                                   description="first fiscal year of the shocks, within the run's fiscal years "
                                               "(None: from the run's start)")


#: The largest gain of the gap–inflation loop a run accepts (:meth:`Macro.loop_gain`): at 1 the loop stops
#: converging when the policy rate cannot move (at its floor) and a rate shock becomes a deflation spiral; 0.7 leaves
#: room for the fiscal loop on top (a 100 bp term-premium shock on the baseline exploded debt/GDP at a gain of
#: ≈1: is_slope 0.18, gain 1.0, or phillips_slope 0.04, gain 1.3, the other parameters at their defaults; at 0.16,
#: gain 0.89, debt/GDP reached 717% by FY2055).
MAX_MACRO_LOOP_GAIN = 0.7
_MACRO_DEFAULTS = MacroParams()
_LOOP_FIELDS = ("is_slope", "phillips_slope", "rho_gap", "rho_inflation")


class Macro(_Section):
    """Overrides of the fiscal engine's gap model (:class:`geostress.model.fiscal.MacroParams`; unset: its defaults).

    The IS-curve and Phillips-curve parameters are bounded so that no accepted value makes a deterministic run
    explode: with ``is_slope = 0.66`` (the old bound was 1) ``dash-for-cash`` ended at 817% debt/GDP and ``contagion``
    stopped on NaN at 1. At each end of its range each parameter keeps the presets (baseline, china-sells-300bn,
    dash-for-cash, contagion) within 0.2 of the default's debt/GDP at the horizon (tests/test_inputs_fuzz.py), and
    together they must keep :meth:`loop_gain` at most :data:`MAX_MACRO_LOOP_GAIN`. Neither docs/fiscal.md nor the
    calibration reference states a range for these parameters ("conventional small-model values"); the bounds come
    from the presets' stability and the sources in each field's description.
    """

    shock_scale: float = Field(1.0, ge=0.0, le=5.0, description="multiplies the estimated shock std devs")
    rho_gap: float | None = Field(
        None, ge=0.0, le=0.99,
        description=f"monthly output-gap persistence (None: {_MACRO_DEFAULTS.rho_gap}, ≈0.91 a quarter); at most 0.99 "
                    "(0.97 a quarter, above the 0.8–0.9 of conventional small models, docs/fiscal.md): nearer 1 the "
                    "gap–inflation loop stops converging (see is_slope)")
    is_slope: float | None = Field(
        None, ge=0.0, le=0.1,
        description=f"IS curve: output-gap response per month to the real long-rate gap (None: "
                    f"{_MACRO_DEFAULTS.is_slope}, ≈0.1 a quarter as in Rudebusch and Svensson 1999, 'Policy Rules for "
                    "Inflation Targeting'); at most 0.1 (three times that): steeper, a rate shock feeds a deflation "
                    "spiral in which debt/GDP explodes (presets from ≈0.4; a 100 bp premium shock from 0.18), and "
                    "is_slope × phillips_slope / ((1 − rho_gap)(1 − rho_inflation)) must stay ≤ "
                    f"{MAX_MACRO_LOOP_GAIN:g}")
    rho_inflation: float | None = Field(
        None, ge=0.0, le=0.99,
        description=f"monthly persistence of the inflation deviation (None: {_MACRO_DEFAULTS.rho_inflation}); at most "
                    "0.99, as rho_gap")
    phillips_slope: float | None = Field(
        None, ge=0.0, le=0.02,
        description=f"Phillips curve: inflation response per month to the output gap (None: "
                    f"{_MACRO_DEFAULTS.phillips_slope}, a long-run slope of ≈0.17 pp per 1% of gap, flat as post-1990 "
                    "US estimates are); at most 0.02 (four times that): steeper, a rate shock feeds a deflation "
                    "spiral in which debt/GDP explodes (presets from ≈0.08–0.1; a 100 bp premium shock from 0.04), "
                    "and the loop gain bound of is_slope applies")
    rho_policy: float | None = Field(None, ge=0.0, lt=1.0)
    lower_bound: float | None = Field(None, ge=-0.02, le=0.05)
    rho_term_premium: float | None = Field(None, ge=0.0, lt=1.0)
    rho_primary_balance: float | None = Field(None, ge=0.0, lt=1.0)
    fiscal_response: float | None = Field(None, ge=0.0, le=0.5, description="Bohn (1998) response, ≈0.05")

    def loop_gain(self) -> float:
        """Gain of the gap–inflation loop with the policy rate held (at its floor): ``is_slope × phillips_slope /
        ((1 − rho_gap)(1 − rho_inflation))``, unset parameters at the model's defaults.

        A lower gap lowers inflation, which raises the real long rate and lowers the gap again; the 2×2 system
        ``x' = ρₓx + βπ``, ``π' = ρ_π π + κx'`` converges exactly when this gain is below 1 (its characteristic
        polynomial at 1 is ``(1 − ρₓ)(1 − ρ_π) − βκ``). Defaults: 0.03 × 0.005 / (0.03 × 0.03) ≈ 0.17.
        """
        v = {name: getattr(_MACRO_DEFAULTS, name) if getattr(self, name) is None else getattr(self, name)
             for name in _LOOP_FIELDS}
        return v["is_slope"] * v["phillips_slope"] / ((1.0 - v["rho_gap"]) * (1.0 - v["rho_inflation"]))

    @model_validator(mode="after")
    def _loop_converges(self, info: ValidationInfo) -> Macro:
        """Refuse parameters that together put :meth:`loop_gain` above :data:`MAX_MACRO_LOOP_GAIN` (each may be
        within its own bound), naming the ones set (those an override changed first) and the value of each that
        would be accepted with the others as given."""
        gain = self.loop_gain()
        if gain <= MAX_MACRO_LOOP_GAIN:
            return self
        changed = info.context.get(knobs.CONTEXT_PATHS, ()) if isinstance(info.context, dict) else ()
        named = [n for n in _LOOP_FIELDS if f"macro.{n}" in changed] or \
            [n for n in _LOOP_FIELDS if getattr(self, n) is not None]
        v = {n: getattr(_MACRO_DEFAULTS, n) if getattr(self, n) is None else getattr(self, n) for n in _LOOP_FIELDS}
        room = MAX_MACRO_LOOP_GAIN / gain  # the factor the gain must fall by
        fixes = []
        for n in named:
            if n in ("is_slope", "phillips_slope"):
                fixes.append(f"macro.{n} at most {math.floor(v[n] * room * 1e5) / 1e5:g}")
            else:  # a persistence: the gain scales with 1 / (1 − ρ)
                fixes.append(f"macro.{n} at most {math.floor((1.0 - (1.0 - v[n]) / room) * 1e4) / 1e4:g}")
        shown = ", ".join(f"{n} = {v[n]:g}" + ("" if getattr(self, n) is not None else " (default)")
                          for n in _LOOP_FIELDS)
        raise knobs.FieldError(
            f"{', '.join(f'macro.{n}' for n in named)}: together these make the gap–inflation loop's gain "
            f"is_slope × phillips_slope / ((1 − rho_gap)(1 − rho_inflation)) = {gain:.3g} ({shown}), above "
            f"{MAX_MACRO_LOOP_GAIN:g}: a rate shock would feed a deflation spiral in which debt/GDP explodes; give "
            f"{' or '.join(fixes)} (with the others as given)", f"macro.{named[0]}" if named else "macro")


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
    """The Treasury price-impact block (:mod:`geostress.model.market`); switched on by any sale or announcement.

    Each path draws the parameters from their stated priors (:class:`~geostress.model.market.MarketPriors`); a
    number here fixes one on every path. ``loading_5y`` is not drawn: one value serves every path (the prior's
    median unless set here), and the fiscal engine prices every term-premium deviation at every tenor with it.
    Bounds are sanity bounds, not calibration floors (docs/market.md).
    """

    enabled: bool = False
    backstop: bool = Field(True, description="Fed market-functioning backstop (calibrated to March 2020)")
    fima: bool = Field(True, description="FIMA repo takes liquidity-motivated official sales off the market")
    bill_shift: bool = Field(True, description="the Treasury tilts issuance to bills when the premium is high")
    value_buyers: bool = Field(True, description="value buyers return when the term premium is far above where it "
                                                 "started (more than 75 bp above the baseline, not a historical norm)")
    monetary_offset: bool = Field(
        True, description="the fiscal engine's policy rule answers the output gap and inflation the premium moves "
                          "(false: the policy rate keeps the path it takes without the market's events)")
    persistent_bp_per_pp: float | None = Field(None, ge=0.0, le=50.0, description="prior 2–8 (central 4)")
    flow_bp_per_pp: float | None = Field(None, ge=0.0, le=1000.0, description="prior 60–170")
    flow_half_life_months: float | None = Field(None, ge=0.05, le=60.0, description="prior 1–4")
    rolldown_half_life_years: float | None = Field(None, ge=0.5, le=100.0, description="prior 5–15")
    loading_5y: float | None = Field(
        None, ge=0.0, le=1.5,
        description="share of the 10-year term-premium effect carried at 5 years, one value on every path and the "
                    "5-year knot of the fiscal engine's tenor curve (None: the evidence's median 0.65; range 0.5–0.8)")
    fed_flow_weight: float | None = Field(None, ge=0.0, le=1.0,
                                          description="flow weight of the Fed's announced programmes (prior 0–0.2)")
    supply_flow_weight: float | None = Field(None, ge=0.0, le=1.0,
                                             description="flow weight of auctioned supply (prior 0–0.3)")
    flight_to_quality: float | None = Field(
        None, ge=0.0, le=1.0,
        description="share of a liquidity-motivated official sale met by private flight-to-quality buying "
                    "(prior 0.2–0.6)")
    fima_share: float | None = Field(
        None, ge=0.0, le=1.0,
        description="share of scheduled liquidity-motivated official sales the FIMA repo facility takes off the "
                    "market (prior 0.3–0.8)")
    backstop_trigger_bp: float | None = Field(
        None, ge=0.0, le=1000.0,
        description="flow pressure at which the Fed's backstop buys at its full pace in a dash for cash (prior "
                    "10–30 bp; nothing below half of it)")
    backstop_speed_per_month: float | None = Field(
        None, ge=0.0, le=40.0,
        description="rate per month at which the backstop buys away the pressure beyond half its trigger; a step "
                    "of dt months removes 1 − exp(−rate·dt) of it (prior 2.7–9)")
    backstop_orderly_trigger_bp: float | None = Field(
        None, ge=0.0, le=1000.0,
        description="the backstop's trigger for orderly selling, no liquidity stress (prior 160–220; a value below "
                    "backstop_trigger_bp counts as it)")
    bill_shift_share: float | None = Field(
        None, ge=0.0, le=0.9,
        description="share of the persistent premium's excess over 25 bp that tilting issuance to bills removes "
                    "(prior 0–0.4)")
    value_share: float | None = Field(
        None, ge=0.0, le=0.9,
        description="share of the term premium's excess over 75 bp above the baseline that value buyers buy away "
                    "(prior 0.1–0.5)")

    @model_validator(mode="before")
    @classmethod
    def _removed_offset(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if "offset_share" in data:
            raise knobs.FieldError("offset_share was removed: the monetary offset is the fiscal engine's policy rule "
                                   "(the policy rate answers the output gap and inflation the premium moves, and "
                                   "every maturity carries the expected policy path; docs/market.md), switched by "
                                   "monetary_offset = true or false; delete the line", "market.offset_share")
        share = data.get("monetary_offset")
        if isinstance(share, (int, float)) and not isinstance(share, bool):
            raise knobs.FieldError(f"monetary_offset = {share!r}: the share of the premium it once took off the "
                                   "10-year was removed; it is now a switch: true (the fiscal engine's policy rule "
                                   "answers the output gap and inflation the premium moves) or false (the policy "
                                   "rate keeps its path without the market's events; docs/market.md)",
                                   "market.monetary_offset")
        return data


class ContagionSection(_Section):
    """Contagion and the trust contract (docs/contagion.md, :mod:`geostress.model.contagion`): liquidity runs and
    confidence shifts among foreign official, foreign private and domestic private holders, every parameter drawn
    per path from the stated priors (the deterministic path takes their medians)."""

    enabled: bool = False
    scale: float = Field(1.0, ge=0.0, le=5.0,
                         description="multiplies every class's run and diversification scale and the exposed share "
                                     "of official holdings (1 = the stated priors; 0 sells nothing)")
    cascade_threshold: float = Field(0.03, gt=0.0, le=1.0,
                                     description="a path cascades when the three classes' weighted net selling "
                                                 "within the window exceeds this share of their holdings")
    cascade_window_months: int = Field(12, ge=1, le=120)
    loop_gain_ceiling: float = Field(0.9, ge=PEER_GAIN_HIGH, lt=1.0,
                                     description="ceiling on the loop gain of selling feeding selling, through "
                                                 "peers and through the premium together (below 1: no knife edge; "
                                                 f"at least {PEER_GAIN_HIGH:g}, the peer channel's highest gain "
                                                 "in its prior, which the ceiling must leave room for)")


class Sale(_Section):
    """A named holder sells ``amount_bn`` evenly over ``months`` months from ``start_month`` (1 = first)."""

    holder: str = Field(min_length=1, max_length=100,
                        description="a holder sector, e.g. china_mainland_official (not a holder group or a country: "
                                    "`geostress market impact --holder` takes those)")
    amount_bn: float = Field(gt=0.0, le=20_000.0,
                             description="USD bn sold (> 0): [[sales]] schedules sales only, there is no scheduled "
                                         "purchase")
    months: int = Field(1, ge=1, le=600)
    start_month: int = Field(1, ge=1, le=600)
    motive: Literal["diversification", "liquidity"] = Field(
        "diversification", description="liquidity: FX defence or dash for cash (flight-to-quality, FIMA repo apply)")

    @field_validator("amount_bn", mode="before")
    @classmethod
    def _sold(cls, value: Any) -> Any:
        """The bound's message in words: a zero or negative amount is not a sale (the bound ``gt=0`` stays)."""
        if isinstance(value, int | float) and not isinstance(value, bool) and value <= 0:
            raise ValueError("[[sales]] schedules sales only: give the USD bn sold, greater than 0 (there is no "
                             "scheduled purchase; to leave a holder out, remove its [[sales]] entry)")
        return value

    @field_validator("holder")
    @classmethod
    def _sector_id(cls, value: str) -> str:
        """Read as ``geostress market impact --holder`` reads a name: case, spaces and hyphens do not matter
        (``China-Mainland-Official`` is the sector ``china_mainland_official``)."""
        from geostress.data.sources.base import slugify

        return slugify(value) or value


class Announcement(_Section):
    """A public (or private) signal in ``month``, e.g. a pension fund selling $0.1bn citing US solvency."""

    month: int = Field(1, ge=1, le=600)
    intensity: float = Field(1.0, ge=0.0, le=100.0)
    amount_bn: float = Field(0.0, ge=0.0, le=1000.0, description="the announced sale itself, executed")
    public: bool = True


class Threat(_Section):
    """A threat against sellers in ``month``, e.g. the US warning at Davos (January 2026) of retaliation against
    foreign holders who sell: it deters foreign holders' new diversification now (not a liquidity run's sales for
    cash) and raises reserve managers' perceived freeze risk, which the reserves block turns into slower,
    persistent diversification (docs/contagion.md)."""

    month: int = Field(1, ge=1, le=600)
    intensity: float = Field(1.0, ge=0.0, le=10.0, description="1 = a head-of-government warning of retaliation")


class LiquidityShock(_Section):
    """A dash for cash in ``month``: ``intensity`` times March 2020's liquidity stress (1.0, 0.5 and 0.2 over three
    months from ``month``), the signal of the contagion block's fast runs (docs/contagion.md) and, up to 1, the
    share of the other selling the backstop meets from its dash-for-cash trigger (docs/market.md). 1 = March
    2020."""

    month: int = Field(1, ge=1, le=600)
    intensity: float = Field(1.0, ge=0.0, le=5.0,
                             description="1 = the March-2020 dash for cash; a month's runs saturate at about 1 of "
                                         "stress, so more does not scale March 2020 up: it lengthens the run (the "
                                         "stress is the intensity × 1, 0.5, 0.2 over three months; docs/cli.md)")


class ReservesSection(_Section):
    """A reserve manager's rebalancing under freeze risk (``geostress reserves``), fed to the market as sales.

    When enabled, the runner computes the holder's optimal reserve weights at ``freeze_probability`` and the
    rebalancing path at no more than ``max_pace`` turnover a month; the Treasury sales along that path become
    ``[[sales]]`` of the holder's official sector, starting in ``start_month`` (added to any sales the file lists).
    """

    enabled: bool = False
    holder: str = Field("China", min_length=1, description="a modelled reserve holder (geostress reserves)")
    freeze_probability: float = Field(0.02, ge=0.0, le=1.0, description="annual probability of an asset freeze")
    max_pace: float = Field(0.005, ge=MIN_PACE, le=0.1,
                            description=f"largest monthly turnover, share of reserves (at least {MIN_PACE:g}: a "
                                        "slower pace implies a schedule of thousands of months; the path's sales must "
                                        "also end within the horizon)")
    method: Literal["mv", "cvar"] = "mv"
    risk_aversion: float = Field(8.0, gt=0.0, le=100.0)
    as_of: str | None = Field(None, description="month of the current portfolio (YYYY-MM); default: latest")
    start_month: int = Field(1, ge=1, le=600, description="month of the first sale (within the horizon)")

    @field_validator("as_of")
    @classmethod
    def _month(cls, value: str | None) -> str | None:
        """``YYYY-MM`` with a month 01–12 (``2013-13`` was an internal error at run time)."""
        if value is None:
            return value
        try:
            return parse_month(value)
        except ScenarioError:
            raise ValueError(f"{value!r} is not a month: give YYYY-MM with a month 01–12 (e.g. 2024-11), or leave "
                             "it out for the latest month with data") from None


class ScenarioSpec(_Section):
    """A whole scenario. Build it with :func:`load_scenario` (TOML), :func:`parse_scenario` (a dict, errors as
    :class:`ScenarioError`) or directly in Python.

    Change a spec with :meth:`with_overrides` (``spec.with_overrides(**{"simulation.paths": 1000})``), which
    validates every value; pydantic's ``model_copy(update=...)`` skips validation (:func:`run_scenario
    <geostress.run.engine.run_scenario>` validates the spec again and refuses such a copy naming the field)."""

    kind: Literal["scenario"] = "scenario"
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
    reserves: ReservesSection = Field(default_factory=ReservesSection)
    threats: list[Threat] = Field(default_factory=list)
    liquidity_shocks: list[LiquidityShock] = Field(default_factory=list)

    @model_validator(mode="after")
    def _signals_need_contagion(self) -> ScenarioSpec:
        """Threats act only through the contagion block (investors' responses), and liquidity shocks through it or
        through the backstop's dash-for-cash trigger against scheduled sales and announced sales: with nothing for
        them to act on they would do nothing, silently. An announcement's ``amount_bn`` is sold whether or not
        contagion is on; its ``intensity`` is a signal to investors' responses only (and only when ``public``): an
        announcement with no amount does nothing with [contagion] off, a private one with no amount never does."""
        for i, note in enumerate(self.announcements):
            if note.amount_bn == 0.0 and not note.public:
                raise knobs.FieldError(
                    f"announcements[{i}] is private (public = false) and sells nothing (amount_bn = 0): a private "
                    "announcement is its sale only, not a signal, so it would do nothing; give "
                    f"announcements[{i}].amount_bn (the USD bn sold), set public = true, or remove it",
                    f"announcements[{i}].amount_bn")
        if self.contagion.enabled:
            return self
        if self.threats:
            raise knobs.FieldError("threats act only through investors' responses, and [contagion] is off: set "
                                   "[contagion] enabled = true, or remove them", "contagion.enabled")
        for i, note in enumerate(self.announcements):
            if note.amount_bn == 0.0:
                raise knobs.FieldError(
                    f"announcements[{i}] sells nothing (amount_bn = 0) and its intensity acts only through "
                    "investors' responses, but [contagion] is off: it would do nothing; set [contagion] enabled = "
                    f"true, give announcements[{i}].amount_bn (the USD bn sold, booked as foreign private selling), "
                    "or remove it", "contagion.enabled")
        if self.liquidity_shocks and not (self.sales or self.announcements):
            raise knobs.FieldError("liquidity_shocks act through investors' responses (the contagion block's runs) or "
                                   "through the backstop's dash-for-cash trigger against scheduled sales, and here "
                                   "[contagion] is off and nothing is sold: set [contagion] enabled = true, add "
                                   "[[sales]], or remove them", "contagion.enabled")
        return self

    @model_validator(mode="after")
    def _market_cannot_be_switched_off(self, info: ValidationInfo) -> ScenarioSpec:
        """``market.enabled = false`` set as an override (``--set``, a sweep's design: the paths
        :func:`geostress.spec.knobs.set_many` passes in the context) cannot switch the block off while the scenario
        has events or blocks that run it (:attr:`coupled_because`): refused rather than ignored. In a file the line
        is the default (``scenarios show`` and saved runs write every default), and the report says "false (ran
        anyway)"."""
        changed = info.context.get(knobs.CONTEXT_PATHS, ()) if isinstance(info.context, dict) else ()
        if "market.enabled" in changed and not self.market.enabled and self.coupled_because:
            raise knobs.FieldError(
                "market.enabled = false cannot switch the market block off: the block runs whenever a scenario has "
                "sales, announcements, threats or liquidity shocks or has contagion or reserves on (here: "
                f"{', '.join(self.coupled_because)}), and enabled = true only switches it on without them. To run "
                "without the block, remove those and switch [contagion] and [reserves] off (e.g. run `baseline`); "
                "otherwise leave market.enabled out", "market.enabled")
        return self

    @property
    def coupled(self) -> bool:
        """Whether the Treasury-market (and contagion) loop runs inside the fiscal engine (an enabled
        ``[reserves]`` section becomes sales, :func:`geostress.run.reserves.with_reserve_sales`)."""
        return self.market.enabled or bool(self.coupled_because)

    @property
    def coupled_because(self) -> list[str]:
        """What makes the loop run besides ``[market] enabled``: the scheduled events and the blocks switched on
        (the report's full-specification table names them)."""
        reasons = [("sales", bool(self.sales)), ("announcements", bool(self.announcements)),
                   ("threats", bool(self.threats)), ("liquidity shocks", bool(self.liquidity_shocks)),
                   ("contagion on", self.contagion.enabled), ("reserves on", self.reserves.enabled)]
        return [name for name, present in reasons if present]

    @property
    def name(self) -> str:
        return self.scenario.name

    def check_shock_years(self, first_year: int, last_year: int) -> None:
        """Refuse a ``shocks.start_year`` outside the run's fiscal years ``first_year``..``last_year`` (known once
        the baseline vintage is resolved): past the horizon the shocks would silently do nothing, before the start
        they would silently start with the run (``shocks.start_year = 2100`` ran as the baseline).

        Raises
        ------
        ScenarioError
            Naming ``shocks.start_year`` (its ``parameter``) and the years to give.
        """
        start = self.shocks.start_year
        if start is None or first_year <= start <= last_year:
            return
        where = "after the run's last" if start > last_year else "before the run's first"
        raise ScenarioError(f"shocks.start_year = {start} is {where} fiscal year: the run covers FY{first_year}–"
                            f"FY{last_year} ({self.scenario.baseline}, scenario.horizon_years = "
                            f"{self.scenario.horizon_years}); give a year from {first_year} to {last_year}, or leave "
                            "it out to start the shocks with the run", parameter="shocks.start_year")

    def with_overrides(self, **changes: Any) -> ScenarioSpec:
        """A copy with path overrides (:mod:`geostress.spec.knobs`), e.g. ``with_overrides(**{"simulation.paths":
        1000, "sales[0].amount_bn": 150})``."""
        return knobs.set_many(self, changes, origin="overrides")


def parse_scenario(data: dict[str, Any], *, origin: str = "scenario",
                   sources: tuple[tuple[Path, dict[str, Any]], ...] = ()) -> ScenarioSpec:
    """Validate a scenario dict.

    ``sources`` (:attr:`geostress.spec.documents.Document.sources`) are the files ``data`` was merged from: an error
    in a field names the file that set it and its line ("base.toml, line 2 (extended by mine.toml)"), not ``origin``. A
    field no model has gets the nearest names ("did you mean 'fiscal_risk_premium_bp_per_pp'?").

    Raises
    ------
    ScenarioError
        Naming each bad field and its allowed range, with ``parameter`` the first one as a knob path
        (``market.backstop_trigger_bp``, ``sales[0].amount_bn``; :func:`geostress.spec.knobs.error_parameter`): the
        field a section's or the scenario's own check names (``macro.is_slope``, ``contagion.enabled``), else the
        field pydantic locates, the order being the scenario's field order, as in the message.
    """
    try:
        return ScenarioSpec.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        loc = tuple(errors[0]["loc"]) if errors else ()
        origin = field_origin(sources, loc, origin)
        hint = functools.partial(knobs.unknown_field_hint, ScenarioSpec)
        raise ScenarioError(knobs.format_validation_error(exc, origin, hint), parameter=knobs.error_parameter(exc)) \
            from None


def load_scenario(reference: str | Path) -> ScenarioSpec:
    """Read and validate a scenario: a TOML file path or a preset name (:mod:`geostress.spec.presets`).

    ``extends`` is followed (see the module docstring); a file whose stated or inferred kind is not a scenario
    (a minerals or sweep file) is refused with a message naming the command that reads it.
    """
    doc = load_document(reference, expect="scenario")
    return parse_scenario(named_after_file(doc.path, doc.data), origin=str(doc.path), sources=doc.sources)


@contextmanager
def blamed_on_file(reference: str | Path, overridden: Collection[str] = ()) -> Iterator[None]:
    """Name the scenario file in a :class:`ScenarioError` raised inside the block by a run of the scenario read from
    ``reference`` (a path or a preset name): the checks a run makes of its events (an unknown holder, a sale larger
    than its holdings, an event past the horizon) come after the file was read, and their message names the field
    only. The field the error's ``parameter`` names is located as a schema error's is (:func:`field_origin`:
    the file that sets it, its line, the file extending it). When ``overridden`` (the paths set on the command
    line: ``--set``, ``--paths``...) touches an event list or the horizon, the file is named without a line and
    those settings are listed, as any of them may be what was refused. The error is raised again with the same
    ``parameter``; one that already names the file, or that names no event field (the store's baseline, a command
    option), is left as it is.

    Raises
    ------
    ScenarioError
        The error raised in the block, its message led by where the field was set.
    """
    try:
        yield
    except ScenarioError as exc:
        parameter = exc.parameter
        if not parameter or parameter.split(".")[0].split("[")[0] not in _EVENT_LISTS:
            raise  # (not an event's field: the store, a command option, a check of the whole scenario)
        try:
            doc = load_document(reference, expect="scenario")
        except ScenarioError:  # (the file changed under the run: keep the error as it was)
            raise exc from None
        where = str(doc.path)
        if where in str(exc):
            raise
        # the events are checked together (sales and announcements against holdings, every event against the
        # horizon): a command-line setting of any of them, or of the horizon, may be what the check refused
        touched = [path for path in overridden if path.split(".")[0].split("[")[0] in _EVENT_LISTS
                   or path == "scenario.horizon_years" or path == "scenario"]
        if touched:
            where += f" (with {', '.join(touched)} set on the command line)"
        else:
            try:
                loc = tuple(knobs.parse_path(parameter))
            except ScenarioError:
                loc = ()
            where = field_origin(doc.sources, loc, where) if loc else where
        raise ScenarioError(f"{where}: {exc}", parameter=parameter, usage=exc.usage) from None


#: The scenario's event lists, whose run-time checks :func:`blamed_on_file` locates in the file.
_EVENT_LISTS = frozenset({"sales", "announcements", "threats", "liquidity_shocks"})


def named_after_file(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with ``[scenario] name`` set to the file's stem when the file at ``path`` does not state one itself.

    A name inherited through ``extends`` (or the default, "baseline", of an empty file) would otherwise label a
    different scenario as its base and send its output, without ``--out``, into the base's folder (``out/baseline``),
    over the base's own run. A name the file states is kept.
    """
    from geostress.util.tomlfile import read_toml

    own = read_toml(path).get("scenario")
    if isinstance(own, dict) and "name" in own:
        return data
    section = data.get("scenario", {})
    if not isinstance(section, dict):  # not a table: parse_scenario says so
        return data
    return {**data, "scenario": {**section, "name": path.stem[:80] or "scenario"}}
