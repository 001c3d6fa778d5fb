"""Map clicks as the map script reports them, turned into a selection."""

from __future__ import annotations

import pandas as pd
import pytest

from landmarks.data.regions import Regions
from landmarks.query.selection import Selection, selection_from_click

PRODUCTS = pd.DataFrame({"name": ["秭归脐橙", "全市产品"], "county_adcode": ["420527", ""]})


def click(kind: object, identifier: object, n: int = 1) -> dict:
    return {"gi_click": {"kind": kind, "id": identifier, "n": n}}


def test_county_click_selects_the_county(regions: Regions) -> None:
    assert selection_from_click(click("county", "420527"), PRODUCTS, regions) == Selection(
        county="420527"
    )


def test_product_click_selects_the_product_and_its_county(regions: Regions) -> None:
    chosen = selection_from_click(click("product", "秭归脐橙"), PRODUCTS, regions)
    assert chosen == Selection(product="秭归脐橙", county="420527")
    wide = selection_from_click(click("product", "全市产品"), PRODUCTS, regions)
    assert wide == Selection(product="全市产品", county=None)


@pytest.mark.parametrize(
    "value",
    [
        None,
        {},
        {"last_object_clicked": {"lat": 30.9, "lng": 110.8}},  # st_folium's own format
        {"gi_click": "county"},
        click("cluster", "420527"),
        click("county", "999999"),
        click("county", None),
        click("product", "不存在的产品"),
    ],
)
def test_anything_else_selects_nothing(value: object, regions: Regions) -> None:
    assert selection_from_click(value, PRODUCTS, regions) is None  # type: ignore[arg-type]
