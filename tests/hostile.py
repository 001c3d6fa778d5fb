"""Hostile strings: what a careless or malicious data row, file name or URL may hold.

Every medium that shows data text (Streamlit Markdown, HTML, matplotlib) must show each
of these as the same text, with no link, image, script, formula or reordering.  The
foreign host is a loopback address on a port nothing serves: a request to it is visible
in a recorder and reaches nothing.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

OTHER_HOST = "http://127.0.0.1:8799"
MARKDOWN_IMAGE = f"恶意![t]({OTHER_HOST}/md.png)"
MARKDOWN_LINK = f"点我[click]({OTHER_HOST}/x)茶"
AUTOLINK = f"见 {OTHER_HOST}/auto 与 www.example.com 或 a@example.com"
HTML_IMAGE = f"<img src={OTHER_HOST}/html.png onerror=alert(1)>图"
SCRIPT = "<script>alert(1)</script>脚本"
DIRECTIVES = ":red[红字] :material/home: :smile: **粗**"
MATHTEXT = "测试$$x^2$$茶"
FRACTION = r"$\frac{a}{b}$"
BIDI = "\u202egpj.exe茶"  # reads as "茶exe.jpg" if the override is obeyed
ZERO_WIDTH = "夷\u200b陵\u2060红\ufeff茶"  # reads as 夷陵红茶, a name of its own
LONG = "长" * 10_000
LONG_WORD = "https" + "x" * 3_000  # one word: a browser breaks it only where allowed
EMOJI = "🍊👨\u200d👩\u200d👧茶🇨🇳"

# name → string; names make test ids readable.
HOSTILE: dict[str, str] = {
    "markdown_image": MARKDOWN_IMAGE,
    "markdown_link": MARKDOWN_LINK,
    "autolink": AUTOLINK,
    "html_image": HTML_IMAGE,
    "script": SCRIPT,
    "directives": DIRECTIVES,
    "mathtext": MATHTEXT,
    "fraction": FRACTION,
    "bidi": BIDI,
    "zero_width": ZERO_WIDTH,
    "long": LONG,
    "long_word": LONG_WORD,
    "emoji": EMOJI,
}
# Characters no medium may show: they reorder or hide text.
INVISIBLE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u2060\ufeff"

# ---------------------------------------------------------------- a hostile data set

# Products named with every hostile string, in 秭归县; the card tests open the first.
PRODUCT = MARKDOWN_IMAGE
SITE = f"站点{MARKDOWN_IMAGE}"
ZONE = f"{MARKDOWN_LINK}示范区"
ZIGUI = "420527"
OLD_BAD_LINKS = f'javascript:alert(1) | {OTHER_HOST}/"onmouseover=x'


def _product_row(name: str) -> dict[str, str]:
    return {
        "name": name,
        "category": "水果",
        "gi_type": "地理标志保护产品",
        "prefecture": "宜昌市",
        "county": "秭归县",
        "year": "2010",
        "note": f"{MARKDOWN_IMAGE} {HTML_IMAGE} {AUTOLINK}",
        "confidence": "high",
        "source_url": "http://news.cnhubei.com/content/2021-02/04/content_1.html",
        "other_source_urls": "",  # hostile links are set after the checks: see below
        "source_quality": "media",
        "family": "",
        "registration_number": "",
        "scope": "",
        "scope_note": f"{MARKDOWN_LINK} {DIRECTIVES}",
    }


def hostile_frames(regions: Any) -> dict[str, pd.DataFrame]:
    """The synthetic data set (``tests/synthetic.py``) plus a product for every hostile
    string, and a zone, a site, output figures and a source whose words are hostile."""
    from landmarks.data.records import (
        prepare_outputs,
        prepare_products,
        prepare_registrations,
        prepare_sites,
        prepare_zones,
    )
    from tests import synthetic

    raw = synthetic.raw_products()
    added = pd.DataFrame([_product_row(name) for name in HOSTILE.values()])
    products = prepare_products(pd.concat([raw, added], ignore_index=True), regions)
    # Links the import now refuses, as a database written before that check may hold.
    hostile_rows = products["name"].isin(HOSTILE.values())
    products.loc[hostile_rows, "other_source_urls"] = OLD_BAD_LINKS
    products["year"] = products["year"].astype("Int64")
    zone = {
        "name": ZONE,
        "level": "国家级(国家知识产权局)",
        "product": PRODUCT,
        "prefecture": "宜昌市",
        "county": "秭归县",
        "year": "2024",
        "status": f"筹建 {AUTOLINK}",
        "note": f"{HTML_IMAGE} {MATHTEXT}",
        "confidence": "high",
        "source_url": "http://zgscw888.cn/article/view.html?id=404",
        "other_source_urls": "",
        "source_quality": "aggregator",
    }
    zones = prepare_zones(pd.concat([synthetic.ZONES, pd.DataFrame([zone])]), regions)
    zones["year"] = zones["year"].astype("Int64")
    site = {
        "name": SITE,
        "site_type": "主题景区",
        "products": f"{PRODUCT} {MARKDOWN_LINK}",
        "prefecture": "宜昌市",
        "county": "秭归县",
        "place": HTML_IMAGE,
        "lon": "",
        "lat": "",
        "status": DIRECTIVES,
        "note": f"{AUTOLINK} {BIDI}",
        "confidence": "medium",
        "sources": "S1 S7",
    }
    sites = prepare_sites(pd.concat([synthetic.SITES, pd.DataFrame([site])]), regions)
    output = synthetic.OUTPUTS.iloc[0].to_dict() | {
        "product": PRODUCT,
        "metric": f"年产值{MARKDOWN_IMAGE}",
        "value_yi_yuan": "12",
        "scope": f"{MARKDOWN_IMAGE} {AUTOLINK}",
        "note": HTML_IMAGE,
    }
    # The newest province-wide figure: the overview's headline and the target progress.
    province = synthetic.OUTPUTS.iloc[-1].to_dict() | {
        "year": "2025",
        "metric": f"年产值{MARKDOWN_LINK}",
        "scope": f"{MARKDOWN_IMAGE} {AUTOLINK}",
    }
    outputs = prepare_outputs(
        pd.concat([synthetic.OUTPUTS, pd.DataFrame([output, province])], ignore_index=True),
        regions,
        set(products["name"]),
    )
    outputs["year"] = outputs["year"].astype("Int64")
    source = pd.DataFrame(
        [("S7", "https://www.cnr.cn/hubei/s7.html", "media", f"{MARKDOWN_IMAGE} {SCRIPT}")],
        columns=synthetic.SOURCES.columns,
    )
    return {
        "products": products,
        "zones": zones,
        "sites": sites,
        "outputs": outputs,
        "sources": pd.concat([synthetic.SOURCES, source], ignore_index=True),
        "registrations": prepare_registrations(synthetic.REGISTRATIONS, products),
    }


# ---------------------------------------------------------------- what a page may render

# Markup that a renderer of GitHub-flavoured Markdown (Streamlit's) turns into a link,
# an image, HTML or a formula, written as it appears in the Markdown source.
_IMAGE = re.compile(r"(?<!\\)!\[")
_LINK_TARGET = re.compile(r"(?<!\\)\]\(<?([^)>\s]*)")
_LINK = re.compile(r"(?<!\\)\]\((?:<[^>]*>|[^)]*)\)")
# Autolinks are found in the text after the escapes are resolved: a scheme, "www." or an
# address still joined by a backslash-escaped colon, dot or "@" is one.
_AUTOLINK = re.compile(r"(?i)(?:https?\\?:\\?/|\bwww\\?\.|[\w+-]\\?@[\w-])")
_HTML = re.compile(r"(?i)(?<!\\)<(?:img|script|a|iframe|svg)\b")
_SHOWN_VERBATIM = [value for value in HOSTILE.values() if re.search(r"[\[<$:*]", value)]
_REORDERING = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def unsafe_markdown(markdown: str) -> list[str]:
    """What in ``markdown`` (a Markdown source the app sends) would render data as markup:
    a hostile string unescaped, an image, a link to the catalogue's host or a ``javascript:``
    URL, an autolink, raw HTML, or a reordering character.  Empty when it is safe."""
    found = [f"verbatim {value[:40]!r}" for value in _SHOWN_VERBATIM if value in markdown]
    found += [f"image at {m.start()}" for m in _IMAGE.finditer(markdown)]
    for target in _LINK_TARGET.findall(markdown):
        if "127.0.0.1:8799" in target or target.lower().startswith("javascript:"):
            found.append(f"link to {target[:60]!r}")
    without_links = _LINK.sub("]", markdown)
    found += [f"autolink {m.group()!r}" for m in _AUTOLINK.finditer(without_links)]
    found += [f"html {m.group()!r}" for m in _HTML.finditer(markdown)]
    found += [f"reordering U+{ord(c):04X}" for c in _REORDERING.findall(markdown)]
    return found


def shown_text(markdown: str) -> str:
    """The text ``md`` escaped, as a reader sees it: escapes resolved, joiners gone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


