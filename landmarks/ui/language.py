"""The language switch (中文 / English) in the sidebar, kept in the session and the link.

The choice is read once per run, before the pages build anything, and set for the run
(``i18n.set_language``); a link with ``lang=en`` opens in English.  Fragments rerun
without the app's top, so the session's choice is also registered as the fallback.
"""

from __future__ import annotations

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
    if LANGUAGE not in st.session_state:
        # A fresh session: after a server restart the browser's switch holds the choice
        # (it may be the very click that reached this session); else the link's.
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


def switch() -> None:
    """The switch itself, each language named in its own language."""
    st.sidebar.segmented_control(
        "语言 · Language",  # not UI: the same in both languages
        list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.__getitem__,
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
