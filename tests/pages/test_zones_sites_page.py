"""示范区与文旅 run headless with AppTest: layers, list, cards, targets, nearby, routes.

The data are the synthetic tables with the issue-11 sites and zones
(``synthetic.zones_sites_frames``); the example routes are checked on the seeded data,
whose sites they name.  What the map receives is read from the data layer's options.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.testing.v1 import AppTest

from landmarks.data import seed, store
from landmarks.data.accounts import Account, EditorSession
from landmarks.data.model import SITE_TYPES
from landmarks.data.regions import Regions
from landmarks.query import routes, sites
from landmarks.query.routes import Route, Stop
from landmarks.ui import zones_sites as view
from landmarks.ui.auth import SESSION_KEY
from tests import synthetic
from tests.helpers import components, headings, map_args, run_app, write_protect

PAGE = "pages/zones_sites.py"
# Everything one interaction sends for the map (base script and data layer) stays small.
MAP_PAYLOAD_LIMIT = 60_000
TEA_ROUTE = Route(
    "恩施茶旅",
    (
        Stop("product", "恩施玉露"),
        Stop("site", "伍家台茶园"),
        Stop("site", "恩施玉露品鉴馆"),
    ),
)


@pytest.fixture
def data(db_path: Path, regions: Regions) -> dict[str, pd.DataFrame]:
    return synthetic.install(db_path, regions, synthetic.zones_sites_frames)


@pytest.fixture
def seeded(db_path: Path, regions: Regions) -> pd.DataFrame:
    with store.opened(db_path) as db:
        seed.ensure_seeded(db, regions)
        return db.read_table("sites")


def open_page(params: dict[str, str] | None = None) -> AppTest:
    return run_app(PAGE, params)


def layer(at: AppTest) -> dict[str, Any]:
    """The options of this page's data layer (``GiMap.zonesSites``) on this run."""
    match = re.search(
        r"GiMap\.zonesSites\([^,]+, (\{.*?\})\);", map_args(at)["feature_group"], re.S
    )
    assert match
    return json.loads(match.group(1).replace("<\\/", "</"))


def payload(at: AppTest) -> int:
    return len(components(at)[0].proto.json_args.encode())


def shown_names(at: AppTest, table: pd.DataFrame) -> list[str]:
    return [str(table["name"].iloc[i]) for i in layer(at)["sites"]]


def switch_tab(at: AppTest, tab: str) -> AppTest:
    at.session_state[view.TAB] = view.TABS[tab]
    return at.run()


def click_map(at: AppTest, kind: str, identifier: str, n: int) -> AppTest:
    """What the map script sends for a click: a new component value, as from the browser."""
    states: WidgetStates = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = str(components(at)[0].proto.id)
    state.json_value = json.dumps({"gi_click": {"kind": kind, "id": identifier, "n": n}})
    at._run(states)
    assert not at.exception, at.exception
    return at


def frame_of(at: AppTest, key: str) -> pd.DataFrame:
    found = [df for df in at.dataframe if df.proto.id and key in df.proto.id]
    assert found, [df.proto.id for df in at.dataframe]
    return found[0].value


def markdown(at: AppTest) -> str:
    """The page's Markdown as read (escapes removed)."""
    return re.sub(r"\\(.)", r"\1", "\n".join(m.value for m in at.markdown))


def test_the_map_shows_every_site_and_zone_without_geometry(
    data: dict[str, pd.DataFrame],
) -> None:
    at = open_page()
    assert at.title[0].value.endswith("示范区与文旅")
    options = layer(at)
    assert shown_names(at, data["sites"]) == list(data["sites"]["name"])
    zones = {zone[1]: zone for zone in options["zones"]}
    assert set(zones) == set(data["zones"]["name"])
    sample = zones["潜江龙虾 国家级农产品地理标志示范样板"]
    assert sample[2] == "农业部样板·2016" and sample[3] == "other"  # another programme
    assert zones["秭归脐橙国家地理标志产品保护示范区"][3] == "national"
    assert zones["房县香菇省级示范区"][3] == "provincial"
    raw = components(at)[0].proto.json_args
    assert "coordinates" not in raw and "FeatureCollection" not in raw
    assert payload(at) < MAP_PAYLOAD_LIMIT
    assert '"reportClicks":true' in map_args(at)["script"]


