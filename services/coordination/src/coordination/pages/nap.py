"""The National Action Plan's pages: measures (overdue flagged), progress by body, import, editing,
and each body's progress reports with evidence documents."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData  # what request.form() yields

from coordination.deps import GroupReader, ImportLimits, Settings, Zone
from coordination.nap import service as nap
from coordination.nap.models import STATUSES
from coordination.nap.schemas import ImportResult, MeasureIn
from coordination.nap.views import import_file
from coordination.pages.kit import parsed, refused, text, to
from coordination.uploads import attachment, files_in, posted_form
from hotline_common.auth import Principal
from hotline_common.db import Database
from hotline_common.errors import DomainError
from hotline_common.web.deps import Db
from hotline_common.web.pages import PageKit, Pages

router = APIRouter(include_in_schema=False)


async def plan_page(
    request: Request,
    pages: Pages,
    db: Database,
    zone: ZoneInfo,
    principal: Principal,
    error: DomainError | None = None,
    posted: str | None = None,
    imported: ImportResult | None = None,
) -> HTMLResponse:
    body = request.query_params.get("body") or None
    overdue = request.query_params.get("overdue") == "1"
    async with db.reader() as session:
        measures = await nap.list_measures(session, principal, zone, body=body, overdue_only=overdue)
        by_body = await nap.progress_by_body(session, principal, zone)
        editor = await nap.may_edit(session, principal, zone)
    return pages.render(
        request,
        "nap.html",
        status=error.http_status if error else 200,
        principal=principal,
        measures=measures,
        by_body=by_body,
        editor=editor,
        body=body,
        overdue=overdue,
        error=error,
        posted=posted,
        imported=imported,
    )


async def measure_page(
    request: Request,
    pages: Pages,
    db: Database,
    zone: ZoneInfo,
    principal: Principal,
    measure_id: str,
    error: DomainError | None = None,
    posted: str | None = None,
) -> HTMLResponse:
    try:
        async with db.reader() as session:
            measure = await nap.get_measure(session, principal, measure_id, zone)
            editor = await nap.may_edit(session, principal, zone)
    except DomainError as exc:
        return refused(request, pages, principal, exc)
    return pages.render(
        request,
        "nap_measure.html",
        status=error.http_status if error else 200,
        principal=principal,
        measure=measure,
        editor=editor,
        statuses=STATUSES,
        error=error,
        posted=posted,
    )


def listed(form: FormData, name: str) -> list[str]:
    """Several bodies or institutions in one field, separated by ";"."""
    return [part.strip() for part in text(form, name).split(";") if part.strip()]


def measure_from(form: FormData) -> MeasureIn:
    return parsed(
        MeasureIn,
        {
            "number": text(form, "number"),
            "text": text(form, "text"),
            "executing_bodies": listed(form, "executing_bodies"),
            "recommended_institutions": listed(form, "recommended_institutions"),
            "deadline": text(form, "deadline") or None,
            "indicators": text(form, "indicators"),
        },
    )


@router.get("/nap")
async def plan(request: Request, pages: PageKit, db: Db, zone: Zone, principal: GroupReader) -> HTMLResponse:
    return await plan_page(request, pages, db, zone, principal)


@router.post("/nap/import")
async def import_measures(
    request: Request,
    pages: PageKit,
    db: Db,
    zone: Zone,
    principal: GroupReader,
    settings: Settings,
    limits: ImportLimits,
) -> Response:
    try:
        async with db.reader() as session:
            await nap.require_edit(session, principal, zone)  # before the file is read
    except DomainError as error:
        return refused(request, pages, principal, error)
    try:
        async with posted_form(request, field="file", max_bytes=settings.nap_import_max_bytes, max_files=1) as form:
            filename, content = await import_file(form)
        async with db.transaction() as session:
            result = await nap.import_measures(session, principal, filename, content, zone, limits)
    except DomainError as error:
        return await plan_page(request, pages, db, zone, principal, error, "import")
    return await plan_page(request, pages, db, zone, principal, imported=result)


@router.post("/nap/measures")
async def create_measure(request: Request, pages: PageKit, db: Db, zone: Zone, principal: GroupReader) -> Response:
    try:
        async with db.reader() as session:  # the gate before the form: a refused reader never sees its errors
            await nap.require_edit(session, principal, zone)
        data = measure_from(await request.form())
        async with db.transaction() as session:
            created = await nap.create_measure(session, principal, data, zone)
    except DomainError as error:
        return await plan_page(request, pages, db, zone, principal, error, "measure")
    return to(f"/nap/measures/{created.id}")


@router.get("/nap/measures/{measure_id}")
async def measure(
    request: Request, measure_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader
) -> HTMLResponse:
    return await measure_page(request, pages, db, zone, principal, measure_id)


@router.post("/nap/measures/{measure_id}")
async def edit_measure(
    request: Request, measure_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader
) -> Response:
    try:
        async with db.reader() as session:  # the gate before the form: a refused reader never sees its errors
            await nap.require_edit(session, principal, zone)
        data = measure_from(await request.form())
        async with db.transaction() as session:
            await nap.update_measure(session, principal, measure_id, data, zone)
    except DomainError as error:
        return await measure_page(request, pages, db, zone, principal, measure_id, error, "measure")
    return to(f"/nap/measures/{measure_id}")


@router.post("/nap/measures/{measure_id}/progress")
async def report_progress(
    request: Request, measure_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader, settings: Settings
) -> Response:
    limit, most = settings.document_upload_max_bytes, nap.EVIDENCE_MAX_FILES + 1
    try:
        async with db.reader() as session:
            await nap.require_reporter(session, principal, measure_id, zone)  # before the documents are read
    except DomainError as error:
        return refused(request, pages, principal, error)
    try:
        async with posted_form(request, field="files", max_bytes=limit, max_files=most) as form:
            files = await files_in(form, "files", nap.EVIDENCE_MAX_BYTES)
            fields = {name: text(form, name) for name in ("body", "status", "text")}
        async with db.transaction() as session:
            await nap.report_progress(session, principal, measure_id, files=files, zone=zone, **fields)
    except DomainError as error:
        return await measure_page(request, pages, db, zone, principal, measure_id, error, "progress")
    return to(f"/nap/measures/{measure_id}")


@router.get("/nap/evidence/{evidence_id}")
async def evidence(request: Request, evidence_id: str, pages: PageKit, db: Db, principal: GroupReader) -> Response:
    try:
        async with db.reader() as session:
            found = await nap.evidence_file(session, principal, evidence_id)
    except DomainError as error:
        return refused(request, pages, principal, error)
    return Response(found.content, media_type="application/octet-stream", headers=attachment(found.filename))
