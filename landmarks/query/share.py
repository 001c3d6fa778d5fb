"""Links to hand out: the current view, a product card and a site card, on a chosen host.

A QR code or a printed poster must carry a link that a visitor's phone can open, which
the address the presenter's browser shows often is not (``localhost`` on a booth laptop).
The base URL is therefore configurable: ``$LANDMARKS_PUBLIC_URL`` first, then
``public_url`` in the deployment's secrets, else the host the request came in on.  A base
is a scheme, a host and optionally a path (``http://192.168.1.20:8501``,
``https://gi.example.org/map``); the page's own path and the view's parameters follow it.

The view's parameters are those the pages write into their own URL: the explorer's
filters (``filters.filter_to_query``) and selection (``selection.selection_to_query``),
and the site card of 示范区与文旅 (``?site=``).  Values are percent-encoded (as
``urlparams.share_url`` writes them), so a scanner never has to guess a text encoding.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd

from landmarks import i18n
from landmarks.data.chains import chain_names
from landmarks.data.model import CONFIDENCE_LABELS
from landmarks.data.region import app_title
from landmarks.data.regions import Regions, short_name
from landmarks.i18n import N_, t
from landmarks.query import filters, provenance
from landmarks.query.filters import ProductFilter
from landmarks.query.selection import PRODUCT_KEY, Selection, selection_to_query
from landmarks.query.stats import ResultFigures
from landmarks.query.urlparams import Params, invalid_value_notice, last_value, share_url

PUBLIC_URL_ENV = "LANDMARKS_PUBLIC_URL"
PUBLIC_URL_SECRET = "public_url"
EXPLORER_PAGE = "explorer"
SITES_PAGE = "zones_sites"
SITE_KEY = "site"  # the site card of 示范区与文旅 (Q_SITE of landmarks.ui.zones_sites)

# The light public page (``maps/public_page``): its path after the base URL.  Streamlit
# serves the published folder at /app/static/p/; a balancer serves it at /p/ itself.
PUBLIC_PAGE_ENV = "LANDMARKS_PUBLIC_PAGE_PATH"
DEFAULT_PUBLIC_PAGE_PATH = "/app/static/p/index.html"

# The address the presenter chose in the app, kept in every page's link (any page may
# carry it: ``urlparams.ANY_PAGE_KEYS``), so a reload or a bookmarked booth link keeps it.
PUBLIC_URL_KEY = "public_url"

ORIGIN_PRESENTER = "presenter"
ORIGIN_CONFIGURED = "configured"
ORIGIN_REQUEST = "request"
LOOPBACK_NOTICE = N_(
    "链接中的地址只能在本机打开（{host}），手机扫码或其他设备无法访问。"
    "请在品牌地图“分享与打印”的“分享地址”中选择本机的局域网地址（如 http://192.168.1.20:8501），"
    "或将环境变量 {variable}（或 secrets 中的 {secret}）设为局域网或公网部署地址。"
)


class BaseUrlError(ValueError):
    """A configured base URL that is not an http(s) address; the message is Chinese."""


@dataclass(frozen=True)
class BaseUrl:
    """Where shared links point: ``url`` has no trailing slash; ``origin`` says whether it
    was configured or taken from the request."""

    url: str
    origin: str

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def is_loopback(self) -> bool:
        """Only this machine can open it (a phone scanning the code cannot)."""
        return is_loopback_host(self.host)

    @property
    def notice(self) -> str:
        """What to tell the presenter about the base, '' when it is fine."""
        if not self.is_loopback:
            return ""
        return t(LOOPBACK_NOTICE, host=self.host, variable=PUBLIC_URL_ENV, secret=PUBLIC_URL_SECRET)


def is_loopback_host(host: str) -> bool:
    """Whether a phone cannot open links on ``host``: this machine's own names and
    addresses (loopback), the "any address" a server listens on (0.0.0.0, ::) and
    link-local addresses (169.254.x.x, fe80::), which no router forwards."""
    if host.lower() in {"localhost", "localhost.localdomain"}:
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified or address.is_link_local


def normalize_base(text: str) -> str:
    """``text`` as a base URL: scheme and host, optional port and path, no query, no
    trailing slash.  Raises ``BaseUrlError`` for anything else."""
    value = text.strip()
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise BaseUrlError(
            t(
                "“{value}”不是有效的网址，应以 http:// 或 https:// 开头，如 http://192.168.1.20:8501",
                value=value,
            )
        )
    if parts.query or parts.fragment:
        raise BaseUrlError(t("“{value}”不应包含“?”或“#”之后的部分", value=value))
    try:
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError as error:
        raise BaseUrlError(t("“{value}”的端口号无效", value=value)) from error
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")


# A host name's labels (letters, digits, hyphens) or an IPv4 address; IPv6 in brackets.
_HOST_NAME = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?$")


def typed_base(text: str) -> str:
    """An address the presenter typed, as a base URL: ``192.168.1.20:8601`` is taken as
    ``http://192.168.1.20:8601``; the host must be a host name or an IP address and the
    port a number up to 65535.  Raises ``BaseUrlError`` (in Chinese) for anything else."""
    value = text.strip()
    if not value:
        raise BaseUrlError(t("请输入分享地址，如 http://192.168.1.20:8501"))
    if "://" not in value:
        value = "http://" + value
    base = normalize_base(value)
    host = urlsplit(base).hostname or ""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if not _HOST_NAME.match(host):
            message = t(
                "“{value}”中的主机名“{host}”无效，应为 IP 地址或域名", value=text.strip(), host=host
            )
            raise BaseUrlError(message) from None
    return base


def base_to_query(base: str) -> dict[str, str]:
    """The link parameter of the presenter's address (none when not chosen)."""
    return {PUBLIC_URL_KEY: base} if base else {}


