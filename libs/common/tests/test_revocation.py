"""The replicated revocation list (issue 12, item 1): a revoked session or subject is refused by
TokenVerifier; the list travels over a real NATS key-value bucket from the writer (intake's user)
to a reader (another service's user); a reader whose watch is gone too long refuses user tokens."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time

import pytest

from hotline_common.auth import Role, TokenIssuer, TokenVerifier, generate_signing_keypair
from hotline_common.errors import DependencyUnavailable, Unauthenticated
from hotline_common.events.broker import Broker
from hotline_common.events.catalog import Namespace
from hotline_common.revocation import (
    Revocation,
    RevocationList,
    RevocationPublisher,
    RevocationWatch,
    revocation_bucket,
)
from hotline_devstack.nats import NatsServer
from hotline_devstack.ports import free_port
from hotline_devstack.testing import eventually


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def keys():
    private, public = generate_signing_keypair()
    return TokenIssuer(private, issuer="hotline-embedded", audience="hotline"), public


def verifier(public: bytes, revocations: RevocationList) -> TokenVerifier:
    return TokenVerifier(issuer="hotline-embedded", audience="hotline", public_key_pem=public, revocation=revocations)


async def test_a_revoked_session_or_an_older_token_of_a_subject_is_refused(keys):
    issuer, public = keys
    revocations = RevocationList()
    check = verifier(public, revocations)
    mine = issuer.issue(subject="u1", role=Role.OPERATOR, session_id="s-1")
    other = issuer.issue(subject="u1", role=Role.OPERATOR, session_id="s-2")
    assert (await check.verify(mine)).session_id == "s-1"
    revocations.add(Revocation(until=time.time() + 3600, session_id="s-1"))
    with pytest.raises(Unauthenticated, match="token revoked"):
        await check.verify(mine)
    assert (await check.verify(other)).subject == "u1", "only the ended session is refused"

    # Every token of u2 issued before the subject's "not before" (one without a sid too).
    old = issuer.issue(subject="u2", role=Role.ANALYST, issued_at=int(time.time()) - 10)
    revocations.add(Revocation(until=time.time() + 3600, subject="u2", not_before=time.time() - 5))
    with pytest.raises(Unauthenticated, match="token revoked"):
        await check.verify(old)
    assert (await check.verify(issuer.issue(subject="u2", role=Role.ANALYST))).subject == "u2"


async def test_entries_end_when_the_tokens_they_cover_expire():
    revocations = RevocationList()
    revocations.add(Revocation(until=100.0, session_id="gone"))
    revocations.add(Revocation(until=300.0, session_id="kept"))
    revocations.prune(200.0)
    assert not revocations.revoked({"sid": "gone", "sub": "x"})
    assert revocations.revoked({"sid": "kept", "sub": "x"})


async def test_a_stale_list_refuses_user_tokens_but_not_a_services_own(keys):
    issuer, public = keys
    clock = Clock()
    revocations = RevocationList(stale_after=60, clock=clock)
    check = verifier(public, revocations)
    user = issuer.issue(subject="u1", role=Role.OPERATOR, session_id="s-1")
    revocations.watching()
    with pytest.raises(DependencyUnavailable, match="revocation list unavailable"):
        await check.verify(user)  # serving, and never synchronised yet
    revocations.current()
    clock.now += 59
    assert (await check.verify(user)).subject == "u1"
    clock.now += 2
    with pytest.raises(DependencyUnavailable):
        await check.verify(user)
    assert not revocations.fresh()
    assert (await check.verify(issuer.issue(subject="referrals", role=Role.SERVICE))).subject == "referrals"


class Ended:
    """A writer's revocations in memory: one ended long ago (only the periodic re-put carries it) and
    those ended since the publisher started."""

    def __init__(self, old: Revocation):
        self.old = old
        self.recent: list[tuple[float, Revocation]] = []

    async def unexpired(self, now: float) -> list[Revocation]:
        return [self.old, *(r for _, r in self.recent)]

    async def ended_since(self, since: float) -> list[Revocation]:
        return [r for at, r in self.recent if at >= since]


def service_broker(nats_server, namespace: str, service: str) -> Broker:
    user = nats_server.authorize(namespace)[service]
    password = user.password_file.read_text().strip()
    return Broker(nats_server.address, name=service, namespace=Namespace(namespace), user=user.user, password=password)


@contextlib.asynccontextmanager
async def tasks(*coroutines):
    running = [asyncio.create_task(c) for c in coroutines]
    try:
        yield
    finally:
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)


async def test_revocations_reach_another_service_over_the_bucket_and_staleness_shows(nats_server, namespace):
    writer = service_broker(nats_server, namespace, "intake")
    reader = service_broker(nats_server, namespace, "referrals")
    later = time.time() + 3600
    source = Ended(Revocation(until=later, session_id="ended-before-the-outage"))
    revocations = RevocationList(stale_after=1.0)
    publisher = RevocationPublisher(writer, source, poll_seconds=0.1, republish_seconds=0.5)
    watch = RevocationWatch(reader, revocations, poll_seconds=0.1)
    writer.start()
    reader.start()
    try:
        async with tasks(publisher.run(), watch.run()):
            await eventually(
                lambda: _async(revocations.fresh() and revocations.revoked({"sid": "ended-before-the-outage"}))
            )
            source.recent.append((time.time(), Revocation(until=later, session_id="just-ended")))
            source.recent.append((time.time(), Revocation(until=later, subject="u9", not_before=time.time())))
            # Two revocations, which may arrive one after the other: wait for both.
            await eventually(
                lambda: _async(
                    revocations.revoked({"sid": "just-ended"})
                    and revocations.revoked({"sub": "u9", "iat": int(time.time()) - 60})
                ),
                timeout=5,
            )
            await reader.close()  # the reader loses NATS: after stale_after it refuses
            await eventually(lambda: _async(not revocations.fresh()), timeout=5)
            with pytest.raises(DependencyUnavailable):
                await revocations.check({"sub": "u1", "sid": "live"})
    finally:
        await writer.close()
        await reader.close()
    assert revocation_bucket(Namespace(namespace)) == f"{namespace.upper()}_REVOCATIONS"


async def _async(value):
    return value


async def test_a_hung_nats_makes_the_list_stale_though_its_socket_stays_open(tmp_path, namespace):
    """A frozen server (or a silent partition) keeps the TCP connection open for minutes: the watch
    must notice from an unanswered PING, not from a disconnect that has not come yet."""
    server = NatsServer(tmp_path / "hung-nats", free_port(), password_cost=4).start()
    writer = service_broker(server, namespace, "intake")
    reader = service_broker(server, namespace, "referrals")
    revocations = RevocationList(stale_after=2.0)
    publisher = RevocationPublisher(writer, Ended(Revocation(until=time.time() + 60, session_id="s")), poll_seconds=0.1)
    watch = RevocationWatch(reader, revocations, poll_seconds=0.2)
    writer.start()
    reader.start()
    try:
        async with tasks(publisher.run(), watch.run()):
            await eventually(lambda: _async(revocations.fresh() and revocations.revoked({"sid": "s"})), timeout=15)
            assert server.process is not None
            server.process.send_signal(signal.SIGSTOP)
            try:
                await eventually(lambda: _async(not revocations.fresh()), timeout=10)
                assert reader.connected, "the client has not noticed anything: only the round trip tells"
            finally:
                server.process.send_signal(signal.SIGCONT)
            await eventually(lambda: _async(revocations.fresh()), timeout=15)
    finally:
        await writer.close()
        await reader.close()
        server.stop()
