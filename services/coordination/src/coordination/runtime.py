"""Coordination's runtime, built once at start: the shared runtime plus what coordination's handlers
use (the time zone, the reporting client, the signing keys' vault, the page kit and sign-in, the
quarter check). Handlers receive it, or its parts, as typed dependencies (`coordination.deps`)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi.staticfiles import StaticFiles

from coordination.database import MIGRATIONS, import_models
from coordination.figures.client import ReportingClient
from coordination.grpc_api import registration
from coordination.meetings.compliance import QuarterCheck
from coordination.members.service import load_demo_members
from coordination.pages.kit import problems_at
from coordination.protocols.keys import KeyVault
from coordination.protocols.render import MAJORITY_RULE_TEXT, QUORUM_RULE_TEXT
from coordination.settings import CoordinationSettings
from hotline_common.i18n import Translator
from hotline_common.resources import package_dir
from hotline_common.runtime import ServiceRuntime
from hotline_common.web.pages import Pages, SignInPages, install_pages
from hotline_common.web.signin import IssuerEndpoint

LOCALES = package_dir("coordination", "locales")
TEMPLATES = package_dir("coordination", "pages", "templates")
STATIC = package_dir("coordination", "pages", "static")
HOME = "/meetings"

import_models()


def time_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SystemExit(f"Configuration error: TIMEZONE: unknown time zone {name!r}") from None


def key_vault(keyring: str | None) -> KeyVault:
    try:
        return KeyVault(keyring)
    except ValueError as exc:
        raise SystemExit(f"Configuration error: SIGNING_KEYRING: {exc}") from None


class CoordinationRuntime(ServiceRuntime[CoordinationSettings]):
    def __init__(self, settings: CoordinationSettings):
        super().__init__("coordination", settings, MIGRATIONS, title="Hotline coordination")
        self.zone = time_zone(settings.timezone)
        self.reporting = ReportingClient(
            settings.reporting_grpc_target, self.require_service_tokens("ask reporting for the hotline's figures")
        )
        self.vault = key_vault(settings.signing_keyring)
        self.translator = Translator(LOCALES)
        self.pages = Pages(
            self.translator,
            [TEMPLATES],
            zone=self.zone,
            globals={"quorum_rule": QUORUM_RULE_TEXT, "majority_rule": MAJORITY_RULE_TEXT, "problems_at": problems_at},
        )
        install_pages(self.app, self.pages)
        self.app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
        # The Working Group signs in here (the form posts to the issuer's token endpoint).
        self.sign_in = SignInPages(IssuerEndpoint(settings.auth_token_url), home=lambda _principal: HOME)
        self.quarter_check = QuarterCheck(
            self.db, self.zone, settings.quarter_warning_weeks, interval_seconds=settings.quarter_check_seconds
        )
        self.grpc_registrations.append(registration(self))
        self.shutdown_hooks.append(self.reporting.close)
        self.startup_hooks.append(self.quarter_check.start)
        self.shutdown_hooks.append(self.quarter_check.stop)
        if settings.load_demo_data:
            self.startup_hooks.append(self.load_demo_data)

    async def load_demo_data(self) -> None:
        async with self.db.transaction() as session:
            await load_demo_members(session)
