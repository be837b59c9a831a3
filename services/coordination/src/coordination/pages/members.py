"""The membership page: everyone in the Group sees who counts on a day; the National Coordinator
enters a body's proposal, approves it (from a date) or rejects it with a reason, and ends a
membership."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from coordination.deps import GroupReader, Zone
from coordination.meetings.service import today_in
from coordination.members import service as members
from coordination.members.schemas import MemberApproval, MemberProposal, MemberRejection, MembershipEnd
from coordination.pages.kit import optional, parsed, text, to
from hotline_common.auth import Principal
from hotline_common.db import Database
from hotline_common.errors import DomainError
from hotline_common.web.deps import Db
from hotline_common.web.inputs import day_from_text
from hotline_common.web.pages import PageKit, Pages

router = APIRouter(include_in_schema=False)


def day_asked(request: Request, today: date) -> date:
    try:
        return day_from_text(request.query_params.get("on") or today.isoformat())
    except ValueError:
        return today


async def members_page(
    request: Request,
    pages: Pages,
    db: Database,
    zone: ZoneInfo,
    principal: Principal,
    error: DomainError | None = None,
    posted: str | None = None,
) -> HTMLResponse:
    today = today_in(zone)
    on = day_asked(request, today)
    async with db.reader() as session:
        counting = await members.list_members(session, principal, on=on)
        proposed = await members.list_members(session, principal, status="proposed")
    return pages.render(
        request,
        "members.html",
        status=error.http_status if error else 200,
        principal=principal,
        on=on,
        counting=counting,
        proposed=proposed,
        today=today,
        decides=members.may_decide_members(principal),
        proposes=members.may_propose_members(principal),
        error=error,
        posted=posted,
    )


@router.get("/members")
async def members_list(request: Request, pages: PageKit, db: Db, zone: Zone, principal: GroupReader) -> HTMLResponse:
    return await members_page(request, pages, db, zone, principal)


@router.post("/members")
async def propose(request: Request, pages: PageKit, db: Db, zone: Zone, principal: GroupReader) -> Response:
    try:
        members.require_propose(principal)  # before the form: a refused reader never sees its errors
        form = await request.form()
        data = parsed(
            MemberProposal,
            {
                "full_name": text(form, "full_name"),
                "body": text(form, "body"),
                "body_kind": text(form, "body_kind"),
                "subject": optional(form, "subject"),
            },
        )
        async with db.transaction() as session:
            await members.propose_member(session, principal, data)
    except DomainError as error:
        return await members_page(request, pages, db, zone, principal, error, "propose")
    return to("/members")


@router.post("/members/{member_id}/approve")
async def approve(
    request: Request, member_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader
) -> Response:
    try:
        members.require_decide(principal)  # before the form: a refused reader never sees its errors
        form = await request.form()
        data = parsed(MemberApproval, {"valid_from": text(form, "valid_from") or None})
        async with db.transaction() as session:
            await members.approve_member(session, principal, member_id, data)
    except DomainError as error:
        return await members_page(request, pages, db, zone, principal, error, f"approve-{member_id}")
    return to("/members")


@router.post("/members/{member_id}/reject")
async def reject(
    request: Request, member_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader
) -> Response:
    try:
        members.require_decide(principal)  # before the form: a refused reader never sees its errors
        form = await request.form()
        data = parsed(MemberRejection, {"reason": text(form, "reason")})
        async with db.transaction() as session:
            await members.reject_member(session, principal, member_id, data)
    except DomainError as error:
        return await members_page(request, pages, db, zone, principal, error, f"reject-{member_id}")
    return to("/members")


@router.post("/members/{member_id}/end")
async def end(request: Request, member_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader) -> Response:
    try:
        members.require_decide(principal)  # before the form: a refused reader never sees its errors
        form = await request.form()
        data = parsed(MembershipEnd, {"valid_to": text(form, "valid_to") or None})
        async with db.transaction() as session:
            await members.end_membership(session, principal, member_id, data)
    except DomainError as error:
        return await members_page(request, pages, db, zone, principal, error, f"end-{member_id}")
    return to("/members")
