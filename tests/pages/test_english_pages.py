"""The six pages in English: no Chinese in their interface texts, names with their pinyin.

Each page runs headless (AppTest) on the synthetic data with the language chosen before
the first run.  Titles, headings, captions, tabs, expanders, buttons, metrics, messages,
widget labels and options are read; what may stay Chinese is taken out first: names shown
with their pinyin ("恩施玉露 (Enshi Yulu)") and free data text (notes, places, statuses,
which are not translated).  The same pages in Chinese (the default) still read Chinese.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from landmarks import i18n
from landmarks.data.accounts import Account, EditorSession
from landmarks.data.regions import Regions
from landmarks.query import routes
from landmarks.query.routes import Route, Stop
from landmarks.ui import language
from landmarks.ui.auth import SESSION_KEY
from landmarks.ui.markdown import md
from tests import synthetic
from tests.helpers import APP_FILE, run_app

CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
CHINESE_RUN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
# Where a name may start: the text's start, or after a space, colon, comma, bracket or quote.
_NAME_START = re.compile(r"(?:^|(?<=[\s:：,，、(（|｜\"“‘'*\[]))\S")
_PINYIN = re.compile(r" \(([^()]+)\)")
# Free data text of the synthetic tables (kept as the sources wrote it).
DATA_COLUMNS = (
    "note",
    "place",
    "status",
    "scope",
    "scope_note",
    "maintainer_note",
    "title",
    "publisher",
    "site",
    "remarks",
    "source_title",
    "value_text",
    "facts",
    "chain_basis",
)

EXPLORER = "pages/explorer.py"
OUTPUT_MAP = "pages/output_map.py"
ZONES_SITES = "pages/zones_sites.py"
STATISTICS = "pages/statistics.py"
DATA = "pages/data.py"
TEA_ROUTE = Route(
    "恩施茶旅",
    (Stop("product", "恩施玉露"), Stop("site", "伍家台茶园"), Stop("site", "恩施玉露品鉴馆")),
)

# Each page, and the link parameters that open more of it (a card, a tab, a route).
PAGES: list[tuple[str | None, dict[str, str]]] = [
    (None, {}),  # 品牌总览, the default page
    (EXPLORER, {}),
    (EXPLORER, {"product": "恩施玉露"}),
    (EXPLORER, {"county": synthetic.XUANEN}),
    (OUTPUT_MAP, {}),
    (ZONES_SITES, {}),
    (ZONES_SITES, {"zone": "恩施玉露国家地理标志产品保护示范区"}),
    (ZONES_SITES, {"tab": "sites", "site": "伍家台茶园"}),
    (ZONES_SITES, {"tab": "targets"}),
    (ZONES_SITES, {"tab": "nearby", "near": "恩施玉露", "km": "50"}),
    (ZONES_SITES, {"tab": "nearby", "near_site": "伍家台茶园"}),
    (ZONES_SITES, {"tab": "route", **routes.route_to_query(TEA_ROUTE)}),
    (STATISTICS, {}),
    (DATA, {}),
]


@pytest.fixture
def data(db_path: Path, regions: Regions) -> dict[str, pd.DataFrame]:
    return synthetic.install(db_path, regions, synthetic.zones_sites_frames)


def run_in(code: str, page: str | None, params: dict[str, str]) -> AppTest:
    """The app in ``code`` (chosen before the first run, as the switch would), on ``page``
    opened with the link's ``params``.

    AppTest calls the widgets' ``format_func`` in the test's thread, outside the script
    run, where no session says the language: the test's thread is set to it too.
    """
    at = AppTest.from_file(APP_FILE, default_timeout=90)
    at.session_state[language.LANGUAGE] = code
    with i18n.language(code):
        at.run()
        if page:
            at.switch_page(page)
            at.query_params = dict(params)
            at.run()
    assert not at.exception, at.exception
    return at


def _labels(elements: Any, *, options: bool = False) -> list[str]:
    found = []
    for element in elements:
        if getattr(element, "key", None) == language.LANGUAGE:
            continue  # the switch names each language in its own language
        found.append(str(element.label))
        if options:
            found.extend(str(option) for option in element.options)
    return found


def interface_texts(at: AppTest) -> list[str]:
    """What the page says, element by element (labelled by its kind)."""
    texts: list[tuple[str, str]] = []
    for kind in ("title", "header", "subheader", "caption", "info", "warning", "error", "success"):
        texts += [(kind, str(element.value)) for element in getattr(at, kind)]
    texts += [("metric", f"{m.label} | {m.value}") for m in at.metric]
    for kind in ("tabs", "expander", "button", "download_button", "toggle", "checkbox"):
        texts += [(kind, label) for label in _labels(getattr(at, kind))]
    texts += [("text_input", label) for label in _labels(at.text_input)]
    for kind in ("selectbox", "multiselect", "radio", "select_slider", "segmented_control"):
        texts += [(kind, text) for text in _labels(getattr(at, kind), options=True)]
    texts += [("pills", text) for text in _labels(at.pills, options=True)]
    return [f"{kind}: {text}" for kind, text in texts]


def _data_texts(tables: dict[str, pd.DataFrame]) -> list[str]:
    """The synthetic tables' free texts, longest first."""
    found: set[str] = set()
    for table in tables.values():
        for column in DATA_COLUMNS:
            if column in table:
                for value in table[column].dropna().astype(str):
                    found.update(part for part in re.split(r"[；;\n]", value) if part.strip())
    return sorted((text.strip() for text in found if CHINESE.search(text)), key=len, reverse=True)


