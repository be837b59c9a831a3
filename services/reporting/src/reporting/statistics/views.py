from typing import Annotated

from fastapi import APIRouter, Depends, Query

from hotline_common.auth import Principal
from reporting.statistics import service
from reporting.statistics.schemas import Statistics, StatisticsQuery


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["statistics"])

    @api.get("/statistics", response_model=Statistics)
    async def statistics(query: Annotated[StatisticsQuery, Query()],
                         principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.get_statistics(session, principal, query)

    return api
