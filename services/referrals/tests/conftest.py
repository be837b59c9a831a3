"""Referrals' in-process runtime (the app `build_runtime` builds, SQLite, the demo directory) with a
stand-in token endpoint issuing real tokens, for the page, link and partner-interface tests; and a
real referrals process (`referrals_process`) for the API and trace tests."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from hotline_common.auth import Role, TokenIssuer, generate_signing_keypair
from hotline_common.crypto import FieldCipher
from hotline_common.demo import PARTNER_ORGANISATION_ID
from hotline_common.migrations import upgrade_async
from hotline_devstack.ports import free_port, wait_for_port
from hotline_devstack.testing import create_revocation_bucket, wait_until
from referrals.app import build_runtime
from referrals.database import MIGRATIONS
from referrals.directory.demo import load_demo_directory
from referrals.runtime import ReferralsRuntime
from referrals.settings import ReferralsSettings

ACCOUNTS = {"partner": Role.PARTNER, "operator": Role.OPERATOR, "director": Role.DIRECTOR}


def token(issuer: TokenIssuer, username: str) -> str:
    org = PARTNER_ORGANISATION_ID if username == "partner" else None
    return issuer.issue(subject=f"{username}-1", role=ACCOUNTS[username], name=username, organisation_id=org)


@pytest.fixture
def keys(tmp_path: Path) -> tuple[TokenIssuer, Path]:
    private, public = generate_signing_keypair()
    (tmp_path / "issuer.pub.pem").write_bytes(public)
    return TokenIssuer(private, issuer="hotline-embedded", audience="hotline"), tmp_path / "issuer.pub.pem"


@pytest.fixture
def token_endpoint(keys: tuple[TokenIssuer, Path]) -> Iterator[str]:
    """The issuer's password endpoint as referrals' sign-in sees it: `<username>-demo` is the password."""
    issuer = keys[0]

    class Endpoint(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            known = body["username"] in ACCOUNTS and body["password"] == f"{body['username']}-demo"
            answer = json.dumps({"access_token": token(issuer, body["username"]), "expires_in": 600} if known else {})
            self.send_response(200 if known else 401)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(answer.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/v1/auth/token"
    server.shutdown()


@pytest.fixture
async def runtime(tmp_path: Path, keys: tuple[TokenIssuer, Path], token_endpoint: str) -> ReferralsRuntime:
    url = f"sqlite+aiosqlite:///{tmp_path / 'referrals.db'}"
    await upgrade_async(MIGRATIONS, url)
    settings = ReferralsSettings(
        http_port=1,
        grpc_port=2,
        database_url=url,
        auth_public_key_file=str(keys[1]),
        auth_token_url=token_endpoint,
        encryption_keyring=FieldCipher.generate_keyring("t1"),
    )
    runtime = build_runtime(settings)
    async with runtime.db.transaction() as session:
        await load_demo_directory(session)
    return runtime


def _status(url: str) -> int:
    try:
        return httpx.get(url, timeout=2).status_code
    except httpx.HTTPError:
        return 0


class Referrals:
    def __init__(self, http: str, grpc_target: str, issuer: TokenIssuer):
        self.http, self.grpc_target, self.issuer = http, grpc_target, issuer

    def headers(self, role: Role, organisation_id: str | None = None) -> dict:
        token = self.issuer.issue(subject=f"{role}-1", role=role, name=str(role), organisation_id=organisation_id)
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def referrals_process(
    tmp_path: Path, nats_server: Any, namespace: str
) -> Callable[..., AbstractContextManager[Referrals]]:
    """Starts a real referrals process on its own ports with the demo directory:
    `with referrals_process(database_url, **more_settings) as referrals: ...`."""

    @contextlib.contextmanager
    def start(database_url: str, **env: str) -> Iterator[Referrals]:
        create_revocation_bucket(nats_server.url, namespace)
        private, public = generate_signing_keypair()
        (tmp_path / "process-issuer.pub.pem").write_bytes(public)
        http_port, grpc_port = free_port(), free_port()
        env = (
            dict(
                os.environ,
                HTTP_PORT=str(http_port),
                GRPC_PORT=str(grpc_port),
                DATABASE_URL=database_url,
                NATS_URL=nats_server.url,
                EVENTS_NAMESPACE=namespace,
                LOAD_DEMO_DATA="true",
                AUTH_PUBLIC_KEY_FILE=str(tmp_path / "process-issuer.pub.pem"),
                OTEL_TRACES_EXPORTER="none",
            )
            | env
        )
        with open(tmp_path / "referrals.log", "ab") as log:
            process = subprocess.Popen([sys.executable, "-m", "referrals", "serve"], env=env, stdout=log, stderr=log)
        try:
            wait_for_port(http_port, "127.0.0.1", 60)
            wait_for_port(grpc_port, "127.0.0.1", 60)
            ready = f"http://127.0.0.1:{http_port}/readyz"  # NATS too (the revocation list among it)
            wait_until(lambda: _status(ready) == 200, timeout=60, message="referrals ready")
            yield Referrals(
                f"http://127.0.0.1:{http_port}",
                f"127.0.0.1:{grpc_port}",
                TokenIssuer(private, issuer="hotline-embedded", audience="hotline"),
            )
        finally:
            process.terminate()
            process.wait(20)

    return start
