"""The whole system as subprocesses: what `make run` starts, and what end-to-end tests start."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from hotline_common.auth import TokenIssuer, generate_signing_keypair
from hotline_common.crypto import FieldCipher
from hotline_common.service_identity import (
    ClientCredentialsTokens,
    SelfSignedTokens,
    ServiceTokens,
    new_client_secret,
    secret_digest,
)
from hotline_devstack.nats import NatsServer, NatsUser

SERVICES = ("intake", "referrals", "coordination", "reporting")
DEFAULT_PORTS = {
    "intake": (8000, 50051),
    "referrals": (8001, 50052),
    "coordination": (8002, 50053),
    "reporting": (8003, 50054),
}
DEFAULT_NATS_PORT = 4222


@dataclass
class SystemConfig:
    data_dir: Path
    ports: dict[str, tuple[int, int]] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    nats_port: int = DEFAULT_NATS_PORT
    nats_url: str | None = None  # an external NATS; otherwise one is started
    # Each service's own user on that external NATS (a devstack server's `authorize(namespace)`);
    # without them services connect with what nats_url carries. A started NATS makes its own.
    nats_users: dict[str, NatsUser] = field(default_factory=dict)
    database_urls: dict[str, str] = field(default_factory=dict)  # default: SQLite files in data_dir
    namespace: str = ""
    load_demo_data: bool = True
    host: str = "127.0.0.1"
    extra_env: dict[str, str] = field(default_factory=dict)


def ensure_secrets(secrets_dir: Path) -> dict[str, str]:
    """Development secrets, made once per data dir. Production takes them from Kubernetes secrets."""
    secrets_dir.mkdir(parents=True, exist_ok=True)
    private, public = secrets_dir / "issuer.pem", secrets_dir / "issuer.pub.pem"
    if not private.exists():
        key, pub = generate_signing_keypair()
        private.write_bytes(key)
        public.write_bytes(pub)
        private.chmod(0o600)
    return {
        "AUTH_PUBLIC_KEY_FILE": str(public),
        "AUTH_SIGNING_KEY_FILE": str(private),
        # Each service has keys of its own: intake's identity vault, referrals' consented data and
        # partners' notes, coordination's sealed signing keys of the Working Group's heads.
        "ENCRYPTION_KEYRING": _keyring(secrets_dir / "intake-keyring"),
        "REFERRALS_ENCRYPTION_KEYRING": _keyring(secrets_dir / "referrals-keyring"),
        "SIGNING_KEYRING": _keyring(secrets_dir / "coordination-signing-keyring"),
        **_service_clients(secrets_dir),
    }


def _service_clients(secrets_dir: Path) -> dict[str, str]:
    """Each service's own identity: a client secret at intake's issuer (which signs its own token),
    and the issuer's file of their digests (hotline_common.service_identity)."""
    files: dict[str, str] = {}
    digests = []
    for service in SERVICES:
        if service == "intake":
            continue
        path = secrets_dir / f"{service}-client-secret"
        if not path.exists():
            path.write_text(new_client_secret())
            path.chmod(0o600)
        digests.append(f"{service}:{secret_digest(path.read_text().strip())}\n")
        files[f"{service.upper()}_CLIENT_SECRET_FILE"] = str(path)
    clients = secrets_dir / "service-clients"
    clients.write_text("".join(digests))
    clients.chmod(0o600)
    files["SERVICE_CLIENTS_FILE"] = str(clients)
    return files


def partner_secret(secrets_dir: Path) -> str:
    path = secrets_dir / "nats-partner-secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _keyring(path: Path) -> str:
    if not path.exists():
        path.write_text(FieldCipher.generate_keyring("k1"))
        path.chmod(0o600)
    return path.read_text().strip()


