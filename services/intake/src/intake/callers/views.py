"""Caller profiles and their journals over HTTP: thin adapters over callers.service."""

from typing import Annotated

from fastapi import APIRouter, Path

from hotline_common.web.deps import CurrentPrincipal, Db
from intake.access.schemas import ReadRequest
from intake.callers import service
from intake.callers.schemas import (
    CallerCreate,
    CallerProfile,
    CallerSummary,
    CallerUpdate,
    ContactLink,
    Journal,
    MergeOut,
    MergeRequest,
    PhoneLookup,
    UnmergeRequest,
)
from intake.deps import Vault

CallerId = Annotated[str, Path(min_length=36, max_length=36)]
CallerCode = Annotated[str, Path(min_length=7, max_length=7, pattern=r"^[A-Za-z]{2}-\d{4}$")]

router = APIRouter(prefix="/api/v1", tags=["callers"])


@router.post("/callers", response_model=CallerProfile, status_code=201)
async def create(data: CallerCreate, principal: CurrentPrincipal, db: Db, vault: Vault) -> CallerProfile:
    async with db.transaction() as session:
        return await service.create_caller(session, principal, vault, data)


# POST, so the number never sits in a URL (proxies and browsers keep URLs).
@router.post("/callers/lookup", response_model=list[CallerSummary])
async def lookup(data: PhoneLookup, principal: CurrentPrincipal, db: Db, vault: Vault) -> list[CallerSummary]:
    async with db.transaction() as session:
        return await service.find_by_phone(session, principal, vault, data.phone, interface="http")


@router.get("/callers/by-code/{code}", response_model=CallerSummary)
async def by_code(code: CallerCode, principal: CurrentPrincipal, db: Db) -> CallerSummary:
    async with db.transaction() as session:
        return await service.find_by_code(session, principal, code, interface="http")


# A reader linked to the caller opens the journal with GET; anyone else states why in the body of
# the POST (a reason is free text, kept out of URLs). The pages use the POST.
@router.get("/callers/{caller_id}/journal", response_model=Journal)
async def journal(caller_id: CallerId, principal: CurrentPrincipal, db: Db, vault: Vault) -> Journal:
    async with db.transaction() as session:
        return await service.open_journal(session, principal, vault, caller_id, interface="http")


@router.post("/callers/{caller_id}/journal", response_model=Journal)
async def journal_with_reason(
    caller_id: CallerId, data: ReadRequest, principal: CurrentPrincipal, db: Db, vault: Vault
) -> Journal:
    async with db.transaction() as session:
        return await service.open_journal(session, principal, vault, caller_id, reason=data.reason, interface="http")


@router.patch("/callers/{caller_id}", response_model=CallerProfile)
async def change(
    caller_id: CallerId, data: CallerUpdate, principal: CurrentPrincipal, db: Db, vault: Vault
) -> CallerProfile:
    async with db.transaction() as session:
        return await service.update_caller(session, principal, vault, caller_id, data)


@router.post("/callers/{caller_id}/contacts", response_model=CallerProfile)
async def link(
    caller_id: CallerId, data: ContactLink, principal: CurrentPrincipal, db: Db, vault: Vault
) -> CallerProfile:
    async with db.transaction() as session:
        return await service.link_contact(session, principal, vault, caller_id, data.contact_id)


@router.post("/callers/{caller_id}/merge", response_model=MergeOut, status_code=201)
async def merge(caller_id: CallerId, data: MergeRequest, principal: CurrentPrincipal, db: Db) -> MergeOut:
    async with db.transaction() as session:
        return await service.merge(session, principal, caller_id, data.into_caller_id, data.reason)


@router.get("/callers/{caller_id}/merges", response_model=list[MergeOut])
async def merges(caller_id: CallerId, principal: CurrentPrincipal, db: Db) -> list[MergeOut]:
    async with db.transaction() as session:
        return await service.merges_of(session, principal, caller_id, interface="http")


@router.post("/callers/{caller_id}/merges", response_model=list[MergeOut])
async def merges_with_reason(
    caller_id: CallerId, data: ReadRequest, principal: CurrentPrincipal, db: Db
) -> list[MergeOut]:
    async with db.transaction() as session:
        return await service.merges_of(session, principal, caller_id, interface="http", reason=data.reason)


@router.post("/caller-merges/{merge_id}/undo", response_model=MergeOut)
async def undo(merge_id: CallerId, data: UnmergeRequest, principal: CurrentPrincipal, db: Db) -> MergeOut:
    async with db.transaction() as session:
        return await service.unmerge(session, principal, merge_id, data.reason)
