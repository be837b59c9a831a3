"""The exchange API: participants, messages with read receipts and replies, the agenda step, and
the library."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from coordination.deps import Settings, Zone
from coordination.exchange import service
from coordination.exchange.schemas import LibraryIn, LibraryOut, MessageIn, MessageOut, Participant
from coordination.uploads import BINARY, STRING, attachment, field_text, files_in, multipart_body, posted_form
from hotline_common.errors import InvalidInput
from hotline_common.web.deps import CurrentPrincipal, Db

router = APIRouter(prefix="/api/v1", tags=["exchange"])

LIBRARY_FIELDS = ("title", "kind", "description", "body")


async def library_form(
    request: Request, principal: CurrentPrincipal, db: Db, zone: Zone, settings: Settings
) -> AsyncIterator[FormData]:
    """The posted library item, read only once the principal may add to the library."""
    async with db.reader() as session:
        await service.require_contributor(session, principal, zone)
    async with posted_form(request, field="file", max_bytes=settings.document_upload_max_bytes, max_files=1) as form:
        yield form


LibraryForm = Annotated[FormData, Depends(library_form)]


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


@router.post(
    "/library",
    response_model=LibraryOut,
    status_code=201,
    openapi_extra=multipart_body(list(LIBRARY_FIELDS), file=BINARY, **dict.fromkeys(LIBRARY_FIELDS, STRING)),
)
async def add(form: LibraryForm, principal: CurrentPrincipal, db: Db, zone: Zone) -> LibraryOut:
    try:
        data = LibraryIn.model_validate({name: field_text(form, name) for name in LIBRARY_FIELDS})
    except ValidationError as exc:  # → 422 naming the field
        raise InvalidInput.from_pydantic(exc) from None
    files = await files_in(form, "file", service.LIBRARY_MAX_BYTES)
    async with db.transaction() as session:
        return await service.add_library_item(session, principal, data, files[0] if files else None, zone)


@router.get("/library/{item_id}/file")
async def download(item_id: str, principal: CurrentPrincipal, db: Db) -> Response:
    async with db.reader() as session:
        item = await service.library_file(session, principal, item_id)
    assert item.filename is not None  # stored with the content
    return Response(item.content, media_type="application/octet-stream", headers=attachment(item.filename))
