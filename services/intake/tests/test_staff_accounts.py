"""The director manages the hotline's staff accounts of the built-in issuer: add, disable, enable,
reset a password; every change is on the access audit's hash chain; a disabled account can't sign in."""

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from hotline_common.auth import TokenIssuer, generate_signing_keypair
from hotline_common.errors import Conflict, NotFound, PermissionDenied, Unauthenticated
from hotline_devstack.testing import principal
from intake.accounts import service as accounts
from intake.accounts.limits import LoginLimits
from intake.accounts.models import StaffAccount
from intake.accounts.schemas import Credentials
from intake.audit.models import AccessAuditEntry
from intake.director import service
from intake.director.schemas import StaffIn

DIRECTOR = principal("director", subject="director-1")
NEW = StaffIn(username="nigar.h", display_name="Operator Nigar", role="operator", password="a long first password")


@pytest.fixture
def issuer():
    private, _ = generate_signing_keypair()
    return TokenIssuer(private, issuer="hotline-embedded", audience="hotline")


async def sign_in(db, issuer, username, password):
    credentials = Credentials(username=username, password=password)
    return await accounts.sign_in(db, issuer, credentials, limits=LoginLimits(), address="192.0.2.1")


async def audit_actions(db) -> list[str]:
    async with db.reader() as session:
        return list((await session.scalars(select(AccessAuditEntry.action).order_by(AccessAuditEntry.seq))).all())


async def test_the_director_adds_an_operator_who_can_then_sign_in(db, issuer):
    async with db.transaction() as session:
        added = await service.add_staff(session, DIRECTOR, NEW)
    assert (added.username, added.role, added.disabled_at) == ("nigar.h", "operator", None)
    token = await sign_in(db, issuer, "nigar.h", "a long first password")
    assert token.role == "operator"
    assert await audit_actions(db) == ["staff.created"]


async def test_a_taken_username_or_bad_input_changes_nothing(db):
    async with db.transaction() as session:
        await service.add_staff(session, DIRECTOR, NEW)
    with pytest.raises(Conflict, match=r"nigar\.h is taken"):
        async with db.transaction() as session:
            await service.add_staff(session, DIRECTOR, NEW)
    for bad in [dict(username="A"), dict(role="partner"), dict(password="short")]:
        with pytest.raises(ValidationError):
            StaffIn(**{**NEW.model_dump(), **bad})
    async with db.reader() as session:
        assert await session.scalar(select(func.count()).select_from(StaffAccount)) == 1
    assert await audit_actions(db) == ["staff.created"]


async def test_a_disabled_account_cannot_sign_in_until_enabled(db, issuer):
    async with db.transaction() as session:
        added = await service.add_staff(session, DIRECTOR, NEW)
    async with db.transaction() as session:
        assert (await service.set_staff_disabled(session, DIRECTOR, added.id, True)).disabled_at is not None
    with pytest.raises(Unauthenticated):
        await sign_in(db, issuer, "nigar.h", "a long first password")
    async with db.transaction() as session:
        await service.set_staff_disabled(session, DIRECTOR, added.id, False)
    assert (await sign_in(db, issuer, "nigar.h", "a long first password")).role == "operator"
    assert await audit_actions(db) == ["staff.created", "staff.disabled", "staff.enabled"]


async def test_a_password_reset_replaces_the_old_password(db, issuer):
    async with db.transaction() as session:
        added = await service.add_staff(session, DIRECTOR, NEW)
    async with db.transaction() as session:
        await service.reset_staff_password(session, DIRECTOR, added.id, "another long password")
    with pytest.raises(Unauthenticated):
        await sign_in(db, issuer, "nigar.h", "a long first password")
    assert (await sign_in(db, issuer, "nigar.h", "another long password")).role == "operator"


async def test_refusals(db):
    async with db.transaction() as session:
        added = await service.add_staff(session, DIRECTOR, NEW)
    with pytest.raises(PermissionDenied):
        async with db.transaction() as session:
            await service.add_staff(session, principal("operator"), NEW.model_copy(update={"username": "x.y.z"}))
    with pytest.raises(PermissionDenied):
        async with db.transaction() as session:
            await service.set_staff_disabled(session, principal("admin"), added.id, True)
    me = principal("director", subject=added.id)
    with pytest.raises(Conflict, match="your own account"):
        async with db.transaction() as session:
            await service.set_staff_disabled(session, me, added.id, True)
    with pytest.raises(NotFound):
        async with db.transaction() as session:
            await service.reset_staff_password(session, DIRECTOR, "0190b000-0000-7000-8000-0000000000ff", "x" * 12)
    assert await audit_actions(db) == ["staff.created"]
