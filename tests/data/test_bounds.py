"""Bounds on every input: lengths per field, rows, columns, cells and bytes per file, keys
compared after NFKC and case folding, link fields that hold only http(s) URLs, and
problem reports that list the first problems and count the rest."""

from __future__ import annotations

import io
import tomllib
import tracemalloc
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from landmarks.__main__ import EXIT_REJECTED, main
from landmarks.data import bounds, reading, seed
from landmarks.data.columns import INPUT_COLUMNS, NAME_LENGTH, InputColumn
from landmarks.data.imports import (
    MODE_APPEND,
    MODE_UPDATE,
    PROBLEMS_SHOWN,
    ImportRejectedError,
    Mode,
    check_import,
    merged_tables,
    problem_counts,
    report_text,
)
from landmarks.data.reading import ReadError, read_upload, table_from_frame
from landmarks.data.regions import Regions
from landmarks.data.urls import url_problem
from tests.harness.server import ROOT

PRODUCT_HEADER = "产品名称,品类,所属市州,所属县市区,可信度,来源类型"


def product_line(name: str = "屈乡丝棉茶", county: str = "秭归县") -> str:
    return f"{name},茶叶,宜昌市,{county},高,官方发布"


def products_csv(*lines: str) -> bytes:
    return ("\n".join([PRODUCT_HEADER, *lines]) + "\n").encode("utf-8")


def check_products(
    data: bytes,
    tables: dict[str, pd.DataFrame],
    regions: Regions,
    mode: Mode = MODE_APPEND,
    name: str = "产品.csv",
):  # type: ignore[no-untyped-def]
    raw = read_upload(data, name, table="products")
    return check_import(raw, "products", regions=regions, current=tables, mode=mode)


# Lengths per field -------------------------------------------------------------------

FIELDS = [(table, column) for table, columns in INPUT_COLUMNS.items() for column in columns]


