"""Hostile data text on printed maps: drawn as written, never parsed as mathtext."""

from __future__ import annotations

import io
import json

import pandas as pd
import pypdf
import pytest
from PIL import Image

from landmarks.data.regions import Regions
from landmarks.maps import poster
from landmarks.maps.paper import A4, LANDSCAPE, PDF, PNG, MapView, Paper, PosterText
from tests.hostile import FRACTION, HOSTILE, MATHTEXT

Tables = dict[str, pd.DataFrame]


def _named(products: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    shown = products.head(len(names)).copy()
    shown["name"] = names[: len(shown)]
    return shown


@pytest.mark.parametrize("file_type", [PNG, PDF])
def test_a_poster_of_hostile_names_arrives_with_the_names_as_written(
    regions: Regions, tables: Tables, file_type: str
) -> None:
    names = [MATHTEXT, FRACTION, HOSTILE["markdown_image"], HOSTILE["html_image"]]
    view = MapView(products=_named(tables["products"], names), label_products=True)
    text = PosterText(title=MATHTEXT, subtitle=FRACTION, link="http://127.0.0.1:8501/")
    fig = poster.poster_figure(regions, view, text, Paper(A4, LANDSCAPE))
    drawn = poster.figure_texts(fig)
    for name in (MATHTEXT, FRACTION):
        assert name in drawn  # the label and the title, dollar signs included
    data = poster.render(fig, Paper(A4, LANDSCAPE), file_type, dpi=50)
    if file_type == PNG:
        assert Image.open(io.BytesIO(data)).format == "PNG"
    else:
        assert data.startswith(b"%PDF")


@pytest.mark.parametrize("name", list(HOSTILE), ids=list(HOSTILE))
def test_every_hostile_string_draws_as_plain_text(regions: Regions, name: str) -> None:
    fig = poster.new_figure(Paper(A4, LANDSCAPE))
    label = fig.text(0.1, 0.5, HOSTILE[name], fontsize=8)
    fig.canvas.draw()  # mathtext would raise here: ValueError (ParseException)
    assert label.get_text() == HOSTILE[name]


def test_a_link_too_long_for_a_qr_code_is_said_not_raised(regions: Regions, tables: Tables) -> None:
    from urllib.parse import quote

    from landmarks.maps import qr

    link = "http://127.0.0.1:8501/explorer?product=" + quote("长" * 255)
    with pytest.raises(qr.TooLongError):
        qr.make(link)
    with pytest.raises(qr.TooLongError):
        qr.png(link)
    assert qr.make("http://127.0.0.1:8501/explorer?product=" + quote("秭归脐橙"))
    # A poster of that view still arrives: the link is printed, the QR code left out.
    paper = Paper(A4, LANDSCAPE)
    view = MapView(products=tables["products"])
    fig = poster.poster_figure(regions, view, PosterText(title="海报", link=link), paper)
    assert poster.render(fig, paper, PNG, dpi=50).startswith(b"\x89PNG")


def test_a_brief_of_hostile_data_arrives_with_the_names_as_written(regions: Regions) -> None:
    from landmarks.maps import brief as brief_map
    from landmarks.query import briefs, stats
    from tests.hostile import ZONE, hostile_frames

    tables = hostile_frames(regions)
    brief = briefs.make_brief(
        briefs.PREFECTURE,
        "420500",  # 宜昌市: the hostile products, zone and site are in 秭归县
        products=tables["products"],
        zones=tables["zones"],
        sites=tables["sites"],
        outputs=tables["outputs"],
        registrations=tables["registrations"],
        regions=regions,
    )
    words = PosterText(title=brief.title, link="http://127.0.0.1:8501/")
    zones = stats.national_zones_by_county(tables["zones"])
    data = brief_map.brief_pdf(brief, regions, zone_counties=zones, text=words)
    content = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert MATHTEXT in content and ZONE[:6] in content


def test_the_offline_page_shows_hostile_words_as_text(regions: Regions, tables: Tables) -> None:
    from landmarks.maps import offline
    from tests.hostile import BIDI, HTML_IMAGE, ZERO_WIDTH

    words = offline.OfflineText(HTML_IMAGE, BIDI, (ZERO_WIDTH,))
    html = offline.offline_html(regions, tables["products"], tables["sites"], words).decode()
    # The header box's HTML, as the page's script sets it (a JSON string).
    shown = html[html.index("box.innerHTML = ") + len("box.innerHTML = ") :]
    head = json.JSONDecoder().raw_decode(shown)[0]
    assert "<img src=http" not in html and "<img" not in head
    assert "&lt;img src=http://127.0.0.1:8799/html.png onerror=alert(1)&gt;图" in head
    assert "gpj.exe茶" in head and "夷陵红茶" in head
    assert not any(char in head for char in "\u202e\u200b\u2060\ufeff")


@pytest.mark.parametrize("name", list(HOSTILE), ids=list(HOSTILE))
def test_every_hostile_string_prints_to_pdf(name: str) -> None:
    # A zero-width character failed the PDF writer (IndexError in its font subsetting).
    paper = Paper(A4, LANDSCAPE)
    fig = poster.new_figure(paper)
    fig.text(0.1, 0.5, HOSTILE[name][:300], fontsize=8)
    assert poster.render(fig, paper, PDF).startswith(b"%PDF")
