"""Every coordination route over HTTP (the FastAPI app in-process, real tokens, both stores): status
codes, refusals naming the field, the protocol's REST life cycle, the pages and the PDF."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from coordination.app import build_runtime
from coordination.settings import CoordinationSettings
from hotline_common.auth import SESSION_COOKIE, Role, TokenIssuer, generate_signing_keypair
from hotline_common.crypto import FieldCipher
from hotline_common.demo import ACCOUNT_IDS
from hotline_common.web.signin import IssuedToken, SignInRefused
from hotline_devstack.testing import csrf_proof

ISSUER, AUDIENCE = "hotline-embedded", "hotline"


@pytest.fixture
async def api(db, database_url, tmp_path):
    private, public = generate_signing_keypair()
    (tmp_path / "pub.pem").write_bytes(public)
    settings = CoordinationSettings(
        http_port=1,
        grpc_port=2,
        database_url=database_url,
        reporting_grpc_target="x:1",
        auth_public_key_file=str(tmp_path / "pub.pem"),
        signing_keyring=FieldCipher.generate_keyring("s1"),
        migrate_on_start=False,
    )
    runtime = build_runtime(settings)
    issuer = TokenIssuer(private, issuer=ISSUER, audience=AUDIENCE)

    def as_(login: str, role: Role = Role.WG_MEMBER) -> dict:
        token = issuer.issue(subject=ACCOUNT_IDS[login], role=role, name=login)
        return {"Authorization": f"Bearer {token}"}

    # Posts made with the session cookie send its CSRF token, as the pages do (hotline_common.web.security).
    hooks = {"request": [csrf_proof("coordination")]}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=runtime.app), base_url="http://coordination", event_hooks=hooks
    ) as c:
        c.head_ = as_("head")
        c.secretary = as_("secretary")
        c.member = as_("wgmember")
        c.coordinator = as_("coordinator", Role.COORDINATOR)
        c.operator = as_("operator", Role.OPERATOR)
        c.cookie_of = lambda headers: {SESSION_COOKIE: headers["Authorization"].removeprefix("Bearer ")}
        c.runtime = runtime
        c.issue = lambda login, role=Role.WG_MEMBER: issuer.issue(subject=ACCOUNT_IDS[login], role=role, name=login)
        yield c
    await runtime.db.dispose()


def future(days: int = 20) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0).isoformat()


async def closed_meeting(api) -> tuple[str, list[dict]]:
    r = await api.post(
        "/api/v1/meetings",
        headers=api.head_,
        json={"scheduled_for": future(), "online": True, "agenda": ["NAP", "Shelters"]},
    )
    assert r.status_code == 201, r.text
    meeting_id = r.json()["id"]
    assert (await api.post(f"/api/v1/meetings/{meeting_id}/agree", headers=api.coordinator)).status_code == 200
    members = (await api.get("/api/v1/members", headers=api.member)).json()
    r = await api.put(
        f"/api/v1/meetings/{meeting_id}/attendance",
        headers=api.secretary,
        json={"entries": [{"member_id": m["id"], "presence": "online"} for m in members]},
    )
    assert r.status_code == 200 and r.json()["quorum"]["has_quorum"]
    assert (await api.post(f"/api/v1/meetings/{meeting_id}/open", headers=api.secretary)).status_code == 200
    r = await api.post(
        f"/api/v1/meetings/{meeting_id}/proposals",
        headers=api.secretary,
        json={"agenda_item": 2, "text": "Open a shelter"},
    )
    assert r.status_code == 201
    proposal_id = r.json()["id"]
    head, wgmember = members[0], next(m for m in members if m["subject"] == ACCOUNT_IDS["wgmember"])
    r = await api.post(
        f"/api/v1/meetings/{meeting_id}/proposals/{proposal_id}/votes",
        headers=api.head_,
        json={"member_id": head["id"], "choice": "for"},
    )
    assert r.status_code == 201
    r = await api.post(
        f"/api/v1/meetings/{meeting_id}/proposals/{proposal_id}/votes",
        headers=api.member,
        json={"member_id": wgmember["id"], "choice": "against"},
    )
    assert r.status_code == 201
    r = await api.post(f"/api/v1/meetings/{meeting_id}/proposals/{proposal_id}/decide", headers=api.secretary)
    assert r.json()["outcome"] == "adopted" and r.json()["decided_by_head"]
    r = await api.put(f"/api/v1/meetings/{meeting_id}/notes", headers=api.secretary, json={"notes": "Discussed."})
    assert r.status_code == 200
    r = await api.post(
        f"/api/v1/meetings/{meeting_id}/assignments",
        headers=api.secretary,
        json={"agenda_item": 1, "text": "Report", "owner": "DİN", "deadline": "2030-01-01"},
    )
    assert r.status_code == 201 and r.json()["assignments"][0]["owner"] == "DİN"
    assert (await api.post(f"/api/v1/meetings/{meeting_id}/close", headers=api.secretary)).status_code == 200
    return meeting_id, members


async def test_meeting_routes_and_their_refusals(api):
    assert (await api.get("/api/v1/meetings")).status_code == 401
    assert (await api.get("/api/v1/meetings", headers=api.operator)).status_code == 403
    r = await api.post(
        "/api/v1/meetings", headers=api.member, json={"scheduled_for": future(), "online": True, "agenda": ["X"]}
    )
    assert r.status_code == 403  # a plain member does not propose meetings
    r = await api.post(
        "/api/v1/meetings", headers=api.secretary, json={"scheduled_for": future(), "online": True, "agenda": ["X"]}
    )
    assert r.status_code == 403  # the secretary prepares, the head proposes
    r = await api.post("/api/v1/meetings", headers=api.head_, json={"scheduled_for": future(), "agenda": ["X"]})
    assert r.status_code == 422 and "place" in r.text
    r = await api.post(
        "/api/v1/meetings", headers=api.head_, json={"scheduled_for": future(30), "online": True, "agenda": ["X"]}
    )
    drafted = await api.put(
        f"/api/v1/meetings/{r.json()['id']}/agenda", headers=api.secretary, json={"agenda": ["X", "Y"]}
    )
    assert drafted.status_code == 200 and drafted.json()["agenda"] == ["X", "Y"]
    assert (
        await api.put(f"/api/v1/meetings/{r.json()['id']}/agenda", headers=api.secretary, json={"agenda": []})
    ).status_code == 422
    compliance = (await api.get("/api/v1/compliance", headers=api.member)).json()
    assert compliance["quarters"][0]["scheduled"] >= 1
    meeting_id, members = await closed_meeting(api)
    listed = (await api.get("/api/v1/meetings", headers=api.member)).json()
    assert meeting_id in [m["id"] for m in listed] and len(listed) == 2
    record = (await api.get(f"/api/v1/meetings/{meeting_id}", headers=api.member)).json()
    assert record["status"] == "closed" and record["notes"] == "Discussed."
    r = await api.put(
        f"/api/v1/meetings/{meeting_id}/attendance",
        headers=api.secretary,
        json={"entries": [{"member_id": members[0]["id"], "presence": "replaced"}]},
    )
    assert r.status_code == 422  # a replacement needs a name
    r = await api.post(
        f"/api/v1/meetings/{meeting_id}/assignments",
        headers=api.member,
        json={"agenda_item": 1, "text": "X", "owner": "Y", "deadline": "2030-01-01"},
    )
    assert r.status_code == 403
    assert (await api.get("/api/v1/meetings/nope", headers=api.member)).status_code == 404


async def test_protocol_routes_sign_verify_export_rotate_and_pdf(api, artifacts_dir, database_url):
    meeting_id, _ = await closed_meeting(api)
    assert (
        await api.post(f"/api/v1/meetings/{meeting_id}/protocols", headers=api.secretary, json={})
    ).status_code == 403
    r = await api.post(f"/api/v1/meetings/{meeting_id}/protocols", headers=api.head_, json={})
    assert r.status_code == 201, r.text
    protocol = r.json()
    assert (await api.post(f"/api/v1/meetings/{meeting_id}/protocols", headers=api.head_, json={})).status_code == 409
    r = await api.post(
        f"/api/v1/meetings/{meeting_id}/protocols", headers=api.head_, json={"supersedes": protocol["id"]}
    )
    assert r.status_code == 422 and "correction_reason" in r.text
    assert (await api.get(f"/api/v1/protocols/{protocol['id']}", headers=api.member)).json()["digest"] == protocol[
        "digest"
    ]
    assert len((await api.get(f"/api/v1/meetings/{meeting_id}/protocols", headers=api.member)).json()) == 1
    verified = (await api.post(f"/api/v1/protocols/{protocol['id']}/verify", headers=api.member)).json()
    assert verified["valid"] is True
    exported = (await api.get(f"/api/v1/protocols/{protocol['id']}/export", headers=api.member)).json()
    assert (await api.post("/api/v1/protocols/verify", headers=api.member, json=exported)).json()["valid"]
    forged = dict(exported, body=exported["body"].replace("Discussed.", "Not discussed."))
    result = (await api.post("/api/v1/protocols/verify", headers=api.member, json=forged)).json()
    assert result["valid"] is False and "signature" in result["reason"]
    assert (await api.post("/api/v1/signing-keys/rotate", headers=api.member)).status_code == 403
    rotated = await api.post("/api/v1/signing-keys/rotate", headers=api.head_)
    assert rotated.status_code == 201
    keys = (await api.get("/api/v1/signing-keys", headers=api.member)).json()
    assert len(keys) == 2 and sum(k["retired_at"] is None for k in keys) == 1
    assert (await api.post(f"/api/v1/protocols/{protocol['id']}/verify", headers=api.member)).json()["valid"]
    pdf = await api.get(f"/api/v1/protocols/{protocol['id']}/pdf", headers=api.member)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    if database_url.startswith("sqlite"):  # for a person to look at (pdftoppm -png)
        (artifacts_dir / "coordination-protocol.pdf").write_bytes(pdf.content)
    assert (await api.get(f"/api/v1/protocols/{protocol['id']}/pdf", headers=api.operator)).status_code == 403


async def test_pages_render_in_three_languages_and_refuse_with_a_message(api):
    meeting_id, _ = await closed_meeting(api)
    r = await api.get("/meetings")  # without a session: to the sign-in page, and back afterwards
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/meetings"
    r = await api.get(r.headers["location"])
    assert r.status_code == 200 and 'lang="az"' in r.text and 'name="next" value="/meetings"' in r.text
    for lang, heading in (
        ("az", "İşçi qrupunun iclasları"),
        ("en", "Meetings of the Working Group"),
        ("ru", "Заседания Рабочей группы"),
    ):
        r = await api.get(f"/meetings?lang={lang}", cookies=api.cookie_of(api.head_))
        assert r.status_code == 200 and heading in r.text
    page = await api.get(f"/meetings/{meeting_id}?lang=en", cookies=api.cookie_of(api.head_))
    assert "Sign the protocol" in page.text and "3 × present ≥ 2 × members" in page.text
    assert "decided by the head" in page.text
    # A member who is not the head gets no sign button, and a forged POST is refused with the reason.
    page = await api.get(f"/meetings/{meeting_id}?lang=en", cookies=api.cookie_of(api.member))
    assert "Sign the protocol" not in page.text
    refused = await api.post(f"/meetings/{meeting_id}/sign?lang=en", cookies=api.cookie_of(api.member))
    assert refused.status_code == 403 and "only the head" in refused.text
    signed = await api.post(f"/meetings/{meeting_id}/sign", cookies=api.cookie_of(api.head_))
    assert signed.status_code == 303 and signed.headers["location"].startswith("/protocols/")
    protocol_url = signed.headers["location"]
    verified = await api.post(f"{protocol_url}/verify?lang=en", cookies=api.cookie_of(api.member))
    assert verified.status_code == 200 and "Signature valid" in verified.text
    pdf = await api.get(f"{protocol_url}/protocol.pdf", cookies=api.cookie_of(api.member))
    assert pdf.content.startswith(b"%PDF") and pdf.headers["content-type"] == "application/pdf"


async def test_nap_routes_import_report_evidence_and_pages(api):
    csv = (
        "number,text,executing_bodies,recommended_institutions,deadline,indicators\n"
        "1.1,Train inspectors,Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi,,2020-01-01,100 trained\n"
    ).encode()
    r = await api.post("/api/v1/nap/import", headers=api.member, files={"file": ("plan.csv", csv, "text/csv")})
    assert r.status_code == 403
    r = await api.post(
        "/api/v1/nap/import",
        headers=api.secretary,
        files={"file": ("plan.csv", csv + b"1.2,,X,,2027-01-01,\n", "text/csv")},
    )
    assert r.status_code == 422 and "line 3: text" in r.text
    r = await api.post("/api/v1/nap/import", headers=api.secretary, files={"file": ("plan.csv", csv, "text/csv")})
    assert r.json() == {"created": 1, "updated": 0}
    [measure] = (await api.get("/api/v1/nap/measures?overdue=true", headers=api.member)).json()
    assert measure["overdue"] is True
    r = await api.post(
        f"/api/v1/nap/measures/{measure['id']}/progress",
        headers=api.member,
        data={"body": "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi", "status": "done", "text": "All done"},
        files={"files": ("akt.pdf", b"%PDF-1.4 evidence", "application/pdf")},
    )
    assert r.status_code == 201, r.text
    evidence = r.json()["progress"][0]["evidence"][0]
    download = await api.get(f"/api/v1/nap/evidence/{evidence['id']}", headers=api.head_)
    assert download.content == b"%PDF-1.4 evidence" and "akt.pdf" in download.headers["content-disposition"]
    r = await api.put(
        f"/api/v1/nap/measures/{measure['id']}",
        headers=api.coordinator,
        json={"number": "1.1", "text": "Edited", "executing_bodies": ["A"], "deadline": "2030-01-01"},
    )
    assert r.status_code == 200 and r.json()["text"] == "Edited"
    r = await api.post(
        "/api/v1/nap/measures",
        headers=api.coordinator,
        json={"number": "1.1", "text": "Dup", "executing_bodies": ["A"], "deadline": "2030-01-01"},
    )
    assert r.status_code == 422 and "number" in r.text
    by_body = (await api.get("/api/v1/nap/progress-by-body", headers=api.member)).json()
    assert by_body[0]["body"] == "A"
    page = await api.get("/nap?lang=en", cookies=api.cookie_of(api.secretary))
    assert page.status_code == 200 and "Import measures" in page.text and "Edited" in page.text
    page = await api.get(f"/nap/measures/{measure['id']}?lang=en", cookies=api.cookie_of(api.member))
    assert "akt.pdf" in page.text and "Edit the measure" not in page.text


async def test_exchange_routes_and_pages(api):
    participants = (await api.get("/api/v1/participants", headers=api.member)).json()
    assert ACCOUNT_IDS["head"] in {p["subject"] for p in participants}
    r = await api.post(
        "/api/v1/messages",
        headers=api.member,
        json={"title": "Shelter idea", "body": "Let us discuss", "to_all": True, "is_proposal": True},
    )
    assert r.status_code == 201
    message_id = r.json()["id"]
    r = await api.post("/api/v1/messages", headers=api.member, json={"title": "X", "body": "Y", "recipients": ["?"]})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["recipients", "0"]
    assert (await api.post(f"/api/v1/messages/{message_id}/read", headers=api.head_)).json()["read_at"]
    r = await api.post(f"/api/v1/messages/{message_id}/replies", headers=api.head_, json={"title": "Re", "body": "Yes"})
    assert r.status_code == 201
    assert (await api.post(f"/api/v1/messages/{message_id}/agenda", headers=api.secretary)).status_code == 409
    await api.post(
        "/api/v1/meetings", headers=api.head_, json={"scheduled_for": future(), "online": True, "agenda": ["NAP"]}
    )
    r = await api.post(f"/api/v1/messages/{message_id}/agenda", headers=api.secretary)
    assert r.status_code == 200 and r.json()["meeting_id"]
    inbox = (await api.get("/api/v1/messages", headers=api.member)).json()
    assert {m["title"] for m in inbox} == {"Shelter idea", "Re"}
    r = await api.post(
        "/api/v1/library",
        headers=api.member,
        data={"title": "Guide", "kind": "practice", "description": "How we screen", "body": "DİN"},
        files={"file": ("guide.txt", b"steps", "text/plain")},
    )
    assert r.status_code == 201
    assert (
        await api.post(
            "/api/v1/library", headers=api.member, data={"title": "G", "kind": "poem", "description": "D", "body": "B"}
        )
    ).status_code == 422
    [item] = (await api.get("/api/v1/library?q=screen", headers=api.secretary)).json()
    assert (await api.get(f"/api/v1/library/{item['id']}/file", headers=api.head_)).content == b"steps"
    for path, text in (
        ("/messages", "Shelter idea"),
        (f"/messages/{message_id}", "Read receipts"),
        ("/library?q=guide", "How we screen"),
    ):
        page = await api.get(path + ("&" if "?" in path else "?") + "lang=en", cookies=api.cookie_of(api.member))
        assert page.status_code == 200 and text in page.text, path
    page = await api.get("/figures?lang=en", cookies=api.cookie_of(api.member))
    assert page.status_code == 503 and "Hotline figures" in page.text  # reporting is not running here


async def test_member_and_vote_routes_over_http(api):
    r = await api.post(
        "/api/v1/members", headers=api.member, json={"full_name": "New Rep", "body": "Body", "body_kind": "ngo"}
    )
    assert r.status_code == 403
    r = await api.post(
        "/api/v1/members", headers=api.coordinator, json={"full_name": "New Rep", "body": "Body", "body_kind": "club"}
    )
    assert r.status_code == 422 and "body_kind" in r.text
    proposed = (
        await api.post(
            "/api/v1/members",
            headers=api.coordinator,
            json={"full_name": "New Rep", "body": "Body", "body_kind": "ngo"},
        )
    ).json()
    second = (
        await api.post(
            "/api/v1/members",
            headers=api.coordinator,
            json={"full_name": "Other Rep", "body": "Body", "body_kind": "ngo"},
        )
    ).json()
    assert (
        await api.post(
            f"/api/v1/members/{second['id']}/reject", headers=api.coordinator, json={"reason": "not a specialised NGO"}
        )
    ).json()["status"] == "rejected"
    approved = await api.post(
        f"/api/v1/members/{proposed['id']}/approve", headers=api.coordinator, json={"valid_from": "2026-01-01"}
    )
    assert approved.status_code == 200
    assert (
        await api.post(
            f"/api/v1/members/{proposed['id']}/approve", headers=api.coordinator, json={"valid_from": "2026-01-01"}
        )
    ).status_code == 409
    ended = await api.post(
        f"/api/v1/members/{proposed['id']}/end", headers=api.coordinator, json={"valid_to": "2026-06-30"}
    )
    assert ended.json()["valid_to"] == "2026-06-30"
    on_day = (await api.get("/api/v1/members?on=2026-03-01&status=approved", headers=api.member)).json()
    assert proposed["id"] in {m["id"] for m in on_day}
    assert proposed["id"] not in {
        m["id"] for m in (await api.get("/api/v1/members?on=2026-07-01", headers=api.member)).json()
    }

    r = await api.post(
        "/api/v1/meetings", headers=api.head_, json={"scheduled_for": future(), "online": True, "agenda": ["NAP"]}
    )
    meeting_id = r.json()["id"]
    await api.post(f"/api/v1/meetings/{meeting_id}/agree", headers=api.coordinator)
    members = (await api.get("/api/v1/members?status=approved", headers=api.member)).json()
    current = [m for m in members if m["valid_to"] is None]
    entries = [{"member_id": m["id"], "presence": "online"} for m in current[:-1]]
    entries.append({"member_id": current[-1]["id"], "presence": "absent"})
    await api.put(f"/api/v1/meetings/{meeting_id}/attendance", headers=api.secretary, json={"entries": entries})
    await api.post(f"/api/v1/meetings/{meeting_id}/open", headers=api.secretary)
    proposal_id = (
        await api.post(
            f"/api/v1/meetings/{meeting_id}/proposals", headers=api.secretary, json={"agenda_item": 1, "text": "X"}
        )
    ).json()["id"]
    votes = f"/api/v1/meetings/{meeting_id}/proposals/{proposal_id}/votes"
    assert (
        await api.post(votes, headers=api.secretary, json={"member_id": current[0]["id"], "choice": "for"})
    ).status_code == 201
    assert (
        await api.post(votes, headers=api.secretary, json={"member_id": current[0]["id"], "choice": "against"})
    ).status_code == 409  # a second vote
    assert (
        await api.post(votes, headers=api.secretary, json={"member_id": current[-1]["id"], "choice": "for"})
    ).status_code == 409  # absent
    assert (
        await api.post(votes, headers=api.member, json={"member_id": current[0]["id"], "choice": "for"})
    ).status_code == 403  # not as someone else
    assert (
        await api.post(votes, headers=api.secretary, json={"member_id": current[0]["id"], "choice": "maybe"})
    ).status_code == 422
    listed = (await api.get(f"/api/v1/meetings/{meeting_id}/proposals", headers=api.member)).json()
    assert [len(p["votes"]) for p in listed] == [1]
    decided = await api.post(f"/api/v1/meetings/{meeting_id}/proposals/{proposal_id}/decide", headers=api.secretary)
    assert decided.json()["outcome"] == "adopted"
    assert (
        await api.post(f"/api/v1/meetings/{meeting_id}/proposals/{proposal_id}/decide", headers=api.secretary)
    ).status_code == 409


async def test_the_protocol_page_shows_a_tampered_protocol_as_invalid(api, db):
    from sqlalchemy import text, update

    from coordination.protocols.models import Protocol

    meeting_id, _ = await closed_meeting(api)
    protocol = (await api.post(f"/api/v1/meetings/{meeting_id}/protocols", headers=api.head_, json={})).json()
    async with db.transaction() as session:  # what only a database superuser could do
        if session.bind.dialect.name == "postgresql":
            await session.execute(text("ALTER TABLE wg_protocols DISABLE TRIGGER wg_protocols_immutable"))
        else:
            await session.execute(text("DROP TRIGGER wg_protocols_no_update"))
        row = await session.get(Protocol, protocol["id"])
        forged = row.body.replace("Discussed.", "Nothing was discussed.")
        await session.execute(
            update(Protocol)
            .where(Protocol.id == protocol["id"])
            .values(body=forged)
            .execution_options(synchronize_session=False)
        )
    page = await api.post(f"/protocols/{protocol['id']}/verify?lang=en", cookies=api.cookie_of(api.member))
    assert page.status_code == 200 and "Signature INVALID" in page.text and "digest" in page.text
    result = (await api.post(f"/api/v1/protocols/{protocol['id']}/verify", headers=api.member)).json()
    assert result["valid"] is False


async def test_the_members_page_lets_the_coordinator_decide_proposals(api):
    cookies = api.cookie_of(api.coordinator)
    r = await api.post("/members", cookies=cookies, data={"full_name": "Rep", "body": "NGO X", "body_kind": "ngo"})
    assert r.status_code == 303
    page = await api.get("/members?lang=en", cookies=cookies)
    assert "Proposed representatives" in page.text and "Rep" in page.text and "Approve" in page.text
    [proposed] = (await api.get("/api/v1/members?status=proposed", headers=api.coordinator)).json()
    refused = await api.post(f"/members/{proposed['id']}/reject?lang=en", cookies=cookies, data={"reason": ""})
    assert refused.status_code == 422 and "reason" in refused.text
    r = await api.post(f"/members/{proposed['id']}/approve", cookies=cookies, data={"valid_from": "2026-01-01"})
    assert r.status_code == 303
    forbidden = await api.post(
        f"/members/{proposed['id']}/end", cookies=api.cookie_of(api.member), data={"valid_to": "2026-02-01"}
    )
    assert forbidden.status_code == 403
    member_view = await api.get("/members?lang=en&on=2026-01-02", cookies=api.cookie_of(api.member))
    assert "Rep" in member_view.text and "Approve" not in member_view.text


async def test_a_file_added_on_the_library_page_is_kept(api):
    """The page's form upload (request.form() yields Starlette's UploadFile) keeps the file; a type
    check against FastAPI's subclass once dropped it without a word."""
    added = await api.post(
        "/library",
        cookies=api.cookie_of(api.member),
        data={"title": "Screening guide", "kind": "practice", "description": "How we screen", "body": "DİN"},
        files={"file": ("guide.txt", b"the steps", "text/plain")},
    )
    assert added.status_code == 303, added.text
    [item] = (await api.get("/api/v1/library?q=Screening", headers=api.secretary)).json()
    assert (await api.get(f"/api/v1/library/{item['id']}/file", headers=api.head_)).content == b"the steps"


