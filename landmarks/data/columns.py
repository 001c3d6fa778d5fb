"""The shape of the tables users fill in: one declaration per input column.

Templates, imports and the re-importable export all read these tables, so a product's
protection scope, family and registration number are written the same way everywhere:
the scope as counties separated by 、 (or one prefecture), the registration's type and
number beside its product.  Headers may be the Chinese label or the English key.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from landmarks.data.chains import MANUAL_CHAIN_BASIS
from landmarks.data.model import AREA_COUNTIES, AREA_PREFECTURE, AREA_SEPARATOR
from landmarks.data.regions import Regions
from landmarks.data.validation import text


@dataclass(frozen=True)
class InputColumn:
    key: str
    header: str  # what the template shows
    required: bool
    explanation: str
    example: str = ""


PRODUCT_INPUT: tuple[InputColumn, ...] = (
    InputColumn("name", "产品名称", True, "登记的地理标志名称，表内唯一", "秭归脐橙"),
    InputColumn(
        "family",
        "产品系列",
        False,
        "一品多标：同一产品的几项登记填同一个系列名；留空即以产品名称为系列",
        "秭归脐橙",
    ),
    InputColumn("category", "品类", True, "茶叶/水果/蔬菜/粮油/水产品/畜禽/中药材等", "水果"),
    InputColumn(
        "gi_type",
        "地理标志类型",
        False,
        "地理标志保护产品/地理标志证明商标/地理标志集体商标/农产品地理标志；不确定时留空",
        "地理标志保护产品",
    ),
    InputColumn(
        "registration_number",
        "登记编号",
        False,
        "公告号、商标注册号或登记证书编号",
        "质检总局公告2006年第91号",
    ),
    InputColumn("year", "登记年份", False, "四位年份", "2006"),
    InputColumn(
        "prefecture", "所属市州", False, "如 宜昌市；填了县市区或保护范围时可留空", "宜昌市"
    ),
    InputColumn("county", "所属县市区", False, "来源写明的县市区；来源只写到市州时留空", "秭归县"),
    InputColumn(
        "scope",
        "保护范围",
        False,
        "跨县产品列出各县市区，用顿号分隔（如 竹溪县、竹山县、房县）；全市范围填市州名称；"
        "与所属县市区相同时留空",
        "",
    ),
    InputColumn("scope_note", "范围说明", False, "来源对范围的补充说明（如 来源未列全）", ""),
    InputColumn("lon", "经度", False, "WGS-84 经度；没有精确位置时留空", ""),
    InputColumn("lat", "纬度", False, "WGS-84 纬度；没有精确位置时留空", ""),
    InputColumn("chain", "产业链", False, "十大产业链之一；留空时按品类自动归属", ""),
    InputColumn("note", "备注", False, "维护说明，不在名片中展示", ""),
    InputColumn("confidence", "可信度", True, "高/中/低", "高"),
    InputColumn("source_url", "来源链接", False, "以 http:// 或 https:// 开头", ""),
    InputColumn("other_source_urls", "其他来源链接", False, "多个链接用空格分隔", ""),
    InputColumn(
        "source_quality",
        "来源类型",
        True,
        "official/media/aggregator/repost（官方发布/媒体报道/汇编网站/转载）",
        "media",
    ),
)

REGISTRATION_INPUT: tuple[InputColumn, ...] = (
    InputColumn("product", "产品名称", True, "产品表中已有的产品名称", "秭归脐橙"),
    InputColumn("gi_type", "地理标志类型", True, "该项登记的类型", "地理标志证明商标"),
    InputColumn("number", "登记编号", False, "公告号、商标注册号或登记证书编号", ""),
    InputColumn("year", "登记年份", False, "四位年份", ""),
    InputColumn("note", "说明", False, "如 注册人", ""),
)


def with_keys(raw: pd.DataFrame, columns: tuple[InputColumn, ...]) -> pd.DataFrame:
    """``raw`` with Chinese headers renamed to their keys (English keys stay as they are)."""
    by_header = {column.header: column.key for column in columns}
    return raw.rename(columns=lambda header: by_header.get(text(header), text(header)))


def template_frame(columns: tuple[InputColumn, ...]) -> pd.DataFrame:
    """An empty-but-for-an-example table with the Chinese headers users fill in."""
    return pd.DataFrame([{column.header: column.example for column in columns}])


def scope_text(regions: Regions, area_level: str, area_adcodes: str, prefecture: str) -> str:
    """A stored area written back as users write a scope ('' for a one-county area)."""
    if area_level == AREA_PREFECTURE:
        return prefecture
    if area_level == AREA_COUNTIES:
        codes = area_adcodes.split(AREA_SEPARATOR)
        return "、".join(regions.county_by_adcode(code).name for code in codes)
    return ""


def products_as_input(products: pd.DataFrame, regions: Regions) -> pd.DataFrame:
    """Stored products in the input shape (keys as headers), to be imported again as is.

    Stand-in positions are left out (they are recomputed); exact points are kept.
    """
    frame = products.copy()
    frame["scope"] = [
        scope_text(regions, level, codes, prefecture)
        for level, codes, prefecture in zip(
            frame["area_level"], frame["area_adcodes"], frame["prefecture"], strict=True
        )
    ]
    exact = frame["precision"] == "point"
    frame["lon"] = frame["lon"].where(exact, None)
    frame["lat"] = frame["lat"].where(exact, None)
    frame["chain"] = frame["chain"].where(frame["chain_basis"] == MANUAL_CHAIN_BASIS, "")
    return frame[[column.key for column in PRODUCT_INPUT]].reset_index(drop=True)
