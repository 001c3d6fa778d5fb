"""The filtered product list: summary, shape (by product or by registration), table (a
row opens its card), exports of the shape shown, empty state.

The table's own CSV download (English, in the grid's toolbar) is switched off in
``.streamlit/config.toml`` (``client.disableDataExport``); the export buttons here give
the same list as CSV or Excel with the page's labels and no hidden links.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Mapping

import pandas as pd
import streamlit as st

from landmarks.data import times
from landmarks.data.chains import chain_names
from landmarks.data.region import has_chain_vocabulary
from landmarks.i18n import N_, t
from landmarks.query import export
from landmarks.query.filter_fields import YearBounds
from landmarks.query.labels import year_texts
from landmarks.query.stats import ResultFigures
from landmarks.ui import explorer_state as view
from landmarks.ui import region as region_ui
from landmarks.ui.downloads import in_language
from landmarks.ui.markdown import md

LIST_MODE = "explorer_list_mode"
PAGE_SIZE = 50  # rows of the list sent to the browser at a time
TABLE_PAGE = "explorer_table_page"  # the list's page shown (0 = the first)
_TABLE_LIST = "explorer_table_list"  # the list (filter, shape) that page belongs to
# The list's columns in each shape (a subset of the export's).
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    export.LIST_BY_FAMILY: (
        N_("产品名称"),
        N_("登记名称"),
        N_("产业链"),
        N_("品类"),
        N_("全部地理标志类型"),
        N_("市州"),
        N_("县市区"),
        N_("保护范围"),
        N_("最早获批年份"),
        N_("可信度"),
        N_("来源链接"),
    ),
    export.LIST_BY_REGISTRATION: (
        N_("产品名称"),
        N_("登记名称"),
        N_("地理标志类型"),
        N_("登记编号"),
        N_("获批年份"),
        N_("产业链"),
        N_("市州"),
        N_("县市区"),
        N_("保护范围"),
        N_("可信度"),
        N_("来源链接"),
    ),
}
_CHAIN_HEADER = N_("产业链")
# Products per group under the explorer's figures: Hubei's chains, elsewhere categories.
BY_CHAIN = N_("按产业链（按产品计，一品多标合并）：{counts}")
BY_CATEGORY = N_("按品类（按产品计，一品多标合并）：{counts}")
_FILE_SUFFIX = {export.LIST_BY_FAMILY: N_("按产品"), export.LIST_BY_REGISTRATION: N_("按登记")}
_EXPORT_FORMATS = (
    (N_("导出 CSV"), "csv", "text/csv", export.to_csv_bytes),
    (
        N_("导出 Excel"),
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        export.to_xlsx_bytes,
    ),
)


def result_figures(figures: ResultFigures) -> None:
    """The filtered list's headline figures, two by two (they sit beside the map)."""
    columns = st.columns(2)
    columns[0].metric(
        t("筛选结果（产品）"),
        f"{figures.shown} / {figures.total}",
        help=t(
            "{rule}；含 {count} 个登记名称。", rule=t(figures.product_rule), count=figures.names
        ),
    )
    columns[1].metric(t("涉及县市区"), figures.counties, help=t(figures.county_rule))
    columns[0].metric(t("有示范区的产品"), figures.with_zone, help=t(figures.product_rule))
    columns[1].metric(t("涉及产业链") if has_chain_vocabulary() else t("涉及品类"), figures.chains)


def chain_summary(counts: Mapping[str, int]) -> None:
    """Products per chain (``stats.products_by_chain`` of the filtered list)."""
    parts = [
        f"{md(t(chain))} {int(counts[chain])}" for chain in chain_names() if counts.get(chain, 0)
    ]
    if parts:
        by = BY_CHAIN if has_chain_vocabulary() else BY_CATEGORY
        st.caption(t(by, counts=" · ".join(parts)))


def empty_result(bounds: YearBounds) -> None:
    """Say that nothing matches, and offer to clear the filters."""
    st.info(t("没有符合当前筛选条件的产品。请放宽或清除筛选条件。"), icon=":material/search_off:")
    st.button(
        t("清除全部筛选"),
        key="clear_filters",
        icon=":material/filter_alt_off:",
        on_click=view.reset_filters,
        args=(bounds,),
    )


def list_mode() -> str:
    """The list's shape: one row per product (families merged) or per registration."""
    mode = st.radio(
        t("列表方式"),
        export.LIST_MODES,
        format_func=t,
        key=LIST_MODE,
        horizontal=True,
        label_visibility="collapsed",
    )
    st.caption(t(export.LIST_RULES[mode]))
    return str(mode)


