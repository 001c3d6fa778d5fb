"""Hostile text on every page in Chromium: data whose names, notes, places and sources
are Markdown links and images, HTML, mathtext, directives, bidi and zero-width characters,
a 10,000-character name and emoji (tests/hostile.py), and an uploaded file named with a
Markdown image and link.

One server, one database, one page load per page: nothing is requested from the host the
strings point at (127.0.0.1:8799, nothing listens there), no ``<img>`` comes from
anywhere but the app, no ``<a>`` leads anywhere but the app or a source URL field of the
data, and a poster of a view holding ``测试$$x^2$$茶`` arrives.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page

from landmarks.data.regions import load_regions
from tests import synthetic
from tests.harness import (
    APP_FILE,
    BrowserCheckError,
    RequestRecorder,
    StreamlitServer,
    assert_no_streamlit_errors,
    open_page,
    recorded_page,
    save_screenshot,
    start_server,
    wait_until_idle,
)
from tests.harness.editors import EDITOR_PASSWORD, editor_app_env
from tests.hostile import (
    AUTOLINK,
    HTML_IMAGE,
    MARKDOWN_LINK,
    OTHER_HOST,
    PRODUCT,
    SITE,
    ZIGUI,
    hostile_frames,
)

pytestmark = pytest.mark.browser

HOSTILE_HOST = urlsplit(OTHER_HOST).netloc  # 127.0.0.1:8799
SURVEY = (
    "产品名称,品类,地理标志类型,所属市州,所属县市区,可信度,来源类型\n"
    f"测试贡茶,茶叶,地理标志保护产品,宜昌市,秭归县,中,媒体报道\n"
    f"{HTML_IMAGE},蔬菜,,宜昌市,{MARKDOWN_LINK},中,媒体报道\n"
)
FILE_NAME = f"![t]({OTHER_HOST}/x.png)[click]({OTHER_HOST}/y) {AUTOLINK}.csv"

# Links the app draws itself, not from data: the map's attribution.
APP_LINK_HOSTS = frozenset({"leafletjs.com"})
_WIDTHS_JS = """() => [document.documentElement.scrollWidth,
    document.documentElement.clientWidth]"""
# Every <a> and <img> of the page and its frames: [tag, the attribute's resolved URL].
_LINKS_JS = """() => [...document.querySelectorAll('a[href], img[src]')].map((el) =>
    [el.tagName.toLowerCase(), el.tagName === 'A' ? el.href : el.src])"""


@pytest.fixture(scope="module")
def hostile_server(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    """The app over the hostile data set, with one editor account."""
    folder = tmp_path_factory.mktemp("hostile_server")
    env = editor_app_env(folder)
    database = folder / "db.sqlite"
    synthetic.install(database, load_regions(), hostile_frames)
    server = start_server(APP_FILE, folder / "server.log", env, cwd=folder)
    yield server
    server.stop()


def _source_hosts() -> set[str]:
    """The hosts of the data set's source URL fields: links to them are the app's own."""
    tables = hostile_frames(load_regions())
    urls = [*tables["sources"]["url"]]
    for table in ("products", "zones", "outputs"):
        urls += [*tables[table]["source_url"]]
    return {urlsplit(str(url)).netloc for url in urls if str(url).startswith("http")}


def headings(page: Page) -> list[str]:
    """The page's headings, once a card's is there, as a reader sees them (the word
    joiners that keep a URL in a name from becoming a link are invisible)."""
    cards = page.locator("[data-testid='stMain'] h2")
    cards.filter(has_text="名片").first.wait_for()
    texts = cards.all_inner_texts()
    return [text.replace("\u2060", "").strip() for text in texts]


def assert_text_stays_text(page: Page, server: StreamlitServer, recorder: RequestRecorder) -> None:
    """No request to the strings' host; every <img> the app's own or inline; every <a> to
    the app or a source URL field's host (never the strings' host, never javascript:)."""
    wait_until_idle(page)
    requested = [url for url in recorder.urls if HOSTILE_HOST in url]
    if requested:
        raise BrowserCheckError(f"requests to the hostile host: {requested}")
    recorder.assert_offline()
    own, allowed = (
        urlsplit(server.base_url).netloc,
        (APP_LINK_HOSTS | _source_hosts()) - {HOSTILE_HOST},
    )
    wrong = []
    for frame in page.frames:
        for tag, url in frame.evaluate(_LINKS_JS):
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob") and tag == "img":
                continue
            if parts.scheme in ("http", "https") and parts.netloc == own:
                continue
            if tag == "a" and parts.scheme in ("http", "https") and parts.netloc in allowed:
                continue
            wrong.append(f"<{tag}> {url[:120]}")
    if wrong:
        raise BrowserCheckError("links or images from data: " + "; ".join(wrong))
    widths = page.evaluate(_WIDTHS_JS)
    if widths[0] > widths[1] + 1:  # a long name wraps, the page does not scroll sideways
        raise BrowserCheckError(f"the page is {widths[0]} px wide in a {widths[1]} px window")
    assert_no_streamlit_errors(page)
    recorder.assert_no_page_errors()


def test_hostile_text_stays_text_on_every_page(
    shared_context: BrowserContext, hostile_server: StreamlitServer
) -> None:
    with recorded_page(shared_context, {"width": 1400, "height": 1000}) as (page, recorder):
        # The explorer with the product card and the county card open, then a poster of
        # the view (every product labelled, 测试$$x^2$$茶 among them).
        query = urlencode({"product": PRODUCT, "county": ZIGUI})
        open_page(page, hostile_server, f"explorer?{query}")
        assert f"产品名片：{PRODUCT}" in headings(page)
        assert "县域名片：秭归县" in headings(page)
        assert_text_stays_text(page, hostile_server, recorder)
        save_screenshot(page, "hostile-text-explorer", style=None)
        page.get_by_text("分享与打印：二维码、海报、简报、离线地图").click()
        page.get_by_role("tab", name="打印海报").click()
        # PDF first: the button's label names the paper only, so the one labelled A4
        # comes from a run that also had PDF chosen (the browser sends both choices).
        page.get_by_text("PDF 矢量文件").click()
        page.get_by_text("A4", exact=True).click()
        wait_until_idle(page)
        with page.expect_download(timeout=120_000) as caught:
            page.get_by_role("button", name="生成并下载海报（A4 横向）").click()
        assert Path(caught.value.path()).read_bytes().startswith(b"%PDF")

        for path in (
            f"zones_sites?{urlencode({'site': SITE})}",
            "",  # 品牌总览
            "output_map",
            "statistics",
        ):
            open_page(page, hostile_server, path)
            assert_text_stays_text(page, hostile_server, recorder)
            if path.startswith("zones_sites"):
                assert f"站点名片：{SITE}" in headings(page)

        # The data page: an editor uploads a file whose name is a Markdown image and link.
        open_page(page, hostile_server, "data")
        page.get_by_label("用户名").fill("wang")
        page.get_by_label("密码").fill(EDITOR_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("tab", name="导入数据").wait_for()
        page.locator("input[type=file]").set_input_files(
            {"name": FILE_NAME, "mimeType": "text/csv", "buffer": SURVEY.encode("utf-8")}
        )
        page.get_by_text("其中 1 行无误，1 行有问题").wait_for()
        assert_text_stays_text(page, hostile_server, recorder)
        save_screenshot(page, "hostile-text-import-report", style=None)
