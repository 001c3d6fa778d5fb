"""This machine's network addresses, offered as the public address of shared links.

A booth laptop is opened as ``http://127.0.0.1:8601``, which no phone can open; its LAN
address can.  The addresses come from the standard library: the host name's own
addresses, and the one the system would send from (a UDP socket "connected" to a
documentation address picks a route and sends nothing), loopback and link-local ones
left out.  No network traffic, no extra package.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from landmarks.query.share import is_loopback_host, request_base

_ROUTE_PROBE = ("192.0.2.1", 9)  # TEST-NET-1 (RFC 5737): never answered, never sent to


def _host_addresses() -> list[str]:
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return [str(info[4][0]) for info in infos]


def _route_address() -> list[str]:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_ROUTE_PROBE)
            return [str(probe.getsockname()[0])]
    except OSError:  # no network at all: no route
        return []


def usable(addresses: Iterable[str]) -> list[str]:
    """The addresses a phone on the same network may open, each once, in order."""
    return [a for a in dict.fromkeys(addresses) if a and not is_loopback_host(a)]


def machine_addresses() -> list[str]:
    """This machine's IPv4 addresses a phone on its network may reach."""
    return usable([*_route_address(), *_host_addresses()])


def bases(found: Iterable[str], current_url: str | None, base_url_path: str = "") -> list[str]:
    """Base URLs on these addresses with the page's scheme, port and base path (the
    server listens on the same port on every address); none before the page's URL is
    known."""
    if not current_url or not urlsplit(current_url).hostname:
        return []
    parts = urlsplit(current_url)
    port = f":{parts.port}" if parts.port else ""
    root = request_base(current_url, base_url_path)
    path = root.split(parts.netloc, 1)[1]
    return [f"{parts.scheme}://{address}{port}{path}" for address in found]
