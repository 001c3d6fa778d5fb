"""The benchmark's browser clocks on a bare Leaflet map in Chromium: "map updated" sees a
draw whether the map draws SVG or on a canvas, and "card shown" sees Streamlit's heading
or a card the map draws itself.  (The real app's numbers come from ``python -m bench``.)"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route
from playwright.sync_api import Error as PlaywrightError

from bench import wire
from tests.harness import MAP_IFRAME
from tests.harness.mapcheck import MAP_IFRAME as FRAME_SELECTOR

LEAFLET = wire.__file__.replace("bench/wire.py", "landmarks/static/vendor/leaflet/leaflet.js")
ORIGIN = "http://127.0.0.1:9"  # never reached: every request is answered by the route
TITLE = FRAME_SELECTOR.split("'")[1]
TOP = f"""<!doctype html><meta charset="utf-8"><h2 id="card"></h2>
<iframe title="{TITLE}" src="/map.html" width="400" height="300"></iframe>"""
MAP = """<!doctype html><meta charset="utf-8"><script src="/leaflet.js"></script>
<div id="map_div" style="width:380px;height:280px"></div><script>
window.map_div = L.map('map_div', {preferCanvas: location.hash === '#canvas'})
    .setView([30.5, 112], 6);
</script>"""


def _serve(route: Route) -> None:
    path = route.request.url.removeprefix(ORIGIN).split("#")[0]
    if path == "/leaflet.js":
        with open(LEAFLET, encoding="utf-8") as file:
            route.fulfill(body=file.read(), content_type="text/javascript")
    else:
        route.fulfill(body=MAP if path == "/map.html" else TOP, content_type="text/html")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page of the worker's shared Chromium (a second Playwright driver in the same
    process would clash with the one the browser tests share)."""
    page = browser.new_page()
    try:
        page.route(f"{ORIGIN}/**", _serve)
        page.add_init_script(script=f"({wire._MAP_DRAWS_JS})()")
        yield page
    finally:
        page.close()


def _wait(check: object, what: str) -> None:
    deadline = time.monotonic() + 15
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def _open(page: Page, renderer: str) -> None:
    page.goto(f"{ORIGIN}/", wait_until="load")
    frame = page.locator(MAP_IFRAME).first.element_handle().content_frame()  # type: ignore[union-attr]
    assert frame is not None
    # The document before the reload has a map too: mark it, and wait for an unmarked one.
    frame.evaluate(
        f"() => {{ window.beforeReload = true; location.hash = '{renderer}'; location.reload(); }}"
    )

    def reloaded() -> bool:
        try:
            return bool(page.frames[1].evaluate("() => window.map_div && !window.beforeReload"))
        except PlaywrightError:  # the old document went away while it was asked
            return False

    _wait(reloaded, "no map")


@pytest.mark.parametrize("renderer", ["svg", "canvas"])
def test_a_shape_drawn_on_the_map_moves_its_clock(page: Page, renderer: str) -> None:
    _open(page, renderer)
    add = "(lat) => L.circleMarker([lat, 112], {radius: 8}).addTo(map_div)"
    for lat in (30.5, 31.5):  # the second: on a canvas already there, no DOM change at all
        draws, _ = wire.map_draws(page)
        started = page.evaluate(wire._NOW_JS)
        page.frames[1].evaluate(add, lat)
        _wait(lambda: wire.map_draws(page)[0] > draws, f"no draw seen on the {renderer} map")  # noqa: B023
        assert wire.map_draws(page)[1] >= started


def test_a_card_is_seen_in_the_page_or_drawn_by_the_map(page: Page) -> None:
    _open(page, "svg")
    wire._watch_card(page, "恩施市", "422801")
    assert not wire._card_at(page)
    page.frames[1].evaluate(
        """() => { const card = document.createElement('div');
        card.className = 'gi-card'; card.dataset.county = '422801';
        card.textContent = '恩施市'; document.body.append(card); }"""
    )
    _wait(lambda: wire._card_at(page), "the map's card was not seen")
    wire._watch_card(page, "秭归县", "420527")
    page.evaluate("() => { document.getElementById('card').textContent = '县域名片：秭归县'; }")
    _wait(lambda: wire._card_at(page), "Streamlit's card heading was not seen")
