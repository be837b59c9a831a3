"""Outbox, relay, consumers and inbox against a real nats-server, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib

import nats
import pytest
from sqlalchemy import Column, MetaData, String, Table, func, insert, select, update

from hotline.events.v1 import intake_pb2
from hotline_common.db import Database, new_id
from hotline_common.events.broker import Broker
from hotline_common.events.catalog import Namespace
from hotline_common.events.consumer import Consumer, Handler
from hotline_common.events.outbox import OutboxRelay, add_event
from hotline_common.events.schema import event_metadata, inbox, outbox
from hotline_devstack.nats import NatsServer
from hotline_devstack.ports import free_port
from hotline_devstack.testing import eventually

SUBJECT = "intake.contact.recorded.v1"

state = MetaData()
widgets = Table("widgets", state, Column("id", String(36), primary_key=True))
effects = Table("effects", state, Column("event_id", String(36), primary_key=True))


@pytest.fixture
async def db(database_url):
    database = Database(database_url)
    async with database.engine.begin() as conn:
        await conn.run_sync(event_metadata.create_all)
        await conn.run_sync(state.create_all)
    yield database
    await database.dispose()


@contextlib.asynccontextmanager
async def running(*runners):
    tasks = [asyncio.create_task(r.run()) for r in runners]
    try:
        yield
    finally:
        for r in runners:
            r.stop()
        await asyncio.wait(tasks, timeout=10)
        for t in tasks:
            t.cancel()


async def connected_broker(url: str, namespace: str) -> Broker:
    broker = Broker(url, name="test", namespace=Namespace(namespace))
    broker.start()
    assert await broker.wait_connected(10)
    await broker.ensure_stream("intake")
    await broker.ensure_dead_letter_stream()
    return broker


async def record(db: Database, n: int = 1) -> list[str]:
    ids = []
    for _ in range(n):
        async with db.transaction() as session:
            widget = new_id()
            await session.execute(insert(widgets).values(id=widget))
            ids.append(await add_event(session, SUBJECT, intake_pb2.ContactRecorded(contact_id=widget, line="152")))
    return ids


async def count(db: Database, table) -> int:
    async with db.reader() as session:
        return await session.scalar(select(func.count()).select_from(table))


async def remember_effect(session, event) -> None:
    await session.execute(insert(effects).values(event_id=event.id))


async def stream_messages(broker: Broker, producer: str) -> int:
    info = await broker.js.stream_info(broker.namespace.stream(producer))
    return info.state.messages


async def test_state_change_and_event_commit_together_or_not_at_all(db):
    with pytest.raises(RuntimeError):
        async with db.transaction() as session:
            await session.execute(insert(widgets).values(id=new_id()))
            await add_event(session, SUBJECT, intake_pb2.ContactRecorded(contact_id="x"))
            raise RuntimeError("the handler failed after writing")
    assert await count(db, widgets) == 0
    assert await count(db, outbox) == 0
    await record(db, 2)
    assert await count(db, widgets) == 2
    assert await count(db, outbox) == 2


async def test_relay_publishes_once_and_consumer_applies_once(db, nats_server, namespace):
    broker = await connected_broker(nats_server.url, namespace)
    relay = OutboxRelay(db, broker, "intake")
    consumer = Consumer(
        "test.effects", "intake", [Handler(SUBJECT, intake_pb2.ContactRecorded, remember_effect)], db, broker
    )
    async with running(relay, consumer):
        event_ids = await record(db, 5)
        await eventually(lambda: _equals(count(db, effects), 5), message="5 effects")
        # Publish every row again, as a relay that crashed before marking them would: the stream
        # drops the copies (same Nats-Msg-Id) and nothing is applied twice.
        async with db.transaction() as session:
            await session.execute(update(outbox).values(published_at=None))
        relay.wake()
        await eventually(lambda: _equals(_unpublished(db), 0), message="republished")
    assert await stream_messages(broker, "intake") == 5
    async with db.reader() as session:
        assert sorted((await session.scalars(select(effects.c.event_id))).all()) == sorted(event_ids)
        seqs = (await session.scalars(select(outbox.c.seq).order_by(outbox.c.seq))).all()
    assert seqs == sorted(seqs) and len(set(seqs)) == 5
    await broker.close()


async def test_redelivery_after_a_lost_ack_changes_nothing(db, nats_server, namespace):
    """A consumer that commits and dies before its ack: the event comes again, the inbox stops it."""
    broker = await connected_broker(nats_server.url, namespace)
    consumer = Consumer(
        "test.lost-ack",
        "intake",
        [Handler(SUBJECT, intake_pb2.ContactRecorded, remember_effect)],
        db,
        broker,
        ack_wait_seconds=1.0,
    )
    deliveries = []
    real_process = consumer.process

    async def process_dropping_first_ack(msg):
        deliveries.append(msg.metadata.num_delivered)
        if len(deliveries) == 1:

            async def lost_ack():
                return None

            msg.ack = lost_ack  # the process "crashes" between commit and ack
        await real_process(msg)

    consumer.process = process_dropping_first_ack
    relay = OutboxRelay(db, broker, "intake")
    async with running(relay, consumer):
        await record(db, 1)
        await eventually(lambda: _true(len(deliveries) >= 2), timeout=20, message="redelivery")
    assert deliveries[:2] == [1, 2]
    assert await count(db, effects) == 1
    assert await count(db, inbox) == 1
    await broker.close()


async def test_failing_event_is_retried_then_dead_lettered(db, nats_server, namespace):
    broker = await connected_broker(nats_server.url, namespace)
    attempts = []

    async def always_fails(session, event):
        attempts.append(event.id)
        await session.execute(insert(effects).values(event_id=event.id))
        raise ValueError("projection bug")

    consumer = Consumer(
        "test.poison", "intake", [Handler(SUBJECT, intake_pb2.ContactRecorded, always_fails)], db, broker, max_deliver=2
    )
    relay = OutboxRelay(db, broker, "intake")
    async with running(relay, consumer):
        [event_id] = await record(db, 1)
        await eventually(lambda: _equals(stream_messages(broker, "deadletter"), 1), timeout=20, message="dead letter")
    assert attempts == [event_id, event_id]
    assert await count(db, effects) == 0, "the failed handler's writes were rolled back"
    assert await count(db, inbox) == 0
    msg = await broker.js.get_msg(broker.namespace.stream("deadletter"), 1)
    assert msg.headers["Hotline-Error"] == "ValueError: projection bug"
    assert msg.headers["Hotline-Consumer"] == "test.poison"
    assert intake_pb2.ContactRecorded.FromString(msg.data).line == "152"
    await broker.close()


async def test_undecodable_message_goes_straight_to_dead_letter(db, nats_server, namespace):
    broker = await connected_broker(nats_server.url, namespace)
    consumer = Consumer(
        "test.garbage", "intake", [Handler(SUBJECT, intake_pb2.ContactRecorded, remember_effect)], db, broker
    )
    async with running(consumer):
        await broker.js.publish(
            broker.namespace.subject(SUBJECT),
            b"\xff\xff not protobuf",
            headers={"Nats-Msg-Id": new_id(), "Hotline-Occurred-At": "2026-01-01T00:00:00+00:00"},
        )
        await eventually(lambda: _equals(stream_messages(broker, "deadletter"), 1), message="dead letter")
    assert await count(db, effects) == 0
    await broker.close()


async def test_outbox_waits_while_nats_is_down(db, tmp_path, namespace):
    late = NatsServer(tmp_path / "late-nats", free_port(), password_cost=4)  # its admin URL, not started yet
    broker = Broker(late.url, name="test", namespace=Namespace(namespace))
    broker.start()
    relay = OutboxRelay(db, broker, "intake", idle_poll_seconds=0.1)
    server = None
    try:
        async with running(relay):
            await record(db, 3)
            assert not await broker.wait_connected(0.5)
            assert await _unpublished(db) == 3, "rows wait for the broker"
            server = late.start()
            assert await broker.wait_connected(15)
            await broker.ensure_stream("intake")
            await eventually(lambda: _equals(_unpublished(db), 0), timeout=20, message="published after start")
        nc = await nats.connect(late.url)
        info = await nc.jetstream().stream_info(Namespace(namespace).stream("intake"))
        assert info.state.messages == 3
        await nc.close()
    finally:
        await broker.close()
        if server:
            server.stop()


async def _unpublished(db: Database) -> int:
    async with db.reader() as session:
        return await session.scalar(select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None)))


async def _equals(awaitable, expected) -> bool:
    return (await awaitable) == expected


async def _true(value) -> bool:
    return bool(value)
