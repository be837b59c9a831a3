"""Caller profiles and their journal. Every rule lives here once: field-by-field encryption under
the caller's own key, merges that can be undone exactly; who may open a journal (a link, or a
stated reason that flags the read to the director) is intake.access's one decision, audited in the
same transaction as the read. No HTTP or gRPC in here."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal, require
from hotline_common.db import insert_ignoring_conflict, new_id, utcnow
from hotline_common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from intake.access.service import BreakGlassRequired as BreakGlassRequired
from intake.access.service import grant_read, group_of, has_link, is_supervisor, root_of
from intake.audit.service import record_access
from intake.callers.models import CallerField, CallerMerge, CallerPhone, FollowUpAssignment, ReferralStatusChange
from intake.callers.schemas import (
    IDENTITY_FIELDS,
    CallerCreate,
    CallerIdentity,
    CallerProfile,
    CallerSummary,
    CallerUpdate,
    Journal,
    JournalEntry,
    MergedProfile,
    MergeOut,
)
from intake.callers.vault import CallerVault, encode_field, field_context, phone_context
from intake.contact import service as contacts
from intake.contact.models import Contact, ContactAgency, ContactNote, ContactReferral
from intake.contact.sealing import note_context, open_row, reseal
from intake.draft.models import CallDraft
from intake.identity.models import Caller, CallerKey
from intake.screening.models import ScreeningAlert

# Letters that cannot be misheard or misread for a digit or each other (no B/D-like pairs of
# 8, I/1, L, O/0, Q, S/5, G/6, Z/2, B/P/D/T/V/E).
CODE_LETTERS = "ACFHJKMNRUWXY"
CODE_DIGITS = "0123456789"

ACTIVE, MERGED, DESTROYED = "active", "merged", "destroyed"
PHONE_TAKEN = (
    "this number already belongs to a caller profile: look it up by phone and link the call to it "
    "(or merge the two profiles)"
)


def new_code() -> str:
    letters = "".join(secrets.choice(CODE_LETTERS) for _ in range(2))
    return f"{letters}-{''.join(secrets.choice(CODE_DIGITS) for _ in range(4))}"


async def _unique_code(session: AsyncSession) -> str:
    for _ in range(20):
        code = new_code()
        if not await session.scalar(select(exists().where(Caller.code == code))):
            return code
    raise Conflict("could not find a free caller code; try again")


async def _get(session: AsyncSession, caller_id: str, *, for_update: bool = False) -> Caller:
    stmt = select(Caller).where(Caller.id == caller_id)
    if for_update:
        stmt = stmt.with_for_update()
    caller = (await session.scalars(stmt)).one_or_none()
    if caller is None:
        raise NotFound("no such caller profile")
    return caller


# --- identity vault -------------------------------------------------------------------------


async def _set_fields(session: AsyncSession, vault: CallerVault, key: bytes, caller_id: str, values: dict) -> None:
    for field, value in values.items():
        row = await session.get(CallerField, (caller_id, field))
        if value in ("", [], None):
            if row is not None:
                await session.delete(row)
            continue
        ciphertext = vault.seal(key, encode_field(field, value), context=field_context(caller_id, field))
        if row is None:
            session.add(CallerField(caller_id=caller_id, field=field, ciphertext=ciphertext))
        else:
            row.ciphertext = ciphertext


async def _add_phones(session: AsyncSession, vault: CallerVault, key: bytes, caller: Caller, phones: list[str]) -> None:
    for i, phone in enumerate(phones):
        try:
            index = vault.phone_index(phone)
        except InvalidInput:
            raise InvalidInput.single(
                f"phones.{i}", "a phone number has 7 to 15 digits (e.g. +994 50 123 45 67)"
            ) from None
        owners = (await session.scalars(select(CallerPhone.caller_id).where(CallerPhone.phone_index == index))).all()
        if caller.id in owners:
            continue  # already on this profile
        if owners:
            raise Conflict(PHONE_TAKEN)
        phone_id = new_id()
        session.add(
            CallerPhone(
                id=phone_id,
                caller_id=caller.id,
                phone_index=index,
                added_at=utcnow(),
                ciphertext=vault.seal(key, phone, context=phone_context(phone_id)),
            )
        )
        try:
            await session.flush()
        except IntegrityError:
            # Another operator saved this number in the same moment (the keyed hash is unique).
            raise Conflict(PHONE_TAKEN) from None


async def read_identity(session: AsyncSession, vault: CallerVault, caller_id: str) -> CallerIdentity | None:
    """Decrypt one caller's identity; None once retention destroyed the key."""
    return await vault.read_identity(session, caller_id)


