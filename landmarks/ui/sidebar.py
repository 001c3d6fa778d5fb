"""The explorer's filter sidebar: one widget per row of the filter table, the reset and
copy-link buttons, and the notices about a shared link's dropped parameters.

Widget texts are all ours: Streamlit's own English texts ("Select all", "Press Enter to
apply") are avoided by the options used here (no bulk select, searching while typing).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape
from importlib import resources
from typing import Any

import pandas as pd
import streamlit as st

from landmarks import i18n
from landmarks.data import region
from landmarks.data.regions import Regions
from landmarks.i18n import N_, t
from landmarks.query import filters
from landmarks.query.filter_fields import (
    ChoiceField,
    FilterField,
    FlagField,
    Option,
    SearchField,
    YearBounds,
    YearField,
)
from landmarks.query.filters import FILTER_FIELDS, ProductFilter
from landmarks.query.search import NameIndex
from landmarks.ui import browser_values, public_address
from landmarks.ui import explorer_state as view
from landmarks.ui.counted_labels import counted_label, uncounted
from landmarks.ui.link_notices import show as link_notices_shown
from landmarks.ui.markdown import md

# Searching while typing commits after this pause (and drops the "Press Enter" hint).
_SEARCH_PAUSE = "400ms"
OPTION_COUNT_RULE = N_(
    "选项后括号内为符合其他筛选条件的产品数（一品多标合并计）；县市区按保护范围覆盖该县计，含跨县和全市范围的产品。"
)


def _help(field: FilterField[Any]) -> str | None:
    return t(field.help) if field.help else None


def _search(field: SearchField, offered: Offered, bounds: YearBounds) -> None:
    st.text_input(
        t(field.label),
        key=field.state_key,
        max_chars=field.max_length,
        placeholder=t(field.placeholder),
        help=_help(field),
        live=_SEARCH_PAUSE,
    )


def _choices(field: ChoiceField, offered: Offered, bounds: YearBounds) -> None:
    options = {option.value: option for option in offered[field.attr]}
    parent = (
        tuple(st.session_state.get(_field(field.within).state_key) or ()) if field.within else ()
    )
    placeholder = t(field.placeholder)
    if parent:
        within = t(_field(field.within).label)
        if i18n.english():
            within = within.lower()
        placeholder = t("所选{field}的{options}", field=within, options=placeholder)
    st.multiselect(
        t(field.label),
        list(options),
        key=field.state_key,
        format_func=lambda value: counted_label(t(options[value].label), options[value].count),
        placeholder=placeholder,
        help=_help(field),
        select_all=False,
        # Every list answers typing (恩施 finds 恩施土家族苗族自治州), however short.
        filter_mode="contains",
    )


def _years(field: YearField, offered: Offered, bounds: YearBounds) -> None:
    if bounds is None:
        return
    # Keep the range inside the data's years (they change when data is imported).
    # After a restart the range the browser sent (the fresh session has none yet).
    sent = browser_values.sent_numbers(field.state_key)
    start, end = (
        (int(sent[0]), int(sent[-1])) if sent else st.session_state.get(field.state_key) or bounds
    )
    start, end = max(start, bounds[0]), min(end, bounds[1])
    st.session_state[field.state_key] = (start, end) if start <= end else bounds
    st.slider(
        t(field.label),
        min_value=bounds[0],
        max_value=bounds[1],
        key=field.state_key,
        help=_help(field),
    )
    if tuple(st.session_state[field.state_key]) != bounds:
        # Kept while the range is full and the box hidden, so narrowing again restores it.
        st.checkbox(t(field.undated_label), key=field.undated_state_key, persist_state="page")


def _flag(field: FlagField, offered: Offered, bounds: YearBounds) -> None:
    st.checkbox(t(field.label), key=field.state_key, help=_help(field))


# Each choice filter's options with their counts, by attr (``filters.option_counts``).
Offered = Mapping[str, list[Option]]

_WIDGETS: dict[str, Callable[[Any, Offered, YearBounds], None]] = {
    "search": _search,
    "multiselect": _choices,
    "years": _years,
    "checkbox": _flag,
}


def _field(attr: str | None) -> FilterField[Any]:
    return next(field for field in FILTER_FIELDS if field.attr == attr)


def _drop_outside_choices(regions: Regions) -> None:
    """A choice outside its narrowed list (a county of a prefecture just deselected) goes;
    a choice the browser sent to a fresh session (after a restart) is the user's own,
    read by its name (its count may be stale)."""
    state = st.session_state
    sent = browser_values.sent_keys()
    for field in FILTER_FIELDS:
        if isinstance(field, ChoiceField):
            parent = tuple(state.get(_field(field.within).state_key) or ()) if field.within else ()
            known = field.vocabulary(regions, parent)
            chosen = state.get(field.state_key) or ()
            if field.state_key in sent:  # labels of thousands of counties only when needed
                labels = {value: t(label) for value, label in known.items()}
                found = browser_values.sent_choices(field.state_key, labels, read=uncounted)
                chosen = chosen if found is None else found
            state[field.state_key] = [v for v in chosen if v in known]


def filter_widgets(
    products: pd.DataFrame,
    zones: pd.DataFrame,
    regions: Regions,
    bounds: YearBounds,
    index: NameIndex | None = None,
    count_options: Callable[[ProductFilter], Offered] | None = None,
) -> None:
    """One widget per filter; their values live in session state (see explorer_state).

    Each list's counts are those of the products every OTHER filter lets through
    (faceting): after 茶叶, 市州 counts tea products.  ``count_options``: those counts
    for a filter (``filters.option_counts`` when not given; the page passes a cached one).
    """
    _drop_outside_choices(regions)
    chosen = view.current_filter(bounds)
    offered = (
        count_options(chosen)
        if count_options
        else filters.option_counts(products, zones, regions, chosen, index)
    )
    with st.sidebar:
        st.markdown(t("#### 筛选地理标志产品"))
        for field in FILTER_FIELDS:
            if field is filters.CHAINS and not region.has_chain_vocabulary():
                continue  # a region without Hubei's ten chains filters by category
            _WIDGETS[field.widget](field, offered, bounds)
        st.caption(t(OPTION_COUNT_RULE))


def filter_footer(product_filter: ProductFilter, undated_note: str, bounds: YearBounds) -> None:
    """Below the filters: what they did, a reset button and the link to this view.

    Drawn after the URL was written for this run, so the link is the current view's.
    """
    lines = []
    if product_filter.active_count:
        lines.append(
            t(
                "已启用 {count} 项筛选，地图、列表和统计同步更新。",
                count=product_filter.active_count,
            )
        )
    if undated_note:
        lines.append(undated_note)
    with st.sidebar:
        if lines:
            st.caption("  \n".join(md(line) for line in lines))
        # One above the other: side by side, 复制分享链接 wraps in the default sidebar width.
        st.button(
            t("重置筛选"),
            icon=":material/restart_alt:",
            on_click=view.reset_filters,
            args=(bounds,),
            width="stretch",
        )
        copy_link_button()


@st.cache_resource(show_spinner=False)  # a packaged file: read once per server
def _copy_link_html() -> str:
    return (resources.files("landmarks.ui") / "copy_link.html").read_text(encoding="utf-8")


def copy_link_button() -> None:
    """A button that copies the current view's link (filters and cards) to the clipboard.

    Streamlit has no clipboard button of its own (``st.code``'s copy icon is labelled in
    English and needs HTTPS), so this is a small script of ours; where the browser allows
    no copying (plain http without execCommand) it shows the link in a dialog instead.
    """
    url, local_only = public_address.page_link(st.query_params.to_dict())
    texts = {
        "{title}": t("复制当前视图（筛选和名片）的链接，发给同事即可打开同样的页面"),
        "{label}": t("复制分享链接"),
        "{copied}": t("已复制链接 ✓"),
        "{prompt}": t("请手动复制以下链接："),
        "{url}": url,  # last: a link may hold braces
    }
    html = _copy_link_html()
    for placeholder, text in texts.items():
        html = html.replace(placeholder, escape(text, quote=True))
    st.html(html, unsafe_allow_javascript=True)
    if local_only:
        st.caption(
            ":orange["
            + md(t("复制的链接只能在本机打开；请在品牌地图“分享与打印”中设置分享地址。"))
            + "]"
        )


def link_notices() -> None:
    """What a shared link asked for that could not be shown, until dismissed."""
    link_notices_shown(view.NOTICES, "dismiss_notices")
