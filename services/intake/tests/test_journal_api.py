"""The caller journal and director API over real HTTP routing (the intake app in process, real
tokens from the built-in issuer, real database on SQLite and PostgreSQL): bad input gets a clear
422 naming the field and changes nothing; break-glass is refused without a reason; no route edits
or deletes the access audit; the retention command destroys identities."""

import asyncio
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from hotline_common import demo
from hotline_common.auth import SESSION_COOKIE, Role
from hotline_common.crypto import FieldCipher
from hotline_common.db import utcnow
from hotline_devstack.testing import migrated_database
from intake.audit.models import AccessAuditEntry
from intake.callers.models import Caller, CallerKey, CallerMerge, CallerPhone
from intake.database import MIGRATIONS
from intake.settings import IntakeSettings

sys.path.insert(0, str(Path(__file__).parent))  # pytest's importlib mode adds no test dir
from journal_helpers import DIRECTOR, OPERATOR, OPERATOR2, add_contact

PHONE = "+994 50 765 43 21"


async def counts(db) -> dict:
    async with db.reader() as session:
        return {
            m.__tablename__: await session.scalar(select(func.count()).select_from(m))
            for m in (Caller, CallerPhone, CallerKey, CallerMerge, AccessAuditEntry)
        }


def every_route(routes):
    """Routes of the app, through included routers."""
    for route in routes:
        if hasattr(route, "original_router"):
            yield from every_route(route.original_router.routes)
        else:
            yield route


def fields(response) -> list[str]:
    return [".".join(str(p) for p in d["loc"] if p != "body") for d in response.json()["detail"]]


async def test_bad_input_is_refused_naming_the_field_and_changes_nothing(api):
    operator = api.client(OPERATOR, Role.OPERATOR)
    created = await operator.post("/api/v1/callers", json={"name": "Aysel", "phones": [PHONE]})
    assert created.status_code == 201, created.text
    caller_id = created.json()["id"]
    before = await counts(api.db)
    bad = [
        ("POST", "/api/v1/callers", {"danger_flags": ["call_anytime"]}, "danger_flags.0"),
        ("POST", "/api/v1/callers", {"callback_ways": ["pigeon"]}, "callback_ways.0"),
        ("POST", "/api/v1/callers", {"phones": ["+994 50 111 11 11", "42"]}, "phones.1"),
        ("POST", "/api/v1/callers", {"name": "x" * 201}, "name"),
        ("POST", "/api/v1/callers", {"nickname": "A"}, "nickname"),
        ("POST", "/api/v1/callers", {"contact_id": "short"}, "contact_id"),
        ("POST", "/api/v1/callers/lookup", {"phone": "call me"}, "phone"),
        ("POST", "/api/v1/callers/lookup", {}, "phone"),
        ("PATCH", f"/api/v1/callers/{caller_id}", {"danger_flags": ["nope"]}, "danger_flags.0"),
        ("PATCH", f"/api/v1/callers/{caller_id}", {"add_phones": ["1"]}, "phones.0"),
        (
            "POST",
            f"/api/v1/callers/{caller_id}/merge",
            {"into_caller_id": caller_id, "reason": "same person"},
            "into_caller_id",
        ),
        ("POST", f"/api/v1/callers/{caller_id}/merge", {"into_caller_id": "0" * 36, "reason": "x"}, "reason"),
        ("POST", f"/api/v1/callers/{caller_id}/contacts", {"contact_id": "0" * 36}, "contact_id"),
        ("GET", "/api/v1/callers/not-an-id/journal", None, "path.caller_id"),
        ("POST", f"/api/v1/callers/{caller_id}/journal", {"reason": "x" * 301}, "reason"),
        ("POST", f"/api/v1/callers/{caller_id}/journal", {"why": "because"}, "why"),
    ]
    for method, url, body, field in bad:
        response = await operator.request(method, url, json=body)
        assert response.status_code == 422, (url, body, response.text)
        assert any(f.endswith(field) for f in fields(response)), (url, body, response.json())
    assert await counts(api.db) == before


