from hotline.intake.v1 import intake_pb2
from hotline_common.grpc_server import principal_from_context
from intake.contact import service


async def get_contact(runtime, request: intake_pb2.GetContactRequest, context) -> intake_pb2.ContactSummary:
    principal = await principal_from_context(context, runtime.verifier)
    async with runtime.db.transaction() as session:
        detail = await service.read_contact(session, principal, runtime.cipher, request.contact_id, interface="grpc")
    summary = intake_pb2.ContactSummary(
        id=detail.id,
        line=detail.line,
        caller_role=detail.caller_role,
        purpose=detail.purpose,
        referral_ids=[r.referral_id for r in detail.referrals],
    )
    summary.started_at.FromDatetime(detail.started_at)
    summary.recorded_at.FromDatetime(detail.recorded_at)
    return summary
