"""The shipped, researched data: prepared into the app's tables and written as the first
version of a new database (or refreshed while nobody else has written).

Data preparation, not storage: it reads the seed files and asks the store to write them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from landmarks.data.locations import PROJECT_DIR
from landmarks.data.records import (
    prepare_outputs,
    prepare_products,
    prepare_registrations,
    prepare_sites,
    prepare_zones,
    with_product_details,
)
from landmarks.data.regions import Regions
from landmarks.data.store import ACTION_SEED, ORIGIN_SEED, ORIGIN_USER, Change, Store, upgrade
from landmarks.i18n import N_

SEED_DIR = PROJECT_DIR / "geodata" / "seed"
SEED_NOTE = N_("内置研究数据")  # stored; translated where shown


def _read_seed(name: str, seed_dir: Path) -> pd.DataFrame:
    return pd.read_csv(seed_dir / name, dtype=str, keep_default_na=False)


def seed_frames(regions: Regions, seed_dir: Path = SEED_DIR) -> dict[str, pd.DataFrame]:
    """The shipped, researched data prepared into the app's tables."""
    # The research file stays a verbatim copy; the app's own columns (family, registration
    # number, scope) come from a curated file beside it, taken from the research notes.
    raw = with_product_details(
        _read_seed("gi_products.csv", seed_dir), _read_seed("product_details.csv", seed_dir)
    )
    products = prepare_products(raw, regions)
    registrations = prepare_registrations(_read_seed("registrations.csv", seed_dir), products)
    sources = _read_seed("sources.csv", seed_dir)
    sources.loc[sources["source_quality"] == "repost", "url"] = ""
    return {
        "products": products,
        "zones": prepare_zones(_read_seed("demo_zones.csv", seed_dir), regions),
        "sites": prepare_sites(_read_seed("sites.csv", seed_dir), regions),
        "outputs": prepare_outputs(
            _read_seed("output_values.csv", seed_dir), regions, set(products["name"])
        ),
        "sources": sources,
        "registrations": registrations,
    }


def seed_digest(seed_dir: Path = SEED_DIR) -> str:
    """Fingerprint of the shipped seed files: a new release of the research data changes it."""
    digest = hashlib.sha256()
    for path in sorted(seed_dir.glob("*.csv")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def origin(store: Store) -> str:
    """Who wrote the data.  Databases from before ``origin`` was recorded were seeded in
    their first write (version 1); any later write was a user's."""
    recorded = store.get_meta("origin")
    if recorded:
        return recorded
    return ORIGIN_SEED if store.data_version() <= 1 else ORIGIN_USER


def _needs_seed(store: Store, digest: str) -> bool:
    return origin(store) != ORIGIN_USER and store.get_meta("seed_digest") != digest


def ensure_seeded(
    store: Store, regions: Regions, seed_dir: Path = SEED_DIR, digest: str | None = None
) -> bool:
    """Upgrade the schema, then seed an empty database, or refresh one that holds an older
    shipped seed and nothing else; returns True when it seeded.  Data that users wrote is
    never replaced.  Seeding is a version (初始化).

    ``digest`` is ``seed_digest(seed_dir)``, passed in by callers that keep it.
    """
    upgrade(store, regions)
    digest = digest or seed_digest(seed_dir)
    if not _needs_seed(store, digest):
        return False
    frames = seed_frames(regions, seed_dir)
    with store.write():
        if not _needs_seed(store, digest):
            return False  # another session seeded meanwhile
        change = Change(action=ACTION_SEED, note=f"{SEED_NOTE}（{digest}）")  # not UI: stored
        store.write_tables(frames, origin=ORIGIN_SEED, change=change, meta={"seed_digest": digest})
    return True
