"""Importing clerks' files: every bad file ends in a clear Chinese report, good ones land whole.

Each test writes a real file (tmp_path), reads it with ``read_upload`` and checks it
against the synthetic tables with ``check_import``; nothing here writes a database.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pyproj
import pytest
import shapely

from landmarks import i18n
from landmarks.data.coords import (
    DATUM_BD09,
    DATUM_GCJ02,
    DATUM_WGS84,
    gcj02_to_bd09,
    wgs84_to_gcj02,
)
from landmarks.data.imports import (
    MODE_APPEND,
    MODE_UPDATE,
    ImportRejectedError,
    ImportReport,
    Mode,
    check_import,
    merged_tables,
    parse_coordinate,
    report_text,
    report_xlsx,
)
from landmarks.data.reading import RawTable, read_upload
from landmarks.data.records import distance_outside
from landmarks.data.regions import Regions

GEOD = pyproj.Geod(ellps="WGS84")
ZIGUI = "420527"
PRODUCT_HEADER = "产品名称,品类,所属市州,所属县市区,登记年份,经度,纬度,可信度,来源类型"


def product_line(
    name: str = "屈乡丝棉茶",
    category: str = "茶叶",
    prefecture: str = "宜昌市",
    county: str = "秭归县",
    year: str = "2015",
    lon: object = "",
    lat: object = "",
) -> str:
    return f"{name},{category},{prefecture},{county},{year},{lon},{lat},高,官方发布"


def upload(tmp_path: Path, name: str, content: str | bytes, table: str = "products") -> RawTable:
    """A real file written to disk and read back as an upload."""
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return read_upload(path.read_bytes(), path.name, table=table)


def products_csv(tmp_path: Path, *lines: str, encoding: str = "utf-8") -> RawTable:
    text = "\n".join([PRODUCT_HEADER, *lines]) + "\n"
    return upload(tmp_path, "产品.csv", text.encode(encoding))


def check(
    raw: RawTable,
    tables: dict[str, pd.DataFrame],
    regions: Regions,
    table: str = "products",
    datum: str = DATUM_WGS84,
    mode: Mode = MODE_APPEND,
) -> ImportReport:
    return check_import(raw, table, regions=regions, current=tables, datum=datum, mode=mode)


def found(report: ImportReport) -> list[tuple[int, str, str, str]]:
    return [
        (row.row, row.field, row.value, row.problem)
        for row in report.problems.itertuples(index=False)
    ]


def only_problem(report: ImportReport) -> tuple[int, str, str, str]:
    assert len(report.problems) == 1, report_text(report)
    return found(report)[0]


# Files that land -----------------------------------------------------------------------


def test_a_gbk_csv_with_chinese_headers_and_a_title_row_lands_completely(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    text = "\n".join(
        [
            "秭归县地理标志产品普查表,,,,,,,,",
            PRODUCT_HEADER,
            product_line(),
            product_line("秭归桃叶橙", "水果", year="2004"),
        ]
    )
    raw = upload(tmp_path, "秭归县普查.csv", (text + "\n").encode("gbk"))
    report = check(raw, tables, regions)
    assert report.ok and not report.file_problem
    assert (report.rows_total, report.rows_valid, report.rows_new) == (2, 2, 2)
    assert report.encoding == "GBK/GB18030" and report.header_row == 2
    assert report.prepared is not None
    assert report.prepared["name"].tolist() == ["屈乡丝棉茶", "秭归桃叶橙"]
    assert report.prepared["county_adcode"].tolist() == [ZIGUI, ZIGUI]
    assert report.prepared["chain"].tolist() == ["茶叶", "柑橘"]
    assert report.summary() == (
        "“秭归县普查.csv”（地理标志产品表）：共 2 行数据，全部无误，可以导入：新增 2 行。"
    )
    written = merged_tables(tables, report, MODE_APPEND)["products"]
    assert len(written) == len(tables["products"]) + 2
    pd.testing.assert_frame_equal(
        written.iloc[: len(tables["products"])], tables["products"], check_dtype=False
    )


def test_an_xlsx_with_a_merged_two_row_header_reports_rows_as_numbered_in_the_sheet(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet["A1"] = "宜昌市地理标志资源普查汇总表"
    sheet.merge_cells("A1:G1")
    for column, header in (("A", "产品名称"), ("B", "品类"), ("F", "可信度"), ("G", "来源类型")):
        sheet[f"{column}2"] = header
        sheet.merge_cells(f"{column}2:{column}3")
    sheet["C2"] = "所在地"
    sheet.merge_cells("C2:E2")
    sheet["C3"], sheet["D3"], sheet["E3"] = "市州", "县市区", "年份"
    sheet.append(["秭归桃叶橙", "水果", "宜昌市", "秭归县", 2004.0, "高", "官方发布"])
    sheet.append([None] * 7)
    sheet.append(["兴山白茶", "白茶", None, "兴山县", "2012", "高", "官方发布"])
    sheet.merge_cells("C4:C6")
    path = tmp_path / "宜昌普查.xlsx"
    workbook.save(path)
    raw = read_upload(path.read_bytes(), path.name, table="products")
    report = check(raw, tables, regions)
    assert only_problem(report) == (6, "品类", "白茶", "不是允许的取值")
    assert report.rows_valid == 1 and report.prepared is None
    assert report.prepared_valid["year"].tolist() == [2004]
    assert "表头占两行（第2–3行），已合并读取" in report.notes


def test_english_headers_and_chinese_labels_of_codes_are_read(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    text = (
        "Name,Category,County,LON,lat,confidence,source_quality\n"
        "屈乡丝棉茶,茶叶,秭归,,,中,媒体报道\n"
        "秭归桃叶橙,水果,420527,,,low,official\n"
    )
    report = check(upload(tmp_path, "en.csv", text), tables, regions)
    assert report.ok, report_text(report)
    prepared = report.prepared_valid
    assert prepared["confidence"].tolist() == ["medium", "low"]
    assert prepared["source_quality"].tolist() == ["media", "official"]


# Columns --------------------------------------------------------------------------------


def test_missing_required_columns_are_named_with_their_other_names(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    raw = upload(tmp_path, "缺列.csv", "名称,县市区\n屈乡丝棉茶,秭归县\n")
    report = check(raw, tables, regions)
    assert report.file_problem and report.rows_valid == 0
    assert found(report) == [
        (1, "品类", "", "缺少必填列“品类”"),
        (1, "可信度", "", "缺少必填列“可信度”"),
        (1, "来源类型", "", "缺少必填列“来源类型”"),
    ]
    assert report.problems.loc[0, "expected"] == (
        "表头中有一列名为“品类”（也可写作：category、类别、产品类别、分类、产品品类）"
    )
    assert report.summary() == (
        "“缺列.csv”（地理标志产品表）：共 1 行数据，文件本身有 3 处问题（见下表），无法导入任何行。"
    )
    with pytest.raises(ImportRejectedError, match="文件本身有问题，无法导入"):
        merged_tables(tables, report, MODE_APPEND, valid_only=True)


def test_a_file_of_another_table_is_reported_with_its_unknown_columns(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    text = "站点名称,站点类型,所属县市区,可信度,联系人\n秭归脐橙文化园,主题景区,秭归县,高,张三\n"
    report = check(upload(tmp_path, "站点.csv", text), tables, regions)
    assert report.file_problem
    assert {problem for _, _, _, problem in found(report)} == {
        "缺少必填列“产品名称”",
        "缺少必填列“品类”",
        "缺少必填列“来源类型”",
    }
    assert report.ignored_columns == ("站点名称", "站点类型", "联系人")
    assert any(
        note.startswith("以下列名无法识别，这些列不会导入：“站点名称”") for note in report.notes
    )


def test_two_columns_for_one_field_are_a_problem(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    text = "名称,产品名称,品类,可信度,来源类型\n屈乡丝棉茶,屈乡丝棉茶,茶叶,高,官方发布\n"
    report = check(upload(tmp_path, "两列.csv", text), tables, regions)
    assert found(report) == [(1, "名称、产品名称", "", "这几列都对应“产品名称”")]


def test_a_header_without_rows_is_a_problem(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    report = check(upload(tmp_path, "空表.csv", PRODUCT_HEADER + "\n"), tables, regions)
    assert found(report) == [(1, "（整个文件）", "", "表头下面没有数据行")]


# Places ---------------------------------------------------------------------------------


def test_unknown_counties_suggest_the_nearest_names(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    report = check(products_csv(tmp_path, product_line(county="秭龟县")), tables, regions)
    row, field, value, problem = only_problem(report)
    assert (row, field, value) == (2, "所属县市区", "秭龟县")
    assert problem.startswith("未找到县级行政区“秭龟县”。您是否要找：秭归县")


@pytest.mark.parametrize(
    ("prefecture", "county", "adcode", "name"),
    [
        ("十堰市", "郧县", "420304", "郧阳区"),
        ("襄樊", "谷城县", "420625", "谷城县"),
        ("荆门市", "京山县", "420882", "京山市"),
        ("荆州市", "监利县", "421088", "监利市"),
    ],
)
def test_old_county_and_prefecture_names_are_resolved(
    tmp_path: Path,
    tables: dict[str, pd.DataFrame],
    regions: Regions,
    prefecture: str,
    county: str,
    adcode: str,
    name: str,
) -> None:
    line = product_line(prefecture=prefecture, county=county)
    report = check(products_csv(tmp_path, line), tables, regions)
    assert report.ok, report_text(report)
    assert report.prepared_valid.loc[0, ["county_adcode", "county"]].tolist() == [adcode, name]
    old = county if county != name else prefecture
    assert any(note.startswith(f"旧地名已按现名导入：{old}→") for note in report.notes)


def test_a_county_outside_its_stated_prefecture(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    line = product_line(prefecture="宜昌市", county="房县")
    report = check(products_csv(tmp_path, line), tables, regions)
    assert only_problem(report) == (2, "所属县市区", "房县", "“房县”属于十堰市，不属于宜昌市")


def test_a_prefecture_in_the_county_column_is_named_as_such(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    report = check(
        products_csv(tmp_path, product_line(prefecture="", county="宜昌")), tables, regions
    )
    assert only_problem(report) == (
        2,
        "所属县市区",
        "宜昌",
        "“宜昌”是市州，不是县市区；只知道市州时请把它填在所属市州一栏",
    )
    assert report.summary() == (
        "“产品.csv”（地理标志产品表）：共 1 行数据，每一行都有问题（共 1 处，见下表），"
        "未导入任何数据。请修改文件后重新上传。"
    )


# Coordinates ----------------------------------------------------------------------------


def truth_point(regions: Regions) -> tuple[float, float]:
    """A WGS-84 point well inside 秭归县."""
    point = regions.geometry(ZIGUI).representative_point()
    return point.x, point.y


@pytest.mark.parametrize("datum", [DATUM_GCJ02, DATUM_BD09])
def test_picker_coordinates_are_converted_to_within_a_metre_of_the_gps_truth(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions, datum: str
) -> None:
    lon, lat = truth_point(regions)
    picked = wgs84_to_gcj02(lon, lat)
    if datum == DATUM_BD09:
        picked = gcj02_to_bd09(*picked)
    assert GEOD.inv(lon, lat, *picked)[2] > 100  # what the picker shows is far off
    raw = products_csv(tmp_path, product_line(lon=f"{picked[0]:.6f}", lat=f"{picked[1]:.6f}"))
    report = check(raw, tables, regions, datum=datum)
    assert report.ok, report_text(report)
    stored = report.prepared_valid.iloc[0]
    assert stored["precision"] == "point"
    assert GEOD.inv(lon, lat, stored["lon"], stored["lat"])[2] < 1.0
    assert any("换算为 WGS-84 保存" in note and "200 米" in note for note in report.notes)


def test_a_datum_column_overrides_the_files_datum_row_by_row(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    lon, lat = truth_point(regions)
    gcj = wgs84_to_gcj02(lon, lat)
    bd = gcj02_to_bd09(*gcj)
    text = "\n".join(
        [
            "产品名称,品类,所属县市区,经度,纬度,坐标系,可信度,来源类型",
            f"甲,茶叶,秭归县,{gcj[0]},{gcj[1]},高德,高,官方发布",
            f"乙,茶叶,秭归县,{bd[0]},{bd[1]},BD-09,高,官方发布",
            f"丙,茶叶,秭归县,{lon},{lat},,高,官方发布",
            f"丁,茶叶,秭归县,{lon},{lat},北京54,高,官方发布",
        ]
    )
    report = check(upload(tmp_path, "混合.csv", text), tables, regions)
    assert only_problem(report) == (5, "坐标系", "北京54", "不是可识别的坐标系")
    for _, row in report.prepared_valid.iterrows():
        assert GEOD.inv(lon, lat, row["lon"], row["lat"])[2] < 1.0


def test_degrees_minutes_seconds_are_read() -> None:
    assert parse_coordinate("110°58′48″") == pytest.approx(110.98)
    assert parse_coordinate("30度49分48秒") == pytest.approx(30.83)
    assert parse_coordinate("１１０．９８") == 110.98
    assert parse_coordinate("东经一百一十度") is None
    assert parse_coordinate("110°75′") is None


def test_a_point_in_another_county(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    line = product_line(lon="114.3055", lat="30.5928")  # Wuhan, not 秭归县
    row, field, value, problem = only_problem(check(products_csv(tmp_path, line), tables, regions))
    assert (row, field, value) == (2, "经度/纬度", "114.3055, 30.5928")
    assert re.fullmatch(r"坐标在江岸区境内，不在秭归县境内（距秭归县边界约\d+\.\d公里）", problem)


def test_points_outside_hubei_and_swapped_coordinates(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    raw = products_csv(
        tmp_path,
        product_line("上海", lon="121.47", lat="31.23"),
        product_line("填反", lon="30.83", lat="110.98"),
        product_line("半边", lon="110.98", lat=""),
        product_line("非数字", lon="一百一十", lat="30.8"),
    )
    problems = found(check(raw, tables, regions))
    assert problems[0][:3] == (2, "经度/纬度", "121.47, 31.23")
    assert re.fullmatch(
        r"坐标不在湖北省境内（距秭归县约\d+\.\d公里）；请核对经纬度和坐标系", problems[0][3]
    )
    assert problems[1] == (
        3,
        "经度/纬度",
        "30.83, 110.98",
        "经纬度超出取值范围（经度-180～180，纬度-90～90），经度和纬度可能填反了",
    )
    assert problems[2] == (4, "经度/纬度", "110.98, ", "经纬度只填了一项")
    assert problems[3] == (5, "经度", "一百一十", "不是数字")


def border_point(regions: Regions, metres: float) -> tuple[float, float]:
    """A point ``metres`` east of 秭归县's eastern border (in 夷陵区)."""
    region = regions.geometry(ZIGUI)
    centre = region.centroid
    ray = shapely.LineString([(centre.x, centre.y), (centre.x + 2, centre.y)])
    crossing = region.boundary.intersection(ray)
    border_x = max(point.x for point in getattr(crossing, "geoms", [crossing]))
    step = metres / (111_320 * math.cos(math.radians(centre.y)))
    return border_x + step, centre.y


