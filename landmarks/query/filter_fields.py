"""The kinds of filter field of ``landmarks.query.filters``: one class per kind of test.

A field knows where its value lives (URL key, session key of its widget), how to read it
from a shared link with a notice in Chinese for a bad value, how to write it back, how to
narrow the products, and how its widget shows it.  The shape follows datasette's
``Filters`` (a table of filter classes), written for this app.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Literal, TypeVar

import pandas as pd

from landmarks import i18n
from landmarks.data.model import GI_TYPES_SEPARATOR
from landmarks.data.regions import Regions
from landmarks.i18n import t
from landmarks.query import urlparams
from landmarks.query.search import IGNORED, NameIndex
from landmarks.query.urlparams import Params

MAX_QUERY_LENGTH = 50
MIN_YEAR, MAX_YEAR = 1949, 2100
_TRUE = frozenset({"1", "true", "yes", "on", "是"})  # not UI: accepted in links
_FALSE = frozenset({"0", "false", "no", "off", "否", ""})  # not UI: accepted in links
_YEAR_RANGE = re.compile(r"(\d{4})(?:\s*[-~～—–至到]\s*(\d{4}))?")  # not UI: pattern

WidgetKind = Literal["search", "multiselect", "years", "checkbox"]
V = TypeVar("V")
YearBounds = tuple[int, int] | None  # the approval years in the data (the slider's range)


@dataclass(frozen=True)
class YearRange:
    """Approval years ``start``–``end`` (inclusive); ``undated`` also keeps unknown years."""

    start: int
    end: int
    undated: bool = False


@dataclass(frozen=True)
class FilterData:
    """What some filters need besides the products: the zones and the name search index."""

    zones: pd.DataFrame
    index: NameIndex | None = None


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int  # products (families) having this value


# --- the kinds of filter field ------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class FilterField(ABC, Generic[V]):
    """One filter: where its value lives and how it is parsed, written and applied."""

    widget: ClassVar[WidgetKind]
    attr: str  # ProductFilter attribute
    url_key: str
    state_key: str  # st.session_state key of the widget
    column: str  # products column tested
    label: str
    help: str = ""

    @property
    def url_keys(self) -> tuple[str, ...]:
        return (self.url_key,)

    def value_in(self, product_filter: object) -> V:
        value: V = getattr(product_filter, self.attr)
        return value

    def is_active(self, value: V) -> bool:
        return bool(value)

    @abstractmethod
    def parse(
        self, params: Params, regions: Regions, parsed: Mapping[str, Any]
    ) -> tuple[V, list[str]]:
        """The value a link asks for (``parsed``: the fields before this one) and notices."""

    @abstractmethod
    def to_params(self, value: V) -> dict[str, str]:
        """The query-string parameters of an active value."""

    @abstractmethod
    def mask(self, products: pd.DataFrame, value: V, data: FilterData) -> pd.Series:
        """Which products pass (called only when the value is active)."""

    def widget_values(self, value: V, bounds: YearBounds) -> dict[str, Any]:
        """Session-state values that make the widget(s) show ``value``."""
        return {self.state_key: value}

    @abstractmethod
    def facet(self, products: pd.DataFrame, data: FilterData) -> list[Any]:
        """Per product (in order), what ``mask`` tests, as a browser can test it against
        the field's URL value (the public page filters with these, ``browser_spec``)."""

    def browser_spec(self) -> dict[str, Any]:
        """How a browser reads this field from a URL and tests a product's facet: the
        kind of test and the URL keys (more per kind)."""
        return {"kind": self.widget, "attr": self.attr, "key": self.url_key}

    @abstractmethod
    def from_widgets(self, state: Mapping[str, Any], bounds: YearBounds) -> V:
        """The value the widget(s) in ``state`` show."""


