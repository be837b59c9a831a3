"""Contacts: record a call (the whole statistical record sheet), read it (audited), list and
filter them, refer the caller. No HTTP or gRPC in here."""

import base64
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal, require
from hotline_common.crypto import FieldCipher
from hotline_common.db import insert_ignoring_conflict, new_id, utcnow
from hotline_common.errors import FieldProblem, InvalidInput, NotFound, PermissionDenied
from intake.access import service as access
from intake.audit.service import record_access
from intake.contact import codes, outbox, sealing
from intake.contact.models import Contact, ContactAgency, ContactNote, ContactReferral
from intake.contact.schemas import ContactCreate, ContactDetail, ContactOut, ContactPage, ContactReferralOut
from intake.contact.sealing import agency_context, note_context  # noqa: F401 (others import them from here)
from intake.draft.service import close_draft
from intake.identity.models import Caller
from intake.screening import service as screening
from intake.screening.models import ScreeningAlert
from intake.screening.rules import RISK_LEVELS, assess
from intake.scripts.models import AdviceScriptVersion


def _time_problems(field: str, value: datetime | None, now: datetime) -> list[FieldProblem]:
    if value is None:
        return []
    if value.tzinfo is None:
        return [FieldProblem(field, "give a time zone (e.g. 2026-11-22T10:00:00+04:00)")]
    if value > now and field != "follow_up_due_at":
        return [FieldProblem(field, "cannot be in the future")]
    return []


def sheet_problems(data: ContactCreate, now: datetime) -> list[FieldProblem]:
    """Every rule of the record sheet, all problems at once so the operator fixes them in one go."""
    problems = []
    for field, allowed in codes.SINGLE.items():
        value = getattr(data, field)
        if value and value not in allowed:
            problems.append(FieldProblem(field, f"unknown code {value!r}"))
    for field, allowed in codes.MULTI.items():
        values = getattr(data, field)
        problems += [
            FieldProblem(f"{field}.{i}", f"unknown code {v!r}") for i, v in enumerate(values) if v not in allowed
        ]
        if len(set(values)) != len(values):
            problems.append(FieldProblem(field, "a code is listed twice"))
    problems += screening.indicator_problems(data.indicators)
    for field in ("started_at", "ended_at", "follow_up_due_at"):
        problems += _time_problems(field, getattr(data, field), now)
    if problems:
        return problems
    started_at = data.started_at or now
    if data.ended_at and data.ended_at < started_at:
        problems.append(FieldProblem("ended_at", "is before the start of the call"))
    if data.labour_industry and "forced_labour" not in data.exploitation_types:
        problems.append(FieldProblem("labour_industry", "only for forced labour (add it to exploitation_types)"))
    if data.caller_region and data.caller_country not in ("", "AZ"):
        problems.append(FieldProblem("caller_region", "regions are Azerbaijan's; leave empty for a call from abroad"))
    if data.follow_up_needed and data.follow_up_due_at is None:
        problems.append(FieldProblem("follow_up_due_at", "say when the follow-up is due"))
    if not data.follow_up_needed and data.follow_up_due_at is not None:
        problems.append(FieldProblem("follow_up_due_at", "only when a follow-up is needed"))
    if data.follow_up_due_at and data.follow_up_due_at < started_at:
        problems.append(FieldProblem("follow_up_due_at", "is before the call"))
    if len(set(data.services_informed)) != len(data.services_informed):
        problems.append(FieldProblem("services_informed", "a service is listed twice"))
    return problems


async def _checked(session: AsyncSession, data: ContactCreate, now: datetime) -> None:
    problems = sheet_problems(data, now)
    if data.script_version_id and await session.get(AdviceScriptVersion, data.script_version_id) is None:
        problems.append(FieldProblem("script_version_id", "no such advice script version"))
    if data.caller_id:
        caller = await session.get(Caller, data.caller_id)
        if caller is None:
            problems.append(FieldProblem("caller_id", "no such caller profile"))
        elif caller.status != "active":
            problems.append(FieldProblem("caller_id", f"this caller profile is {caller.status}; link the active one"))
    if problems:
        raise InvalidInput(problems)


