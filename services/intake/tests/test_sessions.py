"""Sessions of the built-in issuer (issue 12, item 1): signing out (API and pages), disabling an
account, resetting its password and the director's "end all sessions" revoke the tokens at intake on
the very next request, audited; the ended sessions are what intake publishes to the other services."""

from __future__ import annotations

import time
from datetime import timedelta

import httpx
import jwt
import pytest
from sqlalchemy import select

from hotline_common import demo
from hotline_common.auth import SESSION_COOKIE
from hotline_common.db import utcnow
from hotline_common.web.security import csrf_token
from intake.accounts.models import SignInSession
from intake.accounts.sessions import EndedSessions, purge_sessions
from intake.audit.models import AccessAuditEntry

ORIGIN = "http://intake"
OPERATOR = demo.ACCOUNT_IDS["operator"]


@pytest.fixture
async def intake(intake_runtime):
    runtime, _issuer = await intake_runtime()
    return runtime


def client(runtime) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=runtime.app), base_url=ORIGIN)


async def token_of(http: httpx.AsyncClient, username: str, password: str | None = None) -> str:
    answer = await http.post(
        "/api/v1/auth/token", json={"username": username, "password": password or f"{username}-demo"}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


async def works(http: httpx.AsyncClient, token: str) -> int:
    answer = await http.get("/api/v1/screening/checklist", headers={"Authorization": f"Bearer {token}"})
    return answer.status_code


def director(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def audit_actions(runtime) -> list[str]:
    async with runtime.db.reader() as session:
        return list((await session.scalars(select(AccessAuditEntry.action).order_by(AccessAuditEntry.seq))).all())


async def test_a_token_names_its_session_and_signing_out_ends_it(intake):
    async with client(intake) as http:
        token = await token_of(http, "operator")
        claims = jwt.decode(token, options={"verify_signature": False})
        assert claims["sid"] and claims["iat"] <= time.time()
        other = await token_of(http, "operator")
        assert await works(http, token) == 200
        out = await http.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"})
        assert out.status_code == 204
        refused = await http.get("/api/v1/screening/checklist", headers={"Authorization": f"Bearer {token}"})
        assert refused.status_code == 401 and refused.json()["detail"] == "token revoked"
        assert await works(http, other) == 200, "another session of the same account goes on"
    async with intake.db.reader() as session:
        row = await session.get(SignInSession, claims["sid"])
        assert row is not None and row.ended_why == "signed_out"


async def test_the_pages_sign_out_ends_the_session_not_only_the_cookie(intake):
    async with client(intake) as browser:
        signed = await browser.post(
            "/login", data={"username": "operator", "password": "operator-demo"}, headers={"Origin": ORIGIN}
        )
        assert signed.status_code == 303
        cookie = browser.cookies[SESSION_COOKIE]
        assert (await browser.get("/contacts")).status_code == 200
        out = await browser.post(
            "/logout", headers={"Origin": ORIGIN, "X-CSRF-Token": csrf_token(cookie, intake.app.state.service_name)}
        )
        assert out.status_code == 303
        assert await works(browser, cookie) == 401, "a copy of the cookie no longer works"
        browser.cookies.set(SESSION_COOKIE, cookie)
        page = await browser.get("/contacts")
        assert page.status_code == 303 and page.headers["location"].startswith("/login")


@pytest.mark.parametrize(
    ("action", "why", "audited"),
    [
        ("disable", "disabled", "staff.disabled"),
        ("reset", "password_reset", "staff.password_reset"),
        ("end", "ended_by_admin", "staff.sessions_ended"),
    ],
)
async def test_the_directors_actions_end_every_session_of_the_account_at_once(intake, action, why, audited):
    async with client(intake) as http:
        boss = director(await token_of(http, "director"))
        tokens = [await token_of(http, "operator"), await token_of(http, "operator")]
        assert [await works(http, t) for t in tokens] == [200, 200]
        base = f"/api/v1/director/staff/{OPERATOR}"
        if action == "disable":
            done = await http.put(f"{base}/disabled", json={"disabled": True}, headers=boss)
        elif action == "reset":
            done = await http.put(f"{base}/password", json={"password": "a new long password"}, headers=boss)
        else:
            done = await http.post(f"{base}/sessions/end", headers=boss)
        assert done.status_code == 200, done.text
        assert [await works(http, t) for t in tokens] == [401, 401]
        if action != "disable":
            password = "a new long password" if action == "reset" else None
            assert await works(http, await token_of(http, "operator", password)) == 200, "a new sign-in works"
        assert await works(http, boss["Authorization"][7:]) == 200, "the director's own session goes on"
    async with intake.db.reader() as session:
        ended = (
            await session.scalars(select(SignInSession.ended_why).where(SignInSession.account_id == OPERATOR))
        ).all()
    assert sorted(w for w in ended if w) == [why, why]
    assert audited in await audit_actions(intake)


async def test_others_may_not_end_sessions_and_nothing_is_ended(intake):
    async with client(intake) as http:
        operator = await token_of(http, "operator")
        other = director(await token_of(http, "operator2"))
        refused = await http.post(f"/api/v1/director/staff/{OPERATOR}/sessions/end", headers=other)
        assert refused.status_code == 403
        assert await works(http, operator) == 200
    assert "staff.sessions_ended" not in await audit_actions(intake)


async def test_ended_sessions_are_what_intake_publishes(intake):
    async with client(intake) as http:
        boss = director(await token_of(http, "director"))
        token = await token_of(http, "operator")
        before = time.time() - 1
        source = EndedSessions(intake.db, intake.issuer.ttl_seconds)
        assert await source.ended_since(before) == []
        await http.post(f"/api/v1/director/staff/{OPERATOR}/sessions/end", headers=boss)
    sid = jwt.decode(token, options={"verify_signature": False})["sid"]
    recent = await source.ended_since(before)
    assert {r.session_id for r in recent} == {sid, None}
    subject = next(r for r in recent if r.session_id is None)
    assert subject.subject == OPERATOR and subject.not_before is not None and subject.until > time.time()
    assert {r.key() for r in await source.unexpired(time.time())} == {r.key() for r in recent}
    assert await source.unexpired(time.time() + 13 * 3600) == [], "nothing once the tokens have expired"


async def test_sessions_long_expired_are_forgotten_and_recent_ones_kept(intake):
    async with client(intake) as http:
        old_token = await token_of(http, "operator")
        fresh_token = await token_of(http, "director")
    old_sid = jwt.decode(old_token, options={"verify_signature": False})["sid"]
    fresh_sid = jwt.decode(fresh_token, options={"verify_signature": False})["sid"]
    # A year later, the operator's session (expired for a year) goes; with 400 days kept, it stays.
    a_year_later = utcnow() + timedelta(days=365)
    assert await purge_sessions(intake.db, 400, now=a_year_later) == 0
    async with intake.db.transaction() as session:
        fresh = await session.get(SignInSession, fresh_sid)
        fresh.expires_at = a_year_later  # signed in again just now
    assert await purge_sessions(intake.db, 90, now=a_year_later) >= 1
    async with intake.db.reader() as session:
        assert await session.get(SignInSession, old_sid) is None
        assert await session.get(SignInSession, fresh_sid) is not None
