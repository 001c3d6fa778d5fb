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
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd

from landmarks import i18n
from landmarks.data.chains import CHAIN_NAMES
from landmarks.data.model import CONFIDENCE_LABELS
from landmarks.data.regions import Regions
from landmarks.i18n import N_, t
from landmarks.query import filters, provenance
from landmarks.query.filters import ProductFilter
from landmarks.query.selection import PRODUCT_KEY, Selection, selection_to_query
from landmarks.query.stats import ResultFigures
from landmarks.query.urlparams import share_url

PUBLIC_URL_ENV = "LANDMARKS_PUBLIC_URL"
PUBLIC_URL_SECRET = "public_url"
EXPLORER_PAGE = "explorer"
SITES_PAGE = "zones_sites"
SITE_KEY = "site"  # the site card of 示范区与文旅 (Q_SITE of landmarks.ui.zones_sites)

ORIGIN_CONFIGURED = "configured"
ORIGIN_REQUEST = "request"
LOOPBACK_NOTICE = N_(
    "二维码中的地址只能在本机打开（{host}），手机扫码无法访问。"
    "请将环境变量 {variable}（或 secrets 中的 {secret}）"
    "设为本机的局域网地址或公网部署地址，例如 http://192.168.1.20:8501 。"
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
    if host.lower() in {"localhost", "localhost.localdomain"}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


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
    configured: str | None, current_url: str | None, base_url_path: str = ""
) -> BaseUrl | None:
    """The configured base if any (``BaseUrlError`` if it is malformed), else the
    request's; None when neither is known (a session's very first run)."""
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


def filter_description(product_filter: ProductFilter, regions: Regions) -> str:
    """The active filters in words, for a poster's subtitle ('' when nothing is filtered):
    '产业链：茶叶、柑橘；市州：宜昌市；获批年份：2010–2020'."""
    parts = []

    def add(label: str, values: str) -> None:
        parts.append(t("{label}：{values}", label=t(label), values=values))

    def terms(values: list[str] | tuple[str, ...]) -> str:
        return t("、").join(t(value) for value in values)

    if product_filter.query:
        parts.append(t("名称含“{query}”", query=product_filter.query))
    if product_filter.chains:
        add(filters.CHAINS.label, terms([n for n in CHAIN_NAMES if n in product_filter.chains]))
    if product_filter.categories:
        add(filters.CATEGORY.label, terms(product_filter.categories))
    if product_filter.gi_types:
        add(filters.GI_TYPE.label, terms(product_filter.gi_types))
    if product_filter.prefectures:
        add(
            filters.PREFECTURE.label,
            i18n.names(_names(product_filter.prefectures, regions, prefecture=True)),
        )
    if product_filter.counties:
        add(
            filters.COUNTY.label,
            i18n.names(_names(product_filter.counties, regions, prefecture=False)),
        )
    if product_filter.years is not None:
        years = product_filter.years
        if years.undated:
            span = t("{start}–{end}，含年份不详", start=years.start, end=years.end)
        else:
            span = f"{years.start}–{years.end}"
        add(filters.YEARS.label, span)
    if product_filter.confidences:
        add(
            filters.CONFIDENCE.label,
            terms([CONFIDENCE_LABELS.get(code, code) for code in product_filter.confidences]),
        )
    if product_filter.zone_only:
        parts.append(t(filters.ZONE.meaning))
    return t("；").join(parts)


MAX_SOURCE_SITES = 5
ALL_PRODUCTS = N_("全部地理标志产品")


def source_line(sources: pd.DataFrame) -> str:
    """'数据来源：湖北日报、荆楚网…等公开报道…': the most cited linkable sites first."""
    sites = provenance.sources_for_users(sources).iloc[:, 0]  # the sites' names
    names = [str(name) for name in sites.value_counts().index[:MAX_SOURCE_SITES]]
    return t(
        "数据来源：{sites}等公开报道、汇编网站与官方公告，经湖北地标品牌地图整理；以官方公告为准",
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
