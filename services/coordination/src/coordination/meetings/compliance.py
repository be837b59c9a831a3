"""The "at least one meeting per calendar quarter" rule (DOMAIN.md §2): per quarter, how many
meetings are scheduled (any state) and held; a warning for the head and the Coordinator when the
current quarter has none scheduled and at most QUARTER_WARNING_WEEKS weeks are left."""

import asyncio
import contextlib
import logging
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coordination.meetings import events
from coordination.meetings.models import CLOSED, HELD, Meeting, QuarterWarning
from hotline_common.auth import Permission, Principal, require
from hotline_common.db import Database, utcnow

log = logging.getLogger("coordination.quarter")


class QuarterOut(BaseModel):
    quarter: str
    scheduled: int
    held: int
    compliant: bool  # at least one meeting held (closed or held) in the quarter


class ComplianceOut(BaseModel):
    current_quarter: str
    days_left: int
    warning: bool
    warning_weeks: int
    quarters: list[QuarterOut]


def quarter_end(day: date) -> date:
    """The last day of day's calendar quarter."""
    first_month_next = ((day.month - 1) // 3 + 1) * 3 + 1
    if first_month_next > 12:
        return date(day.year, 12, 31)
    return date(day.year, first_month_next, 1) - timedelta(days=1)


async def compliance(
    session: AsyncSession, principal: Principal, zone: ZoneInfo, warning_weeks: int, today: date | None = None
) -> ComplianceOut:
    require(principal, Permission.WG_READ)
    now = utcnow()
    today = today or now.astimezone(zone).date()
    current = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    counts: dict[str, list[int]] = {current: [0, 0]}
    for meeting in (await session.scalars(select(Meeting))).all():
        entry = counts.setdefault(meeting.quarter, [0, 0])
        entry[0] += 1
        entry[1] += meeting.status in (HELD, CLOSED)
    days_left = (quarter_end(today) - today).days
    warning = counts[current][0] == 0 and days_left <= 7 * warning_weeks
    return ComplianceOut(
        current_quarter=current,
        days_left=days_left,
        warning=warning,
        warning_weeks=warning_weeks,
        quarters=[
            QuarterOut(quarter=q, scheduled=s, held=h, compliant=h > 0)
            for q, (s, h) in sorted(counts.items(), reverse=True)
        ],
    )


async def warn_if_due(session: AsyncSession, zone: ZoneInfo, warning_weeks: int, today: date | None = None) -> bool:
    """The periodic check (runs inside the service, not on anyone's behalf): when the current quarter
    has no meeting scheduled and at most `warning_weeks` weeks are left, record the warning and emit
    coordination.meeting.quarter_warning.v1, once per quarter. True when it warned now."""
    today = today or utcnow().astimezone(zone).date()
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    days_left = (quarter_end(today) - today).days
    if days_left > 7 * warning_weeks or await session.get(QuarterWarning, quarter) is not None:
        return False
    if await session.scalar(select(Meeting.id).where(Meeting.quarter == quarter).limit(1)) is not None:
        return False
    warning = QuarterWarning(quarter=quarter, days_left=days_left, warned_at=utcnow())
    session.add(warning)
    await session.flush()
    await events.emit_quarter_warning(session, warning, warning_weeks)
    return True


class QuarterCheck:
    """The periodic quarter check, a background task of the running service (`start`/`stop` are
    the runtime's start-up and shutdown hooks). The first check runs one interval after start: a
    restart loop never floods, and a freshly started system (tests, `make run`) publishes nothing
    it was not asked for."""

    def __init__(self, db: Database, zone: ZoneInfo, warning_weeks: int, *, interval_seconds: float):
        self.db, self.zone, self.warning_weeks, self.interval = db, zone, warning_weeks, interval_seconds
        self._task: asyncio.Task[None] | None = None

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                async with self.db.transaction() as session:
                    await warn_if_due(session, self.zone, self.warning_weeks)
            except Exception as exc:  # noqa: BLE001 - the next round retries
                log.warning("quarter check failed", extra={"error": type(exc).__name__})

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self.run(), name="quarter-check")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
