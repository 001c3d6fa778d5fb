"""Degraded places: a read-only database is browsed, never written; a full disk, an
unwritable backups folder and a busy database each say their own cause and place; a
write that changes nothing leaves no version and no backup; interrupted backups are
cleaned up at the next start.

Read-only and full places are real mounts (``tests/mounts.py``: a private mount
namespace per check), because the tests run as root and permissions do not stop root.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from landmarks.__main__ import main
from landmarks.data import history, locations, store
from landmarks.data.regions import Regions
from landmarks.data.store import errors
from tests import mounts, synthetic

# Run in a child process with the mounts in place; prints what it saw as JSON.
BROWSE_AND_TRY_TO_WRITE = """
import json
from landmarks.data import store
path = store.default_target()
access = store.access(path)
with store.opened(path, read_only=True) as db:
    store.check_browsable(db, access)
    digest = db.content_digest()
    counts = {t: len(db.read_table(t)) for t in store.TABLE_COLUMNS}
refused = []
try:
    store.open_store(path)
except store.StorageError as error:
    refused.append([error.kind, error.message, error.hint])
with store.opened(path, read_only=True) as db:
    fewer = db.read_table("sources").iloc[:1]
    try:
        db.write_tables({"sources": fewer})
    except store.StorageError as error:
        refused.append([error.kind, error.message, error.hint])
print(json.dumps({"reason": access.reason, "digest": digest, "counts": counts,
                  "refused": refused}))
"""


def installed(folder: Path, regions: Regions) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "landmarks.sqlite"
    synthetic.install(path, regions)
    return path


def writable_view(path: Path) -> tuple[str, dict[str, int]]:
    with store.opened(path, read_only=True) as db:
        digest = db.content_digest()
        counts = {t: len(db.read_table(t)) for t in store.TABLE_COLUMNS}
    return digest, counts


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# Read-only places --------------------------------------------------------------------


def test_a_database_in_a_read_only_folder_is_browsed_and_never_written(
    tmp_path: Path, regions: Regions
) -> None:
    folder = tmp_path / "usb-stick"
    path = installed(folder, regions)
    expected = writable_view(path)
    before = files(folder)
    seen = mounts.run_python(
        [mounts.read_only_bind(folder)],
        BROWSE_AND_TRY_TO_WRITE,
        {store.DB_ENV_VARIABLE: str(path)},
    )
    assert seen["reason"] == "folder"  # locations.READ_ONLY_FOLDER
    assert (seen["digest"], seen["counts"]) == (expected[0], expected[1])  # same data
    reason = f"数据库位于只读位置（{folder}），当前为只读模式：可以浏览和下载，不能导入或编辑"
    assert [kind for kind, _, _ in seen["refused"]] == [store.ERROR_READ_ONLY] * 2
    for _, message, hint in seen["refused"]:
        assert message == f"{reason}；本次操作未写入"
        assert "LANDMARKS_DB" in hint and str(folder) in hint
    assert files(folder) == before  # nothing created or changed beside it


def test_a_read_only_database_file_in_a_writable_folder_is_browsed_and_never_written(
    tmp_path: Path, regions: Regions
) -> None:
    folder = tmp_path / "server"
    path = installed(folder, regions)
    expected = writable_view(path)
    content = path.read_bytes()
    seen = mounts.run_python(
        [mounts.read_only_bind(path)],
        BROWSE_AND_TRY_TO_WRITE,
        {store.DB_ENV_VARIABLE: str(path)},
    )
    assert seen["reason"] == "file"  # locations.READ_ONLY_FILE
    assert (seen["digest"], seen["counts"]) == (expected[0], expected[1])
    message = f"数据库文件 {path} 是只读的，当前为只读模式：可以浏览和下载，不能导入或编辑"
    assert [kind for kind, _, _ in seen["refused"]] == [store.ERROR_READ_ONLY] * 2
    assert {refused[1] for refused in seen["refused"]} == {f"{message}；本次操作未写入"}
    assert path.read_bytes() == content
    # SQLite's own shared-memory index of a WAL reader may appear (the folder takes
    # files); nothing of the app's (no backups folder, no journal, no copy) does.
    extra = {p.name for p in folder.iterdir()} - {path.name}
    assert extra <= {f"{path.name}-wal", f"{path.name}-shm"}
    assert not (folder / "backups").exists()


def test_a_read_only_database_that_needs_an_upgrade_says_so(
    tmp_path: Path, regions: Regions
) -> None:
    folder = tmp_path / "old"
    path = installed(folder, regions)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    db.close()
    code = """
