"""The periodic check inside the service: escalate referrals not acknowledged in time (once each)
and let expired consents behave as revoked (their data deleted, the event written)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from hotline_common.db import Database
from referrals.consent import service as consents
from referrals.referral import service

log = logging.getLogger("referrals.deadlines")


async def run_once(db: Database) -> tuple[int, int]:
    async with db.transaction() as session:
        escalated = await service.escalate_overdue(session)
    async with db.transaction() as session:
        expired = await consents.expire_due(session)
    return escalated, expired


class DeadlineCheck:
    def __init__(self, db: Database, interval_seconds: float):
        self.db = db
        self.interval = interval_seconds
        self._task: asyncio.Task[None] | None = None

    async def _loop(self) -> None:
        while True:
            try:
                escalated, expired = await run_once(self.db)
                if escalated or expired:
                    log.info("deadlines checked", extra={"escalated": escalated, "consents_expired": expired})
            except Exception as exc:  # noqa: BLE001 - the next round retries; the check must not die
                log.warning("deadline check failed", extra={"error": type(exc).__name__})
            await asyncio.sleep(self.interval)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="referral-deadlines")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
