"""QR codes of shared links, made on the server with segno (no web service, no network).

Error correction level M (15 % of the code may be damaged or covered, e.g. by a logo
sticker or a crease in a printed poster) and the standard four-module quiet zone, so
phone cameras read the code from a poster or a screen.  Links are ASCII (percent-encoded,
see ``landmarks.query.share``), which every scanner reads alike.
"""

from __future__ import annotations

import io

import segno

ERROR_LEVEL = "m"
QUIET_ZONE = 4  # modules of white around the code, as the standard asks
PNG_SCALE = 8  # pixels per module: a 33-module code becomes 328 px square
DARK = "#1f1a14"
LIGHT = "#ffffff"


class TooLongError(ValueError):
    """The link holds more than the largest QR code does (about 2,300 bytes at level M:
    a product name of some 250 Chinese characters, percent-encoded, is enough)."""


def make(url: str) -> segno.QRCode:
    """The QR code of ``url`` (never a Micro QR, which phones do not read).

    Raises ``TooLongError`` for a link no QR code holds; callers show the link instead.
    """
    if not url:
        raise ValueError("empty URL")
    try:
        return segno.make_qr(url, error=ERROR_LEVEL, boost_error=True)
    except segno.DataOverflowError as error:
        raise TooLongError(f"{len(url.encode())} bytes do not fit in a QR code") from error


def png(url: str, scale: int = PNG_SCALE) -> bytes:
    """PNG bytes of the code, ``scale`` pixels per module."""
    buffer = io.BytesIO()
    make(url).save(buffer, kind="png", scale=scale, border=QUIET_ZONE, dark=DARK, light=LIGHT)
    return buffer.getvalue()


def svg(url: str, scale: int = PNG_SCALE, title: str = "") -> bytes:
    """Standalone SVG bytes of the code (for print at any size); ``title`` is its tooltip."""
    buffer = io.BytesIO()
    make(url).save(
        buffer,
        kind="svg",
        scale=scale,
        border=QUIET_ZONE,
        dark=DARK,
        light=LIGHT,
        title=title or None,
        encoding="utf-8",
    )
    return buffer.getvalue()


def matrix(url: str) -> list[list[bool]]:
    """The code's modules (True: dark), quiet zone included: for drawing it elsewhere,
    e.g. on a poster."""
    return [[bool(module) for module in row] for row in make(url).matrix_iter(border=QUIET_ZONE)]
