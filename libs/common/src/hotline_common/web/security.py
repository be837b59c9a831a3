"""What every response and every state change of every service goes through, once (installed by
`hotline_common.http.create_app`):

- Headers: a Content-Security-Policy that takes scripts and styles only from the service's own
  files (nothing inline: a page's server data travels in `<script type="application/json">`
  blocks, which are data, not code), no framing, no sniffing, referrers kept on the site, and
  `Cache-Control: no-store` on everything but static files.
- CSRF: a browser sends the session cookie with any request to the host, whatever page made it
  (SameSite does not separate the services on the ports of one host). So an unsafe request
  (POST/PUT/PATCH/DELETE) without a bearer token must come from the service's own origin (Origin,
  else Referer; `Sec-Fetch-Site` other than same-origin refused) and, when it carries the session
  cookie, prove it came from one of the service's pages: a token bound to that session, in the
  `X-CSRF-Token` header (the pages' scripts) or as the form's first field `csrf_token` (every
  POST form has `{{ csrf_field() }}` right after its `<form>`). Bearer tokens are not ambient:
  requests with one need neither.

The token is an HMAC of the session token (a secret the browser keeps HttpOnly) keyed per service,
so a page of one service gives no token for another, and whoever could compute it holds the
session already. The sign-in form has no session to bind to; its post is held to the origin check
(a pre-session cookie could be planted from another port of the same host, so it would add nothing).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from markupsafe import Markup
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request, cookie_parser
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hotline_common.auth import SESSION_COOKIE, token_from_header
from hotline_common.i18n_markers import N_

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
NOT_FROM_HERE = N_("This request did not come from this site's own page. Reload the page and try again.")

# A form body is small; a multipart body is looked at only up to its first part (the token).
FORM_BODY_LIMIT = 1024 * 1024
FIRST_PART_LIMIT = 64 * 1024
# Swagger UI (/docs) is FastAPI's page with its inline script and CDN assets; it shows no case data.
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect"})


def csrf_token(session_token: str, service: str) -> str:
    """The proof a page of `service` gives for the session `session_token`."""
    return hmac.new(f"hotline-csrf:{service}".encode(), session_token.encode(), hashlib.sha256).hexdigest()


def csrf_token_of(request: Request) -> str:
    """The token for the request's session, or "" without one (the sign-in form)."""
    session = request.cookies.get(SESSION_COOKIE)
    service: str | None = getattr(request.app.state, "service_name", None)
    return csrf_token(session, service or "") if session else ""


def csrf_field(request: Request) -> Markup:
    """The hidden field a page's POST form carries (first in the form: multipart bodies are read
    only as far as it)."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, csrf_token_of(request))


def cookie_flags(request: Request) -> dict[str, Any]:
    """How the pages set their cookies: SameSite=Strict always, Secure when served over https."""
    settings = getattr(getattr(request.app.state, "runtime", None), "settings", None)
    return {"samesite": "strict", "secure": bool(getattr(settings, "cookie_secure", False))}


def content_security_policy(path: str) -> str:
    if path in DOCS_PATHS:
        return "frame-ancestors 'none'"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )


def _origin(url: str) -> str | None:
    """scheme://host[:port] with the default port left out, lower-cased; None if not a URL."""
    parts = urlsplit(url.strip().lower())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    default = {"http": 80, "https": 443}[parts.scheme]
    try:
        port = parts.port
    except ValueError:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def own_origin(scope: Scope, headers: Headers, https: bool) -> str | None:
    scheme = "https" if https else scope.get("scheme", "http")
    host = headers.get("host")
    return _origin(f"{scheme}://{host}") if host else None


def from_elsewhere(scope: Scope, headers: Headers, https: bool) -> bool:
    """True when a browser says the request was made by another site's page (or hides where from).
    `Sec-Fetch-Site` is the browser's own word (no page can set it); a page under
    `Referrer-Policy: no-referrer` (referrals' pages) posts with `Origin: null`, which only it vouches for."""
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return True
    claimed = headers.get("origin") or headers.get("referer")
    if claimed is None:
        return False  # not a browser; the token still guards a cookie
    if claimed == "null":
        return fetch_site is None
    return _origin(claimed) is None or _origin(claimed) != own_origin(scope, headers, https)


