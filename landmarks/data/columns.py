"""The shape of the tables users fill in: one declaration per input column.

Templates, imports and the re-importable export all read these declarations, so a product's
protection scope, family and registration number are written the same way everywhere:
the scope as counties separated by 、 (or one prefecture), the registration's type and
number beside its product.

Column names as clerks write them
---------------------------------
A file's header cell names a column by its Chinese header (产品名称), its key (name) or
one of its aliases; ``ALIASES`` below is the documented table (产品名称/名称/name,
所属县市区/县市区/区县/county, 经度/lon, 纬度/lat …).  Headers are compared after
normalisation (``header_key``): NFKC (full-width letters, digits and brackets folded),
white space removed, case ignored, a required-field star (*) dropped; a header that still
matches nothing is tried once more without its bracketed remark, so 经度（WGS-84）and
产值(亿元) are read as 经度 and 产值.  Aliases belong to one table: 名称 is a product's
name in the product table but a zone's name in the zone table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from landmarks.data.chains import CHAIN_NAMES, MANUAL_CHAIN_BASIS
from landmarks.data.coords import DATUM_LABELS, DATUM_WGS84
from landmarks.data.model import (
    AREA_COUNTIES,
    AREA_PREFECTURE,
    AREA_SEPARATOR,
    CATEGORIES,
    CONFIDENCE_LABELS,
    GI_TYPES,
    SITE_TYPES,
    SOURCE_QUALITY_LABELS,
)
from landmarks.data.regions import Regions
from landmarks.data.text import normalize_text
from landmarks.data.validation import PLAN_YEAR, text

# How a column's cells are normalised on import: free text is only trimmed (so notes keep
# their full-width punctuation); numbers, years and choices are NFKC-folded too.
Kind = Literal["text", "number", "year", "choice"]


@dataclass(frozen=True)
class InputColumn:
    key: str
    header: str  # what the template shows
    required: bool
    explanation: str
    example: str = ""
    aliases: tuple[str, ...] = ()  # other names a file may use (besides header and key)
    choices: tuple[str, ...] = ()  # values offered in the template's drop-down list
    strict: bool = True  # the drop-down refuses other values (False: only suggests)
    kind: Kind = "text"

    @property
    def names(self) -> tuple[str, ...]:
        """Every name this column is recognised by: header, key, aliases."""
        return (self.header, self.key, *self.aliases)


# Aliases shared by several tables.
_PREFECTURE = ("市州", "所在市州", "所属地市", "地市", "市", "市(州)", "prefecture", "city")
_COUNTY = (
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
_LON = ("lon", "lng", "longitude", "东经", "x", "经度坐标")
_LAT = ("lat", "latitude", "北纬", "y", "纬度坐标")
_CONFIDENCE_CHOICES = tuple(CONFIDENCE_LABELS.values())
_QUALITY_CHOICES = tuple(label.split("（")[0] for label in SOURCE_QUALITY_LABELS.values())
_YEAR_RULE = f"四位年份，不晚于规划年{PLAN_YEAR}年"

_DATUM_EXPLANATION = (
    "经纬度的坐标系："
    + "；".join(DATUM_LABELS.values())
    + "。留空时按导入时选择的坐标系；导入后一律换算为 WGS-84"
)


def _prefecture(explanation: str, example: str = "") -> InputColumn:
    return InputColumn("prefecture", "所属市州", False, explanation, example, _PREFECTURE)


def _county(required: bool, explanation: str, example: str = "") -> InputColumn:
    return InputColumn("county", "所属县市区", required, explanation, example, _COUNTY)


def _point(explanation: str) -> tuple[InputColumn, ...]:
    return (
        InputColumn(
            "lon", "经度", False, f"{explanation}；十进制度（如 110.98）", "", _LON, kind="number"
        ),
        InputColumn(
            "lat", "纬度", False, f"{explanation}；十进制度（如 30.83）", "", _LAT, kind="number"
        ),
        InputColumn(
            "datum",
            "坐标系",
            False,
            _DATUM_EXPLANATION,
            "",
            ("坐标类型", "datum", "crs"),
            tuple(DATUM_LABELS),
            kind="choice",
        ),
    )


def _provenance(
    url_aliases: tuple[str, ...] = ("来源", "来源网址", "链接", "网址", "url"),
) -> tuple[InputColumn, ...]:
    return (
        InputColumn(
            "confidence",
            "可信度",
            True,
            "高/中/低：来源可靠、数字一致为高",
            "高",
            ("置信度", "可靠程度"),
            _CONFIDENCE_CHOICES,
            kind="choice",
        ),
        InputColumn(
            "source_url", "来源链接", False, "以 http:// 或 https:// 开头", "", url_aliases
        ),
        InputColumn(
            "other_source_urls",
            "其他来源链接",
            False,
            "多个链接用空格分隔",
            "",
            ("其他来源", "其他链接"),
        ),
        InputColumn(
            "source_quality",
            "来源类型",
            True,
            "官方发布/媒体报道/汇编网站/转载（转载的链接不予展示）",
            "官方发布",
            ("来源性质", "来源级别"),
            _QUALITY_CHOICES,
            kind="choice",
        ),
    )


PRODUCT_INPUT: tuple[InputColumn, ...] = (
    InputColumn(
        "name",
        "产品名称",
        True,
        "登记的地理标志名称，表内唯一",
        "秭归脐橙",
        ("名称", "产品", "产品名", "地理标志名称", "地标名称", "地理标志产品名称", "product"),
    ),
    InputColumn(
        "family",
        "产品系列",
        False,
        "一品多标：同一产品的几项登记填同一个系列名；留空即以产品名称为系列",
        "秭归脐橙",
        ("系列", "产品系列名称"),
    ),
    InputColumn(
        "category",
        "品类",
        True,
        "/".join(CATEGORIES),
        "水果",
        ("类别", "产品类别", "分类", "产品品类"),
        CATEGORIES,
        kind="choice",
    ),
    InputColumn(
        "gi_type",
        "地理标志类型",
        False,
        "地理标志保护产品/地理标志证明商标/地理标志集体商标/农产品地理标志；不确定时留空",
        "地理标志保护产品",
        ("类型", "地标类型", "登记类型", "保护类型", "type"),
        GI_TYPES,
        kind="choice",
    ),
    InputColumn(
        "registration_number",
        "登记编号",
        False,
        "公告号、商标注册号或登记证书编号",
        "质检总局公告2006年第91号",
        ("编号", "公告号", "注册号", "证书编号", "登记证书编号", "商标注册号"),
    ),
    InputColumn(
        "year",
        "登记年份",
        False,
        _YEAR_RULE,
        "2006",
        ("年份", "获批年份", "批准年份", "登记年度", "年度"),
        kind="year",
    ),
    _prefecture("如 宜昌市；填了县市区或保护范围时可留空", "宜昌市"),
    _county(False, "来源写明的县市区；来源只写到市州时留空", "秭归县"),
    InputColumn(
        "scope",
        "保护范围",
        False,
        "跨县产品列出各县市区，用顿号分隔（如 竹溪县、竹山县、房县）；全市范围填市州名称；"
        "与所属县市区相同时留空",
        "",
        ("范围", "地域范围", "保护地域范围"),
    ),
    InputColumn("scope_note", "范围说明", False, "来源对范围的补充说明（如 来源未列全）", ""),
    *_point("产品的精确位置（如核心产区）；没有精确位置时留空"),
    InputColumn(
        "chain",
        "产业链",
        False,
        "十大产业链之一；留空时按品类自动归属",
        "",
        ("所属产业链", "产业链名称"),
        CHAIN_NAMES,
        kind="choice",
    ),
    InputColumn("note", "备注", False, "维护说明，不在名片中展示", "", ("说明", "备注说明")),
    *_provenance(),
)

REGISTRATION_INPUT: tuple[InputColumn, ...] = (
    InputColumn(
        "product",
        "产品名称",
        True,
        "产品表中已有的产品名称",
        "秭归脐橙",
        ("产品", "名称", "name"),
    ),
    InputColumn(
        "gi_type",
        "地理标志类型",
        True,
        "该项登记的类型",
        "地理标志证明商标",
        ("类型", "登记类型"),
        GI_TYPES,
        kind="choice",
    ),
    InputColumn(
        "number",
        "登记编号",
        False,
        "公告号、商标注册号或登记证书编号",
        "",
        ("编号", "公告号", "注册号", "证书编号"),
    ),
    InputColumn("year", "登记年份", False, _YEAR_RULE, "", ("年份", "年度"), kind="year"),
    InputColumn("note", "说明", False, "如 注册人", "", ("备注",)),
)

ZONE_INPUT: tuple[InputColumn, ...] = (
    InputColumn(
        "name",
        "示范区名称",
        True,
        "示范区全称，表内唯一",
        "秭归脐橙国家地理标志产品保护示范区",
        ("名称", "示范区"),
    ),
    InputColumn(
        "level",
        "级别",
        True,
        "如 国家级、省级，可在括号内注明批准部门",
        "国家级",
        ("层级", "示范区级别"),
        ("国家级", "省级"),
        strict=False,
    ),
    InputColumn(
        "product",
        "产品",
        False,
        "示范区对应的地理标志产品",
        "秭归脐橙",
        ("地理标志产品", "产品名称", "对应产品"),
    ),
    _prefecture("可留空（按县市区推断）", "宜昌市"),
    _county(True, "示范区所在县市区", "秭归县"),
    InputColumn(
        "year",
        "年份",
        False,
        f"批准（授牌或筹建）年份；{_YEAR_RULE}",
        "2023",
        ("批准年份", "授牌年份", "创建年份", "年度"),
        kind="year",
    ),
    InputColumn(
        "status",
        "状态",
        True,
        "如 筹建、已授牌、通过验收，可在括号内注明日期",
        "筹建",
        ("建设状态", "进展"),
        ("筹建", "已授牌", "通过验收"),
        strict=False,
    ),
    InputColumn("note", "备注", False, "维护说明", "", ("说明",)),
    *_provenance(),
)

SITE_INPUT: tuple[InputColumn, ...] = (
    InputColumn(
        "name",
        "站点名称",
        True,
        "站点全称，表内唯一",
        "秭归脐橙文化园",
        ("名称", "站点", "景区名称"),
    ),
    InputColumn(
        "site_type",
        "站点类型",
        True,
        "/".join(SITE_TYPES),
        "主题景区",
        ("类型", "类别"),
        SITE_TYPES,
        kind="choice",
    ),
    InputColumn(
        "products",
        "相关产品",
        False,
        "站点展示或销售的地理标志产品，多个用顿号分隔",
        "秭归脐橙",
        ("产品", "地理标志产品", "关联产品"),
    ),
    _prefecture("填了县市区时可留空", "宜昌市"),
    _county(False, "站点所在县市区；只知道市州时留空", "秭归县"),
    InputColumn(
        "place",
        "具体地点",
        False,
        "乡镇、村或地址",
        "郭家坝镇",
        ("地点", "地址", "详细地址", "address"),
    ),
    *_point("站点位置；没有精确位置时留空"),
    InputColumn("status", "状态", False, "如 已开放、2024-04-28授牌", "已开放", ("开放状态",)),
    InputColumn("note", "备注", False, "维护说明", "", ("说明",)),
    InputColumn(
        "confidence",
        "可信度",
        True,
        "高/中/低",
        "中",
        ("置信度",),
        _CONFIDENCE_CHOICES,
        kind="choice",
    ),
    InputColumn(
        "sources", "来源", False, "来源链接或来源编号，多个用空格分隔", "", ("来源链接", "来源编号")
    ),
)

OUTPUT_METRICS: tuple[str, ...] = (
    "年产值",
    "综合产值",
    "全产业链产值",
    "销售收入",
    "目标年产值",
    "品牌价值(非产值)",
)

OUTPUT_INPUT: tuple[InputColumn, ...] = (
    InputColumn(
        "product",
        "产品或统计对象",
        False,
        "地理标志产品名称；填报县市区全部地理标志产品合计时留空（记为“某某县地理标志产品”）",
        "秭归脐橙",
        ("产品", "产品名称", "统计对象", "名称", "subject"),
    ),
    _prefecture("县市区所属市州；全省合计填 湖北省", "宜昌市"),
    _county(False, "统计数字所属县市区；市州或全省合计时留空", "秭归县"),
    InputColumn(
        "year",
        "年份",
        False,
        f"统计年份；{_YEAR_RULE}（不填年份的数字不进入逐年对比）",
        "2024",
        ("年度", "统计年份"),
        kind="year",
    ),
    InputColumn(
        "metric",
        "指标",
        True,
        "如 年产值、综合产值；品牌价值不是产值，写作 品牌价值(非产值)",
        "年产值",
        ("指标名称", "统计指标"),
        OUTPUT_METRICS,
        strict=False,
    ),
    InputColumn(
        "value_yi_yuan",
        "数值（亿元）",
        True,
        "以亿元计的非负数字，可带“超/近/余”等修饰（如 429.03、超1000）",
        "12.5",
        ("产值", "数值", "金额", "value", "数值(亿元)", "产值(亿元)"),
        kind="number",
    ),
    InputColumn("scope", "统计口径", False, "如 种植面积、统计范围", "", ("口径", "统计范围")),
    InputColumn("note", "备注", False, "维护说明", "", ("说明",)),
    *_provenance(),
    InputColumn(
        "is_demo",
        "示意数据",
        False,
        "仅作演示的示意数值填“是”，真实统计数字留空",
        "",
        ("演示数据",),
        ("是", "否"),
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
TABLE_LABELS: dict[str, str] = {
    "products": "地理标志产品",
    "registrations": "登记信息",
    "zones": "示范区",
    "sites": "地标+文旅站点",
    "outputs": "产值",
}

# The documented alias table: every name each column of each table is recognised by.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    table: {column.key: column.names for column in columns}
    for table, columns in INPUT_COLUMNS.items()
}

_STAR = re.compile(r"^[*]+|[*]+$|[:：]+$")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")


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


def column_key(header: object, table: str) -> str | None:
    """The key of the ``table`` column a file's header names, or None."""
    lookup = _LOOKUPS[table]
    key = header_key(header)
    if key in lookup:
        return lookup[key]
    bare = _BRACKETED.sub("", key)
    return lookup.get(bare) if bare else None


