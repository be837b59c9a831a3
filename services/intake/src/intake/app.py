"""Wires the intake service: the runtime (issuer, vault, referrals client, pages, gRPC, consumers) and
every router: the API, the pages, and sign-in / sign-out at /login and /logout."""

from fastapi.staticfiles import StaticFiles

from hotline_common.web.pages import SignInPages
from intake.accounts import views as account_views
from intake.admin import pages as admin_pages
from intake.admin import views as admin_views
from intake.audit import views as audit_views
from intake.callers import views as caller_views
from intake.contact import views as contact_views
from intake.director import pages as director_pages
from intake.director import views as director_views
from intake.directory import views as directory_views
from intake.draft import views as draft_views
from intake.pages import STATIC
from intake.pages import views as pages
from intake.pages.homes import home_for
from intake.runtime import IntakeRuntime
from intake.screening import views as screening_views
from intake.scripts import views as script_views
from intake.settings import IntakeSettings

ROUTERS = (
    account_views.router,
    contact_views.router,
    draft_views.router,
    directory_views.router,
    audit_views.router,
    screening_views.router,
    script_views.router,
    caller_views.router,
    director_views.router,
    admin_views.router,
    pages.router,
    director_pages.router,
    admin_pages.router,
)


def build_runtime(settings: IntakeSettings) -> IntakeRuntime:
    runtime = IntakeRuntime(settings)
    app = runtime.app
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.include_router(SignInPages(runtime.sign_in, home=lambda principal: home_for(principal, settings)).router())
    for router in ROUTERS:
        app.include_router(router)
    return runtime