async def test_break_glass_over_http_and_the_directors_audit_view(api):
    operator, stranger = api.client(OPERATOR, Role.OPERATOR), api.client(OPERATOR2, Role.OPERATOR)
    director = api.client(DIRECTOR, Role.DIRECTOR)
    caller_id = (await operator.post("/api/v1/callers", json={"phones": [PHONE]})).json()["id"]
    found = await stranger.post("/api/v1/callers/lookup", json={"phone": "050 765 43 21"})
    assert [(c["id"], c["linked"]) for c in found.json()] == [(caller_id, False)]

    refused = await stranger.get(f"/api/v1/callers/{caller_id}/journal")
    assert refused.status_code == 403 and "state why" in refused.json()["detail"]
    refused = await stranger.post(f"/api/v1/callers/{caller_id}/journal", json={"reason": "look"})
    assert refused.status_code == 403
    # The reason goes in the body, never in the URL.
    opened = await stranger.post(
        f"/api/v1/callers/{caller_id}/journal", json={"reason": "she called the night line again"}
    )
    assert opened.status_code == 200 and opened.json()["break_glass"] is True

    audit = (await director.get("/api/v1/director/audit", params={"break_glass_only": True})).json()
    assert [(a["actor_name"], a["reason"], a["break_glass"]) for a in audit] == [
        ("Operator Elçin", "she called the night line again", True)
    ]
    assert (await director.get("/api/v1/audit")).json()[0]["break_glass"] is True
    # Nobody but the director reads the audit.
    assert (await director.get("/api/v1/director/board")).json()["break_glass_last_day"] == 1
    assert (await operator.get("/api/v1/director/audit")).status_code == 403
    assert (await operator.get("/api/v1/audit")).status_code == 403


async def test_no_interface_edits_or_deletes_the_access_audit(api):
    director = api.client(DIRECTOR, Role.DIRECTOR)
    audit_routes = [r for r in every_route(api.app.routes) if "audit" in getattr(r, "path", "")]
    assert {r.path for r in audit_routes} >= {"/api/v1/audit", "/api/v1/director/audit", "/director/audit"}
    for route in audit_routes:
        assert route.methods <= {"GET", "HEAD"}, route.path
    caller_id = (await api.client(OPERATOR, Role.OPERATOR).post("/api/v1/callers", json={})).json()["id"]
    await director.get(f"/api/v1/callers/{caller_id}/journal")
    before = await counts(api.db)
    for method in ("PUT", "PATCH", "DELETE", "POST"):
        for url in ("/api/v1/audit", "/api/v1/director/audit", "/api/v1/audit/1"):
            assert (await director.request(method, url)).status_code in (404, 405), (method, url)
    assert (await counts(api.db))["access_audit"] == before["access_audit"]


async def test_director_board_reassigns_a_follow_up_and_lists_staff(api):
    operator, director = api.client(OPERATOR, Role.OPERATOR), api.client(DIRECTOR, Role.DIRECTOR)
    caller_id = (await operator.post("/api/v1/callers", json={"phones": [PHONE]})).json()["id"]
    async with api.db.transaction() as session:
        contact_id = await add_contact(
            session, api.vault, caller_id=caller_id, follow_up_due_at=utcnow() - timedelta(hours=1)
        )
    draft = await operator.post("/api/v1/drafts")
    assert draft.status_code in (200, 201), draft.text

    board = (await director.get("/api/v1/director/board")).json()
    assert [c["draft_id"] for c in board["calls_in_progress"]] == [draft.json()["id"]]
    [due] = board["follow_ups_due"]
    assert (due["contact_id"], due["overdue"], due["operator_name"]) == (contact_id, True, "Operator Aynur")
    assert (await operator.get("/api/v1/director/board")).status_code == 403

    bad = await director.put(f"/api/v1/director/follow-ups/{contact_id}/assignee", json={"operator_id": "nobody"})
    assert bad.status_code == 422 and fields(bad) == ["operator_id"]
    moved = await director.put(f"/api/v1/director/follow-ups/{contact_id}/assignee", json={"operator_id": OPERATOR2})
    assert moved.status_code == 200
    [due] = (await director.get("/api/v1/director/board")).json()["follow_ups_due"]
    assert (due["operator_name"], due["reassigned"]) == ("Operator Elçin", True)
    # The follow-up is a link: the new assignee opens the journal without a stated reason.
    opened = await api.client(OPERATOR2, Role.OPERATOR).get(f"/api/v1/callers/{caller_id}/journal")
    assert opened.status_code == 200 and opened.json()["break_glass"] is False

    staff = (await director.get("/api/v1/director/staff")).json()
    assert {"operator", "operator2", "director"} <= {s["username"] for s in staff}
    assert all("password" not in key for s in staff for key in s)


