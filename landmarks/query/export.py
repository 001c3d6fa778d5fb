"""The filtered product list, as the page's table and as CSV and XLSX that open in Excel.

The list has two shapes (``LIST_MODES``): one row per product, a family of registrations
(一品多标) merged, or one row per registration; the table and its export follow the
shape chosen.  Either shows each product's place as its area (county, 跨 N 个县, 全市范围).
The export holds what users read on the page: Chinese headers and labels, only links
that may be shown, and no maintainers' remarks (notes and source ids stay out).  CSV is
UTF-8 with a byte-order mark (without it Excel reads Chinese as mojibake).  Text cells
starting with = + - @ (or a tab / carriage return) would run as formulas in a
spreadsheet, so they get a leading apostrophe (OWASP's advice on CSV injection).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd

from landmarks import i18n
from landmarks.data import sheets
from landmarks.data.model import GI_TYPES_SEPARATOR
from landmarks.data.spreadsheet import EXCEL_CELL_LIMIT, neutralize_frame
from landmarks.i18n import N_, t
from landmarks.query.areas import area_labels, area_texts
from landmarks.query.families import family_members, family_rows, registration_rows, type_label
from landmarks.query.labels import (
    confidence_label,
    precision_label,
    source_type_label,
    without_remarks,
)
from landmarks.query.provenance import OTHER_URLS_SEPARATOR, link_column, linkable_urls

SHEET_NAME = N_("地理标志产品")

# The product list comes in two shapes, chosen on the page: one row per product (a
# family of registrations once) or one row per registration.
LIST_BY_FAMILY = N_("按产品（一品多标合并）")
LIST_BY_REGISTRATION = N_("按登记")
LIST_MODES: tuple[str, ...] = (LIST_BY_FAMILY, LIST_BY_REGISTRATION)
LIST_RULES: dict[str, str] = {
    LIST_BY_FAMILY: N_("每行一个产品：同一产品的多个登记（一品多标）合并为一行。"),
    LIST_BY_REGISTRATION: N_("每行一项登记：一个产品的每个地理标志登记各占一行。"),
}

NAMES_SEPARATOR = "、"  # not UI: joins registered names in the data

_PLACE_HEADERS: dict[str, str] = {
    "prefecture": N_("市州"),
    "area_text": N_("县市区"),
    "area_label": N_("保护范围"),
    "scope_note": N_("范围说明"),
    "area_adcodes": N_("县级行政区划代码"),
}
_TRUST_HEADERS: dict[str, str] = {
    "confidence": N_("可信度"),
    "precision": N_("位置精度"),
    "lon": N_("经度（示意）"),
    "lat": N_("纬度（示意）"),
    "source_quality": N_("来源类型"),
    "source_url": N_("来源链接"),
    "other_source_urls": N_("其他来源链接"),
}
# Exported columns in order, with the headers users see, for each shape of the list.
EXPORT_HEADERS: dict[str, dict[str, str]] = {
    LIST_BY_FAMILY: {
        "family": N_("产品名称"),
        "registered_names": N_("登记名称"),
        "registration_count": N_("登记数"),
        "category": N_("品类"),
        "gi_types": N_("全部地理标志类型"),
        "chain": N_("产业链"),
        "chain_basis": N_("产业链归属依据"),
        **_PLACE_HEADERS,
        "year": N_("最早获批年份"),
        **_TRUST_HEADERS,
    },
    LIST_BY_REGISTRATION: {
        "family": N_("产品名称"),
        "name": N_("登记名称"),
        "gi_type": N_("地理标志类型"),
        "registration_number": N_("登记编号"),
        "year": N_("获批年份"),
        "category": N_("品类"),
        "chain": N_("产业链"),
        "chain_basis": N_("产业链归属依据"),
        **_PLACE_HEADERS,
        **_TRUST_HEADERS,
    },
}


def list_rows(
    mode: str,
    shown: pd.DataFrame,
    products: pd.DataFrame,
    registrations: pd.DataFrame,
    gi_types: Collection[str] = (),
) -> pd.DataFrame:
    """The rows of the list, shaped like product rows (``name`` opens the card).

    By family: every family with a row in ``shown``, whole (``families.family_rows``).  By
    registration: the registrations of the rows in ``shown``, each with its own type,
    number and year, only those of the ``gi_types`` asked for when any are.
    """
    if mode == LIST_BY_FAMILY:
        return family_rows(family_members(shown, products), registrations)
    registered = registration_rows(shown, registrations)
    if gi_types:
        registered = registered[registered["gi_type"].isin(set(gi_types))]
    details = shown.drop(columns=["family", "gi_type", "registration_number", "year"])
    rows = registered.merge(details, left_on="product", right_on="name", how="left")
    rows = rows.rename(columns={"number": "registration_number"}).drop(columns="product")
    rows["area_label"] = area_labels(rows)
    return rows.reset_index(drop=True)


def families_in_view(every: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    """The by-family list of ``shown`` taken from the family rows of all products
    (``every = family_rows(products, registrations)``): the same rows as ``list_rows``
    gives by family, as each family is listed whole, in order of first appearance.  So
    the family rows can be made once per data version and a filter change only picks."""
    wanted = set(shown["family"].tolist())  # plain strings: pandas' isin on strings is slower
    keep = np.array([family in wanted for family in every["family"].tolist()], dtype=bool)
    return every[keep].reset_index(drop=True)


def readable_frame(
    rows: pd.DataFrame, mode: str = LIST_BY_FAMILY, county_names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The list as users read it: Chinese headers and labels, the place as its area (the
    county; 跨 N 个县：…; 全市范围（X市）), no hidden links, no maintainers' remarks."""
    headers = EXPORT_HEADERS[mode]
    rows = rows.assign(
        area_text=area_texts(rows, county_names or {}),
        area_label=area_labels(rows),
        scope_note=rows["scope_note"].map(without_remarks),
    )
    if "gi_type" in rows:
        rows["gi_type"] = rows["gi_type"].map(type_label).map(t)
    frame = rows[list(headers)].copy()
    types = rows["source_quality"]
    frame["confidence"] = frame["confidence"].map(confidence_label)
    frame["precision"] = frame["precision"].map(precision_label)
    frame["source_url"] = link_column(rows["source_url"], types)
    frame["other_source_urls"] = [
        f" {OTHER_URLS_SEPARATOR} ".join(linkable_urls(urls, kind))
        for urls, kind in zip(rows["other_source_urls"], types, strict=True)
    ]
    frame["source_quality"] = types.map(source_type_label)
    frame["year"] = frame["year"].astype("Int64")
    if i18n.english():
        frame = _names_in_english(frame)
    shown = {column: t(header) for column, header in headers.items()}
    return frame.rename(columns=shown).reset_index(drop=True)


