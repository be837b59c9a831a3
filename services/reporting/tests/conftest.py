"""Reporting's fixtures: its migrated database, and producers that publish real events through an
outbox and relay to the session's nats-server (helpers in reporting_eventing.py)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # pytest's importlib mode adds no test dir

from reporting_eventing import Producers

from hotline_common.events.broker import Broker
from hotline_common.events.catalog import Namespace
from hotline_devstack.testing import migrated_database
from reporting.database import MIGRATIONS


@pytest.fixture
async def db(database_url):
    database = await migrated_database(MIGRATIONS, database_url)
    yield database
    await database.dispose()


@pytest.fixture
async def broker(nats_server, namespace):
    b = Broker(nats_server.url, name="reporting-test", namespace=Namespace(namespace))
    b.start()
    assert await b.wait_connected(10)
    await b.ensure_dead_letter_stream()
    yield b
    await b.close()


@pytest.fixture
async def producers(tmp_path, broker):
    p = Producers(tmp_path, broker)
    yield p
    await p.close()
