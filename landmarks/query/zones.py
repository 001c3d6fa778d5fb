"""Demonstration zones (示范区) as the page shows them: programme, phase, dates, products.

The sources state a zone's status in their own words (``筹建(2023-03-08授牌筹建区); 2025通过
省局实地验收``).  Here each zone gets

- its programme: the national GI product protection demonstration zones of the national IP
  office (国家知识产权局示范区), provincial zones users import (省级示范区), or a zone of
  another programme, such as the 2016 national agricultural GI demonstration sample of
  潜江龙虾 awarded by the then Ministry of Agriculture (其他部门项目);
- its phase, the furthest the sources state: 筹建, 通过省局验收, 已授牌; a status the
  sources leave open is 状态待核实, never a guess;
- the dated events its status and note name, for a timeline (ISO dates as precise as the
  source: 2023-03-08, 2022-10 or 2025);
- the registered names of its GI product (a family of registrations, 一品多标).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd

from landmarks import i18n
from landmarks.i18n import N_, t
from landmarks.query.cards import SourceLink, source_links
from landmarks.query.labels import confidence_label, is_remark, without_remarks
from landmarks.query.provenance import OTHER_URLS_SEPARATOR

PROGRAMME_CNIPA = N_("国家知识产权局示范区")
PROGRAMME_PROVINCIAL = N_("省级示范区")
PROGRAMME_OTHER = N_("其他部门项目")
PROGRAMMES: tuple[str, ...] = (PROGRAMME_CNIPA, PROGRAMME_PROVINCIAL, PROGRAMME_OTHER)

PHASE_PREPARING = N_("筹建")
PHASE_ACCEPTED = N_("通过省局验收")
PHASE_AWARDED = N_("已授牌")
PHASE_UNCONFIRMED = N_("状态待核实")
# In the order a zone goes through them; the unconfirmed last.
PHASES: tuple[str, ...] = (PHASE_PREPARING, PHASE_ACCEPTED, PHASE_AWARDED, PHASE_UNCONFIRMED)
# How the list orders zones: the furthest along first.
_PHASE_RANK = {PHASE_AWARDED: 0, PHASE_ACCEPTED: 1, PHASE_PREPARING: 2, PHASE_UNCONFIRMED: 3}

ZONE_ROW_COLUMNS: tuple[str, ...] = (
    "name",
    "programme",
    "level",
    "phase",
    "status",
    "dates",
    "latest_date",
    "year",
    "product",
    "products",
    "prefecture_adcode",
    "prefecture",
    "county_adcode",
    "county",
    "note",
    "confidence_label",
    "sources",
)
TIMELINE_COLUMNS: tuple[str, ...] = ("zone", "programme", "date", "when", "event", "phase")

# A date as sources write it: 2023-03-08, 2022-10, or a year (2025, 2022年).
_DATE = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?![\d.])")
_CLAUSES = re.compile(r"\s*(?:[;；()（）]|,\s|，)\s*")  # not UI: pattern
_UNCONFIRMED = re.compile(r"状态.*未|待核实|待确认|/")  # not UI: pattern

EXPORT_HEADERS: dict[str, str] = {
    "name": N_("示范区名称"),
    "programme": N_("所属体系"),
    "level": N_("级别"),
    "phase": N_("状态"),
    "status": N_("来源所述状态"),
    "dates": N_("已知日期"),
    "product": N_("地理标志产品"),
    "prefecture": N_("市州"),
    "county": N_("县市区"),
    "note": N_("说明"),
    "confidence_label": N_("可信度"),
    "sources": N_("来源链接"),
}


def programme(level: str) -> str:
    """The programme a zone belongs to, from its level as the sources give it."""
    text = str(level or "")
    if text.startswith("省"):  # not UI: words of the data's level
        return PROGRAMME_PROVINCIAL
    if "知识产权局" in text and "非知识产权局" not in text:  # not UI: words of the data
        return PROGRAMME_CNIPA
    return PROGRAMME_OTHER


def phase(status: str) -> str:
    """The furthest phase a zone's status states; 状态待核实 when it leaves it open."""
    text = str(status or "")
    if _UNCONFIRMED.search(text):
        return PHASE_UNCONFIRMED
    if "验收" in text:  # not UI: words of the data's status
        return PHASE_ACCEPTED
    if "已授牌" in text or ("授牌" in text and "筹建" not in text):  # not UI: data words
        return PHASE_AWARDED
    if "筹建" in text:  # not UI: words of the data's status
        return PHASE_PREPARING
    return PHASE_UNCONFIRMED


def iso_date(year: str, month: str = "", day: str = "") -> str:
    """'2023-03-08', '2022-10' or '2025'."""
    parts = [year] + [f"{int(part):02d}" for part in (month, day) if part]
    return "-".join(parts)


def date_start(iso: str) -> pd.Timestamp:
    """The first day of the period an ISO date names (2022-10 → 2022-10-01)."""
    parts = [int(part) for part in iso.split("-")]
    year, month, day = [*parts, 1, 1][:3]
    return pd.Timestamp(year=year, month=month, day=day)


