"""The meetings API: scheduling, the Coordinator's agreement, attendance, holding and closing,
the agenda, notes, assignments, and the quarterly compliance."""

from fastapi import APIRouter

from coordination.deps import WarningWeeks, Zone
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
from hotline_common.web.deps import CurrentPrincipal, Db

router = APIRouter(prefix="/api/v1", tags=["meetings"])


@router.post("/meetings", response_model=MeetingOut, status_code=201)
async def schedule(data: MeetingCreate, principal: CurrentPrincipal, db: Db, zone: Zone) -> MeetingOut:
    async with db.transaction() as session:
        return await service.schedule_meeting(session, principal, data, zone)


@router.get("/compliance", response_model=compliance.ComplianceOut)
async def quarterly(principal: CurrentPrincipal, db: Db, zone: Zone, weeks: WarningWeeks) -> compliance.ComplianceOut:
    async with db.reader() as session:
        return await compliance.compliance(session, principal, zone, weeks)


@router.get("/meetings", response_model=list[MeetingOut])
async def meetings(principal: CurrentPrincipal, db: Db) -> list[MeetingOut]:
    async with db.reader() as session:
        return await service.list_meetings(session, principal)


@router.put("/meetings/{meeting_id}/agenda", response_model=MeetingRecordOut)
async def agenda(meeting_id: str, data: AgendaIn, principal: CurrentPrincipal, db: Db, zone: Zone) -> MeetingRecordOut:
    async with db.transaction() as session:
        return await service.set_agenda(session, principal, meeting_id, data, zone)


@router.put("/meetings/{meeting_id}/notes", response_model=MeetingRecordOut)
async def notes(meeting_id: str, data: NotesIn, principal: CurrentPrincipal, db: Db, zone: Zone) -> MeetingRecordOut:
    async with db.transaction() as session:
        return await service.write_notes(session, principal, meeting_id, data, zone)


@router.post("/meetings/{meeting_id}/assignments", response_model=MeetingRecordOut, status_code=201)
async def assignment(
    meeting_id: str, data: AssignmentIn, principal: CurrentPrincipal, db: Db, zone: Zone
) -> MeetingRecordOut:
    async with db.transaction() as session:
        return await service.add_assignment(session, principal, meeting_id, data, zone)


@router.get("/meetings/{meeting_id}", response_model=MeetingRecordOut)
async def record(meeting_id: str, principal: CurrentPrincipal, db: Db, zone: Zone) -> MeetingRecordOut:
    async with db.reader() as session:
        return await service.get_meeting(session, principal, meeting_id, zone)


@router.post("/meetings/{meeting_id}/agree", response_model=MeetingOut)
async def agree(meeting_id: str, principal: CurrentPrincipal, db: Db, zone: Zone) -> MeetingOut:
    async with db.transaction() as session:
        return await service.agree_meeting(session, principal, meeting_id, zone)


@router.put("/meetings/{meeting_id}/attendance", response_model=MeetingRecordOut)
async def attendance(
    meeting_id: str, data: AttendanceIn, principal: CurrentPrincipal, db: Db, zone: Zone
) -> MeetingRecordOut:
    async with db.transaction() as session:
        return await service.record_attendance(session, principal, meeting_id, data, zone)


@router.post("/meetings/{meeting_id}/open", response_model=MeetingOut)
async def open_(meeting_id: str, principal: CurrentPrincipal, db: Db, zone: Zone) -> MeetingOut:
    async with db.transaction() as session:
        return await service.open_meeting(session, principal, meeting_id, zone)


@router.post("/meetings/{meeting_id}/close", response_model=MeetingOut)
async def close(meeting_id: str, principal: CurrentPrincipal, db: Db, zone: Zone) -> MeetingOut:
    async with db.transaction() as session:
        return await service.close_meeting(session, principal, meeting_id, zone)
