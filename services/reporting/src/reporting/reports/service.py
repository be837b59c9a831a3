"""Quarterly and annual reports for the National Coordinator and the Working Group (PDF, XLSX, CSV).

A report is a job: requested by a reader (or by the schedule once a quarter has ended), generated
in the background step by step with its progress stored, then its three files stored with it.
Reports are always k-suppressed, whoever asks: they are made to be passed on.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal, Role, require
from hotline_common.db import Database, new_id, utcnow
from hotline_common.errors import InvalidInput, NotFound
from hotline_common.exports import spreadsheet_safe_row
from reporting import labels
from reporting.exports import formats
from reporting.i18n import translator
from reporting.reports.models import ReportJob
from reporting.reports.schemas import ReportRequest
from reporting.statistics import periods, service, titles
from reporting.statistics.schemas import Dashboard, StatisticsQuery, Table

if TYPE_CHECKING:
    from hotline_common.pdf import PdfDocument

log = logging.getLogger("reporting.reports")

# What a report is about, read by a staff member with the reader's rights but always suppressed.
_REPORTER = Principal(subject="reporting-scheduler", role=Role.ANALYST, name="", organisation_id=None, token="")

REPORT_CALL_DIMENSIONS = (
    "month",
    "line",
    "caller_role",
    "purpose",
    "sex",
    "age_group",
    "citizenship",
    "country",
    "region",
    "destination_country",
    "risk_level",
    "exploitation_type",
    "method_of_control",
)
REPORT_REFERRAL_DIMENSIONS = ("service_type", "region", "outcome")


async def request_report(
    session: AsyncSession,
    principal: Principal,
    request: ReportRequest,
    *,
    scheduled: bool = False,
    now: datetime | None = None,
) -> ReportJob:
    require(principal, Permission.STATS_READ)
    if bounds(request.kind, request.period)[1] > (now or utcnow()):
        # Reports are suppressed figures, and those cover only periods that have ended.
        raise InvalidInput.single(
            "period", "a report covers a period that has ended; {period} has not", period=request.period
        )
    job = ReportJob(
        id=new_id(),
        kind=request.kind,
        period=request.period,
        language=request.language,
        status="queued",
        progress=0,
        scheduled=scheduled,
        requested_by=principal.subject,
        created_at=utcnow(),
        error="",
    )
    session.add(job)
    await session.flush()
    return job


async def list_reports(session: AsyncSession, principal: Principal, limit: int = 50) -> list[ReportJob]:
    require(principal, Permission.STATS_READ)
    rows = await session.scalars(select(ReportJob).order_by(ReportJob.created_at.desc()).limit(limit))
    return list(rows)


async def get_report(session: AsyncSession, principal: Principal, job_id: str) -> ReportJob:
    require(principal, Permission.STATS_READ)
    job = await session.get(ReportJob, job_id)
    if job is None:
        raise NotFound(f"report {job_id} not found")
    return job


async def report_file(session: AsyncSession, principal: Principal, job_id: str, kind: str) -> tuple[ReportJob, bytes]:
    job = await get_report(session, principal, job_id)
    data = await session.scalar(select(getattr(ReportJob, kind)).where(ReportJob.id == job_id))
    if job.status != "done" or data is None:
        raise NotFound(f"report {job_id} has no {kind} yet")
    return job, data


def bounds(kind: str, period: str) -> tuple[datetime, datetime]:
    if kind == "quarterly":
        return periods.quarter_bounds(period)
    start, _ = periods.quarter_bounds(f"{period}-Q1")
    _, end = periods.quarter_bounds(f"{period}-Q4")
    return start, end


async def _progress(db: Database, job_id: str, value: int, **extra: object) -> None:
    async with db.transaction() as session:
        await session.execute(update(ReportJob).where(ReportJob.id == job_id).values(progress=value, **extra))


async def generate(db: Database, job_id: str, k: int) -> None:
    """Build the report's files, storing progress as it goes; a failure is stored, not raised."""
    async with db.reader() as session:
        job = await session.get(ReportJob, job_id)
        assert job is not None  # the worker takes ids of existing jobs
        kind, period, lang = job.kind, job.period, job.language
    try:
        await _progress(db, job_id, 5, status="running")
        content = await collect(db, kind, period, k, lambda n: _progress(db, job_id, n))
        await _progress(db, job_id, 75)
        pdf = render_pdf(content, lang)
        await _progress(db, job_id, 90)
        xlsx, csv_bytes = render_xlsx(content, lang), render_csv(content, lang)
        await _progress(db, job_id, 100, status="done", finished_at=utcnow(), pdf=pdf, xlsx=xlsx, csv=csv_bytes)
    except Exception as exc:
        log.exception("report generation failed")
        await _progress(
            db, job_id, 0, status="failed", finished_at=utcnow(), error=f"{type(exc).__name__}: {exc}"[:300]
        )


