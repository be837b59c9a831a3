"""`make run`: the whole system on embedded defaults, with demo data. Ctrl-C stops everything.

Ports come from INTAKE_HTTP_PORT, INTAKE_GRPC_PORT, REFERRALS_HTTP_PORT, ... and NATS_PORT;
NATS_URL uses an external NATS instead of starting one; <SERVICE>_DATABASE_URL points a service
at PostgreSQL; HOTLINE_DATA_DIR moves ./.data.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from hotline_devstack.ports import port_is_free
from hotline_devstack.system import DEFAULT_NATS_PORT, DEFAULT_PORTS, SERVICES, System, SystemConfig

DEMO_LOGINS = [
    ("operator", "operator-demo", "hotline operator"),
    ("operator2", "operator2-demo", "second hotline operator"),
    ("director", "director-demo", "hotline director"),
    ("partner", "partner-demo", "partner organisation user (Psixoloji Dəstək Mərkəzi)"),
    ("coordinator", "coordinator-demo", "National Coordinator's office"),
    ("wgmember", "wgmember-demo", "Working Group member"),
    ("head", "head-demo", "head of the Working Group"),
    ("secretary", "secretary-demo", "secretary of the Working Group"),
    ("analyst", "analyst-demo", "statistics staff"),
    ("admin", "admin-demo", "technical administrator"),
]


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"Configuration error: {name} must be a port number (got {raw!r})") from None
    if not 1 <= value <= 65535:
        raise SystemExit(f"Configuration error: {name} must be between 1 and 65535 (got {value})")
    return value


def config_from_env() -> SystemConfig:
    ports = {}
    for service in SERVICES:
        http, grpc = DEFAULT_PORTS[service]
        ports[service] = (
            _int_env(f"{service.upper()}_HTTP_PORT", http),
            _int_env(f"{service.upper()}_GRPC_PORT", grpc),
        )
    databases = {
        s: os.environ[f"{s.upper()}_DATABASE_URL"] for s in SERVICES if os.environ.get(f"{s.upper()}_DATABASE_URL")
    }
    return SystemConfig(
        data_dir=Path(os.environ.get("HOTLINE_DATA_DIR", ".data")).resolve(),
        ports=ports,
        nats_port=_int_env("NATS_PORT", DEFAULT_NATS_PORT),
        nats_url=os.environ.get("NATS_URL") or None,
        database_urls=databases,
    )


def check_ports(config: SystemConfig) -> list[str]:
    taken = []
    wanted = [(f"{s.upper()}_HTTP_PORT", config.ports[s][0]) for s in SERVICES]
    wanted += [(f"{s.upper()}_GRPC_PORT", config.ports[s][1]) for s in SERVICES]
    if config.nats_url is None:
        wanted.append(("NATS_PORT", config.nats_port))
    for variable, port in wanted:
        if not port_is_free(port, config.host):
            taken.append(
                f"  port {port} ({variable}) is already in use: stop what uses it, or run "
                f"`{variable}=<free port> make run`"
            )
    return taken


def nats_secrets(system: System) -> str:
    """Where the NATS users' passwords are: the admin's and each service's (partners': `referrals nats-credentials`)."""
    return str(system.nats.password_file("admin").parent) if system.nats else "your NATS"


def main() -> None:
    config = config_from_env()
    taken = check_ports(config)
    if taken:
        print("Cannot start:\n" + "\n".join(taken), file=sys.stderr)
        raise SystemExit(2)
    system = System(config)
    stopping = False

    def on_signal(_sig, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    print(f"Starting NATS and the four services (data in {config.data_dir}) ...", flush=True)
    try:
        system.start()
    except (RuntimeError, TimeoutError) as exc:
        print(f"Start failed: {exc}", file=sys.stderr)
        system.stop()
        raise SystemExit(1) from None
    print("\nThe hotline platform is running:\n")
    intake, referrals = system.http_url("intake"), system.http_url("referrals")
    print(f"  operator frontend   {intake}/            (sign in here; director board {intake}/director)")
    print(f"  partner portal      {referrals}/portal   directory of services {referrals}/directory")
    print(f"  Working Group       {system.http_url('coordination')}/meetings")
    print(
        f"  statistics          {system.http_url('reporting')}/            reports {system.http_url('reporting')}/reports"
    )
    for service in SERVICES:
        print(f"  {service:<13} HTTP {system.http_url(service)}/docs   gRPC {system.grpc_target(service)}")
    print(f"  NATS (JetStream)    {system.nats_address}   (authorization on; passwords in {nats_secrets(system)})")
    print(f"  logs                {config.data_dir / 'logs'}\n")
    print("Demo logins (user / password):")
    for user, password, who in DEMO_LOGINS:
        print(f"  {user:<12} {password:<18} {who}")
    print("\nPress Ctrl-C to stop.", flush=True)
    try:
        while not stopping:
            for service, process in system.processes.items():
                if process.poll() is not None:
                    print(
                        f"{service} stopped unexpectedly (exit {process.returncode}):\n{system.log_tail(service)}",
                        file=sys.stderr,
                    )
                    stopping = True
            time.sleep(0.3)
    finally:
        print("\nStopping ...", flush=True)
        system.stop()
        print("Stopped.")


if __name__ == "__main__":
    main()
