"""Full export of the database: an Excel workbook (one sheet per table), UTF-8-BOM CSV
files in a ZIP, GeoJSON and a GeoPackage (WGS-84) for GIS users.

The workbook and the CSV files hold every table in the shape users import it, with the
template's headers in the interface's language (``columns.table_as_input``); the import
reads Chinese and English headers alike, so importing them again gives the same stored
tables (the round trip).  Sheet and file names follow the language too: the import finds a
table's sheet by its headers, not its name.  Codes and values are written as their Chinese
labels, which the import accepts, in every language; cells a spreadsheet would run as
formulas are guarded with an apostrophe, which the import removes.  The sources table,
which is not imported, is written with the same headers and read back by
``sources_from_export`` (in either language).

The GIS files hold products and sites as points (their stored position; 位置精度 says
whether it is exact or a stand-in) and demonstration zones as the area of their county;
products keep the county adcodes of their protection area (范围县市区代码).  The GeoPackage
also holds the other tables, as attribute tables.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio  # type: ignore[import-untyped]
import shapely

from landmarks import i18n
from landmarks.data import sheets, store
from landmarks.data.columns import INPUT_COLUMNS, table_as_input, with_headers
from landmarks.data.history import ALL_TABLE_LABELS
from landmarks.data.model import CONFIDENCE_LABELS, PRECISION_LABELS, SOURCE_QUALITY_NAMES
from landmarks.data.region import current_region
from landmarks.data.regions import Regions
from landmarks.data.spreadsheet import (
    EXCEL_CELL_LIMIT,
    looks_guarded,
    neutralize_frame,
    over_excel_limit,
)
from landmarks.i18n import N_, t


def export_name() -> str:
    """湖北地标品牌数据: the export's name, the configured region's."""
    return t("{region}地标品牌数据", region=current_region().label())


# Sheets (and CSV files, GeoPackage layers) in this order: importable tables first.
EXPORT_TABLES: tuple[str, ...] = (*INPUT_COLUMNS, "sources")
SOURCE_HEADERS: dict[str, str] = {
    "source_id": N_("来源编号"),
    "url": N_("链接"),
    "source_quality": N_("来源类型"),
    "facts": N_("内容"),
}
SPATIAL_TABLES: tuple[str, ...] = ("products", "zones", "sites")
WGS84 = "EPSG:4326"
TABLE_FIELD = N_("数据表")
# Stored fields the GIS files add to the input shape.
GIS_FIELDS: dict[str, str] = {
    "prefecture_adcode": N_("市州代码"),
    "county_adcode": N_("县市区代码"),
    "area_adcodes": N_("范围县市区代码"),
    "precision": N_("位置精度"),
}

_CONFIDENCE_TEXT = dict(CONFIDENCE_LABELS)
_QUALITY_TEXT = dict(SOURCE_QUALITY_NAMES)
_QUALITY_CODE = {label: code for code, label in _QUALITY_TEXT.items()}
# Coded fields (keys of the input shape), written as the Chinese labels the import reads.
_CODED_FIELDS = {"confidence": _CONFIDENCE_TEXT, "source_quality": _QUALITY_TEXT}


@dataclass(frozen=True)
class ExportFormat:
    label: str
    extension: str
    mime: str


FORMATS: dict[str, ExportFormat] = {
    "xlsx": ExportFormat(
        N_("Excel 工作簿（每个数据表一个工作表，可再导入）"),
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "csv": ExportFormat(N_("CSV 文件压缩包（UTF-8，可再导入）"), ".zip", "application/zip"),
    "geojson": ExportFormat(N_("GeoJSON（WGS-84）"), ".geojson", "application/geo+json"),
    "gpkg": ExportFormat(N_("GeoPackage（WGS-84）"), ".gpkg", "application/geopackage+sqlite3"),
}


def export_file_name(kind: str, when: datetime) -> str:
    """湖北地标品牌数据-20261125-1655.xlsx (the name in the current language)."""
    return f"{export_name()}-{when:%Y%m%d-%H%M}{FORMATS[kind].extension}"


def sheet_name(table: str) -> str:
    """The table's sheet (CSV file, layer) name in the current language."""
    return t(ALL_TABLE_LABELS[table])


