"""Hubei's ten key agricultural industry chains and the GI-category → chain rules.

The rules follow ``shared/data/industry_chains.md`` (a proposal, not an official
classification): most categories map directly; fruit, grain/oil, livestock and
processed products are split by keywords in the product name (its main raw material).
"""

from __future__ import annotations

from dataclasses import dataclass

NON_CHAIN = "非十大链"
# The basis of a chain that a user chose rather than the rules.
MANUAL_CHAIN_BASIS = "人工指定"


@dataclass(frozen=True)
class Chain:
    name: str
    color: str
    verified: bool = True
    note: str = ""


CHAINS: tuple[Chain, ...] = (
    Chain("优质稻米", "#d4a017"),
    Chain("生猪", "#e377c2"),
    Chain("特色淡水产品", "#1f77b4", note="小龙虾、黄鳝及其他淡水产品"),
    Chain("蔬菜", "#8cc63f", note="含食用菌、莲、魔芋"),
    Chain("家禽及蛋制品", "#8c564b"),
    Chain("茶叶", "#1b7a3e"),
    Chain("菜籽油", "#bcbd22"),
    Chain("柑橘", "#ff7f0e"),
    Chain("中药材", "#9467bd"),
    Chain(
        "现代种业",
        "#17becf",
        verified=False,
        note="第十条链的名称未经官方来源核实，推测为现代种业",
    ),
    Chain(NON_CHAIN, "#7f7f7f", note="未列入十大重点农业产业链的地理标志"),
)

CHAIN_NAMES: tuple[str, ...] = tuple(chain.name for chain in CHAINS)
CHAIN_COLORS: dict[str, str] = {chain.name: chain.color for chain in CHAINS}


@dataclass(frozen=True)
class ChainRule:
    categories: frozenset[str]
    keywords: tuple[str, ...]
    chain: str
    basis: str


def _rule(categories: str, keywords: str, chain: str, basis: str = "按品类") -> ChainRule:
    return ChainRule(frozenset(categories.split()), tuple(keywords.split()), chain, basis)


# Order matters: the first matching rule wins; an empty keyword list matches any name.
CHAIN_RULES: tuple[ChainRule, ...] = (
    _rule("茶叶", "", "茶叶"),
    _rule("水果", "橙 橘 桔 柑 柚", "柑橘"),
    _rule("粮油", "米 稻 粘", "优质稻米"),
    _rule("粮油", "油菜 菜籽", "菜籽油"),
    _rule("水产品", "", "特色淡水产品"),
    _rule("蔬菜", "", "蔬菜"),
    _rule("中药材", "", "中药材"),
    _rule("畜禽", "猪", "生猪"),
    _rule("畜禽", "鸡 鸭 鹅 蛋 鸟", "家禽及蛋制品"),
    _rule("酒 加工食品", "米", "优质稻米", "按主要原料"),
    _rule("酒 加工食品", "鱼 虾 蟹 鳝", "特色淡水产品", "按主要原料"),
    _rule("酒 加工食品", "蛋 鸡 鸭", "家禽及蛋制品", "按主要原料"),
    _rule("酒 加工食品", "香肠 腊肉 猪", "生猪", "按主要原料"),
    _rule("酒 加工食品", "橙 橘", "柑橘", "按主要原料"),
    _rule("酒 加工食品", "茶", "茶叶", "按主要原料"),
)


def assign_chain(category: str, name: str) -> tuple[str, str]:
    """Return (chain, basis) for a GI product; products no rule covers are 非十大链."""
    for rule in CHAIN_RULES:
        if category in rule.categories and (
            not rule.keywords or any(word in name for word in rule.keywords)
        ):
            return rule.chain, rule.basis
    return NON_CHAIN, "未列入十大链"