@dataclass(frozen=True, kw_only=True)
class SearchField(FilterField[str]):
    """Free text matched against names, their pinyin and pinyin initials."""

    widget: ClassVar[WidgetKind] = "search"
    placeholder: str = ""
    max_length: int = MAX_QUERY_LENGTH

    def is_active(self, value: str) -> bool:
        return bool(value.strip())

    def parse(
        self, params: Params, regions: Regions, parsed: Mapping[str, Any]
    ) -> tuple[str, list[str]]:
        # The search text may itself contain commas: take it whole.
        query = " ".join(urlparams.raw_values(params, self.url_key)).strip()
        if len(query) > self.max_length:
            reason = t("搜索词超过 {limit} 个字符", limit=self.max_length)
            return "", [urlparams.invalid_value_notice(self.url_key, query, reason)]
        return query, []

    def to_params(self, value: str) -> dict[str, str]:
        return {self.url_key: value.strip()}

    def mask(self, products: pd.DataFrame, value: str, data: FilterData) -> pd.Series:
        names = products[self.column]
        return (data.index or NameIndex(names)).mask(names, value)

    def facet(self, products: pd.DataFrame, data: FilterData) -> list[Any]:
        """Each name's search key: a normalised query (``ignored`` removed, lower case)
        matches when it is part of the key."""
        names = products[self.column]
        index = data.index or NameIndex(names)
        return [index.key(str(name)) for name in names]

    def browser_spec(self) -> dict[str, Any]:
        return super().browser_spec() | {"ignored": IGNORED.pattern, "max": self.max_length}

    def from_widgets(self, state: Mapping[str, Any], bounds: YearBounds) -> str:
        return str(state.get(self.state_key) or "").strip()[: self.max_length]


# The labels of a choice field's values in display order; a narrowing field (counties)
# gets the choice of the field it narrows (prefectures) and offers only values within it.
Vocabulary = Callable[[Regions, tuple[str, ...]], dict[str, str]]
# URL text → value; raises ValueError (or KeyError) whose first argument says why in Chinese.
Resolver = Callable[[str, Regions], str]
# The reason a value does not fit the narrowed field's choice, or None when it fits.
WithinCheck = Callable[[str, Regions, tuple[str, ...]], str | None]


