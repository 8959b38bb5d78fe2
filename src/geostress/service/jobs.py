"""The job manager: scenario runs in worker processes, a bounded queue, time limits, cancellation, restarts.

Each run lives in ``<service_dir>/runs/<id>/`` (``id``: 32 lowercase hex digits) with ``job.json`` (the status
record, owned by the service), ``spec.json``, and the worker's ``progress.json``, ``result.json`` and
``error.json`` (see :mod:`geostress.service.worker`). Every file is replaced atomically, so a killed server leaves
complete files only.

Lifecycle::

    queued ──► running ──► done | failed | timeout
       │          │
       └──────────┴──► cancelled            (server restart: queued | running ──► failed, "interrupted")

Workers: a pool of ``max_workers`` warm processes (``forkserver`` context, ``spawn`` where there is none; never a
plain fork of the threaded server) that stay alive between runs, so a run finds the engine imported, the
calibration remembered and the kernels loaded (a deterministic run: milliseconds instead of seconds). A run still
executes outside the server, one run per worker at a time. A supervising thread hands queued runs to idle workers,
ends a run that outlives ``run_timeout_s`` or is cancelled by ending its worker (terminate, then kill) and starts a
fresh worker in its place, notices a worker that died (the run fails, saying how), and replaces a worker after
``max_runs_per_worker`` runs. With ``warm_workers=False`` each run gets a fresh process that ends with it.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import multiprocessing.connection
import os
import re
import shutil
import sys
import threading
import time
import uuid
from collections import deque
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geostress.util.atomic import write_bytes_atomic
from geostress.errors import GeostressError
from geostress.service.limits import ServiceLimits

if TYPE_CHECKING:
    from geostress.spec.scenario import ScenarioSpec

log = logging.getLogger("geostress.service")

RUN_ID = re.compile(r"^[0-9a-f]{32}$")
STATUSES = ("queued", "running", "done", "failed", "cancelled", "timeout")
FINISHED = frozenset({"done", "failed", "cancelled", "timeout"})
INTERRUPTED = "interrupted: the server stopped before the run finished; submit it again"
TICK_S = 0.1
KILL_GRACE_S = 1.0


class ServiceDirBusyError(GeostressError):
    """Another running service already uses this service folder."""


class QueueFullError(GeostressError):
    """Too many runs are waiting; the client should try again later (HTTP 429)."""


class UnknownRunError(GeostressError):
    """No run has this id (HTTP 404)."""


class RunStateError(GeostressError):
    """The run is not in a state that allows the request (HTTP 409)."""


#: How a finished run ended, after "has already" / "it" (a 409's text).
_ENDED = {"done": "finished", "failed": "failed", "cancelled": "been cancelled",
          "timeout": "been stopped at the time limit"}


def no_result_message(job: JobRecord) -> str:
    """Why run ``job`` has no result to give (the 409 of ``GET /api/runs/{id}/result``), by its status."""
    if job.status in ("queued", "running"):
        return f"run {job.id} is {job.status}; its result is available once it is done"
    if job.status == "failed":
        why = f": {job.error.rstrip('.')}" if job.error else ""
        advice = "" if "submit it again" in why else " (fix what the error names and submit it again)"
        return f"run {job.id} failed{why}; it has no result{advice}"
    if job.status == "cancelled":
        return f"run {job.id} was cancelled; it has no result (submit it again to run it)"
    if job.status == "timeout":
        return (f"run {job.id} was stopped at the time limit; it has no result (submit it again with fewer paths "
                "or a shorter horizon)")
    return f"run {job.id} is {job.status}; it has no result"


def _mtime_ns(path: Path) -> int | None:
    """``path``'s modification time in ns, or None when it is not there."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _elapsed(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    a = datetime.fromisoformat(start.replace("Z", "+00:00"))
    b = datetime.fromisoformat(end.replace("Z", "+00:00"))
    return (b - a).total_seconds()


