"""The shape of the tables users fill in: one declaration per input column.

Templates, imports and the re-importable export all read these declarations, so a product's
protection scope, family and registration number are written the same way everywhere:
the scope as counties separated by 、 (or one prefecture), the registration's type and
number beside its product.

Column names as clerks write them
---------------------------------
A file's header cell names a column by its Chinese header (产品名称), its key (name), one of
its aliases or its header in English (Product name: templates and exports made in English
are read back); ``ALIASES`` below is the documented table (产品名称/名称/name,
所属县市区/县市区/区县/county, 经度/lon, 纬度/lat …).  Headers are compared after
normalisation (``header_key``): NFKC (full-width letters, digits and brackets folded),
white space removed, case ignored, a required-field star (*) dropped; a header that still
matches nothing is tried once more without its bracketed remark, so 经度（WGS-84）and
产值(亿元) are read as 经度 and 产值.  Aliases belong to one table: 名称 is a product's
name in the product table but a zone's name in the zone table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

import pandas as pd

from landmarks import i18n
from landmarks.data.chains import CHAIN_NAMES, MANUAL_CHAIN_BASIS, chain_names
from landmarks.data.coords import DATUM_LABELS, DATUM_WGS84
from landmarks.data.model import (
    AREA_COUNTIES,
    AREA_PREFECTURE,
    AREA_SEPARATOR,
    CATEGORIES,
    CONFIDENCE_LABELS,
    GI_TYPE_UNKNOWN,
    GI_TYPES,
    SITE_TYPES,
    SOURCE_QUALITY_NAMES,
)
from landmarks.data.region import (
    DEFAULT_CODE,
    RegionConfigError,
    current_region,
    has_chain_vocabulary,
    region_for,
)
from landmarks.data.regions import Regions
from landmarks.data.text import normalize_text
from landmarks.data.validation import PLAN_YEAR, text
from landmarks.i18n import N_, t

# How a column's cells are normalised on import: free text is only trimmed (so notes keep
# their full-width punctuation); numbers, years and choices are NFKC-folded too.
Kind = Literal["text", "number", "year", "choice"]

# Length bounds, in characters after trimming.  The shipped data's longest values are far
# below them (product name 9, zone name 19, site name 25, note 211, link 178), so they only
# stop pasted paragraphs and hostile input: a name must fit a card heading, a poster label
# and a QR code; free text a card; a link a browser's address bar.
NAME_LENGTH = 40  # a registered product name (the longest registered one has 12)
LONG_NAME_LENGTH = 80  # a zone's or site's full name
SHORT_TEXT = 100  # codes, places, statuses, choices
LIST_TEXT = 500  # lists of names (a scope, a site's products) and remarks on a scope
NOTE_LENGTH = 2000  # a maintainer's note
URL_LENGTH = 2000  # one link (what browsers and servers reliably accept)
URLS_LENGTH = 4000  # several links

# Values the explanations quote: what users write in the cells, so Chinese in every language.
SCOPE_SEPARATOR = "、"  # not UI: how a scope separates its counties (read back by the import)
_SCOPE_EXAMPLE = ("竹溪县", "竹山县", "房县")  # not UI: place names
_NATIONWIDE = "全国"  # not UI: how national totals are written
_YES = "是"  # not UI: the value the import reads as yes
_QUALIFIERS = "超/近/余"  # not UI: qualifiers the import accepts before a number
_QUALIFIED = "超1000"  # not UI: an example cell


@dataclass(frozen=True)
class PlaceExamples:
    """The places the templates' examples name: a real prefecture and county of the region,
    counties of one prefecture for a scope, and a point inside the county (decimal degrees)."""

    prefecture: str
    county: str
    scope: tuple[str, ...]
    lon: str
    lat: str


# The 产业链 column where the region has no chains (its groups are the categories).
_GROUP_RULE = N_("本地区按品类分组：填品类之一；留空时取本行的品类")
HUBEI_PLACES = PlaceExamples("宜昌市", "秭归县", _SCOPE_EXAMPLE, "110.98", "30.83")  # not UI


@dataclass(frozen=True)
class InputColumn:
    key: str
    header: str  # what the template shows, in Chinese (``label``: in the current language)
    required: bool
    rule: str  # what to fill in: a message whose placeholders ``explanation`` fills in
    example: str = ""  # a value as users write it (data, so in Chinese)
    aliases: tuple[str, ...] = ()  # other names a file may use (besides header and key)
    choices: tuple[str, ...] = ()  # values offered in the template's drop-down list
    strict: bool = True  # the drop-down refuses other values (False: only suggests)
    kind: Kind = "text"
    max_length: int = SHORT_TEXT  # characters a cell may hold (``bounds`` explains the choice)
    places: PlaceExamples = HUBEI_PLACES  # what the examples name (``columns_for``)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name this column is recognised by: header, key, aliases.

        The import also accepts the header in English (``column_key``)."""
        return (self.header, self.key, *self.aliases)

    @property
    def label(self) -> str:
        """The header in the current language (what templates and exports write)."""
        return t(self.header)

    @property
    def explanation(self) -> str:
        """What to fill in, in the current language; without a rule, the choices."""
        if not self.rule:
            return choice_list(self.choices)
        return t(
            self.rule,
            plan_year=PLAN_YEAR,
            choices=choice_list(self.choices),
            examples=value_list(self.choices),
            example=i18n.name(self.example),
            datums=datum_list(),
            gi_types=choice_list(tuple(kind for kind in GI_TYPES if kind != GI_TYPE_UNKNOWN)),
            scope_example=SCOPE_SEPARATOR.join(i18n.name(name) for name in self.places.scope),
            lon=self.places.lon,
            lat=self.places.lat,
            province=_region_total_name(),
            yes=_YES,
            metrics=value_list(OUTPUT_METRICS[:2]),
            brand_value=_glossed(OUTPUT_METRICS[-1]),
            qualifiers=_QUALIFIERS,
            qualified=_QUALIFIED,
        )


