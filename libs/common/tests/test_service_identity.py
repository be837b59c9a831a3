"""Services call each other as themselves (hotline_common.service_identity): the event replay of a
producer answers only the services that consume it, only their subjects, and never a user's token
or no token at all. Real gRPC on a free port, a real outbox in SQLite, tokens of a real issuer."""

from __future__ import annotations

import grpc
import pytest

from hotline.events.v1 import referrals_pb2, replay_pb2, replay_pb2_grpc
from hotline_common.auth import Permission, Role, TokenIssuer, TokenVerifier, generate_signing_keypair
from hotline_common.db import Database
from hotline_common.errors import PermissionDenied, Unauthenticated
from hotline_common.events import replay
from hotline_common.events.outbox import add_event
from hotline_common.events.schema import event_metadata
from hotline_common.grpc_server import build_grpc_server
from hotline_common.runtime import ServiceRuntime
from hotline_common.service_identity import (
    ON_BEHALF_OF,
    SelfSignedTokens,
    call_metadata,
    caller_from_metadata,
)
from hotline_common.settings import ServiceSettings
from hotline_devstack.ports import free_port

PRIVATE, PUBLIC = generate_signing_keypair()
ISSUER = TokenIssuer(PRIVATE, issuer="hotline-embedded", audience="hotline")
VERIFIER = TokenVerifier(issuer="hotline-embedded", audience="hotline", public_key_pem=PUBLIC)
CREATED = "referrals.referral.created.v1"
PARTNER_NOTICE = "referrals.partner.org-1.referral.sent.v1"


def tokens(service: str) -> SelfSignedTokens:
    return SelfSignedTokens(ISSUER, service)


def user(role: Role) -> str:
    return ISSUER.issue(subject=f"{role}-1", role=role, name=str(role))


@pytest.fixture
async def referrals_event_log(tmp_path):
    """Referrals' EventLog over an outbox with a referral event and a partner's notice."""
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'outbox.db'}")
    async with db.engine.begin() as conn:
        await conn.run_sync(event_metadata.create_all)
    async with db.transaction() as session:
        await add_event(session, CREATED, referrals_pb2.ReferralCreated(referral_id="r-1"))
        await add_event(session, PARTNER_NOTICE, referrals_pb2.ReferralCreated(referral_id="r-1"))
    port = free_port()
    server, _, _ = build_grpc_server(
        "127.0.0.1", port, [replay.registration(db, VERIFIER, replay.READERS["referrals"])]
    )
    await server.start()
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        yield replay_pb2_grpc.EventLogStub(channel)
    await server.stop(0)
    await db.dispose()


async def replay_code(stub, metadata=(), subjects=()) -> grpc.StatusCode:
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub.Replay(replay_pb2.ReplayRequest(up_to_seq=10, subjects=list(subjects)), metadata=metadata)
    return refused.value.code()


async def test_replay_without_a_token_is_unauthenticated(referrals_event_log):
    assert await replay_code(referrals_event_log) == grpc.StatusCode.UNAUTHENTICATED
    garbage = (("authorization", "Bearer not-a-token"),)
    assert await replay_code(referrals_event_log, garbage) == grpc.StatusCode.UNAUTHENTICATED


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.ANALYST, Role.PARTNER, Role.ADMIN])
async def test_a_users_token_never_replays(referrals_event_log, role):
    metadata = (("authorization", f"Bearer {user(role)}"),)
    assert await replay_code(referrals_event_log, metadata) == grpc.StatusCode.PERMISSION_DENIED


async def test_a_service_that_does_not_consume_the_producer_is_refused(referrals_event_log):
    metadata = await call_metadata(tokens("coordination"))
    assert await replay_code(referrals_event_log, metadata) == grpc.StatusCode.PERMISSION_DENIED


async def test_a_consumer_gets_its_own_subjects_and_never_partner_notices(referrals_event_log):
    metadata = await call_metadata(tokens("intake"))
    answer = await referrals_event_log.Replay(replay_pb2.ReplayRequest(up_to_seq=10), metadata=metadata)
    assert [e.subject for e in answer.events] == [CREATED]
    asked = await replay_code(referrals_event_log, metadata, subjects=[CREATED, PARTNER_NOTICE])
    assert asked == grpc.StatusCode.PERMISSION_DENIED


async def test_a_service_acting_for_a_user_brings_the_users_permissions():
    operator = user(Role.OPERATOR)
    caller = await caller_from_metadata(
        {"authorization": f"Bearer {await tokens('intake').token()}", ON_BEHALF_OF: f"Bearer {operator}"}, VERIFIER
    )
    assert (caller.service, caller.principal.role, caller.principal.subject) == ("intake", Role.OPERATOR, "operator-1")
    alone = await caller_from_metadata({"authorization": f"Bearer {operator}"}, VERIFIER)
    assert alone.service is None and alone.principal.role == Role.OPERATOR
    with pytest.raises(PermissionDenied):
        alone.require_service({"intake"})


async def test_only_a_service_acts_for_someone_and_only_for_a_person():
    operator, director = user(Role.OPERATOR), user(Role.DIRECTOR)
    intake = await tokens("intake").token()
    with pytest.raises(PermissionDenied):  # a user's token posing as the acting party
        await caller_from_metadata(
            {"authorization": f"Bearer {operator}", ON_BEHALF_OF: f"Bearer {director}"}, VERIFIER
        )
    with pytest.raises(PermissionDenied):  # a service for another service
        await caller_from_metadata(
            {"authorization": f"Bearer {intake}", ON_BEHALF_OF: f"Bearer {await tokens('reporting').token()}"}, VERIFIER
        )
    with pytest.raises(Unauthenticated):
        await caller_from_metadata({"authorization": f"Bearer {intake}", ON_BEHALF_OF: "operator-1"}, VERIFIER)


async def test_a_service_token_is_short_lived_and_reused_until_it_nears_expiry():
    short = TokenIssuer(PRIVATE, issuer="hotline-embedded", audience="hotline", ttl_seconds=300)
    source = SelfSignedTokens(short, "reporting")
    first = await source.token()
    assert await source.token() == first
    principal = await VERIFIER.verify(first)
    assert (principal.role, principal.subject) == (Role.SERVICE, "reporting")
    assert [p for p in Permission if principal.can(p)] == [Permission.SERVICE_CALLS], "nothing a person may do"


async def test_a_service_that_needs_an_identity_and_has_none_does_not_serve(tmp_path):
    (tmp_path / "pub.pem").write_bytes(PUBLIC)
    settings = ServiceSettings(
        http_port=free_port(),
        grpc_port=free_port(),
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'r.db'}",
        auth_public_key_file=str(tmp_path / "pub.pem"),
        event_sources={"intake": "127.0.0.1:1"},
    )
    runtime = ServiceRuntime("reporting", settings, "unused", title="t")
    runtime.add_consumer("reporting.calls", "intake", [])
    with pytest.raises(SystemExit, match="SERVICE_CLIENT_SECRET_FILE: reporting needs a service identity"):
        await runtime.serve()
    await runtime.db.dispose()