@dataclass
class JobRecord:
    """The status of one run, as stored in ``job.json`` and (less ``pid`` and ``exit_code``) served."""

    id: str
    scenario: str
    status: str
    created: str
    paths: int = 0
    horizon_years: int = 0
    progress: float = 0.0
    message: str = ""
    started: str | None = None
    finished: str | None = None
    error: str | None = None
    worker_startup_s: float | None = None
    pid: int | None = None
    exit_code: int | None = None

    def to_json(self) -> dict[str, Any]:
        """Every field (``job.json``)."""
        return asdict(self)

    def public(self) -> dict[str, Any]:
        """The fields clients see (no process id or exit code)."""
        out = asdict(self)
        del out["pid"], out["exit_code"]
        return out

    @classmethod
    def from_json(cls, data: Any) -> JobRecord:
        """Rebuild a record from ``job.json``; ``ValueError`` for anything that is not a valid record."""
        if not isinstance(data, dict):
            raise ValueError("job.json does not hold an object")
        names = {f.name for f in fields(cls)}
        record = cls(**{k: v for k, v in data.items() if k in names})
        if not isinstance(record.id, str) or not RUN_ID.match(record.id):
            raise ValueError(f"bad run id {record.id!r}")
        if record.status not in STATUSES:
            raise ValueError(f"bad status {record.status!r}")
        if not isinstance(record.scenario, str) or not isinstance(record.created, str):
            raise ValueError("scenario and created must be strings")
        return record


def _write_json(path: Path, obj: Any, *, durable: bool = True) -> None:
    write_bytes_atomic(path, json.dumps(obj, ensure_ascii=False, indent=1).encode("utf-8"), durable=durable)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _terminate(proc: BaseProcess, grace: float = KILL_GRACE_S) -> None:
    """Stop a worker: SIGTERM, then SIGKILL after ``grace`` seconds; reap it."""
    if proc.is_alive():
        proc.terminate()
        proc.join(grace)
    if proc.is_alive():
        proc.kill()
    proc.join(5.0)


