"""Shared fixtures: the shipped regions and a freshly seeded database per test."""

from __future__ import annotations

import functools
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.engine import make_url
from streamlit.components.v2 import manifest_scanner

from landmarks.data import regions_cache, store
from landmarks.data.region import SOUTH_CHINA_SEA
from landmarks.data.regions import Regions, load_regions
from landmarks.maps.public_publish import PUBLISH_ENV
from tests import pg, synthetic

# No app run of the tests (AppTests, the browser tests' servers, which inherit this
# environment) builds the public page for its throw-away database into the repository's
# static folder; the public page's own tests publish into tmp folders.
os.environ[PUBLISH_ENV] = "0"
# Nor does any keep derived boundary copies in the repository's var/ (load_regions): a
# tmp folder per test session, inherited by the browser tests' servers.
os.environ[regions_cache.CACHE_DIR_ENV] = tempfile.mkdtemp(prefix="landmarks-regions-")


@pytest.fixture(scope="session", autouse=True)
def _components_scanned_once() -> Iterator[None]:
    """Every new AppTest scans all installed packages for Streamlit components (about
    0.9 s here, most of a small page's run); a real server scans once at start-up, and
    the installed packages do not change during a test run."""
    with pytest.MonkeyPatch.context() as patch:
        scan = functools.cache(manifest_scanner.scan_component_manifests)
        patch.setattr(manifest_scanner, "scan_component_manifests", scan)
        yield


@pytest.fixture(scope="session")
def regions() -> Regions:
    return load_regions()


@pytest.fixture(scope="session")
def small_country_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small real country as ``geodata/build_boundaries.py --region china`` writes it:
    Hainan's counties (the islands of 三沙市 reach 3.8°N) and Hubei's (the old-name table
    of a national build names them), their prefectures, provinces and outline, and the
    national 海域 lines (GCJ-02 → WGS-84)."""
    build = pytest.importorskip("geodata.build_boundaries")
    folder = tmp_path_factory.mktemp("china")
    counties = build.load_national_counties(provinces=["海南省", "湖北省"])
    build.write_geojson(counties, folder / "counties.geojson")
    build.write_geojson(build.dissolve_prefectures(counties), folder / "prefectures.geojson")
    build.write_geojson(build.dissolve_provinces(counties), folder / "provinces.geojson")
    outline = build.dissolve_province(counties, "100000", "中华人民共和国")
    build.write_geojson(outline, folder / "province.geojson")
    build.write_geojson(build.south_china_sea(), folder / f"{SOUTH_CHINA_SEA}.geojson")
    return folder


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh database location that the app (via ``$LANDMARKS_DB``) will seed on first use."""
    path = tmp_path / "landmarks.sqlite"
    monkeypatch.setenv(store.DB_ENV_VARIABLE, str(path))
    return path


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The PostgreSQL + PostGIS server of ``$LANDMARKS_TEST_PG_URL`` (tests/pg.py), as a
    SQLAlchemy URL.  Missing or unreachable, the tests that need it skip locally and fail
    in CI (CI=true): there, a skipped backend would pass for a tested one."""
    try:
        return pg.server_url().render_as_string(hide_password=False)
    except pg.Unavailable as error:
        reason = str(error)
    # Outside the except clause, so that the message is not followed by its causes' chain.
    if pg.in_ci():
        pytest.fail(f"CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def _pg_admin(postgres_url: str) -> Iterator[pg.AdminConnection]:
    """One connection per xdist worker for creating and dropping the tests' databases."""
    with pg.admin_connection(make_url(postgres_url)) as connection:
        yield connection


@pytest.fixture
def pg_database_url(postgres_url: str, _pg_admin: pg.AdminConnection) -> Iterator[str]:
    """A fresh, empty database with PostGIS, copied from the template for this test alone
    and dropped after it (connections the test left open are ended first)."""
    name = pg.database_name(os.environ.get("PYTEST_XDIST_WORKER", "main"))
    pg.create_database(_pg_admin, name)
    try:
        yield make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    finally:
        pg.drop_database(_pg_admin, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """Runs the test once per backend: the ``$LANDMARKS_DB`` value (a fresh SQLite file
    location, or a fresh PostgreSQL database's URL), also set in the environment as
    ``db_path`` does.  The PostgreSQL run skips (fails in CI) without a server."""
    if request.param == "sqlite":
        target = str(tmp_path / "landmarks.sqlite")
    else:
        target = request.getfixturevalue("pg_database_url")
    monkeypatch.setenv(store.DB_ENV_VARIABLE, target)
    return target


@pytest.fixture
def tables(regions: Regions) -> dict[str, pd.DataFrame]:
    """The small synthetic data set (tests/synthetic.py), fresh for each test."""
    return synthetic.frames(regions)


_BACKEND_ID = re.compile(r"\[(?:[^\]]*-)?(sqlite|postgresql)(?:-[^\]]*)?\]$")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many tests ran on each backend (the ``db_target`` runs), so a run shows that the
    store's suite was green on both, and how many were skipped."""
    counts: Counter[tuple[str, str]] = Counter()
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            found = _BACKEND_ID.search(getattr(report, "nodeid", ""))
            if found and getattr(report, "when", "call") in ("call", "setup"):
                if outcome == "passed" and report.when != "call":
                    continue
                counts[(found[1], outcome)] += 1
    if counts:
        lines = [
            f"{backend}: "
            + ", ".join(
                f"{counts[(backend, outcome)]} {outcome}"
                for outcome in ("passed", "failed", "skipped", "error")
            )
            for backend in ("sqlite", "postgresql")
        ]
        terminalreporter.write_sep("-", "tests per database backend")
        for line in lines:
            terminalreporter.write_line(line)
