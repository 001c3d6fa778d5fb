"""The output map (产值地图): county polygons filled by class, on the explorer's base map.

The base map is the explorer's (``builders.base_map``: geometry fetched once from the
published files, no zones, no legend), so it stays the same across reruns.  Each rerun
swaps only ``choropleth_layer``: a class and a tooltip per county adcode, the palette and
the legend's HTML; the map script (``GiMap.choropleth`` in web/gi_map.js) restyles the
county polygons it has already loaded.  No geometry is sent again.

At prefecture level each county is filled with its prefecture's class and its tooltip
tells the prefecture's total.  The palette is ColorBrewer's YlGnBu, sequential and safe
for colour-blind readers; units without a figure get a grey, hatched-looking class of
their own (无数据), counted in the legend.
"""

from __future__ import annotations

from html import escape

import folium
import pandas as pd

from landmarks.i18n import N_, t
from landmarks.maps import options as gi
from landmarks.maps.builders import MapCall
from landmarks.query.classify import SCHEMES, Classes
from landmarks.query.output_values import (
    DEMO_LABEL,
    LEVEL_PREFECTURE,
    LEVEL_UNITS,
    MapValues,
    value_label,
)

# ColorBrewer YlGnBu (Cynthia Brewer, colorbrewer2.org), light to dark, by class count.
PALETTES: dict[int, tuple[str, ...]] = {
    1: ("#41b6c4",),
    2: ("#a1dab4", "#225ea8"),
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
    7: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
    8: ("#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
    9: (
        "#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494",
        "#081d58",
    ),
}  # fmt: skip
NO_DATA_STYLE: gi.PathStyle = {
    "fillColor": "#d4d4d4",
    "fillOpacity": 1.0,
    "color": "#8c8c8c",
    "weight": 0.8,
    "dashArray": "3 3",
}
CLASS_STYLE: gi.PathStyle = {"fillOpacity": 0.92, "color": "#6f6a62", "weight": 0.7}
NO_DATA_LABEL = N_("无数据")
# The rows of a unit's tooltip, in order (filled in by the map script from the layer).
TOOLTIP_LABELS: tuple[str, ...] = (
    N_("数值"),
    N_("排名"),
    N_("年份"),
    N_("口径"),
    N_("来源"),
    N_("说明"),
)
# The tooltip's own wording (``say`` in web/gi_map.js fills the placeholders).
TOOLTIP_TEXTS: dict[str, str] = {
    "total": N_("{prefecture}（合计，含{county}）"),
    "value": N_("{value} {unit}"),
    "approximate": N_("{value} {unit}（概数）"),
    "rank": N_("第 {rank} / {ranked} 名"),
    "row": N_("{label}：{value}"),
}


def palette(k: int) -> tuple[str, ...]:
    """``k`` colours (1 ≤ k ≤ 9; more classes reuse the 9-class scheme's ends)."""
    return PALETTES[max(1, min(k, max(PALETTES)))]


def bound_label(low: float, high: float, unit: str, first: bool) -> str:
    """'12.5 – 30 亿元'; the first class includes its lower bound, the others do not."""
    if low == high:
        return value_label(high, unit)
    if not first:
        return t("＞{low} – {high}", low=value_label(low), high=value_label(high, unit))
    return f"{value_label(low)} – {value_label(high, unit)}"


def legend_html(values: MapValues, classes: Classes | None, colors: tuple[str, ...]) -> str:
    """The legend: title with year and unit, one swatch per class with its bounds and
    count, the 无数据 class with its count, and 示例数据 when the figures are demonstration."""
    units = t(LEVEL_UNITS[values.level])
    unit = t(values.unit)
    title = t(
        "{metric}（{unit}）· {year}",
        metric=t(values.metric),
        unit=unit,
        year=t(values.year_label),
    )
    rows = []
    if classes is not None:
        for index, ((low, high), count) in enumerate(
            zip(classes.bounds(), classes.counts, strict=True)
        ):
            counted = t("{count} 个", count=count)
            rows.append(
                f'<div class="gi-swatch" data-class="{index}">'
                f'<i style="background:{colors[index]}"></i>'
                f"{escape(bound_label(low, high, unit, index == 0))}"
                f'<span class="gi-count">{escape(counted)}</span></div>'
            )
    rows.append(
        '<div class="gi-swatch gi-nodata-row" data-class="nodata"><i class="gi-nodata"></i>'
        + escape(
            t(
                "{label} {count} {units}",
                label=t(NO_DATA_LABEL),
                count=values.without_value,
                units=units,
            )
        )
        + "</div>"
    )
    scheme = t(SCHEMES.get(classes.scheme, "")) if classes is not None else ""
    fewer = ""
    if classes is not None and classes.k < classes.requested and classes.scheme != "head_tail":
        fewer = t("（数值相同较多，实分 {k} 级）", k=classes.k)
    demo_text = t("{demo}：非真实统计", demo=t(DEMO_LABEL))
    demo = f'<div class="gi-demo">{escape(demo_text)}</div>' if values.is_demo else ""
    note = t("分级：{scheme}{fewer}", scheme=scheme, fewer=fewer)
    return (
        f"<details open><summary><b>{escape(title)}</b></summary>{demo}"
        f'<div class="gi-legend-classes">{"".join(rows)}</div>'
        f'<div class="gi-legend-note">{escape(note)}</div></details>'
    )


def _units(
    values: MapValues, classes: Classes | None
) -> tuple[dict[str, list[int | str]], list[str]]:
    """Per unit with a figure: [class, published value, rank, approximate (0/1), scope,
    source, note], the last three as indexes into the returned list of texts (-1: none),
    since most units share them.  Units without a figure are left out (无数据)."""
    texts: dict[str, int] = {}

    def text(value: object) -> int:
        shown = str(value or "")
        return texts.setdefault(shown, len(texts)) if shown else -1

    of_unit = classes.of_unit if classes is not None else pd.Series(dtype=int)
    ranks = values.table["value"].rank(ascending=False, method="min")
    units: dict[str, list[int | str]] = {}
    for index, row in values.table.iterrows():
        adcode = str(index)
        if pd.isna(row["value"]) or adcode not in of_unit.index:
            continue
        key = str(row["name"]) if values.level == LEVEL_PREFECTURE else adcode
        note = t("；").join(
            part for part in (row["detail"], t(DEMO_LABEL) if row["is_demo"] else "") if part
        )
        units[key] = [
            int(of_unit[adcode]),
            str(row["value_text"] or value_label(row["value"])),
            int(ranks[adcode]),
            int(bool(row["approximate"])),
            text(row["scope"]),
            text(row["source"]),
            text(note),
        ]
    return units, list(texts)


def choropleth_layer(values: MapValues, classes: Classes | None, key: str) -> folium.FeatureGroup:
    """The layer swapped on each rerun: the class and figures of each unit with a figure.

    County units are keyed by adcode; at prefecture level units are keyed by the
    prefecture's name, which every county feature carries, so each county is filled with
    its prefecture's class.  ``key`` names the view (year, scheme, classes…) for tests
    reading the map's state.  A few kB for Hubei: no geometry, no repeated texts.
    """
    colors = palette(classes.k if classes is not None else 1)
    units, texts = _units(values, classes)
    options: gi.ChoroplethOptions = {
        "key": key,
        "level": values.level,
        "colors": list(colors),
        "classStyle": CLASS_STYLE,
        "noData": NO_DATA_STYLE,
        "noDataLabel": t(NO_DATA_LABEL),
        "labels": [t(label) for label in TOOLTIP_LABELS],
        "text": {key: t(text) for key, text in TOOLTIP_TEXTS.items()},
        "unit": t(values.unit),
        "year": t(values.year_label),
        "ranked": values.with_value,
        "units": units,
        "texts": texts,
        "legend": legend_html(values, classes, colors),
    }
    group = folium.FeatureGroup(name=t("产值地图"))
    MapCall(lambda target: gi.call("choropleth", target, options)).add_to(group)
    return group
