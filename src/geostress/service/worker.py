"""The worker processes of scenario runs: read ``spec.json``, run the engine, write ``result.json``.

A warm worker (:func:`serve_worker`) stays alive between runs and takes run folders from the service over a
pipe, so that calibrations and compiled kernels loaded by one run serve the next; a one-run worker
(:func:`run_worker`) runs one folder and exits. Either way a run never executes in the server's own process.

A run folder holds (all written atomically: a temporary file, then :func:`os.replace`):

* ``spec.json``: the validated scenario specification (written by the service);
* ``progress.json``: ``{"phase", "done", "total", "ready_at", "updated_at"}``, rewritten at most every
  :data:`PROGRESS_INTERVAL_S` seconds by the worker;
* ``result.json``: the payload of :func:`geostress.service.payloads.result_payload`, written last;
* ``error.json``: ``{"error": message}`` when the run failed.

The worker exits with status 0 on success, :data:`EXIT_SCENARIO_ERROR` when the scenario cannot run (the message
is for the user) and :data:`EXIT_INTERNAL_ERROR` on an unexpected error. A thread watches the server process and
ends the worker when the server has died (:data:`EXIT_ORPHANED`), so a killed server leaves no run computing behind
it.

SIGTERM (how the service stops a worker: shutdown, cancel, time limit) ends the worker in an orderly way, with
status :data:`EXIT_TERMINATED`: its handler runs multiprocessing's exit finalizers, then exits
(:func:`_exit_on_sigterm`). They matter: numba's parallel backend creates a named POSIX semaphore in each worker (its
process-wide init lock, ``numba.np.ufunc.parallel._backend_init_process_lock``, a ``multiprocessing.RLock`` of the
worker's ``forkserver`` context), registered with the server's resource tracker and unlinked only by a finalizer
at an orderly exit. A worker ended by the default SIGTERM action (or ``os._exit``) left it behind, and the
resource tracker then printed "There appear to be N leaked semaphore objects to clean up at shutdown" when the
server stopped. Only a worker that holds the interpreter in compiled code past the service's grace (1 s) is
still killed (SIGKILL); its semaphore is then removed by the resource tracker, with that warning.

This module imports the engine and its calibration modules at import time on purpose: the service preloads it
in the fork server, so that a worker starts with numpy, pandas, scipy, numba and the engine already imported.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

# Preloaded in the fork server: everything a run imports (about 0.9 s that each worker would otherwise repeat).
import geostress.calibrate.fiscal  # noqa: F401
import geostress.calibrate.macro  # noqa: F401
import geostress.calibrate.market  # noqa: F401
import geostress.run.coupled  # noqa: F401
import geostress.run.engine  # noqa: F401
import geostress.results  # noqa: F401
import geostress.spec.scenario  # noqa: F401
from geostress.util.atomic import write_bytes_atomic
from geostress.errors import GeostressError

PROGRESS_INTERVAL_S = 0.25
EXIT_SCENARIO_ERROR = 3
EXIT_INTERNAL_ERROR = 4
EXIT_ORPHANED = 70
#: Exit status of a worker stopped by SIGTERM (128 + 15, as a shell reports a process ended by that signal).
EXIT_TERMINATED = 128 + signal.SIGTERM
#: Seconds an orphaned worker gives its orderly exit before it ends at once (``os._exit``).
ORPHAN_GRACE_S = 2.0

#: The status the next SIGTERM exits with (:data:`EXIT_ORPHANED` once the watch thread has found the server gone).
_exit_status = [EXIT_TERMINATED]


def _json(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def _quiet_interrupts() -> None:
    """Ignore SIGINT: Ctrl-C reaches the whole process group, and the server, not the worker, decides how a run
    ends on shutdown (it stops every worker itself); without this each idle worker printed a KeyboardInterrupt
    traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    """SIGTERM handler: end the process now, as a multiprocessing child ends after its target returns.

    That is ``multiprocessing.util._exit_function()`` (the finalizers: it unlinks the named semaphores this process
    created, numba's parallel init lock among them, and tells the resource tracker), a flush of stdout and stderr,
    then ``os._exit``. The default action of SIGTERM skipped the finalizers and leaked the semaphores. The handler
    exits from where it runs instead of raising :class:`SystemExit`: an exception raised inside a query (DuckDB
    turns it into "Query interrupted") or a broad ``except`` would be taken for a failed run, recorded in
    ``error.json`` and the worker would carry on. Later SIGTERMs are ignored (the service follows up with SIGKILL
    when the exit takes too long).
    """
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    import multiprocessing.util

    try:
        multiprocessing.util._exit_function()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (AttributeError, OSError, ValueError):
                pass
        os._exit(_exit_status[0])


def _orderly_sigterm() -> None:
    """Make SIGTERM end this worker in an orderly way (:func:`_exit_on_sigterm`); call from the main thread."""
    _exit_status[0] = EXIT_TERMINATED
    signal.signal(signal.SIGTERM, _exit_on_sigterm)


