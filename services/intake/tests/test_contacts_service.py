"""Contacts through the service layer, on SQLite and PostgreSQL: codes apart from identity, notes
encrypted, every read audited, events carrying codes only."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from hotline.events.v1 import intake_pb2
from hotline_common.errors import InvalidInput, NotFound, PermissionDenied
from hotline_common.events.schema import outbox
from hotline_devstack.testing import principal
from intake.audit import service as audit
from intake.audit.models import AccessAuditEntry
from intake.contact import service as contacts
from intake.contact.models import Contact, ContactNote, ContactReferral
from intake.contact.schemas import ContactCreate

NOTE = "Nigar, +994 55 765 43 21, lives near the Ganja bus station"
CALL = {"line": "152", "caller_role": "victim", "purpose": "report_trafficking"}


async def count(db, model) -> int:
    async with db.reader() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_note_is_encrypted_and_the_event_carries_codes_only(db, cipher):
    async with db.transaction() as session:
        contact = await contacts.record_contact(
            session, principal("operator"), cipher, ContactCreate(**CALL, note=NOTE)
        )
    async with db.reader() as session:
        stored = await session.get(ContactNote, contact.id)
        [event_row] = (await session.execute(select(outbox))).all()
    assert b"Nigar" not in stored.ciphertext and b"765 43 21" not in stored.ciphertext
    event = intake_pb2.ContactRecorded.FromString(event_row.payload)
    assert (event.contact_id, event.line, event.caller_role, event.purpose) == (
        contact.id,
        "152",
        "victim",
        "report_trafficking",
    )
    assert b"Nigar" not in event_row.payload and b"765 43 21" not in event_row.payload


async def test_every_read_is_audited_and_visible_to_the_director(db, cipher):
    async with db.transaction() as session:
        contact = await contacts.record_contact(
            session, principal("operator"), cipher, ContactCreate(**CALL, note=NOTE)
        )
    async with db.transaction() as session:
        own = await contacts.read_contact(session, principal("operator"), cipher, contact.id, interface="http")
        other = await contacts.read_contact(
            session,
            principal("operator", subject="op-2"),
            cipher,
            contact.id,
            interface="http",
            reason="callback arranged",
        )
    assert own.note == other.note == NOTE
    async with db.reader() as session:
        entries = await audit.list_entries(session, principal("director"), record_id=contact.id)
        with pytest.raises(PermissionDenied):
            await audit.list_entries(session, principal("operator"))
    assert [(e.actor_id, e.action, e.reason, e.interface) for e in reversed(entries)] == [
        ("user-1", "contact.read", "the operator of the call", "http"),
        ("op-2", "contact.read.break_glass", "callback arranged", "http"),
    ]


async def test_a_note_moved_to_another_contact_does_not_decrypt(db, cipher):
    async with db.transaction() as session:
        first = await contacts.record_contact(session, principal("operator"), cipher, ContactCreate(**CALL, note=NOTE))
        second = await contacts.record_contact(session, principal("operator"), cipher, ContactCreate(**CALL, note="x"))
    async with db.transaction() as session:
        (await session.get(ContactNote, second.id)).ciphertext = (await session.get(ContactNote, first.id)).ciphertext
    with pytest.raises(Exception):
        async with db.transaction() as session:
            await contacts.read_contact(session, principal("operator"), cipher, second.id, interface="http")
    assert await count(db, AccessAuditEntry) == 0, "a failed read leaves no audit entry and no data"


@pytest.mark.parametrize("role", ["partner", "analyst", "coordinator", "wg_member", "admin"])
async def test_roles_outside_the_hotline_cannot_record_or_read(db, cipher, role):
    async with db.transaction() as session:
        contact = await contacts.record_contact(session, principal("operator"), cipher, ContactCreate(**CALL))
    async with db.transaction() as session:
        with pytest.raises(PermissionDenied):
            await contacts.record_contact(session, principal(role), cipher, ContactCreate(**CALL))
        with pytest.raises(PermissionDenied):
            await contacts.read_contact(session, principal(role), cipher, contact.id, interface="http")
    assert await count(db, Contact) == 1 and await count(db, AccessAuditEntry) == 0


async def test_future_start_is_rejected_and_nothing_written(db, cipher):
    future = datetime.now(UTC) + timedelta(hours=1)
    with pytest.raises(InvalidInput) as raised:
        async with db.transaction() as session:
            await contacts.record_contact(
                session, principal("operator"), cipher, ContactCreate(**CALL, started_at=future, note=NOTE)
            )
    assert raised.value.problems[0].field == "started_at"
    assert await count(db, Contact) == 0 and await count(db, ContactNote) == 0 and await count(db, outbox) == 0


async def test_referral_links_are_idempotent_and_ignore_unknown_contacts(db, cipher):
    async with db.transaction() as session:
        contact = await contacts.record_contact(session, principal("operator"), cipher, ContactCreate(**CALL))
    link = dict(
        referral_id="0190a000-0000-7000-8000-0000000000bb",
        service_id="s",
        service_type="shelter",
        urgency="urgent",
        status="sent",
        created_at=datetime.now(UTC),
    )
    for _ in range(2):
        async with db.transaction() as session:
            await contacts.link_referral(session, contact_id=contact.id, **link)
    async with db.transaction() as session:
        await contacts.link_referral(
            session,
            contact_id="0190a000-0000-7000-8000-0000000000cc",
            **{**link, "referral_id": "0190a000-0000-7000-8000-0000000000dd"},
        )
    assert await count(db, ContactReferral) == 1
    async with db.reader() as session:
        with pytest.raises(NotFound):
            await contacts.check_can_refer(session, principal("operator"), "0190a000-0000-7000-8000-0000000000cc")


@pytest.mark.parametrize("status", ["draft", "sent"])
async def test_a_referral_healed_from_its_event_keeps_the_events_status(db, cipher, status):
    """Also whether consented data was shared; a confirmed revocation clears it."""
    from hotline.events.v1 import referrals_pb2
    from hotline_common.events.consumer import Event
    from intake.contact import events as contact_events

    async with db.transaction() as session:
        contact = await contacts.record_contact(session, principal("operator"), cipher, ContactCreate(**CALL))
    now = datetime.now(UTC)
    created = referrals_pb2.ReferralCreated(
        referral_id="0190a000-0000-7000-8000-0000000000ee",
        contact_id=contact.id,
        service_id="s",
        service_type="lawyer",
        urgency="normal",
        status=status,
        consent_given=True,
    )
    created.created_at.FromDatetime(now)
    event = Event(
        id="e1", subject=contact_events.REFERRAL_CREATED, producer="referrals", seq=1, occurred_at=now, payload=created
    )
    async with db.transaction() as session:
        await contact_events.on_referral_created(session, event)
    async with db.reader() as session:
        link = await session.get(ContactReferral, "0190a000-0000-7000-8000-0000000000ee")
    assert (link.status, link.consent_shared) == (status, True)
    async with db.transaction() as session:
        await contacts.consent_revoked(session, "0190a000-0000-7000-8000-0000000000ee")
    async with db.reader() as session:
        assert (await session.get(ContactReferral, "0190a000-0000-7000-8000-0000000000ee")).consent_shared is False
