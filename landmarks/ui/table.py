"""The filtered product list: summary, table (a row opens its card), exports, empty state.

The table's own CSV download (English, in the grid's toolbar) is switched off in
``.streamlit/config.toml`` (``client.disableDataExport``); the export buttons here give
the same list as CSV or Excel with Chinese labels and no hidden links.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd
import streamlit as st

from landmarks.data.chains import CHAIN_NAMES
from landmarks.query import export
from landmarks.query.filter_fields import YearBounds
from landmarks.query.labels import year_texts
from landmarks.query.stats import ResultFigures
from landmarks.ui import explorer_state as view
from landmarks.ui.markdown import md

EXPORT_BASENAME = "湖北地理标志产品_筛选结果"
TABLE_COLUMNS = (
    "产品名称",
    "产业链",
    "品类",
    "全部地理标志类型",
    "市州",
    "县市区",
    "获批年份",
    "可信度",
    "位置精度",
    "来源链接",
)
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
    columns[0].metric("筛选结果（产品）", f"{figures.shown} / {figures.total}")
    columns[1].metric(
        "涉及县市区", figures.counties, help="只计标注到县的产品；全市范围或跨县的产品不计入。"
    )
    columns[0].metric("有示范区的产品", figures.with_zone)
    columns[1].metric("涉及产业链", figures.chains)


def chain_summary(products: pd.DataFrame) -> None:
    counts = products["chain"].value_counts()
    parts = [f"{md(chain)} {int(counts[chain])}" for chain in CHAIN_NAMES if counts.get(chain, 0)]
    if parts:
        st.caption("按产业链：" + " · ".join(parts))


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


def product_table(products: pd.DataFrame) -> None:
    """The filtered list; selecting a row opens the product card."""
    if products.empty:
        st.caption("当前筛选没有结果，列表为空。")
        return
    # The data grid shows text as text: no apostrophes against spreadsheet formulas here.
    shown = export.readable_frame(products)
    shown["获批年份"] = year_texts(shown["获批年份"])
    st.session_state[view.TABLE_NAMES] = list(
        zip(products["name"], products["county_adcode"], strict=True)
    )
    st.dataframe(
        shown[list(TABLE_COLUMNS)],
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


def _file(encode: Callable[[pd.DataFrame], bytes], products: pd.DataFrame) -> bytes:
    return encode(export.export_frame(products))


def export_buttons(products: pd.DataFrame) -> None:
    """CSV and XLSX of the filtered list, generated only when clicked."""
    for column, (label, suffix, mime, encode) in zip(
        st.columns(len(_EXPORT_FORMATS)), _EXPORT_FORMATS, strict=True
    ):
        column.download_button(
            label,
            data=partial(_file, encode, products),
            file_name=f"{EXPORT_BASENAME}.{suffix}",
            mime=mime,
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
            disabled=products.empty,
        )
