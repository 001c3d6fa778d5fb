"""Turn raw tables (seed CSVs or user imports) into the app's normalised tables.

Names are resolved to adcodes, chains assigned, positions placed inside their region and
every field checked.  ``check_*`` return every row with every problem found (imports show
them all and may keep only the good rows); ``prepare_*`` reject a table with any problem
(``ValidationError``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd
import pyproj
import shapely
import shapely.ops
from shapely.geometry.base import BaseGeometry

from landmarks import i18n
from landmarks.data.chains import MANUAL_CHAIN_BASIS, assign_chain_in, chain_names
from landmarks.data.columns import coordinate_example
from landmarks.data.model import (
    AREA_COUNTIES,
    AREA_COUNTY,
    AREA_PREFECTURE,
    AREA_SEPARATOR,
    CATEGORIES,
    CONFIDENCE_LABELS,
    GI_TYPE_UNKNOWN,
    GI_TYPES,
    GI_TYPES_SEPARATOR,
    OUTPUT_COLUMNS,
    PRODUCT_COLUMNS,
    REGISTRATION_COLUMNS,
    SITE_COLUMNS,
    SITE_TYPES,
    SOURCE_QUALITY_LABELS,
    ZONE_COLUMNS,
)
from landmarks.data.placement import stand_in_point
from landmarks.data.region import (
    DEFAULT_CODE,
    Region,
    RegionConfigError,
    current_region,
    region_for,
)
from landmarks.data.regions import County, RegionNotFoundError, Regions
from landmarks.data.text import key_text
from landmarks.data.urls import split_urls, url_problem
from landmarks.data.validation import (
    RowChecker,
    RowProblem,
    ValidationError,
    allowed_values,
    duplicated_names,
    row_numbers,
    sheet_row,
    text,
)
from landmarks.i18n import N_, joined, t

_NATIONWIDE = "全国"  # not UI: the stored region of national rows
NATIONAL_ADCODE = "100000"  # the country's code: the region total of china


def region_total(region: Region | None = None) -> tuple[str, str]:
    """(adcode, stored name) of rows about the whole region: 420000 湖北省 for Hubei,
    430000 湖南省 for Hunan, 100000 全国 for china."""
    region = region or current_region()
    if region.national:
        return NATIONAL_ADCODE, _NATIONWIDE
    return region.code, region.name


def __getattr__(name: str) -> str:
    """``PROVINCE_ADCODE`` / ``PROVINCE_NAME``: the current region's total row (read when
    imported; code that outlives a change of ``LANDMARKS_REGION`` calls ``region_total``).
    A bad setting reads as Hubei's here: the app and the CLI report it where they load the
    region's boundaries."""
    if name in ("PROVINCE_ADCODE", "PROVINCE_NAME"):
        try:
            total = region_total()
        except RegionConfigError:
            total = region_total(region_for(DEFAULT_CODE))
        return total[0] if name == "PROVINCE_ADCODE" else total[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_CONFIDENCE = {**{code: code for code in CONFIDENCE_LABELS}} | {
    label: code for code, label in CONFIDENCE_LABELS.items()
}
# Codes, their labels, and the labels' short forms (转载 for 转载（链接不予展示）).
_SOURCE_QUALITY = (  # not UI: accepted spellings
    {code: code for code in SOURCE_QUALITY_LABELS}
    | {label: code for code, label in SOURCE_QUALITY_LABELS.items()}
    | {label.split("（")[0]: code for code, label in SOURCE_QUALITY_LABELS.items()}
)
_CATEGORY = {name: name for name in CATEGORIES}
# `unknown` is how the research data writes an unstated type, 未注明 how earlier exports did:
# both are stored as the app's own value, so the English word never reaches the UI.
_GI_TYPE = {name: name for name in GI_TYPES} | {  # not UI: accepted spellings
    "unknown": GI_TYPE_UNKNOWN,
    "未注明": GI_TYPE_UNKNOWN,
}
_SITE_TYPE = {name: name for name in SITE_TYPES}

# Other GI statuses a product holds are named in its note; these spellings reveal them.
_GI_TYPE_HINTS: dict[str, tuple[str, ...]] = {  # not UI: spellings in research notes
    "地理标志保护产品": ("GI保护产品", "GI产品保护", "地理标志保护产品", "国家GI产品"),
    "地理标志证明商标": ("证明商标",),
    "地理标志集体商标": ("集体商标",),
    "农产品地理标志": ("农产品GI", "农产品地理标志"),
}


def _gi_type_expected() -> str:
    return t(
        "{types}（不确定时留空，记为{unknown}）",
        types=allowed_values(GI_TYPES),
        unknown=allowed_values([GI_TYPE_UNKNOWN]),
    )


def _confidence_expected() -> str:
    return t(
        "{labels}（或 {codes}）",
        labels="/".join(CONFIDENCE_LABELS.values()),
        codes="/".join(CONFIDENCE_LABELS),
    )


def _quality_expected() -> str:
    labels = SOURCE_QUALITY_LABELS.values()
    short = [label.split("（")[0] for label in labels]  # not UI: as users may type them
    return t(
        "{labels}（或 {codes}）", labels="/".join(short), codes="/".join(SOURCE_QUALITY_LABELS)
    )


# A point this close to its county (outside the boundary) still counts as inside: the
# shipped boundaries are simplified, and a farm on the border is often drawn across it.
BORDER_TOLERANCE_METRES = 200.0
_GEOD = pyproj.Geod(ellps="WGS84")
_DATUM_SHIFT = 2000.0  # metres: more than GCJ-02 or BD-09 ever moves a point in Hubei

# A note containing one of these phrases says its row's county was not taken from the source:
# the research data filled it in from general knowledge (mostly the prefecture's seat, written
# "county=市(州)政府驻地区县(general knowledge, not from source)" or "county=州府"; sometimes
# the county of a town in the product's name). Such a product is stored at prefecture level,
# with no county, so no county is credited with a GI on a guess (the note still says why).
GUESSED_COUNTY_MARKERS: tuple[str, ...] = ("general knowledge", "county=州府")  # not UI


def county_is_guessed(note: str) -> bool:
    """Whether ``note`` says the row's county is a guess rather than the source's."""
    lowered = note.lower()
    return any(marker.lower() in lowered for marker in GUESSED_COUNTY_MARKERS)


def _gi_types(primary: str, note: str) -> str:
    found = [primary] if primary != GI_TYPE_UNKNOWN else []
    found += [t for t, hints in _GI_TYPE_HINTS.items() if any(h in note for h in hints)]
    return GI_TYPES_SEPARATOR.join(dict.fromkeys(found)) or GI_TYPE_UNKNOWN


def _point_expected(region: str) -> str:
    """``region`` as shown: a place's ``i18n.name``, or a translated description."""
    return t(
        "{region}境内的经纬度（边界外{metres}米以内也算境内），或同时留空",
        region=region,
        metres=f"{BORDER_TOLERANCE_METRES:.0f}",
    )


def distance_outside(region: BaseGeometry, lon: float, lat: float) -> float:
    """Geodesic distance in metres from (lon, lat) to ``region``; 0 inside it."""
    point = shapely.Point(lon, lat)
    shapely.prepare(region)
    if region.covers(point):
        return 0.0
    nearest = shapely.ops.nearest_points(region, point)[0]
    return float(_GEOD.inv(lon, lat, nearest.x, nearest.y)[2])


def county_at(regions: Regions, lon: float, lat: float) -> County | None:
    """The Hubei county-level unit covering (lon, lat), if any; on a border shared by
    several, the one of the smallest adcode (as the PostGIS store answers), not whichever
    the spatial index happens to list first."""
    hits = regions.counties.sindex.query(shapely.Point(lon, lat), predicate="covered_by")
    if not len(hits):
        return None
    return regions.county_by_adcode(
        min(str(code) for code in regions.counties["adcode"].iloc[hits])
    )


def point_problem(
    regions: Regions, region: BaseGeometry, region_name: str, lon: float, lat: float
) -> str | None:
    """Why a WGS-84 point cannot stand for a record of ``region`` (None when it can).

    Points up to ``BORDER_TOLERANCE_METRES`` outside the region are accepted.
    """
    swapped = county_at(regions, lat, lon) is not None
    swap_hint = t("，经度和纬度可能填反了") if swapped else ""
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        return t("经纬度超出取值范围（经度-180～180，纬度-90～90）{hint}", hint=swap_hint)
    distance = distance_outside(region, lon, lat)
    if distance <= BORDER_TOLERANCE_METRES:
        return None
    kilometres = t("约{km}公里", km=f"{distance / 1000:.1f}")
    found = county_at(regions, lon, lat)
    shown = i18n.name(region_name)
    if found is not None:
        # The datums differ by under a kilometre or so in Hubei: a near miss may be one.
        hint = (
            t("；若坐标取自高德、腾讯或百度地图，请选对坐标系") if distance < _DATUM_SHIFT else ""
        )
        return t(
            "坐标在{found}境内，不在{region}境内（距{region}边界{distance}）{hint}",
            found=i18n.name(found.name),
            region=shown,
            distance=kilometres,
            hint=hint,
        )
    province = regions.region.place_name()
    if swapped:
        return t("坐标不在{province}境内{hint}", province=province, hint=swap_hint)
    return t(
        "坐标不在{province}境内（距{region}{distance}）；请核对经纬度和坐标系",
        province=province,
        region=shown,
        distance=kilometres,
    )


def _names_prefecture(regions: Regions, name: str) -> bool:
    try:
        regions.prefecture(name)
    except RegionNotFoundError:
        return False
    return True


def _locate(
    check: RowChecker,
    regions: Regions,
    row: Any,
    key: str,
    county_required: bool,
    county_is_guess: bool = False,
) -> dict[str, Any]:
    """Resolve prefecture/county names and place the record inside its region.

    A guessed county (``county_is_guess``) is still checked, and names the prefecture when
    that is left empty, but the record is kept at prefecture level.
    """
    place: dict[str, Any] = dict.fromkeys(
        ("prefecture_adcode", "prefecture", "county_adcode", "county", "lon", "lat", "precision"),
        "",
    )
    prefecture_text, county_text = text(row.get("prefecture")), text(row.get("county"))
    lon_example, lat_example = coordinate_example(regions)
    lon = check.number("lon", row.get("lon"), t("经度，十进制度（如 {lon}）", lon=lon_example))
    lat = check.number("lat", row.get("lat"), t("纬度，十进制度（如 {lat}）", lat=lat_example))
    try:
        if county_text:
            county = regions.county(county_text, prefecture_text or None)
            place |= {
                "prefecture_adcode": county.prefecture_adcode,
                "prefecture": county.prefecture,
            }
            if not county_is_guess:
                place |= {"county_adcode": county.adcode, "county": county.name}
        elif county_required:
            check.fail(
                "county",
                "",
                t("必填项为空"),
                t("{province}县级行政区名称或6位代码", province=regions.region.place_name()),
            )
            return place
        elif prefecture_text:
            prefecture = regions.prefecture(prefecture_text)
            place |= {"prefecture_adcode": prefecture.adcode, "prefecture": prefecture.name}
        else:
            check.fail("county", "", t("县和市州都为空"), t("至少填写所在市州"))
            return place
    except RegionNotFoundError as error:
        message = str(error)
        if (
            county_text
            and not regions.names_county(county_text)
            and _names_prefecture(regions, county_text)
        ):
            message = t(
                "“{name}”是市州，不是县市区；只知道市州时请把它填在所属市州一栏",
                name=county_text,
            )
        check.fail(
            "county" if county_text else "prefecture",
            county_text or prefecture_text,
            message,
            t("{province}行政区名称或6位代码", province=regions.region.place_name()),
        )
        return place

    region_adcode = place["county_adcode"] or place["prefecture_adcode"]
    region_name = place["county"] or place["prefecture"]
    region = regions.geometry(region_adcode)
    if lon is not None and lat is not None:
        problem = point_problem(regions, region, region_name, lon, lat)
        if problem is None:
            return place | {"lon": lon, "lat": lat, "precision": "point"}
        check.fail("lon/lat", f"{lon}, {lat}", problem, _point_expected(i18n.name(region_name)))
        return place
    if (text(row.get("lon")) == "") != (text(row.get("lat")) == ""):
        check.fail(
            "lon/lat",
            text(row.get("lon")) or text(row.get("lat")),
            t("经纬度只填了一项"),
            t("经度和纬度同时填写，或同时留空"),
        )
    lon, lat = stand_in_point(region, key)
    precision = "county" if place["county_adcode"] else "prefecture"
    return place | {"lon": lon, "lat": lat, "precision": precision}


def _provenance(check: RowChecker, row: Any, default_confidence: str = "") -> dict[str, str]:
    """Confidence and sources; repost links point at unrelated sites and are dropped."""
    quality = check.choice(
        "source_quality", row.get("source_quality"), _SOURCE_QUALITY, _quality_expected()
    )
    url = text(row.get("source_url"))
    problem = url_problem(url) if url else None
    if problem:
        check.fail("source_url", url, problem, t("以 http:// 或 https:// 开头的完整网址，或留空"))
    others = text(row.get("other_source_urls"))
    for other in split_urls(others):
        problem = url_problem(other)
        if problem:
            check.fail(
                "other_source_urls",
                other,
                problem,
                t("以 http:// 或 https:// 开头的完整网址，多个用空格分隔，或留空"),
            )
    shown = quality != "repost"
    return {
        "confidence": check.choice(
            "confidence",
            row.get("confidence"),
            _CONFIDENCE,
            _confidence_expected(),
            default_confidence,
        ),
        "source_url": url if shown else "",
        "other_source_urls": others if shown else "",
        "source_quality": quality,
    }


@dataclass(frozen=True)
class Prepared:
    """A table checked row by row: every row as far as it could be read, and every problem.

    Rows with problems hold placeholders in their bad fields; ``frame`` is only the
    table to store when ``problems`` is empty (``result``).
    """

    table: str  # the table's name for messages (Chinese, translated where shown)
    frame: pd.DataFrame
    problems: list[RowProblem]

    def result(self) -> pd.DataFrame:
        """The prepared table; raises ``ValidationError`` when any row has a problem."""
        if self.problems:
            raise ValidationError(self.table, self.problems)
        return self.frame


def _finish(
    table: str, rows: list[dict[str, Any]], problems: list[RowProblem], columns: tuple[str, ...]
) -> Prepared:
    return Prepared(table, pd.DataFrame(rows, columns=list(columns)), problems)


def _records(raw: pd.DataFrame) -> list[dict[str, Any]]:
    # The seed tables' column labels are strings; pandas types them as any Hashable.
    return cast("list[dict[str, Any]]", raw.to_dict("records"))


_SCOPE_SEPARATORS = re.compile(r"[、,，;；/|\s]+")  # not UI: parses input


_SCOPE_EXAMPLES = (["竹溪县", "竹山县"], "宜昌市")  # not UI: Hubei's example names to type


def _scope_expected(regions: Regions) -> str:
    counties, prefecture = _SCOPE_EXAMPLES
    if regions.region.code != DEFAULT_CODE:
        example = regions.example_county()
        counties = [county.name for county in regions.example_counties()]
        prefecture = example.prefecture
    return t(
        "以顿号分隔的{province}县市区名称（如 {counties}），"
        "或一个市州名称（如 {prefecture}），或留空",
        province=regions.region.place_name(),
        counties=joined(counties),
        prefecture=prefecture,
    )


def _scope_counties(
    check: RowChecker, regions: Regions, scope: str, prefecture_text: str
) -> tuple[str, list[County]] | None:
    """The area a ``scope`` text names: a whole prefecture, or its listed counties.

    ``None`` when the scope is empty or has problems (each reported on ``check``).
    """
    names = list(dict.fromkeys(name for name in _SCOPE_SEPARATORS.split(scope) if name))
    if not names:
        return None
    counties: dict[str, County] = {}
    unresolved = False
    if len(names) == 1 and not regions.names_county(names[0]):
        try:
            prefecture = regions.prefecture(names[0])
            counties = {c.adcode: c for c in regions.counties_of(prefecture.adcode)}
        except RegionNotFoundError:
            pass
    for name in names if not counties else ():
        try:
            county = regions.county(name)
        except RegionNotFoundError as error:
            check.fail("scope", name, str(error), _scope_expected(regions))
            unresolved = True
            continue
        counties.setdefault(county.adcode, county)
    if unresolved or not counties:
        return None
    prefectures = dict.fromkeys(county.prefecture for county in counties.values())
    if len(prefectures) > 1:
        check.fail(
            "scope",
            scope,
            t("范围跨了{prefectures}", prefectures=i18n.names(list(prefectures))),
            t("同一市州内的县市区"),
        )
        return None
    first = next(iter(counties.values()))
    if prefecture_text:
        try:
            stated = regions.prefecture(prefecture_text)
        except RegionNotFoundError:
            return None  # reported by _locate
        if first.prefecture_adcode != stated.adcode:
            problem = t(
                "范围属于{found}，不属于{stated}",
                found=i18n.name(first.prefecture),
                stated=i18n.name(stated.name),
            )
            check.fail("scope", scope, problem, _scope_expected(regions))
            return None
    ordered = sorted(counties.values(), key=lambda c: c.adcode)
    if len(ordered) == 1:
        return AREA_COUNTY, ordered
    whole = len(names) == 1 and not regions.names_county(names[0])
    return (AREA_PREFECTURE if whole else AREA_COUNTIES), ordered


def default_area(
    regions: Regions, county_adcode: str, prefecture_adcode: str
) -> tuple[str, list[str]]:
    """The area of a record with no stated scope: its county, else its whole prefecture."""
    if county_adcode:
        return AREA_COUNTY, [county_adcode]
    adcodes = [county.adcode for county in regions.counties_of(prefecture_adcode)]
    return (AREA_PREFECTURE if len(adcodes) > 1 else AREA_COUNTY), adcodes


def _area(
    check: RowChecker,
    regions: Regions,
    key: str,
    place: dict[str, Any],
    scope: tuple[str, list[County]] | None,
) -> dict[str, Any]:
    """The product's area (level and county adcodes) and a marker position inside it."""
    if scope is None:
        level, adcodes = default_area(regions, place["county_adcode"], place["prefecture_adcode"])
        return {"area_level": level, "area_adcodes": AREA_SEPARATOR.join(adcodes)}
    level, counties = scope
    adcodes = [county.adcode for county in counties]
    area = {"area_level": level, "area_adcodes": AREA_SEPARATOR.join(adcodes)}
    if place["county_adcode"] and place["county_adcode"] not in adcodes:
        check.fail(
            "county", place["county"], t("不在保护范围之内"), t("保护范围所列县市区之一，或留空")
        )
        return area
    if level == AREA_COUNTY:
        only = counties[0]
        if not place["county_adcode"] and place["precision"] != "point":
            lon, lat = stand_in_point(regions.geometry(only.adcode), key)
            place |= {"lon": lon, "lat": lat, "precision": "county"}
        return area | {"county_adcode": only.adcode, "county": only.name}
    # A product of several counties is credited to none of them alone.
    area |= {"county_adcode": "", "county": ""}
    union = shapely.union_all([regions.geometry(code) for code in adcodes])
    if place["precision"] == "point":
        if distance_outside(union, place["lon"], place["lat"]) > BORDER_TOLERANCE_METRES:
            check.fail(
                "lon/lat",
                f"{place['lon']}, {place['lat']}",
                t("坐标不在保护范围之内"),
                t(
                    "保护范围境内的经纬度（边界外{metres}米以内也算境内），或同时留空",
                    metres=f"{BORDER_TOLERANCE_METRES:.0f}",
                ),
            )
        return area
    lon, lat = stand_in_point(union, key)
    precision = "counties" if level == AREA_COUNTIES else "prefecture"
    return area | {"lon": lon, "lat": lat, "precision": precision}


def check_products(
    raw: pd.DataFrame, regions: Regions, sheet_rows: Sequence[int] | None = None
) -> Prepared:
    problems: list[RowProblem] = []
    numbers = row_numbers(raw, sheet_rows)
    duplicated_names(raw, "name", problems, numbers)
    rows = []
    for index, row in enumerate(_records(raw)):
        check = RowChecker(numbers[index], problems)
        name = check.required("name", row.get("name"), t("地理标志产品名称"))
        category = check.choice(
            "category", row.get("category"), _CATEGORY, allowed_values(CATEGORIES)
        )
        gi_type = check.choice(
            "gi_type", row.get("gi_type"), _GI_TYPE, _gi_type_expected(), GI_TYPE_UNKNOWN
        )
        note = text(row.get("note"))
        chain, basis = assign_chain_in(regions.region, category, name)
        if text(row.get("chain")):
            names = chain_names(regions.region)
            chains = {chain_name: chain_name for chain_name in names}
            chain = check.choice("chain", row.get("chain"), chains, allowed_values(names))
            basis = MANUAL_CHAIN_BASIS
        scope = _scope_counties(check, regions, text(row.get("scope")), text(row.get("prefecture")))
        located = dict(row)
        if scope is not None and not text(row.get("prefecture")):
            located["prefecture"] = scope[1][0].prefecture_adcode
        place = _locate(
            check,
            regions,
            located,
            name,
            county_required=False,
            county_is_guess=county_is_guessed(note),
        )
        if place["prefecture_adcode"]:
            place |= _area(check, regions, name, place, scope)
        rows.append(
            {
                "name": name,
                "category": category,
                "gi_type": gi_type,
                "gi_types": _gi_types(gi_type, note),
                "family": text(row.get("family")) or name,
                "registration_number": text(row.get("registration_number")),
                "chain": chain,
                "chain_basis": basis,
                **place,
                "scope_note": text(row.get("scope_note")),
                "year": check.year("year", row.get("year")),
                "note": note,
                **_provenance(check, row),
            }
        )
    return _finish(N_("地理标志产品表"), rows, problems, PRODUCT_COLUMNS)


def with_product_details(raw: pd.DataFrame, details: pd.DataFrame) -> pd.DataFrame:
    """``raw`` products with the columns of ``details`` (family, registration number, scope
    …) filled in by product name; a detail naming no product rejects the table."""
    problems: list[RowProblem] = []
    known = set(raw["name"].map(text))
    for index, name in enumerate(details["name"].map(text)):
        if name not in known:
            problems.append(
                RowProblem(
                    sheet_row(index),
                    "name",
                    name,
                    t("产品表中没有这个产品"),
                    t("产品表中已有的产品名称"),
                )
            )
    if problems:
        raise ValidationError(N_("产品补充信息表"), problems)
    merged = raw.drop(columns=[c for c in details.columns if c != "name" and c in raw.columns])
    return merged.merge(details, on="name", how="left").fillna("")


def check_registrations(
    raw: pd.DataFrame, products: pd.DataFrame, sheet_rows: Sequence[int] | None = None
) -> Prepared:
    """Details of registrations beyond each product row's own: product, type, number, year."""
    problems: list[RowProblem] = []
    numbers = row_numbers(raw, sheet_rows)
    # A product is found as keys are compared (ＡＢＣ茶 finds ABC茶) and kept as stored.
    names = {key_text(name): name for name in products["name"]}
    seen: dict[tuple[str, str, str], int] = {}
    rows = []
    for index, row in enumerate(_records(raw)):
        check = RowChecker(numbers[index], problems)
        product = check.required("product", row.get("product"), t("产品表中已有的产品名称"))
        if product and key_text(product) not in names:
            check.fail("product", product, t("产品表中没有这个产品"), t("产品表中已有的产品名称"))
        product = names.get(key_text(product), product)
        gi_type = check.choice("gi_type", row.get("gi_type"), _GI_TYPE, _gi_type_expected())
        number = text(row.get("number"))
        key = (key_text(product), gi_type, key_text(number))  # ＡＢＣ茶 is abc茶
        if key in seen:
            check.fail(
                "number",
                number,
                t("与第{row}行重复", row=seen[key]),
                t("每个产品的每项登记只填一行"),
            )
        seen.setdefault(key, check.row)
        rows.append(
            {
                "product": product,
                "gi_type": gi_type,
                "number": number,
                "year": check.year("year", row.get("year")),
                "note": text(row.get("note")),
            }
        )
    return _finish(N_("登记表"), rows, problems, REGISTRATION_COLUMNS)


def check_zones(
    raw: pd.DataFrame, regions: Regions, sheet_rows: Sequence[int] | None = None
) -> Prepared:
    problems: list[RowProblem] = []
    numbers = row_numbers(raw, sheet_rows)
    duplicated_names(raw, "name", problems, numbers)
    rows = []
    for index, row in enumerate(_records(raw)):
        check = RowChecker(numbers[index], problems)
        name = check.required("name", row.get("name"), t("示范区名称"))
        place = _locate(check, regions, row, name, county_required=True)
        rows.append(
            {
                "name": name,
                "level": check.required(
                    "level",
                    row.get("level"),
                    t("级别（如 {example}）", example="国家级"),  # not UI
                ),
                "product": text(row.get("product")),
                **{
                    k: place[k]
                    for k in ("prefecture_adcode", "prefecture", "county_adcode", "county")
                },
                "year": check.year("year", row.get("year")),
                "status": check.required(
                    "status",
                    row.get("status"),
                    t("状态（如 {examples}）", examples=joined(["筹建", "已授牌"])),  # not UI
                ),
                "note": text(row.get("note")),
                **_provenance(check, row),
            }
        )
    return _finish(N_("示范区表"), rows, problems, ZONE_COLUMNS)


def check_sites(
    raw: pd.DataFrame, regions: Regions, sheet_rows: Sequence[int] | None = None
) -> Prepared:
    problems: list[RowProblem] = []
    numbers = row_numbers(raw, sheet_rows)
    duplicated_names(raw, "name", problems, numbers)
    rows = []
    for index, row in enumerate(_records(raw)):
        check = RowChecker(numbers[index], problems)
        name = check.required("name", row.get("name"), t("站点名称"))
        rows.append(
            {
                "name": name,
                "site_type": check.choice(
                    "site_type", row.get("site_type"), _SITE_TYPE, allowed_values(SITE_TYPES)
                ),
                "products": text(row.get("products")),
                **_locate(check, regions, row, name, county_required=False),
                "place": text(row.get("place")),
                "status": text(row.get("status")),
                "note": text(row.get("note")),
                "confidence": check.choice(
                    "confidence", row.get("confidence"), _CONFIDENCE, _confidence_expected()
                ),
                "sources": text(row.get("sources")),
            }
        )
    return _finish(N_("地标+文旅站点表"), rows, problems, SITE_COLUMNS)


_VALUE_PATTERN = re.compile(  # not UI: parses input
    r"(超|接近|突破|过|近|约|逾)?\s*(\d+(?:\.\d+)?)\s*(余|多)?\s*(亿元|亿)?\s*(以上)?"
)
_NEGATIVE = re.compile(r"[-−]\s*\d+(?:\.\d+)?\s*(亿元|亿)?")  # not UI: parses input
# The subject of a row that gives a county's (or prefecture's) total: 秭归县地理标志产品.
REGION_TOTAL_SUBJECT = "地理标志产品"  # not UI: stored


def parse_amount(raw: str) -> float | None:
    """'超1000' → 1000.0; the qualifier stays in the kept text, never in the number."""
    match = _VALUE_PATTERN.fullmatch(raw.replace(",", ""))
    return float(match.group(2)) if match else None


def _output_region(check: RowChecker, regions: Regions, row: Any) -> tuple[str, str]:
    county, prefecture = text(row.get("county")), text(row.get("prefecture"))
    try:
        if county:
            found = regions.county(county, prefecture or None)
            return found.adcode, found.name
        total_adcode, total_name = region_total(regions.region)
        spellings = (total_name, total_adcode, regions.region.name, regions.region.short_name)
        if prefecture in ("", *spellings):
            return total_adcode, total_name
        if prefecture == _NATIONWIDE:
            return "", _NATIONWIDE
        found_prefecture = regions.prefecture(prefecture)
        return found_prefecture.adcode, found_prefecture.name
    except RegionNotFoundError as error:
        check.fail(
            "county" if county else "prefecture",
            county or prefecture,
            str(error),
            t(
                "{region}行政区名称、“{province}”或“{country}”",
                region=regions.region.place_name(),
                province=region_total(regions.region)[1],
                country=_NATIONWIDE,
            ),
        )
        return "", ""


def check_outputs(
    raw: pd.DataFrame,
    regions: Regions,
    product_names: set[str],
    sheet_rows: Sequence[int] | None = None,
) -> Prepared:
    problems: list[RowProblem] = []
    numbers = row_numbers(raw, sheet_rows)
    rows = []
    for index, row in enumerate(_records(raw)):
        check = RowChecker(numbers[index], problems)
        region_adcode, region = _output_region(check, regions, row)
        subject = text(row.get("product"))
        if not subject and region and (text(row.get("county")) or text(row.get("prefecture"))):
            subject = region + REGION_TOTAL_SUBJECT
        elif not subject:
            check.fail(
                "product",
                "",
                t("必填项为空"),
                t("产品名称；填报县市区合计时可留空，但要填县市区"),
            )
        value_text = check.required("value_yi_yuan", row.get("value_yi_yuan"), t("产值（亿元）"))
        value = parse_amount(value_text) if value_text else None
        if value_text and value is None:
            negative = _NEGATIVE.fullmatch(value_text.replace(",", ""))
            check.fail(
                "value_yi_yuan",
                value_text,
                t("产值不能为负数") if negative else t("无法识别为金额"),
                t(
                    "以亿元计的非负数字，可带“{qualifiers}”等修饰（如 {examples}）",
                    qualifiers="超/近/余",  # not UI: words users type
                    examples=joined(["429.03", "超1000"]),  # not UI: an amount as typed
                ),
            )
        base_name = re.split(r"[(（]", subject, maxsplit=1)[0].strip()  # not UI
        is_demo = text(row.get("is_demo")).lower() in ("1", "true", "是", "yes")  # not UI
        rows.append(
            {
                "subject": subject,
                "product": base_name if base_name in product_names else "",
                "region_adcode": region_adcode,
                "region": region,
                "year": check.year("year", row.get("year")),
                "metric": check.required(
                    "metric",
                    row.get("metric"),
                    t("指标名称（如 {example}）", example="年产值"),  # not UI
                ),
                "value": value,
                "value_text": value_text,
                "scope": text(row.get("scope")),
                "note": text(row.get("note")),
                **_provenance(check, row, "medium" if is_demo else ""),
                "is_demo": is_demo,
            }
        )
    return _finish(N_("产值表"), rows, problems, OUTPUT_COLUMNS)


def prepare_products(raw: pd.DataFrame, regions: Regions) -> pd.DataFrame:
    return check_products(raw, regions).result()


def prepare_registrations(raw: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    return check_registrations(raw, products).result()


def prepare_zones(raw: pd.DataFrame, regions: Regions) -> pd.DataFrame:
    return check_zones(raw, regions).result()


def prepare_sites(raw: pd.DataFrame, regions: Regions) -> pd.DataFrame:
    return check_sites(raw, regions).result()


def prepare_outputs(raw: pd.DataFrame, regions: Regions, product_names: set[str]) -> pd.DataFrame:
    return check_outputs(raw, regions, product_names).result()
