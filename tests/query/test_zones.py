"""Demonstration zones: programme, phase, dates, linked products, timeline and export."""

from __future__ import annotations

import pandas as pd
import pytest

from landmarks.data.regions import Regions
from landmarks.query import zones
from landmarks.query.labels import is_remark
from tests import synthetic


@pytest.fixture
def data(regions: Regions) -> dict[str, pd.DataFrame]:
    return synthetic.zones_sites_frames(regions)


@pytest.fixture
def rows(data: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return zones.zone_rows(data["zones"], data["products"], data["sources"]).set_index(
        "name", drop=False
    )


QIAI = "蕲艾国家地理标志产品保护示范区"
SAMPLE = "潜江龙虾 国家级农产品地理标志示范样板"
PROVINCIAL = "房县香菇省级示范区"
OPEN = "恩施玉露国家地理标志产品保护示范区"
ZIGUI = "秭归脐橙国家地理标志产品保护示范区"


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("国家级(国家知识产权局)", zones.PROGRAMME_CNIPA),
        ("国家级(原农业部; 非知识产权局示范区体系)", zones.PROGRAMME_OTHER),
        ("省级(省知识产权局)", zones.PROGRAMME_PROVINCIAL),
        ("省级", zones.PROGRAMME_PROVINCIAL),
        ("", zones.PROGRAMME_OTHER),
    ],
)
def test_programme_follows_the_level_the_source_gives(level: str, expected: str) -> None:
    assert zones.programme(level) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("筹建(2023-03-08授牌筹建区)", zones.PHASE_PREPARING),
        ("筹建(2022年筹建名单; 筹建期2022-10至2025-10)", zones.PHASE_PREPARING),
        ("筹建(2023-03-08授牌筹建区); 2025通过省局实地验收", zones.PHASE_ACCEPTED),
        ("示范区(已授牌)", zones.PHASE_AWARDED),
        ("已授牌", zones.PHASE_AWARDED),
        ("示范区/筹建(状态与批次年份未在来源中找到)", zones.PHASE_UNCONFIRMED),
        ("", zones.PHASE_UNCONFIRMED),
        ("申报中", zones.PHASE_UNCONFIRMED),
    ],
)
def test_phase_is_the_furthest_the_status_states_and_never_a_guess(
    status: str, expected: str
) -> None:
    assert zones.phase(status) == expected


def test_zone_rows_classify_date_and_link_each_zone(rows: pd.DataFrame) -> None:
    assert rows.loc[QIAI, "phase"] == zones.PHASE_ACCEPTED
    assert rows.loc[QIAI, "dates"] == ("2023-03-08", "2025")
    assert rows.loc[QIAI, "latest_date"] == "2025"
    assert rows.loc[SAMPLE, "programme"] == zones.PROGRAMME_OTHER
    assert rows.loc[SAMPLE, "dates"] == ("2016-11-05",)
    assert rows.loc[PROVINCIAL, "programme"] == zones.PROGRAMME_PROVINCIAL
    assert rows.loc[PROVINCIAL, "dates"] == ()
    assert rows.loc[PROVINCIAL, "latest_date"] == ""
    assert rows.loc[OPEN, "phase"] == zones.PHASE_UNCONFIRMED
    # The family of registrations of the zone's product (一品多标): both rows.
    assert rows.loc[OPEN, "products"] == ("恩施玉露", "恩施玉露茶")
    assert rows.loc[ZIGUI, "county_adcode"] == synthetic.ZIGUI
    assert rows.loc[ZIGUI, "products"] == ("秭归脐橙",)


def test_a_zone_of_a_product_not_in_the_register_links_no_product(
    data: dict[str, pd.DataFrame],
) -> None:
    zone = data["zones"].iloc[[0]].assign(product="未登记产品")
    (row,) = zones.zone_rows(zone, data["products"]).itertuples()
    assert row.products == ()


