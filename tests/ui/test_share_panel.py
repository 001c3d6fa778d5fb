"""The 分享与打印 panels in a Streamlit run (AppTest): QR, poster, brief, offline map.

Files are made only when a download button is clicked, which AppTest cannot do; the
files themselves are tested in tests/maps.  Here: the panels render, offer their
choices and buttons in Chinese, and the QR code carries the configured base URL.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from landmarks.query import share
from landmarks.ui import share as share_ui


def _panel_script() -> None:
    import pandas as pd

    from landmarks.data.regions import load_regions
    from landmarks.query import filters
    from landmarks.query.selection import Selection
    from landmarks.ui import share as share_ui
    from landmarks.ui.data import Tables
    from tests import synthetic

    regions = load_regions()
    frames = synthetic.frames(regions)
    data = Tables(**frames, version=1, updated_at="2026-03-01T08:00:00+00:00")
    product_filter = filters.ProductFilter(chains=("茶叶",))
    shown = filters.apply_filter(data.products, data.zones, product_filter)
    view = share_ui.View(product_filter, Selection(), shown)
    assert isinstance(shown, pd.DataFrame)
    share_ui.view_panel(data, regions, view)


def run_panel(monkeypatch: pytest.MonkeyPatch, public_url: str | None) -> AppTest:
    if public_url is None:
        monkeypatch.delenv(share.PUBLIC_URL_ENV, raising=False)
    else:
        monkeypatch.setenv(share.PUBLIC_URL_ENV, public_url)
    at = AppTest.from_function(_panel_script, default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def labels(at: AppTest, kind: str) -> list[str]:
    return [element.proto.label for element in at.get(kind)]


def texts(at: AppTest) -> list[str]:
    """Captions and warnings as read (Markdown escapes removed)."""
    shown = [str(c.value) for c in at.caption] + [str(w.value) for w in at.warning]
    return [re.sub(r"\\(.)", r"\1", text) for text in shown]


def test_the_panels_offer_their_files(monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_panel(monkeypatch, "http://192.168.1.20:8501")
    assert [t.label for t in at.tabs] == ["二维码", "打印海报", "市州／产业链简报", "离线地图"]
    buttons = labels(at, "download_button")
    assert buttons[:2] == ["下载 PNG", "下载 SVG"]
    assert "生成并下载海报（A3 横向）" in buttons
    assert any(b.startswith("生成并下载简报：") for b in buttons)
    assert "生成并下载离线地图" in buttons
    assert [r.label for r in at.radio][:4] == ["二维码打开", "纸张", "方向", "文件"]
    assert at.radio[1].options == ["A4", "A3"] and at.radio[1].value == "A3"
    assert at.radio[2].options == ["横向", "纵向"]
    assert at.selectbox(key="share_brief_subject_prefecture").label == "市州"
    # The QR code's link, under it: the configured base, the public page and the view's
    # filter (the explorer's parameters).
    link = "http://192.168.1.20:8501/app/static/p/index.html?chain=%E8%8C%B6%E5%8F%B6"
    assert f"[{link}](<{link}>)" in texts(at)  # the link, shown and followed as it is
    assert not any("只能在本机打开" in str(t) for t in texts(at))


def test_a_brief_can_be_made_for_a_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_panel(monkeypatch, "http://192.168.1.20:8501")
    at.radio(key="share_brief_kind").set_value("chain").run()
    assert not at.exception
    assert at.selectbox(key="share_brief_subject_chain").label == "产业链"
    assert "茶叶" in at.selectbox(key="share_brief_subject_chain").options


def test_a_malformed_base_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_panel(monkeypatch, "192.168.1.20:8501")
    assert any("分享地址设置有误" in str(w.value) for w in at.warning)


def test_without_a_known_address_the_qr_code_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    # AppTest has no browser, so the page's own URL is unknown, as on a first run.
    at = run_panel(monkeypatch, None)
    assert "正在读取页面地址，请稍候或刷新页面。" in texts(at)
    assert "下载 PNG" not in labels(at, "download_button")
    assert "生成并下载离线地图" in labels(at, "download_button")


LOCAL_ONLY = "只能在本机打开"


def test_every_output_with_a_link_warns_about_a_local_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """QR code, poster, brief and offline map all carry the link: each tab says so."""
    at = run_panel(monkeypatch, "http://127.0.0.1:8601")
    assert sum(LOCAL_ONLY in text for text in texts(at)) == 4


def test_the_presenters_address_wins_over_the_configured_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The address chosen in the panel (typed or picked: tests/e2e/test_share_panel.py)
    is the session's: every link points there, and nothing warns any more."""
    at = run_panel(monkeypatch, "http://127.0.0.1:8601")
    picker = at.selectbox(key="share_public_url_picker")
    assert picker.label == "分享地址（手机扫码打开的地址）"
    at.session_state["share_public_url"] = "http://192.168.1.20:8601"
    at.run()
    assert not at.exception
    link = "http://192.168.1.20:8601/app/static/p/index.html?chain=%E8%8C%B6%E5%8F%B6"
    assert f"[{link}](<{link}>)" in texts(at)
    assert not any(LOCAL_ONLY in text for text in texts(at))
    assert at.selectbox(key="share_public_url_picker").value == "http://192.168.1.20:8601"


def test_codes_open_the_public_page_unless_the_presenter_asks_for_the_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The public page by default (and under ``$LANDMARKS_PUBLIC_PAGE_PATH`` when a
    balancer serves it); the app when the presenter picks 完整应用."""
    monkeypatch.setenv(share.PUBLIC_PAGE_ENV, "/p/")
    at = run_panel(monkeypatch, "http://192.168.1.20:8501")
    choice = at.radio(key=share_ui.LINK_TARGET)
    assert choice.options == ["公开页（推荐，手机快）", "完整应用（工作人员）"]
    public = "http://192.168.1.20:8501/p/?chain=%E8%8C%B6%E5%8F%B6"
    assert f"[{public}](<{public}>)" in texts(at)
    choice.set_value(share_ui.TARGET_APP).run()
    assert not at.exception
    app = "http://192.168.1.20:8501/explorer?chain=%E8%8C%B6%E5%8F%B6"
    assert f"[{app}](<{app}>)" in texts(at)
    assert f"[{public}](<{public}>)" not in texts(at)


def _product_qr_script() -> None:
    import streamlit as st

    from landmarks.ui import share as share_ui

    if st.session_state.get("ask_for_the_app"):
        st.session_state[share_ui.LINK_TARGET] = share_ui.TARGET_APP
    share_ui.product_qr("秭归脐橙")


def test_a_products_code_opens_its_card_on_the_public_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(share.PUBLIC_URL_ENV, "http://192.168.1.20:8501")
    monkeypatch.delenv(share.PUBLIC_PAGE_ENV, raising=False)
    at = AppTest.from_function(_product_qr_script, default_timeout=60).run()
    assert not at.exception
    product = "product=%E7%A7%AD%E5%BD%92%E8%84%90%E6%A9%99"
    public = f"http://192.168.1.20:8501/app/static/p/index.html?{product}"
    assert f"[{public}](<{public}>)" in texts(at)
    at.session_state["ask_for_the_app"] = True
    at.run()
    app = f"http://192.168.1.20:8501/explorer?{product}"
    assert f"[{app}](<{app}>)" in texts(at)
