"""How the app's map loads in Chromium: one script bundle, and the base geometry fetched
before Leaflet has run.

streamlit-folium loads a map's scripts one after the other and runs the map only then,
which asked for its geometry last.  The map's boot script (``assets.boot_script``) comes
first and starts those requests; the bundle (Leaflet, markercluster, the app's scripts)
follows.  Measured in the map's own iframe, on its own clock: when each request started
(Resource Timing) and when Leaflet finished running (its ``window.L`` assignment).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser

from tests.harness import (
    StreamlitServer,
    assert_no_streamlit_errors,
    map_frame,
    open_page,
    recorded_context,
)

pytestmark = pytest.mark.browser

# In every frame, before its scripts: the moment Leaflet assigns window.L (its last step).
_LEAFLET_CLOCK_JS = """(() => {
  let value;
  Object.defineProperty(window, 'L', {configurable: true,
    get() { return value; },
    set(v) { value = v; if (!window.__giLeafletAt) window.__giLeafletAt = performance.now(); }});
})();"""

_TIMING_JS = """() => ({
  leaflet: window.__giLeafletAt,
  resources: performance.getEntriesByType('resource').map((e) => [e.name, e.startTime]),
})"""

_OWN_SCRIPTS = re.compile(
    r"/(leaflet|leaflet\.markercluster|gi_map|gi_sites|gi_basemap)[.\w]*\.js$"
)


@dataclass(frozen=True)
class Loaded:
    urls: list[str]  # every request of the visit, the map's iframe included
    leaflet: float  # when Leaflet finished running, ms on the iframe's clock
    resources: list[tuple[str, float]]  # the iframe's requests and when each started


@pytest.fixture(scope="module")
def loaded(browser: Browser, app_server: StreamlitServer) -> Loaded:
    """The explorer opened once in a fresh browser (nothing cached: a first visit)."""
    with recorded_context(browser) as (context, recorder):
        context.add_init_script(_LEAFLET_CLOCK_JS)
        page = context.new_page()
        open_page(page, app_server, "explorer")
        assert_no_streamlit_errors(page)
        frame = map_frame(page)
        frame.wait_for_function(
            "() => document.querySelector('.leaflet-container[data-gi-ready=\"1\"]')"
        )
        timing = frame.evaluate(_TIMING_JS)
        recorder.assert_offline()
        recorder.assert_no_page_errors()
    assert timing["leaflet"], "Leaflet never ran in the map's iframe"
    return Loaded(list(recorder.urls), timing["leaflet"], [tuple(r) for r in timing["resources"]])


def test_the_map_loads_its_scripts_as_one_bundle(loaded: Loaded) -> None:
    scripts = [url for url in loaded.urls if "/app/static/" in url and url.endswith(".js")]
    bundles = [url for url in scripts if "/gi/gi_bundle." in url]
    assert len(bundles) == 1, scripts
    assert not [url for url in scripts if _OWN_SCRIPTS.search(url)], scripts


def test_the_geometry_is_requested_before_leaflet_has_run(loaded: Loaded) -> None:
    starts: dict[str, float] = {}
    for name, start in loaded.resources:
        for kind in ("counties", "prefectures"):
            if f"/gi/{kind}" in name and kind not in starts:
                starts[kind] = start
    assert set(starts) == {"counties", "prefectures"}, loaded.resources
    late = {kind: round(start - loaded.leaflet) for kind, start in starts.items()}
    assert all(start < loaded.leaflet for start in starts.values()), (
        f"geometry requested after Leaflet ran (ms after): {late}"
    )
