"""Registration families (一品多标): one product, several GI registrations.

A product often holds several registrations — 地理标志保护产品, 农产品地理标志, 证明商标 —
sometimes under different names (利川红 and 利川工夫红茶).  The products table has one row
per registered name; rows sharing ``family`` are one product.  Each row holds its primary
registration (``gi_type``, ``registration_number``, ``year``) and names any others in
``gi_types``; the ``registrations`` table adds what is known of those others (number,
year), and registrations of other types besides.

``registration_rows`` lists every registration, ``family_rows`` every product (family).
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from landmarks.data.model import GI_TYPE_UNKNOWN, GI_TYPES, GI_TYPES_SEPARATOR
from landmarks.query.areas import area_labels

REGISTRATION_COLUMNS: tuple[str, ...] = (
    "family",
    "product",
    "gi_type",
    "number",
    "year",
    "primary",
)
_NAMES_JOINER = "、"  # not UI: joins a family's registered names in the data
# Research data and older exports write an unstated type so; users read 类型待核实.
_UNKNOWN_TYPES = frozenset({"", "unknown", "未注明", GI_TYPE_UNKNOWN})  # not UI: data values


def type_label(gi_type: object) -> str:
    """A GI type as users read it: 类型待核实 for an unstated one."""
    text = gi_type.strip() if isinstance(gi_type, str) else ""
    return GI_TYPE_UNKNOWN if text.lower() in _UNKNOWN_TYPES else text


def type_list(gi_types: object) -> list[str]:
    """The types of a ``gi_types`` value, unstated ones as 类型待核实, each once."""
    return list(_type_list(str(gi_types or "")))


@functools.lru_cache(maxsize=4096)  # a few dozen distinct values, met on every row
def _type_list(gi_types: str) -> tuple[str, ...]:
    items = [type_label(t) for t in gi_types.split(GI_TYPES_SEPARATOR) if t.strip()]
    return tuple(dict.fromkeys(items))


def family_order(products: pd.DataFrame) -> pd.DataFrame:
    """Rows grouped by family (families in order of first appearance), each family's main
    row (named as the family) first, otherwise in the given order."""
    return products.iloc[_family_positions(products)[0]]


def main_rows(products: pd.DataFrame) -> pd.DataFrame:
    """Each family's main row (the row named as the family, else its first), families in
    order of first appearance: ``family_order`` without the other rows."""
    positions, families = _family_positions(products)
    first = np.ones(len(positions), dtype=bool)
    first[1:] = families[positions][1:] != families[positions][:-1]
    return products.iloc[positions[first]]


def _family_positions(products: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The row positions of ``family_order`` and each row's family number (factorize
    numbers families in order of first appearance; the sort is by family, then main row
    first, then position)."""
    families, _ = pd.factorize(products["family"].to_numpy(dtype=object), use_na_sentinel=False)
    not_main = (products["name"] != products["family"]).to_numpy(dtype=bool, na_value=True)
    return np.lexsort((np.arange(len(products)), not_main, families)), families


def _year(value: object) -> Any:
    """An int year, or pd.NA for None, NaN or NA."""
    if isinstance(value, numbers.Real) and not math.isnan(float(value)):
        return int(float(value))
    return pd.NA


