"""展示模式 and the booth tour: link parameters, captions and the tour's steps."""

from __future__ import annotations

import pandas as pd
import pytest

from landmarks.data.regions import Regions
from landmarks.query import presentation
from landmarks.query.filters import ProductFilter
from landmarks.query.frame import province_bounds, region_bounds
from landmarks.query.presentation import Presentation
from landmarks.query.stats import result_figures
from tests.synthetic import FAMILY, HOSTILE, PREFECTURE_ONLY, SHIYAN, YICHANG, ZIGUI


def test_a_booth_link_round_trips() -> None:
    shown = Presentation(present=True, tour="chains", every=5, idle=30)
    params = presentation.presentation_to_query(shown)
    assert params == {"present": "1", "tour": "chains", "every": "5", "idle": "30"}
    assert presentation.presentation_from_query(params) == (shown, [])


def test_defaults_stay_out_of_the_link_and_off_means_no_parameters() -> None:
    assert presentation.presentation_to_query(Presentation(present=True)) == {"present": "1"}
    assert presentation.presentation_to_query(Presentation(tour="chains")) == {}
    assert presentation.presentation_from_query({}) == (Presentation(), [])


def test_a_tour_link_alone_turns_presentation_mode_on() -> None:
    shown, notices = presentation.presentation_from_query({"tour": "prefectures"})
    assert shown == Presentation(present=True, tour="prefectures") and notices == []


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({"present": "maybe"}, "present"),
        ({"present": "1", "tour": "cities"}, "tour"),
        ({"present": "1", "every": "1"}, "every"),
        ({"present": "1", "idle": "abc"}, "idle"),
    ],
)
def test_bad_values_are_dropped_with_a_notice(params: dict[str, str], key: str) -> None:
    shown, notices = presentation.presentation_from_query(params)
    assert len(notices) == 1 and f"{key}=" in notices[0], notices
    assert (shown.tour, shown.every, shown.idle) == ("", 20, 60)


def test_the_view_title_names_places_then_chains(regions: Regions) -> None:
    assert presentation.view_title(ProductFilter(), regions) == "全省"
    assert presentation.view_title(ProductFilter(prefectures=(YICHANG,)), regions) == "宜昌市"
    both = ProductFilter(prefectures=(YICHANG,), counties=(ZIGUI,), chains=("柑橘", "茶叶"))
    assert presentation.view_title(both, regions) == "秭归县 · 柑橘、茶叶"


def test_the_figures_line_states_each_count(tables: dict[str, pd.DataFrame]) -> None:
    products, zones = tables["products"], tables["zones"]
    line = presentation.figures_line(result_figures(products, products, zones))
    assert line.startswith("地理标志产品 12 个（共 12 个；含 13 个登记名称）")
    assert "涉及县市区" in line and "产业链" in line
    assert "一品多标" in presentation.FIGURES_SCOPE and "跨县" in presentation.FIGURES_SCOPE


