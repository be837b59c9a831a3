"""The technical operator's accounts over HTTP: every account of the built-in issuer, disabling,
unlocking, ending its sessions; creating and resetting those that read no case data. Thin adapters over
admin.service."""

from typing import Annotated

from fastapi import APIRouter, Path

from hotline_common.web.deps import Db
from intake.admin import service
from intake.admin.schemas import AccountDisabled, AccountIn, AccountOut, AccountPassword
from intake.deps import AccountsAdmin, LoginLimiter

Id36 = Annotated[str, Path(min_length=36, max_length=36)]

router = APIRouter(prefix="/api/v1/admin/accounts", tags=["admin"])


@router.get("", response_model=list[AccountOut])
async def accounts(principal: AccountsAdmin, db: Db) -> list[AccountOut]:
    async with db.reader() as session:
        return await service.accounts(session, principal)


@router.post("", response_model=AccountOut, status_code=201)
async def create_account(data: AccountIn, principal: AccountsAdmin, db: Db) -> AccountOut:
    async with db.transaction() as session:
        return await service.create_account(session, principal, data)


@router.put("/{account_id}/disabled", response_model=AccountOut)
async def set_disabled(account_id: Id36, data: AccountDisabled, principal: AccountsAdmin, db: Db) -> AccountOut:
    async with db.transaction() as session:
        return await service.set_disabled(session, principal, account_id, data.disabled)


@router.put("/{account_id}/password", response_model=AccountOut)
async def reset_password(account_id: Id36, data: AccountPassword, principal: AccountsAdmin, db: Db) -> AccountOut:
    async with db.transaction() as session:
        return await service.reset_password(session, principal, account_id, data.password)


@router.post("/{account_id}/unlock", response_model=AccountOut)
async def unlock(account_id: Id36, principal: AccountsAdmin, db: Db, limits: LoginLimiter) -> AccountOut:
    async with db.transaction() as session:
        account = await service.unlock(session, principal, account_id)
    await limits.unlocked(account.username)
    return account


@router.post("/{account_id}/sessions/end", response_model=AccountOut)
async def end_sessions(account_id: Id36, principal: AccountsAdmin, db: Db) -> AccountOut:
    async with db.transaction() as session:
        return await service.end_sessions(session, principal, account_id)
