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


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("path", sorted(DATA.glob("*.py")), ids=lambda p: p.name)
def test_the_data_layer_imports_nothing_from_the_layers_above(path: Path) -> None:
    above = ("landmarks.query", "landmarks.maps", "landmarks.ui", "streamlit")
    assert not [name for name in _imports(path) if name.startswith(above)]


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
