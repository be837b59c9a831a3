"""The reports API: ask for a report (a job the worker builds), list, read and download them."""

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import Response

from hotline_common.web.deps import CurrentPrincipal, Db
from reporting.deps import Worker
from reporting.reports import service
from reporting.reports.schemas import ReportJobOut, ReportRequest

MEDIA = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])


@router.post("", response_model=ReportJobOut, status_code=202)
async def request_report(body: ReportRequest, principal: CurrentPrincipal, db: Db, worker: Worker) -> ReportJobOut:
    async with db.transaction() as session:
        job = await service.request_report(session, principal, body)
        out = ReportJobOut.model_validate(job, from_attributes=True)
    worker.wake()
    return out


@router.get("", response_model=list[ReportJobOut])
async def list_reports(principal: CurrentPrincipal, db: Db) -> list[ReportJobOut]:
    async with db.reader() as session:
        return [
            ReportJobOut.model_validate(j, from_attributes=True) for j in await service.list_reports(session, principal)
        ]


@router.get("/{job_id}", response_model=ReportJobOut)
async def get_report(job_id: str, principal: CurrentPrincipal, db: Db) -> ReportJobOut:
    async with db.reader() as session:
        return ReportJobOut.model_validate(await service.get_report(session, principal, job_id), from_attributes=True)


@router.get("/{job_id}/file.{kind}")
async def report_file(
    job_id: str, kind: Literal["pdf", "xlsx", "csv"], principal: CurrentPrincipal, db: Db
) -> Response:
    async with db.reader() as session:
        job, data = await service.report_file(session, principal, job_id, kind)
    name = f"{job.kind}-report-{job.period}.{kind}"
    return Response(data, media_type=MEDIA[kind], headers={"Content-Disposition": f'attachment; filename="{name}"'})
