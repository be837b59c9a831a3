"""Pages for the people who keep the directory (director, admin): organisations and services,
editing with the history of every change, CSV import/export, and shelters' free places (also for
a shelter's own partner users). Served by referrals under /directory; every action goes through
service.py, so the rules are the API's. Sign-in posts to the issuer's token endpoint
(AUTH_TOKEN_URL) and keeps the token in the shared HttpOnly, SameSite=Strict session cookie."""

from __future__ import annotations

from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from hotline_common.auth import SESSION_COOKIE, Permission, Principal
from hotline_common.errors import DomainError, FieldProblem, InvalidInput, Unauthenticated
from hotline_common.i18n import Translator
from hotline_common.resources import package_dir
from referrals.directory import csvio, hours, reasons, service
from referrals.directory.schemas import (
    ELIGIBILITY,
    LANGUAGES,
    ORGANISATION_KINDS,
    REGIONS,
    SERVICE_TYPES,
    FreePlacesIn,
)
from referrals.signin import SignInRefused, sign_in_at_issuer

TEMPLATES = package_dir("referrals", "directory", "templates")
STATIC = package_dir("referrals", "directory", "static")
LOCALES = package_dir("referrals", "locales")
LANG_COOKIE = "lang"
MAX_UPLOAD = 5 * 1024 * 1024
PAGE_HEADERS = {"Cache-Control": "no-store"}


def hours_from_form(form) -> tuple[str, list[FieldProblem]]:
    """Seven inputs ("09:00-13:00, 14:00-18:00", empty = closed) -> the canonical text; a bad day
    is named by its own input."""
    clauses, problems = [], []
    for day in hours.DAYS:
        value = (form.get(f"hours_{day}") or "").strip()
        if not value:
            continue
        try:
            hours.parse(f"{day} {value}")
        except ValueError as exc:
            problems.append(FieldProblem(f"hours_{day}", str(exc)))
            continue
        clauses.append(f"{day} {value}")
    return "; ".join(clauses), problems


def service_values(form) -> tuple[dict, list[FieldProblem]]:
    text, problems = hours_from_form(form)
    values = {
        name: (form.get(name) or "").strip()
        for name in (
            "organisation_id",
            "name",
            "service_type",
            "region",
            "city",
            "address",
            "phone",
            "email",
            "website",
        )
    }
    for name in ("latitude", "longitude", "capacity", "free_places"):
        raw = (form.get(name) or "").strip().replace(",", ".")
        values[name] = raw or None
    values["languages"] = form.getlist("languages")
    values["eligibility"] = form.getlist("eligibility")
    values["opening_hours"] = text
    return values, problems


