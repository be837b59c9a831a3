"""`reporting rebuild`: drop the projections and replay every stream from its first message.

The replay reads each producer's stream through a fresh, uniquely named durable that starts at
sequence 1 and uses the consumers' own decode and handle (inbox claim + handler in one
transaction), so a rebuilt projection is built by exactly the code that built it live. Running
while the service also consumes is safe: the inbox lets each event in once, whichever path comes
first. Events the broker lost are not in a stream; the periodic gap check heals those as always.
"""

from __future__ import annotations

import logging
import uuid

import nats.errors
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from sqlalchemy import delete

from hotline_common.db import Database
from hotline_common.events.broker import Broker
from hotline_common.events.consumer import Consumer
from hotline_common.events.schema import event_watermarks, inbox
from reporting.settings import ReportingSettings
from reporting.statistics.models import PROJECTION_TABLES

log = logging.getLogger("reporting.rebuild")


async def clear_projections(db: Database, consumers: list[Consumer]) -> None:
    names = [c.name for c in consumers]
    async with db.transaction() as session:
        for model in PROJECTION_TABLES:
            await session.execute(delete(model))
        await session.execute(delete(inbox).where(inbox.c.consumer.in_(names)))
        await session.execute(delete(event_watermarks).where(event_watermarks.c.consumer.in_(names)))


async def replay_stream(consumer: Consumer, *, batch: int = 500) -> int:
    """Feed every message of the consumer's stream (its subjects) through its handlers; how many."""
    broker = consumer.broker
    stream = broker.namespace.stream(consumer.producer)
    await broker.ensure_stream(consumer.producer)
    js = broker.jetstream()
    durable = f"{consumer.durable}_rebuild_{uuid.uuid4().hex[:8]}"
    config = ConsumerConfig(
        durable_name=durable,
        ack_policy=AckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.ALL,
        max_ack_pending=10_000,
        ack_wait=60,
        filter_subjects=consumer.config().filter_subjects,
    )
    await js.add_consumer(stream, config)
    handled = 0
    try:
        subscription = await js.pull_subscribe_bind(durable, stream=stream)
        while True:
            info = await js.consumer_info(stream, durable)
            if info.num_pending == 0 and info.num_ack_pending == 0:
                break
            try:
                messages = await subscription.fetch(batch, timeout=1.0)
            except (TimeoutError, nats.errors.TimeoutError):
                continue
            for msg in messages:
                event, handler = consumer.decode(msg)
                await consumer.handle(event, handler)
                await msg.ack()
                handled += 1
        await subscription.unsubscribe()
    finally:
        await js.delete_consumer(stream, durable)
    return handled


async def rebuild(db: Database, broker: Broker, consumers: list[Consumer]) -> dict[str, int]:
    await clear_projections(db, consumers)
    counts = {}
    for consumer in consumers:
        counts[consumer.name] = await replay_stream(consumer)
        log.info("replayed", extra={"consumer": consumer.name, "events": counts[consumer.name]})
    return counts


async def rebuild_command(settings: ReportingSettings) -> None:
    """The CLI entry: builds the runtime's consumers (not its servers) and rebuilds."""
    from reporting.app import build_runtime

    runtime = build_runtime(settings)
    runtime.broker.start()
    try:
        if not await runtime.broker.wait_connected(30):
            raise SystemExit(f"NATS not reachable at {settings.nats_url} within 30s (NATS_URL)")
        counts = await rebuild(runtime.db, runtime.broker, runtime.consumers)
    finally:
        await runtime.broker.close()
        await runtime.db.dispose()
    print("rebuilt: " + ", ".join(f"{name} {n} events" for name, n in counts.items()))
