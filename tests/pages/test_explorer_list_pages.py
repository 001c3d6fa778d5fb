"""The explorer's product list is paged: a rerun sends one page of rows, not the list.

The page size is made small here (the synthetic data has a few dozen products; at
national scale the list had 10,000 rows, half a megabyte at every filter change)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from landmarks.data.regions import Regions
from landmarks.query import filters
from landmarks.ui import table as list_table
from tests import synthetic
from tests.helpers import components, run_app

PAGE = "pages/explorer.py"
SIZE = 4


@pytest.fixture
def data(
    db_path: Path, regions: Regions, monkeypatch: pytest.MonkeyPatch
) -> dict[str, pd.DataFrame]:
    monkeypatch.setattr(list_table, "PAGE_SIZE", SIZE)
    return synthetic.install(db_path, regions)


def listed(at: AppTest) -> list[str]:
    found = [df.value for df in at.dataframe if "产品名称" in df.value.columns]
    assert len(found) == 1
    return list(found[0]["产品名称"])


def pager_button(at: AppTest, label: str) -> object:
    return next(b for b in at.button if b.label == label)


def pager_text(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption if "行，共" in c.value)


def test_a_long_list_shows_one_page_and_turns_to_the_next(data: dict[str, pd.DataFrame]) -> None:
    at = run_app(PAGE)
    families = data["products"]["family"].nunique()
    assert families > 2 * SIZE
    first = listed(at)
    assert len(first) == SIZE
    pages = -(-families // SIZE)
    assert pager_text(at) == f"第 1–{SIZE} 行，共 {families} 行（第 1 / {pages} 页）"
    assert pager_button(at, "上一页").disabled
    pager_button(at, "下一页").click().run()
    second = listed(at)
    assert len(second) == SIZE and not set(second) & set(first)
    assert pager_text(at).startswith(f"第 {SIZE + 1}–{2 * SIZE} 行")
    assert not pager_button(at, "上一页").disabled
    pager_button(at, "上一页").click().run()
    assert listed(at) == first
    # Every page together is the whole list, each product once.
    seen = []
    for _ in range(pages):
        seen += listed(at)
        if not pager_button(at, "下一页").disabled:
            pager_button(at, "下一页").click().run()
    assert len(seen) == families and set(seen) == set(data["products"]["family"])
    assert pager_button(at, "下一页").disabled


def test_another_filter_starts_at_the_first_page(data: dict[str, pd.DataFrame]) -> None:
    at = run_app(PAGE)
    pager_button(at, "下一页").click().run()
    assert pager_text(at).startswith(f"第 {SIZE + 1}–")
    at.multiselect(key=filters.CONFIDENCE.state_key).set_value(["high", "medium"]).run()
    chosen = filters.apply_filter(
        data["products"], data["zones"], filters.ProductFilter(confidences=("high", "medium"))
    )
    families = chosen["family"].nunique()
    assert families > SIZE  # still more than one page
    assert pager_text(at).startswith(f"第 1–{SIZE} 行，共 {families} 行")


def test_a_short_list_has_no_pager(data: dict[str, pd.DataFrame]) -> None:
    at = run_app(PAGE, {"chain": "柑橘"})
    assert len(listed(at)) == 3
    assert not pager_text(at)
    assert not [b for b in at.button if b.label in ("上一页", "下一页")]


def test_the_rows_sent_are_one_page_and_the_map_carries_no_product_rows(
    data: dict[str, pd.DataFrame],
) -> None:
    at = run_app(PAGE)
    sent = [df for df in at.dataframe if "产品名称" in df.value.columns]
    assert [len(df.value) for df in sent] == [SIZE]
    # The map's arguments name rows by position; the rows themselves are a published file.
    args = " ".join(c.proto.json_args for c in components(at))
    assert args
    names = set(data["products"]["name"]) - set(listed(at))
    assert not [name for name in names if name in args]