async def test_the_working_group_signs_in_and_out_on_coordination(api):
    async def sign_in(username: str, password: str) -> IssuedToken:  # the issuer's token endpoint, in-process
        if password != f"{username}-demo":
            raise SignInRefused(401, "Wrong username or password")
        return IssuedToken(api.issue(username), 3600)

    unconfigured = await api.post("/login", data={"username": "head", "password": "head-demo"})
    assert unconfigured.status_code == 503 and 'id="login-error"' in unconfigured.text  # no AUTH_TOKEN_URL here
    api.runtime.sign_in.sign_in = sign_in
    gate = await api.get("/nap?overdue=1")
    assert gate.status_code == 303 and gate.headers["location"] == "/login?next=/nap%3Foverdue%3D1"
    form = await api.get(gate.headers["location"])
    assert form.status_code == 200 and 'action="/login"' in form.text and 'value="/nap?overdue=1"' in form.text
    wrong = await api.post("/login?lang=ru", data={"username": "head", "password": "x"})
    assert wrong.status_code == 401 and "Неверное имя пользователя или пароль" in wrong.text
    signed = await api.post("/login", data={"username": "head", "password": "head-demo", "next": "/nap?overdue=1"})
    assert signed.status_code == 303 and signed.headers["location"] == "/nap?overdue=1"
    assert SESSION_COOKIE in api.cookies
    for path in ("/meetings", "/members", "/nap", "/messages", "/library"):
        page = await api.get(path)
        assert page.status_code == 200 and 'action="/logout"' in page.text, path
    out = await api.post("/logout")
    assert out.status_code == 303 and out.headers["location"] == "/login" and SESSION_COOKIE not in api.cookies
    assert (await api.get("/meetings")).status_code == 303
    home = await api.post("/login", data={"username": "secretary", "password": "secretary-demo"})
    assert home.headers["location"] == "/meetings"


