from functools import lru_cache

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from hotline.referrals.v1 import referrals_pb2
from hotline_common.grpc_server import principal_from_context
from referrals.directory import service
from referrals.directory.schemas import ServiceOut, ServiceSearch
from referrals.runtime import ReferralsRuntime


@lru_cache(maxsize=4096)
def _hours_bytes(opening_hours: str) -> bytes:
    """The `hours` field of an entry, serialised once per schedule and merged into each result:
    building seven nested messages per result was most of a search's cost."""
    return referrals_pb2.ServiceEntry(
        hours=[
            referrals_pb2.DayHours(weekday=day, spans=spans)
            for day, spans in service.hours_by_day(opening_hours).items()
        ]
    ).SerializeToString()


def to_proto(entry: ServiceOut) -> referrals_pb2.ServiceEntry:
    message = referrals_pb2.ServiceEntry(
        id=entry.id,
        organisation_id=entry.organisation_id,
        organisation_name=entry.organisation_name,
        organisation_kind=entry.organisation_kind,
        name=entry.name,
        service_type=entry.service_type,
        region=entry.region,
        city=entry.city,
        address=entry.address,
        languages=entry.languages,
        phone=entry.phone,
        email=entry.email,
        website=entry.website,
        opening_hours=entry.opening_hours,
        eligibility=entry.eligibility,
        open_now=entry.open_now,
        latitude=entry.latitude,
        longitude=entry.longitude,
        capacity=entry.capacity,
        free_places=entry.free_places,
    )
    message.MergeFromString(_hours_bytes(entry.opening_hours))
    if entry.free_places_updated_at is not None:
        stamp = Timestamp()
        stamp.FromDatetime(entry.free_places_updated_at)
        message.free_places_updated_at.CopyFrom(stamp)
    return message


async def search_services(
    runtime: ReferralsRuntime, request: referrals_pb2.SearchServicesRequest, context: grpc.aio.ServicerContext
) -> referrals_pb2.SearchServicesResponse:
    principal = await principal_from_context(context, runtime.verifier)
    # Pydantic checks the codes (service type, language, eligibility): INVALID_ARGUMENT names the field.
    query = ServiceSearch(
        service_type=request.service_type or None,
        region=request.region or None,
        city=request.city or None,
        language=request.language or None,
        eligibility=list(request.eligibility),
        open_now=request.open_now,
        text=request.text or None,
        limit=request.limit or 20,
    )
    async with runtime.db.reader() as session:
        found = await service.search_services(session, principal, query, zone=runtime.zone)
    return referrals_pb2.SearchServicesResponse(services=[to_proto(e) for e in found])
