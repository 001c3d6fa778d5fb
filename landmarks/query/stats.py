"""Headline figures for the overview: counts by type and chain, zones, sites, output."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from landmarks.data.chains import CHAIN_NAMES
from landmarks.data.model import (
    BRAND_VALUE_METRIC_MARK,
    GI_TYPES,
    SITE_TARGETS,
)
from landmarks.data.records import PROVINCE_ADCODE
from landmarks.query.filters import zone_products
from landmarks.query.labels import without_remarks

PROVINCE_GI_SUBJECT_MARK = "全省地理标志"


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
    return count_by(products, "gi_type", GI_TYPES)


def products_by_chain(products: pd.DataFrame) -> pd.Series:
    return count_by(products, "chain", CHAIN_NAMES)


def national_zones(zones: pd.DataFrame) -> pd.DataFrame:
    """Zones of the CNIPA system (国家知识产权局), the work plan's 国家地理标志保护示范区."""
    return zones[zones["level"].str.contains("国家知识产权局", regex=False)]


def national_zones_by_county(zones: pd.DataFrame) -> dict[str, str]:
    """County adcode → the names of its national demonstration zones ('；'-joined)."""
    grouped = national_zones(zones).groupby("county_adcode")["name"].agg("；".join)
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
        (outputs["region_adcode"] == PROVINCE_ADCODE)
        & outputs["subject"].str.startswith(PROVINCE_GI_SUBJECT_MARK)
        & ~outputs["metric"].str.contains("目标", regex=False)
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
    """Headline figures of a filtered product list."""

    shown: int
    total: int
    counties: int  # counties credited with a shown product (county-level products only)
    with_zone: int  # shown products that have a demonstration zone
    chains: int


def result_figures(
    shown: pd.DataFrame, products: pd.DataFrame, zones: pd.DataFrame
) -> ResultFigures:
    return ResultFigures(
        shown=len(shown),
        total=len(products),
        counties=int(shown.loc[shown["county_adcode"] != "", "county_adcode"].nunique()),
        with_zone=int(shown["name"].isin(zone_products(zones)).sum()),
        chains=int(shown["chain"].nunique()),
    )
