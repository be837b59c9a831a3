"""End to end, as `make run` starts it: an operator records a call and refers the caller; the
referral exists in referrals, reporting counts both, and one trace spans intake → referrals →
reporting."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import nats

from hotline_devstack.testing import bearer, calls_total, last_ended_quarter, sign_in, wait_until

NOTE = "Caller Gulnara Mammadova, phone +994 50 123 45 67, was promised work in Dubai"


def spans(directory: Path) -> list[dict]:
    found = []
    for path in directory.glob("spans-*.jsonl"):
        found += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return found


def stream_payloads(nats_url: str, stream: str) -> list[bytes]:
    async def read() -> list[bytes]:
        nc = await nats.connect(nats_url)
        js = nc.jetstream()
        info = await js.stream_info(stream)
        out = []
        if info.state.messages == 0:  # an empty stream reports first_seq 0, which get_msg refuses
            await nc.close()
            return out
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            msg = await js.get_msg(stream, seq)
            out.append(msg.data + json.dumps(msg.headers or {}).encode())
        await nc.close()
        return out

    return asyncio.run(read())


def test_call_is_referred_counted_and_traced(system, tmp_path):
    intake = system.http_url("intake")
    operator = bearer(sign_in(intake, "operator"))
    analyst = bearer(sign_in(intake, "analyst"))

    with httpx.Client(base_url=intake, headers=operator, timeout=10) as client:
        created = client.post(
            "/api/v1/contacts",
            json={
                "line": "152",
                "caller_role": "potential_victim",
                "purpose": "advice_work_abroad",
                "note": NOTE,
            },
        )
        assert created.status_code == 201, created.text
        contact = created.json()
        services = client.get(
            "/api/v1/directory/services", params={"service_type": "psychologist", "region": "Baku"}
        ).json()
        assert services, "the demo directory has psychologists in Baku"
        referred = client.post(
            f"/api/v1/contacts/{contact['id']}/referrals",
            json={
                "service_id": services[0]["id"],
                "reason": "psychological support after a crisis call",
                "urgency": "urgent",
            },
        )
        assert referred.status_code == 201, referred.text
        referral = referred.json()
        assert referral["status"] == "sent"

    # The referral exists in referrals, addressed to the service's organisation.
    in_referrals = httpx.get(
        f"{system.http_url('referrals')}/api/v1/referrals/{referral['referral_id']}", headers=operator, timeout=10
    )
    assert in_referrals.status_code == 200
    assert in_referrals.json()["contact_id"] == contact["id"]
    assert in_referrals.json()["organisation_id"] == services[0]["organisation_id"]

    # Reporting counts the call and the referral (the director's exact figures); the analyst sees
    # only quarters that have ended, so nothing of this one.
    director_headers = bearer(sign_in(intake, "director"))

    def counted():
        stats = httpx.get(f"{system.http_url('reporting')}/api/v1/statistics", headers=director_headers, timeout=5)
        stats = stats.json()
        return stats if stats["calls_total"] == 1 and stats["referrals_total"] == 1 else None

    director_view = wait_until(counted, timeout=20, message="call and referral counted in reporting")
    assert director_view["newest_event_at"] is not None and director_view["quarters"] is None
    assert director_view["calls_by_purpose"] == {"advice_work_abroad": 1}
    assert director_view["referrals_by_service_type"] == {"psychologist": 1}
    stats = httpx.get(f"{system.http_url('reporting')}/api/v1/statistics", headers=analyst, timeout=5).json()
    assert stats["calls_total"] == 0 and stats["referrals_total"] == 0 and stats["calls_by_purpose"] == {}
    assert stats["quarters"] == []  # the system's first call is in the open quarter

    # The operator reading the contact sees the note and the referral; the read is audited.
    detail = httpx.post(
        f"{intake}/api/v1/contacts/{contact['id']}/read", json={"reason": "follow-up"}, headers=operator, timeout=10
    ).json()
    assert detail["note"] == NOTE
    assert [r["referral_id"] for r in detail["referrals"]] == [referral["referral_id"]]
    director = bearer(sign_in(intake, "director"))
    audit = httpx.get(f"{intake}/api/v1/audit", params={"record_id": contact["id"]}, headers=director).json()
    assert [(a["action"], a["reason"], a["actor_role"]) for a in audit] == [("contact.read", "follow-up", "operator")]

    # One trace follows the referral from intake through referrals to reporting.
    def referral_trace():
        by_trace: dict[str, set[str]] = {}
        for span in spans(tmp_path):
            if span["name"] == "referrals.referral.created.v1 process" and span["service"] == "reporting":
                by_trace.setdefault(span["trace_id"], set())
        for span in spans(tmp_path):
            if span["trace_id"] in by_trace:
                by_trace[span["trace_id"]].add(span["service"])
        return [t for t, services_seen in by_trace.items() if {"intake", "referrals", "reporting"} <= services_seen]

    traces = wait_until(referral_trace, timeout=20, message="a trace spanning intake, referrals and reporting")
    trace_spans = [s for s in spans(tmp_path) if s["trace_id"] == traces[0]]
    kinds = {(s["service"], s["kind"]) for s in trace_spans}
    assert ("intake", "SERVER") in kinds and ("referrals", "SERVER") in kinds
    assert ("referrals", "PRODUCER") in kinds and ("reporting", "CONSUMER") in kinds

    # Nothing personal left the hotline: not in any event, not in any log line.
    ns = system.config.namespace.upper()
    for stream in (f"{ns}_INTAKE", f"{ns}_REFERRALS"):
        for payload in stream_payloads(system.nats_url, stream):
            assert b"Gulnara" not in payload and b"123 45 67" not in payload and b"Dubai" not in payload
    for service in ("intake", "referrals", "coordination", "reporting"):
        log = (system.data_dir / "logs" / f"{service}.log").read_text()
        assert "Gulnara" not in log and "123 45 67" not in log
    # Nor in any span (tests/test_traces_pii.py plants every kind of personal value).
    for path in tmp_path.glob("spans-*.jsonl"):
        exported = path.read_text()
        assert "Gulnara" not in exported and "123 45 67" not in exported and "Dubai" not in exported, path.name


def test_coordination_shows_hotline_figures_from_reporting(system):
    intake = system.http_url("intake")
    operator = bearer(sign_in(intake, "operator"))
    coordinator = bearer(sign_in(intake, "coordinator"))
    # The Group sees whole quarters that have ended: two calls of the last one, one of this one.
    quarter, in_it = last_ended_quarter()
    for purpose, started in (
        ("advice_study_abroad", in_it),
        ("report_trafficking", in_it),
        ("report_trafficking", None),
    ):
        assert (
            httpx.post(
                f"{intake}/api/v1/contacts",
                headers=operator,
                json={
                    "line": "562-21-12",
                    "caller_role": "relative_friend",
                    "purpose": purpose,
                    **({"started_at": started} if started else {}),
                },
            ).status_code
            == 201
        )
    meeting = httpx.post(
        f"{system.http_url('coordination')}/api/v1/meetings",
        headers=coordinator,
        json={
            "scheduled_for": "2026-12-10T10:00:00+04:00",
            "place": "Bakı, Azadlıq pr. 161",
            "agenda": ["NAP progress", "Hotline figures"],
        },
    )
    assert meeting.status_code == 201, meeting.text
    assert meeting.json()["quarter"] == "2026-Q4"

    director = bearer(sign_in(intake, "director"))
    wait_until(lambda: calls_total(system, director) == 3, timeout=20, interval=0.5, message="3 calls counted")

    def figures():
        body = httpx.get(f"{system.http_url('coordination')}/api/v1/hotline-figures", headers=coordinator).json()
        return body if body["calls_total"] == 2 else None

    body = wait_until(figures, timeout=20, message="figures via coordination → reporting gRPC")
    # The meeting and the third call are in the open quarter, which the Group does not see yet.
    assert body["quarters"] == [quarter] and body["meetings_total"] == 0
    # The figures page asked for the running quarter alone: told beside "to", in the page's language.
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Baku")).date().isoformat()
    session = {"hotline_session": coordinator["Authorization"].removeprefix("Bearer ")}
    page = httpx.get(f"{system.http_url('coordination')}/figures", params={"from": today}, cookies=session)
    assert page.status_code == 422 and 'aria-describedby="problem-figures-to"' in page.text
    assert "İşçi Qrupun rəqəmləri başa çatmış tam rübləri əhatə edir" in page.text
    shown = httpx.get(f"{system.http_url('coordination')}/figures", cookies=session)
    assert shown.status_code == 200 and f"{quarter} rübünü əhatə edir" in shown.text
    # The Group gets aggregates only, k-suppressed: two calls make no publishable breakdown.
    assert body["calls_by_purpose"] == {}

    # An operator has no business with Working Group statistics; a partner reads no contacts.
    assert httpx.get(f"{system.http_url('coordination')}/api/v1/hotline-figures", headers=operator).status_code == 403
    partner = bearer(sign_in(intake, "partner"))
    assert httpx.get(f"{intake}/api/v1/contacts", headers=partner).status_code == 403
    assert httpx.get(f"{intake}/api/v1/contacts").status_code == 401


def test_tokens_verify_through_the_issuers_jwks_as_any_oidc_issuer_would(system):
    """Services can trust an external OIDC issuer by its JWKS URL; the built-in issuer publishes one."""
    from hotline_common.auth import Role, TokenVerifier

    intake = system.http_url("intake")
    verifier = TokenVerifier(issuer="hotline-embedded", audience="hotline", jwks_url=f"{intake}/.well-known/jwks.json")
    principal = asyncio.run(verifier.verify(sign_in(intake, "director")))
    assert principal.role == Role.DIRECTOR and principal.name
    wrong = httpx.post(f"{intake}/api/v1/auth/token", json={"username": "director", "password": "guess"})
    assert wrong.status_code == 401
