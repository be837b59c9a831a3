"""The operator frontend: server-rendered pages over the same API the tests and partners use. The call
screen, the contacts list and the advice scripts; the pages' scripts fill them from the API."""

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from hotline_common import codes as shared_codes
from hotline_common.web.pages import PageKit, Pages
from intake.contact import codes
from intake.contact.schemas import CONSENT_FIELDS, URGENCIES
from intake.deps import CallTaker, HotlineStaff
from intake.pages import LOCALES as LOCALES
from intake.screening.rules import GROUPS, RISK_LEVELS, RULES
from intake.scripts.service import may_edit_scripts

# The directory's service types (the shared list referrals uses); choices in the search panel.
SERVICE_TYPES = shared_codes.SERVICE_TYPES
REGIONS = codes.REGIONS
# Labels the list and script pages' scripts show (msgid "<list>:<code>").
LIST_LABELS = {"line": codes.LINES, "caller_role": codes.CALLER_ROLES, "purpose": codes.PURPOSES, "risk": RISK_LEVELS}
SCRIPT_LABELS = {"purpose": codes.PRE_DEPARTURE_PURPOSES, "country": codes.COUNTRIES}

router = APIRouter(include_in_schema=False)


def code_labels(pages: Pages, request: Request, lists: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Labels of codes in the page's language, keyed by their msgids ("<list>:<code>")."""
    translate = pages.gettext(pages.language(request))
    return {f"{prefix}:{code}": translate(f"{prefix}:{code}") for prefix, values in lists.items() for code in values}


def call_screen_context(pages: Pages, request: Request) -> dict[str, Any]:
    """The record sheet's code lists, and the labels its script shows."""
    translate = pages.gettext(pages.language(request))
    return {
        "codes": codes,
        "urgencies": URGENCIES,
        "service_types": SERVICE_TYPES,
        "regions": REGIONS,
        "screening_groups": GROUPS,
        "rules": RULES,
        "risk_labels": {level: translate(f"risk:{level}") for level in RISK_LEVELS},
        "rule_labels": {rule: translate(f"rule:{rule}") for rule in RULES},
        "consent_fields": CONSENT_FIELDS,
        "consent_labels": {field: translate(f"consent_field:{field}") for field in CONSENT_FIELDS},
    }


@router.get("/")
async def call_screen(request: Request, pages: PageKit, principal: CallTaker) -> HTMLResponse:
    return pages.render(request, "call.html", principal=principal, **call_screen_context(pages, request))


@router.get("/contacts")
async def contacts_page(request: Request, pages: PageKit, principal: HotlineStaff) -> HTMLResponse:
    labels = code_labels(pages, request, LIST_LABELS)
    return pages.render(
        request, "contacts.html", principal=principal, codes=codes, risk_levels=RISK_LEVELS, labels=labels
    )


@router.get("/scripts")
async def scripts_page(request: Request, pages: PageKit, principal: HotlineStaff) -> HTMLResponse:
    labels = code_labels(pages, request, SCRIPT_LABELS)
    can_edit = may_edit_scripts(principal)
    return pages.render(request, "scripts.html", principal=principal, codes=codes, can_edit=can_edit, labels=labels)
