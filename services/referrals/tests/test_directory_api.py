"""The directory's REST and gRPC interfaces of a real referrals process (its own ports, NATS and
database, on SQLite and PostgreSQL): bad input is a 422 / INVALID_ARGUMENT naming the field, with
nothing changed; editing needs the directory permission; search filters travel over gRPC."""

from __future__ import annotations

import asyncio

import grpc
import httpx
import pytest

from hotline.referrals.v1 import referrals_pb2, referrals_pb2_grpc
from hotline_common.auth import Principal, Role
from hotline_common.service_identity import SelfSignedTokens, call_metadata
from referrals.directory.demo import ORGANISATIONS, service_id

NEW_SERVICE = {
    "organisation_id": ORGANISATIONS[1][0],
    "name": "Psixoloq (Quba)",
    "service_type": "psychologist",
    "region": "Quba",
    "city": "Quba",
    "languages": ["az"],
    "opening_hours": "mon-fri 09:00-17:00",
}


@pytest.fixture
def referrals(referrals_process, database_url):
    with referrals_process(database_url) as process:
        yield process


def fields_of(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    return [".".join(str(part) for part in item["loc"]) for item in response.json()["detail"]]


def test_rest_bad_input_names_the_field_and_changes_nothing(referrals):
    admin = referrals.headers(Role.ADMIN)
    api = f"{referrals.http}/api/v1"
    before = httpx.get(f"{api}/directory/export", headers=admin).text

    assert "body.service_type" in fields_of(
        httpx.post(f"{api}/services", headers=admin, json=NEW_SERVICE | {"service_type": "astrology"})
    )
    assert "opening_hours" in fields_of(
        httpx.patch(f"{api}/services/{service_id(1)}", headers=admin, json={"opening_hours": "mon-fri 9 to 6"})
    )
    assert "longitude" in fields_of(
        httpx.patch(f"{api}/services/{service_id(1)}", headers=admin, json={"longitude": None})
    )
    assert "free_places" in fields_of(
        httpx.put(f"{api}/services/{service_id(4)}/free-places", headers=admin, json={"free_places": 999})
    )
    assert "kind" in fields_of(
        httpx.patch(f"{api}/organisations/{ORGANISATIONS[0][0]}", headers=admin, json={"kind": "club"})
    )
    assert "query.eligibility.0" in fields_of(
        httpx.get(f"{api}/services", headers=admin, params={"eligibility": "pets"})
    )
    broken = before.replace(",psychologist,", ",astrology,", 1).replace(",24/7,", ",whenever,", 1)
    problems = fields_of(httpx.post(f"{api}/directory/import", headers=admin, content=broken.encode()))
    assert len(problems) == 2 and all(p.startswith("line ") for p in problems), problems
    assert httpx.get(f"{api}/directory/export", headers=admin).text == before
    assert httpx.get(f"{api}/directory/history", headers=admin).json() == []


def test_rest_editing_needs_the_directory_permission(referrals):
    api = f"{referrals.http}/api/v1"
    operator = referrals.headers(Role.OPERATOR)
    assert httpx.post(f"{api}/services", headers=operator, json=NEW_SERVICE).status_code == 403
    assert httpx.get(f"{api}/directory/export", headers=operator).status_code == 403
    assert httpx.post(f"{api}/services", json=NEW_SERVICE).status_code == 401
    shelter_user = referrals.headers(Role.PARTNER, ORGANISATIONS[3][0])
    other_partner = referrals.headers(Role.PARTNER, ORGANISATIONS[1][0])
    places = f"{api}/services/{service_id(4)}/free-places"
    assert httpx.put(places, headers=other_partner, json={"free_places": 1}).status_code == 403
    updated = httpx.put(places, headers=shelter_user, json={"free_places": 1})
    assert updated.status_code == 200 and updated.json()["free_places"] == 1

    admin = referrals.headers(Role.ADMIN)
    created = httpx.post(f"{api}/services", headers=admin, json=NEW_SERVICE)
    assert created.status_code == 201, created.text
    sid = created.json()["id"]
    assert httpx.post(f"{api}/services/{sid}/deactivate", headers=admin).json()["active"] is False
    history = httpx.get(f"{api}/directory/history", headers=admin, params={"entity_id": sid}).json()
    assert [h["action"] for h in history] == ["deactivated", "created"]
    assert [s["id"] for s in httpx.get(f"{api}/services", headers=operator, params={"region": "Quba"}).json()] == []


def test_grpc_search_filters_and_invalid_argument(referrals):
    token = referrals.headers(Role.OPERATOR)["Authorization"].removeprefix("Bearer ")

    async def calls():
        async with grpc.aio.insecure_channel(referrals.grpc_target) as channel:
            stub = referrals_pb2_grpc.ReferralsServiceStub(channel)
            meta = (("authorization", f"Bearer {token}"),)
            shelters = await stub.SearchServices(
                referrals_pb2.SearchServicesRequest(service_type="shelter", eligibility=["women", "foreigners"]),
                metadata=meta,
            )
            always_open = await stub.SearchServices(
                referrals_pb2.SearchServicesRequest(region="Baku", open_now=True, limit=100), metadata=meta
            )
            problems = []
            for request in (
                referrals_pb2.SearchServicesRequest(eligibility=["pets"]),
                referrals_pb2.SearchServicesRequest(service_type="astrology"),
                referrals_pb2.SearchServicesRequest(limit=1000),
            ):
                with pytest.raises(grpc.aio.AioRpcError) as raised:
                    await stub.SearchServices(request, metadata=meta)
                assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
                problems.append(raised.value.details())
            return shelters, always_open, problems

    shelters, always_open, problems = asyncio.run(calls())
    assert {s.region for s in shelters.services} == {"Baku", "Ganja"}
    baku = next(s for s in shelters.services if s.region == "Baku")
    assert (baku.capacity, baku.free_places, baku.HasField("latitude")) == (20, 6, True)
    assert [d.weekday for d in baku.hours] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert baku.hours[0].spans == ["00:00-24:00"] and baku.open_now
    # Whatever the hour in Baku, the 24/7 services are open and every result says so.
    assert service_id(2) in {s.id for s in always_open.services}
    assert all(s.open_now for s in always_open.services)
    assert problems[0].startswith("eligibility.0:") and problems[1].startswith("service_type:")
    assert problems[2].startswith("limit:")


def test_no_referral_to_a_deactivated_service_or_organisation_rest_and_grpc(referrals):
    admin, operator = referrals.headers(Role.ADMIN), referrals.headers(Role.OPERATOR)
    api = f"{referrals.http}/api/v1"
    contact = "0190a000-0000-7000-8000-0000000000aa"
    assert httpx.post(f"{api}/services/{service_id(2)}/deactivate", headers=admin).status_code == 200
    assert httpx.post(f"{api}/organisations/{ORGANISATIONS[2][0]}/deactivate", headers=admin).status_code == 200
    refused = httpx.post(
        f"{api}/referrals",
        headers=operator,
        json={"contact_id": contact, "service_id": service_id(2), "reason": "support"},
    )
    assert fields_of(refused) == ["service_id"]
    assert "deactivated" in refused.json()["detail"][0]["msg"]
    token = operator["Authorization"].removeprefix("Bearer ")

    async def create_for_org_c():
        async with grpc.aio.insecure_channel(referrals.grpc_target) as channel:
            stub = referrals_pb2_grpc.ReferralsServiceStub(channel)
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                # As intake sends it: its own identity, and the operator's token for whom it acts.
                metadata = await call_metadata(
                    SelfSignedTokens(referrals.issuer, "intake"), Principal("operator-1", Role.OPERATOR, token=token)
                )
                await stub.CreateReferral(
                    referrals_pb2.CreateReferralRequest(contact_id=contact, service_id=service_id(3), reason="x"),
                    metadata=metadata,
                )
            return raised.value

    error = asyncio.run(create_for_org_c())
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details() == "service_id: the service's organisation is deactivated in the directory"
    assert httpx.get(f"{api}/referrals", headers=operator).json() == []