def is_known_header(header: object, table: str | None = None) -> bool:
    """Whether ``header`` names a column of ``table`` (of any table when None)."""
    if table is not None:
        return column_key(header, table) is not None
    key = header_key(header)
    return bool(key) and (key in ANY_HEADER or _BRACKETED.sub("", key) in ANY_HEADER)


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
        return column_by_key(table, key).header


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
    """``raw`` with Chinese headers renamed to their keys (English keys stay as they are)."""
    by_header = {column.header: column.key for column in columns}
    return raw.rename(columns=lambda header: by_header.get(text(header), text(header)))


def with_headers(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """A keyed input frame (``table_as_input``) with the template's Chinese headers."""
    headers = {column.key: column.header for column in INPUT_COLUMNS[table]}
    return frame.rename(columns=headers)


def template_frame(columns: tuple[InputColumn, ...]) -> pd.DataFrame:
    """An empty-but-for-an-example table with the Chinese headers users fill in."""
    return pd.DataFrame([{column.header: column.example for column in columns}])


def scope_text(regions: Regions, area_level: str, area_adcodes: str, prefecture: str) -> str:
    """A stored area written back as users write a scope ('' for a one-county area)."""
    if area_level == AREA_PREFECTURE:
        return prefecture
    if area_level == AREA_COUNTIES:
        codes = area_adcodes.split(AREA_SEPARATOR)
        return "、".join(regions.county_by_adcode(code).name for code in codes)
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
    frame["is_demo"] = frame["is_demo"].map(lambda demo: "是" if demo else "")
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
