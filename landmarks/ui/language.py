"""The language switch (中文 / English) in the sidebar, kept in the session and the link.

The choice is read once per run, before the pages build anything, and set for the run
(``i18n.set_language``); a link with ``lang=en`` opens in English, and so does going
Back (or Forward) to a page that was shown in English.  Fragments rerun
without the app's top, so the session's choice is also registered as the fallback.
"""

from __future__ import annotations

import streamlit as st

from landmarks import i18n
from landmarks.ui import browser_values

LANGUAGE = "ui_language"
QUERY_KEY = "lang"


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
    )


def to_query() -> dict[str, str]:
    """The link parameter of the current language (none for the default)."""
    code = i18n.current_language()
    return {} if code == i18n.DEFAULT_LANGUAGE else {QUERY_KEY: code}