@pytest.mark.parametrize(
    ("table", "column"), FIELDS, ids=[f"{table}.{column.key}" for table, column in FIELDS]
)
def test_a_value_over_its_fields_bound_names_row_field_and_bound(
    table: str, column: InputColumn, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    headers = [c.header for c in INPUT_COLUMNS[table]]
    over = "长" * (column.max_length + 1)
    at_bound = "长" * column.max_length
    frame = pd.DataFrame(
        [
            {h: (over if h == column.header else "") for h in headers},
            {h: (at_bound if h == column.header else "") for h in headers},
        ]
    )
    report = check_import(table_from_frame(frame), table, regions=regions, current=tables)
    too_long = report.problems[report.problems["problem"].str.contains("个字符的上限")]
    limit = f"{column.max_length:,}"
    assert too_long[["row", "field"]].values.tolist() == [[2, column.header]]
    assert too_long.iloc[0]["problem"] == (
        f"长度为 {column.max_length + 1:,} 个字符，超过了 {limit} 个字符的上限"
    )
    assert too_long.iloc[0]["expected"] == f"不超过 {limit} 个字符"
    assert too_long.iloc[0]["value"] == "长" * 30 + "…"  # quoted, not repeated whole
    assert report.rows_valid == 0 or table == "registrations"


def test_the_255_character_name_that_broke_the_explorer_is_refused(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    name = "秭归" * 127 + "茶"
    report = check_products(products_csv(product_line(name)), tables, regions)
    assert not report.ok and report.rows_valid == 0
    assert f"超过了 {NAME_LENGTH} 个字符的上限" in report_text(report)
    with pytest.raises(ImportRejectedError, match="没有无误的行可以导入"):
        merged_tables(tables, report, MODE_APPEND, valid_only=True)
    names = set(report.prepared_valid["name"])
    assert name not in names


def test_the_bounds_leave_room_for_the_shipped_data(tmp_path: Path, regions: Regions) -> None:
    """Every shipped value fits its field twice over."""
    from landmarks.data import store
    from landmarks.data.columns import table_as_input

    with store.opened(tmp_path / "seed.sqlite") as db:
        seed.ensure_seeded(db, regions)
        shipped = db.read_tables()
    for table in INPUT_COLUMNS:
        shape = table_as_input(table, shipped[table], regions)
        for column in INPUT_COLUMNS[table]:
            lengths = shape[column.key].map(lambda v: len(str(v)) if pd.notna(v) else 0)
            assert lengths.max() * 2 <= column.max_length, (table, column.key)


# Bounds per file ---------------------------------------------------------------------


def big_csv(rows: int) -> bytes:
    lines = [product_line(f"产品{i}") for i in range(rows)]
    return products_csv(*lines)


def test_a_csv_over_the_row_bound_is_refused_while_read_naming_the_bound() -> None:
    data = big_csv(reading.MAX_DATA_ROWS + reading.HEADER_SEARCH_ROWS + 5)
    with pytest.raises(ReadError) as caught:
        read_upload(data, "大.csv", table="products")
    assert str(caught.value) == (
        "“大.csv”行数超过了 10,000 行数据的上限，未读取（读到此处即停止）。"
        "请把数据拆成几个较小的文件分批导入。"
    )


def test_a_file_just_under_the_row_bound_is_read_and_one_row_more_is_refused() -> None:
    raw = read_upload(big_csv(reading.MAX_DATA_ROWS), "整.csv", table="products")
    assert len(raw.frame) == reading.MAX_DATA_ROWS
    with pytest.raises(ReadError, match="行数超过了 10,000 行数据的上限"):
        read_upload(big_csv(reading.MAX_DATA_ROWS + 1), "多.csv", table="products")


def test_reading_stops_at_the_bound_instead_of_parsing_the_whole_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Memory follows the bound, not the file: a file ten times larger reads no further
    and takes no more memory."""
    monkeypatch.setattr(reading, "MAX_DATA_ROWS", 1_000)
    cleaned = 0
    clean = reading.clean_cell

    def counting(value: object) -> str:
        nonlocal cleaned
        cleaned += 1
        return clean(value)

    monkeypatch.setattr(reading, "clean_cell", counting)
    peaks = []
    for rows in (5_000, 50_000):
        data = big_csv(rows)
        cleaned = 0
        tracemalloc.start()
        with pytest.raises(ReadError, match="1,000 行数据的上限"):
            read_upload(data, "大.csv", table="products")
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        columns = PRODUCT_HEADER.count(",") + 1
        assert cleaned <= (1_000 + reading.HEADER_SEARCH_ROWS + 1) * columns
    small, large = peaks
    assert large < small * 1.1  # the larger file is 2.5 MB more; its peak is not


def test_an_xlsx_over_the_row_bound_is_refused_while_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(reading, "MAX_DATA_ROWS", 500)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("产品")
    sheet.append(PRODUCT_HEADER.split(","))
    for i in range(5_000):
        sheet.append(product_line(f"产品{i}").split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ReadError, match="行数超过了 500 行数据的上限"):
        read_upload(buffer.getvalue(), "大.xlsx", table="products")


def test_an_xlsx_whose_sheet_unpacks_past_the_bound_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "产品"
    workbook.active.append(PRODUCT_HEADER.split(","))
    for i in range(200):
        workbook.active.append(product_line(f"产品{i}").split(","))
    workbook.create_sheet("说明").append(["短"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    monkeypatch.setattr(reading, "MAX_SHEET_XML_BYTES", 4096)
    # Opening a workbook scans every sheet without a recorded used range: never reached.
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(ReadError) as caught:
        read_upload(buffer.getvalue(), "大.xlsx", table="products", sheet="说明")
    assert str(caught.value).startswith("Excel 文件“大.xlsx”的工作表“产品”解压后达 ") and str(
        caught.value
    ).endswith("KB，超过了 4 KB 的上限（约 10,000 行数据），未读取。请拆分后分批导入。")


def test_too_many_columns_or_cells_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    wide = ",".join(["产品名称", "品类", *(f"列{i}" for i in range(120))]) + "\n"
    wide += ",".join(["茶", "茶叶", *("x" for _ in range(120))]) + "\n"
    with pytest.raises(ReadError, match="列数超过了 100 列的上限"):
        read_upload(wide.encode(), "宽.csv", table="products")
    monkeypatch.setattr(reading, "MAX_CELLS", 50)
    with pytest.raises(ReadError, match="单元格数超过了 50 个的上限"):
        read_upload(big_csv(20), "多.csv", table="products")


def test_a_file_of_empty_lines_is_refused_at_the_record_bound() -> None:
    """Empty records count too: 10 MB of line ends (17 s and 2.3 GB when every empty
    record was kept) is refused at the bound, naming it, in memory that follows the bound
    (its time is the benchmark's business, not a test's)."""
    data = b"\xe4\xba\xa7\xe5\x93\x81\xe5\x90\x8d\xe7\xa7\xb0,\xe5\x93\x81\xe7\xb1\xbb\n"
    data += b"\n" * (bounds.MAX_CSV_BYTES - len(data))
    tracemalloc.start()
    with pytest.raises(ReadError) as caught:
        read_upload(data, "空行.csv", table="products")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    assert str(caught.value) == (
        "“空行.csv”记录数（含空行）超过了 100,000 行的上限，未读取（读到此处即停止）。"
        "请把数据拆成几个较小的文件分批导入。"
    )


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many rows each read keeps for its table (spied on ``reading._table``)."""
    sizes: list[int] = []
    table = reading._table

    def spying(grid, *args, **kwargs):  # type: ignore[no-untyped-def]
        sizes.append(len(grid))
        return table(grid, *args, **kwargs)

    monkeypatch.setattr(reading, "_table", spying)
    return sizes


def test_empty_records_under_the_bound_are_read_but_not_kept(kept: list[int]) -> None:
    empty = ",,,,,"
    data = products_csv(product_line("甲"), *([empty] * 50_000), product_line("乙"))
    raw = read_upload(data, "空行.csv", table="products")
    assert raw.frame["产品名称"].tolist() == ["甲", "乙"]
    assert raw.row_numbers == (2, 50_003)
    assert kept == [3]


def styled_empty_rows_workbook(rows: int) -> bytes:
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "产品"
    sheet.append(PRODUCT_HEADER.split(","))
    sheet.append(product_line("甲").split(","))
    for row in range(3, rows + 3):
        for column in (1, 2, 3):
            sheet.cell(row=row, column=column).font = Font(bold=True)  # styled, empty
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_rows_of_styled_empty_cells_are_not_kept_and_count_to_the_bound(
    kept: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = styled_empty_rows_workbook(2_000)
    raw = read_upload(data, "样式.xlsx", table="products")
    assert raw.frame["产品名称"].tolist() == ["甲"]
    assert kept == [2]
    monkeypatch.setattr(reading, "MAX_RECORDS", 1_000)
    with pytest.raises(ReadError, match="记录数（含空行）超过了 1,000 行的上限"):
        read_upload(data, "样式.xlsx", table="products")


@pytest.mark.parametrize("extra", [1, 20])
def test_an_xlsx_with_a_value_past_the_column_bound_is_refused_not_cut(extra: int) -> None:
    """As in a CSV file: a value in column 101 (or further) is refused, never dropped."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    header = PRODUCT_HEADER.split(",")
    sheet.append(header)
    row = product_line("甲").split(",")
    sheet.append(row)
    sheet.cell(row=2, column=reading.MAX_COLUMNS + extra, value="多出的值")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ReadError, match="列数超过了 100 列的上限"):
        read_upload(buffer.getvalue(), "宽.xlsx", table="products")


def test_a_gbk_line_after_a_long_ascii_prefix_is_read_as_gbk() -> None:
    """The encoding is told from a prefix; a later GBK line still reads right."""
    head = "产品名称,品类,所属县市区,note\n".encode("gbk")
    ascii_rows = b"".join(b"x%d,tea,y,plain ascii row\n" % i for i in range(4_000))
    assert len(ascii_rows) > reading.CSV_PREFIX_BYTES
    data = b"Name list\n" + ascii_rows + "秭归脐橙,水果,秭归县,末行\n".encode("gbk")
    raw = read_upload(head + data, "混.csv", table="products")
    assert raw.frame.iloc[-1].tolist()[:3] == ["秭归脐橙", "水果", "秭归县"]
    assert raw.encoding == "gb18030"


# Keys after NFKC and case folding ----------------------------------------------------


def test_full_width_and_case_variants_are_one_product_in_a_file(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    data = products_csv(product_line("ＡＢＣ茶"), product_line("ABC茶"), product_line("abc茶"))
    report = check_products(data, tables, regions)
    duplicates = report.problems[report.problems["problem"].str.contains("重复")]
    assert duplicates[["row", "value"]].values.tolist() == [[3, "ABC茶"], [4, "abc茶"]]
    assert duplicates.iloc[0]["problem"] == "与第2行的“ＡＢＣ茶”重复（忽略全角半角和大小写）"
    assert report.rows_valid == 1


def test_an_update_matches_the_stored_row_whatever_its_width_and_case(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    first = check_products(products_csv(product_line("ABC茶")), tables, regions)
    tables |= merged_tables(tables, first, MODE_APPEND)
    count = len(tables["products"])
    again = check_products(products_csv(product_line("ａｂｃ茶")), tables, regions)
    assert "数据库中已有这条记录" in report_text(again)  # append: a duplicate of ABC茶
    update = check_products(
        products_csv(product_line("ａｂｃ茶", county="兴山县")), tables, regions, MODE_UPDATE
    )
    assert (update.rows_new, update.rows_changed) == (0, 1), report_text(update)
    merged = merged_tables(tables, update, MODE_UPDATE)["products"]
    assert len(merged) == count
    # The row is updated, not renamed: what refers to ABC茶 still finds it.
    row = merged[merged["name"] == "ABC茶"].iloc[0]
    assert row["county"] == "兴山县" and row["family"] == "ABC茶"
    assert "ａｂｃ茶" not in set(merged["name"])
    same = check_products(
        products_csv(product_line("abc茶", county="兴山县")),
        tables | {"products": merged},
        regions,
        MODE_UPDATE,
    )
    assert (same.rows_new, same.rows_changed, same.rows_unchanged) == (0, 0, 1)


# Links -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://news.cnhubei.com/a.html", None),
        ("https://www.cnr.cn/hubei/zigui.html?a=1&b=2#top", None),
        ("HTTPS://WWW.CNR.CN/x", None),
        ("http://秭归.中国/新闻", None),
        ("javascript:alert(1)", "只接受 http:// 或 https:// 开头的网址"),
        ("JaVaScRiPt:alert(1)", "只接受 http:// 或 https:// 开头的网址"),
        ("data:text/html,<b>", "含有网址中不允许的字符“<”"),
        ("ftp://files.example.cn/a", "只接受 http:// 或 https:// 开头的网址"),
        ('http://a.cn/x" onmouseover="alert(1)', '含有网址中不允许的字符“"”'),
        ("http://a.cn/x'y", "含有网址中不允许的字符“'”"),
        ("http://a.cn/<script>", "含有网址中不允许的字符“<”"),
        ("http://a.cn/a b", "含有网址中不允许的字符“ ”"),
        ("http://a.cn/\x07", "含有网址中不允许的字符“\\x07”"),
        ("http://a.cn\\@evil.cn", "含有网址中不允许的字符“\\”"),
        ("http:///path", "网址中没有主机名"),
        ("https:a.cn", "网址中没有主机名"),
        ("http://a.cn:port/", "网址格式不正确"),
        ("http://[::1/", "网址格式不正确"),
    ],
)
def test_url_problem(url: str, problem: str | None) -> None:
    assert url_problem(url) == problem


def test_link_fields_accept_only_well_formed_http_urls(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    header = PRODUCT_HEADER + ",来源链接,其他来源链接"
    lines = [
        product_line("甲茶") + ",http://a.cn/1,http://b.cn/2 https://c.cn/3",
        product_line("乙茶") + ',"http://a.cn/x"" onclick=""x",',
        product_line("丙茶") + ",http://a.cn/1,http://b.cn/2 javascript:alert(1)",
        product_line("丁茶") + ",,http://b.cn/2 | https://c.cn/3",
    ]
    data = ("\n".join([header, *lines]) + "\n").encode()
    report = check_products(data, tables, regions)
    assert report.problems[["row", "field", "value", "problem"]].values.tolist() == [
        [3, "来源链接", 'http://a.cn/x" onclick="x', '含有网址中不允许的字符“"”'],
        [4, "其他来源链接", "javascript:alert(1)", "只接受 http:// 或 https:// 开头的网址"],
    ]
    assert report.rows_valid == 2


# Reports of many problems ------------------------------------------------------------


def test_a_report_lists_the_first_problems_and_counts_the_rest(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    lines = [product_line(f"茶{i}", county="秭龟县") for i in range(150)]
    lines += [product_line("长" * 50) for _ in range(30)]
    report = check_products(products_csv(*lines), tables, regions)
    assert len(report.problems) >= 180
    text = report_text(report).splitlines()
    listed = [line for line in text if line.startswith("第")]
    assert len(listed) == PROBLEMS_SHOWN
    rest = len(report.problems) - PROBLEMS_SHOWN
    assert f"……另有 {rest:,} 处问题未逐条列出（完整清单见问题清单工作簿），按字段统计：" in text
    counts = problem_counts(report)
    assert counts["count"].sum() == rest
    assert counts.iloc[0].tolist()[0] == "所属县市区" and counts.iloc[0]["count"] == 100
    assert "  产品名称（应为不超过 40 个字符）：30 处" in text
    assert len(report_text(report, limit=None).splitlines()) > len(report.problems)


def test_the_command_line_prints_a_bounded_report_and_saves_the_whole(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "坏.csv"
    path.write_bytes(products_csv(*(product_line(f"茶{i}", county="秭龟县") for i in range(500))))
    report = tmp_path / "报告.xlsx"
    assert main(["import", str(path), "--table", "products", "--report", str(report)]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) < PROBLEMS_SHOWN + 20
    sheet = openpyxl.load_workbook(report)["问题清单"]
    assert sheet.max_row == 501  # the header and every problem
    assert EXIT_REJECTED == 1


def test_the_command_line_refuses_a_file_over_its_size_bound_unread(
    tmp_path: Path,
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "大.csv"
    path.write_bytes(b"a" * 2048)
    monkeypatch.setattr(bounds, "MAX_CSV_BYTES", 1024)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a refused file"))
    assert main(["import", str(path), "--table", "products"]) == 2
    assert "超过了 1 KB 的上限，未读取" in capsys.readouterr().err


def test_the_command_line_refuses_a_50_mb_file_before_loading_pandas(tmp_path: Path) -> None:
    """The refusal comes before the data modules load, so it takes about a second."""
    import subprocess
    import sys

    path = tmp_path / "大.csv"
    with path.open("wb") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    probe = (
        "import sys; from landmarks.__main__ import main; "
        f"code = main(['import', {str(path)!r}, '--table', 'products']); "
        "print(code, 'pandas' in sys.modules, 'openpyxl' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == ["2", "False", "False"]
    assert "大小为 50 MB，超过了 10 MB 的上限，未读取" in result.stderr


def test_the_templates_state_the_bounds_and_excel_enforces_the_lengths() -> None:
    from landmarks.data.templates import general_notes, template_xlsx

    notes = "\n".join(general_notes("products"))
    assert "产品名称不超过 40 个字符、备注不超过 2,000 个字符" in notes
    assert "每个文件最多 10,000 行数据；CSV 文件不超过 10 MB，Excel 文件不超过 20 MB" in notes
    sheet = openpyxl.load_workbook(io.BytesIO(template_xlsx("products"))).worksheets[0]
    lengths = {
        str(validation.sqref).split(":")[0]: validation.formula1
        for validation in sheet.data_validations.dataValidation
        if validation.type == "textLength"
    }
    assert lengths["A2"] == "40"  # 产品名称
    assert sheet["A1"].value == "产品名称"


def test_a_registration_finds_its_product_whatever_its_width_and_case(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    added = check_products(products_csv(product_line("ABC茶")), tables, regions)
    tables |= merged_tables(tables, added, MODE_APPEND)
    frame = pd.DataFrame(
        [{"产品名称": "ａｂｃ茶", "地理标志类型": "地理标志证明商标", "登记编号": "ＮＯ.１"}]
    )
    report = check_import(table_from_frame(frame), "registrations", regions=regions, current=tables)
    assert report.ok, report_text(report)
    assert report.prepared is not None and report.prepared["product"].tolist() == ["ABC茶"]
    tables |= merged_tables(tables, report, MODE_APPEND)
    again = pd.DataFrame(
        [{"产品名称": "Abc茶", "地理标志类型": "地理标志证明商标", "登记编号": "no.1"}]
    )
    duplicate = check_import(
        table_from_frame(again), "registrations", regions=regions, current=tables
    )
    assert "数据库中已有这条记录" in report_text(duplicate)


def test_an_xlsx_with_too_many_filled_cells_is_refused_before_opening(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Counted in the sheet's XML (empty styled cells do not count), before openpyxl
    opens the workbook, whose opening alone would scan such a sheet for its size."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "产品"
    sheet.append(PRODUCT_HEADER.split(","))
    for i in range(300):
        sheet.append(product_line(f"产品{i}").split(","))
    for row in range(400, 2_000):  # styled, empty: not counted
        sheet.cell(row=row, column=1).number_format = "0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    filled = 6 * 301
    monkeypatch.setattr(reading, "_CHUNK_BYTES", 1000)  # tags cut by chunk ends count once
    monkeypatch.setattr(reading, "MAX_CELLS", filled)
    raw = read_upload(buffer.getvalue(), "整.xlsx", table="products")
    assert len(raw.frame) == 300
    monkeypatch.setattr(reading, "MAX_CELLS", filled - 1)
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("opened"))
    with pytest.raises(ReadError) as caught:
        read_upload(buffer.getvalue(), "多.xlsx", table="products")
    assert str(caught.value) == (
        "Excel 文件“多.xlsx”的工作表“产品”有超过 1,805 个填了内容的单元格（上限），未读取。"
        "请把数据拆成几个较小的文件分批导入。"
    )


def test_the_server_refuses_uploads_larger_than_any_file_the_import_reads() -> None:
    """Streamlit holds an upload in memory before the page sees it: its own limit (MB in
    the app's config) is the largest kind's bound, not its 200 MB default."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    largest = max(bounds.MAX_CSV_BYTES, bounds.MAX_XLSX_BYTES)
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == largest


def test_an_update_keeps_stored_spellings_through_one_path(
    tables: dict[str, pd.DataFrame], regions: Regions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``_stored_spelling`` is the one place an update takes a key's stored spelling:
    with it switched off, the file's spelling stays (no second copy respells it)."""
    from landmarks.data import imports

    first = check_products(products_csv(product_line("ABC茶")), tables, regions)
    tables |= merged_tables(tables, first, MODE_APPEND)
    file = products_csv(product_line("ａｂｃ茶", county="兴山县"))
    calls: list[str] = []
    respell = imports._stored_spelling

    def counting(table, rows, stored):  # type: ignore[no-untyped-def]
        calls.append(table)
        return respell(table, rows, stored)

    monkeypatch.setattr(imports, "_stored_spelling", counting)
    update = check_products(file, tables, regions, MODE_UPDATE)
    assert calls == ["products"]
    assert update.prepared is not None and update.prepared["name"].tolist() == ["ABC茶"]
    monkeypatch.setattr(imports, "_stored_spelling", lambda table, rows, stored: rows)
    update = check_products(file, tables, regions, MODE_UPDATE)
    assert update.prepared is not None and update.prepared["name"].tolist() == ["ａｂｃ茶"]


def test_a_cells_plain_text_is_named_apart_from_a_names_key() -> None:
    from landmarks.data import imports

    assert not hasattr(imports, "_key_text")  # beside text.key_text it read as a key
    assert imports._cell_text(2006.0) == "2006" and imports._cell_text(None) == ""
