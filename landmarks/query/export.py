"""Export of the filtered product list as CSV and XLSX that open cleanly in Excel.

The export holds what users read on the page: Chinese headers and labels, only links
that may be shown, and no maintainers' remarks (notes and source ids stay out).  CSV is
UTF-8 with a byte-order mark (without it Excel reads Chinese as mojibake).  Text cells
starting with = + - @ (or a tab / carriage return) would run as formulas in a
spreadsheet, so they get a leading apostrophe (OWASP's advice on CSV injection).
"""

from __future__ import annotations

import io

import pandas as pd

from landmarks.query.labels import confidence_label, precision_label, source_type_label
from landmarks.query.provenance import OTHER_URLS_SEPARATOR, link_column, linkable_urls

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME = "地理标志产品"

# Exported columns in order, with the headers users see.
EXPORT_HEADERS: dict[str, str] = {
    "name": "产品名称",
    "category": "品类",
    "gi_type": "地理标志类型（主要来源）",
    "gi_types": "全部地理标志类型",
    "chain": "产业链",
    "chain_basis": "产业链归属依据",
    "prefecture": "市州",
    "county": "县市区",
    "county_adcode": "县级行政区划代码",
    "year": "获批年份",
    "confidence": "可信度",
    "precision": "位置精度",
    "lon": "经度（示意）",
    "lat": "纬度（示意）",
    "source_quality": "来源类型",
    "source_url": "来源链接",
    "other_source_urls": "其他来源链接",
}


def neutralize(value: object) -> object:
    """Prefix a text cell that a spreadsheet would read as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell neutralised (vectorised: exports of 10,000 rows stay quick)."""
    result = frame.copy()
    for column in result.columns:
        values = result[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        if isinstance(values.dtype, pd.StringDtype):
            risky = values.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
            result[column] = values.where(~risky, "'" + values)
        else:  # mixed objects: only the strings among them can be formulas
            result[column] = values.map(neutralize)
    return result


def readable_frame(products: pd.DataFrame) -> pd.DataFrame:
    """The products as users read them: Chinese headers and labels, no hidden links."""
    frame = products[list(EXPORT_HEADERS)].copy()
    types = products["source_quality"]
    frame["confidence"] = frame["confidence"].map(confidence_label)
    frame["precision"] = frame["precision"].map(precision_label)
    frame["source_url"] = link_column(products["source_url"], types)
    frame["other_source_urls"] = [
        f" {OTHER_URLS_SEPARATOR} ".join(linkable_urls(urls, kind))
        for urls, kind in zip(products["other_source_urls"], types, strict=True)
    ]
    frame["source_quality"] = types.map(source_type_label)
    frame["year"] = frame["year"].astype("Int64")
    return frame.rename(columns=EXPORT_HEADERS).reset_index(drop=True)


def export_frame(products: pd.DataFrame) -> pd.DataFrame:
    """``readable_frame`` made safe for spreadsheets (formula-like cells neutralised)."""
    return neutralize_frame(readable_frame(products))


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM; cells neutralised."""
    return neutralize_frame(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = SHEET_NAME) -> bytes:
    """One worksheet, header frozen, columns sized to their content; cells neutralised."""
    # Imported when a file is asked for: pages showing the export buttons start faster.
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    safe = neutralize_frame(frame)
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            # openpyxl refuses control characters; they carry no meaning in these fields.
            safe[column] = safe[column].map(
                lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
            )
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet_name)
        sheet = writer.sheets[sheet_name]
        sheet.freeze_panes = "A2"
        for position, column in enumerate(safe.columns, start=1):
            lengths = safe[column].astype(str).str.len()
            widest = max(len(str(column)) * 2, int(lengths.max()) if len(lengths) else 0)
            sheet.column_dimensions[get_column_letter(position)].width = min(60, widest + 2)
    return buffer.getvalue()