def _region_total_name() -> str:
    """How the region's own total is written: 湖北省, 湖南省 …, 全国 for the country (a bad
    ``LANDMARKS_REGION`` reads as Hubei here; the app reports it where it loads the region)."""
    try:
        region = current_region()
    except RegionConfigError:
        region = region_for(DEFAULT_CODE)
    return _NATIONWIDE if region.national else region.name


def _glossed(value: str) -> str:
    """A value as users write it, in English with its meaning beside it: 高 (High)."""
    shown = t(value)
    return f"{value} ({shown})" if shown != value else value


def datum_list() -> str:
    """The coordinate systems a file may be in, listed."""
    return t("；").join(t(label) for label in DATUM_LABELS.values())


def choice_list(values: tuple[str, ...]) -> str:
    """Allowed values as written in a cell, separated by /; glossed in English."""
    return "/".join(_glossed(value) for value in values)


def value_list(values: tuple[str, ...]) -> str:
    """Example values as written in a cell, listed; glossed in English."""
    return i18n.joined(_glossed(value) for value in values)


# Aliases shared by several tables.
_PREFECTURE = (  # not UI: header spellings accepted on import
    "市州",
    "所在市州",
    "所属地市",
    "地市",
    "市",
    "市(州)",
    "prefecture",
    "city",
)
_COUNTY = (  # not UI: header spellings accepted on import
    "县市区",
    "所属区县",
    "区县",
    "所在县市区",
    "县区",
    "县",
    "县(市、区)",
    "县(市区)",
    "county",
    "district",
)
_LON = ("lon", "lng", "longitude", "东经", "x", "经度坐标")  # not UI: header spellings
_LAT = ("lat", "latitude", "北纬", "y", "纬度坐标")  # not UI: header spellings
_PRODUCT_NAME = (  # not UI: header spellings accepted on import
    "名称",
    "产品",
    "产品名",
    "地理标志名称",
    "地标名称",
    "地理标志产品名称",
    "product",
)
_REGISTRATION_NUMBER = (  # not UI: header spellings accepted on import
    "编号",
    "公告号",
    "注册号",
    "证书编号",
    "登记证书编号",
    "商标注册号",
)
_CONFIDENCE_CHOICES = tuple(CONFIDENCE_LABELS.values())
_QUALITY_CHOICES = tuple(SOURCE_QUALITY_NAMES.values())
_YEAR_RULE = N_("四位年份，不晚于规划年{plan_year}年")


