"""CSRF in real headless Chromium: a page served from another port of 127.0.0.1 (the same site, so
SameSite=Strict sends the secretary's session cookie) posts a Working Group message to
coordination: refused, nothing sent. The secretary's own form on coordination still sends one."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect

from hotline_devstack.testing import chromium_page

FORGED = "Forged from another port"


def attacker_site(target: str) -> ThreadingHTTPServer:
    page = f"""<!doctype html><html><body>
<form method="post" action="{target}/messages" id="forged">
  <input name="title" value="{FORGED}"><input name="body" value="sent without the secretary">
  <input name="to_all" value="on"><input name="confidentiality" value="internal">
  <button id="go">Win a prize</button>
</form></body></html>""".encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def browser_page():
    with chromium_page(locale="en-GB") as page:
        yield page


@pytest.mark.browser
def test_a_form_on_another_port_cannot_post_as_the_secretary(system, browser_page: Page):
    coordination = system.http_url("coordination")
    page = browser_page
    page.goto(f"{coordination}/login?lang=en")
    page.locator("#username").fill("secretary")
    page.locator("#password").fill("secretary-demo")
    page.locator("#password").press("Enter")
    page.wait_for_load_state()

    server = attacker_site(coordination)
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        with page.expect_response(f"{coordination}/messages") as answer:
            page.locator("#go").click()
        assert answer.value.status == 403
        expect(page.get_by_role("alert")).to_contain_text("did not come from this site")
    finally:
        server.shutdown()

    page.goto(f"{coordination}/messages?lang=en")
    expect(page.locator("#message-form")).to_be_visible()
    assert FORGED not in page.content()
    # The secretary's own page: its form carries the session's token and is sent.
    page.locator("#message-title").fill("Agenda for March")
    page.locator("#message-body").fill("Please send items by Friday.")
    page.locator("#to-all").check()
    with page.expect_response(
        lambda r: r.url.startswith(f"{coordination}/messages") and r.request.method == "POST"
    ) as sent:
        page.get_by_role("button", name="Send").click()
    assert sent.value.status < 400
    page.goto(f"{coordination}/messages?lang=en")
    expect(page.get_by_text("Agenda for March")).to_be_visible()
    assert FORGED not in page.content()
