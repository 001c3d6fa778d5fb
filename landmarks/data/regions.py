"""The region's county-level units and prefectures (Hubei's by default, any province's or
the country's by ``LANDMARKS_REGION``: ``landmarks.data.region``), and resolution of names
as users write them.

Users write 秭归, 秭归县, 宜昌秭归, 宜昌市秭归县, 420527, or an old name such as 郧县 or
京山县; all of these resolve to one county record.  Unknown names raise
``RegionNotFoundError`` carrying the closest candidates; a name several counties share
(nationally: 城区, 朝阳区 …) asks for the prefecture or the code.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from landmarks import i18n
from landmarks.data import region as region_config
from landmarks.data import regions_cache
from landmarks.data.region import Region
from landmarks.data.text import normalize_text
from landmarks.i18n import N_, t

GEODATA_DIR = region_config.GEODATA_DIR
# Hubei's shipped layers (the default region's; other regions: Region.layer_path).
COUNTIES_FILE = GEODATA_DIR / "hubei_counties.geojson"
PREFECTURES_FILE = GEODATA_DIR / "hubei_prefectures.geojson"
# The province whose old names the tables below hold (they apply to it and to china).
_OLD_NAMES_PROVINCE = "42"  # not UI: adcode prefix

# Former names still found in surveys, reports and older GI registrations.
OLD_COUNTY_NAMES: dict[str, str] = {  # not UI: place names (shown via i18n.name)
    "郧县": "郧阳区",
    "襄阳县": "襄州区",
    "宜昌县": "夷陵区",
    "蒲圻": "赤壁市",
    "蒲圻市": "赤壁市",
    "沔阳": "仙桃市",
    "沔阳县": "仙桃市",
    "京山县": "京山市",
    "监利县": "监利市",
}
# Areas that GI scopes name beside counties but that are not county-level units of their
# own: each lies inside one county, which stands for it.
AREAS_WITHIN_COUNTIES: dict[str, str] = {  # not UI: place names
    "武当山特区": "丹江口市",
    "武当山旅游经济特区": "丹江口市",
}
OLD_PREFECTURE_NAMES: dict[str, str] = {  # not UI: place names
    "襄樊": "襄阳市",
    "襄樊市": "襄阳市",
    "恩施州": "恩施土家族苗族自治州",
    "鄂西州": "恩施土家族苗族自治州",
    "郧阳地区": "十堰市",
}

# Longest first, so that 土家族自治县 is removed before 县.
_SUFFIXES = (  # not UI: parts of place names
    "土家族苗族自治州",
    "土家族自治县",
    "自治州",
    "自治县",
    "林区",
    "县",
    "市",
    "区",
    "州",
)

# An autonomous prefecture is commonly written by its place and 州: 湘西州, 恩施州.
_AUTONOMOUS_PREFECTURE = "自治州"  # not UI: parts of place names
_PEOPLE = "族"  # not UI
_PREFECTURE_SUFFIX = "州"  # not UI

# What a name that is not found was looked up as.
KIND_COUNTY = N_("县级行政区")
KIND_PREFECTURE = N_("市州")
_EXAMPLE_COUNTY = "秭归县"  # not UI: a place name (Hubei's example)


def old_names_apply(region: Region) -> bool:
    """Whether Hubei's old-name tables apply: to Hubei and to the whole country."""
    return region.national or region.code.startswith(_OLD_NAMES_PROVINCE)


@dataclass(frozen=True)
class County:
    adcode: str
    name: str
    prefecture_adcode: str
    prefecture: str


@dataclass(frozen=True)
class Prefecture:
    adcode: str
    name: str


