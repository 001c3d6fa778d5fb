"""Output value (产值) by county: the figures held, joined to counties, for maps and charts.

The outputs table holds figures of every kind: province totals, a product's published
figures (each with its own metric and scope), brand values (品牌价值, never output and
never added to it), targets, and county totals imported by staff (``region_adcode`` a
county, the subject 某某县地理标志产品).  Only county totals are mapped by county; a
product's figure is not its county's total, since its scope differs from one report to
the next.

``join_figures`` places every row: at a county (by adcode, else by its name as users
write it: short, full or old names), a prefecture, the province or the nation, or
nowhere, with the reason and the nearest names, and says what each row is used for.
``county_figures`` then gives the county totals of output, and fills each (year, metric)
that has none with the demonstration table (``landmarks.data.demo_outputs``, 示例数据).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from landmarks import i18n
from landmarks.data.model import (
    AREA_COUNTY,
    BRAND_VALUE_METRIC_MARK,
    OUTPUT_TARGET_2026_YI_YUAN,
    SOURCE_QUALITY_LABELS,
)
from landmarks.data.records import REGION_TOTAL_SUBJECT, region_total
from landmarks.data.regions import RegionNotFoundError, Regions
from landmarks.i18n import N_, t
from landmarks.query.labels import confidence_label, source_type_label, without_remarks
from landmarks.query.provenance import linkable_url, site_name
from landmarks.query.stats import PROVINCE_GI_SUBJECT_MARK

DEMO_LABEL = N_("示例数据")
UNIT_YI_YUAN = N_("亿元")

# What is mapped: output value, GI products, GI products per 10,000 km².
MEASURE_OUTPUT = "output"
MEASURE_COUNT = "count"
MEASURE_DENSITY = "density"
MEASURES: dict[str, str] = {
    MEASURE_OUTPUT: N_("地理标志产品产值"),
    MEASURE_COUNT: N_("地理标志产品数"),
    MEASURE_DENSITY: N_("每万平方公里地理标志产品数"),
}
MEASURE_UNITS: dict[str, str] = {
    MEASURE_OUTPUT: UNIT_YI_YUAN,
    MEASURE_COUNT: N_("个"),
    MEASURE_DENSITY: N_("个/万平方公里"),
}
LEVEL_COUNTY = "county"
LEVEL_PREFECTURE = "prefecture"
LEVELS: dict[str, str] = {LEVEL_COUNTY: N_("县市区"), LEVEL_PREFECTURE: N_("市州合计")}
LEVEL_UNITS: dict[str, str] = {LEVEL_COUNTY: N_("个县"), LEVEL_PREFECTURE: N_("个市州")}
# The count metrics' last year option: every product, those without a year included.
ALL_YEARS = N_("全部")
COUNT_RULE = {
    LEVEL_COUNTY: N_("按本县产品计：只计保护范围为单个县的产品，一品多标计一次"),
    LEVEL_PREFECTURE: N_("按市州计：该市州的全部产品（含跨县和全市范围），一品多标计一次"),
}

# Equal-area projection for Hubei (Albers conic, standard parallels 29.5°N and 33°N).
EQUAL_AREA_CRS = "+proj=aea +lat_0=31 +lon_0=112 +lat_1=29.5 +lat_2=33 +datum=WGS84 +units=m"
DENSITY_AREA_KM2 = 10_000.0

# Words that make a figure a round or bounded one: 超1000, 近200, 突破750, 10余, 3以上.
APPROXIMATE_MARKS: tuple[str, ...] = (  # not UI: words in data
    "超",
    "近",
    "接近",
    "突破",
    "过",
    "约",
    "逾",
    "余",
    "多",
    "以上",
)

# Where a held figure sits.
PLACE_COUNTY = N_("县市区")
PLACE_PREFECTURE = N_("市州")
PLACE_PROVINCE = N_("全省")
PLACE_NATION = N_("全国")
PLACE_UNKNOWN = N_("未识别")

KIND_OUTPUT = N_("产值")
KIND_BRAND = N_("品牌价值（非产值）")
KIND_TARGET = N_("目标值")

# What a held figure is used for (``join_figures``'s ``use``).
USE_MAP = N_("县级产值：用于产值地图")
_PRODUCT_SPLIT = re.compile(r"[(（/、]")  # not UI: pattern


def is_brand_value(metric: str) -> bool:
    return BRAND_VALUE_METRIC_MARK in str(metric)


def is_target(metric: str) -> bool:
    return "目标" in str(metric)  # not UI: word in the data


def figure_kind(metric: str) -> str:
    if is_brand_value(metric):
        return KIND_BRAND
    if is_target(metric):
        return KIND_TARGET
    return KIND_OUTPUT


def is_approximate(value_text: str) -> bool:
    """Whether the figure was published as a round or bounded number (超, 近, 突破…)."""
    return any(mark in str(value_text) for mark in APPROXIMATE_MARKS)


def _years(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype("Int64")


def value_label(value: float, unit: str = "") -> str:
    """A number as users read it: at most two decimals, no trailing zeros."""
    if value is None or pd.isna(value):
        return t("无数据")
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip()


def source_text(url: str, source_type: str, is_demo: bool) -> str:
    """The source as a tooltip says it: the site and its type, never an id."""
    if is_demo:
        return t("示例数据（非真实统计）")
    shown = linkable_url(url, source_type)
    kind = source_type_label(source_type) if source_type else t("未注明")
    if shown:
        return t("{site}（{kind}）", site=i18n.name(site_name(shown)), kind=kind)
    if "链接" in SOURCE_QUALITY_LABELS.get(source_type, source_type):  # not UI: label says so
        return kind
    return t("{kind}，未提供链接", kind=kind)


# --------------------------------------------------------------------------- joins


@dataclass(frozen=True)
class Resolution:
    """A county found for a row (``adcode``), how, or why not and the nearest names."""

    adcode: str
    how: str = ""
    reason: str = ""
    suggestions: tuple[str, ...] = ()


def resolve_county(adcode: str, name: str, prefecture: str, regions: Regions) -> Resolution:
    """The county of a row: by its adcode when the boundaries know it, else by its name
    (short, full, old, or prefixed with the prefecture), checked against ``prefecture``."""
    code = str(adcode or "").strip()
    try:
        return Resolution(regions.county_by_adcode(code).adcode, t("行政区划代码"))
    except KeyError:
        pass
    text = str(name or "").strip()
    if not text:
        return Resolution(
            "", reason=t("行政区划代码“{code}”不是县级代码，且未填县市区名称", code=code)
        )
    try:
        county = regions.county(text, prefecture or None)
    except RegionNotFoundError as error:
        reason = re.split(r"[。.] ", str(error) + " ")[0]  # not UI: first sentence
        return Resolution("", reason=reason, suggestions=tuple(error.candidates))
    return Resolution(county.adcode, t("名称（简称、全称或旧称）"))


def nearest_names(text: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """The product names closest to ``text`` (its first part, before brackets or '/')."""
    base = _PRODUCT_SPLIT.split(str(text), maxsplit=1)[0].strip()
    pool = list(dict.fromkeys(names))
    close = difflib.get_close_matches(base, pool, n=limit, cutoff=0.4)
    close += [name for name in pool if base and len(base) >= 2 and (base in name or name in base)]
    return list(dict.fromkeys(close))[:limit]


def _is_region_total(subject: str, product: str) -> bool:
    return not product and str(subject).endswith(REGION_TOTAL_SUBJECT)


def _is_prefecture(text: str, regions: Regions) -> bool:
    try:
        regions.prefecture(text)
    except RegionNotFoundError:
        return False
    return True


def _place(row: pd.Series, regions: Regions) -> tuple[str, Resolution]:
    """(place, resolution) of an outputs row; the resolution names the county, if any.

    The adcode decides when the boundaries know it; otherwise the region's name does (a
    county's short, full or old name; a prefecture's name)."""
    code, region = str(row["region_adcode"]).strip(), str(row["region"]).strip()
    if code == region_total(regions.region)[0]:
        return PLACE_PROVINCE, Resolution("")
    if not code and region == PLACE_NATION:
        return PLACE_NATION, Resolution("")
    if regions.names_county(code):
        return PLACE_COUNTY, resolve_county(code, region, "", regions)
    if code and _is_prefecture(code, regions):
        return PLACE_PREFECTURE, Resolution("")
    if region and _is_prefecture(region, regions) and not regions.names_county(region):
        return PLACE_PREFECTURE, Resolution("")
    found = resolve_county(code, region, "", regions)
    return (PLACE_COUNTY if found.adcode else PLACE_UNKNOWN), found


def _use(row: pd.Series, place: str, found: Resolution, names: Collection[str]) -> str:
    """What the row is used for, or why the output map does not use it."""
    if place == PLACE_UNKNOWN:
        region = found.reason or i18n.name(str(row["region"]))
        if found.suggestions:
            return t(
                "地区未能识别：{region}；最接近：{names}",
                region=region,
                names=i18n.names(found.suggestions),
            )
        return t("地区未能识别：{region}", region=region)
    kind = figure_kind(row["metric"])
    if kind == KIND_BRAND:
        return t("品牌价值，不是产值：不计入产值，也不与产值相加")
    if kind == KIND_TARGET:
        return t("目标值，不是实际数字：见目标进度")
    if place in (PLACE_PROVINCE, PLACE_NATION):
        return t("{place}数字：见目标进度", place=t(place))
    if pd.isna(row["value"]):
        return t("数值无法识别")
    if place == PLACE_PREFECTURE:
        return t("市州级数字：地图的市州合计由各县数字相加，不使用此数")
    if not _is_region_total(row["subject"], row["product"]):
        if not row["product"]:
            nearest = nearest_names(row["subject"], names)
            product = i18n.name(str(row["subject"]))
            if nearest:
                return t(
                    "产品“{product}”不在产品表中；最接近：{names}",
                    product=product,
                    names=i18n.names(nearest),
                )
            return t("产品“{product}”不在产品表中", product=product)
        return t("单个产品的公开数字（口径各异），不是县合计：见产品公开数字")
    if pd.isna(row["year"]):
        return t("未注明年份：不能放入某一年的地图")
    return t(USE_MAP)


def join_figures(
    outputs: pd.DataFrame, regions: Regions, product_names: Collection[str]
) -> pd.DataFrame:
    """Every held figure with its place (``place``, ``county_adcode``), how its county was
    found (``joined_by``), its kind and what it is used for (``use``; ``mapped`` when it is
    a county total of output the map can show).  Duplicates of a county, year and metric
    after the first are marked as such."""
    frame = outputs.reset_index(drop=True).copy()
    frame["year"] = _years(frame["year"])
    places, codes, hows, uses = [], [], [], []
    for _, row in frame.iterrows():
        place, found = _place(row, regions)
        places.append(place)
        codes.append(found.adcode if place == PLACE_COUNTY else "")
        hows.append(found.how if place == PLACE_COUNTY else "")
        uses.append(_use(row, place, found, product_names))
    frame["place"], frame["county_adcode"], frame["joined_by"], frame["use"] = (
        places,
        codes,
        hows,
        uses,
    )
    frame["kind"] = frame["metric"].map(figure_kind)
    mapped = frame["use"] == t(USE_MAP)
    duplicated = mapped & frame.duplicated(["county_adcode", "year", "metric", "is_demo"])
    frame.loc[duplicated, "use"] = t("同一县同年同指标已有一条数字：未重复计入")
    frame["mapped"] = mapped & ~duplicated
    return frame


# ------------------------------------------------------------------ county figures

FIGURE_COLUMNS: tuple[str, ...] = (
    "adcode", "county", "prefecture_adcode", "prefecture", "year", "metric", "value",
    "value_text", "approximate", "scope", "source", "confidence", "is_demo",
)  # fmt: skip


def _county_rows(joined: pd.DataFrame, regions: Regions) -> pd.DataFrame:
    rows = joined[joined["mapped"]]
    counties = [regions.county_by_adcode(code) for code in rows["county_adcode"]]
    return pd.DataFrame(
        {
            "adcode": rows["county_adcode"].to_numpy(),
            "county": [c.name for c in counties],
            "prefecture_adcode": [c.prefecture_adcode for c in counties],
            "prefecture": [c.prefecture for c in counties],
            "year": rows["year"].astype(int).to_numpy(),
            "metric": rows["metric"].to_numpy(),
            "value": rows["value"].astype(float).to_numpy(),
            "value_text": rows["value_text"].to_numpy(),
            "approximate": rows["value_text"].map(is_approximate).to_numpy(dtype=bool),
            "scope": rows["scope"].map(without_remarks).to_numpy(),
            "source": [
                source_text(url, kind, bool(demo))
                for url, kind, demo in zip(
                    rows["source_url"], rows["source_quality"], rows["is_demo"], strict=True
                )
            ],
            "confidence": rows["confidence"].map(confidence_label).to_numpy(),
            "is_demo": rows["is_demo"].astype(bool).to_numpy(),
        },
        columns=list(FIGURE_COLUMNS),
    )


def county_figures(joined: pd.DataFrame, demo: pd.DataFrame, regions: Regions) -> pd.DataFrame:
    """County totals of output: the real ones, and demonstration ones (the generated
    ``demo`` table and rows imported as 示意数据) only for a (year, metric) without any real
    county figure.  A real figure always replaces the whole demonstration year and metric,
    so a map never mixes the two."""
    held = _county_rows(joined, regions)
    generated = _county_rows(join_figures(demo, regions, ()), regions) if len(demo) else held[:0]
    real = held[~held["is_demo"]]
    shown_demo = pd.concat([held[held["is_demo"]], generated], ignore_index=True)
    shown_demo = shown_demo.drop_duplicates(["adcode", "year", "metric"])
    real_pairs = set(zip(real["year"], real["metric"], strict=True))
    keep = [
        (year, metric) not in real_pairs
        for year, metric in zip(shown_demo["year"], shown_demo["metric"], strict=True)
    ]
    figures = pd.concat([real, shown_demo[keep]], ignore_index=True)
    return figures.sort_values(["metric", "year", "adcode"]).reset_index(drop=True)


def metrics_of(figures: pd.DataFrame) -> list[str]:
    """Output metrics with county figures, the most common first (年产值 leads on ties)."""
    counts = figures.groupby("metric").size().sort_values(ascending=False, kind="stable")
    return sorted(counts.index, key=lambda m: (-int(counts[m]), m != "年产值", m))  # not UI


def years_of(figures: pd.DataFrame, metric: str) -> list[int]:
    return sorted(int(y) for y in figures.loc[figures["metric"] == metric, "year"].unique())


def count_years(products: pd.DataFrame) -> list[str]:
    """Year options of the count metrics: each approval year, then 全部 (undated too)."""
    years = _years(products["year"]).dropna()
    if years.empty:
        return [ALL_YEARS]
    return [str(y) for y in range(int(years.min()), int(years.max()) + 1)] + [ALL_YEARS]


# ----------------------------------------------------------------------- map values

VALUE_COLUMNS: tuple[str, ...] = (
    "name", "prefecture", "value", "value_text", "approximate", "rank", "scope", "source",
    "is_demo", "detail",
)  # fmt: skip


@dataclass(frozen=True)
class MapValues:
    """One value per unit (county or prefecture adcode; NaN where there is none)."""

    table: pd.DataFrame  # indexed by unit adcode, ``VALUE_COLUMNS``
    measure: str
    level: str
    year_label: str  # '2023' or '全部'
    metric: str  # the output metric, or the measure's label
    unit: str
    is_demo: bool
    rule: str  # how the values were counted or summed

    @property
    def with_value(self) -> int:
        return int(self.table["value"].notna().sum())

    @property
    def without_value(self) -> int:
        return int(self.table["value"].isna().sum())


def _ranked(table: pd.DataFrame) -> pd.DataFrame:
    ranks = table["value"].rank(ascending=False, method="min")
    total = int(table["value"].notna().sum())
    table["rank"] = [
        t("第 {rank} / {total} 名", rank=int(r), total=total) if not pd.isna(r) else ""
        for r in ranks.to_numpy()
    ]
    return table


def _units(regions: Regions, level: str) -> pd.DataFrame:
    if level == LEVEL_PREFECTURE:
        return pd.DataFrame(
            {"name": [p.name for p in regions.prefecture_list], "prefecture": ""},
            index=pd.Index([p.adcode for p in regions.prefecture_list], name="adcode"),
        )
    counties = regions.county_list
    return pd.DataFrame(
        {"name": [c.name for c in counties], "prefecture": [c.prefecture for c in counties]},
        index=pd.Index([c.adcode for c in counties], name="adcode"),
    )


def _empty_table(regions: Regions, level: str) -> pd.DataFrame:
    table = _units(regions, level)
    table["value"] = np.nan
    table["value_text"] = ""
    table["approximate"] = False
    table["scope"] = ""
    table["source"] = ""
    table["is_demo"] = False
    table["detail"] = ""
    return table


def output_values(
    figures: pd.DataFrame, metric: str, year: int, level: str, regions: Regions
) -> MapValues:
    """County totals of ``metric`` in ``year``, or their sum per prefecture."""
    chosen = figures[(figures["metric"] == metric) & (figures["year"] == year)]
    chosen = chosen.set_index("adcode")
    is_demo = bool(chosen["is_demo"].any())
    table = _empty_table(regions, level)
    if level == LEVEL_COUNTY:
        for column in ("value", "value_text", "approximate", "scope", "source", "is_demo"):
            table.loc[chosen.index, column] = chosen[column]
        rule = t("县级合计数字，按县显示")
    else:
        for prefecture in table.index:
            counties = regions.counties_of(prefecture)
            here = chosen[chosen["prefecture_adcode"] == prefecture]
            if here.empty:
                continue
            total = float(here["value"].sum())
            table.loc[prefecture, "value"] = total
            table.loc[prefecture, "approximate"] = bool(here["approximate"].any())
            table.loc[prefecture, "value_text"] = value_label(total)
            table.loc[prefecture, "is_demo"] = bool(here["is_demo"].any())
            table.loc[prefecture, "scope"] = t(
                "{held}/{counties} 个县的县级数字之和", held=len(here), counties=len(counties)
            )
            table.loc[prefecture, "source"] = t("；").join(dict.fromkeys(here["source"]))
            if len(here) < len(counties):
                table.loc[prefecture, "detail"] = t("部分县无数字，合计偏小")
        rule = t("市州合计为所辖各县数字之和（同一年、同一指标）；品牌价值不相加")
    table["approximate"] = table["approximate"].astype(bool)
    table["is_demo"] = table["is_demo"].astype(bool)
    return MapValues(
        table=_ranked(table),
        measure=MEASURE_OUTPUT,
        level=level,
        year_label=str(year),
        metric=metric,
        unit=t(UNIT_YI_YUAN),
        is_demo=is_demo,
        rule=rule,
    )


def unit_areas_km2(regions: Regions, level: str) -> pd.Series:
    """Each county's (or prefecture's) area in km², measured in an equal-area projection."""
    frame = regions.prefectures if level == LEVEL_PREFECTURE else regions.counties
    areas = frame.to_crs(EQUAL_AREA_CRS).geometry.area / 1e6
    return pd.Series(areas.to_numpy(), index=frame["adcode"].astype(str).to_numpy())


def product_counts(products: pd.DataFrame, year: str, level: str) -> pd.Series:
    """Products (families) per unit approved by ``year`` (all, undated too, for 全部)."""
    chosen = products
    if year != ALL_YEARS:
        years = _years(products["year"])
        chosen = products[years.notna() & (years <= int(year))]
    if level == LEVEL_PREFECTURE:
        return chosen.groupby("prefecture_adcode")["family"].nunique()
    own = chosen[(chosen["area_level"] == AREA_COUNTY) & (chosen["county_adcode"] != "")]
    return own.groupby("county_adcode")["family"].nunique()


def count_values(
    products: pd.DataFrame,
    regions: Regions,
    year: str,
    level: str,
    *,
    density: bool = False,
    areas: pd.Series | None = None,
) -> MapValues:
    """GI products per unit (0 where none), or per 10,000 km² with ``density``."""
    table = _empty_table(regions, level)
    counts = product_counts(products, year, level).reindex(table.index, fill_value=0)
    if year == ALL_YEARS:
        until = t("全部产品（含未注明获批年份的）")
    else:
        until = t("截至{year}年获批的产品", year=year)
    table["scope"] = t("{until}；{rule}", until=until, rule=t(COUNT_RULE[level]))
    table["source"] = t("本系统产品表")
    measure = MEASURE_COUNT
    if density:
        area = (areas if areas is not None else unit_areas_km2(regions, level)).reindex(table.index)
        table["value"] = counts / area * DENSITY_AREA_KM2
        table["value_text"] = table["value"].map(value_label)
        table["detail"] = [
            t("{count} 个产品，面积 {area} 平方公里", count=int(n), area=f"{a:,.0f}")
            for n, a in zip(counts, area, strict=True)
        ]
        measure = MEASURE_DENSITY
    else:
        table["value"] = counts.astype(float)
        table["value_text"] = counts.astype(int).astype(str)
    return MapValues(
        table=_ranked(table),
        measure=measure,
        level=level,
        year_label=t(year),
        metric=t(MEASURES[measure]),
        unit=t(MEASURE_UNITS[measure]),
        is_demo=False,
        rule=t("{rule}；面积按等积投影计算", rule=t(COUNT_RULE[level]))
        if density
        else t(COUNT_RULE[level]),
    )


# ----------------------------------------------------------------- rankings, change


def ranking(values: MapValues, n: int, top: bool = True) -> pd.DataFrame:
    """The ``n`` highest (or lowest) units with a value, with their rank."""
    shown = values.table[values.table["value"].notna()]
    shown = shown.sort_values("value", ascending=not top, kind="stable").head(n)
    return pd.DataFrame(
        {
            t("名称"): shown["name"].map(i18n.name),
            t("所属市州"): shown["prefecture"].map(i18n.name),
            t("数值（{unit}）", unit=values.unit): shown["value"].astype(float).round(2),
            t("公布值"): shown["value_text"],
            t("排名"): shown["rank"],
            t("概数"): shown["approximate"].map(lambda a: t("是") if a else ""),
            t("示例数据"): shown["is_demo"].map(lambda d: t(DEMO_LABEL) if d else ""),
        }
    ).reset_index(drop=True)


def year_change(
    figures: pd.DataFrame, metric: str, year: int, level: str, regions: Regions
) -> pd.DataFrame:
    """Change from the year before, unit by unit, where both years have a figure of the
    same kind (two real or two demonstration figures: never one of each)."""
    current = output_values(figures, metric, year, level, regions).table
    before = output_values(figures, metric, year - 1, level, regions).table
    both = current["value"].notna() & before["value"].notna()
    both &= current["is_demo"] == before["is_demo"]
    change = (current["value"] - before["value"])[both]
    table = pd.DataFrame(
        {
            t("名称"): current.loc[both, "name"].map(i18n.name),
            t("所属市州"): current.loc[both, "prefecture"].map(i18n.name),
            t("{year}年", year=year - 1): before.loc[both, "value"].astype(float).round(2),
            t("{year}年", year=year): current.loc[both, "value"].astype(float).round(2),
            t("变化（亿元）"): change.astype(float).round(2),
            t("变化率"): (change / before.loc[both, "value"])
            .astype(float)
            .map(lambda r: f"{r:+.1%}" if np.isfinite(r) else ""),
            t("示例数据"): current.loc[both, "is_demo"].map(lambda d: t(DEMO_LABEL) if d else ""),
        }
    )
    return table.sort_values(t("变化（亿元）"), ascending=False).reset_index(drop=True)


# ------------------------------------------------------------------ product series


def series_key(metric: str, scope: str) -> str:
    """The line a figure belongs to: only figures of one metric and one scope are joined."""
    scope = without_remarks(scope)
    return f"{metric}｜{scope}" if scope else str(metric)  # not UI: joins data texts


def _figure_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Published figures as the charts read them: year, subject, metric, value and its
    text, the approximate mark, scope (without remarks) and confidence label."""
    return pd.DataFrame(
        {
            "year": _years(rows["year"]),
            "subject": rows["subject"],
            "metric": rows["metric"],
            "value": rows["value"].astype(float),
            "value_text": rows["value_text"],
            "approximate": rows["value_text"].map(is_approximate).astype(bool),
            "scope": rows["scope"].map(without_remarks),
            "confidence": rows["confidence"].map(confidence_label),
        }
    )


