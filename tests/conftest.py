"""Cross-service fixtures: the whole system as `make run` starts it, on free ports, sharing the
session's NATS under this test's own namespace."""
from __future__ import annotations

import pytest

from hotline_common.devstack.ports import free_port
from hotline_common.devstack.system import SERVICES, System, SystemConfig


@pytest.fixture
def system_factory(nats_server, tmp_path, namespace):
    started: list[System] = []

    def make(*, nats_url: str | None = None, database_urls: dict | None = None, extra_env: dict | None = None,
             data_dir=None) -> System:
        env = {
            "OTEL_TRACES_EXPORTER": "jsonl",
            "OTEL_EXPORTER_JSONL_PATH": str(tmp_path / "spans-{service}.jsonl"),
            "OTEL_BSP_SCHEDULE_DELAY": "100",
            # Short redelivery so a crash before an ack heals within the test.
            "CONSUMER_ACK_WAIT_SECONDS": "2",
        }
        env.update(extra_env or {})
        config = SystemConfig(
            data_dir=data_dir or tmp_path / "system",
            ports={s: (free_port(), free_port()) for s in SERVICES},
            nats_url=nats_url or nats_server.url,
            namespace=namespace,
            database_urls=database_urls or {},
            extra_env=env,
        )
        system = System(config)
        started.append(system)
        return system.start()

    yield make
    for system in started:
        system.stop()


@pytest.fixture
def system(system_factory) -> System:
    return system_factory()
