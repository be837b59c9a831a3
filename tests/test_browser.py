"""The operator frontend in real headless Chromium (Debian's, installed by scripts/install-test-deps.sh):
an operator signs in, records a call and refers the caller, keyboard first; reporting counts both; the
screen switches language; and the API names the bad field of a bad request made with the page's session.
A whole record sheet taken by keyboard at 1366x768, screening to high risk, a reload mid-call, the
advice script followed, the contacts list filters, and the director editing a script.

Screenshots of each main step go to test-artifacts/ for a person to look at."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from hotline_devstack.testing import bearer, chromium_page, sign_in, wait_until

NOTE = "Caller was offered a waitress job in Dubai; the agency keeps her passport"
REASON = "psychological support after a crisis call"


@pytest.fixture
def page():
    with chromium_page(locale="az-AZ") as page:
        yield page


def statistics(reporting: str, headers: dict) -> dict:
    response = httpx.get(f"{reporting}/api/v1/statistics", headers=headers, timeout=5)
    response.raise_for_status()
    return response.json()


@pytest.mark.browser
def test_operator_records_refers_and_switches_language(system, page: Page, artifacts_dir):
    intake = system.http_url("intake")
    reporting = system.http_url("reporting")
    # The director's exact figures: an analyst sees only quarters that have ended.
    director = bearer(sign_in(intake, "director"))
    before = statistics(reporting, director)

    # Signed out, / sends the operator to the sign-in page (and back to / afterwards), in Azerbaijani by default.
    page.goto(f"{intake}/")
    expect(page).to_have_url(re.compile(r"/login\?next=/$"))
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
    # Consent is asked for every referral; nothing ticked = the partner gets the reference and the need only.
    expect(page.locator("#consent-dialog")).to_be_visible()
    expect(page.locator("#consent-dialog input[name=consent_field]:checked")).to_have_count(0)
    page.locator("#consent-refer").click()

    sent = page.locator("#referrals li.referral-sent")
    expect(sent).to_have_count(1)
    expect(sent).to_contain_text("Yönləndirmə göndərildi")
    expect(sent).to_contain_text("(göndərildi)")
    expect(sent).to_contain_text("şəxsi məlumat paylaşılmadı")
    expect(page.locator("#refer-error")).to_be_hidden()
    expect(refer_buttons.first).to_be_disabled()
    page.screenshot(path=str(artifacts_dir / "browser-3-referral-sent.png"), full_page=True)

    # Reporting counts the call and the referral made through the page.
    def counted():
        stats = statistics(reporting, director)
        return (
            stats
            if (
                stats["calls_total"] == before["calls_total"] + 1
                and stats["referrals_total"] == before["referrals_total"] + 1
            )
            else None
        )

    # (Breakdowns by purpose or service type are k-anonymous in reporting: one call is too small a cell.)
    wait_until(counted, timeout=20, message="the call and the referral counted in reporting")

    # The contact the page recorded is the one intake has, with the referral on it.
    detail = httpx.get(
        f"{intake}/api/v1/contacts/{contact_id}",
        params={"reason": "browser test check"},
        headers=bearer(sign_in(intake, "operator")),
        timeout=10,
    )
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

    # Bad input with the page's own session cookie (and its CSRF token, as the page's scripts send
    # it): the API refuses it and names the field.
    result = page.evaluate("""async () => {
        const csrf = document.querySelector('meta[name="csrf-token"]').content;
        const response = await fetch("/api/v1/contacts", {
            method: "POST", credentials: "same-origin",
            headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
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


AGENCY = "Golden Star Recruitment"
FULL_NOTE = "Leyla says the employer in Istanbul keeps her passport"


def operator_page(page: Page, intake: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in_page(page, intake)
    expect(page.locator("body")).to_have_attribute("data-call-ready", "true")  # keys are listened to


def tick(page: Page, name: str, value: str) -> None:
    """Focus a checkbox and tick it with the space bar, as an operator does."""
    box = page.locator(f'input[name="{name}"][value="{value}"]')
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()


@pytest.mark.browser
def test_a_whole_sheet_by_keyboard_with_screening_to_high_risk_and_a_reload(system, page: Page, artifacts_dir):
    intake = system.http_url("intake")
    operator_page(page, intake)
    status = page.locator("#draft-status")

    # Alt+N: a new call, the focus on its first field, the start time shown in Baku time.
    page.keyboard.press("Alt+N")
    expect(page.locator("#line")).to_be_focused()
    expect(page.locator("#started-shown")).not_to_have_text("—")
    page.locator("#line").select_option("562-21-12")
    page.keyboard.press("Alt+2")
    expect(page.locator("#caller_role")).to_be_focused()
    page.locator("#caller_role").select_option("presumed_victim")
    page.keyboard.press("Tab")
    expect(page.locator("#caller_sex")).to_be_focused()
    page.locator("#caller_sex").select_option("female")
    page.locator("#caller_age_group").select_option("25_34")
    page.locator("#caller_citizenship").select_option("AZ")
    page.locator("#caller_country").select_option("TR")
    page.locator("#caller_language").select_option("az")

    # Purpose and destination bring up the Turkey advice script, in Azerbaijani.
    page.keyboard.press("Alt+3")
    expect(page.locator("#purpose")).to_be_focused()
    page.locator("#purpose").select_option("advice_work_abroad")
    page.locator("#motive").select_option("work_abroad")
    page.locator("#destination_country").select_option("TR")
    expect(page.locator("#script-panel")).to_be_visible()
    expect(page.locator("#script-title")).to_contain_text("Türkiyə")
    expect(page.locator("#script-steps")).to_contain_text("çalışma izni")
    page.locator("#agency").focus()
    page.keyboard.type(AGENCY)
    page.locator("#script_followed").focus()
    page.keyboard.press("Space")

    # Screening: documents withheld plus threats is high risk by rule R5; the police suggestion shows.
    page.keyboard.press("Alt+4")
    expect(page.locator('input[name="indicators"]').first).to_be_focused()
    tick(page, "indicators", "passport_taken")
    expect(page.locator("#risk-level")).to_have_text("aşağı")
    tick(page, "indicators", "threats_to_family")
    tick(page, "indicators", "excessive_hours")
    expect(page.locator("#risk-level")).to_have_text("yüksək")
    expect(page.locator("#risk-rules")).to_contain_text("R4")
    expect(page.locator("#police-suggestion")).to_be_visible()
    page.locator("#police_report").select_option("consented")
    tick(page, "exploitation_types", "forced_labour")
    page.locator("#labour_industry").select_option("domestic_work")

    page.keyboard.press("Alt+5")
    page.locator("#state_at_start").select_option("frightened")
    page.locator("#state_at_end").select_option("anxious")
    page.locator("#crisis_support").focus()
    page.keyboard.press("Space")
    tick(page, "tactics", "safety_plan")
    tick(page, "advice_given", "embassy_contacts")
    page.keyboard.press("Alt+6")
    page.locator("#follow_up_needed").focus()
    page.keyboard.press("Space")
    page.locator("#follow_up_local").fill("2030-01-02T10:30")
    page.locator("#note").focus()
    page.keyboard.type(FULL_NOTE)
    expect(status).to_have_text("Qaralama yadda saxlanıldı")
    page.screenshot(path=str(artifacts_dir / "browser-7-sheet-high-risk.png"))
    page.locator("#sec-screening").screenshot(path=str(artifacts_dir / "browser-8-screening.png"))

    # A reload in the middle of the call brings back the whole sheet.
    page.reload()
    expect(page.locator("#note")).to_have_value(FULL_NOTE)
    expect(page.locator("#agency")).to_have_value(AGENCY)
    expect(page.locator("#line")).to_have_value("562-21-12")
    expect(page.locator("#caller_country")).to_have_value("TR")
    expect(page.locator('input[name="indicators"][value="threats_to_family"]')).to_be_checked()
    expect(page.locator("#risk-level")).to_have_text("yüksək")
    expect(page.locator("#police_report")).to_have_value("consented")
    expect(page.locator("#script_followed")).to_be_checked()
    expect(page.locator("#follow_up_needed")).to_be_checked()
    expect(page.locator("#follow_up_local")).to_have_value("2030-01-02T10:30")
    page.screenshot(path=str(artifacts_dir / "browser-9-after-reload.png"))

    # End of call and save, by keyboard.
    page.keyboard.press("Alt+E")
    expect(page.locator("#ended-shown")).not_to_have_text("—")
    page.keyboard.press("Alt+S")
    expect(page.locator("#contact-saved")).to_be_visible()
    contact_id = page.locator("#contact-id").inner_text()

    operator = bearer(sign_in(intake, "operator"))
    detail = httpx.get(
        f"{intake}/api/v1/contacts/{contact_id}", params={"reason": "browser test check"}, headers=operator, timeout=10
    ).json()
    assert (detail["risk_level"], detail["police_report"], detail["agency"], detail["note"]) == (
        "high",
        "consented",
        AGENCY,
        FULL_NOTE,
    )
    assert (detail["line"], detail["caller_country"], detail["destination_country"]) == ("562-21-12", "TR", "TR")
    assert detail["indicators"] == ["passport_taken", "threats_to_family", "excessive_hours"]
    assert (detail["labour_industry"], detail["tactics"], detail["crisis_support"]) == (
        "domestic_work",
        ["safety_plan"],
        True,
    )
    assert detail["follow_up_due_at"].startswith("2030-01-02T06:30"), "10:30 in Baku is 06:30 UTC"
    assert detail["script_version_id"] and detail["duration_seconds"] is not None
    script = httpx.get(f"{intake}/api/v1/script-versions/{detail['script_version_id']}", headers=operator).json()
    assert (script["purpose"], script["destination_country"], script["language"]) == ("advice_work_abroad", "TR", "az")
    director = bearer(sign_in(intake, "director"))
    alerts = httpx.get(f"{intake}/api/v1/alerts", headers=director, timeout=10).json()
    assert [a["contact_id"] for a in alerts] == [contact_id]
    page.screenshot(path=str(artifacts_dir / "browser-10-sheet-saved.png"))

    # Alt+N again: the next call starts empty.
    page.keyboard.press("Alt+N")
    expect(page.locator("#contact-saved")).to_be_hidden()
    expect(page.locator("#note")).to_have_value("")
    expect(page.locator("#agency")).to_have_value("")
    expect(page.locator("#risk-level")).to_have_text("yoxdur")

    # The contacts list: the high-risk filter finds the call, another line does not.
    page.goto(f"{intake}/contacts?lang=en")
    expect(page.locator("#contact-rows tr")).not_to_have_count(0)
    page.locator("#f-risk").select_option("high")
    page.locator("#f-open").check()
    page.locator("#f-apply").click()
    expect(page.locator("#contact-rows tr")).to_have_count(1)
    expect(page.locator(f'#contact-rows tr[data-contact-id="{contact_id}"]')).to_contain_text("562-21-12")
    page.screenshot(path=str(artifacts_dir / "browser-11-contacts-list.png"))
    page.locator("#f-line").select_option("152")
    page.locator("#f-apply").click()
    expect(page.locator("#list-empty")).to_be_visible()
    expect(page.locator("#contact-rows tr")).to_have_count(0)


@pytest.mark.browser
def test_the_director_edits_an_advice_script_into_a_new_version(system, page: Page, artifacts_dir):
    intake = system.http_url("intake")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{intake}/login")
    page.locator("#username").fill("director")
    page.locator("#password").fill("director-demo")
    page.keyboard.press("Enter")
    expect(page.locator("#contact-form")).to_be_visible()
    page.goto(f"{intake}/scripts?lang=en")
    row = page.locator("#script-rows tr", has_text="Before going abroad to work: Turkey")
    expect(row).to_have_count(1)
    row.locator("button.edit-script").click()
    expect(page.locator("#script-title-input")).to_be_focused()
    page.locator("#script-body").fill("Check the agency\nKeep copies of documents")
    page.locator("#script-save").click()
    expect(page.locator("#script-saved")).to_have_text("Saved as version 2")
    expect(page.locator("#script-history li")).to_have_count(2)
    page.screenshot(path=str(artifacts_dir / "browser-12-script-editor.png"))


@pytest.mark.browser
def test_enter_before_the_screens_scripts_run_neither_submits_nor_leaks(system, page: Page):
    """Modules run only after the page is parsed and their imports arrive. Until then, Enter in the
    call sheet must not submit it the browser's way: a GET would lose the call and put what was
    typed (an agency's name) in the address bar and the history."""
    intake = system.http_url("intake")
    sign_in_page(page, intake)
    held = []
    page.route("**/static/app.js", lambda route: held.append(route))  # the call screen's module waits until released
    with page.expect_request("**/static/app.js"):
        page.goto(f"{intake}/", wait_until="commit")
    agency = page.locator("#agency")
    expect(agency).to_be_visible()
    agency.fill(AGENCY)
    agency.press("Enter")
    page.locator("#line").focus()
    page.keyboard.press("Enter")
    expect(page.locator("body")).not_to_have_attribute("data-call-ready", "true")  # still held
    assert "?" not in page.url and AGENCY.split()[0] not in page.url, page.url
    assert held, "the call screen's module was requested and held"
    held[0].continue_()
    expect(page.locator("body")).to_have_attribute("data-call-ready", "true")
    # What the held Enter does once the screen listens is the screen's own doing, never a GET.
    assert "agency=" not in page.url and AGENCY.split()[0] not in page.url, page.url


@pytest.mark.browser
def test_a_lookup_asked_for_before_the_scripts_run_is_answered(system, page: Page):
    """The same early Enter in the caller lookup is kept and made once the scripts listen."""
    intake = system.http_url("intake")
    sign_in_page(page, intake)
    held = []
    page.route("**/static/journal.js", lambda route: held.append(route))
    with page.expect_request("**/static/journal.js"):
        page.goto(f"{intake}/", wait_until="commit")
    phone = page.locator("#journal-phone")
    expect(phone).to_be_visible()
    phone.fill("050 000 00 00")
    phone.press("Enter")
    assert "?" not in page.url and "050" not in page.url, page.url
    assert held, "the journal's module was requested and held"
    held[0].continue_()
    expect(page.locator("#journal-results .no-match")).to_be_visible()
    assert page.url == f"{intake}/"
