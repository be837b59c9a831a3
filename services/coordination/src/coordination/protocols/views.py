from fastapi import APIRouter, Depends
from fastapi.responses import Response

from coordination.protocols import render, service
from coordination.protocols.schemas import ExportedProtocol, KeyOut, ProtocolOut, SignIn, Verification
from hotline_common.auth import Principal


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["protocols"])

    @api.post("/meetings/{meeting_id}/protocols", response_model=ProtocolOut, status_code=201)
    async def sign(meeting_id: str, data: SignIn, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.sign_protocol(session, principal, meeting_id, data, runtime.zone, runtime.vault)

    @api.get("/meetings/{meeting_id}/protocols", response_model=list[ProtocolOut])
    async def of_meeting(meeting_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.list_protocols(session, principal, meeting_id)

    @api.get("/protocols/{protocol_id}", response_model=ProtocolOut)
    async def one(protocol_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.get_protocol(session, principal, protocol_id)

    @api.get("/protocols/{protocol_id}/export", response_model=ExportedProtocol)
    async def export(protocol_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.export_protocol(session, principal, protocol_id)

    @api.post("/protocols/{protocol_id}/verify", response_model=Verification)
    async def verify(protocol_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.verify_stored(session, principal, protocol_id)

    @api.post("/protocols/verify", response_model=Verification)
    async def verify_exported(data: ExportedProtocol, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.verify_exported(session, principal, data)

    @api.get("/protocols/{protocol_id}/pdf")
    async def pdf(protocol_id: str, lang: str = "az", principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            protocol = await service.get_protocol(session, principal, protocol_id)
        content = render.pdf(protocol, runtime.translator, lang)
        return Response(
            content,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="protocol-{protocol_id}.pdf"'},
        )

    @api.get("/signing-keys", response_model=list[KeyOut])
    async def signing_keys(principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.list_keys(session, principal)

    @api.post("/signing-keys/rotate", response_model=KeyOut, status_code=201)
    async def rotate(principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.rotate_key(session, principal, runtime.vault, runtime.zone)

    return api