import json
from landmarks.data import store
path = store.default_target()
try:
    with store.opened(path, read_only=True) as db:
        store.check_browsable(db, store.access(path))
except store.StorageError as error:
    print(json.dumps([error.kind, error.message, error.hint]))
"""
    kind, message, hint = mounts.run_python(
        [mounts.read_only_bind(folder)], code, {store.DB_ENV_VARIABLE: str(path)}
    )
    assert kind == errors.ERROR_NEEDS_WRITE
    assert message == (
        f"数据库由较早版本的应用创建（结构版本 3），需要升级到版本 {store.SCHEMA_VERSION} "
        f"才能显示，但它位于只读位置：{path}"
    )
    assert "LANDMARKS_DB" in hint


def test_a_database_still_to_be_created_on_read_only_media_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "empty-stick"
    folder.mkdir()
    code = """
import json
from landmarks.data import store
path = store.default_target()
try:
    store.open_store(path, read_only=True)
except store.StorageError as error:
    print(json.dumps([error.kind, error.message, error.hint]))
"""
    path = folder / "landmarks.sqlite"
    kind, message, hint = mounts.run_python(
        [mounts.read_only_bind(folder)], code, {store.DB_ENV_VARIABLE: str(path)}
    )
    assert kind == errors.ERROR_NEEDS_WRITE
    assert message == f"数据库文件还不存在，需要先创建，但它位于只读位置：{path}"
    assert "LANDMARKS_DB" in hint
    assert list(folder.iterdir()) == []


def test_write_access_is_found_by_trying_not_by_permissions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # os.access says "writable" to root on a read-only mount; the probe must not ask it.
    path = tmp_path / "db.sqlite"
    path.write_bytes(b"")
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: True)

    def read_only_media(*args: object, **kwargs: object) -> object:
        raise OSError(30, "Read-only file system")  # EROFS

    monkeypatch.setattr(tempfile, "TemporaryFile", read_only_media)
    assert locations.write_access(path).reason == "folder"
    assert "immutable=1" in locations.write_access(path).read_only_uri
    monkeypatch.undo()
    assert locations.write_access(path).writable
    assert list(tmp_path.iterdir()) == [path]  # the probes left nothing


# Full disks, unwritable backups, a busy database -------------------------------------

FILL_THE_DATABASE = """
import json, shutil
import pandas as pd
from landmarks.data import store
path = store.default_target()
shutil.copy(path.parent.parent / "original.sqlite", path)
with store.opened(path) as db:
    products = db.read_table("products")
    many = pd.concat([products] * 400, ignore_index=True)
    many["name"] = [f"新品{i}" for i in range(len(many))]
    try:
        db.write_tables({"products": many})
    except store.StorageError as error:
        print(json.dumps([error.kind, error.message, error.hint]))
"""

# A small write (one source left) whose failure, if any, is printed as [kind, message, hint].
SHRINK_SOURCES = """
import json
from landmarks.data import store
with store.opened(store.default_target()) as db:
    fewer = db.read_table("sources").iloc[:1]
    try:
        db.write_tables({"sources": fewer})
    except store.StorageError as error:
        print(json.dumps([error.kind, error.message, error.hint]))
"""


# Copies the database onto the (tiny) disk mounted at the folder, fills the rest of the
# disk, then browses and tries to write as BROWSE_AND_TRY_TO_WRITE does.
FILL_THE_DISK_THEN_BROWSE = (
    """
import shutil, sys
from pathlib import Path
from landmarks.data import store
path = store.default_target()
shutil.copyfile(path.parent.parent / "original.sqlite", path)
try:
    with open(path.parent / "filler", "wb") as filler:
        while True:
            filler.write(bytes(65536))
except OSError:
    pass
