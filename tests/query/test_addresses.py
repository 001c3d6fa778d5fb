"""This machine's addresses, offered as the public address of shared links."""

from __future__ import annotations

import socket

import pytest

from landmarks.query import addresses


def test_the_machines_addresses_leave_out_what_a_phone_cannot_open(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def getaddrinfo(host: str, *_: object, **__: object) -> list[tuple[object, ...]]:
        return [
            (socket.AF_INET, socket.SOCK_DGRAM, 17, "", (ip, 0))
            for ip in ("127.0.1.1", "192.168.1.20", "169.254.3.4", "10.0.0.7", "192.168.1.20")
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    found = addresses.machine_addresses()
    assert "192.168.1.20" in found and "10.0.0.7" in found
    assert not {"127.0.1.1", "169.254.3.4"} & set(found)
    assert len(found) == len(set(found))


def test_a_machine_without_a_network_offers_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: object, **__: object) -> None:
        raise OSError("no network")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    monkeypatch.setattr(socket.socket, "connect", fail)
    assert addresses.machine_addresses() == []


def test_bases_on_the_pages_port_and_path() -> None:
    assert addresses.bases(["192.168.1.20", "10.0.0.7"], "http://localhost:8601/explorer") == [
        "http://192.168.1.20:8601",
        "http://10.0.0.7:8601",
    ]
    assert addresses.bases(["192.168.1.20"], "https://localhost/map/explorer", "map") == [
        "https://192.168.1.20/map"
    ]
    assert addresses.bases(["192.168.1.20"], None) == []
