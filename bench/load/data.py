"""The imports the scenarios run: a file of synthetic products, the CLI that imports it,
and the counts that say whether anything was lost."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.synthetic import product_rows
from landmarks.data import seed, store
from landmarks.data.columns import with_headers
from landmarks.data.regions import load_regions

ROOT = Path(__file__).resolve().parents[2]
TRACEBACK = "Traceback (most recent call last)"


def write_import_file(path: Path, rows: int, rng_seed: int) -> list[str]:
    """A CSV of ``rows`` synthetic products (names start with 合成, distinct per seed),
    with the import template's headers; returns the names."""
    regions = load_regions()
    template = seed.seed_frames(regions)["products"]
    raw, _ = product_rows(regions, template, rows, np.random.default_rng(rng_seed))
    raw["name"] = raw["name"] + f"（负载{rng_seed}）"
    with_headers(raw, "products").to_csv(path, index=False)
    return list(raw["name"])


@dataclass(frozen=True)
class Counted:
    products: int
    of_names: int  # how many of the given names are stored
    digest: str


def count(target: str, names: list[str] | None = None) -> Counted:
    """Products stored at ``target`` (a URL or a path), how many of ``names`` are among
    them, and the content digest of everything."""
    with store.opened(target, read_only=True) as db:
        products = db.read_table("products")
        stored = set(products["name"])
        return Counted(len(products), len(stored.intersection(names or [])), db.content_digest())


def seeded(target: str) -> None:
    """The database has the seed (a fresh cluster's may be empty until a page runs)."""
    with store.opened(target) as db:
        seed.ensure_seeded(db, load_regions())


@dataclass(frozen=True)
class Imported:
    code: int
    output: str  # stdout and stderr as a user sees them

    @property
    def traceback(self) -> bool:
        return TRACEBACK in self.output

    @property
    def last_line(self) -> str:
        lines = [line for line in self.output.strip().splitlines() if line.strip()]
        return lines[-1] if lines else ""


# Imports running now, so that an interrupted run ends them too (``stop_imports``).
RUNNING: set[subprocess.Popen[str]] = set()


def stop_imports() -> None:
    for process in list(RUNNING):
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        RUNNING.discard(process)


def start_import(target: str, file: Path, author: str = "负载测试") -> subprocess.Popen[str]:
    env = {**os.environ, store.DB_ENV_VARIABLE: target}
    process = subprocess.Popen(
        [sys.executable, "-m", "landmarks", "import", str(file), "--table", "products",
         "--author", author],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    RUNNING.add(process)
    return process


def finish_import(process: subprocess.Popen[str], timeout_s: float) -> Imported:
    try:
        output, _ = process.communicate(timeout=max(timeout_s, 1))
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        return Imported(-9, (output or "") + f"\n(killed after {timeout_s:.0f} s)")
    finally:
        if process.poll() is not None:
            RUNNING.discard(process)
    return Imported(process.returncode, output or "")
