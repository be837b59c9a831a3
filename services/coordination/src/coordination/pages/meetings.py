"""The meetings' pages: the list with the quarter rule and the head's proposal form, and a meeting's
page, where each step (agree, attendance, hold, proposals and votes, notes, assignments, close,
sign) is a form that goes back to the meeting, or shows it again with the refusal."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData

from coordination.decisions import service as decisions
from coordination.decisions.schemas import ProposalCreate, VoteIn
from coordination.deps import GroupReader, Vault, WarningWeeks, Zone
from coordination.meetings import compliance
from coordination.meetings import service as meetings
from coordination.meetings.rules import Presence
from coordination.meetings.schemas import AgendaIn, AssignmentIn, AttendanceIn, MeetingCreate, NotesIn
from coordination.members import offices
from coordination.members.service import list_members
from coordination.pages.kit import checked, lines, optional, parsed, refused, text, to
from coordination.protocols import service as protocols
from coordination.protocols.schemas import SignIn
from hotline_common.auth import Principal
from hotline_common.db import Database
from hotline_common.errors import DomainError, InvalidInput
from hotline_common.i18n_markers import N_
from hotline_common.web.deps import Db
from hotline_common.web.pages import PageKit, Pages

PRESENCES = [p.value for p in Presence]

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home() -> RedirectResponse:
    return to("/meetings")


async def meetings_page(
    request: Request,
    pages: Pages,
    db: Database,
    zone: ZoneInfo,
    weeks: int,
    principal: Principal,
    error: DomainError | None = None,
) -> HTMLResponse:
    today = meetings.today_in(zone)
    async with db.reader() as session:
        listed = await meetings.list_meetings(session, principal)
        state = await compliance.compliance(session, principal, zone, weeks)
        held = await offices.offices_of(session, principal, today)
        # Who may propose a meeting is who the quarter's warning is for (the head, the Coordinator).
        may_schedule = await meetings.may_schedule(session, principal, today)
    return pages.render(
        request,
        "meetings.html",
        status=error.http_status if error else 200,
        principal=principal,
        meetings=listed,
        compliance=state,
        offices=held,
        may_schedule=may_schedule,
        error=error,
        posted="schedule" if error else None,
    )


def meeting_from(form: FormData, zone: ZoneInfo) -> MeetingCreate:
    try:
        day = date.fromisoformat(text(form, "date"))
        at = time.fromisoformat(text(form, "time") or "10:00")
    except ValueError:
        raise InvalidInput.single("date", N_("give a date and a time")) from None
    return parsed(
        MeetingCreate,
        {
            "scheduled_for": datetime.combine(day, at, tzinfo=zone),
            "place": text(form, "place"),
            "online": checked(form, "online"),
            "agenda": lines(form, "agenda"),
        },
    )


@router.get("/meetings")
async def meetings_list(
    request: Request, pages: PageKit, db: Db, zone: Zone, weeks: WarningWeeks, principal: GroupReader
) -> HTMLResponse:
    return await meetings_page(request, pages, db, zone, weeks, principal)


async def record_form(
    request: Request, db: Database, principal: Principal, meeting_id: str, zone: ZoneInfo
) -> FormData:
    """A record step's form, read only once the reader may keep the meeting's record: a refused
    reader gets the refusal, never the form's errors."""
    async with db.reader() as session:
        await meetings.require_record_of(session, principal, meeting_id, zone)
    return await request.form()


@router.post("/meetings")
async def schedule(
    request: Request, pages: PageKit, db: Db, zone: Zone, weeks: WarningWeeks, principal: GroupReader
) -> Response:
    try:
        async with db.reader() as session:  # the gate before the form (see record_form)
            await meetings.require_schedule(session, principal, meetings.today_in(zone))
        data = meeting_from(await request.form(), zone)
        async with db.transaction() as session:
            meeting = await meetings.schedule_meeting(session, principal, data, zone)
    except DomainError as error:
        return await meetings_page(request, pages, db, zone, weeks, principal, error)
    return to(f"/meetings/{meeting.id}")


