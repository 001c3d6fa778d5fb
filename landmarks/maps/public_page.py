"""The light public page a QR code opens: static files published once per data version.

A phone that scans a poster's code gets this page, not the Streamlit app: ``index.html``
(small, naming the current version's files), one style sheet, one script (Leaflet,
markercluster, the app's map script ``web/gi_map.js`` and the page's own
``web/gi_public.js``), the county and prefecture geometry and the data file (the map's
rows of every product and site, as ``rows.map_rows`` makes them, plus what the page
filters, lists and shows on a card).  Every file but ``index.html`` has a content-hashed
name, so a browser or a balancer may cache it for good; each has a ``.gz`` twin for a
server that sends files gzipped as they are (nginx ``gzip_static``).

The page reads the explorer's own link parameters (``share.explorer_params``): the
filter table (``filters.FILTER_FIELDS``) gives, per field, how a browser reads its URL
value (``FilterField.browser_spec``) and per product the values that value is tested
against (``FilterField.facet``), so the page filters exactly as the explorer does without
knowing one filter from another.  ``product`` opens a product's card, ``county`` selects
a county, as in the explorer.

``publish`` writes the files into a folder (``public_dir``: ``static/p`` served by
Streamlit at /app/static/p/, or ``$LANDMARKS_PUBLIC_DIR``).  Several processes may publish
into one folder: every write is atomic, and ``index.html`` is replaced only by a newer
data version (or, at the same version, by another build of the page).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

import pandas as pd

from landmarks import i18n
from landmarks.data.model import PRECISION_LABELS
from landmarks.data.region import app_title
from landmarks.data.regions import Regions
from landmarks.data.visible import visible
from landmarks.i18n import N_, t
from landmarks.maps import assets, geometry, page_parts, rows, screen_inset
from landmarks.maps import options as gi
from landmarks.query import cards, filters, provenance, share, stats
from landmarks.query.filter_fields import ChoiceField, FilterData, YearField
from landmarks.query.search import NameIndex
from landmarks.query.selection import COUNTY_KEY, PRODUCT_KEY

APP_LINK = N_("打开完整应用（工作人员）")

# The page's own texts, shown by gi_public.js ({placeholders} filled there).
PAGE_TEXTS: dict[str, str] = {
    "count": N_("登记名称 {shown} 个（共 {total} 个）"),
    "none": N_("没有符合筛选条件的产品。"),
    "pair": N_("{label}：{values}"),
    "join": N_("、"),
    "separator": N_("；"),
    "query": N_("名称含“{query}”"),
    "undated": N_("{start}–{end}，含年份不详"),
    "all": share.ALL_PRODUCTS,
    "product": N_("选中产品：{product}"),
    "county": N_("选中县市区：{county}"),
    "cardTitle": N_("产品名片：{name}"),
    "member": N_("所选登记名称“{name}”属于产品“{family}”。"),
    "close": N_("关闭产品名片"),
    "category": N_("品类"),
    "types": N_("地理标志类型"),
    "chain": N_("产业链"),
    "place": N_("保护范围"),
    "year": N_("获批年份"),
    "unknownYear": N_("年份不详"),
    "confidence": N_("可信度"),
    "precision": N_("位置精度"),
    "sketch": N_("（地图上的点为示意位置）"),
    "sourceType": N_("来源类型"),
    "sources": N_("来源"),
    "noSources": N_("来源：无可展示的链接（仅见于转载页，或来源未注明）。"),
    "zones": N_("示范区"),
    "outputs": N_("公开的产值数据"),
    "demoWarning": N_("含示例数据：以下标注“示例数据”的数值不是公开发布的数据。"),
    "demo": cards.DEMO_LABEL,
    "notShown": N_("该产品不在当前筛选结果中，地图上未显示。"),
    "list": N_("产品列表"),
    "colon": N_("{label}："),
    "scope": N_("（{scope}）"),
}


@dataclass(frozen=True)
class PublicPage:
    """The page's files: ``index.html`` and the hashed files it names (name → bytes)."""

    version: int
    build: str  # digest of the page's code (style sheet and script): another build
    index: bytes
    files: Mapping[str, bytes]


