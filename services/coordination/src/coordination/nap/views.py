from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import Response

from coordination.exchange.views import attachment
from coordination.nap import service
from coordination.nap.schemas import BodyProgress, ImportResult, MeasureIn, MeasureOut
from hotline_common.auth import Principal


async def read_files(files: list[UploadFile]) -> list[tuple[str, str, bytes]]:
    # One byte over the limit is enough for the service to refuse it.
    return [
        (f.filename or "", f.content_type or "", await f.read(service.EVIDENCE_MAX_BYTES + 1))
        for f in files
        if f.filename
    ]


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1/nap", tags=["national action plan"])

    @api.get("/measures", response_model=list[MeasureOut])
    async def measures(
        body: str | None = None, overdue: bool = False, principal: Principal = Depends(runtime.current_principal)
    ):
        async with runtime.db.reader() as session:
            return await service.list_measures(session, principal, runtime.zone, body=body, overdue_only=overdue)

    @api.post("/measures", response_model=MeasureOut, status_code=201)
    async def create(data: MeasureIn, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.create_measure(session, principal, data, runtime.zone)

    @api.get("/measures/{measure_id}", response_model=MeasureOut)
    async def one(measure_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.get_measure(session, principal, measure_id, runtime.zone)

    @api.put("/measures/{measure_id}", response_model=MeasureOut)
    async def update(measure_id: str, data: MeasureIn, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.update_measure(session, principal, measure_id, data, runtime.zone)

    @api.post("/import", response_model=ImportResult)
    async def import_(file: UploadFile = File(...), principal: Principal = Depends(runtime.current_principal)):
        content = await file.read()
        async with runtime.db.transaction() as session:
            return await service.import_measures(session, principal, file.filename or "", content, runtime.zone)

    @api.post("/measures/{measure_id}/progress", response_model=MeasureOut, status_code=201)
    async def progress(
        measure_id: str,
        body: str = Form(...),
        status: str = Form(...),
        text: str = Form(...),
        files: list[UploadFile] = File(default=[]),
        principal: Principal = Depends(runtime.current_principal),
    ):
        uploaded = await read_files(files)
        async with runtime.db.transaction() as session:
            return await service.report_progress(
                session, principal, measure_id, body=body, status=status, text=text, files=uploaded, zone=runtime.zone
            )

    @api.get("/evidence/{evidence_id}")
    async def evidence(evidence_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            found = await service.evidence_file(session, principal, evidence_id)
        return Response(found.content, media_type=found.content_type, headers=attachment(found.filename))

    @api.get("/progress-by-body", response_model=list[BodyProgress])
    async def by_body(principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.progress_by_body(session, principal, runtime.zone)

    return api
