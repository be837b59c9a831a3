from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from hotline_common.auth import Principal
from intake.contact import service
from intake.contact.schemas import ContactCreate, ContactDetail, ContactOut, ContactReferralOut, ReferralRequest


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["contacts"])

    @api.post("/contacts", response_model=ContactOut, status_code=201)
    async def record(data: ContactCreate, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.record_contact(session, principal, runtime.cipher, data)

    @api.get("/contacts", response_model=list[ContactOut])
    async def list_(since: datetime | None = None, until: datetime | None = None,
                    limit: Annotated[int, Query(ge=1, le=200)] = 50,
                    principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.list_contacts(session, principal, since=since, until=until, limit=limit)

    @api.get("/contacts/{contact_id}", response_model=ContactDetail)
    async def read(contact_id: str, reason: Annotated[str, Query(max_length=300)] = "",
                   principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.read_contact(session, principal, runtime.cipher, contact_id,
                                              interface="http", reason=reason)

    @api.post("/contacts/{contact_id}/referrals", response_model=ContactReferralOut, status_code=201)
    async def refer(contact_id: str, data: ReferralRequest, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            await service.check_can_refer(session, principal, contact_id)
        # No local transaction is held open across the call to referrals.
        referral = await runtime.referrals.create_referral(principal, contact_id=contact_id,
                                                           service_id=data.service_id, reason=data.reason,
                                                           urgency=data.urgency)
        created_at = referral.created_at.ToDatetime(tzinfo=timezone.utc)
        async with runtime.db.transaction() as session:
            await service.link_referral(session, contact_id=contact_id, referral_id=referral.id,
                                        service_id=referral.service_id, service_type=referral.service_type,
                                        urgency=referral.urgency, status=referral.status, created_at=created_at)
        return ContactReferralOut(referral_id=referral.id, service_id=referral.service_id,
                                  service_type=referral.service_type, urgency=referral.urgency,
                                  status=referral.status, created_at=created_at)

    return api
