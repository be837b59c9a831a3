from hotline.intake.v1 import intake_pb2
from hotline_common.grpc_server import principal_from_context
from intake.contact import service

# A reader with no link to the call states why in this metadata entry (UTF-8, so a binary one):
# like the HTTP body, it keeps free text out of what traces record of the call.
ACCESS_REASON_KEY = "access-reason-bin"


def access_reason(context) -> str:
    for key, value in context.invocation_metadata() or ():
        if key == ACCESS_REASON_KEY:
            return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)
    return ""


async def get_contact(runtime, request: intake_pb2.GetContactRequest, context) -> intake_pb2.ContactSummary:
    principal = await principal_from_context(context, runtime.verifier)
    async with runtime.db.transaction() as session:
        detail = await service.read_contact(
            session, principal, runtime.cipher, request.contact_id, interface="grpc", reason=access_reason(context)
        )
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
