from hotline.referrals.v1 import referrals_pb2
from hotline_common.grpc_server import principal_from_context
from referrals.referral import service
from referrals.referral.schemas import ReferralCreate, ReferralOut


def to_proto(referral: ReferralOut) -> referrals_pb2.Referral:
    message = referrals_pb2.Referral(**referral.model_dump(exclude={"created_at"}))
    message.created_at.FromDatetime(referral.created_at)
    return message


async def create_referral(runtime, request: referrals_pb2.CreateReferralRequest, context):
    principal = await principal_from_context(context, runtime.verifier)
    data = ReferralCreate(contact_id=request.contact_id, service_id=request.service_id, reason=request.reason,
                          urgency=request.urgency or "routine")
    async with runtime.db.transaction() as session:
        return to_proto(await service.create_referral(session, principal, data))


async def get_referral(runtime, request: referrals_pb2.GetReferralRequest, context):
    principal = await principal_from_context(context, runtime.verifier)
    async with runtime.db.reader() as session:
        return to_proto(await service.get_referral(session, principal, request.referral_id))
