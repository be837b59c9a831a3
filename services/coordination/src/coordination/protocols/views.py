"""The protocols API: signing, reading, exporting, verifying, the PDF, and the signing keys."""

from fastapi import APIRouter
from fastapi.responses import Response

from coordination.deps import Catalogs, Vault, Zone
from coordination.protocols import render, service
from coordination.protocols.schemas import ExportedProtocol, KeyOut, ProtocolOut, SignIn, Verification
from hotline_common.web.deps import CurrentPrincipal, Db

router = APIRouter(prefix="/api/v1", tags=["protocols"])


@router.post("/meetings/{meeting_id}/protocols", response_model=ProtocolOut, status_code=201)
async def sign(
    meeting_id: str, data: SignIn, principal: CurrentPrincipal, db: Db, zone: Zone, vault: Vault
) -> ProtocolOut:
    async with db.transaction() as session:
        return await service.sign_protocol(session, principal, meeting_id, data, zone, vault)


@router.get("/meetings/{meeting_id}/protocols", response_model=list[ProtocolOut])
async def of_meeting(meeting_id: str, principal: CurrentPrincipal, db: Db) -> list[ProtocolOut]:
    async with db.reader() as session:
        return await service.list_protocols(session, principal, meeting_id)


@router.get("/protocols/{protocol_id}", response_model=ProtocolOut)
async def one(protocol_id: str, principal: CurrentPrincipal, db: Db) -> ProtocolOut:
    async with db.reader() as session:
        return await service.get_protocol(session, principal, protocol_id)


@router.get("/protocols/{protocol_id}/export", response_model=ExportedProtocol)
async def export(protocol_id: str, principal: CurrentPrincipal, db: Db) -> ExportedProtocol:
    async with db.reader() as session:
        return await service.export_protocol(session, principal, protocol_id)


@router.post("/protocols/{protocol_id}/verify", response_model=Verification)
async def verify(protocol_id: str, principal: CurrentPrincipal, db: Db) -> Verification:
    async with db.reader() as session:
        return await service.verify_stored(session, principal, protocol_id)


@router.post("/protocols/verify", response_model=Verification)
async def verify_exported(data: ExportedProtocol, principal: CurrentPrincipal, db: Db) -> Verification:
    async with db.reader() as session:
        return await service.verify_exported(session, principal, data)


@router.get("/protocols/{protocol_id}/pdf")
async def pdf(protocol_id: str, principal: CurrentPrincipal, db: Db, catalogs: Catalogs, lang: str = "az") -> Response:
    async with db.reader() as session:
        protocol = await service.get_protocol(session, principal, protocol_id)
    return Response(
        render.pdf(protocol, catalogs, lang),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="protocol-{protocol_id}.pdf"'},
    )


@router.get("/signing-keys", response_model=list[KeyOut])
async def signing_keys(principal: CurrentPrincipal, db: Db) -> list[KeyOut]:
    async with db.reader() as session:
        return await service.list_keys(session, principal)


@router.post("/signing-keys/rotate", response_model=KeyOut, status_code=201)
async def rotate(principal: CurrentPrincipal, db: Db, zone: Zone, vault: Vault) -> KeyOut:
    async with db.transaction() as session:
        return await service.rotate_key(session, principal, vault, zone)