def product_table(
    rows: pd.DataFrame, mode: str, county_names: Mapping[str, str], list_key: Hashable = None
) -> None:
    """The filtered list (rows from ``export.list_rows``), one page of ``PAGE_SIZE`` rows
    at a time; selecting a row opens its card.

    Only the page shown is made readable and sent to the browser (the whole list of
    10,000 products was half a megabyte at every rerun).  ``list_key`` names the list
    (the filter): another list starts again at its first page.
    """
    if rows.empty:
        st.caption(t("当前筛选没有结果，列表为空。"))
        return
    pages = -(-len(rows) // PAGE_SIZE)
    state = st.session_state
    if state.get(_TABLE_LIST) != (list_key, mode):
        state[_TABLE_LIST] = (list_key, mode)
        state[TABLE_PAGE] = 0
    page = min(max(int(state.get(TABLE_PAGE) or 0), 0), pages - 1)
    state[TABLE_PAGE] = page
    part = rows.iloc[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    state[view.TABLE_NAMES] = list(
        zip(part["name"].tolist(), part["county_adcode"].tolist(), strict=True)
    )
    key = f"{view.TABLE_KEY}_{page}"  # a page of its own: no selection carried to the next
    st.dataframe(
        _as_shown(part, mode, county_names),
        column_config={t("来源链接"): st.column_config.LinkColumn(display_text=t("打开"))},
        hide_index=True,
        width="stretch",
        height=360,
        key=key,
        on_select=functools.partial(_open_from_table, key),
        selection_mode="single-row",
    )
    if pages > 1:
        _pager(page, pages, len(rows))


def _pager(page: int, pages: int, total: int) -> None:
    """Previous and next page buttons around the rows shown and the page's number."""
    back, where, forward = st.columns([1, 3, 1], vertical_alignment="center")
    back.button(
        t("上一页"),
        key=f"{TABLE_PAGE}_back",
        icon=":material/chevron_left:",
        disabled=page == 0,
        on_click=_turn_page,
        args=(-1,),
        width="stretch",
    )
    first = page * PAGE_SIZE + 1
    where.caption(
        t(
            "第 {first}–{last} 行，共 {total} 行（第 {page} / {pages} 页）",
            first=f"{first:,}",
            last=f"{min(first + PAGE_SIZE - 1, total):,}",
            total=f"{total:,}",
            page=page + 1,
            pages=pages,
        )
    )
    forward.button(
        t("下一页"),
        key=f"{TABLE_PAGE}_forward",
        icon=":material/chevron_right:",
        disabled=page >= pages - 1,
        on_click=_turn_page,
        args=(1,),
        width="stretch",
    )


def _turn_page(step: int) -> None:
    st.session_state[TABLE_PAGE] = int(st.session_state.get(TABLE_PAGE) or 0) + step


def _open_from_table(key: str) -> None:
    rows = st.session_state[key].selection.rows
    names = st.session_state.get(view.TABLE_NAMES) or []
    if rows and rows[0] < len(names):
        name, county = names[rows[0]]
        view.choose(name, county or None)


def _file(
    encode: Callable[[pd.DataFrame], bytes],
    rows: pd.DataFrame,
    mode: str,
    county_names: Mapping[str, str],
) -> bytes:
    return encode(export.export_frame(rows, mode, county_names))


def _as_shown(rows: pd.DataFrame, mode: str, county_names: Mapping[str, str]) -> pd.DataFrame:
    """The table's columns as the page shows them (text as text: no apostrophes against
    spreadsheet formulas, which only the files need)."""
    shown = export.readable_frame(rows, mode, county_names)
    year = t("最早获批年份") if mode == export.LIST_BY_FAMILY else t("获批年份")
    shown[year] = year_texts(shown[year])
    # Where the region groups by category, its 产业链 would repeat the 品类 column.
    headers = [h for h in TABLE_COLUMNS[mode] if h != _CHAIN_HEADER or has_chain_vocabulary()]
    return shown[[t(header) for header in headers]]


def _file_name(mode: str, extension: str) -> str:
    return t(
        "{name}_{shape}.{extension}",
        name=t("{region}地理标志产品_筛选结果", region=region_ui.label()),
        shape=t(_FILE_SUFFIX[mode]),
        extension=extension,
    )


def _printable(
    rows: pd.DataFrame, mode: str, county_names: Mapping[str, str], described: str
) -> bytes:
    shown = _as_shown(rows, mode, county_names)
    lines = (
        t("筛选条件：{filters}", filters=described) if described else t("筛选条件：无（全部产品）"),
        t(
            "{shape}，共 {count} 行；{rule}",
            shape=t(mode),
            count=len(shown),
            rule=t(export.LIST_RULES[mode]),
        ),
        times.generated_text(),
    )
    return export.to_print_html(
        shown, t("{region}地理标志产品清单", region=region_ui.label()), lines
    )


def export_buttons(
    rows: pd.DataFrame, mode: str, county_names: Mapping[str, str], described: str = ""
) -> None:
    """CSV and XLSX of the list as shown (its shape too), and a page of it for printing
    (every row: the grid itself prints only what is on screen); made only when clicked.
    ``described``: the active filters in words, printed above the list."""
    *formats, printing = st.columns(len(_EXPORT_FORMATS) + 1)
    printing.download_button(
        t("可打印清单（HTML，全部行）"),
        data=in_language(_printable, rows, mode, county_names, described),
        file_name=_file_name(mode, "html"),
        mime="text/html",
        icon=":material/print:",
        on_click="ignore",
        width="stretch",
        disabled=rows.empty,
        help=t("在浏览器中打开后打印：A4 横向，每页重复表头；页面上的表格只能打印可见部分。"),
    )
    for column, (label, suffix, mime, encode) in zip(formats, _EXPORT_FORMATS, strict=True):
        column.download_button(
            t(label),
            data=in_language(_file, encode, rows, mode, county_names),
            file_name=_file_name(mode, suffix),
            mime=mime,
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
            disabled=rows.empty,
        )
