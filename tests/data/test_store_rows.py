"""The store's rows (landmarks/data/store/rows.py): the difference between two states of a
table, undoing versions newest first, and the order-independent content digest, on tiny
rows; then, with hypothesis, random sequences of writes on both backends, after which
rolling back to any version gives exactly that version's content."""

from __future__ import annotations

import math
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from landmarks.data import store
from landmarks.data.store import postgres, rows, sqlite
from landmarks.data.store.rows import ADDED, REMOVED, Row, TableDiff
from tests import pg

# Hypothesis keeps caches in .hypothesis/ of the working directory: not under /work.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "landmarks-hypothesis")

A, B, C, D = ("a", 1), ("b", 2), ("c", 3), ("d", 4)


def multiset(found: Iterable[Row]) -> Counter[Row]:
    return Counter(found)


# diff -------------------------------------------------------------------------------------


def test_rows_already_there_keep_their_ids_and_only_the_difference_is_written() -> None:
    current = {1: A, 2: B, 3: C}
    found = rows.diff(current, [C, A, D], next_id=4)
    assert found.removed == {2: B}
    assert found.added == {4: D}  # a new id; 1 and 3 keep theirs whatever the order
    assert rows.applied(current, found) == {1: A, 3: C, 4: D}


def test_the_same_rows_in_another_order_are_no_change() -> None:
    found = rows.diff({1: A, 2: B}, [B, A], next_id=3)
    assert not found and found == TableDiff()


def test_a_row_whose_key_stays_keeps_its_id_when_its_other_values_change() -> None:
    current = {1: ("x", 1), 2: ("y", 2), 3: ("z", 3)}
    found = rows.diff(current, [("x", 1), ("y", 20), ("z", 3)], next_id=4, key=0)
    assert found.removed == {2: ("y", 2)}
    assert found.added == {2: ("y", 20)}  # removed and added back under its id
    assert rows.applied(current, found) == {1: ("x", 1), 2: ("y", 20), 3: ("z", 3)}
    # Without a key, the changed row is a new one.
    plain = rows.diff(current, [("x", 1), ("y", 20), ("z", 3)], next_id=4)
    assert (plain.removed, plain.added) == ({2: ("y", 2)}, {4: ("y", 20)})


def test_a_key_that_changes_gives_a_new_id() -> None:
    found = rows.diff({1: ("x", 1)}, [("w", 1)], next_id=2, key=0)
    assert (found.removed, found.added) == ({1: ("x", 1)}, {2: ("w", 1)})


def test_duplicate_rows_count_as_a_multiset() -> None:
    current = {1: A, 2: A, 3: B}
    fewer = rows.diff(current, [A, B], next_id=4)
    assert fewer.removed == {2: A} and fewer.added == {}  # the lowest id of the copies stays
    more = rows.diff(current, [A, A, A, B, B], next_id=4)
    assert more.removed == {} and more.added == {4: A, 5: B}
    assert multiset(rows.applied(current, more).values()) == multiset([A, A, A, B, B])


def test_new_ids_are_handed_out_in_order_from_next_id() -> None:
    found = rows.diff({}, [C, A, B], next_id=10)
    assert list(found.added.items()) == [(10, C), (11, A), (12, B)]


# undo and apply_undo ----------------------------------------------------------------------


def test_undo_goes_newest_first_and_the_oldest_word_wins() -> None:
    # Version 2 added row 5 as A; version 3 changed it to B (removed A, added B) and
    # removed row 1 (C).  Undone back to version 1, row 5 holds nothing, row 1 holds C.
    changes = [
        ("products", 5, ADDED, B),  # version 3, "added" before "removed"
        ("products", 5, REMOVED, A),
        ("products", 1, REMOVED, C),
        ("products", 5, ADDED, A),  # version 2
    ]
    assert rows.undo(changes) == {"products": {5: None, 1: C}}
    # Undoing only version 3: row 5 back to A.
    assert rows.undo(changes[:3]) == {"products": {5: A, 1: C}}


def test_undo_keeps_tables_apart() -> None:
    found = rows.undo([("zones", 1, ADDED, A), ("sites", 1, REMOVED, B)])
    assert found == {"zones": {1: None}, "sites": {1: B}}


