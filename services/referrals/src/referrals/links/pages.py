"""The one-time link pages (/link/<token>): a specialist without an account sees the referral (the
consented fields only), acknowledges it and reports one outcome. A used, expired or tampered link
gets one refusal (410) with nothing of the referral. The pages are never cached and never leak
their address (the runtime's page kit: no-store, no-referrer)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from hotline_common.errors import DomainError
from hotline_common.i18n_markers import N_
from hotline_common.web.deps import Db
from hotline_common.web.pages import PageKit, Pages, shown_errors
from referrals.deps import ReferralPolicy
from referrals.links import service as links

# The header of the pages a specialist without an account opens from a one-time link.
LINK_BRAND = N_("Referral from the 152 hotline")
CANNOT_BE_USED = N_("This link cannot be used")
WHY_NOT = N_("It was already used, it expired, or it is not a link the hotline sent. Please contact the hotline.")
THANK_YOU = N_("Thank you: the outcome was sent to the hotline")

router = APIRouter(include_in_schema=False)


def refused(request: Request, pages: Pages) -> HTMLResponse:
    return pages.render(request, "message.html", status=410, brand=LINK_BRAND, title=CANNOT_BE_USED, text=WHY_NOT)


@router.get("/link/{token}")
async def link_page(request: Request, pages: PageKit, db: Db, policy: ReferralPolicy, token: str) -> Response:
    try:
        async with db.transaction() as session:  # showing consented values is logged
            item = await links.view(session, token, policy)
    except links.LinkRefused:
        return refused(request, pages)
    return pages.render(request, "link.html", brand=LINK_BRAND, item=item, token=token, errors=[])


@router.post("/link/{token}/acknowledge")
async def link_acknowledge(request: Request, pages: PageKit, db: Db, policy: ReferralPolicy, token: str) -> Response:
    try:
        async with db.transaction() as session:
            await links.acknowledge(session, token, policy)
    except links.LinkRefused:
        return refused(request, pages)
    except DomainError:
        pass  # already acknowledged: show the page as it is now
    return RedirectResponse(f"/link/{token}", status_code=303)


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
        return pages.render(
            request, "link.html", status=status, brand=LINK_BRAND, item=item, token=token, errors=errors
        )
    return pages.render(request, "message.html", brand=LINK_BRAND, title=THANK_YOU, reference=reference)
