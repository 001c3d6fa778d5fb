"""The database: seeding, schema upgrades, atomic versioned writes, backups, concurrent
writers and the database's own failures (each with its Chinese message)."""

from __future__ import annotations

import errno
import hashlib
import multiprocessing
import shutil
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from landmarks.data import backups, failures, locations, storage
from landmarks.data.regions import Regions
from landmarks.data.routes import Route, Stop
from tests import synthetic


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
        shorter = storage.read_table(connection, "sources").iloc[:-1]  # a real change
        storage.replace_tables(connection, {"sources": shorter})
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


# Helpers --------------------------------------------------------------------------------


def checksum(path: Path) -> str:
    """SHA-256 of the database file's bytes (every connection closed: no pending log)."""
    log = Path(f"{path}-wal")
    assert not log.exists() or log.stat().st_size == 0, "a connection is still open"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def installed(tmp_path: Path, regions: Regions) -> Path:
    """A database holding the synthetic tables as users' data (version 1)."""
    path = tmp_path / "db.sqlite"
    synthetic.install(path, regions)
    return path


def with_product(products: pd.DataFrame, name: str) -> pd.DataFrame:
    """``products`` plus a copy of its first row named ``name``."""
    row = products.iloc[[0]].assign(name=name, family=name)
    return pd.concat([products, row], ignore_index=True)


# Atomic writes ---------------------------------------------------------------------------


def test_a_write_that_fails_midway_leaves_the_file_byte_for_byte_as_before(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    path = installed(tmp_path, regions)
    before = checksum(path)
    broken = tables["products"].copy()
    broken.loc[1, "name"] = broken.loc[0, "name"]  # UNIQUE fails after zones were written
    with storage.opened(path) as connection:
        with pytest.raises(sqlite3.IntegrityError):
            storage.replace_tables(connection, {"zones": tables["zones"], "products": broken})
        assert storage.data_version(connection) == 1
    assert checksum(path) == before


def test_an_exception_after_the_tables_were_written_undoes_them(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame], monkeypatch
) -> None:
    path = installed(tmp_path, regions)
    before = checksum(path)

    def interrupted(*args: object) -> int:
        raise KeyboardInterrupt  # e.g. the server stopped while the version was recorded

    monkeypatch.setattr(storage, "_record_version", interrupted)
    with storage.opened(path) as connection, pytest.raises(KeyboardInterrupt):
        storage.replace_tables(connection, {"products": tables["products"].iloc[:3]})
    assert checksum(path) == before


def test_a_full_disk_is_reported_and_nothing_is_written(tmp_path: Path, regions: Regions) -> None:
    path = installed(tmp_path, regions)
    before = checksum(path)
    with storage.opened(path) as connection:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")  # no room to grow
        with pytest.raises(storage.StorageError) as caught:
            storage.replace_tables(connection, storage.seed_frames(regions))
    assert caught.value.kind == failures.ERROR_FULL
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
    with storage.opened(path) as connection, pytest.raises(storage.StorageError) as caught:
        storage.replace_tables(connection, {"products": tables["products"].iloc[:3]})
    assert caught.value.kind == failures.ERROR_FULL
    # The backups folder's disk is full, not the database's: the message says which.
    folder = tmp_path / "backups"
    assert caught.value.message == f"备份文件夹所在的磁盘已满（{folder}），备份未完成，数据未写入"
    assert "LANDMARKS_BACKUP_DIR" in caught.value.hint
    assert checksum(path) == before
    assert not list((tmp_path / "backups").glob("*.part"))


