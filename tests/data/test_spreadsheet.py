"""The one formula guard and Excel cell bound (landmarks/data/spreadsheet.py), and the
data layer's independence from the layers above it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from landmarks.data import spreadsheet
from landmarks.data.reading import clean_cell

DATA = Path(__file__).resolve().parents[2] / "landmarks" / "data"
LANDMARKS = DATA.parent


ABOVE = ("landmarks.query", "landmarks.maps", "landmarks.ui", "streamlit")


def _imports(path: Path, root: Path = LANDMARKS.parent) -> set[str]:
    """The modules (and names) ``path`` imports, relative imports resolved against its
    package under ``root`` (``from ..query import x`` in landmarks/data/ names
    landmarks.query)."""
    package = path.relative_to(root).parent.parts
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join((*base, *([node.module] if node.module else [])))
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _upward(names: set[str]) -> list[str]:
    return sorted(name for name in names if (name + ".").startswith(tuple(a + "." for a in ABOVE)))


@pytest.mark.parametrize(
    "path", sorted(DATA.rglob("*.py")), ids=lambda p: p.relative_to(DATA).as_posix()
)
def test_the_data_layer_imports_nothing_from_the_layers_above(path: Path) -> None:
    """Every module of landmarks/data, its subpackages too: data never imports query,
    maps or ui (``from landmarks import query`` and relative imports included)."""
    assert not _upward(_imports(path))


@pytest.mark.parametrize(
    "source",
    [
        "from landmarks.query.export import neutralize_frame",
        "from landmarks import ui",
        "import landmarks.maps.web",
        "from ...query import export",
        "from ... import maps",
        "import streamlit as st",
    ],
)
def test_the_layer_check_sees_every_form_of_upward_import(tmp_path: Path, source: str) -> None:
    """The check above cannot pass by missing a form of import (checked on a module
    placed, for the check, at landmarks/data/store/x.py)."""
    assert _upward(_imports(_module(tmp_path, source), root=tmp_path))


@pytest.mark.parametrize(
    "source",
    ["from landmarks.data import sheets", "from . import query", "from .. import maps"],
)
def test_the_layer_check_lets_the_data_layer_import_itself(tmp_path: Path, source: str) -> None:
    """(landmarks.data.store.query, landmarks.data.maps: modules of the data layer.)"""
    assert not _upward(_imports(_module(tmp_path, source), root=tmp_path))


def _module(root: Path, source: str) -> Path:
    module = root / "landmarks" / "data" / "store" / "x.py"
    module.parent.mkdir(parents=True)
    module.write_text(source + "\n", encoding="utf-8")
    return module


def test_the_formula_signs_are_defined_once() -> None:
    """The guard written and the guard undone are one set of signs, in one module."""
    defining = [
        path.relative_to(LANDMARKS).as_posix()
        for path in sorted(LANDMARKS.rglob("*.py"))
        if '"=", "+", "-", "@"' in path.read_text(encoding="utf-8")
        or "[=+\\-@]" in path.read_text(encoding="utf-8")
    ]
    assert defining == ["data/spreadsheet.py"]


@pytest.mark.parametrize("text", ["=1+1", "+86", "-3", "@SUM(A1)", "'=1", "''-2", "a=b", "秭归"])
def test_a_guarded_cell_reads_back_as_it_was(text: str) -> None:
    guarded = text if not spreadsheet.looks_guarded(text) else "'" + text  # as dumps do
    written = spreadsheet.neutralize(guarded)
    assert isinstance(written, str)
    assert clean_cell(written) == text
