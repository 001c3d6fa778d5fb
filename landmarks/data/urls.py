"""Which link cells are accepted on import: well-formed http(s) URLs only.

A link is stored, exported and drawn as a link later, so ``javascript:`` and other
schemes, a missing host, and characters that break out of an HTML attribute or a
Markdown link (quotes, angle brackets, back-ticks, back-slashes, spaces, control
characters) are refused when the file is checked, not filtered when shown.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from landmarks.i18n import t

WEB_SCHEMES = frozenset({"http", "https"})
# Characters RFC 3986 never allows raw in a URL that would also end an attribute or a link.
_FORBIDDEN = re.compile(r"[\s\"'<>`\\\x00-\x1f\x7f]")
# Several links in one cell: separated by white space or | (as the export writes them).
_LINK_SEPARATORS = re.compile(r"[\s|]+")


def url_problem(url: str) -> str | None:
    """Why ``url`` is no well-formed http(s) URL (in the run's language), or None."""
    found = _FORBIDDEN.search(url)
    if found:
        shown = repr(found.group())[1:-1] if not found.group().isprintable() else found.group()
        return t("含有网址中不允许的字符“{char}”", char=shown)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is no number
    except ValueError:
        return t("网址格式不正确")
    if parts.scheme.lower() not in WEB_SCHEMES:
        return t("只接受 http:// 或 https:// 开头的网址")
    if not parts.hostname or not url.lower().startswith(f"{parts.scheme.lower()}://"):
        return t("网址中没有主机名")
    return None


def split_urls(cell: str) -> list[str]:
    """The links of a cell holding several (separated by spaces or |)."""
    return [part for part in _LINK_SEPARATORS.split(cell) if part]
