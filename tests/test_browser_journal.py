"""The caller's journal and the director's pages in real headless Chromium (Debian's): an operator
finds a returning caller by phone on the call screen, opens the journal and links the call; another
operator with no link must state a reason (break-glass); the director sees both reads in the access
audit, the break-glass one flagged, and reassigns a follow-up on the live board.

Screenshots of each screen go to test-artifacts/ for a person to look at."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from hotline_devstack.testing import bearer, sign_in

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
NAME = "Gülnarə M."
PHONE = "+994 50 555 12 34"
NOTE = "Works in a Dubai hotel laundry; the employer keeps her passport"
REASON = "Aynur is off tonight and the caller rang the night line"


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-test-deps.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        expect.set_options(timeout=TIMEOUT_MS)
        yield browser
        browser.close()


class Screens:
    """One signed-in browser context per person, with JavaScript errors collected."""

    def __init__(self, browser: Browser, intake: str):
        self.browser, self.intake, self.errors, self.contexts = browser, intake, [], []

    def sign_in(self, username: str) -> Page:
        context = self.browser.new_context(viewport={"width": 1366, "height": 768}, locale="az-AZ")
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: self.errors.append(f"{username}: {exc}"))
        page.goto(f"{self.intake}/login")
        page.locator("#username").fill(username)
        page.locator("#password").fill(f"{username}-demo")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/$"))
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def find_by_phone(page: Page, typed: str) -> None:
    page.locator("#journal-phone").fill(typed)
    page.keyboard.press("Enter")  # the lookup form submits from the phone field


@pytest.mark.browser
def test_operator_finds_a_returning_caller_and_the_director_sees_the_audit(system, browser, artifacts_dir):
    intake = system.http_url("intake")
    operator = bearer(sign_in(intake, "operator"))
    # Aynur took this caller's first call last week and set a follow-up for today.
    profile = httpx.post(
        f"{intake}/api/v1/callers",
        headers=operator,
        timeout=10,
        json={
            "name": NAME,
            "phones": [PHONE],
            "safe_times": "after 22:00",
            "callback_ways": ["whatsapp"],
            "danger_flags": ["never_call_back_on_this_number"],
        },
    )
    assert profile.status_code == 201, profile.text
    code, caller_id = profile.json()["code"], profile.json()["id"]
    first = httpx.post(
        f"{intake}/api/v1/contacts",
        headers=operator,
        timeout=10,
        json={
            "line": "152",
            "caller_role": "victim",
            "purpose": "report_trafficking",
            "caller_id": caller_id,
            "note": NOTE,
            "indicators": ["passport_taken", "recruitment_debt", "threats_to_caller"],
            "police_report": "consented",
            "started_at": (datetime.now(UTC) - timedelta(days=7)).isoformat(),
            "follow_up_needed": True,
            "follow_up_due_at": (datetime.now(UTC) + timedelta(hours=2)).isoformat(),
        },
    )
    assert first.status_code == 201, first.text

    screens = Screens(browser, intake)
    try:
        # The caller rings again: Aynur types the number as the caller says it, and finds her.
        page = screens.sign_in("operator")
        expect(page.locator("#journal-panel #journal-title")).to_have_text("Zəng edənin jurnalı")
        find_by_phone(page, "050 555 12 34")
        hit = page.locator("#journal-results .caller-hit")
        expect(hit).to_have_count(1)
        # Enter twice while the first answer is held back: the caller is still listed once.
        held: list = []
        page.route("**/api/v1/callers/lookup", lambda route: held.append(route))
        page.locator("#journal-phone").focus()
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")
        for _ in range(200):  # poll on the page's own clock: route handlers run while Playwright waits
            if len(held) == 2:
                break
            page.wait_for_timeout(50)
        assert len(held) == 2, "both lookups sent"
        for route in held:
            route.continue_()
        page.unroute("**/api/v1/callers/lookup")
        expect(hit).to_have_count(1)
        expect(hit.locator(".caller-code")).to_have_text(code)
        expect(hit.locator(".danger-flag")).to_have_text("Bu nömrəyə heç vaxt geri zəng etməyin")
        expect(hit.locator(".link-mark")).to_have_text("bu zəng edəni tanıyırsınız")
        expect(hit.locator("button.open-journal")).to_be_focused()  # keyboard first: Enter opens it
        page.keyboard.press("Enter")
        view = page.locator("#journal-panel #journal-view")
        expect(view.locator(".caller-code")).to_have_text(code)
        expect(view.locator(".identity")).to_contain_text(NAME)
        expect(view.locator(".identity")).to_contain_text("WhatsApp")
        expect(view.locator(".entry-contact .note")).to_contain_text(NOTE)
        expect(view.locator(".entry-follow_up")).to_have_count(1)
        expect(view.locator(".entry-screening")).to_contain_text("yüksək — Sənədlərin alınması")  # high-risk screening
        # The side panel scrolls on its own at 1366x768: show the timeline in the screenshot.
        view.locator(".timeline").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts_dir / "journal-1-operator-finds-caller.png"))

        # She links the caller to this call and records it: the journal shows both calls.
        hit.locator("button.link-caller").click()
        expect(page.locator("#journal-linked-code")).to_have_text(code)
        page.locator("#line").select_option("152")
        page.locator("#caller_role").select_option("victim")
        page.locator("#purpose").select_option("report_trafficking")
        page.locator("#save-contact").click()
        expect(page.locator("#contact-saved")).to_be_visible()
        expect(view.locator(".entry-contact")).to_have_count(2)
        view.locator(".timeline").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts_dir / "journal-2-call-linked.png"))

        # Elçin has no call with this caller: opening needs a stated reason, and is flagged.
        other = screens.sign_in("operator2")
        find_by_phone(other, PHONE)
        other_hit = other.locator("#journal-results .caller-hit")
        expect(other_hit.locator(".link-mark")).to_have_text("əlaqə yoxdur: açmaq üçün səbəb göstərilməlidir")
        other_hit.locator("button.open-journal").click()
        glass = other.locator("#break-glass")
        expect(glass).to_be_visible()
        expect(other.locator("#break-glass-reason")).to_be_focused()
        expect(other.locator("#journal-panel .identity")).to_have_count(0)  # nothing shown before a reason
        other.keyboard.type("need it")
        other.keyboard.press("Enter")
        expect(other.locator("#break-glass-error")).to_have_text("Həqiqi səbəb yazın, ən azı 10 simvol")
        expect(other.locator("#journal-panel .identity")).to_have_count(0)
        other.locator("#break-glass").scroll_into_view_if_needed()
        other.screenshot(path=str(artifacts_dir / "journal-3a-break-glass-asks-why.png"))
        other.locator("#break-glass-reason").fill(REASON)
        other.keyboard.press("Enter")
        expect(other.locator("#journal-panel .identity")).to_contain_text(NAME)
        other.screenshot(path=str(artifacts_dir / "journal-3-break-glass.png"))

        # The director: the access audit names who opened the journal, why, and flags the break-glass read.
        director = screens.sign_in("director")
        director.get_by_role("link", name="Giriş auditi").click()
        expect(director).to_have_url(re.compile(r"/director/audit$"))
        flagged = director.locator("#audit tbody tr.break-glass")
        expect(flagged).to_have_count(1)
        expect(flagged).to_contain_text("Operator Elçin")
        expect(flagged).to_contain_text(REASON)
        expect(flagged).to_contain_text(code)
        expect(flagged).to_contain_text("Fövqəladə giriş: bu zəng edənlə əlaqə yoxdur")
        aynur_reads = director.locator("#audit tbody tr:not(.break-glass)", has_text="Operator Aynur").filter(
            has_text="Jurnal açıldı"
        )
        expect(aynur_reads.first).to_be_visible()
        director.screenshot(path=str(artifacts_dir / "journal-4-director-audit.png"), full_page=True)
        director.locator("#only-break-glass").click()
        expect(director.locator("#audit tbody tr")).to_have_count(1)
        director.locator(".langs a", has_text="EN").click()
        expect(director.locator("#audit tbody tr.break-glass")).to_contain_text("Break-glass: no link to this caller")

        # The live board: Elçin's call screen is an open call; the follow-up goes to Elçin.
        director.get_by_role("link", name="Live board").click()
        expect(director.locator("#break-glass-last-day")).to_have_text("1")
        expect(director.locator("#overdue-none")).to_be_visible()  # referrals answered over gRPC: none overdue
        expect(director.locator("#board-alerts")).to_be_visible()  # the high-risk call raised an alert
        expect(director.locator(f"#alerts a[href='/callers/{caller_id}']")).to_have_count(1)
        expect(director.locator("#alerts li")).to_contain_text("high · Documents withheld")
        expect(director.locator("#calls tbody tr", has_text="Operator Elçin")).to_have_count(1)
        row = director.locator("#follow-ups tbody tr", has_text=code)
        expect(row.locator(".assignee")).to_have_text("Operator Aynur")
        row.locator("select").select_option(label="Operator Elçin")
        row.get_by_role("button", name="Reassign").click()
        expect(row.get_by_role("status")).to_have_text("Reassigned")
        expect(director.locator("#follow-ups tbody tr", has_text=code).locator(".assignee")).to_have_text(
            "Operator Elçin"
        )
        director.screenshot(path=str(artifacts_dir / "journal-5-director-board.png"), full_page=True)
        director.get_by_role("link", name="Staff accounts").click()
        expect(director.locator("#staff tbody tr", has_text="operator2")).to_contain_text("Operator Elçin")
        director.screenshot(path=str(artifacts_dir / "journal-6-staff.png"), full_page=True)

        # The journal page itself, as the director sees it (in Russian): a second profile of the same
        # woman is merged into this one, then the merge is undone.
        second = httpx.post(
            f"{intake}/api/v1/callers",
            headers=operator,
            timeout=10,
            json={"name": "G. Mammadova", "phones": ["+994 70 444 55 66"], "danger_flags": ["caller_monitored"]},
        ).json()
        director.goto(f"{intake}/callers/{caller_id}?lang=ru")
        expect(director.locator("#journal-title")).to_have_text("Журнал абонента")
        expect(director.locator("#journal-view .danger-flag")).to_have_text("Никогда не перезванивать на этот номер")
        director.locator("#caller-merge-box summary").click()
        director.locator("#merge-code").fill(second["code"].lower())
        director.locator("#merge-reason").fill("the same voice and story; a second SIM card")
        director.locator("#merge-save").click()
        merged = director.locator("#journal-view .merged-profiles li")
        expect(merged).to_have_count(1)
        expect(merged).to_contain_text(second["code"])
        expect(merged).to_contain_text("G. Mammadova")
        expect(director.locator("#journal-view .danger-flag")).to_have_count(2)
        expect(director.locator("#journal-view .entry-merge")).to_have_count(1)
        director.screenshot(path=str(artifacts_dir / "journal-7-journal-page-merged-ru.png"), full_page=True)
        director.once("dialog", lambda dialog: dialog.accept("two different women after all"))
        merged.locator("button.undo-merge").click()
        expect(director.locator("#journal-view .merged-profiles li")).to_have_count(0)
        expect(director.locator("#journal-view .danger-flag")).to_have_count(1)
        expect(director.locator("#journal-view .entry-unmerge")).to_have_count(1)
    finally:
        screens.close()
    assert not screens.errors, f"JavaScript errors on the pages: {screens.errors}"
