"""The benchmark's run: what --smoke measures, and that any failed part fails the run."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import data, run
from bench.serve import ServerResult
from bench.wire import CLICK_COUNTIES, FILTER_CHAINS, PageReruns, Rerun, Reruns

HUBEI = data.Scale("hubei", "湖北", Path("db.sqlite"), None, Path("raw.geojson"))


def server_result(clicks_failed: str = "", external_requests: int = 0) -> ServerResult:
    reruns = Reruns([Rerun(ws_bytes=1, frames=1, http_bytes=0, script_runs=1, idle_ms=1.0)])
    return ServerResult(
        cold_starts=1,
        health_ms=1.0,
        first_map_ms=2.0,
        floor_ms=1.0,
        idle_rss_mb=1.0,
        reruns=PageReruns(reruns, None if clicks_failed else reruns, clicks_failed),
        sessions=2,
        sessions_rss_mb=1.0,
        sessions_ms=1.0,
        sessions_cpu_s=1.0,
        external_requests=external_requests,
    )


def test_a_clean_server_measurement_has_no_failures() -> None:
    assert run.server_failures("湖北", server_result()) == []


def test_clicks_not_measured_and_requests_leaving_the_machine_are_failures() -> None:
    assert run.server_failures("湖北", server_result(clicks_failed="no free point")) == [
        "湖北: county clicks not measured: no free point"
    ]
    assert run.server_failures("湖北", server_result(external_requests=2)) == [
        "湖北: 2 requests to other hosts"
    ]


def test_the_full_run_changes_every_filter_and_clicks_every_county() -> None:
    work = run.workload(run.Plan(HUBEI, 7, 7, 3, sessions=10), "explorer")
    assert tuple(work.chains) == FILTER_CHAINS
    assert tuple(county.name for county in work.counties) == CLICK_COUNTIES
    assert [county.adcode for county in work.counties] == ["422801", "420527", "422825"]
    assert (work.cold_starts, work.sessions, work.rerun_page) == (3, 10, "explorer")


def test_the_smoke_run_does_each_browser_action_once() -> None:
    work = run.workload(run.Plan(HUBEI, 1, 1, 1, sessions=2, actions=1), "explorer")
    assert (len(work.chains), len(work.counties), work.sessions) == (1, 1, 2)


def test_smoke_and_quick_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run.parse_args(["--smoke", "--quick"])
    assert "not allowed with argument" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        ([], "results.md"),
        (["--smoke"], "results-smoke.md"),
        (["--app-dir", str(run.ROOT)], "results.md"),
    ],
)
def test_results_files(argv: list[str], name: str) -> None:
    assert run.results_path(run.parse_args(argv)) == data.CACHE_DIR / name


@pytest.mark.parametrize(("failures", "code"), [([], 0), (["湖北: page runs failed"], 1)])
def test_any_failed_part_fails_the_run(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    failures: list[str],
    code: int,
) -> None:
    plan = run.Plan(HUBEI, 1, 1, 1, sessions=2)
    result = run.ScaleResult(HUBEI, "103 counties", 1, {}, None, None, "品牌地图")
    monkeypatch.setattr(data, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(run, "plans", lambda args: [plan])
    monkeypatch.setattr(run, "measure_scale", lambda *args: (result, failures))
    monkeypatch.setattr(run, "machine", lambda: "a test machine")
    monkeypatch.setattr(run, "quiet_streamlit", lambda: None)  # it silences logging for good
    assert run.main(["--smoke"]) == code
    report = (tmp_path / "results-smoke.md").read_text(encoding="utf-8")
    assert ("**湖北: page runs failed**" in report) == bool(failures)
    assert ("1 part(s) failed" in capsys.readouterr().err) == bool(failures)
