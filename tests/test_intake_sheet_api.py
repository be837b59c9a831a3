"""The record sheet over intake's real HTTP API in a started system: a whole sheet recorded, every
event that reached JetStream scanned for the demo PII, bad codes refused with the field named and
nothing changed, the alert list for the director only, list filters, and script editing rights."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import nats
import pytest

from hotline_devstack.testing import bearer, sign_in, wait_until

NOTE = "Nigar Aliyeva, +994 55 765 43 21, lives near the Ganja bus station"
AGENCY = "Golden Star Recruitment, Ahmad Huseynov, +90 532 111 22 33"
PII = ["Nigar", "Aliyeva", "765 43 21", "Ganja bus", "Golden Star", "Huseynov", "111 22 33"]


def sheet(**changes) -> dict:
    started = datetime.now(UTC) - timedelta(minutes=20)
    body = {
        "line": "152",
        "caller_role": "presumed_victim",
        "purpose": "report_trafficking",
        "started_at": started.isoformat(),
        "ended_at": (started + timedelta(minutes=12)).isoformat(),
        "caller_sex": "female",
        "caller_age_group": "18_24",
        "caller_country": "AE",
        "caller_language": "az",
        "motive": "exploitation_now",
        "destination_country": "AE",
        "agency": AGENCY,
        "indicators": ["passport_taken", "threats_to_caller"],
        "police_report": "consented",
        "exploitation_types": ["sexual"],
        "state_at_start": "crisis",
        "state_at_end": "anxious",
        "crisis_support": True,
        "tactics": ["contact_embassy"],
        "advice_given": ["embassy_contacts"],
        "follow_up_needed": True,
        "follow_up_due_at": (started + timedelta(days=2)).isoformat(),
        "note": NOTE,
    }
    body.update(changes)
    return body


def stream_messages(system) -> list[tuple[str, bytes]]:
    async def read() -> list[tuple[str, bytes]]:
        nc = await nats.connect(system.nats_url)
        try:
            js = nc.jetstream()
            stream = f"{system.config.namespace.upper()}_INTAKE"
            info = await js.stream_info(stream)
            out = []
            if info.state.messages == 0:  # an empty stream reports first_seq 0, which get_msg refuses
                return out
            for seq in range(info.state.first_seq, info.state.last_seq + 1):
                msg = await js.get_msg(stream, seq)
                out.append((msg.subject, msg.data or b""))
            return out
        finally:
            await nc.close()

    return asyncio.run(read())


@pytest.fixture(scope="module")
def intake(shared_system):
    return shared_system.http_url("intake")


def test_a_whole_sheet_and_its_alert_reach_jetstream_without_any_pii(shared_system, intake):
    operator = bearer(sign_in(intake, "operator"))
    created = httpx.post(f"{intake}/api/v1/contacts", headers=operator, json=sheet(), timeout=10)
    assert created.status_code == 201, created.text
    contact = created.json()
    assert (contact["risk_level"], contact["duration_seconds"]) == ("high", 720)
    assert "agency" not in contact and "note" not in contact

    def both_published():
        subjects = [s for s, _ in stream_messages(shared_system)]
        return subjects if any(s.endswith("screening.high_risk.v1") for s in subjects) else None

    wait_until(both_published, timeout=20, message="the contact and its high-risk alert published")
    for subject, payload in stream_messages(shared_system):
        for pii in PII:
            assert pii.encode() not in payload, (subject, pii)

    director = bearer(sign_in(intake, "director"))
    alerts = httpx.get(f"{intake}/api/v1/alerts", headers=director).json()
    assert contact["id"] in [a["contact_id"] for a in alerts]
    assert httpx.get(f"{intake}/api/v1/alerts", headers=operator).status_code == 403
    detail = httpx.get(
        f"{intake}/api/v1/contacts/{contact['id']}", params={"reason": "api test"}, headers=operator
    ).json()
    assert (detail["agency"], detail["note"]) == (AGENCY, NOTE)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"caller_sex": "robot"}, "caller_sex"),
        ({"indicators": ["passport_taken", "aliens"]}, "indicators.1"),
        ({"labour_industry": "construction"}, "labour_industry"),
        ({"follow_up_due_at": None}, "follow_up_due_at"),
        ({"tactics": ["run"]}, "tactics.0"),
        ({"agency": "x" * 301}, "body.agency"),
        ({"caller_id": "0190a000-0000-7000-8000-0000000000f9"}, "caller_id"),
    ],
)
def test_bad_sheet_input_is_refused_naming_the_field_and_changes_nothing(shared_system, intake, change, field):
    operator = bearer(sign_in(intake, "operator"))
    before = httpx.get(f"{intake}/api/v1/contacts", headers=operator).json()
    events_before = len(stream_messages(shared_system))
    response = httpx.post(f"{intake}/api/v1/contacts", headers=operator, json=sheet(**change), timeout=10)
    assert response.status_code == 422, response.text
    assert field in {".".join(str(p) for p in d["loc"]) for d in response.json()["detail"]}
    assert httpx.get(f"{intake}/api/v1/contacts", headers=operator).json() == before
    assert len(stream_messages(shared_system)) == events_before


def test_list_filters_and_bad_filters_over_http(intake):
    operator = bearer(sign_in(intake, "operator"))
    mine = httpx.post(
        f"{intake}/api/v1/contacts",
        headers=operator,
        timeout=10,
        json=sheet(line="562-21-12", indicators=[], police_report=""),
    ).json()
    listed = httpx.get(
        f"{intake}/api/v1/contacts",
        headers=operator,
        params={"line": "562-21-12", "open_follow_up": "true", "risk_level": "none"},
    ).json()
    assert mine["id"] in [c["id"] for c in listed["items"]]
    assert all(c["line"] == "562-21-12" for c in listed["items"])
    bad = httpx.get(f"{intake}/api/v1/contacts", headers=operator, params={"risk_level": "extreme"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "risk_level"


def test_only_the_director_edits_scripts_and_operators_find_them(intake):
    operator = bearer(sign_in(intake, "operator"))
    director = bearer(sign_in(intake, "director"))
    body = {
        "purpose": "advice_study_abroad",
        "destination_country": "DE",
        "language": "en",
        "title": "Germany",
        "body": "Check the university's accreditation",
    }
    assert httpx.post(f"{intake}/api/v1/scripts", headers=operator, json=body).status_code == 403
    saved = httpx.post(f"{intake}/api/v1/scripts", headers=director, json=body)
    assert saved.status_code == 201 and saved.json()["version"] == 1
    found = httpx.get(
        f"{intake}/api/v1/scripts/find",
        headers=operator,
        params={"purpose": "advice_study_abroad", "destination_country": "DE", "language": "en"},
    ).json()
    assert found["version_id"] == saved.json()["version_id"]
    stale = httpx.post(f"{intake}/api/v1/scripts", headers=director, json={**body, "base_version": 5})
    assert stale.status_code == 409