def test_zones_are_ordered_by_programme_then_phase(rows: pd.DataFrame) -> None:
    assert list(rows["name"]) == [QIAI, ZIGUI, OPEN, PROVINCIAL, SAMPLE]
    assert list(rows["programme"]) == [
        zones.PROGRAMME_CNIPA,
        zones.PROGRAMME_CNIPA,
        zones.PROGRAMME_CNIPA,
        zones.PROGRAMME_PROVINCIAL,
        zones.PROGRAMME_OTHER,
    ]


def test_zone_sources_are_labelled_links_and_never_reposts(rows: pd.DataFrame) -> None:
    # The zone's own link, then the source its note cites by id, labelled by site.
    links = rows.loc[QIAI, "sources"]
    assert [link.url for link in links] == [
        "http://www.lunannews.com/37000.html",
        "http://example.org/aggregator",
    ]
    assert [link.label for link in links] == [
        "来源1 · lunannews.com（汇编网站）",
        "来源2 · example.org（汇编网站）",
    ]
    assert rows.loc[OPEN, "sources"] == ()  # a repost's link is never shown


def test_user_facing_zone_texts_hold_no_research_remarks(rows: pd.DataFrame) -> None:
    for column in ("status", "note", "level", "phase", "programme"):
        for text in rows[column]:
            assert not is_remark(str(text)), (column, text)
    assert rows.loc[SAMPLE, "note"] == "2016-11-05 昆明国际农交会授牌"


def test_dated_events_keep_the_status_event_when_the_note_repeats_a_date() -> None:
    events = zones.dated_events(
        "筹建(2023-03-08授牌筹建区); 2025通过省局实地验收",
        "batch year not found; 2025年省知识产权局组织实地验收通过(S39)",
    )
    assert events == [("2023-03-08", "授牌筹建区"), ("2025", "通过省局实地验收")]
    assert zones.dated_events("筹建(2022年筹建名单; 筹建期2022-10至2025-10)", "") == [
        ("2022", "列入筹建名单"),
        ("2022-10", "筹建期2022-10至2025-10"),
    ]
    assert zones.dated_events("已开放(4A级)", "年接待游客约20万人次") == []


def test_timeline_lists_every_dated_event_oldest_first(data: dict[str, pd.DataFrame]) -> None:
    timeline = zones.zone_timeline(data["zones"])
    assert list(timeline.columns) == list(zones.TIMELINE_COLUMNS)
    assert timeline["when"].is_monotonic_increasing
    events = list(zip(timeline["zone"], timeline["date"], strict=True))
    assert events == [
        (SAMPLE, "2016-11-05"),
        (ZIGUI, "2023-03-08"),  # same day: by name
        (QIAI, "2023-03-08"),
        (PROVINCIAL, "2024"),  # no date in its texts: its year stands for one
        (OPEN, "2024-08-22"),
        (QIAI, "2025"),
    ]
    assert timeline.loc[timeline["date"] == "2024", "event"].item() == "已授牌"
    assert timeline["when"].iloc[-1] == pd.Timestamp("2025-01-01")
    assert not any(is_remark(event) for event in timeline["event"])


def test_date_start_is_the_first_day_of_the_period() -> None:
    assert zones.date_start("2022-10") == pd.Timestamp("2022-10-01")
    assert zones.date_start("2025") == pd.Timestamp("2025-01-01")
    assert zones.date_start("2023-03-08") == pd.Timestamp("2023-03-08")


def test_zone_export_has_chinese_headers_and_joined_lists(rows: pd.DataFrame) -> None:
    exported = zones.zone_export(rows.reset_index(drop=True))
    assert list(exported.columns) == list(zones.EXPORT_HEADERS.values())
    first = exported.iloc[0]
    assert first["示范区名称"] == QIAI
    assert first["已知日期"] == "2023-03-08、2025"
    assert (
        first["来源链接"] == "http://www.lunannews.com/37000.html | http://example.org/aggregator"
    )
    texts = exported.drop(columns="来源链接")
    assert not texts.map(lambda v: isinstance(v, str) and is_remark(v)).any().any()


def test_no_zones_give_empty_tables(data: dict[str, pd.DataFrame]) -> None:
    empty = data["zones"].iloc[0:0]
    assert zones.zone_rows(empty, data["products"]).empty
    assert zones.zone_timeline(empty).empty
