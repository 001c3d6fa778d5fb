"""Cached access to regions, data tables and map assets for the Streamlit pages.

Caching lives here, at the UI boundary; the domain functions stay plain.  Table reads are
keyed on the database's ``data_version`` so a write by any session is seen by all.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd
import streamlit as st

from landmarks.data import seed, store
from landmarks.data.locations import PROJECT_DIR
from landmarks.data.region import BOUNDARIES_ENV, REGION_ENV, RegionConfigError
from landmarks.data.regions import Regions, load_regions
from landmarks.i18n import t
from landmarks.maps import public_publish
from landmarks.query.search import NameIndex
from landmarks.ui.markdown import md_lines

BOUNDARIES_ENV_VARIABLE = BOUNDARIES_ENV


@dataclass(frozen=True)
class Tables:
    products: pd.DataFrame
    zones: pd.DataFrame
    sites: pd.DataFrame
    outputs: pd.DataFrame
    sources: pd.DataFrame
    registrations: pd.DataFrame
    version: int
    updated_at: str

    def stored(self) -> dict[str, pd.DataFrame]:
        """The stored tables by name, as ``store.read_tables`` gives them."""
        return {table: getattr(self, table) for table in store.TABLE_COLUMNS}


def regions() -> Regions:
    """The current region's boundaries (``$LANDMARKS_REGION``, Hubei by default; its folder
    swapped by ``$LANDMARKS_BOUNDARIES_DIR``, the benchmarks' coverages), read once per
    server and setting.  A bad setting or unbuilt boundaries raise ``RegionConfigError``
    (a Chinese message naming the build command), shown in place of the page."""
    try:
        return _regions(
            os.environ.get(REGION_ENV, "").strip(),
            os.environ.get(BOUNDARIES_ENV_VARIABLE, "").strip(),
        )
    except RegionConfigError as error:
        _refuse(error)


def _refuse(error: RegionConfigError) -> NoReturn:
    """Say what is wrong with the region's configuration, instead of the page."""
    st.error(md_lines(str(error)))
    st.stop()


@st.cache_resource(show_spinner=False)
def _regions(code: str, folder: str) -> Regions:
    """Keyed on the settings (tests switch them within one process); load_regions reads
    them from the environment itself."""
    del code, folder
    return load_regions()


def db_target() -> store.Target:
    """The database the app uses: a file, or a PostgreSQL server's database."""
    return store.default_target()


# One shared copy per data version (``cache_resource``): ``cache_data`` would unpickle
# every table at every rerun (a quarter of a second at 10,000 products).  The tables are
# read-only to every page (derived frames are copies under pandas' copy-on-write).
@st.cache_resource(show_spinner=False, max_entries=4)
def _read_tables(path: str, version: int, read_only: bool = False) -> dict[str, Any]:
    with store.opened(path, read_only=read_only) as db:
        frames: dict[str, Any] = dict(db.read_tables())
        frames["updated_at"] = db.get_meta("updated_at")
    return frames


@st.cache_resource(show_spinner=False)
def _seed_digest() -> str:
    """The shipped seed's fingerprint, read once per server (it changes with a release)."""
    return seed.seed_digest()


def access() -> store.Access:
    """Whether the database can be written now (tried on every run: a stick can be
    write-protected or a mount remounted while the server runs)."""
    return store.access(db_target())


@st.cache_resource(show_spinner=False)
def _leftovers_removed(path: str) -> int:
    """Delete what interrupted backups left, once per server start and database."""
    return len(store.remove_leftovers(path))


def tables() -> Tables:
    """Current data, seeding the database from the shipped CSVs on first use.

    A database whose place refuses writes is read as it is, without seeding or upgrading
    it (the banner of ``ui/read_only.py`` says editing is off); one that cannot be shown
    without a write first raises ``StorageError`` saying so.
    """
    path = db_target()
    found = access()
    if found.writable:
        with store.opened(path) as db:
            _leftovers_removed(str(path))
            try:
                seeded = seed.ensure_seeded(db, regions(), digest=_seed_digest())
            except RegionConfigError as error:  # another region's database
                _refuse(error)
            if seeded:
                st.toast(t("已用内置数据初始化数据库"))
            version = db.data_version()
    else:
        with store.opened(path, read_only=True) as db:
            store.check_browsable(db, found)
            try:
                seed.check_region(db, regions().region)
            except RegionConfigError as error:
                _refuse(error)
            version = db.data_version()
    frames = _read_tables(str(path), version, not found.writable)
    data = Tables(**frames, version=version)
    publish_public_page(data)
    return data


def _publisher(target: store.Target, version: int, folder: str) -> subprocess.Popen[bytes]:
    """``python -m landmarks publish`` for ``target`` into ``folder``, at low priority; its
    errors go to the server's log.  A thread of its own reaps it when it ends."""
    process = subprocess.Popen(
        [sys.executable, "-m", "landmarks", "publish", "--background", "--dir", folder],
        cwd=PROJECT_DIR,
        env={**os.environ, store.DB_ENV_VARIABLE: str(target)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    threading.Thread(target=process.wait, name=f"public-page-{version}", daemon=True).start()
    return process


# Keyed on the database, the data version and the folder, so each version is published
# once per server process, whichever page runs first.
@st.cache_resource(show_spinner=False, max_entries=8)
def _public_page_started(path: str, version: int, folder: str) -> subprocess.Popen[bytes] | None:
    if public_publish.is_published(Path(folder), version):  # a restart, or another process
        return None
    return _publisher(path, version, folder)


def publish_public_page(data: Tables) -> subprocess.Popen[bytes] | None:
    """Publish the public page (``maps/public_publish``) of this data version, once per
    version, unless the folder has it already (None then, and when publishing is off).

    In a process of its own, at low priority: building the page takes seconds for a
    province and minutes for the whole country, which in a thread of the server would
    hold Python's lock against every session's reruns."""
    if not public_publish.publishing_enabled():
        return None
    return _public_page_started(str(db_target()), data.version, str(public_publish.public_dir()))


# The leading underscore keeps Streamlit from hashing 10,000 names on every rerun; the
# database path and data version identify them.
@st.cache_resource(show_spinner=False, max_entries=4)
def _name_index(path: str, version: int, _products: pd.DataFrame) -> NameIndex:
    return NameIndex(tuple(_products["name"].tolist()))


def name_index(data: Tables) -> NameIndex:
    """Pinyin search index of the product names, built once per data version."""
    return _name_index(str(db_target()), data.version, data.products)
