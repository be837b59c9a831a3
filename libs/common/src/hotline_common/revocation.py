"""Revoked tokens, replicated to every service over a NATS JetStream key-value bucket.

Intake (the built-in issuer) ends sessions: sign-out, a disabled account, a password reset, "end all
sessions". It writes each ended session (`sid.<session id>`) and each subject's "not before" time
(`sub.<subject>`) into the bucket, re-putting every unexpired one periodically, so an entry lost while
NATS was down arrives once it is back. Every service watches the bucket from its start and its
TokenVerifier refuses a revoked token on HTTP, pages and gRPC alike. A service whose watch has been
down longer than `STALE_AFTER_SECONDS` refuses user tokens ("revocation list unavailable") instead
of risking a revoked one; /readyz says so. Entries expire when the tokens they cover would.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import nats.errors
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import BucketNotFoundError, NotFoundError
from nats.js.kv import KeyValue

from hotline_common.errors import DependencyUnavailable, Unauthenticated
from hotline_common.events.catalog import Namespace
from hotline_common.events.permissions import kv_bucket

if TYPE_CHECKING:
    from hotline_common.events.broker import Broker

log = logging.getLogger("hotline.revocation")

# Issue 12: a revocation takes effect on every service within 60 s.
STALE_AFTER_SECONDS = 60.0
# The longest a token of the built-in issuer lives (TokenIssuer's default): how long an entry must last.
MAX_TOKEN_SECONDS = 12 * 3600
# Bucket entries outlive the tokens they cover by this margin (intake re-puts unexpired ones anyway).
BUCKET_TTL_SECONDS = MAX_TOKEN_SECONDS + 3600
REVOKED = "token revoked"
UNAVAILABLE = "revocation list unavailable"


def revocation_bucket(namespace: Namespace) -> str:
    """The bucket's name, prefixed like the stream names (`<NAMESPACE>_REVOCATIONS`). NATS stores it as
    the stream `KV_<bucket>` with subjects `$KV.<bucket>.>`: every service reads, intake writes."""
    return kv_bucket(namespace, "REVOCATIONS")


def session_key(session_id: str) -> str:
    return f"sid.{session_id}"


def subject_key(subject: str) -> str:
    # An identity provider's subject may hold characters a key may not: base64url has none of those.
    return "sub." + base64.urlsafe_b64encode(subject.encode()).decode().rstrip("=")


def _subject_of(key: str) -> str:
    encoded = key.removeprefix("sub.")
    return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()


@dataclass(frozen=True)
class Revocation:
    """One entry: a session ended (`session_id`), or every token of `subject` issued before
    `not_before`; kept until `until` (epoch seconds), when the tokens it covers have expired."""

    until: float
    session_id: str | None = None
    subject: str | None = None
    not_before: float | None = None

    def key(self) -> str:
        if self.session_id:
            return session_key(self.session_id)
        if self.subject is None:
            raise ValueError("a revocation names a session or a subject")
        return subject_key(self.subject)

    def value(self) -> bytes:
        body: dict[str, float] = {"until": self.until}
        if self.not_before is not None:
            body["not_before"] = self.not_before
        return json.dumps(body).encode()


class RevocationCheck(Protocol):
    """What TokenVerifier asks after a token's signature and claims are valid."""

    async def check(self, claims: Mapping[str, Any]) -> None: ...