# --- profiles -------------------------------------------------------------------------------


def _profile(caller: Caller, merged_into: Caller | None = None) -> CallerProfile:
    return CallerProfile(
        id=caller.id,
        code=caller.code,
        status=caller.status,
        danger_flags=list(caller.danger_flags),
        assigned_operator_id=caller.assigned_operator_id,
        created_by=caller.created_by,
        created_at=caller.created_at,
        last_activity_at=caller.last_activity_at,
        destroyed_at=caller.destroyed_at,
        merged_into_id=merged_into.id if merged_into else None,
        merged_into_code=merged_into.code if merged_into else None,
    )


async def create_caller(
    session: AsyncSession, principal: Principal, vault: CallerVault, data: CallerCreate
) -> CallerProfile:
    """A new profile, typically during a call; the identity is sealed under a fresh key of its own."""
    require(principal, Permission.CONTACT_RECORD)
    now = utcnow()
    caller = Caller(
        id=new_id(),
        code=await _unique_code(session),
        status=ACTIVE,
        danger_flags=sorted(set(data.danger_flags)),
        assigned_operator_id=None,
        created_by=principal.subject,
        created_at=now,
        last_activity_at=now,
    )
    session.add(caller)
    key = vault.new_data_key()
    session.add(CallerKey(caller_id=caller.id, wrapped_key=vault.wrap(caller.id, key), created_at=now))
    await session.flush()
    await _set_fields(
        session,
        vault,
        key,
        caller.id,
        {
            "name": data.name,
            "address": data.address,
            "safe_times": data.safe_times,
            "callback_ways": sorted(set(data.callback_ways)),
        },
    )
    await _add_phones(session, vault, key, caller, data.phones)
    if data.contact_id:
        await _link(session, principal, vault, caller, data.contact_id)
    return _profile(caller)


async def update_caller(
    session: AsyncSession, principal: Principal, vault: CallerVault, caller_id: str, data: CallerUpdate
) -> CallerProfile:
    require(principal, Permission.CONTACT_RECORD)
    caller = await _get(session, caller_id, for_update=True)
    if caller.status != ACTIVE:
        raise Conflict(f"this profile is {caller.status}; it can no longer be changed")
    if not is_supervisor(principal) and not await has_link(session, principal, await group_of(session, caller)):
        raise PermissionDenied(
            "only an operator with a contact with or an assignment to this caller may change their profile"
        )
    key = await vault.data_key(session, caller.id)
    changes = {f: getattr(data, f) for f in IDENTITY_FIELDS if getattr(data, f) is not None}
    if "callback_ways" in changes:
        changes["callback_ways"] = sorted(set(changes["callback_ways"]))
    await _set_fields(session, vault, key, caller.id, changes)
    await _add_phones(session, vault, key, caller, data.add_phones)
    if data.danger_flags is not None:
        caller.danger_flags = sorted(set(data.danger_flags))
    caller.last_activity_at = utcnow()
    return _profile(caller)