@dataclass(frozen=True, kw_only=True)
class ChoiceField(FilterField[tuple[str, ...]]):
    """Any of several values; a product passes when its column holds one of them."""

    widget: ClassVar[WidgetKind] = "multiselect"
    vocabulary: Vocabulary
    resolve: Resolver
    placeholder: str
    # gi_types joins every status a product holds, area_adcodes every county of its area;
    # a product passes when any of its values matches.
    multi_valued: bool = False
    separator: str = GI_TYPES_SEPARATOR  # of a multi-valued column
    within: str | None = None  # attr of the field whose choice this one narrows
    check_within: WithinCheck | None = None

    def parse(
        self, params: Params, regions: Regions, parsed: Mapping[str, Any]
    ) -> tuple[tuple[str, ...], list[str]]:
        parent: tuple[str, ...] = tuple(parsed.get(self.within, ())) if self.within else ()
        chosen: list[str] = []
        notices = []
        for text in urlparams.list_values(params, self.url_key):
            try:
                value = self.resolve(text, regions)
            except (KeyError, ValueError) as error:
                # A KeyError's str() quotes its text; a ValueError (RegionNotFoundError's
                # message is composed when asked for) says it.
                said = error.args[0] if isinstance(error, KeyError) and error.args else error
                reason = str(said) or t("无法识别")
                notices.append(urlparams.invalid_value_notice(self.url_key, text, reason))
                continue
            problem = self.check_within(value, regions, parent) if self.check_within else None
            if problem:
                notices.append(urlparams.invalid_value_notice(self.url_key, text, problem))
            else:
                chosen.append(value)
        return tuple(dict.fromkeys(chosen)), notices

    def to_params(self, value: tuple[str, ...]) -> dict[str, str]:
        return {self.url_key: urlparams.LIST_SEPARATOR.join(value)}

    def mask(self, products: pd.DataFrame, value: tuple[str, ...], data: FilterData) -> pd.Series:
        column = products[self.column]
        if not self.multi_valued:
            return column.isin(value)
        # Match whole items of the joined list only.
        alternatives = "|".join(re.escape(item) for item in value)
        separator = re.escape(self.separator)
        pattern = f"(?:^|{separator})(?:{alternatives})(?:{separator}|$)"
        return column.fillna("").str.contains(pattern, regex=True)

    def facet(self, products: pd.DataFrame, data: FilterData) -> list[Any]:
        """Each product's values (every item of a multi-valued column); it passes when any
        of them is among the URL's."""
        values = products[self.column].fillna("").astype(str).tolist()
        if self.multi_valued:
            return [[item for item in value.split(self.separator) if item] for value in values]
        return [[value] if value else [] for value in values]

    def browser_spec(self) -> dict[str, Any]:
        return super().browser_spec() | {"separator": urlparams.LIST_SEPARATOR}

    def counts(self, products: pd.DataFrame) -> pd.Series:
        """Products per value, a family of registrations (一品多标) once: a product with
        several values counts for each (most first, as ``value_counts``)."""
        return pd.Series(self._counts(products), dtype="int64").sort_values(
            ascending=False, kind="stable"
        )

    def _counts(self, products: pd.DataFrame) -> dict[str, int]:
        # Plain lists and a set of pairs: splitting and exploding pandas strings costs
        # far more at 10,000 products, and this runs for every filter at every change.
        values = products[self.column].fillna("").astype(str).tolist()
        units = (
            products["family"] if "family" in products else products.index.to_series()
        ).tolist()
        seen: set[tuple[str, Any]] = set()
        counts: dict[str, int] = {}
        for value, unit in zip(values, units, strict=True):
            items = value.split(self.separator) if self.multi_valued else (value,)
            for item in items:
                if item and (item, unit) not in seen:
                    seen.add((item, unit))
                    counts[item] = counts.get(item, 0) + 1
        return counts

    def options(
        self,
        products: pd.DataFrame,
        regions: Regions,
        chosen: Collection[str] = (),
        parent: tuple[str, ...] = (),
    ) -> list[Option]:
        """The values worth offering: those some product has, plus any already chosen (so a
        value from a link is not silently lost), in the vocabulary's order."""
        counts = self._counts(products)
        labels = self.vocabulary(regions, parent)
        return [
            Option(value, label, counts.get(value, 0))
            for value, label in labels.items()
            if counts.get(value, 0) > 0 or value in chosen
        ]

    def widget_values(self, value: tuple[str, ...], bounds: YearBounds) -> dict[str, Any]:
        return {self.state_key: list(value)}

    def from_widgets(self, state: Mapping[str, Any], bounds: YearBounds) -> tuple[str, ...]:
        return tuple(state.get(self.state_key) or ())


@dataclass(frozen=True, kw_only=True)
class YearField(FilterField[YearRange | None]):
    """A range of approval years; products of unknown year pass only when asked to."""

    widget: ClassVar[WidgetKind] = "years"
    undated_url_key: str
    undated_state_key: str
    undated_label: str

    @property
    def url_keys(self) -> tuple[str, ...]:
        return (self.url_key, self.undated_url_key)

    def is_active(self, value: YearRange | None) -> bool:
        return value is not None

    def parse(
        self, params: Params, regions: Regions, parsed: Mapping[str, Any]
    ) -> tuple[YearRange | None, list[str]]:
        text = urlparams.last_value(params, self.url_key)
        if not text:
            return None, []
        try:
            start, end = parse_years(text)
        except ValueError as error:
            return None, [urlparams.invalid_value_notice(self.url_key, text, str(error))]
        undated = urlparams.last_value(params, self.undated_url_key).lower() in _TRUE
        return YearRange(start, end, undated), []

    def to_params(self, value: YearRange | None) -> dict[str, str]:
        if value is None:
            return {}
        params = {self.url_key: f"{value.start}-{value.end}"}
        if value.undated:
            params[self.undated_url_key] = "1"
        return params

    def mask(self, products: pd.DataFrame, value: YearRange | None, data: FilterData) -> pd.Series:
        years = products[self.column]
        if value is None:
            return pd.Series(True, index=products.index)
        inside = (years >= value.start).fillna(False) & (years <= value.end).fillna(False)
        return inside | years.isna() if value.undated else inside

    def facet(self, products: pd.DataFrame, data: FilterData) -> list[Any]:
        """Each product's approval year (None when unknown)."""
        return [None if pd.isna(year) else int(year) for year in products[self.column]]

    def browser_spec(self) -> dict[str, Any]:
        return super().browser_spec() | {
            "undated_key": self.undated_url_key,
            "pattern": _YEAR_RANGE.pattern,
            "min": MIN_YEAR,
            "max": MAX_YEAR,
            "truthy": sorted(_TRUE),
        }

    def widget_values(self, value: YearRange | None, bounds: YearBounds) -> dict[str, Any]:
        state: dict[str, Any] = {self.undated_state_key: bool(value and value.undated)}
        if bounds is not None:
            state[self.state_key] = (value.start, value.end) if value else bounds
        return state

    def from_widgets(self, state: Mapping[str, Any], bounds: YearBounds) -> YearRange | None:
        chosen = tuple(state.get(self.state_key) or ())
        if bounds is None or len(chosen) != 2 or chosen == bounds:
            return None
        return YearRange(int(chosen[0]), int(chosen[1]), bool(state.get(self.undated_state_key)))


