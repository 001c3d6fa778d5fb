"""地标+文旅 sites as the page lists, filters, counts and exports them, and the site card.

The filters are declared once as a table of fields (``SITE_FILTERS``), like the
explorer's product filters (``landmarks.query.filters``): each row knows its URL key,
widget key, label, how to read a shared link and how to narrow the sites.

How precisely a site's place is known comes from the data itself: coordinates the source
gives (精确位置); a place text naming a village (村级) or a township, town or
sub-district (乡镇级); otherwise only the county (县级), or only the prefecture (市州级).
Sites without coordinates are drawn at a stand-in point inside their county (or
prefecture), which the card says.

Targets are the work plan's for 2026 (``model.SITE_TARGETS``); only sites recorded in
this app are counted, which every count says (``TARGET_CAVEAT``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from landmarks import i18n
from landmarks.data.model import SITE_TARGETS, SITE_TYPES
from landmarks.data.regions import Regions
from landmarks.i18n import N_, t
from landmarks.query.cards import SourceLink, source_links
from landmarks.query.filter_fields import (
    ChoiceField,
    FilterData,
    FilterField,
    Option,
    county_outside,
    county_vocabulary,
    facet_options,
    from_query,
    matching,
    prefecture_vocabulary,
    to_query,
)
from landmarks.query.labels import confidence_label, without_remarks
from landmarks.query.provenance import OTHER_URLS_SEPARATOR
from landmarks.query.urlparams import Params

PRODUCT_SEPARATOR = " "  # sites.products joins the GI products a site names
MAX_PRODUCT_NAME_LENGTH = 50

PRECISION_POINT = N_("精确位置")
PRECISION_VILLAGE = N_("村级")
PRECISION_TOWN = N_("乡镇级")
PRECISION_COUNTY = N_("县级")
PRECISION_PREFECTURE = N_("市州级")
# Finest first.
SITE_PRECISIONS: tuple[str, ...] = (
    PRECISION_POINT,
    PRECISION_VILLAGE,
    PRECISION_TOWN,
    PRECISION_COUNTY,
    PRECISION_PREFECTURE,
)
_PLACE_PARTS = re.compile(r"\s*[、，,;；/]\s*")  # not UI: pattern
# 伍家台村, 麻柳溪村委会 — but not 小村乡, where 村 is part of a township's name.
_VILLAGE = re.compile(r"村(?![乡镇])")  # not UI: pattern
_TOWN = re.compile(r"乡|镇|街道")  # not UI: pattern

TARGET_CAVEAT = N_("只统计已录入的站点，实际建成的站点可能更多")
TARGET_YEAR = 2026

# Other names the work plan and users give the kinds of site.
SITE_TYPE_ALIASES: dict[str, str] = {  # not UI: names accepted in links
    "主题特色景点": "主题景区",
    "商品销售平台": "销售平台",
    "地标+文旅样板": "省级地标+文旅样板",
    "省级样板": "省级地标+文旅样板",
    "样板": "省级地标+文旅样板",
}

SITE_ROW_COLUMNS: tuple[str, ...] = (
    "name",
    "site_type",
    "prefecture_adcode",
    "prefecture",
    "county_adcode",
    "county",
    "place",
    "place_precision",
    "products",
    "status",
    "confidence_label",
    "lon",
    "lat",
    "marker_note",
)
EXPORT_HEADERS: dict[str, str] = {
    "name": N_("站点名称"),
    "site_type": N_("类型"),
    "prefecture": N_("市州"),
    "county": N_("县市区"),
    "place": N_("地点"),
    "place_precision": N_("位置精度"),
    "products": N_("关联地理标志产品"),
    "status": N_("开放情况"),
    "confidence_label": N_("可信度"),
    "lon": N_("经度（示意）"),
    "lat": N_("纬度（示意）"),
    "sources": N_("来源链接"),
}


# Place and precision -----------------------------------------------------------------


def _part_precision(part: str) -> str:
    if _VILLAGE.search(part):
        return PRECISION_VILLAGE
    if _TOWN.search(part):
        return PRECISION_TOWN
    return PRECISION_COUNTY


def site_precision(place: str, precision_code: str, county_adcode: str) -> str:
    """How precisely a site's place is known (one of ``SITE_PRECISIONS``).

    A place text naming several places (黄金洞乡、高乐山镇) is as precise as the least
    precise of them.
    """
    if precision_code == "point":
        return PRECISION_POINT
    if not county_adcode:
        return PRECISION_PREFECTURE
    parts = [part for part in _PLACE_PARTS.split(str(place or "")) if part]
    if not parts:
        return PRECISION_COUNTY
    return max((_part_precision(part) for part in parts), key=SITE_PRECISIONS.index)


def place_text(place: str, county: str, prefecture: str) -> str:
    """The place as users read it: '宣恩县 万寨乡伍家台村', or the prefecture alone."""
    region = i18n.name(county or prefecture)
    detail = without_remarks(str(place or ""))
    return f"{region} {detail}".strip()


def precision_text(precision: str, place: str, county: str, prefecture: str) -> str:
    """What the card says about the place's precision and the marker on the map."""
    detail = without_remarks(str(place or ""))
    if precision == PRECISION_POINT:
        return t("位置精确：地图标记为来源给出的经纬度")
    if precision == PRECISION_PREFECTURE:
        return t(
            "来源只写到市州（{prefecture}），所在县市区不详；地图标记为{prefecture}内的示意位置",
            prefecture=i18n.name(prefecture),
        )
    county = i18n.name(county)
    if precision == PRECISION_VILLAGE:
        return t(
            "位置精确到村（{place}）；地图标记为{county}内的示意位置", place=detail, county=county
        )
    if precision == PRECISION_TOWN:
        return t(
            "位置精确到乡镇（{place}）；地图标记为{county}内的示意位置", place=detail, county=county
        )
    if detail:
        return t(
            "位置只知道到县（{county}，来源写作“{place}”）；地图标记为{county}内的示意位置",
            place=detail,
            county=county,
        )
    return t("位置只知道到县（{county}）；地图标记为{county}内的示意位置", county=county)


