"""Referral operations. Permission checks and rules live here, once, for every interface (REST, gRPC,
portal pages, one-time links). The lifecycle's transition table is in lifecycle.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal, require
from hotline_common.db import new_id, rowcount, utcnow
from hotline_common.errors import InvalidInput, NotFound, PermissionDenied
from hotline_common.i18n_markers import N_
from referrals.consent import service as consents
from referrals.consent.models import Consent, SharedDataRead
from referrals.directory.models import DirectoryService
from referrals.directory.service import get_service
from referrals.referral import events, lifecycle
from referrals.referral.models import Referral, ReferralNote, ReferralTransition, need_context
from referrals.referral.policy import Policy
from referrals.referral.schemas import (
    NoteIn,
    NoteOut,
    PartnerReferralOut,
    ReferralCreate,
    ReferralDetail,
    ReferralOut,
    SharedReadOut,
    StatusChange,
    TransitionOut,
)

SENT = lifecycle.SENT


@dataclass(frozen=True)
class Actor:
    """Who moves a referral: kind (lifecycle.HOTLINE/PARTNER/LINK/SYSTEM) and an id for the history."""

    kind: str
    subject: str
    organisation_id: str | None = None


def may_use_partner_interface(principal: Principal) -> bool:
    """Users of a receiving organisation (the partner portal, the partner API): they read their own
    organisation's referrals."""
    return principal.can(Permission.REFERRAL_READ_OWN_ORG)


def require_partner(principal: Principal | None) -> str:
    """A partner user's organisation id (the only referrals it may see)."""
    principal = require(principal, Permission.REFERRAL_READ_OWN_ORG)
    if not principal.organisation_id:
        raise PermissionDenied("the partner interface is for users of a partner organisation")
    return principal.organisation_id


def seal_need(policy: Policy, referral: Referral, text: str) -> None:
    """The need is free text an operator types: kept only encrypted, like the consented values."""
    referral.need = policy.require_cipher().encrypt(text, context=need_context(referral.id))


def need_of(policy: Policy, referral: Referral) -> str:
    return policy.require_cipher().decrypt(referral.need, context=need_context(referral.id))


def to_out(referral: Referral, policy: Policy, consent: Consent | None = None) -> ReferralOut:
    stored = {
        name: getattr(referral, name) for name in ReferralOut.model_fields if name not in ("reason", "consent_given")
    }
    return ReferralOut(**stored, reason=need_of(policy, referral), consent_given=consent is not None)


# The only service that may send a caller's consented values: intake, where the caller gave them
# and where the operator's giving them is audited (hotline_common.service_identity).
CONSENT_SOURCE = "intake"
CONSENT_ONLY_FROM_INTAKE = N_("consented values come only from intake, where the caller gave them")


async def create_referral(
    session: AsyncSession,
    principal: Principal,
    data: ReferralCreate,
    policy: Policy | None = None,
    *,
    via_service: str | None = None,
) -> ReferralOut:
    """`via_service`: the service that sent the request for `principal` (None: the user directly)."""
    require(principal, Permission.REFERRAL_CREATE)
    if data.consent is not None and via_service != CONSENT_SOURCE:
        raise PermissionDenied(CONSENT_ONLY_FROM_INTAKE)
    policy = policy or Policy()
    target = await get_service(session, data.service_id)
    if target is None:
        raise InvalidInput.single("service_id", "no such service in the directory")
    _check_open_for_referrals(target)
    now = utcnow()
    status = lifecycle.DRAFT if data.draft else SENT
    referral = Referral(
        id=new_id(),
        contact_id=data.contact_id,
        service_id=target.id,
        organisation_id=target.organisation_id,
        service_type=target.service_type,
        region=target.region,
        need=b"",
        urgency=data.urgency,
        status=status,
        created_by=principal.subject,
        created_at=now,
        updated_at=now,
        caller_id=data.caller_id,
    )
    seal_need(policy, referral, data.reason)
    if status == SENT:
        referral.acknowledgement_due_at = _due(policy, referral, now)
    session.add(referral)
    session.add(
        ReferralTransition(
            id=new_id(),
            referral_id=referral.id,
            from_status=None,
            to_status=status,
            actor=principal.subject,
            actor_kind=lifecycle.HOTLINE,
            at=now,
        )
    )
    await session.flush()
    consent = consents.record(session, policy, principal, referral, data.consent, now) if data.consent else None
    await session.flush()
    await events.emit_created(session, referral, consent_given=consent is not None)
    if status == SENT:
        await events.emit_partner_notice(
            session,
            referral,
            "sent",
            at=now,
            consented_fields=consent.field_list if consent else [],
            consent_active=consent is not None,
        )
    return to_out(referral, policy, consent)


