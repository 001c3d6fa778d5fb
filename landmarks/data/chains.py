"""Hubei's ten key agricultural industry chains and the GI-category → chain rules.

The rules follow ``shared/data/industry_chains.md`` (a proposal, not an official
classification): most categories map directly; fruit, grain/oil, livestock and
processed products are split by keywords in the product name (its main raw material).

The chains are Hubei's (十大农业产业链).  Every other region (and the country) has no chain
vocabulary of its own: there a product's ``chain`` is its category (品类), so whatever
groups, filters or colours by chain groups by category instead.  ``chains_for``,
``chain_names``, ``chain_colors``, ``assign_chain_in`` and ``grouping_label`` say so for a
region; the constants below stay Hubei's.
"""

from __future__ import annotations

from dataclasses import dataclass

from landmarks.data.model import CATEGORIES
from landmarks.data.region import Region, current_region, has_chain_vocabulary
from landmarks.i18n import N_

NON_CHAIN = N_("非十大链")
# The basis of a chain that a user chose rather than the rules.
MANUAL_CHAIN_BASIS = N_("人工指定")
# The bases of a chain the rules chose (stored with the product, shown on its card).
BASIS_CATEGORY = N_("按品类")
BASIS_MATERIAL = N_("按主要原料")
BASIS_NOT_LISTED = N_("未列入十大链")


@dataclass(frozen=True)
class Chain:
    name: str
    color: str
    verified: bool = True
    note: str = ""


CHAINS: tuple[Chain, ...] = (
    Chain(N_("优质稻米"), "#d4a017"),
    Chain(N_("生猪"), "#e377c2"),
    Chain(N_("特色淡水产品"), "#1f77b4", note=N_("小龙虾、黄鳝及其他淡水产品")),
    Chain(N_("蔬菜"), "#8cc63f", note=N_("含食用菌、莲、魔芋")),
    Chain(N_("家禽及蛋制品"), "#8c564b"),
    Chain(N_("茶叶"), "#1b7a3e"),
    Chain(N_("菜籽油"), "#bcbd22"),
    Chain(N_("柑橘"), "#ff7f0e"),
    Chain(N_("中药材"), "#9467bd"),
    Chain(
        N_("现代种业"),
        "#17becf",
        verified=False,
        note=N_("第十条链的名称未经官方来源核实，推测为现代种业"),
    ),
    Chain(NON_CHAIN, "#7f7f7f", note=N_("未列入十大重点农业产业链的地理标志")),
)

CHAIN_NAMES: tuple[str, ...] = tuple(chain.name for chain in CHAINS)


class _ChainColors(dict[str, str]):
    """Hubei's chains → colours; a group that is a product category (other regions group
    by category: ``chains_for``) gets its category's colour rather than a KeyError, so
    code colouring by ``CHAIN_COLORS[chain]`` draws any region.  Iterating lists Hubei's
    chains only (legends, chart domains)."""

    def __missing__(self, key: str) -> str:
        return CATEGORY_COLORS.get(key, CATEGORY_COLORS[CATEGORIES[-1]])


CHAIN_COLORS: dict[str, str] = _ChainColors({chain.name: chain.color for chain in CHAINS})


@dataclass(frozen=True)
class ChainRule:
    categories: frozenset[str]
    keywords: tuple[str, ...]
    chain: str
    basis: str


def _rule(categories: str, keywords: str, chain: str, basis: str = BASIS_CATEGORY) -> ChainRule:
    return ChainRule(frozenset(categories.split()), tuple(keywords.split()), chain, basis)


# Order matters: the first matching rule wins; an empty keyword list matches any name.
# Categories, name keywords and chain names are the stored values the rules compare.
CHAIN_RULES: tuple[ChainRule, ...] = (  # not UI: stored values and keywords in names
    _rule("茶叶", "", "茶叶"),
    _rule("水果", "橙 橘 桔 柑 柚", "柑橘"),
    _rule("粮油", "米 稻 粘", "优质稻米"),
    _rule("粮油", "油菜 菜籽", "菜籽油"),
    _rule("水产品", "", "特色淡水产品"),
    _rule("蔬菜", "", "蔬菜"),
    _rule("中药材", "", "中药材"),
    _rule("畜禽", "猪", "生猪"),
    _rule("畜禽", "鸡 鸭 鹅 蛋 鸟", "家禽及蛋制品"),
    _rule("酒 加工食品", "米", "优质稻米", BASIS_MATERIAL),
    _rule("酒 加工食品", "鱼 虾 蟹 鳝", "特色淡水产品", BASIS_MATERIAL),
    _rule("酒 加工食品", "蛋 鸡 鸭", "家禽及蛋制品", BASIS_MATERIAL),
    _rule("酒 加工食品", "香肠 腊肉 猪", "生猪", BASIS_MATERIAL),
    _rule("酒 加工食品", "橙 橘", "柑橘", BASIS_MATERIAL),
    _rule("酒 加工食品", "茶", "茶叶", BASIS_MATERIAL),
)


def assign_chain(category: str, name: str) -> tuple[str, str]:
    """Return (chain, basis) for a GI product; products no rule covers are 非十大链."""
    for rule in CHAIN_RULES:
        if category in rule.categories and (
            not rule.keywords or any(word in name for word in rule.keywords)
        ):
            return rule.chain, rule.basis
    return NON_CHAIN, BASIS_NOT_LISTED


# Where a region has no chains: one group per product category, coloured like the chain
# most of that category's Hubei products fall into (其他 and the categories no chain takes
# in grey tones), so a category keeps one colour across the app.
CATEGORY_COLORS: dict[str, str] = {  # not UI: stored category values → colours
    "茶叶": "#1b7a3e",
    "水果": "#ff7f0e",
    "蔬菜": "#8cc63f",
    "粮油": "#d4a017",
    "水产品": "#1f77b4",
    "畜禽": "#e377c2",
    "中药材": "#9467bd",
    "酒": "#8c564b",
    "加工食品": "#bcbd22",
    "工艺品": "#17becf",
    "花卉": "#f7b6d2",
    "其他": "#7f7f7f",
}
CATEGORY_GROUPS: tuple[Chain, ...] = tuple(
    Chain(category, CATEGORY_COLORS[category]) for category in CATEGORIES
)
GROUPING_CHAINS = N_("产业链")
GROUPING_CATEGORIES = N_("品类")


def chains_for(region: Region | None = None) -> tuple[Chain, ...]:
    """The groups products are put in: Hubei's chains, elsewhere the product categories."""
    return CHAINS if has_chain_vocabulary(region or current_region()) else CATEGORY_GROUPS


def chain_names(region: Region | None = None) -> tuple[str, ...]:
    return tuple(chain.name for chain in chains_for(region))


def chain_colors(region: Region | None = None) -> dict[str, str]:
    return {chain.name: chain.color for chain in chains_for(region)}


def other_group(region: Region | None = None) -> str:
    """The group of products no chain takes (非十大链), or 其他 where groups are categories."""
    return NON_CHAIN if has_chain_vocabulary(region or current_region()) else CATEGORIES[-1]


def grouping_label(region: Region | None = None) -> str:
    """What the groups are called (translate with ``t`` where shown): 产业链 or 品类."""
    if has_chain_vocabulary(region or current_region()):
        return GROUPING_CHAINS
    return GROUPING_CATEGORIES


def assign_chain_in(region: Region, category: str, name: str) -> tuple[str, str]:
    """(chain, basis) of a product in ``region``: by Hubei's rules there, elsewhere its
    category (basis 按品类)."""
    if has_chain_vocabulary(region):
        return assign_chain(category, name)
    return category, BASIS_CATEGORY
