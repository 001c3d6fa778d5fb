"""Content of the explorer's product and county cards, assembled as plain data.

The page only lays these out.  Every rule about what may be shown lives here: source
links only for linkable source types and real http(s) URLs (repost links never), brand
values labelled as such, demonstration figures flagged 示例数据.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd

from landmarks.data.chains import CHAIN_NAMES, CHAINS
from landmarks.data.model import (
    BRAND_VALUE_METRIC_MARK,
    CONFIDENCE_LABELS,
    GI_TYPES_SEPARATOR,
    LINKABLE_SOURCE_QUALITIES,
    PRECISION_LABELS,
    SOURCE_QUALITY_LABELS,
)

DEMO_LABEL = "示例数据"
OUTPUT_KIND = "产值/销售额"
BRAND_VALUE_KIND = "品牌价值（非产值）"
TARGET_KIND = "目标值"
URL_PATTERN = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
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
    note: str
    confidence: str
    confidence_label: str
    precision_label: str
    source_quality_label: str
    sources: tuple[SourceLink, ...]
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


def linkable_url(url: str, source_quality: str) -> str:
    """The URL if it may be shown as a link, else ''."""
    url = str(url or "").strip()
    if source_quality not in LINKABLE_SOURCE_QUALITIES or not URL_PATTERN.fullmatch(url):
        return ""
    return url


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def source_links(
    source_url: str,
    other_urls: str,
    source_quality: str,
    note: str = "",
    sources: pd.DataFrame | None = None,
) -> tuple[SourceLink, ...]:
    """Links to a record's sources, including the S-ids its note cites."""
    found: dict[str, str] = {}
    kind = SOURCE_QUALITY_LABELS.get(source_quality, source_quality)
    for url in [source_url, *str(other_urls or "").split("|")]:
        shown = linkable_url(url, source_quality)
        if shown:
            found.setdefault(shown, f"{_host(shown)}（{kind}）")
    if sources is not None and note:
        cited = sources[sources["source_id"].isin(_SOURCE_ID.findall(note))]
        for row in cited.itertuples():
            shown = linkable_url(row.url, row.source_quality)
            if shown:
                label = SOURCE_QUALITY_LABELS.get(row.source_quality, row.source_quality)
                found.setdefault(shown, f"{row.source_id} · {_host(shown)}（{label}）")
    return tuple(SourceLink(label, url) for url, label in found.items())


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
            "scope": outputs["scope"],
            "confidence": outputs["confidence"].map(lambda c: CONFIDENCE_LABELS.get(c, c)),
            "source": [
                linkable_url(url, quality)
                for url, quality in zip(
                    outputs["source_url"], outputs["source_quality"], strict=True
                )
            ],
            "demo": outputs["is_demo"].map(lambda d: DEMO_LABEL if d else ""),
        }
    )
    return table.sort_values(["kind", "year"], na_position="last").reset_index(drop=True)


def zone_table(zones: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": zones["name"],
            "level": zones["level"],
            "status": zones["status"],
            "year": zones["year"].astype("Int64"),
            "confidence": zones["confidence"].map(lambda c: CONFIDENCE_LABELS.get(c, c)),
            "source": [
                linkable_url(url, quality)
                for url, quality in zip(zones["source_url"], zones["source_quality"], strict=True)
            ],
        }
    ).reset_index(drop=True)


def site_table(sites: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": sites["name"],
            "site_type": sites["site_type"],
            "products": sites["products"],
            "place": (sites["county"] + " " + sites["place"]).str.strip(),
            "status": sites["status"],
            "precision": sites["precision"].map(lambda p: PRECISION_LABELS.get(p, p)),
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
        note=p["note"],
        confidence=p["confidence"],
        confidence_label=CONFIDENCE_LABELS.get(p["confidence"], p["confidence"]),
        precision_label=PRECISION_LABELS.get(p["precision"], p["precision"]),
        source_quality_label=SOURCE_QUALITY_LABELS.get(p["source_quality"], p["source_quality"]),
        sources=source_links(
            p["source_url"], p["other_source_urls"], p["source_quality"], p["note"], sources
        ),
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