def registration_rows(products: pd.DataFrame, registrations: pd.DataFrame) -> pd.DataFrame:
    """One row per registration: ``family``, ``product`` (the registered name), ``gi_type``
    (类型待核实 when unstated), ``number`` ('' when unknown), ``year`` (Int64) and whether
    it is the product row's ``primary`` registration.

    Each product row gives its primary registration, then one row per further type in
    ``gi_types`` (number and year from ``registrations`` where product and type match;
    one row per match), then the remaining ``registrations`` rows of that product.
    """
    # (type, number, year) of the extra registrations, by product, in table order.
    extra: dict[str, list[tuple[str, str, Any]]] = {}
    for product, gi_type, number, year in zip(
        registrations["product"].tolist(),
        registrations["gi_type"].tolist(),
        registrations["number"].tolist(),
        registrations["year"].tolist(),
        strict=True,
    ):
        extra.setdefault(str(product), []).append((type_label(gi_type), str(number), _year(year)))
    ordered = family_order(products)
    rows: list[tuple[Any, ...]] = []
    for name, family, primary_type, primary_number, year, gi_types in zip(
        _texts(ordered["name"]),
        _texts(ordered["family"]),
        [type_label(value) for value in ordered["gi_type"].tolist()],
        _texts(ordered["registration_number"]),
        ordered["year"].tolist(),
        ordered["gi_types"].tolist(),
        strict=True,
    ):
        rows.append((family, name, primary_type, primary_number, _year(year), True))
        own = extra.get(name, [])
        used: set[int] = set()
        for gi_type in type_list(gi_types):
            if gi_type == primary_type:
                continue
            matches = [i for i, (kind, _, _) in enumerate(own) if kind == gi_type]
            used.update(matches)
            found = [own[i][1:] for i in matches] or [("", pd.NA)]
            rows += [(family, name, gi_type, number, when, False) for number, when in found]
        for i, (kind, number, when) in enumerate(own):
            if i in used or (kind == primary_type and number in ("", primary_number)):
                continue  # listed above, or the primary registration itself stated again
            rows.append((family, name, kind, number, when, False))
    frame = pd.DataFrame(rows, columns=list(REGISTRATION_COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    frame["primary"] = frame["primary"].astype(bool)
    return frame


def _texts(column: pd.Series) -> list[str]:
    """A column's values as plain ``str`` (as ``astype(str)`` gives them), read as a list:
    iterating a pandas string column itself costs far more per value."""
    return [str(value) for value in column.astype(str).tolist()]


def held_types(types: Iterable[str]) -> tuple[str, ...]:
    """The distinct types of some registrations in type order, 类型待核实 only when no
    type is known (a registration of unstated type adds nothing to known ones)."""
    distinct = dict.fromkeys(types)
    ordered = [*(t for t in GI_TYPES if t in distinct), *(t for t in distinct if t not in GI_TYPES)]
    known = [t for t in ordered if t != GI_TYPE_UNKNOWN]
    return tuple(known or ordered)


def family_rows(products: pd.DataFrame, registrations: pd.DataFrame) -> pd.DataFrame:
    """One row per family, shaped like a products row of the family's main row (named as
    the family, else its first row) so lists, cards and exports treat both alike, plus:

    - ``registered_names``: the family's registered names ('、'-joined, main row first);
    - ``gi_types``: every type the family holds (type order; 类型待核实 only when it is
      the only one known);
    - ``registration_count``: its registrations (``registration_rows``);
    - ``year``: the earliest year of its registrations (NA when none is known);
    - ``area_label``: 本县 / 跨 N 个县 / 全市范围 of the main row's area.

    A family is listed when any of its rows is in ``products``: pass only the rows in
    view to list the families in view.
    """
    ordered = family_order(products)
    registered = registration_rows(ordered, registrations)
    # Aggregated with plain lists: a groupby with Python functions over pandas strings
    # costs seconds at 10,000 products.
    names: dict[str, list[str]] = {}
    mains: list[int] = []  # each family's first row in ``ordered``: its main row
    for position, (family, name) in enumerate(
        zip(_texts(ordered["family"]), _texts(ordered["name"]), strict=True)
    ):
        if family not in names:
            names[family] = []
            mains.append(position)
        names[family].append(name)
    held: dict[str, list[str]] = {}
    earliest: dict[str, Any] = {}
    for family, gi_type, year in zip(
        registered["family"].tolist(),
        registered["gi_type"].tolist(),
        registered["year"].tolist(),
        strict=True,
    ):
        held.setdefault(family, []).append(gi_type)
        known = earliest.setdefault(family, year)
        if year is not pd.NA and (known is pd.NA or year < known):
            earliest[family] = year
    families = list(names)  # in order of first appearance, as ``ordered`` holds them
    main = ordered.iloc[mains].reset_index(drop=True)
    result = main.assign(
        registered_names=pd.array(
            [_NAMES_JOINER.join(names[family]) for family in families], dtype="str"
        ),
        gi_types=pd.array(
            [GI_TYPES_SEPARATOR.join(held_types(held[family])) for family in families], dtype="str"
        ),
        registration_count=np.array([len(held[family]) for family in families], dtype=np.int64),
        year=pd.array([earliest[family] for family in families], dtype="Int64"),
    )
    result["area_label"] = area_labels(result)
    return result


def family_members(shown: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    """Every row of ``products`` whose family has a row in ``shown``."""
    return products[products["family"].isin(shown["family"].unique())]


def family_of(name: str, products: pd.DataFrame) -> pd.DataFrame:
    """The rows of the family of the product ``name`` (main row first); ``KeyError`` if the
    product does not exist."""
    rows = products.loc[products["name"] == name, "family"]
    if rows.empty:
        raise KeyError(name)
    return family_order(products[products["family"] == rows.iloc[0]])
