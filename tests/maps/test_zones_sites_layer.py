"""The 示范区与文旅 map layer: positions, zone adcodes and a few route points, no geometry."""

from __future__ import annotations

import json
import re

from landmarks.maps.builders import BaseFiles, base_map
from landmarks.maps.zones_sites import (
    ZONE_NATIONAL,
    ZONE_OTHER,
    ZONE_STYLES,
    Circle,
    RouteDrawing,
    RouteStop,
    ZoneMark,
    legend_html,
    zones_sites_layer,
)

BOUNDS = ((29.0, 108.3), (33.3, 116.2))
FILES = BaseFiles(counties="/app/static/gi/c.1.geojson", prefectures="/app/static/gi/p.2.geojson")
ZONES = (
    ZoneMark("429005", "潜江龙虾示范区", "示范区·状态待核实", ZONE_NATIONAL, ("潜江龙虾示范区",)),
    ZoneMark("429005", "潜江龙虾样板", "农业部样板·2016", ZONE_OTHER, ("潜江龙虾样板", "2016")),
)
ROUTE = RouteDrawing(
    stops=(
        RouteStop(30.123456789, 109.4, "伍家台贡茶文化旅游区", "站点"),
        RouteStop(30.3, 109.5, "恩施玉露", "地标产品"),
    ),
    legs=("25.1 公里",),
)


def options(**kwargs: object) -> dict:
    fmap = base_map(FILES, BOUNDS, zones={}, legend="", report_clicks=True)
    zones_sites_layer("/app/static/gi/rows.x.json", **kwargs).add_to(fmap)  # type: ignore[arg-type]
    html = fmap.get_root().render()
    assert "coordinates" not in html and "FeatureCollection" not in html
    match = re.search(r"GiMap\.zonesSites\([^,]+, (\{.*?\})\);\n", html, re.S)
    assert match, html[-2000:]
    return json.loads(match.group(1).replace("<\\/", "</"))


def test_layer_names_sites_and_products_by_position_and_the_selected_site() -> None:
    got = options(sites=[0, 3], products=[7], selected_site="甲", frame=BOUNDS, key="k")
    assert got["sites"] == [0, 3] and got["products"] == [7]
    assert got["selectedSite"] == "甲" and got["key"] == "k"
    assert got["frame"] == [list(BOUNDS[0]), list(BOUNDS[1])]
    assert got["zones"] == [] and got["route"] is None and got["circle"] is None


def test_zones_travel_as_adcodes_with_badges_and_only_the_styles_used() -> None:
    got = options(sites=[], zones=ZONES)
    assert got["zones"][0] == ["429005", "潜江龙虾示范区", "示范区·状态待核实", "national",
                               ["潜江龙虾示范区"]]  # fmt: skip
    assert set(got["zoneStyles"]) == {ZONE_NATIONAL, ZONE_OTHER}
    # Another programme is told apart by outline and colour, not by colour alone.
    assert got["zoneStyles"][ZONE_OTHER]["dashArray"]
    assert "dashArray" not in ZONE_STYLES[ZONE_NATIONAL]


def test_route_and_circle_are_a_few_rounded_points() -> None:
    got = options(sites=[], route=ROUTE, circle=Circle(30.5, 110.1, 30))
    assert got["route"]["stops"][0] == [30.12346, 109.4, "伍家台贡茶文化旅游区", "站点"]
    assert got["route"]["legs"] == ["25.1 公里"]
    assert got["circle"] == {"lat": 30.5, "lon": 110.1, "km": 30}


def test_names_cannot_close_the_script() -> None:
    hostile = "</script><script>alert(1)"
    fmap = base_map(FILES, BOUNDS, zones={}, legend="", report_clicks=True)
    zones_sites_layer("/r.json", sites=[], selected_site=hostile).add_to(fmap)
    assert hostile not in fmap.get_root().render()


def test_legend_names_the_programmes_and_site_kinds_given_and_the_route() -> None:
    html = legend_html(["主题景区"], [ZONE_NATIONAL, ZONE_OTHER], with_route=True)
    assert "国家知识产权局" in html and "原农业部" in html and "省级示范区" not in html
    assert "主题线路" in html and html.count("<svg") == 1
    assert "主题线路" not in legend_html([], [], with_route=False)
