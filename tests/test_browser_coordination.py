"""The Working Group in real headless Chromium: the head proposes a meeting, the Coordinator agrees
it, the secretary records attendance (one delegated replacement, not counted) and holds it,
members vote to a 4-4 tie that the head's vote breaks, the secretary closes the record, the head
signs the protocol, a member verifies the signature and downloads the PDF. Azerbaijani throughout
(the default). Screenshots go to test-artifacts/ for a person to look at."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from hotline.events.v1 import coordination_pb2
from hotline_common.crypto import FieldCipher
from hotline_common.events.catalog import Namespace
from hotline_devstack.testing import chromium_page, jetstream, wait_until

# Demo members (services/coordination members.service.DEMO_MEMBERS) and how each votes; the head
# (`head` login) and Günel (`wgmember` login) vote themselves, the secretary records the rest.
RECORDED_VOTES = {
    "Elçin Həsənov": "for",
    "Nərmin Quliyeva": "against",
    "Tural İsmayılov": "for",
    "Səbinə Kərimova": "against",
    "Aysel Rzayeva": "for",
    "Orxan Babayev": "against",
}
REPLACED = "Lalə Nəsirova"


@pytest.fixture
def browser_page():
    with chromium_page(locale="az-AZ") as page:
        yield page


def sign_in_as(page: Page, coordination: str, username: str) -> None:
    """Sign in on coordination's own sign-in page (the form posts to intake's token endpoint)."""
    page.context.clear_cookies()
    page.goto(f"{coordination}/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(f"{username}-demo")
    page.locator("#password").press("Enter")
    page.wait_for_load_state()


@pytest.mark.browser
def test_meeting_from_proposal_to_a_verified_protocol(system_factory, browser_page: Page, artifacts_dir):
    system = system_factory(extra_env={"SIGNING_KEYRING": FieldCipher.generate_keyring("s1")})
    coordination = system.http_url("coordination")
    page = browser_page
    shot = lambda name: page.screenshot(path=str(artifacts_dir / f"coordination-{name}.png"), full_page=True)  # noqa: E731

    # Without a session the meetings page sends the head to sign in, and back; the head signs out.
    page.goto(f"{coordination}/meetings")
    expect(page.get_by_role("heading", level=1)).to_have_text("Daxil ol")
    page.locator("#username").fill("head")
    page.locator("#password").fill("head-demo")
    page.locator("#password").press("Enter")
    expect(page).to_have_url(f"{coordination}/meetings")
    page.get_by_role("button", name="Çıxış").click()
    expect(page).to_have_url(f"{coordination}/login")
    assert not page.context.cookies(), "signed out"

    # The head proposes a meeting with its agenda.
    sign_in_as(page, coordination, "head")
    page.goto(f"{coordination}/meetings")
    expect(page.locator("html")).to_have_attribute("lang", "az")
    expect(page.get_by_role("heading", level=1)).to_have_text("İşçi qrupunun iclasları")
    day = (datetime.now(ZoneInfo("Asia/Baku")) + timedelta(days=14)).date()
    page.locator("#date").fill(day.isoformat())
    page.locator("#time").fill("11:00")
    page.locator("#place").fill("Bakı, Daxili İşlər Nazirliyi")
    page.locator("#agenda").fill("Milli Fəaliyyət Planının icrası\nSığınacaqların genişləndirilməsi")
    shot("1-head-proposes")
    page.locator("#schedule-form button[type=submit]").click()
    expect(page.locator("#status")).to_have_text("Təklif olunub")
    meeting_url = page.url
    assert re.search(r"/meetings/[0-9a-f-]{36}$", meeting_url)
    expect(page.locator("#agree")).to_have_count(0)  # only the Coordinator agrees

    # The National Coordinator agrees it.
    sign_in_as(page, coordination, "coordinator")
    page.goto(meeting_url)
    page.locator("#agree").click()
    expect(page.locator("#status")).to_have_text("Razılaşdırılıb")

    # The secretary records attendance (one member sends a replacement) and holds the meeting.
    sign_in_as(page, coordination, "secretary")
    page.goto(meeting_url)
    rows = page.locator("#attendance tbody tr")
    expect(rows).to_have_count(9)
    for index in range(9):
        row = rows.nth(index)
        replaced = row.get_attribute("data-member") == REPLACED
        row.locator("select").select_option("replaced" if replaced else "in_person")
        if replaced:
            row.locator("input").fill("Kamilə Nəsirova (müavin)")
    page.locator("#save-attendance").click()
    expect(page.locator("#quorum")).to_contain_text("8 / 9")
    expect(page.locator("#quorum")).to_contain_text("Kvorum var")
    shot("2-secretary-attendance")
    page.locator("#hold").click()
    expect(page.locator("#status")).to_have_text("Keçirilir")
    page.locator("#proposal-item").select_option("2")
    page.locator("#proposal-text").fill("Gəncədə ikinci sığınacaq açılsın")
    page.locator("#proposal-form button").click()
    proposal = page.locator("#proposal-1")
    expect(proposal).to_contain_text("Gəncədə ikinci sığınacaq açılsın")
    for name, choice in RECORDED_VOTES.items():
        form = page.locator("#proposal-1 form.record-vote")
        form.locator("select[name=member_id]").select_option(label=name)
        form.locator("select[name=choice]").select_option(choice)
        form.locator("button").click()
        expect(page.locator("#proposal-1 .votes")).to_contain_text(name)
    # Recording a second vote for the same member is refused with the reason.
    form = page.locator("#proposal-1 form.record-vote")
    form.locator("select[name=member_id]").select_option(label="Elçin Həsənov")
    form.locator("button").click()
    expect(page.locator("#error")).to_contain_text("artıq səs verib")

    # Günel votes against, the head votes for: 4-4.
    sign_in_as(page, coordination, "wgmember")
    page.goto(meeting_url)
    page.locator("#proposal-1 .my-vote button[value=against]").click()
    expect(page.locator("#proposal-1 .against")).to_have_text("4")
    sign_in_as(page, coordination, "head")
    page.goto(meeting_url)
    page.locator("#proposal-1 .my-vote button[value=for]").click()
    expect(page.locator("#proposal-1 .for")).to_have_text("4")
    shot("3-tie-four-four")

    # The secretary closes the vote: the tie goes the head's way; notes, an assignment, close.
    sign_in_as(page, coordination, "secretary")
    page.goto(meeting_url)
    page.locator("#proposal-1 button.decide").click()
    expect(page.locator("#proposal-1 .outcome")).to_have_text("Qəbul edildi")
    expect(page.locator("#proposal-1")).to_contain_text("rəhbərin səsi ilə həll olundu")
    page.locator("#notes").fill("Sığınacaq üçün bina axtarışı müzakirə olundu; ərazi seçimi razılaşdırıldı.")
    page.locator("#notes-form button").click()
    page.locator("#assignment-text").fill("Bina üçün təkliflər hazırlamaq")
    page.locator("#assignment-owner").fill("Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi")
    page.locator("#assignment-deadline").fill((day + timedelta(days=60)).isoformat())
    page.locator("#assignment-form button").click()
    expect(page.locator("#assignments")).to_contain_text("Bina üçün təkliflər hazırlamaq")
    expect(page.locator("#sign")).to_have_count(0)  # the secretary never signs
    page.locator("#close").click()
    expect(page.locator("#status")).to_have_text("Bağlanıb")
    shot("4-record-closed")

    # The head signs the protocol.
    sign_in_as(page, coordination, "head")
    page.goto(meeting_url)
    page.locator("#sign").click()
    expect(page.locator("#protocol-title")).to_have_text("İşçi qrupunun iclasının protokolu")
    protocol_url = page.url
    expect(page.locator("#protocol-proposals")).to_contain_text("rəhbərin səsi ilə həll olundu")
    shot("5-protocol-signed")

    # A member verifies the signature and downloads the PDF.
    sign_in_as(page, coordination, "wgmember")
    page.goto(protocol_url)
    page.locator("#verify").click()
    expect(page.locator("#verification")).to_contain_text("İmza etibarlıdır")
    shot("6-protocol-verified")
    pdf = page.request.get(
        page.locator("#pdf").get_attribute("href") and coordination + page.locator("#pdf").get_attribute("href")
    )
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    (artifacts_dir / "coordination-protocol-browser.pdf").write_bytes(pdf.body())
    # The same page in English.
    page.goto(protocol_url + "?lang=en")
    expect(page.locator("#protocol-title")).to_have_text("Protocol of the Working Group meeting")


def quarter_warning(system) -> coordination_pb2.QuarterWithoutMeeting | None:
    namespace = Namespace(system.config.namespace)

    async def last(js):
        try:
            msg = await js.get_last_msg(
                namespace.stream("coordination"), namespace.subject("coordination.meeting.quarter_warning.v1")
            )
        except Exception:  # noqa: BLE001 - not there yet
            return None
        return coordination_pb2.QuarterWithoutMeeting.FromString(msg.data)

    # Playwright's sync API keeps an event loop on this thread; ask NATS from another one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(jetstream, system.nats_url, last).result()


@pytest.mark.browser
def test_nap_import_progress_and_a_proposal_put_on_the_agenda(
    system_factory, browser_page: Page, artifacts_dir, tmp_path
):
    # A quarter is at most 13 weeks long: warned at once, whatever today's date.
    system = system_factory(extra_env={"QUARTER_WARNING_WEEKS": "13", "QUARTER_CHECK_SECONDS": "1"})
    coordination = system.http_url("coordination")
    page = browser_page
    shot = lambda name: page.screenshot(path=str(artifacts_dir / f"coordination-{name}.png"), full_page=True)  # noqa: E731
    labour = "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi"

    # The secretary imports the Action Plan; a broken file is refused line by line and imports nothing.
    sign_in_as(page, coordination, "secretary")
    page.goto(f"{coordination}/nap")
    broken = tmp_path / "broken.csv"
    broken.write_text(
        "number,text,executing_bodies,recommended_institutions,deadline,indicators\n"
        f"1.1,Maarifləndirmə kampaniyası,{labour},,2020-03-31,2 kampaniya\n"
        f"1.2,,{labour},,31.12.2027,\n",
        encoding="utf-8",
    )
    page.locator("#import-file").set_input_files(str(broken))
    page.locator("#import-form button").click()
    expect(page.locator("#error")).to_contain_text("sətir 3: text")
    expect(page.locator("#error")).to_contain_text("sətir 3: deadline")
    expect(page.locator("#measures")).not_to_contain_text("Maarifləndirmə")
    good = tmp_path / "plan.csv"
    good.write_text(
        broken.read_text(encoding="utf-8").splitlines()[0]
        + "\n"
        + broken.read_text(encoding="utf-8").splitlines()[1]
        + "\n"
        f"1.2,Sığınacaq şəbəkəsi,{labour}; Səhiyyə Nazirliyi,DİN,2030-12-31,3 sığınacaq\n",
        encoding="utf-8",
    )
    page.locator("#import-file").set_input_files(str(good))
    page.locator("#import-form button").click()
    expect(page.locator("#imported")).to_contain_text("2")
    expect(page.locator("#measures tr.overdue")).to_contain_text("1.1")
    shot("7-nap-imported")

    # Günel reports her ministry's progress with an evidence document.
    sign_in_as(page, coordination, "wgmember")
    page.goto(f"{coordination}/nap")
    page.locator("#measures a", has_text="1.2").click()
    form = page.locator("#progress-form")
    form.locator("select[name=body]").select_option(labour)
    form.locator("select[name=status]").select_option("done")
    form.locator("textarea").fill("Gəncədə bina ayrıldı.")
    evidence = tmp_path / "akt.txt"
    evidence.write_text("Akt № 17", encoding="utf-8")
    form.locator("input[type=file]").set_input_files(str(evidence))
    form.locator("button").click()
    expect(page.locator("#reports")).to_contain_text("akt.txt")
    expect(page.locator("#measure-status")).to_have_text("İcra olunur")  # the health ministry has not reported
    shot("8-nap-progress")

    # She sends a proposal for the Group to all participants.
    page.goto(f"{coordination}/messages")
    page.locator("#message-title").fill("İşəgötürənlər üçün təlim")
    page.locator("#message-body").fill("Növbəti iclasda müzakirə edək.")
    page.locator("#to-all").check()
    page.locator("#is-proposal").check()
    page.locator("#message-form button").click()
    expect(page.locator("#message-heading")).to_have_text("İşəgötürənlər üçün təlim")
    message_url = page.url

    # No meeting this quarter yet: the head is warned on the page, and subscribers by an event.
    sign_in_as(page, coordination, "head")
    page.goto(f"{coordination}/meetings")
    expect(page.locator("#quarter-warning")).to_be_visible()
    warned = wait_until(lambda: quarter_warning(system), timeout=20, message="quarter warning event")
    assert warned.warning_weeks == 13 and warned.quarter.startswith(str(datetime.now(ZoneInfo("Asia/Baku")).year))
    shot("9a-quarter-warning")
    # The head proposes the next meeting; the secretary reads the message and puts it on the agenda.
    day = (datetime.now(ZoneInfo("Asia/Baku")) + timedelta(days=21)).date()
    page.locator("#date").fill(day.isoformat())
    page.locator("#online").check()
    page.locator("#agenda").fill("Milli Fəaliyyət Planı")
    page.locator("#schedule-form button[type=submit]").click()
    expect(page.locator("#status")).to_have_text("Təklif olunub")
    sign_in_as(page, coordination, "secretary")
    page.goto(message_url)
    page.locator("#to-agenda").click()
    expect(page.locator("#agenda li")).to_have_count(2)
    expect(page.locator("#agenda")).to_contain_text("İşəgötürənlər üçün təlim")
    shot("9-proposal-on-agenda")

    # The sender sees the read receipt; the hotline's figures come from reporting.
    sign_in_as(page, coordination, "wgmember")
    page.goto(message_url)
    expect(page.locator("#receipts")).to_contain_text("oxunub")
    page.goto(f"{coordination}/figures")
    expect(page.locator("#figures")).to_contain_text("Zənglər")
    shot("10-figures")
