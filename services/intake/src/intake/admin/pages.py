"""The technical operator's accounts page, server-rendered over the same service functions as the API:
plain forms (each with its CSRF field) that post, then land back on the list; a refused step shows the
page again with each problem beside its field, which takes the focus."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Principal
from hotline_common.db import Database
from hotline_common.errors import DomainError, FieldProblem
from hotline_common.i18n_markers import N_
from hotline_common.web.deps import Db
from hotline_common.web.pages import PageKit, Pages, shown_errors
from intake.admin import service
from intake.admin.roles import ADMIN_ROLES
from intake.admin.schemas import AccountIn, AccountPassword
from intake.deps import AccountsAdminPage, LoginLimiter

ACCOUNTS_PAGE = "/admin/accounts"
Id36 = Annotated[str, Path(min_length=36, max_length=36)]
Text = Annotated[str, Form()]

# What the page says after a step (`?done=`), by step.
DONE = {
    "created": N_("Account created"),
    "disabled": N_("Account disabled; its sessions ended"),
    "enabled": N_("Account enabled"),
    "password": N_("Password reset; the account's sessions ended"),
    "unlocked": N_("Account unlocked"),
    "sessions": N_("All the account's sessions ended"),
}

Step = Callable[[AsyncSession], Awaitable[object]]

router = APIRouter(include_in_schema=False)


async def _render(
    request: Request,
    pages: Pages,
    db: Database,
    principal: Principal,
    *,
    done: str = "",
    posted: str = "",
    error: DomainError | ValidationError | None = None,
    entered: dict[str, str] | None = None,
) -> HTMLResponse:
    """The list and the forms; after a refused step (`posted` names its form) the reasons, each field's
    beside it and the rest above the list."""
    async with db.reader() as session:
        rows = await service.accounts(session, principal)
    lang = pages.language(request)
    status, problems, general = 200, dict[str, list[str]](), list[str]()
    if error is not None:
        shown, status = shown_errors(error)
        for problem in shown:
            if isinstance(problem, FieldProblem):
                problems.setdefault(problem.field, []).append(pages.explain(lang, problem))
            else:
                general.append(pages.explain(lang, problem))
    return pages.render(
        request,
        "admin_accounts.html",
        status=status,
        principal=principal,
        accounts=rows,
        roles=ADMIN_ROLES,
        may_create_or_reset=service.may_create_or_reset,
        may_disable=service.may_disable,
        done=DONE.get(done, ""),
        posted=posted,
        problems=problems,
        general=general,
        entered=entered or {},
    )


async def _step(
    request: Request,
    pages: Pages,
    db: Database,
    principal: Principal,
    step: Step,
    *,
    done: str,
    posted: str,
    entered: dict[str, str] | None = None,
) -> Response:
    """Run `step` in one transaction, then back to the list saying what was done (or the page with why not)."""
    try:
        async with db.transaction() as session:
            await step(session)
    except (DomainError, ValidationError) as error:
        return await _render(request, pages, db, principal, posted=posted, error=error, entered=entered)
    return RedirectResponse(f"{ACCOUNTS_PAGE}?done={done}", status_code=303)


@router.get(ACCOUNTS_PAGE)
async def accounts_page(
    request: Request, pages: PageKit, db: Db, principal: AccountsAdminPage, done: str = ""
) -> HTMLResponse:
    return await _render(request, pages, db, principal, done=done)


@router.post(ACCOUNTS_PAGE)
async def create_account(
    request: Request,
    pages: PageKit,
    db: Db,
    principal: AccountsAdminPage,
    username: Text = "",
    display_name: Text = "",
    role: Text = "",
    organisation_id: Text = "",
    password: Text = "",
) -> Response:
    entered = {"username": username, "display_name": display_name, "role": role, "organisation_id": organisation_id}

    async def step(session: AsyncSession) -> object:
        data = AccountIn.model_validate({**entered, "organisation_id": organisation_id or None, "password": password})
        return await service.create_account(session, principal, data)

    return await _step(request, pages, db, principal, step, done="created", posted="create", entered=entered)


@router.post(ACCOUNTS_PAGE + "/{account_id}/disabled")
async def set_disabled(
    request: Request, account_id: Id36, pages: PageKit, db: Db, principal: AccountsAdminPage, disabled: Text = ""
) -> Response:
    disable = disabled == "true"

    async def step(session: AsyncSession) -> object:
        return await service.set_disabled(session, principal, account_id, disable)

    done = "disabled" if disable else "enabled"
    return await _step(request, pages, db, principal, step, done=done, posted=account_id)


@router.post(ACCOUNTS_PAGE + "/{account_id}/password")
async def reset_password(
    request: Request, account_id: Id36, pages: PageKit, db: Db, principal: AccountsAdminPage, password: Text = ""
) -> Response:
    async def step(session: AsyncSession) -> object:
        data = AccountPassword(password=password)
        return await service.reset_password(session, principal, account_id, data.password)

    return await _step(request, pages, db, principal, step, done="password", posted=account_id)


@router.post(ACCOUNTS_PAGE + "/{account_id}/unlock")
async def unlock(
    request: Request, account_id: Id36, pages: PageKit, db: Db, principal: AccountsAdminPage, limits: LoginLimiter
) -> Response:
    async def step(session: AsyncSession) -> object:
        account = await service.unlock(session, principal, account_id)
        await limits.unlocked(account.username)
        return account

    return await _step(request, pages, db, principal, step, done="unlocked", posted=account_id)


@router.post(ACCOUNTS_PAGE + "/{account_id}/sessions/end")
async def end_sessions(
    request: Request, account_id: Id36, pages: PageKit, db: Db, principal: AccountsAdminPage
) -> Response:
    async def step(session: AsyncSession) -> object:
        return await service.end_sessions(session, principal, account_id)

    return await _step(request, pages, db, principal, step, done="sessions", posted=account_id)
