"""The app as a real ``streamlit run`` server on 127.0.0.1, started and stopped by the harness."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_FILE = ROOT / "app.py"
SERVER_START_TIMEOUT = 90.0
PORT_ATTEMPTS = 3


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class StreamlitServer:
    """A ``streamlit run`` process on 127.0.0.1 that this harness started and owns."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    started_at: float

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "") -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """End the server's own process group (it was started in a new session)."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)


def start_server(
    app: Path,
    log_path: Path,
    env: Mapping[str, str],
    *,
    port: int | None = None,
    timeout: float = SERVER_START_TIMEOUT,
    cwd: Path = ROOT,
    wrapper: Sequence[str] = (),
) -> StreamlitServer:
    """Launch ``streamlit run`` in ``cwd`` and return once ``/_stcore/health`` answers.

    Without a ``port``, a free one is chosen; should another process (a parallel test
    worker) take it before Streamlit binds it, the launch is tried on another.
    ``wrapper`` is a command that runs the server, its arguments appended (e.g. one
    making a read-only mount first, ``tests/mounts.py``); it must ``exec`` the server.
    """
    if port is not None:
        return _launch(app, log_path, env, port, timeout, cwd, wrapper)
    for _ in range(PORT_ATTEMPTS - 1):
        try:
            return _launch(app, log_path, env, free_port(), timeout, cwd, wrapper)
        except PortTakenError:
            continue
    return _launch(app, log_path, env, free_port(), timeout, cwd, wrapper)


class PortTakenError(RuntimeError):
    """Streamlit exited because its port was taken meanwhile."""


def _launch(
    app: Path,
    log_path: Path,
    env: Mapping[str, str],
    port: int,
    timeout: float,
    cwd: Path,
    wrapper: Sequence[str] = (),
) -> StreamlitServer:
    full_env = {**os.environ, **env}
    command = [
        *wrapper, sys.executable, "-m", "streamlit", "run", str(app),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        # No file watcher: tests and benchmarks never edit the app while it runs.
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
    ]  # fmt: skip
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("wb")
    started_at = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=full_env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    log.close()
    server = StreamlitServer(process, port, log_path, started_at)
    try:
        wait_for_health(server, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def wait_for_health(server: StreamlitServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            log = server.log_text()
            if f"Port {server.port} is not available" in log:
                raise PortTakenError(log)
            raise RuntimeError(f"streamlit exited early:\n{log[-4000:]}")
        try:
            with urllib.request.urlopen(server.url("_stcore/health"), timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"streamlit did not answer within {timeout:.0f} s:\n{server.log_text()}")