def _check_open_for_referrals(target: DirectoryService) -> None:
    """A deactivated entry stays in the directory for history, but nobody may be sent to it."""
    if not target.active:
        raise InvalidInput.single("service_id", "the service is deactivated in the directory")
    if not target.organisation.active:
        raise InvalidInput.single("service_id", "the service's organisation is deactivated in the directory")


def _due(policy: Policy, referral: Referral, sent_at: datetime) -> datetime:
    return sent_at + timedelta(hours=policy.ack_due_hours(referral.urgency))


async def _load(session: AsyncSession, referral_id: str, *, for_update: bool = False) -> Referral:
    referral = await session.get(Referral, referral_id, with_for_update=for_update)
    if referral is None:
        raise NotFound("no such referral")
    return referral


async def _referral_for(
    session: AsyncSession, principal: Principal | None, referral_id: str, *, for_update: bool = False
) -> tuple[Referral, Actor]:
    """Hotline staff move any referral; anyone else is held to the partner rule, so another
    organisation's referral, its draft and a made-up id get the same answer."""
    if principal is not None and principal.can(Permission.REFERRAL_READ_ALL):
        return await _load(session, referral_id, for_update=for_update), Actor(lifecycle.HOTLINE, principal.subject)
    return await _partner_referral(session, principal, referral_id, for_update=for_update)


