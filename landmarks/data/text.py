"""The one normalisation of text typed or pasted by users (names, search words, URL values).

Staff often type with an input method left in full-width mode (ＺＩＧＵＩ, "宜昌　市") or
paste names with stray spaces; NFKC folds full-width letters, digits and spaces into their
plain forms so every lookup sees one spelling.
"""

from __future__ import annotations

import re
import unicodedata

from landmarks.data.visible import visible

_WHITE_SPACE = re.compile(r"\s+")


def normalize_text(value: object, *, keep_spaces: bool = True) -> str:
    """NFKC-normalised and trimmed; ``keep_spaces=False`` also removes inner white space."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text if keep_spaces else _WHITE_SPACE.sub("", text)


def key_text(value: object) -> str:
    """A name as compared when it identifies a record: without the characters never
    shown (``visible``: bidi controls, zero-width marks), NFKC, case folded, white space
    collapsed, so ＡＢＣ茶, ABC茶, abc茶 and ABC\u200e茶 name one product (never stored:
    names keep the spelling users gave them).

    The set removed is ``visible``'s, the same the import (``reading.clean_cell``) and
    every display remove, so names that look alike compare alike.  It keeps the zero-width
    joiner (U+200D): it joins emoji sequences and the letters of some scripts, so
    removing it would change how a name looks; it reorders nothing."""
    return _WHITE_SPACE.sub(" ", normalize_text(visible(value))).casefold()
