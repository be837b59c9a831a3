"""Wires caller profiles, the journal and the director's supervision into the intake runtime: the
vault with its phone index key, the REST routes, the pages, and the periodic retention purge."""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging

from intake.callers import retention
from intake.callers import views as caller_views
from intake.callers.vault import CallerVault, index_key_from_keyring
from intake.director import pages as director_pages
from intake.director import views as director_views


def build_vault(settings, cipher) -> CallerVault:
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
        logging.getLogger("intake.callers").warning(
            "CALLER_INDEX_KEY is not set: the phone index key is derived from ENCRYPTION_KEYRING's first key"
        )
        key = index_key_from_keyring(settings.encryption_keyring)
    return CallerVault(cipher, key)


def install(runtime) -> None:
    runtime.vault = build_vault(runtime.settings, runtime.cipher)
    for module in (caller_views, director_views):
        runtime.app.include_router(module.router(runtime))
    director_pages.mount(runtime)

    stop = asyncio.Event()
    tasks: list[asyncio.Task] = []

    async def start_purge() -> None:
        tasks.append(
            asyncio.create_task(
                retention.run_periodically(
                    runtime.db,
                    runtime.settings.vault_retention_days,
                    runtime.settings.vault_purge_interval_seconds,
                    stop,
                ),
                name="vault-retention",
            )
        )

    async def stop_purge() -> None:
        stop.set()
        if tasks:
            await asyncio.wait(tasks, timeout=10)

    runtime.startup_hooks.append(start_purge)
    runtime.shutdown_hooks.insert(0, stop_purge)
