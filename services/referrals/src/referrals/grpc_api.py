"""The ReferralsService servicer: a thin adapter routing each method to its domain's rpc module."""

from hotline.referrals.v1 import referrals_pb2_grpc
from referrals.directory import rpc as directory_rpc
from referrals.referral import rpc as referral_rpc


class ReferralsServicer(referrals_pb2_grpc.ReferralsServiceServicer):
    def __init__(self, runtime):
        self.runtime = runtime

    async def SearchServices(self, request, context):
        return await directory_rpc.search_services(self.runtime, request, context)

    async def CreateReferral(self, request, context):
        return await referral_rpc.create_referral(self.runtime, request, context)

    async def GetReferral(self, request, context):
        return await referral_rpc.get_referral(self.runtime, request, context)

    async def ChangeReferralStatus(self, request, context):
        return await referral_rpc.change_status(self.runtime, request, context)

    async def RevokeConsent(self, request, context):
        return await referral_rpc.revoke_consent(self.runtime, request, context)

    async def ListOverdueReferrals(self, request, context):
        return await referral_rpc.list_overdue(self.runtime, request, context)

    async def IssueOneTimeLink(self, request, context):
        return await referral_rpc.issue_link(self.runtime, request, context)


def registration(runtime):
    return (
        referrals_pb2_grpc.add_ReferralsServiceServicer_to_server,
        ReferralsServicer(runtime),
        "hotline.referrals.v1.ReferralsService",
    )
