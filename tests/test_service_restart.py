"""Crash safety of the web service: kill -9 the real server, start it again, finished results are intact.

Also holds :class:`ServerProcess`, the helper that runs ``geostress serve`` as a real process on a free loopback
port (used by test_service_api.py and benchmarks/bench_service.py has its own copy).
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from geostress.spec.presets import PRESETS_DIR

REPO = Path(__file__).resolve().parents[1]
INTERRUPTED = "interrupted: the server stopped before the run finished; submit it again"
#: A run that takes far longer than any test waits: the coupled market loop on 20,000 paths over 50 years.
SLOW_SPEC = {"scenario": {"name": "slow", "horizon_years": 50}, "simulation": {"paths": 20_000},
             "market": {"enabled": True}}
SMALL_SPEC = {"scenario": {"name": "small", "horizon_years": 10}, "simulation": {"paths": 200, "seed": 7}}


def serve_command() -> list[str]:
    """The ``geostress`` console script next to this interpreter, else ``python -m geostress.cli``."""
    script = Path(sys.executable).with_name("geostress")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "geostress.cli"]


class ServerProcess:
    """``geostress serve --port 0`` in a subprocess; ``url`` is read from the line it prints."""

    def __init__(self, home: Path, *args: str, log: Path | None = None, timeout: float = 60.0) -> None:
        env = dict(os.environ, GEOSTRESS_HOME=str(home), PYTHONUNBUFFERED="1")
        self.log = log or home.parent / f"server-{time.monotonic_ns()}.log"
        self._err = open(self.log, "wb")  # noqa: SIM115 - closed in stop()
        cmd = [*serve_command(), "serve", "--port", "0", "--scenarios", str(PRESETS_DIR), *args]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self._err, env=env, cwd=home.parent)
        self.url = self._read_url(timeout)
        self.client = httpx.Client(base_url=self.url, timeout=30.0)
        self._wait_healthy(timeout)

    def _read_url(self, timeout: float) -> str:
        assert self.proc.stdout is not None
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        buf = b""
        while time.monotonic() < deadline and b"\n" not in buf:
            if self.proc.poll() is not None:
                break
            if sel.select(timeout=0.2):
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    break
                buf += chunk
        sel.close()
        line = buf.decode(errors="replace")
        if "http://" not in line:
            self.stop()
            raise RuntimeError(f"server did not start: {line!r}; log: {self.log.read_text(errors='replace')[-2000:]}")
        host_port = line.split("http://", 1)[1].split("/", 1)[0]
        return f"http://{host_port}"

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.client.get("/api/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("server never became healthy")

    def wait_for(self, run_id: str, states: tuple[str, ...], timeout: float = 60.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.client.get(f"/api/runs/{run_id}").json()
            if status["status"] in states:
                return status
            time.sleep(0.1)
        raise AssertionError(f"run {run_id} never reached {states}: {status}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs."""
        self.proc.kill()
        self.proc.wait(10)
        self.stop()

    def stop(self, sig: int = signal.SIGTERM) -> int | None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if hasattr(self, "client"):
            self.client.close()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._err.close()
        return self.proc.returncode


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in _proc_state(pid)


def _proc_state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "?"


@pytest.mark.timeout(120)
def test_killed_server_restarts_with_finished_results_intact(geostress_home: Path) -> None:
    geostress_home.mkdir(parents=True, exist_ok=True)
    first = ServerProcess(geostress_home, "--workers", "1")
    try:
        done = first.client.post("/api/runs", json={"spec": SMALL_SPEC}).json()["id"]
        assert first.wait_for(done, ("done", "failed"))["status"] == "done"
        result = first.client.get(f"/api/runs/{done}/result")
        assert result.status_code == 200
        before = result.content
        listed_before = {r["id"]: r for r in first.client.get("/api/runs").json()["runs"]}

        slow = first.client.post("/api/runs", json={"spec": SLOW_SPEC}).json()["id"]
        first.wait_for(slow, ("running",))
        job_file = geostress_home / "service" / "runs" / slow / "job.json"
        deadline = time.monotonic() + 30
        while json.loads(job_file.read_text())["pid"] is None and time.monotonic() < deadline:
            time.sleep(0.05)
        worker_pid = json.loads(job_file.read_text())["pid"]
        assert worker_pid and _pid_alive(worker_pid)
    finally:
        first.kill()

    # the orphaned worker notices the dead server and ends by itself
    deadline = time.monotonic() + 10
    while _pid_alive(worker_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _pid_alive(worker_pid), "the worker of the killed server is still running"

    # half-written or foreign folders must not stop the restart
    runs = geostress_home / "service" / "runs"
    (runs / ("f" * 32)).mkdir()
    (runs / ("f" * 32) / "job.json").write_text('{"id": "fff', encoding="utf-8")
    (runs / ("e" * 32)).mkdir()
    (runs / "not-a-run").mkdir()

    second = ServerProcess(geostress_home, "--workers", "1")
    try:
        listed = {r["id"]: r for r in second.client.get("/api/runs").json()["runs"]}
        assert set(listed) == {done, slow}
        assert listed[done] == listed_before[done]
        assert listed[done]["status"] == "done"
        again = second.client.get(f"/api/runs/{done}/result")
        assert again.status_code == 200
        assert again.content == before  # byte for byte
        assert listed[slow]["status"] == "failed"
        assert listed[slow]["message"] == INTERRUPTED
        assert second.client.get(f"/api/runs/{slow}/result").status_code == 409
        # the restarted server still runs new work
        fresh = second.client.post("/api/runs", json={"spec": {"simulation": {"paths": 0},
                                                               "scenario": {"horizon_years": 5}}}).json()["id"]
        assert second.wait_for(fresh, ("done", "failed"))["status"] == "done"
    finally:
        code = second.stop()
    # uvicorn re-raises the signal after its graceful shutdown, so -SIGTERM is a clean exit too
    assert code in (0, -signal.SIGTERM), f"exit status {code}"
    assert "Traceback" not in second.log.read_text(errors="replace")
