"""Hubei's ten key agricultural industry chains and the GI-category → chain rules.

The rules follow ``shared/data/industry_chains.md`` (a proposal, not an official
classification): most categories map directly; fruit, grain/oil, livestock and
processed products are split by keywords in the product name (its main raw material).
"""

from __future__ import annotations

from dataclasses import dataclass

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
CHAIN_COLORS: dict[str, str] = {chain.name: chain.color for chain in CHAINS}


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
