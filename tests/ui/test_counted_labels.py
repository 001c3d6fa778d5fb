"""Counted option labels are read back by name whatever their count, in both languages;
a fresh session (after a restart) keeps the choice the browser sent with a stale count."""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit as st
from streamlit.proto.WidgetStates_pb2 import WidgetState

from landmarks import i18n
from landmarks.data.regions import Regions
from landmarks.query.filters import CHAINS
from landmarks.query.sites import SITE_COUNTY, SITE_PREFECTURE, SITE_PRODUCT
from landmarks.ui import browser_values, sidebar
from landmarks.ui.counted_labels import counted_label, uncounted
from landmarks.ui.zones_sites import sidebar as site_sidebar


@pytest.mark.parametrize(
    ("language", "label", "count", "shown"),
    [
        ("zh", "茶叶", 12, "茶叶（12）"),
        ("en", "Tea", 12, "Tea (12)"),
        ("en", "Enshi (Hubei)", 3, "Enshi (Hubei) (3)"),  # a name with brackets of its own
        ("zh", "（括号）名", 0, "（括号）名（0）"),
    ],
)
def test_a_counted_label_reads_back_as_its_label(
    language: str, label: str, count: int, shown: str
) -> None:
    with i18n.language(language):
        assert counted_label(label, count) == shown
        assert uncounted(shown) == label


@pytest.mark.parametrize("shown", ["茶叶", "茶叶（）", "茶叶（十二）", "茶叶(12)"])
def test_text_without_a_count_stays_as_it_is(shown: str) -> None:
    assert uncounted(shown) == shown


def _sent(monkeypatch: pytest.MonkeyPatch, key: str, labels: list[str]) -> None:
    state = WidgetState()
    state.string_array_value.data.extend(labels)
    monkeypatch.setattr(browser_values, "_current", lambda: {key: state})


def test_a_fresh_session_keeps_the_chain_the_browser_sent_with_a_stale_count(
    regions: Regions, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The restart cut short the run that recounted the options: the browser still shows
    # 茶叶 with the count from before the search, which the fresh session counts anew.
    _sent(monkeypatch, CHAINS.state_key, ["茶叶（999）", "没有的链（3）"])
    st.session_state.clear()
    sidebar._drop_outside_choices(regions)
    assert st.session_state[CHAINS.state_key] == ["茶叶"]


def test_a_choice_the_browser_did_not_send_is_kept_when_known(
    regions: Regions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browser_values, "_current", dict)
    st.session_state.clear()
    st.session_state[CHAINS.state_key] = ["茶叶", "没有的链"]
    sidebar._drop_outside_choices(regions)
    assert st.session_state[CHAINS.state_key] == ["茶叶"]


def test_the_sites_page_keeps_a_sent_prefecture_and_product_with_stale_counts(
    regions: Regions, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefecture, product = WidgetState(), WidgetState()
    prefecture.string_array_value.data.extend(["宜昌市（99）"])
    product.string_array_value.data.extend(["秭归脐橙（7）", "不在数据中（1）"])
    sent = {SITE_PREFECTURE.state_key: prefecture, SITE_PRODUCT.state_key: product}
    monkeypatch.setattr(browser_values, "_current", lambda: sent)
    st.session_state.clear()
    site_sidebar._drop_outside_choices(regions, pd.Series(["秭归脐橙", "恩施玉露"]))
    assert st.session_state[SITE_PREFECTURE.state_key] == [regions.prefecture("宜昌市").adcode]
    assert st.session_state[SITE_PRODUCT.state_key] == ["秭归脐橙"]
    assert st.session_state[SITE_COUNTY.state_key] == []