class System:
    def __init__(self, config: SystemConfig):
        self.config = config
        self.data_dir = Path(config.data_dir)
        self.nats: NatsServer | None = None
        self._nats_users: dict[str, NatsUser] = dict(config.nats_users)
        self.processes: dict[str, subprocess.Popen] = {}
        self._secrets: dict[str, str] = {}

    @property
    def nats_url(self) -> str:
        """With the admin's credentials when this system started its NATS (tests, tools)."""
        if self.nats is not None:
            return self.nats.url
        return self.config.nats_url or f"nats://{self.config.host}:{self.config.nats_port}"

    @property
    def nats_address(self) -> str:
        """The NATS URL without credentials."""
        parts = urlsplit(self.nats_url)
        netloc = parts.netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))

    def http_url(self, service: str) -> str:
        return f"http://{self.config.host}:{self.config.ports[service][0]}"

    def grpc_target(self, service: str) -> str:
        return f"{self.config.host}:{self.config.ports[service][1]}"

    def service_tokens(self, service: str) -> ServiceTokens:
        """`service`'s own identity as the running service gets it (for tests and tools): intake
        signs its own, the others ask intake's token endpoint with their client secret."""
        if service == "intake":
            pem = Path(self._secrets["AUTH_SIGNING_KEY_FILE"]).read_bytes()
            return SelfSignedTokens(TokenIssuer(pem, issuer="hotline-embedded", audience="hotline"), "intake")
        secret = Path(self._secrets[f"{service.upper()}_CLIENT_SECRET_FILE"]).read_text().strip()
        return ClientCredentialsTokens(f"{self.http_url('intake')}/api/v1/auth/token", service, secret)

    def database_url(self, service: str) -> str:
        default = f"sqlite+aiosqlite:///{self.data_dir / 'db' / f'{service}.db'}"
        return self.config.database_urls.get(service, default)

    def service_env(self, service: str) -> dict[str, str]:
        http_port, grpc_port = self.config.ports[service]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HTTP_", "GRPC_", "DATABASE_"))}
        env.update(
            {
                "HTTP_HOST": self.config.host,
                "HTTP_PORT": str(http_port),
                "GRPC_HOST": self.config.host,
                "GRPC_PORT": str(grpc_port),
                "DATABASE_URL": self.database_url(service),
                "NATS_URL": self.nats_url,
                "EVENTS_NAMESPACE": self.config.namespace,
                "AUTH_PUBLIC_KEY_FILE": self._secrets["AUTH_PUBLIC_KEY_FILE"],
                "LOAD_DEMO_DATA": "true" if self.config.load_demo_data else "false",
                # Where each consumer asks for events the broker lost.
                "EVENT_SOURCES": ",".join(f"{s}={self.grpc_target(s)}" for s in SERVICES),
                "PYTHONUNBUFFERED": "1",
            }
        )
        if service == "intake":
            env.update(
                {
                    "AUTH_SIGNING_KEY_FILE": self._secrets["AUTH_SIGNING_KEY_FILE"],
                    "SERVICE_CLIENTS_FILE": self._secrets["SERVICE_CLIENTS_FILE"],
                    "ENCRYPTION_KEYRING": self._secrets["ENCRYPTION_KEYRING"],
                    "REFERRALS_GRPC_TARGET": self.grpc_target("referrals"),
                    # Sign-in sends partners, the Working Group and analysts to their own pages.
                    "REFERRALS_PUBLIC_URL": self.http_url("referrals"),
                    "COORDINATION_PUBLIC_URL": self.http_url("coordination"),
                    "REPORTING_PUBLIC_URL": self.http_url("reporting"),
                }
            )
        if service != "intake":
            # The pages' sign-in form posts to intake's embedded issuer.
            env["AUTH_TOKEN_URL"] = f"{self.http_url('intake')}/api/v1/auth/token"
            # Its own identity for replays and calls to the others (client credentials at the same URL).
            env["SERVICE_CLIENT_SECRET_FILE"] = self._secrets[f"{service.upper()}_CLIENT_SECRET_FILE"]
        if service == "referrals":
            env.update(
                {
                    "ENCRYPTION_KEYRING": self._secrets["REFERRALS_ENCRYPTION_KEYRING"],
                    # Partners' NATS passwords derive from it (`referrals nats-config`, `nats-credentials`).
                    "NATS_PARTNER_SECRET": partner_secret(self.data_dir / "secrets"),
                    # One-time links point here.
                    "PUBLIC_BASE_URL": self.http_url("referrals"),
                }
            )
        if service == "coordination":
            env["REPORTING_GRPC_TARGET"] = self.grpc_target("reporting")
            env["SIGNING_KEYRING"] = self._secrets["SIGNING_KEYRING"]
        user = self._nats_users.get(service)
        if user is not None:
            env.update({"NATS_URL": self.nats_address, **user.env()})
        env.update(self.config.extra_env)
        return env

    def start_nats(self) -> None:
        if self.config.nats_url is None and self.nats is None:
            self.nats = NatsServer(
                self.data_dir / "nats", self.config.nats_port, self.config.host, includes=(self.partners_include,)
            ).start()
            self._nats_users = self.nats.authorize(self.config.namespace)

    def stop_nats(self) -> None:
        if self.nats is not None:
            self.nats.stop()
            self.nats = None

    def start_service(self, service: str) -> None:
        (self.data_dir / "logs").mkdir(parents=True, exist_ok=True)
        (self.data_dir / "db").mkdir(parents=True, exist_ok=True)
        with open(self.data_dir / "logs" / f"{service}.log", "ab") as log:
            self.processes[service] = subprocess.Popen(
                [sys.executable, "-m", service, "serve"],
                env=self.service_env(service),
                stdout=log,
                stderr=log,
            )

    def wait_ready(self, services=SERVICES, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        pending = list(services)
        while pending:
            service = pending[0]
            process = self.processes[service]
            if process.poll() is not None:
                raise RuntimeError(
                    f"{service} exited with {process.returncode}; see "
                    f"{self.data_dir / 'logs' / (service + '.log')}\n{self.log_tail(service)}"
                )
            try:
                if httpx.get(self.http_url(service) + "/readyz", timeout=1.0).status_code == 200:
                    pending.pop(0)
                    continue
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{service} not ready after {timeout}s\n{self.log_tail(service)}")
            time.sleep(0.1)

    def log_tail(self, service: str, lines: int = 30) -> str:
        path = self.data_dir / "logs" / f"{service}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def start(self, timeout: float = 90.0) -> System:
        self._secrets = ensure_secrets(self.data_dir / "secrets")
        self.start_nats()
        for service in SERVICES:
            self.start_service(service)
        self.wait_ready(timeout=timeout)
        if self.nats is not None:
            self.admit_partners()
        return self

    def admit_partners(self) -> None:
        """Partners' NATS users, as `referrals nats-config` makes them from the directory, added to
        the NATS this system started (`make run`); `referrals nats-credentials` prints their passwords."""
        assert self.nats is not None
        env = {
            **self.service_env("referrals"),
            "NATS_PARTNER_CONFIG": str(self.partners_include),
            "NATS_PARTNER_CONFIG_FORMAT": "json",
        }
        done = subprocess.run(
            [sys.executable, "-m", "referrals", "nats-config"], env=env, capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0:
            raise RuntimeError(f"referrals nats-config failed ({done.returncode}):\n{done.stderr[-2000:]}")
        self.nats.reload()

    @property
    def partners_include(self) -> Path:
        return self.data_dir / "nats" / "partners.json"

    def stop_service(self, service: str, sig: int = signal.SIGTERM, timeout: float = 20.0) -> int:
        process = self.processes.pop(service, None)
        if process is None:
            return 0
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return process.returncode

    def stop(self) -> None:
        for service in list(self.processes):
            process = self.processes[service]
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for service in list(self.processes):
            self.stop_service(service)
        self.stop_nats()
