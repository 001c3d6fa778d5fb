"""The filtered product list: summary, shape (by product or by registration), table (a
row opens its card), exports of the shape shown, empty state.

The table's own CSV download (English, in the grid's toolbar) is switched off in
``.streamlit/config.toml`` (``client.disableDataExport``); the export buttons here give
the same list as CSV or Excel with Chinese labels and no hidden links.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

import pandas as pd
import streamlit as st

from landmarks.data.chains import CHAIN_NAMES
from landmarks.query import export, stats
from landmarks.query.filter_fields import YearBounds
from landmarks.query.labels import year_texts
from landmarks.query.stats import ResultFigures
from landmarks.ui import explorer_state as view
from landmarks.ui.markdown import md

EXPORT_BASENAME = "湖北地理标志产品_筛选结果"
LIST_MODE = "explorer_list_mode"
# The list's columns in each shape (a subset of the export's).
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    export.LIST_BY_FAMILY: (
        "产品名称",
        "登记名称",
        "产业链",
        "品类",
        "全部地理标志类型",
        "市州",
        "县市区",
        "保护范围",
        "最早获批年份",
        "可信度",
        "来源链接",
    ),
    export.LIST_BY_REGISTRATION: (
        "产品名称",
        "登记名称",
        "地理标志类型",
        "登记编号",
        "获批年份",
        "产业链",
        "市州",
        "县市区",
        "保护范围",
        "可信度",
        "来源链接",
    ),
}
_FILE_SUFFIX = {export.LIST_BY_FAMILY: "按产品", export.LIST_BY_REGISTRATION: "按登记"}
_EXPORT_FORMATS = (
    ("导出 CSV", "csv", "text/csv", export.to_csv_bytes),
    (
        "导出 Excel",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        export.to_xlsx_bytes,
    ),
)


def result_figures(figures: ResultFigures) -> None:
    """The filtered list's headline figures, two by two (they sit beside the map)."""
    columns = st.columns(2)
    columns[0].metric(
        "筛选结果（产品）",
        f"{figures.shown} / {figures.total}",
        help=f"{figures.product_rule}；含 {figures.names} 个登记名称。",
    )
    columns[1].metric("涉及县市区", figures.counties, help=figures.county_rule)
    columns[0].metric("有示范区的产品", figures.with_zone, help=figures.product_rule)
    columns[1].metric("涉及产业链", figures.chains)


def chain_summary(products: pd.DataFrame) -> None:
    counts = stats.products_by_chain(products)
    parts = [f"{md(chain)} {int(counts[chain])}" for chain in CHAIN_NAMES if counts.get(chain, 0)]
    if parts:
        st.caption("按产业链（按产品计，一品多标合并）：" + " · ".join(parts))


def empty_result(bounds: YearBounds) -> None:
    """Say that nothing matches, and offer to clear the filters."""
    st.info("没有符合当前筛选条件的产品。请放宽或清除筛选条件。", icon=":material/search_off:")
    st.button(
        "清除全部筛选",
        key="clear_filters",
        icon=":material/filter_alt_off:",
        on_click=view.reset_filters,
        args=(bounds,),
    )


def list_mode() -> str:
    """The list's shape: one row per product (families merged) or per registration."""
    mode = st.radio(
        "列表方式",
        export.LIST_MODES,
        key=LIST_MODE,
        horizontal=True,
        label_visibility="collapsed",
    )
    st.caption(export.LIST_RULES[mode])
    return str(mode)


def product_table(rows: pd.DataFrame, mode: str, county_names: Mapping[str, str]) -> None:
    """The filtered list (rows from ``export.list_rows``); selecting a row opens its card."""
    if rows.empty:
        st.caption("当前筛选没有结果，列表为空。")
        return
    # The data grid shows text as text: no apostrophes against spreadsheet formulas here.
    shown = export.readable_frame(rows, mode, county_names)
    year = "最早获批年份" if mode == export.LIST_BY_FAMILY else "获批年份"
    shown[year] = year_texts(shown[year])
    st.session_state[view.TABLE_NAMES] = list(zip(rows["name"], rows["county_adcode"], strict=True))
    st.dataframe(
        shown[list(TABLE_COLUMNS[mode])],
        column_config={"来源链接": st.column_config.LinkColumn(display_text="打开")},
        hide_index=True,
        width="stretch",
        height=360,
        key=view.TABLE_KEY,
        on_select=_open_from_table,
        selection_mode="single-row",
    )


def _open_from_table() -> None:
    rows = st.session_state[view.TABLE_KEY].selection.rows
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


def export_buttons(rows: pd.DataFrame, mode: str, county_names: Mapping[str, str]) -> None:
    """CSV and XLSX of the list as shown (its shape too), generated only when clicked."""
    for column, (label, suffix, mime, encode) in zip(
        st.columns(len(_EXPORT_FORMATS)), _EXPORT_FORMATS, strict=True
    ):
        column.download_button(
            label,
            data=partial(_file, encode, rows, mode, county_names),
            file_name=f"{EXPORT_BASENAME}_{_FILE_SUFFIX[mode]}.{suffix}",
            mime=mime,
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
            disabled=rows.empty,
        )
