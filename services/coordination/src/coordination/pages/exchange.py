"""Pages for messages (inbox, compose, read with receipts, reply, proposal to the agenda), the
library (search per body, add) and the hotline's aggregate figures."""

from datetime import date, datetime, time, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile  # what request.form() yields (fastapi.UploadFile subclasses it)

from coordination.exchange import service as exchange
from coordination.exchange.schemas import LibraryIn, MessageIn
from coordination.exchange.views import attachment
from coordination.figures import service as figures
from coordination.members import offices
from hotline_common.auth import Permission
from hotline_common.db import utcnow
from hotline_common.errors import DomainError, InvalidInput


def add(pages: APIRouter, runtime, render, signed_in, sign_in_first) -> None:
    zone = runtime.zone

    def refused(request, principal, exc):
        return render(
            request, "signin.html", status=exc.http_status, principal=principal, roles=set(), error=exc.message
        )

    async def inbox_page(request: Request, principal, error: str | None = None, status: int = 200):
        async with runtime.db.reader() as session:
            messages = await exchange.inbox(session, principal, zone)
            people = await exchange.participants(session, principal, zone)
        return render(
            request,
            "messages.html",
            status=status,
            principal=principal,
            messages=messages,
            people=[p for p in people if p.subject != principal.subject],
            error=error,
            roles=set(),
        )

    async def message_page(request: Request, principal, message_id: str, error: str | None = None, status: int = 200):
        async with runtime.db.transaction() as session:
            message = await exchange.read_message(session, principal, message_id, zone)
            sets_agenda = principal.can(Permission.MEETING_SCHEDULE) or bool(
                await offices.offices_of(session, principal, utcnow().astimezone(zone).date())
            )
        return render(
            request,
            "message.html",
            status=status,
            principal=principal,
            message=message,
            sets_agenda=sets_agenda,
            error=error,
            roles=set(),
        )

    def message_from(form, reply: bool = False) -> MessageIn:
        return MessageIn(
            title=str(form.get("title", "")),
            body=str(form.get("body", "")),
            confidentiality=str(form.get("confidentiality", "internal")),
            to_all=form.get("to_all") == "on",
            recipients=[str(r) for r in form.getlist("recipients")],
            is_proposal=form.get("is_proposal") == "on" and not reply,
        )

    @pages.get("/messages")
    async def messages(request: Request) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        try:
            return await inbox_page(request, principal)
        except DomainError as exc:
            return refused(request, principal, exc)

    @pages.post("/messages")
    async def send(request: Request) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        form = await request.form()
        try:
            async with runtime.db.transaction() as session:
                sent = await exchange.send_message(session, principal, message_from(form), zone)
        except ValidationError as exc:
            return await inbox_page(request, principal, InvalidInput.from_pydantic(exc).message, 422)
        except DomainError as exc:
            return await inbox_page(request, principal, exc.message, exc.http_status)
        return RedirectResponse(f"/messages/{sent.id}", status_code=303)

    @pages.get("/messages/{message_id}")
    async def message(request: Request, message_id: str) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        try:
            return await message_page(request, principal, message_id)
        except DomainError as exc:
            return refused(request, principal, exc)

    @pages.post("/messages/{message_id}/reply")
    async def reply(request: Request, message_id: str) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        form = await request.form()
        try:
            async with runtime.db.transaction() as session:
                await exchange.send_message(
                    session, principal, message_from(form, reply=True), zone, reply_to=message_id
                )
        except ValidationError as exc:
            return await message_page(request, principal, message_id, InvalidInput.from_pydantic(exc).message, 422)
        except DomainError as exc:
            return await message_page(request, principal, message_id, exc.message, exc.http_status)
        return RedirectResponse(f"/messages/{message_id}", status_code=303)

    @pages.post("/messages/{message_id}/agenda")
    async def to_agenda(request: Request, message_id: str) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        try:
            async with runtime.db.transaction() as session:
                meeting_id = await exchange.put_on_agenda(session, principal, message_id, zone)
        except DomainError as exc:
            return await message_page(request, principal, message_id, exc.message, exc.http_status)
        return RedirectResponse(f"/meetings/{meeting_id}", status_code=303)

    async def library_page(request: Request, principal, error: str | None = None, status: int = 200):
        q = request.query_params.get("q", "")
        body = request.query_params.get("body") or None
        async with runtime.db.reader() as session:
            items = await exchange.search_library(session, principal, query=q, body=body)
            everything = await exchange.search_library(session, principal)
        bodies = sorted({i.body for i in everything})
        return render(
            request,
            "library.html",
            status=status,
            principal=principal,
            items=items,
            q=q,
            body=body,
            bodies=bodies,
            error=error,
            roles=set(),
        )

    @pages.get("/library")
    async def library(request: Request) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        try:
            return await library_page(request, principal)
        except DomainError as exc:
            return refused(request, principal, exc)

    @pages.post("/library")
    async def library_add(request: Request) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        form = await request.form()
        upload = form.get("file")
        file = None
        if isinstance(upload, UploadFile) and upload.filename:
            file = (upload.filename, upload.content_type or "", await upload.read(exchange.LIBRARY_MAX_BYTES + 1))
        try:
            data = LibraryIn(
                title=str(form.get("title", "")),
                kind=str(form.get("kind", "")),
                description=str(form.get("description", "")),
                body=str(form.get("body", "")),
            )
            async with runtime.db.transaction() as session:
                await exchange.add_library_item(session, principal, data, file, zone)
        except ValidationError as exc:
            return await library_page(request, principal, InvalidInput.from_pydantic(exc).message, 422)
        except DomainError as exc:
            return await library_page(request, principal, exc.message, exc.http_status)
        return RedirectResponse("/library", status_code=303)

    @pages.get("/library/{item_id}/file")
    async def library_file(request: Request, item_id: str) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        try:
            async with runtime.db.reader() as session:
                item = await exchange.library_file(session, principal, item_id)
        except DomainError as exc:
            return refused(request, principal, exc)
        assert item.filename is not None  # stored with the content
        return Response(item.content, media_type="application/octet-stream", headers=attachment(item.filename))

    @pages.get("/figures")
    async def hotline_figures(request: Request) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        today = utcnow().astimezone(zone).date()
        try:
            start = date.fromisoformat(request.query_params.get("from") or (today - timedelta(days=90)).isoformat())
            end = date.fromisoformat(request.query_params.get("to") or today.isoformat())
        except ValueError:
            start, end = today - timedelta(days=90), today
        result, error, status = None, None, 200
        try:
            result = await figures.hotline_figures(
                runtime.reporting,
                principal,
                from_time=datetime.combine(start, time(0), tzinfo=zone),
                to_time=datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone),
            )
        except DomainError as exc:
            error, status = exc.message, exc.http_status
        return render(
            request,
            "figures.html",
            status=status,
            principal=principal,
            figures=result,
            start=start,
            end=end,
            error=error,
            roles=set(),
        )
