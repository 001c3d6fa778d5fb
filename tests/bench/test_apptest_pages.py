"""The page runs' "new data version" case: the first run after an import (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.apptest_pages import new_data_version
from landmarks.data import storage
from landmarks.data.regions import Regions


def test_a_new_data_version_is_counted_on_and_the_data_stay(
    db_path: Path, regions: Regions, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not new_data_version()  # no database yet: nothing to count on
    with storage.opened(db_path) as connection:
        storage.ensure_seeded(connection, regions)
        before = storage.data_version(connection)
        digest = storage.content_digest(connection)
    assert new_data_version()
    with storage.opened(db_path) as connection:
        assert storage.data_version(connection) == before + 1
        assert storage.content_digest(connection) == digest
    monkeypatch.delenv(storage.DB_ENV_VARIABLE)
    assert not new_data_version()
