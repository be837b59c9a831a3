"""No referral goes to a deactivated service or to a service of a deactivated organisation (both stores)."""

import pytest
from sqlalchemy import func, select

from hotline_common.crypto import FieldCipher
from hotline_common.errors import InvalidInput
from hotline_common.events.schema import outbox
from hotline_devstack.testing import migrated_database, principal
from referrals.database import MIGRATIONS
from referrals.directory import service as directory
from referrals.directory.demo import ORGANISATIONS, load_demo_directory, service_id
from referrals.referral import service as referrals
from referrals.referral.models import Referral, ReferralTransition
from referrals.referral.policy import Policy
from referrals.referral.schemas import ReferralCreate, StatusChange

POLICY = Policy(cipher=FieldCipher(FieldCipher.generate_keyring()))

CONTACT = "0190a000-0000-7000-8000-0000000000aa"


@pytest.fixture
async def db(database_url):
    database = await migrated_database(MIGRATIONS, database_url)
    async with database.transaction() as session:
        await load_demo_directory(session)
    yield database
    await database.dispose()


async def _counts(db) -> tuple[int, int, int]:
    async with db.reader() as session:
        return (
            await session.scalar(select(func.count()).select_from(Referral)),
            await session.scalar(select(func.count()).select_from(ReferralTransition)),
            await session.scalar(select(func.count()).select_from(outbox)),
        )


async def _refused_create(db, target: str) -> str:
    with pytest.raises(InvalidInput) as raised:
        async with db.transaction() as session:
            await referrals.create_referral(
                session,
                principal("operator"),
                ReferralCreate(contact_id=CONTACT, service_id=target, reason="needs help"),
                POLICY,
            )
    [problem] = raised.value.problems
    assert problem.field == "service_id"
    return problem.reason


async def test_deactivated_service_is_refused_and_nothing_written(db):
    async with db.transaction() as session:
        await directory.set_service_active(session, principal("director"), service_id(2), False)
    before = await _counts(db)
    assert await _refused_create(db, service_id(2)) == "the service is deactivated in the directory"
    assert await _counts(db) == before
    async with db.transaction() as session:
        await directory.set_service_active(session, principal("director"), service_id(2), True)
        assert (
            await referrals.create_referral(
                session,
                principal("operator"),
                ReferralCreate(contact_id=CONTACT, service_id=service_id(2), reason="needs help"),
                POLICY,
            )
        ).status == "sent"


async def test_service_of_deactivated_organisation_is_refused(db):
    async with db.transaction() as session:
        await directory.set_organisation_active(session, principal("director"), ORGANISATIONS[1][0], False)
    before = await _counts(db)
    reason = await _refused_create(db, service_id(2))
    assert reason == "the service's organisation is deactivated in the directory"
    assert await _counts(db) == before


async def test_draft_is_not_sent_to_a_service_deactivated_meanwhile(db):
    async with db.transaction() as session:
        draft = await referrals.create_referral(
            session,
            principal("operator"),
            ReferralCreate(contact_id=CONTACT, service_id=service_id(2), reason="needs help", draft=True),
            POLICY,
        )
    async with db.transaction() as session:
        await directory.set_service_active(session, principal("director"), service_id(2), False)
    before = await _counts(db)
    with pytest.raises(InvalidInput) as raised:
        async with db.transaction() as session:
            await referrals.change_status(
                session, principal("operator"), draft.id, StatusChange(to_status="sent"), POLICY
            )
    assert [p.field for p in raised.value.problems] == ["service_id"]
    assert await _counts(db) == before
    async with db.reader() as session:
        assert (await session.get(Referral, draft.id)).status == "draft"
