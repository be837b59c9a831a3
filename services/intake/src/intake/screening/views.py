from typing import Annotated

from fastapi import APIRouter, Depends, Query

from hotline_common.auth import Principal
from intake.screening import service
from intake.screening.schemas import AlertOut, AssessmentOut, IndicatorGroupOut, ScreeningIn


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["screening"])

    @api.get("/screening/checklist", response_model=list[IndicatorGroupOut])
    async def checklist(principal: Principal = Depends(runtime.current_principal)):
        return service.checklist(principal)

    @api.post("/screening/assess", response_model=AssessmentOut)
    async def assess(data: ScreeningIn, principal: Principal = Depends(runtime.current_principal)):
        return service.assess_indicators(principal, data.indicators)

    @api.get("/alerts", response_model=list[AlertOut])
    async def open_alerts(
        limit: Annotated[int, Query(ge=1, le=500)] = 100, principal: Principal = Depends(runtime.current_principal)
    ):
        async with runtime.db.reader() as session:
            return await service.list_open_alerts(session, principal, limit=limit)

    @api.post("/alerts/{alert_id}/close", response_model=AlertOut)
    async def close(alert_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.close_alert(session, principal, alert_id)

    return api
