"""The operator frontend in real headless Chromium (Debian's, installed by scripts/install-test-deps.sh):
an operator signs in, records a call and refers the caller, keyboard first; reporting counts both; the
screen switches language; and the API names the bad field of a bad request made with the page's session.

Screenshots of each main step go to test-artifacts/ for a person to look at."""
from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from hotline_common.devstack.testing import bearer, sign_in, wait_until

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-quic", "--no-first-run", "--disable-sync"]
TIMEOUT_MS = 15_000
NOTE = "Caller was offered a waitress job in Dubai; the agency keeps her passport"
REASON = "psychological support after a crisis call"


@pytest.fixture
def page():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-test-deps.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="az-AZ")
        context.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            yield page
        finally:
            context.close()
            browser.close()
        assert not errors, f"JavaScript errors on the page: {errors}"


def statistics(reporting: str, headers: dict) -> dict:
    response = httpx.get(f"{reporting}/api/v1/statistics", headers=headers, timeout=5)
    response.raise_for_status()
    return response.json()


@pytest.mark.browser
def test_operator_records_refers_and_switches_language(system, page: Page, artifacts_dir):
    intake = system.http_url("intake")
    reporting = system.http_url("reporting")
    analyst = bearer(sign_in(intake, "analyst"))
    before = statistics(reporting, analyst)

    # Signed out, / sends the operator to the sign-in page, in Azerbaijani by default.
    page.goto(f"{intake}/")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("html")).to_have_attribute("lang", "az")
    expect(page.get_by_role("heading", level=1)).to_have_text("Daxil ol")
    expect(page.locator("#username")).to_be_focused()  # autofocus: the operator can type straight away
    page.keyboard.type("operator")
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type("operator-demo")
    page.screenshot(path=str(artifacts_dir / "browser-1-login.png"), full_page=True)
    page.keyboard.press("Enter")

    # The call screen: record the call.
    expect(page).to_have_url(re.compile(r"/$"))
    form = page.locator("#contact-form")
    expect(form).to_be_visible()
    expect(page.locator("#call-title")).to_have_text("Yeni zəng")
    expect(page.locator("#refer")).to_be_hidden()
    page.locator("#line").select_option("152")
    page.locator("#caller_role").select_option("potential_victim")
    page.locator("#purpose").select_option("advice_work_abroad")
    page.locator("#note").focus()
    page.keyboard.type(NOTE)
    page.keyboard.press("Tab")
    expect(page.locator("#save-contact")).to_be_focused()
    page.screenshot(path=str(artifacts_dir / "browser-2-call-filled.png"), full_page=True)
    page.keyboard.press("Enter")

    expect(page.locator("#contact-saved")).to_be_visible()
    expect(page.locator("#contact-error")).to_be_hidden()
    expect(page.locator("#contact-id")).to_have_text(re.compile(r"^[0-9a-f-]{36}$"))
    contact_id = page.locator("#contact-id").inner_text()
    expect(page.locator("#save-contact")).to_be_disabled()  # one call is saved once

    # The referral panel opens with the focus on its first field: search the directory and refer.
    expect(page.locator("#refer")).to_be_visible()
    expect(page.locator("#service_type")).to_be_focused()
    page.locator("#service_type").select_option("psychologist")
    page.keyboard.press("Tab")
    expect(page.locator("#region")).to_be_focused()
    page.locator("#region").select_option("Baku")
    page.keyboard.press("Tab")
    expect(page.locator("#search-services")).to_be_focused()
    page.keyboard.press("Enter")

    refer_buttons = page.locator("#services li button[data-service-id]")
    expect(refer_buttons.first).to_be_visible()
    expect(refer_buttons.first).to_have_text("Yönləndir")  # translated by the page, not the msgid
    expect(page.locator("#services")).to_contain_text("Bakı")  # the demo directory spells the city in Azerbaijani
    page.locator("#reason").fill(REASON)
    page.locator("#urgency").select_option("urgent")
    refer_buttons.first.click()

    sent = page.locator("#referrals li.referral-sent")
    expect(sent).to_have_count(1)
    expect(sent).to_contain_text("Yönləndirmə göndərildi")
    expect(sent).to_contain_text("(göndərildi)")
    expect(page.locator("#refer-error")).to_be_hidden()
    expect(refer_buttons.first).to_be_disabled()
    page.screenshot(path=str(artifacts_dir / "browser-3-referral-sent.png"), full_page=True)

    # Reporting counts the call and the referral made through the page.
    def counted():
        stats = statistics(reporting, analyst)
        return stats if (stats["calls_total"] == before["calls_total"] + 1
                         and stats["referrals_total"] == before["referrals_total"] + 1) else None

    stats = wait_until(counted, timeout=20, message="the call and the referral counted in reporting")
    assert stats["calls_by_purpose"].get("advice_work_abroad", 0) >= 1
    assert stats["referrals_by_service_type"].get("psychologist", 0) >= 1

    # The contact the page recorded is the one intake has, with the referral on it.
    detail = httpx.get(f"{intake}/api/v1/contacts/{contact_id}", params={"reason": "browser test check"},
                       headers=bearer(sign_in(intake, "operator")), timeout=10)
    assert detail.status_code == 200, detail.text
    assert detail.json()["note"] == NOTE
    assert [r["service_type"] for r in detail.json()["referrals"]] == ["psychologist"]

    # Language: the links in the header switch the screen, and the choice sticks in a cookie.
    page.locator(".langs a", has_text="EN").click()
    expect(page).to_have_url(re.compile(r"\?lang=en$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#call-title")).to_have_text("New call")
    expect(page.locator(".langs a[aria-current]")).to_have_text("EN")
    page.screenshot(path=str(artifacts_dir / "browser-4-english.png"), full_page=True)
    page.goto(f"{intake}/")
    expect(page.locator("#call-title")).to_have_text("New call")

    page.locator(".langs a", has_text="RU").click()
    expect(page).to_have_url(re.compile(r"\?lang=ru$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#call-title")).to_have_text("Новый звонок")
    page.screenshot(path=str(artifacts_dir / "browser-5-russian.png"), full_page=True)

    # Bad input with the page's own session cookie: the API refuses it and names the field.
    result = page.evaluate("""async () => {
        const response = await fetch("/api/v1/contacts", {
            method: "POST", credentials: "same-origin", headers: {"Content-Type": "application/json"},
            body: JSON.stringify({line: "999", caller_role: "potential_victim", purpose: "advice_work_abroad"}),
        });
        return {status: response.status, body: await response.json()};
    }""")
    assert result["status"] == 422, result
    fields = [detail["loc"][-1] for detail in result["body"]["detail"]]
    assert fields == ["line"], result["body"]


