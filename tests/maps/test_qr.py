"""QR codes decode, with a real decoder (zxing-cpp), back to exactly the link they carry."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest
import zxingcpp
from PIL import Image

from landmarks.maps import qr
from landmarks.query import share
from landmarks.query.filter_fields import YearRange
from landmarks.query.filters import ProductFilter
from landmarks.query.selection import Selection
from tests.synthetic import FAMILY, HOSTILE, YICHANG, ZIGUI

BASE = "http://192.168.1.20:8501"


def decoded(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def svg_image(svg: bytes, pixels: int = 6) -> Image.Image:
    """Rasterise segno's SVG: one stroked path of horizontal runs ('M x y h n m dx dy')."""
    text = svg.decode("utf-8")
    size = int(re.search(r'width="(\d+)"', text).group(1))  # type: ignore[union-attr]
    scale = int(re.search(r"scale\((\d+)\)", text).group(1))  # type: ignore[union-attr]
    path = re.search(r'class="qrline"[^>]* d="([^"]+)"', text).group(1)  # type: ignore[union-attr]
    modules = size // scale
    grid = np.ones((modules, modules), dtype=np.uint8) * 255
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:  # a horizontal run of dark modules on row y - 0.5
            run = float(a)
            grid[int(y - 0.5), int(x) : int(x + run)] = 0
            x += run
    return Image.fromarray(grid).resize((modules * pixels, modules * pixels), Image.NEAREST)


def links(tables: dict[str, pd.DataFrame]) -> list[str]:
    view = ProductFilter(
        chains=("柑橘", "茶叶"),
        prefectures=(YICHANG,),
        counties=(ZIGUI,),
        years=YearRange(2005, 2020, undated=True),
    )
    return [
        share.explorer_url(BASE, view, Selection(product="秭归脐橙", county=ZIGUI)),
        share.explorer_url("https://gi.example.org/map", ProductFilter(), Selection()),
        share.product_url(BASE, FAMILY),
        share.product_url(BASE, HOSTILE),
        share.site_url(BASE, str(tables["sites"]["name"].iloc[0])),
    ]


def test_png_codes_decode_to_the_exact_link(tables: dict[str, pd.DataFrame]) -> None:
    for url in links(tables):
        image = Image.open(io.BytesIO(qr.png(url)))
        assert image.format == "PNG"
        assert decoded(image) == [url]


def test_svg_codes_decode_to_the_exact_link(tables: dict[str, pd.DataFrame]) -> None:
    for url in links(tables):
        svg = qr.svg(url, title="秭归脐橙")
        assert svg.startswith(b"<?xml") and b"<title>\xe7\xa7\xad" in svg
        assert decoded(svg_image(svg)) == [url]


def test_the_matrix_is_the_code_with_its_quiet_zone() -> None:
    url = f"{BASE}/explorer?chain=%E8%8C%B6%E5%8F%B6"
    modules = np.array(qr.matrix(url), dtype=np.uint8)
    assert modules.shape[0] == modules.shape[1]
    border = qr.QUIET_ZONE
    assert not modules[:border].any() and not modules[:, -border:].any()
    image = Image.fromarray((1 - modules) * 255).resize((modules.shape[0] * 6,) * 2, Image.NEAREST)
    assert decoded(image) == [url]


def test_png_size_follows_the_scale() -> None:
    url = f"{BASE}/explorer"
    modules = len(qr.matrix(url))
    assert Image.open(io.BytesIO(qr.png(url, scale=5))).size == (modules * 5, modules * 5)


def test_a_long_link_still_fits_and_decodes() -> None:
    url = share.explorer_url(
        BASE, ProductFilter(query="恩施玉露" * 10, chains=("柑橘", "茶叶", "蔬菜")), Selection()
    )
    assert len(url) > 300
    assert decoded(Image.open(io.BytesIO(qr.png(url)))) == [url]


def test_an_empty_link_is_an_error() -> None:
    with pytest.raises(ValueError):
        qr.make("")