def base_from_query(params: Params) -> tuple[str, list[str]]:
    """The presenter's address a link carries ('' when none), and a notice when the
    link's value is not an address."""
    value = last_value(params, PUBLIC_URL_KEY)
    if not value:
        return "", []
    try:
        return typed_base(value), []
    except BaseUrlError as error:
        return "", [invalid_value_notice(PUBLIC_URL_KEY, value, str(error))]


def _path_parts(path: str) -> list[str]:
    return [part for part in path.split("/") if part]


def request_base(current_url: str, base_url_path: str = "") -> str:
    """The app's base on the host the request came in on: scheme, host and Streamlit's
    ``server.baseUrlPath`` of the page URL (``st.context.url``)."""
    parts = urlsplit(current_url)
    prefix = "/".join(_path_parts(base_url_path))
    return f"{parts.scheme}://{parts.netloc}" + (f"/{prefix}" if prefix else "")


def page_path(current_url: str, base_url_path: str = "") -> str:
    """The page's own path in a page URL (``explorer``; '' for the default page)."""
    path = _path_parts(urlsplit(current_url).path)
    prefix = _path_parts(base_url_path)
    if path[: len(prefix)] == prefix:
        path = path[len(prefix) :]
    return "/".join(path)


def choose_base(
    configured: str | None, current_url: str | None, base_url_path: str = "", chosen: str = ""
) -> BaseUrl | None:
    """The presenter's address chosen in the app (``chosen``, a normalised base) if any,
    else the configured base (``BaseUrlError`` if it is malformed), else the request's;
    None when none is known (a session's very first run)."""
    if chosen:
        return BaseUrl(chosen, ORIGIN_PRESENTER)
    if configured and configured.strip():
        return BaseUrl(normalize_base(configured), ORIGIN_CONFIGURED)
    if current_url and urlsplit(current_url).hostname:
        return BaseUrl(request_base(current_url, base_url_path), ORIGIN_REQUEST)
    return None


def page_url(base: str, page: str, params: Mapping[str, str] | None = None) -> str:
    """The absolute link to ``page`` (a page's url path, '' for the default page)."""
    root = base.rstrip("/")
    target = f"{root}/{page.strip('/')}" if page.strip("/") else f"{root}/"
    return share_url(target, dict(params or {}))


