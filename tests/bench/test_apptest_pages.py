"""The page runs' "new data version" case: the first run after an import (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.apptest_pages import new_data_version
from landmarks.data import seed, store
from landmarks.data.regions import Regions


def test_a_new_data_version_is_counted_on_and_the_data_stay(
    db_path: Path, regions: Regions, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not new_data_version()  # no database yet: nothing to count on
    with store.opened(db_path) as db:
        seed.ensure_seeded(db, regions)
        before = db.data_version()
        digest = db.content_digest()
    assert new_data_version()
    with store.opened(db_path) as db:
        assert db.data_version() == before + 1
        assert db.content_digest() == digest
    monkeypatch.delenv(store.DB_ENV_VARIABLE)
    assert not new_data_version()
