"""Retention of the identity vault: a caller not heard from for the configured period has their
identity destroyed (their key deleted). Run by `intake purge-expired` and periodically by the service."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import exists, select

from hotline_common.db import Database, utcnow
from intake.access.service import group_of
from intake.callers.service import ACTIVE, destroy_identity
from intake.contact.models import Contact
from intake.identity.models import Caller

log = logging.getLogger("intake.retention")
BATCH = 200


async def purge_expired(db: Database, retention_days: int, *, now: datetime | None = None) -> int:
    """Destroy the identity of every caller (with the profiles merged into them) whose last contact
    and last change are older than the period; how many profiles were destroyed."""
    now = now or utcnow()
    cutoff = now - timedelta(days=retention_days)
    destroyed, after = 0, ""
    while True:
        async with db.transaction() as session:
            candidates = (
                await session.scalars(
                    select(Caller)
                    .where(Caller.status == ACTIVE, Caller.last_activity_at < cutoff, Caller.id > after)
                    .order_by(Caller.id)
                    .limit(BATCH)
                )
            ).all()
            for caller in candidates:
                group = await group_of(session, caller)
                recent = await session.scalar(
                    select(
                        exists().where(
                            Contact.caller_id.in_([c.id for c in group]),
                            Contact.started_at >= cutoff,
                        )
                    )
                )
                if recent:
                    continue
                for member in group:
                    await destroy_identity(session, member, now)
                    destroyed += 1
        if len(candidates) < BATCH:
            break
        after = candidates[-1].id
    if destroyed:
        log.info("identity vault retention", extra={"destroyed_profiles": destroyed})
    return destroyed


async def run_periodically(
    db: Database,
    retention_days: int,
    interval_seconds: float,
    stop: asyncio.Event,
    *,
    also: Sequence[tuple[str, Callable[[], Awaitable[object]]]] = (),
) -> None:
    """The vault's purge every `interval_seconds`, and the other purges named in `also` with it."""
    purges = [("vault", lambda: purge_expired(db, retention_days)), *also]
    while not stop.is_set():
        for name, purge in purges:
            try:
                await purge()
            except Exception as exc:  # noqa: BLE001 - the next round retries; the service keeps serving
                log.warning("retention purge failed", extra={"purge": name, "error": type(exc).__name__})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_seconds)
