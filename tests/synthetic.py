"""A small synthetic data set for unit and page tests, built the way the app builds its data.

Thirteen products cover the cases the filters, cards and exports must handle: several GI
types (one product holding two, two of unknown type), a multi-county protection scope
(武当道茶, naming the old county name 郧县), a product known only for its prefecture and one
whose county is a guess from the prefecture seat (both prefecture-level), a family of two
rows holding three registrations (恩施玉露), undated products, a repost source without a
link, English research remarks and source ids in notes, a hostile HTML name and a name
starting with '='.  The raw rows
go through the real ``landmarks.data.records.prepare_*`` functions with the real regions,
so the tables have exactly the app's columns.  Research data counts are asserted only by
the seed tests.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from landmarks.data import store
from landmarks.data.records import (
    prepare_outputs,
    prepare_products,
    prepare_registrations,
    prepare_sites,
    prepare_zones,
)
from landmarks.data.regions import Regions
from landmarks.data.store import postgres

HOSTILE = "<img src=x onerror=alert(1)>"
FORMULA = "=1+1地标"
ZIGUI = "420527"  # 秭归县
YICHANG = "420500"  # 宜昌市
SHIYAN = "420300"  # 十堰市
XILING = "420502"  # 西陵区, 宜昌市's seat
WUDANG_SCOPE = {"420322": "郧西县", "420323": "竹山县", "420324": "竹溪县", "420325": "房县"}
WUDANG_SCOPE |= {"420304": "郧阳区"}  # named by its old name 郧县
FAMILY = "恩施玉露"  # 恩施玉露 (two registrations) + 恩施玉露茶 (one)
PREFECTURE_ONLY = ("宜昌蜜橘", "宜昌天麻")  # source names only 宜昌市; 天麻's county is a guess
WUHAN = "420100"  # 武汉市
ZIGUI_NEWS = "http://news.cnhubei.com/content/2021-02/04/content_1.html"
ZIGUI_RADIO = "https://www.cnr.cn/hubei/zigui.html"
REPOST_NOTE = "2007 质检总局公告; garbled repost (S9)"

PRODUCT_COLUMNS = (
    "name, category, gi_type, prefecture, county, year, note, confidence, source_url,"
    " other_source_urls, source_quality"
)
PRODUCTS = [
    # name, category, gi_type, prefecture, county, year, note, confidence, url, others, type
    (
        "秭归脐橙",
        "水果",
        "地理标志保护产品",
        "宜昌市",
        "秭归县",
        "2006",
        "2006-06-20 质检总局GI保护 (S2); county from source",
        "high",
        ZIGUI_NEWS,
        ZIGUI_RADIO,  # an invalid link is refused on import (tests/data/test_bounds.py)
        "media",
    ),
    (
        "秭归夏橙",
        "水果",
        "农产品地理标志",
        "宜昌市",
        "秭归县",
        "",
        "aggregator; approval year not given",
        "medium",
        "http://m.51chatu.com/techan/1.html",
        "",
        "aggregator",
    ),
    (
        "恩施玉露",
        "茶叶",
        "农产品地理标志",
        "恩施州",
        "恩施市",
        "2018",
        "另有GI证明商标 (S3)",
        "high",
        "https://www.cnr.cn/hubei/enshi.html",
        "",
        "media",
    ),
    (
        "蕲艾",
        "中药材",
        "地理标志保护产品",
        "黄冈市",
        "蕲春县",
        "2010",
        "",
        "high",
        "http://www.lunannews.com/37000.html",
        "",
        "aggregator",
    ),
    ("武当道茶", "茶叶", "农产品地理标志", "十堰市", "", "2015", "", "medium", "", "", "repost"),
    ("房县香菇", "蔬菜", "unknown", "十堰市", "房县", "", "", "medium", "", "", "repost"),
    (
        "恩施玉露茶",
        "茶叶",
        "地理标志保护产品",
        "恩施州",
        "恩施市",
        "2014",
        "",
        "high",
        "",
        "",
        "repost",
    ),
    (
        "宜昌蜜橘",
        "水果",
        "农产品地理标志",
        "宜昌市",
        "",
        "",
        "area 宜昌市",
        "medium",
        "",
        "",
        "repost",
    ),
    (
        "宜昌天麻",
        "中药材",
        "unknown",
        "宜昌市",
        "西陵区",
        "",
        "county=市(州)政府驻地区县(general knowledge, not from source)",
        "low",
        "",
        "",
        "repost",
    ),
    (
        "洪山菜薹",
        "蔬菜",
        "地理标志证明商标",
        "武汉市",
        "洪山区",
        "2008",
        REPOST_NOTE,
        "low",
        "",
        "",
        "repost",
    ),
    (
        "潜江龙虾",
        "水产品",
        "地理标志证明商标",
        "潜江市",
        "潜江市",
        "2012",
        "",
        "high",
        "http://hb.china.com.cn/2022.htm",
        "",
        "media",
    ),
    (
        HOSTILE,
        "其他",
        "",
        "武汉市",
        "江夏区",
        "2020",
        "<script>alert('note')</script> [点我](javascript:alert(1)) $x$",
        "low",
        "http://example.org/evil?x=(1)",
        "",
        "aggregator",
    ),
    (
        FORMULA,
        "加工食品",
        "地理标志集体商标",
        "孝感市",
        "孝南区",
        "2015",
        "",
        "medium",
        "http://example.org/formula",
        "",
        "aggregator",
    ),
]

ZONES = pd.DataFrame(
    [
        {
            "name": "秭归脐橙国家地理标志产品保护示范区",
            "level": "国家级(国家知识产权局)",
            "product": "秭归脐橙",
            "prefecture": "宜昌市",
            "county": "秭归县",
            "year": "2023",
            "status": "筹建(2023-03-08授牌筹建区)",
            "note": "batch year not found",
            "confidence": "high",
            "source_url": "http://zgscw888.cn/article/view.html?id=404",
            "other_source_urls": "",
            "source_quality": "aggregator",
        }
    ]
)
SITES = pd.DataFrame(
    [
        {
            "name": "秭归脐橙文化园",
            "site_type": "主题景区",
            "products": "秭归脐橙",
            "prefecture": "宜昌市",
            "county": "秭归县",
            "place": "郭家坝镇",
            "lon": "",
            "lat": "",
            "status": "已开放",
            "note": "type assigned by the app",
            "confidence": "medium",
            "sources": "S1",
        }
    ]
)
OUTPUTS = pd.DataFrame(
    [
        {
            "product": "秭归脐橙",
            "prefecture": "宜昌市",
            "county": "秭归县",
            "year": year,
            "metric": metric,
            "value_yi_yuan": value,
            "scope": scope,
            "note": "",
            "confidence": "medium",
            "source_url": ZIGUI_NEWS,
            "other_source_urls": "",
            "source_quality": "media",
            "is_demo": "",
        }
        for year, metric, value, scope in [
            ("2016", "年产值", "10", "30万亩 (reported 2016-11)"),
            ("2020", "年产值", "20", "40万亩"),
            ("2021", "品牌价值(非产值)", "25", "区域公用品牌价值"),
        ]
    ]
    + [
        {
            "product": "全省地理标志产品",
            "prefecture": "湖北省",
            "county": "",
            "year": "2024",
            "metric": "年产值(概数)",
            "value_yi_yuan": "超1000",
            "scope": "全省地理标志产品年产值; from an aggregator summary",
            "note": "wording vague",
            "confidence": "low",
            "source_url": "",
            "other_source_urls": "",
            "source_quality": "repost",
            "is_demo": "",
        }
    ]
)
SOURCES = pd.DataFrame(
    [
        ("S1", "http://m-longshang.cjyun.org/p/1.html", "media", "(2019-09-20) 首届大会"),
        ("S2", ZIGUI_RADIO, "media", "(2026-11-25 research, pass 2) 秭归脐橙"),
        ("S3", "", "repost", "恩施硒茶 证明商标; plan for 2030-01-01"),
        ("S9", "http://example.org/aggregator", "aggregator", "洪山菜薹 2008"),
    ],
    columns=["source_id", "url", "source_quality", "facts"],
)


# The columns beyond the research data's: family, registration number, scope.
EXTRA_COLUMNS = {
    "恩施玉露": {"registration_number": "AGI00001"},
    "恩施玉露茶": {"family": FAMILY, "registration_number": "质检总局公告2014年第1号"},
    "武当道茶": {"scope": "竹溪、竹山、房县、郧县、郧西", "scope_note": "十堰市五个县区"},
}
REGISTRATIONS = pd.DataFrame(
    [
        {
            "product": "恩施玉露",
            "gi_type": "地理标志证明商标",
            "number": "10000001",
            "year": "2019",
            "note": "",
        }
    ]
)


def raw_products() -> pd.DataFrame:
    columns = [column.strip() for column in PRODUCT_COLUMNS.split(",")]
    raw = pd.DataFrame(PRODUCTS, columns=columns)
    for column in ("family", "registration_number", "scope", "scope_note"):
        raw[column] = raw["name"].map(lambda name, c=column: EXTRA_COLUMNS.get(name, {}).get(c, ""))
    return raw


def frames(regions: Regions) -> dict[str, pd.DataFrame]:
    """The synthetic tables, prepared like the app's seed data (same keys as seed_frames)."""
    products = prepare_products(raw_products(), regions)
    products["year"] = products["year"].astype("Int64")
    zones = prepare_zones(ZONES, regions)
    zones["year"] = zones["year"].astype("Int64")
    outputs = prepare_outputs(OUTPUTS, regions, set(products["name"]))
    outputs["year"] = outputs["year"].astype("Int64")
    return {
        "products": products,
        "zones": zones,
        "sites": prepare_sites(SITES, regions),
        "outputs": outputs,
        "sources": SOURCES.copy(),
        "registrations": prepare_registrations(REGISTRATIONS, products),
    }


