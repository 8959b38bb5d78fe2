"""The per-path output of a coupled run (the market and contagion blocks beside the fiscal engine), as
:func:`geostress.run.coupled.run_coupled_chunks` returns it and :class:`geostress.results.scenario.ScenarioResult`
carries it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from geostress.model.fiscal import SimulationOutput


@dataclass(frozen=True)
class CoupledOutput:
    """Per-path results of a coupled run (P paths).

    Attributes
    ----------
    scenario, twin
        Fiscal-year aggregates with the events and without them (same shocks).
    peak_10y_change_bp
        (P,) highest 10-year yield change the market block produced (its term premium), bp. The monetary offset
        is the fiscal engine's policy rule, which acts on the scenario's yields and interest (≈0.3 bp off the
        10-year by month 24 of ``china-sells-300bn``, less the fiscal risk premium's 0.2–0.3 bp; docs/market.md),
        not on this figure.
    persistent_10y_change_bp
        (P,) the same at :attr:`persistent_month` (month 24 of the events, or 12 after the last sale ends), bp.
    cascade_share
        (P,) 1.0 where the path cascaded (contagion's weighted net selling within its window exceeded the
        threshold), else 0.0: the mean is P(cascade) over parameter draws.
    term_premium_bp
        (P, T) market term premium at 10 years by month, bp (float32).
    sold_bn
        (P,) gross sales executed (scheduled, announced and the contagion block's; its buybacks are not netted),
        USD bn.
    monthly
        (1, T, fields) monthly detail of path 0 (filled for deterministic runs).
    backstop_bn
        (P,) Fed backstop purchases over the run, USD bn.
    draws
        Parameter name → (P,) the parameters each path drew (for the variance decomposition): the market's
        (:data:`geostress.model.market.UNCERTAIN`) and, with contagion on, each contagion prior that is not fixed
        (:func:`named_contagion_priors`).
    persistent_month
        The month (1-based) ``persistent_10y_change_bp`` is read.
    backstop_off
        The same market run with the backstop switched off (market block only: ``peak_10y_change_bp``,
        ``persistent_10y_change_bp``, ``stock_effect_10y_bp``), ``{}`` when not asked.
    threat
        With contagion on and a threat in the schedule: the threat's two effects over windows from its month, with
        it and without it on the same paths (:func:`threat_effects`); ``{}`` otherwise.
    official_sold_persistent_bn, official_run_persistent_bn
        (P,) with contagion on: the foreign officials' net selling by the contagion block by the end of
        :attr:`persistent_month` (scheduled sales excluded; buybacks netted) and their liquidity-run position then
        (the rest is diversification), USD bn; ``None`` with it off.
    stock_effect_10y_bp
        (P,) the persistent (stock) effect alone at :attr:`persistent_month`, bp: ``persistent_10y_change_bp`` is
        the whole premium then, the flow effect still fading in it.
    peak_window_share
        (P,) with contagion on, the cascade measure: the contagion block's largest weighted net selling within its
        window, a share of the three classes' holdings (a path cascades where it exceeds the threshold); zeros
        with it off.
    notes
        What a reader needs beside the figures, in words or None (:func:`geostress.run.coupled.run_notes`):
        ``outside_evidence`` (the scheduled sales' pace or the backstop's purchases beyond the block's evidence, as
        ``geostress market impact``'s key of that name), ``persistent_note`` (the persistent month cut short by the
        horizon) and ``interest_window_note`` (sales after, or running past, the added-interest window).
    fima_bn
        (P,) official liquidity sales financed at the FIMA repo facility over the run instead of sold, USD bn
        (zeros without liquidity sales or with ``market.fima`` off), as ``geostress market impact``'s
        ``fima_bn``.
    """

    scenario: SimulationOutput
    twin: SimulationOutput
    peak_10y_change_bp: np.ndarray
    cascade_share: np.ndarray
    term_premium_bp: np.ndarray
    sold_bn: np.ndarray
    monthly: np.ndarray
    persistent_10y_change_bp: np.ndarray = field(default_factory=lambda: np.zeros(0))
    backstop_bn: np.ndarray = field(default_factory=lambda: np.zeros(0))
    draws: dict[str, np.ndarray] = field(default_factory=dict)
    persistent_month: int = 24
    backstop_off: dict[str, np.ndarray] = field(default_factory=dict)
    threat: dict[str, np.ndarray] = field(default_factory=dict)
    official_sold_persistent_bn: np.ndarray | None = None
    official_run_persistent_bn: np.ndarray | None = None
    stock_effect_10y_bp: np.ndarray = field(default_factory=lambda: np.zeros(0))
    peak_window_share: np.ndarray = field(default_factory=lambda: np.zeros(0))
    notes: dict[str, str | None] = field(default_factory=dict)
    fima_bn: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: (P, 3) the backstop's purchases, USD bn, by the response that set them: against orderly selling (the orderly
    #: trigger), against the share of a partial liquidity stress beyond the runs' own selling (a judgement) and
    #: against a dash for cash (the runs, or any pressure at stress 1); None where no market pass ran
    backstop_by_stress_bn: np.ndarray | None = None
