"""Browser sessions on the explorer page, many at once in one Chromium (async Playwright).

Each session is its own browser context (its own affinity cookie, so the balancer spreads
them), opens 品牌地图, waits for its map, then changes the 产业链 filter again and again
(adds a chain, then removes it), each time timing filter → map updated: from picking the
option (or removing it) until the page's script run has finished and the map in its
iframe holds its layers with no product rows pending (what the harness's map check waits
for, ``tests/harness/mapcheck.py``).  A pause of 4–8 s between changes stands for a user
reading the map; the filtering starts once every page is open.

Each page also records when its connection to the server left the CONNECTED state
(Streamlit's reconnect), so a replica killed under it shows.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Locator, Page, async_playwright
from playwright.async_api import Error as PlaywrightError

from bench.wire import FILTER_CHAINS, FILTER_LABEL, _finishes_run
from tests.harness.mapcheck import _MAP_READY_JS, MAP_IFRAME

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 720}
OPEN_TIMEOUT_MS = 150_000
OPEN_PHASE_S = 480  # every page has had its chance to open by then
ACTION_TIMEOUT_MS = 60_000
# A person reads the map between two filter changes (seconds, uniformly drawn).
THINK_S = (4.0, 8.0)
# How often a waiting session looks at its page: 30 pages polled every 100 ms cost the
# two cores more than the replicas do.
POLL_MS = 250
OPENING_AT_ONCE = 3  # pages starting Streamlit's frontend at the same time (2 cores)
SHOTS: Path | None = None  # where failing sessions' screenshots go (``--shots``)

# The page's clock when its script state last turned idle, and when its connection first
# left CONNECTED after having been connected.
_INIT_JS = """(() => {
    window.__loadIdleAt = 0; window.__loadLeftAt = 0; window.__loadConnected = false;
    new MutationObserver((records) => {
        for (const record of records) {
            const el = record.target;
            if (record.attributeName === 'data-test-script-state'
                    && el.getAttribute('data-test-script-state') === 'notRunning') {
                window.__loadIdleAt = performance.now();
            }
            if (record.attributeName === 'data-test-connection-state') {
                const state = el.getAttribute('data-test-connection-state');
                if (state === 'CONNECTED') window.__loadConnected = true;
                else if (window.__loadConnected && !window.__loadLeftAt) {
                    window.__loadLeftAt = performance.now();
                }
            }
        }
    }).observe(document, {subtree: true, attributes: true, attributeFilter:
        ['data-test-script-state', 'data-test-connection-state']});
})();"""

_ERRORS_JS = """() => [...document.querySelectorAll(
        '[data-testid="stException"], [data-testid="stAlertContentError"]')]
    .map((el) => (el.innerText || '').trim().slice(0, 200))"""

_CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
_IDLE = _CONNECTED + "[data-test-script-state='notRunning']"


class SessionError(RuntimeError):
    pass


@dataclass
class Session:
    number: int
    opened: bool = False
    open_ms: float = 0.0
    filter_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    tracebacks: int = 0
    left_at: float = 0.0  # page clock when the connection dropped (0: never)
    recovered_ms: float | None = None  # reconnect → map drawn and a filter worked again
    page: Page | None = None
    runs: int = 0  # script runs finished, counted on the websocket


def _count_runs(session: Session, page: Page) -> None:
    """Count the page's finished script runs from Streamlit's websocket messages."""

    def on_frame(payload: str | bytes) -> None:
        data = payload if isinstance(payload, bytes) else payload.encode("utf-8")
        session.runs += _finishes_run(data)

    page.on("websocket", lambda websocket: websocket.on("framereceived", on_frame))


async def _map_ready(page: Page) -> bool:
    for element in await page.query_selector_all(MAP_IFRAME):
        with contextlib.suppress(PlaywrightError):
            frame = await element.content_frame()
            if frame is not None and await frame.evaluate(_MAP_READY_JS):
                return True
    return False


async def wait_map(page: Page, timeout_ms: float) -> None:
    deadline = time.monotonic() + timeout_ms / 1000
    while not await _map_ready(page):
        if time.monotonic() > deadline:
            raise SessionError(f"the map was not drawn within {timeout_ms / 1000:.0f} s")
        await page.wait_for_timeout(POLL_MS)


async def shown_errors(page: Page) -> list[str]:
    with contextlib.suppress(PlaywrightError):
        return list(await page.evaluate(_ERRORS_JS))
    return []


async def open_explorer(page: Page, url: str, timeout_ms: float) -> float:
    started = time.perf_counter()
    await page.goto(f"{url}/explorer", wait_until="commit", timeout=timeout_ms)
    await page.wait_for_selector(_IDLE, timeout=timeout_ms)
    await wait_map(page, timeout_ms)
    return (time.perf_counter() - started) * 1000


def _chosen(page: Page) -> Locator:
    """The 产业链 filter's chosen values (its tags), and their remove buttons."""
    box = page.get_by_role("combobox", name=FILTER_LABEL, exact=True).first
    return page.locator("[data-testid='stMultiSelect']").filter(has=box).first