def _prefecture(rule: str, example: str = "") -> InputColumn:
    return InputColumn("prefecture", N_("所属市州"), False, rule, example, _PREFECTURE)


def _county(required: bool, rule: str, example: str = "") -> InputColumn:
    return InputColumn("county", N_("所属县市区"), required, rule, example, _COUNTY)


def _point(lon_rule: str, lat_rule: str) -> tuple[InputColumn, ...]:
    return (
        InputColumn("lon", N_("经度"), False, lon_rule, "", _LON, kind="number"),
        InputColumn("lat", N_("纬度"), False, lat_rule, "", _LAT, kind="number"),
        InputColumn(
            "datum",
            N_("坐标系"),
            False,
            N_("经纬度的坐标系：{datums}。留空时按导入时选择的坐标系；导入后一律换算为 WGS-84"),
            "",
            ("坐标类型", "datum", "crs"),  # not UI: header spellings
            tuple(DATUM_LABELS),
            kind="choice",
        ),
    )


def _provenance(
    url_aliases: tuple[str, ...] = ("来源", "来源网址", "链接", "网址", "url"),  # not UI
) -> tuple[InputColumn, ...]:
    return (
        InputColumn(
            "confidence",
            N_("可信度"),
            True,
            N_("{choices}：来源可靠、数字一致为高"),
            "高",  # not UI: example
            ("置信度", "可靠程度"),  # not UI: header spellings
            _CONFIDENCE_CHOICES,
            kind="choice",
        ),
        InputColumn(
            "source_url",
            N_("来源链接"),
            False,
            N_("以 http:// 或 https:// 开头"),
            "",
            url_aliases,
            max_length=URL_LENGTH,
        ),
        InputColumn(
            "other_source_urls",
            N_("其他来源链接"),
            False,
            N_("多个链接用空格分隔"),
            "",
            ("其他来源", "其他链接"),  # not UI: header spellings
            max_length=URLS_LENGTH,
        ),
        InputColumn(
            "source_quality",
            N_("来源类型"),
            True,
            N_("{choices}（转载的链接不予展示）"),
            "官方发布",  # not UI: example
            ("来源性质", "来源级别"),  # not UI: header spellings
            _QUALITY_CHOICES,
            kind="choice",
        ),
    )


