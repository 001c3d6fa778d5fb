"""``python -m bench.load``: the cluster under load and under faults (issue 22).

Starts its own cluster (``bash scripts/cluster.sh up 3`` under a temporary
``LANDMARKS_CLUSTER_STATE``, stopped with ``down`` at the end whatever happens), or uses
a running one (``--url``, its parts read from ``cluster.sh status`` under the current
``LANDMARKS_CLUSTER_STATE``), and runs, on loopback only:

a) sessions: ``--sessions`` Chromium contexts on 品牌地图 through the balancer, changing
   the 产业链 filter for ``--seconds`` while the CLI imports 500 synthetic products;
b) ``--requests`` concurrent requests for the public page ``/p/``;
f) the crowd path: the public page against the app's explorer in Chromium throttled to
   9 Mbit/s and 150 ms round trip, cache disabled (bytes, time to the first map);
d) one replica killed (SIGKILL) while sessions run;
c) PostgreSQL restarted in the middle of an import;
e) SQLite alone (no cluster): a full tmpfs and a read-only file, for the CLI import and
   an app server opened in Chromium.

Every wait is bounded, and the whole run by ``--deadline`` seconds: a scenario that would
start after it is reported as not measured.  Prints one markdown table; exits 1 when a
budget is broken or a figure could not be measured.  ``--smoke`` runs a tiny version of
every scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

from bench.load import crowd, faults, http_load, sessions
from bench.load.cluster import (
    CLUSTER_SCRIPT,
    Cluster,
    RssSampler,
    Status,
    cluster_env,
    established,
    port_of,
    started,
)
from bench.load.data import (
    count,
    finish_import,
    seeded,
    start_import,
    stop_imports,
    write_import_file,
)
from bench.load.report import (
    Outcome,
    all_or_nothing,
    exit_code,
    expected_rows,
    extra_rows,
    percentile,
    rows_lost,
    table,
)

IMPORT_ROWS = 500
PUBLIC_BYTES = 1_000_000
PUBLIC_FIRST_MAP_MS = 2000
FILTER_P95_MS = 3000
# Whether the time budgets decide the verdict.  ``--smoke`` (a handful of changes on a
# machine busy with the test run) reports the times without judging them: its job is
# that every scenario still runs, with no error and no row lost.
TIMES_JUDGED = True


def _timed(met: bool) -> bool:
    return met or not TIMES_JUDGED


IMPORT_TIMEOUT_S = 180


class Interrupted(Exception):
    """SIGTERM, turned into an exception so that every ``finally`` runs."""


def _on_term(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(f"signal {signum}")


@contextlib.contextmanager
def measured(outcome: Outcome, status: Status | None) -> Iterator[None]:
    """Peak RSS of the replicas while the scenario runs; an unforeseen failure is said in
    the outcome (and leaves its checks not measured), never raised."""
    replicas = status.replicas if status else {}
    try:
        with RssSampler(replicas) as sampler:
            yield
    except (KeyboardInterrupt, Interrupted):
        raise
    except Exception as error:
        outcome.notes.append(f"failed: {type(error).__name__}: {str(error).splitlines()[0][:200]}")
        outcome.check("ran to the end", "no", None)
    outcome.rss_mb = dict(sorted(sampler.peak.items()))


def _session_figures(outcome: Outcome, done: list[sessions.Session]) -> None:
    outcome.sessions = len(done)
    outcome.filter_ms = [ms for s in done for ms in s.filter_ms]
    opened = [s.open_ms for s in done if s.opened]
    if opened:
        outcome.figures.append(
            f"opened {len(opened)}/{len(done)}, map first drawn median "
            f"{statistics.median(opened) / 1000:.1f} s"
        )


# --------------------------------------------------------------------- scenarios


def sessions_with_import(
    cluster: Cluster, status: Status, count_: int, seconds: float, rows: int, folder: Path
) -> Outcome:
    outcome = Outcome(f"a) {count_} sessions, 3 replicas, import of {rows} rows")
    with measured(outcome, status):
        file = folder / "sessions-import.csv"
        names = write_import_file(file, rows, rng_seed=1)
        seeded(status.db_url)
        before = count(status.db_url, names)
        imported: list[object] = []

        async def during(crowd_: sessions.Crowd) -> None:
            await asyncio.sleep(min(5.0, seconds / 4))
            process = start_import(status.db_url, file)
            done = await asyncio.to_thread(finish_import, process, IMPORT_TIMEOUT_S)
            imported.append(done)

        done = asyncio.run(sessions.run_sessions(cluster.url, count_, seconds, during))
        _session_figures(outcome, done)
        errors = sum(len(s.errors) for s in done)
        outcome.errors = errors
        result = imported[0] if imported else None
        after = count(status.db_url, names)
        ok_import = bool(result and result.code == 0)  # type: ignore[attr-defined]
        expected = expected_rows(before.products, rows, ok_import)
        outcome.lost = rows_lost(expected, after.products)
        outcome.figures.append(
            f"import exit {result.code if result else '–'}"  # type: ignore[attr-defined]
            f", {after.of_names}/{rows} rows stored, products {before.products}→{after.products}"
        )
        if extra_rows(expected, after.products):
            outcome.notes.append(f"{extra_rows(expected, after.products)} rows more than expected")
        p95 = percentile(outcome.filter_ms, 95)
        outcome.check("errors 0", str(errors), errors == 0)
        outcome.check("rows lost 0", str(outcome.lost), outcome.lost == 0 and ok_import)
        outcome.check(
            "p95 ≤ 3 s", "–" if p95 is None else f"{p95 / 1000:.2f} s",
            None if p95 is None else _timed(p95 <= FILTER_P95_MS),
        )  # fmt: skip
        for session in done:
            outcome.notes.extend(f"session {session.number}: {e}" for e in session.errors[:2])
    return outcome


def public_requests(cluster: Cluster, status: Status, requests: int) -> Outcome:
    outcome = Outcome(f"b) {requests} concurrent requests for /p/")
    with measured(outcome, status):
        problem = asyncio.run(crowd.published(cluster.url))
        if problem:
            outcome.figures.append(problem)
            outcome.check("0 errors", problem, None)
            return outcome
        answers = asyncio.run(
            http_load.hammer(cluster.url, crowd.PUBLIC_PATH, requests, crowd.PUBLIC_MAP.encode())
        )
        outcome.sessions = requests
        outcome.errors = len(answers.errors)
        p50 = percentile(answers.latencies_ms, 50)
        p95 = percentile(answers.latencies_ms, 95)
        if p50 is not None and p95 is not None:
            outcome.figures.append(f"latency p50 {p50:.0f} ms, p95 {p95:.0f} ms")
        if answers.errors:
            kinds = sorted(set(answers.errors))
            outcome.figures.append("errors: " + ", ".join(kinds[:4]))
        outcome.check("0 errors", str(len(answers.errors)), not answers.errors)
    return outcome


def crowd_path(cluster: Cluster, status: Status) -> Outcome:
    outcome = Outcome("f) crowd path: /p/ vs app, 9 Mbit/s, 150 ms RTT")
    with measured(outcome, status):
        public, app, problem = asyncio.run(crowd.compare(cluster.url))
        for seen in (public, app):
            if seen is not None:
                ms = seen.first_map_ms
                drawn = "never" if ms is None else f"{ms / 1000:.2f} s"
                outcome.figures.append(f"{seen.what}: {seen.bytes / 1e6:.2f} MB, first map {drawn}")
        if public is None:
            outcome.figures.append(f"public /p/: {problem}")
            outcome.check("public ≤ 1 MB", problem, None)
            outcome.check("first map ≤ 2 s", problem, None)
        else:
            outcome.check(
                "public ≤ 1 MB", f"{public.bytes / 1e6:.2f} MB", public.bytes <= PUBLIC_BYTES
            )
            ms = public.first_map_ms
            outcome.check(  # first map
                "first map ≤ 2 s", "never" if ms is None else f"{ms / 1000:.2f} s",
                ms is not None and _timed(ms <= PUBLIC_FIRST_MAP_MS),
            )  # fmt: skip
    return outcome


def replica_killed(cluster: Cluster, status: Status, count_: int, seconds: float) -> Outcome:
    outcome = Outcome(f"d) replica killed under {count_} sessions")
    with measured(outcome, status):
        killed: list[tuple[str, int, int]] = []  # name, pid, its websockets

        async def during(crowd_: sessions.Crowd) -> None:
            await asyncio.sleep(min(8.0, seconds / 3))
            # The replica serving the most sessions (websockets from the balancer).
            serving = {
                name: established(port_of(part.address) or 0)
                for name, part in status.replicas.items()
            }
            name = max(sorted(serving), key=lambda n: serving[n])
            victim = status.replicas[name]
            os.kill(victim.pid, signal.SIGKILL)
            killed.append((name, victim.pid, serving[name]))

        async def after(done: list[sessions.Session]) -> None:
            dropped = [s for s in done if s.left_at and s.opened]
            await asyncio.gather(*(sessions.recover(s, 120_000) for s in dropped))

        done = asyncio.run(sessions.run_sessions(cluster.url, count_, seconds, during, after))
        _session_figures(outcome, done)
        dropped = [s for s in done if s.left_at and s.opened]
        others = [s for s in done if s not in dropped]
        other_errors = sum(len(s.errors) for s in others)
        recovered = [s for s in dropped if s.recovered_ms is not None]
        outcome.errors = other_errors + sum(len(s.errors) for s in dropped)
        tracebacks = sum(s.tracebacks for s in done)
        back = [s.recovered_ms or 0.0 for s in recovered]
        name, pid, serving = killed[0] if killed else ("none", 0, 0)
        outcome.figures.append(
            f"killed {name} (pid {pid}, {serving} connections); {len(dropped)} sessions"
            " reconnected, "
            f"{len(recovered)} working again"
            + (f" (median {statistics.median(back) / 1000:.1f} s)" if back else "")
        )
        outcome.lost = 0  # nothing is written in this scenario
        outcome.check("other sessions 0 errors", str(other_errors), other_errors == 0)
        outcome.check(
            "its sessions land on a working replica",
            f"{len(recovered)}/{len(dropped)}",
            None if not dropped else len(recovered) == len(dropped),
        )
        outcome.check("0 tracebacks", str(tracebacks), tracebacks == 0)
        for session in done:
            outcome.notes.extend(f"session {session.number}: {e}" for e in session.errors[:2])
    return outcome


def postgres_restarted(cluster: Cluster, status: Status, rows: int, folder: Path) -> Outcome:
    outcome = Outcome(f"c) PostgreSQL restarted during an import of {rows} rows")
    with measured(outcome, status):
        postgresql = status.postgresql
        if postgresql is None:
            outcome.check("0 rows lost", "no PostgreSQL in cluster.sh status", None)
            return outcome
        restart = faults.postgres_restart(status.db_url, postgresql.pid, rows, folder)
        first, retry = restart.first, restart.retry
        assert first is not None
        outcome.figures.append(
            ("restarted while the import held the write lock" if restart.mid_write
             else "the write lock was never seen: restarted after")
            + f"; import exit {first.code}: {first.last_line[:160]}"
        )  # fmt: skip
        outcome.figures.append(f"rows after it: {restart.present_after_first}/{rows}")
        if retry is not None:
            outcome.figures.append(f"run again: exit {retry.code}: {retry.last_line[:120]}")
        whole = all_or_nothing(restart.present_after_first, rows)
        succeeded = first.code == 0 or (retry is not None and retry.code == 0)
        outcome.lost = rows_lost(rows if succeeded else 0, restart.present_at_end)
        tracebacks = first.traceback + bool(retry and retry.traceback)
        outcome.check("all or nothing", f"{restart.present_after_first}/{rows}", whole)
        outcome.check("0 rows lost", str(outcome.lost), outcome.lost == 0 and succeeded)
        outcome.check("0 tracebacks", str(tracebacks), tracebacks == 0)
    return outcome


def sqlite_alone(rows: int, folder: Path, shots: Path | None) -> list[Outcome]:
    found = faults.sqlite_faults(rows, folder, shots)
    outcomes = []
    for fault in found:
        outcome = Outcome(f"e) SQLite, {fault.name}: import of {rows} rows + app")
        lines = [line for line in fault.output.strip().splitlines() if line.strip()]
        outcome.figures.append(f"CLI exit {fault.code}: {lines[-1][:160] if lines else '–'}")
        page = "map drawn" if fault.page_map else "no map"
        said = "; ".join(fault.page_messages)[:200] or "no message"
        outcome.figures.append(f"app: {page}; says: {said}")
        outcome.notes.extend(fault.problems)
        if fault.before:
            lost = int(fault.before["products"]) - int(fault.after.get("products", 0))
            outcome.lost = max(lost, 0)
            intact = "intact" if fault.intact else "CHANGED"
            outcome.check("nothing lost (count, digest)", intact, fault.intact)
        else:
            outcome.check("nothing lost (count, digest)", "; ".join(fault.problems)[:120], None)
        outcome.check("0 tracebacks", str(fault.tracebacks), fault.tracebacks == 0)
        outcome.check(
            "a message, not a silent failure",
            "said" if (fault.code != 0 and lines) else f"exit {fault.code}",
            fault.code != 0 and bool(lines),
        )
        outcomes.append(outcome)
    return outcomes


# -------------------------------------------------------------------------- main


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--url", default="", help="a running cluster's balancer URL")
    parser.add_argument("--cluster-script", type=Path, default=CLUSTER_SCRIPT)
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=120, help="filtering time of (a)")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--rows", type=int, default=IMPORT_ROWS)
    parser.add_argument("--deadline", type=float, default=1800, help="the whole run, seconds")
    parser.add_argument("--only", default="abcdef", help="scenarios to run, e.g. 'be'")
    parser.add_argument("--shots", type=Path, default=None, help="save the SQLite pages here")
    parser.add_argument("--smoke", action="store_true", help="a tiny version of every scenario")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.smoke:
        args.sessions, args.seconds, args.requests = 3, 15, 50
        args.rows = min(args.rows, 50)
        args.deadline = min(args.deadline, 600)
        global TIMES_JUDGED
        TIMES_JUDGED = False
    signal.signal(signal.SIGTERM, _on_term)
    sessions.SHOTS = args.shots
    stop_at = time.monotonic() + args.deadline
    outcomes: list[Outcome] = []

    def in_time(name: str) -> bool:
        if time.monotonic() < stop_at:
            return True
        late = Outcome(f"{name}) skipped")
        late.check("ran", f"after the {args.deadline:.0f} s deadline", None)
        outcomes.append(late)
        return False

    started_at = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-load-") as scratch:
            folder = Path(scratch)
            # The replicas and the CLI publish the public page here, not into the repo.
            os.environ.setdefault("LANDMARKS_PUBLIC_DIR", str(folder / "public"))
            if set(args.only) & set("abcdf"):
                with _cluster(args, folder) as cluster:
                    status = cluster.status()
                    killed_sessions = max(3, args.sessions // 3)
                    runs: list[tuple[str, Callable[[], Outcome]]] = [
                        ("a", lambda: sessions_with_import(
                            cluster, status, args.sessions, args.seconds, args.rows, folder)),
                        ("b", lambda: public_requests(cluster, status, args.requests)),
                        ("f", lambda: crowd_path(cluster, status)),
                        ("d", lambda: replica_killed(cluster, status, killed_sessions,
                                                     max(20, args.seconds / 2))),
                        ("c", lambda: postgres_restarted(cluster, status, args.rows, folder)),
                    ]  # fmt: skip
                    for name, run in runs:
                        if name in args.only and in_time(name):
                            print(f"bench.load: scenario {name} …", file=sys.stderr, flush=True)
                            outcomes.append(run())
            if "e" in args.only and in_time("e"):
                print("bench.load: scenario e …", file=sys.stderr, flush=True)
                outcomes.extend(sqlite_alone(args.rows, folder, args.shots))
    except (KeyboardInterrupt, Interrupted) as stop:
        stop_imports()
        print(f"bench.load: interrupted ({str(stop) or 'Ctrl-C'}); the cluster was stopped",
              file=sys.stderr)  # fmt: skip
        print(table(outcomes))
        return 130
    print(table(outcomes))
    if not TIMES_JUDGED:
        print("\n--smoke: the time budgets (p95, first map) are shown, not judged.")
    notes = [f"- {o.name.split(')')[0]}) {n}" for o in outcomes for n in o.notes[:6]]
    if notes:
        print("\nNotes:\n" + "\n".join(notes))
    print(f"\n(bench.load ran {time.monotonic() - started_at:.0f} s)")
    return exit_code(outcomes)


@contextlib.contextmanager
def _cluster(args: argparse.Namespace, folder: Path) -> Iterator[Cluster]:
    if args.url:
        yield Cluster(args.url.rstrip("/"), args.cluster_script, cluster_env(None))
        return
    with started(args.cluster_script, folder / "cluster", args.replicas) as cluster:
        yield cluster
