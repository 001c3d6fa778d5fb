"""What a write changes: the rows added, removed and changed in a table, matched by key.

Pure functions on DataFrames: storage counts a write's changes with them, and history
shows any version's difference from the current data.  Rows are matched by each table's
key (a product by its name, an output value by subject, region, year and metric …); rows
sharing a key are matched in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

# The fields that identify a row of each table, as users know it.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "products": ("name",),
    "zones": ("name",),
    "sites": ("name",),
    "outputs": ("subject", "region", "year", "metric"),
    "sources": ("source_id",),
    "registrations": ("product", "gi_type", "number"),
}
_OCCURRENCE = "_occurrence"
CHANGED_COLUMNS = ("field", "before", "after")


@dataclass(frozen=True)
class TableCounts:
    added: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.added + self.changed + self.removed


@dataclass(frozen=True)
class TableChanges:
    """``added`` and ``removed`` hold whole rows (of the newer and older table);
    ``changed`` one row per changed field: the row's key, then field, before, after."""

    table: str
    added: pd.DataFrame
    removed: pd.DataFrame
    changed: pd.DataFrame

    @property
    def counts(self) -> TableCounts:
        keys = list(TABLE_KEYS[self.table])
        changed_rows = len(self.changed.drop_duplicates([*keys, _OCCURRENCE]))
        return TableCounts(len(self.added), changed_rows, len(self.removed))


def _plain(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Values as Python objects, every missing value (None, NaN, NA) as None."""
    frame = frame.reindex(columns=columns)
    plain = frame.astype(object)
    return plain.where(frame.notna(), None)


def _keyed(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    keyed = frame.copy()
    keyed[_OCCURRENCE] = keyed.groupby(keys, dropna=False, sort=False).cumcount()
    return keyed.set_index([*keys, _OCCURRENCE], drop=False)


def _same(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return left is None and right is None
    return bool(left == right)


def compare(table: str, before: pd.DataFrame, after: pd.DataFrame) -> TableChanges:
    """The changes that turn ``before`` into ``after`` (two versions of ``table``)."""
    keys = list(TABLE_KEYS[table])
    columns = list(dict.fromkeys([*before.columns, *after.columns]))
    old = _keyed(_plain(before, columns), keys)
    new = _keyed(_plain(after, columns), keys)
    added = new.index.difference(old.index, sort=False)
    removed = old.index.difference(new.index, sort=False)
    common = new.index.intersection(old.index, sort=False)
    changed: list[dict[str, Any]] = []
    fields = [column for column in columns if column not in keys]
    for key, old_row, new_row in zip(
        common,
        old.loc[common, fields].itertuples(index=False, name=None),
        new.loc[common, fields].itertuples(index=False, name=None),
        strict=True,
    ):
        for field, was, now in zip(fields, old_row, new_row, strict=True):
            if not _same(was, now):
                changed.append(
                    dict(zip([*keys, _OCCURRENCE], key, strict=True))
                    | {"field": field, "before": was, "after": now}
                )
    return TableChanges(
        table,
        added=_rows(after, new, added),
        removed=_rows(before, old, removed),
        changed=pd.DataFrame(changed, columns=[*keys, _OCCURRENCE, *CHANGED_COLUMNS]),
    )


def _rows(frame: pd.DataFrame, keyed: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """The rows of ``frame`` (in its own types and order) whose keys are in ``index``."""
    chosen = keyed.index.isin(index)
    return frame.loc[chosen].reset_index(drop=True)


def compare_tables(
    before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]
) -> dict[str, TableChanges]:
    """Changes of every table present in both mappings."""
    return {
        table: compare(table, before[table], after[table]) for table in after if table in before
    }