def without_names(text: str) -> str:
    """``text`` without the names shown with their pinyin ("恩施玉露 (Enshi Yulu)"): a
    bracketed romanization and the text before it that it romanizes."""
    for match in reversed(list(_PINYIN.finditer(text))):
        before = text[: match.start()]
        for start in (found.start() for found in _NAME_START.finditer(before)):
            name = before[start:]
            if CHINESE.search(name) and i18n.romanize(name) == match.group(1):
                text = text[:start] + text[match.end() :]
                break
    return text


def chinese_left(text: str, data_texts: list[str]) -> list[str]:
    """The Chinese runs of ``text`` that are neither a name with its pinyin nor data."""
    text = without_names(text.replace("\\", ""))  # Markdown escapes of data
    for data_text in data_texts:
        text = text.replace(data_text, "")
    return CHINESE_RUN.findall(text)


@pytest.mark.parametrize(
    ("page", "params"),
    PAGES,
    ids=[f"{page or 'pages/overview.py'}{'?' if p else ''}{'&'.join(p)}" for page, p in PAGES],
)
def test_page_reads_in_english(
    data: dict[str, pd.DataFrame], page: str | None, params: dict[str, str]
) -> None:
    at = run_in(i18n.ENGLISH, page, params)
    assert at.title and not CHINESE.search(at.title[0].value)
    data_texts = _data_texts(data)
    chinese = [
        f"{text}  ← {left}"
        for text in interface_texts(at)
        if (left := chinese_left(text, data_texts))
    ]
    assert not chinese, f"{len(chinese)} texts with Chinese:\n" + "\n".join(chinese)


def test_names_keep_chinese_with_their_pinyin(data: dict[str, pd.DataFrame]) -> None:
    at = run_in(i18n.ENGLISH, ZONES_SITES, {"tab": "sites", "site": "伍家台茶园"})
    shown = f"伍家台茶园 ({i18n.romanize('伍家台茶园')})"
    assert any(h.value == f"Site card: {md(shown)}" for h in at.header)
    assert shown in at.selectbox(key="zs_site_picker").options
    assert at.query_params["lang"] == "en"


def test_tabs_follow_a_change_of_language(data: dict[str, pd.DataFrame]) -> None:
    at = run_in(i18n.ENGLISH, ZONES_SITES, {"tab": "targets"})
    assert at.tabs[0].label == i18n.catalog(i18n.ENGLISH)["示范区"]
    at.session_state[language.LANGUAGE] = i18n.CHINESE
    with i18n.language(i18n.ENGLISH):  # AppTest formats the last run's (English) widgets
        at.run()
    assert not at.exception, at.exception
    assert [tab.label for tab in at.tabs][:1] == ["示范区"]
    assert any(e.value.startswith("**按类型**") for e in at.markdown)  # still on 目标进度
    assert "lang" not in at.query_params


@pytest.mark.parametrize(
    ("page", "params"),
    [(DATA, {}), (ZONES_SITES, {"tab": "route", **routes.route_to_query(TEA_ROUTE)})],
    ids=["data", "route"],
)
def test_editor_controls_read_in_english(
    data: dict[str, pd.DataFrame], page: str, params: dict[str, str]
) -> None:
    at = run_in(i18n.ENGLISH, page, params)
    now = datetime.now(UTC)
    at.session_state[SESSION_KEY] = EditorSession(Account("wang", "王编辑", ""), now, now)
    with i18n.language(i18n.ENGLISH):
        at.run()
        if page == ZONES_SITES:
            at.button(key="zs_route_save").click().run()
            assert at.success and "恩施茶旅" in at.success[0].value
            at.button(key="zs_route_save").click().run()  # the name is taken
            assert at.error
    assert not at.exception, at.exception
    data_texts = [*_data_texts(data), "王编辑", "wang"]
    chinese = [text for text in interface_texts(at) if chinese_left(text, data_texts)]
    assert not chinese, "\n".join(chinese)


@pytest.mark.parametrize(
    "page", [None, EXPLORER, OUTPUT_MAP, ZONES_SITES, STATISTICS, DATA], ids=str
)
def test_page_reads_in_chinese_by_default(data: dict[str, pd.DataFrame], page: str | None) -> None:
    at = AppTest.from_file(APP_FILE, default_timeout=90).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("湖北地标品牌地图 · ")
    assert "lang" not in at.query_params
    assert sum(bool(CHINESE.search(text)) for text in interface_texts(at)) > 3


def test_the_check_takes_out_names_only() -> None:
    assert chinese_left("Sites near **恩施玉露 (Enshi Yulu)**: 3", []) == []
    assert chinese_left("Route “恩施茶旅 (Enshi Chalv)” saved.", []) == []
    assert chinese_left("站点: 恩施玉露 (Enshi Yulu)", []) == ["站点"]
    assert chinese_left("Place: 恩施玉露 (Enshi)", []) == ["恩施玉露"]  # not its pinyin
    assert chinese_left("Note: 待核实", ["待核实"]) == []


@pytest.mark.usefixtures("data")
def test_a_link_in_a_language_the_app_lacks_says_so() -> None:
    """lang=fr opened in Chinese without a word; it names the languages there are."""
    at = run_app("pages/explorer.py", {"lang": "fr"})
    said = " ".join(c.value for c in at.sidebar.caption)
    assert "链接参数 lang\\=fr 无效，已忽略：可选 zh、en" in said  # Markdown-escaped
    assert "lang" not in at.query_params
