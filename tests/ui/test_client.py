"""The client address sign-ins are throttled by: X-Forwarded-For only from trusted proxies."""

from __future__ import annotations

import pytest

from landmarks.ui.client import TRUSTED_PROXIES_ENV_VARIABLE, resolve_client, trusted_proxies


def test_without_trusted_proxies_the_peer_is_the_client() -> None:
    # a guesser cannot pick a new "client" per attempt by sending the header
    assert resolve_client("203.0.113.9", ["1.2.3.4"], frozenset()) == "203.0.113.9"
    assert resolve_client(None, ["1.2.3.4"], frozenset()) == "127.0.0.1"


def test_behind_a_trusted_proxy_the_nearest_untrusted_hop_is_the_client() -> None:
    trusted = frozenset({"127.0.0.1", "10.0.0.2"})
    # the client may forge the left part of the header, not what the proxies appended
    forwarded = ["6.6.6.6, 198.51.100.7", "10.0.0.2"]
    assert resolve_client(None, forwarded, trusted) == "198.51.100.7"
    assert resolve_client("127.0.0.1", [], trusted) == "127.0.0.1"


def test_trusted_proxies_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TRUSTED_PROXIES_ENV_VARIABLE, " ::1 , 10.0.0.2 ")
    assert trusted_proxies() == {"127.0.0.1", "::1", "10.0.0.2"}
    monkeypatch.delenv(TRUSTED_PROXIES_ENV_VARIABLE)
    assert trusted_proxies() == frozenset()
