"""Files made when their download button is clicked, in the language of the page.

Streamlit calls a deferred ``data`` function outside the script run, where the run's
language is not set; ``in_language`` keeps the page's language for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from landmarks import i18n


def in_language(make: Callable[..., bytes], *args: Any, **kwargs: Any) -> Callable[[], bytes]:
    """``make(*args, **kwargs)``, called later in the current language."""
    code = i18n.current_language()

    def build() -> bytes:
        with i18n.language(code):
            return make(*args, **kwargs)

    return build
