"""The data page's panels: templates, import, editing, versions and rollback, export.

Write controls are drawn only for a logged-in editor, and every write asks
``auth.current_editor()`` again right before writing: a viewer can reach none of them,
whatever the URL or the session state says.  Every write goes through the same checks
as a file import and lands as one version, or not at all.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, cast

import streamlit as st

from landmarks.data import dump, history, storage
from landmarks.data.accounts import Account
from landmarks.data.columns import INPUT_COLUMNS, TABLE_LABELS, table_as_input, with_headers
from landmarks.data.coords import DATUM_LABELS, DATUM_WGS84
from landmarks.data.imports import (
    MODE_APPEND,
    MODE_LABELS,
    ImportRejectedError,
    ImportReport,
    Mode,
    check_import,
    readable_problems,
    report_xlsx,
)
from landmarks.data.reading import ReadError, read_upload, table_from_frame
from landmarks.data.templates import template_name, template_xlsx
from landmarks.ui import auth
from landmarks.ui import data as ui_data

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_REPORT_KEY = "data_import_report"
_EDIT_KEY = "data_editor_table"
_DONE_KEY = "data_write_done"
_FAILED_KEY = "data_write_failed"


def _table_choice(label: str, key: str, tables: tuple[str, ...] = tuple(INPUT_COLUMNS)) -> str:
    return str(st.selectbox(label, tables, format_func=lambda table: TABLE_LABELS[table], key=key))


@st.cache_data(show_spinner=False)
def _template(table: str) -> bytes:
    return template_xlsx(table)


def templates_panel() -> None:
    st.markdown("每张表一个 Excel 模板：第一行是列名，带下拉选项；“填写说明”工作表解释每一列。")
    row = st.container(horizontal=True)
    for table in INPUT_COLUMNS:
        row.download_button(
            f"{TABLE_LABELS[table]}模板",
            data=_template(table),
            file_name=template_name(table),
            mime=XLSX_MIME,
            key=f"template_{table}",
            icon=":material/download:",
        )


def _show_done() -> None:
    """The outcome of the last write (set by ``_write``, which runs as a callback)."""
    done = st.session_state.pop(_DONE_KEY, None)
    if done:
        st.success(done)
    failed = st.session_state.pop(_FAILED_KEY, None)
    if failed:
        st.error(failed[0])
        if failed[1]:
            st.info(failed[1])


def _write(action: Any, success: str) -> None:
    """Run a write as the logged-in editor (a button callback: it runs before the page is
    drawn again, so the page shows the new data); failures are said in Chinese."""
    editor = auth.current_editor()
    if editor is None:  # logged out or timed out since the page was drawn
        st.session_state[_FAILED_KEY] = ("请先以编辑身份登录，数据未改动。", "")
        return
    try:
        with storage.opened(ui_data.db_path()) as connection:
            version = action(connection, editor)
    except ImportRejectedError as error:
        st.session_state[_FAILED_KEY] = (str(error), "")
        return
    except storage.StorageError as error:
        st.session_state[_FAILED_KEY] = (error.message, error.hint)
        return
    st.session_state[_DONE_KEY] = f"{success}（数据版本 {version}）"
    st.session_state.pop(_REPORT_KEY, None)


def _report_for(
    content: bytes, file_name: str, table: str, datum: str, mode: Mode, data: ui_data.Tables
) -> ImportReport | str:
    """The check of an upload (kept while the same file and choices stay), or the reason
    the file cannot be read."""
    key = (hashlib.sha256(content).hexdigest(), table, datum, mode, data.version)
    kept = st.session_state.get(_REPORT_KEY)
    if kept is not None and kept[0] == key:
        return kept[1]  # type: ignore[no-any-return]
    try:
        raw = read_upload(content, file_name, table=table)
    except ReadError as error:
        return str(error)
    report = check_import(
        raw, table, regions=ui_data.regions(), current=data.stored(), datum=datum, mode=mode
    )
    st.session_state[_REPORT_KEY] = (key, report)
    return report


def _show_report(report: ImportReport) -> None:
    (st.success if report.ok else st.warning)(report.summary())
    for note in report.notes:
        st.caption(note)
    if not report.problems.empty:
        st.dataframe(readable_problems(report), hide_index=True, width="stretch")
        st.download_button(
            "下载问题清单（Excel）",
            data=report_xlsx(report),
            file_name=f"导入检查报告_{report.file_name}.xlsx",
            mime=XLSX_MIME,
            icon=":material/download:",
        )


def import_panel(editor: Account, data: ui_data.Tables) -> None:
    _show_done()
    left, middle, right = st.columns(3)
    with left:
        table = _table_choice("导入到", "import_table")
    with middle:
        datum = str(
            st.selectbox(
                "文件中经纬度的坐标系",
                list(DATUM_LABELS),
                format_func=DATUM_LABELS.__getitem__,
                key="import_datum",
            )
        )
    with right:
        mode: Mode = cast(
            "Mode",
            st.radio(
                "方式",
                list(MODE_LABELS),
                format_func=MODE_LABELS.__getitem__,
                key="import_mode",
                index=list(MODE_LABELS).index(MODE_APPEND),
            ),
        )
    upload = st.file_uploader(
        "选择 Excel（.xlsx）或 CSV 文件",
        type=["xlsx", "csv"],
        key="import_file",
        help="CSV 可为 UTF-8 或 GBK 编码；Excel 可带标题行和合并单元格的表头。上限 50 MB。",
    )
    if upload is None:
        return
    content = upload.getvalue()
    found = _report_for(content, upload.name, table, datum, mode, data)
    if isinstance(found, str):
        st.error(found)
        return
    _show_report(found)
    if found.file_problem or not found.rows_valid:
        return

    def land(valid_only: bool) -> Any:
        return lambda connection, who: history.import_report(
            connection, found, author=who.display_name, content=content, valid_only=valid_only
        )

    if found.ok:
        st.button(
            f"导入 {found.rows_total} 行",
            type="primary",
            key="import_all",
            on_click=_write,
            args=(land(False), f"已导入“{found.file_name}”"),
        )
        return
    agreed = st.checkbox(
        f"我已了解：只导入无误的 {found.rows_valid} 行，"
        f"有问题的 {found.rows_with_problems} 行不导入",
        key="import_valid_only_agreed",
    )
    st.button(
        f"只导入无误的 {found.rows_valid} 行",
        disabled=not agreed,
        key="import_valid_only",
        on_click=_write,
        args=(land(True), f"已导入“{found.file_name}”中无误的 {found.rows_valid} 行"),
    )


def edit_panel(editor: Account, data: ui_data.Tables) -> None:
    _show_done()
    table = _table_choice("编辑哪张表", "edit_table")
    stored = data.stored()
    shown = with_headers(table_as_input(table, stored[table], ui_data.regions()), table)
    st.caption(
        "直接修改单元格，或在表末尾添加、勾选删除行；保存时按导入的同样规则检查，"
        "有问题则不保存。保存后成为一个新的数据版本，可随时回滚。"
    )
    edited = st.data_editor(
        shown.astype(str).replace({"nan": "", "<NA>": "", "None": ""}),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=f"{_EDIT_KEY}_{table}_{data.version}",
    )
    note = st.text_input("修改说明（可选）", key="edit_note")
    if not st.button("保存修改", type="primary", key="edit_save"):
        return
    report = check_import(
        table_from_frame(edited),
        table,
        regions=ui_data.regions(),
        current={**stored, table: stored[table].iloc[0:0]},
        datum=DATUM_WGS84,
        mode=MODE_APPEND,
    )
    if not report.ok or report.prepared is None:
        _show_report(report)
        st.error("修改未保存：请按上表改正后再保存。")
        return
    prepared = report.prepared
    _write(
        lambda connection, who: history.write_edit(
            connection,
            {table: prepared},
            author=who.display_name,
            base_version=data.version,
            note=note,
        ),
        f"已保存对{TABLE_LABELS[table]}表的修改",
    )
    st.rerun()  # show the saved data (or why it was not saved) from the top


def versions_panel(editor: Account | None) -> None:
    _show_done()
    with storage.opened(ui_data.db_path()) as connection:
        found = history.versions(connection)
    if not found:
        st.info("还没有数据版本。")
        return
    st.dataframe(history.versions_frame(found), hide_index=True, width="stretch")
    ids = [version.id for version in found]
    chosen = int(
        st.selectbox(
            "查看某个版本与当前数据的差异",
            ids,
            format_func=lambda v: f"版本 {v}",
            key="version_chosen",
        )
    )
    with storage.opened(ui_data.db_path()) as connection:
        differences = history.changes_frame(history.changes_since(connection, chosen))
    if differences.empty:
        st.caption(f"当前数据与版本 {chosen} 完全相同。")
    else:
        st.caption(f"当前数据相对版本 {chosen} 的变化（回滚到版本 {chosen} 会撤销这些变化）：")
        st.dataframe(differences, hide_index=True, width="stretch")
    if editor is None or chosen == ids[0] or differences.empty:
        return
    agreed = st.checkbox(
        f"确认回滚到版本 {chosen}：撤销上表中的 {len(differences)} 处变化"
        "（回滚本身也是一个版本，可再撤销）",
        key="rollback_agreed",
    )
    st.button(
        f"回滚到版本 {chosen}",
        disabled=not agreed,
        key="rollback",
        on_click=_write,
        args=(
            lambda connection, who: history.rollback(connection, chosen, author=who.display_name),
            f"已回滚到版本 {chosen}",
        ),
    )


_WRITERS = {
    "xlsx": dump.to_xlsx,
    "csv": dump.to_csv_zip,
    "geojson": dump.to_geojson,
    "gpkg": dump.to_geopackage,
}


def _export(kind: str, path: str, version: int) -> bytes:
    with storage.opened(Path(path)) as connection:
        tables = storage.read_tables(connection)
    return _WRITERS[kind](tables, ui_data.regions())


def export_panel(data: ui_data.Tables) -> None:
    st.markdown(
        "导出数据库的全部数据。Excel 和 CSV 的列与导入模板相同，可原样再导入；"
        "GeoJSON 和 GeoPackage 为 WGS-84 坐标，供 GIS 软件使用。"
    )
    now = datetime.now(UTC) + timedelta(hours=8)  # file names in Beijing time
    row = st.container(horizontal=True)
    for kind, found in dump.FORMATS.items():
        row.download_button(
            found.label,
            data=partial(_export, kind, str(ui_data.db_path()), data.version),
            file_name=dump.export_file_name(kind, now),
            mime=found.mime,
            on_click="ignore",
            key=f"export_{kind}",
            icon=":material/download:",
        )
