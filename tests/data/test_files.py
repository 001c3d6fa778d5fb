"""The one atomic file writer shared by the data caches and the map's assets."""

from __future__ import annotations

from pathlib import Path

import pytest

from landmarks.data import files


def test_write_atomic_creates_the_folder_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "new" / "layer.bin"
    files.write_atomic(target, b"one")
    files.write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["layer.bin"]


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "layer.bin"
    target.write_bytes(b"old")

    def broken(source: str, destination: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", broken)
    with pytest.raises(OSError):
        files.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["layer.bin"]
