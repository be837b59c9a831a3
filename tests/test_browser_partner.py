"""The partner side of referrals on a started system: the partner portal and the one-time link page in
real headless Chromium (screenshots in test-artifacts/partner-*.png), and the partner API over REST and
gRPC plus the per-organisation NATS notices, all held to the same consent limits.

The system is started here (not with the shared fixture) because referrals needs to know intake's token
endpoint (AUTH_TOKEN_URL) and its own keyring, which the devstack does not pass to it yet."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

import grpc
import httpx
import nats
import pytest
from playwright.sync_api import Page, expect

from hotline.events.v1 import referrals_pb2 as events_pb2
from hotline.referrals.v1 import referrals_pb2, referrals_pb2_grpc
from hotline_common.crypto import FieldCipher
from hotline_common.demo import PARTNER_ORGANISATION_ID
from hotline_devstack.ports import free_port
from hotline_devstack.system import SERVICES, System, SystemConfig, ensure_secrets
from hotline_devstack.testing import bearer, chromium_page, sign_in, wait_until

NAME, PHONE = "Aysel Quliyeva", "+994 55 765 43 21"
# Demo directory: service 2 belongs to the partner's organisation, service 3 to another one.
OWN_SERVICE = "0190a000-0000-7000-9000-000000000002"
OTHER_SERVICE = "0190a000-0000-7000-9000-000000000003"


@pytest.fixture
def partner_system(nats_server, tmp_path, namespace):
    ports = {s: (free_port(), free_port()) for s in SERVICES}
    referrals_http = f"http://127.0.0.1:{ports['referrals'][0]}"
    config = SystemConfig(
        data_dir=tmp_path / "system",
        ports=ports,
        nats_url=nats_server.url,
        namespace=namespace,
        extra_env={
            "AUTH_TOKEN_URL": f"http://127.0.0.1:{ports['intake'][0]}/api/v1/auth/token",
            "PUBLIC_BASE_URL": referrals_http,
            "ENCRYPTION_KEYRING": FieldCipher.generate_keyring("t1"),
            "OVERDUE_CHECK_SECONDS": "0.2",
            # An emergency is overdue after ~1 s here (2 h in production).
            "ACK_DUE_EMERGENCY_HOURS": "0.0003",
        },
    )
    system = System(config)
    try:
        # Only what the partner side needs: intake (the issuer) and referrals, on the session's NATS.
        system._secrets = ensure_secrets(system.data_dir / "secrets")
        for service in ("intake", "referrals"):
            system.start_service(service)
        system.wait_ready(("intake", "referrals"), timeout=90)
        yield system
    finally:
        system.stop()


@pytest.fixture
def page():
    with chromium_page(viewport=(1200, 900), locale="az-AZ") as page:
        yield page


def refer(
    intake: str,
    referrals: str,
    headers: dict,
    service_id: str,
    *,
    consent: bool,
    urgency: str = "urgent",
    reason: str = "psychological support after a crisis call",
) -> dict:
    """A call from the demo caller, referred at intake as the operator does it: consented values
    come from intake's vault through its service identity, never from the client."""
    call = {"line": "152", "caller_role": "victim", "purpose": "psychological_support", "caller_language": "az"}
    profile = httpx.post(f"{intake}/api/v1/callers/lookup", headers=headers, json={"phone": PHONE}, timeout=10)
    if profile.status_code == 200 and profile.json():
        call["caller_id"] = profile.json()[0]["id"]
    else:
        made = httpx.post(
            f"{intake}/api/v1/callers", headers=headers, json={"name": NAME, "phones": [PHONE]}, timeout=10
        )
        assert made.status_code == 201, made.text
        call["caller_id"] = made.json()["id"]
    contact = httpx.post(f"{intake}/api/v1/contacts", headers=headers, json=call, timeout=10)
    assert contact.status_code == 201, contact.text
    body: dict = {"service_id": service_id, "reason": reason, "urgency": urgency}
    if consent:
        body["consent"] = {
            "fields": ["name", "phone", "language"],
            "purpose": "psychological support",
            "valid_until": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
        }
    made = httpx.post(
        f"{intake}/api/v1/contacts/{contact.json()['id']}/referrals", headers=headers, json=body, timeout=10
    )
    assert made.status_code == 201, made.text
    referral = httpx.get(f"{referrals}/api/v1/referrals/{made.json()['referral_id']}", headers=headers, timeout=10)
    assert referral.status_code == 200, referral.text
    return referral.json()