PRODUCT_INPUT: tuple[InputColumn, ...] = (
    InputColumn(
        "name",
        N_("产品名称"),
        True,
        N_("登记的地理标志名称，表内唯一"),
        "秭归脐橙",  # not UI: example
        _PRODUCT_NAME,
        max_length=NAME_LENGTH,
    ),
    InputColumn(
        "family",
        N_("产品系列"),
        False,
        N_("一品多标：同一产品的几项登记填同一个系列名；留空即以产品名称为系列"),
        "秭归脐橙",  # not UI: example
        ("系列", "产品系列名称"),  # not UI: header spellings
        max_length=NAME_LENGTH,
    ),
    InputColumn(
        "category",
        N_("品类"),
        True,
        "",
        "水果",  # not UI: example
        ("类别", "产品类别", "分类", "产品品类"),  # not UI: header spellings
        CATEGORIES,
        kind="choice",
    ),
    InputColumn(
        "gi_type",
        N_("地理标志类型"),
        False,
        N_("{gi_types}；不确定时留空"),
        "地理标志保护产品",  # not UI: example
        ("类型", "地标类型", "登记类型", "保护类型", "type"),  # not UI: header spellings
        GI_TYPES,
        kind="choice",
    ),
    InputColumn(
        "registration_number",
        N_("登记编号"),
        False,
        N_("公告号、商标注册号或登记证书编号"),
        "质检总局公告2006年第91号",  # not UI: example
        _REGISTRATION_NUMBER,
    ),
    InputColumn(
        "year",
        N_("登记年份"),
        False,
        _YEAR_RULE,
        "2006",
        ("年份", "获批年份", "批准年份", "登记年度", "年度"),  # not UI: header spellings
        kind="year",
    ),
    _prefecture(N_("如 {example}；填了县市区或保护范围时可留空"), "宜昌市"),  # not UI: example
    _county(False, N_("来源写明的县市区；来源只写到市州时留空"), "秭归县"),  # not UI: example
    InputColumn(
        "scope",
        N_("保护范围"),
        False,
        N_(
            "跨县产品列出各县市区，用顿号分隔（如 {scope_example}）；全市范围填市州名称；"
            "与所属县市区相同时留空"
        ),
        "",
        ("范围", "地域范围", "保护地域范围"),  # not UI: header spellings
        max_length=LIST_TEXT,
    ),
    InputColumn(
        "scope_note",
        N_("范围说明"),
        False,
        N_("来源对范围的补充说明（如 来源未列全）"),
        max_length=LIST_TEXT,
    ),
    *_point(
        N_("产品的精确位置（如核心产区）；没有精确位置时留空；十进制度（如 {lon}）"),
        N_("产品的精确位置（如核心产区）；没有精确位置时留空；十进制度（如 {lat}）"),
    ),
    InputColumn(
        "chain",
        N_("产业链"),
        False,
        N_("十大产业链之一；留空时按品类自动归属"),
        "",
        ("所属产业链", "产业链名称"),  # not UI: header spellings
        CHAIN_NAMES,
        kind="choice",
    ),
    InputColumn(
        "note",
        N_("备注"),
        False,
        N_("维护说明，不在名片中展示"),
        "",
        ("说明", "备注说明"),  # not UI: header spellings
        max_length=NOTE_LENGTH,
    ),
    *_provenance(),
)

REGISTRATION_INPUT: tuple[InputColumn, ...] = (
    InputColumn(
        "product",
        N_("产品名称"),
        True,
        N_("产品表中已有的产品名称"),
        "秭归脐橙",  # not UI: example
        ("产品", "名称", "name"),  # not UI: header spellings
        max_length=NAME_LENGTH,
    ),
    InputColumn(
        "gi_type",
        N_("地理标志类型"),
        True,
        N_("该项登记的类型"),
        "地理标志证明商标",  # not UI: example
        ("类型", "登记类型"),  # not UI: header spellings
        GI_TYPES,
        kind="choice",
    ),
    InputColumn(
        "number",
        N_("登记编号"),
        False,
        N_("公告号、商标注册号或登记证书编号"),
        "",
        ("编号", "公告号", "注册号", "证书编号"),  # not UI: header spellings
    ),
    InputColumn(
        "year",
        N_("登记年份"),
        False,
        _YEAR_RULE,
        "",
        ("年份", "年度"),  # not UI: header spellings
        kind="year",
    ),
    InputColumn(
        "note",
        N_("说明"),
        False,
        N_("如 注册人"),
        "",
        ("备注",),  # not UI: alias
        max_length=NOTE_LENGTH,
    ),
)

ZONE_INPUT: tuple[InputColumn, ...] = (
    InputColumn(
        "name",
        N_("示范区名称"),
        True,
        N_("示范区全称，表内唯一"),
        "秭归脐橙国家地理标志产品保护示范区",  # not UI: example
        ("名称", "示范区"),  # not UI: header spellings
        max_length=LONG_NAME_LENGTH,
    ),
    InputColumn(
        "level",
        N_("级别"),
        True,
        N_("如 {examples}，可在括号内注明批准部门"),
        "国家级",  # not UI: example
        ("层级", "示范区级别"),  # not UI: header spellings
        (N_("国家级"), N_("省级")),
        strict=False,
    ),
    InputColumn(
        "product",
        N_("产品"),
        False,
        N_("示范区对应的地理标志产品"),
        "秭归脐橙",  # not UI: example
        ("地理标志产品", "产品名称", "对应产品"),  # not UI: header spellings
        max_length=NAME_LENGTH,
    ),
    _prefecture(N_("可留空（按县市区推断）"), "宜昌市"),  # not UI: example
    _county(True, N_("示范区所在县市区"), "秭归县"),  # not UI: example
    InputColumn(
        "year",
        N_("年份"),
        False,
        N_("批准（授牌或筹建）年份；四位年份，不晚于规划年{plan_year}年"),
        "2023",
        ("批准年份", "授牌年份", "创建年份", "年度"),  # not UI: header spellings
        kind="year",
    ),
    InputColumn(
        "status",
        N_("状态"),
        True,
        N_("如 {examples}，可在括号内注明日期"),
        "筹建",  # not UI: example
        ("建设状态", "进展"),  # not UI: header spellings
        (N_("筹建"), N_("已授牌"), N_("通过验收")),
        strict=False,
    ),
    InputColumn(
        "note",
        N_("备注"),
        False,
        N_("维护说明"),
        "",
        ("说明",),  # not UI: alias
        max_length=NOTE_LENGTH,
    ),
    *_provenance(),
)

