"""The directory, as operators search it during a call (answered by referrals over gRPC)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from google.protobuf.json_format import MessageToDict
from pydantic import BaseModel, ConfigDict, Field

from hotline_common.auth import Principal
from hotline_common.web.deps import CurrentPrincipal
from intake.deps import Referrals
from intake.directory.client import ReferralsClient

router = APIRouter(prefix="/api/v1", tags=["directory"])


class DirectorySearch(BaseModel):
    """A search with free text: in the body, so what the operator typed stays out of URLs (traces,
    proxies and logs keep those). The code filters are the same as the GET's."""

    model_config = ConfigDict(extra="forbid")

    service_type: str = Field(default="", max_length=40)
    region: str = Field(default="", max_length=100)
    language: str = Field(default="", max_length=10)
    text: str = Field(default="", max_length=100)
    limit: int = Field(default=20, ge=1, le=100)
    city: str = Field(default="", max_length=100)
    # All must apply.
    eligibility: list[str] = []
    open_now: bool = False


async def _search(referrals: ReferralsClient, principal: Principal, query: DirectorySearch) -> list[dict[str, Any]]:
    found = await referrals.search(principal, **query.model_dump())
    return [
        MessageToDict(s, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)
        for s in found.services
    ]


# Filters by code only (no free text in the URL); the screens use the POST below.
@router.get("/directory/services")
async def search(
    principal: CurrentPrincipal,
    referrals: Referrals,
    service_type: Annotated[str, Query(max_length=40)] = "",
    region: Annotated[str, Query(max_length=100)] = "",
    language: Annotated[str, Query(max_length=10)] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    city: Annotated[str, Query(max_length=100)] = "",
    # Repeat for several groups (?eligibility=women&eligibility=foreigners): all must apply.
    eligibility: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI copies it
    open_now: bool = False,
) -> list[dict[str, Any]]:
    query = DirectorySearch(
        service_type=service_type,
        region=region,
        language=language,
        limit=limit,
        city=city,
        eligibility=eligibility,
        open_now=open_now,
    )
    return await _search(referrals, principal, query)


@router.post("/directory/search")
async def search_with_text(
    data: DirectorySearch, principal: CurrentPrincipal, referrals: Referrals
) -> list[dict[str, Any]]:
    return await _search(referrals, principal, data)
