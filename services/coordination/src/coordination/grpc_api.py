"""The CoordinationService servicer: a thin adapter over the members and meetings domains."""

from __future__ import annotations

from typing import TYPE_CHECKING

import grpc

from coordination.meetings import rpc as meetings_rpc
from coordination.members import rpc as members_rpc
from hotline.coordination.v1 import coordination_pb2, coordination_pb2_grpc
from hotline_common.grpc_server import Registration

if TYPE_CHECKING:
    from coordination.runtime import CoordinationRuntime


class CoordinationServicer(coordination_pb2_grpc.CoordinationServiceServicer):
    def __init__(self, runtime: CoordinationRuntime):
        self.runtime = runtime

    async def ListMembers(
        self,
        request: coordination_pb2.ListMembersRequest,
        context: grpc.aio.ServicerContext[coordination_pb2.ListMembersRequest, coordination_pb2.ListMembersResponse],
    ) -> coordination_pb2.ListMembersResponse:
        return await members_rpc.list_members(self.runtime, request, context)

    async def ScheduleMeeting(
        self,
        request: coordination_pb2.ScheduleMeetingRequest,
        context: grpc.aio.ServicerContext[coordination_pb2.ScheduleMeetingRequest, coordination_pb2.Meeting],
    ) -> coordination_pb2.Meeting:
        return await meetings_rpc.schedule_meeting(self.runtime, request, context)


def registration(runtime: CoordinationRuntime) -> Registration:
    return (
        coordination_pb2_grpc.add_CoordinationServiceServicer_to_server,
        CoordinationServicer(runtime),
        "hotline.coordination.v1.CoordinationService",
    )
