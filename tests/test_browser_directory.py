"""The directory pages in real headless Chromium: an admin (signed in at the hotline's sign-in page;
the session cookie is the host's) edits a service, sees the change in its history, is shown a bad
field without anything changing, updates a shelter's free places and is shown every bad row of a
broken CSV file. Screenshots go to test-artifacts/."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from hotline_devstack.testing import bearer, sign_in
from referrals.directory.demo import service_id

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@pytest.fixture
def page():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-test-deps.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="az-AZ")
        context.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


LEGAL_AID = service_id(3)  # "Pulsuz hüquqi məsləhət", Baku, mon-sat 10:00-17:00
BAKU_SHELTER = service_id(4)


def service_json(system, token: str, sid: str) -> dict:
    response = httpx.get(f"{system.http_url('referrals')}/api/v1/services/{sid}", headers=bearer(token), timeout=10)
    response.raise_for_status()
    return response.json()


@pytest.mark.browser
def test_admin_edits_a_service_and_sees_its_history(system, page: Page, artifacts_dir, tmp_path):
    intake, referrals = system.http_url("intake"), system.http_url("referrals")
    admin_token = sign_in(intake, "admin")

    # Signed out, the directory sends one to its sign-in page.
    page.goto(f"{referrals}/directory")
    expect(page).to_have_url(re.compile(r"/directory/login\?next=/directory$"))

    # Sign in at the hotline's sign-in page: the session cookie belongs to the host, so referrals reads it.
    page.goto(f"{intake}/login")
    page.locator("#username").fill("admin")
    page.locator("#password").fill("admin-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{intake}/admin/accounts")  # signed in: the technical operator lands on the accounts
    page.goto(f"{referrals}/directory")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xidmətlər kataloqu")
    expect(page.locator("main")).to_contain_text("Müvəqqəti sığınacaq")
    page.screenshot(path=str(artifacts_dir / "directory-1-list.png"), full_page=True)

    # The keepers' filter: shelters in Ganja only.
    page.locator("#filter-type").select_option("shelter")
    page.locator("#filter-region").select_option("Ganja")
    page.get_by_role("button", name="Tap").click()
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table tbody tr")).to_contain_text("Qadınlar və uşaqlar üçün yaşayış evi")
    page.goto(f"{referrals}/directory")

    # Edit the legal aid service: Saturday hours and one more language.
    page.get_by_role("link", name="Pulsuz hüquqi məsləhət").click()
    expect(page).to_have_url(re.compile(f"/directory/services/{LEGAL_AID}$"))
    expect(page.locator("#hours_sat")).to_have_value("10:00-17:00")
    page.locator("#hours_sat").fill("10:00-14:00")
    page.locator("input[name=languages][value=tr]").check()
    page.get_by_role("button", name="Yadda saxla").click()
    expect(page.locator(".saved")).to_have_text("Yadda saxlanıldı")
    expect(page.locator("#hours_sat")).to_have_value("10:00-14:00")

    # The history shows who changed what, before and after.
    history = page.locator("ol.history > li").first
    expect(history).to_contain_text("administrator")
    expect(history).to_contain_text("dəyişdirildi")
    expect(history.locator("del")).to_have_text(["az, ru, en", "mon-sat 10:00-17:00"])
    expect(history.locator("ins")).to_have_text(["az, en, ru, tr", "mon-fri 10:00-17:00; sat 10:00-14:00"])
    page.screenshot(path=str(artifacts_dir / "directory-2-edited-with-history.png"), full_page=True)
    saved = service_json(system, admin_token, LEGAL_AID)
    assert saved["opening_hours"] == "mon-fri 10:00-17:00; sat 10:00-14:00"
    assert saved["languages"] == ["az", "en", "ru", "tr"]

    # A bad day is named by its own input, and nothing changes.
    page.locator("#hours_mon").fill("9-18")
    page.locator("#name").fill("A name that must not be saved")
    page.get_by_role("button", name="Yadda saxla").click()
    expect(page.locator("#hours_mon")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#hours_mon-error")).to_contain_text("09:00-18:00")
    assert service_json(system, admin_token, LEGAL_AID) == saved

    # The same page in English.
    page.goto(f"{referrals}/directory/services/{LEGAL_AID}?lang=en")
    expect(page.get_by_role("heading", name="History of changes")).to_be_visible()
    expect(page.locator("ol.history > li").first).to_contain_text("updated")
    page.screenshot(path=str(artifacts_dir / "directory-3-english.png"), full_page=True)

    # Shelters' free places: one number, saved at once, stamped, and in the history.
    page.goto(f"{referrals}/directory/places?lang=az")
    places = page.locator(f"form[action='/directory/places/{BAKU_SHELTER}'] input[name=free_places]")
    expect(places).to_have_value("6")
    places.fill("3")
    page.locator(f"form[action='/directory/places/{BAKU_SHELTER}'] button").click()
    expect(page.locator(".saved")).to_be_visible()
    expect(places).to_have_value("3")
    places.fill("30")  # more than the 20 beds
    page.locator(f"form[action='/directory/places/{BAKU_SHELTER}'] button").click()
    expect(page.locator(f"form[action='/directory/places/{BAKU_SHELTER}'] .error")).to_contain_text("tutumdan çoxdur")
    assert service_json(system, admin_token, BAKU_SHELTER)["free_places"] == 3

    # A broken CSV: every bad row is listed by line and column, and nothing is imported.
    exported = httpx.get(f"{referrals}/api/v1/directory/export", headers=bearer(admin_token), timeout=10).text
    rows = list(csv.DictReader(io.StringIO(exported)))[:4]
    rows[0]["service_type"] = "astrology"  # line 2
    rows[1]["phone"] = "tel:12345"  # line 3
    rows[2]["opening_hours"] = "whenever"  # line 4
    rows[3]["service_name"] = "Must not land"  # line 5: good, but the file is broken
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "broken.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    page.goto(f"{referrals}/directory/import")
    page.locator("#file").set_input_files(str(path))
    page.get_by_role("button", name="İdxal et").click()
    problems = page.locator("#problems tbody tr")
    expect(page.get_by_role("alert")).to_contain_text("Heç nə idxal edilmədi")
    expect(problems).to_have_count(3)
    expect(problems.nth(0)).to_contain_text("2service_type")
    expect(problems.nth(1)).to_contain_text("3phone")
    expect(problems.nth(2)).to_contain_text("4opening_hours")
    page.screenshot(path=str(artifacts_dir / "directory-4-import-problems.png"), full_page=True)
    assert httpx.get(f"{referrals}/api/v1/directory/export", headers=bearer(admin_token), timeout=10).text == exported


def test_intake_passes_the_new_filters_to_referrals(shared_system):
    """The operator's search (intake → referrals over gRPC) with eligibility, open now and city."""
    intake = shared_system.http_url("intake")
    operator = bearer(sign_in(intake, "operator"))
    search = f"{intake}/api/v1/directory/services"
    found = httpx.get(
        search,
        headers=operator,
        timeout=10,
        params=[("service_type", "shelter"), ("eligibility", "women"), ("eligibility", "foreigners")],
    ).json()
    assert {s["region"] for s in found} == {"Baku", "Ganja"}
    assert all(s["free_places"] >= 0 and "open_now" in s and s["hours"] for s in found)
    open_now = httpx.get(
        search, headers=operator, params={"region": "Baku", "open_now": "true", "limit": 100}, timeout=10
    ).json()
    assert service_id(2) in {s["id"] for s in open_now} and all(s["open_now"] for s in open_now)
    in_sheki = httpx.get(search, headers=operator, params={"city": "Şəki", "limit": 100}, timeout=10).json()
    assert in_sheki and {s["region"] for s in in_sheki} == {"Shaki"}
    bad = httpx.get(search, headers=operator, params={"eligibility": "pets"}, timeout=10)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][0] == "eligibility", bad.text


@pytest.mark.browser
def test_operator_cannot_open_the_directory_pages(shared_system, page: Page):
    intake, referrals = shared_system.http_url("intake"), shared_system.http_url("referrals")
    page.goto(f"{intake}/login")
    page.locator("#username").fill("operator")
    page.locator("#password").fill("operator-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{intake}/")  # signed in (the call screen itself is for operators)
    response = page.goto(f"{referrals}/directory")
    assert response.status == 403
    expect(page.get_by_role("alert")).to_have_text("Bu səhifəni yalnız kataloqu aparan şəxslər aça bilər")
