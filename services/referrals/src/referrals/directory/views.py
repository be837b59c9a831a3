from typing import Annotated

from fastapi import APIRouter, Depends, Query

from hotline_common.auth import Principal
from referrals.directory import service
from referrals.directory.schemas import ServiceOut, ServiceSearch


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["directory"])

    @api.get("/services", response_model=list[ServiceOut])
    async def search(query: Annotated[ServiceSearch, Query()],
                     principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.search_services(session, principal, query)

    return api
