"""Bad input gets a clear error naming the field, over HTTP (422) and gRPC (INVALID_ARGUMENT),
and changes nothing: no row written, no event emitted."""

from __future__ import annotations

import asyncio

import grpc
import httpx
import nats
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from hotline.referrals.v1 import referrals_pb2, referrals_pb2_grpc
from hotline_common.auth import Principal, Role
from hotline_common.service_identity import call_metadata
from hotline_devstack.testing import bearer, sign_in

GOOD_CALL = {"line": "152", "caller_role": "victim", "purpose": "information"}


def stream_size(system, producer: str) -> int:
    async def size() -> int:
        nc = await nats.connect(system.nats_url)
        try:
            info = await nc.jetstream().stream_info(f"{system.config.namespace.upper()}_{producer.upper()}")
            return info.state.messages
        finally:
            await nc.close()

    return asyncio.run(size())


def field_names(response: httpx.Response) -> set[str]:
    assert response.status_code == 422, response.text
    return {".".join(str(p) for p in item["loc"]) for item in response.json()["detail"]}


@pytest.mark.parametrize(
    "change, field",
    [
        ({"line": "999"}, "body.line"),
        ({"purpose": None}, "body.purpose"),
        ({"caller_role": "villain"}, "body.caller_role"),
        ({"note": "x" * 10_001}, "body.note"),
        ({"started_at": "2099-01-01T00:00:00+04:00"}, "started_at"),
        ({"started_at": "2026-01-01T10:00:00"}, "started_at"),
        ({"caller_name": "should not be accepted"}, "body.caller_name"),
    ],
)
def test_intake_rejects_bad_calls_and_changes_nothing(shared_system, change, field):
    system = shared_system
    intake = system.http_url("intake")
    operator = bearer(sign_in(intake, "operator"))
    contacts_before = httpx.get(f"{intake}/api/v1/contacts", headers=operator).json()
    events_before = stream_size(system, "intake")
    body = {k: v for k, v in {**GOOD_CALL, **change}.items() if v is not None}
    response = httpx.post(f"{intake}/api/v1/contacts", headers=operator, json=body)
    assert field in field_names(response)
    assert httpx.get(f"{intake}/api/v1/contacts", headers=operator).json() == contacts_before
    assert stream_size(system, "intake") == events_before


def test_bad_referrals_rejected_on_http_and_grpc_with_nothing_written(system):
    intake = system.http_url("intake")
    token = sign_in(intake, "operator")
    operator = bearer(token)
    contact = httpx.post(f"{intake}/api/v1/contacts", headers=operator, json=GOOD_CALL).json()
    [service] = httpx.get(
        f"{intake}/api/v1/directory/services", headers=operator, params={"service_type": "shelter", "region": "Baku"}
    ).json()

    # Through intake's HTTP API (intake → referrals over gRPC → back as 422).
    refer = f"{intake}/api/v1/contacts/{contact['id']}/referrals"
    unknown = "0190a000-0000-7000-9000-999999999999"
    assert "service_id" in field_names(httpx.post(refer, headers=operator, json={"service_id": unknown, "reason": "x"}))
    assert "body.urgency" in field_names(
        httpx.post(refer, headers=operator, json={"service_id": service["id"], "reason": "x", "urgency": "whenever"})
    )
    assert "body.reason" in field_names(
        httpx.post(refer, headers=operator, json={"service_id": service["id"], "reason": ""})
    )

    # Straight to referrals over gRPC.
    async def grpc_calls():
        async with grpc.aio.insecure_channel(system.grpc_target("referrals")) as channel:
            stub = referrals_pb2_grpc.ReferralsServiceStub(channel)
            # As intake sends it: its own identity, and the operator's token for whom it acts.
            meta = await call_metadata(
                system.service_tokens("intake"), Principal("operator", Role.OPERATOR, token=token)
            )
            details = []
            for request in (
                referrals_pb2.CreateReferralRequest(
                    contact_id=contact["id"], service_id=service["id"], reason="x", urgency="whenever"
                ),
                referrals_pb2.CreateReferralRequest(contact_id="not-an-id", service_id=service["id"], reason="x"),
                referrals_pb2.CreateReferralRequest(contact_id=contact["id"], service_id=unknown, reason="x"),
            ):
                with pytest.raises(grpc.aio.AioRpcError) as raised:
                    await stub.CreateReferral(request, metadata=meta)
                assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
                details.append(raised.value.details())
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await stub.SearchServices(referrals_pb2.SearchServicesRequest())
            assert raised.value.code() == grpc.StatusCode.UNAUTHENTICATED
            return details

    urgency, contact_id, service_id = asyncio.run(grpc_calls())
    assert urgency.startswith("urgency:") and contact_id.startswith("contact_id:")
    assert service_id == "service_id: no such service in the directory"

    assert httpx.get(f"{system.http_url('referrals')}/api/v1/referrals", headers=operator).json() == []
    assert stream_size(system, "referrals") == 0
    detail = httpx.get(f"{intake}/api/v1/contacts/{contact['id']}", headers=operator).json()
    assert detail["referrals"] == []


def test_other_services_name_the_bad_field(shared_system):
    system = shared_system
    intake = system.http_url("intake")
    coordinator = bearer(sign_in(intake, "coordinator"))
    meetings = f"{system.http_url('coordination')}/api/v1/meetings"
    assert "body.scheduled_for" in field_names(
        httpx.post(
            meetings,
            headers=coordinator,
            json={"scheduled_for": "2026-12-10T10:00:00", "place": "Bakı", "agenda": ["NAP"]},
        )
    )
    assert "body.agenda" in field_names(
        httpx.post(
            meetings,
            headers=coordinator,
            json={"scheduled_for": "2026-12-10T10:00:00+04:00", "place": "Bakı", "agenda": []},
        )
    )
    assert "place" in field_names(
        httpx.post(
            meetings, headers=coordinator, json={"scheduled_for": "2026-12-10T10:00:00+04:00", "agenda": ["NAP"]}
        )
    )
    assert stream_size(system, "coordination") == 0
    stats = f"{system.http_url('reporting')}/api/v1/statistics"
    response = httpx.get(
        stats, headers=coordinator, params={"from_time": "2026-12-01T00:00:00Z", "to_time": "2026-11-01T00:00:00Z"}
    )
    assert response.status_code == 422 and "from_time must be before to_time" in response.text


def test_every_service_answers_grpc_health_and_reflection(shared_system):
    system = shared_system

    async def check(target: str, expected: str):
        async with grpc.aio.insecure_channel(target) as channel:
            health = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=expected))
            assert health.status == health_pb2.HealthCheckResponse.SERVING
            stub = reflection_pb2_grpc.ServerReflectionStub(channel)
            async for answer in stub.ServerReflectionInfo(
                iter([reflection_pb2.ServerReflectionRequest(list_services="")])
            ):
                return {s.name for s in answer.list_services_response.service}

    for name in ("intake", "referrals", "coordination", "reporting"):
        expected = f"hotline.{name}.v1.{name.capitalize()}Service"
        names = asyncio.run(check(system.grpc_target(name), expected))
        assert expected in names and "grpc.health.v1.Health" in names