# --- the data file ------------------------------------------------------------------


def _choice_aliases(field: ChoiceField, regions: Regions) -> dict[str, str]:
    """URL text → value for every value, label and place name the field resolves (as the
    explorer's link reader does); the browser also tries the text in lower case."""
    labels = field.vocabulary(regions, ())
    prefectures = [p.name for p in regions.prefecture_list]
    counties = [c.name for c in regions.county_list]
    # A place of the other level fails to resolve (and its error looks for the nearest
    # names: most of a national page's build), unless it is also a name of this level.
    if field is filters.COUNTY:
        prefectures = [name for name in prefectures if regions.names_county(name)]
    elif field is filters.PREFECTURE:
        counties = [name for name in counties if regions.names_prefecture(name)]
    candidates = [*labels, *labels.values(), *prefectures, *counties]
    found: dict[str, str] = {}
    for text in dict.fromkeys(candidates):
        try:
            found[text] = field.resolve(text, regions)
        except (KeyError, ValueError):
            continue
    return found


def filter_specs(
    products: pd.DataFrame, zones: pd.DataFrame, regions: Regions, index: NameIndex | None = None
) -> list[dict[str, Any]]:
    """Per filter field, in the table's order: how the browser reads its URL value, its
    label and value words for the view's description, and per product its facet."""
    data = FilterData(zones, index)
    by_attr = {field.attr: field for field in filters.FILTER_FIELDS}
    specs = []
    for field in filters.FILTER_FIELDS:
        spec = field.browser_spec() | {
            "label": t(field.label),
            "facets": field.facet(products, data),
        }
        if isinstance(field, ChoiceField):
            aliases = _choice_aliases(field, regions)
            values = tuple(dict.fromkeys(aliases.values()))
            spec["aliases"] = aliases
            spec["words"] = dict(
                zip(values, share.value_words(field.attr, values, regions), strict=True)
            )
            # The description lists these values in the vocabulary's order.
            spec["ordered"] = field is filters.CHAINS
            if field.within:
                parent = by_attr[field.within]
                spec["within"] = parent.url_key
                spec["parents"] = {
                    c.adcode: c.prefecture_adcode
                    for c in regions.county_list
                    if field is filters.COUNTY
                }
        if isinstance(field, YearField):
            # A link's range is fitted to the data's years, as the explorer fits it.
            spec["bounds"] = filters.year_bounds(products)
        if field is filters.ZONE:
            spec["meaning"] = t(filters.ZONE.meaning)
        specs.append(spec)
    return specs


def _output_lines(table: pd.DataFrame) -> list[dict[str, Any]]:
    """A card's figures (``cards.output_table``), each with its kind and 示例数据 mark."""
    years = ["" if pd.isna(year) else str(int(year)) for year in table["year"].astype(float)]
    return [
        {
            "year": year,
            "kind": t(str(row.kind)),
            "metric": str(row.metric),
            "value": str(row.value_text),
            "scope": str(row.scope),
            "demo": str(row.demo),
            "source": str(row.source),
        }
        for year, row in zip(years, table.itertuples(), strict=True)
    ]


def _positions_by_name(names: Iterable[Iterable[str]]) -> dict[str, list[int]]:
    """Each name → the positions of the rows naming it (``names``: each row's names)."""
    found: dict[str, list[int]] = {}
    for position, row_names in enumerate(names):
        for name in row_names:
            found.setdefault(str(name), []).append(position)
    return found


def _rows_naming(
    table: pd.DataFrame, positions: Mapping[str, list[int]], names: Iterable[str]
) -> pd.DataFrame:
    """The rows of ``table`` that name any of ``names``, in the table's order."""
    return table.iloc[sorted({p for name in names for p in positions.get(name, ())})]


