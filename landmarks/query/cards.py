"""Content of the explorer's product and county cards, assembled as plain data.

The product card is its family's (一品多标): whichever registered name is chosen, one card
lists every registration (name, type, number, year) and places the product by its area.
The county card lists the products whose area covers the county, grouped 本县 / 跨县 /
全市范围 and counted by product, with the rule of the count.

The page only lays these out.  Every rule about what may be shown lives here: source
links only where ``provenance.linkable_url`` allows (repost links never), labelled by
site and never by source id; brand values labelled as such; demonstration figures
flagged 示例数据; maintainers' remarks kept apart (``maintainer_note``) or removed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from landmarks.data.chains import CHAINS
from landmarks.data.model import BRAND_VALUE_METRIC_MARK
from landmarks.i18n import N_, t
from landmarks.query.areas import (
    AREA_GROUP_COLUMN,
    AREA_GROUPS,
    GROUP_OWN,
    area_codes,
    area_label,
    area_text,
    group_counts,
    group_counts_text,
    products_covering,
)
from landmarks.query.families import (
    family_of,
    family_order,
    held_types,
    registration_rows,
    type_label,
)
from landmarks.query.labels import (
    confidence_label,
    precision_label,
    source_type_label,
    without_remarks,
)
from landmarks.query.provenance import link_column, linkable_url, linkable_urls, source_label

DEMO_LABEL = N_("示例数据")
OUTPUT_KIND = N_("产值/销售额")
BRAND_VALUE_KIND = N_("品牌价值（非产值）")
TARGET_KIND = N_("目标值")
_SOURCE_ID = re.compile(r"\bS\d{1,4}\b")
_CHAIN_NOTES = {chain.name: chain.note for chain in CHAINS if not chain.verified}


@dataclass(frozen=True)
class SourceLink:
    label: str
    url: str


@dataclass(frozen=True, eq=False)
class ProductCard:
    """The card of a product family: one card whichever of its registered names is chosen."""

    name: str  # the registered name chosen
    family: str  # the product (family) name, the card's title
    category: str
    gi_type: str  # primary type of the chosen row
    gi_types: tuple[str, ...]  # every type the family holds (families.held_types)
    registrations: pd.DataFrame  # name, gi_type, number, year: one row per registration
    chain: str
    chain_basis: str
    chain_caveat: str
    prefecture: str
    county: str
    county_adcode: str
    area_label: str  # 本县 / 跨 N 个县 / 全市范围
    area_text: str  # the county; 跨 N 个县：A、B、C…; 全市范围（X市）
    scope_note: str
    year: int | None  # earliest known registration year of the family
    confidence: str
    confidence_label: str
    precision_label: str
    source_type_label: str
    sources: tuple[SourceLink, ...]
    maintainer_note: str  # research remarks: shown only under 维护说明
    zones: pd.DataFrame
    sites: pd.DataFrame
    outputs: pd.DataFrame


@dataclass(frozen=True)
class AreaGroup:
    """The products (families) one county has in one way: 本县, 跨县 or 全市范围."""

    label: str
    names: tuple[str, ...]  # family names
    products: tuple[str, ...]  # the registered name each family's card opens with


@dataclass(frozen=True, eq=False)
class CountyCard:
    adcode: str
    name: str
    prefecture: str
    product_count: int  # 本县 products (families) only
    groups: tuple[AreaGroup, ...]  # 本县, 跨县, 全市范围 (empty ones too)
    counts_text: str  # '本县 3 项 · 跨县 1 项 · 全市范围 5 项（rule）'
    zones: pd.DataFrame
    sites: pd.DataFrame
    outputs: pd.DataFrame


def _linked_sources(
    source_url: str,
    other_urls: str,
    source_type: str,
    note: str = "",
    sources: pd.DataFrame | None = None,
) -> dict[str, str]:
    """Showable URL → its source type, in order: main, other, and those the note cites."""
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
    return found


def _numbered(found: Mapping[str, str]) -> tuple[SourceLink, ...]:
    return tuple(
        SourceLink(source_label(position, url, kind), url)
        for position, (url, kind) in enumerate(found.items(), start=1)
    )


def source_links(
    source_url: str,
    other_urls: str,
    source_type: str,
    note: str = "",
    sources: pd.DataFrame | None = None,
) -> tuple[SourceLink, ...]:
    """Links to a record's sources, including those its note cites by id, numbered in order
    and labelled by site (the ids themselves are maintainers' material)."""
    return _numbered(_linked_sources(source_url, other_urls, source_type, note, sources))


def output_kind(metric: str) -> str:
    if BRAND_VALUE_METRIC_MARK in metric:
        return BRAND_VALUE_KIND
    if "目标" in metric:  # not UI: marks a target in the data's metric text
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
            "demo": outputs["is_demo"].map(lambda d: t(DEMO_LABEL) if d else ""),
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


def _sites_of(sites: pd.DataFrame, products: set[str]) -> pd.DataFrame:
    """Sites naming any of the products."""
    named = sites["products"].fillna("").str.split()
    return sites[named.map(lambda names: not products.isdisjoint(names)).astype(bool)]


def registration_table(registrations: pd.DataFrame) -> pd.DataFrame:
    """A family's registrations as the card lists them (type 类型待核实 when unstated)."""
    return pd.DataFrame(
        {
            "name": registrations["product"],
            "gi_type": registrations["gi_type"],
            "number": registrations["number"],
            "year": registrations["year"].astype("Int64"),
        }
    ).reset_index(drop=True)


def _no_registrations() -> pd.DataFrame:
    return pd.DataFrame(columns=["product", "gi_type", "number", "year", "note"])


def _joined_notes(members: pd.DataFrame) -> str:
    notes = [(str(n), str(t)) for n, t in zip(members["name"], members["note"], strict=True) if t]
    if len(members) == 1:
        return notes[0][1] if notes else ""
    return "\n\n".join(t("{name}：{note}", name=name, note=note) for name, note in notes)


def product_card(
    name: str,
    *,
    products: pd.DataFrame,
    zones: pd.DataFrame,
    sites: pd.DataFrame,
    outputs: pd.DataFrame,
    sources: pd.DataFrame,
    registrations: pd.DataFrame | None = None,
    county_names: Mapping[str, str] | None = None,
) -> ProductCard:
    """The card of the family of ``name`` (any of its registered names); ``KeyError`` if
    the product does not exist.

    Place, chain, category and trust are the family's main row's (the row named as the
    family); registrations, sources, zones, sites and figures are all its rows'.
    """
    members = family_of(name, products)
    chosen = members[members["name"] == name].iloc[0]
    p = members.iloc[0]
    registered = registration_rows(
        members, _no_registrations() if registrations is None else registrations
    )
    names = set(members["name"])
    found: dict[str, str] = {}
    for m in members.itertuples():
        for url, kind in _linked_sources(
            str(m.source_url), str(m.other_source_urls), str(m.source_quality), str(m.note), sources
        ).items():
            found.setdefault(url, kind)
    years = registered["year"].dropna()
    codes = area_codes(p["area_adcodes"])
    return ProductCard(
        name=name,
        family=p["family"],
        category=p["category"],
        gi_type=type_label(chosen["gi_type"]),
        gi_types=held_types(registered["gi_type"]),
        registrations=registration_table(registered),
        chain=p["chain"],
        chain_basis=p["chain_basis"],
        chain_caveat=_CHAIN_NOTES.get(p["chain"], ""),
        prefecture=p["prefecture"],
        county=p["county"],
        county_adcode=p["county_adcode"],
        area_label=area_label(p["area_level"], len(codes)),
        area_text=area_text(
            p["area_level"], p["area_adcodes"], p["county"], p["prefecture"], county_names or {}
        ),
        scope_note=without_remarks(p["scope_note"]),
        year=int(years.min()) if len(years) else None,
        confidence=p["confidence"],
        confidence_label=confidence_label(p["confidence"]),
        precision_label=precision_label(p["precision"]),
        source_type_label=source_type_label(p["source_quality"]),
        sources=_numbered(found),
        maintainer_note=_joined_notes(members),
        zones=zone_table(zones[zones["product"].isin(names)]),
        sites=site_table(_sites_of(sites, names)),
        outputs=output_table(outputs[outputs["product"].isin(names)]),
    )


def _area_groups(covering: pd.DataFrame) -> tuple[AreaGroup, ...]:
    """Each family once, in the most precise group any of its rows has here."""
    seen: set[str] = set()
    groups = []
    for group in AREA_GROUPS:
        rows = covering[(covering[AREA_GROUP_COLUMN] == group) & ~covering["family"].isin(seen)]
        first = rows.drop_duplicates("family")
        seen |= set(first["family"])
        groups.append(AreaGroup(group, tuple(first["family"]), tuple(first["name"])))
    return tuple(groups)


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
    """The products whose area covers the county, grouped 本县 / 跨县 / 全市范围 and counted
    by product (一品多标 once), with the county's zones, sites and output figures."""
    covering = family_order(products_covering(products, adcode))
    covering = covering.sort_values(AREA_GROUP_COLUMN, kind="stable")
    groups = _area_groups(covering)
    counts = group_counts(covering, unit="family")
    own = covering[covering[AREA_GROUP_COLUMN] == GROUP_OWN]
    figures = outputs[
        (outputs["region_adcode"] == adcode) | outputs["product"].isin(set(own["name"]))
    ]
    return CountyCard(
        adcode=adcode,
        name=name,
        prefecture=prefecture,
        product_count=counts[GROUP_OWN],
        groups=groups,
        counts_text=group_counts_text(counts),
        zones=zone_table(zones[zones["county_adcode"] == adcode]),
        sites=site_table(sites[sites["county_adcode"] == adcode]),
        outputs=output_table(figures),
    )
