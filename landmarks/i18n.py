"""The interface language: Chinese source texts, English from gettext catalogs.

Every text a user can read is written in Chinese in the code and goes through ``t``
(or is marked with ``N_`` where it is defined as a constant, and goes through ``t``
where it is shown).  English comes from the PO files in ``landmarks/locale/en/``, read
with Babel; ``tests/test_i18n.py`` extracts every message from the code and requires an
English entry with the same placeholders.  Product and place names stay Chinese and get
their pinyin beside them in English (``name``).

The language of the current script run is a context variable; the Streamlit layer
registers a lookup (the session's choice) for runs that do not set it, such as a
fragment's own reruns.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

CHINESE = "zh"
ENGLISH = "en"
LANGUAGES: dict[str, str] = {CHINESE: "中文", ENGLISH: "English"}  # not UI: own names
DEFAULT_LANGUAGE = CHINESE
LOCALE_DIR = Path(__file__).parent / "locale"

_chosen: ContextVar[str | None] = ContextVar("landmarks_language", default=None)
_lookup: Callable[[], str | None] | None = None


def set_language_lookup(lookup: Callable[[], str | None] | None) -> None:
    """Where ``current_language`` looks when no run has set the language."""
    global _lookup
    _lookup = lookup


def current_language() -> str:
    chosen = _chosen.get()
    if chosen is None and _lookup is not None:
        chosen = _lookup()
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def set_language(code: str) -> None:
    """Use ``code`` for the rest of this run (this thread's context)."""
    _chosen.set(code if code in LANGUAGES else DEFAULT_LANGUAGE)


@contextmanager
def language(code: str) -> Iterator[None]:
    """Use ``code`` inside the block (exports in a given language, tests)."""
    token = _chosen.set(code if code in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _chosen.reset(token)


def english() -> bool:
    return current_language() == ENGLISH


def N_(message: str) -> str:
    """Mark a constant's text for the catalog; translate it with ``t`` where it is shown."""
    return message


@functools.cache
def catalog(code: str) -> dict[str, str]:
    """``code``'s translations (Chinese text → translation), from every PO file of it."""
    from babel.messages.pofile import read_po

    entries: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / code).glob("*.po")):
        with path.open("rb") as file:
            for message in read_po(file):
                if message.id and isinstance(message.id, str) and message.string:
                    entries[message.id] = str(message.string)
    return entries


def t(message: str, /, **values: object) -> str:
    """``message`` in the current language, its ``{placeholders}`` filled from ``values``.

    A message without an entry stays Chinese (the catalog test keeps that from shipping).
    """
    code = current_language()
    text = message if code == CHINESE else catalog(code).get(message, message)
    return text.format(**values) if values else text


# Romanized names read as words: the place, then what it is in English ("Enshi Yulu",
# "Wuhan City", "Enshi Tujia and Miao Autonomous Prefecture").
_NAME_PARTS = (  # not UI: parts of place names
    ("土家族苗族", "自治州"),
    ("土家族", "自治县"),
    ("自治州",),
    ("自治县",),
    ("林区",),
    ("特区",),
)
_HAN = re.compile("[\u4e00-\u9fff]")  # not UI: the Chinese characters
_ONE_CHARACTER_SUFFIXES = ("省", "市", "县", "区", "州", "镇", "乡")  # not UI
_TWO_CHARACTER_COUNTIES = "县"  # not UI: 房县 is Fang County, its name one character
# What a place is, and the peoples of autonomous areas, in English: each part of
# ``_NAME_PARTS`` and each one-character suffix (县级市 are cities too: 市).
PLACE_TERMS = (
    N_("土家族苗族"),
    N_("土家族"),
    N_("自治州"),
    N_("自治县"),
    N_("林区"),
    N_("特区"),
    N_("省"),
    N_("市"),
    N_("县"),
    N_("区"),
    N_("州"),
    N_("镇"),
    N_("乡"),
)


def _words(text: str) -> list[str]:
    for parts in _NAME_PARTS:
        head, found, _ = text.partition("".join(parts))
        if found and head:
            return [*_words(head), *parts]
    if len(text) > 2 and text.endswith(_ONE_CHARACTER_SUFFIXES):
        return [*_words(text[:-1]), text[-1]]
    if len(text) == 2 and text.endswith(_TWO_CHARACTER_COUNTIES):
        return [text[:-1], text[-1]]
    if len(text) >= 4:  # two characters a word, the odd one joining the last
        pairs = [text[start : start + 2] for start in range(0, len(text) - 1, 2)]
        return pairs if len(text) % 2 == 0 else [*pairs[:-1], pairs[-1] + text[-1]]
    return [text]


