"""Wires the reporting service: statistics API, gRPC, and the consumers that build projections."""

from hotline_common.runtime import ServiceRuntime
from reporting.database import MIGRATIONS, import_models
from reporting.exports import views as export_views
from reporting.grpc_api import registration
from reporting.pages import views as pages
from reporting.reports import views as report_views
from reporting.reports.worker import ReportWorker
from reporting.settings import ReportingSettings
from reporting.statistics import events as statistics_events
from reporting.statistics import periods
from reporting.statistics import views as statistics_views

import_models()


def build_runtime(settings: ReportingSettings) -> ServiceRuntime:
    periods.configure(settings.timezone)
    runtime = ServiceRuntime("reporting", settings, MIGRATIONS, title="Hotline reporting")
    runtime.app.include_router(statistics_views.router(runtime))
    runtime.app.include_router(export_views.router(runtime))
    worker = ReportWorker(
        runtime.db,
        settings.suppression_k,
        scheduled=settings.scheduled_reports,
        check_seconds=settings.report_check_seconds,
    )
    runtime.startup_hooks.append(worker.start)
    runtime.shutdown_hooks.append(worker.stop)
    runtime.app.include_router(report_views.router(runtime, worker))
    pages.mount(runtime, worker)
    runtime.grpc_registrations.append(registration(runtime))
    for name, (producer, handlers) in statistics_events.CONSUMERS.items():
        runtime.add_consumer(name, producer, handlers)
    return runtime