async def _link(
    session: AsyncSession, principal: Principal, vault: CallerVault, caller: Caller, contact_id: str
) -> None:
    contact = (
        await session.execute(select(Contact.caller_id, Contact.operator_id).where(Contact.id == contact_id))
    ).one_or_none()
    if contact is None:
        raise InvalidInput.single("contact_id", "no such contact")
    if contact.operator_id != principal.subject and not is_supervisor(principal):
        raise PermissionDenied("only the operator who took the call (or the director) links it to a caller")
    if contact.caller_id == caller.id:
        return
    if contact.caller_id is not None:
        raise Conflict("this call is already linked to another caller profile")
    await session.execute(update(Contact).where(Contact.id == contact_id).values(caller_id=caller.id, anonymous=False))
    # The call's note and agency name move under this caller's key, so retention can shred them.
    await reseal(session, vault.cipher, contact_id, caller.id)
    caller.last_activity_at = utcnow()


async def link_contact(
    session: AsyncSession, principal: Principal, vault: CallerVault, caller_id: str, contact_id: str
) -> CallerProfile:
    require(principal, Permission.CONTACT_RECORD)
    caller = await root_of(session, await _get(session, caller_id, for_update=True))
    if caller.status != ACTIVE:
        raise Conflict(f"this profile is {caller.status}; link the call to a new profile instead")
    await _link(session, principal, vault, caller, contact_id)
    return _profile(caller)


async def find_by_phone(
    session: AsyncSession, principal: Principal, vault: CallerVault, phone: str, *, interface: str
) -> list[CallerSummary]:
    """A returning caller, found by the keyed hash of their number: no row is decrypted. Each hit
    is audited (that a profile exists is itself something to account for)."""
    require(principal, Permission.CONTACT_READ)
    try:
        index = vault.phone_index(phone)
    except InvalidInput:
        raise InvalidInput.single("phone", "a phone number has 7 to 15 digits (e.g. +994 50 123 45 67)") from None
    owners = (
        await session.scalars(
            select(Caller).join(CallerPhone, CallerPhone.caller_id == Caller.id).where(CallerPhone.phone_index == index)
        )
    ).all()
    found: dict[str, CallerSummary] = {}
    for owner in owners:
        root = await root_of(session, owner)
        if root.status != ACTIVE or root.id in found:
            continue
        linked = await has_link(session, principal, await group_of(session, root))
        found[root.id] = CallerSummary(
            id=root.id, code=root.code, status=root.status, danger_flags=list(root.danger_flags), linked=linked
        )
        await record_access(
            session,
            principal,
            action="caller.lookup",
            record_type="caller",
            record_id=root.id,
            interface=interface,
            reason="phone lookup",
        )
    return list(found.values())


async def find_by_code(session: AsyncSession, principal: Principal, code: str, *, interface: str) -> CallerSummary:
    require(principal, Permission.CONTACT_READ)
    caller = (await session.scalars(select(Caller).where(Caller.code == code.strip().upper()))).one_or_none()
    if caller is None:
        raise NotFound("no caller profile with this code")
    root = await root_of(session, caller)
    await record_access(
        session,
        principal,
        action="caller.lookup",
        record_type="caller",
        record_id=root.id,
        interface=interface,
        reason="code lookup",
    )
    return CallerSummary(
        id=root.id,
        code=root.code,
        status=root.status,
        danger_flags=list(root.danger_flags),
        linked=await has_link(session, principal, await group_of(session, root)),
    )


# --- the journal ----------------------------------------------------------------------------


async def open_journal(
    session: AsyncSession, principal: Principal, vault: CallerVault, caller_id: str, *, reason: str = "", interface: str
) -> Journal:
    """The caller's profile, identity and timeline. The audit entry commits with the read. Without
    a link to the caller the operator must state why (break-glass), and the entry is flagged."""
    require(principal, Permission.CONTACT_READ)
    caller = await _get(session, caller_id)
    group = await group_of(session, caller)
    break_glass = await grant_read(
        session, principal, group, action="caller.journal.read", interface=interface, reason=reason
    )
    merged_into = await session.get(Caller, caller.merged_into_id) if caller.merged_into_id else None
    merges = (
        await session.scalars(
            select(CallerMerge).where(
                CallerMerge.survivor_id.in_([c.id for c in group]), CallerMerge.undone_at.is_(None)
            )
        )
    ).all()
    by_id = {c.id: c for c in group}
    merged_profiles = [
        MergedProfile(
            merge_id=m.id,
            caller_id=m.merged_id,
            code=by_id[m.merged_id].code,
            reason=m.reason,
            merged_by=m.merged_by,
            merged_at=m.merged_at,
            identity=await read_identity(session, vault, m.merged_id),
        )
        for m in merges
        if m.merged_id in by_id
    ]
    return Journal(
        profile=_profile(caller, merged_into),
        identity=await read_identity(session, vault, caller.id),
        merged_profiles=merged_profiles,
        timeline=await timeline(session, vault, group),
        break_glass=break_glass,
    )


