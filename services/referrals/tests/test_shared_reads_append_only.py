"""The access log of consented data shown to partners cannot be altered or erased, even by SQL
written past the service layer (database triggers, both stores)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from hotline_common.crypto import FieldCipher
from hotline_devstack.testing import migrated_database, principal
from referrals.consent.models import SharedDataRead
from referrals.database import MIGRATIONS
from referrals.directory.demo import ORGANISATIONS, load_demo_directory, service_id
from referrals.referral import service as referrals
from referrals.referral.policy import Policy
from referrals.referral.schemas import ConsentIn, ReferralCreate

POLICY = Policy(cipher=FieldCipher(FieldCipher.generate_keyring()))
PARTNER = principal("partner", organisation_id=ORGANISATIONS[1][0], subject="partner-1")


@pytest.fixture
async def db(database_url):
    database = await migrated_database(MIGRATIONS, database_url)
    async with database.transaction() as session:
        await load_demo_directory(session)
        out = await referrals.create_referral(
            session,
            principal("operator"),
            ReferralCreate(
                contact_id="0190a000-0000-7000-8000-0000000000aa",
                service_id=service_id(2),
                reason="support",
                consent=ConsentIn(
                    fields=["name"],
                    purpose="support",
                    data={"name": "Leyla"},
                    valid_until=datetime.now(UTC) + timedelta(days=3),
                ),
            ),
            POLICY,
            via_service=referrals.CONSENT_SOURCE,  # consented values come from intake
        )
    async with database.transaction() as session:
        await referrals.partner_get(session, PARTNER, out.id, POLICY, channel="portal")
    yield database
    await database.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE shared_data_reads SET fields = 'nothing', reader = 'someone-else'",
        "DELETE FROM shared_data_reads",
    ],
)
async def test_update_and_delete_are_refused_by_the_database(db, statement):
    with pytest.raises(DBAPIError) as raised:
        async with db.transaction() as session:
            await session.execute(text(statement))
    assert "shared_data_reads is append-only" in str(raised.value)
    async with db.reader() as session:
        [row] = (await session.scalars(select(SharedDataRead))).all()
    assert (row.reader, row.fields, row.channel) == ("partner-1", "name", "portal")


async def test_inserting_still_works(db):
    async with db.transaction() as session:
        await referrals.partner_list(session, PARTNER, POLICY, channel="api")
    async with db.reader() as session:
        assert await session.scalar(select(func.count()).select_from(SharedDataRead)) == 2
