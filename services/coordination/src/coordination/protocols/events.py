from sqlalchemy.ext.asyncio import AsyncSession

from coordination.protocols.models import Protocol
from hotline.events.v1 import coordination_pb2
from hotline_common.events.outbox import add_event

PROTOCOL_SIGNED = "coordination.protocol.signed.v1"


async def emit_signed(session: AsyncSession, protocol: Protocol) -> None:
    message = coordination_pb2.ProtocolSigned(
        protocol_id=protocol.id,
        meeting_id=protocol.meeting_id,
        supersedes_protocol_id=protocol.supersedes_id or "",
        key_id=protocol.key_id,
        digest=protocol.digest,
    )
    message.signed_at.FromDatetime(protocol.signed_at)
    await add_event(session, PROTOCOL_SIGNED, message)
