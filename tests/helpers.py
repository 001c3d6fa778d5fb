"""Helpers for AppTest-based page tests."""

from __future__ import annotations

import errno
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

APP_FILE = str(Path(__file__).resolve().parents[1] / "app.py")


def run_app(page: str | None = None, params: dict[str, Any] | None = None) -> AppTest:
    """Open ``page`` (e.g. 'pages/explorer.py'; the default page when None) as a shared
    link with query ``params`` would: one run, straight on that page; it must raise
    nothing.  (Each page's url path is its file's stem, which AppTest finds before the
    first run.)"""
    at = AppTest.from_file(APP_FILE, default_timeout=90)
    if page:
        at.switch_page(page)
    at.query_params = dict(params or {})
    at.run()
    assert not at.exception, at.exception
    return at


PROVENANCE = "数据来源与说明"


def provenance_panel(at: AppTest) -> Any:
    """The page's 数据来源与说明 panel, opened as a click on it does (its contents are
    drawn only while it is open: a rerun)."""
    at.session_state["provenance_open"] = True
    at.run()
    assert not at.exception, at.exception
    return next(e for e in at.expander if e.label == PROVENANCE)


def headings(at: AppTest) -> list[str]:
    """The section headings on the page (st.header and st.subheader; card titles among them)."""
    return [h.value for h in (*at.header, *at.subheader)]


def components(at: AppTest) -> list[Any]:
    """Custom-component elements (st_folium maps) in the rendered tree."""
    found = []

    def walk(node: Any) -> None:
        if getattr(node, "type", None) == "component_instance":
            found.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def map_args(at: AppTest) -> dict[str, Any]:
    """The single st_folium map's arguments, as the browser receives them."""
    maps = components(at)
    assert len(maps) == 1, f"expected one map, found {len(maps)}"
    return json.loads(maps[0].proto.json_args)


def write_protect(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the app's write probe of ``folder`` fail as on a read-only mount (tests run
    as root, where permissions stop no write): the database there opens read-only."""
    temporary_file = tempfile.TemporaryFile

    def write_protected(*args: Any, **kwargs: Any) -> Any:
        if Path(kwargs.get("dir") or ".") == folder:  # the write probe of that folder
            raise OSError(errno.EROFS, "Read-only file system")
        return temporary_file(*args, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryFile", write_protected)
