"""The output map's layer: classes and tooltips per county, the legend, and no geometry."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import folium
import pandas as pd
import pytest

from landmarks.data.demo_outputs import DEMO_METRIC, demo_county_outputs
from landmarks.data.records import prepare_outputs
from landmarks.data.regions import Regions
from landmarks.maps.choropleth import (
    NO_DATA_STYLE,
    PALETTES,
    TOOLTIP_LABELS,
    choropleth_layer,
    legend_html,
    palette,
)
from landmarks.query import output_values as ov
from landmarks.query.classify import HEAD_TAIL, QUANTILES, classify
from tests.synthetic import YICHANG, ZIGUI

LAYER_BUDGET_BYTES = 60_000


@pytest.fixture
def values(tables: dict[str, pd.DataFrame], regions: Regions) -> ov.MapValues:
    products = tables["products"]
    joined = ov.join_figures(tables["outputs"], regions, set(products["name"]))
    figures = ov.county_figures(joined, demo_county_outputs(products, regions), regions)
    return ov.output_values(figures, DEMO_METRIC, 2023, ov.LEVEL_COUNTY, regions)


def layer_options(layer: folium.FeatureGroup) -> tuple[dict[str, Any], str]:
    fmap = folium.Map(tiles=None)
    layer.add_to(fmap)
    script = fmap.get_root().render()
    match = re.search(r"GiMap\.choropleth\([^,]+, (\{.*?\})\);", script, re.S)
    assert match, script[:500]
    return json.loads(match.group(1).replace("<\\/", "</")), match.group(1)


def test_every_county_with_a_figure_gets_its_class_and_figures(
    values: ov.MapValues, regions: Regions
) -> None:
    classes = classify(values.table["value"], QUANTILES, 4)
    assert classes is not None
    options, text = layer_options(choropleth_layer(values, classes, "k"))
    units = options["units"]
    with_figure = set(values.table.index[values.table["value"].notna()])
    assert set(units) == with_figure and len(with_figure) < len(regions.county_list)
    for adcode, unit in units.items():
        assert unit[0] == classes.of_unit[adcode], adcode
    value = values.table.loc[ZIGUI]
    _cls, shown, rank, approximate, scope, source, note = units[ZIGUI]
    assert shown == value["value_text"] and approximate == 0
    assert f"第 {rank} / {options['ranked']} 名" == value["rank"]
    texts = options["texts"]
    assert texts[scope].startswith(ov.DEMO_LABEL) and ov.DEMO_LABEL in texts[source]
    assert texts[note] == ov.DEMO_LABEL
    assert len(texts) == 3  # shared by every county: sent once
    assert options["year"] == "2023" and options["unit"] == "亿元"
    assert options["colors"] == list(PALETTES[classes.k]) and options["level"] == "county"
    assert options["noData"] == NO_DATA_STYLE and options["key"] == "k"
    assert options["labels"] == list(TOOLTIP_LABELS)
    # The layer carries no geometry and stays far within the per-change budget.
    assert "coordinates" not in text and "Polygon" not in text
    assert len(text.encode("utf-8")) < LAYER_BUDGET_BYTES / 6


def test_prefecture_level_keys_units_by_the_name_counties_carry(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    products = tables["products"]
    joined = ov.join_figures(tables["outputs"], regions, set(products["name"]))
    figures = ov.county_figures(joined, demo_county_outputs(products, regions), regions)
    totals = ov.output_values(figures, DEMO_METRIC, 2023, ov.LEVEL_PREFECTURE, regions)
    classes = classify(totals.table["value"], QUANTILES, 3)
    assert classes is not None
    options, _ = layer_options(choropleth_layer(totals, classes, "p"))
    assert options["level"] == "prefecture"
    names = set(regions.counties["prefecture_name"])  # what each county feature carries
    assert set(options["units"]) <= names
    yichang = options["units"]["宜昌市"]
    assert yichang[0] == classes.of_unit[YICHANG]
    assert yichang[1] == totals.table.loc[YICHANG, "value_text"]
    assert "部分县无数字" in options["texts"][yichang[6]]


def test_the_legend_gives_bounds_units_counts_and_the_no_data_class(
    values: ov.MapValues,
) -> None:
    classes = classify(values.table["value"], QUANTILES, 3)
    assert classes is not None
    html = legend_html(values, classes, palette(classes.k))
    text = unescape(re.sub(r"<[^>]+>", "|", html))
    assert "年产值（亿元）· 2023" in text
    rows = re.findall(r'data-class="(\d)"', html)
    assert rows == [str(i) for i in range(classes.k)]
    (low, first), *_ = classes.bounds()
    assert f"{ov.value_label(low)} – {ov.value_label(first, '亿元')}" in text
    assert (
        f"＞{ov.value_label(classes.bins[-2])} – {ov.value_label(classes.bins[-1], '亿元')}" in text
    )
    for count in classes.counts:
        assert f"{count} 个" in text
    assert f"无数据 {values.without_value} 个县" in text and values.without_value > 0
    assert "示例数据" in text  # the demonstration figures are flagged on the map itself
    assert "分位数" in text


def test_real_figures_replace_the_demo_flag_everywhere(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    products = tables["products"]
    raw = pd.DataFrame(
        [
            {"product": "", "prefecture": "宜昌市", "county": county, "year": "2023",
             "metric": DEMO_METRIC, "value_yi_yuan": value, "confidence": "high",
             "source_url": "https://www.cnr.cn/hubei/a.html", "source_quality": "media"}
            for county, value in (("秭归县", "15"), ("宜都市", "9"), ("长阳", "4"))
        ]
    )  # fmt: skip
    outputs = pd.concat([tables["outputs"], prepare_outputs(raw, regions, set(products["name"]))])
    joined = ov.join_figures(outputs, regions, set(products["name"]))
    figures = ov.county_figures(joined, demo_county_outputs(products, regions), regions)
    real = ov.output_values(figures, DEMO_METRIC, 2023, ov.LEVEL_COUNTY, regions)
    assert not real.is_demo and real.with_value == 3
    classes = classify(real.table["value"], HEAD_TAIL)
    assert classes is not None
    html = legend_html(real, classes, palette(classes.k))
    assert ov.DEMO_LABEL not in html and "头尾断点" in html
    assert f"无数据 {len(regions.county_list) - 3} 个县" in unescape(html)
    options, text = layer_options(choropleth_layer(real, classes, "r"))
    assert ov.DEMO_LABEL not in text
    # Value, rank, approximate; no scope given (-1), the source; no note (-1).
    _cls, *figures = options["units"][ZIGUI]
    assert figures[:4] == ["15", 1, 0, -1] and figures[5] == -1
    assert options["texts"][figures[4]] == "央广网（媒体报道）" and options["ranked"] == 3


def test_palettes_are_sequential_and_sized() -> None:
    for k, colors in PALETTES.items():
        assert len(colors) == k == len(set(colors))
        lightness = [sum(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in colors]
        assert lightness == sorted(lightness, reverse=True), k  # light to dark
    assert palette(12) == PALETTES[9] and palette(0) == PALETTES[1]
