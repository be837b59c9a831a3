"""One service = one asyncio process: FastAPI + grpc.aio + NATS consumers + outbox relay.

Start: migrate, connect NATS in the background, provision streams and durables, serve.
SIGTERM/SIGINT: stop accepting, finish in-flight work, flush the outbox, drain NATS, exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import signal
import socket
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from typing import Generic, TypeVar

import uvicorn
from grpc_health.v1 import health_pb2

from hotline_common.auth import TokenVerifier
from hotline_common.db import Database
from hotline_common.events import replay
from hotline_common.events.broker import Broker
from hotline_common.events.catalog import Namespace
from hotline_common.events.consumer import Consumer, Handler
from hotline_common.events.gaps import GapCheck
from hotline_common.events.outbox import OutboxRelay
from hotline_common.events.permissions import CONSUMERS as NATS_CONSUMERS
from hotline_common.grpc_server import Registration, build_grpc_server
from hotline_common.http import create_app
from hotline_common.migrations import upgrade_async
from hotline_common.revocation import RevocationCheck, RevocationList, RevocationWatch
from hotline_common.service_identity import NoServiceIdentity, ServiceTokens, missing_tokens, tokens_from_settings
from hotline_common.settings import ServiceSettings, nats_password
from hotline_common.tracing import instrument_engine, shutdown_tracing

log = logging.getLogger("hotline.runtime")


class PortInUse(SystemExit):
    pass


def ensure_port_free(host: str, port: int, variable: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(
                    f"Port {port} ({variable}) is already in use on {host}. "
                    f"Stop what uses it, or set {variable} to a free port."
                ) from None
            raise


class _EmbeddedUvicorn(uvicorn.Server):
    """Uvicorn without its own signal handlers: the runtime owns shutdown order."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


