"""Reporting's runtime, built once at start: the shared runtime plus what reporting's handlers use.
Handlers receive it, or its parts, as typed dependencies (`reporting.deps`)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi.staticfiles import StaticFiles

from hotline_common.resources import package_dir
from hotline_common.runtime import ServiceRuntime
from hotline_common.web.pages import Pages, install_pages
from reporting import labels
from reporting.database import MIGRATIONS
from reporting.i18n import translator
from reporting.reports.worker import ReportWorker
from reporting.settings import ReportingSettings
from reporting.statistics import periods


class ReportingRuntime(ServiceRuntime[ReportingSettings]):
    def __init__(self, settings: ReportingSettings):
        periods.configure(settings.timezone)
        super().__init__("reporting", settings, MIGRATIONS, title="Hotline reporting")
        self.suppression_k = settings.suppression_k
        self.worker = ReportWorker(
            self.db,
            settings.suppression_k,
            scheduled=settings.scheduled_reports,
            check_seconds=settings.report_check_seconds,
        )
        self.startup_hooks.append(self.worker.start)
        self.shutdown_hooks.append(self.worker.stop)
        self.pages = Pages(
            translator(),
            [package_dir("reporting", "pages", "templates")],
            zone=ZoneInfo(settings.timezone),
            globals={"tz": settings.timezone},
            per_language=lambda lang: {"lab": labels.labeller(lang)},
        )
        install_pages(self.app, self.pages)
        self.app.mount(
            "/static", StaticFiles(directory=str(package_dir("reporting", "pages", "static"))), name="static"
        )