async def meeting_view(session: AsyncSession, principal: Principal, meeting_id: str, zone: ZoneInfo) -> dict[str, Any]:
    """What the meeting's page shows, and which of its steps the reader may take."""
    record = await meetings.get_meeting(session, principal, meeting_id, zone)
    day = record.scheduled_for.astimezone(zone).date()
    members = await list_members(session, principal, on=day)
    proposals = await decisions.list_proposals(session, principal, meeting_id)
    signed = await protocols.list_protocols(session, principal, meeting_id)
    me = next((m for m in members if m.subject == principal.subject), None)
    return {
        "meeting": record,
        "members": members,
        "names": {m.id: m.full_name for m in members},
        "presence": {a.member_id: a for a in record.attendance},
        "presences": PRESENCES,
        "proposals": proposals,
        "protocols": signed,
        "current_protocol": next((p for p in signed if p.superseded_by is None), None),
        "offices": await offices.offices_of(session, principal, day),
        "may_agree": meetings.may_agree(principal),
        "keeps_record": await meetings.may_keep_record(session, principal, day),
        "records_votes": await decisions.may_record_votes(session, principal, day),
        "may_sign": await protocols.may_sign(session, principal, day),
        "my_ballots": {p.id for p in proposals if decisions.may_cast_own_vote(record, me, p)},
        "me": me,
    }


async def meeting_page(
    request: Request,
    pages: Pages,
    db: Database,
    zone: ZoneInfo,
    principal: Principal,
    meeting_id: str,
    error: DomainError | None = None,
    posted: str | None = None,
) -> HTMLResponse:
    """The meeting's page; after a refused step, with the refusal (`posted`: the form it came from)."""
    try:
        async with db.reader() as session:
            view = await meeting_view(session, principal, meeting_id, zone)
    except DomainError as exc:
        return refused(request, pages, principal, exc)
    status = error.http_status if error else 200
    return pages.render(request, "meeting.html", status=status, principal=principal, error=error, posted=posted, **view)


@router.get("/meetings/{meeting_id}")
async def meeting(
    request: Request, meeting_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader
) -> HTMLResponse:
    return await meeting_page(request, pages, db, zone, principal, meeting_id)


def back(meeting_id: str) -> RedirectResponse:
    return to(f"/meetings/{meeting_id}")


@router.post("/meetings/{meeting_id}/agree")
async def agree(
    request: Request, meeting_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader
) -> Response:
    try:
        async with db.transaction() as session:
            await meetings.agree_meeting(session, principal, meeting_id, zone)
    except DomainError as error:
        return await meeting_page(request, pages, db, zone, principal, meeting_id, error)
    return back(meeting_id)


def attendance_from(form: FormData) -> AttendanceIn:
    """One entry per member whose presence is chosen; a replacement's name only with `replaced`."""
    entries = []
    for key, value in form.multi_items():
        if key.startswith("presence_") and value:
            member_id = key.removeprefix("presence_")
            replacement = optional(form, f"replacement_{member_id}")
            entries.append(
                {
                    "member_id": member_id,
                    "presence": value,
                    "replacement_name": replacement if value == Presence.REPLACED else None,
                }
            )
    return parsed(AttendanceIn, {"entries": entries})


@router.post("/meetings/{meeting_id}/attendance")
async def attendance(
    request: Request, meeting_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader
) -> Response:
    try:
        data = attendance_from(await record_form(request, db, principal, meeting_id, zone))
        async with db.transaction() as session:
            await meetings.record_attendance(session, principal, meeting_id, data, zone)
    except DomainError as error:
        return await meeting_page(request, pages, db, zone, principal, meeting_id, error, "attendance")
    return back(meeting_id)


@router.post("/meetings/{meeting_id}/open")
async def open_(
    request: Request, meeting_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader
) -> Response:
    try:
        async with db.transaction() as session:
            await meetings.open_meeting(session, principal, meeting_id, zone)
    except DomainError as error:
        return await meeting_page(request, pages, db, zone, principal, meeting_id, error)
    return back(meeting_id)


@router.post("/meetings/{meeting_id}/close")
async def close(
    request: Request, meeting_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader
) -> Response:
    try:
        async with db.transaction() as session:
            await meetings.close_meeting(session, principal, meeting_id, zone)
    except DomainError as error:
        return await meeting_page(request, pages, db, zone, principal, meeting_id, error)
    return back(meeting_id)


