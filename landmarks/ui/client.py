"""The address of the client a session talks to, for throttling sign-ins by client.

Streamlit gives the websocket's peer address (``st.context.ip_address``, None for a
loopback peer).  Behind a reverse proxy every peer is the proxy, so the client is then
read from ``X-Forwarded-For`` — but only when the peer is a proxy named in
``$LANDMARKS_TRUSTED_PROXIES`` (comma-separated addresses): anyone can send that header,
and trusting it from anyone would let a guesser pick a fresh "client" for every attempt.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence

import streamlit as st

TRUSTED_PROXIES_ENV_VARIABLE = "LANDMARKS_TRUSTED_PROXIES"
LOOPBACK = "127.0.0.1"
# Streamlit reports each of these peers as None.
_LOOPBACK_NAMES = frozenset({"127.0.0.1", "::1", "localhost"})


def trusted_proxies() -> frozenset[str]:
    configured = os.environ.get(TRUSTED_PROXIES_ENV_VARIABLE, "")
    names = {name.strip() for name in configured.split(",") if name.strip()}
    return frozenset({LOOPBACK} if names & _LOOPBACK_NAMES else set()) | names


def resolve_client(peer: str | None, forwarded_for: Sequence[str], trusted: Collection[str]) -> str:
    """The client's address: the peer, or when the peer is a trusted proxy, the nearest
    address in ``X-Forwarded-For`` (read from the right) that is not a trusted proxy."""
    address = peer or LOOPBACK
    if address not in trusted:
        return address
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return address


def client_address() -> str:
    """This session's client address (see the module's docstring)."""
    # Only strings are addresses: outside a browser session (AppTest) the context is a stub.
    peer = st.context.ip_address
    forwarded = st.context.headers.get_all("X-Forwarded-For")
    return resolve_client(
        peer if isinstance(peer, str) else None,
        [hop for hop in forwarded if isinstance(hop, str)] if isinstance(forwarded, list) else [],
        trusted_proxies(),
    )
