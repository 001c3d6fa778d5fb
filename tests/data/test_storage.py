"""The database: a newer shipped seed refreshes seed-only data, never users' data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from landmarks.data import storage
from landmarks.data.regions import Regions


def seed_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "seed"
    shutil.copytree(storage.SEED_DIR, folder)
    return folder


def add_source(seed_dir: Path, source_id: str) -> None:
    with (seed_dir / "sources.csv").open("a", encoding="utf-8") as file:
        file.write(f"{source_id},https://example.org/{source_id},media,新增来源\n")


def source_ids(connection) -> set[str]:
    return set(storage.read_table(connection, "sources")["source_id"])


def test_a_new_seed_release_replaces_an_untouched_seed(tmp_path: Path, regions: Regions) -> None:
    seed_dir = seed_copy(tmp_path)
    with storage.opened(tmp_path / "db.sqlite") as connection:
        assert storage.ensure_seeded(connection, regions, seed_dir)
        assert not storage.ensure_seeded(connection, regions, seed_dir)  # same seed: no-op
        version = storage.data_version(connection)
        add_source(seed_dir, "S9001")
        assert storage.ensure_seeded(connection, regions, seed_dir)
        assert "S9001" in source_ids(connection)
        assert storage.data_version(connection) > version


def test_users_data_is_never_replaced_by_a_new_seed(tmp_path: Path, regions: Regions) -> None:
    seed_dir = seed_copy(tmp_path)
    with storage.opened(tmp_path / "db.sqlite") as connection:
        storage.ensure_seeded(connection, regions, seed_dir)
        mine = pd.DataFrame(
            {"source_id": ["U1"], "url": [""], "source_quality": ["media"], "facts": ["自采"]}
        )
        storage.replace_tables(connection, {"sources": mine})
        add_source(seed_dir, "S9002")
        assert not storage.ensure_seeded(connection, regions, seed_dir)
        assert source_ids(connection) == {"U1"}


def test_an_older_database_with_later_writes_counts_as_users_data(
    tmp_path: Path, regions: Regions
) -> None:
    # Databases written before the origin was recorded: seeded (version 1), then changed.
    seed_dir = seed_copy(tmp_path)
    with storage.opened(tmp_path / "db.sqlite") as connection:
        storage.ensure_seeded(connection, regions, seed_dir)
        storage.replace_tables(connection, {"sources": storage.read_table(connection, "sources")})
        with connection:
            connection.execute("DELETE FROM meta WHERE key IN ('origin', 'seed_digest')")
        assert storage.data_version(connection) == 2
        assert not storage.ensure_seeded(connection, regions, seed_dir)
        with connection:
            connection.execute("UPDATE meta SET value = '1' WHERE key = 'data_version'")
        assert storage.ensure_seeded(connection, regions, seed_dir)  # seed only: refreshed


OLD_PRODUCT_COLUMNS = [
    column
    for column in storage.TABLE_COLUMNS["products"]
    if column not in {"family", "registration_number", "area_level", "area_adcodes", "scope_note"}
]


def old_release_database(path: Path, products: pd.DataFrame) -> None:
    """A database as the release before schema version 2 wrote it, holding users' rows."""
    with storage.opened(path) as connection, connection:
        connection.execute("DROP TABLE products")
        connection.execute("DROP TABLE registrations")
        connection.execute("DELETE FROM meta WHERE key = 'schema_version'")
        connection.execute(
            f"CREATE TABLE products (id INTEGER PRIMARY KEY, {', '.join(OLD_PRODUCT_COLUMNS)})"
        )
        rows = products[OLD_PRODUCT_COLUMNS].astype(object).where(products.notna(), None)
        connection.executemany(
            f"INSERT INTO products ({', '.join(OLD_PRODUCT_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in OLD_PRODUCT_COLUMNS)})",
            rows.itertuples(index=False, name=None),
        )
        connection.execute("INSERT INTO meta VALUES ('data_version', '3'), ('origin', 'user')")


def test_a_database_of_the_previous_release_is_upgraded_keeping_every_row(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    path = tmp_path / "old.sqlite"
    old_release_database(path, tables["products"])
    with storage.opened(path) as connection:
        assert storage.schema_version(connection) == 1
        assert not storage.ensure_seeded(connection, regions)  # users' data stays
        assert storage.schema_version(connection) == storage.SCHEMA_VERSION
        upgraded = storage.read_table(connection, "products").set_index("name")
        assert storage.read_table(connection, "registrations").empty
    before = tables["products"].set_index("name")
    assert list(upgraded.index) == list(before.index)
    for column in OLD_PRODUCT_COLUMNS[1:]:
        assert upgraded[column].astype(str).tolist() == before[column].astype(str).tolist()
    assert (upgraded["family"] == upgraded.index).all()
    county_level = before["county_adcode"] != ""
    assert (
        upgraded.loc[county_level, "area_adcodes"] == before.loc[county_level, "county_adcode"]
    ).all()
    yichang = upgraded.loc["宜昌蜜橘", "area_adcodes"].split()
    assert len(yichang) == len(regions.counties_of("420500"))


def test_a_new_database_starts_at_the_current_schema(tmp_path: Path) -> None:
    with storage.opened(tmp_path / "new.sqlite") as connection:
        assert storage.schema_version(connection) == storage.SCHEMA_VERSION