def test_site_layers_follow_the_toggles_and_the_list_follows_the_map(
    data: dict[str, pd.DataFrame],
) -> None:
    at = switch_tab(open_page(), view.TAB_SITES)
    before = components(at)[0].proto.id
    at.pills(key=view.LAYERS).set_value(["主题景区"]).run()
    themed = list(data["sites"].loc[data["sites"]["site_type"] == "主题景区", "name"])
    assert shown_names(at, data["sites"]) == themed
    listed = frame_of(at, view.SITE_TABLE)
    assert list(listed["name"]) == themed and set(listed["site_type"]) == {"主题景区"}
    assert at.query_params[sites.SITE_TYPE.url_key] == "主题景区"
    assert components(at)[0].proto.id == before  # same base map: only the layer changed
    at.pills(key=view.LAYERS).set_value([]).run()
    assert layer(at)["sites"] == []
    assert any("图层全部关闭" in i.value for i in at.info)
    at.pills(key=view.LAYERS).set_value(list(SITE_TYPES)).run()
    assert len(layer(at)["sites"]) == len(data["sites"])
    assert sites.SITE_TYPE.url_key not in at.query_params


def test_the_zone_layer_can_be_switched_off(data: dict[str, pd.DataFrame]) -> None:
    at = open_page()
    at.toggle(key=view.ZONE_LAYER).set_value(False).run()
    assert layer(at)["zones"] == []
    assert at.query_params["zones"] == "0"


def test_filters_by_product_and_place_narrow_map_and_list(
    data: dict[str, pd.DataFrame],
) -> None:
    at = switch_tab(open_page(), view.TAB_SITES)
    at.multiselect(key=sites.SITE_PRODUCT.state_key).set_value(["恩施玉露"]).run()
    assert sorted(shown_names(at, data["sites"])) == ["伍家台茶园", "恩施玉露品鉴馆"]
    at.multiselect(key=sites.SITE_COUNTY.state_key).set_value([synthetic.XUANEN]).run()
    assert shown_names(at, data["sites"]) == ["伍家台茶园"]
    assert list(frame_of(at, view.SITE_TABLE)["name"]) == ["伍家台茶园"]
    # A shared link opens the same view.
    again = open_page(dict(at.query_params))
    assert shown_names(again, data["sites"]) == ["伍家台茶园"]


def test_site_filter_counts_follow_the_other_filters(data: dict[str, pd.DataFrame]) -> None:
    at = open_page()
    everywhere = at.multiselect(key=sites.SITE_PREFECTURE.state_key).options
    at.multiselect(key=sites.SITE_PRODUCT.state_key).set_value(["恩施玉露"]).run()
    # After 恩施玉露, 市州 counts only its sites, and 县市区 only those of its counties.
    named = data["sites"][data["sites"]["products"].str.contains("恩施玉露")]
    assert at.multiselect(key=sites.SITE_PREFECTURE.state_key).options == [
        f"恩施土家族苗族自治州（{len(named)}）"
    ], everywhere
    assert len(at.multiselect(key=sites.SITE_COUNTY.state_key).options) == len(
        set(named["county_adcode"].dropna()) - {""}
    )
    # The product list keeps its own counts, so another product can be added.
    products = at.multiselect(key=sites.SITE_PRODUCT.state_key).options
    assert any(option.startswith("秭归脐橙（") for option in products), products


def test_a_site_click_opens_its_card_with_place_precision_and_no_source_ids(
    data: dict[str, pd.DataFrame],
) -> None:
    at = click_map(open_page(), "site", "伍家台茶园", 1)
    assert "站点名片：伍家台茶园" in headings(at)
    text = markdown(at)
    assert "村级" in text and "恩施玉露" in text
    assert synthetic.NOT_REGISTERED in text  # named by the source, not in the register
    assert "S1" not in text and "opening hours" not in text  # only under 维护说明
    assert layer(at)["selectedSite"] == "伍家台茶园"
    assert at.query_params["site"] == "伍家台茶园"
    # The card lists the products of its county and the neighbouring ones.
    near = next(df.value for df in at.dataframe if "relation" in df.value.columns)
    assert "恩施玉露" in set(near["name"])
    next(b for b in at.button if b.key == "zs_close_site").click().run()
    assert "站点名片：伍家台茶园" not in headings(at)


