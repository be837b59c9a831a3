"""Configuration and start-up errors are sentences, not stack traces."""

import os
import socket
import subprocess
import sys

from hotline_devstack.ports import free_port

ENV_KEEP = ("PATH", "HOME", "LANG")


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k in ENV_KEEP}
    env.update(extra)
    return env


def test_missing_and_wrong_settings_are_named(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "reporting"],
        env=clean_env(HTTP_PORT="eighty"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "HTTP_PORT: Input should be a valid integer" in done.stderr and "'eighty'" in done.stderr
    assert "GRPC_PORT: Field required" in done.stderr and "DATABASE_URL: Field required" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_taken_port_is_named_with_its_variable(tmp_path, nats_server):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        taken = blocker.getsockname()[1]
        env = clean_env(
            HTTP_PORT=str(taken),
            GRPC_PORT=str(free_port()),
            NATS_URL=nats_server.url,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'r.db'}",
            AUTH_PUBLIC_KEY_FILE=os.devnull,
        )
        public_key = tmp_path / "key.pem"
        from hotline_common.auth import generate_signing_keypair

        public_key.write_bytes(generate_signing_keypair()[1])
        env["AUTH_PUBLIC_KEY_FILE"] = str(public_key)
        done = subprocess.run([sys.executable, "-m", "referrals"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 3
    assert f"Port {taken} (HTTP_PORT) is already in use" in done.stderr
    assert "Traceback" not in done.stderr


def test_make_run_names_every_taken_port_and_how_to_change_it(tmp_path):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        taken = blocker.getsockname()[1]
        env = clean_env(HOTLINE_DATA_DIR=str(tmp_path), REFERRALS_GRPC_PORT=str(taken), NATS_PORT="not-a-port")
        done = subprocess.run(
            [sys.executable, "-m", "hotline_devstack.run"], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode != 0 and "NATS_PORT must be a port number (got 'not-a-port')" in done.stderr
        env["NATS_PORT"] = str(free_port())
        for _service, variable in (
            ("intake", "INTAKE_HTTP_PORT"),
            ("coordination", "COORDINATION_HTTP_PORT"),
            ("reporting", "REPORTING_HTTP_PORT"),
            ("intake", "INTAKE_GRPC_PORT"),
            ("coordination", "COORDINATION_GRPC_PORT"),
            ("reporting", "REPORTING_GRPC_PORT"),
            ("referrals", "REFERRALS_HTTP_PORT"),
        ):
            env[variable] = str(free_port())
        done = subprocess.run(
            [sys.executable, "-m", "hotline_devstack.run"], env=env, capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 2
    assert f"port {taken} (REFERRALS_GRPC_PORT) is already in use" in done.stderr
    assert "REFERRALS_GRPC_PORT=<free port> make run" in done.stderr
    assert "Traceback" not in done.stderr


def test_provision_creates_the_streams_and_durables_a_service_needs(tmp_path, nats_server, namespace):
    import asyncio

    import nats

    from hotline_common.auth import generate_signing_keypair

    public_key = tmp_path / "key.pem"
    public_key.write_bytes(generate_signing_keypair()[1])
    env = clean_env(
        HTTP_PORT="1",
        GRPC_PORT="2",
        # As the chart's hook Job runs it: as reporting's own NATS user, not the admin.
        NATS_URL=nats_server.address,
        **nats_server.authorize(namespace)["reporting"].env(),
        EVENTS_NAMESPACE=namespace,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'r.db'}",
        AUTH_PUBLIC_KEY_FILE=str(public_key),
    )
    for _ in range(2):  # idempotent: a second upgrade's hook finds everything in place
        done = subprocess.run(
            [sys.executable, "-m", "reporting", "provision"], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert "streams and consumers provisioned" in done.stdout

    async def inspect():
        nc = await nats.connect(nats_server.url)
        js = nc.jetstream()
        streams = {s.config.name for s in await js.streams_info()}
        durables = {c.name for c in await js.consumers_info(f"{namespace.upper()}_INTAKE")}
        await nc.close()
        return streams, durables

    streams, durables = asyncio.run(inspect())
    prefix = namespace.upper()
    assert {
        f"{prefix}_REPORTING",
        f"{prefix}_DEADLETTER",
        f"{prefix}_INTAKE",
        f"{prefix}_REFERRALS",
        f"{prefix}_COORDINATION",
    } <= streams
    assert durables == {"reporting_calls"}
