"""Measurements of the real server: cold start against a bare page, reruns, memory.

Uses the browser tests' harness (``tests/harness``): the same ``streamlit run`` launch
on 127.0.0.1 and the same Debian Chromium, with every request recorded, so the
benchmark also re-checks that nothing left the machine.

Cold start is timed from launching the server to the first map drawn in Chromium.  Its
floor, a one-line Streamlit page started and drawn the same way, is measured in the
same run, alternating with the app, so the difference is what the app itself costs.
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil
from playwright.sync_api import Browser, Page, sync_playwright

from bench.drawn import wait_for_map_drawn, wait_for_text_drawn
from bench.wire import ClickCounty, PageReruns, measure_reruns
from tests.harness import (
    StreamlitServer,
    chromium_available,
    launch_chromium,
    recorded_context,
    start_server,
)

SESSIONS = 10  # concurrent sessions opened at the end (``measure_server``'s default)
MAP_TIMEOUT_MS = 600_000  # the national map on 2 cores, ten tabs at once
SERVER_TIMEOUT = 300.0
FLOOR_TEXT = "hi"
FLOOR_SCRIPT = f'import streamlit as st\n\nst.write("{FLOOR_TEXT}")\n'


@dataclass(frozen=True)
class ServerResult:
    cold_starts: int  # launches of each server, app and floor alternating
    health_ms: float  # launch → /_stcore/health answers (median)
    first_map_ms: float  # launch → the default page's map drawn in Chromium (median)
    floor_ms: float  # launch → a bare one-line page drawn, same way (median)
    idle_rss_mb: float  # after the first page, one session
    reruns: PageReruns | None  # filter changes and clicks (None: no such page)
    sessions: int  # concurrent sessions opened at the end
    sessions_rss_mb: float  # with that many more sessions, each with its map drawn
    sessions_ms: float  # opening those sessions until every map was drawn
    sessions_cpu_s: float  # server CPU time (user + system) spent on those sessions
    external_requests: int  # requests to any host but 127.0.0.1 (must be 0)

    @property
    def over_floor_ms(self) -> float:
        return self.first_map_ms - self.floor_ms


@dataclass(frozen=True)
class ColdStart:
    server: StreamlitServer
    health_ms: float
    drawn_ms: float
    rss_mb: float  # with that first page open
    external_requests: int


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


def floor_app(folder: Path) -> Path:
    """The bare page: one ``st.write``, in a folder of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    app = folder / "app.py"
    app.write_text(FLOOR_SCRIPT, encoding="utf-8")
    return app


def cold_start(
    browser: Browser,
    app: Path,
    env: Mapping[str, str],
    log_path: Path,
    drawn: Callable[[Page], None],
) -> ColdStart:
    """Launch ``app`` (in its folder) and open its default page until ``drawn`` returns.

    The server is left running for the caller to measure more or stop.
    """
    server = start_server(app, log_path, env, cwd=app.parent, timeout=SERVER_TIMEOUT)
    try:
        health_ms = (time.perf_counter() - server.started_at) * 1000
        with recorded_context(browser) as (context, recorder):
            page = context.new_page()
            page.goto(server.url(""), wait_until="commit")
            drawn(page)
            drawn_ms = (time.perf_counter() - server.started_at) * 1000
            rss = server_rss_mb(server.process.pid)
            external = len(recorder.external())
    except BaseException:
        server.stop()
        raise
    return ColdStart(server, health_ms, drawn_ms, rss, external)


def _floor_drawn(page: Page) -> None:
    wait_for_text_drawn(page, FLOOR_TEXT, MAP_TIMEOUT_MS)


def _map_drawn(page: Page) -> None:
    wait_for_map_drawn(page, MAP_TIMEOUT_MS)


@dataclass(frozen=True)
class Workload:
    """What ``measure_server`` does on the app: how many cold starts, the page whose
    filter is changed to each of ``chains`` and whose map is clicked in each of
    ``counties`` (None: no such page), and how many concurrent sessions."""

    cold_starts: int
    rerun_page: str | None
    chains: Sequence[str]
    counties: Sequence[ClickCounty]
    sessions: int = SESSIONS


def measure_server(
    app_dir: Path, env: Mapping[str, str], log_dir: Path, work: Workload
) -> ServerResult:
    """Cold starts against the floor, then on the last app server: filter changes and
    county clicks on the rerun page, and concurrent sessions (``work``)."""
    if not chromium_available():
        raise RuntimeError("/usr/bin/chromium is missing: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)  # started first: not part of the cold start
        try:
            return _measure(browser, app_dir, env, log_dir, work)
        finally:
            browser.close()


@dataclass(frozen=True)
class Sessions:
    """Concurrent sessions opened on a running server, each until its map was drawn."""

    ms: float
    rss_mb: float
    cpu_s: float
    external_requests: int


def open_sessions(browser: Browser, server: StreamlitServer, count: int) -> Sessions:
    with contextlib.ExitStack() as stack:
        opened = [stack.enter_context(recorded_context(browser)) for _ in range(count)]
        opened_at = time.perf_counter()
        cpu_before = server_cpu_s(server.process.pid)
        # All sessions are requested before any is awaited, so they run at once.
        pages = []
        for context, _recorder in opened:
            page = context.new_page()
            page.goto(server.url(""), wait_until="commit")
            pages.append(page)
        for page in pages:
            wait_for_map_drawn(page, MAP_TIMEOUT_MS)
        return Sessions(
            ms=(time.perf_counter() - opened_at) * 1000,
            rss_mb=server_rss_mb(server.process.pid),
            cpu_s=server_cpu_s(server.process.pid) - cpu_before,
            external_requests=sum(len(recorder.external()) for _context, recorder in opened),
        )


def _measure(
    browser: Browser, app_dir: Path, env: Mapping[str, str], log_dir: Path, work: Workload
) -> ServerResult:
    floor = floor_app(log_dir / "floor")
    floors: list[ColdStart] = []
    apps: list[ColdStart] = []
    for _ in range(work.cold_starts):
        if apps:
            apps[-1].server.stop()
        bare = cold_start(browser, floor, {}, log_dir / "server-floor.log", _floor_drawn)
        bare.server.stop()
        floors.append(bare)
        app = app_dir / "app.py"
        apps.append(cold_start(browser, app, env, log_dir / "server.log", _map_drawn))
    server = apps[-1].server
    external = sum(launch.external_requests for launch in apps)
    try:
        reruns = None
        if work.rerun_page is not None:
            with recorded_context(browser) as (context, recorder):
                url = server.url(work.rerun_page)
                reruns = measure_reruns(context, url, work.chains, work.counties, MAP_TIMEOUT_MS)
                external += len(recorder.external())
        sessions = open_sessions(browser, server, work.sessions)
    finally:
        server.stop()
    return ServerResult(
        cold_starts=work.cold_starts,
        health_ms=statistics.median(launch.health_ms for launch in apps),
        first_map_ms=statistics.median(launch.drawn_ms for launch in apps),
        floor_ms=statistics.median(launch.drawn_ms for launch in floors),
        idle_rss_mb=apps[-1].rss_mb,
        reruns=reruns,
        sessions=work.sessions,
        sessions_rss_mb=sessions.rss_mb,
        sessions_ms=sessions.ms,
        sessions_cpu_s=sessions.cpu_s,
        external_requests=external + sessions.external_requests,
    )
