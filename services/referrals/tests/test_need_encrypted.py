"""The referral's free-text need is stored only encrypted, like the consented values (on SQLite and
PostgreSQL): a new referral's row holds ciphertext bound to that row, every reader gets the text
back, and migration 0009 encrypts the needs stored in clear before it (refusing without a keyring)."""

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import text

from hotline_common.crypto import FieldCipher
from hotline_common.db import Database
from hotline_common.migrations import alembic_config, upgrade
from hotline_devstack.testing import migrated_database, principal
from referrals.database import MIGRATIONS
from referrals.directory.demo import ORGANISATIONS, load_demo_directory, service_id
from referrals.referral import service as referrals
from referrals.referral.policy import Policy
from referrals.referral.schemas import ReferralCreate

KEYRING = FieldCipher.generate_keyring("n1")
POLICY = Policy(cipher=FieldCipher(KEYRING))
NEED = "Ayan needs a lawyer: her employer kept her passport in Sumqayıt"
PARTNER = principal("partner", organisation_id=ORGANISATIONS[1][0])


async def stored_need(db: Database, referral_id: str) -> bytes:
    async with db.reader() as session:
        return bytes(
            (await session.execute(text("SELECT need FROM referrals WHERE id = :id"), {"id": referral_id})).one()[0]
        )


async def test_a_new_referrals_need_is_stored_encrypted_and_read_back(database_url):
    db = await migrated_database(MIGRATIONS, database_url)
    try:
        async with db.transaction() as session:
            await load_demo_directory(session)
            made = await referrals.create_referral(
                session,
                principal("operator"),
                ReferralCreate(contact_id=str(uuid.uuid4()), service_id=service_id(2), reason=NEED),
                POLICY,
            )
        sealed = await stored_need(db, made.id)
        assert NEED.encode() not in sealed and "Sumqayıt".encode() not in sealed
        assert made.reason == NEED
        async with db.transaction() as session:
            assert (await referrals.get_referral(session, principal("operator"), made.id, POLICY)).reason == NEED
            assert [r.reason for r in await referrals.list_referrals(session, principal("operator"), POLICY)] == [NEED]
            assert (await referrals.partner_get(session, PARTNER, made.id, POLICY)).need == NEED
        async with db.transaction() as session:  # ciphertext moved to another row does not decrypt
            other = await referrals.create_referral(
                session,
                principal("operator"),
                ReferralCreate(contact_id=str(uuid.uuid4()), service_id=service_id(2), reason="x"),
                POLICY,
            )
            await session.execute(
                text("UPDATE referrals SET need = :need WHERE id = :id"), {"need": sealed, "id": other.id}
            )
        with pytest.raises(Exception):
            async with db.reader() as session:
                await referrals.get_referral(session, principal("operator"), other.id, POLICY)
    finally:
        await db.dispose()


async def _clear_referral_at_0008(url: str) -> tuple[Database, str]:
    await asyncio.to_thread(upgrade, MIGRATIONS, url, "0008")
    db = Database(url)
    async with db.transaction() as session:
        await load_demo_directory(session)
    referral_id = str(uuid.uuid4())
    async with db.transaction() as session:
        await session.execute(
            text(
                "INSERT INTO referrals (id, contact_id, service_id, organisation_id, service_type, region, reason,"
                " urgency, status, created_by, created_at) VALUES (:id, :contact, :service, :org, 'psychologist',"
                " 'Baku', :reason, 'routine', 'sent', 'operator', :at)"
            ),
            {
                "id": referral_id,
                "contact": str(uuid.uuid4()),
                "service": service_id(2),
                "org": ORGANISATIONS[1][0],
                "reason": NEED,
                "at": datetime.now(UTC),
            },
        )
    return db, referral_id


async def test_migration_encrypts_the_needs_stored_in_clear(database_url, monkeypatch):
    db, referral_id = await _clear_referral_at_0008(database_url)
    try:
        monkeypatch.delenv("ENCRYPTION_KEYRING", raising=False)
        with pytest.raises(RuntimeError, match="ENCRYPTION_KEYRING"):
            await asyncio.to_thread(upgrade, MIGRATIONS, database_url, "head")
        monkeypatch.setenv("ENCRYPTION_KEYRING", KEYRING)
        await asyncio.to_thread(upgrade, MIGRATIONS, database_url, "head")
        assert NEED.encode() not in await stored_need(db, referral_id)
        async with db.reader() as session:
            assert (await referrals.get_referral(session, principal("director"), referral_id, POLICY)).reason == NEED
        # And back: the downgrade decrypts into the clear column it came from.
        await asyncio.to_thread(command.downgrade, alembic_config(MIGRATIONS, database_url), "0008")
        async with db.reader() as session:
            assert (await session.execute(text("SELECT reason FROM referrals"))).scalar_one() == NEED
    finally:
        await db.dispose()
