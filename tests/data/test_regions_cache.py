"""load_regions reads a derived copy of the layers on restart (regions_cache): the
GeoJSON is read once per content, a changed or damaged copy is rebuilt, an unwritable
folder only means reading the GeoJSON."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from landmarks.data import region as region_config
from landmarks.data import regions_cache
from landmarks.data.regions import Regions, load_regions

HUBEI = region_config.region_for(region_config.DEFAULT_CODE)


@pytest.fixture
def sources(tmp_path: Path) -> tuple[Path, Path]:
    """Copies of Hubei's shipped layers, which a test may change."""
    folder = tmp_path / "boundaries"
    folder.mkdir()
    copies = []
    for layer in (region_config.COUNTIES, region_config.PREFECTURES):
        copy = folder / f"{layer}.geojson"
        shutil.copyfile(HUBEI.layer_path(layer), copy)
        copies.append(copy)
    return copies[0], copies[1]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(regions_cache.CACHE_DIR_ENV, str(folder))
    return folder


@pytest.fixture
def from_geojson(sources: tuple[Path, Path]) -> Regions:
    """The layers read from the GeoJSON itself, as load_regions did before the cache."""
    counties, prefectures = (regions_cache._read_geojson(source) for source in sources)
    return Regions(counties, prefectures, HUBEI)


@pytest.fixture
def geojson_reads(monkeypatch: pytest.MonkeyPatch, from_geojson: Regions) -> list[Path]:
    """The GeoJSON files load_regions reads (after ``from_geojson`` read them)."""
    reads: list[Path] = []
    real = regions_cache._read_geojson

    def counted(path: Path) -> gpd.GeoDataFrame:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(regions_cache, "_read_geojson", counted)
    return reads


def _key(source: Path) -> str:
    return regions_cache.content_key(source.read_bytes())


def _load(sources: tuple[Path, Path]) -> Regions:
    return load_regions(sources[0], sources[1], HUBEI)


def _assert_same(loaded: Regions, expected: Regions) -> None:
    for got, want in (
        (loaded.counties, expected.counties),
        (loaded.prefectures, expected.prefectures),
    ):
        assert list(got.columns) == list(want.columns)
        assert got.drop(columns="geometry").equals(want.drop(columns="geometry"))
        assert got.geometry.geom_equals_exact(want.geometry, tolerance=0).all()
        assert got.crs == want.crs
    assert [c.name for c in loaded.county_list] == [c.name for c in expected.county_list]
    assert loaded.county("秭归").adcode == "420527"


def test_second_load_reads_the_cache(
    sources: tuple[Path, Path], cache: Path, geojson_reads: list[Path], from_geojson: Regions
) -> None:
    first = _load(sources)
    assert geojson_reads == list(sources)
    assert len(list(cache.glob("*.pickle"))) == 2  # one per layer
    second = _load(sources)
    assert geojson_reads == list(sources)  # not read again
    _assert_same(first, from_geojson)
    _assert_same(second, from_geojson)


def test_changed_source_rebuilds(
    sources: tuple[Path, Path], cache: Path, geojson_reads: list[Path]
) -> None:
    _load(sources)
    frame = gpd.read_file(sources[0])
    frame.loc[frame["adcode"] == "420527", "name"] = "秭归新县"
    frame.to_file(sources[0], driver="GeoJSON")
    geojson_reads.clear()
    changed = _load(sources)
    assert geojson_reads == [sources[0]]  # the prefectures did not change
    assert changed.county_by_adcode("420527").name == "秭归新县"
    assert len(list(cache.glob("*.pickle"))) == 3


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage"])
def test_damaged_cache_rebuilds(
    sources: tuple[Path, Path],
    cache: Path,
    geojson_reads: list[Path],
    from_geojson: Regions,
    damage: str,
) -> None:
    _load(sources)
    (path,) = [p for p in cache.glob("*.pickle") if p.name.startswith(_key(sources[0]))]
    content = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(content[: len(content) // 2])
    elif damage == "flip":
        middle = len(content) // 2
        path.write_bytes(content[:middle] + bytes([content[middle] ^ 0xFF]) + content[middle + 1 :])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.write_bytes(b"not a cache file at all")
    geojson_reads.clear()
    rebuilt = _load(sources)
    assert geojson_reads == [sources[0]]  # the damaged copy only
    _assert_same(rebuilt, from_geojson)
    assert path.read_bytes() == content  # written again, whole
    geojson_reads.clear()
    _load(sources)
    assert geojson_reads == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_still_loads(
    sources: tuple[Path, Path], cache: Path, geojson_reads: list[Path], from_geojson: Regions
) -> None:
    cache.mkdir()
    cache.chmod(0o500)
    try:
        _assert_same(_load(sources), from_geojson)
        assert geojson_reads == list(sources)
        assert list(cache.iterdir()) == []
    finally:
        cache.chmod(0o700)


def test_unwritable_folder_still_loads(
    sources: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    geojson_reads: list[Path],
    from_geojson: Regions,
) -> None:
    """A cache path under a file cannot be made (as on a read-only disk, even for root)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(regions_cache.CACHE_DIR_ENV, str(blocker / "cache"))
    _assert_same(_load(sources), from_geojson)
    _assert_same(_load(sources), from_geojson)
    assert geojson_reads == list(sources) * 2


def test_failed_write_leaves_no_partial_file(
    sources: tuple[Path, Path], cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing)
    _load(sources)
    assert cache.is_dir()  # made, but holds neither the file nor its temporary
    assert list(cache.iterdir()) == []


def test_default_location_is_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(regions_cache.CACHE_DIR_ENV, raising=False)
    assert regions_cache.cache_dir() == region_config.PROJECT_DIR / "var" / "regions"


def test_current_region_loads_through_the_cache(
    cache: Path, geojson_reads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``load_regions()`` with no arguments (the app's and the CLI's call) uses it too."""
    monkeypatch.delenv(region_config.REGION_ENV, raising=False)
    monkeypatch.delenv(region_config.BOUNDARIES_ENV, raising=False)
    load_regions()
    assert len(geojson_reads) == 2
    load_regions()
    assert len(geojson_reads) == 2


def test_screen_inset_reads_the_derived_copy(
    tmp_path: Path, cache: Path, geojson_reads: list[Path]
) -> None:
    """The 南海诸岛 inset of a build without an outline dissolves the counties: from their
    derived copy too, with the same result."""
    from landmarks.maps import screen_inset

    (south, west), (north, east) = screen_inset.INSET_BOUNDS
    inside = shapely.box(west + 1, south + 1, west + 2, south + 2)
    outside = shapely.box(east + 5, north + 5, east + 6, north + 6)
    layer = tmp_path / "counties.geojson"
    gpd.GeoDataFrame(
        {"adcode": ["460001", "110101"]}, geometry=[inside, outside], crs="EPSG:4326"
    ).to_file(layer, driver="GeoJSON")
    derive = screen_inset._layer.__wrapped__
    first = derive(layer, 1, polygons=True)
    assert geojson_reads == [layer]
    second = derive(layer, 1, polygons=True)
    assert geojson_reads == [layer]  # not parsed again
    assert first == second
    assert shapely.from_geojson(json.dumps(first)).equals(inside)
