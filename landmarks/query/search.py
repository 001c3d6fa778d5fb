"""Name search that understands Chinese, full pinyin and pinyin initials.

Staff type 秭归脐橙, "zigui", "zi gui" or "zgqc" (often with an IME left in full-width
mode); all of them must find 秭归脐橙.  The index precomputes, per name, one key string
holding the normalised name and its pinyin spellings, so a search is a single vectorised
substring test over all names.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import cached_property

import numpy as np
import pandas as pd

from landmarks.data.text import normalize_text

# Separates the spellings inside one key; normalize_query removes it from queries, so a
# match never spans two spellings.
_SEPARATOR = "\x1f"
# Readings of polyphonic characters multiply; beyond this many whole-name combinations
# only single-character substitutions of the main reading are indexed.
_MAX_COMBINATIONS = 16
IGNORED = re.compile(r"[\s'’·・\x1f]+")
_HAN = re.compile(r"[\u3400-\u9fff]")


def normalize_query(text: str) -> str:
    """Normalised (``normalize_text``), lower case, no white space or pinyin apostrophes."""
    return IGNORED.sub("", normalize_text(text)).lower()


def _syllables(name: str) -> list[list[str]]:
    """Per character (or per run of non-Chinese text) the candidate spellings."""
    # Imported on the first search: loading its dictionaries takes about 0.3 s, which
    # would otherwise delay the first page after a server start.
    from pypinyin import Style, lazy_pinyin, pinyin

    main = lazy_pinyin(name, style=Style.NORMAL, errors="default")
    every = pinyin(name, style=Style.NORMAL, heteronym=True, errors="default")
    if len(main) != len(every):  # pypinyin split differently: keep the main reading only
        return [[normalize_query(s)] for s in main]
    result = []
    for first, readings in zip(main, every, strict=True):
        options = dict.fromkeys(normalize_query(s) for s in (first, *readings))
        options.update(dict.fromkeys(s.replace("v", "u") for s in list(options)))
        result.append([s for s in options if s])
    return [options for options in result if options]


def _spellings(syllables: list[list[str]]) -> list[list[str]]:
    """Whole-name readings: all combinations when few, else one change at a time."""
    main = [options[0] for options in syllables]
    count = 1
    for options in syllables:
        count *= len(options)
    if count <= _MAX_COMBINATIONS:
        return [list(combo) for combo in itertools.product(*syllables)]
    variants = [main]
    for position, options in enumerate(syllables):
        for other in options[1:]:
            variants.append([*main[:position], other, *main[position + 1 :]])
    return variants


def _initial(syllable: str) -> str:
    # Latin letters and digits inside a name stay whole (e.g. '5a' in '5A茶').
    return syllable[0] if syllable.isalpha() and syllable.isascii() else syllable


def name_key(name: str) -> str:
    """All searchable spellings of one name joined into one string."""
    normalized = normalize_query(name)
    parts = [normalized]
    if _HAN.search(normalized):
        for spelling in _spellings(_syllables(normalized)):
            parts.append("".join(spelling))
            parts.append("".join(_initial(s) for s in spelling))
    return _SEPARATOR.join(dict.fromkeys(parts))


class NameIndex:
    """Search keys for a set of names; build once per data version, query per keystroke.

    The keys are computed on the first search, so pages nobody searches never pay for them.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.names = np.array(list(dict.fromkeys(str(name) for name in names)), dtype=object)
        self._position = {name: i for i, name in enumerate(self.names)}

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(name_key(name) for name in self.names)

    def __len__(self) -> int:
        return len(self.names)

    def key(self, name: str) -> str:
        """The search key of ``name`` (keyed on the fly when it is not indexed)."""
        position = self._position.get(name)
        return self.keys[position] if position is not None else name_key(name)

    def _hits(self, needle: str) -> np.ndarray:
        # A plain loop beats pandas' str.contains on object arrays of this size.
        return np.fromiter((needle in key for key in self.keys), dtype=bool, count=len(self.keys))

    def search(self, query: str) -> set[str]:
        """Names whose name or pinyin contains the query; an empty query matches all."""
        needle = normalize_query(query)
        if not needle:
            return set(self.names)
        return set(self.names[self._hits(needle)])

    def mask(self, names: pd.Series, query: str) -> pd.Series:
        """Boolean mask over ``names``; names missing from the index are keyed on the fly."""
        needle = normalize_query(query)
        if not needle:
            return pd.Series(True, index=names.index)
        hits = self._hits(needle)
        values = names.to_numpy(dtype=object)
        if len(values) == len(self.names) and (values == self.names).all():
            return pd.Series(hits, index=names.index)  # the usual case: the indexed table
        result = [
            hits[position]
            if (position := self._position.get(name)) is not None
            else needle in name_key(name)
            for name in values
        ]
        return pd.Series(result, index=names.index, dtype=bool)