class RegionNotFoundError(ValueError):
    """A name that matches no county or prefecture of the region; ``candidates`` are the
    nearest.

    The candidates and the message are found when first asked for, in the language of
    the moment the error was raised: most lookups that fail are tries (is this a county's
    name?) whose error is caught and dropped, and finding the nearest names compares the
    text with every name of the region (at national scale, most of a publish)."""

    def __init__(
        self,
        text: str,
        kind: str,
        candidates: list[str] | Callable[[], list[str]],
        reason: str = "",
        region: Region | None = None,
        example: str = _EXAMPLE_COUNTY,
    ) -> None:
        """``kind`` is ``KIND_COUNTY`` or ``KIND_PREFECTURE``; ``candidates`` the nearest
        names, or what finds them; the message names ``region`` (Hubei when not given)
        and ``example``, a county of it."""
        super().__init__(text)
        self.text = text
        self._kind, self._reason, self._region, self._example = kind, reason, region, example
        self._find_candidates = candidates
        self._language = i18n.current_language()

    @functools.cached_property
    def candidates(self) -> list[str]:
        found = self._find_candidates
        return list(found() if callable(found) else found)

    @functools.cached_property
    def message(self) -> str:
        with i18n.language(self._language):
            return self._message()

    def __str__(self) -> str:
        return self.message

    def _message(self) -> str:
        candidates = self.candidates
        found = {"kind": t(self._kind), "text": self.text}
        if self._reason:
            if not candidates:
                return self._reason
            return t(
                "{reason}。您是否要找：{candidates}？",
                reason=self._reason,
                candidates=i18n.names(candidates),
            )
        if candidates:
            return t(
                "未找到{kind}“{text}”。您是否要找：{candidates}？",
                candidates=i18n.names(candidates),
                **found,
            )
        return t(
            "未找到{kind}“{text}”。请填写{region}内的县级行政区全称（如“{example}”）"
            "或6位行政区划代码。",
            region=(
                self._region or region_config.region_for(region_config.DEFAULT_CODE)
            ).place_name(),
            example=i18n.name(self._example),
            **found,
        )


def normalize_name(text: str) -> str:
    """Full-width → half-width, no white space, so 'ＸＸ 县 ' matches 'XX县'."""
    return normalize_text(text, keep_spaces=False)


def short_name(full_name: str) -> str:
    for suffix in _SUFFIXES:
        if full_name.endswith(suffix) and len(full_name) - len(suffix) >= 2:
            return full_name[: -len(suffix)]
    return full_name


