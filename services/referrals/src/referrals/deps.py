"""What referrals' handlers receive, as typed FastAPI dependencies (besides `CurrentPrincipal` and
`Db` from hotline_common.web.deps and the page kit's `PageKit`)."""

from typing import Annotated

from fastapi import Depends

from hotline_common.web.deps import typed_runtime
from referrals.referral.policy import Policy
from referrals.runtime import ReferralsRuntime

Runtime = Annotated[ReferralsRuntime, Depends(typed_runtime(ReferralsRuntime))]


def referral_policy(runtime: Runtime) -> Policy:
    return runtime.policy


def time_zone(runtime: Runtime) -> str:
    """The hotline's local time zone (TIMEZONE): "open now" and the pages' times."""
    return runtime.zone


def public_base_url(runtime: Runtime) -> str:
    """Where one-time links point (PUBLIC_BASE_URL, without a trailing slash)."""
    return runtime.public_base_url


ReferralPolicy = Annotated[Policy, Depends(referral_policy)]
Zone = Annotated[str, Depends(time_zone)]
PublicBaseUrl = Annotated[str, Depends(public_base_url)]
