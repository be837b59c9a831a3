"""The director's supervision over HTTP: the live board, overdue referrals, reassignments, staff
accounts and the readable access audit. Thin adapters over director.service."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from hotline_common.web.deps import CurrentPrincipal, Db
from hotline_common.web.inputs import INT64_MAX
from intake.deps import LoginLimiter, Referrals
from intake.director import service
from intake.director.schemas import (
    AssignmentOut,
    AuditRow,
    Board,
    OverdueReferral,
    Reassign,
    StaffDisabled,
    StaffIn,
    StaffOut,
    StaffPassword,
)

Id36 = Annotated[str, Path(min_length=36, max_length=36)]

router = APIRouter(prefix="/api/v1/director", tags=["director"])


@router.get("/board", response_model=Board)
async def board(principal: CurrentPrincipal, db: Db) -> Board:
    async with db.reader() as session:
        return await service.board(session, principal)


@router.get("/overdue-referrals", response_model=list[OverdueReferral])
async def overdue(principal: CurrentPrincipal, db: Db, referrals: Referrals) -> list[OverdueReferral]:
    service.check_can_supervise(principal)
    # Asked of referrals with no local transaction open.
    found = await referrals.list_overdue(principal)
    async with db.reader() as session:
        return await service.overdue_referrals(session, principal, found)


@router.put("/follow-ups/{contact_id}/assignee", response_model=AssignmentOut)
async def reassign_follow_up(contact_id: Id36, data: Reassign, principal: CurrentPrincipal, db: Db) -> AssignmentOut:
    async with db.transaction() as session:
        return await service.reassign_follow_up(session, principal, contact_id, data.operator_id)


@router.put("/callers/{caller_id}/assignee", response_model=AssignmentOut)
async def reassign_caller(caller_id: Id36, data: Reassign, principal: CurrentPrincipal, db: Db) -> AssignmentOut:
    async with db.transaction() as session:
        return await service.reassign_caller(session, principal, caller_id, data.operator_id)


@router.get("/staff", response_model=list[StaffOut])
async def staff(principal: CurrentPrincipal, db: Db) -> list[StaffOut]:
    async with db.reader() as session:
        return await service.staff(session, principal)


@router.post("/staff", response_model=StaffOut, status_code=201)
async def add_staff(data: StaffIn, principal: CurrentPrincipal, db: Db) -> StaffOut:
    async with db.transaction() as session:
        return await service.add_staff(session, principal, data)


@router.put("/staff/{account_id}/disabled", response_model=StaffOut)
async def set_disabled(account_id: Id36, data: StaffDisabled, principal: CurrentPrincipal, db: Db) -> StaffOut:
    async with db.transaction() as session:
        return await service.set_staff_disabled(session, principal, account_id, data.disabled)


@router.put("/staff/{account_id}/password", response_model=StaffOut)
async def reset_password(account_id: Id36, data: StaffPassword, principal: CurrentPrincipal, db: Db) -> StaffOut:
    async with db.transaction() as session:
        return await service.reset_staff_password(session, principal, account_id, data.password)


@router.post("/staff/{account_id}/unlock", response_model=StaffOut)
async def unlock(account_id: Id36, principal: CurrentPrincipal, db: Db, limits: LoginLimiter) -> StaffOut:
    async with db.transaction() as session:
        account = await service.unlock_staff(session, principal, account_id)
    await limits.unlocked(account.username)
    return account


@router.post("/staff/{account_id}/sessions/end", response_model=StaffOut)
async def end_sessions(account_id: Id36, principal: CurrentPrincipal, db: Db) -> StaffOut:
    async with db.transaction() as session:
        return await service.end_staff_sessions(session, principal, account_id)


@router.get("/audit", response_model=list[AuditRow])
async def audit(
    principal: CurrentPrincipal,
    db: Db,
    break_glass_only: bool = False,
    before_seq: Annotated[int | None, Query(ge=1, le=INT64_MAX)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AuditRow]:
    async with db.reader() as session:
        return await service.audit(
            session, principal, break_glass_only=break_glass_only, before_seq=before_seq, limit=limit
        )
