"""The National Action Plan: measures (created, edited, imported from CSV/XLSX all or nothing with
line-by-line errors), progress reported by each executing body with evidence documents, overdue
flags, and progress by body and by measure.

Who: the Coordinator's office (WG_MANAGE), the head and the secretary edit and import measures;
a member reports for their own body only (their member record's body must be one of the measure's
executing bodies); the Coordinator's office and the secretary may report for any of its bodies.
`may_edit` decides the first, for this service and for the pages."""

import asyncio
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coordination.members import offices
from coordination.members.models import Member
from coordination.members.service import counts_on
from coordination.nap import events, spreadsheet
from coordination.nap.models import DONE, IN_PROGRESS, NOT_STARTED, Evidence, Measure, Progress
from coordination.nap.schemas import BodyProgress, EvidenceOut, ImportResult, MeasureIn, MeasureOut, ProgressOut
from coordination.uploads import safe_content_type, safe_filename
from hotline_common.auth import Permission, Principal, require
from hotline_common.db import new_id, utcnow
from hotline_common.errors import FieldProblem, InvalidInput, NotFound, PermissionDenied
from hotline_common.i18n_markers import N_

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_MAX_FILES = 10


def today_in(zone: ZoneInfo) -> date:
    return utcnow().astimezone(zone).date()


def is_overdue(measure: Measure, today: date) -> bool:
    return measure.status != DONE and measure.deadline < today


@dataclass(frozen=True)
class LineProblem(FieldProblem):
    """A problem in one line of an imported file. `field` is what the API names ("line 3: text");
    `line` and `column` say the same for pages, which translate "line {line}"."""

    line: int = 0
    column: str = ""


async def may_edit(session: AsyncSession, principal: Principal, zone: ZoneInfo) -> bool:
    """Creating, editing and importing measures: the Coordinator's office, the head, the secretary."""
    return principal.can(Permission.WG_MANAGE) or await offices.holds_office(session, principal, today_in(zone))


async def require_edit(session: AsyncSession, principal: Principal, zone: ZoneInfo) -> None:
    """Refuses whoever may not edit the plan (an import's handler asks before reading the file)."""
    require(principal, Permission.WG_READ)
    if not await may_edit(session, principal, zone):
        raise PermissionDenied(N_("only the Coordinator's office, the head or the secretary edit the Action Plan"))


async def _measure(session: AsyncSession, measure_id: str) -> Measure:
    measure = await session.get(Measure, measure_id)
    if measure is None:
        raise NotFound(N_("no NAP measure {id}"), id=measure_id)
    return measure


async def _out(session: AsyncSession, measure: Measure, today: date, *, with_progress: bool = False) -> MeasureOut:
    out = MeasureOut.model_validate(
        {
            **{
                c: getattr(measure, c)
                for c in (
                    "id",
                    "number",
                    "text",
                    "executing_bodies",
                    "recommended_institutions",
                    "deadline",
                    "indicators",
                    "status",
                    "updated_at",
                )
            },
            "overdue": is_overdue(measure, today),
        }
    )
    if with_progress:
        reports = (
            await session.scalars(
                select(Progress)
                .where(Progress.measure_id == measure.id)
                .order_by(Progress.reported_at.desc(), Progress.id)
            )
        ).all()
        for report in reports:
            files = (await session.scalars(select(Evidence).where(Evidence.progress_id == report.id))).all()
            item = ProgressOut.model_validate(report, from_attributes=True)
            item.evidence = [EvidenceOut.model_validate(f, from_attributes=True) for f in files]
            out.progress.append(item)
    return out


def _apply(measure: Measure, data: MeasureIn, principal: Principal) -> None:
    measure.number, measure.text, measure.deadline = data.number, data.text, data.deadline
    measure.executing_bodies = list(data.executing_bodies)
    measure.recommended_institutions = list(data.recommended_institutions)
    measure.indicators = data.indicators
    measure.updated_at, measure.updated_by = utcnow(), principal.subject


