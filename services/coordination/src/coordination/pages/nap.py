"""The National Action Plan's pages: measures (overdue flagged), progress by body, import, editing,
and each body's progress reports with evidence documents."""

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile  # what request.form() yields (fastapi.UploadFile subclasses it)

from coordination.exchange.views import attachment
from coordination.members import offices
from coordination.nap import service as nap
from coordination.nap.models import STATUSES
from coordination.nap.schemas import MeasureIn
from hotline_common.auth import Permission
from hotline_common.db import utcnow
from hotline_common.errors import DomainError, InvalidInput


def add(pages: APIRouter, runtime, render, signed_in, sign_in_first) -> None:
    zone = runtime.zone

    async def may_edit(session, principal) -> bool:
        return principal.can(Permission.WG_MANAGE) or bool(
            await offices.offices_of(session, principal, utcnow().astimezone(zone).date())
        )

    async def list_page(request: Request, principal, error: str | None = None, status: int = 200, imported=None):
        body = request.query_params.get("body") or None
        overdue = request.query_params.get("overdue") == "1"
        async with runtime.db.reader() as session:
            measures = await nap.list_measures(session, principal, zone, body=body, overdue_only=overdue)
            by_body = await nap.progress_by_body(session, principal, zone)
            editor = await may_edit(session, principal)
        return render(
            request,
            "nap.html",
            status=status,
            principal=principal,
            measures=measures,
            by_body=by_body,
            editor=editor,
            body=body,
            overdue=overdue,
            error=error,
            imported=imported,
            roles=set(),
        )

    async def measure_page(request: Request, principal, measure_id: str, error: str | None = None, status: int = 200):
        async with runtime.db.reader() as session:
            measure = await nap.get_measure(session, principal, measure_id, zone)
            editor = await may_edit(session, principal)
        return render(
            request,
            "nap_measure.html",
            status=status,
            principal=principal,
            measure=measure,
            editor=editor,
            statuses=STATUSES,
            error=error,
            roles=set(),
        )

    def measure_from(form) -> MeasureIn:
        split = lambda name: [p.strip() for p in str(form.get(name, "")).split(";") if p.strip()]  # noqa: E731
        deadline = str(form.get("deadline", ""))
        return MeasureIn(
            number=str(form.get("number", "")),
            text=str(form.get("text", "")),
            executing_bodies=split("executing_bodies"),
            recommended_institutions=split("recommended_institutions"),
            deadline=date.fromisoformat(deadline) if deadline else None,
            indicators=str(form.get("indicators", "")),
        )

    @pages.get("/nap")
    async def nap_list(request: Request) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        try:
            return await list_page(request, principal)
        except DomainError as exc:
            return render(
                request, "signin.html", status=exc.http_status, principal=principal, roles=set(), error=exc.message
            )

    @pages.post("/nap/import")
    async def nap_import(request: Request) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        form = await request.form()
        upload = form.get("file")
        try:
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise InvalidInput.single("file", "choose a .csv or .xlsx file")
            async with runtime.db.transaction() as session:
                result = await nap.import_measures(session, principal, upload.filename, await upload.read(), zone)
        except DomainError as exc:
            return await list_page(request, principal, exc.message, exc.http_status)
        return await list_page(request, principal, imported=result)

    @pages.post("/nap/measures")
    async def nap_create(request: Request) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        form = await request.form()
        try:
            data = measure_from(form)
            async with runtime.db.transaction() as session:
                created = await nap.create_measure(session, principal, data, zone)
        except (ValidationError, ValueError) as exc:
            text = InvalidInput.from_pydantic(exc).message if isinstance(exc, ValidationError) else str(exc)
            return await list_page(request, principal, text, 422)
        except DomainError as exc:
            return await list_page(request, principal, exc.message, exc.http_status)
        return RedirectResponse(f"/nap/measures/{created.id}", status_code=303)

    @pages.get("/nap/measures/{measure_id}")
    async def nap_measure(request: Request, measure_id: str) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        try:
            return await measure_page(request, principal, measure_id)
        except DomainError as exc:
            return render(
                request, "signin.html", status=exc.http_status, principal=principal, roles=set(), error=exc.message
            )

    @pages.post("/nap/measures/{measure_id}")
    async def nap_edit(request: Request, measure_id: str) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        form = await request.form()
        try:
            data = measure_from(form)
            async with runtime.db.transaction() as session:
                await nap.update_measure(session, principal, measure_id, data, zone)
        except (ValidationError, ValueError) as exc:
            text = InvalidInput.from_pydantic(exc).message if isinstance(exc, ValidationError) else str(exc)
            return await measure_page(request, principal, measure_id, text, 422)
        except DomainError as exc:
            return await measure_page(request, principal, measure_id, exc.message, exc.http_status)
        return RedirectResponse(f"/nap/measures/{measure_id}", status_code=303)

    @pages.post("/nap/measures/{measure_id}/progress")
    async def nap_progress(request: Request, measure_id: str) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        form = await request.form()
        files = []
        for upload in form.getlist("files"):
            if isinstance(upload, UploadFile) and upload.filename:
                files.append(
                    (upload.filename, upload.content_type or "", await upload.read(nap.EVIDENCE_MAX_BYTES + 1))
                )
        try:
            async with runtime.db.transaction() as session:
                await nap.report_progress(
                    session,
                    principal,
                    measure_id,
                    body=str(form.get("body", "")),
                    status=str(form.get("status", "")),
                    text=str(form.get("text", "")),
                    files=files,
                    zone=zone,
                )
        except DomainError as exc:
            return await measure_page(request, principal, measure_id, exc.message, exc.http_status)
        return RedirectResponse(f"/nap/measures/{measure_id}", status_code=303)

    @pages.get("/nap/evidence/{evidence_id}")
    async def nap_evidence(request: Request, evidence_id: str) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        async with runtime.db.reader() as session:
            found = await nap.evidence_file(session, principal, evidence_id)
        return Response(found.content, media_type="application/octet-stream", headers=attachment(found.filename))
