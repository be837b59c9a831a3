"""The statistics API: tables and the dashboard, suppressed for the reader's role."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from hotline_common.web.deps import CurrentPrincipal, Db
from reporting.deps import SuppressionK
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
Filters = Annotated[StatisticsQuery, Query()]

router = APIRouter(prefix="/api/v1", tags=["statistics"])


@router.get("/statistics", response_model=Statistics)
async def statistics(query: Filters, principal: CurrentPrincipal, db: Db, k: SuppressionK) -> Statistics:
    async with db.reader() as session:
        return await service.get_statistics(session, principal, query, k)


@router.get("/statistics/dashboard", response_model=Dashboard)
async def dashboard(
    query: Filters, principal: CurrentPrincipal, db: Db, k: SuppressionK, period: Period = "month"
) -> Dashboard:
    async with db.reader() as session:
        return await service.dashboard(session, principal, query, k, period=period)


@router.get("/statistics/calls/{dimension}", response_model=Table)
async def calls_table(
    dimension: CallDimension, query: Filters, principal: CurrentPrincipal, db: Db, k: SuppressionK
) -> Table:
    async with db.reader() as session:
        return await service.table(session, principal, "calls", dimension, query, k)


@router.get("/statistics/referrals/{dimension}", response_model=Table)
async def referrals_table(
    dimension: ReferralDimension, query: Filters, principal: CurrentPrincipal, db: Db, k: SuppressionK
) -> Table:
    async with db.reader() as session:
        return await service.table(session, principal, "referrals", dimension, query, k)


@router.get("/statistics/crosstab", response_model=CrossTable)
async def crosstab(
    rows: CallDimension, columns: CallDimension, query: Filters, principal: CurrentPrincipal, db: Db, k: SuppressionK
) -> CrossTable:
    async with db.reader() as session:
        return await service.cross_table(session, principal, rows, columns, query, k)