async def change_filter(session: Session, step: int, timeout_ms: float) -> float:
    """Change the 产业链 filter: remove the last chosen chain if there is one, else add
    a chain (the ``step``-th of ``FILTER_CHAINS`` that is offered); ms from the pick
    until the page's run finished and the map is drawn."""
    page = session.page
    assert page is not None
    box = page.get_by_role("combobox", name=FILTER_LABEL, exact=True).first
    await page.wait_for_selector(_IDLE, timeout=timeout_ms)
    field = _chosen(page)
    if await field.locator("[data-tag]").count() > 0:
        remove = field.locator("[aria-label^='Remove ']").last
        runs = session.runs
        started = await page.evaluate("performance.now()")
        await remove.click(timeout=timeout_ms)
    else:
        await box.click(timeout=timeout_ms)
        for offset in range(len(FILTER_CHAINS)):
            chain = FILTER_CHAINS[(step + offset) % len(FILTER_CHAINS)]
            await box.fill(chain)
            option = page.get_by_role("option").filter(has_text=chain).first
            with contextlib.suppress(PlaywrightError):
                await option.wait_for(state="visible", timeout=5_000)
                break
        else:
            raise SessionError(f"the {FILTER_LABEL} filter offers none of {FILTER_CHAINS}")
        runs = session.runs
        started = await page.evaluate("performance.now()")
        await option.click(timeout=timeout_ms)
    await page.keyboard.press("Escape")
    deadline = time.monotonic() + timeout_ms / 1000
    while session.runs == runs:
        if time.monotonic() > deadline:
            raise SessionError(f"no script run finished within {timeout_ms / 1000:.0f} s")
        await page.wait_for_timeout(POLL_MS)
    await page.wait_for_selector(_IDLE, timeout=timeout_ms)
    await wait_map(page, timeout_ms)
    ended: float = await page.evaluate("performance.now()")
    return float(ended - started)


_STATE_JS = """() => { const app = document.querySelector("[data-testid='stApp']");
    return app ? `connection ${app.getAttribute('data-test-connection-state')}, script `
        + `${app.getAttribute('data-test-script-state')}` : 'no Streamlit app on the page'; }"""


async def why(page: Page, error: BaseException, session: int, what: str) -> str:
    """The error's first line, the page's state, and a screenshot when ``SHOTS`` is set."""
    state = "page gone"
    with contextlib.suppress(PlaywrightError):
        state = str(await page.evaluate(_STATE_JS))
        if SHOTS is not None:
            SHOTS.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(SHOTS / f"load-session{session}-{what}.png"))
    return f"{what}: {str(error).splitlines()[0][:160]} ({state})"


@dataclass
class Crowd:
    """Sessions run by ``run_sessions``; ``stop_at`` (monotonic) ends their filtering."""

    sessions: list[Session]
    stop_at: float
    # Set once every page has had its chance to open: nobody filters while pages still
    # open (their first runs are the costliest a replica does), so the window measures
    # filtering alone.
    started: asyncio.Event = field(default_factory=asyncio.Event)


