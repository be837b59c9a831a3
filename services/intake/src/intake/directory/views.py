"""The directory, as operators search it during a call (answered by referrals over gRPC)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from google.protobuf.json_format import MessageToDict

from hotline_common.web.deps import CurrentPrincipal
from intake.deps import Referrals

router = APIRouter(prefix="/api/v1", tags=["directory"])


@router.get("/directory/services")
async def search(
    principal: CurrentPrincipal,
    referrals: Referrals,
    service_type: Annotated[str, Query(max_length=40)] = "",
    region: Annotated[str, Query(max_length=100)] = "",
    language: Annotated[str, Query(max_length=10)] = "",
    text: Annotated[str, Query(max_length=100)] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    city: Annotated[str, Query(max_length=100)] = "",
    # Repeat for several groups (?eligibility=women&eligibility=foreigners): all must apply.
    eligibility: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI copies it
    open_now: bool = False,
) -> list[dict[str, Any]]:
    found = await referrals.search(
        principal,
        service_type=service_type,
        region=region,
        language=language,
        text=text,
        limit=limit,
        city=city,
        eligibility=eligibility,
        open_now=open_now,
    )
    return [
        MessageToDict(s, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)
        for s in found.services
    ]