def _apply_sheet(contact: Contact, data: ContactCreate, risk_level: str) -> None:
    """The coded fields of the sheet onto the contact row (recording and correcting alike)."""
    started_at = contact.started_at
    contact.line, contact.caller_role, contact.purpose = data.line, data.caller_role, data.purpose
    contact.ended_at = data.ended_at
    contact.duration_seconds = int((data.ended_at - started_at).total_seconds()) if data.ended_at else None
    contact.caller_id, contact.anonymous = data.caller_id, data.caller_id is None
    for field in (
        "caller_sex",
        "caller_age_group",
        "caller_citizenship",
        "caller_country",
        "caller_region",
        "caller_language",
        "motive",
        "destination_country",
        "police_report",
        "labour_industry",
        "state_at_start",
        "state_at_end",
        "crisis_support",
        "follow_up_needed",
        "follow_up_due_at",
        "script_version_id",
    ):
        setattr(contact, field, getattr(data, field))
    for field in ("indicators", "exploitation_types", "tactics", "advice_given", "services_informed"):
        setattr(contact, field, list(getattr(data, field)))
    contact.risk_level = risk_level


async def _emit(
    session: AsyncSession, principal: Principal, contact: Contact, assessment, police_report: str, *, returning: bool
) -> None:
    await outbox.emit_recorded(
        session,
        contact,
        methods_of_control=assessment.methods_of_control,
        indicator_groups=assessment.groups,
        returning_caller=returning,
    )
    already_alerted = (
        await session.scalar(select(ScreeningAlert.id).where(ScreeningAlert.contact_id == contact.id).limit(1))
        is not None
    )
    if assessment.risk_level == "high" and not already_alerted:
        await screening.raise_alert(
            session,
            contact_id=contact.id,
            caller_id=contact.caller_id,
            operator_id=principal.subject,
            assessment=assessment,
            police_report=police_report,
        )


async def _returning(session: AsyncSession, caller_id: str | None, contact_id: str) -> bool:
    if caller_id is None:
        return False
    earlier = select(Contact.id).where(Contact.caller_id == caller_id, Contact.id != contact_id).limit(1)
    return await session.scalar(earlier) is not None


async def record_contact(
    session: AsyncSession, principal: Principal, cipher: FieldCipher, data: ContactCreate
) -> ContactOut:
    require(principal, Permission.CONTACT_RECORD)
    now = utcnow()
    await _checked(session, data, now)
    assessment = assess(data.indicators)
    contact = Contact(
        id=new_id(), started_at=data.started_at or now, recorded_at=now, operator_id=principal.subject, revision=1
    )
    _apply_sheet(contact, data, assessment.risk_level)
    returning = await _returning(session, data.caller_id, contact.id)
    session.add(contact)
    await session.flush()
    await sealing.put(session, cipher, ContactNote, contact.id, data.note, contact.caller_id)
    await sealing.put(session, cipher, ContactAgency, contact.id, data.agency, contact.caller_id)
    if data.draft_id:
        await close_draft(session, principal, data.draft_id, contact.id)
    await session.flush()
    await _emit(session, principal, contact, assessment, data.police_report, returning=returning)
    return ContactOut.model_validate(contact, from_attributes=True)


async def correct_contact(
    session: AsyncSession, principal: Principal, cipher: FieldCipher, contact_id: str, data: ContactCreate
) -> ContactOut:
    """A correction of a recorded sheet, by the operator who took the call or the director: the whole
    sheet again, a higher revision, and the event again (consumers keep the newest revision)."""
    require(principal, Permission.CONTACT_RECORD)
    contact = await session.scalar(select(Contact).where(Contact.id == contact_id).with_for_update())
    if contact is None:
        raise NotFound("no such contact")
    if contact.operator_id != principal.subject and not principal.can(Permission.HOTLINE_SUPERVISE):
        raise PermissionDenied("only the operator who took the call, or the director, corrects its sheet")
    problems = []
    if data.draft_id:
        problems.append(FieldProblem("draft_id", "a correction is not typed in a call draft"))
    if data.started_at and data.started_at != contact.started_at:
        problems.append(FieldProblem("started_at", "the start of a recorded call does not change"))
    if problems:
        raise InvalidInput(problems)
    data = data.model_copy(update={"started_at": contact.started_at})
    await _checked(session, data, utcnow())
    assessment = assess(data.indicators)
    _apply_sheet(contact, data, assessment.risk_level)
    contact.revision += 1
    await sealing.put(session, cipher, ContactNote, contact.id, data.note, contact.caller_id)
    await sealing.put(session, cipher, ContactAgency, contact.id, data.agency, contact.caller_id)
    await record_access(
        session,
        principal,
        action="contact.correct",
        record_type="contact",
        record_id=contact.id,
        interface="http",
        reason="sheet corrected",
    )
    await session.flush()
    await _emit(
        session,
        principal,
        contact,
        assessment,
        data.police_report,
        returning=await _returning(session, contact.caller_id, contact.id),
    )
    return ContactOut.model_validate(contact, from_attributes=True)


