"""Option labels that carry a count, ``茶叶（12）``, and reading them back whatever the count.

The filter sidebars show beside each option how many products or sites the other
filters let through, so an option's label changes whenever another filter does.  After
a server restart the browser sends a fresh session the labels it last showed, and their
counts may be stale (the restart cut a rerun short): they are matched by name here.
"""

from __future__ import annotations

import re

from landmarks.i18n import N_, t

COUNTED = N_("{label}（{count}）")


def counted_label(label: str, count: int) -> str:
    """``label`` with its count, as the sidebars' options show it."""
    return t(COUNTED, label=label, count=count)


def uncounted(shown: str) -> str:
    """The label of ``shown`` (a ``counted_label`` in the current language) without its
    count; text of another form as it is."""
    pattern = re.escape(t(COUNTED))
    pattern = pattern.replace(re.escape("{label}"), "(?P<label>.*)", 1)
    pattern = pattern.replace(re.escape("{count}"), r"\d+", 1)
    match = re.fullmatch(pattern, shown, flags=re.DOTALL)
    return match.group("label") if match else shown