def product_figures(outputs: pd.DataFrame, product: str) -> pd.DataFrame:
    """A product's published figures with their kind, series and approximate mark; the
    figures of a product family's own subjects (e.g. 秭归脐橙(秭归柑橘/脐橙产业)) too."""
    rows = outputs[(outputs["product"] == product) & ~outputs["is_demo"].astype(bool)]
    table = _figure_table(rows)
    table.insert(2, "kind", rows["metric"].map(figure_kind).to_numpy())
    table["source"] = [
        source_text(url, kind, False)
        for url, kind in zip(rows["source_url"], rows["source_quality"], strict=True)
    ]
    table["series"] = [
        series_key(m, s if subject == product else f"{subject}；{s}" if s else subject)  # not UI
        for m, s, subject in zip(table["metric"], table["scope"], table["subject"], strict=True)
    ]
    return table.sort_values(["kind", "series", "year"], na_position="last").reset_index(drop=True)


def products_with_figures(outputs: pd.DataFrame) -> list[str]:
    """Products with at least one published figure, the most figures first."""
    named = outputs[(outputs["product"] != "") & ~outputs["is_demo"].astype(bool)]
    counts = named["product"].value_counts()
    return [str(name) for name in counts.index]


# ------------------------------------------------------------------ target progress


@dataclass(frozen=True)
class TargetProgress:
    target: float
    target_year: int
    figures: pd.DataFrame  # year, metric, value, value_text, approximate, scope, confidence


