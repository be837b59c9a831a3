"""One access decision for every read of a caller's identity-bearing data, on every route and on
gRPC: the call's operator (or an operator linked to the caller) reads with their link as the
audited purpose; operator2, with no link, is refused until they state a reason, and then the read
is flagged to the director and on the audit chain. Only the follow-up's operator or the director
closes it. Reasons and free text travel in bodies, never in URLs."""

import sys
from datetime import timedelta
from pathlib import Path

import grpc
import pytest

from hotline.intake.v1 import intake_pb2, intake_pb2_grpc
from hotline_common.auth import Role
from hotline_common.db import utcnow
from hotline_common.grpc_server import build_grpc_server
from hotline_devstack.ports import free_port

sys.path.insert(0, str(Path(__file__).parent))  # pytest's importlib mode adds no test dir
from journal_helpers import DIRECTOR, OPERATOR, OPERATOR2

NOTE = "Nigar, +994 55 765 43 21, lives near the Ganja bus station"
AGENCY = "Golden Visa Travel"
REASON = "she called the night line again"
SHEET = {"line": "152", "caller_role": "victim", "purpose": "report_trafficking"}


async def recorded_call(api) -> dict:
    """operator's call, linked to the caller profile operator made, with a note, an agency and a follow-up."""
    operator = api.client(OPERATOR, Role.OPERATOR)
    caller = (await operator.post("/api/v1/callers", json={"name": "Nigar Aliyeva"})).json()
    due = (utcnow() + timedelta(days=1)).isoformat()
    contact = await operator.post(
        "/api/v1/contacts",
        json={
            **SHEET,
            "caller_id": caller["id"],
            "note": NOTE,
            "agency": AGENCY,
            "follow_up_needed": True,
            "follow_up_due_at": due,
        },
    )
    assert contact.status_code == 201, contact.text
    return {"contact": contact.json()["id"], "caller": caller["id"]}


async def audit(api, record_id: str) -> list[dict]:
    director = api.client(DIRECTOR, Role.DIRECTOR)
    return (await director.get("/api/v1/audit", params={"record_id": record_id})).json()


# Each read of identity-bearing data: the URL without a reason, the URL with the reason in the body,
# which record it reads, its audited action, and a value of the record the answer carries.
READS = [
    ("/api/v1/contacts/{contact}", "/api/v1/contacts/{contact}/read", "contact", "contact.read", NOTE),
    ("/api/v1/contacts/{contact}", "/api/v1/contacts/{contact}/read", "contact", "contact.read", AGENCY),
    ("/api/v1/callers/{caller}/journal", "/api/v1/callers/{caller}/journal", "caller", "caller.journal.read", NOTE),
    ("/api/v1/callers/{caller}/merges", "/api/v1/callers/{caller}/merges", "caller", "caller.merges.read", "[]"),
]


@pytest.mark.parametrize("get_url, post_url, record, action, shown", READS)
async def test_a_read_without_a_link_needs_a_reason_and_is_flagged(api, get_url, post_url, record, action, shown):
    ids = await recorded_call(api)
    stranger, director = api.client(OPERATOR2, Role.OPERATOR), api.client(DIRECTOR, Role.DIRECTOR)
    before = len(await audit(api, ids[record]))

    refused = [
        await stranger.get(get_url.format(**ids)),
        # A reason in the URL is not one: it would end up in traces and logs.
        await stranger.get(get_url.format(**ids), params={"reason": REASON}),
        await stranger.post(post_url.format(**ids), json={}),
        await stranger.post(post_url.format(**ids), json={"reason": "look"}),
    ]
    for response in refused:
        assert response.status_code == 403 and "(reason, at least 10 characters)" in response.json()["detail"]
        assert NOTE not in response.text and AGENCY not in response.text
    assert len(await audit(api, ids[record])) == before, "a refused read reads nothing and logs nothing"

    opened = await stranger.post(post_url.format(**ids), json={"reason": REASON})
    assert opened.status_code == 200 and shown in opened.text
    entries = await audit(api, ids[record])  # newest first
    [entry] = entries[: len(entries) - before]
    assert (entry["actor_id"], entry["action"], entry["reason"], entry["break_glass"]) == (
        OPERATOR2,
        f"{action}.break_glass",
        REASON,
        True,
    )
    flagged = (await director.get("/api/v1/director/audit", params={"break_glass_only": True})).json()
    assert [(a["record_id"], a["reason"]) for a in flagged] == [(ids[record], REASON)]
    assert (await director.get("/api/v1/director/board")).json()["break_glass_last_day"] == 1


@pytest.mark.parametrize("get_url, post_url, record, action, shown", READS)
async def test_a_linked_operator_reads_with_their_link_as_the_audited_purpose(
    api, get_url, post_url, record, action, shown
):
    ids = await recorded_call(api)
    operator = api.client(OPERATOR, Role.OPERATOR)
    read = await operator.get(get_url.format(**ids))
    assert read.status_code == 200 and shown in read.text
    purpose = "the operator of the call" if record == "contact" else "linked to the caller"
    newest = (await audit(api, ids[record]))[0]
    assert (newest["actor_id"], newest["action"], newest["reason"], newest["break_glass"]) == (
        OPERATOR,
        action,
        purpose,
        False,
    )


