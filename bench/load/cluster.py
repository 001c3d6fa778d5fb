"""The cluster under load: started and stopped with ``scripts/cluster.sh``, its parts read
from ``cluster.sh status``, and its replicas' memory read from ``/proc``."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLUSTER_SCRIPT = ROOT / "scripts" / "cluster.sh"
UP_TIMEOUT_S = 240
DOWN_TIMEOUT_S = 90

_PART = re.compile(r"^(?P<name>\S+)\s+(?P<address>\S+)\s+pid\s+(?P<pid>\d+)\b")


@dataclass(frozen=True)
class Part:
    name: str
    address: str
    pid: int


@dataclass
class Status:
    """What ``cluster.sh status`` lists: ``balancer``, ``replicaN`` and ``postgresql``
    parts with their addresses and pids, and the database URL."""

    parts: dict[str, Part] = field(default_factory=dict)
    db_url: str = ""

    @property
    def replicas(self) -> dict[str, Part]:
        return {n: p for n, p in self.parts.items() if n.startswith("replica")}

    @property
    def postgresql(self) -> Part | None:
        return self.parts.get("postgresql")


def parse_status(text: str) -> Status:
    """Read the lines of ``cluster.sh status``; lines it does not know are skipped."""
    status = Status()
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("LANDMARKS_DB="):
            status.db_url = line.split("=", 1)[1].strip()
            continue
        match = _PART.match(line)
        if match:
            part = Part(match["name"], match["address"], int(match["pid"]))
            status.parts[part.name] = part
    return status


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MB (``VmRSS``), None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def established(port: int) -> int:
    """Established TCP connections to 127.0.0.1:``port`` (the balancer's websockets to a
    replica), read from ``/proc/net/tcp``."""
    try:
        lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    except OSError:
        return 0
    wanted = f"0100007F:{port:04X}"
    return sum(1 for line in lines if line.split()[1] == wanted and line.split()[3] == "01")


def port_of(address: str) -> int | None:
    match = re.search(r":(\d+)/?$", address)
    return int(match[1]) if match else None


class RssSampler:
    """Peak RSS of each replica while a scenario runs, sampled once a second."""

    def __init__(self, replicas: dict[str, Part], interval_s: float = 1.0) -> None:
        self.replicas = replicas
        self.interval_s = interval_s
        self.peak: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        for name, part in self.replicas.items():
            mb = rss_mb(part.pid)
            if mb is not None:
                self.peak[name] = max(self.peak.get(name, 0.0), mb)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self._sample()

    def __enter__(self) -> RssSampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sample()


@dataclass
class Cluster:
    """A running cluster: its balancer URL and how to ask ``cluster.sh`` about it."""

    url: str
    script: Path
    env: dict[str, str]

    def status(self) -> Status:
        done = subprocess.run(
            ["bash", str(self.script), "status"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return parse_status(done.stdout)


def cluster_env(state: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if state is not None:
        env["LANDMARKS_CLUSTER_STATE"] = str(state)
    return env


@contextlib.contextmanager
def started(script: Path, state: Path, replicas: int) -> Iterator[Cluster]:
    """``cluster.sh up N`` under its own state dir; ``down`` on the way out, whatever
    happened (an exception, Ctrl-C, a failed start)."""
    env = cluster_env(state)
    try:
        done = subprocess.run(
            ["bash", str(script), "up", str(replicas)],
            env=env,
            capture_output=True,
            text=True,
            timeout=UP_TIMEOUT_S,
            check=False,
        )
        lines = done.stdout.strip().splitlines()
        if done.returncode != 0 or not lines:
            raise RuntimeError(
                f"cluster.sh up failed (exit {done.returncode}):\n{done.stderr[-2000:]}"
            )
        yield Cluster(lines[-1].strip().rstrip("/"), script, env)
    finally:
        subprocess.run(
            ["bash", str(script), "down"],
            env=env,
            capture_output=True,
            timeout=DOWN_TIMEOUT_S,
            check=False,
        )