async def mark_follow_up_done(session: AsyncSession, principal: Principal, contact_id: str) -> ContactOut:
    """Closed by whoever does the follow-up (the call's operator, or the director's assignee) or the director."""
    require(principal, Permission.CONTACT_RECORD)
    contact = await _get(session, contact_id)
    if not contact.follow_up_needed:
        raise InvalidInput.single("contact_id", "this call needs no follow-up")
    if not access.is_supervisor(principal) and await access.follow_up_operator(session, contact) != principal.subject:
        raise PermissionDenied("only the operator of this follow-up, or the director, closes it")
    if contact.follow_up_done_at is None:
        contact.follow_up_done_at = utcnow()
    return ContactOut.model_validate(contact, from_attributes=True)


async def _get(session: AsyncSession, contact_id: str) -> Contact:
    contact = await session.get(Contact, contact_id)
    if contact is None:
        raise NotFound("no such contact")
    return contact


async def read_contact(
    session: AsyncSession,
    principal: Principal,
    cipher: FieldCipher,
    contact_id: str,
    *,
    interface: str,
    reason: str = "",
) -> ContactDetail:
    """A read of a caller's record, decided by intake.access (a link, or a stated reason that flags
    the read): the audit entry commits with it, or the read fails."""
    require(principal, Permission.CONTACT_READ)
    contact = await _get(session, contact_id)
    await access.grant_read(session, principal, contact, action="contact.read", interface=interface, reason=reason)
    note = await sealing.read(session, cipher, ContactNote, contact_id)
    agency = await sealing.read(session, cipher, ContactAgency, contact_id)
    referrals = (
        await session.scalars(
            select(ContactReferral).where(ContactReferral.contact_id == contact_id).order_by(ContactReferral.created_at)
        )
    ).all()
    return ContactDetail(
        **ContactOut.model_validate(contact, from_attributes=True).model_dump(),
        note=note,
        agency=agency,
        referrals=[ContactReferralOut.model_validate(r, from_attributes=True) for r in referrals],
    )


