"""Bad input gets a clear error naming the field, over HTTP (422) and gRPC (INVALID_ARGUMENT),
and changes nothing: no row written, no event emitted."""

from __future__ import annotations

import asyncio
import json

import grpc
import httpx
import nats
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from hotline.referrals.v1 import referrals_pb2, referrals_pb2_grpc
from hotline_common.auth import SESSION_COOKIE, Principal, Role
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


# Security issue 12, item 17: input that once gave a 500 is refused (422 naming the field) and
# writes nothing, on every service.
LONE_SURROGATE = "\ud800"
PAST_INT64 = 2**63  # 9223372036854775808: one past the databases' 64-bit integers
EXTREME_MOMENTS = ("9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00")
MEETING = {"scheduled_for": "2026-12-10T10:00:00+04:00", "place": "Bakı", "agenda": ["NAP"]}
NAP_HEADER = "number,text,executing_bodies,deadline\n"


def send_json(method: str, url: str, headers: dict, body) -> httpx.Response:
    """JSON as a client may write it: lone surrogates as \\u escapes (httpx would refuse to encode them)."""
    return httpx.request(
        method, url, headers={**headers, "content-type": "application/json"}, content=json.dumps(body), timeout=10
    )


def listing(system, service: str, path: str, headers: dict):
    response = httpx.get(f"{system.http_url(service)}{path}", headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    "service, role, path, body, field, listed_at",
    [
        (
            "intake",
            "operator",
            "/api/v1/contacts",
            {**GOOD_CALL, "note": f"a{LONE_SURROGATE}"},
            "body.note",
            "/api/v1/contacts",
        ),
        ("intake", None, "/api/v1/auth/token", {"username": LONE_SURROGATE, "password": "x"}, "body.username", None),
        (
            "referrals",
            "admin",
            "/api/v1/organisations",
            {"name": f"Mərkəz {LONE_SURROGATE}", "kind": "ngo"},
            "body.name",
            "/api/v1/organisations",
        ),
        (
            "coordination",
            "coordinator",
            "/api/v1/meetings",
            {**MEETING, "agenda": ["NAP", "\udfff"]},
            "body.agenda.1",
            "/api/v1/meetings",
        ),
        (
            "reporting",
            "analyst",
            "/api/v1/reports",
            {"kind": "quarterly", "period": f"2026-Q3{LONE_SURROGATE}"},
            "body.period",
            "/api/v1/reports",
        ),
    ],
)
def test_a_lone_surrogate_in_json_is_refused_naming_the_field(
    shared_system, service, role, path, body, field, listed_at
):
    headers = bearer(sign_in(shared_system.http_url("intake"), role)) if role else {}
    before = listing(shared_system, service, listed_at, headers) if listed_at else None
    response = send_json("POST", f"{shared_system.http_url(service)}{path}", headers, body)
    assert field in field_names(response)
    if listed_at:
        assert listing(shared_system, service, listed_at, headers) == before


def test_a_lone_surrogate_in_a_key_or_nested_value_is_refused_and_the_draft_kept(shared_system):
    intake = shared_system.http_url("intake")
    operator = bearer(sign_in(intake, "operator2"))
    draft = httpx.post(f"{intake}/api/v1/drafts", headers=operator).json()
    url = f"{intake}/api/v1/drafts/{draft['id']}"
    nested = send_json(
        "PUT", url, operator, {"version": draft["version"], "fields": {"sheet": {"agency": LONE_SURROGATE}}}
    )
    assert "body.fields.sheet.agency" in field_names(nested)
    keyed = send_json("PUT", url, operator, {"version": draft["version"], "fields": {"sheet": {LONE_SURROGATE: "x"}}})
    assert "body.fields.sheet.\\ud800" in field_names(keyed)
    assert httpx.get(f"{intake}/api/v1/drafts/current", headers=operator).json() == draft


def test_integers_past_64_bits_are_refused_in_queries_and_bodies(shared_system):
    intake = shared_system.http_url("intake")
    director = bearer(sign_in(intake, "director"))
    for path in ("/api/v1/audit", "/api/v1/director/audit"):
        response = httpx.get(f"{intake}{path}", headers=director, params={"before_seq": str(PAST_INT64)})
        assert "query.before_seq" in field_names(response), path

    operator = bearer(sign_in(intake, "operator2"))
    draft = httpx.post(f"{intake}/api/v1/drafts", headers=operator).json()
    response = send_json(
        "PUT", f"{intake}/api/v1/drafts/{draft['id']}", operator, {"version": PAST_INT64, "fields": {}}
    )
    assert "body.version" in field_names(response)
    assert httpx.get(f"{intake}/api/v1/drafts/current", headers=operator).json() == draft


