"""Don't trust the broker alone: events JetStream lost are replayed from the producer's outbox over
gRPC and applied once; holes the producer doesn't have never block a consumer's watermark.
Real nats-server, real gRPC, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys

import grpc
import pytest
from sqlalchemy import Column, MetaData, String, Table, delete, func, insert, select

from hotline.events.v1 import intake_pb2, replay_pb2, replay_pb2_grpc
from hotline_common.auth import TokenIssuer, TokenVerifier, generate_signing_keypair
from hotline_common.db import Database, new_id
from hotline_common.events import replay
from hotline_common.events.broker import Broker
from hotline_common.events.catalog import Namespace
from hotline_common.events.consumer import Consumer, Handler
from hotline_common.events.gaps import GapCheck, load_watermark, save_watermark
from hotline_common.events.outbox import HEADER_SEQ, OutboxRelay, add_event
from hotline_common.events.schema import event_metadata, outbox
from hotline_common.grpc_server import build_grpc_server
from hotline_common.service_identity import SelfSignedTokens, call_metadata
from hotline_devstack.ports import free_port
from hotline_devstack.testing import eventually

SUBJECT = "intake.contact.recorded.v1"
OTHER_SUBJECT = "intake.contact.reviewed.v1"  # the producer's, but not this consumer's
CONSUMER = "test.replayed-effects"

# The producer replays to services only, each its own subjects: here the test consumer is reporting's.
_PRIVATE, _PUBLIC = generate_signing_keypair()
VERIFIER = TokenVerifier(issuer="hotline-embedded", audience="hotline", public_key_pem=_PUBLIC)
REPORTING = SelfSignedTokens(TokenIssuer(_PRIVATE, issuer="hotline-embedded", audience="hotline"), "reporting")
READERS = {"reporting": frozenset({SUBJECT})}

state = MetaData()
effects = Table("effects", state, Column("event_id", String(36), primary_key=True))


@pytest.fixture
async def db(database_url):
    database = Database(database_url)
    async with database.engine.begin() as conn:
        await conn.run_sync(event_metadata.create_all)
        await conn.run_sync(state.create_all)
    yield database
    await database.dispose()


@pytest.fixture
async def broker(nats_server, namespace):
    broker = Broker(nats_server.url, name="test", namespace=Namespace(namespace))
    broker.start()
    assert await broker.wait_connected(10)
    await broker.ensure_stream("intake")
    await broker.ensure_dead_letter_stream()
    yield broker
    await broker.close()


@pytest.fixture
async def event_log(db):
    """The producer's EventLog gRPC service over its outbox (here: the same test database)."""
    port = free_port()
    server, _, _ = build_grpc_server("127.0.0.1", port, [replay.registration(db, VERIFIER, READERS)])
    await server.start()
    yield f"127.0.0.1:{port}"
    await server.stop(0)


class Healing:
    """A consumer with its gap check, recording every event its handler applied."""

    def __init__(self, db: Database, broker: Broker, target: str, *, grace: float):
        self.applied: list[str] = []
        self.consumer = Consumer(
            CONSUMER, "intake", [Handler(SUBJECT, intake_pb2.ContactRecorded, self.apply)], db, broker
        )
        self.gaps = GapCheck(self.consumer, target, REPORTING, interval_seconds=0.2, grace_seconds=grace)

    async def apply(self, session, event) -> None:
        self.applied.append(event.id)
        await session.execute(insert(effects).values(event_id=event.id))


@contextlib.asynccontextmanager
async def healing(db, broker, target, *, delivered: int, grace: float = 1.0):
    """Gap checks start once NATS has delivered what it still has (`delivered` effects), so what a
    replay applies is exactly what the broker lost."""
    runner = Healing(db, broker, target, grace=grace)
    tasks = [asyncio.create_task(runner.consumer.run())]
    try:
        await eventually(lambda: _equals(effect_count(db), delivered), message=f"{delivered} delivered by NATS")
        tasks.append(asyncio.create_task(runner.gaps.run()))
        yield runner
    finally:
        runner.consumer.stop()
        runner.gaps.stop()
        await asyncio.wait(tasks, timeout=10)
        for task in tasks:
            task.cancel()


