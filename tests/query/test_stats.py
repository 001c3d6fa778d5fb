"""Headline figures of the overview."""

from __future__ import annotations

import pandas as pd

from landmarks.query import stats


def test_latest_province_output_is_an_actual_with_remarks_removed(
    tables: dict[str, pd.DataFrame],
) -> None:
    latest = stats.latest_province_output(tables["outputs"])
    assert latest is not None
    assert (latest.year, latest.value_text, latest.metric) == (2024, "超1000", "年产值(概数)")
    assert latest.scope == "全省地理标志产品年产值"  # "from an aggregator summary" removed
    assert (latest.confidence, latest.is_demo) == ("low", False)
    assert stats.latest_province_output(tables["outputs"].iloc[:0]) is None


def test_counts_keep_a_fixed_order_with_zeros(tables: dict[str, pd.DataFrame]) -> None:
    by_type = stats.products_by_gi_type(tables["products"])
    assert by_type.to_dict() == {
        "地理标志保护产品": 2,
        "地理标志证明商标": 2,
        "地理标志集体商标": 1,
        "农产品地理标志": 3,
        "类型待核实": 2,
    }
    assert stats.products_by_chain(tables["products"])["现代种业"] == 0
    assert len(stats.national_zones(tables["zones"])) == 1


def test_result_figures_count_county_level_products_only(
    tables: dict[str, pd.DataFrame],
) -> None:
    products, zones = tables["products"], tables["zones"]
    figures = stats.result_figures(products, products, zones)
    county_level = products.loc[products["county_adcode"] != "", "county_adcode"]
    assert (figures.shown, figures.total) == (len(products), len(products))
    assert figures.counties == county_level.nunique() < len(products)
    assert figures.with_zone == int(products["name"].isin(set(zones["product"])).sum()) > 0
    assert figures.chains == products["chain"].nunique()
    none = stats.result_figures(products.iloc[:0], products, zones)
    assert (none.shown, none.counties, none.with_zone, none.chains) == (0, 0, 0, 0)


def test_zone_names_by_county_and_chains_present(tables: dict[str, pd.DataFrame]) -> None:
    national = stats.national_zones(tables["zones"])
    by_county = stats.national_zones_by_county(tables["zones"])
    assert set(by_county) == set(national["county_adcode"])
    for adcode, names in by_county.items():
        expected = national.loc[national["county_adcode"] == adcode, "name"]
        assert names.split("；") == list(expected)
    present = stats.chains_present(tables["products"])
    assert set(present) == set(tables["products"]["chain"]) and "现代种业" not in present
