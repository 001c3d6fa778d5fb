"""The faults: PostgreSQL restarted in the middle of an import (on the cluster), and
SQLite alone on a full disk and on a read-only file (no cluster).

Mounts are made in a private mount namespace (``unshare --mount``, ``tests/mounts.py``):
they exist only for the process run under them and vanish with it, so nothing is left
mounted whatever happens to the run.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from playwright.sync_api import sync_playwright

from bench.load.data import (
    TRACEBACK,
    Imported,
    count,
    finish_import,
    seeded,
    start_import,
    write_import_file,
)
from bench.load.sessions import CHROMIUM, VIEWPORT
from landmarks.data import store
from landmarks.data.locations import BACKUP_DIR_ENV_VARIABLE
from tests import mounts
from tests.harness.mapcheck import map_frame
from tests.harness.pages import open_page, streamlit_errors
from tests.harness.server import APP_FILE, start_server

ROOT = Path(__file__).resolve().parents[2]
LOCK_POLL_S = 0.02
RESTART_TIMEOUT_S = 60
IMPORT_TIMEOUT_S = 180
PG_OWNER = os.environ.get("LANDMARKS_PG_OWNER", "postgres")


# ------------------------------------------------------------ PostgreSQL restarted


@dataclass
class Restarted:
    file_rows: int
    first: Imported | None = None  # the import PostgreSQL was restarted under
    retry: Imported | None = None  # run again after a refusal
    mid_write: bool = False  # the restart came while the import held the write lock
    present_after_first: int = 0
    present_at_end: int = 0
    problems: list[str] = field(default_factory=list)


def _postmaster(pid: int) -> tuple[Path, Path]:
    """The data directory (the postmaster's working directory) and pg_ctl beside it."""
    data = Path(os.readlink(f"/proc/{pid}/cwd"))
    binary = Path(os.readlink(f"/proc/{pid}/exe"))
    return data, binary.parent / "pg_ctl"


def restart_postgres(pid: int) -> str:
    data, pg_ctl = _postmaster(pid)
    command = [str(pg_ctl), "restart", "-D", str(data), "-m", "fast", "-w",
               "-t", str(RESTART_TIMEOUT_S), "-l", str(data.parent / "log")]  # fmt: skip
    if os.geteuid() == 0:
        command = ["runuser", "-u", PG_OWNER, "--", *command]
    done = subprocess.run(
        command, cwd="/tmp", capture_output=True, text=True,
        timeout=RESTART_TIMEOUT_S + 30, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"pg_ctl restart failed: {done.stderr.strip()[-500:]}")
    return str(data)


def _write_lock_held(engine: sa.Engine) -> bool:
    """Whether some session holds an advisory lock (the store's write lock)."""
    with engine.connect() as connection:
        held = connection.execute(
            sa.text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")
        ).scalar_one()
    return bool(held)


def postgres_restart(db_url: str, postmaster_pid: int, rows: int, folder: Path) -> Restarted:
    """An import of ``rows`` products; PostgreSQL restarted as soon as the import holds
    the write lock (or, if it never is seen holding it, right after).  A refused import
    is run again once PostgreSQL is back."""
    file = folder / "restart-import.csv"
    names = write_import_file(file, rows, rng_seed=3)
    outcome = Restarted(rows)
    seeded(db_url)
    engine = sa.create_engine(sa.make_url(db_url), poolclass=sa.NullPool)
    try:
        process = start_import(db_url, file, author="负载测试：重启")
        deadline = time.monotonic() + IMPORT_TIMEOUT_S
        while process.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(sa.exc.SQLAlchemyError):
                if _write_lock_held(engine):
                    outcome.mid_write = True
                    break
            time.sleep(LOCK_POLL_S)
        restart_postgres(postmaster_pid)
        outcome.first = finish_import(process, deadline - time.monotonic())
    finally:
        engine.dispose()
    outcome.present_after_first = count(db_url, names).of_names
    if outcome.first.code != 0:
        retry = finish_import(start_import(db_url, file, author="负载测试：重试"), IMPORT_TIMEOUT_S)
        outcome.retry = retry
    outcome.present_at_end = count(db_url, names).of_names
    return outcome


# ----------------------------------------------------------------- SQLite faults


@dataclass
class SqliteFault:
    name: str
    code: int = -1
    output: str = ""
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    page_map: bool = False  # the app's page drew its map on that database
    page_messages: list[str] = field(default_factory=list)
    page_tracebacks: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        keys = ("products", "digest")
        return bool(self.before) and all(self.before[k] == self.after.get(k) for k in keys)

    @property
    def tracebacks(self) -> int:
        return (TRACEBACK in self.output) + self.page_tracebacks


def _import_into(
    fault: SqliteFault, mounted: list[str], command: list[str], env: dict[str, str]
) -> None:
    """Run the import probe with ``mounted`` in place and keep what it saw in ``fault``."""
    try:
        result = _in_namespace(mounted, command, env)
        fault.code = int(result["code"])
        fault.output = str(result["output"])
        fault.before = dict(result["before"])
        fault.after = dict(result["after"])
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        fault.problems.append(str(error)[:300])


def _in_namespace(mounts_: list[str], command: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        mounts.wrapped(mounts_, command), capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, **env}, timeout=IMPORT_TIMEOUT_S + 60, check=False,
    )  # fmt: skip
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"probe failed (exit {done.returncode}): {done.stderr[-1500:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