@dataclass(frozen=True, kw_only=True)
class FlagField(FilterField[bool]):
    """A yes/no restriction such as 'only products with a demonstration zone'."""

    widget: ClassVar[WidgetKind] = "checkbox"
    test: Callable[[pd.DataFrame, FilterData], pd.Series]
    meaning: str  # what 1 means, for the notice about a bad value

    def parse(
        self, params: Params, regions: Regions, parsed: Mapping[str, Any]
    ) -> tuple[bool, list[str]]:
        values = [value.lower() for value in urlparams.list_values(params, self.url_key)]
        if not values or values[-1] in _FALSE:
            return False, []
        if values[-1] in _TRUE:
            return True, []
        reason = t("应为 1（{meaning}）或 0", meaning=t(self.meaning))
        return False, [urlparams.invalid_value_notice(self.url_key, values[-1], reason)]

    def to_params(self, value: bool) -> dict[str, str]:
        return {self.url_key: "1"}

    def mask(self, products: pd.DataFrame, value: bool, data: FilterData) -> pd.Series:
        return self.test(products, data)

    def facet(self, products: pd.DataFrame, data: FilterData) -> list[Any]:
        """Whether each product passes when the flag is set."""
        return [bool(flag) for flag in self.test(products, data)]

    def browser_spec(self) -> dict[str, Any]:
        return super().browser_spec() | {"truthy": sorted(_TRUE)}

    def from_widgets(self, state: Mapping[str, Any], bounds: YearBounds) -> bool:
        return bool(state.get(self.state_key))


def parse_years(text: str) -> tuple[int, int]:
    """'2010-2020' (also 2010~2020, 2010至2020) or '2015' → an inclusive range."""
    match = _YEAR_RANGE.fullmatch(text)
    if not match:
        raise ValueError(t("年份范围应写作 2010-2020 或 2015"))
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if not (MIN_YEAR <= start <= MAX_YEAR and MIN_YEAR <= end <= MAX_YEAR):
        raise ValueError(t("年份应在 {first}–{last} 之间", first=MIN_YEAR, last=MAX_YEAR))
    if start > end:
        raise ValueError(t("起始年份晚于结束年份"))
    return start, end


# --- region vocabularies shared by every filter table --------------------------------


def prefecture_vocabulary(regions: Regions, parent: tuple[str, ...]) -> dict[str, str]:
    return {p.adcode: i18n.name(p.name) for p in regions.prefecture_list}


def county_vocabulary(regions: Regions, prefectures: tuple[str, ...]) -> dict[str, str]:
    """Counties of the chosen prefectures (all when none is chosen)."""
    chosen = set(prefectures)
    return {
        c.adcode: i18n.name(c.name)
        if len(chosen) == 1
        else f"{i18n.name(c.prefecture)} · {i18n.name(c.name)}"
        for c in regions.county_list
        if not chosen or c.prefecture_adcode in chosen
    }