# The input shape ----------------------------------------------------------------------


def _readable_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """Confidence and source-quality codes (of a keyed frame) as the Chinese labels the
    import accepts."""
    frame = frame.copy()
    for field, labels in _CODED_FIELDS.items():
        if field in frame:
            frame[field] = frame[field].map(lambda code, m=labels: m.get(code, code))
    return frame


def input_frame(table: str, frame: pd.DataFrame, regions: Regions) -> pd.DataFrame:
    """A stored table as users import it, with the template's headers (current language)."""
    if table == "sources":
        headers = {key: t(header) for key, header in SOURCE_HEADERS.items()}
        return _readable_codes(frame[list(SOURCE_HEADERS)]).rename(columns=headers)
    return with_headers(_readable_codes(table_as_input(table, frame, regions)), table)


def input_frames(tables: Mapping[str, pd.DataFrame], regions: Regions) -> dict[str, pd.DataFrame]:
    return {table: input_frame(table, tables[table], regions) for table in EXPORT_TABLES}


def sources_from_export(frame: pd.DataFrame) -> pd.DataFrame:
    """The 来源 sheet (or CSV) of an export, in either language, read back as the stored
    sources table."""
    english = i18n.catalog(i18n.ENGLISH)
    by_header = {english.get(header, header): key for key, header in SOURCE_HEADERS.items()}
    by_header |= {header: key for key, header in SOURCE_HEADERS.items()}
    sources = frame.rename(columns=by_header)[list(SOURCE_HEADERS)].fillna("").astype(str)
    sources["source_quality"] = sources["source_quality"].map(
        lambda label: _QUALITY_CODE.get(label, label)
    )
    return sources.reset_index(drop=True)