def marker_note(precision: str) -> str:
    return t(PRECISION_POINT) if precision == PRECISION_POINT else t("示意位置")


def linked_names(products: object) -> tuple[str, ...]:
    """The GI products a site names, each once, in order."""
    names = str(products or "").split(PRODUCT_SEPARATOR)
    return tuple(dict.fromkeys(name for name in names if name))


def site_rows(sites: pd.DataFrame) -> pd.DataFrame:
    """The list of sites (``SITE_ROW_COLUMNS``), in the given order."""
    precisions = [
        site_precision(str(place), str(code), str(county))
        for place, code, county in zip(
            sites["place"], sites["precision"], sites["county_adcode"], strict=True
        )
    ]
    return pd.DataFrame(
        {
            "name": sites["name"].to_numpy(),
            "site_type": sites["site_type"].to_numpy(),
            "prefecture_adcode": sites["prefecture_adcode"].to_numpy(),
            "prefecture": sites["prefecture"].to_numpy(),
            "county_adcode": sites["county_adcode"].to_numpy(),
            "county": sites["county"].to_numpy(),
            "place": [
                place_text(str(p), str(c), str(f))
                for p, c, f in zip(
                    sites["place"], sites["county"], sites["prefecture"], strict=True
                )
            ],
            "place_precision": precisions,
            "products": [linked_names(names) for names in sites["products"]],
            "status": [without_remarks(str(status)) for status in sites["status"]],
            "confidence_label": [confidence_label(str(c)) for c in sites["confidence"]],
            "lon": sites["lon"].astype(float).to_numpy(),
            "lat": sites["lat"].astype(float).to_numpy(),
            "marker_note": [marker_note(p) for p in precisions],
        },
        columns=list(SITE_ROW_COLUMNS),
    )


# The card ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteCard:
    name: str
    site_type: str
    prefecture: str
    prefecture_adcode: str
    county: str  # '' when the source gives only the prefecture
    county_adcode: str
    place: str  # as users read it: '宣恩县 万寨乡伍家台村'
    place_precision: str  # one of SITE_PRECISIONS
    precision_text: str  # how precise the place is, and what the map marker means
    products: tuple[str, ...]  # linked GI products in the register (open their cards)
    other_products: tuple[str, ...]  # names the source gives that are not registered here
    status: str  # opening / status notes
    note: str
    confidence_label: str
    sources: tuple[SourceLink, ...]  # '来源1 · 网站（类型）'
    maintainer_note: str  # research remarks and source ids: only under 维护说明
    lon: float
    lat: float