SITE_INPUT: tuple[InputColumn, ...] = (
    InputColumn(
        "name",
        N_("站点名称"),
        True,
        N_("站点全称，表内唯一"),
        "秭归脐橙文化园",  # not UI: example
        ("名称", "站点", "景区名称"),  # not UI: header spellings
        max_length=LONG_NAME_LENGTH,
    ),
    InputColumn(
        "site_type",
        N_("站点类型"),
        True,
        "",
        "主题景区",  # not UI: example
        ("类型", "类别"),  # not UI: header spellings
        SITE_TYPES,
        kind="choice",
    ),
    InputColumn(
        "products",
        N_("相关产品"),
        False,
        N_("站点展示或销售的地理标志产品，多个用顿号分隔"),
        "秭归脐橙",  # not UI: example
        ("产品", "地理标志产品", "关联产品"),  # not UI: header spellings
        max_length=LIST_TEXT,
    ),
    _prefecture(N_("填了县市区时可留空"), "宜昌市"),  # not UI: example
    _county(False, N_("站点所在县市区；只知道市州时留空"), "秭归县"),  # not UI: example
    InputColumn(
        "place",
        N_("具体地点"),
        False,
        N_("乡镇、村或地址"),
        "郭家坝镇",  # not UI: example
        ("地点", "地址", "详细地址", "address"),  # not UI: header spellings
        max_length=LIST_TEXT,
    ),
    *_point(
        N_("站点位置；没有精确位置时留空；十进制度（如 {lon}）"),
        N_("站点位置；没有精确位置时留空；十进制度（如 {lat}）"),
    ),
    InputColumn(
        "status",
        N_("状态"),
        False,
        N_("如 已开放、2024-04-28授牌"),
        "已开放",  # not UI: example
        ("开放状态",),  # not UI: header spellings
    ),
    InputColumn(
        "note",
        N_("备注"),
        False,
        N_("维护说明"),
        "",
        ("说明",),  # not UI: alias
        max_length=NOTE_LENGTH,
    ),
    InputColumn(
        "confidence",
        N_("可信度"),
        True,
        "",
        "中",  # not UI: example
        ("置信度",),  # not UI: header spellings
        _CONFIDENCE_CHOICES,
        kind="choice",
    ),
    InputColumn(
        "sources",
        N_("来源"),
        False,
        N_("来源链接或来源编号，多个用空格分隔"),
        "",
        ("来源链接", "来源编号"),  # not UI: header spellings
        max_length=URLS_LENGTH,
    ),
)

OUTPUT_METRICS: tuple[str, ...] = (
    N_("年产值"),
    N_("综合产值"),
    N_("全产业链产值"),
    N_("销售收入"),
    N_("目标年产值"),
    N_("品牌价值(非产值)"),
)

