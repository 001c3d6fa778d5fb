"""Seeding the embedded database from the shipped, researched CSVs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest
import shapely

from landmarks.data import storage
from landmarks.data.chains import CHAIN_NAMES, NON_CHAIN, assign_chain
from landmarks.data.placement import stand_in_point
from landmarks.data.records import parse_amount, prepare_products
from landmarks.data.regions import Regions
from landmarks.data.validation import ValidationError

SHARED_PRODUCTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "gi_products.csv"


@pytest.fixture
def seeded(tmp_path: Path, regions: Regions) -> sqlite3.Connection:
    connection = storage.connect(tmp_path / "seed.sqlite")
    assert storage.ensure_seeded(connection, regions)
    yield connection
    connection.close()


def test_all_145_products_are_seeded(seeded: sqlite3.Connection) -> None:
    products = storage.read_table(seeded, "products")
    raw = pd.read_csv(storage.SEED_DIR / "gi_products.csv", dtype=str)
    assert len(products) == len(raw) == 145
    assert set(products["name"]) == set(raw["name"])


def test_no_product_is_placed_outside_its_region(
    seeded: sqlite3.Connection, regions: Regions
) -> None:
    products = storage.read_table(seeded, "products")
    for product in products.itertuples():
        region = product.county_adcode or product.prefecture_adcode
        assert regions.geometry(region).contains(shapely.Point(product.lon, product.lat)), (
            product.name
        )


def test_precision_is_county_or_prefecture_level(seeded: sqlite3.Connection) -> None:
    products = storage.read_table(seeded, "products")
    by_precision = products["precision"].value_counts().to_dict()
    # Three rows of the research data name only a multi-county area.
    assert by_precision == {"county": 142, "prefecture": 3}
    assert set(products.loc[products["county_adcode"] == "", "name"]) == {
        "大别山黑山羊",
        "襄阳杜仲",
        "荆州鱼糕",
    }


def test_seeding_places_products_where_the_research_says(seeded: sqlite3.Connection) -> None:
    products = storage.read_table(seeded, "products").set_index("name")
    assert products.loc["秭归脐橙", "county_adcode"] == "420527"
    assert products.loc["秭归脐橙", "chain"] == "柑橘"
    assert products.loc["潜江龙虾", "county"] == "潜江市"
    assert products.loc["恩施玉露", "prefecture"] == "恩施土家族苗族自治州"


def test_other_tables_are_seeded(seeded: sqlite3.Connection) -> None:
    zones = storage.read_table(seeded, "zones")
    sites = storage.read_table(seeded, "sites")
    outputs = storage.read_table(seeded, "outputs")
    assert len(zones) == 7 and len(outputs) == 65 and len(sites) >= 10
    assert zones["county_adcode"].str.fullmatch(r"42\d{4}").all()
    assert not outputs["is_demo"].any(), "shipped figures are all published, none demo"
    target = outputs[outputs["metric"] == "目标年产值"].iloc[0]
    assert (target["value"], target["year"]) == (1100.0, 2026)


def test_repost_links_are_never_stored(seeded: sqlite3.Connection, regions: Regions) -> None:
    for table in ("products", "zones", "outputs"):
        frame = storage.read_table(seeded, table)
        assert (frame.loc[frame["source_quality"] == "repost", "source_url"] == "").all()
    repost = _product_row(
        source_quality="repost",
        source_url="http://unrelated.example/x",
        other_source_urls="http://unrelated.example/y",
    )
    prepared = prepare_products(pd.DataFrame([repost]), regions)
    assert prepared.loc[0, ["source_url", "other_source_urls"]].tolist() == ["", ""]
    sources = storage.read_table(seeded, "sources")
    assert (sources.loc[sources["source_quality"] == "repost", "url"] == "").all()


def test_seeding_happens_once(seeded: sqlite3.Connection, regions: Regions) -> None:
    version = storage.data_version(seeded)
    assert not storage.ensure_seeded(seeded, regions)
    assert storage.data_version(seeded) == version


def test_seed_matches_the_shared_research_data() -> None:
    if not SHARED_PRODUCTS.exists():
        pytest.skip("shared/ is not beside this checkout")
    shipped = pd.read_csv(storage.SEED_DIR / "gi_products.csv", dtype=str)
    pd.testing.assert_frame_equal(shipped, pd.read_csv(SHARED_PRODUCTS, dtype=str))


@pytest.mark.parametrize(
    ("category", "name", "chain"),
    [
        ("茶叶", "赤壁米砖茶", "茶叶"),
        ("水果", "秭归脐橙", "柑橘"),
        ("水果", "罗田甜柿", NON_CHAIN),
        ("粮油", "京山桥米", "优质稻米"),
        ("粮油", "襄阳油菜籽", "菜籽油"),
        ("粮油", "沼山茶油", NON_CHAIN),
        ("酒", "孝感米酒", "优质稻米"),
        ("加工食品", "荆州鱼糕", "特色淡水产品"),
        ("加工食品", "宜城松花皮蛋", "家禽及蛋制品"),
        ("畜禽", "郧西马头山羊", NON_CHAIN),
        ("工艺品", "武汉汉绣", NON_CHAIN),
    ],
)
def test_chain_rules(category: str, name: str, chain: str) -> None:
    assert assign_chain(category, name)[0] == chain
    assert chain in CHAIN_NAMES


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("429.03", 429.03),
        ("超1000", 1000.0),
        ("10余", 10.0),
        ("近200", 200.0),
        ("3以上", 3.0),
        ("突破750", 750.0),
        ("约", None),
        ("N/A", None),
    ],
)
def test_amount_parsing(text: str, value: float | None) -> None:
    assert parse_amount(text) == value


def test_stand_in_point_is_stable_and_inside(regions: Regions) -> None:
    region = regions.geometry("420527")
    first = stand_in_point(region, "秭归脐橙")
    assert first == stand_in_point(region, "秭归脐橙")
    assert first != stand_in_point(region, "秭归夏橙")
    assert region.contains(shapely.Point(first))


def _product_row(**overrides: str) -> dict[str, str]:
    row = {
        "name": "测试产品",
        "category": "茶叶",
        "gi_type": "地理标志保护产品",
        "prefecture": "宜昌市",
        "county": "秭归县",
        "year": "2020",
        "note": "",
        "confidence": "high",
        "source_url": "",
        "other_source_urls": "",
        "source_quality": "media",
    }
    return row | overrides


def test_bad_rows_are_reported_with_row_field_and_expectation(regions: Regions) -> None:
    raw = pd.DataFrame(
        [
            _product_row(),
            _product_row(name="坏县名", county="秭龟县"),
            _product_row(name="坏年份", year="二〇二〇"),
            _product_row(name="坏品类", category="矿产"),
            _product_row(name="测试产品"),
            _product_row(name="坏坐标", lon="114.3", lat="30.6"),
        ]
    )
    with pytest.raises(ValidationError) as caught:
        prepare_products(raw, regions)
    messages = [str(problem) for problem in caught.value.problems]
    assert any(m.startswith("第3行 字段 county") and "秭归县" in m for m in messages)
    assert any(m.startswith("第4行 字段 year") and "四位年份" in m for m in messages)
    assert any(m.startswith("第5行 字段 category") and "茶叶/" in m for m in messages)
    assert any(m.startswith("第6行 字段 name") and "与第2行重复" in m for m in messages)
    assert any(m.startswith("第7行 字段 lon/lat") and "不在秭归县境内" in m for m in messages)
    assert len(messages) == 5


def test_exact_coordinates_inside_the_county_are_kept(regions: Regions) -> None:
    inside = regions.geometry("420527").representative_point()
    frame = prepare_products(
        pd.DataFrame([_product_row(lon=str(inside.x), lat=str(inside.y))]), regions
    )
    assert frame.loc[0, "precision"] == "point"
    assert (frame.loc[0, "lon"], frame.loc[0, "lat"]) == (inside.x, inside.y)


def test_a_failed_write_changes_nothing(seeded: sqlite3.Connection) -> None:
    before = storage.read_table(seeded, "products")
    version = storage.data_version(seeded)
    broken = before.copy()
    broken.loc[1, "name"] = broken.loc[0, "name"]  # violates UNIQUE inside the transaction
    with pytest.raises(sqlite3.IntegrityError):
        storage.replace_tables(
            seeded, {"zones": storage.read_table(seeded, "zones"), "products": broken}
        )
    pd.testing.assert_frame_equal(storage.read_table(seeded, "products"), before)
    assert storage.data_version(seeded) == version
