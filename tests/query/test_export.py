"""Exports of the filtered list: Excel-friendly CSV and XLSX, labels users read, formula
cells neutralised, no maintainers' remarks and no hidden links."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import openpyxl
import pandas as pd
import pytest

from landmarks import i18n
from landmarks.data.model import SOURCE_QUALITY_LABELS
from landmarks.data.regions import Regions
from landmarks.data.spreadsheet import neutralize
from landmarks.query.areas import county_names
from landmarks.query.export import (
    EXPORT_HEADERS,
    LIST_BY_FAMILY,
    LIST_BY_REGISTRATION,
    LIST_MODES,
    export_frame,
    families_in_view,
    list_rows,
    readable_frame,
    to_csv_bytes,
    to_print_html,
    to_xlsx_bytes,
)
from landmarks.query.families import family_rows
from landmarks.query.filters import ProductFilter, apply_filter
from tests.synthetic import FAMILY, FORMULA, HOSTILE, PREFECTURE_ONLY, ZIGUI_NEWS, ZIGUI_RADIO

DANGEROUS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "\t=evil", '=HYPERLINK("http://x")']


HEADERS = EXPORT_HEADERS[LIST_BY_FAMILY]


@pytest.fixture
def products(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The list by family (the page's default), every product in view."""
    return list_rows(
        LIST_BY_FAMILY, tables["products"], tables["products"], tables["registrations"]
    )


@pytest.fixture
def by_registration(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    every = tables["products"]
    return list_rows(LIST_BY_REGISTRATION, every, every, tables["registrations"])


@pytest.fixture
def hostile(products: pd.DataFrame) -> pd.DataFrame:
    frame = pd.concat([products] * 2, ignore_index=True).head(len(DANGEROUS)).copy()
    frame["family"] = DANGEROUS
    frame["chain_basis"] = "=cmd|' /C calc'!A0"
    return frame


def read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_neutralize() -> None:
    for value in DANGEROUS:
        assert neutralize(value) == "'" + value
    assert neutralize("秭归脐橙") == "秭归脐橙"
    assert neutralize("a=b") == "a=b"
    assert neutralize(-3.5) == -3.5  # numbers are not formulas


def test_csv_has_bom_and_reads_back(products: pd.DataFrame) -> None:
    data = to_csv_bytes(export_frame(products))
    assert data.startswith(b"\xef\xbb\xbf")
    frame = read_csv(data)
    assert list(frame.columns) == list(HEADERS.values())
    assert frame["产品名称"].tolist() == [
        "'" + name if name == FORMULA else name for name in products["family"]
    ]
    zigui = frame.set_index("产品名称").loc["秭归脐橙"]
    assert zigui["最早获批年份"] == "2006" and zigui["县市区"] == "秭归县"
    assert zigui["保护范围"] == "本县" and zigui["县级行政区划代码"] == "420527"
    assert frame.set_index("产品名称").loc["秭归夏橙", "最早获批年份"] == ""


def test_csv_neutralises_formula_cells(hostile: pd.DataFrame) -> None:
    frame = read_csv(to_csv_bytes(export_frame(hostile)))
    assert frame["产品名称"].tolist() == ["'" + v for v in DANGEROUS]
    assert set(frame["产业链归属依据"]) == {"'=cmd|' /C calc'!A0"}


def test_xlsx_neutralises_formula_cells(hostile: pd.DataFrame) -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(export_frame(hostile))))
    sheet = book.active
    assert sheet.title == "地理标志产品"
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == list(HEADERS.values())
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["'" + v for v in DANGEROUS]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)


