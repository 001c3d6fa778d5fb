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
