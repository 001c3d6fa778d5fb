"""Data text as it may be shown: without the invisible characters that disguise it.

Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder what follows
them, so ``\u202egpj.exe`` reads as ``exe.jpg``; zero-width spaces and joiners hide inside a
name so two names that look the same differ.  Every medium that shows data text (Streamlit
Markdown, HTML, matplotlib) removes them first.  The zero-width joiner (U+200D) stays: it
binds emoji sequences and some scripts and reorders nothing.
"""

from __future__ import annotations

import re

# Bidi embeddings, overrides, isolates and marks; zero-width space, non-joiner, word joiner
# and the invisible operators; the byte order mark.
_INVISIBLE = re.compile(
    "[\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def visible(text: object) -> str:
    """``text`` as a string without characters that reorder or hide what is shown."""
    return _INVISIBLE.sub("", str(text))