def county_outside(adcode: str, regions: Regions, prefectures: tuple[str, ...]) -> str | None:
    """Why a county does not fit the chosen prefectures (None when it does)."""
    county = regions.county_by_adcode(adcode)
    if prefectures and county.prefecture_adcode not in prefectures:
        return t("不属于所选市州（属于{prefecture}）", prefecture=i18n.name(county.prefecture))
    return None


# --- one loop over a table of fields, for every filter table -------------------------


def matching(
    frame: pd.DataFrame, fields: Collection[FilterField[Any]], chosen: Any, data: FilterData
) -> pd.DataFrame:
    """The rows of ``frame`` passing every active field of ``chosen``, in their order."""
    mask = pd.Series(True, index=frame.index)
    for field in fields:
        value = field.value_in(chosen)
        if field.is_active(value):
            mask &= field.mask(frame, value, data).to_numpy(dtype=bool)
    return frame[mask.astype(bool)]


def facet_frames(
    frame: pd.DataFrame, fields: Collection[FilterField[Any]], chosen: Any, data: FilterData
) -> dict[str, pd.DataFrame]:
    """For each choice field (by ``attr``), the rows of ``frame`` its option counts are
    taken from: those passing every OTHER active field of ``chosen`` (faceting, as
    datasette's facets).  A field's own choice is left out, so its other values keep
    their counts and can be added to it; so are the fields narrowing it (the counties of
    the chosen prefectures), which only refine it."""
    masks = {
        field.attr: field.mask(frame, field.value_in(chosen), data).to_numpy(dtype=bool)
        for field in fields
        if field.is_active(field.value_in(chosen))
    }
    frames: dict[str, pd.DataFrame] = {}
    for field in fields:
        if not isinstance(field, ChoiceField):
            continue
        keep = pd.Series(True, index=frame.index)
        for other in fields:
            narrows = isinstance(other, ChoiceField) and other.within == field.attr
            if other is not field and not narrows and other.attr in masks:
                keep &= masks[other.attr]
        frames[field.attr] = frame[keep.astype(bool)]
    return frames


def facet_options(
    frame: pd.DataFrame,
    fields: Collection[FilterField[Any]],
    chosen: Any,
    data: FilterData,
    regions: Regions,
) -> dict[str, list[Option]]:
    """Each choice field's options (by ``attr``) counted over the rows every other active
    field lets through (``facet_frames``); a chosen value stays offered even at 0."""
    by_attr = {field.attr: field for field in fields}
    frames = facet_frames(frame, fields, chosen, data)
    options: dict[str, list[Option]] = {}
    for field in fields:
        if isinstance(field, ChoiceField):
            parent = tuple(by_attr[field.within].value_in(chosen)) if field.within else ()
            rows = frames[field.attr]
            options[field.attr] = field.options(rows, regions, field.value_in(chosen), parent)
    return options


def to_query(fields: Collection[FilterField[Any]], chosen: Any) -> dict[str, str]:
    """Query-string parameters of the active fields; unrestricted ones are left out."""
    params: dict[str, str] = {}
    for field in fields:
        value = field.value_in(chosen)
        if field.is_active(value):
            params |= field.to_params(value)
    return params


def from_query(
    fields: Collection[FilterField[Any]],
    params: Params,
    regions: Regions,
    other_keys: Collection[str] = (),
) -> tuple[dict[str, Any], list[str]]:
    """Each field's value parsed from a shared link (by ``attr``), with notices in Chinese
    for bad values and for parameters that neither the fields nor ``other_keys`` know."""
    known = {key for field in fields for key in field.url_keys}
    notices = urlparams.unknown_key_notices(params, {*known, *other_keys})
    parsed: dict[str, Any] = {}
    for field in fields:
        parsed[field.attr], field_notices = field.parse(params, regions, parsed)
        notices += field_notices
    return parsed, notices
