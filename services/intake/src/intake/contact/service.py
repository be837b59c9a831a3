"""Contacts: record a call, read it (audited), refer the caller. No HTTP or gRPC in here."""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal, require
from hotline_common.crypto import FieldCipher
from hotline_common.db import insert_ignoring_conflict, new_id, utcnow
from hotline_common.errors import InvalidInput, NotFound
from intake.audit.service import record_access
from intake.contact import events
from intake.contact.models import Contact, ContactNote, ContactReferral
from intake.contact.schemas import ContactCreate, ContactDetail, ContactOut, ContactReferralOut
from intake.draft.service import close_draft


def note_context(contact_id: str) -> str:
    return f"vault_contact_notes.ciphertext:{contact_id}"


async def record_contact(session: AsyncSession, principal: Principal, cipher: FieldCipher,
                         data: ContactCreate) -> ContactOut:
    require(principal, Permission.CONTACT_RECORD)
    now = utcnow()
    started_at = data.started_at or now
    if started_at.tzinfo is None:
        raise InvalidInput.single("started_at", "give a time zone (e.g. 2026-11-22T10:00:00+04:00)")
    if started_at > now:
        raise InvalidInput.single("started_at", "cannot be in the future")
    contact = Contact(id=new_id(), line=data.line, caller_role=data.caller_role, purpose=data.purpose,
                      started_at=started_at, recorded_at=now, operator_id=principal.subject)
    session.add(contact)
    if data.note:
        session.add(ContactNote(contact_id=contact.id,
                                ciphertext=cipher.encrypt(data.note, context=note_context(contact.id))))
    if data.draft_id:
        await close_draft(session, principal, data.draft_id, contact.id)
    await session.flush()
    await events.emit_recorded(session, contact)
    return ContactOut.model_validate(contact, from_attributes=True)


async def _get(session: AsyncSession, contact_id: str) -> Contact:
    contact = await session.get(Contact, contact_id)
    if contact is None:
        raise NotFound("no such contact")
    return contact


async def read_contact(session: AsyncSession, principal: Principal, cipher: FieldCipher, contact_id: str, *,
                       interface: str, reason: str = "") -> ContactDetail:
    """A read of a caller's record: the audit entry commits with it, or the read fails."""
    require(principal, Permission.CONTACT_READ)
    contact = await _get(session, contact_id)
    note_row = await session.get(ContactNote, contact_id)
    note = cipher.decrypt(note_row.ciphertext, context=note_context(contact_id)) if note_row else ""
    referrals = (await session.scalars(
        select(ContactReferral).where(ContactReferral.contact_id == contact_id).order_by(ContactReferral.created_at)
    )).all()
    await record_access(session, principal, action="contact.read", record_type="contact", record_id=contact_id,
                        interface=interface, reason=reason)
    return ContactDetail(
        **ContactOut.model_validate(contact, from_attributes=True).model_dump(), note=note,
        referrals=[ContactReferralOut.model_validate(r, from_attributes=True) for r in referrals],
    )


async def list_contacts(session: AsyncSession, principal: Principal, *, since: datetime | None = None,
                        until: datetime | None = None, limit: int = 50) -> list[ContactOut]:
    require(principal, Permission.CONTACT_READ)
    stmt = select(Contact).order_by(Contact.started_at.desc()).limit(limit)
    if since:
        stmt = stmt.where(Contact.started_at >= since)
    if until:
        stmt = stmt.where(Contact.started_at < until)
    return [ContactOut.model_validate(c, from_attributes=True) for c in (await session.scalars(stmt)).all()]


async def check_can_refer(session: AsyncSession, principal: Principal, contact_id: str) -> None:
    require(principal, Permission.REFERRAL_CREATE)
    await _get(session, contact_id)


async def link_referral(session: AsyncSession, *, contact_id: str, referral_id: str, service_id: str,
                        service_type: str, urgency: str, status: str, created_at: datetime) -> None:
    """Idempotent: the synchronous answer and the later event both land here."""
    if await session.get(Contact, contact_id) is None:
        return  # a referral for a contact this intake does not hold (another deployment); nothing to link
    await insert_ignoring_conflict(session, ContactReferral.__table__, {
        "referral_id": referral_id, "contact_id": contact_id, "service_id": service_id,
        "service_type": service_type, "urgency": urgency, "status": status, "created_at": created_at,
    }, ["referral_id"])
