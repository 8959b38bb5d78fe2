"""The result of one scenario run: spec, calibration, deterministic path, fans and (for coupled runs) the market."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from geostress.model import market as mk
from geostress.model.fiscal import MacroParams, SimulationOutput
from geostress.model.priors import Prior
from geostress.results.coupled import CoupledOutput
from geostress.results.ensemble import QUANTILES, EnsembleResult, ratios

if TYPE_CHECKING:
    from geostress.calibrate.fiscal import CalibratedBaseline
    from geostress.calibrate.macro import PassThrough
    from geostress.spec.scenario import ScenarioSpec


@dataclass(frozen=True)
class ScenarioResult:
    """Everything one scenario run produced: the spec, the calibration, the deterministic path and the fans."""

    spec: ScenarioSpec
    calibration: CalibratedBaseline
    deterministic: SimulationOutput  # monthly detail, one path, zero shocks, scenario shocks applied
    ensemble: EnsembleResult | None
    pass_through: PassThrough
    macro: MacroParams
    # the market block's per-path output, None for a fiscal-only run: of the ensemble (of the deterministic path
    # when paths = 0), and of the deterministic path alone
    coupled: CoupledOutput | None = None
    coupled_deterministic: CoupledOutput | None = None
    #: ``geostress_version`` and ``data`` (the store's fingerprint) of the run
    #: (:func:`geostress.results.provenance.with_provenance`); ``None`` until recorded.
    provenance: dict[str, Any] | None = None

    @property
    def name(self) -> str:
        return self.spec.scenario.name

    def annual_frame(self) -> pd.DataFrame:
        """Deterministic fiscal-year table: debt, interest, deficits, revenue, GDP (USD bn), ratios and rates.

        Units: amounts in USD bn; ratios (``debt_to_gdp`` and the like) and rates (``yield_10y``,
        ``average_rate``, ``mortgage_30y``, ``baa_corporate``) as fractions (0.0402 is 4.02%), not the percent of
        the data store (``geostress.data.get("fred.dgs10")`` gives 4.02): multiply by 100 to compare."""
        out = self.deterministic
        frame = pd.DataFrame({name: out.annual_field(name)[0] for name in
                              ("debt", "interest", "deficit", "primary_deficit", "revenue", "gdp")},
                             index=pd.Index(out.fiscal_years, name="fiscal_year"))
        for var, values in ratios(out).items():
            frame[var] = values[0]
        debt_start = np.concatenate([[self.calibration.book.total], frame["debt"].to_numpy()[:-1]])
        frame["average_rate"] = frame["interest"] / ((debt_start + frame["debt"]) / 2.0)
        frame["mortgage_30y"] = self.pass_through.mortgage_rate(frame["yield_10y"].to_numpy())
        frame["baa_corporate"] = self.pass_through.baa_rate(frame["yield_10y"].to_numpy())
        return frame

    def to_frame(self) -> pd.DataFrame:
        """Tidy long output ``scenario, quantile, period, variable, value`` (fans and the deterministic path).

        Units as in :meth:`annual_frame`: ratios and rates (``variable == "yield_10y"``) are fractions (0.0402 is
        4.02%), not the percent of the data store; amounts USD bn."""
        if self.ensemble is not None:
            return self.ensemble.to_frame(self.name)
        wide = self.annual_frame()
        long = wide.reset_index().melt(id_vars="fiscal_year", var_name="variable", value_name="value")
        long = long.rename(columns={"fiscal_year": "period"})
        long.insert(0, "quantile", "deterministic")
        long.insert(0, "scenario", self.name)
        return long

    def summary(self) -> dict[str, object]:
        """JSON-ready headline numbers."""
        table = self.annual_frame()
        last = table.index[-1]
        calib = self.calibration
        out: dict[str, object] = {
            "scenario": self.name,
            "baseline_vintage": calib.cbo.vintage.isoformat(),
            "gdp_source": "" if getattr(calib, "gdp", None) is None else calib.gdp.source,
            "start": calib.start.isoformat(),
            "fiscal_years": [int(table.index[0]), int(last)],
            "deterministic": {
                "debt_to_gdp_last": float(table.at[last, "debt_to_gdp"]),
                "net_interest_to_gdp_last": float(table.at[last, "net_interest_to_gdp"]),
                "interest_to_revenue_last": float(table.at[last, "interest_to_revenue"]),
                "average_rate_last": float(table.at[last, "average_rate"]),
                "exploded": bool(self.deterministic.exploded[0]),
                # the first fiscal year debt held by the public is below zero (a surplus-era baseline carried past
                # CBO's window, e.g. January 2001: the engine lends at its own rates from then on); None: never
                "debt_below_zero_from": next((int(y) for y in table.index if table.at[y, "debt"] < 0), None),
            },
            # fiscal years whose CBO net interest the rate path could not match (model − CBO, USD bn): CBO's
            # surplus-era paydown, and the first years of near-zero bill rates (no yield at issue below zero)
            "calibration_misfit_bn": {str(y): round(float(v), 1) for y, v in calib.misfit_bn.items()},
            "book": {
                "total_bn": calib.book.total,
                "average_rate": calib.book.average_rate,
                "weighted_average_maturity_months": calib.book.weighted_average_maturity,
            },
        }
        out.update(self.headline())
        out["provenance"] = self.provenance_record()
        # the day the data are pinned to (scenario.data_as_of), as every other command's JSON names it; None: all
        data = out["provenance"]["data"]  # type: ignore[index]
        out["data_as_of"] = data.get("known_by") if isinstance(data, dict) else None
        if self.ensemble is not None:
            ens = self.ensemble
            out["ensemble"] = {
                "paths": ens.n_paths,
                "seed": ens.seed,
                "exploded_paths": ens.n_exploded,
                "probabilities": ens.probabilities,
                "debt_to_gdp_last": {f"p{round(q * 100):02d}": float(ens.fan["debt_to_gdp"][i, -1])
                                     for i, q in enumerate(QUANTILES)},
            }
        return out


    def provenance_record(self) -> dict[str, object]:
        """The summary's ``provenance``: ``geostress_version``, ``data`` (the store's
        :meth:`~geostress.data.store.Store.data_fingerprint`, ``None`` when the caller recorded none: see
        :func:`geostress.results.provenance.with_provenance`) and ``baseline_vintage``."""
        from geostress.results.provenance import geostress_version

        recorded = dict(self.provenance or {})
        return {
            "geostress_version": recorded.get("geostress_version") or geostress_version(),
            "data": recorded.get("data"),
            "baseline_vintage": self.calibration.cbo.vintage.isoformat(),
        }

    def headline(self) -> dict[str, object]:
        """The figures ``geostress run`` leads with: peak 10y change, added interest over 10 years, debt/GDP in
        10 and 30 years (median, 90th percentile), the cascade, paths and seed.

        The market figures (peak 10y change, added net interest, cascade) are measured by the market block against
        the run's no-event twin; a run without the block has no twin, so they are ``None`` (JSON ``null``), not
        zero: a fixed ``[shocks]`` scenario such as ``china_sells`` (+8 bp of term premium from FY2027) does add
        interest, but nothing in the run measures how much against a run without it."""
        years = self.deterministic.fiscal_years
        if self.ensemble is not None:
            debt = self.ensemble.fan["debt_to_gdp"]
            q = {f"p{round(v * 100):02d}": i for i, v in enumerate(QUANTILES)}
            at = {"p50": debt[q["p50"]], "p90": debt[q["p90"]]}
        else:
            ratio = ratios(self.deterministic)["debt_to_gdp"][0]
            at = {"p50": ratio, "p90": ratio}
        i10, i30 = min(9, len(years) - 1), min(29, len(years) - 1)
        head: dict[str, object] = {
            "debt_gdp_10y_p50": float(at["p50"][i10]),
            "debt_gdp_10y_p90": float(at["p90"][i10]),
            "debt_gdp_30y_p50": float(at["p50"][i30]),
            "horizon_years": [int(years[i10]), int(years[i30])],
            "paths": self.ensemble.n_paths if self.ensemble is not None else 0,
            "seed": self.spec.simulation.seed,
            "peak_10y_change_bp": None,  # (no market block: not measured; set below for a coupled run)
            "added_net_interest_10y_bn": None,
            "cascade_share": None,  # = cascade_probability (the share of paths that cascade), kept for old readers
        }
        c = self.coupled
        if c is not None:
            twin = c.twin.annual_field("interest")
            extra = c.scenario.annual_field("interest") - twin
            added, projected = extra[:, : i10 + 1].sum(axis=1), twin[:, : i10 + 1].sum(axis=1)
            head.update(
                peak_10y_change_bp=float(np.median(c.peak_10y_change_bp)),
                added_net_interest_10y_bn=float(np.median(added)),
                # the scale a reader needs: the no-event twin's net interest over the same years, and the added
                # interest as a share of it (the median of each path's share)
                twin_net_interest_10y_bn=float(np.median(projected)),
                added_net_interest_10y_share=_share_median(added, projected),
                cascade_share=float(np.mean(c.cascade_share)),
                sold_bn_median=float(np.median(c.sold_bn)),
                peak_term_premium_bp=float(np.max(np.median(c.term_premium_bp, axis=0))),
            )
            head.update(market_ranges(c, added))
            if not self.spec.contagion.enabled:  # no contagion block, no cascade measured: null, not 0% (as the
                head.update(cascade_share=None, cascade_probability=None)  # table's "n/a (contagion off)")
        return head


def _share_median(added: np.ndarray, projected: np.ndarray) -> float | None:
    """The median over paths of ``added / projected`` on the paths whose projected net interest is positive (a share
    of a zero or negative bill means nothing); ``None`` when no path has one."""
    positive = projected > 0
    return float(np.median(added[positive] / projected[positive])) if positive.any() else None


#: The summary's notes of a coupled run (words, or None): :attr:`geostress.results.coupled.CoupledOutput.notes`.
NOTE_KEYS = ("outside_evidence", "persistent_note", "interest_window_note", "offset_note", "backstop_note")


def market_ranges(c: object, added_interest: np.ndarray) -> dict[str, object]:
    """Medians with 5th/95th percentiles over paths (parameter draws and macro shocks) of the coupled run's market
    figures, and the same market run with the backstop off (issue 14; :mod:`geostress.run.coupled`).

    A run of one path (``paths = 0``: the deterministic path at the prior medians) has no range: its figures come
    without the ``_p05`` and ``_p95`` keys. ``cascade_probability`` is the share of paths that cascade.
    """

    def q(values: np.ndarray, name: str) -> dict[str, float]:
        v = np.asarray(values, dtype=float)
        if v.size == 0:
            return {}
        if v.size == 1:  # one path (a deterministic run): a value, no range
            return {name: float(v[0])}
        p05, p50, p95 = np.quantile(v, [0.05, 0.5, 0.95])
        return {name: float(p50), f"{name}_p05": float(p05), f"{name}_p95": float(p95)}

    out: dict[str, object] = {}
    out.update(q(c.peak_10y_change_bp, "peak_10y_change_bp"))  # type: ignore[attr-defined]
    out.update(q(c.persistent_10y_change_bp, "persistent_10y_change_bp"))  # type: ignore[attr-defined]
    out.update(q(getattr(c, "stock_effect_10y_bp", np.zeros(0)), "stock_effect_10y_bp"))
    out.update(q(added_interest, "added_net_interest_10y_bn"))
    out["persistent_month"] = int(c.persistent_month)  # type: ignore[attr-defined]
    out["cascade_probability"] = float(np.mean(c.cascade_share))  # type: ignore[attr-defined]
    if np.size(c.backstop_bn):  # type: ignore[attr-defined]
        out["backstop_bn_median"] = float(np.median(c.backstop_bn))  # type: ignore[attr-defined]
    fima = getattr(c, "fima_bn", np.zeros(0))
    if np.any(fima):  # only where the repo financed something (a liquidity sale with the facility on)
        out["fima_bn_median"] = float(np.median(fima))
    off = c.backstop_off  # type: ignore[attr-defined]
    if off:
        out.update(q(off["peak_10y_change_bp"], "peak_10y_change_bp_backstop_off"))
        out.update(q(off["persistent_10y_change_bp"], "persistent_10y_change_bp_backstop_off"))
        if "stock_effect_10y_bp" in off:
            out.update(q(off["stock_effect_10y_bp"], "stock_effect_10y_bp_backstop_off"))
    # what a reader needs beside the figures (words or None; :func:`geostress.run.coupled.run_notes`): the same
    # evidence rule as ``geostress market impact``'s ``outside_evidence``, the persistent month cut short by the
    # horizon, sales outside the added-interest window
    notes = getattr(c, "notes", None) or {}
    for key in NOTE_KEYS:
        out[key] = notes.get(key)
    # a threat's two effects, with and without it (mean and median: it lowers the mean short-run selling while the
    # median path can sell more, docs/contagion.md)
    for name, values in getattr(c, "threat", {}).items():
        base, suffix = (name.removesuffix("_no_threat"), "_no_threat") if name.endswith("_no_threat") else (name, "")
        out[f"{base}_mean{suffix}"] = float(np.mean(values))
        out[f"{base}_median{suffix}"] = float(np.median(values))
    return out


#: The published persistent effect: bp of 10-year term premium per pp of GDP of duration moved into private hands
#: (QE, debt-supply and holder-mix studies; MARKET_EVIDENCE.md §1).
LITERATURE_BP_PER_PP: tuple[float, float] = (2.0, 8.0)


@dataclass(frozen=True)
class PublishedRange:
    """The literature's persistent effect for the sales of a scenario, at today's market size.

    Attributes
    ----------
    scheduled_bn
        Every scheduled (and announced) sale, USD bn.
    persistent_bn
        ``(low, high)``: what the market block prices as persistent, USD bn. Official sales and Fed sales count in
        full; liquidity-motivated official sales count less the share the FIMA repo takes off the market (the high
        and the low end of that share's prior, when the FIMA stabiliser is on); the officials' net selling by the
        contagion block counts as the block prices it (``contagion_official_bn`` + ``contagion_run_bn``).
    private_bn
        The private sales among them, foreign or domestic: flows only, with no persistent part.
    gdp_bn
        Nominal GDP at the start of the run, USD bn at an annual rate.
    bp_per_pp
        The published range, bp of 10-year term premium per pp of GDP (:data:`LITERATURE_BP_PER_PP`).
    contagion_official_bn, contagion_run_bn
        The foreign officials' net selling by the contagion block by ``persistent_month`` on the path with the
        median amount (0 when it is off or they bought back on net), USD bn: their diversification and what is
        still sold in their liquidity run then, both priced as persistent (the FIMA repo takes no share of the
        block's runs: :attr:`geostress.model.market.Flows.official_run`).
    persistent_month
        The month the model's persistent effect is read (``None``: not given).
    rolldown_years
        The run's roll-down half-life of sold securities, years: its prior's 90% range (both ends the same when a
        scenario fixes it), for the wording of :meth:`below_words`.
    """

    scheduled_bn: float
    persistent_bn: tuple[float, float]
    private_bn: float
    gdp_bn: float
    bp_per_pp: tuple[float, float] = LITERATURE_BP_PER_PP
    contagion_official_bn: float = 0.0
    contagion_run_bn: float = 0.0
    persistent_month: int | None = None
    rolldown_years: tuple[float, float] = field(default_factory=lambda: _prior_range(
        mk.MarketPriors().rolldown_half_life_years))

    @property
    def contagion_persistent_bn(self) -> tuple[float, float]:
        """``(low, high)``: the contagion block's part of ``persistent_bn`` (both ends the same), USD bn."""
        part = self.contagion_official_bn + self.contagion_run_bn
        return part, part

    @property
    def bp(self) -> tuple[float, float] | None:
        """``(low, high)`` bp of 10-year term premium; ``None`` when no sale has a persistent part."""
        if self.persistent_bn[1] <= 0.0:
            return None
        pp = 100.0 / self.gdp_bn
        return self.bp_per_pp[0] * pp * self.persistent_bn[0], self.bp_per_pp[1] * pp * self.persistent_bn[1]

    def below_words(self, stock_bp: float | None) -> str | None:
        """Why the model's stock effect ``stock_bp`` (bp, as the report prints it, to two decimals) sits below the
        range's low end (as printed, to one), or ``None`` when it does not: the market block rolls each month's
        trades down as the securities age (half-life :attr:`rolldown_years`), while the range
        counts the dollars at full duration, and after a liquidity run what stays sold is a small net of early
        sales and later buying back, which roll down unequally. dash-for-cash: +0.05 bp against 0.1–0.5 bp (+0.20
        with a 100-year half-life, ``--set market.rolldown_half_life_years=100``)."""
        bp = self.bp
        if stock_bp is None or bp is None or not np.isfinite(stock_bp) or round(stock_bp, 2) >= round(bp[0], 1):
            return None
        month = self.persistent_month if self.persistent_month is not None else 24
        low, high = self.rolldown_years
        years = f"{low:g} years" if low == high else f"{low:g}–{high:g} years"
        if self.contagion_run_bn >= 0.05:
            return (f"The stock effect sits below the range because the block rolls each month's trades down as the "
                    f"securities age (half-life {years}): the liquidity run's sales came first and have shrunk "
                    f"more by month {month} than the buying back that followed, while the range counts what stays "
                    "sold, a small net of the two, at full duration.")
        return (f"The stock effect sits below the range because the block rolls the sold securities down as they "
                f"age (half-life {years}), while the range counts them at full duration.")

    def payload(self) -> dict[str, Any]:
        """JSON-ready: ``low_bp``/``high_bp`` (``None`` when nothing is persistent), the amounts and the rule."""
        bp = self.bp
        return {"low_bp": None if bp is None else bp[0], "high_bp": None if bp is None else bp[1],
                "bp_per_pp": list(self.bp_per_pp), "scheduled_bn": self.scheduled_bn,
                "persistent_bn": list(self.persistent_bn), "private_bn": self.private_bn, "gdp_bn": self.gdp_bn,
                "contagion_official_bn": self.contagion_official_bn, "contagion_run_bn": self.contagion_run_bn,
                "persistent_month": self.persistent_month}


def published_persistent_range(
    flows: np.ndarray, columns: Sequence[str], gdp_bn: float, priors: mk.MarketPriors | None = None,
    stabilisers: mk.Stabilisers | None = None, contagion_official_bn: float = 0.0, contagion_run_bn: float = 0.0,
    persistent_month: int | None = None,
) -> PublishedRange | None:  # fmt: skip
    """The published range for the persistent effect of a scenario's sales, counting only what the market block
    prices as persistent (:func:`geostress.model.market.advance`: official sales, liquidity-motivated official sales
    less the FIMA repo's share, and Fed sales enter the persistent stock; private sales do not).

    Parameters
    ----------
    flows
        (months, columns) the scheduled flows, USD bn a month: the sales already mapped to the market's buckets
        (``geostress.run.coupled.schedule(...).flows``).
    columns
        The buckets of ``flows``' columns, fields of :class:`geostress.model.market.Flows` other than ``supply``
        (``geostress.run.coupled.FLOW_COLUMNS``).
    gdp_bn
        Nominal GDP at the start of the run, USD bn at an annual rate.
    priors, stabilisers
        The run's market priors and stabilisers (default: the stated priors, every stabiliser on); they give the
        FIMA repo's share of liquidity-motivated sales.
    contagion_official_bn, contagion_run_bn
        The foreign officials' net selling by the contagion block by ``persistent_month`` (on the path with the
        median amount), USD bn: diversification and what their liquidity run still holds sold, both counted in
        full (``geostress.run.coupled.published_range``); negative amounts count as nothing.
    persistent_month
        The month the model's persistent effect is read, kept for the wording.

    Returns
    -------
    PublishedRange or None
        ``None`` when nothing is scheduled and the contagion block sold nothing on net.
    """
    values = np.asarray(flows, dtype=float)
    unknown = sorted(set(columns) - (set(mk.Flows._fields) - {"supply"}))  # sales only: supply is not a sale
    if unknown or values.ndim != 2 or values.shape[1] != len(columns):
        raise ValueError(f"flows of shape {values.shape} do not match the market buckets {list(columns)}")
    totals = dict(zip(columns, values.sum(axis=0), strict=True))
    fed_sold = max(-float(totals.get("fed_purchases", 0.0)), 0.0)  # a Fed sale is negative purchases
    sold = [float(totals.get(k, 0.0)) for k in ("official", "official_liquidity", "foreign_private",
                                                  "domestic_private")]  # fmt: skip
    scheduled = sum(sold) + fed_sold
    contagion, run = max(float(contagion_official_bn), 0.0), max(float(contagion_run_bn), 0.0)
    if scheduled <= 0.0 and contagion + run <= 0.0:
        return None
    official, liquidity = sold[0], max(sold[1], 0.0)
    stabilisers = stabilisers or mk.Stabilisers()
    fima = (priors or mk.MarketPriors()).fima_share
    share = (fima.low, fima.high) if stabilisers.fima else (0.0, 0.0)
    base = official + fed_sold + contagion + run
    persistent = (base + (1.0 - share[1]) * liquidity, base + (1.0 - share[0]) * liquidity)
    return PublishedRange(scheduled, persistent, sold[2] + sold[3], float(gdp_bn), contagion_official_bn=contagion,
                          contagion_run_bn=run, persistent_month=persistent_month,
                          rolldown_years=_prior_range((priors or mk.MarketPriors()).rolldown_half_life_years))


def _prior_range(prior: Prior) -> tuple[float, float]:
    """A prior's 90% range (both ends the same for a fixed value)."""
    return prior.low, prior.high
