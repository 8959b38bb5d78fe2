"""A stopped service leaves no leaked semaphore: real ``geostress serve`` processes, stopped by signals.

Each worker holds a named POSIX semaphore (numba's parallel init lock, a ``multiprocessing.RLock`` of the worker's
``forkserver`` context) that only an orderly exit of the worker unlinks. A worker ended by the default action of
SIGTERM (shutdown of a busy or still-warming worker) or by ``os._exit`` (the watch of a killed server) left it to
the resource tracker, which printed "There appear to be N leaked semaphore objects to clean up at shutdown" on
the server's stderr. These tests read that stderr after every process of the service tree has ended.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from test_service_restart import SLOW_SPEC, SMALL_SPEC, ServerProcess

#: Seconds the server may take to stop after SIGTERM (graceful HTTP shutdown, then each worker: 1 s to leave,
#: 1 s after SIGTERM, then SIGKILL).
STOP_BOUND_S = 15.0


def _descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (fork server, resource tracker, workers), read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _wait_gone(pids: set[int], timeout: float) -> set[int]:
    """Wait until none of ``pids`` is alive; those still alive after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = {p for p in pids if _alive(p)}
        if not left:
            return left
        time.sleep(0.05)
    return {p for p in pids if _alive(p)}


def _start_busy(server: ServerProcess) -> str:
    """A finished small run (its ensemble loads the worker's parallel kernels, creating the semaphore), then a slow
    run that is still running a second after it started: the worker is busy when the test stops the server."""
    small = server.client.post("/api/runs", json={"spec": SMALL_SPEC}).json()["id"]
    assert server.wait_for(small, ("done", "failed"))["status"] == "done"
    run = server.client.post("/api/runs", json={"spec": SLOW_SPEC}).json()["id"]
    server.wait_for(run, ("running",))
    time.sleep(1.0)
    status = server.client.get(f"/api/runs/{run}").json()
    assert status["status"] == "running", f"the slow run is no longer running: {status}"
    return run


def _stop_and_read(server: ServerProcess, sig: int = signal.SIGTERM) -> tuple[int | None, float, str]:
    """Signal the server; its exit status, the seconds it took, and its stderr once its whole tree has ended."""
    tree = _descendants(server.proc.pid)
    start = time.monotonic()
    server.proc.send_signal(sig)
    try:
        server.proc.wait(STOP_BOUND_S)
    except Exception:  # noqa: BLE001 - reported by the assertion on the time below
        pass
    took = time.monotonic() - start
    left = _wait_gone(tree, 15.0)  # the resource tracker writes its warning as it ends, after the server
    code = server.stop()  # SIGKILLs a server that is still up, closes the log
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"processes of the stopped server still running: {sorted(left)}"
    return code, took, server.log.read_text(errors="replace")


def _assert_clean(code: int | None, took: float, log: str) -> None:
    # uvicorn re-raises the signal after its graceful shutdown (docs/service.md): -SIGTERM is the clean status
    assert code in (0, -signal.SIGTERM), f"exit status {code}; stderr:\n{log}"
    assert took < STOP_BOUND_S, f"the server took {took:.1f} s to stop; stderr:\n{log}"
    assert "leaked" not in log and "resource_tracker" not in log, log
    assert "Traceback" not in log, log


@pytest.mark.timeout(180)
def test_sigterm_with_a_busy_worker_leaks_no_semaphore(geostress_home: Path) -> None:
    geostress_home.mkdir(parents=True, exist_ok=True)
    server = ServerProcess(geostress_home, "--workers", "1")
    try:
        run = _start_busy(server)
    except BaseException:
        server.stop(signal.SIGKILL)
        raise
    _assert_clean(*_stop_and_read(server))
    job = (geostress_home / "service" / "runs" / run / "job.json").read_text(encoding="utf-8")
    assert '"interrupted: the server stopped before the run finished; submit it again"' in job


@pytest.mark.timeout(180)
def test_sigterm_after_a_finished_run_leaks_no_semaphore(geostress_home: Path) -> None:
    """The report's case: a run is done, the worker goes on warming up (its ensemble step), SIGTERM comes."""
    geostress_home.mkdir(parents=True, exist_ok=True)
    server = ServerProcess(geostress_home, "--workers", "1")
    try:
        run = server.client.post("/api/runs", json={"spec": SMALL_SPEC}).json()["id"]
        assert server.wait_for(run, ("done", "failed"))["status"] == "done"
    except BaseException:
        server.stop(signal.SIGKILL)
        raise
    _assert_clean(*_stop_and_read(server))


@pytest.mark.timeout(180)
def test_a_killed_servers_worker_ends_without_leaking(geostress_home: Path) -> None:
    """kill -9 of the server: its busy worker notices, ends in an orderly way and unlinks its semaphore."""
    geostress_home.mkdir(parents=True, exist_ok=True)
    server = ServerProcess(geostress_home, "--workers", "1")
    try:
        _start_busy(server)
    except BaseException:
        server.stop(signal.SIGKILL)
        raise
    code, _, log = _stop_and_read(server, signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert "leaked" not in log and "Traceback" not in log, log


def test_a_run_whose_worker_got_someone_elses_sigterm_says_so(tmp_path: Path) -> None:
    """A worker stopped by a SIGTERM the service did not send exits with EXIT_TERMINATED; its run fails naming it."""
    from geostress.service import worker
    from geostress.service.jobs import JobManager, JobRecord
    from geostress.service.limits import ServiceLimits

    assert worker.EXIT_TERMINATED == 128 + signal.SIGTERM
    manager = JobManager(tmp_path / "svc", ServiceLimits(), tmp_path / "home")
    try:
        job = JobRecord("a" * 32, "baseline", "running", "2026-01-01T00:00:00.000Z",
                        started="2026-01-01T00:00:01.000Z")
        manager.folder(job.id).mkdir(parents=True)
        manager._jobs[job.id] = job
        manager._collect(job, worker.EXIT_TERMINATED)
    finally:
        manager.shutdown()
    assert job.status == "failed" and job.exit_code == worker.EXIT_TERMINATED
    assert job.error is not None and "termination signal (SIGTERM)" in job.error


#: A process set up as a worker is (the SIGTERM handler, a named semaphore like numba's), busy in a long query.
BUSY_IN_A_QUERY = """
import multiprocessing, sys
import duckdb
from geostress.service import worker

lock = multiprocessing.get_context("forkserver").RLock()  # named, registered with a resource tracker
worker._orderly_sigterm()
con = duckdb.connect()
print("ready", flush=True)
try:
    con.execute("SELECT count(*) FROM range(20000000000) a, range(10) b WHERE a.range % 7 = b.range").fetchall()
except BaseException as exc:
    print(f"the query ended with {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
    raise
print("the query finished", file=sys.stderr, flush=True)
"""


@pytest.mark.timeout(120)
def test_sigterm_in_the_middle_of_a_query_exits_at_once_and_unlinks(tmp_path: Path) -> None:
    """The handler exits from where it runs: no exception a query turns into "Query interrupted" (which a run
    would have recorded as an internal error, carrying on), and the named semaphore is unlinked."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", BUSY_IN_A_QUERY], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    time.sleep(1.0)
    assert proc.poll() is None, "the query finished before the signal"
    start = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)  # stderr closes once the resource tracker has ended too
    assert proc.returncode == 143, (proc.returncode, err)
    assert time.monotonic() - start < 5.0
    assert "leaked" not in err and "Traceback" not in err and "the query" not in err, err
