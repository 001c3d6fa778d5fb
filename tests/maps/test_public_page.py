"""The public page's files: facets that filter as the explorer does, the page's content
(escaped, no research notes), and publishing into a folder several processes share.

The browser test (tests/e2e/test_public_page.py) opens a published page.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from landmarks import __main__ as cli
from landmarks.data import store
from landmarks.data.regions import Regions
from landmarks.maps import public_page, public_publish
from landmarks.query import filters, share
from landmarks.query.filter_fields import FilterData, YearRange
from landmarks.query.filters import FILTER_FIELDS, ProductFilter, apply_filter
from landmarks.query.selection import Selection
from tests.synthetic import HOSTILE, SHIYAN, YICHANG, ZIGUI

Tables = dict[str, pd.DataFrame]
HASHED = re.compile(r"^[a-z_]+\.[0-9a-f]{16}\.(js|css|json)$")

# Filters whose products the facets must pick exactly as ``apply_filter`` does.
CRITERIA: list[dict[str, Any]] = [
    {"query": "zigui"},
    {"query": "秭归"},
    {"query": "ZG QC"},
    {"chains": ("柑橘",)},
    {"chains": ("柑橘", "茶叶")},
    {"categories": ("水果",)},
    {"gi_types": ("农产品地理标志",)},
    {"prefectures": (YICHANG,)},
    {"prefectures": (YICHANG, SHIYAN)},
    {"counties": (ZIGUI,)},
    {"years": YearRange(2005, 2015)},
    {"years": YearRange(2005, 2015, undated=True)},
    {"confidences": ("high",)},
    {"zone_only": True},
    {"chains": ("柑橘",), "prefectures": (YICHANG,), "years": YearRange(2000, 2020)},
]


def passes(spec: dict[str, Any], facet: Any, value: Any) -> bool:
    """A product's facet tested as gi_public.js tests it (``KINDS[kind].test``)."""
    kind = spec["kind"]
    if kind == "search":
        return str(value) in facet
    if kind == "multiselect":
        return any(item in value for item in facet)
    if kind == "years":
        return value.undated if facet is None else value.start <= facet <= value.end
    return bool(facet)


def facet_names(tables: Tables, regions: Regions, chosen: ProductFilter) -> list[str]:
    from landmarks.query.search import normalize_query

    products = tables["products"]
    specs = public_page.filter_specs(products, tables["zones"], regions)
    keep = [True] * len(products)
    for field, spec in zip(FILTER_FIELDS, specs, strict=True):
        value = field.value_in(chosen)
        if not field.is_active(value):
            continue
        if spec["kind"] == "search":
            value = normalize_query(value)
        for i, facet in enumerate(spec["facets"]):
            keep[i] = keep[i] and passes(spec, facet, value)
    return [name for name, kept in zip(products["name"], keep, strict=True) if kept]


@pytest.mark.parametrize("criteria", CRITERIA, ids=lambda c: ",".join(c))
def test_the_facets_pick_what_the_filters_pick(
    tables: Tables, regions: Regions, criteria: dict[str, Any]
) -> None:
    chosen = ProductFilter(**criteria)
    expected = list(apply_filter(tables["products"], tables["zones"], chosen)["name"])
    assert expected, "a criterion that keeps nothing proves little"
    assert facet_names(tables, regions, chosen) == expected


def test_every_field_has_a_facet_per_product_and_its_url_keys(
    tables: Tables, regions: Regions
) -> None:
    products = tables["products"]
    specs = public_page.filter_specs(products, tables["zones"], regions)
    assert [spec["key"] for spec in specs] == [field.url_key for field in FILTER_FIELDS]
    data = FilterData(tables["zones"])
    for field, spec in zip(FILTER_FIELDS, specs, strict=True):
        assert spec["facets"] == field.facet(products, data)
        assert len(spec["facets"]) == len(products)
    county = next(spec for spec in specs if spec["key"] == filters.COUNTY.url_key)
    assert county["within"] == filters.PREFECTURE.url_key
    assert county["parents"][ZIGUI] == YICHANG
    assert county["aliases"]["秭归县"] == ZIGUI  # a link may name the county
    years = next(spec for spec in specs if spec["key"] == filters.YEARS.url_key)
    assert re.fullmatch(years["pattern"], "2010-2020")


def test_the_page_names_its_hashed_files(tables: Tables, regions: Regions) -> None:
    page = public_page.build(tables, regions, 7, "2026-01-01T00:00:00+00:00")
    html = page.index.decode("utf-8")
    assert all(HASHED.match(name) for name in page.files), list(page.files)
    for name in page.files:
        if not name.startswith("gi_public.") or name.endswith(".js") or name.endswith(".css"):
            assert name in html
    assert '<meta name="gi-data-version" content="7">' in html
    assert re.findall(r'<script[^>]*\bsrc="([^"]+)"', html) == [
        n for n in page.files if n.endswith(".js")
    ]
    assert "打开完整应用（工作人员）" in html and 'lang="zh-CN"' in html
    assert not re.search(r"https?://[^\"' ]*(cdn|unpkg|jsdelivr)", html)
    assert 'id="map_div"' in html and 'id="gi-public-list"' in html
    assert 'id="gi-public-card"' in html


def _data(page: public_page.PublicPage) -> dict[str, Any]:
    name = next(n for n in page.files if n.startswith("data."))
    document: dict[str, Any] = json.loads(page.files[name])
    return document