async def timeline(session: AsyncSession, vault: CallerVault, group: list[Caller]) -> list[JournalEntry]:
    """Contacts, screenings, referrals and their outcomes, follow-ups and merges; newest first."""
    ids = [c.id for c in group]
    contacts = (await session.execute(select(Contact.__table__).where(Contact.caller_id.in_(ids)))).mappings().all()
    contact_ids = [row["id"] for row in contacts]
    notes = {
        n.contact_id: n
        for n in (await session.scalars(select(ContactNote).where(ContactNote.contact_id.in_(contact_ids)))).all()
    }
    assignments = {
        a.contact_id: a.operator_id
        for a in (
            await session.scalars(select(FollowUpAssignment).where(FollowUpAssignment.contact_id.in_(contact_ids)))
        ).all()
    }
    entries: list[JournalEntry] = []
    for row in contacts:
        note = notes.get(row["id"])
        entries.append(
            JournalEntry(
                at=row["started_at"],
                kind="contact",
                contact_id=row["id"],
                operator_id=row["operator_id"],
                details={
                    "line": row["line"],
                    "caller_role": row["caller_role"],
                    "purpose": row["purpose"],
                    "motive": row["motive"] or "",
                    "destination_country": row["destination_country"] or "",
                    "risk_level": row["risk_level"] or "none",
                    "exploitation_types": row["exploitation_types"] or [],
                    "caller_code": next((g.code for g in group if g.id == row["caller_id"]), ""),
                    "note": await open_row(session, vault.cipher, note, note_context(row["id"])),
                },
            )
        )
        if row["follow_up_needed"]:
            entries.append(
                JournalEntry(
                    at=row["follow_up_due_at"] or row["started_at"],
                    kind="follow_up",
                    contact_id=row["id"],
                    operator_id=assignments.get(row["id"], row["operator_id"]),
                    details={
                        "due_at": row["follow_up_due_at"],
                        "done_at": row["follow_up_done_at"],
                        "done": row["follow_up_done_at"] is not None,
                    },
                )
            )
    # Every alert belongs to a contact (indexed); its caller is that contact's.
    alerts = (
        (await session.execute(select(ScreeningAlert.__table__).where(ScreeningAlert.contact_id.in_(contact_ids))))
        .mappings()
        .all()
    )
    for row in alerts:
        entries.append(
            JournalEntry(
                at=row["raised_at"],
                kind="screening",
                contact_id=row["contact_id"],
                operator_id=row["operator_id"],
                details={
                    "risk_level": row["risk_level"],
                    "indicator_groups": row["indicator_groups"] or [],
                    "police_report": row["police_report"],
                    "closed": row["closed_at"] is not None,
                },
            )
        )
    for ref in (
        await session.scalars(select(ContactReferral).where(ContactReferral.contact_id.in_(contact_ids)))
    ).all():
        entries.append(
            JournalEntry(
                at=ref.created_at,
                kind="referral",
                contact_id=ref.contact_id,
                details={
                    "referral_id": ref.referral_id,
                    "service_type": ref.service_type,
                    "urgency": ref.urgency,
                    "status": ref.status,
                    "consent_shared": ref.consent_shared,
                },
            )
        )
    for change in (
        await session.scalars(select(ReferralStatusChange).where(ReferralStatusChange.contact_id.in_(contact_ids)))
    ).all():
        entries.append(
            JournalEntry(
                at=change.changed_at,
                kind="referral_status",
                contact_id=change.contact_id,
                details={
                    "referral_id": change.referral_id,
                    "from_status": change.from_status,
                    "to_status": change.to_status,
                    "reason_code": change.reason_code,
                    "actor_kind": change.actor_kind,
                },
            )
        )
    codes = {g.id: g.code for g in group}
    for m in (
        await session.scalars(
            select(CallerMerge).where(or_(CallerMerge.survivor_id.in_(ids), CallerMerge.merged_id.in_(ids)))
        )
    ).all():
        other = await session.get(Caller, m.merged_id if m.survivor_id in codes else m.survivor_id)
        assert other is not None  # a merge's foreign keys
        details = {
            "survivor_code": codes.get(m.survivor_id) or other.code,
            "merged_code": codes.get(m.merged_id) or other.code,
            "reason": m.reason,
        }
        entries.append(JournalEntry(at=m.merged_at, kind="merge", operator_id=m.merged_by, details=details))
        if m.undone_at:
            entries.append(
                JournalEntry(
                    at=m.undone_at,
                    kind="unmerge",
                    operator_id=m.undone_by,
                    details={**details, "reason": m.undo_reason or ""},
                )
            )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


