"""The explorer's derived tables, cached per data version, language and filter.

A rerun that changes nothing (a card opened, the map clicked, a page of the list turned)
gets them from here instead of recomputing them from 10,000 products; a filter change
computes only what depends on the filter (the list by family is picked from the family
rows of all products, made once per data version).  Caching lives here, at the UI
boundary; the functions wrapped stay plain.  DataFrames are kept as one shared object
(``cache_resource``: no copy per rerun) and must be treated as read-only, as every
caller does (pandas' copy-on-write keeps derived frames apart); small results are
copied (``cache_data``).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from landmarks import i18n
from landmarks.data.regions import Regions
from landmarks.query import export, filters, stats
from landmarks.query.families import family_rows
from landmarks.query.filter_fields import Option
from landmarks.query.filters import ProductFilter
from landmarks.query.search import NameIndex
from landmarks.query.stats import ResultFigures
from landmarks.ui import data as ui_data

# Filters kept per data version and language: a few users' recent views each.
_FILTERS_KEPT = 64


def _path() -> str:
    return str(ui_data.db_target())


@st.cache_resource(show_spinner=False, max_entries=4)
def _family_rows(
    path: str, version: int, language: str, _products: pd.DataFrame, _registrations: pd.DataFrame
) -> pd.DataFrame:
    with i18n.language(language):
        return family_rows(_products, _registrations)


@st.cache_resource(show_spinner=False, max_entries=_FILTERS_KEPT)
def _list_rows(
    path: str,
    version: int,
    language: str,
    mode: str,
    product_filter: ProductFilter,
    _data: ui_data.Tables,
    _shown: pd.DataFrame,
) -> pd.DataFrame:
    with i18n.language(language):
        if mode == export.LIST_BY_FAMILY:
            every = _family_rows(path, version, language, _data.products, _data.registrations)
            return export.families_in_view(every, _shown)
        return export.list_rows(
            mode, _shown, _data.products, _data.registrations, product_filter.gi_types
        )


def list_rows(
    data: ui_data.Tables, mode: str, shown: pd.DataFrame, product_filter: ProductFilter
) -> pd.DataFrame:
    """``export.list_rows`` of the products ``shown`` by ``product_filter`` (read-only)."""
    language = i18n.current_language()
    return _list_rows(_path(), data.version, language, mode, product_filter, data, shown)


@st.cache_data(show_spinner=False, max_entries=_FILTERS_KEPT)
def _option_counts(
    path: str,
    version: int,
    language: str,
    product_filter: ProductFilter,
    _data: ui_data.Tables,
    _regions: Regions,
    _index: NameIndex | None,
) -> dict[str, list[Option]]:
    with i18n.language(language):
        return filters.option_counts(_data.products, _data.zones, _regions, product_filter, _index)


def option_counts(
    data: ui_data.Tables,
    regions: Regions,
    product_filter: ProductFilter,
    index: NameIndex | None = None,
) -> dict[str, list[Option]]:
    """``filters.option_counts`` of the data under ``product_filter``."""
    language = i18n.current_language()
    return _option_counts(_path(), data.version, language, product_filter, data, regions, index)


@st.cache_data(show_spinner=False, max_entries=_FILTERS_KEPT)
def _figures(
    path: str,
    version: int,
    product_filter: ProductFilter,
    _data: ui_data.Tables,
    _shown: pd.DataFrame,
) -> tuple[ResultFigures, dict[str, int]]:
    by_chain = stats.products_by_chain(_shown)
    return (
        stats.result_figures(_shown, _data.products, _data.zones),
        {str(chain): int(count) for chain, count in by_chain.items()},
    )


def result_figures(
    data: ui_data.Tables, shown: pd.DataFrame, product_filter: ProductFilter
) -> tuple[ResultFigures, dict[str, int]]:
    """The filtered list's headline figures and its products per chain."""
    return _figures(_path(), data.version, product_filter, data, shown)
