"""Reading uploads as clerks make them: encodings, title rows, merged headers, Excel cells."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from landmarks.data import bounds, reading
from landmarks.data.reading import ReadError, clean_cell, read_upload, table_from_frame

HEADER = "产品名称,品类,所属县市区,登记年份,可信度,来源类型"
ROWS = ["秭归脐橙,水果,秭归县,2006,高,官方发布", "房县香菇,蔬菜,房县,2010,中,媒体报道"]
CSV_TEXT = "\n".join([HEADER, *ROWS]) + "\n"


def workbook_bytes(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("encoded", "encoding", "label"),
    [
        (CSV_TEXT.encode("utf-8"), "utf_8", "UTF-8"),
        (CSV_TEXT.encode("utf-8-sig"), "utf_8_sig", "UTF-8（带BOM）"),
        (CSV_TEXT.encode("gbk"), "gb18030", "GBK/GB18030"),
        (CSV_TEXT.encode("gb18030"), "gb18030", "GBK/GB18030"),
        (CSV_TEXT.encode("utf-16"), "utf_16", "UTF-16"),
    ],
)
def test_csv_encodings_are_detected(encoded: bytes, encoding: str, label: str) -> None:
    raw = read_upload(encoded, "普查.csv", table="products")
    assert (raw.encoding, raw.encoding_label) == (encoding, label)
    assert list(raw.frame.columns) == HEADER.split(",")
    assert raw.frame["产品名称"].tolist() == ["秭归脐橙", "房县香菇"]


def test_a_short_gbk_file_is_not_taken_for_korean(tmp_path: Path) -> None:
    # Two short lines of GBK are read as cp949 by an unrestricted detector.
    path = tmp_path / "short.csv"
    path.write_bytes("名称,县市区,经度,纬度\n房县香菇,房县,110.7,32.0\n".encode("gbk"))
    raw = read_upload(path.read_bytes(), path.name)
    assert raw.frame.loc[0, "名称"] == "房县香菇"


def test_characters_only_gb18030_has_survive() -> None:
    text = "产品名称,品类,备注\n㐀茶,茶叶,生僻字㐀\n"
    raw = read_upload(text.encode("gb18030"), "a.csv", table="products")
    assert raw.frame.loc[0, "备注"] == "生僻字㐀"


def test_title_rows_empty_rows_and_stray_whitespace(tmp_path: Path) -> None:
    text = (
        "湖北省地理标志产品普查表,,,,,\n"
        "填报单位：秭归县,,,,,\n"
        f"{HEADER}\n"
        ",,,,,\n"
        " 秭归脐橙\u3000,水果 ,秭归县,2006,高,官方发布\n"
        "\n"
        "房县香菇,蔬菜,房县,2010,中,媒体报道\n"
    )
    path = tmp_path / "title.csv"
    path.write_bytes(text.encode("gbk"))
    raw = read_upload(path.read_bytes(), path.name, table="products")
    assert raw.header_row == 3
    assert raw.row_numbers == (5, 7)
    assert raw.frame["产品名称"].tolist() == ["秭归脐橙", "房县香菇"]
    assert raw.frame.loc[0, "品类"] == "水果"
    assert any("第1–2行" in note for note in raw.notes)


def test_semicolon_and_tab_separated_files() -> None:
    for separator in (";", "\t"):
        raw = read_upload(CSV_TEXT.replace(",", separator).encode(), "a.csv", table="products")
        assert raw.frame.shape == (2, 6)


def test_an_xlsx_with_a_title_and_a_merged_two_row_header() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "普查"
    sheet["A1"] = "湖北省地理标志产品普查表（2025年）"
    sheet.merge_cells("A1:H1")
    for column, header in (("A", "产品名称"), ("B", "品类"), ("G", "可信度"), ("H", "来源类型")):
        sheet[f"{column}2"] = header
        sheet.merge_cells(f"{column}2:{column}3")
    sheet["C2"] = "所在地"
    sheet.merge_cells("C2:D2")
    sheet["C3"], sheet["D3"] = "所属市州", "县（市、区）"
    sheet["E2"] = "坐标"
    sheet.merge_cells("E2:F2")
    sheet["E3"], sheet["F3"] = "经度", "纬度"
    sheet.append(["秭归脐橙", "水果", "宜昌市", "秭归县", 110.9, "30.8", "高", "官方发布"])
    sheet.append(["屈乡丝棉茶", "茶叶", None, "秭归县", None, None, "中", "媒体报道"])
    sheet.merge_cells("C4:C5")  # the prefecture written once for both rows
    raw = read_upload(workbook_bytes(workbook), "普查.xlsx", table="products")
    assert raw.sheet == "普查" and raw.header_row == 3
    assert list(raw.frame.columns) == [
        "产品名称",
        "品类",
        "所属市州",
        "县（市、区）",
        "经度",
        "纬度",
        "可信度",
        "来源类型",
    ]
    assert raw.row_numbers == (4, 5)
    assert raw.frame["所属市州"].tolist() == ["宜昌市", "宜昌市"]
    assert raw.frame.loc[0, "经度"] == "110.9"
    assert "表头占两行（第2–3行），已合并读取" in raw.notes


def test_a_two_row_header_whose_upper_row_names_the_field() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.append(["产品名称", "品类", "位置", "位置"])
    sheet.append(["", "", "经度", "纬度"])
    sheet.append(["秭归脐橙", "水果", 110.9, 30.8])
    raw = read_upload(workbook_bytes(workbook), "a.xlsx", table="products")
    assert list(raw.frame.columns) == ["产品名称", "品类", "经度", "纬度"]
    assert raw.header_row == 2 and raw.row_numbers == (3,)


def test_excel_cells_become_the_text_users_typed() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.append(["产品名称", "登记年份", "经度", "备注", "登记编号", "数值"])
    sheet.append(["'=1+1地标", 2006.0, "１１０．９８", dt.datetime(2024, 5, 18), "0012", 1e-05])
    sheet.append(["秭归脐橙", "2006", 110.98, dt.date(2006, 6, 20), 12, 429.03])
    raw = read_upload(workbook_bytes(workbook), "a.xlsx", table="products")
    first, second = raw.frame.iloc[0].tolist(), raw.frame.iloc[1].tolist()
    assert first == ["=1+1地标", "2006", "１１０．９８", "2024-05-18", "0012", "0.00001"]
    assert second == ["秭归脐橙", "2006", "110.98", "2006-06-20", "12", "429.03"]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, ""),
        (2006.0, "2006"),
        (110.98, "110.98"),
        (True, "是"),
        (dt.datetime(2024, 5, 18, 9, 30), "2024-05-18 09:30:00"),
        ("\u200b 秭归\u3000 ", "秭归"),
        ("'-5", "-5"),
        ("a\r\nb", "a\nb"),
    ],
)
def test_clean_cell(value: object, cell: str) -> None:
    assert clean_cell(value) == cell


def test_the_first_visible_sheet_with_a_header_is_read() -> None:
    workbook = openpyxl.Workbook()
    workbook.worksheets[0].title = "封面"
    workbook.worksheets[0]["A1"] = "说明：本表由县市区填报"
    hidden = workbook.create_sheet("隐藏")
    hidden.append(["产品名称", "品类"])
    hidden.sheet_state = "hidden"
    data = workbook.create_sheet("数据")
    data.append(["产品名称", "品类"])
    data.append(["秭归脐橙", "水果"])
    raw = read_upload(workbook_bytes(workbook), "a.xlsx", table="products")
    assert raw.sheet == "数据"
    assert read_upload(workbook_bytes(workbook), "a.xlsx", sheet="隐藏").frame.empty
    with pytest.raises(ReadError, match="没有名为“汇总”的工作表；现有工作表：封面、隐藏、数据"):
        read_upload(workbook_bytes(workbook), "a.xlsx", sheet="汇总")


def test_repeated_and_unnamed_columns_keep_apart() -> None:
    text = "产品名称,备注,备注,,\n秭归脐橙,甲,乙,,丙\n"
    raw = read_upload(text.encode(), "a.csv", table="products")
    assert list(raw.frame.columns) == ["产品名称", "备注", "备注（C列）", "（E列，无列名）"]
    assert raw.frame.iloc[0].tolist() == ["秭归脐橙", "甲", "乙", "丙"]


def test_a_table_typed_in_the_app_reads_like_a_file() -> None:
    typed = pd.DataFrame(
        {"产品名称": [None, " 秭归脐橙 ", "房县香菇"], "登记年份": [None, 2006.0, ""]}
    )
    raw = table_from_frame(typed)
    assert raw.frame.to_numpy().tolist() == [["秭归脐橙", "2006"], ["房县香菇", ""]]
    assert raw.row_numbers == (3, 4) and raw.header_row == 1


# Files that cannot be read ------------------------------------------------------------


def test_an_empty_file() -> None:
    with pytest.raises(ReadError) as caught:
        read_upload(b"", "普查.csv")
    assert str(caught.value) == "文件“普查.csv”是空的（0 字节），请检查是否选错了文件。"


def test_a_file_of_blank_lines() -> None:
    for text in (" \n\n", " \n\n,,,\n,,\n"):
        with pytest.raises(ReadError) as caught:
            read_upload(text.encode(), "普查.csv")
        assert str(caught.value) == "“普查.csv”中没有任何内容（只有空行或空单元格）。"


def test_an_empty_workbook() -> None:
    with pytest.raises(ReadError, match="里没有任何数据（所有工作表都是空的）"):
        read_upload(workbook_bytes(openpyxl.Workbook()), "空.xlsx")


def test_no_header_lists_the_expected_columns() -> None:
    text = "甲,乙,丙\n1,2,3\n"
    with pytest.raises(ReadError) as caught:
        read_upload(text.encode(), "a.csv", table="products")
    message = str(caught.value)
    assert message.startswith("在“a.csv”的前 2 行中没有找到表头：没有一行包含可识别的列名。")
    assert "地理标志产品表的必填列：产品名称、品类、可信度、来源类型" in message


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"%PDF-1.4",
            "普查.pdf",
            "不支持的文件类型“.pdf”：“普查.pdf”。请上传 Excel 工作簿（.xlsx）",
        ),
        (b"abc", "普查", "不支持的文件类型（文件名没有扩展名）"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "普查.xls",
            "旧版 Excel 97-2003（.xls）",
        ),
        (b"PK\x03\x04 not really a zip", "普查.xlsx", "无法读取 Excel 文件“普查.xlsx”：文件已损坏"),
        (b"<html>not a workbook</html>", "普查.xlsx", "无法读取 Excel 文件“普查.xlsx”：文件已损坏"),
        (b"\x00\x01\x02\x03" * 50, "普查.csv", "无法识别“普查.csv”的文字编码"),
    ],
)
def test_unreadable_files_say_why(data: bytes, name: str, message: str) -> None:
    with pytest.raises(ReadError, match=re.escape(message)):
        read_upload(data, name)


def test_a_zip_that_is_no_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "不是工作簿")
    with pytest.raises(ReadError) as caught:
        read_upload(buffer.getvalue(), "普查.xlsx")
    assert str(caught.value) == (
        "无法读取 Excel 文件“普查.xlsx”：文件已损坏，或并不是 .xlsx 格式。"
        "请在 Excel 中打开它，另存为 Excel 工作簿（.xlsx）后再上传。"
    )


def test_a_file_over_the_limit_is_refused_with_the_limit_stated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bounds, "MAX_CSV_BYTES", 1024)
    with pytest.raises(ReadError) as caught:
        read_upload(b"a" * 3 * 1024, "大.csv")
    assert str(caught.value) == (
        "文件“大.csv”大小为 3 KB，超过了 1 KB 的上限，未读取。"
        "请把数据拆成几个较小的文件分批导入，或删去无关的工作表和图片后再上传。"
    )


@pytest.mark.parametrize(
    ("name", "limit", "shown"),
    [("大.csv", 10 * 1024 * 1024, "10 MB"), ("大.xlsx", 20 * 1024 * 1024, "20 MB")],
)
def test_a_file_over_its_kinds_size_bound_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch, name: str, limit: int, shown: str
) -> None:
    def never(*args: object) -> None:
        raise AssertionError("a file over the limit must not be parsed")

    monkeypatch.setattr(reading, "_read_csv", never)
    monkeypatch.setattr(reading, "_read_workbook", never)
    just_over = b"a" * (limit + 1)
    with pytest.raises(
        ReadError, match=f"大小为 {limit + 1:,} 字节，超过了 {shown} 的上限，未读取"
    ):
        read_upload(just_over, name)
    with pytest.raises(ReadError, match=f"大小为 50 MB，超过了 {shown} 的上限"):
        read_upload(b"a" * 50 * 1024 * 1024, name)


def test_a_zip_bomb_is_refused_by_its_unpacked_size(monkeypatch: pytest.MonkeyPatch) -> None:
    workbook = openpyxl.Workbook()
    workbook.worksheets[0].append(["产品名称", "品类"])
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 2048)
    with pytest.raises(ReadError, match=r"解压后达 .* KB，超过了 2 KB 的上限"):
        read_upload(workbook_bytes(workbook), "a.xlsx")


def test_in_english_an_unreadable_file_is_explained_in_english() -> None:
    from landmarks import i18n

    with i18n.language(i18n.ENGLISH):
        with pytest.raises(ReadError) as empty:
            read_upload(b"", "产品.csv")
        with pytest.raises(ReadError) as old:
            read_upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "产品.xls")
        typed = table_from_frame(pd.DataFrame({"产品名称": ["秭归脐橙"]}))
    assert str(empty.value) == (
        "The file “产品.csv” is empty (0 bytes); check that you chose the right file."
    )
    assert str(old.value).startswith("“产品.xls” is an old Excel 97-2003 (.xls) file")
    assert typed.file_name == "Online editing"
    assert table_from_frame(pd.DataFrame({"产品名称": ["秭归脐橙"]})).file_name == "在线编辑"
