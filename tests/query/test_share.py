"""Shared links on a chosen host: base URL, the view's link, product and site cards."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from landmarks.data.regions import Regions
from landmarks.query import filters, selection, share, stats
from landmarks.query.filter_fields import YearRange
from landmarks.query.filters import ProductFilter
from landmarks.query.selection import Selection
from landmarks.query.share import BaseUrlError
from tests.synthetic import FAMILY, YICHANG, ZIGUI

Tables = dict[str, pd.DataFrame]
LAN = "http://192.168.1.20:8501"
APP_FILE = Path(__file__).resolve().parents[2] / "app.py"


@pytest.mark.parametrize(
    ("text", "base"),
    [
        ("http://192.168.1.20:8501", LAN),
        ("  http://192.168.1.20:8501/ ", LAN),
        ("https://gi.example.org/map/", "https://gi.example.org/map"),
        ("HTTP://Booth.local:80", "http://Booth.local:80"),
    ],
)
def test_a_base_is_scheme_host_and_path(text: str, base: str) -> None:
    assert share.normalize_base(text) == base


@pytest.mark.parametrize(
    "text", ["192.168.1.20:8501", "ftp://host", "http://", "http://h/?a=1", "http://h:port", ""]
)
def test_a_malformed_base_is_refused_in_chinese(text: str) -> None:
    with pytest.raises(BaseUrlError, match=r"网址|端口|不应包含"):
        share.normalize_base(text)


def test_the_configured_base_wins_over_the_request() -> None:
    page = "http://localhost:8501/explorer"
    chosen = share.choose_base(LAN + "/", page)
    assert chosen == share.BaseUrl(LAN, share.ORIGIN_CONFIGURED)
    assert not chosen.is_loopback and chosen.notice == ""
    from_request = share.choose_base("  ", page)
    assert from_request == share.BaseUrl("http://localhost:8501", share.ORIGIN_REQUEST)
    assert from_request.is_loopback and "LANDMARKS_PUBLIC_URL" in from_request.notice
    assert share.choose_base(None, None) is None
    with pytest.raises(BaseUrlError):
        share.choose_base("localhost:8501", page)


def test_the_request_base_keeps_streamlits_base_path() -> None:
    page = "https://gi.example.org/map/explorer"
    assert share.request_base(page, "map") == "https://gi.example.org/map"
    assert share.request_base(page, "/map/") == "https://gi.example.org/map"
    assert share.page_path(page, "map") == "explorer"
    assert share.page_path("http://h:8501/explorer") == "explorer"
    assert share.page_path("http://h:8501/") == ""


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.8.0.1", "[::1]"])
def test_loopback_hosts(host: str) -> None:
    assert share.BaseUrl(f"http://{host}:8501", share.ORIGIN_REQUEST).is_loopback


def test_the_view_link_opens_the_same_view(regions: Regions) -> None:
    product_filter = ProductFilter(
        chains=("柑橘", "茶叶"),
        prefectures=(YICHANG,),
        counties=(ZIGUI,),
        years=YearRange(2005, 2020, undated=True),
        zone_only=True,
    )
    chosen = Selection(product="秭归脐橙", county=ZIGUI)
    url = share.explorer_url(LAN, product_filter, chosen)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == LAN and parts.path == "/explorer"
    assert url.isascii()  # percent-encoded: no scanner has to guess the text encoding
    params = parse_qs(parts.query)
    parsed, notices = filters.filter_from_query(
        params, regions, other_keys=selection.SELECTION_QUERY_KEYS
    )
    assert parsed == product_filter and notices == []
    assert params["product"] == ["秭归脐橙"] and params["county"] == [ZIGUI]


def test_an_unfiltered_view_links_to_the_bare_page() -> None:
    assert share.explorer_url(LAN, ProductFilter(), Selection()) == f"{LAN}/explorer"
    assert share.page_url(LAN + "/", "") == f"{LAN}/"


def test_product_and_site_cards(tables: Tables, regions: Regions) -> None:
    url = share.product_url("https://gi.example.org/map", FAMILY)
    parts = urlsplit(url)
    assert parts.path == "/map/explorer"
    chosen, notices = selection.selection_from_query(
        parse_qs(parts.query), tables["products"], regions
    )
    assert chosen.product == FAMILY and notices == []

    site = str(tables["sites"]["name"].iloc[0])
    parts = urlsplit(share.site_url(LAN, site))
    assert parts.path == "/zones_sites" and parse_qs(parts.query) == {"site": [site]}


def test_site_links_use_the_pages_own_keys() -> None:
    # The page's state module names its query keys (a package since issue 11).
    state = importlib.import_module("landmarks.ui.zones_sites.state")
    assert share.SITE_KEY == state.Q_SITE
    app = APP_FILE.read_text(encoding="utf-8")
    # app.PAGES rows: (file, title, icon, url_path)
    assert re.search(rf'":material/\w+:", "{share.SITES_PAGE}"\),', app)
    assert re.search(rf'":material/\w+:", "{share.EXPLORER_PAGE}"\),', app)


def test_filters_in_words(regions: Regions) -> None:
    assert share.filter_description(ProductFilter(), regions) == ""
    described = share.filter_description(
        ProductFilter(
            query="zigui",
            chains=("柑橘", "茶叶"),  # shown in the chains' order
            prefectures=(YICHANG,),
            counties=(ZIGUI,),
            years=YearRange(2010, 2020),
            confidences=("high",),
            zone_only=True,
        ),
        regions,
    )
    assert described == (
        "名称含“zigui”；产业链：茶叶、柑橘；市州：宜昌市；县市区：秭归县；"
        "获批年份：2010–2020；可信度：高；仅看示范区产品"
    )
    assert share.view_subtitle(ProductFilter(), regions, product="秭归脐橙") == (
        "全部地理标志产品；选中产品：秭归脐橙"
    )


def test_the_source_line_names_sites_never_source_ids(tables: Tables) -> None:
    line = share.source_line(tables["sources"])
    assert line.startswith("数据来源：")
    assert "以官方公告为准" in line
    assert not re.search(r"\bS\d+\b", line)


def test_figure_lines_state_their_rules(tables: Tables) -> None:
    figures = stats.result_figures(tables["products"], tables["products"], tables["zones"])
    lines = share.figure_lines(figures)
    assert lines[0].startswith(f"产品 {figures.shown} 个") and stats.PRODUCT_RULE in lines[0]
    assert figures.county_rule in lines[2]


ENSHI = "422800"  # 恩施土家族苗族自治州


@pytest.mark.parametrize(
    ("product_filter", "title"),
    [
        (ProductFilter(), "湖北地标品牌地图"),
        (ProductFilter(chains=("茶叶",), prefectures=(ENSHI,)), "湖北地标品牌地图 · 茶叶 · 恩施州"),
        (ProductFilter(counties=(ZIGUI,), query="脐橙"), "湖北地标品牌地图 · “脐橙” · 秭归县"),
        (
            ProductFilter(chains=("柑橘", "茶叶", "中药材"), prefectures=(YICHANG,)),
            "湖北地标品牌地图 · 茶叶、柑橘等 3 条产业链 · 宜昌市",
        ),
    ],
)
def test_the_poster_title_names_the_filter(
    product_filter: ProductFilter, title: str, regions: Regions
) -> None:
    assert share.poster_title("湖北地标品牌地图", product_filter, regions) == title


@pytest.mark.parametrize(
    ("text", "base"),
    [
        ("192.168.1.20:8601", "http://192.168.1.20:8601"),
        (" http://192.168.1.20:8601/ ", "http://192.168.1.20:8601"),
        ("booth.local", "http://booth.local"),
        ("https://gi.example.org/map", "https://gi.example.org/map"),
    ],
)
def test_a_typed_address_may_leave_out_the_scheme(text: str, base: str) -> None:
    assert share.typed_base(text) == base


@pytest.mark.parametrize(
    "text", ["", "ftp://h", "http://exa mple.org", "http://h:99999", "http://h:port", "h/?a=1"]
)
def test_a_malformed_typed_address_is_refused_in_chinese(text: str) -> None:
    with pytest.raises(BaseUrlError, match=r"网址|端口|不应包含|主机名|请输入"):
        share.typed_base(text)


@pytest.mark.parametrize("host", ["0.0.0.0", "169.254.10.1", "localhost", "[::1]"])
def test_hosts_a_phone_cannot_open(host: str) -> None:
    assert share.BaseUrl(f"http://{host}:8601", share.ORIGIN_REQUEST).is_loopback
    assert not share.BaseUrl("http://192.168.1.20:8601", share.ORIGIN_REQUEST).is_loopback


def test_the_presenters_address_wins_and_round_trips_in_the_link() -> None:
    page = "http://127.0.0.1:8601/explorer"
    chosen = share.choose_base("https://gi.example.org", page, chosen="http://192.168.1.20:8601")
    assert chosen == share.BaseUrl("http://192.168.1.20:8601", share.ORIGIN_PRESENTER)
    assert share.base_to_query("http://192.168.1.20:8601") == {
        share.PUBLIC_URL_KEY: "http://192.168.1.20:8601"
    }
    assert share.base_to_query("") == {}
    params = {share.PUBLIC_URL_KEY: ["192.168.1.20:8601"]}
    assert share.base_from_query(params) == ("http://192.168.1.20:8601", [])
    base, notices = share.base_from_query({share.PUBLIC_URL_KEY: ["http://h:port"]})
    assert base == "" and len(notices) == 1
    assert notices[0].startswith(f"链接参数 {share.PUBLIC_URL_KEY}=http://h:port 无效，已忽略：")
    assert share.base_from_query({}) == ("", [])
    from landmarks.query import urlparams

    assert urlparams.unknown_key_notices({share.PUBLIC_URL_KEY: "x"}, frozenset()) == []
