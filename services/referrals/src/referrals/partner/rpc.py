"""The partner API over gRPC (hotline.referrals.v1.PartnerReferralsService): the same service.py
functions and limits as the REST partner API and the portal."""

import grpc

from hotline.referrals.v1 import referrals_pb2, referrals_pb2_grpc
from hotline_common.grpc_server import Registration, principal_from_context
from referrals.referral import service
from referrals.referral.rpc import partner_to_proto
from referrals.referral.schemas import NoteIn, StatusChange
from referrals.runtime import ReferralsRuntime

Context = grpc.aio.ServicerContext


class PartnerReferralsServicer(referrals_pb2_grpc.PartnerReferralsServiceServicer):
    def __init__(self, runtime: ReferralsRuntime):
        self.runtime = runtime

    async def ListReferrals(
        self, request: referrals_pb2.PartnerListRequest, context: Context
    ) -> referrals_pb2.PartnerListResponse:
        principal = await principal_from_context(context, self.runtime.verifier)
        async with self.runtime.db.transaction() as session:  # showing consented values is logged
            found = await service.partner_list(
                session,
                principal,
                self.runtime.policy,
                status=request.status or None,
                limit=request.limit or 50,
                channel="grpc",
            )
        return referrals_pb2.PartnerListResponse(referrals=[partner_to_proto(v) for v in found])

    async def GetReferral(
        self, request: referrals_pb2.GetReferralRequest, context: Context
    ) -> referrals_pb2.PartnerReferral:
        principal = await principal_from_context(context, self.runtime.verifier)
        async with self.runtime.db.transaction() as session:
            view = await service.partner_get(
                session, principal, request.referral_id, self.runtime.policy, channel="grpc"
            )
        return partner_to_proto(view)

    async def ChangeStatus(
        self, request: referrals_pb2.ChangeStatusRequest, context: Context
    ) -> referrals_pb2.PartnerReferral:
        principal = await principal_from_context(context, self.runtime.verifier)
        change = StatusChange(to_status=request.to_status, reason_code=request.reason_code or None)
        async with self.runtime.db.transaction() as session:
            view = await service.partner_change_status(
                session, principal, request.referral_id, change, self.runtime.policy, channel="grpc"
            )
        return partner_to_proto(view)

    async def AddNote(
        self, request: referrals_pb2.PartnerNoteRequest, context: Context
    ) -> referrals_pb2.PartnerReferral:
        principal = await principal_from_context(context, self.runtime.verifier)
        note = NoteIn(body=request.body)
        async with self.runtime.db.transaction() as session:
            view = await service.partner_add_note(
                session, principal, request.referral_id, note, self.runtime.policy, channel="grpc"
            )
        return partner_to_proto(view)


def registration(runtime: ReferralsRuntime) -> Registration:
    return (
        referrals_pb2_grpc.add_PartnerReferralsServiceServicer_to_server,
        PartnerReferralsServicer(runtime),
        "hotline.referrals.v1.PartnerReferralsService",
    )
