"""Durable pull consumers with an inbox: handle, commit, then ack; a redelivery changes nothing twice.

A failing event is retried with backoff up to max_deliver times, then copied to the dead-letter
stream with the error and terminated, so one poison message never blocks the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

import nats.errors
from google.protobuf.message import DecodeError, Message
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from opentelemetry import propagate, trace
from opentelemetry.util.types import AttributeValue
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.db import Database, insert_ignoring_conflict, utcnow
from hotline_common.events.broker import Broker
from hotline_common.events.catalog import DEAD_LETTER
from hotline_common.events.outbox import HEADER_OCCURRED_AT, HEADER_PRODUCER, HEADER_SEQ
from hotline_common.events.schema import inbox

log = logging.getLogger("hotline.consumer")
tracer = trace.get_tracer("hotline.events")


@dataclass(frozen=True)
class Event:
    id: str
    subject: str  # unqualified
    producer: str
    seq: int
    occurred_at: datetime
    payload: Message


HandlerFn = Callable[[AsyncSession, Event], Awaitable[None]]


@dataclass(frozen=True)
class Handler:
    subject: str  # unqualified, e.g. intake.contact.recorded.v1
    message_type: type[Message]
    fn: HandlerFn


class PoisonMessage(Exception):
    """The message can never be handled (unknown subject, undecodable payload)."""


async def claim_in_inbox(session: AsyncSession, consumer: str, event_id: str, subject: str) -> bool:
    """Record the event as handled by this consumer; False if it already was."""
    return await insert_ignoring_conflict(
        session,
        inbox,
        {"consumer": consumer, "event_id": event_id, "subject": subject, "handled_at": utcnow()},
        ["consumer", "event_id"],
    )


def retry_delay(attempt: int) -> float:
    return min(0.5 * 2.0 ** (attempt - 1), 30.0)


class SeqHorizon:
    """The highest producer seq known to exist, and since when. A seq still missing below a high
    first seen more than `grace` seconds ago is no longer an open transaction of the producer."""

    def __init__(self, grace_seconds: float):
        self.grace = grace_seconds
        self._marks: deque[tuple[int, float]] = deque()  # (new high, when first seen), rising
        self._settled = 0

    def observe(self, seq: int) -> None:
        if seq > (self._marks[-1][0] if self._marks else self._settled):
            self._marks.append((seq, time.monotonic()))
        self.settled()  # keeps the deque to the grace window

    def settled(self) -> int:
        """The highest seq known to exist for at least the grace period."""
        cutoff = time.monotonic() - self.grace
        while self._marks and self._marks[0][1] <= cutoff:
            self._settled = self._marks.popleft()[0]
        return self._settled


class Consumer:
    def __init__(
        self,
        name: str,
        producer: str,
        handlers: list[Handler],
        db: Database,
        broker: Broker,
        *,
        max_deliver: int = 5,
        ack_wait_seconds: float = 30.0,
        batch_size: int = 100,
    ):
        self.name = name
        self.producer = producer
        self.handlers = {h.subject: h for h in handlers}
        self.db = db
        self.broker = broker
        self.max_deliver = max_deliver
        self.ack_wait_seconds = ack_wait_seconds
        self.batch_size = batch_size
        self._stopping = False
        self._sub: JetStreamContext.PullSubscription | None = None
        self._epoch = -1
        # Set by a GapCheck: the producer seqs this consumer has been delivered.
        self.horizon: SeqHorizon | None = None

    @property
    def durable(self) -> str:
        return self.broker.namespace.durable(self.name)

    def config(self) -> ConsumerConfig:
        ns = self.broker.namespace
        return ConsumerConfig(
            durable_name=self.durable,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            max_deliver=self.max_deliver,
            ack_wait=self.ack_wait_seconds,
            max_ack_pending=1000,
            filter_subjects=[ns.subject(s) for s in sorted(self.handlers)],
        )

    async def provision(self) -> JetStreamContext.PullSubscription:
        """Create or update the durable explicitly (subscribing does not update its config)."""
        js = self.broker.jetstream()
        stream = self.broker.namespace.stream(self.producer)
        # Create the producer's stream only when missing (a consumer that starts first): a
        # consumer's NATS user may not change another service's stream.
        if not await self.broker.stream_exists(self.producer):
            await self.broker.ensure_stream(self.producer)
        await js.add_consumer(stream, self.config())
        self._sub = sub = await js.pull_subscribe_bind(self.durable, stream=stream)
        self._epoch = self.broker.epoch
        return sub

    def stop(self) -> None:
        self._stopping = True

    async def run(self) -> None:
        failures = 0
        while not self._stopping:
            if not self.broker.connected:
                await self.broker.wait_connected(timeout=1.0)
                continue
            try:
                # Watchdog: after a (re)connect the server may have restarted; bind again.
                sub = self._sub
                if sub is None or self._epoch != self.broker.epoch:
                    sub = await self.provision()
                messages = await sub.fetch(self.batch_size, timeout=1.0)
                failures = 0
            except (TimeoutError, nats.errors.TimeoutError):
                continue
            except Exception as exc:  # noqa: BLE001 - re-provision and retry
                failures += 1
                self._sub = None
                log.warning(
                    "consumer fetch failed",
                    extra={"consumer": self.name, "error": f"{type(exc).__name__}: {exc}"[:200]},
                )
                await asyncio.sleep(min(0.2 * failures, 3.0))
                continue
            # Finish the whole batch even when stopping: it is in-flight work.
            for msg in messages:
                await self.process(msg)

    def decode(self, msg: Msg) -> tuple[Event, Handler]:
        headers = msg.headers or {}
        subject = self.broker.namespace.unqualified(msg.subject)
        handler = self.handlers.get(subject)
        if handler is None:
            raise PoisonMessage(f"no handler for {subject}")
        event_id = headers.get("Nats-Msg-Id")
        if not event_id:
            raise PoisonMessage("event has no Nats-Msg-Id")
        seq = self.check_origin(subject, headers)
        try:
            payload = handler.message_type.FromString(msg.data)
            occurred_at = datetime.fromisoformat(headers[HEADER_OCCURRED_AT])
        except (DecodeError, KeyError, ValueError) as exc:
            raise PoisonMessage(f"undecodable event: {type(exc).__name__}") from exc
        return Event(event_id, subject, self.producer, seq, occurred_at, payload), handler

    def check_origin(self, subject: str, headers: dict[str, str]) -> int:
        """The producer's outbox seq of an event its relay published, or PoisonMessage: an event
        without the producer's headers, or on a subject the producer does not own, was not
        written by the producer's outbox (a forged publish) and is never counted."""
        if subject.split(".", 1)[0] != self.producer:
            raise PoisonMessage(f"subject {subject} is not {self.producer}'s")
        if headers.get(HEADER_PRODUCER) != self.producer:
            raise PoisonMessage(f"event lacks the {HEADER_PRODUCER} header of {self.producer}")
        raw_seq = headers.get(HEADER_SEQ, "")
        if not raw_seq.isdigit() or int(raw_seq) < 1:
            raise PoisonMessage(f"event lacks a valid {HEADER_SEQ} header")
        return int(raw_seq)

    @contextlib.contextmanager
    def span(
        self, subject: str, event_id: str, carrier: dict[str, str], **attributes: AttributeValue
    ) -> Iterator[trace.Span]:
        """The consumer span of one event, child of the trace its state change started."""
        with tracer.start_as_current_span(
            f"{self.broker.namespace.unqualified(subject)} process",
            context=propagate.extract(carrier),
            kind=trace.SpanKind.CONSUMER,
            attributes={
                "messaging.system": "nats",
                "messaging.operation.type": "process",
                "messaging.destination.name": subject,
                "messaging.consumer.group.name": self.durable,
                "messaging.message.id": event_id,
                **attributes,
            },
        ) as span:
            yield span

    async def handle(self, event: Event, handler: Handler) -> bool:
        """The one way an event is applied, delivered by NATS or replayed by its producer: claim it in
        the inbox and run the handler in one transaction. False if it was handled before."""
        async with self.db.transaction() as session:
            if not await claim_in_inbox(session, self.name, event.id, event.subject):
                return False
            await handler.fn(session, event)
        return True

    async def process(self, msg: Msg) -> None:
        headers = msg.headers or {}
        with self.span(msg.subject, headers.get("Nats-Msg-Id", ""), headers) as span:
            try:
                event, handler = self.decode(msg)
                if self.horizon is not None:
                    self.horizon.observe(event.seq)
                if not await self.handle(event, handler):
                    span.set_attribute("hotline.duplicate", True)
            except PoisonMessage as exc:
                await self._dead_letter(msg, exc)
                return
            except Exception as exc:  # noqa: BLE001 - retried, then dead-lettered
                span.record_exception(exc)
                attempt = msg.metadata.num_delivered
                if attempt >= self.max_deliver:
                    await self._dead_letter(msg, exc)
                else:
                    log.warning(
                        "event handling failed; will retry",
                        extra={"consumer": self.name, "attempt": attempt, "error": type(exc).__name__},
                    )
                    await msg.nak(delay=retry_delay(attempt))
                return
            # Ack only after the local commit: a crash before this line means a redelivery,
            # which the inbox turns into a no-op.
            await msg.ack()

    async def _dead_letter(self, msg: Msg, exc: Exception) -> None:
        await self.dead_letter(msg.subject, msg.data, dict(msg.headers or {}), exc)
        await msg.term()

    async def dead_letter(self, subject: str, data: bytes, headers: dict[str, str], exc: Exception) -> None:
        """Copy an event that can never be handled to the dead-letter stream, with its error."""
        event_id = headers.get("Nats-Msg-Id", "")
        headers.update(
            {
                "Nats-Msg-Id": f"{event_id}:{self.name}",
                "Hotline-Original-Subject": subject,
                "Hotline-Consumer": self.name,
                # The type and message of the error only: handlers never put personal data in errors.
                "Hotline-Error": f"{type(exc).__name__}: {exc}"[:500],
            }
        )
        dead_letter_subject = self.broker.namespace.subject(f"{DEAD_LETTER}.{self.durable}")
        await self.broker.jetstream().publish(dead_letter_subject, data, headers=headers, timeout=5.0)
        log.error("event dead-lettered", extra={"consumer": self.name, "error": type(exc).__name__})