class RevocationList:
    """The revocations this process knows, and whether it knows them recently enough.

    Until `watching()` is called (by the runtime's serve) nothing is refused for staleness: a
    process that serves no one, e.g. a test's in-process app, has no watch to wait for."""

    def __init__(self, *, stale_after: float = STALE_AFTER_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.stale_after = stale_after
        self._clock = clock
        self._sessions: dict[str, float] = {}
        self._not_before: dict[str, tuple[float, float]] = {}
        self._watching = False
        self._current_at: float | None = None

    def watching(self) -> None:
        self._watching = True

    def current(self) -> None:
        """The watch is connected and has read the whole bucket: the list is current now."""
        self._current_at = self._clock()

    def fresh(self) -> bool:
        if not self._watching:
            return True
        return self._current_at is not None and self._clock() - self._current_at <= self.stale_after

    def add(self, revocation: Revocation) -> None:
        if revocation.session_id:
            self._sessions[revocation.session_id] = max(revocation.until, self._sessions.get(revocation.session_id, 0))
        elif revocation.subject is not None and revocation.not_before is not None:
            known = self._not_before.get(revocation.subject, (0.0, 0.0))
            self._not_before[revocation.subject] = (
                max(known[0], revocation.not_before),
                max(known[1], revocation.until),
            )

    def apply(self, key: str, value: bytes | None) -> None:
        """A bucket entry. Deletions and expiry markers are ignored: entries end by their `until`."""
        if not value:
            return
        try:
            body = json.loads(value)
            until = float(body["until"])
            if key.startswith("sid."):
                self.add(Revocation(until=until, session_id=key.removeprefix("sid.")))
            elif key.startswith("sub."):
                self.add(Revocation(until=until, subject=_subject_of(key), not_before=float(body["not_before"])))
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            log.warning("ignoring a malformed revocation entry", extra={"key": key[:80]})

    def prune(self, now: float) -> None:
        self._sessions = {sid: until for sid, until in self._sessions.items() if until > now}
        self._not_before = {sub: entry for sub, entry in self._not_before.items() if entry[1] > now}

    def revoked(self, claims: Mapping[str, Any]) -> bool:
        session_id = claims.get("sid")
        if isinstance(session_id, str) and session_id in self._sessions:
            return True
        entry = self._not_before.get(str(claims.get("sub", "")))
        if entry is None:
            return False
        issued_at = claims.get("iat")
        return not isinstance(issued_at, int | float) or issued_at < entry[0]

    async def check(self, claims: Mapping[str, Any]) -> None:
        if not self.fresh():
            raise DependencyUnavailable(UNAVAILABLE)
        if self.revoked(claims):
            raise Unauthenticated(REVOKED)


async def bind_bucket(broker: Broker, *, create: bool) -> KeyValue:
    """The revocation bucket; the writer (intake) creates it, readers wait until it exists."""
    js = broker.jetstream()
    name = revocation_bucket(broker.namespace)
    try:
        return await js.key_value(name)
    except (BucketNotFoundError, NotFoundError):
        if not create:
            raise
    return await js.create_key_value(
        KeyValueConfig(bucket=name, history=1, ttl=BUCKET_TTL_SECONDS, storage=StorageType.FILE)
    )


def _stop_if_cancelled() -> None:
    """Python 3.11's wait_for can swallow a cancellation that arrives just as its future completes,
    and nats-py awaits through it: a loop that goes on round after round checks the request itself,
    or a service's stop waits on it for ever."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


class RevocationWatch:
    """Keeps a RevocationList current from the bucket: a fresh watch after every (re)connect."""

    def __init__(self, broker: Broker, revocations: RevocationList, *, poll_seconds: float = 1.0):
        self.broker = broker
        self.revocations = revocations
        self.poll_seconds = poll_seconds

    async def run(self) -> None:
        self.revocations.watching()
        while True:
            await self.broker.wait_connected()
            epoch = self.broker.epoch
            try:
                await self._watch(epoch)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - bucket missing or broker gone: retry
                log.warning("revocation watch failed; retrying", extra={"error": type(exc).__name__})
                await asyncio.sleep(self.poll_seconds)

    async def _watch(self, epoch: int) -> None:
        bucket = await bind_bucket(self.broker, create=False)
        watcher = await bucket.watchall()
        synced = False
        try:
            while self.broker.epoch == epoch:
                _stop_if_cancelled()
                try:
                    entry = await watcher.updates(timeout=self.poll_seconds)  # type: ignore[no-untyped-call]
                except nats.errors.TimeoutError:
                    entry = None
                if entry is None:
                    synced = True  # the initial values are read (or nothing new came)
                else:
                    self.revocations.apply(entry.key, entry.value)
                if synced and self.broker.connected:
                    # Current only if the server answers now: a hung NATS keeps the socket (and a
                    # quiet watch) looking fine while revocations no longer arrive.
                    await self.broker.round_trip()
                    self.revocations.prune(time.time())
                    self.revocations.current()
        finally:
            with contextlib.suppress(Exception):
                await watcher.stop()  # type: ignore[no-untyped-call]


class RevocationSource(Protocol):
    """Where the writer reads the revocations still in force (intake: its sessions table)."""

    async def unexpired(self, now: float) -> list[Revocation]: ...

    async def ended_since(self, since: float) -> list[Revocation]: ...


class RevocationPublisher:
    """The writer's side: puts newly ended sessions within a second, and re-puts every unexpired
    revocation after each (re)connect and every `republish_seconds`, so none is lost while NATS is down."""

    def __init__(
        self,
        broker: Broker,
        source: RevocationSource,
        *,
        poll_seconds: float = 1.0,
        republish_seconds: float = 30.0,
    ):
        self.broker = broker
        self.source = source
        self.poll_seconds = poll_seconds
        self.republish_seconds = republish_seconds

    async def run(self) -> None:
        while True:
            await self.broker.wait_connected()
            try:
                await self._publish(self.broker.epoch)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - broker gone: republish everything once back
                log.warning("revocation publishing failed; retrying", extra={"error": type(exc).__name__})
                await asyncio.sleep(self.poll_seconds)

    async def _publish(self, epoch: int) -> None:
        bucket = await bind_bucket(self.broker, create=True)
        republished_at = -self.republish_seconds
        seen = time.time()
        while self.broker.epoch == epoch:
            _stop_if_cancelled()
            now = time.time()
            if time.monotonic() - republished_at >= self.republish_seconds:
                batch = await self.source.unexpired(now)
                republished_at = time.monotonic()
            else:
                # A little overlap: a session ended in a transaction that committed late still shows.
                batch = await self.source.ended_since(seen - 5)
            for revocation in batch:
                await bucket.put(revocation.key(), revocation.value())
            seen = now
            await asyncio.sleep(self.poll_seconds)
