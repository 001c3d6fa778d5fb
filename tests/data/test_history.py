"""Versions: every write is one (who, when, file and SHA-256, rows added/changed/removed),
any version can be compared with the current data and rolled back, exactly."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from landmarks import i18n
from landmarks.data import history, store
from landmarks.data.changes import TableCounts, compare
from landmarks.data.imports import MODE_APPEND, ImportRejectedError, ImportReport, check_import
from landmarks.data.reading import read_upload
from landmarks.data.regions import Regions
from landmarks.data.store import errors, postgres
from tests import synthetic

CSV_HEADER = "产品名称,品类,所属市州,所属县市区,登记年份,可信度,来源类型"


def state(target: str) -> tuple[str, list[int], int, str]:
    """What a refused write must leave alone: the content, the versions, the data version,
    and on SQLite the file's every byte."""
    with store.opened(target) as db:
        found = db.content_digest(), [v.id for v in db.versions()], db.data_version()
    in_file = (
        "" if postgres.is_url(target) else hashlib.sha256(Path(target).read_bytes()).hexdigest()
    )
    return (*found, in_file)


@pytest.fixture
def path(db_target: str, regions: Regions) -> str:
    """A database (on each backend) whose first version is the synthetic tables,
    imported from a file."""
    path = db_target
    with store.opened(path) as db:
        history.write_import(
            db,
            synthetic.frames(regions),
            author="张三",
            file_name="普查.xlsx",
            content=b"the first file",
        )
    return path


