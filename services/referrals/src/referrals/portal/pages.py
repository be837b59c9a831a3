"""The partner portal (/portal): a receiving organisation's users see the referrals to it, move them
along the lifecycle and write notes to the hotline. Every action goes through the same service.py
functions as the partner API. Sign-in and sign-out are the shared ones (`SignInPages` at
/portal/login and /portal/logout, partners only, wired in app.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from hotline_common.auth import Permission, Principal
from hotline_common.errors import DomainError, FieldProblem
from hotline_common.i18n_markers import N_
from hotline_common.web.deps import Db
from hotline_common.web.pages import PageKit, PageRefused, Pages, shown_errors, signed_in
from referrals.deps import ReferralPolicy
from referrals.referral import service
from referrals.referral.policy import Policy
from referrals.referral.schemas import NoteIn, StatusChange

LOGIN = "/portal/login"
PORTAL_IS_FOR_PARTNERS = N_("This portal is for partner organisations")
REFERRAL_NOT_FOUND = N_("Referral not found")

# REFERRAL_READ_OWN_ORG is what tells the users of a receiving organisation (partners) apart.
Partner = Annotated[
    Principal,
    Depends(signed_in(Permission.REFERRAL_READ_OWN_ORG, login=LOGIN, refusal=PORTAL_IS_FOR_PARTNERS)),
]

router = APIRouter(include_in_schema=False)


@router.get("/portal")
async def portal_list(request: Request, pages: PageKit, principal: Partner, db: Db, policy: ReferralPolicy) -> Response:
    try:
        async with db.transaction() as session:  # showing consented values is logged
            items = await service.partner_list(session, principal, policy, limit=200, channel="portal")
    except DomainError:  # a partner account without an organisation
        raise PageRefused(principal, PORTAL_IS_FOR_PARTNERS) from None
    return pages.render(request, "list.html", principal=principal, items=items)


async def detail(
    request: Request,
    pages: Pages,
    db: Db,
    policy: Policy,
    principal: Principal,
    referral_id: str,
    errors: list[DomainError | FieldProblem] | None = None,
    status: int = 200,
) -> HTMLResponse:
    try:
        async with db.transaction() as session:
            item = await service.partner_get(session, principal, referral_id, policy, channel="portal")
    except DomainError as exc:  # not this organisation's (or no such referral): say only that
        return pages.render(
            request, "message.html", status=exc.http_status, principal=principal, title=REFERRAL_NOT_FOUND
        )
    return pages.render(request, "detail.html", status=status, principal=principal, item=item, errors=errors or [])


@router.get("/portal/referrals/{referral_id}")
async def portal_detail(
    request: Request, pages: PageKit, principal: Partner, db: Db, policy: ReferralPolicy, referral_id: str
) -> Response:
    return await detail(request, pages, db, policy, principal, referral_id)


@router.post("/portal/referrals/{referral_id}/status")
async def portal_status(
    request: Request,
    pages: PageKit,
    principal: Partner,
    db: Db,
    policy: ReferralPolicy,
    referral_id: str,
    to_status: Annotated[str, Form()] = "",
    reason_code: Annotated[str, Form()] = "",
) -> Response:
    try:
        change = StatusChange(to_status=to_status, reason_code=reason_code or None)
        async with db.transaction() as session:
            await service.partner_change_status(session, principal, referral_id, change, policy, channel=None)
    except (DomainError, ValidationError) as exc:
        errors, status = shown_errors(exc)
        return await detail(request, pages, db, policy, principal, referral_id, errors, status)
    return RedirectResponse(f"/portal/referrals/{referral_id}", status_code=303)


@router.post("/portal/referrals/{referral_id}/notes")
async def portal_note(
    request: Request,
    pages: PageKit,
    principal: Partner,
    db: Db,
    policy: ReferralPolicy,
    referral_id: str,
    body: Annotated[str, Form()] = "",
) -> Response:
    try:
        note = NoteIn(body=body)
        async with db.transaction() as session:
            await service.partner_add_note(session, principal, referral_id, note, policy, channel=None)
    except (DomainError, ValidationError) as exc:
        errors, status = shown_errors(exc)
        return await detail(request, pages, db, policy, principal, referral_id, errors, status)
    return RedirectResponse(f"/portal/referrals/{referral_id}", status_code=303)