_ALERTS_JS = """() => [...document.querySelectorAll('[role="alert"]')]
    .map((el) => (el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 200))"""


def _page_on(
    fault: SqliteFault, mounts_: list[str], db: Path, log: Path, shots: Path | None
) -> None:
    """One app server on the faulty database, its explorer opened in Chromium: the map
    is drawn, and what the page says (errors, warnings) is kept."""
    env = {store.DB_ENV_VARIABLE: str(db), "LANDMARKS_BOUNDARIES_DIR": ""}
    server = start_server(APP_FILE, log, env, wrapper=mounts.wrapped(mounts_, []))
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            page = None
            try:
                page = browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
                open_page(page, server, "explorer")
                fault.page_messages = page.evaluate(_ALERTS_JS)
                fault.page_tracebacks = page.locator("[data-testid='stException']").count()
                fault.page_tracebacks += sum("Traceback" in t for t in streamlit_errors(page))
                map_frame(page)
                fault.page_map = True
            except Exception as error:
                fault.problems.append(f"page: {str(error).splitlines()[0][:200]}")
            finally:
                if shots is not None and page is not None:  # as the user was left
                    shots.mkdir(parents=True, exist_ok=True)
                    name = "".join(c if c.isalnum() else "-" for c in fault.name)
                    with contextlib.suppress(Exception):
                        page.screenshot(path=str(shots / f"load-sqlite-{name}.png"))
                browser.close()
    finally:
        server.stop()
    if TRACEBACK in server.log_text() and not fault.page_tracebacks:
        fault.problems.append("the server's log has a traceback (not shown on the page)")


def sqlite_faults(rows: int, folder: Path, shots: Path | None = None) -> list[SqliteFault]:
    """The full disk and the read-only file; each with the CLI import and the app."""
    if not mounts.mounts_permitted():
        skipped = SqliteFault("sqlite", problems=["mounts not permitted (needs root)"])
        return [skipped]
    file = folder / "sqlite-import.csv"
    write_import_file(file, rows, rng_seed=5)
    source = folder / "source" / "landmarks.sqlite"
    source.parent.mkdir()
    seeded(str(source))
    size_kb = source.stat().st_size // 1024
    probe = [sys.executable, "-m", "bench.load.probe"]
    faults = []

    # A small tmpfs holding the database with a little room to spare; the backups go to
    # another disk so that the import's own write is what fills it.
    full = SqliteFault("full disk (tmpfs)")
    disk = folder / "small-disk"
    disk.mkdir()
    backups = folder / "backups"
    backups.mkdir()
    db = disk / "landmarks.sqlite"
    quoted = shlex.quote
    on_full = [
        mounts.tiny_tmpfs(disk, size_kb + 48),
        f"cp {quoted(str(source))} {quoted(str(db))}",
    ]
    env = {BACKUP_DIR_ENV_VARIABLE: str(backups)}
    _import_into(full, on_full, [*probe, str(db), str(file)], env)
    # The app on a disk that is full to the last byte.
    filler = quoted(str(disk / "filler"))
    filled = [*on_full, f"(dd if=/dev/zero of={filler} bs=4k 2>/dev/null || true)"]
    _page_on(full, filled, db, folder / "full-server.log", shots)
    faults.append(full)

    # The database's folder as a read-only bind mount (root ignores file modes).
    read_only = SqliteFault("read-only file")
    stick = folder / "stick"
    stick.mkdir()
    db = stick / "landmarks.sqlite"
    db.write_bytes(source.read_bytes())
    before = count(str(db))
    _import_into(read_only, [mounts.read_only_bind(stick)], [*probe, str(db), str(file)], {})
    _page_on(read_only, [mounts.read_only_bind(stick)], db, folder / "ro-server.log", shots)
    after = count(str(db))
    if (before.products, before.digest) != (after.products, after.digest):
        read_only.problems.append("the file changed under the read-only mount")
    faults.append(read_only)
    return faults


def scratch() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="bench-load-")
