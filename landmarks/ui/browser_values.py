"""Widget values the browser sent with this run for widgets this session never drew.

After a server restart a page reconnects by itself to a fresh session and sends its
widgets' values with the user's next action.  Streamlit keeps each value unread until a
widget with that id is drawn; until then the session does not even list its key.  The
pages need to know before drawing: a page entered afresh seeds its widgets from the URL,
which must not overwrite what the user has just changed, and a click on a write button
that the fresh session does not draw (the editor's login was lost with the old session)
must be answered instead of ignored.  And on the browser's Back and Forward buttons a
page shows the URL's view, so it needs to know which runs answer them.

Streamlit has no public API for these, so its internals are read here and nowhere else
(``tests/ui/test_browser_values.py`` fails when they change): the session's incoming
widget states that are still serialized and have no metadata, i.e. were not drawn by a
run of this session; and the run context's ``is_history_navigation``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.common import is_keyed_element_id, user_key_from_element_id
from streamlit.runtime.state.safe_session_state import SafeSessionState
from streamlit.runtime.state.session_state import Serialized


def undrawn_widgets(session: SafeSessionState) -> dict[str, WidgetState]:
    """The incoming states of widgets this session never drew, by widget id."""
    with session._lock:
        widgets = session._state._new_widget_state
        return {
            widget_id: value.value
            for widget_id, value in widgets.states.items()
            if isinstance(value, Serialized) and widget_id not in widgets.widget_metadata
        }


def undrawn_states(session: SafeSessionState) -> dict[str, WidgetState]:
    """The incoming states of keyed widgets this session never drew, by user key."""
    return {
        str(user_key_from_element_id(widget_id)): state
        for widget_id, state in undrawn_widgets(session).items()
        if is_keyed_element_id(widget_id)
    }


def _session() -> SafeSessionState | None:
    context = get_script_run_ctx()
    return context.session_state if context is not None else None


def history_navigation() -> bool:
    """Whether this run answers the browser's Back or Forward button: Streamlit reruns
    the page with the URL of the history entry, and the page should show that URL's view
    (the widgets still show the view that was left)."""
    context = get_script_run_ctx()
    return context is not None and bool(context.is_history_navigation)


def _current() -> dict[str, WidgetState]:
    # On Back/Forward the URL holds the view wanted, not the widgets the browser sent.
    session = _session()
    if session is None or history_navigation():
        return {}
    return undrawn_states(session)


def _is_click(state: WidgetState) -> bool:
    return state.WhichOneof("value") == "trigger_value" and state.trigger_value


def sent_keys() -> frozenset[str]:
    """Keys of widgets whose values the browser sent but this session never drew."""
    return frozenset(_current())


def clicked_keys() -> frozenset[str]:
    """Keys of buttons clicked in the browser that this session never drew."""
    return frozenset(key for key, state in _current().items() if _is_click(state))


def clicked_undrawn() -> bool:
    """Whether the browser sent a click on a button (keyed or not) this session never
    drew: after a restart, a click that reached a session without its callback."""
    session = _session()
    return session is not None and any(map(_is_click, undrawn_widgets(session).values()))


def sent_choice(key: str, labels: Mapping[str, str]) -> str | None:
    """The option the browser sent for the undrawn select or segmented control ``key``
    (Streamlit sends an option's shown label; ``labels``: option → label), or None."""
    state = _current().get(key)
    if state is None:
        return None
    kind = state.WhichOneof("value")
    if kind == "string_value":
        shown = [state.string_value]
    elif kind == "string_array_value":
        shown = list(state.string_array_value.data)
    else:
        return None
    options = {label: option for option, label in labels.items()}
    return next((options[label] for label in shown if label in options), None)


def sent_choices(
    key: str, labels: Mapping[str, str], read: Callable[[str], str] = str
) -> list[str] | None:
    """The options the browser sent for the undrawn multiselect ``key`` (by their shown
    labels, each passed through ``read`` first; ``labels``: option → label; unknown
    labels are left out), or None."""
    state = _current().get(key)
    if state is None or state.WhichOneof("value") != "string_array_value":
        return None
    options = {label: option for option, label in labels.items()}
    shown = map(read, state.string_array_value.data)
    return [options[label] for label in shown if label in options]


def sent_numbers(key: str) -> tuple[float, ...] | None:
    """The numbers the browser sent for the undrawn slider ``key`` (a range: two), or None."""
    state = _current().get(key)
    if state is None or state.WhichOneof("value") != "double_array_value":
        return None
    return tuple(state.double_array_value.data)


def sent_text(key: str) -> str | None:
    """The text the browser sent for the undrawn text input ``key``, or None."""
    state = _current().get(key)
    if state is None or state.WhichOneof("value") != "string_value":
        return None
    return str(state.string_value)


def seed(values: Mapping[str, Any]) -> None:
    """Set widget values (from a link or defaults), except those the browser has just
    sent: after a restart they are the user's latest action, not an old state."""
    sent = sent_keys()
    st.session_state.update({key: value for key, value in values.items() if key not in sent})
