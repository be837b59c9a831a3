"""The CoordinationService servicer: a thin adapter over the members and meetings domains."""

from coordination.meetings import rpc as meetings_rpc
from coordination.members import rpc as members_rpc
from hotline.coordination.v1 import coordination_pb2_grpc


class CoordinationServicer(coordination_pb2_grpc.CoordinationServiceServicer):
    def __init__(self, runtime):
        self.runtime = runtime

    async def ListMembers(self, request, context):
        return await members_rpc.list_members(self.runtime, request, context)

    async def ScheduleMeeting(self, request, context):
        return await meetings_rpc.schedule_meeting(self.runtime, request, context)


def registration(runtime):
    return (
        coordination_pb2_grpc.add_CoordinationServiceServicer_to_server,
        CoordinationServicer(runtime),
        "hotline.coordination.v1.CoordinationService",
    )