def sign_in_page(page: Page, intake: str) -> None:
    page.goto(f"{intake}/login")
    page.locator("#username").fill("operator")
    page.locator("#password").fill("operator-demo")
    page.keyboard.press("Enter")
    expect(page.locator("#contact-form")).to_be_visible()


@pytest.mark.browser
def test_nothing_typed_is_lost_on_reload_language_switch_or_a_second_tab(system, page: Page, artifacts_dir):
    intake = system.http_url("intake")
    sign_in_page(page, intake)
    status = page.locator("#draft-status")
    page.locator("#purpose").select_option("report_trafficking")
    page.locator("#note").fill("first words of a frightened caller")
    expect(status).to_have_text("Qaralama yadda saxlanıldı")

    # A reload (or a crashed browser) brings the draft back.
    page.reload()
    expect(page.locator("#note")).to_have_value("first words of a frightened caller")
    expect(page.locator("#purpose")).to_have_value("report_trafficking")

    # Switching language mid-call keeps what was typed, even what was typed a moment ago.
    page.locator("#note").fill("first words of a frightened caller, then more")
    page.locator(".langs a", has_text="EN").click()
    expect(page.locator("#call-title")).to_have_text("New call")
    expect(page.locator("#note")).to_have_value("first words of a frightened caller, then more")

    # A second tab shows the same draft; when both edit, the older one gets both values, not an overwrite.
    second = page.context.new_page()
    second.goto(f"{intake}/")
    expect(second.locator("#note")).to_have_value("first words of a frightened caller, then more")
    second.locator("#note").fill("typed in the second tab")
    expect(second.locator("#draft-status")).to_have_text("Draft saved")
    page.locator("#note").fill("typed in the first tab")
    conflict = page.locator("#draft-conflict")
    expect(conflict).to_be_visible()
    expect(page.locator("#their-note")).to_have_text("typed in the second tab")
    page.screenshot(path=str(artifacts_dir / "browser-6-draft-conflict.png"), full_page=True)
    page.locator("#keep-mine").click()
    expect(conflict).to_be_hidden()
    expect(status).to_have_text("Draft saved")
    second.reload()
    expect(second.locator("#note")).to_have_value("typed in the first tab")

    # Recording the call closes the draft: the next call starts empty.
    page.locator("#caller_role").select_option("victim")
    page.locator("#save-contact").click()
    expect(page.locator("#contact-saved")).to_be_visible()
    page.goto(f"{intake}/")
    expect(page.locator("#note")).to_have_value("")
    second.close()
