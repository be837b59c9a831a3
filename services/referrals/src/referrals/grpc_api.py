"""The ReferralsService servicer: a thin adapter routing each method to its domain's rpc module."""

import grpc

from hotline.referrals.v1 import referrals_pb2, referrals_pb2_grpc
from hotline_common.grpc_server import Registration
from referrals.directory import rpc as directory_rpc
from referrals.referral import rpc as referral_rpc
from referrals.runtime import ReferralsRuntime

Context = grpc.aio.ServicerContext


class ReferralsServicer(referrals_pb2_grpc.ReferralsServiceServicer):
    def __init__(self, runtime: ReferralsRuntime):
        self.runtime = runtime

    async def SearchServices(
        self, request: referrals_pb2.SearchServicesRequest, context: Context
    ) -> referrals_pb2.SearchServicesResponse:
        return await directory_rpc.search_services(self.runtime, request, context)

    async def CreateReferral(
        self, request: referrals_pb2.CreateReferralRequest, context: Context
    ) -> referrals_pb2.Referral:
        return await referral_rpc.create_referral(self.runtime, request, context)

    async def GetReferral(self, request: referrals_pb2.GetReferralRequest, context: Context) -> referrals_pb2.Referral:
        return await referral_rpc.get_referral(self.runtime, request, context)

    async def ChangeReferralStatus(
        self, request: referrals_pb2.ChangeStatusRequest, context: Context
    ) -> referrals_pb2.Referral:
        return await referral_rpc.change_status(self.runtime, request, context)

    async def RevokeConsent(
        self, request: referrals_pb2.RevokeConsentRequest, context: Context
    ) -> referrals_pb2.Referral:
        return await referral_rpc.revoke_consent(self.runtime, request, context)

    async def ListOverdueReferrals(
        self, request: referrals_pb2.ListOverdueRequest, context: Context
    ) -> referrals_pb2.ReferralList:
        return await referral_rpc.list_overdue(self.runtime, request, context)

    async def IssueOneTimeLink(
        self, request: referrals_pb2.IssueLinkRequest, context: Context
    ) -> referrals_pb2.OneTimeLink:
        return await referral_rpc.issue_link(self.runtime, request, context)


def registration(runtime: ReferralsRuntime) -> Registration:
    return (
        referrals_pb2_grpc.add_ReferralsServiceServicer_to_server,
        ReferralsServicer(runtime),
        "hotline.referrals.v1.ReferralsService",
    )
