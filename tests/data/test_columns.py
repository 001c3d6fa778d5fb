"""The input shape: templates, Chinese headers and stored products written back as input."""

from __future__ import annotations

import pandas as pd

from landmarks.data.columns import (
    PRODUCT_INPUT,
    REGISTRATION_INPUT,
    products_as_input,
    template_frame,
    with_keys,
)
from landmarks.data.records import prepare_products, prepare_registrations
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