async def _save(
    session: AsyncSession, principal: Principal, data: MeasureIn, measure: Measure | None, zone: ZoneInfo
) -> Measure:
    holder = await session.scalar(select(Measure.id).where(Measure.number == data.number))
    if holder is not None and (measure is None or holder != measure.id):
        raise InvalidInput.single("number", N_("measure {number} already exists"), number=data.number)
    if measure is None:
        measure = Measure(id=new_id(), status=NOT_STARTED, created_at=utcnow())
        session.add(measure)
    _apply(measure, data, principal)
    await session.flush()
    await events.emit_updated(session, measure, overdue=is_overdue(measure, today_in(zone)))
    return measure


async def create_measure(session: AsyncSession, principal: Principal, data: MeasureIn, zone: ZoneInfo) -> MeasureOut:
    await require_edit(session, principal, zone)
    return await _out(session, await _save(session, principal, data, None, zone), today_in(zone))


async def update_measure(
    session: AsyncSession, principal: Principal, measure_id: str, data: MeasureIn, zone: ZoneInfo
) -> MeasureOut:
    await require_edit(session, principal, zone)
    measure = await _measure(session, measure_id)
    return await _out(session, await _save(session, principal, data, measure, zone), today_in(zone))


async def import_measures(
    session: AsyncSession,
    principal: Principal,
    filename: str,
    content: bytes,
    zone: ZoneInfo,
    limits: spreadsheet.SheetLimits = spreadsheet.DEFAULT_LIMITS,
) -> ImportResult:
    """All rows or none: every bad cell of every line is reported (422), and nothing is stored."""
    await require_edit(session, principal, zone)
    try:
        # Parsing is CPU work: in a thread, so the service keeps answering meanwhile.
        rows = await asyncio.to_thread(spreadsheet.read_rows, filename, content, limits)
    except spreadsheet.SheetError as exc:
        raise InvalidInput.single("file", exc.template, **exc.params) from None
    problems: list[FieldProblem] = []
    parsed: list[MeasureIn] = []
    first_line: dict[str, int] = {}
    for line, raw in rows:
        try:
            data = MeasureIn.model_validate(raw)
        except ValidationError as exc:
            problems += [
                _on_line(line, p.field, p.template, p.params) for p in InvalidInput.from_pydantic(exc).problems
            ]
            continue
        if data.number in first_line:
            problems.append(_on_line(line, "number", N_("repeats line {first}"), {"first": first_line[data.number]}))
            continue
        first_line[data.number] = line
        parsed.append(data)
    if not rows:
        problems.append(FieldProblem("file", N_("no measures in the file")))
    if problems:
        raise InvalidInput(problems)
    existing = {m.number: m for m in (await session.scalars(select(Measure))).all()}
    for data in parsed:
        await _save(session, principal, data, existing.get(data.number), zone)
    updated = sum(1 for d in parsed if d.number in existing)
    return ImportResult(created=len(parsed) - updated, updated=updated)


def _on_line(line: int, column: str, template: str, params: Mapping[str, object]) -> LineProblem:
    return LineProblem(f"line {line}: {column}", template, dict(params), line=line, column=column)


def number_order(number: str) -> list[tuple[int, int, str]]:
    """1.2 before 1.10, and a numbered part before a lettered one (1.2 before 1.b: an int and a str
    never meet in the comparison)."""
    parts = number.replace("-", ".").split(".")
    return [(0, int(p), "") if p.isdecimal() else (1, 0, p) for p in parts]


async def list_measures(
    session: AsyncSession, principal: Principal, zone: ZoneInfo, *, body: str | None = None, overdue_only: bool = False
) -> list[MeasureOut]:
    require(principal, Permission.WG_READ)
    today = today_in(zone)
    rows = (await session.scalars(select(Measure))).all()
    rows = sorted(rows, key=lambda m: number_order(m.number))
    out = [await _out(session, m, today) for m in rows if body is None or body in m.executing_bodies]
    return [m for m in out if m.overdue] if overdue_only else out


async def get_measure(session: AsyncSession, principal: Principal, measure_id: str, zone: ZoneInfo) -> MeasureOut:
    require(principal, Permission.WG_READ)
    return await _out(session, await _measure(session, measure_id), today_in(zone), with_progress=True)


async def _may_report_for(session: AsyncSession, principal: Principal, body: str, zone: ZoneInfo) -> bool:
    if principal.can(Permission.WG_MANAGE) or await offices.is_secretary(session, principal, today_in(zone)):
        return True
    member = await session.scalar(select(Member).where(Member.subject == principal.subject, counts_on(today_in(zone))))
    return member is not None and member.body == body


