"""The language switch (中文 / English) in the sidebar, kept in the session and the link.

The choice is read once per run, before the pages build anything, and set for the run
(``i18n.set_language``); a link with ``lang=en`` opens in English, and so does going
Back (or Forward) to a page that was shown in English.  Fragments rerun
without the app's top, so the session's choice is also registered as the fallback.
"""

from __future__ import annotations

import json
from importlib import resources

import streamlit as st

from landmarks import i18n
from landmarks.i18n import t
from landmarks.query import urlparams
from landmarks.ui import browser_values
from landmarks.ui.markdown import md

LANGUAGE = "ui_language"
QUERY_KEY = "lang"
_NOTICE = "ui_language_notice"  # a link's language the app lacks: said until switched


def _session_language() -> str | None:
    try:
        chosen = st.session_state.get(LANGUAGE)
    except Exception:  # outside a script run: no session to ask
        return None
    return chosen if chosen in i18n.LANGUAGES else None


def choose() -> str:
    """The run's language: the switch's value, or on a session's first run the link's."""
    i18n.set_language_lookup(_session_language)
    if LANGUAGE not in st.session_state or browser_values.history_navigation():
        # A fresh session: after a server restart the browser's switch holds the choice
        # (it may be the very click that reached this session); else the link's.  On the
        # browser's Back/Forward the link's (browser_values reports nothing sent then).
        linked = st.query_params.get(QUERY_KEY, i18n.DEFAULT_LANGUAGE)
        sent = browser_values.sent_choice(LANGUAGE, i18n.LANGUAGES)
        chosen = sent or (linked if linked in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE)
        st.session_state[LANGUAGE] = chosen
        if linked not in i18n.LANGUAGES and not sent:
            st.session_state[_NOTICE] = str(linked)
    code = str(st.session_state[LANGUAGE])
    i18n.set_language(code)
    wanted = to_query()
    if st.query_params.get(QUERY_KEY) != wanted.get(QUERY_KEY):
        if wanted:
            st.query_params[QUERY_KEY] = wanted[QUERY_KEY]
        else:
            del st.query_params[QUERY_KEY]
    return code


# Each option starts with this icon.  Streamlit looks for a leading icon in every option
# of a segmented control; for a non-ASCII text ("中文") without one it loads its emoji
# catalogue (0.12-0.16 s at the first run after a server start), for a Material icon not.
_SWITCH_ICON = ":material/translate:"


def _option(code: str) -> str:
    return f"{_SWITCH_ICON} {i18n.LANGUAGES[code]}"


def switch() -> None:
    """The switch itself, each language named in its own language."""
    st.sidebar.segmented_control(
        "语言 · Language",  # not UI: the same in both languages
        list(i18n.LANGUAGES),
        format_func=_option,
        key=LANGUAGE,
        required=True,
        label_visibility="collapsed",
        on_change=lambda: st.session_state.pop(_NOTICE, None),
    )
    unknown = st.session_state.get(_NOTICE)
    if unknown is not None:  # the link asked for a language the app does not have
        reason = t("可选 {choices}", choices=t("、").join(i18n.LANGUAGES))
        st.sidebar.caption(md(urlparams.invalid_value_notice(QUERY_KEY, unknown, reason)))


def to_query() -> dict[str, str]:
    """The link parameter of the current language (none for the default)."""
    code = i18n.current_language()
    return {} if code == i18n.DEFAULT_LANGUAGE else {QUERY_KEY: code}


# Streamlit's own English texts that no option changes, by where they appear: a pattern
# of the whole text and its Chinese (``$1``: what the pattern's group matched).
_UPLOADER = "[data-testid='stFileUploader']"
_DIALOG = "[role='dialog']"
_DROPDOWN = "[data-baseweb='popover'], [role='listbox']"


def _streamlit_texts() -> list[dict[str, str]]:
    rules = [
        (_UPLOADER, r"^Upload$", t("上传")),
        (_UPLOADER, r"^Upload directories$", t("上传文件夹")),
        (_UPLOADER, r"^Add files$", t("添加文件")),
        (_UPLOADER, r"^Drag and drop (a file|files|file|directories) here$", t("将文件拖放到此处")),
        (_UPLOADER, r"^(\S+) per file$", t("单个文件不超过 {size}", size="$1")),
        (_UPLOADER, r"^(.+) files are not allowed\.$", t("不接受此类文件（{type}）", type="$1")),
        (_DIALOG, r"^Page not found$", t("页面不存在")),
        (
            _DIALOG,
            r"^The page that you have requested does not seem to exist\. "
            r"Running the app's main page\.$",
            t("要打开的页面不存在，已转到首页。"),
        ),
        (
            _DIALOG,
            r"^You have requested page /(.*), but no corresponding file was found in the "
            r"app's pages/ directory\. Running the app's main page\.$",
            t("没有找到页面 /{page}，已转到首页。", page="$1"),
        ),
        (_DROPDOWN, r"^No results$", t("无匹配项")),
        # A picker that accepts typed values (the share address) offers "Add: <typed>".
        (_DROPDOWN, r"^Add: (.*)$", t("使用：{typed}", typed="$1")),
    ]
    return [{"scope": scope, "pattern": pattern, "to": to} for scope, pattern, to in rules]


@st.cache_resource(show_spinner=False)  # a packaged file: read once per server
def _translator_html() -> str:
    return (resources.files("landmarks.ui") / "streamlit_zh.html").read_text(encoding="utf-8")


def streamlit_texts() -> None:
    """In the Chinese interface, a small script of ours puts Streamlit's own English
    texts in Chinese as they appear (the uploader's button and size limit, the page-not-
    found dialog): Streamlit has no option for them.  English keeps them as they are."""
    if i18n.english():
        return
    rules = json.dumps(_streamlit_texts()).replace("</", "<\\/")
    with st.sidebar:
        st.html(_translator_html().replace("{rules}", rules), unsafe_allow_javascript=True)