def test_purge_expired_command_destroys_identities_past_retention(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'intake.db'}"
    keyring = FieldCipher.generate_keyring()

    async def prepare() -> str:
        from hotline_devstack.testing import principal
        from intake.callers import service
        from intake.callers.schemas import CallerCreate
        from intake.runtime import build_vault

        db = await migrated_database(MIGRATIONS, url)
        settings = IntakeSettings(
            http_port=1,
            grpc_port=2,
            database_url=url,
            encryption_keyring=keyring,
            referrals_grpc_target="x:1",
            auth_public_key_file=os.devnull,
        )
        vault = build_vault(settings, FieldCipher(keyring))
        async with db.transaction() as session:
            profile = await service.create_caller(session, principal("operator"), vault, CallerCreate(phones=[PHONE]))
            (await session.get(Caller, profile.id)).last_activity_at = utcnow() - timedelta(days=40)
        await db.dispose()
        return profile.id

    async def status(caller_id: str) -> tuple:
        db = await migrated_database(MIGRATIONS, url)
        async with db.reader() as session:
            caller = await session.get(Caller, caller_id)
            result = caller.status, await session.get(CallerKey, caller_id) is None
        await db.dispose()
        return result

    caller_id = asyncio.run(prepare())
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": url,
        "HTTP_PORT": "1",
        "GRPC_PORT": "2",
        "ENCRYPTION_KEYRING": keyring,
        "REFERRALS_GRPC_TARGET": "127.0.0.1:1",
        "AUTH_PUBLIC_KEY_FILE": os.devnull,
    }
    done = subprocess.run(
        [sys.executable, "-m", "intake", "purge-expired"],
        env={**env, "VAULT_RETENTION_DAYS": "60"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "0 caller profiles past 60 days destroyed" in done.stdout
    assert asyncio.run(status(caller_id)) == ("active", False)
    done = subprocess.run(
        [sys.executable, "-m", "intake", "purge-expired"],
        env={**env, "VAULT_RETENTION_DAYS": "30"},
        capture_output=True,
        text=True,
    )
    assert "1 caller profiles past 30 days destroyed" in done.stdout
    assert asyncio.run(status(caller_id)) == ("destroyed", True)
    bad = subprocess.run(
        [sys.executable, "-m", "intake", "purge-expired"],
        env={**env, "VAULT_RETENTION_DAYS": "0"},
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0 and "VAULT_RETENTION_DAYS" in (bad.stdout + bad.stderr).upper()


async def test_the_director_manages_staff_accounts_over_http(api):
    director = api.client(demo.ACCOUNT_IDS["director"], Role.DIRECTOR)
    async with director:
        before = await counts(api.db)
        bad = await director.post(
            "/api/v1/director/staff", json={"username": "A", "display_name": "", "role": "partner", "password": "short"}
        )
        assert bad.status_code == 422
        assert set(fields(bad)) == {"username", "display_name", "role", "password"}
        assert await counts(api.db) == before

        added = await director.post(
            "/api/v1/director/staff",
            json={
                "username": "nigar.h",
                "display_name": "Operator Nigar",
                "role": "operator",
                "password": "a long first password",
            },
        )
        assert added.status_code == 201, added.text
        disabled = await director.put(f"/api/v1/director/staff/{added.json()['id']}/disabled", json={"disabled": True})
        assert disabled.status_code == 200 and disabled.json()["disabled_at"]
        refused = await api.client("op", Role.OPERATOR).post(
            "/api/v1/director/staff",
            json={"username": "x.y.z", "display_name": "X", "role": "operator", "password": "a long first password"},
        )
        assert refused.status_code == 403
        signed_in = await director.post(
            "/api/v1/auth/token", json={"username": "nigar.h", "password": "a long first password"}
        )
        assert signed_in.status_code == 401

        # Pages sign in by the session cookie.
        director.cookies.set(SESSION_COOKIE, director.headers["Authorization"].removeprefix("Bearer "))
        page = await director.get("/director/staff")
        assert page.status_code == 200 and "nigar.h" in page.text and "staff.js" in page.text
