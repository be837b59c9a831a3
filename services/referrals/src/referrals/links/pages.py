"""The one-time link pages (/link/<token>): a specialist without an account opens the referral (the
consented fields only), acknowledges it and reports one outcome. Opening the address (GET) shows
only a button: link previewers and mail scanners fetch it and must see nothing, nor use the link
up; the referral is shown (and the showing logged) only in answer to the button's POST. A used,
expired or tampered link gets one refusal (410) with nothing of the referral. The pages are never
cached and never leak their address (the runtime's page kit: no-store, no-referrer)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from hotline_common.errors import DomainError, FieldProblem
from hotline_common.i18n_markers import N_
from hotline_common.web.deps import Db
from hotline_common.web.pages import PageKit, Pages, shown_errors
from referrals.deps import ReferralPolicy
from referrals.links import service as links
from referrals.referral.schemas import PartnerReferralOut

# The header of the pages a specialist without an account opens from a one-time link.
LINK_BRAND = N_("Referral from the 152 hotline")
CANNOT_BE_USED = N_("This link cannot be used")
WHY_NOT = N_("It was already used, it expired, or it is not a link the hotline sent. Please contact the hotline.")
THANK_YOU = N_("Thank you: the outcome was sent to the hotline")

router = APIRouter(include_in_schema=False)


def refused(request: Request, pages: Pages) -> HTMLResponse:
    return pages.render(request, "message.html", status=410, brand=LINK_BRAND, title=CANNOT_BE_USED, text=WHY_NOT)


def shown(
    request: Request,
    pages: Pages,
    item: PartnerReferralOut,
    token: str,
    errors: list[DomainError | FieldProblem] | None = None,
    status: int = 200,
) -> HTMLResponse:
    return pages.render(
        request, "link.html", status=status, brand=LINK_BRAND, item=item, token=token, errors=errors or []
    )


@router.get("/link/{token}")
async def link_page(request: Request, pages: PageKit, db: Db, token: str) -> Response:
    """Nothing of the referral, nothing logged, nothing used up: a button to open it."""
    try:
        async with db.reader() as session:
            await links.check(session, token)
    except links.LinkRefused:
        return refused(request, pages)
    return pages.render(request, "link_open.html", brand=LINK_BRAND, token=token)


@router.post("/link/{token}/view")
async def link_view(request: Request, pages: PageKit, db: Db, policy: ReferralPolicy, token: str) -> Response:
    try:
        async with db.transaction() as session:  # showing consented values is logged
            item = await links.view(session, token, policy)
    except links.LinkRefused:
        return refused(request, pages)
    return shown(request, pages, item, token)


@router.post("/link/{token}/acknowledge")
async def link_acknowledge(request: Request, pages: PageKit, db: Db, policy: ReferralPolicy, token: str) -> Response:
    try:
        async with db.transaction() as session:
            await links.acknowledge(session, token, policy)
    except links.LinkRefused:
        return refused(request, pages)
    except DomainError:
        pass  # already acknowledged: show the page as it is now
    # Answered with the referral itself: a redirect would land on the GET, which shows nothing.
    return await link_view(request, pages, db, policy, token)


@router.post("/link/{token}/outcome")
async def link_outcome(
    request: Request,
    pages: PageKit,
    db: Db,
    policy: ReferralPolicy,
    token: str,
    outcome: Annotated[str, Form()] = "",
    reason_code: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    try:
        async with db.transaction() as session:
            reference = await links.report_outcome(
                session, token, outcome, reason_code or None, note.strip() or None, policy
            )
    except links.LinkRefused:
        return refused(request, pages)
    except (DomainError, ValidationError) as exc:
        errors, status = shown_errors(exc)
        try:
            async with db.transaction() as session:
                item = await links.view(session, token, policy)
        except links.LinkRefused:
            return refused(request, pages)
        return shown(request, pages, item, token, errors, status)
    return pages.render(request, "message.html", brand=LINK_BRAND, title=THANK_YOU, reference=reference)
