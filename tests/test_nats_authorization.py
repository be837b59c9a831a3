"""NATS with authorization on, as `make run` and the test session run it: no anonymous access, each
service's user publishes only its own subjects and reads only what it consumes, partners read only
their own organisation's notices, and consumers refuse events their producer's outbox did not write."""

from __future__ import annotations

import asyncio
import json

import nats
import nats.errors
import pytest
from sqlalchemy import func, select

from hotline.events.v1 import intake_pb2
from hotline_common.db import Database, new_id
from hotline_common.events.broker import Broker
from hotline_common.events.catalog import Namespace
from hotline_common.events.consumer import Consumer, PoisonMessage
from hotline_common.events.outbox import OutboxRelay, add_event
from hotline_common.events.permissions import BUCKETS, kv_bucket
from hotline_common.events.schema import event_metadata
from hotline_common.revocation import revocation_bucket
from hotline_devstack.nats import NatsServer, NatsUser
from hotline_devstack.ports import free_port
from hotline_devstack.testing import eventually, migrated_database
from referrals.directory.demo import ORGANISATIONS
from referrals.partner.natsconfig import partner_password, partner_user, partner_users
from reporting.database import MIGRATIONS as REPORTING_MIGRATIONS
from reporting.statistics.events import CONSUMERS as REPORTING_CONSUMERS
from reporting.statistics.models import ProjectionLag

CONTACT = "intake.contact.recorded.v1"
REFUSED = (nats.errors.TimeoutError, TimeoutError, nats.errors.NoRespondersError)


async def connect_as(server: NatsServer, user: NatsUser, errors: list[str] | None = None) -> nats.NATS:
    async def on_error(exc: Exception) -> None:
        if errors is not None:
            errors.append(str(exc).lower())

    return await nats.connect(
        server.address,
        user=user.user,
        password=user.password_file.read_text(),
        inbox_prefix=f"_INBOX.{user.user}",
        error_cb=on_error,
        allow_reconnect=False,
        max_reconnect_attempts=0,
    )


def violations(errors: list[str], kind: str) -> int:
    return sum(f"permissions violation for {kind}" in e for e in errors)


async def _true(value: bool) -> bool:
    return value


async def test_anonymous_and_wrong_password_connects_are_refused(nats_server, namespace):
    with pytest.raises(nats.errors.Error, match="Authorization Violation"):
        await nats.connect(nats_server.address, allow_reconnect=False, max_reconnect_attempts=0, connect_timeout=5)
    intake = nats_server.authorize(namespace)["intake"]
    with pytest.raises(nats.errors.Error, match="Authorization Violation"):
        await nats.connect(
            nats_server.address, user=intake.user, password="guess", allow_reconnect=False, max_reconnect_attempts=0
        )


async def test_a_service_publishes_only_its_own_subjects(nats_server, namespace):
    ns, users = Namespace(namespace), nats_server.authorize(namespace)
    admin = await nats.connect(nats_server.url)
    await admin.jetstream().add_stream(name=ns.stream("intake"), subjects=ns.stream_subjects("intake"))
    errors: list[str] = []
    reporting = await connect_as(nats_server, users["reporting"], errors)
    intake = await connect_as(nats_server, users["intake"])
    try:
        with pytest.raises(REFUSED):
            await reporting.jetstream().publish(ns.subject(CONTACT), b"forged", timeout=1)
        await eventually(lambda: _true(violations(errors, "publish") >= 1), message="publish refused")
        ack = await intake.jetstream().publish(ns.subject(CONTACT), b"real", timeout=5)
        assert ack.seq == 1, "the producer's own user publishes"
        info = await admin.jetstream().stream_info(ns.stream("intake"))
        assert info.state.messages == 1, "only intake's event is in intake's stream"
    finally:
        for nc in (reporting, intake, admin):
            await nc.close()