def test_a_site_link_and_the_list_picker_open_the_card(data: dict[str, pd.DataFrame]) -> None:
    at = open_page({"site": "恩施玉露品鉴馆"})
    assert "站点名片：恩施玉露品鉴馆" in headings(at)
    at = switch_tab(open_page(), view.TAB_SITES)
    at.selectbox(key=view.SITE_PICKER).set_value("房县香菇小镇").run()
    assert "站点名片：房县香菇小镇" in headings(at)


def test_a_badge_click_opens_the_zone_card_of_another_programme(
    data: dict[str, pd.DataFrame],
) -> None:
    name = "潜江龙虾 国家级农产品地理标志示范样板"
    at = click_map(open_page(), "zone", name, 1)
    assert f"示范区：{name}" in headings(at)
    assert any("不是国家知识产权局" in i.value for i in at.info)
    assert "2016-11-05" in markdown(at)
    assert "different programme" not in markdown(at)


def test_the_zones_tab_lists_zones_with_links_and_a_timeline(
    data: dict[str, pd.DataFrame],
) -> None:
    at = open_page()
    table = frame_of(at, view.ZONE_TABLE)
    assert len(table) == len(data["zones"])
    assert set(table["programme"]) == {"国家知识产权局示范区", "省级示范区", "其他部门项目"}
    qijiang = table[table["name"].str.startswith("潜江龙虾")].iloc[0]
    assert qijiang["county_card"] == "explorer?county=429005"
    assert len(at.get("vega_lite_chart")) == 1  # the timeline
    assert {b.proto.label for b in at.get("download_button")} >= {"导出 CSV", "导出 Excel"}


def test_targets_count_recorded_sites_by_kind_and_prefecture_with_the_caveat(
    data: dict[str, pd.DataFrame],
) -> None:
    at = switch_tab(open_page(), view.TAB_TARGETS)
    assert any(sites.TARGET_CAVEAT in w.value for w in at.warning)
    by_kind = at.dataframe[0].value.set_index("site_type")
    counts = data["sites"]["site_type"].value_counts()
    for kind in SITE_TYPES:
        assert by_kind.loc[kind, "recorded"] == counts.get(kind, 0), kind
    assert by_kind.loc["省级地标+文旅样板", "target"] == 10
    by_prefecture = at.dataframe[1].value.set_index("市州")
    assert by_prefecture.loc["恩施土家族苗族自治州", "主题景区"] == 1
    assert by_prefecture.loc["恩施土家族苗族自治州", "合计"] == 2
    assert by_prefecture["合计"].sum() == len(data["sites"])


def test_nearby_sites_of_a_product_draw_a_circle(data: dict[str, pd.DataFrame]) -> None:
    at = open_page({"tab": "nearby", "near": "恩施玉露", "km": "50"})
    options = layer(at)
    assert options["circle"]["km"] == 50
    products = list(data["products"]["name"])
    assert [products[i] for i in options["products"]] == ["恩施玉露"]
    found = at.dataframe[0].value
    assert set(found["name"]) == {"伍家台茶园", "恩施玉露品鉴馆"}
    assert all(text.endswith("公里") for text in found["km_text"])
    assert at.query_params["near"] == "恩施玉露" and at.query_params["km"] == "50"


def test_nearby_products_of_a_site(data: dict[str, pd.DataFrame]) -> None:
    at = open_page({"tab": "nearby", "near_site": "伍家台茶园"})
    found = at.dataframe[0].value
    assert found.iloc[0]["relation"] in {"本县", "邻县"}
    assert "恩施玉露" in set(found["name"])
    products = list(data["products"]["name"])
    assert {products[i] for i in layer(at)["products"]} == set(found["name"])
    assert layer(at)["selectedSite"] == "伍家台茶园"  # ringed on the map