async def record(db: Database, n: int = 1, subject: str = SUBJECT) -> list[str]:
    ids = []
    for _ in range(n):
        async with db.transaction() as session:
            ids.append(await add_event(session, subject, intake_pb2.ContactRecorded(contact_id=new_id(), line="152")))
    return ids


async def publish_all(db: Database, broker: Broker) -> None:
    relay = OutboxRelay(db, broker, "intake")
    while await relay.publish_pending():
        pass


async def seq_of(db: Database, event_id: str) -> int:
    async with db.reader() as session:
        return await session.scalar(select(outbox.c.seq).where(outbox.c.event_id == event_id))


async def lose(broker: Broker, seq: int) -> None:
    """The broker acknowledged the event, then lost it: delete it from the stream."""
    stream = broker.namespace.stream("intake")
    info = await broker.js.stream_info(stream)
    for stream_seq in range(info.state.first_seq, info.state.last_seq + 1):
        msg = await broker.js.get_msg(stream, stream_seq)
        if msg.headers[HEADER_SEQ] == str(seq):
            assert await broker.js.delete_msg(stream, stream_seq)
            return
    raise AssertionError(f"seq {seq} not in the stream")


async def effect_count(db: Database) -> int:
    async with db.reader() as session:
        return await session.scalar(select(func.count()).select_from(effects))


async def latest_seq(db: Database) -> int:
    async with db.reader() as session:
        return await session.scalar(select(func.max(outbox.c.seq)))


async def watermark_is(db: Database, seq: int) -> bool:
    return await load_watermark(db, CONSUMER) == seq


async def test_an_event_lost_by_the_broker_is_replayed_and_applied_once(db, broker, event_log):
    ids = await record(db, 5)
    await publish_all(db, broker)
    await lose(broker, await seq_of(db, ids[2]))
    async with healing(db, broker, event_log, delivered=4) as runner:
        await eventually(lambda: watermark_is(db, 5), timeout=20, message="watermark past the lost event")
    assert sorted(runner.applied) == sorted(ids), "each event applied exactly once"
    assert await effect_count(db) == 5
    assert runner.gaps.healed == 1
    assert (await broker.js.stream_info(broker.namespace.stream("intake"))).state.messages == 4


async def test_holes_the_producer_does_not_have_do_not_block_the_watermark(db, broker, event_log):
    ours = await record(db, 1)
    with pytest.raises(RuntimeError):  # on PostgreSQL the rolled-back seq stays a hole
        async with db.transaction() as session:
            await add_event(session, SUBJECT, intake_pb2.ContactRecorded(contact_id="rolled-back"))
            raise RuntimeError("the state change failed")
    vanished = await record(db, 1)
    await record(db, 1, subject=OTHER_SUBJECT)
    ours += await record(db, 1)
    async with db.transaction() as session:  # a hole on SQLite too
        await session.execute(delete(outbox).where(outbox.c.event_id == vanished[0]))
    await publish_all(db, broker)
    top = await latest_seq(db)

    # Within the grace period a missing seq may be an open transaction: the watermark waits.
    async with healing(db, broker, event_log, delivered=2, grace=3600) as runner:
        await eventually(lambda: _true(runner.gaps.watermark == 0), message="a check ran")
    assert await load_watermark(db, CONSUMER) == 0

    # After it, what the producer doesn't return is absent and the watermark moves past it.
    async with healing(db, broker, event_log, delivered=2, grace=0.5) as runner:
        await eventually(lambda: watermark_is(db, top), timeout=20, message="watermark past the holes")
    assert runner.gaps.healed == 0 and runner.applied == []
    assert await effect_count(db) == 2


