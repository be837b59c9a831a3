"""Consent at referral time on the call screen, in real headless Chromium against a started intake and
referrals: the operator links a returning caller, records the call, refers by keyboard through the
consent dialog (name and phone ticked, a purpose and an end date), refers again with nothing ticked
(no consent: the partner gets the reference and the need only), then revokes the consent from the
caller's journal; the partner's API shows the consented values, then nothing. Values come from
intake's vault, never from the page. Screenshots: test-artifacts/consent-*.png."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from hotline_devstack.ports import free_port
from hotline_devstack.system import SERVICES, System, SystemConfig, ensure_secrets
from hotline_devstack.testing import bearer, chromium_page, sign_in

NAME, PHONE = "Səbinə Həsənova", "+994 70 321 54 76"
OWN_SERVICE = "0190a000-0000-7000-9000-000000000002"  # the demo partner's organisation


@pytest.fixture
def intake_and_referrals(nats_server, tmp_path, namespace):
    ports = {s: (free_port(), free_port()) for s in SERVICES}
    system = System(
        SystemConfig(data_dir=tmp_path / "system", ports=ports, nats_url=nats_server.url, namespace=namespace)
    )
    try:
        system._secrets = ensure_secrets(system.data_dir / "secrets")
        for service in ("intake", "referrals"):
            system.start_service(service)
        system.wait_ready(("intake", "referrals"), timeout=90)
        yield system
    finally:
        system.stop()


@pytest.fixture
def page():
    with chromium_page(viewport=(1366, 768), locale="az-AZ") as page:
        page.on("dialog", lambda dialog: dialog.accept())  # the revoke confirmation
        yield page


def partner_view(referrals: str, partner: dict) -> list[dict]:
    response = httpx.get(f"{referrals}/api/v1/partner/referrals", headers=partner, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.browser
def test_consent_is_asked_recorded_shared_and_revoked(intake_and_referrals, page: Page, artifacts_dir):
    intake, referrals = intake_and_referrals.http_url("intake"), intake_and_referrals.http_url("referrals")
    operator = bearer(sign_in(intake, "operator"))
    partner = bearer(sign_in(intake, "partner"))
    profile = httpx.post(
        f"{intake}/api/v1/callers", headers=operator, timeout=10, json={"name": NAME, "phones": [PHONE]}
    )
    assert profile.status_code == 201, profile.text

    page.goto(f"{intake}/login")
    page.locator("#username").fill("operator")
    page.locator("#password").fill("operator-demo")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("body")).to_have_attribute("data-call-ready", "true")

    # The returning caller is found by phone and linked; the call is recorded.
    page.locator("#journal-phone").fill(PHONE)
    page.keyboard.press("Enter")
    page.locator("#journal-results .caller-hit button.link-caller").click()
    expect(page.locator("#journal-linked-code")).to_have_text(profile.json()["code"])
    page.locator("#line").select_option("152")
    page.locator("#caller_role").select_option("victim")
    page.locator("#purpose").select_option("psychological_support")
    page.keyboard.press("Alt+s")
    expect(page.locator("#contact-saved")).to_be_visible()

    page.locator("#service_type").select_option("psychologist")
    page.locator("#search-services").click()
    refer = page.locator(f'#services button[data-service-id="{OWN_SERVICE}"]')
    expect(refer).to_be_enabled()
    page.locator("#reason").fill("crisis support by phone")

    # The dialog: focus in it, nothing ticked; by keyboard the operator ticks name and phone.
    refer.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#consent-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#consent-title")).to_contain_text("Məlumat paylaşmağa razılıq")
    expect(dialog.locator("input[name=consent_field]:checked")).to_have_count(0)
    expect(dialog.locator('input[value="name"]')).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")  # no purpose yet: refused, focus on the purpose
    expect(page.locator("#consent-error")).to_have_text("Zəng edənin hansı məqsədlə razılıq verdiyini yazın")
    expect(page.locator("#consent-purpose")).to_be_focused()
    page.keyboard.type("psychological support")
    page.screenshot(path=str(artifacts_dir / "consent-1-dialog.png"))
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    made = page.locator("#referrals li")
    expect(made).to_have_count(1)
    expect(made.first).to_contain_text("razılıqla paylaşıldı: Ad, Telefon")

    # What the partner sees: the values from the linked profile, only the consented ones.
    [shared] = partner_view(referrals, partner)
    assert shared["consent_active"] and shared["shared"] == {"name": NAME, "phone": PHONE}

    # A specialist without an account gets a one-time link: shown once, here, to pass on.
    made.first.locator("button.one-time-link").click()
    url = made.first.locator("input.link-url")
    expect(url).to_be_focused()
    link = url.input_value()
    assert link.startswith(f"{referrals}/link/")
    assert httpx.get(link, timeout=10).status_code == 200
    expect(made.first.locator("button.one-time-link")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "consent-1b-one-time-link.png"))

    # A second referral with nothing ticked shares nothing personal.
    page.locator("#search-services").click()
    again = page.locator(f'#services button[data-service-id="{OWN_SERVICE}"]')
    expect(again).to_be_enabled()
    again.click()
    expect(dialog).to_be_visible()
    page.locator("#consent-refer").click()
    expect(made).to_have_count(2)
    expect(made.nth(1)).to_contain_text("şəxsi məlumat paylaşılmadı")
    views = {r["id"]: r for r in partner_view(referrals, partner)}
    bare = views[made.nth(1).get_attribute("data-referral-id")]
    assert not bare["consent_active"] and bare["shared"] == {}

    # The caller withdraws consent: revoked from the journal, gone from the partner's view at once.
    timeline = page.locator("#journal-panel .timeline")
    consented_id = made.first.get_attribute("data-referral-id")
    revoke = timeline.locator(f'button.revoke-consent[data-referral-id="{consented_id}"]')
    expect(revoke).to_have_count(1)
    bare_id = made.nth(1).get_attribute("data-referral-id")
    expect(timeline.locator(f'button[data-referral-id="{bare_id}"]')).to_have_count(0)
    expect(timeline.locator("button.revoke-consent")).to_have_count(1)  # only where data was shared
    revoke.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "consent-2-journal.png"))
    revoke.click()
    expect(timeline.locator(".consent-revoked")).to_have_text("Razılıq geri götürüldü")
    page.reload()  # the journal remembers: no revoke offered any more
    page.locator("#journal-phone").fill(PHONE)
    page.keyboard.press("Enter")
    page.locator("#journal-results .caller-hit button.open-journal").click()
    expect(page.locator("#journal-panel .entry-referral")).to_have_count(2)
    expect(page.locator("#journal-panel button.revoke-consent")).to_have_count(0)
    views = {r["id"]: r for r in partner_view(referrals, partner)}
    assert views[consented_id]["shared"] == {} and views[consented_id]["consent_ended"]
    page.screenshot(path=str(artifacts_dir / "consent-3-revoked.png"))
