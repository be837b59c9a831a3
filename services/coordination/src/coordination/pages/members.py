"""The membership page: everyone in the Group sees who counts on a day; the National Coordinator
enters a body's proposal, approves it (from a date) or rejects it with a reason, and ends a
membership."""

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from coordination.members import service as members
from coordination.members.schemas import MemberApproval, MemberProposal, MemberRejection, MembershipEnd
from hotline_common.auth import Permission
from hotline_common.db import utcnow
from hotline_common.errors import DomainError, InvalidInput


def add(pages: APIRouter, runtime, render, signed_in, sign_in_first) -> None:
    async def page(request: Request, principal, error: str | None = None, status: int = 200):
        today = utcnow().astimezone(runtime.zone).date()
        try:
            on = date.fromisoformat(request.query_params.get("on") or today.isoformat())
        except ValueError:
            on = today
        async with runtime.db.reader() as session:
            counting = await members.list_members(session, principal, on=on)
            proposed = await members.list_members(session, principal, status="proposed")
            everyone = await members.list_members(session, principal)
        return render(
            request,
            "members.html",
            status=status,
            principal=principal,
            on=on,
            counting=counting,
            proposed=proposed,
            everyone=everyone,
            today=today,
            decides=principal.can(Permission.WG_MEMBER_APPROVE),
            proposes=principal.can(Permission.WG_MEMBER_PROPOSE),
            error=error,
            roles=set(),
        )

    async def act(request: Request, action) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        form = await request.form()
        try:
            async with runtime.db.transaction() as session:
                await action(session, principal, form)
        except ValidationError as exc:
            return await page(request, principal, InvalidInput.from_pydantic(exc).message, 422)
        except DomainError as exc:
            return await page(request, principal, exc.message, exc.http_status)
        return RedirectResponse("/members", status_code=303)

    @pages.get("/members")
    async def members_page(request: Request) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        try:
            return await page(request, principal)
        except DomainError as exc:
            return render(
                request, "signin.html", status=exc.http_status, principal=principal, roles=set(), error=exc.message
            )

    @pages.post("/members")
    async def propose(request: Request) -> Response:
        async def run(session, principal, form):
            await members.propose_member(
                session,
                principal,
                MemberProposal(
                    full_name=str(form.get("full_name", "")),
                    body=str(form.get("body", "")),
                    body_kind=str(form.get("body_kind", "")),
                    subject=str(form.get("subject", "")).strip() or None,
                ),
            )

        return await act(request, run)

    @pages.post("/members/{member_id}/approve")
    async def approve(request: Request, member_id: str) -> Response:
        async def run(session, principal, form):
            await members.approve_member(
                session, principal, member_id, MemberApproval(valid_from=form.get("valid_from") or None)
            )

        return await act(request, run)

    @pages.post("/members/{member_id}/reject")
    async def reject(request: Request, member_id: str) -> Response:
        async def run(session, principal, form):
            await members.reject_member(
                session, principal, member_id, MemberRejection(reason=str(form.get("reason", "")))
            )

        return await act(request, run)

    @pages.post("/members/{member_id}/end")
    async def end(request: Request, member_id: str) -> Response:
        async def run(session, principal, form):
            await members.end_membership(
                session, principal, member_id, MembershipEnd(valid_to=form.get("valid_to") or None)
            )

        return await act(request, run)
