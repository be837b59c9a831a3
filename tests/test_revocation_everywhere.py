"""Issue 12, item 1, across the running system: signing out, disabling an account and resetting its
password revoke its tokens at intake on the next request and at referrals, coordination and
reporting - their JSON API, a page and a gRPC method - within 60 s (the replicated revocation list)."""

from __future__ import annotations

import asyncio

import grpc
import httpx

from hotline.coordination.v1 import coordination_pb2, coordination_pb2_grpc
from hotline.referrals.v1 import referrals_pb2, referrals_pb2_grpc
from hotline.reporting.v1 import reporting_pb2, reporting_pb2_grpc
from hotline_common import demo
from hotline_common.auth import SESSION_COOKIE
from hotline_common.web.security import csrf_token
from hotline_devstack.testing import bearer, sign_in, wait_until

# Per service: an API route, a page and a gRPC call. A valid token of any role gets an answer there
# (maybe a refusal of its role: 403 / the refusal page / PERMISSION_DENIED); a revoked one gets 401, the
# sign-in page, UNAUTHENTICATED.
API = {"referrals": "/api/v1/services", "coordination": "/api/v1/members", "reporting": "/api/v1/statistics"}
PAGES = {"referrals": "/directory", "coordination": "/members", "reporting": "/reports"}


async def _grpc_code(target: str, service: str, token: str) -> grpc.StatusCode:
    metadata = (("authorization", f"Bearer {token}"),)
    async with grpc.aio.insecure_channel(target) as channel:
        try:
            if service == "referrals":
                await referrals_pb2_grpc.ReferralsServiceStub(channel).SearchServices(
                    referrals_pb2.SearchServicesRequest(), metadata=metadata, timeout=10
                )
            elif service == "coordination":
                await coordination_pb2_grpc.CoordinationServiceStub(channel).ListMembers(
                    coordination_pb2.ListMembersRequest(), metadata=metadata, timeout=10
                )
            else:
                await reporting_pb2_grpc.ReportingServiceStub(channel).GetStatistics(
                    reporting_pb2.StatisticsRequest(), metadata=metadata, timeout=10
                )
        except grpc.aio.AioRpcError as exc:
            return exc.code()
    return grpc.StatusCode.OK


def refused_by(system, service: str, token: str) -> dict[str, bool]:
    """Which of the service's interfaces refuse `token` as not signed in."""
    base = system.http_url(service)
    api = httpx.get(base + API[service], headers=bearer(token), timeout=10)
    page = httpx.get(base + PAGES[service], cookies={SESSION_COOKIE: token}, timeout=10, follow_redirects=False)
    code = asyncio.run(_grpc_code(system.grpc_target(service), service, token))
    return {
        "api": api.status_code == 401,
        "page": page.status_code == 303 and "/login" in page.headers.get("location", ""),
        "grpc": code == grpc.StatusCode.UNAUTHENTICATED,
    }


def intake_refuses(system, token: str) -> bool:
    answer = httpx.get(f"{system.http_url('intake')}/api/v1/screening/checklist", headers=bearer(token), timeout=10)
    return answer.status_code == 401


def assert_revoked_everywhere(system, token: str, what: str) -> None:
    assert intake_refuses(system, token), f"{what}: intake must refuse at once"
    for service in API:
        wait_until(
            lambda service=service: all(refused_by(system, service, token).values()),
            timeout=60,
            interval=1.0,
            message=f"{what}: {service} refusing the token on API, page and gRPC",
        )


def assert_works_everywhere(system, token: str) -> None:
    assert not intake_refuses(system, token)
    for service in API:
        assert refused_by(system, service, token) == {"api": False, "page": False, "grpc": False}, service


def test_sign_out_disabling_and_a_reset_revoke_tokens_on_every_service(system):
    intake = system.http_url("intake")
    director = bearer(sign_in(intake, "director"))

    signed_out = sign_in(intake, "operator")
    assert_works_everywhere(system, signed_out)
    assert httpx.post(f"{intake}/api/v1/auth/logout", headers=bearer(signed_out), timeout=10).status_code == 204
    assert_revoked_everywhere(system, signed_out, "sign-out")

    disabled = sign_in(intake, "operator2")
    assert_works_everywhere(system, disabled)
    account = demo.ACCOUNT_IDS["operator2"]
    answer = httpx.put(
        f"{intake}/api/v1/director/staff/{account}/disabled", json={"disabled": True}, headers=director, timeout=10
    )
    assert answer.status_code == 200, answer.text
    assert_revoked_everywhere(system, disabled, "disabling")

    before_reset = sign_in(intake, "operator")
    assert_works_everywhere(system, before_reset)
    account = demo.ACCOUNT_IDS["operator"]
    answer = httpx.put(
        f"{intake}/api/v1/director/staff/{account}/password",
        json={"password": "a brand new long password"},
        headers=director,
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    assert_revoked_everywhere(system, before_reset, "password reset")
    # The director's own session was never touched.
    assert not intake_refuses(system, director["Authorization"][7:])


def test_signing_out_on_another_services_page_ends_the_session_everywhere(system):
    """coordination's /logout ends the session at intake (its issuer), not only its own cookie."""
    base = system.http_url("coordination")
    with httpx.Client(base_url=base, headers={"Origin": base}, timeout=10) as browser:
        signed = browser.post("/login", data={"username": "coordinator", "password": "coordinator-demo"})
        assert signed.status_code == 303, signed.text
        cookie = browser.cookies[SESSION_COOKIE]
        assert_works_everywhere(system, cookie)
        out = browser.post("/logout", headers={"X-CSRF-Token": csrf_token(cookie, "coordination")})
        assert out.status_code == 303
    assert_revoked_everywhere(system, cookie, "sign-out on coordination's page")
