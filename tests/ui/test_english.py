"""The Streamlit components of landmarks/ui in English (AppTest, ``lang=en``): filters,
list, cards, presentation and sharing controls, data management, output map controls.

Product and place names stay Chinese with their pinyin beside them; every label, caption
and message of these components reads in English.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from landmarks import i18n
from landmarks.data.accounts import hash_password
from landmarks.data.regions import Regions
from landmarks.query import filters, share
from landmarks.ui import language
from landmarks.ui.downloads import in_language
from tests import synthetic
from tests.helpers import APP_FILE, headings
from tests.synthetic import ZIGUI

PASSWORD = "hubei-gi-2026"
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# A name as shown in English: the Chinese name and its pinyin in brackets.
NAME = re.compile(r"[\u3400-\u9fff]+(?:\\?\s?\\?\([A-Za-z ]+\\?\))")


def english(text: str) -> bool:
    """Whether ``text`` reads in English: any Chinese left is a name with its pinyin."""
    return not CHINESE.search(NAME.sub("", text))


@pytest.fixture
def data(db_path: Path, regions: Regions) -> dict[str, pd.DataFrame]:
    return synthetic.install(db_path, regions)


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """AppTest formats widget options (``format_func``) in the test's own thread, which
    the app's language does not reach: the test reads in English too."""
    with i18n.language(i18n.ENGLISH):
        yield


def open_english(page: str, params: dict[str, Any] | None = None) -> AppTest:
    """``page`` opened by a session that chose English (the link's ``lang`` counts only
    on a session's first run, which here is the app's start page)."""
    at = AppTest.from_file(APP_FILE, default_timeout=90)
    at.session_state[language.LANGUAGE] = i18n.ENGLISH
    at.run()
    at.switch_page(page)
    at.query_params = dict(params or {})
    at.run()
    assert not at.exception, at.exception
    return at


def labels(at: AppTest, *kinds: str) -> list[str]:
    return [str(element.proto.label) for kind in kinds for element in at.get(kind)]


@pytest.mark.usefixtures("data")
def test_the_explorer_sidebar_and_list_read_in_english() -> None:
    at = open_english("pages/explorer.py")
    fields = [
        at.sidebar.multiselect(key=field.state_key)
        for field in filters.FILTER_FIELDS
        if isinstance(field, filters.ChoiceField)
    ]
    assert fields[0].label == i18n.catalog("en")["产业链"]
    for widget in fields:
        assert english(widget.label) and english(widget.proto.placeholder), widget.label
        assert all(english(option) for option in widget.options)
    assert english(at.sidebar.text_input(key=filters.SEARCH.state_key).label)
    for caption in at.sidebar.caption:
        assert english(caption.value), caption.value
    assert "Reset filters" in [b.label for b in at.sidebar.button]
    copy = next(h.proto.body for h in at.get("html") if "gi-copy-link" in h.proto.body)
    assert "Copy share link" in copy and not CHINESE.search(copy)
    listed = next(df.value for df in at.dataframe if "Product name" in df.value.columns)
    assert all(english(str(column)) for column in listed.columns)
    pinyin = re.compile(r" \([^()]+\)$")
    assert all(pinyin.search(n) or not CHINESE.search(n) for n in listed["Product name"])
    radio = at.radio(key="explorer_list_mode")
    assert all(english(option) for option in radio.options)
    for label in labels(at, "download_button", "metric", "toggle", "selectbox", "number_input"):
        assert english(label), label
    assert all(english(tab.label) for tab in at.tabs)


@pytest.mark.usefixtures("data")
def test_a_product_card_reads_in_english_with_the_name_in_pinyin() -> None:
    at = open_english("pages/explorer.py", {"product": "秭归脐橙"})
    assert headings(at)[0] == "Product card: 秭归脐橙 \\(Zigui Qicheng\\)"
    card = " ".join(m.value for m in at.markdown)
    assert "Confidence\\: High" in card and "**Protected area**: 宜昌市 \\(Yichang City\\)" in card
    found = next(df for df in at.dataframe if "gi_type" in df.value.columns)
    config = json.loads(found.proto.columns)
    assert [config[c]["label"] for c in ("name", "gi_type", "number", "year")] == [
        "Registered names",
        "Type",
        "ID",
        "Year",
    ]
    assert found.value["name"].tolist() == ["秭归脐橙 (Zigui Qicheng)"]
    assert english(str(found.value["number"].iloc[0]))


@pytest.mark.usefixtures("data")
def test_a_county_card_reads_in_english() -> None:
    at = open_english("pages/explorer.py", {"county": ZIGUI})
    assert "County card: 秭归县 \\(Zigui County\\)" in headings(at)
    picker = at.selectbox(key="county_card_product")
    assert picker.label == "Open a product card"
    assert all(english(option) for option in picker.options)
    assert "Show only products covering this county" in [b.label for b in at.button]