def _context() -> multiprocessing.context.BaseContext:
    """A ``forkserver`` context whose server has the engine imported (``spawn`` where there is no forkserver).

    The main script is preloaded too when it is a file (e.g. the ``geostress`` console script): each worker then
    skips re-running it, which ``spawn`` and a bare fork server would do for every run.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    main = sys.modules.get("__main__")
    main_file = getattr(main, "__file__", None)
    main_spec = getattr(main, "__spec__", None)
    preload = ["geostress.service.worker"]
    if main_spec is None and isinstance(main_file, str) and os.path.isfile(main_file):
        preload.insert(0, "__main__")
    ctx.set_forkserver_preload(preload)
    return ctx


_EXIT_INTERNAL_ERROR = 4  # geostress.service.worker.EXIT_INTERNAL_ERROR (the worker module imports the engine)
_EXIT_TERMINATED = 143  # geostress.service.worker.EXIT_TERMINATED: the worker was stopped by SIGTERM


@dataclass(eq=False)
class _Worker:
    """One worker process as the supervisor sees it."""

    proc: BaseProcess
    conn: multiprocessing.connection.Connection
    started_at: float
    warm_up: bool
    max_runs: int
    ready: bool = False
    run_id: str | None = None
    runs: int = 0
    retire: bool = False
    dead: bool = field(default=False, repr=False)

    def alive(self) -> bool:
        return not self.dead and self.proc.is_alive()

    def receive(self) -> Any:
        """The next message, or ``None`` when there is none (or the pipe is closed: the worker is then dead)."""
        if self.dead:
            return None
        try:
            if self.conn.poll():
                return self.conn.recv()
        except (EOFError, OSError):
            self.dead = True
        return None

    def send(self, message: Any) -> bool:
        try:
            self.conn.send(message)
            return True
        except (BrokenPipeError, OSError):
            self.dead = True
            return False

    def stop(self, *, idle: bool) -> None:
        """End the process: an idle one is asked to leave first; a busy one is terminated, then killed."""
        if idle and not self.dead:
            self.send(None)
            self.proc.join(KILL_GRACE_S)
        _terminate(self.proc)
        self.conn.close()


class JobManager:
    """Queue, run, time-limit, cancel and remember scenario runs.

    Parameters
    ----------
    service_dir
        The service's own folder; runs go to ``service_dir/runs``.
    limits
        Worker count, queue length and time limit (:class:`~geostress.service.limits.ServiceLimits`).
    store_home
        ``GEOSTRESS_HOME`` of the observation store the workers calibrate from.
    """

    def __init__(self, service_dir: Path, limits: ServiceLimits, store_home: Path) -> None:
        self.service_dir = Path(service_dir)
        self.runs_dir = self.service_dir / "runs"
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        self.limits = limits
        self.store_home = Path(store_home)
        self._ctx = _context()
        self._lock = threading.RLock()
        self._jobs: dict[str, JobRecord] = {}
        self._queue: deque[str] = deque()
        self._workers: list[_Worker] = []
        self._launching = 0
        self._deadline: dict[str, float] = {}
        self._launched_at: dict[str, float] = {}
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock_file: Any = None
        self._adopt_seen: dict[str, tuple[int | None, int | None]] = {}
        self._acquire_dir()
        self._load()

    def _acquire_dir(self) -> None:
        """Hold an exclusive lock on ``service_dir/.lock`` (POSIX), so two servers never share one folder."""
        if self._lock_file is not None:
            return
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no lock
            return
        handle = open(self.service_dir / ".lock", "a+b")  # noqa: SIM115 - held for the manager's lifetime
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise ServiceDirBusyError(f"another geostress service is using {self.service_dir}; stop it first or "
                                      "give this one its own folder (--service-dir)") from None
        self._lock_file = handle

    def _release_dir(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()  # closing the descriptor releases the lock
            self._lock_file = None

    # -- persistence ---------------------------------------------------------------------------------------
    def folder(self, run_id: str) -> Path:
        """The folder of a run; :class:`UnknownRunError` for anything that is not a run id (no path is built)."""
        if not isinstance(run_id, str) or not RUN_ID.match(run_id):
            raise UnknownRunError(f"no run with id {str(run_id)[:40]!r}; run ids are 32 hexadecimal digits")
        return self.runs_dir / run_id

    def _save(self, job: JobRecord) -> None:
        # atomic always (a killed server leaves whole files); flushed to disk only for final states: an
        # intermediate record lost to a power cut reads as an interrupted run, and each fsync costs the user
        # milliseconds on the way to a result
        _write_json(self.folder(job.id) / "job.json", job.to_json(), durable=job.status in FINISHED)

    def _load(self) -> None:
        """Read every run folder; interrupted runs become ``failed``; unreadable folders are skipped."""
        for folder in sorted(self.runs_dir.iterdir()):
            if not folder.is_dir() or not RUN_ID.match(folder.name):
                if not folder.name.startswith("."):
                    log.warning("service: ignoring %s (not a run folder)", folder)
                continue
            for tmp in folder.glob(".*.tmp"):
                tmp.unlink(missing_ok=True)
            try:
                data = json.loads((folder / "job.json").read_text(encoding="utf-8"))
                job = JobRecord.from_json(data)
                if job.id != folder.name:
                    raise ValueError(f"job.json names run {job.id}")
            except (OSError, ValueError, TypeError) as exc:
                log.warning("service: skipping run folder %s: %s", folder.name, exc)
                continue
            if job.status in ("queued", "running"):
                self._finish(job, "failed", INTERRUPTED, error=INTERRUPTED)
                self._adopt(job)
            elif job.status == "done" and not (folder / "result.json").is_file():
                self._finish(job, "failed", "the result file is missing", error="the result file is missing")
            job.pid = None
            self._jobs[job.id] = job

    def _adopt(self, job: JobRecord) -> None:
        """An interrupted run whose worker still finished (it can outlive a killed server by a few seconds):
        ``done`` when its folder holds a complete result of this run, ``failed`` with the worker's own message
        when it holds ``error.json``. Files are written atomically, so one that parses is whole."""
        if job.status != "failed" or job.error != INTERRUPTED:
            return
        folder = self.folder(job.id)
        result, error = folder / "result.json", folder / "error.json"
        stamps = (_mtime_ns(result), _mtime_ns(error))
        if self._adopt_seen.get(job.id) == stamps:  # nothing written since the last look: no file is read again
            return
        self._adopt_seen[job.id] = stamps
        if stamps[0] is not None:
            data = _read_json(result)
            if isinstance(data, dict) and data.get("id") == job.id and isinstance(data.get("summary"), dict) \
                    and isinstance(data.get("fan"), dict):
                self._adopt_seen.pop(job.id, None)
                job.progress = 1.0
                self._finish(job, "done", "done: its worker finished it after the server had stopped")
                return
        err = _read_json(error) if stamps[1] is not None else None
        if isinstance(err, dict) and isinstance(err.get("error"), str):
            message = err["error"]
            self._finish(job, "failed", message, error=message)

    def _adopt_all(self) -> None:
        """:meth:`_adopt` every interrupted run (call with the lock held): a result written after the restart."""
        for job in self._jobs.values():
            if job.status == "failed" and job.error == INTERRUPTED:
                self._adopt(job)

    # -- public API ----------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the supervising thread (idempotent)."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._acquire_dir()
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="geostress-jobs", daemon=True)
            self._thread.start()

    def shutdown(self) -> None:
        """Stop the supervisor and every worker; unfinished runs are recorded as interrupted."""
        self._stop.set()
        self.wake()
        thread = self._thread
        if thread is not None:
            thread.join(10.0)
        self._thread = None
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
            for job in self._jobs.values():
                if job.status in ("queued", "running"):
                    self._finish(job, "failed", INTERRUPTED, error=INTERRUPTED)
            self._queue.clear()
        for worker in workers:
            worker.stop(idle=worker.run_id is None)
        self._release_dir()

    def wake(self) -> None:
        """Make the supervisor look at the queue and the workers now (instead of at its next tick)."""
        try:
            os.write(self._wake_w, b"!")
        except (BlockingIOError, OSError):  # the pipe is full (a wake-up is pending anyway) or closed
            pass

    def workers(self) -> list[dict[str, Any]]:
        """The worker processes: ``pid``, ``run_id`` (or ``None`` when idle), ``ready`` and ``runs`` served."""
        with self._lock:
            return [{"pid": w.proc.pid, "run_id": w.run_id, "ready": w.ready, "runs": w.runs} for w in self._workers]

    def submit(self, spec: ScenarioSpec) -> dict[str, Any]:
        """Queue a validated run; :class:`QueueFullError` when ``max_queued`` runs already wait."""
        lim = self.limits
        with self._lock:
            free = lim.max_workers - sum(w.run_id is not None for w in self._workers)
            if len(self._queue) >= lim.max_queued + max(free, 0):
                raise QueueFullError(f"the run queue is full ({lim.max_queued} runs waiting, {lim.max_workers} "
                                     "running); try again when a run has finished")
            self._prune()
            run_id = uuid.uuid4().hex
            folder = self.folder(run_id)
            folder.mkdir(parents=True)
            _write_json(folder / "spec.json", spec.model_dump(mode="json"), durable=False)
            job = JobRecord(run_id, spec.scenario.name, "queued", _now(), paths=spec.simulation.paths,
                            horizon_years=spec.scenario.horizon_years, message="waiting for a free worker")
            self._save(job)
            self._jobs[run_id] = job
            self._queue.append(run_id)
            out = job.public()
        self.start()
        self.wake()
        return out

    def get(self, run_id: str) -> dict[str, Any]:
        """The status record of one run."""
        with self._lock:
            job = self._job(run_id)
            self._adopt(job)
            return job.public()

    def runs(self) -> list[dict[str, Any]]:
        """Every run, newest first."""
        with self._lock:
            self._adopt_all()
            jobs = sorted(self._jobs.values(), key=lambda j: (j.created, j.id), reverse=True)
            return [j.public() for j in jobs]

    def result_bytes(self, run_id: str) -> bytes:
        """The stored ``result.json`` of a finished run; :class:`RunStateError` when it is not done."""
        with self._lock:
            job = self._job(run_id)
            self._adopt(job)
            if job.status != "done":
                raise RunStateError(no_result_message(job))
        try:
            return (self.folder(run_id) / "result.json").read_bytes()
        except OSError as exc:
            raise RunStateError(f"the result of run {run_id} cannot be read: {exc.strerror}") from None

    def cancel(self, run_id: str) -> dict[str, Any]:
        """Cancel a queued or running run (its worker process is stopped); :class:`RunStateError` if finished."""
        with self._lock:
            job = self._job(run_id)
            if job.status in FINISHED:
                raise RunStateError(f"run {run_id} has already {_ENDED[job.status]}; only queued or running runs "
                                    "can be cancelled")
            if run_id in self._queue:
                self._queue.remove(run_id)
            worker = self._take_worker(run_id)
            self._finish(job, "cancelled", "cancelled on request")
        if worker is not None:
            worker.stop(idle=False)  # the run's process ends; the supervisor starts a fresh worker
        self.wake()
        return self.get(run_id)

    def pid(self, run_id: str) -> int | None:
        """Process id of the run's worker while it runs (for tests and diagnostics)."""
        with self._lock:
            return self._job(run_id).pid

    # -- internals -----------------------------------------------------------------------------------------
    def _job(self, run_id: str) -> JobRecord:
        self.folder(run_id)
        job = self._jobs.get(run_id)
        if job is None:
            raise UnknownRunError(f"no run with id {run_id}")
        return job

    def _finish(self, job: JobRecord, status: str, message: str, *, error: str | None = None) -> None:
        job.status = status
        job.message = message
        job.error = error
        job.finished = _now()
        if status == "done":
            job.progress = 1.0
        self._deadline.pop(job.id, None)
        self._launched_at.pop(job.id, None)
        try:
            self._save(job)
        except OSError as exc:  # the record stays right in memory; the next transition retries the write
            log.error("service: cannot write the status of run %s: %s", job.id, exc)

    def _prune(self) -> None:
        finished = sorted((j for j in self._jobs.values() if j.status in FINISHED), key=lambda j: (j.created, j.id))
        excess = len(self._jobs) + 1 - self.limits.max_kept_runs
        for job in finished[: max(excess, 0)]:
            shutil.rmtree(self.folder(job.id), ignore_errors=True)
            del self._jobs[job.id]

    def _take_worker(self, run_id: str) -> _Worker | None:
        """Remove and return the worker running ``run_id`` (call with the lock held)."""
        for worker in self._workers:
            if worker.run_id == run_id:
                self._workers.remove(worker)
                return worker
        return None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._tick()
            except Exception:  # never let the supervisor die; the next tick retries
                log.exception("service: job supervisor error")
            with self._lock:
                waitables: list[Any] = [self._wake_r]
                for worker in self._workers:
                    waitables += [worker.conn, worker.proc.sentinel]
            try:
                multiprocessing.connection.wait(waitables, TICK_S)
            except OSError:  # a worker's pipe closed while waiting: the next tick sees it
                pass
            try:
                while os.read(self._wake_r, 4096):
                    pass
            except (BlockingIOError, OSError):
                pass

    def _tick(self) -> None:
        stopping: list[tuple[_Worker, JobRecord | None]] = []
        with self._lock:
            now = time.monotonic()
            for worker in list(self._workers):
                message = worker.receive()
                while message is not None:
                    self._on_message(worker, message)
                    message = worker.receive()
                if not worker.alive():
                    self._workers.remove(worker)
                    worker.proc.join(0)
                    if worker.proc.is_alive():  # its pipe broke but the process lingers: end it
                        _terminate(worker.proc)
                    job = self._jobs.get(worker.run_id) if worker.run_id else None
                    if job is not None and job.status == "running":
                        self._collect(job, worker.proc.exitcode)
                    elif job is None and not self._stop.is_set():  # at shutdown (Ctrl-C, SIGTERM): expected
                        log.warning("service: idle worker %s ended (exit code %s)", worker.proc.pid,
                                    worker.proc.exitcode)
                    continue
                if worker.retire:
                    self._workers.remove(worker)
                    stopping.append((worker, None))
                    continue
                if worker.run_id is None:
                    continue
                job = self._jobs[worker.run_id]
                if now > self._deadline.get(job.id, float("inf")):
                    self._workers.remove(worker)
                    stopping.append((worker, job))
                else:
                    self._read_progress(job)
        for worker, job in stopping:
            worker.stop(idle=job is None)
            if job is None:
                continue
            with self._lock:
                if job.status == "running":
                    limit = self.limits.run_timeout_s
                    msg = f"stopped after the time limit of {limit:g} s per run; run fewer paths or a shorter horizon"
                    self._finish(job, "timeout", msg, error=msg)
        self._dispatch()
        self._fill_pool()

    def _dispatch(self) -> None:
        """Hand queued runs to idle, ready workers."""
        with self._lock:
            while self._queue and not self._stop.is_set():
                worker = next((w for w in self._workers if w.ready and w.run_id is None and not w.retire), None)
                if worker is None:
                    return
                job = self._jobs[self._queue.popleft()]
                launched = time.time()
                if not worker.send(str(self.folder(job.id))):
                    self._queue.appendleft(job.id)
                    worker.retire = True
                    continue
                worker.run_id = job.id
                job.status, job.started, job.message = "running", _now(), "calibrating to the CBO baseline"
                job.pid = worker.proc.pid
                self._deadline[job.id] = time.monotonic() + self.limits.run_timeout_s
                # start-up as the run sees it: from the dispatch (warm) or from the process start (one per run)
                self._launched_at[job.id] = launched if self.limits.warm_workers else worker.started_at
                self._save(job)

    def _fill_pool(self) -> None:
        """Start workers: ``max_workers`` kept warm, or (``warm_workers=False``) one per waiting run."""
        while not self._stop.is_set():
            with self._lock:
                live = len(self._workers) + self._launching
                busy = sum(w.run_id is not None for w in self._workers)
                if self.limits.warm_workers:
                    want = self.limits.max_workers
                else:
                    want = min(self.limits.max_workers, busy + len(self._queue))
                if live >= want:
                    return
                self._launching += 1
            try:
                worker = self._launch()
            finally:
                with self._lock:
                    self._launching -= 1
            if worker is None:
                return
            with self._lock:
                if self._stop.is_set():
                    stale = True
                else:
                    stale = False
                    self._workers.append(worker)
            if stale:
                worker.stop(idle=True)

    def _launch(self) -> _Worker | None:
        from geostress.service.worker import serve_worker

        parent, child = self._ctx.Pipe(duplex=True)
        warm_up = self.limits.warm_workers and self.limits.prewarm
        proc = self._ctx.Process(target=serve_worker, args=(child, str(self.store_home), os.getpid(), warm_up),
                                 name="geostress-worker", daemon=True)
        started = time.time()
        try:
            proc.start()
        except OSError as exc:
            parent.close()
            child.close()
            with self._lock:
                if self._queue:  # nothing can run: say why instead of leaving the runs queued
                    job = self._jobs[self._queue.popleft()]
                    self._finish(job, "failed", f"could not start a worker process: {exc}", error=str(exc))
            log.error("service: cannot start a worker process: %s", exc)
            return None
        child.close()
        limit = self.limits.max_runs_per_worker if self.limits.warm_workers else 1
        return _Worker(proc, parent, started, warm_up, limit)

    def _on_message(self, worker: _Worker, message: Any) -> None:
        """A message from a worker (lock held): ``("ready", t)`` or ``("finished", folder, status)``."""
        if not isinstance(message, tuple) or not message:
            return
        if message[0] == "ready":
            worker.ready = True
        elif message[0] == "finished" and len(message) == 3 and worker.run_id is not None:
            job = self._jobs.get(worker.run_id)
            worker.run_id = None
            worker.runs += 1
            if worker.runs >= worker.max_runs or message[2] == _EXIT_INTERNAL_ERROR:
                worker.retire = True
            if job is not None and job.status == "running":
                self._collect(job, int(message[2]))

    def _read_progress(self, job: JobRecord) -> None:
        state = _read_json(self.folder(job.id) / "progress.json")
        if not isinstance(state, dict):
            return
        launched = self._launched_at.get(job.id)
        ready = state.get("ready_at")
        if job.worker_startup_s is None and launched is not None and isinstance(ready, int | float):
            job.worker_startup_s = round(max(float(ready) - launched, 0.0), 3)
        phase, done, total = state.get("phase"), state.get("done", 0), state.get("total", 0)
        if phase == "simulating" and isinstance(total, int) and total > 0 and isinstance(done, int):
            job.progress = round(0.05 + 0.9 * min(done / total, 1.0), 4)
            job.message = f"simulating: {done:,} of {total:,} paths"
        elif phase == "writing":
            job.progress = 0.97
            job.message = "writing the result"
        elif phase == "calibrating":
            job.progress = max(job.progress, 0.02)
            job.message = "calibrating to the CBO baseline"

    def _collect(self, job: JobRecord, code: int | None) -> None:
        """Record the outcome of a worker that exited on its own."""
        if job.status != "running":
            return
        self._read_progress(job)
        folder = self.folder(job.id)
        if code == 0 and (folder / "result.json").is_file():
            took = _elapsed(job.started, _now())
            job.exit_code = 0
            self._finish(job, "done", "done" if took is None else f"done in {took:.1f} s")
            return
        err = _read_json(folder / "error.json")
        if isinstance(err, dict) and isinstance(err.get("error"), str):
            message = err["error"]
        elif code is not None and code < 0:
            message = f"the worker process was killed by signal {-code}"
        elif code == _EXIT_TERMINATED:
            message = "the worker process was stopped by a termination signal (SIGTERM) before the run finished"
        else:
            message = f"the worker process exited with code {code} without a result"
        job.exit_code = code
        self._finish(job, "failed", message, error=message)
