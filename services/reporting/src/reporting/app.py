"""Wires the reporting service: statistics API, pages, gRPC, and the consumers that build projections."""

from hotline_common.web.pages import SignInPages
from hotline_common.web.signin import IssuerEndpoint
from reporting.database import import_models
from reporting.exports import views as export_views
from reporting.grpc_api import registration
from reporting.pages import views as pages
from reporting.reports import views as report_views
from reporting.runtime import ReportingRuntime
from reporting.settings import ReportingSettings
from reporting.statistics import events as statistics_events
from reporting.statistics import views as statistics_views

import_models()


def build_runtime(settings: ReportingSettings) -> ReportingRuntime:
    runtime = ReportingRuntime(settings)
    for router in (statistics_views.router, export_views.router, report_views.router, pages.router):
        runtime.app.include_router(router)
    runtime.app.include_router(SignInPages(IssuerEndpoint(settings.auth_token_url)).router())
    runtime.grpc_registrations.append(registration(runtime))
    for name, (producer, handlers) in statistics_events.CONSUMERS.items():
        runtime.add_consumer(name, producer, handlers)
    return runtime