async def test_a_lost_tail_event_is_noticed_through_the_producers_latest_seq(db, broker, event_log):
    ids = await record(db, 3)
    await publish_all(db, broker)
    await lose(broker, await seq_of(db, ids[-1]))  # nothing newer ever arrives to reveal the gap
    async with healing(db, broker, event_log, delivered=2) as runner:
        await eventually(lambda: _equals(effect_count(db), 3), timeout=20, message="the tail event healed")
        await eventually(lambda: watermark_is(db, 3), message="watermark at the tail")
    assert sorted(runner.applied) == sorted(ids)
    assert runner.gaps.healed == 1


async def test_replaying_events_already_handled_changes_nothing(db, broker, event_log):
    ids = await record(db, 4)
    await publish_all(db, broker)
    async with healing(db, broker, event_log, delivered=4) as runner:
        await eventually(lambda: watermark_is(db, 4), timeout=20, message="all handled")
    assert sorted(runner.applied) == sorted(ids) and runner.gaps.healed == 0

    # Forget the watermark: the next checks replay everything again.
    await save_watermark(db, CONSUMER, "intake", 0)
    async with healing(db, broker, event_log, delivered=4) as runner:
        await eventually(lambda: watermark_is(db, 4), timeout=20, message="watermark back at 4")
        # The replay path itself stops a duplicate in the inbox, as a NATS redelivery is stopped.
        async with grpc.aio.insecure_channel(event_log) as channel:
            response = await replay_pb2_grpc.EventLogStub(channel).Replay(
                replay_pb2.ReplayRequest(after_seq=0, up_to_seq=4, subjects=[SUBJECT]),
                metadata=await call_metadata(REPORTING),
            )
        assert [await runner.gaps._handle(stored) for stored in response.events] == [False] * 4
    assert runner.applied == [] and runner.gaps.healed == 0
    assert await effect_count(db) == 4


async def test_replay_answers_a_range_by_subject_page_by_page(db, event_log):
    ours = await record(db, 2) + await record(db, 1, subject=OTHER_SUBJECT) + await record(db, 2)
    async with grpc.aio.insecure_channel(event_log) as channel:
        stub = replay_pb2_grpc.EventLogStub(channel)
        meta = await call_metadata(REPORTING)
        first = await stub.Replay(
            replay_pb2.ReplayRequest(after_seq=0, up_to_seq=100, subjects=[SUBJECT], limit=3), metadata=meta
        )
        rest = await stub.Replay(
            replay_pb2.ReplayRequest(after_seq=first.covered_up_to_seq, up_to_seq=100, subjects=[SUBJECT], limit=3),
            metadata=meta,
        )
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await stub.Replay(replay_pb2.ReplayRequest(after_seq=-1, up_to_seq=1), metadata=meta)
    assert [e.seq for e in first.events] == [1, 2, 4] and first.covered_up_to_seq == 4
    assert [e.seq for e in rest.events] == [5] and rest.covered_up_to_seq == 5, "nothing covered past the latest"
    assert first.latest_seq == rest.latest_seq == 5
    replayed = [*first.events, *rest.events]
    assert [e.event_id for e in replayed] == [ours[0], ours[1], ours[3], ours[4]]
    assert {intake_pb2.ContactRecorded.FromString(e.payload).line for e in replayed} == {"152"}
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_a_malformed_event_sources_setting_is_named():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from hotline_common.settings import ServiceSettings, load_settings;load_settings(ServiceSettings)",
        ],
        env={
            "HTTP_PORT": "1",
            "GRPC_PORT": "2",
            "DATABASE_URL": "sqlite+aiosqlite:///x.db",
            "EVENT_SOURCES": "intake=127.0.0.1:50051,referrals",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "EVENT_SOURCES:" in done.stderr and "'referrals'" in done.stderr and "Traceback" not in done.stderr


async def _equals(awaitable, expected) -> bool:
    return (await awaitable) == expected


async def _true(value) -> bool:
    return bool(value)
