"""Writes cost what they change, on both backends: a small import into a large database
records only its own rows (``row_changes``), leaves every other row where it was (same
ids), and rolling it back restores the earlier content exactly.  (How long it takes is
the benchmark's business, not a test's.)"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest
import sqlalchemy as sa

from landmarks.data import history, store
from landmarks.data.changes import TableCounts
from landmarks.data.regions import Regions
from tests import synthetic

COPIES = 231  # 13 synthetic products each: about 3,000 products


def many(regions: Regions) -> dict[str, pd.DataFrame]:
    """The synthetic tables with their products repeated under new names."""
    tables = synthetic.frames(regions)
    products = tables["products"]
    tables["products"] = pd.concat(
        [products.assign(name=products["name"] + f"（{copy}）") for copy in range(COPIES)]
        + [products],
        ignore_index=True,
    )
    return tables


def changes_of(db: store.Store, version_id: int) -> pd.DataFrame:
    """The rows ``row_changes`` holds for one version: table, row id, change."""
    changes = db.tables.tables["row_changes"]
    count = db.execute(
        sa.select(sa.func.count()).select_from(changes).where(changes.c.version_id == version_id)
    ).scalar_one()
    found = pd.DataFrame(
        db.execute(
            sa.select(changes.c.table_name, changes.c.row_id, changes.c.change).where(
                changes.c.version_id == version_id
            )
        ).all(),
        columns=["table", "row_id", "change"],
    )
    assert len(found) == count
    return found


@pytest.fixture
def large(db_target: str, regions: Regions) -> Iterator[store.Store]:
    with store.opened(db_target) as db:
        db.write_tables(many(regions))
        assert len(db.read_table("products")) == 13 * (COPIES + 1)
        yield db


def test_a_ten_row_import_records_ten_rows_and_rolls_back_exactly(
    large: store.Store,
) -> None:
    db = large
    before = db.content_digest()
    kept = db.stored_rows("products")
    products = db.read_table("products")
    new = products.iloc[:10].assign(name=products["name"].iloc[:10] + "（新）")
    imported = history.write_import(
        db,
        {"products": pd.concat([products, new], ignore_index=True)},
        author="县局",
        file_name="十行.csv",
        content=b"ten rows",
    )
    with db.read():
        found = changes_of(db, imported)
    assert found["change"].tolist() == ["added"] * 10
    assert set(found["table"]) == {"products"}
    assert db.version(imported).counts["products"] == TableCounts(added=10)
    after = db.stored_rows("products")
    assert {row_id: after[row_id] for row_id in kept} == kept  # untouched rows kept their ids
    assert set(after) - set(kept) == set(found["row_id"])
    assert db.content_digest() != before
    # An edit of one product records it removed and added again, under its id.
    edited = db.read_table("products")
    edited.loc[5, "note"] = "县局核实"
    edit = history.write_edit(db, {"products": edited}, author="县局", base_version=None)
    with db.read():
        found = changes_of(db, edit)
    assert sorted(found["change"]) == ["added", "removed"]
    assert found["row_id"].nunique() == 1
    assert db.version(edit).counts["products"] == TableCounts(changed=1)
    # Rolling both back writes back only those rows, and the content is exactly as before.
    rollback = history.rollback(db, imported - 1, author="县局")
    with db.read():
        found = changes_of(db, rollback)
    assert sorted(found["change"]) == ["added"] + ["removed"] * 11
    assert db.content_digest() == before
    assert db.stored_rows("products") == kept
