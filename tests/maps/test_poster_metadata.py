"""The poster and brief files name the region's own app as the software that made them
(PNG ``Software``, PDF ``Creator``): 湖南地标品牌地图 for Hunan, not Hubei's name."""

from __future__ import annotations

import io

import pypdf
import pytest
from matplotlib.figure import Figure
from PIL import Image

from landmarks import i18n
from landmarks.data import region
from landmarks.maps import poster
from landmarks.maps.paper import A4, LANDSCAPE, PDF, PNG, Paper

PAPER = Paper(A4, LANDSCAPE)


def _figure() -> Figure:
    fig = Figure(figsize=PAPER.inches)
    fig.text(0.1, 0.9, "标题")
    return fig


def _software(data: bytes, file_type: str) -> str:
    if file_type == PNG:
        return str(Image.open(io.BytesIO(data)).info["Software"])
    metadata = pypdf.PdfReader(io.BytesIO(data)).metadata
    assert metadata is not None
    return str(metadata["/Creator"])


@pytest.mark.parametrize("file_type", [PNG, PDF])
def test_the_file_names_the_regions_app(file_type: str, monkeypatch: pytest.MonkeyPatch) -> None:
    hunan = region.region_for("430000")
    data = poster.render(_figure(), PAPER, file_type, dpi=20, region=hunan)
    assert _software(data, file_type) == "湖南地标品牌地图"
    # Without a region given: the current one (Hubei unless set).
    monkeypatch.delenv(region.REGION_ENV, raising=False)
    assert _software(poster.render(_figure(), PAPER, file_type, dpi=20), file_type) == (
        "湖北地标品牌地图"
    )
    monkeypatch.setenv(region.REGION_ENV, "china")
    with i18n.language(i18n.ENGLISH):
        data = poster.render(_figure(), PAPER, file_type, dpi=20)
    assert _software(data, file_type) == "China GI Brand Map"
