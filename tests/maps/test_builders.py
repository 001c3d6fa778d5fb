"""The folium map: no geometry in the script, a data layer that carries positions only."""

from __future__ import annotations

import json
import re

import folium

from landmarks.maps.builders import BaseFiles, base_map, data_layer, dots_note, legend_html

BOUNDS = ((29.0, 108.3), (33.3, 116.2))
FILES = BaseFiles(
    counties="/app/static/gi/counties.1.geojson", prefectures="/app/static/gi/prefectures.2.geojson"
)


def call_options(script: str, function: str) -> dict:
    match = re.search(rf"GiMap\.{function}\([^,]+, (\{{.*?\}})\);\n", script, re.S)
    assert match, script
    return json.loads(match.group(1).replace("<\\/", "</"))


def rendered(element: folium.Map) -> str:
    return element.get_root().render()


def test_base_map_loads_geometry_from_files_not_from_its_script() -> None:
    fmap = base_map(
        FILES,
        BOUNDS,
        zones={"420527": "秭归脐橙示范区"},
        legend=legend_html(["柑橘"], True, False),
        report_clicks=True,
    )
    html = rendered(fmap)
    options = call_options(html, "base")
    assert options["counties"] == FILES.counties
    assert options["zones"] == {"420527": "秭归脐橙示范区"}
    assert options["reportClicks"] is True
    assert "coordinates" not in html and "FeatureCollection" not in html
    assert fmap.options["maxZoom"] == 13  # without tiles Leaflet needs it for clustering
    assert "tileLayer" not in html


def test_data_layer_carries_positions_frame_and_selection() -> None:
    fmap = base_map(FILES, BOUNDS, zones={}, legend="", report_clicks=False)
    layer = data_layer(
        "/app/static/gi/rows.x.json", [0, 5, 7], frame=BOUNDS, selected_county="420527"
    )
    layer.add_to(fmap)
    options = call_options(rendered(fmap), "data")
    assert options["products"] == [0, 5, 7]
    assert options["frame"] == [list(BOUNDS[0]), list(BOUNDS[1])]
    assert options["selected"] == {"county": "420527", "area": []}
    assert options["rows"] == "/app/static/gi/rows.x.json"


def test_data_layer_carries_a_selected_area_as_adcodes_only() -> None:
    fmap = base_map(FILES, BOUNDS, zones={}, legend="", report_clicks=True)
    area = ("420304", "420322", "420323")
    data_layer("/app/static/gi/rows.x.json", [4], frame=BOUNDS, selected_area=area).add_to(fmap)
    html = rendered(fmap)
    options = call_options(html, "data")
    assert options["selected"] == {"county": None, "area": list(area)}
    assert "coordinates" not in html  # drawn from the county polygons already loaded
    styles = call_options(html, "base")["styles"]
    assert styles["area"]["fillOpacity"] < 0.5  # a light fill: the counties stay readable
    assert styles["wide_marker"]["dashArray"] and styles["wide_marker"]["fillColor"] == "#ffffff"


def test_script_text_cannot_close_the_script_element() -> None:
    fmap = base_map(
        FILES, BOUNDS, zones={"420527": "</script><script>alert(1)"}, legend="", report_clicks=False
    )
    html = rendered(fmap)
    assert "</script><script>alert(1)" not in html
    assert call_options(html, "base")["zones"]["420527"] == "</script><script>alert(1)"


def test_legend_lists_the_chains_shown_zones_and_sites() -> None:
    html = legend_html(["柑橘", "茶叶"], with_zones=True, with_sites=True)
    assert "柑橘" in html and "茶叶" in html and "蔬菜" not in html
    assert "国家级保护示范区所在县" in html and "地标+文旅站点" in html
    assert "国家级" not in legend_html(["柑橘"], with_zones=False, with_sites=False)


def test_legend_explains_the_hollow_markers_of_wide_products() -> None:
    html = legend_html(["茶叶"], with_zones=False, with_sites=False, with_wide=True)
    assert "全市范围或跨县产品（示意位置）" in html and 'class="gi-wide"' in html
    assert "全市范围" not in legend_html(["茶叶"], with_zones=False, with_sites=False)


def test_presentation_mode_and_a_tour_reach_the_map_script() -> None:
    fmap = base_map(FILES, BOUNDS, zones={}, legend="", report_clicks=False, present=True)
    step = {"title": "茶叶</script>", "products": [1, 2], "frame": BOUNDS, "area": []}
    tour = {"kind": "十大产业链", "every": 2, "idle": 4, "steps": [step]}
    data_layer("/app/static/gi/rows.x.json", [1, 2, 3], frame=None, tour=tour).add_to(fmap)
    html = rendered(fmap)
    assert call_options(html, "base")["present"] is True
    options = call_options(html, "data")
    assert options["tour"]["steps"][0]["title"] == "茶叶</script>"
    assert options["tour"]["every"] == 2 and options["products"] == [1, 2, 3]
    plain = base_map(FILES, BOUNDS, zones={}, legend="", report_clicks=False)
    assert call_options(rendered(plain), "base")["present"] is False


def test_legend_says_what_a_dot_is_and_what_a_ring_counts() -> None:
    html = legend_html(["茶叶"], with_zones=False, with_sites=False)
    assert "每个圆点是一个登记名称" in html and "圆环中的数字为圆点数" in html
    assert '<div class="gi-legend-count"></div>' in html  # the data layer's count, filled in


def test_data_layer_says_how_many_registered_names_of_how_many_products() -> None:
    fmap = base_map(FILES, BOUNDS, zones={}, legend="", report_clicks=False)
    note = dots_note(10, 8)
    assert note == "图上 10 个圆点：8 个产品的 10 个登记名称"
    data_layer("/app/static/gi/rows.x.json", [1, 2], frame=None, count=note).add_to(fmap)
    assert call_options(rendered(fmap), "data")["count"] == note
