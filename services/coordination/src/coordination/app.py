"""Wires the coordination service: members, meetings, decisions, hotline figures from reporting."""

import asyncio
import contextlib
import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coordination.database import MIGRATIONS, import_models
from coordination.decisions import views as decisions_views
from coordination.exchange import views as exchange_views
from coordination.figures import views as figures_views
from coordination.figures.client import ReportingClient
from coordination.grpc_api import registration
from coordination.meetings import compliance
from coordination.meetings import views as meetings_views
from coordination.members import views as members_views
from coordination.members.service import load_demo_members
from coordination.nap import views as nap_views
from coordination.pages import views as pages_views
from coordination.protocols import views as protocols_views
from coordination.protocols.keys import KeyVault
from coordination.settings import CoordinationSettings
from hotline_common.i18n import Translator
from hotline_common.resources import package_dir
from hotline_common.runtime import ServiceRuntime

LOCALES = package_dir("coordination", "locales")
log = logging.getLogger("coordination.quarter")

import_models()


class CoordinationRuntime(ServiceRuntime):
    def __init__(self, settings: CoordinationSettings):
        super().__init__("coordination", settings, MIGRATIONS, title="Hotline coordination")
        try:
            self.zone = ZoneInfo(settings.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SystemExit(f"Configuration error: TIMEZONE: unknown time zone {settings.timezone!r}") from None
        self.reporting = ReportingClient(settings.reporting_grpc_target)
        try:
            self.vault = KeyVault(settings.signing_keyring)
        except ValueError as exc:
            raise SystemExit(f"Configuration error: SIGNING_KEYRING: {exc}") from None
        self.translator = Translator(LOCALES)


def build_runtime(settings: CoordinationSettings) -> CoordinationRuntime:
    runtime = CoordinationRuntime(settings)
    for module in (
        members_views,
        meetings_views,
        decisions_views,
        protocols_views,
        nap_views,
        exchange_views,
        figures_views,
    ):
        runtime.app.include_router(module.router(runtime))
    pages_views.mount(runtime)
    runtime.grpc_registrations.append(registration(runtime))
    runtime.shutdown_hooks.append(runtime.reporting.close)

    async def quarter_checks() -> None:
        # First check one interval after start: a restart loop never floods, and a freshly started
        # system (tests, `make run`) publishes nothing it was not asked for.
        while True:
            await asyncio.sleep(settings.quarter_check_seconds)
            try:
                async with runtime.db.transaction() as session:
                    await compliance.warn_if_due(session, runtime.zone, settings.quarter_warning_weeks)
            except Exception as exc:  # noqa: BLE001 - the next round retries
                log.warning("quarter check failed", extra={"error": type(exc).__name__})

    checker: list[asyncio.Task] = []

    async def start_checks() -> None:
        checker.append(asyncio.get_running_loop().create_task(quarter_checks()))

    async def stop_checks() -> None:
        for task in checker:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    runtime.startup_hooks.append(start_checks)
    runtime.shutdown_hooks.append(stop_checks)

    if settings.load_demo_data:

        async def demo() -> None:
            async with runtime.db.transaction() as session:
                await load_demo_members(session)

        runtime.startup_hooks.append(demo)
    return runtime
