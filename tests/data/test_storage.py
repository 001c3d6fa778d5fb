"""The database: seeding, schema upgrades, atomic versioned writes, backups, concurrent
writers and the database's own failures (each with its Chinese message).

The tests that take ``db_target`` run once per backend (SQLite and PostgreSQL + PostGIS):
what the store promises on both.  The others are about the SQLite file (its bytes,
backups, write-ahead log, read-only mounts, corrupt files, older releases' files)."""

from __future__ import annotations

import errno
import hashlib
import json
import multiprocessing
import shutil
import sqlite3
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import psycopg
import pytest
import sqlalchemy as sa

from landmarks.data import locations, seed, store
from landmarks.data.regions import Regions
from landmarks.data.routes import Route, Stop
from landmarks.data.store import errors, postgres, rows, sqlite_errors
from landmarks.data.store import sqlite_backups as backups
from tests import pg, synthetic


def seed_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "seed"
    shutil.copytree(seed.SEED_DIR, folder)
    return folder


def add_source(seed_dir: Path, source_id: str) -> None:
    with (seed_dir / "sources.csv").open("a", encoding="utf-8") as file:
        file.write(f"{source_id},https://example.org/{source_id},media,新增来源\n")


def source_ids(db: store.Store) -> set[str]:
    return set(db.read_table("sources")["source_id"])


def test_a_new_seed_release_replaces_an_untouched_seed(
    tmp_path: Path, regions: Regions, db_target: str
) -> None:
    seed_dir = seed_copy(tmp_path)
    with store.opened(db_target) as db:
        assert seed.ensure_seeded(db, regions, seed_dir)
        assert not seed.ensure_seeded(db, regions, seed_dir)  # same seed: no-op
        version = db.data_version()
        add_source(seed_dir, "S9001")
        assert seed.ensure_seeded(db, regions, seed_dir)
        assert "S9001" in source_ids(db)
        assert db.data_version() > version


def test_users_data_is_never_replaced_by_a_new_seed(
    tmp_path: Path, regions: Regions, db_target: str
) -> None:
    seed_dir = seed_copy(tmp_path)
    with store.opened(db_target) as db:
        seed.ensure_seeded(db, regions, seed_dir)
        mine = pd.DataFrame(
            {"source_id": ["U1"], "url": [""], "source_quality": ["media"], "facts": ["自采"]}
        )
        db.write_tables({"sources": mine})
        add_source(seed_dir, "S9002")
        assert not seed.ensure_seeded(db, regions, seed_dir)
        assert source_ids(db) == {"U1"}


def test_an_older_database_with_later_writes_counts_as_users_data(
    tmp_path: Path, regions: Regions, db_target: str
) -> None:
    # Databases written before the origin was recorded: seeded (version 1), then changed.
    seed_dir = seed_copy(tmp_path)
    with store.opened(db_target) as db:
        seed.ensure_seeded(db, regions, seed_dir)
        shorter = db.read_table("sources").iloc[:-1]  # a real change
        db.write_tables({"sources": shorter})
        meta = db.tables.tables["meta"]
        with db.write():
            db.execute(sa.delete(meta).where(meta.c.key.in_(["origin", "seed_digest"])))
        assert db.data_version() == 2
        assert not seed.ensure_seeded(db, regions, seed_dir)
        with db.write():
            db.set_meta("data_version", "1")
        assert seed.ensure_seeded(db, regions, seed_dir)  # seed only: refreshed


OLD_PRODUCT_COLUMNS = [
    column
    for column in store.TABLE_COLUMNS["products"]
    if column not in {"family", "registration_number", "area_level", "area_adcodes", "scope_note"}
]


def old_release_database(path: Path, products: pd.DataFrame) -> None:
    """A database as the release before schema version 2 wrote it, holding users' rows."""
    with store.opened(path):
        pass  # the tables of a new database
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE products")
        db.execute("DROP TABLE registrations")
        db.execute("DELETE FROM meta WHERE key = 'schema_version'")
        db.execute(
            f"CREATE TABLE products (id INTEGER PRIMARY KEY, {', '.join(OLD_PRODUCT_COLUMNS)})"
        )
        found = products[OLD_PRODUCT_COLUMNS].astype(object).where(products.notna(), None)
        db.executemany(
            f"INSERT INTO products ({', '.join(OLD_PRODUCT_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in OLD_PRODUCT_COLUMNS)})",
            found.itertuples(index=False, name=None),
        )
        db.execute("INSERT INTO meta VALUES ('data_version', '3'), ('origin', 'user')")
    db.close()


