"""Honest round trips: every re-importable export, imported again in update mode into a
copy of the database, changes nothing (same content digest), and the Excel export refuses
rather than cut text at Excel's cell limit."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from landmarks.data import dump, history, store
from landmarks.data.imports import (
    MODE_APPEND,
    MODE_UPDATE,
    check_import,
    merged_tables,
    report_text,
)
from landmarks.data.reading import RawTable, read_upload, table_from_frame
from landmarks.data.regions import Regions
from tests import synthetic

LONG_NOTE = ('备注，含逗号、"引号"与换行\n第二行😀 ' * 100)[:2000].strip()
# Values a spreadsheet or a reader could change on the way: formula-like text, a guard
# already typed, full-width letters, emoji, bidi and line breaks, a list of links.
HOSTILE_PRODUCTS = [
    {"产品名称": "=1+1茶", "范围说明": "@SUM(A1)", "登记编号": "-12"},
    # Typed with the guard twice: the import takes one apostrophe off, '=2+2茶 is stored.
    {"产品名称": "''=2+2茶", "范围说明": "''@x", "登记编号": "+86"},
    {"产品名称": "ＡＢＣ茶", "范围说明": "\u202e反向\u202c文字"},
    {"产品名称": "😀茶", "备注": LONG_NOTE},
    {
        "产品名称": "链接茶",
        "来源链接": "https://a.cn/x?y=1&z=2",
        "其他来源链接": "http://b.cn/1 | https://c.cn/2",
    },
]


def with_hostile_rows(db_path: str | Path, regions: Regions) -> None:
    """The synthetic tables plus products carrying hostile text, written as an import."""
    tables = synthetic.install_at(db_path, regions)
    rows = [
        {"品类": "茶叶", "所属市州": "宜昌市", "所属县市区": "秭归县", "可信度": "高"}
        | {"来源类型": "官方发布"}
        | row
        for row in HOSTILE_PRODUCTS
    ]
    raw = table_from_frame(pd.DataFrame(rows).fillna(""), "恶意.csv")
    report = check_import(raw, "products", regions=regions, current=tables)
    assert report.ok, report_text(report)
    tables |= merged_tables(tables, report, MODE_APPEND)
    # Stored before the guard was doubled (the import takes one apostrophe off a typed '=).
    products = tables["products"]
    products.loc[products["name"] == "链接茶", "scope_note"] = "'=guarded"
    with store.opened(db_path) as db:
        db.write_tables(tables)


def read_xlsx(data: bytes) -> dict[str, RawTable]:
    return {
        table: read_upload(data, "导出.xlsx", table=table, sheet=dump.sheet_name(table))
        for table in dump.INPUT_COLUMNS
    }


def read_csv_zip(data: bytes) -> dict[str, RawTable]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {
        table: read_upload(archive.read(f"{dump.sheet_name(table)}.csv"), "导出.csv", table=table)
        for table in dump.INPUT_COLUMNS
    }


READERS: dict[str, Callable[[bytes], dict[str, RawTable]]] = {
    "xlsx": read_xlsx,
    "csv": read_csv_zip,
}


def digest(path: str | Path) -> str:
    with store.opened(path) as db:
        return db.content_digest()


def test_every_export_format_is_either_re_importable_or_for_gis_only() -> None:
    """The formats the round trip below covers are all the formats offered as
    re-importable; GeoJSON and GeoPackage are for GIS software (the import reads neither)."""
    importable = {kind for kind, found in dump.FORMATS.items() if "可再导入" in found.label}
    assert importable == set(READERS)


@pytest.mark.parametrize("kind", sorted(READERS))
def test_an_export_imported_again_in_update_mode_changes_nothing(
    kind: str, db_target: str, regions: Regions
) -> None:
    """On each backend: the export, imported into the database it came from, changes
    nothing (the content digest and the versions stay as they were)."""
    source = copy = db_target
    with_hostile_rows(source, regions)
    with store.opened(source) as db:
        exported = dump.export_database(db, regions, kind)
        before = db.content_digest(), db.versions()
    for table, raw in READERS[kind](exported).items():
        with store.opened(copy) as db:
            report = check_import(
                raw,
                table,
                regions=regions,
                current=db.read_tables(),
                mode=MODE_UPDATE,
            )
            assert report.ok, report_text(report)
            assert (report.rows_new, report.rows_changed) == (0, 0), report_text(report)
            assert report.rows_unchanged == report.rows_total > 0
            # An import that changes nothing writes no version and no backup.
            with pytest.raises(store.NothingChangedError):
                history.import_report(db, report, author="测试", content=exported)
    with store.opened(copy) as db:
        assert (db.content_digest(), db.versions()) == before
        products = db.read_table("products")
    hostile = products.set_index("name")
    assert hostile.loc["😀茶", "note"] == LONG_NOTE
    assert hostile.loc["'=2+2茶", "scope_note"] == "'@x"
    assert hostile.loc["链接茶", "scope_note"] == "'=guarded"
    assert hostile.loc["=1+1茶", "registration_number"] == "-12"


def test_xlsx_cells_starting_with_a_formula_sign_are_text(tmp_path: Path, regions: Regions) -> None:
    source = tmp_path / "source.sqlite"
    with_hostile_rows(source, regions)
    with store.opened(source) as db:
        data = dump.export_database(db, regions, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["地理标志产品"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = {cell.value for cell in cells}
    assert {"'=1+1茶", "''=2+2茶", "'@SUM(A1)", "'-12", "''=guarded"} <= values


def test_the_excel_export_refuses_rather_than_cut_long_text(
    tmp_path: Path, regions: Regions
) -> None:
    tables = synthetic.install(tmp_path / "source.sqlite", regions)
    long_text = "长" * 40_000
    tables["products"].loc[2, "note"] = long_text
    tables["sources"].loc[0, "facts"] = long_text
    with pytest.raises(dump.ExportRefusedError) as caught:
        dump.to_xlsx(tables, regions)
    assert str(caught.value) == (
        "Excel 单元格最多容纳 32,767 个字符，地理标志产品表第 4 行的“备注”、来源表第 2 行的“内容”"
        "更长，写入 Excel 会被截断，所以未生成 Excel 文件。"
        "请改用“CSV 文件压缩包”导出：它完整保存这些内容，也可原样再导入。"
    )
    assert dump.excel_refusal(tables) == str(caught.value)
    archive = zipfile.ZipFile(io.BytesIO(dump.to_csv_zip(tables, regions)))
    products = pd.read_csv(
        io.BytesIO(archive.read("地理标志产品.csv")), encoding="utf-8-sig", dtype=str
    )
    assert products.loc[2, "备注"] == long_text  # the CSV keeps it whole
    tables["products"].loc[2, "note"] = "短"
    tables["sources"].loc[0, "facts"] = "短"
    assert dump.excel_refusal(tables) is None


@pytest.mark.parametrize("start", ["=", "'-"])
def test_text_at_the_cell_bound_that_its_guard_pushes_past_is_refused(
    tmp_path: Path, regions: Regions, start: str
) -> None:
    """A stored note of exactly 32,767 characters starting with a formula sign is one
    character longer once guarded: the workbook would cut it, so it is refused."""
    from landmarks.data.spreadsheet import EXCEL_CELL_LIMIT

    tables = synthetic.install(tmp_path / "source.sqlite", regions)
    tables["products"].loc[2, "note"] = start + "长" * (EXCEL_CELL_LIMIT - len(start))
    refusal = dump.excel_refusal(tables)
    assert refusal is not None and "地理标志产品表第 4 行的“备注”" in refusal
    with pytest.raises(dump.ExportRefusedError):
        dump.to_xlsx(tables, regions)
    tables["products"].loc[2, "note"] = "长" * EXCEL_CELL_LIMIT  # no guard: it fits
    assert dump.excel_refusal(tables) is None


def test_the_list_export_says_where_it_cuts_text_longer_than_a_cell() -> None:
    """The filtered list's workbook (for reading, not re-import) never cuts silently."""
    from landmarks.data.spreadsheet import EXCEL_CELL_LIMIT
    from landmarks.query.export import to_csv_bytes, to_xlsx_bytes

    frame = pd.DataFrame({"产品名称": ["茶", "长" * 40_000]})
    cell = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active["A3"].value
    assert len(cell) == EXCEL_CELL_LIMIT
    assert cell.endswith("……（超过 Excel 单元格的 32,767 字符上限，已截断；完整内容见 CSV 导出）")
    assert "长" * 40_000 in to_csv_bytes(frame).decode("utf-8-sig")