# --- merging ----------------------------------------------------------------------------------


def _merge_out(m: CallerMerge) -> MergeOut:
    return MergeOut.model_validate(m, from_attributes=True)


async def merge(session: AsyncSession, principal: Principal, merged_id: str, survivor_id: str, reason: str) -> MergeOut:
    """Two profiles found to be one person: the merged one lives on inside the survivor (its
    contacts and identity show in the survivor's journal; a lookup of its phone finds the survivor).
    Nothing is copied or deleted, so an undo restores exactly what was there."""
    require(principal, Permission.CONTACT_RECORD)
    if merged_id == survivor_id:
        raise InvalidInput.single("into_caller_id", "a profile cannot be merged into itself")
    merged = await _get(session, merged_id, for_update=True)
    try:
        survivor = await _get(session, survivor_id, for_update=True)
    except NotFound:
        raise InvalidInput.single("into_caller_id", "no such caller profile") from None
    for caller in (merged, survivor):
        if caller.status != ACTIVE:
            raise Conflict(f"profile {caller.code} is {caller.status}: only active profiles are merged")
    if not is_supervisor(principal):
        for caller in (merged, survivor):
            if not await has_link(session, principal, await group_of(session, caller)):
                raise PermissionDenied(f"you have no link to caller {caller.code}: ask the director to merge")
    now = utcnow()
    record = CallerMerge(
        id=new_id(),
        survivor_id=survivor.id,
        merged_id=merged.id,
        reason=reason,
        merged_by=principal.subject,
        merged_at=now,
        before={
            "survivor_danger_flags": list(survivor.danger_flags),
            "flags_added": sorted(set(merged.danger_flags) - set(survivor.danger_flags)),
        },
    )
    session.add(record)
    merged.status, merged.merged_into_id = MERGED, survivor.id
    # The survivor must warn about every danger either profile knew of.
    survivor.danger_flags = sorted(set(survivor.danger_flags) | set(merged.danger_flags))
    await session.flush()
    return _merge_out(record)


async def unmerge(session: AsyncSession, principal: Principal, merge_id: str, reason: str) -> MergeOut:
    require(principal, Permission.CONTACT_RECORD)
    record = (
        await session.scalars(select(CallerMerge).where(CallerMerge.id == merge_id).with_for_update())
    ).one_or_none()
    if record is None:
        raise NotFound("no such merge")
    if record.undone_at is not None:
        raise Conflict("this merge was already undone")
    merged = await _get(session, record.merged_id, for_update=True)
    survivor = await _get(session, record.survivor_id, for_update=True)
    if survivor.status == DESTROYED or merged.status == DESTROYED:
        raise Conflict("retention destroyed this caller's identity; the merge can no longer be undone")
    if survivor.status != ACTIVE:
        raise Conflict(f"profile {survivor.code} was merged again since: undo that merge first")
    if record.merged_by != principal.subject and not is_supervisor(principal):
        raise PermissionDenied("only who merged the profiles, or the director, undoes a merge")
    merged.status, merged.merged_into_id = ACTIVE, None
    # Remove only what the merge added, keeping flags set on the survivor since.
    added = set(record.before.get("flags_added", []))
    survivor.danger_flags = sorted(
        set(survivor.danger_flags) - added | set(record.before.get("survivor_danger_flags", []))
    )
    record.undone_by, record.undone_at, record.undo_reason = principal.subject, utcnow(), reason
    await session.flush()
    return _merge_out(record)