"""
    + BROWSE_AND_TRY_TO_WRITE
)


def test_a_database_on_a_full_disk_is_browsed_and_says_the_disk_is_full(
    tmp_path: Path, regions: Regions
) -> None:
    original = installed(tmp_path, regions).rename(tmp_path / "original.sqlite")
    expected = writable_view(original)
    folder = tmp_path / "full-disk"
    folder.mkdir()
    seen = mounts.run_python(
        [mounts.tiny_tmpfs(folder, original.stat().st_size // 1024 + 512)],
        FILL_THE_DISK_THEN_BROWSE,
        {store.DB_ENV_VARIABLE: str(folder / "landmarks.sqlite")},
    )
    assert seen["reason"] == locations.DISK_FULL
    assert (seen["digest"], seen["counts"]) == (expected[0], expected[1])  # browsed as it is
    reason = f"数据库所在的磁盘已满（{folder}），当前为只读模式：可以浏览和下载，不能导入或编辑"
    assert [kind for kind, _, _ in seen["refused"]] == [store.ERROR_READ_ONLY] * 2
    for _, message, hint in seen["refused"]:
        assert message == f"{reason}；本次操作未写入"
        assert f"清理 {folder} 所在磁盘的空间" in hint


def test_a_full_database_disk_names_the_database_folder(tmp_path: Path, regions: Regions) -> None:
    original = installed(tmp_path, regions).rename(tmp_path / "original.sqlite")
    folder = tmp_path / "small-disk"
    folder.mkdir()
    # Room enough to open it for writing (locations.MIN_FREE_BYTES), not for the write.
    size_kb = original.stat().st_size // 1024 + 2048
    elsewhere = tmp_path / "backups-elsewhere"
    kind, message, hint = mounts.run_python(
        [mounts.tiny_tmpfs(folder, size_kb)],
        FILL_THE_DATABASE,
        {
            store.DB_ENV_VARIABLE: str(folder / "landmarks.sqlite"),
            locations.BACKUP_DIR_ENV_VARIABLE: str(elsewhere),
        },
    )
    assert kind == errors.ERROR_FULL
    assert message == f"数据库所在的磁盘已满（{folder}），数据未写入"
    assert f"清理 {folder} 所在磁盘的空间后重试" in hint
    # The backups live on another disk: deleting them would not help, so not suggested.
    assert "备份" not in hint


def test_a_full_backups_disk_names_the_backups_folder(tmp_path: Path, regions: Regions) -> None:
    path = installed(tmp_path / "data", regions)
    folder = tmp_path / "small-backups"
    folder.mkdir()
    before = path.read_bytes()
    kind, message, hint = mounts.run_python(
        [mounts.tiny_tmpfs(folder, 8)],
        SHRINK_SOURCES,
        {store.DB_ENV_VARIABLE: str(path), locations.BACKUP_DIR_ENV_VARIABLE: str(folder)},
    )
    assert kind == errors.ERROR_FULL
    assert message == f"备份文件夹所在的磁盘已满（{folder}），备份未完成，数据未写入"
    assert "LANDMARKS_BACKUP_DIR" in hint
    assert path.read_bytes() == before


def test_a_read_only_backups_folder_is_not_called_an_unwritable_database(
    tmp_path: Path, regions: Regions
) -> None:
    path = installed(tmp_path / "data", regions)
    folder = tmp_path / "data" / "backups"
    folder.mkdir()
    before = path.read_bytes()
    kind, message, hint = mounts.run_python(
        [mounts.read_only_bind(folder)], SHRINK_SOURCES, {store.DB_ENV_VARIABLE: str(path)}
    )
    assert kind == errors.ERROR_BACKUPS
    assert message == f"无法在备份文件夹 {folder} 中创建备份，数据未写入"
    assert "LANDMARKS_BACKUP_DIR" in hint and "数据库文件" not in message
    assert path.read_bytes() == before
    assert list(folder.iterdir()) == []


def test_a_busy_database_names_the_file_that_is_locked(tmp_path: Path, regions: Regions) -> None:
    path = installed(tmp_path, regions)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with (
            store.opened(path, timeout=0.1) as db,
            pytest.raises(store.StorageError) as caught,
        ):
            db.write_tables({"sources": pd.DataFrame()})
    finally:
        holder.rollback()
        holder.close()
    assert caught.value.kind == store.ERROR_BUSY
    assert str(path) in caught.value.hint and "数据未被改动" in caught.value.hint


# Writes that change nothing ----------------------------------------------------------


def test_an_import_that_changes_nothing_writes_no_version_and_no_backup(
    tmp_path: Path, regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    path = installed(tmp_path, regions)
    with store.opened(path) as db:
        db.write_tables({"sources": tables["sources"].iloc[:2]})
        versions = db.versions()
        kept = store.backups(path)
        for _ in range(3):
            with pytest.raises(store.NothingChangedError) as caught:
                history.write_import(
                    db,
                    {"sources": tables["sources"].iloc[:2]},
                    author="张三",
                    file_name="same.csv",
                    content=b"same",
                )
            assert caught.value.version == versions[0].id
        assert db.versions() == versions
        assert db.data_version() == versions[0].id
    assert store.backups(path) == kept


def test_the_command_line_says_nothing_changed(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "普查.csv"
    file.write_text(
        "产品名称,品类,地理标志类型,所属市州,所属县市区,可信度,来源类型\n"
        "测试茶,茶叶,,宜昌市,秭归县,高,media\n",
        encoding="utf-8",
    )
    assert main(["import", str(file), "--table", "products"]) == 0
    with store.opened(db_path) as db:
        versions = len(db.versions())
    kept = store.backups(db_path)
    capsys.readouterr()
    assert main(["import", str(file), "--table", "products", "--mode", "update"]) == 0
    assert "没有变化" in capsys.readouterr().out
    with store.opened(db_path) as db:
        assert len(db.versions()) == versions
    assert store.backups(db_path) == kept


# Interrupted backups -----------------------------------------------------------------

KILLED_WHILE_BACKING_UP = """
import os
import time
from landmarks.data import store