def _guarded(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells neutralised for spreadsheets so that the import gives them back.  The import
    removes one apostrophe before a formula sign, so text that already looks guarded
    ('=1) gets one more apostrophe, as =1 gets its guard."""
    lookalike = frame.map(lambda v: "'" + v if isinstance(v, str) and looks_guarded(v) else v)
    return neutralize_frame(lookalike)


class ExportRefusedError(ValueError):
    """A file that cannot hold the data whole; the message names what and what to use."""


def excel_refusal(tables: Mapping[str, pd.DataFrame]) -> str | None:
    """Why the workbook export would cut text (naming each sheet, row and column), or
    None.  The long fields (notes, excerpts) are written as stored, plus the formula
    guard's apostrophes, so the stored tables are checked guarded: cheaply, before a
    button offers the file."""
    places = []
    for table in EXPORT_TABLES:
        if table not in tables:
            continue
        for column, positions in over_excel_limit(_guarded(tables[table])).items():
            places.append(
                t(
                    "{sheet}表第 {rows} 行的“{column}”",
                    sheet=sheet_name(table),
                    rows=i18n.joined([str(p + 2) for p in positions]),  # row 1: header
                    column=_column_label(table, column),
                )
            )
    if not places:
        return None
    return t(
        "Excel 单元格最多容纳 {limit} 个字符，{places}更长，写入 Excel 会被截断，"
        "所以未生成 Excel 文件。请改用“CSV 文件压缩包”导出：它完整保存这些内容，也可原样再导入。",
        limit=f"{EXCEL_CELL_LIMIT:,}",
        places=i18n.joined(places),
    )


def _column_label(table: str, key: str) -> str:
    """A stored column's header as the export writes it (its key when it has none)."""
    headers = {c.key: c.header for c in INPUT_COLUMNS.get(table, ())} | SOURCE_HEADERS
    return t(headers[key]) if key in headers else key


def to_xlsx(tables: Mapping[str, pd.DataFrame], regions: Regions) -> bytes:
    """Every table in a sheet of its own (header frozen), ready to be imported again.

    Raises ``ExportRefusedError`` rather than cut a cell at Excel's limit (a re-import
    would then shorten the row silently)."""
    refusal = excel_refusal(tables)
    if refusal is not None:
        raise ExportRefusedError(refusal)
    return sheets.workbook(
        [
            sheets.Sheet(sheet_name(table), frame, widths=(16,) * frame.shape[1], guard=_guarded)
            for table, frame in input_frames(tables, regions).items()
        ]
    )


def to_csv_zip(tables: Mapping[str, pd.DataFrame], regions: Regions) -> bytes:
    """One UTF-8-BOM CSV file per table (named by its label) in a ZIP."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table, frame in input_frames(tables, regions).items():
            text = _guarded(frame).to_csv(index=False)
            archive.writestr(f"{sheet_name(table)}.csv", text.encode("utf-8-sig"))
    return buffer.getvalue()


# GIS ------------------------------------------------------------------------------------


def _geometry(table: str, frame: pd.DataFrame, regions: Regions) -> list[Any]:
    if table == "zones":  # a zone is known by its county
        return [
            regions.geometry(code) if regions.has_geometry(code) else None
            for code in frame["county_adcode"]
        ]
    return list(gpd.points_from_xy(frame["lon"], frame["lat"]))


def _precision_label(code: str) -> str:
    return t(PRECISION_LABELS.get(code, code))


def gis_layer(table: str, frame: pd.DataFrame, regions: Regions) -> gpd.GeoDataFrame:
    """A products, zones or sites table as WGS-84 features, its field names in the current
    language."""
    shown = input_frame(table, frame, regions)
    for field, header in GIS_FIELDS.items():
        if field in frame:
            values = frame[field].reset_index(drop=True)
            if field == "precision":
                values = values.map(_precision_label)
            shown[t(header)] = values
    return gpd.GeoDataFrame(
        shown, geometry=_geometry(table, frame.reset_index(drop=True), regions), crs=WGS84
    )


def _null_free(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing values (NaN, NA) as None, so JSON has null and never NaN."""
    plain = frame.astype(object)
    return plain.where(frame.notna(), None)


def to_geojson(tables: Mapping[str, pd.DataFrame], regions: Regions) -> bytes:
    """One FeatureCollection (RFC 7946, WGS-84): products, zones and sites, each feature
    naming its table in 数据表."""
    features: list[dict[str, Any]] = []
    for table in SPATIAL_TABLES:
        layer = gis_layer(table, tables[table], regions)
        properties = _null_free(pd.DataFrame(layer.drop(columns="geometry")))
        for geometry, row in zip(layer.geometry, properties.to_dict("records"), strict=True):
            features.append(
                {
                    "type": "Feature",
                    "properties": {t(TABLE_FIELD): sheet_name(table), **row},
                    "geometry": None if geometry is None else shapely.geometry.mapping(geometry),
                }
            )
    collection = {"type": "FeatureCollection", "name": export_name(), "features": features}
    return json.dumps(collection, ensure_ascii=False, allow_nan=False).encode("utf-8")


def to_geopackage(tables: Mapping[str, pd.DataFrame], regions: Regions) -> bytes:
    """A GeoPackage with a layer per table: products, zones and sites as WGS-84
    (EPSG:4326) features, the others as attribute tables."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{export_name()}.gpkg"
        for table in EXPORT_TABLES:
            name = sheet_name(table)
            if table in SPATIAL_TABLES:
                layer = gis_layer(table, tables[table], regions)
                pyogrio.write_dataframe(layer, path, layer=name, driver="GPKG")
            else:
                frame = input_frame(table, tables[table], regions)
                pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG")
        return path.read_bytes()


_WRITERS = {"xlsx": to_xlsx, "csv": to_csv_zip, "geojson": to_geojson, "gpkg": to_geopackage}


def export_tables(tables: Mapping[str, pd.DataFrame], regions: Regions, kind: str) -> bytes:
    """The tables as a file of ``kind`` (a ``FORMATS`` key)."""
    if kind not in _WRITERS:
        raise ValueError(f"unknown export format {kind!r}; expected one of {list(FORMATS)}")
    return _WRITERS[kind](tables, regions)


def export_database(db: store.Store, regions: Regions, kind: str) -> bytes:
    """The whole database as a file of ``kind``: one consistent read of every table."""
    return export_tables(db.read_tables(), regions, kind)