def target_progress(outputs: pd.DataFrame) -> TargetProgress:
    """The 2026 target beside the province's real GI output figures, newest last."""
    rows = outputs[
        (outputs["region_adcode"] == region_total()[0])
        & outputs["subject"].str.startswith(PROVINCE_GI_SUBJECT_MARK)
        & (outputs["metric"].map(figure_kind) == KIND_OUTPUT)
        & ~outputs["is_demo"].astype(bool)
    ]
    figures = _figure_table(rows)
    figures = figures[figures["year"].notna()].sort_values("year").reset_index(drop=True)
    return TargetProgress(OUTPUT_TARGET_2026_YI_YUAN, 2026, figures)


def held_summary(joined: pd.DataFrame, values: MapValues | None) -> str:
    """'本图显示 N 个县的数字；共持有 M 条产值记录，其中县级产值 K 条' for the page."""
    held = len(joined)
    real = joined[~joined["is_demo"].astype(bool)]
    county = int(real["mapped"].sum())
    text = t(
        "共持有 {held} 条产值记录，其中可上图的县级产值 {county} 条。", held=held, county=county
    )
    if values is None or values.measure != MEASURE_OUTPUT:
        return text
    where = t(LEVEL_UNITS[values.level])
    if values.is_demo:
        shown = t(
            "本图显示 {count} {units}的数字（示例数据）；", count=values.with_value, units=where
        )
    else:
        shown = t("本图显示 {count} {units}的数字；", count=values.with_value, units=where)
    return shown + text