async def test_refusals_are_told_in_the_page_language_beside_their_fields(api):
    secretary, coordinator = api.cookie_of(api.secretary), api.cookie_of(api.coordinator)
    r = await api.post("/nap/import?lang=az", cookies=secretary, files={"file": ("plan.txt", b"x", "text/plain")})
    assert r.status_code == 422 and "Rədd edildi" in r.text and ".csv və ya .xlsx faylı verin" in r.text
    assert "give a .csv" not in r.text
    assert 'aria-describedby="problem-import-file"' in r.text and 'id="problem-import-file"' in r.text
    csv = (
        "number,text,executing_bodies,recommended_institutions,deadline,indicators\n"
        "1.1,Train,DİN,,2020-01-01,x\n1.2,,X,,31.12.2027,\n1.1,Again,DİN,,2020-01-01,x\n"
    ).encode()
    r = await api.post("/nap/import?lang=ru", cookies=secretary, files={"file": ("plan.csv", csv, "text/csv")})
    assert r.status_code == 422
    for told in ("строка 3: text", "строка 3: deadline: Укажите дату", "строка 4: number: Повторяет строку 2"):
        assert told in r.text, told
    assert "line 3" not in r.text and "String should" not in r.text and "Input should" not in r.text
    await api.post("/members", cookies=coordinator, data={"full_name": "Rep", "body": "NGO X", "body_kind": "ngo"})
    [proposed] = (await api.get("/api/v1/members?status=proposed", headers=api.coordinator)).json()
    r = await api.post(f"/members/{proposed['id']}/reject?lang=az", cookies=coordinator, data={"reason": " "})
    beside = f'<span class="field-error" id="problem-reject-{proposed["id"]}-reason">Ən azı 1 simvol yazın</span>'
    assert r.status_code == 422 and beside in r.text
    r = await api.post(
        f"/members/{proposed['id']}/end?lang=az", cookies=api.cookie_of(api.member), data={"valid_to": "2027-01-01"}
    )
    assert r.status_code == 403 and "Bu əməliyyat rolunuza daxil deyil" in r.text and "may not" not in r.text
    r = await api.get("/meetings/nope?lang=ru", cookies=secretary)
    assert r.status_code == 404 and "Такого заседания нет" in r.text
    r = await api.get("/meetings?lang=en", cookies=api.cookie_of(api.operator))
    assert r.status_code == 403 and "Your role does not include this page." in r.text


async def test_code_labels_are_words_on_english_pages(api):
    page = await api.get("/library?lang=en", cookies=api.cookie_of(api.member))
    assert '<option value="document">Document</option>' in page.text and "kind:" not in page.text
    meeting_id, _ = await closed_meeting(api)
    page = await api.get(f"/meetings/{meeting_id}?lang=en", cookies=api.cookie_of(api.secretary))
    assert '<span class="badge" id="status">Closed</span>' in page.text and "presence:" not in page.text
