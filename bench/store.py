"""``python -m bench.store``: what a write costs on each backend (issue 21's budgets).

For SQLite and for PostgreSQL + PostGIS, on a database of ``--products`` products (the
seed's, repeated under new names; default 50,000):

* an import of 10 new products through the real path (the file's rows checked against the
  current data, then written as a version): time to check, time to write, bytes the
  database grew by (SQLite: the file and its log, not the backups folder; PostgreSQL:
  ``pg_database_size``) and row changes recorded;
* the rollback of that import: time, and whether the content is exactly as before;
* 品牌地图 (the explorer page) on Hubei's seed: the first run and a plain rerun (AppTest
  medians), on each backend, and their ratio.

PostgreSQL: ``--pg-url`` (a role that may create databases, and a template
``landmarks_template`` with PostGIS, as ``scripts/pg.sh`` makes), else a throw-away
cluster started with ``scripts/pg.sh`` and stopped at the end.  Every database the run
makes is dropped again.  ``--smoke`` runs every part once on 2,000 products.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from landmarks.data import dump, history, seed, store
from landmarks.data.imports import MODE_APPEND, check_import
from landmarks.data.reading import table_from_frame
from landmarks.data.regions import Regions, load_regions
from tests import pg

ROOT = Path(__file__).resolve().parents[1]
IMPORT_ROWS = 10
EXPLORER_SCRIPT = "pages/explorer.py"


@dataclass(frozen=True)
class WriteResult:
    backend: str
    products: int
    check_s: float
    write_s: float
    added_bytes: int
    row_changes: int
    rollback_s: float
    exact: bool


def _many_products(regions: Regions, count: int) -> dict[str, pd.DataFrame]:
    """The seed's tables with ``count`` products: its own, repeated under new names."""
    frames = seed.seed_frames(regions)
    products = frames["products"]
    copies = [products]
    made = len(products)
    round_number = 1
    while made < count:
        extra = products.head(count - made).copy()
        extra["name"] = extra["name"] + f"（示例{round_number}）"
        copies.append(extra)
        made += len(extra)
        round_number += 1
    frames["products"] = pd.concat(copies, ignore_index=True)
    return frames


def _import_rows(regions: Regions, products: pd.DataFrame) -> pd.DataFrame:
    """Ten products users could import: stored ones as the template has them, renamed."""
    rows = products.head(IMPORT_ROWS).copy()
    rows["name"] = rows["name"] + "（新导入）"
    return dump.input_frame("products", rows, regions)


def measure_writes(target: str, regions: Regions, count: int) -> WriteResult:
    with store.opened(target) as db:
        seed.ensure_seeded(db, regions)
        frames = _many_products(regions, count)
        db.write_tables(frames, change=store.Change(author="bench"))
        before_version = db.latest_version()
        before_digest = db.content_digest()
        before_size = db.size_bytes()
        raw = table_from_frame(_import_rows(regions, frames["products"]), "bench.csv")
        started = time.perf_counter()
        report = check_import(
            raw, "products", regions=regions, current=db.read_tables(), mode=MODE_APPEND
        )
        checked = time.perf_counter()
        if not report.ok:
            raise RuntimeError(f"the benchmark import was refused:\n{report.problems.head(3)}")
        version = history.import_report(db, report, author="bench", content=b"bench")
        written = time.perf_counter()
        added = db.size_bytes() - before_size
        changes = db.tables.tables["row_changes"]
        with db.read():
            recorded = db.execute(
                sa.select(sa.func.count())
                .select_from(changes)
                .where(changes.c.version_id == version)
            ).scalar_one()
        started_rollback = time.perf_counter()
        db.rollback(before_version, author="bench")
        rolled_back = time.perf_counter()
        return WriteResult(
            db.backend,
            len(frames["products"]),
            checked - started,
            written - checked,
            added,
            int(recorded),
            rolled_back - started_rollback,
            db.content_digest() == before_digest,
        )


@contextlib.contextmanager
def server(url: str | None) -> Iterator[str]:
    """A PostgreSQL server's URL: the given one, or a throw-away cluster's."""
    if url:
        yield url
        return
    state = Path(tempfile.mkdtemp(prefix="bench-pg-")) / "state"
    env = {**os.environ, "LANDMARKS_PG_STATE": str(state)}
    script = str(ROOT / "scripts" / "pg.sh")
    started = subprocess.run(
        ["bash", script, "start"], env=env, capture_output=True, text=True, check=True
    )
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["bash", script, "stop"], env=env, capture_output=True, check=False)


@contextlib.contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new database with PostGIS on the server, dropped afterwards."""
    url = sa.make_url(server_url)
    name = f"landmarks_bench_{uuid.uuid4().hex[:12]}"
    with pg.admin_connection(url) as admin:
        pg.create_database(admin, name)
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            pg.drop_database(admin, name)


def explorer_runs(target: str, runs: int) -> tuple[float, float]:
    """品牌地图's first run and plain rerun (AppTest medians, ms) on ``target``."""
    from bench.measure import measure_pages

    env = {store.DB_ENV_VARIABLE: target, "LANDMARKS_BOUNDARIES_DIR": ""}
    result = measure_pages(ROOT, env, [EXPLORER_SCRIPT], runs, "")[EXPLORER_SCRIPT]
    return result.first_ms, result.rerun_ms


def report(writes: list[WriteResult], reruns: dict[str, tuple[float, float]]) -> str:
    lines = [
        "| backend | products | check 10 rows | write 10 rows | bytes added | row changes"
        " | rollback | rollback exact |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    lines += [
        f"| {w.backend} | {w.products:,} | {w.check_s:.2f} s | {w.write_s:.2f} s"
        f" | {w.added_bytes / 1024:,.0f} kB | {w.row_changes} | {w.rollback_s:.2f} s"
        f" | {'yes' if w.exact else '**NO**'} |"
        for w in writes
    ]
    if reruns:
        lines += [
            "",
            "| 品牌地图 (Hubei seed, AppTest) | first run | plain rerun |",
            "|---|---:|---:|",
        ]
        lines += [
            f"| {name} | {first:.0f} ms | {rerun:.0f} ms |"
            for name, (first, rerun) in reruns.items()
        ]
        if {"sqlite", "postgresql"} <= set(reruns):
            ratio = reruns["postgresql"][1] / reruns["sqlite"][1]
            lines.append(f"\nPostgreSQL rerun / SQLite rerun: {ratio:.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.store", description=__doc__)
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5, help="AppTest runs per median")
    parser.add_argument("--pg-url", default=os.environ.get("LANDMARKS_BENCH_PG_URL", ""))
    parser.add_argument("--smoke", action="store_true", help="every part once, 2,000 products")
    args = parser.parse_args(argv)
    count, runs = (2_000, 1) if args.smoke else (args.products, args.runs)
    regions = load_regions()
    writes = []
    reruns = {}
    with tempfile.TemporaryDirectory() as folder, server(args.pg_url or None) as url:
        sqlite_target = str(Path(folder) / "bench.sqlite")
        writes.append(measure_writes(sqlite_target, regions, count))
        with fresh_database(url) as target:
            writes.append(measure_writes(target, regions, count))
        reruns["sqlite"] = explorer_runs(str(Path(folder) / "hubei.sqlite"), runs)
        with fresh_database(url) as target:
            reruns["postgresql"] = explorer_runs(target, runs)
    print(report(writes, reruns))
    return 0 if all(write.exact for write in writes) else 1


if __name__ == "__main__":
    sys.exit(main())
