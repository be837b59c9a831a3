"""The page plumbing every service uses: language, the sign-in gate, sign-in, sign-out, refusals.
Driven over a real ServiceRuntime's app with real tokens, in-process (httpx's ASGI transport)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from hotline_common.auth import SESSION_COOKIE, Permission, Principal, Role, TokenIssuer, generate_signing_keypair
from hotline_common.i18n import Translator
from hotline_common.runtime import ServiceRuntime
from hotline_common.settings import ServiceSettings
from hotline_common.web.pages import PageKit, Pages, SignInPages, install_pages, local_path, signed_in
from hotline_common.web.signin import IssuedToken, SignInRefused
from hotline_devstack.testing import csrf_proof

BASE = """{% extends "common/page.html" %}{% block brand_text %}Test pages{% endblock %}"""
PAGE = """{% extends "base.html" %}{% block main %}<p id="who">{{ principal.subject }}</p>{% endblock %}"""

from typing import Annotated  # noqa: E402

from fastapi import Depends  # noqa: E402

Reader = Annotated[Principal, Depends(signed_in(Permission.STATS_READ))]
router = APIRouter()


@router.get("/report", response_class=HTMLResponse)
async def report(request: Request, pages: PageKit, principal: Reader) -> HTMLResponse:
    return pages.render(request, "report.html", principal=principal)


@pytest.fixture
def site(tmp_path):
    private, public = generate_signing_keypair()
    key = tmp_path / "public.pem"
    key.write_bytes(public)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "base.html").write_text(BASE)
    (templates / "report.html").write_text(PAGE)
    settings = ServiceSettings(
        http_port=1,
        grpc_port=2,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
        auth_public_key_file=str(key),
    )
    runtime = ServiceRuntime("reporting", settings, "hotline_common:migrations", title="pages test")
    issuer = TokenIssuer(private, issuer=settings.auth_issuer, audience=settings.auth_audience)
    accounts = {"analyst": Role.ANALYST, "operator": Role.OPERATOR}

    async def sign_in(username: str, password: str) -> IssuedToken:
        if username not in accounts or password != f"{username}-pw":
            raise SignInRefused(401, "Wrong username or password")
        return IssuedToken(issuer.issue(subject=username, role=accounts[username], name=username), 3600)

    install_pages(runtime.app, Pages(Translator(), [templates], zone=ZoneInfo("Asia/Baku")))
    runtime.app.include_router(SignInPages(sign_in, home=lambda _p: "/report").router())
    runtime.app.include_router(router)
    return runtime.app


def client(app) -> httpx.AsyncClient:
    # A non-browser client sends the session's CSRF token as the pages' scripts do.
    hooks = {"request": [csrf_proof("reporting")]}
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://pages.test", event_hooks=hooks)


async def test_without_a_session_the_page_sends_to_sign_in_and_back(site):
    async with client(site) as browser:
        gate = await browser.get("/report?period=month")
        assert gate.status_code == 303
        target = urlsplit(gate.headers["location"])
        assert target.path == "/login" and parse_qs(target.query)["next"] == ["/report?period=month"]
        form = await browser.get(gate.headers["location"])
        assert form.status_code == 200 and 'lang="az"' in form.text and "Daxil ol" in form.text
        assert 'name="next" value="/report?period=month"' in form.text
        signed = await browser.post(
            "/login", data={"username": "analyst", "password": "analyst-pw", "next": "/report?period=month"}
        )
        assert signed.status_code == 303 and signed.headers["location"] == "/report?period=month"
        assert SESSION_COOKIE in browser.cookies
        page = await browser.get("/report")
        assert page.status_code == 200 and '<p id="who">analyst</p>' in page.text
        assert 'action="/logout"' in page.text and "Çıxış" in page.text


async def test_wrong_password_is_told_in_the_page_language_beside_the_form(site):
    async with client(site) as browser:
        wrong = await browser.post("/login?lang=ru", data={"username": "analyst", "password": "nope"})
        assert wrong.status_code == 401 and SESSION_COOKIE not in browser.cookies
        assert 'id="login-error" role="alert">Неверное имя пользователя или пароль<' in wrong.text
        assert 'aria-describedby="login-error"' in wrong.text
        # The username stays in its field (escaped): only the password is typed again.
        assert 'value="analyst"' in wrong.text
        hostile = await browser.post("/login", data={"username": '"><script>x</script>', "password": "nope"})
        assert "<script>x" not in hostile.text and "&#34;&gt;&lt;script&gt;" in hostile.text


async def test_a_next_that_leaves_the_site_is_ignored(site):
    async with client(site) as browser:
        for bad in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
            assert local_path(bad) is None
            signed = await browser.post("/login", data={"username": "analyst", "password": "analyst-pw", "next": bad})
            assert signed.headers["location"] == "/report"


async def test_another_role_gets_a_refusal_in_its_language(site):
    async with client(site) as browser:
        await browser.post("/login", data={"username": "operator", "password": "operator-pw"})
        refused = await browser.get("/report?lang=en")
        assert refused.status_code == 403 and "Your role does not include this page." in refused.text
        assert browser.cookies.get("lang") == "en"
        again = await browser.get("/report")
        assert 'lang="en"' in again.text, "the language switch is remembered"


async def test_sign_out_ends_the_page_session(site):
    async with client(site) as browser:
        await browser.post("/login", data={"username": "analyst", "password": "analyst-pw"})
        out = await browser.post("/logout")
        assert out.status_code == 303 and out.headers["location"] == "/login"
        assert SESSION_COOKIE not in browser.cookies
        assert (await browser.get("/report")).status_code == 303


async def test_a_tampered_session_is_no_session(site):
    async with client(site) as browser:
        browser.cookies.set(SESSION_COOKIE, "not.a.token")
        assert (await browser.get("/report")).status_code == 303


async def test_a_stale_revocation_list_gives_a_page_in_its_language_not_json(site):
    async with client(site) as browser:
        await browser.post("/login", data={"username": "analyst", "password": "analyst-pw"})
        # Watching, but the list has not been read (NATS unreachable): no session can be trusted.
        site.state.runtime.revocations.watching()
        page = await browser.get("/report?lang=ru")
        assert page.status_code == 503 and page.headers["retry-after"].isdigit()
        assert page.headers["content-type"].startswith("text/html") and 'lang="ru"' in page.text
        assert 'role="alert">Сейчас не удаётся проверить ваш сеанс. Повторите через минуту.<' in page.text
        assert "revocation" not in page.text
