from __future__ import annotations

from typing import TYPE_CHECKING

import grpc

from coordination.members import service
from coordination.members.models import APPROVED
from hotline.coordination.v1 import coordination_pb2
from hotline_common.grpc_server import principal_from_context

if TYPE_CHECKING:
    from coordination.runtime import CoordinationRuntime

WIRE_FIELDS = {"id", "full_name", "body", "body_kind", "is_head"}


async def list_members(
    runtime: CoordinationRuntime,
    request: coordination_pb2.ListMembersRequest,
    context: grpc.aio.ServicerContext[coordination_pb2.ListMembersRequest, coordination_pb2.ListMembersResponse],
) -> coordination_pb2.ListMembersResponse:
    principal = await principal_from_context(context, runtime.verifier)
    async with runtime.db.reader() as session:
        members = await service.list_members(session, principal, status=APPROVED)
    return coordination_pb2.ListMembersResponse(
        members=[coordination_pb2.Member(**m.model_dump(include=WIRE_FIELDS)) for m in members]
    )