def test_a_database_of_the_previous_release_is_upgraded_keeping_every_row(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    path = tmp_path / "old.sqlite"
    old_release_database(path, tables["products"])
    with store.opened(path) as db:
        assert db.schema_version() == 1
        assert not seed.ensure_seeded(db, regions)  # users' data stays
        assert db.schema_version() == store.SCHEMA_VERSION
        upgraded = db.read_table("products").set_index("name")
        assert db.read_table("registrations").empty
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


def test_a_new_database_starts_at_the_current_schema(db_target: str) -> None:
    with store.opened(db_target) as db:
        assert db.schema_version() == store.SCHEMA_VERSION
        assert set(store.TABLE_COLUMNS) | {"meta", "versions", "row_changes"} <= db.table_names()
        assert db.latest_version() == 0 and db.versions() == [] and db.data_version() == 0
        assert all(db.read_table(table).empty for table in store.TABLE_COLUMNS)
    with store.opened(db_target) as db:  # opened again: the schema is kept, not redone
        assert db.schema_version() == store.SCHEMA_VERSION


# Helpers --------------------------------------------------------------------------------


def checksum(path: Path) -> str:
    """SHA-256 of the database file's bytes (every db closed: no pending log)."""
    log = Path(f"{path}-wal")
    assert not log.exists() or log.stat().st_size == 0, "a db is still open"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def installed(tmp_path: Path, regions: Regions) -> Path:
    """A database file holding the synthetic tables as users' data (version 1)."""
    path = tmp_path / "db.sqlite"
    synthetic.install(path, regions)
    return path


def installed_target(target: str, regions: Regions) -> str:
    """``installed`` on either backend: the database of ``target`` holding the synthetic
    tables as users' data (version 1)."""
    if postgres.is_url(target):
        with store.opened(target) as db:
            db.write_tables(synthetic.frames(regions))
    else:
        synthetic.install(Path(target), regions)
    return target


def intact(db: store.Store) -> bool:
    """The database's own consistency check (SQLite's); a server keeps its own."""
    if db.backend != "sqlite":
        return True
    with db.read():
        return db.connection.exec_driver_sql("PRAGMA integrity_check").fetchone() == ("ok",)


def with_product(products: pd.DataFrame, name: str) -> pd.DataFrame:
    """``products`` plus a copy of its first row named ``name``."""
    row = products.iloc[[0]].assign(name=name, family=name)
    return pd.concat([products, row], ignore_index=True)


def content(frames: dict[str, pd.DataFrame]) -> dict[str, Counter[str]]:
    """The tables' rows as multisets (the promise of an exact rollback: same rows, whatever
    their ids or order)."""
    return {
        table: Counter(rows.encode(row) for row in rows.frame_rows(table, frame))
        for table, frame in frames.items()
    }


# Atomic writes ---------------------------------------------------------------------------


def test_a_write_that_fails_midway_leaves_the_file_byte_for_byte_as_before(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    path = installed(tmp_path, regions)
    before = checksum(path)
    broken = tables["products"].copy()
    broken.loc[1, "name"] = broken.loc[0, "name"]  # UNIQUE fails after zones were written
    with store.opened(path) as db:
        with pytest.raises(sa.exc.IntegrityError):
            db.write_tables({"zones": tables["zones"].iloc[1:], "products": broken})
        assert db.data_version() == 1
    assert checksum(path) == before


def test_a_write_that_fails_midway_changes_nothing(
    db_target: str, regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    installed_target(db_target, regions)
    broken = tables["products"].copy()
    broken.loc[1, "name"] = broken.loc[0, "name"]  # UNIQUE fails after zones were written
    with store.opened(db_target) as db:
        digest, versions = db.content_digest(), db.versions()
        with pytest.raises(sa.exc.IntegrityError):
            db.write_tables({"zones": tables["zones"].iloc[1:], "products": broken})
    with store.opened(db_target) as db:
        assert (db.content_digest(), db.versions(), db.data_version()) == (digest, versions, 1)


def test_an_exception_after_the_tables_were_written_undoes_them(
    db_target: str, regions: Regions, tables: dict[str, pd.DataFrame], monkeypatch
) -> None:
    installed_target(db_target, regions)
    with store.opened(db_target) as db:
        digest = db.content_digest()

    def interrupted(*args: object) -> int:
        raise KeyboardInterrupt  # e.g. the server stopped while the version was recorded

    with monkeypatch.context() as patch:
        patch.setattr(store.Store, "_record_version", interrupted)
        with store.opened(db_target) as db, pytest.raises(KeyboardInterrupt):
            db.write_tables({"products": tables["products"].iloc[:3]})
    with store.opened(db_target) as db:
        assert (db.content_digest(), db.latest_version(), db.data_version()) == (digest, 1, 1)


def test_an_exception_after_the_tables_were_written_leaves_the_file_as_before(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame], monkeypatch
) -> None:
    path = installed(tmp_path, regions)
    before = checksum(path)

    def interrupted(*args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(store.Store, "_record_version", interrupted)
    with store.opened(path) as db, pytest.raises(KeyboardInterrupt):
        db.write_tables({"products": tables["products"].iloc[:3]})
    assert checksum(path) == before


def test_a_full_disk_is_reported_and_nothing_is_written(tmp_path: Path, regions: Regions) -> None:
    path = installed(tmp_path, regions)
    before = checksum(path)
    with store.opened(path) as db:
        with db.read():
            pages = db.connection.exec_driver_sql("PRAGMA page_count").scalar_one()
            db.connection.exec_driver_sql(f"PRAGMA max_page_count = {pages}")  # no room
        with pytest.raises(store.StorageError) as caught:
            db.write_tables(seed.seed_frames(regions))
    assert caught.value.kind == errors.ERROR_FULL
    assert caught.value.message == f"数据库所在的磁盘已满（{tmp_path}），数据未写入"
    assert f"清理 {tmp_path} 所在磁盘的空间后重试" in caught.value.hint
    # The backups folder is on the same disk here, so deleting older backups helps.
    assert str(tmp_path / "backups") in caught.value.hint
    assert checksum(path) == before


def test_a_full_disk_while_backing_up_stops_the_write(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame], monkeypatch
) -> None:
    path = installed(tmp_path, regions)
    before = checksum(path)

    def no_space(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups.os, "replace", no_space)
    with store.opened(path) as db, pytest.raises(store.StorageError) as caught:
        db.write_tables({"products": tables["products"].iloc[:3]})
    assert caught.value.kind == errors.ERROR_FULL
    # The backups folder's disk is full, not the database's: the message says which.
    folder = tmp_path / "backups"
    assert caught.value.message == f"备份文件夹所在的磁盘已满（{folder}），备份未完成，数据未写入"
    assert "LANDMARKS_BACKUP_DIR" in caught.value.hint
    assert checksum(path) == before
    assert not list((tmp_path / "backups").glob("*.part"))


def test_a_write_made_from_stale_data_is_refused(
    db_target: str, regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    installed_target(db_target, regions)
    with store.opened(db_target) as db:
        shown = db.data_version()
        db.write_tables({"sources": tables["sources"].iloc[:2]})
        with pytest.raises(store.StorageError) as caught:
            db.write_tables({"sources": tables["sources"]}, base_version=shown)
        assert len(db.read_table("sources")) == 2
        assert db.latest_version() == 2
        # Made from the latest data, the same edit lands.
        assert db.write_tables({"sources": tables["sources"]}, base_version=shown + 1) == 3
    assert caught.value.kind == errors.ERROR_STALE
    assert caught.value.message == "数据已被其他人修改，本次保存未写入"


def test_a_write_that_changes_nothing_records_no_version(
    db_target: str, regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    installed_target(db_target, regions)
    with store.opened(db_target) as db:
        digest = db.content_digest()
        reordered = {table: frame.iloc[::-1] for table, frame in tables.items()}
        for frames in (tables, reordered, {"sources": tables["sources"]}):
            with pytest.raises(store.NothingChangedError) as caught:
                db.write_tables(frames)
            assert caught.value.version == 1
        with pytest.raises(store.NothingChangedError):
            db.write_tables(lambda current: current)  # a build that changes nothing
        assert (db.latest_version(), db.data_version(), db.content_digest()) == (1, 1, digest)
    assert store.backups(db_target) == []


# Writes that cost what they change, versions and exact rollback -------------------------


def test_a_write_changes_only_the_rows_that_differ(
    db_target: str, regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    installed_target(db_target, regions)
    with store.opened(db_target) as db:
        before = db.stored_rows("products")
        products = tables["products"].copy()
        products.loc[2, "note"] = "改过的备注"  # edited: keeps its id
        products = with_product(products.drop(index=5), "新增地标")  # one removed, one added
        version = db.write_tables({"products": products}, change=store.Change(author="张三"))
        after = db.stored_rows("products")
        ids = sorted(before)
        assert after[ids[2]][list(store.TABLE_COLUMNS["products"]).index("note")] == "改过的备注"
        assert ids[5] not in after
        assert {i: row for i, row in after.items() if i not in (ids[2],) and i in before} == {
            i: row for i, row in before.items() if i not in (ids[2], ids[5])
        }  # every other row: same id, same values
        (new_id,) = set(after) - set(before)
        assert after[new_id][0] == "新增地标" and new_id > max(before)
        found = db.version(version)
        assert (found.author, found.action) == ("张三", store.ACTION_IMPORT)
        assert (
            found.counts["products"].added,
            found.counts["products"].changed,
            found.counts["products"].removed,
        ) == (1, 1, 1)
        assert found.counts["zones"].added == found.counts["zones"].changed == 0
        # The version recorded only the rows it changed, not the tables.
        changes = db.tables.tables["row_changes"]
        with db.read():
            recorded = db.execute(
                sa.select(changes.c.table_name, changes.c.change, changes.c.row_id).where(
                    changes.c.version_id == version
                )
            ).all()
        assert sorted(recorded) == sorted(
            [
                ("products", "added", ids[2]),
                ("products", "removed", ids[2]),
                ("products", "removed", ids[5]),
                ("products", "added", new_id),
            ]
        )


def test_rollback_to_any_version_restores_exactly_its_content(
    db_target: str, regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    installed_target(db_target, regions)
    with store.opened(db_target) as db:
        expected = {1: content(db.read_tables())}
        edited = tables["products"].copy()
        edited.loc[0, "note"] = "第二版"
        db.write_tables({"products": edited, "sources": tables["sources"].iloc[1:]})
        expected[2] = content(db.read_tables())
        db.write_tables({"zones": tables["zones"].iloc[:1], "outputs": tables["outputs"].iloc[:0]})
        expected[3] = content(db.read_tables())
        duplicated = pd.concat([tables["outputs"], tables["outputs"].iloc[:2]], ignore_index=True)
        db.write_tables({"outputs": duplicated, "products": tables["products"]})
        expected[4] = content(db.read_tables())
        for version, wanted in expected.items():
            assert content(db.snapshot(version)) == wanted, version
        latest = 4
        for version in (2, 1, 4, 3, 1):
            latest = db.rollback(version, author="王五")
            assert content(db.read_tables()) == expected[version], version
            assert content(db.snapshot(latest)) == expected[version]
            found = db.version(latest)
            assert (found.action, found.author) == (store.ACTION_ROLLBACK, "王五")
            assert found.note == store.ROLLBACK_NOTE.format(version=version)
        # Every earlier version is still exact after the rollbacks.
        for version, wanted in expected.items():
            assert content(db.snapshot(version)) == wanted, version
        with pytest.raises(store.NothingChangedError):
            db.rollback(latest)  # already that content
        with pytest.raises(KeyError):
            db.snapshot(99)
        with pytest.raises(KeyError):
            db.rollback(99)
        assert [found.id for found in db.versions()] == list(range(latest, 0, -1))


def test_each_write_bumps_the_data_version(
    db_target: str, regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    with store.opened(db_target) as db:
        assert db.data_version() == 0
        assert db.write_tables(tables) == 1
        assert db.data_version() == 1 and db.get_meta("origin") == store.ORIGIN_USER
        db.write_tables({"sources": tables["sources"].iloc[:1]}, meta={"note": "x"})
        assert (db.data_version(), db.get_meta("note")) == (2, "x")
        assert db.content_digest() == rows.content_digest(
            {t: rows.frame_rows(t, f) for t, f in db.read_tables().items()}
        )
        with pytest.raises(ValueError):
            db.write_tables({"birds": tables["sources"]})


# Backups ---------------------------------------------------------------------------------


def test_each_write_is_preceded_by_a_backup_and_the_last_n_are_kept(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame], monkeypatch
) -> None:
    monkeypatch.setenv(locations.BACKUPS_KEPT_ENV_VARIABLE, "3")
    path = installed(tmp_path, regions)  # a new, empty database: nothing to back up
    assert store.backups(path) == []
    digests = []
    with store.opened(path) as db:
        for count in range(4, 0, -1):
            digests.append(db.content_digest())
            db.write_tables({"sources": tables["sources"].iloc[: count - 1]})
    kept = store.backups(path)
    assert [p.parent for p in kept] == [tmp_path / "backups"] * 3
    assert [p.name.split("-")[-1] for p in kept] == ["v2.sqlite", "v3.sqlite", "v4.sqlite"]
    assert kept[0].name.startswith("db-2") and kept[0].name[3:11].isdigit()  # db-YYYYMMDD…
    for backup, digest in zip(kept, digests[1:], strict=True):
        with store.opened(backup, read_only=True) as copy:
            assert copy.content_digest() == digest  # the data right before the write


def test_the_backup_folder_can_be_configured(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame], monkeypatch
) -> None:
    monkeypatch.setenv(locations.BACKUP_DIR_ENV_VARIABLE, str(tmp_path / "elsewhere"))
    path = installed(tmp_path, regions)
    with store.opened(path) as db:
        db.write_tables({"sources": tables["sources"].iloc[:1]})
    assert [p.parent for p in store.backups(path)] == [tmp_path / "elsewhere"]


def test_a_backup_folder_that_cannot_be_written_stops_the_write(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame], monkeypatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(locations.BACKUP_DIR_ENV_VARIABLE, str(blocker / "backups"))
    path = installed(tmp_path, regions)
    before = checksum(path)
    with store.opened(path) as db, pytest.raises(store.StorageError) as caught:
        db.write_tables({"sources": tables["sources"].iloc[:1]})
    assert caught.value.kind == errors.ERROR_BACKUPS
    folder = blocker / "backups"
    assert caught.value.message == f"无法在备份文件夹 {folder} 中创建备份，数据未写入"
    assert "LANDMARKS_BACKUP_DIR" in caught.value.hint and "LANDMARKS_DB" not in caught.value.hint
    assert checksum(path) == before


# Concurrent writers ----------------------------------------------------------------------


def adding(name: str) -> store.Build:
    """A write that adds product ``name`` to whatever the database holds when it runs."""

    def build(current: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        time.sleep(0.3)  # the other session tries to write meanwhile
        return {"products": with_product(current["products"], name)}

    return build


def write_in_thread(
    target: str, name: str, timeout: float, results: dict[str, int | Exception]
) -> None:
    try:
        with store.opened(target, timeout=timeout) as db:
            results[name] = db.write_tables(adding(name))
    except Exception as error:  # reported to the test
        results[name] = error


def test_two_sessions_importing_at_once_both_land_in_order(
    db_target: str, regions: Regions
) -> None:
    installed_target(db_target, regions)
    results: dict[str, int | Exception] = {}
    threads = [
        threading.Thread(target=write_in_thread, args=(db_target, name, 10.0, results))
        for name in ("甲地新品", "乙地新品")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    written = {name: found for name, found in results.items() if isinstance(found, int)}
    assert sorted(written.values()) == [2, 3], results  # two versions, one after the other
    with store.opened(db_target) as db:
        names = db.read_table("products")["name"].tolist()
        assert intact(db)
        assert db.data_version() == 3
    assert names[-2:] == sorted(written, key=written.__getitem__)  # in the order written


@contextmanager
def write_lock_held(target: str) -> Iterator[None]:
    """Another session holding the database's write lock (SQLite's RESERVED lock taken by
    ``BEGIN IMMEDIATE``; on PostgreSQL the store's advisory lock) until the block ends."""
    if postgres.is_url(target):
        url = sa.make_url(target)
        with psycopg.connect(pg.libpq_conninfo(url)) as holder:
            holder.execute("SELECT pg_advisory_xact_lock(4200000021)")  # the store's key
            yield
            holder.rollback()
    else:
        holder = sqlite3.connect(target, isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")
            yield
            holder.execute("ROLLBACK")
        finally:
            holder.close()


def test_a_session_that_cannot_wait_is_told_to_retry_and_nothing_is_lost(
    db_target: str, regions: Regions
) -> None:
    installed_target(db_target, regions)
    with store.opened(db_target) as db:
        digest = db.content_digest()
    with write_lock_held(db_target), store.opened(db_target, timeout=0.05) as db:
        with pytest.raises(store.StorageError) as caught:
            db.write_tables(lambda current: {"products": with_product(current["products"], "乙")})
        assert db.content_digest() == digest  # reading still works meanwhile
    refused = caught.value
    assert refused.kind == store.ERROR_BUSY
    assert refused.message == "数据库正被其他人写入，请稍后重试"
    assert "数据未被改动" in refused.hint
    with store.opened(db_target) as db:
        assert (db.content_digest(), db.latest_version(), db.data_version()) == (digest, 1, 1)
        assert intact(db)
        # Once the lock is released, the same write lands.
        assert (
            db.write_tables(lambda current: {"products": with_product(current["products"], "乙")})
            == 2
        )


def test_a_session_waiting_past_its_timeout_is_refused_while_the_other_keeps_its_write(
    db_target: str, regions: Regions
) -> None:
    installed_target(db_target, regions)
    inside, release = threading.Event(), threading.Event()
    results: dict[str, int | Exception] = {}

    def holding(current: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        inside.set()  # this session holds the write lock now
        assert release.wait(30)
        return {"products": with_product(current["products"], "甲地新品")}

    def slow_write() -> None:
        try:
            with store.opened(db_target) as db:
                results["甲地新品"] = db.write_tables(holding)
        except Exception as error:  # reported to the test
            results["甲地新品"] = error

    slow = threading.Thread(target=slow_write)
    slow.start()
    try:
        assert inside.wait(30)
        write_in_thread(db_target, "乙地新品", 0.05, results)
    finally:
        release.set()
        slow.join()
    refused = results["乙地新品"]
    assert isinstance(refused, store.StorageError) and refused.kind == store.ERROR_BUSY
    assert refused.message == "数据库正被其他人写入，请稍后重试"
    assert results["甲地新品"] == 2
    with store.opened(db_target) as db:
        names = db.read_table("products")["name"].tolist()
        assert intact(db)
    assert names[-1] == "甲地新品" and "乙地新品" not in names


def write_in_process(target: str, name: str) -> int:
    with store.opened(target) as db:
        return db.write_tables(adding(name))


def test_two_processes_importing_at_once_both_land(db_target: str, regions: Regions) -> None:
    installed_target(db_target, regions)
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        written = pool.starmap(write_in_process, [(db_target, "甲地新品"), (db_target, "乙地新品")])
    assert sorted(written) == [2, 3]
    with store.opened(db_target) as db:
        names = db.read_table("products")["name"].tolist()
        assert intact(db)
    assert set(names[-2:]) == {"甲地新品", "乙地新品"}


# The database's own failures -------------------------------------------------------------


def test_a_folder_that_cannot_be_made_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(store.StorageError) as caught:
        store.open_store(blocker / "landmarks.sqlite")
    assert caught.value.kind == store.ERROR_UNWRITABLE
    assert caught.value.message == f"无法创建或写入数据库所在的文件夹 {blocker}"
    assert "LANDMARKS_DB" in caught.value.hint


def test_a_path_that_cannot_be_opened_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(store.StorageError) as caught:
        store.open_store(folder)
    assert caught.value.kind == store.ERROR_UNWRITABLE
    assert caught.value.message == f"无法打开或写入数据库文件 {folder}"


def test_a_database_that_cannot_be_written_stays_readable(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    path = installed(tmp_path, regions)
    before = checksum(path)
    with store.opened(path, read_only=True) as db:
        assert len(db.read_table("products")) == len(tables["products"])
        with pytest.raises(store.StorageError) as caught:
            db.write_tables({"sources": tables["sources"].iloc[:1]})
    assert caught.value.kind == store.ERROR_UNWRITABLE
    assert checksum(path) == before


def test_a_file_that_is_not_a_database_is_never_touched(tmp_path: Path, regions: Regions) -> None:
    path = tmp_path / "landmarks.sqlite"
    path.write_bytes(b"PK\x03\x04 this is a spreadsheet, not a database" * 100)
    before = checksum(path)
    with pytest.raises(store.StorageError) as caught, store.opened(path) as db:
        seed.ensure_seeded(db, regions)
    assert caught.value.kind == errors.ERROR_CORRUPT
    assert caught.value.message == (
        f"该文件不是 SQLite 数据库（已损坏，或是其他类型的文件）：{path}"
    )
    assert str(tmp_path / "backups") in caught.value.hint and "不会改动" in caught.value.hint
    assert checksum(path) == before


def test_a_database_with_a_damaged_header_is_never_touched(
    tmp_path: Path, regions: Regions
) -> None:
    path = installed(tmp_path, regions)
    data = bytearray(path.read_bytes())
    data[16:100] = b"\xff" * 84  # page size, format numbers … of the header
    path.write_bytes(bytes(data))
    before = checksum(path)
    with pytest.raises(store.StorageError) as caught, store.opened(path) as db:
        seed.ensure_seeded(db, regions)
    assert caught.value.kind == errors.ERROR_CORRUPT
    assert caught.value.message == f"数据库文件已损坏，无法读取：{path}"
    assert checksum(path) == before


def test_a_damaged_database_is_reported_when_read(tmp_path: Path, regions: Regions) -> None:
    path = installed(tmp_path, regions)
    data = bytearray(path.read_bytes())
    page = 4096
    data[page:] = b"\xff" * (len(data) - page)  # every page but the schema's
    path.write_bytes(bytes(data))
    before = checksum(path)
    with pytest.raises(store.StorageError) as caught, store.opened(path) as db:
        db.read_table("products")
    assert caught.value.kind == errors.ERROR_CORRUPT
    assert checksum(path) == before


@pytest.mark.parametrize(
    "tables_sql",
    [
        ["CREATE TABLE birds (name TEXT)"],
        ["CREATE TABLE meta (key TEXT, value TEXT)", "INSERT INTO meta VALUES ('owner', 'x')"],
    ],
)
def test_another_programs_database_is_never_seeded_over(
    db_target: str, tables_sql: list[str]
) -> None:
    engine = sa.create_engine(
        sa.make_url(db_target).set(drivername="postgresql+psycopg")
        if postgres.is_url(db_target)
        else f"sqlite:///{db_target}"
    )
    try:
        with engine.begin() as other:
            for statement in tables_sql:
                other.exec_driver_sql(statement)

        def everything() -> dict[str, list[tuple[object, ...]]]:
            with engine.connect() as other:
                names = sa.inspect(other).get_table_names()
                return {
                    name: sorted(other.exec_driver_sql(f"SELECT * FROM {name}").all())
                    for name in names
                }

        before = everything()
        with pytest.raises(store.StorageError) as caught:
            store.open_store(db_target)
        assert everything() == before  # no table created, nothing written
    finally:
        engine.dispose()
    assert caught.value.kind == errors.ERROR_FOREIGN
    if postgres.is_url(db_target):
        assert caught.value.message == f"这不是本应用的数据库：{store.describe(db_target)}"
        assert "不会改动它" in caught.value.hint
    else:
        assert caught.value.message == f"这不是本应用的数据库文件：{db_target}"
        assert "不会改动或覆盖" in caught.value.hint


def test_another_programs_database_file_is_left_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE birds (name TEXT)")
    other.close()
    before = checksum(path)
    with pytest.raises(store.StorageError) as caught:
        store.open_store(path)
    assert caught.value.kind == errors.ERROR_FOREIGN
    assert checksum(path) == before


def test_a_database_locked_by_another_program_is_reported(tmp_path: Path, regions: Regions) -> None:
    path = installed(tmp_path, regions)
    holder = sqlite3.connect(path)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with (
            pytest.raises(store.StorageError) as caught,
            store.opened(path, timeout=0.05) as db,
        ):
            db.read_table("products")
    finally:
        holder.rollback()
        holder.close()
    assert caught.value.kind == store.ERROR_BUSY
    assert caught.value.message == errors.BUSY_MESSAGE


def test_a_database_of_a_newer_release_is_left_alone(tmp_path: Path, regions: Regions) -> None:
    path = installed(tmp_path, regions)
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    raw.close()
    before = checksum(path)
    with pytest.raises(store.StorageError) as caught, store.opened(path) as db:
        seed.ensure_seeded(db, regions)
    assert caught.value.kind == errors.ERROR_NEWER
    assert caught.value.message == (
        f"数据库由更新版本的应用创建（结构版本 99，本应用只支持到 {store.SCHEMA_VERSION}）"
    )
    assert checksum(path) == before


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("database is locked", store.ERROR_BUSY),
        ("database or disk is full", errors.ERROR_FULL),
        ("database disk image is malformed", errors.ERROR_CORRUPT),
        ("attempt to write a readonly database", store.ERROR_UNWRITABLE),
        ("disk I/O error", errors.ERROR_IO),
    ],
)
def test_errors_without_an_sqlite_code_are_recognised_by_their_text(
    message: str, kind: str
) -> None:
    found = sqlite_errors.storage_error(sqlite3.OperationalError(message), Path("db.sqlite"))
    assert found is not None and found.kind == kind and found.message and found.hint


def test_other_errors_are_not_mistaken_for_the_databases_own() -> None:
    error = sqlite3.IntegrityError("UNIQUE constraint failed: products.name")
    assert sqlite_errors.storage_error(error, Path("db.sqlite")) is None
    assert sqlite_errors.storage_error(ValueError("x"), Path("db.sqlite")) is None


# The previous release's database ---------------------------------------------------------

RELEASE_8 = Path(__file__).resolve().parents[1] / "fixtures" / "landmarks-release-8.sqlite"


def raw_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as db:
        return {
            table: db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id").fetchall()
            for table, columns in store.TABLE_COLUMNS.items()
        }


def raw_content(found: dict[str, list[tuple[object, ...]]]) -> dict[str, Counter[str]]:
    return content({table: rows.rows_frame(table, listed) for table, listed in found.items()})


def test_the_release_8_database_upgrades_on_start_up_keeping_every_row(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    path = tmp_path / "landmarks.sqlite"
    shutil.copy(RELEASE_8, path)
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
            "2",
        )
    raw.close()
    before = raw_rows(path)
    assert "竹溪贡米" in [row[0] for row in before["products"]]  # the imported row
    with store.opened(path) as db:
        assert not seed.ensure_seeded(db, regions)  # users' data: never reseeded
        assert db.schema_version() == store.SCHEMA_VERSION == 5
        assert db.routes() == []  # the routes table came with version 4
        (baseline,) = db.versions()
        assert content(db.snapshot(baseline.id)) == raw_content(before)
        assert {"snapshots", "version_tables"}.isdisjoint(db.table_names())
    assert raw_rows(path) == before
    assert (baseline.action, baseline.note) == (store.ACTION_SEED, store.UPGRADE_NOTE)
    assert {table: counts.added for table, counts in baseline.counts.items()} == {
        table: len(found) for table, found in before.items()
    }
    (backup,) = store.backups(path)
    assert backup.name.endswith("-v0-schema2.sqlite")
    assert raw_rows(backup) == before
    # The upgraded history works as any other: a write, then back to the release's data.
    with store.opened(path) as db:
        db.write_tables({"products": tables["products"], "sources": tables["sources"].iloc[:1]})
        assert content(db.read_tables()) != raw_content(before)
        db.rollback(baseline.id)
        assert content(db.read_tables()) == raw_content(before)
        assert content(db.snapshot(baseline.id)) == raw_content(before)


SCHEMA_4 = RELEASE_8.with_name("landmarks-schema-4.sqlite")  # make_schema_4_fixture.py


def old_snapshots(path: Path) -> dict[int, dict[str, Counter[str]]]:
    """What the whole-table snapshots of a schema-4 database held for each version, read
    straight from the file: ``version_tables`` names a snapshot per version and table, a
    snapshot is zlib-compressed JSON {"table", "columns", "rows"}."""
    found: dict[int, dict[str, pd.DataFrame]] = {}
    with sqlite3.connect(path) as raw:
        listed = raw.execute(
            "SELECT v.version_id, v.table_name, s.data FROM version_tables AS v"
            " JOIN snapshots AS s ON s.digest = v.digest"
        ).fetchall()
    raw.close()
    for version_id, table, data in listed:
        payload = json.loads(zlib.decompress(data))
        assert payload["table"] == table
        frame = pd.DataFrame(payload["rows"], columns=payload["columns"], dtype=object)
        found.setdefault(version_id, {})[table] = frame
    return {version_id: content(frames) for version_id, frames in found.items()}


def test_a_schema_4_history_of_snapshots_becomes_row_changes_keeping_every_version(
    tmp_path: Path, regions: Regions
) -> None:
    path = tmp_path / "landmarks.sqlite"
    shutil.copy(SCHEMA_4, path)
    expected = old_snapshots(path)
    assert sorted(expected) == [1, 2, 3, 4, 5]
    assert all(set(tables) == set(store.TABLE_COLUMNS) for tables in expected.values())
    assert len({json.dumps(sorted(t.items())) for t in expected.values()}) >= 4  # they differ
    assert expected[4] == expected[1]  # version 4 rolled back to 1
    before = raw_rows(path)
    with sqlite3.connect(path) as raw:
        old_versions = raw.execute(
            "SELECT id, created_at, author, action, file_name, file_sha256, note"
            " FROM versions ORDER BY id"
        ).fetchall()
        old_counts = {
            (version_id, table): (added, changed, removed)
            for version_id, table, added, changed, removed in raw.execute(
                "SELECT version_id, table_name, added, changed, removed FROM version_tables"
            )
        }
    raw.close()
    with store.opened(path) as db:
        assert db.schema_version() == 4
        assert store.upgrade(db, regions)
        assert db.schema_version() == store.SCHEMA_VERSION
        assert {"snapshots", "version_tables"}.isdisjoint(db.table_names())
        assert content(db.read_tables()) == expected[5]
        for version_id, wanted in expected.items():
            assert content(db.snapshot(version_id)) == wanted, version_id
        versions = db.versions()
        assert [
            (v.id, v.created_at, v.author, v.action, v.file_name, v.file_sha256, v.note)
            for v in reversed(versions)
        ] == old_versions
        assert {
            (v.id, table): (counts.added, counts.changed, counts.removed)
            for v in versions
            for table, counts in v.counts.items()
        } == old_counts
    assert raw_rows(path) == before  # the current rows keep their ids and values
    (backup,) = store.backups(path)
    assert backup.name.endswith("-v5-schema4.sqlite")
    # Rollback to any old version gives exactly its content.
    with store.opened(path) as db:
        for version_id in (1, 3, 2, 5):
            if content(db.read_tables()) != expected[version_id]:
                db.rollback(version_id)
            assert content(db.read_tables()) == expected[version_id], version_id
        for version_id, wanted in expected.items():
            assert content(db.snapshot(version_id)) == wanted, version_id


# Saved routes (schema version 4) ----------------------------------------------------------

TEA = Route("恩施茶旅", (Stop("product", "恩施玉露"), Stop("site", "伍家台贡茶文化旅游区")))


def test_a_saved_route_is_shared_with_its_author_and_time(db_target: str) -> None:
    path = db_target
    with store.opened(path) as db:
        db.save_route(TEA, author="张三")
        db.save_route(Route(" 第二条 ", TEA.stops[:1]), author=" 李四 ")
    with store.opened(path) as db:  # another session sees them
        newest, first = db.routes()
    assert first.route == TEA and not first.route.is_example
    assert first.author == "张三"
    assert (newest.route.name, newest.author) == ("第二条", "李四")
    saved_at = datetime.fromisoformat(first.saved_at)
    assert saved_at.tzinfo is not None
    assert abs((datetime.now(UTC) - saved_at).total_seconds()) < 60


def test_a_route_name_is_never_taken_over_silently(db_target: str) -> None:
    with store.opened(db_target) as db:
        db.save_route(TEA, author="张三")
        other = Route(TEA.name, TEA.stops[::-1])
        with pytest.raises(store.StorageError) as raised:
            db.save_route(other, author="李四")
        assert raised.value.kind == errors.ERROR_EXISTS
        assert raised.value.message == "已有同名线路“恩施茶旅”，本次未保存"
        (kept,) = db.routes()
        assert (kept.route, kept.author) == (TEA, "张三")
        db.save_route(other, author="李四", replace=True)
        (replaced,) = db.routes()
        assert (replaced.route, replaced.author) == (other, "李四")


def test_a_saved_route_can_be_deleted(db_target: str) -> None:
    with store.opened(db_target) as db:
        db.save_route(TEA, author="张三")
        assert db.delete_route(TEA.name)
        assert db.routes() == []
        assert not db.delete_route(TEA.name)


def test_an_empty_route_is_not_saved(db_target: str) -> None:
    with store.opened(db_target) as db:
        with pytest.raises(ValueError):
            db.save_route(Route("空线路", ()), author="张三")
        with pytest.raises(ValueError):
            db.save_route(Route("  ", TEA.stops), author="张三")
        assert db.routes() == []


def test_saving_a_route_is_not_a_data_version(db_target: str, regions: Regions) -> None:
    # Routes stay out of the data's history: rolling the data back keeps them, and a
    # route saved to a seeded database leaves the seed refreshable.
    path = db_target
    with store.opened(path) as db:
        seed.ensure_seeded(db, regions)
        before = (db.data_version(), len(db.versions()))
        digest = db.content_digest()
        db.save_route(TEA, author="张三")
        assert (db.data_version(), len(db.versions())) == before
        assert db.content_digest() == digest
        assert db.get_meta("origin") == store.ORIGIN_SEED
        assert store.backups(path) == []  # no backup rotated for a route
        fewer = db.read_table("sources").iloc[:1]
        db.write_tables({"sources": fewer})
        db.rollback(db.versions()[-1].id)
        assert [saved.route for saved in db.routes()] == [TEA]


def test_a_schema_3_database_gains_the_routes_table(tmp_path: Path, regions: Regions) -> None:
    path = tmp_path / "db.sqlite"
    synthetic.install(path, regions)
    with store.opened(path) as db, db.write():
        db.connection.exec_driver_sql("DROP TABLE routes")
        db.set_meta("schema_version", "3")
    before = raw_rows(path)
    with store.opened(path) as db:
        assert db.routes() == []  # read before the upgrade: nothing, no error
        assert store.upgrade(db, regions)
        assert db.schema_version() == store.SCHEMA_VERSION
        db.save_route(TEA, author="张三")
        assert [saved.route for saved in db.routes()] == [TEA]
    assert raw_rows(path) == before
    (backup,) = store.backups(path)
    assert backup.name.endswith("-schema3.sqlite")


def test_in_english_a_database_failure_says_what_is_wrong_and_what_to_do(
    db_target: str, regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    from landmarks import i18n

    installed_target(db_target, regions)
    with store.opened(db_target) as db, i18n.language(i18n.ENGLISH):
        shown = db.data_version()
        db.write_tables({"sources": tables["sources"].iloc[:2]})
        with pytest.raises(store.StorageError) as caught:
            db.write_tables({"sources": tables["sources"]}, base_version=shown)
    assert caught.value.message == "Someone else has changed the data; this save was not written"
    assert caught.value.hint == "Reload the page and edit or import again on the latest data"
    assert str(caught.value) == f"{caught.value.message}. {caught.value.hint}"


def test_a_copy_that_cannot_be_opened_closes_the_source_connection(
    tmp_path: Path, regions: Regions, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = installed(tmp_path, regions)
    opened: list[store.Store] = []
    connect = sqlite3.connect

    def failing_for_the_copy(target, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(target).endswith(backups.PART_SUFFIX):
            raise sqlite3.OperationalError("unable to open database file")
        db = connect(target, *args, **kwargs)
        opened.append(db)
        return db

    monkeypatch.setattr(backups.sqlite3, "connect", failing_for_the_copy)
    with pytest.raises(store.StorageError):
        backups.back_up(path, 1)
    (source,) = opened
    with pytest.raises(sqlite3.ProgrammingError):  # closed
        source.execute("SELECT 1")


def test_an_old_backup_that_cannot_be_deleted_does_not_undo_the_write(
    tmp_path: Path,
    regions: Regions,
    tables: dict[str, pd.DataFrame],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv(locations.BACKUPS_KEPT_ENV_VARIABLE, "1")
    path = installed(tmp_path, regions)
    with store.opened(path) as db:
        db.write_tables({"sources": tables["sources"].iloc[:3]})
    unlink = Path.unlink

    def refusing(self: Path, missing_ok: bool = False) -> None:
        if self.parent == tmp_path / "backups" and self.suffix == ".sqlite":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", refusing)
    with store.opened(path) as db:
        db.write_tables({"sources": tables["sources"].iloc[:2]})
        assert len(db.read_tables()["sources"]) == 2  # the write landed
    assert len(store.backups(path)) == 2  # the old one stays until a later write
    assert "could not delete the old backup" in caplog.text


def test_the_store_re_exports_only_what_the_app_uses() -> None:
    """Each name the ``store`` facade re-exports has a user in the app (pages, ui, the
    command line, other modules) outside the store itself; the others are imported from
    their own modules.  A few are kept for the page and browser tests, which know them
    as ``store.*``."""
    import re

    root = Path(__file__).resolve().parents[2]
    inside = root / "landmarks" / "data" / "store"
    sources = [
        path.read_text(encoding="utf-8")
        for path in [
            root / "app.py",
            *(root / "landmarks").rglob("*.py"),
            *(root / "pages").rglob("*.py"),
        ]
        if inside not in path.parents
    ]
    # Page, browser and store tests know these as ``store.*``.
    for_tests = {"DB_ENV_VARIABLE", "ERROR_BUSY", "backups", "ACTION_ROLLBACK", "describe"}
    for_tests |= {"SCHEMA_VERSION", "open_store"}
    # The facade's documented interface (STORE.md) that the app has not taken up yet.
    interface = {"exists"}

    def used(name: str, text: str) -> bool:
        imported = re.search(
            rf"from landmarks\.data\.store import (\([^)]*|[^\n]*)\b{name}\b", text
        )
        return bool(re.search(rf"\bstore\.{name}\b", text) or imported)

    unused = [
        name
        for name in store.__all__
        if name not in for_tests | interface and not any(used(name, text) for text in sources)
    ]
    assert unused == []


def test_one_definition_of_the_errors_that_refuse_writes() -> None:
    from landmarks.data import locations

    assert not hasattr(errors, "_REFUSED") and not hasattr(locations, "_REFUSED")
    assert sqlite_errors.error_kind(PermissionError(errno.EACCES, "denied")) == "read_only"
    assert sqlite_errors.error_kind(OSError(errno.EIO, "broken")) == "unwritable"
