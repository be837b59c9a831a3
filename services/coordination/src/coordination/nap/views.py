"""The National Action Plan's API: measures, import, progress reports with evidence, by body."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile

from coordination.deps import ImportLimits, Settings, Zone
from coordination.nap import service
from coordination.nap.schemas import BodyProgress, ImportResult, MeasureIn, MeasureOut
from coordination.uploads import (
    BINARY,
    STRING,
    attachment,
    field_text,
    files_in,
    multipart_body,
    posted_form,
    safe_content_type,
)
from hotline_common.errors import InvalidInput
from hotline_common.i18n_markers import N_
from hotline_common.web.deps import CurrentPrincipal, Db

router = APIRouter(prefix="/api/v1/nap", tags=["national action plan"])


async def import_form(
    request: Request, principal: CurrentPrincipal, db: Db, zone: Zone, settings: Settings
) -> AsyncIterator[FormData]:
    """The posted import, read only once the principal may edit the plan."""
    async with db.reader() as session:
        await service.require_edit(session, principal, zone)
    async with posted_form(request, field="file", max_bytes=settings.nap_import_max_bytes, max_files=1) as form:
        yield form


async def progress_form(
    request: Request, measure_id: str, principal: CurrentPrincipal, db: Db, zone: Zone, settings: Settings
) -> AsyncIterator[FormData]:
    """The posted report with its documents, read only once the principal may report on the measure."""
    async with db.reader() as session:
        await service.require_reporter(session, principal, measure_id, zone)
    limit, files = settings.document_upload_max_bytes, service.EVIDENCE_MAX_FILES + 1  # the service names one too many
    async with posted_form(request, field="files", max_bytes=limit, max_files=files) as form:
        yield form


ImportForm = Annotated[FormData, Depends(import_form)]
ProgressForm = Annotated[FormData, Depends(progress_form)]


async def import_file(form: FormData) -> tuple[str, bytes]:
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput.single("file", N_("choose a .csv or .xlsx file"))
    return upload.filename, await upload.read()


@router.get("/measures", response_model=list[MeasureOut])
async def measures(
    principal: CurrentPrincipal, db: Db, zone: Zone, body: str | None = None, overdue: bool = False
) -> list[MeasureOut]:
    async with db.reader() as session:
        return await service.list_measures(session, principal, zone, body=body, overdue_only=overdue)


@router.post("/measures", response_model=MeasureOut, status_code=201)
async def create(data: MeasureIn, principal: CurrentPrincipal, db: Db, zone: Zone) -> MeasureOut:
    async with db.transaction() as session:
        return await service.create_measure(session, principal, data, zone)


@router.get("/measures/{measure_id}", response_model=MeasureOut)
async def one(measure_id: str, principal: CurrentPrincipal, db: Db, zone: Zone) -> MeasureOut:
    async with db.reader() as session:
        return await service.get_measure(session, principal, measure_id, zone)


@router.put("/measures/{measure_id}", response_model=MeasureOut)
async def update(measure_id: str, data: MeasureIn, principal: CurrentPrincipal, db: Db, zone: Zone) -> MeasureOut:
    async with db.transaction() as session:
        return await service.update_measure(session, principal, measure_id, data, zone)


@router.post("/import", response_model=ImportResult, openapi_extra=multipart_body(["file"], file=BINARY))
async def import_(
    form: ImportForm, principal: CurrentPrincipal, db: Db, zone: Zone, limits: ImportLimits
) -> ImportResult:
    filename, content = await import_file(form)
    async with db.transaction() as session:
        return await service.import_measures(session, principal, filename, content, zone, limits)


@router.post(
    "/measures/{measure_id}/progress",
    response_model=MeasureOut,
    status_code=201,
    openapi_extra=multipart_body(
        ["body", "status", "text"], body=STRING, status=STRING, text=STRING, files={"type": "array", "items": BINARY}
    ),
)
async def progress(measure_id: str, form: ProgressForm, principal: CurrentPrincipal, db: Db, zone: Zone) -> MeasureOut:
    uploaded = await files_in(form, "files", service.EVIDENCE_MAX_BYTES)
    async with db.transaction() as session:
        return await service.report_progress(
            session,
            principal,
            measure_id,
            body=field_text(form, "body"),
            status=field_text(form, "status"),
            text=field_text(form, "text"),
            files=uploaded,
            zone=zone,
        )


@router.get("/evidence/{evidence_id}")
async def evidence(evidence_id: str, principal: CurrentPrincipal, db: Db) -> Response:
    async with db.reader() as session:
        found = await service.evidence_file(session, principal, evidence_id)
    # Stored before types were checked, a document may say text/html: the list decides, not the upload.
    kind = safe_content_type(found.content_type)
    return Response(found.content, media_type=kind, headers=attachment(found.filename))


@router.get("/progress-by-body", response_model=list[BodyProgress])
async def by_body(principal: CurrentPrincipal, db: Db, zone: Zone) -> list[BodyProgress]:
    async with db.reader() as session:
        return await service.progress_by_body(session, principal, zone)