def _names_in_english(frame: pd.DataFrame) -> pd.DataFrame:
    """Names with their pinyin, coded values (types, chains, categories…) in English."""
    for column in ("family", "name", "prefecture"):
        if column in frame:
            frame[column] = frame[column].map(lambda v: i18n.name(v) if isinstance(v, str) else v)
    if "registered_names" in frame:
        frame["registered_names"] = frame["registered_names"].map(
            lambda v: i18n.names(v.split(NAMES_SEPARATOR)) if isinstance(v, str) and v else v
        )
    for column in ("category", "chain", "chain_basis", "area_label"):
        if column in frame:
            frame[column] = frame[column].map(lambda v: t(v) if isinstance(v, str) else v)
    if "gi_types" in frame:
        frame["gi_types"] = frame["gi_types"].map(
            lambda v: "; ".join(t(part) for part in str(v).split(GI_TYPES_SEPARATOR) if part)
        )
    return frame


def export_frame(
    rows: pd.DataFrame, mode: str = LIST_BY_FAMILY, county_names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """``readable_frame`` made safe for spreadsheets (formula-like cells neutralised)."""
    return neutralize_frame(readable_frame(rows, mode, county_names))


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM; cells neutralised."""
    return neutralize_frame(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str | None = None) -> bytes:
    """One worksheet (``sheets.workbook``: cells neutralised, header frozen, columns sized
    to their content).  Text longer than an Excel cell is cut with a note saying so and
    where the whole is (this list is for reading; the CSV keeps every character)."""
    note = t(
        "……（超过 Excel 单元格的 {limit} 字符上限，已截断；完整内容见 CSV 导出）",
        limit=f"{EXCEL_CELL_LIMIT:,}",
    )
    title = sheets.sheet_title(sheet_name or "") or t(SHEET_NAME)
    return sheets.workbook([sheets.Sheet(title, frame, cut_note=note)])


# The printable list: A4 landscape, the header row repeated on every page, no row split
# across pages; the page's own print gives only the visible part of the data grid.  Short
# Chinese words stay whole in their narrow columns; the links (last column) break anywhere.
_PRINT_STYLE = """
@page { size: A4 landscape; margin: 12mm 10mm; }
body { font-family: "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
  "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 9.5pt; color: #222; margin: 0; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
p { margin: 0 0 1.5mm; color: #444; }
table { border-collapse: collapse; width: 100%; margin-top: 3mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th { background: #f3ece1; text-align: left; }
th, td { border: 0.3pt solid #b9b0a3; padding: 1mm 1.5mm; vertical-align: top; }
th, td { word-break: keep-all; overflow-wrap: break-word; }
td:last-child { word-break: break-all; }  /* the source links */
"""


def to_print_html(frame: pd.DataFrame, title: str, lines: Collection[str] = ()) -> bytes:
    """The list as one HTML page for printing (UTF-8): a title, ``lines`` under it (what
    was filtered, when it was made), then every row.  Text is escaped; links print as text."""
    from html import escape

    table = frame.to_html(index=False, escape=True, na_rep="", border=0)
    heading = "".join(f"<p>{escape(line)}</p>" for line in lines if line)
    page = (
        f'<!DOCTYPE html><html lang="{"en" if i18n.english() else "zh-CN"}"><head>'
        f'<meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{_PRINT_STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{heading}{table}</body></html>"
    )
    return page.encode("utf-8")