def site_card(
    name: str, *, sites: pd.DataFrame, products: pd.DataFrame, sources: pd.DataFrame
) -> SiteCard:
    """The card of the site ``name``; ``KeyError`` if there is none."""
    found = sites[sites["name"] == name]
    if found.empty:
        raise KeyError(name)
    site = found.iloc[0]
    precision = site_precision(str(site["place"]), str(site["precision"]), site["county_adcode"])
    named = linked_names(site["products"])
    registered = set(products["name"])
    ids = str(site["sources"] or "").strip()
    maintainer = str(site["note"] or "").strip()
    if ids:
        if maintainer:
            maintainer = t("{note}（来源编号：{ids}）", note=maintainer, ids=ids)
        else:
            maintainer = t("来源编号：{ids}", ids=ids)
    return SiteCard(
        name=str(site["name"]),
        site_type=str(site["site_type"]),
        prefecture=str(site["prefecture"]),
        prefecture_adcode=str(site["prefecture_adcode"]),
        county=str(site["county"]),
        county_adcode=str(site["county_adcode"]),
        place=place_text(str(site["place"]), str(site["county"]), str(site["prefecture"])),
        place_precision=precision,
        precision_text=precision_text(
            precision, str(site["place"]), str(site["county"]), str(site["prefecture"])
        ),
        products=tuple(n for n in named if n in registered),
        other_products=tuple(n for n in named if n not in registered),
        status=without_remarks(str(site["status"])),
        note=without_remarks(str(site["note"])),
        confidence_label=confidence_label(str(site["confidence"])),
        sources=source_links("", "", "", ids, sources),
        maintainer_note=maintainer,
        lon=float(site["lon"]),
        lat=float(site["lat"]),
    )


# Targets -------------------------------------------------------------------------------


def targets_by_kind(sites: pd.DataFrame) -> pd.DataFrame:
    """Each kind of site against its 2026 target: site_type, recorded, target, share
    (recorded / target) and remaining (never below 0).  Only recorded sites count."""
    counts = sites["site_type"].value_counts()
    recorded = [int(counts.get(kind, 0)) for kind in SITE_TARGETS]
    targets = list(SITE_TARGETS.values())
    return pd.DataFrame(
        {
            "site_type": list(SITE_TARGETS),
            "recorded": recorded,
            "target": targets,
            "share": [r / t for r, t in zip(recorded, targets, strict=True)],
            "remaining": [max(t - r, 0) for r, t in zip(recorded, targets, strict=True)],
        }
    )


def targets_by_prefecture(sites: pd.DataFrame, regions: Regions | None = None) -> pd.DataFrame:
    """Recorded sites per prefecture and kind, beside the kind's provincial target:
    prefecture_adcode, prefecture, site_type, recorded, target.  With ``regions`` every
    prefecture and kind is listed (zeros kept); otherwise only prefectures with sites."""
    if regions is not None:
        prefectures = {p.adcode: p.name for p in regions.prefecture_list}
    else:
        present = sites.drop_duplicates("prefecture_adcode").sort_values("prefecture_adcode")
        prefectures = dict(zip(present["prefecture_adcode"], present["prefecture"], strict=True))
    counts = sites.groupby(["prefecture_adcode", "site_type"]).size()
    rows = [
        {
            "prefecture_adcode": adcode,
            "prefecture": name,
            "site_type": kind,
            "recorded": int(counts.get((adcode, kind), 0)),
            "target": target,
        }
        for adcode, name in prefectures.items()
        for kind, target in SITE_TARGETS.items()
    ]
    columns = ["prefecture_adcode", "prefecture", "site_type", "recorded", "target"]
    return pd.DataFrame(rows, columns=columns)


# Filters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteFilter:
    """What the site list is filtered on; empty values mean 'no restriction'."""

    site_types: tuple[str, ...] = ()
    prefectures: tuple[str, ...] = ()  # adcodes
    counties: tuple[str, ...] = ()  # adcodes
    products: tuple[str, ...] = ()  # GI product names

    @property
    def active_count(self) -> int:
        return sum(field.is_active(field.value_in(self)) for field in SITE_FILTERS)


def _site_type(text: str, regions: Regions) -> str:
    if text in SITE_TYPES:
        return text
    if text in SITE_TYPE_ALIASES:
        return SITE_TYPE_ALIASES[text]
    choices = t("、").join(t(kind) for kind in SITE_TYPES)
    raise ValueError(t("不是已知的站点类型（可选：{choices}）", choices=choices))


def _product_name(text: str, regions: Regions) -> str:
    if len(text) > MAX_PRODUCT_NAME_LENGTH:
        raise ValueError(t("产品名称超过 {limit} 个字符", limit=MAX_PRODUCT_NAME_LENGTH))
    return text


@dataclass(frozen=True, kw_only=True)
class SiteProductField(ChoiceField):
    """The GI products the sites name: the choice is the names in the data."""

    def options(
        self,
        products: pd.DataFrame,
        regions: Regions,
        chosen: Collection[str] = (),
        parent: tuple[str, ...] = (),
    ) -> list[Option]:
        counts = self.counts(products)
        names = sorted(str(name) for name in counts.index)
        extra = [name for name in chosen if name not in counts.index]
        return [Option(name, name, int(counts.get(name, 0))) for name in [*names, *extra]]


