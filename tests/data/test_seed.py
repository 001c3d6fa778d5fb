"""The shipped seed data: a verbatim copy of the shared research data, seeded as the app
stores it. Research-data counts are asserted here and nowhere else."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import shapely
import sqlalchemy as sa

from landmarks.data import locations, seed, store
from landmarks.data.model import GI_TYPE_UNKNOWN, GI_TYPES, GI_TYPES_SEPARATOR
from landmarks.data.regions import Regions
from landmarks.query.routes import example_routes, missing_stops, route_legs
from landmarks.query.sites import site_rows, targets_by_kind, targets_by_prefecture
from landmarks.query.stats import family_count
from landmarks.query.zones import PROGRAMME_CNIPA, PROGRAMME_OTHER, zone_rows, zone_timeline

SHARED_DATA = locations.PROJECT_DIR.parent / "shared" / "data"
VERBATIM_COPIES = ("gi_products.csv", "demo_zones.csv", "output_values.csv", "sources.csv")
# The revision of 2026-11-25 cleared the county of these prefecture-wide products
# (../shared/README.md, Revisions); the twelve it says still carry a guessed county are
# found by their note below.
CLEARED_BY_THE_REVISION = {"武当道茶", "宜昌蜜橘", "恩施硒茶", "恩施黄牛肉", "随州泡泡青"}
MULTI_COUNTY = {"大别山黑山羊", "襄阳杜仲", "荆州鱼糕"}
# "county=...(general knowledge, not from source)", "county 新洲区 from general knowledge
# (李集街道), not from source": the research's own words for a county it guessed.
GUESSED_COUNTY_NOTE = r"general knowledge.*not from source"
# Only research notes may hold English; every other stored text is shown to users.
MAINTAINER_COLUMNS = {"note"}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, regions: Regions) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("seed") / "seed.sqlite"
    with store.opened(path) as db:
        assert seed.ensure_seeded(db, regions)
    yield path


@pytest.fixture
def db(seeded: Path) -> Iterator[store.Store]:
    with store.opened(seeded) as opened:
        yield opened


@pytest.fixture(scope="module")
def products(seeded: Path) -> pd.DataFrame:
    with store.opened(seeded) as db:
        return db.read_table("products")


@pytest.fixture(scope="module")
def raw_products() -> pd.DataFrame:
    return pd.read_csv(seed.SEED_DIR / "gi_products.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("name", VERBATIM_COPIES)
def test_seed_matches_the_shared_research_data(name: str) -> None:
    shared = SHARED_DATA / name
    if not shared.exists():
        pytest.skip("shared/ is not beside this checkout")
    assert (seed.SEED_DIR / name).read_bytes() == shared.read_bytes(), (
        f"geodata/seed/{name} differs from ../shared/data/{name}: copy it, then seed"
    )


def test_every_product_is_seeded(products: pd.DataFrame, raw_products: pd.DataFrame) -> None:
    assert len(products) == len(raw_products) == 219
    assert list(products["name"]) == list(raw_products["name"])


def test_other_tables_are_seeded(db: store.Store) -> None:
    counts = {table: len(db.read_table(table)) for table in store.TABLE_COLUMNS}
    assert counts == {
        "products": 219,
        "zones": 7,
        "sites": 11,
        "outputs": 65,
        "sources": 195,
        "registrations": 7,
    }
    zones = db.read_table("zones")
    outputs = db.read_table("outputs")
    assert zones["county_adcode"].str.fullmatch(r"42\d{4}").all()
    assert not outputs["is_demo"].any(), "shipped figures are all published, none demo"
    target = outputs[outputs["metric"] == "目标年产值"].iloc[0]
    assert (target["value"], target["year"]) == (1100.0, 2026)


def test_sites_cite_known_sources(db: store.Store) -> None:
    sources = set(db.read_table("sources")["source_id"])
    cited = db.read_table("sites")["sources"].str.split().explode()
    assert set(cited) <= sources


def test_precision_and_gi_types(products: pd.DataFrame) -> None:
    assert products["precision"].value_counts().to_dict() == {
        "county": 179,
        "prefecture": 39,
        "counties": 1,
    }
    assert (products["precision"] == products["area_level"]).all()
    assert products["gi_type"].value_counts().to_dict() == {
        "地理标志保护产品": 93,
        GI_TYPE_UNKNOWN: 50,
        "地理标志证明商标": 42,
        "农产品地理标志": 32,
        "地理标志集体商标": 2,
    }


def test_no_product_sits_in_a_county_its_source_did_not_name(
    products: pd.DataFrame, raw_products: pd.DataFrame
) -> None:
    notes = raw_products["note"]
    guessed = raw_products[notes.str.contains(GUESSED_COUNTY_NOTE, case=False, regex=True)]
    assert len(guessed) == 12 and (guessed["county"] != "").all()
    prefecture_only = set(guessed["name"]) | CLEARED_BY_THE_REVISION | MULTI_COUNTY
    assert len(prefecture_only) == 20  # the 17 prefecture-only products, and 3 more
    stored = products.set_index("name").loc[sorted(prefecture_only)]
    assert (stored["county"] == "").all() and (stored["county_adcode"] == "").all()
    assert set(stored["area_level"]) == {"prefecture", "counties"}
    assert stored.loc["宜昌天麻", "prefecture_adcode"] == "420500"
    # Each covers its whole prefecture (or its scope), never its seat district alone.
    for name, product in stored.iterrows():
        assert len(product["area_adcodes"].split()) > 1, name
    # Every county the app stores comes from the research data's county column.
    kept = products[products["county"] != ""].set_index("name")
    assert (kept["county"] == raw_products.set_index("name").loc[kept.index, "county"]).all()


def test_seeding_places_products_where_the_research_says(products: pd.DataFrame) -> None:
    by_name = products.set_index("name")
    assert by_name.loc["秭归脐橙", "county_adcode"] == "420527"
    assert by_name.loc["秭归脐橙", "chain"] == "柑橘"
    assert by_name.loc["潜江龙虾", "county"] == "潜江市"
    assert by_name.loc["恩施玉露", "prefecture"] == "恩施土家族苗族自治州"


def test_no_product_is_placed_outside_its_area(products: pd.DataFrame, regions: Regions) -> None:
    for product in products.itertuples():
        area = shapely.union_all([regions.geometry(c) for c in product.area_adcodes.split()])
        assert area.contains(shapely.Point(product.lon, product.lat)), product.name


def test_wudang_daocha_covers_the_nine_places_of_its_scope(
    products: pd.DataFrame, regions: Regions
) -> None:
    # 竹溪、竹山、武当山特区、房县、郧县、郧西、丹江口、张湾、茅箭: 郧县 is today's 郧阳区, and
    # 武当山特区 is no county-level unit of its own but lies inside 丹江口市.
    wudang = products.set_index("name").loc["武当道茶"]
    names = {regions.county_by_adcode(code).name for code in wudang["area_adcodes"].split()}
    assert names == {
        "竹溪县",
        "竹山县",
        "房县",
        "郧阳区",
        "郧西县",
        "丹江口市",
        "张湾区",
        "茅箭区",
    }
    assert wudang["area_level"] == "counties" and wudang["county"] == ""


def test_curated_details_are_read_from_the_research_notes(raw_products: pd.DataFrame) -> None:
    details = pd.read_csv(seed.SEED_DIR / "product_details.csv", dtype=str, keep_default_na=False)
    notes = raw_products.set_index("name")["note"]
    for detail in details.itertuples():
        note = notes[detail.name]
        # Scopes of named counties, and the figures of each registration number.
        if "、" in detail.scope:
            for place in detail.scope.split("、"):
                assert place in note, (detail.name, place)
        for figure in re.findall(r"\d+", detail.registration_number):
            assert figure in note, (detail.name, figure)


def test_further_registrations_are_read_from_the_research_notes(
    raw_products: pd.DataFrame,
) -> None:
    registrations = pd.read_csv(
        seed.SEED_DIR / "registrations.csv", dtype=str, keep_default_na=False
    )
    notes = raw_products.set_index("name")["note"]
    for registration in registrations.itertuples():
        for figure in re.findall(r"\d+", f"{registration.number} {registration.year}"):
            assert figure in notes[registration.product], (registration.product, figure)


def test_the_readme_states_the_seeded_counts(products: pd.DataFrame) -> None:
    # What the app counts: products with their registrations merged, and registered names.
    readme = (locations.PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    stated = f"{family_count(products)} 个产品、{len(products)} 个登记名称"
    assert stated in readme, f"README.md should say {stated!r}"


def test_registration_families(products: pd.DataFrame) -> None:
    families = products.groupby("family")["name"].agg(frozenset)
    assert families[families.map(len) > 1].to_dict() == {
        "利川红": {"利川红", "利川工夫红茶"},
        "恩施硒茶": {"恩施硒茶", "恩施富硒茶"},
        "蔡甸西瓜": {"蔡甸西瓜", "蔡甸西甜瓜"},
    }


def test_unknown_is_never_stored_in_a_user_facing_field(
    db: store.Store, products: pd.DataFrame, raw_products: pd.DataFrame
) -> None:
    assert (raw_products["gi_type"] == "unknown").sum() == (
        products["gi_type"] == GI_TYPE_UNKNOWN
    ).sum()
    stored_types = set(products["gi_types"].str.split(GI_TYPES_SEPARATOR).explode())
    assert stored_types <= set(GI_TYPES)
    for table in ("products", "zones", "sites", "outputs"):
        frame = db.read_table(table)
        shown = frame[[c for c in frame.columns if c not in MAINTAINER_COLUMNS]].astype(str)
        leaks = shown.apply(lambda column: column.str.contains("unknown", case=False))
        assert not leaks.any().any(), (table, shown[leaks.any(axis=1)].iloc[:3])


def test_repost_links_are_never_stored(db: store.Store, raw_products: pd.DataFrame) -> None:
    reposts = raw_products["source_quality"] == "repost"
    assert (raw_products.loc[reposts, "other_source_urls"] != "").any(), "links to drop"
    for table in ("products", "zones", "outputs"):
        frame = db.read_table(table)
        links = frame.loc[frame["source_quality"] == "repost", ["source_url", "other_source_urls"]]
        assert (links == "").all().all(), table
    sources = db.read_table("sources")
    assert (sources.loc[sources["source_quality"] == "repost", "url"] == "").all()


def test_seeding_happens_once(db: store.Store, regions: Regions) -> None:
    version = db.data_version()
    assert not seed.ensure_seeded(db, regions)
    assert db.data_version() == version


def test_a_failed_write_changes_nothing(db_target: str, regions: Regions) -> None:
    with store.opened(db_target) as db:
        seed.ensure_seeded(db, regions)
        before = db.read_table("products")
        version, digest, versions = db.data_version(), db.content_digest(), db.versions()
        broken = before.copy()
        broken.loc[1, "name"] = broken.loc[0, "name"]  # violates UNIQUE inside the transaction
        with pytest.raises(sa.exc.IntegrityError):
            # Zones change first; the products' UNIQUE failure undoes them too.
            db.write_tables({"zones": db.read_table("zones").iloc[1:], "products": broken})
        pd.testing.assert_frame_equal(db.read_table("products"), before)
        assert db.data_version() == version
        assert (db.content_digest(), db.versions()) == (digest, versions)


# Issue 11: sites, zones, targets and example routes of the seed ---------------------------


@pytest.fixture(scope="module")
def stored(seeded: Path) -> dict[str, pd.DataFrame]:
    with store.opened(seeded) as db:
        return db.read_tables()


def test_every_seeded_site_lies_inside_its_stated_county(
    stored: dict[str, pd.DataFrame], regions: Regions
) -> None:
    raw = pd.read_csv(seed.SEED_DIR / "sites.csv", dtype=str, keep_default_na=False)
    sites = stored["sites"]
    assert list(sites["name"]) == list(raw["name"])
    for site, stated in zip(sites.itertuples(), raw.itertuples(), strict=True):
        point = shapely.Point(site.lon, site.lat)
        # The prefecture the research states is the site's, and holds its marker.
        assert site.prefecture_adcode == regions.prefecture(stated.prefecture).adcode
        assert regions.geometry(site.prefecture_adcode).contains(point), site.name
        if stated.county:
            county = regions.county(stated.county, stated.prefecture)
            assert site.county_adcode == county.adcode, site.name
            assert regions.geometry(county.adcode).contains(point), site.name
        else:
            assert site.county_adcode == "" and site.precision == "prefecture", site.name


def test_every_seeded_zone_lies_inside_its_stated_county_and_covers_its_product(
    stored: dict[str, pd.DataFrame], regions: Regions
) -> None:
    raw = pd.read_csv(seed.SEED_DIR / "demo_zones.csv", dtype=str, keep_default_na=False)
    zones, products = stored["zones"], stored["products"].set_index("name")
    assert list(zones["name"]) == list(raw["name"])
    for zone, stated in zip(zones.itertuples(), raw.itertuples(), strict=True):
        county = regions.county(stated.county, stated.prefecture)
        assert (zone.county_adcode, zone.prefecture_adcode) == (
            county.adcode,
            county.prefecture_adcode,
        )
        # The zone's county area (drawn as the zone) lies in its stated prefecture.
        prefecture = regions.geometry(zone.prefecture_adcode)
        inside = regions.geometry(zone.county_adcode).intersection(prefecture).area
        assert inside == pytest.approx(regions.geometry(zone.county_adcode).area, rel=1e-6)
        # The zone's GI product is registered and its area covers the zone's county.
        assert zone.county_adcode in products.loc[zone.product, "area_adcodes"].split()


def test_seeded_zones_programmes_phases_and_dates(stored: dict[str, pd.DataFrame]) -> None:
    rows = zone_rows(stored["zones"], stored["products"], stored["sources"]).set_index("name")
    assert rows["programme"].value_counts().to_dict() == {
        PROGRAMME_CNIPA: 6,
        PROGRAMME_OTHER: 1,
    }
    assert rows.loc["潜江龙虾 国家级农产品地理标志示范样板", "programme"] == PROGRAMME_OTHER
    assert rows["phase"].to_dict() == {
        "英山云雾茶国家地理标志产品保护示范区": "已授牌",
        "蕲艾国家地理标志产品保护示范区": "通过省局验收",
        "京山桥米国家地理标志产品保护示范区": "筹建",
        "秭归脐橙国家地理标志产品保护示范区": "筹建",
        "赤壁青砖茶国家地理标志产品保护示范区": "筹建",
        "潜江龙虾国家地理标志产品保护示范区": "状态待核实",
        "潜江龙虾 国家级农产品地理标志示范样板": "已授牌",
    }
    assert rows.loc["英山云雾茶国家地理标志产品保护示范区", "dates"] == ("2023-03-08",)
    assert rows.loc["潜江龙虾 国家级农产品地理标志示范样板", "dates"] == ("2016-11-05",)
    assert len(zone_timeline(stored["zones"])) == 10


def test_seeded_sites_precision_and_targets(stored: dict[str, pd.DataFrame]) -> None:
    rows = site_rows(stored["sites"])
    assert rows["place_precision"].value_counts().to_dict() == {
        "乡镇级": 4,
        "县级": 4,
        "市州级": 2,
        "村级": 1,
    }
    targets = targets_by_kind(stored["sites"]).set_index("site_type")["recorded"].to_dict()
    assert targets == {
        "省级地标+文旅样板": 0,
        "主题景区": 7,
        "休闲驿站": 1,
        "文创美食品鉴馆": 1,
        "销售平台": 1,
        "研学基地": 1,
    }
    assert targets_by_prefecture(stored["sites"])["recorded"].sum() == 11


def test_example_routes_are_built_from_seeded_sites_and_products(
    stored: dict[str, pd.DataFrame],
) -> None:
    examples = example_routes()
    assert [route.name for route in examples] == [
        "恩施—宣恩—咸丰茶旅线路",
        "咸宁桂香砖茶线路",
        "鄂东本草茶菊线路",
    ]
    for route in examples:
        assert route.is_example
        assert missing_stops(route, stored["sites"], stored["products"]) == []
        kinds = {stop.kind for stop in route.stops}
        assert kinds == {"site", "product"}, route.name
        legs = route_legs(route, stored["sites"], stored["products"])
        assert len(legs) == len(route.stops) - 1
        assert (legs["km"] > 0).all()