def explorer_params(product_filter: ProductFilter, chosen: Selection) -> dict[str, str]:
    """The explorer's view as its own URL holds it (``explorer_state.sync_url``)."""
    return filters.filter_to_query(product_filter) | selection_to_query(chosen)


def explorer_url(base: str, product_filter: ProductFilter, chosen: Selection) -> str:
    return page_url(base, EXPLORER_PAGE, explorer_params(product_filter, chosen))


def public_page_path() -> str:
    """The public page's path after a base URL (``$LANDMARKS_PUBLIC_PAGE_PATH``)."""
    path = os.environ.get(PUBLIC_PAGE_ENV, "").strip() or DEFAULT_PUBLIC_PAGE_PATH
    return "/" + path.lstrip("/")


def public_url(base: str, product_filter: ProductFilter, chosen: Selection) -> str:
    """The public page showing the explorer's view: the same parameters, another path."""
    return share_url(base.rstrip("/") + public_page_path(), explorer_params(product_filter, chosen))


def public_product_url(base: str, product: str) -> str:
    """The public page opened on a product's card."""
    return share_url(base.rstrip("/") + public_page_path(), {PRODUCT_KEY: product})


def product_url(base: str, product: str) -> str:
    """The explorer opened on a product's card (its county follows from the product)."""
    return page_url(base, EXPLORER_PAGE, {PRODUCT_KEY: product})


def site_url(base: str, site: str) -> str:
    """示范区与文旅 opened on a site's card."""
    return page_url(base, SITES_PAGE, {SITE_KEY: site})


def _names(adcodes: tuple[str, ...], regions: Regions, *, prefecture: bool) -> list[str]:
    names = []
    for code in adcodes:
        try:
            names.append(
                regions.prefecture(code).name if prefecture else regions.county_by_adcode(code).name
            )
        except (KeyError, ValueError):
            names.append(code)
    return names


def value_words(attr: str, values: tuple[str, ...], regions: Regions) -> list[str]:
    """A choice filter's values (``attr`` of ``ProductFilter``) as a description names
    them: places by name, codes by label, vocabulary in the current language."""
    if attr == filters.PREFECTURE.attr:
        return [i18n.name(name) for name in _names(values, regions, prefecture=True)]
    if attr == filters.COUNTY.attr:
        return [i18n.name(name) for name in _names(values, regions, prefecture=False)]
    if attr == filters.CONFIDENCE.attr:
        return [t(CONFIDENCE_LABELS.get(code, code)) for code in values]
    if attr == filters.CHAINS.attr:
        values = tuple(name for name in chain_names(regions.region) if name in values)
    return [t(value) for value in values]


def filter_description(product_filter: ProductFilter, regions: Regions) -> str:
    """The active filters in words, for a poster's subtitle ('' when nothing is filtered):
    '产业链：茶叶、柑橘；市州：宜昌市；获批年份：2010–2020'."""
    parts = []

    def add(label: str, values: str) -> None:
        parts.append(t("{label}：{values}", label=t(label), values=values))

    if product_filter.query:
        parts.append(t("名称含“{query}”", query=product_filter.query))
    choices = (
        filters.CHAINS,
        filters.CATEGORY,
        filters.GI_TYPE,
        filters.PREFECTURE,
        filters.COUNTY,
    )
    for field in choices:
        if values := field.value_in(product_filter):
            add(field.label, t("、").join(value_words(field.attr, values, regions)))
    if product_filter.years is not None:
        years = product_filter.years
        if years.undated:
            span = t("{start}–{end}，含年份不详", start=years.start, end=years.end)
        else:
            span = f"{years.start}–{years.end}"
        add(filters.YEARS.label, span)
    if product_filter.confidences:
        words = value_words(filters.CONFIDENCE.attr, product_filter.confidences, regions)
        add(filters.CONFIDENCE.label, t("、").join(words))
    if product_filter.zone_only:
        parts.append(t(filters.ZONE.meaning))
    return t("；").join(parts)


