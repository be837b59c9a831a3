"""Every service's security headers and CSRF/origin check (hotline_common.web.security), over a real
ServiceRuntime's app with real tokens, in-process: what a page on another port of the same host
can make a signed-in browser send is refused; the service's own pages and bearer clients work."""

from __future__ import annotations

import re
from typing import Annotated
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from hotline_common.auth import SESSION_COOKIE, Role, TokenIssuer, generate_signing_keypair
from hotline_common.i18n import Translator
from hotline_common.runtime import ServiceRuntime
from hotline_common.settings import ServiceSettings
from hotline_common.web.deps import CurrentPrincipal
from hotline_common.web.pages import PageKit, Pages, SignInPages, install_pages
from hotline_common.web.security import csrf_token
from hotline_common.web.signin import IssuedToken, SignInRefused

BASE = """{% extends "common/page.html" %}{% block brand_text %}Test pages{% endblock %}"""
FORM = """{% extends "base.html" %}{% block main %}
<script type="application/json" id="data">{{ {"a": "</script>"}|tojson }}</script>
<form method="post" action="/notes">{{ csrf_field() }}<input name="text"></form>{% endblock %}"""
SERVICE = "coordination"
HERE = "http://pages.test"

router = APIRouter()
received: list[object] = []


@router.get("/notes", response_class=HTMLResponse)
async def notes_page(request: Request, pages: PageKit, principal: CurrentPrincipal) -> HTMLResponse:
    return pages.render(request, "notes.html", principal=principal)


@router.post("/notes")
async def add_note(principal: CurrentPrincipal, text: Annotated[str, Form()]) -> dict[str, str]:
    received.append(text)
    return {"by": principal.subject, "text": text}


@router.post("/library")
async def upload(principal: CurrentPrincipal, file: Annotated[UploadFile, File()]) -> dict[str, int]:
    content = await file.read()
    received.append(content)
    return {"size": len(content)}


@router.post("/api/v1/drafts", status_code=201)
async def create_draft(principal: CurrentPrincipal) -> dict[str, str]:
    received.append(principal.subject)
    return {"by": principal.subject}


def build(tmp_path, *, cookie_secure: bool = False):
    private, public = generate_signing_keypair()
    key = tmp_path / "public.pem"
    key.write_bytes(public)
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "base.html").write_text(BASE)
    (templates / "notes.html").write_text(FORM)
    settings = ServiceSettings(
        http_port=1,
        grpc_port=2,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
        auth_public_key_file=str(key),
        cookie_secure=cookie_secure,
    )
    runtime = ServiceRuntime(SERVICE, settings, "hotline_common:migrations", title="security test")
    issuer = TokenIssuer(private, issuer=settings.auth_issuer, audience=settings.auth_audience)

    async def sign_in(username: str, password: str) -> IssuedToken:
        if password != f"{username}-pw":
            raise SignInRefused(401, "Wrong username or password")
        return IssuedToken(issuer.issue(subject=username, role=Role.WG_MEMBER, name=username), 3600)

    install_pages(runtime.app, Pages(Translator(), [templates], zone=ZoneInfo("Asia/Baku")))
    runtime.app.include_router(SignInPages(sign_in, home=lambda _p: "/notes").router())
    runtime.app.include_router(router)
    token = issuer.issue(subject="secretary", role=Role.WG_MEMBER, name="Secretary")
    return runtime.app, token


@pytest.fixture
def site(tmp_path):
    received.clear()
    return build(tmp_path)


def browser(app, token: str | None = None, base_url: str = HERE) -> httpx.AsyncClient:
    cookies = {SESSION_COOKIE: token} if token else None
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url, cookies=cookies)


async def test_a_form_from_another_port_of_the_host_is_refused_with_the_cookie(site):
    app, token = site
    proof = csrf_token(token, SERVICE)
    async with browser(app, token) as b:
        for origin in ("http://pages.test:8999", "https://pages.test", "http://evil.example", "null"):
            r = await b.post("/notes?lang=en", data={"csrf_token": proof, "text": "x"}, headers={"Origin": origin})
            assert r.status_code == 403, origin
            assert "did not come from this site" in r.text and "text/html" in r.headers["content-type"]
        by_referer = await b.post(
            "/notes", data={"csrf_token": proof, "text": "x"}, headers={"Referer": "http://pages.test:8999/form"}
        )
        same_site = await b.post(
            "/notes", data={"csrf_token": proof, "text": "x"}, headers={"Origin": HERE, "Sec-Fetch-Site": "same-site"}
        )
        assert by_referer.status_code == 403 and same_site.status_code == 403
        hidden = await b.post(
            "/notes",
            data={"csrf_token": proof, "text": "x"},
            headers={"Origin": "null", "Sec-Fetch-Site": "cross-site"},
        )
        assert hidden.status_code == 403
    assert received == []


async def test_the_cookie_without_the_token_changes_nothing(site):
    app, token = site
    async with browser(app, token) as b:
        form = await b.post("/notes?lang=ru", data={"text": "x"}, headers={"Origin": HERE})
        assert form.status_code == 403 and "Обновите страницу" in form.text
        wrong = await b.post("/notes", data={"csrf_token": csrf_token(token, "intake"), "text": "x"})
        assert wrong.status_code == 403, "a token of another service is no token here"
        api = await b.post("/api/v1/drafts", json={}, headers={"Origin": "http://pages.test:8999"})
        assert api.status_code == 403 and api.json()["detail"]
        api_same_origin = await b.post("/api/v1/drafts?lang=en", json={}, headers={"Origin": HERE})
        assert api_same_origin.status_code == 403
        assert "did not come from this site" in api_same_origin.json()["detail"]
        upload = await b.post("/library", files={"file": ("plan.csv", b"a,b\n", "text/csv")})
        assert upload.status_code == 403
    assert received == []


