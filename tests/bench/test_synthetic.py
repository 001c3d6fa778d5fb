"""The benchmark's synthetic data: raw input rows prepared as the seed and imports are, so
they fit the stored schema exactly, land where they were written, and say they are
synthetic."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bench.synthetic import (
    PREFIX,
    SYNTHETIC_NOTE,
    SyntheticDataError,
    check_placed,
    product_rows,
    site_rows,
    synthetic_tables,
    written_counties,
)
from landmarks.data import store
from landmarks.data.columns import INPUT_COLUMNS
from landmarks.data.regions import AREAS_WITHIN_COUNTIES, OLD_COUNTY_NAMES, Regions
from landmarks.data.validation import ValidationError

# A handful of Hubei counties in three prefectures, one of them (仙桃市) its own prefecture.
ZIGUI, XINGSHAN, ENSHI_CITY, XUANEN, XIANTAO = "420527", "420526", "422801", "422825", "429004"
HANDFUL = (ZIGUI, XINGSHAN, ENSHI_CITY, XUANEN, XIANTAO)
OLD_NAMES_STAND_FOR = {*OLD_COUNTY_NAMES.values(), *AREAS_WITHIN_COUNTIES.values()}
SHARED_NAME = "城区"  # a county name found in several prefectures nationally


def handful(regions: Regions, renamed: dict[str, str] | None = None) -> Regions:
    """The shipped regions cut down to ``HANDFUL`` and the counties that old names stand
    for (``Regions`` resolves those), with counties ``renamed`` by adcode."""
    counties = regions.counties.copy()
    kept = counties["adcode"].isin(HANDFUL) | counties["name"].isin(OLD_NAMES_STAND_FOR)
    counties = counties[kept]
    names = zip(counties["adcode"], counties["name"], strict=True)
    counties["name"] = [(renamed or {}).get(adcode, name) for adcode, name in names]
    prefectures = regions.prefectures
    prefectures = prefectures[prefectures["adcode"].isin(set(counties["prefecture_adcode"]))]
    return Regions(counties, prefectures)


@pytest.fixture(scope="module")
def few(regions: Regions) -> Regions:
    return handful(regions)


@pytest.fixture
def template(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Stored products whose vocabulary the generator draws (tests/synthetic.py's)."""
    return tables["products"]


@pytest.fixture
def made(few: Regions, template: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return synthetic_tables(few, template, products=60, sites=12)


def test_prepared_tables_have_exactly_the_stored_columns(made: dict[str, pd.DataFrame]) -> None:
    assert set(made) == {"products", "sites", "registrations"}
    for table, frame in made.items():
        assert list(frame.columns) == list(store.TABLE_COLUMNS[table]), table
    assert (len(made["products"]), len(made["sites"])) == (60, 12)
    assert len(made["registrations"]) > 0


def test_synthetic_tables_are_stored_and_read_back_unchanged(
    made: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    with store.opened(tmp_path / "db.sqlite") as db:
        db.write_tables(made)
        stored = {table: db.read_table(table) for table in made}
    for table, frame in made.items():
        expected = frame.astype({"year": "Int64"}) if "year" in frame else frame
        pd.testing.assert_frame_equal(stored[table], expected, check_dtype=False)


def test_raw_rows_have_the_input_columns_users_import(few: Regions, template: pd.DataFrame) -> None:
    rng = np.random.default_rng(1)
    products, _ = product_rows(few, template, 10, rng)
    sites, _ = site_rows(few, list(products["name"]), 5, rng)
    for table, raw in (("products", products), ("sites", sites)):
        assert list(raw.columns) == [column.key for column in INPUT_COLUMNS[table]]
    assert not products[["lon", "lat"]].ne("").any().any()  # placed by the app, not by us


def test_every_name_says_synthetic(made: dict[str, pd.DataFrame]) -> None:
    for table in ("products", "sites"):
        assert made[table]["name"].str.startswith(PREFIX).all(), table
        assert (made[table]["note"] == SYNTHETIC_NOTE).all(), table
    registrations = made["registrations"]
    assert registrations["product"].str.startswith(PREFIX).all()
    assert (registrations["note"] == SYNTHETIC_NOTE).all()
    assert (made["products"]["source_url"] == "").all()  # no real source behind them


def test_rows_land_in_the_counties_of_the_regions(
    made: dict[str, pd.DataFrame], few: Regions
) -> None:
    counties = {county.adcode for county in few.county_list}
    prefectures = {prefecture.adcode for prefecture in few.prefecture_list}
    for table in ("products", "sites"):
        assert set(made[table]["prefecture_adcode"]) <= prefectures, table
        assert set(made[table]["county_adcode"]) - {""} <= counties, table
    assert len(counties) < 20  # a handful, not the whole province


def test_the_mix_of_the_template_is_kept(
    made: dict[str, pd.DataFrame], template: pd.DataFrame
) -> None:
    products = made["products"]
    assert set(products["area_level"]) == set(template["area_level"])
    assert set(products["chain"]) <= set(template["chain"])
    assert set(products["category"]) <= set(template["category"])


def test_the_same_seed_gives_the_same_data(
    few: Regions, template: pd.DataFrame, made: dict[str, pd.DataFrame]
) -> None:
    again = synthetic_tables(few, template, products=60, sites=12)
    other = synthetic_tables(few, template, products=60, sites=12, seed=7)
    pd.testing.assert_frame_equal(again["products"], made["products"])
    assert list(other["products"]["county"]) != list(made["products"]["county"])


def test_a_county_name_shared_by_two_counties_is_written_as_its_adcode(
    regions: Regions, template: pd.DataFrame
) -> None:
    shared = handful(regions, {ZIGUI: SHARED_NAME, XUANEN: SHARED_NAME})
    written = written_counties(shared)
    assert written[ZIGUI] == ZIGUI and written[XUANEN] == XUANEN
    assert written[ENSHI_CITY] == "恩施市"

    made = synthetic_tables(shared, template, products=80, sites=20)
    for table in ("products", "sites"):
        counties = set(made[table]["county_adcode"])
        assert {ZIGUI, XUANEN} <= counties, table


def test_rows_landing_elsewhere_are_refused(made: dict[str, pd.DataFrame]) -> None:
    sites = made["sites"]
    expected = sites[["prefecture_adcode", "county_adcode"]].copy()
    check_placed("sites", sites, expected)
    expected.loc[0, "county_adcode"] = "420101"
    with pytest.raises(SyntheticDataError, match="1 rows resolved elsewhere"):
        check_placed("sites", sites, expected)


def test_a_template_the_input_rules_refuse_fails_loudly(
    few: Regions, template: pd.DataFrame
) -> None:
    broken = template.assign(category="不存在的品类")
    with pytest.raises(ValidationError):
        synthetic_tables(few, broken, products=5, sites=1)
