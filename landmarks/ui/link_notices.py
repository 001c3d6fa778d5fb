"""What a shared link asked for that a page ignored: one warning, until dismissed."""

from __future__ import annotations

import streamlit as st

from landmarks.i18n import t
from landmarks.ui.markdown import md


def show(state_key: str, button_key: str) -> None:
    """The notices kept under ``state_key`` (Markdown-escaped) and a button that dismisses
    them; nothing when there are none."""
    items = st.session_state.get(state_key) or []
    if items:
        st.warning(
            t("链接中有无法识别的参数，已忽略：") + "\n\n" + "\n".join(f"- {md(n)}" for n in items),
            icon=":material/link_off:",
        )
        st.button(t("知道了"), key=button_key, on_click=_dismiss, args=(state_key,))


def _dismiss(state_key: str) -> None:
    st.session_state[state_key] = []
