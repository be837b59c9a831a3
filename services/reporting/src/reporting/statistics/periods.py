"""Local periods (TIMEZONE, Asia/Baku by default): the calendar the hotline and the Group report in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypedDict
from zoneinfo import ZoneInfo

_zone = ZoneInfo("Asia/Baku")


def configure(name: str) -> None:
    """Set from the TIMEZONE setting at start; projected rows keep the zone they were built with
    (change it, then run `reporting rebuild`)."""
    global _zone
    _zone = ZoneInfo(name)


def zone() -> ZoneInfo:
    return _zone


def quarter_of(moment: datetime, tz: ZoneInfo | None = None) -> str:
    local = moment.astimezone(tz or _zone)
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


class LocalParts(TypedDict):
    """The local calendar columns of a projected call."""

    local_date: str
    local_week: str
    local_month: str
    local_quarter: str
    local_year: str
    local_hour: int


def local_parts(moment: datetime, tz: ZoneInfo | None = None) -> LocalParts:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(tz or _zone)
    iso_year, iso_week, _ = local.isocalendar()
    return {
        "local_date": local.strftime("%Y-%m-%d"),
        "local_week": f"{iso_year}-W{iso_week:02d}",
        "local_month": local.strftime("%Y-%m"),
        "local_quarter": f"{local.year}-Q{(local.month - 1) // 3 + 1}",
        "local_year": str(local.year),
        "local_hour": local.hour,
    }


def quarter_bounds(quarter: str, tz: ZoneInfo | None = None) -> tuple[datetime, datetime]:
    """'2026-Q4' -> [start, end) in UTC."""
    year, q = int(quarter[:4]), int(quarter[-1])
    tz = tz or _zone
    start = datetime(year, 3 * (q - 1) + 1, 1, tzinfo=tz)
    end = datetime(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def next_quarter(quarter: str) -> str:
    year, q = int(quarter[:4]), int(quarter[-1])
    return f"{year + 1}-Q1" if q == 4 else f"{year}-Q{q + 1}"


def quarters_between(first: str, last: str) -> list[str]:
    """The quarter codes from `first` to `last`, both included."""
    out, quarter = [], first
    while quarter <= last:
        out.append(quarter)
        quarter = next_quarter(quarter)
    return out


def previous_quarter(moment: datetime, tz: ZoneInfo | None = None) -> str:
    local = moment.astimezone(tz or _zone)
    q = (local.month - 1) // 3 + 1
    return f"{local.year - 1}-Q4" if q == 1 else f"{local.year}-Q{q - 1}"
