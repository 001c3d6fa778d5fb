"""Offline assets: vendored Leaflet, the map's own files, content-hashed publishing."""

from __future__ import annotations

import os
from pathlib import Path

import folium

from landmarks.maps import assets


def test_publish_names_files_by_content(tmp_path: Path) -> None:
    first = assets.publish(b"one", "rows.json", tmp_path)
    again = assets.publish(b"one", "rows.json", tmp_path)
    other = assets.publish(b"two", "rows.json", tmp_path)
    assert first == again != other
    assert first.startswith("gi/rows.") and first.endswith(".json")
    assert (tmp_path / first).read_bytes() == b"one"
    assert not list(tmp_path.glob("gi/*.part"))


def test_static_url_respects_the_base_path() -> None:
    assert assets.static_url("", "gi/a.json") == "/app/static/gi/a.json"
    assert assets.static_url("/brand/", "gi/a.json") == "/brand/app/static/gi/a.json"


def test_folium_loads_only_local_files(tmp_path: Path) -> None:
    assets.use_local_assets("", tmp_path)
    links = [url for _, url in folium.Map.default_js + folium.Map.default_css]
    assert links and all(url.startswith("/app/static/") for url in links)
    for url in links:
        assert (tmp_path / url.removeprefix("/app/static/")).is_file(), url
    html = folium.Map(tiles=None).get_root().render()
    assert "http://" not in html and "https://" not in html


def test_the_map_loads_one_script_bundle_and_one_style_sheet(tmp_path: Path) -> None:
    """streamlit-folium loads a map's scripts one after another: one bundle, not five."""
    assets.use_local_assets("", tmp_path)
    (script,) = [url for _, url in folium.Map.default_js]
    (sheet,) = [url for _, url in folium.Map.default_css]
    bundle = (tmp_path / script.removeprefix("/app/static/")).read_text(encoding="utf-8")
    for part in ("Leaflet 1.9", "L.MarkerClusterGroup", "GiMap.base", "GiMap.zonesSites"):
        assert part in bundle, part
    assert bundle.index("GiMap.core = ") < bundle.index("GiMap.zonesSites")  # gi_map first
    assert "sourceMappingURL" not in bundle
    css = (tmp_path / sheet.removeprefix("/app/static/")).read_text(encoding="utf-8")
    assert ".leaflet-pane" in css and ".gi-label" in css and "url(images/" not in css


def test_a_map_boots_by_fetching_its_geometry_before_the_bundle(tmp_path: Path) -> None:
    assets.use_local_assets("", tmp_path)
    files = ("/app/static/gi/counties.1.geojson", "/app/static/gi/prefectures.2.geojson")
    links = assets.boot_links(files)
    assert links is not None
    (boot, bundle) = (url for _, url in links)
    assert bundle == folium.Map.default_js[0][1]
    script = (tmp_path / boot.removeprefix("/app/static/")).read_text(encoding="utf-8")
    assert files[0] in script and folium.Map.default_css[0][1] in script
    assert assets.boot_links(files) == links  # published once


def test_map_script_and_styles_ship_with_the_package() -> None:
    script = assets.web_file("gi_map.js").decode()
    assert "GiMap.base" in script and "GiMap.data" in script
    assert b".gi-label" in assets.web_file("gi_map.css")


def test_publishing_keeps_only_the_newest_versions(tmp_path: Path) -> None:
    names = []
    for i in range(12):  # one after the other, each a second newer than the last
        names.append(assets.publish(f"v{i}".encode(), "rows.json", tmp_path))
        os.utime(tmp_path / names[-1], (1_000_000 + i, 1_000_000 + i))
    kept = sorted(p.name for p in (tmp_path / "gi").glob("rows.*.json"))
    assert kept == sorted(name.removeprefix("gi/") for name in names[-assets.KEPT_VERSIONS :])
    assets.publish(b"other", "counties.geojson", tmp_path)  # another file: counted apart
    assert len(list((tmp_path / "gi").glob("rows.*.json"))) == assets.KEPT_VERSIONS


def test_publishing_keeps_recent_versions_another_process_may_be_serving(tmp_path: Path) -> None:
    names = [assets.publish(f"v{i}".encode(), "rows.json", tmp_path) for i in range(12)]
    kept = sorted(p.name for p in (tmp_path / "gi").glob("rows.*.json"))
    assert kept == sorted(name.removeprefix("gi/") for name in names)
    assert not list((tmp_path / "gi").glob("*.part"))
