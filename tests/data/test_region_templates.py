"""Import templates name places of the region they import into: in Hunan a Hunan county,
its prefecture, counties of one prefecture for a scope and a point inside the county, and
the region's groups (categories) offered as 产业链; Hubei's templates are unchanged."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import shapely
from openpyxl import load_workbook

from landmarks.data.chains import CHAIN_NAMES
from landmarks.data.columns import INPUT_COLUMNS, columns_for
from landmarks.data.model import CATEGORIES
from landmarks.data.region import region_for
from landmarks.data.regions import Regions, load_regions
from landmarks.data.templates import template_xlsx
from tests.data.conftest import HUNAN, hunan_dir  # noqa: F401 (a fixture)


@pytest.fixture(scope="module")
def hunan_regions(hunan_dir: Path) -> Regions:  # noqa: F811
    return load_regions(region=region_for(HUNAN, hunan_dir))


def test_hubei_templates_are_unchanged(regions: Regions) -> None:
    for table, columns in INPUT_COLUMNS.items():
        assert columns_for(table, regions) == columns, table
    assert template_xlsx("products", regions) != b""


def test_a_hunan_template_names_hunan_places(hunan_regions: Regions) -> None:
    workbook = load_workbook(io.BytesIO(template_xlsx("products", hunan_regions)))
    sheet = workbook.worksheets[0]
    example = {cell.value: sheet.cell(row=2, column=cell.column).value for cell in sheet[1]}
    county = hunan_regions.county(example["所属县市区"])
    assert county.prefecture == example["所属市州"]
    comments = {cell.value: cell.comment.text for cell in sheet[1] if cell.comment}
    assert county.name in {c.name for c in hunan_regions.county_list}
    lon = float(comments["经度"].split("如 ")[1].rstrip("）"))
    lat = float(comments["纬度"].split("如 ")[1].rstrip("）"))
    assert hunan_regions.geometry(county.adcode).buffer(0.01).contains(shapely.Point(lon, lat))
    scope = comments["保护范围"].split("如 ")[1].split("）")[0].split("、")
    assert {hunan_regions.county(name).prefecture for name in scope} == {county.prefecture}
    text = " ".join(str(c) for c in [*example.values(), *comments.values()])
    for hubei in ("秭归县", "宜昌市", "竹溪县", "110.98", "30.83"):
        assert hubei not in text, hubei
    chain = next(c for c in columns_for("products", hunan_regions) if c.key == "chain")
    assert chain.choices == CATEGORIES and chain.choices != CHAIN_NAMES
    assert "十大" not in chain.explanation and "品类" in chain.explanation