async def test_a_service_reads_neither_partner_notices_nor_others_streams_nor_inboxes(nats_server, namespace):
    ns, users = Namespace(namespace), nats_server.authorize(namespace)
    admin = await nats.connect(nats_server.url)
    await admin.jetstream().add_stream(name=ns.stream("intake"), subjects=ns.stream_subjects("intake"))
    errors: list[str] = []
    referrals = await connect_as(nats_server, users["referrals"], errors)
    coordination = await connect_as(nats_server, users["coordination"], errors)
    try:
        for subject in (ns.subject("referrals.partner.>"), "_INBOX.>", ns.subject("intake.>")):
            await referrals.subscribe(subject)
        await referrals.flush()
        await eventually(lambda: _true(violations(errors, "subscription") == 3), message="three subscriptions refused")
        with pytest.raises(REFUSED):
            # coordination consumes nothing: no durable on intake's stream for it.
            await coordination.jetstream().add_consumer(ns.stream("intake"), durable_name="sneak", timeout=1)
        consumers = await admin.jetstream().consumers_info(ns.stream("intake"))
        assert consumers == []
    finally:
        for nc in (referrals, coordination, admin):
            await nc.close()


async def test_a_partner_user_reads_only_its_own_organisations_notices(tmp_path, namespace):
    ns = Namespace(namespace)
    org_a, org_b = ORGANISATIONS[1][0], ORGANISATIONS[2][0]
    include = tmp_path / "partners.json"
    # What `referrals nats-config` writes with NATS_PARTNER_CONFIG_FORMAT=json (the CLI itself:
    # services/referrals/tests/test_partner_nats.py).
    include.write_text(json.dumps(partner_users([org_a, org_b], secret="s", namespace=ns, cost=4)))
    server = NatsServer(tmp_path / "nats", free_port(), password_cost=4, includes=(include,)).start()
    try:
        referrals_user = server.authorize(namespace)["referrals"]
        errors: list[str] = []

        async def on_error(exc: Exception) -> None:
            errors.append(str(exc).lower())

        partner = await nats.connect(
            server.address,
            user=partner_user(org_a),
            password=partner_password("s", org_a),
            error_cb=on_error,
            allow_reconnect=False,
        )
        referrals = await connect_as(server, referrals_user)
        own: list[str] = []

        async def on_notice(msg) -> None:
            own.append(msg.subject)

        await partner.subscribe(ns.subject(f"referrals.partner.{org_a}.>"), cb=on_notice)
        await partner.subscribe(ns.subject(f"referrals.partner.{org_b}.>"))
        await partner.subscribe(ns.subject("referrals.>"))
        await partner.flush()
        await eventually(lambda: _true(violations(errors, "subscription") == 2), message="foreign subjects refused")
        await referrals.publish(ns.subject(f"referrals.partner.{org_b}.referral.sent.v1"), b"b")
        await referrals.publish(ns.subject(f"referrals.partner.{org_a}.referral.sent.v1"), b"a")
        await referrals.flush()
        await eventually(lambda: _true(len(own) == 1), message="the partner's own notice")
        assert own == [ns.subject(f"referrals.partner.{org_a}.referral.sent.v1")]
        await partner.publish(ns.subject(f"referrals.partner.{org_a}.referral.sent.v1"), b"forged")
        await partner.flush()
        await eventually(lambda: _true(violations(errors, "publish") == 1), message="partner may not publish")
        await partner.close()
        await referrals.close()
    finally:
        server.stop()


