"""Data strings made safe for Streamlit Markdown: the one way data reaches Markdown.

Data reaches Markdown only through ``md`` (a string), ``md_lines`` (a message of several
lines), ``link`` (a validated http(s) URL field) and ``page_link`` (the app's own pages),
or as plain cell values; no HTML is built from data, so a product called
``<img src=x onerror=...>`` is shown as text.

Escaping every ASCII punctuation mark stops Markdown links and images, HTML, LaTeX
(``$``) and Streamlit's own directives (``:red[…]``, ``:material/…:``, ``:smile:``).  It
does not stop GitHub's autolinks: Streamlit's renderer finds ``http://``, ``www.`` and
e-mail addresses in the text *after* the escapes are resolved, so ``md`` also puts an
invisible word joiner (U+2060) inside each of them; the text reads the same and stays
one text.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from landmarks.data.urls import url_problem
from landmarks.data.visible import visible

_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
# Where the autolink finder would start a link: a scheme's colon, "www." and the "@" of
# an address.  The word joiner goes before each, after the Markdown escaping.
_AUTOLINK_STARTS = re.compile(r"(?i)(?<=https)(?=\\:)|(?<=http)(?=\\:)|(?<=www)(?=\\\.)|(?=\\@)")
_WORD_JOINER = "\u2060"


def _escaped(text: object) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(visible(text).split()))


def md(text: object) -> str:
    """Markdown-escape a data string so it renders literally, on one line (no links,
    images, HTML, LaTeX, directives, autolinks or invisible reordering characters)."""
    return _AUTOLINK_STARTS.sub(_WORD_JOINER, _escaped(text))


def md_lines(text: object) -> str:
    """A message that may carry data (a file name, a cell, a path) as Markdown: every line
    escaped as ``md`` does, the lines kept apart."""
    return "  \n".join(md(line) for line in visible(text).splitlines() if line.strip())


_LINK_TARGET_ESCAPES = str.maketrans({"(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\\": "%5C"})


def link(label: str, url: str) -> str:
    """A Markdown link to an http(s) URL field's value; anything else is shown as the
    label alone (escaped), never as a link."""
    if url_problem(url) is not None:  # the import's own rule: one rule for links
        return md(label)
    # Brackets would end the Markdown link early, and a backslash would escape the ">"
    # that ends it, so they are percent-encoded.
    safe = url.translate(_LINK_TARGET_ESCAPES)
    # A link's text is never autolinked, so its label needs no word joiners: a label
    # that is itself a URL reads and copies exactly.
    return f"[{_escaped(label)}](<{safe}>)"


def page_link(label: str, page: str, **query: str) -> str:
    """A Markdown link to one of the app's own pages (a relative path such as
    ``explorer``), its query values percent-encoded so data cannot end the link."""
    if not re.fullmatch(r"[a-z_]+", page):
        raise ValueError(f"not a page of the app: {page!r}")
    return f"[{md(label)}](<{page}?{urlencode(query)}>)"
