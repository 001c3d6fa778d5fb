"""Data strings in Streamlit Markdown: shown literally, links that cannot break out."""

from __future__ import annotations

import pytest

from landmarks.data.visible import visible
from landmarks.ui.markdown import link, md, md_lines, page_link
from tests.hostile import (
    AUTOLINK,
    BIDI,
    EMOJI,
    HOSTILE,
    MARKDOWN_IMAGE,
    ZERO_WIDTH,
    shown_text,
    unsafe_markdown,
)


def test_md_escapes_markup_and_collapses_white_space() -> None:
    assert md("<img src=x onerror=alert(1)>") == "\\<img src\\=x onerror\\=alert\\(1\\)\\>"
    assert md("[点我](javascript:alert(1))") == "\\[点我\\]\\(javascript\\:alert\\(1\\)\\)"
    assert md("$x$ *粗* `码`") == "\\$x\\$ \\*粗\\* \\`码\\`"
    assert md(" 秭归\n脐橙 ") == "秭归 脐橙"


def test_link_keeps_the_url_inside_the_link() -> None:
    assert link("来源1 · 荆楚网（媒体报道）", "http://x.org/a?b=(1)") == (
        "[来源1 · 荆楚网（媒体报道）](<http://x.org/a?b=%281%29>)"
    )
    assert link("[x](y)", "http://x.org/") == "[\\[x\\]\\(y\\)](<http://x.org/>)"
    # a trailing backslash would escape the ">" that ends the link
    assert not link("x", "http://x.org/y\\").endswith("\\>)")


@pytest.mark.parametrize("name", list(HOSTILE), ids=list(HOSTILE))
def test_md_shows_every_hostile_string_as_the_same_text(name: str) -> None:
    value = HOSTILE[name]
    escaped = md(value)
    assert unsafe_markdown(escaped) == []
    assert shown_text(escaped) == " ".join(visible(value).split())
    assert unsafe_markdown(md_lines(f"{value}\n{value}")) == []


def test_md_breaks_the_autolinks_streamlit_finds_after_the_escapes() -> None:
    # Streamlit's renderer (remark-gfm) links "http://", "www." and addresses in the text
    # once the escapes are resolved, so escaping the punctuation alone still linked them.
    escaped = md(AUTOLINK)
    assert unsafe_markdown(escaped) == []
    assert "http\u2060\\:" in escaped and "www\u2060\\." in escaped and "a\u2060\\@" in escaped


def test_md_drops_characters_that_reorder_or_hide_text() -> None:
    assert md(BIDI) == "gpj\\.exe茶"
    assert md(ZERO_WIDTH) == "夷陵红茶"
    assert md(EMOJI) == EMOJI  # the zero-width joiner of an emoji sequence stays


def test_link_draws_only_web_urls() -> None:
    assert link("来源", "javascript:alert(1)") == "来源"
    assert link("来源", 'http://x.org/"onmouseover=x') == "来源"
    assert link("来源", "http://x.org/a") == "[来源](<http://x.org/a>)"


def test_page_link_keeps_data_inside_its_query() -> None:
    assert page_link(MARKDOWN_IMAGE, "explorer", product=MARKDOWN_IMAGE) == (
        f"[{md(MARKDOWN_IMAGE)}](<explorer?product="
        "%E6%81%B6%E6%84%8F%21%5Bt%5D%28http%3A%2F%2F127.0.0.1%3A8799%2Fmd.png%29>)"
    )
    with pytest.raises(ValueError):
        page_link("x", "http://127.0.0.1:8799/")
