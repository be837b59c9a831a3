"""intake → referrals over gRPC, on the operator's behalf (their token travels with the call)."""
from hotline.referrals.v1 import referrals_pb2, referrals_pb2_grpc
from hotline_common.auth import Principal, bearer_metadata
from hotline_common.grpc_server import ServiceChannel, call_upstream


class ReferralsClient:
    def __init__(self, target: str):
        self._channel = ServiceChannel(target)
        self._stub = referrals_pb2_grpc.ReferralsServiceStub(self._channel.channel)

    async def search(self, principal: Principal, *, service_type: str = "", region: str = "", language: str = "",
                     text: str = "", limit: int = 20) -> referrals_pb2.SearchServicesResponse:
        request = referrals_pb2.SearchServicesRequest(service_type=service_type, region=region, language=language,
                                                      text=text, limit=limit)
        return await call_upstream(self._stub.SearchServices, request, metadata=bearer_metadata(principal),
                                   service="referrals")

    async def create_referral(self, principal: Principal, *, contact_id: str, service_id: str, reason: str,
                              urgency: str) -> referrals_pb2.Referral:
        request = referrals_pb2.CreateReferralRequest(contact_id=contact_id, service_id=service_id, reason=reason,
                                                      urgency=urgency)
        return await call_upstream(self._stub.CreateReferral, request, metadata=bearer_metadata(principal),
                                   service="referrals")

    async def close(self) -> None:
        await self._channel.close()
