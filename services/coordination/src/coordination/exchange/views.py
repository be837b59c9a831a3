from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError

from coordination.exchange import service
from coordination.exchange.schemas import LibraryIn, LibraryOut, MessageIn, MessageOut, Participant
from hotline_common.auth import Principal
from hotline_common.errors import InvalidInput


def attachment(filename: str) -> dict:
    return {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["exchange"])

    @api.get("/participants", response_model=list[Participant])
    async def participants(principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.participants(session, principal, runtime.zone)

    @api.get("/messages", response_model=list[MessageOut])
    async def inbox(principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.inbox(session, principal, runtime.zone)

    @api.post("/messages", response_model=MessageOut, status_code=201)
    async def send(data: MessageIn, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.send_message(session, principal, data, runtime.zone)

    @api.post("/messages/{message_id}/read", response_model=MessageOut)
    async def read(message_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.read_message(session, principal, message_id, runtime.zone)

    @api.post("/messages/{message_id}/replies", response_model=MessageOut, status_code=201)
    async def reply(message_id: str, data: MessageIn, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.send_message(session, principal, data, runtime.zone, reply_to=message_id)

    @api.post("/messages/{message_id}/agenda")
    async def to_agenda(message_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return {"meeting_id": await service.put_on_agenda(session, principal, message_id, runtime.zone)}

    @api.get("/library", response_model=list[LibraryOut])
    async def library(
        q: str = "",
        body: str | None = None,
        kind: str | None = None,
        principal: Principal = Depends(runtime.current_principal),
    ):
        async with runtime.db.reader() as session:
            return await service.search_library(session, principal, query=q, body=body, kind=kind)

    @api.post("/library", response_model=LibraryOut, status_code=201)
    async def add(
        title: str = Form(...),
        kind: str = Form(...),
        description: str = Form(...),
        body: str = Form(...),
        file: UploadFile | None = File(default=None),
        principal: Principal = Depends(runtime.current_principal),
    ):
        try:
            data = LibraryIn(title=title, kind=kind, description=description, body=body)
        except ValidationError as exc:  # → 422 naming the field
            raise InvalidInput.from_pydantic(exc) from None
        upload = None
        if file is not None and file.filename:
            upload = (file.filename, file.content_type or "", await file.read(service.LIBRARY_MAX_BYTES + 1))
        async with runtime.db.transaction() as session:
            return await service.add_library_item(session, principal, data, upload, runtime.zone)

    @api.get("/library/{item_id}/file")
    async def download(item_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            item = await service.library_file(session, principal, item_id)
        assert item.filename is not None  # stored with the content
        return Response(item.content, media_type="application/octet-stream", headers=attachment(item.filename))

    return api
