from fastapi import APIRouter, Depends

from coordination.meetings import service
from coordination.meetings.schemas import MeetingCreate, MeetingOut
from hotline_common.auth import Principal


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["meetings"])

    @api.post("/meetings", response_model=MeetingOut, status_code=201)
    async def schedule(data: MeetingCreate, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.schedule_meeting(session, principal, data, runtime.zone)

    return api
