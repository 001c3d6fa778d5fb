"""The data page's panels: templates, import, editing, versions and rollback, export.

Write controls are drawn only for a logged-in editor, and every write asks
``auth.current_editor()`` again right before writing: a viewer can reach none of them,
whatever the URL or the session state says.  Every write goes through the same checks
as a file import and lands as one version, or not at all.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from typing import Any, cast

import pandas as pd
import streamlit as st

from landmarks import i18n
from landmarks.data import dump, history, store, times
from landmarks.data.accounts import Account
from landmarks.data.bounds import MAX_CSV_BYTES, MAX_XLSX_BYTES, size_text
from landmarks.data.columns import INPUT_COLUMNS, TABLE_LABELS, table_as_input, with_headers
from landmarks.data.coords import DATUM_LABELS, DATUM_WGS84
from landmarks.data.imports import (
    MODE_APPEND,
    MODE_LABELS,
    MODE_UPDATE,
    PROBLEMS_SHOWN,
    ImportRejectedError,
    ImportReport,
    Mode,
    check_import,
    readable_counts,
    readable_problems,
    report_xlsx,
)
from landmarks.data.reading import ReadError, read_upload, table_from_frame
from landmarks.data.templates import template_name, template_xlsx
from landmarks.i18n import t
from landmarks.ui import auth, browser_values, lost_session
from landmarks.ui import data as ui_data
from landmarks.ui.downloads import in_language
from landmarks.ui.markdown import md_lines

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_REPORT_KEY = "data_import_report"
_EDIT_KEY = "data_editor_table"
_DONE_KEY = "data_write_done"
_FAILED_KEY = "data_write_failed"
_UNCHANGED_KEY = "data_write_unchanged"
_IMPORT_TABLE = "import_table"
_IMPORT_DATUM = "import_datum"
_IMPORT_MODE = "import_mode"
# The import's choices as the browser showed them when a restart lost the editor's login.
_PENDING_IMPORT = "data_pending_import"
_UPLOAD_ROUND = "data_import_upload_round"  # the uploader's key suffix; a new one empties it


def _table_choice(label: str, key: str, tables: tuple[str, ...] = tuple(INPUT_COLUMNS)) -> str:
    return str(
        st.selectbox(label, tables, format_func=lambda table: t(TABLE_LABELS[table]), key=key)
    )


@st.cache_data(show_spinner=False)
def _template(table: str, language: str, region_code: str) -> bytes:
    """The template in ``language`` naming places of the region (``region_code`` keys the
    cache)."""
    with i18n.language(language):
        return template_xlsx(table, ui_data.regions())


def templates_panel() -> None:
    st.markdown(t("每张表一个 Excel 模板：第一行是列名，带下拉选项；“填写说明”工作表解释每一列。"))
    row = st.container(horizontal=True)
    for table in INPUT_COLUMNS:
        row.download_button(
            t("{table}模板", table=t(TABLE_LABELS[table])),
            data=_template(table, i18n.current_language(), ui_data.regions().region.code),
            file_name=template_name(table),
            mime=XLSX_MIME,
            key=f"template_{table}",
            icon=":material/download:",
        )


def show_outcome() -> None:
    """The outcome of the last write (set by ``_write``, which runs as a callback), shown
    once above the tabs: every tab's panel runs on each rerun, and the message belongs
    where the user looks whichever tab the write came from."""
    done = st.session_state.pop(_DONE_KEY, None)
    if done:
        st.success(md_lines(done))
    unchanged = st.session_state.pop(_UNCHANGED_KEY, None)
    if unchanged:
        st.info(md_lines(unchanged))
    failed = st.session_state.pop(_FAILED_KEY, None)
    if failed:
        st.error(md_lines(failed[0]))
        if failed[1]:
            st.info(md_lines(failed[1]))


def _write(
    action: Any, success: str | Callable[[int], str], *, clears_upload: bool = False
) -> None:
    """Run a write as the logged-in editor (a button callback: it runs before the page is
    drawn again, so the page shows the new data); failures are said in Chinese.

    ``success``: the message, or a function of the new version giving it.  With
    ``clears_upload`` (an import) the uploaded file is taken off the page once written,
    so the page shows what was imported, not a check of the same file against the data
    that now holds it."""
    editor = auth.current_editor()
    if editor is None:  # logged out or timed out since the page was drawn
        st.session_state[_FAILED_KEY] = (t("请先以编辑身份登录，数据未改动。"), "")
        return
    try:
        with store.opened(ui_data.db_target()) as db:
            version = action(db, editor)
    except ImportRejectedError as error:
        st.session_state[_FAILED_KEY] = (str(error), "")
        return
    except store.NothingChangedError as unchanged:
        st.session_state[_UNCHANGED_KEY] = t(
            "没有变化：数据与数据库中的完全相同，未写入新版本，也未备份"
            "（数据仍为版本 {version}）。",
            version=unchanged.version,
        )
        st.session_state.pop(_REPORT_KEY, None)
        if clears_upload:
            _clear_upload()
        return
    except store.StorageError as error:
        st.session_state[_FAILED_KEY] = (error.message, error.hint)
        return
    if callable(success):
        st.session_state[_DONE_KEY] = success(version)
    else:
        st.session_state[_DONE_KEY] = t(
            "{done}（数据版本 {version}）", done=success, version=version
        )
    st.session_state.pop(_REPORT_KEY, None)
    if clears_upload:
        _clear_upload()


def _clear_upload() -> None:
    """A new key for the file uploader: the next run draws it empty."""
    st.session_state[_UPLOAD_ROUND] = int(st.session_state.get(_UPLOAD_ROUND, 0)) + 1


def _imported(report: ImportReport, valid_only: bool) -> str:
    """What an import wrote, said once it landed (the version follows)."""
    if report.mode == MODE_UPDATE:
        changes = t(
            "新增 {new} 行、修改 {changed} 行",
            new=report.rows_new,
            changed=report.rows_changed,
        )
    else:
        changes = t("新增 {new} 行", new=report.rows_new)
    if valid_only:
        return t(
            "已导入“{name}”中无误的 {count} 行：{table}表{changes}",
            name=report.file_name,
            count=report.rows_valid,
            table=report.table_label,
            changes=changes,
        )
    return t(
        "已导入“{name}”：{table}表{changes}",
        name=report.file_name,
        table=report.table_label,
        changes=changes,
    )


def _report_for(
    content: bytes, file_name: str, table: str, datum: str, mode: Mode, data: ui_data.Tables
) -> ImportReport | str:
    """The check of an upload (kept while the same file and choices stay), or the reason
    the file cannot be read."""
    key = (
        hashlib.sha256(content).hexdigest(),
        table,
        datum,
        mode,
        data.version,
        i18n.current_language(),  # the report's texts are in the page's language
    )
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
    (st.success if report.ok else st.warning)(md_lines(report.summary()))
    for note in report.notes:
        st.caption(md_lines(note))
    if not report.problems.empty:
        # The first problems one by one, the rest counted: a page never draws a table of
        # a whole bad file; the workbook below holds every problem.
        st.dataframe(
            readable_problems(report).head(PROBLEMS_SHOWN), hide_index=True, width="stretch"
        )
        if len(report.problems) > PROBLEMS_SHOWN:
            st.caption(
                t(
                    "以上是前 {shown} 处问题；其余 {rest} 处按字段统计如下，"
                    "完整清单请下载问题清单。",
                    shown=PROBLEMS_SHOWN,
                    rest=f"{len(report.problems) - PROBLEMS_SHOWN:,}",
                )
            )
            st.dataframe(readable_counts(report), hide_index=True, width="stretch")
        st.download_button(
            t("下载问题清单（Excel）"),
            data=report_xlsx(report),
            file_name=t("导入检查报告_{name}.xlsx", name=report.file_name),
            mime=XLSX_MIME,
            icon=":material/download:",
        )


def keep_import_choices() -> None:
    """After a restart lost the editor's login: keep the import's table, datum and mode
    that the browser still shows, to draw them again after the next login (the uploaded
    file went with the old server process and must be chosen again)."""
    shown = {
        _IMPORT_TABLE: {table: t(TABLE_LABELS[table]) for table in INPUT_COLUMNS},
        _IMPORT_DATUM: {datum: t(label) for datum, label in DATUM_LABELS.items()},
        _IMPORT_MODE: {mode: t(label) for mode, label in MODE_LABELS.items()},
    }
    sent = {key: browser_values.sent_choice(key, labels) for key, labels in shown.items()}
    kept = {key: value for key, value in sent.items() if value is not None}
    if kept:
        st.session_state[_PENDING_IMPORT] = kept


def import_panel(editor: Account, data: ui_data.Tables) -> None:
    st.session_state.update(st.session_state.pop(_PENDING_IMPORT, None) or {})
    left, middle, right = st.columns(3)
    with left:
        table = _table_choice(t("导入到"), _IMPORT_TABLE)
    with middle:
        datum = str(
            st.selectbox(
                t("文件中经纬度的坐标系"),
                list(DATUM_LABELS),
                format_func=lambda datum: t(DATUM_LABELS[datum]),
                key=_IMPORT_DATUM,
            )
        )
    with right:
        mode: Mode = cast(
            "Mode",
            st.radio(
                t("方式"),
                list(MODE_LABELS),
                format_func=lambda mode: t(MODE_LABELS[mode]),
                key=_IMPORT_MODE,
                index=list(MODE_LABELS).index(MODE_APPEND),
            ),
        )
    upload = st.file_uploader(
        t("选择 Excel（.xlsx）或 CSV 文件"),
        type=["xlsx", "csv"],
        key=f"import_file_{st.session_state.get(_UPLOAD_ROUND, 0)}",
        # The largest file the import reads, whatever .streamlit/config.toml the server
        # found (started from another folder it finds none: 200 MB was shown).
        max_upload_size=math.ceil(max(MAX_CSV_BYTES, MAX_XLSX_BYTES) / 1024**2),
        help=t(
            "CSV 可为 UTF-8 或 GBK 编码；Excel 可带标题行和合并单元格的表头。"
            "CSV 文件不超过 {csv}，Excel 文件不超过 {xlsx}。",
            csv=size_text(MAX_CSV_BYTES),
            xlsx=size_text(MAX_XLSX_BYTES),
        ),
    )
    if upload is None:
        return
    content = upload.getvalue()
    found = _report_for(content, upload.name, table, datum, mode, data)
    if isinstance(found, str):
        st.error(md_lines(found))
        return
    _show_report(found)
    if found.file_problem or not found.rows_valid:
        return

    def land(valid_only: bool) -> Any:
        return lambda db, who: history.import_report(
            db, found, author=who.display_name, content=content, valid_only=valid_only
        )

    if found.ok:
        st.button(
            t("导入 {count} 行", count=found.rows_total),
            type="primary",
            key=lost_session.IMPORT_ALL,
            on_click=_write,
            args=(land(False), _imported(found, valid_only=False)),
            kwargs={"clears_upload": True},
        )
        return
    agreed = st.checkbox(
        t(
            "我已了解：只导入无误的 {valid} 行，有问题的 {problems} 行不导入",
            valid=found.rows_valid,
            problems=found.rows_with_problems,
        ),
        key="import_valid_only_agreed",
    )
    st.button(
        t("只导入无误的 {count} 行", count=found.rows_valid),
        disabled=not agreed,
        key=lost_session.IMPORT_VALID_ONLY,
        on_click=_write,
        args=(land(True), _imported(found, valid_only=True)),
        kwargs={"clears_upload": True},
    )


def edit_panel(editor: Account, data: ui_data.Tables) -> None:
    table = _table_choice(t("编辑哪张表"), "edit_table")
    stored = data.stored()
    shown = with_headers(table_as_input(table, stored[table], ui_data.regions()), table)
    st.caption(
        t(
            "直接修改单元格，或在表末尾添加、勾选删除行；保存时按导入的同样规则检查，"
            "有问题则不保存。保存后成为一个新的数据版本，可随时回滚。"
        )
    )
    edited = st.data_editor(
        shown.astype(str).replace({"nan": "", "<NA>": "", "None": ""}),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=f"{_EDIT_KEY}_{table}_{data.version}",
    )
    note = st.text_input(t("修改说明（可选）"), key="edit_note")
    if not st.button(t("保存修改"), type="primary", key=lost_session.EDIT_SAVE):
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
        st.error(t("修改未保存：请按上表改正后再保存。"))
        return
    prepared = report.prepared
    _write(
        lambda db, who: history.write_edit(
            db,
            {table: prepared},
            author=who.display_name,
            base_version=data.version,
            note=note,
        ),
        t("已保存对{table}表的修改", table=t(TABLE_LABELS[table])),
    )
    st.rerun()  # show the saved data (or why it was not saved) from the top


# Comparing the current data with a version reads that version's snapshot and compares
# every table (seconds on a loaded booth machine): once per data version, chosen version
# and language, not again on every rerun of the data page (each click on it).
@st.cache_data(show_spinner=False, max_entries=16)
def _differences(path: str, version: int, chosen: int, language: str) -> pd.DataFrame:
    with i18n.language(language), store.opened(path, read_only=True) as db:
        return history.changes_frame(history.changes_since(db, chosen))


def versions_panel(editor: Account | None, version: int) -> None:
    """The version history; ``version``: the current data version (``Tables.version``)."""
    with store.opened(ui_data.db_target(), read_only=True) as db:
        found = history.versions(db)
    if not found:
        st.info(t("还没有数据版本。"))
        return
    st.dataframe(history.versions_frame(found), hide_index=True, width="stretch")
    ids = [version.id for version in found]
    chosen = int(
        st.selectbox(
            t("查看某个版本与当前数据的差异"),
            ids,
            format_func=lambda v: t("版本 {version}", version=v),
            key="version_chosen",
        )
    )
    differences = _differences(str(ui_data.db_target()), version, chosen, i18n.current_language())
    if differences.empty:
        st.caption(t("当前数据与版本 {version} 完全相同。", version=chosen))
    else:
        st.caption(
            t(
                "当前数据相对版本 {version} 的变化（回滚到版本 {version} 会撤销这些变化）：",
                version=chosen,
            )
        )
        st.dataframe(differences, hide_index=True, width="stretch")
    if editor is None or chosen == ids[0] or differences.empty:
        return
    agreed = st.checkbox(
        t(
            "确认回滚到版本 {version}：撤销上表中的 {count} 处变化"
            "（回滚本身也是一个版本，可再撤销）",
            version=chosen,
            count=len(differences),
        ),
        key="rollback_agreed",
    )
    st.button(
        t("回滚到版本 {version}", version=chosen),
        disabled=not agreed,
        key=lost_session.ROLLBACK,
        on_click=_write,
        args=(
            lambda db, who: history.rollback(db, chosen, author=who.display_name),
            lambda version: t(
                "回滚成功：当前数据已恢复为版本 {chosen} 的内容"
                "（记为新的数据版本 {version}，可再回滚撤销）。",
                chosen=chosen,
                version=version,
            ),
        ),
    )


_WRITERS = {
    "xlsx": dump.to_xlsx,
    "csv": dump.to_csv_zip,
    "geojson": dump.to_geojson,
    "gpkg": dump.to_geopackage,
}


def _export(kind: str, path: str, version: int) -> bytes:
    with store.opened(path, read_only=True) as db:
        tables = db.read_tables()
    return _WRITERS[kind](tables, ui_data.regions())


# Every cell of every table is checked: once per data version and language, not on each
# rerun of the data page.  The leading underscore keeps Streamlit from hashing the tables;
# the database path and data version identify them.
@st.cache_data(show_spinner=False, max_entries=4)
def _excel_refusal(path: str, version: int, language: str, _tables: dict[str, Any]) -> str | None:
    with i18n.language(language):
        return dump.excel_refusal(_tables)


def export_panel(data: ui_data.Tables) -> None:
    st.markdown(
        t(
            "导出数据库的全部数据。Excel 和 CSV 的列与导入模板相同，可原样再导入；"
            "GeoJSON 和 GeoPackage 为 WGS-84 坐标，供 GIS 软件使用。"
        )
    )
    now = times.beijing_now()  # file names in Beijing time
    # A workbook would cut text longer than an Excel cell holds: say so, never offer it.
    refusal = _excel_refusal(
        str(ui_data.db_target()), data.version, i18n.current_language(), data.stored()
    )
    if refusal is not None:
        st.warning(refusal)
    row = st.container(horizontal=True)
    for kind, found in dump.FORMATS.items():
        row.download_button(
            t(found.label),
            data=in_language(_export, kind, str(ui_data.db_target()), data.version),
            file_name=dump.export_file_name(kind, now),
            mime=found.mime,
            on_click="ignore",
            key=f"export_{kind}",
            icon=":material/download:",
            disabled=kind == "xlsx" and refusal is not None,
        )