async def _session_loop(
    session: Session, page: Page, crowd: Crowd, opening: asyncio.Semaphore, url: str
) -> None:
    page.on("pageerror", lambda error: session.errors.append(f"page error: {error}"))
    async with opening:
        try:
            session.open_ms = await open_explorer(page, url, OPEN_TIMEOUT_MS)
            session.opened = True
        except (PlaywrightError, SessionError) as error:
            session.errors.append(await why(page, error, session.number, "open"))
            return
    await crowd.started.wait()
    rng = random.Random(session.number)
    step = session.number
    while time.monotonic() < crowd.stop_at:
        await asyncio.sleep(rng.uniform(*THINK_S))
        if time.monotonic() >= crowd.stop_at:
            break
        step += 1
        left_before = await _left_at(page)
        try:
            took = await change_filter(session, step, ACTION_TIMEOUT_MS)
        except (PlaywrightError, SessionError) as error:
            if await _left_at(page) or left_before:
                break  # its server went away: the reconnect is judged by the caller
            session.errors.append(await why(page, error, session.number, "filter"))
            continue
        if await _left_at(page) or left_before:
            break
        session.filter_ms.append(took)
        shown = await shown_errors(page)
        if shown:
            session.errors.extend(shown)
            session.tracebacks += sum("Traceback" in text for text in shown)


async def _left_at(page: Page) -> float:
    with contextlib.suppress(PlaywrightError):
        return float(await page.evaluate("window.__loadLeftAt || 0"))
    return 0.0


async def recover(session: Session, timeout_ms: float) -> None:
    """After its connection dropped: the page reconnects (to whichever replica the
    balancer picks), draws its map, and a filter change works."""
    page = session.page
    assert page is not None
    started = time.perf_counter()
    try:
        await page.wait_for_selector(_IDLE, timeout=timeout_ms)
        await wait_map(page, timeout_ms)
        await change_filter(session, session.number, timeout_ms)
        session.recovered_ms = (time.perf_counter() - started) * 1000
    except (PlaywrightError, SessionError) as error:
        session.errors.append(await why(page, error, session.number, "recovery"))
    shown = await shown_errors(page)
    session.tracebacks += sum("Traceback" in text for text in shown)


async def run_sessions(
    url: str,
    count: int,
    seconds: float,
    during: Callable[[Crowd], Awaitable[None]] | None = None,
    after: Callable[[list[Session]], Awaitable[None]] | None = None,
    browsers: int = 2,
) -> list[Session]:
    """``count`` sessions filtering for ``seconds`` once open; ``during`` runs alongside
    the filtering (an import, a replica killed), ``after`` once it is over, the pages still
    open.  Every page, context and browser is closed on the way out."""
    sessions = [Session(n) for n in range(count)]
    async with async_playwright() as playwright:
        opened: list[Browser] = []
        contexts: list[BrowserContext] = []
        try:
            for _ in range(max(1, min(browsers, count))):
                opened.append(
                    await playwright.chromium.launch(
                        executable_path=CHROMIUM, args=["--disable-gpu"]
                    )
                )
            pages = []
            for session in sessions:
                context = await opened[session.number % len(opened)].new_context(
                    viewport=VIEWPORT  # type: ignore[arg-type]
                )
                contexts.append(context)
                await context.add_init_script(script=_INIT_JS)
                context.set_default_timeout(ACTION_TIMEOUT_MS)
                session.page = await context.new_page()
                _count_runs(session, session.page)
                pages.append(session.page)
            opening = asyncio.Semaphore(OPENING_AT_ONCE)
            # The filtering window starts once every page has had its chance to open.
            crowd = Crowd(sessions, time.monotonic() + 10**6)
            loops = [
                asyncio.create_task(_session_loop(s, p, crowd, opening, url))
                for s, p in zip(sessions, pages, strict=True)
            ]
            # Bounded: pages still opening after OPEN_PHASE_S join the filtering late.
            open_by = time.monotonic() + OPEN_PHASE_S
            while any(not s.opened and not s.errors for s in sessions):
                if time.monotonic() > open_by:
                    break
                await asyncio.sleep(0.5)
            crowd.stop_at = time.monotonic() + seconds
            crowd.started.set()
            if during is not None:
                await during(crowd)
            await asyncio.gather(*loops)
            for session in sessions:
                if session.page is not None:
                    session.left_at = await _left_at(session.page)
            if after is not None:
                await after(sessions)
        finally:
            for context in contexts:
                with contextlib.suppress(PlaywrightError):
                    await context.close()
            for browser in opened:
                with contextlib.suppress(PlaywrightError):
                    await browser.close()
    return sessions
