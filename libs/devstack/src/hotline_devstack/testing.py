"""Helpers for tests: poll for a condition with a deadline (never a bare sleep)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from contextlib import contextmanager
from typing import Any, TypeVar

from nats.js.api import KeyValueConfig

from hotline_common.events.catalog import Namespace
from hotline_common.revocation import BUCKET_TTL_SECONDS, revocation_bucket

T = TypeVar("T")


def wait_until(
    check: Callable[[], T], *, timeout: float = 15.0, interval: float = 0.05, message: str = "condition"
) -> T:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"{message} not reached within {timeout}s (last value: {last!r})")


async def eventually(
    check: Callable[[], Awaitable[T]], *, timeout: float = 15.0, interval: float = 0.05, message: str = "condition"
) -> T:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"{message} not reached within {timeout}s (last value: {last!r})")


def sign_in(intake_url: str, username: str) -> str:
    """A token from the embedded issuer for a demo account (password `<username>-demo`)."""
    import httpx

    response = httpx.post(
        f"{intake_url}/api/v1/auth/token", json={"username": username, "password": f"{username}-demo"}, timeout=10
    )
    response.raise_for_status()
    return response.json()["access_token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def add_csrf_proof(request: Any, service: str) -> None:
    """What a page of `service` does for a state change made with the session cookie: send the
    session's CSRF token (hotline_common.web.security) as X-CSRF-Token. On an httpx request."""
    from http.cookies import SimpleCookie

    from hotline_common.auth import SESSION_COOKIE
    from hotline_common.web.security import CSRF_HEADER, UNSAFE_METHODS, csrf_token

    session = SimpleCookie(request.headers.get("cookie", "")).get(SESSION_COOKIE)
    if request.method in UNSAFE_METHODS and session and CSRF_HEADER not in request.headers:
        request.headers[CSRF_HEADER] = csrf_token(session.value, service)


def csrf_proof(service: str) -> Callable[[Any], Awaitable[None]]:
    """add_csrf_proof as an httpx.AsyncClient request hook."""

    async def hook(request: Any) -> None:
        add_csrf_proof(request, service)

    return hook


def csrf_proof_sync(service: str) -> Callable[[Any], None]:
    """add_csrf_proof as an httpx.Client request hook."""
    return lambda request: add_csrf_proof(request, service)


async def migrated_database(migrations: str, url: str):
    """A service's database at its newest migration, as the service itself would create it (a copy
    of one that Alembic migrated once in this process: hotline_devstack.databases)."""
    from hotline_common.db import Database
    from hotline_devstack.databases import migrate_fresh

    await asyncio.to_thread(migrate_fresh, migrations, url)
    return Database(url)


def principal(role: str, *, organisation_id: str | None = None, subject: str = "user-1"):
    from hotline_common.auth import Principal, Role

    return Principal(subject=subject, role=Role(role), name=role, organisation_id=organisation_id, token="t")


def jetstream(nats_url: str, action):
    """Run `await action(js)` on a short-lived JetStream connection, from synchronous test code."""
    import nats

    async def run():
        nc = await nats.connect(nats_url)
        try:
            return await action(nc.jetstream())
        finally:
            await nc.close()

    return asyncio.run(run())


def calls_total(system, headers: dict) -> int:
    """Calls counted by the system's reporting service (an analyst's or director's headers).
    Poll it at interval=0.5 or so: every answer computes the whole statistics in the same event loop
    as reporting's consumers, and polling every 50 ms starves them on a loaded machine."""
    import httpx

    def answered() -> httpx.Response | None:
        # 503: reporting refuses while it re-reads the revocation list after a NATS outage; it comes back.
        response = httpx.get(f"{system.http_url('reporting')}/api/v1/statistics", headers=headers, timeout=10)
        return None if response.status_code == 503 else response

    response = wait_until(answered, timeout=60, interval=0.5, message="reporting answers (not 503)")
    assert response is not None  # wait_until returns only an answer
    response.raise_for_status()
    return int(response.json()["calls_total"])


PURPOSES = ["advice_work_abroad", "report_trafficking", "psychological_support", "information"]


def last_ended_quarter() -> tuple[str, str]:
    """The local quarter before this one (the latest a suppressed reader sees) and a moment in
    its middle month, ISO 8601: ('2026-Q3', '2026-08-15T10:00:00+04:00')."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    now = datetime.now(UTC).astimezone(ZoneInfo("Asia/Baku"))
    this = (now.month - 1) // 3
    year, index = (now.year, this - 1) if this else (now.year - 1, 3)
    return f"{year}-Q{index + 1}", f"{year}-{3 * index + 2:02d}-15T10:00:00+04:00"


def record_calls(intake_url: str, headers: dict, n: int, offset: int = 0, started_at: str | None = None) -> list[str]:
    """Record n calls through intake's API, eight at a time; their contact ids. `started_at` (ISO
    8601): when they began, e.g. in a quarter that has ended (suppressed readers see only those)."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    def one(i: int) -> str:
        response = httpx.post(
            f"{intake_url}/api/v1/contacts",
            headers=headers,
            timeout=30,
            json={
                "line": "152",
                "caller_role": "advice_seeker",
                "purpose": PURPOSES[(offset + i) % len(PURPOSES)],
                **({"started_at": started_at} if started_at else {}),
            },
        )
        assert response.status_code == 201, response.text
        return response.json()["id"]

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(n)))


CHROMIUM = "/usr/bin/chromium"  # Debian's chromium, installed by scripts/install-test-deps.sh
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


@contextmanager
def chromium_page(*, viewport: tuple[int, int] = (1280, 900), timeout_ms: int = 15_000, **context_options):
    """A page in a real headless Chromium for browser tests; fails the test on any JavaScript error."""
    from pathlib import Path

    import pytest
    from playwright.sync_api import expect, sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-test-deps.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, **context_options)
        context.set_default_timeout(timeout_ms)
        expect.set_options(timeout=timeout_ms)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            yield page
        finally:
            context.close()
            browser.close()
        assert not errors, f"JavaScript errors on the page: {errors}"


async def make_revocation_bucket(nats_url: str, namespace: str) -> None:
    """What intake (the issuer) does at its start, for a test that runs another service without it:
    every service refuses user tokens until it has read the revocation bucket."""
    import nats

    connection = await nats.connect(nats_url)
    try:
        bucket = revocation_bucket(Namespace(namespace))
        await connection.jetstream().create_key_value(KeyValueConfig(bucket=bucket, history=1, ttl=BUCKET_TTL_SECONDS))
    finally:
        await connection.close()


def create_revocation_bucket(nats_url: str, namespace: str) -> None:
    asyncio.run(make_revocation_bucket(nats_url, namespace))
