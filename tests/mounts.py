"""Real read-only and full places for tests, made in a private mount namespace.

The tests run as root here, and file permissions do not stop root, so a read-only place
has to be a read-only mount (what a write-protected USB stick or a locked-down server
gives: ``EROFS``).  Each check runs as a child process under ``unshare --mount``: its
bind mounts (or a tiny tmpfs, for a full disk) exist only for that child and vanish with
it, whatever happens to the test.  Where mounts are not permitted the tests are skipped.
"""

from __future__ import annotations

import functools
import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def read_only_bind(place: Path) -> str:
    """The shell commands making ``place`` (a file or a folder) read-only in place."""
    quoted = shlex.quote(str(place))
    return f"mount --bind {quoted} {quoted} && mount -o remount,ro,bind {quoted} {quoted}"


def tiny_tmpfs(folder: Path, kilobytes: int) -> str:
    """The shell command mounting an almost full disk (a ``kilobytes`` tmpfs) on ``folder``."""
    return f"mount -t tmpfs -o size={kilobytes}k tmpfs {shlex.quote(str(folder))}"


@functools.cache
def mounts_permitted() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "sh", "-c", "mount -t tmpfs tmpfs /mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def require_mounts() -> None:
    if not mounts_permitted():
        pytest.skip("read-only mounts need unshare and mount permission (CAP_SYS_ADMIN)")


def wrapped(mounts: Sequence[str], command: Sequence[str]) -> list[str]:
    """``command`` run after ``mounts`` in a private mount namespace."""
    script = " && ".join([*mounts, 'exec "$@"'])
    return ["unshare", "--mount", "sh", "-c", script, "sh", *command]


def run_python(mounts: Sequence[str], code: str, env: dict[str, str] | None = None) -> Any:
    """Run ``code`` (which prints one JSON value last) with ``mounts`` in place; its value."""
    require_mounts()
    done = subprocess.run(
        wrapped(mounts, [sys.executable, "-c", code]),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