def product_cards(tables: Mapping[str, pd.DataFrame], regions: Regions) -> list[dict[str, Any]]:
    """Per product row, its family's card as the explorer's card composes it
    (``cards.product_card``): no research notes, no source ids, 示例数据 marked."""
    products = tables["products"]
    county_names = {c.adcode: c.name for c in regions.county_list}
    zones, sites, outputs = tables["zones"], tables["sites"], tables["outputs"]
    registrations = tables.get("registrations")
    # Each table's rows by the product names they hold, found once: a family's card then
    # reads its own rows instead of scanning every table (10,000 families at national
    # scale made that minutes).
    zones_at = _positions_by_name([name] for name in zones["product"])
    sites_at = _positions_by_name(sites["products"].fillna("").str.split())
    outputs_at = _positions_by_name([name] for name in outputs["product"])
    registered_at = (
        _positions_by_name([name] for name in registrations["product"])
        if registrations is not None
        else {}
    )
    by_family: dict[str, dict[str, Any]] = {}
    # A family's card is the same whichever of its names is chosen: made once, from
    # the family's own rows (the same card, in a fraction of the time).
    for family, members in products.groupby("family", sort=False):
        names = [str(name) for name in members["name"]]
        card = cards.product_card(
            names[0],
            products=members,
            zones=_rows_naming(zones, zones_at, names),
            sites=_rows_naming(sites, sites_at, names),
            outputs=_rows_naming(outputs, outputs_at, names),
            sources=tables["sources"],
            registrations=(
                _rows_naming(registrations, registered_at, names)
                if registrations is not None
                else None
            ),
            county_names=county_names,
        )
        by_family[str(family)] = _card_data(card)
    return [by_family[str(family)] for family in products["family"]]


def _card_data(card: cards.ProductCard) -> dict[str, Any]:
    """What the page's card shows, in the current language."""
    chain = t("{chain}（{basis}）", chain=t(card.chain), basis=t(card.chain_basis))
    place = f"{i18n.name(card.prefecture)} · {card.area_text}"
    if card.scope_note:
        place += t("（{note}）", note=card.scope_note)
    point = PRECISION_LABELS["point"]
    return {
        "family": i18n.name(card.family),
        "category": t(card.category),
        "types": [t(gi_type) for gi_type in card.gi_types],
        "chain": chain,
        "caveat": t(card.chain_caveat) if card.chain_caveat else "",
        "place": place,
        "county": card.county_adcode,
        "year": card.year,
        "confidence": t(card.confidence_label),
        "precision": t(card.precision_label),
        "sketch": card.precision_label not in (point, t(point)),
        "sourceType": t(card.source_type_label),
        "sources": [[source.label, source.url] for source in card.sources],
        "zones": [str(zone) for zone in card.zones["name"]],
        "outputs": _output_lines(card.outputs),
    }


