"""The technical operator (admin) manages every account of the built-in issuer (intake.admin): lists
them with no case data, disables, enables, unlocks and ends the sessions of any of them (a departing
partner employee is cut off at once), and creates and resets only accounts that read no case data; the
hotline's staff stay the director's. Every change is on the access audit. In process, real tokens of the
built-in issuer, SQLite and PostgreSQL."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select

from hotline_common import demo
from hotline_common.auth import SESSION_COOKIE, Role
from hotline_common.web.security import csrf_token
from intake.accounts.models import SignInSession, StaffAccount
from intake.audit.models import AccessAuditEntry

ORIGIN = "http://intake"
ACCOUNTS = "/api/v1/admin/accounts"
ADMIN, PARTNER, OPERATOR, DIRECTOR = (demo.ACCOUNT_IDS[n] for n in ("admin", "partner", "operator", "director"))
NEW_ORG = "0190a000-0000-7000-8000-0000000000aa"


@pytest.fixture
async def intake(intake_runtime):
    # Two wrong passwords lock an account, with no growing delay (the unlock's test).
    runtime, issuer = await intake_runtime(login_lock_after=2, login_max_delay_seconds=0)
    return runtime, issuer


def client(runtime) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=runtime.app), base_url=ORIGIN)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def as_demo(issuer, username: str, role: Role) -> dict[str, str]:
    """A token of the demo account `username` signed by the test issuer (no sign-in session)."""
    return bearer(issuer.issue(subject=demo.ACCOUNT_IDS[username], role=role, name=username))


async def signed_in(http: httpx.AsyncClient, username: str, password: str | None = None) -> httpx.Response:
    return await http.post(
        "/api/v1/auth/token", json={"username": username, "password": password or f"{username}-demo"}
    )


async def token_of(http: httpx.AsyncClient, username: str, password: str | None = None) -> str:
    answer = await signed_in(http, username, password)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


async def audit(runtime) -> list[tuple[str, str, str]]:
    """(actor role, action, account) of every entry, oldest first."""
    async with runtime.db.reader() as session:
        rows = await session.execute(
            select(AccessAuditEntry.actor_role, AccessAuditEntry.action, AccessAuditEntry.record_id).order_by(
                AccessAuditEntry.seq
            )
        )
    return [tuple(row) for row in rows.all()]


async def account(runtime, account_id: str) -> StaffAccount:
    async with runtime.db.reader() as session:
        found = await session.get(StaffAccount, account_id)
    assert found is not None
    return found


async def test_the_admin_lists_every_account_and_nobody_else_may(intake):
    runtime, issuer = intake
    async with client(runtime) as http:
        listed = await http.get(ACCOUNTS, headers=as_demo(issuer, "admin", Role.ADMIN))
        assert listed.status_code == 200, listed.text
        rows = {row["username"]: row for row in listed.json()}
        assert set(rows) == set(demo.ACCOUNT_IDS)
        assert set(rows["partner"]) == {
            "id", "username", "display_name", "role", "organisation_id", "created_at",
            "disabled", "disabled_at", "locked", "locked_until",
        }  # fmt: skip
        assert (rows["partner"]["organisation_id"], rows["partner"]["role"]) == (
            demo.PARTNER_ORGANISATION_ID,
            "partner",
        )
        assert (rows["operator"]["disabled"], rows["operator"]["locked"]) == (False, False)

        for username, role in [("operator", Role.OPERATOR), ("director", Role.DIRECTOR), ("partner", Role.PARTNER)]:
            refused = await http.get(ACCOUNTS, headers=as_demo(issuer, username, role))
            assert refused.status_code == 403, username
            assert (
                await http.post(f"{ACCOUNTS}/{PARTNER}/sessions/end", headers=as_demo(issuer, username, role))
            ).status_code == 403
        assert (await http.get(ACCOUNTS)).status_code == 401
        assert (await http.put(f"{ACCOUNTS}/{PARTNER}/disabled", json={"disabled": True})).status_code == 401

        # A signed-out admin's token is refused at once.
        admin_token = await token_of(http, "admin")
        assert (await http.get(ACCOUNTS, headers=bearer(admin_token))).status_code == 200
        assert (await http.post("/api/v1/auth/logout", headers=bearer(admin_token))).status_code == 204
        revoked = await http.put(f"{ACCOUNTS}/{PARTNER}/disabled", json={"disabled": True}, headers=bearer(admin_token))
        assert revoked.status_code == 401 and revoked.json()["detail"] == "token revoked"
    assert not (await account(runtime, PARTNER)).disabled_at, "no refused request changed anything"
    assert await audit(runtime) == []


async def test_a_disabled_partner_is_cut_off_at_once_and_every_account_can_be_unlocked_or_ended(intake):
    runtime, issuer = intake
    admin = as_demo(issuer, "admin", Role.ADMIN)
    async with client(runtime) as http:
        partner = await token_of(http, "partner")
        assert (await http.get(ACCOUNTS, headers=bearer(partner))).status_code == 403, "a live token: only not allowed"
        disabled = await http.put(f"{ACCOUNTS}/{PARTNER}/disabled", json={"disabled": True}, headers=admin)
        assert disabled.status_code == 200 and disabled.json()["disabled"] is True
        refused = await http.get(ACCOUNTS, headers=bearer(partner))
        assert refused.status_code == 401 and refused.json()["detail"] == "token revoked"
        assert (await signed_in(http, "partner")).status_code == 401
        assert (await http.put(f"{ACCOUNTS}/{PARTNER}/disabled", json={"disabled": False}, headers=admin)).json()[
            "disabled"
        ] is False
        assert (await signed_in(http, "partner")).status_code == 200

        # Any account's sessions: the director's too (the admin cannot read calls, but can cut them off).
        boss = await token_of(http, "director")
        assert (await http.post(f"{ACCOUNTS}/{DIRECTOR}/sessions/end", headers=admin)).status_code == 200
        assert (await http.get("/api/v1/director/staff", headers=bearer(boss))).status_code == 401

        # An operator locked after wrong passwords is unlocked, count and all.
        for guess in ("wrong one", "wrong two"):
            assert (await signed_in(http, "operator", guess)).status_code == 401
        assert (await signed_in(http, "operator")).status_code == 429
        listed = {row["username"]: row for row in (await http.get(ACCOUNTS, headers=admin)).json()}
        assert listed["operator"]["locked"] is True
        unlocked = await http.post(f"{ACCOUNTS}/{OPERATOR}/unlock", headers=admin)
        assert unlocked.status_code == 200 and unlocked.json()["locked"] is False
        assert (await signed_in(http, "operator")).status_code == 200

        own = await http.put(f"{ACCOUNTS}/{ADMIN}/disabled", json={"disabled": True}, headers=admin)
        assert own.status_code == 409 and "your own account" in own.json()["detail"]
        unknown = await http.post(f"{ACCOUNTS}/0190b000-0000-7000-8000-0000000000ff/unlock", headers=admin)
        assert unknown.status_code == 404
    async with runtime.db.reader() as session:
        ended = (
            await session.scalars(
                select(SignInSession.ended_why).where(SignInSession.account_id.in_([PARTNER, DIRECTOR]))
            )
        ).all()
    assert sorted(w for w in ended if w) == ["disabled", "ended_by_admin"]
    assert [entry for entry in await audit(runtime) if entry[0] == "admin"] == [
        ("admin", "staff.disabled", PARTNER),
        ("admin", "staff.enabled", PARTNER),
        ("admin", "staff.sessions_ended", DIRECTOR),
        ("admin", "staff.unlocked", OPERATOR),
    ]


async def test_the_admin_creates_and_resets_only_accounts_that_read_no_case_data(intake):
    runtime, issuer = intake
    admin = as_demo(issuer, "admin", Role.ADMIN)
    new = {"username": "leyla.ngo", "display_name": "Leyla", "role": "partner", "password": "a long first password"}
    async with client(runtime) as http:
        no_org = await http.post(ACCOUNTS, json=new, headers=admin)
        assert no_org.status_code == 422 and no_org.json()["detail"][0]["loc"] == ["organisation_id"]
        bad_org = await http.post(ACCOUNTS, json={**new, "organisation_id": "not-a-uuid"}, headers=admin)
        assert bad_org.status_code == 422
        analyst_org = await http.post(
            ACCOUNTS, json={**new, "role": "analyst", "organisation_id": NEW_ORG}, headers=admin
        )
        assert analyst_org.status_code == 422
        for role in ("director", "operator", "service"):
            refused = await http.post(ACCOUNTS, json={**new, "role": role}, headers=admin)
            assert refused.status_code == 403, role
        assert "own identity" in refused.json()["detail"], "no person's account has a service's role"
        director_refused = await http.post(ACCOUNTS, json={**new, "role": "director"}, headers=admin)
        assert director_refused.json()["detail"] == (
            "Accounts of hotline staff (role director) are created and reset by the director only"
        )

        created = await http.post(ACCOUNTS, json={**new, "organisation_id": NEW_ORG}, headers=admin)
        assert created.status_code == 201, created.text
        assert (await http.post(ACCOUNTS, json={**new, "organisation_id": NEW_ORG}, headers=admin)).status_code == 409
        token = await token_of(http, "leyla.ngo", "a long first password")
        assert (await signed_in(http, "leyla.ngo", "a long first password")).json()["role"] == "partner"

        operator_hash = (await account(runtime, OPERATOR)).password_hash
        reset_operator = await http.put(f"{ACCOUNTS}/{OPERATOR}/password", json={"password": "x" * 12}, headers=admin)
        assert reset_operator.status_code == 403 and "director only" in reset_operator.json()["detail"]
        assert (await account(runtime, OPERATOR)).password_hash == operator_hash

        account_id = created.json()["id"]
        reset = await http.put(
            f"{ACCOUNTS}/{account_id}/password", json={"password": "another long one"}, headers=admin
        )
        assert reset.status_code == 200
        assert (await http.get(ACCOUNTS, headers=bearer(token))).status_code == 401, "the old sessions ended"
        assert (await signed_in(http, "leyla.ngo", "a long first password")).status_code == 401
        assert (await signed_in(http, "leyla.ngo", "another long one")).status_code == 200

        # The director keeps the hotline's staff and may not touch a partner's account.
        boss = as_demo(issuer, "director", Role.DIRECTOR)
        assert (await http.post(ACCOUNTS, json={**new, "username": "x.y.z"}, headers=boss)).status_code == 403
        refused = await http.put(
            f"/api/v1/director/staff/{PARTNER}/password", json={"password": "x" * 12}, headers=boss
        )
        assert refused.status_code == 404
        assert (
            await http.put(f"/api/v1/director/staff/{PARTNER}/disabled", json={"disabled": True}, headers=boss)
        ).status_code == 404
    assert await audit(runtime) == [
        ("admin", "staff.created", account_id),
        ("admin", "staff.password_reset", account_id),
    ]
    async with runtime.db.reader() as session:
        stored = await session.get(StaffAccount, account_id)
    assert stored is not None and (stored.role, stored.organisation_id) == ("partner", NEW_ORG)


async def test_the_accounts_page_in_azerbaijani_its_forms_and_their_csrf_check(intake):
    runtime, _issuer = intake
    async with client(runtime) as browser:
        signed = await browser.post(
            "/login", data={"username": "admin", "password": "admin-demo"}, headers={"Origin": ORIGIN}
        )
        assert (signed.status_code, signed.headers["location"]) == (303, "/admin/accounts"), "the admin lands here"
        cookie = browser.cookies[SESSION_COOKIE]
        csrf = csrf_token(cookie, runtime.app.state.service_name)

        page = await browser.get("/admin/accounts?lang=az")
        assert page.status_code == 200
        assert "<h1>Hesablar</h1>" in page.text and 'href="/admin/accounts"' in page.text
        assert "Psixoloq Leyla" in page.text and demo.PARTNER_ORGANISATION_ID in page.text
        assert page.text.count('name="csrf_token"') >= 10
        assert f'action="/admin/accounts/{OPERATOR}/password"' not in page.text, "no reset offered for an operator"
        assert f'action="/admin/accounts/{PARTNER}/password"' in page.text

        forged = await browser.post(
            f"/admin/accounts/{PARTNER}/disabled", data={"disabled": "true"}, headers={"Origin": ORIGIN}
        )
        assert forged.status_code == 403
        assert not (await account(runtime, PARTNER)).disabled_at

        bad = {
            "csrf_token": csrf,
            "username": "A",
            "display_name": "X",
            "role": "analyst",
            "password": "a long first password",
        }
        refused = await browser.post("/admin/accounts", data=bad, headers={"Origin": ORIGIN})
        assert refused.status_code == 422
        field = re.search(r'<input name="username"[^>]*>', refused.text)
        assert field and 'aria-invalid="true"' in field.group() and "autofocus" in field.group()
        assert 'id="problem-create-username"' in refused.text and "kiçik hərflər" in refused.text

        # A rule's refusal (an operator's password is the director's to reset) is said above the list.
        operator_reset = await browser.post(
            f"/admin/accounts/{OPERATOR}/password",
            data={"csrf_token": csrf, "password": "x" * 12},
            headers={"Origin": ORIGIN},
        )
        assert operator_reset.status_code == 403
        assert re.search(r'<div class="error" role="alert" id="refused"[^>]*autofocus>', operator_reset.text)
        assert "yalnız direktor" in operator_reset.text

        done = await browser.post(
            f"/admin/accounts/{PARTNER}/disabled",
            data={"csrf_token": csrf, "disabled": "true"},
            headers={"Origin": ORIGIN},
        )
        assert (done.status_code, done.headers["location"]) == (303, "/admin/accounts?done=disabled")
        assert (await account(runtime, PARTNER)).disabled_at is not None
        shown = await browser.get(done.headers["location"])
        assert "Hesab deaktiv edildi" in shown.text

    async with client(runtime) as anonymous:
        gate = await anonymous.get("/admin/accounts")
        assert (gate.status_code, gate.headers["location"]) == (303, "/login?next=/admin/accounts")
    async with client(runtime) as operator:
        await operator.post(
            "/login", data={"username": "operator", "password": "operator-demo"}, headers={"Origin": ORIGIN}
        )
        assert (await operator.get("/admin/accounts")).status_code == 403
    assert await audit(runtime) == [("admin", "staff.disabled", PARTNER)]
