"""Data strings made safe for Streamlit Markdown.

Data reaches the page only through ``md`` (escaped) or as plain cell values; no HTML is
built from data, so a product called ``<img src=x onerror=...>`` is shown as text.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def md(text: object) -> str:
    """Markdown-escape a data string so it renders literally (no links, HTML, LaTeX)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def link(label: str, url: str) -> str:
    """A Markdown link to a URL already checked to be http(s) without spaces or quotes."""
    # Brackets would end the Markdown link early, so they are percent-encoded.
    safe = url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")
    return f"[{md(label)}](<{safe}>)"
