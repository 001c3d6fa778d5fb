"""数据管理: viewers read and download only; editors log in to import, edit and roll back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from landmarks.data import history, store
from landmarks.data.accounts import EditorSession, hash_password
from landmarks.data.bounds import MAX_XLSX_BYTES
from landmarks.data.regions import Regions
from landmarks.data.store import sign_ins
from landmarks.data.throttle import CLIENT_POLICY
from landmarks.ui import auth
from landmarks.ui.auth import SESSION_KEY
from tests import synthetic
from tests.helpers import APP_FILE

PASSWORD = "湖北地标-2026"
WRITE_TABS = {"导入数据", "在线编辑"}
WRITE_BUTTONS = ("导入", "保存修改", "回滚")


@pytest.fixture(scope="module")
def editors() -> dict[str, Any]:
    return {"wang": {"name": "王编辑", "password_hash": hash_password(PASSWORD)}}


@pytest.fixture
def data(db_path: Path, regions: Regions) -> dict[str, pd.DataFrame]:
    tables = synthetic.install(db_path, regions)
    return tables


def open_page(
    secrets: dict[str, Any] | None = None,
    session: dict[str, Any] | None = None,
    params: dict[str, str] | None = None,
) -> AppTest:
    at = AppTest.from_file(APP_FILE, default_timeout=90)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.run()
    at.switch_page("pages/data.py")
    for key, value in (session or {}).items():
        at.session_state[key] = value
    at.query_params = dict(params or {})
    at.run()
    assert not at.exception, at.exception
    return at


def tab_labels(at: AppTest) -> list[str]:
    return [tab.label for tab in at.tabs]


def write_controls(at: AppTest) -> list[str]:
    buttons = [b.label for b in at.button if any(w in b.label for w in WRITE_BUTTONS)]
    editors = [e for e in at.get("arrow_data_frame") if getattr(e.proto, "editing_mode", 0)]
    uploads = at.get("file_uploader")
    return buttons + [f"editor {e}" for e in editors] + [f"upload {u}" for u in uploads]


def log_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button(key="FormSubmitter:editor_login-登录").click()
    return at.run()


@pytest.mark.usefixtures("data")
def test_a_viewer_reads_and_downloads_but_sees_no_write_control() -> None:
    at = open_page()
    assert tab_labels(at) == ["模板下载", "版本记录", "完整导出"]
    assert write_controls(at) == []
    assert any("尚未配置编辑账号" in c.value for c in at.caption)
    assert [e.label for e in at.expander] == ["如何创建编辑账号"]
    downloads = {b.proto.label for b in at.get("download_button")}
    assert {"地理标志产品模板", "产值模板", "GeoPackage（WGS-84）"} <= downloads


@pytest.mark.usefixtures("data")
@pytest.mark.parametrize(
    "session",
    [
        {SESSION_KEY: "wang"},
        {SESSION_KEY: {"account": "wang", "started": "2026-11-25"}},
        {"editor": True, "is_editor": True, "role": "editor"},
    ],
)
def test_forged_session_state_or_urls_do_not_make_an_editor(
    editors: dict[str, Any], session: dict[str, Any]
) -> None:
    at = open_page({"editors": editors}, session=session, params={"tab": "导入数据", "edit": "1"})
    assert WRITE_TABS.isdisjoint(tab_labels(at))
    assert write_controls(at) == []


@pytest.mark.usefixtures("data")
def test_a_wrong_password_is_refused_and_a_right_one_opens_the_write_tabs(
    editors: dict[str, Any],
) -> None:
    at = log_in(open_page({"editors": editors}), "wang", "guess-guess")
    assert any("用户名或密码不正确" in e.value for e in at.error)
    assert WRITE_TABS.isdisjoint(tab_labels(at))
    at = log_in(at, "wang", PASSWORD)
    assert set(tab_labels(at)) >= WRITE_TABS
    assert any("王编辑" in c.value for c in at.caption)


@pytest.mark.usefixtures("data")
def test_a_throttled_login_is_refused_with_the_wait_and_recorded(
    editors: dict[str, Any], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a stopped clock: the page's reruns between attempts take longer than the wait
    stopped = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    monkeypatch.setattr(auth, "_now", lambda: stopped)
    at = open_page({"editors": editors})
    for _ in range(CLIENT_POLICY.free):
        at = log_in(at, "wang", "guess-guess")
    at = log_in(at, "wang", PASSWORD)  # right, but too soon: not even checked
    assert [e.value for e in at.error] == ["登录失败次数过多，请 2 秒后再试"]
    assert WRITE_TABS.isdisjoint(tab_labels(at))
    assert at.text_input[1].value == ""  # the password is not kept
    with sign_ins.opened_store(db_path) as sign_in_store:
        outcomes = [entry.outcome for entry in sign_in_store.log_entries()]
        assert outcomes == ["throttled"] + ["failure"] * CLIENT_POLICY.free
        sign_in_store.unlock(client="127.0.0.1")  # what the operator's unlock command does
    at = log_in(at, "wang", PASSWORD)
    assert set(tab_labels(at)) >= WRITE_TABS


@pytest.mark.usefixtures("data")
@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (store.ERROR_UNWRITABLE, "数据库当前只能读取，不能写入，编辑功能已关闭，因此无法登录"),
        (store.ERROR_BUSY, "暂时无法登录：本次登录尝试无法记入数据库"),
    ],
)
def test_a_login_that_cannot_be_recorded_is_refused_with_the_reason(
    editors: dict[str, Any], monkeypatch: pytest.MonkeyPatch, kind: str, expected: str
) -> None:
    def unavailable(path: Path) -> Any:
        raise store.StorageError(kind, "数据库文件 x 无法写入", "请检查")

    monkeypatch.setattr(auth, "opened_store", unavailable)
    at = log_in(open_page({"editors": editors}), "wang", PASSWORD)
    assert not at.exception
    assert len(at.error) == 1 and at.error[0].value.startswith(expected)
    assert "数据库文件 x 无法写入" in at.error[0].value
    assert WRITE_TABS.isdisjoint(tab_labels(at))


def test_an_editor_rolls_back_to_an_earlier_version(
    editors: dict[str, Any], data: dict[str, pd.DataFrame], db_path: Path
) -> None:
    with store.opened(db_path) as db:
        before = db.content_digest()
        first = history.versions(db)[0].id
        fewer = data["products"].iloc[1:]
        history.write_edit(db, {"products": fewer}, author="测试", base_version=None)
        assert db.content_digest() != before
    at = log_in(open_page({"editors": editors}), "wang", PASSWORD)
    at.selectbox(key="version_chosen").select(first).run()
    assert any(t.value.startswith("当前数据相对版本") for t in at.caption)
    at.checkbox(key="rollback_agreed").check().run()
    at.button(key="rollback").click().run()
    assert not at.exception
    # said once, above the tabs: not inside the import tab, which runs first
    assert not [s for tab in at.tabs for s in tab.success]
    with store.opened(db_path) as db:
        assert db.content_digest() == before
        newest = history.versions(db)[0]
    # Said plainly: it worked, what the data are now, and that it is a version itself.
    assert [s.value for s in at.main.success] == [
        f"回滚成功：当前数据已恢复为版本 {first} 的内容"
        f"（记为新的数据版本 {newest.id}，可再回滚撤销）。"
    ]
    assert newest.action == store.ACTION_ROLLBACK and newest.author == "王编辑"


def test_a_viewer_cannot_roll_back(data: dict[str, pd.DataFrame], db_path: Path) -> None:
    with store.opened(db_path) as db:
        history.write_edit(
            db, {"products": data["products"].iloc[1:]}, author="测试", base_version=None
        )
        first = history.versions(db)[-1].id
    at = open_page()
    at.selectbox(key="version_chosen").select(first).run()
    assert write_controls(at) == []
    assert not [c for c in at.checkbox if c.key == "rollback_agreed"]


def test_an_expired_session_is_logged_out(
    editors: dict[str, Any], data: dict[str, pd.DataFrame]
) -> None:
    at = log_in(open_page({"editors": editors}), "wang", PASSWORD)
    session = at.session_state[SESSION_KEY]
    assert isinstance(session, EditorSession)
    stale = EditorSession(
        session.account, session.started.replace(year=2020), session.started.replace(year=2020)
    )
    at.session_state[SESSION_KEY] = stale
    at.run()
    assert WRITE_TABS.isdisjoint(tab_labels(at))
    assert any("登录已超时" in w.value for w in at.warning)


def test_the_excel_export_is_refused_on_the_page_when_text_would_be_cut(
    data: dict[str, pd.DataFrame], db_path: Path
) -> None:
    data["products"].loc[1, "note"] = "长" * 40_000
    with store.opened(db_path) as db:
        db.write_tables(data)
    at = open_page()
    warnings = [w.value for w in at.warning]
    assert any(
        w.startswith("Excel 单元格最多容纳 32,767 个字符，地理标志产品表第 3 行的“备注”更长")
        for w in warnings
    ), warnings
    buttons = {b.proto.label: b.proto.disabled for b in at.get("download_button")}
    assert buttons["Excel 工作簿（每个数据表一个工作表，可再导入）"] is True
    assert buttons["CSV 文件压缩包（UTF-8，可再导入）"] is False


@pytest.mark.usefixtures("data")
def test_the_uploader_names_the_import_limit_whatever_config_the_server_found(
    editors: dict[str, Any],
) -> None:
    """A server started from another folder finds no .streamlit/config.toml, and
    Streamlit's default (200 MB) was shown under the uploader (issue 20)."""
    previous = config.get_option("server.maxUploadSize")
    config.set_option("server.maxUploadSize", 200)
    try:
        at = log_in(open_page({"editors": editors}), "wang", PASSWORD)
        (upload,) = at.get("file_uploader")
        assert upload.proto.max_upload_size_mb == MAX_XLSX_BYTES // 1024**2 == 20
    finally:
        config.set_option("server.maxUploadSize", previous)


def test_versions_are_compared_once_per_data_version_not_on_every_rerun(
    data: dict[str, pd.DataFrame], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Comparing the data with a version reads and compares every table; each rerun of
    the data page (and the run right after an import) did it again."""
    calls: list[int] = []
    compare = history.changes_since

    def counted(db: Any, version_id: int) -> Any:
        calls.append(version_id)
        return compare(db, version_id)

    monkeypatch.setattr(history, "changes_since", counted)
    at = open_page()
    at.run()
    at.run()
    assert len(calls) == 1
    with store.opened(db_path) as db:  # an import by another session
        history.write_edit(
            db, {"products": data["products"].iloc[1:]}, author="测试", base_version=None
        )
    at.run()
    at.run()
    assert len(calls) == 2  # once for the new data version
