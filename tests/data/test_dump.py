"""Full export: a workbook and CSV files that import back to identical stored tables, and
GeoJSON / GeoPackage files in WGS-84 for GIS users."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely

from landmarks import i18n
from landmarks.data import dump, store
from landmarks.data.imports import MODE_APPEND, check_import, merged_tables, report_text
from landmarks.data.reading import RawTable, read_upload
from landmarks.data.regions import Regions
from tests import synthetic


@pytest.fixture
def source(db_target: str) -> str:
    """The database the exports are made from, on each backend."""
    return db_target


@pytest.fixture
def stored(source: str, regions: Regions) -> dict[str, pd.DataFrame]:
    """The synthetic tables as the database (on each backend) holds them."""
    return synthetic.install_at(source, regions)


def reimported(
    read: dict[str, RawTable], sources: pd.DataFrame, regions: Regions, path: Path
) -> dict[str, pd.DataFrame]:
    """Import an export's tables, in order, into a new database; the stored result."""
    tables: dict[str, pd.DataFrame] = {}
    for table, raw in read.items():
        report = check_import(raw, table, regions=regions, current=tables, mode=MODE_APPEND)
        assert report.ok, report_text(report)
        tables |= merged_tables(tables, report, MODE_APPEND)
    tables["sources"] = dump.sources_from_export(sources)
    with store.opened(path) as db:
        db.write_tables(tables)
        return db.read_tables()


def assert_identical(back: dict[str, pd.DataFrame], stored: dict[str, pd.DataFrame]) -> None:
    assert list(back) == list(stored)
    for table, frame in stored.items():
        pd.testing.assert_frame_equal(back[table], frame, obj=table)


def content_digest(path: str | Path) -> str:
    with store.opened(path) as db:
        return db.content_digest()


def test_the_workbook_imports_back_to_identical_tables(
    tmp_path: Path, regions: Regions, source: str, stored: dict[str, pd.DataFrame]
) -> None:
    with store.opened(source) as db:
        data = dump.export_database(db, regions, "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == [
        "地理标志产品",
        "登记信息",
        "示范区",
        "地标+文旅站点",
        "产值",
        "来源",
    ]
    assert [c.value for c in workbook["地理标志产品"][1]][:3] == ["产品名称", "产品系列", "品类"]
    read = {
        table: read_upload(data, "导出.xlsx", table=table, sheet=dump.sheet_name(table))
        for table in dump.INPUT_COLUMNS
    }
    sources = pd.read_excel(io.BytesIO(data), sheet_name="来源", dtype=str, keep_default_na=False)
    back = reimported(read, sources, regions, tmp_path / "back.sqlite")
    assert_identical(back, stored)
    assert content_digest(tmp_path / "back.sqlite") == content_digest(source)
    # Written back into the database it came from (on its backend), it changes nothing.
    with store.opened(source) as db, pytest.raises(store.NothingChangedError):
        db.write_tables(back)