def edited(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """One product's note changed, the zone removed, a site added."""
    products = tables["products"].copy()
    products.loc[products["name"] == "秭归脐橙", "note"] = "县局核实"
    site = tables["sites"].iloc[[0]].assign(name="秭归脐橙驿站", site_type="休闲驿站")
    return {
        "products": products,
        "zones": tables["zones"].iloc[0:0],
        "sites": pd.concat([tables["sites"], site], ignore_index=True),
    }


def test_every_write_is_a_version_saying_who_when_what_and_how_many_rows(path: str) -> None:
    with store.opened(path) as db:
        base = db.data_version()
        second = history.write_edit(db, edited(db.read_tables()), author="李四", base_version=base)
        newest, first = history.versions(db)
    assert (first.id, newest.id) == (1, second) == (1, 2)
    assert (first.author, first.action, first.file_name) == ("张三", "导入", "普查.xlsx")
    assert first.file_sha256 == hashlib.sha256(b"the first file").hexdigest()
    assert first.counts["products"] == TableCounts(added=13)
    assert (newest.author, newest.action, newest.file_name) == ("李四", "编辑", "")
    when = datetime.fromisoformat(newest.created_at)
    assert when.tzinfo == UTC and abs((datetime.now(UTC) - when).total_seconds()) < 60
    assert newest.counts == {
        "products": TableCounts(changed=1),
        "zones": TableCounts(removed=1),
        "sites": TableCounts(added=1),
        "outputs": TableCounts(),
        "sources": TableCounts(),
        "registrations": TableCounts(),
    }
    assert history.counts_text(newest) == "地理标志产品 修改1；示范区 删除1；地标+文旅站点 新增1"
    shown = history.versions_frame([newest, first])
    assert list(shown.columns) == list(history.VERSION_HEADERS.values())
    assert shown["操作"].tolist() == ["编辑", "导入"]


def test_a_version_shows_what_it_changed_and_how_it_differs_from_now(path: str) -> None:
    with store.opened(path) as db:
        history.write_edit(db, edited(db.read_tables()), author="李四", base_version=None)
        made = history.changes_frame(history.changes_made(db, 2))
        since_first = history.changes_frame(history.changes_since(db, 1))
        since_now = history.changes_frame(history.changes_since(db, 2))
    assert list(made.columns) == ["数据表", "变化", "记录", "字段", "原值", "现值"]
    assert made.values.tolist() == [
        ["地理标志产品", "修改", "秭归脐橙", "备注", synthetic.PRODUCTS[0][6], "县局核实"],
        ["示范区", "删除", "秭归脐橙国家地理标志产品保护示范区", "", "", ""],
        ["地标+文旅站点", "新增", "秭归脐橙驿站", "", "", ""],
    ]
    assert since_first.values.tolist() == made.values.tolist()
    assert since_now.empty
    with store.opened(path) as db:
        first = history.changes_made(db, 1)
    assert first["products"].counts == TableCounts(added=13)


def test_rollback_restores_the_exact_earlier_content_as_a_new_version(path: str) -> None:
    with store.opened(path) as db:
        original = db.read_tables()
        digest = db.content_digest()
        history.write_edit(db, edited(original), author="李四", base_version=None)
        history.write_edit(
            db, {"outputs": original["outputs"].iloc[:1]}, author="李四", base_version=None
        )
        assert db.content_digest() != digest
        third = db.read_tables()
        third_digest = db.content_digest()
        restored = history.rollback(db, 1, author="王五")
        assert db.content_digest() == digest  # the exact content of version 1
        for table, frame in db.snapshot(1).items():  # version 1 as kept in the history
            pd.testing.assert_frame_equal(frame, original[table])
        for table, frame in db.read_tables().items():
            pd.testing.assert_frame_equal(frame, original[table])
        newest = history.versions(db)[0]
        assert restored == newest.id == 4
        assert (newest.action, newest.author, newest.note) == ("回滚", "王五", "回滚到第 1 版")
        assert newest.counts["outputs"] == TableCounts(added=len(original["outputs"]) - 1)
        # Rolling back the rollback brings the edits back.
        history.rollback(db, 3, author="王五")
        assert len(db.read_table("outputs")) == 1
        assert db.content_digest() == third_digest
        for table, frame in db.snapshot(3).items():
            pd.testing.assert_frame_equal(frame, third[table])
        with pytest.raises(KeyError):
            history.rollback(db, 99, author="王五")
        assert db.versions()[0].id == 5


def test_an_edit_of_data_another_session_changed_meanwhile_writes_nothing(
    path: str, tables: dict[str, pd.DataFrame]
) -> None:
    with store.opened(path) as db:
        shown = db.data_version()
        history.write_edit(db, edited(tables), author="李四", base_version=shown)
    before = state(path)
    with store.opened(path) as db:
        with pytest.raises(store.StorageError) as caught:
            history.write_edit(db, {"sites": tables["sites"]}, author="王五", base_version=shown)
        assert len(history.versions(db)) == 2
    assert caught.value.kind == errors.ERROR_STALE
    assert caught.value.hint == "请刷新页面，在最新的数据上重新编辑或导入"
    assert state(path) == before


def checked_file(
    name: str, regions: Regions, current: dict[str, pd.DataFrame]
) -> tuple[ImportReport, bytes]:
    content = f"{CSV_HEADER}\n{name},茶叶,宜昌市,秭归县,2015,高,官方发布\n".encode("gb18030")
    raw = read_upload(content, f"{name}.csv", table="products")
    report = check_import(raw, "products", regions=regions, current=current, mode=MODE_APPEND)
    assert report.ok, report.problems
    return report, content


def test_two_files_checked_at_once_are_imported_at_once_and_both_land(
    path: str, regions: Regions
) -> None:
    with store.opened(path) as db:
        current = db.read_tables()
    files = {  # both checked against the same data, as two sessions would
        author: checked_file(name, regions, current)
        for author, name in (("甲", "屈乡丝棉茶"), ("乙", "秭归桃叶橙茶"))
    }
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def session(author: str) -> None:
        report, content = files[author]
        start.wait()
        try:
            with store.opened(path) as db:
                history.import_report(db, report, author=author, content=content)
        except BaseException as error:  # reported to the test
            failures.append(error)

    threads = [threading.Thread(target=session, args=(author,)) for author in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    with store.opened(path) as db:
        names = db.read_table("products")["name"].tolist()
        found = history.versions(db)[:2]
    by_author = {version.author: version for version in found}
    assert set(by_author) == {"甲", "乙"}
    in_order = [version.file_name.removesuffix(".csv") for version in reversed(found)]
    assert names[-2:] == in_order  # each import kept the other's row, in the order written
    for author, (_, content) in files.items():
        assert by_author[author].file_sha256 == hashlib.sha256(content).hexdigest()
        assert by_author[author].counts["products"] == TableCounts(added=1)


def test_a_file_clashing_with_an_import_made_meanwhile_writes_nothing(
    path: str, regions: Regions
) -> None:
    with store.opened(path) as db:
        current = db.read_tables()
    first, content = checked_file("屈乡丝棉茶", regions, current)
    again, _ = checked_file("屈乡丝棉茶", regions, current)
    with store.opened(path) as db:
        history.import_report(db, first, author="甲", content=content)
    before = state(path)
    with (
        store.opened(path) as db,
        pytest.raises(ImportRejectedError, match="已在数据库中"),
    ):
        history.import_report(db, again, author="乙", content=content)
    assert state(path) == before


# Comparing tables ------------------------------------------------------------------------


def test_rows_sharing_a_key_are_matched_in_order_and_missing_values_are_equal() -> None:
    before = pd.DataFrame(
        {
            "subject": ["秭归脐橙", "秭归脐橙", "秭归脐橙"],
            "region": ["秭归县"] * 3,
            "year": pd.array([2020, 2020, None], dtype="Int64"),
            "metric": ["年产值"] * 3,
            "value": [1.0, 2.0, np.nan],
            "note": [None, "", "x"],
        }
    )
    after = before.copy()
    after["note"] = [np.nan, "", "x"]  # None and NaN are both "missing"
    assert compare("outputs", before, after).counts == TableCounts()
    after.loc[1, "value"] = 2.5
    after = pd.concat([after, after.iloc[[0]]], ignore_index=True)  # a third 2020 row
    found = compare("outputs", before, after)
    assert found.counts == TableCounts(added=1, changed=1)
    assert found.changed[["year", "field", "before", "after"]].values.tolist() == [
        [2020, "value", 2.0, 2.5]
    ]
    gone = compare("outputs", after, before.iloc[[0, 1]])
    assert gone.counts == TableCounts(changed=1, removed=2)
    assert gone.removed["year"].isna().tolist() == [True, False]


def test_in_english_versions_and_their_changes_read_in_english(path: str) -> None:
    with store.opened(path) as db:
        history.write_edit(db, edited(db.read_tables()), author="李四", base_version=None)
        history.rollback(db, 1, author="王五")
        with i18n.language(i18n.ENGLISH):
            frame = history.versions_frame(history.versions(db))
            changes = history.changes_frame(history.changes_made(db, 2))
        stored = history.versions(db)[0]
    assert (stored.action, stored.note) == ("回滚", "回滚到第 1 版")  # stored in Chinese
    assert list(frame.columns) == [
        "Version",
        "Time (Beijing time)",
        "By",
        "Action",
        "File",
        "File SHA-256",
        "Note",
        "Changes",
    ]
    assert list(frame["Action"]) == ["Rollback", "Edit", "Import"]
    assert frame["Note"].iloc[0] == "Rolled back to version 1"
    assert frame["Changes"].iloc[0].split("; ")[0].endswith(": changed 1")
    assert "; Source: added 4; " in frame["Changes"].iloc[2]
    assert not frame["Changes"].str.contains(r"[\u4e00-\u9fff]").any()
    assert list(changes.columns) == ["Table", "Changes", "Record", "Field", "Before", "After"]
    assert set(changes["Changes"]) == {"Add", "Delete", "Edit"}


def test_versions_are_listed_in_beijing_time_and_say_so() -> None:
    """The history showed UTC while posters and the data date show Beijing time."""
    version = store.Version(
        id=3,
        created_at="2026-12-07T16:30:05+00:00",
        author="李四",
        action="导入",
        file_name="a.csv",
        file_sha256="",
        note="",
        counts={},
    )
    frame = history.versions_frame([version])
    assert "时间（北京时间）" in frame.columns
    assert frame["时间（北京时间）"].iloc[0] == "2026年12月8日 00:30"
