"""The pages draw the same on both stores: a fresh database (a new SQLite file, or an
empty PostgreSQL + PostGIS database) is seeded on first use and the pages that read it
(品牌总览, 品牌地图 and 数据管理, whose version history and exports read the store's
versions) render without an exception or an error message.

The PostgreSQL run skips locally without ``$LANDMARKS_TEST_PG_URL`` (fails in CI).
"""

from __future__ import annotations

import pytest

from landmarks.data import store
from tests.helpers import components, run_app

PAGES = (
    (None, "品牌总览"),
    ("pages/explorer.py", "品牌地图"),
    ("pages/data.py", "数据管理"),
)


@pytest.mark.parametrize(("page", "title"), PAGES, ids=["overview", "explorer", "data"])
def test_page_draws_on_a_fresh_database(db_target: str, page: str | None, title: str) -> None:
    at = run_app(page)  # raises nothing (checked inside)
    assert not at.error, [error.value for error in at.error]
    assert at.title[0].value.endswith(title)
    if page == "pages/explorer.py":
        assert len(components(at)) == 1  # the map
    if page == "pages/data.py":
        # The seed was written as the first version, and the history lists it.
        with store.opened(store.default_target()) as db:
            assert db.latest_version() is not None
