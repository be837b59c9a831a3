from coordination.members import service
from hotline.coordination.v1 import coordination_pb2
from hotline_common.grpc_server import principal_from_context


async def list_members(runtime, request, context) -> coordination_pb2.ListMembersResponse:
    principal = await principal_from_context(context, runtime.verifier)
    async with runtime.db.reader() as session:
        members = await service.list_members(session, principal)
    return coordination_pb2.ListMembersResponse(members=[coordination_pb2.Member(**m.model_dump()) for m in members])
