from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from hotline_common.auth import Principal
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


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1/director", tags=["director"])
    me = Depends(runtime.current_principal)

    @api.get("/board", response_model=Board)
    async def board(principal: Principal = me):
        async with runtime.db.reader() as session:
            return await service.board(session, principal)

    @api.get("/overdue-referrals", response_model=list[OverdueReferral])
    async def overdue(principal: Principal = me):
        service.check_can_supervise(principal)
        # Asked of referrals with no local transaction open.
        found = await runtime.referrals.list_overdue(principal)
        async with runtime.db.reader() as session:
            return await service.overdue_referrals(session, principal, found)

    @api.put("/follow-ups/{contact_id}/assignee", response_model=AssignmentOut)
    async def reassign_follow_up(contact_id: Id36, data: Reassign, principal: Principal = me):
        async with runtime.db.transaction() as session:
            return await service.reassign_follow_up(session, principal, contact_id, data.operator_id)

    @api.put("/callers/{caller_id}/assignee", response_model=AssignmentOut)
    async def reassign_caller(caller_id: Id36, data: Reassign, principal: Principal = me):
        async with runtime.db.transaction() as session:
            return await service.reassign_caller(session, principal, caller_id, data.operator_id)

    @api.get("/staff", response_model=list[StaffOut])
    async def staff(principal: Principal = me):
        async with runtime.db.reader() as session:
            return await service.staff(session, principal)

    @api.post("/staff", response_model=StaffOut, status_code=201)
    async def add_staff(data: StaffIn, principal: Principal = me):
        async with runtime.db.transaction() as session:
            return await service.add_staff(session, principal, data)

    @api.put("/staff/{account_id}/disabled", response_model=StaffOut)
    async def set_disabled(account_id: Id36, data: StaffDisabled, principal: Principal = me):
        async with runtime.db.transaction() as session:
            return await service.set_staff_disabled(session, principal, account_id, data.disabled)

    @api.put("/staff/{account_id}/password", response_model=StaffOut)
    async def reset_password(account_id: Id36, data: StaffPassword, principal: Principal = me):
        async with runtime.db.transaction() as session:
            return await service.reset_staff_password(session, principal, account_id, data.password)

    @api.get("/audit", response_model=list[AuditRow])
    async def audit(
        break_glass_only: bool = False,
        before_seq: Annotated[int | None, Query(ge=1)] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        principal: Principal = me,
    ):
        async with runtime.db.reader() as session:
            return await service.audit(
                session, principal, break_glass_only=break_glass_only, before_seq=before_seq, limit=limit
            )

    return api