def mount(runtime) -> APIRouter:
    translator = Translator(LOCALES)
    templates = Jinja2Templates(directory=str(TEMPLATES))
    runtime.app.mount("/directory/static", StaticFiles(directory=str(STATIC)), name="directory-static")
    pages = APIRouter(include_in_schema=False)
    zone = runtime.settings.timezone
    local_zone = ZoneInfo(zone)

    def language(request: Request) -> str:
        return translator.pick(request.query_params.get("lang") or request.cookies.get(LANG_COOKIE))

    def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        lang = language(request)
        context.setdefault("principal", None)

        def gettext(msgid: str) -> str:
            return translator.gettext(lang, msgid)

        context.update(
            lang=lang,
            _=gettext,
            reason=lambda text: reasons.translate(text, gettext),
            service_types=SERVICE_TYPES,
            kinds=ORGANISATION_KINDS,
            languages=LANGUAGES,
            eligibility=ELIGIBILITY,
            regions=REGIONS,
            days=hours.DAYS,
            local=lambda moment: moment.astimezone(local_zone).strftime("%Y-%m-%d %H:%M"),
            saved=request.query_params.get("saved") == "1",
        )
        response = templates.TemplateResponse(request, name, context, status_code=status, headers=PAGE_HEADERS)
        if request.query_params.get("lang"):
            response.set_cookie(LANG_COOKIE, lang, samesite="strict", max_age=365 * 24 * 3600)
        return response

    async def signed_in(request: Request) -> Principal | None:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        try:
            return await runtime.verifier.verify(token)
        except Unauthenticated:
            return None

    def refused(request: Request, principal: Principal) -> HTMLResponse:
        return render(
            request,
            "directory_message.html",
            status=403,
            principal=principal,
            title="Only the directory's keepers may open this page",
            text=None,
        )

    async def keeper(request: Request) -> Principal | Response:
        """The signed-in keeper of the directory, or the response that sends anyone else away."""
        principal = await signed_in(request)
        if principal is None:
            return RedirectResponse("/directory/login", status_code=303)
        if not principal.can(Permission.DIRECTORY_MANAGE):
            return refused(request, principal)
        return principal

    def problems_of(exc: InvalidInput) -> dict[str, str]:
        return {p.field: p.reason for p in exc.problems}

    # --- sign-in ----------------------------------------------------------------------------------

    @pages.get("/directory/login")
    async def login_page(request: Request):
        return render(request, "directory_login.html", error=None)

    @pages.post("/directory/login")
    async def login(request: Request, username: str = Form(""), password: str = Form("")):
        try:
            signed_in = await sign_in_at_issuer(runtime, username, password)
        except SignInRefused as refusal:
            return render(request, "directory_login.html", status=refusal.status, error=refusal.message)
        can_manage = signed_in.principal.can(Permission.DIRECTORY_MANAGE)
        response = RedirectResponse("/directory" if can_manage else "/directory/places", status_code=303)
        response.set_cookie(
            SESSION_COOKIE, signed_in.token, httponly=True, samesite="strict", max_age=signed_in.expires_in
        )
        return response

    @pages.post("/directory/logout")
    async def logout():
        response = RedirectResponse("/directory/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    # --- the directory ----------------------------------------------------------------------------

    @pages.get("/directory")
    async def overview(request: Request) -> Response:
        principal = await keeper(request)
        if isinstance(principal, Response):
            return principal
        params = request.query_params
        filters = {
            "service_type": params.get("service_type") or None,
            "region": params.get("region") or None,
            "text": (params.get("text") or "").strip()[:100] or None,
        }
        raw_page = params.get("page") or "1"
        if not raw_page.isdigit() or int(raw_page) < 1:
            return render(
                request, "directory_message.html", status=422, principal=principal, title="No such page", text=None
            )
        async with runtime.db.reader() as session:
            listing = await service.list_directory_page(
                session,
                principal,
                page=int(raw_page),
                zone=zone,
                service_type=filters["service_type"],
                region=filters["region"],
                text=filters["text"],
            )
            changes = await service.history(session, principal, limit=20)
        # The filters are kept on the links to the other pages.
        query = {name: value for name, value in filters.items() if value}
        return render(
            request,
            "directory_list.html",
            principal=principal,
            organisations=listing.organisations,
            listing=listing,
            page_link=lambda n: "/directory?" + urlencode(query | {"page": n}),
            changes=changes,
            filters=filters,
        )

    async def service_form(
        request: Request, principal: Principal, *, entry=None, values=None, problems=None, status: int = 200
    ) -> HTMLResponse:
        async with runtime.db.reader() as session:
            organisations = await service.organisation_choices(session, principal)
            changes = await service.history(session, principal, entity_id=entry.id) if entry else []
        return render(
            request,
            "directory_service.html",
            status=status,
            principal=principal,
            entry=entry,
            values=values or {},
            problems=problems or {},
            organisations=organisations,
            changes=changes,
        )

    def entry_values(entry) -> dict:
        values = entry.model_dump()
        for day, spans in entry.hours.items():
            values[f"hours_{day}"] = ", ".join(spans)
        return values

    @pages.get("/directory/services/new")
    async def new_service(request: Request, organisation_id: str = "") -> Response:
        principal = await keeper(request)
        if isinstance(principal, Response):
            return principal
        return await service_form(
            request,
            principal,
            values={"organisation_id": organisation_id, "languages": ["az"], "eligibility": list(ELIGIBILITY)},
        )

    @pages.post("/directory/services/new")
    async def create_service(request: Request) -> Response:
        principal = await keeper(request)
        if isinstance(principal, Response):
            return principal
        form = await request.form()
        values, problems = service_values(form)
        try:
            if problems:
                raise InvalidInput(problems)
            async with runtime.db.transaction() as session:
                created = await service.create_service(session, principal, values)
        except InvalidInput as exc:
            shown = dict(form) | {"languages": form.getlist("languages"), "eligibility": form.getlist("eligibility")}
            return await service_form(request, principal, values=shown, problems=problems_of(exc), status=422)
        return RedirectResponse(f"/directory/services/{created.id}?saved=1", status_code=303)

    @pages.get("/directory/services/{service_id}")
    async def edit_service(request: Request, service_id: str) -> Response:
        principal = await keeper(request)
        if isinstance(principal, Response):
            return principal
        try:
            async with runtime.db.reader() as session:
                entry = await service.read_service(session, principal, service_id, zone=zone)
        except DomainError as exc:
            return render(
                request,
                "directory_message.html",
                status=exc.http_status,
                principal=principal,
                title="Not found",
                text=None,
            )
        return await service_form(request, principal, entry=entry, values=entry_values(entry))

    @pages.post("/directory/services/{service_id}")
    async def update_service(request: Request, service_id: str) -> Response:
        principal = await keeper(request)
        if isinstance(principal, Response):
            return principal
        form = await request.form()
        values, problems = service_values(form)
        async with runtime.db.reader() as session:
            entry = await service.read_service(session, principal, service_id, zone=zone)
        try:
            if problems:
                raise InvalidInput(problems)
            async with runtime.db.transaction() as session:
                await service.update_service(session, principal, service_id, values)
        except InvalidInput as exc:
            shown = dict(form) | {"languages": form.getlist("languages"), "eligibility": form.getlist("eligibility")}
            return await service_form(
                request, principal, entry=entry, values=shown, problems=problems_of(exc), status=422
            )
        return RedirectResponse(f"/directory/services/{service_id}?saved=1", status_code=303)

    @pages.post("/directory/services/{service_id}/active")
    async def service_active(request: Request, service_id: str, active: str = Form("")) -> Response:
        principal = await keeper(request)
        if isinstance(principal, Response):
            return principal
        async with runtime.db.transaction() as session:
            await service.set_service_active(session, principal, service_id, active == "1")
        return RedirectResponse(f"/directory/services/{service_id}?saved=1", status_code=303)

    async def organisation_form(
        request: Request, principal: Principal, *, org=None, values=None, problems=None, status: int = 200
    ) -> HTMLResponse:
        async with runtime.db.reader() as session:
            changes = await service.history(session, principal, organisation_id=org.id) if org else []
        return render(
            request,
            "directory_organisation.html",
            status=status,
            principal=principal,
            org=org,
            values=values or {},
            problems=problems or {},
            changes=changes,
        )

    def organisation_values(form) -> dict:
        return {name: (form.get(name) or "").strip() for name in ("name", "kind", "phone", "email", "website")}

    @pages.get("/directory/organisations/new")
    async def new_organisation(request: Request) -> Response:
        principal = await keeper(request)
        if isinstance(principal, Response):
            return principal
        return await organisation_form(request, principal, values={"kind": "ngo"})

    @pages.post("/directory/organisations/new")
    async def create_organisation(request: Request) -> Response:
        principal = await keeper(request)
        if isinstance(principal, Response):
            return principal
        values = organisation_values(await request.form())
        try:
            async with runtime.db.transaction() as session:
                created = await service.create_organisation(session, principal, values)
        except InvalidInput as exc:
            return await organisation_form(request, principal, values=values, problems=problems_of(exc), status=422)
        return RedirectResponse(f"/directory/organisations/{created.id}?saved=1", status_code=303)

    @pages.get("/directory/organisations/{organisation_id}")
    async def edit_organisation(request: Request, organisation_id: str) -> Response:
        principal = await keeper(request)
        if isinstance(principal, Response):
            return principal
        try:
            async with runtime.db.reader() as session:
                org = await service.read_organisation(session, principal, organisation_id, zone=zone)
        except DomainError as exc:
            return render(
                request,
                "directory_message.html",
                status=exc.http_status,
                principal=principal,
                title="Not found",
                text=None,
            )
        return await organisation_form(request, principal, org=org, values=org.model_dump())

    @pages.post("/directory/organisations/{organisation_id}")
    async def update_organisation(request: Request, organisation_id: str) -> Response:
        principal = await keeper(request)
        if isinstance(principal, Response):
            return principal
        values = organisation_values(await request.form())
        async with runtime.db.reader() as session:
            org = await service.read_organisation(session, principal, organisation_id, zone=zone)
        try:
            async with runtime.db.transaction() as session:
                await service.update_organisation(session, principal, organisation_id, values)
        except InvalidInput as exc:
            return await organisation_form(
                request, principal, org=org, values=values, problems=problems_of(exc), status=422
            )
        return RedirectResponse(f"/directory/organisations/{organisation_id}?saved=1", status_code=303)

    @pages.post("/directory/organisations/{organisation_id}/active")
    async def organisation_active(request: Request, organisation_id: str, active: str = Form("")) -> Response:
        principal = await keeper(request)
        if isinstance(principal, Response):
            return principal
        async with runtime.db.transaction() as session:
            await service.set_organisation_active(session, principal, organisation_id, active == "1")
        return RedirectResponse(f"/directory/organisations/{organisation_id}?saved=1", status_code=303)

    # --- CSV --------------------------------------------------------------------------------------

    @pages.get("/directory/import")
    async def import_page(request: Request) -> Response:
        principal = await keeper(request)
        if isinstance(principal, Response):
            return principal
        return render(request, "directory_import.html", principal=principal, problems=[], report=None)

    @pages.post("/directory/import")
    async def import_file(request: Request, file: UploadFile = File(...)) -> Response:
        principal = await keeper(request)
        if isinstance(principal, Response):
            return principal
        body = await file.read(MAX_UPLOAD + 1)
        try:
            text = csvio.decode(body, MAX_UPLOAD)
            async with runtime.db.transaction() as session:
                report = await csvio.import_directory(session, principal, text)
        except InvalidInput as exc:
            rows = []
            for problem in exc.problems:
                where, _, column = problem.field.partition(".")
                rows.append({"line": where.removeprefix("line "), "column": column or where, "reason": problem.reason})
            return render(request, "directory_import.html", status=422, principal=principal, problems=rows, report=None)
        return render(request, "directory_import.html", principal=principal, problems=[], report=report)

    # --- shelters' free places ----------------------------------------------------------------------

    async def shelters_for(principal: Principal):
        async with runtime.db.reader() as session:
            if principal.can(Permission.DIRECTORY_MANAGE):
                organisations = await service.list_organisations(session, principal, zone=zone, service_type="shelter")
            elif principal.organisation_id:
                organisations = [
                    await service.read_organisation(session, principal, principal.organisation_id, zone=zone)
                ]
            else:
                organisations = []
        return [s for org in organisations for s in org.services if s.service_type == "shelter"]

    @pages.get("/directory/places")
    async def places(request: Request) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return RedirectResponse("/directory/login", status_code=303)
        try:
            shelters = await shelters_for(principal)
        except DomainError:
            return refused(request, principal)
        return render(request, "directory_places.html", principal=principal, shelters=shelters, problems={})

    @pages.post("/directory/places/{service_id}")
    async def update_places(
        request: Request, service_id: str, free_places: str = Form(""), capacity: str = Form("")
    ) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return RedirectResponse("/directory/login", status_code=303)
        try:
            data = FreePlacesIn(free_places=free_places.strip() or -1, capacity=capacity.strip() or None)
            async with runtime.db.transaction() as session:
                await service.update_free_places(session, principal, service_id, data)
        except (DomainError, ValueError) as exc:
            if isinstance(exc, DomainError) and not isinstance(exc, InvalidInput):
                return refused(request, principal)
            reason = exc.problems[0].reason if isinstance(exc, InvalidInput) else "a whole number, 0 or more"
            shelters = await shelters_for(principal)
            return render(
                request,
                "directory_places.html",
                status=422,
                principal=principal,
                shelters=shelters,
                problems={service_id: reason},
            )
        return RedirectResponse("/directory/places?saved=1", status_code=303)

    runtime.app.include_router(pages)
    return pages
