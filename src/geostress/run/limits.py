"""Limits on what one command or API call may ask for, sized for the smallest machine we support: 2 cores and
24 GB of memory (docs/cli.md, "Limits"). The command line, the web service and the run layer read them here."""

from __future__ import annotations

#: Memory one command may plan to use: half of a 24 GB machine (the rest: the system, the data, other work).
MEMORY_BUDGET_BYTES = 12_000_000_000
#: Peak memory per stochastic path, measured with ``ru_maxrss`` on the packaged scenarios (30 years, monthly):
#: a fiscal run keeps about 1 KB a path beyond its first chunk (200,000 paths: 0.86 GB); a coupled run (holders,
#: market, contagion) keeps about 20 KB (2,000 paths: 0.45 GB; 40,000 paths: 1.19 GB).
BYTES_PER_PATH = {"fiscal": 1_000, "coupled": 20_000}
#: Most stochastic paths one ``run`` / ``report`` / ``tipping`` evaluation may ask for: 5,000,000 for a fiscal run
#: (the scenario file's own limit; about 5 GB and 40 minutes on 2 cores) and 500,000 for a coupled one (about
#: 10 GB). Beyond that, ``geostress sweep`` streams paths to Parquet in chunks.
MAX_PATHS = {"fiscal": 5_000_000, "coupled": 500_000}
#: Most parameter draws of ``market impact --draws`` (:func:`geostress.run.market.impact`): memory grows with
#: draws × months (100,000 draws of a 240-month sale: 1.66 GB peak, 9 s).
MAX_MARKET_DRAWS = 100_000
#: Most Monte Carlo draws of one minerals run (``geostress minerals --draws``, ``[monte_carlo] draws``,
#: :func:`geostress.run.minerals.run_minerals`): each draw re-runs the network, about 0.035 s of one core.
MAX_MINERALS_DRAWS = 2_000


def memory_words(kind: str, paths: int) -> str:
    """What ``paths`` paths of a ``kind`` run (``"fiscal"`` or ``"coupled"``) would take, for a refusal: "at about
    20 KB a path, 20 GB (the limits fit a 2-core, 24 GB machine; docs/cli.md, Limits)"."""
    return (f"at about {BYTES_PER_PATH[kind] / 1e3:,.0f} KB a path, {paths * BYTES_PER_PATH[kind] / 1e9:,.0f} GB (the "
            "limits fit a 2-core, 24 GB machine; docs/cli.md, Limits)")


__all__ = ["BYTES_PER_PATH", "MAX_MARKET_DRAWS", "MAX_MINERALS_DRAWS", "MAX_PATHS", "MEMORY_BUDGET_BYTES", "memory_words"]
