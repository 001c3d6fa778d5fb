"""The load script's pure parts: percentiles, rows-lost accounting, the status it reads
from ``cluster.sh``, and the table with its verdicts (bench/load/)."""

from __future__ import annotations

import os

import pytest

from bench.load.cluster import parse_status, port_of, rss_mb
from bench.load.report import (
    BROKEN,
    MET,
    UNMEASURED,
    Outcome,
    all_or_nothing,
    exit_code,
    expected_rows,
    extra_rows,
    percentile,
    rows_lost,
    table,
)


def test_percentile_interpolates_between_ranks() -> None:
    values = [400.0, 100.0, 300.0, 200.0]  # unordered on purpose
    assert percentile(values, 50) == 250.0
    assert percentile(values, 0) == 100.0
    assert percentile(values, 100) == 400.0
    assert percentile(values, 95) == pytest.approx(385.0)
    assert percentile([7.0], 95) == 7.0


def test_percentile_of_nothing_is_none_and_bad_ranks_are_refused() -> None:
    assert percentile([], 95) is None
    with pytest.raises(ValueError, match="outside"):
        percentile([1.0], 101)


def test_rows_lost_counts_what_should_be_there_and_is_not() -> None:
    # 219 before, an import of 500 that said it wrote them, 719 after: nothing lost.
    assert rows_lost(expected_rows(219, 500, True), 719) == 0
    # One row short.
    assert rows_lost(expected_rows(219, 500, True), 718) == 1
    # A refused import expects nothing new; rows beyond are extra, not lost.
    assert expected_rows(219, 500, False) == 219
    assert rows_lost(219, 719) == 0
    assert extra_rows(219, 719) == 500


def test_an_import_is_all_or_nothing() -> None:
    assert all_or_nothing(0, 500)
    assert all_or_nothing(500, 500)
    assert not all_or_nothing(499, 500)
    assert not all_or_nothing(1, 500)


def test_verdicts_follow_the_checks() -> None:
    met = Outcome("a")
    met.check("errors 0", "0", True)
    broken = Outcome("b")
    broken.check("errors 0", "0", True)
    broken.check("p95 ≤ 3 s", "4.10 s", False)
    unmeasured = Outcome("c")
    unmeasured.check("0 errors", "not published", None)
    assert met.verdict == MET
    assert broken.verdict == BROKEN
    assert unmeasured.verdict == UNMEASURED
    assert Outcome("nothing checked").verdict == UNMEASURED
    assert exit_code([met]) == 0
    assert exit_code([met, broken]) == 1
    assert exit_code([met, unmeasured]) == 1  # a figure not measured is no pass


def test_the_table_has_a_row_per_scenario_with_figures_and_verdict() -> None:
    outcome = Outcome(
        "a) 30 sessions",
        sessions=30,
        errors=0,
        filter_ms=[1000.0, 2000.0, 3000.0],
        rss_mb={"replica1": 261.4, "replica2": 270.0},
        lost=0,
        figures=["import exit 0 | ok"],
    )
    outcome.check("p95 ≤ 3 s", "2.90 s", True)
    late = Outcome("d) replica killed")
    late.check("its sessions land on a working replica", "1/2", False)
    lines = table([outcome, late]).splitlines()
    assert lines[0].startswith("| scenario | sessions | errors | filter → map p50 / p95")
    assert len(lines) == 4
    first = lines[2]
    assert "| 30 | 0 | 2.00 s / 2.90 s (n=3) |" in first
    assert "replica1 261, replica2 270" in first
    assert "import exit 0 \\| ok" in first  # a | inside a cell does not split it
    assert first.endswith("| met |")
    assert lines[3].endswith("| **BROKEN** |")
    assert "1/2 ✗" in lines[3]


def test_cluster_status_lines_are_read() -> None:
    text = """balancer http://127.0.0.1:41000 pid 101
replica1 http://127.0.0.1:41001 pid 102
replica2 http://127.0.0.1:41002 not running
replica3 http://127.0.0.1:41003 pid 104
postgresql /tmp/landmarks-pg.x/socket pid 105
public /repo/static/p served at http://127.0.0.1:41000/p/
LANDMARKS_DB=postgresql://landmarks@/landmarks?host=/tmp/landmarks-pg.x/socket&port=5
"""
    status = parse_status(text)
    assert list(status.replicas) == ["replica1", "replica3"]  # replica2 is down
    assert status.replicas["replica3"].pid == 104
    assert status.parts["balancer"].address == "http://127.0.0.1:41000"
    assert status.postgresql is not None and status.postgresql.pid == 105
    assert status.db_url.startswith("postgresql://landmarks@/landmarks?host=")


def test_rss_is_read_from_proc() -> None:
    mine = rss_mb(os.getpid())
    assert mine is not None and mine > 1
    assert rss_mb(2**22 + 12345) is None  # beyond pid_max: no such process


def test_a_replicas_port_is_read_from_its_address() -> None:
    assert port_of("http://127.0.0.1:41001") == 41001
    assert port_of("http://127.0.0.1:41001/") == 41001
    assert port_of("/tmp/landmarks-pg.x/socket") is None
