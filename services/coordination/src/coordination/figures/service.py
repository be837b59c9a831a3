"""Hotline figures shown to the Working Group, from reporting: aggregates, never a caller's identity."""

from collections.abc import Iterable
from datetime import UTC, datetime

from pydantic import BaseModel

from coordination.figures.client import ReportingClient
from hotline.reporting.v1 import reporting_pb2
from hotline_common.auth import Permission, Principal, require


class HotlineFigures(BaseModel):
    # The whole quarters that have ended which the figures cover (a suppressed reader's), whatever
    # period was asked; empty: exact figures of that period.
    quarters: list[str]
    # None: hidden from this reader (k-suppressed in reporting), as reporting's own API says it.
    calls_total: int | None
    calls_by_purpose: dict[str, int | None]
    referrals_total: int
    referrals_by_service_type: dict[str, int | None]
    meetings_total: int
    newest_event_at: datetime | None


def _cells(counts: Iterable[reporting_pb2.Count]) -> dict[str, int | None]:
    return {c.key: None if c.suppressed else c.count for c in counts}


async def hotline_figures(
    reporting: ReportingClient, principal: Principal, *, from_time: datetime | None, to_time: datetime | None
) -> HotlineFigures:
    require(principal, Permission.STATS_READ)
    stats = await reporting.statistics(principal, from_time=from_time, to_time=to_time)
    return HotlineFigures(
        quarters=list(stats.quarters),
        calls_total=None if stats.calls_total_suppressed else stats.calls_total,
        calls_by_purpose=_cells(stats.calls_by_purpose),
        referrals_total=stats.referrals_total,
        referrals_by_service_type=_cells(stats.referrals_by_service_type),
        meetings_total=stats.meetings_total,
        newest_event_at=(stats.newest_event_at.ToDatetime(tzinfo=UTC) if stats.HasField("newest_event_at") else None),
    )