class Regions:
    """Lookup over a region's county and prefecture layers (WGS-84); for china also its
    provinces (``provinces``: adcode, name)."""

    def __init__(
        self,
        counties: gpd.GeoDataFrame,
        prefectures: gpd.GeoDataFrame,
        region: Region | None = None,
        provinces: gpd.GeoDataFrame | None = None,
    ) -> None:
        self.region = region or region_config.region_for(region_config.DEFAULT_CODE)
        self.counties = counties.sort_values("adcode").reset_index(drop=True)
        self.prefectures = prefectures.sort_values("adcode").reset_index(drop=True)
        self.provinces = (
            None if provinces is None else provinces.sort_values("adcode").reset_index(drop=True)
        )
        self._county_by_adcode = {
            # load_regions makes these columns str; str() tells the type checker so.
            str(row.adcode): County(
                str(row.adcode), str(row.name), str(row.prefecture_adcode), str(row.prefecture_name)
            )
            for row in self.counties.itertuples()
        }
        self._prefecture_by_adcode = {
            str(row.adcode): Prefecture(str(row.adcode), str(row.name))
            for row in self.prefectures.itertuples()
        }
        self._example_point: tuple[str, str] | None = None  # derived on first use
        old = old_names_apply(self.region)
        self._ambiguous: dict[str, list[str]] = {}
        self._county_keys = self._build_keys(
            {c.adcode: c.name for c in self._county_by_adcode.values()},
            (OLD_COUNTY_NAMES | AREAS_WITHIN_COUNTIES) if old else {},
            self._ambiguous,
        )
        self._prefecture_keys = self._build_keys(
            {p.adcode: p.name for p in self._prefecture_by_adcode.values()},
            OLD_PREFECTURE_NAMES if old else {},
            self._ambiguous,
        )
        # Longest first: 宜昌市秭归县 is read after 宜昌市, not 宜昌 (``_county_of``).
        self._prefecture_prefixes = sorted(
            self._prefecture_keys.items(), key=lambda item: -len(item[0])
        )
        self._counties_by_prefecture: dict[str, list[County]] = {}
        for county in self._county_by_adcode.values():
            self._counties_by_prefecture.setdefault(county.prefecture_adcode, []).append(county)
        self._geometry_by_adcode: dict[str, BaseGeometry] = dict(
            zip(self.counties["adcode"], self.counties.geometry, strict=True)
        ) | dict(zip(self.prefectures["adcode"], self.prefectures.geometry, strict=True))

    @staticmethod
    def _build_keys(
        names: dict[str, str], old_names: dict[str, str], ambiguous: dict[str, list[str]]
    ) -> dict[str, str]:
        """Name → adcode; a full name several units share goes into ``ambiguous`` (name →
        their adcodes) instead, and a shared short name to none of them."""
        holders: dict[str, list[str]] = {}
        for adcode, name in names.items():
            holders.setdefault(name, []).append(adcode)
        keys: dict[str, str] = {}
        for adcode, name in names.items():
            keys.setdefault(short_name(name), adcode)
            if name.endswith(_AUTONOMOUS_PREFECTURE) and _PEOPLE not in short_name(name):
                keys.setdefault(short_name(name) + _PREFECTURE_SUFFIX, adcode)  # 湘西州
        for name, adcodes in holders.items():
            if len(adcodes) == 1:
                keys[name] = adcodes[0]
            else:
                ambiguous[name] = adcodes
                keys.pop(name, None)
        short_holders: dict[str, int] = {}
        for name in names.values():
            short_holders[short_name(name)] = short_holders.get(short_name(name), 0) + 1
        for short, count in short_holders.items():
            if count > 1 and short not in holders:
                keys.pop(short, None)  # 朝阳 is 朝阳区 of Beijing or of 长春, and 朝阳市
        # Old names are Hubei's: they stand for the Hubei unit of that name.
        hubei = {
            name: adcode for adcode, name in names.items() if adcode.startswith(_OLD_NAMES_PROVINCE)
        }
        for old, new in old_names.items():
            if new in hubei:
                keys.setdefault(old, hubei[new])
        return keys

    @property
    def county_list(self) -> list[County]:
        return list(self._county_by_adcode.values())

    @property
    def prefecture_list(self) -> list[Prefecture]:
        return list(self._prefecture_by_adcode.values())

    def county_by_adcode(self, adcode: str) -> County:
        return self._county_by_adcode[adcode]

    def names_county(self, text: str) -> bool:
        """Whether ``text`` is a spelling of a county (code, short, full or old name)."""
        key = normalize_name(text)
        return key in self._county_keys or key in self._county_by_adcode

    def names_prefecture(self, text: str) -> bool:
        """Whether ``text`` is a spelling of a prefecture (code, short or full name)."""
        key = normalize_name(text)
        return key in self._prefecture_keys or key in self._prefecture_by_adcode

    def counties_of(self, prefecture_adcode: str) -> list[County]:
        """The county-level units of a prefecture, by adcode."""
        return list(self._counties_by_prefecture.get(prefecture_adcode, ()))

    def geometry(self, adcode: str) -> BaseGeometry:
        return self._geometry_by_adcode[adcode]

    def has_geometry(self, adcode: str) -> bool:
        return adcode in self._geometry_by_adcode

    def prefecture(self, text: str) -> Prefecture:
        key = normalize_name(text)
        if key in self._prefecture_by_adcode:
            return self._prefecture_by_adcode[key]
        if key in self._prefecture_keys:
            return self._prefecture_by_adcode[self._prefecture_keys[key]]
        if key in self._ambiguous and key not in self._county_keys:
            names = [self._prefecture_by_adcode[a].name for a in self._ambiguous[key]
                     if a in self._prefecture_by_adcode]  # fmt: skip
            if names:
                raise self._ambiguous_error(text, key)
        raise self.not_found(
            text, KIND_PREFECTURE, functools.partial(self._candidates, key, self._prefecture_keys)
        )

    def example_county(self) -> County:
        """A county the messages name as an example: 秭归县 in Hubei, else the region's
        first county (by adcode) whose name is not shared."""
        counties = self.county_list
        for county in counties:
            if county.name == _EXAMPLE_COUNTY:
                return county
        county_suffix = "县"  # not UI: a 县 rather than a 区 makes the clearer example
        unique = [
            c for c in counties if c.name not in self._ambiguous and c.name.endswith(county_suffix)
        ]
        return (unique or counties)[0]

    def example_point(self) -> tuple[str, str]:
        """A point inside the example county, as messages write it: (lon, lat) in decimal
        degrees to two places."""
        if self._example_point is None:
            point = self.geometry(self.example_county().adcode).representative_point()
            self._example_point = (f"{point.x:.2f}", f"{point.y:.2f}")
        return self._example_point

    def example_counties(self, count: int = 2) -> list[County]:
        """Up to ``count`` counties of one prefecture (the example county's), for examples of
        a scope."""
        example = self.example_county()
        return self.counties_of(example.prefecture_adcode)[:count]

    def not_found(
        self,
        text: str,
        kind: str,
        candidates: list[str] | Callable[[], list[str]],
        reason: str = "",
    ) -> RegionNotFoundError:
        return RegionNotFoundError(
            text, kind, candidates, reason, self.region, self.example_county().name
        )

    def _ambiguous_error(self, text: str, key: str) -> RegionNotFoundError:
        """A name several units share: each with its prefecture (or province), to pick."""
        shown = []
        for adcode in self._ambiguous[key]:
            if adcode in self._county_by_adcode:
                county = self._county_by_adcode[adcode]
                shown.append(f"{county.prefecture}{county.name}")
            else:
                shown.append(f"{self._prefecture_by_adcode[adcode].name} {adcode}")
        return self.not_found(
            text,
            KIND_COUNTY,
            shown,
            reason=t(
                "“{name}”有{count}处同名，请写上所属市州或填写6位行政区划代码",
                name=text,
                count=len(shown),
            ),
        )

    def county(self, text: str, prefecture: str | None = None) -> County:
        """Resolve a county-level unit; with ``prefecture`` given, check it belongs there."""
        county = self._lookup_county(normalize_name(text), text)
        if prefecture is not None and str(prefecture).strip():
            expected = self.prefecture(prefecture)
            if county.prefecture_adcode != expected.adcode:
                raise self.not_found(
                    text,
                    KIND_COUNTY,
                    [],
                    reason=t(
                        "“{county}”属于{prefecture}，不属于{expected}",
                        county=i18n.name(county.name),
                        prefecture=i18n.name(county.prefecture),
                        expected=i18n.name(expected.name),
                    ),
                )
        return county

    def _lookup_county(self, key: str, text: str) -> County:
        if key in self._county_by_adcode:
            return self._county_by_adcode[key]
        for spelt in dict.fromkeys((key, self._without_province(key))):
            found = self._county_of(spelt)
            if found is not None:
                return found
        if key in self._ambiguous:
            raise self._ambiguous_error(text, key)
        raise self.not_found(
            text, KIND_COUNTY, functools.partial(self._candidates, key, self._county_keys)
        )

    def _county_of(self, key: str) -> County | None:
        """The county ``key`` names alone, or after its prefecture (宜昌秭归, 北京市朝阳区)."""
        if key in self._county_keys:
            return self._county_by_adcode[self._county_keys[key]]
        for prefix, prefecture_adcode in self._prefecture_prefixes:
            rest = key.removeprefix(prefix)
            if rest == key or not rest:
                continue
            for county in self.counties_of(prefecture_adcode):
                if rest in (county.name, short_name(county.name)):
                    return county
        return None

    def _without_province(self, key: str) -> str:
        """``key`` without a leading province name (湖南省长沙县, 湖南长沙县)."""
        if self.region.national:
            places = list(region_config.PROVINCES_BY_CODE.values())
        else:
            places = [(self.region.name, self.region.short_name)]
        for name, short in places:
            for prefix in (name, short):
                rest = key.removeprefix(prefix)
                if rest != key and rest:
                    return rest
        return key

    def _candidates(self, key: str, keys: dict[str, str], limit: int = 5) -> list[str]:
        names: dict[str, County | Prefecture] = {
            **self._county_by_adcode,
            **self._prefecture_by_adcode,
        }
        close = difflib.get_close_matches(key, list(keys), n=limit, cutoff=0.4)
        close += [k for k in keys if key and (key in k or k in key)]
        found = dict.fromkeys(names[keys[k]].name for k in close)
        return list(found)[:limit]


def load_regions(
    counties_file: Path | None = None,
    prefectures_file: Path | None = None,
    region: Region | None = None,
) -> Regions:
    """The layers of ``region`` (the current one, ``LANDMARKS_REGION``, when not given), or
    of the files given.  A region whose files are missing raises ``RegionConfigError``
    naming the build command; so does a bad ``LANDMARKS_REGION``.  Each layer is read from
    its derived copy when its file has not changed since (``regions_cache``)."""
    region = region or region_config.current_region()
    if counties_file is None or prefectures_file is None:
        region_config.check_built(region)
    read = regions_cache.read_layer
    counties = read(counties_file or region.layer_path(region_config.COUNTIES))
    prefectures = read(prefectures_file or region.layer_path(region_config.PREFECTURES))
    provinces_file = region.layer_path(region_config.PROVINCES)
    provinces = read(provinces_file) if region.national and provinces_file.exists() else None
    return Regions(counties, prefectures, region, provinces)
