from hotline.referrals.v1 import referrals_pb2
from hotline_common.grpc_server import principal_from_context
from referrals.directory import service
from referrals.directory.schemas import ServiceOut, ServiceSearch


def to_proto(entry: ServiceOut) -> referrals_pb2.ServiceEntry:
    return referrals_pb2.ServiceEntry(**entry.model_dump())


async def search_services(runtime, request: referrals_pb2.SearchServicesRequest, context):
    principal = await principal_from_context(context, runtime.verifier)
    query = ServiceSearch(
        service_type=request.service_type or None, region=request.region or None,
        language=request.language or None, text=request.text or None, limit=request.limit or 20,
    )
    async with runtime.db.reader() as session:
        found = await service.search_services(session, principal, query)
    return referrals_pb2.SearchServicesResponse(services=[to_proto(e) for e in found])
