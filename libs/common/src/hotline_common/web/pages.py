"""Server-rendered pages, written once for every service: the language (`?lang=` then the `lang`
cookie, Azerbaijani by default), rendering over the service's templates and the shared ones
(`common/page.html`, `common/login.html`, `common/refused.html`), the session principal, the
sign-in gate, and sign-in / sign-out routes at any prefix.

A service builds one `Pages` at start and installs it on its app; handlers take
`pages: PageKit` and a principal from `signed_in(...)` as typed dependencies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from pydantic import ValidationError

from hotline_common.auth import SESSION_COOKIE, Permission, Principal
from hotline_common.errors import DependencyUnavailable, DomainError, FieldProblem, InvalidInput, Unauthenticated
from hotline_common.i18n import LANGUAGES, Translator
from hotline_common.i18n_markers import N_
from hotline_common.resources import package_dir
from hotline_common.web.security import cookie_flags, csrf_field, csrf_token_of
from hotline_common.web.signin import EndsSessions, SignIn, SignInRefused, SignsInFromAddress

LANG_COOKIE = "lang"
COMMON_TEMPLATES = package_dir("hotline_common", "web", "templates")
NOT_YOURS = N_("Your role does not include this page.")


class Pages:
    def __init__(
        self,
        translator: Translator,
        template_dirs: Sequence[Path],
        *,
        zone: ZoneInfo,
        globals: Mapping[str, Any] | None = None,
        per_language: Callable[[str], Mapping[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ):
        """`globals`: what every page of the service may use; `per_language`: context that depends
        on the page's language (e.g. a code labeller)."""
        self.translator = translator
        self.per_language = per_language
        self.zone = zone
        self.headers = dict(headers or {})
        loader = ChoiceLoader([FileSystemLoader([str(d) for d in template_dirs]), FileSystemLoader(COMMON_TEMPLATES)])
        env = Environment(loader=loader, autoescape=select_autoescape(default=True), extensions=["jinja2.ext.i18n"])
        env.globals.update(globals or {})
        self.templates = Jinja2Templates(env=env)

    def language(self, request: Request) -> str:
        return self.translator.pick(request.query_params.get("lang") or request.cookies.get(LANG_COOKIE))

    def gettext(self, lang: str) -> Callable[..., str]:
        """`_("msgid")` or `_("template {name}", name=...)` in the page's language."""

        def translate(msgid: str, **params: Any) -> str:
            return self.translator.format(lang, msgid, params)

        return translate

    def local(self, moment: datetime | None) -> str:
        """Stored UTC, shown in the hotline's local time (TIMEZONE)."""
        return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M") if moment else "—"

    def explain(self, lang: str, error: DomainError | FieldProblem) -> str:
        """A domain error or field problem in the reader's language: its msgid and parameters."""
        return self.translator.format(lang, error.template, error.params)

    def render(
        self,
        request: Request,
        name: str,
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        lang = self.language(request)
        translate = self.gettext(lang)
        context.setdefault("principal", None)
        context.update(
            lang=lang,
            languages=LANGUAGES,
            _=translate,
            gettext=translate,
            ngettext=lambda one, many, n, **params: translate(one if n == 1 else many, n=n, **params),
            local=self.local,
            explain=lambda error: self.explain(lang, error),
            # Every POST form's first line; the pages' scripts send csrf_token as X-CSRF-Token.
            csrf_field=lambda: csrf_field(request),
            csrf_token=csrf_token_of(request),
        )
        if self.per_language:
            context.update(self.per_language(lang))
        response = self.templates.TemplateResponse(
            request, name, context, status_code=status, headers={**self.headers, **(headers or {})}
        )
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, **cookie_flags(request))
        return response


def shown_errors(exc: DomainError | ValidationError) -> tuple[list[DomainError | FieldProblem], int]:
    """What a page says a refused step was refused for (each to `explain` in the page's language),
    and the status it answers with."""
    if isinstance(exc, ValidationError):
        return list(InvalidInput.from_pydantic(exc).problems), 422
    if isinstance(exc, InvalidInput):
        return list(exc.problems), exc.http_status
    return [exc], exc.http_status


def pages_of(request: Request) -> Pages:
    pages: Pages = request.app.state.pages
    return pages


