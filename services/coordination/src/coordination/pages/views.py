"""The Working Group's pages (head, secretary, Coordinator, members), server-rendered over the same
service functions as the API. Sign-in happens on intake (the session cookie is the same token);
each action is a form POST that redirects back (or re-renders with the refusal)."""

from datetime import date, datetime, time

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from coordination.decisions import service as decisions
from coordination.decisions.schemas import ProposalCreate, VoteIn
from coordination.meetings import compliance
from coordination.meetings import service as meetings
from coordination.meetings.rules import Presence
from coordination.meetings.schemas import AgendaIn, AssignmentIn, AttendanceIn, MeetingCreate, NotesIn
from coordination.members import offices
from coordination.members.service import list_members
from coordination.pages import exchange as exchange_pages
from coordination.pages import members as members_pages
from coordination.pages import nap as nap_pages
from coordination.protocols import render as protocol_render
from coordination.protocols import service as protocols
from coordination.protocols.render import MAJORITY_RULE_TEXT, QUORUM_RULE_TEXT
from coordination.protocols.schemas import SignIn
from hotline_common.auth import SESSION_COOKIE, Permission
from hotline_common.db import utcnow
from hotline_common.errors import DomainError, InvalidInput, Unauthenticated
from hotline_common.resources import package_dir

TEMPLATES = package_dir("coordination", "pages", "templates")
LANG_COOKIE = "lang"
PRESENCES = [p.value for p in Presence]


