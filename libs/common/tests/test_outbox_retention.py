"""Published outbox rows are kept for the retention window (for replays), then purged; unpublished
rows are never purged."""

from datetime import timedelta

from sqlalchemy import select, update

from hotline.events.v1 import intake_pb2
from hotline_common.db import Database, utcnow
from hotline_common.events.broker import Broker
from hotline_common.events.catalog import Namespace
from hotline_common.events.outbox import OutboxRelay, add_event
from hotline_common.events.schema import event_metadata, outbox


async def test_only_published_rows_older_than_retention_are_purged(database_url):
    db = Database(database_url)
    async with db.engine.begin() as conn:
        await conn.run_sync(event_metadata.create_all)
    async with db.transaction() as session:
        ids = [
            await add_event(session, "intake.contact.recorded.v1", intake_pb2.ContactRecorded(contact_id=str(i)))
            for i in range(3)
        ]
    now = utcnow()
    async with db.transaction() as session:
        await session.execute(
            update(outbox).where(outbox.c.event_id == ids[0]).values(published_at=now - timedelta(days=8))
        )
        await session.execute(
            update(outbox).where(outbox.c.event_id == ids[1]).values(published_at=now - timedelta(days=1))
        )
    relay = OutboxRelay(
        db, Broker("nats://127.0.0.1:1", name="t", namespace=Namespace()), "intake", retention=timedelta(days=7)
    )
    assert await relay.purge_published() == 1
    async with db.reader() as session:
        remaining = set((await session.scalars(select(outbox.c.event_id))).all())
    assert remaining == {ids[1], ids[2]}
    await db.dispose()
