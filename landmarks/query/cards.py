"""Content of the explorer's product and county cards, assembled as plain data.

The page only lays these out.  Every rule about what may be shown lives here: source
links only where ``provenance.linkable_url`` allows (repost links never), labelled by
site and never by source id; brand values labelled as such; demonstration figures
flagged 示例数据; maintainers' remarks kept apart (``maintainer_note``) or removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from landmarks.data.chains import CHAIN_NAMES, CHAINS
from landmarks.data.model import BRAND_VALUE_METRIC_MARK, GI_TYPES_SEPARATOR
from landmarks.query.labels import (
    confidence_label,
    precision_label,
    source_type_label,
    without_remarks,
)
from landmarks.query.provenance import link_column, linkable_url, linkable_urls, source_label

DEMO_LABEL = "示例数据"
OUTPUT_KIND = "产值/销售额"
BRAND_VALUE_KIND = "品牌价值（非产值）"
TARGET_KIND = "目标值"
_SOURCE_ID = re.compile(r"\bS\d{1,4}\b")
_CHAIN_NOTES = {chain.name: chain.note for chain in CHAINS if not chain.verified}


@dataclass(frozen=True)
class SourceLink:
    label: str
    url: str


@dataclass(frozen=True, eq=False)
class ProductCard:
    name: str
    category: str
    gi_type: str
    gi_types: tuple[str, ...]
    chain: str
    chain_basis: str
    chain_caveat: str
    prefecture: str
    county: str
    county_adcode: str
    year: int | None
    confidence: str
    confidence_label: str
    precision_label: str
    source_type_label: str
    sources: tuple[SourceLink, ...]
    maintainer_note: str  # research remarks: shown only under 维护说明
    zones: pd.DataFrame
    sites: pd.DataFrame
    outputs: pd.DataFrame


@dataclass(frozen=True, eq=False)
class CountyCard:
    adcode: str
    name: str
    prefecture: str
    product_count: int
    products_by_chain: tuple[tuple[str, tuple[str, ...]], ...]
    prefecture_wide: tuple[str, ...]  # products known only for the whole prefecture
    zones: pd.DataFrame
    sites: pd.DataFrame
    outputs: pd.DataFrame


def source_links(
    source_url: str,
    other_urls: str,
    source_type: str,
    note: str = "",
    sources: pd.DataFrame | None = None,
) -> tuple[SourceLink, ...]:
    """Links to a record's sources, including those its note cites by id, numbered in order
    and labelled by site (the ids themselves are maintainers' material)."""
    found: dict[str, str] = {}
    for url in [linkable_url(source_url, source_type), *linkable_urls(other_urls, source_type)]:
        if url:
            found.setdefault(url, source_type)
    if sources is not None and note:
        cited = sources[sources["source_id"].isin(_SOURCE_ID.findall(note))]
        for url, cited_type in zip(cited["url"], cited["source_quality"], strict=True):
            shown = linkable_url(url, str(cited_type))
            if shown:
                found.setdefault(shown, str(cited_type))
    return tuple(
        SourceLink(source_label(position, url, kind), url)
        for position, (url, kind) in enumerate(found.items(), start=1)
    )


def output_kind(metric: str) -> str:
    if BRAND_VALUE_METRIC_MARK in metric:
        return BRAND_VALUE_KIND
    if "目标" in metric:
        return TARGET_KIND
    return OUTPUT_KIND


def output_table(outputs: pd.DataFrame) -> pd.DataFrame:
    """Published figures by year, each labelled with its kind, trust and demo status."""
    table = pd.DataFrame(
        {
            "year": outputs["year"].astype("Int64"),
            "subject": outputs["subject"],
            "region": outputs["region"],
            "kind": outputs["metric"].map(output_kind),
            "metric": outputs["metric"],
            "value": outputs["value"].astype(float),
            "value_text": outputs["value_text"],
            "scope": outputs["scope"].map(without_remarks),
            "confidence": outputs["confidence"].map(confidence_label),
            "source": link_column(outputs["source_url"], outputs["source_quality"]),
            "demo": outputs["is_demo"].map(lambda d: DEMO_LABEL if d else ""),
        }
    )
    return table.sort_values(["kind", "year"], na_position="last").reset_index(drop=True)


def zone_table(zones: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": zones["name"],
            "level": zones["level"],
            "status": zones["status"].map(without_remarks),
            "year": zones["year"].astype("Int64"),
            "confidence": zones["confidence"].map(confidence_label),
            "source": link_column(zones["source_url"], zones["source_quality"]),
        }
    ).reset_index(drop=True)