def _clauses(text: str) -> Iterator[str]:
    for clause in _CLAUSES.split(str(text or "")):
        clause = clause.strip().strip("'\"").strip()
        if clause and not is_remark(clause):
            yield clause


def dated_events(status: str, note: str) -> list[tuple[str, str]]:
    """(ISO date, event) for each clause of the status, then the note, that names a date;
    a date named twice keeps its first event (the status's)."""
    events: dict[str, str] = {}
    for clause in [*_clauses(status), *_clauses(note)]:
        match = _DATE.search(clause)
        if match is None:
            continue
        date = iso_date(*(group or "" for group in match.groups()))
        # A clause opening with its date is about the date: '2025通过省局实地验收'.
        year_mark = "年 "  # not UI: what follows a year in the data's text
        event = clause[match.end() :].lstrip(year_mark).strip() if match.start() == 0 else clause
        if event.endswith("名单") and not event.startswith("列入"):  # not UI: data words
            event = "列入" + event  # not UI: 2022年筹建名单 → 列入筹建名单 (data text)
        if event:
            events.setdefault(date, event)
    return sorted(events.items(), key=lambda item: date_start(item[0]))


def _linked_products(product: str, products: pd.DataFrame) -> tuple[str, ...]:
    """The registered names of the family of ``product`` (none if it is not registered)."""
    named = products[(products["name"] == product) | (products["family"] == product)]
    if named.empty:
        return ()
    families = set(named["family"])
    return tuple(products.loc[products["family"].isin(families), "name"])


def zone_rows(
    zones: pd.DataFrame, products: pd.DataFrame, sources: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per zone (``ZONE_ROW_COLUMNS``): programme, phase, dates, linked products,
    county and sources; national-IP-office zones first, each programme by phase."""
    rows = []
    for zone in zones.itertuples(index=False):
        status, note = str(zone.status), str(zone.note)
        events = dated_events(status, note)
        dates = tuple(date for date, _ in events)
        rows.append(
            {
                "name": zone.name,
                "programme": programme(str(zone.level)),
                "level": without_remarks(str(zone.level)),
                "phase": phase(status),
                "status": without_remarks(status),
                "dates": dates,
                "latest_date": dates[-1] if dates else "",
                "year": zone.year,
                "product": zone.product,
                "products": _linked_products(str(zone.product), products),
                "prefecture_adcode": zone.prefecture_adcode,
                "prefecture": zone.prefecture,
                "county_adcode": zone.county_adcode,
                "county": zone.county,
                "note": without_remarks(note),
                "confidence_label": confidence_label(str(zone.confidence)),
                "sources": source_links(
                    str(zone.source_url),
                    str(zone.other_source_urls),
                    str(zone.source_quality),
                    note,
                    sources,
                ),
            }
        )
    frame = pd.DataFrame(rows, columns=list(ZONE_ROW_COLUMNS))
    if frame.empty:
        return frame
    frame["year"] = frame["year"].astype("Int64")
    order = pd.DataFrame(
        {
            "programme": frame["programme"].map(PROGRAMMES.index),
            "phase": frame["phase"].map(_PHASE_RANK),
            "name": frame["name"],
        }
    )
    return frame.loc[order.sort_values(["programme", "phase", "name"]).index].reset_index(drop=True)


def zone_timeline(zones: pd.DataFrame) -> pd.DataFrame:
    """Every dated event of every zone (``TIMELINE_COLUMNS``), oldest first.  A zone whose
    status and note name no date but which has a year gets one event for that year."""
    rows = []
    for zone in zones.itertuples(index=False):
        status, note = str(zone.status), str(zone.note)
        events = dated_events(status, note)
        year = pd.to_numeric(pd.Series([zone.year]), errors="coerce").iloc[0]
        if not events and pd.notna(year):
            events = [(str(int(year)), without_remarks(status) or phase(status))]
        for date, event in events:
            rows.append(
                {
                    "zone": zone.name,
                    "programme": programme(str(zone.level)),
                    "date": date,
                    "when": date_start(date),
                    "event": event,
                    "phase": phase(status),
                }
            )
    frame = pd.DataFrame(rows, columns=list(TIMELINE_COLUMNS))
    return frame.sort_values(["when", "zone"], kind="stable").reset_index(drop=True)


def _links_text(links: tuple[SourceLink, ...]) -> str:
    return f" {OTHER_URLS_SEPARATOR} ".join(link.url for link in links)


def zone_export(rows: pd.DataFrame) -> pd.DataFrame:
    """``zone_rows`` with Chinese headers, lists joined, for CSV/XLSX."""
    shown = rows.assign(
        dates=rows["dates"].map(t("、").join),
        sources=rows["sources"].map(_links_text),
    )
    if i18n.english():
        for column in ("name", "product", "prefecture", "county"):
            shown[column] = shown[column].map(lambda v: i18n.name(v) if isinstance(v, str) else v)
        for column in ("programme", "phase"):
            shown[column] = shown[column].map(t)
    headers = {column: t(header) for column, header in EXPORT_HEADERS.items()}
    return shown[list(EXPORT_HEADERS)].rename(columns=headers).reset_index(drop=True)
