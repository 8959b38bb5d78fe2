"""Market routes: the holder sectors a scenario's sales can name, and the check of a run's sales at submission."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from geostress.errors import DataError, ScenarioError, StoreError
from geostress.run.market import DEFAULT_SEED, MAX_MONTHS, MIN_MONTHS
from geostress.service import schemas as s
from geostress.service import views
from geostress.service.payloads import dumps
from geostress.service.routers.responses import E422, E503
from geostress.service.routing import ServiceContext, StrictJSONRoute, field_error, in_thread, raw


def holders_for_baseline(ctx: ServiceContext, baseline: str) -> Any:
    """Holder sectors on the day before a run calibrated to ``baseline`` starts (cached until the store changes)."""
    return ctx.caches.market.compute(baseline, lambda: views.market_holders(ctx.store, baseline))


def earliest_market_baseline(ctx: ServiceContext) -> str | None:
    """The first CBO baseline (``cbo:YYYY-MM``) whose run the market's series cover, or ``None`` when none is.

    Vintages are in time order and a later vintage starts its run later, so a bisection finds it in a few reads.
    """
    from geostress.calibrate.fiscal import cbo_vintages

    def find() -> str:
        vintages = [f"cbo:{v:%Y-%m}" for v in cbo_vintages(ctx.store)]
        lo, hi = 0, len(vintages)
        while lo < hi:
            mid = (lo + hi) // 2
            try:
                holders_for_baseline(ctx, vintages[mid])
            except (ScenarioError, DataError):
                lo = mid + 1
            else:
                hi = mid
        return vintages[lo] if lo < len(vintages) else ""

    return ctx.caches.market.compute("earliest-market-baseline", find) or None


def baseline_problem(ctx: ServiceContext, baseline: str, market: bool) -> str | None:
    """Why a run calibrated to the CBO ``baseline`` would fail before any work, in the terms of ``baseline``, else
    ``None``: a vintage the store lacks, or (``market``: the run has a market block) one whose run starts before the
    market's series cover it. :class:`~geostress.errors.StoreError` (the store cannot be read) propagates."""
    from geostress.calibrate.fiscal import parse_baseline_spec

    try:
        if not market:
            ctx.caches.market.compute(("vintage", baseline), lambda: parse_baseline_spec(baseline, ctx.store))
            return None
        holders_for_baseline(ctx, baseline)
    except StoreError:
        raise
    except ScenarioError as exc:
        return str(exc)
    except DataError as exc:
        why = str(exc).split(";")[0]
        earliest = earliest_market_baseline(ctx)
        choose = (f"choose baseline {earliest} or a later one (or cbo:latest)" if earliest
                  else "import the market's series (`geostress data update`)")
        return (f"baseline {baseline!r} is too early for the market block: the market's series do not cover the "
                f"start of its run ({why}); {choose}")
    return None


def pinned_problem(ctx: ServiceContext, spec: Any) -> tuple[list[str | int], str] | None:
    """For a spec pinned to a day (``scenario.data_as_of``): where (the field's location in the request body) and
    why its run would fail before any work on the data of that day, else ``None``. The day itself (after today, or
    before a series the run reads was released) and the baseline are checked by calibrating on that day's data (the
    calibration is remembered for the run); sales and announcements against the holders of that day.
    :class:`~geostress.errors.StoreError` (the store cannot be read) propagates."""
    from geostress.run.coupled import check_events, holders_for
    from geostress.run.inputs import calibrate_for, store_for

    where = ["body", "spec", "scenario", "data_as_of"]
    try:
        store = store_for(spec, ctx.store)
        calib = calibrate_for(spec, store)
        holders = holders_for(store, calib) if spec.coupled else None
    except StoreError:
        raise
    except (ScenarioError, DataError) as exc:
        on_baseline = str(exc).startswith(f"baseline {spec.scenario.baseline!r}")
        return ([*where[:3], "baseline"] if on_baseline else where), str(exc)
    if holders is not None and (spec.sales or spec.announcements):
        try:
            check_events(spec, holders)
        except ScenarioError as exc:
            return event_location(spec, exc), str(exc)
    return None


def event_location(spec: Any, exc: ScenarioError) -> list[str | int]:
    """Where in the request body a refused event is: the field the error names (``announcements[0].amount_bn`` →
    ``["body", "spec", "announcements", 0, "amount_bn"]``), else the list of sales (or of announcements)."""
    from geostress.spec.knobs import parse_path

    if exc.parameter:
        try:
            return ["body", "spec", *parse_path(exc.parameter)]
        except ScenarioError:
            pass
    return ["body", "spec", "sales" if spec.sales else "announcements"]


def events_problem(ctx: ServiceContext, spec: Any) -> tuple[list[str | int], str] | None:
    """Where (:func:`event_location`) and why a run would fail for its sales or announcements, else ``None``."""
    from geostress.run.coupled import check_events

    try:
        check_events(spec, holders_for_baseline(ctx, spec.scenario.baseline))
    except ScenarioError as exc:
        return event_location(spec, exc), str(exc)
    return None


#: Most parameter draws of ``GET /api/market/impact`` (the CLI allows more): the answer runs the block twice
#: (backstop on and off) on draws × months arrays: 5,000 draws of a 240-month sale take ≈0.3 s and ≈100 MB.
MAX_SERVICE_IMPACT_DRAWS = 5_000
#: The CLI's option names in :func:`geostress.run.market.impact`'s messages → the query's field names.
_FIELDS = {"--holder": "holder", "--amount-bn": "amount_bn", "--months": "months", "--at": "at",
           "--motive": "motive", "--backstop": "backstop", "--fima": "fima", "--draws": "draws", "--seed": "seed",
           "--liquidity-stress": "liquidity_stress", "--as-of": "data_as_of"}
