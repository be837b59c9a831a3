"""Pages of the caller journal and the director's supervision, over the same service functions as
the API: the journal (filled by journal.js), the live board, the access audit, staff accounts."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from hotline_common.i18n import Translator
from hotline_common.web.deps import Db
from hotline_common.web.pages import PageKit, Pages
from intake.callers.schemas import CALLBACK_WAYS, DANGER_FLAGS, JOURNAL_KINDS
from intake.contact.schemas import CALLER_ROLES, LINES, PURPOSES, URGENCIES
from intake.deps import AuditReader, HotlineStaff, Settings, Supervisor
from intake.director import service
from intake.director.schemas import StaffOut
from intake.pages.views import SERVICE_TYPES
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
    "caller.merges.read.break_glass",
    "contact.read",
    "contact.read.break_glass",
    "staff.created",
    "staff.disabled",
    "staff.enabled",
    "staff.password_reset",
    "staff.sessions_ended",
    "staff.locked",
    "staff.unlocked",
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
    """The labels of the codes the journal shows, in `lang`, keyed by their msgids."""
    return {
        f"{prefix}:{code}": translator.gettext(lang, f"{prefix}:{code}")
        for prefix, codes in JOURNAL_LABELS.items()
        for code in codes
    }


def journal_text(pages: Pages, request: Request, timezone: str) -> str:
    """The journal script's labels and messages in the page's language, as a script setting a global."""
    lang = pages.language(request)
    settings = {
        "lang": lang,
        "timezone": timezone,
        "labels": journal_labels(pages.translator, lang),
        "text": {key: pages.translator.gettext(lang, msgid) for key, msgid in JS_TEXT.items()},
    }
    return "window.HOTLINE_JOURNAL = " + json.dumps(settings, ensure_ascii=False) + ";\n"


def audit_action_labels(pages: Pages, request: Request) -> dict[str, str]:
    """The access audit's actions as the director reads them (an unknown action shows as written)."""
    lang = pages.language(request)
    return {
        action: pages.translator.gettext(lang, f"audit_action:{action}")
        for action in AUDIT_ACTIONS
        if pages.translator.has(lang, f"audit_action:{action}")
    }


router = APIRouter(include_in_schema=False)


@router.get("/callers/{caller_id}")
async def journal_page(
    request: Request, caller_id: str, pages: PageKit, db: Db, principal: HotlineStaff
) -> HTMLResponse:
    can_assign = service.may_supervise(principal)
    staff: list[StaffOut] = []
    if can_assign:
        async with db.reader() as session:
            staff = await service.assignable_staff(session, principal)
    return pages.render(
        request, "journal.html", principal=principal, caller_id=caller_id, can_assign=can_assign, staff=staff
    )


@router.get("/journal-text.js")
async def journal_text_script(request: Request, pages: PageKit, settings: Settings) -> Response:
    """No personal data: the same for everyone who reads the page's language."""
    return Response(
        journal_text(pages, request, settings.timezone),
        media_type="text/javascript",
        headers={"Cache-Control": "no-store", "Vary": "Cookie"},
    )


@router.get("/director")
async def board_page(request: Request, pages: PageKit, db: Db, principal: Supervisor) -> HTMLResponse:
    async with db.reader() as session:
        staff = await service.assignable_staff(session, principal)
    return pages.render(
        request,
        "director_board.html",
        principal=principal,
        staff=staff,
        indicator_groups=tuple(GROUPS),
        service_types=SERVICE_TYPES,
        urgencies=URGENCIES,
    )


@router.get("/director/audit")
async def audit_page(
    request: Request,
    pages: PageKit,
    db: Db,
    principal: AuditReader,
    break_glass_only: Annotated[str, Query()] = "",
) -> HTMLResponse:
    flagged = break_glass_only == "1"
    async with db.reader() as session:
        rows = await service.audit(session, principal, break_glass_only=flagged, limit=200)
    labels = audit_action_labels(pages, request)
    return pages.render(
        request, "director_audit.html", principal=principal, rows=rows, flagged=flagged, action_labels=labels
    )


@router.get("/director/staff")
async def staff_page(request: Request, pages: PageKit, db: Db, principal: Supervisor) -> HTMLResponse:
    async with db.reader() as session:
        staff = await service.staff(session, principal)
    return pages.render(
        request,
        "director_staff.html",
        principal=principal,
        staff=staff,
        may_toggle=service.may_toggle,
        is_locked=service.is_locked,
        hotline_roles=service.HOTLINE_ROLES,
    )
