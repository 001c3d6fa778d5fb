"""Measurements of the real server: cold start to a drawn map, and memory under sessions.

Uses the browser tests' harness (``tests/e2e/browser.py``): the same ``streamlit run``
launch on 127.0.0.1 and the same Debian Chromium, with every request recorded, so the
benchmark also re-checks that nothing left the machine.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

from bench.data import Scale
from tests.e2e.browser import (
    APP_FILE,
    chromium_available,
    launch_chromium,
    map_frame,
    recorded_context,
    start_server,
)

SESSIONS = 10
MAP_TIMEOUT_MS = 600_000  # the national map on 2 cores, ten tabs at once


@dataclass(frozen=True)
class ServerResult:
    health_ms: float  # launch → /_stcore/health answers
    first_map_ms: float  # launch → Leaflet has drawn the overview's map in Chromium
    idle_rss_mb: float  # after the first page, one session
    sessions_rss_mb: float  # with SESSIONS more sessions, each with its map drawn
    sessions_ms: float  # opening those sessions until every map was drawn
    sessions_cpu_s: float  # server CPU time (user + system) spent on those sessions
    external_requests: int  # requests to any host but 127.0.0.1 (must be 0)


def server_cpu_s(pid: int) -> float:
    process = psutil.Process(pid)
    times = [process.cpu_times(), *(c.cpu_times() for c in process.children(recursive=True))]
    return sum(t.user + t.system for t in times)


def server_rss_mb(pid: int) -> float:
    """Resident memory of the server process and any children, in MiB."""
    process = psutil.Process(pid)
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        total += child.memory_info().rss
    return total / 2**20


def measure_server(scale: Scale, log_dir: Path) -> ServerResult:
    if not chromium_available():
        raise RuntimeError("/usr/bin/chromium is missing: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)  # started first: not part of the cold start
        server = start_server(APP_FILE, log_dir / f"server-{scale.name}.log", scale.env(),
                              timeout=300)  # fmt: skip
        try:
            health_ms = (time.perf_counter() - server.started_at) * 1000
            external = 0
            with recorded_context(browser) as (context, recorder):
                page = context.new_page()
                page.goto(server.url(""), wait_until="commit")
                map_frame(page, timeout_ms=MAP_TIMEOUT_MS)
                first_map_ms = (time.perf_counter() - server.started_at) * 1000
                idle_rss = server_rss_mb(server.process.pid)
                external += len(recorder.external())

            with contextlib.ExitStack() as stack:
                opened = [stack.enter_context(recorded_context(browser)) for _ in range(SESSIONS)]
                start = time.perf_counter()
                cpu_before = server_cpu_s(server.process.pid)
                # All sessions are requested before any is awaited, so they run at once.
                pages = []
                for context, _recorder in opened:
                    page = context.new_page()
                    page.goto(server.url(""), wait_until="commit")
                    pages.append(page)
                for page in pages:
                    map_frame(page, timeout_ms=MAP_TIMEOUT_MS)
                sessions_ms = (time.perf_counter() - start) * 1000
                sessions_rss = server_rss_mb(server.process.pid)
                sessions_cpu = server_cpu_s(server.process.pid) - cpu_before
                external += sum(len(recorder.external()) for _context, recorder in opened)
        finally:
            server.stop()
            browser.close()
    return ServerResult(health_ms, first_map_ms, idle_rss, sessions_rss, sessions_ms,
                        sessions_cpu, external)  # fmt: skip
