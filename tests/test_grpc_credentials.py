"""Every gRPC method of every service needs a credential, and service-to-service methods take only a
service's own identity (hotline_common.service_identity), over real sockets of the running system.

The methods are found by reflection on each service, so a new method is checked too: no token is
UNAUTHENTICATED everywhere but health and reflection (probes and tooling; they name methods, never
data); a person's token on a service-to-service method is PERMISSION_DENIED; the event replay of each
producer answers only its consumers. Consented values reach referrals only from intake's identity."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import grpc
import httpx
import pytest
from google.protobuf import descriptor_pool
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

import hotline.coordination.v1.coordination_pb2
import hotline.intake.v1.intake_pb2
import hotline.reporting.v1.reporting_pb2  # noqa: F401 - registers the services' descriptors
from hotline.events.v1 import replay_pb2
from hotline.referrals.v1 import referrals_pb2, referrals_pb2_grpc
from hotline_common.events.replay import READERS
from hotline_common.service_identity import call_metadata
from hotline_devstack.system import SERVICES
from hotline_devstack.testing import bearer, sign_in

# Answer without a credential, on purpose (see the module's docstring).
OPEN = {"grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection"}
# Only a service's own token passes these; a person's never does.
SERVICE_TO_SERVICE = {"hotline.events.v1.EventLog/Replay", "hotline.referrals.v1.ReferralsService/CreateReferral"}
PEOPLE = ("operator", "director", "partner", "coordinator", "secretary", "analyst", "admin")


async def methods_of(target: str) -> list[str]:
    async with grpc.aio.insecure_channel(target) as channel:
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        answers = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
        names = [s.name async for a in answers for s in a.list_services_response.service]
    pool = descriptor_pool.Default()
    return [f"{n}/{m.name}" for n in names if n not in OPEN for m in pool.FindServiceByName(n).methods]


async def status_of(target: str, method: str, metadata=(), request: bytes = b"") -> grpc.StatusCode:
    """The status of calling `method` with an empty (or given) request; OK when it answered."""
    async with grpc.aio.insecure_channel(target) as channel:
        call = channel.unary_unary(f"/{method}", request_serializer=bytes, response_deserializer=bytes)
        try:
            await call(request, metadata=metadata, timeout=10)
        except grpc.aio.AioRpcError as exc:
            return exc.code()
    return grpc.StatusCode.OK


def tokens_of(system) -> dict[str, str]:
    intake = system.http_url("intake")
    return {person: sign_in(intake, person) for person in PEOPLE}


def test_every_method_needs_a_credential_and_a_persons_token_never_passes_a_service_method(shared_system):
    system = shared_system
    people = tokens_of(system)

    async def check() -> dict[str, list[str]]:
        wrong: dict[str, list[str]] = {}
        for service in SERVICES:
            target = system.grpc_target(service)
            methods = await methods_of(target)
            assert "hotline.events.v1.EventLog/Replay" in methods
            for method in methods:
                if await status_of(target, method) != grpc.StatusCode.UNAUTHENTICATED:
                    wrong.setdefault("answered without a token", []).append(f"{service} {method}")
                if method not in SERVICE_TO_SERVICE:
                    continue
                for person, token in people.items():
                    if await status_of(target, method, (("authorization", f"Bearer {token}"),)) != (
                        grpc.StatusCode.PERMISSION_DENIED
                    ):
                        wrong.setdefault("a person's token passed", []).append(f"{service} {method} {person}")
        return wrong

    assert asyncio.run(check()) == {}


def test_each_producer_replays_to_its_consumers_only(shared_system):
    system = shared_system

    async def check() -> dict[tuple[str, str], grpc.StatusCode]:
        found = {}
        for producer in SERVICES:
            for reader in SERVICES:
                metadata = await call_metadata(system.service_tokens(reader))
                request = replay_pb2.ReplayRequest(up_to_seq=1).SerializeToString()
                found[producer, reader] = await status_of(
                    system.grpc_target(producer), "hotline.events.v1.EventLog/Replay", metadata, request
                )
        return found

    expected = {
        (producer, reader): grpc.StatusCode.OK if reader in READERS[producer] else grpc.StatusCode.PERMISSION_DENIED
        for producer in SERVICES
        for reader in SERVICES
    }
    assert asyncio.run(check()) == expected
    assert {r for readers in READERS.values() for r in readers} == {"intake", "reporting"}


def test_the_readers_table_is_what_the_services_consume():
    from intake.callers import events as caller_events
    from intake.contact import events as contact_events
    from reporting.statistics.events import CONSUMERS

    consumed: dict[str, dict[str, set[str]]] = {}
    for producer, handlers in CONSUMERS.values():
        consumed.setdefault(producer, {}).setdefault("reporting", set()).update(h.subject for h in handlers)
    intake_reads = {h.subject for h in contact_events.HANDLERS + caller_events.HANDLERS}
    consumed.setdefault("referrals", {})["intake"] = intake_reads
    table = {p: {r: set(s) for r, s in readers.items()} for p, readers in READERS.items() if readers}
    assert table == consumed


def _consent(values: dict[str, str]) -> dict:
    until = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    return {"fields": sorted(values), "purpose": "contact the caller", "valid_until": until, "data": values}


def test_consented_values_reach_referrals_only_from_intakes_identity(shared_system):
    system = shared_system
    intake, referrals = system.http_url("intake"), system.http_url("referrals")
    operator_token = sign_in(intake, "operator")
    operator = bearer(operator_token)
    contact = httpx.post(
        f"{intake}/api/v1/contacts",
        headers=operator,
        json={"line": "152", "caller_role": "victim", "purpose": "information"},
        timeout=10,
    ).json()
    service_id = httpx.get(f"{intake}/api/v1/directory/services", headers=operator, timeout=10).json()[0]["id"]
    typed = {"name": "Typed Name", "phone": "+994 50 000 00 00"}
    before = httpx.get(f"{referrals}/api/v1/referrals", headers=operator, timeout=10).json()

    # An operator straight to referrals' REST API with client-typed "consented" values: refused.
    posted = httpx.post(
        f"{referrals}/api/v1/referrals",
        headers=operator,
        json={"contact_id": contact["id"], "service_id": service_id, "reason": "x", "consent": _consent(typed)},
        timeout=10,
    )
    assert posted.status_code == 403, posted.text
    assert "only from intake" in posted.text

    def create(metadata):
        request = referrals_pb2.CreateReferralRequest(contact_id=contact["id"], service_id=service_id, reason="x")
        request.consent.fields.extend(["name"])
        request.consent.purpose = "contact the caller"
        request.consent.data["name"] = "From intake"
        request.consent.valid_until.FromDatetime(datetime.now(UTC) + timedelta(days=7))

        async def call():
            async with grpc.aio.insecure_channel(system.grpc_target("referrals")) as channel:
                return await referrals_pb2_grpc.ReferralsServiceStub(channel).CreateReferral(
                    request, metadata=await metadata()
                )

        return asyncio.run(call())

    async def operator_alone():
        return (("authorization", f"Bearer {operator_token}"),)

    async def another_service_for_the_operator():
        return await call_metadata(system.service_tokens("reporting"), _principal(operator_token))

    for metadata in (operator_alone, another_service_for_the_operator):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            create(metadata)
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert httpx.get(f"{referrals}/api/v1/referrals", headers=operator, timeout=10).json() == before

    # What intake does: its own identity, and the operator's token for whom it acts.
    async def intake_for_the_operator():
        return await call_metadata(system.service_tokens("intake"), _principal(operator_token))

    created = create(intake_for_the_operator)
    assert created.consent_given and created.contact_id == contact["id"]
    # And intake's own API (intake -> referrals with both tokens) still refers.
    referred = httpx.post(
        f"{intake}/api/v1/contacts/{contact['id']}/referrals",
        headers=operator,
        json={"service_id": service_id, "reason": "support"},
        timeout=10,
    )
    assert referred.status_code == 201, referred.text


def _principal(token: str):
    from hotline_common.auth import Principal, Role

    return Principal(subject="operator", role=Role.OPERATOR, token=token)
