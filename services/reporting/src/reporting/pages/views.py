"""Dashboard and report pages (server-rendered, charts as inline SVG), az/en/ru.

Pages read the same statistics service as the API, so a reader sees exactly the suppressed figures
their role allows. The page plumbing (language, sign-in, sign-out) is the shared kit's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import QueryParams

from hotline_common.auth import Permission, Principal
from hotline_common.errors import FieldProblem, InvalidInput, ValueProblem
from hotline_common.web.deps import Db
from hotline_common.web.inputs import day_from_text
from hotline_common.web.pages import PageKit, PageLanguage, signed_in
from reporting import labels
from reporting.deps import SuppressionK, Worker
from reporting.pages import charts
from reporting.reports import service as reports
from reporting.reports.schemas import ReportRequest
from reporting.statistics import periods, service
from reporting.statistics.schemas import CALL_FILTERS, Dashboard, StatisticsQuery
from reporting.statistics.titles import FILTER_LABELS, TITLES, title_of

PERIODS = ("day", "week", "month", "quarter", "year")

Reader = Annotated[Principal, Depends(signed_in(Permission.STATS_READ))]
router = APIRouter(include_in_schema=False)


def local_day_bounds(text: str | None, *, end: bool) -> datetime | None:
    """A local day (YYYY-MM-DD) as the UTC moment it starts, or — for `end` — the next one starts."""
    if not text:
        return None
    day = day_from_text(text) + (timedelta(days=1) if end else timedelta())
    return datetime.combine(day, time(), periods.zone()).astimezone(UTC)


@dataclass
class DashboardForm:
    """The dashboard's filters as typed, and the query they make (problems name their field)."""

    period: str
    filters: dict[str, str]
    from_: str
    to: str
    query: StatisticsQuery = field(default_factory=StatisticsQuery)
    problems: list[FieldProblem] = field(default_factory=list)

    @classmethod
    def read(cls, params: QueryParams) -> DashboardForm:
        period = requested if (requested := params.get("period", "")) in PERIODS else "month"
        filters = {name: value for name in CALL_FILTERS if (value := params.get(name))}
        form = cls(period, filters, params.get("from", ""), params.get("to", ""))
        bounds: dict[str, datetime | None] = {}
        for name, text, end in (("from", form.from_, False), ("to", form.to, True)):
            try:
                bounds[name] = local_day_bounds(text, end=end)
            except ValueProblem as problem:  # a date, but of no sane year
                form.problems.append(problem.at(name))
            except ValueError:
                form.problems.append(FieldProblem(name, "give a date as YYYY-MM-DD"))
        try:
            form.query = StatisticsQuery(from_time=bounds.get("from"), to_time=bounds.get("to"), **filters)
        except ValidationError as exc:
            # The range's problem belongs next to the day that ends it.
            form.problems += [
                FieldProblem("to", p.template, p.params) if p.field in ("body", "from_time", "to_time") else p
                for p in InvalidInput.from_pydantic(exc).problems
            ]
        return form

    def api_query(self) -> str:
        q = self.query
        chosen = {"from_time": q.from_time.isoformat() if q.from_time else None, **self.filters}
        chosen["to_time"] = q.to_time.isoformat() if q.to_time else None
        return urlencode({key: value for key, value in chosen.items() if value})

    def page_query(self) -> str:
        dates = {name: value for name, value in (("from", self.from_), ("to", self.to)) if value}
        return urlencode({**self.filters, "period": self.period, **dates})


async def filter_choices(session: AsyncSession, principal: Principal, k: int) -> dict[str, list[str]]:
    """The codes offered in the filters: the keys the unfiltered tables publish anyway."""
    return {
        name: sorted(
            c.key for c in (await service.table(session, principal, "calls", name, StatisticsQuery(), k)).cells
        )
        for name in CALL_FILTERS
    }