def test_xlsx_keeps_chinese_and_numbers(products: pd.DataFrame) -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(export_frame(products))))
    rows = list(book.active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(products)
    header = list(HEADERS.values())
    zigui = dict(zip(header, next(r for r in rows if r[0] == "秭归脐橙"), strict=True))
    assert zigui["最早获批年份"] == 2006 and zigui["登记数"] == 1
    assert zigui["县市区"] == "秭归县" and zigui["可信度"] == "高"
    assert isinstance(zigui["经度（示意）"], float)
    assert next(r for r in rows if r[0] == HOSTILE)[0] == HOSTILE  # text, not markup


def test_export_shows_labels_and_only_showable_links(products: pd.DataFrame) -> None:
    frame = export_frame(products).set_index("产品名称")
    assert set(frame["可信度"]) <= {"高", "中", "低"}
    assert set(frame["来源类型"]) <= set(SOURCE_QUALITY_LABELS.values())
    assert set(frame["位置精度"]) == {"县级示意位置", "跨县区域示意位置", "市州级示意位置"}
    assert frame.loc["秭归脐橙", "来源链接"] == ZIGUI_NEWS
    # Other sources: the malformed one is left out.
    assert frame.loc["秭归脐橙", "其他来源链接"] == ZIGUI_RADIO
    repost = products.loc[products["source_quality"] == "repost", "family"]
    assert (frame.loc[list(repost), "来源链接"] == "").all()
    # Brackets are valid in a URL; they are kept (the page's Markdown encodes them).
    assert frame.loc[HOSTILE, "来源链接"] == "http://example.org/evil?x=(1)"


def test_export_carries_no_remarks_or_source_ids(products: pd.DataFrame) -> None:
    text = to_csv_bytes(export_frame(products)).decode("utf-8-sig")
    for remark in ("county from source", "garbled repost", "(S2)", "S9", "aggregator", "media"):
        assert remark not in text, remark
    assert not any("备注" in headers.values() for headers in EXPORT_HEADERS.values())


def test_control_characters_do_not_break_xlsx(products: pd.DataFrame) -> None:
    frame = products.head(1).copy()
    frame["chain_basis"] = "bad\x00\x07basis"
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(export_frame(frame))))
    header = [cell.value for cell in book.active[1]]
    assert book.active.cell(2, header.index("产业链归属依据") + 1).value == "badbasis"


def test_the_page_reads_names_as_they_are(products: pd.DataFrame) -> None:
    # Only files for spreadsheets get the apostrophe; the page's table shows the name.
    assert FORMULA in set(readable_frame(products)["产品名称"])
    assert "'" + FORMULA in set(export_frame(products)["产品名称"])


def test_the_list_by_family_merges_registrations(products: pd.DataFrame, regions: Regions) -> None:
    frame = readable_frame(products, LIST_BY_FAMILY, county_names(regions)).set_index("产品名称")
    assert frame.index.is_unique
    tea = frame.loc[FAMILY]
    assert (tea["登记名称"], tea["登记数"]) == (f"{FAMILY}、恩施玉露茶", 3)
    assert tea["全部地理标志类型"] == "地理标志保护产品；地理标志证明商标；农产品地理标志"
    wudang = frame.loc["武当道茶"]
    assert wudang["保护范围"] == "跨 5 个县" and wudang["县市区"].startswith("跨 5 个县：")
    assert wudang["范围说明"] == "十堰市五个县区"
    assert len(wudang["县级行政区划代码"].split()) == 5
    for name in PREFECTURE_ONLY:
        assert (frame.loc[name, "保护范围"], frame.loc[name, "县市区"]) == (
            "全市范围",
            "全市范围（宜昌市）",
        )


def test_the_list_by_registration_has_a_row_per_registration(
    by_registration: pd.DataFrame, tables: dict[str, pd.DataFrame]
) -> None:
    frame = readable_frame(by_registration, LIST_BY_REGISTRATION)
    assert list(frame.columns) == list(EXPORT_HEADERS[LIST_BY_REGISTRATION].values())
    tea = frame[frame["产品名称"] == FAMILY]
    assert tea[["登记名称", "地理标志类型", "登记编号"]].values.tolist() == [
        [FAMILY, "农产品地理标志", "AGI00001"],
        [FAMILY, "地理标志证明商标", "10000001"],
        ["恩施玉露茶", "地理标志保护产品", "质检总局公告2014年第1号"],
    ]
    assert tea["获批年份"].tolist() == [2018, 2019, 2014]
    assert len(frame) == len(tables["products"]) + 1
    # Restricted to the types asked for, when a type filter is on.
    every = tables["products"]
    marks = list_rows(
        LIST_BY_REGISTRATION, every, every, tables["registrations"], ["地理标志证明商标"]
    )
    assert set(marks["gi_type"]) == {"地理标志证明商标"}
    assert set(marks["name"]) == {FAMILY, "洪山菜薹", "潜江龙虾"}


