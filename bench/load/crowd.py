"""What a phone pays to see the first map: the public page ``/p/`` against the app's
explorer, in Chromium throttled through the DevTools protocol (9 Mbit/s down, 150 ms
round trip, cache disabled), both through the balancer, measured the same way: bytes
received (HTTP responses as encoded on the wire, plus websocket frames' payloads) from
navigation until the map is first drawn, and that time."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page, async_playwright

from bench.drawn import _MAP_STATE_JS
from bench.load.sessions import CHROMIUM, VIEWPORT
from tests.harness.mapcheck import MAP_IFRAME

DOWN_BITS_PER_S = 9_000_000
RTT_MS = 150
TIMEOUT_S = 120
SETTLE_S = 30
PUBLIC_PATH = "/p/"
PUBLIC_MAP = "map_div"  # the public page's Leaflet container (CONTRACT: id map_div)


@dataclass(frozen=True)
class FirstMap:
    what: str
    bytes: int
    first_map_ms: float | None  # None: never drawn
    problem: str = ""


def public_page_state(url: str) -> str:
    """ "" when ``/p/`` serves a page with the map container, else why not."""
    try:
        with urllib.request.urlopen(url + PUBLIC_PATH, timeout=15) as answer:
            body = answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return f"not published ({PUBLIC_PATH} answers HTTP {error.code})"
    except (urllib.error.URLError, OSError) as error:
        return f"not published ({PUBLIC_PATH} unreachable: {error})"
    if PUBLIC_MAP not in body:
        return f"not published ({PUBLIC_PATH} has no map container)"
    return ""


async def published(url: str, timeout_s: float = 60) -> str:
    """``public_page_state`` after the app has had its chance to publish: when ``/p/`` is
    empty, the explorer is opened once (a page's run publishes the current data version)
    and ``/p/`` asked again until it appears or ``timeout_s`` passes."""
    problem = public_page_state(url)
    if not problem:
        return ""
    from bench.load.sessions import OPEN_TIMEOUT_MS, open_explorer

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            page = await browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
            with contextlib.suppress(PlaywrightError, RuntimeError):
                await open_explorer(page, url, OPEN_TIMEOUT_MS)
        finally:
            with contextlib.suppress(PlaywrightError):
                await browser.close()
    deadline = time.monotonic() + timeout_s
    while (problem := public_page_state(url)) and time.monotonic() < deadline:
        await asyncio.sleep(1)
    return problem


async def _drawn_in(frame: Frame) -> bool:
    with contextlib.suppress(PlaywrightError):
        return bool(await frame.evaluate(_MAP_STATE_JS) == "drawn")
    return False


async def _map_drawn(page: Page, in_iframe: bool) -> bool:
    if not in_iframe:
        return await _drawn_in(page.main_frame)
    for element in await page.query_selector_all(MAP_IFRAME):
        with contextlib.suppress(PlaywrightError):
            frame = await element.content_frame()
            if frame is not None and await _drawn_in(frame):
                return True
    return False


async def first_map(url: str, what: str, path: str, in_iframe: bool) -> FirstMap:
    received = 0

    def on_finished(event: dict[str, Any]) -> None:
        nonlocal received
        received += int(event.get("encodedDataLength", 0))

    def on_frame(event: dict[str, Any]) -> None:
        nonlocal received
        response = event.get("response", {})
        payload = str(response.get("payloadData", ""))
        if response.get("opcode") == 1:
            received += len(payload.encode("utf-8"))
        else:
            with contextlib.suppress(ValueError):
                received += len(base64.b64decode(payload))

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            context = await browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
            page = await context.new_page()
            cdp = await context.new_cdp_session(page)
            cdp.on("Network.loadingFinished", on_finished)
            cdp.on("Network.webSocketFrameReceived", on_frame)
            await cdp.send("Network.enable")
            await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            await cdp.send(
                "Network.emulateNetworkConditions",
                {
                    "offline": False,
                    "latency": RTT_MS,
                    "downloadThroughput": DOWN_BITS_PER_S / 8,
                    "uploadThroughput": DOWN_BITS_PER_S / 8,
                },
            )
            started = time.perf_counter()
            deadline = time.monotonic() + TIMEOUT_S
            with contextlib.suppress(PlaywrightError):
                await page.goto(url + path, wait_until="commit", timeout=TIMEOUT_S * 1000)
            while not await _map_drawn(page, in_iframe):
                if time.monotonic() > deadline:
                    return FirstMap(what, received, None, f"no map within {TIMEOUT_S} s")
                await asyncio.sleep(0.05)
            took = (time.perf_counter() - started) * 1000
            # The bytes of the whole page, not only of what its first map needed (the
            # county shapes can be drawn before the products arrive): counted once
            # nothing more has arrived for a second, at most SETTLE_S later.
            settle_by, last, quiet_since = time.monotonic() + SETTLE_S, -1, time.monotonic()
            while time.monotonic() < settle_by and time.monotonic() - quiet_since < 1.0:
                if received != last:
                    last, quiet_since = received, time.monotonic()
                await asyncio.sleep(0.1)
            return FirstMap(what, received, took)
        finally:
            with contextlib.suppress(PlaywrightError):
                await browser.close()


async def compare(url: str) -> tuple[FirstMap | None, FirstMap, str]:
    """The public page's and the app's first map, one after the other (the public page
    is skipped, with the reason, when it is not published)."""
    problem = await published(url)
    public = None if problem else await first_map(url, "public /p/", PUBLIC_PATH, False)
    app = await first_map(url, "app explorer", "/explorer", True)
    return public, app, problem