def test_a_write_made_from_stale_data_is_refused(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    path = installed(tmp_path, regions)
    with storage.opened(path) as connection:
        shown = storage.data_version(connection)
        storage.replace_tables(connection, {"sources": tables["sources"].iloc[:2]})
        with pytest.raises(storage.StorageError) as caught:
            storage.replace_tables(connection, {"sources": tables["sources"]}, base_version=shown)
        assert len(storage.read_table(connection, "sources")) == 2
    assert caught.value.kind == failures.ERROR_STALE
    assert caught.value.message == "数据已被其他人修改，本次保存未写入"


# Backups ---------------------------------------------------------------------------------


def test_each_write_is_preceded_by_a_backup_and_the_last_n_are_kept(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame], monkeypatch
) -> None:
    monkeypatch.setenv(locations.BACKUPS_KEPT_ENV_VARIABLE, "3")
    path = installed(tmp_path, regions)  # a new, empty database: nothing to back up
    assert storage.backups(path) == []
    digests = []
    with storage.opened(path) as connection:
        for count in range(4, 0, -1):
            digests.append(storage.content_digest(connection))
            storage.replace_tables(connection, {"sources": tables["sources"].iloc[: count - 1]})
    kept = storage.backups(path)
    assert [p.parent for p in kept] == [tmp_path / "backups"] * 3
    assert [p.name.split("-")[-1] for p in kept] == ["v2.sqlite", "v3.sqlite", "v4.sqlite"]
    assert kept[0].name.startswith("db-2") and kept[0].name[3:11].isdigit()  # db-YYYYMMDD…
    for backup, digest in zip(kept, digests[1:], strict=True):
        with storage.opened(backup, read_only=True) as copy:
            assert storage.content_digest(copy) == digest  # the data right before the write


def test_the_backup_folder_can_be_configured(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame], monkeypatch
) -> None:
    monkeypatch.setenv(locations.BACKUP_DIR_ENV_VARIABLE, str(tmp_path / "elsewhere"))
    path = installed(tmp_path, regions)
    with storage.opened(path) as connection:
        storage.replace_tables(connection, {"sources": tables["sources"].iloc[:1]})
    assert [p.parent for p in storage.backups(path)] == [tmp_path / "elsewhere"]


def test_a_backup_folder_that_cannot_be_written_stops_the_write(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame], monkeypatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(locations.BACKUP_DIR_ENV_VARIABLE, str(blocker / "backups"))
    path = installed(tmp_path, regions)
    before = checksum(path)
    with storage.opened(path) as connection, pytest.raises(storage.StorageError) as caught:
        storage.replace_tables(connection, {"sources": tables["sources"].iloc[:1]})
    assert caught.value.kind == failures.ERROR_BACKUPS
    folder = blocker / "backups"
    assert caught.value.message == f"无法在备份文件夹 {folder} 中创建备份，数据未写入"
    assert "LANDMARKS_BACKUP_DIR" in caught.value.hint and "LANDMARKS_DB" not in caught.value.hint
    assert checksum(path) == before


# Concurrent writers ----------------------------------------------------------------------


