"""The one normalisation of text typed or pasted by users (names, search words, URL values).

Staff often type with an input method left in full-width mode (ＺＩＧＵＩ, "宜昌　市") or
paste names with stray spaces; NFKC folds full-width letters, digits and spaces into their
plain forms so every lookup sees one spelling.
"""

from __future__ import annotations

import re
import unicodedata

_WHITE_SPACE = re.compile(r"\s+")


def normalize_text(value: object, *, keep_spaces: bool = True) -> str:
    """NFKC-normalised and trimmed; ``keep_spaces=False`` also removes inner white space."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text if keep_spaces else _WHITE_SPACE.sub("", text)


def key_text(value: object) -> str:
    """A name as compared when it identifies a record: NFKC, case folded, white space
    collapsed, so ＡＢＣ茶, ABC茶 and abc茶 name one product (never stored: names keep the
    spelling users gave them)."""
    return _WHITE_SPACE.sub(" ", normalize_text(value)).casefold()