# Place names whose reading pypinyin's phrases do not know (长 alone reads zhǎng); set
# here rather than in pypinyin's shared dictionary, which the search also reads.
_PLACE_READINGS = {"长阳": ("chang", "yang")}  # not UI: readings


# Generic words of longer names (zones, routes, sites) read in English, the rest in
# pinyin: 蕲艾国家地理标志产品保护示范区 → Qiai National GI Product Protection Demonstration Zone.
NAME_TERMS = (
    N_("国家地理标志产品保护示范区"),
    N_("国家级农产品地理标志示范样板"),
    N_("茶旅线路"),
    N_("线路"),
    N_("文化旅游区"),
    N_("研学基地"),
    N_("博物馆"),
    N_("产业园"),
    N_("景区"),
    N_("小镇"),
    N_("驿站"),
    N_("示范基地"),
    N_("地理标志"),
)
_TERMS_LONGEST_FIRST = sorted(NAME_TERMS, key=len, reverse=True)
# Punctuation of names in their English form, spaced as English spaces it.
_PUNCTUATION = {  # not UI: the Chinese punctuation, mapped
    "（": " (",
    "(": " (",
    "）": ") ",
    ")": ") ",
    "—": " – ",
    "·": " · ",
    "、": ", ",
}
_LATIN = re.compile(r"[0-9A-Za-z]+")
# A name already followed by its romanization: "恩施玉露 (Enshi Yulu)".
_NAMED = re.compile(r"\([^()\u4e00-\u9fff]*[A-Za-z][^()\u4e00-\u9fff]*\)$")  # not UI


def _pinyin_words(run: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    # A syllable per character, so the syllables can be grouped into the words.
    each: Any = list
    syllables = lazy_pinyin(run, style=Style.NORMAL, errors=each)
    for place, reading in _PLACE_READINGS.items():
        for found in re.finditer(place, run):
            syllables[found.start() : found.end()] = reading
    spoken = iter(syllables)
    english_terms = catalog(ENGLISH)
    words: list[str] = []
    for word in _words(run):
        read = "".join(next(spoken, "") for _ in word).capitalize()
        words.append(english_terms.get(word, read) if word in PLACE_TERMS else read)
    return words


# Names repeat across the maps, cards and lists of every data version: each is read once
# per server (after an import only the new names are read; pypinyin's reading of ~700
# names took a third of a second on every new data version in English).
@functools.lru_cache(maxsize=32_768)
def romanize(text: str) -> str:
    """A Chinese name in Latin letters: pinyin, a capitalised word per part (恩施玉露 →
    Enshi Yulu), and generic words of longer names in English (``NAME_TERMS``).

    Each run of Chinese is read at once, so that pypinyin's phrases choose the reading of
    a character with several (长江 Changjiang).
    """
    english_terms = catalog(ENGLISH)
    pieces: list[str] = []
    run = ""
    position = 0
    while position < len(text):
        term = next((t for t in _TERMS_LONGEST_FIRST if text.startswith(t, position)), None)
        latin = _LATIN.match(text, position)
        if term or latin or not _HAN.match(text[position]):
            if run:
                pieces.extend(_pinyin_words(run))
                run = ""
            if term:
                pieces.append(english_terms.get(term, term))
                position += len(term)
            elif latin:
                pieces.append(latin.group())
                position = latin.end()
            else:
                pieces.append(_PUNCTUATION.get(text[position], text[position]))
                position += 1
        else:
            run += text[position]
            position += 1
    if run:
        pieces.extend(_pinyin_words(run))
    spaced = " ".join(pieces)
    spaced = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", spaced))
    return re.sub(r"\s+", " ", spaced).strip()


def name(text: str) -> str:
    """A product's or place's name as shown: Chinese, and in English with its pinyin
    (once: a name that already has it is left as it is)."""
    if not text or not english() or not _HAN.search(text) or _NAMED.search(text):
        return text
    return f"{text} ({romanize(text)})"


def joined(texts: Iterable[str]) -> str:
    """Texts listed as the language lists them: 甲、乙 / A, B."""
    return t("、").join(texts)


def names(texts: Iterable[str]) -> str:
    """Several names, each as ``name`` shows it, listed."""
    return joined(name(text) for text in texts)