async def apply_transition(
    session: AsyncSession, referral: Referral, actor: Actor, change: StatusChange, policy: Policy
) -> None:
    """Check one move against the table, store it with who and when, emit it — all in the caller's
    transaction."""
    current = referral.status
    reason = lifecycle.check(current, change.to_status, actor.kind, change.reason_code)
    if current == lifecycle.DRAFT and change.to_status == SENT:
        # A draft kept while its service was deactivated must not go out to it.
        target = await get_service(session, referral.service_id)
        if target is None:
            raise InvalidInput.single("service_id", "no such service in the directory")
        _check_open_for_referrals(target)
    now = utcnow()
    # Guard against a concurrent move: the row must still be in the status we checked.
    result = await session.execute(
        update(Referral)
        .where(Referral.id == referral.id, Referral.status == current)
        .values(status=change.to_status, updated_at=now, reason_code=reason or referral.reason_code)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        raise lifecycle.InvalidTransition("the referral moved on meanwhile; it is no longer {status}", status=current)
    await session.refresh(referral)
    if current == lifecycle.DRAFT and change.to_status == SENT:
        referral.acknowledgement_due_at = _due(policy, referral, now)
    session.add(
        ReferralTransition(
            id=new_id(),
            referral_id=referral.id,
            from_status=current,
            to_status=change.to_status,
            actor=actor.subject,
            actor_kind=actor.kind,
            reason_code=reason,
            at=now,
        )
    )
    await session.flush()
    await events.emit_status_changed(session, referral, current, actor.kind, reason, now)
    if current != lifecycle.DRAFT or change.to_status == SENT:
        consent = await consents.for_referral(session, referral.id)
        active = consent is not None and consent.active(now)
        await events.emit_partner_notice(
            session,
            referral,
            "sent" if change.to_status == SENT else "status_changed",
            at=now,
            consented_fields=consent.field_list if consent is not None and active else [],
            consent_active=active,
            from_status=current,
            reason_code=reason,
        )


async def change_status(
    session: AsyncSession, principal: Principal, referral_id: str, change: StatusChange, policy: Policy | None = None
) -> ReferralOut:
    """The hotline's or the receiving organisation's move; lifecycle.py says which is whose."""
    referral, actor = await _referral_for(session, principal, referral_id, for_update=True)
    policy = policy or Policy()
    await apply_transition(session, referral, actor, change, policy)
    return to_out(referral, policy, await consents.for_referral(session, referral.id))


async def revoke_consent(
    session: AsyncSession, principal: Principal, referral_id: str, policy: Policy | None = None
) -> ReferralOut:
    """The caller withdrew consent (told the hotline): the partner loses the shared data at once."""
    require(principal, Permission.REFERRAL_CREATE)
    referral = await _load(session, referral_id, for_update=True)
    consent = await consents.for_referral(session, referral.id)
    if consent is None:
        raise NotFound("this referral has no consent record")
    now = utcnow()
    await consents.revoke(session, referral, consent, principal.subject, now)
    return to_out(referral, policy or Policy(), consent)


def _check_hotline(principal: Principal | None) -> None:
    if principal is None:
        require(principal, Permission.DIRECTORY_READ)
    if not principal.can(Permission.REFERRAL_READ_ALL):
        if may_use_partner_interface(principal):
            raise PermissionDenied("role {role} reads referrals through the partner interface", role=principal.role)
        raise PermissionDenied("role {role} may not read referrals", role=principal.role)


async def get_referral(
    session: AsyncSession, principal: Principal, referral_id: str, policy: Policy | None = None
) -> ReferralOut:
    """The hotline's view (for a partner: partner_view)."""
    _check_hotline(principal)
    referral = await _load(session, referral_id)
    return to_out(referral, policy or Policy(), await consents.for_referral(session, referral.id))


async def get_detail(
    session: AsyncSession, principal: Principal, referral_id: str, policy: Policy | None = None
) -> ReferralDetail:
    """The hotline's full view: history, the consent record (never its values), the notes."""
    _check_hotline(principal)
    policy = policy or Policy()
    referral = await _load(session, referral_id)
    consent = await consents.for_referral(session, referral.id)
    transitions = (
        await session.scalars(
            select(ReferralTransition)
            .where(ReferralTransition.referral_id == referral.id)
            .order_by(ReferralTransition.at, ReferralTransition.id)
        )
    ).all()
    reads = (
        await session.scalars(
            select(SharedDataRead)
            .where(SharedDataRead.referral_id == referral.id)
            .order_by(SharedDataRead.at, SharedDataRead.id)
        )
    ).all()
    now = utcnow()
    return ReferralDetail(
        **to_out(referral, policy, consent).model_dump(),
        transitions=[TransitionOut.model_validate(t, from_attributes=True) for t in transitions],
        consent=consents.to_out(consent, now) if consent else None,
        notes=await _notes(session, policy, referral.id, show_author=True),
        shared_reads=[
            SharedReadOut(
                reader=r.reader, reader_kind=r.reader_kind, fields=r.fields.split(","), channel=r.channel, at=r.at
            )
            for r in reads
        ],
    )


async def list_referrals(
    session: AsyncSession,
    principal: Principal,
    policy: Policy | None = None,
    *,
    contact_id: str | None = None,
    limit: int = 50,
) -> list[ReferralOut]:
    _check_hotline(principal)
    policy = policy or Policy()
    stmt = select(Referral).order_by(Referral.created_at.desc()).limit(limit)
    if contact_id:
        stmt = stmt.where(Referral.contact_id == contact_id)
    referrals = (await session.scalars(stmt)).all()
    with_consent = (
        set(
            (
                await session.scalars(
                    select(Consent.referral_id).where(Consent.referral_id.in_([r.id for r in referrals]))
                )
            ).all()
        )
        if referrals
        else set()
    )
    out = []
    for r in referrals:
        item = to_out(r, policy)
        item.consent_given = r.id in with_consent
        out.append(item)
    return out


# --- notes --------------------------------------------------------------------------------------


def _note_context(note_id: str) -> str:
    return f"referral_notes.body:{note_id}"


async def _notes(session: AsyncSession, policy: Policy, referral_id: str, *, show_author: bool) -> list[NoteOut]:
    return (await _notes_of(session, policy, [referral_id], show_author=show_author))[referral_id]


async def _notes_of(
    session: AsyncSession, policy: Policy, referral_ids: list[str], *, show_author: bool
) -> dict[str, list[NoteOut]]:
    """The notes of several referrals in one query (a list page must not ask once per row)."""
    out: dict[str, list[NoteOut]] = {rid: [] for rid in referral_ids}
    rows = (
        (
            await session.scalars(
                select(ReferralNote)
                .where(ReferralNote.referral_id.in_(referral_ids))
                .order_by(ReferralNote.created_at, ReferralNote.id)
            )
        ).all()
        if referral_ids
        else []
    )
    if policy.cipher is None:
        return out
    for n in rows:
        out[n.referral_id].append(
            NoteOut(
                author_kind=n.author_kind,
                author=n.author if show_author else "",
                body=policy.cipher.decrypt(n.body, context=_note_context(n.id)),
                created_at=n.created_at,
            )
        )
    return out


async def add_note_as(session: AsyncSession, policy: Policy, referral: Referral, actor: Actor, note: NoteIn) -> None:
    cipher = policy.require_cipher()
    if referral.status == lifecycle.DRAFT:
        raise lifecycle.InvalidTransition("a draft referral takes no notes; send it first")
    row = ReferralNote(
        id=new_id(),
        referral_id=referral.id,
        author=actor.subject,
        author_kind=actor.kind,
        body=b"",
        created_at=utcnow(),
    )
    row.body = cipher.encrypt(note.body, context=_note_context(row.id))
    session.add(row)
    await session.flush()


async def add_note(
    session: AsyncSession, principal: Principal, referral_id: str, note: NoteIn, policy: Policy | None = None
) -> None:
    """A note between the receiving organisation and the hotline (either side may write)."""
    referral, actor = await _referral_for(session, principal, referral_id)
    await add_note_as(session, policy or Policy(), referral, actor, note)


# --- the receiver's view (portal, partner API, one-time link) --------------------------------------


async def receiver_view(
    session: AsyncSession, policy: Policy, referral: Referral, actor: Actor, channel: str | None
) -> PartnerReferralOut:
    """What the receiving organisation sees: the reference and the need; personal values only the
    consented ones and only while the consent is in force. Showing them is logged (who, which fields,
    channel, when) in the caller's transaction; channel None: the view is not shown to anyone."""
    return (await receiver_views(session, policy, [referral], actor, channel))[0]


async def receiver_views(
    session: AsyncSession, policy: Policy, referrals: list[Referral], actor: Actor, channel: str | None
) -> list[PartnerReferralOut]:
    ids = [r.id for r in referrals]
    by_referral = (
        {c.referral_id: c for c in (await session.scalars(select(Consent).where(Consent.referral_id.in_(ids)))).all()}
        if ids
        else {}
    )
    notes = await _notes_of(session, policy, ids, show_author=False)
    now = utcnow()
    out = []
    for referral in referrals:
        consent = by_referral.get(referral.id)
        active = consent is not None and consent.active(now)
        shared = consents.shared_values(policy, consent, now)
        if shared and channel:
            session.add(
                SharedDataRead(
                    id=new_id(),
                    referral_id=referral.id,
                    reader=actor.subject,
                    reader_kind=actor.kind,
                    organisation_id=actor.organisation_id,
                    fields=",".join(sorted(shared)),
                    channel=channel,
                    at=now,
                )
            )
        out.append(
            PartnerReferralOut(
                id=referral.id,
                reference=referral.reference,
                status=referral.status,
                urgency=referral.urgency,
                service_id=referral.service_id,
                service_type=referral.service_type,
                region=referral.region,
                need=need_of(policy, referral),
                created_at=referral.created_at,
                acknowledgement_due_at=referral.acknowledgement_due_at,
                consent_active=active,
                consent_ended=consent is not None and not active,
                consented_fields=consent.field_list if consent is not None and active else [],
                consent_purpose=consent.purpose if consent is not None and active else None,
                consent_valid_until=consent.valid_until if consent is not None and active else None,
                shared=shared,
                notes=notes[referral.id],
                next_statuses=lifecycle.next_statuses(referral.status, actor.kind),
            )
        )
    return out


async def _partner_referral(
    session: AsyncSession, principal: Principal | None, referral_id: str, *, for_update: bool = False
) -> tuple[Referral, Actor]:
    principal = require(principal, Permission.REFERRAL_READ_OWN_ORG)
    organisation_id = require_partner(principal)
    referral = await session.get(Referral, referral_id, with_for_update=for_update)
    # A draft is not the partner's yet; another organisation's referral does not exist for it.
    if referral is None or referral.organisation_id != organisation_id or referral.status == lifecycle.DRAFT:
        raise NotFound("no such referral for your organisation")
    return referral, Actor(lifecycle.PARTNER, principal.subject, organisation_id)


async def partner_list(
    session: AsyncSession,
    principal: Principal,
    policy: Policy | None = None,
    *,
    status: str | None = None,
    limit: int = 50,
    channel: str = "api",
) -> list[PartnerReferralOut]:
    """Run in a transaction: showing consented values writes the access log."""
    organisation_id = require_partner(principal)
    if status and status not in lifecycle.STATUSES:
        raise InvalidInput.single("status", "unknown status; one of {statuses}", statuses=", ".join(lifecycle.STATUSES))
    stmt = (
        select(Referral)
        .where(Referral.organisation_id == organisation_id, Referral.status != lifecycle.DRAFT)
        .order_by(Referral.created_at.desc())
        .limit(limit)
    )
    if status:
        stmt = stmt.where(Referral.status == status)
    policy = policy or Policy()
    actor = Actor(lifecycle.PARTNER, principal.subject, organisation_id)
    return await receiver_views(session, policy, list((await session.scalars(stmt)).all()), actor, channel)


async def partner_get(
    session: AsyncSession, principal: Principal, referral_id: str, policy: Policy | None = None, *, channel: str = "api"
) -> PartnerReferralOut:
    """Run in a transaction: showing consented values writes the access log."""
    referral, actor = await _partner_referral(session, principal, referral_id)
    return await receiver_view(session, policy or Policy(), referral, actor, channel)


async def partner_change_status(
    session: AsyncSession,
    principal: Principal,
    referral_id: str,
    change: StatusChange,
    policy: Policy | None = None,
    *,
    channel: str | None = "api",
) -> PartnerReferralOut:
    policy = policy or Policy()
    referral, actor = await _partner_referral(session, principal, referral_id, for_update=True)
    await apply_transition(session, referral, actor, change, policy)
    return await receiver_view(session, policy, referral, actor, channel)


async def partner_add_note(
    session: AsyncSession,
    principal: Principal,
    referral_id: str,
    note: NoteIn,
    policy: Policy | None = None,
    *,
    channel: str | None = "api",
) -> PartnerReferralOut:
    policy = policy or Policy()
    referral, actor = await _partner_referral(session, principal, referral_id)
    await add_note_as(session, policy, referral, actor, note)
    return await receiver_view(session, policy, referral, actor, channel)


# --- deadlines ------------------------------------------------------------------------------------


async def escalate_overdue(session: AsyncSession, now: datetime | None = None, limit: int = 200) -> int:
    """Raise referrals.referral.overdue.v1 once per referral not acknowledged by its due time. The
    conditional UPDATE makes it idempotent even when two replicas run the check at once."""
    now = now or utcnow()
    due = (
        await session.scalars(
            select(Referral)
            .where(
                Referral.status == SENT, Referral.acknowledgement_due_at <= now, Referral.overdue_escalated_at.is_(None)
            )
            .limit(limit)
        )
    ).all()
    raised = 0
    for referral in due:
        result = await session.execute(
            update(Referral)
            .where(Referral.id == referral.id, Referral.overdue_escalated_at.is_(None))
            .values(overdue_escalated_at=now)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            continue
        await session.refresh(referral)
        await events.emit_overdue(session, referral)
        consent = await consents.for_referral(session, referral.id)
        active = consent is not None and consent.active(now)
        await events.emit_partner_notice(
            session,
            referral,
            "overdue",
            at=now,
            consent_active=active,
            consented_fields=consent.field_list if consent is not None and active else [],
        )
        raised += 1
    return raised


async def list_overdue(
    session: AsyncSession,
    principal: Principal,
    now: datetime | None = None,
    limit: int = 200,
    policy: Policy | None = None,
) -> list[ReferralOut]:
    """Sent and not acknowledged past the due time: the director's board (hotline staff)."""
    _check_hotline(principal)
    now = now or utcnow()
    rows = (
        await session.scalars(
            select(Referral)
            .where(Referral.status == SENT, Referral.acknowledgement_due_at <= now)
            .order_by(Referral.acknowledgement_due_at)
            .limit(limit)
        )
    ).all()
    return [to_out(r, policy or Policy()) for r in rows]
