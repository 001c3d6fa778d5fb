"""The six kinds of 地标+文旅 site as the map draws them: a shape, a colour and a glyph each.

Every kind has its own shape and colour, so a kind can be told apart without colour
vision, and a one-character glyph that names it (样 景 驿 品 销 学; in English a letter).
The icon is an inline SVG built here: the published rows carry it (``rows.map_rows``)
and the legends use the same markup, so the map and its legend cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from landmarks import i18n
from landmarks.i18n import N_, t

ICON_SIZE = 24
# Outline paths on a 24×24 box, and where the glyph's baseline sits inside each shape.
_SHAPES: dict[str, tuple[str, float]] = {
    "star": ("M12 .8l3.3 6.9 7.5 1-5.5 5.2 1.4 7.5L12 17.8l-6.7 3.6 1.4-7.5L1.2 8.7l7.5-1z", 16.2),
    "triangle": ("M12 1.5 23 21.5H1z", 19.2),
    "square": (
        "M3.5 2.5h17a1 1 0 0 1 1 1v17a1 1 0 0 1-1 1h-17a1 1 0 0 1-1-1v-17a1 1 0 0 1 1-1z",
        16,
    ),
    "circle": ("M12 1.5a10.5 10.5 0 1 0 0 21a10.5 10.5 0 1 0 0-21z", 16),
    "hexagon": ("M12 1 21.8 6.6v10.8L12 23 2.2 17.4V6.6z", 16),
    "diamond": ("M12 .8 23.2 12 12 23.2.8 12z", 16),
}


@dataclass(frozen=True)
class SiteKind:
    name: str  # the stored site_type (model.SITE_TYPES)
    shape: str  # a key of _SHAPES
    color: str
    glyph: str  # one character naming the kind on the icon
    letter: str = ""  # the glyph on English icons (initial of the English name)

    def svg(self, size: int = ICON_SIZE) -> str:
        """The icon: the shape filled in the kind's colour, a white rim, the glyph
        (the letter in English)."""
        path, baseline = _SHAPES[self.shape]
        glyph = self.letter if i18n.english() and self.letter else self.glyph
        return (
            f'<svg viewBox="0 0 24 24" width="{size}" '
            f'height="{size}" aria-hidden="true"><path d="{path}" fill="{self.color}" '
            'stroke="#fff" stroke-width="1.6" stroke-linejoin="round"/>'
            f'<text x="12" y="{baseline}" text-anchor="middle" font-size="10.5" '
            f'font-weight="700" fill="#fff">{escape(glyph)}</text></svg>'
        )


# Names are stored values (N_: translated where shown); glyphs are the icons' marks.
SITE_KINDS: tuple[SiteKind, ...] = (  # not UI: icon glyphs (English icons use the letter)
    SiteKind(N_("省级地标+文旅样板"), "star", "#c62828", "样", "S"),
    SiteKind(N_("主题景区"), "triangle", "#00796b", "景", "A"),
    SiteKind(N_("休闲驿站"), "square", "#1565c0", "驿", "R"),
    SiteKind(N_("文创美食品鉴馆"), "circle", "#ad1457", "品", "T"),
    SiteKind(N_("销售平台"), "hexagon", "#d84315", "销", "M"),
    SiteKind(N_("研学基地"), "diamond", "#4527a0", "学", "L"),
)
KIND_BY_NAME: dict[str, SiteKind] = {kind.name: kind for kind in SITE_KINDS}
# A site whose type is not (or no longer) one of the six is still drawn, in grey.
OTHER_KIND = SiteKind(N_("其他"), "circle", "#757575", "站", "O")  # not UI: glyph


def kind_index(site_type: str) -> int:
    """Position of the type in ``SITE_KINDS``; ``len(SITE_KINDS)`` for an unknown type."""
    names = [kind.name for kind in SITE_KINDS]
    return names.index(site_type) if site_type in names else len(SITE_KINDS)


def all_kinds() -> tuple[SiteKind, ...]:
    """The six kinds and the grey fallback, in the order of ``kind_index``."""
    return (*SITE_KINDS, OTHER_KIND)


def legend_rows(kinds: Sequence[str] = ()) -> str:
    """A two-column grid of the kinds in ``kinds`` (all six when empty), icon and name,
    in the kinds' own order."""
    shown = [kind for kind in SITE_KINDS if kind.name in kinds] or list(SITE_KINDS)
    rows = "".join(
        f'<div class="gi-swatch gi-kind-row">{kind.svg(15)}{escape(t(kind.name))}</div>'
        for kind in shown
    )
    return f'<div class="gi-legend-grid">{rows}</div>'
