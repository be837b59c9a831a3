"""Login limits (issue 12, item 6): wrong passwords are counted per account and per client address
with growing delays; an account is then locked (on the account, audited, shown to the director, who
unlocks it), an address refused; the token endpoint and the pages' sign-in form alike."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from hotline_common import demo
from intake.accounts.limits import LoginLimits, LoginPolicy, client_address
from intake.accounts.models import StaffAccount
from intake.audit.models import AccessAuditEntry

ORIGIN = "http://intake"
LOCK_AFTER = 4
ADDRESS_LIMIT = 7


async def test_delays_grow_then_the_account_locks_and_a_right_password_clears_the_count():
    limits = LoginLimits(LoginPolicy(free=3, max_delay=8, lock_after=9, address_limit=100))
    failures = [await limits.failed("nigar", "192.0.2.1") for _ in range(9)]
    assert [f.delay for f in failures] == [0, 0, 0, 1, 2, 4, 8, 8, 8]
    assert [f.lock_account for f in failures] == [False] * 8 + [True]
    await limits.succeeded("nigar")
    again = await limits.failed("nigar", "192.0.2.2")
    assert (again.delay, again.lock_account) == (0, False), "counted afresh, from another address"


async def test_one_address_trying_many_usernames_is_refused():
    limits = LoginLimits(LoginPolicy(lock_after=100, address_limit=5, max_delay=0))
    for n in range(5):
        assert await limits.address_allowed("192.0.2.9")
        await limits.failed(f"user{n}", "192.0.2.9")
    assert not await limits.address_allowed("192.0.2.9")
    assert await limits.address_allowed("192.0.2.10")


def test_the_address_is_the_peers_unless_a_trusted_forwarder_names_the_browsers():
    trusted = ["10.1.0.0/16"]
    assert client_address("192.0.2.5", None, trusted) == "192.0.2.5"
    assert client_address("192.0.2.5", "198.51.100.7", trusted) == "192.0.2.5", "an untrusted peer's header is ignored"
    assert client_address("10.1.2.3", "203.0.113.1, 198.51.100.7", trusted) == "198.51.100.7"
    assert client_address("10.1.2.3", "not an address", trusted) == "10.1.2.3"


@pytest.fixture
async def intake(intake_runtime):
    runtime, _issuer = await intake_runtime(
        login_lock_after=LOCK_AFTER,
        login_address_limit=ADDRESS_LIMIT,
        login_max_delay_seconds=0,
        # httpx's ASGI transport calls from 127.0.0.1: here the trusted forwarder (another service).
        login_trusted_forwarders="127.0.0.1/32",
    )
    return runtime


def client(runtime) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=runtime.app), base_url=ORIGIN)


async def attempt(http, username: str, password: str, browser: str = "198.51.100.1") -> httpx.Response:
    body = {"username": username, "password": password}
    return await http.post("/api/v1/auth/token", json=body, headers={"X-Forwarded-For": browser})


async def audit_actions(runtime) -> list[str]:
    async with runtime.db.reader() as session:
        return list((await session.scalars(select(AccessAuditEntry.action).order_by(AccessAuditEntry.seq))).all())


async def test_repeated_wrong_passwords_lock_the_account_until_the_director_unlocks_it(intake):
    async with client(intake) as http:
        for n in range(LOCK_AFTER):
            assert (await attempt(http, "operator", f"guess {n}", browser=f"198.51.100.{n + 1}")).status_code == 401
        locked = await attempt(http, "operator", "operator-demo", browser="198.51.100.99")
        assert locked.status_code == 429, "the right password no longer opens it, from any address"
        assert "locked" in locked.json()["detail"]
        async with intake.db.reader() as session:
            account = await session.get(StaffAccount, demo.ACCOUNT_IDS["operator"])
            assert account is not None and account.locked_until is not None
        assert "staff.locked" in await audit_actions(intake)

        boss_token = (await attempt(http, "director", "director-demo")).json()["access_token"]
        boss = {"Authorization": f"Bearer {boss_token}"}
        staff = (await http.get("/api/v1/director/staff", headers=boss)).json()
        shown = next(s for s in staff if s["username"] == "operator")
        assert shown["locked_until"] is not None
        page = await http.get("/director/staff?lang=en", cookies={"hotline_session": boss_token})
        assert "Locked after wrong passwords until" in page.text and "staff-unlock" in page.text

        # Another operator may not lift it, nor may a request without a token.
        colleague = (await attempt(http, "operator2", "operator2-demo")).json()["access_token"]
        unlock = f"/api/v1/director/staff/{demo.ACCOUNT_IDS['operator']}/unlock"
        assert (await http.post(unlock, headers={"Authorization": f"Bearer {colleague}"})).status_code == 403
        assert (await http.post(unlock)).status_code == 401
        unlocked = await http.post(unlock, headers=boss)
        assert unlocked.status_code == 200 and unlocked.json()["locked_until"] is None
        assert (await attempt(http, "operator", "operator-demo")).status_code == 200
    assert (await audit_actions(intake)).count("staff.unlocked") == 1


async def test_one_address_guessing_many_accounts_is_refused_and_others_are_not(intake):
    async with client(intake) as http:
        for n in range(ADDRESS_LIMIT):
            assert (await attempt(http, f"nobody{n}", "wrong", browser="203.0.113.5")).status_code == 401
        refused = await attempt(http, "analyst", "analyst-demo", browser="203.0.113.5")
        assert refused.status_code == 429 and "address" in refused.json()["detail"]
        assert (await attempt(http, "analyst", "analyst-demo", browser="203.0.113.6")).status_code == 200


async def test_the_sign_in_page_says_the_account_is_locked_in_the_pages_language(intake):
    async with client(intake) as browser:
        for n in range(LOCK_AFTER):
            wrong = await browser.post(
                "/login?lang=ru", data={"username": "operator2", "password": f"guess {n}"}, headers={"Origin": ORIGIN}
            )
            assert wrong.status_code == 401
        locked = await browser.post(
            "/login?lang=ru", data={"username": "operator2", "password": "operator2-demo"}, headers={"Origin": ORIGIN}
        )
        assert locked.status_code == 429
        assert "заблокирована" in locked.text
