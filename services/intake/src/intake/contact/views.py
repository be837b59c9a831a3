"""Contacts over HTTP: the record sheet, the list, corrections, and referring a caller (answered by
referrals over gRPC, on the operator's behalf). Thin adapters over contact.service."""

from datetime import UTC
from typing import Annotated, Any

from fastapi import APIRouter, Query

from hotline.referrals.v1 import referrals_pb2
from hotline_common.auth import Principal
from hotline_common.crypto import FieldCipher
from hotline_common.db import Database
from hotline_common.web.deps import CurrentPrincipal, Db
from hotline_common.web.inputs import Moment
from intake.access.schemas import ReadRequest
from intake.callers.vault import CallerVault
from intake.contact import service
from intake.contact.schemas import (
    ContactCreate,
    ContactDetail,
    ContactOut,
    ContactPage,
    ContactReferralOut,
    ReferralRequest,
)
from intake.deps import Cipher, Referrals, Vault
from intake.directory.client import consent_message

router = APIRouter(prefix="/api/v1", tags=["contacts"])


@router.post("/contacts", response_model=ContactOut, status_code=201)
async def record(data: ContactCreate, principal: CurrentPrincipal, db: Db, cipher: Cipher) -> ContactOut:
    async with db.transaction() as session:
        return await service.record_contact(session, principal, cipher, data)


@router.get("/contacts", response_model=ContactPage)
async def list_(
    principal: CurrentPrincipal,
    db: Db,
    since: Moment | None = None,
    until: Moment | None = None,
    line: Annotated[str | None, Query(max_length=20)] = None,
    caller_role: Annotated[str | None, Query(max_length=30)] = None,
    purpose: Annotated[str | None, Query(max_length=40)] = None,
    risk_level: Annotated[str | None, Query(max_length=10)] = None,
    operator_id: Annotated[str | None, Query(max_length=100)] = None,
    open_follow_up: bool = False,
    after: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ContactPage:
    async with db.reader() as session:
        return await service.list_contacts(
            session,
            principal,
            since=since,
            until=until,
            line=line,
            caller_role=caller_role,
            purpose=purpose,
            risk_level=risk_level,
            operator_id=operator_id,
            open_follow_up=open_follow_up,
            after=after,
            limit=limit,
        )


@router.put("/contacts/{contact_id}", response_model=ContactOut)
async def correct(
    contact_id: str, data: ContactCreate, principal: CurrentPrincipal, db: Db, cipher: Cipher
) -> ContactOut:
    async with db.transaction() as session:
        return await service.correct_contact(session, principal, cipher, contact_id, data)


@router.post("/contacts/{contact_id}/follow-up-done", response_model=ContactOut)
async def follow_up_done(contact_id: str, principal: CurrentPrincipal, db: Db) -> ContactOut:
    async with db.transaction() as session:
        return await service.mark_follow_up_done(session, principal, contact_id)


# A reader linked to the call reads it with GET; anyone else states why in the body of the POST
# (a reason is free text, kept out of URLs).
@router.get("/contacts/{contact_id}", response_model=ContactDetail)
async def read(contact_id: str, principal: CurrentPrincipal, db: Db, cipher: Cipher) -> ContactDetail:
    async with db.transaction() as session:
        return await service.read_contact(session, principal, cipher, contact_id, interface="http")


@router.post("/contacts/{contact_id}/read", response_model=ContactDetail)
async def read_with_reason(
    contact_id: str, data: ReadRequest, principal: CurrentPrincipal, db: Db, cipher: Cipher
) -> ContactDetail:
    async with db.transaction() as session:
        return await service.read_contact(session, principal, cipher, contact_id, interface="http", reason=data.reason)


async def _consent(
    db: Database, principal: Principal, cipher: FieldCipher, vault: CallerVault, contact_id: str, data: ReferralRequest
) -> tuple[str, referrals_pb2.Consent | None]:
    """The caller's id and what they agreed to share, values included; nothing without a consent."""
    if data.consent is None:
        async with db.reader() as session:
            await service.check_can_refer(session, principal, contact_id)
        return "", None
    # The values are decrypted and their reads audited here, then travel to referrals only.
    async with db.transaction() as session:
        caller_id, values = await service.consented_values(
            session, principal, cipher, vault, contact_id, data.consent.fields, reason=data.access_reason
        )
    consent = consent_message(
        fields=list(data.consent.fields),
        purpose=data.consent.purpose,
        valid_until=data.consent.valid_until,
        values=values,
    )
    return caller_id or "", consent


def _referral_out(referral: referrals_pb2.Referral) -> ContactReferralOut:
    return ContactReferralOut(
        referral_id=referral.id,
        service_id=referral.service_id,
        service_type=referral.service_type,
        urgency=referral.urgency,
        status=referral.status,
        created_at=referral.created_at.ToDatetime(tzinfo=UTC),
        consent_shared=referral.consent_given,
    )


@router.post("/contacts/{contact_id}/referrals", response_model=ContactReferralOut, status_code=201)
async def refer(
    contact_id: str,
    data: ReferralRequest,
    principal: CurrentPrincipal,
    db: Db,
    cipher: Cipher,
    vault: Vault,
    referrals: Referrals,
) -> ContactReferralOut:
    caller_id, consent = await _consent(db, principal, cipher, vault, contact_id, data)
    # No local transaction is held open across the call to referrals.
    referral = _referral_out(
        await referrals.create_referral(
            principal,
            contact_id=contact_id,
            service_id=data.service_id,
            reason=data.reason,
            urgency=data.urgency,
            caller_id=caller_id,
            consent=consent,
        )
    )
    async with db.transaction() as session:
        await service.link_referral(
            session,
            contact_id=contact_id,
            referral_id=referral.referral_id,
            service_id=referral.service_id,
            service_type=referral.service_type,
            urgency=referral.urgency,
            status=referral.status,
            created_at=referral.created_at,
            consent_shared=referral.consent_shared,
        )
    return referral


@router.post("/referrals/{referral_id}/revoke-consent", status_code=204)
async def revoke_consent(referral_id: str, principal: CurrentPrincipal, db: Db, referrals: Referrals) -> None:
    async with db.reader() as session:
        await service.check_can_revoke(session, principal, referral_id)
    await referrals.revoke_consent(principal, referral_id)
    async with db.transaction() as session:
        await service.consent_revoked(session, referral_id)


@router.post("/referrals/{referral_id}/one-time-link")
async def one_time_link(referral_id: str, principal: CurrentPrincipal, db: Db, referrals: Referrals) -> dict[str, Any]:
    """Shown once to the operator to pass on; intake keeps neither the URL nor its token."""
    async with db.reader() as session:
        await service.check_can_revoke(session, principal, referral_id)
    link = await referrals.issue_link(principal, referral_id)
    return {"url": link.url, "expires_at": link.expires_at.ToDatetime(tzinfo=UTC)}