def test_a_route_link_draws_the_route_with_legs_and_survives_the_round_trip(
    data: dict[str, pd.DataFrame],
) -> None:
    params = {"tab": "route", **routes.route_to_query(TEA_ROUTE)}
    at = open_page(params)
    drawn = layer(at)["route"]
    assert [stop[2] for stop in drawn["stops"]] == [stop.name for stop in TEA_ROUTE.stops]
    legs = routes.route_legs(TEA_ROUTE, data["sites"], data["products"])
    assert drawn["legs"] == list(legs["km_text"])
    total = routes.route_total_km(legs)
    assert any(m.value == f"{total:.1f} 公里" for m in at.metric)
    assert dict(at.query_params) == params  # written back unchanged
    parsed, notices = routes.route_from_query(
        at.query_params, sites=data["sites"], products=data["products"]
    )
    assert parsed == TEA_ROUTE and notices == []
    assert payload(at) < MAP_PAYLOAD_LIMIT


def test_a_route_built_with_the_widgets_is_drawn_in_order_and_reversed(
    data: dict[str, pd.DataFrame],
) -> None:
    at = switch_tab(open_page(), view.TAB_ROUTE)
    assert layer(at)["route"] is None
    at.multiselect(key=view.ROUTE_PICKER).set_value(["s:恩施玉露品鉴馆", "p:恩施玉露"]).run()
    assert [s[2] for s in layer(at)["route"]["stops"]] == ["恩施玉露品鉴馆", "恩施玉露"]
    at.button(key="zs_route_reverse").click().run()
    assert [s[2] for s in layer(at)["route"]["stops"]] == ["恩施玉露", "恩施玉露品鉴馆"]
    # Another tab keeps the route; it is drawn again on coming back.
    at = switch_tab(switch_tab(at, view.TAB_SITES), view.TAB_ROUTE)
    assert [s[2] for s in layer(at)["route"]["stops"]] == ["恩施玉露", "恩施玉露品鉴馆"]
    # On the route tab a click on a site adds it as the next stop.
    click_map(at, "site", "伍家台茶园", 1)
    assert [s[2] for s in layer(at)["route"]["stops"]][-1] == "伍家台茶园"
    downloads = {b.proto.label for b in at.get("download_button")}
    assert {"导出 GeoJSON", "导出打印清单"} <= downloads


def test_the_stop_picker_keeps_at_most_the_cap_and_says_so(
    data: dict[str, pd.DataFrame],
) -> None:
    """Choosing more stops than the cap at once (the picker's "select all" chose 216)
    keeps the first ``MAX_STOPS`` with a message."""
    at = switch_tab(open_page(), view.TAB_ROUTE)
    tokens = ["s:" + name for name in data["sites"]["name"]]
    tokens += ["p:" + name for name in data["products"]["name"]]
    many = list(dict.fromkeys(tokens))[: routes.MAX_STOPS + 3]
    assert len(many) == routes.MAX_STOPS + 3
    at.multiselect(key=view.ROUTE_PICKER).set_value(many).run()
    assert len(layer(at)["route"]["stops"]) == routes.MAX_STOPS
    assert len(at.multiselect(key=view.ROUTE_PICKER).value) == routes.MAX_STOPS
    assert any(f"最多 {routes.MAX_STOPS} 站" in w.value for w in at.warning)


def test_viewers_cannot_save_routes_but_editors_can(data: dict[str, pd.DataFrame]) -> None:
    params = {"tab": "route", **routes.route_to_query(TEA_ROUTE)}
    at = open_page(params)
    assert not [b for b in at.button if b.key == "zs_route_save"]
    assert any("保存线路需要编辑账号" in c.value for c in at.caption)

    now = datetime.now(UTC)
    at.session_state[SESSION_KEY] = EditorSession(Account("wang", "王编辑", ""), now, now)
    at.run()
    at.button(key="zs_route_save").click().run()
    assert any("已保存线路" in s.value for s in at.success)
    with store.opened(Path(str(store.default_target()))) as db:
        saved = db.routes()
    assert [(s.route.name, s.route.stops, s.author) for s in saved] == [
        (TEA_ROUTE.name, TEA_ROUTE.stops, "王编辑")
    ]
    at.button(key="zs_route_save").click().run()  # the name is taken: said, not overwritten
    assert any("同名线路" in e.value for e in at.error)