_OPTION = re.compile("|".join(re.escape(option) for option in sorted(_FIELDS, key=len, reverse=True)))


def in_query_names(text: str) -> str:
    """``text`` with the CLI's option names (``--amount-bn``) as the query's field names, quoted (```amount_bn```):
    "choose `at` from 2002-12 …, or leave `at` out"."""
    return _OPTION.sub(lambda m: f"`{_FIELDS[m.group(0)]}`", text)


def impact_payload(ctx: ServiceContext, holder: str, amount_bn: float, months: int, at: str | None, backstop: bool,
                   motive: str, draws: int, seed: int, fima: bool = True, data_as_of: str | None = None,
                   liquidity_stress: float = 0.0) -> bytes:
    """``geostress market impact --json``'s answer, encoded, its notes in the query's names (``data_as_of``: the
    store as it stood that day, :func:`geostress.run.inputs.data_day`)."""
    from geostress.run.inputs import data_day
    from geostress.run.market import impact

    day = data_day(data_as_of, "data_as_of")
    result = impact(ctx.store.known_on(day), holder, amount_bn, months, at=at, backstop=backstop, draws=draws,
                    seed=seed, motive=motive, fima=fima, liquidity_stress=liquidity_stress)
    out = {**result.to_json(), "data_as_of": day}
    for key in ("range_note", "stabilisers_note"):  # in the query's names ("give draws 21 or more")
        if out[key]:
            out[key] = in_query_names(out[key])
    return dumps(out)


def impact_error(exc: ScenarioError | DataError) -> JSONResponse:
    """The error of :func:`geostress.run.market.impact` as a 422 naming the query field it is about (the error's
    ``parameter``, which is the query's name; the query as a whole when it names none), in the query's names."""
    parameter = "data_as_of" if exc.parameter == "known_by" else exc.parameter  # (a series not released by then)
    loc = ["query", parameter] if parameter in _FIELDS.values() else ["query"]
    return field_error(loc, in_query_names(str(exc)), "data_error" if isinstance(exc, DataError) else "scenario_error")


def build(ctx: ServiceContext) -> APIRouter:
    """``GET /api/market/sectors`` and ``GET /api/market/impact``."""
    router = APIRouter(route_class=StrictJSONRoute, tags=["scenarios"])

    @router.get("/api/market/impact", response_model=s.ImpactAnswer, responses={**E422, **E503})
    async def market_impact(
        holder: Annotated[str, Query(min_length=1, max_length=100, description="a TIC country (its official "
                                     "holdings), foreign_official, private, foreign_private, domestic_private or a "
                                     "holder sector; case, spaces and hyphens do not matter")],
        amount_bn: Annotated[float, Query(ge=0, le=1e6, allow_inf_nan=False, description="USD bn sold")],
        months: Annotated[int, Query(ge=MIN_MONTHS, le=MAX_MONTHS, description="months the sale is spread over")] = 1,
        at: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}(-\d{2})?$", description="the market of this "
                                        "month (YYYY-MM, or a YYYY-MM-DD naming its month, as the CLI's --at; "
                                        "default: the latest)")] = None,
        backstop: Annotated[Literal["on", "off"], Query(description="the Fed's backstop")] = "on",
        motive: Annotated[s.Motive, Query(description="why an official holder sells")] = "diversification",
        fima: Annotated[Literal["on", "off"], Query(description="the FIMA repo facility (a liquidity sale's; "
                                                    "opened 31 March 2020)")] = "on",
        liquidity_stress: Annotated[float, Query(ge=0, le=1, allow_inf_nan=False, description="the market's "
                                                 "liquidity stress in the sale's months: 0 orderly selling, 1 a "
                                                 "dash for cash (March 2020); the share of the sale's "
                                                 "pressure the backstop meets from its March-2020 trigger")] = 0.0,
        draws: Annotated[int, Query(ge=0, le=MAX_SERVICE_IMPACT_DRAWS, description="parameter draws (0: one path "
                                    "at the prior medians)")] = 1000,
        seed: Annotated[int, Query(ge=0, le=2**63 - 1, description="seed of the parameter draws")] = DEFAULT_SEED,
        data_as_of: Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="read only the "
                                                "data released by this day (YYYY-MM-DD; YYYY-MM or YYYY: its last "
                                                "day); default all the store holds")] = None,
    ) -> Any:
        """What a sale does to the 10-year term premium: ``geostress market impact --json`` (docs/market.md)."""
        key = ("impact", holder, amount_bn, months, at, backstop, motive, draws, seed, fima, data_as_of,
               liquidity_stress)
        try:
            body = await ctx.cached(ctx.caches.data, key, lambda: impact_payload(
                ctx, holder, amount_bn, months, at, backstop == "on", motive, draws, seed, fima == "on", data_as_of,
                liquidity_stress))
        except StoreError:
            raise  # the store cannot be read: the app's 503, not the query's fault
        except (ScenarioError, DataError) as exc:
            return impact_error(exc)
        return raw(body)

    @router.get("/api/market/sectors", response_model=s.MarketSectors, responses={**E422, **E503})
    async def market_sectors(
        baseline: Annotated[str, Query(pattern=r"^cbo:(latest|\d{4}-\d{2})$",
                                       description="CBO vintage the run is calibrated to")] = "cbo:latest",
    ) -> Any:
        """Holder sectors a scenario's sales can name, with their holdings at the run's start (USD bn)."""
        problem = await in_thread(baseline_problem, ctx, baseline, True)
        if problem is not None:
            return field_error(["query", "baseline"], problem, "scenario_error")
        holders = await in_thread(holders_for_baseline, ctx, baseline)
        return raw(dumps(views.market_sectors_payload(holders, baseline)))

    return router
