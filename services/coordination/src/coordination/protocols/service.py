"""Protocols: generated from a closed meeting's record, signed by the head with Ed25519 over the
canonical serialisation (canonical.py), immutable once signed, corrected only by a new protocol
linked to the one it supersedes; verified by anyone who may read the Working Group's records.

Refusals: signing by anyone but the head on the meeting's day (403); a meeting not closed (409);
signing again without naming the current protocol as superseded (409), or naming an older one
(409); a correction without a reason (422 on correction_reason); signing switched off
(no SIGNING_KEYRING, 409). Who signs: `may_sign` (the head of the meeting's day), which the
meeting page uses too."""

import base64
import binascii
import json
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from cryptography.exceptions import InvalidSignature
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from coordination.meetings.models import CLOSED
from coordination.meetings.service import get_meeting_row, meeting_day, require_status, today_in
from coordination.members import offices
from coordination.protocols import document, events, keys
from coordination.protocols.canonical import canonical_bytes, digest, problem_with, utc_text
from coordination.protocols.models import Protocol, SigningKey
from coordination.protocols.schemas import ExportedProtocol, KeyOut, ProtocolOut, SignIn, Verification
from hotline_common.auth import Permission, Principal, require
from hotline_common.db import new_id, utcnow
from hotline_common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hotline_common.i18n_markers import N_


@event.listens_for(Protocol, "before_update")
@event.listens_for(Protocol, "before_delete")
def _signed_protocols_are_immutable(mapper: object, connection: object, target: Protocol) -> None:
    # The database refuses too (migration 0004's triggers); this names the rule before it gets there.
    raise Conflict(N_("protocol {id} is signed and immutable; sign a correction that supersedes it"), id=target.id)


async def may_sign(session: AsyncSession, principal: Principal, day: date) -> bool:
    """Signing a meeting's protocol (and rotating one's signing key): the head on that day only."""
    return await offices.is_head(session, principal, day)


async def require_head(session: AsyncSession, principal: Principal, day: date) -> None:
    require(principal, Permission.WG_READ)
    if not await may_sign(session, principal, day):
        raise PermissionDenied(N_("only the head of the Working Group on the meeting's day signs its protocol"))


async def _superseded_by(session: AsyncSession, protocol_id: str) -> str | None:
    newer: str | None = await session.scalar(select(Protocol.id).where(Protocol.supersedes_id == protocol_id))
    return newer


async def _out(session: AsyncSession, protocol: Protocol) -> ProtocolOut:
    return ProtocolOut(
        id=protocol.id,
        meeting_id=protocol.meeting_id,
        supersedes_id=protocol.supersedes_id,
        superseded_by=await _superseded_by(session, protocol.id),
        correction_reason=protocol.correction_reason,
        digest=protocol.digest,
        key_id=protocol.key_id,
        signed_by=protocol.signed_by,
        signed_at=protocol.signed_at,
        document=json.loads(protocol.body),
    )


async def _current(session: AsyncSession, meeting_id: str) -> Protocol | None:
    """The meeting's protocol no other protocol supersedes."""
    rows = (await session.scalars(select(Protocol).where(Protocol.meeting_id == meeting_id))).all()
    superseded = {p.supersedes_id for p in rows if p.supersedes_id}
    return next((p for p in rows if p.id not in superseded), None)


async def sign_protocol(
    session: AsyncSession, principal: Principal, meeting_id: str, data: SignIn, zone: ZoneInfo, vault: keys.KeyVault
) -> ProtocolOut:
    meeting = await get_meeting_row(session, meeting_id, for_update=True)
    day = meeting_day(meeting, zone)
    await require_head(session, principal, day)
    require_status(meeting, CLOSED, refusal=N_("meeting is {status}; signing the protocol needs it closed"))
    current = await _current(session, meeting.id)
    if current is not None and data.supersedes is None:
        raise Conflict(
            N_(
                "the meeting's protocol {id} is already signed and immutable; a correction must name it in `supersedes`"
            ),
            id=current.id,
        )
    if data.supersedes is not None and current is None:
        raise Conflict(N_("a correction supersedes the meeting's current protocol; this meeting has none yet"))
    if data.supersedes is not None and current is not None and data.supersedes != current.id:
        raise Conflict(N_("a correction supersedes the meeting's current protocol ({id})"), id=current.id)
    if data.supersedes is not None and not data.correction_reason:
        raise InvalidInput.single("correction_reason", N_("a correction says what it corrects"))
    if data.supersedes is None and data.correction_reason:
        raise InvalidInput.single("correction_reason", N_("only a correction has a reason"))
    key = await keys.key_for_signing(session, vault, principal.subject)
    head = await offices.head_on(session, day)
    assert head is not None  # require_head above
    now = utcnow().replace(microsecond=0)
    protocol_id = new_id()
    signer = {
        "subject": principal.subject,
        "member_id": head.id,
        "full_name": head.full_name,
        "key_id": key.id,
        "signed_at": utc_text(now),
    }
    body = canonical_bytes(
        await document.build(
            session,
            meeting,
            zone,
            protocol_id=protocol_id,
            signer=signer,
            supersedes=data.supersedes,
            correction_reason=data.correction_reason,
        )
    )
    protocol = Protocol(
        id=protocol_id,
        meeting_id=meeting.id,
        supersedes_id=data.supersedes,
        correction_reason=data.correction_reason,
        body=body.decode("utf-8"),
        digest=digest(body),
        signature=vault.unseal(key).sign(body),
        key_id=key.id,
        signed_by=principal.subject,
        signed_at=now,
    )
    session.add(protocol)
    await session.flush()
    await events.emit_signed(session, protocol)
    return await _out(session, protocol)