def test_apply_undo_writes_only_the_ids_that_differ() -> None:
    current = {1: A, 2: B, 3: C}
    found = rows.apply_undo(current, {1: None, 2: B, 3: D, 4: A})
    assert found.removed == {1: A, 3: C}
    assert found.added == {3: D, 4: A}  # 2 already holds B: untouched
    assert rows.applied(current, found) == {2: B, 3: D, 4: A}
    assert not rows.apply_undo(current, {2: B, 9: None})


def test_undoing_a_diff_gives_back_the_rows_under_their_ids() -> None:
    current = {1: A, 2: B, 3: C}
    change = rows.diff(current, [A, D, D], next_id=4)
    after = rows.applied(current, change)
    wanted = rows.undo(
        [("t", i, ADDED, row) for i, row in change.added.items()]
        + [("t", i, REMOVED, row) for i, row in change.removed.items()]
    )["t"]
    assert rows.applied(after, rows.apply_undo(after, wanted)) == current


# content_digest, encode/decode, frames ----------------------------------------------------


def source(source_id: str, facts: str = "") -> Row:
    return (source_id, "", "media", facts)


def test_the_content_digest_ignores_order_and_ids_but_not_multiplicity_or_table() -> None:
    one, two = source("S1"), source("S2")
    digest = rows.content_digest({"sources": [one, two]})
    assert rows.content_digest({"sources": [two, one]}) == digest
    assert rows.content_digest({"sources": {7: two, 3: one}.values()}) == digest
    assert rows.content_digest({"sources": [one, two, two]}) != digest
    assert rows.content_digest({"sources": [one]}) != digest
    assert rows.content_digest({"sources": [one, source("S2", "x")]}) != digest
    assert rows.content_digest({"sources": [one, two], "zones": []}) == digest  # empty = none
    moved = {"registrations": [("S1", "", "media", "")], "sources": [two]}
    assert rows.content_digest(moved) != rows.content_digest({"sources": [one, two]})


def test_a_row_goes_through_json_exactly() -> None:
    row = ("名", 0.1 + 0.2, None, 3, "=1+1", "")
    assert rows.decode(rows.encode(row), "products") == row
    assert rows.encode(row).startswith('["名",0.30000000000000004')


def test_a_row_of_an_older_schema_gets_the_current_columns() -> None:
    old = rows.encode(("S1", "https://x", "media"))
    assert rows.decode(old, "sources", ["source_id", "url", "source_quality"]) == (
        "S1",
        "https://x",
        "media",
        "",
    )
    year = rows.decode(rows.encode(("p", "t")), "registrations", ["product", "gi_type"])
    assert year == ("p", "t", "", None, "")  # number is text; year a missing number


def test_frames_and_rows_convert_both_ways() -> None:
    frame = pd.DataFrame(
        {
            "product": ["甲", "乙"],
            "gi_type": ["t", "t"],
            "number": ["1", ""],
            "year": pd.array([2001, None], dtype="Int64"),
            "note": ["", "n"],
        }
    )
    stored = rows.frame_rows("registrations", frame)
    assert stored == [("甲", "t", "1", 2001, ""), ("乙", "t", "", None, "n")]
    back = rows.rows_frame("registrations", stored)
    pd.testing.assert_frame_equal(back, frame, check_dtype=True)
    empty = rows.rows_frame("sites", [])
    assert list(empty.columns) == list(store.TABLE_COLUMNS["sites"]) and empty.empty
    assert empty["lon"].dtype == "float64"
    nan = rows.frame_rows("sites", rows.rows_frame("sites", [(None,) * 15]))
    assert nan[0][8] is None and not any(isinstance(v, float) and math.isnan(v) for v in nan[0])


# Properties -------------------------------------------------------------------------------

row_values = st.tuples(st.sampled_from("abcd"), st.integers(0, 3))


