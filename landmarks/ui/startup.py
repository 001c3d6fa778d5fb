"""Make every page run inside ``app.py``'s navigation, even on a server's first request."""

from __future__ import annotations

from importlib import resources

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def run_through_app() -> None:
    """Restart the run through ``app.py`` when Streamlit ran this page on its own.

    Because the project has a ``pages/`` folder, Streamlit treats the app as a legacy
    multipage app until ``st.navigation`` has run once in this server process: a shared
    link such as ``/explorer`` opened first after a restart would run the page without
    ``app.py`` (no page config, no offline map assets, wrong sidebar).  Clearing the flag
    and rerunning makes Streamlit start from ``app.py``, which then opens this page.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


@st.cache_resource(show_spinner=False)  # a packaged file: read once per server
def page_style() -> str:
    """The shared page CSS (``page.css``) as a ``<style>`` element."""
    css = (resources.files("landmarks.ui") / "page.css").read_text(encoding="utf-8")
    return f"<style>{css}</style>"
