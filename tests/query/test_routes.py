"""Themed routes: stops, legs within 1 % of geodesic, the URL round trip, GeoJSON, print."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from pyproj import Geod, Transformer

from landmarks.data.regions import Regions
from landmarks.data.routes import Route, SavedRoute, Stop, load_example_routes
from landmarks.query import routes
from landmarks.query.labels import is_remark
from landmarks.query.urlparams import share_url
from tests import synthetic

GEOD = Geod(ellps="WGS84")
# CGCS2000 / 3-degree Gauss-Kruger CM 114E: a projected CRS suited to Hubei (108–116°E).
TO_HUBEI_METRES = Transformer.from_crs("EPSG:4326", "EPSG:4547", always_xy=True)

TEA = Route(
    "恩施茶旅",
    (
        Stop("product", "恩施玉露"),
        Stop("site", "恩施玉露品鉴馆"),
        Stop("site", "伍家台茶园"),
        Stop("product", "房县香菇"),
    ),
)


@pytest.fixture
def data(regions: Regions) -> dict[str, pd.DataFrame]:
    return synthetic.zones_sites_frames(regions)


def stops_of(route: Route, data: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return routes.route_stops(route, data["sites"], data["products"])


def legs_of(route: Route, data: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return routes.route_legs(route, data["sites"], data["products"])


def query_string_round_trip(params: dict[str, str]) -> dict[str, str]:
    """What a browser hands back after the link is opened: encoded, then decoded."""
    url = share_url("http://localhost:8501/zones_sites", params)
    decoded = parse_qs(urlsplit(url).query, keep_blank_values=True)
    return {key: values[-1] for key, values in decoded.items()}


def test_stops_are_found_in_order_with_positions(data: dict[str, pd.DataFrame]) -> None:
    stops = stops_of(TEA, data)
    assert list(stops["order"]) == [1, 2, 3, 4]
    assert list(stops["name"]) == ["恩施玉露", "恩施玉露品鉴馆", "伍家台茶园", "房县香菇"]
    assert list(stops["kind_label"]) == ["地标产品", "站点", "站点", "地标产品"]
    assert list(stops["approximate"]) == [True, False, True, True]
    tasting = stops.iloc[1]
    assert (tasting["lon"], tasting["lat"]) == (109.48, 30.28)
    assert tasting["detail"] == "文创美食品鉴馆 · 恩施市"
    assert stops.iloc[2]["detail"] == "主题景区 · 宣恩县 万寨乡伍家台村"


def test_leg_distances_are_within_one_percent_of_the_geodesic(
    data: dict[str, pd.DataFrame],
) -> None:
    stops = stops_of(TEA, data)
    legs = legs_of(TEA, data)
    assert list(legs["leg"]) == [1, 2, 3]
    assert list(legs["from_name"]) == list(stops["name"][:-1])
    assert list(legs["to_name"]) == list(stops["name"][1:])
    xs, ys = TO_HUBEI_METRES.transform(stops["lon"].to_numpy(), stops["lat"].to_numpy())
    for position, km in enumerate(legs["km"]):
        a, b = stops.iloc[position], stops.iloc[position + 1]
        geodesic = float(GEOD.inv(a["lon"], a["lat"], b["lon"], b["lat"])[2]) / 1000
        assert km == pytest.approx(geodesic, rel=0.01)
        projected = float(
            ((xs[position + 1] - xs[position]) ** 2 + (ys[position + 1] - ys[position]) ** 2) ** 0.5
        )
        assert km == pytest.approx(projected / 1000, rel=0.01)
    line = GEOD.line_length(list(stops["lon"]), list(stops["lat"])) / 1000
    assert routes.route_total_km(legs) == pytest.approx(line, rel=0.01)
    assert list(legs["km_text"]) == [f"{km:.1f} 公里" for km in legs["km"]]


def test_a_route_of_one_stop_has_no_legs(data: dict[str, pd.DataFrame]) -> None:
    single = Route("一站", (Stop("site", "伍家台茶园"),))
    legs = legs_of(single, data)
    assert legs.empty and list(legs.columns) == list(routes.LEG_COLUMNS)
    assert routes.route_total_km(legs) == 0.0


def test_stops_no_longer_in_the_data_are_left_out_with_a_notice(
    data: dict[str, pd.DataFrame],
) -> None:
    route = Route("旧线路", (Stop("site", "已关闭的驿站"), *TEA.stops[:2]))
    assert list(stops_of(route, data)["order"]) == [1, 2]
    assert len(legs_of(route, data)) == 1
    assert routes.missing_stops(route, data["sites"], data["products"]) == [
        "站点“已关闭的驿站”已不在数据中，线路中略去该站"
    ]
    assert "注：站点“已关闭的驿站”已不在数据中" in routes.route_text(
        route, data["sites"], data["products"]
    )


@pytest.mark.parametrize(
    "route",
    [
        TEA,
        Route("带|竖线%与,逗号的线路", (Stop("site", "伍家台茶园"), Stop("product", "恩施玉露"))),
        Route(
            "危险名称",
            (Stop("product", synthetic.HOSTILE), Stop("product", synthetic.FORMULA)),
        ),
        Route("名称含|的站", (Stop("site", "a|b%7C c"), Stop("product", "x:y"))),
    ],
)
def test_a_route_survives_the_url_round_trip(route: Route) -> None:
    params = routes.route_to_query(route)
    assert set(params) == set(routes.ROUTE_QUERY_KEYS)
    back, notices = routes.route_from_query(query_string_round_trip(params))
    assert (back, notices) == (route, [])


def test_an_example_route_comes_back_as_the_example(data: dict[str, pd.DataFrame]) -> None:
    example = Route("示例", TEA.stops, is_example=True)
    params = query_string_round_trip(routes.route_to_query(example))
    back, notices = routes.route_from_query(
        params, sites=data["sites"], products=data["products"], examples=[example]
    )
    assert back == example and back is not None and back.is_example
    assert notices == []
    changed, _ = routes.route_from_query(
        params | {"route": "我的线路"},
        sites=data["sites"],
        products=data["products"],
        examples=[example],
    )
    assert changed is not None and not changed.is_example


def test_a_mangled_link_keeps_what_it_can_and_says_what_it_dropped(
    data: dict[str, pd.DataFrame],
) -> None:
    params = {"route": "半截线路", "stops": "s:伍家台茶园|x:什么|p:不存在的产品|p:恩施玉露|"}
    route, notices = routes.route_from_query(params, sites=data["sites"], products=data["products"])
    assert route == Route("半截线路", (Stop("site", "伍家台茶园"), Stop("product", "恩施玉露")))
    assert notices == [
        "链接参数 stops=x:什么 无效，已忽略：每一站应写作 s:站点名称 或 p:产品名称",
        "链接参数 stops=不存在的产品 无效，已忽略：数据中没有名为“不存在的产品”的地标产品",
    ]
    unnamed, _ = routes.route_from_query(
        {"stops": "s:伍家台茶园|p:恩施玉露"}, sites=data["sites"], products=data["products"]
    )
    assert unnamed is not None and unnamed.name == "未命名线路"
    assert routes.route_from_query({}) == (None, [])
    nothing_left, _ = routes.route_from_query(
        {"stops": "p:无此产品"}, sites=data["sites"], products=data["products"]
    )
    assert nothing_left is None


def test_full_width_names_in_a_link_are_matched(data: dict[str, pd.DataFrame]) -> None:
    sites = data["sites"].assign(name=data["sites"]["name"].replace("伍家台茶园", "伍家台茶园(一)"))
    route, notices = routes.route_from_query(
        {"stops": "s:伍家台茶园（一）"}, sites=sites, products=data["products"]
    )
    assert notices == []
    assert route is not None and route.stops == (Stop("site", "伍家台茶园(一)"),)


def test_a_link_with_too_many_stops_keeps_the_first(data: dict[str, pd.DataFrame]) -> None:
    many = Route("长线路", tuple(Stop("product", "恩施玉露") for _ in range(25)))
    route, notices = routes.route_from_query(routes.route_to_query(many))
    assert route is not None and len(route.stops) == routes.MAX_STOPS
    assert notices == [f"线路超过 {routes.MAX_STOPS} 站，只保留前 {routes.MAX_STOPS} 站"]


def test_route_geojson_draws_the_line_in_order_and_numbers_the_stops(
    data: dict[str, pd.DataFrame],
) -> None:
    document = routes.route_geojson(TEA, data["sites"], data["products"])
    assert document["type"] == "FeatureCollection"
    line, *points = document["features"]
    stops = stops_of(TEA, data)
    expected = [[lon, lat] for lon, lat in zip(stops["lon"], stops["lat"], strict=True)]
    assert line["geometry"] == {"type": "LineString", "coordinates": expected}
    total = routes.route_total_km(legs_of(TEA, data))
    assert line["properties"]["total_km"] == round(total, 1)
    assert line["properties"]["is_example"] is False
    assert [p["properties"]["order"] for p in points] == [1, 2, 3, 4]
    assert [p["geometry"]["coordinates"] for p in points] == expected
    assert points[1]["properties"]["position"] == "精确位置"
    raw = routes.route_geojson_bytes(TEA, data["sites"], data["products"]).decode("utf-8")
    assert "恩施玉露品鉴馆" in raw  # Chinese kept readable


def test_route_text_is_a_printable_list(data: dict[str, pd.DataFrame]) -> None:
    text = routes.route_text(TEA, data["sites"], data["products"])
    legs = legs_of(TEA, data)
    total = routes.route_total_km(legs)
    assert text.startswith("主题线路：恩施茶旅\n")
    assert f"共 4 站，全程约 {total:.1f} 公里" in text
    positions = [
        text.index(f"{n}. {name}") for n, name in enumerate(stops_of(TEA, data)["name"], 1)
    ]
    assert positions == sorted(positions)
    for km in legs["km_text"]:
        assert f"↓ {km}" in text
    assert "示意位置" in text and "不是道路里程" in text
    for line in text.splitlines():
        assert not is_remark(line.replace(synthetic.HOSTILE, "")), line
    example = Route(TEA.name, TEA.stops, is_example=True)
    assert routes.route_text(example, data["sites"], data["products"]).startswith(
        "主题线路：恩施茶旅（示例线路）"
    )


def test_route_names_are_checked_before_saving() -> None:
    assert routes.route_name_problem("  ") == "请填写线路名称"
    assert routes.route_name_problem("茶" * 41) == "线路名称不能超过 40 个字"
    assert routes.route_name_problem("恩施茶旅") is None


def test_example_routes_are_read_from_a_seed_file(tmp_path: Path) -> None:
    (tmp_path / "routes.csv").write_text(
        "route,order,kind,name\nB线,2,site,乙\nA线,1,product,甲\nB线,1,product,丙\n",
        encoding="utf-8",
    )
    found = load_example_routes(tmp_path)
    assert found == (
        Route("B线", (Stop("product", "丙"), Stop("site", "乙")), is_example=True),
        Route("A线", (Stop("product", "甲"),), is_example=True),
    )
    assert load_example_routes(tmp_path / "missing") == ()
    (tmp_path / "routes.csv").write_text("route,order,kind,name\nC,1,place,丁\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown stop kind"):
        load_example_routes(tmp_path)


def test_saved_routes_table_shows_who_saved_what_when() -> None:
    saved = [
        SavedRoute(TEA, "张三", "2026-01-23T02:05:00+00:00"),
        SavedRoute(Route("无名", (Stop("site", "甲"),)), "", "not a time"),
    ]
    table = routes.saved_routes_table(saved)
    assert table.to_dict("records") == [
        {
            "线路名称": "恩施茶旅",
            "站数": 4,
            "保存人": "张三",
            "保存时间（北京时间）": "2026年1月23日 10:05",
        },
        {"线路名称": "无名", "站数": 1, "保存人": "未署名", "保存时间（北京时间）": ""},
    ]
    assert routes.saved_routes_table([]).empty


def test_a_route_name_comes_back_from_its_link_as_written(data: dict[str, pd.DataFrame]) -> None:
    """Names are shown as users wrote them: "：" stays "：" (only lookups fold it)."""
    route = Route("茶旅：恩施（一日游）", TEA.stops)
    params = query_string_round_trip(routes.route_to_query(route))
    back, notices = routes.route_from_query(params, sites=data["sites"], products=data["products"])
    assert notices == []
    assert back is not None and back.name == "茶旅：恩施（一日游）"
    without_data, _ = routes.route_from_query(params)
    assert without_data is not None and without_data.name == route.name


def test_a_route_has_at_most_a_day_trips_stops() -> None:
    """A 216-stop route drew an unreadable map and leg table: the picker and links stop at
    ``MAX_STOPS`` (12: a one- or two-day trip, and a leg table one projector screen holds)."""
    assert routes.MAX_STOPS == 12


def test_a_stop_typed_full_width_is_read_and_its_name_kept(data: dict[str, pd.DataFrame]) -> None:
    route, notices = routes.route_from_query(
        {"route": "线路：一", "stops": "ｓ：伍家台茶园|p:恩施玉露"}
    )
    assert notices == []
    assert route == Route("线路：一", (Stop("site", "伍家台茶园"), Stop("product", "恩施玉露")))
