"""Every page over a data set whose names and notes are hostile strings (tests/hostile.py),
run with AppTest: what comes from data reaches Streamlit's Markdown only escaped, so no
Markdown source of a page holds a link, image, HTML, formula or autolink from the data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from landmarks import i18n
from landmarks.data.regions import Regions
from landmarks.data.routes import STOP_PRODUCT, STOP_SITE, Route, Stop
from landmarks.query import routes, share
from landmarks.ui.markdown import md
from tests import synthetic
from tests.helpers import run_app
from tests.hostile import (
    AUTOLINK,
    HTML_IMAGE,
    LONG,
    MARKDOWN_IMAGE,
    MARKDOWN_LINK,
    MATHTEXT,
    OTHER_HOST,
    PRODUCT,
    SITE,
    ZIGUI,
    ZONE,
    hostile_frames,
    markdown_sources,
    shown_text,
    unsafe_on_page,
)

Tables = dict[str, pd.DataFrame]
# A shared route link whose name and stops are hostile, one stop not in the data.
ROUTE = routes.route_to_query(
    Route(
        MARKDOWN_IMAGE,
        (Stop(STOP_SITE, SITE), Stop(STOP_PRODUCT, PRODUCT), Stop(STOP_PRODUCT, HTML_IMAGE + "x")),
    )
)


@pytest.fixture
def data(db_path: Path, regions: Regions) -> Tables:
    return synthetic.install(db_path, regions, hostile_frames)


def shows(at: AppTest, text: str) -> bool:
    """Whether some Markdown of the page shows ``text`` (escaped) to its reader."""
    return any(text in shown_text(source) for source in markdown_sources(at))


@pytest.mark.parametrize(
    ("page", "params", "shown"),
    [
        ("pages/explorer.py", {"product": PRODUCT, "county": ZIGUI}, PRODUCT),
        ("pages/zones_sites.py", {"site": SITE}, SITE),
        ("pages/zones_sites.py", {"zone": ZONE}, ZONE),
        ("pages/zones_sites.py", {}, ZONE),
        ("pages/zones_sites.py", {"tab": "route", **ROUTE}, HTML_IMAGE + "x"),
        ("pages/overview.py", {}, None),
        ("pages/statistics.py", {}, None),
        ("pages/output_map.py", {}, None),
    ],
    ids=["explorer_cards", "site_card", "zone_card", "zone_list", "route", "overview",
         "statistics", "output_map"],
)  # fmt: skip
def test_no_page_renders_data_as_markup(
    data: Tables, page: str, params: dict[str, str], shown: str | None
) -> None:
    at = run_app(page, params)
    assert unsafe_on_page(at) == {}
    if shown is not None:  # the card is open: its name is there, as text
        assert shows(at, shown)


def test_the_explorer_cards_show_the_names_as_headings_of_text(data: Tables) -> None:
    at = run_app("pages/explorer.py", {"product": PRODUCT, "county": ZIGUI})
    titles = [heading.value for heading in at.header]
    assert f"产品名片：{md(PRODUCT)}" in titles and "县域名片：秭归县" in titles
    # The county card lists the product among the names that follow it, each one text.
    listed = [m.value for m in at.markdown if md(PRODUCT) in m.value and md(MATHTEXT) in m.value]
    assert listed and unsafe_on_page(at) == {}


def test_a_name_too_long_for_a_qr_code_leaves_the_card_whole(
    data: Tables, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A public address makes the card draw its QR code (AppTest has no page address).
    monkeypatch.setenv(share.PUBLIC_URL_ENV, "http://127.0.0.1:8501/")
    at = run_app("pages/explorer.py", {"product": LONG})
    assert f"产品名片：{md(LONG)}" in [heading.value for heading in at.header]
    assert any("超出二维码的容量" in info.value for info in at.info)
    assert "维护说明" in [expander.label for expander in at.expander]  # drawn after the QR


# The product survey of tests/e2e/test_data_import.py: one good row, one with problems.
SURVEY = (
    "产品名称,品类,地理标志类型,所属市州,所属县市区,可信度,来源类型\n"
    f"{PRODUCT},茶叶,地理标志保护产品,宜昌市,秭归县,中,媒体报道\n"
    f"{HTML_IMAGE},蔬菜,,宜昌市,{MARKDOWN_LINK},中,媒体报道\n"
)
# An uploaded file's name is the user's text too.
FILE_NAME = f"![t]({OTHER_HOST}/x.png)[click]({OTHER_HOST}/y) {AUTOLINK}.csv"


def _import_report(survey: str, file_name: str) -> None:
    """The data page's report of an upload, as ``data_admin.import_panel`` shows it."""
    from landmarks.data.imports import check_import
    from landmarks.data.reading import read_upload
    from landmarks.ui import data as ui_data
    from landmarks.ui import data_admin

    raw = read_upload(survey.encode(), file_name, table="products")
    tables = ui_data.tables()
    report = check_import(raw, "products", regions=ui_data.regions(), current=tables.stored())
    data_admin._show_report(report)


def test_the_import_report_shows_the_file_name_and_cells_as_text(data: Tables) -> None:
    at = AppTest.from_function(_import_report, args=(SURVEY, FILE_NAME), default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    assert unsafe_on_page(at) == {}
    assert shows(at, f"“{FILE_NAME}”")  # the summary names the file, as text


@pytest.mark.parametrize(
    ("page", "params"),
    [("pages/explorer.py", {"product": PRODUCT, "county": ZIGUI}), ("pages/zones_sites.py",
     {"site": SITE})],
    ids=["explorer_cards", "site_card"],
)  # fmt: skip
def test_english_pages_render_no_data_as_markup(
    data: Tables, page: str, params: dict[str, str]
) -> None:
    # English adds each name's pinyin beside it: the name and its pinyin are escaped together.
    from tests.pages.test_english_pages import run_in

    at = run_in(i18n.ENGLISH, page, params)
    assert unsafe_on_page(at) == {}
    assert any(PRODUCT in shown_text(source) for source in markdown_sources(at))
