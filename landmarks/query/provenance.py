"""Where the data comes from, as users may see it: source links, source tables, data date.

One rule decides whether a source URL may be shown as a link (``linkable_url``): only
for linkable source types (never a repost, whose page is an unrelated site) and only a
URL the import accepts (``landmarks.data.urls.url_problem``), so what an import let in
is shown and nothing else is; a cell of several links is split as the import splits it
(``landmarks.data.urls.split_urls``).  Links are labelled with the site's Chinese name
or host, never with the maintainers' source ids (S12…).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from urllib.parse import urlsplit

import pandas as pd

from landmarks import i18n
from landmarks.data.model import LINKABLE_SOURCE_QUALITIES
from landmarks.data.times import beijing_time, date_text, time_text
from landmarks.data.urls import split_urls, url_problem
from landmarks.i18n import t
from landmarks.query.labels import source_type_label

OTHER_URLS_SEPARATOR = "|"
# Sources name their date in the text of the facts taken from them, e.g. (2023-12-02 …).
_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")

# Well-known outlets by domain (the host ends with it); any other site shows its host.
SITE_NAMES: dict[str, str] = {  # not UI: outlets' own names (shown with pinyin)
    "hubeidaily.net": "湖北日报",
    "cnhubei.com": "荆楚网",
    "cjyun.org": "长江云",
    "hubei.gov.cn": "湖北省人民政府网站",
    "people.com.cn": "人民网",
    "news.cn": "新华网",
    "xinhuanet.com": "新华网",
    "cnr.cn": "央广网",
    "cri.cn": "国际在线",
    "china.com.cn": "中国网",
    "huaxia.com": "华夏经纬网",
    "farmer.com.cn": "中国农网",
    "cqn.com.cn": "中国质量新闻网",
    "xnnews.com.cn": "咸宁网",
    "163.com": "网易",
    "sina.com.cn": "新浪网",
}


def linkable_url(url: object, source_type: str) -> str:
    """The URL if it may be shown as a link, else ''."""
    text = str(url or "").strip()
    if source_type not in LINKABLE_SOURCE_QUALITIES or not text or url_problem(text):
        return ""
    return text


def link_column(urls: pd.Series, source_types: pd.Series) -> list[str]:
    """``linkable_url`` row by row (for tables and exports)."""
    return [linkable_url(u, t) for u, t in zip(urls, source_types, strict=True)]


def linkable_urls(urls: object, source_type: str) -> list[str]:
    """The showable URLs among several in one cell (a record's other sources), separated
    by spaces or '|' as the import accepts them."""
    parts = split_urls(str(urls or ""))
    return [shown for part in parts if (shown := linkable_url(part, source_type))]


def site_name(url: str) -> str:
    """The outlet's Chinese name for well-known sites, else the host without 'www.'."""
    host = (urlsplit(url).hostname or "").lower()
    for domain, name in SITE_NAMES.items():
        if host == domain or host.endswith("." + domain):
            return name
    return host.removeprefix("www.") or url


def source_label(position: int, url: str, source_type: str) -> str:
    """'来源1 · 荆楚网（媒体报道）'."""
    return t(
        "来源{position} · {site}（{kind}）",
        position=position,
        site=i18n.name(site_name(url)),
        kind=source_type_label(source_type),
    )


def sources_for_users(sources: pd.DataFrame) -> pd.DataFrame:
    """The linkable sources: site, Chinese source type and link (no ids, no excerpts)."""
    shown = sources.assign(link=link_column(sources["url"], sources["source_quality"]))
    shown = shown[shown["link"] != ""]
    return pd.DataFrame(
        {
            t("网站"): shown["link"].map(site_name).map(i18n.name),
            t("来源类型"): shown["source_quality"].map(source_type_label),
            t("链接"): shown["link"],
        }
    ).reset_index(drop=True)


def sources_for_maintainers(sources: pd.DataFrame) -> pd.DataFrame:
    """Every source with its id and the facts taken from it (shown under 维护说明)."""
    return pd.DataFrame(
        {
            t("编号"): sources["source_id"],
            t("来源类型"): sources["source_quality"].map(source_type_label),
            t("链接"): link_column(sources["url"], sources["source_quality"]),
            t("摘录"): sources["facts"],
        }
    ).reset_index(drop=True)


def _dates(texts: Iterable[str]) -> Iterable[date]:
    for text in texts:
        for year, month, day in _DATE.findall(str(text)):
            try:
                yield date(int(year), int(month), int(day))
            except ValueError:  # e.g. 2023-02-30 in a garbled excerpt
                continue


def latest_source_date(sources: pd.DataFrame, not_after: date | None = None) -> date | None:
    """The newest full date named in the sources' excerpts (when the data was researched);
    dates after ``not_after`` (plans, deadlines) are not the data's date."""
    found = (day for day in _dates(sources["facts"]) if not_after is None or day <= not_after)
    return max(found, default=None)


def data_time_text(sources: pd.DataFrame, updated_at: str) -> str:
    """What 数据更新时间 says: the data's own date (its newest source) and, in Beijing
    time, when it was put into this app."""
    parts = []
    imported = beijing_time(updated_at) if updated_at else None
    newest = latest_source_date(sources, imported.date() if imported else None)
    if newest is not None:
        parts.append(t("资料截至 {date}", date=date_text(newest)))
    if imported is not None:
        parts.append(t("导入本系统于 {time}（北京时间）", time=time_text(imported)))
    return t("；").join(parts) or t("未记录")
