"""Source links, source tables for users and maintainers, and the data's date."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from landmarks.data import times
from landmarks.query import provenance


@pytest.mark.parametrize(
    ("url", "source_type", "shown"),
    [
        ("http://news.cnhubei.com/a.html", "media", "http://news.cnhubei.com/a.html"),
        (" https://x.org/a?b=(1) ", "aggregator", "https://x.org/a?b=(1)"),
        ("http://news.cnhubei.com/a.html", "repost", ""),
        ("javascript:alert(1)", "media", ""),
        ("http://x.org/a b", "media", ""),
        ('http://x.org/"onmouseover', "media", ""),
        (None, "media", ""),
        ("http://x.org\\a", "media", ""),
        ("http:///a.html", "media", ""),
        ("https://", "media", ""),
    ],
)
def test_one_rule_for_showable_links(url: object, source_type: str, shown: str) -> None:
    assert provenance.linkable_url(url, source_type) == shown


def test_other_urls_and_site_names() -> None:
    assert provenance.linkable_urls("http://a.org/1 | bad | https://b.org/2", "media") == [
        "http://a.org/1",
        "https://b.org/2",
    ]
    assert provenance.site_name("https://ctdsbepaper.hubeidaily.net/pc/1.html") == "湖北日报"
    assert provenance.site_name("http://m-longshang.cjyun.org/p/1") == "长江云"
    assert provenance.site_name("https://www.51chatu.com/x") == "51chatu.com"
    assert (
        provenance.source_label(2, "http://hb.news.cn/x", "media") == "来源2 · 新华网（媒体报道）"
    )


def test_links_the_import_accepts_are_the_links_shown() -> None:
    """The template says 多个链接用空格分隔: links the import accepts separated by spaces
    are each shown, as those separated by '|' are."""
    from landmarks.data.urls import split_urls, url_problem

    cell = "http://a.org/1 https://b.org/2\thttp://c.org/3 | https://d.org/4"
    assert all(url_problem(url) is None for url in split_urls(cell))
    assert provenance.linkable_urls(cell, "media") == [
        "http://a.org/1",
        "https://b.org/2",
        "http://c.org/3",
        "https://d.org/4",
    ]


def test_source_tables(tables: dict[str, pd.DataFrame]) -> None:
    users = provenance.sources_for_users(tables["sources"])
    assert list(users.columns) == ["网站", "来源类型", "链接"]
    assert list(users["网站"]) == ["长江云", "央广网", "example.org"]  # the repost is left out
    assert set(users["来源类型"]) == {"媒体报道", "汇编网站"}
    maintainers = provenance.sources_for_maintainers(tables["sources"])
    assert list(maintainers["编号"]) == ["S1", "S2", "S3", "S9"]
    assert maintainers.loc[2, "链接"] == ""


def test_latest_source_date(tables: dict[str, pd.DataFrame]) -> None:
    sources = tables["sources"]
    # The S3 excerpt names a plan for 2030: not the data's date once a date is known.
    assert provenance.latest_source_date(sources) == date(2030, 1, 1)
    assert provenance.latest_source_date(sources, date(2026, 11, 26)) == date(2026, 11, 25)
    garbled = pd.DataFrame({"facts": ["2023-02-30 乱码", "无日期"]})
    assert provenance.latest_source_date(garbled) is None


def test_times_are_shown_in_beijing_time() -> None:
    moment = times.beijing_time("2026-11-25T14:41:07+00:00")
    assert moment is not None and times.time_text(moment) == "2026年11月25日 22:41"
    naive = times.beijing_time("2026-12-31T16:30:00")  # no zone: UTC
    assert naive is not None and times.time_text(naive) == "2027年1月1日 00:30"
    assert times.beijing_time("not a time") is None


def test_data_time_text(tables: dict[str, pd.DataFrame]) -> None:
    sources = tables["sources"]
    assert provenance.data_time_text(sources, "2026-11-25T14:41:07+00:00") == (
        "资料截至 2026年11月25日；导入本系统于 2026年11月25日 22:41（北京时间）"
    )
    assert provenance.data_time_text(sources.iloc[:0], "") == "未记录"
