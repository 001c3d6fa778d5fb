"""Data strings in Streamlit Markdown: shown literally, links that cannot break out."""

from __future__ import annotations

from landmarks.ui.markdown import link, md


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
