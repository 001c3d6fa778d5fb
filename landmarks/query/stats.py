"""Headline figures for the overview: counts by type and chain, zones, sites, output."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from landmarks.data.chains import chain_names
from landmarks.data.model import (
    AREA_COUNTY,
    BRAND_VALUE_METRIC_MARK,
    GI_TYPES,
    SITE_TARGETS,
)
from landmarks.data.records import region_total
from landmarks.i18n import N_, t
from landmarks.query.areas import COUNTY_COUNT_RULE
from landmarks.query.families import main_rows, type_label
from landmarks.query.filters import zone_products
from landmarks.query.labels import without_remarks

PROVINCE_GI_SUBJECT_MARK = "全省地理标志"  # not UI: subject prefix in the data

# The rules behind the counts, said next to every count shown.
PRODUCT_RULE = N_("按产品计：同一产品的多个登记（一品多标）合并为一项")
NAME_RULE = N_("按登记名称计：每个登记名称一项，一品多标的各名称分别计")
# GI_TYPE_UNKNOWN (类型待核实) is named in the text.
GI_TYPE_RULE = N_(
    "按登记名称计，每个登记名称按其主要地理标志类型计一次；类型待核实单列，不计入任何类型"
)


@dataclass(frozen=True)
class OutputFigure:
    year: int | None
    value_text: str
    metric: str
    scope: str  # maintainers' remarks removed
    confidence: str
    is_demo: bool


def count_by(frame: pd.DataFrame, column: str, order: tuple[str, ...]) -> pd.Series:
    """Counts in a fixed order (zeros kept) so charts and tables stay comparable."""
    counts = frame[column].value_counts()
    extra = [value for value in counts.index if value not in order]
    return counts.reindex([*order, *extra], fill_value=0).astype(int)


def products_by_gi_type(products: pd.DataFrame) -> pd.Series:
    """Registered names per primary type (``GI_TYPE_RULE``); 类型待核实 is a value of its
    own, in no type's count."""
    primary = products.assign(gi_type=products["gi_type"].map(type_label))
    return count_by(primary, "gi_type", GI_TYPES)


def products_by_chain(products: pd.DataFrame) -> pd.Series:
    """Products per chain, a family of registrations (一品多标) once (``PRODUCT_RULE``);
    per category (the region's groups: ``chain_names``) where the region has no chains."""
    return count_by(one_per_family(products), "chain", chain_names())


def one_per_family(products: pd.DataFrame) -> pd.DataFrame:
    """Each family's main row (the row named as the family, else its first)."""
    return main_rows(products)


def family_count(products: pd.DataFrame) -> int:
    """Products as users count them: a family of registrations (一品多标) once."""
    return int(products["family"].nunique())


def national_zones(zones: pd.DataFrame) -> pd.DataFrame:
    """Zones of the CNIPA system (国家知识产权局), the work plan's 国家地理标志保护示范区."""
    return zones[zones["level"].str.contains("国家知识产权局", regex=False)]  # not UI: data


def national_zones_by_county(zones: pd.DataFrame) -> dict[str, str]:
    """County adcode → the names of its national demonstration zones ('；'-joined)."""
    grouped = national_zones(zones).groupby("county_adcode")["name"].agg(t("；").join)
    return {str(adcode): str(names) for adcode, names in grouped.items()}


def chains_present(products: pd.DataFrame) -> list[str]:
    """The chains that have products, in the chains' order."""
    return [str(name) for name, count in products_by_chain(products).items() if count]


def sites_against_targets(sites: pd.DataFrame) -> pd.DataFrame:
    counts = sites["site_type"].value_counts()
    return pd.DataFrame(
        {
            "site_type": list(SITE_TARGETS),
            "count": [int(counts.get(kind, 0)) for kind in SITE_TARGETS],
            "target": list(SITE_TARGETS.values()),
        }
    )


def latest_province_output(outputs: pd.DataFrame) -> OutputFigure | None:
    """The newest province-wide GI output figure that is an actual, not a target."""
    rows = outputs[
        (outputs["region_adcode"] == region_total()[0])
        & outputs["subject"].str.startswith(PROVINCE_GI_SUBJECT_MARK)
        & ~outputs["metric"].str.contains("目标", regex=False)  # not UI: data word
        & ~outputs["metric"].str.contains(BRAND_VALUE_METRIC_MARK, regex=False)
        & outputs["year"].notna()
    ].sort_values("year")
    if rows.empty:
        return None
    row = rows.iloc[-1]
    return OutputFigure(
        year=int(row["year"]),
        value_text=row["value_text"],
        metric=row["metric"],
        scope=without_remarks(row["scope"]),
        confidence=row["confidence"],
        is_demo=bool(row["is_demo"]),
    )


@dataclass(frozen=True)
class ResultFigures:
    """Headline figures of a filtered product list, each with its rule."""

    shown: int  # products (families) with a row in the result
    total: int  # products (families) in the data
    names: int  # registered names (product rows) in the result
    counties: int  # counties credited with a shown county-level product
    with_zone: int  # shown products (families) that have a demonstration zone
    chains: int

    product_rule: ClassVar[str] = PRODUCT_RULE
    county_rule: ClassVar[str] = COUNTY_COUNT_RULE


def result_figures(
    shown: pd.DataFrame, products: pd.DataFrame, zones: pd.DataFrame
) -> ResultFigures:
    own = shown[(shown["area_level"] == AREA_COUNTY) & (shown["county_adcode"] != "")]
    return ResultFigures(
        shown=family_count(shown),
        total=family_count(products),
        names=len(shown),
        counties=int(own["county_adcode"].nunique()),
        with_zone=int(shown.loc[shown["name"].isin(zone_products(zones)), "family"].nunique()),
        chains=int(shown["chain"].nunique()),
    )
