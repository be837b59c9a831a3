"""Test helpers: producers that publish real events through an outbox and relay to a nats-server,
and reporting's own durable consumers running over them."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime

from google.protobuf.message import Message
from sqlalchemy import func, select

from hotline_common.db import Database
from hotline_common.events.broker import Broker
from hotline_common.events.consumer import Consumer
from hotline_common.events.outbox import OutboxRelay, add_event
from hotline_common.events.schema import event_metadata
from hotline_devstack.testing import eventually
from reporting.statistics.events import CONSUMERS
from reporting.statistics.models import ProjectionLag


class Producers:
    """intake, referrals and coordination as far as events go: an outbox each, a relay each."""

    def __init__(self, tmp_path, broker: Broker):
        self.tmp_path = tmp_path
        self.broker = broker
        self.dbs: dict[str, Database] = {}
        self.relays: dict[str, OutboxRelay] = {}
        self.sent = 0

    async def _db(self, producer: str) -> Database:
        if producer not in self.dbs:
            database = Database(f"sqlite+aiosqlite:///{self.tmp_path / (producer + '.db')}")
            async with database.engine.begin() as conn:
                await conn.run_sync(event_metadata.create_all)
            await self.broker.ensure_stream(producer)
            self.dbs[producer] = database
            self.relays[producer] = OutboxRelay(database, self.broker, producer)
        return self.dbs[producer]

    async def emit(self, subject: str, message: Message) -> None:
        producer = subject.split(".", 1)[0]
        database = await self._db(producer)
        async with database.transaction() as session:
            await add_event(session, subject, message)
        self.sent += 1

    async def publish_all(self) -> None:
        for relay in self.relays.values():
            await relay.publish_pending()

    async def close(self) -> None:
        for database in self.dbs.values():
            await database.dispose()


def reporting_consumers(db: Database, broker: Broker) -> list[Consumer]:
    return [
        Consumer(name, producer, handlers, db, broker, max_deliver=3, ack_wait_seconds=5)
        for name, (producer, handlers) in CONSUMERS.items()
    ]


@contextlib.asynccontextmanager
async def consuming(db: Database, broker: Broker):
    consumers = reporting_consumers(db, broker)
    for consumer in consumers:
        await consumer.provision()
    tasks = [asyncio.create_task(c.run()) for c in consumers]
    try:
        yield consumers
    finally:
        for c in consumers:
            c.stop()
        await asyncio.wait(tasks, timeout=10)
        for t in tasks:
            t.cancel()


async def applied(db: Database) -> int:
    async with db.reader() as session:
        return await session.scalar(select(func.coalesce(func.sum(ProjectionLag.events_applied), 0)))


async def wait_applied(db: Database, n: int, timeout: float = 30.0) -> None:
    async def check():
        return await applied(db) >= n

    await eventually(check, timeout=timeout, message=f"{n} events applied")


def stamp(message_field, moment: datetime) -> None:
    message_field.FromDatetime(moment)