def _first_part_token(body: bytes, content_type: str) -> str | None:
    """The value of the multipart body's first part if that part is the CSRF field."""
    found = re.search(r'boundary="?([^";]+)"?', content_type)
    if not found:
        return None
    delimiter = b"--" + found.group(1).encode("latin-1")
    if not body.startswith(delimiter + b"\r\n"):
        return None
    head_end = body.find(b"\r\n\r\n")
    value_end = body.find(b"\r\n" + delimiter, head_end + 4) if head_end > 0 else -1
    if value_end < 0:
        return None
    head = body[len(delimiter) + 2 : head_end].decode("latin-1").lower()
    if not re.search(rf'content-disposition:\s*form-data;\s*name="{CSRF_FIELD}"(\s*$|\r\n)', head):
        return None
    return body[head_end + 4 : value_end].decode("latin-1")


class Body:
    """The request body read as far as the token needs, then given to the app whole."""

    def __init__(self, receive: Receive):
        self.receive = receive
        self.read = b""
        self.done = False
        self.too_large = False
        self.replayed = False

    async def read_until(self, limit: int, enough: Callable[[bytes], bool] | None = None) -> None:
        while not self.done and len(self.read) <= limit and not (enough and enough(self.read)):
            message = await self.receive()
            self.read += message.get("body", b"") if message["type"] == "http.request" else b""
            self.done = message["type"] != "http.request" or not message.get("more_body", False)
        self.too_large = not self.done and len(self.read) > limit

    async def replay(self) -> Message:
        """What the app receives: first what was read here, then the rest as it comes."""
        if not self.replayed:
            self.replayed = True
            if self.read or self.done:
                chunk, self.read = self.read, b""
                return {"type": "http.request", "body": chunk, "more_body": not self.done}
        return await self.receive()


async def presented_csrf(headers: Headers, body: Body) -> str | None:
    if token := headers.get(CSRF_HEADER):
        return token
    content_type = headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        await body.read_until(FORM_BODY_LIMIT)
        if body.too_large:
            return None
        try:
            fields = parse_qsl(body.read.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=10_000)
        except ValueError:  # more fields than any page's form has
            return None
        return next((value for name, value in fields if name == CSRF_FIELD), None)
    if content_type.startswith("multipart/form-data"):
        await body.read_until(FIRST_PART_LIMIT, lambda read: _first_part_token(read, content_type) is not None)
        return _first_part_token(body.read, content_type)
    return None


class SecurityMiddleware:
    """The headers and the CSRF/origin check above, as plain ASGI (no task per request)."""

    def __init__(self, app: ASGIApp, *, service: str, https: bool = False):
        self.app = app
        self.service = service
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = self._with_headers(send, scope["path"])
        headers = Headers(scope=scope)
        if scope["method"] not in UNSAFE_METHODS or token_from_header(headers.get("authorization")):
            await self.app(scope, receive, send)
            return
        body = Body(receive)
        if from_elsewhere(scope, headers, self.https) or not await self._proven(headers, body):
            await self._refuse(scope, headers)(scope, receive, send)
            return
        await self.app(scope, body.replay, send)

    async def _proven(self, headers: Headers, body: Body) -> bool:
        session = _cookie(headers, SESSION_COOKIE)
        if not session:
            return True  # nothing ambient to abuse (sign-in, a one-time link): the origin check holds
        presented = await presented_csrf(headers, body)
        return presented is not None and hmac.compare_digest(presented, csrf_token(session, self.service))

    def _with_headers(self, send: Send, path: str) -> Send:
        static = "/static/" in path

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                _set_default(out, "content-security-policy", content_security_policy(path))
                _set_default(out, "x-frame-options", "DENY")
                _set_default(out, "x-content-type-options", "nosniff")
                _set_default(out, "referrer-policy", "same-origin")
                if not static:
                    _set_default(out, "cache-control", "no-store")
            await send(message)

        return sending

    def _refuse(self, scope: Scope, headers: Headers) -> Response:
        """403 in the reader's language: a page for a browser's form, else JSON."""
        request = Request(scope)
        pages = getattr(request.app.state, "pages", None) if "app" in scope else None
        if pages is None:
            return JSONResponse({"detail": NOT_FROM_HERE}, status_code=403)
        lang = pages.language(request)
        message = pages.translator.gettext(lang, NOT_FROM_HERE)
        if "text/html" in headers.get("accept", "") or headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            try:
                page: Response = pages.render(
                    request, "common/refused.html", status=403, message=NOT_FROM_HERE, screens={}
                )
            except Exception:  # noqa: BLE001 - a base page that needs more than a refusal gives: the text alone
                page = PlainTextResponse(message, status_code=403)
            return page
        return JSONResponse({"detail": message}, status_code=403)


def _set_default(headers: MutableHeaders, name: str, value: str) -> None:
    if name not in headers:
        headers[name] = value


def _cookie(headers: Headers, name: str) -> str | None:
    return cookie_parser(headers.get("cookie", "")).get(name) or None