class ReportContent:
    def __init__(self, kind: str, period: str, k: int, board: Dashboard):
        self.kind, self.period, self.k = kind, period, k
        self.board = board
        self.calls: list[Table] = []
        self.referrals: list[Table] = []


async def collect(
    db: Database, kind: str, period: str, k: int, progress: Callable[[int], Awaitable[None]] | None = None
) -> ReportContent:
    """Every figure of the report, suppressed at k (the report's time is what the benchmark measures)."""
    start, end = bounds(kind, period)
    query = StatisticsQuery(from_time=start, to_time=end)
    async with db.reader() as session:
        content = ReportContent(kind, period, k, await service.dashboard(session, _REPORTER, query, k, period="month"))
        if progress:
            await progress(40)
        tables = {t.dimension: t for t in content.board.calls}
        for dimension in REPORT_CALL_DIMENSIONS:
            content.calls.append(
                tables.get(dimension) or await service.table(session, _REPORTER, "calls", dimension, query, k)
            )
        referral_tables = {t.dimension: t for t in content.board.referrals}
        for dimension in REPORT_REFERRAL_DIMENSIONS:
            content.referrals.append(referral_tables[dimension])
    if progress:
        await progress(60)
    return content


def _titles(lang: str) -> tuple[Callable[[str], str], Callable[[Table], str]]:
    _ = lambda msgid: translator().gettext(lang, msgid)  # noqa: E731
    return _, (lambda table: _(titles.title_of(table.name, table.dimension)))


def _label(lang: str, table: Table, code: str) -> str:
    return labels.label(lang, "referral_region" if table.name == "referrals_by_region" else table.dimension, code)


def _value(v: object) -> object:
    return formats.HIDDEN if v is None else v


def render_pdf(content: ReportContent, lang: str) -> bytes:
    _, title_of = _titles(lang)
    board = content.board
    heading = _("Quarterly report") if content.kind == "quarterly" else _("Annual report")
    # fpdf and fontTools (a second of imports) are loaded by the first PDF, not by every start.
    from hotline_common.pdf import PdfDocument

    doc = PdfDocument(
        f"{heading} {content.period}",
        subtitle=_("Hotline 152 and the Working Group under the National Coordinator"),
        footer=f"{heading} {content.period}",
    )
    doc.paragraph(
        f"{_('Data up to')} {_local(board.newest_event_at)}. "
        + _("Counts below {k} are hidden (x), with other cells that would give them away.").replace(
            "{k}", str(content.k)
        )
    )
    doc.heading(_("Key figures"))
    _pairs_table(
        doc,
        [
            (_("Calls"), str(board.calls_total)),
            (_("Crisis calls"), str(_value(board.crisis_calls))),
            (_("Returning callers"), str(_value(board.returning_callers))),
            (_("High-risk alerts"), str(_value(board.high_risk_alerts))),
            (_("Referrals"), str(board.referrals_total)),
            (_("Overdue share"), formats.HIDDEN if board.overdue_share is None else f"{board.overdue_share:.0%}"),
            (
                _("Hours to acknowledgement (median / 90%)"),
                f"{_value(board.acknowledgement.median_hours)} / {_value(board.acknowledgement.p90_hours)}",
            ),
            (
                _("Hours to outcome (median / 90%)"),
                f"{_value(board.outcome.median_hours)} / {_value(board.outcome.p90_hours)}",
            ),
        ],
        _,
    )
    doc.heading(_("Calls"))
    for table in content.calls:
        _table_section(doc, table, title_of(table), _, lang)
    doc.heading(_("Referrals"))
    for table in content.referrals:
        _table_section(doc, table, title_of(table), _, lang)
    wg = board.working_group
    doc.heading(_("Working Group"))
    if wg.meetings_by_quarter:
        doc.bar_chart(
            _("Meetings held per quarter"), list(wg.meetings_by_quarter), list(wg.meetings_by_quarter.values())
        )
    _pairs_table(
        doc,
        [
            (_("Meetings held"), str(wg.meetings_held)),
            (_("With quorum"), str(wg.meetings_quorate)),
            (_("Protocols signed"), str(wg.protocols_signed)),
            (_("Decisions adopted"), str(wg.decisions)),
            (_("Decided by the head's vote"), str(wg.decisions_by_head)),
            (_("Quarters without a meeting:"), ", ".join(wg.quarters_without_meeting) or "—"),
            (_("Overdue measures"), f"{wg.nap_overdue} / {wg.nap_total}"),
        ],
        _,
    )
    if wg.nap_by_status:
        doc.bar_chart(
            _("NAP measures by status"),
            [labels.label(lang, "nap_status", s) for s in wg.nap_by_status],
            list(wg.nap_by_status.values()),
        )
    if wg.nap_by_body:
        doc.table([_("Executing body"), _("Count")], [[b, n] for b, n in wg.nap_by_body.items()], [0.75, 0.25])
    return doc.output()


