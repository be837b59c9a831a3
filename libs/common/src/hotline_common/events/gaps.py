"""Don't trust the broker alone: a periodic gap check per consumer heals events JetStream lost.

Every event carries its producer's outbox seq. A consumer persists a watermark: every seq up to it
was handled or is proven absent. Each check asks the producer to replay (watermark, settled], where
`settled` is the highest seq seen (in a delivery, or as the producer's latest) at least a grace
period ago; whatever comes back and is not in the inbox yet is handled exactly as a NATS delivery
would be. A seq in that range the producer does not return is absent - a rolled-back transaction
(PostgreSQL sequences have holes), an event of another subject, or a purged row - so the watermark
moves past it. Because the producer's latest seq counts, a lost event at the tail heals too.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC

import grpc
from google.protobuf.message import DecodeError
from sqlalchemy import select, update

from hotline.events.v1 import replay_pb2, replay_pb2_grpc
from hotline_common.db import Database, insert_ignoring_conflict, utcnow
from hotline_common.events.consumer import Consumer, Event, PoisonMessage, SeqHorizon
from hotline_common.events.outbox import HEADER_EVENT_TYPE, HEADER_OCCURRED_AT, HEADER_PRODUCER, HEADER_SEQ
from hotline_common.events.schema import event_watermarks, inbox
from hotline_common.service_identity import ServiceTokens, call_metadata

log = logging.getLogger("hotline.gaps")


async def load_watermark(db: Database, consumer: str) -> int:
    async with db.reader() as session:
        seq = await session.scalar(
            select(event_watermarks.c.contiguous_seq).where(event_watermarks.c.consumer == consumer)
        )
    return seq or 0


async def save_watermark(db: Database, consumer: str, producer: str, seq: int) -> None:
    values = {"consumer": consumer, "producer": producer, "contiguous_seq": seq, "updated_at": utcnow()}
    async with db.transaction() as session:
        if not await insert_ignoring_conflict(session, event_watermarks, values, ["consumer"]):
            await session.execute(
                update(event_watermarks)
                .where(event_watermarks.c.consumer == consumer)
                .values(contiguous_seq=seq, updated_at=values["updated_at"])
            )


async def already_handled(db: Database, consumer: str, event_ids: list[str]) -> set[str]:
    if not event_ids:
        return set()
    async with db.reader() as session:
        found = await session.scalars(
            select(inbox.c.event_id).where(inbox.c.consumer == consumer, inbox.c.event_id.in_(event_ids))
        )
        return set(found)


class GapCheck:
    def __init__(
        self,
        consumer: Consumer,
        target: str,
        tokens: ServiceTokens,
        *,
        interval_seconds: float = 15.0,
        grace_seconds: float = 30.0,
        batch_size: int = 500,
    ):
        self.consumer = consumer
        self.target = target  # the producer's gRPC host:port
        self.tokens = tokens  # the consuming service's own identity: the producer replays only to services
        self.interval = interval_seconds
        self.batch_size = batch_size
        self.horizon = consumer.horizon = SeqHorizon(grace_seconds)
        self.watermark: int | None = None  # loaded at the first check
        self.healed = 0
        self._failures: dict[int, int] = {}  # seq -> failed attempts to handle its replay
        self._stop = asyncio.Event()
        self._unreachable = False

    @property
    def name(self) -> str:
        return self.consumer.name

    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        channel = grpc.aio.insecure_channel(self.target)
        stub = replay_pb2_grpc.EventLogStub(channel)  # type: ignore[no-untyped-call]  # generated, unannotated
        try:
            while not self._stop.is_set():
                try:
                    await asyncio.wait_for(self._stop.wait(), self.interval)
                    break
                except TimeoutError:
                    pass
                try:
                    await self.check(stub)
                    self._unreachable = False
                except grpc.aio.AioRpcError as exc:
                    # The producer may be restarting; say so once per outage, not every interval.
                    if not self._unreachable:
                        log.warning(
                            "gap check: %s did not answer; will retry",
                            self.consumer.producer,
                            extra={"consumer": self.name, "error": exc.code().name},
                        )
                    self._unreachable = True
                except Exception as exc:  # noqa: BLE001 - the next check starts again from the watermark
                    log.warning(
                        "gap check failed; will retry",
                        extra={"consumer": self.name, "error": f"{type(exc).__name__}: {exc}"[:200]},
                    )
        finally:
            await channel.close()

    async def check(self, stub: replay_pb2_grpc.EventLogStub) -> int:
        """One pass: replay (watermark, settled], handle what is missing, advance. Returns events healed."""
        db, name = self.consumer.db, self.consumer.name
        if self.watermark is None:
            self.watermark = await load_watermark(db, name)
        start, healed = self.watermark, 0
        settled = self.horizon.settled()
        while True:
            response = await stub.Replay(
                replay_pb2.ReplayRequest(
                    after_seq=self.watermark,
                    up_to_seq=max(settled, self.watermark),
                    subjects=sorted(self.consumer.handlers),
                    limit=self.batch_size,
                ),
                metadata=await call_metadata(self.tokens),
                timeout=10,
            )
            self.horizon.observe(response.latest_seq)
            reached, count = await self._heal(response.events, response.covered_up_to_seq)
            healed += count
            if reached <= self.watermark:
                break
            self.watermark = reached
            await save_watermark(db, name, self.consumer.producer, reached)
            if reached >= settled:
                break
        if healed:
            self.healed += healed
            log.warning(
                "replay healed %d event(s) the broker lost from %s; watermark %d -> %d",
                healed,
                self.consumer.producer,
                start,
                self.watermark,
                extra={"consumer": name, "count": healed},
            )
        return healed

    async def _heal(self, events: Sequence[replay_pb2.StoredEvent], covered_up_to: int) -> tuple[int, int]:
        """Handle the replayed events not in the inbox; the seq everything is handled up to, and how many."""
        handled = await already_handled(self.consumer.db, self.consumer.name, [e.event_id for e in events])
        healed = 0
        for stored in events:
            if stored.event_id in handled:
                continue
            try:
                healed += await self._handle(stored)
            except PoisonMessage as exc:
                await self._dead_letter(stored, exc)
            except Exception as exc:  # noqa: BLE001 - retried at the next check, then dead-lettered
                attempts = self._failures[stored.seq] = self._failures.get(stored.seq, 0) + 1
                if attempts < self.consumer.max_deliver:
                    log.warning(
                        "replayed event failed; will retry",
                        extra={"consumer": self.consumer.name, "attempt": attempts, "error": type(exc).__name__},
                    )
                    return stored.seq - 1, healed
                await self._dead_letter(stored, exc)
            self._failures.pop(stored.seq, None)
        return covered_up_to, healed

    async def _handle(self, stored: replay_pb2.StoredEvent) -> bool:
        consumer = self.consumer
        with consumer.span(
            consumer.broker.namespace.subject(stored.subject),
            stored.event_id,
            dict(stored.trace_headers),
            **{"hotline.replayed": True},
        ):
            handler = consumer.handlers.get(stored.subject)
            if handler is None:
                raise PoisonMessage(f"no handler for {stored.subject}")
            try:
                payload = handler.message_type.FromString(stored.payload)
            except DecodeError as exc:
                raise PoisonMessage(f"undecodable event: {type(exc).__name__}") from exc
            event = Event(
                stored.event_id,
                stored.subject,
                consumer.producer,
                stored.seq,
                stored.occurred_at.ToDatetime(tzinfo=UTC),
                payload,
            )
            return await consumer.handle(event, handler)

    async def _dead_letter(self, stored: replay_pb2.StoredEvent, exc: Exception) -> None:
        occurred_at = stored.occurred_at.ToDatetime(tzinfo=UTC)
        headers = {
            "Nats-Msg-Id": stored.event_id,
            HEADER_EVENT_TYPE: stored.event_type,
            HEADER_PRODUCER: self.consumer.producer,
            HEADER_SEQ: str(stored.seq),
            HEADER_OCCURRED_AT: occurred_at.isoformat(),
        }
        await self.consumer.dead_letter(
            self.consumer.broker.namespace.subject(stored.subject), stored.payload, headers, exc
        )
