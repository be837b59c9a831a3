"""One-time links for specialists without an account.

The hotline issues a link for a sent referral; the token (32 random bytes, URL-safe) is shown once
and only its SHA-256 is stored — 256 bits of entropy need no salt or key stretching. Opening the
address only checks the link (`check`); the holder sees the receiver's view (only consented
fields) when asking for it, may acknowledge, and reports ONE outcome (accepted / declined with a
reason / completed / closed_unreachable); reporting it uses the link up.
A used, expired or unknown (tampered) token gets the same refusal, with nothing of the referral."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal, require
from hotline_common.db import new_id, rowcount, utcnow
from hotline_common.errors import DomainError, InvalidInput, NotFound
from referrals.links.models import ReferralLink
from referrals.referral import lifecycle
from referrals.referral.models import Referral
from referrals.referral.policy import Policy
from referrals.referral.schemas import NoteIn, PartnerReferralOut, StatusChange
from referrals.referral.service import Actor, add_note_as, apply_transition, receiver_view

OUTCOMES = (lifecycle.ACCEPTED, lifecycle.DECLINED, lifecycle.COMPLETED, lifecycle.CLOSED_UNREACHABLE)


class LinkRefused(DomainError):
    """Used, expired or not a link we issued: one answer for all three, so it tells an attacker nothing."""

    http_status = 410
    grpc_code_name = "NOT_FOUND"

    def __init__(self, why: str):
        super().__init__("this link is not valid: it was used, it expired, or it is not a link we sent")
        self.why = why  # for tests and logs; never shown


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_link(
    session: AsyncSession, principal: Principal, referral_id: str, policy: Policy | None = None
) -> tuple[str, datetime]:
    """The hotline sends a referral to a specialist without an account; the token is returned once."""
    require(principal, Permission.REFERRAL_CREATE)
    policy = policy or Policy()
    referral = await session.get(Referral, referral_id)
    if referral is None:
        raise NotFound("no such referral")
    if referral.status in lifecycle.FINAL or referral.status == lifecycle.DRAFT:
        raise lifecycle.InvalidTransition("a {status} referral cannot be sent by link", status=referral.status)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    link = ReferralLink(
        id=new_id(),
        referral_id=referral.id,
        token_hash=hash_token(token),
        expires_at=now + policy.link_ttl,
        created_by=principal.subject,
        created_at=now,
    )
    session.add(link)
    await session.flush()
    return token, link.expires_at


async def _resolve(session: AsyncSession, token: str, *, for_update: bool = False) -> tuple[ReferralLink, Referral]:
    if not token or len(token) > 100:
        raise LinkRefused("malformed")
    stmt = select(ReferralLink).where(ReferralLink.token_hash == hash_token(token))
    link = await session.scalar(stmt.with_for_update() if for_update else stmt)
    if link is None:
        raise LinkRefused("unknown")
    if link.used_at is not None:
        raise LinkRefused("used")
    if link.expires_at <= utcnow():
        raise LinkRefused("expired")
    referral = await session.get(Referral, link.referral_id)
    assert referral is not None  # the link's foreign key
    if referral.status in lifecycle.FINAL:  # closed by anyone (or withdrawn): the link has nothing left to do
        raise LinkRefused("closed")
    return link, referral


def _actor(link: ReferralLink) -> Actor:
    return Actor(lifecycle.LINK, f"link:{link.id}")


async def check(session: AsyncSession, token: str) -> None:
    """The link can still be used (LinkRefused if not); nothing is shown, logged or used up."""
    await _resolve(session, token)


async def view(session: AsyncSession, token: str, policy: Policy | None = None) -> PartnerReferralOut:
    """Run in a transaction: showing consented values writes the access log."""
    link, referral = await _resolve(session, token)
    out = await receiver_view(session, policy or Policy(), referral, _actor(link), "link")
    out.notes = []  # the link holder sees the referral, not the organisation's correspondence
    out.next_statuses = [s for s in out.next_statuses if s == lifecycle.ACKNOWLEDGED] + [
        s for s in OUTCOMES if _reachable(referral.status, s)
    ]
    return out


def _reachable(current: str, target: str) -> bool:
    try:
        lifecycle.path_to(current, target, lifecycle.LINK)
        return current != lifecycle.SENT or target != lifecycle.ACKNOWLEDGED
    except lifecycle.InvalidTransition:
        return False


async def acknowledge(session: AsyncSession, token: str, policy: Policy | None = None) -> None:
    link, referral = await _resolve(session, token, for_update=True)
    await apply_transition(
        session, referral, _actor(link), StatusChange(to_status=lifecycle.ACKNOWLEDGED), policy or Policy()
    )


async def report_outcome(
    session: AsyncSession,
    token: str,
    outcome: str,
    reason_code: str | None,
    note: str | None,
    policy: Policy | None = None,
) -> str:
    """One outcome per link: every move on the way is checked and recorded, then the link is used up."""
    policy = policy or Policy()
    link, referral = await _resolve(session, token, for_update=True)
    if outcome not in OUTCOMES:
        raise InvalidInput.single("outcome", "one of {outcomes}", outcomes=", ".join(OUTCOMES))
    steps = lifecycle.path_to(referral.status, outcome, lifecycle.LINK)
    actor = _actor(link)
    for step in steps:
        await apply_transition(
            session,
            referral,
            actor,
            StatusChange(to_status=step, reason_code=reason_code if step == outcome else None),
            policy,
        )
    if note:
        await add_note_as(session, policy, referral, actor, NoteIn(body=note))
    result = await session.execute(
        update(ReferralLink).where(ReferralLink.id == link.id, ReferralLink.used_at.is_(None)).values(used_at=utcnow())
    )
    if rowcount(result) != 1:
        raise LinkRefused("used")
    return referral.reference
