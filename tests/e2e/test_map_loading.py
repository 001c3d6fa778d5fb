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


def test_the_map_loads_one_bundle_and_fetches_its_geometry_before_leaflet_runs(
    browser: Browser, app_server: StreamlitServer
) -> None:
    with recorded_context(browser) as (context, recorder):  # nothing cached: a first visit
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

    scripts = [url for url in recorder.urls if "/app/static/" in url and url.endswith(".js")]
    bundles = [url for url in scripts if "/gi/gi_bundle." in url]
    assert len(bundles) == 1, scripts
    assert not [url for url in scripts if _OWN_SCRIPTS.search(url)], scripts

    assert timing["leaflet"], "Leaflet never ran in the map's iframe"
    starts = {}
    for name, start in timing["resources"]:
        for kind in ("counties", "prefectures"):
            if f"/gi/{kind}" in name and kind not in starts:
                starts[kind] = start
    assert set(starts) == {"counties", "prefectures"}, timing["resources"]
    late = {kind: round(start - timing["leaflet"]) for kind, start in starts.items()}
    assert all(start < timing["leaflet"] for start in starts.values()), (
        f"geometry requested after Leaflet ran (ms after): {late}"
    )
