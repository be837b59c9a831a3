"""Pages of the caller journal and the director's supervision, over the same service functions as
the API: the journal (filled by journal.js), the live board, the access audit, staff accounts."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from hotline_common.auth import SESSION_COOKIE, Permission
from hotline_common.errors import Unauthenticated
from hotline_common.i18n import Translator
from intake.callers.schemas import CALLBACK_WAYS, DANGER_FLAGS, JOURNAL_KINDS
from intake.contact.schemas import CALLER_ROLES, LINES, PURPOSES, URGENCIES
from intake.director import service
from intake.pages.views import LANG_COOKIE, LOCALES, SERVICE_TYPES, TEMPLATES
from intake.screening.rules import GROUPS

# Code lists whose labels the journal's script shows (msgid "<list>:<code>").
RISK_LEVELS = ("none", "low", "medium", "high")
JOURNAL_LABELS = {
    "danger_flag": DANGER_FLAGS,
    "callback_way": CALLBACK_WAYS,
    "journal_kind": JOURNAL_KINDS,
    "line": LINES,
    "caller_role": CALLER_ROLES,
    "purpose": PURPOSES,
    "risk": RISK_LEVELS,
    "caller_status": ("active", "merged", "destroyed"),
    "indicator_group": tuple(GROUPS),
}


# Actions in the access audit, as the director reads them (an unknown action shows as written).
AUDIT_ACTIONS = (
    "caller.lookup",
    "caller.journal.read",
    "caller.journal.read.break_glass",
    "caller.merges.read",
    "contact.read",
    "staff.created",
    "staff.disabled",
    "staff.enabled",
    "staff.password_reset",
)

# What journal.js says, by key: msgids translated in the intake catalogs.
JS_TEXT = {
    "open": "Open journal",
    "link": "Link to this call",
    "linked": "Linked caller",
    "noMatch": "No caller with this number",
    "linkedMark": "you know this caller",
    "notLinkedMark": "no link: opening needs a stated reason",
    "breakGlassWhy": "You have no contact with and no assignment to this caller. State why you open the journal: "
    "the director will see it.",
    "reason": "Reason",
    "openWithReason": "Open the journal",
    "reasonTooShort": "Give a real reason, at least 10 characters long",
    "identity": "Identity",
    "name": "Name",
    "phones": "Phones",
    "address": "Address",
    "safeTimes": "Safe times to call back",
    "ways": "Safe ways to call back",
    "flags": "Danger flags",
    "timeline": "Timeline",
    "destroyed": "Identity destroyed after the retention period",
    "mergedInto": "Merged into",
    "mergedProfiles": "Merged profiles",
    "undoMerge": "Undo merge",
    "undoReason": "Why undo this merge?",
    "code": "Caller code",
    "status": "Status",
    "note": "Note",
    "due": "Due",
    "done": "done",
    "risk": "Risk",
    "failed": "Could not save; nothing was changed",
    "created": "Profile created",
    "assigned": "Assigned",
    "none": "none",
    "referralTo": "Referral",
    "statusChange": "Referral status",
    "revokeConsent": "Revoke consent",
    "revokeConfirm": "The caller withdrew consent: remove the shared data from the organisation now?",
    "consentRevoked": "Consent revoked",
}


def journal_labels(translator: Translator, lang: str) -> dict[str, str]:
    return {
        f"{prefix}:{code}": translator.gettext(lang, f"{prefix}:{code}")
        for prefix, codes in JOURNAL_LABELS.items()
        for code in codes
    }


def mount(runtime) -> APIRouter:
    translator = Translator(LOCALES)
    templates = Jinja2Templates(directory=str(TEMPLATES))
    zone = ZoneInfo(runtime.settings.timezone)
    templates.env.filters["local"] = lambda at: at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if at else ""
    # The call screen includes the journal panel: give its template the labels too.
    pages = APIRouter(include_in_schema=False)

    def language(request: Request) -> str:
        return translator.pick(request.query_params.get("lang") or request.cookies.get(LANG_COOKIE))

    def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        lang = language(request)

        def action_label(action: str) -> str:
            msgid = f"audit_action:{action}"
            label = translator.gettext(lang, msgid)
            return action if label == msgid else label

        context.update(
            lang=lang,
            _=lambda msgid: translator.gettext(lang, msgid),
            timezone=runtime.settings.timezone,
            journal_labels=journal_labels(translator, lang),
            action_label=action_label,
        )
        response = templates.TemplateResponse(request, name, context, status_code=status)
        if request.query_params.get("lang"):
            response.set_cookie(LANG_COOKIE, lang, samesite="strict", max_age=365 * 24 * 3600)
        return response

    async def signed_in(request: Request):
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        try:
            return await runtime.verifier.verify(token)
        except Unauthenticated:
            return None

    async def gate(request: Request, permission: Permission):
        """The principal, or the response to send instead (sign in, or not for this role)."""
        principal = await signed_in(request)
        if principal is None:
            return None, RedirectResponse("/login", status_code=303)
        if not principal.can(permission):
            return None, render(
                request, "login.html", status=403, principal=principal, error="This screen is for hotline staff"
            )
        return principal, None

    @pages.get("/callers/{caller_id}")
    async def journal_page(request: Request, caller_id: str) -> Response:
        principal, refused = await gate(request, Permission.CONTACT_READ)
        if refused:
            return refused
        is_director = principal.can(Permission.AUDIT_READ)
        staff = []
        if is_director:
            async with runtime.db.reader() as session:
                staff = [s for s in await service.staff(session, principal) if s.role in service.HOTLINE_ROLES]
        return render(
            request, "journal.html", principal=principal, caller_id=caller_id, is_director=is_director, staff=staff
        )

    @pages.get("/journal-text.js")
    async def journal_text(request: Request) -> Response:
        """The journal script's labels and messages in the page's language (no personal data)."""
        lang = language(request)
        text = {key: translator.gettext(lang, msgid) for key, msgid in JS_TEXT.items()}
        body = (
            "window.HOTLINE_JOURNAL = "
            + json.dumps(
                {
                    "lang": lang,
                    "timezone": runtime.settings.timezone,
                    "labels": journal_labels(translator, lang),
                    "text": text,
                },
                ensure_ascii=False,
            )
            + ";\n"
        )
        return Response(body, media_type="text/javascript", headers={"Cache-Control": "no-store", "Vary": "Cookie"})

    @pages.get("/director")
    async def board_page(request: Request) -> Response:
        principal, refused = await gate(request, Permission.AUDIT_READ)
        if refused:
            return refused
        async with runtime.db.reader() as session:
            staff = [s for s in await service.staff(session, principal) if s.role in service.HOTLINE_ROLES]
        return render(
            request,
            "director_board.html",
            principal=principal,
            staff=staff,
            indicator_groups=tuple(GROUPS),
            service_types=SERVICE_TYPES,
            urgencies=URGENCIES,
        )

    @pages.get("/director/audit")
    async def audit_page(request: Request) -> Response:
        principal, refused = await gate(request, Permission.AUDIT_READ)
        if refused:
            return refused
        flagged = request.query_params.get("break_glass_only") == "1"
        async with runtime.db.reader() as session:
            rows = await service.audit(session, principal, break_glass_only=flagged, limit=200)
        return render(request, "director_audit.html", principal=principal, rows=rows, flagged=flagged)

    @pages.get("/director/staff")
    async def staff_page(request: Request) -> Response:
        principal, refused = await gate(request, Permission.AUDIT_READ)
        if refused:
            return refused
        async with runtime.db.reader() as session:
            staff = await service.staff(session, principal)
        return render(request, "director_staff.html", principal=principal, staff=staff)

    runtime.app.include_router(pages)
    return pages
