"""Outside Hubei a product's group (``chain``) is its category: counts, filters, tours,
briefs and titles list the region's groups (the categories), not Hubei's ten chains, so
a category no chain is named after (粮油, 水果) is counted and filterable too."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

from landmarks.data import region
from landmarks.data.chains import CHAIN_NAMES
from landmarks.data.model import CATEGORIES
from landmarks.query import atlas, briefs, filters, presentation, share, stats
from landmarks.query.filters import ProductFilter


@pytest.fixture
def hunan(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv(region.REGION_ENV, "430000")
    return SimpleNamespace(region=region.region_for("430000"))  # what the code reads of Regions


def _products(groups: list[str]) -> pd.DataFrame:
    names = [f"产品{i}" for i in range(len(groups))]
    return pd.DataFrame({"name": names, "family": names, "chain": groups, "category": groups})


def test_counts_list_the_regions_categories(hunan: Any) -> None:
    counts = stats.products_by_chain(_products(["粮油", "水果", "粮油"]))
    assert list(counts.index) == list(CATEGORIES)  # no zero rows of Hubei's chains
    assert (counts["粮油"], counts["水果"], counts.sum()) == (2, 1, 3)
    assert stats.chains_present(_products(["水果", "粮油"])) == ["水果", "粮油"]
    assert atlas.chains_in_order(_products(["粮油", "水果"])) == ["水果", "粮油"]


def test_the_group_filter_takes_the_regions_categories(hunan: Any) -> None:
    field = filters.CHAINS
    assert list(field.vocabulary(hunan, ())) == list(CATEGORIES)
    assert field.resolve("粮油", hunan) == "粮油"
    with pytest.raises(ValueError, match="不是已知的品类"):
        field.resolve("优质稻米", hunan)


def test_tours_and_titles_name_the_regions_groups(hunan: Any) -> None:
    shown = _products(["粮油"])
    assert presentation.chains_without_steps(shown, ("粮油", "水果")) == ["水果"]
    assert share.value_words(filters.CHAINS.attr, ("水果", "粮油"), hunan) == ["水果", "粮油"]
    title = share.poster_title("湖南地标品牌地图", ProductFilter(chains=("粮油",)), hunan)
    assert title == "湖南地标品牌地图 · 粮油"
    assert briefs.brief_title(briefs.CHAIN, "粮油", hunan.region) == "粮油地理标志品牌简报"
    hubei = region.region_for("420000")
    assert briefs.brief_title(briefs.CHAIN, "茶叶", hubei) == "茶叶产业链地理标志品牌简报"


def test_hubei_keeps_its_ten_chains(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(region.REGION_ENV, raising=False)
    counts = stats.products_by_chain(_products(["茶叶", "柑橘"]))
    assert list(counts.index) == list(CHAIN_NAMES)
    assert list(filters.CHAINS.vocabulary(SimpleNamespace(region=region.current_region()), ())) == (
        list(CHAIN_NAMES)
    )
