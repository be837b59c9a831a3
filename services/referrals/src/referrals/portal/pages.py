"""Pages served by referrals: the partner portal (/portal) and the one-time link page (/link/<token>).

Sign-in: the portal's form posts the username and password to the issuer's token endpoint
(AUTH_TOKEN_URL; intake's built-in issuer in the embedded default) and keeps the token in an
HttpOnly, SameSite=Strict session cookie — the same cookie every service's principal dependency
reads. Every action goes through the same service.py functions as the partner API."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from hotline_common.auth import SESSION_COOKIE, Role
from hotline_common.errors import DomainError, Unauthenticated
from hotline_common.i18n import Translator
from hotline_common.resources import package_dir
from referrals.links import service as links
from referrals.referral import lifecycle, service
from referrals.referral.schemas import SHAREABLE_FIELDS, NoteIn, StatusChange
from referrals.signin import SignInRefused, sign_in_at_issuer

TEMPLATES = package_dir("referrals", "portal", "templates")
STATIC = package_dir("referrals", "portal", "static")
LOCALES = package_dir("referrals", "locales")
LANG_COOKIE = "lang"
PORTAL_COOKIE = SESSION_COOKIE
# Never let a link page be cached or leak its URL to another site.
# The header of the pages a specialist without an account opens from a one-time link.
LINK_BRAND = "Referral from the 152 hotline"
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def mount(runtime) -> APIRouter:
    translator = Translator(LOCALES)
    templates = Jinja2Templates(directory=str(TEMPLATES))
    runtime.app.mount("/portal/static", StaticFiles(directory=str(STATIC)), name="portal-static")
    pages = APIRouter(include_in_schema=False)
    policy = runtime.referral_policy
    zone = ZoneInfo(runtime.settings.timezone)

    def local(moment) -> str:
        """Stored UTC, shown in the hotline's local time (TIMEZONE)."""
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")

    def language(request: Request) -> str:
        return translator.pick(request.query_params.get("lang") or request.cookies.get(LANG_COOKIE))

    def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        lang = language(request)
        context.setdefault("principal", None)
        context.setdefault("brand", None)
        context.update(
            lang=lang,
            _=lambda msgid: translator.gettext(lang, msgid),
            reasons=lifecycle.REASONS,
            local=local,
            fields=SHAREABLE_FIELDS,
        )
        response = templates.TemplateResponse(request, name, context, status_code=status, headers=PRIVATE_HEADERS)
        if request.query_params.get("lang"):
            response.set_cookie(LANG_COOKIE, lang, samesite="strict", max_age=365 * 24 * 3600)
        return response

    async def partner(request: Request):
        token = request.cookies.get(PORTAL_COOKIE)
        if not token:
            return None
        try:
            principal = await runtime.verifier.verify(token)
        except Unauthenticated:
            return None
        return principal

    def error_text(exc: DomainError | ValidationError) -> str:
        if isinstance(exc, ValidationError):
            return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return exc.message

    # --- portal -----------------------------------------------------------------------------------

    @pages.get("/portal/login")
    async def login_page(request: Request):
        return render(request, "login.html", error=None)

    @pages.post("/portal/login")
    async def login(request: Request, username: str = Form(""), password: str = Form("")):
        try:
            signed_in = await sign_in_at_issuer(runtime, username, password)
        except SignInRefused as refusal:
            return render(request, "login.html", status=refusal.status, error=refusal.message)
        if signed_in.principal.role != Role.PARTNER:
            return render(request, "login.html", status=403, error="This portal is for partner organisations")
        response = RedirectResponse("/portal", status_code=303)
        response.set_cookie(
            PORTAL_COOKIE, signed_in.token, httponly=True, samesite="strict", max_age=signed_in.expires_in
        )
        return response

    @pages.post("/portal/logout")
    async def logout():
        response = RedirectResponse("/portal/login", status_code=303)
        response.delete_cookie(PORTAL_COOKIE)
        return response

    @pages.get("/portal")
    async def portal_list(request: Request) -> Response:
        principal = await partner(request)
        if principal is None:
            return RedirectResponse("/portal/login", status_code=303)
        try:
            async with runtime.db.transaction() as session:  # showing consented values is logged
                items = await service.partner_list(session, principal, policy, limit=200, channel="portal")
        except DomainError as exc:
            return render(
                request, "login.html", status=exc.http_status, error="This portal is for partner organisations"
            )
        return render(request, "list.html", principal=principal, items=items)

    async def detail(request: Request, principal, referral_id: str, error: str | None = None, status: int = 200):
        try:
            async with runtime.db.transaction() as session:
                item = await service.partner_get(session, principal, referral_id, policy, channel="portal")
        except DomainError as exc:  # not this organisation's (or no such referral): say only that
            return render(
                request,
                "message.html",
                status=exc.http_status,
                principal=principal,
                title="Referral not found",
                text=None,
            )
        return render(request, "detail.html", status=status, principal=principal, item=item, error=error)

    @pages.get("/portal/referrals/{referral_id}")
    async def portal_detail(request: Request, referral_id: str) -> Response:
        principal = await partner(request)
        if principal is None:
            return RedirectResponse("/portal/login", status_code=303)
        return await detail(request, principal, referral_id)

    @pages.post("/portal/referrals/{referral_id}/status")
    async def portal_status(
        request: Request, referral_id: str, to_status: str = Form(""), reason_code: str = Form("")
    ) -> Response:
        principal = await partner(request)
        if principal is None:
            return RedirectResponse("/portal/login", status_code=303)
        try:
            change = StatusChange(to_status=to_status, reason_code=reason_code or None)
            async with runtime.db.transaction() as session:
                await service.partner_change_status(session, principal, referral_id, change, policy, channel=None)
        except (DomainError, ValidationError) as exc:
            status = 422 if isinstance(exc, ValidationError) else exc.http_status
            return await detail(request, principal, referral_id, error=error_text(exc), status=status)
        return RedirectResponse(f"/portal/referrals/{referral_id}", status_code=303)

    @pages.post("/portal/referrals/{referral_id}/notes")
    async def portal_note(request: Request, referral_id: str, body: str = Form("")) -> Response:
        principal = await partner(request)
        if principal is None:
            return RedirectResponse("/portal/login", status_code=303)
        try:
            note = NoteIn(body=body)
            async with runtime.db.transaction() as session:
                await service.partner_add_note(session, principal, referral_id, note, policy, channel=None)
        except (DomainError, ValidationError) as exc:
            status = 422 if isinstance(exc, ValidationError) else exc.http_status
            return await detail(request, principal, referral_id, error=error_text(exc), status=status)
        return RedirectResponse(f"/portal/referrals/{referral_id}", status_code=303)

    # --- one-time links -------------------------------------------------------------------------

    def refused(request: Request) -> HTMLResponse:
        return render(
            request,
            "message.html",
            status=410,
            brand=LINK_BRAND,
            title="This link cannot be used",
            text="It was already used, it expired, or it is not a link the hotline sent. Please contact the hotline.",
        )

    @pages.get("/link/{token}")
    async def link_page(request: Request, token: str) -> Response:
        try:
            async with runtime.db.transaction() as session:
                item = await links.view(session, token, policy)
        except links.LinkRefused:
            return refused(request)
        return render(request, "link.html", brand=LINK_BRAND, item=item, token=token, error=None)

    @pages.post("/link/{token}/acknowledge")
    async def link_acknowledge(request: Request, token: str) -> Response:
        try:
            async with runtime.db.transaction() as session:
                await links.acknowledge(session, token, policy)
        except links.LinkRefused:
            return refused(request)
        except DomainError:
            pass  # already acknowledged: show the page as it is now
        return RedirectResponse(f"/link/{token}", status_code=303)

    @pages.post("/link/{token}/outcome")
    async def link_outcome(
        request: Request, token: str, outcome: str = Form(""), reason_code: str = Form(""), note: str = Form("")
    ) -> Response:
        try:
            async with runtime.db.transaction() as session:
                reference = await links.report_outcome(
                    session, token, outcome, reason_code or None, note.strip() or None, policy
                )
        except links.LinkRefused:
            return refused(request)
        except (DomainError, ValidationError) as exc:
            try:
                async with runtime.db.transaction() as session:
                    item = await links.view(session, token, policy)
            except links.LinkRefused:
                return refused(request)
            status = 422 if isinstance(exc, ValidationError) else exc.http_status
            return render(
                request, "link.html", status=status, brand=LINK_BRAND, item=item, token=token, error=error_text(exc)
            )
        return render(
            request,
            "message.html",
            brand=LINK_BRAND,
            title="Thank you: the outcome was sent to the hotline",
            text=reference,
        )

    runtime.app.include_router(pages)
    return pages
