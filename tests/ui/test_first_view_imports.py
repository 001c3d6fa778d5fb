"""The first view after a server start imports only what it draws.

Run in a process of its own (the test process has imported everything long before): the
overview (the first page) and the explorer each run once through AppTest, then the
process says which of the slow imports happened.  altair (about 0.4 s) is for the charts
of other pages; Streamlit's emoji catalogue (0.12-0.16 s) was loaded by the language
switch's option 中文."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import APP_FILE

ROOT = Path(APP_FILE).parent
NOT_ON_THE_FIRST_VIEW = ("altair", "streamlit.emojis")

_SCRIPT = """
import json, logging, sys
logging.disable(logging.WARNING)
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=300)
if {page!r}:
    at.switch_page({page!r})
at.run()
assert not at.exception, at.exception
assert at.title, "the page drew nothing"
print(json.dumps({{name: name in sys.modules for name in {names!r}}}))
"""


@pytest.mark.parametrize("page", ["", "pages/explorer.py"], ids=["overview", "explorer"])
def test_the_first_run_imports_no_altair_nor_the_emoji_catalogue(db_path: Path, page: str) -> None:
    script = _SCRIPT.format(app=APP_FILE, page=page, names=NOT_ON_THE_FIRST_VIEW)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    imported = json.loads(done.stdout.strip().splitlines()[-1])
    assert imported == dict.fromkeys(NOT_ON_THE_FIRST_VIEW, False)