@pytest.mark.parametrize("moment", EXTREME_MOMENTS)
def test_extreme_dates_are_refused_where_the_api_takes_a_time(shared_system, moment):
    system = shared_system
    intake = system.http_url("intake")
    operator = bearer(sign_in(intake, "operator"))
    coordinator = bearer(sign_in(intake, "coordinator"))
    analyst = bearer(sign_in(intake, "analyst"))
    contacts, meetings = (
        listing(system, "intake", "/api/v1/contacts", operator),
        listing(system, "coordination", "/api/v1/meetings", coordinator),
    )
    events = stream_size(system, "intake")

    for field in ("started_at", "follow_up_due_at"):
        response = httpx.post(f"{intake}/api/v1/contacts", headers=operator, json={**GOOD_CALL, field: moment})
        assert f"body.{field}" in field_names(response)
    response = httpx.post(
        f"{system.http_url('coordination')}/api/v1/meetings",
        headers=coordinator,
        json={**MEETING, "scheduled_for": moment},
    )
    assert "body.scheduled_for" in field_names(response)
    for name in ("from_time", "to_time"):
        stats = httpx.get(f"{system.http_url('reporting')}/api/v1/statistics", headers=analyst, params={name: moment})
        assert f"query.{name}" in field_names(stats)
        figures = httpx.get(
            f"{system.http_url('coordination')}/api/v1/hotline-figures", headers=coordinator, params={name: moment}
        )
        assert f"query.{name}" in field_names(figures)
    listed = httpx.get(f"{intake}/api/v1/contacts", headers=operator, params={"since": moment})
    assert "query.since" in field_names(listed)

    assert listing(system, "intake", "/api/v1/contacts", operator) == contacts
    assert listing(system, "coordination", "/api/v1/meetings", coordinator) == meetings
    assert stream_size(system, "intake") == events


def nap_import(system, headers: dict, csv_text: str) -> httpx.Response:
    files = {"file": ("measures.csv", csv_text.encode(), "text/csv")}
    return httpx.post(f"{system.http_url('coordination')}/api/v1/nap/import", headers=headers, files=files, timeout=30)


def test_nap_import_refuses_a_200_kb_cell_and_a_deadline_past_the_years_and_writes_nothing(shared_system):
    system = shared_system
    coordinator = bearer(sign_in(system.http_url("intake"), "coordinator"))
    before = listing(system, "coordination", "/api/v1/nap/measures", coordinator)
    for cell in ("x" * 200_000, '"' + "x" * 200_000 + '"'):
        response = nap_import(system, coordinator, f"{NAP_HEADER}1.1,{cell},Body,2027-01-01\n")
        assert field_names(response) == {"file"}
        assert "10000 characters" in response.json()["detail"][0]["msg"]
    far = nap_import(system, coordinator, f"{NAP_HEADER}1.1,Measure,Body,9999-12-31\n")
    assert field_names(far) == {"line 2: deadline"}
    measure = {"number": "1.1", "text": "Measure", "executing_bodies": ["Body"], "deadline": "9999-12-31"}
    created = httpx.post(f"{system.http_url('coordination')}/api/v1/nap/measures", headers=coordinator, json=measure)
    assert "body.deadline" in field_names(created)
    assert listing(system, "coordination", "/api/v1/nap/measures", coordinator) == before
    assert stream_size(system, "coordination") == 0


def test_nap_measure_numbers_order_without_comparing_a_number_with_a_letter():
    """The listing once compared an int part with a str part (1.2 and 1.b): a 500 for every reader
    from then on. (The fuzz test meets it through the API.)"""
    from coordination.nap.service import number_order

    assert sorted(["1.b", "1.10", "A", "2", "1-3", "1.2"], key=number_order) == ["1.2", "1-3", "1.10", "1.b", "2", "A"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_pages_take_extreme_dates_without_a_server_error(shared_system, day):
    """The pages parse their own dates (query strings): the dashboard names the field, the Working
    Group's pages fall back to their default day or period."""
    system = shared_system
    intake = system.http_url("intake")

    def page(service: str, role: str, path: str, params: dict) -> httpx.Response:
        cookies = {SESSION_COOKIE: sign_in(intake, role)}
        return httpx.get(f"{system.http_url(service)}{path}", params=params, cookies=cookies, timeout=30)

    for name in ("from", "to"):
        dashboard = page("reporting", "analyst", "/", {name: day, "lang": "en"})
        assert dashboard.status_code == 200 and "must be a date in the years 1900 to 2199" in dashboard.text
        assert page("coordination", "coordinator", "/figures", {name: day}).status_code == 200
    assert page("coordination", "coordinator", "/members", {"on": day}).status_code == 200


@pytest.mark.parametrize("number", [str(PAST_INT64), "1000001", "²"])
def test_the_directory_page_refuses_a_page_number_past_its_pages(shared_system, number):
    """A page number once became a row offset past 64 bits, or int("²") (a digit to str.isdigit): 500s."""
    cookies = {SESSION_COOKIE: sign_in(shared_system.http_url("intake"), "admin")}
    response = httpx.get(
        f"{shared_system.http_url('referrals')}/directory", params={"page": number}, cookies=cookies, timeout=30
    )
    assert response.status_code == 422
