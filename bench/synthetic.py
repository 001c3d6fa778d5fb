"""Synthetic products, sites and registrations for the benchmark, made as users make data.

The rows are written in the input shape (the keys of the import templates,
``landmarks.data.columns.INPUT_COLUMNS``: what the seed CSVs and imported files hold)
and go through the same ``prepare_*`` functions as the seed and every import: names
resolved, chains assigned, stand-in positions placed, every field checked.  So a change
of the stored schema or of the input rules breaks this module loudly (``ValidationError``
or ``SyntheticDataError``), never the benchmark's numbers quietly.

Names start with 合成 and every row's note says it is synthetic, so the data can never
pass for research.  Category, GI type, chain, area level, year and provenance are drawn
from a real table of products (the seed's), so the vocabularies and their mix are real.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from landmarks.data.chains import assign_chain
from landmarks.data.columns import INPUT_COLUMNS, SCOPE_SEPARATOR
from landmarks.data.model import AREA_COUNTIES, AREA_PREFECTURE, SITE_TYPES
from landmarks.data.records import prepare_products, prepare_registrations, prepare_sites
from landmarks.data.region import has_chain_vocabulary
from landmarks.data.regions import County, Regions

PREFIX = "合成"  # every synthetic name starts with it
SYNTHETIC_NOTE = "合成数据（仅用于性能基准测试），不是真实的地理标志产品或站点"
SITE_STATUS = "合成数据"
SITE_CONFIDENCE = "medium"
EXTRA_REGISTRATION_TYPE = "地理标志证明商标"
REGISTRATIONS_EVERY = 25  # one product in this many holds a second registration
SEED = 20260101
# What the generator copies from a template product into the synthetic row's cells; it
# also reads the template's chain and area level.
COPIED_COLUMNS = ("category", "gi_type", "year", "confidence", "source_quality")
TEMPLATE_COLUMNS = (*COPIED_COLUMNS, "chain", "area_level")

Tables = dict[str, pd.DataFrame]


class SyntheticDataError(RuntimeError):
    """Prepared rows that are not where the generator put them (name resolution failed)."""


def written_counties(regions: Regions) -> dict[str, str]:
    """How an input row names each county (by adcode): by its name, the way users write
    it, unless another county shares that name (鼓楼区 is in four prefectures nationally,
    and a name resolves to one county only), then by its 6-digit adcode, which the input
    also accepts and which is never ambiguous."""
    names = regions.counties["name"]
    shared = set(names[names.duplicated(keep=False)])
    return {c.adcode: c.adcode if c.name in shared else c.name for c in regions.county_list}


def _input_frame(table: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows in the input shape of ``table``: exactly its input columns, empty cells as ''."""
    keys = [column.key for column in INPUT_COLUMNS[table]]
    unknown = {key for row in rows for key in row} - set(keys)
    if unknown:
        raise SyntheticDataError(f"{table}: no input columns {sorted(unknown)}")
    return pd.DataFrame(rows, columns=keys, dtype=object).fillna("")


def _drawn_counties(regions: Regions, count: int, rng: np.random.Generator) -> list[County]:
    """``count`` counties drawn uniformly, in adcode order: rows of one county together, as
    files often come, which also keeps placement's per-region cache warm (2,875 counties
    in random order would recompute most regions' inner parts)."""
    counties = sorted(regions.county_list, key=lambda county: county.adcode)
    return [counties[index] for index in np.sort(rng.integers(0, len(counties), count))]


def _area_cells(
    level: str, county: County, siblings: Sequence[County], written: dict[str, str]
) -> dict[str, str]:
    """The prefecture, county and scope cells of a product of area ``level`` around
    ``county``: one county; its whole prefecture (county left empty); or a scope of it
    and a neighbour in the same prefecture (one county when it has none)."""
    cells = {"prefecture": county.prefecture, "county": "", "scope": ""}
    others = [other for other in siblings if other.adcode != county.adcode]
    if level == AREA_PREFECTURE:
        return cells
    if level == AREA_COUNTIES and others:
        pair = [county, others[0]]
        return cells | {"scope": SCOPE_SEPARATOR.join(written[c.adcode] for c in pair)}
    return cells | {"county": written[county.adcode]}


def _template_rows(kinds: pd.DataFrame) -> list[dict[str, str]]:
    """The drawn template products' ``TEMPLATE_COLUMNS`` as input cells (text; a missing
    year empty)."""
    cells = kinds[list(TEMPLATE_COLUMNS)].astype(object)
    cells["year"] = [("" if pd.isna(year) else str(int(year))) for year in kinds["year"]]
    records = cells.to_dict("records")
    return [{str(key): str(value) for key, value in row.items()} for row in records]


