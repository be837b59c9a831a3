from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from hotline_common.auth import Principal
from intake.contact import service
from intake.contact.schemas import (
    ContactCreate,
    ContactDetail,
    ContactOut,
    ContactPage,
    ContactReferralOut,
    ReferralRequest,
)
from intake.directory.client import consent_message


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["contacts"])

    @api.post("/contacts", response_model=ContactOut, status_code=201)
    async def record(data: ContactCreate, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.record_contact(session, principal, runtime.cipher, data)

    @api.get("/contacts", response_model=ContactPage)
    async def list_(
        since: datetime | None = None,
        until: datetime | None = None,
        line: Annotated[str | None, Query(max_length=20)] = None,
        caller_role: Annotated[str | None, Query(max_length=30)] = None,
        purpose: Annotated[str | None, Query(max_length=40)] = None,
        risk_level: Annotated[str | None, Query(max_length=10)] = None,
        operator_id: Annotated[str | None, Query(max_length=100)] = None,
        open_follow_up: bool = False,
        after: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        principal: Principal = Depends(runtime.current_principal),
    ):
        async with runtime.db.reader() as session:
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

    @api.put("/contacts/{contact_id}", response_model=ContactOut)
    async def correct(contact_id: str, data: ContactCreate, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.correct_contact(session, principal, runtime.cipher, contact_id, data)

    @api.post("/contacts/{contact_id}/follow-up-done", response_model=ContactOut)
    async def follow_up_done(contact_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.mark_follow_up_done(session, principal, contact_id)

    @api.get("/contacts/{contact_id}", response_model=ContactDetail)
    async def read(
        contact_id: str,
        reason: Annotated[str, Query(max_length=300)] = "",
        principal: Principal = Depends(runtime.current_principal),
    ):
        async with runtime.db.transaction() as session:
            return await service.read_contact(
                session, principal, runtime.cipher, contact_id, interface="http", reason=reason
            )

    @api.post("/contacts/{contact_id}/referrals", response_model=ContactReferralOut, status_code=201)
    async def refer(contact_id: str, data: ReferralRequest, principal: Principal = Depends(runtime.current_principal)):
        consent = None
        if data.consent is None:
            async with runtime.db.reader() as session:
                await service.check_can_refer(session, principal, contact_id)
            caller_id = None
        else:
            # The values are decrypted and their reads audited here, then travel to referrals only.
            async with runtime.db.transaction() as session:
                caller_id, values = await service.consented_values(
                    session, principal, runtime.cipher, runtime.vault, contact_id, data.consent.fields
                )
            consent = consent_message(
                fields=list(data.consent.fields),
                purpose=data.consent.purpose,
                valid_until=data.consent.valid_until,
                values=values,
            )
        # No local transaction is held open across the call to referrals.
        referral = await runtime.referrals.create_referral(
            principal,
            contact_id=contact_id,
            service_id=data.service_id,
            reason=data.reason,
            urgency=data.urgency,
            caller_id=caller_id or "",
            consent=consent,
        )
        created_at = referral.created_at.ToDatetime(tzinfo=UTC)
        async with runtime.db.transaction() as session:
            await service.link_referral(
                session,
                contact_id=contact_id,
                referral_id=referral.id,
                service_id=referral.service_id,
                service_type=referral.service_type,
                urgency=referral.urgency,
                status=referral.status,
                created_at=created_at,
                consent_shared=referral.consent_given,
            )
        return ContactReferralOut(
            referral_id=referral.id,
            service_id=referral.service_id,
            service_type=referral.service_type,
            urgency=referral.urgency,
            status=referral.status,
            created_at=created_at,
            consent_shared=referral.consent_given,
        )

    @api.post("/referrals/{referral_id}/revoke-consent", status_code=204)
    async def revoke_consent(referral_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            await service.check_can_revoke(session, principal, referral_id)
        await runtime.referrals.revoke_consent(principal, referral_id)
        async with runtime.db.transaction() as session:
            await service.consent_revoked(session, referral_id)

    @api.post("/referrals/{referral_id}/one-time-link")
    async def one_time_link(referral_id: str, principal: Principal = Depends(runtime.current_principal)):
        """Shown once to the operator to pass on; intake keeps neither the URL nor its token."""
        async with runtime.db.reader() as session:
            await service.check_can_revoke(session, principal, referral_id)
        link = await runtime.referrals.issue_link(principal, referral_id)
        return {"url": link.url, "expires_at": link.expires_at.ToDatetime(tzinfo=UTC)}

    return api
