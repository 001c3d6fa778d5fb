"""Printed pages: paper sizes and orientations, file types, and what a printed map shows
and says.  Kept apart from the drawing (``poster``, which needs matplotlib) so pages can
offer the choices without loading it."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from landmarks.data import times
from landmarks.data.region import Region, app_title, current_region, map_approval
from landmarks.i18n import N_, t
from landmarks.query.frame import Bounds

A4, A3 = "A4", "A3"
PAPER_MM: dict[str, tuple[float, float]] = {A4: (210.0, 297.0), A3: (297.0, 420.0)}
LANDSCAPE, PORTRAIT = "landscape", "portrait"
ORIENTATIONS: dict[str, str] = {LANDSCAPE: N_("横向"), PORTRAIT: N_("纵向")}
PNG, PDF = "png", "pdf"
FORMATS: dict[str, str] = {PNG: N_("PNG 图片（300 dpi）"), PDF: N_("PDF 矢量文件")}
MIME: dict[str, str] = {PNG: "image/png", PDF: "application/pdf"}
PNG_DPI = 300
MM_PER_INCH = 25.4
DEFAULT_SOURCE = N_("数据来源：{title}（公开报道与官方公告整理）")  # the region's app title
APPROVAL_LINE = N_("审图号：{number}")
# A map of the whole country published without review is a 问题地图 (地图管理条例 §15,
# 公开地图内容表示规范): without a configured number the page says it was not reviewed and
# may not be published, rather than print a number nobody issued.
APPROVAL_MISSING = N_("审图号未配置：本图未经地图审核，仅供内部工作参考，不得公开登载或展示")
_APPROVAL_PREFIX = re.compile(r"^\s*审图号\s*[:：]?\s*")  # not UI: the configured line's head


@dataclass(frozen=True)
class Paper:
    """A page: ``size`` A4 or A3, ``orientation`` landscape or portrait."""

    size: str = A3
    orientation: str = LANDSCAPE

    def __post_init__(self) -> None:
        if self.size not in PAPER_MM or self.orientation not in ORIENTATIONS:
            raise ValueError(f"unknown paper {self.size} {self.orientation}")

    @property
    def mm(self) -> tuple[float, float]:
        """(width, height) in millimetres."""
        short, long = PAPER_MM[self.size]
        return (long, short) if self.orientation == LANDSCAPE else (short, long)

    @property
    def inches(self) -> tuple[float, float]:
        width, height = self.mm
        return width / MM_PER_INCH, height / MM_PER_INCH

    def pixels(self, dpi: int = PNG_DPI) -> tuple[int, int]:
        """The page in pixels at ``dpi``: 2480 × 3508 for A4 portrait at 300 dpi."""
        width, height = self.inches
        return round(width * dpi), round(height * dpi)

    @property
    def points(self) -> tuple[float, float]:
        """The page in PostScript points (a PDF's MediaBox)."""
        width, height = self.inches
        return width * 72, height * 72

    @property
    def label(self) -> str:
        return f"{self.size} {t(ORIENTATIONS[self.orientation])}"

    @property
    def scale(self) -> float:
        """Type and line sizes relative to A4 (A3 is √2 larger)."""
        return math.sqrt(min(self.mm) / PAPER_MM[A4][0])


@dataclass(frozen=True)
class MapView:
    """What a printed map shows: ``products`` (rows of the products table, with lat/lon),
    the bounds it frames (None: the province), the counties of a selected product's area,
    a selected county, the counties with national demonstration zones (adcode → names)
    and, for briefs, sites (rows of the sites table)."""

    products: pd.DataFrame
    frame: Bounds | None = None
    area: tuple[str, ...] = ()
    selected_county: str | None = None
    zone_counties: Mapping[str, str] = field(default_factory=dict)
    sites: pd.DataFrame | None = None
    label_products: bool | None = None  # None: when there are few enough
    focus: tuple[str, ...] = ()  # county adcodes drawn as the subject, the rest greyed


@dataclass(frozen=True)
class PosterText:
    """The poster's words: title, the view in words, source, data date, link."""

    title: str
    subtitle: str = ""
    source_line: str = field(default_factory=lambda: t(DEFAULT_SOURCE, title=app_title()))
    data_date: str = ""
    generated_at: datetime | None = None  # default: now
    link: str = ""  # printed with a QR code when given
    figures: tuple[str, ...] = ()  # lines of figures printed under the legend
    approval: str | None = None  # the 审图号 line; None: ``approval_line()`` of the region

    def approval_text(self, region: Region | None = None) -> str:
        return approval_line(region) if self.approval is None else self.approval

    def generated_text(self) -> str:
        return times.generated_text(self.generated_at)


def approval_line(region: Region | None = None) -> str:
    """The 审图号 line a printed or shown map carries: ``$LANDMARKS_MAP_APPROVAL`` as
    ``审图号：<number>`` (whether or not it was configured with its head) for any region;
    unset, ``APPROVAL_MISSING`` on maps of the country and nothing on a province's (its
    map note already calls it a 示意图 whose lines are for reference only)."""
    configured = map_approval()
    if configured:
        return t(APPROVAL_LINE, number=_APPROVAL_PREFIX.sub("", configured))
    return t(APPROVAL_MISSING) if (region or current_region()).national else ""


# Characters no file name may hold on Windows, macOS or Linux, white space, and the
# title's separator dot: each run becomes one "_".
_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s·]+')
# Spaces next to a CJK character only set it apart from numbers or a separator (等 3 条).
_CJK = "\u3000-\u30ff\u3400-\u9fff\uff00-\uffef"  # not UI: character ranges
_CJK_SPACES = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
MAX_NAME_CHARACTERS = 80


def safe_file_stem(title: str) -> str:
    """``title`` usable as a file name: '湖北地标品牌地图 · 茶叶 · 恩施州' becomes
    '湖北地标品牌地图_茶叶_恩施州' (at most ``MAX_NAME_CHARACTERS`` characters)."""
    stem = _UNSAFE_IN_NAMES.sub("_", _CJK_SPACES.sub("", title))
    stem = stem.strip("_.")[:MAX_NAME_CHARACTERS].rstrip("_.")
    return stem or app_title()


def file_name(title: str, paper: Paper, file_type: str) -> str:
    """The poster's file name: its title (naming the filter) and its paper."""
    return t(
        "{title}_{size}{orientation}.{extension}",
        title=safe_file_stem(title),
        size=paper.size,
        orientation=t(ORIENTATIONS[paper.orientation]),
        extension=file_type,
    )
