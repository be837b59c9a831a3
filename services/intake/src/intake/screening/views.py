"""Screening and high-risk alerts over HTTP: thin adapters over screening.service."""

from typing import Annotated

from fastapi import APIRouter, Query

from hotline_common.web.deps import CurrentPrincipal, Db
from intake.screening import service
from intake.screening.schemas import AlertOut, AssessmentOut, IndicatorGroupOut, ScreeningIn

router = APIRouter(prefix="/api/v1", tags=["screening"])


@router.get("/screening/checklist", response_model=list[IndicatorGroupOut])
async def checklist(principal: CurrentPrincipal) -> list[IndicatorGroupOut]:
    return service.checklist(principal)


@router.post("/screening/assess", response_model=AssessmentOut)
async def assess(data: ScreeningIn, principal: CurrentPrincipal) -> AssessmentOut:
    return service.assess_indicators(principal, data.indicators)


@router.get("/alerts", response_model=list[AlertOut])
async def open_alerts(
    principal: CurrentPrincipal, db: Db, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[AlertOut]:
    async with db.reader() as session:
        return await service.list_open_alerts(session, principal, limit=limit)


@router.post("/alerts/{alert_id}/close", response_model=AlertOut)
async def close(alert_id: str, principal: CurrentPrincipal, db: Db) -> AlertOut:
    async with db.transaction() as session:
        return await service.close_alert(session, principal, alert_id)