@pytest.mark.browser
def test_partner_portal_and_one_time_link(partner_system, page: Page, artifacts_dir):
    intake, referrals = partner_system.http_url("intake"), partner_system.http_url("referrals")
    operator = bearer(sign_in(intake, "operator"))
    consented = refer(intake, referrals, operator, OWN_SERVICE, consent=True)
    bare = refer(intake, referrals, operator, OWN_SERVICE, consent=False, reason="legal question about a contract")
    elsewhere = refer(intake, referrals, operator, OTHER_SERVICE, consent=True, reason="not for this partner")

    # Signed out, the portal asks to sign in (and to come back), in Azerbaijani by default.
    page.goto(f"{referrals}/portal")
    expect(page).to_have_url(re.compile(r"/portal/login\?next=/portal$"))
    expect(page.locator("html")).to_have_attribute("lang", "az")
    expect(page.get_by_role("heading", level=1)).to_have_text("Daxil ol")
    page.locator("#username").fill("operator")
    page.locator("#password").fill("operator-demo")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Bu portal tərəfdaş təşkilatlar üçündür")
    page.locator("#username").fill("partner")
    page.locator("#password").fill("partner-demo")
    page.screenshot(path=str(artifacts_dir / "partner-1-login.png"), full_page=True)
    page.keyboard.press("Enter")

    # Only the referrals to the partner's own organisation.
    expect(page).to_have_url(re.compile(r"/portal$"))
    rows = page.locator("#referrals tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator(f'tr[data-id="{elsewhere["id"]}"]')).to_have_count(0)
    expect(page.locator(f'tr[data-id="{consented["id"]}"]')).to_contain_text("paylaşılıb")
    expect(page.locator(f'tr[data-id="{bare["id"]}"]')).to_contain_text("şəxsi məlumat yoxdur")
    page.screenshot(path=str(artifacts_dir / "partner-2-list.png"), full_page=True)

    # Without consent: the reference and the need, no personal data.
    page.locator(f'tr[data-id="{bare["id"]}"] a').click()
    expect(page.locator("#need")).to_have_text("legal question about a contract")
    expect(page.locator("#no-consent")).to_be_visible()
    expect(page.locator("#shared [data-field]")).to_have_count(0)

    # With consent: the consented fields; acknowledge, accept, start, note back, complete.
    page.goto(f"{referrals}/portal/referrals/{consented['id']}?lang=en")
    expect(page.locator('[data-field="name"]')).to_have_text(NAME)
    expect(page.locator('[data-field="phone"]')).to_have_text(PHONE)
    expect(page.locator("#status")).to_have_text("sent")
    page.locator("#to-acknowledged").click()
    expect(page.locator("#status")).to_have_text("acknowledged")
    expect(page.locator("#to-declined")).to_be_visible()
    page.locator("#to-accepted").click()
    expect(page.locator("#status")).to_have_text("accepted")
    page.locator("#to-in_progress").click()
    expect(page.locator("#status")).to_have_text("in progress")
    page.locator("#note-body").fill("First session held; she wants a follow-up next week.")
    page.locator("#add-note").click()
    expect(page.locator("#notes .note")).to_contain_text("First session held")
    page.screenshot(path=str(artifacts_dir / "partner-3-detail-en.png"), full_page=True)
    page.locator("#to-completed").click()
    expect(page.locator("#status")).to_have_text("completed")
    expect(page.locator("#actions")).to_have_count(0)

    # The hotline sees the history and the note through referrals' API.
    detail = httpx.get(f"{referrals}/api/v1/referrals/{consented['id']}", headers=operator, timeout=10).json()
    assert [(t["to_status"], t["actor_kind"]) for t in detail["transitions"]] == [
        ("sent", "hotline"),
        ("acknowledged", "partner"),
        ("accepted", "partner"),
        ("in_progress", "partner"),
        ("completed", "partner"),
    ]
    assert [n["body"] for n in detail["notes"]] == ["First session held; she wants a follow-up next week."]
    assert {(r["reader_kind"], r["channel"]) for r in detail["shared_reads"]} == {("partner", "portal")}, (
        "every showing of the consented values is logged for the hotline"
    )

    # Revocation takes the data off the partner's screen at once.
    revoked = httpx.post(f"{referrals}/api/v1/referrals/{consented['id']}/consent/revoke", headers=operator, timeout=10)
    assert revoked.status_code == 200, revoked.text
    page.goto(f"{referrals}/portal/referrals/{consented['id']}?lang=ru")
    expect(page.locator("#no-consent")).to_have_text(
        "Согласие абонента отозвано или истекло: персональные данные больше не передаются."
    )
    expect(page.locator("body")).not_to_contain_text(NAME)
    expect(page.locator("h1")).to_contain_text("Направление")
    page.screenshot(path=str(artifacts_dir / "partner-4-revoked-ru.png"), full_page=True)

    # Another organisation's referral does not exist for this partner.
    page.goto(f"{referrals}/portal/referrals/{elsewhere['id']}")
    expect(page.locator("#message-title")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("not for this partner")
    # With the page's own CSRF proof, so that it is the referral rule that refuses, not the CSRF check.
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
    forged = page.context.request.post(
        f"{referrals}/portal/referrals/{elsewhere['id']}/status",
        form={"to_status": "acknowledged", "csrf_token": csrf},
        headers={"Origin": referrals},
        max_redirects=0,
    )
    assert forged.status == 404 and "not for this partner" not in forged.text()

    # A one-time link for a specialist without an account.
    link = httpx.post(f"{referrals}/api/v1/referrals/{elsewhere['id']}/links", headers=operator, timeout=10)
    assert link.status_code == 201, link.text
    url = link.json()["url"]
    page.context.clear_cookies()
    page.goto(url + "?lang=en")
    expect(page.locator("body")).not_to_contain_text(NAME)  # what a link previewer fetches: nothing
    page.locator("#open-referral").click()
    expect(page.locator('[data-field="name"]')).to_have_text(NAME)
    expect(page.locator("#notes")).to_have_count(0)
    page.locator("#acknowledge").click()
    expect(page.locator("#status")).to_have_text("acknowledged")
    page.screenshot(path=str(artifacts_dir / "partner-5-link.png"), full_page=True)
    page.locator("#outcome").select_option("completed")
    page.locator("#note").fill("Consultation given.")
    page.locator("#send-outcome").click()
    expect(page.locator("#message-title")).to_have_text("Thank you: the outcome was sent to the hotline")
    expect(page.locator("#message-text")).to_have_text(elsewhere["reference"])

    # Used, then tampered: the same refusal, nothing of the referral.
    for address in (url, url[:-3] + ("aaa" if not url.endswith("aaa") else "bbb")):
        response = page.goto(address + "?lang=en")
        assert response.status == 410
        expect(page.locator("#message-title")).to_have_text("This link cannot be used")
        expect(page.locator("body")).not_to_contain_text(NAME)
        expect(page.locator("body")).not_to_contain_text(elsewhere["reference"])
    page.screenshot(path=str(artifacts_dir / "partner-6-link-used.png"), full_page=True)
    after = httpx.get(f"{referrals}/api/v1/referrals/{elsewhere['id']}", headers=operator, timeout=10).json()
    assert after["status"] == "completed"
    assert [t["actor_kind"] for t in after["transitions"][1:]] == ["link"] * 4
    assert {(r["reader_kind"], r["channel"]) for r in after["shared_reads"]} == {("link", "link")}


def test_partner_api_rest_grpc_and_events_keep_to_consent(partner_system, namespace):
    intake, referrals = partner_system.http_url("intake"), partner_system.http_url("referrals")
    operator = bearer(sign_in(intake, "operator"))
    director = bearer(sign_in(intake, "director"))
    partner = bearer(sign_in(intake, "partner"))
    received: list = []

    async def listen_then_refer():
        nc = await nats.connect(partner_system.nats_url)

        async def on_notice(msg):
            received.append((msg.subject, msg.data))

        await nc.subscribe(f"{namespace}.referrals.partner.{PARTNER_ORGANISATION_ID}.>", cb=on_notice)
        await nc.flush()
        made = (
            refer(intake, referrals, operator, OWN_SERVICE, consent=True, urgency="emergency"),
            refer(intake, referrals, operator, OWN_SERVICE, consent=False),
            refer(intake, referrals, operator, OTHER_SERVICE, consent=True),
        )
        deadline = asyncio.get_running_loop().time() + 20
        while asyncio.get_running_loop().time() < deadline and not any(s.endswith(".overdue.v1") for s, _ in received):
            await asyncio.sleep(0.05)
        await nc.close()
        return made

    consented, bare, elsewhere = asyncio.run(listen_then_refer())

    # REST: own organisation only, consented fields only; a move outside the table is a 409 naming it.
    listed = httpx.get(f"{referrals}/api/v1/partner/referrals", headers=partner, timeout=10).json()
    assert {r["id"] for r in listed} == {consented["id"], bare["id"]}
    by_id = {r["id"]: r for r in listed}
    assert by_id[consented["id"]]["shared"] == {"name": NAME, "phone": PHONE, "language": "az"}
    assert by_id[bare["id"]]["shared"] == {} and by_id[bare["id"]]["consented_fields"] == []
    assert (
        httpx.get(f"{referrals}/api/v1/partner/referrals/{elsewhere['id']}", headers=partner, timeout=10).status_code
        == 404
    )
    assert httpx.get(f"{referrals}/api/v1/referrals/{consented['id']}", headers=partner, timeout=10).status_code == 403
    jump = httpx.post(
        f"{referrals}/api/v1/partner/referrals/{bare['id']}/status",
        headers=partner,
        timeout=10,
        json={"to_status": "completed"},
    )
    assert jump.status_code == 409 and "from sent to completed" in jump.json()["detail"]
    bad = httpx.post(
        f"{referrals}/api/v1/partner/referrals/{bare['id']}/status",
        headers=partner,
        timeout=10,
        json={"to_status": "acknowledged", "extra": 1},
    )
    assert bad.status_code == 422
    assert (
        httpx.post(
            f"{referrals}/api/v1/referrals/{bare['id']}/status",
            headers=operator,
            timeout=10,
            json={"to_status": "acknowledged"},
        ).status_code
        == 403
    ), "the hotline cannot acknowledge"

    # The emergency was not acknowledged in time: escalated once, on the director's board.
    board = wait_until(
        lambda: httpx.get(f"{referrals}/api/v1/referrals/overdue", headers=director, timeout=10).json(),
        message="the overdue board",
    )
    assert consented["id"] in {r["id"] for r in board}
    assert httpx.get(f"{referrals}/api/v1/referrals/overdue", headers=partner, timeout=10).status_code == 403

    # gRPC: the same operations and limits.
    async def over_grpc():
        async with grpc.aio.insecure_channel(partner_system.grpc_target("referrals")) as channel:
            stub = referrals_pb2_grpc.PartnerReferralsServiceStub(channel)
            metadata = (("authorization", partner["Authorization"]),)
            found = await stub.ListReferrals(referrals_pb2.PartnerListRequest(), metadata=metadata)
            hotline = referrals_pb2_grpc.ReferralsServiceStub(channel)
            director_metadata = (("authorization", director["Authorization"]),)
            board_before = await hotline.ListOverdueReferrals(
                referrals_pb2.ListOverdueRequest(), metadata=director_metadata
            )
            assert [r.id for r in board_before.referrals] == [consented["id"]]
            assert board_before.referrals[0].HasField("overdue_escalated_at")
            moved = await stub.ChangeStatus(
                referrals_pb2.ChangeStatusRequest(referral_id=consented["id"], to_status="acknowledged"),
                metadata=metadata,
            )
            with pytest.raises(grpc.aio.AioRpcError) as invalid:
                await stub.ChangeStatus(
                    referrals_pb2.ChangeStatusRequest(referral_id=consented["id"], to_status="declined"),
                    metadata=metadata,
                )
            with pytest.raises(grpc.aio.AioRpcError) as jumped:
                await stub.ChangeStatus(
                    referrals_pb2.ChangeStatusRequest(referral_id=consented["id"], to_status="completed"),
                    metadata=metadata,
                )
            with pytest.raises(grpc.aio.AioRpcError) as foreign:
                await stub.GetReferral(referrals_pb2.GetReferralRequest(referral_id=elsewhere["id"]), metadata=metadata)
            await hotline.RevokeConsent(
                referrals_pb2.RevokeConsentRequest(referral_id=consented["id"]),
                metadata=(("authorization", operator["Authorization"]),),
            )
            after = await stub.GetReferral(
                referrals_pb2.GetReferralRequest(referral_id=consented["id"]), metadata=metadata
            )
            board = await hotline.ListOverdueReferrals(referrals_pb2.ListOverdueRequest(), metadata=director_metadata)
            with pytest.raises(grpc.aio.AioRpcError) as not_staff:
                await hotline.ListOverdueReferrals(referrals_pb2.ListOverdueRequest(), metadata=metadata)
            assert not_staff.value.code() == grpc.StatusCode.PERMISSION_DENIED
            assert [r.id for r in board.referrals] == [], "acknowledged just now: off the board"
            return found, moved, invalid.value, jumped.value, foreign.value, after

    found, moved, invalid, jumped, foreign, after = asyncio.run(over_grpc())
    assert {r.id for r in found.referrals} == {consented["id"], bare["id"]}
    assert dict(next(r for r in found.referrals if r.id == consented["id"]).shared)["name"] == NAME
    assert moved.status == "acknowledged"
    assert invalid.code() == grpc.StatusCode.INVALID_ARGUMENT and "reason_code" in invalid.details()
    assert jumped.code() == grpc.StatusCode.FAILED_PRECONDITION and "acknowledged to completed" in jumped.details()
    assert foreign.code() == grpc.StatusCode.NOT_FOUND
    assert dict(after.shared) == {} and not after.consent_active and after.consent_ended

    # Events: the partner's subjects carried its own referrals' notices, codes only.
    subjects = [s.split(".referral.")[-1] for s, _ in received]
    assert subjects.count("sent.v1") == 2 and "overdue.v1" in subjects
    for subject, data in received:
        assert PARTNER_ORGANISATION_ID in subject
        assert NAME.encode() not in data and PHONE.encode() not in data and b"crisis" not in data
    first = events_pb2.PartnerReferralNotice.FromString(received[0][1])
    assert first.organisation_id == PARTNER_ORGANISATION_ID and first.reference.startswith("R-")