async def _get(session: AsyncSession, protocol_id: str) -> Protocol:
    protocol = await session.get(Protocol, protocol_id)
    if protocol is None:
        raise NotFound(N_("no protocol {id}"), id=protocol_id)
    return protocol


async def get_protocol(session: AsyncSession, principal: Principal, protocol_id: str) -> ProtocolOut:
    require(principal, Permission.WG_READ)
    return await _out(session, await _get(session, protocol_id))


async def list_protocols(session: AsyncSession, principal: Principal, meeting_id: str) -> list[ProtocolOut]:
    require(principal, Permission.WG_READ)
    await get_meeting_row(session, meeting_id)
    rows = (
        await session.scalars(
            select(Protocol).where(Protocol.meeting_id == meeting_id).order_by(Protocol.signed_at, Protocol.id)
        )
    ).all()
    return [await _out(session, p) for p in rows]


async def export_protocol(session: AsyncSession, principal: Principal, protocol_id: str) -> ExportedProtocol:
    require(principal, Permission.WG_READ)
    protocol = await _get(session, protocol_id)
    return ExportedProtocol(body=protocol.body, signature=base64.b64encode(protocol.signature).decode())


async def check(
    session: AsyncSession,
    body: str,
    signature: bytes,
    *,
    stored_digest: str | None = None,
    stored_key_id: str | None = None,
) -> Verification:
    """The whole verification: canonical form, format, digest, the signer's key, the signature."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return verdict(False, N_("the body is not JSON"))
    problem = problem_with(parsed)
    if problem:
        return verdict(False, problem[0], problem[1])
    raw = body.encode("utf-8")
    found = digest(raw)
    signer = parsed.get("signer") if isinstance(parsed.get("signer"), dict) else {}
    key_id = signer.get("key_id")
    base = dict(protocol_id=parsed.get("protocol_id"), key_id=key_id, digest=found)
    if canonical_bytes(parsed) != raw:
        return verdict(False, N_("the body is not in canonical form (it was edited)"), **base)
    if stored_digest is not None and stored_digest != found:
        return verdict(False, N_("the body does not match the digest recorded at signing"), **base)
    if stored_key_id is not None and stored_key_id != key_id:
        return verdict(False, N_("the body names another key than the one recorded"), **base)
    key = await session.get(SigningKey, key_id) if isinstance(key_id, str) else None
    if key is None:
        return verdict(False, N_("unknown signing key {key}"), {"key": repr(key_id)}, **base)
    if key.subject != signer.get("subject"):
        return verdict(False, N_("the signing key is not the signer's"), **base)
    try:
        keys.public_key(key).verify(signature, raw)
    except InvalidSignature:
        return verdict(False, N_("the signature does not match the body"), **base)
    return verdict(True, N_("signature valid"), key_retired=key.retired_at is not None, **base)


def verdict(valid: bool, template: str, params: dict[str, Any] | None = None, **found: Any) -> Verification:
    """A verification whose reason is `template` filled with `params` (pages translate the template)."""
    params = params or {}
    reason = template.format(**params) if params else template
    return Verification(valid=valid, reason=reason, template=template, params=params, **found)


async def verify_stored(session: AsyncSession, principal: Principal, protocol_id: str) -> Verification:
    require(principal, Permission.WG_READ)
    return await verify_row(session, await _get(session, protocol_id))


async def verify_row(session: AsyncSession, protocol: Protocol) -> Verification:
    result = await check(
        session, protocol.body, protocol.signature, stored_digest=protocol.digest, stored_key_id=protocol.key_id
    )
    if result.valid and json.loads(protocol.body).get("protocol_id") != protocol.id:
        return verdict(False, N_("the body belongs to another protocol"), digest=result.digest)
    return result


async def verify_exported(session: AsyncSession, principal: Principal, exported: ExportedProtocol) -> Verification:
    require(principal, Permission.WG_READ)
    try:
        signature = base64.b64decode(exported.signature, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput.single("signature", N_("not base64")) from None
    return await check(session, exported.body, signature)


async def rotate_key(session: AsyncSession, principal: Principal, vault: keys.KeyVault, zone: ZoneInfo) -> KeyOut:
    """The head retires their signing key and gets a new one (e.g. after a suspected leak)."""
    await require_head(session, principal, today_in(zone))
    return _key_out(await keys.rotate(session, vault, principal.subject))


async def list_keys(session: AsyncSession, principal: Principal) -> list[KeyOut]:
    require(principal, Permission.WG_READ)
    rows = (await session.scalars(select(SigningKey).order_by(SigningKey.created_at, SigningKey.id))).all()
    return [_key_out(k) for k in rows]


def _key_out(key: SigningKey) -> KeyOut:
    return KeyOut(
        id=key.id,
        subject=key.subject,
        public_key=base64.b64encode(key.public_key).decode(),
        created_at=key.created_at,
        retired_at=key.retired_at,
    )
