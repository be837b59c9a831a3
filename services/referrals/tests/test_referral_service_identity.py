"""Consented values reach referrals only from intake's service identity (hotline_common.service_identity):
an operator's own request with a client-typed "consent" is refused on REST (403) and on gRPC, where
CreateReferral takes only intake's token with the operator's. The referrals app in process (httpx's
ASGI transport) and its gRPC servicers on a free port, SQLite, real tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import grpc
import httpx
import pytest

from hotline.referrals.v1 import referrals_pb2, referrals_pb2_grpc
from hotline_common.auth import Principal, Role
from hotline_common.demo import PARTNER_ORGANISATION_ID
from hotline_common.grpc_server import build_grpc_server
from hotline_common.service_identity import SelfSignedTokens, call_metadata
from hotline_devstack.ports import free_port

CONTACT = "0190a000-0000-7000-9000-000000000001"


@pytest.fixture
async def api(runtime, keys):
    issuer = keys[0]
    operator = issuer.issue(subject="operator-1", role=Role.OPERATOR, name="operator")
    port = free_port()
    server, _, _ = build_grpc_server("127.0.0.1", port, runtime.grpc_registrations)
    await server.start()
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=runtime.app), base_url="http://referrals")
    async with http, grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        services = (await http.get("/api/v1/services", headers={"Authorization": f"Bearer {operator}"})).json()
        service_id = next(s["id"] for s in services if s["organisation_id"] == PARTNER_ORGANISATION_ID)
        yield http, referrals_pb2_grpc.ReferralsServiceStub(channel), issuer, operator, service_id
    await server.stop(0)
    await runtime.db.dispose()


def consent_body(values: dict[str, str]) -> dict:
    until = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    return {"fields": sorted(values), "purpose": "call back", "valid_until": until, "data": values}


def grpc_request(service_id: str) -> referrals_pb2.CreateReferralRequest:
    request = referrals_pb2.CreateReferralRequest(contact_id=CONTACT, service_id=service_id, reason="support")
    request.consent.fields.append("name")
    request.consent.purpose = "call back"
    request.consent.data["name"] = "Leyla"
    request.consent.valid_until.FromDatetime(datetime.now(UTC) + timedelta(days=7))
    return request


async def test_an_operators_own_request_with_consented_values_is_refused(api):
    http, _, _, operator, service_id = api
    headers = {"Authorization": f"Bearer {operator}"}
    typed = {"contact_id": CONTACT, "service_id": service_id, "reason": "support"}
    refused = await http.post(
        "/api/v1/referrals", headers=headers, json={**typed, "consent": consent_body({"name": "Typed", "phone": "1"})}
    )
    assert refused.status_code == 403, refused.text
    assert "only from intake" in refused.json()["detail"]
    assert (await http.get("/api/v1/referrals", headers=headers)).json() == []
    # Without consented values an operator still refers directly, as before.
    assert (await http.post("/api/v1/referrals", headers=headers, json=typed)).status_code == 201


async def test_create_referral_over_grpc_takes_intakes_identity_only(api):
    _, stub, issuer, operator, service_id = api
    for metadata in (
        (("authorization", f"Bearer {operator}"),),
        await call_metadata(
            SelfSignedTokens(issuer, "reporting"), Principal("operator-1", Role.OPERATOR, token=operator)
        ),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.CreateReferral(grpc_request(service_id), metadata=metadata)
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    intake = await call_metadata(
        SelfSignedTokens(issuer, "intake"), Principal("operator-1", Role.OPERATOR, token=operator)
    )
    created = await stub.CreateReferral(grpc_request(service_id), metadata=intake)
    assert created.consent_given and created.contact_id == CONTACT
    # Intake alone, for nobody: a service has no operator's permission to refer.
    with pytest.raises(grpc.aio.AioRpcError) as alone:
        await stub.CreateReferral(
            grpc_request(service_id), metadata=await call_metadata(SelfSignedTokens(issuer, "intake"))
        )
    assert alone.value.code() == grpc.StatusCode.PERMISSION_DENIED
