"""Per-server limits of the web service: run size, queue, time and request size."""

from __future__ import annotations

from dataclasses import dataclass

from geostress.errors import ScenarioError


@dataclass(frozen=True)
class ServiceLimits:
    """Bounds that keep one service responsive on a small machine.

    Parameters
    ----------
    max_paths
        Most stochastic paths one submitted run may ask for (``simulation.paths``).
    max_horizon_years
        Longest horizon one run may ask for (``scenario.horizon_years``).
    run_timeout_s
        Wall-clock seconds a run may take from the start of its worker process; past it the worker is killed and
        the run ends with status ``timeout``.
    max_queued
        Runs that may wait for a free worker; one more submission is refused with 429.
    max_workers
        Worker processes running at once (each run has its own process).
    max_body_bytes
        Largest request body accepted; larger ones are refused with 413.
    max_kept_runs
        Finished runs kept on disk; the oldest finished ones beyond this are deleted when a run is submitted.
    """

    max_paths: int = 20_000
    max_horizon_years: int = 50
    run_timeout_s: float = 300.0
    max_queued: int = 8
    max_workers: int = 1
    max_body_bytes: int = 1_000_000
    max_kept_runs: int = 500

    def __post_init__(self) -> None:
        checks = {
            "max_paths": self.max_paths >= 0,
            "max_horizon_years": self.max_horizon_years >= 1,
            "run_timeout_s": self.run_timeout_s > 0,
            "max_queued": self.max_queued >= 0,
            "max_workers": self.max_workers >= 1,
            "max_body_bytes": self.max_body_bytes >= 1024,
            "max_kept_runs": self.max_kept_runs >= 1,
        }
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            raise ScenarioError(f"service limits out of range: {', '.join(bad)} (see ServiceLimits)")
