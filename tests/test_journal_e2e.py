"""A referral's outcome reaches the caller's journal across services: the operator refers a caller
(intake → referrals over gRPC), the partner organisation acknowledges and accepts it in referrals,
and `referrals.referral.status_changed.v1` over real NATS moves the referral in intake and writes
the outcome into the journal."""

from __future__ import annotations

import json

import httpx

from hotline_common.demo import PARTNER_ORGANISATION_ID
from hotline_devstack.testing import bearer, sign_in, wait_until


def test_referral_outcomes_flow_into_the_callers_journal(system, tmp_path):
    intake, referrals = system.http_url("intake"), system.http_url("referrals")
    operator, partner = bearer(sign_in(intake, "operator")), bearer(sign_in(intake, "partner"))
    caller = httpx.post(
        f"{intake}/api/v1/callers", headers=operator, timeout=10, json={"phones": ["+994 55 321 00 11"]}
    )
    assert caller.status_code == 201, caller.text
    caller_id = caller.json()["id"]
    contact = httpx.post(
        f"{intake}/api/v1/contacts",
        headers=operator,
        timeout=10,
        json={"line": "152", "caller_role": "victim", "purpose": "psychological_support", "caller_id": caller_id},
    )
    assert contact.status_code == 201, contact.text
    contact_id = contact.json()["id"]

    services = httpx.get(
        f"{intake}/api/v1/directory/services",
        headers=operator,
        timeout=10,
        params={"service_type": "psychologist", "limit": 100},
    ).json()
    service = next(s for s in services if s.get("organisation_id") == PARTNER_ORGANISATION_ID)
    referral = httpx.post(
        f"{intake}/api/v1/contacts/{contact_id}/referrals",
        headers=operator,
        timeout=10,
        json={"service_id": service["id"], "reason": "needs a psychologist", "urgency": "urgent"},
    )
    assert referral.status_code == 201, referral.text
    referral_id = referral.json()["referral_id"]

    for to_status in ("acknowledged", "accepted"):
        moved = httpx.post(
            f"{referrals}/api/v1/referrals/{referral_id}/status",
            headers=partner,
            timeout=10,
            json={"to_status": to_status},
        )
        assert moved.status_code == 200, moved.text

    def outcomes():
        journal = httpx.get(f"{intake}/api/v1/callers/{caller_id}/journal", headers=operator, timeout=10).json()
        changes = [e["details"]["to_status"] for e in journal["timeline"] if e["kind"] == "referral_status"]
        [made] = [e for e in journal["timeline"] if e["kind"] == "referral"]
        return journal if changes == ["accepted", "acknowledged"] and made["details"]["status"] == "accepted" else None

    journal = wait_until(outcomes, timeout=30, message="the referral's outcome in the caller's journal")
    kinds = [e["kind"] for e in journal["timeline"]]
    assert kinds.index("referral_status") < kinds.index("referral") < kinds.index("contact")  # newest first
    detail = httpx.get(
        f"{intake}/api/v1/contacts/{contact_id}",
        headers=operator,
        timeout=10,
        params={"reason": "check the referral status"},
    ).json()
    assert [r["status"] for r in detail["referrals"]] == ["accepted"]

    # The phone and the reason (sent in the URL, as an old client would) are in no span.
    def spans() -> list[dict]:
        return [json.loads(line) for p in tmp_path.glob("spans-*.jsonl") for line in p.read_text().splitlines() if line]

    wait_until(
        lambda: any(s["name"] == "GET /api/v1/contacts/{contact_id}" for s in spans()),
        timeout=20,
        message="the last request's span exported",
    )
    for path in tmp_path.glob("spans-*.jsonl"):
        exported = path.read_text()
        for value in ("321 00 11", "553210011", "check the referral status", "check+the+referral", "check%20the"):
            assert value not in exported, (path.name, value)