# Proto fields that Streamlit renders as Markdown (bodies, labels, help tooltips, image
# captions, radio options); selectbox and multiselect options are plain text.
_MARKDOWN_FIELDS = frozenset({"body", "label", "help", "caption", "delta"})
_NOT_MARKDOWN = frozenset({"Html", "Code", "Text", "Dataframe", "ComponentInstance", "Json"})


def markdown_sources(at: Any) -> list[str]:
    """Every Markdown source of an AppTest run's page (sidebar, cards, alerts, labels,
    static tables' cells)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        kind = type(proto).__name__
        if proto is not None and hasattr(proto, "ListFields") and kind not in _NOT_MARKDOWN:
            for field, value in proto.ListFields():
                if field.name in _MARKDOWN_FIELDS and isinstance(value, str):
                    found.append(value)
                elif field.name in _MARKDOWN_FIELDS or (kind, field.name) == ("Radio", "options"):
                    found.extend(item for item in value if isinstance(item, str))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    # st.table renders its string cells as Markdown (st.dataframe shows them as text).
    for table in at.table:
        frame = table.value
        found.extend(
            str(cell) for column in frame.columns for cell in frame[column] if isinstance(cell, str)
        )
    return found


def unsafe_on_page(at: Any) -> dict[str, list[str]]:
    """Markdown sources of the page that render data as markup, with what was found."""
    return {
        source[:120]: problems
        for source in markdown_sources(at)
        if (problems := unsafe_markdown(source))
    }