def stuck(*args):  # the copy is written; the process dies before it is renamed
    print("copied", flush=True)
    time.sleep(600)

os.replace = stuck
with store.opened(store.default_target()) as db:
    fewer = db.read_table("sources").iloc[:1]
    db.write_tables({"sources": fewer})
"""


def test_a_kill_during_a_backup_leaves_only_a_part_file_that_the_next_start_removes(
    tmp_path: Path, regions: Regions
) -> None:
    path = installed(tmp_path, regions)
    before = writable_view(path)
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_WHILE_BACKING_UP],
        env={**os.environ, store.DB_ENV_VARIABLE: str(path)},
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "copied"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    folder = tmp_path / "backups"
    left = sorted(p.name for p in folder.iterdir())
    assert len(left) == 1 and left[0].endswith(f".{child.pid}.part")  # no journal beside it
    assert store.backups(path) == []
    removed = store.remove_leftovers(path)
    assert [p.name for p in removed] == left
    assert list(folder.iterdir()) == []
    with store.opened(path) as db, db.read():
        check = db.connection.exec_driver_sql("PRAGMA integrity_check").fetchone()
    assert tuple(check or ()) == ("ok",)
    assert writable_view(path) == before  # the write never committed


def test_leftovers_of_dead_processes_and_older_releases_are_removed_but_not_live_copies(
    tmp_path: Path,
) -> None:
    db = tmp_path / "landmarks.sqlite"
    folder = tmp_path / "backups"
    folder.mkdir()
    stem = "landmarks-20260101T000000000000Z-v3.sqlite"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    old = [f"{stem}.part", f"{stem}.part-journal", f"{stem}.{dead.pid}.part"]
    live = f"{stem}.{os.getpid()}.part"  # another server process still copying
    kept = "landmarks-20260101T000000000000Z-v2.sqlite"
    for name in [*old, live, kept, "other-20260101T000000000000Z-v1.sqlite.part"]:
        (folder / name).write_bytes(b"x")
    assert sorted(p.name for p in store.remove_leftovers(db)) == sorted(old)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [live, kept, "other-20260101T000000000000Z-v1.sqlite.part"]
    )


def test_a_backup_is_written_without_a_journal_and_renamed_when_complete(
    tmp_path: Path, regions: Regions, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = installed(tmp_path, regions)
    seen: list[str] = []
    real_replace = os.replace

    def watching(source: str | Path, target: str | Path) -> None:
        seen.extend(sorted(p.name for p in Path(source).parent.iterdir()))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", watching)
    with store.opened(path) as db:
        target = db.back_up()
    assert target is not None
    assert seen == [f"{target.name}.{os.getpid()}.part"]  # one file while copying
    assert [p.name for p in target.parent.iterdir()] == [target.name]


@pytest.mark.parametrize("pid", ["9" * 40, "0", "²"])
def test_a_leftover_named_with_no_possible_process_id_is_removed(tmp_path: Path, pid: str) -> None:
    db = tmp_path / "landmarks.sqlite"
    folder = tmp_path / "backups"
    folder.mkdir()
    part = folder / f"landmarks-20260101T000000000000Z-v3.sqlite.{pid}.part"
    part.write_bytes(b"x")
    assert store.remove_leftovers(db) == [part]
    assert list(folder.iterdir()) == []
