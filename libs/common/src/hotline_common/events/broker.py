"""The NATS connection of one service process: connects in the background (a service starts even
while NATS is down; its outbox simply waits), reconnects forever, and counts reconnects so pull
consumers can re-provision after a server restart."""

from __future__ import annotations

import asyncio
import logging

import nats
import nats.errors
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.api import RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

from hotline_common.events.catalog import DEAD_LETTER, Namespace
from hotline_common.events.permissions import inbox_prefix

log = logging.getLogger("hotline.broker")

# Publishes carry Nats-Msg-Id; the stream drops a second copy seen within this window.
DUPLICATE_WINDOW_SECONDS = 120.0


class Broker:
    def __init__(
        self, url: str, *, name: str, namespace: Namespace, user: str | None = None, password: str | None = None
    ):
        self.url = url
        self.name = name
        self.namespace = namespace
        self._user = user
        self._password = password
        self.nc: NatsClient | None = None
        self.js: JetStreamContext | None = None
        # Bumped on every (re)connect: consumers compare it to know when to re-provision.
        self.epoch = 0
        self._connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    @property
    def connected(self) -> bool:
        return self.nc is not None and self.nc.is_connected

    def jetstream(self) -> JetStreamContext:
        """The JetStream context of the current connection; raises before the first connect."""
        if self.js is None:
            raise ConnectionError("not connected to NATS")
        return self.js

    async def wait_connected(self, timeout: float | None = None) -> bool:
        try:
            await asyncio.wait_for(self._connected.wait(), timeout)
            return True
        except TimeoutError:
            return False

    def start(self) -> None:
        self._task = asyncio.create_task(self._connect_until_up(), name=f"{self.name}-nats-connect")

    async def _connect_until_up(self) -> None:
        delay = 0.2
        while not self._closing:
            try:
                self.nc = await nats.connect(
                    self.url,
                    name=self.name,
                    user=self._user,
                    password=self._password,
                    # A service's user may receive replies only on its own prefix.
                    inbox_prefix=inbox_prefix(self._user) if self._user else "_INBOX",
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=0.5,
                    # Generous: after a NATS restart every pod reconnects at once and the server checks
                    # each bcrypt password in turn; a 2 s timeout gave up mid-check, retried, and the
                    # retries kept the server too busy for anyone to get in.
                    connect_timeout=10,
                    error_cb=self._on_error,
                    disconnected_cb=self._on_disconnected,
                    reconnected_cb=self._on_reconnected,
                )
            except Exception as exc:  # noqa: BLE001 - any failure to reach the broker means retry
                if _refused_credentials(exc):
                    log.error(
                        "NATS refused this service's credentials: check NATS_USER and NATS_PASSWORD_FILE "
                        "(or NATS_PASSWORD); retrying",
                        extra={"user": self._user or "(none)"},
                    )
                else:
                    log.warning("nats not reachable, retrying", extra={"error": type(exc).__name__})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            self.js = self.nc.jetstream()
            self.epoch += 1
            self._connected.set()
            log.info("nats connected")
            return

    async def _on_error(self, exc: Exception) -> None:
        if _refused_credentials(exc):
            log.error("NATS refused this service's credentials (NATS_USER, NATS_PASSWORD_FILE)")
            return
        log.warning("nats error", extra={"error": f"{type(exc).__name__}: {exc}"[:200]})

    async def _on_disconnected(self) -> None:
        self._connected.clear()
        if not self._closing:
            log.warning("nats disconnected")

    async def _on_reconnected(self) -> None:
        self.epoch += 1
        self._connected.set()
        log.info("nats reconnected")

    async def round_trip(self, timeout: int = 2) -> None:
        """A PING answered by the server: the connection is alive now, not merely not yet noticed dead
        (a hung server or a silent partition leaves the socket open for minutes)."""
        if self.nc is None or not self.connected:
            raise ConnectionError("not connected to NATS")
        await self.nc.flush(timeout=timeout)

    async def ensure_stream(self, producer: str) -> None:
        await self._ensure(
            StreamConfig(
                name=self.namespace.stream(producer),
                subjects=self.namespace.stream_subjects(producer),
                storage=StorageType.FILE,
                retention=RetentionPolicy.LIMITS,
                duplicate_window=DUPLICATE_WINDOW_SECONDS,
            )
        )

    async def stream_exists(self, producer: str) -> bool:
        try:
            await self.jetstream().stream_info(self.namespace.stream(producer))
        except NotFoundError:
            return False
        return True

    async def ensure_dead_letter_stream(self) -> None:
        await self._ensure(
            StreamConfig(
                name=self.namespace.stream(DEAD_LETTER),
                subjects=self.namespace.stream_subjects(DEAD_LETTER),
                storage=StorageType.FILE,
                retention=RetentionPolicy.LIMITS,
                duplicate_window=DUPLICATE_WINDOW_SECONDS,
            )
        )

    async def _ensure(self, config: StreamConfig) -> None:
        js = self.jetstream()
        try:
            await js.add_stream(config)
        except BadRequestError:
            # Exists with another configuration: bring it to ours.
            await js.update_stream(config)

    async def close(self) -> None:
        self._closing = True
        if self._task is not None and not self._task.done():
            self._task.cancel()
        if self.nc is not None and not self.nc.is_closed:
            # Consumers have stopped and acked by now; flush what is buffered (acks, publishes)
            # and close. drain() would also wait on the idle pull subscriptions.
            try:
                await self.nc.flush(timeout=2)
            except Exception:  # noqa: BLE001 - closing anyway
                log.warning("nats flush on close failed")
            await self.nc.close()


def _refused_credentials(exc: BaseException) -> bool:
    return isinstance(exc, nats.errors.AuthorizationError) or "authorization violation" in str(exc).lower()