def encode_cursor(contact: Contact) -> str:
    return base64.urlsafe_b64encode(f"{contact.started_at.isoformat()}|{contact.id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        started, contact_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        started_at = datetime.fromisoformat(started)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput.single("after", "not a cursor this list gave out") from None
    if started_at.tzinfo is None or len(contact_id) != 36:
        raise InvalidInput.single("after", "not a cursor this list gave out")
    return started_at, contact_id


async def list_contacts(
    session: AsyncSession,
    principal: Principal,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    line: str | None = None,
    caller_role: str | None = None,
    purpose: str | None = None,
    risk_level: str | None = None,
    operator_id: str | None = None,
    open_follow_up: bool = False,
    after: str | None = None,
    limit: int = 50,
) -> ContactPage:
    """Newest first, keyset-paginated on (started_at, id): page N costs what page 1 costs."""
    require(principal, Permission.CONTACT_READ)
    problems = [
        FieldProblem(field, f"unknown code {value!r}")
        for field, value in (("line", line), ("caller_role", caller_role), ("purpose", purpose))
        if value and value not in codes.SINGLE[field]
    ]
    if risk_level and risk_level not in RISK_LEVELS:
        problems.append(FieldProblem("risk_level", f"unknown code {risk_level!r}"))
    for field, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            problems.append(FieldProblem(field, "give a time zone (e.g. 2026-11-22T10:00:00+04:00)"))
    if problems:
        raise InvalidInput(problems)
    stmt = select(Contact).order_by(Contact.started_at.desc(), Contact.id.desc()).limit(limit + 1)
    if since:
        stmt = stmt.where(Contact.started_at >= since)
    if until:
        stmt = stmt.where(Contact.started_at < until)
    for column, code in (
        (Contact.line, line),
        (Contact.caller_role, caller_role),
        (Contact.purpose, purpose),
        (Contact.risk_level, risk_level),
        (Contact.operator_id, operator_id),
    ):
        if code:
            stmt = stmt.where(column == code)
    if open_follow_up:
        stmt = stmt.where(Contact.follow_up_needed.is_(True), Contact.follow_up_done_at.is_(None))
    if after:
        stmt = stmt.where(tuple_(Contact.started_at, Contact.id) < tuple_(*(literal(v) for v in decode_cursor(after))))
    rows = (await session.scalars(stmt)).all()
    page = rows[:limit]
    return ContactPage(
        items=[ContactOut.model_validate(c, from_attributes=True) for c in page],
        next_cursor=encode_cursor(page[-1]) if len(rows) > limit else None,
    )


async def check_can_refer(session: AsyncSession, principal: Principal, contact_id: str) -> None:
    require(principal, Permission.REFERRAL_CREATE)
    await _get(session, contact_id)


async def link_referral(
    session: AsyncSession,
    *,
    contact_id: str,
    referral_id: str,
    service_id: str,
    service_type: str,
    urgency: str,
    status: str,
    created_at: datetime,
    consent_shared: bool = False,
) -> None:
    """Idempotent: the synchronous answer and the later event both land here."""
    if await session.get(Contact, contact_id) is None:
        return  # a referral for a contact this intake does not hold (another deployment); nothing to link
    await insert_ignoring_conflict(
        session,
        ContactReferral.__table__,
        {
            "referral_id": referral_id,
            "contact_id": contact_id,
            "service_id": service_id,
            "service_type": service_type,
            "urgency": urgency,
            "status": status,
            "created_at": created_at,
            "consent_shared": consent_shared,
        },
        ["referral_id"],
    )


async def set_referral_status(session: AsyncSession, referral_id: str, status: str) -> None:
    """The referral's newest status, as the caller's journal worked it out from referrals' changes."""
    referral = await session.get(ContactReferral, referral_id)
    if referral is None:
        raise NotFound("no such referral")
    referral.status = status


class SharedIdentity(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def phones(self) -> list[str]: ...


class IdentityVault(Protocol):
    """Opens a caller's identity (the wiring passes the callers' vault)."""

    async def read_identity(self, session: AsyncSession, caller_id: str) -> SharedIdentity | None: ...


# Consentable field -> the contact's coded field it is read from (name, phone: the caller's profile;
# situation: the operator's note).
CONSENT_CODES = {
    "age_group": "caller_age_group",
    "sex": "caller_sex",
    "language": "caller_language",
    "nationality": "caller_citizenship",
}


def _shared(action: str, reason: str) -> dict[str, str]:
    return {
        "action": action,
        "interface": "http",
        "reason": reason,
        "reason_field": "access_reason",
        "purpose": "consent for a referral",
    }


async def consented_values(
    session: AsyncSession,
    principal: Principal,
    cipher: FieldCipher,
    vault: IdentityVault,
    contact_id: str,
    fields: Sequence[str],
    *,
    reason: str = "",
) -> tuple[str | None, dict[str, str]]:
    """The values of the consented fields, read here (never taken from the browser): codes from the
    sheet, name and phone decrypted from the linked caller's profile, the situation from the note.
    Every decryption is a read decided by intake.access (`reason`: the break-glass reason of a
    reader with no link, the request's `access_reason`). Returns the contact's caller id and the values."""
    require(principal, Permission.REFERRAL_CREATE)
    contact = await _get(session, contact_id)
    values = {field: getattr(contact, CONSENT_CODES[field]) for field in fields if field in CONSENT_CODES}
    if {"name", "phone"} & set(fields):
        if contact.caller_id is None:
            raise InvalidInput.single(
                "consent.fields", "name and phone come from the caller's profile: link a caller to this call first"
            )
        caller = await session.get(Caller, contact.caller_id)
        assert caller is not None  # the contact's foreign key
        group = await access.linked_group(session, caller)
        await access.grant_read(session, principal, group, **_shared("caller.identity.shared", reason))
        identity = await vault.read_identity(session, contact.caller_id)
        if identity is None:
            raise InvalidInput.single("consent.fields", "this caller's identity was destroyed (retention)")
        if "name" in fields:
            values["name"] = identity.name
        if "phone" in fields:
            values["phone"] = identity.phones[0] if identity.phones else ""
    if "situation" in fields:
        await access.grant_read(session, principal, contact, **_shared("contact.note.shared", reason))
        values["situation"] = (await sealing.read(session, cipher, ContactNote, contact_id))[:500]
    return contact.caller_id, {field: value for field, value in values.items() if value}


async def consent_revoked(session: AsyncSession, referral_id: str) -> None:
    """Referrals confirmed the revocation: the journal stops offering it."""
    link = await session.get(ContactReferral, referral_id)
    if link is not None:
        link.consent_shared = False


async def check_can_revoke(session: AsyncSession, principal: Principal, referral_id: str) -> None:
    """Revoking a consent, or sending a one-time link, is the hotline's act on a referral this intake made."""
    require(principal, Permission.REFERRAL_CREATE)
    if await session.get(ContactReferral, referral_id) is None:
        raise NotFound("no such referral")
