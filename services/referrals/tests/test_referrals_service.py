"""Directory search and referrals, on SQLite and PostgreSQL, through the service layer."""

import pytest
from sqlalchemy import func, select

from hotline.events.v1 import referrals_pb2
from hotline_common.crypto import FieldCipher
from hotline_common.errors import InvalidInput, NotFound, PermissionDenied
from hotline_common.events.schema import outbox
from hotline_devstack.testing import migrated_database, principal
from referrals.database import MIGRATIONS
from referrals.directory import service as directory
from referrals.directory.demo import ORGANISATIONS, load_demo_directory, service_id
from referrals.directory.schemas import ServiceSearch
from referrals.referral import service as referrals
from referrals.referral.models import Referral, ReferralTransition
from referrals.referral.policy import Policy
from referrals.referral.schemas import ReferralCreate

POLICY = Policy(cipher=FieldCipher(FieldCipher.generate_keyring()))

CONTACT = "0190a000-0000-7000-8000-0000000000aa"


@pytest.fixture
async def db(database_url):
    database = await migrated_database(MIGRATIONS, database_url)
    async with database.transaction() as session:
        assert await load_demo_directory(session)
    async with database.transaction() as session:
        assert not await load_demo_directory(session), "demo data loads once"
    yield database
    await database.dispose()


async def test_search_filters_by_need_region_language_and_text(db):
    operator = principal("operator")
    async with db.reader() as session:
        baku_psych = await directory.search_services(
            session, operator, ServiceSearch(service_type="psychologist", region="Baku")
        )
        persian = await directory.search_services(session, operator, ServiceSearch(language="fa"))
        by_text = await directory.search_services(session, operator, ServiceSearch(text="sığınacaq"))
        wildcard = await directory.search_services(session, operator, ServiceSearch(text="%"))
    assert {s.service_type for s in baku_psych} == {"psychologist"} and {s.region for s in baku_psych} == {"Baku"}
    assert len(baku_psych) == 2
    assert [s.region for s in persian] == ["Lankaran"]
    assert [s.service_type for s in by_text] == ["shelter"]
    assert wildcard == [], "a % in the search text is a literal, not a wildcard"


async def test_analyst_cannot_search_the_directory(db):
    async with db.reader() as session:
        with pytest.raises(PermissionDenied):
            await directory.search_services(session, principal("analyst"), ServiceSearch())


async def test_referral_is_stored_with_its_transition_and_event(db):
    operator = principal("operator")
    async with db.transaction() as session:
        out = await referrals.create_referral(
            session,
            operator,
            ReferralCreate(
                contact_id=CONTACT, service_id=service_id(4), reason="needs a safe place tonight", urgency="emergency"
            ),
            POLICY,
        )
    assert out.status == "sent" and out.service_type == "shelter" and out.organisation_id == ORGANISATIONS[3][0]
    async with db.reader() as session:
        transitions = (await session.scalars(select(ReferralTransition))).all()
        [row, notice] = (await session.execute(select(outbox).order_by(outbox.c.seq))).all()
    assert [(t.from_status, t.to_status, t.actor) for t in transitions] == [(None, "sent", "user-1")]
    assert notice.subject == f"referrals.partner.{ORGANISATIONS[3][0]}.referral.sent.v1"
    assert row.subject == "referrals.referral.created.v1"
    event = referrals_pb2.ReferralCreated.FromString(row.payload)
    assert (event.referral_id, event.contact_id, event.urgency) == (out.id, CONTACT, "emergency")
    assert b"safe place" not in row.payload, "the reason stays in referrals"


async def test_unknown_service_is_rejected_and_nothing_is_written(db):
    with pytest.raises(InvalidInput) as raised:
        async with db.transaction() as session:
            await referrals.create_referral(
                session,
                principal("operator"),
                ReferralCreate(contact_id=CONTACT, service_id="0190a000-0000-7000-9000-999999999999", reason="x"),
                POLICY,
            )
    assert raised.value.problems[0].field == "service_id"
    async with db.reader() as session:
        assert await session.scalar(select(func.count()).select_from(Referral)) == 0
        assert await session.scalar(select(func.count()).select_from(outbox)) == 0


async def test_partner_sees_only_referrals_to_its_own_organisation(db):
    async with db.transaction() as session:
        to_psych = await referrals.create_referral(
            session,
            principal("operator"),
            ReferralCreate(contact_id=CONTACT, service_id=service_id(2), reason="crisis support"),
            POLICY,
        )
        to_lawyer = await referrals.create_referral(
            session,
            principal("operator"),
            ReferralCreate(contact_id=CONTACT, service_id=service_id(3), reason="contract question"),
            POLICY,
        )
    psych_partner = principal("partner", organisation_id=ORGANISATIONS[1][0])
    async with db.reader() as session:
        # Partners read through the partner interface (only their organisation's, only consented fields).
        assert (await referrals.partner_get(session, psych_partner, to_psych.id, POLICY)).id == to_psych.id
        with pytest.raises(NotFound):
            await referrals.partner_get(session, psych_partner, to_lawyer.id)
        with pytest.raises(PermissionDenied):
            await referrals.get_referral(session, psych_partner, to_psych.id)
        assert [r.id for r in await referrals.partner_list(session, psych_partner, POLICY)] == [to_psych.id]
        with pytest.raises(PermissionDenied):
            await referrals.list_referrals(session, principal("analyst"))
        with pytest.raises(NotFound):
            await referrals.get_referral(session, principal("operator"), CONTACT)
        with pytest.raises(PermissionDenied):
            await referrals.create_referral(
                session, psych_partner, ReferralCreate(contact_id=CONTACT, service_id=service_id(2), reason="x"), POLICY
            )
