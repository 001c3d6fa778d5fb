"""Many requests for the public page at once, on a bounded asyncio client (plain
HTTP/1.1 over ``asyncio.open_connection``: every request its own connection, all
started together, so the balancer sees them concurrently)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

TIMEOUT_S = 30.0


@dataclass
class Answers:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    body_bytes: int = 0


async def _get(host: str, port: int, path: str, answers: Answers, marker: bytes) -> None:
    started = time.perf_counter()
    writer = None
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), TIMEOUT_S)
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept-Encoding: gzip\r\n"
            "Connection: close\r\n\r\n".encode("ascii")
        )
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), TIMEOUT_S)
        head, _, body = data.partition(b"\r\n\r\n")
        status = head.split(b" ", 2)[1] if head.count(b" ") >= 2 else b"?"
        if status != b"200":
            answers.errors.append(f"HTTP {status.decode('ascii', 'replace')}")
            return
        if b"gzip" not in head.lower() and marker not in body:
            answers.errors.append("a page without the map container")
            return
        answers.body_bytes += len(body)
        answers.latencies_ms.append((time.perf_counter() - started) * 1000)
    except (OSError, TimeoutError, IndexError) as error:
        answers.errors.append(type(error).__name__)
    finally:
        if writer is not None:
            writer.close()


async def hammer(url: str, path: str, requests: int, marker: bytes) -> Answers:
    """``requests`` GETs of ``path`` started together; each bounded by ``TIMEOUT_S``."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    answers = Answers()
    await asyncio.gather(*(_get(host, port, path, answers, marker) for _ in range(requests)))
    return answers