@pytest.mark.parametrize("mode", LIST_MODES)
def test_no_export_says_unknown(
    tables: dict[str, pd.DataFrame], regions: Regions, mode: str
) -> None:
    products = tables["products"].copy()
    products["gi_type"] = products["gi_type"].replace("类型待核实", "unknown")
    products["gi_types"] = products["gi_types"].replace("类型待核实", "unknown")
    rows = list_rows(mode, products, products, tables["registrations"])
    text = to_csv_bytes(export_frame(rows, mode, county_names(regions))).decode("utf-8-sig")
    assert "类型待核实" in text
    assert "unknown" not in text.lower()


def test_xlsx_accepts_columns_with_no_values() -> None:
    frame = pd.DataFrame({"经度": [None, float("nan")], "名称": ["甲", "乙"]})
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame)))
    assert [row for row in book.active.iter_rows(min_row=2, values_only=True)] == [
        (None, "甲"),
        (None, "乙"),
    ]


class _Cells(HTMLParser):
    """The text of every header and body cell of a page, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.lang = ""
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_the_printable_list_holds_every_row_escaped(products: pd.DataFrame) -> None:
    shown = readable_frame(products)
    shown.loc[0, HEADERS["family"]] = "<script>alert(1)</script>"
    page = to_print_html(shown, "清单", ["筛选条件：茶叶", ""])
    text = page.decode("utf-8")
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "<thead>" in text and "@page { size: A4 landscape" in text
    cells = _Cells()
    cells.feed(text)
    assert cells.lang == "zh-CN"
    assert cells.rows[0] == list(shown.columns)  # the header row, then every row in order
    assert [row[0] for row in cells.rows[1:]] == [str(v) for v in shown[HEADERS["family"]]]
    assert text.count("<p>") == 1  # empty lines are left out


def test_the_printable_list_in_english(products: pd.DataFrame) -> None:
    with i18n.language(i18n.ENGLISH):
        shown = readable_frame(products)
        cells = _Cells()
        cells.feed(to_print_html(shown, "List").decode("utf-8"))
    assert cells.lang == "en" and cells.rows[0] == list(shown.columns)


@pytest.mark.parametrize(
    ("asked", "title"),
    [
        ("产品公开数字_A/B茶[1]:*?", "产品公开数字_AB茶1"),  # characters Excel refuses
        ("'排名_年产值'", "排名_年产值"),  # no apostrophe at either end
        ("长" * 40, "长" * 31),
        ("/?*", "地理标志产品"),  # nothing left: the default title
    ],
)
def test_a_sheet_title_from_data_is_one_excel_takes(asked: str, title: str) -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(pd.DataFrame({"a": [1]}), asked)))
    assert book.sheetnames == [title]


@pytest.mark.parametrize(
    "chosen",
    [
        {},
        {"chains": ("茶叶",)},
        {"chains": ("柑橘",)},
        {"confidences": ("low",)},
        {"query": "恩施玉露茶"},  # a family's second name: the family is listed whole
        {"chains": ("no such chain",)},
    ],
    ids=repr,
)
def test_the_list_by_family_is_picked_from_the_family_rows_of_all_products(
    tables: dict[str, pd.DataFrame], chosen: dict[str, object]
) -> None:
    """What the page caches once per data version gives the same list as made afresh."""
    every, registrations = tables["products"], tables["registrations"]
    shown = apply_filter(every, tables["zones"], ProductFilter(**chosen))  # type: ignore[arg-type]
    expected = list_rows(LIST_BY_FAMILY, shown, every, registrations)
    picked = families_in_view(family_rows(every, registrations), shown)
    pd.testing.assert_frame_equal(picked, expected)