def _product_row(
    index: int,
    kind: dict[str, str],
    county: County,
    siblings: Sequence[County],
    written: dict[str, str],
    chains: bool,
) -> dict[str, str]:
    """The cells of synthetic product ``index``, of the template product ``kind``, around
    ``county``; ``chains``: whether the region groups products by Hubei's chains (else
    the chain cell stays empty and the product is grouped by its category)."""
    area = _area_cells(kind["area_level"], county, siblings, written)
    place = county.name if area["county"] else county.prefecture
    name = f"{PREFIX}{place}{kind['category']}{index:05d}"
    # A clerk fills in the chain only where the rules would assign another one.
    ruled, _basis = assign_chain(kind["category"], name)
    chain = "" if not chains or ruled == kind["chain"] else kind["chain"]
    copied = {key: kind[key] for key in COPIED_COLUMNS}
    return area | copied | {"name": name, "chain": chain, "note": SYNTHETIC_NOTE}


def _places(rows: list[dict[str, str]], counties: Sequence[County]) -> pd.DataFrame:
    """Where each row must land: its county's prefecture, and the county itself when the
    row names one (an area of several counties or a whole prefecture is credited to
    none)."""
    return pd.DataFrame(
        {
            "prefecture_adcode": [county.prefecture_adcode for county in counties],
            "county_adcode": [
                county.adcode if row["county"] else ""
                for row, county in zip(rows, counties, strict=True)
            ],
        }
    )


def product_rows(
    regions: Regions, template: pd.DataFrame, count: int, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw product rows, and where each must land (prefecture and county adcodes)."""
    kinds = template.iloc[rng.integers(0, len(template), count)].reset_index(drop=True)
    counties = _drawn_counties(regions, count, rng)
    written = written_counties(regions)
    by_prefecture: dict[str, list[County]] = {}
    for county in sorted(regions.county_list, key=lambda county: county.adcode):
        by_prefecture.setdefault(county.prefecture_adcode, []).append(county)
    chains = has_chain_vocabulary(regions.region)
    rows = [
        _product_row(index, kind, county, by_prefecture[county.prefecture_adcode], written, chains)
        for index, (kind, county) in enumerate(zip(_template_rows(kinds), counties, strict=True))
    ]
    return _input_frame("products", rows), _places(rows, counties)


def site_rows(
    regions: Regions, product_names: Sequence[str], count: int, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw site rows (each showing one of ``product_names``), and where each must land."""
    counties = _drawn_counties(regions, count, rng)
    written = written_counties(regions)
    types = rng.integers(0, len(SITE_TYPES), count)
    shown = rng.integers(0, len(product_names), count)
    rows = [
        {
            "name": f"{PREFIX}站点{county.name}{index:04d}",
            "site_type": SITE_TYPES[types[index]],
            "products": product_names[shown[index]],
            "prefecture": county.prefecture,
            "county": written[county.adcode],
            "status": SITE_STATUS,
            "note": SYNTHETIC_NOTE,
            "confidence": SITE_CONFIDENCE,
        }
        for index, county in enumerate(counties)
    ]
    return _input_frame("sites", rows), _places(rows, counties)


def registration_rows(products: pd.DataFrame) -> pd.DataFrame:
    """A second registration (a certification trademark) for one product in
    ``REGISTRATIONS_EVERY``, as a product registered under two GI systems has."""
    rows = [
        {"product": name, "gi_type": EXTRA_REGISTRATION_TYPE, "note": SYNTHETIC_NOTE}
        for name in products["name"].iloc[::REGISTRATIONS_EVERY]
    ]
    return _input_frame("registrations", rows)


def check_placed(table: str, prepared: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Raise when a prepared row's prefecture or county is not the one it was written for."""
    columns = list(expected.columns)
    found = prepared[columns].reset_index(drop=True)
    wrong = (found != expected).any(axis=1)
    if wrong.any():
        first = int(np.flatnonzero(wrong)[0])
        raise SyntheticDataError(
            f"{table}: {int(wrong.sum())} rows resolved elsewhere, e.g. "
            f"{prepared['name'].iloc[first]}: {found.iloc[first].to_dict()} instead of "
            f"{expected.iloc[first].to_dict()}"
        )


def synthetic_tables(
    regions: Regions, template: pd.DataFrame, products: int, sites: int, seed: int = SEED
) -> Tables:
    """Products, sites and registrations spread uniformly over the counties of ``regions``,
    prepared into the app's tables (``store.TABLE_COLUMNS``).

    ``template`` is a table of stored products (the seed's) whose vocabulary is drawn.
    """
    rng = np.random.default_rng(seed)
    raw_products, product_places = product_rows(regions, template, products, rng)
    prepared_products = prepare_products(raw_products, regions)
    check_placed("products", prepared_products, product_places)
    names = list(prepared_products["name"])
    raw_sites, site_places = site_rows(regions, names, sites, rng)
    prepared_sites = prepare_sites(raw_sites, regions)
    check_placed("sites", prepared_sites, site_places)
    registrations = prepare_registrations(registration_rows(prepared_products), prepared_products)
    return {
        "products": prepared_products,
        "sites": prepared_sites,
        "registrations": registrations,
    }
