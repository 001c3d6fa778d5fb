"""Hostile strings: what a careless or malicious data row, file name or URL may hold.

Every medium that shows data text (Streamlit Markdown, HTML, matplotlib) must show each
of these as the same text, with no link, image, script, formula or reordering.  The
foreign host is a loopback address on a port nothing serves: a request to it is visible
in a recorder and reaches nothing.
"""

from __future__ import annotations

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
ZERO_WIDTH = "秭\u200b归\u2060脐\ufeff橙"
LONG = "长" * 10_000
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
    "emoji": EMOJI,
}
# Characters no medium may show: they reorder or hide text.
INVISIBLE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u2060\ufeff"