# The first install of a test process for given regions and tables, as written (database
# file, tables read back): the later ones copy it, since writing the same tables again
# gives the same database.  The regions are kept with it, so their id is never reused.
_installed: dict[
    tuple[int, Callable[[Regions], dict[str, pd.DataFrame]]],
    tuple[Regions, bytes, dict[str, pd.DataFrame]],
] = {}


def install(
    db_path: Path,
    regions: Regions,
    build: Callable[[Regions], dict[str, pd.DataFrame]] = frames,
) -> dict[str, pd.DataFrame]:
    """Write the synthetic tables (``frames``, or ``zones_sites_frames``) into the app's
    database as users' data, which the app never replaces with the shipped seed; returns
    the tables as stored.  Written once per process, then copied: a write records a
    version and its changes, which costs more than the page tests that follow."""
    key = (id(regions), build)
    if key not in _installed:
        with store.opened(db_path) as db:
            db.write_tables(build(regions))
            stored = {t: db.read_table(t) for t in store.TABLE_COLUMNS}
        # Closed, so the file holds every write (no write-ahead log beside it).
        _installed[key] = (regions, db_path.read_bytes(), stored)
    _regions, database, stored = _installed[key]
    db_path.write_bytes(database)
    return {table: frame.copy() for table, frame in stored.items()}