def test_chain_steps_cover_the_chains_shown_in_their_order(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    products = tables["products"]
    steps = presentation.chain_steps(products, products, regions)
    assert [step.title for step in steps] == ["特色淡水产品", "蔬菜", "茶叶", "柑橘", "中药材"]
    tea = steps[2]
    # A family counts once; its rows are all on the map.
    assert tea.brands == (FAMILY, "武当道茶") and "产品 2 个" in tea.figures
    assert sorted(products.loc[list(tea.products), "family"]) == [FAMILY, FAMILY, "武当道茶"]
    (south, west), (north, east) = tea.frame
    for _, row in products.iloc[list(tea.products)].iterrows():
        # (bounds are rounded to 4 decimals)
        assert south - 1e-4 <= row["lat"] <= north + 1e-4
        assert west - 1e-4 <= row["lon"] <= east + 1e-4


def test_steps_name_positions_in_all_products_and_follow_the_filter(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    products = tables["products"]
    shown = products[products["prefecture_adcode"] == YICHANG]
    steps = presentation.chain_steps(shown, products, regions)
    assert [step.title for step in steps] == ["柑橘", "中药材"]
    citrus = steps[0]
    assert set(products.iloc[list(citrus.products)]["name"]) == {"秭归脐橙", "秭归夏橙", "宜昌蜜橘"}


def test_prefecture_steps_outline_their_counties(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    products = tables["products"]
    steps = presentation.prefecture_steps(products, products, regions)
    by_title = {step.title: step for step in steps}
    yichang = by_title["宜昌市"]
    assert set(yichang.brands) == {"秭归脐橙", "秭归夏橙", *PREFECTURE_ONLY}
    assert set(yichang.area) == {c.adcode for c in regions.counties_of(YICHANG)}
    assert "十堰市" in by_title and SHIYAN not in yichang.area
    assert HOSTILE in by_title["武汉市"].brands  # escaped by the map script, not here


def test_a_long_list_is_cut_and_counted(tables: dict[str, pd.DataFrame], regions: Regions) -> None:
    products = tables["products"]
    many = pd.concat([products.iloc[[0]]] * 15, ignore_index=True)
    many["family"] = many["name"] = [f"脐橙{i}" for i in range(15)]
    (step,) = presentation.chain_steps(many, many, regions)
    assert len(step.brands) == presentation.MAX_BRANDS and step.more == 3


def test_tour_options_carry_the_timing(tables: dict[str, pd.DataFrame], regions: Regions) -> None:
    products = tables["products"]
    shown = Presentation(present=True, tour="prefectures", every=2, idle=4)
    zones = tables["zones"]
    steps = presentation.tour_steps(shown, products, products, zones, regions)
    options = presentation.tour_options(shown, steps)
    assert (options["kind"], options["every"], options["idle"]) == ("各市州", 2, 4)
    assert len(options["steps"]) == len(steps) > 3  # type: ignore[arg-type]
    assert presentation.tour_steps(Presentation(), products, products, zones, regions) == []


def test_saved_views_round_trip_in_the_link_and_become_steps(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    products, zones = tables["products"], tables["zones"]
    views = (
        presentation.view_query(ProductFilter(chains=("茶叶",))),
        presentation.view_query(ProductFilter(prefectures=(YICHANG,), chains=("柑橘",))),
        presentation.view_query(ProductFilter(query="没有这个产品")),  # matches nothing
    )
    shown = Presentation(present=True, tour="views", views=views)
    params = presentation.presentation_to_query(shown)
    assert params["views"].count(";") == 2
    assert presentation.presentation_from_query(params) == (shown, [])
    steps = presentation.tour_steps(shown, products.iloc[:0], products, zones, regions)
    assert [step.title for step in steps] == ["全省 · 茶叶", "宜昌市 · 柑橘"]
    citrus = set(products.iloc[list(steps[1].products)]["name"])
    assert citrus == {"秭归脐橙", "秭归夏橙", "宜昌蜜橘"}
    # The view of a prefecture frames the prefecture, as the explorer does.
    (south, west), (north, east) = steps[1].frame
    box = regions.geometry(YICHANG).bounds  # (west, south, east, north)
    for framed, expected in zip((west, south, east, north), box, strict=True):
        assert abs(framed - expected) < 0.01
    # Views are kept only for a tour of views.
    chains = presentation.presentation_to_query(Presentation(True, "chains", views=views))
    assert "views" not in chains


def test_a_chain_step_frames_the_whole_view_not_only_its_products(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    """A province-wide chain tour shows the whole province at every step; with places
    chosen, those places."""
    products = tables["products"]
    steps = presentation.chain_steps(products, products, regions)
    assert steps and {step.frame for step in steps} == {province_bounds(regions)}
    shown = products[products["prefecture_adcode"] == YICHANG]
    placed = presentation.chain_steps(shown, products, regions, [YICHANG])
    assert {step.frame for step in placed} == {region_bounds(regions, [YICHANG])}


def test_the_tour_says_which_chains_have_no_step(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    products = tables["products"]
    chains = Presentation(present=True, tour="chains")
    steps = presentation.chain_steps(products, products, regions)
    missing = presentation.chains_without_steps(products)
    assert "现代种业" in missing and not {step.title for step in steps} & set(missing)
    assert len(steps) + len(missing) == 10
    note = presentation.tour_note(chains, products)
    assert "现代种业" in note and "暂无地理标志产品" in note
    assert presentation.tour_options(chains, steps, note)["note"] == note
    # Chains the filter leaves out are not "missing"; other tours have no such note.
    assert presentation.tour_note(chains, products, ("茶叶",)) == ""
    assert presentation.tour_note(Presentation(present=True, tour="prefectures"), products) == ""


def test_each_step_carries_its_caption_line(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    products = tables["products"]
    (tea,) = [s for s in presentation.chain_steps(products, products, regions) if s.title == "茶叶"]
    assert tea.caption == f"茶叶：{tea.figures}"
    assert tea.to_json()["caption"] == tea.caption
