"""Per-server limits of the web service: run size, queue, time and request size."""

from __future__ import annotations

from dataclasses import dataclass

from geostress.errors import ScenarioError

#: The longest claims text any server accepts (the request schema's bound; ``max_claim_chars`` may only lower it).
MAX_CLAIM_CHARS = 200_000


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
    max_claim_chars
        Longest text ``POST /api/claims/check`` checks (characters); longer ones are a 422 naming this limit.
        A check costs about 1 s of one core per 10,000 characters.
    max_claims
        Most claims one claims answer lists (the first in the text); the answer says when more were found.
    max_claim_checks
        Claim checks running at once; one more waits up to 15 s, then gets 429.
    warm_workers
        Keep the worker processes alive between runs (calibrations and compiled kernels stay loaded, so a
        deterministic run takes milliseconds, not seconds). Off: a fresh process per run, as before.
    prewarm
        Have each new worker calibrate to the latest CBO baseline before its first run (warm workers only).
    max_runs_per_worker
        Runs one warm worker serves before it is replaced by a fresh one (bounds memory growth).
    """

    max_paths: int = 20_000
    max_horizon_years: int = 50
    run_timeout_s: float = 300.0
    max_queued: int = 8
    max_workers: int = 1
    max_body_bytes: int = 1_000_000
    max_kept_runs: int = 500
    max_claim_chars: int = 50_000
    max_claims: int = 1_000
    max_claim_checks: int = 1
    warm_workers: bool = True
    prewarm: bool = True
    max_runs_per_worker: int = 200

    def __post_init__(self) -> None:
        checks = {
            "max_paths": self.max_paths >= 0,
            "max_horizon_years": self.max_horizon_years >= 1,
            "run_timeout_s": self.run_timeout_s > 0,
            "max_queued": self.max_queued >= 0,
            "max_workers": self.max_workers >= 1,
            "max_body_bytes": self.max_body_bytes >= 1024,
            "max_kept_runs": self.max_kept_runs >= 1,
            "max_claim_chars": 1 <= self.max_claim_chars <= MAX_CLAIM_CHARS,
            "max_claims": self.max_claims >= 1,
            "max_claim_checks": self.max_claim_checks >= 1,
            "max_runs_per_worker": self.max_runs_per_worker >= 1,
        }
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            raise ScenarioError(f"service limits out of range: {', '.join(bad)} (see ServiceLimits)")
