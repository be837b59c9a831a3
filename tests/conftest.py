"""Cross-service fixtures: the whole system as `make run` starts it, on free ports, sharing the
session's NATS under the test's (or module's) own namespace."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from hotline_devstack.databases import migrate_fresh
from hotline_devstack.ports import free_port
from hotline_devstack.system import SERVICES, System, SystemConfig


def start_system(
    directory: Path,
    namespace: str,
    nats_url: str,
    *,
    database_urls: dict | None = None,
    extra_env: dict | None = None,
    nats_users: dict | None = None,
) -> System:
    env = {
        "OTEL_TRACES_EXPORTER": "jsonl",
        "OTEL_EXPORTER_JSONL_PATH": str(directory / "spans-{service}.jsonl"),
        "OTEL_BSP_SCHEDULE_DELAY": "100",
        # Short redelivery so a crash before an ack heals within the test.
        "CONSUMER_ACK_WAIT_SECONDS": "2",
    }
    env.update(extra_env or {})
    config = SystemConfig(
        data_dir=directory / "system",
        ports={s: (free_port(), free_port()) for s in SERVICES},
        nats_url=nats_url,
        nats_users=nats_users or {},
        namespace=namespace,
        database_urls=database_urls or {},
        extra_env=env,
    )
    system = System(config)
    # The services would migrate their empty stores at start; copies of stores migrated once per
    # test process are the same tables, without Alembic's run in four processes per system.
    for service in SERVICES:
        if service not in config.database_urls:
            (system.data_dir / "db").mkdir(parents=True, exist_ok=True)
            migrate_fresh(f"{service}:migrations", system.database_url(service))
    try:
        return system.start()
    except BaseException:
        system.stop()
        raise


@pytest.fixture
def system_factory(nats_server, tmp_path, namespace):
    started: list[System] = []

    def make(
        *, nats_url: str | None = None, database_urls: dict | None = None, extra_env: dict | None = None
    ) -> System:
        # On the session's NATS each service connects as its own user; on a test's own NATS, as its URL says.
        users = {} if nats_url else nats_server.authorize(namespace)
        system = start_system(
            tmp_path,
            namespace,
            nats_url or nats_server.url,
            database_urls=database_urls,
            extra_env=extra_env,
            nats_users=users,
        )
        started.append(system)
        return system

    yield make
    for system in started:
        system.stop()


@pytest.fixture
def system(system_factory) -> System:
    return system_factory()


@pytest.fixture(scope="module")
def shared_system(nats_server, tmp_path_factory):
    """One system for a module whose tests each leave it as they found it (e.g. rejected input)."""
    namespace = f"ns{uuid.uuid4().hex[:10]}"
    system = start_system(
        tmp_path_factory.mktemp("shared"), namespace, nats_server.url, nats_users=nats_server.authorize(namespace)
    )
    yield system
    system.stop()
