"""The overview page (品牌总览) run headless with AppTest on a freshly seeded database."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from landmarks.data import storage
from landmarks.data.regions import Regions
from landmarks.maps import assets
from tests.helpers import map_args, run_app


@pytest.fixture
def overview(db_path: Path) -> AppTest:
    at = run_app()
    assert not at.exception
    return at


def test_page_runs_without_errors(overview: AppTest) -> None:
    assert not overview.error
    assert overview.title[0].value.endswith("品牌总览")


def test_headline_figures(overview: AppTest, db_path: Path) -> None:
    metrics = {metric.label: metric.value for metric in overview.metric}
    assert metrics["地理标志产品（已收录）"] == "145 个"
    assert metrics["国家地理标志保护示范区"] == "6 个"
    assert metrics["2026 产值目标"] == "1100 亿元"
    with storage.opened(db_path) as connection:
        sites = len(storage.read_table(connection, "sites"))
    assert metrics["地标+文旅站点（已收录 / 2026目标）"] == f"{sites} / 510"
    captions = " ".join(caption.value for caption in overview.caption)
    assert "2024年 超1000 亿元" in captions and "可信度低" in captions


def test_map_holds_counties_and_products(overview: AppTest, regions: Regions) -> None:
    args = map_args(overview)
    script = args["script"]
    assert script.count('"adcode"') >= len(regions.county_list)
    layers = args["feature_group"]
    assert "FastMarkerCluster" in layers or "markerClusterGroup" in layers
    with storage.opened(Path(storage.default_db_path())) as connection:
        products = storage.read_table(connection, "products")
    for name in products["name"]:
        assert json.dumps(escape(name))[1:-1] in layers, name


def test_map_loads_nothing_from_the_internet(overview: AppTest) -> None:
    args = map_args(overview)
    links = args["js_links"] + args["css_links"]
    assert links, "the map must load Leaflet from the app's own static folder"
    assert all(link.startswith("/app/static/vendor/") for link in links), links
    for part in ("header", "html"):
        assert "http://" not in args[part] and "https://" not in args[part]
    assert "https://" not in args["script"] and "http://" not in args["script"]


def test_vendored_assets_are_installed(tmp_path: Path) -> None:
    vendor = assets.install_static_assets(tmp_path)
    for relative in (
        "leaflet/leaflet.js",
        "leaflet/leaflet.css",
        "markercluster/leaflet.markercluster.js",
        "markercluster/MarkerCluster.Default.css",
    ):
        assert (vendor / relative).stat().st_size > 1000, relative
    assert assets.static_url_prefix("/gi/") == "/gi/app/static/vendor"
