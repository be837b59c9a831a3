"""The hotline's aggregate figures for the Working Group, from reporting."""

from fastapi import APIRouter

from coordination.deps import Reporting
from coordination.figures import service
from coordination.figures.service import HotlineFigures
from hotline_common.web.deps import CurrentPrincipal
from hotline_common.web.inputs import Moment

router = APIRouter(prefix="/api/v1", tags=["figures"])


@router.get("/hotline-figures", response_model=HotlineFigures)
async def figures(
    principal: CurrentPrincipal,
    reporting: Reporting,
    from_time: Moment | None = None,
    to_time: Moment | None = None,
) -> HotlineFigures:
    return await service.hotline_figures(reporting, principal, from_time=from_time, to_time=to_time)