OUTPUT_INPUT: tuple[InputColumn, ...] = (
    InputColumn(
        "product",
        N_("产品或统计对象"),
        False,
        N_("地理标志产品名称；填报县市区全部地理标志产品合计时留空（记为“某某县地理标志产品”）"),
        "秭归脐橙",  # not UI: example
        ("产品", "产品名称", "统计对象", "名称", "subject"),  # not UI: header spellings
        max_length=LONG_NAME_LENGTH,
    ),
    _prefecture(N_("县市区所属市州；全省合计填 {province}"), "宜昌市"),  # not UI: example
    _county(False, N_("统计数字所属县市区；市州或全省合计时留空"), "秭归县"),  # not UI: example
    InputColumn(
        "year",
        N_("年份"),
        False,
        N_("统计年份；四位年份，不晚于规划年{plan_year}年（不填年份的数字不进入逐年对比）"),
        "2024",
        ("年度", "统计年份"),  # not UI: header spellings
        kind="year",
    ),
    InputColumn(
        "metric",
        N_("指标"),
        True,
        N_("如 {metrics}；品牌价值不是产值，写作 {brand_value}"),
        "年产值",  # not UI: example
        ("指标名称", "统计指标"),  # not UI: header spellings
        OUTPUT_METRICS,
        strict=False,
    ),
    InputColumn(
        "value_yi_yuan",
        N_("数值（亿元）"),
        True,
        N_("以亿元计的非负数字，可带“{qualifiers}”等修饰（如 429.03、{qualified}）"),
        "12.5",
        ("产值", "数值", "金额", "value", "数值(亿元)", "产值(亿元)"),  # not UI: spellings
        kind="number",
    ),
    InputColumn(
        "scope",
        N_("统计口径"),
        False,
        N_("如 种植面积、统计范围"),
        "",
        ("口径", "统计范围"),  # not UI: header spellings
        max_length=LIST_TEXT,
    ),
    InputColumn(
        "note",
        N_("备注"),
        False,
        N_("维护说明"),
        "",
        ("说明",),  # not UI: alias
        max_length=NOTE_LENGTH,
    ),
    *_provenance(),
    InputColumn(
        "is_demo",
        N_("示意数据"),
        False,
        N_("仅作演示的示意数值填“{yes}”，真实统计数字留空"),
        "",
        ("演示数据",),  # not UI: header spellings
        (_YES, "否"),  # not UI: the values the import accepts
        kind="choice",
    ),
)

# The tables users import, in the order the data page offers them.
INPUT_COLUMNS: dict[str, tuple[InputColumn, ...]] = {
    "products": PRODUCT_INPUT,
    "registrations": REGISTRATION_INPUT,
    "zones": ZONE_INPUT,
    "sites": SITE_INPUT,
    "outputs": OUTPUT_INPUT,
}


def place_examples(regions: Regions) -> PlaceExamples:
    """Hubei's examples (秭归县, 宜昌市 …), else the region's example county
    (``Regions.example_county``), its prefecture, counties and a point inside it."""
    if regions.region.code == DEFAULT_CODE:
        return HUBEI_PLACES
    county = regions.example_county()
    scope = tuple(c.name for c in regions.counties_of(county.prefecture_adcode)[:3])
    return PlaceExamples(county.prefecture, county.name, scope, *coordinate_example(regions))


def coordinate_example(regions: Regions) -> tuple[str, str]:
    """A point of the region's own as messages write it (lon, lat): in Hubei 秭归县's, else
    a point inside the example county (derived once per ``Regions``)."""
    if regions.region.code == DEFAULT_CODE:
        return HUBEI_PLACES.lon, HUBEI_PLACES.lat
    return regions.example_point()


def columns_for(table: str, regions: Regions) -> tuple[InputColumn, ...]:
    """``INPUT_COLUMNS[table]`` as the region's templates show them: examples of its own
    places, and its own groups (chains in Hubei, else categories) offered as 产业链."""
    places = place_examples(regions)
    examples = {"prefecture": places.prefecture, "county": places.county}
    shown = []
    for column in INPUT_COLUMNS[table]:
        column = replace(column, places=places)
        if column.key in examples and column.example:
            column = replace(column, example=examples[column.key])
        if column.key == "chain":
            column = replace(column, choices=chain_names(regions.region))
            if not has_chain_vocabulary(regions.region):
                column = replace(column, rule=_GROUP_RULE)
        shown.append(column)
    return tuple(shown)


