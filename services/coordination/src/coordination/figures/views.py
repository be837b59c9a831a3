from datetime import datetime

from fastapi import APIRouter, Depends

from coordination.figures import service
from coordination.figures.service import HotlineFigures
from hotline_common.auth import Principal


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["figures"])

    @api.get("/hotline-figures", response_model=HotlineFigures)
    async def figures(
        from_time: datetime | None = None,
        to_time: datetime | None = None,
        principal: Principal = Depends(runtime.current_principal),
    ):
        return await service.hotline_figures(runtime.reporting, principal, from_time=from_time, to_time=to_time)

    return api
