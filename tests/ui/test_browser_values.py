"""``browser_values`` reads Streamlit internals: these tests fail when they change.

A fresh session (after a server restart) is given the widget states a reconnected page
sends; what the module reads from it must be what the browser sent, and a widget the
session has drawn (registered) is no longer reported.
"""

from __future__ import annotations

from dataclasses import fields
from types import SimpleNamespace

import pytest
from streamlit.elements.lib.utils import compute_and_register_element_id
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext
from streamlit.runtime.state.common import WidgetMetadata
from streamlit.runtime.state.safe_session_state import SafeSessionState
from streamlit.runtime.state.session_state import SessionState

from landmarks.ui import browser_values
from landmarks.ui.browser_values import undrawn_states, undrawn_widgets


def _id(kind: str, key: str | None) -> str:
    return compute_and_register_element_id(kind, user_key=key, dg=None, key_as_main_identity=True)


def _fresh_session_with(states: WidgetStates) -> SafeSessionState:
    session = SafeSessionState(SessionState(), lambda: None)
    session.on_script_will_rerun(states)
    return session


def _reconnected_page() -> WidgetStates:
    states = WidgetStates()
    search = states.widgets.add()
    search.id, search.string_value = _id("text_input", "filter_search"), "恩施"
    chains = states.widgets.add()
    chains.id = _id("multiselect", "filter_chain")
    chains.string_array_value.data.extend(["茶叶（12）"])
    years = states.widgets.add()
    years.id = _id("slider", "filter_years")
    years.double_array_value.data.extend([2008.0, 2015.0])
    clicked = states.widgets.add()
    clicked.id, clicked.trigger_value = _id("button", "import_all"), True
    unkeyed = states.widgets.add()
    unkeyed.id, unkeyed.trigger_value = _id("button", None), True
    return states


def test_a_fresh_session_reports_what_the_browser_sent_by_key() -> None:
    found = undrawn_states(_fresh_session_with(_reconnected_page()))
    assert set(found) == {"filter_search", "filter_chain", "filter_years", "import_all"}
    assert found["filter_search"].string_value == "恩施"
    assert list(found["filter_chain"].string_array_value.data) == ["茶叶（12）"]
    assert list(found["filter_years"].double_array_value.data) == [2008.0, 2015.0]
    assert found["import_all"].WhichOneof("value") == "trigger_value"
    assert found["import_all"].trigger_value


def test_a_widget_the_session_has_drawn_is_not_reported() -> None:
    session = _fresh_session_with(_reconnected_page())
    search_id = _id("text_input", "filter_search")
    session.register_widget(
        WidgetMetadata(
            search_id,
            deserializer=lambda value: value or "",
            serializer=lambda value: value,
            value_type="string_value",
        ),
        user_key="filter_search",
    )
    assert "filter_search" not in undrawn_states(session)
    assert "filter_chain" in undrawn_states(session)


def test_a_click_on_a_button_without_key_is_seen_by_its_id() -> None:
    found = undrawn_widgets(_fresh_session_with(_reconnected_page()))
    assert found[_id("button", None)].trigger_value
    assert len(found) == 5


def test_back_and_forward_runs_are_told_apart_and_report_nothing_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Streamlit marks the rerun that answers the browser's Back/Forward on its run context.
    assert "is_history_navigation" in {field.name for field in fields(ScriptRunContext)}
    session = _fresh_session_with(_reconnected_page())
    for flag in (False, True):
        context = SimpleNamespace(is_history_navigation=flag, session_state=session)
        monkeypatch.setattr(browser_values, "get_script_run_ctx", lambda c=context: c)
        assert browser_values.history_navigation() is flag
        # On Back/Forward the URL holds the view, not the widgets the browser sent.
        assert bool(browser_values.sent_keys()) is not flag
