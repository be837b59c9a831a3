from fastapi import APIRouter, Depends

from coordination.members import service
from coordination.members.schemas import MemberOut
from hotline_common.auth import Principal


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["members"])

    @api.get("/members", response_model=list[MemberOut])
    async def members(principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.list_members(session, principal)

    return api
