from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from hotline_common.auth import Principal
from reporting.statistics import service
from reporting.statistics.schemas import (
    CALL_DIMENSIONS,
    REFERRAL_DIMENSIONS,
    CrossTable,
    Dashboard,
    Statistics,
    StatisticsQuery,
    Table,
)

CallDimension = Literal[CALL_DIMENSIONS]  # type: ignore[valid-type]
ReferralDimension = Literal[REFERRAL_DIMENSIONS]  # type: ignore[valid-type]
Period = Literal["day", "week", "month", "quarter", "year"]


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["statistics"])
    k = runtime.settings.suppression_k

    @api.get("/statistics", response_model=Statistics)
    async def statistics(
        query: Annotated[StatisticsQuery, Query()], principal: Principal = Depends(runtime.current_principal)
    ):
        async with runtime.db.reader() as session:
            return await service.get_statistics(session, principal, query, k)

    @api.get("/statistics/dashboard", response_model=Dashboard)
    async def dashboard(
        query: Annotated[StatisticsQuery, Query()],
        period: Period = "month",
        principal: Principal = Depends(runtime.current_principal),
    ):
        async with runtime.db.reader() as session:
            return await service.dashboard(session, principal, query, k, period=period)

    @api.get("/statistics/calls/{dimension}", response_model=Table)
    async def calls_table(
        dimension: CallDimension,
        query: Annotated[StatisticsQuery, Query()],
        principal: Principal = Depends(runtime.current_principal),
    ):
        async with runtime.db.reader() as session:
            return await service.table(session, principal, "calls", dimension, query, k)

    @api.get("/statistics/referrals/{dimension}", response_model=Table)
    async def referrals_table(
        dimension: ReferralDimension,
        query: Annotated[StatisticsQuery, Query()],
        principal: Principal = Depends(runtime.current_principal),
    ):
        async with runtime.db.reader() as session:
            return await service.table(session, principal, "referrals", dimension, query, k)

    @api.get("/statistics/crosstab", response_model=CrossTable)
    async def crosstab(
        rows: CallDimension,
        columns: CallDimension,
        query: Annotated[StatisticsQuery, Query()],
        principal: Principal = Depends(runtime.current_principal),
    ):
        async with runtime.db.reader() as session:
            return await service.cross_table(session, principal, rows, columns, query, k)

    return api
