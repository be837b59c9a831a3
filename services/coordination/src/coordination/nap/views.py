"""The National Action Plan's API: measures, import, progress reports with evidence, by body."""

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response

from coordination.deps import Zone
from coordination.exchange.views import attachment
from coordination.nap import service
from coordination.nap.schemas import BodyProgress, ImportResult, MeasureIn, MeasureOut
from hotline_common.web.deps import CurrentPrincipal, Db

router = APIRouter(prefix="/api/v1/nap", tags=["national action plan"])


async def read_files(files: list[UploadFile]) -> list[tuple[str, str, bytes]]:
    # One byte over the limit is enough for the service to refuse it.
    return [
        (f.filename or "", f.content_type or "", await f.read(service.EVIDENCE_MAX_BYTES + 1))
        for f in files
        if f.filename
    ]


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


@router.post("/import", response_model=ImportResult)
async def import_(file: Annotated[UploadFile, File()], principal: CurrentPrincipal, db: Db, zone: Zone) -> ImportResult:
    content = await file.read()
    async with db.transaction() as session:
        return await service.import_measures(session, principal, file.filename or "", content, zone)


@router.post("/measures/{measure_id}/progress", response_model=MeasureOut, status_code=201)
async def progress(
    measure_id: str,
    body: Annotated[str, Form()],
    status: Annotated[str, Form()],
    text: Annotated[str, Form()],
    principal: CurrentPrincipal,
    db: Db,
    zone: Zone,
    files: Annotated[list[UploadFile], File()] = [],  # noqa: B006 - FastAPI copies a parameter's default
) -> MeasureOut:
    uploaded = await read_files(files)
    async with db.transaction() as session:
        return await service.report_progress(
            session, principal, measure_id, body=body, status=status, text=text, files=uploaded, zone=zone
        )


@router.get("/evidence/{evidence_id}")
async def evidence(evidence_id: str, principal: CurrentPrincipal, db: Db) -> Response:
    async with db.reader() as session:
        found = await service.evidence_file(session, principal, evidence_id)
    return Response(found.content, media_type=found.content_type, headers=attachment(found.filename))


@router.get("/progress-by-body", response_model=list[BodyProgress])
async def by_body(principal: CurrentPrincipal, db: Db, zone: Zone) -> list[BodyProgress]:
    async with db.reader() as session:
        return await service.progress_by_body(session, principal, zone)
