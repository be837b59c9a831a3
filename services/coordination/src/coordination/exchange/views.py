"""The exchange API: participants, messages with read receipts and replies, the agenda step, and
the library."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError

from coordination.deps import Zone
from coordination.exchange import service
from coordination.exchange.schemas import LibraryIn, LibraryOut, MessageIn, MessageOut, Participant
from hotline_common.errors import InvalidInput
from hotline_common.web.deps import CurrentPrincipal, Db

router = APIRouter(prefix="/api/v1", tags=["exchange"])


def attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}


@router.get("/participants", response_model=list[Participant])
async def participants(principal: CurrentPrincipal, db: Db, zone: Zone) -> list[Participant]:
    async with db.reader() as session:
        return await service.participants(session, principal, zone)


@router.get("/messages", response_model=list[MessageOut])
async def inbox(principal: CurrentPrincipal, db: Db, zone: Zone) -> list[MessageOut]:
    async with db.reader() as session:
        return await service.inbox(session, principal, zone)


@router.post("/messages", response_model=MessageOut, status_code=201)
async def send(data: MessageIn, principal: CurrentPrincipal, db: Db, zone: Zone) -> MessageOut:
    async with db.transaction() as session:
        return await service.send_message(session, principal, data, zone)


@router.post("/messages/{message_id}/read", response_model=MessageOut)
async def read(message_id: str, principal: CurrentPrincipal, db: Db, zone: Zone) -> MessageOut:
    async with db.transaction() as session:
        return await service.read_message(session, principal, message_id, zone)


@router.post("/messages/{message_id}/replies", response_model=MessageOut, status_code=201)
async def reply(message_id: str, data: MessageIn, principal: CurrentPrincipal, db: Db, zone: Zone) -> MessageOut:
    async with db.transaction() as session:
        return await service.send_message(session, principal, data, zone, reply_to=message_id)


@router.post("/messages/{message_id}/agenda")
async def to_agenda(message_id: str, principal: CurrentPrincipal, db: Db, zone: Zone) -> dict[str, str]:
    async with db.transaction() as session:
        return {"meeting_id": await service.put_on_agenda(session, principal, message_id, zone)}


@router.get("/library", response_model=list[LibraryOut])
async def library(
    principal: CurrentPrincipal, db: Db, q: str = "", body: str | None = None, kind: str | None = None
) -> list[LibraryOut]:
    async with db.reader() as session:
        return await service.search_library(session, principal, query=q, body=body, kind=kind)


@router.post("/library", response_model=LibraryOut, status_code=201)
async def add(
    title: Annotated[str, Form()],
    kind: Annotated[str, Form()],
    description: Annotated[str, Form()],
    body: Annotated[str, Form()],
    principal: CurrentPrincipal,
    db: Db,
    zone: Zone,
    file: Annotated[UploadFile | None, File()] = None,
) -> LibraryOut:
    try:
        data = LibraryIn.model_validate({"title": title, "kind": kind, "description": description, "body": body})
    except ValidationError as exc:  # → 422 naming the field
        raise InvalidInput.from_pydantic(exc) from None
    upload = None
    if file is not None and file.filename:
        upload = (file.filename, file.content_type or "", await file.read(service.LIBRARY_MAX_BYTES + 1))
    async with db.transaction() as session:
        return await service.add_library_item(session, principal, data, upload, zone)


@router.get("/library/{item_id}/file")
async def download(item_id: str, principal: CurrentPrincipal, db: Db) -> Response:
    async with db.reader() as session:
        item = await service.library_file(session, principal, item_id)
    assert item.filename is not None  # stored with the content
    return Response(item.content, media_type="application/octet-stream", headers=attachment(item.filename))