def adding(name: str) -> storage.Build:
    """A write that adds product ``name`` to whatever the database holds when it runs."""

    def build(current: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        time.sleep(0.3)  # the other session tries to write meanwhile
        return {"products": with_product(current["products"], name)}

    return build


def write_in_thread(
    path: Path, name: str, timeout: float, results: dict[str, int | Exception]
) -> None:
    try:
        with storage.opened(path, timeout=timeout) as connection:
            results[name] = storage.replace_tables(connection, adding(name))
    except Exception as error:  # reported to the test
        results[name] = error


def test_two_sessions_importing_at_once_both_land_in_order(
    tmp_path: Path, regions: Regions
) -> None:
    path = installed(tmp_path, regions)
    results: dict[str, int | Exception] = {}
    threads = [
        threading.Thread(target=write_in_thread, args=(path, name, 10.0, results))
        for name in ("甲地新品", "乙地新品")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    written = {name: found for name, found in results.items() if isinstance(found, int)}
    assert sorted(written.values()) == [2, 3], results  # two versions, one after the other
    with storage.opened(path) as connection:
        names = storage.read_table(connection, "products")["name"].tolist()
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert storage.data_version(connection) == 3
    assert names[-2:] == sorted(written, key=written.__getitem__)  # in the order written


def test_a_session_that_cannot_wait_is_told_to_retry_and_nothing_is_lost(
    tmp_path: Path, regions: Regions
) -> None:
    path = installed(tmp_path, regions)
    results: dict[str, int | Exception] = {}
    slow = threading.Thread(target=write_in_thread, args=(path, "甲地新品", 10.0, results))
    slow.start()
    time.sleep(0.1)  # the slow session holds the write lock now
    write_in_thread(path, "乙地新品", 0.05, results)
    slow.join()
    refused = results["乙地新品"]
    assert isinstance(refused, storage.StorageError) and refused.kind == storage.ERROR_BUSY
    assert refused.message == "数据库正被其他人写入，请稍后重试"
    assert results["甲地新品"] == 2
    with storage.opened(path) as connection:
        names = storage.read_table(connection, "products")["name"].tolist()
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert names[-1] == "甲地新品" and "乙地新品" not in names


def write_in_process(path: str, name: str) -> int:
    with storage.opened(Path(path)) as connection:
        return storage.replace_tables(connection, adding(name))


def test_two_processes_importing_at_once_both_land(tmp_path: Path, regions: Regions) -> None:
    path = installed(tmp_path, regions)
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        written = pool.starmap(write_in_process, [(str(path), "甲地新品"), (str(path), "乙地新品")])
    assert sorted(written) == [2, 3]
    with storage.opened(path) as connection:
        names = storage.read_table(connection, "products")["name"].tolist()
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert set(names[-2:]) == {"甲地新品", "乙地新品"}


# The database's own failures -------------------------------------------------------------


def test_a_folder_that_cannot_be_made_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(storage.StorageError) as caught:
        storage.connect(blocker / "landmarks.sqlite")
    assert caught.value.kind == storage.ERROR_UNWRITABLE
    assert caught.value.message == f"无法创建或写入数据库所在的文件夹 {blocker}"
    assert "LANDMARKS_DB" in caught.value.hint


def test_a_path_that_cannot_be_opened_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(storage.StorageError) as caught:
        storage.connect(folder)
    assert caught.value.kind == storage.ERROR_UNWRITABLE
    assert caught.value.message == f"无法打开或写入数据库文件 {folder}"


def test_a_database_that_cannot_be_written_stays_readable(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    path = installed(tmp_path, regions)
    before = checksum(path)
    with storage.opened(path, read_only=True) as connection:
        assert len(storage.read_table(connection, "products")) == len(tables["products"])
        with pytest.raises(storage.StorageError) as caught:
            storage.replace_tables(connection, {"sources": tables["sources"]})
    assert caught.value.kind == storage.ERROR_UNWRITABLE
    assert checksum(path) == before


def test_a_file_that_is_not_a_database_is_never_touched(tmp_path: Path, regions: Regions) -> None:
    path = tmp_path / "landmarks.sqlite"
    path.write_bytes(b"PK\x03\x04 this is a spreadsheet, not a database" * 100)
    before = checksum(path)
    with pytest.raises(storage.StorageError) as caught, storage.opened(path) as connection:
        storage.ensure_seeded(connection, regions)
    assert caught.value.kind == failures.ERROR_CORRUPT
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
    with pytest.raises(storage.StorageError) as caught, storage.opened(path) as connection:
        storage.ensure_seeded(connection, regions)
    assert caught.value.kind == failures.ERROR_CORRUPT
    assert caught.value.message == f"数据库文件已损坏，无法读取：{path}"
    assert checksum(path) == before


def test_a_damaged_database_is_reported_when_read(tmp_path: Path, regions: Regions) -> None:
    path = installed(tmp_path, regions)
    data = bytearray(path.read_bytes())
    page = 4096
    data[page:] = b"\xff" * (len(data) - page)  # every page but the schema's
    path.write_bytes(bytes(data))
    before = checksum(path)
    with pytest.raises(storage.StorageError) as caught, storage.opened(path) as connection:
        storage.read_table(connection, "products")
    assert caught.value.kind == failures.ERROR_CORRUPT
    assert checksum(path) == before


@pytest.mark.parametrize(
    "tables_sql",
    [
        ["CREATE TABLE birds (name TEXT)"],
        ["CREATE TABLE meta (key TEXT, value TEXT)", "INSERT INTO meta VALUES ('owner', 'x')"],
    ],
)
def test_another_programs_database_is_never_seeded_over(
    tmp_path: Path, regions: Regions, tables_sql: list[str]
) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as other:
        for statement in tables_sql:
            other.execute(statement)
    other.close()
    before = checksum(path)
    with pytest.raises(storage.StorageError) as caught:
        storage.connect(path)
    assert caught.value.kind == failures.ERROR_FOREIGN
    assert caught.value.message == f"这不是本应用的数据库文件：{path}"
    assert "不会改动或覆盖" in caught.value.hint
    assert checksum(path) == before


def test_a_database_locked_by_another_program_is_reported(tmp_path: Path, regions: Regions) -> None:
    path = installed(tmp_path, regions)
    holder = sqlite3.connect(path)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with (
            pytest.raises(storage.StorageError) as caught,
            storage.opened(path, timeout=0.05) as connection,
        ):
            storage.read_table(connection, "products")
    finally:
        holder.rollback()
        holder.close()
    assert caught.value.kind == storage.ERROR_BUSY
    assert caught.value.message == failures.BUSY_MESSAGE


def test_a_database_of_a_newer_release_is_left_alone(tmp_path: Path, regions: Regions) -> None:
    path = installed(tmp_path, regions)
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    raw.close()
    before = checksum(path)
    with pytest.raises(storage.StorageError) as caught, storage.opened(path) as connection:
        storage.ensure_seeded(connection, regions)
    assert caught.value.kind == failures.ERROR_NEWER
    assert caught.value.message == (
        f"数据库由更新版本的应用创建（结构版本 99，本应用只支持到 {storage.SCHEMA_VERSION}）"
    )
    assert checksum(path) == before


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("database is locked", storage.ERROR_BUSY),
        ("database or disk is full", failures.ERROR_FULL),
        ("database disk image is malformed", failures.ERROR_CORRUPT),
        ("attempt to write a readonly database", storage.ERROR_UNWRITABLE),
        ("disk I/O error", failures.ERROR_IO),
    ],
)
def test_errors_without_an_sqlite_code_are_recognised_by_their_text(
    message: str, kind: str
) -> None:
    found = failures.storage_error(sqlite3.OperationalError(message), Path("db.sqlite"))
    assert found is not None and found.kind == kind and found.message and found.hint


def test_other_errors_are_not_mistaken_for_the_databases_own() -> None:
    error = sqlite3.IntegrityError("UNIQUE constraint failed: products.name")
    assert failures.storage_error(error, Path("db.sqlite")) is None
    assert failures.storage_error(ValueError("x"), Path("db.sqlite")) is None


# The previous release's database ---------------------------------------------------------

RELEASE_8 = Path(__file__).resolve().parents[1] / "fixtures" / "landmarks-release-8.sqlite"


def raw_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as connection:
        return {
            table: connection.execute(
                f"SELECT {', '.join(columns)} FROM {table} ORDER BY id"
            ).fetchall()
            for table, columns in storage.TABLE_COLUMNS.items()
        }


def test_the_release_8_database_upgrades_on_start_up_keeping_every_row(
    tmp_path: Path, regions: Regions
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
    with storage.opened(path) as connection:
        assert not storage.ensure_seeded(connection, regions)  # users' data: never reseeded
        assert storage.schema_version(connection) == storage.SCHEMA_VERSION == 4
        assert storage.routes(connection) == []  # the routes table came with version 4
        (baseline,) = storage.versions(connection)
        assert storage.content_digest(connection) == baseline.digest
    assert raw_rows(path) == before
    assert (baseline.action, baseline.note) == (storage.ACTION_SEED, storage.UPGRADE_NOTE)
    assert {table: counts.added for table, counts in baseline.counts.items()} == {
        table: len(rows) for table, rows in before.items()
    }
    (backup,) = storage.backups(path)
    assert backup.name.endswith("-v0-schema2.sqlite")
    assert raw_rows(backup) == before


# Saved routes (schema version 4) ----------------------------------------------------------

TEA = Route("恩施茶旅", (Stop("product", "恩施玉露"), Stop("site", "伍家台贡茶文化旅游区")))


def test_a_saved_route_is_shared_with_its_author_and_time(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    with storage.opened(path) as connection:
        storage.save_route(connection, TEA, author="张三")
        storage.save_route(connection, Route(" 第二条 ", TEA.stops[:1]), author=" 李四 ")
    with storage.opened(path) as connection:  # another session sees them
        newest, first = storage.routes(connection)
    assert first.route == TEA and not first.route.is_example
    assert first.author == "张三"
    assert (newest.route.name, newest.author) == ("第二条", "李四")
    saved_at = datetime.fromisoformat(first.saved_at)
    assert saved_at.tzinfo is not None
    assert abs((datetime.now(UTC) - saved_at).total_seconds()) < 60


def test_a_route_name_is_never_taken_over_silently(tmp_path: Path) -> None:
    with storage.opened(tmp_path / "db.sqlite") as connection:
        storage.save_route(connection, TEA, author="张三")
        other = Route(TEA.name, TEA.stops[::-1])
        with pytest.raises(storage.StorageError) as raised:
            storage.save_route(connection, other, author="李四")
        assert raised.value.kind == failures.ERROR_EXISTS
        assert raised.value.message == "已有同名线路“恩施茶旅”，本次未保存"
        (kept,) = storage.routes(connection)
        assert (kept.route, kept.author) == (TEA, "张三")
        storage.save_route(connection, other, author="李四", replace=True)
        (replaced,) = storage.routes(connection)
        assert (replaced.route, replaced.author) == (other, "李四")


def test_a_saved_route_can_be_deleted(tmp_path: Path) -> None:
    with storage.opened(tmp_path / "db.sqlite") as connection:
        storage.save_route(connection, TEA, author="张三")
        assert storage.delete_route(connection, TEA.name)
        assert storage.routes(connection) == []
        assert not storage.delete_route(connection, TEA.name)


def test_an_empty_route_is_not_saved(tmp_path: Path) -> None:
    with storage.opened(tmp_path / "db.sqlite") as connection:
        with pytest.raises(ValueError):
            storage.save_route(connection, Route("空线路", ()), author="张三")
        with pytest.raises(ValueError):
            storage.save_route(connection, Route("  ", TEA.stops), author="张三")
        assert storage.routes(connection) == []


def test_saving_a_route_is_not_a_data_version(tmp_path: Path, regions: Regions) -> None:
    # Routes stay out of the data's history: rolling the data back keeps them, and a
    # route saved to a seeded database leaves the seed refreshable.
    path = tmp_path / "db.sqlite"
    with storage.opened(path) as connection:
        storage.ensure_seeded(connection, regions)
        before = (storage.data_version(connection), len(storage.versions(connection)))
        digest = storage.content_digest(connection)
        storage.save_route(connection, TEA, author="张三")
        assert (storage.data_version(connection), len(storage.versions(connection))) == before
        assert storage.content_digest(connection) == digest
        assert storage.get_meta(connection, "origin") == storage.ORIGIN_SEED
        assert storage.backups(path) == []  # no backup rotated for a route
        fewer = storage.read_table(connection, "sources").iloc[:1]
        storage.replace_tables(connection, {"sources": fewer})
        storage.rollback(connection, storage.versions(connection)[-1].id)
        assert [saved.route for saved in storage.routes(connection)] == [TEA]


def test_a_schema_3_database_gains_the_routes_table(tmp_path: Path, regions: Regions) -> None:
    path = tmp_path / "db.sqlite"
    synthetic.install(path, regions)
    with storage.opened(path) as connection, connection:
        connection.execute("DROP TABLE routes")
        connection.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    before = raw_rows(path)
    with storage.opened(path) as connection:
        assert storage.routes(connection) == []  # read before the upgrade: nothing, no error
        assert storage.upgrade(connection, regions)
        assert storage.schema_version(connection) == 4
        storage.save_route(connection, TEA, author="张三")
        assert [saved.route for saved in storage.routes(connection)] == [TEA]
    assert raw_rows(path) == before
    (backup,) = storage.backups(path)
    assert backup.name.endswith("-schema3.sqlite")


def test_in_english_a_database_failure_says_what_is_wrong_and_what_to_do(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    from landmarks import i18n

    path = installed(tmp_path, regions)
    with storage.opened(path) as connection, i18n.language(i18n.ENGLISH):
        shown = storage.data_version(connection)
        storage.replace_tables(connection, {"sources": tables["sources"].iloc[:2]})
        with pytest.raises(storage.StorageError) as caught:
            storage.replace_tables(connection, {"sources": tables["sources"]}, base_version=shown)
    assert caught.value.message == "Someone else has changed the data; this save was not written"
    assert caught.value.hint == "Reload the page and edit or import again on the latest data"
    assert str(caught.value) == f"{caught.value.message}. {caught.value.hint}"


def test_a_copy_that_cannot_be_opened_closes_the_source_connection(
    tmp_path: Path, regions: Regions, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = installed(tmp_path, regions)
    opened: list[sqlite3.Connection] = []
    connect = sqlite3.connect

    def failing_for_the_copy(target, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(target).endswith(backups.PART_SUFFIX):
            raise sqlite3.OperationalError("unable to open database file")
        connection = connect(target, *args, **kwargs)
        opened.append(connection)
        return connection

    monkeypatch.setattr(backups.sqlite3, "connect", failing_for_the_copy)
    with pytest.raises(storage.StorageError):
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
    with storage.opened(path) as connection:
        storage.replace_tables(connection, {"sources": tables["sources"].iloc[:3]})
    unlink = Path.unlink

    def refusing(self: Path, missing_ok: bool = False) -> None:
        if self.parent == tmp_path / "backups" and self.suffix == ".sqlite":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", refusing)
    with storage.opened(path) as connection:
        storage.replace_tables(connection, {"sources": tables["sources"].iloc[:2]})
        assert len(storage.read_tables(connection)["sources"]) == 2  # the write landed
    assert len(storage.backups(path)) == 2  # the old one stays until a later write
    assert "could not delete the old backup" in caplog.text


def test_storage_re_exports_only_what_the_app_uses() -> None:
    """Each name ``storage`` re-exports has a user in the app (pages, ui, the command
    line, other modules); the others are imported from their own modules.  A few are
    kept for the page and browser tests, which know them as ``storage.*``."""
    import re

    root = Path(__file__).resolve().parents[2]
    sources = [
        path.read_text(encoding="utf-8")
        for path in [*(root / "landmarks").rglob("*.py"), *(root / "pages").rglob("*.py")]
        if path.name != "storage.py"
    ]
    for_tests = {"DB_ENV_VARIABLE", "ERROR_BUSY", "backup_folder", "backups"}
    unused = [
        name
        for name in storage.__all__
        if name not in for_tests
        and not any(re.search(rf"\bstorage\.{name}\b", text) for text in sources)
    ]
    assert unused == []


def test_one_definition_of_the_errors_that_refuse_writes() -> None:
    from landmarks.data import failures, locations

    assert not hasattr(failures, "_REFUSED") and not hasattr(locations, "_REFUSED")
    assert failures.error_kind(PermissionError(errno.EACCES, "denied")) == "read_only"
    assert failures.error_kind(OSError(errno.EIO, "broken")) == "unwritable"