@pytest.mark.usefixtures("data")
def test_the_presentation_controls_read_in_english() -> None:
    at = open_english("pages/explorer.py")
    assert at.sidebar.toggle(key="explorer_present").label == "Presentation mode (big screen)"
    tour = at.sidebar.selectbox(key="explorer_tour")
    assert tour.label == "Booth tour"
    at.sidebar.toggle(key="explorer_present").set_value(True).run()
    assert not at.exception
    assert "Leave presentation" in [b.label for b in at.button]
    assert at.title[0].value.startswith("Hubei GI Brand Map · ")


@pytest.mark.usefixtures("data")
def test_the_data_page_reads_in_english_for_a_viewer() -> None:
    at = open_english("pages/data.py")
    for caption in at.caption:
        assert english(caption.value), caption.value
    downloads = labels(at, "download_button")
    assert downloads and all(english(label) for label in downloads), downloads
    how_to = " ".join(m.value for e in at.expander for m in e.markdown)
    assert "python -m landmarks hash-password" in how_to and english(how_to)


@pytest.mark.usefixtures("data")
def test_the_data_page_reads_in_english_for_an_editor() -> None:
    at = AppTest.from_file(APP_FILE, default_timeout=90)
    at.secrets["editors"] = {"wang": {"name": "王编辑", "password_hash": hash_password(PASSWORD)}}
    at.session_state[language.LANGUAGE] = i18n.ENGLISH
    at.run()
    at.switch_page("pages/data.py").run()
    at.sidebar.text_input[0].input("wang")
    at.sidebar.text_input[1].input(PASSWORD)
    at.sidebar.button[0].click().run()
    assert not at.exception, at.exception
    assert "Logged in as editor: 王编辑" in [c.value for c in at.sidebar.caption]
    widgets = labels(at, "selectbox", "radio", "file_uploader", "text_input", "button")
    assert "Import into" in widgets and "Save changes" in widgets
    assert all(english(label) for label in widgets), widgets
    for kind in ("selectbox", "radio"):
        for widget in at.get(kind):
            assert all(english(option) for option in widget.options), widget.options
    captions = [str(c.value) for c in at.caption if "王编辑" not in str(c.value)]  # a name
    assert all(english(caption) for caption in captions), captions


@pytest.mark.usefixtures("data")
def test_the_output_map_controls_read_in_english() -> None:
    at = open_english("pages/output_map.py")
    controls = [at.selectbox(key=key) for key in ("output_map_measure", "output_map_scheme")]
    for widget in controls:
        assert english(widget.label) and all(english(o) for o in widget.options)
    level = at.radio(key="output_map_level")
    assert english(level.label) and all(english(o) for o in level.options)
    assert english(at.slider(key="output_map_classes").label)
    assert english(at.button(key="output_map_play").label)


def _panel_script() -> None:
    from landmarks import i18n
    from landmarks.data.regions import load_regions
    from landmarks.query import filters
    from landmarks.query.selection import Selection
    from landmarks.ui import share as share_ui
    from landmarks.ui.data import Tables
    from tests import synthetic

    i18n.set_language("en")
    regions = load_regions()
    data = Tables(**synthetic.frames(regions), version=1, updated_at="2026-03-01T08:00:00+00:00")
    product_filter = filters.ProductFilter(chains=("茶叶",))
    shown = filters.apply_filter(data.products, data.zones, product_filter)
    share_ui.view_panel(data, regions, share_ui.View(product_filter, Selection(), shown))


def test_the_share_panels_read_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(share.PUBLIC_URL_ENV, "http://192.168.1.20:8501")
    at = AppTest.from_function(_panel_script, default_timeout=60).run()
    assert not at.exception, at.exception
    assert [tab.label for tab in at.tabs] == [
        "QR code",
        "Print a poster",
        "Prefecture / industry chain brief",
        "Offline map",
    ]
    buttons = labels(at, "download_button")
    assert buttons[:2] == ["Download PNG", "Download SVG"]
    assert all(english(label) for label in buttons), buttons
    for radio in at.radio:
        assert english(radio.label) and all(english(o) for o in radio.options)
    subjects = at.selectbox[0]
    assert all(english(option) for option in subjects.options)
    assert all(english(str(caption.value)) for caption in at.caption)


def test_a_deferred_file_is_made_in_the_language_of_the_page() -> None:
    make = in_language(lambda: i18n.t("产品列表").encode())
    with i18n.language(i18n.CHINESE):
        assert make() == b"Product list"
        assert i18n.current_language() == i18n.CHINESE
