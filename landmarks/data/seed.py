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
from landmarks.data.region import DEFAULT_CODE, Region, RegionConfigError, region_for
from landmarks.data.regions import Regions
from landmarks.data.store import ACTION_SEED, ORIGIN_SEED, ORIGIN_USER, Change, Store, upgrade
from landmarks.i18n import N_, t

SEED_DIR = PROJECT_DIR / "geodata" / "seed"
SEED_NOTE = N_("内置研究数据")  # stored; translated where shown
# The meta key holding the region a database belongs to (its LANDMARKS_REGION code).
REGION_META = "region"


class RegionMismatchError(RegionConfigError):
    """A database of one region opened with another region configured."""


def stored_region(store: Store) -> str:
    """The region code a database belongs to: recorded in its meta; a database written
    before regions were recorded is Hubei's (the only region then); "" when empty."""
    recorded = store.get_meta(REGION_META)
    if recorded:
        return recorded
    return DEFAULT_CODE if store.data_version() > 0 else ""


def check_region(store: Store, region: Region) -> None:
    """Refuse (``RegionMismatchError``) a database that belongs to another region."""
    stored = stored_region(store)
    if stored and stored != region.code:
        try:
            shown = region_for(stored).place_name()
        except RegionConfigError:
            shown = stored
        raise RegionMismatchError(
            t(
                "这个数据库属于{stored}（{stored_code}），当前地区设置为{region}（{code}）。"
                "请改用{region}的数据库，或设置环境变量 LANDMARKS_REGION={stored_code}。",
                stored=shown,
                stored_code=stored,
                region=region.place_name(),
                code=region.code,
            )
        )


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
    store: Store, regions: Regions, seed_dir: Path | None = None, digest: str | None = None
) -> bool:
    """Upgrade the schema, then seed an empty database, or refresh one that holds an older
    shipped seed and nothing else; returns True when it seeded.  Data that users wrote is
    never replaced.  Seeding is a version (初始化).

    Only a region with a seed (Hubei: ``regions.region.seed_dir``) is seeded; any other
    starts empty and grows by import.  A database of another region is refused
    (``RegionMismatchError``); one of no region yet is marked as ``regions``'.

    ``seed_dir`` overrides the region's seed (tests); ``digest`` is
    ``seed_digest(seed_dir)``, passed in by callers that keep it.
    """
    region = regions.region
    check_region(store, region)
    upgrade(store, regions)
    seed_dir = seed_dir or region.seed_dir
    if seed_dir is None:
        if not store.get_meta(REGION_META):
            with store.write():
                check_region(store, region)
                store.set_meta(REGION_META, region.code)
        return False
    if not store.get_meta(REGION_META) and store.data_version() > 0:
        with store.write():  # a Hubei database from before regions were recorded
            store.set_meta(REGION_META, region.code)
    digest = digest or seed_digest(seed_dir)
    if not _needs_seed(store, digest):
        return False
    frames = seed_frames(regions, seed_dir)
    with store.write():
        if not _needs_seed(store, digest):
            return False  # another session seeded meanwhile
        change = Change(action=ACTION_SEED, note=f"{SEED_NOTE}（{digest}）")  # not UI: stored
        meta = {"seed_digest": digest, REGION_META: region.code}
        store.write_tables(frames, origin=ORIGIN_SEED, change=change, meta=meta)
    return True
