"""Headline figures of the overview."""

from __future__ import annotations

import pandas as pd
import pytest

from landmarks.data import region
from landmarks.query import stats
from tests.synthetic import FAMILY, WUDANG_SCOPE, XILING


def test_latest_province_output_is_an_actual_with_remarks_removed(
    tables: dict[str, pd.DataFrame],
) -> None:
    latest = stats.latest_province_output(tables["outputs"])
    assert latest is not None
    assert (latest.year, latest.value_text, latest.metric) == (2024, "超1000", "年产值(概数)")
    assert latest.scope == "全省地理标志产品年产值"  # "from an aggregator summary" removed
    assert (latest.confidence, latest.is_demo) == ("low", False)
    assert stats.latest_province_output(tables["outputs"].iloc[:0]) is None


def test_the_region_total_follows_the_region_set_after_import(
    tables: dict[str, pd.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The region's own total row (430000 for Hunan), read at each call, not a constant
    fixed when the module was imported (Hubei's 420000 in a test session)."""
    outputs = tables["outputs"]
    hubei = outputs[outputs["region_adcode"] == "420000"]
    assert stats.latest_province_output(hubei) is not None
    monkeypatch.setenv(region.REGION_ENV, "430000")
    hunan = hubei.assign(region_adcode="430000", region="湖南省")
    assert stats.latest_province_output(hubei) is None
    latest = stats.latest_province_output(hunan)
    assert latest is not None and (latest.year, latest.value_text) == (2024, "超1000")


def test_gi_types_count_primary_types_with_unknown_apart(
    tables: dict[str, pd.DataFrame],
) -> None:
    by_type = stats.products_by_gi_type(tables["products"])
    # One count per registered name, by its primary type (恩施玉露's certification mark,
    # named only in its note, is not counted); 类型待核实 is its own row.
    assert by_type.to_dict() == {
        "地理标志保护产品": 3,
        "地理标志证明商标": 2,
        "地理标志集体商标": 1,
        "农产品地理标志": 4,
        "类型待核实": 3,
    }
    assert by_type.sum() == len(tables["products"])
    assert "unknown" not in by_type.index
    # A type the data writes as 'unknown' is still counted as 类型待核实, apart.
    raw = tables["products"].assign(gi_type="unknown")
    assert stats.products_by_gi_type(raw).to_dict()["类型待核实"] == len(raw)
    assert stats.products_by_gi_type(raw)["农产品地理标志"] == 0
    assert "类型待核实单列，不计入任何类型" in stats.GI_TYPE_RULE


def test_chain_counts_count_a_family_once(tables: dict[str, pd.DataFrame]) -> None:
    products = tables["products"]
    by_chain = stats.products_by_chain(products)
    assert by_chain["茶叶"] == 2  # 恩施玉露 (with 恩施玉露茶) and 武当道茶
    assert by_chain["现代种业"] == 0
    assert by_chain.sum() == stats.family_count(products) == products["family"].nunique()
    assert stats.family_count(products) == len(products) - 1
    assert len(stats.national_zones(tables["zones"])) == 1


def test_result_figures_say_what_they_count(tables: dict[str, pd.DataFrame]) -> None:
    products, zones = tables["products"], tables["zones"]
    figures = stats.result_figures(products, products, zones)
    families = products["family"].nunique()
    assert (figures.shown, figures.total, figures.names) == (families, families, len(products))
    # Counties credited: those of county-level products only (按本县产品计); neither
    # 武当道茶's scope nor 宜昌's prefecture-wide products credit any county.
    own = products.loc[products["area_level"] == "county", "county_adcode"]
    assert figures.counties == own.nunique()
    assert XILING not in set(own)
    assert set(own) & set(WUDANG_SCOPE) == {"420325"}  # 房县, by 房县香菇 alone
    assert figures.with_zone == 1
    assert figures.chains == products["chain"].nunique()
    assert "一品多标" in figures.product_rule and "本县" in figures.county_rule
    none = stats.result_figures(products.iloc[:0], products, zones)
    assert (none.shown, none.names, none.counties, none.with_zone, none.chains) == (0, 0, 0, 0, 0)
    assert none.total == families
    family = stats.result_figures(products[products["family"] == FAMILY], products, zones)
    assert (family.shown, family.names, family.counties) == (1, 2, 1)


def test_zone_names_by_county_and_chains_present(tables: dict[str, pd.DataFrame]) -> None:
    national = stats.national_zones(tables["zones"])
    by_county = stats.national_zones_by_county(tables["zones"])
    assert set(by_county) == set(national["county_adcode"])
    for adcode, names in by_county.items():
        expected = national.loc[national["county_adcode"] == adcode, "name"]
        assert names.split("；") == list(expected)
    present = stats.chains_present(tables["products"])
    assert set(present) == set(tables["products"]["chain"]) and "现代种业" not in present
