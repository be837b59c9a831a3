from fastapi import APIRouter, Depends

from coordination.meetings import compliance, service
from coordination.meetings.schemas import (
    AgendaIn,
    AssignmentIn,
    AttendanceIn,
    MeetingCreate,
    MeetingOut,
    MeetingRecordOut,
    NotesIn,
)
from hotline_common.auth import Principal


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["meetings"])

    @api.post("/meetings", response_model=MeetingOut, status_code=201)
    async def schedule(data: MeetingCreate, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.schedule_meeting(session, principal, data, runtime.zone)

    @api.get("/compliance", response_model=compliance.ComplianceOut)
    async def quarterly(principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await compliance.compliance(session, principal, runtime.zone, runtime.settings.quarter_warning_weeks)

    @api.get("/meetings", response_model=list[MeetingOut])
    async def meetings(principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.list_meetings(session, principal)

    @api.put("/meetings/{meeting_id}/agenda", response_model=MeetingRecordOut)
    async def agenda(meeting_id: str, data: AgendaIn, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.set_agenda(session, principal, meeting_id, data, runtime.zone)

    @api.put("/meetings/{meeting_id}/notes", response_model=MeetingRecordOut)
    async def notes(meeting_id: str, data: NotesIn, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.write_notes(session, principal, meeting_id, data, runtime.zone)

    @api.post("/meetings/{meeting_id}/assignments", response_model=MeetingRecordOut, status_code=201)
    async def assignment(
        meeting_id: str, data: AssignmentIn, principal: Principal = Depends(runtime.current_principal)
    ):
        async with runtime.db.transaction() as session:
            return await service.add_assignment(session, principal, meeting_id, data, runtime.zone)

    @api.get("/meetings/{meeting_id}", response_model=MeetingRecordOut)
    async def record(meeting_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.get_meeting(session, principal, meeting_id, runtime.zone)

    @api.post("/meetings/{meeting_id}/agree", response_model=MeetingOut)
    async def agree(meeting_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.agree_meeting(session, principal, meeting_id, runtime.zone)

    @api.put("/meetings/{meeting_id}/attendance", response_model=MeetingRecordOut)
    async def attendance(
        meeting_id: str, data: AttendanceIn, principal: Principal = Depends(runtime.current_principal)
    ):
        async with runtime.db.transaction() as session:
            return await service.record_attendance(session, principal, meeting_id, data, runtime.zone)

    @api.post("/meetings/{meeting_id}/open", response_model=MeetingOut)
    async def open_(meeting_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.open_meeting(session, principal, meeting_id, runtime.zone)

    @api.post("/meetings/{meeting_id}/close", response_model=MeetingOut)
    async def close(meeting_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.close_meeting(session, principal, meeting_id, runtime.zone)

    return api
