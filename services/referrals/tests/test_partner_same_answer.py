"""A partner learns nothing about referrals that are not its own: for another organisation's
referral, its own organisation's draft and a made-up id it gets the same answer (status and body,
the id it asked about aside) on every interface: the partner REST API, the hotline's REST routes,
the portal pages and both gRPC services. In-process (the app `build_runtime` builds, real gRPC on a
free port)."""

from __future__ import annotations

import grpc
import httpx
import pytest

from hotline.referrals.v1 import referrals_pb2, referrals_pb2_grpc
from hotline_common.auth import SESSION_COOKIE, Role
from hotline_common.demo import PARTNER_ORGANISATION_ID
from hotline_common.grpc_server import build_grpc_server
from hotline_common.web.security import CSRF_FIELD, csrf_token
from hotline_devstack.ports import free_port
from hotline_devstack.testing import principal
from referrals.directory.demo import service_id
from referrals.referral import service as referrals
from referrals.referral.schemas import ReferralCreate

MADE_UP = "0190a000-0000-7000-a000-00000000dead"
OPERATOR = principal("operator", subject="op-1")


@pytest.fixture
async def asked(runtime) -> dict[str, str]:
    """The ids a partner asks about: another organisation's sent referral, its own draft, a made-up one."""
    async with runtime.db.transaction() as session:
        elsewhere = await referrals.create_referral(
            session, OPERATOR, _referral(service_id(3), "for another organisation"), runtime.policy
        )
        draft = await referrals.create_referral(
            session, OPERATOR, _referral(service_id(2), "not sent yet", draft=True), runtime.policy
        )
    assert elsewhere.organisation_id != PARTNER_ORGANISATION_ID == draft.organisation_id
    return {"elsewhere": elsewhere.id, "draft": draft.id, "made_up": MADE_UP}


def _referral(service: str, reason: str, *, draft: bool = False) -> ReferralCreate:
    return ReferralCreate(
        contact_id="0190a000-0000-7000-a000-000000000201", service_id=service, reason=reason, draft=draft
    )


def _same(answers: dict[str, tuple[object, str]], ids: dict[str, str], what: str = "") -> None:
    """Equal once the id asked about is taken out."""
    normalised = {which: (status, body.replace(ids[which], "<id>")) for which, (status, body) in answers.items()}
    assert len(set(normalised.values())) == 1, (what, normalised)
    assert "another organisation" not in str(normalised) and "not sent yet" not in str(normalised)


def _partner_token(keys) -> str:
    return keys[0].issue(
        subject="partner-1", role=Role.PARTNER, name="partner", organisation_id=PARTNER_ORGANISATION_ID
    )


REST = [
    ("GET", "/api/v1/partner/referrals/{id}", None),
    ("POST", "/api/v1/partner/referrals/{id}/status", {"to_status": "acknowledged"}),
    ("POST", "/api/v1/partner/referrals/{id}/notes", {"body": "we called her"}),
    ("GET", "/api/v1/referrals/{id}", None),
    ("POST", "/api/v1/referrals/{id}/status", {"to_status": "acknowledged"}),
    ("POST", "/api/v1/referrals/{id}/notes", {"body": "we called her"}),
    ("POST", "/api/v1/referrals/{id}/links", None),
    ("POST", "/api/v1/referrals/{id}/consent/revoke", None),
]


@pytest.mark.parametrize(("method", "path", "body"), REST, ids=[f"{m} {p}" for m, p, _ in REST])
async def test_rest_answers_alike(runtime, keys, asked, method, path, body):
    token = _partner_token(keys)
    transport = httpx.ASGITransport(app=runtime.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://referrals.test") as client:
        answers = {}
        for which, referral_id in asked.items():
            response = await client.request(
                method, path.format(id=referral_id), json=body, headers={"Authorization": f"Bearer {token}"}
            )
            answers[which] = (response.status_code, response.text)
    _same(answers, asked)


PAGES = [
    ("GET", "/portal/referrals/{id}", None),
    ("POST", "/portal/referrals/{id}/status", {"to_status": "acknowledged"}),
    ("POST", "/portal/referrals/{id}/notes", {"body": "we called her"}),
]


@pytest.mark.parametrize(("method", "path", "form"), PAGES, ids=[f"{m} {p}" for m, p, _ in PAGES])
async def test_portal_pages_answer_alike(runtime, keys, asked, method, path, form):
    token = _partner_token(keys)
    transport = httpx.ASGITransport(app=runtime.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://referrals.test") as client:
        client.cookies.set(SESSION_COOKIE, token)
        answers = {}
        for which, referral_id in asked.items():
            data = {CSRF_FIELD: csrf_token(token, "referrals"), **form} if form else None
            response = await client.request(method, path.format(id=referral_id) + "?lang=en", data=data)
            answers[which] = (response.status_code, response.text)
    assert {status for status, _ in answers.values()} == {404}
    _same(answers, asked)


@pytest.fixture
async def grpc_target(runtime):
    port = free_port()
    server, _, _ = build_grpc_server("127.0.0.1", port, runtime.grpc_registrations)
    await server.start()
    yield f"127.0.0.1:{port}"
    await server.stop(None)


async def test_grpc_answers_alike(runtime, keys, asked, grpc_target):
    token = _partner_token(keys)
    metadata = (("authorization", f"Bearer {token}"),)
    async with grpc.aio.insecure_channel(grpc_target) as channel:
        partner = referrals_pb2_grpc.PartnerReferralsServiceStub(channel)
        hotline = referrals_pb2_grpc.ReferralsServiceStub(channel)
        calls = {
            "partner GetReferral": (partner.GetReferral, lambda rid: referrals_pb2.GetReferralRequest(referral_id=rid)),
            "partner ChangeStatus": (partner.ChangeStatus, _status_request),
            "partner AddNote": (
                partner.AddNote,
                lambda rid: referrals_pb2.PartnerNoteRequest(referral_id=rid, body="x"),
            ),
            "GetReferral": (hotline.GetReferral, lambda rid: referrals_pb2.GetReferralRequest(referral_id=rid)),
            "ChangeReferralStatus": (hotline.ChangeReferralStatus, _status_request),
        }
        for name, (method, request) in calls.items():
            answers = {}
            for which, referral_id in asked.items():
                with pytest.raises(grpc.aio.AioRpcError) as refused:
                    await method(request(referral_id), metadata=metadata)
                answers[which] = (refused.value.code(), refused.value.details() or "")
            _same(answers, asked, name)


def _status_request(referral_id: str) -> referrals_pb2.ChangeStatusRequest:
    return referrals_pb2.ChangeStatusRequest(referral_id=referral_id, to_status="acknowledged")