def chart_sections(board: Dashboard, lang: str, pages: PageKit) -> list[tuple[str, Any, str, str]]:
    """(subject, table, title msgid, SVG chart) for each table of the dashboard."""
    lab = labels.labeller(lang)
    _ = pages.gettext(lang)
    sections = []
    for subject, tables in (("calls", board.calls), ("referrals", board.referrals)):
        for table in tables:
            title = title_of(table.name, table.dimension) if subject == "referrals" else TITLES[table.dimension]
            draw = charts.column_chart if table.dimension in PERIODS else charts.bar_chart
            chart = draw(_(title), [(lab(table.dimension, c.key), c.count) for c in table.cells])
            sections.append((subject, table, title, chart))
    return sections


def working_group_charts(board: Dashboard, lang: str) -> dict[str, Any]:
    lab = labels.labeller(lang)
    wg = board.working_group
    return {
        "wg_chart": charts.column_chart("meetings", list(wg.meetings_by_quarter.items())),
        "nap_chart": charts.bar_chart("nap", sorted((lab("nap_status", s), n) for s, n in wg.nap_by_status.items())),
    }


@router.get("/")
async def dashboard_page(
    request: Request, pages: PageKit, lang: PageLanguage, principal: Reader, db: Db, k: SuppressionK
) -> HTMLResponse:
    form = DashboardForm.read(request.query_params)
    async with db.reader() as session:
        try:
            board = await service.dashboard(session, principal, form.query, k, period=form.period)
        except InvalidInput as refused:  # dates in no quarter that has ended: say so, show them all
            form.problems += [FieldProblem("to", p.template, p.params) for p in refused.problems]
            form.query = form.query.model_copy(update={"from_time": None, "to_time": None})
            board = await service.dashboard(session, principal, form.query, k, period=form.period)
        choices = await filter_choices(session, principal, k)
    return pages.render(
        request,
        "dashboard.html",
        principal=principal,
        board=board,
        form=form,
        sections=chart_sections(board, lang, pages),
        period=form.period,
        periods=PERIODS,
        filter_labels=FILTER_LABELS,
        choices=choices,
        problems={p.field: p for p in form.problems},
        qs=form.api_query(),
        page_qs=form.page_query(),
        wg=board.working_group,
        **working_group_charts(board, lang),
    )


async def reports_page_response(
    request: Request,
    pages: PageKit,
    principal: Principal,
    db: Db,
    problems: list[FieldProblem] | None = None,
    typed: dict[str, str] | None = None,
) -> HTMLResponse:
    """The reports page; `typed`: the refused form's kind and period, shown again as typed."""
    async with db.reader() as session:
        jobs = await reports.list_reports(session, principal)
    now = datetime.now(UTC)
    return pages.render(
        request,
        "reports.html",
        status=422 if problems else 200,
        principal=principal,
        jobs=jobs,
        problems={p.field: p for p in problems or []},
        watch=request.query_params.get("job", ""),
        default_quarter=periods.previous_quarter(now),
        default_year=str(now.astimezone(periods.zone()).year - 1),
        typed=typed or {},
    )


@router.get("/reports")
async def reports_page(request: Request, pages: PageKit, principal: Reader, db: Db) -> HTMLResponse:
    return await reports_page_response(request, pages, principal, db)


@router.post("/reports")
async def request_report_page(
    request: Request,
    pages: PageKit,
    lang: PageLanguage,
    principal: Reader,
    db: Db,
    worker: Worker,
    kind: Annotated[str, Form()] = "",
    period: Annotated[str, Form()] = "",
) -> Response:
    try:
        body = ReportRequest(kind=kind, period=period.strip(), language=lang)
    except ValidationError as exc:
        problems = InvalidInput.from_pydantic(exc).problems
        return await reports_page_response(request, pages, principal, db, problems, {"kind": kind, "period": period})
    try:
        async with db.transaction() as session:
            job = await reports.request_report(session, principal, body)
            job_id = job.id
    except InvalidInput as refused:  # a period that has not ended yet: said beside the period
        return await reports_page_response(
            request, pages, principal, db, refused.problems, {"kind": kind, "period": period}
        )
    worker.wake()
    return RedirectResponse(f"/reports?job={job_id}", status_code=303)
