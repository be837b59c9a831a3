"""The operator frontend: server-rendered pages over the same API the tests and partners use."""

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from hotline_common.auth import SESSION_COOKIE, Permission
from hotline_common.errors import Unauthenticated
from hotline_common.i18n import Translator
from hotline_common.resources import package_dir
from intake.accounts import service as accounts
from intake.accounts.schemas import Credentials
from intake.contact import codes
from intake.contact.schemas import CONSENT_FIELDS, URGENCIES
from intake.pages.homes import home_for, other_screens
from intake.screening.rules import GROUPS, RISK_LEVELS, RULES

TEMPLATES = package_dir("intake", "pages", "templates")
STATIC = package_dir("intake", "pages", "static")
LOCALES = package_dir("intake", "locales")
LANG_COOKIE = "lang"

# The directory's service types, as referrals defines them; shown as choices in the search panel.
SERVICE_TYPES = (
    "psychologist",
    "legal_aid",
    "medical",
    "shelter",
    "social_assistance",
    "employment",
    "education",
    "return_reintegration",
    "law_enforcement",
    "consular",
    "child_protection",
    "other",
)
REGIONS = codes.REGIONS
# Labels the list and script pages' scripts show (msgid "<list>:<code>").
LIST_LABELS = {"line": codes.LINES, "caller_role": codes.CALLER_ROLES, "purpose": codes.PURPOSES, "risk": RISK_LEVELS}
SCRIPT_LABELS = {"purpose": codes.PRE_DEPARTURE_PURPOSES, "country": codes.COUNTRIES}


def mount(runtime) -> APIRouter:
    translator = Translator(LOCALES)
    templates = Jinja2Templates(directory=str(TEMPLATES))
    runtime.app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    pages = APIRouter(include_in_schema=False)

    def language(request: Request) -> str:
        return translator.pick(request.query_params.get("lang") or request.cookies.get(LANG_COOKIE))

    def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        lang = language(request)
        context.update(lang=lang, _=lambda msgid: translator.gettext(lang, msgid))
        response = templates.TemplateResponse(request, name, context, status_code=status)
        if request.query_params.get("lang"):
            response.set_cookie(LANG_COOKIE, lang, samesite="strict", max_age=365 * 24 * 3600)
        return response

    async def optional_principal(request: Request):
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        try:
            return await runtime.verifier.verify(token)
        except Unauthenticated:
            return None

    @pages.get("/login")
    async def login_page(request: Request):
        return render(request, "login.html", principal=None, error=None)

    @pages.post("/login")
    async def login(request: Request, username: str = Form(""), password: str = Form("")):
        try:
            async with runtime.db.reader() as session:
                token = await accounts.sign_in(
                    session, runtime.issuer, Credentials(username=username or "-", password=password or "-")
                )
        except Unauthenticated:
            return render(request, "login.html", status=401, principal=None, error="Wrong username or password")
        principal = await runtime.verifier.verify(token.access_token)
        response = RedirectResponse(home_for(principal, runtime.settings), status_code=303)
        response.set_cookie(
            SESSION_COOKIE, token.access_token, httponly=True, samesite="strict", max_age=token.expires_in
        )
        return response

    @pages.post("/logout")
    async def logout():
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @pages.get("/")
    async def call_screen(request: Request) -> Response:
        principal = await optional_principal(request)
        if principal is None:
            return RedirectResponse("/login", status_code=303)
        if not principal.can(Permission.CONTACT_RECORD):
            return render(
                request,
                "login.html",
                status=403,
                principal=principal,
                error="This screen is for hotline staff",
                screens=other_screens(runtime.settings),
            )
        lang = language(request)
        return render(
            request,
            "call.html",
            principal=principal,
            codes=codes,
            urgencies=URGENCIES,
            service_types=SERVICE_TYPES,
            regions=REGIONS,
            screening_groups=GROUPS,
            rules=RULES,
            timezone=runtime.settings.timezone,
            risk_labels={lvl: translator.gettext(lang, f"risk:{lvl}") for lvl in RISK_LEVELS},
            rule_labels={rule: translator.gettext(lang, f"rule:{rule}") for rule in RULES},
            consent_fields=CONSENT_FIELDS,
            consent_labels={f: translator.gettext(lang, f"consent_field:{f}") for f in CONSENT_FIELDS},
        )

    def labels(request: Request, lists: dict[str, tuple[str, ...]]) -> dict[str, str]:
        lang = language(request)
        return {
            f"{prefix}:{code}": translator.gettext(lang, f"{prefix}:{code}")
            for prefix, values in lists.items()
            for code in values
        }

    async def staff_page(request: Request):
        principal = await optional_principal(request)
        if principal is None:
            return None, RedirectResponse("/login", status_code=303)
        if not principal.can(Permission.CONTACT_READ):
            return None, render(
                request, "login.html", status=403, principal=principal, error="This screen is for hotline staff"
            )
        return principal, None

    @pages.get("/contacts")
    async def contacts_page(request: Request) -> Response:
        principal, refusal = await staff_page(request)
        if refusal:
            return refusal
        return render(
            request,
            "contacts.html",
            principal=principal,
            codes=codes,
            risk_levels=RISK_LEVELS,
            timezone=runtime.settings.timezone,
            labels=labels(request, LIST_LABELS),
        )

    @pages.get("/scripts")
    async def scripts_page(request: Request) -> Response:
        principal, refusal = await staff_page(request)
        if refusal:
            return refusal
        return render(
            request,
            "scripts.html",
            principal=principal,
            codes=codes,
            can_edit=principal.role == "director",
            timezone=runtime.settings.timezone,
            labels=labels(request, SCRIPT_LABELS),
        )

    runtime.app.include_router(pages)
    return pages