def test_the_csv_files_import_back_to_identical_tables(
    tmp_path: Path, regions: Regions, stored: dict[str, pd.DataFrame]
) -> None:
    archive = zipfile.ZipFile(io.BytesIO(dump.to_csv_zip(stored, regions)))
    names = [f"{dump.sheet_name(table)}.csv" for table in dump.EXPORT_TABLES]
    assert archive.namelist() == names
    files = {name: archive.read(name) for name in names}
    assert all(content.startswith(b"\xef\xbb\xbf") for content in files.values())  # UTF-8 BOM
    read = {
        table: read_upload(files[f"{dump.sheet_name(table)}.csv"], "导出.csv", table=table)
        for table in dump.INPUT_COLUMNS
    }
    sources = pd.read_csv(
        io.BytesIO(files["来源.csv"]), encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    back = reimported(read, sources, regions, tmp_path / "back.sqlite")
    assert_identical(back, stored)


def test_exported_cells_never_run_as_formulas_and_codes_are_chinese(
    regions: Regions, stored: dict[str, pd.DataFrame]
) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(dump.to_xlsx(stored, regions)))["地理标志产品"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert "'" + synthetic.FORMULA in [cell.value for cell in cells]
    assert not [cell for cell in cells if cell.data_type == "f"]
    headers = [cell.value for cell in sheet[1]]
    confidence = {row[headers.index("可信度")].value for row in sheet.iter_rows(min_row=2)}
    quality = {row[headers.index("来源类型")].value for row in sheet.iter_rows(min_row=2)}
    assert confidence <= {"高", "中", "低"} and quality <= {
        "官方发布",
        "媒体报道",
        "汇编网站",
        "转载",
    }
    csv_text = zipfile.ZipFile(io.BytesIO(dump.to_csv_zip(stored, regions))).read(
        "地理标志产品.csv"
    )
    assert f"'{synthetic.FORMULA}".encode() in csv_text


def test_geojson_holds_products_zones_and_sites_in_wgs84(
    regions: Regions, stored: dict[str, pd.DataFrame]
) -> None:
    collection = json.loads(dump.to_geojson(stored, regions))
    assert collection["type"] == "FeatureCollection" and "crs" not in collection  # RFC 7946
    features = collection["features"]
    by_table = pd.Series([f["properties"]["数据表"] for f in features]).value_counts().to_dict()
    assert by_table == {
        "地理标志产品": len(stored["products"]),
        "示范区": len(stored["zones"]),
        "地标+文旅站点": len(stored["sites"]),
    }
    products = {f["properties"]["产品名称"]: f for f in features if "产品名称" in f["properties"]}
    wudang = products["武当道茶"]
    assert set(wudang["properties"]["范围县市区代码"].split()) == set(synthetic.WUDANG_SCOPE)
    row = stored["products"].set_index("name").loc["武当道茶"]
    assert wudang["geometry"] == {"type": "Point", "coordinates": [row["lon"], row["lat"]]}
    assert wudang["properties"]["位置精度"] == "跨县区域示意位置"
    (zone,) = [f for f in features if f["properties"]["数据表"] == "示范区"]
    area = shapely.geometry.shape(zone["geometry"])
    assert area.geom_type in ("Polygon", "MultiPolygon")
    assert area.equals(regions.geometry(synthetic.ZIGUI))
    assert zone["properties"]["县市区代码"] == synthetic.ZIGUI


def test_the_geopackage_has_a_layer_per_table_in_epsg_4326(
    tmp_path: Path, regions: Regions, stored: dict[str, pd.DataFrame]
) -> None:
    path = tmp_path / "export.gpkg"
    path.write_bytes(dump.to_geopackage(stored, regions))
    layers = dict(pyogrio.list_layers(path).tolist())
    assert layers.pop("示范区") in ("Polygon", "MultiPolygon")  # a zone is its county's area
    assert layers == {
        "地理标志产品": "Point",
        "登记信息": None,
        "地标+文旅站点": "Point",
        "产值": None,
        "来源": None,
    }
    products = gpd.read_file(path, layer="地理标志产品")
    assert products.crs.to_epsg() == 4326
    assert products["产品名称"].tolist() == stored["products"]["name"].tolist()
    assert products.geometry.x.tolist() == stored["products"]["lon"].tolist()
    outputs = pyogrio.read_dataframe(path, layer="产值")
    assert len(outputs) == len(stored["outputs"])


def test_export_names_and_the_database_export(
    source: str, regions: Regions, stored: dict[str, pd.DataFrame]
) -> None:
    when = datetime(2026, 11, 25, 16, 55)
    assert dump.export_file_name("xlsx", when) == "湖北地标品牌数据-20261125-1655.xlsx"
    assert dump.export_file_name("gpkg", when).endswith(".gpkg")
    with store.opened(source) as db:
        data = dump.export_database(db, regions, "geojson")
        archive = zipfile.ZipFile(io.BytesIO(dump.export_database(db, regions, "csv")))
    assert data == dump.to_geojson(stored, regions)
    expected = zipfile.ZipFile(io.BytesIO(dump.to_csv_zip(stored, regions)))
    assert {name: archive.read(name) for name in archive.namelist()} == {
        name: expected.read(name) for name in expected.namelist()
    }
    with pytest.raises(ValueError, match="unknown export format"):
        dump.export_tables(stored, regions, "shp")


def test_in_english_the_workbook_and_csv_files_have_english_names_and_import_back(
    tmp_path: Path, regions: Regions, stored: dict[str, pd.DataFrame]
) -> None:
    """The export follows the language; the import reads its English headers back."""
    with i18n.language(i18n.ENGLISH):
        data = dump.to_xlsx(stored, regions)
        names = {table: dump.sheet_name(table) for table in dump.EXPORT_TABLES}
        archive = zipfile.ZipFile(io.BytesIO(dump.to_csv_zip(stored, regions)))
        assert dump.export_file_name("xlsx", datetime(2026, 11, 25, 16, 55)) == (
            "Hubei GI brand data-20261125-1655.xlsx"
        )
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == list(names.values())
    assert names["products"] == "GI products" and names["sources"] == "Source"
    headers = [c.value for c in workbook[names["products"]][1]]
    assert headers[:3] == ["Product name", "Product family", "Category"]
    confidence = {row[headers.index("Confidence")].value for row in workbook[names["products"]]}
    assert confidence - {"Confidence"} <= {"高", "中", "低"}  # values as the import reads them
    # Read back (in Chinese, as any user would upload it): the same stored tables.
    read = {
        table: read_upload(data, "export.xlsx", table=table, sheet=names[table])
        for table in dump.INPUT_COLUMNS
    }
    sources = pd.read_excel(
        io.BytesIO(data), sheet_name=names["sources"], dtype=str, keep_default_na=False
    )
    assert list(sources.columns) == ["Source ID", "Link", "Source type", "Content"]
    assert_identical(reimported(read, sources, regions, tmp_path / "back.sqlite"), stored)
    assert archive.namelist() == [f"{name}.csv" for name in names.values()]
    files = {table: archive.read(f"{names[table]}.csv") for table in dump.INPUT_COLUMNS}
    read = {table: read_upload(files[table], "export.csv", table=table) for table in files}
    assert_identical(reimported(read, sources, regions, tmp_path / "csv.sqlite"), stored)


def test_in_english_the_gis_files_have_english_field_names(
    regions: Regions, stored: dict[str, pd.DataFrame]
) -> None:
    with i18n.language(i18n.ENGLISH):
        collection = json.loads(dump.to_geojson(stored, regions))
    assert collection["name"] == "Hubei GI brand data"
    properties = collection["features"][0]["properties"]
    assert properties["Table"] == "GI products"
    assert {"Product name", "Prefecture code", "Location precision"} <= set(properties)
    assert not [key for key in properties if re.search(r"[\u3400-\u9fff]", key)]