def test_border_points_within_the_stated_tolerance_are_inside(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    near, far = border_point(regions, 100), border_point(regions, 600)
    assert 80 < distance_outside(regions.geometry(ZIGUI), *near) < 120
    assert 550 < distance_outside(regions.geometry(ZIGUI), *far) < 650
    raw = products_csv(
        tmp_path,
        product_line("近", lon=near[0], lat=near[1]),
        product_line("远", lon=far[0], lat=far[1]),
    )
    report = check(raw, tables, regions)
    row, _, _, problem = only_problem(report)
    assert row == 3
    assert problem == (
        "坐标在夷陵区境内，不在秭归县境内（距秭归县边界约0.6公里）；"
        "若坐标取自高德、腾讯或百度地图，请选对坐标系"
    )
    assert report.prepared_valid.loc[0, ["name", "precision"]].tolist() == ["近", "point"]
    assert "边界外 200 米以内视为境内" in report.problems.loc[0, "expected"] + " ".join(
        report.notes
    )


# Values ---------------------------------------------------------------------------------

OUTPUT_HEADER = "产品或统计对象,所属市州,所属县市区,年份,指标,数值（亿元）,可信度,来源类型"


def outputs_csv(tmp_path: Path, *lines: str) -> RawTable:
    return upload(tmp_path, "产值.csv", "\n".join([OUTPUT_HEADER, *lines]) + "\n", "outputs")


def test_negative_and_non_numeric_outputs(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    raw = outputs_csv(
        tmp_path,
        "秭归脐橙,宜昌市,秭归县,2024,年产值,-5,高,官方发布",
        "秭归脐橙,宜昌市,秭归县,2023,年产值,很多,高,官方发布",
        "秭归脐橙,宜昌市,秭归县,2022,年产值,１２．５,高,官方发布",
        "秭归脐橙,宜昌市,秭归县,2021,年产值,超100亿元,高,官方发布",
    )
    report = check(raw, tables, regions, "outputs")
    assert found(report) == [
        (2, "数值（亿元）", "-5", "产值不能为负数"),
        (3, "数值（亿元）", "很多", "无法识别为金额"),
    ]
    assert report.prepared_valid["value"].tolist() == [12.5, 100.0]
    assert report.problems.loc[0, "expected"] == (
        "以亿元计的非负数字，可带“超/近/余”等修饰（如 429.03、超1000）"
    )


def test_a_county_total_needs_no_product_name(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    raw = outputs_csv(
        tmp_path,
        ",宜昌市,秭归县,2024,年产值,52.3,高,官方发布",
        ",,,2024,年产值,52.3,高,官方发布",
        ",宜昌市,秭归县,2024,年产值,60,高,官方发布",
    )
    report = check(raw, tables, regions, "outputs")
    assert found(report) == [
        (3, "产品或统计对象", "", "必填项为空"),
        (4, "产品或统计对象", "秭归县地理标志产品（秭归县，2024，年产值）", "与第2行重复"),
    ]
    assert report.prepared_valid.loc[0, ["subject", "region_adcode"]].tolist() == [
        "秭归县地理标志产品",
        ZIGUI,
    ]


@pytest.mark.parametrize(
    ("year", "problem"),
    [
        ("2062", "年份晚于规划年2026年，不能填写未来的年份"),
        ("20066", "年份格式不正确，应为四位数字"),
        ("06", "年份格式不正确，应为四位数字"),
        ("1900", "年份早于1950年"),
        ("二〇二〇", "年份格式不正确，应为四位数字"),
    ],
)
def test_impossible_years(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions, year: str, problem: str
) -> None:
    report = check(products_csv(tmp_path, product_line(year=year)), tables, regions)
    assert only_problem(report) == (2, "登记年份", year, problem)
    assert report.problems.loc[0, "expected"] == "1950–2026 之间的四位年份，或留空"


@pytest.mark.parametrize("year", ["2006.0", "2006年", "２００６", "2006-06-20"])
def test_years_as_excel_and_clerks_write_them(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions, year: str
) -> None:
    report = check(products_csv(tmp_path, product_line(year=year)), tables, regions)
    assert report.prepared_valid["year"].tolist() == [2006]


def test_registrations_must_name_a_stored_product(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    text = "产品名称,地理标志类型,登记编号,登记年份\n不存在的茶,地理标志证明商标,123,2020\n"
    raw = upload(tmp_path, "登记.csv", text, "registrations")
    report = check(raw, tables, regions, "registrations")
    assert only_problem(report) == (2, "产品名称", "不存在的茶", "产品表中没有这个产品")


# Duplicates -----------------------------------------------------------------------------


def test_duplicates_within_the_file_name_the_first_row_as_numbered_in_the_file(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    text = "\n".join(["普查表,,,,,,,,", PRODUCT_HEADER, product_line(), ",,,,,,,,", product_line()])
    report = check(upload(tmp_path, "重复.csv", text), tables, regions)
    assert only_problem(report) == (5, "产品名称", "屈乡丝棉茶", "与第3行重复")


def test_a_stored_key_is_a_duplicate_when_appending_and_a_change_when_updating(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    raw = products_csv(
        tmp_path,
        product_line("秭归夏橙", "水果", year="2010"),
        product_line(),
    )
    appended = check(raw, tables, regions, mode=MODE_APPEND)
    assert found(appended) == [
        (2, "产品名称", "秭归夏橙", "数据库中已有这条记录（产品名称相同）"),
    ]
    assert appended.problems.loc[0, "expected"] == (
        "新的记录；要修改已有记录，请选择“更新”方式导入"
    )
    updated = check(raw, tables, regions, mode=MODE_UPDATE)
    assert updated.ok
    assert (updated.rows_new, updated.rows_changed, updated.rows_unchanged) == (1, 1, 0)
    written = merged_tables(tables, updated, MODE_UPDATE)["products"]
    position = tables["products"].index[tables["products"]["name"] == "秭归夏橙"][0]
    assert written.loc[position, "name"] == "秭归夏橙" and written.loc[position, "year"] == 2010
    assert written["name"].tolist() == [*tables["products"]["name"], "屈乡丝棉茶"]


def test_writing_after_someone_else_added_the_same_row_is_refused(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    report = check(products_csv(tmp_path, product_line()), tables, regions)
    changed = dict(tables)
    changed["products"] = merged_tables(tables, report, MODE_APPEND)["products"]
    with pytest.raises(
        ImportRejectedError, match="检查之后数据库已有变化：屈乡丝棉茶 已在数据库中"
    ):
        merged_tables(changed, report, MODE_APPEND)
    with pytest.raises(ValueError, match="checked for mode 'append'"):
        merged_tables(tables, report, MODE_UPDATE)


# A large file ---------------------------------------------------------------------------


def test_a_10000_row_file_with_row_9000_bad_writes_nothing_unless_valid_rows_are_chosen(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    lines = [OUTPUT_HEADER]
    for row in range(2, 10_002):  # sheet rows 2 … 10001
        value = "-3.5" if row == 9000 else f"{row / 100:.2f}"
        lines.append(f"产品{row},宜昌市,秭归县,2024,年产值,{value},高,官方发布")
    raw = upload(tmp_path, "大表.csv", "\n".join(lines) + "\n", "outputs")
    report = check(raw, tables, regions, "outputs")
    assert (report.rows_total, report.rows_valid) == (10_000, 9_999)
    assert found(report) == [(9000, "数值（亿元）", "-3.5", "产值不能为负数")]
    assert report.prepared is None
    assert report.summary() == (
        "“大表.csv”（产值表）：共 10000 行数据，其中 9999 行无误，1 行有问题（共 1 处，见下表）。"
        "尚未导入任何数据：请修改文件后重新上传，或明确选择“只导入无误的 9999 行”（新增 9999 行）。"
    )
    with pytest.raises(ImportRejectedError) as caught:
        merged_tables(tables, report, MODE_APPEND)
    assert str(caught.value) == (
        "文件有 1 处问题，未导入。请修改后重新上传，或明确选择只导入无误的行。"
    )
    written = merged_tables(tables, report, MODE_APPEND, valid_only=True)["outputs"]
    assert len(written) == len(tables["outputs"]) + 9_999
    assert "产品9000" not in set(written["subject"])


# The report -----------------------------------------------------------------------------


def test_the_report_downloads_as_a_workbook_with_chinese_headers(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    raw = products_csv(tmp_path, product_line("=HYPERLINK(1)", county="秭龟县"))
    report = check(raw, tables, regions, datum=DATUM_GCJ02)
    workbook = openpyxl.load_workbook(io.BytesIO(report_xlsx(report)))
    assert workbook.sheetnames == ["问题清单", "导入概要"]
    problems = list(workbook["问题清单"].iter_rows(values_only=True))
    assert problems[0] == ("行号", "字段", "值", "问题", "应为")
    assert problems[1][:3] == (2, "所属县市区", "秭龟县")
    facts = dict(workbook["导入概要"].iter_rows(min_row=2, values_only=True))
    assert facts["坐标系"] == "GCJ-02（高德、腾讯地图拾取）"
    assert facts["结论"] == report.summary()
    text = report_text(report)
    assert text.splitlines()[0] == report.summary()
    assert "第2行 字段 所属县市区 = “秭龟县”：未找到县级行政区“秭龟县”" in text


def test_a_formula_in_a_name_never_runs_in_the_downloaded_report(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    raw = products_csv(tmp_path, product_line("=1+1"), product_line("=1+1"))
    report = check(raw, tables, regions)
    sheet = openpyxl.load_workbook(io.BytesIO(report_xlsx(report)))["问题清单"]
    assert sheet["C2"].value == "'=1+1" and sheet["C2"].data_type == "s"


# In English -------------------------------------------------------------------------------


def test_in_english_a_problem_names_its_row_field_and_what_is_expected(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    raw = products_csv(tmp_path, product_line(year="2062"), product_line(name="秭归新茶"))
    with i18n.language(i18n.ENGLISH):
        report = check(raw, tables, regions)
        text = report_text(report)
        summary = report.summary()
    row, field, value, problem = only_problem(report)
    assert (row, field, value) == (2, "登记年份", "2062")  # the file's own header and value
    assert problem == "The year is later than the plan year 2026; future years are not allowed"
    assert report.problems.loc[0, "expected"] == "A four-digit year from 1950 to 2026, or empty"
    assert summary.startswith("“产品.csv” (")
    assert summary.endswith("(new rows: 1).")
    assert "Valid rows: 1; rows with problems: 1 (problems in total: 1," in summary
    assert (
        "Row 2, field 登记年份 = “2062”: The year is later than the plan year 2026; future "
        "years are not allowed; expected: A four-digit year from 1950 to 2026, or empty"
    ) in text
    assert not re.search(r"[\u4e00-\u9fff]", problem + report.problems.loc[0, "expected"])


def test_in_english_a_missing_column_is_named_in_chinese_with_its_meaning(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    raw = upload(tmp_path, "缺列.csv", "名称,县市区\n屈乡丝棉茶,秭归县\n")
    with i18n.language(i18n.ENGLISH):
        report = check(raw, tables, regions)
        with pytest.raises(ImportRejectedError, match="The file itself has problems"):
            merged_tables(tables, report, MODE_APPEND, valid_only=True)
    problem = report.problems.loc[0, "problem"]
    assert problem.startswith("Required column “品类")  # the header to type stays Chinese
    assert report.problems.loc[0, "expected"].startswith("A header column named “品类")
    assert "category, 类别" in report.problems.loc[0, "expected"]


def test_in_english_the_report_workbook_has_english_headers(
    tmp_path: Path, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    raw = products_csv(tmp_path, product_line(county="秭龟县"))
    with i18n.language(i18n.ENGLISH):
        report = check(raw, tables, regions, datum=DATUM_GCJ02)
        workbook = openpyxl.load_workbook(io.BytesIO(report_xlsx(report)))
        summary = report.summary()
    assert workbook.sheetnames == ["Problems", "Import summary"]
    problems = list(workbook["Problems"].iter_rows(values_only=True))
    assert problems[0] == ("Row", "Field", "Value", "Problem", "Expected")
    facts = dict(workbook["Import summary"].iter_rows(min_row=2, values_only=True))
    assert facts["Result"] == summary
    assert facts["Header row"] == "1"
    assert set(dict(workbook["Import summary"].iter_rows(max_row=1, values_only=True))) == {"Item"}