# Issue 11 (示范区与文旅): more sites and zones, kept apart from ``frames`` so that the tests
# counting its sites and zones stay as they are.  ``zones_sites_frames`` adds them.
ENSHI_CITY = "422801"  # 恩施市
XUANEN = "422825"  # 宣恩县
FANGXIAN = "420325"  # 房县
NOT_REGISTERED = "不在册茶"  # a product a site names that the register does not hold
EXTRA_SITES = pd.DataFrame(
    [
        {
            "name": "伍家台茶园",
            "site_type": "主题景区",
            "products": f"恩施玉露 {NOT_REGISTERED}",
            "prefecture": "恩施州",
            "county": "宣恩县",
            "place": "万寨乡伍家台村",
            "lon": "",
            "lat": "",
            "status": "已开放(4A级)",
            "note": "免费开放; opening hours not found (S9)",
            "confidence": "high",
            "sources": "S1 S9 S3",
        },
        {
            "name": "恩施玉露品鉴馆",
            "site_type": "文创美食品鉴馆",
            "products": "恩施玉露",
            "prefecture": "恩施州",
            "county": "恩施市",
            "place": "",
            "lon": "109.48",
            "lat": "30.28",
            "status": "2024-05-01开馆",
            "note": "",
            "confidence": "medium",
            "sources": "S2",
        },
        {
            "name": "武汉地标研学基地",
            "site_type": "研学基地",
            "products": "洪山菜薹",
            "prefecture": "武汉市",
            "county": "",
            "place": "",
            "lon": "",
            "lat": "",
            "status": "授牌",
            "note": "county not reported",
            "confidence": "medium",
            "sources": "",
        },
        {
            "name": "房县香菇小镇",
            "site_type": "主题景区",
            "products": "房县香菇 武当道茶",
            "prefecture": "十堰市",
            "county": "房县",
            "place": "土城镇",
            "lon": "",
            "lat": "",
            "status": "",
            "note": "",
            "confidence": "low",
            "sources": "",
        },
        {
            "name": "潜江龙虾样板区",
            "site_type": "省级地标+文旅样板",
            "products": "潜江龙虾",
            "prefecture": "潜江市",
            "county": "潜江市",
            "place": "小村乡、熊口镇",
            "lon": "",
            "lat": "",
            "status": "",
            "note": "",
            "confidence": "medium",
            "sources": "",
        },
    ]
)
_ZONE_DEFAULTS = {
    "year": "",
    "note": "",
    "confidence": "high",
    "source_url": "",
    "other_source_urls": "",
    "source_quality": "aggregator",
}
EXTRA_ZONES = pd.DataFrame(
    [
        _ZONE_DEFAULTS
        | {
            "name": "蕲艾国家地理标志产品保护示范区",
            "level": "国家级(国家知识产权局)",
            "product": "蕲艾",
            "prefecture": "黄冈市",
            "county": "蕲春县",
            "year": "2023",
            "status": "筹建(2023-03-08授牌筹建区); 2025通过省局实地验收",
            "note": "batch year not found; 2025年省知识产权局组织实地验收通过(S9)",
            "source_url": "http://www.lunannews.com/37000.html",
        },
        _ZONE_DEFAULTS
        | {
            "name": "潜江龙虾 国家级农产品地理标志示范样板",
            "level": "国家级(原农业部; 非知识产权局示范区体系)",
            "product": "潜江龙虾",
            "prefecture": "潜江市",
            "county": "潜江市",
            "year": "2016",
            "status": "已授牌",
            "note": "2016-11-05 昆明国际农交会授牌; different programme",
            "source_url": "http://hb.china.com.cn/2016.htm",
            "source_quality": "media",
        },
        _ZONE_DEFAULTS
        | {
            "name": "房县香菇省级示范区",
            "level": "省级(省知识产权局)",
            "product": "房县香菇",
            "prefecture": "十堰市",
            "county": "房县",
            "year": "2024",
            "status": "已授牌",
        },
        _ZONE_DEFAULTS
        | {
            "name": "恩施玉露国家地理标志产品保护示范区",
            "level": "国家级(国家知识产权局)",
            "product": "恩施玉露",
            "prefecture": "恩施州",
            "county": "恩施市",
            "status": "示范区/筹建(状态未在来源中找到)",
            "note": "2024-08-22 省局举办现场交流活动, 企业签承诺书",
            "source_quality": "repost",
            "source_url": "http://example.org/repost",
        },
    ]
)


def zones_sites_frames(regions: Regions) -> dict[str, pd.DataFrame]:
    """``frames`` with ``EXTRA_SITES`` and ``EXTRA_ZONES`` added (after the others)."""
    tables = frames(regions)
    zones = prepare_zones(pd.concat([ZONES, EXTRA_ZONES], ignore_index=True), regions)
    zones["year"] = zones["year"].astype("Int64")
    tables["zones"] = zones
    tables["sites"] = prepare_sites(pd.concat([SITES, EXTRA_SITES], ignore_index=True), regions)
    return tables


def install_at(
    target: str | Path,
    regions: Regions,
    build: Callable[[Regions], dict[str, pd.DataFrame]] = frames,
) -> dict[str, pd.DataFrame]:
    """``install`` on either backend: a SQLite file is copied from the first install, a
    PostgreSQL database (a ``postgresql://`` URL, from the ``db_target`` fixture) is
    written; returns the tables as stored."""
    if not postgres.is_url(target):
        return install(Path(target), regions, build)
    with store.opened(target) as db:
        db.write_tables(build(regions))
        return db.read_tables()