async def test_a_forged_event_without_the_producers_headers_is_not_counted(nats_server, namespace, tmp_path):
    """Reporting's real consumers and intake's real outbox relay, each as its own NATS user; a
    forged `intake.contact.recorded.v1` (no producer, no outbox seq) goes to the dead letters."""
    ns, users = Namespace(namespace), nats_server.authorize(namespace)
    reporting_db = await migrated_database(REPORTING_MIGRATIONS, f"sqlite+aiosqlite:///{tmp_path / 'reporting.db'}")
    intake_db = Database(f"sqlite+aiosqlite:///{tmp_path / 'intake.db'}")  # an outbox, as intake's
    async with intake_db.engine.begin() as conn:
        await conn.run_sync(event_metadata.create_all)
    intake = service_broker(nats_server, users["intake"], ns)
    reporting = service_broker(nats_server, users["reporting"], ns)
    admin = await nats.connect(nats_server.url)
    try:
        assert await intake.wait_connected(10) and await reporting.wait_connected(10)
        await intake.ensure_stream("intake")
        await reporting.ensure_dead_letter_stream()
        name, (producer, handlers) = "reporting.calls", REPORTING_CONSUMERS["reporting.calls"]
        consumer = Consumer(name, producer, handlers, reporting_db, reporting, max_deliver=2, ack_wait_seconds=5)
        await consumer.provision()
        task = asyncio.create_task(consumer.run())
        forged = contact("contact-forged")
        await admin.jetstream().publish(
            ns.subject(CONTACT),
            forged.SerializeToString(),
            headers={"Nats-Msg-Id": new_id(), "Hotline-Occurred-At": "2026-08-03T06:00:00+00:00"},
        )
        async with intake_db.transaction() as session:
            await add_event(session, CONTACT, contact("contact-real"))
        await OutboxRelay(intake_db, intake, "intake").publish_pending()
        dead = ns.stream("deadletter")
        await eventually(lambda: _stream_count(admin, dead, 1), timeout=20, message="the forged event dead-lettered")
        await eventually(lambda: _applied(reporting_db, 1), timeout=20, message="the real event counted")
        letter = await admin.jetstream().get_msg(dead, 1)
        assert "Hotline-Producer" in letter.headers["Hotline-Error"]
        assert intake_pb2.ContactRecorded.FromString(letter.data).contact_id == "contact-forged"
        consumer.stop()
        await asyncio.wait_for(task, 10)
        async with reporting_db.reader() as session:
            assert await session.scalar(select(func.sum(ProjectionLag.events_applied))) == 1
    finally:
        await admin.close()
        await intake.close()
        await reporting.close()
        await reporting_db.dispose()
        await intake_db.dispose()


def test_a_consumer_refuses_a_subject_its_producer_does_not_own():
    consumer = Consumer("reporting.calls", "intake", [], None, Broker("nats://unused", name="t", namespace=Namespace()))  # type: ignore[arg-type]
    headers = {"Hotline-Producer": "intake", "Hotline-Seq": "7"}
    assert consumer.check_origin(CONTACT, headers) == 7
    with pytest.raises(PoisonMessage, match="not intake's"):
        consumer.check_origin("referrals.referral.created.v1", headers)
    with pytest.raises(PoisonMessage, match="Hotline-Producer"):
        consumer.check_origin(CONTACT, {"Hotline-Producer": "referrals", "Hotline-Seq": "7"})
    with pytest.raises(PoisonMessage, match="Hotline-Seq"):
        consumer.check_origin(CONTACT, {"Hotline-Producer": "intake", "Hotline-Seq": "0"})


def test_the_permissions_cover_the_revocation_bucket():
    for namespace in (Namespace(), Namespace("ns1")):
        assert kv_bucket(namespace, "REVOCATIONS") == revocation_bucket(namespace)
    assert BUCKETS["REVOCATIONS"] == "intake"


def service_broker(server: NatsServer, user: NatsUser, ns: Namespace) -> Broker:
    broker = Broker(
        server.address, name=user.user, namespace=ns, user=user.user, password=user.password_file.read_text()
    )
    broker.start()
    return broker


def contact(contact_id: str) -> intake_pb2.ContactRecorded:
    message = intake_pb2.ContactRecorded(contact_id=contact_id, caller_id="c", line="152", caller_sex="female")
    message.started_at.GetCurrentTime()
    return message


async def _stream_count(nc: nats.NATS, stream: str, expected: int) -> bool:
    return (await nc.jetstream().stream_info(stream)).state.messages == expected


async def _applied(db, expected: int) -> bool:
    async with db.reader() as session:
        return (await session.scalar(select(func.coalesce(func.sum(ProjectionLag.events_applied), 0)))) == expected


async def test_a_refused_login_is_logged_naming_the_settings(nats_server, namespace, caplog):
    intake = nats_server.authorize(namespace)["intake"]
    broker = Broker(nats_server.address, name="intake", namespace=Namespace(namespace), user=intake.user, password="x")
    broker.start()
    try:
        await eventually(
            lambda: _true(any("NATS_PASSWORD_FILE" in r.getMessage() for r in caplog.records)),
            message="the refusal logged",
        )
        assert not broker.connected
    finally:
        await broker.close()
