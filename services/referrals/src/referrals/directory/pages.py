"""Pages for the people who keep the directory (director, admin): organisations and services,
editing with the history of every change, CSV import, and shelters' free places (also for a
shelter's own partner users). Served under /directory; every action goes through service.py, so the
rules are the API's. Sign-in and sign-out are the shared ones (`SignInPages` at /directory/login and
/directory/logout, wired in app.py); field problems are shown in the page's language (`explain`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hotline_common.auth import Permission, Principal
from hotline_common.errors import DomainError, FieldProblem, InvalidInput
from hotline_common.i18n_markers import N_
from hotline_common.web.deps import Db
from hotline_common.web.pages import PageKit, PageRefused, Pages, signed_in
from referrals.deps import Zone
from referrals.directory import csvio, forms, service
from referrals.directory.schemas import OrganisationOut, ServiceOut
from referrals.i18n import LOCALES

__all__ = ["LOCALES", "router"]  # LOCALES: tests/test_directory_code_lists.py reads the catalogs through it

LOGIN = "/directory/login"
KEEPERS_ONLY = N_("Only the directory's keepers may open this page")
NOT_FOUND = N_("Not found")
NO_SUCH_PAGE = N_("No such page")
MAX_UPLOAD = 5 * 1024 * 1024
# Far past any directory's last page; keeps the row offset a 64-bit integer (the database's).
LAST_PAGE = 1_000_000

Keeper = Annotated[Principal, Depends(signed_in(Permission.DIRECTORY_MANAGE, login=LOGIN, refusal=KEEPERS_ONLY))]
# Free places: the keepers, and a shelter's own partner users (service.shelters_for says whose).
SignedIn = Annotated[Principal, Depends(signed_in(login=LOGIN))]
Filter = Annotated[str, Query()]

router = APIRouter(include_in_schema=False)


def message(request: Request, pages: Pages, principal: Principal, title: str, status: int) -> HTMLResponse:
    return pages.render(request, "directory_message.html", status=status, principal=principal, title=title)


def saved(url: str) -> RedirectResponse:
    return RedirectResponse(f"{url}?saved=1", status_code=303)


# --- the directory ------------------------------------------------------------------------------


@router.get("/directory")
async def overview(
    request: Request,
    pages: PageKit,
    principal: Keeper,
    db: Db,
    zone: Zone,
    service_type: Filter = "",
    region: Filter = "",
    text: Filter = "",
    page: Filter = "1",
) -> Response:
    filters = forms.DirectoryFilters.given(service_type, region, text)
    page = page or "1"
    if not (page.isascii() and page.isdigit()) or not 1 <= int(page) <= LAST_PAGE:  # "²" is a digit too
        return message(request, pages, principal, NO_SUCH_PAGE, 422)
    async with db.reader() as session:
        listing = await service.list_directory_page(
            session,
            principal,
            page=int(page),
            zone=zone,
            service_type=filters.service_type,
            region=filters.region,
            text=filters.text,
        )
        changes = await service.history(session, principal, limit=20)
    return pages.render(
        request,
        "directory_list.html",
        principal=principal,
        organisations=listing.organisations,
        listing=listing,
        page_link=filters.page_link,
        changes=changes,
        filters=filters,
    )


# --- services -----------------------------------------------------------------------------------


async def service_form(
    request: Request,
    pages: Pages,
    db: Db,
    principal: Principal,
    values: dict[str, Any],
    *,
    entry: ServiceOut | None = None,
    problems: dict[str, FieldProblem] | None = None,
    status: int = 200,
) -> HTMLResponse:
    async with db.reader() as session:
        organisations = await service.organisation_choices(session, principal)
        changes = await service.history(session, principal, entity_id=entry.id) if entry else []
    return pages.render(
        request,
        "directory_service.html",
        status=status,
        principal=principal,
        entry=entry,
        values=values,
        problems=problems or {},
        organisations=organisations,
        changes=changes,
    )


@router.get("/directory/services/new")
async def new_service(
    request: Request, pages: PageKit, principal: Keeper, db: Db, organisation_id: Filter = ""
) -> Response:
    return await service_form(request, pages, db, principal, forms.new_service_values(organisation_id))


@router.post("/directory/services/new")
async def create_service(request: Request, pages: PageKit, principal: Keeper, db: Db) -> Response:
    form = await request.form()
    try:
        values = forms.service_values(form)
        async with db.transaction() as session:
            created = await service.create_service(session, principal, values)
    except InvalidInput as exc:
        shown, problems = forms.shown(form), forms.by_field(exc)
        return await service_form(request, pages, db, principal, shown, problems=problems, status=422)
    return saved(f"/directory/services/{created.id}")


@router.get("/directory/services/{service_id}")
async def edit_service(
    request: Request, pages: PageKit, principal: Keeper, db: Db, zone: Zone, service_id: str
) -> Response:
    try:
        async with db.reader() as session:
            entry = await service.read_service(session, principal, service_id, zone=zone)
    except DomainError as exc:
        return message(request, pages, principal, NOT_FOUND, exc.http_status)
    return await service_form(request, pages, db, principal, forms.entry_values(entry), entry=entry)


@router.post("/directory/services/{service_id}")
async def update_service(
    request: Request, pages: PageKit, principal: Keeper, db: Db, zone: Zone, service_id: str
) -> Response:
    form = await request.form()
    async with db.reader() as session:
        entry = await service.read_service(session, principal, service_id, zone=zone)
    try:
        values = forms.service_values(form)
        async with db.transaction() as session:
            await service.update_service(session, principal, service_id, values)
    except InvalidInput as exc:
        shown, problems = forms.shown(form), forms.by_field(exc)
        return await service_form(request, pages, db, principal, shown, entry=entry, problems=problems, status=422)
    return saved(f"/directory/services/{service_id}")


@router.post("/directory/services/{service_id}/active")
async def service_active(principal: Keeper, db: Db, service_id: str, active: Annotated[str, Form()] = "") -> Response:
    async with db.transaction() as session:
        await service.set_service_active(session, principal, service_id, active == "1")
    return saved(f"/directory/services/{service_id}")


# --- organisations ------------------------------------------------------------------------------


async def organisation_form(
    request: Request,
    pages: Pages,
    db: Db,
    principal: Principal,
    values: dict[str, Any],
    *,
    org: OrganisationOut | None = None,
    problems: dict[str, FieldProblem] | None = None,
    status: int = 200,
) -> HTMLResponse:
    async with db.reader() as session:
        changes = await service.history(session, principal, organisation_id=org.id) if org else []
    return pages.render(
        request,
        "directory_organisation.html",
        status=status,
        principal=principal,
        org=org,
        values=values,
        problems=problems or {},
        changes=changes,
    )


@router.get("/directory/organisations/new")
async def new_organisation(request: Request, pages: PageKit, principal: Keeper, db: Db) -> Response:
    return await organisation_form(request, pages, db, principal, {"kind": "ngo"})


@router.post("/directory/organisations/new")
async def create_organisation(request: Request, pages: PageKit, principal: Keeper, db: Db) -> Response:
    values = forms.organisation_values(await request.form())
    try:
        async with db.transaction() as session:
            created = await service.create_organisation(session, principal, values)
    except InvalidInput as exc:
        return await organisation_form(request, pages, db, principal, values, problems=forms.by_field(exc), status=422)
    return saved(f"/directory/organisations/{created.id}")


@router.get("/directory/organisations/{organisation_id}")
async def edit_organisation(
    request: Request, pages: PageKit, principal: Keeper, db: Db, zone: Zone, organisation_id: str
) -> Response:
    try:
        async with db.reader() as session:
            org = await service.read_organisation(session, principal, organisation_id, zone=zone)
    except DomainError as exc:
        return message(request, pages, principal, NOT_FOUND, exc.http_status)
    return await organisation_form(request, pages, db, principal, org.model_dump(), org=org)


@router.post("/directory/organisations/{organisation_id}")
async def update_organisation(
    request: Request, pages: PageKit, principal: Keeper, db: Db, zone: Zone, organisation_id: str
) -> Response:
    values = forms.organisation_values(await request.form())
    async with db.reader() as session:
        org = await service.read_organisation(session, principal, organisation_id, zone=zone)
    try:
        async with db.transaction() as session:
            await service.update_organisation(session, principal, organisation_id, values)
    except InvalidInput as exc:
        problems = forms.by_field(exc)
        return await organisation_form(request, pages, db, principal, values, org=org, problems=problems, status=422)
    return saved(f"/directory/organisations/{organisation_id}")


@router.post("/directory/organisations/{organisation_id}/active")
async def organisation_active(
    principal: Keeper, db: Db, organisation_id: str, active: Annotated[str, Form()] = ""
) -> Response:
    async with db.transaction() as session:
        await service.set_organisation_active(session, principal, organisation_id, active == "1")
    return saved(f"/directory/organisations/{organisation_id}")


# --- CSV ----------------------------------------------------------------------------------------


@router.get("/directory/import")
async def import_page(request: Request, pages: PageKit, principal: Keeper) -> Response:
    return pages.render(request, "directory_import.html", principal=principal, problems=[], report=None)


@router.post("/directory/import")
async def import_file(
    request: Request, pages: PageKit, principal: Keeper, db: Db, file: Annotated[UploadFile, File()]
) -> Response:
    body = await file.read(MAX_UPLOAD + 1)
    try:
        text = csvio.decode(body, MAX_UPLOAD)
        async with db.transaction() as session:
            report = await csvio.import_directory(session, principal, text)
    except InvalidInput as exc:
        problems = forms.import_problems(exc)
        return pages.render(
            request, "directory_import.html", status=422, principal=principal, problems=problems, report=None
        )
    return pages.render(request, "directory_import.html", principal=principal, problems=[], report=report)


# --- shelters' free places ----------------------------------------------------------------------


async def places_page(
    request: Request,
    pages: Pages,
    db: Db,
    zone: str,
    principal: Principal,
    problems: dict[str, FieldProblem] | None = None,
    status: int = 200,
) -> HTMLResponse:
    try:
        async with db.reader() as session:
            shelters = await service.shelters_for(session, principal, zone=zone)
    except DomainError:
        raise PageRefused(principal, KEEPERS_ONLY) from None
    return pages.render(
        request, "directory_places.html", status=status, principal=principal, shelters=shelters, problems=problems or {}
    )


@router.get("/directory/places")
async def places(request: Request, pages: PageKit, principal: SignedIn, db: Db, zone: Zone) -> Response:
    return await places_page(request, pages, db, zone, principal)


@router.post("/directory/places/{service_id}")
async def update_places(
    request: Request,
    pages: PageKit,
    principal: SignedIn,
    db: Db,
    zone: Zone,
    service_id: str,
    free_places: Annotated[str, Form()] = "",
    capacity: Annotated[str, Form()] = "",
) -> Response:
    try:
        async with db.reader() as session:  # the gate before the form: a refused reader never sees its errors
            await service.places_keeper_of(session, principal, service_id)
        data = forms.free_places(free_places, capacity)
        async with db.transaction() as session:
            await service.update_free_places(session, principal, service_id, data)
    except InvalidInput as exc:
        problems = {service_id: exc.problems[0]}
        return await places_page(request, pages, db, zone, principal, problems, status=422)
    except DomainError:
        raise PageRefused(principal, KEEPERS_ONLY) from None
    return saved("/directory/places")
