"""Wires the coordination service: members, meetings, decisions, protocols, the National Action
Plan, exchange, hotline figures from reporting, and the Working Group's pages."""

from coordination.decisions import views as decisions_views
from coordination.exchange import views as exchange_views
from coordination.figures import views as figures_views
from coordination.meetings import views as meetings_views
from coordination.members import views as members_views
from coordination.nap import views as nap_views
from coordination.pages import exchange as exchange_pages
from coordination.pages import figures as figures_pages
from coordination.pages import meetings as meetings_pages
from coordination.pages import members as members_pages
from coordination.pages import nap as nap_pages
from coordination.pages import protocols as protocol_pages
from coordination.protocols import views as protocols_views
from coordination.runtime import CoordinationRuntime
from coordination.settings import CoordinationSettings

ROUTERS = (
    members_views.router,
    meetings_views.router,
    decisions_views.router,
    protocols_views.router,
    nap_views.router,
    exchange_views.router,
    figures_views.router,
    meetings_pages.router,
    protocol_pages.router,
    members_pages.router,
    nap_pages.router,
    exchange_pages.router,
    figures_pages.router,
)


def build_runtime(settings: CoordinationSettings) -> CoordinationRuntime:
    runtime = CoordinationRuntime(settings)
    runtime.app.include_router(runtime.sign_in.router())
    for router in ROUTERS:
        runtime.app.include_router(router)
    return runtime
