"""The event tables every service's database holds: outbox and inbox (created by its first migration)
and the consumers' watermarks (revision 0002)."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import JSON, BigInteger, Column, Connection, Index, Integer, LargeBinary, MetaData, String, Table

from hotline_common.db import UTCDateTime


class Operations(Protocol):
    """What these helpers use of a migration's `alembic.op`."""

    def get_bind(self) -> Connection: ...


event_metadata = MetaData()

# seq is the producer's outbox sequence number; every event carries it so a consumer can notice gaps.
outbox = Table(
    "outbox",
    event_metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("subject", String(200), nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    # W3C trace context captured when the state change was written.
    Column("trace_headers", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("published_at", UTCDateTime, nullable=True),
)
Index("ix_outbox_unpublished", outbox.c.published_at, outbox.c.seq)

# (consumer, event_id) inserted in the handler's own transaction: a redelivery changes nothing twice.
inbox = Table(
    "inbox",
    event_metadata,
    Column("consumer", String(100), primary_key=True),
    Column("event_id", String(36), primary_key=True),
    Column("subject", String(200), nullable=False),
    Column("handled_at", UTCDateTime, nullable=False),
)


# Per consumer: every seq of its producer up to contiguous_seq was handled or proven absent, so a
# gap check only asks the producer for what came after it.
event_watermarks = Table(
    "event_watermarks",
    event_metadata,
    Column("consumer", String(100), primary_key=True),
    Column("producer", String(50), nullable=False),
    Column("contiguous_seq", BigInteger, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)


def create_event_tables(op: Operations) -> None:
    """For a service's first Alembic revision; a fresh database gets every event table at once."""
    event_metadata.create_all(bind=op.get_bind())


def drop_event_tables(op: Operations) -> None:
    event_metadata.drop_all(bind=op.get_bind())


def create_watermark_table(op: Operations) -> None:
    """For revision 0002: databases made by 0001 before the watermarks existed get the table too."""
    event_watermarks.create(bind=op.get_bind(), checkfirst=True)


def drop_watermark_table(op: Operations) -> None:
    event_watermarks.drop(bind=op.get_bind(), checkfirst=True)