def test_cards_carry_no_research_notes_and_mark_demonstration_figures(
    tables: Tables, regions: Regions
) -> None:
    outputs = tables["outputs"].copy()
    outputs["is_demo"] = outputs["product"] == "秭归脐橙"
    tables = {**tables, "outputs": outputs}
    data = _data(public_page.build(tables, regions, 1))
    text = json.dumps(data["public"]["cards"], ensure_ascii=False)
    assert "(S2)" not in text and "county from source" not in text  # the maintainers' note
    assert not re.search(r"\bS\d{1,4}\b", text)  # no source ids
    names = list(tables["products"]["name"])
    card = data["public"]["cards"][names.index("秭归脐橙")]
    assert card["outputs"] and all(line["demo"] == "示例数据" for line in card["outputs"])
    assert card["sources"] and card["sources"][0][0].startswith("来源1 · ")
    assert data["public"]["texts"]["demo"] == "示例数据"


def test_notes_in_the_page_are_escaped(tables: Tables, regions: Regions) -> None:
    sources = tables["sources"].copy()
    sources["url"] = "http://example.org/" + HOSTILE  # shown in the source line? escaped
    page = public_page.build({**tables, "sources": sources}, regions, 1, HOSTILE)
    assert HOSTILE not in page.index.decode("utf-8")


def test_publishing_writes_twins_and_keeps_the_newest_version(
    tables: Tables, regions: Regions, tmp_path: Path
) -> None:
    folder = tmp_path / "p"
    older = public_page.build(tables, regions, 3)
    changed = tables["products"].copy()
    changed.loc[changed.index[0], "year"] = 1999
    newer = public_page.build({**tables, "products": changed}, regions, 4)
    assert public_publish.publish(folder, older)
    for name, content in older.files.items():
        assert (folder / name).read_bytes() == content
        assert gzip.decompress((folder / f"{name}.gz").read_bytes()) == content
    assert gzip.decompress((folder / "index.html.gz").read_bytes()) == older.index
    assert public_publish.publish(folder, newer)
    assert (folder / "index.html").read_bytes() == newer.index
    # A process still at version 3 does not put its page back.
    assert not public_publish.publish(folder, older)
    assert (folder / "index.html").read_bytes() == newer.index
    assert public_publish.published_version(folder) == (4, newer.build)
    # The older version's files stay for pages opened before (assets.KEPT_SECONDS).
    assert all((folder / name).exists() for name in older.files)
    assert not list(folder.glob("*.part"))


def test_the_public_link_is_the_explorers_with_another_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chosen = ProductFilter(chains=("茶叶",))
    monkeypatch.delenv(share.PUBLIC_PAGE_ENV, raising=False)
    url = share.public_url("http://192.168.1.20:8501", chosen, Selection(product="秭归脐橙"))
    explorer = share.explorer_url("http://192.168.1.20:8501", chosen, Selection("秭归脐橙"))
    assert url == explorer.replace("/explorer?", "/app/static/p/index.html?")
    monkeypatch.setenv(share.PUBLIC_PAGE_ENV, "/p/")
    assert share.public_product_url("http://h:80", "秭归脐橙") == (
        "http://h:80/p/?product=%E7%A7%AD%E5%BD%92%E8%84%90%E6%A9%99"
    )


def test_the_command_line_publishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(store.DB_ENV_VARIABLE, str(tmp_path / "landmarks.sqlite"))
    folder = tmp_path / "public"
    assert cli.main(["publish", "--dir", str(folder)]) == 0
    assert "公开页已发布" in capsys.readouterr().out
    assert (folder / "index.html").exists() and (folder / "index.html.gz").exists()
    assert public_publish.published_version(folder) is not None


def test_a_version_already_published_by_this_code_is_not_built_again(
    tables: Tables, regions: Regions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replicas sharing the folder: the first builds a version, the others find it."""
    folder = tmp_path / "p"
    public_publish.publish_tables(tables, regions, 6, folder=folder)
    page = (folder / "index.html").read_bytes()

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("built again")

    monkeypatch.setattr(public_publish, "build", no_build)
    public_publish.publish_tables(tables, regions, 6, folder=folder)
    public_publish.publish_tables(tables, regions, 5, folder=folder)  # an older replica
    assert (folder / "index.html").read_bytes() == page
    with pytest.raises(AssertionError, match="built again"):
        public_publish.publish_tables(tables, regions, 7, folder=folder)


def test_an_import_publishes_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(store.DB_ENV_VARIABLE, str(tmp_path / "landmarks.sqlite"))
    monkeypatch.setenv(public_publish.PUBLIC_DIR_ENV, str(tmp_path / "p"))
    monkeypatch.setenv(public_publish.PUBLISH_ENV, "1")
    survey = tmp_path / "普查.csv"
    survey.write_text(
        "产品名称,品类,地理标志类型,所属市州,所属县市区,可信度,来源类型\n"
        "测试茶,茶叶,,宜昌市,秭归县,高,media\n",
        encoding="utf-8",
    )
    assert cli.main(["import", str(survey), "--table", "products"]) == 0
    assert "公开页已更新" in capsys.readouterr().out
    with store.opened(tmp_path / "landmarks.sqlite") as db:
        version = db.data_version()
    assert public_publish.published_version(tmp_path / "p") == (version, public_page.code_build())
    data = next((tmp_path / "p").glob("data.*.json"))
    assert "测试茶" in data.read_text(encoding="utf-8")
