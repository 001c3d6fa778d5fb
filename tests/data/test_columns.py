"""The input shape: templates, Chinese headers and stored products written back as input."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from landmarks import i18n
from landmarks.data.columns import (
    ALIASES,
    INPUT_COLUMNS,
    PRODUCT_INPUT,
    REGISTRATION_INPUT,
    column_by_key,
    column_key,
    header_key,
    is_known_header,
    match_columns,
    products_as_input,
    table_as_input,
    template_frame,
    with_headers,
    with_keys,
)
from landmarks.data.imports import as_stored
from landmarks.data.records import (
    prepare_outputs,
    prepare_products,
    prepare_registrations,
    prepare_sites,
    prepare_zones,
)
from landmarks.data.regions import Regions
from tests import synthetic


def test_a_filled_in_template_with_chinese_headers_is_read_as_products(
    regions: Regions,
) -> None:
    template = template_frame(PRODUCT_INPUT)
    assert "保护范围" in template.columns and "登记编号" in template.columns
    template.loc[0, "保护范围"] = "秭归县、兴山县"
    template.loc[0, "所属县市区"] = ""
    stored = prepare_products(with_keys(template, PRODUCT_INPUT), regions).loc[0]
    assert (stored["name"], stored["registration_number"]) == (
        "秭归脐橙",
        "质检总局公告2006年第91号",
    )
    assert stored["area_level"] == "counties"
    assert sorted(stored["area_adcodes"].split()) == ["420526", "420527"]


def test_the_registration_template_is_read_as_registrations(regions: Regions) -> None:
    products = prepare_products(with_keys(template_frame(PRODUCT_INPUT), PRODUCT_INPUT), regions)
    template = with_keys(template_frame(REGISTRATION_INPUT), REGISTRATION_INPUT)
    stored = prepare_registrations(template, products).loc[0]
    assert (stored["product"], stored["gi_type"]) == ("秭归脐橙", "地理标志证明商标")


def test_stored_products_written_as_input_are_stored_again_unchanged(regions: Regions) -> None:
    stored = prepare_products(synthetic.raw_products(), regions)
    again = prepare_products(products_as_input(stored, regions), regions)
    pd.testing.assert_frame_equal(again, stored)
    scopes = products_as_input(stored, regions).set_index("name")["scope"]
    assert scopes["宜昌蜜橘"] == "宜昌市" and scopes["秭归脐橙"] == ""
    assert set(scopes["武当道茶"].split("、")) == set(synthetic.WUDANG_SCOPE.values())


# The alias table ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "header", "key"),
    [
        ("products", "产品名称", "name"),
        ("products", "名称", "name"),
        ("products", "name", "name"),
        ("products", "所属区县", "county"),
        ("products", "县市区", "county"),
        ("products", "区县", "county"),
        ("products", "county", "county"),
        ("products", "经度", "lon"),
        ("products", "lon", "lon"),
        ("products", "纬度", "lat"),
        ("products", "lat", "lat"),
        ("products", " 产品 名称 *", "name"),  # spaces and a required-field star
        ("products", "ＮＡＭＥ", "name"),  # full-width
        ("products", "经度（WGS-84）", "lon"),  # a bracketed remark
        ("products", "县（市、区）", "county"),
        ("outputs", "产值(亿元)", "value_yi_yuan"),
        ("outputs", "产品名称", "product"),
        ("zones", "名称", "name"),
        ("registrations", "产品名称", "product"),
        ("products", "联系人", None),
        ("products", "", None),
    ],
)
def test_headers_are_matched_through_the_alias_table(
    table: str, header: str, key: str | None
) -> None:
    assert column_key(header, table) == key


def test_no_name_means_two_columns_of_one_table() -> None:
    for table, columns in INPUT_COLUMNS.items():
        owners: dict[str, str] = {}
        for column in columns:
            for name in column.names:
                assert owners.setdefault(header_key(name), column.key) == column.key, (table, name)
        assert set(ALIASES[table]) == {column.key for column in columns}


def test_matching_a_files_headers() -> None:
    match = match_columns(["名称", "产品名称", "类别", "联系人", ""], "products")
    assert match.keys == {"名称": "name", "产品名称": "name", "类别": "category"}
    assert match.unknown == ("联系人",)
    assert match.conflicts == {"name": ("名称", "产品名称")}
    assert [column.header for column in match.missing] == ["可信度", "来源类型"]
    assert match.header_of("category", "products") == "类别"
    assert match.header_of("lon", "products") == "经度"


@pytest.mark.parametrize("table", list(INPUT_COLUMNS))
def test_every_stored_table_written_as_input_is_stored_again_unchanged(
    table: str, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    stored = tables[table]
    written = table_as_input(table, stored, regions)
    assert list(written.columns) == [column.key for column in INPUT_COLUMNS[table]]
    again = {
        "products": lambda: prepare_products(written, regions),
        "registrations": lambda: prepare_registrations(written, tables["products"]),
        "zones": lambda: prepare_zones(written, regions),
        "sites": lambda: prepare_sites(written, regions),
        "outputs": lambda: prepare_outputs(written, regions, set(tables["products"]["name"])),
    }[table]()
    pd.testing.assert_frame_equal(as_stored(table, again), as_stored(table, stored))
    headed = with_headers(written, table)
    assert list(headed.columns) == [column.header for column in INPUT_COLUMNS[table]]


def test_exact_points_are_written_as_wgs84_and_stand_ins_left_out(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    written = table_as_input("products", tables["products"], regions)
    assert set(written["datum"]) == {""}  # the synthetic products have no exact point
    assert written["lon"].isna().all()
    outputs = table_as_input("outputs", tables["outputs"], regions)
    first = outputs.iloc[0]
    assert (first["prefecture"], first["county"], first["value_yi_yuan"]) == (
        "宜昌市",
        "秭归县",
        "10",
    )
    assert outputs["prefecture"].iloc[-1] == "湖北省" and outputs["county"].iloc[-1] == ""
    with pytest.raises(ValueError, match="no input shape"):
        table_as_input("sources", tables["sources"], regions)


@pytest.mark.parametrize("table", list(INPUT_COLUMNS))
def test_every_english_header_names_its_own_column(table: str) -> None:
    """An English template or export is read back: each header finds its column."""
    with i18n.language(i18n.ENGLISH):
        labels = [column.label for column in INPUT_COLUMNS[table]]
    assert not [label for label in labels if re.search(r"[\u3400-\u9fff]", label)]
    assert len({header_key(label) for label in labels}) == len(labels)
    for column, label in zip(INPUT_COLUMNS[table], labels, strict=True):
        assert column_key(label, table) == column.key, label
        assert column_key(f"*{label.upper()}：", table) == column.key  # as headers are matched
        assert is_known_header(label, table) and is_known_header(label)
    match = match_columns(labels, table)
    assert not match.unknown and not match.conflicts and not match.missing


def test_in_english_templates_and_exports_have_english_headers_read_back_as_keys(
    regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    with i18n.language(i18n.ENGLISH):
        template = template_frame(PRODUCT_INPUT)
        assert list(template.columns)[:3] == ["Product name", "Product family", "Category"]
        assert template.loc[0, "Category"] == "水果"  # values are written as the import reads
        headed = with_headers(table_as_input("zones", tables["zones"], regions), "zones")
        confidence = column_by_key("products", "confidence")
        assert confidence.explanation.startswith("高 (High)/中 (Medium)/低 (Low): ")
        assert match_columns(["Year"], "products").header_of("lon", "products") == "Longitude"
    assert list(with_keys(template, PRODUCT_INPUT).columns) == [c.key for c in PRODUCT_INPUT]
    assert list(headed.columns)[:2] == ["Demonstration zone name", "Level"]
    assert list(with_keys(headed, INPUT_COLUMNS["zones"]).columns) == [
        column.key for column in INPUT_COLUMNS["zones"]
    ]
    # Outside the block, the same column explains itself in Chinese.
    assert confidence.explanation == "高/中/低：来源可靠、数字一致为高"
