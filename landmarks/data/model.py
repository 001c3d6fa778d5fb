"""Vocabulary of the domain: the allowed values of every coded field, with UI labels.

Tables themselves are pandas DataFrames whose columns are listed here, so that storage,
validation, filters and exports agree on one schema.
"""

from __future__ import annotations

from landmarks.i18n import N_

CATEGORIES: tuple[str, ...] = (
    N_("茶叶"),
    N_("水果"),
    N_("蔬菜"),
    N_("粮油"),
    N_("水产品"),
    N_("畜禽"),
    N_("中药材"),
    N_("酒"),
    N_("加工食品"),
    N_("工艺品"),
    N_("花卉"),
    N_("其他"),
)

# The one stored value (and label) for a product whose GI type no source states yet; the
# research data writes it `unknown`, earlier exports wrote 未注明 (records.py maps both).
GI_TYPE_UNKNOWN = N_("类型待核实")
# A product can hold several GI statuses; ``gi_types`` joins them with this.
GI_TYPES_SEPARATOR = "；"  # not UI: the stored separator
GI_TYPES: tuple[str, ...] = (
    N_("地理标志保护产品"),
    N_("地理标志证明商标"),
    N_("地理标志集体商标"),
    N_("农产品地理标志"),
    GI_TYPE_UNKNOWN,
)

CONFIDENCE_LABELS: dict[str, str] = {"high": N_("高"), "medium": N_("中"), "low": N_("低")}

# Links of `repost` rows were removed upstream: the fact was only seen on an unrelated
# site, so the app must not show them as sources.
SOURCE_QUALITY_LABELS: dict[str, str] = {
    "official": N_("官方发布"),
    "media": N_("媒体报道"),
    "aggregator": N_("汇编网站"),
    "repost": N_("转载（链接不予展示）"),
}
# The same without the remark: the values templates, imports and exports write.
SOURCE_QUALITY_NAMES: dict[str, str] = {
    "official": N_("官方发布"),
    "media": N_("媒体报道"),
    "aggregator": N_("汇编网站"),
    "repost": N_("转载"),
}
LINKABLE_SOURCE_QUALITIES: frozenset[str] = frozenset({"official", "media", "aggregator"})

PRECISION_LABELS: dict[str, str] = {
    "point": N_("精确位置"),
    "county": N_("县级示意位置"),
    "counties": N_("跨县区域示意位置"),
    "prefecture": N_("市州级示意位置"),
}

# How far a product's area (its protection scope) reaches, as far as its sources say:
# one county; a scope of several named counties; or only the prefecture (the whole of it,
# or a part the source does not name).  ``area_adcodes`` always lists county adcodes.
AREA_COUNTY = "county"
AREA_COUNTIES = "counties"
AREA_PREFECTURE = "prefecture"
AREA_LEVELS: tuple[str, ...] = (AREA_COUNTY, AREA_COUNTIES, AREA_PREFECTURE)
AREA_SEPARATOR = " "

SITE_TYPES: tuple[str, ...] = (
    N_("省级地标+文旅样板"),
    N_("主题景区"),
    N_("休闲驿站"),
    N_("文创美食品鉴馆"),
    N_("销售平台"),
    N_("研学基地"),
)
# Work-plan targets for 2026 (工作要点 item 20–21).
SITE_TARGETS: dict[str, int] = {
    N_("省级地标+文旅样板"): 10,
    N_("主题景区"): 100,
    N_("休闲驿站"): 100,
    N_("文创美食品鉴馆"): 100,
    N_("销售平台"): 100,
    N_("研学基地"): 100,
}

OUTPUT_TARGET_2026_YI_YUAN = 1100.0
BRAND_VALUE_METRIC_MARK = "品牌价值"  # not UI: matched inside metric names

PRODUCT_COLUMNS: tuple[str, ...] = (
    "name",
    "category",
    "gi_type",
    "gi_types",
    "family",
    "registration_number",
    "chain",
    "chain_basis",
    "prefecture_adcode",
    "prefecture",
    "county_adcode",
    "county",
    "lon",
    "lat",
    "precision",
    "area_level",
    "area_adcodes",
    "scope_note",
    "year",
    "note",
    "confidence",
    "source_url",
    "other_source_urls",
    "source_quality",
)
# Details of a product's registrations other than its own row's (primary) one, e.g. the
# certification-trademark number of a product registered first as a protected product.
REGISTRATION_COLUMNS: tuple[str, ...] = ("product", "gi_type", "number", "year", "note")
ZONE_COLUMNS: tuple[str, ...] = (
    "name",
    "level",
    "product",
    "prefecture_adcode",
    "prefecture",
    "county_adcode",
    "county",
    "year",
    "status",
    "note",
    "confidence",
    "source_url",
    "other_source_urls",
    "source_quality",
)
SITE_COLUMNS: tuple[str, ...] = (
    "name",
    "site_type",
    "products",
    "prefecture_adcode",
    "prefecture",
    "county_adcode",
    "county",
    "place",
    "lon",
    "lat",
    "precision",
    "status",
    "note",
    "confidence",
    "sources",
)
OUTPUT_COLUMNS: tuple[str, ...] = (
    "subject",
    "product",
    "region_adcode",
    "region",
    "year",
    "metric",
    "value",
    "value_text",
    "scope",
    "note",
    "confidence",
    "source_url",
    "other_source_urls",
    "source_quality",
    "is_demo",
)