@router.post("/meetings/{meeting_id}/agenda")
async def agenda(
    request: Request, meeting_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader
) -> Response:
    try:
        data = parsed(
            AgendaIn, {"agenda": lines(await record_form(request, db, principal, meeting_id, zone), "agenda")}
        )
        async with db.transaction() as session:
            await meetings.set_agenda(session, principal, meeting_id, data, zone)
    except DomainError as error:
        return await meeting_page(request, pages, db, zone, principal, meeting_id, error, "agenda")
    return back(meeting_id)


@router.post("/meetings/{meeting_id}/notes")
async def notes(
    request: Request, meeting_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader
) -> Response:
    try:
        data = parsed(NotesIn, {"notes": text(await record_form(request, db, principal, meeting_id, zone), "notes")})
        async with db.transaction() as session:
            await meetings.write_notes(session, principal, meeting_id, data, zone)
    except DomainError as error:
        return await meeting_page(request, pages, db, zone, principal, meeting_id, error, "notes")
    return back(meeting_id)


def assignment_from(form: FormData) -> AssignmentIn:
    return parsed(
        AssignmentIn,
        {
            "agenda_item": text(form, "agenda_item") or 0,
            "text": text(form, "text"),
            "owner": text(form, "owner"),
            "deadline": text(form, "deadline") or None,
        },
    )


@router.post("/meetings/{meeting_id}/assignments")
async def assignment(
    request: Request, meeting_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader
) -> Response:
    try:
        data = assignment_from(await record_form(request, db, principal, meeting_id, zone))
        async with db.transaction() as session:
            await meetings.add_assignment(session, principal, meeting_id, data, zone)
    except DomainError as error:
        return await meeting_page(request, pages, db, zone, principal, meeting_id, error, "assignment")
    return back(meeting_id)


@router.post("/meetings/{meeting_id}/proposals")
async def propose(
    request: Request, meeting_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader
) -> Response:
    try:
        form = await record_form(request, db, principal, meeting_id, zone)
        data = parsed(ProposalCreate, {"agenda_item": text(form, "agenda_item") or 0, "text": text(form, "text")})
        async with db.transaction() as session:
            await decisions.add_proposal(session, principal, meeting_id, data, zone)
    except DomainError as error:
        return await meeting_page(request, pages, db, zone, principal, meeting_id, error, "proposal")
    return back(meeting_id)


@router.post("/meetings/{meeting_id}/proposals/{proposal_id}/vote")
async def vote(
    request: Request, meeting_id: str, proposal_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader
) -> Response:
    form = await request.form()
    try:
        data = parsed(VoteIn, {"member_id": text(form, "member_id"), "choice": text(form, "choice")})
        async with db.transaction() as session:
            await decisions.cast_vote(session, principal, meeting_id, proposal_id, data, zone)
    except DomainError as error:
        return await meeting_page(request, pages, db, zone, principal, meeting_id, error, f"vote-{proposal_id}")
    return back(meeting_id)


@router.post("/meetings/{meeting_id}/proposals/{proposal_id}/decide")
async def decide(
    request: Request, meeting_id: str, proposal_id: str, pages: PageKit, db: Db, zone: Zone, principal: GroupReader
) -> Response:
    try:
        async with db.transaction() as session:
            await decisions.decide_proposal(session, principal, meeting_id, proposal_id, zone)
    except DomainError as error:
        return await meeting_page(request, pages, db, zone, principal, meeting_id, error)
    return back(meeting_id)


@router.post("/meetings/{meeting_id}/sign")
async def sign(
    request: Request, meeting_id: str, pages: PageKit, db: Db, zone: Zone, vault: Vault, principal: GroupReader
) -> Response:
    form = await request.form()
    try:
        data = parsed(
            SignIn,
            {"supersedes": optional(form, "supersedes"), "correction_reason": optional(form, "correction_reason")},
        )
        async with db.transaction() as session:
            signed = await protocols.sign_protocol(session, principal, meeting_id, data, zone, vault)
    except DomainError as error:
        return await meeting_page(request, pages, db, zone, principal, meeting_id, error, "sign")
    return to(f"/protocols/{signed.id}")
