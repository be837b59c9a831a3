"""The hotline's aggregate figures page, from reporting (never a caller's identity)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from coordination.deps import FiguresReader, Reporting, Zone
from coordination.figures import service as figures
from coordination.figures.service import HotlineFigures
from coordination.meetings.service import today_in
from hotline_common.errors import DependencyUnavailable, DomainError, InvalidInput
from hotline_common.i18n_markers import N_
from hotline_common.web.inputs import day_from_text
from hotline_common.web.pages import PageKit

router = APIRouter(include_in_schema=False)

# What the page says when reporting does not answer (the shared client's message names the gRPC code).
NOT_AVAILABLE = N_("The hotline's figures are not available now; try again later.")
# Reporting refuses a Group member's period with no quarter that has ended (its figures would change
# call by call); its English reason names the field only, so the page says it in its own words.
ENDED_QUARTERS_ONLY = N_("The Group's figures cover whole quarters that have ended; choose a period that includes one.")


def period_asked(request: Request, today: date) -> tuple[date, date]:
    """`from` and `to` (dates, both included); when not given or not dates (of sane years), from the
    start of the quarter before this one to today, so the latest quarter that has ended is in it
    (a suppressed reader's figures cover only those)."""
    default_start = last_quarter_start(today)
    try:
        start = day_from_text(request.query_params.get("from") or default_start.isoformat())
        end = day_from_text(request.query_params.get("to") or today.isoformat())
    except ValueError:
        return default_start, today
    return start, end


def last_quarter_start(today: date) -> date:
    """The first day of the calendar quarter before the one `today` is in."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    return date(today.year - 1, 10, 1) if first_month == 1 else date(today.year, first_month - 3, 1)


@router.get("/figures")
async def hotline_figures(
    request: Request, pages: PageKit, reporting: Reporting, zone: Zone, principal: FiguresReader
) -> HTMLResponse:
    start, end = period_asked(request, today_in(zone))
    result: HotlineFigures | None = None
    error: DomainError | None = None
    try:
        result = await figures.hotline_figures(
            reporting,
            principal,
            from_time=datetime.combine(start, time(0), tzinfo=zone),
            to_time=datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone),
        )
    except DependencyUnavailable:
        error = DependencyUnavailable(NOT_AVAILABLE)
    except InvalidInput:
        error = InvalidInput.single("to", ENDED_QUARTERS_ONLY)
    except DomainError as exc:
        error = exc
    return pages.render(
        request,
        "figures.html",
        status=error.http_status if error else 200,
        principal=principal,
        figures=result,
        start=start,
        end=end,
        error=error,
        posted="figures" if isinstance(error, InvalidInput) else None,
    )