def _table_section(doc: PdfDocument, table: Table, title: str, _: Callable[[str], str], lang: str) -> None:
    if not table.cells:
        doc.heading(title, 2)
        doc.paragraph(
            _("Fewer people than the publication threshold: no breakdown.")
            if table.suppressed
            else _("No data for this selection.")
        )
        return
    cells = table.cells[:20]
    doc.bar_chart(title, [_label(lang, table, c.key) for c in cells], [c.count for c in cells])
    rows = [[_label(lang, table, c.key), _value(c.count)] for c in table.cells]
    if table.total is not None:
        rows.append([_("Total"), table.total])
    doc.table([_("Value"), _("Count")], rows, [0.75, 0.25])


def _pairs_table(doc: PdfDocument, pairs: list[tuple[str, str]], _: Callable[[str], str]) -> None:
    """Label/value pairs as a two-column table (long labels wrap inside their cell)."""
    doc.table([_("Indicator"), _("Value")], [[label, value] for label, value in pairs], [0.7, 0.3])


def _local(moment: datetime | None) -> str:
    return moment.astimezone(periods.zone()).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _all_tables(content: ReportContent) -> list[Table]:
    return [*content.calls, *content.referrals]


def render_xlsx(content: ReportContent, lang: str) -> bytes:
    _, _title = _titles(lang)
    board = content.board
    summary: list[list[object]] = [
        [_("Calls"), board.calls_total],
        [_("Crisis calls"), board.crisis_calls],
        [_("Returning callers"), board.returning_callers],
        [_("Referrals"), board.referrals_total],
        [_("Overdue share"), board.overdue_share],
        [_("Meetings held"), board.working_group.meetings_held],
        [_("Decisions adopted"), board.working_group.decisions],
    ]
    sheets = [(content.period, [_("Key figures"), _("Count")], summary)]
    for table in _all_tables(content):
        rows: list[list[object]] = [[c.key, _label(lang, table, c.key), c.count] for c in table.cells]
        rows.append(["total", _("Total"), table.total])
        sheets.append((table.name, [table.dimension, "label", "count"], rows))
    return formats.to_xlsx(sheets, [f"x = hidden (k = {content.k})"])


def render_csv(content: ReportContent, lang: str = "az") -> bytes:
    """Long format: one row per published figure (table, code, its label, count)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["period", "table", "key", "label", "count"])
    board = content.board
    for name, value in [
        ("calls_total", board.calls_total),
        ("referrals_total", board.referrals_total),
        ("crisis_calls", board.crisis_calls),
        ("returning_callers", board.returning_callers),
    ]:
        writer.writerow(spreadsheet_safe_row([content.period, name, "", "", _value(value)]))
    for table in _all_tables(content):
        for cell in table.cells:
            row = [content.period, table.name, cell.key, _label(lang, table, cell.key), _value(cell.count)]
            writer.writerow(spreadsheet_safe_row(row))
        writer.writerow(spreadsheet_safe_row([content.period, table.name, "total", "", _value(table.total)]))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


async def next_queued(db: Database) -> str | None:
    async with db.reader() as session:
        # Named first: `return await session.scalar(...)` of a str column, in a function returning
        # `str | None`, makes mypy pick AsyncSession.scalar's untyped overload (Any).
        job_id = await session.scalar(
            select(ReportJob.id).where(ReportJob.status == "queued").order_by(ReportJob.created_at).limit(1)
        )
        return job_id


async def schedule_due(db: Database, now: datetime | None = None) -> str | None:
    """After a quarter ends, queue its report once (and the year's after Q4); the new job's id."""
    now = now or datetime.now(UTC)
    quarter = periods.previous_quarter(now)
    created = None
    async with db.transaction() as session:
        for kind, period in [("quarterly", quarter)] + ([("annual", quarter[:4])] if quarter.endswith("Q4") else []):
            exists = await session.scalar(
                select(ReportJob.id).where(ReportJob.kind == kind, ReportJob.period == period, ReportJob.scheduled)
            )
            if exists is None:
                job = await request_report(
                    session, _REPORTER, ReportRequest(kind=kind, period=period), scheduled=True, now=now
                )
                created = created or job.id
    return created
