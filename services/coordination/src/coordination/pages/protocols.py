"""A protocol's page: the signed document as it was signed, its verification and its PDF."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from coordination.deps import GroupReader
from coordination.pages.kit import refused
from coordination.protocols import render
from coordination.protocols import service as protocols
from hotline_common.auth import Principal
from hotline_common.db import Database
from hotline_common.errors import DomainError
from hotline_common.web.deps import Db
from hotline_common.web.pages import PageKit, Pages

router = APIRouter(include_in_schema=False)


async def protocol_page(
    request: Request, pages: Pages, db: Database, principal: Principal, protocol_id: str, *, verify: bool = False
) -> HTMLResponse:
    try:
        async with db.reader() as session:
            protocol = await protocols.get_protocol(session, principal, protocol_id)
            verification = await protocols.verify_stored(session, principal, protocol_id) if verify else None
    except DomainError as error:
        return refused(request, pages, principal, error)
    return pages.render(
        request,
        "protocol.html",
        principal=principal,
        protocol=protocol,
        doc=protocol.document,
        verification=verification,
    )


@router.get("/protocols/{protocol_id}")
async def protocol(request: Request, protocol_id: str, pages: PageKit, db: Db, principal: GroupReader) -> HTMLResponse:
    return await protocol_page(request, pages, db, principal, protocol_id)


@router.post("/protocols/{protocol_id}/verify")
async def verify(request: Request, protocol_id: str, pages: PageKit, db: Db, principal: GroupReader) -> HTMLResponse:
    return await protocol_page(request, pages, db, principal, protocol_id, verify=True)


@router.get("/protocols/{protocol_id}/protocol.pdf")
async def pdf(request: Request, protocol_id: str, pages: PageKit, db: Db, principal: GroupReader) -> Response:
    try:
        async with db.reader() as session:
            protocol = await protocols.get_protocol(session, principal, protocol_id)
    except DomainError as error:
        return refused(request, pages, principal, error)
    return Response(
        render.pdf(protocol, pages.translator, pages.language(request)),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="protocol-{protocol_id}.pdf"'},
    )
