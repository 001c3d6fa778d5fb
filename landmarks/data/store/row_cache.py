"""The rows of each table, kept in the app process for the state of the database they
were read in, so that a write reads only what it changes.

Every write gives the database a new ``content_id`` (in ``meta``, inside the write's
transaction), so a table's rows read under one content id stay exact for as long as the
database keeps it, whichever process wrote since: a reader asks for the current id, and
rows cached under another one are never used.  A write publishes the rows it leaves
behind only once it has committed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from landmarks.data.store.rows import Row

CONTENT_ID_KEY = "content_id"
_DATABASES_KEPT = 4  # the app uses one; tests and benchmarks open many in turn


@dataclass
class CachedTable:
    rows: dict[int, Row]  # never changed in place: a write makes a new dict
    frame: pd.DataFrame | None = None  # built on first read; copied out to callers


class RowCache:
    def __init__(self) -> None:
        self._databases: dict[str, tuple[str, dict[str, CachedTable]]] = {}

    def get(self, where: str, content_id: str, table: str) -> CachedTable | None:
        found = self._databases.get(where)
        if found is None or found[0] != content_id:
            return None
        return found[1].get(table)

    def put(self, where: str, content_id: str, table: str, entry: CachedTable) -> None:
        found = self._databases.get(where)
        if found is None or found[0] != content_id:
            self.replace(where, content_id, {table: entry})
        else:
            found[1][table] = entry

    def replace(self, where: str, content_id: str, tables: dict[str, CachedTable]) -> None:
        self._databases.pop(where, None)
        self._databases[where] = (content_id, dict(tables))
        while len(self._databases) > _DATABASES_KEPT:
            del self._databases[next(iter(self._databases))]


ROWS = RowCache()
