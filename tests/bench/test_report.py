"""The benchmark's one table: budgets, no-worse verdicts, before beside after, JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import data, report, run
from bench.report import Report, Row, ScaleRows


def rows(scale: str, **values: float | None) -> ScaleRows:
    units = {"filter_ws": "bytes", "rss_one": "MiB"}
    found = [
        Row(key.replace("_", ".", 1), key, value, units.get(key, "ms"))
        for key, value in values.items()
    ]
    return ScaleRows(scale, scale, "a summary", found, load="1.0")


@pytest.mark.parametrize(
    ("scale", "key", "after", "verdict"),
    [
        ("hubei", "cold.over_floor", 1200.0, "met"),
        ("hubei", "cold.over_floor", 1201.0, "**over**"),
        ("national", "filter.ws", 300_000.0, "met"),
        ("national", "filter.ws", 598_000.0, "**over**"),
        ("national50k", "filter.map", 1400.0, "met"),
        ("national", "click.card", None, "not measured"),
    ],
)
def test_budgets_judge_the_after_value(
    scale: str, key: str, after: float | None, verdict: str
) -> None:
    row = Row(key, key, after, "ms")
    assert report.verdict(scale, key, None, row)[1] == verdict


@pytest.mark.parametrize(
    ("before", "after", "verdict"),
    [
        (1000.0, 1290.0, "same"),  # within 1.25 × + 50 ms
        (1000.0, 1310.0, "**worse**"),
        (1000.0, 700.0, "better"),
        (None, 700.0, "—"),
    ],
)
def test_other_hubei_measures_are_no_worse_within_the_noise(
    before: float | None, after: float, verdict: str
) -> None:
    then = Row("page.overview.rerun", "", before, "ms")
    now = Row("page.overview.rerun", "", after, "ms")
    assert report.verdict("hubei", "page.overview.rerun", then, now) == ("no worse", verdict)
    assert report.verdict("national", "page.overview.rerun", then, now) == ("", "")


def test_before_and_after_pair_by_key_and_show_the_floor() -> None:
    floor = Row("cold.over_floor", "cold start minus floor", 2900.0, "ms", note="floor 2,945 ms")
    before = Report("before run", [ScaleRows("hubei", "湖北", "103 counties", [floor], "3.0")])
    after = Report(
        "after run",
        [rows("hubei", cold_over_floor=1100.0, filter_map=250.0)],
    )
    table = report.table(after, before)
    assert table.splitlines()[0] == "| scale | measure | before | after | budget | verdict |"
    over_floor = next(line for line in table.splitlines() if "cold_over_floor" in line)
    assert "+2,900 ms (floor 2,945 ms) | +1,100 ms | ≤ +1.2 s | met" in over_floor
    filter_map = next(line for line in table.splitlines() if "filter_map" in line)
    assert "| — | 250 ms | ≤ 300 ms | met |" in filter_map
    assert "load average before 3.0, after 1.0" in table


def test_a_report_reads_back_from_its_json(tmp_path: Path) -> None:
    written = Report("heading", [rows("national", filter_ws=598_000.0, rss_one=300.0)], ["x"])
    path = tmp_path / "results.json"
    path.write_text(written.to_json(), encoding="utf-8")
    assert Report.read(path) == written


def test_the_after_run_of_an_earlier_json_sets_it_beside_the_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(data, "CACHE_DIR", tmp_path)
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    before.write_text(Report("b", [rows("hubei", filter_map=655.0)]).to_json(), "utf-8")
    after.write_text(Report("a", [rows("hubei", filter_map=250.0)]).to_json(), "utf-8")
    assert run.main(["--before", str(before), "--after", str(after)]) == 0
    written = (tmp_path / "results-before-after.md").read_text(encoding="utf-8")
    assert "| 655 ms | 250 ms | ≤ 300 ms | met |" in written
    assert "budgets met: 1; over: 0" in capsys.readouterr().out
