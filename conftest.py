"""Fixtures for every test: one real nats-server and one real PostgreSQL per test session (per
xdist worker), each test with its own subject namespace, database, and ports."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest

from hotline_devstack.nats import NatsServer
from hotline_devstack.ports import free_port
from hotline_devstack.postgres import PostgresServer

ROOT = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("session")


@pytest.fixture(scope="session")
def nats_server(session_dir):
    # Authorization on, as in `make run`: `server.url` is the admin's (tests' direct JetStream
    # calls); `server.authorize(namespace)` gives a system's services their own users. The
    # cheapest bcrypt cost keeps the suite's many connections fast.
    server = NatsServer(session_dir / "nats", free_port(), password_cost=4).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_server(session_dir):
    server = PostgresServer(session_dir / "postgres", free_port()).start()
    yield server
    server.stop()


def unique_name(request, prefix: str = "t") -> str:
    base = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:20].strip("_")
    return f"{prefix}{uuid.uuid4().hex[:8]}_{base}"


@pytest.fixture
def namespace(request) -> str:
    """Subjects and stream names of this test only."""
    return unique_name(request, "ns")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """A fresh, empty database for this test: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
    server = request.getfixturevalue("postgres_server")
    return server.create_database(unique_name(request, "db"))


@pytest.fixture
def artifacts_dir() -> Path:
    path = ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


def pytest_report_header(config):
    return f"hotline: {os.cpu_count()} cores"
