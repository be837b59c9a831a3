"""Hotline figures shown to the Working Group, from reporting: aggregates, never a caller's identity."""

from datetime import UTC, datetime

from pydantic import BaseModel

from coordination.figures.client import ReportingClient
from hotline_common.auth import Permission, Principal, require


class HotlineFigures(BaseModel):
    calls_total: int
    calls_by_purpose: dict[str, int]
    referrals_total: int
    referrals_by_service_type: dict[str, int]
    meetings_total: int
    newest_event_at: datetime | None


async def hotline_figures(
    reporting: ReportingClient, principal: Principal, *, from_time: datetime | None, to_time: datetime | None
) -> HotlineFigures:
    require(principal, Permission.STATS_READ)
    stats = await reporting.statistics(principal, from_time=from_time, to_time=to_time)
    return HotlineFigures(
        calls_total=stats.calls_total,
        calls_by_purpose={c.key: c.count for c in stats.calls_by_purpose},
        referrals_total=stats.referrals_total,
        referrals_by_service_type={c.key: c.count for c in stats.referrals_by_service_type},
        meetings_total=stats.meetings_total,
        newest_event_at=(stats.newest_event_at.ToDatetime(tzinfo=UTC) if stats.HasField("newest_event_at") else None),
    )
