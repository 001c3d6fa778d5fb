"""Cached benchmark folders: reused while their manifest matches, rebuilt when it does not,
and never left half-built."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.cache import MANIFEST, building, cached, is_current, read_manifest

MANIFEST_V1 = {"generator": 1, "seed": 7, "provinces": ("湖北省",)}


class Builds:
    """A build that writes a data file and counts its runs."""

    def __init__(self, content: str = "data") -> None:
        self.runs = 0
        self.content = content

    def __call__(self, folder: Path) -> None:
        self.runs += 1
        (folder / "data.txt").write_text(f"{self.content} {self.runs}", encoding="utf-8")


def leftovers(parent: Path) -> list[str]:
    return sorted(path.name for path in parent.iterdir() if path.name.startswith("."))


def test_a_finished_build_is_reused_while_its_manifest_matches(tmp_path: Path) -> None:
    build = Builds()
    target = tmp_path / "scale"
    assert cached(target, MANIFEST_V1, build) == target
    cached(target, dict(MANIFEST_V1), build)
    assert build.runs == 1
    assert (target / "data.txt").read_text(encoding="utf-8") == "data 1"
    assert read_manifest(target) == json.loads(json.dumps(MANIFEST_V1))


@pytest.mark.parametrize(
    "changed",
    [{"generator": 2}, {"seed": 8}, {"provinces": ("湖北省", "山西省")}, {"schema_version": 4}],
)
def test_a_different_manifest_rebuilds_from_scratch(
    tmp_path: Path, changed: dict[str, object]
) -> None:
    build = Builds()
    target = tmp_path / "scale"
    cached(target, MANIFEST_V1, build)
    (target / "stale.txt").write_text("from the first build", encoding="utf-8")
    cached(target, MANIFEST_V1 | changed, build)
    assert build.runs == 2
    assert sorted(path.name for path in target.iterdir()) == ["data.txt", MANIFEST]
    assert is_current(target, MANIFEST_V1 | changed)
    assert leftovers(tmp_path) == []


def test_rebuild_builds_even_when_current(tmp_path: Path) -> None:
    build = Builds()
    cached(tmp_path / "scale", MANIFEST_V1, build)
    cached(tmp_path / "scale", MANIFEST_V1, build, rebuild=True)
    assert build.runs == 2


def test_a_folder_without_a_manifest_is_not_a_build(tmp_path: Path) -> None:
    target = tmp_path / "scale"  # e.g. left by a benchmark of before manifests
    target.mkdir()
    (target / "db.sqlite").write_text("seeded Hubei products", encoding="utf-8")
    build = Builds()
    cached(target, MANIFEST_V1, build)
    assert build.runs == 1
    assert not (target / "db.sqlite").exists()


@pytest.mark.parametrize("error", [KeyError("family"), KeyboardInterrupt()])
def test_a_build_that_fails_leaves_nothing_behind(tmp_path: Path, error: BaseException) -> None:
    def failing(folder: Path) -> None:
        (folder / "db.sqlite").write_text("half built", encoding="utf-8")
        raise error

    with pytest.raises(type(error)):
        cached(tmp_path / "scale", MANIFEST_V1, failing)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_rebuild_keeps_the_previous_build_and_retries(tmp_path: Path) -> None:
    target = tmp_path / "scale"
    cached(target, MANIFEST_V1, Builds("old"))

    def failing(folder: Path) -> None:
        raise RuntimeError("schema changed")

    newer = MANIFEST_V1 | {"generator": 2}
    with pytest.raises(RuntimeError):
        cached(target, newer, failing)
    assert is_current(target, MANIFEST_V1) and not is_current(target, newer)
    assert leftovers(tmp_path) == []
    build = Builds("new")
    cached(target, newer, build)
    assert build.runs == 1


def test_the_manifest_is_written_only_when_the_block_succeeds(tmp_path: Path) -> None:
    with pytest.raises(ValueError), building(tmp_path / "scale", MANIFEST_V1) as folder:
        assert not (folder / MANIFEST).exists()
        raise ValueError("interrupted")
    assert read_manifest(tmp_path / "scale") is None


def test_an_unreadable_manifest_counts_as_no_build(tmp_path: Path) -> None:
    target = tmp_path / "scale"
    target.mkdir()
    (target / MANIFEST).write_text("{not json", encoding="utf-8")
    assert read_manifest(target) is None
    assert not is_current(target, MANIFEST_V1)
