"""The EventLog gRPC service every producer serves from its own outbox: a consumer asks it for
events the broker acknowledged and then lost.

Only services replay, each only the subjects it consumes (`READERS`): replayed events hold per-call
records below the statistics' suppression and partners' notices, which no person may read this way.
"""

from __future__ import annotations

import grpc
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import func, select

from hotline.events.v1 import replay_pb2, replay_pb2_grpc
from hotline_common.auth import TokenVerifier
from hotline_common.db import Database
from hotline_common.errors import InvalidInput, PermissionDenied
from hotline_common.events.schema import outbox
from hotline_common.grpc_server import Registration, service_from_context

DEFAULT_LIMIT = 500
MAX_LIMIT = 1000

# producer -> {consuming service: the subjects its consumers handle}; what may be replayed to whom.
# tests/test_grpc_credentials.py checks it against the consumers the services run.
Readers = dict[str, frozenset[str]]
READERS: dict[str, Readers] = {
    "intake": {
        "reporting": frozenset({"intake.contact.recorded.v1", "intake.screening.high_risk.v1"}),
    },
    "referrals": {
        "intake": frozenset({"referrals.referral.created.v1", "referrals.referral.status_changed.v1"}),
        "reporting": frozenset(
            {
                "referrals.referral.created.v1",
                "referrals.referral.status_changed.v1",
                "referrals.referral.overdue.v1",
                "referrals.consent.revoked.v1",
            }
        ),
    },
    "coordination": {
        "reporting": frozenset(
            {
                "coordination.meeting.scheduled.v1",
                "coordination.meeting.agreed.v1",
                "coordination.meeting.held.v1",
                "coordination.decision.adopted.v1",
                "coordination.protocol.signed.v1",
                "coordination.nap.measure.updated.v1",
            }
        ),
    },
    "reporting": {},
}


def permitted_subjects(readers: Readers, service: str, asked: list[str]) -> list[str]:
    """The subjects `service` may replay of those it asked for (all of its own when it asked none)."""
    allowed = readers.get(service, frozenset())
    refused = sorted(set(asked) - allowed)
    if refused:
        raise PermissionDenied("service {service} may not replay {subject}", service=service, subject=refused[0])
    return list(asked) or sorted(allowed)


async def read_outbox(
    db: Database, request: replay_pb2.ReplayRequest, subjects: list[str]
) -> replay_pb2.ReplayResponse:
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
    query = query.where(outbox.c.subject.in_(subjects))
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
    def __init__(self, db: Database, verifier: TokenVerifier, readers: Readers):
        self.db = db
        self.verifier = verifier
        self.readers = readers

    async def Replay(
        self,
        request: replay_pb2.ReplayRequest,
        context: grpc.aio.ServicerContext[replay_pb2.ReplayRequest, replay_pb2.ReplayResponse],
    ) -> replay_pb2.ReplayResponse:
        caller = await service_from_context(context, self.verifier, self.readers)
        subjects = permitted_subjects(self.readers, caller.service or "", list(request.subjects))
        return await read_outbox(self.db, request, subjects)


def registration(db: Database, verifier: TokenVerifier, readers: Readers) -> Registration:
    """The EventLog of a producer whose `readers` are READERS[producer] (tests give their own)."""
    return (
        replay_pb2_grpc.add_EventLogServicer_to_server,
        EventLogServicer(db, verifier, readers),
        replay_pb2.DESCRIPTOR.services_by_name["EventLog"].full_name,
    )