def _watch_server(server_pid: int, interval: float = 0.5, grace: float = ORPHAN_GRACE_S) -> None:
    """End this process (exit status :data:`EXIT_ORPHANED`) as soon as the server process is gone.

    The watch thread signals the process (SIGTERM, an orderly exit: :func:`_exit_on_sigterm`) and ends it at once
    (``os._exit``) when it is still alive ``grace`` seconds later (the main thread held in compiled code).
    """
    first_parent = os.getppid()

    def orphaned() -> None:
        _exit_status[0] = EXIT_ORPHANED
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(grace)
        os._exit(EXIT_ORPHANED)

    def watch() -> None:
        while True:
            time.sleep(interval)
            try:
                os.kill(server_pid, 0)
            except ProcessLookupError:
                orphaned()
            except PermissionError:  # pragma: no cover - the pid was reused by another user's process
                orphaned()
            if os.getppid() != first_parent:  # our parent (server or fork server) died
                orphaned()

    threading.Thread(target=watch, name="geostress-server-watch", daemon=True).start()


def execute(run_dir: str, store_home: str, ready_at: float | None = None) -> int:
    """Run the scenario of one run folder and write its files; the exit status (0, :data:`EXIT_SCENARIO_ERROR`
    or :data:`EXIT_INTERNAL_ERROR`). Never raises for a failed run: the message goes to ``error.json``."""
    ready_at = time.time() if ready_at is None else ready_at
    os.environ["GEOSTRESS_HOME"] = store_home
    folder = Path(run_dir)
    state: dict[str, Any] = {"phase": "calibrating", "done": 0, "total": 0, "ready_at": ready_at}
    last = [0.0]

    def report(force: bool = False) -> None:
        now = time.time()
        if force or now - last[0] >= PROGRESS_INTERVAL_S:
            last[0] = now
            state["updated_at"] = now
            write_bytes_atomic(folder / "progress.json", _json(state))

    def progress(done: int, total: int) -> None:
        state.update(phase="simulating", done=int(done), total=int(total))
        report(force=done >= total)

    try:
        from geostress.data.store import Store
        from geostress.run.engine import run_scenario
        from geostress.run.inputs import store_for
        from geostress.service.payloads import dumps, result_payload
        from geostress.spec.scenario import parse_scenario

        spec = parse_scenario(json.loads((folder / "spec.json").read_text(encoding="utf-8")), origin="spec.json")
        state["total"] = spec.simulation.paths
        report(force=True)
        store = store_for(spec, Store(store_home))  # the releases the run read (scenario.data_as_of)
        result = run_scenario(spec, store=store, progress=progress)
        state.update(phase="writing")
        report(force=True)
        holders = None
        if result.coupled is not None:  # the sectors the run sold from: the published range of its sales
            from geostress.run.coupled import holders_for

            holders = holders_for(store, result.calibration)
        payload = dumps(result_payload(folder.name, result, holders))
        write_bytes_atomic(folder / "result.json", payload, durable=True)
    except GeostressError as exc:
        write_bytes_atomic(folder / "error.json", _json({"error": str(exc)}), durable=True)
        return EXIT_SCENARIO_ERROR
    except Exception as exc:  # an engine bug: keep the server alive, tell the user, log the traceback
        traceback.print_exc()
        message = f"internal error in the run: {type(exc).__name__}: {exc}"
        write_bytes_atomic(folder / "error.json", _json({"error": message}), durable=True)
        return EXIT_INTERNAL_ERROR
    return 0


#: The warm-up steps of a new worker: a deterministic run (the calibration), then a tiny ensemble (its kernel).
PREWARM_PATHS = (0, 8)


def prewarm(store_home: str, paths: int = 0) -> None:
    """One warm-up step: run the latest CBO baseline with ``paths`` paths, so that a later run of the default
    horizon finds the calibration remembered (and, with paths, the ensemble kernel loaded). Failures are ignored
    (a run will report them)."""
    try:
        from geostress.data.store import Store
        from geostress.run.engine import run_scenario
        from geostress.spec.scenario import parse_scenario

        run_scenario(parse_scenario({"scenario": {"name": "prewarm"}, "simulation": {"paths": paths}}),
                     store=Store(store_home))
    except Exception:  # noqa: BLE001 - a store without data, say: the runs will say what is wrong
        pass


def serve_worker(conn: Connection, store_home: str, server_pid: int, warm_up: bool) -> None:
    """Entry point of a warm worker process: run the folders the service sends, one after another.

    Protocol over ``conn``: the worker sends ``("ready", time)`` once started and warms up (:func:`prewarm`, when
    ``warm_up``) whenever it is idle, a step at a time, until the steps are done; the service sends a run folder
    (``str``) and the worker answers ``("finished", folder, status)`` when it is written; ``None`` or a closed pipe
    ends the worker. A run that must stop early (cancel, time limit) is stopped by ending the whole process
    (SIGTERM: an orderly exit, :func:`_exit_on_sigterm`): the service then starts a fresh worker.
    """
    _quiet_interrupts()
    _orderly_sigterm()
    _watch_server(server_pid)
    os.environ["GEOSTRESS_HOME"] = store_home
    conn.send(("ready", time.time()))
    steps = list(PREWARM_PATHS) if warm_up else []
    while True:
        # warm up while idle: a run that arrives waits at most for the step in progress
        while steps and not conn.poll():
            prewarm(store_home, steps.pop(0))
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if not isinstance(message, str):
            return
        code = execute(message, store_home, time.time())
        try:
            conn.send(("finished", message, code))
        except (BrokenPipeError, OSError):
            return


def run_worker(run_dir: str, store_home: str, server_pid: int) -> None:
    """Entry point of a one-run worker process (the target of :class:`multiprocessing.Process`)."""
    ready_at = time.time()
    _quiet_interrupts()
    _orderly_sigterm()
    _watch_server(server_pid)
    sys.exit(execute(run_dir, store_home, ready_at))