TITLE_SEPARATOR = " · "  # not UI: typography, the same in both languages
TITLE_VALUES = 2  # values of one filter a title names before "等 N …"


def _title_place(name: str) -> str:
    """A place as a title names it: 恩施州 for 恩施土家族苗族自治州, else the name."""
    if not i18n.english() and name.endswith("自治州"):  # not UI: a place-name suffix
        return short_name(name) + "州"  # not UI: 恩施州, as the prefecture is called
    return i18n.name(name)


def _title_values(values: list[str], many: str) -> str:
    """'茶叶、柑橘' or, past ``TITLE_VALUES``, '茶叶、柑橘等 3 条产业链' (``many``: the
    message naming the count)."""
    shown = t("、").join(values[:TITLE_VALUES])
    if len(values) <= TITLE_VALUES:
        return shown
    return t(many, values=shown, count=len(values))


def poster_title(app_title: str, product_filter: ProductFilter, regions: Regions) -> str:
    """A printed view's title naming its filter: '湖北地标品牌地图 · 茶叶 · 恩施州'
    (search, chains, categories, types, places, years; the rest stays in the subtitle)."""
    parts = [app_title]
    if product_filter.query:
        parts.append(t("“{query}”", query=product_filter.query))
    if product_filter.chains:
        chains = [t(name) for name in chain_names(regions.region) if name in product_filter.chains]
        parts.append(_title_values(chains, N_("{values}等 {count} 条产业链")))
    for values in (product_filter.categories, product_filter.gi_types):
        if values:
            parts.append(_title_values([t(v) for v in values], N_("{values}等 {count} 类")))
    if product_filter.counties or product_filter.prefectures:
        counties = bool(product_filter.counties)
        codes = product_filter.counties or product_filter.prefectures
        places = [_title_place(n) for n in _names(codes, regions, prefecture=not counties)]
        parts.append(_title_values(places, N_("{values}等 {count} 地")))
    if product_filter.years is not None:
        parts.append(f"{product_filter.years.start}–{product_filter.years.end}")
    return TITLE_SEPARATOR.join(parts)


MAX_SOURCE_SITES = 5
ALL_PRODUCTS = N_("全部地理标志产品")


def source_line(sources: pd.DataFrame) -> str:
    """'数据来源：湖北日报、荆楚网…等公开报道…': the most cited linkable sites first."""
    sites = provenance.sources_for_users(sources).iloc[:, 0]  # the sites' names
    names = [str(name) for name in sites.value_counts().index[:MAX_SOURCE_SITES]]
    return t(
        "数据来源：{sites}等公开报道、汇编网站与官方公告，经{title}整理；以官方公告为准",
        title=app_title(),
        sites=t("、").join(names) if names else t("公开资料"),
    )


def view_subtitle(
    product_filter: ProductFilter, regions: Regions, product: str | None = None, county: str = ""
) -> str:
    """The view in words: its filters (or 全部地理标志产品) and what is selected."""
    parts = [filter_description(product_filter, regions) or t(ALL_PRODUCTS)]
    if product:
        parts.append(t("选中产品：{product}", product=i18n.name(product)))
    elif county:
        parts.append(t("选中县市区：{county}", county=i18n.name(county)))
    return t("；").join(parts)


def figure_lines(figures: ResultFigures) -> tuple[str, ...]:
    """The view's headline figures, each with its rule, for a poster."""
    return (
        t(
            "产品 {shown} 个（共 {total} 个；{rule}）",
            shown=figures.shown,
            total=figures.total,
            rule=t(figures.product_rule),
        ),
        t("登记名称 {count} 个", count=figures.names),
        t("涉及县市区 {count} 个（{rule}）", count=figures.counties, rule=t(figures.county_rule)),
        t(
            "有示范区的产品 {count} 个；涉及产业链 {chains} 条",
            count=figures.with_zone,
            chains=figures.chains,
        ),
    )
