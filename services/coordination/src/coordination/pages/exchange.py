"""Pages for messages (inbox, compose, read with receipts, reply, proposal to the agenda) and the
library (search per body, add)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from coordination.deps import GroupReader, Settings, Zone
from coordination.exchange import service as exchange
from coordination.exchange.schemas import LibraryIn, MessageIn
from coordination.exchange.views import LIBRARY_FIELDS
from coordination.pages.kit import checked, parsed, refused, text, to
from coordination.uploads import attachment, files_in, posted_form
from hotline_common.auth import Principal
from hotline_common.db import Database
from hotline_common.errors import DomainError
from hotline_common.web.deps import Db
from hotline_common.web.pages import PageKit, Pages

router = APIRouter(include_in_schema=False)


async def inbox_page(
    request: Request,
    pages: Pages,
    db: Database,
    zone: ZoneInfo,
    principal: Principal,
    error: DomainError | None = None,
) -> HTMLResponse:
    async with db.reader() as session:
        messages = await exchange.inbox(session, principal, zone)
        people = await exchange.participants(session, principal, zone)
    return pages.render(
        request,
        "messages.html",
        status=error.http_status if error else 200,
        principal=principal,
        messages=messages,
        people=[p for p in people if p.subject != principal.subject],
        error=error,
        posted="message" if error else None,
    )


async def message_page(
    request: Request,
    pages: Pages,
    db: Database,
    zone: ZoneInfo,
    principal: Principal,
    message_id: str,
    error: DomainError | None = None,
    posted: str | None = None,
) -> HTMLResponse:
    try:
        async with db.transaction() as session:  # opening a message is its read receipt
            message = await exchange.read_message(session, principal, message_id, zone)
            sets_agenda = await exchange.may_set_agenda(session, principal, zone)
    except DomainError as exc:
        return refused(request, pages, principal, exc)
    return pages.render(
        request,
        "message.html",
        status=error.http_status if error else 200,
        principal=principal,
        message=message,
        sets_agenda=sets_agenda,
        error=error,
        posted=posted,
    )


def message_from(form: FormData, *, reply: bool = False) -> MessageIn:
    return parsed(
        MessageIn,
        {
            "title": text(form, "title"),
            "body": text(form, "body"),
            "confidentiality": text(form, "confidentiality") or "internal",
            "to_all": checked(form, "to_all"),
            "recipients": [r for r in form.getlist("recipients") if isinstance(r, str)],
            "is_proposal": checked(form, "is_proposal") and not reply,
        },
    )


@router.get("/messages")
async def messages(request: Request, pages: PageKit, db: Db, zone: Zone, principal: GroupReader) -> HTMLResponse:
    return await inbox_page(request, pages, db, zone, principal)


@router.post("/messages")
async def send(request: Request, pages: PageKit, db: Db, zone: Zone, principal: GroupReader) -> Response:
    try:
        data = message_from(await request.form())
        async with db.transaction() as session:
            sent = await exchange.send_message(session, principal, data, zone)
    except DomainError as error:
        return await inbox_page(request, pages, db, zone, principal, error)
    return to(f"/messages/{sent.id}")


@router.get("/messages/{message_id}")
async def message(
    request: Request, message_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader
) -> HTMLResponse:
    return await message_page(request, pages, db, zone, principal, message_id)


@router.post("/messages/{message_id}/reply")
async def reply(
    request: Request, message_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader
) -> Response:
    try:
        data = message_from(await request.form(), reply=True)
        async with db.transaction() as session:
            await exchange.send_message(session, principal, data, zone, reply_to=message_id)
    except DomainError as error:
        return await message_page(request, pages, db, zone, principal, message_id, error, "reply")
    return to(f"/messages/{message_id}")


@router.post("/messages/{message_id}/agenda")
async def to_agenda(
    request: Request, message_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader
) -> Response:
    try:
        async with db.transaction() as session:
            meeting_id = await exchange.put_on_agenda(session, principal, message_id, zone)
    except DomainError as error:
        return await message_page(request, pages, db, zone, principal, message_id, error)
    return to(f"/meetings/{meeting_id}")


async def library_page(
    request: Request, pages: Pages, db: Database, principal: Principal, error: DomainError | None = None
) -> HTMLResponse:
    q = request.query_params.get("q", "")
    body = request.query_params.get("body") or None
    async with db.reader() as session:
        items = await exchange.search_library(session, principal, query=q, body=body)
        everything = await exchange.search_library(session, principal)
    return pages.render(
        request,
        "library.html",
        status=error.http_status if error else 200,
        principal=principal,
        items=items,
        q=q,
        body=body,
        bodies=sorted({i.body for i in everything}),
        error=error,
        posted="library" if error else None,
    )


@router.get("/library")
async def library(request: Request, pages: PageKit, db: Db, principal: GroupReader) -> HTMLResponse:
    return await library_page(request, pages, db, principal)


@router.post("/library")
async def library_add(
    request: Request, pages: PageKit, db: Db, zone: Zone, principal: GroupReader, settings: Settings
) -> Response:
    try:
        async with db.reader() as session:
            await exchange.require_contributor(session, principal, zone)  # before the file is read
    except DomainError as error:
        return refused(request, pages, principal, error)
    try:
        limit = settings.document_upload_max_bytes
        async with posted_form(request, field="file", max_bytes=limit, max_files=1) as form:
            files = await files_in(form, "file", exchange.LIBRARY_MAX_BYTES)
            data = parsed(LibraryIn, {name: text(form, name) for name in LIBRARY_FIELDS})
        async with db.transaction() as session:
            await exchange.add_library_item(session, principal, data, files[0] if files else None, zone)
    except DomainError as error:
        return await library_page(request, pages, db, principal, error)
    return to("/library")


@router.get("/library/{item_id}/file")
async def library_file(request: Request, item_id: str, pages: PageKit, db: Db, principal: GroupReader) -> Response:
    try:
        async with db.reader() as session:
            item = await exchange.library_file(session, principal, item_id)
    except DomainError as error:
        return refused(request, pages, principal, error)
    assert item.filename is not None  # stored with the content
    return Response(item.content, media_type="application/octet-stream", headers=attachment(item.filename))