async def session_principal(request: Request) -> Principal | None:
    """Who the session cookie names, or None (no cookie, expired or not ours)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        principal: Principal = await request.app.state.runtime.verifier.verify(token)
    except Unauthenticated:
        return None
    except DependencyUnavailable:
        # The revocation list is stale: nobody's session can be trusted, and a page says so in its language.
        raise PageUnavailable(SESSION_UNCHECKED) from None
    return principal


PageKit = Annotated[Pages, Depends(pages_of)]


def page_language(request: Request, pages: PageKit) -> str:
    return pages.language(request)


PageLanguage = Annotated[str, Depends(page_language)]
SessionPrincipal = Annotated[Principal | None, Depends(session_principal)]


class SignInRequired(Exception):
    def __init__(self, login_url: str):
        self.login_url = login_url


SESSION_UNCHECKED = N_("Your session cannot be checked right now. Try again in a minute.")
# Seconds a browser (or a person) waits before trying an unavailable page again.
RETRY_AFTER_SECONDS = 15


class PageUnavailable(Exception):
    def __init__(self, message: str):
        self.message = message


class PageRefused(Exception):
    def __init__(self, principal: Principal, message: str):
        self.principal = principal
        self.message = message


def signed_in(
    *permissions: Permission, login: str = "/login", refusal: str = NOT_YOURS
) -> Callable[[Request], Awaitable[Principal]]:
    """A page's gate: no session sends the browser to sign in (and back here afterwards); a
    principal without one of `permissions` gets the refusal page (403)."""

    async def gate(request: Request) -> Principal:
        principal = await session_principal(request)
        if principal is None:
            raise SignInRequired(login)
        if permissions and not any(principal.can(p) for p in permissions):
            raise PageRefused(principal, refusal)
        return principal

    return gate


def local_path(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: a `next` must never lead elsewhere."""
    if not target or not target.startswith("/") or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def install_pages(
    app: FastAPI, pages: Pages, *, refused_links: Callable[[Principal], Mapping[str, str]] | None = None
) -> None:
    """Make `pages` the app's page kit and answer the gate's exceptions with pages."""
    app.state.pages = pages

    async def on_sign_in_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInRequired)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"{exc.login_url}?next={quote(target, safe='/')}", status_code=303)

    async def on_refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageRefused)
        links = refused_links(exc.principal) if refused_links else {}
        return pages.render(
            request, "common/refused.html", status=403, principal=exc.principal, message=exc.message, screens=links
        )

    async def on_unavailable(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageUnavailable)
        return pages.render(
            request,
            "common/unavailable.html",
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            message=exc.message,
        )

    app.add_exception_handler(SignInRequired, on_sign_in_required)
    app.add_exception_handler(PageRefused, on_refused)
    app.add_exception_handler(PageUnavailable, on_unavailable)


class SignInPages:
    """`{prefix}/login` (form and post) and `{prefix}/logout` over one sign-in. `home` says where a
    signed-in principal lands when no `next` is given; `admit` may refuse a principal with a msgid
    (e.g. the partner portal is for partners), and then no session is set."""

    def __init__(
        self,
        sign_in: SignIn,
        *,
        prefix: str = "",
        home: Callable[[Principal], str] = lambda _principal: "/",
        admit: Callable[[Principal], str | None] | None = None,
        base: str = "base.html",
    ):
        self.sign_in = sign_in
        self.prefix = prefix
        self.home = home
        self.admit = admit
        self.base = base

    def router(self) -> APIRouter:
        router = APIRouter(include_in_schema=False)
        router.add_api_route(f"{self.prefix}/login", self.form, methods=["GET"])
        router.add_api_route(f"{self.prefix}/login", self.submit, methods=["POST"])
        router.add_api_route(f"{self.prefix}/logout", self.sign_out, methods=["POST"])
        return router

    def _form(
        self,
        request: Request,
        pages: Pages,
        *,
        status: int = 200,
        error: str | None = None,
        next_path: str | None = None,
        username: str = "",
    ) -> HTMLResponse:
        return pages.render(
            request,
            "common/login.html",
            status=status,
            base_template=self.base,
            action=f"{self.prefix}/login",
            error=error,
            next_path=next_path,
            username=username[:100],
        )

    async def form(self, request: Request, pages: PageKit, principal: SessionPrincipal) -> HTMLResponse:
        return self._form(request, pages, next_path=local_path(request.query_params.get("next")))

    async def submit(
        self,
        request: Request,
        pages: PageKit,
        username: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        next_path: Annotated[str, Form(alias="next")] = "",
    ) -> Response:
        target = local_path(next_path)
        try:
            if isinstance(self.sign_in, SignsInFromAddress):
                # The browser's address, for the issuer's per-address login limit.
                address = request.client.host if request.client else "unknown"
                issued = await self.sign_in.from_address(username, password, address)
            else:
                issued = await self.sign_in(username, password)
        except SignInRefused as refusal:
            # The username stays: after a mistyped password only the password is typed again.
            return self._form(
                request, pages, status=refusal.status, error=refusal.message, next_path=target, username=username
            )
        principal: Principal = await request.app.state.runtime.verifier.verify(issued.access_token)
        refused = self.admit(principal) if self.admit else None
        if refused:
            return self._form(request, pages, status=403, error=refused, next_path=target, username=username)
        response = RedirectResponse(target or self.home(principal), status_code=303)
        response.set_cookie(
            SESSION_COOKIE, issued.access_token, httponly=True, max_age=issued.expires_in, **cookie_flags(request)
        )
        return response

    async def sign_out(self, principal: SessionPrincipal) -> Response:
        # End the session at the issuer too: a copied cookie must stop working, not only this one.
        if principal is not None and isinstance(self.sign_in, EndsSessions):
            await self.sign_in.end_session(principal)
        response = RedirectResponse(f"{self.prefix}/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response
