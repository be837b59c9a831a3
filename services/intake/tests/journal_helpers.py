"""Helpers for the caller-journal tests: a vault with its own keys, contacts written as the record
sheet writes them (codes only), and events as the consumer hands them over."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from hotline.events.v1 import referrals_pb2
from hotline_common import demo
from hotline_common.db import new_id, utcnow
from hotline_common.events.consumer import Event
from hotline_devstack.testing import principal
from intake.audit.models import AccessAuditEntry
from intake.callers.vault import CallerVault
from intake.contact.models import ContactNote
from intake.contact.service import note_context

OPERATOR = demo.ACCOUNT_IDS["operator"]
OPERATOR2 = demo.ACCOUNT_IDS["operator2"]
DIRECTOR = demo.ACCOUNT_IDS["director"]


def operator(subject: str = OPERATOR):
    return principal("operator", subject=subject)


def director():
    return principal("director", subject=DIRECTOR)


def make_vault(cipher) -> CallerVault:
    return CallerVault(cipher, os.urandom(32))


async def add_contact(
    session,
    vault: CallerVault,
    *,
    operator_id: str = OPERATOR,
    caller_id: str | None = None,
    started_at: datetime | None = None,
    note: str = "",
    follow_up_due_at: datetime | None = None,
    purpose: str = "report_trafficking",
    risk_level: str = "none",
) -> str:
    contact_id = new_id()
    started_at = started_at or utcnow()
    await session.execute(
        _contacts_insert().values(
            id=contact_id,
            line="152",
            caller_role="victim",
            purpose=purpose,
            started_at=started_at,
            recorded_at=started_at,
            operator_id=operator_id,
            caller_id=caller_id,
            anonymous=caller_id is None,
            risk_level=risk_level,
            follow_up_needed=follow_up_due_at is not None,
            follow_up_due_at=follow_up_due_at,
        )
    )
    if note:
        session.add(
            ContactNote(contact_id=contact_id, ciphertext=vault.cipher.encrypt(note, context=note_context(contact_id)))
        )
    return contact_id


def _contacts_insert():
    from sqlalchemy import Boolean, String, column, table

    from hotline_common.db import UTCDateTime

    writable = table(
        "contacts",
        column("id", String),
        column("line", String),
        column("caller_role", String),
        column("purpose", String),
        column("started_at", UTCDateTime),
        column("recorded_at", UTCDateTime),
        column("operator_id", String),
        column("caller_id", String),
        column("anonymous", Boolean),
        column("risk_level", String),
        column("follow_up_needed", Boolean),
        column("follow_up_due_at", UTCDateTime),
    )
    return insert(writable)


async def audit_entries(db) -> list[AccessAuditEntry]:
    async with db.reader() as session:
        return list((await session.scalars(select(AccessAuditEntry).order_by(AccessAuditEntry.seq))).all())


async def count(db, model) -> int:
    async with db.reader() as session:
        return await session.scalar(select(func.count()).select_from(model))


def status_event(
    *,
    referral_id: str,
    contact_id: str,
    to_status: str,
    from_status: str = "sent",
    changed_at: datetime,
    event_id: str | None = None,
    reason_code: str = "",
) -> Event:
    message = referrals_pb2.ReferralStatusChanged(
        referral_id=referral_id,
        contact_id=contact_id,
        service_type="psychologist",
        from_status=from_status,
        to_status=to_status,
        reason_code=reason_code,
        actor_kind="partner",
    )
    message.changed_at.FromDatetime(changed_at)
    message.created_at.FromDatetime(changed_at - timedelta(hours=1))
    return Event(
        id=event_id or new_id(),
        subject="referrals.referral.status_changed.v1",
        producer="referrals",
        seq=1,
        occurred_at=changed_at.astimezone(UTC),
        payload=message,
    )
