"""intake → referrals over gRPC, on the operator's behalf: intake's service token and the operator's
token travel with every call (hotline_common.service_identity)."""

from datetime import datetime

from hotline.referrals.v1 import referrals_pb2, referrals_pb2_grpc
from hotline_common.auth import Principal
from hotline_common.grpc_server import ServiceChannel, call_upstream
from hotline_common.service_identity import ServiceTokens


class ReferralsClient:
    def __init__(self, target: str, tokens: ServiceTokens):
        self._channel = ServiceChannel(target, tokens)
        self._stub = referrals_pb2_grpc.ReferralsServiceStub(self._channel.channel)

    async def search(
        self,
        principal: Principal,
        *,
        service_type: str = "",
        region: str = "",
        language: str = "",
        text: str = "",
        limit: int = 20,
        city: str = "",
        eligibility: list[str] | None = None,
        open_now: bool = False,
    ) -> referrals_pb2.SearchServicesResponse:
        request = referrals_pb2.SearchServicesRequest(
            service_type=service_type,
            region=region,
            language=language,
            text=text,
            limit=limit,
            city=city,
            eligibility=eligibility or [],
            open_now=open_now,
        )
        return await call_upstream(
            self._stub.SearchServices, request, metadata=await self._channel.metadata(principal), service="referrals"
        )

    async def create_referral(
        self,
        principal: Principal,
        *,
        contact_id: str,
        service_id: str,
        reason: str,
        urgency: str,
        caller_id: str = "",
        draft: bool = False,
        consent: referrals_pb2.Consent | None = None,
    ) -> referrals_pb2.Referral:
        """`consent`: what the caller agreed to share with the receiving organisation, with the values
        themselves (only the consented fields); referrals stores them encrypted. See consent_message."""
        request = referrals_pb2.CreateReferralRequest(
            contact_id=contact_id,
            service_id=service_id,
            reason=reason,
            urgency=urgency,
            caller_id=caller_id,
            draft=draft,
            consent=consent,
        )
        return await call_upstream(
            self._stub.CreateReferral, request, metadata=await self._channel.metadata(principal), service="referrals"
        )

    async def revoke_consent(self, principal: Principal, referral_id: str) -> referrals_pb2.Referral:
        request = referrals_pb2.RevokeConsentRequest(referral_id=referral_id)
        return await call_upstream(
            self._stub.RevokeConsent, request, metadata=await self._channel.metadata(principal), service="referrals"
        )

    async def issue_link(self, principal: Principal, referral_id: str) -> referrals_pb2.OneTimeLink:
        """A one-time link for a specialist without an account: the URL exists only in this answer."""
        request = referrals_pb2.IssueLinkRequest(referral_id=referral_id)
        return await call_upstream(
            self._stub.IssueOneTimeLink, request, metadata=await self._channel.metadata(principal), service="referrals"
        )

    async def list_overdue(self, principal: Principal, limit: int = 200) -> referrals_pb2.ReferralList:
        """Referrals not acknowledged in time, for the director's board (hotline staff only)."""
        return await call_upstream(
            self._stub.ListOverdueReferrals,
            referrals_pb2.ListOverdueRequest(limit=limit),
            metadata=await self._channel.metadata(principal),
            service="referrals",
        )

    async def close(self) -> None:
        await self._channel.close()


def consent_message(
    *, fields: list[str], purpose: str, valid_until: datetime, values: dict[str, str]
) -> referrals_pb2.Consent:
    """The Consent for CreateReferral: only the values of consented fields travel to referrals."""
    message = referrals_pb2.Consent(
        fields=fields, purpose=purpose, data={k: v for k, v in values.items() if k in fields and v}
    )
    message.valid_until.FromDatetime(valid_until)
    return message