TABLE_LABELS: dict[str, str] = {
    "products": N_("地理标志产品"),
    "registrations": N_("登记信息"),
    "zones": N_("示范区"),
    "sites": N_("地标+文旅站点"),
    "outputs": N_("产值"),
}

# The documented alias table: every name each column of each table is recognised by.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    table: {column.key: column.names for column in columns}
    for table, columns in INPUT_COLUMNS.items()
}

_STAR = re.compile(r"^[*]+|[*]+$|[:：]+$")  # not UI: pattern of headers
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")  # not UI: pattern of headers


def header_key(header: object) -> str:
    """A header as compared with the alias table: NFKC, no spaces, case folded, no star."""
    return _STAR.sub("", normalize_text(text(header), keep_spaces=False).casefold())


def _lookup(table: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for column in INPUT_COLUMNS[table]:
        for name in column.names:
            found.setdefault(header_key(name), column.key)
    return found


_LOOKUPS: dict[str, dict[str, str]] = {table: _lookup(table) for table in INPUT_COLUMNS}
# Headers of any table: used to find the header row of a file whose table is not given.
ANY_HEADER: frozenset[str] = frozenset(key for lookup in _LOOKUPS.values() for key in lookup)
# The headers in English, read from the catalog when first needed (the catalog may change
# in tests), so that a template or export written in English is read back.
_english: tuple[dict[str, str], dict[str, dict[str, str]], frozenset[str]] | None = None


def _english_lookups() -> tuple[dict[str, dict[str, str]], frozenset[str]]:
    global _english
    catalog = i18n.catalog(i18n.ENGLISH)
    if _english is None or _english[0] is not catalog:
        lookups = {
            table: {
                header_key(catalog[column.header]): column.key
                for column in columns
                if catalog.get(column.header)
            }
            for table, columns in INPUT_COLUMNS.items()
        }
        any_header = frozenset(key for lookup in lookups.values() for key in lookup)
        _english = (catalog, lookups, any_header)
    return _english[1], _english[2]


def column_key(header: object, table: str) -> str | None:
    """The key of the ``table`` column a file's header names, or None.

    Chinese headers, keys and aliases come first; then the headers in English."""
    lookup = _LOOKUPS[table]
    english = _english_lookups()[0][table]
    key = header_key(header)
    if key in lookup:
        return lookup[key]
    if key in english:
        return english[key]
    bare = _BRACKETED.sub("", key)
    return (lookup.get(bare) or english.get(bare)) if bare else None


def is_known_header(header: object, table: str | None = None) -> bool:
    """Whether ``header`` names a column of ``table`` (of any table when None)."""
    if table is not None:
        return column_key(header, table) is not None
    key = header_key(header)
    known = ANY_HEADER | _english_lookups()[1]
    return bool(key) and (key in known or _BRACKETED.sub("", key) in known)


@dataclass(frozen=True)
class ColumnMatch:
    """How a file's headers map to a table's columns."""

    keys: dict[str, str]  # file header → column key, for recognised headers
    unknown: tuple[str, ...]  # headers naming no column (their cells are not imported)
    conflicts: dict[str, tuple[str, ...]]  # key → two or more headers naming it
    missing: tuple[InputColumn, ...]  # required columns with no header

    def header_of(self, key: str, table: str) -> str:
        """The header the file uses for ``key`` (the template's when it has none)."""
        for header, found in self.keys.items():
            if found == key:
                return header
        return column_by_key(table, key).label


def match_columns(headers: list[str], table: str) -> ColumnMatch:
    keys: dict[str, str] = {}
    unknown: list[str] = []
    by_key: dict[str, list[str]] = {}
    for header in headers:
        key = column_key(header, table)
        if key is None:
            if text(header):
                unknown.append(header)
            continue
        keys[header] = key
        by_key.setdefault(key, []).append(header)
    conflicts = {key: tuple(found) for key, found in by_key.items() if len(found) > 1}
    missing = tuple(c for c in INPUT_COLUMNS[table] if c.required and c.key not in by_key)
    return ColumnMatch(keys, tuple(unknown), conflicts, missing)


def column_by_key(table: str, key: str) -> InputColumn:
    return next(column for column in INPUT_COLUMNS[table] if column.key == key)


def with_keys(raw: pd.DataFrame, columns: tuple[InputColumn, ...]) -> pd.DataFrame:
    """``raw`` with template headers (Chinese or English) renamed to their keys (keys stay
    as they are)."""
    catalog = i18n.catalog(i18n.ENGLISH)
    by_header = {catalog.get(column.header, column.header): column.key for column in columns}
    by_header |= {column.header: column.key for column in columns}
    return raw.rename(columns=lambda header: by_header.get(text(header), text(header)))


def with_headers(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """A keyed input frame (``table_as_input``) with the template's headers, in the
    current language (both are read back by the import)."""
    headers = {column.key: column.label for column in INPUT_COLUMNS[table]}
    return frame.rename(columns=headers)


def template_frame(columns: tuple[InputColumn, ...]) -> pd.DataFrame:
    """An empty-but-for-an-example table with the headers users fill in."""
    return pd.DataFrame([{column.label: column.example for column in columns}])


def scope_text(regions: Regions, area_level: str, area_adcodes: str, prefecture: str) -> str:
    """A stored area written back as users write a scope ('' for a one-county area)."""
    if area_level == AREA_PREFECTURE:
        return prefecture
    if area_level == AREA_COUNTIES:
        codes = area_adcodes.split(AREA_SEPARATOR)
        return SCOPE_SEPARATOR.join(regions.county_by_adcode(code).name for code in codes)
    return ""


def _exact_points(frame: pd.DataFrame) -> pd.DataFrame:
    """Stand-in positions left out (they are recomputed); exact points kept, as WGS-84."""
    exact = frame["precision"] == "point"
    frame["lon"] = frame["lon"].where(exact, None)
    frame["lat"] = frame["lat"].where(exact, None)
    frame["datum"] = exact.map({True: DATUM_WGS84, False: ""})
    return frame


def _keyed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    return frame[[column.key for column in INPUT_COLUMNS[table]]].reset_index(drop=True)


def products_as_input(products: pd.DataFrame, regions: Regions) -> pd.DataFrame:
    """Stored products in the input shape (keys as headers), to be imported again as is."""
    frame = _exact_points(products.copy())
    frame["scope"] = [
        scope_text(regions, level, codes, prefecture)
        for level, codes, prefecture in zip(
            frame["area_level"], frame["area_adcodes"], frame["prefecture"], strict=True
        )
    ]
    frame["chain"] = frame["chain"].where(frame["chain_basis"] == MANUAL_CHAIN_BASIS, "")
    return _keyed(frame, "products")


def _sites_as_input(sites: pd.DataFrame) -> pd.DataFrame:
    return _keyed(_exact_points(sites.copy()), "sites")


def _outputs_as_input(outputs: pd.DataFrame, regions: Regions) -> pd.DataFrame:
    frame = outputs.copy()
    prefectures, counties = [], []
    for adcode, region in zip(frame["region_adcode"], frame["region"], strict=True):
        if adcode and regions.names_county(adcode):
            county = regions.county_by_adcode(adcode)
            prefectures.append(county.prefecture)
            counties.append(county.name)
        else:  # a prefecture, 湖北省 or 全国
            prefectures.append(region)
            counties.append("")
    frame["prefecture"], frame["county"] = prefectures, counties
    frame["product"] = frame["subject"]
    frame["value_yi_yuan"] = frame["value_text"]
    frame["is_demo"] = frame["is_demo"].map(lambda demo: _YES if demo else "")
    return _keyed(frame, "outputs")


def table_as_input(table: str, frame: pd.DataFrame, regions: Regions) -> pd.DataFrame:
    """A stored table in its input shape (keys as headers): importing it again, into the
    same other tables, gives the stored table back unchanged (the export's round trip)."""
    if table == "products":
        return products_as_input(frame, regions)
    if table == "sites":
        return _sites_as_input(frame)
    if table == "outputs":
        return _outputs_as_input(frame, regions)
    if table in INPUT_COLUMNS:
        return _keyed(frame.copy(), table)
    raise ValueError(f"no input shape for table {table!r}; expected one of {list(INPUT_COLUMNS)}")
