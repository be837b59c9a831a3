from datetime import UTC, datetime

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from hotline.referrals.v1 import referrals_pb2
from hotline_common.errors import InvalidInput
from hotline_common.grpc_server import principal_from_context, service_from_context
from referrals.links import service as links
from referrals.referral import service
from referrals.referral.schemas import ConsentIn, PartnerReferralOut, ReferralCreate, ReferralOut, StatusChange
from referrals.runtime import ReferralsRuntime

# Who sends referrals over gRPC: intake's call screen, for its operator.
REFERRING_SERVICES = frozenset({service.CONSENT_SOURCE})


def _ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def to_proto(referral: ReferralOut) -> referrals_pb2.Referral:
    return referrals_pb2.Referral(
        id=referral.id,
        contact_id=referral.contact_id,
        service_id=referral.service_id,
        organisation_id=referral.organisation_id,
        service_type=referral.service_type,
        reason=referral.reason,
        urgency=referral.urgency,
        status=referral.status,
        created_at=_ts(referral.created_at),
        region=referral.region,
        reference=referral.reference,
        acknowledgement_due_at=_ts(referral.acknowledgement_due_at),
        consent_given=referral.consent_given,
        reason_code=referral.reason_code or "",
        overdue_escalated_at=_ts(referral.overdue_escalated_at),
    )


def partner_to_proto(view: PartnerReferralOut) -> referrals_pb2.PartnerReferral:
    return referrals_pb2.PartnerReferral(
        id=view.id,
        reference=view.reference,
        status=view.status,
        urgency=view.urgency,
        service_id=view.service_id,
        service_type=view.service_type,
        region=view.region,
        need=view.need,
        created_at=_ts(view.created_at),
        acknowledgement_due_at=_ts(view.acknowledgement_due_at),
        consent_active=view.consent_active,
        consent_ended=view.consent_ended,
        consented_fields=view.consented_fields,
        consent_purpose=view.consent_purpose or "",
        consent_valid_until=_ts(view.consent_valid_until),
        shared=view.shared,
        notes=[
            referrals_pb2.PartnerNote(author_kind=n.author_kind, body=n.body, created_at=_ts(n.created_at))
            for n in view.notes
        ],
    )


def consent_from_proto(request: referrals_pb2.CreateReferralRequest) -> ConsentIn | None:
    if not request.HasField("consent"):
        return None
    c = request.consent
    return ConsentIn(
        fields=list(c.fields),
        purpose=c.purpose,
        valid_until=c.valid_until.ToDatetime(tzinfo=UTC) if c.HasField("valid_until") else None,
        data=dict(c.data),
    )


async def create_referral(
    runtime: ReferralsRuntime, request: referrals_pb2.CreateReferralRequest, context: grpc.aio.ServicerContext
) -> referrals_pb2.Referral:
    # Service-to-service: intake sends it for the operator (both tokens), never a user alone.
    caller = await service_from_context(context, runtime.verifier, REFERRING_SERVICES)
    data = ReferralCreate(
        contact_id=request.contact_id,
        service_id=request.service_id,
        reason=request.reason,
        urgency=request.urgency or "routine",
        caller_id=request.caller_id or None,
        consent=consent_from_proto(request),
        draft=request.draft,
    )
    async with runtime.db.transaction() as session:
        created = await service.create_referral(
            session, caller.principal, data, runtime.policy, via_service=caller.service
        )
    return to_proto(created)


async def get_referral(
    runtime: ReferralsRuntime, request: referrals_pb2.GetReferralRequest, context: grpc.aio.ServicerContext
) -> referrals_pb2.Referral:
    principal = await principal_from_context(context, runtime.verifier)
    async with runtime.db.reader() as session:
        return to_proto(await service.get_referral(session, principal, request.referral_id, runtime.policy))


async def change_status(
    runtime: ReferralsRuntime, request: referrals_pb2.ChangeStatusRequest, context: grpc.aio.ServicerContext
) -> referrals_pb2.Referral:
    principal = await principal_from_context(context, runtime.verifier)
    change = StatusChange(to_status=request.to_status, reason_code=request.reason_code or None)
    async with runtime.db.transaction() as session:
        return to_proto(await service.change_status(session, principal, request.referral_id, change, runtime.policy))


async def revoke_consent(
    runtime: ReferralsRuntime, request: referrals_pb2.RevokeConsentRequest, context: grpc.aio.ServicerContext
) -> referrals_pb2.Referral:
    principal = await principal_from_context(context, runtime.verifier)
    async with runtime.db.transaction() as session:
        return to_proto(await service.revoke_consent(session, principal, request.referral_id, runtime.policy))


async def list_overdue(
    runtime: ReferralsRuntime, request: referrals_pb2.ListOverdueRequest, context: grpc.aio.ServicerContext
) -> referrals_pb2.ReferralList:
    principal = await principal_from_context(context, runtime.verifier)
    limit = request.limit or 200
    if not 1 <= limit <= 1000:
        raise InvalidInput.single("limit", "between 1 and 1000")
    async with runtime.db.reader() as session:
        found = await service.list_overdue(session, principal, limit=limit, policy=runtime.policy)
    return referrals_pb2.ReferralList(referrals=[to_proto(r) for r in found])


async def issue_link(
    runtime: ReferralsRuntime, request: referrals_pb2.IssueLinkRequest, context: grpc.aio.ServicerContext
) -> referrals_pb2.OneTimeLink:
    """The REST route's twin (intake's call screen asks over gRPC): a one-time link, shown once."""
    principal = await principal_from_context(context, runtime.verifier)
    async with runtime.db.transaction() as session:
        token, expires_at = await links.issue_link(session, principal, request.referral_id, runtime.policy)
    answer = referrals_pb2.OneTimeLink(url=f"{runtime.public_base_url}/link/{token}")
    answer.expires_at.FromDatetime(expires_at)
    return answer
