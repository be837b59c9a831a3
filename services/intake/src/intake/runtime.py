"""Intake's runtime, built once at start: the shared runtime plus everything intake's handlers use (the
field cipher, the built-in issuer, the caller vault, the referrals client, the page kit) and its
background work (the referral-links consumer, the vault's retention purge, the demo data). Handlers
receive it, or its parts, as typed dependencies (`intake.deps`)."""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from collections.abc import Callable, Coroutine
from typing import Any
from zoneinfo import ZoneInfo

from hotline_common.auth import TokenIssuer
from hotline_common.crypto import FieldCipher
from hotline_common.db import Database
from hotline_common.i18n import Translator
from hotline_common.revocation import RevocationList, RevocationPublisher
from hotline_common.runtime import ServiceRuntime
from hotline_common.service_identity import SelfSignedTokens
from hotline_common.settings import read_setting_file
from hotline_common.web.pages import Pages, install_pages
from intake.accounts.clients import ServiceClients, build_service_issuer
from intake.accounts.limits import LoginLimits, LoginPolicy
from intake.accounts.service import BuiltInSignIn, load_demo_accounts
from intake.accounts.sessions import EndedSessions, SessionCheck, purge_sessions
from intake.callers import events as caller_events
from intake.callers import retention
from intake.callers.vault import CallerVault, index_key_from_keyring
from intake.contact import events as contact_events
from intake.database import MIGRATIONS, import_models
from intake.directory.client import ReferralsClient
from intake.grpc_api import registration
from intake.pages import LOCALES, TEMPLATES
from intake.pages.homes import refused_links, sections
from intake.scripts.service import load_demo_scripts
from intake.settings import IntakeSettings

import_models()
log = logging.getLogger("intake.callers")


def build_cipher(settings: IntakeSettings) -> FieldCipher:
    try:
        return FieldCipher(settings.encryption_keyring)
    except ValueError as exc:
        raise SystemExit(f"Configuration error: ENCRYPTION_KEYRING: {exc}") from None


def build_issuer(settings: IntakeSettings) -> TokenIssuer | None:
    """The embedded default's issuer; None when an external identity provider issues tokens."""
    if not settings.auth_signing_key_file:
        return None
    return TokenIssuer(
        read_setting_file("AUTH_SIGNING_KEY_FILE", settings.auth_signing_key_file),
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
    )


def build_vault(settings: IntakeSettings, cipher: FieldCipher) -> CallerVault:
    """The caller vault with its phone index key (CALLER_INDEX_KEY, else derived from the keyring)."""
    if settings.caller_index_key:
        try:
            key = base64.b64decode(settings.caller_index_key, validate=True)
        except (binascii.Error, ValueError):
            raise SystemExit("Configuration error: CALLER_INDEX_KEY must be base64 (32 bytes)") from None
        if len(key) != 32:
            raise SystemExit("Configuration error: CALLER_INDEX_KEY must be 32 bytes, base64")
    else:
        # Fine for the embedded default; in production set it, or rotating the keyring's first key
        # would make every stored number unfindable.
        log.warning("CALLER_INDEX_KEY is not set: the phone index key is derived from ENCRYPTION_KEYRING's first key")
        key = index_key_from_keyring(settings.encryption_keyring)
    return CallerVault(cipher, key)


class RetentionPurge:
    """The vault's periodic retention purge, as a background task started and stopped with the service."""

    def __init__(self, db: Database, retention_days: int, interval_seconds: int, session_retention_days: int):
        self.db = db
        self.retention_days = retention_days
        self.interval_seconds = interval_seconds
        self.session_retention_days = session_retention_days
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(
            retention.run_periodically(
                self.db,
                self.retention_days,
                self.interval_seconds,
                self._stop,
                also=[("sessions", lambda: purge_sessions(self.db, self.session_retention_days))],
            ),
            name="vault-retention",
        )

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await asyncio.wait([self._task], timeout=10)


class BackgroundTask:
    """A coroutine run as a task from the service's start until its stop."""

    def __init__(self, run: Callable[[], Coroutine[Any, Any, None]], name: str):
        self.run = run
        self.name = name
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


class IntakeRuntime(ServiceRuntime[IntakeSettings]):
    def __init__(self, settings: IntakeSettings):
        own_sessions = bool(settings.auth_signing_key_file)

        def sessions(db: Database, revocations: RevocationList) -> SessionCheck:
            return SessionCheck(db, revocations, own_sessions=own_sessions)

        # intake as the built-in issuer signs its own service token; else it has a client secret.
        service_issuer = build_service_issuer(settings)
        super().__init__(
            "intake",
            settings,
            MIGRATIONS,
            title="Hotline intake",
            revocation=sessions,
            service_tokens=SelfSignedTokens(service_issuer, "intake") if service_issuer else None,
        )
        self.service_issuer = service_issuer
        self.service_clients = ServiceClients.from_settings(settings)
        self.cipher = build_cipher(settings)
        self.issuer = build_issuer(settings)
        self.vault = build_vault(settings, self.cipher)
        self.referrals = ReferralsClient(settings.referrals_grpc_target, self.require_service_tokens("call referrals"))
        # Wrong passwords counted per account and per address, delayed, then locked (accounts.limits).
        self.login_limits = LoginLimits(
            LoginPolicy(
                lock_after=settings.login_lock_after,
                lock_minutes=settings.login_lock_minutes,
                address_limit=settings.login_address_limit,
                max_delay=settings.login_max_delay_seconds,
            ),
            settings.login_limits_storage,
        )
        self.sign_in = BuiltInSignIn(self.db, self.issuer, self.login_limits)
        self.translator = Translator(LOCALES)
        self.pages = Pages(
            self.translator,
            [TEMPLATES],
            zone=ZoneInfo(settings.timezone),
            globals={"timezone": settings.timezone, "sections": sections},
        )
        install_pages(self.app, self.pages, refused_links=lambda principal: refused_links(principal, settings))
        self.grpc_registrations.append(registration(self))
        self.add_consumer("intake.referral-links", "referrals", contact_events.HANDLERS + caller_events.HANDLERS)
        if self.issuer is not None:
            # Ended sessions out to the replicated revocation list the other services watch.
            publisher = RevocationPublisher(self.broker, EndedSessions(self.db, self.issuer.ttl_seconds))
            self.revocation_publisher = BackgroundTask(publisher.run, "revocation-publisher")
            self.startup_hooks.append(self.revocation_publisher.start)
            self.shutdown_hooks.append(self.revocation_publisher.stop)
        self.retention = RetentionPurge(
            self.db,
            settings.vault_retention_days,
            settings.vault_purge_interval_seconds,
            settings.session_retention_days,
        )
        self.startup_hooks.append(self.retention.start)
        if settings.load_demo_data:
            self.startup_hooks.append(self.load_demo_data)
        # The purge stops before anything else; the referrals channel closes after the consumers.
        self.shutdown_hooks.insert(0, self.retention.stop)
        self.shutdown_hooks.append(self.referrals.close)

    async def load_demo_data(self) -> None:
        async with self.db.transaction() as session:
            await load_demo_accounts(session)
        async with self.db.transaction() as session:
            await load_demo_scripts(session)
