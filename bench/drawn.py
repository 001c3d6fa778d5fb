"""When a page counts as drawn in Chromium, judged from the outside.

The map check knows no map internals: it finds st_folium's iframe and asks whether
Leaflet's overlay pane holds drawn vector shapes, as SVG paths or as a canvas with
painted pixels.  A map that says when it is ready (``window.__giReady``) is taken at
its word instead.  So the same check holds for the map before and after a rewrite.
"""

from __future__ import annotations

import contextlib
import time

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from tests.harness import MAP_IFRAME, BrowserCheckError

POLL_MS = 50

# "drawn", "empty" (a Leaflet map, nothing drawn yet) or "none" (no Leaflet map yet).
_MAP_STATE_JS = """() => {
    const pane = document.querySelector('.leaflet-container .leaflet-overlay-pane');
    if ('__giReady' in window) return window.__giReady ? 'drawn' : (pane ? 'empty' : 'none');
    if (!pane) return 'none';
    if ([...pane.querySelectorAll('path')].some((p) => (p.getAttribute('d') || '').length > 4)) {
        return 'drawn';
    }
    for (const canvas of pane.querySelectorAll('canvas')) {
        if (!canvas.width || !canvas.height) continue;
        const context = canvas.getContext('2d');
        if (!context) return 'drawn';  // a WebGL canvas: its pixels cannot be read back here
        const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) return 'drawn'; }
    }
    return 'empty';
}"""
_FAILURES = {
    "no iframe": "the page has no map iframe",
    "none": "the map iframe never showed a Leaflet map",
    "empty": "the Leaflet map never drew a shape",
}


def wait_for_map_drawn(page: Page, timeout_ms: float) -> None:
    """Return once the map iframe shows drawn shapes; the iframe is looked up on every poll."""
    deadline = time.monotonic() + timeout_ms / 1000
    state = "no iframe"
    while True:
        for element in page.query_selector_all(MAP_IFRAME):
            with contextlib.suppress(PlaywrightError):  # navigating or detached: look again
                frame = element.content_frame()
                state = frame.evaluate(_MAP_STATE_JS) if frame is not None else "none"
                if state == "drawn":
                    return
        if time.monotonic() > deadline:
            raise BrowserCheckError(f"{_FAILURES[state]} within {timeout_ms / 1000:.0f} s")
        page.wait_for_timeout(POLL_MS)


def wait_for_text_drawn(page: Page, text: str, timeout_ms: float) -> None:
    """Return once ``text`` is visible on the page (the bare page's first draw)."""
    page.get_by_text(text, exact=True).first.wait_for(state="visible", timeout=timeout_ms)