async def test_the_services_own_page_posts_its_form_and_its_scripts_call_the_api(site):
    app, token = site
    async with browser(app, token) as b:
        page = await b.get("/notes")
        assert page.status_code == 200
        field = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
        meta = re.search(r'<meta name="csrf-token" content="([0-9a-f]+)"', page.text)
        assert field and meta and field.group(1) == meta.group(1) == csrf_token(token, SERVICE)
        posted = await b.post("/notes", data={"csrf_token": field.group(1), "text": "agenda"}, headers={"Origin": HERE})
        assert posted.status_code == 200 and posted.json() == {"by": "secretary", "text": "agenda"}
        called = await b.post(
            "/api/v1/drafts",
            json={},
            headers={"X-CSRF-Token": meta.group(1), "Origin": HERE, "Sec-Fetch-Site": "same-origin"},
        )
        assert called.status_code == 201
        # A multipart form: the token is its first field; the file behind it reaches the handler whole.
        big = b"x" * 300_000
        uploaded = await b.post(
            "/library",
            data={"csrf_token": field.group(1)},
            files={"file": ("plan.csv", big, "text/csv")},
            headers={"Referer": f"{HERE}/library"},
        )
        assert uploaded.status_code == 200 and uploaded.json() == {"size": len(big)}
        # A page under Referrer-Policy: no-referrer posts with Origin: null; the browser still says where from.
        no_referrer = await b.post(
            "/notes",
            data={"csrf_token": field.group(1), "text": "private"},
            headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"},
        )
        assert no_referrer.status_code == 200
    assert received == ["agenda", "secretary", big, "private"]


async def test_a_bearer_token_is_not_ambient_and_needs_no_token(site):
    app, token = site
    async with browser(app) as api:
        r = await api.post("/api/v1/drafts", json={}, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 201
        anonymous = await api.post("/api/v1/drafts", json={})
        assert anonymous.status_code == 401, "no cookie: nothing to prove, the principal check answers"


async def test_sign_in_form_is_held_to_the_origin(site):
    app, _token = site
    async with browser(app) as b:
        form = await b.get("/login")
        assert 'name="csrf_token"' in form.text
        elsewhere = await b.post(
            "/login",
            data={"username": "secretary", "password": "secretary-pw"},
            headers={"Origin": "http://evil.example"},
        )
        assert elsewhere.status_code == 403 and SESSION_COOKIE not in b.cookies
        here = await b.post(
            "/login", data={"username": "secretary", "password": "secretary-pw"}, headers={"Origin": HERE}
        )
        assert here.status_code == 303 and SESSION_COOKIE in b.cookies


async def test_every_response_carries_the_security_headers(site):
    app, token = site
    async with browser(app, token) as b:
        page = await b.get("/notes")
        api = await b.post("/api/v1/drafts", json={}, headers={"Authorization": f"Bearer {token}"})
        refused = await b.post("/notes", data={"text": "x"})
        health = await b.get("/healthz")
        for response in (page, api, refused, health):
            csp = response.headers["content-security-policy"]
            directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
            assert directives["frame-ancestors"] == "'none'"
            # Nothing inline runs or applies: no 'unsafe-inline', no nonce, no hash.
            assert directives["script-src"] == directives["style-src"] == "'self'"
            assert "unsafe-inline" not in csp and "nonce-" not in csp
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["referrer-policy"] == "same-origin"
            assert response.headers["cache-control"] == "no-store"
        # A page's server data is a JSON block (not code), escaped so it cannot close its element.
        assert '<script type="application/json" id="data">{"a": "\\u003c/script\\u003e"}</script>' in page.text


@pytest.mark.parametrize("secure", [False, True])
async def test_cookies_are_secure_when_served_over_https(tmp_path, secure):
    app, _token = build(tmp_path, cookie_secure=secure)
    scheme = "https" if secure else "http"
    async with browser(app, base_url=f"{scheme}://pages.test") as b:
        form = await b.get("/login?lang=en")
        signed = await b.post(
            "/login",
            data={"username": "secretary", "password": "secretary-pw"},
            headers={"Origin": f"{scheme}://pages.test"},
        )
        assert signed.status_code == 303
        session = next(c for c in signed.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE))
        language = next(c for c in form.headers.get_list("set-cookie") if c.startswith("lang="))
        for cookie in (session, language):
            assert ("; secure" in cookie.lower()) is secure and "samesite=strict" in cookie.lower()
        assert "httponly" in session.lower()
    if secure:
        async with browser(app, base_url="https://pages.test") as b:
            downgraded = await b.post(
                "/login",
                data={"username": "secretary", "password": "secretary-pw"},
                headers={"Origin": "http://pages.test"},
            )
            assert downgraded.status_code == 403, "http://host is another origin than the https service"


async def test_a_body_no_page_sends_is_refused_not_a_server_error(site):
    app, token = site
    proof = csrf_token(token, SERVICE)
    async with browser(app, token) as b:
        many = "&".join(f"f{i}=1" for i in range(20_000)) + f"&csrf_token={proof}"
        huge = f"csrf_token={proof}&text=" + "x" * (2 * 1024 * 1024)
        for body in (many, huge):
            r = await b.post("/notes", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
            assert r.status_code == 403
        unterminated = await b.post(
            "/library", content=b"--b\r\nno headers end", headers={"Content-Type": "multipart/form-data; boundary=b"}
        )
        assert unterminated.status_code == 403
    assert received == []
