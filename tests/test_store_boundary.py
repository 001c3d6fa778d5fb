"""The store is the only place that knows the database (issue 21): outside the SQLite
backend (landmarks/data/store/sqlite*.py) no module of the app imports ``sqlite3`` or
names a construct only SQLite has, and outside landmarks/data/store/ none imports
SQLAlchemy or psycopg or writes SQL of its own.  Docstrings and comments may talk about
them; code and the strings it runs may not."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STORE = Path("landmarks") / "data" / "store"

SQLITE_CONSTRUCTS = ("sqlite_master", "PRAGMA", "BEGIN IMMEDIATE", "lastrowid", "sqlite3.")
DRIVERS = ("sqlite3", "sqlalchemy", "psycopg", "psycopg2", "geoalchemy2")
RAW_SQL = re.compile(
    r"\bSELECT\s|\bINSERT\s+INTO\b|\bDELETE\s+FROM\b|\bUPDATE\s+\S+\s+SET\b|\bCREATE\s+TABLE\b"
    r"|\bDROP\s+TABLE\b|\bALTER\s+TABLE\b"
)


def app_modules(root: Path) -> list[Path]:
    """The app's Python files under ``root``: landmarks/, pages/ and app.py (relative)."""
    found = [Path("app.py")] if (root / "app.py").is_file() else []
    for folder in ("landmarks", "pages"):
        found += sorted(path.relative_to(root) for path in (root / folder).rglob("*.py"))
    return found


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string statements (docstrings, and strings standing alone as
    comments): prose, not code."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def _strings(tree: ast.AST) -> list[str]:
    """The string constants the code uses (parts of f-strings included), not docstrings."""
    prose = _docstrings(tree)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose
    ]


def _imported(tree: ast.AST) -> set[str]:
    """The top-level packages the module imports."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def _names(tree: ast.AST) -> set[str]:
    """Identifiers the code uses (names and attributes)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
    return found


def sqlite_leaks(root: Path, module: Path) -> list[str]:
    """What ``module`` (relative to ``root``) says that only the SQLite backend may."""
    if module.parent == STORE and module.name.startswith("sqlite"):
        return []
    tree = ast.parse((root / module).read_text(encoding="utf-8"), str(module))
    found = [f"imports {name}" for name in sorted(_imported(tree) & {"sqlite3"})]
    found += [f"uses {name}" for name in sorted(_names(tree) & {"sqlite3", "lastrowid"})]
    for text in _strings(tree):
        found += [f"says {construct!r}" for construct in SQLITE_CONSTRUCTS if construct in text]
    return found


def store_leaks(root: Path, module: Path) -> list[str]:
    """What ``module`` does that only the store may: import a database driver or
    SQLAlchemy, or hold SQL in its strings."""
    if STORE in module.parents:
        return []
    tree = ast.parse((root / module).read_text(encoding="utf-8"), str(module))
    found = [f"imports {name}" for name in sorted(_imported(tree) & set(DRIVERS))]
    found += [f"holds SQL {text!r}" for text in _strings(tree) if RAW_SQL.search(text)]
    return found


@pytest.mark.parametrize("module", app_modules(ROOT), ids=str)
def test_only_the_sqlite_backend_knows_sqlite(module: Path) -> None:
    assert sqlite_leaks(ROOT, module) == []


@pytest.mark.parametrize("module", app_modules(ROOT), ids=str)
def test_only_the_store_speaks_to_the_database(module: Path) -> None:
    assert store_leaks(ROOT, module) == []


def test_the_app_modules_are_all_looked_at() -> None:
    found = app_modules(ROOT)
    assert Path("app.py") in found
    assert STORE / "sqlite.py" in found and STORE / "postgres.py" in found
    assert any(path.parts[0] == "pages" for path in found)
    assert Path("landmarks") / "data" / "history.py" in found


# The checks themselves, on planted modules ------------------------------------------------


def plant(root: Path, module: str, source: str) -> Path:
    path = root / module
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    return Path(module)


@pytest.mark.parametrize(
    "source",
    [
        "import sqlite3\n",
        "import sqlite3 as db\n",
        "from sqlite3 import Connection\n",
        "def f(c):\n    return c.execute('PRAGMA journal_mode').fetchone()\n",
        "QUERY = \"SELECT name FROM sqlite_master WHERE type = 'table'\"\n",
        "def f(c):\n    c.execute('BEGIN IMMEDIATE')\n",
        "def f(cursor):\n    return cursor.lastrowid\n",
        "def f(kind):\n    return f'{kind} via sqlite3.connect'\n",
        "def f(c, t):\n    return c.execute(f'PRAGMA table_info({t})')\n",
    ],
)
def test_the_sqlite_check_catches_planted_examples(tmp_path: Path, source: str) -> None:
    for module in ("landmarks/query/planted.py", "pages/9_planted.py", "app.py"):
        assert sqlite_leaks(tmp_path, plant(tmp_path, module, source)), module
    # Elsewhere in the store (the PostgreSQL backend, the shared SQL) too.
    assert sqlite_leaks(tmp_path, plant(tmp_path, "landmarks/data/store/base.py", source))


@pytest.mark.parametrize(
    "source",
    [
        "import sqlalchemy as sa\n",
        "from sqlalchemy import select\n",
        "import psycopg\n",
        "from psycopg import sql\n",
        "import geoalchemy2\n",
        "Q = 'SELECT * FROM products'\n",
        "def f(c, t):\n    c.run(f'DELETE FROM {t} WHERE id = 1')\n",
        "Q = '''\n    INSERT INTO meta (key, value)\n    VALUES (1, 2)\n'''\n",
        "Q = 'UPDATE meta SET value = 2'\n",
        "def f(c):\n    c.run('CREATE TABLE birds (name TEXT)')\n",
    ],
)
def test_the_store_check_catches_planted_examples(tmp_path: Path, source: str) -> None:
    for module in ("landmarks/data/history.py", "landmarks/ui/planted.py", "pages/9_x.py"):
        assert store_leaks(tmp_path, plant(tmp_path, module, source)), module
    # Inside the store it is the store's business.
    assert not store_leaks(tmp_path, plant(tmp_path, "landmarks/data/store/base.py", source))


@pytest.mark.parametrize(
    "source",
    [
        '"""Writes take BEGIN IMMEDIATE on SQLite; SELECT the rows, then UPDATE x SET y."""\n',
        "def f():\n    '''Reads sqlite_master, PRAGMA user_version and cursor.lastrowid.'''\n",
        "# import sqlite3; SELECT * FROM products\nX = 1\n",
        "LABEL = '选择 (select) 一个表'\n",
        "TEXT = 'Update the settings'\n",
        "def f(store):\n    return store.read_table('products')\n",
    ],
)
def test_prose_and_store_calls_pass_both_checks(tmp_path: Path, source: str) -> None:
    module = plant(tmp_path, "landmarks/query/planted.py", source)
    assert sqlite_leaks(tmp_path, module) == []
    assert store_leaks(tmp_path, module) == []


def test_the_sqlite_backend_may_know_sqlite(tmp_path: Path) -> None:
    source = "import sqlite3\nQ = 'PRAGMA journal_mode=WAL'\n"
    for name in ("sqlite.py", "sqlite_errors.py", "sqlite_backups.py"):
        assert sqlite_leaks(tmp_path, plant(tmp_path, f"landmarks/data/store/{name}", source)) == []
    assert sqlite_leaks(tmp_path, plant(tmp_path, "landmarks/data/store/postgres.py", source))
    assert sqlite_leaks(tmp_path, plant(tmp_path, "landmarks/data/sqlite_helpers.py", source))
