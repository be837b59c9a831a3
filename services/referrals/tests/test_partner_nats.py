"""Partner event subscriptions against a REAL nats-server configured, as a deployment's, with the
include that `referrals nats-config` generates from the directory: a partner's credentials receive
its own organisation's notices and are refused on another organisation's subjects and on internal
ones; the services' users take their passwords from the server's environment."""

import asyncio
import os
import subprocess
import sys

import nats
import pytest
from nats.errors import NoServersError

from hotline_devstack.nats import NatsServer
from hotline_devstack.ports import free_port
from hotline_devstack.testing import eventually, migrated_database
from referrals.database import MIGRATIONS
from referrals.directory.demo import ORGANISATIONS, load_demo_directory
from referrals.partner.natsconfig import partner_password, partner_user, password_hash, password_variable

SECRET = "test-partner-secret"
SERVICE_USER, SERVICE_PASSWORD = "referrals", "service-password"
ORG_A, ORG_B = ORGANISATIONS[1][0], ORGANISATIONS[2][0]


class DeploymentNats(NatsServer):
    """A nats-server whose whole authorization is the generated include, as in a deployment."""

    def __init__(self, data_dir, port, include):
        super().__init__(data_dir, port)
        self.include = include

    def write_config(self):
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self.data_dir / "nats.conf"
        config.write_text(f'listen: "{self.host}:{self.port}"\ninclude "{self.include.name}"\n')
        return config


@pytest.fixture
def generated_include(tmp_path):
    """Run the real CLI against a migrated directory database."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'referrals.db'}"

    async def prepare():
        db = await migrated_database(MIGRATIONS, url)
        async with db.transaction() as session:
            await load_demo_directory(session)
        await db.dispose()

    asyncio.run(prepare())
    (tmp_path / "nats").mkdir()
    include = tmp_path / "nats" / "partners.conf"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "HTTP_PORT": "1",
        "GRPC_PORT": "1",
        "NATS_PARTNER_SECRET": SECRET,
        "NATS_PARTNER_CONFIG": str(include),
    }
    subprocess.run([sys.executable, "-m", "referrals", "nats-config"], env=env, check=True, timeout=60)
    credentials = subprocess.run(
        [sys.executable, "-m", "referrals", "nats-credentials"],
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout
    assert f"{ORG_A}\t{partner_user(ORG_A)}\t{partner_password(SECRET, ORG_A)}" in credentials
    return include


@pytest.fixture
def server(tmp_path, generated_include, monkeypatch):
    nats_server = DeploymentNats(tmp_path / "nats", free_port(), generated_include)
    # The platform users' hashes, as the NATS deployment's environment carries them.
    for user in ("admin", "intake", "coordination", "reporting"):
        monkeypatch.setenv(password_variable(user), password_hash(nats_server.password(user), cost=4))
    monkeypatch.setenv(password_variable(SERVICE_USER), password_hash(SERVICE_PASSWORD, cost=4))
    nats_server.start()
    yield nats_server
    nats_server.stop()


async def connect(url, user, password, errors=None):
    async def on_error(exc):
        if errors is not None:
            errors.append(str(exc))

    return await nats.connect(
        url,
        user=user,
        password=password,
        error_cb=on_error,
        allow_reconnect=False,
        max_reconnect_attempts=0,
        connect_timeout=5,
    )


def test_partner_credentials_reach_only_their_own_subjects(server, generated_include):
    text = generated_include.read_text()
    assert text.count('{"user": "partner-') == len(ORGANISATIONS)
    # Only bcrypt hashes of partners' passwords are stored; the platform's come from the environment.
    assert text.count('"password": "$2a$11$') == len(ORGANISATIONS)
    assert text.count("password: $HOTLINE_NATS_") == 5
    assert not any(partner_password(SECRET, org) in text for org, *_ in ORGANISATIONS)

    async def scenario():
        service = await connect(server.address, SERVICE_USER, SERVICE_PASSWORD)
        errors: list[str] = []
        partner = await connect(server.address, partner_user(ORG_A), partner_password(SECRET, ORG_A), errors)
        own, foreign, internal, everything = [], [], [], []
        for subject, seen in (
            (f"referrals.partner.{ORG_A}.>", own),
            (f"referrals.partner.{ORG_B}.>", foreign),
            ("referrals.referral.>", internal),
            (">", everything),
        ):
            await partner.subscribe(subject, cb=_collect(seen))
        await partner.flush()
        await eventually(
            lambda: _true(sum("permissions violation for subscription" in e.lower() for e in errors) == 3),
            message="three refused subscriptions",
        )
        assert any(ORG_B in e for e in errors) and any('"referrals.referral.>"' in e for e in errors)

        for subject in (
            f"referrals.partner.{ORG_B}.referral.sent.v1",
            "referrals.referral.created.v1",
            "intake.contact.recorded.v1",
            f"referrals.partner.{ORG_A}.referral.sent.v1",
        ):
            await service.publish(subject, b"notice")
        await service.flush()
        await eventually(lambda: _true(own), message="the partner's own notice")
        # The own notice was published last: anything refused would have arrived before it.
        await partner.flush()
        assert own == [f"referrals.partner.{ORG_A}.referral.sent.v1"]
        assert foreign == internal == everything == []

        await partner.publish(f"referrals.partner.{ORG_A}.referral.sent.v1", b"forged")
        await partner.flush()
        await eventually(
            lambda: _true(any("permissions violation for publish" in e.lower() for e in errors)),
            message="publishing refused",
        )
        with pytest.raises((nats.errors.Error, NoServersError, OSError)):
            await connect(server.address, partner_user(ORG_A), partner_password(SECRET, ORG_B))
        await partner.close()
        await service.close()

    asyncio.run(scenario())


def _collect(into: list):
    async def on_message(msg):
        into.append(msg.subject)

    return on_message


async def _true(value):
    return value


def test_the_example_subscriber_prints_its_organisations_notices(server):
    """examples/partner_subscriber.py, run as a partner would run it, with its own credentials."""
    import threading
    from pathlib import Path

    from hotline.events.v1.referrals_pb2 import PartnerReferralNotice

    example = Path(__file__).resolve().parents[1] / "examples" / "partner_subscriber.py"
    process = subprocess.Popen(
        [
            sys.executable,
            "-u",
            str(example),
            "--nats",
            server.address,
            "--org",
            ORG_A,
            "--password",
            partner_password(SECRET, ORG_A),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        from hotline_devstack.testing import wait_until

        wait_until(lambda: any("listening on" in line for line in lines), message="the example subscribed")
        notice = PartnerReferralNotice(
            referral_id="r1",
            reference="R-EXAMPLE01",
            organisation_id=ORG_A,
            status="sent",
            urgency="urgent",
            service_type="psychologist",
            consented_fields=["name"],
            consent_active=True,
        )

        async def publish():
            service = await connect(server.address, SERVICE_USER, SERVICE_PASSWORD)
            await service.publish(f"referrals.partner.{ORG_B}.referral.sent.v1", notice.SerializeToString())
            await service.publish(f"referrals.partner.{ORG_A}.referral.sent.v1", notice.SerializeToString())
            await service.flush()
            await service.close()

        asyncio.run(publish())
        wait_until(lambda: any("R-EXAMPLE01" in line for line in lines), message="the example printed the notice")
        assert sum("R-EXAMPLE01" in line for line in lines) == 1, "printed once"
        assert any("sent: R-EXAMPLE01 - -> sent (urgent, psychologist, consent: ['name'])" in line for line in lines)
    finally:
        process.terminate()
        process.wait(10)
