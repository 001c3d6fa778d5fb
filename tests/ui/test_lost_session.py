"""Which lost clicks after a restart get the toast: not those the page answers itself,
and not the edit panel's save for an editor whom single sign-on kept logged in (it is
drawn again and takes effect)."""

from __future__ import annotations

import pytest

from landmarks.data.accounts import Account
from landmarks.ui import auth, browser_values, lost_session

EDITOR = Account("wang", "王编辑", "")


@pytest.mark.parametrize(
    ("clicked", "editor", "toast"),
    [
        ({"reset"}, None, True),  # a plain button's callback was lost
        ({lost_session.IMPORT_ALL}, None, False),  # the data page says it
        ({lost_session.EDIT_SAVE}, EDITOR, False),  # drawn again: it takes effect
        ({lost_session.IMPORT_ALL}, EDITOR, True),  # its callback was lost
    ],
)
def test_the_toast_is_for_clicks_nothing_else_answers(
    monkeypatch: pytest.MonkeyPatch, clicked: set[str], editor: Account | None, toast: bool
) -> None:
    toasts: list[str] = []
    monkeypatch.setattr(browser_values, "clicked_undrawn", lambda: True)
    monkeypatch.setattr(browser_values, "clicked_keys", lambda: frozenset(clicked))
    monkeypatch.setattr(auth, "current_editor", lambda: editor)
    monkeypatch.setattr(lost_session.st, "toast", lambda text, **_: toasts.append(text))
    lost_session.notice_lost_click()
    assert bool(toasts) == toast