@settings(max_examples=200, deadline=None, database=None)  # nothing saved under /work
@given(
    current=st.lists(row_values, max_size=12),
    wanted=st.lists(row_values, max_size=12),
)
def test_a_diff_makes_the_table_hold_exactly_the_wanted_rows(
    current: list[Row], wanted: list[Row]
) -> None:
    table = dict(enumerate(current, start=1))
    change = rows.diff(table, wanted, next_id=len(table) + 1)
    after = rows.applied(table, change)
    assert multiset(after.values()) == multiset(wanted)
    # Only what differs is written: a row is never removed and added back unchanged.
    assert all(change.added.get(i) != row for i, row in change.removed.items())
    gone = (multiset(current) - multiset(wanted)).total()
    new = (multiset(wanted) - multiset(current)).total()
    assert len(change.removed) + len(change.added) == gone + new
    # Undone, the ids hold what they held.
    wanted_back = {i: None for i in change.added} | dict(change.removed)
    assert rows.applied(after, rows.apply_undo(after, wanted_back)) == table


# Random writes on both backends ------------------------------------------------------------

SOURCE_IDS = [f"S{number}" for number in range(8)]
sources_content = st.lists(
    st.tuples(st.sampled_from(SOURCE_IDS), st.sampled_from(["", "甲", "乙"])),
    max_size=8,
    unique_by=lambda pair: pair[0],  # source_id is unique
)
registrations_content = st.lists(  # no unique column: duplicates allowed
    st.tuples(st.sampled_from(["甲", "乙"]), st.sampled_from([None, 2001, 2002])),
    max_size=12,
)
writes = st.lists(st.tuples(sources_content, registrations_content), min_size=1, max_size=10)


def frames(
    sources: list[tuple[str, str]], registrations: list[tuple[str, int | None]]
) -> dict[str, pd.DataFrame]:
    return {
        "sources": rows.rows_frame("sources", [source(i, facts) for i, facts in sources]),
        "registrations": rows.rows_frame(
            "registrations", [(product, "t", "", year, "") for product, year in registrations]
        ),
    }


def content(found: Mapping[str, pd.DataFrame]) -> str:
    return rows.content_digest({t: rows.frame_rows(t, f) for t, f in found.items()})


@pytest.fixture
def fresh_databases(
    request: pytest.FixtureRequest, db_target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[], str]]:
    """Makes a new, empty database of ``db_target``'s backend for each hypothesis
    example (one database for them all would make each example pay for the history of
    the ones before it); dropped at the end."""
    # The file copy SQLite takes before each write is tested in test_storage.py; here it
    # would only cost time.
    monkeypatch.setattr(sqlite.SqliteStore, "_back_up", lambda self: None)
    made: list[str] = []
    admin = request.getfixturevalue("_pg_admin") if postgres.is_url(db_target) else None

    def make() -> str:
        if admin is not None:
            name = pg.database_name(f"rows{len(made)}")
            pg.create_database(admin, name)
            made.append(name)
            return sa.make_url(db_target).set(database=name).render_as_string(False)
        made.append(str(tmp_path / f"example-{len(made)}.sqlite"))
        return made[-1]

    yield make
    if admin is not None:
        for name in made:
            pg.drop_database(admin, name)


@settings(
    max_examples=6,
    deadline=None,
    database=None,  # no example database written beside the checkout
    # The fixture makes a fresh database per example itself.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(sequence=writes)
def test_rollback_to_every_version_gives_exactly_its_content(
    fresh_databases: Callable[[], str],
    sequence: list[tuple[list[tuple[str, str]], list[tuple[str, int]]]],
) -> None:
    with store.opened(fresh_databases()) as db:
        check_rollbacks(db, sequence)


def check_rollbacks(
    db: store.Store, sequence: list[tuple[list[tuple[str, str]], list[tuple[str, int]]]]
) -> None:
    expected: dict[int, str] = {}
    for sources, registrations in sequence:
        try:
            version = db.write_tables(frames(sources, registrations))
        except store.NothingChangedError:
            continue
        expected[version] = content(db.read_tables())
        assert expected[version] == content(frames(sources, registrations))
    for version, wanted in expected.items():
        assert content(db.snapshot(version)) == wanted
    for version in [*reversed(expected), *expected]:
        if content(db.read_tables()) == expected[version]:
            with pytest.raises(store.NothingChangedError):
                db.rollback(version)
        else:
            db.rollback(version)
        assert content(db.read_tables()) == expected[version]
    for version, wanted in expected.items():  # the rollbacks kept every version exact
        assert content(db.snapshot(version)) == wanted