SITE_TYPE = ChoiceField(
    attr="site_types",
    url_key="site_type",
    state_key="sites_types",
    column="site_type",
    label=N_("站点类型"),
    vocabulary=lambda regions, parent: {kind: kind for kind in SITE_TYPES},
    resolve=_site_type,
    placeholder=N_("全部类型"),
)
SITE_PREFECTURE = ChoiceField(
    attr="prefectures",
    url_key="site_prefecture",
    state_key="sites_prefectures",
    column="prefecture_adcode",
    label=N_("市州"),
    vocabulary=prefecture_vocabulary,
    resolve=lambda text, regions: regions.prefecture(text).adcode,
    placeholder=N_("全部市州"),
)
SITE_COUNTY = ChoiceField(
    attr="counties",
    url_key="site_county",
    state_key="sites_counties",
    column="county_adcode",
    label=N_("县市区"),
    vocabulary=county_vocabulary,
    resolve=lambda text, regions: regions.county(text).adcode,
    placeholder=N_("全部县市区"),
    within="prefectures",
    check_within=county_outside,
    help=N_("只知道所在市州的站点不属于任何县市区，选择县市区后不显示。"),
)
SITE_PRODUCT = SiteProductField(
    attr="products",
    url_key="site_product",
    state_key="sites_products",
    column="products",
    label=N_("关联地理标志产品"),
    vocabulary=lambda regions, parent: {},
    resolve=_product_name,
    placeholder=N_("全部产品"),
    multi_valued=True,
    separator=PRODUCT_SEPARATOR,
)

# In the order the page shows them; a narrowing field comes after the one it narrows.
SITE_FILTERS: tuple[FilterField[Any], ...] = (
    SITE_TYPE,
    SITE_PREFECTURE,
    SITE_COUNTY,
    SITE_PRODUCT,
)
_NO_DATA = FilterData(pd.DataFrame({"product": []}))


def apply_site_filter(sites: pd.DataFrame, site_filter: SiteFilter) -> pd.DataFrame:
    """The sites passing every active filter, in their original order."""
    return matching(sites, SITE_FILTERS, site_filter, _NO_DATA)


def site_option_counts(
    sites: pd.DataFrame, regions: Regions, site_filter: SiteFilter
) -> dict[str, list[Option]]:
    """The options of each site filter (by ``attr``), each counted with every other
    active filter applied (the layers shown included)."""
    return facet_options(sites, SITE_FILTERS, site_filter, _NO_DATA, regions)


def site_filter_to_query(site_filter: SiteFilter) -> dict[str, str]:
    """Query-string parameters of the active filters."""
    return to_query(SITE_FILTERS, site_filter)


def site_filter_from_query(
    params: Params, regions: Regions, other_keys: Collection[str] = ()
) -> tuple[SiteFilter, list[str]]:
    """A shared link's site filters; bad values are dropped with notices in Chinese.
    ``other_keys`` are the page's other parameters (not reported as unknown)."""
    parsed, notices = from_query(SITE_FILTERS, params, regions, other_keys)
    return SiteFilter(**parsed), notices


# Export ----------------------------------------------------------------------------------


def _source_urls(ids: object, sources: pd.DataFrame | None) -> str:
    links = source_links("", "", "", str(ids or ""), sources)
    return f" {OTHER_URLS_SEPARATOR} ".join(link.url for link in links)


def site_export(sites: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """The sites as users read them, with Chinese headers (for CSV/XLSX): no research
    remarks, no source ids, only links that may be shown."""
    rows = site_rows(sites)
    rows["products"] = rows["products"].map(i18n.names)
    rows["sources"] = [_source_urls(ids, sources) for ids in sites["sources"]]
    if i18n.english():
        rows["name"] = rows["name"].map(i18n.name)
        rows["prefecture"] = rows["prefecture"].map(i18n.name)
        rows["county"] = rows["county"].map(i18n.name)
        rows["site_type"] = rows["site_type"].map(t)
        rows["place_precision"] = rows["place_precision"].map(t)
    headers = {column: t(header) for column, header in EXPORT_HEADERS.items()}
    return rows[list(EXPORT_HEADERS)].rename(columns=headers)


def site_type_counts(sites: pd.DataFrame) -> Mapping[str, int]:
    """Sites per kind, every kind listed (zeros kept), in ``SITE_TYPES`` order."""
    counts = sites["site_type"].value_counts()
    return {kind: int(counts.get(kind, 0)) for kind in SITE_TYPES}
