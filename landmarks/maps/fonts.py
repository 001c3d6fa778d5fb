"""The CJK font of the printed maps, shipped by a PyPI package: no system font needed.

Noto Sans SC (SIL Open Font License 1.1) comes with the wheel ``pylopdf-fonts-zh-cn``
(requirements.txt); it is registered with matplotlib's font manager at run time, once per
process.  PDF files embed the glyphs used as a Type 3 font with a Unicode map, so their
text stays text (searchable, copyable, extractable); Type 42 would declare this CFF
(PostScript-outline) font as TrueType, which strict PDF readers reject.
"""

from __future__ import annotations

import functools
from pathlib import Path

import matplotlib
import pylopdf_fonts_zh_cn
from matplotlib import font_manager

FONT_FAMILY = "Noto Sans SC"


def font_path() -> Path:
    return Path(pylopdf_fonts_zh_cn.sans_path())


@functools.cache
def cjk_family() -> str:
    """Register the CJK font (once) and return its family name for ``fontfamily=``."""
    path = font_path()
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    if family != FONT_FAMILY:  # a changed package would print boxes instead of Chinese
        raise RuntimeError(f"{path} holds {family!r}, expected {FONT_FAMILY!r}")
    return family


def use_cjk() -> str:
    """Make the CJK font matplotlib's default sans-serif font, text in PDF files Type 3,
    and every text plain text.

    Every printed figure is made through here, so this is the one switch for data text in
    matplotlib: with ``text.parse_math`` off a name such as ``测试$$x^2$$茶`` is drawn as
    written instead of being parsed as mathtext (which failed the whole poster).
    """
    family = cjk_family()
    matplotlib.rcParams["font.family"] = "sans-serif"
    sans = list(matplotlib.rcParams["font.sans-serif"])
    if sans[:1] != [family]:
        matplotlib.rcParams["font.sans-serif"] = [family, *(f for f in sans if f != family)]
    matplotlib.rcParams["pdf.fonttype"] = 3
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["text.parse_math"] = False
    return family
