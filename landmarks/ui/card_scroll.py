"""Bringing a card into view after a tap on the map (phones, issue 20).

On a phone the columns stack: the card a tap opens lies below the map, out of sight.
The map's click callback marks the tap (``tapped``); the page, once it has drawn the
card's container, calls ``bring_into_view``, which in that run only adds a small script
that scrolls the page to the card when its top is not already in the upper half of the
screen below Streamlit's fixed header (beside the map on a wide screen it is, and
nothing moves).  Reduced motion jumps
instead of gliding.
"""

from __future__ import annotations

import streamlit as st

_PENDING = "card_scroll_pending"  # the number of the tap not yet answered
_COUNT = "card_scroll_count"

_SCRIPT = """<span hidden class="gi-card-scroll" data-tap="{tap}"></span>
<script>
  (function () {
    const card = document.querySelector(".st-key-{key}");
    if (!card) return;
    function bring() {
      const top = card.getBoundingClientRect().top;
      const header = document.querySelector('[data-testid="stHeader"]');
      const below = header ? header.getBoundingClientRect().bottom : 0;  // fixed, on top
      if (top >= below && top < window.innerHeight / 2) return;
      const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      card.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
    }
    // After the card's own elements have been laid out.
    requestAnimationFrame(function () { requestAnimationFrame(bring); });
  })();
</script>"""


def tapped() -> None:
    """From a map click's callback, before the run: the tap opened or changed a card."""
    count = int(st.session_state.get(_COUNT, 0)) + 1
    st.session_state[_COUNT] = count
    st.session_state[_PENDING] = count


def bring_into_view(key: str) -> None:
    """After the container ``key`` (``st.container(key=...)``) is drawn: if a tap opened
    its card in this run, scroll the page to it.  The script is new for every tap (its
    number), so the browser runs it again for the next tap."""
    tap = st.session_state.pop(_PENDING, None)
    if tap is None:
        return
    script = _SCRIPT.replace("{key}", key).replace("{tap}", str(int(tap)))
    st.html(script, unsafe_allow_javascript=True)