def site_table(sites: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": sites["name"],
            "site_type": sites["site_type"],
            "products": sites["products"],
            "place": (sites["county"] + " " + sites["place"].map(without_remarks)).str.strip(),
            "status": sites["status"].map(without_remarks),
            "precision": sites["precision"].map(precision_label),
        }
    ).reset_index(drop=True)


def _sites_of(sites: pd.DataFrame, product: str) -> pd.DataFrame:
    return sites[sites["products"].fillna("").str.split().map(lambda names: product in names)]


def product_card(
    name: str,
    *,
    products: pd.DataFrame,
    zones: pd.DataFrame,
    sites: pd.DataFrame,
    outputs: pd.DataFrame,
    sources: pd.DataFrame,
) -> ProductCard:
    """Everything the product card shows; ``KeyError`` if the product does not exist."""
    rows = products[products["name"] == name]
    if rows.empty:
        raise KeyError(name)
    p = rows.iloc[0]
    year = p["year"]
    return ProductCard(
        name=p["name"],
        category=p["category"],
        gi_type=p["gi_type"],
        gi_types=tuple(t for t in str(p["gi_types"]).split(GI_TYPES_SEPARATOR) if t),
        chain=p["chain"],
        chain_basis=p["chain_basis"],
        chain_caveat=_CHAIN_NOTES.get(p["chain"], ""),
        prefecture=p["prefecture"],
        county=p["county"],
        county_adcode=p["county_adcode"],
        year=None if pd.isna(year) else int(year),
        confidence=p["confidence"],
        confidence_label=confidence_label(p["confidence"]),
        precision_label=precision_label(p["precision"]),
        source_type_label=source_type_label(p["source_quality"]),
        sources=source_links(
            p["source_url"], p["other_source_urls"], p["source_quality"], p["note"], sources
        ),
        maintainer_note=p["note"],
        zones=zone_table(zones[zones["product"] == name]),
        sites=site_table(_sites_of(sites, name)),
        outputs=output_table(outputs[outputs["product"] == name]),
    )


def county_card(
    adcode: str,
    name: str,
    prefecture: str,
    prefecture_adcode: str,
    *,
    products: pd.DataFrame,
    zones: pd.DataFrame,
    sites: pd.DataFrame,
    outputs: pd.DataFrame,
) -> CountyCard:
    """A county's GIs grouped by chain (chain order), zones, sites and output figures."""
    own = products[products["county_adcode"] == adcode]
    by_chain = own.groupby("chain", sort=False)["name"].agg(tuple)
    order = [*CHAIN_NAMES, *(c for c in by_chain.index if c not in CHAIN_NAMES)]
    wide = products[
        (products["county_adcode"] == "") & (products["prefecture_adcode"] == prefecture_adcode)
    ]
    figures = outputs[
        (outputs["region_adcode"] == adcode) | outputs["product"].isin(set(own["name"]))
    ]
    return CountyCard(
        adcode=adcode,
        name=name,
        prefecture=prefecture,
        product_count=len(own),
        products_by_chain=tuple((c, by_chain[c]) for c in order if c in by_chain.index),
        prefecture_wide=tuple(wide["name"]),
        zones=zone_table(zones[zones["county_adcode"] == adcode]),
        sites=site_table(sites[sites["county_adcode"] == adcode]),
        outputs=output_table(figures),
    )
