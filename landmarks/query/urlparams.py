"""Reading a shared link's query string, and the notices about values that were dropped.

Links get pasted into chats and documents, retyped and truncated; a value that does not
parse is dropped with a notice in Chinese (built here, once) so a mangled link still
opens a working page and the user learns what was ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

from landmarks.data.text import normalize_text
from landmarks.data.visible import visible
from landmarks.i18n import t

# What Streamlit hands over: a key maps to one value or to every repeated value.
Params = Mapping[str, str | Sequence[str]]

LIST_SEPARATOR = ","
# Streamlit's own display options, the app's language and the presenter's public address
# for shared links (``share.PUBLIC_URL_KEY``) may appear in any app URL.
ANY_PAGE_KEYS: frozenset[str] = frozenset({"embed", "embed_options", "lang", "public_url"})
_SHOWN_VALUE_LENGTH = 40


def raw_values(params: Params, key: str) -> list[str]:
    """Every value given for ``key``, normalised, in order (repeated keys kept apart)."""
    raw = params.get(key, [])
    items = [raw] if isinstance(raw, str) else list(raw)
    return [normalize_text(item) for item in items]


def list_values(params: Params, key: str) -> list[str]:
    """Values of a list parameter, repeated (?a=1&a=2) or comma-joined (?a=1,2), deduplicated."""
    parts = (
        part.strip() for item in raw_values(params, key) for part in item.split(LIST_SEPARATOR)
    )
    return list(dict.fromkeys(part for part in parts if part))


def last_value(params: Params, key: str) -> str:
    """The last value of a single-valued parameter ('' when absent)."""
    values = raw_values(params, key)
    return values[-1] if values else ""


def last_text(params: Params, key: str) -> str:
    """The last value of a parameter that is shown as text (a route's name), as written:
    trimmed and without invisible characters, but not NFKC-folded ("：" stays "："); values
    used as keys go through ``raw_values``, which folds."""
    raw = params.get(key, [])
    items = [raw] if isinstance(raw, str) else list(raw)
    return visible(items[-1]).strip() if items else ""


def invalid_value_notice(key: str, value: str, reason: str) -> str:
    """The notice for a parameter value that was dropped, with the reason in Chinese."""
    shown = value if len(value) <= _SHOWN_VALUE_LENGTH else value[:_SHOWN_VALUE_LENGTH] + "…"
    return t("链接参数 {key}={value} 无效，已忽略：{reason}", key=key, value=shown, reason=reason)


def unknown_key_notices(params: Params, known: frozenset[str] | set[str]) -> list[str]:
    """Notices for parameters the app does not use (typos, tracking tags)."""
    return [
        t("未识别的链接参数“{key}”，已忽略", key=key)
        for key in params
        if key not in known and key not in ANY_PAGE_KEYS
    ]


def share_url(page_url: str | None, params: Mapping[str, str]) -> str:
    """The link to a view: the page's URL with its parameters (commas left readable).

    Without the page's URL (not known yet on a session's first run) the link is relative
    (``?chain=柑橘``), for the browser to resolve against the address it shows.
    """
    query = urlencode(params, safe=LIST_SEPARATOR)
    return f"{page_url or ''}?{query}" if query else (page_url or "?")