def data_file(
    tables: Mapping[str, pd.DataFrame], regions: Regions, index: NameIndex | None = None
) -> bytes:
    """The page's data: the map's rows of every product and site (``rows.map_rows``; the
    page shows products by position) and, under ``public``, filters, cards and texts."""
    products = tables["products"]
    document: dict[str, Any] = json.loads(rows.map_rows(products, tables["sites"]))
    document["public"] = {
        "filters": filter_specs(products, tables["zones"], regions, index),
        "cards": product_cards(tables, regions),
        "counties": {c.adcode: c.name for c in regions.county_list},
        "keys": {"product": PRODUCT_KEY, "county": COUNTY_KEY},
        "texts": {key: t(text) for key, text in PAGE_TEXTS.items()},
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- the page -----------------------------------------------------------------------

_PAGE_CSS_FILE = "gi_public.css"
_PAGE_JS_FILE = "gi_public.js"


def _style_sheet() -> bytes:
    parts = [*page_parts.map_styles(), assets.web_file(_PAGE_CSS_FILE).decode("utf-8")]
    return "\n".join(parts).encode("utf-8")


def _script() -> bytes:
    parts = [*page_parts.map_scripts(), assets.web_file(_PAGE_JS_FILE).decode("utf-8")]
    return assets.join_scripts(parts)


def code_build() -> str:
    """The digest of the page's code (its style sheet and script): at one data version a
    page built by other code is another build (a deployment replaces it)."""
    return hashlib.sha256(_style_sheet() + b"\0" + _script()).hexdigest()[:16]


def build(
    tables: Mapping[str, pd.DataFrame],
    regions: Regions,
    version: int,
    updated_at: str = "",
    index: NameIndex | None = None,
) -> PublicPage:
    """The page's files for data ``version`` in the current language."""
    layers = geometry.base_geometry(regions)
    counties, prefectures = geometry.file_names()
    contents = {
        _PAGE_CSS_FILE: _style_sheet(),
        _PAGE_JS_FILE: _script(),
        counties.replace(".geojson", ".json"): layers.counties,
        prefectures.replace(".geojson", ".json"): layers.prefectures,
        "data.json": data_file(tables, regions, index),
    }
    provinces = geometry.provinces_file_name().replace(".geojson", ".json")
    if layers.provinces is not None:  # a national map: drawn by level of detail
        contents[provinces] = layers.provinces
    files = {assets.hashed_name(content, name): content for name, content in contents.items()}
    named = {name: assets.hashed_name(content, name) for name, content in contents.items()}
    build_digest = code_build()
    products, sites = tables["products"], tables["sites"]
    zones = page_parts.zone_names(stats.national_zones_by_county(tables["zones"]))
    config: gi.PublicConfig = {
        "map": page_parts.map_options(),
        # The page lays the map out (phone: above the list), not the whole window.
        "base": page_parts.base_options(
            regions,
            named[counties.replace(".geojson", ".json")],
            named[prefectures.replace(".geojson", ".json")],
            zones,
            provinces=named.get(provinces),
            fill=False,
        ),
        "legend": page_parts.legend(products, sites, bool(zones)),
        "inset": screen_inset.inset_options(regions.region),
        "data": named["data.json"],
    }
    title = app_title()
    dates = provenance.data_time_text(tables["sources"], updated_at)
    data_time = t("数据更新时间：{time}", time=dates)
    page = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if i18n.english() else "zh-CN"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="gi-data-version" content="{int(version)}">',
        f'<meta name="gi-build" content="{build_digest}">',
        f"<title>{escape(title)}</title>",
        '<link rel="icon" href="data:,">',  # no request for /favicon.ico
        f'<link rel="stylesheet" href="{named[_PAGE_CSS_FILE]}">',
        f'<script type="application/json" id="gi-public-config">{page_parts.js(config)}</script>',
        # Fetched at once, while the script loads (the map and gi_public.js fetch them).
        *(
            f'<link rel="preload" href="{escape(url)}" as="fetch" crossorigin>'
            for url in (config["base"]["counties"], config["base"]["prefectures"], config["data"])
        ),
        f'<script defer src="{named[_PAGE_JS_FILE]}"></script>',
        "</head><body>",
        '<header class="gi-public-head">',
        f"<h1>{escape(title)}</h1>",
        '<p id="gi-public-view" class="gi-public-view"></p>',
        f'<p class="gi-public-meta"><span id="gi-public-date">{escape(visible(data_time))}</span>',
        '<a id="gi-public-app" class="gi-public-app" href="../../../explorer">',
        f"{escape(t(APP_LINK))}</a></p>",
        "</header>",
        '<main class="gi-public-main">',
        f'<div id="{page_parts.MAP_ID}" role="region" aria-label="{escape(title)}"></div>',
        '<div class="gi-public-side">',
        '<section id="gi-public-card" class="gi-public-card" hidden></section>',
        f'<section class="gi-public-results" aria-label="{escape(t(PAGE_TEXTS["list"]))}">',
        '<h2 id="gi-public-count"></h2><ul id="gi-public-list"></ul></section>',
        '<footer class="gi-public-notes">',
        f"<p>{escape(visible(share.source_line(tables['sources'])))}</p>",
        "</footer></div></main>",
        "</body></html>",
    ]
    return PublicPage(
        version=int(version),
        build=build_digest,
        index="\n".join(page).encode("utf-8"),
        files=files,
    )
