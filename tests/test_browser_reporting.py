"""Reporting's dashboard in real headless Chromium: an analyst signed in at the hotline opens the
dashboard, filters it, downloads a table, switches language, prints it, and generates a quarterly
report whose progress the page shows. Screenshots go to test-artifacts/ for a person to look at."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from hotline_devstack.testing import (
    bearer,
    calls_total,
    chromium_page,
    last_ended_quarter,
    record_calls,
    sign_in,
    wait_until,
)

TIMEOUT_MS = 20_000


@pytest.fixture
def page():
    with chromium_page(timeout_ms=TIMEOUT_MS, accept_downloads=True) as page:
        yield page


@pytest.mark.browser
def test_analyst_filters_downloads_and_generates_a_report(system, page: Page, artifacts_dir):
    intake, reporting = system.http_url("intake"), system.http_url("reporting")
    operator, analyst = bearer(sign_in(intake, "operator")), bearer(sign_in(intake, "analyst"))
    # 48 calls of the quarter before this one (an analyst sees only quarters that have ended), 12
    # for each of four purposes: every purpose is at least k = 11, so it is shown.
    quarter, in_it = last_ended_quarter()
    record_calls(intake, operator, 48, started_at=in_it)
    wait_until(lambda: calls_total(system, analyst) == 48, timeout=120, interval=0.5, message="48 calls counted")

    # Sign in at the hotline; its session cookie opens reporting on the same host.
    page.goto(f"{intake}/login")
    page.locator("#username").fill("analyst")
    page.locator("#password").fill("analyst-demo")
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(r"/login$"))
    assert any(c["name"] == "hotline_session" for c in page.context.cookies(reporting))
    page.goto(f"{reporting}/")
    expect(page.locator("html")).to_have_attribute("lang", "az")
    expect(page.get_by_role("heading", level=1)).to_have_text("İdarə paneli")
    expect(page.get_by_test_id("calls-total")).to_have_text("48")
    expect(page.get_by_test_id("lag")).to_contain_text(re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d"))
    purpose = page.locator("#calls_by_purpose")
    expect(purpose.locator("svg")).to_be_visible()
    expect(purpose.locator("tbody tr")).to_have_count(4)
    expect(purpose.locator("tfoot td")).to_have_text("48")
    page.screenshot(path=str(artifacts_dir / "reporting-1-dashboard.png"), full_page=True)

    # Filter by one purpose: every table now counts those 12 calls.
    page.locator("select[name=purpose]").select_option("information")
    page.get_by_role("button", name="Tətbiq et").click()
    expect(page).to_have_url(re.compile(r"purpose=information"))
    expect(page.get_by_test_id("calls-total")).to_have_text("12")
    expect(page.locator("#calls_by_line tfoot td")).to_have_text("12")
    page.screenshot(path=str(artifacts_dir / "reporting-2-filtered.png"), full_page=True)

    # Download the purpose table as CSV: the file has the filtered figures.
    with page.expect_download() as caught:
        page.get_by_test_id("csv-calls_by_purpose").click()
    download = caught.value
    assert download.suggested_filename == "calls_by_purpose.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["purpose", "label", "count"] and ["total", "Cəmi", "12"] in rows
    assert ["information", "məlumat", "12"] in rows

    # English, and the print layout (filters and links hidden, charts kept).
    page.goto(f"{reporting}/?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator("#calls_by_purpose h2")).to_have_text("Calls by purpose")
    page.emulate_media(media="print")
    expect(page.locator("form.filters")).to_be_hidden()
    page.screenshot(path=str(artifacts_dir / "reporting-3-print.png"), full_page=True)
    page.emulate_media(media="screen")

    # A report of the quarter still running is refused beside the period, in the page's language,
    # with the focus there; then one of the quarter that has ended: its progress, then its files.
    page.goto(f"{reporting}/reports?lang=az")
    running = datetime.now(UTC).astimezone(ZoneInfo("Asia/Baku"))
    this_quarter = f"{running.year}-Q{(running.month - 1) // 3 + 1}"
    page.locator("#period").fill(this_quarter)
    page.locator("#period").press("Enter")
    expect(page.locator("#problem-period")).to_contain_text("hesabat başa çatmış dövrü əhatə edir")
    expect(page.locator("#period")).to_be_focused()
    expect(page.locator("#period")).to_have_value(this_quarter)  # what was typed, not the default
    page.screenshot(path=str(artifacts_dir / "reporting-4-report-refused.png"), full_page=True)
    page.goto(f"{reporting}/reports?lang=en")
    page.locator("#period").fill(quarter)
    page.get_by_role("button", name="Generate").click()
    expect(page).to_have_url(re.compile(r"/reports\?job="))
    row = page.locator("tr[data-job]", has_text=quarter).first
    expect(row.get_by_role("link", name="PDF")).to_be_visible(timeout=60_000)
    page.screenshot(path=str(artifacts_dir / "reporting-5-reports.png"), full_page=True)
    with page.expect_download() as caught:
        row.get_by_role("link", name="PDF").click()
    pdf = Path(caught.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
