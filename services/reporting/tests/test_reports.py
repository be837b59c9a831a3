"""Report jobs: the schedule queues last quarter's report once (and the year's after Q4), the
period is validated, and a job's files are built with its progress stored, on both stores."""

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from hotline_common.errors import InvalidInput, NotFound, PermissionDenied
from hotline_devstack.testing import principal
from reporting.reports import service
from reporting.reports.models import ReportJob
from reporting.reports.schemas import ReportRequest


async def jobs(db) -> list[tuple[str, str, bool]]:
    async with db.reader() as session:
        rows = await session.execute(
            select(ReportJob.kind, ReportJob.period, ReportJob.scheduled).order_by(ReportJob.kind, ReportJob.period)
        )
        return [tuple(r) for r in rows.all()]


async def test_the_schedule_queues_each_ended_quarter_once(db):
    # 2027-01-05 in Baku: 2026-Q4 has ended, and with it the year 2026.
    assert await service.schedule_due(db, datetime(2027, 1, 5, tzinfo=UTC)) is not None
    assert await service.schedule_due(db, datetime(2027, 1, 6, tzinfo=UTC)) is None
    await service.schedule_due(db, datetime(2027, 4, 1, 8, tzinfo=UTC))  # 12:00 in Baku: Q1 ended
    assert await jobs(db) == [("annual", "2026", True), ("quarterly", "2026-Q4", True), ("quarterly", "2027-Q1", True)]


async def test_a_report_of_a_period_not_yet_ended_is_refused_on_its_period(db):
    # Reports are suppressed figures, which cover only periods that have ended.
    async with db.transaction() as session:
        for kind, period in (("quarterly", "2026-Q4"), ("annual", "2026")):
            with pytest.raises(InvalidInput) as refused:
                await service.request_report(
                    session,
                    principal("analyst"),
                    ReportRequest(kind=kind, period=period),
                    now=datetime(2026, 12, 31, 19, 59, tzinfo=UTC),  # 23:59 in Baku
                )
            assert refused.value.problems[0].field == "period"
        await service.request_report(
            session,
            principal("analyst"),
            ReportRequest(kind="quarterly", period="2026-Q4"),
            now=datetime(2026, 12, 31, 20, 0, tzinfo=UTC),
        )


async def test_a_job_is_generated_with_progress_and_files(db):
    async with db.transaction() as session:
        job = await service.request_report(
            session, principal("wg_member"), ReportRequest(kind="annual", period="2025", language="ru")
        )
        job_id = job.id
    await service.generate(db, job_id, 11)
    async with db.reader() as session:
        done = await service.get_report(session, principal("analyst"), job_id)
        assert (done.status, done.progress, done.error) == ("done", 100, "")
        _, pdf = await service.report_file(session, principal("coordinator"), job_id, "pdf")
        assert pdf.startswith(b"%PDF")
        with pytest.raises(PermissionDenied):
            await service.get_report(session, principal("operator"), job_id)
        with pytest.raises(NotFound):
            await service.get_report(session, principal("analyst"), "nope")


def test_periods_are_validated():
    with pytest.raises(ValidationError, match="2026-Q3"):
        ReportRequest(kind="quarterly", period="2026")
    with pytest.raises(ValidationError):
        ReportRequest(kind="annual", period="2026-Q1")
    assert ReportRequest(kind="annual", period="2025").language == "az"