async def test_shared_consented_values_need_a_reason_without_a_link(api):
    ids = await recorded_call(api)
    stranger = api.client(OPERATOR2, Role.OPERATOR)
    referral = {
        "service_id": "0" * 36,
        "reason": "legal aid",
        "consent": {
            "fields": ["name"],
            "purpose": "legal aid",
            "valid_until": (utcnow() + timedelta(days=3)).isoformat(),
        },
    }
    refused = await stranger.post(f"/api/v1/contacts/{ids['contact']}/referrals", json=referral)
    assert refused.status_code == 403 and "(access_reason, at least 10 characters)" in refused.json()["detail"]
    assert [a for a in await audit(api, ids["caller"]) if a["actor_id"] == OPERATOR2] == []
    # With a reason the values are read (then referrals, not running here, cannot take the referral).
    await stranger.post(f"/api/v1/contacts/{ids['contact']}/referrals", json={**referral, "access_reason": REASON})
    [shared] = [a for a in await audit(api, ids["caller"]) if a["actor_id"] == OPERATOR2]
    assert (shared["action"], shared["reason"], shared["break_glass"]) == (
        "caller.identity.shared.break_glass",
        REASON,
        True,
    )


@pytest.fixture
async def grpc_target(api):
    port = free_port()
    server, _, _ = build_grpc_server("127.0.0.1", port, api.grpc_registrations)
    await server.start()
    yield f"127.0.0.1:{port}"
    await server.stop(None)


async def test_get_contact_over_grpc_takes_the_same_decision(api, grpc_target):
    ids = await recorded_call(api)

    def token(subject: str) -> str:
        return api.client(subject, Role.OPERATOR).headers["Authorization"]

    async with grpc.aio.insecure_channel(grpc_target) as channel:
        stub = intake_pb2_grpc.IntakeServiceStub(channel)
        request = intake_pb2.GetContactRequest(contact_id=ids["contact"])
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.GetContact(request, metadata=(("authorization", token(OPERATOR2)),))
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED and "reason" in refused.value.details()
        reason = (("authorization", token(OPERATOR2)), ("access-reason-bin", REASON.encode()))
        assert (await stub.GetContact(request, metadata=reason)).id == ids["contact"]
        own = (("authorization", token(OPERATOR)),)
        assert (await stub.GetContact(request, metadata=own)).id == ids["contact"]
    entries = [(a["actor_id"], a["action"], a["reason"], a["interface"]) for a in await audit(api, ids["contact"])]
    assert entries[:2] == [
        (OPERATOR, "contact.read", "the operator of the call", "grpc"),
        (OPERATOR2, "contact.read.break_glass", REASON, "grpc"),
    ]


async def test_only_the_follow_ups_operator_or_the_director_closes_it(api):
    ids = await recorded_call(api)
    url = f"/api/v1/contacts/{ids['contact']}/follow-up-done"
    refused = await api.client(OPERATOR2, Role.OPERATOR).post(url)
    assert refused.status_code == 403
    operator = api.client(OPERATOR, Role.OPERATOR)
    assert (await operator.get(f"/api/v1/contacts/{ids['contact']}")).json()["follow_up_done_at"] is None
    # The director hands the follow-up to operator2: now it is theirs to close, and no longer operator's.
    director = api.client(DIRECTOR, Role.DIRECTOR)
    moved = await director.put(
        f"/api/v1/director/follow-ups/{ids['contact']}/assignee", json={"operator_id": OPERATOR2}
    )
    assert moved.status_code == 200
    assert (await operator.post(url)).status_code == 403
    closed = await api.client(OPERATOR2, Role.OPERATOR).post(url)
    assert closed.status_code == 200 and closed.json()["follow_up_done_at"] is not None
    assert (await director.post(url)).status_code == 200


def test_reasons_and_free_text_are_never_url_parameters(api):
    paths = api.app.openapi()["paths"]
    in_urls = {
        (path, method, p["name"])
        for path, methods in paths.items()
        for method, operation in methods.items()
        for p in operation.get("parameters", [])
        if p["in"] == "query" and ("reason" in p["name"] or p["name"] in ("text", "q", "search"))
    }
    assert in_urls == set()

    def body_fields(path: str) -> set[str]:
        schema = paths[path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        name = schema["$ref"].rsplit("/", 1)[-1]
        return set(api.app.openapi()["components"]["schemas"][name]["properties"])

    for path in (
        "/api/v1/contacts/{contact_id}/read",
        "/api/v1/callers/{caller_id}/journal",
        "/api/v1/callers/{caller_id}/merges",
    ):
        assert "reason" in body_fields(path), path
    assert "text" in body_fields("/api/v1/directory/search")
    assert "access_reason" in body_fields("/api/v1/contacts/{contact_id}/referrals")