class ServiceRuntime(Generic[SettingsT]):
    """What every service runs. A service subclasses it (`ServiceRuntime[ItsSettings]`) and sets
    its own parts in `__init__`; nothing is added to a runtime after it is built."""

    def __init__(
        self,
        name: str,
        settings: SettingsT,
        migrations: str,
        *,
        title: str,
        revocation: Callable[[Database, RevocationList], RevocationCheck] | None = None,
        service_tokens: ServiceTokens | None = None,
    ):
        """`revocation`: how this service decides a token is revoked, from its database and the
        replicated list (intake asks its own sessions); by default the replicated list alone.
        `service_tokens`: this service's own identity on calls to other services; by default a
        client-credentials source from the settings (SERVICE_CLIENT_SECRET_FILE), if set."""
        self.name = name
        self.settings = settings
        self.migrations = migrations
        self.db = Database(settings.database_url)
        instrument_engine(self.db.engine)
        self.namespace = Namespace(settings.events_namespace)
        self.broker = Broker(
            settings.nats_url,
            name=name,
            namespace=self.namespace,
            user=settings.nats_user,
            password=nats_password(settings),
        )
        # Revoked tokens, replicated from intake over a NATS key-value bucket (hotline_common.revocation).
        self.revocations = RevocationList()
        self.revocation_watch = RevocationWatch(self.broker, self.revocations)
        check = revocation(self.db, self.revocations) if revocation else self.revocations
        self.verifier = TokenVerifier.from_settings(settings, revocation=check)
        self.service_tokens = service_tokens or tokens_from_settings(name, settings)
        self._identity_needed: list[str] = []
        self.relay = OutboxRelay(self.db, self.broker, name, retention=timedelta(hours=settings.outbox_retention_hours))
        self.consumers: list[Consumer] = []
        self.gap_checks: list[GapCheck] = []
        # Every service produces events, so every service answers replays from its outbox.
        self.grpc_registrations: list[Registration] = [
            replay.registration(self.db, self.verifier, replay.READERS.get(name, {}))
        ]
        self.startup_hooks: list[Callable[[], Awaitable[None]]] = []
        self.shutdown_hooks: list[Callable[[], Awaitable[None]]] = []
        self.app = create_app(title, self.readiness, service=name, https=settings.cookie_secure)
        # Handlers reach this runtime through typed dependencies (hotline_common.web.deps).
        self.app.state.runtime = self
        self._stop = asyncio.Event()
        self._streams_ready = False

    def add_consumer(self, name: str, producer: str, handlers: list[Handler]) -> Consumer:
        if NATS_CONSUMERS.get(self.name, {}).get(name) != producer:
            # Its NATS user may read only the durables declared there (and the chart's docs list them).
            raise ValueError(f"declare consumer {name} of {producer} in hotline_common.events.permissions.CONSUMERS")
        consumer = Consumer(
            name,
            producer,
            handlers,
            self.db,
            self.broker,
            max_deliver=self.settings.consumer_max_deliver,
            ack_wait_seconds=self.settings.consumer_ack_wait_seconds,
        )
        self.consumers.append(consumer)
        target = self.settings.event_sources.get(producer)
        if target:
            self.gap_checks.append(
                GapCheck(
                    consumer,
                    target,
                    self.require_service_tokens(f"replay events from {producer}"),
                    interval_seconds=self.settings.event_gap_check_seconds,
                    grace_seconds=self.settings.event_gap_grace_seconds,
                )
            )
        return consumer

    def require_service_tokens(self, purpose: str) -> ServiceTokens:
        """This service's identity for `purpose`; without one, `serve` exits naming the setting."""
        self._identity_needed.append(purpose)
        return self.service_tokens or NoServiceIdentity(self.name)

    async def readiness(self) -> dict[str, bool]:
        try:
            await asyncio.wait_for(self.db.ping(), 2)
            database = True
        except Exception:  # noqa: BLE001 - not ready is the answer
            database = False
        return {
            "database": database,
            "nats": self.broker.connected and self._streams_ready,
            "revocations": self.revocations.fresh(),
        }

    def request_stop(self) -> None:
        self._stop.set()

    async def _provision_streams(self) -> None:
        while not self._stop.is_set():
            await self.broker.wait_connected()
            try:
                await self.broker.ensure_stream(self.name)
                await self.broker.ensure_dead_letter_stream()
                self._streams_ready = True
                return
            except Exception as exc:  # noqa: BLE001 - broker not ready yet
                log.warning("stream provisioning failed; retrying", extra={"error": type(exc).__name__})
                await asyncio.sleep(0.5)

    async def provision_events(self, timeout: float = 60.0) -> None:
        """Create or update this service's stream, the dead-letter stream and its durable
        consumers, then disconnect: what the deployment's hook Job runs before pods start."""
        self.broker.start()
        try:
            if not await self.broker.wait_connected(timeout):
                raise SystemExit(f"NATS not reachable at {self.settings.nats_url} within {timeout:.0f}s (NATS_URL)")
            await self.broker.ensure_stream(self.name)
            await self.broker.ensure_dead_letter_stream()
            for consumer in self.consumers:
                await consumer.provision()
        finally:
            await self.broker.close()
            await self.db.dispose()

    async def serve(self) -> None:
        s = self.settings
        log.info("starting")
        ensure_port_free(s.http_host, s.http_port, "HTTP_PORT")
        ensure_port_free(s.grpc_host, s.grpc_port, "GRPC_PORT")
        if self.service_tokens is None and self._identity_needed:
            raise missing_tokens(self.name, self._identity_needed)
        if s.migrate_on_start:
            await upgrade_async(self.migrations, s.database_url)
        for hook in self.startup_hooks:
            await hook()

        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.request_stop)

        # From now on a user token needs a current revocation list (before any port answers).
        self.revocations.watching()
        self.broker.start()
        grpc_server, health_servicer, names = build_grpc_server(s.grpc_host, s.grpc_port, self.grpc_registrations)
        await grpc_server.start()
        for service_name in names:
            await health_servicer.set(service_name, health_pb2.HealthCheckResponse.SERVING)
        await health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)

        http = _EmbeddedUvicorn(
            uvicorn.Config(
                self.app, host=s.http_host, port=s.http_port, log_config=None, access_log=False, lifespan="off"
            )
        )
        background = [
            asyncio.create_task(self._provision_streams(), name="provision"),
            asyncio.create_task(self.relay.run(), name="relay"),
            asyncio.create_task(self.revocation_watch.run(), name="revocations"),
        ]
        consumer_tasks = [asyncio.create_task(c.run(), name=c.name) for c in self.consumers]
        consumer_tasks += [asyncio.create_task(g.run(), name=f"{g.name}-gaps") for g in self.gap_checks]
        for producer in sorted({c.producer for c in self.consumers} - set(s.event_sources)):
            log.warning("no EVENT_SOURCES entry for %s: events the broker loses will not be replayed", producer)
        http_task = asyncio.create_task(http.serve(), name="http")
        log.info("service started", extra={"port": s.http_port})

        stop_task = asyncio.create_task(self._stop.wait())
        await asyncio.wait([stop_task, http_task], return_when=asyncio.FIRST_COMPLETED)
        log.info("stopping")

        # Stop accepting new work first, then let in-flight work finish.
        await health_servicer.enter_graceful_shutdown()
        http.should_exit = True
        await grpc_server.stop(grace=5)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(http_task, 10)
        runners: list[Consumer | GapCheck] = [*self.consumers, *self.gap_checks]
        for runner in runners:
            runner.stop()
        if consumer_tasks:
            await asyncio.wait(consumer_tasks, timeout=10)
        self.relay.stop()
        if self.broker.connected:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.relay.publish_pending(), 5)
        for task in background + consumer_tasks:
            task.cancel()
        await asyncio.gather(*background, *consumer_tasks, return_exceptions=True)
        for hook in self.shutdown_hooks:
            await hook()
        await self.broker.close()
        await self.db.dispose()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        shutdown_tracing()
        log.info("stopped")