def mount(runtime) -> APIRouter:
    translator = runtime.translator
    templates = Jinja2Templates(directory=str(TEMPLATES))
    pages = APIRouter(include_in_schema=False)

    def language(request: Request) -> str:
        return translator.pick(request.query_params.get("lang") or request.cookies.get(LANG_COOKIE))

    def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        lang = language(request)
        context.update(
            lang=lang,
            _=lambda msgid: translator.gettext(lang, msgid),
            quorum_rule=QUORUM_RULE_TEXT,
            majority_rule=MAJORITY_RULE_TEXT,
        )
        response = templates.TemplateResponse(request, name, context, status_code=status)
        if request.query_params.get("lang"):
            response.set_cookie(LANG_COOKIE, lang, samesite="strict", max_age=365 * 24 * 3600)
        return response

    async def signed_in(request: Request):
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        try:
            return await runtime.verifier.verify(token)
        except Unauthenticated:
            return None

    def sign_in_first(request: Request) -> HTMLResponse:
        return render(request, "signin.html", status=401, principal=None, roles=set())

    async def roles_of(session, principal, day: date) -> set[str]:
        found = await offices.offices_of(session, principal, day)
        if principal.can(Permission.MEETING_AGREE):
            found.add("coordinator")
        return found

    async def meetings_page(request: Request, principal, error: str | None = None, status: int = 200):
        today = utcnow().astimezone(runtime.zone).date()
        async with runtime.db.reader() as session:
            listed = await meetings.list_meetings(session, principal)
            state = await compliance.compliance(
                session, principal, runtime.zone, runtime.settings.quarter_warning_weeks
            )
            roles = await roles_of(session, principal, today)
        may_schedule = principal.can(Permission.MEETING_SCHEDULE) or "head" in roles
        return render(
            request,
            "meetings.html",
            status=status,
            principal=principal,
            meetings=listed,
            compliance=state,
            roles=roles,
            may_schedule=may_schedule,
            error=error,
        )

    async def meeting_page(request: Request, principal, meeting_id: str, error: str | None = None, status: int = 200):
        async with runtime.db.reader() as session:
            record = await meetings.get_meeting(session, principal, meeting_id, runtime.zone)
            day = record.scheduled_for.astimezone(runtime.zone).date()
            members = await list_members(session, principal, on=day)
            proposals = await decisions.list_proposals(session, principal, meeting_id)
            signed = await protocols.list_protocols(session, principal, meeting_id)
            roles = await roles_of(session, principal, day)
        keeps_record = principal.can(Permission.MEETING_RECORD) or bool(roles & {"head", "secretary"})
        me = next((m for m in members if m.subject == principal.subject), None)
        presence = {a.member_id: a for a in record.attendance}
        current = next((p for p in signed if p.superseded_by is None), None)
        return render(
            request,
            "meeting.html",
            status=status,
            principal=principal,
            meeting=record,
            members=members,
            names={m.id: m.full_name for m in members},
            presence=presence,
            proposals=proposals,
            protocols=signed,
            current_protocol=current,
            roles=roles,
            keeps_record=keeps_record,
            me=me,
            records_votes=principal.can(Permission.MEETING_RECORD) or "secretary" in roles,
            presences=PRESENCES,
            local=lambda d: d.astimezone(runtime.zone),
            error=error,
        )

    def problem_text(exc: DomainError) -> str:
        return exc.message

    async def act(request: Request, meeting_id: str, action):
        """Run one form action in a transaction; back to the meeting page, or the page with the refusal."""
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        try:
            async with runtime.db.transaction() as session:
                target = await action(session, principal)
        except ValidationError as exc:
            return await meeting_page(
                request, principal, meeting_id, problem_text(InvalidInput.from_pydantic(exc)), 422
            )
        except DomainError as exc:
            return await meeting_page(request, principal, meeting_id, problem_text(exc), exc.http_status)
        return RedirectResponse(target or f"/meetings/{meeting_id}", status_code=303)

    @pages.get("/")
    async def home():
        return RedirectResponse("/meetings", status_code=303)

    @pages.get("/meetings")
    async def meetings_list(request: Request) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        try:
            return await meetings_page(request, principal)
        except DomainError as exc:
            return render(
                request, "signin.html", status=exc.http_status, principal=principal, roles=set(), error=exc.message
            )

    @pages.post("/meetings")
    async def schedule(request: Request) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        form = await request.form()
        try:
            day = date.fromisoformat(str(form.get("date", "")))
            at = time.fromisoformat(str(form.get("time", "") or "10:00"))
        except ValueError:
            return await meetings_page(request, principal, "date/time: give a date and a time", 422)
        agenda = [line.strip() for line in str(form.get("agenda", "")).splitlines() if line.strip()]
        try:
            data = MeetingCreate(
                scheduled_for=datetime.combine(day, at, tzinfo=runtime.zone),
                place=str(form.get("place", "")),
                online=form.get("online") == "on",
                agenda=agenda,
            )
            async with runtime.db.transaction() as session:
                meeting = await meetings.schedule_meeting(session, principal, data, runtime.zone)
        except ValidationError as exc:
            return await meetings_page(request, principal, InvalidInput.from_pydantic(exc).message, 422)
        except DomainError as exc:
            return await meetings_page(request, principal, exc.message, exc.http_status)
        return RedirectResponse(f"/meetings/{meeting.id}", status_code=303)

    @pages.get("/meetings/{meeting_id}")
    async def meeting(request: Request, meeting_id: str) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        try:
            return await meeting_page(request, principal, meeting_id)
        except DomainError as exc:
            return render(
                request, "signin.html", status=exc.http_status, principal=principal, roles=set(), error=exc.message
            )

    @pages.post("/meetings/{meeting_id}/agree")
    async def agree(request: Request, meeting_id: str):
        async def run(session, principal):
            await meetings.agree_meeting(session, principal, meeting_id, runtime.zone)

        return await act(request, meeting_id, run)

    @pages.post("/meetings/{meeting_id}/attendance")
    async def attendance(request: Request, meeting_id: str):
        form = await request.form()
        entries = []
        for key, value in form.multi_items():
            if key.startswith("presence_") and value:
                member_id = key.removeprefix("presence_")
                replacement = str(form.get(f"replacement_{member_id}", "")).strip() or None
                entries.append(
                    {
                        "member_id": member_id,
                        "presence": value,
                        "replacement_name": replacement if value == Presence.REPLACED else None,
                    }
                )

        async def run(session, principal):
            await meetings.record_attendance(
                session, principal, meeting_id, AttendanceIn(entries=entries), runtime.zone
            )

        return await act(request, meeting_id, run)

    @pages.post("/meetings/{meeting_id}/open")
    async def open_(request: Request, meeting_id: str):
        async def run(session, principal):
            await meetings.open_meeting(session, principal, meeting_id, runtime.zone)

        return await act(request, meeting_id, run)

    @pages.post("/meetings/{meeting_id}/close")
    async def close(request: Request, meeting_id: str):
        async def run(session, principal):
            await meetings.close_meeting(session, principal, meeting_id, runtime.zone)

        return await act(request, meeting_id, run)

    @pages.post("/meetings/{meeting_id}/agenda")
    async def agenda(request: Request, meeting_id: str):
        form = await request.form()
        items = [line.strip() for line in str(form.get("agenda", "")).splitlines() if line.strip()]

        async def run(session, principal):
            await meetings.set_agenda(session, principal, meeting_id, AgendaIn(agenda=items), runtime.zone)

        return await act(request, meeting_id, run)

    @pages.post("/meetings/{meeting_id}/notes")
    async def notes(request: Request, meeting_id: str):
        form = await request.form()

        async def run(session, principal):
            await meetings.write_notes(
                session, principal, meeting_id, NotesIn(notes=str(form.get("notes", ""))), runtime.zone
            )

        return await act(request, meeting_id, run)

    @pages.post("/meetings/{meeting_id}/assignments")
    async def assignment(request: Request, meeting_id: str):
        form = await request.form()

        async def run(session, principal):
            data = AssignmentIn(
                agenda_item=form.get("agenda_item") or 0,
                text=str(form.get("text", "")),
                owner=str(form.get("owner", "")),
                deadline=form.get("deadline") or None,
            )
            await meetings.add_assignment(session, principal, meeting_id, data, runtime.zone)

        return await act(request, meeting_id, run)

    @pages.post("/meetings/{meeting_id}/proposals")
    async def propose(request: Request, meeting_id: str):
        form = await request.form()

        async def run(session, principal):
            data = ProposalCreate(agenda_item=form.get("agenda_item") or 0, text=str(form.get("text", "")))
            await decisions.add_proposal(session, principal, meeting_id, data, runtime.zone)

        return await act(request, meeting_id, run)

    @pages.post("/meetings/{meeting_id}/proposals/{proposal_id}/vote")
    async def vote(request: Request, meeting_id: str, proposal_id: str):
        form = await request.form()

        async def run(session, principal):
            data = VoteIn(member_id=str(form.get("member_id", "")), choice=str(form.get("choice", "")))
            await decisions.cast_vote(session, principal, meeting_id, proposal_id, data, runtime.zone)

        return await act(request, meeting_id, run)

    @pages.post("/meetings/{meeting_id}/proposals/{proposal_id}/decide")
    async def decide(request: Request, meeting_id: str, proposal_id: str):
        async def run(session, principal):
            await decisions.decide_proposal(session, principal, meeting_id, proposal_id, runtime.zone)

        return await act(request, meeting_id, run)

    @pages.post("/meetings/{meeting_id}/sign")
    async def sign(request: Request, meeting_id: str):
        form = await request.form()

        async def run(session, principal):
            data = SignIn(
                supersedes=str(form.get("supersedes", "")) or None,
                correction_reason=str(form.get("correction_reason", "")).strip() or None,
            )
            signed = await protocols.sign_protocol(session, principal, meeting_id, data, runtime.zone, runtime.vault)
            return f"/protocols/{signed.id}"

        return await act(request, meeting_id, run)

    async def protocol_page(request: Request, protocol_id: str, verification=None) -> Response:
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        try:
            async with runtime.db.reader() as session:
                protocol = await protocols.get_protocol(session, principal, protocol_id)
                if verification is not None:
                    verification = await protocols.verify_stored(session, principal, protocol_id)
        except DomainError as exc:
            return render(
                request, "signin.html", status=exc.http_status, principal=principal, roles=set(), error=exc.message
            )
        return render(
            request,
            "protocol.html",
            principal=principal,
            protocol=protocol,
            doc=protocol.document,
            verification=verification,
            roles=set(),
        )

    @pages.get("/protocols/{protocol_id}")
    async def protocol(request: Request, protocol_id: str):
        return await protocol_page(request, protocol_id)

    @pages.post("/protocols/{protocol_id}/verify")
    async def verify(request: Request, protocol_id: str):
        return await protocol_page(request, protocol_id, verification=True)

    @pages.get("/protocols/{protocol_id}/protocol.pdf")
    async def pdf(request: Request, protocol_id: str):
        principal = await signed_in(request)
        if principal is None:
            return sign_in_first(request)
        async with runtime.db.reader() as session:
            protocol = await protocols.get_protocol(session, principal, protocol_id)
        return Response(
            protocol_render.pdf(protocol, translator, language(request)),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="protocol-{protocol_id}.pdf"'},
        )

    nap_pages.add(pages, runtime, render, signed_in, sign_in_first)
    exchange_pages.add(pages, runtime, render, signed_in, sign_in_first)
    members_pages.add(pages, runtime, render, signed_in, sign_in_first)
    runtime.app.include_router(pages)
    return pages