async def merges_of(
    session: AsyncSession, principal: Principal, caller_id: str, *, interface: str, reason: str = ""
) -> list[MergeOut]:
    """A profile's merges (with their stated reasons, free text about the caller): a read of the
    caller's record, decided and audited as the journal is."""
    require(principal, Permission.CONTACT_READ)
    caller = await _get(session, caller_id)
    await grant_read(
        session,
        principal,
        await group_of(session, caller),
        action="caller.merges.read",
        interface=interface,
        reason=reason,
    )
    rows = (
        await session.scalars(
            select(CallerMerge)
            .where(or_(CallerMerge.survivor_id == caller_id, CallerMerge.merged_id == caller_id))
            .order_by(CallerMerge.merged_at.desc())
        )
    ).all()
    return [_merge_out(m) for m in rows]


# --- retention --------------------------------------------------------------------------------


async def destroy_identity(session: AsyncSession, caller: Caller, now: datetime) -> None:
    """Crypto-shredding: delete the caller's key (and the keyed hashes that would still match their
    number), plus the per-call notes of their calls. The statistical contacts stay, pseudonymous."""
    await session.execute(delete(CallerKey).where(CallerKey.caller_id == caller.id))
    await session.execute(update(CallerPhone).where(CallerPhone.caller_id == caller.id).values(phone_index=None))
    contact_ids = select(Contact.id).where(Contact.caller_id == caller.id)
    await session.execute(delete(ContactNote).where(ContactNote.contact_id.in_(contact_ids)))
    await session.execute(delete(ContactAgency).where(ContactAgency.contact_id.in_(contact_ids)))
    await session.execute(delete(CallDraft).where(CallDraft.contact_id.in_(contact_ids)))
    caller.status, caller.destroyed_at = DESTROYED, now


# --- referral outcomes ------------------------------------------------------------------------


async def record_referral_status_change(
    session: AsyncSession,
    *,
    change_id: str,
    referral_id: str,
    contact_id: str,
    from_status: str,
    to_status: str,
    reason_code: str,
    actor_kind: str,
    changed_at: datetime,
    service_type: str,
    created_at: datetime,
) -> None:
    """A referral's status change lands in the caller's journal, and the contact's referral moves to
    its newest status (codes only, whatever order the changes arrive in). Idempotent."""
    if await session.scalar(select(Contact.id).where(Contact.id == contact_id)) is None:
        return  # a referral of a contact this intake does not hold
    await insert_ignoring_conflict(
        session,
        ReferralStatusChange.__table__,
        {
            "id": change_id,
            "referral_id": referral_id,
            "contact_id": contact_id,
            "from_status": from_status,
            "to_status": to_status,
            "reason_code": reason_code,
            "actor_kind": actor_kind,
            "changed_at": changed_at,
        },
        ["id"],
    )
    # The referral's created event may not have arrived yet: the link starts from what this change knows.
    await contacts.link_referral(
        session,
        contact_id=contact_id,
        referral_id=referral_id,
        service_id="",
        service_type=service_type,
        urgency="",
        status=to_status,
        created_at=created_at,
    )
    newest = (
        await session.scalars(
            select(ReferralStatusChange.to_status)
            .where(ReferralStatusChange.referral_id == referral_id)
            .order_by(ReferralStatusChange.changed_at.desc(), ReferralStatusChange.id.desc())
            .limit(1)
        )
    ).one()
    await contacts.set_referral_status(session, referral_id, newest)
