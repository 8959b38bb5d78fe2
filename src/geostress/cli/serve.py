"""``geostress serve``: the web service and dashboard (FastAPI under uvicorn), on loopback by default."""

from __future__ import annotations

import ipaddress
import socket
import sys
from pathlib import Path
from typing import Annotated

import typer

from geostress.cli.common import error, friendly, output_folder
from geostress.run.limits import MAX_PATHS

LOOPBACK_NAMES = {"localhost", "ip6-localhost"}
#: uvicorn's log levels.
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (127.0.0.0/8, ::1 or localhost)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: a free port chosen by the system).

    The protocol is named (``IPPROTO_TCP``) on purpose: asyncio sets ``TCP_NODELAY`` on accepted connections only
    then; without it Nagle's algorithm and delayed ACKs add about 40 ms to every small response.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to ``app``."""

    @app.command("serve")
    @friendly
    def serve_cmd(
        host: Annotated[str, typer.Option("--host", help="Address to bind (loopback unless --allow-remote).")]
        = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port (0: any free port).")] = 8000,
        scenarios: Annotated[Path | None, typer.Option("--scenarios", help="Folder of scenario TOML files offered "
                                                       "to clients (default ./scenarios if it exists).")] = None,
        workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Scenario runs at once (one "
                                             "process each).")] = 1,
        max_paths: Annotated[int, typer.Option("--max-paths", min=0, max=MAX_PATHS["coupled"],
                                               help="Most paths per submitted run.")]
        = 20_000,
        max_queued: Annotated[int, typer.Option("--max-queued", min=0, max=10_000, help="Runs that may wait.")] = 8,
        run_timeout: Annotated[float, typer.Option("--run-timeout", min=1, max=86_400,
                                                   help="Seconds a run may take.")] = 300.0,
        service_dir: Annotated[Path | None, typer.Option("--service-dir", help="Where runs are kept (default "
                                                         "$GEOSTRESS_HOME/service).")] = None,
        allow_remote: Annotated[bool, typer.Option("--allow-remote", help="Allow a non-loopback --host (the "
                                                   "service has no authentication).")] = False,
        log_level: Annotated[str, typer.Option("--log-level", help="uvicorn log level: " + ", ".join(LOG_LEVELS)
                                               + ".")] = "warning",
    ) -> None:
        """Serve the JSON API (OpenAPI at /openapi.json) and the dashboard at http://HOST:PORT/."""
        if not is_loopback(host) and not allow_remote:
            error(f"--host {host} is not a loopback address; the service has no authentication. Use --host "
                  "127.0.0.1, or add --allow-remote to expose it on purpose.")
            raise typer.Exit(2)
        if scenarios is not None and not scenarios.is_dir():
            error(f"--scenarios {scenarios} is not a folder")
            raise typer.Exit(2)
        if log_level.lower() not in LOG_LEVELS:
            raise typer.BadParameter(f"{log_level!r} is not one of {', '.join(LOG_LEVELS)}", param_hint="--log-level")
        if service_dir is not None:
            output_folder(service_dir, "service", option="--service-dir")  # a folder we can write, before starting
        import uvicorn

        from geostress.service import ServiceLimits, create_app
        from geostress.service.app import LOOPBACK_HOSTS

        limits = ServiceLimits(max_paths=max_paths, max_workers=workers, max_queued=max_queued,
                               run_timeout_s=run_timeout)
        app_ = create_app(service_dir=service_dir, scenarios_dir=scenarios, limits=limits,
                          allowed_hosts=["*"] if not is_loopback(host) else [*LOOPBACK_HOSTS, host])
        try:
            sock = bind_socket(host, port)
        except OSError as exc:
            error(f"cannot listen on {host}:{port}: {exc.strerror}")
            raise typer.Exit(1) from None
        bound = sock.getsockname()[1]
        shown = f"[{host.strip('[]')}]" if ":" in host else host
        sys.stdout.write(f"geostress dashboard: http://{shown}:{bound}/  (API: http://{shown}:{bound}/api, "
                         f"runs kept in {app_.state.jobs.service_dir})\n")
        sys.stdout.flush()
        config = uvicorn.Config(app_, log_level=log_level.lower(), timeout_keep_alive=5, server_header=False,
                                limit_concurrency=1000, timeout_graceful_shutdown=5)
        uvicorn.Server(config).run(sockets=[sock])