def test_every_interaction_sends_a_small_map_layer(data: dict[str, pd.DataFrame]) -> None:
    at = open_page()
    sizes = [payload(at)]
    at.pills(key=view.LAYERS).set_value(["主题景区", "研学基地"]).run()
    sizes.append(payload(at))
    sizes.append(payload(click_map(at, "site", "伍家台茶园", 1)))
    sizes.append(payload(switch_tab(at, view.TAB_NEARBY)))
    at = open_page({"tab": "route", **routes.route_to_query(TEA_ROUTE)})
    sizes.append(payload(at))
    assert max(sizes) < MAP_PAYLOAD_LIMIT, sizes


def test_a_mangled_link_opens_the_page_with_notices(data: dict[str, pd.DataFrame]) -> None:
    at = open_page({"site": "不存在的站点", "tab": "nope", "km": "7", "colour": "red"})
    text = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "site=不存在的站点" in text and "tab=nope" in text and "km=7" in text
    assert "colour" in text
    assert not any(h.startswith("站点名片") for h in headings(at))


def test_example_routes_on_the_seed_are_labelled_as_examples(seeded: pd.DataFrame) -> None:
    at = switch_tab(open_page(), view.TAB_ROUTE)
    example = routes.example_routes()[0]
    at.selectbox(key=view.ROUTE_LOAD).set_value(f"{routes.EXAMPLE_LABEL}：{example.name}").run()
    assert not at.exception, at.exception
    drawn = layer(at)["route"]
    assert [stop[2] for stop in drawn["stops"]] == [stop.name for stop in example.stops]
    assert len(drawn["legs"]) == len(example.stops) - 1
    assert routes.EXAMPLE_LABEL in markdown(at)
    assert at.query_params["route"] == example.name
    assert not at.warning  # every stop of the example is in the seed


def test_a_link_with_only_a_route_opens_the_route_tab(data: dict[str, pd.DataFrame]) -> None:
    at = open_page(routes.route_to_query(TEA_ROUTE))
    assert at.session_state[view.TAB] == view.TABS[view.TAB_ROUTE]
    assert len(layer(at)["route"]["stops"]) == len(TEA_ROUTE.stops)
    assert at.query_params["tab"] == "route"


def test_the_page_works_before_any_zone_or_site_is_recorded(
    db_path: Path, regions: Regions
) -> None:
    tables = synthetic.frames(regions)
    tables["zones"], tables["sites"] = tables["zones"].iloc[0:0], tables["sites"].iloc[0:0]
    with store.opened(db_path) as db:
        db.write_tables(tables)
    at = open_page()
    assert layer(at)["sites"] == [] and layer(at)["zones"] == []
    for tab in (view.TAB_SITES, view.TAB_TARGETS, view.TAB_NEARBY, view.TAB_ROUTE):
        at = switch_tab(at, tab)
        assert not at.exception, (tab, at.exception)
    at = switch_tab(at, view.TAB_TARGETS)
    assert at.dataframe[0].value["recorded"].sum() == 0


def test_a_route_delete_that_fails_is_said_and_read_only_mode_offers_no_write(
    data: dict[str, pd.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page({"tab": "route", **routes.route_to_query(TEA_ROUTE)})
    now = datetime.now(UTC)
    at.session_state[SESSION_KEY] = EditorSession(Account("wang", "王编辑", ""), now, now)
    at.run()
    at.button(key="zs_route_save").click().run()
    at.selectbox(key="zs_route_delete_pick").set_value(TEA_ROUTE.name).run()

    def busy(*args: Any, **kwargs: Any) -> bool:
        raise store.StorageError("busy", "数据库正被其他人写入", "请稍后重试")

    with monkeypatch.context() as patched:
        patched.setattr(store.Store, "delete_route", busy)
        at.button(key="zs_route_delete").click().run()
    assert not at.exception
    assert any("数据库正被其他人写入" in e.value for e in at.error)
    at.button(key="zs_route_delete").click().run()
    assert any("已删除线路" in s.value for s in at.success)
    at.button(key="zs_route_save").click().run()

    write_protect(store.default_target().parent, monkeypatch)
    at.run()
    keys = {b.key for b in at.button}
    assert not keys & {"zs_route_save", "zs_route_delete"}
    assert any("只读模式下不能保存线路" in c.value for c in at.caption)
