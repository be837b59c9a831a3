"""Transactional outbox: the state change and its event commit together; a relay publishes them.

The relay publishes with Nats-Msg-Id = event id (a duplicate ack counts as success), keeps rows
while NATS is down, and keeps published rows for a retention window.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from google.protobuf.message import Message
from opentelemetry import propagate, trace
from sqlalchemy import Row, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.db import Database, new_id, rowcount, utcnow
from hotline_common.events.broker import Broker
from hotline_common.events.schema import outbox

log = logging.getLogger("hotline.outbox")
tracer = trace.get_tracer("hotline.events")

HEADER_EVENT_TYPE = "Hotline-Event-Type"
HEADER_PRODUCER = "Hotline-Producer"
HEADER_SEQ = "Hotline-Seq"
HEADER_OCCURRED_AT = "Hotline-Occurred-At"


async def add_event(session: AsyncSession, subject: str, message: Message) -> str:
    """Write an event in the caller's transaction. `subject` is unqualified (no namespace)."""
    trace_headers: dict[str, str] = {}
    propagate.inject(trace_headers)
    event_id = new_id()
    await session.execute(
        insert(outbox).values(
            event_id=event_id,
            subject=subject,
            event_type=message.DESCRIPTOR.full_name,
            payload=message.SerializeToString(),
            trace_headers=trace_headers,
            created_at=utcnow(),
        )
    )
    session.info["outbox_dirty"] = True
    return event_id


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        broker: Broker,
        producer: str,
        *,
        batch_size: int = 500,
        retention: timedelta = timedelta(days=7),
        idle_poll_seconds: float = 1.0,
        linger_seconds: float = 0.01,
    ):
        self.db = db
        self.broker = broker
        self.producer = producer
        self.batch_size = batch_size
        self.retention = retention
        self.idle_poll_seconds = idle_poll_seconds
        self.linger_seconds = linger_seconds
        self._wake = asyncio.Event()
        self._stopping = False
        db.on_outbox_commit(self.wake)

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        backoff = 0.1
        last_purge = utcnow()
        while not self._stopping:
            self._wake.clear()
            try:
                if self.broker.connected:
                    published = await self.publish_pending()
                    backoff = 0.1
                    if published >= self.batch_size:
                        continue
                if utcnow() - last_purge > timedelta(minutes=10):
                    await self.purge_published()
                    last_purge = utcnow()
            except Exception as exc:  # noqa: BLE001 - rows stay; try again after a pause
                log.warning("outbox publish failed; rows kept", extra={"error": f"{type(exc).__name__}: {exc}"[:200]})
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            try:
                await asyncio.wait_for(self._wake.wait(), self.idle_poll_seconds)
            except TimeoutError:
                continue
            # Linger briefly after a wake so commits arriving together go out as one batch:
            # one read and one update per batch instead of per event.
            await asyncio.sleep(self.linger_seconds)

    async def publish_pending(self) -> int:
        async with self.db.reader() as session:
            rows = (
                await session.execute(
                    select(outbox).where(outbox.c.published_at.is_(None)).order_by(outbox.c.seq).limit(self.batch_size)
                )
            ).all()
        if not rows:
            return 0
        results = await asyncio.gather(*(self._publish(row) for row in rows), return_exceptions=True)
        done = [row.seq for row, result in zip(rows, results, strict=True) if not isinstance(result, BaseException)]
        if done:
            async with self.db.transaction() as session:
                await session.execute(update(outbox).where(outbox.c.seq.in_(done)).values(published_at=utcnow()))
        failures = [r for r in results if isinstance(r, BaseException)]
        if failures:
            raise failures[0]
        return len(rows)

    async def _publish(self, row: Row[Any]) -> None:
        js = self.broker.js
        if js is None:
            raise ConnectionError("not connected to NATS")
        subject = self.broker.namespace.subject(row.subject)
        parent = propagate.extract(row.trace_headers or {})
        with tracer.start_as_current_span(
            f"{row.subject} publish",
            context=parent,
            kind=trace.SpanKind.PRODUCER,
            attributes={
                "messaging.system": "nats",
                "messaging.operation.type": "publish",
                "messaging.destination.name": subject,
                "messaging.message.id": row.event_id,
            },
        ):
            headers = {
                "Nats-Msg-Id": row.event_id,
                HEADER_EVENT_TYPE: row.event_type,
                HEADER_PRODUCER: self.producer,
                HEADER_SEQ: str(row.seq),
                HEADER_OCCURRED_AT: row.created_at.isoformat(),
            }
            propagate.inject(headers)
            await js.publish(subject, row.payload, timeout=5.0, headers=headers)

    async def purge_published(self) -> int:
        cutoff = utcnow() - self.retention
        # The newest row stays whatever its age: SQLite would hand its seq out again, and consumers
        # whose watermark passed it would never ask for the new events.
        newest = select(func.max(outbox.c.seq)).scalar_subquery()
        async with self.db.transaction() as session:
            result = await session.execute(delete(outbox).where(outbox.c.published_at < cutoff, outbox.c.seq < newest))
        return rowcount(result) or 0
