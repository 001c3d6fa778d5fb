"""Times as users read them: in Beijing time (Asia/Shanghai), the one zone the app shows.

The database stores UTC (ISO 8601); every time shown on a page, a poster, a brief, an
export's name, the version history or the sign-in log goes through here, and the texts
that show one name the zone (（北京时间）).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from landmarks.i18n import t

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing_now() -> datetime:
    return datetime.now(BEIJING)


def beijing_time(iso_utc: str) -> datetime | None:
    """An ISO time stamp (UTC when it has no zone) in Beijing time; None if unreadable."""
    try:
        moment = datetime.fromisoformat(iso_utc.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING)


def date_text(day: date) -> str:
    return t("{year}年{month}月{day}日", year=day.year, month=day.month, day=day.day)


def time_text(moment: datetime) -> str:
    """'2026年11月25日 22:41' (``moment`` already in Beijing time)."""
    return f"{date_text(moment.date())} {moment:%H:%M}"


def generated_text(moment: datetime | None = None) -> str:
    """A printed output's 生成时间 line, naming the zone (``moment``: now when None)."""
    shown = (moment or beijing_now()).astimezone(BEIJING)
    return t("生成时间：{time}（北京时间）", time=time_text(shown))


def stored_time_text(iso_utc: str) -> str:
    """A stored UTC time stamp as shown, in Beijing time ('' when unreadable)."""
    moment = beijing_time(iso_utc) if iso_utc else None
    return time_text(moment) if moment is not None else ""
