"""Rows as the store keeps them, and the differences between two states of a table.

A version records, per table, the rows it removed and the rows it added, each under its
id (a changed row is one of each).  That is all an exact rollback needs: undoing the
versions after N, newest first, gives the tables as they were right after N.  So a write
costs what it changes, not what the database holds.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from landmarks.data.store.schema import INTEGER_COLUMNS, REAL_COLUMNS, TABLE_COLUMNS

Row = tuple[Any, ...]  # a table's values in TABLE_COLUMNS order
ADDED = "added"
REMOVED = "removed"


def _stored_column(column: str, values: pd.Series) -> list[object]:
    """A frame's column as the database stores and returns it (None for missing)."""
    items = values.astype(object).where(values.notna(), None).tolist()
    if column in REAL_COLUMNS:
        cast: type = float
        exact = values.dtype == "float64"
    elif column in INTEGER_COLUMNS:
        cast = int
        exact = str(values.dtype) == "Int64"
    else:
        cast = str
        exact = isinstance(values.dtype, pd.StringDtype)
    if exact:  # already the stored type: no cell needs a look
        return items
    return [
        None if item is None else (item if type(item) is cast else cast(item)) for item in items
    ]


def frame_rows(table: str, frame: pd.DataFrame) -> list[Row]:
    """The frame's rows as stored tuples, in the frame's order."""
    columns = [_stored_column(column, frame[column]) for column in TABLE_COLUMNS[table]]
    return list(zip(*columns, strict=True)) if len(frame) else []


def same_rows(new: pd.DataFrame, stored: pd.DataFrame) -> list[bool]:
    """For two frames of one table and one length, whether each row of ``new`` holds the
    same values as the ``stored`` row at its place (missing equals missing); all False
    when their columns cannot be compared so."""
    if len(new) != len(stored):
        raise ValueError("same_rows compares frames of one length")
    equal = np.ones(len(new), dtype=bool)
    for column in stored.columns:
        mine = new[column].reset_index(drop=True)
        theirs = stored[column].reset_index(drop=True)
        try:
            matches = (mine == theirs).fillna(False).to_numpy(dtype=bool)
        except (TypeError, ValueError):
            return [False] * len(new)
        equal &= matches | (mine.isna() & theirs.isna()).to_numpy(dtype=bool)
    return equal.tolist()


def rows_frame(table: str, rows: Sequence[Row]) -> pd.DataFrame:
    """Stored rows as the app's frame (the column types of ``typed``)."""
    columns = list(TABLE_COLUMNS[table])
    if not rows:
        return typed(pd.DataFrame({column: [] for column in columns}, dtype=object))
    return typed(pd.DataFrame.from_records(list(rows), columns=columns))


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The app's column types on a table read back from the database."""
    for column in frame.columns:
        if column in REAL_COLUMNS:
            frame[column] = pd.to_numeric(frame[column]).astype("float64")
    if "year" in frame:
        frame["year"] = pd.to_numeric(frame["year"]).astype("Int64")
    if "is_demo" in frame:
        frame["is_demo"] = frame["is_demo"].astype(bool)
    return frame


def encode(row: Row) -> str:
    """A row as JSON (floats written exactly)."""
    return json.dumps(list(row), ensure_ascii=False, separators=(",", ":"))


def decode(data: str, table: str, columns: Sequence[str] | None = None) -> Row:
    """A row from its JSON; a row recorded with other ``columns`` (an older schema) gets
    the current ones: empty text, or missing numbers, for those it lacks."""
    values = json.loads(data)
    if columns is None:
        return tuple(values)
    recorded = dict(zip(columns, values, strict=True))
    return tuple(
        recorded.get(column, None if column in REAL_COLUMNS | INTEGER_COLUMNS else "")
        for column in TABLE_COLUMNS[table]
    )


@dataclass
class TableDiff:
    """What one write does to one table: rows removed by id, rows added under new ids."""

    removed: dict[int, Row] = field(default_factory=dict)
    added: dict[int, Row] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.removed or self.added)


def diff(
    current: Mapping[int, Row], wanted: Iterable[Row], next_id: int, key: int | None = None
) -> TableDiff:
    """The rows to remove and add so that the table holds ``wanted`` (as a multiset).

    Rows already there keep their id.  With ``key`` (the position of the table's unique
    column) a row whose key is there with other values is changed in place: removed and
    added back under its id, so the table keeps its order.  Other new rows get ids from
    ``next_id`` on.
    """
    pool: dict[Row, list[int]] = defaultdict(list)
    for row_id in sorted(current):
        pool[current[row_id]].append(row_id)
    kept: set[int] = set()
    new_rows: list[Row] = []
    for row in wanted:
        ids = pool.get(row)
        if ids:
            kept.add(ids.pop(0))
        else:
            new_rows.append(row)
    removed = {row_id: row for row_id, row in current.items() if row_id not in kept}
    by_key = {row[key]: row_id for row_id, row in removed.items()} if key is not None else {}
    added: dict[int, Row] = {}
    for row in new_rows:
        same_key = by_key.pop(row[key], None) if key is not None else None
        if same_key is None:
            same_key, next_id = next_id, next_id + 1
        added[same_key] = row
    return TableDiff(removed, dict(sorted(added.items())))


def change_records(version_id: int, table: str, change: TableDiff) -> list[dict[str, Any]]:
    """The ``row_changes`` rows that record ``change`` as version ``version_id``'s."""
    return [
        {
            "version_id": version_id,
            "table_name": table,
            "row_id": row_id,
            "change": kind,
            "data": encode(row),
        }
        for kind, part in ((REMOVED, change.removed), (ADDED, change.added))
        for row_id, row in part.items()
    ]


def undo(changes: Iterable[tuple[str, int, str, Row]]) -> dict[str, dict[int, Row | None]]:
    """Per table, the state each touched row id must be in once ``changes`` are undone.

    ``changes`` are (table, row id, ADDED/REMOVED, row) of several versions, newest
    version first; None means the id holds no row.
    """
    wanted: dict[str, dict[int, Row | None]] = defaultdict(dict)
    for table, row_id, change, row in changes:
        # Undoing a newer version first, then an older one: the older one's word wins.
        wanted[table][row_id] = None if change == ADDED else row
    return dict(wanted)


def apply_undo(current: Mapping[int, Row], wanted: Mapping[int, Row | None]) -> TableDiff:
    """The rows to remove and add so that each id in ``wanted`` holds its row (or none)."""
    found = TableDiff()
    for row_id, row in wanted.items():
        now = current.get(row_id)
        if now == row:
            continue
        if now is not None:
            found.removed[row_id] = now
        if row is not None:
            found.added[row_id] = row
    return found


def applied(current: Mapping[int, Row], change: TableDiff) -> dict[int, Row]:
    """``current`` with ``change`` made to it."""
    result = {row_id: row for row_id, row in current.items() if row_id not in change.removed}
    result.update(change.added)
    return result


def content_digest(tables: Mapping[str, Iterable[Row]]) -> str:
    """A checksum of the tables' content: equal for equal rows, whatever their ids or
    order."""
    digest = hashlib.sha256()
    for table in TABLE_COLUMNS:
        counted = Counter(encode(row) for row in tables.get(table, ()))
        digest.update(f"{table}\n".encode())
        for text in sorted(counted):
            digest.update(f"{counted[text]} {text}\n".encode())
    return digest.hexdigest()
