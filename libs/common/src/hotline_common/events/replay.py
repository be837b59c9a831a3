"""The EventLog gRPC service every producer serves from its own outbox: a consumer asks it for
events the broker acknowledged and then lost.

Unauthenticated on purpose: there is no user behind a gap check, and events carry codes only (no
names, phones or notes), so a replay reveals nothing an event subscriber could not already read.
Who can reach a service's gRPC port at all is restricted by the deployment's NetworkPolicies.
"""

from __future__ import annotations

import grpc
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import func, select

from hotline.events.v1 import replay_pb2, replay_pb2_grpc
from hotline_common.db import Database
from hotline_common.errors import InvalidInput
from hotline_common.events.schema import outbox
from hotline_common.grpc_server import Registration

DEFAULT_LIMIT = 500
MAX_LIMIT = 1000


async def read_outbox(db: Database, request: replay_pb2.ReplayRequest) -> replay_pb2.ReplayResponse:
    if request.after_seq < 0 or request.limit < 0:
        raise InvalidInput.single("after_seq" if request.after_seq < 0 else "limit", "must not be negative")
    limit = min(request.limit or DEFAULT_LIMIT, MAX_LIMIT)
    # Committed rows whether published yet or not: a row the relay has not published (yet) must
    # not look absent to a consumer.
    query = (
        select(
            outbox.c.seq,
            outbox.c.event_id,
            outbox.c.subject,
            outbox.c.event_type,
            outbox.c.payload,
            outbox.c.created_at,
            outbox.c.trace_headers,
        )
        .where(outbox.c.seq > request.after_seq, outbox.c.seq <= request.up_to_seq)
        .order_by(outbox.c.seq)
        .limit(limit)
    )
    if request.subjects:
        query = query.where(outbox.c.subject.in_(list(request.subjects)))
    async with db.reader() as session:
        rows = (await session.execute(query)).all() if request.up_to_seq > request.after_seq else []
        latest = await session.scalar(select(func.max(outbox.c.seq))) or 0
    response = replay_pb2.ReplayResponse(latest_seq=latest)
    for row in rows:
        occurred_at = Timestamp()
        occurred_at.FromDatetime(row.created_at)
        response.events.append(
            replay_pb2.StoredEvent(
                seq=row.seq,
                event_id=row.event_id,
                subject=row.subject,
                event_type=row.event_type,
                payload=row.payload,
                occurred_at=occurred_at,
                trace_headers=row.trace_headers or {},
            )
        )
    # A full page covers only up to its last event (the caller asks again from there); nothing
    # covers seqs above the latest, which may still be written.
    if len(rows) == limit:
        response.covered_up_to_seq = rows[-1].seq
    else:
        response.covered_up_to_seq = max(request.after_seq, min(request.up_to_seq, latest))
    return response


class EventLogServicer(replay_pb2_grpc.EventLogServicer):
    def __init__(self, db: Database):
        self.db = db

    async def Replay(
        self,
        request: replay_pb2.ReplayRequest,
        context: grpc.aio.ServicerContext[replay_pb2.ReplayRequest, replay_pb2.ReplayResponse],
    ) -> replay_pb2.ReplayResponse:
        return await read_outbox(self.db, request)


def registration(db: Database) -> Registration:
    return (
        replay_pb2_grpc.add_EventLogServicer_to_server,
        EventLogServicer(db),
        replay_pb2.DESCRIPTOR.services_by_name["EventLog"].full_name,
    )
