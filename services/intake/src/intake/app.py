"""Wires the intake service: API, pages, built-in issuer, gRPC, the referrals client, consumers."""

from hotline_common.auth import TokenIssuer
from hotline_common.crypto import FieldCipher
from hotline_common.runtime import ServiceRuntime
from hotline_common.settings import read_setting_file
from intake.accounts import views as account_views
from intake.accounts.service import load_demo_accounts
from intake.audit import views as audit_views
from intake.callers import events as caller_events
from intake.callers import wiring as caller_wiring
from intake.contact import events as contact_events
from intake.contact import views as contact_views
from intake.database import MIGRATIONS, import_models
from intake.directory import views as directory_views
from intake.directory.client import ReferralsClient
from intake.draft import views as draft_views
from intake.grpc_api import registration
from intake.pages import views as pages
from intake.screening import views as screening_views
from intake.scripts import views as script_views
from intake.scripts.service import load_demo_scripts
from intake.settings import IntakeSettings

import_models()


class IntakeRuntime(ServiceRuntime):
    def __init__(self, settings: IntakeSettings):
        super().__init__("intake", settings, MIGRATIONS, title="Hotline intake")
        try:
            self.cipher = FieldCipher(settings.encryption_keyring)
        except ValueError as exc:
            raise SystemExit(f"Configuration error: ENCRYPTION_KEYRING: {exc}") from None
        self.issuer = None
        if settings.auth_signing_key_file:
            self.issuer = TokenIssuer(
                read_setting_file("AUTH_SIGNING_KEY_FILE", settings.auth_signing_key_file),
                issuer=settings.auth_issuer,
                audience=settings.auth_audience,
            )
        self.referrals = ReferralsClient(settings.referrals_grpc_target)


def build_runtime(settings: IntakeSettings) -> IntakeRuntime:
    runtime = IntakeRuntime(settings)
    for module in (
        account_views,
        contact_views,
        draft_views,
        directory_views,
        audit_views,
        screening_views,
        script_views,
    ):
        runtime.app.include_router(module.router(runtime))
    pages.mount(runtime)
    caller_wiring.install(runtime)
    runtime.grpc_registrations.append(registration(runtime))
    runtime.add_consumer("intake.referral-links", "referrals", contact_events.HANDLERS + caller_events.HANDLERS)
    runtime.shutdown_hooks.append(runtime.referrals.close)

    if settings.load_demo_data:

        async def demo() -> None:
            async with runtime.db.transaction() as session:
                await load_demo_accounts(session)
            async with runtime.db.transaction() as session:
                await load_demo_scripts(session)

        runtime.startup_hooks.append(demo)
    return runtime