async def require_reporter(session: AsyncSession, principal: Principal, measure_id: str, zone: ZoneInfo) -> None:
    """Refuses whoever may report on none of the measure's bodies (before their documents are read)."""
    require(principal, Permission.WG_READ)
    measure = await _measure(session, measure_id)
    if not any([await _may_report_for(session, principal, body, zone) for body in measure.executing_bodies]):
        raise PermissionDenied(N_("a member reports only for their own body"))


def _measure_status(latest: dict[str, str], bodies: list[str]) -> str:
    if bodies and all(latest.get(b) == DONE for b in bodies):
        return DONE
    return IN_PROGRESS if latest else NOT_STARTED


async def report_progress(
    session: AsyncSession,
    principal: Principal,
    measure_id: str,
    *,
    body: str,
    status: str,
    text: str,
    files: list[tuple[str, str, bytes]],
    zone: ZoneInfo,
) -> MeasureOut:
    """`files`: (filename, content type, content) evidence documents."""
    require(principal, Permission.WG_READ)
    measure = await _measure(session, measure_id)
    if body not in measure.executing_bodies:
        raise InvalidInput.single("body", N_("not an executing body of this measure"))
    if not await _may_report_for(session, principal, body, zone):
        raise PermissionDenied(N_("a member reports only for their own body"))
    if status not in (NOT_STARTED, IN_PROGRESS, DONE):
        raise InvalidInput.single("status", N_("one of not_started, in_progress, done"))
    text = text.strip()
    if not text or len(text) > 5000:
        raise InvalidInput.single("text", N_("describe the progress (1 to 5000 characters)"))
    if len(files) > EVIDENCE_MAX_FILES:
        raise InvalidInput.single("files", N_("at most {count} documents per report"), count=EVIDENCE_MAX_FILES)
    for index, (name, _, content) in enumerate(files):
        if not name or len(name) > 200:
            raise InvalidInput.single(f"files.{index}", N_("a file name of 1 to 200 characters"))
        if not content or len(content) > EVIDENCE_MAX_BYTES:
            raise InvalidInput.single(
                f"files.{index}", N_("a document of 1 byte to {size} bytes"), size=EVIDENCE_MAX_BYTES
            )
    report = Progress(
        id=new_id(),
        measure_id=measure.id,
        body=body,
        status=status,
        text=text,
        reported_by=principal.subject,
        reported_at=utcnow(),
    )
    session.add(report)
    await session.flush()  # the report row before its documents (no ORM relationship orders them)
    for name, content_type, content in files:
        session.add(
            Evidence(
                id=new_id(),
                progress_id=report.id,
                filename=safe_filename(name),
                content_type=safe_content_type(content_type),
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
            )
        )
    await session.flush()
    latest: dict[str, str] = {}
    for row in (
        await session.scalars(
            select(Progress).where(Progress.measure_id == measure.id).order_by(Progress.reported_at, Progress.id)
        )
    ).all():
        latest[row.body] = row.status
    measure.status = _measure_status(latest, measure.executing_bodies)
    measure.updated_at, measure.updated_by = utcnow(), principal.subject
    await session.flush()
    await events.emit_updated(session, measure, overdue=is_overdue(measure, today_in(zone)))
    return await _out(session, measure, today_in(zone), with_progress=True)


async def evidence_file(session: AsyncSession, principal: Principal, evidence_id: str) -> Evidence:
    require(principal, Permission.WG_READ)
    found = await session.get(Evidence, evidence_id)
    if found is None:
        raise NotFound(N_("no document {id}"), id=evidence_id)
    return found


async def progress_by_body(session: AsyncSession, principal: Principal, zone: ZoneInfo) -> list[BodyProgress]:
    require(principal, Permission.WG_READ)
    today = today_in(zone)
    tally: dict[str, BodyProgress] = {}
    for measure in (await session.scalars(select(Measure))).all():
        for body in measure.executing_bodies:
            row = tally.setdefault(
                body, BodyProgress(body=body, measures=0, done=0, in_progress=0, not_started=0, overdue=0)
            )
            row.measures += 1
            setattr(row, measure.status, getattr(row, measure.status) + 1)
            row.overdue += is_overdue(measure, today)
    return sorted(tally.values(), key=lambda r: r.body)
