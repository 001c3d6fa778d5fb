"""Exports of the filtered list: Excel-friendly CSV and XLSX, formula cells neutralised."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from landmarks.data import storage
from landmarks.data.regions import Regions
from landmarks.query.export import (
    EXPORT_HEADERS,
    export_frame,
    neutralize,
    to_csv_bytes,
    to_xlsx_bytes,
)

DANGEROUS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "\t=evil", '=HYPERLINK("http://x")']


@pytest.fixture(scope="module")
def products(regions: Regions) -> pd.DataFrame:
    frame = storage.seed_frames(regions)["products"]
    frame["year"] = frame["year"].astype("Int64")
    return frame


@pytest.fixture(scope="module")
def hostile(products: pd.DataFrame) -> pd.DataFrame:
    frame = products.head(len(DANGEROUS)).copy()
    frame["name"] = DANGEROUS
    frame["note"] = "=cmd|' /C calc'!A0"
    return frame


def test_neutralize() -> None:
    for value in DANGEROUS:
        assert neutralize(value) == "'" + value
    assert neutralize("秭归脐橙") == "秭归脐橙"
    assert neutralize("a=b") == "a=b"
    assert neutralize(-3.5) == -3.5  # numbers are not formulas


def test_csv_has_bom_and_reads_back(products: pd.DataFrame) -> None:
    data = to_csv_bytes(export_frame(products))
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(EXPORT_HEADERS.values())
    assert len(frame) == len(products)
    assert "秭归脐橙" in set(frame["产品名称"])
    assert frame.loc[frame["产品名称"] == "秭归脐橙", "获批年份"].item() == "2006"


def test_csv_neutralises_formula_cells(hostile: pd.DataFrame) -> None:
    frame = pd.read_csv(
        io.BytesIO(to_csv_bytes(export_frame(hostile))),
        encoding="utf-8-sig",
        dtype=str,
        keep_default_na=False,
    )
    assert frame["产品名称"].tolist() == ["'" + v for v in DANGEROUS]
    assert set(frame["备注"]) == {"'=cmd|' /C calc'!A0"}


def test_xlsx_neutralises_formula_cells(hostile: pd.DataFrame) -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(export_frame(hostile))))
    sheet = book.active
    assert sheet.title == "地理标志产品"
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header == list(EXPORT_HEADERS.values())
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert names == ["'" + v for v in DANGEROUS]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)


def test_xlsx_keeps_chinese_and_numbers(products: pd.DataFrame) -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(export_frame(products))))
    rows = list(book.active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(products)
    header = list(EXPORT_HEADERS.values())
    zigui = dict(zip(header, next(r for r in rows if r[0] == "秭归脐橙"), strict=True))
    assert zigui["获批年份"] == 2006
    assert zigui["县市区"] == "秭归县" and zigui["可信度"] == "高"
    assert isinstance(zigui["经度（示意）"], float)


def test_export_shows_labels_and_never_repost_links(products: pd.DataFrame) -> None:
    frame = export_frame(products)
    repost = products["source_quality"] == "repost"
    assert (frame.loc[repost.to_numpy(), "来源链接"] == "").all()
    assert set(frame["可信度"]) <= {"高", "中", "低"}
    assert set(frame["来源类型"]) <= {
        "官方文件",
        "官方或主流媒体",
        "特产目录网站",
        "转载页（链接不予展示）",
    }
    assert frame["来源链接"].map(lambda u: u == "" or u.startswith("http")).all()


def test_control_characters_do_not_break_xlsx(products: pd.DataFrame) -> None:
    frame = products.head(1).copy()
    frame["note"] = "bad\x00\x07note"
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(export_frame(frame))))
    header = [cell.value for cell in book.active[1]]
    assert book.active.cell(2, header.index("备注") + 1).value == "badnote"
