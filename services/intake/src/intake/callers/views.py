from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from hotline_common.auth import Principal
from intake.callers import service
from intake.callers.schemas import (
    CallerCreate,
    CallerProfile,
    CallerSummary,
    CallerUpdate,
    ContactLink,
    Journal,
    JournalRequest,
    MergeOut,
    MergeRequest,
    PhoneLookup,
    UnmergeRequest,
)

CallerId = Annotated[str, Path(min_length=36, max_length=36)]


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["callers"])
    me = Depends(runtime.current_principal)

    @api.post("/callers", response_model=CallerProfile, status_code=201)
    async def create(data: CallerCreate, principal: Principal = me):
        async with runtime.db.transaction() as session:
            return await service.create_caller(session, principal, runtime.vault, data)

    # POST, so the number never sits in a URL (proxies and browsers keep URLs).
    @api.post("/callers/lookup", response_model=list[CallerSummary])
    async def lookup(data: PhoneLookup, principal: Principal = me):
        async with runtime.db.transaction() as session:
            return await service.find_by_phone(session, principal, runtime.vault, data.phone, interface="http")

    @api.get("/callers/by-code/{code}", response_model=CallerSummary)
    async def by_code(
        code: Annotated[str, Path(min_length=7, max_length=7, pattern=r"^[A-Za-z]{2}-\d{4}$")],
        principal: Principal = me,
    ):
        async with runtime.db.transaction() as session:
            return await service.find_by_code(session, principal, code, interface="http")

    @api.get("/callers/{caller_id}/journal", response_model=Journal)
    async def journal(
        caller_id: CallerId, reason: Annotated[str, Query(max_length=300)] = "", principal: Principal = me
    ):
        async with runtime.db.transaction() as session:
            return await service.open_journal(
                session, principal, runtime.vault, caller_id, reason=reason, interface="http"
            )

    # The same read with the reason in the body: a stated reason is free text, kept out of URLs
    # (traces and proxies record them). The pages use this one.
    @api.post("/callers/{caller_id}/journal", response_model=Journal)
    async def journal_with_reason(caller_id: CallerId, data: JournalRequest, principal: Principal = me):
        async with runtime.db.transaction() as session:
            return await service.open_journal(
                session, principal, runtime.vault, caller_id, reason=data.reason, interface="http"
            )

    @api.patch("/callers/{caller_id}", response_model=CallerProfile)
    async def change(caller_id: CallerId, data: CallerUpdate, principal: Principal = me):
        async with runtime.db.transaction() as session:
            return await service.update_caller(session, principal, runtime.vault, caller_id, data)

    @api.post("/callers/{caller_id}/contacts", response_model=CallerProfile)
    async def link(caller_id: CallerId, data: ContactLink, principal: Principal = me):
        async with runtime.db.transaction() as session:
            return await service.link_contact(session, principal, runtime.vault, caller_id, data.contact_id)

    @api.post("/callers/{caller_id}/merge", response_model=MergeOut, status_code=201)
    async def merge(caller_id: CallerId, data: MergeRequest, principal: Principal = me):
        async with runtime.db.transaction() as session:
            return await service.merge(session, principal, caller_id, data.into_caller_id, data.reason)

    @api.get("/callers/{caller_id}/merges", response_model=list[MergeOut])
    async def merges(caller_id: CallerId, principal: Principal = me):
        async with runtime.db.transaction() as session:
            return await service.merges_of(session, principal, caller_id, interface="http")

    @api.post("/caller-merges/{merge_id}/undo", response_model=MergeOut)
    async def undo(merge_id: CallerId, data: UnmergeRequest, principal: Principal = me):
        async with runtime.db.transaction() as session:
            return await service.unmerge(session, principal, merge_id, data.reason)

    return api
