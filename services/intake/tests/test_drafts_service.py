"""Drafts of the call sheet: kept as typed, encrypted, versioned; closed when the call is recorded."""

import pytest
from sqlalchemy import select

from hotline_common.errors import NotFound, PermissionDenied
from hotline_devstack.testing import principal
from intake.contact import service as contacts
from intake.contact.schemas import ContactCreate
from intake.draft import service as drafts
from intake.draft.models import CallDraft
from intake.draft.schemas import DraftFields, DraftSave

NOTE = "Sevinc, calls from her aunt's phone, safe after 18:00"


async def test_a_draft_comes_back_as_typed_and_is_encrypted(db, cipher):
    operator = principal("operator")
    async with db.transaction() as session:
        draft = await drafts.start_draft(session, operator, cipher)
    async with db.transaction() as session:
        saved = await drafts.save_draft(
            session,
            operator,
            cipher,
            draft.id,
            DraftSave(version=1, fields=DraftFields(line="152", purpose="report_trafficking", note=NOTE)),
        )
    assert saved.version == 2
    async with db.reader() as session:
        again = await drafts.current_draft(session, operator, cipher)
        other = await drafts.current_draft(session, principal("operator", subject="someone-else"), cipher)
        stored = await session.scalar(select(CallDraft.ciphertext))
    assert again.id == draft.id and again.fields.note == NOTE and again.version == 2
    assert other is None, "an operator sees only their own drafts"
    assert b"Sevinc" not in stored


async def test_a_stale_save_is_refused_with_both_values(db, cipher):
    operator = principal("operator")
    async with db.transaction() as session:
        draft = await drafts.start_draft(session, operator, cipher)
    async with db.transaction() as session:  # tab one
        await drafts.save_draft(session, operator, cipher, draft.id, DraftSave(version=1, fields=DraftFields(note="A")))
    with pytest.raises(drafts.StaleDraft) as raised:
        async with db.transaction() as session:  # tab two, still on version 1
            await drafts.save_draft(
                session, operator, cipher, draft.id, DraftSave(version=1, fields=DraftFields(note="B"))
            )
    assert raised.value.current.fields.note == "A" and raised.value.current.version == 2
    assert raised.value.yours.note == "B"
    async with db.reader() as session:
        assert (await drafts.current_draft(session, operator, cipher)).fields.note == "A", "nothing overwritten"


async def test_recording_the_call_closes_its_draft(db, cipher):
    operator = principal("operator")
    async with db.transaction() as session:
        draft = await drafts.start_draft(session, operator, cipher)
    async with db.transaction() as session:
        contact = await contacts.record_contact(
            session,
            operator,
            cipher,
            ContactCreate(line="152", caller_role="victim", purpose="information", note=NOTE, draft_id=draft.id),
        )
    async with db.reader() as session:
        assert await drafts.current_draft(session, operator, cipher) is None
        closed = await session.get(CallDraft, draft.id)
    assert closed.contact_id == contact.id and closed.closed_at is not None
    with pytest.raises(NotFound):
        async with db.transaction() as session:
            await drafts.save_draft(session, operator, cipher, draft.id, DraftSave(version=1, fields=DraftFields()))


async def test_only_the_drafts_owner_and_only_hotline_staff(db, cipher):
    async with db.transaction() as session:
        draft = await drafts.start_draft(session, principal("operator"), cipher)
    with pytest.raises(NotFound):
        async with db.transaction() as session:
            await drafts.save_draft(
                session,
                principal("operator", subject="op-2"),
                cipher,
                draft.id,
                DraftSave(version=1, fields=DraftFields()),
            )
    with pytest.raises(PermissionDenied):
        async with db.transaction() as session:
            await drafts.start_draft(session, principal("partner"), cipher)
