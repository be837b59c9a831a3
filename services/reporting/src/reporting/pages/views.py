"""Dashboard and report pages (server-rendered, charts as inline SVG), az/en/ru.

Pages read the same statistics service as the API, so a reader sees exactly the suppressed figures
their role allows. Sign-in is intake's: its session cookie is valid here (same host)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from hotline_common.auth import SESSION_COOKIE, Permission
from hotline_common.errors import Unauthenticated
from hotline_common.resources import package_dir
from reporting import i18n as reporting_i18n
from reporting import labels
from reporting.pages import charts
from reporting.reports import service as reports
from reporting.reports.schemas import ReportRequest
from reporting.statistics import periods, service
from reporting.statistics.schemas import CALL_FILTERS, StatisticsQuery

TEMPLATES = package_dir("reporting", "pages", "templates")
STATIC = package_dir("reporting", "pages", "static")
LOCALES = package_dir("reporting", "locales")
LANG_COOKIE = "lang"
PERIODS = ("day", "week", "month", "quarter", "year")

# The English msgid of each table's title (translated in locales/*.po).
TITLES = {
    "day": "Calls by day",
    "week": "Calls by week",
    "month": "Calls by month",
    "quarter": "Calls by quarter",
    "year": "Calls by year",
    "line": "Calls by line",
    "hour": "Calls by hour of day",
    "caller_role": "Calls by caller role",
    "purpose": "Calls by purpose",
    "motive": "Calls by motive",
    "destination_country": "Calls by destination country",
    "citizenship": "Calls by citizenship",
    "country": "Calls by caller's country",
    "region": "Calls by caller's region",
    "sex": "Calls by sex",
    "age_group": "Calls by age group",
    "language": "Calls by language",
    "risk_level": "Calls by risk level",
    "exploitation_type": "Calls by type of exploitation",
    "method_of_control": "Calls by method of control",
    "service_type": "Referrals by service type",
    "organisation": "Referrals by organisation",
    "referral_region": "Referrals by region",
    "outcome": "Referrals by outcome",
}
FILTER_LABELS = {
    "line": "Line",
    "caller_role": "Caller role",
    "purpose": "Purpose",
    "sex": "Sex",
    "age_group": "Age group",
    "country": "Caller's country",
    "region": "Caller's region",
    "risk_level": "Risk level",
}


def local_day_bounds(text: str | None, *, end: bool) -> datetime | None:
    if not text:
        return None
    day = date.fromisoformat(text)
    if end:
        from datetime import timedelta

        day = day + timedelta(days=1)
    return datetime.combine(day, time(), periods.zone()).astimezone(UTC)


def mount(runtime, worker) -> APIRouter:
    translator = reporting_i18n.translator()
    templates = Jinja2Templates(directory=str(TEMPLATES))
    runtime.app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    pages = APIRouter(include_in_schema=False)
    k = runtime.settings.suppression_k

    def language(request: Request) -> str:
        return translator.pick(request.query_params.get("lang") or request.cookies.get(LANG_COOKIE))

    def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        lang = language(request)
        context.update(
            lang=lang,
            _=lambda msgid: translator.gettext(lang, msgid),
            lab=labels.labeller(lang),
            local=lambda moment: moment.astimezone(periods.zone()).strftime("%Y-%m-%d %H:%M") if moment else "—",
            tz=runtime.settings.timezone,
        )
        response = templates.TemplateResponse(request, name, context, status_code=status)
        if request.query_params.get("lang"):
            response.set_cookie(LANG_COOKIE, lang, samesite="strict", max_age=365 * 24 * 3600)
        return response

    async def principal_of(request: Request):
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        try:
            return await runtime.verifier.verify(token)
        except Unauthenticated:
            return None

    async def gate(request: Request):
        principal = await principal_of(request)
        if principal is None:
            return None, render(request, "signin.html", status=401, principal=None)
        if not principal.can(Permission.STATS_READ):
            return None, render(request, "signin.html", status=403, principal=principal, forbidden=True)
        return principal, None

    @pages.get("/")
    async def dashboard_page(request: Request) -> Response:
        principal, refusal = await gate(request)
        if refusal:
            return refusal
        params = request.query_params
        period = requested if (requested := params.get("period")) in PERIODS else "month"
        filters = {name: params.get(name) for name in CALL_FILTERS if params.get(name)}
        error = None
        try:
            query = StatisticsQuery(
                from_time=local_day_bounds(params.get("from"), end=False),
                to_time=local_day_bounds(params.get("to"), end=True),
                **filters,
            )
        except (ValidationError, ValueError) as exc:
            error = (
                str(exc).splitlines()[0]
                if not isinstance(exc, ValidationError)
                else exc.errors()[0].get("msg", "invalid")
            )
            query = StatisticsQuery()
        async with runtime.db.reader() as session:
            board = await service.dashboard(session, principal, query, k, period=period)
            # The codes offered in the filters are the keys the unfiltered tables publish anyway.
            choices = {
                name: sorted(
                    c.key for c in (await service.table(session, principal, "calls", name, StatisticsQuery(), k)).cells
                )
                for name in CALL_FILTERS
            }
        api_query = {
            key: value
            for key, value in {
                "from_time": query.from_time.isoformat() if query.from_time else None,
                "to_time": query.to_time.isoformat() if query.to_time else None,
                **filters,
            }.items()
            if value
        }
        sections = []
        lab = labels.labeller(language(request))
        for table in board.calls:
            chart = (charts.column_chart if table.dimension in PERIODS else charts.bar_chart)(
                translator.gettext(language(request), TITLES[table.dimension]),
                [(lab(table.dimension, c.key), c.count) for c in table.cells],
            )
            sections.append(("calls", table, TITLES[table.dimension], chart))
        for table in board.referrals:
            title = TITLES["referral_region" if table.dimension == "region" else table.dimension]
            sections.append(
                (
                    "referrals",
                    table,
                    title,
                    charts.bar_chart(
                        translator.gettext(language(request), title),
                        [(lab(table.dimension, c.key), c.count) for c in table.cells],
                    ),
                )
            )
        wg = board.working_group
        wg_chart = charts.column_chart("meetings", list(wg.meetings_by_quarter.items()))
        nap_chart = charts.bar_chart("nap", sorted((lab("nap_status", s), n) for s, n in wg.nap_by_status.items()))
        return render(
            request,
            "dashboard.html",
            principal=principal,
            board=board,
            sections=sections,
            period=period,
            periods=PERIODS,
            filters=filters,
            filter_labels=FILTER_LABELS,
            choices=choices,
            from_=params.get("from", ""),
            to=params.get("to", ""),
            error=error,
            k=k,
            qs=urlencode(api_query),
            page_qs=urlencode(
                {
                    **filters,
                    "period": period,
                    **({"from": params["from"]} if params.get("from") else {}),
                    **({"to": params["to"]} if params.get("to") else {}),
                }
            ),
            wg=wg,
            wg_chart=wg_chart,
            nap_chart=nap_chart,
        )

    @pages.get("/reports")
    async def reports_page(request: Request) -> Response:
        principal, refusal = await gate(request)
        if refusal:
            return refusal
        async with runtime.db.reader() as session:
            jobs = await reports.list_reports(session, principal)
        now = datetime.now(UTC)
        return render(
            request,
            "reports.html",
            principal=principal,
            jobs=jobs,
            error=None,
            watch=request.query_params.get("job", ""),
            default_quarter=periods.previous_quarter(now),
            default_year=str(now.astimezone(periods.zone()).year - 1),
        )

    @pages.post("/reports")
    async def request_report_page(request: Request, kind: str = Form(""), period: str = Form("")) -> Response:
        principal, refusal = await gate(request)
        if refusal:
            return refusal
        try:
            body = ReportRequest(kind=kind, period=period.strip(), language=language(request))
        except ValidationError as exc:
            async with runtime.db.reader() as session:
                jobs = await reports.list_reports(session, principal)
            now = datetime.now(UTC)
            return render(
                request,
                "reports.html",
                status=422,
                principal=principal,
                jobs=jobs,
                error=exc.errors()[0].get("msg", "invalid").removeprefix("Value error, "),
                watch="",
                default_quarter=periods.previous_quarter(now),
                default_year=str(now.astimezone(periods.zone()).year - 1),
            )
        async with runtime.db.transaction() as session:
            job = await reports.request_report(session, principal, body)
            job_id = job.id
        worker.wake()
        return RedirectResponse(f"/reports?job={job_id}", status_code=303)

    runtime.app.include_router(pages)
    return pages
