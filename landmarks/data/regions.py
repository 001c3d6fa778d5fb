"""Hubei's county-level units and prefectures, and resolution of names as users write them.

Users write 秭归, 秭归县, 宜昌秭归, 宜昌市秭归县, 420527, or an old name such as 郧县 or
京山县; all of these resolve to one county record.  Unknown names raise
``RegionNotFoundError`` carrying the closest candidates.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from landmarks import i18n
from landmarks.data.text import normalize_text
from landmarks.i18n import N_, t

GEODATA_DIR = Path(__file__).resolve().parents[2] / "geodata"
COUNTIES_FILE = GEODATA_DIR / "hubei_counties.geojson"
PREFECTURES_FILE = GEODATA_DIR / "hubei_prefectures.geojson"

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

# What a name that is not found was looked up as.
KIND_COUNTY = N_("县级行政区")
KIND_PREFECTURE = N_("市州")
_EXAMPLE_COUNTY = "秭归县"  # not UI: a place name


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
    """A name that matches no Hubei county or prefecture; ``candidates`` are the nearest."""

    def __init__(self, text: str, kind: str, candidates: list[str], reason: str = "") -> None:
        """``kind`` is ``KIND_COUNTY`` or ``KIND_PREFECTURE``; the message is in the
        language of the moment it is raised."""
        self.text = text
        self.candidates = candidates
        found = {"kind": t(kind), "text": text}
        if reason:
            message = reason
            if candidates:
                message = t(
                    "{reason}。您是否要找：{candidates}？",
                    reason=reason,
                    candidates=i18n.names(candidates),
                )
        elif candidates:
            message = t(
                "未找到{kind}“{text}”。您是否要找：{candidates}？",
                candidates=i18n.names(candidates),
                **found,
            )
        else:
            message = t(
                "未找到{kind}“{text}”。请填写湖北省内的县级行政区全称（如“{example}”）"
                "或6位行政区划代码。",
                example=i18n.name(_EXAMPLE_COUNTY),
                **found,
            )
        super().__init__(message)


def normalize_name(text: str) -> str:
    """Full-width → half-width, no white space, so 'ＸＸ 县 ' matches 'XX县'."""
    return normalize_text(text, keep_spaces=False)


def short_name(full_name: str) -> str:
    for suffix in _SUFFIXES:
        if full_name.endswith(suffix) and len(full_name) - len(suffix) >= 2:
            return full_name[: -len(suffix)]
    return full_name


class Regions:
    """Lookup over the shipped county and prefecture layers (WGS-84)."""

    def __init__(self, counties: gpd.GeoDataFrame, prefectures: gpd.GeoDataFrame) -> None:
        self.counties = counties.sort_values("adcode").reset_index(drop=True)
        self.prefectures = prefectures.sort_values("adcode").reset_index(drop=True)
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
        self._county_keys = self._build_keys(
            {c.adcode: c.name for c in self._county_by_adcode.values()},
            OLD_COUNTY_NAMES | AREAS_WITHIN_COUNTIES,
        )
        self._prefecture_keys = self._build_keys(
            {p.adcode: p.name for p in self._prefecture_by_adcode.values()}, OLD_PREFECTURE_NAMES
        )
        self._geometry_by_adcode: dict[str, BaseGeometry] = dict(
            zip(self.counties["adcode"], self.counties.geometry, strict=True)
        ) | dict(zip(self.prefectures["adcode"], self.prefectures.geometry, strict=True))

    @staticmethod
    def _build_keys(names: dict[str, str], old_names: dict[str, str]) -> dict[str, str]:
        by_name = {name: adcode for adcode, name in names.items()}
        keys: dict[str, str] = {}
        for adcode, name in names.items():
            keys.setdefault(short_name(name), adcode)
            keys[name] = adcode
        for old, new in old_names.items():
            keys.setdefault(old, by_name[new])
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

    def counties_of(self, prefecture_adcode: str) -> list[County]:
        """The county-level units of a prefecture, by adcode."""
        return [
            c for c in self._county_by_adcode.values() if c.prefecture_adcode == prefecture_adcode
        ]

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
        raise RegionNotFoundError(
            text, KIND_PREFECTURE, self._candidates(key, self._prefecture_keys)
        )

    def county(self, text: str, prefecture: str | None = None) -> County:
        """Resolve a county-level unit; with ``prefecture`` given, check it belongs there."""
        county = self._lookup_county(normalize_name(text), text)
        if prefecture is not None and str(prefecture).strip():
            expected = self.prefecture(prefecture)
            if county.prefecture_adcode != expected.adcode:
                raise RegionNotFoundError(
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
        if key in self._county_keys:
            return self._county_by_adcode[self._county_keys[key]]
        for prefix, prefecture_adcode in sorted(
            self._prefecture_keys.items(), key=lambda item: -len(item[0])
        ):
            rest = key.removeprefix(prefix)
            if rest != key and rest in self._county_keys:
                county = self._county_by_adcode[self._county_keys[rest]]
                if county.prefecture_adcode == prefecture_adcode:
                    return county
        raise RegionNotFoundError(text, KIND_COUNTY, self._candidates(key, self._county_keys))

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
    counties_file: Path = COUNTIES_FILE, prefectures_file: Path = PREFECTURES_FILE
) -> Regions:
    counties = gpd.read_file(counties_file)
    prefectures = gpd.read_file(prefectures_file)
    for frame in (counties, prefectures):
        for column in frame.columns.drop("geometry"):
            frame[column] = frame[column].astype(str)
    return Regions(counties, prefectures)
